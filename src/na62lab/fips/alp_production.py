"""ALP production in meson decays and ALP-meson mixing (coupling normalisation of arXiv:1708.00443).

All functions take the ALP mass in MeV and reduced couplings in MeV^-1
(``cGG = C_GG/Lambda``, ``cff = c_ff/Lambda``, see :mod:`na62lab.fips.alp_hadrons`)
and return branching ratios (dimensionless) or mixing angles (dimensionless).

* Fermion couplings: flavour-changing s -> d a and b -> s a through the top
  Yukawa, g_ij = k V_ti* V_tj c_ff/Lambda with the one-loop renormalisation-group coefficient
  k = 0.0085 at Lambda_UV = 1 TeV of Bauer et al., arXiv:2012.12272, for universal derivative
  couplings (:mod:`na62lab.fips.alp_flavour`; the BC10 phenomenology of arXiv:2310.03524, as in
  ALPINIST), Gamma(P -> P' a) = |g|^2 (m_P^2 - m_P'^2)^2 f0(m^2)^2 p_a / (32 pi m_P^2).  Until this
  revision the coefficient was the leading logarithm of Izaguirre, Lin, Shuve (arXiv:1611.09355),
  3 sqrt(2) G_F m_t^2 ln(Lambda_UV^2/m_t^2)/(16 pi^2) = 0.033, which GKOZ replace by the RG result for
  the derivative universal coupling: 3.9x larger in amplitude, 15x in rate (:func:`ils_leading_log`).
  Besides B -> K a and B -> K* a the fermion ALP has the inclusive ``B->Xsa``: b -> s a at quark
  level, Gamma = |g_bs|^2 m_b^3 (1 - m^2/m_b^2)^2 / (32 pi) (the on-shell derivative coupling is
  g_bs m_b sbar P_R b a), normalised to BR(B -> X_c l nu) with the b -> c l nu rate
  G_F^2 m_b^5 |V_cb|^2 f(m_c^2/m_b^2)/(192 pi^3), exactly as the dark scalar's B -> X_s S
  (arXiv:1904.10447 Sec. 3.1; APPROXIMATE: no QCD corrections, m_c/m_b = 0.29, pole m_b = 4.78 GeV).
  It stands for the sum over the kaon resonances (K, K*(892), K0*(700), K0*(1430), K*(1410),
  K*(1680), K1(1270), K1(1400), K2*(1430): almost 4x K + K*(892), arXiv:2310.03524) and the
  multi-body X_s, and the dump simulates it instead of its exclusive parts
  (:mod:`na62lab.generation.dump.sources`; the X_s recoil is a K*(892) stand-in, APPROXIMATE).
  BR(B -> X_s a)/[BR(B -> K a) + BR(B -> K* a)] = 5.2 / 5.0 / 4.2 at 0.3 / 0.7 / 1.5 GeV; the quark-level
  rate closes at m_b, so above 3.6 GeV it is bounded below by the exclusive sum it contains.
* Gluon coupling: K- -> pi- a from the octet-enhanced weak chiral Lagrangian
  (Bauer, Neubert, Renner, Schnubel, Thamm, arXiv:2102.13112, PRL 127 (2021) 081803):
  A = N_8 (64 pi^2 C_GG/Lambda) (m_K^2 - m_pi^2)(m_K^2 - m^2) / (4 m_K^2 - m_pi^2 - 3 m^2)
  (their N_8 16 c_GG/(4 f) with c_GG (alpha_s/4 pi)(a/f) G Gtilde, c_GG/f = 16 pi^2 C_GG/Lambda),
  |N_8| = 1.53e-7 (arXiv:2110.10698 sec. 3, |g_8| ~ 5 from K -> pi pi),
  Gamma = |A|^2 p_a / (8 pi m_K^2).  K_L -> pi0 a is CP-violating (proportional to Im N_8) and
  neglected.
* B -> K a and B -> K* a, both couplings: one left-handed b -> s a coupling g_bs (vertex
  normalisation of the top-loop formula above), Gamma(B -> K a) = |g|^2 (m_B^2 - m_K^2)^2 f0^2 p_a
  / (32 pi m_B^2) and Gamma(B -> K* a) = |g|^2 lambda^(3/2) A0^2 / (64 pi m_B^3) (the vector current
  gives B -> K, the axial one B -> K*; equal for a left-handed coupling), A0^{BK*}(q^2) =
  1.364/(1 - q^2/m_B^2) - 0.990/(1 - q^2/36.78 GeV^2) (Ball, Zwicky hep-ph/0412079 Table 8).
  For the gluon coupling g_bs arises at two loops (W and gluons; the leading double logarithm is
  the running C_GG -> c_tt between Lambda and m_t of Bauer et al. arXiv:2012.12272 sec. 4, then the
  top loop): Chakraborty, Kraus, Loladze, Okui, Tobioka (arXiv:2102.04474) computed it; the
  normalisation used here is the one NA62's ALP tool ALPINIST (Jerhot et al. arXiv:2201.05170,
  public code, ``g_bs_fixed_cgg``) takes from that paper for its gluon-ALP B-meson channel:
  BR(B+ -> K+ a) = 0.11 GeV^2 (1/f_G)^2 at m_a = 1 GeV, g_bs independent of m_a
  (:data:`BR_BKA_GLUON_1GEV`; UV-dependent terms of arXiv:2102.04474 set to ALPINIST's choice;
  APPROXIMATE, theory spread: the leading-log estimate of :func:`bsa_gluon_leading_log` gives 0.26).
  D -> pi a is not included (as in ALPINIST): the c -> u a loop is GIM-suppressed by
  m_b^2/m_W^2 ~ 4e-3 against the top in b -> s a.
* ALP-pi0/eta/eta' mixing (gluon and universal quark couplings; quark couplings normalised as
  c_q = 2 c_ff/Lambda, see :func:`mixing_angles`): the angles of the U(3) chiral Lagrangian with the
  chiral rotation kappa_q = m_q^-1 / sum m_q'^-1 and the vector-meson-dominance suppression F(m_a) of
  Aloni, Soreq, Williams (arXiv:1811.03474, supplemental material), in the form implemented by ALPINIST (Jerhot et al.,
  arXiv:2201.05170, App. A; F_pi = 93 MeV, eta-eta' angle arcsin(-1/3)).  APPROXIMATE
  (leading order; diverges at the meson masses, where the ALP and the meson mix maximally).
"""

