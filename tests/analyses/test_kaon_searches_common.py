"""Shared search machinery: resolution model, lifetimes, spectra, the peak-search engine, PBC readings."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from na62lab.analyses.kaon_searches_common import engine as eng
from na62lab.analyses.kaon_searches_common import lifetime as lt
from na62lab.analyses.kaon_searches_common.interpretation import br_k_pi_dark_photon
from na62lab.analyses.kaon_searches_common.resolution import simulate_resolution
from na62lab.analyses.kaon_searches_common.spectra import (adaptive_grid, pinunu_q2_density, selected_mass_density,
                                                         shape_in_bins, true_mass_density)
from na62lab.config.base import load_card, parse_card
from na62lab.config.searches import Lifetime, PeakSearchCard, Smearing
from na62lab.errors import InputError
from na62lab.physics.units import GeV, m
from na62lab.stats.limits import upper_limit

GEOM = Lifetime(kind="escape", vertex_z_m=(105.0, 165.0), z_end_m=241.0)


@pytest.fixture(scope="module")
def gg_card():
    return load_card("na62_search_pi_a_gammagamma", PeakSearchCard)


def _with(card, **changes):
    d = card.model_dump()
    d.update(changes)
    return parse_card(d, PeakSearchCard)


# ------------------------------------------------------------------ resolution
def test_pinunu_mmiss2_resolution_matches_published():
    # NA62 PLB 791 (2019) 156 and JHEP 06 (2021) 093: sigma(m_miss^2) about 1e-3 GeV^2/c^4 (tolerance 30 %)
    model = simulate_resolution(Smearing(events_per_mass=3000), "K+", "pi+", np.array([0.0, 100.0, 200.0]),
                                (15.0, 35.0), np.random.default_rng(3))
    assert np.all(np.abs(model.sigma_mmiss2 / GeV**2 - 1.0e-3) < 0.3e-3)


def test_resolution_falls_to_the_endpoint():
    model = simulate_resolution(Smearing(events_per_mass=3000), "K+", "pi+", np.array([210.0, 280.0, 350.0]),
                                (10.0, 45.0), np.random.default_rng(3))
    assert model.sigma_mass[0] > model.sigma_mass[1] > model.sigma_mass[2]


def test_kaon_fast_simulation_agrees_with_the_smearing_model():
    # two independent resolution models: the full kaon fast simulation and the Gaussian smearing of the
    # published GTK/STRAW resolutions (tolerance 30 % on sigma)
    from na62lab.analyses.kaon_searches_common.resolution import simulate_resolution_kaon_sim

    nodes = np.array([100.0, 250.0, 330.0])
    a = simulate_resolution_kaon_sim("K+", "pi+", nodes, (15.0, 35.0), np.random.default_rng(2), 2000)
    b = simulate_resolution(Smearing(events_per_mass=2000), "K+", "pi+", nodes, (15.0, 35.0), np.random.default_rng(2))
    assert np.allclose(a.sigma_mmiss2, b.sigma_mmiss2, rtol=0.3)


def test_kaon_fast_simulation_needs_a_kaon():
    from na62lab.analyses.kaon_searches_common.resolution import simulate_resolution_kaon_sim

    with pytest.raises(InputError):
        simulate_resolution_kaon_sim("pi+", "e+", [100.0], (5, 70), np.random.default_rng(1))


def test_same_seed_same_resolution():
    a = simulate_resolution(Smearing(events_per_mass=500), "K+", "mu+", np.array([250.0]), (5, 70),
                            np.random.default_rng(9))
    b = simulate_resolution(Smearing(events_per_mass=500), "K+", "mu+", np.array([250.0]), (5, 70),
                            np.random.default_rng(9))
    assert a.sigma_mass[0] == b.sigma_mass[0] and np.array_equal(a.p_quantiles, b.p_quantiles)


# ------------------------------------------------------------------- lifetimes
def test_escape_limits():
    assert lt.escape_probability(np.array([np.inf]), GEOM)[0] == 1.0
    assert lt.escape_probability(np.array([0.0]), GEOM)[0] == 0.0
    assert lt.acceptance_factor("decay_before", np.array([np.inf]), GEOM)[0] == 0.0


def test_escape_matches_direct_average():
    lam = 80.0 * m
    z = np.linspace(105.0, 165.0, 200_001) * m
    direct = np.mean(np.exp(-(241.0 * m - z) / lam))
    assert lt.escape_probability(np.array([lam]), GEOM)[0] == pytest.approx(direct, rel=1e-6)


def test_escape_is_stable_for_huge_and_tiny_lengths():
    p = lt.escape_probability(np.array([1e-300, 1e-3, 1e30, 1e300]), GEOM)
    assert np.all(np.isfinite(p)) and p[0] == 0.0 and p[-1] == pytest.approx(1.0)
    # 1 - P for very long decay lengths: (u1 + u2)/(2 l), no cancellation
    lam = 1e12 * m
    assert 1 - lt.escape_probability(np.array([lam]), GEOM)[0] == pytest.approx((76.0 + 136.0) / 2 / 1e12, rel=1e-3)


@settings(max_examples=60, deadline=None)
@given(st.floats(1e-3, 1e9), st.floats(0.0, 20.0))
def test_lifetime_probabilities_are_consistent(lam_m, d_m):
    geom = Lifetime(kind="decay_in_volume", vertex_z_m=(105.0, 165.0), z_end_m=180.0, distance_m=d_m)
    lam = np.array([lam_m * m])
    esc = lt.acceptance_factor("escape", lam, geom)
    before = lt.acceptance_factor("decay_before", lam, geom)
    inside = lt.acceptance_factor("decay_in_volume", lam, geom)
    within = lt.acceptance_factor("decay_within", lam, geom)
    assert esc + before == pytest.approx(1.0)
    assert 0.0 <= inside[0] <= 1.0 and 0.0 <= within[0] <= 1.0
    assert inside[0] <= before[0] + 1e-12


def test_longer_lifetime_escapes_more():
    lam = np.logspace(0, 9, 30)
    p = lt.escape_probability(lam, GEOM)
    assert np.all(np.diff(p) >= 0)


def test_ctau_from_lifetime():
    assert lt.ctau_from_lifetime(1.0) == pytest.approx(299.792458)   # mm for 1 ns
    with pytest.raises(InputError):
        lt.ctau_from_lifetime(-1.0)


# --------------------------------------------------------------------- spectra
def test_shapes_are_normalised():
    edges = np.linspace(200.0, 354.0, 500)
    for shape, kw in (("flat", {}), ("exponential", {"anchor": 200.0, "scale": 30.0})):
        assert shape_in_bins(shape, edges, 200.0, 354.0, **kw).sum() == pytest.approx(1.0)
    pigg = shape_in_bins("pigg", edges, 200.0, 354.0, sigma_at=lambda x: np.full(np.shape(x), 1.0))
    assert pigg.sum() == pytest.approx(1.0)
    # the O(p^4) spectrum rises above the 2 m_pi+ threshold (279 MeV): density per MeV at least doubles
    c = 0.5 * (edges[1:] + edges[:-1])
    assert pigg[(c > 290) & (c < 340)].sum() / 50 > 1.5 * pigg[(c > 210) & (c < 260)].sum() / 50



@pytest.mark.parametrize("shape, lo", [("pimumu", 211.4), ("pigg", 200.0), ("pinunu", 200.0)])
def test_selected_spectrum_carries_the_acceptance(shape, lo):
    """The SM backgrounds count selected candidates: dGamma/dm x A(m) (pi+ mu+ mu-: 27679 selected events, JHEP 11
    (2022) 011; pi+ gamma gamma: 3984 candidates, PLB 850 (2024) 138513; pi+ nu nubar: BR / SES), so an acceptance
    twice as high below 260 MeV doubles the density there, relative to above."""
    edges = np.linspace(lo, 354.0, 800)
    c = 0.5 * (edges[1:] + edges[:-1])
    sig = lambda m: np.full(np.shape(m), 0.5)   # noqa: E731
    plain = shape_in_bins(shape, edges, lo, 354.0, sigma_at=sig)
    weighted = shape_in_bins(shape, edges, lo, 354.0, sigma_at=sig,
                             acceptance_at=lambda m: np.where(m < 260.0, 2.0, 1.0))
    assert weighted.sum() == pytest.approx(1.0)
    below, above = (c > 215) & (c < 255), (c > 265) & (c < 345)
    ratio = (weighted[below].sum() / weighted[above].sum()) / (plain[below].sum() / plain[above].sum())
    assert ratio == pytest.approx(2.0, rel=0.01)


def test_selected_mass_density_is_decay_spectrum_times_acceptance():
    """One home for dGamma/dm x A(m): without an acceptance it is the bare spectrum (true_mass_density, and
    dGamma/dq^2 x 2m for pi nu nubar); an unknown spectrum is refused."""
    m = np.linspace(215.0, 350.0, 7)
    half = lambda x: 0.5 * np.ones_like(x)   # noqa: E731
    for kind in ("pigg", "pimumu"):
        assert np.allclose(selected_mass_density(kind, m, half), 0.5 * true_mass_density(kind)(m))
    assert np.allclose(selected_mass_density("pinunu", m), pinunu_q2_density(m * m) * 2 * m)
    with pytest.raises(InputError, match="spectrum"):
        selected_mass_density("flat", m)


def test_adaptive_grid_follows_the_step():
    g = adaptive_grid(0.0, 10.0, lambda x: np.where(x < 5, 1.0, 0.1))
    d = np.diff(g)
    assert d[g[:-1] < 4].mean() == pytest.approx(1.0, rel=0.2)
    assert d[g[:-1] > 6].mean() == pytest.approx(0.1, rel=0.2)


# ---------------------------------------------------------------------- engine
def test_single_mass_point_matches_a_counting_limit(gg_card):
    r = eng.run_peak_search(gg_card, masses=[300.0])
    assert r.masses.size == 1
    n, b = int(r.scan.observed[0]), float(r.scan.background[0])
    events = r.observed_limit[0] * r.signal_per_br[0] * r.window_efficiency[0]
    # within the marginalised (small) background error of the exact no-error limit
    assert events == pytest.approx(upper_limit(n, b), rel=0.05)


def test_no_events_gives_the_zero_event_limit(gg_card):
    card = _with(gg_card, observed={"events": []})
    r = eng.run_peak_search(card, masses=[340.0, 350.0])
    assert np.all(r.scan.observed == 0)
    events = r.observed_limit * r.signal_per_br * r.window_efficiency
    assert events == pytest.approx(np.full(2, 2.3026), rel=1e-3)   # CLs, n = 0, any b (PDG Table 40.3)


def test_no_background_no_events(gg_card):
    card = _with(gg_card, backgrounds=[], observed={"events": []})
    r = eng.run_peak_search(card)
    assert r.scan.max_local_significance == 0.0
    assert np.allclose(r.observed_limit * r.signal_per_br * r.window_efficiency, 2.3026, rtol=1e-3)


def test_masses_outside_the_kinematic_range(gg_card):
    for bad in ([360.0], [-1.0], [np.nan], []):
        with pytest.raises(InputError):
            eng.run_peak_search(gg_card, masses=bad)


def test_mass_outside_the_signal_region(gg_card):
    with pytest.raises(InputError):
        eng.run_peak_search(gg_card, masses=[150.0])


def test_toys_global_significance(gg_card):
    card = _with(gg_card, global_method="toys", n_toys=200)
    masses = np.arange(300.0, 340.0, 2.0)
    a = eng.run_peak_search(card, masses=masses)
    b = eng.run_peak_search(card, masses=masses)
    assert 0.0 <= a.scan.global_significance <= a.scan.max_local_significance + 1e-9
    assert a.scan.global_p_value == b.scan.global_p_value   # seeded from the card


def test_lifetime_reduces_the_visible_signal(gg_card):
    prompt = eng.run_peak_search(gg_card, masses=[300.0])
    slow = eng.run_peak_search(gg_card, masses=[300.0], lifetime_ns=10.0)
    assert slow.observed_limit[0] > prompt.observed_limit[0]


# --------------------------------------------------------------- interpretation
def test_bc2_production_is_the_fips_kaon_rate():
    # the physics of K+ -> pi+ A' lives in na62lab.fips.dark_photon (tested in tests/fips/test_dark_photon_kaon.py);
    # the search keeps the old name as a re-export and must use exactly that rate for its BC2 reading
    from na62lab.analyses.kaon_searches_common import interpretation
    from na62lab.config.searches import Interpretation
    from na62lab.fips import dark_photon, get_model

    assert br_k_pi_dark_photon is dark_photon.br_k_pi_dark_photon
    reading = Interpretation(benchmark="BC2", model="dark-photon-invisible", production="K+->pi+A")
    m, g = np.array([10.0, 150.0, 300.0, 360.0]), np.array([1e-4, 1e-3])
    got = interpretation.production_br(get_model("dark-photon-invisible"), reading, m, g)
    np.testing.assert_array_equal(got, dark_photon.br_k_pi_dark_photon(m[:, None], g[None, :]))
    assert np.all(got[:3] > 0) and np.all(got[3] == 0)   # 360 MeV > m_K - m_pi
