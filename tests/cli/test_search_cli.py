"""``na62lab search``: JSON contract, files, one-line errors with exit code 2."""

import json

import numpy as np
import pytest

from na62lab.cli.main import main


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_json_contract(capsys):
    out = _json(capsys, ["search", "pi-a-gammagamma", "--json", "--mass", "0.25", "--mass", "0.3"])
    assert out["masses_gev"] == [0.25, 0.3]
    assert len(out["observed_limit"]) == 2 and len(out["expected_band_2sigma"]) == 2
    assert all(len(pair) == 2 for pair in out["expected_band_1sigma"])
    assert {"max_local_significance", "global_significance", "expected_limit"} <= set(out)


def test_pi0_invisible_json(capsys):
    out = _json(capsys, ["search", "pi0-invisible", "--json"])
    assert out["observed_limit"][0] == pytest.approx(3.6e-9, rel=0.05)
    assert "k_pi_x" in out


def test_lifetime_option(capsys):
    a = _json(capsys, ["search", "pi-x", "--json", "--mass", "0.2"])
    b = _json(capsys, ["search", "pi-x", "--json", "--mass", "0.2", "--lifetime-ns", "0.5"])
    assert b["observed_limit"][0] > a["observed_limit"][0]
    # the published points are for a stable X: a 0.5 ns limit is not compared with them (t93 review: pi-x-mumu
    # --lifetime-ns 0.1 printed 'ours observed / published 2.64' against the prompt value)
    assert a["comparison"] and b["comparison"] == []