from __future__ import annotations

import numpy as np

from na62lab.fips.alp_flavour import universal_fermion_fcnc_coefficient
from na62lab.fips.alp_hadrons import ISOSPIN, M_D, M_U
from na62lab.fips.base import kallen
from na62lab.fips.constants import BR_B_XC_LNU, CKM, G_FERMI, M_TOP, QUARK_MASS_2GEV
from na62lab.fips.dark_scalar import F0_K_PI, b_semileptonic_normalisation, lambda_t
from na62lab.fips.dark_scalar import f0_bk as _f0_bk  # f0^{BK}(q^2), as for the dark scalar
from na62lab.physics.kinematics import two_body_momentum
from na62lab.physics.particles import decay_width
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV, TeV

__all__ = ["top_loop_production", "ils_leading_log", "kaon_gluon_br", "b_gluon_production",
           "bsa_gluon_leading_log",
           "mixing_angles", "mixing_photon_coupling", "vmd_suppression", "LAMBDA_UV", "N8", "PRODUCTION_LIMITS",
           "BR_BKA_GLUON_1GEV"]

LAMBDA_UV = 1.0 * TeV
"""Cut-off of the flavour-changing top loop (PBC BC10 convention, arXiv:1901.09966)."""
N8 = 1.53e-7
"""|N_8| = (G_F/sqrt 2)|V_ud V_us| g_8 f_pi^2 of the weak chiral Lagrangian (arXiv:2110.10698)."""
F_PI_MIX = 93.0
"""F_pi ~ 93 MeV convention of the mixing formulas (arXiv:1811.03474, ALPINIST)."""
THETA_ETA_ETAP = float(np.arcsin(-1.0 / 3.0))
"""eta-eta' mixing angle of arXiv:1811.03474 (sin theta = -1/3)."""
BR_BKA_GLUON_1GEV = 0.11 * GeV**2
"""BR(B+ -> K+ a) / (1/f_G)^2 at m_a = 1 GeV (MeV^2) of a gluon-coupled ALP: the two-loop result of
arXiv:2102.04474 as normalised in ALPINIST (arXiv:2201.05170; public code ``g_bs_fixed_cgg``),
which NA62 used for its ALP interpretations (EPJC 85 (2025) 571).  APPROXIMATE (UV-dependent terms)."""
ALPHA_S_TOP_TEV = 0.097
"""alpha_s averaged between m_t and 1 TeV (PDG 2024 running: 0.108 at m_t, 0.088 at 1 TeV); only
for the leading-log cross-check :func:`bsa_gluon_leading_log`."""


