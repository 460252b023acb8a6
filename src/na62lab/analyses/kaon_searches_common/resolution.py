"""Missing-mass resolution, momentum-window acceptance and boosts of P+ -> d+ X decays.

A small Monte Carlo of two-body decays P+ -> d+ X (P = K+ or pi+ of the
75 GeV/c beam, d = pi+, mu+ or e+) measures, at a few mass nodes:

* the resolution of the reconstructed observable, squared missing mass
  m_miss^2 = (P_P - P_d)^2 (MeV^2) or its square root (MeV), when the beam
  track (GTK) and the daughter track (STRAW) are smeared with the published
  resolutions of the card's :class:`~na62lab.config.searches.Smearing`
  (GTK sigma_p/p and slope sigma; STRAW sigma_p/p = a (+) b p and
  sigma_theta = c (+) d / p; NA62 detector paper, JINST 12 (2017) P05025,
  Secs. 4-5);
  or, with ``resolution.x_daughters`` (X -> mu+ mu-), of the invariant mass of
  the two X daughter tracks (:mod:`.daughter_mass`);
* the probability that the daughter momentum lies in the selection window;
* quantiles of the X lab momentum among accepted decays (for lifetimes).

Results at the nodes are interpolated linearly in mass, so they are smooth
in the scan.  Approximate: Gaussian smearing only (no multiple-scattering
tails, no pattern-recognition losses), the detector geometric acceptance is
in the card's acceptance, not here.  Decay kinematics: PDG Kinematics review,
Eq. 49.17 (two-body momentum), isotropic in the parent rest frame.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from na62lab.analyses.kaon_searches_common import daughter_mass as dm
from na62lab.config.searches import NA62_BEAM_MOMENTUM_GEV, Resolution, Smearing
from na62lab.errors import InputError
from na62lab.physics.kinematics import boost_to_lab, invariant_mass2, isotropic_directions, two_body_momentum
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV, urad

N_QUANTILES = 12
MAX_NODES = 40
PAIR_DECAYS = 4
"""X -> d+ d- decays per selected X for the daughter-pair mass resolution (the tracks are cheap; about 1 % on
sigma per node instead of 2-3 %), and X -> gamma gamma decays per selected X for the photon-pair acceptance
(``x_photons``, :func:`_photon_pair_fraction`)."""


@dataclass
class ResolutionModel:
    """Node tables (masses in MeV) and their interpolation.

    ``sigma_mass`` (MeV) and ``sigma_mmiss2`` (MeV^2) are the Gaussian-equivalent
    widths (half the 16-84 % interval) of the reconstructed mass and squared
    missing mass; ``acceptance`` the daughter-momentum-window acceptance;
    ``p_quantiles`` (nodes, Q) the X lab momentum quantiles (MeV).
    """

    nodes: np.ndarray
    sigma_mass: np.ndarray
    sigma_mmiss2: np.ndarray
    acceptance: np.ndarray
    p_quantiles: np.ndarray

    def at(self, table: np.ndarray, masses: np.ndarray) -> np.ndarray:
        """Linear interpolation of a node table at ``masses`` (MeV)."""
        m = np.asarray(masses, dtype=float)
        if self.nodes.size == 1:
            return np.broadcast_to(table[0], m.shape + table.shape[1:]).copy()
        if table.ndim == 1:
            return np.interp(m, self.nodes, table)
        return np.stack([np.interp(m, self.nodes, table[:, q]) for q in range(table.shape[1])], axis=-1)

    def acceptance_at(self, masses: np.ndarray) -> np.ndarray:
        """A(m): the simulated acceptance at true masses (MeV), interpolated between the nodes; the one A(m)
        of the signal and of the selected SM spectra (:func:`~.spectra.selected_mass_density`)."""
        return self.at(self.acceptance, masses)

    def sigma(self, masses: np.ndarray, observable: str) -> np.ndarray:
        """Resolution at ``masses`` (MeV) in internal observable units (MeV or MeV^2)."""
        return self.at(self.sigma_mmiss2 if observable == "mmiss2_gev2" else self.sigma_mass, masses)


def mass_nodes(lo: float, hi: float, n_max: int = MAX_NODES, both_ends: bool = False) -> np.ndarray:
    """Mass nodes (MeV) covering [lo, hi], denser towards ``hi`` (the kinematic endpoint, where the
    resolution and the acceptance change fastest): u -> lo + (hi - lo) sin(pi u / 2); with ``both_ends``
    also towards ``lo`` (a daughter-pair mass, whose resolution rises steeply from 0 at the pair threshold):
    u -> lo + (hi - lo) (1 - cos(pi u)) / 2."""
    if hi - lo < 1e-9:
        return np.array([lo])
    n = int(np.clip(np.ceil((hi - lo) / 5.0) + 1, 2, n_max))
    u = np.linspace(0.0, 1.0, n)
    return lo + (hi - lo) * (0.5 * (1.0 - np.cos(np.pi * u)) if both_ends else np.sin(0.5 * np.pi * u))


def _smear_track(p3: np.ndarray, dp: np.ndarray, dtheta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Smear momentum magnitude (relative sigma ``dp``) and slopes (sigma ``dtheta``, rad) of (N, 3) MeV."""
    p = np.linalg.norm(p3, axis=1)
    tx = p3[:, 0] / p3[:, 2] + dtheta * rng.standard_normal(p.size)
    ty = p3[:, 1] / p3[:, 2] + dtheta * rng.standard_normal(p.size)
    p_new = p * (1.0 + dp * rng.standard_normal(p.size))
    pz = p_new / np.sqrt(1.0 + tx**2 + ty**2)
    return np.column_stack([tx * pz, ty * pz, pz])


