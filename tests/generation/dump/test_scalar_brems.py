"""Proton bremsstrahlung of dark scalars (Boiarska et al. arXiv:1904.10447 sec. 3)."""

import numpy as np
import pytest

from na62lab.config.dump import DumpCard, DumpProduction
from na62lab.fips import get_model
from na62lab.generation.dump import bremsstrahlung
from na62lab.generation.dump.sources import production_modes
from na62lab.generation.dump.tables import load_table
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV

CARD = DumpCard()


def test_scalar_quadrature_matches_plain_monte_carlo():
    rng = np.random.default_rng(7)
    n, mass = 400_000, 300.0
    z = rng.uniform(0.1, 0.9, n)
    pt2 = rng.uniform(0.0, GeV**2, n)
    mc = bremsstrahlung.emission_density(z, pt2, mass, CARD, "scalar").mean() * 0.8 * GeV**2
    assert float(bremsstrahlung.production_rate(mass, CARD, kind="scalar")[0]) == pytest.approx(mc, rel=0.02)


def test_scalar_splitting_function_closed_form_at_zero_pt():
    """At pT = 0: w = g^2/(8 pi^2) z M^2 (2 - z)^2 / (z^2 M^2 + (1 - z) m^2)^2 (written out by hand)."""
    z, m, mp = 0.4, 500.0, pdg_mass("p")
    expected = 1.2e-3**2 / (8 * np.pi**2) * z * mp**2 * (2 - z) ** 2 / (z * z * mp**2 + (1 - z) * m * m) ** 2
    assert float(bremsstrahlung.scalar_splitting_function(z, 0.0, m)) == pytest.approx(expected, rel=1e-12)


def test_scalar_rate_falls_with_mass_and_is_below_the_dark_photon_rate():
    m = np.array([100.0, 500.0, 1500.0])
    scalar = bremsstrahlung.production_rate(m, CARD, kind="scalar")
    assert np.all(np.diff(scalar) < 0)
    # per unit coupling^2 the scalar Yukawa (1.2e-3)^2 is far below alpha ~ 7e-3
    assert np.all(scalar < 1e-3 * bremsstrahlung.production_rate(m, CARD))


def test_dark_scalar_bremsstrahlung_is_an_unpolarised_option_off_by_default():
    on = DumpCard(production=DumpProduction(scalar_brems=True))
    modes = {md.name: md for md in production_modes(get_model("dark-scalar"), on, load_table()).modes}
    sample = modes["brems"].sampler(400.0, 2000, np.random.default_rng(1))
    assert not sample.polarised and sample.weight.sum() == pytest.approx(1.0)
    assert not DumpProduction().scalar_brems
    default = production_modes(get_model("dark-scalar"), DumpCard(), load_table())
    assert "brems" not in {md.name for md in default.modes} and "brems" in default.skipped
