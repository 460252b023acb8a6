"""Proton bremsstrahlung of dark photons and dark scalars in the dump (Fermi-Weizsaecker-Williams).

The differential yield per proton and per eps^2 is (Bluemlein & Brunner,
arXiv:1311.3870 eqs. (2)-(5))

    d^2N / (dz dpT^2) = [sigma_pp(s') / sigma_pp(s)] |F_1(m^2)|^2 w_ba(z, pT^2),

with the splitting function, the time-like proton form factor F_1
(Faessler et al., arXiv:0910.5589) and the pp cross section supplied by the
FIP model package (:mod:`na62lab.fips.dark_photon`).  The A' carries a
fraction z of the beam momentum along the beam and transverse momentum pT.

Validity: the quasi-real approximation needs E_p, E_A', E_p - E_A' >> M_p,
m_A', pT; the card's defaults follow the paper (0.1 < z < 0.9, pT < 1 GeV/c).
The result is APPROXIMATE near and above m_A' ~ 1 GeV, where the form factor
model and the FWW picture are least reliable; the form factor can be switched
off (``brems_form_factor: none``) to bracket that uncertainty, as NA62 does
(arXiv:2502.04241 shows both), or replaced by NA62's apparent prescription
(``alpinist_isospin_modulus``, :func:`na62lab.fips.dark_photon.alpinist_form_factor`)
to reproduce the reference's assumption.  |F(m^2)|^2 depends on the mass only: it
scales the rate (:func:`production_rate`) and cancels in the normalised weights of
:func:`sample`, so the efficiency tables do not depend on the choice.

Dark scalars (``kind="scalar"``): the same quasi-real picture with the
scalar splitting function of a proton with Yukawa coupling theta g_SNN
(Boiarska et al. arXiv:1904.10447 sec. 3, "proton bremsstrahlung"; in the form
used by ALPINIST, arXiv:2201.05170, and Feng et al. arXiv:1710.09387):

    w_S(z, pT^2) = g_SNN^2 / (8 pi^2) z (M_p^2 (2 - z)^2 + pT^2) / H^2,
    H = pT^2 + (1 - z) m_S^2 + z^2 M_p^2,

per theta^2, with g_SNN = 1.2e-3 (Higgs-nucleon coupling (2/9 + 7/9 sum f_Tq)
m_N / v).  No time-like scalar form factor is applied (none is measured): the
scalar yield is an UPPER estimate above m_S ~ 1 GeV, APPROXIMATE everywhere
(Boiarska et al. quote an order-of-magnitude theory uncertainty).

Beam energy: the card's ``run.beam_energy_gev`` (400 GeV at the SPS, 70 GeV for
NuCal at the U70) sets s = 2 M_p E_beam in the cross-section ratio and the A'
momentum z p_beam (arXiv:1311.3870 eqs. (2)-(5) hold at any fixed-target energy;
the paper itself applies them to NuCal at 70 GeV).

Units: momenta MeV/c, masses MeV, rates per POT per eps^2 (per theta^2 for scalars).
"""

from __future__ import annotations

import numpy as np

from na62lab.config.dump import DumpCard
from na62lab.fips.dark_photon import brems_cross_section_ratio, brems_emission_density
from na62lab.generation.dump.sample import FIPSample, normalised, sample_origin
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV


G_SNN = 1.2e-3
"""Effective Higgs-nucleon Yukawa coupling used for scalar bremsstrahlung (arXiv:1904.10447)."""


def scalar_splitting_function(z, pt2, m) -> np.ndarray:
    """Scalar splitting function w_S(z, pT^2) / theta^2 of a proton in MeV^-2 (module docstring).

    Parameters
    ----------
    z : array_like
        Fraction of the beam momentum carried by the scalar.
    pt2 : array_like
        Scalar transverse momentum squared (MeV^2).
    m : array_like
        Scalar mass (MeV).
    """
    z, pt2, m = (np.asarray(v, dtype=float) for v in (z, pt2, m))
    mp2 = pdg_mass("p") ** 2
    h = pt2 + (1.0 - z) * m * m + z * z * mp2
    return G_SNN**2 / (8.0 * np.pi**2) * z * (mp2 * (2.0 - z) ** 2 + pt2) / h**2


