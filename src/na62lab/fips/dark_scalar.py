"""Dark scalar S mixing with the Higgs through the angle theta: PBC BC4 and BC5.

Coupling: ``theta`` (the mixing angle, not squared); widths scale as theta^2.
Masses in MeV, widths in MeV, c*tau in mm.

Decay widths (prescription of Boiarska et al., arXiv:1904.10447, Sec. 4):

* leptons: Gamma(S -> l l) = theta^2 m_l^2 m_S / (8 pi v^2) (1 - 4 m_l^2/m_S^2)^(3/2)
  (arXiv:1904.10447 Sec. 4);
* photons: Gamma(S -> gamma gamma) = theta^2 alpha^2 m_S^3 / (256 pi^3 v^2) |A|^2, the SM Higgs
  two-photon width times theta^2 (Djouadi, hep-ph/0503172 Sec. 2.3.1; the S-photon coupling of
  arXiv:1904.10447 App. A.1 and the width of Bezrukov & Gorbunov arXiv:0912.0390 have this form, but
  their text, equation numbers and light-quark treatment were not reachable from this build, so the
  light-hadron term below is ours): A = A_1(W) + sum over e, mu, tau and
  c, b, t of N_c Q^2 A_1/2, and below 2 GeV the charged pion and kaon loops with the leading-order
  chiral S P+ P- coupling in place of the light quarks (:func:`_photon_amplitude`).  For a light
  scalar the W (-7) and the heavy fermions (+16/9 t, +4/9 b, +16/9 c, +4/3 tau, +4/3 mu) nearly
  cancel: |A| = 0.18, 0.78 at 0.1, 0.2 GeV (meson loops 0.45, 0.61 of it), so
  Gamma_gammagamma/Gamma_ee = 2.2e-4, 0.016 there, and BR(gamma gamma) < 1e-4 above 2 m_mu.  THEORY
  SPREAD of the light-hadron term: light quarks as heavy constituent quarks (+8/3 instead of the meson
  loops) would give |A| = 2.4, 2.8 and Gamma_gammagamma/Gamma_ee = 0.04, 0.21 at 0.1, 0.2 GeV: the
  long-lived lower edge (N ~ theta^4 Gamma_vis) moves by 0.99, 0.96 at CHARM (gamma gamma and e+ e- selected
  alike) but by 0.92, 0.79 at the NA62 dump (its gamma gamma acceptance is 8-10 x the e+ e- one); with
  the meson loops 1.00, 0.996 and 0.999, 0.974;
* m_S < 2 GeV, hadrons: ``pipi`` and ``KK`` from the dispersive analysis of
  Winkler, arXiv:1809.01876 (tabulated, package data ``data/scalar_*.csv``,
  written by ``admin/fips_scalar_tables.py``), plus a ``4pi`` multi-meson term
  Gamma = C m_S^3 (1 - 16 m_pi^2/m_S^2)^(1/2) whose C is fixed so that the
  total hadronic width is continuous at 2 GeV (arXiv:1904.10447 Sec. 4.3);
* m_S >= 2 GeV, perturbative QCD with the published corrections of the SM Higgs widths (Djouadi,
  hep-ph/0503172 Sec. 2.1 and 2.3; the equations of arXiv:1904.10447 Sec. 3-4 were not reachable
  from this build, so the standard Higgs formulas are used, times theta^2):

  - ``gg``: the heavy-quark-loop width (c, b, t pole masses, Spira hep-ph/9705337 eq. (55)) times the NLO
    factor K = 1 + E alpha_s(m_S)/pi, E = 95/4 - 7 N_F/6 (heavy-quark limit; Spira, Djouadi, Graudenz,
    Zerwas hep-ph/9504378), N_F = 4 as in alpha_s: K = 2.82, 2.57 at 2, 3 GeV (:func:`gluon_k_factor`);
  - ``ss``, ``cc``: Gamma = 3 theta^2 mbar_q^2(m_S) m_S/(8 pi v^2) beta^3 [Delta_QCD + Delta_t] with the
    MS-bar mass run to mu = m_S (:func:`running_mass`), Delta_QCD = 1 + 5.67 a + (35.94 - 1.36 N_F) a^2
    + (164.14 - 25.77 N_F + 0.259 N_F^2) a^3, a = alpha_s(m_S)/pi, and the top-triangle term
    Delta_t = a^2 [1.57 - (2/3) ln(m_S^2/m_t^2) + (1/9) ln^2(mbar_q^2/m_S^2)] (hep-ph/0503172
    Sec. 2.1).  beta uses mbar_s(m_S) for s (the channel is open from 2 m_K, inside the tabulated
    region); for c, whose open-flavour threshold 2 m_D lies in the perturbative range, beta uses the
    D0 mass, so that the width vanishes at the D Dbar threshold (the lightest-meson prescription of
    Clarke, Foot & Volkas arXiv:1310.8042, as a version of JLTastet/scalar_portal, a code following
    arXiv:1904.10447, did for S -> c cbar; its later version takes the smaller of the running-mass width
    with beta from mbar_c and the near-threshold pole-mass width).
  - before (ff5a00f): leading-order gg, 1 + 5.67 alpha_s/pi only, m_s(2 GeV) and m_c(m_c) not run, charm beta
    with m_c: c tau at theta = 1 was 1.72/1.82/2.00/0.235 x ShipSoft/EventCalc's (commit ace935e) at
    2/2.5/3/4 GeV, now 0.90/0.95/1.02/0.93, and 0.89/0.94/0.93 x SensCalc's at 2/2.5/4 GeV (both samplers
    implement arXiv:1904.10447; tests/fips/test_dark_scalar.py).  Winkler's BRs as digitised in FORESEE
    (BR(gg) = 0.453, BR(ss) = 0.423 just above 2 GeV) are close to the leading-order prescription (0.435,
    0.443), not to this one (0.640, 0.297).

THEORY SPREAD: the hadronic widths between 2 m_pi and 2 GeV are uncertain by
about a factor 2 (compare Winkler with Gorbunov, Kriukova, Teryaev,
arXiv:2303.12847, and the factor ~100 spread of older chiral estimates); the
option ``hadronic_factor`` scales ``pipi``, ``KK`` and ``4pi`` there (use 0.5
and 2 for a band).  APPROXIMATE: one-loop alpha_s (alpha_s(2 GeV) = 0.30, n_f = 4) with the three-loop
mass-running functions; the gg K-factor in the heavy-quark limit although the charm loop is not heavy
(m_S^2/4 m_c^2 = 0.36-1.4 at 2-4 GeV) and at NLO only: at alpha_s = 0.3 the series converges poorly
(the NLO term alone is +180 % at 2 GeV), so the gg width is uncertain by tens of percent; N_F = 3 (charm
counted in the loop only) would raise K by 7 alpha_s/(6 pi) = +4 %.  Through the 4pi continuity the
perturbative total at 2 GeV also sets the width below 2 GeV.

Production (BR of the parent decay), through the flavour-changing coupling
xi_Q^{ij} = 3 sqrt(2) G_F m_t^2 V_ti* V_tj / (16 pi^2) (arXiv:1904.10447
eq. (2.11) and Table 1):

* ``K+->pi+S``, ``KL->pi0S``, ``KS->pi0S``, ``B->KS``, ``B->K*S``: two-body rates
  Gamma = |A|^2 p_S / (8 pi m_X^2), A = theta xi chi F(m_S^2) / v with
  chi = (m_X^2 - m_Y^2)/2 (pseudoscalar Y) or m_X p_S (vector Y) and the form
  factors of arXiv:1904.10447 App. C (f0^{B->K} = 0.33/(1 - q^2/38 GeV^2),
  f0^{K->pi} = 0.96, A0^{B->K*} = 1.364/(1 - q^2/m_B^2) - 0.99/(1 - q^2/36.8 GeV^2));
  neutral kaons by CP: the parity-even part of L = xi S sbar P_R d + h.c. is
  (S/2)[Re(xi) (sbar d + dbar s) + i Im(xi) (sbar d - dbar s)], and CP(sbar d) = dbar s for a
  scalar density (no sign, unlike the vector current of K -> pi nu nu), so the Re part is the
  CP-even interaction of the CP-even S.  pi0 S from a spin-0 parent is an s wave with
  CP = CP(pi0) CP(S) = -1 = CP(K_2): K_L -> pi0 S is CP-conserving, A(K_L) = A(K+) |Re(lambda_t)|/|lambda_t|,
  and K_S -> pi0 S is CP-violating, A(K_S) = A(K+) |Im(lambda_t)|/|lambda_t| (indirect CP violation,
  epsilon ~ 2e-3, neglected).  (For a CP-odd ALP it is the other way round, fips/alp_production.py.)
  before ca597cb K_L used Im(lambda_t) (the K -> pi nu nu / ALP rule), a rate (Im/Re)^2 = 0.17 of this one;
* ``B->XsS``: inclusive b -> s S, Gamma = theta^2 |xi_sb|^2 m_b^3 (1 - m_S^2/m_b^2)^2 / (32 pi v^2),
  normalised to BR(B -> X_c l nu) with the b -> c l nu rate G_F^2 m_b^5 |V_cb|^2 f(m_c^2/m_b^2)/(192 pi^3)
  (arXiv:1904.10447 Sec. 3.1; APPROXIMATE: no QCD corrections, m_c/m_b = 0.29).
* BC5 (option ``br_h_ss``, default 0): pair production through an off-shell
  Higgs with trilinear coupling alpha fixed by BR(h -> S S):
  ``Bs->SS`` Gamma = alpha^2 xi^2 f_Bs^2 m_Bs^3 beta / (128 pi v^2 m_h^4) and
  ``B->KSS`` (three-body, integrated numerically); theta-independent
  (arXiv:1904.10447 Sec. 3.2; arXiv:1901.09966 BC5).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import ArrayLike

from na62lab.errors import require
from na62lab.fips import register
from na62lab.fips.base import FIPModel, check_mass
from na62lab.fips.constants import (
    BR_B_XC_LNU, CKM, DECAY_CONSTANT, G_FERMI, HIGGS_VEV, HIGGS_WIDTH_SM, M_TOP, QUARK_MASS_2GEV, QUARK_POLE_MASS,
    WOLFENSTEIN,
)
from na62lab.physics.constants import ALPHA_EM
from na62lab.physics.kinematics import two_body_momentum
from na62lab.physics.particles import decay_width
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV

__all__ = ["DarkScalar", "xi_coupling", "alpha_s", "running_mass", "gluon_k_factor", "b_semileptonic_normalisation"]

V = HIGGS_VEV
M_HIGGS = pdg_mass("H0")
"""Higgs boson mass in MeV (PDG, through the ``particle`` package)."""
MATCHING_MASS = 2.0 * GeV
"""Mass above which the perturbative QCD widths are used (arXiv:1904.10447 Sec. 4)."""

_LEPTONS = {"ee": "e-", "mumu": "mu-", "tautau": "tau-"}


def lambda_t() -> complex:
    """lambda_t = V_ts* V_td from the Wolfenstein parameters (leading order in lambda)."""
    w = WOLFENSTEIN
    return -(w["A"] ** 2) * w["lam"] ** 5 * complex(1.0 - w["rhobar"], -w["etabar"])


def xi_coupling(transition: str) -> complex:
    """Flavour-changing scalar coupling xi_Q^{ij} (dimensionless), top loop only.

    xi = 3 sqrt(2) G_F m_t^2 V_ti* V_tj / (16 pi^2) (arXiv:1904.10447 eq. (2.11);
    Table 1 quotes |xi_ds| = 3.3e-6, |xi_sb| = 3.6e-4).

    Parameters
    ----------
    transition : str
        ``"sd"`` (s -> d, complex with CP phase) or ``"bs"`` (b -> s).
    """
    pref = 3.0 * np.sqrt(2.0) * G_FERMI * M_TOP**2 / (16.0 * np.pi**2)
    if transition == "sd":
        return pref * lambda_t()
    require(transition == "bs", "transition", transition, "'sd' or 'bs'")
    return complex(pref * CKM["ts"] * CKM["tb"])


def alpha_s(mu: ArrayLike) -> np.ndarray:
    """One-loop alpha_s(mu) with n_f = 4, alpha_s(2 GeV) = 0.30 (PDG QCD review); mu in MeV."""
    b0 = 11.0 - 2.0 * 4 / 3.0
    a0 = 0.30
    return a0 / (1.0 + a0 * b0 / (2.0 * np.pi) * np.log(np.asarray(mu, dtype=float) / (2.0 * GeV)))


@lru_cache(maxsize=None)
def _table(channel: str) -> tuple[np.ndarray, np.ndarray]:
    text = (resources.files("na62lab.fips") / "data" / f"scalar_{channel}.csv").read_text()
    data = np.loadtxt(text.splitlines(), delimiter=",", comments="#")
    return data[:, 0], data[:, 1]


def _tabulated(m: np.ndarray, channel: str) -> np.ndarray:
    """Winkler width / theta^2 (MeV), log-linear interpolation, 0 outside the table."""
    x, y = _table(channel)
    inside = (m >= x[0]) & (m <= x[-1])
    return np.where(inside, np.exp(np.interp(m, x, np.log(y))), 0.0)


N_F = 4
"""Active flavours of alpha_s, Delta_QCD and the gg E-factor above 2 GeV (u, d, s, c)."""


def _mass_running_c(x: np.ndarray) -> np.ndarray:
    """c(x) = (25 x/6)^(12/25) (1 + 1.014 x + 1.389 x^2), x = alpha_s/pi, for n_f = 4 (m_c < mu < m_b):
    the MS-bar mass runs as mbar(mu) = mbar(mu0) c(x(mu))/c(x(mu0)) (hep-ph/0503172 Sec. 2.1)."""
    return (25.0 * x / 6.0) ** (12.0 / 25.0) * (1.0 + 1.014 * x + 1.389 * x * x)


def running_mass(quark: str, mu: ArrayLike) -> np.ndarray:
    """MS-bar mass of ``quark`` ('s' or 'c') at the scale mu (MeV), from m_s(2 GeV), m_c(m_c) (PDG 2024).

    Run with :func:`_mass_running_c` and the one-loop alpha_s of :func:`alpha_s` (n_f = 4 throughout;
    m_s(2 GeV) -> 86, 81 MeV and m_c(m_c) -> 1.04, 0.98 GeV at 3, 4 GeV).
    """
    require(quark in ("s", "c"), "quark", quark, "'s' or 'c'")
    mu0 = 2.0 * GeV if quark == "s" else QUARK_MASS_2GEV["c"]
    x, x0 = alpha_s(mu) / np.pi, alpha_s(mu0) / np.pi
    return QUARK_MASS_2GEV[quark] * _mass_running_c(x) / _mass_running_c(x0)


def _delta_qcd(a: np.ndarray) -> np.ndarray:
    """Delta_QCD of Gamma(H -> q qbar) to O(alpha_s^3), a = alpha_s/pi, N_F flavours (hep-ph/0503172 Sec. 2.1)."""
    return 1.0 + 5.67 * a + (35.94 - 1.36 * N_F) * a**2 + (164.14 - 25.77 * N_F + 0.259 * N_F**2) * a**3


def _delta_top(a: np.ndarray, mq: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Top-triangle correction Delta_t = a^2 [1.57 - (2/3) ln(m^2/m_t^2) + (1/9) ln^2(mq^2/m^2)] (hep-ph/0503172
    Sec. 2.1), a = alpha_s/pi, m_t the pole mass."""
    return a**2 * (1.57 - (2.0 / 3.0) * np.log(m * m / M_TOP**2) + np.log(mq * mq / (m * m)) ** 2 / 9.0)