def _p_to_p(m: np.ndarray, parent: str, child: str, g: float, form) -> np.ndarray:
    """BR(P -> P' a) = |g|^2 (m_P^2 - m_P'^2)^2 f0^2 p_a / (32 pi m_P^2) / Gamma_P (g in MeV^-1)."""
    mp, mc = pdg_mass(parent), pdg_mass(child)
    p_a = two_body_momentum(mp, mc, m, below=0.0)
    width = g**2 * (mp**2 - mc**2) ** 2 * form(m * m) ** 2 * p_a / (32 * np.pi * mp**2)
    return np.where(m < mp - mc, width / decay_width(parent), 0.0)


def _b_to_kstar(m: np.ndarray, g: float) -> np.ndarray:
    """BR(B+ -> K*+ a) = |g|^2 lambda^(3/2) A0^2 / (64 pi m_B^3) / Gamma_B (module docstring; g in MeV^-1)."""
    from na62lab.fips.dark_scalar import _a0_bkstar

    mb, mk = pdg_mass("B+"), pdg_mass("K*(892)+")
    lam = np.clip(kallen(mb**2, mk**2, m * m), 0.0, None)
    width = g**2 * lam**1.5 * _a0_bkstar(m * m) ** 2 / (64 * np.pi * mb**3)
    return np.where(m < mb - mk, width / decay_width("B+"), 0.0)


def _b_modes(m: np.ndarray, g: float) -> dict[str, np.ndarray]:
    return {"B->Ka": _p_to_p(m, "B+", "K+", g, _f0_bk), "B->K*a": _b_to_kstar(m, g)}


PRODUCTION_LIMITS = {"K+->pi+a": ("K+", "pi+"), "KL->pi0a": ("K0L", "pi0"), "B->Ka": ("B+", "K+"),
                     "B->K*a": ("B+", "K*(892)+"), "B->Xsa": ("B+", "K*(892)+")}
"""Parent and recoil of each production channel (kinematic limit m_parent - m_recoil; X_s: the K*(892)
stand-in of :mod:`na62lab.generation.dump.channels`)."""


