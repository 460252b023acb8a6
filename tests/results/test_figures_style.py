"""The one figure style: every figure type renders without overlapping tick labels, with a PDF beside it."""

from __future__ import annotations

import numpy as np
import pytest

from na62lab.results import figures
from na62lab.results import style


@pytest.fixture()
def captured(monkeypatch):
    """Figures passed to save_png, kept open so their rendered tick labels can be measured."""
    kept = []
    close = figures.plt.close
    monkeypatch.setattr(figures.plt, "close", lambda fig=None: kept.append(fig))
    yield kept
    for fig in list(kept):
        close(fig)


def _assert_clean(figs):
    assert figs
    for fig in figs:
        clashes = style.tick_label_overlaps(fig)
        assert not clashes, f"{fig.axes[0].get_title()!r}: overlapping tick labels {clashes}"


def test_overlap_check_can_fail():
    """Labelling every minor tick of a many-decade log axis overlaps: the check sees it (and finish removes it)."""
    from matplotlib import ticker

    fig, ax = figures.new_figure(4, 3)
    ax.plot([1e-9, 1e-1], [1, 2])
    ax.set_xscale("log")
    ax.xaxis.set_minor_locator(ticker.LogLocator(subs=np.arange(2, 10), numticks=100))
    ax.xaxis.set_minor_formatter(ticker.LogFormatterSciNotation(labelOnlyBase=False, minor_thresholds=(100, 100)))
    assert style.tick_label_overlaps(fig)
    style.finish(fig)
    assert not style.tick_label_overlaps(fig)
    figures.plt.close(fig)


@pytest.mark.parametrize("span", [(1e-9, 1e-1), (0.2, 0.7), (0.01, 3.0), (1e-12, 1e2)])
def test_log_axes_any_span(tmp_path, captured, span):
    fig, ax = figures.new_figure()
    x = np.geomspace(*span, 50)
    ax.plot(x, x**2, label="a curve")
    ax.set(xscale="log", yscale="log", title="a title long enough to need wrapping at the sized title width ok")
    ax.legend()
    png = figures.save_png(fig, tmp_path / "f.png")
    assert png.with_suffix(".pdf").stat().st_size > 1000
    _assert_clean(captured)
    assert captured[0].legends and not captured[0].axes[0].get_legend()   # legend moved outside the axes


def test_search_and_pbc_figures(tmp_path, captured):
    from na62lab.analyses.kaon_searches import run_search
    from na62lab.results import search_report as rep

    summary = run_search("hnl-pi-e", masses_gev=[0.1, 0.11, 0.12])[1]
    rep.limit_figure(summary, tmp_path / "l.png")
    rep.limit_figure(summary, tmp_path / "u.png", u2=True)
    m = np.geomspace(0.01, 0.3, 30)
    reading = {"benchmark": "BC4", "model": "dark-scalar", "masses_gev": m, "excluded_lower": 1e-5 * (1 + m),
               "excluded_upper": 1e-2 / (1 + m), "search": "test"}
    rep.pbc_figure([reading], tmp_path / "p.png", [(m, 3e-5 * np.ones_like(m), "published: test curve")])
    _assert_clean(captured)
    assert captured[0].axes[0].get_xlabel() == style.MASS_LABEL          # GeV, not MeV
    assert captured[2].axes[0].get_ylabel() == style.coupling_label("theta")


def test_pinunu_and_fip_figures(tmp_path, captured):
    from na62lab.analyses import pinunu
    from na62lab.fips import get_model
    from na62lab.fips.plots import plot_branching_ratios, plot_lifetime
    from na62lab.results.pinunu_report import likelihood_scan_figure

    likelihood_scan_figure(pinunu.analyse(scan_points=20), tmp_path / "scan.png")
    alp = get_model("alp-fermion")
    plot_lifetime(alp, tmp_path / "ctau.png")
    plot_branching_ratios(alp, tmp_path / "br.png")
    _assert_clean(captured)
    lines = captured[-1].axes[0].get_lines()
    pairs = {(line.get_color(), line.get_linestyle()) for line in lines}
    assert len(pairs) == len(lines)                                       # every channel distinguishable


