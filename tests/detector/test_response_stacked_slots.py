"""detector_response stacks the slots' four-momenta without a copy when they already share one array."""

import numpy as np

from na62lab.detector.response import _stacked_p4
from na62lab.generation.kaon.decays import generate_mode
from na62lab.physics.particles import mass


def _kaons(n):
    p = np.column_stack([np.zeros(n), np.zeros(n), np.linspace(70e3, 80e3, n)])
    return np.column_stack([np.sqrt(np.sum(p**2, axis=1) + mass("K+") ** 2), p])


def test_two_body_final_state_is_used_in_place():
    fs = generate_mode("munu", _kaons(100), np.random.default_rng(1))
    P = _stacked_p4(fs.slots)
    assert P.shape == (2, 100, 4) and P is fs.slots[0].p4.base
    assert np.array_equal(P, np.stack([s.p4 for s in fs.slots]))


def test_other_final_states_are_copied_into_one_array():
    fs = generate_mode("pipi0", _kaons(100), np.random.default_rng(1))
    P = _stacked_p4(fs.slots)
    assert P.shape == (len(fs.slots), 100, 4)
    assert np.array_equal(P, np.stack([s.p4 for s in fs.slots]))
    assert not any(np.shares_memory(P, s.p4) for s in fs.slots)


def test_reordered_or_partial_views_are_not_taken_for_a_stack():
    fs = generate_mode("munu", _kaons(100), np.random.default_rng(1))
    swapped = [fs.slots[1], fs.slots[0]]
    assert np.array_equal(_stacked_p4(swapped), np.stack([s.p4 for s in swapped]))
    assert np.array_equal(_stacked_p4(fs.slots[:1]), fs.slots[0].p4[None])
