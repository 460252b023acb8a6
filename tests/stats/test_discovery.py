"""Discovery thresholds (stats.discovery)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from na62lab.errors import InputError
from na62lab.stats.discovery import min_observed, p_value_at_least


def test_five_sigma_threshold_value():
    n, p = min_observed(0.01)
    assert n == 3 and p <= 2.87e-7
    # two events would not be enough: P(N >= 2 | 0.01) ~ 5e-5
    assert p_value_at_least(2, 0.01) > 2.87e-7


def test_known_large_background_against_scipy():
    n, p = min_observed(18.0)
    assert stats.poisson.sf(n - 1, 18.0) == pytest.approx(p, rel=1e-9)
    assert stats.poisson.sf(n - 2, 18.0) > stats.norm.sf(5)


def test_background_uncertainty_raises_threshold():
    assert min_observed(18.0, 3.0)[0] >= min_observed(18.0)[0]


@settings(max_examples=30, deadline=None)
@given(b=st.floats(0.0, 100.0), z=st.floats(1.0, 6.0))
def test_threshold_is_minimal_and_monotone(b, z):
    n, p = min_observed(b, 0.0, z)
    assert p <= stats.norm.sf(z) * (1 + 1e-9)
    if n > 1:
        assert p_value_at_least(n - 1, b) > stats.norm.sf(z)
    assert min_observed(b + 1.0, 0.0, z)[0] >= n


def test_bad_sigma():
    with pytest.raises(InputError, match="sigma"):
        min_observed(1.0, sigma=-1)