def beam_momentum(card: DumpCard) -> float:
    """Proton beam momentum in MeV/c at the card's ``run.beam_energy_gev`` (required: 400 GeV at the SPS,
    70 GeV for NuCal)."""
    e = card.run.beam_energy_gev * GeV
    return float(np.sqrt(e * e - pdg_mass("p") ** 2))


def emission_density(z, pt2, m, card: DumpCard, kind: str = "vector", form_factor: bool = True) -> np.ndarray:
    """d^2N/(dz dpT^2) per proton per eps^2 (theta^2) in MeV^-2 (module docstring formula).

    Parameters
    ----------
    z : array_like
        A' momentum fraction.
    pt2 : array_like
        A' transverse momentum squared (MeV^2).
    m : array_like
        A' mass (MeV).
    card : DumpCard
        ``production.brems_form_factor`` chooses |F(m^2)|^2 (vectors only,
        :func:`na62lab.fips.dark_photon.brems_form_factor_squared`);
        ``run.beam_energy_gev`` sets s = 2 M_p E_beam.
    kind : {"vector", "scalar"}
        Dark photon (eps^2) or dark scalar (theta^2).
    form_factor : bool
        False leaves |F(m^2)|^2 out (a factor of the mass only: :func:`sample` at one mass).
    """
    beam_energy = card.run.beam_energy_gev * GeV
    if kind == "scalar":
        return brems_cross_section_ratio(z, beam_energy) * scalar_splitting_function(z, pt2, m)
    prescription = card.production.brems_form_factor if form_factor else "none"
    return brems_emission_density(z, pt2, m, beam_energy, prescription)


def _pt2_scale(z, m):
    """a = z^2 M_p^2 + (1 - z) m^2 (MeV^2): the pT^2 below which w_ba is flat."""
    return z * z * pdg_mass("p") ** 2 + (1.0 - z) * m * m


def production_rate(masses, card: DumpCard, n_z: int = 48, n_t: int = 48, kind: str = "vector") -> np.ndarray:
    """A' per proton per eps^2 (S per theta^2) integrated over the card's (z, pT) domain.

    Gauss-Legendre quadrature in z and in t = ln(pT^2 + a), vectorised over
    ``masses`` (MeV).
    """
    masses = np.atleast_1d(np.asarray(masses, dtype=float))
    z0, z1 = card.production.brems_z_range
    xz, wz = np.polynomial.legendre.leggauss(n_z)
    xt, wt = np.polynomial.legendre.leggauss(n_t)
    z = 0.5 * (z1 - z0) * xz + 0.5 * (z1 + z0)
    mm = masses[:, None, None]
    a = _pt2_scale(z[None, :, None], mm)
    t0, t1 = np.log(a), np.log(a + (card.production.brems_pt_max_gev * GeV) ** 2)
    t = 0.5 * (t1 - t0) * xt[None, None, :] + 0.5 * (t1 + t0)
    pt2 = np.exp(t) - a
    integrand = emission_density(z[None, :, None], pt2, mm, card, kind) * np.exp(t) * 0.5 * (t1 - t0)
    return 0.5 * (z1 - z0) * np.einsum("mzt,z,t->m", integrand, wz, wt)


def sample(mass: float, n: int, card: DumpCard, rng: np.random.Generator, kind: str = "vector") -> FIPSample:
    """Draw ``n`` weighted bremsstrahlung dark photons (``kind="scalar"``: scalars) of ``mass`` (MeV).

    z is uniform in the card range, pT^2 follows 1/(pT^2 + a) (importance
    sampling of the splitting function); the weights are density / proposal.
    """
    z0, z1 = card.production.brems_z_range
    z = rng.uniform(z0, z1, n)
    a = _pt2_scale(z, mass)
    ptmax2 = (card.production.brems_pt_max_gev * GeV) ** 2
    span = np.log1p(ptmax2 / a)
    pt2 = a * np.expm1(rng.random(n) * span)
    proposal = 1.0 / ((z1 - z0) * (pt2 + a) * span)
    w = emission_density(z, pt2, mass, card, kind, form_factor=False) / proposal   # |F|^2 cancels in normalised
    pz = z * beam_momentum(card)
    pt = np.sqrt(pt2)
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    e = np.sqrt(pz * pz + pt2 + mass * mass)
    p4 = np.column_stack([e, pt * np.cos(phi), pt * np.sin(phi), pz])
    return FIPSample("brems", float(mass), p4, sample_origin(n, card, rng), normalised(w), kind == "vector")
