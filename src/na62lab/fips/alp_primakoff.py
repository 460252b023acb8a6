"""Primakoff production of photon-coupled ALPs on a nucleus (gamma N -> a N), for the dump.

Units: photon energy and ALP mass in MeV, angles in rad, momentum transfer in MeV^2,
cross-sections in internal area units (``/ hepunits.nanobarn`` gives nb).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from na62lab.fips.constants import ALPHA_EM
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV, hbarc

__all__ = ["primakoff_dsigma_dtheta", "primakoff_cross_section", "tsai_form_factor"]


def tsai_form_factor(t: ArrayLike, z: int, a: float) -> np.ndarray:
    """Elastic atomic x nuclear form factor F(t) = [a_s^2 t/(1 + a_s^2 t)] [1/(1 + t/d)].

    a_s = 111 Z^(-1/3)/m_e (atomic screening), d = 0.164 GeV^2 A^(-2/3) (nuclear size)
    (Tsai, PRD 34 (1986) 1326; as used by Doebrich et al., arXiv:1512.03069 eq. (5)).

    Parameters
    ----------
    t : array_like
        Momentum transfer squared |t| in MeV^2.
    z, a : int, float
        Atomic number and mass number of the target nucleus.
    """
    t = np.asarray(t, dtype=float)
    a_s2 = (111.0 * z ** (-1.0 / 3.0) / pdg_mass("e-")) ** 2
    d = 0.164 * GeV**2 * a ** (-2.0 / 3.0)
    return a_s2 * t / (1.0 + a_s2 * t) / (1.0 + t / d)


def primakoff_dsigma_dtheta(e_gamma: ArrayLike, theta: ArrayLike, m: ArrayLike, g_agg: float, z: int,
                            a: float) -> np.ndarray:
    """Primakoff dsigma/dtheta(gamma N -> a N) in internal area units per radian.

    dsigma/dtheta = (1/4) g^2 alpha Z^2 F(t)^2 p_a^4 sin^3(theta) / t^2, t = 2 E (E - p_a cos theta) - m^2
    (nuclear recoil neglected; Doebrich et al., arXiv:1512.03069 eq. (4); Tsai 1986).  Evaluated as
    t = m^4/(E + p_a)^2 + 4 E p_a sin^2(theta/2) and with F(t)/t in closed form (the direct
    formula loses all digits at small angles and gave NaN for some (E, m)).

    Parameters
    ----------
    e_gamma : array_like
        Photon energy in MeV.
    theta : array_like
        ALP polar angle in rad.
    m : array_like
        ALP mass in MeV.
    g_agg : float
        ALP-photon coupling in MeV^-1 (divide a GeV^-1 value by 1000).
    z, a : int, float
        Atomic and mass number of the target (copper: 29, 63.5).
    """
    e, th, m = (np.asarray(v, dtype=float) for v in (e_gamma, theta, m))
    p = np.sqrt(np.clip(e * e - m * m, 0.0, None))
    # t without cancellation: 2E(E - p cos theta) - m^2 = m^4/(E + p)^2 + 4 E p sin^2(theta/2)
    t = m**4 / np.maximum(e + p, 1e-300) ** 2 + 4.0 * e * p * np.sin(0.5 * th) ** 2
    # F(t)/t written out (F ~ a_s^2 t at small t), so that F^2/t^2 has no 0/0
    a_s2 = (111.0 * z ** (-1.0 / 3.0) / pdg_mass("e-")) ** 2
    f_over_t = a_s2 / (1.0 + a_s2 * t) / (1.0 + t / (0.164 * GeV**2 * a ** (-2.0 / 3.0)))
    val = 0.25 * g_agg**2 * ALPHA_EM * z**2 * f_over_t**2 * p**4 * np.sin(th) ** 3
    return np.where(e > m, val * hbarc**2, 0.0)


def primakoff_cross_section(e_gamma: ArrayLike, m: ArrayLike, g_agg: float, z: int, a: float,
                            theta_max: float = 0.1, n: int = 400) -> np.ndarray:
    """Total Primakoff cross-section (internal area units), dsigma/dtheta integrated over 0 < theta < theta_max.

    The integrand peaks at theta ~ m^2/(2 E^2); integration is on a log grid
    from 1e-9 rad (trapezoid, ``n`` points).  Arguments as in :func:`primakoff_dsigma_dtheta`.
    """
    e = np.asarray(e_gamma, dtype=float)[..., None]
    mm = np.asarray(m, dtype=float)[..., None]
    theta = np.logspace(-9, np.log10(theta_max), n)
    vals = primakoff_dsigma_dtheta(e, theta, mm, g_agg, z, a)
    return np.trapezoid(vals, theta, axis=-1)
