"""Experiments as cards (issue 16 items 2-3): shipped cards, generic detectors, one comparison figure."""

import json
from pathlib import Path

import numpy as np
import pytest

from na62lab.analyses import beam_dump, beam_dump_compare
from na62lab.config.base import load_card, parse_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.detector.dump_acceptance import generic_acceptance
from na62lab.errors import InputError
from na62lab.yields.dump_contours import mass_intervals

SMALL = DumpMC(n_fip=300, n_mass_nodes=4, n_z_bins=3, n_ctau_nodes=40)
EXPERIMENTS = ("charm", "nucal", "shadows", "ship", "hike")


pytestmark = pytest.mark.usefixtures("isolated_cache")


def _small(name):
    return load_card(name, DumpCard).model_copy(update={"mc": SMALL})


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_experiment_cards_load_with_their_exposure_and_labelled_numbers(name):
    """Exposures of ALPINIST ExpParameters.C and the proposals (CERN-SPSC-...); every card cites its sources."""
    from importlib import resources

    card = load_card(name, DumpCard)
    pot = {"charm": 2.4e18, "nucal": 1.7e18, "shadows": 5e19, "ship": 6e20, "hike": 5e19}[name]
    assert card.run.n_pot == pot
    text = (resources.files("na62lab.config") / "cards" / f"{name}.yaml").read_text()
    assert "ExpParameters.C" in text or "CERN-SPSC-" in text
    assert all(f.source for f in card.selection.efficiencies)
    assert card.run.projection == (name in ("shadows", "ship", "hike"))


def test_charm_is_off_axis_and_its_photons_may_decay_anywhere_in_the_volume():
    card = load_card("charm", DumpCard)
    assert card.detector.offset_m == (0.0, -4.8) and card.selection.decay_volume("gammagamma") == (480.0, 515.0)
    sel = card.selection
    vtx = np.array([[0.0, -4800.0, 500_000.0], [0.0, 0.0, 500_000.0]])     # on the detector axis / on the beam
    p = np.array([[20_000.0, 0.0, 0.0, 20_000.0]] * 2)
    ok = generic_acceptance(vtx, [p, p], ("gamma", "gamma"), (0, 0), card.detector, sel)
    assert ok.tolist() == [True, False]


def test_nucal_runs_on_its_70_gev_table_and_refuses_the_400_gev_one():
    card = _small("nucal")
    res = beam_dump.sensitivity("dark-photon", card, 4, 8, mass_range_gev=(0.02, 0.5))
    assert res.excluded_ranges, "NuCal excludes dark photons from pi0/eta decays and bremsstrahlung"
    wrong = card.model_copy(update={"production": card.production.model_copy(update={"production_table": None})})
    with pytest.raises(InputError, match="beam_energy_gev"):
        beam_dump.sensitivity("dark-photon", wrong, 4, 8)


def test_compare_writes_one_record_per_experiment_and_one_figure(tmp_path, monkeypatch):
    from na62lab.results import figures, style

    labels, legends, dotted, save = [], [], [], figures.save_png

    def spy(fig, path):
        labels.append(fig.axes[0].get_xlabel())
        legends.extend(t.get_text() for t in fig.axes[0].get_legend().get_texts())
        dotted.extend(line.get_color() for line in fig.axes[0].lines if line.get_linestyle() == ":")
        return save(fig, path)

    monkeypatch.setattr(figures, "save_png", spy)
    cards = [_small("na62_dump_2021"), _small("shadows"), _small("charm")]
    results = beam_dump_compare.compare("dark-photon", cards, 4, 16, (0.05, 0.3), (1e-9, 1e-3), ["ee", "mumu"])
    assert [r.card for r in results] == ["na62-dump-2021", "shadows", "charm"]
    assert results[1].limit_kind == "expected" and results[0].limit_kind == "observed"
    # the larger exposures reach smaller couplings than NA62 2021 (long-lived regime)
    lows = [min(x["coupling_min"] for x in r.excluded_ranges) for r in results]
    assert lows[1] < lows[0]
    written = beam_dump_compare.write_comparison(results, tmp_path)
    assert written["figure"].is_file()
    assert labels == [style.MASS_LABEL]          # 'mass [GeV]' as every figure (it read 'mass [GeV/c^2]')
    # every experiment by its display name (NA62 was 'na62-dump-2021', its card name; task t81)
    assert {x.split(",")[0] for x in legends if " POT: " in x} == {"NA62 2021", "SHADOWS", "CHARM"}, legends
    # open edges: each experiment's in its colour and one legend entry for all (t93 review: all were C3, one
    # 'open: region continues ...' entry per experiment)
    assert legends.count(beam_dump_compare.OPEN_EDGE_LABEL) == 1
    assert not [x for x in legends if x.startswith("open:")], legends
    assert len(set(dotted) - {"0.4"}) >= 2 and set(dotted) <= {"C0", "C1", "C2", "0.4"}, dotted
    for name in ("na62-dump-2021", "shadows", "charm"):
        data = json.loads((tmp_path / name / "BC1_sensitivity.json").read_text())
        assert data["card"] == name and (tmp_path / name / "hepdata" / "submission.yaml").is_file()


