"""``na62lab sensitivity``: JSON output, files, and one-line errors."""

import json
from importlib import resources

import pytest
import yaml

from na62lab.analyses.beam_dump_result import DumpSensitivity
from na62lab.cli.main import main
from na62lab.results.io import to_json


@pytest.fixture
def small_card(tmp_path, monkeypatch):
    monkeypatch.setenv("NA62LAB_CACHE", str(tmp_path / "cache"))
    data = yaml.safe_load((resources.files("na62lab.config") / "cards" / "na62_dump_2021.yaml").read_text())
    data["mc"] = {"n_fip": 300, "n_mass_nodes": 4, "n_z_bins": 3, "n_ctau_nodes": 40}
    path = tmp_path / "dump.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_json_object(small_card, capsys, tmp_path, monkeypatch):
    from na62lab.results import figures

    titles, save = [], figures.save_png
    monkeypatch.setattr(figures, "save_png",
                        lambda fig, path: titles.append(fig.axes[0].get_title()) or save(fig, path))
    overlay = tmp_path / "overlay.txt"
    overlay.write_text("# mass_GeV eps\n0.05 4e-5\n0.3 3e-6\n0.6 1e-6\n")
    code = main(["sensitivity", "--model", "dark-photon", "--card", str(small_card), "--channels", "ee,mumu",
                 "--grid", "6x20", "--mass-range", "0.05,0.6", "--json", "--out", str(tmp_path / "out"),
                 "--overlay", str(overlay)])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    n_m = len(out["masses_gev"])                  # 6 log-spaced plus the refinement nodes inside the range
    assert n_m > 6 and len(out["couplings"]) == 20
    assert len(out["expected_events"]) == n_m and len(out["expected_events"][0]) == 20
    assert out["excluded_ranges"] and set(out["excluded_ranges"][0]) == {"mass_gev", "coupling_min", "coupling_max",
                                                                         "open_lower", "open_upper"}
    assert set(out["expected_bands"]) == {"median", "minus1", "plus1", "minus2", "plus2"}
    assert out["combined_inputs"]["observed"] == 1                  # the 2021 e+e- event
    # its mass in GeV as every JSON mass (the record echoed the card's observed_masses_mev: [412.0]; t93 review)
    assert out["channel_inputs"]["ee"]["observed_masses_gev"] == [0.412] and "mev" not in json.dumps(out).lower()
    assert (tmp_path / "out" / "BC1_sensitivity.png").is_file()
    # the figure names the experiment (its title said 'BC1 dark-photon, N_POT = ...' for any card; t93 review)
    assert titles == ["NA62 2021: BC1 dark-photon, N_POT = 1.4e+17 (observed and expected)"]
    assert (tmp_path / "out" / "hepdata" / "submission.yaml").is_file()
    # the written record (stamped with provenance) reads back into the typed result: same record plus provenance
    written = json.loads((tmp_path / "out" / "BC1_sensitivity.json").read_text())
    back = DumpSensitivity.from_dict(written)
    assert back.combined_inputs.observed == 1 and back.limits.median == pytest.approx(out["limits"]["median"])
    assert json.loads(to_json(back.to_dict())) == written and list(written) == [*out, "provenance"]
    # the provenance hashes the card given to --card (it looked up the card's inner name 'na62-dump-2021',
    # found no such shipped card and recorded sha256 null)
    import hashlib

    record = written["provenance"]["cards"]
    assert list(record) == [str(small_card)]
    assert record[str(small_card)]["sha256"] == hashlib.sha256(small_card.read_bytes()).hexdigest()
    # and the HEPData submission's provenance.json is the same block (its cards were {})
    hep = json.loads((tmp_path / "out" / "hepdata" / "provenance.json").read_text())
    assert hep == written["provenance"]


