"""Veto pass probability of K+ -> pi+ pi+ pi- events, averaged over the orientation of the undetected pion pair.

A K+ -> pi+ pi+ pi- decay passes the single-track selection when one pi+ is
the STRAW track and the other pi+ and the pi- cross fewer than four STRAW
chambers; its veto weight is the product of the two pions' miss
probabilities (:func:`~na62lab.detector.vetoes.charged_miss`).  That weight
is about 1e-13 when both pions cross the STRAW, NewCHOD and LKr, and of
order one when both leave through the beam holes, so a background estimate
from one decay orientation per event rests on a handful of heavy events.

Conditional Monte Carlo (Rao-Blackwellisation; Owen, *Monte Carlo theory,
methods and examples* (2013), Sec. 8.7), as in
:mod:`~na62lab.variance.pi0_orientation`: the kaon, the vertex and the track pi+
are held fixed; they fix the four-momentum P = p_K - p_track of the other
two pions and so their invariant mass.  Three-body phase space factorises
as dPhi_3 = dPhi_2(K -> track + P) dm_P^2 / (2 pi) dPhi_2(P -> pi+ pi-)
(recursive phase-space relation, PDG 2024 review "Kinematics", Sec. 49.4),
and dPhi_2(P -> pi+ pi-) is uniform in
the pi- direction in the pair rest frame, so given the kaon and the track
the pair orientation has the density

    rho(Omega*) ∝ |M(s1, s2, s3)|^2 = 1 + g u + h u^2 + k v^2

(the Dalitz density of :mod:`~na62lab.generation.kaon.matrix_elements`,
PDG 2024 K+ listing slopes; u, v linear in cos theta* at fixed s_track).
The selection (track measurement, GTK matching, PID) does not depend on
the orientation, but the single-track condition does: an orientation in
which the other pi+ or the pi- crosses all four chambers gives a second
track and the event is not selected.  The event entered the sample with
its drawn orientation in the set T of single-track orientations, so the
estimator needs E[w | T] (not E[w 1_T]):

    w_avg = mean of w over {drawn orientation} and the resampled orientations that fall in T,

with ``n`` orientations drawn from rho (accept-reject under a bound of the
Dalitz density).  Given which resamples fall in T, those are independent
draws from rho restricted to T, like the drawn one, so w_avg has the same
conditional expectation as the one-orientation weight: the estimator is
exactly unbiased (no ratio bias), event by event.  ``n = 0`` returns the
detector response's weight bit for bit.

Units: mm, MeV.
"""

from __future__ import annotations

import math

import numpy as np

from na62lab.detector.params import DetectorParams
from na62lab.detector.response import _find_track, _slot_path, veto_weight_call
from na62lab.generation.kaon.final_state import PION, FinalState, Slot
from na62lab.generation.kaon.matrix_elements import K3PI_CHARGED, k3pi_scalar
from na62lab.physics.fastrng import new_state, uniform
from na62lab.physics.particles import mass
from na62lab.physics.phase_space import boost_one, njit

PAIR_MODES: dict[str, tuple[int, int, int]] = {"pipipi": (0, 1, 2)}
"""Slots (pi+, pi+, pi-) of the modes :func:`averaged_pair_veto_weight` handles (layout of
:func:`~na62lab.generation.kaon.decays.k3pi_charged`, checked by the tests)."""

M_K, M_PI = mass("K+"), mass("pi+")


def dalitz_bound(g: float, h: float, k: float) -> float:
    """Upper bound of the K -> 3 pi Dalitz density 1 + g u + h u^2 + k v^2 over the whole Dalitz plot.

    u = (s3 - s0)/m_pi^2 with s3 in [4 m_pi^2, (m_K - m_pi)^2] (identical
    charged-pion masses), |v| <= (s3_max - 4 m_pi^2)/m_pi^2 (a loose bound of
    |s2 - s1|); the quadratic in u is maximal at an end of its range or at its
    vertex (PDG 2024 K+ listing, Dalitz-plot parametrisation).

    Examples
    --------
    >>> b = dalitz_bound(-0.21134, 0.0185, -0.00463)
    >>> 1.0 < b < 1.5
    True
    """
    m2 = M_PI**2
    s0 = (M_K**2 + 3.0 * m2) / 3.0
    s_lo, s_hi = 4.0 * m2, (M_K - M_PI) ** 2
    us = [(s_lo - s0) / m2, (s_hi - s0) / m2]
    if h < 0.0:
        vertex = -g / (2.0 * h)
        if us[0] < vertex < us[1]:
            us.append(vertex)
    v2 = ((s_hi - s_lo) / m2) ** 2
    return max(1.0 + g * u + h * u * u for u in us) + max(k, 0.0) * v2


