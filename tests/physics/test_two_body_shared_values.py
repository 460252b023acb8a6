"""two_body_decay: one shared mass / helicity value or one per row give the same decays; threshold check per row."""

import numpy as np
import pytest

from na62lab.errors import InputError
from na62lab.physics.kinematics import two_body_decay
from na62lab.physics.particles import mass


def _kaons(n, seed=3):
    rng = np.random.default_rng(seed)
    p = rng.normal(75000.0, 750.0, (n, 3)) * np.array([1e-3, 1e-3, 1.0])
    return np.column_stack([np.sqrt(np.sum(p**2, axis=1) + mass("K+") ** 2), p])


@pytest.mark.parametrize("helicity", [False, True])
def test_shared_and_per_row_values_are_bit_identical(helicity):
    k = _kaons(1000)
    m1, m2 = mass("pi+"), mass("pi0")
    cos = np.linspace(-1.0, 1.0, 1000) if helicity else None
    shared = two_body_decay(k, m1, m2, np.random.default_rng(7), cos_theta=None if cos is None else 0.25)
    rows = two_body_decay(k, np.full(1000, m1), np.full(1000, m2), np.random.default_rng(7),
                          cos_theta=None if cos is None else np.full(1000, 0.25))
    assert np.array_equal(shared[0], rows[0]) and np.array_equal(shared[1], rows[1])
    np.testing.assert_allclose(shared[0] + shared[1], k, rtol=1e-12)


def test_one_row_below_threshold_is_an_input_error():
    k = _kaons(50)
    m_pair = np.full(50, 300.0)
    m_pair[17] = mass("K+")              # only this row cannot decay into pi+ + pair
    two_body_decay(k, mass("pi+"), np.delete(m_pair, 17)[:1].repeat(50), np.random.default_rng(1))
    with pytest.raises(InputError):
        two_body_decay(k, mass("pi+"), m_pair, np.random.default_rng(1))


def test_single_parent_and_empty_input():
    k = _kaons(1)
    p1, p2 = two_body_decay(k, mass("mu+"), 0.0, np.random.default_rng(2))
    assert p1.shape == p2.shape == (1, 4)
    np.testing.assert_allclose(p1 + p2, k, rtol=1e-12)
    e1, e2 = two_body_decay(np.empty((0, 4)), mass("mu+"), 0.0, np.random.default_rng(2))
    assert e1.shape == e2.shape == (0, 4)
