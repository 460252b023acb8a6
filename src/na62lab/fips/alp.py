"""Axion-like particles: PBC BC9 (photons), BC10 (fermions), BC11 (gluons) and a general EFT point.

Low-energy Lagrangian (Bauer, Neubert, Thamm, arXiv:1708.00443 eq. (1)):

    L = c_GG (alpha_s/4 pi)(a/Lambda) G Gtilde + c_gg (alpha/4 pi)(a/Lambda) F Ftilde
        + sum_f (c_ff/2)(d_mu a/Lambda) fbar gamma^mu gamma_5 f.

The model :class:`ALP` takes the three Wilson coefficients per unit scale
(``cgg_over_lambda``, ``cGG_over_lambda``, ``cff_over_lambda`` in MeV^-1 at
coupling = 1) and one overall ``coupling`` that multiplies all of them, so all
widths scale as coupling^2.  Registered conventions (masses MeV, widths MeV):

* ``alp-photon`` (BC9): coupling g_agg in GeV^-1, L = -(g_agg/4) a F Ftilde, i.e.
  c_gg/Lambda = g_agg / (16 pi alpha); Gamma(a -> gamma gamma) = g_agg^2 m^3 / (64 pi).
* ``alp-fermion`` (BC10): coupling g_Y (dimensionless), Yukawa-like
  L = g_Y (m_f / v) a fbar i gamma_5 f for every fermion, i.e. c_ff/Lambda = g_Y/v
  in the derivative basis plus the anomaly terms c_gg = -8 c_ff, c_GG = -3 c_ff
  that the field redefinition generates (so light-fermion loops do not
  decouple into gamma gamma), with the flavour-changing loop cut off at
  Lambda = 1 TeV (arXiv:1901.09966 Sec. 3.3).
* ``alp-gluon`` (BC11): coupling 1/f_G in GeV^-1, L = (alpha_s/8 pi)(a/f_G) G Gtilde,
  i.e. c_GG/Lambda = 1/(2 f_G).

Decays:

* ``gammagamma``: Gamma = 4 pi alpha^2 m^3 |C_gg^eff|^2 / Lambda^2 (arXiv:1708.00443 eq. (19))
  with C_gg^eff = c_gg + sum_f N_c Q_f^2 c_ff B1(4 m_f^2/m^2) over leptons and
  c, b, t, plus, below 1.5 GeV, the chiral terms -1.92 c_GG -
  m^2/(m_pi^2 - m^2) [c_GG (m_d - m_u)/(m_u + m_d) + (c_uu - c_dd)/2] (eq. (24));
  above 1.5 GeV the u, d, s loops replace the chiral terms (eq. (20)).
* ``ee``, ``mumu``, ``tautau``: Gamma = m m_l^2 |c_ll|^2 beta / (8 pi Lambda^2) (eq. (27)),
  tree level only (the loop-induced lepton couplings of BC9/BC11 are neglected).
* ``3pi`` (pi+pi-pi0 plus 3 pi0): Gamma = (pi/6)(m m_pi^4/(Lambda^2 f_pi^2))
  |Delta|^2 [g_00 + g_+-](m_pi^2/m^2), Delta = c_GG (m_d-m_u)/(m_u+m_d) + (c_uu-c_dd)/2
  (eqs. (30)-(31), f_pi = 130.2 MeV); leading-order chiral perturbation theory,
  used up to 1.5 GeV.  APPROXIMATE: the data-driven widths of Aloni, Soreq,
  Williams (arXiv:1811.03474), which add pi pi gamma, pi pi eta, K K pi and
  raise 3 pi near the eta' and above 1 GeV by large factors, are NOT shipped:
  those channels are missing here, so for BC10/BC11 between ~0.8 and 1.5 GeV
  the total width is underestimated (the lifetime overestimated).
* ``gg`` (m >= 1.5 GeV): Gamma = 32 pi alpha_s^2 m^3 |c_GG^eff|^2 (1 + 83 alpha_s/(4 pi)) / Lambda^2
  (eq. (36)) with c_GG^eff = c_GG + (1/2) sum_q c_qq B1(4 m_q^2/m^2), and ``ss``
  (3 m m_s^2 c_ss^2 beta/(8 pi Lambda^2)).

Production: ``K+->pi+a``, ``KL->pi0a``, ``B->Ka`` through the top-loop
flavour-changing coupling of the fermion coupling, leading logarithm
g_ij = 3 sqrt(2) G_F m_t^2 V_ti* V_tj c_tt ln(Lambda_UV^2/m_t^2) / (16 pi^2 Lambda)
(arXiv:1708.00443 eq. (44); arXiv:1611.09355), Gamma(P -> P' a) = |g|^2 (m_P^2 - m_P'^2)^2 f0(m^2)^2 p_a/(32 pi m_P^2).
For the gluon coupling the chiral K -> pi a amplitude (arXiv:2102.13112) is
not implemented (production dict empty); for BC9 production is Primakoff
(:func:`primakoff_dsigma_dtheta`, :func:`primakoff_cross_section`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from na62lab.errors import require
from na62lab.fips import register
from na62lab.fips.base import FIPModel, check_mass, kallen
from na62lab.fips.constants import ALPHA_EM, G_FERMI, HIGGS_VEV, M_TOP, QUARK_MASS_2GEV, CKM
from na62lab.fips.dark_scalar import alpha_s, lambda_t
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.particles import particle
from na62lab.physics.units import GeV, TeV, hbarc

__all__ = ["ALP", "primakoff_dsigma_dtheta", "primakoff_cross_section", "tsai_form_factor"]

F_PI = 130.2
"""Pion decay constant in MeV (f_pi ~ 130 MeV convention of arXiv:1708.00443)."""
M_U, M_D = 2.16, 4.70
"""MS-bar light-quark masses at 2 GeV in MeV (PDG 2024)."""
ISOSPIN = (M_D - M_U) / (M_U + M_D)
CHIRAL_MAX = 1.5 * GeV
"""Chiral (below) / perturbative (above) switch of the hadronic ALP widths."""
LAMBDA_UV = 1.0 * TeV
"""Cut-off of the flavour-changing top loop (PBC BC10 convention)."""

_LEPTONS = {"ee": "e-", "mumu": "mu-", "tautau": "tau-"}
_HEAVY = {"c": (1.67 * GeV, 2 / 3), "b": (4.78 * GeV, -1 / 3), "t": (M_TOP, 2 / 3)}  # pole masses, charges
_LIGHT = {"u": (M_U, 2 / 3), "d": (M_D, -1 / 3), "s": (QUARK_MASS_2GEV["s"], -1 / 3)}


def _b1(tau: np.ndarray) -> np.ndarray:
    """Loop function B1(tau) = 1 - tau f(tau)^2 (arXiv:1708.00443 eq. (20)); -> 1 for light, -> -m^2/(12 m_f^2) heavy."""
    tau = np.asarray(tau, dtype=float)
    big = np.arcsin(1.0 / np.sqrt(np.maximum(tau, 1.0))) + 0j
    r = np.sqrt(np.clip(1.0 - tau, 1e-300, None))
    small = np.pi / 2 + 0.5j * np.log((1 + r) / np.maximum(1 - r, 1e-300))
    f = np.where(tau >= 1.0, big, small)
    return 1.0 - tau * f * f


class ALP(FIPModel):
    """ALP with Wilson coefficients per unit coupling (MeV^-1); widths scale as coupling^2.

    Parameters
    ----------
    cgg_over_lambda, cGG_over_lambda, cff_over_lambda : float
        c_gammagamma/Lambda, c_GG/Lambda and universal c_ff/Lambda in MeV^-1 per unit coupling.
    name, coupling_name, coupling_unit : str
        Registry name and coupling convention (see module docstring).
    coupling_to_internal : float
        Factor converting the user coupling into the internal normalisation
        (e.g. GeV^-1 -> MeV^-1).

    Examples
    --------
    A general EFT point with independent photon, gluon and fermion couplings,
    all over Lambda = 1 TeV (coupling = 1):

    >>> from na62lab.physics.units import TeV
    >>> alp = ALP(cgg_over_lambda=1 / TeV, cGG_over_lambda=0.5 / TeV, cff_over_lambda=0.1 / TeV)
    >>> sorted(k for k, v in alp.branching_ratios(600.0).items() if v > 0)
    ['3pi', 'ee', 'gammagamma', 'mumu']
    """

    name = "alp"
    coupling_name = "coupling"

    def __init__(self, cgg_over_lambda: float = 0.0, cGG_over_lambda: float = 0.0, cff_over_lambda: float = 0.0,
                 name: str = "alp", coupling_name: str = "coupling", coupling_unit: str = "") -> None:
        for label, value in (("cgg_over_lambda", cgg_over_lambda), ("cGG_over_lambda", cGG_over_lambda),
                             ("cff_over_lambda", cff_over_lambda)):
            require(np.isfinite(value), label, value, "a finite number (MeV^-1)")
        self.cgg, self.cGG, self.cff = float(cgg_over_lambda), float(cGG_over_lambda), float(cff_over_lambda)
        self.name, self.coupling_name, self.coupling_unit = name, coupling_name, coupling_unit
        self.decay_channels = ("gammagamma", "ee", "mumu", "tautau", "3pi", "gg", "ss")
        self.production_channels = ("K+->pi+a", "KL->pi0a", "B->Ka") if self.cff else ()
        self.production_parents = {"K+->pi+a": "K+", "KL->pi0a": "K0L", "B->Ka": "B+"}

    # ------------------------------------------------------------- decays
    def _c_gamma_eff(self, m: np.ndarray) -> np.ndarray:
        tau = lambda mf: 4.0 * mf * mf / np.maximum(m * m, 1e-300)
        c = self.cgg + 0j * m
        for lepton in _LEPTONS.values():
            c = c + self.cff * _b1(tau(pdg_mass(lepton)))
        for mq, q in _HEAVY.values():
            c = c + 3 * q * q * self.cff * _b1(tau(mq))
        chiral = -1.92 * self.cGG - m * m / (pdg_mass("pi0") ** 2 - m * m) * self.cGG * ISOSPIN
        perturbative = sum(3 * q * q * self.cff * _b1(tau(mq)) for mq, q in _LIGHT.values())
        return c + np.where(m < CHIRAL_MAX, chiral, perturbative)

    def reduced_widths(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """Partial widths / coupling^2 in MeV (formulas in the module docstring)."""
        m = check_mass(mass)
        out = {"gammagamma": 4 * np.pi * ALPHA_EM**2 * m**3 * np.abs(self._c_gamma_eff(m)) ** 2}
        for key, lepton in _LEPTONS.items():
            ml = pdg_mass(lepton)
            beta = np.sqrt(np.clip(1 - 4 * ml * ml / np.maximum(m * m, 1e-300), 0.0, None))
            out[key] = np.where(m > 2 * ml, m * ml * ml * self.cff**2 * beta / (8 * np.pi), 0.0)
        out["3pi"] = np.where(m < CHIRAL_MAX, self._three_pion(m), 0.0)
        high = m >= CHIRAL_MAX
        out["gg"] = np.where(high, self._gluons(m), 0.0)
        ms = QUARK_MASS_2GEV["s"]
        beta_s = np.sqrt(np.clip(1 - 4 * pdg_mass("K+") ** 2 / np.maximum(m * m, 1e-300), 0.0, None))
        out["ss"] = np.where(high, 3 * m * ms * ms * self.cff**2 * beta_s / (8 * np.pi), 0.0)
        return out

    def _three_pion(self, m: np.ndarray) -> np.ndarray:
        delta = self.cGG * ISOSPIN   # (c_uu - c_dd)/2 = 0 for universal fermion couplings
        mpi = pdg_mass("pi0")
        r = mpi**2 / np.maximum(m * m, 1e-300)
        return np.where(m > 3 * mpi, np.pi / 6 * m * mpi**4 / F_PI**2 * delta**2 * _g_three_pion(r), 0.0)

    def _gluons(self, m: np.ndarray) -> np.ndarray:
        tau = lambda mf: 4.0 * mf * mf / np.maximum(m * m, 1e-300)
        c = self.cGG + 0j * m
        for mq, _ in list(_HEAVY.values()) + list(_LIGHT.values()):
            c = c + 0.5 * self.cff * _b1(tau(mq))
        a_s = alpha_s(np.maximum(m, 1.0))
        return 32 * np.pi * a_s**2 * m**3 * np.abs(c) ** 2 * (1 + 83 * a_s / (4 * np.pi))

    # --------------------------------------------------------- production
    def reduced_production(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """Production BRs / coupling^2 through the top loop (fermion coupling only)."""
        m = check_mass(mass)
        if not self.cff:
            return {}
        log = np.log(LAMBDA_UV**2 / M_TOP**2)
        pref = 3 * np.sqrt(2) * G_FERMI * M_TOP**2 * self.cff * log / (16 * np.pi**2)
        lt = lambda_t()
        g_sd, g_bs = pref * abs(lt), pref * CKM["ts"] * CKM["tb"]
        f0_bk = lambda q2: 0.33 / (1.0 - q2 / (38.0 * GeV**2))
        return {"K+->pi+a": _p_to_p(m, "K+", "pi+", g_sd, lambda q2: 0.96 + 0 * q2),
                "KL->pi0a": _p_to_p(m, "K0L", "pi0", g_sd * abs(lt.imag) / abs(lt), lambda q2: 0.96 + 0 * q2),
                "B->Ka": _p_to_p(m, "B+", "K+", g_bs, f0_bk)}

    def production_thresholds(self) -> dict[str, float]:
        """Kinematic limit (MeV) of each production channel."""
        if not self.cff:
            return {}
        return {"K+->pi+a": pdg_mass("K+") - pdg_mass("pi+"), "KL->pi0a": pdg_mass("K0L") - pdg_mass("pi0"),
                "B->Ka": pdg_mass("B+") - pdg_mass("K+")}


_GL_X, _GL_W = np.polynomial.legendre.leggauss(40)


def _g_three_pion(r: np.ndarray) -> np.ndarray:
    """g_00(r) + g_+-(r) phase-space functions of arXiv:1708.00443 eq. (31), Gauss-Legendre in z."""
    r = np.asarray(r, dtype=float)[..., None]
    lo, hi = 4 * r, np.clip((1 - np.sqrt(r)) ** 2, 4 * r, None)
    z = 0.5 * (hi - lo) * _GL_X + 0.5 * (hi + lo)
    common = np.sqrt(np.clip(1 - 4 * r / z, 0.0, None)) * np.sqrt(np.clip(kallen(1.0, z, r), 0.0, None))
    g00 = 2.0 / (1 - r[..., 0]) ** 2 * 0.5 * (hi - lo)[..., 0] * np.sum(_GL_W * common, axis=-1)
    gpm = 12.0 / (1 - r[..., 0]) ** 2 * 0.5 * (hi - lo)[..., 0] * np.sum(_GL_W * common * (z - r) ** 2, axis=-1)
    return g00 + gpm


def _p_to_p(m: np.ndarray, parent: str, child: str, g: float, form) -> np.ndarray:
    """BR(P -> P' a)/coupling^2 = |g|^2 (m_P^2 - m_P'^2)^2 f0^2 p_a / (32 pi m_P^2) / Gamma_P."""
    mp, mc = pdg_mass(parent), pdg_mass(child)
    p = np.sqrt(np.clip(kallen(mp**2, mc**2, m * m), 0.0, None)) / (2 * mp)
    width = g**2 * (mp**2 - mc**2) ** 2 * form(m * m) ** 2 * p / (32 * np.pi * mp**2)
    return np.where(m < mp - mc, width / (hbarc / float(particle(parent).ctau)), 0.0)


# ------------------------------------------------------------------ Primakoff
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


def primakoff_dsigma_dtheta(e_gamma: ArrayLike, theta: ArrayLike, m: ArrayLike, g_agg: float, z: int, a: float) -> np.ndarray:
    """Primakoff dsigma/dtheta(gamma N -> a N) in internal area units per radian.

    dsigma/dtheta = (1/4) g^2 alpha Z^2 F(t)^2 p_a^4 sin^3(theta) / t^2, t = 2 E (E - p_a cos theta) - m^2
    (nuclear recoil neglected; Doebrich et al., arXiv:1512.03069 eq. (4); Tsai 1986).

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
    t = np.maximum(2 * e * (e - p * np.cos(th)) - m * m, 1e-300)
    val = 0.25 * g_agg**2 * ALPHA_EM * z**2 * tsai_form_factor(t, z, a) ** 2 * p**4 * np.sin(th) ** 3 / t**2
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


