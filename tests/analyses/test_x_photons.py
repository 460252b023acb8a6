"""K+ -> pi+ a, a -> gamma gamma: both photons in the LKr (kaon_searches_common.x_photons, resolution x_photons)."""

import numpy as np
import pytest
from pydantic import ValidationError

from na62lab.analyses.kaon_searches_common import resolution as res
from na62lab.analyses.kaon_searches_common import x_photons as xp
from na62lab.config.searches import Resolution
from na62lab.detector.params import detector_params, veto_tables
from na62lab.yields.kaon_chain import kaon_card, simulate_decays


@pytest.fixture(scope="module")
def detector():
    card = kaon_card(None)
    return card, detector_params(card), veto_tables(card)


def _photon_to(params, vertex_z, x, y, energy):
    """A photon of ``energy`` (MeV) from (0, 0, vertex_z) (mm) aimed at (x, y) (mm) on the LKr front plane."""
    d = np.array([x, y, params.z_lkr - vertex_z])
    return np.concatenate([[energy], energy * d / np.linalg.norm(d)])[None, :]


def test_cluster_weight_follows_the_kaon_simulation_photon_conditions(detector):
    """One photon from z = 150 m: inside the LKr octagon at 10 GeV it is seen with 1 - 1e-5 (card lkr_ineff); in the
    beam hole, below 0.1 GeV (inefficiency 1), outside the 1130 mm apothem or within 100 mm of the pi+ impact it
    gives no separate cluster."""
    _, params, tables = detector
    lkr = xp.lkr_only_tables(tables)
    vtx = np.array([[0.0, 0.0, 150_000.0]])
    far = (np.array([-600.0]), np.array([0.0]))
    cases = [((500.0, 0.0, 10_000.0), far, 1.0 - 1e-5), ((0.0, 30.0, 10_000.0), far, 0.0),
             ((500.0, 0.0, 50.0), far, 0.0), ((0.0, 1180.0, 10_000.0), far, 0.0),
             ((500.0, 0.0, 10_000.0), (np.array([560.0]), np.array([0.0])), 0.0)]
    for (x, y, e), pion, expected in cases:
        w = xp.cluster_weight(vtx, _photon_to(params, 150_000.0, x, y, e), pion, params, lkr)
        assert w[0] == pytest.approx(expected, abs=1e-9), (x, y, e)


def test_event_weight_is_the_product_of_the_photon_weights(detector):
    """The kaon_sim photon-pair fraction is the mean over decays of w(gamma 1) x w(gamma 2), both photons required:
    below either photon's mean weight (260 MeV: pair 0.42, each photon 0.67 measured)."""
    card, params, tables = detector
    rng = np.random.default_rng(11)
    sample = simulate_decays(card, "pi_X", 1500, rng, params, tables, m_x=260.0)
    rows = res._node_tables(sample, 260.0, 139.57, (10.0, 45.0), rng)[4]
    frac = res._photon_pair_fraction(sample, rows, params, np.random.default_rng(5))
    r4 = np.repeat(rows, res.PAIR_DECAYS)
    slots = sample.final_state.slots
    w = xp.photon_weights(slots[1].p4[r4], sample.beam.vertex[r4], slots[0].p4[r4], params, tables,
                          np.random.default_rng(5))
    assert np.all((w >= 0) & (w <= 1))
    assert frac == pytest.approx(np.mean(w[:, 0] * w[:, 1]), rel=1e-12)
    assert frac < w.mean(axis=0).min() - 0.15
    assert 0.35 < frac < 0.50


def test_acceptance_with_photons_is_the_pion_one_times_the_pair_fraction():
    """resolution.x_photons multiplies the kaon_sim acceptance by the photon-pair fraction (measured 0.495 at
    220 MeV, 0.402 at 300 MeV with 4000 decays per node, about 2100 / 2600 selected pi+; binomial error about 0.015
    each, the bounds are +-4 of it) and leaves the resolution as it was (the photons draw from their own stream)."""
    nodes = np.array([220.0, 300.0])
    window = (10.0, 45.0)
    photons = res.card_resolution(Resolution(source="kaon_sim", x_photons=True), "K+", "pi+", "mass_mev", nodes,
                                  window)
    pion = res.card_resolution(Resolution(source="kaon_sim"), "K+", "pi+", "mass_mev", nodes, window)
    np.testing.assert_array_equal(photons.sigma_mass, pion.sigma_mass)
    frac = photons.acceptance / pion.acceptance
    assert np.all(photons.acceptance < pion.acceptance)
    assert 0.43 < frac[0] < 0.55 and 0.34 < frac[1] < 0.46
    assert frac[0] > frac[1]


def test_x_photons_needs_the_kaon_simulation():
    with pytest.raises(ValidationError, match="x_photons"):
        Resolution(source="simulated", x_photons=True)
    with pytest.raises(ValidationError, match="x_photons"):
        Resolution(source="kaon_sim", x_photons=True, x_daughters="mu+mu-")
