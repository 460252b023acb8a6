"""Hadronic final states of a vector coupled to the electromagnetic current.

A dark photon of mass m couples to hadrons exactly like a virtual photon of
virtuality s = m^2, so its partial width into a hadronic state F is (DarkCast,
Ilten, Soreq, Williams, Xue, arXiv:1801.04847, eqs. (2.13), (2.17)-(2.18))

    Gamma(A' -> F) = eps^2 * (alpha m / 3) * R_F(m^2),

with R_F = sigma(e+e- -> F) / sigma_0(e+e- -> mu+mu-), sigma_0 = 4 pi alpha^2/(3 s).
DarkCast takes R_F from fits to e+e- data.  Those tables are not shipped here;
the two- and three-pion and K Kbar channels use published fits of vector-meson-dominance
form factors to e+e- data (:mod:`na62lab.fips.vector_form_factors`); the remaining channels
are built from PDG masses, widths and branching ratios (APPROXIMATE, see each function;
tests compare all of them with the DarkCast values at reference masses):

* pi+ pi-: the Czyz-Grzelinska-Kuehn fit (PRD 81 (2010) 094014, arXiv:1002.0279): Gounaris-Sakurai
  rho(770) ... rho(2150) and higher states with dual-resonance couplings (Bruch, Khodjamirian, Kuehn,
  hep-ph/0409080) and rho-omega mixing (:func:`vector_form_factors.pion_form_factor_cgk`).
* K+ K-, K0 K0bar: the same authors' rho/omega/phi-tower kaon model with the coefficients of its
  refit to e+e- -> K Kbar data (Plehn, Reimitz, Richardson, arXiv:1911.11147)
  (:func:`vector_form_factors.kaon_form_factors_cgk`).
* pi+ pi- pi0: Czyz-Grzelinska-Kuehn-Rodrigo model (EPJC 47 (2006) 617, hep-ph/0512180): omega, phi,
  omega(1420), omega(1650) -> rho pi, integrated over the Dalitz plot
  (:func:`vector_form_factors.three_pion_R`).
* pi0 gamma: omega Breit-Wigner normalised to B(omega -> ee) B(omega -> pi0 gamma).
* 4 pi: the Czyz-Kuehn-Wapienik four-pion current (PRD 77 (2008) 114005, arXiv:0804.0359; a1 pi, rho f0,
  rho rho and omega pi terms) with the refit coefficients of arXiv:1911.11147, integrated over four-body
  phase space (:mod:`vector_four_pion`, shipped table): 2pi+ 2pi- and pi+ pi- 2pi0 without the current's
  omega pi0 term; the omega(-> pi+ pi- pi0) pi0 part of pi+ pi- 2pi0 is the SND fit below (their interference,
  confined to the omega band, is neglected).
* omega pi0, eta pi+ pi-, phi eta, omega eta, K Kbar pi: published VMD fits to e+e- data (:mod:`vector_exclusive`: SND
  arXiv:1303.5198; Plehn-Reimitz-Richardson arXiv:1911.11147).  omega pi0 is split by the omega branching
  ratios (PDG 2024): pi+ pi- pi0 (89.2 %) is inside the 4 pi total, pi+ pi- (1.53 %) goes to ``3pi``
  (pi+ pi- pi0 final state), the rest (pi0 gamma 8.35 % and 0.9 % rare modes) is ``pi0pi0gamma``.
* other: the remainder up to the perturbative R = 2 (1 + alpha_s/pi) for
  u, d, s quarks, switched on smoothly between 1.6 and 2.0 GeV (5 pi, 6 pi,
  omega pi pi, K K pi pi ...): everything not in the exclusive channels above.

All functions take s in MeV^2 and return the dimensionless R_F(s).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from na62lab.fips.constants import ALPHA_EM, BR_3PI, BR_EE, BR_OMEGA_PI0_GAMMA
from na62lab.fips.vector_exclusive import R_eta_pipi, R_KKpi_modes, R_omega_eta, R_omega_pi0, R_phi_eta
from na62lab.fips.vector_four_pion import R_2pip2pim, R_pipi2pi0_no_omega
from na62lab.fips.vector_form_factors import kaon_form_factors_cgk, pair_velocity, pion_form_factor_cgk, three_pion_R
from na62lab.physics.particles import mass
from na62lab.physics.particles import width as pdg_width

__all__ = [
    "R_pipi", "R_KK", "R_3pi", "R_pi0gamma", "R_4pi", "R_KKpi", "R_other", "R_omega_pi0", "R_eta_pipi",
    "R_phi_eta", "R_omega_eta", "R_channels", "four_pion_charge_fraction", "kkpi_charge_fraction", "pion_form_factor",
    "kaon_form_factors", "HADRONIC_CHANNELS", "BR_OMEGA",
]

HADRONIC_CHANNELS = ("pipi", "3pi", "4pi", "KK", "KKpi", "pipieta", "pi0gamma", "pi0pi0gamma", "phieta", "omegaeta",
                     "other")
"""Hadronic decay channels, named by final state: ``3pi`` pi+ pi- pi0 (with omega(-> pi+ pi-) pi0),
``4pi`` 2pi+ 2pi- and pi+ pi- 2pi0 (with omega(-> 3 pi) pi0), ``pipieta`` eta pi+ pi-, ``pi0pi0gamma``
omega(-> pi0 gamma, rare) pi0, ``phieta`` phi eta, ``omegaeta`` omega eta."""

BR_OMEGA = {"3pi": BR_3PI["omega"], "pipi": 0.0153}
"""omega(782) -> pi+ pi- pi0 and pi+ pi- branching ratios (PDG 2024); the rest of omega pi0 is ``pi0pi0gamma``."""

_M_PI = mass("pi+")
_M_PI0 = mass("pi0")
_M_K = mass("K+")
_M_K0 = mass("K0S")


def _res(name: str) -> tuple[float, float]:
    return mass(name), pdg_width(name)


_OMEGA = _res("omega(782)")

ALPHA_S_2GEV = 0.30
"""alpha_s at 2 GeV for the perturbative R = 2 (1 + alpha_s/pi) (PDG QCD review)."""


def _q2body(s: np.ndarray, m1: float, m2: float) -> np.ndarray:
    """Two-body break-up momentum (MeV) at invariant mass sqrt(s), 0 below threshold."""
    root = np.sqrt(np.where(s > 0, s, 1.0))
    lam = (s - (m1 + m2) ** 2) * (s - (m1 - m2) ** 2)
    return np.where(s > (m1 + m2) ** 2, np.sqrt(np.clip(lam, 0.0, None)) / (2.0 * root), 0.0)


def pion_form_factor(s: ArrayLike) -> np.ndarray:
    """Time-like pion electromagnetic form factor F_pi(s) (complex), s in MeV^2 above 4 m_pi^2.

    The Czyz-Grzelinska-Kuehn fit to BaBar pi+ pi- data (arXiv:1002.0279; rho(770)-rho(2150) and the
    dual-resonance tower, rho-omega mixing): :func:`vector_form_factors.pion_form_factor_cgk`.
    """
    return pion_form_factor_cgk(s)


def kaon_form_factors(s: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Charged and neutral kaon form factors (F_K+, F_K0), s in MeV^2.

    Czyz-Grzelinska-Kuehn / Bruch-Khodjamirian-Kuehn rho, omega, phi towers with the coefficients
    refitted to e+e- -> K+ K-, K_S K_L (arXiv:1911.11147): :func:`vector_form_factors.kaon_form_factors_cgk`.
    """
    return kaon_form_factors_cgk(s)


