"""Tables, figures and HEPData YAML of the kaon-mode searches.

Input: the JSON-able summary of :func:`na62lab.analyses.kaon_searches.run_search`
(masses in GeV, limits on the branching ratio, optional ``u2``, ``k_pi_x``
and ``pbc`` blocks).  Every file is written atomically.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.table import Table

from na62lab.results.figures import new_figure, save_png
from na62lab.results.hepdata import hepdata_table, write_hepdata
from na62lab.results.io import write_json
from na62lab.results.overlay import read_overlay  # noqa: F401  (re-exported: the one overlay reader)
from na62lab.results.provenance import stamp
from na62lab.results.style import MASS_LABEL, coupling_label, coupling_text, draw_published


def _quantity(summary: dict) -> str:
    return "BR" if summary["search"] != "pi0-invisible" else "BR(pi0 -> invisible)"


def summary_table(summary: dict, rows: int = 8) -> Table:
    """A rich table: limits at a few masses, significance (masses in GeV).

    For pi0 -> invisible the table has the BR(pi0 -> invisible) limit and, below it, the
    BR(K+ -> pi+ X) reading that its figure shows.
    """
    t = Table(title=f"{summary['title']}: 90% CL upper limits ({_quantity(summary)})")
    for col in ("mass [GeV]", "observed", "expected", "expected -1 sigma", "expected +1 sigma"):
        t.add_column(col, justify="right")
    _limit_rows(t, summary, summary, rows)
    if summary["search"] == "pi0-invisible" and summary.get("k_pi_x"):
        t.add_section()
        t.add_row("BR(K+ -> pi+ X):", "", "", "", "")
        _limit_rows(t, summary["k_pi_x"], summary["k_pi_x"], rows)
    t.caption = (f"max local Z = {summary['max_local_significance']:.2f}, "
                 f"global Z = {summary['global_significance']:.2f}")
    return t


def _limit_rows(t: Table, block: dict, summary: dict, rows: int) -> None:
    m = np.asarray(block["masses_gev"])
    idx = np.unique(np.linspace(0, m.size - 1, min(rows, m.size)).astype(int))
    band = np.asarray(block["expected_band_1sigma"]).reshape(-1, 2)
    for i in idx:
        t.add_row(f"{m[i]:.4f}", f"{block['observed_limit'][i]:.3g}", f"{block['expected_limit'][i]:.3g}",
                  f"{band[i, 0]:.3g}", f"{band[i, 1]:.3g}")


def comparison_table(summary: dict) -> Table:
    """Ours vs published at the card's published points."""
    t = Table(title=f"{summary['title']}: comparison with the published result")
    for col in ("mass [GeV]", "quantity", "ours (observed)", "ours (expected)", "published", "ratio", "note"):
        t.add_column(col)
    for r in summary.get("comparison", []):
        t.add_row(f"{r['mass_gev']:.4f}", r["quantity"], f"{r['observed']:.3g}", f"{r['expected']:.3g}",
                  f"{r['published']:.3g}", f"{r['ratio_observed']:.2f}", r["note"])
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


def limit_figure(summary: dict, path: str | Path, overlays=(), u2: bool = False) -> Path:
    """Limit vs mass (GeV) with the expected bands, published points (legend: reference) and overlays.

    For pi0 -> invisible the figure is the BR(K+ -> pi+ X) reading (its table lists the same block).
    A projection (``summary["observed"]["note"]`` starting with "projection") is labelled expected.
    """
    pi0 = summary["search"] == "pi0-invisible"
    block = summary["k_pi_x"] if pi0 else summary["u2"] if u2 else summary
    m = np.asarray(block.get("masses_gev", summary["masses_gev"]))
    projection = str(summary.get("observed", {}).get("note", "")).startswith("projection")
    fig, ax = new_figure()
    _band_plot(ax, m, np.asarray(block["observed_limit"]), np.asarray(block["expected_limit"]),
               np.asarray(block["expected_band_1sigma"]).reshape(-1, 2),
               np.asarray(block["expected_band_2sigma"]).reshape(-1, 2),
               "projection: Poisson pseudo-data (na62lab)" if projection else "observed (na62lab)")
    points = [r for r in summary.get("comparison", []) if (r["quantity"] == "U2") == u2 and not pi0]
    for i, r in enumerate(points):
        ax.plot(r["mass_gev"], r["published"], "r*", ms=11,
                label=f"published: {r.get('note') or 'NA62'}" if i == 0 else None)
    for x, y, label in overlays:
        draw_published(ax, np.asarray(x), y, label)
    ax.set_yscale("log")
    ax.set_xlabel(MASS_LABEL)
    quantity = (r"BR($K^+\to\pi^+X$)" if pi0 else coupling_label("U2") if u2 else "BR")
    ax.set_ylabel(f"{quantity} upper limit (90% CL)")
    ax.set_title(f"{summary['title']}: " + (r"$K^+\to\pi^+X$ reading" if pi0 else "upper limits"))
    ax.legend()
    return save_png(fig, path)