def _alp_photon(**options) -> ALP:
    # g_agg in GeV^-1 -> c_gg/Lambda = g / (16 pi alpha) in MeV^-1
    return ALP(cgg_over_lambda=1.0 / GeV / (16 * np.pi * ALPHA_EM), name="alp-photon",
               coupling_name="g_agg_GeV^-1", coupling_unit="GeV^-1", **options)


def _alp_fermion(**options) -> ALP:
    # Yukawa-like (non-derivative) couplings = derivative basis plus the anomaly terms
    # c_gg = -sum_f N_c Q_f^2 c_ff = -8 c_ff and c_GG = -(1/2) sum_q c_qq = -3 c_ff (arXiv:1708.00443 Sec. 2)
    c = 1.0 / HIGGS_VEV
    return ALP(cgg_over_lambda=-8.0 * c, cGG_over_lambda=-3.0 * c, cff_over_lambda=c, name="alp-fermion",
               coupling_name="g_Y", **options)


def _alp_gluon(**options) -> ALP:
    return ALP(cGG_over_lambda=0.5 / GeV, name="alp-gluon", coupling_name="inv_fG_GeV^-1",
               coupling_unit="GeV^-1", **options)


register("alp-photon", _alp_photon)
register("alp-fermion", _alp_fermion)
register("alp-gluon", _alp_gluon)
register("alp", lambda **options: ALP(**options))
