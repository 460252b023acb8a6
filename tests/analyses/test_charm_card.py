"""The CHARM card (issue 16): ALPINIST's CHARM selection, the thick-dump meson cascade, clean ALP widths.

Reference numbers: the public ALPINIST code (jjerhot/ALPINIST, ALP_decay/src/ExpParameters.C,
case 1 "CHARM": ZFVIn = 480 m, ZFVEnd = 515 m, Y0 = -4.8 m, 3 m x 3 m, POT = 2.4e18;
twoPhotonCondition: one or two photons on the calorimeter, each of them with 5-50 GeV; twoMuonCondition:
muons above 1 GeV).
"""

import warnings

import numpy as np
import pytest

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.detector.dump_acceptance import generic_acceptance
from na62lab.fips.alp_hadrons import three_pion_lo
from na62lab.generation.dump.cascade import cascade_meson_table, cascade_production, hadronic_enhancement
from na62lab.generation.dump.tables import load_table
from na62lab.physics.particles import mass
from na62lab.physics.units import GeV


pytestmark = pytest.mark.usefixtures("isolated_cache")


@pytest.fixture(scope="module")
def charm():
    return load_card("charm", DumpCard)


def test_charm_geometry_and_exposure_are_alpinists(charm):
    assert charm.run.n_pot == 2.4e18
    assert charm.selection.fiducial_z_m == (480.0, 515.0) and charm.selection.neutral_decay_end_m == 515.0
    assert charm.detector.planes_m == (515.0,) and charm.detector.aperture_half_m == (1.5, 1.5)
    assert charm.detector.offset_m == (0.0, -4.8) and not charm.detector.pointing
    assert charm.selection.muon_p_min_gev == 1.0 and charm.selection.photon_e_max_gev == 50.0
    # one meson_cascade default for all dumps
    assert charm.selection.photons_in_acceptance == "any" and not charm.production.meson_cascade


def _photons(e1, e2, y2_mm):
    """Two photons from a vertex on the CHARM axis at 500 m; the second one aimed at y2 (mm) at 515 m."""
    vtx = np.array([[0.0, -4800.0, 500_000.0]])
    g1 = np.array([[e1, 0.0, 0.0, e1]])
    dy = y2_mm - (-4800.0)
    g2 = np.array([[e2, 0.0, e2 * dy / 15_000.0, e2]])
    return vtx, [g1, g2]


def test_one_photon_in_the_calorimeter_is_enough_for_charm_but_not_for_all(charm):
    vtx, photons = _photons(20_000.0, 20_000.0, -4800.0 + 3000.0)     # second photon 3 m off: outside
    any_ = generic_acceptance(vtx, photons, ("gamma", "gamma"), (0, 0), charm.detector, charm.selection)
    strict = charm.selection.model_copy(update={"photons_in_acceptance": "all"})
    all_ = generic_acceptance(vtx, photons, ("gamma", "gamma"), (0, 0), charm.detector, strict)
    assert any_.tolist() == [True] and all_.tolist() == [False]


def test_a_photon_on_the_calorimeter_outside_5_to_50_gev_rejects_the_event(charm):
    """Both photons on the calorimeter: both must be within 5-50 GeV (ALPINIST ExpParameters.C,
    twoPhotonCondition for CHARM, iOnLKr == 2).  A photon that reaches the calorimeter deposits its energy, so
    one of 60 GeV (or 3 GeV) next to one of 20 GeV is not an accepted event; before this rule the 60 GeV photon
    was ignored and the 20 GeV one sufficed (x3.7 BC9 events, lower edge 0.72 x ALPINIST's table)."""
    for e1, ok in ((60_000.0, False), (3_000.0, False), (45_000.0, True)):
        vtx, photons = _photons(e1, 20_000.0, -4800.0)                # both photons on the calorimeter
        got = generic_acceptance(vtx, photons, ("gamma", "gamma"), (0, 0), charm.detector, charm.selection)
        assert got.tolist() == [ok], e1


def test_photons_outside_5_to_50_gev_do_not_count(charm):
    for e1, ok in ((60_000.0, False), (4_000.0, False), (45_000.0, True)):
        vtx, photons = _photons(e1, 20_000.0, -4800.0 + 3000.0)       # only the first photon can hit
        got = generic_acceptance(vtx, photons, ("gamma", "gamma"), (0, 0), charm.detector, charm.selection)
        assert got.tolist() == [ok], e1


