"""``na62lab warmup``: compile the kernels for this machine ahead of a first run, with progress.

A first ``simulate kaon`` / ``reproduce`` / ``search`` compiles the
kaon-mode kernels (about a minute of CPU) and keeps them in the on-disk
cache; ``warmup`` does that work up front (:func:`na62lab.kernels.prepare`),
so a machine can be prepared before it is used.  Kernels already in the
cache are not compiled again; ``--json`` prints one summary object.
"""

from __future__ import annotations

from typing import Annotated

import typer

from na62lab.cli.common import console, emit_json
from na62lab.cli.main import app
from na62lab.errors import require


@app.command()
def warmup(
    workers: Annotated[int, typer.Option("--workers",
                                         help="processes compiling at once (kernel groups in parallel)")] = 2,
    json_out: Annotated[bool, typer.Option("--json", help="print exactly one JSON object on stdout")] = False,
) -> None:
    """Compile the kaon-mode kernels for this machine (first run only; cached ones are skipped)."""
    from na62lab import kernels
    from na62lab.physics.jit import cache_dir

    require(workers >= 1, "--workers", workers, "an integer >= 1")
    result = {}
    for workload, groups in kernels.WORKLOADS.items():
        total = sum(len(g.kernels) for g in groups)
        info = kernels.prepare(workload, workers=workers)
        info["kernels"] = total
        info["still_missing"] = len(kernels.missing(workload))
        result[workload] = info
    summary = {"cache": cache_dir(), "workloads": result}
    if json_out:
        emit_json(summary)
        return
    for workload, info in result.items():
        if info["missing"] == 0:
            console.print(f"{workload}: all {info['kernels']} kernels already compiled for this machine")
        else:
            console.print(f"{workload}: compiled {info['missing']} of {info['kernels']} kernels in "
                          f"{info['seconds']:.0f} s ({info['processes']} process(es))")
    console.print(f"kernel cache: {summary['cache']}")
