"""Standard-Model inputs of the FIP models, each with its source.

Masses, widths and lifetimes come from the ``particle`` package
(:mod:`na62lab.physics.particles`); this module holds only what that package
does not carry: couplings, branching ratios, decay constants and CKM
elements.  Energies in MeV.

Sources
-------
PDG: R.L. Workman et al. (Particle Data Group), PTEP 2022 083C01 and the 2024
update (S. Navas et al., PRD 110 (2024) 030001).  FLAG: Y. Aoki et al.,
arXiv:2111.09849 (FLAG Review 2021), N_f = 2+1+1 averages.
"""

from __future__ import annotations

import math

from na62lab.generation.kaon.branching import K_PLUS_BR, PI_PLUS_BR
from na62lab.physics.constants import ALPHA_EM, BR_ETA_GG, BR_PI0_GG, F_PI
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV

__all__ = [
    "ALPHA_EM", "G_FERMI", "HIGGS_VEV", "SIN2_THETA_W", "BR_GAMMA_GAMMA", "BR_OMEGA_PI0_GAMMA", "BR_PHI_ETA_GAMMA",
    "BR_EE", "K_PI_LL_FORM_FACTOR", "BR_3PI", "BR_LNU", "DECAY_CONSTANT", "VECTOR_DECAY_CONSTANT", "CKM",
    "WOLFENSTEIN", "M_TOP", "HIGGS_WIDTH_SM", "QUARK_MASS_2GEV", "QUARK_POLE_MASS", "BR_B_XC_LNU",
]

G_FERMI: float = 1.1663788e-5 / GeV**2
"""Fermi constant in MeV^-2 (PDG 2024, muon lifetime)."""

HIGGS_VEV: float = 1.0 / math.sqrt(math.sqrt(2.0) * G_FERMI)
"""Higgs vacuum expectation value v = (sqrt(2) G_F)^(-1/2) = 246.22 GeV, in MeV."""

SIN2_THETA_W: float = 0.23121
"""sin^2(theta_W), MS-bar at m_Z (PDG 2024), used in the HNL neutral-current widths."""

# --------------------------------------------------------------------- BRs
BR_GAMMA_GAMMA: dict[str, float] = {
    "pi0": BR_PI0_GG,  # PDG 2024, pi0 -> gamma gamma (na62lab.physics.constants)
    "eta": BR_ETA_GG,  # PDG 2024, eta -> gamma gamma (na62lab.physics.constants)
    "eta'": 0.02307,   # PDG 2024, eta' -> gamma gamma (BESIII PRL 122 (2019) 142002: 2.331 %)
}
"""BR(P -> gamma gamma) of the pseudoscalars that radiate a dark photon."""

BR_OMEGA_PI0_GAMMA: float = 0.0835
"""BR(omega -> pi0 gamma), PDG 2024."""

BR_PHI_ETA_GAMMA: float = 0.01303
"""BR(phi -> eta gamma), PDG 2024."""

BR_EE: dict[str, float] = {
    "omega": 7.38e-5,  # PDG 2024, omega -> e+ e-
    "phi": 2.979e-4,   # PDG 2024, phi -> e+ e-
}
"""Leptonic branching ratios of the narrow vector mesons."""

K_PI_LL_FORM_FACTOR: tuple[float, float] = (-0.575, -0.722)
"""(a+, b+) of the K+ -> pi+ gamma* form factor W(z) = G_F m_K^2 (a+ + b+ z) + W^pipi(z)
(D'Ambrosio, Ecker, Isidori, Portoles, JHEP 08 (1998) 004, hep-ph/9808289): NA62 fit of
K+ -> pi+ mu+ mu-, a+ = -0.575 +- 0.013, b+ = -0.722 +- 0.043 (JHEP 11 (2022) 011,
arXiv:2209.05076).  NA48/2 K+ -> pi+ e+ e- gives a+ = -0.578, b+ = -0.779 (arXiv:0903.3130)."""

BR_3PI: dict[str, float] = {"omega": 0.892, "phi": 0.1524}
"""BR(V -> pi+ pi- pi0), PDG 2024."""

