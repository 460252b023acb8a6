"""Charm yield of the 400 GeV copper-dump cards against the measured prompt neutrinos of thick dumps (task t66).

Question: is ``production.cascade_charm = 1`` (primary collision only) right for the thick copper dumps (NA62 TAX,
CHARM, BEBC), or should the charm of the secondary interactions of the hadronic cascade be added (the SHiP factor
2.3 for charm, 1.7 for beauty, CERN-SHiP-NOTE-2015-009, a Pythia 6 cascade calculation for SHiP's Mo/W target)?

Our charm (card values, shipped Pythia table; charge conjugates summed): chi_cc = 1.50e-3 c cbar pairs per POT =
sigma(c cbar) x A / sigma_inel(p Cu) with 18.1 ub per nucleon (CERN-SHiP-NOTE-2015-009, A^1) and 768.5 mb (PDG Cu
interaction length): D+- 8.5e-4, D0 1.6e-3, D_s 2.6e-4 per POT (Pythia 8 Monash fragmentation, D_s / (D+ + D0) =
0.10); beauty chi_bb = 1.41e-7 (1.7 nb per nucleon): B+ 1.1e-7, B0 1.2e-7, B_s 2.4e-8 per POT.

Prompt nu_e + nu_ebar from these D (PDG inclusive BR(D+ -> e+ X) = 16.07 %, BR(D0 -> e+ X) = 6.49 %,
BR(D_s+ -> e+ X) = 6.33 %; Lambda_c not in the table): 2.57e-4 per POT into 4 pi.  Inside BEBC's cone (the recast's
r = 1.69 m at 404 m: theta < 4.18 mrad, 55.0 microsteradian) fall 1.03 % of the neutrinos of the exclusive D -> K(*) e
nu modes (our HNL production modes at m_N = 1 MeV, arXiv:1805.08567 form factors; 82 % of those in the cone have
E > 20 GeV): 4.8e-8 nu_e + nu_ebar per POT per microsteradian (3.0e-7 per m^2 at 404 m), all energies.

Measured prompt fluxes found (the 1982 CERN copper-dump papers themselves, WA66/BEBC, CHARM, CDHS, are not
reachable from this build):

- BEBC on-axis, as quoted by the early scripts of the recast's public code (ryanbarouki/HNL_Dump, root-level
  BEBC_main.py: ``flux_density = 32e-9  # electron neutrinos per proton per micro sr``, 46 microsteradian, 1.9e18
  POT; a later signal_processor.py doubles it, ``2*32e-9``): 3.2e-8 per POT per microsteradian.  Ours / it = 1.51 if
  it is nu_e + nu_ebar, 0.75 if it is nu_e alone (x2 for nu_ebar).  Which one is not reachable.  This is the
  direct comparison: same beam, same copper dump, same cone as the HNL search, and a prompt flux measured behind
  the dump contains the charm of the whole cascade.  It leaves room for a factor 1.33 on axis at most, none if the
  quoted flux is nu_e + nu_ebar (a 4 pi cascade factor such as SHiP's 2.3 would be smaller on axis, the cascade
  charm being softer and wider than the primary; how much smaller needs a cascade calculation for copper, none
  found).
- The recast's later 4 pi flux, 4.1e-4 nu_e per POT (HNL_Dump experimental_constants.py, also used unchanged for
  NuTeV at 800 GeV and SHiP): 1.6 x our 2.57e-4.  Its derivation is not in the code; converting the 3.2e-8 per
  microsteradian with the recast's own D spectrum ((1 - |x_F|)^6 exp(-0.93 p_T^2), HNL_Dump beam.py: 1.0 % of the
  D -> K e nu neutrinos in the cone, as ours) gives 1.5-1.7e-4 (nu_e) or 2.9-3.5e-4 (doubled) per POT into 4 pi.
  With D_s / (D+ + D0) = 0.2 and the "x2 for anti-HNLs" of that code, the recast's D_s count is 6.6 x ours
  (tests/analyses/test_bebc_hnl_references.py): 1.7 of it from this flux (over our 2.41e-4 from D+ and D0 alone, the
  recast's denominator), 1.9 from D_s / D (ours 0.104), 2 from the doubling.
- Fermilab 400 GeV thick beam dump, "Characteristics of Charm Production by 400-GeV Protons" (abstract as stored,
  scilit record cf09a8a2e1166d60a783f1b5c1c25796): from the measured prompt neutrino flux, sigma(p N -> D Dbar X) =
  57.2 +- 2.9 +- 8.5 ub per nucleon assuming A^0.75.  With the same A^0.75 for copper: 57.2 ub x 63.55^0.75 /
  768.5 mb = 1.68e-3 pairs per POT, 1.12 x our chi_cc.  Whether that extraction subtracted secondary production is
  not in the abstract.

Cascade factor: no measurement or calculation for a copper or iron dump was found.  SHiP itself says the thick-target
cascade enhancement of charm "has never been measured so far" (SHiP-charm, arXiv:2406.04730, introduction); its
thick Mo/W-target J/psi measurement finds no significant secondary production, < 32 % (arXiv:2604.03661, abstract).
So the copper cards keep cascade_charm = cascade_beauty = 1 (primary only); the prompt-neutrino comparisons above
put our charm at 0.75-1.51 x the BEBC on-axis flux and 0.89 x the Fermilab cross section.  Applying SHiP's Mo/W 2.3
to copper would be an assumption, and on axis the BEBC number, read either way, does not call for it.

Nothing here is tuned: the tests pin the measured ratios with the MC margin (cone fraction averaged over seeds 11-14,
60000 neutrinos per mode and seed; seeds 21-24 give 3 % less: the forward cone is a small corner of the table).
"""