def test_cli_repeated_card(tmp_path, capsys, monkeypatch):
    import yaml
    from importlib import resources

    from na62lab.cli.main import main

    paths = []
    for name in ("na62_dump_2021", "ship"):
        data = yaml.safe_load((resources.files("na62lab.config") / "cards" / f"{name}.yaml").read_text())
        data["mc"] = SMALL.model_dump()
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data))
        paths.append(str(path))
    args = ["sensitivity", "--model", "dark-photon", "--card", paths[0], "--card", paths[1], "--channels", "ee",
            "--grid", "4x12", "--mass-range", "0.05,0.3", "--json", "--out", str(tmp_path / "out")]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert [e["card"] for e in out["experiments"]] == ["na62-dump-2021", "ship"]
    assert out["model"] == "dark-photon" and out["model_spec"] == "dark-photon"     # name and spec, as each record
    assert (tmp_path / "out" / "BC1_comparison.png").is_file()
    # each experiment's JSON carries provenance with the hash of the card file given (it had none)
    import hashlib

    for name, path in zip(("na62-dump-2021", "ship"), paths):
        record = json.loads((tmp_path / "out" / name / "BC1_sensitivity.json").read_text())["provenance"]["cards"]
        assert list(record) == [path]
        assert record[path]["sha256"] == hashlib.sha256(Path(path).read_bytes()).hexdigest()
    assert main(args + ["--pot", "1e18"]) == 2                    # --pot needs a single card


def test_every_shipped_dump_card_is_shown_by_its_experiment_name():
    """Tables, JSON ``experiment`` and legends name an experiment by the card's ``label``, else its detector's
    name, else the card name: NA62 and HIKE were shown by their card names (na62-dump-2021, hike; task t81)."""
    from types import SimpleNamespace

    shown = {n: load_card(n, DumpCard).display_name for n in ("na62_dump_2021", "na62_dump_run2", "hike", "shadows",
                                                              "ship", "charm", "nucal", "bebc")}
    assert shown == {"na62_dump_2021": "NA62 2021", "na62_dump_run2": "NA62 Run 2", "hike": "HIKE",
                     "shadows": "SHADOWS", "ship": "SHiP", "charm": "CHARM", "nucal": "NuCal", "bebc": "BEBC"}
    card = load_card("na62_dump_2021", DumpCard)
    assert beam_dump_compare.experiment_label(card, SimpleNamespace(n_pot=1.4e17)) == "NA62 2021, 1.4e+17 POT"
    assert card.model_copy(update={"label": None}).display_name == "na62-dump-2021"     # a user card without one
    with pytest.raises(InputError, match="label"):
        parse_card(card.model_dump() | {"label": ""}, DumpCard)


def test_a_changed_generic_detector_builds_new_tables(tmp_path):
    """The efficiency-table cache key holds the card's generic detector: moving CHARM's detector onto the
    beam axis must not reuse the off-axis tables (it did: the key held geometry, production, selection, mc)."""
    from na62lab.yields.dump_grid import expected_events

    off = _small("charm")
    on = off.model_copy(update={"detector": off.detector.model_copy(update={"offset_m": (0.0, 0.0)})})
    masses, eps = np.array([100.0, 200.0]), np.array([3e-7])
    n_off = expected_events("dark-photon", off, masses, eps).total
    n_on = expected_events("dark-photon", on, masses, eps).total
    assert len(list((tmp_path / "cache").rglob("*.npz"))) == 2
    assert np.all(n_on > 1.3 * n_off)   # on axis: the meson spectra peak there; on/off 2.2-2.3 (100 MeV), 2.7
    # (200 MeV) with 20000 FIPs, either sampler; 1.5/2.9 with these 300 importance-sampled FIPs (plain: 3.7/7.7)


