"""Three-body semileptonic production of heavy neutral leptons, P -> P' l+ N (D -> K, B -> D(s), B(s) -> pi, K).

The amplitude is that of the Standard-Model semileptonic decay with the
neutrino replaced by N (Bondarenko, Boyarsky, Gorbunov, Ruchayskiy,
arXiv:1805.08567 Sec. 3.2 and App. C; Gorbunov, Shaposhnikov arXiv:0705.1729 App. B):

    M = (G_F/sqrt 2) V_UD U_l H_mu ubar_N gamma^mu (1 - gamma_5) v_l,
    H^mu = <P'|V^mu|P> = f_+(q^2) (p + p')^mu + f_-(q^2) q^mu,  q = p - p',
    f_- = (f_0 - f_+)(m_P^2 - m_P'^2)/q^2.

Summed over spins (the lepton masses drop out of the trace, the epsilon
tensor drops against the symmetric hadronic tensor):

    |M|^2 = 4 G_F^2 |V|^2 U^2 [2 (H.p_N)(H.p_l) - H^2 (p_N.p_l)],

and Gamma = (1/(2 pi)^3) (1/(32 m_P^3)) Int |M|^2 dq^2 ds with
s = (p' + p_l)^2 (PDG kinematics review, eq. (49.22)); the Dalitz integral is
done with 24 x 24 Gauss-Legendre points (relative accuracy < 1e-4), vectorised
over the HNL mass.  For m_N, m_l -> 0 it reproduces
dGamma/dq^2 = G_F^2 |V|^2 |p'|^3 |f_+|^2 / (24 pi^3) (tested).

Form factors:

* D -> K, single pole (APPROXIMATE, ~10 % in the rate): f_+(0) = f_0(0) = 0.7385 (FLAG 2021,
  arXiv:2111.09849, N_f = 2+1+1 average), vector pole m(D_s*+), scalar pole m(D_s0*(2317)+) (PDG masses
  from the particle package);
* B -> D, heavy-quark parametrisation of Caprini, Lellouch, Neubert (hep-ph/9712417, the B -> D l nu
  form factors V_1 and S_1 in w = v.v'), z = (sqrt(w + 1) - sqrt 2)/(sqrt(w + 1) + sqrt 2), r = m_D/m_B:

      V_1(w) = V_1(1) [1 - 8 rho^2 z + (51 rho^2 - 10) z^2 - (252 rho^2 - 84) z^3],
      S_1(w) / V_1(w) = 1.0036 [1 - 0.0068 (w - 1) + 0.0017 (w - 1)^2 - 0.0013 (w - 1)^3],
      f_+ = (1 + r)/(2 sqrt r) V_1,   f_0 = 2 r (w + 1)/(1 + r)^2 S_1 / V_1 f_+,

  with the HFLAV fit of the measured B -> D l nu spectra quoted by PDG 2024 (|V_cb| V_1(1) = 41.21e-3,
  rho^2 = 1.128; V_1(1) = that / our |V_cb|): BR(B -> D l nu) at m_N -> 0 is the measured one by construction
  of the fit (tested against the PDG BRs), and the shape at large q^2 (heavy N) is the data's.  The single pole
  used before (f_+(0) = 0.664, HPQCD arXiv:1505.03925, B_c* pole 6.33 GeV) gave 0.88 x the PDG BR and
  0.90 / 0.80 / 0.75 x SensCalc's BR(B+ -> D0bar e+ N) at m_N = 0 / 2 / 3 GeV (SensCalc uses arXiv:1805.08567
  App. C); now tests/fips/test_hnl_reference_widths.py;
* B_s -> D_s: the B -> D parameters with the B_s and D_s masses (the same b -> c current; SU(3)-flavour
  approximation, APPROXIMATE ~5 %), tested against HPQCD's R(D_s) = BR(B_s -> D_s tau nu)/BR(B_s -> D_s l nu)
  = 0.2987(46) (McLean et al., PRD 101 (2020) 074513, arXiv:1906.00701) and the measured BR(B_s -> D_s- mu+ nu).

* b -> u (:data:`BCL_B_TO_PI`): B0 -> pi- l+ N, B+ -> pi0 l+ N (isospin: f^{B+ pi0} = f^{B0 pi-}/sqrt 2,
  :data:`ISOSPIN_RATE`) with the BCL z-expansion of Fermilab/MILC (Bailey et al., PRD 92 (2015) 014024,
  arXiv:1503.07839, eqs. (5.3)-(5.4), N_z = 4, t_0 = t_+ (1 - sqrt(1 - t_-/t_+)), B* pole in f_+ only):

      f_+ = [sum_{n<4} b_n^+ (z^n - (-1)^(n-4) (n/4) z^4)] / (1 - q^2/m_B*^2),   f_0 = sum_{n<4} b_n^0 z^n,
      z = (sqrt(t_+ - q^2) - sqrt(t_+ - t_0)) / (sqrt(t_+ - q^2) + sqrt(t_+ - t_0)),  t_+- = (m_B +- m_pi)^2,

  coefficients of their combined lattice + BaBar/Belle q^2-spectrum fit (Sec. VI, Table XIX as HAMMER's
  FFBtoPiBCL cites it, with the same numbers and z-variable: b^+ = 0.419, -0.495, -0.43, 0.22; b^0 = 0.510,
  -1.700, 1.53, 4.52; HAMMER's q^2-constraint switch is off for them, f_+(0) / f_0(0) = 0.2533 / 0.2531
  without it), i.e. the measured spectrum shape with |V_ub| = 3.72e-3 of that fit; we use the PDG |V_ub|
  (:data:`na62lab.fips.constants.CKM`), so the rate is (3.82/3.72)^2 = 1.05 x the fit's (tested against PDG
  BR(B0 -> pi- l+ nu) = 1.50e-4).  The z-variable takes the B0, pi+ masses (:data:`B_TO_PI_T_PLUS_MINUS`) for
  B+ -> pi0 too, the isospin-rotated form factor being the same function of q^2: with the B+, pi0 masses
  f_+(0) / f_0(0) was 0.2509 / 0.2540 (1.2 % apart) against 0.2533 / 0.2531;
* B_s -> K- l+ N (:data:`BCL_BS_TO_K`): the FLAG 2021 average of the HPQCD, RBC/UKQCD and Fermilab/MILC
  lattice form factors (Aoki et al., arXiv:2111.09849, Sec. 8.3, Table 48: a^+ = 0.374, -0.672, 0.07, 1.34,
  N^+ = 4, B* pole as above; a^0 = 0.2203, 0.089, 0.24, f_0 = sum a_n^0 z^n / (1 - q^2/M_0^2), M_0 = 5.68 GeV
  (B*(0+))), read from two public transcriptions that agree on every number: HAMMER's FFBstoKBCL ("2111.09849
  Table 48") and the FLAG21 entry of the BFF code of Flynn, Juettner, Tsang (arXiv:2303.11285); 5.68 GeV is
  also Fermilab/MILC's f_0 pole there.  The z-variable is not the B -> pi one with B_s, K masses: its branch
  point is the lowest b -> u two-meson threshold, t_+ = (m_B + m_pi)^2 (HAMMER: (5.280 + 0.13957)^2 GeV^2;
  BFF evaluates the Fermilab/MILC 2019 input, arXiv:1901.02561, likewise), with t_- = (m_Bs - m_K)^2 and
  t_0 = t_+ (1 - sqrt(1 - t_-/t_+)), so z(0) = 0.204 (:data:`BS_TO_K_T_PLUS`, m_B0 + m_pi+).  The previous
  reading took t_+ = (m_Bs + m_K)^2 (z(0) = 0.146) and gave f_+(0) = 0.282 against f_0(0) = 0.238; with the
  right t_+ FLAG's central values give 0.2527 / 0.2484 (1.7 %, 1.6 sigma of the f_+(0) - f_0(0) uncertainty
  0.0026 from FLAG's correlation matrix as BFF lists it).  The exact kinematic constraint f_+(0) = f_0(0) is
  then imposed as HAMMER does for this table (q2cons = true): f_0 gains a term a_3^0 z^3 with a_3^0 =
  (f_+(0) - sum_{n<3} a_n^0 z(0)^n) / z(0)^3 = 0.50, which moves f_0 by at most 0.0043 over the physical
  region (|z| <= 0.204); without it f_- = (f_0 - f_+)(m_Bs^2 - m_K^2)/q^2 would grow as 1/q^2.  With the PDG
  |V_ub| this gives BR(B_s -> K- mu+ nu) = 1.39e-4, 1.31 x the PDG 2024 value 1.06e-4 (LHCb; 1.60e-4 =
  1.51 x in the previous reading; LHCb's |V_ub|/|V_cb| from this mode is low below q^2 = 7 GeV^2, where the
  lattice form factors are extrapolated); the rate is normalised to that BR at m_N -> 0 (:data:`BSK_BR_PDG`,
  factor 0.76, the lattice shape kept), as B -> rho in :mod:`na62lab.fips.hnl_semileptonic_vector`.  (The
  B -> pi coefficients with the B_s, K masses, SU(3), would give 2.0x the PDG BR.)

Vector recoils: B -> D* l N and D -> K* l N are in :mod:`na62lab.fips.hnl_semileptonic_vector`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from na62lab.fips.constants import CKM, G_FERMI
from na62lab.physics.particles import decay_width
from na62lab.physics.particles import mass as pdg_mass

__all__ = ["CHANNELS", "FORM_FACTORS", "semileptonic_width", "semileptonic_br", "form_factors", "dalitz_density"]

FORM_FACTORS: dict[str, tuple[float, float, float]] = {
    "DK": (0.7385, pdg_mass("D(s)*+"), pdg_mass("D(s0)*(2317)+")),
}
"""Single-pole transitions: f(0), vector-pole and scalar-pole masses (MeV) (module docstring)."""

CLN_B_TO_D: tuple[float, float] = (41.21e-3 / CKM["cb"], 1.128)
"""(V_1(1), rho^2) of the CLN B -> D form factors: PDG 2024 |V_cb| x G(1) from B -> D l nu (HFLAV
evaluation, 41.21e-3, with rho^2 = 1.128) over our |V_cb| (module docstring).  Used by "BD" and "BsDs"."""

BCL_B_TO_PI: dict[str, tuple[float, ...]] = {"plus": (0.419, -0.495, -0.43, 0.22), "zero": (0.510, -1.700, 1.53, 4.52)}
"""BCL coefficients b_n^+, b_n^0 of B -> pi (Fermilab/MILC arXiv:1503.07839, lattice + experiment fit; module
docstring)."""
B_TO_PI_T_PLUS_MINUS: tuple[float, float] = ((pdg_mass("B0") + pdg_mass("pi+")) ** 2,
                                             (pdg_mass("B0") - pdg_mass("pi+")) ** 2)
"""t_+ and t_- (MeV^2) of the B -> pi z-variable, B0 and pi+ masses for B0 -> pi- and B+ -> pi0 alike: the
channel's own masses (B+, pi0) would move z(0) and break f_+(0) = f_0(0) by 1.2 % (module docstring)."""
BCL_BS_TO_K: dict[str, tuple[float, ...]] = {"plus": (0.374, -0.672, 0.07, 1.34), "zero": (0.2203, 0.089, 0.24)}
"""FLAG 2021 BCL coefficients a_n^+, a_n^0 of B_s -> K (arXiv:2111.09849 Table 48; module docstring).  f_0
also gets the a_3^0 z^3 term fixed by f_+(0) = f_0(0) (:func:`_bcl`)."""
BS_TO_K_SCALAR_POLE = 5680.0
"""M_0 of the f_0 pole of B_s -> K in FLAG's BCL form, MeV (B*(0+); FLAG 2021 as transcribed by HAMMER and by
Fermilab/MILC 2019 in BFF; module docstring)."""
BS_TO_K_T_PLUS = (pdg_mass("B0") + pdg_mass("pi+")) ** 2
"""t_+ of the B_s -> K z-variable, MeV^2: the B pi threshold of the b -> u current, not (m_Bs + m_K)^2
(FLAG 2021 / Fermilab/MILC 2019 convention; module docstring)."""
BSK_BR_PDG = 1.06e-4
"""BR(B_s -> K- mu+ nu), PDG 2024 (LHCb): normalises the B_s -> K rate (module docstring)."""
ISOSPIN_RATE: dict[str, float] = {"pi0": 0.5, "rho(770)0": 0.5}
"""Rate factor of a neutral recoil of a charged B: |<pi0|ubar gamma b|B+>|^2 = |<pi-|...|B0>|^2 / 2 (the pi0
is (u ubar - d dbar)/sqrt 2), the same for the rho0 (:mod:`na62lab.fips.hnl_semileptonic_vector`)."""

