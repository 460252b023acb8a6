"""Production modes of a FIP model in the dump: rates per POT and kinematic samplers.

A :class:`Mode` couples an exact, vectorised production rate (FIPs per proton
on target per coupling^power, as a function of the FIP mass in MeV) with a
sampler of the FIP kinematics at one mass.  :func:`production_modes` builds
them from the model's interface only (:class:`na62lab.fips.base.FIPModel`):

- every channel of ``model.reduced_production`` that is a decay of a parent in
  the production table (pi0, eta, eta', omega, phi, D, Ds, B, Bs, K, pi+...; B_c+ derived from the B+
  spectrum with the card's ASSUMED ``production.bc_to_bplus``, the LHC-energy fraction and an upper bracket at
  the SPS, :func:`~na62lab.generation.dump.tables.with_bc`, and a note says so):
  rate = (parents per POT) x BR / coupling^power
  (:mod:`~na62lab.generation.dump.channels` reads the parent and recoils from the key);
- long-lived parents (K+, K_L, pi+) are mostly absorbed in the copper before
  they decay: each contributes its decay-in-flight probability
  lambda / (lambda + (p/m) c tau) (:func:`~na62lab.generation.dump.mesons.survival_weight`;
  absorption length from the card, ``production.meson_absorption_length_m``); this
  gives K -> pi S (BC4, arXiv:1901.09966 Sec. 3.2; rates of Boiarska et al.
  arXiv:1904.10447 and Winkler arXiv:1809.01876 in the model) and K -> l N (BC6-BC8);
- the mechanisms in ``model.dump_mechanisms`` (:data:`na62lab.fips.base.DUMP_MECHANISMS`):
  proton bremsstrahlung (:mod:`~na62lab.generation.dump.bremsstrahlung`), scalar
  bremsstrahlung (only with the card switch ``production.scalar_brems``, off by
  default: not part of the PBC BC4 definition), vector-meson mixing (rho0, omega,
  phi; ``model.vector_mixing``), pseudoscalar mixing (pi0, eta, eta';
  ``model.mixing_angles``) and Primakoff conversion of the dump photons
  (:mod:`~na62lab.generation.dump.primakoff`), photon fusion (the beam proton's equivalent photons on the
  dump nuclei, card ``production.photon_fusion``; :mod:`~na62lab.generation.dump.photon_fusion`) and
  Drell-Yan q qbar -> V of vectors above the card's ``production.drell_yan_min_mass_gev``
  (``model.drell_yan_couplings``, shipped tables at 400 and 70 GeV; :mod:`~na62lab.generation.dump.drell_yan`).

Channels that cannot be simulated are listed in :attr:`Sources.skipped` with the reason
(also those the model itself declares in ``model.unsimulated_production``).  FIPs from tau
decays (taus from D_s+ -> tau+ nu and D+ -> tau+ nu) when the model gives ``tau_production`` (HNLs;
:func:`_tau_modes`).  When a model is produced both in charm and in beauty decays (HNLs), a
note says where the charm channels end and how much less beauty there is per POT (card chi_bb/chi_cc):
above that mass only B decays produce, which is what closes the HNL dump contours near
m(D_s) - m_l (Bondarenko et al. arXiv:1805.08567 Sec. 2 for the channels).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
from hepunits import millibarn

from na62lab.config.dump import DumpCard
from na62lab.fips.proton_form_factor_ua import UA_NOTE
from na62lab.generation.dump import bremsstrahlung, channels, mesons, primakoff
from na62lab.generation.dump.sample import FIPSample
from na62lab.generation.dump.tables import BC_SPECIES, ProductionTable, with_bc
from na62lab.physics.particles import ctau as pdg_ctau
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV
from na62lab.physics.units import m as metre

CHARM_SPECIES = frozenset({"D+", "D0", "Ds+", *channels.C_BARYONS})
BEAUTY_SPECIES = frozenset({"B+", "B0", "Bs0", "Bc+", *channels.B_BARYONS})
"""Production-table species of the open-charm and open-beauty parents."""
LONG_LIVED_CTAU_MM = 1.0
"""Soft parents with c tau above this (mm) decay in flight only before absorption (K+-, K_L, K_S, pi+-)."""


@dataclass(frozen=True)
class Mode:
    """One production mode: its name, rate function, sampler and mass limits (MeV; no FIPs below ``min_mass``)."""

    name: str
    rate: Callable[[np.ndarray], np.ndarray]
    sampler: Callable[[float, int, np.random.Generator], FIPSample]
    max_mass: float
    min_mass: float = 0.0
    fip_factor: int = 1
    """FIPs tracked per mass node: ``fip_factor`` x card ``mc.n_fip`` (pool likewise; numerical, not physics):
    > 1 for modes whose FIPs rarely point at the detector (:data:`TAU_FIP_FACTOR`)."""


@dataclass
class Sources:
    """The production modes of a model, the channels left out (name -> reason), the approximations used."""

    modes: list[Mode]
    skipped: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def parse_channel(key: str):
    """Split a production key into (parent, recoil tokens) (:func:`channels.parse_channel`)."""
    return channels.parse_channel(key)


def _long_lived(species: tuple[str, ...], table: ProductionTable, card: DumpCard) -> dict:
    """Parent species that decay in flight before absorption -> (mass MeV, c tau mm, lambda mm)."""
    out = {}
    lam = card.production.meson_absorption_length_m * metre
    for s in species:
        if table.kind[s] == "soft" and pdg_ctau(s) > LONG_LIVED_CTAU_MM:
            out[s] = (pdg_mass(s), pdg_ctau(s), lam)
    return out


def _effective_per_pot(species: str, table: ProductionTable, card: DumpCard, long_lived: dict) -> float:
    """Parents per POT, times the mean decay-in-flight probability for long-lived parents.

    The mean is taken over the table's momentum spectrum (bin centres, exact for the binned table).
    """
    per_pot = table.per_pot(species, card.production)
    if species not in long_lived:
        return per_pot
    p, _ = table.centres()
    dens = table.density[species].sum(axis=1)
    w = mesons.survival_weight(np.maximum(p, 1.001 * long_lived[species][0]), *long_lived[species])
    return per_pot * float((dens * w).sum() / dens.sum())


def _table_species(parent: str, tokens: tuple[str, ...], table: ProductionTable) -> tuple[str, ...]:
    """Parent species of a channel (:func:`channels.parent_species`), without the b baryons a table lacks
    (a table made before na62lab 08234f7 added them; :func:`production_modes` notes it)."""
    return tuple(s for s in channels.parent_species(parent, tokens)
                 if s in table.species or s not in channels.B_BARYONS)


def _decay_mode(model, key: str, parent: str, tokens: tuple[str, ...], table: ProductionTable,
                card: DumpCard) -> Mode:
    species = _table_species(parent, tokens, table)
    long_lived = _long_lived(species, table, card)
    per_pot = {s: _effective_per_pot(s, table, card, long_lived) for s in species}
    recoils = channels.recoil_masses(parent, tokens)
    limit = channels.kinematic_limit(parent, tokens)
    polarised = bool(model.polarised)

    def rate(masses):
        return sum(per_pot.values()) * np.asarray(model.reduced_production(masses)[key])

    hook = getattr(model, "production_dalitz_density", None)

    def sampler(mass, n, rng):
        density = None
        if hook is not None and len(tokens) == 2:
            density = lambda q2, s: hook(key, mass, q2, s)   # noqa: E731
        return mesons.parent_decay_sample(key, per_pot, recoils, mass, n, table, card, rng, polarised,
                                          long_lived, density)

    return Mode(key, rate, sampler, limit)


def _vector_mixing_modes(model, table: ProductionTable, card: DumpCard) -> list[Mode]:
    if not card.production.vector_mixing:
        return []
    out = []
    for meson in ("rho0", "omega", "phi"):
        per_pot = table.per_pot(meson, card.production)
        out.append(_vector_mixing_mode(model, meson, per_pot, table, card))
    return out


def _vector_mixing_mode(model, meson: str, per_pot: float, table: ProductionTable, card: DumpCard) -> Mode:
    """Mixing with the vector ``meson`` (``per_pot`` of them per POT): rate ``per_pot x model.vector_mixing``."""
    def rate(ms: np.ndarray) -> np.ndarray:
        return per_pot * model.vector_mixing(ms, meson)

    def sampler(mass: float, n: int, rng: np.random.Generator) -> FIPSample:
        return mesons.mixing_sample(meson, mass, n, table, card, rng, polarised=model.polarised)

    return Mode(f"mixing:{meson}", rate, sampler, np.inf)


ALP_MIXING_MESONS = ("pi0", "eta", "eta'")
"""Pseudoscalar mesons an ALP mixes with (arXiv:1811.03474; ALPINIST arXiv:2201.05170)."""


def alp_mixing_rate(model, meson: str, masses, per_pot: float) -> np.ndarray:
    """ALPs per POT per coupling^2 from mixing with ``meson``: N_P theta_aP(m)^2.

    ALPINIST (Jerhot et al., arXiv:2201.05170 sec. 3): an ALP of mass m is
    produced wherever the meson P is, with probability theta_aP^2, the mixing
    angle from ``model.mixing_angles`` (arXiv:1811.03474 supplement; angle per
    unit coupling).  The leading-order angles have poles at m = m_pi0, m_eta,
    m_eta'; each is regularised with the meson width, 1/(m^2 - m_Q^2)^2 ->
    1/((m^2 - m_Q^2)^2 + m_Q^2 Gamma_Q^2) (APPROXIMATE within a few widths of
    a pole, where the ALP-meson system must be diagonalised exactly).

    Parameters
    ----------
    model : FIPModel with ``mixing_angles(mass)``.
    meson : {"pi0", "eta", "eta'"}
    masses : array_like
        ALP masses (MeV).
    per_pot : float
        Mesons per proton on target.
    """
    from na62lab.physics.particles import width as pdg_width

    m = np.atleast_1d(np.asarray(masses, dtype=float))
    reg = np.ones(m.shape)
    for pole in ALP_MIXING_MESONS:          # theta_aP also has poles at the other mesons (isospin breaking)
        mq = pdg_mass(pole)
        m = np.where(np.abs(m - mq) < 1e-9 * mq, mq * (1 + 1e-9), m)   # never exactly on a pole
        d2 = (m * m - mq * mq) ** 2
        reg = reg * d2 / (d2 + (mq * pdg_width(pole)) ** 2)
    theta = np.asarray(model.mixing_angles(m)[meson], dtype=float)
    return per_pot * np.nan_to_num(theta * theta * reg, posinf=0.0)


def _pseudoscalar_mixing_modes(model, table: ProductionTable, card: DumpCard) -> list[Mode]:
    probe = model.mixing_angles(np.array([100.0, 300.0, 700.0]))
    modes = []
    for meson in ALP_MIXING_MESONS:
        if meson not in table.species or not np.any(np.asarray(probe.get(meson, 0.0)) != 0):
            continue
        per_pot = table.per_pot(meson, card.production)
        modes.append(_pseudoscalar_mixing_mode(model, meson, per_pot, table, card))
    return modes


def _pseudoscalar_mixing_mode(model, meson: str, per_pot: float, table: ProductionTable, card: DumpCard) -> Mode:
    """ALP-``meson`` mixing: rate :func:`alp_mixing_rate`, kinematics of the meson (no polarisation)."""
    def rate(ms: np.ndarray) -> np.ndarray:
        return alp_mixing_rate(model, meson, ms, per_pot)

    def sampler(mass: float, n: int, rng: np.random.Generator) -> FIPSample:
        return mesons.mixing_sample(meson, mass, n, table, card, rng, polarised=False)

    return Mode(f"mixing:{meson}", rate, sampler, np.inf)


def _tau_modes(model, table: ProductionTable, card: DumpCard, out: Sources) -> None:
    """FIPs from tau decays, taus from D_s+ -> tau+ nu and D+ -> tau+ nu, when the model gives ``tau_production``.

    One mode per (tau parent, tau channel); rate per POT = parents per POT x ``model.tau_parent_brs[parent]`` x
    ``model.tau_production(m)[key]`` (arXiv:1805.08567 Sec. 2.3; :mod:`na62lab.fips.hnl_tau`); kinematics
    :mod:`~na62lab.generation.dump.taus`.
    """
    channels_ = getattr(model, "tau_channels", None)
    if not channels_ or getattr(model, "tau_production", None) is None:
        return
    m_tau = pdg_mass("tau-")
    for parent, br in model.tau_parent_brs.items():
        if parent not in table.species:
            out.skipped[f"{parent}->tau+ (tau->N X)"] = f"parent {parent} of the taus not in the production table"
            continue
        n_tau = table.per_pot(parent, card.production) * float(br)
        for key, recoils in channels_.items():
            out.modes.append(_tau_mode(model, parent, key, tuple(recoils), n_tau, table, card,
                                       m_tau - float(sum(recoils))))
    brs = ", ".join(f"{p} {float(b):.3g}" for p, b in model.tau_parent_brs.items())
    out.notes.append(f"N from tau decays: taus from D_s+, D+ -> tau+ nu (BR {brs}, from f_Ds, f_D), "
                     "tau fully polarised (two-body 1 + alpha cos, three-body V-A matrix element with the spin)")


def _tau_mode(model, parent: str, key: str, recoils: tuple[float, ...], n_tau: float, table: ProductionTable,
              card: DumpCard, max_mass: float) -> Mode:
    """``parent`` -> tau+ nu, tau -> ``key``: rate ``n_tau x model.tau_production(m)[key]``, kinematics of
    :mod:`taus`."""
    from na62lab.generation.dump import taus

    name = f"{parent}{TAU_CHAIN_TAG}{key})"

    def rate(ms: np.ndarray) -> np.ndarray:
        return n_tau * np.asarray(model.tau_production(ms)[key], dtype=float)

    def sampler(mass: float, n: int, rng: np.random.Generator) -> FIPSample:
        return taus.tau_sample(name, parent, key, recoils, mass, n, table, card, rng)

    from na62lab.fips.hnl_tau import TAU_CHANNELS

    opened_by_u_tau = TAU_CHANNELS.get(key, ("",))[0] == "tau"     # the BC8 source; < 2 % of BC6/BC7's
    return Mode(name, rate, sampler, max_mass, fip_factor=TAU_FIP_FACTOR if opened_by_u_tau else 1)


TAU_FIP_FACTOR = 4
"""FIPs per mass node of the tau-chain modes, in units of ``mc.n_fip`` (numerical choice).  The N of
P+ -> tau+ nu, tau -> N X fly at wide angles to their parent: about 5 % of them point at the NA62 LKr (1054 of a
pool of 20000 at 1 GeV), so 2500 tracked FIPs held about 600 pointing ones and the N pi table node at 1.02 GeV
scattered by 19 % between seeds (na62_dump_run2, nu e e + nu mu mu at tau' = 18 mm/MeV, 8 seeds, 80 effective
decays): production noise (nu e e and nu mu mu moved together).  With 4 x 2500 (and the importance-sampled
decay rounds of :func:`na62lab.yields.dump_tables._top_up`): 7 % (12 seeds).  Only for the channels opened
by U_tau (tau -> N X, the BC8 source): the tau -> nu l N channels of U_e, U_mu are < 2 % of the BC6/BC7 production."""


def _brems_mode(card: DumpCard, kind: str = "vector") -> Mode:
    return Mode("brems", lambda ms: bremsstrahlung.production_rate(ms, card, kind=kind),
                lambda mass, n, rng: bremsstrahlung.sample(mass, n, card, rng, kind), np.inf)


def _with_model_rate(model, mechanism: str, mode: Mode) -> Mode:
    """``mode`` with the model's own rate for ``mechanism`` when it supplies one (tables); its other fields kept."""
    if model.mechanism_rate(mechanism, np.array([100.0])) is None:
        return mode
    return replace(mode, rate=lambda ms: np.asarray(model.mechanism_rate(mechanism, ms), dtype=float))


