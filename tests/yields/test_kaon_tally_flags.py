"""Background rows with fewer than 10 Kish effective events are flagged statistics-limited (JSON and tables)."""

import numpy as np

from na62lab.analyses import kaon_sim
from na62lab.config.kaon import SM_MODES, shipped_kaon_card
from na62lab.yields import kaon_tally as kt


def _tally(weights_by_mode: dict) -> kt.KaonTally:
    card = shipped_kaon_card()
    n_regions = len(kt.region_names(card.selection))
    t = kt.KaonTally.zeros(n_regions, len(card.selection.momentum_bins_gev) - 1)
    t.n_generated[:] = 1000
    t.full[SM_MODES.index("pinunu"), kt.R1, 0] = 100.0           # A_pinunu = 0.1, A_pipi = 0.1
    t.full_sq[SM_MODES.index("pinunu"), kt.R1, 0] = 100.0
    t.pid[SM_MODES.index("pipi0"), kt.PIPI, 0] = 100.0
    for mode, w in weights_by_mode.items():
        i = SM_MODES.index(mode)
        t.full[i, kt.R1, 0] = np.sum(w)
        t.full_sq[i, kt.R1, 0] = np.sum(np.square(w))
    return t


def test_flags_follow_kish_effective_events():
    t = _tally({"munu": np.ones(50), "pipi0": [1.0, 1e-3, 1e-3], "ke4": []})
    bk = kt.backgrounds(t, shipped_kaon_card(), n_k=1e12)
    assert bk["munu"]["effective_events"] == 50 and not bk["munu"]["statistics_limited"]
    assert bk["pipi0"]["effective_events"] < 2 and bk["pipi0"]["statistics_limited"]
    assert bk["ke4"]["effective_events"] == 0 and bk["ke4"]["statistics_limited"]     # no event at all


def test_comparison_rows_carry_the_flag():
    card = shipped_kaon_card()
    t = _tally({"munu": np.ones(50), "pipi0": np.ones(3)})
    rows = kaon_sim.comparison(kt.summary(t, card), card)
    by = {r["quantity"]: r for r in rows}
    assert by["background munu"]["statistics_limited"] is False
    assert by["background pipi0"]["statistics_limited"] is True
