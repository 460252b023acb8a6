"""Compiled (numba) kernels behind :mod:`na62lab.physics.kinematics`.

The kernels loop over events on (N, 4) arrays ordered (E, px, py, pz) in MeV
and draw their random numbers from an inline xoshiro256++ state
(:mod:`~na62lab.physics.fastrng`) that the numpy-level functions of
:mod:`~na62lab.physics.kinematics` draw from the caller's explicit
``numpy.random.Generator``, so those keep their signatures while running at
compiled speed.  ``njit`` (:mod:`~na62lab.physics.jit`) is re-exported here.

Formulas: PDG Review of Particle Physics 2024, "Kinematics", Eq. 49.3
(boost) and 49.17-49.25 (two- and three-body decays).
"""

from __future__ import annotations

import math

import numpy as np

from na62lab.physics.fastrng import uniform
from na62lab.physics.jit import njit  # noqa: F401  (re-exported: the kernels' decorator)


@njit
def boost_one(out, i, e, px, py, pz, gamma, gbx, gby, gbz):
    """Boost (e, p) by gamma and gamma*beta into row ``i`` of ``out`` (PDG Eq. 49.3)."""
    gbp = gbx * px + gby * py + gbz * pz
    coef = gbp / (gamma + 1.0) + e
    out[i, 0] = gamma * e + gbp
    out[i, 1] = px + coef * gbx
    out[i, 2] = py + coef * gby
    out[i, 3] = pz + coef * gbz


@njit
def mass2_rows(p4):
    """E^2 - |p|^2 (MeV^2) of every row of ``p4`` (N, 4)."""
    n = p4.shape[0]
    out = np.empty(n)
    for i in range(n):
        out[i] = p4[i, 0] ** 2 - p4[i, 1] ** 2 - p4[i, 2] ** 2 - p4[i, 3] ** 2
    return out


@njit
def boost_rows(p4, gamma, gb):
    """Boost every row of ``p4`` (N, 4) by gamma (N,) and gamma*beta (N, 3)."""
    n = p4.shape[0]
    out = np.empty_like(p4)
    for i in range(n):
        boost_one(out, i, p4[i, 0], p4[i, 1], p4[i, 2], p4[i, 3], gamma[i], gb[i, 0], gb[i, 1], gb[i, 2])
    return out


@njit
def _unit_perp(nx, ny, nz):
    """Two unit vectors orthogonal to the unit vector n (right-handed with n)."""
    if abs(nx) < 0.9:
        ax, ay, az = 0.0, -nz, ny          # x_hat cross n
    else:
        ax, ay, az = nz, 0.0, -nx          # y_hat cross n
    norm = math.sqrt(ax * ax + ay * ay + az * az)
    ax, ay, az = ax / norm, ay / norm, az / norm
    bx, by, bz = ny * az - nz * ay, nz * ax - nx * az, nx * ay - ny * ax
    return ax, ay, az, bx, by, bz


@njit
def _parent_frame(parent, i):
    """Invariant mass, gamma, gamma*beta and flight direction of parent row ``i``."""
    e, px, py, pz = parent[i, 0], parent[i, 1], parent[i, 2], parent[i, 3]
    p2 = px * px + py * py + pz * pz
    m = math.sqrt(max(e * e - p2, 0.0))
    p = math.sqrt(p2)
    if p > 0.0:
        nx, ny, nz = px / p, py / p, pz / p
    else:
        nx, ny, nz = 0.0, 0.0, 1.0
    return m, e / m, px / m, py / m, pz / m, nx, ny, nz


@njit(inline="always")
def _boost_frame(parent, i):
    """Invariant mass, gamma and gamma*beta of parent row ``i`` (as :func:`_parent_frame`, no direction)."""
    e, px, py, pz = parent[i, 0], parent[i, 1], parent[i, 2], parent[i, 3]
    p2 = px * px + py * py + pz * pz
    m = math.sqrt(max(e * e - p2, 0.0))
    return m, e / m, px / m, py / m, pz / m


