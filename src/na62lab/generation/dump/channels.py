"""Parent-decay production channels of a FIP model, read from their names.

A production key of :meth:`na62lab.fips.base.FIPModel.reduced_production` is
``"<parent>-><recoils><FIP symbol>"``: ``"eta->gammaA"``, ``"B->XsS"``,
``"K+->pi+S"``, ``"Ds+->mu+N"``, ``"D0->K-e+N"``, ``"Lambda(c)+->Lambdae+N"``.  :func:`parse_channel`
splits it into the parent and the recoil particles (longest known token
first); :func:`parent_species` maps the parent to the species of the
production table (``"B"`` -> B+ and B0, and every b hadron for ``X_s``; ``"KL"`` -> K0L); :func:`recoil_masses`
gives the recoil masses per parent species (MeV).

Inclusive b -> s: the X_s system is given the K*(892) mass (APPROXIMATION of
its mass spectrum, which peaks at the K* and extends to ~2 GeV; Boiarska et al.
arXiv:1904.10447 Sec. 3 use the inclusive rate with the same two-body picture).
The inclusive ``"B->Xs..."`` channels are b-quark decays (b -> s X in the spectator picture, the rate
normalised to the b -> c l nu width, arXiv:1904.10447 Sec. 3.1), so every b meson of the table decays
so: B+, B0 and B_s0 (:data:`INCLUSIVE_B_SPECIES`; B_s0 with the B+ rate, tau_Bs/tau_B+ = 0.93 neglected as for
B0); the exclusive ``"B->K..."`` channels keep B+ and B0.  Before 208fc37 the inclusive channels used B+ and B0
only: 1.63 of the 1.80 b mesons per b bbar pair of the shipped 400 GeV table (B_s0 0.17 per pair, 9 % of the
beauty rate missing).

b baryons (08234f7): the weakly decaying b baryons decay so too (:data:`B_BARYONS`; all in :data:`INCLUSIVE_B_SPECIES`
but Omega_b-): per b bbar pair of the shipped table (Pythia 8, 400 GeV) Lambda_b0 0.165, Xi_b0 0.010, Xi_b- 0.008,
Omega_b- 0.0004, 0.184 in all against 1.797 b mesons: +10.2 % inclusive b -> s rate, 9.3 % of the b hadrons.  Pythia's
Lambda_b0/(B+ + B0) = 0.10 here; LHCb measures 0.259 +- 0.018 at 13 TeV (p_T 4-25 GeV, falling with p_T,
arXiv:1902.06794); nothing is measured at 400 GeV and Pythia's number is used (an LHCb-like ratio would add
about 13 % more inclusive b -> s rate: not adopted, no SPS measurement).
Every species decays with the channel's one branching ratio, normalised with the B+/B0 BR(B -> X_c l nu)
(:func:`na62lab.fips.dark_scalar.b_semileptonic_normalisation`), i.e. with the mean B+/B0 lifetime 1.578 ps:
the spectator rate Gamma(b -> s X) x tau(hadron) would scale it by tau/1.578 ps = 0.96 (B_s0, 1.520 ps), 0.93
(Lambda_b0, 1.471 ps), 0.94 / 1.00 (Xi_b0 1.480, Xi_b- 1.572 ps) and 1.04 (Omega_b-, 1.64 ps), 1.04 / 0.96
(B+ 1.638, B0 1.517 ps) (PDG 2024 lifetimes).  APPROXIMATE, neglected: the summed b -> s rate would be 0.9 %
lower (0.4 % with the mesons alone); a channel key carries one BR for its parent family.
The X_s of a b baryon carries its baryon number: the strange ground-state baryon of the spectator diquark plus
the s quark (:data:`XS_OF_B_BARYON`: Lambda, Xi0, Xi-, Omega-) stands for it in the two-body
decay, as the K* stands for the mesons' X_s (APPROXIMATE; the FIP momentum in a Lambda_b rest frame is 2.70
GeV at m = 0 with the Lambda, 2.74 GeV with the K* mass, 2.57 GeV in the B+ -> K* S of the mesons).  Omega_b-
(0.0004 per pair, 0.02 % of the b hadrons) is left out of the inclusive channels: its X_s, the Omega- (1672 MeV),
would end the channel (:func:`kinematic_limit`, the smallest over its parents) at 4.373 GeV, 14 MeV below the
B+ -> K* S end, for no visible gain.  A table without the b baryons (one made before 08234f7) gives the inclusive
channels from its b mesons only, with a note (:mod:`na62lab.generation.dump.sources`).
"""

from __future__ import annotations

from na62lab.physics.particles import mass as pdg_mass

PARENT_SPECIES: dict[str, tuple[str, ...]] = {
    "B": ("B+", "B0"), "B+": ("B+",), "B0": ("B0",), "Bs": ("Bs0",), "Bs0": ("Bs0",),
    "D": ("D+", "D0"), "D+": ("D+",), "D0": ("D0",), "Ds": ("Ds+",), "Ds+": ("Ds+",),
    "J/psi": ("J/psi",), "KL": ("K0L",), "KS": ("K0S",), "K+": ("K+",), "pi+": ("pi+",),
}
"""Parent name in a channel key -> production-table species (charge conjugates summed in the table)."""

XS_OF_B_BARYON: dict[str, str] = {"Lambda(b)0": "Lambda", "Xi(b)0": "Xi0", "Xi(b)-": "Xi-", "Omega(b)-": "Omega-"}
"""Two-body stand-in for the X_s of an inclusive b -> s decay of a b baryon (b -> s with the spectator diquark:
udb -> uds, usb -> uss, dsb -> dss, ssb -> sss; module docstring)."""

