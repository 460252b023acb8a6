"""Veto pass probability of events with pi0s, averaged over the pi0 -> gamma gamma decay orientations.

The photon-veto weight of a K+ -> pi+ pi0 (or K_l3, K+ -> pi+ pi0 pi0) event
is the product of the miss probabilities of its photons
(:mod:`~na62lab.detector.vetoes`).  It is tiny for most decay orientations
and of order one for rare ones (a soft photon leaving through the vacuum-tank
wall outside the LAV rings while the hard one hits a detector with a high
inefficiency, or lands on the track's LKr cluster), so a background estimate
from one orientation per event rests on a handful of heavy events.

Conditional Monte Carlo (Rao-Blackwellisation; e.g. Owen, *Monte Carlo
theory, methods and examples* (2013), Sec. 8.7): for an event whose pi0s all
decayed to gamma gamma, the veto weight is replaced by its expectation over
the pi0 decay orientations, every other quantity of the event (kaon, track,
vertex, pi0 momenta) held fixed.  The photons never make a STRAW track, so
the selection does not depend on the orientation:

    E[w | event] = prod_(other particles) miss
                   x < prod_(pi0 photons) miss x [merged photon energy < eop_max p] >_orientations,

the bracket being the E/p rule below; each lattice point gives one joint
orientation of all the pi0s of the event.

The orientation average uses a randomly shifted rank-1 lattice of ``K``
points in (cos theta*, phi) of the pi0 rest frame (Fibonacci-type generator,
shift uniform per event and pi0: Cranley and Patterson, SIAM J. Numer. Anal.
13 (1976) 904), so every point is an isotropic decay and the average is an
unbiased estimate of the expectation, with far less variance than one
orientation.  Events with a Dalitz pi0 keep their one-orientation weight
(conditioning on the decay type keeps the estimator unbiased).

Photons merged with the track's LKr cluster (within ``lkr_track_dist`` of
its impact; ignored by the LKr photon veto, NA62 framework
``PhotonRejectionLKr``) add their energy to the track's calorimetric energy.
The pi+ identification rejects a track whose LKr energy over momentum E/p
is 0.8 or more (positron rejection, ``isPositronEoP`` with ``CutEoP`` = 0.8
of the public NA62 framework PNN kinematic-tails analysis, 2016-18): since
the track's own deposit is not negative, merged photons carrying
``eop_max`` x p or more make the track fail it whatever it deposits, so such
orientations get weight 0 (a lower bound on that rejection: the own deposit of a
pi+ or mu+ track is not simulated).  A positron track (K+ -> pi0 e+ nu)
deposits its whole energy, E/p ~ 1 (LKr: electromagnetic showers are
contained, NA62 detector paper JINST 12 (2017) P05025, Sec. 6), so it passes
the cut only from the low tail of its E/p, whose probability below the cut is
the card's assumed ``calo_pid.positron_misid`` (in the PID weight); with
photons of energy E_g merged, its own deposit must stay below
eop_max p - E_g, and the average carries the fraction (eop_max p - E_g) /
(eop_max p) of that tail (:func:`eop_pass`): the tail is taken uniform in E/p
below the cut, an assumed shape (not public), which for any tail density
rising towards the E/p = 1 peak over-estimates the fraction (a conservative
choice).  The detector response applies the pi+ rule to its one-orientation
weight (card ``calo_pid.merged_eop_max``) for every track; it also covers
photons that do not come from a pi0 (K+ -> pi+ gamma gamma).

Units: mm, MeV.
"""

from __future__ import annotations

import math

import numpy as np

from na62lab.detector.geometry import position_at
from na62lab.detector.params import DetectorParams
from na62lab.detector.vetoes import others_miss_call, photon_response
from na62lab.generation.kaon.final_state import ELECTRON, NONE, PHOTON, FinalState
from na62lab.physics.phase_space import boost_one, njit

PI0_SLOTS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "pipi0": ((1, 2, 3),), "pi0enu": ((2, 3, 4),), "pi0munu": ((2, 3, 4),), "pipi0pi0": ((1, 2, 3), (4, 5, 6)),
}
"""Slots holding each pi0's decay products (gamma or e+, gamma or e-, empty or gamma) per mode.

Layout of :mod:`~na62lab.generation.kaon.decays` (slot 0 is the leading
charged particle); checked by the tests against the pi0 mass.
"""

PHOTON_MODES: dict[str, tuple[tuple[int, int, int], ...]] = {**PI0_SLOTS, "pigg": ()}
"""Modes whose veto weight :func:`averaged_veto_weight` evaluates (pi0 groups to average; K+ -> pi+ gamma gamma
has photons but no pi0: its weight only gains the E/p rule)."""

_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


