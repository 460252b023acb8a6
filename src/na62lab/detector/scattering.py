"""Multiple Coulomb scattering: Gaussian core (Highland) plus a single-scattering tail.

Angles in rad, momenta in MeV.  Compiled with numba (called from the detector
kernels); the python-level :func:`scattering_angles` draws many at once.
"""

from __future__ import annotations

import math

import numpy as np

from na62lab.physics.constants import ALPHA_EM, HBARC_MEV_FM, M_E
from na62lab.physics.fastrng import new_state, normal, uniform
from na62lab.physics.phase_space import njit


@njit(inline="always")
def highland_theta0(p, beta, x_over_x0):
    """Projected rms scattering angle (rad) of a unit-charge particle of momentum ``p`` (MeV).

    theta0 = 13.6 MeV / (beta p) sqrt(x/X0) (1 + 0.038 ln(x/(X0 beta^2)))
    (PDG 2024, "Passage of particles through matter", Eq. 34.16, Highland-Lynch-Dahl).
    """
    return 13.6 / (beta * p) * math.sqrt(x_over_x0) * (1.0 + 0.038 * math.log(x_over_x0 / (beta * beta)))


def layer_constants(x_over_x0: float, z_eff: float, k: float) -> tuple[float, float, float]:
    """Per-layer constants of :func:`scatter` for relativistic particles (beta = 1 in the logarithm).

    Returns
    -------
    (theta0_p, p_tail, theta_max_p) : floats
        theta0 * beta p in MeV rad (Highland, PDG 2024 Eq. 34.16); probability
        of one single scatter above k theta0; nuclear-size cut-off angle times
        beta p, hbar c / (1.2 fm A^1/3) in MeV rad with A = 2 Z.

    Notes
    -----
    Tail: Rutherford small-angle cross section on nuclei and electrons, Z(Z+1),
    integrated above theta_c: N(>theta_c) = (x/X0) pi m_e^2 / (alpha L (beta p theta_c)^2)
    with 1/X0 = 4 alpha r_e^2 N_A Z(Z+1) L / A, L = ln(183 Z^-1/3) (PDG 2024 Eq. 34.26
    without the Coulomb correction).  With theta_c = k theta0 the momentum drops out.
    Approximate: screening and the Coulomb correction are neglected, and the
    Gaussian core already contains part of these scatters.
    """
    theta0_p = 13.6 * math.sqrt(x_over_x0) * (1.0 + 0.038 * math.log(x_over_x0))
    rad_log = math.log(183.0 * z_eff ** (-1.0 / 3.0))
    nu = x_over_x0 * math.pi * M_E**2 / (ALPHA_EM * rad_log * (k * theta0_p) ** 2)
    return theta0_p, 1.0 - math.exp(-nu), HBARC_MEV_FM / (1.2 * (2.0 * z_eff) ** (1.0 / 3.0))


@njit(inline="always")
def _tail_angle(t0, bp, k, theta_max_p, st):
    tc = k * t0
    tmax = theta_max_p / bp
    if tmax <= tc:
        return 0.0
    u_lo = (tc / tmax) ** 2
    return tc / math.sqrt(u_lo + (1.0 - u_lo) * uniform(st))


@njit(inline="always")
def scatter(bp, theta0_p, p_tail, k, theta_max_p, st):
    """Projected scattering angles (theta_x, theta_y) in rad for one layer, at beta*p = ``bp`` (MeV).

    Gaussian core of width theta0_p / bp, plus with probability ``p_tail`` one
    Rutherford scatter with P(>theta) ~ 1/theta^2 above k theta0, cut at the
    nuclear-size angle (constants from :func:`layer_constants`).
    """
    t0 = theta0_p / bp
    tx = t0 * normal(st)
    ty = t0 * normal(st)
    if uniform(st) < p_tail:
        th = _tail_angle(t0, bp, k, theta_max_p, st)
        phi = 2.0 * math.pi * uniform(st)
        tx += th * math.cos(phi)
        ty += th * math.sin(phi)
    return tx, ty


@njit(inline="always")
def scatter_projected(bp, theta0_p, p_tail, k, theta_max_p, st):
    """One projected angle (rad) as in :func:`scatter` (x only), and the core width theta0 (rad)."""
    t0 = theta0_p / bp
    tx = t0 * normal(st)
    if uniform(st) < p_tail:
        tx += _tail_angle(t0, bp, k, theta_max_p, st) * math.cos(2.0 * math.pi * uniform(st))
    return tx, t0


@njit
def _many(p, mass, theta0_p, p_tail, k, theta_max_p, st):
    n = p.shape[0]
    out = np.empty((n, 2))
    for i in range(n):
        bp = p[i] * p[i] / math.sqrt(p[i] * p[i] + mass * mass)
        out[i, 0], out[i, 1] = scatter(bp, theta0_p, p_tail, k, theta_max_p, st)
    return out


def scattering_angles(p, mass, x_over_x0, z_eff, rng, k=2.5):
    """Projected scattering angles (N, 2) in rad after a layer of ``x_over_x0`` radiation lengths.

    Parameters
    ----------
    p : array_like
        Momenta (MeV).
    mass : float
        Particle mass (MeV).
    x_over_x0 : float
        Layer thickness in radiation lengths.
    z_eff : float
        Effective atomic number (sets L = ln(183 Z^-1/3) and A ~ 2 Z).
    rng : numpy.random.Generator
    k : float
        Tail threshold in units of theta0.
    """
    p = np.ascontiguousarray(np.atleast_1d(p), dtype=float)
    t0p, ptail, tmaxp = layer_constants(x_over_x0, z_eff, k)
    return _many(p, float(mass), t0p, ptail, float(k), tmaxp, new_state(rng))