def gluon_k_factor(m: ArrayLike) -> np.ndarray:
    """NLO factor of Gamma(S -> g g): 1 + E alpha_s(m)/pi, E = 95/4 - 7 N_F/6 (hep-ph/9504378, heavy-quark limit)."""
    return 1.0 + (95.0 / 4.0 - 7.0 * N_F / 6.0) * alpha_s(m) / np.pi


def _quark_width(m: np.ndarray, quark: str, beta_mass: float | None = None) -> np.ndarray:
    """Gamma(S -> q qbar)/theta^2 in MeV (module docstring); beta from ``beta_mass`` (MeV) or mbar_q(m_S).

    Open from 2 beta_mass (charm) or from 2 m_K (strange); m >= 2 GeV is where it is used.
    """
    mm = np.maximum(m, 1.0 * GeV)
    mq = running_mass(quark, mm)
    a = alpha_s(mm) / np.pi
    threshold = 2.0 * (beta_mass if beta_mass is not None else pdg_mass("K+"))
    bm = mq if beta_mass is None else beta_mass
    beta2 = np.clip(1.0 - 4.0 * bm * bm / (mm * mm), 0.0, None)
    rate = 3.0 * mq * mq * mm / (8.0 * np.pi * V * V) * beta2**1.5 * (_delta_qcd(a) + _delta_top(a, mq, mm))
    return np.where(m >= threshold, rate, 0.0)


