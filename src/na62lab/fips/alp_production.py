"""ALP production in meson decays and ALP-meson mixing (coupling normalisation of arXiv:1708.00443).

All functions take the ALP mass in MeV and reduced couplings in MeV^-1
(``cGG = C_GG/Lambda``, ``cff = c_ff/Lambda``, see :mod:`na62lab.fips.alp_hadrons`)
and return branching ratios (dimensionless) or mixing angles (dimensionless).

* Fermion couplings: flavour-changing s -> d a and b -> s a through the top
  loop, leading logarithm (arXiv:1708.00443, flavour-changing couplings; Izaguirre, Lin, Shuve,
  arXiv:1611.09355):
  g_ij = 3 sqrt(2) G_F m_t^2 V_ti* V_tj c_tt ln(Lambda_UV^2/m_t^2) / (16 pi^2 Lambda),
  Gamma(P -> P' a) = |g|^2 (m_P^2 - m_P'^2)^2 f0(m^2)^2 p_a / (32 pi m_P^2).
* Gluon coupling: K- -> pi- a from the octet-enhanced weak chiral Lagrangian
  (Bauer, Neubert, Renner, Schnubel, Thamm, arXiv:2102.13112, PRL 127 (2021) 081803):
  A = N_8 (64 pi^2 C_GG/Lambda) (m_K^2 - m_pi^2)(m_K^2 - m^2) / (4 m_K^2 - m_pi^2 - 3 m^2)
  (their N_8 16 c_GG/(4 f) with c_GG (alpha_s/4 pi)(a/f) G Gtilde, c_GG/f = 16 pi^2 C_GG/Lambda),
  |N_8| = 1.53e-7 (arXiv:2110.10698 sec. 3, |g_8| ~ 5 from K -> pi pi),
  Gamma = |A|^2 p_a / (8 pi m_K^2).  K_L -> pi0 a is CP-violating (proportional to Im N_8) and
  neglected; B -> K a for the gluon coupling arises only through running into c_tt and is not
  implemented.
* ALP-pi0/eta/eta' mixing (gluon and universal quark couplings): the angles of the
  U(3) chiral Lagrangian with the chiral rotation kappa_q = m_q^-1 / sum m_q'^-1 and the
  vector-meson-dominance suppression F(m_a) of Aloni, Soreq, Williams (arXiv:1811.03474,
  supplemental material), in the form implemented by ALPINIST (Jerhot et al.,
  arXiv:2201.05170, App. A; F_pi = 93 MeV, eta-eta' angle arcsin(-1/3)).  APPROXIMATE
  (leading order; diverges at the meson masses, where the ALP and the meson mix maximally).
"""

from __future__ import annotations

import numpy as np

from na62lab.fips.alp_hadrons import ISOSPIN, M_D, M_U
from na62lab.fips.base import kallen
from na62lab.fips.constants import CKM, G_FERMI, M_TOP, QUARK_MASS_2GEV
from na62lab.fips.dark_scalar import lambda_t
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.particles import particle
from na62lab.physics.units import GeV, TeV, hbarc

__all__ = ["top_loop_production", "kaon_gluon_br", "mixing_angles", "vmd_suppression",
           "LAMBDA_UV", "N8", "PRODUCTION_LIMITS"]

LAMBDA_UV = 1.0 * TeV
"""Cut-off of the flavour-changing top loop (PBC BC10 convention, arXiv:1901.09966)."""
N8 = 1.53e-7
"""|N_8| = (G_F/sqrt 2)|V_ud V_us| g_8 f_pi^2 of the weak chiral Lagrangian (arXiv:2110.10698)."""
F_PI_MIX = 93.0
"""F_pi ~ 93 MeV convention of the mixing formulas (arXiv:1811.03474, ALPINIST)."""
THETA_ETA_ETAP = float(np.arcsin(-1.0 / 3.0))
"""eta-eta' mixing angle of arXiv:1811.03474 (sin theta = -1/3)."""


