"""Kaon-mode fast simulation: full-chain throughput vs Pythia 8 decaying the same K+, and memory.

Measured in one process on this machine:

- full chain (beam, SM decays with matrix elements, detector response,
  GTK matching, selection, tallies) of the card ``na62_kaon_2021_22`` mode mix,
  in K+ decays per second per core (CPU time of one process, numba kernels
  compiled beforehand);
- Pythia 8 (``pythia8mc``, ``ProcessLevel:all = off``) decaying K+ of the same
  momenta, one K+ per event (``next()`` per decay) and 200 K+ per event; only
  the decay, no detector, so the ratio understates the per-decay gain;
- peak resident memory of ``simulate kaon``-style chunked runs (Parquet output)
  of 2e6 and 2e7 decays in a fresh subprocess, to show it is set by the chunk
  size, not the run size (the 1e8 figure is the extrapolation of that).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

N_CHAIN = 2_000_000
N_PYTHIA = 20_000
MEMORY_RUNS = tuple(int(x) for x in os.environ.get("NA62LAB_BENCH_KAON_MEMORY", "2000000,20000000").split(","))

_CHILD = r"""
import json, resource, sys, time, tempfile
from pathlib import Path
from na62lab.config.base import load_card, parse_card
from na62lab.config.kaon import KaonCard
from na62lab.yields.kaon_run import run
n = int(sys.argv[1])
data = load_card("na62_kaon_2021_22", KaonCard).model_dump()
data["run"].update(decays=n)
card = parse_card(data, KaonCard)
with tempfile.TemporaryDirectory() as d:
    t0 = time.perf_counter()
    run(card, Path(d), workers=1)
    dt = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in Path(d).glob("*.parquet"))
print(json.dumps({"decays": n, "seconds": dt, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "parquet_mb": size / 2**20}))
"""


def _chain_rate(n: int) -> tuple[float, float]:
    from na62lab.config.base import load_card
    from na62lab.config.kaon import KaonCard
    from na62lab.yields.kaon_sim import simulate_chunk
    from na62lab.yields.kaon_tally import tally_columns

    card = load_card("na62_kaon_2021_22", KaonCard)
    simulate_chunk(card, 20_000, np.random.default_rng(0))        # compile / load the numba cache
    chunk = card.run.chunk_size
    rng = np.random.default_rng(1)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for k in range(n // chunk):
        res = simulate_chunk(card, chunk, rng)
        tally_columns(res.columns, res.n_generated, card)
    return n / (time.process_time() - cpu0), n / (time.perf_counter() - wall0)


def _pythia_rate(n: int, per_event: int) -> float | None:
    try:
        import pythia8mc as pythia8
    except ImportError:
        return None
    py = pythia8.Pythia("", False)
    for s in ("ProcessLevel:all = off", "321:mayDecay = on", "211:mayDecay = off", "13:mayDecay = off",
              "130:mayDecay = off", "Print:quiet = on", "Next:numberCount = 0"):
        py.readString(s)
    py.init()
    mk = py.particleData.m0(321)
    rng = np.random.default_rng(2)
    p = 75.0 * (1 + 0.01 * rng.standard_normal(n))
    tx = 1.2e-3 + 1e-4 * rng.standard_normal(n)
    ev = py.event
    t0 = time.process_time()
    for start in range(0, n, per_event):
        ev.reset()
        for i in range(start, min(start + per_event, n)):
            pz = p[i] / np.sqrt(1 + tx[i] ** 2)
            ev.append(321, 1, 0, 0, tx[i] * pz, 0.0, pz, float(np.hypot(p[i], mk)), mk)
        py.next()
    return n / (time.process_time() - t0)


def _memory(n: int) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(n)], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "0"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def run() -> str:
    """Markdown section of benchmarks/results.md."""
    cpu_rate, wall_rate = _chain_rate(N_CHAIN)
    py1 = _pythia_rate(N_PYTHIA, 1)
    py200 = _pythia_rate(N_PYTHIA, 200)
    mem = [_memory(n) for n in MEMORY_RUNS]
    lines = ["## Kaon-mode fast simulation (`simulate kaon`)", "",
             f"Full chain (beam, SM decays with matrix elements, detector response, GTK matching with accidentals, "
             f"selection, tallies) on {N_CHAIN:,} K+ decays of the `na62_kaon_2021_22` mode mix, one process; "
             f"baseline: Pythia 8 (`pythia8mc`, ProcessLevel off) decaying {N_PYTHIA:,} K+ of the same momenta "
             f"(decay only, no detector), measured in the same run. Rates are per core (CPU seconds).", "",
             "| what | K+ decays / s / core | ratio to Pythia (1 K+/event) |", "|---|---:|---:|",
             f"| na62lab full chain (CPU time) | {cpu_rate:,.0f} | {cpu_rate / py1:.1f} |" if py1 else
             f"| na62lab full chain (CPU time) | {cpu_rate:,.0f} | n/a |",
             f"| na62lab full chain (wall clock) | {wall_rate:,.0f} | {wall_rate / py1:.1f} |" if py1 else
             f"| na62lab full chain (wall clock) | {wall_rate:,.0f} | n/a |"]
    if py1:
        lines += [f"| Pythia 8, 1 K+ per event (`next()` per decay) | {py1:,.0f} | 1.0 |",
                  f"| Pythia 8, 200 K+ per event | {py200:,.0f} | {py200 / py1:.1f} |"]
    lines += ["", f"Goal: >= 1e6 decays/s/core ({'met' if cpu_rate >= 1e6 else 'not met'} here) and >= 50x Pythia "
              f"({'met' if py1 and cpu_rate / py1 >= 50 else 'not met'}: "
              f"{cpu_rate / py1:.0f}x one-K+-per-event Pythia, {cpu_rate / py200:.1f}x batched Pythia, which does "
              f"the decays only)." if py1 else "", "",
              "Peak resident memory of chunked runs (fresh process, 500,000-decay chunks, Parquet output):", "",
              "| decays | wall time [s] | peak RSS [MB] | Parquet on disk [MB] |", "|---:|---:|---:|---:|"]
    for m in mem:
        lines.append(f"| {m['decays']:,} | {m['seconds']:.1f} | {m['peak_rss_mb']:.0f} | {m['parquet_mb']:.0f} |")
    lines += ["", f"The peak RSS does not grow with the run size (it is set by the chunk), so 1e8 decays need about "
              f"{mem[-1]['peak_rss_mb']:.0f} MB of memory (goal: < 2 GB) and about "
              f"{mem[-1]['parquet_mb'] * 1e8 / mem[-1]['decays'] / 1024:.1f} GB of Parquet on disk "
              f"(extrapolated linearly from the {mem[-1]['decays']:,}-decay run)."]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(run())
