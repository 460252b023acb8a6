"""The kaon-mode searches for new particles, run together (``na62lab search``, ``na62lab reproduce``).

:data:`SEARCHES` names every search; :func:`run_search` runs one from its
card (shipped or user) and returns its typed summary
(:class:`~na62lab.analyses.kaon_searches_common.summary.SearchSummary`, built
from the result object; ``to_dict()`` is the JSON record) with the BR limits
(masses in GeV), the significance, the comparison with the published values
of the card and, on request, the PBC coupling readings.  :func:`reproduce`
is the ``kaon_searches`` section of ``na62lab reproduce``: every search,
its table, HEPData YAML, figures and a JSON summary.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from na62lab.errors import InputError, require
from na62lab.physics.units import GeV

if TYPE_CHECKING:
    from na62lab.analyses.kaon_searches_common.summary import ComparisonRow, CouplingReading, SearchSummary

    Pbc = tuple[tuple[CouplingReading, ...], tuple[str, ...], str]
    """PBC readings, notes and the source of their input limits."""

SEARCHES = ("pi-x", "pi0-invisible", "pi-a-gammagamma", "pi-x-mumu", "hnl-e", "hnl-mu", "hnl-pi-e")
"""Names accepted by :func:`run_search` (and ``na62lab search``)."""


def search_card(name: str, card: str | Path | None = None, displaced: bool = False):
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


COMPARISON_MASS_TOLERANCE = (1.0, 0.01)
"""A published point is compared with our limit at the nearest of our masses only if that mass is within
max(1 MeV, 1 %) of it: with ``--mass 0.1 --mass 0.2`` the pi-x point at 50 MeV was compared with our
100 MeV limit and printed as a 0.1 GeV row."""


def comparison(summary: SearchSummary, card) -> tuple[ComparisonRow, ...]:
    """Our limits at the card's published points: mass (GeV), ours, published, ratio.

    Points with none of our masses within :data:`COMPARISON_MASS_TOLERANCE` are left out.
    """
    from na62lab.analyses.kaon_searches_common.summary import ComparisonRow

    rows = []
    for pt in card.published.points:
        curve = summary.u2 if pt.quantity == "U2" and summary.u2 is not None else summary.limits
        masses = summary.limits.masses_gev * GeV
        if masses.size == 0:
            continue
        i = int(np.argmin(np.abs(masses - pt.mass_mev)))
        absolute_mev, relative = COMPARISON_MASS_TOLERANCE
        if abs(masses[i] - pt.mass_mev) > max(absolute_mev, relative * pt.mass_mev):
            continue
        ours, exp = float(curve.observed[i]), float(curve.expected[i])
        rows.append(ComparisonRow(float(masses[i] / GeV), pt.quantity, ours, exp, pt.value, ours / pt.value, pt.note))
    return tuple(rows)


MAX_EXPOSURE = 1e6
"""Largest ``--exposure`` of a search projection (pi-x-mumu runs in seconds there, 1e9 in minutes)."""


EXPECTED_SOURCE = "simulated expected limits (median, this reproduction)"


def _pbc(name: str, card, result, limits=None, limits_table: str | None = None) -> Pbc:
    """PBC readings from a recast published table (``limits``) if given, else from the expected limits.

    Each reading says its ``source``; the simulated "observed" limits come
    from pseudo-data and are not used for the planes.
    """
    from na62lab.analyses.kaon_searches_common import engine as eng
    from na62lab.analyses.kaon_searches_common.interpretation import interpret
    from na62lab.analyses.kaon_searches_common.summary import CouplingReading

    if limits is not None:
        return _pbc_recast(name, card, limits, limits_table)
    if name == "pi0-invisible":
        masses, limit, p_q = result.x_masses, result.x_expected["median"], result.x_p_quantiles
    else:
        model = eng.resolution_model(card, result.masses)
        masses, limit, p_q = result.masses, result.expected["median"], model.at(model.p_quantiles, result.masses)
    readings, notes = interpret(card.interpretations, masses, limit, p_q, card.lifetime)
    return tuple(CouplingReading.from_limit(r, EXPECTED_SOURCE) for r in readings), tuple(notes), EXPECTED_SOURCE


def _pbc_recast(name: str, card, limits, limits_table) -> Pbc:
    from na62lab.analyses.kaon_searches_common.summary import CouplingReading
    from na62lab.analyses.recast import momenta, read_limits, recast_table

    require(name != "pi0-invisible", "--limits", str(limits), "a peak search (pi0-invisible has no recast)")
    try:
        table = read_limits(limits, limits_table)
    except InputError as exc:       # the search's option is --limits-table (recast's is --table)
        if exc.field != "--table":
            raise
        raise InputError("--limits-table", exc.value, exc.allowed) from None
    source = f"recast of BR-limit table {table.source}"
    readings, notes = [], list(table.notes)
    for interp in card.interpretations:
        try:
            r = recast_table(table, interp, card.lifetime, momenta(card, table.masses_mev))
        except InputError as exc:
            notes.append(f"{interp.benchmark} ({interp.model}): skipped, {exc}")
            continue
        readings.append(CouplingReading.from_limit(r.limit, source))
        notes.extend(n for n in r.notes if n not in notes)
    return tuple(readings), tuple(notes), source


def run_search(name: str, card: str | Path | None = None, lifetime_ns: float | None = None,
               masses_gev=None, pbc: bool = False, displaced: bool = False,
               exposure: float | None = None, limits: str | Path | None = None,
               limits_table: str | None = None) -> tuple[object, SearchSummary]:
    """Run search ``name``; returns (result object, its typed summary; ``summary.to_dict()`` is the JSON record).

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
    exposure : float, optional
        Projection: scale the decays and backgrounds of the card by this factor.
    limits, limits_table : str or Path, str, optional
        A published limit table (HEPData YAML or CSV; table name in a
        submission) recast for the PBC readings instead of the simulated
        expected limits (:mod:`na62lab.analyses.recast`).
    """
    c = search_card(name, card, displaced)
    if exposure is not None:     # 1e9 on pi-x-mumu ran > 2 min, 1e300 overflowed the Poisson sums (exit 70)
        require(not np.isfinite(exposure) or exposure <= MAX_EXPOSURE, "exposure", exposure,
                f"a projection factor up to {MAX_EXPOSURE:.0e} on the card's decays and backgrounds")
        from na62lab.analyses import pi0_invisible
        from na62lab.analyses.kaon_searches_common.engine import projected

        c = pi0_invisible.projected(c, exposure) if name == "pi0-invisible" else projected(c, exposure)
    masses = None if masses_gev is None else np.asarray(masses_gev, dtype=float) * GeV
    result = _run(name, c, masses, lifetime_ns)
    s = result.summary()
    # the card's published points are for its prompt (visible) or stable (invisible) X and its own exposure:
    # a limit at another lifetime or exposure is not compared with them (tau = 0.1 ns read 2.6x "published")
    compared = exposure is None and lifetime_ns is None
    s = replace(s, comparison=comparison(s, c) if compared else (), projection=exposure is not None,
                details={**s.details, "exposure": exposure})
    if pbc:
        base = result if lifetime_ns is None else _run(name, c, masses, None)
        readings, notes, source = _pbc(name, c, base, limits, limits_table)
        s = replace(s, readings=readings, pbc_notes=notes, pbc_source=source)
    return result, s


def _dump_lines(out_dir: Path) -> dict[str, list]:
    """Beam-dump exclusion contours (mass GeV, coupling) by PBC benchmark, if that section has run."""
    import json

    from na62lab.yields.dump_contours import contour_lines

    lines: dict[str, list] = {}
    for path in sorted((Path(out_dir) / "beam_dump").glob("BC*.json")):
        res = json.loads(path.read_text())
        m, g = contour_lines(res.get("excluded_ranges", []))
        if m.size:
            lines.setdefault(res.get("pbc", path.stem.split("_")[0]), []).append(
                (m, g, f"beam dump, N_POT = {res.get('n_pot', 0):.2g} "
                       f"({'expected' if res.get('projection') else 'observed'})"))
    return lines


def _short(source: str) -> str:
    """Legend text of a reading's source."""
    src = source or EXPECTED_SOURCE
    return "expected (simulated)" if src == EXPECTED_SOURCE else "recast " + Path(src.split()[-1]).name


