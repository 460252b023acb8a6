"""Regression tests of the cases measured in issue 18 that the other reliability modules do not cover.

Where each case of the issue is tested:

- Ctrl-C exit code (simulate kaon, reproduce), workers swallowing SIGINT, SIGKILL orphans, the numba
  SystemError with --workers 1: ``test_signals.py``.
- read-only --out, --out a file, --pyhf-workspace a folder, full disk (before and during writing, also
  during reproduce), rerun with another seed / fewer decays: ``test_outputs.py``.
- --scheduler: http.server, notanaddress, http://..., closed port (time, empty --out), sensitivity with a
  warm cache: ``test_scheduler.py``.
- bad inputs and card errors listed below: this module (one test id per case).
"""

from __future__ import annotations

import pytest
import yaml

from tests.reliability.conftest import refuse, run_cli

INPUT_CASES = {
    "limit --background 1e300": (["limit", "--observed", "3", "--background", "1e300"], "--background"),
    "measure --reference-error -1": (["measure", "--observed", "3", "--background", "1", "--ses", "1e-11",
                                      "--reference", "8e-11", "--reference-error", "-1"], "--reference-error"),
    "limit --background-down above the background": (["limit", "--observed", "3", "--background", "2",
                                                       "--background-down", "5"], "at most the background"),
    "measure --background-down above the background": (["measure", "--observed", "3", "--background", "2",
                                                         "--ses", "1e-11", "--background-down", "5"],
                                                        "at most the background"),
    "sensitivity --workers 0": (["sensitivity", "--model", "dark-photon", "--workers", "0"], "--workers"),
    "sensitivity --workers -3": (["sensitivity", "--model", "dark-photon", "--workers", "-3"], "--workers"),
    "limit --ses-error with --method fc": (["limit", "--observed", "3", "--background", "2", "--ses", "1e-11",
                                            "--ses-error", "1e-12", "--method", "fc"], "--method cls"),
    "limit --ses-error without --ses": (["limit", "--observed", "3", "--background", "2", "--ses-error", "1e-12"],
                                        "--ses"),
    "sensitivity --model dark-photon-invisible": (["sensitivity", "--model", "dark-photon-invisible"],
                                                  "visible decays"),
    "sensitivity --mass-range 10,20": (["sensitivity", "--model", "dark-photon", "--mass-range", "10,20"],
                                       "overlapping"),
    "sensitivity --mass-range empty": (["sensitivity", "--model", "dark-photon", "--mass-range", "0.5,0.5"],
                                       "LOW < HIGH"),
    "fip info hnl-e --coupling 2": (["fip", "info", "--model", "hnl-e", "--mass", "0.1", "--coupling", "2"],
                                    "|U|^2 <= 1"),
    "fip info dark-scalar --coupling 1.5": (["fip", "info", "--model", "dark-scalar", "--mass", "0.1",
                                             "--coupling", "1.5"], "theta <= 1"),
    "fip production dark-photon --coupling 3": (["fip", "production", "--model", "dark-photon", "--mass", "0.1",
                                                 "--coupling", "3"], "epsilon <= 1"),
    "sensitivity hnl-e --coupling-range above 1": (["sensitivity", "--model", "hnl-e", "--coupling-range", "1e-9,2"],
                                                   "|U|^2 <= 1"),
    "sensitivity --coupling-range reversed": (["sensitivity", "--model", "dark-photon", "--coupling-range",
                                               "1e-3,1e-5"], "LOW < HIGH"),
    "reproduce --only ''": (["reproduce", "--only", ""], "--only"),
    "reproduce --only ','": (["reproduce", "--only", ","], "--only"),
}


@pytest.mark.parametrize("case", sorted(INPUT_CASES))
def test_input_case(case, tmp_path):
    argv, expected = INPUT_CASES[case]
    out = tmp_path / "out"
    if argv[0] in ("sensitivity", "reproduce"):
        argv = [*argv, "--out", str(out)]
    line = refuse(argv, out)
    assert expected in line, line


def _write(tmp_path, data, name="card.yaml") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return str(path)


