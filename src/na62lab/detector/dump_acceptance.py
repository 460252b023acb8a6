"""Geometric acceptance of FIP decay products in the NA62 detector (dump mode).

Straight-line propagation of each visible daughter from the decay vertex,
with the MNP33 dipole as a thin lens between STRAW chambers 2 and 3 giving a
horizontal transverse-momentum kick of charge x ``magnet_pt_kick_mev``
(NA62 detector paper, JINST 12 (2017) P05025, arXiv:1703.08501, sec. 2.2.5;
positions and apertures from :class:`na62lab.config.geometry.Geometry`).

Requirements (approximation of the dump selections of arXiv:2303.08666 and
arXiv:2312.12055; the apertures are circles):

- charged tracks: momentum above the card threshold; outside the beam hole
  (centred at the card's ``straw_hole_x_m``: the holes follow the deflected
  K+ beam, see :class:`na62lab.config.geometry.Geometry`) and inside the
  outer radius of all four STRAW chambers (NA62's own HNL dump projection
  requires four-chamber tracks in all four chambers: NA62 software,
  ``HeavyNeutrino`` analyzer, L. Iacobuzio 2018);
- particle ID: electrons and hadrons inside the LKr annulus (E/p), muons
  inside MUV3 (square, with its central hole);
- photons: inside the LKr (outside its beam hole and the card's minimum
  radius, inside its outer edge) with energy above the card threshold; a
  photon pair also needs the card's minimum summed energy and cluster
  separation.  The LKr outer edge is a circle, or the octagon of the NA62
  setup in the public ALPINIST code (jjerhot/ALPINIST, ALP_decay/src/
  ExpParameters.C, inCaloAcceptance: |x|, |y| <= 1.13 m, |x| + |y| <= 1.598 m;
  its two small corner cut-outs are neglected: APPROXIMATION) when the card
  gives ``lkr_octagon_m``.  Photons from decays beyond STRAW chamber 1 are
  assumed to cross the spectrometer and RICH material unconverted
  (APPROXIMATION).

Positions in mm, momenta in MeV/c.
"""

from __future__ import annotations

import numpy as np

from na62lab.config.dump import DumpDetector, DumpSelection
from na62lab.config.geometry import Geometry
from na62lab.physics.units import GeV, m


