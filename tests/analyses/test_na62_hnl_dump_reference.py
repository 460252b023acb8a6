"""NA62 Run 2 dump, HNL with |U_e|^2 only (BC6, 1e18 POT): our lower edge against a public "NA62" projection.

Reference (no curve is copied here; the points below are read off the file, interpolated log-log between
neighbouring vertices): ryanbarouki/HNL_Dump (the code of Barouki, Marocco, Sarkar, arXiv:2208.00416), commit
5d5071392510cf26db98a6bfe3ac32e59f106cb4, digitised_data/electron/NA62.csv (m in GeV, |U_e|^2).  The repository
states no provenance; it is probably the NA62 1e18 POT dump projection of the PBC BC6 figure (CERN-PBC-REPORT-
2018-007, arXiv:1901.09966) or of Drewes, Hajer, Klaric, Lanfranchi, JHEP 07 (2018) 105 (arXiv:1801.04207).

What was reachable about its assumptions (t86):

- arXiv:1801.04207 and the PBC report: abstracts only, no text (acceptance, channels, production not read).
- NA62's HNL dump search, arXiv:2605.02415 (2026 status talk): summaries only: N -> h+- l-+ with h = pi, pi pi0,
  pi 2pi0, K and l = e, mu, 150-2000 MeV, no event observed.  Its acceptance and POT were not reachable.
- NA62's own HNL projection code (NA62Analysis user analysers HeavyNeutrino, HeavyNeutrinoScan and the ToolsLib
  HNLFunctions, L. Iacobuzio 2018, public copies in the code index; facts quoted, no code used): coupling
  ratios U_e^2 : U_mu^2 : U_tau^2 = 1 : 16 : 3.8 by default (the 1801.04207 benchmark), decay volume 102.4-180 m,
  2.596e-3 D mesons per POT on the Cu TAX, fragmentation D+ 0.246, D0 0.565, D_s 0.08, and a selection that
  needs BOTH tracks inside all four STRAW chambers (four-chamber tracks; holes at x = 101.2 / 114.4 / 92.4 /
  52.8 mm, NA62Tools GeometricAcceptance), in the CHOD, NewCHOD, LKr (r > 150 mm, octagon) and MUV3 acceptances,
  with LKr E/p for the particle ID.  Whether the published projection curves used this selection is not stated.
- The public ALPINIST code (jjerhot/ALPINIST, ALP_decay/src/ExpParameters.C, NA62 setup, 1e18 POT):
  electron + hadron decays need both E > 5 GeV, both tracks in STRAW 1 and 4 at 0.1 < r < 1 m, both in the LKr.

Checked for real errors in our charged-track acceptance (each against NA62's code above):
- all four chambers: NA62 requires them (NChambers > 3, all four in acceptance), as we do (its earlier pi mu
  scan accepted NChambers >= 3; any 3 of 4 would add 6-9 % of the pi e / rho e events at 1-1.5 GeV, probe);
- the STRAW holes are not on the z axis: fixed in this session (cards' geometry.straw_hole_x_m), lower edge
  -0.5 % at 0.3-1.5 GeV (BC1 2021 edges within 0.3 %);
- the LKr for the pion (and electron) ID: required by NA62 (E/p), as we do; NA62's standard track cut at the
  LKr is r > 150 mm where we take the 80 mm beam pipe: -1.3 % events at 1 GeV (pi e, D_s), not applied; NA62's
  pi mu selection also puts both tracks in the MUV3 acceptance: not applied (small, mostly redundant).
None of these moves the edge by more than 1 %.

Measured ours/reference, the run2 card, this test's MC (2000 FIPs per node; seeds 3 / 4 / 5), at 0.3 / 0.5 / 0.8 /
1.0 / 1.5 / 1.8 GeV: 0.73 / 3.83 / 5.56 / 6.12 / 10.7 / 16.3, 0.71 / 3.73 / 5.24 / 5.88 / 12.6 / 15.2, 0.75 / 3.79 /
5.27 / 6.06 / 11.9 / 17.4 (3000 FIPs, seed 3: 0.66 / 3.72 / 5.40 / 6.10 / 11.2 / 15.2).  With the HNLs of charmed
baryons (f432d99: Lambda_c, Xi_c -> Lambda, Xi e N, 10 % of our events at the 0.5 GeV edge, 0.7 % at 1 GeV, none
above their 1.17 GeV end; Pythia's Lambda_c are harder and more forward than its D), seed 3: 0.72 / 3.58 / 5.39 /
6.10 / 10.7 / 16.3.

Decomposition:
- 0.3 GeV, ours stronger: 93 % of our events at the edge are K+ -> e+ N of kaons decaying in flight in the TAX.
  The reference lies at 1e-5 below 0.22 GeV and falls 9x between 0.217 and 0.253 GeV, across m_pi + m_mu =
  0.2454 GeV: the pi mu threshold, which an N mixing with nu_e only does not have (N -> pi mu needs U_mu).  The
  curve is therefore not a pure-U_e calculation of this kind (or carries muon mixing): its label is in doubt.
- 0.5-1.8 GeV, the gap is the daughters' acceptance.  Test-only variant: every pi e, K e, rho e decay in the
  decay volume of an N aimed at the LKr (visible momentum line from the vertex inside the LKr octagon) counts,
  i.e. no track requirement at all; production, lifetime, branching ratios, efficiencies unchanged.  Then
  ours/reference = 0.85-0.87 / 0.97-0.99 / 0.71-0.77 / 0.78-0.84 / 0.99-1.03 at 0.5 / 0.8 / 1.0 / 1.5 / 1.8 GeV
  (seeds 3-5): the reference's level and shape (minimum near 1.5 GeV) within 30 %.  The full selection keeps
  1/19 to 1/270 of those events (4.4 to 16 in U^2): at 1 GeV (D_s -> e N, N -> pi e, decay-weighted, probe) 4.4 %
  of the N aim at the detector; of their decays each daughter passes p > 5 GeV 0.81 / 0.77, STRAW 1 0.39 / 0.37,
  STRAW 1-4 0.19 / 0.18, and its PID detector 0.16 / 0.15, both 0.014 (rho e: 0.034). The long-lifetime decays
  favour slow N, whose daughters open by ~ p* / p ~ 50 mrad, beyond the 1 m STRAW radius 80 m downstream; the two
  daughters are back to back in the N frame, so one inside makes the other likely outside.
- The same repository's "NA62" U_tau curve (digitised_data/tau/NA62.csv, same commit: 1.12e-3 at 1.0 GeV,
  closing near 1.6 GeV) goes the other way: our hnl-tau run2 lower edge is 1.2e-4 / 8.4e-5 / 4.2e-4 at 0.5 / 1.0
  / 1.4 GeV, 0.05 / 0.07 / 0.34 of it (probe, 2000 FIPs, seed 3; not pinned: 56 s).  No single acceptance makes
  both curves ours, so the two digitised "NA62" curves are not one consistent calculation either.
- So the reference behaves as if it counted every decay of an N aimed at the detector (inferred from this
  decomposition, not stated by it).  NA62's own selection applies the daughters' cuts, so ours is kept: no
  number here is tuned to the reference, and the bands below hold the measured ratios with the seed spread.
"""

