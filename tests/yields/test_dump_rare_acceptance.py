"""Rare acceptances in the dump efficiency tables: empty nodes and decay rounds (card ``mc.min_accepted``).

N -> nu e e / nu mu mu under the TAX-pointing cut keep about 1e-4 of the decays of the N that reach the
LKr at 1 GeV (NA62 2021 card): one decay per FIP and slice left the hnl-tau nodes with 0-3 accepted FIPs,
and an empty node (D_s -> tau (tau -> N pi) at 1.47 GeV) zeroed E from 1.23 GeV up through the log
interpolation.  An empty node is now left out of the interpolation (it only bounds E), and short final
states are decayed again in further rounds of the same FIPs.
"""

import numpy as np
import pytest

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpDetector
from na62lab.fips import get_model
from na62lab.generation.dump.sources import production_modes
from na62lab.generation.dump.tables import load_table
from na62lab.yields.dump_tables import EfficiencyTable, effective_counts, efficiency_curves, unmeasured_note

CARD = load_card("na62_dump_2021", DumpCard)


def _mc(card: DumpCard, **update) -> DumpCard:
    return card.model_copy(update={"mc": card.mc.model_copy(update={"n_ctau_nodes": 40} | update)})


def test_empty_node_is_interpolated_across_not_a_zero():
    taus = np.geomspace(1.0, 1e4, 5)
    rows = [1e-2 / taus, np.zeros(5), 4e-2 / taus]
    eff = np.stack(rows)[..., None]
    t = EfficiencyTable("x", np.array([100.0, 200.0, 400.0]), taus, ("ee",), eff)
    got = t.evaluate("ee", np.array([200.0, 300.0]), np.tile([10.0], (2, 1)))
    assert got[0, 0] == pytest.approx(2e-3, rel=1e-12)          # log-log between 100 and 400 MeV
    assert got[1, 0] == pytest.approx(1e-3 * 4 ** (np.log(3) / np.log(4)), rel=1e-12)
    assert t.unmeasured() == [("ee", 200.0)]
    assert "x ee 0.2" in unmeasured_note({"x": t})[0]
    closed = EfficiencyTable("y", t.masses, taus, ("ee",), np.zeros((3, 5, 1)))
    assert not closed.evaluate("ee", np.array([200.0]), np.tile([10.0], (1, 1))).any()   # nothing measured: 0


def test_tables_without_empty_nodes_unchanged():
    """The valid-node mask only drops all-zero rows: a table with partial zeros along tau' is read as before."""
    taus = np.geomspace(1.0, 1e4, 5)
    eff = np.stack([np.r_[0.0, 1e-2 / taus[1:]], 2e-2 / taus])[..., None]
    t = EfficiencyTable("x", np.array([100.0, 400.0]), taus, ("ee",), eff)
    assert t.unmeasured() == [] and unmeasured_note({"x": t}) == []
    got = t.evaluate("ee", np.array([200.0]), np.array([[1.0, 10.0]]))
    assert got[0, 0] == 0.0 and got[0, 1] > 0.0                # a zero tau' node still kills its interval


@pytest.fixture(scope="module")
def tau_sample():
    """D_s -> tau (tau -> N pi) N of 250 MeV on the 2021 card (600 FIPs, no thinning)."""
    model = get_model("hnl-tau")
    mode = next(m for m in production_modes(model, CARD, load_table(CARD.production.production_table)).modes
                if m.name == "Ds+->tau+ (tau->N pi)")
    return mode.sampler(250.0, 600, np.random.default_rng(5))


def test_rounds_leave_measured_final_states_bit_identical(tau_sample):
    """Rounds refine only the final states short of ``mc.min_accepted`` accepted decays; under the pointing cut
    the rounds draw nu l l importance-sampled, count effective decays (sum f)^2 / sum f^2
    (:func:`na62lab.yields.dump_tables.effective_counts`) and replace the plain first round.  Measured (seed 1,
    the plain first round): nu e e 14 accepted decays, nu mu mu 85."""
    fss = ["nuee", "numumu"]
    one = efficiency_curves(tau_sample, fss, _mc(CARD, min_accepted=0), np.random.default_rng(1))
    enough = efficiency_curves(tau_sample, fss, _mc(CARD, min_accepted=4, max_decay_rounds=16),
                               np.random.default_rng(1))
    np.testing.assert_array_equal(enough, one)                  # both have >= 4: no further round
    short = efficiency_curves(tau_sample, fss, _mc(CARD, min_accepted=30, max_decay_rounds=16),
                              np.random.default_rng(1))
    np.testing.assert_array_equal(short[:, 1], one[:, 1])       # nu mu mu: 85 >= 30, kept
    assert not np.array_equal(short[:, 0], one[:, 0])           # nu e e: 14 < 30, decayed again
    assert 0.25 < short[30, 0] / one[30, 0] < 4.0                # same order: the first round holds 14 decays


def test_effective_counts_are_counts_for_equal_weights():
    """Equal flags (no importance weights, or a card without a pointing cut): the count of accepted decays."""
    flags = np.zeros((50, 2))
    flags[[1, 4, 9], 0] = 0.98                                  # a visible fraction, the same for all
    flags[[2, 3], 1] = [1e-3, 1.0]
    got = effective_counts(flags, ["ee", "nuee"], CARD)
    assert got[0] == 3.0 and got[1] == pytest.approx(1.002, rel=1e-3)
    no_pointing = CARD.model_copy(update={"detector": DumpDetector(name="x", planes_m=(150.0,),
                                                                   aperture_half_m=(1.0, 1.0))})
    np.testing.assert_array_equal(effective_counts(flags, ["ee", "nuee"], no_pointing), [3.0, 2.0])


def test_rounds_reduce_the_scatter_of_a_rare_final_state(tau_sample):
    """Mean of rounds: same expectation, smaller seed spread (nu mu mu, about 85 decays in the first round)."""
    k = 30                                                      # tau' node in the long-lived regime
    single = [efficiency_curves(tau_sample, ["numumu"], _mc(CARD, min_accepted=0), np.random.default_rng(s))[k, 0]
              for s in range(6)]
    rounds = [efficiency_curves(tau_sample, ["numumu"], _mc(CARD, min_accepted=10_000, max_decay_rounds=16),
                                np.random.default_rng(s))[k, 0] for s in range(6)]
    print("single", np.round(np.array(single) / np.mean(rounds), 3), "rounds", np.round(rounds / np.mean(rounds), 3))
    assert np.std(rounds) < 0.5 * np.std(single)
    assert abs(np.mean(single) / np.mean(rounds) - 1) < 3 * np.std(single) / np.sqrt(6) / np.mean(rounds)
