"""Heavy neutral leptons from semileptonic decays of charmed and beauty baryons, B1 -> B2 l N.

Channels (:data:`BARYON_CHANNELS`; charge conjugates implied, the production table sums them):
``Lambda(c)+ -> Lambda l+ N``, ``Xi(c)+ -> Xi0 l+ N``, ``Xi(c)0 -> Xi- l+ N`` (c -> s) and
``Lambda(b)0 -> Lambda(c)+ l- N``, ``Xi(b)0 -> Xi(c)+ l- N``, ``Xi(b)- -> Xi(c)0 l- N`` (b -> c).  The amplitude is the
Standard-Model one with the neutrino replaced by N (arXiv:1805.08567 Sec. 3.2 for the general structure; the
meson channels of :mod:`na62lab.fips.hnl_semileptonic` in the same conventions):

    M = (G_F/sqrt 2) V_QQ' U_l [ubar_2 gamma^mu (f - g gamma_5) u_1] [ubar_a gamma_mu (1 - gamma_5) v_b],

a the lepton-current fermion and b the antifermion: (a, b) = (N, l+) for c -> s, (l-, Nbar) for b -> c (the
charge conjugates have the same spin-summed Dalitz density).  With L = (f + g)/2, R = (f - g)/2, averaged over the
parent spin and summed over the others (trace algebra; the lepton masses drop out of the V-A lepton tensor
and enter through the kinematics only):

    <|M|^2> = 64 G_F^2 |V|^2 U^2 [L^2 (p_1.p_b)(p_2.p_a) + R^2 (p_1.p_a)(p_2.p_b) - L R m_1 m_2 (p_a.p_b)],

and Gamma = (1/(2 pi)^3) (1/(32 m_1^3)) Int <|M|^2> dq^2 ds, q^2 = (p_l + p_N)^2, s = (p_2 + p_l)^2 (PDG
kinematics review eq. (49.22)), 24 x 24 Gauss-Legendre points, the mesons' integrator
(:func:`na62lab.fips.hnl_semileptonic.dalitz_integral`).  Tested against the helicity
formula of Geng, Jin, Liu, PRD 107 (2023) 033008, eqs. (25), (27) at m_N = 0 with a massive charged lepton.

Form factors: only the Dirac vector and axial form factors f = f_1, g = g_1 (f_2 = f_3 = g_2 = g_3 = 0).  This is
exact at leading order of the heavy-quark expansion for Lambda_b -> Lambda_c (f_1 = g_1 = zeta(w), the baryonic
Isgur-Wise function; Isgur, Wise, Nucl. Phys. B348 (1991) 276) and APPROXIMATE for c -> s (a simple-pole
model normalised to the measured rate, instead of the lattice form factors of Meinel, PRL 118 (2017) 082001):

* c -> s (``"pole"``): f_1 = F(0) / (1 - q^2 / m(D_s*+)^2), g_1 = F(0) / (1 - q^2 / m(D_s1(2460)+)^2), the lowest
  c sbar 1- and 1+ states (the vector pole is that of the D -> K f_+ of :mod:`na62lab.fips.hnl_semileptonic`),
  g_1(0) = f_1(0) (quark model with a spin-0 light diquark);
* b -> c (``"iw"``): zeta(w) = 1 - rho^2 (w - 1) + sigma^2 (w - 1)^2 / 2, w = (m_1^2 + m_2^2 - q^2) / (2 m_1 m_2),
  rho^2 = 1.63, sigma^2 = 2.16 (LHCb, PRD 96 (2017) 112005, arXiv:1709.01920, fit of the measured
  Lambda_b -> Lambda_c mu nu spectrum; the values are in the body of the paper, not in its abstract, which quotes
  no number: section and equation not re-read in this session).

Shape sensitivity at fixed normalisation (measured with this module): rho^2 = 1.35 (QCD sum rules, Huang, Jin,
Koerner, Liu) instead of 1.63 gives x0.96 / 0.90 / 0.84 the Lambda_b -> Lambda_c mu N rate at 1 / 2 / 3 GeV, sigma^2 = 0
x1.08 / 1.18 / 1.23; both c -> s poles at m(D_s*) (at m(D_s1)) x1.02 / 1.07 (0.99 / 0.96) at 0.5 / 1 GeV.

Normalisation (:data:`BR_PDG`): the rate at m_N -> 0 with an electron (muon for Lambda_b) is the measured BR, the
form factors giving the q^2 shape only.  Lambda_c -> Lambda e nu: 3.56 % (PDG 2024, BESIII PRL 129 (2022)
231803); Xi_c0 -> Xi- e+ nu: 1.31 % (Belle, PRL 127 (2021) 121803, arXiv:2103.06496; +-0.39 %), Xi_c+ -> Xi0 e+ nu
by isospin: the Xi_c0 width (the same |F(0)|^2), so 1.31 % x tau(Xi_c+)/tau(Xi_c0) x phase space = 4.0 %;
Lambda_b -> Lambda_c mu nu: 6.2 % (PDG 2024, +1.4/-1.3 %), Xi_b -> Xi_c l nu: the Lambda_b |zeta(1)|^2 with the Xi_b,
Xi_c masses (SU(3) flavour and heavy-quark symmetry, APPROXIMATE ~20 %; 7.0 / 7.5 % for Xi_b0 / Xi_b-).
The pole model at f_1(0) = g_1(0) = 1 and the PDG |V_cs| gives 2.6 x the measured Lambda_c BR (f_1(0) = g_1(0) =
0.62 after normalising; the axial current, 3 |g_1|^2 near zero recoil, dominates), the Isgur-Wise one at zeta(1) = 1
and the PDG |V_cb| 1.07 x the Lambda_b BR (zeta(1) = 0.97 after normalising; tests/fips/test_hnl_baryon.py).
m_N -> 0 with a muon: BR(Lambda_c -> Lambda mu nu) = 3.44 % against the measured 3.48 +- 0.17 % (PDG 2024).
Omega_c0 (0.0004 per c cbar pair) and Omega_b- (0.0004 per b bbar pair) have no channel here.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from na62lab.fips.constants import CKM, G_FERMI
from na62lab.fips.hnl_semileptonic import dalitz_integral
from na62lab.physics.particles import decay_width
from na62lab.physics.particles import mass as pdg_mass

__all__ = ["BARYON_CHANNELS", "BR_PDG", "baryon_semileptonic_br", "baryon_threshold", "baryon_dalitz_density",
           "baryon_width", "channel_key"]

BARYON_CHANNELS: dict[str, tuple[str, str, str, str, str]] = {
    # key prefix: (parent, recoil baryon, CKM element, form-factor model, normalisation channel)
    "Lambda(c)+->Lambda": ("Lambda(c)+", "Lambda", "cs", "pole", "Lambda(c)+->Lambda"),
    "Xi(c)+->Xi0": ("Xi(c)+", "Xi0", "cs", "pole", "Xi(c)0->Xi-"),
    "Xi(c)0->Xi-": ("Xi(c)0", "Xi-", "cs", "pole", "Xi(c)0->Xi-"),
    "Lambda(b)0->Lambda(c)+": ("Lambda(b)0", "Lambda(c)+", "cb", "iw", "Lambda(b)0->Lambda(c)+"),
    "Xi(b)0->Xi(c)+": ("Xi(b)0", "Xi(c)+", "cb", "iw", "Lambda(b)0->Lambda(c)+"),
    "Xi(b)-->Xi(c)0": ("Xi(b)-", "Xi(c)0", "cb", "iw", "Lambda(b)0->Lambda(c)+"),
}
"""Baryon channels: key prefix -> (parent, recoil, |V| element, form factors, channel whose measured BR fixes the
normalisation).  The key appends the lepton and its charge: ``"Lambda(c)+->Lambdae+N"``,
``"Lambda(b)0->Lambda(c)+mu-N"`` (:func:`channel_key`)."""

BR_PDG: dict[str, tuple[float, str]] = {
    "Lambda(c)+->Lambda": (3.56e-2, "e-"),
    "Xi(c)0->Xi-": (1.31e-2, "e-"),
    "Lambda(b)0->Lambda(c)+": (6.2e-2, "mu-"),
}
"""Measured BR(B1 -> B2 l nu) and its lepton, fixing the normalisation at m_N -> 0 (module docstring)."""

POLES = (pdg_mass("D(s)*+"), pdg_mass("D(s1)(2460)+"))
"""Vector and axial pole masses (MeV) of the c -> s pole model (module docstring)."""
ISGUR_WISE = (1.63, 2.16)
"""(rho^2, sigma^2) of the Lambda_b -> Lambda_c Isgur-Wise function, LHCb arXiv:1709.01920 (module docstring)."""

def channel_key(prefix: str, lepton: str) -> str:
    """Production key of a baryon channel: the lepton charge follows the quark transition (c -> s: l+, b -> c: l-).

    >>> channel_key("Lambda(c)+->Lambda", "e")
    'Lambda(c)+->Lambdae+N'
    >>> channel_key("Lambda(b)0->Lambda(c)+", "mu")
    'Lambda(b)0->Lambda(c)+mu-N'
    """
    return f"{prefix}{lepton}{'+' if BARYON_CHANNELS[prefix][2] == 'cs' else '-'}N"


def form_factors(q2: np.ndarray, model: str, m1: float, m2: float) -> tuple[np.ndarray, np.ndarray]:
    """(f_1, g_1)(q^2) at unit normalisation (F(0) = 1, zeta(1) = 1); q^2 in MeV^2 (module docstring)."""
    q2 = np.asarray(q2, dtype=float)
    if model == "pole":
        return 1.0 / (1.0 - q2 / POLES[0] ** 2), 1.0 / (1.0 - q2 / POLES[1] ** 2)
    rho2, sigma2 = ISGUR_WISE
    w1 = (m1**2 + m2**2 - q2) / (2 * m1 * m2) - 1.0
    zeta = 1.0 - rho2 * w1 + 0.5 * sigma2 * w1**2
    return zeta, zeta


def _squared_amplitude(q2, s, m1, m2, ml, mn, model, quark):
    """<|M|^2> / (64 G_F^2 |V|^2 U^2) (MeV^4) at Dalitz points (module docstring)."""
    t = m1**2 + m2**2 + ml**2 + mn**2 - q2 - s
    p1l, p1n = 0.5 * (m1**2 + ml**2 - t), 0.5 * (m1**2 + mn**2 - s)
    p2l, p2n = 0.5 * (s - m2**2 - ml**2), 0.5 * (t - m2**2 - mn**2)
    pln = 0.5 * (q2 - ml**2 - mn**2)
    f, g = form_factors(q2, model, m1, m2)
    left, right = 0.5 * (f + g), 0.5 * (f - g)
    if quark == "cs":      # a = N, b = l+
        p1b_p2a, p1a_p2b = p1l * p2n, p1n * p2l
    else:                  # a = l-, b = Nbar
        p1b_p2a, p1a_p2b = p1n * p2l, p1l * p2n
    return left**2 * p1b_p2a + right**2 * p1a_p2b - left * right * m1 * m2 * pln


def baryon_width(m_n: np.ndarray, prefix: str, lepton_mass: float) -> np.ndarray:
    """Gamma(B1 -> B2 l N) / U^2 in MeV at unit form-factor normalisation (not yet the measured BR), HNL masses
    ``m_n`` (MeV), Dalitz-integrated (module docstring)."""
    parent, child, ckm, model, _ = BARYON_CHANNELS[prefix]
    m1, m2, ml = pdg_mass(parent), pdg_mass(child), lepton_mass
    outer = dalitz_integral(m_n, m1, m2, ml, lambda q2, s, mn: _squared_amplitude(q2, s, m1, m2, ml, mn, model, ckm))
    width = 64 * G_FERMI**2 * CKM[ckm] ** 2 * outer / ((2 * np.pi) ** 3 * 32 * m1**3)
    return np.where(np.asarray(m_n) < m1 - m2 - ml, np.clip(width, 0.0, None), 0.0)


@lru_cache(maxsize=None)
def normalisation(prefix: str) -> float:
    """|F(0)|^2 (|zeta(1)|^2): measured BR x parent width over the unit-normalised width at m_N -> 0 of the channel
    that fixes it (:data:`BR_PDG`; isospin / SU(3) partners share it, module docstring)."""
    ref = BARYON_CHANNELS[prefix][4]
    br, lepton = BR_PDG[ref]
    raw = float(baryon_width(np.array([1e-3]), ref, pdg_mass(lepton))[0])
    return br * decay_width(BARYON_CHANNELS[ref][0]) / raw


def baryon_semileptonic_br(m_n: np.ndarray, prefix: str, lepton_mass: float) -> np.ndarray:
    """BR(B1 -> B2 l N) / U^2 of a :data:`BARYON_CHANNELS` prefix; masses in MeV (module docstring)."""
    parent = BARYON_CHANNELS[prefix][0]
    return normalisation(prefix) * baryon_width(m_n, prefix, lepton_mass) / decay_width(parent)


def baryon_threshold(prefix: str, lepton_mass: float) -> float:
    """Largest HNL mass (MeV) of a channel: m_B1 - m_B2 - m_l."""
    parent, child = BARYON_CHANNELS[prefix][:2]
    return pdg_mass(parent) - pdg_mass(child) - lepton_mass


def baryon_dalitz_density(prefix: str, lepton_mass: float, m_n: float, q2: np.ndarray, s: np.ndarray) -> np.ndarray:
    """<|M|^2> (up to a constant) at Dalitz points q^2 = (p_l + p_N)^2, s = (p_B2 + p_l)^2 (MeV^2): the density
    relative to flat phase space that weights the dump's flat samples
    (:func:`na62lab.generation.dump.mesons.parent_decay_sample`)."""
    parent, child, ckm, model, _ = BARYON_CHANNELS[prefix]
    amp = _squared_amplitude(np.asarray(q2, float), np.asarray(s, float), pdg_mass(parent), pdg_mass(child),
                             lepton_mass, float(m_n), model, ckm)
    return np.clip(amp, 0.0, None)
