"""Lifetime and branching-ratio figures of the FIP models (PNG + PDF in the package style, written atomically)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from na62lab.errors import InputError
from na62lab.fips.base import FIPModel
from na62lab.physics.units import GeV, m


def typical_couplings(model: FIPModel) -> tuple[float, ...]:
    """Three couplings for lifetime plots: the model's ``typical_couplings``, else the quartiles
    (in log) of its ``default_coupling_range``."""
    if model.typical_couplings:
        return tuple(model.typical_couplings)
    lo, hi = np.log10(model.default_coupling_range)
    return tuple(float(10 ** (lo + f * (hi - lo))) for f in (0.25, 0.5, 0.75))


def _save(fig, path: Path) -> Path:
    """Write in the package style (results.figures.save_png: PNG and PDF, atomically)."""
    from na62lab.results.figures import save_png
    return save_png(fig, path)


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
    from na62lab.results.figures import new_figure
    from na62lab.results.style import MASS_LABEL, coupling_label
    masses = np.logspace(np.log10(mass_min_gev), np.log10(mass_max_gev), n)
    values = couplings or typical_couplings(model)
    with np.errstate(over="ignore", divide="ignore"):
        curves = [model.ctau(masses * GeV, g) / m for g in values]
    if not any(np.any(np.isfinite(c) & (c > 0)) for c in curves):     # matplotlib's log axis raised (exit 70)
        raise InputError("--coupling/--mass-range", f"{', '.join(f'{g:g}' for g in values)} at "
                         f"{mass_min_gev:g}-{mass_max_gev:g} GeV", "a coupling and masses where c tau is finite "
                         f"(there {model.name} is stable or its c tau overflows)")
    fig, ax = new_figure()
    for g, ctau in zip(values, curves):
        ax.plot(masses, np.where(np.isfinite(ctau), ctau, np.nan),
                label=f"{coupling_label(model.coupling_name).split(' [')[0]} = {g:g}")
    ax.set(xscale="log", yscale="log", xlabel=MASS_LABEL, ylabel=r"$c\tau$ [m]",
           title=f"{model.name} lifetime" + (f" ({model.width_note})" if model.width_note else ""))
    ax.legend()
    ax.grid(alpha=0.3, which="both")
    return _save(fig, Path(path))


def plot_branching_ratios(model: FIPModel, path: str | Path, mass_min_gev: float = 0.01, mass_max_gev: float = 3.0,
                          coupling: float | None = None, n: int = 400, threshold: float = 1e-3) -> Path:
    """Decay branching ratios versus mass (GeV); channels above ``threshold`` somewhere are drawn."""
    from na62lab.results.figures import new_figure
    from na62lab.results.style import MASS_LABEL, line_styles
    masses = np.logspace(np.log10(mass_min_gev), np.log10(mass_max_gev), n)
    if coupling is None and model.fixed_widths(masses * GeV):
        coupling = typical_couplings(model)[1]
    brs = model.branching_ratios(masses * GeV, coupling)
    fig, ax = new_figure()
    shown = {k: v for k, v in brs.items() if np.max(v) > threshold}
    for (key, value), (colour, ls) in zip(shown.items(), line_styles(len(shown))):
        ax.plot(masses, value, color=colour, ls=ls, label=key)
    ax.set(xscale="log", yscale="log", ylim=(threshold, 1.5), xlabel=MASS_LABEL, ylabel="branching ratio",
           title=f"{model.name} decays" + (f" ({model.width_note})" if model.width_note else ""))
    ax.legend()
    ax.grid(alpha=0.3, which="both")
    return _save(fig, Path(path))
