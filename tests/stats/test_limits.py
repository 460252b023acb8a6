"""Exact CLs / CLs+b upper limits, expected bands (stats.limits)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, special

from na62lab.errors import InputError
from na62lab.stats.limits import (expected_bands_array, expected_limit_bands, upper_limit,
                                  upper_limits_array)


# PDG Review of Statistics (2024), Table 40.3: Poisson upper limits for n observed
# events with zero background, 90 % CL: 2.30, 3.89, 5.32, 6.68, 7.99.
@pytest.mark.parametrize("n, expected", [(0, 2.30), (1, 3.89), (2, 5.32), (3, 6.68), (4, 7.99)])
def test_pdg_table_zero_background(n, expected):
    assert upper_limit(n, 0.0, cl=0.9, method="clsb") == pytest.approx(expected, abs=0.006)
    assert upper_limit(n, 0.0, cl=0.9) == pytest.approx(expected, abs=0.006)


@pytest.mark.parametrize("b", [0.0, 0.01, 0.5, 3.0, 50.0])
def test_cls_at_zero_observed_is_background_independent(b):
    # CLs with n = 0: P(0|s+b)/P(0|b) = exp(-s) -> s_up = -ln(0.1) for any b
    assert upper_limit(0, b) == pytest.approx(-np.log(0.1), rel=1e-9)


def test_pyhf_asymptotics_is_wrong_at_low_counts():
    # ../shared/STACK.md: pyhf's asymptotic 90% CLs limit at n = 0, b = 0.5 is 1.64;
    # the exact value is 2.30 events.
    assert upper_limit(0, 0.5) == pytest.approx(2.3026, abs=1e-3)


def _brute_force_cls(n, b, rel, cl):
    """CLs with an asymmetric log-normal background (b -> b(1 +- rel) at +-1 sigma), scipy.quad."""
    k_up, k_dn = np.log1p(rel), -np.log1p(-rel)

    def avg_cdf(s):
        f = lambda t: (special.gammaincc(n + 1, s + b * np.exp(t * (k_up if t >= 0 else k_dn)))  # noqa: E731
                       * np.exp(-t * t / 2))
        return integrate.quad(f, -12, 12, epsabs=1e-13)[0] / np.sqrt(2 * np.pi)

    target = (1 - cl) * avg_cdf(0.0)
    return optimize.brentq(lambda s: avg_cdf(s) - target, 0, 200, xtol=1e-10)


@pytest.mark.parametrize("n, b, rel", [(0, 0.5, 0.3), (2, 1.5, 0.2), (5, 3.0, 0.5), (20, 18.0, 0.15)])
def test_marginalised_limit_matches_brute_force(n, b, rel):
    fast = upper_limit(n, b, b * rel, b * rel)
    assert fast == pytest.approx(_brute_force_cls(n, b, rel, 0.9), rel=1e-4)


def test_array_matches_scalar():
    obs = np.array([0, 1, 3, 10])
    bkg = np.array([0.2, 1.0, 2.5, 8.0])
    arr = upper_limits_array(obs, bkg, 0.9, 0.2 * bkg)
    for o, b, a in zip(obs, bkg, arr):
        assert a == pytest.approx(upper_limit(int(o), float(b), 0.2 * b), rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 30), b=st.floats(0.0, 30.0), cl=st.floats(0.5, 0.99))
def test_limit_monotone_in_observed_and_background(n, b, cl):
    base = upper_limit(n, b, cl=cl)
    assert upper_limit(n + 1, b, cl=cl) >= base - 1e-9
    assert upper_limit(n, b + 1.0, cl=cl) <= base + 1e-9
    assert upper_limit(n, b, cl=cl, method="clsb") <= base + 1e-9  # CLs is conservative


def test_higher_cl_gives_higher_limit():
    assert upper_limit(2, 1.0, cl=0.95) > upper_limit(2, 1.0, cl=0.9)


def test_expected_bands_ordered_and_consistent():
    bands = expected_limit_bands(20.0, 3.0)
    lo2, hi2 = bands["band_2sigma"]
    lo1, hi1 = bands["band_1sigma"]
    assert lo2 <= lo1 <= bands["median"] <= hi1 <= hi2
    arr = expected_bands_array([20.0], background_up=[3.0])
    assert arr["median"][0] == pytest.approx(bands["median"], rel=1e-9)
    # background-free: every quantile of the count is 0 -> all bands at 2.303
    zero = expected_limit_bands(0.0)
    assert zero["band_2sigma"] == pytest.approx((2.3026, 2.3026), abs=1e-3)


@pytest.mark.parametrize("kwargs, field", [
    ({"observed": -1, "background": 1.0}, "observed"),
    ({"observed": 1.5, "background": 1.0}, "observed"),
    ({"observed": 1, "background": float("nan")}, "background"),
    ({"observed": 1, "background": 1.0, "cl": 1.0}, "cl"),
    ({"observed": 1, "background": 1.0, "method": "bayes"}, "method"),
])
def test_bad_inputs_raise_input_error(kwargs, field):
    with pytest.raises(InputError, match=field):
        upper_limit(**kwargs)


def test_count_quantiles_match_direct_cdf():
    # chunked accumulation from log P(n) against the plain CDF, with and without a constraint
    from scipy import stats as sps

    from na62lab.stats.limits import BAND_PROBS, count_quantiles_array
    from na62lab.stats.nuisance import Uncertain

    rng = np.random.default_rng(4)
    b = np.r_[0.0, rng.uniform(0, 400, 40)]
    db = b * rng.uniform(0, 0.4, b.size)
    fast = count_quantiles_array(b, db)
    for i, (bi, ei) in enumerate(zip(b, db)):
        vals, w = Uncertain(bi, ei, ei).quadrature()
        ns = np.arange(int(bi + 20 * np.sqrt(bi + 1) + 30))
        cdf = np.sum(w * sps.poisson.cdf(ns[:, None], vals[None, :]), axis=1)
        direct = [int(np.searchsorted(cdf, p - 1e-12)) for p in BAND_PROBS.values()]
        assert fast[:, i].tolist() == direct


def test_background_only_quantiles_of_a_wide_constraint_need_no_giant_array():
    """0.5 +5 -5 events (lognormal) asked for a (3.2e8, 32) array, 76 GiB (MemoryError, exit 70 from
    `na62lab limit --observed 3 --background 0.5 --background-up 5`; t93 review).  The bisection gives the
    smallest count with P(N <= n) >= p, as the full CDF did (identical on 307 random constraints then)."""
    from na62lab.stats import poisson
    from na62lab.stats.limits import BAND_PROBS, background_only_quantiles
    from na62lab.stats.nuisance import Uncertain

    q = background_only_quantiles(0.5, 5.0)
    assert q == {"-2": 0, "-1": 0, "median": 0, "+1": 6, "+2": 104}
    for b, up, down, kind in ((7.0, 1.05, 0.75, "lognormal"), (18.0, 3.0, 2.0, "gaussian"), (0.2, 0.1, None,
                                                                                           "lognormal")):
        values, weights = Uncertain(b, up, up if down is None else down, kind).quadrature()
        cdf = np.sum(weights[None, :] * poisson.cdf(np.arange(200)[:, None], values[None, :]), axis=1)
        full = {k: int(np.searchsorted(cdf, p - 1e-12)) for k, p in BAND_PROBS.items()}
        assert background_only_quantiles(b, up, down, kind) == full


@settings(max_examples=60, deadline=None)
@given(st.floats(1e-3, 300.0), st.floats(0.0, 2.0), st.floats(0.0, 0.99), st.sampled_from(["lognormal", "gaussian"]))
def test_background_only_quantiles_equal_the_full_cdf(b, rel_up, rel_down, kind):
    """Property: the bisection equals searchsorted on the full CDF (the pre-t93 computation)."""
    from na62lab.stats import poisson
    from na62lab.stats.limits import BAND_PROBS, background_only_quantiles
    from na62lab.stats.nuisance import Uncertain

    up, down = b * rel_up, b * rel_down
    values, weights = Uncertain(b, up, down, kind).quadrature()
    n_max = int(values.max() + 12 * np.sqrt(values.max() + 1) + 20)
    if n_max > 2e5:            # the old way's array would be too large to compare with
        return
    cdf = np.sum(weights[None, :] * poisson.cdf(np.arange(n_max + 1)[:, None], values[None, :]), axis=1)
    assert background_only_quantiles(b, up, down, kind) == {
        k: int(np.searchsorted(cdf, p - 1e-12)) for k, p in BAND_PROBS.items()}
