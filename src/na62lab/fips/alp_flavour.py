"""Flavour-changing ALP-quark coupling induced by flavour-universal ALP-fermion couplings (PBC BC10).

A derivative (shift-symmetric) ALP with the same axial coupling c to every fermion (normalisation of
Bauer, Neubert, Thamm, arXiv:1708.00443: (c/2) (d_mu a / Lambda) fbar gamma^mu gamma_5 f, i.e. chiral
couplings c_u = c_d = c_e = c/2 to the right-handed and c_Q = c_L = -c/2 to the left-handed fields, no
G Gtilde or F Ftilde term at Lambda, the BC10 model of Dalla Valle Garcia, Kahlhoefer, Ovchynnikov,
Zaporozhchenko, arXiv:2310.03524, used by :mod:`na62lab.fips.alp`) induces below Lambda the
left-handed coupling (c/Lambda) k V_ti* V_tj (d_mu a) dbar_i gamma^mu P_L d_j through the top Yukawa.
The coefficient k is the one-loop renormalisation-group result of Bauer, Neubert, Renner, Schnubel,
Thamm, arXiv:2012.12272 (JHEP 04 (2021) 063; evolution from Lambda to mu_w = m_t above the weak scale and
the one-loop matching at m_t), in the form implemented by the public ALPINIST code (Jerhot et al.,
arXiv:2201.05170; ALP_rescale/alp/effective_coupling.py, ``above_EW.C_qq_ij_mu``), which GKOZ use:

    k = -I_t/6 + alpha_t/(4 pi) [c_tt(m_t) F_1(x_t) - (3 alpha/(2 pi s_w^2)) Ctilde_WW F_2(x_t)],
    I_t = -(2/3) U(Lambda) c - (2/3) int_Lambda^{m_t} (dmu/mu) U(mu) S(mu),
    c_tt(m_t) = c - U(Lambda) c + int_Lambda^{m_t} (dmu/mu) (1 - U(mu)) S(mu),
    U(mu) = (9/2) (alpha_t/alpha_s)(m_t) [1 - (alpha_s(mu)/alpha_s(m_t))^(1/7)]   ("1 - e^(18 U)"),
    S(mu) = 2 alpha_s^2/pi^2 Ctilde_GG + 9 alpha_2^2/(16 pi^2) Ctilde_WW + 17 alpha_Y^2/(48 pi^2) Ctilde_BB,
    F_1 = -1/4 - (3/2)(1 - x + ln x)/(1 - x)^2,  F_2 = (1 - x + x ln x)/(1 - x)^2,  x_t = m_t^2/m_W^2,

with the basis-invariant anomaly combinations of the universal coupling, summed over three generations,
Ctilde_GG = sum (c_u + c_d - 2 c_Q)/2 = 3c, Ctilde_WW = -sum (3 c_Q + c_L)/2 = 3c, Ctilde_BB = sum (4/3 c_u +
1/3 c_d - 1/6 c_Q + c_e - 1/2 c_L) = 5c, each evolving as Ctilde_X - k_X U c (k_GG, k_WW, k_BB = 2/9, 1/6,
17/54).  Leading logarithm: k = c y_t^2/(16 pi^2) ln(Lambda^2/m_t^2)/2, one third of the coefficient
3 sqrt(2) G_F m_t^2/(16 pi^2) ln(Lambda^2/m_t^2) = (3/2) y_t^2/(16 pi^2) ln of Izaguirre, Lin, Shuve
(arXiv:1611.09355), which this package used for BC10 before; GKOZ replace that leading log by this RG result.

Inputs: MS-bar couplings at mu = M_t of Buttazzo et al., arXiv:1307.3536 (eqs. (60)-(62): g_3 = 1.1666,
g_2 = 0.64779, g_Y = 0.35830, y_t = 0.93690 + 0.00556 (M_t/GeV - 173.10)), one-loop alpha_s with n_f = 6 above
m_t (beta_0 = 7).  APPROXIMATE: alpha_t, alpha_2, alpha_Y held at their m_t values inside the integrals
(their running changes the O(alpha^2) integrand terms, < 5 % of k, by a few per cent of themselves).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from na62lab.fips.constants import M_TOP, SIN2_THETA_W
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV, TeV

__all__ = ["universal_fermion_fcnc_coefficient", "leading_log_coefficient", "M_W"]

M_W = pdg_mass("W+")
"""W mass in MeV (PDG, through the ``particle`` package, as the dark scalar's W loop)."""
_G3, _G2, _GY = 1.1666, 0.64779, 0.35830
_Y_TOP = 0.93690 + 0.00556 * (M_TOP / GeV - 173.10)
_ALPHA_S_MT = _G3**2 / (4 * math.pi)
_ALPHA_T = _Y_TOP**2 / (4 * math.pi)
_ALPHA_2 = _G2**2 / (4 * math.pi)
_ALPHA_Y = _GY**2 / (4 * math.pi)
_ALPHA_MW = 1 / 127.95
"""alpha(m_Z) = 1/127.95 (PDG 2024 electroweak review) for the small W-box matching term."""
_TILDE = {"GG": (3.0, 2 / 9), "WW": (3.0, 1 / 6), "BB": (5.0, 17 / 54)}
"""Ctilde_X per unit c at Lambda and the coefficient k_X of its top-Yukawa evolution (module docstring)."""


def _alpha_s(mu: np.ndarray) -> np.ndarray:
    """One-loop alpha_s(mu), n_f = 6 above m_t, from alpha_s(m_t) = g_3^2/(4 pi) (mu in MeV)."""
    return _ALPHA_S_MT / (1 + 7 * _ALPHA_S_MT / (2 * math.pi) * np.log(mu / M_TOP))


def _u(mu: np.ndarray) -> np.ndarray:
    """U(mu) = 1 - e^(18 U) between m_t and mu (module docstring)."""
    return 4.5 * _ALPHA_T / _ALPHA_S_MT * (1 - (_alpha_s(mu) / _ALPHA_S_MT) ** (1 / 7))


def _source(mu: np.ndarray, lambda_uv: float) -> np.ndarray:
    """S(mu) per unit c with Ctilde_X(mu) = Ctilde_X - k_X U(Lambda) evaluated at mu (module docstring)."""
    u_run = 4.5 * _ALPHA_T / _alpha_s(mu) * (1 - (_alpha_s(np.array(lambda_uv)) / _alpha_s(mu)) ** (1 / 7))
    gg, ww, bb = (c0 - k * u_run for c0, k in _TILDE.values())
    return (2 * _alpha_s(mu) ** 2 / math.pi**2 * gg + 9 * _ALPHA_2**2 / (16 * math.pi**2) * ww
            + 17 * _ALPHA_Y**2 / (48 * math.pi**2) * bb)


@lru_cache(maxsize=8)
def universal_fermion_fcnc_coefficient(lambda_uv: float = 1.0 * TeV) -> float:
    """k of the induced d_i -> d_j a coupling, g_ij = k |V_ti V_tj| c/Lambda, per unit c (module docstring).

    Parameters
    ----------
    lambda_uv : float
        Scale Lambda (MeV) where the couplings are universal (PBC BC10: 1 TeV).

    Returns
    -------
    float
        Dimensionless k (0.0089 at Lambda = 1 TeV).
    """
    mu = np.geomspace(M_TOP, lambda_uv, 401)
    t = np.log(mu)
    s, u, u_uv = _source(mu, lambda_uv), _u(mu), _u(np.array(lambda_uv))
    # int_Lambda^{m_t} dmu/mu f = -int_{ln m_t}^{ln Lambda} f dt
    i_t = -(2 / 3) * u_uv - (2 / 3) * -np.trapezoid(u * s, t)
    c_tt = 1 - u_uv - np.trapezoid((1 - u) * s, t)
    x = (M_TOP / M_W) ** 2
    f1 = -0.25 - 1.5 * (1 - x + math.log(x)) / (1 - x) ** 2
    f2 = (1 - x + x * math.log(x)) / (1 - x) ** 2
    ww_mt = _TILDE["WW"][0] - _TILDE["WW"][1] * u_uv
    match = _ALPHA_T / (4 * math.pi) * (c_tt * f1 - 3 * _ALPHA_MW / (2 * math.pi * SIN2_THETA_W) * ww_mt * f2)
    return float(-i_t / 6 + match)


def leading_log_coefficient(lambda_uv: float = 1.0 * TeV) -> float:
    """The leading logarithm of :func:`universal_fermion_fcnc_coefficient`: y_t^2/(16 pi^2) ln(Lambda^2/m_t^2)/2."""
    return _Y_TOP**2 / (16 * math.pi**2) * math.log(lambda_uv**2 / M_TOP**2) / 2