def _mechanism_modes(model, table: ProductionTable, card: DumpCard, out: Sources,
                     primary_table: ProductionTable | None = None) -> None:
    """Bremsstrahlung, meson mixing (``table``) and Primakoff (``primary_table``: it adds its own cascade)."""
    declared = tuple(getattr(model, "dump_mechanisms", ()))
    if "proton_bremsstrahlung" in declared:
        out.modes.append(_with_model_rate(model, "proton_bremsstrahlung", _brems_mode(card)))
        if card.production.brems_form_factor == "alpinist_isospin_modulus":
            out.notes.append("bremsstrahlung form factor: NA62's apparent prescription (public ALPINIST code, "
                             "|F_(I=1)| + |F_(I=0)|; card production.brems_form_factor), a reproduction of "
                             "the reference's assumption, not the physics default (faessler)")
        if card.production.brems_form_factor == "ua_model":
            out.notes.append(UA_NOTE)
    if "scalar_bremsstrahlung" in declared:
        if card.production.scalar_brems:
            out.modes.append(_brems_mode(card, "scalar"))
            out.notes.append("scalar proton bremsstrahlung ON (card production.scalar_brems): an APPROXIMATE "
                             "upper estimate, not part of the PBC BC4 definition")
        else:
            out.skipped["brems"] = ("scalar proton bremsstrahlung: off (not in the PBC BC4 definition, "
                                    "arXiv:1901.09966; card production.scalar_brems switches it on)")
    if "vector_meson_mixing" in declared:
        out.modes += _vector_mixing_modes(model, table, card)
    if "pseudoscalar_mixing" in declared:
        out.modes += _pseudoscalar_mixing_modes(model, table, card)
    if "primakoff" in declared:
        prim = primakoff.mode(model, card, table if primary_table is None else primary_table)
        if prim is not None:
            out.modes.append(_with_model_rate(model, "primakoff", prim))
            out.notes += primakoff.notes(card)
    if "photon_fusion" in declared:
        _photon_fusion_mode(model, table if primary_table is None else primary_table, card, out)
    if "drell_yan" in declared:
        _drell_yan_mode(model, table if primary_table is None else primary_table, card, out)


