"""Search tables, figures, HEPData tables and overlays."""

import numpy as np
import pytest
import yaml

from na62lab.analyses.kaon_searches import run_search
from na62lab.errors import InputError
from na62lab.results import search_report as rep


@pytest.fixture(scope="module")
def summary():
    return run_search("hnl-pi-e", masses_gev=[0.1, 0.11, 0.12])[1]


def test_hepdata_tables(summary):
    tables = rep.hepdata_tables(summary)
    assert set(tables) == {"hnl-pi-e_limits", "hnl-pi-e_u2"}
    t = tables["hnl-pi-e_u2"][1]
    assert [v["value"] for v in t["independent_variables"][0]["values"]] == [0.1, 0.11, 0.12]
    exp = t["dependent_variables"][1]
    assert exp["values"][0]["errors"][0]["asymerror"]["minus"] <= 0


def test_write_outputs(tmp_path, summary):
    files = rep.write_search_outputs(summary, tmp_path)
    assert all(f.exists() for f in files)
    docs = list(yaml.safe_load_all((tmp_path / "hepdata" / "submission.yaml").read_text()))
    assert len(docs) == 3 and (tmp_path / "hepdata" / "provenance.json").is_file()


def test_read_overlay(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text("# mass value\n0.1 1e-8\n0.2 2e-8\n")
    x, y, label = rep.read_overlay(p)
    assert np.allclose(x, [0.1, 0.2]) and label == "c"
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n")
    with pytest.raises(InputError):
        rep.read_overlay(bad)
    with pytest.raises(InputError):
        rep.read_overlay(tmp_path / "none.csv")
    # a mass or value <= 0 cannot be drawn on the log axes: it was accepted and silently vanished (t93 review)
    for i, text in enumerate(("-0.1 1e-6\n0.2 1e-7\n", "0.1 1e-6\n0.2 0\n")):
        neg = tmp_path / f"neg{i}.txt"
        neg.write_text(text)
        with pytest.raises(InputError, match=f"row {i + 1}: .*allowed masses \\(GeV\\) and values > 0"):
            rep.read_overlay(neg)


def test_tables_render(summary):
    from rich.console import Console

    c = Console(record=True, width=150)
    c.print(rep.summary_table(summary))
    assert "pi+ -> e+ N" in c.export_text()


def test_search_hepdata_is_valid(tmp_path, summary):
    """The search HEPData folder passes hepdata-validator (the HEPData submission schema)."""
    validator_mod = pytest.importorskip("hepdata_validator.full_submission_validator")
    rep.write_search_outputs(summary, tmp_path)
    v = validator_mod.FullSubmissionValidator()
    assert v.validate(directory=str(tmp_path / "hepdata")), v.get_messages()


def test_figures_in_gev_with_pdf(tmp_path, summary):
    files = rep.write_search_outputs(summary, tmp_path)
    pngs = [f for f in files if f.suffix == ".png"]
    assert pngs and all(f.with_suffix(".pdf").is_file() for f in pngs)


def test_report_reads_a_typed_summary_and_writes_the_same_json(tmp_path, summary):
    """The presentation consumes SearchSummary (issue 15): run_search builds it, to_dict() is the JSON record and
    from_dict() reads the record back into the same summary (same JSON, same files)."""
    from na62lab.analyses.kaon_searches_common.summary import RECORD_ORDER, SearchSummary
    from na62lab.results.io import to_json

    record = summary.to_dict()
    s = SearchSummary.from_dict(record)
    assert to_json(s.to_dict()) == to_json(record) and list(record) == [k for k in RECORD_ORDER if k in record]
    assert s.search == "hnl-pi-e" and s.k_pi_x is None and s.u2 is not None and s.u2.extra.keys() == {"br_per_u2"}
    assert s.limits.band_1sigma.shape == (3, 2) and np.allclose(s.limits.masses_gev, [0.1, 0.11, 0.12])
    assert np.allclose(s.u2.masses_gev, s.limits.masses_gev) and not s.projection
    rep.write_search_outputs(summary, tmp_path / "typed")
    rep.write_search_outputs(record, tmp_path / "dict")
    for name in ("hnl-pi-e.json", "hepdata/hnl-pi-e_limits.yaml", "hepdata/hnl-pi-e_u2.yaml"):
        a, b = ((tmp_path / d / name).read_text() for d in ("typed", "dict"))
        if name.endswith(".json"):
            a, b = (yaml.safe_load(x) for x in (a, b))
            a.pop("provenance", None), b.pop("provenance", None)
        assert a == b, name


def test_published_points_legend_names_what_all_points_share(tmp_path, monkeypatch):
    """The legend of the published points was the first point's whole per-mass note ('published: NA62 Run 1
    scalar lower edge / K: theta^2_lo 9.582e-9, C 1.171e-3' for pi-x, an HNL note ending 'simulated mu -> e in
    flight ...'): now the clause every note shares (t93 review)."""
    from na62lab.config.base import load_card
    from na62lab.config.searches import PeakSearchCard

    notes = [p.note for p in load_card("na62_search_pi_x", PeakSearchCard).published.points]
    assert rep.published_label(notes) == "NA62 Run 1 scalar lower edge / K"
    figures = []
    monkeypatch.setattr(rep, "save_png", lambda fig, path: figures.append(fig) or path)
    summary = run_search("hnl-e", masses_gev=[0.2, 0.3])[1]
    rep.limit_figure(summary, tmp_path / "u2.png", u2=True)
    texts = [t.get_text() for t in figures[0].axes[0].get_legend().get_texts()]
    assert "published: observed 90 % CL (HEPData t1)" in texts


def test_a_single_open_mass_is_drawn(tmp_path, monkeypatch):
    """A reading open at one mass only (recast of a 2-mass table: theta > 1 at 0.1 GeV, 0.5 at 0.2 GeV) had a
    'grid edge (open ...)' legend entry but nothing drawn (a dotted line of one point): now an arrow marker."""
    from na62lab.analyses.kaon_searches_common.interpretation import GRID_EDGE_NOTE
    from na62lab.analyses.kaon_searches_common.summary import CouplingReading

    seen = []
    monkeypatch.setattr(rep, "save_png", lambda fig, path: seen.append(fig) or path)
    m = np.array([0.1, 0.2])
    reading = CouplingReading("BC4", "dark-scalar", "theta", m, np.array([2e-4, 1e-4]), np.array([1.0, 0.5]),
                              note=GRID_EDGE_NOTE, label="t")
    rep.pbc_figure([reading], tmp_path / "x.png")
    dotted = [line for line in seen[0].axes[0].lines if line.get_linestyle() == ":"]
    assert len(dotted) == 1 and dotted[0].get_marker() == "^"
    assert np.isfinite(dotted[0].get_ydata()).sum() == 1


def test_pseudo_data_limits_are_not_labelled_observed(tmp_path, monkeypatch, summary):
    """t93 review: every peak search draws its 'observed' events as pseudo-data (observed_data says so), but the
    table column read 'observed' and the figure 'observed (na62lab)'."""
    assert summary.details["observed_data"].startswith("pseudo-data") and rep.is_pseudo_data(summary)
    table = rep.summary_table(summary)
    assert [str(c.header) for c in table.columns][1] == "observed (pseudo-data)"
    assert table.caption.endswith("(of the pseudo-data)")
    figures = []
    monkeypatch.setattr(rep, "save_png", lambda fig, path: figures.append(fig) or path)
    rep.limit_figure(summary, tmp_path / "l.png")
    texts = [t.get_text() for t in figures[0].axes[0].get_legend().get_texts()]
    assert "observed: pseudo-data (na62lab)" in texts and "observed (na62lab)" not in texts


def test_comparison_table_names_the_mixing_as_everywhere():
    """The quantity column printed the record's enum 'U2' where every table and axis says |U|^2 (t93 review)."""
    summary = run_search("hnl-mu", masses_gev=[0.3])[1]
    table = rep.comparison_table(summary)
    assert list(table.columns[1].cells) == ["|U|^2"] and summary.comparison[0].quantity == "U2"   # JSON unchanged
    assert all(len(list(c.cells)) == 1 for c in table.columns)                   # every column filled


def test_a_table_of_infinite_limits_says_why():
    """`search pi-x --lifetime-ns 0` printed a table of 'inf' and nothing else (t93 review)."""
    from rich.console import Console

    summary = run_search("pi-x", masses_gev=[0.1], lifetime_ns=0.0)[1]
    console = Console(record=True, width=200)
    rep.print_tables(summary, console)
    assert "no limit at any mass (inf): no signal is accepted at lifetime 0 ns" in console.export_text()
