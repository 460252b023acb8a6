"""The kaon-mode selection that runs: compiled cut kernels of the simulation chunk and their cut values.

Every cut applied to the simulated K+ decays (:mod:`na62lab.yields.kaon_sim`)
is evaluated here, in two compiled passes, with the values read from the
card by :func:`track_cut_values` and :func:`selection_cut_values` (the YAML
card is the only source of the numbers):

1. :func:`track_kernel`, every event with a reconstructed track: downstream
   acceptance (LKr, MUV3 and the full acceptance), momentum range
   ``selection.momentum_gev`` (GeV/c), track chi2 below ``straw.chi2_max``
   and, if set, outside the STRAW1 box ``selection.straw1_box_mm`` (mm); the
   cuts not simulated event by event (KTAG, upstream-background cuts:
   ``common_cuts``) and the pi+ hadronic interactions in the material
   upstream of the calorimeters enter here as factors of ``w_decay``;
2. :func:`selection_kernel`, the rows matched to a GTK track: CDA below
   ``selection.cda_max_mm`` (mm), reconstructed vertex in
   ``decay_volume.fiducial_z_m`` (m), optionally the upstream geometric cuts
   (``selection.upstream_straw1_cut``, ``selection.gtk3_box_mm``; off in the
   shipped card), m_miss^2 computed with the nominal beam
   inside the window of its region and momentum band
   (``selection.beam_windows_gev2``, GeV^2/c^4), region code
   (:mod:`~na62lab.selection.regions`) and the RICH m_miss^2 window of each
   kinematically selected row (``selection.rich_windows_gev2``, which enters
   the PID probability, :mod:`na62lab.detector.pid`).

Cuts: NA62, JHEP 02 (2025) 191, Sec. 3 (simplified, see
:data:`~na62lab.selection.pinunu.MISSING_CUTS`); windows of the public NA62
framework (``KinematicTails``, 2016-18 analysis).  The slower numpy
formulation of the same cuts lives in the tests
(``tests/selection/reference_cuts.py``), which check the compiled passes
bit for bit against it.
"""

from __future__ import annotations

import math

import numpy as np

from na62lab.config.kaon import KaonCard, common_efficiency, pion_interaction_survival
from na62lab.generation.kaon.final_state import PION
from na62lab.physics.jit import njit
from na62lab.physics.units import GeV, m
from na62lab.selection.pinunu import band_one, window_table
from na62lab.selection.regions import momentum_bin_one, region_bounds, region_code_one

__all__ = ["FLAG_ACCEPTANCE", "FLAG_BEAM", "FLAG_MATCHED_TRUE", "FLAG_MOMENTUM", "FLAG_QUALITY", "FLAG_VERTEX",
           "KINEMATIC", "selection_columns", "selection_cut_values", "selection_kernel", "track_columns",
           "track_cut_values", "track_kernel"]

FLAG_ACCEPTANCE, FLAG_MOMENTUM, FLAG_VERTEX, FLAG_MATCHED_TRUE, FLAG_BEAM, FLAG_QUALITY = 1, 2, 4, 8, 16, 32
KINEMATIC = FLAG_ACCEPTANCE | FLAG_MOMENTUM | FLAG_VERTEX | FLAG_BEAM | FLAG_QUALITY
"""Bits of the stored ``flags`` column (``KINEMATIC``: all kinematic cuts passed)."""


def track_cut_values(card: KaonCard) -> np.ndarray:
    """Cut values of :func:`track_kernel`: p_min, p_max (MeV/c), chi2_max, STRAW1 box half-widths x, y (mm; 0, 0
    without a box), then the efficiency of the non-simulated common cuts
    (:func:`~na62lab.config.kaon.common_efficiency`) and the pi+ hadronic-interaction survival
    (:func:`~na62lab.config.kaon.pion_interaction_survival`) that multiply ``w_decay``."""
    sel = card.selection
    box = sel.straw1_box_mm if sel.straw1_box_mm is not None else (0.0, 0.0)
    return np.array([sel.momentum_gev[0] * GeV, sel.momentum_gev[1] * GeV, card.straw.chi2_max,
                     float(box[0]), float(box[1]), common_efficiency(card.common_cuts),
                     pion_interaction_survival(card.common_cuts)])


def selection_cut_values(card: KaonCard) -> np.ndarray:
    """Cut values of :func:`selection_kernel`: CDA max (mm), fiducial z min and max (mm), the output unit
    conversions GeV^2 (MeV^2), m (mm) and GeV (MeV), then the optional upstream geometric cuts: R0 (mm; 0: off),
    slope (mm per mm of vertex z) and x centre (mm) of ``selection.upstream_straw1_cut``, the GTK3 box half-widths
    x, y (mm; 0, 0: off) of ``selection.gtk3_box_mm``, and the STRAW1 and GTK3 planes (mm)."""
    sel, g = card.selection, card.geometry
    z0, z1 = (v * m for v in card.decay_volume.fiducial_z_m)
    r0, slope, xc = (sel.upstream_straw1_cut[0], sel.upstream_straw1_cut[1] / m, sel.upstream_straw1_cut[2]) \
        if sel.upstream_straw1_cut is not None else (0.0, 0.0, 0.0)
    box = sel.gtk3_box_mm if sel.gtk3_box_mm is not None else (0.0, 0.0)
    return np.array([sel.cda_max_mm, z0, z1, GeV**2, m, GeV, r0, slope, xc, float(box[0]), float(box[1]),
                     g.straw_m[0] * m, g.gtk_m[-1] * m])


