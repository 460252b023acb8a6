"""Flatten a :class:`~na62lab.config.kaon.KaonCard` into the numbers the compiled kernels use.

All lengths in mm, momenta in MeV, angles in rad, times in ns (internal
units).  :class:`DetectorParams` is a ``NamedTuple`` of plain numbers (no
arrays, so that passing it between compiled functions costs no reference
counting); the veto inefficiency tables travel separately as one array
(:func:`veto_tables`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from na62lab.config.kaon import KaonCard
from na62lab.detector.scattering import layer_constants
from na62lab.detector.tracking import chamber_resolution
from na62lab.physics.particles import ctau, mass
from na62lab.physics.units import GeV, m, mm, mrad, ns, ps, urad  # noqa: F401


class DetectorParams(NamedTuple):
    """Geometry and response constants of the fast simulation (internal units)."""

    z_gtk3: float
    z_s1: float
    z_s2: float
    z_s3: float
    z_s4: float
    hole_x1: float
    hole_x2: float
    hole_x3: float
    hole_x4: float
    straw_hole_r: float
    straw_outer_r: float
    z_mag: float
    pt_kick: float
    z_lkr: float
    lkr_hole_x: float
    lkr_inner_r: float
    lkr_outer_r: float
    z_muv1: float
    z_muv3: float
    muv3_hole_x: float
    muv3_hole_r: float
    muv3_half: float
    z_irc: float
    irc_inner_r: float
    z_sac: float
    sac_half: float
    lav_min: float
    lav_max: float
    straw_t0p: float
    straw_ptail: float
    straw_tmaxp: float
    straw_tail_k: float
    chamber_sigma: float
    chi2_max: float
    min_chambers_extra: int
    p_track_min: float
    p_track_max: float
    gtk_dp: float
    gtk_angle: float
    gtk_pos: float
    gtk_time: float
    gtk_missing: float
    ktag_time: float
    rich_time: float
    window: float
    cda_scale: float
    max_disc: float
    accidental_mean: float
    max_accidentals: int
    beam_p: float
    beam_dp: float
    beam_tx: float
    beam_div_x: float
    beam_div_y: float
    beam_sx: float
    beam_sy: float
    m_k: float
    m_pi: float
    m_mu: float
    m_e: float
    ctau_pi: float
    lav_z: tuple
    lav_rin: tuple
    lav_rout: tuple
    irc_outer_r: float
    lkr_track_dist: float
    z_rich: float
    rich_inner_r: float
    rich_axis_x: float
    z_newchod: float
    newchod_rin: float
    newchod_rout: float
    lkr_track_rin: float
    lkr_apothem: float
    muv12_rin: float
    muv12_half: float
    ineff_straw: float
    ineff_newchod: float
    ineff_lkr: float
    ineff_lav: float
    ineff_muv3: float
    merged_eop_max: float
    straw_tail_bias: float = 1.0
    """Importance sampling of the STRAW single-scattering tails (chambers 1-3): their probability is multiplied
    by this factor (capped at 0.5; 1: off) and the track carries the exact weight
    (:func:`~na62lab.detector.tracking.measure_track`); set per mode by
    :func:`na62lab.variance.kaon.track_params` (card ``run.importance_straw_tail``)."""
    straw_tail_mix: float = 0.0
    """Share of STRAW tail angles drawn from a 1/theta^2 law instead of the Rutherford 1/theta^3 (0: off)."""


TABLE_LAV, TABLE_LKR, TABLE_IRC, TABLE_SAC = 0, 1, 2, 3
"""Rows of :func:`veto_tables`."""


def veto_tables(card: KaonCard) -> np.ndarray:
    """Inefficiency tables, shape (4, 2, k): [detector, (log E [MeV], log inefficiency), node].

    Tables shorter than the longest are padded by repeating their last node
    one unit of log E further each time (flat extrapolation is unchanged).
    """
    v = card.vetoes
    tables = [np.asarray(t, float) for t in (v.lav_ineff, v.lkr_ineff, v.irc_ineff, v.sac_ineff)]
    k = max(len(t) for t in tables)
    out = np.empty((4, 2, k))
    for i, t in enumerate(tables):
        loge, logi = np.log(t[:, 0] * GeV), np.log(t[:, 1])
        pad = k - len(t)
        out[i, 0] = np.concatenate([loge, loge[-1] + 1.0 + np.arange(pad)])
        out[i, 1] = np.concatenate([logi, np.full(pad, logi[-1])])
    return out


def beam_axis_x(card: KaonCard, z: float) -> float:
    """x (mm) of the nominal beam trajectory at ``z`` (mm): TRIM5 slope, then the STRAW-magnet kick.

    The STRAW, LKr and MUV3 beam holes are centred on this trajectory
    (NA62 detector paper, JINST 12 (2017) P05025, Sec. 2 and Fig. 1).
    """
    g = card.geometry
    z3, zm = g.gtk_m[-1] * m, g.magnet_m * m
    tx0 = card.beam.slope_x_mrad * mrad
    if z <= zm:
        return tx0 * (z - z3)
    tx1 = tx0 - g.magnet_pt_kick_mev / (card.beam.momentum_gev * GeV)
    return tx0 * (zm - z3) + tx1 * (z - zm)


def detector_params(card: KaonCard) -> DetectorParams:
    """Build the :class:`DetectorParams` of ``card`` (see the card for sources)."""
    g, s, v, t, b, gtk = card.geometry, card.straw, card.vetoes, card.timing, card.beam, card.gtk
    z_straw = [float(z) * m for z in g.straw_m]
    z_lkr, z_muv3 = g.lkr_m * m, g.muv3_m * m
    window = t.matching_window_ns * ns
    hole = [beam_axis_x(card, z) for z in z_straw]
    one = layer_constants(s.chamber_x_over_x0, s.chamber_z_eff, s.tail_threshold)
    sigma = chamber_resolution(s.dp_over_p_per_gev, g.magnet_pt_kick_mev, z_straw, g.magnet_m * m)
    a, lav = card.apertures, v.lav_stations
    return DetectorParams(
        z_gtk3=g.gtk_m[-1] * m, z_s1=z_straw[0], z_s2=z_straw[1], z_s3=z_straw[2], z_s4=z_straw[3],
        hole_x1=hole[0], hole_x2=hole[1], hole_x3=hole[2], hole_x4=hole[3],
        straw_hole_r=g.straw_beam_hole_radius_m * m, straw_outer_r=g.straw_outer_radius_m * m,
        z_mag=g.magnet_m * m, pt_kick=g.magnet_pt_kick_mev, z_lkr=z_lkr, lkr_hole_x=beam_axis_x(card, z_lkr),
        lkr_inner_r=g.lkr_inner_radius_m * m, lkr_outer_r=g.lkr_outer_radius_m * m,
        z_muv1=g.muv1_m * m, z_muv3=z_muv3, muv3_hole_x=beam_axis_x(card, z_muv3),
        muv3_hole_r=card.apertures.muv3_hole_radius_m * m, muv3_half=g.muv3_half_width_m * m,
        z_irc=g.irc_m * m, irc_inner_r=v.irc_inner_radius_m * m, z_sac=g.sac_m * m,
        sac_half=v.sac_half_width_m * m, lav_min=g.lav_angles_mrad[0] * mrad, lav_max=g.lav_angles_mrad[1] * mrad,
        straw_t0p=one[0], straw_ptail=one[1], straw_tmaxp=one[2], straw_tail_k=s.tail_threshold,
        chamber_sigma=sigma,  chi2_max=s.chi2_max,
        min_chambers_extra=s.min_chambers_extra,
        p_track_min=0.8 * card.selection.momentum_gev[0] * GeV, p_track_max=1.2 * card.selection.momentum_gev[1] * GeV,
        gtk_dp=gtk.momentum_resolution, gtk_angle=gtk.angle_resolution_urad * urad,
        gtk_pos=gtk.position_resolution_mm * mm, gtk_time=gtk.time_resolution_ps * ps,
        gtk_missing=gtk.track_inefficiency, ktag_time=t.ktag_resolution_ps * ps, rich_time=t.rich_resolution_ps * ps,
        window=window, cda_scale=t.cda_scale_mm * mm, max_disc=t.max_discriminant,
        accidental_mean=b.rate_mhz * 1e6 / 1e9 * 2.0 * window, max_accidentals=t.max_accidentals,
        beam_p=b.momentum_gev * GeV, beam_dp=b.momentum_rms_fraction, beam_tx=b.slope_x_mrad * mrad,
        beam_div_x=b.divergence_x_urad * urad, beam_div_y=b.divergence_y_urad * urad,
        beam_sx=b.size_x_mm * mm, beam_sy=b.size_y_mm * mm,
        m_k=mass("K+"), m_pi=mass("pi+"), m_mu=mass("mu+"), m_e=mass("e+"), ctau_pi=ctau("pi+"),
        lav_z=tuple(st[0] * m for st in lav), lav_rin=tuple(st[1] * m for st in lav),
        lav_rout=tuple(st[2] * m for st in lav), irc_outer_r=v.irc_outer_radius_m * m,
        lkr_track_dist=v.lkr_track_cluster_distance_m * m,
        z_rich=a.rich_m * m, rich_inner_r=a.rich_inner_radius_m * m, rich_axis_x=a.rich_axis_x_m * m,
        z_newchod=a.newchod_m * m, newchod_rin=a.newchod_radii_m[0] * m, newchod_rout=a.newchod_radii_m[1] * m,
        lkr_track_rin=a.lkr_track_inner_radius_m * m, lkr_apothem=a.lkr_apothem_m * m,
        muv12_rin=a.muv12_inner_radius_m * m, muv12_half=a.muv12_half_width_m * m,
        ineff_straw=v.charged_ineff_straw, ineff_newchod=v.charged_ineff_newchod, ineff_lkr=v.charged_ineff_lkr,
        ineff_lav=v.charged_ineff_lav, ineff_muv3=v.charged_ineff_muv3,
        merged_eop_max=card.calo_pid.merged_eop_max,
    )