def top_loop_production(m: np.ndarray, cff: float) -> dict[str, np.ndarray]:
    """BR(K+ -> pi+ a), BR(K_L -> pi0 a), BR(B+ -> K+ a), BR(B+ -> K*+ a) through the top Yukawa, with the
    one-loop RG coefficient of :func:`na62lab.fips.alp_flavour.universal_fermion_fcnc_coefficient` (module
    docstring).

    Form factors f0^{K pi} = 0.96 and f0^{BK}(q^2) = 0.33/(1 - q^2/38 GeV^2) (as for the dark
    scalar, arXiv:1904.10447 App. C); K_L only through Im(lambda_t) (CP).

    Parameters
    ----------
    m : ndarray
        ALP mass in MeV.
    cff : float
        c_ff/Lambda = c_tt/Lambda in MeV^-1.
    """
    pref = universal_fermion_fcnc_coefficient(LAMBDA_UV) * cff
    modes = _top_loop_modes(m, pref)
    # an inclusive rate is at least that of its exclusive parts: the quark-level formula, which closes at
    # m_b instead of m_B - m_K, falls below B -> K a + B -> K* a above 3.6 GeV (module docstring)
    inclusive = np.maximum(_inclusive_b_to_s(m, pref * CKM["ts"] * CKM["tb"]), modes["B->Ka"] + modes["B->K*a"])
    return modes | {"B->Xsa": inclusive}


def _inclusive_b_to_s(m: np.ndarray, g: float) -> np.ndarray:
    """BR(B -> X_s a) from b -> s a over b -> c l nu times BR(B -> X_c l nu) (module docstring; g in MeV^-1),
    with the dark scalar's normalisation (:func:`na62lab.fips.dark_scalar.b_semileptonic_normalisation`)."""
    mb, semileptonic = b_semileptonic_normalisation()
    x = np.clip(1.0 - m * m / mb**2, 0.0, None)
    return np.where(m < mb, BR_B_XC_LNU * g**2 * mb**3 * x**2 / (32.0 * np.pi) / semileptonic, 0.0)


def ils_leading_log(cff: float) -> float:
    """Leading-log top-loop coefficient times c_ff/Lambda of Izaguirre, Lin, Shuve (arXiv:1611.09355),
    3 sqrt(2) G_F m_t^2 ln(Lambda_UV^2/m_t^2)/(16 pi^2) (MeV^-1), BC10 before the RG coefficient;
    kept for :func:`bsa_gluon_leading_log` and for comparisons, not used for BC10 yields."""
    return float(3 * np.sqrt(2) * G_FERMI * M_TOP**2 * cff * np.log(LAMBDA_UV**2 / M_TOP**2) / (16 * np.pi**2))


def _top_loop_modes(m: np.ndarray, pref: float) -> dict[str, np.ndarray]:
    """K+ -> pi+ a, K_L -> pi0 a, B -> K(*) a for g_ij = pref |V_ti V_tj| (pref in MeV^-1)."""
    lt = lambda_t()
    g_sd, g_bs = pref * abs(lt), pref * CKM["ts"] * CKM["tb"]
    flat = lambda q2: F0_K_PI + 0 * q2
    return {"K+->pi+a": _p_to_p(m, "K+", "pi+", g_sd, flat),
            "KL->pi0a": _p_to_p(m, "K0L", "pi0", g_sd * abs(lt.imag) / abs(lt), flat)} | _b_modes(m, g_bs)


def _gluon_g_bs(cGG: float) -> float:
    """|g_bs| (MeV^-1) that gives BR(B+ -> K+ a) = BR_BKA_GLUON_1GEV (1/f_G)^2 at m_a = 1 GeV."""
    one = np.array([1.0 * GeV])
    per_g2 = float(_p_to_p(one, "B+", "K+", 1.0, _f0_bk)[0])
    inv_fg = 32 * np.pi**2 * cGG
    return float(np.sqrt(BR_BKA_GLUON_1GEV / per_g2)) * abs(inv_fg)


def b_gluon_production(m: np.ndarray, cGG: float) -> dict[str, np.ndarray]:
    """BR(B+ -> K+ a) and BR(B+ -> K*+ a) of a gluon-coupled ALP (arXiv:2102.04474; module docstring).

    Parameters
    ----------
    m : ndarray
        ALP mass in MeV.
    cGG : float
        C_GG/Lambda in MeV^-1 (1/f_G = 32 pi^2 C_GG/Lambda).
    """
    return _b_modes(np.asarray(m, dtype=float), _gluon_g_bs(cGG))


