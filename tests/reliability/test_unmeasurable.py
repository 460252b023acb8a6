"""Every model on every card (task t68): a card or search that cannot measure a model says so.

A dump card that selects none of a model's final states (BEBC has only HNL channels; the
CHARM card no HNL ones) is refused in one line naming the card, or, among several cards,
left out and named; a kaon-decay recast whose search does not produce the model (a dark
photon has no K+ -> pi+ A' channel) is refused in one line naming the model; a recast that
excludes nothing says so.  None of these is a silently empty contour presented as a limit.
"""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest
import yaml

from na62lab.analyses import beam_dump_compare
from na62lab.analyses.recast import LimitTable, limit_times_acceptance
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from tests.reliability.conftest import refuse, run_cli

SMALL = DumpMC(n_fip=300, n_mass_nodes=4, n_z_bins=3, n_ctau_nodes=40)


@pytest.mark.parametrize("model,card", [("dark-photon", "bebc"), ("alp-gluon", "bebc"), ("hnl-mu", "charm"),
                                        ("hnl-tau", "nucal")])
def test_card_without_the_models_final_states_is_one_line_naming_the_card(model, card, tmp_path):
    out = tmp_path / "out"
    err = refuse(["sensitivity", "--model", model, "--card", card, "--grid", "3x4", "--out", out], out)
    assert f"--card='{card}'" in err and f"final state of {model}" in err and "selects" in err


def test_several_cards_that_all_cannot_measure_are_refused():
    err = refuse(["sensitivity", "--model", "hnl-mu", "--card", "charm", "--card", "nucal", "--grid", "3x4"])
    assert "--card" in err and "charm" in err and "nucal" in err


def test_unmeasurable_names_the_card_and_the_requested_channels():
    cards = [load_card(n, DumpCard) for n in ("bebc", "charm", "na62_dump_2021")]
    assert set(beam_dump_compare.unmeasurable("dark-photon", cards)) == {"bebc"}
    assert set(beam_dump_compare.unmeasurable("hnl-e", cards)) == {"charm"}
    why = beam_dump_compare.unmeasurable("dark-photon", cards, ["pipi"])
    assert set(why) == {"bebc", "charm"} and "requested final states pipi" in why["charm"]


@pytest.mark.usefixtures("isolated_cache")
def test_compare_leaves_out_and_names_a_card_that_cannot_measure(tmp_path):
    """dark photon on the 2021 card and BEBC: one result, BEBC in not_measured (JSON and file), exit 0."""
    small = tmp_path / "dump.yaml"
    data = yaml.safe_load((resources.files("na62lab.config") / "cards" / "na62_dump_2021.yaml").read_text())
    data["mc"] = SMALL.model_dump()
    small.write_text(yaml.safe_dump(data))
    out = tmp_path / "out"
    code, stdout, err = run_cli(["sensitivity", "--model", "dark-photon", "--card", small, "--card", "bebc",
                                 "--grid", "3x6", "--mass-range", "0.05,0.3", "--channels", "ee", "--json",
                                 "--out", out])
    assert code == 0, err
    record = json.loads(stdout)
    assert len(record["experiments"]) == 1 and set(record["not_measured"]) == {"bebc"}
    assert "selects none of dark-photon's final states" in record["not_measured"]["bebc"]
    assert json.loads((out / "not_measured.json").read_text()) == record["not_measured"]
    # the experiment is named by the card's label, as SHiP/CHARM/BEBC by their detector's (it was
    # "na62-dump-2021, 1.4e+17 POT", the card name; task t81), in the JSON and the table alike
    assert record["experiments"][0]["experiment"] == "NA62 2021, 1.4e+17 POT"
    assert record["experiments"][0]["card"] == "na62-dump-2021"
    code, stdout, err = run_cli(["sensitivity", "--model", "dark-photon", "--card", small, "--card", "bebc",
                                 "--grid", "3x6", "--mass-range", "0.05,0.3", "--channels", "ee"])
    assert code == 0, err
    rows = {line.split("│")[1].strip() for line in stdout.splitlines() if line.startswith("│")}
    assert {"NA62 2021, 1.4e+17 POT", "BEBC"} <= rows and "na62-dump-2021" not in stdout


def _csv(tmp_path, text):
    path = tmp_path / "limits.csv"
    path.write_text(text)
    return path


LIFETIME_TABLE = "mass_MeV,tau=0.1ns,tau=1ns,stable\n150,1e-9,5e-10,1e-11\n200,1e-9,5e-10,1e-11\n"


@pytest.mark.parametrize("extra,field", [([], "--model='dark-photon'"),
                                         (["--production", "pi0->gammaA"], "--production='pi0->gammaA'"),
                                         (["--search", "hnl-mu"], "--model='dark-photon'")])
def test_recast_of_a_model_the_search_does_not_produce_is_refused(extra, field, tmp_path):
    err = refuse(["recast", "--limits", _csv(tmp_path, LIFETIME_TABLE), "--model", "dark-photon", *extra])
    assert field in err


