"""`na62lab simulate kaon`: JSON contract, files, bad input."""

import json
import re

from na62lab.cli.main import main

DATA_KEYED = ("backgrounds", "decays_generated", "cutflow")
"""Maps keyed by decay mode (their keys are mode names, their values records)."""


def _keys(obj, data_keyed=False):
    """(key, sibling keys) of every convention key of a JSON record."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if not data_keyed:
                yield k, set(obj)
            yield from _keys(v, k in DATA_KEYED)
    elif isinstance(obj, list):
        for v in obj:
            yield from _keys(v)


def assert_key_rules(record: dict) -> None:
    """README "Conventions": snake_case; a result's uncertainty `<quantity>_err` or `_err_up`/`_err_down` (never
    `_error`), next to its quantity (the per-mode `stat_err` is that of `total`); units as suffixes, GeV not MeV."""
    keys = list(_keys(record))
    names = {k for k, _ in keys}
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in names), sorted(k for k in names if not k.islower())
    assert not [k for k in names if "error" in k or k.startswith("err_") or re.search(r"_(lo|hi|mev)$", k)]
    assert not [k for k in names if "mmiss2" in k and not k.endswith("_gev2")]
    for k, siblings in keys:
        m = re.fullmatch(r"(.+?)_err(?:_up|_down)?(_gev2)?", k)
        if m and k != "stat_err":
            assert m.group(1) + (m.group(2) or "") in siblings, (k, siblings)
    assert {"stat_err", "total"} <= {k for k, s in keys if "r1" in s}


def test_simulate_kaon_json(tmp_path, capsys):
    out = tmp_path / "sim"
    code = main(["simulate", "kaon", "--decays", "8000", "--chunk-size", "4000", "--seed", "3",
                 "--out", str(out), "--json", "--quiet"])
    assert code == 0
    stdout = capsys.readouterr().out.strip()
    assert stdout.count("\n") == 0                       # exactly one JSON object
    s = json.loads(stdout)
    for key in ("acceptance_pinunu", "acceptance_pipi", "ses", "mmiss2_resolution_pipi_gev2", "backgrounds"):
        assert key in s
    assert set(s["backgrounds"]["pipi0"]) >= {"r1", "r2", "total", "stat_err"}
    assert_key_rules(s)
    assert set(s["backgrounds"]["upstream"]) == {"total", "total_err_up", "total_err_down", "note"}
    assert s["acceptance_pinunu_err"] > 0 and "mmiss2_resolution_pipi_err_gev2" in s
    assert s["run"]["seed"] == 3 and s["decays"] == 8000
    assert sorted(p.name for p in out.glob("chunk_*.parquet")) == ["chunk_00000.parquet", "chunk_00001.parquet"]
    written = json.loads((out / "summary.json").read_text())
    assert written["ses"] == s["ses"] and set(written) == set(s) | {"provenance"}
    # rerun with the same arguments: everything reused, same answer
    assert main(["simulate", "kaon", "--decays", "8000", "--chunk-size", "4000", "--seed", "3",
                 "--out", str(out), "--json", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["ses"] == s["ses"]


def test_simulate_kaon_table(capsys):
    assert main(["simulate", "kaon", "--decays", "4000", "--chunk-size", "4000", "--quiet"]) == 0
    assert "A_pinunu" in capsys.readouterr().out


def test_bad_inputs_exit_2(tmp_path, capsys):
    for args in (["--decays", "0"], ["--workers", "0"], ["--seed", "-1"], ["--card", "no_such_card"],
                 ["--chunk-size", "10"]):
        assert main(["simulate", "kaon", "--quiet", *args]) == 2
        err = capsys.readouterr().err
        assert err.startswith("na62lab: error:") and err.count("\n") == 1
    f = tmp_path / "file"
    f.write_text("x")
    assert main(["simulate", "kaon", "--quiet", "--decays", "4000", "--out", str(f)]) == 2


def test_background_run_switch(capsys):
    """`--background-run` applies analyses.kaon_sim.BACKGROUND_RUN (stratified shares, importance sampling)."""
    from na62lab.analyses.kaon_sim import BACKGROUND_RUN
    from na62lab.cli.simulate_cmds import _card

    cfg = _card("na62_kaon_2021_22", 20000, 4, 10000, background_run=True)
    assert cfg.run.decays == 20000 and cfg.run.seed == 4
    assert cfg.run.fractions == BACKGROUND_RUN["fractions"]
    assert _card("na62_kaon_2021_22", None, None, None, background_run=True).run.decays == BACKGROUND_RUN["decays"]
    assert _card("na62_kaon_2021_22", None, None, None).run.fractions != BACKGROUND_RUN["fractions"]
    assert main(["simulate", "kaon", "--background-run", "--decays", "20000", "--chunk-size", "10000",
                 "--json", "--quiet"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["run"]["background_run"] is True and s["decays"] == 20000


def test_background_run_help_states_its_default_size(capsys):
    """The help said '1e8 decays unless --decays' while BACKGROUND_RUN runs 4.5e7 (t93 review)."""
    from na62lab.analyses.kaon_sim import BACKGROUND_RUN

    assert main(["simulate", "kaon", "-h"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    stated = float(text.split("--background-run")[1].split("(")[1].split(" decays")[0])
    assert stated == BACKGROUND_RUN["decays"]