@pytest.mark.parametrize("argv", [
    ["search", "nope"],
    ["search", "pi-x", "--mass", "0.5"],             # above m_K - m_pi
    ["search", "pi-x", "--mass", "0.13"],            # between R1 and R2
    ["search", "hnl-pi-e", "--mass", "0.2"],         # above m_pi - m_e
    ["search", "pi-x", "--lifetime-ns", "-1"],
    ["search", "pi-x", "--displaced"],
    ["search", "pi-x", "--card", "missing.yaml"],
    ["search", "pi-x", "--overlay", "missing.csv"],
    ["search", "pi-x", "--exposure", "0"],
])
def test_bad_input_exits_2(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("na62lab: error: ") and err.count("\n") == 1


def test_out_folder(tmp_path, capsys):
    overlay = tmp_path / "published.csv"
    overlay.write_text("# m (GeV), U2\n0.2,6.5e-10\n0.3,5.5e-10\n")
    assert main(["search", "hnl-e", "--mass", "0.2", "--mass", "0.3", "--pbc", "--out", str(tmp_path / "o"),
                 "--overlay", str(overlay), "--json"]) == 0
    json.loads(capsys.readouterr().out)
    names = {p.name for p in (tmp_path / "o").rglob("*")}
    assert {"hnl-e.json", "hnl-e_limits.png", "hnl-e_u2.png", "submission.yaml", "hnl-e_limits.yaml"} <= names


def test_projection_option(capsys):
    out = _json(capsys, ["search", "pi0-invisible", "--json", "--exposure", "10"])
    assert out["exposure"] == 10 and out["comparison"] == []
    assert out["expected_limit"][0] < 3.2e-9   # better than the 2017 expected median (3.1e-9), systematics-limited


def test_a_user_card_is_the_one_in_the_provenance(tmp_path, capsys):
    """``search pi-a-gammagamma --card my.yaml --out`` recorded the shipped card's SHA-256 in the JSON provenance,
    not the card the limits came from."""
    import hashlib
    from importlib import resources

    text = (resources.files("na62lab.config") / "cards" / "na62_search_pi_a_gammagamma.yaml").read_text()
    card = tmp_path / "my_card.yaml"
    card.write_text(text + "\n# a user's copy\n")
    assert main(["search", "pi-a-gammagamma", "--card", str(card), "--mass", "0.25", "--out",
                 str(tmp_path / "o"), "--json"]) == 0
    capsys.readouterr()
    record = json.loads((tmp_path / "o" / "pi-a-gammagamma.json").read_text())["provenance"]["cards"]
    assert list(record) == ["my_card.yaml"]
    assert record["my_card.yaml"]["sha256"] == hashlib.sha256(card.read_bytes()).hexdigest()
    hep = json.loads((tmp_path / "o" / "hepdata" / "provenance.json").read_text())
    assert hep["cards"] == record                 # the HEPData submission's provenance had no cards


def test_the_comparison_ratio_column_says_which_limit():
    """The column read 'ratio': it is ours observed (pseudo-data) / published, not expected / published."""
    from na62lab.analyses.kaon_searches import run_search
    from na62lab.results.search_report import RATIO_COLUMN, comparison_table

    _, summary = run_search("pi-a-gammagamma", masses_gev=[0.25])
    table = comparison_table(summary)
    headers = [str(c.header) for c in table.columns]
    assert RATIO_COLUMN == "ours observed / published" and headers[5] == RATIO_COLUMN
    row = summary.comparison[0]
    assert table.columns[5]._cells[0] == f"{row.observed / row.published:.2f}"


def test_a_plane_from_expected_limits_says_so_in_its_legend(tmp_path, monkeypatch):
    """The PBC-plane figure of a search (e.g. hnl-mu_BC7.png) is read from the simulated expected limits
    (the printed line says so) but its legend said 'K+ -> mu+ N (90% CL)', as if observed."""
    import numpy as np

    from na62lab.analyses.kaon_searches import EXPECTED_SOURCE
    from na62lab.analyses.kaon_searches_common.summary import CouplingReading
    from na62lab.results import search_report

    seen = {}

    def keep(fig, path):
        seen["labels"] = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        return path

    monkeypatch.setattr(search_report, "save_png", keep)
    m = np.array([0.2, 0.3])
    reading = CouplingReading("BC7", "hnl-mu", "|U|^2", m, np.array([1e-8, 1e-8]), np.array([1e-4, 1e-4]),
                              source=EXPECTED_SOURCE, label="K+ -> mu+ N")
    search_report.pbc_figure([reading], tmp_path / "x.png")
    assert seen["labels"][0] == "K+ -> mu+ N (90% CL, expected median)"
    search_report.pbc_figure([CouplingReading("BC7", "hnl-mu", "|U|^2", m, m * 0 + 1e-8, m * 0 + 1e-4,
                                              source="recast of BR-limit table t.csv", label="t")], tmp_path / "y.png")
    assert seen["labels"][0] == "t (90% CL)"


def test_a_projection_table_has_no_observed_column():
    """``search pi-x --exposure 10`` printed an 'observed' limit column (Poisson pseudo-data of the projected
    background, as its figure says) under a projection."""
    from na62lab.analyses.kaon_searches import run_search
    from na62lab.results.search_report import summary_table

    _, projected = run_search("pi-x", masses_gev=[0.2], exposure=10.0)
    table = summary_table(projected)
    assert [str(c.header) for c in table.columns][1] == "projection: pseudo-data"
    assert table.caption.endswith("(of the pseudo-data)")
    _, data = run_search("pi-x", masses_gev=[0.2])
    # the published 20 events drawn as pseudo-data (their m_miss^2 are not public): said in the header (t93)
    assert [str(c.header) for c in summary_table(data).columns][1] == "observed (pseudo-data)"



def test_search_json_is_in_gev():
    """The search record's resolution and published point masses are in GeV (GeV^2 for m_miss^2), as every
    other mass in it; they were the card's internal MeV / MeV^2 (resolution) and ``mass_mev`` (points)."""
    from na62lab.analyses.kaon_searches import run_search

    for name, mass, unit, scale in (("pi-x", 0.1, "GeV^2", 1e6), ("pi-x-mumu", 0.25, "GeV", 1e3)):
        result, summary = run_search(name, masses_gev=[mass])
        rec = summary.to_dict()
        assert rec["resolution_unit"] == unit
        assert np.allclose(rec["resolution"], np.asarray(result.sigma) / scale)
        points = rec["published"]["points"]
        assert points and all("mass_mev" not in p and 0 <= p["mass_gev"] < 0.5 for p in points)
