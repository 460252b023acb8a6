"""Exclusive e+e- channels of 1.0-2.0 GeV from published VMD fits: omega pi0, eta pi+ pi-, phi eta.

Inputs of :mod:`na62lab.fips.vector_hadrons` (R_F = sigma(e+e- -> F) / sigma_0(e+e- -> mu+ mu-)).

* omega pi0: the SND vector-meson-dominance fit of sigma(e+e- -> omega pi0 -> pi0 pi0 gamma), Achasov et
  al., PRD 88 (2013) 054013, arXiv:1303.5198 (rho(770), rho(1450), rho(1700) with fitted relative
  amplitudes and phases; the rho(770) width includes its omega pi0 channel).  Current
  <omega pi0|J^mu|0> = F(s) eps^(mu nu a b) eps*_nu p_a q_b, so (e.g. arXiv:1303.5198 eq. (1))
  sigma = (4 pi alpha^2/3) |F|^2 p^3 / s^(3/2) and R = |F|^2 p^3 / sqrt(s), p the omega momentum.
* eta pi+ pi-: the fit of Plehn, Reimitz, Richardson (PRR), SciPost Phys. 8 (2020) 092,
  arXiv:1911.11147, Sec. 3 / App. A, to the BaBar and SND/CMD-3 eta pi+ pi- data: the anomaly normalisation
  1/(4 sqrt(3) pi^2 f_pi^3) times BW_rho(s_pipi) times a sum of rho(770), rho(1450), rho(1700), rho(2150)
  Breit-Wigners in Q^2 (amplitudes normalised to their sum).  With J^mu = F eps(p_eta, p+, p-) the
  pi+ pi- orientation integrates out (int dt Q^2 |p+ x p-|^2 = (lambda_1 lambda_2)^(3/2)/(24 s^2)):
  R = 1/(1536 pi^2 Q^4) int ds (lambda(Q^2, s, m_eta^2) lambda(s, m_pi^2, m_pi^2))^(3/2) |F|^2 / s^2.
* phi eta: the PRR fit (arXiv:1911.11147) of BaBar e+e- -> phi eta: two fixed-width Breit-Wigners
  (phi(1680), phi(2170)), the same vector-pseudoscalar current as omega pi0.
* omega eta: the PRR fit (arXiv:1911.11147) of the SND/CMD-3 e+e- -> omega eta data: omega(1420), omega(1650)
  fixed-width Breit-Wigners (isoscalar: 3 (g_u + g_d) = e), the vector-pseudoscalar current of omega pi0.
* K Kbar pi: the PRR K K*(892) model (arXiv:1911.11147): isoscalar (phi family) and isovector (rho family)
  amplitudes A_0, A_1 in Q^2, the K* in both K pi pairs, charge modes K+ K- pi0 ((A_0 - A_1)), K0 K0bar pi0
  ((A_0 + A_1)) and K0 K+- pi-+ (one of each); current F eps(p_1, p_2, p_3) as for 3 pi.

PROVENANCE: the fit parameters are transcribed from the public Hazma implementation of these fits
(LoganAMorrison/Hazma, hazma/form_factors/vector/_pi_omega.py, _pi_pi_eta.py, _eta_phi.py, _eta_omega.py,
_pi_k_k.py), which cites the
papers above; none was adjusted here.  The dark photon couples like the photon: the quark-coupling
combinations of those files are g_u - g_d = e (isovector) and -3 g_s = e (phi eta).

Units: s in MeV^2, masses in MeV; fit constants in GeV as published (converted where used).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from na62lab.physics.kinematics import kallen
from na62lab.physics.particles import mass
from na62lab.physics.units import GeV

__all__ = ["R_omega_pi0", "R_eta_pipi", "R_phi_eta", "R_omega_eta", "R_KKpi_modes", "OMEGA_ETA_FIT", "OMEGA_PI_FIT",
           "ETA_PIPI_FIT", "PHI_ETA_FIT", "KKPI_FIT", "eta_pipi_kernel", "kkpi_dalitz_integrals"]

_M_PI = mass("pi+")
_M_PI0 = mass("pi0")
_M_ETA = mass("eta")
_M_OMEGA = mass("omega(782)")
_M_PHI = mass("phi(1020)")

OMEGA_PI_FIT: dict[str, Any] = {
    "g_rho_omega_pi": 15.9, "f_rho": 5.06325,
    "amplitudes": (1.0, 0.175, 0.014), "phases_deg": (0.0, 124.0, -63.0),
    "masses": (0.77526, 1.510, 1.720), "widths": (0.1491, 0.44, 0.25),
}
"""SND omega pi0 fit (arXiv:1303.5198): g_(rho omega pi) in GeV^-1, f_rho (rho -> e+ e- coupling),
relative amplitudes and phases (degrees) of rho(770), rho(1450), rho(1700), their masses and widths (GeV)."""

ETA_PIPI_FIT: dict[str, Any] = {
    "f_pi": 0.0922138,
    "masses": (0.77549, 1.54, 1.76, 2.15), "widths": (0.1494, 0.356, 0.113, 0.32),
    "amplitudes": (1.0, 0.326, 0.0115, 0.0), "phases": (0.0, 3.14, 3.14, 0.0),
}
"""PRR eta pi+ pi- fit (arXiv:1911.11147): f_pi (GeV) of the anomaly normalisation, masses and widths (GeV)
of rho(770), rho(1450), rho(1700), rho(2150) and their amplitudes and phases (rad) in Q^2."""

PHI_ETA_FIT: dict[str, Any] = {
    "masses": (1.67, 2.14), "widths": (0.122, 0.0435),
    "amplitudes": (0.175, 0.00409), "phases": (0.0, 2.19),
}
"""PRR phi eta fit (arXiv:1911.11147): phi(1680), phi(2170) masses and widths (GeV), amplitudes (GeV^-1)
and phases (rad)."""

OMEGA_ETA_FIT: dict[str, Any] = {
    "masses": (1.43, 1.67), "widths": (0.215, 0.113), "amplitudes": (0.0862, 0.0648), "phases": (0.0, np.pi),
}
"""PRR omega eta fit (arXiv:1911.11147): omega(1420), omega(1650) masses and widths (GeV), amplitudes (GeV^-1)
and phases (rad)."""


@lru_cache(maxsize=8)
def _gauss(n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on [-1, 1] (cached: leggauss solves an eigenproblem)."""
    return np.polynomial.legendre.leggauss(n_nodes)


