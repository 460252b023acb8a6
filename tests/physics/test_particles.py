"""Particle data comes from the PDG tables of the `particle` package."""

import math

import pytest

from na62lab.errors import InputError
from na62lab.physics import particles
from na62lab.physics.units import GeV, MeV, m


def test_kaon_mass_and_ctau_pdg():
    # PDG 2024: m(K+) = 493.677 MeV, c tau = 3.711 m
    assert particles.mass("K+") == pytest.approx(493.677 * MeV, abs=1e-3)
    assert particles.ctau("K+") / m == pytest.approx(3.711, rel=1e-3)


def test_stable_and_massless():
    assert math.isinf(particles.ctau("e+"))
    assert particles.mass("nu") == 0.0
    assert particles.mass("B+") / GeV == pytest.approx(5.279, rel=1e-3)


def test_unknown_particle_is_input_error():
    with pytest.raises(InputError, match="particle"):
        particles.mass("kaonium")


def test_decay_width_is_hbar_c_over_c_tau():
    # PDG 2024 K+ listing: tau = 1.2380e-8 s, Gamma = hbar / tau = 5.317e-14 MeV; the proton is stable
    assert particles.decay_width("K+") == pytest.approx(5.317e-14 * MeV, rel=1e-3)
    assert particles.decay_width("K+") == pytest.approx(197.3269804e-12 / particles.ctau("K+"), rel=1e-9)  # MeV mm
    assert particles.decay_width("p") == 0.0