def _photon_fusion_mode(model, table: ProductionTable, card: DumpCard, out: Sources) -> None:
    """The beam proton's equivalent photons on the dump nuclei (:mod:`~na62lab.generation.dump.photon_fusion`)."""
    from na62lab.generation.dump import photon_fusion

    if not card.production.photon_fusion:
        out.skipped["photon_fusion"] = "photon fusion (beam-proton EPA photons): off (card production.photon_fusion)"
        return
    mode = photon_fusion.mode(model, card, table)
    if mode is not None:
        out.modes.append(mode)
        out.notes.append(photon_fusion.NOTE)


def _drell_yan_mode(model, table: ProductionTable, card: DumpCard, out: Sources) -> None:
    """q qbar -> V from the shipped table at the card's beam energy (:mod:`~na62lab.generation.dump.drell_yan`).

    Skipped with the reason when the card switches it off, no table exists at the beam energy or the
    model gives neither quark couplings nor a tabulated rate.
    """
    from na62lab.generation.dump import drell_yan

    p = card.production
    if not p.drell_yan:
        out.skipped["drell_yan"] = "q qbar -> V (Drell-Yan): off (card production.drell_yan)"
        return
    dy = drell_yan.load_table(card.run.beam_energy_gev)
    if dy is None:
        out.skipped["drell_yan"] = (f"q qbar -> V (Drell-Yan): no shipped table at {card.run.beam_energy_gev:g} GeV "
                                    f"(tables at {', '.join(f'{e:g}' for e in drell_yan.TABLES)} GeV; "
                                    "admin/make_drell_yan_tables.py)")
        return
    couplings = dict(model.drell_yan_couplings())
    tabulated = model.mechanism_rate("drell_yan", np.array([2 * GeV])) is not None
    if not any(v > 0 for v in couplings.values()) and not tabulated:
        out.skipped["drell_yan"] = "q qbar -> V (Drell-Yan): the model gives no quark couplings (drell_yan_couplings)"
        return
    nucleus = primakoff.dump_nucleus(table, card)
    z, a, _ = nucleus
    threshold = p.drell_yan_min_mass_gev * GeV

    def rate(ms: np.ndarray) -> np.ndarray:
        return drell_yan.rate(couplings, ms, dy, card, nucleus)

    def sampler(mass: float, n: int, rng: np.random.Generator) -> FIPSample:
        return drell_yan.sample(mass, n, card, rng, dy, drell_yan.nucleon_shares(couplings, mass, dy, nucleus),
                                model.polarised)

    out.modes.append(_with_model_rate(model, "drell_yan", Mode("drell_yan", rate, sampler, float(dy.masses[-1]),
                                                               threshold)))
    sigma_mb = drell_yan.sigma_inelastic(card, nucleus) / millibarn
    out.notes.append(f"Drell-Yan q qbar -> V above {p.drell_yan_min_mass_gev:g} GeV (card "
                     "production.drell_yan_min_mass_gev, SHiP's QCD regime, arXiv:2011.05115): LO with Pythia's "
                     f"NNPDF2.3 LO PDFs, A^1 on Z = {z}, A = {a:g} (E772), per sigma_inel(pA) = {sigma_mb:.0f} mb "
                     "(card interaction length); below the threshold the time-like production is the proton "
                     "bremsstrahlung and vector-meson mixing (no double counting); V spectra of dark-photon "
                     "couplings (APPROXIMATE for other patterns)")


