"""``na62lab recast --limits FILE --model MODEL``: a published BR-limit table in a FIP model's coupling plane."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from na62lab.cli.common import console, emit_json, sample_rows
from na62lab.cli.main import app
from na62lab.errors import require


@app.command()
def recast(
    limits: Annotated[Path, typer.Option("--limits", help="published limits: HEPData YAML table (or submission.yaml "
                                                          "with --table) or CSV (mass MeV/GeV[, lifetime], BR UL)")],
    model: Annotated[str, typer.Option("--model", help="FIP model: a shipped name, path/file.py:ClassName, "
                                                       "module:ClassName, a plug-in or a model table (.yaml/.csv)")],
    search: Annotated[Optional[str], typer.Option(
        "--search", help="search whose lifetime geometry and X momenta apply (default: the first that reads the "
                         "model, else pi-x)")] = None,
    table: Annotated[Optional[str], typer.Option("--table", help="table name inside a HEPData submission.yaml")] = None,
    production: Annotated[Optional[str], typer.Option(
        "--production", help="production channel, e.g. K+->pi+S (default: the search's reading)")] = None,
    decay: Annotated[Optional[list[str]], typer.Option(
        "--decay", help="required visible decay channel (repeat; default: the search's reading)")] = None,
    invisible: Annotated[bool, typer.Option("--invisible",
                                            help="no visible decay required (invisible search)")] = False,
    coupling_range: Annotated[Optional[str], typer.Option(
        "--coupling-range", help="LOW,HIGH of the coupling grid (model convention)")] = None,
    out: Annotated[Optional[Path], typer.Option("--out",
                                                help="write recast.json and the PBC-plane figure here")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print exactly one JSON object on stdout")] = False,
) -> None:
    """Excluded couplings of MODEL from a published BR(P+ -> d+ X) limit table (mass[, lifetime] -> UL)."""
    from na62lab.analyses.recast import recast_search

    require(not (invisible and decay), "--invisible", True, "without --decay")
    from na62lab.cli.fip_cmds import parse_range

    rng = parse_range("--coupling-range", coupling_range) if coupling_range is not None else None
    decays = [] if invisible else (list(decay) if decay else None)
    result = recast_search(limits, model, search, production, decays, table, rng)
    summary = _named(result.to_dict(), model)
    if out is not None:
        _write(summary, out, quiet=json_out, limits=limits)
    if json_out:
        emit_json(summary)
        return
    _print(summary)


def _named(summary: dict, spec: str) -> dict:
    """The record with the model by its name and its spec in ``model_spec`` (README Conventions, as every other
    record; 'model' was the spec, e.g. 'path/scalar_copy.py:ScalarCopy')."""
    from na62lab.fips import resolve_model

    out = {}
    for key, value in summary.items():
        out[key] = value
        if key == "model":
            out["model"], out["model_spec"] = resolve_model(spec).name, spec
    return out


def _write(summary: dict, out: Path, quiet: bool, limits: Path) -> None:
    """recast.json with provenance (it had none): the search card whose geometry and momenta were used, and
    the SHA-256 of the limit table read; the PBC-plane figure."""
    import hashlib

    from na62lab.results.io import write_json
    from na62lab.results.provenance import stamp
    from na62lab.results.search_report import _shipped_card, pbc_figure

    out.mkdir(parents=True, exist_ok=True)
    record = stamp(summary, cards=_shipped_card(summary["search"]))
    record["provenance"]["limits_file"] = {"path": str(limits),
                                           "sha256": hashlib.sha256(Path(limits).read_bytes()).hexdigest()}
    write_json(out / "recast.json", record)
    reading = {**summary, "search": f"{summary['search']}: {summary['source']}"}
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in Path(summary["model"]).name)  # user specs
    path = pbc_figure([reading], out / f"recast_{stem}.png",
                      title=f"{summary['benchmark']} ({summary['model']}): recast of a BR-limit table")
    if not quiet:
        console.print(f"  wrote {out / 'recast.json'}" + (f" and {path}" if path else ""))


def _print(summary: dict) -> None:
    import numpy as np
    from rich.table import Table

    from na62lab.results.style import coupling_text

    t = Table(title=f"Recast for {summary['model']} ({summary['benchmark']}): {summary['source']}")
    for col in ("mass [GeV]", f"excluded {coupling_text(summary['coupling_name'])} from", "to"):
        t.add_column(col)
    m = np.asarray(summary["masses_gev"])
    lo, hi = np.asarray(summary["excluded_lower"], float), np.asarray(summary["excluded_upper"], float)
    g0, g1 = summary.get("coupling_grid") or (np.nan, np.nan)
    for i in sample_rows(list(range(m.size)), 25):          # first and last mass included
        t.add_row(f"{m[i]:.4g}", "-" if np.isnan(lo[i]) else ("<" if lo[i] <= g0 else "") + f"{lo[i]:.3g}",
                  "-" if np.isnan(hi[i]) else (">" if hi[i] >= g1 else "") + f"{hi[i]:.3g}")
    console.print(t)
    if np.any(lo <= g0) or np.any(hi >= g1):
        console.print(f"  '<' / '>': the interval reaches the coupling grid's edge ({g0:.3g}, {g1:.3g}): the "
                      "exclusion continues beyond it (--coupling-range)")
    console.print(f"  search geometry and X momenta: {summary['search']}")
    for note in summary["notes"] + ([summary["note"]] if summary.get("note") else []):
        console.print(f"  note: {note}")
