"""Three-body production of heavy neutral leptons with a vector recoil, B -> D* l+ N (and B_s -> D_s*, D -> K*).

Standard-Model semileptonic amplitude with the neutrino replaced by N
(Bondarenko, Boyarsky, Gorbunov, Ruchayskiy, arXiv:1805.08567 Sec. 3.2 and App. C):

    M = (G_F/sqrt 2) V_cb U_l H_mu ubar_N gamma^mu (1 - gamma_5) v_l,
    H^mu = <D*(p', eps)| cbar gamma^mu (1 - gamma_5) b |B(p)>,
    <D*|V^mu|B> = 2 i V/(m_B + m_D*) eps^{mu nu rho sigma} eps*_nu p_rho p'_sigma,
    <D*|A^mu|B> = (m_B + m_D*) A1 eps*^mu - A2 (eps*.p)(p + p')^mu/(m_B + m_D*)
                  - 2 m_D* (eps*.p) q^mu (A3 - A0)/q^2,
    2 m_D* A3 = (m_B + m_D*) A1 - (m_B - m_D*) A2,  q = p - p'

(Wirbel, Stech, Bauer conventions, as in arXiv:1805.08567 App. C).  Summed over
the D* polarisations and the lepton spins, the part of |M|^2 that survives the
integration over the lepton angle is the symmetric one,

    |M|^2 = 4 G_F^2 |V_cb|^2 U^2 sum_eps [2 Re(H.p_N)(H*.p_l) - (H.H*)(p_N.p_l)]

(the epsilon-tensor term of the lepton trace is odd in the lepton angle in the
W* frame, and the V-A interference drops out of the symmetric part).  The
polarisation sum is done with explicit helicity vectors in the B rest frame, and
Gamma = (1/(2 pi)^3)(1/(32 m_B^3)) Int |M|^2 dq^2 ds, s = (p' + p_l)^2 (PDG
kinematics review eq. (49.22)), with 24 x 24 Gauss-Legendre points.

Form factors: heavy-quark parametrisation of Caprini, Lellouch, Neubert
(hep-ph/9712417, eqs. (35)-(36)) in w = v.v' with HFLAV 2019 fit values
(arXiv:1909.12524 Table 24): rho^2 = 1.122, R1(1) = 1.270, R2(1) = 0.852;
h_A1(1) = 0.904 (Fermilab/MILC arXiv:2105.14019); R0(1) = 1.14 (heavy-quark
symmetry estimate, Fajfer, Kamenik, Nisandzic arXiv:1203.2654 eq. (8); it only
enters through lepton-mass terms).  With r = 2 sqrt(m_B m_D*)/(m_B + m_D*):
A1 = r (w + 1)/2 h_A1, V = R1 h_A1/r, A2 = R2 h_A1/r, A0 = R0 h_A1/r.
Tested against BR(B0 -> D*- l+ nu) of the PDG.  APPROXIMATE (~5 % in the rate).
B_s -> D_s* l N (``Bs0->Ds*-``) takes the same CLN parameters with the B_s and D_s* masses (SU(3)-flavour
approximation, APPROXIMATE ~10 %): BR(B_s -> D_s*- mu+ nu) = 5.6 % (LHCb measured 5.4 %, arXiv:2001.03225;
unverified: recalled, the paper was not reachable from this build), 1.04 x our B0 -> D*- mu nu.

D -> K* l N (``D0->K*-``, ``D+->K*0``; the same amplitude with |V_cs|): single-pole form factors
V = r_V A1(0)/(1 - q^2/m(D_s*)^2), A1 = A1(0)/(1 - q^2/m(D_s1)^2), A2 = r_2 A1(0)/(1 - q^2/m(D_s1)^2),
ratios r_V = 1.411, r_2 = 0.788 and the pole masses as measured by BESIII in D+ -> K- pi+ e+ nu
(PRD 94 (2016) 032001, arXiv:1512.08627); A0 from A3(0) = A0(0) with its D_s pole (it enters only
through lepton- and N-mass terms).  A1(0) is fixed by the PDG 2024 BR(D+ -> K*(892)0bar e+ nu) =
5.40 % at m_N -> 0 (:data:`DKSTAR_BR_PDG`; gives A1(0) ~ 0.6); D0 -> K*- e+ nu then follows from the
lifetimes (tested against its PDG BR).  APPROXIMATE (~10 %: single poles, K* width neglected).

b -> u: B0 -> rho- l+ N, B+ -> rho0 l+ N (rate x 1/2, rho0 = (u ubar - d dbar)/sqrt 2), B_s -> K*- l+ N (the
same amplitude with |V_ub|): light-cone sum-rule form factors of Bharucha, Straub, Zwicky (BSZ, JHEP 08 (2016)
098, arXiv:1503.05534), eq. (11) F_i(q^2) = sum_k a_k^i [z(q^2) - z(0)]^k / (1 - q^2/m_R,i^2),
z = (sqrt(t_+ - q^2) - sqrt(t_+ - t_0))/(sqrt(t_+ - q^2) + sqrt(t_+ - t_0)), t_+- = (m_B +- m_V)^2,
t_0 = t_+ (1 - sqrt(1 - t_-/t_+)), poles m_R = 5.279 (A0), 5.324 (V), 5.716 GeV (A1, A12) (their Table 3,
b -> d; the b -> u poles are the same isospin multiplets), central a_k of their LCSR fits (the
arXiv:1503.05534v2 ancillary files, B -> rho and B_s -> K*; :data:`BSZ`); A2 from A12 by their eq. (5),
16 m_B m_V^2 (m_B + m_V) A12 = (m_B + m_V)^2 (m_B^2 - m_V^2 - q^2) A1 - lambda A2.  The rho and K* widths
are neglected (fixed recoil masses).  With the PDG |V_ub| = 3.82e-3 these LCSR form factors give
BR(B+ -> rho0 e+ nu) = 2.15e-4, 1.36 x the PDG 2024 BR(B+ -> rho0 l+ nu) = 1.58e-4 (the known tension of
B -> rho l nu: fitted with BSZ it prefers a lower |V_ub|); the rate is therefore normalised to that measured
BR at m_N -> 0 (:data:`BRHO_BR_PDG`, factor 0.73, the BSZ shape kept), as D -> K* above; B0 -> rho- then
follows from isospin and the lifetimes (2.92e-4, PDG 2.94e-4, tested).  B_s -> K* l nu is not measured: it
takes the same factor (ASSUMED, the same LCSR method and |V_ub|), BR(B_s -> K*- mu+ nu) = 2.46e-4.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from na62lab.fips.constants import CKM, G_FERMI
from na62lab.fips.hnl_semileptonic import ISOSPIN_RATE, _bcl_z, dalitz_integral
from na62lab.physics.particles import decay_width
from na62lab.physics.particles import mass as pdg_mass

__all__ = ["VECTOR_CHANNELS", "vector_form_factors", "vector_semileptonic_width", "vector_semileptonic_br",
           "vector_threshold", "vector_dalitz_density"]

VECTOR_CHANNELS: dict[str, tuple[str, str, str, str]] = {
    "B+->D*0": ("B+", "D*(2007)~0", "cb", "BD*"),
    "B0->D*-": ("B0", "D*(2010)-", "cb", "BD*"),
    "Bs0->Ds*-": ("Bs0", "D(s)*-", "cb", "BD*"),
    "D0->K*-": ("D0", "K*(892)-", "cs", "DK*"),
    "D+->K*0": ("D+", "K*(892)~0", "cs", "DK*"),
    "B0->rho-": ("B0", "rho(770)-", "ub", "Brho"),
    "B+->rho0": ("B+", "rho(770)0", "ub", "Brho"),
    "Bs0->K*-": ("Bs0", "K*(892)-", "ub", "BsK*"),
}
"""Key prefix -> (parent, recoil, |V| element, form-factor set); the full key appends the lepton,
e.g. ``"B0->D*-mu+N"``."""
DKSTAR = {"rV": 1.411, "r2": 0.788}
"""V(0)/A1(0) and A2(0)/A1(0) of D -> K* (BESIII, PRD 94 (2016) 032001)."""
DKSTAR_BR_PDG = 0.0540
"""BR(D+ -> K*(892)0bar e+ nu), PDG 2024: normalises A1(0) of D -> K*."""

BSZ: dict[str, dict[str, tuple[float, float, float]]] = {
    "Brho": {"A0": (0.356161, -0.833013, 1.33088), "A1": (0.261755, 0.393552, 0.163472),
             "A12": (0.296777, 0.758805, 0.464519), "V": (0.327414, -0.859703, 1.80233)},
    "BsK*": {"A0": (0.313562, -0.65825, 2.5656), "A1": (0.229573, 0.269837, 0.127316),
             "A12": (0.229271, 0.596532, 0.537308), "V": (0.295992, -0.902993, 2.64726)},
}
"""BSZ LCSR central coefficients a_0, a_1, a_2 (arXiv:1503.05534v2 ancillary fits; module docstring)."""
BSZ_POLES = {"A0": 5279.0, "V": 5324.0, "A1": 5716.0, "A12": 5716.0}
"""BSZ resonance masses (MeV) of the b -> d(u) form factors (arXiv:1503.05534 Table 3)."""
BRHO_BR_PDG = 1.58e-4
"""BR(B+ -> rho0 l+ nu), PDG 2024: normalises the BSZ B -> rho and B_s -> K* rates (module docstring)."""

CLN = {"rho2": 1.122, "R1": 1.270, "R2": 0.852, "R0": 1.14, "hA1": 0.904}
"""Caprini-Lellouch-Neubert parameters (module docstring)."""

_METRIC = np.array([1.0, -1.0, -1.0, -1.0])


def _bsz(q2: np.ndarray, m_b: float, m_v: float, form: str) -> tuple[np.ndarray, ...]:
    """(V, A0, A1, A2)(q^2) of B -> rho, B_s -> K* in the BSZ parametrisation (module docstring; MeV^2)."""
    t_plus, t_minus = (m_b + m_v) ** 2, (m_b - m_v) ** 2
    dz = _bcl_z(q2, t_plus, t_minus) - _bcl_z(0.0, t_plus, t_minus)   # the same z (and t_0) as BSZ eq. (11)
    ff = {k: sum(a * dz**n for n, a in enumerate(c)) / (1 - q2 / BSZ_POLES[k] ** 2) for k, c in BSZ[form].items()}
    lam = (t_plus - q2) * (t_minus - q2)
    with np.errstate(divide="ignore", invalid="ignore"):
        a2 = ((m_b + m_v) ** 2 * (m_b**2 - m_v**2 - q2) * ff["A1"]
              - 16 * m_b * m_v**2 * (m_b + m_v) * ff["A12"]) / np.where(lam > 0, lam, np.inf)
    return ff["V"], ff["A0"], ff["A1"], a2


def vector_form_factors(q2: np.ndarray, m_b: float, m_v: float, form: str = "BD*") -> tuple[np.ndarray, ...]:
    """(V, A0, A1, A2)(q^2) of B -> D* (CLN), of D -> K* with ``form="DK*"`` (single poles, A1(0) = 1:
    the width is rescaled by :func:`_dkstar_norm`) or of B -> rho, B_s -> K* (``"Brho"``, ``"BsK*"``, BSZ);
    module docstring, q^2 in MeV^2."""
    if form.removesuffix("-raw") in BSZ:
        return _bsz(q2, m_b, m_v, form.removesuffix("-raw"))
    if form in ("DK*", "unit"):
        mv_pole, ma_pole, mp_pole = pdg_mass("D(s)*+"), pdg_mass("D(s1)(2460)+"), pdg_mass("Ds+")
        a1 = 1.0 / (1 - q2 / ma_pole**2)
        a2 = DKSTAR["r2"] / (1 - q2 / ma_pole**2)
        a0_0 = ((m_b + m_v) - (m_b - m_v) * DKSTAR["r2"]) / (2 * m_v)
        return DKSTAR["rV"] / (1 - q2 / mv_pole**2), a0_0 / (1 - q2 / mp_pole**2), a1, a2
    w = (m_b**2 + m_v**2 - q2) / (2 * m_b * m_v)
    z = (np.sqrt(w + 1) - np.sqrt(2)) / (np.sqrt(w + 1) + np.sqrt(2))
    r2 = CLN["rho2"]
    h = CLN["hA1"] * (1 - 8 * r2 * z + (53 * r2 - 15) * z**2 - (231 * r2 - 91) * z**3)
    d = w - 1
    big_r1 = CLN["R1"] - 0.12 * d + 0.05 * d**2
    big_r2 = CLN["R2"] + 0.11 * d - 0.06 * d**2
    big_r0 = CLN["R0"] - 0.11 * d + 0.01 * d**2
    r = 2 * np.sqrt(m_b * m_v) / (m_b + m_v)
    return big_r1 * h / r, big_r0 * h / r, r * (w + 1) / 2 * h, big_r2 * h / r


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("...m,m,...m->...", a, _METRIC, b)


def _kinematics(q2, s, mp, mv, ml, mn):
    """Four-vectors (B rest frame, D* along +z, lepton in the xz plane) of p, p', p_l, p_N."""
    e_v = (mp**2 + mv**2 - q2) / (2 * mp)
    k_v = np.sqrt(np.clip(e_v**2 - mv**2, 0.0, None))
    t = mp**2 + mv**2 + ml**2 + mn**2 - q2 - s
    e_l = (mp**2 + ml**2 - t) / (2 * mp)
    k_l = np.sqrt(np.clip(e_l**2 - ml**2, 0.0, None))
    pv_pl = 0.5 * (s - mv**2 - ml**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        cos = np.clip(np.nan_to_num((e_v * e_l - pv_pl) / (k_v * k_l)), -1.0, 1.0)
    zero = np.zeros_like(q2)
    p = np.stack([zero + mp, zero, zero, zero], axis=-1)
    pv = np.stack([e_v, zero, zero, k_v], axis=-1)
    pl = np.stack([e_l, k_l * np.sqrt(1 - cos**2), zero, k_l * cos], axis=-1)
    return p, pv, pl, p - pv - pl, e_v, k_v


def _transverse_polarisations() -> np.ndarray:
    """eps*(+1), eps*(-1) of a vector moving along +z, shape (2, 4), complex (the same for every event)."""
    one = np.ones(1)
    zero = np.zeros(1)
    plus = np.stack([zero, -one, -1j * one, zero], axis=-1) / np.sqrt(2)
    minus = np.stack([zero, one, -1j * one, zero], axis=-1) / np.sqrt(2)
    return np.conj(np.concatenate([plus, minus]))


_EPS_TRANSVERSE = _transverse_polarisations()


def _contract(re: np.ndarray, im: np.ndarray, low: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(re + i im)^{k mu} x_mu summed over mu in the order 0..3, ``low`` = x_mu (..., 4) real: (..., 3) each."""
    x = low[..., None, :]
    out_re = ((re[..., 0] * x[..., 0] + re[..., 1] * x[..., 1]) + re[..., 2] * x[..., 2]) + re[..., 3] * x[..., 3]
    out_im = ((im[..., 0] * x[..., 0] + im[..., 1] * x[..., 1]) + im[..., 2] * x[..., 2]) + im[..., 3] * x[..., 3]
    return out_re, out_im


def _hadronic_current(q2, kin, mp, mv, form):
    """H^{k mu} = H_V - H_A of the module docstring per helicity k, real and imaginary parts (..., 3, 4).

    Real arithmetic in the operation order of the complex one, the terms that are products with an exact 0
    left out (adding them changes nothing).  With p = (m_B, 0) and p' = (E', 0, 0, k'): only
    eps^{12 0 3} p_0 p'_3 of the vector current survives (H_V^1 ~ eps*_2, H_V^2 ~ eps*_1, lower indices), the
    transverse eps* (mu = 1, 2 only) have eps*.p = 0, and the longitudinal one (mu = 0, 3, real) gives no H_V.
    """
    e_v, k_v = kin[4], kin[5]
    v, a0, a1, a2 = vector_form_factors(q2, mp, mv, form)
    a3 = ((mp + mv) * a1 - (mp - mv) * a2) / (2 * mv)
    with np.errstate(divide="ignore", invalid="ignore"):
        c_q = np.where(q2 > 0, 2 * mv * (a3 - a0) / np.where(q2 > 0, q2, 1.0), 0.0)
    c_a, c_b = (mp + mv) * a1, a2 / (mp + mv)
    h_re, h_im = np.zeros(np.shape(q2) + (3, 4)), np.zeros(np.shape(q2) + (3, 4))
    # transverse (k = 0, 1): 2 i V/(m_B + m_V) eps^{mu nu rho sigma} eps*_nu p_rho p'_sigma - (m_B + m_V) A1 eps*^mu
    e_re, e_im = _EPS_TRANSVERSE.real, _EPS_TRANSVERSE.imag                 # (2, 4)
    mp_kv, y = (mp * k_v)[..., None], (2 * (v / (mp + mv)))[..., None]
    pre = {1: (-mp_kv * (e_re[:, 2] * _METRIC[2]), -mp_kv * (e_im[:, 2] * _METRIC[2])),
           2: (mp_kv * (e_re[:, 1] * _METRIC[1]), mp_kv * (e_im[:, 1] * _METRIC[1]))}
    for mu, (pre_re, pre_im) in pre.items():
        h_re[..., :2, mu] = -(y * pre_im) - c_a[..., None] * e_re[:, mu]
        h_im[..., :2, mu] = y * pre_re - c_a[..., None] * e_im[:, mu]
    # longitudinal (k = 2): eps* = (k', 0, 0, E')/m_V, eps*.p = m_B k'/m_V
    ep = (k_v / mv) * mp
    for mu, e_mu, p_sum, q in ((0, k_v / mv, mp + e_v, mp - e_v), (3, e_v / mv, k_v, -k_v)):
        h_re[..., 2, mu] = -((c_a * e_mu - (c_b * ep) * p_sum) - (c_q * ep) * q)
    return h_re, h_im


def _squared_amplitude(q2, s, mp, mv, ml, mn, form="BD*"):
    """sum_eps [2 Re(H.p_N)(H*.p_l) - (H.H*)(p_N.p_l)] in MeV^4 (module docstring)."""
    kin = _kinematics(q2, s, mp, mv, ml, mn)
    pl, pn = kin[2], kin[3]
    h_re, h_im = _hadronic_current(q2, kin, mp, mv, form)
    hn_re, hn_im = _contract(h_re, h_im, pn * _METRIC)
    hl_re, hl_im = _contract(h_re, -h_im, pl * _METRIC)
    sq = [_METRIC[m] * (h_re[..., m] * h_re[..., m] + h_im[..., m] * h_im[..., m]) for m in range(4)]
    hh = ((sq[0] + sq[1]) + sq[2]) + sq[3]
    total = 2 * (hn_re * hl_re - hn_im * hl_im) - hh * _dot(pn, pl)[..., None]
    return total.sum(axis=-1)


def vector_semileptonic_width(m_n: np.ndarray, parent: str, child: str, lepton_mass: float,
                              ckm: float, order: int = 24, form: str = "BD*") -> np.ndarray:
    """Gamma(B -> D* l N) / U^2 in MeV for HNL masses ``m_n`` (MeV) (module docstring).

    Parameters
    ----------
    m_n : ndarray
        HNL mass in MeV.
    parent, child : str
        B and D* names (``particle`` package names).
    lepton_mass : float
        Charged-lepton mass in MeV.
    ckm : float
        |V_cb|.
    order : int
        Gauss-Legendre points per Dalitz variable.
    form : str
        Form-factor set: ``"BD*"`` (CLN), ``"DK*"`` (single poles normalised to the PDG BR), ``"Brho"`` or
        ``"BsK*"`` (BSZ, normalised to the PDG BR(B+ -> rho0 l+ nu); ``"Brho-raw"``: not normalised).
    """
    mp, mv, ml = pdg_mass(parent), pdg_mass(child), lepton_mass
    m_n = np.asarray(m_n, dtype=float)

    def amplitude(q2, s, mn):        # the vector current needs full-shape arrays
        q2b, sb = np.broadcast_arrays(q2, s)
        return _squared_amplitude(q2b, sb, mp, mv, ml, np.broadcast_to(mn, q2b.shape), form)

    outer = dalitz_integral(np.atleast_1d(m_n), mp, mv, ml, amplitude, np.polynomial.legendre.leggauss(order))
    width = 4 * G_FERMI**2 * ckm**2 * outer / ((2 * np.pi) ** 3 * 32 * mp**3) * ISOSPIN_RATE.get(child, 1.0)
    width = np.where(np.atleast_1d(m_n) < mp - mv - ml, np.clip(width, 0.0, None), 0.0)
    if form == "DK*":
        width = width * _dkstar_norm()
    elif form in BSZ:
        width = width * _bsz_norm()
    return width.reshape(m_n.shape)


@lru_cache(maxsize=None)
def _dkstar_norm() -> float:
    """A1(0)^2 of D -> K*: PDG BR(D+ -> K*0bar e+ nu) over the width with A1(0) = 1 (module docstring)."""
    unit = vector_semileptonic_width(np.array([1e-3]), "D+", "K*(892)~0", pdg_mass("e-"), CKM["cs"],
                                     form="unit")
    return float(DKSTAR_BR_PDG * _parent_width("D+") / unit[0])


@lru_cache(maxsize=None)
def _bsz_norm() -> float:
    """PDG BR(B+ -> rho0 e+ nu) over the BSZ one at m_N -> 0 (module docstring): 0.73."""
    bsz = vector_semileptonic_width(np.array([1e-3]), "B+", "rho(770)0", pdg_mass("e-"), CKM["ub"], form="Brho-raw")
    return float(BRHO_BR_PDG * _parent_width("B+") / bsz[0])


@lru_cache(maxsize=None)
def _parent_width(parent: str) -> float:
    return decay_width(parent)


TABLE_NODES = 65
"""HNL-mass nodes of the tabulated BR, m = m_max (1 - (1 - u)^2) for u uniform in [0, 1] (denser
towards the threshold), 16 x 16 Dalitz points each; linear interpolation between them
(relative error < 2 % below 95 % of the threshold against the 24 x 24 exact width, tested)."""


@lru_cache(maxsize=None)
def _br_table(channel: str, lepton_mass: float) -> tuple[np.ndarray, np.ndarray]:
    parent, child, ckm, form = VECTOR_CHANNELS[channel]
    u = np.linspace(0.0, 1.0, TABLE_NODES)
    nodes = vector_threshold(channel, lepton_mass) * (1 - (1 - u) ** 2)
    nodes[0] = 1e-3
    width = vector_semileptonic_width(nodes, parent, child, lepton_mass, CKM[ckm], order=16, form=form)
    return nodes, width / _parent_width(parent)


def vector_semileptonic_br(m_n: np.ndarray, channel: str, lepton_mass: float) -> np.ndarray:
    """BR(B -> D* l+ N) / U^2 of a :data:`VECTOR_CHANNELS` prefix (e.g. ``"B0->D*-"``); masses in MeV.

    Interpolated in a table of :data:`TABLE_NODES` exact widths per (channel, lepton), built once.
    """
    nodes, brs = _br_table(channel, float(lepton_mass))
    m = np.asarray(m_n, dtype=float)
    return np.where(m < nodes[-1], np.interp(m, nodes, brs), 0.0)


def vector_threshold(channel: str, lepton_mass: float) -> float:
    """Largest HNL mass (MeV) of a channel: m_P - m_V - m_l."""
    parent, child, _, _ = VECTOR_CHANNELS[channel]
    return pdg_mass(parent) - pdg_mass(child) - lepton_mass


def vector_dalitz_density(channel: str, lepton_mass: float, m_n: float, q2: np.ndarray,
                          s: np.ndarray) -> np.ndarray:
    """|M|^2 (up to a constant, lepton-angle-even part) of B -> D* l+ N at Dalitz points (MeV^2);
    see :func:`na62lab.fips.hnl_semileptonic.dalitz_density`."""
    parent, child, _, form = VECTOR_CHANNELS[channel]
    q2, s = np.broadcast_arrays(np.asarray(q2, float), np.asarray(s, float))
    amp = _squared_amplitude(q2, s, pdg_mass(parent), pdg_mass(child), lepton_mass, float(m_n), form)
    return np.clip(amp, 0.0, None)