def _momentum(s: np.ndarray, m1: float, m2: float) -> np.ndarray:
    """Two-body momentum (units of sqrt(s)) at s, 0 below threshold."""
    lam = np.clip(kallen(s, m1 * m1, m2 * m2), 0.0, None)
    return np.where(s > (m1 + m2) ** 2, np.sqrt(lam) / (2.0 * np.sqrt(np.where(s > 0, s, 1.0))), 0.0)


def pwave_width(s: np.ndarray, m: float, g: float, m_pi: float) -> np.ndarray:
    """Energy-dependent P-wave width of a rho-like state into pi pi (the one home of this formula).

    Gamma(s) = Gamma (M^2/s) ((s - 4 m^2)/(M^2 - 4 m^2))^(3/2) (arXiv:1303.5198; the same running width as the
    BW3 of arXiv:0804.0359 eq. (A.12), :mod:`na62lab.fips.vector_four_pion`).  Any consistent units (the
    callers: GeV).

    Parameters
    ----------
    s : ndarray
        Invariant mass squared.
    m, g : float
        Mass and width of the resonance.
    m_pi : float
        Pion mass.
    """
    ratio = np.clip((s - 4.0 * m_pi**2) / (m * m - 4.0 * m_pi**2), 0.0, None)
    return g * m * m / s * ratio**1.5


