"""Outputs of a beam-dump result (:class:`~na62lab.analyses.beam_dump_result.DumpSensitivity`): the PBC-plane
figure, the HEPData tables and the JSON + HEPData pair written with one provenance block.

Split from :mod:`na62lab.analyses.beam_dump` (which re-exports these names); the figure draws the contours of
:func:`na62lab.yields.dump_contours.contour_lines` per island of consecutive masses, open edges (the grid
boundary, not a limit) marked with arrows and dotted lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from na62lab.analyses.beam_dump_result import DumpSensitivity, OpenEdges
from na62lab.yields.dump_contours import contour_lines, split_islands


def read_overlay(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """(masses GeV, couplings) of a drawn curve: :func:`na62lab.results.overlay.read_overlay`, >= 2 rows."""
    from na62lab.results.overlay import read_overlay as read

    masses, couplings, _ = read(path, "coupling", min_rows=2)
    return masses, couplings


def contour_islands(ranges: list[dict], masses_gev=None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`contour_lines` per island of consecutive grid masses, the closed polygons separated by NaN
    (matplotlib breaks lines and fills there), so regions apart in mass are not joined by straight lines.
    Islands as :func:`na62lab.yields.dump_contours.split_islands`: a polygon closes at its tips (the masses
    where the expected events cross the limit) when the ranges have them.

    Parameters
    ----------
    ranges : list of dict
        Excluded ranges (``mass_gev``, ``coupling_min``, ``coupling_max``), one per excluded mass.
    masses_gev : array_like, optional
        The mass grid (GeV) the ranges were computed on; without it, one polygon as before.
    """
    if not ranges or masses_gev is None:
        return contour_lines(ranges)
    parts = [contour_lines(chunk) for chunk in split_islands(ranges, masses_gev)]
    nan = np.array([np.nan])
    m = np.concatenate([x for p in parts for x in (p[0], nan)][:-1])
    g = np.concatenate([x for p in parts for x in (p[1], nan)][:-1])
    return m, g


def _y(values, square: bool):
    return np.asarray(values) ** 2 if square else np.asarray(values)


def exclusion_figure(result: DumpSensitivity, path: str | Path, overlays: Sequence[str | Path] = (),
                     experiment: str = "") -> Path:
    """PBC-plane figure: observed contour, expected median with +-1/2 sigma bands, overlays; the title names
    ``experiment`` (the card's display name; default ``result.experiment``, else the card's name)."""
    from na62lab.analyses.beam_dump import model_plane
    from na62lab.results.figures import new_figure, save_png
    from na62lab.results.style import MASS_LABEL, band_label, draw_published, overlay_label, upright_symbol_ylabel

    style = model_plane(result.style_spec, result.coupling_name)
    sq = style["square"]
    fig, ax = new_figure(7.5, 5.5)
    # nested regions: minus2 contains minus1 contains median contains plus1 contains plus2
    bands = result.expected_bands
    lim = result.limits
    for key, colour, label in (("minus2", "#ffdd44", band_label(2, lim.minus2, lim.plus2)),
                               ("minus1", "#44bb44", band_label(1, lim.minus1, lim.plus1)),
                               ("plus1", "#ffdd44", None), ("plus2", "white", None)):
        m, g = contour_islands(bands[key], result.masses_gev)
        if m.size:
            ax.fill(m, _y(g, sq), color=colour, lw=0, label=label)
    m, g = contour_islands(bands.median, result.masses_gev)
    if m.size:
        ax.plot(m, _y(g, sq), ls="--", color="k", label="expected (median)")
    m, g = contour_islands(result.excluded_ranges, result.masses_gev)
    if m.size and not result.projection:
        ax.plot(m, _y(g, sq), color="C3", lw=2, label=f"observed {int(result.cl * 100)}% CL")
    _mark_open_edges(ax, result.excluded_ranges, sq, result.open_edges)
    for i, path_ in enumerate(overlays):
        om, og = read_overlay(path_)
        draw_published(ax, om, og, overlay_label(path_), color=f"C{i + 4}")
    kind = "projection, expected only" if result.projection else "observed and expected"
    who = experiment or result.experiment or result.card      # the title said which model, not which experiment
    ax.set(xscale="log", yscale="log", xlabel=MASS_LABEL, ylabel=style["ylabel"],
           title=f"{who}: {result.pbc} {result.model}, N_POT = {result.n_pot:.3g} ({kind})".replace(":  ", ": "))
    upright_symbol_ylabel(ax)
    ax.legend(fontsize=9, loc="upper right")
    return save_png(fig, path)


