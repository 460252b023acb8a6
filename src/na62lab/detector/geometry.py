"""Straight-line propagation through the NA62 layout, with the STRAW magnet as a thin pT kick.

Positions in mm, momenta in MeV.  The only field simulated is the MNP33
spectrometer dipole, approximated by a transverse-momentum kick
``-charge * pt_kick`` along x at ``z_mag`` (a positive particle is bent
towards -x, as the beam; JINST 12 (2017) P05025, Sec. 2).  The beam holes
are centred on the nominal beam trajectory (``DetectorParams.hole_x``).
"""

from __future__ import annotations

import math

from na62lab.physics.phase_space import njit


@njit(inline="always")
def position_at(z, x0, y0, z0, px, py, pz, charge, z_mag, pt_kick):
    """(x, y) in mm at plane ``z`` of a particle leaving (x0, y0, z0) with momentum (px, py, pz)."""
    if z <= z_mag or charge == 0:
        return x0 + px / pz * (z - z0), y0 + py / pz * (z - z0)
    xm = x0 + px / pz * (z_mag - z0)
    ym = y0 + py / pz * (z_mag - z0)
    return xm + (px - charge * pt_kick) / pz * (z - z_mag), ym + py / pz * (z - z_mag)


@njit(inline="always")
def path(x0, y0, z0, px, py, pz, charge, z_mag, pt_kick):
    """A particle's straight-line path with the thin kick, slopes computed once (a tuple for :func:`path_at`).

    (x0, y0, z0, tx, ty, tx_kicked, x_mag, y_mag, charged): :func:`path_at`
    gives the same numbers as :func:`position_at` (same operations in the
    same order), with three divisions per particle instead of two or three
    per plane.
    """
    tx, ty = px / pz, py / pz
    return (x0, y0, z0, tx, ty, (px - charge * pt_kick) / pz, x0 + tx * (z_mag - z0), y0 + ty * (z_mag - z0),
            charge != 0)


@njit(inline="always")
def path_at(z, t, z_mag):
    """(x, y) in mm at plane ``z`` of the path ``t`` (:func:`path`); equal to :func:`position_at`."""
    x0, y0, z0, tx, ty, txk, xm, ym, charged = t
    if z <= z_mag or not charged:
        return x0 + tx * (z - z0), y0 + ty * (z - z0)
    return xm + txk * (z - z_mag), ym + ty * (z - z_mag)


@njit(inline="always")
def _in_chamber_path(zc, hole_x, t, d):
    if zc <= t[2]:
        return 0
    x, y = path_at(zc, t, d.z_mag)
    return int((x - hole_x) ** 2 + y * y > d.straw_hole_r ** 2 and x * x + y * y < d.straw_outer_r ** 2)


@njit(inline="always")
def straw_chambers_hit_path(t, d):
    """:func:`straw_chambers_hit` of the path ``t`` (:func:`path`)."""
    return (_in_chamber_path(d.z_s1, d.hole_x1, t, d) + _in_chamber_path(d.z_s2, d.hole_x2, t, d)
            + _in_chamber_path(d.z_s3, d.hole_x3, t, d) + _in_chamber_path(d.z_s4, d.hole_x4, t, d))


@njit(inline="always")
def in_lkr_path(t, d):
    """:func:`in_lkr` of the path ``t``."""
    x, y = path_at(d.z_lkr, t, d.z_mag)
    return (x - d.lkr_hole_x) ** 2 + y * y > d.lkr_inner_r ** 2 and x * x + y * y < d.lkr_outer_r ** 2


@njit(inline="always")
def in_muv3_path(t, d):
    """:func:`in_muv3` of the path ``t``."""
    x, y = path_at(d.z_muv3, t, d.z_mag)
    return abs(x) < d.muv3_half and abs(y) < d.muv3_half and (x - d.muv3_hole_x) ** 2 + y * y > d.muv3_hole_r ** 2


@njit(inline="always")
def in_track_acceptance_path(t, d):
    """:func:`in_track_acceptance` of the path ``t``."""
    x, y = path_at(d.z_rich, t, d.z_mag)
    if (x - d.rich_axis_x) ** 2 + y * y <= d.rich_inner_r ** 2:
        return False
    x, y = path_at(d.z_newchod, t, d.z_mag)
    r2 = x * x + y * y
    if r2 <= d.newchod_rin ** 2 or r2 >= d.newchod_rout ** 2:
        return False
    x, y = path_at(d.z_lkr, t, d.z_mag)
    ax, ay = abs(x), abs(y)
    if ax * ax + ay * ay <= d.lkr_track_rin ** 2 or ax >= d.lkr_apothem or ay >= d.lkr_apothem:
        return False
    if ax + ay >= math.sqrt(2.0) * d.lkr_apothem:
        return False
    x, y = path_at(d.z_muv1, t, d.z_mag)
    if x * x + y * y <= d.muv12_rin ** 2 or abs(x) >= d.muv12_half or abs(y) >= d.muv12_half:
        return False
    return in_muv3_path(t, d)


@njit(inline="always")
def _in_chamber(zc, hole_x, x0, y0, z0, px, py, pz, charge, d):
    if zc <= z0:
        return 0
    x, y = position_at(zc, x0, y0, z0, px, py, pz, charge, d.z_mag, d.pt_kick)
    return int((x - hole_x) ** 2 + y * y > d.straw_hole_r ** 2 and x * x + y * y < d.straw_outer_r ** 2)