def _channels(model) -> tuple[tuple[str, ...], dict[str, str]]:
    """Channels to simulate; the inclusive B -> X_s X replaces its exclusive parts."""
    keys = tuple(model.production_channels or tuple(model.reduced_production(100.0)))
    skipped = {}
    if any(k.startswith("B->Xs") for k in keys):
        for k in keys:
            parsed = channels.parse_channel(k)
            if parsed and parsed[0] == "B" and parsed[1][0] in ("K", "K*"):
                skipped[k] = "contained in the inclusive B -> X_s channel"
    return tuple(k for k in keys if k not in skipped), skipped


def heavy_flavour_ends(modes: list[Mode]) -> dict[str, float]:
    """Largest kinematic limit (MeV) of the charm and of the beauty parent-decay modes (keys present only)."""
    ends: dict[str, float] = {}
    for md in modes:
        if not np.isfinite(md.max_mass):
            continue
        for s in _parent_species(md.name):
            family = "charm" if s in CHARM_SPECIES else "beauty" if s in BEAUTY_SPECIES else None
            if family:
                ends[family] = max(ends.get(family, 0.0), float(md.max_mass))
    return ends


def _parent_species(name: str) -> tuple[str, ...]:
    """Meson species whose decays a production mode's FIPs come from: ``P->recoils X`` modes and the tau chain
    ``P->tau+ (tau channel)`` of :func:`_tau_mode` (P+ -> tau+ nu, tau -> N X: charm for P = D_s+, D+)."""
    parsed = channels.parse_channel(name)
    if parsed is not None:
        return tuple(channels.parent_species(*parsed))
    parent, sep, _ = name.partition(TAU_CHAIN_TAG)
    return (parent,) if sep else ()