def _loop_f(tau: np.ndarray) -> np.ndarray:
    """f(tau) = arcsin^2(sqrt(tau)) (tau <= 1), -(1/4)[ln((1 + r)/(1 - r)) - i pi]^2, r = sqrt(1 - 1/tau) (tau > 1)
    (Djouadi, hep-ph/0503172 Sec. 2.3.1), tau = m_S^2/(4 m_loop^2) > 0."""
    tau = np.asarray(tau, dtype=float)
    below = np.arcsin(np.sqrt(np.minimum(tau, 1.0))) ** 2
    r = np.sqrt(np.clip(1.0 - 1.0 / np.maximum(tau, 1.0), 0.0, None))
    above = -0.25 * (np.log((1.0 + r) / np.where(r < 1, 1.0 - r, 1e-300)) - 1j * np.pi) ** 2
    return np.where(tau <= 1.0, below + 0j, above)


def _loop_a12(tau: np.ndarray) -> np.ndarray:
    """Fermion loop A_1/2(tau) = 2 [tau + (tau - 1) f(tau)] / tau^2, tau = m_S^2/(4 m_q^2); -> 4/3 for heavy quarks."""
    tau = np.asarray(tau, dtype=float)
    return 2.0 * (tau + (tau - 1.0) * _loop_f(tau)) / tau**2


