"""Efficiency tables, coupling scaling and expected-event grids (small Monte Carlo)."""

import numpy as np
import pytest

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.errors import InputError
from na62lab.fips import get_model
from na62lab.yields.dump_contours import excluded_interval, excluded_ranges
from na62lab.yields.dump_grid import charged_fraction, expected_events, mass_nodes
from na62lab.yields.dump_tables import EfficiencyTable, _tau_sums
from na62lab.yields.dump_decay import bin_decay_probabilities

SMALL = load_card("na62_dump_2021", DumpCard).model_copy(
    update={"mc": DumpMC(n_fip=300, n_mass_nodes=4, n_z_bins=3, n_ctau_nodes=40, seed=9)})
MASSES = np.array([150.0, 300.0, 450.0])
EPS = np.geomspace(1e-8, 1e-4, 25)


pytestmark = pytest.mark.usefixtures("isolated_cache")


def test_vectorised_tau_sums_equal_the_stable_decay_probability():
    rng = np.random.default_rng(0)
    u = np.sort(rng.uniform(1.0, 50.0, (20, 4)), axis=1)
    w = rng.random((20, 3, 2))
    taus = np.geomspace(1e-2, 1e6, 7)
    direct = np.array([np.einsum("ik,ikf->f", bin_decay_probabilities(u, t), w) for t in taus])
    np.testing.assert_allclose(_tau_sums(u, w, taus), direct, rtol=1e-12)


def test_table_interpolation_hits_nodes_and_extrapolates_long_lived():
    taus = np.geomspace(1.0, 1e4, 5)
    eff = np.stack([1e-2 / taus, 2e-2 / taus], axis=0)[..., None]      # (mass, tau, fs)
    t = EfficiencyTable("x", np.array([100.0, 400.0]), taus, ("ee",), eff)
    got = t.evaluate("ee", np.array([100.0, 200.0, 400.0]), np.tile([10.0, 1e6], (3, 1)))
    assert got[0, 0] == pytest.approx(1e-3) and got[2, 0] == pytest.approx(2e-3)
    assert got[0, 1] == pytest.approx(1e-8, rel=1e-9)                  # 1/tau' beyond the table
    assert 1e-3 < got[1, 0] < 2e-3


def test_same_seed_same_result_for_one_or_two_workers():
    one = expected_events("dark-photon", SMALL, MASSES, EPS, ["ee", "mumu"], workers=1, use_cache=False)
    two = expected_events("dark-photon", SMALL, MASSES, EPS, ["ee", "mumu"], workers=2, use_cache=False)
    np.testing.assert_array_equal(one.total, two.total)


def test_long_lived_signal_scales_as_coupling_to_the_fourth():
    grid = expected_events("dark-photon", SMALL, MASSES, np.array([1e-9, 2e-9]), ["ee", "mumu"])
    np.testing.assert_allclose(grid.total[:, 1] / grid.total[:, 0], 16.0, rtol=1e-3)


def test_cache_round_trip_and_breakdowns():
    a = expected_events("dark-photon", SMALL, MASSES, EPS, ["ee", "mumu"])
    b = expected_events("dark-photon", SMALL, MASSES, EPS, ["ee", "mumu"])
    np.testing.assert_array_equal(a.total, b.total)
    np.testing.assert_allclose(sum(a.by_mode.values()), a.total, rtol=1e-12)
    np.testing.assert_allclose(sum(a.by_final_state.values()), a.total, rtol=1e-12)
    assert a.by_final_state["mumu"][0].max() == 0.0           # 150 MeV is below the mumu threshold
    assert {"brems", "eta->gammaA", "mixing:rho0"} <= set(a.by_mode)


def test_charged_fractions():
    m = np.array([1000.0, 1020.0])
    assert charged_fraction(get_model("dark-photon"), "pipi", m).tolist() == [1.0, 1.0]
    assert charged_fraction(get_model("dark-scalar"), "pipi", m)[0] == pytest.approx(2 / 3)
    kk = charged_fraction(get_model("dark-photon"), "KK", m)
    assert np.all((kk > 0.5) & (kk < 0.8)) and kk[0] > kk[1]      # K+ K- has more phase space near threshold


def test_mass_nodes_stop_below_the_production_limit():
    nodes = mass_nodes(10.0, 1000.0, 10, 134.98)
    assert nodes[-1] == pytest.approx(0.995 * 134.98) and np.all(nodes < 134.98)


def test_bad_grid_inputs():
    with pytest.raises(InputError):
        expected_events("dark-photon", SMALL, np.array([-1.0]), EPS)
    with pytest.raises(InputError):
        expected_events("dark-photon", SMALL, MASSES, EPS, ["tautau"])


def test_excluded_interval_interpolates_in_log():
    g = np.geomspace(1e-8, 1e-4, 5)
    n = np.array([0.1, 10.0, 100.0, 10.0, 0.01])
    lo, hi = excluded_interval(g, n, 1.0)
    assert lo == pytest.approx(np.sqrt(1e-8 * 1e-7), rel=1e-12)
    assert hi == pytest.approx(1e-5 * 10 ** (1 / 3), rel=1e-12)
    assert excluded_interval(g, n, 1e3) is None
    assert excluded_ranges(np.array([0.1]), g, n[None, :], 1.0)[0]["coupling_min"] == pytest.approx(lo)


def test_shared_tau_weights_give_the_same_efficiencies():
    """EfficiencyTable.evaluate with a caller's weights dict (one per tau array, shared by the final states
    and modes of a grid) returns exactly the numbers it returns without."""
    rng = np.random.default_rng(3)
    taus = np.geomspace(1e-2, 1e4, 9)
    eff = rng.random((4, taus.size, 2)) * 1e-3
    eff[0, :, 1] = np.nan                                      # below a final state's threshold
    eff[2, 3, 0] = 0.0                                         # an empty node
    t = EfficiencyTable("x", np.array([100.0, 200.0, 300.0, 400.0]), taus, ("ee", "mumu"), eff)
    masses = np.array([90.0, 150.0, 250.0, 400.0, 500.0])
    tau = np.geomspace(1e-3, 1e6, 5 * 11).reshape(5, 11)
    shared: dict = {}
    for fs in ("ee", "mumu", "ee"):
        np.testing.assert_array_equal(t.evaluate(fs, masses, tau, shared), t.evaluate(fs, masses, tau))
    assert len(shared) == 1


def test_evaluate_equals_the_grid_whatever_was_asked_before():
    """grid.evaluate keeps the production rates of several mass sets: the same numbers as the grid itself
    in any order of calls (each band of the edge search asks the same masses again)."""
    grid = expected_events("dark-photon", SMALL, MASSES, EPS, ["ee", "mumu"])
    m, g = np.repeat(MASSES, EPS.size), np.tile(EPS, MASSES.size)
    first = grid.evaluate(m, g)
    for k in range(40):                                       # more mass sets than the memo keeps
        grid.evaluate(MASSES[:1] * (1.0 + 0.001 * k), EPS[:1])
    np.testing.assert_array_equal(grid.evaluate(m, g), first)
    np.testing.assert_array_equal(first.reshape(MASSES.size, EPS.size), grid.total)