TAU_CHAIN_TAG = "->tau+ ("
"""What names a tau-chain mode, ``f"{parent}->tau+ ({key})"`` (:func:`_tau_mode`)."""


def _heavy_flavour_reach(out: Sources, card: DumpCard) -> None:
    """Note where charm production ends and only beauty (chi_bb, card) is left."""
    ends = heavy_flavour_ends(out.modes)
    if "charm" not in ends or ends.get("beauty", 0.0) <= ends["charm"]:
        return
    p = card.production
    cc, bb = p.chi_cc * p.cascade_charm, p.chi_bb * p.cascade_beauty
    out.notes.append(f"reach: the charm channels end at {ends['charm'] / GeV:.3f} GeV; above, only beauty decays "
                     f"produce (up to {ends['beauty'] / GeV:.2f} GeV), with chi_bb/chi_cc = {bb:.2g}/{cc:.2g} = "
                     f"{bb / cc:.1e} per POT (card) and a 20-50x smaller acceptance (wider angles), so the excluded "
                     "region closes near the charm end (arXiv:1805.08567 Sec. 2)")


def _bc_note(out: Sources, card: DumpCard) -> None:
    """State the ASSUMED B_c+ normalisation when a B_c+ decay is simulated (:func:`tables.with_bc`)."""
    if not any((channels.parse_channel(m.name) or ("",))[0] == BC_SPECIES for m in out.modes):
        return
    out.notes.append(f"B_c+ production: {card.production.bc_to_bplus:.2g} B_c+ per B+ (card production.bc_to_bplus, "
                     "ASSUMED: the LHC-energy fraction, LHCb arXiv:1910.13404 at 13 TeV, as SHiP's HNL tools use at "
                     "the SPS; not measured at 400 GeV and no calculation there was found; B_c+ needs a second heavy "
                     "pair, so near threshold it is expected lower: an UPPER bracket, no B_c+ the lower one, "
                     "na62lab.analyses.beam_dump_bc), with the B+ (p, theta) spectrum (APPROXIMATE); it dominates "
                     "the HNL production above m(B) - m(D) - m_l")


