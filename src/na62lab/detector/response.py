"""Fast detector response of one decay mode: the single STRAW track, its measurement, the vetoes.

For every event the kernel finds the charged particles crossing all four
STRAW chambers; an event has a track candidate when exactly one does and it
is positive.  A candidate inside the downstream acceptance (RICH, NewCHOD,
LKr, MUV1-3: :func:`~na62lab.detector.geometry.in_track_acceptance`) is
measured by the STRAW track fit (hits with scattering in the chambers and the
magnet kick, least-squares fit and chi2: :mod:`~na62lab.detector.tracking`).
The other particles give the veto pass probability
(:mod:`~na62lab.detector.vetoes`; photons merged with the track's LKr
cluster carrying ``merged_eop_max`` x p or more fail the E/p pion
identification, :mod:`~na62lab.detector.pi0_veto`); a pi+ track must also survive to the MUV1
without decaying (otherwise the calorimeters see a muon).

Units: mm, MeV, rad.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from na62lab.detector.geometry import (
    in_lkr_path, in_muv3_path, in_track_acceptance_path, path, path_at, straw_chambers_hit_path,
)
from na62lab.detector.params import DetectorParams
from na62lab.detector.tracking import fit_constant_array, measure_track
from na62lab.detector.vetoes import others_miss, others_miss_call
from na62lab.generation.kaon.final_state import ELECTRON, MUON, PION, FinalState
from na62lab.physics.fastrng import new_state
from na62lab.physics.phase_space import njit


@dataclass
class TrackResponse:
    """Per-event response (arrays of length N).

    Track quantities are NaN without a candidate, when the candidate misses
    the downstream acceptance (``in_acceptance``), or when its true momentum
    is more than 20 % outside the selected range (a 20 % momentum error needs
    a scattering angle of ~100 theta0 in the magnet chambers; such events
    fail the selection anyway).  ``in_lkr`` and ``in_muv3`` are the physical
    LKr and MUV3 apertures.

    ``p`` in MeV, slopes in rad, positions at STRAW1 in mm; ``chi2`` of the
    track fit (3 degrees of freedom); ``w_veto`` and ``w_decay`` are
    probabilities (``w_decay``: pi+ survival to the MUV1 times the importance
    weight of biased STRAW scattering tails, 1 unless
    ``DetectorParams.straw_tail_bias`` / ``straw_tail_mix`` are set).
    """

    has_track: np.ndarray
    species: np.ndarray
    p_true: np.ndarray
    p: np.ndarray
    tx: np.ndarray
    ty: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    in_lkr: np.ndarray
    in_muv3: np.ndarray
    w_veto: np.ndarray
    w_decay: np.ndarray
    in_acceptance: np.ndarray | None = None
    chi2: np.ndarray | None = None


@njit(inline="always")
def _slot_path(i, s, vtx, P, Q, d):
    """Path (:func:`~na62lab.detector.geometry.path`) of slot ``s`` of event ``i``."""
    return path(vtx[i, 0], vtx[i, 1], vtx[i, 2], P[s, i, 1], P[s, i, 2], P[s, i, 3], Q[s, i], d.z_mag, d.pt_kick)


@njit(inline="always")
def _find_track(i, vtx, P, SP, Q, d):
    """Slot of the single full-acceptance charged track of event ``i`` (-1 if none or several)."""
    cand, count = -1, 0
    for s in range(P.shape[0]):
        sp = SP[s, i]
        if Q[s, i] == 0 or not (sp == ELECTRON or sp == MUON or sp == PION):
            continue
        if straw_chambers_hit_path(_slot_path(i, s, vtx, P, Q, d), d) == 4:
            cand = s
            count += 1
    if count != 1 or Q[cand, i] < 0:
        return -1
    return cand


@njit(inline="always")
def _eop_rule(w, merged, P, i, cand, d):
    """Veto weight ``w`` of event ``i``, or 0 when the photon energy ``merged`` (MeV) in the track cluster
    reaches ``d.merged_eop_max`` times the momentum of the track in slot ``cand`` (E/p pion ID fails)."""
    p = math.sqrt(P[cand, i, 1] ** 2 + P[cand, i, 2] ** 2 + P[cand, i, 3] ** 2)
    return w if merged < d.merged_eop_max * p else 0.0


@njit(inline="always")
def _veto_weight(i, cand, track, vtx, P, SP, Q, d, tables, skip):
    """Product of the miss probabilities of every particle but the track (path ``track``; ``skip`` all False).

    Photons merged with the track's LKr cluster are not vetoed, but when
    their energy reaches ``d.merged_eop_max`` times the track momentum the
    track fails the E/p pion identification and the weight is 0
    (:mod:`~na62lab.detector.pi0_veto`).  Inlined into the response kernel (hot
    path); other kernels call :func:`veto_weight_call`.
    """
    xt, yt = path_at(d.z_lkr, track, d.z_mag)
    skip[cand] = True
    w, merged = others_miss(i, vtx, P, SP, Q, d, tables, xt, yt, skip)
    skip[cand] = False
    return _eop_rule(w, merged, P, i, cand, d)


@njit
def veto_weight_call(i, cand, track, vtx, P, SP, Q, d, tables, skip):
    """:func:`_veto_weight` as an ordinary compiled function calling
    :func:`~na62lab.detector.vetoes.others_miss_call` (same operations): the K3pi pair average calls it at
    two sites and shares the compiled miss product with the pi0 orientation average instead of inlining
    it at each."""
    xt, yt = path_at(d.z_lkr, track, d.z_mag)
    skip[cand] = True
    w, merged = others_miss_call(i, vtx, P, SP, Q, d, tables, xt, yt, skip)
    skip[cand] = False
    return _eop_rule(w, merged, P, i, cand, d)


@njit(inline="always")
def _measure(i, cand, vtx, P, SP, d, fc, st, out_f):
    """Fill p_true, p, tx, ty, x1, y1, chi2 of the fitted track and the pi decay survival times the track fit's
    importance weight (:func:`~na62lab.detector.tracking.measure_track`) into ``out_f[:, i]``."""
    px, py, pz = P[cand, i, 1], P[cand, i, 2], P[cand, i, 3]
    p_fit, tx, ty, x1, y1, chi2, w_fit = measure_track(vtx[i, 0], vtx[i, 1], vtx[i, 2], px, py, pz, 1, d, fc, st)
    p_true = math.sqrt(px * px + py * py + pz * pz)
    out_f[0, i] = p_true
    out_f[1, i] = p_fit
    out_f[2, i] = tx
    out_f[3, i] = ty
    out_f[4, i] = x1
    out_f[5, i] = y1
    out_f[7, i] = chi2
    survive = 1.0
    if SP[cand, i] == PION:
        survive = math.exp(-(d.z_muv1 - vtx[i, 2]) * d.m_pi / (p_true * d.ctau_pi))
    out_f[8, i] = survive * w_fit              # w_fit: STRAW tail importance weight (1 unless biased)


@njit
def _response_kernel(vtx, P, SP, Q, d, tables, fc, st):
    """P (slots, N, 4) four-momenta, SP and Q (slots, N) species and charges.

    Arrays rather than tuples of per-slot arrays: one compiled version serves every slot count.
    """
    n = vtx.shape[0]
    out_i = np.full((5, n), -1, np.int8)      # cand slot, species, in_lkr, in_muv3, in_acceptance
    out_f = np.full((9, n), np.nan)           # p_true, p, tx, ty, x1, y1, w_veto, chi2, w_decay
    skip = np.zeros(P.shape[0], np.bool_)     # slots left out of the veto product (the track's, set per event)
    for i in range(n):
        cand = _find_track(i, vtx, P, SP, Q, d)
        out_i[0, i] = cand
        if cand < 0:
            continue
        out_i[1, i] = SP[cand, i]
        px, py, pz = P[cand, i, 1], P[cand, i, 2], P[cand, i, 3]
        track = _slot_path(i, cand, vtx, P, Q, d)          # charge +1 (a candidate is positive)
        out_i[2, i] = in_lkr_path(track, d)
        out_i[3, i] = in_muv3_path(track, d)
        acc = in_track_acceptance_path(track, d)
        out_i[4, i] = acc
        p_true = math.sqrt(px * px + py * py + pz * pz)
        if acc and d.p_track_min <= p_true <= d.p_track_max:   # the others cannot be selected
            out_f[6, i] = _veto_weight(i, cand, track, vtx, P, SP, Q, d, tables, skip)
            _measure(i, cand, vtx, P, SP, d, fc, st, out_f)
    return out_i, out_f


def _stacked_p4(slots) -> np.ndarray:
    """Four-momenta of all slots as one (slots, N, 4) float array.

    When the slots already are the consecutive rows of one such array (a
    two-body final state from :func:`~na62lab.physics.kinematics.two_body_decay`),
    that array is used as it is, without a copy.
    """
    base = slots[0].p4.base
    if (isinstance(base, np.ndarray) and base.ndim == 3 and base.shape[0] == len(slots) and base.dtype == np.float64
            and base.flags.c_contiguous
            and all(s.p4.base is base and s.p4.shape == base.shape[1:] and s.p4.strides == base.strides[1:]
                    and s.p4.ctypes.data == base.ctypes.data + k * base.strides[0] for k, s in enumerate(slots))):
        return base
    return np.stack([np.asarray(s.p4, float) for s in slots])


def detector_response(final_state: FinalState, vertex: np.ndarray, params: DetectorParams,
                      tables: np.ndarray, rng: np.random.Generator) -> TrackResponse:
    """Response of the detector to ``final_state`` decays at ``vertex`` (N, 3) in mm.

    Parameters
    ----------
    final_state : FinalState
        Lab four-momenta (MeV) of the decay products.
    vertex : ndarray, shape (N, 3)
        Decay vertices (mm).
    params : DetectorParams
        From :func:`~na62lab.detector.params.detector_params`.
    tables : ndarray
        From :func:`~na62lab.detector.params.veto_tables`.
    rng : numpy.random.Generator

    Returns
    -------
    TrackResponse
    """
    slots = final_state.slots
    P = _stacked_p4(slots)                                                 # (slots, N, 4)
    SP = np.stack([np.asarray(s.species, np.int8) for s in slots])
    Q = np.stack([np.asarray(s.charge, np.int8) for s in slots])
    oi, of = _response_kernel(np.ascontiguousarray(vertex, float), P, SP, Q, params, tables,
                              fit_constant_array(params), new_state(rng))
    return TrackResponse(oi[0] >= 0, oi[1], of[0], of[1], of[2], of[3], of[4], of[5], oi[2] == 1, oi[3] == 1,
                         of[6], of[8], oi[4] == 1, of[7])
