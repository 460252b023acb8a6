"""e+e- -> 2pi+ 2pi- and pi+ pi- 2pi0 from the Czyz-Kuehn-Wapienik four-pion current (inputs of vector_hadrons).

The hadronic current <4 pi|J^mu_em|0> of Czyz, Kuehn, Wapienik (CKW), PRD 77 (2008) 114005, arXiv:0804.0359,
App. A (built on Ecker-Unterdorfer and Kuehn-Mirkes; eq. (3): the 2pi+ 2pi- current is the sum of four
pi+ pi- 2pi0 currents, J(p1+, p2+, p1-, p2-) = J(p2+, p2-, p1+, p1-) + J(p1+, p2-, p2+, p1-) + J(p2+, p1-, p1+, p2-)
+ J(p1+, p1-, p2+, p2-), the first two slots the pi0 roles).  For pi0(q1) pi0(q2) pi+(q3) pi-(q4), with
P_Q v = v - Q (Q.v)/Q^2 and s_ij = (q_i + q_j)^2:

* a1 pi (A.2-A.3): c_a1 F_a1(Q^2) [t(q3; q2; q1, q4) + t(q3; q1; q2, q4) - t(q4; q2; q1, q3) - t(q4; q1; q2, q3)],
  t(r; b; x, y) = BW_a1((Q - r)^2) B_rho(s_xy) P_Q[(x - y) + r b.(x - y)/(Q - r)^2];
* rho f0 (A.4): c_f0 F_f0(Q^2) T_rho(s_34) BW_f0(s_12) P_Q(q3 - q4);
* omega pi0 (A.5-A.6): 2 c_omega g_(omega pi rho) g_(rho pi pi) F_omega(Q^2) sum over the recoiling pi0 a (b the other)
  of BW_omega((Q - q_a)^2) H(s_b3, s_b4, s_34) [q_b (q_a.q4 q3.Q - q_a.q3 q4.Q) + q3 (q_a.q_b q4.Q - q_a.q4 q_b.Q)
  + q4 (q_a.q3 q_b.Q - q_a.q_b q3.Q)];
* rho rho / rho pi pi (A.8-A.10): c_rho g_(rho pi pi)^3 g_(rho gamma) BW_rr(Q^2) P_Q sum of eight G terms,
  G(a, b, c, d) = q_a BW_rr(s_ac) [BW_rr(s_bd) (q_a + q_b + 3 q_c + q_d).(q_b - q_d) + 2],
  BW_rr = BW_rho/M_rho^2 - BW_rho'/M_rho'^2.

Propagators (A.11-A.24): P-wave BW3 = M^2/(M^2 - s - i Gamma M^2 ((s - 4m^2)/(M^2 - 4m^2))^(3/2)/sqrt(s));
F_X(Q^2) = (BW3_rho + sum_k beta_k BW3_k)/(1 + sum beta_k) over rho(770) and three fitted rho-bar states;
B_rho, T_rho the same with rho(1450) (and rho(1700)); a1 with the running width g(s) of (A.16); f0 S-wave;
omega fixed width; H the sum of three rho(770) BW3.

Cross section.  With J the current in GeV^-1 and the lepton tensor averaged over the beam direction,
sigma = (4 pi alpha)^2/(6 s^2) S int (-J.J*) dPhi_4, hence R = (2 pi / s) S int (-J.J*) dPhi_4 with the
identical-particle factor S = 1/2 (pi+ pi- 2pi0) and 1/4 (2pi+ 2pi-) (the normalisation of the tau and e+e-
formulae of arXiv:0804.0359, Sec. 2; the same as DarkCast's R, arXiv:1801.04847 eq. (2.13)).  The phase-space
integral is done by Monte Carlo (sequential two-body decays, flat in the intermediate masses squared, the
same unit-cube points at every energy so that the table is smooth in Q) and tabulated by
``admin/fips_four_pion_table.py`` into ``data/four_pion_R.csv``.

PROVENANCE OF THE NUMBERS: the coefficients are those of the refit of the CKW current to the BaBar/CMD/SND
four-pion data by Plehn, Reimitz, Richardson (arXiv:1911.11147), as set in the Herwig 7 FourPionCzyzCurrent
constructor (fixed masses/widths and g_(rho pi pi), g_(omega pi rho), g_(rho gamma), beta_B, beta_T as in
arXiv:0804.0359).  Two public encodings were compared term by term: Herwig 7 FourPionCzyzCurrent::baseCurrent
and Hazma (hazma/form_factors/vector/_pi_pi_pi_pi.py) have the same a1, f0, omega and rho structures and the
same four-permutation sum for 2pi+ 2pi-, with an overall sign of the whole current between them (irrelevant).
The PRR python module (Herwig4DM FourPion) writes its per-term currents with other relative signs (f0, omega
and rho flipped against a1) and its combination code was not found; the data decide: with the same
coefficients the Herwig/Hazma convention gives sigma(2pi+ 2pi-) = 28 nb at 1.5 GeV (BaBar ~30 nb), the
flipped one 159 nb.  Herwig's convention and its own fit numbers (they differ from the python module's by
< 0.3 %) are used.  Validation against the measured cross sections: tests/fips/test_vector_four_pion.py.

The omega pi0 term of the current is kept out of the pi+ pi- 2pi0 table (``omega=False``): that channel comes
from the SND fit of :mod:`vector_exclusive` (omega -> pi+ pi- pi0 share added in :mod:`vector_hadrons`); the
omega/non-omega interference, confined to the 8.5 MeV omega band, is neglected.

Units: public functions take s in MeV^2; fit constants in GeV as published.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from na62lab.fips.vector_exclusive import pwave_width
from na62lab.physics.kinematics import two_body_momentum
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV

__all__ = ["FOUR_PION_FIT", "four_pion_current", "four_pion_R_mc", "R_2pip2pim", "R_pipi2pi0_no_omega",
           "TABLE_COLUMNS"]

_MPI = pdg_mass("pi+") / GeV    # pi+- mass in GeV (PDG, through the ``particle`` package)
_MPI0 = pdg_mass("pi0") / GeV   # pi0 mass in GeV (PDG, through the ``particle`` package)

FOUR_PION_FIT: dict[str, Any] = {
    "rho": {"masses": (0.7755, 1.459, 1.72), "widths": (0.1494, 0.4, 0.25)},
    "rho_bar": {"masses": (0.7755, 1.437, 1.738, 2.12),
                "widths": (0.1494, 0.6784258847826656, 0.8049153117715863, 0.20924569673342333)},
    "omega": (0.78265, 0.00849), "f0": (1.35, 0.2), "a1": (1.23, 0.2),
    "beta_a1": (-0.051864694215520334, -0.0416090742847935, -0.0018940213981381284),
    "beta_f0": (73673.55747104406, -26116.259838644528, 332.84652898870786),
    "beta_omega": (-0.3668543468911129, 0.03624673983924276, -0.0047186283455050064),
    "beta_B": -0.145, "beta_T": (0.08, -0.0075),
    "c_a1": -201.7929015686851, "c_f0": 124.09577796839454, "c_omega": -1.5792052826500913,
    "c_rho": -2.308949096570198,
    "g_rho_pi_pi": 5.997, "g_omega_pi_rho": 42.3, "g_rho_gamma": 0.1212,
    "a1_width": {"s_switch": 0.838968432668, "high": (1.623, 10.38, -9.32, 0.65), "low": (4.1, -3.3, 5.8)},
}
"""CKW four-pion current (arXiv:0804.0359 App. A) with the arXiv:1911.11147 refit: rho, rho-bar (F_X sums), omega,
f0, a1 masses and widths (GeV); beta coefficients of F_a1, F_f0, F_omega (rho-bar states 1-3), B_rho, T_rho;
couplings c_a1, c_f0 (GeV^-2), c_omega (GeV^-1), c_rho; g_(rho pi pi), g_(omega pi rho) (GeV^-5), g_(rho gamma)
(GeV^2); the a1 running-width function g(s) of (A.16) (s in GeV^2)."""

TABLE_COLUMNS = ("Q_MeV", "R_2pip2pim", "R_pipi2pi0_no_omega")


# ---------------------------------------------------------------- kinematics (arrays of shape (4, N), GeV)
def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Minkowski product of two (possibly complex) four-vectors, no conjugation."""
    return a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3]


