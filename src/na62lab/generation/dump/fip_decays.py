"""Decays in flight of a FIP into the visible final states of the dump searches.

Each final state is decayed into its visible daughters (charged tracks and
photons), with pi0 -> gamma gamma and eta -> gamma gamma done explicitly.
Angular distributions:

- spin-0 FIPs (scalars, ALPs): isotropic in the rest frame (exact);
- dark photon -> l+ l- and h+ h-: a vector produced with transverse
  polarisation (as in bremsstrahlung and P -> gamma A') decays with
  dN/dcos(theta) ~ 1 + cos^2(theta) to massless leptons in the helicity frame
  (e.g. arXiv:1311.3870 discusses the polarisation of FWW dark photons);
  used for ``ee`` and ``mumu`` when ``polarised=True`` (lepton-mass term
  neglected: approximate near threshold);
- three-body final states (3pi, pipigamma, KKpi, pipieta): flat phase space
  (approximation: the P-wave / radiative matrix elements are not applied);
- 4pi = pi+ pi- pi0 pi0: flat four-body phase space (approximation);
- heavy neutral leptons (spin 1/2): ``pie``, ``pimu``, ``Ke``, ``Kmu`` isotropic
  two-body decays (exact for an unpolarised N; the N polarisation from its
  production is neglected, APPROXIMATION); ``rhoe``, ``rhomu`` with
  rho+- -> pi+- pi0 at the PDG rho(770) mass (width neglected, APPROXIMATION);
  ``emunu``, ``nuee``, ``numumu`` flat three-body phase space with an invisible
  neutrino (the V-A matrix element is not applied to the kinematics, APPROXIMATION); under a pointing
  cut drawn with the neutrino preferably along the N line and weighted back (same distribution,
  :mod:`na62lab.generation.dump.invisible_decays`).

Inclusive hadronic final states (:data:`INCLUSIVE`): the widths without an exclusive final state
(a scalar's or ALP's ``gg``, ``ss``, ``cc``, ``tautau``, a dark photon's or ALP's ``other``, an
HNL's ``multihadron`` as a lepton plus a hadronic system) decay into Pythia-hadronised parton
pairs drawn from a shipped library (:mod:`na62lab.generation.dump.hadronic_decays`; Pythia 8.3,
arXiv:2203.11601), with a variable number of visible daughters (:attr:`VisibleDecay.inclusive`).

Visible-decay factors: BR(pi0 -> gamma gamma) and BR(eta -> gamma gamma)
(PDG 2024, via :data:`na62lab.fips.constants.BR_GAMMA_GAMMA` when available)
multiply the acceptance of the states that contain them.

Selections that count charged tracks only (``charged_tracks=True``; card ``selection.exclusive_rule``,
the SHiP rule, :func:`na62lab.selection.dump_selection.select_decay`): the photons are not required, so
every pi0 and eta decay counts (visible fraction 1; the pi0 and eta keep their gamma gamma kinematics, which
enter only the visible momentum), and ``KKpi`` and ``4pi`` are mixtures of their charge modes with charged
tracks from the vertex (K+ K- pi0 and K+- K0 pi-+; pi+ pi- 2 pi0 and 2 pi+ 2 pi-: :func:`decay_charge_modes`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from na62lab.errors import require
from na62lab.generation.dump.hadronic_decays import (KIND_CODES, InclusiveDaughters, channel_threshold,
                                                    decay_inclusive, decay_lepton_hadrons)
from na62lab.generation.dump.invisible_decays import three_body_invisible
from na62lab.physics.constants import BR_ETA_GG, BR_PI0_GG
from na62lab.physics.kinematics import three_body_phase_space, two_body_decay, two_body_momentum
from na62lab.physics.particles import mass


_CHARGED = {"e": "e+", "mu": "mu+", "pi": "pi+", "K": "K+"}

# final state -> (primary daughters, [(index of a neutral meson decayed to gamma gamma)])
_PRIMARY: dict[str, tuple[str, ...]] = {
    "ee": ("e", "e"), "mumu": ("mu", "mu"), "pipi": ("pi", "pi"), "KK": ("K", "K"),
    "gammagamma": ("gamma", "gamma"), "pipigamma": ("pi", "pi", "gamma"),
    "3pi": ("pi", "pi", "pi0"), "KKpi": ("K", "K", "pi0"), "pipieta": ("pi", "pi", "eta"),
    "4pi": ("pi", "pi", "pi0", "pi0"),
    "pie": ("pi", "e"), "pimu": ("pi", "mu"), "Ke": ("K", "e"), "Kmu": ("K", "mu"),
    "rhoe": ("rho", "e"), "rhomu": ("rho", "mu"),
    "emunu": ("e", "mu", "nu"), "nuee": ("nu", "e", "e"), "numumu": ("nu", "mu", "mu"),
}
NEUTRINO_FINAL_STATES = tuple(fs for fs, daughters in _PRIMARY.items() if "nu" in daughters)
"""Exclusive final states with an invisible neutrino (``emunu``, ``nuee``, ``numumu``): the ones
:func:`decay_visible` can importance-sample (``collinear_neutrino``)."""
INCLUSIVE: dict[str, dict[str, float]] = {
    "gg": {"gg": 1.0}, "ss": {"ss": 1.0}, "cc": {"cc": 1.0}, "tautau": {"tautau": 1.0},
    "other": {"uu": 4.0 / 6.0, "dd": 1.0 / 6.0, "ss": 1.0 / 6.0},
}
"""Inclusive final state -> library parton channels and weights.  ``other`` is the dark photon's
inclusive remainder above 1.6 GeV (:func:`na62lab.fips.vector_hadrons.R_other`, up to the
perturbative R_uds), a light q qbar pair with the photon-like weights Q_q^2 (u : d : s = 4 : 1 : 1;
the quark-parton-model R = 3 sum_q Q_q^2, e.g. PDG review "Cross-section formulae", e+e- -> hadrons).
A model may replace these fixed channels by its own (:func:`inclusive_mixture`): an ALP's tabulated
``other`` (its multi-meson remainder below 3 GeV) is hadronised as the partons of its perturbative
decays (:meth:`na62lab.fips.alp.ALP.inclusive_partons`: g g for the gluon-coupled BC11, g g and s sbar
for the fermion-coupled BC10)."""

SEMILEPTONIC_INCLUSIVE = ("multihadron",)
"""Inclusive final states of a lepton and a hadronic system, whose parts depend on the model and mass
(:func:`inclusive_mixture`): the HNL multi-hadron width (:mod:`na62lab.fips.hnl_inclusive`)."""


def inclusive_mixture(model, final_state: str, mass: float) -> dict | None:
    """Model- and mass-dependent parts of an inclusive final state at ``mass`` (MeV), None for the others.

    Given by the model's method ``inclusive_partons(final_state, mass)``: for a semileptonic one
    (:data:`SEMILEPTONIC_INCLUSIVE`) (lepton, library channel) -> weight
    (:meth:`na62lab.fips.hnl.HNL.inclusive_partons`); for a hadronic one (:data:`INCLUSIVE`) library channel
    -> weight when the model says which partons it hadronises into (e.g.
    :meth:`na62lab.fips.alp.ALP.inclusive_partons`), else None and :data:`INCLUSIVE` applies.
    """
    partons = getattr(model, "inclusive_partons", None)
    if (final_state in INCLUSIVE or final_state in SEMILEPTONIC_INCLUSIVE) and callable(partons):
        return partons(final_state, mass)
    return None


def decay_key(final_state: str, mixture: dict | None = None) -> tuple:
    """What the decays of ``final_state`` (with the parts ``mixture`` of :func:`inclusive_mixture`) are drawn from.

    An exclusive final state is its own key; an inclusive one is keyed on its parton (or lepton, parton)
    mixture with normalised weights, not on its name: two final states of one key have the same decay
    distribution and the same selection (:func:`na62lab.selection.dump_selection.select_decay` does not
    see the name), so their efficiencies per unit BR are equal and are simulated once
    (:func:`na62lab.yields.dump_tables.selection_flags`).  E.g. the gluon-coupled ALP's ``other`` is
    hadronised as g g (:meth:`na62lab.fips.alp.ALP.inclusive_partons`), exactly like its ``gg``.
    """
    if final_state in INCLUSIVE or final_state in SEMILEPTONIC_INCLUSIVE:
        parts = mixture or INCLUSIVE.get(final_state, {})
        names = sorted(parts, key=str)
        total = sum(float(parts[c]) for c in names)
        kind = "inclusive" if final_state in INCLUSIVE else "semileptonic"
        return (kind, tuple((c, float(parts[c]) / total if total > 0 else 0.0) for c in names))
    return ("exclusive", final_state)


_INTERMEDIATE = {"pi0": ("gamma", "gamma"), "eta": ("gamma", "gamma"), "rho": ("pi", "pi0")}
"""Daughters decayed in turn: pi0, eta -> gamma gamma; rho+- -> pi+- pi0 (then pi0 -> gamma gamma)."""


@dataclass(frozen=True)
class VisibleDecay:
    """Visible daughters of a batch of FIP decays.

    Attributes
    ----------
    p4 : list of ndarray (N, 4)
        Lab four-momenta (MeV) of the visible daughters.
    kinds : tuple of str
        ``"e"``, ``"mu"``, ``"pi"``, ``"K"`` (charged) or ``"gamma"``.
    charges : tuple of int
        +1, -1 or 0.
    weight : ndarray (N,)
        Per-decay weight (four-body phase-space weight, else 1).
    visible_fraction : float
        Product of the pi0/eta -> gamma gamma branching ratios in the state (1 for an inclusive one:
        Pythia decays every pi0 and eta).
    inclusive : InclusiveDaughters or None
        Set for an inclusive hadronic final state (:data:`INCLUSIVE`).
    """

    p4: list
    kinds: tuple
    charges: tuple
    weight: np.ndarray
    visible_fraction: float
    inclusive: InclusiveDaughters | None = None
    """Per-decay kinds and charges of an inclusive final state (slots of ``p4``, empty ones zero);
    ``kinds`` and ``charges`` are then placeholders (``"h"``, 0)."""


def final_state_threshold(final_state: str) -> float:
    """Sum of the primary-daughter masses (MeV) of ``final_state``; for an inclusive one, the lowest
    mass of its library (:func:`na62lab.generation.dump.hadronic_decays.channel_threshold`)."""
    if final_state in INCLUSIVE:
        return max(channel_threshold(c) for c in INCLUSIVE[final_state])
    if final_state in SEMILEPTONIC_INCLUSIVE:
        return channel_threshold("uu")
    require(final_state in _PRIMARY, "final_state", final_state, f"one of {list(_PRIMARY)}")
    return sum(_mass(k) for k in _PRIMARY[final_state])


def _mass(kind: str) -> float:
    if kind in ("gamma", "nu"):
        return 0.0
    if kind == "rho":
        return mass("rho(770)+")
    return mass(_CHARGED.get(kind, kind))


def _charges(kinds: tuple[str, ...]) -> list[int]:
    out, sign = [], 1
    for k in kinds:
        if k in _CHARGED:
            out.append(sign)
            sign = -sign
        else:
            out.append(0)
    return out


def _two_body(fip_p4, kinds, rng, polarised):
    cos_t = None
    if polarised and kinds[0] in ("e", "mu"):
        cos_t = _one_plus_cos2(fip_p4.shape[0], rng)
    return list(two_body_decay(fip_p4, _mass(kinds[0]), _mass(kinds[1]), rng, cos_theta=cos_t))


def _one_plus_cos2(n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw cos(theta) from 1 + cos^2(theta) on [-1, 1] (inverse CDF, Cardano)."""
    u = rng.random(n)
    # CDF: (c^3/3 + c + 4/3) / (8/3) = u  ->  c^3 + 3c + 4 - 8u = 0
    q = 4.0 - 8.0 * u
    d = np.sqrt(q * q / 4.0 + 1.0)
    return np.cbrt(-q / 2.0 + d) + np.cbrt(-q / 2.0 - d)