def test_twenty_channels_distinct():
    pairs = style.line_styles(20)
    assert len(set(pairs)) == 20


def test_contour_open_edges_and_published(tmp_path, captured):
    fig, ax = figures.new_figure()
    m = np.array([0.01, 0.1, 1.0, 1.0, 0.1, 0.01])
    g = np.array([1e-7, 1e-7, 1e-6, 1e-4, 1e-4, 1e-4])
    style.draw_contour(ax, m, g, style.observed_or_expected(True), open_edge=[0, 0, 0, 0, 1, 1], expected=True)
    style.draw_published(ax, m, g * 2, "EPJC 85 (2025) 571")
    ax.set(xscale="log", yscale="log", xlabel=style.MASS_LABEL, ylabel=style.coupling_label("epsilon"))
    ax.legend()
    figures.save_png(fig, tmp_path / "c.png")
    _assert_clean(captured)
    labels = [t.get_text() for t in captured[0].legends[0].get_texts()]
    assert "expected 90% CL" in labels and "grid edge (open)" in labels
    assert "published: EPJC 85 (2025) 571" in labels


@pytest.mark.parametrize("plain, latex", [
    ("K+ -> e+ N", r"$K^+\to e^+N$"),
    ("K+ -> pi+ X (X invisible) (90% CL)", r"$K^+\to \pi^+X$ (X invisible) (90% CL)"),
    ("K+ -> pi+ a, a -> gamma gamma", r"$K^+\to \pi^+a$, $a\to \gamma\gamma$"),
    ("a plain title", "a plain title"),
])
def test_decays_in_mathtext(plain, latex, tmp_path, captured):
    """Titles and legend labels: decays typeset like the axis labels (no plain text beside LaTeX)."""
    assert style.decay_latex(plain) == latex
    fig, ax = figures.new_figure()
    ax.plot([1, 2], [1, 2], label=plain)
    ax.set_title(f"{plain}: a title that is long enough to be wrapped somewhere in the middle")
    ax.legend()
    figures.save_png(fig, tmp_path / "t.png")                      # mathtext must parse
    assert latex in captured[0].axes[0].get_title().replace("\n", " ")


def test_band_label_says_zero_width():
    """b = 0.035 events: the -1/+1 sigma limits equal the median (2.30 events), so the band cannot be seen."""
    assert "zero width" in style.band_label(1, 2.302585, 2.302585)
    assert style.band_label(2, 2.30, 3.85) == r"expected $\pm2\sigma$"


def test_overlay_label_from_the_file_header(tmp_path):
    with_header = tmp_path / "curve.txt"
    with_header.write_text("# NA62 2021 ee+mumu (EPJC 85 (2025) 571)\n0.1 1e-6\n0.2 2e-6\n")
    bare = tmp_path / "bare.txt"
    bare.write_text("0.1 1e-6\n")
    assert style.overlay_label(with_header) == "NA62 2021 ee+mumu (EPJC 85 (2025) 571)"
    assert style.overlay_label(bare) == "bare"


def test_bare_symbol_ylabel_is_upright():
    """The ROOT style's rotated y label turned the dark photon's epsilon on its side, where it reads as an omega;
    a bare symbol is set upright, a label with a unit stays along the axis."""
    fig, ax = figures.new_figure()
    for label, rotation in ((style.coupling_label("epsilon"), 0.0), (style.coupling_label("U2_e"), 0.0),
                            (style.coupling_label("g_agg_GeV^-1"), 90.0)):
        ax.set_ylabel(label)
        ax.yaxis.label.set_rotation(90)
        style.upright_symbol_ylabel(ax)
        assert ax.yaxis.label.get_rotation() == rotation, label
    figures.plt.close(fig)