def bsa_gluon_leading_log(m: np.ndarray, cGG: float) -> np.ndarray:
    """BR(B+ -> K+ a) of a gluon ALP in the leading double logarithm (cross-check, not used for yields).

    The gluon coupling c_GG (alpha_s/4 pi)(a/f) G Gtilde (c_GG = 16 pi^2 C_GG) induces below
    Lambda = 1 TeV the top coupling dc_tt/dln mu = (2 alpha_s^2/pi^2) c_GG (Bauer et al.
    arXiv:2012.12272 sec. 4, evolution above the weak scale, Yukawa terms dropped), so
    c_tt(mu) = -(2 alpha_s^2/pi^2) c_GG ln(Lambda/mu); a leading-log top loop
    integrates c_tt over ln mu^2 between m_t and Lambda (L = ln(Lambda/m_t)): 2 int_0^L c_tt dl
    = -(2 alpha_s^2/pi^2) c_GG L^2, which is the constant-coupling result c_tt 2L with
    c_tt,eff = -(alpha_s^2/pi^2) c_GG L.  alpha_s = :data:`ALPHA_S_TOP_TEV` (fixed); the top loop with the
    leading-log coefficient of Izaguirre, Lin, Shuve (:func:`ils_leading_log`), as when this cross-check was made.

    Parameters
    ----------
    m : ndarray
        ALP mass in MeV.
    cGG : float
        C_GG/Lambda in MeV^-1.
    """
    log = np.log(LAMBDA_UV / M_TOP)
    c_tt_eff = -(ALPHA_S_TOP_TEV**2 / np.pi**2) * 16 * np.pi**2 * cGG * log
    return _top_loop_modes(np.asarray(m, dtype=float), ils_leading_log(c_tt_eff))["B->Ka"]


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
    width = amp**2 * two_body_momentum(mk, mpi, np.sqrt(m2), below=0.0) / (8 * np.pi * mk**2)
    return np.where(np.sqrt(m2) < mk - mpi, width / decay_width("K+"), 0.0)


def vmd_suppression(m: np.ndarray) -> np.ndarray:
    """Data-driven suppression F(m_a) of the ALP-hadron couplings (arXiv:1811.03474 supplement).

    F = 1 below 1.4 GeV and (1.4 GeV/m)^4 above 2 GeV, with the cubic interpolation
    between them used by ALPINIST (arXiv:2201.05170): 5.7022 x^3 - 29.4815 x^2 + 49.0191 x - 25.4899,
    x = m/GeV (APPROXIMATE: a fit to the figure of the supplement).
    """
    x = np.asarray(m, dtype=float) / GeV
    cubic = 5.7022 * x**3 - 29.4815 * x**2 + 49.0191 * x - 25.4899
    return np.where(x <= 1.4, 1.0, np.where(x <= 2.0, cubic, (1.4 / np.maximum(x, 1e-9)) ** 4))