def _decay_mode_notes(out: Sources, model, key: str, parsed: tuple[str, tuple[str, ...]], species: tuple[str, ...],
                      table: ProductionTable, card: DumpCard) -> None:
    """Approximation notes of one parent-decay mode ``key`` (parent and recoils ``parsed``, table ``species``),
    each family of note once: b baryons missing from an old table, three-body kinematics, one branching ratio
    per parent family, parents decaying in flight."""
    if set(channels.parent_species(*parsed)) - set(species):
        out.notes.append(f"{key}: the production table has no b baryons (made before na62lab 08234f7), so only its b "
                         "mesons decay so (about -9 % of the b hadrons)")
    if len(parsed[1]) == 2 and not any("three-body" in n for n in out.notes):
        weighted = getattr(model, "production_dalitz_density", None) is not None
        out.notes.append("three-body production (e.g. D -> K l N): " + (
            "flat phase space weighted by the model's matrix element (Dalitz plane), exact rate"
            if weighted else "flat phase-space kinematics, exact rate (APPROXIMATE kinematics)"))
    if len(species) > 1 and not any("isospin" in n for n in out.notes):
        out.notes.append(f"{key} (and other channels of a parent family): every species ({', '.join(species)}) "
                         "decays with the first one's branching ratio (isospin, the spectator picture for b -> s "
                         "X; e.g. tau_B0/tau_B+ = 0.93, tau_Lambda_b/tau_B+ = 0.90 neglected, APPROXIMATE)")
    baryons = set(species) & set(channels.C_BARYONS + (channels.B_BARYONS if parsed[1] != ("Xs",) else ()))
    if baryons and not any("baryon parents" in n for n in out.notes):
        out.notes.append("baryon parents (" + ", ".join(sorted(baryons)) + " and the others of the model): Pythia's "
                         "baryon fractions per heavy-quark pair and (p, theta) spectra (its Lambda_c are more forward "
                         "than its D: leading-particle effect), not measured at the SPS (APPROXIMATE)")
    if any(s in _long_lived(species, table, card) for s in species):
        out.notes.append(f"{key}: parents decay in flight before absorption, lambda = "
                         f"{card.production.meson_absorption_length_m:g} m (card; APPROXIMATE)")