@njit(inline="always")
def _below_threshold(parent, i, m1, m2):
    """True if parent row ``i`` is lighter than m1 + m2 (relative tolerance 1e-12).

    Same arithmetic as ``kinematics._check_masses`` (:func:`mass2_rows`, clipped at 0).
    """
    m2row = parent[i, 0] ** 2 - parent[i, 1] ** 2 - parent[i, 2] ** 2 - parent[i, 3] ** 2
    if m2row < 0.0:
        m2row = 0.0
    return math.sqrt(m2row) < (0.0 + m1 + m2) * (1 - 1e-12)


@njit
def two_body_kernel(parent, m1, m2, st, cos_theta, helicity):
    """Two-body decays, isotropic or at helicity angle ``cos_theta`` (see kinematics.two_body_decay).

    ``m1``, ``m2`` (MeV) and ``cos_theta`` hold one value per parent row, or
    a single value for all rows (length 1).  Returns the two daughters' lab
    four-momenta in one array (2, N, 4) in MeV (so that a final state made of
    both needs no copy to be stacked) and the number of parents below
    threshold (m < (m1 + m2)(1 - 1e-12); the caller raises).  The flight
    direction is computed for helicity decays only (isotropic ones do not
    need it).
    """
    n = parent.shape[0]
    out = np.empty((2, n, 4))
    out1 = out[0]
    out2 = out[1]
    j1 = 1 if m1.shape[0] > 1 else 0        # stride: per-row values or one shared value
    j2 = 1 if m2.shape[0] > 1 else 0
    jc = 1 if cos_theta.shape[0] > 1 else 0
    bad = 0
    for i in range(n):
        ma, mb = m1[i * j1], m2[i * j2]
        bad += _below_threshold(parent, i, ma, mb)
        a2, b2 = ma * ma, mb * mb
        if helicity:
            m, g, gbx, gby, gbz, nx, ny, nz = _parent_frame(parent, i)
        else:
            m, g, gbx, gby, gbz = _boost_frame(parent, i)
        lam = (m * m - a2 - b2) ** 2 - 4.0 * a2 * b2
        q = math.sqrt(max(lam, 0.0)) / (2.0 * m)
        phi = 2.0 * math.pi * uniform(st)
        if helicity:
            c = cos_theta[i * jc]
            s = math.sqrt(max(1.0 - c * c, 0.0))
            ax, ay, az, bx, by, bz = _unit_perp(nx, ny, nz)
            ux = c * nx + s * (math.cos(phi) * ax + math.sin(phi) * bx)
            uy = c * ny + s * (math.cos(phi) * ay + math.sin(phi) * by)
            uz = c * nz + s * (math.cos(phi) * az + math.sin(phi) * bz)
        else:
            c = 2.0 * uniform(st) - 1.0
            s = math.sqrt(max(1.0 - c * c, 0.0))
            ux, uy, uz = s * math.cos(phi), s * math.sin(phi), c
        e1 = (m * m + a2 - b2) / (2.0 * m)
        boost_one(out1, i, e1, q * ux, q * uy, q * uz, g, gbx, gby, gbz)
        boost_one(out2, i, m - e1, -q * ux, -q * uy, -q * uz, g, gbx, gby, gbz)
    return out, bad


