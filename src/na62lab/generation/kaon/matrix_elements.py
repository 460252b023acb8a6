"""Squared matrix elements and spectra of the K+ decays, as unnormalised densities.

Every function takes invariants in MeV^2 (or energies in MeV, in the kaon
rest frame) and returns a non-negative density used for acceptance-rejection
sampling; the overall normalisation (the branching ratio) comes from
:mod:`na62lab.generation.kaon.branching`.  Parameters are module constants
with their sources; pass other values through the keyword arguments.
"""

from __future__ import annotations

import numpy as np

from na62lab.fips.constants import K_PI_LL_FORM_FACTOR
from na62lab.generation.kaon.branching import PI0_DALITZ_SLOPE
from na62lab.physics.kinematics import kallen
from na62lab.physics.particles import mass
from na62lab.physics.phase_space import njit

M_K = mass("K+")
M_PI = mass("pi+")
M_PI0 = mass("pi0")

K3PI_CHARGED = {"g": -0.21134, "h": 0.0185, "k": -0.00463}
"""Dalitz slopes of K+ -> pi+ pi+ pi- (PDG 2024 K+ listing: g from NA48/2 BATLEY 2007B, h, k averages)."""

K3PI_NEUTRAL = {"g": 0.626, "h": 0.052, "k": 0.0054}
"""Dalitz slopes of K+ -> pi+ pi0 pi0 (PDG 2024 K+ listing averages)."""

KL3_FORM_FACTORS = {"lambda_plus_1": 24.24e-3, "lambda_plus_2": 1.67e-3, "lambda_zero": 11.67e-3}
"""Quadratic f+ and linear f0 slopes (units of m_pi+^2): NA48/2, JHEP 10 (2018) 150 (arXiv:1808.09041)."""

KE4_FORM_FACTORS = {"fs": 5.705, "fs1": 0.152, "fs2": -0.073, "fe1": 0.068, "gp": 0.868, "gp1": 0.089,
                    "hp": -0.398}
"""Ke4 form factors: f_s (NA48/2 PLB 715 (2012) 105) and the ratios to f_s of f_s', f_s'', f_e', g_p,
g_p', h_p (NA48/2, EPJC 70 (2010) 635)."""

PIGG_CHAT = 1.7
"""ChPT O(p^4) counterterm c-hat of K+ -> pi+ gamma gamma (approximate: NA48/2 and NA62 fits give 1.7-1.9,
NA62 PLB 732 (2014) 65 and PLB 850 (2024) 138513)."""

PIMUMU_FORM_FACTOR = {"a_plus": K_PI_LL_FORM_FACTOR[0], "b_plus": K_PI_LL_FORM_FACTOR[1]}
"""Linear form factor W(z) ~ a+ + b+ z of K+ -> pi+ l+ l-: NA62, JHEP 11 (2022) 011 (arXiv:2209.05076),
a+ = -0.575, b+ = -0.722 (:data:`na62lab.fips.constants.K_PI_LL_FORM_FACTOR`)."""


def k3pi_density(s1, s2, s3, slopes, m_pi=M_PI, s0=None):
    """|M|^2 = 1 + g u + h u^2 + k v^2 of K -> 3 pi.

    Parameters
    ----------
    s1, s2, s3 : ndarray
        s_i = (P_K - p_i)^2 in MeV^2; pion 3 is the odd one (pi- in pi+ pi+ pi-,
        pi+ in pi+ pi0 pi0).
    slopes : dict
        ``g``, ``h``, ``k`` (dimensionless).
    m_pi : float
        Normalising pion mass (MeV): charged pion, as in the PDG definition.
    s0 : float, optional
        (s1 + s2 + s3)/3 in MeV^2; computed from the inputs if omitted.

    Returns
    -------
    ndarray
        Dimensionless density.

    Notes
    -----
    u = (s3 - s0)/m_pi^2, v = (s2 - s1)/m_pi^2: PDG 2024, "Energy dependence of
    K+- Dalitz plot" (K+- listing).
    """
    if s0 is None:
        s0 = (s1 + s2 + s3) / 3.0
    u = (s3 - s0) / m_pi**2
    v = (s2 - s1) / m_pi**2
    return 1.0 + slopes["g"] * u + slopes["h"] * u**2 + slopes["k"] * v**2