def lattice_generator(k: int) -> int:
    """Generator g of the rank-1 lattice {(j/k, j g/k mod 1)}: the integer nearest k (sqrt 5 - 1)/2 coprime to k.

    For a Fibonacci number k this is the previous Fibonacci number (the
    Fibonacci lattice, well spread in two dimensions).

    Examples
    --------
    >>> lattice_generator(89), lattice_generator(1)
    (55, 1)
    """
    if k < 1:
        raise ValueError("k must be >= 1")
    g = max(1, round(k * _GOLDEN))
    while math.gcd(g, k) != 1:
        g += 1
    return g


@njit(inline="always")
def gamma_pair(e, px, py, pz, cos_t, phi, out):
    """Lab four-momenta (MeV) of pi0 -> gamma gamma into rows 0, 1 of ``out`` (2, 4).

    The pi0 (e, px, py, pz) in MeV decays with the first photon at polar
    angle arccos(cos_t) and azimuth ``phi`` (rad) in its rest frame (axes
    parallel to the lab axes); each photon has energy m/2 there and is
    boosted to the lab (PDG 2024, Kinematics, Eq. 49.3).
    """
    m = math.sqrt(max(e * e - px * px - py * py - pz * pz, 0.0))
    h = 0.5 * m
    s = math.sqrt(max(1.0 - cos_t * cos_t, 0.0))
    ux, uy, uz = h * s * math.cos(phi), h * s * math.sin(phi), h * cos_t
    g, gbx, gby, gbz = e / m, px / m, py / m, pz / m
    boost_one(out, np.int64(0), h, ux, uy, uz, g, gbx, gby, gbz)
    boost_one(out, np.int64(1), h, -ux, -uy, -uz, g, gbx, gby, gbz)


@njit(inline="always")
def _pi0_photons(i, a, b, P, j, n_orient, gen, s1, s2, scratch):
    """Photons of the pi0 in slots a, b of event i into ``scratch``: as drawn (n_orient = 0) or lattice point j."""
    if n_orient == 0:
        for c in range(4):
            scratch[0, c] = P[a, i, c]
            scratch[1, c] = P[b, i, c]
        return
    u1 = (j / n_orient + s1) % 1.0
    u2 = ((j * gen) % n_orient / n_orient + s2) % 1.0
    gamma_pair(P[a, i, 0] + P[b, i, 0], P[a, i, 1] + P[b, i, 1], P[a, i, 2] + P[b, i, 2], P[a, i, 3] + P[b, i, 3],
               2.0 * u1 - 1.0, 2.0 * math.pi * u2, scratch)


@njit(inline="always")
def eop_pass(merged, e_max, e_cut, positron):
    """Probability that a track with pi0 photons of energy ``merged`` (MeV) in its LKr cluster keeps E/p < the cut.

    ``e_cut`` = ``eop_max`` x p (MeV) and ``e_max`` = ``e_cut`` minus the energy already merged from other
    particles.  A pi+ or mu+ track: 1 if ``merged`` < ``e_max``, else 0 (its own deposit is left out: a lower
    bound on the rejection).  A positron (``positron``): its own deposit is ~p, so it passes only from the low
    tail of its E/p; the probability of that tail below the cut is the card's ``calo_pid.positron_misid``
    (in the PID weight), and with photons merged the deposit must stay below ``e_max - merged``, a fraction
    (e_max - merged) / e_cut of that tail for a tail uniform in E/p below the cut (assumed shape, module doc).
    """
    if not positron:
        return 1.0 if merged < e_max else 0.0
    return min(max((e_max - merged) / e_cut, 0.0), 1.0)


@njit
def _pi0_average(i, vtx, P, groups, n_orient, gen, shifts, d, tables, xt, yt, e_max, e_cut, positron, scratch):
    """< prod_(pi0 photons) miss x P(E/p below the cut | merged energy) > over the orientations (one joint sample
    per point; :func:`eop_pass`).

    Point j of every pi0 uses its own shift, so the pi0s' orientations are
    independent and uniform for every j.
    """
    total = 0.0
    n = max(n_orient, 1)
    for j in range(n):
        miss, merged = 1.0, 0.0
        for g in range(groups.shape[0]):
            _pi0_photons(i, groups[g, 0], groups[g, 1], P, j, n_orient, gen, shifts[i, g, 0], shifts[i, g, 1],
                         scratch)
            for k in range(2):
                m, em = photon_response(vtx[i, 0], vtx[i, 1], vtx[i, 2], scratch[k, 0], scratch[k, 1],
                                        scratch[k, 2], scratch[k, 3], d, tables, xt, yt)
                miss *= m
                merged += em
        total += miss * eop_pass(merged, e_max, e_cut, positron)
    return total / n


