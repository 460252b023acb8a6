"""FIPs from tau decays in the dump, the taus from D_s+ -> tau+ nu and D+ -> tau+ nu (HNLs: the main BC8 source).

Chain (Bondarenko et al. arXiv:1805.08567 Sec. 2.3 for the channels): the parent (D_s+ or D+) drawn from the
production table, P+ -> tau+ nu isotropic in the parent frame (spin 0), then tau -> N h two-body
or tau -> N l nu three-body, all in the parent rest frame, then boosted to the lab with the parent.  The
tau is fully polarised (helicity -1/2 for the tau+ of P+ -> tau+ nu, +1/2 for the tau- of P-; the N
distribution about the tau flight direction is the same for both, by CP): two-body decays are drawn
from 1 + alpha cos(theta) about the tau spin, three-body ones from flat phase space weighted by the V-A
matrix element with the spin (:func:`na62lab.fips.hnl_tau.two_body_asymmetry`,
:func:`na62lab.fips.hnl_tau.leptonic_matrix_element`; before these the tau decays were drawn isotropic and
flat).  The parents are drawn with the momentum-tail proposal of the other meson decays
(:func:`na62lab.generation.dump.mesons.weighted_parent_four_momenta`, card ``mc.tail_share``, tail restricted to
the angles that reach the detector) and weighted back; before, plainly from the spectrum.  Measured on
na62_dump_run2 (D_s+ -> tau modes N pi / N e nu / N mu nu, 8 seeds, nu l l tables with 100 effective decays):
the node scatter at 1.47 GeV (tau' = 0.45 mm/MeV, where the most energetic N decide) 26/28/13 % -> 12/17/15 %,
at 1.23 GeV (tau' = 3.8) 16/16/9 % -> 10/14/8 %, the means equal within 2 sigma.
The parent and the tau decay where they are made (c tau = 0.15 mm for the D_s+, 0.31 mm for the D+,
0.087 mm for the tau; PDG 2024).  Momenta in MeV/c, masses MeV.
"""

from __future__ import annotations

import numpy as np

from na62lab.config.dump import DumpCard
from na62lab.fips.hnl_tau import M_TAU, leptonic_matrix_element, two_body_asymmetry
from na62lab.generation.dump.mesons import weighted_parent_four_momenta
from na62lab.generation.dump.sample import FIPSample, angular_window, normalised, sample_origin
from na62lab.generation.dump.tables import ProductionTable
from na62lab.physics.kinematics import boost_to_lab, three_body_phase_space, two_body_decay
from na62lab.physics.particles import mass as pdg_mass

__all__ = ["tau_sample"]


def tau_sample(mode: str, parent: str, key: str, recoils: tuple[float, ...], fip_mass: float, n: int,
               table: ProductionTable, card: DumpCard, rng: np.random.Generator) -> FIPSample:
    """``n`` FIPs of mass ``fip_mass`` from P+ -> tau+ nu, tau -> (recoils) + FIP (module docstring).

    Parameters
    ----------
    mode : str
        Mode name.
    parent : str
        Production-table species of the tau parent (``"Ds+"``, ``"D+"``).
    key : str
        Tau channel, a key of :data:`na62lab.fips.hnl_tau.TAU_CHANNELS`.
    recoils : tuple of float
        Masses (MeV) of the other tau daughters: one (two-body) or two (three-body).
    fip_mass : float
        FIP mass (MeV).
    n : int
        Number of FIPs.
    table, card, rng
        Production table, dump card, random generator.
    """
    p4, tilt = weighted_parent_four_momenta(table, parent, n, rng, card.mc.tail_share, angular_window(card))
    rest = np.zeros((n, 4))
    rest[:, 0] = pdg_mass(parent)
    tau = two_body_decay(rest, 0.0, M_TAU, rng)[1]            # in the parent frame
    weight = tilt
    if len(recoils) == 1:
        cos_n = _linear_cos(two_body_asymmetry(key, fip_mass), n, rng)
        fip = two_body_decay(tau, recoils[0], fip_mass, rng, cos_theta=-cos_n)[1]   # cos_theta: the recoil's
    else:
        lepton, nu, fip = three_body_phase_space(tau, recoils[0], recoils[1], fip_mass, rng)
        weight = tilt * leptonic_matrix_element(key, tau, _helicity_spin(tau), lepton, nu, fip)
    return FIPSample(mode, fip_mass, boost_to_lab(fip, p4), sample_origin(n, card, rng), normalised(weight), False)


def _helicity_spin(p4: np.ndarray) -> np.ndarray:
    """Spin four-vector of helicity +1/2 along the momentum of ``p4`` (N, 4): (|p|, E p/|p|) / m."""
    p = np.linalg.norm(p4[:, 1:], axis=1)
    m = np.sqrt(np.clip(p4[:, 0] ** 2 - p**2, 0.0, None))
    spin = np.empty_like(p4)
    spin[:, 0] = p / m
    spin[:, 1:] = p4[:, 1:] * (p4[:, 0] / (m * p))[:, None]
    return spin


def _linear_cos(alpha: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` values of cos(theta) drawn from (1 + alpha cos(theta)) / 2 on [-1, 1] (inverse CDF), |alpha| <= 1."""
    u = rng.uniform(0.0, 1.0, n)
    if abs(alpha) < 1e-9:
        return 2.0 * u - 1.0
    return (np.sqrt(np.clip(1.0 - 2.0 * alpha + alpha * alpha + 4.0 * alpha * u, 0.0, None)) - 1.0) / alpha