def _four_body(fip_p4, masses, rng):
    """Flat four-body phase space by (m12, m34) sampling with weights.

    dPhi4 ~ dm12^2 dm34^2 Phi2(M; m12, m34) Phi2(m12; m1, m2) Phi2(m34; m3, m4)
    with Phi2(M; a, b) ~ p*(M; a, b) / M (PDG Kinematics review Eq. 49.19 and
    the recursive factorisation of n-body phase space, e.g. F. James,
    CERN 68-15).  Returns the daughters and the phase-space weight.
    """
    n = fip_p4.shape[0]
    big_m = np.sqrt(np.maximum(fip_p4[:, 0] ** 2 - np.sum(fip_p4[:, 1:] ** 2, axis=1), 0.0))
    m1, m2, m3, m4 = masses
    lo12, hi12 = m1 + m2, big_m - m3 - m4
    m12 = np.sqrt(rng.uniform(lo12**2, hi12**2))
    lo34, hi34 = m3 + m4, big_m - m12
    u = rng.random(n)
    m34 = np.sqrt(lo34**2 + u * (hi34**2 - lo34**2))
    w = (np.nan_to_num(two_body_momentum(big_m, m12, m34)) / big_m
         * np.nan_to_num(two_body_momentum(m12, m1, m2)) / m12
         * np.nan_to_num(two_body_momentum(m34, m3, m4)) / m34 * (hi34**2 - lo34**2))
    a, b = two_body_decay(fip_p4, m12, m34, rng)
    p1, p2 = two_body_decay(a, m1, m2, rng)
    p3, p4 = two_body_decay(b, m3, m4, rng)
    return [p1, p2, p3, p4], w / max(float(w.mean()), 1e-300)