def _loop_a1(tau: np.ndarray) -> np.ndarray:
    """W loop A_1(tau) = -[2 tau^2 + 3 tau + 3 (2 tau - 1) f(tau)] / tau^2 (hep-ph/0503172 Sec. 2.3.1); -> -7."""
    tau = np.asarray(tau, dtype=float)
    return -(2.0 * tau**2 + 3.0 * tau + 3.0 * (2.0 * tau - 1.0) * _loop_f(tau)) / tau**2


def _loop_a0(tau: np.ndarray) -> np.ndarray:
    """Charged-scalar loop A_0(tau) = -[tau - f(tau)] / tau^2 (charged-scalar loop, Djouadi
    hep-ph/0503173 Sec. 2.3); -> 1/3 (the QED beta-function coefficient of a charged scalar)."""
    tau = np.asarray(tau, dtype=float)
    return -(tau - _loop_f(tau)) / tau**2


def _photon_amplitude(m: np.ndarray) -> np.ndarray:
    """Sum of the loop amplitudes of S -> gamma gamma (dimensionless, complex); m in MeV, m > 0.

    W boson, the three charged leptons and the heavy quarks c, b, t (pole masses, as in
    :func:`_gluon_width`) with their loop functions.  Below the matching mass the light quarks are
    replaced by the charged pion and kaon loops (scalar loops, unit charge) with the leading-order
    chiral coupling of S to P+ P-: g v = (7/9) m_P^2 + (2/9) (m_S^2 + 2 m_P^2) = (2/9) (m_S^2 + 11/2 m_P^2),
    from L_S = -(theta S/v) [(7/9) sum_light m_q qbar q + (2/9) theta^mu_mu] with three heavy quarks
    (Voloshin, Sov. J. Nucl. Phys. 44 (1986) 478; Winkler arXiv:1809.01876 writes S -> pi pi with the same
    decomposition, whose form factors are at leading order Gamma_pi = m_pi^2, Delta_pi = 0,
    Theta_pi = s + 2 m_pi^2); a scalar loop enters as (g v / (2 m_P^2)) A_0 (low-energy theorem: 1/3 x
    d ln m_P^2 / d ln v).  APPROXIMATE: the on-shell vertex at s = m_S^2 and leading-order chiral
    couplings (the meson term is 0.2-0.3 of |A| below 0.3 GeV; the total is a near cancellation, see
    the module docstring).  Above the matching mass the s quark is a quark loop (MS-bar mass; u and d
    contribute < 1e-3 and are left out).
    """
    amp = _loop_a1(m * m / (4.0 * pdg_mass("W+") ** 2)) + 0j
    for lepton in _LEPTONS.values():
        amp = amp + _loop_a12(m * m / (4.0 * pdg_mass(lepton) ** 2))
    for mq, charge in ((QUARK_POLE_MASS["c"], 2 / 3), (QUARK_POLE_MASS["b"], -1 / 3), (M_TOP, 2 / 3)):
        amp = amp + 3.0 * charge**2 * _loop_a12(m * m / (4.0 * mq * mq))
    mesons = sum((2.0 / 9.0) * (m * m + 5.5 * mp * mp) / (2.0 * mp * mp) * _loop_a0(m * m / (4.0 * mp * mp))
                 for mp in (pdg_mass("pi+"), pdg_mass("K+")))
    quarks = 3.0 * (1 / 3) ** 2 * _loop_a12(m * m / (4.0 * QUARK_MASS_2GEV["s"] ** 2))
    return amp + np.where(m < MATCHING_MASS, mesons, quarks)


