"""PDG branching ratios of the K+, pi+ and pi0 decays the kaon-mode simulation uses.

The ``particle`` package carries no branching ratios and ``decaylanguage``
ships no K+ decay file, so the few numbers needed are kept here, each with its
source.  Values: PDG Review of Particle Physics 2024 (S. Navas et al., Phys.
Rev. D 110 (2024) 030001), K+ / pi+ / pi0 listings ("fit" values), except
where noted.

Examples
--------
>>> round(sum(K_PLUS_BR[m].value for m in ("munu", "pipi0", "pipipi", "pi0enu", "pi0munu", "pipi0pi0")), 5)
0.99995
"""

from __future__ import annotations

from dataclasses import dataclass

from na62lab.errors import InputError
from na62lab.physics.constants import BR_PI0_GG


@dataclass(frozen=True)
class BranchingRatio:
    """One branching ratio (dimensionless) with its label and source."""

    value: float
    label: str
    source: str


_PDG = "PDG 2024 (PRD 110 (2024) 030001)"

K_PLUS_BR: dict[str, BranchingRatio] = {
    "munu": BranchingRatio(0.6356, "K+ -> mu+ nu", _PDG + ", K+ fit Gamma_1"),
    "pipi0": BranchingRatio(0.2067, "K+ -> pi+ pi0", _PDG + ", K+ fit Gamma_..(pi+ pi0)"),
    "pipipi": BranchingRatio(0.05583, "K+ -> pi+ pi+ pi-", _PDG + ", K+ fit"),
    "pi0enu": BranchingRatio(0.0507, "K+ -> pi0 e+ nu (Ke3)", _PDG + ", K+ fit"),
    "pi0munu": BranchingRatio(0.03352, "K+ -> pi0 mu+ nu (Kmu3)", _PDG + ", K+ fit"),
    "pipi0pi0": BranchingRatio(0.01760, "K+ -> pi+ pi0 pi0", _PDG + ", K+ fit"),
    "ke4": BranchingRatio(4.247e-5, "K+ -> pi+ pi- e+ nu (Ke4)", _PDG + ", K+ listing"),
    "pigg": BranchingRatio(9.61e-7, "K+ -> pi+ gamma gamma",
                           "NA62, PLB 850 (2024) 138513 (arXiv:2311.01837), full kinematic range"),
    "pimumu": BranchingRatio(9.17e-8, "K+ -> pi+ mu+ mu-", _PDG + ", K+ listing"),
    "pinunu": BranchingRatio(8.4e-11, "K+ -> pi+ nu nubar (SM)",
                             "Buras et al., JHEP 11 (2015) 033 (arXiv:1503.02693): (8.4 +- 1.0) e-11"),
}
"""K+ decay modes simulated, keyed by mode name."""

_R_E_MU = 1.2327e-4
"""Gamma(pi+ -> e+ nu (gamma)) / Gamma(pi+ -> mu+ nu (gamma)): PDG 2024 pi+ listing average (1.2327 +- 0.0023)e-4,
dominated by PIENU, PRL 115 (2015) 071801 (1.2344e-4); the listing's older fit value of BR(e+ nu) is 1.230e-4."""

PI_PLUS_BR: dict[str, BranchingRatio] = {
    "munu": BranchingRatio(1.0 - _R_E_MU, "pi+ -> mu+ nu", _PDG + ", pi+ listing: 1 - BR(e+ nu)"),
    "enu": BranchingRatio(_R_E_MU, "pi+ -> e+ nu", _PDG + ", pi+ listing average of Gamma(e nu)/Gamma(mu nu) "
                          "(PIENU 2015); = BR(e+ nu) to 1.2e-4 relative"),
}
"""pi+ decay modes (beam pions, HNL searches); other modes (pi+ -> pi0 e+ nu, 1.0e-8) neglected."""

PI0_BR: dict[str, BranchingRatio] = {
    "gg": BranchingRatio(BR_PI0_GG, "pi0 -> gamma gamma", _PDG + ", pi0 listing"),
    "dalitz": BranchingRatio(0.01174, "pi0 -> e+ e- gamma", _PDG + ", pi0 listing"),
}
"""pi0 decay modes; the remaining 3e-5 (double Dalitz, e+e-) is neglected."""

PI0_DALITZ_SLOPE = 0.0332
"""Slope a of the pi0 transition form factor F(x) = 1 + a x (PDG 2024 pi0 listing, average 0.0332)."""


def k_plus_br(mode: str) -> float:
    """Branching ratio (dimensionless) of the K+ decay ``mode``.

    Raises
    ------
    InputError
        For an unknown mode name.
    """
    try:
        return K_PLUS_BR[mode].value
    except KeyError:
        raise InputError("mode", mode, f"one of {sorted(K_PLUS_BR)}") from None
