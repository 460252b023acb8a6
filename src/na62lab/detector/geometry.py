"""Straight-line propagation through the NA62 layout, with the STRAW magnet as a thin pT kick.

Positions in mm, momenta in MeV.  The only field simulated is the MNP33
spectrometer dipole, approximated by a transverse-momentum kick
``-charge * pt_kick`` along x at ``z_mag`` (a positive particle is bent
towards -x, as the beam; JINST 12 (2017) P05025, Sec. 2).  The beam holes
are centred on the nominal beam trajectory (``DetectorParams.hole_x``).
"""

from __future__ import annotations

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