def production_modes(model, card: DumpCard, table: ProductionTable) -> Sources:
    """All dump production modes of ``model`` (see module docstring)."""
    keys, skipped = _channels(model)
    out = Sources([], skipped)
    primary_table, measured = table, card.production.measured_multiplicities
    if card.production.meson_cascade:          # light mesons of the whole hadronic cascade (card option)
        from na62lab.generation.dump.cascade import cascade_meson_table, cascade_production
        table = cascade_meson_table(table, card.production)
        card = card.model_copy(update={"production": cascade_production(card.production)})
        out.notes.append("light mesons (pi0, eta, eta', rho, omega, phi, K, pi+-) of the whole hadronic cascade "
                         "(card production.meson_cascade): primary spectra x Feynman-scaling generations "
                         "(arXiv:1904.02091 for the mechanism; APPROXIMATE, overestimates the lowest momenta)")
    table = with_bc(table, card.production.bc_to_bplus)
    fixed = set(model.fixed_production(100.0))
    for key in keys:
        if key in fixed:
            out.skipped[key] = "production does not scale as coupling^power (not simulated)"
            continue
        parsed = channels.parse_channel(key)
        if parsed is None:
            out.skipped[key] = "not a decay of one parent into one FIP (pair production is not simulated)"
            continue
        species = _table_species(*parsed, table)
        if not all(s in table.species for s in species):
            out.skipped[key] = f"parent {parsed[0]} not in the production table" + (
                " (B_c+ production off: card production.bc_to_bplus = 0)"
                if BC_SPECIES in species and card.production.bc_to_bplus == 0 else "")
            continue
        out.modes.append(_decay_mode(model, key, *parsed, table, card))
        _decay_mode_notes(out, model, key, parsed, species, table, card)
    _bc_note(out, card)
    _mechanism_modes(model, table, card, out, primary_table)
    _tau_modes(model, table, card, out)
    out.skipped.update(dict(getattr(model, "unsimulated_production", {}) or {}))
    _heavy_flavour_reach(out, card)
    if measured:
        out.notes.append("light-meson yields per collision from measurement (card production.measured_multiplicities: "
                         + ", ".join(f"{k} {v:g}" for k, v in measured.items())
                         + "), Pythia (p, theta) shapes (APPROXIMATE forward shape)")
    return out
