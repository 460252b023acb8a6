"""P_rd = exp(-L1/l) - exp(-L2/l): stability from l = 1e-12 m to 1e12 m and its invariants."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from na62lab.errors import InputError
from na62lab.physics.units import m
from na62lab.yields.dump_decay import (bin_decay_probabilities, decay_probability, lab_decay_length,
                                       log_decay_probability)

L1, L2 = 82.0 * m, 157.0 * m          # TAX -> fiducial volume, NA62 dump geometry
lengths = st.floats(min_value=1e-12 * m, max_value=1e12 * m)
distances = st.floats(min_value=0.0, max_value=1e6 * m)


def test_long_lived_limit_is_linear_and_exact():
    # l >> L2: P = (L2 - L1)/l (1 - (L1 + L2)/(2 l) + ...); naive formula returns 0 or noise at 1e12 m
    for length in (1e9 * m, 1e10 * m, 1e12 * m):
        expected = (L2 - L1) / length * (1 - (L1 + L2) / (2 * length))
        assert decay_probability(L1, L2, length) == pytest.approx(expected, rel=1e-12)


def test_short_lived_limit_underflows_to_zero_but_log_is_exact():
    length = 1e-12 * m
    assert decay_probability(L1, L2, length) == 0.0
    assert log_decay_probability(L1, L2, length) == pytest.approx(-L1 / length, rel=1e-12)


def test_textbook_value_at_moderate_length():
    length = 100.0 * m
    assert decay_probability(L1, L2, length) == pytest.approx(math.exp(-0.82) - math.exp(-1.57), rel=1e-14)


def test_edge_cases():
    assert decay_probability(0.0, 1.0, 0.0) == 1.0          # decays at the origin, inside [0, 1]
    assert decay_probability(1.0, 1.0, 5.0) == 0.0          # empty interval
    assert decay_probability(1.0, 2.0, np.inf) == 0.0       # stable
    assert np.isneginf(log_decay_probability(1.0, 2.0, np.inf))


@pytest.mark.parametrize("bad", [dict(l1=-1.0, l2=2.0, length=1.0), dict(l1=2.0, l2=1.0, length=1.0),
                                 dict(l1=1.0, l2=2.0, length=-1.0), dict(l1=np.nan, l2=2.0, length=1.0)])
def test_bad_inputs_raise(bad):
    with pytest.raises(InputError):
        decay_probability(bad["l1"], bad["l2"], bad["length"])


@settings(max_examples=300, deadline=None)
@given(lengths, distances, distances)
def test_probability_is_finite_and_bounded(length, a, b):
    l1, l2 = min(a, b), max(a, b)
    p = float(decay_probability(l1, l2, length))
    assert 0.0 <= p <= 1.0 and math.isfinite(p)
    lp = float(log_decay_probability(l1, l2, length))
    if p > 1e-300:
        assert lp == pytest.approx(math.log(p), rel=1e-9, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(lengths, st.floats(min_value=1.0, max_value=1e5), st.floats(min_value=1.0, max_value=1e5))
def test_monotonic_in_the_far_edge_and_the_near_edge(length, d1, d2):
    # widening the volume never lowers P; moving its start away never raises it
    assert decay_probability(L1, L2 + d1, length) >= decay_probability(L1, L2, length)
    assert decay_probability(L1 + min(d2, L2 - L1), L2, length) <= decay_probability(L1, L2, length)


@settings(max_examples=200, deadline=None)
@given(lengths)
def test_maximum_at_the_optimal_decay_length(length):
    best = (L2 - L1) / math.log(L2 / L1)       # dP/dl = 0
    assert decay_probability(L1, L2, best) >= decay_probability(L1, L2, length) * (1 - 1e-12)


@settings(max_examples=100, deadline=None)
@given(lengths, st.integers(min_value=1, max_value=12))
def test_slices_add_up_to_the_whole_volume(length, k):
    edges = np.linspace(L1, L2, k + 1)
    parts = bin_decay_probabilities(edges[None, :], np.array([length]))
    assert parts.sum() == pytest.approx(float(decay_probability(L1, L2, length)), rel=1e-10, abs=1e-300)


def test_lab_decay_length_units():
    # 10 GeV/c, 100 MeV, c tau = 1 m -> l = 100 m
    assert lab_decay_length(1e4, 100.0, 1.0 * m) == pytest.approx(100.0 * m)
    with pytest.raises(InputError):
        lab_decay_length(1e4, 0.0, 1.0)