BR_LNU: dict[str, float] = {
    "K+->e+": 1.582e-5,                          # PDG 2024, K+ -> e+ nu
    "K+->mu+": K_PLUS_BR["munu"].value,          # PDG 2024 (na62lab.generation.kaon.branching)
    "pi+->e+": PI_PLUS_BR["enu"].value,          # PDG 2024 average, PIENU 2015 (same module)
    "pi+->mu+": PI_PLUS_BR["munu"].value,        # PDG 2024, 1 - BR(e+ nu) (same module)
}
"""Measured BR(P+ -> l+ nu) used to normalise P+ -> l+ N (Shrock 1981)."""

# --------------------------------------------------------- decay constants
DECAY_CONSTANT: dict[str, float] = {
    "pi+": F_PI,    # FLAG 2021, f_pi (na62lab.physics.constants)
    "K+": 155.7,    # FLAG 2021, f_K
    "D+": 212.0,    # FLAG 2021, f_D
    "Ds+": 249.9,   # FLAG 2021, f_Ds
    "B+": 190.0,    # FLAG 2021, f_B
    "Bs0": 230.3,   # FLAG 2021, f_Bs
    "Bc+": 434.0,   # HPQCD, arXiv:1503.05762 (as in Bondarenko et al. arXiv:1805.08567 Table 2)
    "pi0": F_PI,    # isospin limit
    "eta": 81.7,    # arXiv:1805.08567 Table 2 (f_eta)
    "eta'": -94.7,  # arXiv:1805.08567 Table 2 (f_eta')
}
"""Pseudoscalar decay constants f_P in MeV (f_pi ~ 130 MeV convention)."""

VECTOR_DECAY_CONSTANT: dict[str, float] = {
    "rho": 210.0,   # arXiv:1805.08567 Table 3 (f_rho ~ 0.21 GeV)
    "omega": 195.0,  # arXiv:1805.08567 Table 3
    "phi": 229.0,   # arXiv:1805.08567 Table 3
    "K*": 204.0,    # arXiv:1805.08567 Table 3
}
"""Vector-meson decay constants f_V in MeV, <0|q gamma^mu q'|V> = f_V m_V eps^mu."""

# ---------------------------------------------------------------------- CKM
CKM: dict[str, float] = {
    "ud": 0.97373, "us": 0.2243, "ub": 3.82e-3,
    "cd": 0.221, "cs": 0.975, "cb": 40.8e-3,
    "td": 8.6e-3, "ts": 41.5e-3, "tb": 1.014,
}
"""|V_ij| magnitudes, PDG 2024 (CKM review, direct measurements)."""

WOLFENSTEIN: dict[str, float] = {"lam": 0.22501, "A": 0.826, "rhobar": 0.1591, "etabar": 0.3523}
"""Wolfenstein parameters, PDG 2024 global fit (CKM review, eq. (12.27))."""

M_TOP: float = pdg_mass("t")
"""Top-quark mass in MeV from the ``particle`` package's PDG table (RPP 2026 edition, mass_width_2026:
172.60 +- 0.27 GeV, the average of direct measurements; PDG 2024 quoted 172.57 +- 0.29 GeV), the home of
the masses as M_W and M_HIGGS (module docstring); only the name lives here."""

HIGGS_WIDTH_SM: float = 4.07
"""SM Higgs total width at m_h = 125 GeV in MeV (LHC Higgs XS WG, arXiv:1610.07922)."""

QUARK_MASS_2GEV: dict[str, float] = {"u": 2.16, "d": 4.70, "s": 93.5, "c": 1273.0, "b": 4183.0}
"""MS-bar quark masses in MeV (PDG 2024 quark listings): m_u, m_d, m_s at 2 GeV, m_c(m_c), m_b(m_b)."""

QUARK_POLE_MASS: dict[str, float] = {"c": 1.67 * GeV, "b": 4.78 * GeV}
"""Heavy-quark pole masses in MeV (PDG 2024 quark listings, from the MS-bar masses), for the loop functions."""

BR_B_XC_LNU: float = 0.1065
"""BR(B -> X_c l nu), HFLAV average for B+/B0 (arXiv:2206.07501), per lepton flavour."""
