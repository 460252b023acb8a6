"""The shipped search cards load, and bad cards fail with one-line InputErrors."""

import pytest

from na62lab.config.base import card_names, load_card, parse_card
from na62lab.config.searches import PeakSearchCard, Pi0InvisibleCard
from na62lab.errors import InputError

PEAK = ["na62_search_pi_x", "na62_search_pi_a_gammagamma", "na62_search_pi_x_mumu",
        "na62_search_pi_x_mumu_displaced", "na62_search_hnl_e", "na62_search_hnl_mu", "na62_search_hnl_pi_e"]


@pytest.mark.parametrize("name", PEAK)
def test_peak_cards_load(name):
    card = load_card(name, PeakSearchCard)
    assert card.published.reference and card.assumptions


def test_pi0_card_loads():
    assert load_card("na62_search_pi0_invisible", Pi0InvisibleCard).observed == 12


def test_all_search_cards_shipped():
    assert set(PEAK) | {"na62_search_pi0_invisible"} <= set(card_names())


@pytest.mark.parametrize("change", [
    {"scan": {"ranges_mev": [[300.0, 200.0]], "step_mev": 1.0}},
    {"scan": {"ranges_mev": [[200.0, 300.0]], "step_mev": -1.0}},
    {"normalisation": {"n_parent": 1e10, "acceptance": 1.5}},
    {"backgrounds": [{"name": "x", "events": 1.0, "shape": "exponential", "range": [200.0, 300.0]}]},
    {"backgrounds": [{"name": "x", "events": 1.0, "shape": "gauss", "range": [200.0, 300.0]}]},
    {"signal_regions": [[300.0, 200.0]]},
    {"unknown_field": 1},
])
def test_bad_cards(change):
    data = load_card("na62_search_pi_a_gammagamma", PeakSearchCard).model_dump()
    data.update(change)
    with pytest.raises(InputError) as exc:
        parse_card(data, PeakSearchCard)
    assert "\n" not in str(exc.value)