PBC_AXES = {"BC2": (coupling_label("epsilon"), False), "BC4": (coupling_label("theta"), False),
            "BC6": (coupling_label("U2_e"), False), "BC7": (coupling_label("U2_mu"), False),
            "BC10": (coupling_label("g_Y"), False), "BC11": (coupling_label("inv_fG_GeV^-1"), False)}
"""y-axis label and whether the model coupling is squared on the plot.  The coupling is the model's own
everywhere (CLI, tables, JSON, figures); the dark scalar is theta, not sin^2 theta (see results.style)."""


def pbc_figure(readings: list[dict], path: str | Path, lines=(), title: str = "") -> Path | None:
    """One PBC plane: excluded coupling bands of kaon-mode readings (same benchmark) and other curves.

    Parameters
    ----------
    readings : list of dict
        ``CouplingLimit.to_dict()`` of one benchmark (masses in GeV).
    lines : iterable of (masses GeV, couplings, label)
        Curves in the model's coupling convention (e.g. beam-dump contours, published overlays).

    A reading whose note says the exclusion reaches the edge of the coupling grid has that
    flat upper edge drawn dotted and labelled open (it is the grid, not a physics boundary).
    """
    shown = [r for r in readings if np.isfinite(np.asarray(r["excluded_lower"], float)).any()]
    if not shown and not lines:
        return None
    bc = (shown or readings)[0]["benchmark"] if (shown or readings) else ""
    ylabel, square = PBC_AXES.get(bc, ("coupling", False))
    power = 2 if square else 1
    fig, ax = new_figure()
    open_label: str | None = "grid edge (open: the region continues)"
    for r in shown:
        m, lo, hi = _breaks(np.asarray(r["masses_gev"]), np.asarray(r["excluded_lower"], float),
                            np.asarray(r["excluded_upper"], float))
        ax.fill_between(m, lo**power, hi**power, where=np.isfinite(lo), alpha=0.4,
                        label=f"{r.get('search', 'kaon mode')} (90% CL)")
        if "edge of the coupling grid" in r.get("note", "") and np.isfinite(hi).any():
            top = np.isclose(hi, np.nanmax(hi), rtol=1e-9)       # upper edge = last coupling of the grid
            ax.plot(m, np.where(top, hi, np.nan) ** power, ls=":", color="k", lw=2, label=open_label)
            open_label = None
    for x, y, label in lines:
        ax.plot(np.asarray(x), np.asarray(y, float) ** power, ls="-" if "expected" not in label else "--",
                lw=1.5, label=label)
    ax.set(xscale="log", yscale="log", xlabel=MASS_LABEL, ylabel=ylabel)
    ax.set_title(title or f"{bc}: kaon-mode exclusions")
    ax.legend()
    return save_png(fig, path)


def coupling_figures(summary: dict, folder: str | Path, overlays=()) -> list[Path]:
    """One PBC-plane figure per reading of a search (``{search}_{BC}.png``); overlays in the model convention."""
    out = []
    for r in summary.get("pbc", {}).get("readings", []):
        lines = [(x, y, f"published: {label}") for x, y, label in overlays]
        p = pbc_figure([{**r, "search": summary["title"]}], Path(folder) / f"{summary['search']}_{r['benchmark']}.png",
                       lines, f"{r['benchmark']} ({r['model']}) from {summary['title']}")
        if p is not None:
            out.append(p)
    return out


