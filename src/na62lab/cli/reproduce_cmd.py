"""``na62lab reproduce``: every published result the project can reproduce."""

from __future__ import annotations

import importlib
import io
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from na62lab.analyses import REPRODUCE_SECTIONS
from na62lab.cli.common import console, emit_json
from na62lab.cli.main import app
from na62lab.errors import InputError
from na62lab.results.report import build_report, merge_summary


@app.command()
def reproduce(
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("results"),
    only: Annotated[Optional[str], typer.Option("--only", help=f"comma-separated sections of {REPRODUCE_SECTIONS}")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print exactly one JSON object on stdout")] = False,
) -> None:
    """Reproduce the published NA62 results: tables on screen, files in --out."""
    sections = REPRODUCE_SECTIONS if not only else [s.strip() for s in only.split(",") if s.strip()]
    unknown = [s for s in sections if s not in REPRODUCE_SECTIONS]
    if unknown or not sections:
        raise InputError("--only", only, f"comma-separated names from {REPRODUCE_SECTIONS}")
    summary = {}
    # Record what the sections print for the HTML report; with --json the text goes to a buffer.
    quiet = type(console)(record=True, width=160, file=io.StringIO() if json_out else None)
    for name in sections:
        t0 = time.perf_counter()
        quiet.rule(f"[bold]{name}")
        module = importlib.import_module(f"na62lab.analyses.{name}")
        summary[name] = module.reproduce(out, quiet)
        quiet.print(f"[dim]{name}: {time.perf_counter() - t0:.1f} s[/dim]")
    merge_summary(out, summary)  # sections from earlier runs into the same folder are kept
    report = build_report(out)
    if json_out:
        emit_json(summary)
    else:
        console.print(f"summary written to {out / 'summary.json'}; open {report} in a browser")
