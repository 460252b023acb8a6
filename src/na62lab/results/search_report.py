"""Tables, figures and HEPData YAML of the kaon-mode searches.

Input: the typed :class:`~na62lab.analyses.kaon_searches_common.summary.SearchSummary`
(or the JSON-able summary of :func:`na62lab.analyses.kaon_searches.run_search`,
read into one by :func:`~na62lab.analyses.kaon_searches_common.summary.as_summary`):
masses in GeV, limits on the branching ratio, optional |U|^2, K+ -> pi+ X and PBC
readings.  Every file is written atomically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
from rich.table import Table

from na62lab.analyses.kaon_searches_common.summary import (
    CouplingReading, LimitCurve, SearchSummary, as_reading, as_summary,
)
from na62lab.results.figures import new_figure, save_png
from na62lab.results.hepdata import hepdata_table, write_hepdata
from na62lab.results.io import write_json
from na62lab.results.overlay import read_overlay  # noqa: F401  (re-exported: the one overlay reader)
from na62lab.results.provenance import stamp
from na62lab.results.style import MASS_LABEL, coupling_label, coupling_text, draw_published

Summary = SearchSummary | Mapping
"""A typed summary, or the dict of ``run_search`` (read with ``as_summary``)."""


def is_pseudo_data(summary: SearchSummary) -> bool:
    """Whether the 'observed' limits are pseudo-data (a projection, or a card whose per-event data are not public:
    every peak search, its ``observed_data`` says so); the tables and figures say it too (they said 'observed')."""
    return summary.projection or str(summary.details.get("observed_data") or "").startswith("pseudo-data")


def summary_table(summary: Summary, rows: int = 8) -> Table:
    """A rich table: limits at a few masses, significance (masses in GeV).

    For pi0 -> invisible the table has the BR(pi0 -> invisible) limit and, below it, the
    BR(K+ -> pi+ X) reading that its figure shows.
    """
    s = as_summary(summary)
    t = Table(title=f"{s.title}: 90% CL upper limits ({s.quantity})")
    # a projection has no data: its first column is Poisson pseudo-data, as its figure says (it read 'observed')
    first = "projection: pseudo-data" if s.projection else "observed (pseudo-data)" if is_pseudo_data(s) \
        else "observed"
    for col in ("mass [GeV]", first, "expected", "expected -1 sigma", "expected +1 sigma"):
        t.add_column(col, justify="right")
    _limit_rows(t, s.limits, rows)
    if s.is_pi0_invisible and s.k_pi_x is not None:
        t.add_section()
        t.add_row("BR(K+ -> pi+ X):", "", "", "", "")
        _limit_rows(t, s.k_pi_x, rows)
    t.caption = (f"max local Z = {s.max_local_significance:.2f}, global Z = {s.global_significance:.2f}"
                 + (" (of the pseudo-data)" if is_pseudo_data(s) else ""))
    return t


def _limit_rows(t: Table, curve: LimitCurve, rows: int) -> None:
    m = curve.masses_gev
    idx = np.unique(np.linspace(0, m.size - 1, min(rows, m.size)).astype(int))
    for i in idx:
        t.add_row(f"{m[i]:.4f}", f"{curve.observed[i]:.3g}", f"{curve.expected[i]:.3g}",
                  f"{curve.band_1sigma[i, 0]:.3g}", f"{curve.band_1sigma[i, 1]:.3g}")


RATIO_COLUMN = "ours observed / published"
"""Header of the ratio column of the comparison tables: it is the observed limit's (pseudo-data for most
searches, see their 'assumed' lines), not the expected one's (the column read 'ratio')."""


def comparison_table(summary: Summary) -> Table:
    """Ours vs published at the card's published points."""
    s = as_summary(summary)
    t = Table(title=f"{s.title}: comparison with the published result")
    for col in ("mass [GeV]", "quantity", "ours (observed)", "ours (expected)", "published", RATIO_COLUMN, "note"):
        t.add_column(col)
    for r in s.comparison:
        t.add_row(f"{r.mass_gev:.4f}", coupling_text(r.quantity), f"{r.observed:.3g}", f"{r.expected:.3g}",
                  f"{r.published:.3g}", f"{r.ratio_observed:.2f}", r.note)
    return t


