"""Importance sampling of the kaon-mode simulation (run.importance_veto, run.importance_mmiss2_gev2): exactly
unbiased against plain Monte Carlo on a small problem, and the card refuses bad tables."""

import math

import numpy as np
import pytest
from pydantic import ValidationError

from na62lab.config.kaon import KaonCard, shipped_kaon_card
from na62lab.selection.regions import R1, R2
from na62lab.yields.kaon_sim import KINEMATIC, simulate_chunk


def _card(**run) -> KaonCard:
    data = shipped_kaon_card().model_dump()
    data["run"].update(fractions={"ke4": 1.0}, **run)
    return KaonCard.model_validate(data)


def _per_decay_estimates(card: KaonCard, seeds, n: int):
    """Per chunk: weighted kinematic R1/R2 events and a bounded veto-weighted sum, per generated decay."""
    out = []
    for seed in seeds:
        c = simulate_chunk(card, n, np.random.default_rng(seed)).columns
        kin = ((c["flags"] & KINEMATIC) == KINEMATIC) & np.isin(c["region"], (R1, R2))
        w = c["w_decay"][kin].astype(float)
        out.append((w.sum() / n, (w * np.minimum(c["w_veto"][kin], 1e-7)).sum() / n))
    return np.array(out)


def test_veto_importance_is_unbiased_against_plain_monte_carlo():
    """K+ -> pi+ pi- e+ nu, 8 x 40,000 decays each way (independent seeds): the weighted number of kinematically
    selected R1/R2 events and a bounded veto-weighted sum (w_veto capped at 1e-7, so plain Monte Carlo has a
    finite, well-estimated variance) agree within 4 standard errors of the difference."""
    plain = _per_decay_estimates(_card(), range(10, 18), 40_000)
    imp = _per_decay_estimates(_card(importance_veto={"ke4": (1e-8, 0.05, 20.0)}), range(30, 38), 40_000)
    for k in range(2):
        a, b = plain[:, k], imp[:, k]
        err = math.hypot(a.std(ddof=1) / math.sqrt(a.size), b.std(ddof=1) / math.sqrt(b.size))
        assert a.mean() > 0 and abs(a.mean() - b.mean()) < 4 * err


def test_importance_off_leaves_the_chunk_unchanged_and_other_modes_untouched():
    """A table for another mode does not change a ke4-only chunk bit for bit (draws come from spawned streams)."""
    a = simulate_chunk(_card(), 20_000, np.random.default_rng(5)).columns
    b = simulate_chunk(_card(importance_veto={"pipipi": (1e-9, 0.02, 100.0)},
                             importance_mmiss2_gev2={"pipipi": [(0.082, 10.0)]}), 20_000,
                       np.random.default_rng(5)).columns
    assert all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)


@pytest.mark.parametrize("run", [{"importance_veto": {"pipi0": (1e-6, 0.1, 10.0)}},
                                 {"importance_veto": {"ke4": (1e-6, 10.0, 1.0)}},
                                 {"importance_mmiss2_gev2": {"pinunu": [(0.1, 2.0)]}},
                                 {"importance_mmiss2_gev2": {"pipipi": [(0.1, 2.0), (0.05, 3.0)]}}])
def test_bad_importance_tables_are_refused(run):
    data = shipped_kaon_card().model_dump()
    data["run"].update(run)
    with pytest.raises(ValidationError):
        KaonCard.model_validate(data)


def test_copies_of_a_split_decay_add_before_squaring():
    """Two copies of one decay with weight 0.5 each (and one other decay with weight 1) in the same bin: the
    summed squared weight is 0.5^2 * 4 + 1 = 2 (decays counted), not 0.5^2 * 2 + 1 = 1.5 (rows counted), so
    n_eff = 2^2 / 2 = 2 decays."""
    from na62lab.yields.kaon_sim import MODE_INDEX
    from na62lab.yields.kaon_tally import tally_columns

    card = shipped_kaon_card()
    n = 3
    cols = {"mode": np.full(n, MODE_INDEX["ke4"], np.int8), "region": np.full(n, R2, np.int8),
            "pbin": np.zeros(n, np.int8), "flags": np.full(n, KINEMATIC, np.uint8),
            "w_decay": np.array([0.5, 0.5, 1.0], np.float32), "w_pid": np.ones(n, np.float32),
            "w_veto": np.ones(n, np.float32), "mmiss2_gev2": np.full(n, 0.03, np.float32),
            "decay": np.array([7, 7, 2], np.int32)}
    t = tally_columns(cols, {"ke4": 10}, card)
    i = list(MODE_INDEX).index("ke4")
    assert t.full[i].sum() == 2.0 and t.full_sq[i].sum() == 2.0
    rowwise = tally_columns({k: v for k, v in cols.items() if k != "decay"}, {"ke4": 10}, card)
    assert rowwise.full_sq[i].sum() == 1.5
