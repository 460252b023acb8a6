"""``na62lab search NAME``: the kaon-mode searches for new particles."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from na62lab.cli.common import console, emit_json
from na62lab.cli.main import app
from na62lab.errors import InputError, require

if TYPE_CHECKING:
    from na62lab.analyses.kaon_searches_common.summary import SearchSummary

NAMES = ("pi-x", "pi0-invisible", "pi-a-gammagamma", "pi-x-mumu", "hnl-e", "hnl-mu", "hnl-pi-e")


@app.command()
def search(
    name: Annotated[str, typer.Argument(help="one of: " + ", ".join(NAMES))],
    lifetime_ns: Annotated[Optional[float], typer.Option(
        "--lifetime-ns",
        help="proper lifetime of X (or N) in ns; default stable (invisible) or prompt (visible)")] = None,
    card: Annotated[Optional[Path], typer.Option("--card", help="YAML card replacing the shipped one")] = None,
    mass: Annotated[Optional[list[float]], typer.Option(
        "--mass", help="mass hypothesis in GeV (repeat); default: the card's scan")] = None,
    displaced: Annotated[bool, typer.Option("--displaced", help="pi-x-mumu: displaced-vertex card")] = False,
    exposure: Annotated[Optional[float], typer.Option(
        "--exposure", help="projection: scale the card's decays and backgrounds by this factor")] = None,
    pbc: Annotated[bool, typer.Option("--pbc",
                                      help="add the PBC coupling readings (BC2, BC4, BC6, BC7, BC10, BC11)")] = False,
    limits: Annotated[Optional[Path], typer.Option(
        "--limits", help="with --pbc: recast this published limit table (HEPData YAML or CSV) instead of the "
                         "simulated expected limits")] = None,
    limits_table: Annotated[Optional[str], typer.Option(
        "--limits-table", help="table name inside a HEPData submission.yaml given to --limits")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="write JSON, HEPData YAML and figures here")] = None,
    overlay: Annotated[Optional[list[Path]], typer.Option(
        "--overlay", help="published curve to draw (text/CSV: mass GeV, value); repeat")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print exactly one JSON object on stdout")] = False,
) -> None:
    """Peak search limits (90% CL) on the branching ratio vs mass, with expected bands and significance."""
    from na62lab.analyses.kaon_searches import run_search

    if name not in NAMES:
        raise InputError("search", name, f"one of {', '.join(NAMES)}")
    require(not displaced or name == "pi-x-mumu", "--displaced", True, "only with pi-x-mumu")
    if lifetime_ns is not None:
        require(lifetime_ns == lifetime_ns and 0 <= lifetime_ns < float("inf"), "--lifetime-ns", lifetime_ns,
                "a lifetime >= 0 ns")
    overlays = _overlays(overlay)
    require(limits is None or pbc, "--limits", str(limits), "only with --pbc")
    _, summary = run_search(name, card, lifetime_ns, mass or None, pbc, displaced, exposure, limits, limits_table)
    if out is not None:
        from na62lab.results.search_report import write_search_outputs

        files = write_search_outputs(summary, out, None, overlays, card)  # tables are printed once, below
    if json_out:
        emit_json(summary.to_dict())
        return
    _print(summary)
    if out is not None:
        console.print(f"  wrote {len(files)} files (JSON, HEPData, PNG + PDF figures) under {out}")


def _overlays(paths) -> list:
    from na62lab.results.search_report import read_overlay

    return [read_overlay(p) for p in (paths or [])]


def _print(s: SearchSummary) -> None:
    from na62lab.results.search_report import print_tables
    from na62lab.results.style import coupling_text

    print_tables(s, console)
    if s.lifetime_model and s.lifetime_ns is not None:
        console.print(f"  lifetime acceptance: {s.lifetime_model}")
    for r in s.readings:
        console.print(f"  {r.benchmark} ({r.model}): excluded {coupling_text(r.coupling_name)} "
                      "intervals in the JSON output "
                      f"(from {r.source or 'the simulated expected limits'})")
    for note in s.pbc_notes:
        console.print(f"  {note}")
