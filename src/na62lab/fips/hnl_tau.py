"""Heavy neutral leptons from tau decays, the taus from D_s+ -> tau+ nu and D+ -> tau+ nu (the main BC8 source).

Bondarenko, Boyarsky, Gorbunov, Ruchayskiy, arXiv:1805.08567 Sec. 2.3 (formulas of their
eqs. for tau -> N h_P, tau -> N h_V and the leptonic tau decays; widths per |U|^2, MeV):

* through U_tau, two-body (h = pi+, K+ pseudoscalar; rho+, K*+ vector), y_i = m_i/m_tau:

      Gamma(tau -> N P) = G_F^2 f_P^2 |V|^2 m_tau^3 / (16 pi) [(1 - y_N^2)^2 - y_P^2 (1 + y_N^2)] lambda^(1/2),
      Gamma(tau -> N V) = G_F^2 g_V^2 |V|^2 m_tau^3 / (16 pi m_V^2)
                          [(1 - y_N^2)^2 + y_V^2 (1 + y_N^2) - 2 y_V^4] lambda^(1/2),

  lambda = lambda(1, y_N^2, y_h^2), g_V = f_V m_V (decay constants of :mod:`na62lab.fips.constants`);
  for m_N -> 0 they are the Standard-Model tau -> h nu widths (tested against the PDG BRs);
* three-body leptonic, tau -> N l nu (through U_tau) and tau -> nu_tau l N (through U_l):

      Gamma = G_F^2 m_tau^5 / (192 pi^3) I,

  I the charged-current phase space with the HNL and the charged lepton both massive
  (:func:`na62lab.fips.hnl_phase_space.cc_phase_space`; with one of them massless it is
  1 - 8 y^2 + 8 y^6 - y^8 - 12 y^4 ln y^2): tau -> N l nubar_l pairs N with l, tau -> nu_tau l Nbar pairs
  nu_tau with l and N with the tau (the V-A structure of tau -> nu_tau l nubar_l); for m_N -> 0,
  BR(tau -> l nu nu) with the muon-mass suppression (tested against the PDG).

Polarisation (the kinematics of the dump, :mod:`na62lab.generation.dump.taus`): the tau- of D_s- -> tau- nubar
(spin 0, right-handed nubar) has helicity +1/2, the tau+ of D_s+ helicity -1/2; CP gives the N the same
distribution about the tau flight direction (in the parent frame) in both.  For the tau- with spin s:

* tau -> N h two-body: dGamma/dcos(theta) ~ 1 + alpha cos(theta), theta the N direction from the tau spin in the
  tau rest frame, from Tr[(p_N + m_N) Gamma (p_tau + m_tau)(1 + g5 s)/2 Gamma-bar] with Gamma = p_h (1 - g5)
  (pseudoscalar) or eps* (1 - g5) (vector):
  alpha_P = -lambda^(1/2) (m_tau^2 - m_N^2) / [(m_tau^2 - m_N^2)^2 - m_P^2 (m_tau^2 + m_N^2)],
  alpha_V = -lambda^(1/2) (m_tau^2 - m_N^2 - 2 m_V^2) / [(m_tau^2 - m_N^2)^2 + m_V^2 (m_tau^2 + m_N^2) - 2 m_V^4]
  (lambda = lambda(m_tau^2, m_N^2, m_h^2); the denominators are the width shapes above; m_N -> 0: -1 and
  -(m_tau^2 - 2 m_V^2)/(m_tau^2 + 2 m_V^2), the Standard-Model tau -> pi nu, rho nu analysing powers);
  :func:`two_body_asymmetry`, checked against the trace evaluated numerically (tests/fips/test_hnl_tau.py);
* tau -> N l nubar_l and tau -> nu_tau l Nbar: the V-A matrix element of muon decay with the spin,
  |M|^2 ~ ((p_tau - m_tau s).p_nubar)(p_l.p_N) and ((p_tau - m_tau s).p_N)(p_l.p_nu_tau) (the massive N enters
  only through the kinematics: the m_N terms cancel between the two (1 - g5) projectors);
  :func:`leptonic_matrix_element`.  Its phase-space integral is the width above.

Not included: tau -> N + two or more mesons other than the rho and K* resonances (a1 -> 3 pi, 4 pi, K pi pi...,
as in arXiv:1805.08567 Sec. 2.3, which lists the channels above): these channels sum to 0.73 of the tau width at
m_N -> 0, the rest (PDG tau -> nu 3 pi, 4 pi, ...) is open only below m_tau - 3 m_pi = 1.36 GeV and
phase-space suppressed there, so the BC8 taus are a lower bound, by at most 27 % (m_N -> 0).

The taus per POT are, for each parent P of :data:`TAU_PARENTS`, P per POT times
BR(P+ -> tau+ nu) = G_F^2 f_P^2 |V|^2 m_P m_tau^2 (1 - m_tau^2/m_P^2)^2 / (8 pi Gamma_P) (the leptonic
two-body width, arXiv:1805.08567 Sec. 2.1 with m_N -> 0; :func:`parent_to_tau_br`): D_s+ 5.21 % (PDG 2024
5.36 +- 0.10 %), D+ 1.03e-3 (PDG 2024 (1.20 +- 0.27)e-3, BESIII PRL 123 (2019) 211802).  With the Pythia
charm fractions of the dump table (D+ / D_s+ = 3.3) the D+ adds 6.5 % to the taus of the D_s.
Masses in MeV, BRs per |U|^2 of the HNL's flavour weights.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

from na62lab.fips.constants import CKM, DECAY_CONSTANT, G_FERMI, VECTOR_DECAY_CONSTANT
from na62lab.fips.hnl_phase_space import cc_phase_space
from na62lab.physics.particles import decay_width
from na62lab.physics.particles import mass as pdg_mass

__all__ = ["M_TAU", "TAU_CHANNELS", "TAU_PARENTS", "tau_brs", "ds_to_tau_br", "parent_to_tau_br",
           "two_body_asymmetry", "leptonic_matrix_element"]

M_TAU = pdg_mass("tau-")
_HADRONS = {"pi": ("pi+", "ud", None), "K": ("K+", "us", None),
            "rho": ("rho(770)+", "ud", "rho"), "K*": ("K*(892)+", "us", "K*")}
_LEPTONS = {"e": "e-", "mu": "mu-"}
TAU_PARENTS = {"Ds+": "cs", "D+": "cd"}
"""Charged charm mesons whose decays P+ -> tau+ nu feed the taus -> CKM element (module docstring)."""


def _channels() -> dict[str, tuple[str, tuple[float, ...]]]:
    """Key -> (flavour of the mixing that opens it, recoil masses in the tau decay, MeV)."""
    out: dict[str, tuple[str, tuple[float, ...]]] = {}
    for label, (meson, _, _) in _HADRONS.items():
        out[f"tau->N {label}"] = ("tau", (pdg_mass(meson),))
    for lep, name in _LEPTONS.items():
        out[f"tau->N {lep} nu"] = ("tau", (pdg_mass(name), 0.0))        # W* -> l nubar_l, mixing U_tau
        out[f"tau->nu {lep} N"] = (lep, (pdg_mass(name), 0.0))          # N from the W* -> l N vertex, U_l
    return out


TAU_CHANNELS = _channels()
"""Key -> (mixing flavour, recoil masses (MeV)) of the tau decays to N."""


@lru_cache(maxsize=None)
def _gamma_tau() -> float:
    return decay_width("tau-")


@lru_cache(maxsize=None)
def parent_to_tau_br(parent: str) -> float:
    """BR(P+ -> tau+ nu) of a parent of :data:`TAU_PARENTS` from f_P, |V| and its lifetime (module docstring)."""
    mp = pdg_mass(parent)
    width = (G_FERMI**2 * DECAY_CONSTANT[parent] ** 2 * CKM[TAU_PARENTS[parent]] ** 2 * mp * M_TAU**2
             * (1 - M_TAU**2 / mp**2) ** 2 / (8 * np.pi))
    return float(width / decay_width(parent))


def ds_to_tau_br() -> float:
    """BR(D_s+ -> tau+ nu) (:func:`parent_to_tau_br`)."""
    return parent_to_tau_br("Ds+")


def _sqrt_lambda(a: np.ndarray, b: float) -> np.ndarray:
    return np.sqrt(np.clip(1 + a * a + b * b - 2 * a - 2 * b - 2 * a * b, 0.0, None))


def _shape(t: float, n: float | np.ndarray, h: float, vector: bool) -> float | np.ndarray:
    """Mass factor of the tau -> N h width (module docstring, arXiv:1805.08567 Sec. 2.3) from the squared masses
    t = m_tau^2, n = m_N^2, h = m_h^2 (any one unit, or divided by m_tau^2): (t - n)^2 - h (t + n) for a
    pseudoscalar, (t - n)^2 + h (t + n) - 2 h^2 for a vector h; also the denominator of :func:`two_body_asymmetry`."""
    if vector:
        return (t - n) ** 2 + h * (t + n) - 2 * h * h
    return (t - n) ** 2 - h * (t + n)


def _two_body(y2: np.ndarray, label: str) -> np.ndarray:
    meson, ckm, fkey = _HADRONS[label]
    mh = pdg_mass(meson)
    yh2 = (mh / M_TAU) ** 2
    root = _sqrt_lambda(y2, yh2)
    shape = _shape(1, y2, yh2, vector=fkey is not None)
    if fkey is None:
        width = G_FERMI**2 * DECAY_CONSTANT[meson] ** 2 * CKM[ckm] ** 2 * M_TAU**3 / (16 * np.pi) * shape * root
    else:
        gv = VECTOR_DECAY_CONSTANT[fkey] * mh
        width = G_FERMI**2 * gv**2 * CKM[ckm] ** 2 * M_TAU**3 / (16 * np.pi * mh**2) * shape * root
    return np.clip(width, 0.0, None)


def _leptonic(m_n: np.ndarray, key: str, m_l: float) -> np.ndarray:
    """Gamma(tau -> N l nu) / |U|^2 in MeV (module docstring): N paired with l (``tau->N l nu``) or
    N in the slot of the antineutrino (``tau->nu l N``)."""
    if key.startswith("tau->N"):
        i = cc_phase_space(M_TAU, m_n, m_l, 0.0)
    else:
        i = cc_phase_space(M_TAU, m_l, 0.0, m_n)
    return G_FERMI**2 * M_TAU**5 / (192 * np.pi**3) * i


def tau_brs(mass: ArrayLike, weights: dict[str, float]) -> dict[str, np.ndarray]:
    """BR(tau -> N X) / U2 per channel of :data:`TAU_CHANNELS` with a non-zero flavour weight.

    Parameters
    ----------
    mass : array_like
        HNL mass in MeV.
    weights : dict
        Flavour weights {"e", "mu", "tau"} of |U|^2 (summing to one).
    """
    m = np.asarray(mass, dtype=float)
    y2 = (m / M_TAU) ** 2
    out = {}
    for key, (flavour, recoils) in TAU_CHANNELS.items():
        w = weights.get(flavour, 0.0)
        if w == 0:
            continue
        width = _leptonic(m, key, recoils[0]) if len(recoils) == 2 else _two_body(y2, key.split()[-1])
        open_ = m < M_TAU - sum(recoils)
        out[key] = np.where(open_, w * width / _gamma_tau(), 0.0)
    return out


def two_body_asymmetry(key: str, mass: float) -> float:
    """alpha of dGamma/dcos(theta) ~ 1 + alpha cos(theta) for a two-body key of :data:`TAU_CHANNELS`: theta the N
    direction from the spin of a tau- (module docstring); ``mass`` the HNL mass in MeV."""
    meson, _, fkey = _HADRONS[key.split()[-1]]
    t, n, h = M_TAU**2, float(mass) ** 2, pdg_mass(meson) ** 2
    root = np.sqrt(max((t - n - h) ** 2 - 4 * n * h, 0.0))
    if fkey is None:
        return float(-root * (t - n) / _shape(t, n, h, vector=False))
    return float(-root * (t - n - 2 * h) / _shape(t, n, h, vector=True))


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a[..., 0] * b[..., 0] - np.sum(a[..., 1:] * b[..., 1:], axis=-1)


def leptonic_matrix_element(key: str, p_tau: np.ndarray, spin: np.ndarray, p_l: np.ndarray, p_nu: np.ndarray,
                            p_n: np.ndarray) -> np.ndarray:
    """|M|^2 (arbitrary normalisation) of a three-body key of :data:`TAU_CHANNELS` for a tau- of spin four-vector
    ``spin`` (module docstring); four-momenta (N, 4) in MeV in any one frame."""
    polarised = p_tau - M_TAU * spin
    if key.startswith("tau->N"):                     # N at the tau vertex, W* -> l nubar_l
        return _dot(polarised, p_nu) * _dot(p_l, p_n)
    return _dot(polarised, p_n) * _dot(p_l, p_nu)   # N in the antineutrino's place, nu_tau at the tau vertex
