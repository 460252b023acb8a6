"""Provenance blocks: card records and package versions, read once per process."""

from na62lab.results.provenance import card_record, provenance


def test_card_record_is_parsed_once_and_not_shared():
    first = card_record("na62_kaon_2021_22")
    assert first["seeds"] and all("seed" in k for k in first["seeds"])
    first["seeds"].clear()                                   # a caller's copy: the next record is whole
    again = card_record("na62_kaon_2021_22")
    assert again["seeds"] and again == card_record("na62_kaon_2021_22")


def test_provenance_records_versions_and_cards():
    a, b = provenance(cards=["na62_kaon_2021_22"]), provenance(cards=["na62_kaon_2021_22"])
    assert a["packages"] == b["packages"] and a["packages"]["numpy"]
    assert a["cards"] == b["cards"] and a["cards"]["na62_kaon_2021_22"]["sha256"]