def _primary(final_state, fip_p4, rng, polarised):
    kinds = _PRIMARY[final_state]
    masses = [_mass(k) for k in kinds]
    if len(kinds) == 2:
        return _two_body(fip_p4, kinds, rng, polarised), np.ones(fip_p4.shape[0])
    if len(kinds) == 3:
        return list(three_body_phase_space(fip_p4, *masses, rng)), np.ones(fip_p4.shape[0])
    return _four_body(fip_p4, masses, rng)


def _invisible(final_state, fip_p4, rng):
    """Three-body decay with a neutrino, importance-sampled (:mod:`na62lab.generation.dump.invisible_decays`)."""
    kinds = _PRIMARY[final_state]
    return three_body_invisible(fip_p4, tuple(_mass(k) for k in kinds), kinds.index("nu"), rng)


CHARGE_MODES: dict[str, dict[str, float]] = {
    "KKpi": {"K+K-pi0": 1.0 / 6.0, "K+-K0pi-+": 2.0 / 3.0},
    "4pi": {"pi+pi-pi0pi0": 0.5, "2pi+2pi-": 0.5},
}
"""Default shares of a channel's width in its generated charge modes with charged tracks from the vertex, for
``charged_tracks`` (a model gives its own, :meth:`na62lab.fips.base.FIPModel.charged_track_modes`).
K Kbar pi of an isoscalar: K+ K- pi0 : K0 K0bar pi0 : K+ K0bar pi- : K- K0 pi+ = 1 : 1 : 2 : 2 (I = 0 K Kbar pi
through K K*: |<K+ pi-|K*0>|^2 = 2/3, |<K0 pi0|K*0>|^2 = 1/3 and the I = 0 K Kbar* combination; the isoscalar
part of the K K* model of arXiv:1911.11147 gives these shares, :data:`na62lab.fips.vector_exclusive._KKPI_MODES`),
K0 K0bar pi0 having no charged track from the vertex.  4 pi: pi+ pi- 2 pi0 and 2 pi+ 2 pi- equal (the
:meth:`na62lab.fips.base.FIPModel.final_state_fraction` default, about equal in e+e- data near 1.5 GeV, BaBar
arXiv:1201.5677, arXiv:1709.01171)."""

