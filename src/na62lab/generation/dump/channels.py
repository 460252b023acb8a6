"""Parent-decay production channels of a FIP model, read from their names.

A production key of :meth:`na62lab.fips.base.FIPModel.reduced_production` is
``"<parent>-><recoils><FIP symbol>"``: ``"eta->gammaA"``, ``"B->XsS"``,
``"K+->pi+S"``, ``"Ds+->mu+N"``, ``"D0->K-e+N"``.  :func:`parse_channel`
splits it into the parent and the recoil particles (longest known token
first); :func:`parent_species` maps the parent to the species of the
production table (``"B"`` -> B+ and B0, and B_s0 for ``X_s``; ``"KL"`` -> K0L); :func:`recoil_masses`
gives the recoil masses per parent species (MeV).

Inclusive b -> s: the X_s system is given the K*(892) mass (APPROXIMATION of
its mass spectrum, which peaks at the K* and extends to ~2 GeV; Boiarska et al.
arXiv:1904.10447 Sec. 3 use the inclusive rate with the same two-body picture).
The inclusive ``"B->Xs..."`` channels are b-quark decays (b -> s X in the spectator picture, the rate
normalised to the b -> c l nu width, arXiv:1904.10447 Sec. 3.1), so every b meson of the table decays
so: B+, B0 and B_s0 (:data:`INCLUSIVE_B_SPECIES`; B_s0 with the B+ rate, tau_Bs/tau_B+ = 0.93 neglected as for
B0); the exclusive ``"B->K..."`` channels keep B+ and B0.  Before t85 the inclusive channels used B+ and B0
only: 1.63 of the 1.80 b mesons per b bbar pair of the shipped 400 GeV table (B_s0 0.17 per pair, 9 % of the
beauty rate missing).  The remaining 0.2 b hadrons per pair (b baryons, Lambda_b mostly) are not in the
table and still left out (APPROXIMATE, about -10 %).
"""

from __future__ import annotations

from na62lab.physics.particles import mass as pdg_mass

PARENT_SPECIES: dict[str, tuple[str, ...]] = {
    "B": ("B+", "B0"), "B+": ("B+",), "B0": ("B0",), "Bs": ("Bs0",), "Bs0": ("Bs0",),
    "D": ("D+", "D0"), "D+": ("D+",), "D0": ("D0",), "Ds": ("Ds+",), "Ds+": ("Ds+",),
    "J/psi": ("J/psi",), "KL": ("K0L",), "KS": ("K0S",), "K+": ("K+",), "pi+": ("pi+",),
}
"""Parent name in a channel key -> production-table species (charge conjugates summed in the table)."""

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
             "e+": "e+", "mu+": "mu+", "tau+": "tau+"}
    if token == "K":
        return pdg_mass("K+") if parent in ("B+", "D0") else pdg_mass("K0S")
    value = fixed[token]
    return value if isinstance(value, float) else pdg_mass(value)


_TOKENS = ("gamma", "tau+", "mu+", "pi0", "pi+", "pi-", "rho-", "rho0", "eta", "K*-", "K*0", "K*", "Xs", "K+", "K-",
           "K0", "D*0", "D*-", "D0", "Ds*-", "Ds-", "D-", "e+", "K")


def parse_channel(key: str) -> tuple[str, tuple[str, ...]] | None:
    """Split ``"parent->recoils X"`` into (parent, recoil tokens); None if not a meson decay to one FIP.

    >>> parse_channel("D0->K-e+N")
    ('D0', ('K-', 'e+'))
    >>> parse_channel("B->XsS")
    ('B', ('Xs',))
    >>> parse_channel("Bs->SS") is None
    True
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


INCLUSIVE_B_SPECIES: tuple[str, ...] = ("B+", "B0", "Bs0")
"""Parents of an inclusive b -> s channel ``"B->Xs..."``: every b meson of the table (module docstring)."""


def parent_species(parent: str, tokens: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Production-table species of a channel's parent name (with ``tokens``, the channel's recoils: the
    inclusive ``B -> X_s`` channel is a b-quark decay, :data:`INCLUSIVE_B_SPECIES`).

    >>> parent_species("B", ("Xs",))
    ('B+', 'B0', 'Bs0')
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