@njit
def three_body_kernel(parent, m1, m2, m3, m12sq, m23sq, st):
    """Three-body decays at given Dalitz coordinates, isotropic orientation (PDG Eq. 49.22-49.23)."""
    n = parent.shape[0]
    o1, o2, o3 = np.empty((n, 4)), np.empty((n, 4)), np.empty((n, 4))
    for i in range(n):
        m, g, gbx, gby, gbz, _, _, _ = _parent_frame(parent, i)
        e1 = (m * m + m1 * m1 - m23sq[i]) / (2.0 * m)
        e3 = (m * m + m3 * m3 - m12sq[i]) / (2.0 * m)
        q1 = math.sqrt(max(e1 * e1 - m1 * m1, 0.0))
        q3 = math.sqrt(max(e3 * e3 - m3 * m3, 0.0))
        m13sq = m * m + m1 * m1 + m2 * m2 + m3 * m3 - m12sq[i] - m23sq[i]
        c13 = 1.0
        if q1 * q3 > 0.0:
            c13 = min(max((m1 * m1 + m3 * m3 + 2.0 * e1 * e3 - m13sq) / (2.0 * q1 * q3), -1.0), 1.0)
        s13 = math.sqrt(1.0 - c13 * c13)
        ct = 2.0 * uniform(st) - 1.0
        sth = math.sqrt(max(1.0 - ct * ct, 0.0))
        phi = 2.0 * math.pi * uniform(st)
        nx, ny, nz = sth * math.cos(phi), sth * math.sin(phi), ct
        ax, ay, az, bx, by, bz = _unit_perp(nx, ny, nz)
        psi = 2.0 * math.pi * uniform(st)
        cp, sp = math.cos(psi), math.sin(psi)
        v1x = q1 * (c13 * nx + s13 * (cp * ax + sp * bx))
        v1y = q1 * (c13 * ny + s13 * (cp * ay + sp * by))
        v1z = q1 * (c13 * nz + s13 * (cp * az + sp * bz))
        v3x, v3y, v3z = q3 * nx, q3 * ny, q3 * nz
        boost_one(o1, i, e1, v1x, v1y, v1z, g, gbx, gby, gbz)
        boost_one(o3, i, e3, v3x, v3y, v3z, g, gbx, gby, gbz)
        boost_one(o2, i, m - e1 - e3, -v1x - v3x, -v1y - v3y, -v1z - v3z, g, gbx, gby, gbz)
    return o1, o2, o3


@njit(inline="always")
def dalitz_limits_one(M, m1, m2, m3, m12sq):
    """Limits (lo, hi) of m23^2 (MeV^2) at fixed m12^2 in M -> m1 m2 m3 (PDG 2024 Eq. 49.23), one point
    (compiled; the array form is :func:`na62lab.physics.kinematics.dalitz_limits`).

    (E2* + E3*)^2 - (p2* +- p3*)^2 with the energies and momenta of particles 2 and 3 in the (12) rest frame.
    """
    m12 = math.sqrt(m12sq)
    e2 = (m12sq - m1 * m1 + m2 * m2) / (2.0 * m12)
    e3 = (M * M - m12sq - m3 * m3) / (2.0 * m12)
    p2 = math.sqrt(max(e2 * e2 - m2 * m2, 0.0))
    p3 = math.sqrt(max(e3 * e3 - m3 * m3, 0.0))
    base = (e2 + e3) ** 2
    return base - (p2 + p3) ** 2, base - (p2 - p3) ** 2


@njit(inline="always")
def in_dalitz_region(M, m1, m2, m3, m12sq, m23sq):
    """True if (m12^2, m23^2) (MeV^2) lies inside the Dalitz region of M -> m1 m2 m3 (:func:`dalitz_limits_one`)."""
    lo, hi = dalitz_limits_one(M, m1, m2, m3, m12sq)
    return lo <= m23sq <= hi


@njit
def flat_dalitz_kernel(M, m1, m2, m3, n, st):
    """``n`` points uniform inside the Dalitz region (m12^2, m23^2) by acceptance-rejection."""
    lo12, hi12 = (m1 + m2) ** 2, (M - m3) ** 2
    lo23, hi23 = (m2 + m3) ** 2, (M - m1) ** 2
    x_out, y_out = np.empty(n), np.empty(n)
    i = 0
    while i < n:
        x = lo12 + (hi12 - lo12) * uniform(st)
        y = lo23 + (hi23 - lo23) * uniform(st)
        if in_dalitz_region(M, m1, m2, m3, x, y):
            x_out[i], y_out[i] = x, y
            i += 1
    return x_out, y_out