CHANNELS: dict[str, tuple[str, str, str, str]] = {
    # name prefix: (parent, recoil, CKM element, form factor)
    "D0->K-": ("D0", "K-", "cs", "DK"),
    "D+->K0": ("D+", "K0S", "cs", "DK"),
    "B+->D0": ("B+", "D~0", "cb", "BD"),
    "B0->D-": ("B0", "D-", "cb", "BD"),
    "Bs0->Ds-": ("Bs0", "D(s)-", "cb", "BsDs"),
    "B0->pi-": ("B0", "pi-", "ub", "Bpi"),
    "B+->pi0": ("B+", "pi0", "ub", "Bpi"),
    "Bs0->K-": ("Bs0", "K-", "ub", "BsK"),
}
"""Three-body channels: key prefix -> (parent, recoil meson, |V| element, form-factor set).
The full key appends the lepton, e.g. ``"D0->K-e+N"``."""

_GL_X, _GL_W = np.polynomial.legendre.leggauss(24)


def _cln_b_to_d(q2: np.ndarray, m_parent: float, m_child: float) -> tuple[np.ndarray, np.ndarray]:
    """(f_+, f_0)(q^2) of B -> D in the CLN parametrisation (module docstring; q^2 in MeV^2)."""
    v1_at_1, rho2 = CLN_B_TO_D
    r = m_child / m_parent
    w = (m_parent**2 + m_child**2 - q2) / (2 * m_parent * m_child)
    z = (np.sqrt(w + 1) - np.sqrt(2.0)) / (np.sqrt(w + 1) + np.sqrt(2.0))
    v1 = v1_at_1 * (1 - 8 * rho2 * z + (51 * rho2 - 10) * z**2 - (252 * rho2 - 84) * z**3)
    s1_over_v1 = 1.0036 * (1 - 0.0068 * (w - 1) + 0.0017 * (w - 1) ** 2 - 0.0013 * (w - 1) ** 3)
    fplus = (1 + r) / (2 * np.sqrt(r)) * v1
    return fplus, 2 * r * (w + 1) / (1 + r) ** 2 * s1_over_v1 * fplus