def _width(parent: str) -> float:
    return hbarc / float(particle(parent).ctau)


def _momentum(big: float, m1: float, m2: np.ndarray) -> np.ndarray:
    return np.sqrt(np.clip(kallen(big**2, m1**2, m2**2), 0.0, None)) / (2.0 * big)


def _p_to_p(m: np.ndarray, parent: str, child: str, g: float, form) -> np.ndarray:
    """BR(P -> P' a) = |g|^2 (m_P^2 - m_P'^2)^2 f0^2 p_a / (32 pi m_P^2) / Gamma_P (g in MeV^-1)."""
    mp, mc = pdg_mass(parent), pdg_mass(child)
    width = g**2 * (mp**2 - mc**2) ** 2 * form(m * m) ** 2 * _momentum(mp, mc, m) / (32 * np.pi * mp**2)
    return np.where(m < mp - mc, width / _width(parent), 0.0)


PRODUCTION_LIMITS = {"K+->pi+a": ("K+", "pi+"), "KL->pi0a": ("K0L", "pi0"), "B->Ka": ("B+", "K+")}
"""Parent and recoil of each production channel (kinematic limit m_parent - m_recoil)."""


def top_loop_production(m: np.ndarray, cff: float) -> dict[str, np.ndarray]:
    """BR(K+ -> pi+ a), BR(K_L -> pi0 a), BR(B+ -> K+ a) through the top loop (module docstring).

    Form factors f0^{K pi} = 0.96 and f0^{BK}(q^2) = 0.33/(1 - q^2/38 GeV^2) (as for the dark
    scalar, arXiv:1904.10447 App. C); K_L only through Im(lambda_t) (CP).

    Parameters
    ----------
    m : ndarray
        ALP mass in MeV.
    cff : float
        c_ff/Lambda = c_tt/Lambda in MeV^-1.
    """
    log = np.log(LAMBDA_UV**2 / M_TOP**2)
    pref = 3 * np.sqrt(2) * G_FERMI * M_TOP**2 * cff * log / (16 * np.pi**2)
    lt = lambda_t()
    g_sd, g_bs = pref * abs(lt), pref * CKM["ts"] * CKM["tb"]
    f0_bk = lambda q2: 0.33 / (1.0 - q2 / (38.0 * GeV**2))
    flat = lambda q2: 0.96 + 0 * q2
    return {"K+->pi+a": _p_to_p(m, "K+", "pi+", g_sd, flat),
            "KL->pi0a": _p_to_p(m, "K0L", "pi0", g_sd * abs(lt.imag) / abs(lt), flat),
            "B->Ka": _p_to_p(m, "B+", "K+", g_bs, f0_bk)}


def kaon_gluon_br(m: np.ndarray, cGG: float) -> np.ndarray:
    """BR(K+ -> pi+ a) of a gluon-coupled ALP (arXiv:2102.13112 eq. for K- -> pi- a; module docstring).

    Parameters
    ----------
    m : ndarray
        ALP mass in MeV.
    cGG : float
        C_GG/Lambda in MeV^-1 (1/f_G = 32 pi^2 C_GG/Lambda for PBC BC11).
    """
    mk, mpi = pdg_mass("K+"), pdg_mass("pi+")
    m2 = np.asarray(m, dtype=float) ** 2
    amp = N8 * 64 * np.pi**2 * cGG * (mk**2 - mpi**2) * (mk**2 - m2) / (4 * mk**2 - mpi**2 - 3 * m2)
    width = amp**2 * _momentum(mk, mpi, np.sqrt(m2)) / (8 * np.pi * mk**2)
    return np.where(np.sqrt(m2) < mk - mpi, width / _width("K+"), 0.0)


