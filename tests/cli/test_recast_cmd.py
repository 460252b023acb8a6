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
    assert out["source"].startswith("recast of published table") and out["search"] == "pi-x"
    assert out["benchmark"] == "BC4" and np.all(np.isfinite(out["excluded_lower"]))


def test_recast_bad_inputs(tmp_path, capsys):
    assert main(["recast", "--limits", str(tmp_path / "missing.csv"), "--model", "dark-scalar"]) == 2
    assert "--limits" in capsys.readouterr().err
    assert main(["recast", "--limits", str(_csv(tmp_path)), "--model", "dark-scalar", "--search", "nope"]) == 2
    err = capsys.readouterr().err
    assert "--search" in err and err.count("\n") == 1


def test_recast_table_name_with_a_csv_is_refused(tmp_path, capsys):
    """--table names a table inside a HEPData submission; with a CSV it was silently ignored (task t68)."""
    assert main(["recast", "--limits", str(_csv(tmp_path)), "--model", "dark-scalar", "--table", "T1"]) == 2
    err = capsys.readouterr().err
    assert "--table='T1'" in err and err.count("\n") == 1
