"""Tests of na62lab.physics.kinematics: conservation, masses, known values."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from na62lab.errors import InputError
from na62lab.physics import kinematics as kin
from na62lab.physics.particles import mass

MK, MPI, MPI0, MMU = mass("K+"), mass("pi+"), mass("pi0"), mass("mu+")


def _parents(p, theta, phi, m, n=1):
    d = np.array([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)])
    pvec = np.tile(p * d, (n, 1))
    e = np.sqrt(p**2 + m**2) * np.ones(n)
    return np.column_stack([e, pvec])


def _assert_conserved(parent, parts):
    total = np.sum(parts, axis=0)
    scale = np.maximum(parent[:, :1], 1.0)
    np.testing.assert_array_less(np.abs(total - parent) / scale, 1e-9)


moms = st.floats(0.0, 4e5)
angles = st.floats(0.0, np.pi)
phis = st.floats(0.0, 2 * np.pi)


@settings(max_examples=60, deadline=None)
@given(p=moms, th=angles, ph=phis, seed=st.integers(0, 2**32 - 1),
       m1=st.floats(0.0, 200.0), m2=st.floats(0.0, 200.0))
def test_two_body_conserves_four_momentum(p, th, ph, seed, m1, m2):
    parent = _parents(p, th, ph, MK, n=8)
    p1, p2 = kin.two_body_decay(parent, m1, m2, np.random.default_rng(seed))
    _assert_conserved(parent, [p1, p2])
    np.testing.assert_allclose(kin.invariant_mass2(p1), m1**2, atol=1e-6 * parent[0, 0] ** 2 / MK**2 + 1e-6)


@settings(max_examples=60, deadline=None)
@given(p=moms, th=angles, ph=phis, seed=st.integers(0, 2**32 - 1))
def test_three_body_conserves_four_momentum(p, th, ph, seed):
    parent = _parents(p, th, ph, MK, n=16)
    parts = kin.three_body_phase_space(parent, MPI, MPI, MPI, np.random.default_rng(seed))
    _assert_conserved(parent, parts)


@settings(max_examples=40, deadline=None)
@given(b=st.floats(-0.999, 0.999), seed=st.integers(0, 2**32 - 1))
def test_boost_preserves_mass_and_inverts(b, seed):
    rng = np.random.default_rng(seed)
    beta = rng.normal(size=3)
    beta *= b / np.linalg.norm(beta)
    p = rng.normal(size=(5, 3)) * 300
    p4 = np.column_stack([np.sqrt(np.sum(p**2, 1) + MPI**2), p])
    q = kin.boost(p4, beta)
    np.testing.assert_allclose(kin.invariant_mass2(q), MPI**2, rtol=1e-6, atol=1e-3 * q[:, 0].max())
    back = kin.boost(q, -beta)
    np.testing.assert_allclose(back, p4, rtol=1e-9, atol=1e-9 * q[:, 0].max())


def test_two_body_momentum_kmu2_reference():
    # PDG Kinematics Eq. 49.17 with PDG masses: p* (K+ -> mu+ nu) = 235.5 MeV/c
    # and p* (K+ -> pi+ pi0) = 205.1 MeV/c (PDG listings quote 236 and 205 MeV/c).
    assert kin.two_body_momentum(MK, MMU, 0.0) == pytest.approx(235.53, abs=0.02)
    assert kin.two_body_momentum(MK, MPI, MPI0) == pytest.approx(205.14, abs=0.02)
    assert np.isnan(kin.two_body_momentum(100.0, 60.0, 60.0))


def test_kallen_symmetric_and_zero_at_threshold():
    assert kin.kallen(1.0, 2.0, 3.0) == kin.kallen(3.0, 1.0, 2.0)
    assert kin.kallen((1.0 + 2.0) ** 2, 1.0, 4.0) == pytest.approx(0.0, abs=1e-12)


def test_two_body_rest_frame_isotropy():
    rng = np.random.default_rng(11)
    parent = _parents(0.0, 0.0, 0.0, MK, n=200_000)
    p1, _ = kin.two_body_decay(parent, MPI, MPI0, rng)
    cos = p1[:, 3] / np.linalg.norm(p1[:, 1:], axis=1)
    # Uniform on [-1, 1]: mean 0 (sigma 1/sqrt(3N) = 0.0013), <cos^2> = 1/3
    assert abs(cos.mean()) < 0.006
    assert np.mean(cos**2) == pytest.approx(1 / 3, abs=0.004)


def test_two_body_helicity_angle():
    rng = np.random.default_rng(3)
    parent = _parents(75_000.0, 0.002, 1.0, MK, n=4)
    cos = np.array([1.0, -1.0, 0.0, 0.5])
    p1, p2 = kin.two_body_decay(parent, MMU, 0.0, rng, cos_theta=cos)
    _assert_conserved(parent, [p1, p2])
    # forward emission gives the maximum lab momentum
    assert np.argmax(np.linalg.norm(p1[:, 1:], axis=1)) == 0


def test_three_body_flat_dalitz_projection():
    # For flat phase space the m12^2 density is proportional to the length of the
    # allowed m23^2 interval (PDG Kinematics Eq. 49.25); compare mean m12^2.
    rng = np.random.default_rng(5)
    x, _ = kin.sample_flat_dalitz(MK, MPI, MPI, MPI, 400_000, rng)
    grid = np.linspace((2 * MPI) ** 2, (MK - MPI) ** 2, 20001)
    lo, hi = kin.dalitz_limits(MK, MPI, MPI, MPI, grid)
    w = hi - lo
    expected = np.sum(grid * w) / np.sum(w)
    assert x.mean() == pytest.approx(expected, rel=2e-3)


def test_three_body_daughter_masses():
    rng = np.random.default_rng(8)
    parent = _parents(75_000.0, 0.0, 0.0, MK, n=1000)
    p1, p2, p3 = kin.three_body_phase_space(parent, MPI0, 0.0, MMU, rng)
    for p, m in ((p1, MPI0), (p3, MMU)):
        np.testing.assert_allclose(np.sqrt(np.clip(kin.invariant_mass2(p), 0, None)), m, atol=0.05)


def test_below_threshold_is_input_error():
    parent = _parents(1000.0, 0.0, 0.0, MPI)
    with pytest.raises(InputError):
        kin.two_body_decay(parent, MPI, MPI0, np.random.default_rng(0))
    with pytest.raises(InputError):
        kin.boost(parent, [0.0, 0.0, 1.0])


def test_two_body_momentum_below_threshold_value():
    # nan below threshold by default; the caller's choice (0 for rates masked by the threshold) otherwise
    assert np.isnan(kin.two_body_momentum(MK, MPI, 400.0))
    assert kin.two_body_momentum(MK, MPI, 400.0, below=0.0) == 0.0
    assert kin.two_body_momentum(MK, MMU, 0.0, below=0.0) == pytest.approx(235.53, abs=0.01)