@njit(inline="always")
def pair_decay(e, px, py, pz, m, cos_t, phi, out):
    """pi+ (row 0) and pi- (row 1) lab four-momenta (MeV) of a pair (e, px, py, pz) decaying to two pions of mass m.

    The pi- goes at polar angle arccos(cos_t), azimuth ``phi`` (rad) in the
    pair rest frame (axes parallel to the lab axes), each with momentum
    sqrt(m_pair^2/4 - m^2) there, and boosted to the lab (PDG 2024 review
    "Kinematics": two-body decay, Lorentz boost Eq. 49.3).
    """
    mp = math.sqrt(max(e * e - px * px - py * py - pz * pz, 4.0 * m * m))
    q = math.sqrt(max(0.25 * mp * mp - m * m, 0.0))
    s = math.sqrt(max(1.0 - cos_t * cos_t, 0.0))
    ux, uy, uz = q * s * math.cos(phi), q * s * math.sin(phi), q * cos_t
    g, gbx, gby, gbz = e / mp, px / mp, py / mp, pz / mp
    h = 0.5 * mp
    boost_one(out, np.int64(0), h, -ux, -uy, -uz, g, gbx, gby, gbz)
    boost_one(out, np.int64(1), h, ux, uy, uz, g, gbx, gby, gbz)


@njit(inline="always")
def _s(k, p):
    """(k - p)^2 in MeV^2 for four-vectors k, p (rows of length 4)."""
    e, x, y, z = k[0] - p[0], k[1] - p[1], k[2] - p[2], k[3] - p[3]
    return e * e - x * x - y * y - z * z


@njit(inline="always")
def _density(kaon, E, par):
    """K+ -> pi+ pi+ pi- Dalitz density at slots 0, 1 (pi+) and 2 (pi-) of the event copy ``E`` (3, 1, 4)."""
    return k3pi_scalar(_s(kaon, E[0, 0]), _s(kaon, E[1, 0]), _s(kaon, E[2, 0]), par[0], par[1], par[2], par[3],
                       par[4])


@njit(inline="always")
def _draw_orientation(kaon, pair, other, E, par, bound, st, scratch):
    """Put into slots ``other`` (pi+) and 2 (pi-) of ``E`` a pair orientation drawn from the Dalitz density."""
    while True:
        pair_decay(pair[0], pair[1], pair[2], pair[3], par[3], 2.0 * uniform(st) - 1.0, 2.0 * math.pi * uniform(st),
                   scratch)
        for c in range(4):
            E[other, 0, c] = scratch[0, c]
            E[2, 0, c] = scratch[1, c]
        if uniform(st) * bound < _density(kaon, E, par):
            return


@njit
def _track_slot(v, E, SPi, Qi, d):
    """:func:`~na62lab.detector.response._find_track` of the one-event copy (an ordinary compiled function,
    so the pair kernel's two calls share one compile instead of inlining the track search twice)."""
    return _find_track(0, v, E, SPi, Qi, d)


@njit
def _pair_kernel(vtx, P, SP, Q, n_draw, par, bound, d, tables, st):
    """Veto weight of every event averaged over ``n_draw`` pair orientations (0: the drawn one only)."""
    n_ev = vtx.shape[0]
    out = np.empty(n_ev)
    E = np.empty((3, 1, 4))
    SPi = np.empty((3, 1), np.int8)
    Qi = np.empty((3, 1), np.int8)
    skip = np.zeros(3, np.bool_)
    v = np.empty((1, 3))
    kaon, pair, scratch = np.empty(4), np.empty(4), np.empty((2, 4))
    for i in range(n_ev):
        for s in range(3):
            SPi[s, 0], Qi[s, 0] = SP[s, i], Q[s, i]
            for c in range(4):
                E[s, 0, c] = P[s, i, c]
        for c in range(3):
            v[0, c] = vtx[i, c]
        cand = _track_slot(v, E, SPi, Qi, d)
        if cand < 0 or cand == 2:
            out[i] = np.nan
            continue
        track = _slot_path(0, cand, v, E, Qi, d)
        total = veto_weight_call(np.int64(0), cand, track, v, E, SPi, Qi, d, tables, skip)
        used = 1
        other = 1 - cand
        for c in range(4):
            kaon[c] = P[0, i, c] + P[1, i, c] + P[2, i, c]
            pair[c] = P[other, i, c] + P[2, i, c]
        for _ in range(n_draw):
            _draw_orientation(kaon, pair, other, E, par, bound, st, scratch)
            if _track_slot(v, E, SPi, Qi, d) == cand:
                total += veto_weight_call(np.int64(0), cand, track, v, E, SPi, Qi, d, tables, skip)
                used += 1
        out[i] = total / used
    return out


@njit
def _reorient_kernel(P, track, par, bound, st):
    """Copy of P (3, N, 4) with the pair of every event re-oriented once (track slot ``track[i]`` kept)."""
    out = P.copy()
    E = np.empty((3, 1, 4))
    kaon, pair, scratch = np.empty(4), np.empty(4), np.empty((2, 4))
    for i in range(P.shape[1]):
        other = 1 - track[i]
        for c in range(4):
            for s in range(3):
                E[s, 0, c] = P[s, i, c]
            kaon[c] = P[0, i, c] + P[1, i, c] + P[2, i, c]
            pair[c] = P[other, i, c] + P[2, i, c]
        _draw_orientation(kaon, pair, other, E, par, bound, st, scratch)
        for c in range(4):
            out[other, i, c] = E[other, 0, c]
            out[2, i, c] = E[2, 0, c]
    return out