_MODE_DAUGHTERS: dict[str, tuple[tuple[str, int], ...]] = {
    "K+K-pi0": (("K", 1), ("K", -1), ("pi0", 0)),
    "K+-K0pi-+": (("K", 1), ("K0", 0), ("pi", -1)),
    "pi+pi-pi0pi0": (("pi", 1), ("pi", -1), ("pi0", 0), ("pi0", 0)),
    "2pi+2pi-": (("pi", 1), ("pi", -1), ("pi", 1), ("pi", -1)),
}
"""Daughters (kind, charge) of each charge mode of :data:`CHARGE_MODES`; pi0 -> gamma gamma, the K0 is not
visible."""


def decay_charge_modes(final_state: str, fip_p4: np.ndarray, rng: np.random.Generator,
                       shares: dict | None = None) -> VisibleDecay:
    """Decays of ``KKpi`` or ``4pi`` in their charge modes with charged tracks from the vertex, for
    ``charged_tracks``: each decay's mode drawn in proportion to ``shares`` (mode -> share of the width;
    None: :data:`CHARGE_MODES`), the charges of a decay conjugated with probability 1/2.

    Slots: the charged daughters first, then the photons of the pi0s (empty slots zero).  The K0 of
    K+- K0 pi-+ is not visible (APPROXIMATION, conservative: a K_S -> pi+ pi- makes a displaced vertex, not
    counted; a K_L leaves the decay volume).  Flat three- and four-body phase space as ``KKpi`` and ``4pi``
    (four-body weights in :attr:`VisibleDecay.weight`, mean 1 within each mode); a mode closed at this mass
    (e.g. K+ K0 pi- below 1130.9 MeV) leaves its decays empty (not selected).

    Parameters
    ----------
    final_state : {"KKpi", "4pi"}
    fip_p4 : ndarray (N, 4)
        FIP lab four-momenta (MeV), all of one mass above the lightest mode's threshold.
    rng : numpy.random.Generator
    shares : dict, optional
        Mode -> share (dimensionless, normalised here).

    Returns
    -------
    VisibleDecay
        With :attr:`VisibleDecay.inclusive` set (per-decay kinds and charges).
    """
    fip_p4 = np.atleast_2d(fip_p4)
    n = fip_p4.shape[0]
    names = list(shares or CHARGE_MODES[final_state])
    w = np.array([max(float((shares or CHARGE_MODES[final_state])[k]), 0.0) for k in names])
    require(all(k in _MODE_DAUGHTERS for k in names) and w.sum() > 0, "shares", shares,
            f"positive shares of the modes {list(CHARGE_MODES[final_state])}")
    mode = rng.choice(len(names), size=n, p=w / w.sum())
    sign = np.where(rng.random(n) < 0.5, 1, -1)
    width = max(sum(2 if k == "pi0" else k != "K0" for k, _ in _MODE_DAUGHTERS[name]) for name in names)
    slots = [np.zeros((n, 4)) for _ in range(width)]
    codes, charges = np.zeros((n, width), np.int8), np.zeros((n, width), np.int8)
    weight = np.ones(n)
    for i, name in enumerate(names):
        rows = np.flatnonzero(mode == i)
        daughters = _MODE_DAUGHTERS[name]
        masses = [mass("K0") if k == "K0" else _mass(k) for k, _ in daughters]
        if not rows.size or _fip_mass(fip_p4) <= sum(masses) * (1 + 1e-9):
            continue
        if len(masses) == 3:
            p4s = list(three_body_phase_space(fip_p4[rows], masses[0], masses[1], masses[2], rng))
        else:
            p4s, weight[rows] = _four_body(fip_p4[rows], masses, rng)
        visible = [(p, k, q * sign[rows]) for p, (k, q) in zip(p4s, daughters) if k in _CHARGED]
        for p, (k, _) in zip(p4s, daughters):
            if k == "pi0":
                visible += [(g, "gamma", np.zeros(rows.size, int)) for g in two_body_decay(p, 0.0, 0.0, rng)]
        for j, (p, k, q) in enumerate(visible):
            slots[j][rows], codes[rows, j], charges[rows, j] = p, KIND_CODES.index(k), q
    return VisibleDecay(slots, ("h",) * width, (0,) * width, weight, 1.0, InclusiveDaughters(codes, charges))


