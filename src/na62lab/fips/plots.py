"""Lifetime and branching-ratio figures of the FIP models (PNG, written atomically)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from na62lab.fips.base import FIPModel
from na62lab.physics.units import GeV, m
from na62lab.results.io import atomic_write

DEFAULT_COUPLINGS = {"epsilon": (1e-7, 1e-6, 1e-5), "theta": (1e-5, 1e-4, 1e-3), "g_agg_GeV^-1": (1e-6, 1e-5, 1e-4),
                     "g_Y": (1e-5, 1e-4, 1e-3), "inv_fG_GeV^-1": (1e-6, 1e-5, 1e-4), "U2": (1e-8, 1e-6, 1e-4)}


def _figure():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _save(fig, path: Path) -> Path:
    def writer(tmp: Path) -> None:
        fig.savefig(tmp, format="png", dpi=120, bbox_inches="tight")
    out = atomic_write(path, writer)
    _figure().close(fig)
    return out


def plot_lifetime(model: FIPModel, path: str | Path, mass_min_gev: float = 0.01, mass_max_gev: float = 3.0,
                  couplings: list[float] | None = None, n: int = 400) -> Path:
    """c*tau (m) versus mass (GeV) for a few couplings; returns the PNG path.

    Parameters
    ----------
    model : FIPModel
        The model.
    path : str or Path
        Output PNG file (written atomically).
    mass_min_gev, mass_max_gev : float
        Mass range in GeV (log scale).
    couplings : list of float, optional
        Couplings in the model's convention (default: three typical values).
    """
    plt = _figure()
    masses = np.logspace(np.log10(mass_min_gev), np.log10(mass_max_gev), n)
    fig, ax = plt.subplots(figsize=(6, 4.2))
    for g in couplings or DEFAULT_COUPLINGS.get(model.coupling_name, (1e-6, 1e-5, 1e-4)):
        ctau = model.ctau(masses * GeV, g) / m
        ax.plot(masses, np.where(np.isfinite(ctau), ctau, np.nan), label=f"{model.coupling_name} = {g:g}")
    ax.set(xscale="log", yscale="log", xlabel="mass [GeV]", ylabel=r"$c\tau$ [m]", title=f"{model.name} lifetime")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    return _save(fig, Path(path))


def plot_branching_ratios(model: FIPModel, path: str | Path, mass_min_gev: float = 0.01, mass_max_gev: float = 3.0,
                          coupling: float | None = None, n: int = 400, threshold: float = 1e-3) -> Path:
    """Decay branching ratios versus mass (GeV); channels above ``threshold`` somewhere are drawn."""
    plt = _figure()
    masses = np.logspace(np.log10(mass_min_gev), np.log10(mass_max_gev), n)
    if coupling is None and model.fixed_widths(masses * GeV):
        coupling = DEFAULT_COUPLINGS.get(model.coupling_name, (1e-6,) * 3)[1]
    brs = model.branching_ratios(masses * GeV, coupling)
    fig, ax = plt.subplots(figsize=(6, 4.2))
    for key, value in brs.items():
        if np.max(value) > threshold:
            ax.plot(masses, value, label=key)
    ax.set(xscale="log", yscale="log", ylim=(threshold, 1.5), xlabel="mass [GeV]", ylabel="branching ratio",
           title=f"{model.name} decays" + (" (APPROXIMATE hadronic widths)" if "alp" in model.name else ""))
    ax.legend(fontsize=7, ncol=2)
    ax.grid(alpha=0.3, which="both")
    return _save(fig, Path(path))