FIP_SYMBOLS = ("A", "S", "a", "N", "X")
"""Last character of a channel key: the FIP (dark photon, scalar, ALP, HNL, any table model)."""


def species_mass(species: str) -> float:
    """PDG mass (MeV) of a production-table species (``Bs0`` is ``B(s)0`` for the particle package)."""
    return pdg_mass({"Bs0": "B(s)0"}.get(species, species))


def _recoil_mass(token: str, parent: str) -> float:
    fixed: dict[str, float | str] = {
             "gamma": 0.0, "pi0": "pi0", "pi+": "pi+", "pi-": "pi+", "eta": "eta", "K*": "K*(892)+",
             "K*-": "K*(892)+", "rho-": "rho(770)+", "rho0": "rho(770)0", "K*0": "K*(892)0",
             "Xs": "K*(892)+", "K+": "K+", "K-": "K+", "K0": "K0S", "D0": "D0", "D-": "D+", "Ds-": "Ds+",
             "Ds*-": "D(s)*+", "D*0": "D*(2007)0", "D*-": "D*(2010)+",
             "e+": "e+", "mu+": "mu+", "tau+": "tau+", "e-": "e+", "mu-": "mu+", "tau-": "tau+",
             "Lambda": "Lambda", "Xi0": "Xi0", "Xi-": "Xi-", "Lambda(c)+": "Lambda(c)+", "Xi(c)+": "Xi(c)+",
             "Xi(c)0": "Xi(c)0"}
    if token == "Xs" and parent in XS_OF_B_BARYON:
        return pdg_mass(XS_OF_B_BARYON[parent])
    if token == "K":
        return pdg_mass("K+") if parent in ("B+", "D0") else pdg_mass("K0S")
    value = fixed[token]
    return value if isinstance(value, float) else pdg_mass(value)


_TOKENS = ("Lambda(c)+", "Xi(c)+", "Xi(c)0", "Lambda", "Xi0", "Xi-", "tau-", "mu-", "e-",
           "gamma", "tau+", "mu+", "pi0", "pi+", "pi-", "rho-", "rho0", "eta", "K*-", "K*0", "K*", "Xs", "K+", "K-",
           "K0", "D*0", "D*-", "D0", "Ds*-", "Ds-", "D-", "e+", "K")


def parse_channel(key: str) -> tuple[str, tuple[str, ...]] | None:
    """Split ``"parent->recoils X"`` into (parent, recoil tokens); None if not a meson decay to one FIP.

    >>> parse_channel("D0->K-e+N")
    ('D0', ('K-', 'e+'))
    >>> parse_channel("B->XsS")
    ('B', ('Xs',))
    >>> parse_channel("Bs->SS") is None
    True
    >>> parse_channel("Lambda(b)0->Lambda(c)+mu-N")
    ('Lambda(b)0', ('Lambda(c)+', 'mu-'))
    """
    if "->" not in key or key[-1] not in FIP_SYMBOLS:
        return None
    parent, rest = key.split("->", 1)
    rest, tokens = rest[:-1], []
    while rest:
        token = next((t for t in _TOKENS if rest.startswith(t)), None)
        if token is None:
            return None
        tokens.append(token)
        rest = rest[len(token):]
    return (parent, tuple(tokens)) if 1 <= len(tokens) <= 2 else None


B_BARYONS: tuple[str, ...] = ("Lambda(b)0", "Xi(b)0", "Xi(b)-", "Omega(b)-")
"""The weakly decaying b baryons of the production table (since 08234f7; module docstring)."""
C_BARYONS: tuple[str, ...] = ("Lambda(c)+", "Xi(c)+", "Xi(c)0", "Omega(c)0")
"""The weakly decaying charmed baryons of the production table (since f432d99, :mod:`pythia_production`): parents of
the HNL baryon channels (:mod:`na62lab.fips.hnl_baryon`; Omega_c0, 0.0004 per c cbar pair, has none)."""
INCLUSIVE_B_SPECIES: tuple[str, ...] = ("B+", "B0", "Bs0") + B_BARYONS[:3]
"""Parents of an inclusive b -> s channel ``"B->Xs..."``: every b hadron of the table but Omega_b- (module
docstring)."""


def parent_species(parent: str, tokens: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Production-table species of a channel's parent name (with ``tokens``, the channel's recoils: the
    inclusive ``B -> X_s`` channel is a b-quark decay, :data:`INCLUSIVE_B_SPECIES`).

    >>> parent_species("B", ("Xs",))
    ('B+', 'B0', 'Bs0', 'Lambda(b)0', 'Xi(b)0', 'Xi(b)-')
    >>> parent_species("B", ("K*",))
    ('B+', 'B0')
    """
    if parent == "B" and tuple(tokens) == ("Xs",):
        return INCLUSIVE_B_SPECIES
    return PARENT_SPECIES.get(parent, (parent,))


def recoil_masses(parent: str, tokens: tuple[str, ...]) -> dict[str, tuple[float, ...]]:
    """Recoil masses (MeV) per parent species."""
    return {s: tuple(_recoil_mass(t, s) for t in tokens) for s in parent_species(parent, tokens)}


def kinematic_limit(parent: str, tokens: tuple[str, ...]) -> float:
    """Largest FIP mass (MeV) open for every parent species of the channel."""
    return min(species_mass(s) - sum(r) for s, r in recoil_masses(parent, tokens).items())