def omega_pi0_form_factor(s: ArrayLike) -> np.ndarray:
    """F_(omega pi0)(s) in GeV^-1 of the SND fit (arXiv:1303.5198), s in MeV^2 (0 below threshold).

    F = (g_(rho omega pi)/f_rho) sum_k A_k e^(i phi_k) M_k^2 / (M_k^2 - s - i sqrt(s) Gamma_k(s)), with the
    rho(770) width Gamma_0 (M^2/s)(p_pipi/p_pipi(M))^3 + g_(rho omega pi)^2 p_omega^3/(12 pi), the excited
    states at constant width.
    """
    fit = OMEGA_PI_FIT
    s_mev = np.asarray(s, dtype=float)
    above = s_mev > (_M_OMEGA + _M_PI0) ** 2
    x = np.where(above, s_mev, (2.0 * GeV) ** 2) / GeV**2
    p = _momentum(x, _M_OMEGA / GeV, _M_PI0 / GeV)
    masses, widths = np.asarray(fit["masses"]), np.asarray(fit["widths"])
    amps = np.asarray(fit["amplitudes"]) * np.exp(1j * np.radians(fit["phases_deg"]))
    out = np.zeros(x.shape, dtype=complex)
    for k, (m, g) in enumerate(zip(masses, widths)):
        gam = g * np.ones_like(x)
        if k == 0:
            gam = pwave_width(x, m, g, _M_PI0 / GeV) + fit["g_rho_omega_pi"] ** 2 * p**3 / (12.0 * np.pi)
        out = out + amps[k] * m * m / (m * m - x - 1j * np.sqrt(x) * gam)
    return np.where(above, fit["g_rho_omega_pi"] / fit["f_rho"] * out, 0.0)


def R_omega_pi0(s: ArrayLike) -> np.ndarray:
    """R(e+e- -> omega pi0) = |F|^2 p_omega^3 / sqrt(s) (all omega decays), s in MeV^2."""
    s = np.asarray(s, dtype=float)
    x = s / GeV**2
    p = _momentum(x, _M_OMEGA / GeV, _M_PI0 / GeV)
    return np.where(x > 0, np.abs(omega_pi0_form_factor(s)) ** 2 * p**3 / np.sqrt(np.where(x > 0, x, 1.0)), 0.0)


def _vector_pseudoscalar_R(s: ArrayLike, fit: dict[str, Any], m_v: float, m_p: float) -> np.ndarray:
    """R = |F|^2 p^3 / sqrt(s) of e+e- -> V P with F = sum_k a_k e^(i phi_k) M_k^2/(M_k^2 - s - i M_k Gamma_k)
    (GeV^-1; fixed-width Breit-Wigners of ``fit``), p the V momentum; s in MeV^2, masses in MeV."""
    s = np.asarray(s, dtype=float)
    x = s / GeV**2
    ff = np.zeros(x.shape, dtype=complex)
    for m, g, a, ph in zip(fit["masses"], fit["widths"], fit["amplitudes"], fit["phases"]):
        ff = ff + a * np.exp(1j * ph) * m * m / (m * m - x - 1j * m * g)
    p = _momentum(x, m_v / GeV, m_p / GeV)
    return np.where(x > 0, np.abs(ff) ** 2 * p**3 / np.sqrt(np.where(x > 0, x, 1.0)), 0.0)


def R_phi_eta(s: ArrayLike) -> np.ndarray:
    """R(e+e- -> phi eta) of the PRR fit (arXiv:1911.11147), s in MeV^2."""
    return _vector_pseudoscalar_R(s, PHI_ETA_FIT, _M_PHI, _M_ETA)


def R_omega_eta(s: ArrayLike) -> np.ndarray:
    """R(e+e- -> omega eta) of the PRR fit (arXiv:1911.11147), s in MeV^2."""
    return _vector_pseudoscalar_R(s, OMEGA_ETA_FIT, _M_OMEGA, _M_ETA)


def _eta_pipi_q2_sum(q2: np.ndarray) -> np.ndarray:
    """sum_k a_k e^(i phi_k) BW_k(Q^2) / sum_k a_k e^(i phi_k) of the PRR eta pi pi fit (Q^2 in GeV^2)."""
    fit = ETA_PIPI_FIT
    amps = np.asarray(fit["amplitudes"]) * np.exp(1j * np.asarray(fit["phases"]))
    out = np.zeros(q2.shape, dtype=complex)
    for k, (m, g) in enumerate(zip(fit["masses"], fit["widths"])):
        gam = pwave_width(q2, m, g, _M_PI / GeV) if k == 0 else g * q2 / (m * m)
        out = out + amps[k] * m * m / (m * m - q2 - 1j * np.sqrt(q2) * gam)
    return out / amps.sum()


