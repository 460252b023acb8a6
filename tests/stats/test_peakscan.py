"""Peak scans with look-elsewhere correction (stats.peakscan)."""

import numpy as np
import pytest

from na62lab.errors import InputError
from na62lab.stats.limits import upper_limits_array
from na62lab.stats.peakscan import peak_scan


def _spectrum(rng, b_per_bin=0.05):
    edges = np.linspace(200.0, 360.0, 1601)
    bkg = np.full(1600, b_per_bin)
    return edges, rng.poisson(bkg), bkg


def test_windows_and_limits():
    rng = np.random.default_rng(11)
    edges, obs, bkg = _spectrum(rng)
    masses = np.arange(207.0, 350.01, 0.5)
    r = peak_scan(edges, obs, bkg, masses, 1.5, 0.8)
    assert r.background == pytest.approx(np.full(masses.size, 30 * 0.05))
    assert r.observed_limit == pytest.approx(upper_limits_array(r.observed, r.background) / 0.8)
    assert np.all(r.expected["minus2"] <= r.expected["median"]) and np.all(r.expected["median"] <= r.expected["plus2"])


def test_injected_peak_is_found_and_global_below_local():
    rng = np.random.default_rng(5)
    edges, obs, bkg = _spectrum(rng, 0.5)
    obs = obs.copy()
    obs[795:805] += 3  # a narrow excess (30 events over b = 10) near 280 MeV
    r = peak_scan(edges, obs, bkg, np.arange(210.0, 350.0, 1.0), 1.0, 1.0)
    assert abs(r.masses[np.argmax(r.z_local)] - 280.0) <= 1.0
    assert r.global_significance < r.max_local_significance
    t = peak_scan(edges, obs, bkg, np.arange(210.0, 350.0, 1.0), 1.0, 1.0, global_method="toys",
                  n_toys=2000, rng=np.random.default_rng(1))
    assert t.global_significance < t.max_local_significance


def test_toys_global_p_is_uniformish_under_background():
    # Under the background-only hypothesis the global p-value is not small.
    rng = np.random.default_rng(3)
    edges, obs, bkg = _spectrum(rng, 2.0)
    r = peak_scan(edges, obs, bkg, np.arange(210.0, 350.0, 2.0), 2.0, global_method="toys",
                  n_toys=1000, rng=np.random.default_rng(4))
    assert r.global_p_value > 0.01


def test_single_mass_point_and_no_events():
    edges = np.linspace(0.0, 10.0, 11)
    r = peak_scan(edges, np.zeros(10, int), np.zeros(10), [5.0], 1.0)
    assert r.observed_limit[0] == pytest.approx(2.3026, abs=1e-3)
    assert r.max_local_significance == 0.0


def test_mass_outside_range_is_input_error():
    edges = np.linspace(0.0, 10.0, 11)
    with pytest.raises(InputError, match="mass"):
        peak_scan(edges, np.zeros(10, int), np.ones(10), [12.0], 1.0)
    with pytest.raises(InputError, match="rng"):
        peak_scan(edges, np.zeros(10, int), np.ones(10), [5.0], 1.0, global_method="toys")
