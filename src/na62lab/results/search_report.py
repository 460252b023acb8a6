"""Tables, figures and HEPData YAML of the kaon-mode searches.

Input: the JSON-able summary of :func:`na62lab.analyses.kaon_searches.run_search`
(masses in GeV, limits on the branching ratio, optional ``u2``, ``k_pi_x``
and ``pbc`` blocks).  Every file is written atomically.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.table import Table

from na62lab.errors import InputError
from na62lab.results.figures import new_figure, save_png
from na62lab.results.hepdata import hepdata_table, write_hepdata
from na62lab.results.io import write_json


def read_overlay(path: str | Path) -> tuple[np.ndarray, np.ndarray, str]:
    """A published curve to overlay: two columns (mass in GeV, value), '#' comments, commas or spaces.

    Returns (masses GeV, values, label = file stem).  Raises InputError on a
    missing or malformed file.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("overlay", str(path), "an existing text/CSV file with two columns: mass (GeV), value")
    try:
        data = np.loadtxt(p, delimiter="," if p.suffix == ".csv" else None, comments="#", ndmin=2)
    except ValueError:
        raise InputError("overlay", str(path), "numeric columns: mass (GeV), value") from None
    if data.shape[1] < 2 or data.shape[0] < 1:
        raise InputError("overlay", str(path), "at least one row with two columns: mass (GeV), value")
    return data[:, 0], data[:, 1], p.stem


def _quantity(summary: dict) -> str:
    return "BR" if summary["search"] != "pi0-invisible" else "BR(pi0 -> invisible)"


def summary_table(summary: dict, rows: int = 8) -> Table:
    """A rich table: limits at a few masses, significance, comparison with the published values."""
    t = Table(title=f"{summary['title']}: 90% CL upper limits ({_quantity(summary)})")
    for col in ("m (GeV)", "observed", "expected", "-1 sigma", "+1 sigma"):
        t.add_column(col, justify="right")
    m = np.asarray(summary["masses_gev"])
    idx = np.unique(np.linspace(0, m.size - 1, min(rows, m.size)).astype(int))
    band = np.asarray(summary["expected_band_1sigma"]).reshape(-1, 2)
    for i in idx:
        t.add_row(f"{m[i]:.4f}", f"{summary['observed_limit'][i]:.3g}", f"{summary['expected_limit'][i]:.3g}",
                  f"{band[i, 0]:.3g}", f"{band[i, 1]:.3g}")
    t.caption = (f"max local Z = {summary['max_local_significance']:.2f}, "
                 f"global Z = {summary['global_significance']:.2f}")
    return t


def comparison_table(summary: dict) -> Table:
    """Ours vs published at the card's published points."""
    t = Table(title=f"{summary['title']}: comparison with the published result")
    for col in ("m (GeV)", "quantity", "ours (obs)", "ours (exp)", "published", "ratio", "note"):
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
    ax.fill_between(m, b2[:, 0], b2[:, 1], color="#ffdd44", label="expected +-2 sigma")
    ax.fill_between(m, b1[:, 0], b1[:, 1], color="#44bb44", label="expected +-1 sigma")
    ax.plot(m, exp, "k--", lw=1, label="expected (median)")
    ax.plot(m, obs, "k-", lw=1.5, label=label)


def limit_figure(summary: dict, path: str | Path, overlays=(), u2: bool = False) -> Path:
    """Limit vs mass with the expected bands, published points and optional overlay curves."""
    block = summary["u2"] if u2 else summary
    if summary["search"] == "pi0-invisible":
        block = summary["k_pi_x"]
    m = np.asarray(block.get("masses_gev", summary["masses_gev"])) * 1000.0
    fig, ax = new_figure()
    _band_plot(ax, m, np.asarray(block["observed_limit"]), np.asarray(block["expected_limit"]),
               np.asarray(block["expected_band_1sigma"]).reshape(-1, 2),
               np.asarray(block["expected_band_2sigma"]).reshape(-1, 2), "observed (na62lab)")
    for r in summary.get("comparison", []):
        if (r["quantity"] == "U2") == u2 and summary["search"] != "pi0-invisible":
            ax.plot(r["mass_gev"] * 1000.0, r["published"], "r*", ms=10)
    for x, y, label in overlays:
        ax.plot(np.asarray(x) * 1000.0, y, "-", lw=1.2, label=f"overlay: {label}")
    ax.set_yscale("log")
    ax.set_xlabel("mass (MeV/c$^2$)")
    ax.set_ylabel("|U|$^2$ upper limit (90% CL)" if u2 else "BR upper limit (90% CL)")
    ax.set_title(summary["title"] if summary["search"] != "pi0-invisible" else "K+ -> pi+ X (from pi0 -> invisible)",
                 fontsize=12)
    ax.legend(fontsize=8)
    return save_png(fig, path)


