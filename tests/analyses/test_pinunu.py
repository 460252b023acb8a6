"""The reproduction of the published K+ -> pi+ nu nubar results (analyses.pinunu)."""

import json

import pytest
from rich.console import Console

from na62lab.analyses import pinunu


@pytest.fixture(scope="module")
def summary():
    return {r["name"]: r for r in pinunu.run(scan_points=0)["datasets"]}


def test_every_dataset_is_analysed(summary):
    assert {"2016", "2017", "2016+2017", "2016-18", "2021-22", "2016-22 (single bin)",
            "2016-22 (2 categories)"} <= set(summary)


def test_2016_18_matches_published(summary):
    # JHEP 06 (2021) 093: BR = (10.6 +4.0 -3.4) e-11, 3.4 sigma
    r = summary["2016-18"]
    assert r["br"] == pytest.approx(10.6e-11, rel=0.06)
    assert r["significance_bkg_only"] == pytest.approx(3.4, abs=0.4)


def test_2016_2017_limit_matches_published(summary):
    # JHEP 11 (2020) 042: BR < 1.78e-10 at 90 % CL, BR = 0.48 (+0.72 -0.48) e-10
    r = summary["2016+2017"]
    assert r["upper_limit_br"] == pytest.approx(1.78e-10, rel=0.03)
    assert r["br"] == pytest.approx(0.48e-10, rel=0.1)


def test_2016_22_combination(summary):
    # JHEP 02 (2025) 191: (13.0 +3.3 -3.0) e-11, > 5 sigma, SM at 1.7 sigma
    r = summary["2016-22 (2 categories)"]
    assert r["br"] == pytest.approx(13.0e-11, rel=0.06)
    assert r["significance_bkg_only"] > 5
    assert r["tension_sigma"] == pytest.approx(1.7, abs=0.2)


def test_reproduce_writes_files(tmp_path):
    console = Console(file=open(tmp_path / "log.txt", "w"), width=200)
    pinunu.reproduce(tmp_path, console)
    data = json.loads((tmp_path / "pinunu" / "pinunu_results.json").read_text())
    assert data["simplifications"]
    assert (tmp_path / "pinunu" / "pinunu_likelihood_scan.png").stat().st_size > 10_000
    ws = json.loads((tmp_path / "pinunu" / "pinunu_2016_22_pyhf_workspace.json").read_text())
    assert len(ws["channels"]) == 2
    assert not list((tmp_path / "pinunu").glob("*.part"))


def test_typed_summary_writes_the_same_json_record():
    """The report consumes the typed PinunuSummary; its to_dict() is the JSON record run() returns (issue 15)."""
    from na62lab.stats.measurement import MeasurementResult

    typed = pinunu.analyse(scan_points=0)
    assert typed.to_dict() == pinunu.run(scan_points=0)
    r = typed.datasets[0]
    assert isinstance(r.measurement, MeasurementResult) and r.published.reference
    assert r.observed == sum(c["observed"] for c in r.inputs["categories"]) and not r.with_scan