def position_at(vertex: np.ndarray, p4: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Transverse position (mm) of a straight track from ``vertex`` at plane ``z`` (mm).

    Parameters
    ----------
    vertex : ndarray (N, 3)
        Track origin (mm).
    p4 : ndarray (N, 4)
        Four-momentum (MeV); tracks with pz <= 0 are put at infinity.
    z : float
        Plane position (mm).
    """
    pz = p4[:, 3]
    forward = pz > 0
    dz = (z - vertex[:, 2]) / np.where(forward, pz, 1.0)
    far = np.where(forward, 0.0, 1e30)                     # backward tracks never arrive
    return vertex[:, 0] + p4[:, 1] * dz + far, vertex[:, 1] + p4[:, 2] * dz + far


def _annulus(x, y, r_in, r_out):
    r2 = x * x + y * y
    return (r2 >= r_in * r_in) & (r2 <= r_out * r_out)


def charged_track_acceptance(vertex: np.ndarray, p4: np.ndarray, charge: int, kind: str,
                             geometry: Geometry, selection: DumpSelection) -> np.ndarray:
    """Whether charged tracks cross the four STRAW chambers and their PID detector.

    Parameters
    ----------
    vertex : ndarray (N, 3)
        Decay vertex (mm).
    p4 : ndarray (N, 4)
        Track four-momentum (MeV).
    charge : {+1, -1}
        Electric charge (sets the bending direction).
    kind : {"e", "mu", "pi", "K"}
        Particle type (sets the PID detector: LKr for e, pi, K; MUV3 for mu).
    geometry, selection : cards
        Positions/apertures (m) and thresholds.

    Returns
    -------
    ndarray of bool (N,)
    """
    ok = np.linalg.norm(p4[:, 1:], axis=1) >= selection.track_p_min_gev * GeV
    ok &= vertex[:, 2] < geometry.straw_m[0] * m
    z_mag = geometry.magnet_m * m
    for i in (0, 1):
        ok &= _in_straw(*position_at(vertex, p4, geometry.straw_m[i] * m), i, geometry)
    x_mag, y_mag = position_at(vertex, p4, z_mag)
    kicked = p4.copy()
    kicked[:, 1] += charge * geometry.magnet_pt_kick_mev
    after = np.stack([x_mag, y_mag, np.full_like(x_mag, z_mag)], axis=1)
    for i in (2, 3):
        ok &= _in_straw(*position_at(after, kicked, geometry.straw_m[i] * m), i, geometry)
    return ok & _pid_acceptance(after, kicked, kind, geometry, selection)


def _in_straw(x: np.ndarray, y: np.ndarray, chamber: int, geometry: Geometry) -> np.ndarray:
    """Inside STRAW chamber ``chamber`` (0-3): outside its beam hole, centred at the card's
    ``straw_hole_x_m``, and inside the outer radius about the z axis (NA62 software,
    ``GeometricAcceptance``).  Positions in mm."""
    hole, outer = geometry.straw_beam_hole_radius_m * m, geometry.straw_outer_radius_m * m
    dx = x - geometry.straw_hole_x_m[chamber] * m
    return (dx * dx + y * y >= hole * hole) & (x * x + y * y <= outer * outer)


def _pid_acceptance(origin, p4, kind, geometry: Geometry, selection: DumpSelection) -> np.ndarray:
    if kind == "mu":
        x, y = position_at(origin, p4, geometry.muv3_m * m)
        half, hole = geometry.muv3_half_width_m * m, selection.muv3_hole_radius_m * m
        return (np.abs(x) <= half) & (np.abs(y) <= half) & (x * x + y * y >= hole * hole)
    return lkr_acceptance(origin, p4, geometry, selection)


def lkr_acceptance(origin: np.ndarray, p4: np.ndarray, geometry: Geometry,
                   selection: DumpSelection | None = None, r_min: float = 0.0) -> np.ndarray:
    """Whether straight lines from ``origin`` (mm) along ``p4`` hit the LKr.

    Inside the outer edge (circle, or the card's octagon), outside the beam
    hole and outside ``r_min`` (mm) from the axis.
    """
    x, y = position_at(origin, p4, geometry.lkr_m * m)
    r_in = max(geometry.lkr_inner_radius_m * m, r_min)
    octagon = selection.lkr_octagon_m if selection is not None else None
    if octagon is None:
        return _annulus(x, y, r_in, geometry.lkr_outer_radius_m * m)
    half, diag = octagon[0] * m, octagon[1] * m
    ax, ay = np.abs(x), np.abs(y)
    return (x * x + y * y >= r_in * r_in) & (ax <= half) & (ay <= half) & (ax + ay <= diag)


def photon_acceptance(vertex: np.ndarray, p4: np.ndarray, geometry: Geometry,
                      selection: DumpSelection) -> np.ndarray:
    """Whether photons from ``vertex`` (mm) reach the LKr above the energy threshold."""
    return (p4[:, 0] >= selection.photon_e_min_gev * GeV) & lkr_acceptance(
        vertex, p4, geometry, selection, selection.photon_min_radius_m * m)


def photon_pair_condition(vertex: np.ndarray, photons: list, geometry: Geometry,
                          selection: DumpSelection) -> np.ndarray:
    """Summed photon energy and pairwise LKr cluster separation of the card (True without cuts)."""
    return _pair_at(vertex, photons, geometry.lkr_m * m, selection)


def _apart(ok: np.ndarray, pos: list, cut: float) -> np.ndarray:
    """``ok`` and every pair of transverse positions ``pos`` (list of (x, y), mm) at least ``cut`` (mm) apart."""
    for i in range(len(pos)):
        for j in range(i + 1, len(pos)):
            ok &= np.hypot(pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]) >= cut
    return ok


def track_separation(vertex: np.ndarray, tracks: list, geometry: Geometry, selection: DumpSelection) -> np.ndarray:
    """Whether every pair of charged tracks is at least the card's distance apart at STRAW chamber 1.

    Two tracks closer than about one straw diameter cross the same straws in
    every view of the chamber and are not resolved (STRAW tubes of 9.82 mm
    diameter: NA62 detector paper, JINST 12 (2017) P05025, sec. 2.2.5).  For a
    light FIP the opening angle ~ 2 m / E makes its tracks nearly collinear
    upstream of the magnet.  Positions from straight lines (mm).
    """
    ok = np.ones(vertex.shape[0], dtype=bool)
    cut = selection.track_min_separation_mm
    if cut <= 0 or len(tracks) < 2:
        return ok
    return _apart(ok, [position_at(vertex, t, geometry.straw_m[0] * m) for t in tracks], cut)


def daughters_acceptance(vertex: np.ndarray, p4s: list, kinds: tuple, charges: tuple,
                         geometry: Geometry, selection: DumpSelection) -> np.ndarray:
    """Whether every visible daughter is accepted (AND over daughters).

    Parameters
    ----------
    vertex : ndarray (N, 3)
        Decay vertices (mm).
    p4s : list of ndarray (N, 4)
        Daughter four-momenta (MeV).
    kinds, charges : tuples
        Daughter types (``e, mu, pi, K, gamma``) and charges.
    """
    ok = np.ones(vertex.shape[0], dtype=bool)
    for p4, kind, q in zip(p4s, kinds, charges):
        if kind == "gamma":
            ok &= photon_acceptance(vertex, p4, geometry, selection)
        else:
            ok &= charged_track_acceptance(vertex, p4, q, kind, geometry, selection)
    ok &= track_separation(vertex, [p4 for p4, q in zip(p4s, charges) if q], geometry, selection)
    photons = [p4 for p4, kind in zip(p4s, kinds) if kind == "gamma"]
    if photons and not any(charges):
        ok &= photon_pair_condition(vertex, photons, geometry, selection)
    return ok


def generic_acceptance(vertex: np.ndarray, p4s: list, kinds: tuple, charges: tuple, detector: DumpDetector,
                       selection: DumpSelection) -> np.ndarray:
    """Acceptance of a generic dump detector (:class:`na62lab.config.dump.DumpDetector`).

    Every visible daughter: above the card's momentum (charged; muons may have
    their own ``muon_p_min_gev``) or energy (photon, optionally also below
    ``photon_e_max_gev``) threshold, and inside the rectangular aperture,
    centred on the detector axis, at every plane downstream of the vertex
    (straight lines; a plane upstream of the vertex is not required).  A
    photons-only final state with ``photons_in_acceptance = "any"`` (a
    calorimeter that records one or two, mostly merged, showers) needs at
    least one photon inside the apertures, and every photon that is inside
    must be within the energy cuts: a photon that reaches the calorimeter
    deposits its energy whether or not it is counted, so one above
    ``photon_e_max_gev`` rejects the event (the CHARM setup of the public
    ALPINIST code, ExpParameters.C, twoPhotonCondition: with one photon on
    the calorimeter it must have 5-50 GeV, with two both must).  Otherwise
    every photon must be inside and within the cuts, and photon pairs also
    need the card's summed energy and cluster separation at the last plane.

    With ``electrons_as_showers`` (a calorimeter without a magnetic
    spectrometer, as CHARM) an e+ e- final state is selected as two
    electromagnetic showers, exactly as a photon pair (the public ALPINIST
    code, ExpParameters.C: for CHARM, twoElectronCondition falls through to
    twoPhotonCondition).
    """
    if selection.electrons_as_showers and kinds and all(k in ("e", "gamma") for k in kinds):
        kinds, charges = ("gamma",) * len(kinds), (0,) * len(kinds)
    each = [_daughter_inside(vertex, p4, kind, detector, selection) for p4, kind in zip(p4s, kinds)]
    photons = [p4 for p4, kind in zip(p4s, kinds) if kind == "gamma"]
    if photons and not any(charges) and selection.photons_in_acceptance == "any":
        hits = [_inside_apertures(vertex, p4, detector) for p4 in photons]
        ok = np.logical_or.reduce(hits)
        for hit, inside in zip(hits, each):
            ok &= ~hit | inside                     # a photon on the calorimeter must pass the energy cuts
        return ok
    ok = np.logical_and.reduce(each) if each else np.ones(vertex.shape[0], dtype=bool)
    if photons and not any(charges):
        ok &= _pair_at(vertex, photons, detector.planes_m[-1] * m, selection)
    return ok


def _daughter_inside(vertex: np.ndarray, p4: np.ndarray, kind: str, detector: DumpDetector,
                     selection: DumpSelection) -> np.ndarray:
    """One daughter (MeV) from ``vertex`` (mm): within the energy cuts and inside every downstream aperture."""
    if kind == "gamma":
        ok = p4[:, 0] >= selection.photon_e_min_gev * GeV
        if selection.photon_e_max_gev is not None:
            ok &= p4[:, 0] <= selection.photon_e_max_gev * GeV
    else:
        p_min = selection.track_p_min_gev
        if kind == "mu" and selection.muon_p_min_gev is not None:
            p_min = selection.muon_p_min_gev
        ok = np.linalg.norm(p4[:, 1:], axis=1) >= p_min * GeV
    return ok & _inside_apertures(vertex, p4, detector)


def _inside_apertures(vertex: np.ndarray, p4: np.ndarray, detector: DumpDetector) -> np.ndarray:
    """Straight line from ``vertex`` (mm) along ``p4`` inside every aperture downstream of the vertex."""
    hx, hy = (h * m for h in detector.aperture_half_m)
    x0, y0 = (o * m for o in detector.offset_m)
    ok = np.ones(vertex.shape[0], dtype=bool)
    for z in detector.planes_m:
        x, y = position_at(vertex, p4, z * m)
        ok &= (vertex[:, 2] >= z * m) | ((np.abs(x - x0) <= hx) & (np.abs(y - y0) <= hy))
    return ok


def _pair_at(vertex: np.ndarray, photons: list, z: float, selection: DumpSelection) -> np.ndarray:
    """Summed photon energy and pairwise separation at plane ``z`` (mm) of the card's photon-pair cuts."""
    ok = np.sum([g[:, 0] for g in photons], axis=0) >= selection.photon_pair_e_min_gev * GeV
    return _apart(ok, [position_at(vertex, g, z) for g in photons], selection.photon_min_separation_m * m)


def accepted_tracks(vertex: np.ndarray, p4s: list, codes: np.ndarray, charges: np.ndarray,
                    geometry: Geometry, detector: DumpDetector | None, selection: DumpSelection) -> np.ndarray:
    """Number of accepted charged tracks per decay of a variable-multiplicity (inclusive) final state.

    A charged slot counts if it passes the single-track acceptance of the card: a generic
    detector's thresholds and apertures (:func:`generic_acceptance` for one daughter), or the NA62
    STRAW chambers and PID detector (:func:`charged_track_acceptance`; muons to MUV3, every other
    charged particle to the LKr).  Photons and empty slots do not count.

    Parameters
    ----------
    vertex : ndarray (N, 3)
        Decay vertices (mm).
    p4s : list of ndarray (N, 4)
        Slot four-momenta (MeV).
    codes, charges : ndarray (N, K)
        Kind codes (``na62lab.generation.dump.hadronic_decays.KIND_CODES``; 3 is a muon) and charges.
    geometry, detector, selection : cards

    Returns
    -------
    ndarray of int (N,)
    """
    n = np.zeros(vertex.shape[0], dtype=int)
    for j, p4 in enumerate(p4s):
        q = charges[:, j].astype(float)
        muon = codes[:, j] == 3
        for kind, rows in (("mu", muon & (q != 0)), ("pi", ~muon & (q != 0))):
            idx = np.flatnonzero(rows)          # each track through its own detector only (row-wise cuts)
            if idx.size:
                n[idx] += _track_accepted(vertex[idx], p4[idx], q[idx], kind, geometry, detector, selection)
    return n


def _track_accepted(vertex, p4, q, kind: str, geometry: Geometry, detector: DumpDetector | None,
                    selection: DumpSelection) -> np.ndarray:
    """Single-track acceptance of :func:`accepted_tracks`: generic detector or NA62 STRAW + PID."""
    if detector is not None:
        return _daughter_inside(vertex, p4, kind, detector, selection)
    return charged_track_acceptance(vertex, p4, q, kind, geometry, selection)