def kl3_form_factors(t, ff=KL3_FORM_FACTORS, m_pi=M_PI):
    """f+(t)/f+(0) and xi(t) = f-(t)/f+(t) of K_l3 decays.

    Parameters
    ----------
    t : ndarray
        Squared momentum transfer (P_K - p_pi)^2 in MeV^2.

    Returns
    -------
    (fplus, xi) : ndarrays, dimensionless.

    Notes
    -----
    f+(t) = 1 + lambda'_+ t/m^2 + lambda''_+ t^2/(2 m^4), f0(t) = 1 + lambda_0 t/m^2,
    f- = (f0 - f+)(M_K^2 - m_pi^2)/t (PDG 2024, note "K_l3 form factors").
    """
    x = t / m_pi**2
    fplus = 1.0 + ff["lambda_plus_1"] * x + 0.5 * ff["lambda_plus_2"] * x**2
    fzero = 1.0 + ff["lambda_zero"] * x
    with np.errstate(divide="ignore", invalid="ignore"):
        xi = np.where(t > 0, (fzero / fplus - 1.0) * (M_K**2 - M_PI0**2) / t, 0.0)
    return fplus, xi


def kl3_density(e_pi, e_l, m_pi, m_l, ff=KL3_FORM_FACTORS, m_k=M_K):
    """Dalitz-plot density of K -> pi l nu in the kaon rest frame.

    Parameters
    ----------
    e_pi, e_l : ndarray
        Pion and charged-lepton energies in the kaon rest frame (MeV).
    m_pi, m_l : float
        Pion and lepton masses (MeV); m_l = 0 gives K+ -> pi+ nu nubar.

    Returns
    -------
    ndarray
        rho = f+^2 (A + B xi + C xi^2) in MeV^2 (unnormalised).

    Notes
    -----
    A = M_K (2 E_l E_nu - M_K E'_pi) + m_l^2 (E'_pi/4 - E_nu),
    B = m_l^2 (E_nu - E'_pi/2), C = m_l^2 E'_pi/4,
    E'_pi = (M_K^2 + m_pi^2 - m_l^2)/(2 M_K) - E_pi
    (PDG 2024, note "K_l3 form factors", Eq. for rho(E_pi, E_l); Chounet,
    Gaillard and Gaillard, Phys. Rept. 4 (1972) 199).  For m_l = 0 only the
    vector form factor f+ enters, as in K+ -> pi+ nu nubar (Mescia and Smith,
    PRD 76 (2007) 034017, arXiv:0705.2025).
    """
    e_nu = m_k - e_pi - e_l
    e_prime = (m_k**2 + m_pi**2 - m_l**2) / (2.0 * m_k) - e_pi
    t = m_k**2 + m_pi**2 - 2.0 * m_k * e_pi
    fplus, xi = kl3_form_factors(t, ff)
    a = m_k * (2.0 * e_l * e_nu - m_k * e_prime) + m_l**2 * (0.25 * e_prime - e_nu)
    b = m_l**2 * (e_nu - 0.5 * e_prime)
    c = 0.25 * m_l**2 * e_prime
    return np.clip(fplus**2 * (a + b * xi + c * xi**2), 0.0, None)


@njit(inline="always")
def k3pi_scalar(s1, s2, s3, g, h, k, m_pi, s0):
    """Compiled scalar form of :func:`k3pi_density` (same formula, same units)."""
    u = (s3 - s0) / (m_pi * m_pi)
    v = (s2 - s1) / (m_pi * m_pi)
    return 1.0 + g * u + h * u * u + k * v * v


@njit(inline="always")
def kl3_scalar(e_pi, e_l, m_pi, m_l, lp1, lp2, l0, m_k, m_norm, m_pi0):
    """Compiled scalar form of :func:`kl3_density` (slopes lp1, lp2, l0 in units of m_norm^2)."""
    e_nu = m_k - e_pi - e_l
    e_prime = (m_k * m_k + m_pi * m_pi - m_l * m_l) / (2.0 * m_k) - e_pi
    t = m_k * m_k + m_pi * m_pi - 2.0 * m_k * e_pi
    x = t / (m_norm * m_norm)
    fplus = 1.0 + lp1 * x + 0.5 * lp2 * x * x
    xi = (1.0 + l0 * x) / fplus - 1.0
    xi = xi * (m_k * m_k - m_pi0 * m_pi0) / t if t > 0.0 else 0.0
    ml2 = m_l * m_l
    a = m_k * (2.0 * e_l * e_nu - m_k * e_prime) + ml2 * (0.25 * e_prime - e_nu)
    b = ml2 * (e_nu - 0.5 * e_prime)
    c = 0.25 * ml2 * e_prime
    return max(fplus * fplus * (a + b * xi + c * xi * xi), 0.0)


