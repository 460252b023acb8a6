"""Where the kaon fast simulation spends its time, stage by stage, and what a 50x-Pythia goal would allow.

Used by :mod:`bench_kaon`.  One chunk of the physical K+ decay mix is split
as :func:`na62lab.yields.kaon_sim.simulate_chunk` splits it (per mode, by
:func:`~na62lab.yields.kaon_sim.allocate`), and its public stages are timed
one by one in CPU time:

- beam: :func:`~na62lab.generation.kaon.beam.generate_beam` (GTK3 tracks,
  decay vertex);
- decays: :func:`~na62lab.generation.kaon.decays.generate_mode` (SM matrix
  elements, pi0 decays);
- detector: :func:`~na62lab.detector.response.detector_response` (STRAW
  acceptance and track fit, vetoes);
- the rest (GTK matching with accidentals, selection, PID, the pi0
  orientation average, column assembly, tallies) is the full chunk plus
  tally (timed separately, same size) minus the three stages above.

Each stage is the best of ``repeats``; the rest is therefore a difference of
minima, an approximation that can be off by the timing noise of the others.

beam + decays is what Pythia's decay loop does (it has no detector), so
its rate is the like-for-like comparison with Pythia.
"""

from __future__ import annotations

import time

import numpy as np

STAGES = ("beam", "decays", "detector", "rest")


def _timed(costs: dict, key: str, func, *args):
    t0 = time.process_time()
    out = func(*args)
    costs[key] = costs.get(key, 0.0) + time.process_time() - t0
    return out


def _one_pass(card, params, tables, counts: dict, seed: int) -> dict:
    """CPU seconds of beam, decays and detector over one chunk's modes."""
    from na62lab.detector.response import detector_response
    from na62lab.generation.kaon.beam import generate_beam
    from na62lab.generation.kaon.decays import generate_mode

    rng = np.random.default_rng(seed)
    costs: dict = {}
    for mode, k in counts.items():
        beam = _timed(costs, "beam", generate_beam, card, k, rng)
        fs = _timed(costs, "decays", generate_mode, mode, beam.p4, rng)
        _timed(costs, "detector", detector_response, fs, beam.vertex, params, tables, rng)
    return costs


def _full_pass(card, n: int, seed: int) -> float:
    """CPU seconds of one full chunk and its tally."""
    from na62lab.yields.kaon_sim import simulate_chunk
    from na62lab.yields.kaon_tally import tally_columns

    t0 = time.process_time()
    res = simulate_chunk(card, n, np.random.default_rng(seed))
    tally_columns(res.columns, res.n_generated, card)
    return time.process_time() - t0


def stage_costs(card, n: int, repeats: int = 3) -> dict:
    """Best-of-``repeats`` CPU cost per decay (ns) of each stage on a chunk of ``n`` decays of ``card``'s mix.

    Returns a dict with one entry per name of :data:`STAGES` and ``total``
    (the full chunk plus tally), all in ns per decay.
    """
    from na62lab.detector.params import detector_params, veto_tables
    from na62lab.yields.kaon_sim import allocate

    params, tables = detector_params(card), veto_tables(card)
    counts = {mode: k for mode, k in allocate(n, card.run.fractions).items() if k > 0}
    best = {key: float("inf") for key in ("beam", "decays", "detector", "total")}
    for rep in range(repeats):
        for key, sec in _one_pass(card, params, tables, counts, 100 + rep).items():
            best[key] = min(best[key], sec)
        best["total"] = min(best["total"], _full_pass(card, n, 200 + rep))
    ns = {key: sec / n * 1e9 for key, sec in best.items()}
    ns["rest"] = max(ns["total"] - ns["beam"] - ns["decays"] - ns["detector"], 0.0)
    return ns


def stage_lines(ns: dict, pythia_rate: float | None, goal: float = 50.0) -> list[str]:
    """Markdown table of :func:`stage_costs` with each stage's share and, given Pythia's rate (K+/s), the
    like-for-like ratio of beam + decays and the per-decay budget that ``goal`` x Pythia leaves."""
    lines = ["| stage | ns per decay | share of the chain |", "|---|---:|---:|"]
    for key in STAGES:
        lines.append(f"| {key} | {ns[key]:.0f} | {ns[key] / ns['total']:.0%} |")
    lines.append(f"| full chunk + tally | {ns['total']:.0f} | 100% |")
    gen = ns["beam"] + ns["decays"]
    lines += ["", f"beam + decays (what Pythia's loop does, without the detector): {gen:.0f} ns per decay, "
              f"{1e9 / gen:,.0f} K+ decays/s/core"]
    if pythia_rate:
        budget = 1e9 / (goal * pythia_rate)
        lines[-1] += (f" = {1e9 / gen / pythia_rate:.1f}x Pythia (1 K+/event, with feeding).  A {goal:.0f}x goal "
                      f"leaves {budget:.0f} ns per decay for the whole chain; beam + decays alone use "
                      f"{gen / budget:.1f}x that budget.")
    else:
        lines[-1] += "."
    return lines