# ---------------------------------------------------------------- propagators (s in GeV^2)
def _bw3(s: np.ndarray, m: float, g: float) -> np.ndarray:
    """P-wave Breit-Wigner M^2 / (M^2 - s - i sqrt(s) Gamma(s)) (arXiv:0804.0359 eq. (A.12)), dimensionless,
    1 at s = 0 limit; Gamma(s) the pi pi P-wave width of :func:`na62lab.fips.vector_exclusive.pwave_width`."""
    return m * m / (m * m - s - 1j * np.sqrt(s) * pwave_width(s, m, g, _MPI))


def _rho_sum(s: np.ndarray, betas: tuple[float, ...], masses: tuple[float, ...],
             widths: tuple[float, ...]) -> np.ndarray:
    """(BW3_0 + sum_k beta_k BW3_k) / (1 + sum_k beta_k) (eqs. (A.11), (A.14), (A.19))."""
    out = _bw3(s, masses[0], widths[0])
    for b, m, g in zip(betas, masses[1:], widths[1:]):
        out = out + b * _bw3(s, m, g)
    return out / (1.0 + sum(betas))


def _f_rho(q2: float, betas: tuple[float, ...]) -> complex:
    """F_X(Q^2) over rho(770) and the three rho-bar states (eq. (A.11))."""
    rb = FOUR_PION_FIT["rho_bar"]
    return complex(_rho_sum(np.asarray(q2), betas, rb["masses"], rb["widths"]))