@njit(inline="always")
def upstream_ok(x1, y1, tx, ty, vz, cuts):
    """True unless the optional upstream geometric cuts of :func:`selection_cut_values` reject the track: its
    distance from the beam axis at STRAW1 at or below R0 - slope vz, or its backward extrapolation inside the GTK3
    box (public NA62 framework, ``KaonDecaySelection``, 2016-18 analysis; ``x1``, ``y1`` in mm at STRAW1, slopes in
    rad, ``vz`` in mm)."""
    ok = True
    if cuts[6] > 0.0:
        ok = math.sqrt((x1 - cuts[8]) ** 2 + y1 * y1) > cuts[6] - cuts[7] * vz
    if cuts[9] > 0.0:
        dz = cuts[12] - cuts[11]
        ok = ok and not ((abs(x1 + tx * dz) < cuts[9]) and (abs(y1 + ty * dz) < cuts[10]))
    return ok


@njit
def track_kernel(has_track, in_lkr, in_muv3, in_acc, p, chi2, x1, y1, cuts, bin_edges, species, w_decay, w_veto,
                 vz, units):
    """Rows of the events with a track: event index, flags (acceptance, momentum, quality), rows that can pass,
    and the float32/int8 track columns (one pass; same comparisons and divisions as the numpy selection).
    The stored ``w_decay`` is the response's decay survival times ``cuts[5]`` (non-simulated common cuts) and,
    for a pi+ track, ``cuts[6]`` (no hadronic interaction upstream of the calorimeters).

    ``p`` in MeV/c, ``x1``, ``y1`` in mm, ``cuts`` of :func:`track_cut_values`, ``bin_edges`` in MeV/c,
    ``vz`` (N, 3) in mm, ``units`` = (GeV, m) in MeV and mm.
    """
    n_trk = 0
    for i in range(has_track.shape[0]):
        n_trk += has_track[i]
    idx, flags, todo = np.empty(n_trk, np.int64), np.empty(n_trk, np.uint8), np.empty(n_trk, np.int64)
    sp, pbin = np.empty(n_trk, np.int8), np.empty(n_trk, np.int8)
    f32 = np.empty((4, n_trk), np.float32)          # p_gev, true_vz_m, w_decay, w_veto
    r, k = 0, 0
    for i in range(has_track.shape[0]):
        if not has_track[i]:
            continue
        x = p[i]
        acc = in_lkr[i] & in_muv3[i] & in_acc[i]              # no short circuit: no data-dependent branches
        mom = (x >= cuts[0]) & (x < cuts[1])
        good = (chi2[i] < cuts[2]) & (not ((abs(x1[i]) < cuts[3]) & (abs(y1[i]) < cuts[4])))
        flags[r] = FLAG_ACCEPTANCE * acc + FLAG_MOMENTUM * mom + FLAG_QUALITY * good
        if acc & mom & good:
            todo[k] = r
            k += 1
        idx[r], sp[r], pbin[r] = i, species[i], momentum_bin_one(x, bin_edges)
        f32[0, r], f32[1, r] = x / units[0], vz[i, 2] / units[1]
        w = w_decay[i] * cuts[5]                             # non-simulated common cuts, every mode
        if species[i] == PION:
            w = w * cuts[6]                                  # pi+ hadronic interactions
        f32[2, r], f32[3, r] = w, w_veto[i]
        r += 1
    return idx, flags, todo[:k], sp, pbin, f32


def track_columns(resp, vertex: np.ndarray, card: KaonCard):
    """Event index, flags and rows to match of the events with a track (:func:`track_kernel`), and their
    stored columns ``species``, ``p_gev`` (GeV/c), ``true_vz_m`` (m), ``w_decay``, ``w_veto`` (float32), ``pbin``.

    ``resp`` is a :class:`~na62lab.detector.response.TrackResponse`, ``vertex`` the true decay vertices (N, 3) in mm.
    """
    sel = card.selection
    in_acc = resp.in_acceptance if resp.in_acceptance is not None else np.ones(resp.p.size, bool)
    f = np.ascontiguousarray
    idx, flags, todo, sp, pbin, f32 = track_kernel(
        f(resp.has_track), f(resp.in_lkr), f(resp.in_muv3), f(in_acc), f(resp.p, float), f(resp.chi2, float),
        f(resp.x1, float), f(resp.y1, float), track_cut_values(card), np.asarray(sel.momentum_bins_gev, float) * GeV,
        f(resp.species, np.int8), f(resp.w_decay, float), f(resp.w_veto, float), f(vertex, float),
        np.array([GeV, m]))
    cols = {"species": sp, "pbin": pbin, "p_gev": f32[0], "true_vz_m": f32[1], "w_decay": f32[2], "w_veto": f32[3]}
    return idx, flags, todo, cols


