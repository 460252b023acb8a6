"""FIPs from tau decays in the dump, the taus from D_s+ -> tau+ nu and D+ -> tau+ nu (HNLs: the main BC8 source).

Chain (Bondarenko et al. arXiv:1805.08567 Sec. 2.3 for the channels): the parent (D_s+ or D+) drawn from the
production table, P+ -> tau+ nu isotropic in the parent frame (spin 0), then tau -> N h two-body
or tau -> N l nu three-body.  The tau decays are isotropic in the tau frame and the three-body
ones flat in phase space (APPROXIMATE: the tau is fully polarised in D_s decays, which tilts the
N direction in the tau frame; its effect on the NA62 acceptance is not estimated).  The D_s and
the tau decay where they are made (c tau = 0.15 mm and 0.087 mm).  Momenta in MeV/c, masses MeV.
"""

from __future__ import annotations

import numpy as np

from na62lab.config.dump import DumpCard
from na62lab.generation.dump.mesons import parent_four_momenta
from na62lab.generation.dump.sample import FIPSample, sample_origin
from na62lab.generation.dump.tables import ProductionTable
from na62lab.physics.kinematics import three_body_phase_space, two_body_decay
from na62lab.physics.particles import mass as pdg_mass

__all__ = ["tau_sample"]


def tau_sample(mode: str, parent: str, recoils: tuple[float, ...], fip_mass: float, n: int,
               table: ProductionTable, card: DumpCard, rng: np.random.Generator) -> FIPSample:
    """``n`` FIPs of mass ``fip_mass`` from P+ -> tau+ nu, tau -> (recoils) + FIP (module docstring).

    Parameters
    ----------
    mode : str
        Mode name.
    parent : str
        Production-table species of the tau parent (``"Ds+"``, ``"D+"``).
    recoils : tuple of float
        Masses (MeV) of the other tau daughters: one (two-body) or two (three-body).
    fip_mass : float
        FIP mass (MeV).
    n : int
        Number of FIPs.
    table, card, rng
        Production table, dump card, random generator.
    """
    p4 = parent_four_momenta(table, parent, n, rng)
    tau = two_body_decay(p4, 0.0, pdg_mass("tau-"), rng)[1]
    if len(recoils) == 1:
        fip = two_body_decay(tau, recoils[0], fip_mass, rng)[1]
    else:
        fip = three_body_phase_space(tau, recoils[0], recoils[1], fip_mass, rng)[2]
    return FIPSample(mode, fip_mass, fip, sample_origin(n, card, rng), np.full(n, 1.0 / n), False)