def decay_mixture(model, final_state: str, mass: float, charged_tracks: bool = False) -> dict | None:
    """What :func:`decay_visible` draws ``final_state`` from at ``mass`` (MeV) for ``model``: with
    ``charged_tracks`` the charge-mode shares of ``KKpi`` and ``4pi`` (the model's
    ``charged_track_modes``, :meth:`na62lab.fips.base.FIPModel.charged_track_modes`, else
    :data:`CHARGE_MODES`), otherwise :func:`inclusive_mixture`."""
    if charged_tracks and final_state in CHARGE_MODES:
        modes = getattr(model, "charged_track_modes", None)
        got = modes(final_state, mass) if callable(modes) else None
        return {k: float(np.asarray(v)) for k, v in got.items()} if got else dict(CHARGE_MODES[final_state])
    return inclusive_mixture(model, final_state, mass)


def _fip_mass(fip_p4: np.ndarray) -> float:
    """Invariant mass (MeV) of the first of FIPs ``fip_p4`` (N, 4), all of one mass."""
    return float(np.sqrt(max(fip_p4[0, 0] ** 2 - np.sum(fip_p4[0, 1:] ** 2), 0.0)))


def decay_visible(final_state: str, fip_p4: np.ndarray, rng: np.random.Generator,
                  polarised: bool = False, mixture: dict | None = None,
                  collinear_neutrino: bool = False, charged_tracks: bool = False) -> VisibleDecay:
    """Decay FIPs into ``final_state`` and return the visible daughters.

    Parameters
    ----------
    final_state : str
        One of ``ee, mumu, pipi, KK, gammagamma, pipigamma, 3pi, KKpi, pipieta, 4pi``, an HNL
        state ``pie, pimu, Ke, Kmu, rhoe, rhomu, emunu, nuee, numumu`` or an inclusive one
        (:data:`INCLUSIVE`).
    fip_p4 : ndarray (N, 4)
        FIP lab four-momenta (MeV), all of one mass above the threshold.
    rng : numpy.random.Generator
    polarised : bool
        Transversely polarised vector FIP (1 + cos^2 for the dileptons and the inclusive pair axis).
    mixture : dict, optional
        Parts of an inclusive final state (:func:`inclusive_mixture`): required for a semileptonic one;
        for a hadronic one they replace its :data:`INCLUSIVE` channels (None: those).
    collinear_neutrino : bool
        ``emunu``, ``nuee``, ``numumu``: draw the neutrino preferably with a small momentum transverse to the
        FIP flight line, with importance weights in ``weight``
        (:func:`na62lab.generation.dump.invisible_decays.three_body_invisible`; same distribution in
        expectation): for selections with a pointing cut.  Other final states ignore it.
    charged_tracks : bool
        For a selection that counts charged tracks only (card ``selection.exclusive_rule`` =
        ``charged_tracks``): visible fraction 1 (any pi0 or eta decay counts) and ``KKpi``, ``4pi`` in their
        charge modes with charged tracks from the vertex (:func:`decay_charge_modes`, shares ``mixture`` as
        given by :func:`decay_mixture`).

    Returns
    -------
    VisibleDecay
    """
    if final_state in INCLUSIVE or final_state in SEMILEPTONIC_INCLUSIVE:
        if final_state in INCLUSIVE:
            p4s, inc = decay_inclusive(mixture or INCLUSIVE[final_state], fip_p4, rng, polarised)
        else:
            require(mixture is not None, "mixture", mixture, f"the parts of {final_state} (inclusive_mixture)")
            p4s, inc = decay_lepton_hadrons(mixture or {}, fip_p4, rng)
        n = inc.codes.shape[0]
        return VisibleDecay(p4s, ("h",) * len(p4s), (0,) * len(p4s), np.ones(n), 1.0, inc)
    require(final_state in _PRIMARY, "final_state", final_state, f"one of {list(_PRIMARY) + list(INCLUSIVE)}")
    if charged_tracks and final_state in CHARGE_MODES:
        return decay_charge_modes(final_state, fip_p4, rng, mixture)
    daughters, weight = (_invisible(final_state, np.atleast_2d(fip_p4), rng)
                         if collinear_neutrino and final_state in NEUTRINO_FINAL_STATES
                         else _primary(final_state, np.atleast_2d(fip_p4), rng, polarised))
    p4, vis_kinds, frac = [], [], 1.0
    todo = list(zip(_PRIMARY[final_state], daughters))
    while todo:
        k, d = todo.pop(0)
        if k in _INTERMEDIATE:
            a, b = _INTERMEDIATE[k]
            todo = list(zip((a, b), two_body_decay(d, _mass(a), _mass(b), rng))) + todo
            frac *= {"pi0": BR_PI0_GG, "eta": BR_ETA_GG}.get(k, 1.0)
        elif k != "nu":
            p4.append(d)
            vis_kinds.append(k)
    kinds = tuple(vis_kinds)
    return VisibleDecay(p4, kinds, tuple(_charges(kinds)), weight, 1.0 if charged_tracks and any(
        k in _CHARGED for k in kinds) else frac)
