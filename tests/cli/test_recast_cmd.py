"""``na62lab recast``: one JSON object, the table's source named, one-line errors with exit code 2."""

import json

import numpy as np

from na62lab.cli.main import main


def _csv(tmp_path):
    p = tmp_path / "limits.csv"
    p.write_text("mass_MeV,tau=0.1ns,tau=1ns,stable\n150,1e-9,5e-10,1e-11\n200,1e-9,5e-10,1e-11\n")
    return p


def test_recast_json(tmp_path, capsys):
    assert main(["recast", "--limits", str(_csv(tmp_path)), "--model", "dark-scalar", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["source"].startswith("recast of BR-limit table") and out["search"] == "pi-x"
    assert out["benchmark"] == "BC4" and np.all(np.isfinite(out["excluded_lower"]))


def test_recast_names_the_coupling_under_coupling_name(tmp_path, capsys):
    """The coupling's name went under the key ``coupling`` (README Conventions: ``coupling`` is its value,
    ``coupling_name`` its name, as in ``fip info`` and the beam-dump records) (task t81)."""
    from na62lab.analyses.kaon_searches_common.summary import CouplingReading

    assert main(["recast", "--limits", str(_csv(tmp_path)), "--model", "dark-scalar", "--out", str(tmp_path / "o"),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    saved = json.loads((tmp_path / "o" / "recast.json").read_text())
    for record in (out, saved):
        assert record["coupling_name"] == "theta" and "coupling" not in record
    reading = CouplingReading.from_dict(out)
    assert reading.coupling_name == "theta" and reading.to_dict()["coupling_name"] == "theta"
    old = {k: v for k, v in out.items() if k != "coupling_name"} | {"coupling": "theta"}   # a pre-t81 record
    assert CouplingReading.from_dict(old).coupling_name == "theta"


def test_recast_bad_inputs(tmp_path, capsys):
    assert main(["recast", "--limits", str(tmp_path / "missing.csv"), "--model", "dark-scalar"]) == 2
    assert "--limits" in capsys.readouterr().err
    assert main(["recast", "--limits", str(_csv(tmp_path)), "--model", "dark-scalar", "--search", "nope"]) == 2
    err = capsys.readouterr().err
    assert "--search" in err and err.count("\n") == 1


def test_hnl_recast_stops_at_the_first_order_u2_and_keeps_the_numbers_below(tmp_path, capsys):
    """The K+ -> mu+ N reading ran to |U|^2 = 1 (grid of the card), where the first-order BR(K+ -> mu+ N) =
    BR(K+ -> mu+ nu) rho |U|^2 reaches 2.6 (> 1 above 0.38); the upper edge read 1.0 (task t81).  Now the grid
    stops at fips.hnl.U2_FIRST_ORDER_MAX = 0.01 (upper edge '>0.01', a note says why); the lower edges, at
    |U|^2 ~ 5e-9, are the same numbers bit for bit, and every BR on the grid is <= 1."""
    from na62lab.analyses import recast as rc
    from na62lab.analyses.kaon_searches_common.interpretation import production_br
    from na62lab.fips.hnl import HNL

    p = tmp_path / "kmu.csv"
    p.write_text("mass_MeV,BR_stable\n150,1e-8\n200,1e-8\n250,1e-8\n300,1e-8\n350,1e-8\n")
    assert main(["recast", "--limits", str(p), "--model", "hnl-mu", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["coupling_grid"] == [1e-12, 0.01] and out["excluded_upper"] == [0.01] * 5
    assert any(n.startswith("|U|^2 grid capped at 0.01: BR(P+ -> l+ N)") for n in out["notes"])
    card = rc._search_card("hnl-mu")
    table = rc.read_limits(p)
    uncapped = HNL(ratios=(0, 1, 0), name="hnl-mu")
    uncapped.max_coupling = None                                   # the grid before t81: 1e-12 to 1
    old = rc.recast_table(table, card.interpretations[0], card.lifetime, rc.momenta(card, table.masses_mev),
                          model=uncapped)
    assert old.limit.upper.tolist() == [1.0] * 5 and out["excluded_lower"] == old.limit.lower.tolist()
    g = np.append(np.logspace(-12, 0, 300)[np.logspace(-12, 0, 300) < 0.01], 0.01)
    assert production_br(HNL(ratios=(0, 1, 0)), card.interpretations[0], np.linspace(1, 388, 200), g).max() < 1
    assert main(["recast", "--limits", str(p), "--model", "hnl-mu", "--coupling-range", "0.1,1"]) == 2
    assert "invalid --coupling-range='0.1,1': allowed LOW below 0.01" in capsys.readouterr().err


def test_recast_table_name_with_a_csv_is_refused(tmp_path, capsys):
    """--table names a table inside a HEPData submission; with a CSV it was silently ignored (task t68)."""
    assert main(["recast", "--limits", str(_csv(tmp_path)), "--model", "dark-scalar", "--table", "T1"]) == 2
    err = capsys.readouterr().err
    assert "--table='T1'" in err and err.count("\n") == 1


def test_recast_table_marks_open_edges_and_prints_the_last_mass(tmp_path, capsys):
    """The printed table showed theta 'to 1' at 0.1 GeV (the coupling grid's end, not a limit) without a mark,
    and printed every (n // 25)-th mass, leaving out the last one of a 30-mass table."""
    masses = np.linspace(100.0, 250.0, 30)
    p = tmp_path / "limits.csv"
    p.write_text("mass_MeV,BR\n" + "".join(f"{m:.6g},2e-11\n" for m in masses))
    assert main(["recast", "--limits", str(p), "--model", "dark-scalar"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert len(rows) == 25 and rows[0].split("│")[1].strip() == "0.1" and rows[-1].split("│")[1].strip() == "0.25"
    assert "│ >1 " in out and "the interval reaches the coupling grid's edge (1e-06, 1)" in out
    assert main(["recast", "--limits", str(p), "--model", "dark-scalar", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["coupling_grid"] == [1e-6, 1.0]


def test_recast_json_file_carries_provenance(tmp_path, capsys):
    """recast.json had no provenance block (every other result file has one): now the search card and the
    SHA-256 of the limit table."""
    import hashlib

    table = _csv(tmp_path)
    assert main(["recast", "--limits", str(table), "--model", "dark-scalar", "--out", str(tmp_path / "o"),
                 "--json"]) == 0
    capsys.readouterr()
    prov = json.loads((tmp_path / "o" / "recast.json").read_text())["provenance"]
    assert list(prov["cards"]) == ["na62_search_pi_x"] and prov["cards"]["na62_search_pi_x"]["sha256"]
    assert prov["limits_file"] == {"path": str(table), "sha256": hashlib.sha256(table.read_bytes()).hexdigest()}