def mixing_angles(m: np.ndarray, cGG: float, cff: float = 0.0, widths: bool = False) -> dict[str, np.ndarray]:
    """ALP-pi0, ALP-eta and ALP-eta' mixing angles (dimensionless; module docstring).

    With c_q = 2 c_ff/Lambda + 64 pi^2 kappa_q C_GG (kappa_q = m_q^-1/sum m_q'^-1, q = u, d, s):

        theta_P = F(m) (-F_pi/(2 Lambda)) (K_aP m^2 + m_aP^2)/(m^2 - m_P^2),

    K_api = -(1/2)[c_u - c_d - delta_I m_pi^2/3 ((c_u + c_d + 2 c_s)/(m^2 - m_eta'^2)
             + 2 (c_u + c_d - c_s)/(m^2 - m_eta^2))],
    K_aeta, K_aeta' the corresponding eta/eta' projections (angle theta = arcsin(-1/3)),
    m_aeta^2 = -64 pi^2 C_GG sqrt(6) B0 sin(theta)/sum m_q^-1, m_aeta'^2 = +... cos(theta), m_api^2 = 0.

    Quark normalisation: c_q here is twice the derivative coupling c_qq of arXiv:1708.00443 eq. (1)
    (that is what the gluon rotation 64 pi^2 kappa_q C_GG amounts to: arXiv:1708.00443 Sec. 3 puts
    C_GG (m_d - m_u)/(m_u + m_d) and (c_uu - c_dd)/(32 pi^2) side by side in the ALP-pi0 term of
    C_gamma gamma^eff, with kappa_u - kappa_d = (m_d - m_u)/(m_u + m_d)), so a universal coupling enters
    as c_u = c_d = c_s = 2 c_ff/Lambda.  Checks: (i) the kinetic mixing of (c_ff/2)(d_mu a/Lambda) qbar gamma^mu
    gamma_5 q with the axial currents, <0|A_mu^a|P^b> = i F_pi p_mu delta^ab, gives theta_api = F_pi (c_uu - c_dd)
    m^2/(2 Lambda (m^2 - m_pi^2)), the same; (ii) with it, sum_P theta_P g_P gamma gamma tends for m >> m_P to
    the perturbative u, d, s loops of arXiv:1708.00443 (B1 = 1), and the mixing-only a -> gamma gamma width
    is 0.78-0.89 of that of Dalla Valle Garcia et al., arXiv:2310.03524, at 0.4-0.5 and 0.8-1.4 GeV, 1.18 and
    0.59 at 0.6 and 0.7 GeV around the eta/eta' zero (tests/fips/test_alp_fermion_gkoz.py).  Before commit
    437e58a c_u = c_ff/(2 Lambda) was used: fermion-ALP angles 4x too small (16x in the mixing rate).

    Parameters
    ----------
    m : ndarray
        ALP mass in MeV.
    cGG, cff : float
        C_GG/Lambda and c_ff/Lambda in MeV^-1.
    widths : bool
        If True, every meson pole 1/(m^2 - m_P^2) gets the Breit-Wigner width, 1/(m^2 - m_P^2 + i m_P Gamma_P)
        (PDG widths), and the angles are complex and finite at the poles (for the a -> gamma gamma amplitude).
    """
    m2 = np.asarray(m, dtype=float) ** 2
    inv = np.array([1 / M_U, 1 / M_D, 1 / QUARK_MASS_2GEV["s"]])
    kappa = inv / inv.sum()
    cu, cd, cs = 2 * cff + 64 * np.pi**2 * kappa * cGG
    mpi2, meta2, metap2 = (pdg_mass(p) ** 2 for p in ("pi0", "eta", "eta'"))
    # Breit-Wigner widths i m_P Gamma_P (0 unless ``widths``)
    bw = {p: 1j * pdg_mass(p) * decay_width(p) if widths else 0.0 for p in ("pi0", "eta", "eta'")}
    d_pi, d_eta, d_etap = m2 - mpi2 + bw["pi0"], m2 - meta2 + bw["eta"], m2 - metap2 + bw["eta'"]
    b0 = mpi2 / (M_U + M_D)
    cos, sin = np.cos(THETA_ETA_ETAP), np.sin(THETA_ETA_ETAP)
    k_pi = -0.5 * (cu - cd - ISOSPIN * mpi2 / 3 * ((cu + cd + 2 * cs) / d_etap + 2 * (cu + cd - cs) / d_eta))
    light = cu + cd - ISOSPIN * mpi2 * (cu - cd) / d_pi
    k_eta = -0.5 * (light * (cos / np.sqrt(3) - np.sqrt(2 / 3) * sin)
                    - cs * (2 * cos / np.sqrt(3) + np.sqrt(2 / 3) * sin))
    k_etap = -0.5 * (light * (sin / np.sqrt(3) + np.sqrt(2 / 3) * cos)
                     - cs * (2 * sin / np.sqrt(3) - np.sqrt(2 / 3) * cos))
    mass_mix = 64 * np.pi**2 * cGG * np.sqrt(6) * b0 / inv.sum()
    pref = vmd_suppression(np.sqrt(m2)) * (-F_PI_MIX / 2)
    return {"pi0": pref * k_pi * m2 / d_pi,
            "eta": pref * (k_eta * m2 - mass_mix * sin) / d_eta,
            "eta'": pref * (k_etap * m2 + mass_mix * cos) / d_etap}


