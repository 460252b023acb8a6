"""Material constants in one home (na62lab.physics.materials): PDG values, and the dump card defaults, the
Primakoff nucleus table and the shipped dump cards all read or match them."""

from __future__ import annotations

import pytest

from na62lab.config.base import card_names, load_card, read_yaml
from na62lab.config.dump import DumpCard, DumpProduction
from na62lab.generation.dump import primakoff
from na62lab.generation.dump.tables import load_table
from na62lab.physics.materials import MATERIALS

# PDG Atomic and Nuclear Properties of Materials, printed values: X0 (g/cm^2, cm), lambda_I (g/cm^2, cm)
PDG = {"Be": (65.19, 35.28, 77.8, 42.10), "Fe": (13.84, 1.757, 132.1, 16.77), "Cu": (12.86, 1.436, 137.3, 15.32),
       "W": (6.76, 0.3504, 191.9, 9.946), "Mo": (9.80, 0.9594, None, None)}


@pytest.mark.parametrize("name", sorted(PDG))
def test_pdg_values_and_lengths_in_metres(name):
    x0_g, x0_cm, lam_g, lam_cm = PDG[name]
    mat = MATERIALS[name]
    assert mat.radiation_length_g_cm2 == x0_g and mat.interaction_length_g_cm2 == lam_g
    # the printed cm values come from unrounded g/cm^2 ones: both roundings together are up to 7.4e-4
    # (Cu: 12.86 / 8.96 = 1.4353 against the printed 1.436, -5.1e-4)
    assert mat.radiation_length_m * 100 == pytest.approx(x0_cm, rel=8e-4)
    if lam_cm is not None:
        assert mat.interaction_length_m * 100 == pytest.approx(lam_cm, rel=8e-4)
    else:
        with pytest.raises(ValueError, match="interaction length"):
            _ = mat.interaction_length_m


def test_card_defaults_and_primakoff_read_the_home():
    prod, cu = DumpProduction(), MATERIALS["Cu"]
    assert prod.copper_radiation_length_m == cu.radiation_length_m == pytest.approx(0.014353, rel=1e-4)
    assert prod.interaction_length_m == cu.interaction_length_m == pytest.approx(0.15324, rel=1e-4)
    assert all(primakoff.NUCLEI[k] == MATERIALS[k].nucleus for k in primakoff.NUCLEI)
    assert all(primakoff.RADIATION_LENGTH_G_CM2[k] == MATERIALS[k].radiation_length_g_cm2 for k in primakoff.NUCLEI)


def _dump_cards():
    return [n for n in card_names() if {"run", "production", "selection"} <= set(read_yaml(n))]


@pytest.mark.parametrize("name", _dump_cards())
def test_shipped_dump_cards_state_their_material_as_the_home(name):
    """A card that sets lambda_I or X0 explicitly (NuCal iron, SHiP tungsten) states the home's value of its
    dump material (to the 5 digits printed)."""
    card = load_card(name, DumpCard)
    table = load_table(card.production.production_table) if card.production.production_table else load_table()
    z = primakoff.dump_nucleus(table, card)[0]
    if card.production.target_material is not None:
        z = MATERIALS[card.production.target_material].z
    material = next(m for m in MATERIALS.values() if m.z == z)
    assert card.production.interaction_length_m == pytest.approx(material.interaction_length_m, rel=5e-5)
    assert primakoff.dump_radiation_length_m(card) == pytest.approx(material.radiation_length_m, rel=5e-5)
