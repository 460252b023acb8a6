"""Statistical quality of the inline kernel RNG (xoshiro256++ + ziggurat normals)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst
from scipy import stats

from na62lab.physics.fastrng import _ZIG_R, _ZIG_V, _ZIG_X, new_state, normals, poissons, uniforms


def test_same_generator_seed_gives_the_same_stream_and_different_seeds_do_not():
    a = normals(new_state(np.random.default_rng(5)), 1000)
    b = normals(new_state(np.random.default_rng(5)), 1000)
    c = normals(new_state(np.random.default_rng(6)), 1000)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_ziggurat_layers_have_equal_area():
    # Doornik (2005): every layer x_i (f(x_{i+1}) - f(x_i)) and the base strip have area V
    f = np.exp(-0.5 * _ZIG_X[:128] ** 2)
    areas = _ZIG_X[1:127] * (np.exp(-0.5 * _ZIG_X[2:128] ** 2) - f[1:127])
    np.testing.assert_allclose(areas, _ZIG_V, rtol=1e-6)
    tail = _ZIG_R * np.exp(-0.5 * _ZIG_R**2) + np.sqrt(np.pi / 2) * stats.norm.sf(_ZIG_R) * 2
    assert tail == pytest.approx(_ZIG_V, rel=1e-6)


def test_normals_follow_the_standard_normal():
    x = normals(new_state(np.random.default_rng(11)), 2_000_000)
    assert abs(x.mean()) < 5 * 1 / np.sqrt(x.size)
    assert abs(x.var() - 1.0) < 5 * np.sqrt(2 / x.size)
    assert stats.kstest(x, "norm").pvalue > 1e-3
    edges = np.linspace(-4.5, 4.5, 91)
    h, _ = np.histogram(x, edges)
    expected = x.size * np.diff(stats.norm.cdf(edges))
    chi2 = np.sum((h - expected) ** 2 / expected)
    assert stats.chi2.sf(chi2, edges.size - 1) > 1e-3


def test_normal_tail_beyond_the_ziggurat_base_has_the_right_probability():
    x = normals(new_state(np.random.default_rng(12)), 4_000_000)
    for cut in (_ZIG_R, 4.0):
        p = 2 * stats.norm.sf(cut)
        k = np.count_nonzero(np.abs(x) > cut)
        assert abs(k - p * x.size) < 5 * np.sqrt(p * x.size)


def test_uniforms_are_uniform_on_the_half_open_unit_interval():
    u = uniforms(new_state(np.random.default_rng(13)), 1_000_000)
    assert u.min() >= 0.0 and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 5e-3          # no lag-1 correlation


@pytest.mark.parametrize("mean", [0.3, 1.5, 4.0])
def test_poisson_mean_and_variance(mean):
    k = poissons(new_state(np.random.default_rng(14)), mean, 400_000)
    assert abs(k.mean() - mean) < 5 * np.sqrt(mean / k.size)
    assert k.var() == pytest.approx(mean, rel=0.02)


@settings(max_examples=30, deadline=None)
@given(seed=hst.integers(0, 2**32 - 1))
def test_any_seed_gives_finite_normals_and_unit_interval_uniforms(seed):
    st = new_state(np.random.default_rng(seed))
    assert np.all(np.isfinite(normals(st, 2000)))
    u = uniforms(st, 2000)
    assert np.all((u >= 0.0) & (u < 1.0))
