"""Kaon fast-simulation records: today's keys (README "Conventions") and result folders written by older versions.

Up to e8c2f94 the records used ``acceptance_pinunu_error``, ``acceptance_pipi_error``,
``mmiss2_resolution_error_gev2``, ``R1``/``R2``, ``stat_error``, the upstream row's ``up``/``down`` and a comparison
row's ``published_error`` (one number or [up, down]); the report must render such a folder exactly as it renders
the same numbers in today's keys (:func:`na62lab.results.kaon_record.current_keys`).
"""

from __future__ import annotations

import dataclasses

import pytest

from na62lab.analyses import kaon_sim
from na62lab.config.kaon import shipped_kaon_card
from na62lab.results.io import write_json
from na62lab.results.kaon_record import RENAMED, current_keys, published_err, published_error_pair
from na62lab.results.report_sections import read_section


def _summary(card) -> dict:
    """A summary in today's keys at the published values (backgrounds made up, with MC errors)."""
    pub = card.normalisation.published
    bk = {m: {"r1": v / 2, "r2": v / 2, "total": v, "stat_err": e} for m, v, e in
          (("pipi0", 0.9, 0.1), ("munu", 1.7, 0.1), ("pipipi", 3.2e-4, 1e-4), ("ke4", 0.0056, 5.5e-5),
           ("pigg", 0.01, 0.001), ("pi0enu", 0.05, 0.01), ("pi0munu", 0.025, 0.01))}
    bk.update({"upstream": {"total": 7.4, "total_err_up": 2.1, "total_err_down": 1.8, "note": "input"},
               "total": {"total": 10.1}})
    return {"acceptance_pinunu": pub.acceptance_pinunu, "acceptance_pinunu_err": 0.001,
            "acceptance_pipi": pub.acceptance_pipi, "acceptance_pipi_err": 0.001, "ses": pub.ses,
            "mmiss2_resolution_pipi_gev2": pub.mmiss2_resolution_gev2, "mmiss2_resolution_pipi_err_gev2": 1e-5,
            "backgrounds": bk}


def _old_keys(record):
    """``record`` as versions up to e8c2f94 wrote it (the inverse of current_keys, written out by hand)."""
    if isinstance(record, list):
        return [_old_keys(v) for v in record]
    if not isinstance(record, dict):
        return record
    back = {new: old for old, new in RENAMED.items()} | {"total_err_up": "up", "total_err_down": "down"}
    out = {}
    for k, v in record.items():
        if k == "published_err_up":
            up, down = v, record["published_err_down"]
            out["published_error"] = None if up is None else (up if up == down else [up, down])
        elif k != "published_err_down":
            out[back.get(k, k)] = _old_keys(v)
    return out


def test_old_and_new_records_render_the_same_report_section(tmp_path):
    card = shipped_kaon_card()
    s = _summary(card)
    rows = kaon_sim.comparison(s, card)
    assert any(r["published_err_up"] != r["published_err_down"] for r in rows if r["published_err_up"] is not None)
    sections = []
    for name, record in (("new", {"summary": s, "comparison": rows}),
                         ("old", _old_keys({"summary": s, "comparison": rows}))):
        write_json(tmp_path / name / "kaon_sim" / "kaon_sim_summary.json", record)
        write_json(tmp_path / name / "kaon_sim" / "backgrounds.json", {"reference": "JHEP 02 (2025) 191"})
        sections.append(read_section(tmp_path / name, "kaon_sim"))
    new, old = (dataclasses.asdict(sec) for sec in sections)
    assert new == old
    assert "stat_error" in (tmp_path / "old" / "kaon_sim" / "kaon_sim_summary.json").read_text()
    k3pi = next(r for r in sections[0].rows if r["quantity"] == "background pipipi")
    assert k3pi["pull"] == pytest.approx((3.2e-4 - 0.11) / (1e-4**2 + 0.03**2) ** 0.5)   # JHEP 02 (2025) 191


def test_current_keys_renames_keys_only():
    card = shipped_kaon_card()
    s = _summary(card)
    record = {"summary": s, "comparison": kaon_sim.comparison(s, card)}
    old = _old_keys(record)
    assert old["summary"]["backgrounds"]["pipi0"]["R1"] == 0.45 and old["summary"]["backgrounds"]["upstream"]["up"]
    assert current_keys(old) == current_keys(record) == record      # today's keys come back unchanged
    assert published_err([0.33, 0.27]) == {"published_err_up": 0.33, "published_err_down": 0.27}
    assert published_error_pair(published_err(0.03)) == (0.03, 0.03)