@njit
def _averaged_kernel(vtx, P, SP, Q, groups, n_orient, gen, shifts, eop_max, d, tables):
    """Veto weight of every event, its gamma gamma pi0s averaged (``n_orient`` = 0: as drawn); slot 0 is the track."""
    skip = np.zeros(P.shape[0], np.bool_)     # the track (slot 0) and the pi0 photons are not in the fixed product
    skip[0] = True
    for g in range(groups.shape[0]):
        for c in range(3):
            skip[groups[g, c]] = True
    out = np.empty(vtx.shape[0])
    scratch = np.empty((2, 4))
    for i in range(vtx.shape[0]):
        xt, yt = position_at(d.z_lkr, vtx[i, 0], vtx[i, 1], vtx[i, 2], P[0, i, 1], P[0, i, 2], P[0, i, 3],
                             Q[0, i], d.z_mag, d.pt_kick)
        w, merged = others_miss_call(i, vtx, P, SP, Q, d, tables, xt, yt, skip)
        p_track = math.sqrt(P[0, i, 1] ** 2 + P[0, i, 2] ** 2 + P[0, i, 3] ** 2)
        e_cut = eop_max * p_track
        out[i] = w * _pi0_average(i, vtx, P, groups, n_orient, gen, shifts, d, tables, xt, yt, e_cut - merged,
                                  e_cut, SP[0, i] == ELECTRON and math.isfinite(e_cut), scratch)
    return out


def all_gamma_gamma(final_state: FinalState, rows: np.ndarray) -> np.ndarray:
    """True for the ``rows`` whose pi0s (slots :data:`PHOTON_MODES`) all decayed to gamma gamma (no pi0: all True)."""
    ok = np.ones(len(rows), bool)
    for a, b, c in PHOTON_MODES[final_state.mode]:
        s = final_state.slots
        ok &= (s[a].species[rows] == PHOTON) & (s[b].species[rows] == PHOTON) & (s[c].species[rows] == NONE)
    return ok


def averaged_veto_weight(final_state: FinalState, vertex: np.ndarray, rows: np.ndarray, params: DetectorParams,
                         tables: np.ndarray, n_orient: int, rng: np.random.Generator,
                         eop_max: float | None = None) -> np.ndarray:
    """Veto pass probability of events ``rows`` averaged over their pi0 -> gamma gamma orientations.

    Parameters
    ----------
    final_state : FinalState
        A mode of :data:`PHOTON_MODES`; slot 0 must be the event's STRAW track
        (true for every selected event whose pi0s decayed to gamma gamma:
        slot 0 is then the only charged particle).
    vertex : ndarray, shape (N, 3)
        Decay vertices (mm) of all events of ``final_state``.
    rows : ndarray of int
        Events to evaluate; all their pi0s must have decayed to gamma gamma
        (:func:`all_gamma_gamma`).
    params, tables
        :func:`~na62lab.detector.params.detector_params`, :func:`~na62lab.detector.params.veto_tables`.
    n_orient : int
        Lattice points per pi0 (>= 1); 0 evaluates the orientation drawn by
        the generator (the one-sample weight of
        :func:`~na62lab.detector.response.detector_response`).
    rng : numpy.random.Generator
        Draws the lattice shifts.
    eop_max : float
        Largest energy of pi0 photons merged with the track's LKr cluster,
        as a fraction of the track momentum, that keeps the track a pi+
        candidate (module doc); default ``params.merged_eop_max`` (the rule of
        the detector response); ``math.inf``: no such rule.

    Returns
    -------
    ndarray
        Probability (len(rows),) that no veto fires, in [0, 1].
    """
    if final_state.mode not in PHOTON_MODES:
        raise ValueError(f"mode {final_state.mode!r} has no photons; allowed {sorted(PHOTON_MODES)}")
    rows = np.asarray(rows, np.int64)
    groups = np.asarray(PHOTON_MODES[final_state.mode], np.int64).reshape(-1, 3)
    if not np.all(all_gamma_gamma(final_state, rows)):
        raise ValueError("rows must be events whose pi0s all decayed to gamma gamma")
    shifts = rng.random((rows.size, groups.shape[0], 2))
    sl = final_state.slots
    P = np.stack([np.asarray(s.p4, float)[rows] for s in sl])
    SP = np.stack([np.asarray(s.species, np.int8)[rows] for s in sl])
    Q = np.stack([np.asarray(s.charge, np.int8)[rows] for s in sl])
    vtx = np.ascontiguousarray(np.asarray(vertex, float)[rows])
    gen = lattice_generator(n_orient) if n_orient > 0 else 0
    eop_max = params.merged_eop_max if eop_max is None else eop_max
    return _averaged_kernel(vtx, P, SP, Q, groups, int(n_orient), gen, shifts, float(eop_max), params, tables)