PBC_AXES = {"BC2": ("epsilon", False), "BC4": ("sin$^2\\theta$", True), "BC6": ("|U$_e$|$^2$", False),
            "BC7": ("|U$_\\mu$|$^2$", False), "BC10": ("g$_Y$", False), "BC11": ("1/f$_G$ (GeV$^{-1}$)", False)}
"""y-axis label and whether the model coupling is squared on the plot (PBC conventions)."""


def pbc_figure(readings: list[dict], path: str | Path, lines=(), title: str = "") -> Path | None:
    """One PBC plane: excluded coupling bands of kaon-mode readings (same benchmark) and other curves.

    Parameters
    ----------
    readings : list of dict
        ``CouplingLimit.to_dict()`` of one benchmark (masses in GeV).
    lines : iterable of (masses GeV, couplings, label)
        Curves in the model's coupling convention (e.g. beam-dump contours, published overlays).
    """
    shown = [r for r in readings if np.isfinite(np.asarray(r["excluded_lower"], float)).any()]
    if not shown and not lines:
        return None
    bc = (shown or readings)[0]["benchmark"] if (shown or readings) else ""
    ylabel, square = PBC_AXES.get(bc, ("coupling", False))
    power = 2 if square else 1
    fig, ax = new_figure()
    for r in shown:
        m, lo, hi = _breaks(np.asarray(r["masses_gev"]), np.asarray(r["excluded_lower"], float),
                            np.asarray(r["excluded_upper"], float))
        ax.fill_between(m, lo**power, hi**power, where=np.isfinite(lo), alpha=0.4,
                        label=f"{r.get('search', 'kaon mode')} (90% CL)")
    for x, y, label in lines:
        ax.plot(np.asarray(x), np.asarray(y, float) ** power, "-", lw=1.5, label=label)
    ax.set(xscale="log", yscale="log", xlabel="mass (GeV/c$^2$)", ylabel=ylabel)
    ax.set_title(title or f"{bc}: kaon-mode exclusions", fontsize=12)
    ax.legend(fontsize=8)
    return save_png(fig, path)


def coupling_figures(summary: dict, folder: str | Path, overlays=()) -> list[Path]:
    """One PBC-plane figure per reading of a search (``{search}_{BC}.png``); overlays in the model convention."""
    out = []
    for r in summary.get("pbc", {}).get("readings", []):
        lines = [(x, y, f"overlay: {label}") for x, y, label in overlays]
        p = pbc_figure([{**r, "search": summary["title"]}], Path(folder) / f"{summary['search']}_{r['benchmark']}.png",
                       lines, f"{r['benchmark']} ({r['model']}) from {summary['title']}")
        if p is not None:
            out.append(p)
    return out


def _limits_table(masses_gev, block: dict, name: str, units: str = "") -> dict:
    b1, b2 = np.asarray(block["expected_band_1sigma"]).reshape(-1, 2), np.asarray(block["expected_band_2sigma"]).reshape(-1, 2)
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
                note + f"{r['benchmark']} ({r['model']}) excluded {r['coupling']} interval",
                hepdata_table({"name": "mass", "units": "GeV", "values": list(m)},
                              [{"name": f"{r['coupling']} excluded lower edge", "values":
                                list(np.asarray(r["excluded_lower"], float)[ok]), "qualifiers": {"CL": "90%"}},
                               {"name": f"{r['coupling']} excluded upper edge", "values":
                                list(np.asarray(r["excluded_upper"], float)[ok]), "qualifiers": {"CL": "90%"}}]))
    return tables


def write_search_outputs(summary: dict, folder: str | Path, console=None, overlays=()) -> list[Path]:
    """Print the tables and write JSON, HEPData YAML and figures of one search into ``folder``."""
    folder = Path(folder)
    if console is not None:
        console.print(summary_table(summary))
        if summary.get("comparison"):
            console.print(comparison_table(summary))
        for line in summary.get("assumptions", []):
            console.print(f"  [dim]assumed:[/dim] {line}")
    files = [write_json(folder / f"{summary['search']}.json", summary)]
    files += write_hepdata(folder / "hepdata", hepdata_tables(summary))
    if summary["search"] != "pi0-invisible" or summary.get("k_pi_x"):
        files.append(limit_figure(summary, folder / f"{summary['search']}_limits.png", overlays))
    if "u2" in summary:
        files.append(limit_figure(summary, folder / f"{summary['search']}_u2.png", overlays, u2=True))
    files += coupling_figures(summary, folder, overlays)
    if console is not None:
        console.print(f"  wrote {len(files)} files under {folder}")
    return files