def test_recast_alp_photon_names_the_missing_production(tmp_path):
    err = refuse(["recast", "--limits", _csv(tmp_path, LIFETIME_TABLE), "--model", "alp-photon"])
    assert "no meson-decay production channel" in err


def test_limit_times_acceptance_is_the_edge_value_where_the_acceptance_underflows():
    """UL(tau) P(tau) = UL(tau_edge) P(tau_edge) below the first column (arXiv-free algebra of
    :func:`~na62lab.analyses.recast.limit_at`'s extrapolation), also where P(tau) is 0 in floating point."""
    table = LimitTable(np.array([150.0, 200.0]), np.array([[1e-9, 5e-10], [2e-9, 6e-10]]),
                       np.array([0.1, 1.0]), "test")

    def p_of_tau(t):
        return np.exp(-0.5 / np.asarray(t, float))     # escape-like: 0 in floating point for t < ~7e-4 ns

    tau = np.array([[1e-6, 0.3, 10.0], [1e-6, 0.3, 10.0]])
    got = limit_times_acceptance(table, np.array([150.0, 200.0]), tau, p_of_tau)
    assert np.all(np.isfinite(got))
    assert got[:, 0] == pytest.approx([1e-9 * np.exp(-5.0), 2e-9 * np.exp(-5.0)], rel=1e-12)
    assert got[:, 2] == pytest.approx([5e-10 * np.exp(-0.5), 6e-10 * np.exp(-0.5)], rel=1e-12)


def test_invisible_dark_photon_recast_with_lifetime_columns_excludes(tmp_path):
    """BC2's A' -> chi chi decays promptly (c tau << 1 mm): the escape acceptance underflows; the recast
    still reads the shortest-lifetime column (it read NaN, no exclusion at any mass, before)."""
    code, out, err = run_cli(["recast", "--limits", _csv(tmp_path, LIFETIME_TABLE), "--model",
                              "dark-photon-invisible", "--search", "pi-x", "--json"])
    assert code == 0, err
    record = json.loads(out)
    assert all(x is not None and x > 0 for x in record["excluded_lower"])


def test_recast_that_excludes_nothing_says_so(tmp_path):
    weak = _csv(tmp_path, "mass_GeV,BR\n0.15,0.5\n0.2,0.5\n")
    code, out, err = run_cli(["recast", "--limits", weak, "--model", "dark-scalar", "--search", "pi-x", "--json"])
    assert code == 0, err
    record = json.loads(out)
    assert all(x is None for x in record["excluded_lower"]) and record["note"].startswith("empty result")


TABLE_HEAD = """name: {name}
coupling_name: g
coupling_power: 2
reference_coupling: 1.0e-6
spin: 0
mass_gev: [0.05, 0.1, 0.2, 0.4]
ctau_m: [100.0, 50.0, 20.0, 5.0]
decay_br:
  ee: [1.0, 1.0, 1.0, 1.0]
"""


def _small_card(tmp_path):
    data = yaml.safe_load((resources.files("na62lab.config") / "cards" / "na62_dump_2021.yaml").read_text())
    data["mc"] = SMALL.model_dump()
    path = tmp_path / "dump.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_table_model_without_any_production_is_refused(tmp_path):
    """It ran (exit 0) with channels [] and an 'observed' limit of nothing."""
    model = tmp_path / "noprod.yaml"
    model.write_text(TABLE_HEAD.format(name="noprod"))
    err = refuse(["sensitivity", "--model", model, "--card", "na62_dump_2021", "--grid", "3x4"])
    assert "--model=" in err and "production mode" in err


@pytest.mark.usefixtures("isolated_cache")
def test_zero_signal_everywhere_is_labelled_an_empty_result(tmp_path):
    model = tmp_path / "zero.yaml"
    model.write_text(TABLE_HEAD.format(name="zero") + 'production_br:\n  "pi0->gammaX": [0.0, 0.0, 0.0, 0.0]\n')
    code, out, err = run_cli(["sensitivity", "--model", model, "--card", _small_card(tmp_path), "--grid", "3x4",
                              "--mass-range", "0.05,0.1"])
    assert code == 0, err
    assert "no exclusion on this grid: 0 expected signal events everywhere" in out
    assert "note: empty result: 0 expected signal events" in " ".join(out.split())


def test_recast_default_search_is_one_that_produces_the_model(tmp_path):
    """The generic ``hnl`` is read by no search card; the default was pi-x (exit 2, no K+ -> pi+ N): now hnl-e."""
    code, out, err = run_cli(["recast", "--limits", _csv(tmp_path, LIFETIME_TABLE), "--model", "hnl", "--json"])
    assert code == 0, err
    record = json.loads(out)
    assert record["search"] == "hnl-e" and "chosen by default" in record["notes"][0]
