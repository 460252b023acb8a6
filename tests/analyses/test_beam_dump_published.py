"""Our BC1 contour against the published NA62 2021 dump contour (tests/data, see its README).

Reference: EPJC 85 (2025) 571 (arXiv:2502.04241), combined di-lepton and hadronic
final states, 90 % CL, as digitised by DarkMatterLive (Apache-2.0).  Below the pi+ pi-
threshold (0.279 GeV) no hadronic channel is open, so there it is also the di-lepton
(ee + mumu, PRL 133 (2024) 111802) contour, which is not available to the project.

Measured ours / published (card MC, 48x48 grid, after the per-final-state decay volumes,
the LKr geometry, the assumed efficiencies, the STRAW two-track separation of the card and
the measured light-meson yields per collision of the card, NA27 pp at 400 GeV/c instead of
Pythia's, and the proton form factor with its radial excitations at the PDG masses): lower edge
0.63, 0.70, 0.75, 0.79, 0.87 at 12, 20, 50, 100, 200 MeV and 1.12, 1.07, 0.90, 1.05, 1.22 at 0.4,
0.6, 0.8, 1.0, 1.2 GeV; upper edge 1.50, 1.25 at 12, 20 MeV and 0.91-1.06 from 50 MeV to 1.2 GeV;
our region closes at 1.37 GeV against 1.525 GeV (ratio 0.90).  Below 0.3 GeV, where pi0/eta ->
gamma A' dominate the production, our long-lived yield is still ~2.5x (50-250 MeV) to ~5.5x
(12 MeV) that of this drawing (NA62's 2024 di-lepton drawing of the same data agrees with ours
within 20 % from 12 to 500 MeV: tests/analyses/test_dump_dilepton_prl.py); a flat efficiency cannot
remove it without moving the agreeing edges above
0.4 GeV.  The reduced MC of this test (seeds 2021, 1 and 7) gives ratios within 0.08 of each
other (lower 1.32 and upper 0.85 at 1.2 GeV, closing at 1.34 GeV).  The tests pin these numbers
so that a change of either sign is seen.

Closing mass (1.0-1.5 GeV, where the bremsstrahlung makes ~all of the yield and e+e- plus
mu+mu- ~80 % of the accepted decays): it is set by |F_1(m^2)|^2 of the time-like proton form
factor.  With the radial excitations of Faessler et al. (arXiv:0910.5589) at the PDG masses of
rho(1450), rho(1700), omega(1420), omega(1650) our region closes at 1.37 GeV (it closed at
1.235 GeV with poles at 1250 and 1450 MeV, not PDG values, which made a dip of |F_1|^2 at
1.3-1.5 GeV).  The remaining gap needs ~3.7x more yield at 1.525 GeV, which no visible channel
can give (the hadronic channels are ~20 % of the accepted decays there).  Probes, not adopted:
|F|^2 taken as (|F_(I=1)| + |F_(I=0)|)^2, the isovector and isoscalar sums added without
their interference (as the public ALPINIST code, ALP_production/modes/bremsstrahlung.py,
form_factor_vector, does), closes at 1.66 GeV with a lower-edge ratio 1.15 at 1.2 GeV: the
published contour lies between the coherent and this incoherent form factor.  A pT cut of
2 GeV instead of 1 GeV (arXiv:1311.3870 uses 1 GeV) closes at 1.40 GeV, z in [0.05, 0.95]
at 1.40 GeV.

Upper edge at 12-20 MeV: at the published upper edge at 12 MeV (eps = 1.0e-4) we expect ~1400
events (pi0 ~45 %, eta ~25 %, bremsstrahlung ~30 %), from A' of 150-340 GeV, and NA62 ~2.3.
Our pi0 and eta spectra are softer than SensCalc's above 150 GeV (0.7x at 150-200 GeV, 0.5x
above 250 GeV), so the spectra are not the cause; the published product eps_up x m falls from
1.65e-6 (30-70 MeV) to 1.2e-6 (12 MeV), as a loss of the most boosted pairs (opening angle
~2m/E below ~2e-4 rad) in NA62's selection would do, which the papers' bodies (not reachable)
would have to give.  Probe, not adopted (the card's 10 mm, one straw diameter, is assumed and
was set before any comparison): a 20 mm two-track separation at STRAW 1 gives upper-edge ratios
1.12, 1.08 at 12, 20 MeV and lower-edge ratios 0.73, 0.77, 0.82, 0.82, 0.88 from 12 to 200 MeV;
40 mm gives upper 0.64, 0.74 and lower 1.14, 0.90 at 12, 20 MeV.  Light mesons of the whole
cascade (production.meson_cascade) move the low-mass lower edge further away (0.53 at 12 MeV).

Checked as causes of the low-mass excess (long-lived e+e- yield per POT, card MC), none
enough alone: BR(P -> gamma A') = 2 eps^2 (1 - m^2/M^2)^3 BR(P -> gamma gamma) (arXiv:1901.09966,
0906.5614) exact in the rates; the accepted A' have 20-150 GeV (pi0/eta at x_F 0.1-0.4), where
the table and the SensCalc SPS spectra agree within 10 % (1.45x above 80 GeV, theta < 1 mrad);
a STRAW hole of 0.1 m (ALPINIST ExpParameters.C) instead of 0.06 m: -3 to -9 %; a 10 GeV track
threshold: -2 to -12 %; a 20 mm two-track separation at STRAW 1: -41 %, -23 %, -5 % at 12, 20,
50 MeV (the LKr/magnet already require tracks above ~10 GeV).  An e+e--only efficiency of 0.33
(no source, probe only) would give lower-edge ratios 0.83-1.16 from 12 MeV to 1 GeV: the excess
behaves like an e+e- efficiency the papers do not give us, not like a production error.

The card's channel inputs (observed counts, backgrounds) are unverified against the paper
bodies (labels in the card); only N_POT = 1.4e17 is checked.
"""