def _four(p3: np.ndarray, m: float) -> np.ndarray:
    return np.column_stack([np.sqrt(np.sum(p3**2, axis=1) + m * m), p3])


def _beam(smear: Smearing, m_parent: float, n: int, rng: np.random.Generator) -> np.ndarray:
    p = smear.beam_momentum_gev * GeV * (1.0 + smear.beam_momentum_bite * rng.standard_normal(n))
    tx, ty = (smear.beam_divergence_urad * urad * rng.standard_normal(n) for _ in range(2))
    pz = p / np.sqrt(1.0 + tx**2 + ty**2)
    return _four(np.column_stack([tx * pz, ty * pz, pz]), m_parent)


def _decay(parent: np.ndarray, m_parent: float, m_d: float, m_x: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """Isotropic two-body decays with per-event X masses; lab four-momenta of d and X (MeV)."""
    p_star = two_body_momentum(m_parent, m_d, m_x)
    u = isotropic_directions(m_x.size, rng) * p_star[:, None]
    d_rest = np.column_stack([np.sqrt(p_star**2 + m_d**2), u])
    x_rest = np.column_stack([np.sqrt(p_star**2 + m_x**2), -u])
    return boost_to_lab(d_rest, parent), boost_to_lab(x_rest, parent)


def _robust_sigma(values: np.ndarray, weights_ok: np.ndarray) -> np.ndarray:
    """Half the 16-84 % interval per row, over the accepted entries."""
    v = np.where(weights_ok, values, np.nan)
    q16, q84 = np.nanpercentile(v, [15.865, 84.135], axis=1)
    return 0.5 * (q84 - q16)


def _straw_smear(smear: Smearing, p3: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """STRAW-smeared momenta (N, 3) MeV: sigma_p/p = a (+) b p, sigma_theta = c (+) d / p (JINST 12 (2017)
    P05025, Sec. 4; the terms of ``smear``)."""
    p_gev = np.linalg.norm(p3, axis=1) / GeV
    dp = np.hypot(smear.straw_dp_const, smear.straw_dp_per_gev * p_gev)
    dth = np.hypot(smear.straw_angle_const_urad, smear.straw_angle_ms_urad_gev / p_gev) * urad
    return _smear_track(p3, dp, dth, rng)


def _smeared_pair_mass(smear: Smearing, x4: np.ndarray, x_daughters: str, rng: np.random.Generator) -> np.ndarray:
    """m(d+ d-) (MeV) of isotropic X -> d+ d- decays of ``x4`` (N, 4) with both tracks STRAW-smeared."""
    m_l = dm.daughter_mass(x_daughters)
    plus, minus = dm.decay_x(x4, m_l, rng)
    return dm.pair_mass(_straw_smear(smear, plus[:, 1:], rng), _straw_smear(smear, minus[:, 1:], rng), m_l)


def simulate_resolution(smear: Smearing, parent: str, daughter: str, nodes, momentum_window_gev,
                        rng: np.random.Generator, x_daughters: str | None = None) -> ResolutionModel:
    """Simulate P+ -> d+ X at the mass ``nodes`` (MeV) and measure resolutions and acceptances.

    Parameters
    ----------
    smear : Smearing
        Beam and tracker resolutions.
    parent, daughter : str
        ``"K+"`` or ``"pi+"``; ``"pi+"``, ``"mu+"`` or ``"e+"``.
    nodes : array_like
        X masses (MeV), below m_parent - m_daughter.
    momentum_window_gev : (float, float)
        Accepted daughter momentum range (GeV/c).
    rng : numpy.random.Generator
    x_daughters : str, optional
        ``"mu+mu-"`` (or ``"e+e-"``): the mass is m(d+ d-) of the two smeared X daughter tracks
        (:mod:`.daughter_mass`); ``None``: the missing mass.

    Returns
    -------
    ResolutionModel
    """
    nodes = np.atleast_1d(np.asarray(nodes, dtype=float))
    n = smear.events_per_mass
    m_p, m_d = pdg_mass(parent), pdg_mass(daughter)
    m_x = np.repeat(nodes, n)
    beam = _beam(smear, m_p, m_x.size, rng)
    d4, x4 = _decay(beam, m_p, m_d, m_x, rng)
    p_d = np.linalg.norm(d4[:, 1:], axis=1)
    ok = (p_d >= momentum_window_gev[0] * GeV) & (p_d <= momentum_window_gev[1] * GeV)
    beam_r = _four(_smear_track(beam[:, 1:], np.full(m_x.size, smear.gtk_dp_over_p),
                                np.full(m_x.size, smear.gtk_angle_urad * urad), rng), m_p)
    d_r = _four(_straw_smear(smear, d4[:, 1:], rng), m_d)
    m2 = invariant_mass2(beam_r - d_r).reshape(nodes.size, n)
    if x_daughters is not None:
        m2 = _smeared_pair_mass(smear, x4, x_daughters, rng).reshape(nodes.size, n) ** 2
    ok2 = ok.reshape(nodes.size, n)
    true2 = (nodes**2)[:, None]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        s_m2 = _robust_sigma(m2 - true2, ok2 & np.isfinite(m2))
        s_m = _robust_sigma(np.sqrt(np.clip(m2, 0.0, None)) - nodes[:, None], ok2 & np.isfinite(m2))
    acc = ok2.mean(axis=1)
    p_x = np.linalg.norm(x4[:, 1:], axis=1).reshape(nodes.size, n)
    qs = (np.arange(N_QUANTILES) + 0.5) / N_QUANTILES * 100.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        p_q = np.nanpercentile(np.where(ok2 & (acc[:, None] > 0), p_x, np.nan), qs, axis=1).T
    s_m, s_m2, p_q = _fill_empty(acc, s_m, s_m2, p_q)
    return ResolutionModel(nodes, s_m, s_m2, acc, p_q)


def _fill_empty(acc: np.ndarray, *tables: np.ndarray) -> list[np.ndarray]:
    """Copy the nearest node with accepted decays into nodes without any (their acceptance stays 0)."""
    good = np.flatnonzero(acc > 0)
    if good.size == 0:
        raise InputError("mass", None, "masses with daughters inside the momentum window (none accepted)")
    nearest = good[np.abs(np.arange(acc.size)[:, None] - good[None, :]).argmin(axis=1)]
    return [t[nearest] for t in tables]


def table_resolution(table, observable: str, nodes, acceptance: float = 1.0) -> ResolutionModel:
    """A :class:`ResolutionModel` from (mass MeV, sigma) nodes in observable units.

    The X momentum quantiles assume the collinear two-body kinematics of a
    75 GeV/c beam with the daughter taking a uniform share of the momentum
    (APPROXIMATE; used only for lifetimes when no simulation is run).
    """
    t = np.asarray(table, dtype=float)
    nodes = np.atleast_1d(np.asarray(nodes, dtype=float))
    sig = np.interp(nodes, t[:, 0], t[:, 1]) if t.shape[0] > 1 else np.full(nodes.shape, t[0, 1])
    scale = GeV * GeV if observable == "mmiss2_gev2" else 1.0
    sig = sig * scale
    safe = np.maximum(nodes, 1e-9)
    s_mass = sig if observable == "mass_mev" else np.where(nodes > 0, sig / (2 * safe), np.sqrt(sig))
    s_m2 = sig if observable == "mmiss2_gev2" else 2 * safe * sig
    frac = (np.arange(N_QUANTILES) + 0.5) / N_QUANTILES
    p_q = np.tile(NA62_BEAM_MOMENTUM_GEV * GeV * (0.2 + 0.6 * frac), (nodes.size, 1))
    return ResolutionModel(nodes, s_mass, s_m2, np.full(nodes.shape, acceptance), p_q)


def card_resolution(resolution: Resolution, parent: str, daughter: str, observable: str, nodes,
                    momentum_window_gev) -> ResolutionModel:
    """The :class:`ResolutionModel` of a search card's ``resolution`` block at the mass ``nodes`` (MeV).

    ``table``: :func:`table_resolution`; ``kaon_sim``: the kaon fast simulation of the card's
    ``resolution.kaon_card`` (:func:`simulate_resolution_kaon_sim`); ``simulated``: the smearing model
    (:func:`simulate_resolution`).  The simulations draw from ``resolution.smearing.seed``.  With
    ``resolution.x_daughters`` the resolution is that of the X daughters' invariant mass (:mod:`.daughter_mass`);
    with ``resolution.x_photons`` the acceptance requires both photons of X -> gamma gamma in the LKr
    (:mod:`.x_photons`).
    """
    if resolution.source == "table":
        return table_resolution(resolution.table, observable, nodes)
    rng = np.random.default_rng(resolution.smearing.seed)
    if resolution.source == "kaon_sim":
        return simulate_resolution_kaon_sim(parent, daughter, nodes, momentum_window_gev, rng,
                                            resolution.smearing.events_per_mass, resolution.kaon_card,
                                            resolution.x_daughters, resolution.x_photons)
    return simulate_resolution(resolution.smearing, parent, daughter, nodes, momentum_window_gev, rng,
                               resolution.x_daughters)


KAON_SIM_MODES = {"pi+": ("pi_X", "m_x"), "mu+": ("mu_N", "m_n"), "e+": ("e_N", "m_n")}
"""Two-body new-physics modes of the kaon fast simulation, by daughter."""


def simulate_resolution_kaon_sim(parent: str, daughter: str, nodes, momentum_window_gev, rng: np.random.Generator,
                                 events_per_mass: int = 3000, kaon_card=None,
                                 x_daughters: str | None = None, x_photons: bool = False) -> ResolutionModel:
    """The same tables from the kaon fast simulation (beam, decay, detector response, GTK matching).

    Runs the chain of ``na62lab simulate kaon``
    (:func:`na62lab.yields.kaon_chain.simulate_decays`: beam and K+ -> d+ X
    decays, STRAW track with scattering, LKr acceptance;
    :func:`~na62lab.yields.kaon_chain.match_tracks`: GTK track, accidental
    beam particles, m_miss^2 with the daughter mass) with the beam and
    detector of ``kaon_card`` (a :class:`~na62lab.config.kaon.KaonCard`, a
    shipped card name or a YAML file; the shipped ``na62_kaon_2021_22`` by
    default).  The acceptance here includes the STRAW/LKr geometry and the
    correct GTK association, not only the momentum window.  K+ parents only
    (the matching computes m_miss^2 with the kaon mass).  With ``x_daughters``
    (``"mu+mu-"``) the resolutions are those of m(mu+ mu-) from the two muon
    tracks of the X of the same selected events
    (:func:`~.daughter_mass.measured_pair_mass`), and the acceptance is the
    selected-pi+ fraction times the fraction of those X whose two daughters are
    both inside the track acceptance and pass the track chi2 cut (the three
    tracks of the published selection; NA62, JHEP 11 (2022) 011, Sec. 3).
    That fraction falls from 0.64 at 214 MeV to 0.43 at 300 MeV: near threshold
    the pair follows the X direction, at larger masses one daughter more often
    misses the STRAW/LKr/MUV apertures or enters the beam hole.  With
    ``x_photons`` the acceptance is the selected-pi+ fraction times the mean
    product of the LKr weights of the two photons of X -> gamma gamma of the
    same selected events, ``PAIR_DECAYS`` decays each
    (:func:`~.x_photons.photon_weights`: LKr reached and seen, cluster
    acceptance, not merged with the pi+ cluster): 0.49 at 220 MeV, 0.42 at
    260, 0.40 at 300, 0.38 at 340 (the a -> gamma gamma opening angle, 2 m/E
    at least, grows with the mass and sends a photon past the octagon or into
    a LAV station more often).
    """
    from na62lab.detector.params import detector_params, veto_tables
    from na62lab.yields.kaon_chain import kaon_card as load_kaon_card
    from na62lab.yields.kaon_chain import simulate_decays

    if parent != "K+":
        raise InputError("resolution source", "kaon_sim", "K+ parents only (use 'simulated' for pi+ decays)")
    nodes = np.atleast_1d(np.asarray(nodes, dtype=float))
    card = load_kaon_card(kaon_card)
    mode, key = KAON_SIM_MODES[daughter]
    n = events_per_mass
    s_m2, s_m, acc = (np.full(nodes.size, np.nan) for _ in range(3))
    p_q = np.full((nodes.size, N_QUANTILES), np.nan)
    params, tables = detector_params(card), veto_tables(card)
    rng_pairs = rng.spawn(1)[0]   # own stream (the seed's child): the missing-mass tables stay as without pairs
    for i, mass in enumerate(nodes):   # loop over a few mass nodes; each step is vectorised over decays
        options: dict[str, Any] = {key: float(mass)}
        sample = simulate_decays(card, mode, n, rng, params, tables, **options)
        s_m2[i], s_m[i], acc[i], p_q[i], rows = _node_tables(sample, mass, pdg_mass(daughter), momentum_window_gev,
                                                            rng)
        if x_daughters is not None and rows.size >= 20:
            s_m2[i], s_m[i], pair_acc = _pair_sigmas(sample, rows, mass, x_daughters, params, rng_pairs)
            acc[i] *= pair_acc
        if x_photons and rows.size:
            acc[i] *= _photon_pair_fraction(sample, rows, params, rng_pairs)
    acc = np.where(np.isfinite(s_m2), acc, 0.0)
    s_m, s_m2, p_q = _fill_empty(acc, s_m, s_m2, p_q)
    return ResolutionModel(nodes, s_m, s_m2, acc, p_q)


def _node_tables(sample, mass: float, m_d: float, window_gev, rng: np.random.Generator):
    """Resolutions (MeV^2, MeV), acceptance, X momentum quantiles (MeV) and the selected rows of one mass node of
    the chain (tracks with the daughter in the STRAW/LKr acceptance and the momentum window, correctly matched to
    the GTK); NaN resolutions and quantiles (and no rows) below 20 accepted decays."""
    from na62lab.yields.kaon_chain import match_tracks

    resp, n = sample.response, sample.final_state.n
    with np.errstate(invalid="ignore"):
        ok = resp.has_track & resp.in_lkr & (resp.p >= window_gev[0] * GeV) & (resp.p <= window_gev[1] * GeV)
    j = np.flatnonzero(ok)
    match = match_tracks(sample, j, rng, mass_hypothesis=m_d)
    good = match.matched_true & np.isfinite(match.mmiss2)
    nan_q = np.full(N_QUANTILES, np.nan)
    if good.sum() < 20:
        return np.nan, np.nan, good.sum() / n, nan_q, j[:0]
    m2 = match.mmiss2[good]
    s_m2 = 0.5 * np.diff(np.percentile(m2 - mass**2, [15.865, 84.135]))[0]
    s_m = 0.5 * np.diff(np.percentile(np.sqrt(np.clip(m2, 0, None)) - mass, [15.865, 84.135]))[0]
    qs = (np.arange(N_QUANTILES) + 0.5) / N_QUANTILES * 100.0
    p_q = np.percentile(np.linalg.norm(sample.final_state.slots[1].p4[j[good], 1:], axis=1), qs)
    return s_m2, s_m, good.sum() / n, p_q, j[good]


def _pair_sigmas(sample, rows: np.ndarray, mass: float, x_daughters: str, params, rng: np.random.Generator):
    """Half the 16-84 % intervals of m(d+ d-)^2 - m^2 (MeV^2) and m(d+ d-) - m (MeV) of the X of ``rows``, each
    decayed ``PAIR_DECAYS`` times (:func:`~.daughter_mass.measured_pair_mass`, from the kaon vertex), and the
    fraction of those decays with both daughters measured (track acceptance and chi2 cut); NaN widths below 20
    measured pairs."""
    rows = np.repeat(rows, PAIR_DECAYS)
    m = dm.measured_pair_mass(sample.final_state.slots[1].p4[rows], sample.beam.vertex[rows], x_daughters, params,
                              sample.tables, rng)
    ok = np.isfinite(m)
    m = m[ok]
    if m.size < 20:
        return np.nan, np.nan, float(ok.mean())
    half = [0.5 * np.diff(np.percentile(v, [15.865, 84.135]))[0] for v in (m * m - mass**2, m - mass)]
    return half[0], half[1], float(ok.mean())


def _photon_pair_fraction(sample, rows: np.ndarray, params, rng: np.random.Generator) -> float:
    """Mean over the X of ``rows``, each decayed ``PAIR_DECAYS`` times to gamma gamma from the kaon vertex, of the
    product of the two photons' LKr weights (:func:`~.x_photons.photon_weights`)."""
    from na62lab.analyses.kaon_searches_common.x_photons import photon_weights

    rows = np.repeat(rows, PAIR_DECAYS)
    slots = sample.final_state.slots
    w = photon_weights(slots[1].p4[rows], sample.beam.vertex[rows], slots[0].p4[rows], params, sample.tables, rng)
    return float(np.mean(w[:, 0] * w[:, 1]))