def _mark_open_edges(ax, ranges: list[dict], square: bool, open_edges: OpenEdges | None = None,
                     colour: str = "C3", labelled: bool = True) -> bool:
    """Arrows on the edges that are the grid boundary (the region continues beyond the grid):
    upper/lower coupling edges per mass, and the first/last mass of the grid (``open_edges``).

    ``colour``: that of the contour they belong to; ``labelled``: one legend entry per kind (False in a
    figure of several experiments, which adds one entry for all).  Returns whether any edge was marked.
    """
    up = [(r["mass_gev"], r["coupling_max"]) for r in ranges if r.get("open_upper")]
    down = [(r["mass_gev"], r["coupling_min"]) for r in ranges if r.get("open_lower")]
    marked = False
    for pts, marker, label in ((up, "^", "open: region continues above the grid"),
                               (down, "v", "open: region continues below the grid")):
        if pts:
            m, g = np.array(pts).T
            ax.plot(m, _y(g, square), ls=":", color=colour, marker=marker, ms=4, label=label if labelled else None)
            marked = True
    for key, row, marker in (("low_mass", 0, "<"), ("high_mass", -1, ">")):
        if ranges and open_edges is not None and getattr(open_edges, key):
            r = ranges[row]
            g = np.geomspace(r["coupling_min"], r["coupling_max"], 5)
            label = f"open: region continues {'below' if row == 0 else 'above'} the mass grid"
            ax.plot(np.full(g.shape, r["mass_gev"]), _y(g, square), ls=":", color=colour, marker=marker, ms=4,
                    label=label if labelled else None)
            marked = True
    return marked


def hepdata_tables(result: DumpSensitivity) -> dict:
    """HEPData tables (stem -> (description, table)): observed and expected edges vs mass."""
    from na62lab.results.hepdata import hepdata_table

    out = {}
    sets = {f"expected_{k}": v for k, v in result.expected_bands.items()}
    if not result.projection:
        sets = {"observed": result.excluded_ranges, **sets}
    for name, ranges in sets.items():
        if not ranges:
            continue
        quals = {"CL": f"{result.cl:.0%}"}
        table = hepdata_table(
            {"name": "mass", "units": "GeV", "values": [r["mass_gev"] for r in ranges]},
            [{"name": f"{result.coupling_name} lower edge", "units": "",
              "values": [r["coupling_min"] for r in ranges],
              "qualifiers": {**quals, "open edge": _open_text(ranges, "open_lower", "lowest")}},
             {"name": f"{result.coupling_name} upper edge", "units": "",
              "values": [r["coupling_max"] for r in ranges],
              "qualifiers": {**quals, "open edge": _open_text(ranges, "open_upper", "highest")}},
             {"name": "lower edge open (1: grid boundary, not a limit)", "units": "",
              "values": [int(r.get("open_lower", False)) for r in ranges]},
             {"name": "upper edge open (1: grid boundary, not a limit)", "units": "",
              "values": [int(r.get("open_upper", False)) for r in ranges]},
             {"name": "closing mass (1: the expected events cross the limit here, lower = upper edge)",
              "units": "", "values": [int(bool(r.get("tip", False))) for r in ranges]}])
        stem = f"{result.pbc or result.model}_{_tag(result)}_{name}"
        out[stem] = (f"{result.model} {name} exclusion edges, N_POT = {result.n_pot:.3g} "
                     f"(na62lab fast simulation, approximate)", table)
    return out


def _open_text(ranges: list[dict], key: str, where: str) -> str:
    n = sum(bool(r.get(key)) for r in ranges)
    return ("none: every edge is a limit" if n == 0 else
            f"{n} of {len(ranges)} masses: the region reaches the {where} grid coupling there "
            f"(column '{key.replace('_', ' ')}' = 1); that edge is the grid boundary, not a limit")


def _tag(result: DumpSensitivity) -> str:
    """The exposure in file names: N_POT 1.4e17 -> ``1p4e17``."""
    return f"{result.n_pot:.1e}".replace("+", "").replace(".", "p")


def write_result(result: DumpSensitivity, json_path: str | Path, hepdata_dir: str | Path, card: str | Path) -> Path:
    """Write ``json_path`` (the result with a provenance block: ``card``, the shipped name or YAML path the card
    was loaded from, with its SHA-256 and seeds; the exposure N_POT) and the HEPData submission
    (:func:`hepdata_tables`) in ``hepdata_dir`` with the same provenance; return the JSON path."""
    from na62lab.results.hepdata import write_hepdata
    from na62lab.results.io import write_json
    from na62lab.results.provenance import stamp

    record = stamp(result.to_dict(), cards=[card], exposure={"n_pot": result.n_pot})
    path = write_json(json_path, record)
    write_hepdata(hepdata_dir, hepdata_tables(result), provenance=record["provenance"])
    return path
