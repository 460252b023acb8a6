"""Photon and extra-particle vetoes: which detector a particle reaches and its miss probability.

Photons (and e+- not seen as tracks) are vetoed by the LAV (8.5-50 mrad),
the LKr, the IRC (small angles, around the LKr beam pipe) and the SAC (on the
beam axis behind the IRC), each with an inefficiency that depends on the
energy (card tables, log-log interpolated).  Extra charged particles are seen
by the STRAW, LKr, LAV or MUV3 with a single inefficiency.  The product of
the miss probabilities of all particles other than the track is the event's
veto pass probability, used as a weight (the simulated rejection).
"""

from __future__ import annotations

import math

import numpy as np

from na62lab.detector.geometry import in_lkr, in_muv3, position_at, straw_chambers_hit
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
def photon_detector(x0, y0, z0, px, py, pz, d):
    """Which photon veto a neutral particle leaving (x0, y0, z0) with momentum p reaches (DET_* code)."""
    if pz <= 0.0:
        return DET_NONE
    theta = math.sqrt(px * px + py * py) / pz
    if theta > d.lav_max:
        return DET_NONE
    if theta >= d.lav_min:
        return DET_LAV
    x, y = position_at(d.z_lkr, x0, y0, z0, px, py, pz, 0, d.z_mag, d.pt_kick)
    r2 = (x - d.lkr_hole_x) ** 2 + y * y
    if r2 >= d.lkr_inner_r ** 2:
        return DET_LKR if x * x + y * y < d.lkr_outer_r ** 2 else DET_NONE
    xi, yi = position_at(d.z_irc, x0, y0, z0, px, py, pz, 0, d.z_mag, d.pt_kick)
    if (xi - d.lkr_hole_x) ** 2 + yi * yi >= d.irc_inner_r ** 2:
        return DET_IRC
    xs, ys = position_at(d.z_sac, x0, y0, z0, px, py, pz, 0, d.z_mag, d.pt_kick)
    if abs(xs - d.lkr_hole_x) < d.sac_half and abs(ys) < d.sac_half:
        return DET_SAC
    return DET_NONE


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
def charged_miss(x0, y0, z0, e, px, py, pz, q, species, d, tables):
    """Probability that an extra charged particle leaves no signal (STRAW, LKr, LAV, MUV3)."""
    if straw_chambers_hit(x0, y0, z0, px, py, pz, q, d) >= d.min_chambers_extra:
        return d.charged_ineff
    if in_lkr(x0, y0, z0, px, py, pz, q, d):
        return d.charged_ineff
    theta = math.sqrt(px * px + py * py) / pz if pz > 0 else 1e9
    if d.lav_min <= theta <= d.lav_max:
        return d.charged_ineff
    if species == MUON and in_muv3(x0, y0, z0, px, py, pz, q, d):
        return d.charged_ineff
    if species == ELECTRON:
        return photon_miss(x0, y0, z0, e, px, py, pz, d, tables)
    return 1.0


@njit(inline="always")
def particle_miss(x0, y0, z0, e, px, py, pz, q, species, d, tables):
    """Miss probability of any non-track particle (photon, e, mu, pi; invisible ones are never seen)."""
    if species == PHOTON:
        return photon_miss(x0, y0, z0, e, px, py, pz, d, tables)
    if species == ELECTRON or species == MUON or species == PION:
        return charged_miss(x0, y0, z0, e, px, py, pz, q, species, d, tables)
    return 1.0


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