def vmd_suppression(m: np.ndarray) -> np.ndarray:
    """Data-driven suppression F(m_a) of the ALP-hadron couplings (arXiv:1811.03474 supplement).

    F = 1 below 1.4 GeV and (1.4 GeV/m)^4 above 2 GeV, with the cubic interpolation
    between them used by ALPINIST (arXiv:2201.05170): 5.7022 x^3 - 29.4815 x^2 + 49.0191 x - 25.4899,
    x = m/GeV (APPROXIMATE: a fit to the figure of the supplement).
    """
    x = np.asarray(m, dtype=float) / GeV
    cubic = 5.7022 * x**3 - 29.4815 * x**2 + 49.0191 * x - 25.4899
    return np.where(x <= 1.4, 1.0, np.where(x <= 2.0, cubic, (1.4 / np.maximum(x, 1e-9)) ** 4))


def mixing_angles(m: np.ndarray, cGG: float, cff: float = 0.0) -> dict[str, np.ndarray]:
    """ALP-pi0, ALP-eta and ALP-eta' mixing angles (dimensionless; module docstring).

    With c_q = c_ff/2 + 64 pi^2 kappa_q C_GG (kappa_q = m_q^-1/sum m_q'^-1, q = u, d, s):

        theta_P = F(m) (-F_pi/(2 Lambda)) (K_aP m^2 + m_aP^2)/(m^2 - m_P^2),

    K_api = -(1/2)[c_u - c_d - delta_I m_pi^2/3 ((c_u + c_d + 2 c_s)/(m^2 - m_eta'^2)
             + 2 (c_u + c_d - c_s)/(m^2 - m_eta^2))],
    K_aeta, K_aeta' the corresponding eta/eta' projections (angle theta = arcsin(-1/3)),
    m_aeta^2 = -64 pi^2 C_GG sqrt(6) B0 sin(theta)/sum m_q^-1, m_aeta'^2 = +... cos(theta), m_api^2 = 0.

    Parameters
    ----------
    m : ndarray
        ALP mass in MeV.
    cGG, cff : float
        C_GG/Lambda and c_ff/Lambda in MeV^-1.
    """
    m2 = np.asarray(m, dtype=float) ** 2
    inv = np.array([1 / M_U, 1 / M_D, 1 / QUARK_MASS_2GEV["s"]])
    kappa = inv / inv.sum()
    cu, cd, cs = cff / 2 + 64 * np.pi**2 * kappa * cGG
    mpi2, meta2, metap2 = (pdg_mass(p) ** 2 for p in ("pi0", "eta", "eta'"))
    b0 = mpi2 / (M_U + M_D)
    cos, sin = np.cos(THETA_ETA_ETAP), np.sin(THETA_ETA_ETAP)
    k_pi = -0.5 * (cu - cd - ISOSPIN * mpi2 / 3 * ((cu + cd + 2 * cs) / (m2 - metap2)
                                                   + 2 * (cu + cd - cs) / (m2 - meta2)))
    light = cu + cd - ISOSPIN * mpi2 * (cu - cd) / (m2 - mpi2)
    k_eta = -0.5 * (light * (cos / np.sqrt(3) - np.sqrt(2 / 3) * sin) - cs * (2 * cos / np.sqrt(3) + np.sqrt(2 / 3) * sin))
    k_etap = -0.5 * (light * (sin / np.sqrt(3) + np.sqrt(2 / 3) * cos) - cs * (2 * sin / np.sqrt(3) - np.sqrt(2 / 3) * cos))
    mass_mix = 64 * np.pi**2 * cGG * np.sqrt(6) * b0 / inv.sum()
    pref = vmd_suppression(np.sqrt(m2)) * (-F_PI_MIX / 2)
    return {"pi0": pref * k_pi * m2 / (m2 - mpi2),
            "eta": pref * (k_eta * m2 - mass_mix * sin) / (m2 - meta2),
            "eta'": pref * (k_etap * m2 + mass_mix * cos) / (m2 - metap2)}
