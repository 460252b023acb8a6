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