def _breaks(m: np.ndarray, *arrays: np.ndarray) -> list[np.ndarray]:
    """Insert NaN where the mass step jumps (a gap between scan ranges), so lines and bands break there."""
    if m.size < 3:
        return [m, *arrays]
    step = np.median(np.diff(m))
    cut = np.flatnonzero(np.diff(m) > 3 * step) + 1
    return [np.insert(np.asarray(a, float), cut, np.nan, axis=0) for a in (m, *arrays)]


def _band_plot(ax, m, obs, exp, b1, b2, label: str) -> None:
    m, obs, exp, b1, b2 = _breaks(m, obs, exp, b1, b2)
    ax.fill_between(m, b2[:, 0], b2[:, 1], color="#ffdd44", label=r"expected $\pm2\sigma$")
    ax.fill_between(m, b1[:, 0], b1[:, 1], color="#44bb44", label=r"expected $\pm1\sigma$")
    ax.plot(m, exp, "k--", lw=1, label="expected (median)")
    ax.plot(m, obs, "k-", lw=1.5, label=label)


def published_label(notes: Iterable[str]) -> str:
    """Legend text of a search's published points: the first clause their notes share, else 'NA62'.

    The notes are per mass (e.g. 'NA62 Run 1 scalar lower edge / K: theta^2_lo 9.582e-9, C 1.171e-3'); the
    legend showed the first point's whole note as if it described every point.

    Examples
    --------
    >>> published_label(["observed 90 % CL (HEPData t1); ours: a", "observed 90 % CL (HEPData t1); ours: b"])
    'observed 90 % CL (HEPData t1)'
    >>> published_label(["NA62 Run 1 edge / K: theta 1e-8, C 1e-3", "NA62 Run 1 edge / K: theta 2e-8"])
    'NA62 Run 1 edge / K'
    >>> published_label(["a", "b"])
    'NA62'
    """
    heads = {re.split(r"; |: ", n, maxsplit=1)[0].strip() for n in notes}
    return heads.pop() if len(heads) == 1 and "" not in heads else "NA62"


def limit_figure(summary: Summary, path: str | Path, overlays=(), u2: bool = False) -> Path:
    """Limit vs mass (GeV) with the expected bands, published points (legend: reference) and overlays.

    For pi0 -> invisible the figure is the BR(K+ -> pi+ X) reading (its table lists the same block).
    A projection (:attr:`SearchSummary.projection`) is labelled expected.
    """
    s = as_summary(summary)
    pi0 = s.is_pi0_invisible
    curve = s.k_pi_x if pi0 else s.u2 if u2 else s.limits
    if curve is None:
        raise ValueError(f"{s.search}: no {'K+ -> pi+ X' if pi0 else '|U|^2'} limits to draw")
    fig, ax = new_figure()
    _band_plot(ax, curve.masses_gev, curve.observed, curve.expected, curve.band_1sigma, curve.band_2sigma,
               "projection: Poisson pseudo-data (na62lab)" if s.projection
               else "observed: pseudo-data (na62lab)" if is_pseudo_data(s) else "observed (na62lab)")
    points = [r for r in s.comparison if (r.quantity == "U2") == u2 and not pi0]
    label = f"published: {published_label([r.note for r in points])}"
    for i, r in enumerate(points):
        ax.plot(r.mass_gev, r.published, "r*", ms=11, label=label if i == 0 else None)
    for x, y, label in overlays:
        draw_published(ax, np.asarray(x), y, label)
    ax.set_yscale("log")
    ax.set_xlabel(MASS_LABEL)
    quantity = (r"BR($K^+\to\pi^+X$)" if pi0 else coupling_label("U2") if u2 else "BR")
    ax.set_ylabel(f"{quantity} upper limit (90% CL)")
    ax.set_title(f"{s.title}: " + (r"$K^+\to\pi^+X$ reading" if pi0 else "upper limits"))
    ax.legend()
    return save_png(fig, path)


PBC_AXES = {"BC2": (coupling_label("epsilon"), False), "BC4": (coupling_label("theta"), False),
            "BC6": (coupling_label("U2_e"), False), "BC7": (coupling_label("U2_mu"), False),
            "BC10": (coupling_label("g_Y"), False), "BC11": (coupling_label("inv_fG_GeV^-1"), False)}