def _b_rho(s: np.ndarray) -> np.ndarray:
    rho = FOUR_PION_FIT["rho"]
    return _rho_sum(s, (FOUR_PION_FIT["beta_B"],), rho["masses"][:2], rho["widths"][:2])


def _t_rho(s: np.ndarray) -> np.ndarray:
    rho = FOUR_PION_FIT["rho"]
    return _rho_sum(s, FOUR_PION_FIT["beta_T"], rho["masses"], rho["widths"])


def _bw_rr(s: np.ndarray) -> np.ndarray:
    """BW3_rho/M_rho^2 - BW3_rho'/M_rho'^2 (GeV^-2, eq. (A.10))."""
    (m0, m1, _), (g0, g1, _) = FOUR_PION_FIT["rho"]["masses"], FOUR_PION_FIT["rho"]["widths"]
    return _bw3(s, m0, g0) / m0**2 - _bw3(s, m1, g1) / m1**2


def _a1_g(s: np.ndarray) -> np.ndarray:
    """Running-width function g(s) of the a1 (eq. (A.16))."""
    par = FOUR_PION_FIT["a1_width"]
    a1, a0, am1, am2 = par["high"]
    c3, c4, c5 = par["low"]
    y = np.clip(s - 9.0 * _MPI**2, 0.0, None)
    safe = np.where(s > 0, s, 1.0)
    high = a1 * s + a0 + am1 / safe + am2 / safe**2
    return np.where(s > par["s_switch"], high, c3 * y**3 * (1 + c4 * y + c5 * y * y))


def _bw_a1(s: np.ndarray) -> np.ndarray:
    m, g = FOUR_PION_FIT["a1"]
    return m * m / (m * m - s - 1j * g * m * _a1_g(s) / _a1_g(np.asarray(m * m)))


def _bw_f0(s: np.ndarray) -> np.ndarray:
    """S-wave f0 Breit-Wigner (eq. (A.21))."""
    m, g = FOUR_PION_FIT["f0"]
    mu = 4.0 * _MPI**2
    run = np.sqrt(np.clip((s - mu) / (m * m - mu), 0.0, None) / s)
    return m * m / (m * m - s - 1j * g * m * m * run)


def _bw_omega(s: np.ndarray) -> np.ndarray:
    m, g = FOUR_PION_FIT["omega"]
    return m * m / (m * m - s - 1j * m * g)