def _loop_function(x):
    """Pion/kaon loop function F(x) of K -> pi gamma gamma (complex above x = 4).

    F(x) = 1 - (4/x) arcsin^2(sqrt(x)/2) for x <= 4;
    F(x) = 1 + (4/x) [ (1/2) ln((1 - b)/(1 + b)) + i pi/2 ]^2, b = sqrt(1 - 4/x), x > 4
    (Ecker, Pich, de Rafael, NPB 303 (1988) 665, Eq. 3.5).
    """
    x = np.asarray(x, float)
    out = np.empty(x.shape, complex)
    low = x <= 4.0
    xl = np.where(low, x, 1.0)
    out[low] = (1.0 - 4.0 / xl * np.arcsin(np.sqrt(xl) / 2.0) ** 2)[low]
    xh = np.where(low, 5.0, x)
    b = np.sqrt(1.0 - 4.0 / xh)
    val = 1.0 + 4.0 / xh * (0.5 * np.log((1.0 - b) / (1.0 + b)) + 0.5j * np.pi) ** 2
    out[~low] = val[~low]
    return out


def pigg_z_density(z, c_hat=PIGG_CHAT, m_k=M_K, m_pi=M_PI):
    """dGamma/dz of K+ -> pi+ gamma gamma at O(p^4) in ChPT, z = m_gg^2/M_K^2.

    Parameters
    ----------
    z : ndarray
        Dimensionless, 0 < z < (1 - m_pi/M_K)^2.

    Returns
    -------
    ndarray
        z^2 |A(z)|^2 lambda^(1/2)(1, r^2, z) with the constant prefactor dropped.

    Notes
    -----
    A(z) = [(z + r^2 - 1) F(z/r^2) - (z - r^2 - 1) F(z) + c_hat z] / z, r = m_pi/M_K
    (Ecker, Pich, de Rafael NPB 303 (1988) 665; D'Ambrosio and Portolés PLB 386
    (1996) 403, hep-ph/9606213, Eqs. 2-4 with the O(p^6) terms B = C = 0).  At
    O(p^4) the amplitude does not depend on y, so integrating over y gives the
    factor lambda^(1/2).  Approximate: the O(p^6) unitarity corrections, which
    NA62 needs to describe its m_gg spectrum, are not included.
    """
    r2 = (m_pi / m_k) ** 2
    amp = ((z + r2 - 1.0) * _loop_function(z / r2) - (z - r2 - 1.0) * _loop_function(z) + c_hat * z) / z
    lam = np.clip(kallen(1.0, r2, z), 0.0, None)
    return z**2 * np.abs(amp) ** 2 * np.sqrt(lam)


def pill_z_density(z, m_l, ff=PIMUMU_FORM_FACTOR, m_k=M_K, m_pi=M_PI):
    """dGamma/dz of K+ -> pi+ l+ l-, z = m_ll^2/M_K^2.

    Returns
    -------
    ndarray
        lambda^(3/2)(1, z, r_pi^2) sqrt(1 - 4 r_l^2/z) (1 + 2 r_l^2/z) |a+ + b+ z|^2.

    Notes
    -----
    D'Ambrosio, Ecker, Isidori, Portolés, JHEP 08 (1998) 004 (hep-ph/9808289),
    Eq. 4.2 with W(z) = G_F M_K^2 (a+ + b+ z); approximate: the pi pi
    re-scattering term W^pipi(z) is neglected.
    """
    rl2, rp2 = (m_l / m_k) ** 2, (m_pi / m_k) ** 2
    beta2 = np.clip(1.0 - 4.0 * rl2 / z, 0.0, None)
    lam = np.clip(kallen(1.0, z, rp2), 0.0, None)
    return lam**1.5 * np.sqrt(beta2) * (1.0 + 2.0 * rl2 / z) * (ff["a_plus"] + ff["b_plus"] * z) ** 2


def ke4_form_factors(s_pi, s_e, ff=KE4_FORM_FACTORS, m_pi=M_PI):
    """S-wave F, P-wave G and H form factors of Ke4 (dimensionless).

    q^2 = s_pi/(4 m_pi^2) - 1; F = f_s (1 + f_s' q^2 + f_s'' q^4 + f_e' s_e/(4 m_pi^2)),
    G = f_s (g_p + g_p' q^2), H = f_s h_p (ratios to f_s; NA48/2 EPJC 70 (2010) 635, Eq. 3).
    """
    q2 = s_pi / (4.0 * m_pi**2) - 1.0
    se = s_e / (4.0 * m_pi**2)
    f = ff["fs"] * (1.0 + ff["fs1"] * q2 + ff["fs2"] * q2**2 + ff["fe1"] * se)
    g = ff["fs"] * (ff["gp"] + ff["gp1"] * q2)
    h = ff["fs"] * ff["hp"] * np.ones_like(q2)
    return f, g, h


