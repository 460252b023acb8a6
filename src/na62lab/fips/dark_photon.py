"""Dark photon A' with kinetic mixing eps: PBC benchmarks BC1 (visible) and BC2 (invisible).

Coupling: ``epsilon`` (dimensionless), widths scale as eps^2.  Masses in MeV,
widths in MeV, c*tau in mm.

Decays (BC1, arXiv:1901.09966 Sec. 3.1.1):

* leptons: Gamma(A' -> l l) = (alpha eps^2 m / 3)(1 + 2 m_l^2/m^2) sqrt(1 - 4 m_l^2/m^2)
  (arXiv:1801.04847 eq. (2.13)); channels ``ee``, ``mumu``, ``tautau``;
* hadrons: Gamma(A' -> F) = (alpha eps^2 m / 3) R_F(m^2) (arXiv:1801.04847
  eqs. (2.17)-(2.18), with Gamma(A' -> mu mu) of eq. (2.13) times R_F) with R_F from
  :mod:`na62lab.fips.vector_hadrons`: published e+e- form-factor fits for pi+pi-, pi+pi-pi0, K Kbar
  (:mod:`na62lab.fips.vector_form_factors`) and omega pi0, eta pi+pi-, phi eta, omega eta, K K pi
  (:mod:`na62lab.fips.vector_exclusive`), PDG-based VMD shapes for 4 pi, pi0 gamma
  (APPROXIMATE, not DarkCast's tables; ratios to them pinned in tests/fips/test_dark_photon.py);
  channels named by final state ``pipi``, ``3pi``, ``4pi``, ``KK``, ``KKpi``, ``pipieta``, ``pi0gamma``,
  ``pi0pi0gamma``, ``phieta``, ``omegaeta``, ``other`` (:data:`vector_hadrons.HADRONIC_CHANNELS`).
  Charm is not included: the model is meant for m < 3.7 GeV.

BC2: an extra ``invisible`` width to a Dirac dark-matter pair chi chi-bar,
Gamma = (alpha_D m / 3)(1 + 2 r)(1 - 4 r)^(1/2), r = (m_chi/m)^2, independent
of eps (arXiv:1901.09966 Sec. 3.1.2; PBC default alpha_D = 0.1, m_chi = m_A'/3).

Production (per parent decay, BR of that parent):

* ``pi0->gammaA``, ``eta->gammaA``, ``eta'->gammaA``:
  BR = 2 eps^2 (1 - m^2/M^2)^3 BR(M -> gamma gamma) (Batell, Pospelov, Ritz,
  arXiv:0906.5614 eq. (11); PBC arXiv:1901.09966 Sec. 3.1.1);
* ``omega->pi0A``, ``phi->etaA``: BR = eps^2 BR(V -> P gamma)
  lambda^(3/2)(m_V^2, m_P^2, m^2) / (m_V^2 - m_P^2)^3 (Gorbunov, Makarov,
  Timiryasov, arXiv:1411.4007 eq. (2.3); the transition form factor is set to 1,
  APPROXIMATE near the end point).

Production in K+ decays (BC2 at NA62, plain functions, not a model channel):
:func:`br_k_pi_dark_photon` and :func:`k_pi_dark_photon_reduced_width`,
Gamma(K+ -> pi+ A') from the K+ -> pi+ gamma* form factor (arXiv:1402.3620,
hep-ph/9808289; APPROXIMATE, W^pipi neglected).

Direct production in the dump (plain functions for the dump stage):
:func:`proton_form_factor`, :func:`brems_form_factor_squared` (the card's choice of
|F(m^2)|^2, ``production.brems_form_factor``), :func:`pp_total_cross_section`,
:func:`brems_splitting_function`, :func:`brems_emission_density` and
:func:`vector_meson_mixing`.  Drell-Yan q qbar -> A' (dump mechanism ``drell_yan``, above the card's
``production.drell_yan_min_mass_gev``): :meth:`DarkPhoton.drell_yan_couplings`, g_q = eps e Q_q, with the
tables of :mod:`na62lab.generation.dump.drell_yan`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from na62lab.errors import require
from na62lab.fips import vector_hadrons
from na62lab.fips.base import FIPModel, check_coupling, check_mass, kallen
from na62lab.fips.constants import (
    ALPHA_EM, BR_EE, BR_GAMMA_GAMMA, BR_OMEGA_PI0_GAMMA, BR_PHI_ETA_GAMMA, G_FERMI, K_PI_LL_FORM_FACTOR,
)
from na62lab.fips.proton_form_factor_ua import ua_form_factor_squared
from na62lab.physics.particles import decay_width
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.particles import width as pdg_width
from hepunits import millibarn

from na62lab.physics.units import GeV

__all__ = [
    "DarkPhoton", "lepton_pair_reduced_width", "proton_form_factor", "pp_total_cross_section",
    "alpinist_isospin_form_factors", "alpinist_form_factor", "brems_form_factor_squared", "BREMS_FORM_FACTORS",
    "brems_splitting_function", "brems_cross_section_ratio", "brems_emission_density", "vector_meson_mixing",
    "k_pi_dark_photon_reduced_width", "br_k_pi_dark_photon",
]

LEPTONS = {"ee": "e-", "mumu": "mu-", "tautau": "tau-"}


def lepton_pair_reduced_width(m: ArrayLike, m_lepton: float, alpha: float = ALPHA_EM) -> np.ndarray:
    """Gamma(V -> l+ l-) / coupling^2 for a vector coupled with strength sqrt(4 pi alpha) * coupling.

    Gamma = (alpha m / 3)(1 + 2 m_l^2/m^2) sqrt(1 - 4 m_l^2/m^2) (arXiv:1801.04847 eq. (2.13));
    zero at and below threshold.

    Parameters
    ----------
    m : array_like
        Vector mass in MeV.
    m_lepton : float
        Fermion mass in MeV.
    alpha : float
        Coupling constant (alpha_EM for the dark photon, alpha_D for BC2).

    Returns
    -------
    ndarray
        Width per unit coupling^2, in MeV.
    """
    m = np.asarray(m, dtype=float)
    r = m_lepton**2 / np.where(m > 0, m * m, np.inf)
    root = np.sqrt(np.clip(1.0 - 4.0 * r, 0.0, None))
    return np.where(m > 2 * m_lepton, alpha * m / 3.0 * (1.0 + 2.0 * r) * root, 0.0)


class DarkPhoton(FIPModel):
    """Dark photon (BC1), optionally with the BC2 invisible channel.

    Parameters
    ----------
    invisible : bool
        Add the BC2 width to dark matter chi chi-bar (``"invisible"`` channel).
    alpha_d : float
        Dark coupling alpha_D (BC2 only; PBC default 0.1).
    mchi_ratio : float
        m_chi / m_A' (BC2 only; PBC default 1/3).

    Examples
    --------
    >>> model = DarkPhoton()
    >>> br = model.branching_ratios(500.0)      # 0.5 GeV
    >>> round(float(sum(br.values())), 12)
    1.0
    """

    name = "dark-photon"
    coupling_name = "epsilon"
    decay_channels: tuple[str, ...] = ("ee", "mumu", "tautau") + vector_hadrons.HADRONIC_CHANNELS
    production_channels = ("pi0->gammaA", "eta->gammaA", "eta'->gammaA", "omega->pi0A", "phi->etaA")
    production_parents = {"pi0->gammaA": "pi0", "eta->gammaA": "eta", "eta'->gammaA": "eta'",
                          "omega->pi0A": "omega", "phi->etaA": "phi"}
    pbc_label = "BC1"
    spin = 1
    dump_mechanisms = ("proton_bremsstrahlung", "vector_meson_mixing", "drell_yan")
    default_mass_range_gev = (0.01, 2.0)
    default_coupling_range = (1e-9, 1e-3)
    valid_mass_gev = (0.0, 3.73)     # 2 m_D0 = 3.7297 GeV (PDG 2024): open charm is not in the widths (module doc)
    valid_mass_note = "charm (J/psi, D Dbar) is not in the widths: the model is meant for m < 2 m_D0 = 3.73 GeV"
    coupling_label = r"$\epsilon$"
    typical_couplings = (1e-7, 1e-6, 1e-5)

    def __init__(self, invisible: bool = False, alpha_d: float = 0.1, mchi_ratio: float = 1.0 / 3.0) -> None:
        require(np.isfinite(alpha_d) and alpha_d > 0, "alpha_d", alpha_d, "a number > 0")
        require(np.isfinite(mchi_ratio) and mchi_ratio >= 0, "mchi_ratio", mchi_ratio, "a number >= 0")
        self.invisible, self.alpha_d, self.mchi_ratio = bool(invisible), float(alpha_d), float(mchi_ratio)
        if self.invisible:
            self.name = "dark-photon-invisible"
            self.pbc_label = "BC2"
            self.decay_channels = DarkPhoton.decay_channels + ("invisible",)

    def drell_yan_couplings(self) -> dict[str, float]:
        """g_q^2 / eps^2 = 4 pi alpha Q_q^2 for u, d, s, c: the A' couples as eps e Q_q to quarks (kinetic
        mixing; alpha = alpha_EM(0) as in the widths; Pythia's alpha_em(M^2), 2-3 % larger at 1.5-10 GeV, is
        not used)."""
        e2 = 4.0 * np.pi * ALPHA_EM
        return {"u": e2 * 4.0 / 9.0, "d": e2 / 9.0, "s": e2 / 9.0, "c": e2 * 4.0 / 9.0}

    def vector_mixing(self, mass: ArrayLike, meson: str) -> np.ndarray:
        """A'-V mixing factor per eps^2 (dimensionless) at A' mass ``mass`` (MeV): :func:`vector_meson_mixing`."""
        return vector_meson_mixing(mass, meson)

    def final_state_fraction(self, final_state: str, mass: ArrayLike) -> np.ndarray:
        """Reconstructed charge-state fraction (:meth:`FIPModel.final_state_fraction`); ``KK``: the
        K+ K- share of the K Kbar width from the kaon form factors (:func:`vector_hadrons.kaon_form_factors`,
        P-wave phase space beta^3); ``4pi``: the pi+ pi- 2pi0 share with all of omega(-> 3 pi) pi0 in it
        (:func:`vector_hadrons.four_pion_charge_fraction`); ``KKpi``: the K+ K- pi0 share of the K K* fit
        (:func:`vector_hadrons.kkpi_charge_fraction`)."""
        m = np.asarray(mass, dtype=float)
        s = m * m
        if final_state == "4pi":
            return vector_hadrons.four_pion_charge_fraction(s)
        if final_state == "KKpi":
            return vector_hadrons.kkpi_charge_fraction(s)
        if final_state != "KK":
            return super().final_state_fraction(final_state, mass)
        fc, fn = vector_hadrons.kaon_form_factors(s)
        with np.errstate(divide="ignore", invalid="ignore"):
            bc = np.sqrt(np.clip(1 - 4 * pdg_mass("K+") ** 2 / s, 0, None)) ** 3 * np.abs(fc) ** 2
            bn = np.sqrt(np.clip(1 - 4 * pdg_mass("K0S") ** 2 / s, 0, None)) ** 3 * np.abs(fn) ** 2
        total = bc + bn
        return np.where(total > 0, bc / np.where(total > 0, total, 1.0), 0.5)

    def charged_track_modes(self, final_state: str, mass: ArrayLike) -> dict[str, np.ndarray] | None:
        """:meth:`FIPModel.charged_track_modes`; ``KKpi``: the K+ K- pi0 and K+- K0 pi-+ shares of the K K* fit
        (:func:`vector_hadrons.kkpi_mode_shares`); ``4pi``: pi+ pi- 2 pi0 from
        :func:`vector_hadrons.four_pion_charge_fraction`, 2 pi+ 2 pi- the rest (no 4 pi0: C)."""
        if final_state == "KKpi":
            m = np.asarray(mass, dtype=float)
            shares = vector_hadrons.kkpi_mode_shares(m * m)
            return {"K+K-pi0": shares["K+K-pi0"], "K+-K0pi-+": shares["K0K+pi-"]}
        return super().charged_track_modes(final_state, mass)

    def reduced_widths(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """Visible partial widths / eps^2 in MeV (see module docstring for formulas)."""
        m = check_mass(mass)
        out = {k: lepton_pair_reduced_width(m, pdg_mass(v)) for k, v in LEPTONS.items()}
        prefactor = ALPHA_EM * m / 3.0
        for key, r in vector_hadrons.R_channels(m * m).items():
            out[key] = prefactor * r
        return out

    def fixed_widths(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """BC2 width to chi chi-bar in MeV (independent of eps); empty for BC1."""
        if not self.invisible:
            return {}
        m = check_mass(mass)
        r = self.mchi_ratio**2
        root = np.sqrt(max(1.0 - 4.0 * r, 0.0))
        return {"invisible": np.where(m > 0, self.alpha_d * m / 3.0 * (1.0 + 2.0 * r) * root, 0.0)}

    def reduced_production(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """Production BRs / eps^2 of the meson decays (formulas in the module docstring)."""
        m = check_mass(mass)
        out = {}
        for parent in ("pi0", "eta", "eta'"):
            big = pdg_mass(parent)
            x = np.clip(1.0 - m * m / big**2, 0.0, None)
            out[f"{parent}->gammaA"] = np.where(m < big, 2.0 * x**3 * BR_GAMMA_GAMMA[parent], 0.0)
        out["omega->pi0A"] = _vector_to_pseudoscalar(m, "omega", "pi0", BR_OMEGA_PI0_GAMMA)
        out["phi->etaA"] = _vector_to_pseudoscalar(m, "phi", "eta", BR_PHI_ETA_GAMMA)
        return out

    def production_thresholds(self) -> dict[str, float]:
        """Kinematic limit (MeV) of each production channel."""
        return {"pi0->gammaA": pdg_mass("pi0"), "eta->gammaA": pdg_mass("eta"),
                "eta'->gammaA": pdg_mass("eta'"), "omega->pi0A": pdg_mass("omega") - pdg_mass("pi0"),
                "phi->etaA": pdg_mass("phi") - pdg_mass("eta")}


def _vector_to_pseudoscalar(m: np.ndarray, vector: str, pseudo: str, br_gamma: float) -> np.ndarray:
    """BR(V -> P A') / eps^2 = BR(V -> P gamma) lambda^(3/2)(mV^2, mP^2, m^2)/(mV^2 - mP^2)^3 (arXiv:1411.4007)."""
    mv, mp = pdg_mass(vector), pdg_mass(pseudo)
    lam = np.clip(kallen(mv**2, mp**2, m * m), 0.0, None)
    return np.where(m < mv - mp, br_gamma * lam**1.5 / (mv**2 - mp**2) ** 3, 0.0)


# --------------------------------------------------------- kaon decay (BC2)
def k_pi_dark_photon_reduced_width(mass: ArrayLike,
                                   form_factor: tuple[float, float] = K_PI_LL_FORM_FACTOR) -> np.ndarray:
    """Gamma(K+ -> pi+ A') / eps^2 in MeV (on-shell A' through the K+ -> pi+ gamma* form factor).

    Gamma = eps^2 alpha m_K z lambda^(3/2)(1, z, r_pi^2) |W(z)|^2 / (2^10 pi^4),
    z = m_A'^2/m_K^2, r_pi = m_pi/m_K, W(z) = G_F m_K^2 (a+ + b+ z).

    This is the expression of Davoudiasl, Lee, Marciano (PRD 89 (2014) 095006,
    arXiv:1402.3620, Gamma(K -> pi Z_d) for a kinetically mixed Z_d), in the same
    spirit as Pospelov (PRD 80 (2009) 095002, arXiv:0811.1030, K+ -> pi+ V).  It
    follows from the K+ -> pi+ l+ l- amplitude A = -e^2 W(z) (k + p)^mu
    u-bar gamma_mu v / (m_K^2 (4 pi)^2) of D'Ambrosio, Ecker, Isidori, Portoles
    (JHEP 08 (1998) 004, hep-ph/9808289, Sec. 2) by replacing the virtual photon
    by an on-shell A' with coupling eps e: sum_pol |q^2 (k + p).e|^2 = q^2 lambda.
    Equivalently dGamma(K -> pi l l)/dq^2 = Gamma(K -> pi A')|_(eps=1) alpha/(3 pi q^2)
    beta_l (1 + 2 m_l^2/q^2) (tests/fips/test_dark_photon_kaon.py checks both).

    Form factor: polynomial part only, with the NA62 K+ -> pi+ mu+ mu- fit
    a+ = -0.575, b+ = -0.722 (arXiv:2209.05076; see ``constants.K_PI_LL_FORM_FACTOR``).
    APPROXIMATE: the pi pi rescattering term W^pipi(z) of hep-ph/9808289 is
    neglected.  Integrated back over the lepton pair, this rate gives
    BR(K+ -> pi+ e+ e-) = 2.7e-7 (PDG 2024: 3.00e-7, -10 %) and BR(K+ -> pi+ mu+ mu-)
    = 7.2e-8 (NA62: 9.15e-8, -21 %), so the A' rate is underestimated by about
    10 % at low mass and up to about 20 % above 2 m_pi: limits on eps derived from it are
    conservative.

    Parameters
    ----------
    mass : array_like
        A' mass in MeV (>= 0).
    form_factor : tuple of float
        (a+, b+), dimensionless.

    Returns
    -------
    ndarray
        Width per eps^2 in MeV; zero at and above m_K - m_pi.
    """
    m = check_mass(mass)
    a_plus, b_plus = (float(v) for v in form_factor)
    require(np.isfinite(a_plus) and np.isfinite(b_plus), "form_factor", form_factor, "two finite numbers (a+, b+)")
    m_k, m_pi = pdg_mass("K+"), pdg_mass("pi+")
    z = (m / m_k) ** 2
    lam = np.clip(kallen(1.0, z, (m_pi / m_k) ** 2), 0.0, None)
    w = G_FERMI * m_k**2 * (a_plus + b_plus * z)
    width = ALPHA_EM * m_k * z * lam**1.5 * w * w / (2**10 * np.pi**4)
    return np.where(m < m_k - m_pi, width, 0.0)


def br_k_pi_dark_photon(mass: ArrayLike, epsilon: ArrayLike,
                        form_factor: tuple[float, float] = K_PI_LL_FORM_FACTOR) -> np.ndarray:
    """BR(K+ -> pi+ A') for an A' of kinetic mixing eps (PBC BC1/BC2 production in kaon decays).

    BR = eps^2 Gamma_red(m) / Gamma_K, with Gamma_red of
    :func:`k_pi_dark_photon_reduced_width` (arXiv:1402.3620; APPROXIMATE, see there)
    and Gamma_K = hbar c / (c tau_K+) from the ``particle`` package.

    Parameters
    ----------
    mass : array_like
        A' mass in MeV, broadcast with ``epsilon``.
    epsilon : array_like
        Kinetic mixing (dimensionless, >= 0).
    form_factor : tuple of float
        (a+, b+) of W(z), dimensionless.

    Returns
    -------
    ndarray
        Branching ratio (dimensionless); zero at and above m_K - m_pi.

    Examples
    --------
    >>> float(br_k_pi_dark_photon(100.0, 1e-3))   # 100 MeV, eps = 1e-3
    5.45...e-11
    >>> float(br_k_pi_dark_photon(400.0, 1e-3))   # above m_K - m_pi
    0.0
    """
    eps = check_coupling(epsilon, "epsilon")
    gamma_k = decay_width("K+")
    return eps**2 * k_pi_dark_photon_reduced_width(mass, form_factor) / gamma_k


# ----------------------------------------------------------------- dump inputs
FAESSLER_RESIDUES = (
    # (name, f_V, mass MeV, width MeV): extended VMD fit of F_1^p, Faessler et al., arXiv:0910.5589 (three
    # digits: 0.616 0.223 -0.339 / 1.011 -0.881 0.369).  Full-precision residues and the pole masses and
    # widths they belong to as in the public implementations that cite 0910.5589 (BdNMC,
    # src/Proton_Brem_Distribution.cpp; FairShip, python/proton_bremsstrahlung.py)
    ("rho", 0.6165340033101271, 770.0, 150.0), ("rho'", 0.22320420111672623, 1250.0, 300.0),
    ("rho''", -0.33973820442685326, 1450.0, 500.0),
    ("omega", 1.0117544786579074, 770.0, 8.5), ("omega'", -0.8816565944110686, 1250.0, 300.0),
    ("omega''", 0.3699021157531611, 1450.0, 500.0),
)
"""Residues, pole masses and widths (MeV) of the time-like proton Dirac form factor of arXiv:0910.5589."""
FAESSLER_GROUND_STATES = {"rho": "rho(770)0", "omega": "omega(782)"}
"""Ground states put at their PDG mass and width by :func:`faessler_poles`."""


def faessler_poles() -> tuple[tuple[str, float, float, float], ...]:
    """(name, f_V, mass MeV, width MeV) of :func:`proton_form_factor`.

    The residues of arXiv:0910.5589 are not free numbers: in each isospin family
    (rho, rho', rho''; omega, omega', omega'') they solve sum_V f_V = 1/2 (F_1(0) = 1)
    and sum_V f_V m_V^2 = 0 (no 1/q^2 term: F_1 ~ 1/q^4 at large |q^2|, quark counting),
    to 1e-16 with the pole masses 770, 1250, 1450 MeV in both families
    (tests/fips/test_dark_photon.py).  The radial excitations are therefore kept at
    those effective poles (widths 300 and 500 MeV): the residues belong to them.
    Putting these residues at the PDG rho(1450), rho(1700), omega(1420), omega(1650)
    instead (as this module did, and as the public ALPINIST code does) breaks both
    families' sum rule (by 0.16 and 0.10 GeV^2) and raises |F_1|^2 at 1.45-1.6 GeV 10-20x
    (1.0, 0.41, 0.20 here at 1.45, 1.53, 1.6 GeV); it also made the result depend on the
    PDG edition (the omega(1650) width is 315 MeV in the 2025 tables and 150 MeV in the
    2026 ones of the ``particle`` package: |F_1(1.53 GeV)|^2 3.2 vs 6.1).  A newer
    extended VMD fit with empirical masses (Kuzmin, Levashko, Krivoruchenko,
    arXiv:2412.13150) has residues of its own, not these.

    The narrow ground states are put at their PDG masses and widths (rho 775.3, omega
    782.7 MeV from the ``particle`` package) rather than at 770 MeV: the A' - omega
    resonance must sit at the omega, and the shift moves the sum rules by only 0.005
    (rho) and 0.020 GeV^2 (omega), against ground-state terms f_V m_V^2 of 0.37 and 0.60 GeV^2.
    """
    out = []
    for name, f, mv, gv in FAESSLER_RESIDUES:
        state = FAESSLER_GROUND_STATES.get(name)
        out.append((name, f, pdg_mass(state), pdg_width(state)) if state else (name, f, mv, gv))
    return tuple(out)


def proton_form_factor(q2: ArrayLike) -> np.ndarray:
    """Time-like proton Dirac form factor F_1(q^2) in extended VMD (complex).

    F(q^2) = sum_V f_V m_V^2 / (m_V^2 - q^2 - i m_V Gamma_V) over rho, omega and
    their first two radial excitations (Faessler, Fuchs, Krivoruchenko, Martemyanov,
    arXiv:0910.5589, residues f_V and the effective poles they belong to, :func:`faessler_poles`;
    used for A' bremsstrahlung in Bluemlein & Brunner arXiv:1311.3870 eq. (4), by SHiP and NA62).
    F(0) = 1 within 1 % (the finite widths shift it).  Use |F(m_A'^2)|^2 in the bremsstrahlung rate.
    APPROXIMATE: below the p pbar threshold the time-like F_1 is not measured; it is a model.

    Parameters
    ----------
    q2 : array_like
        Four-momentum squared in MeV^2 (time-like: q^2 = m_A'^2 > 0).
    """
    q2 = np.asarray(q2, dtype=float)
    out = np.zeros(q2.shape, dtype=complex)
    for _, f, mv, gv in faessler_poles():
        out = out + f * mv * mv / (mv * mv - q2 - 1j * mv * gv)
    return out


ALPINIST_VECTOR_POLES = {
    # family: ((f_V, mass MeV, width MeV), ...) as fixed in the public ALPINIST code (jjerhot/ALPINIST,
    # BSD-3; ALP_production/general/exotic_constants.py, f_rho0/m_rho0/Gamma_rho0 and
    # f_omega0/m_omega0/Gamma_omega0, commit 4cfc06472c9a8a54f7b9c2646b667e3a1e56804e): the three-digit
    # residues of arXiv:0910.5589 at the PDG rho(770), rho(1450), rho(1700) and omega(782), omega(1420),
    # omega(1650) as that file gives them (omega(1650) 315 MeV wide); fixed here, not read from the
    # ``particle`` package, so the option does not depend on the PDG edition.
    "isovector": ((0.616, 775.26, 147.4), (0.223, 1465.0, 400.0), (-0.339, 1720.0, 250.0)),
    "isoscalar": ((1.011, 782.66, 8.68), (-0.881, 1410.0, 290.0), (0.369, 1670.0, 315.0)),
}
"""Residues, masses and widths (MeV) of :func:`alpinist_isospin_form_factors`."""

BREMS_FORM_FACTORS = ("faessler", "none", "alpinist_isospin_modulus", "ua_model")
"""Choices of |F(m^2)|^2 in the A' bremsstrahlung rate (card ``production.brems_form_factor``):
:func:`proton_form_factor` (default), 1, :func:`alpinist_form_factor` (NA62's apparent prescription), or
the data-driven U&A model F_1 (:func:`na62lab.fips.proton_form_factor_ua.ua_form_factor_squared`)."""


def alpinist_isospin_form_factors(q2: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Isovector and isoscalar sums (complex) of the ALPINIST vector form factor.

    F_I(q^2) = sum_V f_V m_V^2 / (m_V^2 - q^2 - i sqrt(q^2) Gamma_V) over each family of
    :data:`ALPINIST_VECTOR_POLES` (jjerhot/ALPINIST, ALP_production/modes/bremsstrahlung.py
    ``form_factor_vector``, commit 4cfc064: the width term carries the A' mass sqrt(q^2), not m_V).
    F_I(0) = sum f_V: 0.500 (isovector), 0.499 (isoscalar).

    Parameters
    ----------
    q2 : array_like
        Four-momentum squared in MeV^2 (time-like, q^2 = m_A'^2 >= 0).
    """
    q2 = np.asarray(q2, dtype=float)
    w = np.sqrt(np.clip(q2, 0.0, None))
    out = []
    for family in ("isovector", "isoscalar"):
        acc = np.zeros(q2.shape, dtype=complex)
        for f, mv, gv in ALPINIST_VECTOR_POLES[family]:
            acc = acc + f * mv * mv / (mv * mv - q2 - 1j * w * gv)
        out.append(acc)
    return out[0], out[1]


def alpinist_form_factor(q2: ArrayLike) -> np.ndarray:
    """|F| = |F_(I=1)| + |F_(I=0)|: NA62's apparent prescription, a REPRODUCTION option, not physics.

    The public ALPINIST code (NA62 authors; ALP_production/modes/bremsstrahlung.py ``form_factor_vector``,
    commit 4cfc064) adds the moduli of the isovector and isoscalar sums of
    :func:`alpinist_isospin_form_factors`, without their interference; the Dirac form factor is the
    coherent sum F_1 = F_s + F_v (arXiv:0910.5589), :func:`proton_form_factor`.  Real, >= |F_v + F_s|,
    0.999 at q^2 = 0.  Its |F|^2 on the Bluemlein-Brunner rate closes the NA62 2021 BC1 region near
    NA62's 1.525 GeV (README, validation).

    Parameters
    ----------
    q2 : array_like
        Four-momentum squared in MeV^2 (time-like).
    """
    f_v, f_s = alpinist_isospin_form_factors(q2)
    return np.abs(f_v) + np.abs(f_s)


def brems_form_factor_squared(q2: ArrayLike, prescription: str | bool = "faessler") -> np.ndarray:
    """|F(q^2)|^2 of the A' bremsstrahlung rate for one of :data:`BREMS_FORM_FACTORS`.

    ``"faessler"``: |:func:`proton_form_factor`|^2 (default); ``"none"``: 1;
    ``"alpinist_isospin_modulus"``: :func:`alpinist_form_factor` squared; ``"ua_model"``: the Unitary &
    Analytic model's |F_1^p|^2 (Adamuscin et al., PRC 93 (2016) 055208; tabulated, arXiv:2409.09123;
    :mod:`na62lab.fips.proton_form_factor_ua`).  True/False (the former on/off card switch) mean
    ``"faessler"``/``"none"``.

    Parameters
    ----------
    q2 : array_like
        Four-momentum squared in MeV^2 (q^2 = m_A'^2).
    prescription : str or bool
        The choice (card ``production.brems_form_factor``).
    """
    choice = ("faessler" if prescription else "none") if isinstance(prescription, bool) else prescription
    require(choice in BREMS_FORM_FACTORS, "production.brems_form_factor", prescription,
            "one of " + ", ".join(BREMS_FORM_FACTORS))
    q2 = np.asarray(q2, dtype=float)
    if choice == "none":
        return np.ones(q2.shape)
    if choice == "alpinist_isospin_modulus":
        return alpinist_form_factor(q2) ** 2
    if choice == "ua_model":
        return ua_form_factor_squared(q2)
    return np.abs(proton_form_factor(q2)) ** 2


def pp_total_cross_section(s: ArrayLike) -> np.ndarray:
    """Total pp cross section (internal area units; ``/ millibarn`` gives mb).

    sigma(s) = Z + B ln^2(s/s0) + Y1 (s1/s)^eta1 - Y2 (s1/s)^eta2 with Z = 35.45 mb,
    B = 0.308 mb, s0 = (5.38 GeV)^2, Y1 = 42.53 mb, Y2 = 33.34 mb, s1 = 1 GeV^2,
    eta1 = 0.458, eta2 = 0.545 (PDG 2012 fit of pp data, as used in the A'
    bremsstrahlung rate of arXiv:1311.3870 eq. (5)).

    Parameters
    ----------
    s : array_like
        Squared centre-of-mass energy in MeV^2.
    """
    x = np.asarray(s, dtype=float) / GeV**2
    mb = (35.45 + 0.308 * np.log(x / 5.38**2) ** 2 + 42.53 * x**-0.458 - 33.34 * x**-0.545)
    return mb * millibarn


def brems_splitting_function(z: ArrayLike, pt2: ArrayLike, m: ArrayLike) -> np.ndarray:
    """A' splitting function w_ba(z, pT^2) / eps^2 of a proton, in MeV^-2.

    Quasi-real (Fermi-Weizsaecker-Williams) approximation, Bluemlein & Brunner
    arXiv:1311.3870 eq. (3):

        w = alpha / (2 pi H) [ (1 + (1-z)^2)/z - 2 z (1-z) ((2 M^2 + m^2)/H - 2 z^2 M^4/H^2)
            + 2 z (1-z) (1 + (1-z)^2) M^2 m^2/H^2 + 2 z (1-z)^2 m^4/H^2 ],
        H = pT^2 + (1-z) m^2 + z^2 M^2,

    M the proton mass.  d^2N/(dz dpT^2) = eps^2 w (times the form factor and
    cross-section ratio of :func:`brems_emission_density`).

    Parameters
    ----------
    z : array_like
        Fraction of the beam momentum carried by the A' (0 < z < 1).
    pt2 : array_like
        A' transverse momentum squared in MeV^2.
    m : array_like
        A' mass in MeV.
    """
    z, pt2, m = (np.asarray(v, dtype=float) for v in (z, pt2, m))
    mp2 = pdg_mass("p") ** 2
    m2 = m * m
    h = pt2 + (1.0 - z) * m2 + z * z * mp2
    one = 1.0 + (1.0 - z) ** 2
    bracket = (one / z - 2.0 * z * (1.0 - z) * ((2.0 * mp2 + m2) / h - 2.0 * z * z * mp2 * mp2 / h**2)
               + 2.0 * z * (1.0 - z) * one * mp2 * m2 / h**2 + 2.0 * z * (1.0 - z) ** 2 * m2 * m2 / h**2)
    return ALPHA_EM / (2.0 * np.pi * h) * bracket


def brems_cross_section_ratio(z: ArrayLike, beam_energy: float) -> np.ndarray:
    """sigma_pp(s')/sigma_pp(s) of the bremsstrahlung rate, s = 2 M E_beam (fixed target) and
    s' = 2 M E_beam (1 - z) (arXiv:1311.3870 eqs. (2)-(5)).

    Parameters
    ----------
    z : array_like
        Fraction of the beam momentum carried by the emitted boson.
    beam_energy : float
        Proton beam energy in MeV: the dump card's ``run.beam_energy_gev`` (400 GeV at the SPS,
        70 GeV for NuCal); no default, a wrong beam energy is a physics error.
    """
    s = 2.0 * pdg_mass("p") * beam_energy
    return pp_total_cross_section(s * (1.0 - np.asarray(z, dtype=float))) / pp_total_cross_section(s)


def brems_emission_density(z: ArrayLike, pt2: ArrayLike, m: ArrayLike, beam_energy: float,
                           form_factor: str | bool = "faessler") -> np.ndarray:
    """Differential A' yield per proton per eps^2, d^2N/(dz dpT^2) in MeV^-2.

    d^2N/(dz dpT^2) = [sigma_pp(s')/sigma_pp(s)] |F_1(m^2)|^2 w_ba(z, pT^2)
    with s = 2 M E_beam (fixed target) and s' = 2 M E_beam (1 - z)
    (arXiv:1311.3870 eqs. (2)-(5); :func:`brems_cross_section_ratio`).  Valid for z in the quasi-real
    domain (the paper uses 0.1 < z < 0.9 and pT < 1 GeV); APPROXIMATE outside it.  The dump generator
    (:func:`na62lab.generation.dump.bremsstrahlung.emission_density`) calls it with the card's beam energy.

    Parameters
    ----------
    z, pt2, m : array_like
        Momentum fraction, transverse momentum squared (MeV^2) and A' mass (MeV).
    beam_energy : float
        Proton beam energy in MeV, required: the dump card's ``run.beam_energy_gev`` (400 GeV at the
        SPS, 70 GeV for NuCal).
    form_factor : str or bool
        |F(m^2)|^2 of :func:`brems_form_factor_squared` (default Faessler et al.'s F_1).
    """
    ratio = brems_cross_section_ratio(z, beam_energy)
    form = brems_form_factor_squared(np.asarray(m, dtype=float) ** 2, form_factor)
    return ratio * form * brems_splitting_function(z, pt2, m)


def vector_meson_mixing(m: ArrayLike, meson: str) -> np.ndarray:
    """A' - V mixing factor: sigma(pp -> A' X) / (eps^2 sigma(pp -> V X)) near a vector meson.

    |e/g_V|^2 m_V^4 / ((m^2 - m_V^2)^2 + m_V^2 Gamma_V^2) with (e/g_V)^2 = 3 Gamma(V -> ee)/(alpha m_V)
    (VMD photon-vector coupling, e.g. arXiv:1411.4007 Sec. 2; APPROXIMATE:
    kinematics of the produced V are kept, the off-shell V production is not modelled).

    Parameters
    ----------
    m : array_like
        A' mass in MeV.
    meson : str
        ``"rho0"``, ``"omega"`` or ``"phi"``.
    """
    require(meson in ("rho0", "omega", "phi"), "meson", meson, "rho0, omega or phi")
    mv, gv = pdg_mass(meson), pdg_width(meson)
    b_ee = {"rho0": 4.72e-5, "omega": BR_EE["omega"], "phi": BR_EE["phi"]}[meson]  # PDG 2024
    coupling = 3.0 * b_ee * gv / (ALPHA_EM * mv)
    m2 = np.asarray(m, dtype=float) ** 2
    return coupling * mv**4 / ((m2 - mv * mv) ** 2 + mv * mv * gv * gv)
