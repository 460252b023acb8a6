"""``na62lab reproduce``: every published result the project can reproduce.

The sections write into a hard-linked staging copy of ``--out`` that replaces
it only when every section and the report are written
(:func:`na62lab.results.outputs.staged_folder`): an interrupt, a full disk or
a failing section leaves the previous complete folder as it was.
"""

from __future__ import annotations

import importlib
import io
import sys
import time
from pathlib import Path
from typing import IO, Annotated, Optional, cast

import typer

from na62lab.analyses import REPRODUCE_SECTIONS
from na62lab.cli.common import RenamedStream, console, emit_json
from na62lab.cli.main import app
from na62lab.errors import InputError
from na62lab.results.report import build_report, merge_summary


def sections_from(only: str | None) -> list[str]:
    """The sections named by ``--only`` (all when not given); :class:`InputError` on an empty or unknown name.

    Examples
    --------
    >>> sections_from("pinunu, beam_dump")
    ['pinunu', 'beam_dump']
    """
    if only is None:
        return list(REPRODUCE_SECTIONS)
    sections = [s.strip() for s in only.split(",")]
    unknown = [s for s in sections if s not in REPRODUCE_SECTIONS]
    if unknown or not sections:
        raise InputError("--only", only, f"comma-separated names from {', '.join(REPRODUCE_SECTIONS)}")
    return sections


@app.command()
def reproduce(
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("results"),
    only: Annotated[Optional[str], typer.Option(
        "--only", help="comma-separated sections: " + ", ".join(REPRODUCE_SECTIONS))] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print exactly one JSON object on stdout")] = False,
) -> None:
    """Reproduce the published NA62 results: tables on screen, files in --out."""
    from na62lab.results.outputs import staged_folder

    sections = sections_from(only)
    summary = {}
    with staged_folder(out) as stage:
        # Record what the sections print; with --json the text goes to a buffer.  Paths print as --out's.
        target = io.StringIO() if json_out else sys.stdout
        quiet = type(console)(record=True, width=160, file=cast(IO[str], RenamedStream(target, str(stage), str(out))))
        for name in sections:
            t0 = time.perf_counter()
            quiet.rule(f"[bold]{name}")
            module = importlib.import_module(f"na62lab.analyses.{name}")
            summary[name] = module.reproduce(stage, quiet)
            quiet.print(f"[dim]{name}: {time.perf_counter() - t0:.1f} s[/dim]")
        merge_summary(stage, summary)  # sections from earlier runs into the same folder are kept
        report = out / build_report(stage).relative_to(stage)
    if json_out:
        emit_json(summary)
    else:
        console.print(f"summary written to {out / 'summary.json'}; open {report} in a browser")
