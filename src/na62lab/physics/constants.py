"""Physical constants used in more than one place, each defined once, with its source.

Internal units are those of :mod:`na62lab.physics.units` (MeV, mm, ns).
Particle masses, widths and lifetimes come from the ``particle`` package
(:mod:`na62lab.physics.particles`); this module holds the constants that
several modules need and that package does not give as a plain number.
The Standard-Model inputs used only by the FIP models (couplings, CKM
elements, decay constants other than f_pi) live in :mod:`na62lab.fips.constants`.

Sources
-------
PDG 2024: S. Navas et al. (Particle Data Group), Phys. Rev. D 110 (2024)
030001; Table 1.1 ("Physical constants"), the particle listings and the
review "Leptonic decays of charged pseudoscalar mesons".

Examples
--------
>>> from na62lab.physics.constants import ALPHA_EM, HBARC_MEV_FM
>>> round(1 / ALPHA_EM, 6)
137.035999
>>> round(HBARC_MEV_FM, 7)
197.3269805
"""

from __future__ import annotations

from hepunits import fermi
from hepunits.constants import Avogadro as _avogadro_per_mole
from hepunits.constants import hbarc as _hbarc_mev_mm

__all__ = ["ALPHA_EM", "AVOGADRO", "BR_ETA_GG", "BR_PI0_GG", "F_PI", "HBARC", "HBARC_MEV_FM", "MU_P", "M_E"]

ALPHA_EM: float = 7.2973525643e-3
"""Fine-structure constant at q^2 = 0, dimensionless: 1/137.035999177 (PDG 2024 Table 1.1, CODATA 2022)."""

M_E: float = 0.51099895
"""Electron mass in MeV (PDG 2024 Table 1.1 and electron listing: 0.51099895069(16) MeV)."""

MU_P: float = 2.79284734463
"""Proton magnetic moment mu_p / mu_N in nuclear magnetons, dimensionless: 2.79284734463(82), the CODATA 2018
value, unchanged in CODATA 2022 (PDG 2024 p listing); G_M(0) of the proton."""

HBARC: float = float(_hbarc_mev_mm)
"""hbar c in MeV mm, the internal unit (PDG 2024 Table 1.1: 197.3269804... MeV fm, exact in the SI
since 2019; the value is hbar * c computed by ``hepunits`` from the exact SI constants)."""

HBARC_MEV_FM: float = HBARC / fermi
"""hbar c in MeV fm (the same constant as :data:`HBARC`, PDG 2024 Table 1.1)."""

AVOGADRO: float = float(_avogadro_per_mole)
"""Avogadro constant N_A in mol^-1 (PDG 2024 Table 1.1: 6.02214076e23, exact in the SI since 2019;
the value of ``hepunits``)."""

F_PI: float = 130.2
"""Charged-pion decay constant f_pi+ in MeV, f_pi ~ 130 MeV convention: 130.2 +- 1.2 MeV
(FLAG 2021, arXiv:2111.09849, N_f = 2+1+1 average, as quoted in the PDG 2024 review
"Leptonic decays of charged pseudoscalar mesons" by Rosner, Stone and Van de Water)."""

BR_PI0_GG: float = 0.98823
"""BR(pi0 -> gamma gamma), dimensionless (PDG 2024 pi0 listing, Gamma_1/Gamma = 98.823 +- 0.034 %)."""

BR_ETA_GG: float = 0.3936
"""BR(eta -> gamma gamma), dimensionless (PDG 2024 eta listing, Gamma_1/Gamma = 39.36 +- 0.18 %)."""