"""y-axis label and whether the model coupling is squared on the plot.  The coupling is the model's own
everywhere (CLI, tables, JSON, figures); the dark scalar is theta, not sin^2 theta (see results.style)."""


def pbc_figure(readings: Iterable[CouplingReading | Mapping], path: str | Path, lines=(),
               title: str = "") -> Path | None:
    """One PBC plane: excluded coupling bands of kaon-mode readings (same benchmark) and other curves.

    Parameters
    ----------
    readings : iterable of CouplingReading (or their dict records)
        Readings of one benchmark (masses in GeV); ``label`` names each in the legend.
    lines : iterable of (masses GeV, couplings, label)
        Curves in the model's coupling convention (e.g. beam-dump contours, published overlays).

    A reading whose note says the exclusion reaches the edge of the coupling grid has that
    flat upper edge drawn dotted and labelled open (it is the grid, not a physics boundary).
    """
    from na62lab.analyses.kaon_searches import EXPECTED_SOURCE
    from na62lab.analyses.kaon_searches_common.interpretation import GRID_EDGE_NOTE

    typed = [as_reading(r) for r in readings]
    shown = [r for r in typed if np.isfinite(r.excluded_lower).any()]
    if not shown and not lines:
        return None
    bc = (shown or typed)[0].benchmark if (shown or typed) else ""
    ylabel, square = PBC_AXES.get(bc, ("coupling", False))
    power = 2 if square else 1
    fig, ax = new_figure()
    open_label: str | None = "grid edge (open: the region continues)"
    for r in shown:
        m, lo, hi = _breaks(r.masses_gev, r.excluded_lower, r.excluded_upper)
        kind = ", expected median" if r.source == EXPECTED_SOURCE else ""    # not an observed exclusion
        ax.fill_between(m, lo**power, hi**power, where=np.isfinite(lo), alpha=0.4,
                        label=f"{r.label or 'kaon mode'} (90% CL{kind})")
        if GRID_EDGE_NOTE in r.note and np.isfinite(hi).any():
            top = np.isclose(hi, np.nanmax(hi), rtol=1e-9)       # upper edge = last coupling of the grid
            # arrows as on the dump figures: a single open mass (a dotted line needs two) was invisible while
            # its legend entry was drawn (recast and search --pbc figures of two masses)
            ax.plot(m, np.where(top, hi, np.nan) ** power, ls=":", color="k", lw=2, marker="^", ms=5,
                    label=open_label)
            open_label = None
    for x, y, label in lines:
        ax.plot(np.asarray(x), np.asarray(y, float) ** power, ls="-" if "expected" not in label else "--",
                lw=1.5, label=label)
    ax.set(xscale="log", yscale="log", xlabel=MASS_LABEL, ylabel=ylabel)
    ax.set_title(title or f"{bc}: kaon-mode exclusions")
    ax.legend()
    return save_png(fig, path)


def coupling_figures(summary: Summary, folder: str | Path, overlays=()) -> list[Path]:
    """One PBC-plane figure per reading of a search (``{search}_{BC}.png``); overlays in the model convention."""
    from dataclasses import replace

    s = as_summary(summary)
    out = []
    for r in s.readings:
        lines = [(x, y, f"published: {label}") for x, y, label in overlays]
        p = pbc_figure([replace(r, label=s.title)], Path(folder) / f"{s.search}_{r.benchmark}.png", lines,
                       f"{r.benchmark} ({r.model}) from {s.title}")
        if p is not None:
            out.append(p)
    return out


def _limits_table(curve: LimitCurve, name: str, units: str = "") -> dict:
    q = {"CL": "90%"}
    exp = curve.expected
    return hepdata_table({"name": "mass", "units": "GeV", "values": list(curve.masses_gev)},
                         [{"name": f"observed {name}", "units": units, "values": list(curve.observed),
                           "qualifiers": q},
                          {"name": f"expected {name}", "units": units, "values": list(exp), "qualifiers": q,
                           "errors": [(e - lo, hi - e) for e, (lo, hi) in zip(exp, curve.band_1sigma)]},
                          {"name": f"expected {name} +-2 sigma", "units": units, "values": list(exp), "qualifiers": q,
                           "errors": [(e - lo, hi - e) for e, (lo, hi) in zip(exp, curve.band_2sigma)]}])


