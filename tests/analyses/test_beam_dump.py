"""Beam-dump analysis composition: limits, bands, discovery table, outputs."""

import dataclasses
import io
import json

import numpy as np
import pytest
from rich.console import Console

from na62lab.analyses import beam_dump
from na62lab.analyses.beam_dump_result import RECORD_ORDER, CombinedInputs, DumpSensitivity
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.results.io import to_json

CARD = load_card("na62_dump_2021", DumpCard).model_copy(
    update={"mc": DumpMC(n_fip=400, n_mass_nodes=5, n_z_bins=3, n_ctau_nodes=40)})


pytestmark = pytest.mark.usefixtures("isolated_cache")


def test_event_limits_at_zero_and_one_observed():
    # PDG Review of Statistics Table 40.3 (90 % CL, b = 0): 2.30 and 3.89 events
    lim0 = beam_dump.event_limits(CombinedInputs(0, 0.0, 0.0), 0.9)
    lim1 = beam_dump.event_limits(CombinedInputs(1, 0.0, 0.0), 0.9)
    assert lim0.observed == pytest.approx(2.303, abs=2e-3) and lim1.observed == pytest.approx(3.890, abs=2e-3)
    # a tiny background: every band but +2 sigma sits at n = 0
    small = beam_dump.event_limits(CombinedInputs(0, 0.03, 0.0), 0.9)
    assert small.median == small.minus2 == small.plus1 == pytest.approx(2.303, abs=2e-3)
    assert 3.8 < small.plus2 < 3.89                                     # n = 1 with b = 0.03


def test_discovery_table():
    rows = {r["channel"]: r for r in beam_dump.discovery_table(CARD, ["ee", "mumu"])}
    assert rows["mumu"]["n_min_sr"] >= 3 and rows["combined"]["background_sr"] == pytest.approx(0.0254)
    assert rows["mumu"]["p_value_sr"] < 2.87e-7
    assert rows["combined"]["n_min_sr_cr"] >= rows["combined"]["n_min_sr"]


def test_bc1_contour_lands_in_the_published_region():
    """NA62 2021 ee + mumu (PRL 133 (2024) 111802): exclusion beyond earlier limits for
    50-600 MeV with eps between about 1e-6 and 4e-5.  Our contour must cover eps = 1e-6
    at 100-500 MeV and reach eps >= 2e-5 at 50-60 MeV (tolerance: a factor 2 on the edge)."""
    res = beam_dump.sensitivity("dark-photon", CARD, 8, 40, (0.05, 0.5), (1e-8, 1e-3), ["ee", "mumu"])
    ranges = res.excluded_ranges
    assert len(res.masses_gev) >= 8                         # log grid plus refinement nodes
    # every grid mass excluded, plus the log-midpoints added where an edge is not log-log linear
    assert {float(m) for m in res.masses_gev} <= {r["mass_gev"] for r in ranges}
    assert all(r["coupling_min"] < 1e-6 < r["coupling_max"] for r in ranges)
    assert 2e-5 < ranges[0]["coupling_max"] < 8e-5
    assert res.limits.observed == pytest.approx(3.86, abs=0.05)     # n = 1 observed in ee


def test_projection_scales_backgrounds_and_outputs(tmp_path):
    card = beam_dump.with_inputs(CARD, pot=1e18)
    assert card.channels["mumu"].background == pytest.approx(0.016 * 1e18 / 1.4e17)
    # another exposure is a projection: the 2021 e+e- event is dropped unless asked to keep it
    assert card.run.projection and card.channels["ee"].observed == 0
    kept = beam_dump.with_inputs(CARD, pot=1e18, keep_observed=True)
    assert not kept.run.projection and kept.channels["ee"].observed == 1
    assert not beam_dump.with_inputs(CARD, pot=1e18, observed={"ee": 2}).run.projection
    assert not beam_dump.with_inputs(CARD, pot=CARD.run.n_pot).run.projection
    res = beam_dump.sensitivity("dark-photon", card, 4, 16, (0.1, 0.4), (1e-8, 1e-4), ["ee", "mumu"])
    png = beam_dump.exclusion_figure(res, tmp_path / "f.png")
    tables = beam_dump.hepdata_tables(res)
    assert png.is_file() and any(k.endswith("_expected_median") for k in tables)
    assert not any(k.endswith("_observed") for k in tables)          # a projection has no observed limit
    deps = next(iter(tables.values()))[1]["dependent_variables"]
    assert any(d["header"]["name"].startswith("upper edge open") for d in deps)
    assert np.array(res.expected_events).shape == (len(res.masses_gev), 16)
    assert res.projection and res.limit_kind == "expected"
    _assert_record_round_trips(res)