def test_pot_projection_and_observed_override(small_card, capsys):
    args = ["sensitivity", "--model", "dark-photon", "--card", str(small_card), "--channels", "ee",
            "--grid", "4x12", "--mass-range", "0.05,0.3", "--json"]
    assert main(args + ["--pot", "1e18", "--observed", "ee=0"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_pot"] == 1e18 and out["combined_inputs"]["observed"] == 0
    assert out["combined_inputs"]["background"] == pytest.approx(0.0094 * 1e18 / 1.4e17)
    # a projection's summary line: no 'observed 0' under the 'no data at this exposure' line
    assert main(args[:-1] + ["--pot", "1e18"]) == 0
    text = capsys.readouterr().out
    assert "projection: no data at this exposure" in text and "no observed events (projection)" in text
    assert "observed 0" not in text and "90% CL expected (median) limit 2.30 events" in text, text


@pytest.mark.parametrize("args,field", [
    (["--model", "axion-of-doom"], "--model"),
    (["--model", "dark-photon", "--grid", "ten"], "--grid"),
    (["--model", "dark-photon", "--observed", "ee=one"], "--observed"),
    (["--model", "dark-photon", "--channels", "tautau"], "channels"),
    (["--model", "dark-photon", "--overlay", "/nonexistent/file.txt"], "overlay"),
    (["--model", "dark-photon", "--pot", "-3"], "pot"),
    (["--model", "dark-photon", "--keep-observed"], "--keep-observed"),     # was a silent no-op without --pot
    (["--model", "dark-photon", "--observed", ""], "--observed"),           # was silently ignored
])
def test_bad_input_is_one_line_exit_2(args, field, small_card, capsys):
    assert main(["sensitivity", "--card", str(small_card), *args]) == 2
    err = capsys.readouterr().err.strip()
    err = "\n".join(line for line in err.splitlines() if ": note: " not in line)   # defaults notes of user cards
    assert err.count("\n") == 0 and field in err and "Traceback" not in err


def test_text_output_names_both_open_mass_edges(small_card, capsys):
    """A region that reaches both ends of the mass grid says so for both (it named only the lowest)."""
    args = ["sensitivity", "--model", "dark-photon", "--card", str(small_card), "--channels", "ee",
            "--grid", "4x12", "--mass-range", "0.05,0.3"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "open edge: the region reaches the lowest and the highest mass of the grid" in out, out
    assert "excluded masses 0.05-0.3 GeV; epsilon from " in out, out


def test_printed_rows_include_the_last_excluded_mass():
    """The table printed every (len // 12)-th row: 15 rows for 184 ranges, titled 'about 12', without the
    last one (where the region ends, e.g. hnl-e's 1.91 GeV on na62_dump_2021)."""
    from na62lab.cli.sensitivity_cmds import sample_rows

    rows = list(range(184))
    shown = sample_rows(rows)
    assert len(shown) == 12 and shown[0] == 0 and shown[-1] == 183
    assert sample_rows(rows[:5]) == rows[:5] and sample_rows([]) == []
    thirteen = sample_rows(list(range(13)))
    assert len(thirteen) == 12 and thirteen == sorted(set(thirteen)) and thirteen[-1] == 12


def test_comparison_prints_each_experiments_own_notes_and_open_mass_edges():
    """With --card ship --card shadows the comparison printed SHiP's notes only (its tungsten Drell-Yan target
    as if SHADOWS's, SHADOWS's unmeasured table nodes not at all) and no open mass edge (SHiP's dark-photon
    region reached both ends of the grid, printed as '0.01-2')."""
    from types import SimpleNamespace

    from na62lab.cli.sensitivity_cmds import _open_mass_edge, _split_notes

    ship = SimpleNamespace(notes=["one count", "Drell-Yan on Z = 74"],
                           open_edges=SimpleNamespace(low_mass=True, high_mass=True))
    shadows = SimpleNamespace(notes=["one count", "Drell-Yan on Z = 29", "acceptance not measured at 58 nodes"],
                              open_edges=SimpleNamespace(low_mass=False, high_mass=False))
    common, own = _split_notes([ship, shadows])
    assert common == ["one count"]
    assert own == [["Drell-Yan on Z = 74"], ["Drell-Yan on Z = 29", "acceptance not measured at 58 nodes"]]
    assert _open_mass_edge(ship) == "the region reaches the lowest and the highest mass of the grid"
    assert _open_mass_edge(shadows) == ""


def test_printed_closing_row_is_marked():
    """A closing row ('tip', coupling min = max: where the expected events cross the limit) printed as a plain
    row, a one-coupling 'exclusion' to the reader; it is marked '(closes)', open edges keep '<' / '>'."""
    from na62lab.cli.sensitivity_cmds import _range_cells

    tip = {"mass_gev": 1.2606, "coupling_min": 2.9e-7, "coupling_max": 2.9e-7, "open_lower": False,
           "open_upper": False, "tip": True, "tip_side": "high_mass"}
    assert _range_cells(tip) == ("1.261 (closes)", "2.900e-07", "2.900e-07")
    row = {"mass_gev": 0.05, "coupling_min": 3.5e-3, "coupling_max": 0.1, "open_lower": False, "open_upper": True}
    assert _range_cells(row) == ("0.05", "3.500e-03", ">1.000e-01")


def test_help_says_how_numbers_are_labelled(capsys):
    """The README sends the reader to `sensitivity -h` for 'every number cited or labelled assumed, never
    tuned', which the help did not say (t93 review)."""
    assert main(["sensitivity", "-h"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "'assumed'" in text and "nothing is tuned to a published curve" in text


def test_an_absurd_exposure_is_one_line(capsys):
    """`sensitivity --pot 1e300` (OverflowError of the squared background errors) and `search --exposure 1e300`
    ('lam value too large') ended as internal errors, exit 70 (t93 review)."""
    assert main(["sensitivity", "--model", "dark-photon", "--grid", "4x4", "--pot", "1e300"]) == 2
    assert "invalid pot=1e+300: allowed at most 1e+25 protons" in capsys.readouterr().err
    assert main(["search", "pi-x", "--mass", "0.1", "--exposure", "1e300"]) == 2
    assert "invalid exposure=1e+300: allowed a projection factor up to 1e+06" in capsys.readouterr().err
