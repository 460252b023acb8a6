"""BC9 Primakoff production in a proton dump: the dump's nucleus, the conversion normalisation and the
photon yield, checked against independent numbers (issue 13/16 audit of the NuCal BC9 curve).

- Conversion probability per photon = sigma_P / sigma_abs with sigma_abs = (7/9) A / (N_A X0) the
  pair-production absorption cross section (Bjorken et al. PRD 38 (1988) 3375 sec. II; PDG "Passage of
  particles through matter" eq. 34.31).  ALPINIST (arXiv:2201.05170; public code jjerhot/ALPINIST,
  ALP_production/general/exotic_constants.py, sigma_pgamma) uses 5.1 b for NuCal iron.
- Primary photons of 70 GeV p p collisions above 14.5 GeV: 0.089 per POT summed by hand from ALPINIST's
  Pythia table ALP_production/tab_gammas/70GeV/EvsPTLoggamma_100kEvts_70GeV_full.dat (rows
  log10 p >= 1.16; bin area 0.06125 x 0.085); ours (Pythia 8.3, production_tables_70GeV_Fe.npz) 0.0925.
"""

import numpy as np
import pytest

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard
from na62lab.fips import get_model
from na62lab.generation.dump import primakoff
from na62lab.generation.dump.tables import load_table
from na62lab.physics.units import GeV, cm

NUCAL_TABLE = "production_tables_70GeV_Fe.npz"


@pytest.fixture(scope="module")
def nucal():
    return load_card("nucal", DumpCard), load_table(NUCAL_TABLE)


def test_the_dump_nucleus_comes_from_the_table_target(nucal):
    assert primakoff.dump_nucleus(nucal[1]) == (26, 55.845, 7.874)       # NuCal: iron
    assert primakoff.dump_nucleus(load_table()) == primakoff.NUCLEI["Cu"]  # NA62 TAX, CHARM: copper


def test_conversion_normalisation_is_the_pair_absorption_cross_section(nucal):
    card, _ = nucal
    z, a, rho = primakoff.NUCLEI["Fe"]
    model = get_model("alp-photon")
    from na62lab.fips.alp import primakoff_cross_section

    e, mass = 20 * GeV, 100.0
    sigma = primakoff_cross_section(e, mass, 1.0, z, a) * primakoff.effective_gagg2(model, mass)
    prob = primakoff.conversion_probability(model, e, mass, card, primakoff.NUCLEI["Fe"])
    sigma_abs_barn = float(sigma / prob) / cm**2 / 1e-24
    x0_g_cm2 = card.production.copper_radiation_length_m * 100 * rho
    assert sigma_abs_barn == pytest.approx(7 / 9 * a / (primakoff.AVOGADRO * x0_g_cm2) / 1e-24, rel=1e-9)
    assert sigma_abs_barn == pytest.approx(5.1, rel=0.05)                 # ALPINIST sigma_pgamma['NuCal']


def test_iron_gives_z_squared_fewer_alps_than_copper(nucal):
    card, table = nucal
    model = get_model("alp-photon")
    masses = np.array([20.0, 100.0, 300.0])
    e = np.geomspace(5, 60, 12) * GeV
    fe = primakoff.conversion_probability(model, e[None, :], masses[:, None], card, primakoff.NUCLEI["Fe"])
    cu = primakoff.conversion_probability(model, e[None, :], masses[:, None], card, primakoff.NUCLEI["Cu"])
    # same card X0: ratio = (26/29)^2 = 0.804 x n_Fe/n_Cu (0.99996) x the form-factor logarithms
    ratio = fe / cu
    assert np.all((ratio > 0.78) & (ratio < 0.83)), ratio
    rate = primakoff.mode(model, card, table).rate(masses)
    assert np.all(rate > 0) and np.all(np.diff(rate) < 0)


def test_primary_photon_yield_at_70_gev_matches_alpinist(nucal):
    _, table = nucal
    lp = table.log10p_edges
    dens = table.density["gamma"].sum(axis=1)
    lo, hi = lp[:-1], lp[1:]
    frac = np.clip((hi - np.maximum(lo, 1.16)) / (hi - lo), 0.0, 1.0)
    assert float(np.sum(dens * frac)) == pytest.approx(0.089, rel=0.10)