def _assert_record_round_trips(res: DumpSensitivity) -> None:
    """The typed result is frozen; its JSON record has the keys of RECORD_ORDER in order (``experiment``
    only when labelled, unknown keys such as ``provenance`` last) and reads back to the same JSON."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.n_pot = 1.0  # type: ignore[misc]
    rec = res.to_dict()
    assert list(rec) == [k for k in RECORD_ORDER if k != "experiment"]
    assert to_json(DumpSensitivity.from_dict(json.loads(to_json(rec))).to_dict()) == to_json(rec)
    stamped = DumpSensitivity.from_dict(json.loads(to_json({**rec, "provenance": {"date": "x"}})))
    assert stamped.limits == res.limits and list(stamped.to_dict())[-1] == "provenance"
    assert list(res.with_experiment("E, 1e18 POT").to_dict())[-1] == "experiment"


def test_reproduce_section(tmp_path, monkeypatch):
    monkeypatch.setattr(beam_dump, "REPRODUCE_MODELS", ("dark-photon",))
    monkeypatch.setattr(beam_dump, "_reproduce_one", _fast_reproduce_one)
    real = beam_dump._validation
    monkeypatch.setattr(beam_dump, "_validation", lambda out, console, workers, combined=None: real(
        out, console, 1, load_card("na62_dump_2021", DumpCard).model_copy(update={"mc": CARD.mc}), 8))
    monkeypatch.setattr(beam_dump, "_alpinist", lambda workers: {})   # test_alpinist_validation_tables.py
    console = Console(record=True, width=300, file=io.StringIO())
    summary = beam_dump.reproduce(tmp_path, console)
    assert set(summary) == {"dark-photon/na62_dump_2021", "dark-photon/na62_dump_run2", "validation"}
    text = console.export_text()
    assert "limit [events]" in text                         # a '[ev]' header was eaten as rich markup
    assert "efficiencies, na62-dump-2021: trigger 0.95 (assumed)" in text     # the card's assumed values
    # one value of each reference's closing mass in every line (the EPJC 2025 one read 1.53 and 1.525 GeV,
    # the PRL 2024 one 0.65 and 0.6499): beam_dump_validation.mass_text, read from the reference curves
    assert "reference 1.525 GeV" in text and "close at 1.525 GeV" in text and "1.53 GeV" not in text
    assert "reference 0.650 GeV" in text and "(reference 0.650)" in text and "0.6499" not in text
    assert (tmp_path / "beam_dump" / "validation.json").is_file()
    tables = summary["validation"]
    assert set(tables) == {"BC1 2021 all final states", "BC1 2021 ee+mumu below 2 m_pi", "BC1 2021 ee+mumu",
                           "BC1 2021 mumu"}
    rows = tables["BC1 2021 all final states"]["rows"]
    assert 6 <= len(rows) <= 10 and "EPJC 85 (2025) 571" in tables["BC1 2021 all final states"]["reference"]
    ratios = np.array([r["upper_ratio"] for r in rows])
    ratios = ratios[np.isfinite(ratios)]                                        # NaN: no edge at that mass
    assert ratios.size >= 6 and np.all((ratios > 0.3) & (ratios < 3))         # coarse MC: a sanity range
    assert "m_max" not in tables["BC1 2021 ee+mumu below 2 m_pi"]             # its mass range is cut at 2 m_pi
    # each NA62 drawing with its own apparent bremsstrahlung prescription, computed at run time and labelled
    # as a reproduction: EPJC 2025 with the ALPINIST code's form factor, PRL 2024 and JHEP 2023 without one
    combined = tables["BC1 2021 all final states"]
    line = combined["reproduction"]
    assert "apparent form-factor prescription" in line and "not our physics default" in line
    assert len(combined["apparent_form_factor"]["rows"]) == len(rows)
    # the form-factor systematic of the closing mass: default, ALPINIST's and the U&A model's form factor
    systematic = combined["form_factor_systematic"]
    assert all(f"{name} " in systematic for name in ("faessler", "alpinist_isospin_modulus", "ua_model")), systematic
    assert len(combined["ua_model"]["rows"]) == len(rows) and "reference 1.5" in systematic
    assert "not like for like" in tables["BC1 2021 mumu"]["note"]       # the reference's production is unknown
    for title, quoted in (("BC1 2021 ee+mumu", "0.6 GeV"), ("BC1 2021 mumu", "0.22 GeV")):
        tab = tables[title]
        line = tab["reproduction"]
        assert "brems_form_factor: none" in line and "no time-like form factor" in line, line
        assert "not our physics default" in line and f"at {quoted}" in line and "(reference 0." in line, line
        assert len(tab["no_form_factor"]["rows"]) == len(tab["rows"])
        # without |F_1|^2 the region closes earlier than with it (8 x 8 grid here: coarse)
        assert tab["no_form_factor"]["m_max"] <= tab["m_max"]
    saved = json.loads((tmp_path / "beam_dump" / "validation.json").read_text())
    assert saved["BC1 2021 mumu"]["no_form_factor"]["m_max"] == tables["BC1 2021 mumu"]["no_form_factor"]["m_max"]


def _fast_reproduce_one(model, card_name, out_dir, workers):
    card = load_card(card_name, DumpCard).model_copy(update={"mc": CARD.mc})
    res = beam_dump.sensitivity(model, card, 4, 12, (0.1, 0.4), (1e-8, 1e-4), ["ee", "mumu"])
    out_dir.mkdir(parents=True, exist_ok=True)
    return res


def test_a_region_above_the_hnl_production_validity_says_so():
    """t93 review: the dump HNL grid runs to |U|^2 = 0.1 and printed '|U|^2 ... to >1.00e-01 @ 0.1 GeV' as a limit,
    while fip production and the kaon-mode readings stop at |U|^2 = 0.01 (first-order production rates)."""
    from na62lab.analyses.beam_dump import _coupling_cap_note

    ranges = [{"mass_gev": 0.3, "coupling_min": 1e-6, "coupling_max": 0.1},
              {"mass_gev": 1.5, "coupling_min": 1e-7, "coupling_max": 4e-3}]
    note = _coupling_cap_note("hnl-e", ranges)
    assert len(note) == 1 and "1 masses (0.3-0.3 GeV)" in note[0] and "|U|^2 = 0.01" in note[0]
    assert _coupling_cap_note("hnl-e", ranges[1:]) == []
    assert _coupling_cap_note("dark-photon", [{"mass_gev": 0.1, "coupling_min": 1e-8, "coupling_max": 0.9}]) == []