def eta_pipi_kernel(q: float, s_pipi: ArrayLike) -> np.ndarray:
    """dR/ds_pipi / |F|^2 of e+e- -> eta pi+ pi-: (lambda_1 lambda_2)^(3/2) / (1536 pi^2 Q^4 s^2), GeV units.

    Parameters
    ----------
    q : float
        Centre-of-mass energy Q in GeV.
    s_pipi : array_like
        pi+ pi- invariant mass squared in GeV^2.
    """
    s = np.asarray(s_pipi, dtype=float)
    l1 = np.clip(kallen(q * q, s, (_M_ETA / GeV) ** 2), 0.0, None)
    l2 = np.clip(kallen(s, (_M_PI / GeV) ** 2, (_M_PI / GeV) ** 2), 0.0, None)
    return (l1 * l2) ** 1.5 / (1536.0 * np.pi**2 * q**4 * s * s)


_ETA_GRID = np.concatenate([np.linspace(_M_ETA + 2 * _M_PI + 1e-6, 2500.0, 300), np.linspace(2520.0, 5000.0, 60)])


def _eta_pipi_integral(q_mev: float) -> float:
    """R_(eta pi pi) / |sum_k BW_k(Q^2)|^2 at Q (MeV): the pi pi integral of the PRR form factor (64-node Gauss)."""
    x, w = _gauss(64)
    fit = ETA_PIPI_FIT
    norm = 1.0 / (4.0 * np.sqrt(3.0) * np.pi**2 * fit["f_pi"] ** 3)
    q = q_mev / GeV
    lo, hi = (2 * _M_PI / GeV) ** 2, (q - _M_ETA / GeV) ** 2
    s = 0.5 * (hi + lo) + 0.5 * (hi - lo) * x
    m0 = fit["masses"][0]
    gam = pwave_width(s, m0, fit["widths"][0], _M_PI / GeV)
    bw = m0 * m0 / (m0 * m0 - s - 1j * np.sqrt(s) * gam)
    return float(0.5 * (hi - lo) * np.sum(w * eta_pipi_kernel(q, s) * norm**2 * np.abs(bw) ** 2))


@lru_cache(maxsize=1)
def _eta_pipi_table() -> np.ndarray:
    """:func:`_eta_pipi_integral` on _ETA_GRID (smooth in Q: phase space and the broad rho(770))."""
    return np.array([_eta_pipi_integral(float(q)) for q in _ETA_GRID])


def R_eta_pipi(s: ArrayLike) -> np.ndarray:
    """R(e+e- -> eta pi+ pi-) of the PRR fit (arXiv:1911.11147), s in MeV^2 (eta pi0 pi0 is C-forbidden).

    R = |sum_k a_k BW_k(Q^2)|^2 / |sum_k a_k|^2 times the pi pi integral, interpolated from a table in Q
    (exact beyond 5 GeV).
    """
    shape = np.shape(s)
    s = np.asarray(s, dtype=float).ravel()
    q = np.sqrt(np.clip(s, 0.0, None))
    above = q > _ETA_GRID[0]
    if not np.any(above):                      # all below threshold: no table needed
        return np.zeros(shape)
    base = np.interp(q, _ETA_GRID, _eta_pipi_table())
    far = np.flatnonzero(q > _ETA_GRID[-1])
    base[far] = [_eta_pipi_integral(float(q[i])) for i in far]
    q2 = np.where(above, s, _ETA_GRID[0] ** 2) / GeV**2
    return np.where(above, base * np.abs(_eta_pipi_q2_sum(q2)) ** 2, 0.0).reshape(shape)


KKPI_FIT: dict[str, Any] = {
    "isoscalar": {"masses": (1.019461, 1.6334, 1.957), "widths": (0.004249, 0.218, 0.267),
                  "amplitudes": (0.0, 0.233, 0.0405), "phases": (0.0, 1.1e-7, 5.19)},
    "isovector": {"masses": (0.77526, 1.470, 1.720), "widths": (0.1491, 0.400, 0.250),
                  "amplitudes": (-2.34, 0.594, -0.0179), "phases": (0.0, 0.317, 2.57)},
    "kstar": (0.8956, 0.047), "g_kstar_k_pi": 5.37392360229,
}
"""PRR K K* fit of e+e- -> K Kbar pi (arXiv:1911.11147): isoscalar (phi(1020), phi(1680), phi(2170)) and
isovector (rho(770), rho(1450), rho(1700)) fixed-width Breit-Wigners in Q^2, masses and widths in GeV,
amplitudes in GeV^-1, phases in rad; K*(892) mass and width (GeV) and g_(K* K pi)."""

