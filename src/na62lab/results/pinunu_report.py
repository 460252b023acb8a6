"""Tables and figures of the K+ -> pi+ nu nubar reproduction.

Input: the typed :class:`~na62lab.analyses.pinunu.PinunuSummary` of
:func:`na62lab.analyses.pinunu.analyse` (BR dimensionless, shown in units of 1e-11).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from rich.table import Table

from na62lab.results.figures import new_figure, save_png

if TYPE_CHECKING:
    from na62lab.analyses.pinunu import PinunuSummary


def _br(x: float | None, up: float | None = None, down: float | None = None) -> str:
    if x is None:
        return "-"
    s = f"{x / 1e-11:.1f}"
    if up is not None and down is not None:
        s += f" +{up / 1e-11:.1f} -{down / 1e-11:.1f}"
    return s


def results_table(summary: PinunuSummary) -> Table:
    """Rich table: ours vs published, BR in units of 1e-11."""
    sm = summary.sm_prediction
    t = Table(title=f"K+ -> pi+ nu nubar: published counting results reproduced (BR in 1e-11; "
                    f"SM {sm['br'] / 1e-11:.2f} +- {sm['br_err'] / 1e-11:.2f}; nuisances {summary.nuisance}d)")
    for col in ("dataset", "n_obs", "b", "BR ours", "BR published", "Z ours", "Z publ.",
                "SM tension", "tension publ.", "UL ours", "UL publ."):
        t.add_column(col, justify="right" if col != "dataset" else "left")
    for r in summary.datasets:
        p, m = r.published, r.measurement
        t.add_row(r.name, str(r.observed), f"{r.background:.2f}",
                  _br(m.br, m.br_err_up, m.br_err_down), _br(p.br, p.br_err_up, p.br_err_down),
                  f"{m.significance_bkg_only:.1f}", p.significance or "-",
                  f"{m.tension_sigma:+.1f}", p.sm_tension or "-",
                  f"{r.upper_limit_br / 1e-11:.0f} ({r.upper_limit_cl:.0%})",
                  f"{p.upper_limit / 1e-11:.0f} ({p.upper_limit_cl:.0%})" if p.upper_limit else "-")
    return t


def likelihood_scan_figure(summary: PinunuSummary, path: str | Path,
                           datasets: tuple[str, ...] = ("2016-18", "2021-22", "2016-22 (2 categories)")) -> Path:
    """-2 Delta ln L vs BR for some datasets (those analysed with a scan), with the SM band."""
    fig, ax = new_figure()
    sm = summary.sm_prediction
    ax.axvspan((sm["br"] - sm["br_err"]) / 1e-11, (sm["br"] + sm["br_err"]) / 1e-11, color="tab:green",
               alpha=0.3, label=f"SM {sm['br'] / 1e-11:.2f} $\\pm$ {sm['br_err'] / 1e-11:.2f}")
    for r in summary.datasets:
        if r.name in datasets and r.with_scan and r.measurement.scan_br:
            ax.plot(np.array(r.measurement.scan_br) / 1e-11, r.measurement.scan_m2dlnl, label=r.name)
    for level, text in ((1.0, r"1$\sigma$"), (4.0, r"2$\sigma$")):
        ax.axhline(level, color="grey", ls=":", lw=1)
        ax.text(0.5, level + 0.15, text, color="grey", fontsize=12)
    ax.set_xlabel(r"BR($K^+\to\pi^+\nu\bar\nu$) [$10^{-11}$]")
    ax.set_ylabel(r"$-2\Delta\ln L$ (profile)")
    ax.set_ylim(0, 12)
    ax.set_xlim(0, 40)
    ax.legend()
    ax.set_title("NA62 counting results reproduced (one bin per period)")
    return save_png(fig, path)