def pbc_planes(summaries: dict[str, SearchSummary], out_dir: Path, folder: Path, workers: int = 1) -> list[Path]:
    """One figure per PBC benchmark with every kaon-mode reading and the beam-dump contours when present
    (drawn on ``workers`` local processes)."""
    from na62lab.infra import map_shards
    from na62lab.results.search_report import pbc_figure

    by_bc: dict[str, list[CouplingReading]] = {}
    for s in summaries.values():
        for r in s.readings:
            by_bc.setdefault(r.benchmark, []).append(replace(r, label=f"{s.title}: {_short(r.source)}"))
    dump = _dump_lines(out_dir)
    args = [(readings, folder / f"{bc}.png", dump.get(bc, []),
             f"{bc} ({readings[0].model}): kaon mode" + (" and beam dump" if bc in dump else ""))
            for bc, readings in sorted(by_bc.items())]
    return [p for p in map_shards(pbc_figure, args, workers) if p is not None]


def _extras(console) -> dict:
    """Lifetime dependence of K+ -> pi+ X, the three-body searches and the pi0 veto projection."""
    from rich.table import Table

    from na62lab.analyses import hnl, pi0_invisible, pi_x

    scan = pi_x.lifetime_scan(pi_x.run())
    three = {k: hnl.three_body_limits(k) for k in ("nununu", "nuX")}
    veto = pi0_invisible.simulated_background(pi0_invisible.load(), n=200_000)
    t = Table(title="Three-body searches (K+ -> mu+ sample; simplified counting)")
    for col in ("mode", "m_X [GeV]", "observed", "expected", "published"):
        t.add_column(col)
    t.add_row("mu+ nu nu nubar", "-", f"{three['nununu']['observed_limit'][0]:.3g}",
              f"{three['nununu']['expected_limit'][0]:.3g}", "1.0e-6 (PLB 816 (2021) 136259)")
    for i in range(0, three["nuX"]["masses_mev"].size, 9):
        t.add_row("mu+ nu X", f"{three['nuX']['masses_mev'][i] / GeV:.3f}", f"{three['nuX']['observed_limit'][i]:.3g}",
                  f"{three['nuX']['expected_limit'][i]:.3g}", "O(1e-5)-O(1e-7)")
    console.print(t)
    console.print(f"  three-body searches: {three['nununu']['note']}")
    console.print(f"  pi0 -> gamma gamma with both photons missed (kaon fast simulation, 2e5 K+ -> pi+ pi0, "
                  f"{veto['orientations']} decay orientations per event, n_eff {veto['effective_events']:.0f}): "
                  f"P = {veto['p_both_missed']:.2g} +- {veto['p_both_missed_err']:.2g}, i.e. "
                  f"{veto['background_events']:.3g} events for 4e9 pi0 (published data-driven: 10 +22 -8); "
                  "the reproduction uses the published number.  Missing physics in the projection: the card's "
                  "LKr/IRC/SAC inefficiency tables are order-of-magnitude values; ~45 % of it is one photon lost "
                  "through the vacuum-tank wall with the other missed by the LKr, ~35 % a photon merged with the pi+ "
                  "LKr cluster (only E/p >= 0.8 rejected; NA62's full calorimetric PID rejects more)")
    return {"pi_x_lifetimes": scan, "three_body": three, "pi0_veto_projection": veto}


