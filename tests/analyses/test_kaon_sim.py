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
    assert "Cut-flow" in text and "interaction survival" in text     # the acceptance breakdown, card inputs
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
    assert not rows["A_pinunu (simulated cuts x card common cuts)"]["flagged"]
    a_pipi = rows["A_pipi (simulated cuts x card common cuts; published value approximate)"]
    assert a_pipi["flagged"] and a_pipi["missing_physics"]
    # the implied efficiency of the common cuts still missing is printed for signal and normalisation
    assert rows["implied efficiency of the cuts still missing: signal"]["simulated"] == pytest.approx(1 / 1.2)
    assert rows["implied efficiency of the cuts still missing: normalisation"]["simulated"] == pytest.approx(0.5)
    assert rows["sigma(m_miss^2) pi+ pi0 [GeV^2/c^4]"]["flagged"]
    assert not rows["background pi0enu + pi0munu"]["flagged"]       # 8e-4 is below the published < 0.001
    assert np.isclose(rows["A_pinunu / A_pipi"]["ratio"], 0.6)
    # the side-by-side table says which rows are within a factor 2 of the published one
    assert a_pipi["within_factor_2"] and rows["sigma(m_miss^2) pi+ pi0 [GeV^2/c^4]"]["within_factor_2"]
    assert rows["background pi0enu + pi0munu"]["within_factor_2"]        # below 2x the upper limit
    assert rows["implied efficiency of the cuts still missing: signal"]["within_factor_2"] is None


def test_within_factor_2_marks_rows_outside():
    card = kaon_sim.card_for(1000, 1000)
    pub = card.normalisation.published
    s = {"acceptance_pinunu": pub.acceptance_pinunu * 2.1, "acceptance_pipi": pub.acceptance_pipi * 0.49,
         "ses": pub.ses, "mmiss2_resolution_pipi_gev2": pub.mmiss2_resolution_gev2,
         "backgrounds": {"pipi0": {"total": 0.83}, "munu": {"total": 1.7}, "pipipi": {"total": 0.11},
                         "ke4": {"total": 0.89}, "pigg": {"total": 0.01}, "pi0enu": {"total": 0.002},
                         "pi0munu": {"total": 0.0003}, "upstream": {"total": 7.4}, "total": {"total": 11.0}}}
    rows = {r["quantity"]: r for r in kaon_sim.comparison(s, card)}
    assert rows["A_pinunu (simulated cuts x card common cuts)"]["within_factor_2"] is False
    assert rows["A_pipi (simulated cuts x card common cuts; published value approximate)"]["within_factor_2"] is False
    assert rows["background pi0enu + pi0munu"]["within_factor_2"] is False   # 2.3e-3 against < 1e-3
    assert rows["background pipi0"]["within_factor_2"] is True


def test_effective_events_flag_backgrounds_carried_by_a_few_heavy_events():
    from rich.console import Console

    from na62lab.yields.kaon_tally import effective_events
    assert effective_events(10.0, 10.0) == 10.0          # ten unit weights
    assert effective_events(10.0, 100.0) == 1.0          # one event carries everything
    assert effective_events(0.0, 0.0) == 0.0
    card = kaon_sim.card_for(1000, 1000)
    pub = card.normalisation.published
    bk = {m: {"total": v, "stat_err": e} for m, v, e in
          (("pipi0", 2.0, 1.0), ("munu", 1.7, 0.1), ("pipipi", 0.1, 0.01), ("ke4", 0.9, 0.1), ("pigg", 0.01, 0.001),
           ("pi0enu", 4e-4, 4e-4), ("pi0munu", 3e-4, 1e-4))}
    bk.update({"upstream": {"total": 7.4}, "total": {"total": 12.0}})
    s = {"acceptance_pinunu": pub.acceptance_pinunu, "acceptance_pipi": pub.acceptance_pipi, "ses": pub.ses,
         "mmiss2_resolution_pipi_gev2": pub.mmiss2_resolution_gev2, "backgrounds": bk}
    rows = {r["quantity"]: r for r in kaon_sim.comparison(s, card)}
    assert rows["background pipi0"]["effective_events"] == pytest.approx(4.0)          # (2 / 1)^2
    assert rows["background munu"]["effective_events"] == pytest.approx(289.0)
    console = Console(record=True, width=300)
    kaon_sim.print_table(list(rows.values()), console, 1000)
    text = console.export_text()
    assert "(n_eff 4, STAT-LIMITED)" in text and "(n_eff 289)" in text and "statistics-limited" in text
    assert "background pipi0" in text.split("statistics-limited")[1]
    assert "background munu" not in text.split("statistics-limited")[1]