def _limits_table(masses_gev, block: dict, name: str, units: str = "") -> dict:
    b1 = np.asarray(block["expected_band_1sigma"]).reshape(-1, 2)
    b2 = np.asarray(block["expected_band_2sigma"]).reshape(-1, 2)
    q = {"CL": "90%"}
    exp = np.asarray(block["expected_limit"], float)
    return hepdata_table({"name": "mass", "units": "GeV", "values": list(masses_gev)},
                         [{"name": f"observed {name}", "units": units, "values": list(block["observed_limit"]),
                           "qualifiers": q},
                          {"name": f"expected {name}", "units": units, "values": list(exp), "qualifiers": q,
                           "errors": [(e - lo, hi - e) for e, (lo, hi) in zip(exp, b1)]},
                          {"name": f"expected {name} +-2 sigma", "units": units, "values": list(exp), "qualifiers": q,
                           "errors": [(e - lo, hi - e) for e, (lo, hi) in zip(exp, b2)]}])


def hepdata_tables(summary: dict) -> dict[str, tuple[str, dict]]:
    """HEPData tables of a summary: BR limits, |U|^2 limits, the K+ -> pi+ X reading, coupling bands."""
    note = "na62lab reproduction (approximate; assumptions in the card): "
    tables = {f"{summary['search']}_limits": (note + summary["title"] + ", 90% CL upper limits",
                                               _limits_table(summary["masses_gev"], summary, _quantity(summary)))}
    if "u2" in summary:
        tables[f"{summary['search']}_u2"] = (note + "mixing |U|^2 upper limits",
                                             _limits_table(summary["masses_gev"], summary["u2"], "|U|^2"))
    if "k_pi_x" in summary:
        tables["k_pi_x_from_pi0_invisible"] = (note + "BR(K+ -> pi+ X) from pi0 -> invisible",
                                               _limits_table(summary["k_pi_x"]["masses_gev"], summary["k_pi_x"],
                                                             "BR(K+ -> pi+ X)"))
    for r in summary.get("pbc", {}).get("readings", []):
        ok = np.isfinite(np.asarray(r["excluded_lower"], float))
        if ok.any():
            m = np.asarray(r["masses_gev"])[ok]
            tables[f"{summary['search']}_{r['benchmark']}"] = (
                note + f"{r['benchmark']} ({r['model']}) excluded {coupling_text(r['coupling'])} interval",
                hepdata_table({"name": "mass", "units": "GeV", "values": list(m)},
                              [{"name": f"{coupling_text(r['coupling'])} excluded lower edge", "values":
                                list(np.asarray(r["excluded_lower"], float)[ok]), "qualifiers": {"CL": "90%"}},
                               {"name": f"{coupling_text(r['coupling'])} excluded upper edge", "values":
                                list(np.asarray(r["excluded_upper"], float)[ok]), "qualifiers": {"CL": "90%"}}]))
    return tables


def _shipped_card(search: str) -> list[str]:
    """The shipped card of a search (``na62_search_<name>``) when there is one, for the provenance."""
    from na62lab.config.base import card_names

    name = "na62_search_" + search.replace("-", "_")
    return [name] if name in card_names() else []


def write_search_outputs(summary: dict, folder: str | Path, console=None, overlays=()) -> list[Path]:
    """Print the tables and write JSON, HEPData YAML and figures of one search into ``folder``."""
    folder = Path(folder)
    if console is not None:
        console.print(summary_table(summary))
        if summary.get("comparison"):
            console.print(comparison_table(summary))
        for line in summary.get("assumptions", []):
            console.print(f"  [dim]assumed:[/dim] {line}")
    files = [write_json(folder / f"{summary['search']}.json", stamp(summary, cards=_shipped_card(summary["search"])))]
    files += write_hepdata(folder / "hepdata", hepdata_tables(summary))
    if summary["search"] != "pi0-invisible":
        files.append(limit_figure(summary, folder / f"{summary['search']}_limits.png", overlays))
    elif summary.get("k_pi_x"):
        files.append(limit_figure(summary, folder / f"{summary['search']}_k_pi_x_limits.png", overlays))
    if "u2" in summary:
        files.append(limit_figure(summary, folder / f"{summary['search']}_u2.png", overlays, u2=True))
    files += coupling_figures(summary, folder, overlays)
    if console is not None:
        console.print(f"  wrote {len(files)} files under {folder}")
    return files