import numpy as np
import pytest

from na62lab.analyses.beam_dump_references import crossings
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.detector.dump_acceptance import lkr_acceptance
from na62lab.selection import dump_selection
from na62lab.yields.dump_grid import expected_events

LIMIT = 2.3
REFERENCE = {300.0: 4.426e-7, 500.0: 1.381e-7, 800.0: 5.810e-8, 1000.0: 3.652e-8, 1500.0: 1.539e-8,
             1800.0: 1.975e-8}
"""m (MeV) -> reference lower |U_e|^2, log-log between the file's neighbouring vertices (GeV, |U_e|^2):
(0.2959, 4.563e-7)-(0.3118, 4.069e-7); (0.4998, 1.3817e-7)-(0.5267, 1.2459e-7); (0.7603, 6.407e-8)-
(0.8012, 5.794e-8); (0.9881, 3.757e-8)-(1.0413, 3.318e-8); (1.4263, 1.598e-8)-(1.5031, 1.536e-8);
(1.7592, 1.876e-8)-(1.8102, 2.001e-8)."""
REFERENCE_PI_MU_STEP = ((0.21703, 6.329e-6), (0.25279, 6.729e-7))
"""The reference's vertices on either side of m_pi + m_mu = 0.2454 GeV (GeV, |U_e|^2), same file."""
AIMED_CHANNELS = ["pie", "Ke", "rhoe"]
MC = DumpMC(n_fip=2000, n_mass_nodes=10, n_ctau_nodes=60, seed=3, min_accepted=80)