def R_pipi(s: ArrayLike) -> np.ndarray:
    """R(e+e- -> pi+ pi-) = beta_pi^3 |F_pi(s)|^2 / 4 (s in MeV^2; arXiv:1801.04847 Sec. 2)."""
    s = np.asarray(s, dtype=float)
    beta = pair_velocity(s, _M_PI)
    return np.where(beta > 0, 0.25 * beta**3 * np.abs(pion_form_factor(s)) ** 2, 0.0)


def R_KK(s: ArrayLike) -> np.ndarray:
    """R(e+e- -> K Kbar), charged plus neutral: sum of beta_K^3 |F_K|^2 / 4 (s in MeV^2)."""
    s = np.asarray(s, dtype=float)
    fc, fn = kaon_form_factors(s)
    bc, bn = pair_velocity(s, _M_K), pair_velocity(s, _M_K0)
    return 0.25 * (bc**3 * np.abs(fc) ** 2 + bn**3 * np.abs(fn) ** 2)


def _narrow_amplitude(s: np.ndarray, res: tuple[float, float], b_ee: float, b_f: float,
                      m1: float, m2: float) -> np.ndarray:
    """sqrt(R) amplitude of e+e- -> V -> F for a narrow V (sigma_peak = 12 pi B_ee B_F / M^2).

    R = 9 s Gamma^2 B_ee B_F(s) / (alpha^2 [(s - M^2)^2 + M^2 Gamma^2]), with B_F(s)
    running as the P-wave quasi-two-body phase space of (m1, m2).
    """
    m, g = res
    q0 = float(_q2body(np.asarray(m * m), m1, m2))
    run = (_q2body(s, m1, m2) / q0) ** 3 * (m * m / np.where(s > 0, s, 1.0))
    amp = 3.0 * np.sqrt(np.clip(s, 0.0, None)) * g * np.sqrt(b_ee * b_f * run) / ALPHA_EM
    return amp / (m * m - s - 1j * m * g)