def _photon_width(m: np.ndarray) -> np.ndarray:
    """Gamma(S -> gamma gamma)/theta^2 = alpha^2 m^3 |A|^2 / (256 pi^3 v^2) in MeV (the SM Higgs two-photon
    width of hep-ph/0503172 Sec. 2.3.1, G_F alpha^2 m^3/(128 sqrt(2) pi^3) |A|^2, with G_F/sqrt(2) = 1/(2 v^2),
    times theta^2); A of :func:`_photon_amplitude`."""
    mm = np.maximum(m, 1e-3)
    return ALPHA_EM**2 * mm**3 * np.abs(_photon_amplitude(mm)) ** 2 / (256.0 * np.pi**3 * V * V)


def _gluon_width_lo(m: np.ndarray) -> np.ndarray:
    """Gamma(S -> g g)/theta^2 = alpha_s^2 m^3 |sum_q (3/4) A_1/2|^2 / (72 pi^3 v^2) (hep-ph/9705337 eq. (55), LO)."""
    mm = np.maximum(m, 1.0)
    pole_masses = (QUARK_POLE_MASS["c"], QUARK_POLE_MASS["b"], M_TOP)
    amp = sum(0.75 * _loop_a12(mm**2 / (4.0 * mq**2)) for mq in pole_masses)
    return alpha_s(mm) ** 2 * mm**3 * np.abs(amp) ** 2 / (72.0 * np.pi**3 * V * V)


