"""Measured light-meson yields per collision (card production.measured_multiplicities) replace
Pythia's normalisation and keep its spectrum shape (NA27, pp at 400 GeV/c, Z. Phys. C 50 (1991) 405)."""

import numpy as np
import pytest

from na62lab.config.base import load_card, parse_card
from na62lab.config.dump import DumpCard, DumpProduction
from na62lab.errors import InputError
from na62lab.fips import get_model
from na62lab.generation.dump.sources import production_modes
from na62lab.generation.dump.tables import load_table


def test_measured_yield_replaces_the_pythia_normalisation_of_listed_species_only():
    table = load_table()
    prod = DumpProduction(measured_multiplicities={"eta": 0.30})
    assert table.per_pot("eta", prod) == 0.30
    assert table.per_pot("pi0", prod) == table.multiplicity("pi0")          # not listed: Pythia's
    base = {m.name: m for m in production_modes(get_model("dark-photon"), DumpCard(), table).modes}
    card = DumpCard(production=prod)
    sources = production_modes(get_model("dark-photon"), card, table)
    scaled = {m.name: m for m in sources.modes}
    masses = np.array([100.0, 300.0])
    ratio = scaled["eta->gammaA"].rate(masses) / base["eta->gammaA"].rate(masses)
    np.testing.assert_allclose(ratio, 0.30 / table.multiplicity("eta"), rtol=1e-12)
    np.testing.assert_allclose(scaled["pi0->gammaA"].rate(masses), base["pi0->gammaA"].rate(masses))
    assert any("measured_multiplicities: eta 0.3" in n for n in sources.notes)


def test_shipped_400_gev_cards_use_the_na27_yields_and_bad_values_are_refused():
    for name in ("na62_dump_2021", "na62_dump_run2", "hike", "charm", "ship", "shadows"):
        prod = load_card(name, DumpCard).production
        assert prod.measured_multiplicities == {"pi0": 3.9, "eta": 0.30, "rho0": 0.39, "omega": 0.39,
                                                "phi": 0.019}, name
    assert load_card("nucal", DumpCard).production.measured_multiplicities == {}   # 70 GeV: Pythia's
    with pytest.raises(InputError):
        parse_card({"production": {"measured_multiplicities": {"eta": 0.0}}}, DumpCard)
