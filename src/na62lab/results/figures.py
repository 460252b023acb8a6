"""Figure helpers: a non-interactive backend, HEP style and atomic PNG writes."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from na62lab.results.io import atomic_write  # noqa: E402


def new_figure(width: float = 7.0, height: float = 5.0):
    """A figure and axes in the mplhep style (falls back to matplotlib's)."""
    try:
        import mplhep

        plt.style.use(mplhep.style.ROOT)
    except Exception:  # pragma: no cover - style is cosmetic
        pass
    return plt.subplots(figsize=(width, height))


def save_png(fig, path: str | Path, dpi: int = 120) -> Path:
    """Save ``fig`` as PNG atomically and close it."""
    path = atomic_write(path, lambda p: fig.savefig(p, format="png", dpi=dpi, bbox_inches="tight"))
    plt.close(fig)
    return path