def R_3pi(s: ArrayLike) -> np.ndarray:
    """R(e+e- -> pi+ pi- pi0), s in MeV^2.

    Czyz-Grzelinska-Kuehn-Rodrigo model (hep-ph/0512180) of omega, phi, omega(1420), omega(1650) -> rho pi
    over the Dalitz plot (:func:`vector_form_factors.three_pion_R`).
    """
    return three_pion_R(s)


def R_pi0gamma(s: ArrayLike) -> np.ndarray:
    """R(e+e- -> pi0 gamma) through the omega (P-wave pi0 gamma phase space), s in MeV^2."""
    s = np.asarray(s, dtype=float)
    amp = _narrow_amplitude(s, _OMEGA, BR_EE["omega"], BR_OMEGA_PI0_GAMMA, _M_PI0, 0.0)
    return np.where(s > _M_PI0**2, np.abs(amp) ** 2, 0.0)


def R_4pi(s: ArrayLike) -> np.ndarray:
    """R(e+e- -> 4 pi) = R(2pi+ 2pi-) + R(pi+ pi- 2pi0), s in MeV^2.

    The CKW current (arXiv:0804.0359, coefficients of arXiv:1911.11147) for 2pi+ 2pi- and for pi+ pi- 2pi0
    without its omega pi0 term (:mod:`vector_four_pion`), plus B(omega -> pi+ pi- pi0) times the SND omega pi0
    fit (arXiv:1303.5198), so that omega pi0 is counted once over ``4pi``, ``3pi`` and ``pi0pi0gamma``.
    """
    s = np.asarray(s, dtype=float)
    return R_2pip2pim(s) + R_pipi2pi0_no_omega(s) + BR_OMEGA["3pi"] * R_omega_pi0(s)


def four_pion_charge_fraction(s: ArrayLike) -> np.ndarray:
    """Share of R_4pi in pi+ pi- pi0 pi0 (the state the dump selection reconstructs): the CKW pi+ pi- 2pi0
    (no omega term) plus omega(-> pi+ pi- pi0) pi0, over R_4pi; 1/2 where R_4pi vanishes.  s in MeV^2."""
    s = np.asarray(s, dtype=float)
    neutral = R_pipi2pi0_no_omega(s) + BR_OMEGA["3pi"] * R_omega_pi0(s)
    total = R_2pip2pim(s) + neutral                     # R_4pi without evaluating its neutral part twice
    return np.where(total > 0, neutral / np.where(total > 0, total, 1.0), 0.5)


