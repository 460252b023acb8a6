"""``na62lab simulate``: the kaon-mode fast simulation (``simulate kaon``).

Thin wrapper over :mod:`na62lab.yields.kaon_run`: chunks sharded by
``SeedSequence.spawn``, local processes or a Dask cluster, one Parquet file
per chunk written atomically in ``--out`` (a restarted run resumes from the
complete chunks), a progress bar on stderr, and the summary as a table or as
one JSON object (``--json``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from na62lab.cli.common import console, emit_json, err_console
from na62lab.cli.main import app
from na62lab.errors import require

simulate_app = typer.Typer(help="Fast simulations (kaon mode).", no_args_is_help=True)
app.add_typer(simulate_app, name="simulate")


def _card(card: str, decays: int | None, seed: int | None, chunk_size: int | None, background_run: bool = False):
    from na62lab.analyses.kaon_sim import with_run
    from na62lab.config.base import load_card
    from na62lab.config.kaon import KaonCard

    return with_run(load_card(card, KaonCard), background_run, decays=decays, seed=seed, chunk_size=chunk_size)


def _progress_run(card, out, workers, scheduler, full, root, show):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from na62lab.yields.kaon_run import prepare, run

    prepare(2, scheduler)       # a first local run compiles the kernels once (two groups at once) before the bar
    with Progress(TextColumn("[bold]simulate kaon"), BarColumn(), MofNCompleteColumn(), TextColumn("decays"),
                  TimeRemainingColumn(), console=err_console, disable=not show, transient=False) as bar:
        task = bar.add_task("decays", total=card.run.decays)

        def progress(done, total, reused):
            bar.update(task, completed=done)
        return run(card, out, workers=workers, scheduler=scheduler, full=full, root=root, progress=progress)


def run_block(cfg, out: Path | None, background_run: bool) -> dict:
    """The ``run`` block of the record: card name, seed, decays, chunk size, output folder, background run."""
    return {"card": cfg.name, "seed": cfg.run.seed, "decays": cfg.run.decays, "chunk_size": cfg.run.chunk_size,
            "out": None if out is None else str(out), "background_run": background_run}


def _print_summary(s: dict) -> None:
    from rich.table import Table

    table = Table(title=f"K+ -> pi+ nu nubar fast simulation ({s['decays']:,} decays)")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    rows = [("A_pinunu", f"{s['acceptance_pinunu']:.4f} +- {s['acceptance_pinunu_err']:.4f}"),
            ("A_pipi", f"{s['acceptance_pipi']:.4f}"), ("N_K", f"{s['n_k']:.3e}"), ("SES", f"{s['ses']:.3e}"),
            ("expected SM signal", f"{s['expected_signal_sm']:.2f}"),
            ("sigma(m_miss^2) pi+ pi0 [GeV^2/c^4]", f"{s['mmiss2_resolution_pipi_gev2']:.2e}")]
    for mode, b in s["backgrounds"].items():
        if mode not in ("total", "upstream"):
            rows.append((f"background {mode} (R1, R2; stat. error; effective events)",
                         f"{b['r1']:.3g}, {b['r2']:.3g} (+- {b.get('stat_err', float('nan')):.2g}; "
                         f"n_eff {b.get('effective_events', float('nan')):.0f}"
                         f"{'; STATISTICS-LIMITED (n_eff < 10)' if b.get('statistics_limited') else ''})"))
    rows.append(("background upstream (data-driven input)", f"{s['backgrounds']['upstream']['total']:.2f}"))
    rows.append(("background total", f"{s['backgrounds']['total']['total']:.2f}"))
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    _print_cutflow(s)


def _print_cutflow(s: dict) -> None:
    """Cut-flow of A_pinunu and A_pipi and the common-cut inputs (:func:`na62lab.analyses.kaon_sim.print_cutflow`)."""
    from na62lab.analyses.kaon_sim import print_cutflow

    print_cutflow(s, console)


@simulate_app.command("kaon")
def kaon(
    decays: Annotated[Optional[int], typer.Option("--decays", help="K+ decays to simulate (card: run.decays)")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="random seed (card: run.seed)")] = None,
    workers: Annotated[int, typer.Option("--workers", help="local worker processes")] = 1,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Dask scheduler address")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="folder of the chunk files (resumable)")] = None,
    card: Annotated[str, typer.Option("--card", help="shipped card name or YAML file")] = "na62_kaon_2021_22",
    chunk_size: Annotated[Optional[int], typer.Option("--chunk-size", help="decays per chunk")] = None,
    full: Annotated[bool, typer.Option("--full", help="also store the true four-momenta")] = False,
    root: Annotated[bool, typer.Option("--root", help="also write each chunk as a ROOT file (uproot)")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="print exactly one JSON object on stdout")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bar")] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite",
                                            help="replace another run's chunks in --out (else refused)")] = False,
    background_run: Annotated[bool, typer.Option(
        "--background-run", help="stratified, importance-sampled run for the background table "
        "(4.5e7 decays unless --decays; exact weights; about 166 CPU s)")] = False,
) -> None:
    """Simulate K+ decays in NA62 and report A_pinunu, A_pipi, SES, m_miss^2 resolution, backgrounds."""
    from na62lab.yields.kaon_tally import summary

    require(decays is None or decays >= 1, "--decays", decays, "an integer >= 1")
    require(seed is None or seed >= 0, "--seed", seed, "an integer >= 0")
    require(workers >= 1, "--workers", workers, "an integer >= 1")
    require(chunk_size is None or chunk_size >= 1000, "--chunk-size", chunk_size, "an integer >= 1000")
    cfg = _card(card, decays, seed, chunk_size, background_run)
    if out is not None:
        require(not out.exists() or out.is_dir(), "--out", str(out), "a folder (created if missing)")
        out.mkdir(parents=True, exist_ok=True)
    tally = _progress_run(cfg, out, workers, scheduler, full, root, show=not quiet)
    result = summary(tally, cfg)
    result["run"] = run_block(cfg, out, background_run)
    if out is not None:
        from na62lab.results.io import write_json
        from na62lab.results.provenance import stamp

        write_json(out / "summary.json", stamp(result, cards=[card], seeds={"run.seed": cfg.run.seed},
                                               exposure={"kaon_decays": cfg.run.decays}))
    if json_out:
        emit_json(result)
    else:
        _print_summary(result)