import numpy as np
import pytest

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard
from na62lab.fips import get_model
from na62lab.generation.dump.sources import production_modes
from na62lab.generation.dump.tables import load_table

pytestmark = pytest.mark.usefixtures("isolated_cache")

COPPER_CARDS = ("na62_dump_2021", "na62_dump_run2", "charm", "bebc")
A_CU, SIGMA_INEL_CU_MB = 63.546, 768.5
"""Copper mass number and sigma_inel(p Cu) = A / (N_A rho lambda_I) of the cards (PDG Cu, lambda_I = 0.1532 m)."""
BR_E = {"D+": 0.1607, "D0": 0.0649, "Ds+": 0.0633}
"""PDG inclusive BR(D -> e+ X) (Review of Particle Physics, D+, D0, D_s+ listings)."""
BEBC_CONE_RAD = 1.69 / 404.0
"""The recast's BEBC acceptance, r = 1.69 m at 404 m (HNL_Dump experimental_constants.py)."""
BEBC_PROMPT_PER_USR = 32e-9
"""Prompt 'electron neutrinos per proton per micro sr' of the recast's early BEBC_main.py (HNL_Dump)."""
RECAST_4PI_PER_POT = 4.1e-4
"""The recast's prompt nu_e per POT (HNL_Dump experimental_constants.py, ELECTRON_NU_MASSLESS_FLUX / POT)."""
FNAL_SIGMA_DDBAR_UB, FNAL_ALPHA = 57.2, 0.75
"""Fermilab 400 GeV beam dump, sigma(p N -> D Dbar X) per nucleon assuming A^0.75 ("Characteristics of Charm
Production by 400-GeV Protons", abstract)."""


def _prompt_nue_per_pot(card: DumpCard) -> float:
    """nu_e + nu_ebar per POT into 4 pi from the card's D+, D0, D_s+ and the PDG inclusive BRs."""
    table = load_table()
    return sum(table.per_pot(d, card.production) * br for d, br in BR_E.items())


def _cone_fraction(card: DumpCard, seeds: tuple[int, ...] = (11, 12, 13, 14), n: int = 60000,
                   e_min_mev: float = 0.0) -> float:
    """Share of the D -> K(*) e nu neutrinos (HNL modes at m_N = 1 MeV, rate-weighted) within BEBC's cone and
    above ``e_min_mev`` (MeV), averaged over ``seeds`` (the forward cone is a small corner of the table)."""
    src = production_modes(get_model("hnl-e"), card, load_table())
    modes = [md for md in src.modes if md.name.startswith("D") and "->K" in md.name]
    m, out = np.array([1.0]), []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        num = den = 0.0
        for mode in modes:
            rate, s = float(mode.rate(m)[0]), mode.sampler(1.0, n, rng)
            theta = np.arctan2(np.hypot(s.p4[:, 1], s.p4[:, 2]), s.p4[:, 3])
            num += rate * s.weight[(theta < BEBC_CONE_RAD) & (s.p4[:, 0] > e_min_mev)].sum()
            den += rate
        out.append(num / den)
    return float(np.mean(out))


def test_copper_cards_are_primary_only_with_the_ship_cross_sections():
    """chi_cc = 18.1 ub x A / sigma_inel(p Cu), chi_bb = 1.7 nb x A / sigma_inel, no cascade factor (docstring)."""
    for name in COPPER_CARDS:
        p = load_card(name, DumpCard).production
        assert p.cascade_charm == 1.0 and p.cascade_beauty == 1.0
        assert p.chi_cc * SIGMA_INEL_CU_MB / A_CU * 1e3 == pytest.approx(18.1, rel=0.01)      # ub per nucleon
        assert p.chi_bb * SIGMA_INEL_CU_MB / A_CU * 1e6 == pytest.approx(1.7, rel=0.01)       # nb per nucleon


def test_prompt_nue_into_4pi_and_the_fermilab_dump_cross_section():
    card = load_card("bebc", DumpCard)
    flux = _prompt_nue_per_pot(card)
    assert flux == pytest.approx(2.57e-4, rel=0.01)
    assert RECAST_4PI_PER_POT / flux == pytest.approx(1.60, abs=0.02)
    fnal_pairs_per_pot = FNAL_SIGMA_DDBAR_UB * 1e-3 * A_CU ** FNAL_ALPHA / SIGMA_INEL_CU_MB
    assert fnal_pairs_per_pot / card.production.chi_cc == pytest.approx(1.12, abs=0.01)


def test_on_axis_prompt_flux_against_bebc():
    """Ours per microsteradian in BEBC's cone over the measured 3.2e-8: 1.51 (if nu_e + nu_ebar) or 0.75 (nu_e)."""
    card = load_card("bebc", DumpCard)
    frac = _cone_fraction(card)
    assert frac == pytest.approx(0.0103, rel=0.05)
    per_usr = _prompt_nue_per_pot(card) * frac / (np.pi * BEBC_CONE_RAD ** 2 * 1e6)
    assert per_usr == pytest.approx(4.83e-8, rel=0.05)
    assert 1.40 < per_usr / BEBC_PROMPT_PER_USR < 1.62
    assert 0.70 < per_usr / (2 * BEBC_PROMPT_PER_USR) < 0.81
