"""Kaon-mode fast simulation: full-chain throughput vs Pythia 8 decaying the same K+, and memory.

Measured in one process on this machine:

- full chain (beam, SM decays with matrix elements, detector response,
  GTK matching, selection, tallies) in K+ decays per second per core (CPU
  time of one process, numba kernels compiled beforehand, best of 3), on the
  physical K+ decay mix (PDG branching ratios: what Pythia decays) and on the
  card's enriched mix;
- Pythia 8 (``pythia8mc``, ``ProcessLevel:all = off``) decaying K+ of the same
  momenta, one K+ per event (``next()`` per decay) and 200 K+ per event; only
  the decay, no detector, so the ratio understates the per-decay gain;
- the machine load (load average) before and after the timing;
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


def _card(natural: bool):
    from na62lab.config.base import load_card, parse_card
    from na62lab.config.kaon import SM_MODES, KaonCard
    from na62lab.generation.kaon.branching import k_plus_br

    card = load_card("na62_kaon_2021_22", KaonCard)
    if not natural:
        return card
    data = card.model_dump()
    data["run"]["fractions"] = {mode: k_plus_br(mode) for mode in SM_MODES}
    return parse_card(data, KaonCard)


def _chain_rate(n: int, natural: bool = False, repeats: int = 3) -> tuple[float, float]:
    """Best-of-``repeats`` CPU and wall rates (decays/s) of the full chain on ``n`` decays.

    ``natural``: the physical K+ decay mix (PDG branching ratios, as Pythia
    decays them); otherwise the card's enriched mix (more rare modes).
    """
    from na62lab.yields.kaon_sim import simulate_chunk
    from na62lab.yields.kaon_tally import tally_columns

    card = _card(natural)
    simulate_chunk(card, 20_000, np.random.default_rng(0))        # compile / load the numba cache
    chunk = card.run.chunk_size
    rng = np.random.default_rng(1)
    best_cpu = best_wall = 0.0
    for _ in range(repeats):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for k in range(n // chunk):
            res = simulate_chunk(card, chunk, rng)
            tally_columns(res.columns, res.n_generated, card)
        best_cpu = max(best_cpu, n / (time.process_time() - cpu0))
        best_wall = max(best_wall, n / (time.perf_counter() - wall0))
    return best_cpu, best_wall


def _pythia_rate(n: int, per_event: int, repeats: int = 3) -> float | None:
    """Best-of-``repeats`` CPU rate of Pythia 8 decaying K+ (its own branching ratios) of the beam momenta."""
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
    best = 0.0
    for _ in range(repeats):
        t0 = time.process_time()
        for start in range(0, n, per_event):
            ev.reset()
            for i in range(start, min(start + per_event, n)):
                pz = p[i] / np.sqrt(1 + tx[i] ** 2)
                ev.append(321, 1, 0, 0, tx[i] * pz, 0.0, pz, float(np.hypot(p[i], mk)), mk)
            py.next()
        best = max(best, n / (time.process_time() - t0))
    return best


def _memory(n: int) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(n)], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "0"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def _load() -> str:
    la = os.getloadavg()
    return f"{la[0]:.2f} / {la[1]:.2f} / {la[2]:.2f} (1/5/15 min) on {os.cpu_count()} cores"


def run() -> str:
    """Markdown section of benchmarks/results.md."""
    load_before = _load()
    nat_cpu, nat_wall = _chain_rate(N_CHAIN, natural=True)
    card_cpu, card_wall = _chain_rate(N_CHAIN, natural=False)
    py1 = _pythia_rate(N_PYTHIA, 1)
    py200 = _pythia_rate(N_PYTHIA, 200)
    load_after = _load()
    mem = [_memory(n) for n in MEMORY_RUNS]

    def ratio(x):
        return f"{x / py1:.1f}" if py1 else "n/a"
    lines = ["## Kaon-mode fast simulation (`simulate kaon`)", "",
             f"Full chain (beam, SM decays with matrix elements, detector response with the STRAW track fit, "
             f"photon and multiplicity vetoes, GTK matching with accidentals, selection with the beam/RICH "
             f"m_miss^2 windows, PID, tallies) on {N_CHAIN:,} K+ decays, one process, best of 3; baseline: "
             f"Pythia 8 (`pythia8mc`, ProcessLevel off) decaying {N_PYTHIA:,} K+ of the same momenta with its own "
             f"branching ratios (decay only, no detector), measured in the same run, best of 3. Rates are per "
             f"core (CPU seconds). Machine load (uptime load average) before: {load_before}; after: "
             f"{load_after}.", "",
             "| what | K+ decays / s / core | ratio to Pythia (1 K+/event) |", "|---|---:|---:|",
             f"| na62lab full chain, physical K+ decay mix (PDG BRs, as Pythia) | {nat_cpu:,.0f} | {ratio(nat_cpu)} |",
             f"| na62lab full chain, card mix (rare modes enriched, `run.fractions`) | {card_cpu:,.0f} | "
             f"{ratio(card_cpu)} |",
             f"| na62lab full chain, physical mix, wall clock | {nat_wall:,.0f} | {ratio(nat_wall)} |"]
    if py1:
        lines += [f"| Pythia 8, 1 K+ per event (`next()` per decay) | {py1:,.0f} | 1.0 |",
                  f"| Pythia 8, 200 K+ per event | {py200:,.0f} | {py200 / py1:.1f} |", "",
                  f"Goal: >= 1e6 decays/s/core ({'met' if nat_cpu >= 1e6 else 'not met'} on the physical mix, "
                  f"{'met' if card_cpu >= 1e6 else 'not met'} on the enriched card mix) and >= 50x Pythia "
                  f"({'met' if nat_cpu / py1 >= 50 else 'not met'}: {nat_cpu / py1:.0f}x one-K+-per-event "
                  f"Pythia, {nat_cpu / py200:.1f}x batched Pythia, which does the decays only)."]
    lines += ["", "Peak resident memory of chunked runs (fresh process, 500,000-decay chunks, Parquet output):", "",
              "| decays | wall time [s] | peak RSS [MB] | Parquet on disk [MB] |", "|---:|---:|---:|---:|"]
    for mm in mem:
        lines.append(f"| {mm['decays']:,} | {mm['seconds']:.1f} | {mm['peak_rss_mb']:.0f} | {mm['parquet_mb']:.0f} |")
    lines += ["", f"The peak RSS does not grow with the run size (it is set by the chunk), so 1e8 decays need about "
              f"{mem[-1]['peak_rss_mb']:.0f} MB of memory (goal: < 2 GB) and about "
              f"{mem[-1]['parquet_mb'] * 1e8 / mem[-1]['decays'] / 1024:.1f} GB of Parquet on disk "
              f"(extrapolated linearly from the {mem[-1]['decays']:,}-decay run)."]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(run())