def ke4_density(s_pi, s_e, cos_pi, cos_e, phi, ff=KE4_FORM_FACTORS, m_k=M_K, m_pi=M_PI):
    """Five-fold density of K+ -> pi+ pi- e+ nu in Cabibbo-Maksymowicz variables.

    Parameters
    ----------
    s_pi, s_e : ndarray
        Dipion and dilepton invariant masses squared (MeV^2).
    cos_pi, cos_e, phi : ndarray
        Cosines of the pi+ angle (dipion frame) and e+ angle (dilepton frame)
        w.r.t. the pair flight direction in the kaon frame, and the angle between
        the two decay planes (rad).

    Returns
    -------
    ndarray
        sigma_pi X (I1 + I2 cos 2 theta_e + I3 sin^2 theta_e cos 2 phi), MeV^6 (unnormalised).

    Notes
    -----
    Pais and Treiman, Phys. Rev. 168 (1968) 1858; Bijnens, Colangelo, Ecker,
    Gasser, hep-ph/9411311, Eqs. 3.x, massless-lepton limit:
    I1 = [|F1|^2 + 3/2 sin^2 theta_pi (|F2|^2 + |F3|^2)]/4,
    I2 = -[|F1|^2 - 1/2 sin^2 theta_pi (|F2|^2 + |F3|^2)]/4,
    I3 = -sin^2 theta_pi (|F2|^2 - |F3|^2)/4, with
    F1 = X F + sigma_pi (P.L) cos theta_pi G, F2 = sigma_pi sqrt(s_pi s_e) G,
    F3 = sigma_pi X sqrt(s_pi s_e) H / M_K^2, X = lambda^(1/2)(M_K^2, s_pi, s_e)/2,
    P.L = (M_K^2 - s_pi - s_e)/2, sigma_pi = sqrt(1 - 4 m_pi^2/s_pi).
    Approximate: the interference terms I4..I9 (odd in cos phi, sin phi) and the
    form-factor phases are neglected.
    """
    x = 0.5 * np.sqrt(np.clip(kallen(m_k**2, s_pi, s_e), 0.0, None))
    sigma = np.sqrt(np.clip(1.0 - 4.0 * m_pi**2 / s_pi, 0.0, None))
    pl = 0.5 * (m_k**2 - s_pi - s_e)
    f, g, h = ke4_form_factors(s_pi, s_e, ff)
    sin2_pi = 1.0 - cos_pi**2
    f1 = x * f + sigma * pl * cos_pi * g
    f2 = sigma * np.sqrt(s_pi * s_e) * g
    f3 = sigma * x * np.sqrt(s_pi * s_e) * h / m_k**2
    t23 = f2**2 + f3**2
    i1 = 0.25 * (f1**2 + 1.5 * sin2_pi * t23)
    i2 = -0.25 * (f1**2 - 0.5 * sin2_pi * t23)
    i3 = -0.25 * sin2_pi * (f2**2 - f3**2)
    cos2e = 2.0 * cos_e**2 - 1.0
    intensity = i1 + i2 * cos2e + i3 * (1.0 - cos_e**2) * np.cos(2.0 * phi)
    return np.clip(sigma * x * intensity, 0.0, None)


def kroll_wada_density(x, m_e, m_pi0=M_PI0, slope=PI0_DALITZ_SLOPE):
    """dGamma/dx of pi0 -> e+ e- gamma, x = m_ee^2/m_pi0^2, times x (for log-x sampling).

    Returns
    -------
    ndarray
        x dGamma/dx = (1 - x)^3 (1 + 2r/x) sqrt(1 - 4r/x) (1 + a x)^2, r = m_e^2/m_pi0^2.

    Notes
    -----
    Kroll and Wada, Phys. Rev. 98 (1955) 1355; transition form factor F = 1 + a x
    with the PDG 2024 slope a (pi0 listing).
    """
    r = (m_e / m_pi0) ** 2
    beta2 = np.clip(1.0 - 4.0 * r / x, 0.0, None)
    return (1.0 - x) ** 3 * (1.0 + 2.0 * r / x) * np.sqrt(beta2) * (1.0 + slope * x) ** 2
