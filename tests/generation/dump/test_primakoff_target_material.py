"""Primakoff on the dump material the card states (issue 16): SHiP's tungsten (ECN3 target; the earlier
beam-dump-facility design and ALPINIST: molybdenum) instead of the copper of the production table.

Numbers: Z, A, density and X0 from the PDG atomic and nuclear properties of materials (Mo: 42, 95.95,
10.22 g/cm^3, 9.80 g/cm^2; W: 74, 183.84, 19.30 g/cm^3, 6.76 g/cm^2).  ALPINIST (arXiv:2201.05170; public
code jjerhot/ALPINIST, ALP_decay/src/ExpParameters.C, SHiP: ATarget 95, ZTarget 42, normCrossSec
1/(12.66e12 pb)) normalises Primakoff by sigma_abs = 12.66 b on molybdenum, 6 b on copper.
Measured (tests/analyses/test_alpinist_bc9_bc11_reference.py geometry, primary photons): SHiP BC9 lower
edge at 50/407/694 MeV 4.096e-7/7.438e-8/5.681e-8 GeV^-1 on copper -> 4.065e-7/7.479e-8/5.767e-8 on
molybdenum, i.e. < 2 %: per photon sigma_P / sigma_abs hardly depends on Z (sigma_P ~ Z^2, sigma_abs ~ Z^2).
Per photon W/Cu 0.92-1.11, W/Mo 0.96-1.08 at 20 and 300 MeV, 5-100 GeV (measured, below); the SHiP-ECN3
BC9 edges move by < 1 % from Mo to W (tests/analyses/test_ship_ecn3_reference.py).
"""

import numpy as np
import pytest

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard
from na62lab.fips import get_model
from na62lab.fips.alp import primakoff_cross_section
from na62lab.generation.dump import primakoff
from na62lab.generation.dump.tables import load_table
from na62lab.physics.units import GeV, cm


@pytest.fixture(scope="module")
def ship():
    return load_card("ship", DumpCard)


def _on(card, material):
    return card.model_copy(update={"production": card.production.model_copy(update={"target_material": material})})


def test_the_card_material_overrides_the_table_nucleus(ship):
    table = load_table()
    assert ship.production.target_material == "W"
    assert primakoff.dump_nucleus(table, ship) == (74, 183.84, 19.30)
    assert primakoff.dump_radiation_length_m(ship) == pytest.approx(0.003503, rel=1e-3)   # 6.76 / 19.30 cm
    assert primakoff.dump_radiation_length_m(_on(ship, "Mo")) == pytest.approx(0.009589, rel=1e-3)
    charm = load_card("charm", DumpCard)                      # no material stated: the table's copper
    assert primakoff.dump_nucleus(table, charm) == primakoff.NUCLEI["Cu"]
    assert primakoff.dump_radiation_length_m(charm) == charm.production.copper_radiation_length_m


def _sigma_abs_barn(card, material):
    model = get_model("alp-photon")
    z, a, _ = primakoff.NUCLEI[material]
    e, mass = 20 * GeV, 100.0
    sigma = primakoff_cross_section(e, mass, 1.0, z, a) * primakoff.effective_gagg2(model, mass)
    prob = primakoff.conversion_probability(model, e, mass, card, primakoff.NUCLEI[material])
    return float(sigma / prob) / cm**2 / 1e-24


def test_molybdenum_absorption_cross_section_is_alpinists(ship):
    assert _sigma_abs_barn(_on(ship, "Mo"), "Mo") == pytest.approx(12.66, rel=0.01)   # ours 12.64 b
    assert _sigma_abs_barn(ship, "W") == pytest.approx(7 / 9 * 183.84 / (6.02214076e23 * 6.76) / 1e-24, rel=1e-6)


@pytest.mark.parametrize("material, band", [("Mo", (0.95, 1.1)),     # measured 0.967-1.035
                                            ("W", (0.9, 1.15))])     # measured 0.923-1.113
def test_conversion_per_photon_hardly_depends_on_the_material(ship, material, band):
    model = get_model("alp-photon")
    e = np.geomspace(5, 100, 8) * GeV
    for mass in (20.0, 300.0):
        dense = primakoff.conversion_probability(model, e, mass, _on(ship, material), primakoff.NUCLEI[material])
        cu = primakoff.conversion_probability(model, e, mass, _on(ship, "Cu"), primakoff.NUCLEI["Cu"])
        assert np.all((dense / cu > band[0]) & (dense / cu < band[1])), (mass, dense / cu)


def test_the_mode_uses_the_card_material(ship):
    model, table = get_model("alp-photon"), load_table()
    masses = np.array([50.0, 400.0])
    ratio = primakoff.mode(model, ship, table).rate(masses) / primakoff.mode(model, _on(ship, None), table).rate(masses)
    assert np.all((ratio > 0.85) & (ratio < 1.15)), ratio      # W / table copper: measured 1.10, 0.91
    assert "conversion on W" in primakoff.notes(ship)[0]
