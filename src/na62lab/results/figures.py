"""Figure helpers: Agg figures outside pyplot (no backend switch), the package style, atomic PNG + PDF writes.

Every figure of na62lab is made with :func:`new_figure` and written with :func:`save_png`,
which applies :func:`na62lab.results.style.finish` (log ticks, titles, legend outside the
data) and writes the same figure as PDF beside the PNG, for talks.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt   # only to close figures a caller may have registered; selects no backend
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from na62lab.results.io import atomic_write
from na62lab.results.style import apply_style, finish


def new_figure(width: float = 7.0, height: float = 5.0):
    """A figure and axes in the package style (mplhep ROOT base, :mod:`na62lab.results.style`).

    Parameters
    ----------
    width, height : float
        Size in inches (the legend is added to the right of it when saved).
    """
    apply_style()
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)   # an Agg canvas of its own: no pyplot, no global backend switch
    return fig, fig.add_subplot()


def save_png(fig, path: str | Path, dpi: int = 120, pdf: bool = True) -> Path:
    """Finish ``fig`` in the package style, save it as PNG and (``pdf``) PDF atomically, close it.

    Parameters
    ----------
    path : str or Path
        The PNG file; the PDF is the same path with suffix ``.pdf``.

    Returns
    -------
    Path
        The PNG path.  The axes titles are stored as the files' ``Title`` metadata (the
        report's figure captions).
    """
    title = " / ".join(" ".join(ax.get_title().split()) for ax in fig.axes if ax.get_title())
    finish(fig)
    path = Path(path)
    meta = {"Title": title} if title else {}
    atomic_write(path, lambda p: fig.savefig(p, format="png", dpi=dpi, bbox_inches="tight", metadata=meta))
    if pdf:
        atomic_write(path.with_suffix(".pdf"),
                     lambda p: fig.savefig(p, format="pdf", bbox_inches="tight", metadata=meta))
    plt.close(fig)   # a no-op for the Agg figures of new_figure (pyplot does not hold them)
    return path