def _k3pi_parameters() -> tuple[np.ndarray, float]:
    """Compiled Dalitz parameters (g, h, k, m_pi, s0) of K+ -> pi+ pi+ pi- and the density bound."""
    g, h, k = K3PI_CHARGED["g"], K3PI_CHARGED["h"], K3PI_CHARGED["k"]
    return np.array([g, h, k, M_PI, (M_K**2 + 3.0 * M_PI**2) / 3.0]), dalitz_bound(g, h, k)


def _check_mode(final_state: FinalState, rows: np.ndarray) -> list:
    if final_state.mode not in PAIR_MODES:
        raise ValueError(f"mode {final_state.mode!r} has no averaged pion pair; allowed {sorted(PAIR_MODES)}")
    sl = [final_state.slots[s] for s in PAIR_MODES[final_state.mode]]
    if not all(np.all(s.species[rows] == PION) for s in sl):
        raise ValueError("slots of a K+ -> pi+ pi+ pi- final state must hold pions")
    return sl


def reoriented_pair(final_state: FinalState, track_slot: np.ndarray, rng: np.random.Generator) -> FinalState:
    """K+ -> pi+ pi+ pi- decays with the kaon and the pi+ in ``track_slot`` kept and the other pair re-drawn.

    The pi- direction in the pair rest frame is drawn from the Dalitz
    density given the kaon and the kept pi+ (module doc): a draw from the
    conditional distribution of the generator
    (:func:`~na62lab.generation.kaon.decays.k3pi_charged`).

    Parameters
    ----------
    final_state : FinalState
        Mode ``"pipipi"``, four-momenta in MeV.
    track_slot : ndarray of int, shape (N,)
        Slot (0 or 1, a pi+) kept in each decay.
    rng : numpy.random.Generator

    Returns
    -------
    FinalState
        New decays (same species and charges; four-momenta in MeV).
    """
    rows = np.arange(final_state.n)
    sl = _check_mode(final_state, rows)
    track_slot = np.asarray(track_slot, np.int64)
    if track_slot.shape != (final_state.n,) or not np.all((track_slot == 0) | (track_slot == 1)):
        raise ValueError("track_slot must hold 0 or 1 (a pi+ slot) for every decay")
    par, bound = _k3pi_parameters()
    P = _reorient_kernel(np.stack([np.asarray(s.p4, float) for s in sl]), track_slot, par, bound, new_state(rng))
    return FinalState(final_state.mode, [Slot(P[k], s.species.copy(), s.charge.copy()) for k, s in enumerate(sl)])


def averaged_pair_veto_weight(final_state: FinalState, vertex: np.ndarray, rows: np.ndarray, params: DetectorParams,
                              tables: np.ndarray, n_orient: int, rng: np.random.Generator) -> np.ndarray:
    """Veto pass probability of K+ -> pi+ pi+ pi- events ``rows`` averaged over the undetected pair's orientation.

    Parameters
    ----------
    final_state : FinalState
        Mode ``"pipipi"`` (:data:`PAIR_MODES`).
    vertex : ndarray, shape (N, 3)
        Decay vertices (mm) of all events of ``final_state``.
    rows : ndarray of int
        Events to evaluate; each must have a single STRAW track candidate
        (one of the pi+: ``has_track`` of
        :func:`~na62lab.detector.response.detector_response`) inside the
        track acceptance and momentum range (those whose ``w_veto`` is finite).
    params, tables
        :func:`~na62lab.detector.params.detector_params`, :func:`~na62lab.detector.params.veto_tables`.
    n_orient : int
        Pair orientations drawn from the Dalitz density per event (>= 0);
        those with a single track join the drawn one in the average (module
        doc); 0 returns the one-orientation weight of the detector response.
    rng : numpy.random.Generator
        Seeds the orientation draws.

    Returns
    -------
    ndarray
        Probability (len(rows),) that neither the other pi+ nor the pi-
        gives a veto signal, given the kaon, vertex and track; in [0, 1].
    """
    if n_orient < 0:
        raise ValueError("n_orient must be >= 0")
    rows = np.asarray(rows, np.int64)
    sl = _check_mode(final_state, rows)
    P = np.stack([np.asarray(s.p4, float)[rows] for s in sl])
    SP = np.stack([np.asarray(s.species, np.int8)[rows] for s in sl])
    Q = np.stack([np.asarray(s.charge, np.int8)[rows] for s in sl])
    vtx = np.ascontiguousarray(np.asarray(vertex, float)[rows])
    par, bound = _k3pi_parameters()
    out = _pair_kernel(vtx, P, SP, Q, int(n_orient), par, bound, params, tables, new_state(rng))
    if np.any(np.isnan(out)):
        raise ValueError("rows must be events with a single pi+ track candidate")
    return out
