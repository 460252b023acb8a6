"""Displaced a -> gamma gamma decays in K+ -> pi+ a: the selection's mass window sets the accepted flight distance."""

import numpy as np
import pytest

from na62lab.analyses.kaon_searches_common import displaced as dp
from na62lab.analyses.kaon_searches_common import lifetime as lt
from na62lab.config.searches import Lifetime
from na62lab.errors import InputError

GEOM = Lifetime(kind="near_kaon_vertex", vertex_z_m=(105.0, 170.0), z_end_m=241.0, kaon_mass_window_mev=10.0,
                events_per_mass=3000)
CENTRES = 0.5 * (dp.D_EDGES_M[1:] + dp.D_EDGES_M[:-1])


@pytest.fixture(scope="module")
def node_270():
    return dp.simulate_node(270.0, GEOM, 4000, np.random.default_rng(3))


def test_prompt_decays_reconstruct_the_kaon_mass_exactly(node_270):
    """In the first distance bin (1 cm of flight) the photons come almost from the K+ vertex: m(pi gamma gamma)
    is within 0.1 MeV of m_K, so a 0.1 MeV window keeps every event the LKr accepts (as the 10 MeV window does)."""
    tight = GEOM.model_copy(update={"kaon_mass_window_mev": 0.1})
    p_tight, ok_tight = dp.simulate_node(270.0, tight, 4000, np.random.default_rng(3))
    _, ok = node_270
    assert np.array_equal(ok_tight[:, 0], ok[:, 0])
    assert 0.2 < ok[:, 0].mean() < 0.9           # both photons inside the LKr octagon, outside the beam hole


def test_far_decays_fail_the_window(node_270):
    """A few MeV per metre: nothing survives 20 m of flight at 270 MeV, most survive 1 m."""
    _, ok = node_270
    frac = ok.mean(axis=0)
    assert frac[np.searchsorted(CENTRES, 1.0)] > 0.9 * frac[0]
    assert frac[np.searchsorted(CENTRES, 20.0)] == 0.0


def test_lifetime_acceptance_limits_and_monotony(node_270):
    p_a, _ = node_270
    pq = np.percentile(p_a, (np.arange(12) + 0.5) / 12 * 100)[None, :]
    ctau = np.array([[0.0, 1.0, 30.0, 300.0, 3000.0, np.inf]])
    acc = dp.lifetime_acceptance(pq, np.array([270.0]), ctau, GEOM)[0]
    assert acc[0] == pytest.approx(1.0)
    grid = dp.lifetime_acceptance(np.repeat(pq, 2, axis=0), np.array([260.0, 270.0]), np.repeat(ctau, 2, axis=0), GEOM)
    assert grid.shape == (2, 6) and np.allclose(grid[1], acc)      # a coupling grid (M, G) gives the same numbers
    assert acc[1] == pytest.approx(1.0, abs=0.01)   # a displaced photon may leave the beam hole: not exactly <= 1
    assert acc[-1] == 0.0
    assert np.all(np.diff(acc[1:]) < 0)


def test_ratios_match_na62_lifetime_dependent_limits(node_270):
    """limit(tau)/limit(prompt) for K+ -> pi+ a (a -> gamma gamma) at mid-range mass: NA62's lifetime-dependent
    limits (PLB 850 (2024) 138513; JHEP 11 (2025) 143) give about 1.7 (0.1 ns), 6 (0.5 ns), 24 (2 ns).  The window
    is the selection's, not fitted; tolerance 30 %."""
    p_a, _ = node_270
    pq = np.percentile(p_a, (np.arange(12) + 0.5) / 12 * 100)[None, :]
    for tau, published in ((0.1, 1.7), (0.5, 6.0), (2.0, 24.0)):
        acc = lt.mean_acceptance("near_kaon_vertex", pq, np.array([270.0]),
                                 np.array([lt.ctau_from_lifetime(tau)]), GEOM)[0]
        assert 1.0 / acc == pytest.approx(published, rel=0.3)


def test_wider_window_accepts_longer_flights():
    pq = np.array([[40e3, 50e3, 60e3]])
    ct = np.array([lt.ctau_from_lifetime(0.5)])
    narrow = lt.mean_acceptance("near_kaon_vertex", pq, np.array([300.0]), ct, GEOM)
    wide = lt.mean_acceptance("near_kaon_vertex", pq, np.array([300.0]), ct,
                              GEOM.model_copy(update={"kaon_mass_window_mev": 30.0}))
    assert wide[0] > 1.5 * narrow[0]


def test_window_is_required():
    with pytest.raises(ValueError):
        Lifetime(kind="near_kaon_vertex")


def test_mass_outside_the_kinematic_range():
    with pytest.raises(InputError):
        dp.simulate_node(360.0, GEOM, 100, np.random.default_rng(0))


def test_escape_uses_the_shared_decay_probability():
    """<exp(-u/l)> over the vertex, closed form, against a direct average."""
    geom = Lifetime(kind="escape", vertex_z_m=(105.0, 165.0), z_end_m=241.0)
    lam = np.array([1e3, 3e4, 1e5, 1e6, 1e9])
    u = np.linspace(241.0 - 165.0, 241.0 - 105.0, 200_001) * 1e3
    direct = np.trapezoid(np.exp(-u[None, :] / lam[:, None]), u, axis=1) / (u[-1] - u[0])
    assert np.allclose(lt.escape_probability(lam, geom), direct, rtol=1e-4, atol=1e-300)
