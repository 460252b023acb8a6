"""Photon and extra-particle vetoes: which detector a particle reaches and its miss probability.

Photons (and e+- not seen as tracks) are vetoed by the 12 LAV stations
(geometry of each lead-glass ring, so the coverage depends on the decay
vertex: nominally 8.5-50 mrad, more for vertices close to a station), the
IRC annulus around the LKr beam pipe, the LKr and the SAC on the beam axis,
each with an inefficiency that depends on the energy (card tables, log-log
interpolated).  Extra charged particles are seen by every detector they
cross (STRAW, LAV, NewCHOD, IRC/LKr, MUV3), each with its own inefficiency.
The product of the miss probabilities of all particles other than the track
is the event's veto pass probability, used as a weight (the simulated
rejection).  Geometry: NA62 detector paper JINST 12 (2017) P05025 and the
public NA62 framework ``GeometricAcceptance`` (card comments).
"""

from __future__ import annotations

import math

import numpy as np

from na62lab.detector.geometry import in_muv3, lav_station_hit, position_at, straw_chambers_hit
from na62lab.generation.kaon.final_state import ELECTRON, MUON, PHOTON, PION
from na62lab.physics.phase_space import njit

DET_NONE, DET_LAV, DET_LKR, DET_IRC, DET_SAC = 0, 1, 2, 3, 4
"""Codes of the photon-veto detector a photon reaches."""


@njit(inline="always")
def inefficiency(table, energy):
    """Inefficiency at ``energy`` (MeV) from a (2, k) table of log E, log inefficiency (flat beyond the ends)."""
    if energy <= 0.0:
        return 1.0
    x = math.log(energy)
    k = table.shape[1]
    if x <= table[0, 0]:
        return math.exp(table[1, 0])
    for j in range(1, k):
        if x < table[0, j]:
            f = (x - table[0, j - 1]) / (table[0, j] - table[0, j - 1])
            return math.exp(table[1, j - 1] + f * (table[1, j] - table[1, j - 1]))
    return math.exp(table[1, k - 1])


@njit(inline="always")
def _small_angle_detector(x0, y0, z0, px, py, pz, charge, d):
    """IRC, LKr or SAC for a particle that passed inside every LAV station (DET_* code)."""
    x, y = position_at(d.z_irc, x0, y0, z0, px, py, pz, charge, d.z_mag, d.pt_kick)
    r2 = (x - d.lkr_hole_x) ** 2 + y * y
    if d.irc_inner_r ** 2 <= r2 < d.irc_outer_r ** 2:
        return DET_IRC
    if r2 >= d.irc_outer_r ** 2:
        x, y = position_at(d.z_lkr, x0, y0, z0, px, py, pz, charge, d.z_mag, d.pt_kick)
        return DET_LKR if x * x + y * y < d.lkr_outer_r ** 2 else DET_NONE
    if charge != 0:          # the SAC sits behind the dipole that sweeps charged particles out
        return DET_NONE
    xs, ys = position_at(d.z_sac, x0, y0, z0, px, py, pz, 0, d.z_mag, d.pt_kick)
    if abs(xs - d.lkr_hole_x) < d.sac_half and abs(ys) < d.sac_half:
        return DET_SAC
    return DET_NONE


@njit(inline="always")
def photon_detector(x0, y0, z0, px, py, pz, d):
    """Which photon veto a neutral particle leaving (x0, y0, z0) with momentum p reaches (DET_* code).

    The particle meets the 12 LAV stations in z order (:func:`lav_station_hit`:
    detected by the first whose lead-glass ring it enters, lost if it leaves
    the vacuum tank between stations), then the IRC annulus in front of the
    LKr beam pipe, the LKr, and the SAC on the beam axis.
    """
    if pz <= 0.0:
        return DET_NONE
    j = lav_station_hit(x0, y0, z0, px, py, pz, 0, d)
    if j >= 0:
        return DET_LAV
    if j == -2:
        return DET_NONE
    return _small_angle_detector(x0, y0, z0, px, py, pz, 0, d)


@njit(inline="always")
def photon_miss(x0, y0, z0, e, px, py, pz, d, tables):
    """Probability that a photon of energy ``e`` (MeV) leaves no signal in the vetoes.

    ``tables`` is :func:`~na62lab.detector.params.veto_tables` (rows LAV, LKr, IRC, SAC).
    """
    det = photon_detector(x0, y0, z0, px, py, pz, d)
    if det == DET_NONE:
        return 1.0
    return inefficiency(tables[det - 1], e)


@njit(inline="always")
def photon_response(x0, y0, z0, e, px, py, pz, d, tables, xt, yt):
    """(miss probability, energy merged into the track's LKr cluster in MeV) of one photon.

    A photon reaching the LKr within ``d.lkr_track_dist`` of the track impact
    (xt, yt) (mm) is never vetoed: its cluster is taken as part of the
    track's (NA62 framework ``PhotonRejectionLKr``: clusters closer than
    100 mm to the track are ignored), and its energy ``e`` is returned as
    added to the track's cluster; otherwise as :func:`photon_miss`, with no
    merged energy.
    """
    det = photon_detector(x0, y0, z0, px, py, pz, d)
    if det == DET_NONE:
        return 1.0, 0.0
    if det == DET_LKR:
        x, y = position_at(d.z_lkr, x0, y0, z0, px, py, pz, 0, d.z_mag, d.pt_kick)
        if (x - xt) ** 2 + (y - yt) ** 2 < d.lkr_track_dist ** 2:
            return 1.0, e
    return inefficiency(tables[det - 1], e), 0.0