def _reproduce_search(name: str, folder: Path) -> tuple[SearchSummary, int]:
    """Run search ``name`` with its PBC readings and write its JSON, HEPData and figures into ``folder``
    (a worker task of :func:`reproduce`, which prints the tables); returns the summary and the number of files."""
    from na62lab.results.search_report import write_search_outputs

    _, summary = run_search(name, pbc=True)
    return summary, len(write_search_outputs(summary, folder))


def reproduce(out_dir: Path, console) -> dict:
    """The ``kaon_searches`` section of ``na62lab reproduce``: every search, tables, figures, HEPData."""
    from na62lab.infra import map_shards
    from na62lab.results.io import write_json
    from na62lab.results.search_report import print_tables

    out = Path(out_dir) / "kaon_searches"
    summaries = {}
    # one task per search on the worker pool (each search has its own seeded random streams: the same
    # numbers for any number of workers); the tables are printed here, in the order of SEARCHES
    done = map_shards(_reproduce_search, [(name, out / name) for name in SEARCHES], workers=2)
    for name, (summary, n_files) in zip(SEARCHES, done):
        print_tables(summary, console)
        console.print(f"  wrote {n_files} files under {out / name}")
        summaries[name] = summary
    extras = _extras(console)
    write_json(out / "extras.json", extras)
    planes = pbc_planes(summaries, Path(out_dir), out / "pbc", workers=2)
    console.print(f"  wrote {len(planes)} PBC-plane figures under {out / 'pbc'}")
    return {"searches": {name: {"comparison": [r.to_dict() for r in s.comparison],
                                "max_local_significance": s.max_local_significance,
                                "global_significance": s.global_significance,
                                "assumptions": list(s.assumptions)} for name, s in summaries.items()},
            "three_body": {k: {"observed_limit": v["observed_limit"], "masses_mev": v["masses_mev"]}
                           for k, v in extras["three_body"].items()},
            "pi0_veto_projection": extras["pi0_veto_projection"]}