def _h_rho(s1: np.ndarray, s2: np.ndarray, s3: np.ndarray) -> np.ndarray:
    m, g = FOUR_PION_FIT["rho"]["masses"][0], FOUR_PION_FIT["rho"]["widths"][0]
    return _bw3(s1, m, g) + _bw3(s2, m, g) + _bw3(s3, m, g)


# ---------------------------------------------------------------- the current (GeV^-1)
def _transverse(v: np.ndarray, big_q: np.ndarray, q2: float) -> np.ndarray:
    return v - big_q * (_dot(big_q, v) / q2)


def _a1_term(big_q: np.ndarray, r: np.ndarray, b: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """t(r; b; x, y) of eq. (A.3) before the P_Q projection: a1 at (Q - r)^2, rho at (x + y)^2."""
    sa = _dot(big_q - r, big_q - r)
    return _bw_a1(sa) * _b_rho(_dot(x + y, x + y)) * ((x - y) + r * (_dot(b, x - y) / sa))


def _omega_term(big_q: np.ndarray, qa: np.ndarray, qb: np.ndarray, q3: np.ndarray, q4: np.ndarray) -> np.ndarray:
    """One omega(-> pi+ pi- pi0_b) pi0_a term of eq. (A.6), without the coupling and F_omega."""
    prop = _bw_omega(_dot(big_q - qa, big_q - qa)) * _h_rho(_dot(qb + q3, qb + q3), _dot(qb + q4, qb + q4),
                                                           _dot(q3 + q4, q3 + q4))
    bq, q3q, q4q = _dot(qb, big_q), _dot(q3, big_q), _dot(q4, big_q)
    ab, a3, a4 = _dot(qa, qb), _dot(qa, q3), _dot(qa, q4)
    return prop * (qb * (a4 * q3q - a3 * q4q) + q3 * (ab * q4q - a4 * bq) + q4 * (a3 * bq - ab * q3q))


def _g_term(qa: np.ndarray, qb: np.ndarray, qc: np.ndarray, qd: np.ndarray) -> np.ndarray:
    """G(a, b, c, d) of eq. (A.9)."""
    inner = _bw_rr(_dot(qb + qd, qb + qd)) * _dot(qa + qb + 3.0 * qc + qd, qb - qd) + 2.0
    return qa * (_bw_rr(_dot(qa + qc, qa + qc)) * inner)


def four_pion_current(q1: np.ndarray, q2: np.ndarray, q3: np.ndarray, q4: np.ndarray,
                      omega: bool = True) -> np.ndarray:
    """<pi0(q1) pi0(q2) pi+(q3) pi-(q4)|J_em|0> of arXiv:0804.0359 App. A (complex, GeV^-1).

    Parameters
    ----------
    q1, q2, q3, q4 : ndarray
        Four-momenta (E, px, py, pz) in GeV, shape (4, N), all at the same Q^2.
    omega : bool
        Include the omega pi0 term (A.5).

    Returns
    -------
    ndarray
        The current, shape (4, N).
    """
    fit = FOUR_PION_FIT
    big_q = q1 + q2 + q3 + q4
    q2tot = float(np.mean(_dot(big_q, big_q)))
    a1 = (_a1_term(big_q, q3, q2, q1, q4) + _a1_term(big_q, q3, q1, q2, q4)
          - _a1_term(big_q, q4, q2, q1, q3) - _a1_term(big_q, q4, q1, q2, q3))
    cur = fit["c_a1"] * _f_rho(q2tot, fit["beta_a1"]) * a1
    f0 = _t_rho(_dot(q3 + q4, q3 + q4)) * _bw_f0(_dot(q1 + q2, q1 + q2)) * (q3 - q4)
    cur = cur + fit["c_f0"] * _f_rho(q2tot, fit["beta_f0"]) * f0
    g = (_g_term(q1, q2, q3, q4) + _g_term(q4, q1, q2, q3) - _g_term(q1, q2, q4, q3) - _g_term(q3, q1, q2, q4)
         + _g_term(q2, q1, q3, q4) + _g_term(q4, q2, q1, q3) - _g_term(q2, q1, q4, q3) - _g_term(q3, q2, q1, q4))
    bw_q = complex(_bw_rr(np.asarray(q2tot)))
    cur = cur + fit["c_rho"] * fit["g_rho_pi_pi"] ** 3 * fit["g_rho_gamma"] * bw_q * g
    cur = _transverse(cur, big_q, q2tot)                      # the omega term is transverse by itself
    if omega:
        pre = 2.0 * fit["c_omega"] * fit["g_omega_pi_rho"] * fit["g_rho_pi_pi"] * _f_rho(q2tot, fit["beta_omega"])
        cur = cur + pre * (_omega_term(big_q, q1, q2, q3, q4) + _omega_term(big_q, q2, q1, q3, q4))
    return cur


def _charged_current(p1p: np.ndarray, p2p: np.ndarray, p1m: np.ndarray, p2m: np.ndarray) -> np.ndarray:
    """<pi+(p1p) pi+(p2p) pi-(p1m) pi-(p2m)|J_em|0>: the four-permutation sum of arXiv:0804.0359 eq. (3)."""
    return (four_pion_current(p2p, p2m, p1p, p1m) + four_pion_current(p1p, p2m, p2p, p1m)
            + four_pion_current(p2p, p1m, p1p, p2m) + four_pion_current(p1p, p1m, p2p, p2m))


# ---------------------------------------------------------------- four-body phase space (GeV)
def _two_body(p: np.ndarray, m_parent: np.ndarray, cos_t: np.ndarray, phi: np.ndarray,
              m1: float, m2: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Decay of parent (lab four-momentum p, mass m_parent) at rest-frame angles; returns both daughters (lab)."""
    k = two_body_momentum(m_parent, m1, m2, below=0.0)
    sin_t = np.sqrt(np.clip(1.0 - cos_t**2, 0.0, None))
    d = np.stack([np.sqrt(k * k + m1 * m1), k * sin_t * np.cos(phi), k * sin_t * np.sin(phi), k * cos_t])
    d1 = _boost(d, p, m_parent)
    return d1, p - d1


def _boost(v: np.ndarray, p: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Boost v from the rest frame of p (mass m) to the frame where p is given."""
    gam = p[0] / m
    bx, by, bz = p[1] / p[0], p[2] / p[0], p[3] / p[0]
    bv = bx * v[1] + by * v[2] + bz * v[3]
    b2 = bx * bx + by * by + bz * bz
    coef = np.where(b2 > 0, (gam - 1.0) / np.where(b2 > 0, b2, 1.0), 0.0) * bv + gam * v[0]
    return np.stack([gam * (v[0] + bv), v[1] + coef * bx, v[2] + coef * by, v[3] + coef * bz])


def _phase_space(q: float, masses: tuple[float, float, float, float], u: np.ndarray) -> tuple[list[np.ndarray],
                                                                                              np.ndarray]:
    """Q -> p1 + X, X -> p2 + Y, Y -> p3 + p4 from unit-cube points u (N, 8); returns momenta and weights.

    Weights w with sum(w f)/N -> int f dPhi_4 (dPhi_n = (2 pi)^4 delta^4 prod d^3p/((2 pi)^3 2E); recursion
    dPhi_4 = dPhi_2(Q; p1, X) dm_X^2/(2 pi) dPhi_2(X; p2, Y) dm_Y^2/(2 pi) dPhi_2(Y; p3, p4), int dPhi_2 = k/(4 pi m)).
    """
    m1, m2, m3, m4 = masses
    lo_x, hi_x = (m2 + m3 + m4) ** 2, (q - m1) ** 2
    sx = lo_x + (hi_x - lo_x) * u[:, 0]
    mx = np.sqrt(sx)
    lo_y, hi_y = (m3 + m4) ** 2, (mx - m2) ** 2
    sy = lo_y + (hi_y - lo_y) * u[:, 1]
    my = np.sqrt(sy)
    n = u.shape[0]
    big_q = np.zeros((4, n))
    big_q[0] = q
    p1, px = _two_body(big_q, np.full(n, q), 2 * u[:, 2] - 1, 2 * np.pi * u[:, 3], m1, mx)
    p2, py = _two_body(px, mx, 2 * u[:, 4] - 1, 2 * np.pi * u[:, 5], m2, my)
    p3, p4 = _two_body(py, my, 2 * u[:, 6] - 1, 2 * np.pi * u[:, 7], m3, m4)
    w = ((hi_x - lo_x) * (hi_y - lo_y) / (2 * np.pi) ** 2
         * two_body_momentum(np.asarray(q), m1, mx, below=0.0) / (4 * np.pi * q)
         * two_body_momentum(mx, m2, my, below=0.0) / (4 * np.pi * mx)
         * two_body_momentum(my, m3, m4, below=0.0) / (4 * np.pi * my))
    return [p1, p2, p3, p4], w


@lru_cache(maxsize=4)
def _unit_points(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random((n, 8))


def four_pion_R_mc(q_gev: float, mode: str, n: int = 40000, seed: int = 1,
                   omega: bool = False) -> tuple[float, float]:
    """R of e+e- -> 4 pi at Q (GeV) by Monte Carlo over dPhi_4: R = (2 pi/Q^2) S <-J.J* w>.

    Parameters
    ----------
    q_gev : float
        Centre-of-mass energy in GeV.
    mode : str
        ``"2pi+2pi-"`` or ``"pi+pi-2pi0"``.
    n, seed : int
        Number of phase-space points and seed of the numpy Generator (the same points at every Q).
    omega : bool
        Include the omega pi0 term in pi+ pi- 2pi0 (it cancels in 2pi+ 2pi-).

    Returns
    -------
    (float, float)
        R and its Monte-Carlo standard error.
    """
    charged = mode == "2pi+2pi-"
    masses = (_MPI,) * 4 if charged else (_MPI0, _MPI0, _MPI, _MPI)
    if q_gev <= sum(masses):
        return 0.0, 0.0
    (p1, p2, p3, p4), w = _phase_space(q_gev, masses, _unit_points(n, seed))
    # charged: p1 = pi+_1, p2 = pi-_1, p3 = pi+_2, p4 = pi-_2
    cur = _charged_current(p1, p3, p2, p4) if charged else four_pion_current(p1, p2, p3, p4, omega=omega)
    f = -_dot(cur, cur.conj()).real * w * (2 * np.pi / q_gev**2) * (0.25 if charged else 0.5)
    return float(np.mean(f)), float(np.std(f) / np.sqrt(n))


# ---------------------------------------------------------------- the shipped table
@lru_cache(maxsize=1)
def _table() -> np.ndarray:
    """data/four_pion_R.csv (admin/fips_four_pion_table.py): Q (MeV), R(2pi+2pi-), R(pi+pi-2pi0, no omega)."""
    text = (resources.files("na62lab.fips") / "data" / "four_pion_R.csv").read_text()
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    return np.array([[float(x) for x in line.split(",")] for line in rows[1:]])


def _interpolate(s: ArrayLike, column: int) -> np.ndarray:
    """Column of the table at sqrt(s) (s in MeV^2): linear in Q, 0 below the first row, a power law in Q through
    the last two rows beyond the table (the current falls like Q^-5 there)."""
    tab = _table()
    q = np.sqrt(np.clip(np.asarray(s, dtype=float), 0.0, None))
    x, y = tab[:, 0], tab[:, column]
    slope = np.log(y[-1] / y[-2]) / np.log(x[-1] / x[-2])
    tail = y[-1] * (np.maximum(q, x[-1]) / x[-1]) ** slope
    return np.where(q > x[-1], tail, np.interp(q, x, y, left=0.0))


def R_2pip2pim(s: ArrayLike) -> np.ndarray:
    """R(e+e- -> 2pi+ 2pi-) of the CKW current (arXiv:0804.0359, refit of arXiv:1911.11147), s in MeV^2."""
    return _interpolate(s, 1)


def R_pipi2pi0_no_omega(s: ArrayLike) -> np.ndarray:
    """R(e+e- -> pi+ pi- 2pi0) of the CKW current without its omega pi0 term (a1 pi, rho f0, rho rho), s in MeV^2."""
    return _interpolate(s, 2)
