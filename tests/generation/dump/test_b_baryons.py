"""b baryons in the shipped production table and in the inclusive b -> s production (t88).

The table's beauty shards were re-run with their seeds and the b baryons histogrammed too; the B mesons came out
bit-identical (provenance ``b_baryons``).  Per b bbar pair (Pythia 8.317, 400 GeV p on Cu nucleons): B+ 0.812,
B0 0.816, B_s0 0.169, Lambda_b0 0.165, Xi_b0 0.010, Xi_b- 0.008, Omega_b- 0.0004
(:mod:`na62lab.generation.dump.channels` docstring).
"""

from dataclasses import replace

import numpy as np
import pytest

from na62lab.config.dump import DumpCard
from na62lab.fips import get_model
from na62lab.generation.dump import channels
from na62lab.generation.dump.pythia_production import SPECIES
from na62lab.generation.dump.sources import production_modes
from na62lab.generation.dump.tables import load_table
from na62lab.physics.particles import mass


def test_table_holds_the_b_baryons_per_b_pair():
    table = load_table()
    assert set(channels.B_BARYONS) <= set(SPECIES["beauty"]) and set(channels.B_BARYONS) <= set(table.species)
    per_pair = {s: table.multiplicity(s) for s in SPECIES["beauty"]}
    assert per_pair["Lambda(b)0"] == pytest.approx(0.1652, abs=2e-4)     # measured 0.16521
    assert sum(per_pair[s] for s in channels.B_BARYONS) == pytest.approx(0.1841, abs=3e-4)
    assert sum(per_pair.values()) == pytest.approx(1.981, abs=2e-3)     # weakly decaying b hadrons per pair
    assert per_pair["B+"] == pytest.approx(0.8119, abs=2e-4)              # unchanged by the re-run (bit-identical)
    assert "bit-identical" in table.provenance["b_baryons"]


def test_x_s_of_a_b_baryon_is_a_baryon():
    """Baryon number: the two-body X_s of Lambda_b is the Lambda (Xi for Xi_b); mesons keep the K*.  Omega_b-
    (0.02 % of the b hadrons) is left out: its Omega- recoil would end the channel 14 MeV below the B+'s end."""
    assert channels.INCLUSIVE_B_SPECIES == ("B+", "B0", "Bs0", "Lambda(b)0", "Xi(b)0", "Xi(b)-")
    rec = channels.recoil_masses("B", ("Xs",))
    assert rec["Lambda(b)0"] == (mass("Lambda"),) and rec["Xi(b)-"] == (mass("Xi-"),)
    assert rec["B+"] == rec["Bs0"] == (mass("K*(892)+"),)
    assert channels.kinematic_limit("B", ("Xs",)) == pytest.approx(mass("B+") - mass("K*(892)+"))
    assert mass("Omega(b)-") - mass("Omega-") < mass("B+") - mass("K*(892)+")


def test_a_table_without_b_baryons_keeps_the_b_mesons_with_a_note():
    """A production table made before t88 (no b baryons): the inclusive channel from its b mesons only, noted."""
    table = load_table()
    keep = [s for s in table.species if s not in channels.B_BARYONS]
    old = replace(table, species=tuple(keep), kind={s: table.kind[s] for s in keep},
                  density={s: table.density[s] for s in keep}, counts={s: table.counts[s] for s in keep})
    card, model = DumpCard(), get_model("dark-scalar")
    m = np.array([500.0])
    rates = {}
    for label, t in (("old", old), ("new", table)):
        sources = production_modes(model, card, t)
        rates[label] = float(next(md for md in sources.modes if md.name == "B->XsS").rate(m)[0])
        assert any("no b baryons" in n for n in sources.notes) == (label == "old")
    mesons = sum(table.per_pot(s, card.production) for s in ("B+", "B0", "Bs0"))
    baryons = sum(table.per_pot(s, card.production) for s in channels.INCLUSIVE_B_SPECIES[3:])
    assert rates["new"] / rates["old"] == pytest.approx(1 + baryons / mesons, rel=1e-12)   # +10.2 %
