"""Published e+e- form-factor fits for pi+ pi-, K Kbar and pi+ pi- pi0 (inputs of :mod:`vector_hadrons`).

Three fitted models replace the leading-order VMD shapes above 1 GeV:

* pi+ pi-: Czyz, Grzelinska, Kuehn (CGK), PRD 81 (2010) 094014, arXiv:1002.0279, Sec. II, fit to
  the BaBar pi+ pi- cross section: a sum of Gounaris-Sakurai rho states whose couplings follow the
  dual-resonance (N_c = infinity) pattern of Bruch, Khodjamirian, Kuehn (BKK), EPJC 39 (2005) 41,
  hep-ph/0409080, Sec. 3 (c_n, m_n^2 = m_rho^2 (1 + 2n), Gamma_n / m_n constant), with the first six
  states (rho(770), rho(1450), rho(1700), rho(2150) and two higher) and rho-omega mixing fitted.
* K+ K-, K0 K0bar: the CGK/BKK kaon model (isospin-1 rho tower with GS propagators, omega and phi
  towers, eta_phi for the neutral phi term), with the coefficients of its refit to the e+e- -> K+ K-
  and K_S K_L data by Plehn, Reimitz, Richardson, SciPost Phys. 8 (2020) 092, arXiv:1911.11147, App. A.
* pi+ pi- pi0: Czyz, Grzelinska, Kuehn, Rodrigo (CGKR), EPJC 47 (2006) 617, hep-ph/0512180: the
  isospin-0 amplitude sum_V a_V BW_V(Q^2) H_rho(s+, s-, s0) over omega, phi, omega(1420), omega(1650),
  plus phi -> rho(1450) pi and omega(1650) -> rho(1700) pi terms; the small isospin-1
  (omega -> pi+ pi-) term of that paper is left out (< 2 % in amplitude).

PROVENANCE OF THE NUMBERS: the fit tables of these papers could not be read from here; every
coefficient below is transcribed from two independent public implementations that cite the papers,
Herwig 7 (TwoPionCzyzCurrent, TwoKaonCzyzCurrent, ThreePionCzyzCurrent) and Hazma
(form_factors/vector/_pi_pi.py, _k_k.py, _pi_pi_pi0.py), which agree digit for digit.  None was
adjusted here.  Propagators follow those implementations: fixed-width BW_V = M^2/(M^2 - s - i M Gamma),
P-wave BW = M^2/(M^2 - s - i sqrt(s) Gamma(s)) with Gamma(s) = Gamma (M^2/s)(p/p_M)^3, and
Gounaris-Sakurai (PRL 21 (1968) 244) for the rho towers.  All normalised to 1 at s = 0.

Units: s in MeV^2, masses and widths in MeV; form factors dimensionless.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from na62lab.physics.particles import mass

__all__ = ["dual_couplings", "pair_velocity", "gounaris_sakurai", "pion_form_factor_cgk", "kaon_form_factors_cgk",
           "three_pion_R", "PION_FIT", "KAON_FIT", "THREE_PION_FIT"]

_M_PI = mass("pi+")
_M_PI0 = mass("pi0")
_M_K = mass("K+")
_M_K0 = mass("K0S")

PION_FIT: dict[str, Any] = {
    "beta": 2.148, "n_max": 2000,
    "masses": (773.37, 1490.0, 1870.0, 2120.0, 2321.0, 2567.0),
    "widths": (147.1, 429.0, 357.0, 300.0, 444.0, 491.0),
    "magnitudes": (1.0, 1.0, 0.59, 0.048, 0.40, 0.43),
    "phases": (0.0, 0.0, -2.20, -2.0, -2.9, 1.19),
    "omega": {"magnitude": 18.7e-4, "phase": 0.106, "mass": 782.4, "width": 8.33},
}
"""CGK 2010 (arXiv:1002.0279) pion fit: dual-model exponent beta, rho(n) masses/widths (MeV) for
n = 0..5, relative coupling magnitudes/phases (rad) of n = 1..5 (rescaled so that their sum keeps the
dual-model value, hence F_pi(0) = 1), rho-omega mixing; higher states from the dual pattern up to n_max."""

KAON_FIT: dict[str, Any] = {
    "rho": {"beta": 2.19680665014, "width_ratio": None,
            "weights": (1.1148916618504967, -0.050374779737077324, -0.014908906283692132,
                        -0.03902475997619905, -0.038341465215871416),
            "masses": (775.49, 1520.6995754050117, 1740.9719246639341, 1992.2811314327789),
            "widths": (149.4, 213.41728317817743, 84.12224414791908, 289.9733272437917)},
    "omega": {"beta": 2.69362046884, "width_ratio": 0.5,
              "weights": (1.3653229680598022, -0.02775156567495144, -0.32497165559032715, 1.3993153161869765),
              "masses": (782.65, 1414.4344268685891, 1655.375231284883),
              "widths": (8.49, 85.4413887755723, 160.31760444832305)},
    "phi": {"beta": 1.94518176513, "width_ratio": 0.2,
            "weights": (0.965842498579515, -0.002379766320723148, -0.1956211640216197, 0.16527771485190898),
            "masses": (1019.4209171596993, 1594.759278457624, 2156.971341201067),
            "widths": (4.252653332329334, 28.741821847408196, 673.7556174184005)},
    "eta_phi": 1.055, "n_max": 200,
}
"""CGK kaon model, coefficients of the Plehn-Reimitz-Richardson refit (arXiv:1911.11147): per family the
dual exponent, fitted real weights c_0..c_k (higher n: dual pattern, c_(k+1) shifted so that sum c_n = 1),
fitted masses/widths (MeV); states beyond them at M_0 sqrt(1 + 2n) with Gamma/M = width_ratio
(rho: Gamma_0/M_0); eta_phi multiplies the phi(1020) term of the neutral kaon."""

THREE_PION_FIT: dict[str, Any] = {
    "isoscalars": (("omega", 782.4, 8.69, 18.20), ("phi", 1019.24, 4.14, -0.87),
                   ("omega(1420)", 1375.0, 250.0, -0.77), ("omega(1650)", 1631.0, 245.0, -1.12)),
    "rhos": ((776.09, 144.46), (1465.0, 310.0), (1700.0, 235.0)),
    "cross_terms": (("phi", 1, -0.72), ("omega(1650)", 2, -0.59)),
}
"""CGKR 2006 (hep-ph/0512180) pi+ pi- pi0 model: (name, mass MeV, width MeV, a_V in GeV^-3) of the
isoscalar vectors coupling to rho(770) pi; rho(770), rho(1450), rho(1700) (mass, width) in H_rho;
cross terms (vector, rho index, coupling GeV^-3): phi -> rho(1450) pi, omega(1650) -> rho(1700) pi."""


def dual_couplings(beta: float, n_max: int) -> np.ndarray:
    """Dual-resonance couplings c_n = Gamma(beta - 1/2) (-1)^n / (Gamma(1/2) (n + 1/2) n! Gamma(beta - 1 - n)).

    BKK, hep-ph/0409080, Sec. 3 (sum_n c_n = 1); written with the reflection formula as
    c_n = Gamma(beta - 1/2) sin(pi (beta - 1)) Gamma(2 - beta + n) / (pi^(3/2) (n + 1/2) n!).
    """
    n = np.arange(n_max, dtype=float)
    ratio = np.empty(n_max)
    ratio[0] = math.gamma(2.0 - beta)
    ratio[1:] = ratio[0] * np.cumprod((1.0 - beta + n[1:]) / n[1:])
    pref = math.gamma(beta - 0.5) * math.sin(math.pi * (beta - 1.0)) / math.pi**1.5
    return pref * ratio / (n + 0.5)


def pair_velocity(s: np.ndarray, m1: float) -> np.ndarray:
    """Velocity sqrt(1 - 4 m1^2/s) of an equal-mass pair at s (MeV^2), m1 in MeV (0 below threshold)."""
    return np.sqrt(np.clip(1.0 - 4.0 * m1 * m1 / np.where(s > 0, s, np.inf), 0.0, None))


def gounaris_sakurai(s: ArrayLike, m: ArrayLike, g: ArrayLike, m1: float = _M_PI) -> np.ndarray:
    """Gounaris-Sakurai propagator (M^2 + H(0))/(M^2 - s + H(s) - i s (Gamma/M)(v/v_M)^3), 1 at s = 0.

    Gounaris & Sakurai, PRL 21 (1968) 244, eqs. (1)-(8), in the velocity form of CGK (arXiv:1002.0279,
    eq. (2)); ``s`` (MeV^2) and the resonance (m, g) in MeV broadcast against each other.
    """
    s, m, g = (np.asarray(x, dtype=float) for x in (s, m, g))
    v_r = pair_velocity(m * m, m1)
    r = 2.0 * m1 * m1 / (m * m)
    log_r = np.log((1.0 + v_r) / (1.0 - v_r))
    h_res = g / (m * np.pi) * m * m * log_r
    dh = g / (np.pi * m * v_r**2) * ((3.0 - 2.0 * v_r**2 - 3.0 * r) * log_r + 2.0 * v_r * (1.0 - r / (1.0 - v_r**2)))
    h_zero = -2.0 * (2.0 * m1) ** 2 / np.pi * g / m / v_r**3 - h_res + m * m * dh
    v = pair_velocity(s, m1)
    with np.errstate(divide="ignore", invalid="ignore"):
        h_hat = np.where(v > 0, g / (m * np.pi) * s * (v / v_r) ** 3 * np.log((1.0 + v) / (1.0 - v)), 0.0)
    h_s = h_hat - h_res - (s - m * m) * dh
    return (m * m + h_zero) / (m * m - s + h_s - 1j * s * g / m * (v / v_r) ** 3)


def _bw_fixed(s: np.ndarray, m: ArrayLike, g: ArrayLike) -> np.ndarray:
    """Fixed-width Breit-Wigner M^2/(M^2 - s - i M Gamma)."""
    m, g = np.asarray(m, dtype=float), np.asarray(g, dtype=float)
    return m * m / (m * m - s - 1j * m * g)


def _bw_pwave(s: np.ndarray, m: ArrayLike, g: ArrayLike, m1: float, m2: float) -> np.ndarray:
    """P-wave Breit-Wigner M^2/(M^2 - s - i sqrt(s) Gamma(s)), Gamma(s) = Gamma (sqrt(s)/M)(v/v_M)^3."""
    m, g = np.asarray(m, dtype=float), np.asarray(g, dtype=float)

    def v2(x: np.ndarray) -> np.ndarray:
        x = np.where(x > 0, x, np.inf)
        return np.clip((1.0 - (m1 + m2) ** 2 / x) * (1.0 - (m1 - m2) ** 2 / x), 0.0, None)

    ratio = np.sqrt(v2(s) / v2(m * m)) ** 3
    return m * m / (m * m - s - 1j * s / m * g * ratio)


def _tower(beta: float, n_max: int, masses: tuple[float, ...], widths: tuple[float, ...],
           width_ratio: float | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dual-model couplings, masses M_n = M_0 sqrt(1 + 2n) and widths (Gamma_n = ratio M_n) of a tower."""
    n = np.arange(n_max)
    m = masses[0] * np.sqrt(1.0 + 2.0 * n)
    m[: len(masses)] = masses
    g = m * (widths[0] / masses[0] if width_ratio is None else width_ratio)
    g[: len(widths)] = widths
    return dual_couplings(beta, n_max).astype(complex), m, g