@njit
def selection_kernel(todo, events, n_trk, p, mm2, mm2b, cda, vz, pk, matched, flags, cuts, r_lo, r_hi, r_code,
                     band_edges, b_lo, b_hi, q_lo, q_hi, trk):
    """Vertex and beam-consistency cuts, region codes and the RICH windows of the matched rows ``todo``
    (the numpy formulation is in ``tests/selection/reference_cuts.py``, with
    :func:`~na62lab.selection.pinunu.rich_windows` and :func:`~na62lab.selection.regions.region_codes`), and the
    float32 columns (NaN on unmatched rows).

    ``p`` in MeV/c, ``mm2``, ``mm2b`` in MeV^2/c^4, ``cda`` and ``vz`` in mm, ``pk`` in MeV/c, ``cuts`` of
    :func:`selection_cut_values`; window tables ``b_lo`` ... ``q_hi`` of
    :func:`~na62lab.selection.pinunu.window_table` (MeV^2/c^4); ``trk`` (4, N): x1, y1 (mm at STRAW1), tx, ty of
    every event's track, read only when an upstream cut is set (:func:`upstream_ok`, part of ``FLAG_VERTEX``).
    """
    region = np.zeros(n_trk, np.int8)
    f32 = np.full((5, n_trk), np.nan, np.float32)       # mmiss2_gev2, mmiss2_beam_gev2, cda_mm, vz_m, p_k_gev
    kin = np.empty(todo.shape[0], np.int64)
    t_lo, t_hi = np.empty(todo.shape[0]), np.empty(todo.shape[0])
    k = 0
    for i in range(todo.shape[0]):
        r = todo[i]
        c = region_code_one(mm2[i] / cuts[3], r_lo, r_hi, r_code)
        band = band_one(p[events[i]], band_edges)
        vertex = np.isfinite(mm2[i]) and (cda[i] < cuts[0]) and (vz[i] >= cuts[1]) and (vz[i] <= cuts[2])
        if vertex and (cuts[6] > 0.0 or cuts[9] > 0.0):
            e = events[i]
            vertex = upstream_ok(trk[0, e], trk[1, e], trk[2, e], trk[3, e], vz[i], cuts)
        consistent = (mm2b[i] >= b_lo[c, band]) and (mm2b[i] <= b_hi[c, band])
        flags[r] += FLAG_VERTEX * vertex + FLAG_MATCHED_TRUE * matched[i] + FLAG_BEAM * consistent
        region[r] = c
        f32[0, r], f32[1, r], f32[2, r] = mm2[i] / cuts[3], mm2b[i] / cuts[3], cda[i]
        f32[3, r], f32[4, r] = vz[i] / cuts[4], pk[i] / cuts[5]
        if vertex and consistent:
            kin[k], t_lo[k], t_hi[k] = i, q_lo[c, band], q_hi[c, band]
            k += 1
    return kin[:k], t_lo[:k], t_hi[:k], region, f32


def selection_columns(match, todo: np.ndarray, events: np.ndarray, p: np.ndarray, n_trk: int, flags,
                      card: KaonCard, track=None):
    """Kinematic selection of the matched rows (:func:`selection_kernel`; ``flags`` updated in place).

    ``match`` is the :func:`~na62lab.detector.matching.match_kaon_events` result of the track rows ``todo``
    (events ``events``), ``p`` the track momenta (MeV/c) of all events, ``track`` the x1, y1 (mm at STRAW1), tx, ty
    arrays of all events (needed only with the card's upstream geometric cuts).  Returns the kinematically
    selected positions in ``todo``, their RICH-momentum m_miss^2 windows (MeV^2/c^4), the region codes of all
    track rows and the stored matched columns (GeV^2/c^4, mm, m, GeV/c).
    """
    sel = card.selection
    cuts = selection_cut_values(card)
    if track is None:
        if cuts[6] > 0.0 or cuts[9] > 0.0:
            raise ValueError("the card's upstream geometric cuts need the track positions and slopes (track=...)")
        trk = np.zeros((4, 0))
    else:
        trk = np.ascontiguousarray(np.stack([np.asarray(a, float) for a in track]))
    b_lo, b_hi = window_table(sel.beam_windows_gev2, card, sel.beam_mmiss2_margin_gev2)
    q_lo, q_hi = window_table(sel.rich_windows_gev2, card, None)
    f = np.ascontiguousarray
    kin, t_lo, t_hi, region, f32 = selection_kernel(
        todo, events, n_trk, f(p, float), f(match.mmiss2), f(match.mmiss2_beam), f(match.cda), f(match.vz),
        f(match.p_k), f(match.matched_true), flags, cuts, *region_bounds(sel),
        np.asarray(sel.constraint_bands_gev, float) * GeV, b_lo, b_hi, q_lo, q_hi, trk)
    names = ("mmiss2_gev2", "mmiss2_beam_gev2", "cda_mm", "vz_m", "p_k_gev")
    return kin, t_lo, t_hi, region, dict(zip(names, f32))
