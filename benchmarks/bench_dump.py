"""Beam-dump benchmarks: a 200 x 200 BC1 grid, and the production-table generation rate."""

from __future__ import annotations

import os
import tempfile
import time

import numpy as np


def _grid_seconds(workers: int) -> tuple[float, float]:
    from na62lab.config.base import load_card
    from na62lab.config.dump import DumpCard
    from na62lab.yields.dump_grid import expected_events

    card = load_card("na62_dump_2021", DumpCard)
    masses, eps = np.geomspace(10.0, 2000.0, 200), np.geomspace(1e-9, 1e-3, 200)
    t0 = time.perf_counter()
    grid = expected_events("dark-photon", card, masses, eps, None, workers=workers, use_cache=True)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    expected_events("dark-photon", card, masses, eps, None, workers=workers, use_cache=True)
    assert grid.total.shape == (200, 200)
    return cold, time.perf_counter() - t0


def _sensitivity_seconds(workers: int) -> float:
    """A 200 x 200 BC1 ``sensitivity`` (mass refinement nodes, exact edges of the observed and the
    four band contours) from cached efficiency tables (they are built once first)."""
    from na62lab.analyses.beam_dump import sensitivity
    from na62lab.config.base import load_card
    from na62lab.config.dump import DumpCard

    card = load_card("na62_dump_2021", DumpCard)
    sensitivity("dark-photon", card, 200, 200, workers=workers)
    t0 = time.perf_counter()
    sensitivity("dark-photon", card, 200, 200, workers=workers)
    return time.perf_counter() - t0


def _pythia_rates(n: int = 10000) -> tuple[float, float]:
    """Protons per second, both including Pythia's initialisation."""
    import pythia8mc as pythia8

    from na62lab.generation.dump.pythia_production import pythia_settings, run_shard

    t0 = time.perf_counter()
    run_shard("soft", "p", n, 12345)
    ours = n / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    py = pythia8.Pythia("", False)
    for line in pythia_settings("soft", "p", 12345):
        py.readString(line)
    py.init()
    for _ in range(n):
        py.next()
    plain = n / (time.perf_counter() - t0)
    return ours, plain


def _grid_in_fresh_table_cache(workers: int) -> tuple[float, float]:
    """:func:`_grid_seconds` with an empty efficiency-table cache (``NA62LAB_CACHE`` restored afterwards).

    The numba kernels keep their own cache (``NUMBA_CACHE_DIR`` from the
    Makefile / run.py, or the folder fixed when na62lab was first imported).
    """
    old = os.environ.get("NA62LAB_CACHE")
    try:
        with tempfile.TemporaryDirectory() as cache:
            os.environ["NA62LAB_CACHE"] = cache
            return _grid_seconds(workers)
    finally:
        if old is None:
            os.environ.pop("NA62LAB_CACHE", None)
        else:
            os.environ["NA62LAB_CACHE"] = old


def run() -> str:
    c1, w1 = _grid_in_fresh_table_cache(1)
    c2, w2 = _grid_in_fresh_table_cache(2)
    s2 = _sensitivity_seconds(2)
    ours, plain = _pythia_rates()
    return "\n".join([
        "## Beam dump (BC1 grid, production tables)",
        "",
        "200 x 200 (mass, eps) BC1 grid, all production modes (meson decays, bremsstrahlung, vector mixing) "
        "and all visible final states, from the shipped Pythia production table: efficiency tables built "
        "from scratch (particle data included; numba kernels loaded from their cache), "
        "then the same grid from the cached "
        "efficiency tables.  Generation rate: one 10k-event `run_shard` (Pythia `nextBatch` + "
        "histogramming of 11 species) against a plain `Pythia.next()` loop with the same settings, "
        "both including Pythia's initialisation (protons per second, 1 core).",
        "",
        "| measurement | value | baseline | ratio |",
        "|---|---|---|---|",
        f"| 200x200 BC1 grid, 2 workers (s) | {c2:.2f} | 1 worker: {c1:.2f} | {c1 / c2:.2f}x |",
        f"| 200x200 BC1 grid, cached tables (s) | {w2:.3f} | cold 2 workers: {c2:.2f} | {c2 / w2:.0f}x |",
        f"| 200x200 BC1 sensitivity incl. exact edges, cached tables (s) | {s2:.2f} | grid alone: {w2:.3f} | "
        f"{s2 / w2:.1f}x |",
        f"| production-table generation (p/s) | {ours:.0f} | plain Pythia: {plain:.0f} | {ours / plain:.2f} |",
    ])


if __name__ == "__main__":
    print(run())