@lru_cache(maxsize=1)
def _pion_tower() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CGK pion tower: dual couplings with the fitted n = 1..5 weights rescaled to keep their sum."""
    fit = PION_FIT
    c, m, g = _tower(fit["beta"], fit["n_max"], fit["masses"], fit["widths"], None)
    k = len(fit["magnitudes"])
    w = np.asarray(fit["magnitudes"]) * np.exp(1j * np.asarray(fit["phases"]))
    c[1:k] = w[1:] * c[1:k].sum() / w[1:].sum()
    return c, m, g


_TAIL_GRID = np.concatenate([np.linspace(2.0 * _M_PI * (1 + 1e-9), 4000.0, 1600), np.linspace(4010.0, 10000.0, 600)])


@lru_cache(maxsize=1)
def _pion_tail_table() -> np.ndarray:
    """sum_(n >= 6) c_n GS_n(s) on the sqrt(s) grid _TAIL_GRID (smooth: lightest state 2.8 GeV, 0.5 GeV wide)."""
    c, m, g = _pion_tower()
    k = len(PION_FIT["masses"])
    s = _TAIL_GRID[:, None] ** 2
    return np.asarray((c[k:] * gounaris_sakurai(s, m[k:], g[k:])).sum(axis=1))


def pion_form_factor_cgk(s: ArrayLike) -> np.ndarray:
    """Time-like pion form factor F_pi(s) of CGK (arXiv:1002.0279), s in MeV^2 above 4 m_pi^2.

    F_pi = c_0 GS_rho(s) (1 + c_omega BW_omega(s))/(1 + c_omega) + sum_(n >= 1) c_n GS_n(s); the
    n >= 6 tail is interpolated from a table (exact evaluation above 10 GeV).
    """
    shape = np.shape(s)
    s = np.asarray(s, dtype=float).ravel()
    c, m, g = _pion_tower()
    k = len(PION_FIT["masses"])
    om = PION_FIT["omega"]
    c_om = om["magnitude"] * np.exp(1j * om["phase"])
    low = gounaris_sakurai(s[:, None], m[:k], g[:k])
    low[:, 0] *= (1.0 + c_om * _bw_fixed(s, om["mass"], om["width"])) / (1.0 + c_om)
    out = (c[:k] * low).sum(axis=1)
    root = np.sqrt(np.clip(s, 0.0, None))
    table = _pion_tail_table()
    out += np.interp(root, _TAIL_GRID, table.real) + 1j * np.interp(root, _TAIL_GRID, table.imag)
    far = root > _TAIL_GRID[-1]
    if np.any(far):
        exact = (c[k:] * gounaris_sakurai(s[far, None], m[k:], g[k:])).sum(axis=1)
        out[far] += exact - (table[-1].real + 1j * table[-1].imag)
    return out.reshape(shape)


@lru_cache(maxsize=1)
def _kaon_towers() -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """rho, omega, phi towers of the kaon fit: fitted weights, then dual couplings, sum c_n = 1."""
    out = {}
    for name in ("rho", "omega", "phi"):
        fam = KAON_FIT[name]
        c, m, g = _tower(fam["beta"], KAON_FIT["n_max"], fam["masses"], fam["widths"], fam["width_ratio"])
        k = len(fam["weights"])
        c[:k] = fam["weights"]
        c[k] += 1.0 - c.sum()
        out[name] = (c, m, g)
    return out


def kaon_form_factors_cgk(s: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """(F_K+, F_K0) of the CGK kaon model with the arXiv:1911.11147 coefficients, s in MeV^2.

    F_K+ = R/2 + W/6 + P/3 and F_K0 = -R/2 + W/6 + P0/3, with R, W, P the rho (GS), omega (fixed
    width) and phi (P-wave into the kaon pair) towers; in P0 the phi(1020) term carries eta_phi.
    F_K+(0) = 1; F_K0(0) = (eta_phi - 1) c_phi0 / 3 = 0.018 (as fitted).
    """
    shape = np.shape(s)
    s = np.asarray(s, dtype=float).ravel()[:, None]
    tw = _kaon_towers()
    c, m, g = tw["rho"]
    rho = (c * gounaris_sakurai(s, m, g)).sum(axis=1)
    c, m, g = tw["omega"]
    omega = (c * _bw_fixed(s, m, g)).sum(axis=1)
    c, m, g = tw["phi"]
    terms_c = c * _bw_pwave(s, m, g, _M_K, _M_K)
    terms_n = c * _bw_pwave(s, m, g, _M_K0, _M_K0)
    phi_c = terms_c.sum(axis=1)
    phi_n = terms_n.sum(axis=1) + (KAON_FIT["eta_phi"] - 1.0) * terms_n[:, 0]
    iso0 = omega / 6.0
    return ((0.5 * rho + iso0 + phi_c / 3.0).reshape(shape), (-0.5 * rho + iso0 + phi_n / 3.0).reshape(shape))


def _three_pion_amplitudes(s: np.ndarray) -> np.ndarray:
    """Q^2-dependent coefficients A_j (MeV^-3) of H_rho_j, j = rho(770), rho(1450), rho(1700)."""
    fit = THREE_PION_FIT
    gev3 = 1e-9
    vec = {name: _bw_fixed(s, mv, gv) for name, mv, gv, _ in fit["isoscalars"]}
    out = np.zeros((len(fit["rhos"]),) + s.shape, dtype=complex)
    for name, _, _, a in fit["isoscalars"]:
        out[0] += a * gev3 * vec[name]
    for name, j, a in fit["cross_terms"]:
        out[j] += a * gev3 * vec[name]
    return out


def _dalitz_integrals(q: np.ndarray, n_nodes: int = 40) -> np.ndarray:
    """I_jk(Q) = int ds_+0 ds_-0 H_j H_k^* |p_+ x p_-|^2 (MeV^8) over the pi+ pi- pi0 Dalitz plot.

    H_j = sum over the three rho charge states of P-wave BW_(rho_j)(s_pair) (CGKR, hep-ph/0512180);
    Gauss-Legendre in s0 = m^2(pi+ pi-) and s_+0 at fixed s0.  Returns shape (len(q), 3, 3).
    """
    mp, m0 = _M_PI, _M_PI0
    x, w = np.polynomial.legendre.leggauss(n_nodes)
    q = np.asarray(q, dtype=float)[:, None, None]
    q2 = q * q
    lo0, hi0 = (2 * mp) ** 2, (q - m0) ** 2
    s0 = 0.5 * (hi0 + lo0) + 0.5 * (hi0 - lo0) * x[None, :, None]
    jac0 = 0.5 * (hi0 - lo0)
    # s_+0 limits at fixed s0: pi+ and pi0 energies in the (pi+ pi-) rest frame
    e_p = np.sqrt(s0) / 2.0
    e_0 = (q2 - s0 - m0 * m0) / (2.0 * np.sqrt(s0))
    p_p = np.sqrt(np.clip(e_p**2 - mp * mp, 0.0, None))
    p_0 = np.sqrt(np.clip(e_0**2 - m0 * m0, 0.0, None))
    lo1, hi1 = (e_p + e_0) ** 2 - (p_p + p_0) ** 2, (e_p + e_0) ** 2 - (p_p - p_0) ** 2
    sp = 0.5 * (hi1 + lo1) + 0.5 * (hi1 - lo1) * x[None, None, :]
    jac1 = 0.5 * (hi1 - lo1)
    sm = q2 + 2 * mp * mp + m0 * m0 - s0 - sp
    # |p_+ x p_-|^2 in the 3 pi rest frame from the invariants
    ep, em = (q2 + mp * mp - sm) / (2 * q), (q2 + mp * mp - sp) / (2 * q)
    dot = ep * em - (s0 - 2 * mp * mp) / 2.0
    cross2 = np.clip((ep**2 - mp * mp) * (em**2 - mp * mp) - dot**2, 0.0, None)
    weight = cross2 * jac0 * jac1 * w[None, :, None] * w[None, None, :]
    h = np.stack([_bw_pwave(sp, mr, gr, mp, m0) + _bw_pwave(sm, mr, gr, mp, m0) + _bw_pwave(s0, mr, gr, mp, mp)
                  for mr, gr in THREE_PION_FIT["rhos"]])
    return np.einsum("jqab,kqab,qab->qjk", h, h.conj(), weight)


_Q_GRID = np.concatenate([np.linspace(2 * _M_PI + _M_PI0 + 1e-6, 2000.0, 320), np.linspace(2020.0, 5000.0, 150)])


@lru_cache(maxsize=1)
def _dalitz_table() -> np.ndarray:
    """I_jk on _Q_GRID (smooth in Q: only the broad rho's and phase space), shape (len, 3, 3)."""
    return _dalitz_integrals(_Q_GRID)


def three_pion_R(s: ArrayLike) -> np.ndarray:
    """R(e+e- -> pi+ pi- pi0) = (1/(64 pi^2 Q^2)) sum_jk A_j A_k^* I_jk(Q) of the CGKR model, s in MeV^2.

    From Gamma = (alpha m/3) R and the current J = F eps(p+, p-, p0): R = (2 pi/Q^2) int dPhi_3 (-J.J*),
    dPhi_3 = ds_+0 ds_-0/(128 pi^3 Q^2), -J.J* = |F|^2 Q^2 |p_+ x p_-|^2 (3 pi rest frame).  The narrow
    omega, phi enter analytically through A_j(Q^2); I_jk is interpolated from a table (exact above 5 GeV).
    """
    shape = np.shape(s)
    s = np.asarray(s, dtype=float).ravel()
    q = np.sqrt(np.clip(s, 0.0, None))
    table = _dalitz_table()
    idx = np.clip(np.searchsorted(_Q_GRID, q) - 1, 0, len(_Q_GRID) - 2)
    t = np.clip((q - _Q_GRID[idx]) / (_Q_GRID[idx + 1] - _Q_GRID[idx]), 0.0, 1.0)[:, None, None]
    integ = (1.0 - t) * table[idx] + t * table[idx + 1]
    far = q > _Q_GRID[-1]
    if np.any(far):
        integ[far] = _dalitz_integrals(q[far])
    amp = _three_pion_amplitudes(s)
    total = np.einsum("jq,kq,qjk->q", amp, amp.conj(), integ).real
    above = q > _Q_GRID[0]
    return np.where(above, total / (64.0 * np.pi**2 * np.where(above, s, 1.0)), 0.0).reshape(shape)