def test_summary_rows_keep_islands_apart_and_mark_grid_edges():
    """A region with non-excluded grid masses inside is reported as islands (it was printed as one range,
    e.g. CHARM's B-L region '0.01-0.77' for 0.01-0.119 and 0.765-0.770 GeV), and a smallest coupling that is the
    grid's lowest is flagged open (SHiP's B-L region at the omega peak printed '1.00e-09' as if it were a limit)."""
    from types import SimpleNamespace

    grid = [0.01, 0.02, 0.03, 0.04, 0.05]
    ranges = [{"mass_gev": m, "coupling_min": c, "coupling_max": 1e-4, "open_lower": c == 1e-9, "open_upper": False}
              for m, c in ((0.01, 3e-8), (0.02, 2e-8), (0.04, 1e-9), (0.05, 5e-9))]
    fake = SimpleNamespace(excluded_ranges=ranges, masses_gev=grid, experiment="x", limit_kind="expected")
    (row,) = beam_dump_compare.summary_rows([fake])
    assert row["mass_islands_gev"] == [(0.01, 0.02), (0.04, 0.05)] and row["mass_gev"] == (0.01, 0.05)
    assert row["coupling_min"] == 1e-9 and row["open_min"] and not row["open_max"]
    assert mass_intervals([], grid) == []


def test_exclusion_cells_print_islands_and_open_edges():
    """The reproduce table's cells: the NA62 2021 BC1 region with its phi notch was printed '0.010-1.235', the
    ALP-gluon smallest coupling '1.00e-08' (the grid's edge) as if it were a limit."""
    from types import SimpleNamespace

    grid = [0.01, 0.5, 1.015, 1.02, 1.024, 1.235]
    ranges = [{"mass_gev": m, "coupling_min": 1e-8 if m == 0.5 else 2e-8, "coupling_max": 0.1 if m == 0.01 else 1e-4,
               "open_lower": m == 0.5, "open_upper": m == 0.01} for m in (0.01, 0.5, 1.015, 1.024, 1.235)]
    fake = SimpleNamespace(excluded_ranges=ranges, masses_gev=grid, experiment="x", limit_kind="observed")
    # each extreme coupling with the mass where it lies (an ALP's can sit on its eta mixing resonance)
    assert beam_dump_compare.exclusion_cells(fake) == ("0.01-1.015 and 1.024-1.235", "<1.00e-08 @ 0.5 GeV",
                                                       ">1.00e-01 @ 0.01 GeV")
    empty = SimpleNamespace(excluded_ranges=[], masses_gev=grid, experiment="x", limit_kind="observed")
    assert beam_dump_compare.exclusion_cells(empty) == ("none", "-", "-")
    # the same cells from the JSON record (the HTML report's reader): one formatter, not a copy
    record = json.loads(json.dumps({"excluded_ranges": ranges, "masses_gev": grid}))
    assert beam_dump_compare.exclusion_text(record["excluded_ranges"], record["masses_gev"]) == \
        beam_dump_compare.exclusion_cells(fake)


def test_efficiency_summary_merges_models_per_card():
    """reproduce printed none of the dump cards' efficiencies (every one 'assumed'); now one line per card."""
    from types import SimpleNamespace

    trig = {"name": "trigger", "value": 0.95, "status": "assumed"}
    a = SimpleNamespace(card="c1", efficiencies=[{**trig, "final_states": ["ee", "mumu"]}])
    b = SimpleNamespace(card="c1", efficiencies=[{**trig, "final_states": ["mumu", "pie"]},
                                                 {"name": "pid", "value": 0.9, "status": "assumed",
                                                  "final_states": ["pie"]}])
    c = SimpleNamespace(card="c2", efficiencies=[])
    assert beam_dump_compare.efficiency_summary([a, b, c]) == {
        "c1": "trigger 0.95 (assumed) for ee,mumu,pie; pid 0.9 (assumed) for pie", "c2": "none applied"}


def test_each_card_states_its_own_detector_simulation():
    """Every dump result said 'fast simulation: circular apertures, thin-lens magnet' (NA62's), CHARM's and
    SHiP's too, whose generic detectors are rectangles crossed by straight lines."""
    charm, na62 = load_card("charm", DumpCard), load_card("na62_dump_2021", DumpCard)
    text = beam_dump.detector_note(charm)
    assert text.startswith("fast simulation, generic detector (CHARM): daughters cross the plane(s) at 515 m inside "
                           "a 3 x 3 m rectangle, straight lines (no magnet), no pointing cut")
    assert "thin-lens" not in text and "circle" not in text
    assert "LKr outer edge octagon (card lkr_octagon_m)" in beam_dump.detector_note(na62)