import numpy as np
import pytest

from na62lab.analyses import beam_dump
from na62lab.config import published
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC

DATA = published.BC1_2021_COMBINED
CARD = load_card("na62_dump_2021", DumpCard).model_copy(
    update={"mc": DumpMC(n_fip=800, n_mass_nodes=8, n_z_bins=3, n_ctau_nodes=50)})


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NA62LAB_CACHE", str(tmp_path / "cache"))


def test_published_overlay_reads_as_a_closed_polygon():
    m, eps = beam_dump.read_overlay(DATA)
    assert m.size > 500 and m[0] == pytest.approx(m[-1]) and eps.min() > 3e-8 and eps.max() < 2e-4


# (masses GeV, allowed band of ours / published): the measured values (module docstring) with
# room for the reduced Monte Carlo of this test, not more.
LOWER_BANDS = (((0.012, 0.02), (0.55, 0.85)), ((0.05, 0.1, 0.2), (0.66, 0.97)),
               ((0.4, 0.6, 1.0), (0.95, 1.22)), ((0.8,), (0.8, 1.0)), ((1.2,), (1.2, 1.45)))
UPPER_BANDS = (((0.012,), (1.25, 1.75)), ((0.02,), (1.05, 1.4)),
               ((0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0), (0.88, 1.12)), ((1.2,), (0.75, 1.0)))