@njit(inline="always")
def straw_chambers_hit(x0, y0, z0, px, py, pz, charge, d):
    """Number of STRAW chambers whose active annulus the particle crosses (0-4)."""
    return (_in_chamber(d.z_s1, d.hole_x1, x0, y0, z0, px, py, pz, charge, d)
            + _in_chamber(d.z_s2, d.hole_x2, x0, y0, z0, px, py, pz, charge, d)
            + _in_chamber(d.z_s3, d.hole_x3, x0, y0, z0, px, py, pz, charge, d)
            + _in_chamber(d.z_s4, d.hole_x4, x0, y0, z0, px, py, pz, charge, d))


@njit(inline="always")
def in_lkr(x0, y0, z0, px, py, pz, charge, d):
    """True if the particle reaches the LKr front face inside its active annulus."""
    x, y = position_at(d.z_lkr, x0, y0, z0, px, py, pz, charge, d.z_mag, d.pt_kick)
    return (x - d.lkr_hole_x) ** 2 + y * y > d.lkr_inner_r ** 2 and x * x + y * y < d.lkr_outer_r ** 2


@njit(inline="always")
def in_muv3(x0, y0, z0, px, py, pz, charge, d):
    """True if the particle reaches MUV3 inside its square outline and outside its beam hole."""
    x, y = position_at(d.z_muv3, x0, y0, z0, px, py, pz, charge, d.z_mag, d.pt_kick)
    return abs(x) < d.muv3_half and abs(y) < d.muv3_half and (x - d.muv3_hole_x) ** 2 + y * y > d.muv3_hole_r ** 2


@njit(inline="always")
def in_track_acceptance(x0, y0, z0, px, py, pz, charge, d):
    """True if a track crosses the RICH, NewCHOD, LKr, MUV1/2 and MUV3 acceptances of the PNN selection.

    Acceptance regions of the NA62 framework ``GeometricAcceptance`` (radii
    around x = y = 0, the RICH one around its axis; LKr: octagon apothem),
    NA62 detector paper JINST 12 (2017) P05025 for the detectors.
    """
    x, y = position_at(d.z_rich, x0, y0, z0, px, py, pz, charge, d.z_mag, d.pt_kick)
    if (x - d.rich_axis_x) ** 2 + y * y <= d.rich_inner_r ** 2:
        return False
    x, y = position_at(d.z_newchod, x0, y0, z0, px, py, pz, charge, d.z_mag, d.pt_kick)
    r2 = x * x + y * y
    if r2 <= d.newchod_rin ** 2 or r2 >= d.newchod_rout ** 2:
        return False
    x, y = position_at(d.z_lkr, x0, y0, z0, px, py, pz, charge, d.z_mag, d.pt_kick)
    ax, ay = abs(x), abs(y)
    if ax * ax + ay * ay <= d.lkr_track_rin ** 2 or ax >= d.lkr_apothem or ay >= d.lkr_apothem:
        return False
    if ax + ay >= math.sqrt(2.0) * d.lkr_apothem:
        return False
    x, y = position_at(d.z_muv1, x0, y0, z0, px, py, pz, charge, d.z_mag, d.pt_kick)
    if x * x + y * y <= d.muv12_rin ** 2 or abs(x) >= d.muv12_half or abs(y) >= d.muv12_half:
        return False
    return in_muv3(x0, y0, z0, px, py, pz, charge, d)


@njit(inline="always")
def lav_station_hit(x0, y0, z0, px, py, pz, charge, d):
    """Index (0-11) of the LAV station a particle enters, -1 if it passes them all, -2 if it leaves the tank.

    Each station is a ring of lead-glass blocks between an inner and an outer
    radius (card ``vetoes.lav_stations``: NA62 framework ``GeometricAcceptance``,
    JINST 12 (2017) P05025, Sec. 6); a particle beyond the outer radius at the
    front face of the next station has left the vacuum tank through its wall
    (not instrumented) and is lost.
    """
    # fast path: |r| along each straight piece is convex, so a path inside the smallest bore at the
    # magnet and at the last station stays inside every bore (vertex radii are ~mm)
    tx, ty = px / pz, py / pz
    tx_after = (px - charge * d.pt_kick) / pz if charge != 0 else tx
    r_min2 = d.lav_rin[0] ** 2
    xl, yl = _straight_or_kicked(d.lav_z[11], x0, y0, z0, tx, ty, tx_after, d.z_mag)
    if xl * xl + yl * yl < r_min2:
        xm, ym = _straight_or_kicked(d.z_mag, x0, y0, z0, tx, ty, tx_after, d.z_mag)
        if xm * xm + ym * ym < r_min2:
            return -1
    for j in range(12):
        zf = d.lav_z[j]
        if zf <= z0:
            continue
        x, y = _straight_or_kicked(zf, x0, y0, z0, tx, ty, tx_after, d.z_mag)
        r2 = x * x + y * y
        if r2 >= d.lav_rout[j] ** 2:
            return -2
        if r2 >= d.lav_rin[j] ** 2:
            return j
    return -1


@njit(inline="always")
def _straight_or_kicked(z, x0, y0, z0, tx, ty, tx_after, z_mag):
    """(x, y) in mm at ``z`` with slope ``tx`` before and ``tx_after`` behind the thin kick at ``z_mag``.

    Same path as :func:`position_at` with the slopes computed once per particle.
    """
    if z <= z_mag:
        return x0 + tx * (z - z0), y0 + ty * (z - z0)
    return x0 + tx * (z_mag - z0) + tx_after * (z - z_mag), y0 + ty * (z - z0)
