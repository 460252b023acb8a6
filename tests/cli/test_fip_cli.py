"""``na62lab fip`` commands: JSON output, one-line errors with exit code 2, plots."""

import json

import numpy as np
import pytest

from na62lab.cli.main import main


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_info_json_dark_photon(capsys):
    code, out, _ = _run(capsys, "fip", "info", "--model", "dark-photon", "--mass", "0.5", "--coupling", "1e-6",
                        "--json")
    assert code == 0
    res = json.loads(out)
    assert set(res) >= {"ctau_m", "width_gev", "branching_ratios"}
    assert sum(res["branching_ratios"].values()) == pytest.approx(1.0, rel=1e-9)
    assert res["ctau_m"] == pytest.approx(0.197327e-15 / res["width_gev"], rel=1e-4)   # hbar c = 0.1973 GeV fm


@pytest.mark.parametrize("model,coupling", [("dark-scalar", "1e-4"), ("alp-photon", "1e-5"), ("alp-fermion", "1e-4"),
                                            ("alp-gluon", "1e-5"), ("hnl-e", "1e-6"), ("hnl-mu", "1e-6")])
def test_info_every_model(capsys, model, coupling):
    code, out, _ = _run(capsys, "fip", "info", "--model", model, "--mass", "0.3", "--coupling", coupling, "--json")
    assert code == 0 and json.loads(out)["ctau_m"] > 0


def test_production_json(capsys):
    code, out, _ = _run(capsys, "fip", "production", "--model", "hnl-e", "--mass", "0.3", "--coupling", "1e-6",
                        "--json")
    assert code == 0
    res = json.loads(out)
    assert res["branching_ratios"]["K+->e+N"] > 0 and res["branching_ratios"]["pi+->e+N"] == 0.0


@pytest.mark.parametrize("argv,needle", [
    (["info", "--model", "axion-x", "--mass", "0.1", "--coupling", "1"], "model"),
    (["info", "--model", "dark-photon", "--mass", "-0.1", "--coupling", "1e-6"], "mass"),
    (["info", "--model", "dark-photon", "--mass", "nan", "--coupling", "1e-6"], "mass"),
    (["info", "--model", "dark-photon", "--mass", "0.1", "--coupling", "-1"], "coupling"),
    (["production", "--model", "dark-scalar", "--mass", "0.4", "--coupling", "1e-4", "--channel", "K+->pi+S"],
     "kinematic limit of K+->pi+S"),
    (["production", "--model", "dark-photon", "--mass", "1.5", "--coupling", "1e-6"], "kinematic limit"),
])
def test_bad_input_one_line_exit_2(capsys, argv, needle):
    code, out, err = _run(capsys, "fip", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err


def test_hnl_production_refuses_u2_beyond_the_first_order_rates(capsys):
    """BR(K+ -> mu+ N) = BR(K+ -> mu+ nu) rho |U|^2 is first order in |U|^2 and was printed as 1.31 at
    |U|^2 = 0.5, 0.263 GeV (task t81): above fips.hnl.U2_FIRST_ORDER_MAX = 0.01 the command refuses; at 0.01
    the number is the first-order one."""
    code, out, err = _run(capsys, "fip", "production", "--model", "hnl-mu", "--mass", "0.263", "--coupling", "0.5")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "invalid --coupling=0.5: allowed at most 0.01 for hnl-mu's production rates" in err and "Shrock" in err
    code, out, _ = _run(capsys, "fip", "production", "--model", "hnl-mu", "--mass", "0.263", "--coupling", "0.01",
                        "--json")
    assert code == 0 and json.loads(out)["branching_ratios"]["K+->mu+N"] == pytest.approx(0.02623, rel=1e-3)


def test_plot_writes_pngs(capsys, tmp_path):
    code, out, _ = _run(capsys, "fip", "plot", "--model", "dark-photon", "--out", str(tmp_path), "--json")
    assert code == 0
    files = json.loads(out)["files"]
    assert len(files) == 2
    for f in files:
        data = open(f, "rb").read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob(".*.part"))


def test_production_gluon_alp_has_kaon_channel_and_mixing(capsys):
    code, out, _ = _run(capsys, "fip", "production", "--model", "alp-gluon", "--mass", "0.1", "--coupling", "1e-5",
                        "--json")
    assert code == 0
    res = json.loads(out)
    assert res["branching_ratios"]["K+->pi+a"] > 0
    assert set(res["mixing_angles"]) == {"pi0", "eta", "eta'"}