def R_KKpi(s: ArrayLike) -> np.ndarray:
    """R(e+e- -> K Kbar pi), all charge states: the K K*(892) fit of arXiv:1911.11147
    (:func:`vector_exclusive.R_KKpi_modes`), s in MeV^2."""
    return np.asarray(sum(R_KKpi_modes(s).values()))


def kkpi_charge_fraction(s: ArrayLike) -> np.ndarray:
    """Share of R_KKpi in K+ K- pi0 (the state the dump selection reconstructs), from the same fit; 1/6
    (isospin) where R_KKpi vanishes."""
    modes = R_KKpi_modes(s)
    total = np.asarray(sum(modes.values()))
    return np.where(total > 0, modes["K+K-pi0"] / np.where(total > 0, total, 1.0), 1.0 / 6.0)


def kkpi_mode_shares(s: ArrayLike) -> dict[str, np.ndarray]:
    """Shares of R_KKpi per charge mode (``K+K-pi0``, ``K0K0pi0``, ``K0K+pi-`` with its charge conjugate) from
    the same fit; the isoscalar 1/6, 1/6, 2/3 where R_KKpi vanishes."""
    modes = R_KKpi_modes(s)
    total = np.asarray(sum(modes.values()))
    default = {"K+K-pi0": 1.0 / 6.0, "K0K0pi0": 1.0 / 6.0, "K0K+pi-": 2.0 / 3.0}
    return {k: np.where(total > 0, v / np.where(total > 0, total, 1.0), default[k]) for k, v in modes.items()}


def _smoothstep(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    t = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def R_other(s: ArrayLike, exclusive: np.ndarray | None = None) -> np.ndarray:
    """Inclusive remainder up to the perturbative R_uds = 2 (1 + alpha_s/pi), on from 1.6-2.0 GeV.

    Parameters
    ----------
    s : array_like
        Invariant mass squared in MeV^2.
    exclusive : ndarray, optional
        Sum of the exclusive R values at ``s`` (computed if not given).
    """
    s = np.asarray(s, dtype=float)
    if exclusive is None:
        exclusive = np.asarray(sum(_exclusive(s).values()))
    r_pert = 2.0 * (1.0 + ALPHA_S_2GEV / np.pi)
    root = np.sqrt(np.clip(s, 0.0, None))
    return np.clip(r_pert - exclusive, 0.0, None) * _smoothstep(root, 1600.0, 2000.0)


def _exclusive(s: np.ndarray) -> dict[str, np.ndarray]:
    """The exclusive channels of :data:`HADRONIC_CHANNELS` (all but ``other``), omega pi0 split by final state."""
    omega_pi = R_omega_pi0(s)
    return {"pipi": R_pipi(s), "3pi": R_3pi(s) + BR_OMEGA["pipi"] * omega_pi, "4pi": R_4pi(s), "KK": R_KK(s),
            "KKpi": R_KKpi(s), "pipieta": R_eta_pipi(s), "pi0gamma": R_pi0gamma(s),
            "pi0pi0gamma": (1.0 - BR_OMEGA["3pi"] - BR_OMEGA["pipi"]) * omega_pi, "phieta": R_phi_eta(s),
            "omegaeta": R_omega_eta(s)}


def R_channels(s: ArrayLike) -> dict[str, np.ndarray]:
    """All hadronic R_F(s) of :data:`HADRONIC_CHANNELS` (s in MeV^2).

    omega pi0 is spread over ``4pi`` (its omega -> pi+ pi- pi0 share is inside the measured 4 pi total),
    ``3pi`` (omega -> pi+ pi-) and ``pi0pi0gamma``: sum over channels = R_pipi + R_3pi + R_4pi + R_KK +
    R_KKpi + R_eta_pipi + R_pi0gamma + R_phi_eta + R_omega_eta + (1 - B_3pi) R_omega_pi0 + R_other.
    """
    s = np.asarray(s, dtype=float)
    out = _exclusive(s)
    out["other"] = R_other(s, np.asarray(sum(out.values())))
    return out