def _bcl_z(q2: np.ndarray | float, t_plus: float, t_minus: float) -> np.ndarray:
    """BCL z(q^2) with t_0 = t_+ (1 - sqrt(1 - t_-/t_+)) (arXiv:1503.07839, module docstring); q^2, t_+- in MeV^2."""
    t_0 = t_plus * (1 - np.sqrt(1 - t_minus / t_plus))
    root_q, root_0 = np.sqrt(np.clip(t_plus - np.asarray(q2, dtype=float), 0.0, None)), np.sqrt(t_plus - t_0)
    return (root_q - root_0) / (root_q + root_0)


def _bcl_plus_sum(z: np.ndarray, coefficients: tuple[float, ...]) -> np.ndarray:
    """sum_n b_n (z^n - (-1)^(n-N) (n/N) z^N) of the BCL f_+ (arXiv:1503.07839 eq. (5.3)), without the pole."""
    n_z = len(coefficients)
    return sum((b * (z**n - (-1.0) ** (n - n_z) * n / n_z * z**n_z) for n, b in enumerate(coefficients)),
               np.zeros_like(z))


def _bcl(q2: np.ndarray, m_parent: float, m_child: float, transition: str) -> tuple[np.ndarray, np.ndarray]:
    """(f_+, f_0)(q^2) of B -> pi (``"Bpi"``, arXiv:1503.07839 eqs. (5.3)-(5.4)) or B_s -> K (``"BsK"``, FLAG
    2021 Table 48, t_+ at the B pi threshold, f_+(0) = f_0(0) imposed) in the BCL z-expansion (module
    docstring; q^2 in MeV^2)."""
    if transition == "Bpi":  # the fit's z-variable, also for B+ -> pi0 (module docstring)
        coefficients, t_plus, t_minus = BCL_B_TO_PI, B_TO_PI_T_PLUS_MINUS[0], B_TO_PI_T_PLUS_MINUS[1]
    else:
        coefficients, t_plus, t_minus = BCL_BS_TO_K, BS_TO_K_T_PLUS, (m_parent - m_child) ** 2
    z = _bcl_z(q2, t_plus, t_minus)
    fplus = _bcl_plus_sum(z, coefficients["plus"])
    fzero = sum((b * z**n for n, b in enumerate(coefficients["zero"])), np.zeros_like(z))
    if transition == "BsK":
        z_0, n_0 = _bcl_z(0.0, t_plus, t_minus), len(coefficients["zero"])
        f0_at_0 = sum(b * z_0**n for n, b in enumerate(coefficients["zero"]))
        a_n0 = (_bcl_plus_sum(z_0, coefficients["plus"]) - f0_at_0) / z_0**n_0
        fzero = (fzero + a_n0 * z**n_0) / (1 - q2 / BS_TO_K_SCALAR_POLE**2)
    return fplus / (1 - q2 / pdg_mass("B*+") ** 2), fzero