def _gluon_width(m: np.ndarray) -> np.ndarray:
    """Gamma(S -> g g)/theta^2 in MeV: the LO width times :func:`gluon_k_factor`."""
    return _gluon_width_lo(m) * gluon_k_factor(np.maximum(m, 1.0 * GeV))


def _perturbative(m: np.ndarray) -> dict[str, np.ndarray]:
    return {"gg": _gluon_width(m), "ss": _quark_width(m, "s"), "cc": _quark_width(m, "c", pdg_mass("D0"))}


def _multimeson_coefficient() -> float:
    """C of the 4pi toy term: continuity of the hadronic width at the matching mass."""
    m = np.array(MATCHING_MASS)
    above = sum(_perturbative(m).values())
    below = _tabulated(m, "pipi") + _tabulated(m, "KK")
    beta = np.sqrt(1.0 - 16.0 * pdg_mass("pi+") ** 2 / MATCHING_MASS**2)
    return float((above - below) / (MATCHING_MASS**3 * beta))


class DarkScalar(FIPModel):
    """Higgs-mixed dark scalar (BC4), with the BC5 pair-production term when ``br_h_ss > 0``.

    Parameters
    ----------
    hadronic_factor : float
        Multiplies the non-perturbative hadronic widths (2 m_pi < m_S < 2 GeV);
        1 is the Winkler/Boiarska central prescription (theory spread ~ x0.5-x2).
    br_h_ss : float
        BR(h -> S S) fixing the trilinear coupling (BC5: 0.01; BC4: 0).
    """

    name = "dark-scalar"
    coupling_name = "theta"
    decay_channels = ("ee", "mumu", "tautau", "gammagamma", "pipi", "KK", "4pi", "gg", "ss", "cc")
    production_channels = ("K+->pi+S", "KL->pi0S", "KS->pi0S", "B->KS", "B->K*S", "B->XsS", "Bs->SS", "B->KSS")
    production_parents = {"K+->pi+S": "K+", "KL->pi0S": "K0L", "KS->pi0S": "K0S", "B->KS": "B+", "B->K*S": "B+",
                          "B->XsS": "B+", "Bs->SS": "B(s)0", "B->KSS": "B+"}
    pbc_label = "BC4"
    spin = 0
    # proton bremsstrahlung of a scalar is not part of the PBC BC4 definition (arXiv:1901.09966):
    # declared, but used only when the card switches it on (production.scalar_brems)
    dump_mechanisms = ("scalar_bremsstrahlung",)
    default_mass_range_gev = (0.05, 4.5)
    default_coupling_range = (1e-7, 1e-1)
    valid_mass_gev = (0.0, 10.56)    # 2 m_B+ = 10.559 GeV (PDG 2024): the b b-bar width is not in decay_channels
    valid_mass_note = "no S -> b bbar width: the model is meant for m < 2 m_B = 10.56 GeV"
    coupling_label = r"$\theta$"
    plot_coupling_squared = False       # theta everywhere: CLI, JSON, tables and figures (FIPModel.plane)
    typical_couplings = (1e-5, 1e-4, 1e-3)

    def __init__(self, hadronic_factor: float = 1.0, br_h_ss: float = 0.0) -> None:
        require(np.isfinite(hadronic_factor) and hadronic_factor > 0, "hadronic_factor", hadronic_factor,
                "a number > 0")
        require(0.0 <= br_h_ss < 1.0, "br_h_ss", br_h_ss, "a branching ratio in [0, 1)")
        self.hadronic_factor, self.br_h_ss = float(hadronic_factor), float(br_h_ss)
        if br_h_ss > 0:
            self.name = "dark-scalar-bc5"
            self.pbc_label = "BC5"

    def reduced_widths(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """Partial widths / theta^2 in MeV (formulas in the module docstring)."""
        m = check_mass(mass)
        out = {}
        for key, lepton in _LEPTONS.items():
            ml = pdg_mass(lepton)
            beta2 = np.clip(1.0 - 4.0 * ml * ml / np.where(m > 0, m * m, np.inf), 0.0, None)
            out[key] = ml * ml * m / (8.0 * np.pi * V * V) * beta2**1.5
        out["gammagamma"] = _photon_width(m)
        low = m < MATCHING_MASS
        scale = self.hadronic_factor
        out["pipi"] = np.where(low, scale * _tabulated(m, "pipi"), 0.0)
        out["KK"] = np.where(low, scale * _tabulated(m, "KK"), 0.0)
        beta4 = np.sqrt(np.clip(1.0 - 16.0 * pdg_mass("pi+") ** 2 / np.where(m > 0, m * m, np.inf), 0.0, None))
        out["4pi"] = np.where(low, scale * _multimeson_coefficient() * m**3 * beta4, 0.0)
        for key, value in _perturbative(m).items():
            out[key] = np.where(low, 0.0, value)
        return out

    # ----------------------------------------------------------- production
    def reduced_production(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """Production BRs / theta^2 (formulas in the module docstring)."""
        m = check_mass(mass)
        lt = lambda_t()
        flat = lambda q2: F0_K_PI + 0 * q2
        kp = _two_body_br(m, "K+", "pi+", abs(xi_coupling("sd")), flat)
        kl = _two_body_br(m, "K0L", "pi0", abs(xi_coupling("sd")) * abs(lt.real) / abs(lt), flat)
        ks = _two_body_br(m, "K0S", "pi0", abs(xi_coupling("sd")) * abs(lt.imag) / abs(lt), flat)
        bk = _two_body_br(m, "B+", "K+", abs(xi_coupling("bs")), f0_bk)
        bks = _two_body_br(m, "B+", "K*(892)+", abs(xi_coupling("bs")), _a0_bkstar, vector=True)
        return {"K+->pi+S": kp, "KL->pi0S": kl, "KS->pi0S": ks, "B->KS": bk, "B->K*S": bks, "B->XsS": _inclusive_bs(m)}

    def fixed_production(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """BC5 pair-production BRs (theta-independent); empty when ``br_h_ss == 0``."""
        if self.br_h_ss <= 0:
            return {}
        m = check_mass(mass)
        alpha2 = trilinear_coupling_squared(self.br_h_ss, m)
        return {"Bs->SS": alpha2 * _bs_to_ss(m), "B->KSS": alpha2 * _b_to_kss(m)}

    def production_thresholds(self) -> dict[str, float]:
        """Kinematic limit (MeV) of each production channel."""
        out = {"K+->pi+S": pdg_mass("K+") - pdg_mass("pi+"), "KL->pi0S": pdg_mass("K0L") - pdg_mass("pi0"),
               "KS->pi0S": pdg_mass("K0S") - pdg_mass("pi0"),
               "B->KS": pdg_mass("B+") - pdg_mass("K+"), "B->K*S": pdg_mass("B+") - pdg_mass("K*(892)+"),
               "B->XsS": QUARK_MASS_2GEV["b"]}
        if self.br_h_ss > 0:
            out |= {"Bs->SS": pdg_mass("B(s)0") / 2, "B->KSS": (pdg_mass("B+") - pdg_mass("K+")) / 2}
        return out


F0_K_PI = 0.96
"""Scalar form factor f0^{K->pi}(q^2), taken flat (arXiv:1904.10447 App. C); also used by the ALP's K -> pi a."""


def f0_bk(q2):
    """Scalar form factor f0^{B->K}(q^2) = 0.33/(1 - q^2/38 GeV^2), q2 in MeV^2 (arXiv:1904.10447 App. C);
    also used by the ALP's B -> K a (:mod:`na62lab.fips.alp_production`)."""
    return 0.33 / (1.0 - q2 / (38.0 * GeV**2))


def _a0_bkstar(q2: np.ndarray) -> np.ndarray:
    """A0^{B->K*}(q^2) = 1.364/(1 - q^2/m_B^2) - 0.99/(1 - q^2/36.8 GeV^2), q2 in MeV^2 (arXiv:1904.10447
    App. C, Ball-Zwicky hep-ph/0412079 Table 8)."""
    mb2 = pdg_mass("B+") ** 2
    return 1.364 / (1.0 - q2 / mb2) - 0.99 / (1.0 - q2 / (36.8 * GeV**2))


def _two_body_br(m: np.ndarray, parent: str, child: str, xi: float, form, vector: bool = False) -> np.ndarray:
    """BR(X -> Y S)/theta^2 = |xi chi F / v|^2 p_S / (8 pi m_X^2) / Gamma_X.

    arXiv:1904.10447 Sec. 3: xi of eq. (2.11), Table 1.
    """
    mx, my = pdg_mass(parent), pdg_mass(child)
    p = two_body_momentum(mx, my, m, below=0.0)
    chi = mx * p if vector else 0.5 * (mx * mx - my * my)
    amp = xi * chi * form(m * m) / V
    width = amp**2 * p / (8.0 * np.pi * mx * mx)
    return np.where(m < mx - my, width / decay_width(parent), 0.0)


def b_semileptonic_normalisation() -> tuple[float, float]:
    """Pole m_b (MeV) and Gamma(b -> c l nu) (MeV) that normalise an inclusive B -> X_s X rate.

    BR(B -> X_s X) = BR(B -> X_c l nu) Gamma(b -> s X) / Gamma(b -> c l nu), Gamma(b -> c l nu) =
    G_F^2 m_b^5 |V_cb|^2 f(m_c^2/m_b^2) / (192 pi^3) (arXiv:1904.10447 Sec. 3.1; no QCD corrections,
    m_c/m_b = 0.29, pole m_b = 4.78 GeV, PDG 2024: the ratio scales as 1/m_b^2).  Used by the dark scalar's
    B -> X_s S and the fermion-coupled ALP's B -> X_s a (:mod:`na62lab.fips.alp_production`).
    """
    mb = QUARK_POLE_MASS["b"]
    z = 0.29**2
    f = 1 - 8 * z + 8 * z**3 - z**4 - 12 * z * z * np.log(z)
    return mb, G_FERMI**2 * mb**5 * CKM["cb"] ** 2 * f / (192.0 * np.pi**3)


def _inclusive_bs(m: np.ndarray) -> np.ndarray:
    """BR(B -> X_s S)/theta^2 from b -> s S over b -> c l nu times BR(B -> X_c l nu)."""
    mb, semileptonic = b_semileptonic_normalisation()
    x = np.clip(1.0 - m * m / mb**2, 0.0, None)
    bs = abs(xi_coupling("bs")) ** 2 * mb**3 * x**2 / (32.0 * np.pi * V * V)
    return np.where(m < mb, BR_B_XC_LNU * bs / semileptonic, 0.0)


def trilinear_coupling_squared(br_h_ss: float, m: np.ndarray) -> np.ndarray:
    """alpha^2 (MeV^2) of L = -(alpha/2) h S S from BR(h -> SS) = Gamma_SS/(Gamma_SM + Gamma_SS),
    Gamma(h -> SS) = alpha^2 (1 - 4 m_S^2/m_h^2)^(1/2) / (32 pi m_h) (arXiv:1904.10447 Sec. 2)."""
    beta = np.sqrt(np.clip(1.0 - 4.0 * m * m / M_HIGGS**2, 1e-300, None))
    gamma_ss = HIGGS_WIDTH_SM * br_h_ss / (1.0 - br_h_ss)
    return 32.0 * np.pi * M_HIGGS * gamma_ss / beta


def _bs_to_ss(m: np.ndarray) -> np.ndarray:
    """BR(B_s -> S S)/alpha^2 (MeV^-2): xi^2 f_Bs^2 m_Bs^3 beta / (128 pi v^2 m_h^4) / Gamma_Bs."""
    mbs, f_bs = pdg_mass("B(s)0"), DECAY_CONSTANT["Bs0"]
    beta = np.sqrt(np.clip(1.0 - 4.0 * m * m / mbs**2, 0.0, None))
    width = abs(xi_coupling("bs")) ** 2 * f_bs**2 * mbs**3 * beta / (128.0 * np.pi * V * V * M_HIGGS**4)
    return width / decay_width("B(s)0")


_GL_X, _GL_W = np.polynomial.legendre.leggauss(48)


def _b_to_kss(m: np.ndarray) -> np.ndarray:
    """BR(B+ -> K+ S S)/alpha^2 (MeV^-2), three-body rate integrated over q^2 = m_SS^2.

    A = xi (m_B^2 - m_K^2) f0(q^2) alpha / (2 v m_h^2);
    dGamma/dq^2 = |A|^2 p_K p_S* / (2 (4 pi)^3 m_B^2 sqrt(q^2)) (identical scalars: factor 1/2).
    """
    mb, mk = pdg_mass("B+"), pdg_mass("K+")
    m = np.asarray(m, dtype=float)[..., None]
    lo, hi = 4.0 * m * m, (mb - mk) ** 2
    q2 = 0.5 * (hi - lo) * _GL_X + 0.5 * (hi + lo)
    amp = abs(xi_coupling("bs")) * (mb * mb - mk * mk) * f0_bk(q2) / (2.0 * V * M_HIGGS**2)
    p_k = two_body_momentum(mb, mk, np.sqrt(q2), below=0.0)
    p_s = np.sqrt(np.clip(q2 / 4.0 - m * m, 0.0, None))
    dgamma = amp**2 * p_k * p_s / (2.0 * (4.0 * np.pi) ** 3 * mb * mb * np.sqrt(q2))
    width = 0.5 * (hi - lo[..., 0]) * np.sum(_GL_W * dgamma, axis=-1)
    return np.where(m[..., 0] < (mb - mk) / 2, width, 0.0) / decay_width("B+")


register("dark-scalar", lambda **options: DarkScalar(**options))
register("dark-scalar-bc5", lambda **options: DarkScalar(**({"br_h_ss": 0.01} | options)))
