"""`na62lab simulate kaon`: JSON contract, files, bad input."""

import json

from na62lab.cli.main import main


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
    assert set(s["backgrounds"]["pipi0"]) >= {"R1", "R2", "total"}
    assert s["run"]["seed"] == 3 and s["decays"] == 8000
    assert sorted(p.name for p in out.glob("chunk_*.parquet")) == ["chunk_00000.parquet", "chunk_00001.parquet"]
    assert json.loads((out / "summary.json").read_text())["ses"] == s["ses"]
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