@njit(inline="always")
def photon_miss_near_track(x0, y0, z0, e, px, py, pz, d, tables, xt, yt):
    """Miss probability of :func:`photon_response` (a photon merged with the track cluster is not vetoed)."""
    return photon_response(x0, y0, z0, e, px, py, pz, d, tables, xt, yt)[0]


@njit(inline="always")
def others_miss(i, vtx, P, SP, Q, d, tables, xt, yt, skip):
    """Miss-probability product and merged photon energy (MeV) of the particles of event ``i`` not flagged in ``skip``.

    ``vtx`` (N, 3) mm, ``P`` (slots, N, 4) MeV, ``SP`` and ``Q`` (slots, N)
    species and charges, ``skip`` (slots,) bool; (xt, yt) is the track impact
    on the LKr (mm).  Photons go through :func:`photon_response`, e, mu and pi
    through :func:`charged_miss` (:func:`particle_miss_near_track` of a
    non-photon, written out so that the photon branch is inlined only once);
    other species are never seen.  Inlined (the per-event hot path of the
    detector response); :func:`charged_miss` is an ordinary compiled call.
    """
    w, merged = 1.0, 0.0
    for s in range(P.shape[0]):
        if skip[s] or SP[s, i] == 0:
            continue
        if SP[s, i] == PHOTON:
            miss, e = photon_response(vtx[i, 0], vtx[i, 1], vtx[i, 2], P[s, i, 0], P[s, i, 1], P[s, i, 2],
                                      P[s, i, 3], d, tables, xt, yt)
            w *= miss
            merged += e
        elif SP[s, i] == ELECTRON or SP[s, i] == MUON or SP[s, i] == PION:
            w *= charged_miss(vtx[i, 0], vtx[i, 1], vtx[i, 2], P[s, i, 0], P[s, i, 1], P[s, i, 2], P[s, i, 3],
                              Q[s, i], SP[s, i], d, tables)
    return w, merged


@njit
def others_miss_call(i, vtx, P, SP, Q, d, tables, xt, yt, skip):
    """:func:`others_miss` as an ordinary compiled function, for the kernels off the per-event hot path (pi0
    and pion-pair orientation averages): compiled once for both instead of inlined into each."""
    return others_miss(i, vtx, P, SP, Q, d, tables, xt, yt, skip)


@njit
def charged_miss(x0, y0, z0, e, px, py, pz, q, species, d, tables):
    """Probability that an extra charged particle leaves no signal in any detector it crosses.

    Independent inefficiencies (card ``vetoes.charged_ineff_*``) multiply over
    the STRAW (if it crosses enough chambers), the LAV station it enters, the
    NewCHOD, the IRC/LKr and, for muons, MUV3; e+- entering a LAV station, the
    IRC or the LKr shower, with the photon inefficiency at their energy.  A
    particle that leaves the vacuum tank between LAV stations reaches nothing
    downstream.
    """
    if pz <= 0.0:
        return 1.0
    miss = 1.0
    if straw_chambers_hit(x0, y0, z0, px, py, pz, q, d) >= d.min_chambers_extra:
        miss *= d.ineff_straw
    j = lav_station_hit(x0, y0, z0, px, py, pz, q, d)
    if j == -2:
        return miss
    if j >= 0:
        return miss * (inefficiency(tables[0], e) if species == ELECTRON else d.ineff_lav)
    x, y = position_at(d.z_newchod, x0, y0, z0, px, py, pz, q, d.z_mag, d.pt_kick)
    if d.newchod_rin ** 2 < x * x + y * y < d.newchod_rout ** 2:
        miss *= d.ineff_newchod
    det = _small_angle_detector(x0, y0, z0, px, py, pz, q, d)
    if det == DET_IRC or det == DET_LKR:
        if species == ELECTRON:
            return miss * inefficiency(tables[det - 1], e)
        miss *= d.ineff_lkr
    if species == MUON and in_muv3(x0, y0, z0, px, py, pz, q, d):
        miss *= d.ineff_muv3
    return miss


@njit(inline="always")
def particle_miss(x0, y0, z0, e, px, py, pz, q, species, d, tables):
    """Miss probability of any non-track particle (photon, e, mu, pi; invisible ones are never seen)."""
    if species == PHOTON:
        return photon_miss(x0, y0, z0, e, px, py, pz, d, tables)
    if species == ELECTRON or species == MUON or species == PION:
        return charged_miss(x0, y0, z0, e, px, py, pz, q, species, d, tables)
    return 1.0


@njit(inline="always")
def particle_miss_near_track(x0, y0, z0, e, px, py, pz, q, species, d, tables, xt, yt):
    """:func:`particle_miss` with the LKr cluster merging near the track impact (xt, yt) for photons."""
    if species == PHOTON:
        return photon_miss_near_track(x0, y0, z0, e, px, py, pz, d, tables, xt, yt)
    return particle_miss(x0, y0, z0, e, px, py, pz, q, species, d, tables)


@njit
def _photon_miss_many(vertex, p4, d, tables):
    n = p4.shape[0]
    out = np.empty(n)
    for i in range(n):
        out[i] = photon_miss(vertex[i, 0], vertex[i, 1], vertex[i, 2], p4[i, 0], p4[i, 1], p4[i, 2], p4[i, 3],
                             d, tables)
    return out


def photon_miss_probability(vertex, p4, params, tables):
    """Per-photon probability (N,) of no veto signal.

    Parameters
    ----------
    vertex : ndarray, shape (N, 3)
        Origins (mm).
    p4 : ndarray, shape (N, 4)
        Photon four-momenta (MeV).
    params : DetectorParams
    tables : ndarray
        :func:`~na62lab.detector.params.veto_tables`.
    """
    return _photon_miss_many(np.ascontiguousarray(vertex, float), np.ascontiguousarray(p4, float), params, tables)