def test_bc1_validation_table_pins_ours_over_published():
    from na62lab.analyses import beam_dump_validation as val

    res = beam_dump.sensitivity("dark-photon", CARD, 24, 40)
    table = val.validate(res, DATA, val.VALIDATION_MASSES_GEV, val.BC1_REFERENCE)
    rows = {r["mass_gev"]: r for r in table["rows"]}
    for key, bands in (("lower_ratio", LOWER_BANDS), ("upper_ratio", UPPER_BANDS)):
        for masses, (lo, hi) in bands:
            for mass in masses:
                assert lo < rows[mass][key] < hi, (key, mass, rows[mass][key])
    # our region closes at 1.27-1.34 GeV here (1.37 GeV with the card MC), the published one at
    # 1.525 GeV (10 % not met: see module docstring); with the former form-factor poles ~1.24 GeV
    assert table["m_max_ref"] == pytest.approx(1.525, abs=0.01)
    assert 1.26 < table["m_max"] < 1.42     # 1.265 / 1.337 / 1.345 GeV (grid masses) over seeds, either sampler


def test_observed_event_weakens_the_limit_only_near_its_mass():
    """The published contour weakens only near 0.41 GeV (the e+e- candidate); so does ours."""
    masses = np.array([300.0, 405.0, 412.0, 420.0, 500.0])
    chans = ["ee", "mumu"]
    counts = beam_dump.observed_by_mass(CARD, chans, masses)
    np.testing.assert_array_equal(counts, [0, 1, 1, 1, 0])
    limits = beam_dump.observed_limits(beam_dump.combined_inputs(CARD, chans), counts, 0.9)
    assert limits[0] == pytest.approx(2.30, abs=0.02) and limits[2] == pytest.approx(3.86, abs=0.05)
    # an overridden count has no mass: it counts everywhere
    card = beam_dump.with_inputs(CARD, observed={"ee": 1})
    assert np.all(beam_dump.observed_by_mass(card, chans, masses) == 1)


def test_card_rejects_event_masses_that_do_not_match_the_count():
    from na62lab.config.base import parse_card
    from na62lab.errors import InputError

    with pytest.raises(InputError):
        parse_card({"channels": {"ee": {"observed": 2, "observed_masses_mev": [412.0]}}}, DumpCard)
    with pytest.raises(InputError):
        parse_card({"channels": {"ee": {"observed": 1, "observed_masses_mev": [-1.0]}}}, DumpCard)


def _ranges(chans, masses_gev):
    """Excluded coupling interval per mass from the ``chans`` channels alone (card inputs)."""
    from na62lab.physics.units import GeV
    from na62lab.yields.dump_contours import excluded_ranges
    from na62lab.yields.dump_grid import expected_events

    couplings = np.geomspace(1e-8, 1e-3, 60)
    grid = expected_events("dark-photon", CARD, masses_gev * GeV, couplings, final_states=chans,
                           use_cache=False)
    signal = sum(grid.by_final_state[c] for c in chans)
    limits = beam_dump.observed_limits(beam_dump.combined_inputs(CARD, chans),
                                       beam_dump.observed_by_mass(CARD, chans, masses_gev * GeV), CARD.cl)
    return {r["mass_gev"]: (r["coupling_min"], r["coupling_max"])
            for r in excluded_ranges(masses_gev, couplings, signal, limits)}


def test_lepton_channels_exclude_where_the_abstracts_say():
    """PRL 133 (2024) 111802 abstract: the combined e+e- and mu+mu- result improves on previous
    limits "for dark photon mass values between 50 and 600 MeV/c^2 and coupling values in the
    range 1e-6 to 4e-5"; JHEP 09 (2023) 035 abstract: mu+mu- alone improves "for dark photon
    masses between 215 and 550 MeV/c^2".  So our ee+mumu exclusion must exist and reach into
    [1e-6, 4e-5] at 60, 300 and 550 MeV, and mu+mu- alone must exclude at 300 MeV."""
    masses = np.array([0.06, 0.3, 0.55])
    both = _ranges(["ee", "mumu"], masses)
    assert set(both) == set(masses), both
    for lo, hi in both.values():
        assert lo < 4e-5 and hi > 1e-6, (lo, hi)
    mumu = _ranges(["mumu"], np.array([0.3]))
    assert 0.3 in mumu and mumu[0.3][0] < 4e-5