@lru_cache(maxsize=None)
def _bsk_norm() -> float:
    """PDG BR(B_s -> K- mu+ nu) over the FLAG-form-factor one at m_N -> 0 (module docstring): 0.76."""
    raw = float(semileptonic_width(np.array([1e-3]), "Bs0", "K-", pdg_mass("mu-"), "BsK-raw", CKM["ub"])[0])
    return BSK_BR_PDG * decay_width("Bs0") / raw


def form_factors(q2: np.ndarray, transition: str, m_parent: float, m_child: float) -> tuple[np.ndarray, np.ndarray]:
    """(f_+, f_-)(q^2) of ``"DK"`` (single poles), ``"BD"``, ``"BsDs"`` (CLN), ``"Bpi"``, ``"BsK"`` (BCL; B_s -> K
    normalised to the PDG BR, ``"BsK-raw"`` not); q^2 in MeV^2 (module docstring)."""
    if transition in ("BD", "BsDs"):
        fplus, fzero = _cln_b_to_d(np.asarray(q2, dtype=float), m_parent, m_child)
    elif transition in ("Bpi", "BsK", "BsK-raw"):
        fplus, fzero = _bcl(np.asarray(q2, dtype=float), m_parent, m_child, transition.removesuffix("-raw"))
        if transition == "BsK":
            fplus, fzero = fplus * np.sqrt(_bsk_norm()), fzero * np.sqrt(_bsk_norm())
    else:
        f0_at_0, m_v, m_s = FORM_FACTORS[transition]
        fplus = f0_at_0 / (1.0 - q2 / m_v**2)
        fzero = f0_at_0 / (1.0 - q2 / m_s**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        fminus = np.where(q2 > 0, (fzero - fplus) * (m_parent**2 - m_child**2) / np.where(q2 > 0, q2, 1.0), 0.0)
    return fplus, fminus


def _squared_amplitude(q2, s, mp, mc, ml, mn, transition):
    """4 |M|^2 / (G_F^2 |V|^2 U^2) ... returns [2 (H.pN)(H.pl) - H^2 (pN.pl)] (MeV^4)."""
    t = mp**2 + mc**2 + ml**2 + mn**2 - q2 - s
    nl = 0.5 * (q2 - mn**2 - ml**2)
    cn, cl = 0.5 * (t - mc**2 - mn**2), 0.5 * (s - mc**2 - ml**2)
    fp, fm = form_factors(q2, transition, mp, mc)
    h_n = fp * (2 * cn + nl + mn**2) + fm * (nl + mn**2)
    h_l = fp * (2 * cl + nl + ml**2) + fm * (nl + ml**2)
    h2 = fp**2 * (2 * mp**2 + 2 * mc**2 - q2) + 2 * fp * fm * (mp**2 - mc**2) + fm**2 * q2
    return 2 * h_n * h_l - h2 * nl


def dalitz_integral(m_n: np.ndarray, m_parent: float, m_child: float, lepton_mass: float, amplitude,
                    nodes: tuple[np.ndarray, np.ndarray] = (_GL_X, _GL_W)) -> np.ndarray:
    """Int ds dq^2 amplitude(q2, s, m_N) over the Dalitz region of P -> P' l N (MeV^4 x the amplitude's unit).

    q^2 = (p_l + p_N)^2, s = (p_P' + p_l)^2 (PDG kinematics review eq. (49.22)); Gauss-Legendre ``nodes`` in each
    variable (24 by default), s between its limits at each q^2.  ``amplitude(q2 (..., n, 1), s (..., n, n),
    mn (..., 1, 1))`` broadcasts; the result has the shape of ``m_n`` (MeV).  The one integrator of the meson,
    vector-meson and baryon semileptonic widths (:func:`semileptonic_width`,
    :func:`na62lab.fips.hnl_semileptonic_vector.vector_semileptonic_width`,
    :func:`na62lab.fips.hnl_baryon.baryon_width`); above the threshold m_P - m_P' - m_l it is not zero by itself.
    """
    gl_x, gl_w = nodes
    mp, mc, ml = m_parent, m_child, lepton_mass
    mn = np.asarray(m_n, dtype=float)[..., None, None]
    q2_lo, q2_hi = (ml + mn) ** 2, np.maximum((mp - mc) ** 2, (ml + mn) ** 2)
    q2 = 0.5 * (q2_hi - q2_lo) * gl_x[:, None] + 0.5 * (q2_hi + q2_lo)
    root = np.sqrt(q2)
    e_l = (q2 - mn**2 + ml**2) / (2 * root)
    e_c = (mp**2 - q2 - mc**2) / (2 * root)
    p_l = np.sqrt(np.clip(e_l**2 - ml**2, 0.0, None))
    p_c = np.sqrt(np.clip(e_c**2 - mc**2, 0.0, None))
    s_lo, s_hi = (e_l + e_c) ** 2 - (p_l + p_c) ** 2, (e_l + e_c) ** 2 - (p_l - p_c) ** 2
    s = 0.5 * (s_hi - s_lo) * gl_x[None, :] + 0.5 * (s_hi + s_lo)
    integrand = amplitude(q2, s, mn)
    inner = 0.5 * (s_hi - s_lo)[..., 0] * np.sum(gl_w[None, :] * integrand, axis=-1)
    return 0.5 * (q2_hi - q2_lo)[..., 0, 0] * np.sum(gl_w * inner, axis=-1)


def semileptonic_width(m_n: np.ndarray, parent: str, child: str, lepton_mass: float, transition: str,
                       ckm: float) -> np.ndarray:
    """Gamma(P -> P' l N) / U^2 in MeV for HNL masses ``m_n`` (MeV), Dalitz-integrated (module docstring).

    Parameters
    ----------
    m_n : ndarray
        HNL mass in MeV.
    parent, child : str
        Parent and recoil meson names (``particle`` package names).
    lepton_mass : float
        Charged-lepton mass in MeV.
    transition : str
        Form-factor set, ``"DK"`` or ``"BD"``.
    ckm : float
        |V_UD|.
    """
    mp, mc, ml = pdg_mass(parent), pdg_mass(child), lepton_mass
    outer = dalitz_integral(m_n, mp, mc, ml,
                            lambda q2, s, mn: _squared_amplitude(q2, s, mp, mc, ml, mn, transition))
    width = 4 * G_FERMI**2 * ckm**2 * outer / ((2 * np.pi) ** 3 * 32 * mp**3) * ISOSPIN_RATE.get(child, 1.0)
    return np.where(np.asarray(m_n) < mp - mc - ml, np.clip(width, 0.0, None), 0.0)


@lru_cache(maxsize=None)
def _parent_width(parent: str) -> float:
    return decay_width(parent)


def semileptonic_br(m_n: np.ndarray, channel: str, lepton_mass: float) -> np.ndarray:
    """BR(P -> P' l+ N) / U^2 of a :data:`CHANNELS` prefix (e.g. ``"D0->K-"``); masses in MeV."""
    parent, child, ckm, transition = CHANNELS[channel]
    return semileptonic_width(m_n, parent, child, lepton_mass, transition, CKM[ckm]) / _parent_width(parent)


def threshold(channel: str, lepton_mass: float) -> float:
    """Largest HNL mass (MeV) of a channel: m_P - m_P' - m_l."""
    parent, child, _, _ = CHANNELS[channel]
    return pdg_mass(parent) - pdg_mass(child) - lepton_mass


def dalitz_density(channel: str, lepton_mass: float, m_n: float, q2: np.ndarray, s: np.ndarray) -> np.ndarray:
    """|M|^2 (up to a constant) of P -> P' l+ N at Dalitz points q^2 = (p_l + p_N)^2, s = (p' + p_l)^2 (MeV^2).

    The density of the events in the Dalitz plane relative to flat phase space (PDG eq. (49.22)):
    used to weight flat phase-space samples (:func:`na62lab.generation.dump.mesons.parent_decay_sample`).
    """
    parent, child, _, transition = CHANNELS[channel]
    amp = _squared_amplitude(np.asarray(q2, float), np.asarray(s, float), pdg_mass(parent), pdg_mass(child),
                             lepton_mass, float(m_n), transition)
    return np.clip(amp, 0.0, None)
