"""The kaon-mode searches for new particles, run together (``na62lab search``, ``na62lab reproduce``).

:data:`SEARCHES` names every search; :func:`run_search` runs one from its
card (shipped or user) and returns a JSON-able summary with the BR limits
(masses in GeV), the significance, the comparison with the published values
of the card and, on request, the PBC coupling readings.  :func:`reproduce`
is the ``kaon_searches`` section of ``na62lab reproduce``: every search,
its table, HEPData YAML, figures and a JSON summary.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from na62lab.errors import InputError
from na62lab.physics.units import GeV

SEARCHES = ("pi-x", "pi0-invisible", "pi-a-gammagamma", "pi-x-mumu", "hnl-e", "hnl-mu", "hnl-pi-e")
"""Names accepted by :func:`run_search` (and ``na62lab search``)."""


def load_card(name: str, card: str | Path | None = None, displaced: bool = False):
    """The card of search ``name`` (shipped, or the YAML file ``card``)."""
    from na62lab.analyses import hnl, pi0_invisible, pi_a_gammagamma, pi_x, pi_x_mumu

    if name not in SEARCHES:
        raise InputError("search", name, f"one of {', '.join(SEARCHES)}")
    if name == "pi-x-mumu":
        return pi_x_mumu.load(card, displaced=displaced)
    loaders = {"pi-x": pi_x.load, "pi0-invisible": pi0_invisible.load, "pi-a-gammagamma": pi_a_gammagamma.load}
    return loaders[name](card) if name in loaders else hnl.load(name, card)


def _run(name: str, card, masses, lifetime_ns):
    from na62lab.analyses import hnl, pi0_invisible
    from na62lab.analyses.kaon_searches_common import run_peak_search

    if name == "pi0-invisible":
        return pi0_invisible.run(card, lifetime_ns, masses)
    if name.startswith("hnl"):
        return hnl.run(name, card, masses, lifetime_ns)
    return run_peak_search(card, masses, lifetime_ns)


def comparison(summary: dict, card) -> list[dict]:
    """Our limits at the card's published points: mass (GeV), ours, published, ratio."""
    rows = []
    for pt in card.published.points:
        block = summary["u2"] if pt.quantity == "U2" and "u2" in summary else summary
        masses = np.asarray(summary["masses_gev"]) * GeV
        if masses.size == 0:
            continue
        i = int(np.argmin(np.abs(masses - pt.mass_mev)))
        ours, exp = float(np.asarray(block["observed_limit"])[i]), float(np.asarray(block["expected_limit"])[i])
        rows.append({"mass_gev": float(masses[i] / GeV), "quantity": pt.quantity, "observed": ours, "expected": exp,
                     "published": pt.value, "ratio_observed": ours / pt.value, "note": pt.note})
    return rows


def _pbc(name: str, card, result) -> dict:
    from na62lab.analyses.kaon_searches_common import engine as eng
    from na62lab.analyses.kaon_searches_common.interpretation import interpret

    if name == "pi0-invisible":
        masses, limit, p_q = result.x_masses, result.x_observed_limit, result.x_p_quantiles
    else:
        model = eng.resolution_model(card, result.masses)
        masses, limit, p_q = result.masses, result.observed_limit, model.at(model.p_quantiles, result.masses)
    readings, notes = interpret(card.interpretations, masses, limit, p_q, card.lifetime)
    return {"readings": [r.to_dict() for r in readings], "notes": notes}


def run_search(name: str, card: str | Path | None = None, lifetime_ns: float | None = None,
               masses_gev=None, pbc: bool = False, displaced: bool = False) -> tuple[object, dict]:
    """Run search ``name``; returns (result object, JSON-able summary).

    Parameters
    ----------
    name : str
        One of :data:`SEARCHES`.
    card : str or Path, optional
        A YAML card replacing the shipped one.
    lifetime_ns : float, optional
        Proper lifetime of X or N (ns); default: stable (invisible searches)
        or prompt (visible searches).
    masses_gev : list of float, optional
        Mass hypotheses (GeV) instead of the card's scan.
    pbc : bool
        Add the PBC coupling readings (from the stable/prompt limits).
    displaced : bool
        pi-x-mumu only: the displaced-vertex card.
    """
    c = load_card(name, card, displaced)
    masses = None if masses_gev is None else np.asarray(masses_gev, dtype=float) * GeV
    result = _run(name, c, masses, lifetime_ns)
    summary = result.to_dict()
    summary["comparison"] = comparison(summary, c)
    if pbc:
        base = result if lifetime_ns is None else _run(name, c, masses, None)
        summary["pbc"] = _pbc(name, c, base)
    return result, summary


def reproduce(out_dir: Path, console) -> dict:
    """The ``kaon_searches`` section of ``na62lab reproduce``: every search, tables, figures, HEPData."""
    from na62lab.results.search_report import write_search_outputs

    out = Path(out_dir) / "kaon_searches"
    summaries = {}
    for name in SEARCHES:
        _, summary = run_search(name, pbc=True)
        write_search_outputs(summary, out / name, console)
        summaries[name] = summary
    return {name: {"comparison": s["comparison"], "max_local_significance": s["max_local_significance"],
                   "global_significance": s["global_significance"],
                   "assumptions": s.get("assumptions", [])} for name, s in summaries.items()}
