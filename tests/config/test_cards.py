"""Cards: shipped cards validate, bad cards give one-line errors."""

import pytest

from na62lab.config.base import card_names, load_card
from na62lab.config.geometry import Geometry
from na62lab.config.pinunu import PinunuCard
from na62lab.errors import InputError


def test_shipped_pinunu_card_loads():
    assert "na62_pinunu_published" in card_names()
    card = load_card("na62_pinunu_published", PinunuCard)
    assert card.dataset("2021-22").observed == 31


def test_bad_value_names_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("datasets:\n  - name: x\n    observed: -3\n    background: 1\n    ses: 1e-10\n"
                    "    published: {reference: me}\n")
    with pytest.raises(InputError) as err:
        load_card(path, PinunuCard)
    assert "datasets.0.observed" in str(err.value) and "\n" not in str(err.value)


def test_unknown_key_and_unknown_card(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("lkr_mm: 3\n")
    with pytest.raises(InputError, match="lkr_mm"):
        load_card(path, Geometry)
    with pytest.raises(InputError, match="card"):
        load_card("no_such_card", Geometry)


def test_combination_of_unknown_dataset(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("datasets:\n  - name: x\n    combine: [y]\n    published: {reference: me}\n")
    with pytest.raises(InputError, match="unknown datasets"):
        load_card(path, PinunuCard)