def test_search_with_a_card_of_another_search(tmp_path, shipped_card):
    """Issue 18: search pi-x --card <an hnl card> silently ran the HNL search."""
    line = refuse(["search", "pi-x", "--card", str(shipped_card("na62_search_hnl_e")), "--out", str(tmp_path / "o")],
                  tmp_path / "o")
    assert "search pi-x" in line and "hnl-e" in line


def test_card_of_the_wrong_kind_names_the_kind(tmp_path, shipped_card):
    """Issue 18: a card of the wrong kind blamed an arbitrary field."""
    line = refuse(["simulate", "kaon", "--card", str(shipped_card("na62_dump_2021")), "--decays", "1000"])
    assert "KaonCard" in line and "DumpCard" in line


def test_missing_section_takes_defaults_and_says_so(tmp_path, shipped_card):
    """Issue 18: a card missing a whole section (gtk:) silently used built-in defaults."""
    from na62lab.config.base import load_card
    from na62lab.config.kaon import KaonCard

    data = yaml.safe_load(shipped_card("na62_kaon_2021_22").read_text())
    data.pop("gtk")
    notes = []
    import na62lab.config.base as base

    old, base.note = base.note, notes.append
    try:
        load_card(_write(tmp_path, data), KaonCard)
    finally:
        base.note = old
    assert len(notes) == 1 and "gtk (whole section)" in notes[0]


def test_missing_n_pot_says_which_default(tmp_path, shipped_card, capsys):
    """Issue 18: a dump card without n_pot silently used the built-in value."""
    from na62lab.config.base import load_card
    from na62lab.config.dump import DumpCard

    data = yaml.safe_load(shipped_card("na62_dump_2021").read_text())
    data["run"].pop("n_pot")
    load_card(_write(tmp_path, data), DumpCard)
    notes = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("na62lab")]
    assert len(notes) == 1 and "run.n_pot" in notes[0], notes


def test_pydantic_text_is_not_pasted_after_allowed(tmp_path, shipped_card):
    """Issue 18: 'allowed Input should be greater than 0.03'."""
    data = yaml.safe_load(shipped_card("na62_kaon_2021_22").read_text())
    data["run"]["chunk_size"] = 5
    line = refuse(["simulate", "kaon", "--card", _write(tmp_path, data), "--decays", "1000"])
    assert "run.chunk_size=5" in line and "Input should" not in line and "allowed a value greater" in line


def test_missing_required_section_does_not_print_the_card(tmp_path, shipped_card):
    """Issue 18: a missing section printed the whole card (3.2 kB on one line)."""
    data = yaml.safe_load(shipped_card("na62_search_pi_x").read_text())
    data.pop("scan")
    line = refuse(["search", "pi-x", "--card", _write(tmp_path, data)])
    assert "scan=<missing>" in line and "required" in line and len(line) < 300


def test_malformed_yaml_names_the_line(tmp_path):
    """Issue 18: malformed YAML gave no line number."""
    card = _write(tmp_path, "name: x\nrun:\n  decays: 10\n   seed: 3\n")
    line = refuse(["simulate", "kaon", "--card", card])
    assert "line 4" in line


def test_binary_card(tmp_path):
    """Issue 18: a binary card file gave a UnicodeDecodeError traceback."""
    card = tmp_path / "card.yaml"
    card.write_bytes(bytes(range(256)) * 4)
    line = refuse(["sensitivity", "--model", "dark-photon", "--card", str(card)])
    assert "binary" in line


def test_ctrl_c_exit_code_is_not_dropped(monkeypatch):
    """Issue 18: cli/main.py dropped typer's 130; an interrupt in a command now exits 130 with one line."""
    import na62lab.cli.stats_cmds as stats

    def interrupted(*a, **k):
        raise KeyboardInterrupt
    monkeypatch.setattr("na62lab.stats.discovery.min_observed", interrupted)
    code, _, err = run_cli(["discovery", "--background", "1"])
    assert stats is not None and code == 130
    assert err.count("\n") == 1 and err.startswith("na62lab: interrupted by SIGINT: nothing was written")