def _photon_trace(meson: str) -> float:
    """Tr(Q^2 T_P) of the U(3) generator T_P of pi0, eta, eta' (Tr T_P^2 = 1/2; eta = cos(theta) eta_8 -
    sin(theta) eta_0, eta' = sin(theta) eta_8 + cos(theta) eta_0, theta = arcsin(-1/3), as in
    :func:`mixing_angles`); Q^2 = diag(4/9, 1/9, 1/9) over u, d, s."""
    cos, sin = np.cos(THETA_ETA_ETAP), np.sin(THETA_ETA_ETAP)
    light_s = {"pi0": (0.5, -0.5, 0.0),
               "eta": ((cos / np.sqrt(6) - sin / np.sqrt(3)) / np.sqrt(2),) * 2
               + ((-2 * cos / np.sqrt(6) - sin / np.sqrt(3)) / np.sqrt(2),),
               "eta'": ((sin / np.sqrt(6) + cos / np.sqrt(3)) / np.sqrt(2),) * 2
               + ((-2 * sin / np.sqrt(6) + cos / np.sqrt(3)) / np.sqrt(2),)}[meson]
    return float(np.dot((4 / 9, 1 / 9, 1 / 9), light_s))


def mixing_photon_coupling(m: np.ndarray, cff: float) -> np.ndarray:
    """u, d, s part of C_gamma gamma^eff (MeV^-1, complex) of a fermion-coupled ALP through its pi0, eta, eta'
    admixture, for the chiral regime (m below ~1.5 GeV).

    C = sum_P theta_P g_P / (16 pi alpha), with the angles of :func:`mixing_angles` (C_GG = 0; Breit-Wigner
    widths at the poles) and the leading-order anomaly couplings g_P = (alpha/(pi F_pi)) 2 N_c Tr(Q^2 T_P)
    (Wess-Zumino-Witten; Gamma(P -> gamma gamma) = g_P^2 m_P^3/(64 pi): 7.6 eV, 0.60 keV, 4.9 keV for
    pi0, eta, eta', PDG 0.516 and 4.3 keV for eta, eta'), normalised as Gamma = 4 pi alpha^2 m^3 |C|^2 of
    arXiv:1708.00443 Sec. 3.  F_pi cancels between angle and coupling.  For m >> m_P it tends to the
    perturbative u, d, s loops N_c Q_q^2 c_ff B1/(16 pi^2) with B1 = 1 (times the suppression F(m)); for
    m << m_pi it vanishes as m^2 (the derivative coupling decouples, as the (c_uu - c_dd) term of
    arXiv:1708.00443 Sec. 3).  Dalla Valle Garcia et al. (arXiv:2310.03524) compute the same mixing
    contributions (their a -> gamma gamma has the pi0, eta, eta' poles and the eta/eta' cancellation near
    0.65 GeV); APPROXIMATE: leading order, no vector-meson form factors.

    Parameters
    ----------
    m : ndarray
        ALP mass in MeV.
    cff : float
        c_ff/Lambda in MeV^-1.
    """
    angles = mixing_angles(np.asarray(m, dtype=float), 0.0, cff, widths=True)
    total = np.zeros(np.shape(m), dtype=complex)
    for meson, angle in angles.items():
        total = total + angle * 6 * _photon_trace(meson)
    return total / (16 * np.pi**2 * F_PI_MIX)