def hepdata_tables(summary: Summary) -> dict[str, tuple[str, dict]]:
    """HEPData tables of a summary: BR limits, |U|^2 limits, the K+ -> pi+ X reading, coupling bands."""
    s = as_summary(summary)
    note = "na62lab reproduction (approximate; assumptions in the card): "
    tables = {f"{s.search}_limits": (note + s.title + ", 90% CL upper limits", _limits_table(s.limits, s.quantity))}
    if s.u2 is not None:
        tables[f"{s.search}_u2"] = (note + "mixing |U|^2 upper limits", _limits_table(s.u2, "|U|^2"))
    if s.k_pi_x is not None:
        tables["k_pi_x_from_pi0_invisible"] = (note + "BR(K+ -> pi+ X) from pi0 -> invisible",
                                               _limits_table(s.k_pi_x, "BR(K+ -> pi+ X)"))
    for r in s.readings:
        ok = np.isfinite(r.excluded_lower)
        if ok.any():
            name = coupling_text(r.coupling_name)
            tables[f"{s.search}_{r.benchmark}"] = (
                note + f"{r.benchmark} ({r.model}) excluded {name} interval",
                hepdata_table({"name": "mass", "units": "GeV", "values": list(r.masses_gev[ok])},
                              [{"name": f"{name} excluded lower edge", "values": list(r.excluded_lower[ok]),
                                "qualifiers": {"CL": "90%"}},
                               {"name": f"{name} excluded upper edge", "values": list(r.excluded_upper[ok]),
                                "qualifiers": {"CL": "90%"}}]))
    return tables


def _shipped_card(search: str) -> list[str]:
    """The shipped card of a search (``na62_search_<name>``) when there is one, for the provenance."""
    from na62lab.config.base import card_names

    name = "na62_search_" + search.replace("-", "_")
    return [name] if name in card_names() else []


NO_ACCEPTANCE_NOTE = ("no limit at any mass (inf): no signal is accepted at {where} (an invisible X must escape "
                      "the detector, a visible one decay in its volume)")
"""Printed under a table of infinite limits (search pi-x --lifetime-ns 0 printed a table of 'inf' alone)."""


def print_tables(summary: Summary, console) -> None:
    """Print the summary table, the comparison with the published points (if any) and the assumptions."""
    s = as_summary(summary)
    console.print(summary_table(s))
    if s.comparison:
        console.print(comparison_table(s))
    if not np.isfinite(np.asarray(s.limits.expected, float)).any():
        where = "these masses" if s.lifetime_ns is None else f"lifetime {s.lifetime_ns:g} ns"
        console.print(f"  {NO_ACCEPTANCE_NOTE.format(where=where)}")
    for line in s.assumptions:
        console.print(f"  [dim]assumed:[/dim] {line}")


def write_search_outputs(summary: Summary, folder: str | Path, console=None, overlays=(),
                         card: str | Path | None = None) -> list[Path]:
    """Print the tables and write JSON (:meth:`SearchSummary.to_dict`), HEPData YAML and figures of one search
    into ``folder``; the JSON's provenance records ``card`` (a user's YAML card), else the search's shipped
    card."""
    s = as_summary(summary)
    folder = Path(folder)
    if console is not None:
        print_tables(s, console)
    cards = [card] if card is not None else _shipped_card(s.search)
    record = stamp(s.to_dict(), cards=cards)
    files = [write_json(folder / f"{s.search}.json", record)]
    files += write_hepdata(folder / "hepdata", hepdata_tables(s), provenance=record["provenance"])
    if not s.is_pi0_invisible:
        files.append(limit_figure(s, folder / f"{s.search}_limits.png", overlays))
    elif s.k_pi_x is not None:
        files.append(limit_figure(s, folder / f"{s.search}_k_pi_x_limits.png", overlays))
    if s.u2 is not None:
        files.append(limit_figure(s, folder / f"{s.search}_u2.png", overlays, u2=True))
    files += coupling_figures(s, folder, overlays)
    if console is not None:
        console.print(f"  wrote {len(files)} files under {folder}")
    return files
