"""Cut-flow of A_pinunu / A_pipi and the common-cut factors of the kaon card (``common_cuts``)."""

import numpy as np
import pytest

from na62lab.config.base import parse_card
from na62lab.config.kaon import SM_MODES, KaonCard, pion_interaction_survival, shipped_kaon_card
from na62lab.yields.kaon_sim import simulate_chunk
from na62lab.yields.kaon_tally import FLOW_STAGES, cut_flow_table, summary, tally_columns

N = 60_000


def _card(**common) -> KaonCard:
    data = shipped_kaon_card().model_dump()
    data["common_cuts"].update(common)
    data["run"]["fractions"] = {"pinunu": 0.3, "pipi0": 0.3, "munu": 0.4}
    return parse_card(data, KaonCard)


def _summary(card: KaonCard, seed: int = 3) -> dict:
    res = simulate_chunk(card, N, np.random.default_rng(seed))
    return summary(tally_columns(res.columns, res.n_generated, card), card)


@pytest.fixture(scope="module")
def shipped():
    card = _card()
    return card, _summary(card)


def test_cut_flow_ends_at_the_acceptances(shipped):
    _, s = shipped
    flow = s["cutflow"]
    assert [r["stage"] for r in flow["pinunu"]] == list(FLOW_STAGES)
    for mode in ("pinunu", "pipi0"):
        values = [r["fraction"] for r in flow[mode]]
        assert all(b <= a + 1e-12 for a, b in zip(values, values[1:])), mode     # cumulative: never grows
        assert 0 < values[-2] < values[0] <= 1
    assert flow["pinunu"][-1]["fraction"] == pytest.approx(s["acceptance_pinunu"], rel=1e-12)
    assert flow["pipi0"][-2]["fraction"] == pytest.approx(s["acceptance_pipi"], rel=1e-12)


def test_common_cut_efficiency_scales_both_acceptances_and_cancels(shipped):
    """Halving the KTAG efficiency halves A_pinunu and A_pipi (same random stream), doubles N_K and leaves the
    SES and every background unchanged: the common cuts cancel as in NA62's normalisation (JHEP 02 (2025) 191,
    Eqs. 1-2)."""
    card, s = shipped
    half = _summary(_card(ktag_efficiency=0.5 * card.common_cuts.ktag_efficiency))
    assert half["acceptance_pinunu"] == pytest.approx(0.5 * s["acceptance_pinunu"], rel=1e-6)
    assert half["acceptance_pipi"] == pytest.approx(0.5 * s["acceptance_pipi"], rel=1e-6)
    assert half["n_k"] == pytest.approx(2.0 * s["n_k"], rel=1e-6)
    assert half["ses"] == pytest.approx(s["ses"], rel=1e-6)
    assert half["backgrounds"]["munu"]["total"] == pytest.approx(s["backgrounds"]["munu"]["total"], rel=1e-6)
    assert half["inputs"]["common_cuts"]["ktag_efficiency"] == 0.5 * card.common_cuts.ktag_efficiency


def test_pion_interactions_act_on_pions_only(shipped):
    """Without material the pi+ acceptances rise by 1/survival, while the weights of K+ -> mu+ nu tracks (muons)
    do not change (same random stream)."""
    card, s = shipped
    bare_card = _card(pion_material={})
    bare = _summary(bare_card)
    surv = pion_interaction_survival(card.common_cuts)
    assert 0.9 < surv < 0.97                 # ~6 % of 15-45 GeV/c pi+ interact in STRAW, RICH neon and mirrors
    assert bare["acceptance_pinunu"] == pytest.approx(s["acceptance_pinunu"] / surv, rel=1e-6)
    assert bare["acceptance_pipi"] == pytest.approx(s["acceptance_pipi"] / surv, rel=1e-6)
    cols = [simulate_chunk(c, 20_000, np.random.default_rng(8)).columns for c in (card, bare_card)]
    mu = [c["w_decay"][c["mode"] == SM_MODES.index("munu")] for c in cols]
    assert np.isfinite(mu[0]).sum() > 1000 and mu[0].tobytes() == mu[1].tobytes()


def test_cut_flow_table_of_an_empty_tally_is_zero(shipped):
    card, _ = shipped
    res = simulate_chunk(card, 2000, np.random.default_rng(1))
    t = tally_columns(res.columns, res.n_generated, card)
    zero = t + t
    zero.flow[:] = 0.0
    assert all(r["fraction"] == 0.0 for rows in cut_flow_table(zero).values() for r in rows)
