"""GTK beam track, timing and kaon-pion matching with accidental beam tracks.

Each event with a STRAW track gets the measured kaon track (GTK momentum,
slope and position resolution, missed with the card's inefficiency) and a
Poisson number of accidental beam tracks within the GTK time window (beam
rate x window).  The reconstruction picks the GTK track minimising
D = (dt / sigma_t)^2 + (CDA / cda_scale)^2, dt being the GTK time minus the
KTAG-RICH reference time, among those with D below the card's maximum (no
match otherwise); a wrong choice gives the non-Gaussian m_miss^2 tails from
mis-matching.  Vertex = midpoint of the closest approach.

Units: mm, MeV, rad, ns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from na62lab.detector.params import DetectorParams
from na62lab.physics.fastrng import new_state, normal, poisson, uniform
from na62lab.physics.phase_space import njit


@dataclass
class MatchedEvent:
    """Reconstructed kaon-pion pair (arrays of length N, NaN when no GTK track was found).

    ``mmiss2`` in MeV^2 (GTK kaon), ``mmiss2_beam`` in MeV^2 with the nominal
    beam momentum and direction instead of the GTK track (defined for every
    event), ``cda`` in mm, vertex in mm, ``p_k`` (MeV) and slopes ``kx``,
    ``ky`` (rad) of the chosen GTK track, ``matched_true`` is True when the
    chosen GTK track is the decaying kaon.
    """

    mmiss2: np.ndarray
    mmiss2_beam: np.ndarray
    cda: np.ndarray
    vx: np.ndarray
    vy: np.ndarray
    vz: np.ndarray
    p_k: np.ndarray
    matched_true: np.ndarray
    n_accidental: np.ndarray
    kx: np.ndarray | None = None
    ky: np.ndarray | None = None


@njit(inline="always")
def closest_approach(ax, ay, az, ux, uy, uz, bx, by, bz, vx, vy, vz):
    """CDA (mm) and midpoint (mm) of lines a + s u and b + t v."""
    wx, wy, wz = ax - bx, ay - by, az - bz
    a = ux * ux + uy * uy + uz * uz
    b = ux * vx + uy * vy + uz * vz
    c = vx * vx + vy * vy + vz * vz
    dd = ux * wx + uy * wy + uz * wz
    e = vx * wx + vy * wy + vz * wz
    den = a * c - b * b
    if den <= 1e-300:
        s, t = 0.0, e / c
    else:
        s, t = (b * e - c * dd) / den, (a * e - b * dd) / den
    px, py, pz = ax + s * ux, ay + s * uy, az + s * uz
    qx, qy, qz = bx + t * vx, by + t * vy, bz + t * vz
    cda = math.sqrt((px - qx) ** 2 + (py - qy) ** 2 + (pz - qz) ** 2)
    return cda, 0.5 * (px + qx), 0.5 * (py + qy), 0.5 * (pz + qz)


@njit(inline="always")
def missing_mass2(pk, kx, ky, mk, pp, tx, ty, mp):
    """(P_K - P_pi)^2 in MeV^2 from momenta (MeV), slopes (rad) and mass hypotheses (MeV)."""
    nk = math.sqrt(1.0 + kx * kx + ky * ky)
    npi = math.sqrt(1.0 + tx * tx + ty * ty)
    ek, ep = math.sqrt(pk * pk + mk * mk), math.sqrt(pp * pp + mp * mp)
    dx = pk * kx / nk - pp * tx / npi
    dy = pk * ky / nk - pp * ty / npi
    dz = pk / nk - pp / npi
    return (ek - ep) ** 2 - dx * dx - dy * dy - dz * dz


@njit(inline="always")
def _sigma_ref(d):
    """Resolution (ns) of the reference time: KTAG and RICH times averaged with inverse-variance weights."""
    return 1.0 / math.sqrt(1.0 / d.ktag_time ** 2 + 1.0 / d.rich_time ** 2)


@njit(inline="always")
def _sigma_dt(d):
    return math.sqrt(d.gtk_time ** 2 + _sigma_ref(d) ** 2)


@njit(inline="always")
def _candidate(i, j, acc, d, tr_z, t1x, t1y):
    """Discriminant, CDA and vertex of GTK candidate j of event i (acc row: p, tx, ty, x, y, dt)."""
    cda, vx, vy, vz = closest_approach(acc[j, 3], acc[j, 4], d.z_gtk3, acc[j, 1], acc[j, 2], 1.0,
                                       t1x[0], t1y[0], tr_z, t1x[1], t1y[1], 1.0)
    disc = (acc[j, 5] / _sigma_dt(d)) ** 2 + (cda / d.cda_scale) ** 2
    return disc, cda, vx, vy, vz


@njit(inline="always")
def _match_one(i, kp, ktx, kty, kx, ky, pp, ptx, pty, px, py, mass_pi, d, st, acc, out):
    """Match event i (true kaon track kp..ky at GTK3, STRAW track pp..py) into row i of ``out`` (N, 11)."""
    m = 0
    t_ref = _sigma_ref(d) * normal(st)
    if uniform(st) >= d.gtk_missing:
        acc[0, 0] = kp * (1.0 + d.gtk_dp * normal(st))
        acc[0, 1] = ktx + d.gtk_angle * normal(st)
        acc[0, 2] = kty + d.gtk_angle * normal(st)
        acc[0, 3] = kx + d.gtk_pos * normal(st)
        acc[0, 4] = ky + d.gtk_pos * normal(st)
        acc[0, 5] = d.gtk_time * normal(st) - t_ref
        m = 1
    n_acc = min(poisson(st, d.accidental_mean), d.max_accidentals)
    total = m
    for _ in range(n_acc):
        # an accidental with (dt/sigma_dt)^2 above the cut can never be the accepted match:
        # its other coordinates are not needed (same result, fewer random numbers)
        dt = d.window * (2.0 * uniform(st) - 1.0) - t_ref
        if dt * dt > d.max_disc * _sigma_dt(d) ** 2:
            continue
        acc[total, 0] = d.beam_p * (1.0 + d.beam_dp * normal(st))
        acc[total, 1] = d.beam_tx + d.beam_div_x * normal(st)
        acc[total, 2] = d.beam_div_y * normal(st)
        acc[total, 3] = d.beam_sx * normal(st)
        acc[total, 4] = d.beam_sy * normal(st)
        acc[total, 5] = dt
        total += 1
    out[i, 7] = n_acc
    out[i, 8] = missing_mass2(d.beam_p, d.beam_tx, 0.0, d.m_k, pp, ptx, pty, mass_pi)
    t1x = (px, ptx)
    t1y = (py, pty)
    best, best_j = 1e300, -1
    bcda, bvx, bvy, bvz = 0.0, 0.0, 0.0, 0.0
    for j in range(total):
        disc, cda, vx, vy, vz = _candidate(i, j, acc, d, d.z_s1, t1x, t1y)
        if disc < best:
            best, best_j, bcda, bvx, bvy, bvz = disc, j, cda, vx, vy, vz
    if best_j < 0 or best > d.max_disc:
        return
    out[i, 0] = missing_mass2(acc[best_j, 0], acc[best_j, 1], acc[best_j, 2], d.m_k, pp, ptx, pty, mass_pi)
    out[i, 1], out[i, 2], out[i, 3], out[i, 4] = bcda, bvx, bvy, bvz
    out[i, 5] = acc[best_j, 0]
    out[i, 9], out[i, 10] = acc[best_j, 1], acc[best_j, 2]
    out[i, 6] = 1.0 if (best_j == 0 and m == 1) else 0.0


@njit
def _matching_kernel(k_trk, pi_trk, mass_pi, d, st):
    n = k_trk.shape[0]
    out = np.full((n, 11), np.nan)
    acc = np.empty((d.max_accidentals + 1, 6))
    for i in range(n):
        _match_one(i, k_trk[i, 0], k_trk[i, 1], k_trk[i, 2], k_trk[i, 3], k_trk[i, 4],
                   pi_trk[i, 0], pi_trk[i, 1], pi_trk[i, 2], pi_trk[i, 3], pi_trk[i, 4], mass_pi, d, st, acc, out)
    return out


@njit
def _matching_rows_kernel(kp, ktx, kty, kx, ky, pp, ptx, pty, px, py, events, mass_pi, d, st):
    """:func:`_matching_kernel` on events ``events`` of per-event track columns (no (N, 5) copies)."""
    n = events.shape[0]
    out = np.full((n, 11), np.nan)
    acc = np.empty((d.max_accidentals + 1, 6))
    for i in range(n):
        e = events[i]
        _match_one(i, kp[e], ktx[e], kty[e], kx[e], ky[e], pp[e], ptx[e], pty[e], px[e], py[e], mass_pi, d, st,
                   acc, out)
    return out


def _matched(out: np.ndarray) -> MatchedEvent:
    return MatchedEvent(out[:, 0], out[:, 8], out[:, 1], out[:, 2], out[:, 3], out[:, 4], out[:, 5],
                        out[:, 6] == 1.0, out[:, 7], out[:, 9], out[:, 10])


def match_kaon(k_tracks: np.ndarray, pi_tracks: np.ndarray, params: DetectorParams,
               rng: np.random.Generator, mass_hypothesis: float | None = None) -> MatchedEvent:
    """Reconstruct the kaon-pion pair of events with a STRAW track.

    Parameters
    ----------
    k_tracks : ndarray, shape (N, 5)
        True kaon tracks at GTK3: p (MeV), tx, ty (rad), x, y (mm).
    pi_tracks : ndarray, shape (N, 5)
        Measured STRAW tracks: p (MeV), tx, ty (rad), x, y at STRAW1 (mm).
    params : DetectorParams
    rng : numpy.random.Generator
    mass_hypothesis : float, optional
        Mass (MeV) given to the STRAW track in m_miss^2; the pi+ mass by default.

    Returns
    -------
    MatchedEvent
    """
    mp = params.m_pi if mass_hypothesis is None else float(mass_hypothesis)
    out = _matching_kernel(np.ascontiguousarray(k_tracks, float), np.ascontiguousarray(pi_tracks, float),
                           mp, params, new_state(rng))
    return _matched(out)


def match_kaon_events(k_columns, pi_columns, events: np.ndarray, params: DetectorParams,
                      rng: np.random.Generator, mass_hypothesis: float | None = None) -> MatchedEvent:
    """:func:`match_kaon` of the events ``events`` given per-event track columns.

    Same random stream and arithmetic as ``match_kaon(k_tracks[events], pi_tracks[events], ...)`` without
    building the (N, 5) track arrays.

    Parameters
    ----------
    k_columns : sequence of 5 ndarray
        True kaon tracks at GTK3 of every event: p (MeV), tx, ty (rad), x, y (mm).
    pi_columns : sequence of 5 ndarray
        Measured STRAW tracks of every event: p (MeV), tx, ty (rad), x, y at STRAW1 (mm).
    events : ndarray of int
        Events to match.
    params : DetectorParams
    rng : numpy.random.Generator
    mass_hypothesis : float, optional
        Mass (MeV) given to the STRAW track in m_miss^2; the pi+ mass by default.

    Returns
    -------
    MatchedEvent
        One entry per element of ``events``.
    """
    mp = params.m_pi if mass_hypothesis is None else float(mass_hypothesis)
    cols = [np.ascontiguousarray(c, float) for c in (*k_columns, *pi_columns)]
    out = _matching_rows_kernel(*cols, np.ascontiguousarray(events, np.int64), mp, params, new_state(rng))
    return _matched(out)
