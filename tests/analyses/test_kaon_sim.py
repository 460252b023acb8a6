"""The kaon_sim reproduce section: comparison table, flags, files."""

import json

import numpy as np
import pytest
from rich.console import Console

from na62lab.analyses import REPRODUCE_SECTIONS, kaon_sim


def test_section_registered():
    assert "kaon_sim" in REPRODUCE_SECTIONS


def test_reproduce_small(tmp_path, monkeypatch):
    monkeypatch.setattr(kaon_sim, "run", lambda decays=40_000, workers=1: _run_small())
    console = Console(record=True, width=160)
    out = kaon_sim.reproduce(tmp_path, console)
    text = console.export_text()
    assert "A_pinunu" in text and "upstream" in text
    folder = tmp_path / "kaon_sim"
    bk = json.loads((folder / "backgrounds.json").read_text())
    assert bk["published"]["pipi0"] == 0.83 and "pipi0" in bk["simulated"]
    assert (folder / "mmiss2_vs_p.png").stat().st_size > 10_000
    assert set(out) >= {"acceptance_pinunu", "ses", "backgrounds", "flagged", "implied_common_cut_efficiency"}
    assert "+-" in text                                   # statistical errors of the simulated backgrounds


def _run_small():
    card = kaon_sim.card_for(40_000, 20_000)
    tally, rows, n_gen = kaon_sim.simulate(card, workers=1)
    from na62lab.yields.kaon_tally import summary
    s = summary(tally, card)
    return s, kaon_sim.comparison(s, card), rows, n_gen, card


def test_flags_follow_the_30_percent_rule():
    card = kaon_sim.card_for(1000, 1000)
    pub = card.normalisation.published
    s = {"acceptance_pinunu": pub.acceptance_pinunu * 1.2, "acceptance_pipi": pub.acceptance_pipi * 2.0,
         "ses": pub.ses, "mmiss2_resolution_pipi_gev2": pub.mmiss2_resolution_gev2 * 0.6,
         "backgrounds": {"pipi0": {"total": 0.83}, "munu": {"total": 1.7}, "pipipi": {"total": 0.11},
                         "ke4": {"total": 0.89}, "pigg": {"total": 0.01}, "pi0enu": {"total": 0.0005},
                         "pi0munu": {"total": 0.0003}, "upstream": {"total": 7.4}, "total": {"total": 11.0}}}
    rows = {r["quantity"]: r for r in kaon_sim.comparison(s, card)}
    assert not rows["A_pinunu (simulated cuts)"]["flagged"]
    a_pipi = rows["A_pipi (simulated cuts; published value approximate)"]
    assert a_pipi["flagged"] and a_pipi["missing_physics"]
    # the implied efficiency of the non-simulated common cuts is printed for signal and normalisation
    assert rows["implied efficiency of non-simulated cuts: signal"]["simulated"] == pytest.approx(1 / 1.2)
    assert rows["implied efficiency of non-simulated cuts: normalisation"]["simulated"] == pytest.approx(0.5)
    assert rows["sigma(m_miss^2) pi+ pi0 [GeV^2/c^4]"]["flagged"]
    assert not rows["background pi0lnu"]["flagged"]       # 8e-4 is below the published < 0.001
    assert np.isclose(rows["A_pinunu / A_pipi"]["ratio"], 0.6)
