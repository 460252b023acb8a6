"""Benchmark: FIP widths, branching ratios and c*tau on a 1000 x 1000 (mass, coupling) grid."""

from __future__ import annotations

import time

import numpy as np

MODELS = {"dark-photon": (1e-8, 1e-3), "dark-scalar": (1e-6, 1e-2), "alp-photon": (1e-7, 1e-2),
          "alp-fermion": (1e-6, 1e-2), "alp-gluon": (1e-7, 1e-2), "hnl-e": (1e-10, 1e-2), "hnl-mu": (1e-10, 1e-2)}
N = 1000
N_BASELINE = 1000   # points of the per-point loop (extrapolated linearly to the full grid)


def _grid(model, masses, couplings):
    """Factorised evaluation: reduced widths once per mass, outer product with the couplings."""
    widths = model.widths(masses[:, None], couplings[None, :])          # dict of (N, N) arrays, MeV
    total = model.total_width(masses[:, None], couplings[None, :])      # summed on the mass axis first
    ctau = model.ctau(masses[:, None], couplings[None, :])
    del widths
    # branching ratios do not depend on the coupling: one evaluation per mass, broadcast (no copy) to the grid
    brs = {k: np.broadcast_to(v[:, None], total.shape) for k, v in model.branching_ratios(masses).items()}
    return total, ctau, brs


def _loop(model, masses, couplings):
    """Baseline: one full evaluation per (mass, coupling) point, as a per-point Python loop."""
    out = []
    for m, g in zip(masses, couplings):
        w = model.widths(float(m), float(g))
        total = float(sum(w.values()))
        out.append((total, {k: float(v) / total if total > 0 else 0.0 for k, v in w.items()}))
    return out


def run() -> str:
    from na62lab.fips import get_model
    rng = np.random.default_rng(20240601)
    rows = []
    for name, (glo, ghi) in MODELS.items():
        model = get_model(name)
        masses = np.linspace(1.0, 4000.0, N)                       # MeV
        couplings = np.logspace(np.log10(glo), np.log10(ghi), N)
        _grid(model, masses[:10], couplings[:10])                  # warm caches (tables, imports)
        t0 = time.perf_counter()
        total, ctau, brs = _grid(model, masses, couplings)
        t_grid = time.perf_counter() - t0
        idx_m, idx_g = rng.integers(0, N, N_BASELINE), rng.integers(0, N, N_BASELINE)
        t0 = time.perf_counter()
        loop = _loop(model, masses[idx_m], couplings[idx_g])
        t_loop = (time.perf_counter() - t0) * (N * N / N_BASELINE)
        check = max(abs(loop[i][0] - total[idx_m[i], idx_g[i]]) / max(total[idx_m[i], idx_g[i]], 1e-300)
                    for i in range(N_BASELINE))
        rows.append(f"| {name} | {len(brs)} | {t_grid:.3f} | {t_loop:.1f} | {t_loop / t_grid:.0f}x | {check:.1e} |")
    header = ("## FIP models: widths, branching ratios and c*tau on a 1000 x 1000 grid\n\n"
              "One core.  Grid: 1000 masses (1 MeV - 4 GeV) x 1000 log-spaced couplings; the factorised "
              "evaluation computes the reduced widths once per mass and multiplies by coupling^2 (outer "
              "product): every partial-width grid, the total width and c*tau are materialised as (1000, 1000) arrays; "
              "the coupling-independent branching ratios are computed once per mass and broadcast to the grid "
              "(read-only views).  Baseline: "
              f"a per-point Python loop calling `model.widths(m, g)` on {N_BASELINE} random grid points, "
              "extrapolated linearly to 1e6 points (measured in the same run).  Last column: largest relative "
              "difference of the total width between the two.\n\n"
              "| model | channels | factorised grid [s] | per-point loop, 1e6 points [s] | speed-up | max rel. diff |\n"
              "|---|---|---|---|---|---|\n")
    return header + "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(run())
