"""Constraint shapes and their quadrature (stats.nuisance)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from na62lab.errors import InputError
from na62lab.stats.nuisance import Uncertain, quadrature_nodes


def test_asymmetric_lognormal_hits_plus_minus_one_sigma():
    u = Uncertain(18.0, 3.0, 2.0)
    assert u.at(1.0) == pytest.approx(21.0)
    assert u.at(-1.0) == pytest.approx(16.0)


@given(v=st.floats(0.1, 100), up=st.floats(0, 50), down=st.floats(0, 50))
def test_quadrature_weights_and_positivity(v, up, down):
    for kind in ("lognormal", "gaussian"):
        vals, w = Uncertain(v, up, down, kind).quadrature()
        assert w.sum() == pytest.approx(1.0)
        assert np.all(vals >= 0)


def test_lognormal_mean_matches_numerical_integral():
    from scipy import integrate

    u = Uncertain(10.0, 3.0, 2.0)
    vals, w = u.quadrature()
    exact = integrate.quad(lambda t: float(u.at(t)) * np.exp(-t * t / 2), -12, 12, points=[0.0])[0]
    assert np.sum(w * vals) == pytest.approx(exact / np.sqrt(2 * np.pi), rel=1e-6)


def test_vectorised_nodes_shape_and_bad_kind():
    vals, w = quadrature_nodes([1.0, 2.0], [0.1, 0.0], [0.1, 0.0])
    assert vals.shape == w.shape and vals.shape[0] == 2
    assert np.allclose(vals[1], 2.0)
    with pytest.raises(InputError, match="shape"):
        Uncertain(1.0, 0.1, 0.1, "uniform")