def test_info_alp_fermion_data_driven_channels(capsys):
    code, out, _ = _run(capsys, "fip", "info", "--model", "alp-fermion", "--mass", "1.2", "--coupling", "1e-3",
                        "--json")
    brs = json.loads(out)["branching_ratios"]
    assert code == 0 and {"pipieta", "pipigamma", "KKpi", "mumu"} <= set(brs)


def test_hnl_info_states_majorana_and_dump_results_carry_it(capsys):
    """The HNL widths are Majorana (every width 2x a Dirac N's: the lifetime halves, arXiv:1805.08567 Sec. 3),
    but neither ``fip info`` nor a sensitivity result said so."""
    import json

    from na62lab.analyses.beam_dump import _width_note
    from na62lab.cli.main import main
    from na62lab.fips.hnl import HNL

    assert main(["fip", "info", "--model", "hnl-mu", "--mass", "0.3", "--coupling", "1e-6"]) == 0
    assert "note: Majorana N: both charge-conjugate final states, every width 2x a Dirac N's" in capsys.readouterr().out
    assert main(["fip", "info", "--model", "hnl-mu", "--mass", "0.3", "--coupling", "1e-6", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["width_note"].startswith("Majorana N")
    assert HNL(majorana=False).width_note.startswith("Dirac N")
    assert _width_note("hnl-e") == ["decay widths: Majorana N: both charge-conjugate final states, every width "
                                    "2x a Dirac N's"]
    assert _width_note("dark-photon") == [] and _width_note("alp-fermion") == ["decay widths: APPROXIMATE "
                                                                               "hadronic widths"]


def test_lifetime_figure_title_carries_the_width_note(tmp_path, monkeypatch):
    """The lifetime of an HNL doubles between Majorana and Dirac: its c tau figure says which (only the
    decay figure did)."""
    from na62lab.fips import get_model, plots

    titles = []
    monkeypatch.setattr(plots, "_save", lambda fig, path: (titles.append(fig.axes[0].get_title()), path)[1])
    plots.plot_lifetime(get_model("hnl-e"), tmp_path / "c.png", 0.1, 1.0, n=5)
    plots.plot_lifetime(get_model("dark-photon"), tmp_path / "d.png", 0.1, 1.0, n=5)
    assert titles == ["hnl-e lifetime (Majorana N: both charge-conjugate final states, every width 2x a Dirac N's)",
                      "dark-photon lifetime"]


def test_info_refuses_a_massless_fip(capsys):
    """`fip info --mass 0` printed 'width = nan GeV' and a RuntimeWarning (t93 review): now one line, exit 2."""
    code, out, err = _run(capsys, "fip", "info", "--model", "dark-photon", "--mass", "0", "--coupling", "1e-4")
    assert code == 2 and not out and err.count("\n") == 1 and "invalid --mass=0.0: allowed a FIP mass > 0" in err


@pytest.mark.parametrize("model", ["dark-photon", "dark-scalar", "alp-fermion", "alp-gluon", "hnl-e"])
def test_production_at_mass_zero_is_finite_and_quiet(capsys, model):
    """A massless X in K+ -> pi+ X is a physics case (pi-x starts at 0): finite BRs, no RuntimeWarning lines
    (alp, hnl printed 0/0 warnings of their decay side), no '-0' mixing angle."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        code, out, err = _run(capsys, "fip", "production", "--model", model, "--mass", "0", "--coupling", "1e-4",
                              "--json")
    assert code == 0 and not err, err
    res = json.loads(out)
    assert all(np.isfinite(v) and v >= 0 for v in res["branching_ratios"].values())
    assert all(str(v) != "-0.0" for v in res.get("mixing_angles", {}).values())


_TABLE = """name: tab
coupling_name: g
reference_coupling: 1.0e-6
mass_gev: [0.01, 0.1, 1.0]
ctau_m: [3.0, 0.3, 0.01]
decay_br: {ee: [1.0, 0.5, 0.2]}
production_br: {"pi0->gammaX": [1.0e-13, 1.0e-13, 0.0]}
"""


@pytest.mark.parametrize("argv, needle", [
    (["fip", "info", "--model", "dark-photon", "--mass", "100", "--coupling", "1e-4"], "0-3.73 GeV for dark-photon"),
    (["fip", "info", "--model", "dark-scalar", "--mass", "20", "--coupling", "1e-4"], "b bbar"),
    (["fip", "info", "--model", "alp-fermion", "--mass", "12", "--coupling", "1e-4"], "a -> b bbar"),
    (["fip", "plot", "--model", "dark-photon", "--mass-range", "0.1,5", "--out", "OUT"], "--mass-range=5.0"),
    (["fip", "info", "--model", "TABLE", "--mass", "2", "--coupling", "1e-6"], "0.01-1 GeV for tab"),
    (["fip", "info", "--model", "TABLE", "--mass", "0.001", "--coupling", "1e-6"], "the table's masses"),
    (["fip", "production", "--model", "TABLE", "--mass", "2", "--coupling", "1e-6"], "0.01-1 GeV for tab"),
    (["sensitivity", "--model", "TABLE", "--mass-range", "0.5,3", "--grid", "4x4"], "--mass-range=3.0"),
])
def test_a_mass_outside_the_model_is_refused(capsys, tmp_path, argv, needle):
    """t93 review: the dark photon at 100 GeV (no Z, no charm), the dark scalar at 20 GeV (no b bbar width) and a
    model table outside its masses (widths held at the edge: BR(ee) = 0.4 at 1 MeV, below 2 m_e) printed numbers;
    `sensitivity --mass-range 0.5,3` on a 0.01-1 GeV table ran, producing nothing above 1 GeV."""
    table = tmp_path / "tab.yaml"
    table.write_text(_TABLE)
    argv = [str(table) if a == "TABLE" else str(tmp_path / "figs") if a == "OUT" else a for a in argv]
    code, out, err = _run(capsys, *argv)
    assert code == 2 and err.count("\n") == 1 and needle in err, err


def test_plot_default_range_stays_inside_a_table(capsys, tmp_path):
    """`fip plot --model table.yaml` (default 0.01,3) is cut to the table's 0.01-1 GeV, not refused."""
    table = tmp_path / "tab.yaml"
    table.write_text(_TABLE)
    code, out, err = _run(capsys, "fip", "plot", "--model", str(table), "--out", str(tmp_path / "figs"), "--json")
    assert code == 0, err
    assert len(json.loads(out)["files"]) == 2


@pytest.mark.parametrize("extra, needle", [
    (["--coupling", "0"], "invalid --coupling=0.0: allowed a coupling > 0"),
    (["--coupling", "1e-300"], "c tau is finite"),
    (["--mass-range", "0.0001,0.001"], "c tau is finite"),       # below 2 m_e: the dark photon is stable
])
def test_plot_of_nothing_drawable_is_bad_input(capsys, tmp_path, extra, needle):
    """`fip plot --coupling 0` ended in 'internal error: ValueError: Data cannot be log-scaled' (exit 70; t93)."""
    code, out, err = _run(capsys, "fip", "plot", "--model", "dark-photon", "--out", str(tmp_path / "f"), *extra)
    assert code == 2 and err.count("\n") == 1 and needle in err, err
    assert not (tmp_path / "f").exists() or not any((tmp_path / "f").iterdir())


def test_unknown_production_channel_lists_names_not_a_python_list(capsys):
    code, _, err = _run(capsys, "fip", "production", "--model", "dark-scalar", "--mass", "0.2", "--coupling", "1e-4",
                        "--channel", "K+->pi+X")
    assert code == 2 and "allowed one of B->K*S, B->KS, B->XsS, K+->pi+S" in err and "['" not in err


@pytest.mark.parametrize("model, mass, coupling", [("dark-photon", "1e-300", "1e-5"), ("alp-photon", "0.1", "1e300")])
def test_info_of_an_overflowing_point_is_bad_input(capsys, model, mass, coupling):
    """`fip info --mass 1e-300` printed 'width = nan GeV' with RuntimeWarnings; alp-photon --coupling 1e300
    'width = inf GeV' and no branching ratio (t93 review)."""
    code, out, err = _run(capsys, "fip", "info", "--model", model, "--mass", mass, "--coupling", coupling)
    assert code == 2 and not out and err.count("\n") == 1 and "width is a finite number" in err, err


def test_a_user_model_with_a_negative_width_is_refused(capsys, tmp_path):
    """A user class whose ee width is negative printed 'c tau = stable ... width = -1e-13 GeV' (t93 review)."""
    f = tmp_path / "neg.py"
    f.write_text("from na62lab.fips.base import FIPModel\n\n\nclass X(FIPModel):\n    name = 'x'\n"
                 "    coupling_name = 'g'\n\n    def reduced_widths(self, m):\n        return {'ee': -1.0 + 0 * m}\n\n"
                 "    def reduced_production(self, m):\n        return {}\n")
    code, out, err = _run(capsys, "fip", "info", "--model", f"{f}:X", "--mass", "0.1", "--coupling", "1e-5")
    assert code == 2 and not out and "partial widths >= 0 (x: ee < 0 at 0.1 GeV)" in err, err
