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
