"""Visible decays of FIPs in flight."""

import numpy as np
import pytest

from na62lab.errors import InputError
from na62lab.generation.dump.fip_decays import BR_ETA_GG, _one_plus_cos2, decay_visible, final_state_threshold
from na62lab.physics.particles import mass


def _fips(m, n=4000, p=60_000.0):
    return np.column_stack([np.full(n, np.hypot(p, m)), np.zeros(n), np.zeros(n), np.full(n, p)])


@pytest.mark.parametrize("fs,kinds", [("ee", ("e", "e")), ("3pi", ("pi", "pi", "gamma", "gamma")),
                                      ("pipieta", ("pi", "pi", "gamma", "gamma")),
                                      ("4pi", ("pi", "pi") + ("gamma",) * 4), ("gammagamma", ("gamma", "gamma"))])
def test_daughters_conserve_four_momentum(fs, kinds):
    fips = _fips(1200.0)
    dec = decay_visible(fs, fips, np.random.default_rng(1))
    assert dec.kinds == kinds
    np.testing.assert_allclose(np.sum(dec.p4, axis=0), fips, rtol=1e-9, atol=1e-6)
    assert sum(dec.charges) == 0
    if fs == "pipieta":
        assert dec.visible_fraction == pytest.approx(BR_ETA_GG)


def test_four_body_weights_average_to_one():
    dec = decay_visible("4pi", _fips(1500.0, 20000), np.random.default_rng(2))
    assert dec.weight.mean() == pytest.approx(1.0) and np.all(dec.weight >= 0)


def test_transverse_polarisation_distribution():
    # 1 + cos^2: <cos^2> = 2/5 (isotropic: 1/3)
    c = _one_plus_cos2(400_000, np.random.default_rng(3))
    assert np.all(np.abs(c) <= 1) and np.mean(c**2) == pytest.approx(0.4, abs=0.003)


def test_thresholds_and_bad_inputs():
    assert final_state_threshold("mumu") == pytest.approx(2 * mass("mu+"))
    with pytest.raises(InputError):
        decay_visible("nununu", _fips(4000.0, 2), np.random.default_rng(0))   # tautau is now inclusive (Pythia)