def _n_aimed_at_lkr(vertex, p4s, kinds, charges, card, rng):
    """Test-only selection: decay volume, and the visible momentum from the vertex inside the LKr octagon."""
    inside = dump_selection.in_fiducial_volume(vertex, card, not any(charges))
    return inside & lkr_acceptance(vertex, np.sum(p4s, axis=0), card.geometry, card.selection)


@pytest.fixture(scope="module")
def grids(tmp_path_factory):
    """(card, full selection, N-aimed variant) expected events of hnl-e on the run2 card, empty cache."""
    masses = np.array(sorted(REFERENCE))
    u2 = np.geomspace(1e-11, 1e-2, 400)
    card = load_card("na62_dump_run2", DumpCard)
    card = card.model_copy(update={"mc": MC})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NA62LAB_CACHE", str(tmp_path_factory.mktemp("cache")))
        full = expected_events("hnl-e", card, masses, u2, use_cache=False)
        mp.setattr(dump_selection, "select_dump", _n_aimed_at_lkr)
        aimed = expected_events("hnl-e", card, masses, u2, final_states=AIMED_CHANNELS, use_cache=False)
    return card, full, aimed


def _lower_ratios(grid) -> np.ndarray:
    lower = np.array([crossings(grid.couplings, row, LIMIT)[0] for row in grid.total])
    return lower / np.array([REFERENCE[m] for m in sorted(REFERENCE)])


def test_card_is_the_1e18_majorana_projection(grids):
    card, _, _ = grids
    assert card.run.n_pot == 1.0e18 and card.run.projection
    assert set(AIMED_CHANNELS) <= set(card.channels)
    assert card.geometry.straw_hole_x_m == (0.1012, 0.1144, 0.0924, 0.0528)


def test_lower_edge_against_the_reference(grids):
    _, full, _ = grids
    r = _lower_ratios(full)
    print("ours/reference lower |U_e|^2 at", sorted(REFERENCE), np.round(r, 2))
    bands = [(0.6, 0.9), (3.2, 4.4), (4.5, 6.4), (5.0, 7.0), (9.0, 14.5), (12.5, 20.0)]
    for (lo, hi), value in zip(bands, r):
        assert lo < value < hi, r             # measured (seeds 3-5) 0.71-0.75, 3.73-3.83, 5.24-5.56, 5.88-6.12,
                                              #   10.7-12.6, 15.2-17.4 before the baryons; seed 3 with them
                                              #   (f432d99) 0.72, 3.58, 5.39, 6.10, 10.7, 16.3


def test_kaons_make_us_stronger_at_0p3_gev(grids):
    _, full, _ = grids
    i = sorted(REFERENCE).index(300.0)
    lower = crossings(full.couplings, full.total[i], LIMIT)[0]
    j = int(np.argmin(np.abs(np.log(full.couplings / lower))))
    share = full.by_mode["K+->e+N"][i, j] / full.total[i, j]
    assert share > 0.8, share                 # measured 0.93


def test_reference_steps_at_the_pi_mu_threshold():
    (m1, u1), (m2, u2) = REFERENCE_PI_MU_STEP
    assert m1 < 0.13957 + 0.10566 < m2
    assert u1 / u2 > 9.0                      # 9.4x within 36 MeV: a U_mu feature in a "U_e" curve


def test_the_gap_is_the_daughters_acceptance(grids):
    _, full, aimed = grids
    masses = sorted(REFERENCE)
    r_full, r_aimed = _lower_ratios(full), _lower_ratios(aimed)
    print("every decay of an N aimed at the LKr counts: ours/reference", np.round(r_aimed, 2))
    for m, value, whole in zip(masses, r_aimed, r_full):
        if m >= 500.0:
            assert 0.6 < value < 1.3, r_aimed  # measured 0.85-0.87, 0.97-0.99, 0.71-0.77, 0.78-0.84, 0.99-1.03
            assert whole / value > 3.5, (r_full, r_aimed)   # the daughters' cuts: 4.4 ... 17 in U^2
