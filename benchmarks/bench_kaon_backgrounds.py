"""Background rows of the kaon-mode fast simulation in one run of at most 5 minutes on 2 cores.

Runs :data:`na62lab.analyses.kaon_sim.BACKGROUND_RUN` (stratified mode shares; K3pi decays split / rouletted by
their pair-averaged veto weight, reused as their weight, and STRAW tails importance-sampled; Ke4 split by the veto
weight) on 2 local workers and reports, per row of NA62's 2021-22 background table
(JHEP 02 (2025) 191), the simulated events, their statistical error, the Kish effective number of events
and the wall time.  ``python benchmarks/bench_kaon_backgrounds.py [decays]`` prints the section.
"""

from __future__ import annotations

import os
import resource
import sys
import time


def _cpu() -> float:
    """CPU seconds of this process and its finished children."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def measure(decays: int | None = None, workers: int = 2) -> tuple[list[dict], dict, float, float]:
    """(comparison rows, summary, wall seconds, CPU seconds) of the stratified background run."""
    from na62lab.analyses.kaon_sim import BACKGROUND_RUN, card_for, comparison, simulate
    from na62lab.kernels import prepare
    from na62lab.yields.kaon_tally import summary

    prepare("kaon", workers=workers)                # compile (or load) the kernels outside the timed run
    card = card_for(decays or BACKGROUND_RUN["decays"], background_run=True)
    t0, c0 = time.perf_counter(), _cpu()
    tally, _, _ = simulate(card, workers)
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    s = summary(tally, card)
    return comparison(s, card), s, wall, cpu


def run(decays: int | None = None) -> str:
    """Markdown section for benchmarks/results.md."""
    load0 = os.getloadavg()
    rows, s, wall, cpu = measure(decays)
    load1 = os.getloadavg()
    out = ["## Kaon-mode background rows: n_eff per row in one stratified run\n",
           f"`na62lab.analyses.kaon_sim.BACKGROUND_RUN`: {s['decays']:,} K+ decays on 2 workers, "
           f"wall time {wall:.0f} s, CPU {cpu:.0f} s (kernels loaded before timing; load average "
           f"{load0[0]:.1f} before, {load1[0]:.1f} after, on {os.cpu_count()} cores).  "
           f"n_eff = (sum w)^2 / sum w^2 (Kish); goal n_eff >= 100 per row of the published table.\n",
           "| row | simulated | published | sim/pub | n_eff |", "|---|---|---|---|---|"]
    for r in rows:
        if not r["quantity"].startswith("background") or r.get("effective_events") is None:
            continue
        pub = ("-" if r["published"] is None
               else ("< " if r["published_is_upper_limit"] else "") + f"{r['published']:.3g}")
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}"
        out.append(f"| {r['quantity'].removeprefix('background ')} | {r['simulated']:.3g} +- {r['stat_err']:.2g} "
                   f"| {pub} | {ratio} | {r['effective_events']:.0f} |")
    out.append(f"\nA_pinunu {s['acceptance_pinunu']:.4f}, A_pipi {s['acceptance_pipi']:.4f}, "
               f"SES {s['ses']:.3g} from the same run.")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(run(int(float(sys.argv[1])) if len(sys.argv) > 1 else None))
