"""The statistics commands of the CLI: JSON contract and one-line errors."""

import json

import pytest

from na62lab.cli.main import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *args):
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, out
    return json.loads(lines[0])


def test_measure_combined_keys_and_values(capsys):
    d = run_json(capsys, "measure", "--observed", "51", "--background", "18", "--background-up", "3",
                 "--background-down", "2", "--ses", "4.217e-12", "--ses-error", "0.154e-12", "--reference", "8.6e-11")
    for key in ("br", "br_err_up", "br_err_down", "p_value_bkg_only", "significance_bkg_only", "tension_sigma"):
        assert key in d
    assert 1.2e-10 < d["br"] < 1.5e-10


def test_measure_two_categories_and_pyhf_export(capsys, tmp_path):
    ws = tmp_path / "ws.json"
    d = run_json(capsys, "measure", "--observed", "20", "--observed", "31", "--background", "7",
                 "--background", "11", "--ses", "8.39e-12", "--ses", "8.48e-12", "--pyhf-workspace", str(ws))
    assert "tension_sigma" not in d
    assert len(d["inputs"]["categories"]) == 2
    assert len(json.loads(ws.read_text())["channels"]) == 2


def test_limit_keys(capsys):
    d = run_json(capsys, "limit", "--observed", "0", "--background", "0.5", "--ses", "1e-10")
    assert d["upper_limit_events"] == pytest.approx(2.3026, abs=1e-3)
    assert d["upper_limit_br"] == pytest.approx(2.3026e-10, rel=1e-3)
    assert len(d["expected_band_1sigma"]) == 2 and len(d["expected_band_2sigma"]) == 2
    assert d["cl"] == 0.9 and d["method"] == "cls"


def test_limit_fc_and_clsb(capsys):
    fc = run_json(capsys, "limit", "--observed", "1", "--background", "0", "--method", "fc")
    assert fc["upper_limit_events"] == pytest.approx(4.36, abs=0.01)
    clsb = run_json(capsys, "limit", "--observed", "3", "--background", "0", "--method", "clsb", "--cl", "0.95")
    assert clsb["upper_limit_events"] == pytest.approx(7.75, abs=0.01)


def test_limit_fc_reports_the_interval(capsys):
    """Feldman & Cousins, PRD 57 (1998) 3873, Table IV (90% CL, b = 0): n = 5 -> [1.84, 9.99]."""
    fc = run_json(capsys, "limit", "--observed", "5", "--background", "0", "--method", "fc", "--ses", "1e-10")
    assert fc["lower_limit_events"] == pytest.approx(1.84, abs=0.02)
    assert fc["upper_limit_events"] == pytest.approx(9.99, abs=0.02)
    assert fc["lower_limit_br"] == pytest.approx(fc["lower_limit_events"] * 1e-10)
    code, out, _ = run(capsys, "limit", "--observed", "5", "--background", "0.5", "--method", "fc")
    assert code == 0 and "interval: [1.533, 9.487]" in out and "excludes zero" in out
    none = run_json(capsys, "limit", "--observed", "0", "--background", "0.5", "--method", "fc")
    assert none["lower_limit_events"] == 0.0


def test_discovery_asymmetric_background(capsys):
    """A larger upward background error needs at least as many events (same option names as limit/measure)."""
    sym = run_json(capsys, "discovery", "--background", "0.5", "--background-up", "0.1")
    asym = run_json(capsys, "discovery", "--background", "0.5", "--background-up", "0.3", "--background-down", "0.1")
    assert sym["background_down"] == 0.1 and asym["min_observed"] >= sym["min_observed"]


def test_discovery_keys(capsys):
    d = run_json(capsys, "discovery", "--background", "0.01")
    assert d["min_observed"] == 3 and d["p_value_at_min"] < 2.87e-7


def test_theory_pinunu(capsys):
    d = run_json(capsys, "theory", "pinunu", "--vcb", "0.041")
    assert d["inputs"]["vcb"] == 0.041 and d["br"] < 8.6e-11 and d["br_err"] > 0


@pytest.mark.parametrize("args, field", [
    (("limit", "--observed", "-1", "--background", "1"), "observed"),
    (("limit", "--observed", "1", "--background", "1", "--cl", "1.5"), "cl"),
    (("limit", "--observed", "1", "--background", "1", "--method", "bayes"), "method"),
    (("limit", "--observed", "x", "--background", "1"), "observed"),
    (("measure", "--observed", "1", "--observed", "2", "--background", "1", "--ses", "1e-10"), "--background"),
    (("measure", "--observed", "1", "--background", "1", "--ses", "-1"), "ses"),
    (("discovery", "--background", "-3"), "background"),
    (("theory", "pinunu", "--vcb", "2"), "vcb"),
    (("reproduce", "--only", "nonsense"), "--only"),
    (("no-such-command",), "no-such-command"),
])
def test_bad_input_one_line_exit_2(capsys, args, field):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert field in err and "Traceback" not in err


@pytest.mark.parametrize("method, name", [("cls", "CLs 90% CL upper limit"), ("clsb", "CLs+b 90% CL upper limit")])
def test_limit_line_names_the_method_as_written(capsys, method, name):
    """The printed line read 'CLS 90% CL' / 'CLSB 90% CL' (method.upper()); t93 review."""
    code, out, _ = run(capsys, "limit", "--observed", "1", "--background", "0.5", "--method", method)
    assert code == 0 and out.startswith(name)


def test_measure_prints_the_exact_single_category_p_value(capsys):
    """0 observed over b = 7 printed only the asymptotic 'p = 0.5, Z = 0.00'; the exact Poisson p (1) was in the
    JSON alone though the README says it is reported (t93 review)."""
    code, out, _ = run(capsys, "measure", "--observed", "0", "--background", "7", "--ses", "1e-11")
    assert code == 0 and "exact Poisson p = 1" in out
    code, out, _ = run(capsys, "measure", "--observed", "20", "--observed", "31", "--background", "7",
                       "--background", "11", "--ses", "8.39e-12", "--ses", "8.48e-12")
    assert code == 0 and "exact" not in out          # several categories: asymptotic only


def test_wide_or_huge_background_errors_are_not_internal_errors(capsys):
    """`limit --background 0.5 --background-up 5` ended in MemoryError (exit 70) and `--background-up 1e300` in
    OverflowError (exit 70); t93 review.  Now a limit, and one line for an error beyond 1e6 events."""
    code, out, err = run(capsys, "limit", "--observed", "3", "--background", "0.5", "--background-up", "5")
    assert code == 0 and out.startswith("CLs 90% CL upper limit: 6.22"), err
    code, out, err = run(capsys, "limit", "--observed", "3", "--background", "0.5", "--background-up", "1e300")
    assert code == 2 and "invalid --background-up=1e+300: allowed at most 1e+06 events" in err


@pytest.mark.parametrize("extra, needle", [
    (["--reference", "1e300"], "invalid --reference=1e+300: allowed a branching ratio in [0, 1]"),
    (["--reference", "1e-10", "--reference-error", "1e300"], "invalid --reference-error=1e+300"),
])
def test_measure_reference_is_a_branching_ratio(capsys, extra, needle):
    """--reference-error 1e300 ended in 'Optimization bounds must be finite scalars' (exit 70); --reference 1e300
    leaked RuntimeWarnings (t93 review)."""
    code, _, err = run(capsys, "measure", "--observed", "3", "--background", "0.5", "--ses", "1e-11", *extra)
    assert code == 2 and err.count("\n") == 1 and needle in err, err
