"""Three-body HNL decays with one invisible neutrino (``nu e e``, ``nu mu mu``, ``e mu nu``), importance-sampled
towards a neutrino of small momentum transverse to the HNL flight line.

Why: a dump selection that points the visible momentum back to the target (the NA62 TAX-pointing cut,
:func:`na62lab.selection.dump_selection.pointing_distance`) keeps an N -> nu l l decay only when the
neutrino's momentum transverse to the N flight line, p_T = p* sin(theta*) (boost invariant; p*, theta*
in the N rest frame, theta* to the flight axis), is a few MeV/c (20 mm at about 100 m for 30 GeV/c of
visible momentum): the neutrino flies along the axis, forwards or backwards, or is soft.  Flat phase space
with isotropic orientation puts about 1e-4 of the decays there, so a table node held 1-3 accepted decays
per round of 2500 FIPs x 6 slices and the lower |U_tau|^2 edge moved by 5-18 % between seeds
(na62_dump_run2, 1e18 POT).

How (exact, physics-neutral): the decay of an unpolarised N is isotropic in its rest frame (the
approximation of :mod:`na62lab.generation.dump.fip_decays`), and flat phase space is a uniform density in the
Dalitz plane (PDG 2024 Kinematics review, Eqs. 49.22-49.23), so (E*, t) with E* the neutrino energy and
t = 1 - |cos(theta*)| are independent, t uniform on [0, 1].  The decays are drawn from a defensive mixture
(Hesterberg, Technometrics 37 (1995) 185) of :data:`SHARES`: the plain draw; t from 1 / (L (t + t0)) on
[0, 1] (every e-fold of t near the axis gets the same share; t0 = :data:`AXIS_T0`); E* from the same
law on [0, E*_max] (scale :data:`SOFT_E0` x E*_max), the other Dalitz variable uniform in its range at
that E* (PDG Eq. 49.25), t uniform.  Each decay carries the weight plain / mixture density,
1 / (s0 + s1 g_t(t) + s2 g_E(E*) / f_E(E*)) with f_E the plain E* density: mean 1 under the mixture (every
estimate unbiased) and below 1 / s0, so no decay configuration is sampled worse than with that share of
the decays.  The azimuths about the flight axis and of the decay plane about the neutrino stay uniform.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from na62lab.physics.fastrng import new_state, uniform
from na62lab.physics.kinematics import dalitz_limits
from na62lab.physics.phase_space import (_parent_frame, _unit_perp, boost_one, dalitz_limits_one, in_dalitz_region,
                                         njit)

__all__ = ["SHARES", "AXIS_T0", "SOFT_E0", "log_draw", "three_body_invisible"]

SHARES = (0.3, 0.7)
"""Mixture shares (plain, near the axis) of :func:`three_body_invisible` (numerical choice, not physics)."""

AXIS_T0 = 1e-6
"""Scale t0 of the near-axis component in t = 1 - |cos(theta*)| (numerical choice): theta* = 1.4e-3 rad, a
p_T of 0.7 MeV/c for a 500 MeV/c neutrino, well inside the NA62 pointing cut (up to 20-30 MeV/c)."""

SOFT_E0 = 1e-4
"""Scale of the near-axis component in E* / E*_max (numerical choice): 0.05 MeV at 1 GeV."""


def log_draw(n: int, rng: np.random.Generator, x0: float, x_max: float = 1.0) -> np.ndarray:
    """``n`` draws of x on [0, x_max] from the density :func:`log_density` (inverse CDF)."""
    return np.clip(x0 * np.expm1(np.log1p(x_max / x0) * rng.random(n)), 0.0, x_max)


def log_density(x: np.ndarray, x0: float, x_max: float = 1.0) -> np.ndarray:
    """1 / (L (x + x0)) on [0, x_max], L = ln((x_max + x0) / x0): equal probability per e-fold of x above x0."""
    return 1.0 / (np.log1p(x_max / x0) * (np.asarray(x, float) + x0))


def _soft_width(energy: np.ndarray, big_m: float, masses: tuple[float, float, float]) -> tuple:
    """s_bc (MeV^2) at neutrino energy ``energy`` (MeV), and the range (lo, hi) of s_ab there (PDG Eq. 49.25);
    ``masses`` = (m_a = the neutrino's, m_b, m_c)."""
    ma, mb, mc = masses
    s_bc = big_m**2 + ma**2 - 2.0 * big_m * np.asarray(energy, float)
    lo, hi = dalitz_limits(big_m, mc, mb, ma, np.clip(s_bc, (mb + mc) ** 2, None))   # s_cb fixed -> s_ba range
    return s_bc, lo, hi


@lru_cache(maxsize=256)
def _width_integral(big_m: float, masses: tuple[float, float, float], n_nodes: int = 20001) -> tuple[float, float]:
    """E*_max (MeV) and the integral over E* of the s_ab range width (Simpson's rule on ``n_nodes`` nodes,
    relative error < 1e-6 for these square-root end points); once per mass (the tables ask each mass often)."""
    ma, mb, mc = masses
    e_max = (big_m**2 + ma**2 - (mb + mc) ** 2) / (2.0 * big_m)
    grid = np.linspace(ma, e_max, n_nodes)
    _, lo, hi = _soft_width(grid, big_m, masses)
    width = np.clip(hi - lo, 0.0, None)
    h = (e_max - ma) / (n_nodes - 1)
    return e_max, float(h / 3.0 * (width[0] + width[-1] + 4.0 * width[1:-1:2].sum() + 2.0 * width[2:-1:2].sum()))


@njit(inline="always")
def _log_draw_one(u: float, x0: float, x_max: float) -> float:
    """One draw of :func:`log_draw` from the uniform ``u``."""
    return min(max(x0 * math.expm1(math.log1p(x_max / x0) * u), 0.0), x_max)


@njit(inline="always")
def _sab_range(big_m, ma, mb, mc, s_bc):
    """Range (lo, hi) of s_ab (MeV^2) at s_bc (s_bc clipped at (m_b + m_c)^2), as :func:`_soft_width`: the
    Dalitz limits (:func:`~na62lab.physics.phase_space.dalitz_limits_one`) with the pair (c, b) fixed."""
    return dalitz_limits_one(big_m, mc, mb, ma, max(s_bc, (mb + mc) ** 2))


@njit(inline="always")
def _weight(big_m, ma, mb, mc, s_bc, t, s0, e_max, area):
    """Importance weight 1 / (s0 + s1 g_t(t) g_E(E*) / f_E(E*)) of the module docstring (0 where f_E = 0)."""
    e_nu = min(max((big_m * big_m + ma * ma - s_bc) / (2.0 * big_m) - ma, 0.0), e_max - ma)
    lo, hi = _sab_range(big_m, ma, mb, mc, big_m * big_m + ma * ma - 2.0 * big_m * (e_nu + ma))
    f_e = max(hi - lo, 0.0) / area
    if f_e <= 0.0:
        return 0.0
    x0 = SOFT_E0 * e_max
    g_e = 1.0 / (math.log1p((e_max - ma) / x0) * (e_nu + x0))
    g_t = 1.0 / (math.log1p(1.0 / AXIS_T0) * (t + AXIS_T0))
    return 1.0 / (s0 + (1.0 - s0) * g_e / f_e * g_t)


@njit
def _invisible_kernel(fip_p4, big_m, ma, mb, mc, order, s0, e_max, area, st):
    """Decays of the module docstring, one FIP row at a time (compiled; random numbers from the xoshiro
    state ``st``).  Daughters (a = neutrino, b, c) are written to rows ``order`` = (i_a, i_b, i_c) of the
    output (3, N, 4) (lab, MeV); returns it and the weights (N,)."""
    n = fip_p4.shape[0]
    out = np.empty((3, n, 4))
    weight = np.empty(n)
    lo_ab, hi_ab = (ma + mb) ** 2, (big_m - mc) ** 2
    lo_bc, hi_bc = (mb + mc) ** 2, (big_m - ma) ** 2
    for i in range(n):
        if uniform(st) >= s0:                              # near the axis: soft E*, then s_ab, then t
            e_a = ma + _log_draw_one(uniform(st), SOFT_E0 * e_max, e_max - ma)
            s_bc = big_m * big_m + ma * ma - 2.0 * big_m * e_a
            lo, hi = _sab_range(big_m, ma, mb, mc, s_bc)
            s_ab = lo + uniform(st) * (hi - lo)
            t = _log_draw_one(uniform(st), AXIS_T0, 1.0)
        else:                                              # plain: flat Dalitz (acceptance-rejection), t uniform
            while True:
                s_ab = lo_ab + (hi_ab - lo_ab) * uniform(st)
                s_bc = lo_bc + (hi_bc - lo_bc) * uniform(st)
                if in_dalitz_region(big_m, ma, mb, mc, s_ab, s_bc):
                    break
            t = uniform(st)
        weight[i] = _weight(big_m, ma, mb, mc, s_bc, t, s0, e_max, area)
        _decay_row(fip_p4, i, big_m, ma, mb, mc, s_ab, s_bc, t, order, out, st)
    return out, weight


@njit(inline="always")
def _decay_row(fip_p4, i, big_m, ma, mb, mc, s_ab, s_bc, t, order, out, st):
    """Daughters of FIP row ``i`` at (s_ab, s_bc) with the neutrino at t = 1 - |cos theta*| to the flight
    axis (either sign, uniform azimuth phi), b at a uniform azimuth psi about it (PDG Eqs. 49.22-49.23)."""
    e_a = (big_m * big_m + ma * ma - s_bc) / (2.0 * big_m)
    e_c = (big_m * big_m + mc * mc - s_ab) / (2.0 * big_m)
    e_b = big_m - e_a - e_c
    q_a = math.sqrt(max(e_a * e_a - ma * ma, 0.0))
    q_b = math.sqrt(max(e_b * e_b - mb * mb, 0.0))
    q_c = math.sqrt(max(e_c * e_c - mc * mc, 0.0))
    cos_t = (1.0 - t) * (-1.0 if uniform(st) < 0.5 else 1.0)
    sin_t = math.sqrt(max(1.0 - cos_t * cos_t, 0.0))
    phi = 2.0 * math.pi * uniform(st)
    _, g, gbx, gby, gbz, nx, ny, nz = _parent_frame(fip_p4, i)
    ax, ay, az, bx, by, bz = _unit_perp(nx, ny, nz)
    cp, sp = math.cos(phi), math.sin(phi)
    rx, ry, rz = cp * ax + sp * bx, cp * ay + sp * by, cp * az + sp * bz          # radial
    zx, zy, zz = cos_t * nx + sin_t * rx, cos_t * ny + sin_t * ry, cos_t * nz + sin_t * rz
    xx, xy, xz = cos_t * rx - sin_t * nx, cos_t * ry - sin_t * ny, cos_t * rz - sin_t * nz
    yx, yy, yz = cp * bx - sp * ax, cp * by - sp * ay, cp * bz - sp * az
    cos_ab = 1.0
    if q_a * q_b > 0.0:
        cos_ab = min(max((q_c * q_c - q_a * q_a - q_b * q_b) / (2.0 * q_a * q_b), -1.0), 1.0)
    sin_ab = math.sqrt(max(1.0 - cos_ab * cos_ab, 0.0))
    psi = 2.0 * math.pi * uniform(st)
    cq, sq = math.cos(psi), math.sin(psi)
    ux = cos_ab * zx + sin_ab * (cq * xx + sq * yx)
    uy = cos_ab * zy + sin_ab * (cq * xy + sq * yy)
    uz = cos_ab * zz + sin_ab * (cq * xz + sq * yz)
    pax, pay, paz = q_a * zx, q_a * zy, q_a * zz
    pbx, pby, pbz = q_b * ux, q_b * uy, q_b * uz
    boost_one(out[order[0]], i, e_a, pax, pay, paz, g, gbx, gby, gbz)
    boost_one(out[order[1]], i, e_b, pbx, pby, pbz, g, gbx, gby, gbz)
    boost_one(out[order[2]], i, e_c, -pax - pbx, -pay - pby, -paz - pbz, g, gbx, gby, gbz)


def three_body_invisible(fip_p4: np.ndarray, masses: tuple[float, float, float], nu_index: int,
                         rng: np.random.Generator, shares: tuple[float, float] = SHARES
                         ) -> tuple[list, np.ndarray]:
    """Flat three-body decays of FIPs of one mass, importance-sampled as in the module docstring
    (compiled: :func:`_invisible_kernel`, random numbers from a xoshiro state drawn from ``rng``).

    Parameters
    ----------
    fip_p4 : ndarray (N, 4)
        FIP lab four-momenta (MeV), one invariant mass.
    masses : (float, float, float)
        Daughter masses (MeV) in the order of the final state.
    nu_index : int
        Which daughter is the (invisible) neutrino.
    rng : numpy.random.Generator
    shares : (float, float)
        Mixture shares (plain, near the axis), summing to 1, plain > 0; (1, 0) gives plain decays (weights 1).

    Returns
    -------
    daughters : list of ndarray (N, 4)
        Lab four-momenta (MeV) in the order of ``masses``, summing to ``fip_p4``.
    weight : ndarray (N,)
        Importance weights (mean 1 under the mixture, at most 1 / shares[0]).
    """
    fip_p4 = np.ascontiguousarray(np.atleast_2d(np.asarray(fip_p4, float)))
    big_m = float(np.sqrt(max(fip_p4[0, 0] ** 2 - np.sum(fip_p4[0, 1:] ** 2), 0.0)))
    order = np.array([nu_index, (nu_index + 1) % 3, (nu_index + 2) % 3], dtype=np.int64)  # a = nu, b, c
    abc = tuple(float(masses[j]) for j in order)
    e_max, area = _width_integral(big_m, abc)
    out, weight = _invisible_kernel(fip_p4, big_m, *abc, order, float(shares[0]), e_max, area, new_state(rng))
    return [out[0], out[1], out[2]], weight