_M_K = mass("K+")
_M_K0 = mass("K0S")


def _kkpi_isospin_amplitudes(q2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(c_+, c_-) = 2 g_(K* K pi) (A_0 +- A_1)/sqrt(6) of the PRR K K* model at Q^2 (GeV^2), GeV^-1."""
    amp = []
    for iso in ("isoscalar", "isovector"):
        fam = KKPI_FIT[iso]
        acc = np.zeros(q2.shape, dtype=complex)
        for m, g, a, ph in zip(fam["masses"], fam["widths"], fam["amplitudes"], fam["phases"]):
            acc = acc + a * np.exp(1j * ph) * m * m / (m * m - q2 - 1j * m * g)
        amp.append(acc)
    pre = 2.0 * KKPI_FIT["g_kstar_k_pi"] / np.sqrt(6.0)
    return pre * (amp[0] + amp[1]), pre * (amp[0] - amp[1])


def _kstar(s: np.ndarray, m_k: float, m_pi: float) -> np.ndarray:
    """K* propagator BW_P(s)/M^2 (GeV^-2), P-wave width into (m_k, m_pi) (GeV)."""
    m, g = KKPI_FIT["kstar"]
    v2 = np.clip((1 - (m_k + m_pi) ** 2 / s) * (1 - (m_k - m_pi) ** 2 / s), 0.0, None)
    v2r = (1 - (m_k + m_pi) ** 2 / m**2) * (1 - (m_k - m_pi) ** 2 / m**2)
    gam = np.sqrt(s) / m * (v2 / v2r) ** 1.5 * g
    return 1.0 / (m * m - s - 1j * np.sqrt(s) * gam)


def kkpi_dalitz_integrals(q: float, masses: tuple[float, float, float], n_nodes: int = 48) -> np.ndarray:
    """I_ab = int ds_23 ds_13 P_a P_b^* |p_1 x p_2|^2 (GeV^4) with P = (K*(s_23), K*(s_13)), 3-body rest frame.

    Particles 1, 2 the kaons, 3 the pion (masses in GeV); Gauss-Legendre in s_23 and, at fixed s_23, in
    s_13 between its Dalitz limits (the narrow K* bands need ~50 nodes at 1.7 GeV and ~100 at 3 GeV for
    1e-3, 160-240 at 3-10 GeV for 1e-2).  Returns the 2 x 2 complex matrix.
    """
    m1, m2, m3 = masses
    x, w = _gauss(n_nodes)
    lo, hi = (m2 + m3) ** 2, (q - m1) ** 2
    s23 = (0.5 * (hi + lo) + 0.5 * (hi - lo) * x)[:, None]
    jac23 = 0.5 * (hi - lo)
    e2 = (s23 - m3 * m3 + m2 * m2) / (2 * np.sqrt(s23))           # particle 2 in the (23) rest frame
    e1 = (q * q - s23 - m1 * m1) / (2 * np.sqrt(s23))             # particle 1 in the (23) rest frame
    p2, p1 = np.sqrt(np.clip(e2**2 - m2 * m2, 0, None)), np.sqrt(np.clip(e1**2 - m1 * m1, 0, None))
    # s_12 limits at fixed s_23, then s_13 = Q^2 + sum m^2 - s_12 - s_23
    lo12, hi12 = (e1 + e2) ** 2 - (p1 + p2) ** 2, (e1 + e2) ** 2 - (p1 - p2) ** 2
    s12 = 0.5 * (hi12 + lo12) + 0.5 * (hi12 - lo12) * x[None, :]
    jac12 = 0.5 * (hi12 - lo12)
    s13 = q * q + m1 * m1 + m2 * m2 + m3 * m3 - s12 - s23
    en1, en2 = (q * q + m1 * m1 - s23) / (2 * q), (q * q + m2 * m2 - s13) / (2 * q)
    dot = en1 * en2 - (s12 - m1 * m1 - m2 * m2) / 2
    cross2 = np.clip((en1**2 - m1 * m1) * (en2**2 - m2 * m2) - dot**2, 0.0, None)
    weight = cross2 * jac23 * jac12 * w[:, None] * w[None, :]
    props = (np.broadcast_to(_kstar(s23, m2, m3), s13.shape), _kstar(s13, m1, m3))
    return np.array([[np.sum(weight * a * b.conj()) for b in props] for a in props])


_KKPI_MODES = {
    # mode: (masses in MeV, coefficient of K*(s_23), of K*(s_13), multiplicity)
    "K+K-pi0": ((_M_K, _M_K, _M_PI0), "-", "-", 1.0),
    "K0K0pi0": ((_M_K0, _M_K0, _M_PI0), "+", "+", 1.0),
    "K0K+pi-": ((_M_K0, _M_K, _M_PI), "-", "+", 2.0),          # and its charge conjugate
}
_KKPI_GRID = np.concatenate([np.linspace(2 * _M_K + _M_PI0 + 1.0, 2500.0, 200), np.geomspace(2600.0, 10000.0, 12)])


def _kkpi_mode_integrals(q_mev: float, masses: tuple[float, float, float]) -> np.ndarray:
    """:func:`kkpi_dalitz_integrals` at Q (MeV) for daughters of ``masses`` (MeV); zero below threshold."""
    if q_mev <= sum(masses):
        return np.zeros((2, 2), dtype=complex)
    n_nodes = 48 if q_mev < 1800.0 else 96 if q_mev < 3000.0 else 160 if q_mev < 6000.0 else 240
    return kkpi_dalitz_integrals(q_mev / GeV, tuple(m / GeV for m in masses), n_nodes)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def _kkpi_tables() -> dict[str, np.ndarray]:
    """Dalitz integrals I_ab of each K K pi charge mode on _KKPI_GRID (MeV), shape (n, 2, 2)."""
    return {mode: np.array([_kkpi_mode_integrals(float(q), masses) for q in _KKPI_GRID])
            for mode, (masses, _, _, _) in _KKPI_MODES.items()}


def R_KKpi_modes(s: ArrayLike) -> dict[str, np.ndarray]:
    """R(e+e- -> K Kbar pi) per charge mode of the PRR K K* fit (arXiv:1911.11147), s in MeV^2.

    R = (1/(64 pi^2 Q^2)) int ds_23 ds_13 |c_23 K*(s_23) + c_13 K*(s_13)|^2 |p_1 x p_2|^2 (as for 3 pi,
    :func:`na62lab.fips.vector_form_factors.three_pion_R`), c = c_+ or c_- by charge mode; K0 K+- pi-+
    counts both charge-conjugate modes.  The Dalitz integrals are interpolated from a table in Q (smooth: the
    K* is much narrower than the Q range only near threshold, where the grid is 4 MeV), exact above 10 GeV.
    """
    shape = np.shape(s)
    s = np.asarray(s, dtype=float).ravel()
    q = np.sqrt(np.clip(s, 0.0, None))
    if not np.any(q > _KKPI_GRID[0]):          # all below threshold: no table needed
        return {mode: np.zeros(shape) for mode in _KKPI_MODES}
    c_plus, c_minus = _kkpi_isospin_amplitudes(s / GeV**2)
    coef = {"+": c_plus, "-": c_minus}
    out = {}
    for mode, (masses, a, b, mult) in _KKPI_MODES.items():
        tab = _kkpi_tables()[mode]
        integ = np.stack([[np.interp(q, _KKPI_GRID, tab[:, i, j].real, left=0.0)
                           + 1j * np.interp(q, _KKPI_GRID, tab[:, i, j].imag, left=0.0)
                           for j in range(2)] for i in range(2)])
        for k in np.flatnonzero(q > _KKPI_GRID[-1]):
            integ[:, :, k] = _kkpi_mode_integrals(float(q[k]), masses)
        c = np.stack([coef[a], coef[b]])
        total = np.einsum("iq,jq,ijq->q", c, c.conj(), integ).real
        q2 = np.where(q > 0, s, 1.0) / GeV**2
        r = mult * total / (64.0 * np.pi**2 * q2)
        out[mode] = np.where(q > sum(masses), r, 0.0).reshape(shape)
    return out