def test_background_run_card_is_stratified_and_the_shipped_card_is_not():
    """BACKGROUND_RUN sets the shares and importance tables on the shipped card; the shipped card itself has no
    importance sampling (its runs are unchanged)."""
    from na62lab.config.kaon import shipped_kaon_card

    card = kaon_sim.card_for(1000, 1000, background_run=True)
    assert card.run.fractions == kaon_sim.BACKGROUND_RUN["fractions"]
    assert set(card.run.importance_veto) == {"ke4", "pipipi"} and card.run.importance_veto_pair_orientations > 0
    assert card.run.decays == 1000
    shipped = shipped_kaon_card().run
    assert not shipped.importance_veto and not shipped.importance_mmiss2_gev2


def test_ratio_text_keeps_small_ratios_and_marks_bounds():
    """sim/pub as printed: the K3pi row (3.2e-4 / 0.11) read '0.00' and the pi0 l nu row, against NA62's
    '< 0.001', read '75.03' as if the ratio were measured; now '0.0029' and '>= 75.03'."""
    from na62lab.results.ratio_pull import ratio_text         # one home: the terminal and the HTML report

    assert ratio_text(0.0029) == "0.0029" and ratio_text(0.0238) == "0.024"
    assert ratio_text(1.104) == "1.10" and ratio_text(None) == "-"
    assert ratio_text(75.03, True) == ">= 75.03"


def test_pull_combines_the_published_error_and_skips_upper_limits():
    """pull = (sim - pub) / sqrt(stat^2 + sigma_pub^2), sigma_pub the published error facing sim (JHEP 02 (2025)
    191: Ke4 0.89 +0.33 -0.27, K3pi 0.11 +- 0.03); it divided by our MC error alone (K3pi -345, Ke4 -159 in a
    reproduce run).  Against NA62's pi0 l nu upper limit (< 0.001) no pull: 'above limit'."""
    card = kaon_sim.card_for(1000, 1000)
    pub = card.normalisation.published
    bk = {m: {"total": v, "stat_err": e} for m, v, e in
          (("pipi0", 0.83, 0.01), ("munu", 1.7, 0.1), ("pipipi", 3.2e-4, 1e-4), ("ke4", 0.0056, 5.5e-5),
           ("pigg", 0.01, 0.001), ("pi0enu", 0.05, 0.01), ("pi0munu", 0.025, 0.01))}
    bk.update({"upstream": {"total": 7.4}, "total": {"total": 10.0}})
    s = {"acceptance_pinunu": pub.acceptance_pinunu, "acceptance_pipi": pub.acceptance_pipi, "ses": pub.ses,
         "mmiss2_resolution_pipi_gev2": pub.mmiss2_resolution_gev2, "backgrounds": bk}
    rows = {r["quantity"]: r for r in kaon_sim.comparison(s, card)}
    ke4, k3pi = rows["background ke4"], rows["background pipipi"]
    assert (ke4["published_err_up"], ke4["published_err_down"]) == (0.33, 0.27)
    assert ke4["pull"] == pytest.approx((0.0056 - 0.89) / np.hypot(5.5e-5, 0.27))          # below: the -0.27
    assert k3pi["pull"] == pytest.approx((3.2e-4 - 0.11) / np.hypot(1e-4, 0.03))           # -3.7, not -1097
    assert rows["background pipi0"]["pull"] == pytest.approx(0.0)
    pi0lnu = rows["background pi0enu + pi0munu"]
    assert pi0lnu["published_is_upper_limit"] and pi0lnu["pull"] is None
    assert rows["SES"]["pull"] is None                                   # no MC error of ours: no pull
    assert rows["background total"]["pull"] is None
    console = Console(record=True, width=300)
    kaon_sim.print_table(list(rows.values()), console, 1000)
    text = console.export_text()
    assert "above limit" in text and "-3.7" in text and "0.89 +0.33 -0.27" in text and "sqrt(" in text