def test_muons_need_1_gev_electrons_5_gev(charm):
    vtx = np.array([[0.0, -4800.0, 500_000.0]])
    p = 2_000.0                                                      # 2 GeV tracks along the detector axis
    track = np.array([[np.hypot(p, 105.7), 0.0, 0.0, p]])
    mu = generic_acceptance(vtx, [track, track], ("mu", "mu"), (1, -1), charm.detector, charm.selection)
    ee = generic_acceptance(vtx, [track, track], ("e", "e"), (1, -1), charm.detector, charm.selection)
    assert mu.tolist() == [True] and ee.tolist() == [False]


def test_electron_pairs_are_showers_like_photon_pairs(charm):
    """CHARM has no spectrometer: e+ e- pass as one or two showers of 5-50 GeV (ALPINIST ExpParameters.C,
    twoElectronCondition falls through to twoPhotonCondition for CHARM); without the card flag both
    electrons must be inside, above track_p_min_gev, with no upper energy cut."""
    assert charm.selection.electrons_as_showers
    tracks = ("e", "e"), (1, -1)
    tracking = charm.selection.model_copy(update={"electrons_as_showers": False})
    for e1, y2, showers, tracked in ((20_000.0, -4800.0 + 3000.0, True, False),   # one shower inside
                                     (60_000.0, -4800.0 + 3000.0, False, False),  # above 50 GeV
                                     (20_000.0, -4800.0, True, True),             # both inside
                                     (60_000.0, -4800.0, False, True)):           # both inside, one > 50 GeV
        vtx, pair = _photons(e1, 20_000.0, y2)
        assert generic_acceptance(vtx, pair, *tracks, charm.detector, charm.selection).tolist() == [showers], e1
        assert generic_acceptance(vtx, pair, *tracks, charm.detector, tracking).tolist() == [tracked], e1


def test_meson_cascade_keeps_measured_primary_yield_and_only_adds_above_the_floor(charm):
    table = load_table(charm.production.production_table)
    casc = cascade_meson_table(table, charm.production)
    p, _ = table.centres()
    below = p < charm.production.meson_cascade_p_min_gev * GeV
    for name, measured in charm.production.measured_multiplicities.items():
        primary = table.density[name] * (measured / table.density[name].sum())
        np.testing.assert_allclose(casc.density[name][below], primary[below], rtol=1e-12)
        assert casc.density[name][~below].sum() > primary[~below].sum()
    assert np.all(hadronic_enhancement(table, "K+") >= 1.0)
    assert casc.density["gamma"] is table.density["gamma"]           # Primakoff adds its own cascade
    assert cascade_production(charm.production).measured_multiplicities == {}
    # above 10 GeV (the energies CHARM accepts) the cascade adds a factor of order 2, not orders of magnitude
    hi = p >= 10 * GeV
    ratio = casc.density["eta"][hi].sum() / (table.density["eta"][hi].sum() * 0.30 / table.density["eta"].sum())
    assert 1.5 < ratio < 4.0


def test_three_pion_width_is_zero_below_threshold_without_warnings():
    m = np.array([0.0, 1.0, mass("pi0"), 3 * mass("pi0"), 500.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        width = three_pion_lo(m, 1e-6)
    assert width[:4].tolist() == [0.0, 0.0, 0.0, 0.0] and width[4] > 0


def test_meson_cascade_raises_charm_dark_photon_events_from_eta_decays(charm):
    """Dark photon at 0.3 GeV, epsilon = 3e-7 (long-lived at CHARM): eta -> gamma A' grows with the cascade."""
    from na62lab.yields.dump_grid import expected_events

    small = charm.model_copy(update={"mc": DumpMC(n_fip=20_000, n_mass_nodes=4, n_z_bins=3, n_ctau_nodes=40)})
    off = small.model_copy(update={"production": small.production.model_copy(update={"meson_cascade": False})})
    small = small.model_copy(update={"production": small.production.model_copy(update={"meson_cascade": True})})
    masses, eps = np.array([250.0, 300.0]), np.array([3e-7])
    on_ = expected_events("dark-photon", small, masses, eps).by_mode["eta->gammaA"]
    off_ = expected_events("dark-photon", off, masses, eps).by_mode["eta->gammaA"]
    assert np.all(on_ > 1.2 * off_) and np.all(on_ < 5 * off_)
