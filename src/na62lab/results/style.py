"""The one figure style of na62lab: mplhep base, readable log ticks, legends outside the data.

Every figure of the package is drawn on axes from :func:`na62lab.results.figures.new_figure`
and written by :func:`na62lab.results.figures.save_png`, which calls :func:`finish` on every
axes and writes a PDF beside the PNG.  This module holds the conventions those two apply:

* units: mass in GeV on every axis (:data:`MASS_LABEL`);
* couplings named as in the PBC benchmark plots (Beacham et al., J. Phys. G 47 (2020) 010501,
  Table 1 and Figs. 14-25), in the model's own convention, which is also the one of the CLI,
  the tables and the JSON (:data:`COUPLINGS`).  The dark scalar is ``theta`` (the mixing
  angle, not squared) everywhere; PBC BC4 plots show sin^2 theta ~ theta^2;
* observed results are solid lines, expected ones (projections, medians) dashed and labelled
  "expected"; published curves are drawn as curves with their reference in the legend;
  edges of a contour that only reach the edge of the computed grid are drawn dotted
  ("open": the exclusion continues beyond the grid) -- :func:`draw_contour`;
* log axes: labels on decades only, thinned when there are many, minor ticks unlabelled
  unless the axis spans less than a decade (:func:`fix_log_ticks`);
* titles at one size, wrapped; legends outside the data area (:func:`legend_outside`);
* enough distinct (colour, line style) pairs for 20 channels (:func:`line_styles`).

:func:`tick_label_overlaps` measures overlapping tick labels (the tests use it).

Importing this module is cheap (matplotlib is imported by the functions that draw), so code
that never draws can use the coupling names.
"""

from __future__ import annotations

import itertools
import textwrap

MASS_LABEL = r"mass [GeV]"
"""x-axis label of every mass axis (GeV everywhere)."""

COUPLINGS: dict[str, tuple[str, str]] = {
    "epsilon": ("epsilon", r"$\epsilon$"),
    "theta": ("theta", r"$\theta$"),
    "g_agg_GeV^-1": ("g_agg [GeV^-1]", r"$g_{a\gamma\gamma}$ [GeV$^{-1}$]"),
    "g_Y": ("g_Y", r"$g_Y$"),
    "inv_fG_GeV^-1": ("1/f_G [GeV^-1]", r"$1/f_G$ [GeV$^{-1}$]"),
    "U2": ("|U|^2", r"$|U|^2$"),
    "U2_e": ("|U_e|^2", r"$|U_e|^2$"),
    "U2_mu": ("|U_mu|^2", r"$|U_\mu|^2$"),
    "U2_tau": ("|U_tau|^2", r"$|U_\tau|^2$"),
}
"""Coupling name in code -> (name shown to users in text, tables and JSON; LaTeX axis label).

PBC benchmark conventions (J. Phys. G 47 (2020) 010501, Sec. 3): BC1 epsilon, BC4 theta
(PBC plots sin^2 theta), BC6/BC7/BC8 |U_e|^2, |U_mu|^2, |U_tau|^2, BC9 g_agg, BC10 g_Y,
BC11 1/f_G."""

TITLE_SIZE = 13
LABEL_SIZE = 14
TICK_SIZE = 12
LEGEND_SIZE = 10
_WRAP = 58

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#7f7f7f", "#bcbd22")
LINESTYLES = ("-", "--", "-.", ":")

_STYLED = False


def coupling_text(name: str) -> str:
    """The user-facing (plain-text) name of a coupling, e.g. ``"1/f_G [GeV^-1]"``."""
    return COUPLINGS.get(name, (name, name))[0]


def coupling_label(name: str) -> str:
    """The LaTeX axis label of a coupling, e.g. ``r"$1/f_G$ [GeV$^{-1}$]"``."""
    return COUPLINGS.get(name, (name, name))[1]


def upright_symbol_ylabel(ax) -> None:
    """Set the y label of ``ax`` upright when it is a bare symbol (no space, no unit: epsilon, theta, |U_e|^2).

    The ROOT style rotates the y label by 90 degrees; a lone epsilon turned on its side reads as an omega.
    Labels with words or units (``g_agg [GeV^-1]``) stay rotated along the axis.
    """
    if " " not in ax.get_ylabel().strip():
        ax.yaxis.label.set_rotation(0)


def apply_style() -> None:
    """Set the mplhep ROOT style once, then the package's sizes (idempotent)."""
    global _STYLED
    if _STYLED:
        return
    import matplotlib
    from matplotlib.rcsetup import cycler
    from matplotlib import style as mpl_style

    try:
        import mplhep

        mpl_style.use(mplhep.style.ROOT)
    except Exception:  # pragma: no cover - mplhep is a dependency; the sizes below still apply
        pass
    matplotlib.rcParams.update({"axes.titlesize": TITLE_SIZE, "axes.labelsize": LABEL_SIZE,
                         "xtick.labelsize": TICK_SIZE, "ytick.labelsize": TICK_SIZE,
                         "legend.fontsize": LEGEND_SIZE, "figure.titlesize": TITLE_SIZE,
                         "axes.prop_cycle": cycler(color=COLOURS),
                         "pdf.fonttype": 42})
    _STYLED = True


def line_styles(n: int) -> list[tuple[str, str]]:
    """``n`` distinct (colour, line style) pairs: 10 colours, then the next line style.

    Distinct for up to 40 curves (e.g. the 20 decay channels of an ALP figure).
    """
    pairs = [(c, ls) for ls, c in itertools.product(LINESTYLES, COLOURS)]
    return [pairs[i % len(pairs)] for i in range(n)]


def observed_or_expected(projection: bool, cl: float = 0.9) -> str:
    """Legend label of a limit curve: ``"observed 90% CL"`` or, for a projection, ``"expected 90% CL"``."""
    return f"{'expected' if projection else 'observed'} {cl:.0%} CL"


def band_label(n_sigma: int, low_events: float, high_events: float) -> str:
    """Legend label of an expected +-n sigma band; says when the band has zero width.

    With a background far below one event the expected limit is the same for every
    background-only count near the median (usually 0), so the band edges coincide with the
    median: the label says so instead of listing a band that cannot be seen.
    """
    label = rf"expected $\pm{n_sigma}\sigma$"
    if abs(high_events - low_events) <= 1e-6 * max(abs(high_events), 1e-12):
        label += " (zero width: same limit as the median)"
    return label


def draw_contour(ax, masses, couplings, label: str, open_edge=None, expected: bool = False, **kw):
    """Draw an exclusion contour; segments on the grid edge (``open_edge`` True) dotted.

    Parameters
    ----------
    masses, couplings : array_like
        The closed contour path (mass in GeV, coupling in the model's convention).
    open_edge : array_like of bool, optional
        Per point, True where the contour is only the edge of the computed grid
        (the excluded region continues beyond it): drawn dotted and labelled once.
    expected : bool
        Projections and medians are dashed; observed results solid.
    """
    import numpy as np

    m, g = np.asarray(masses, float), np.asarray(couplings, float)
    kw.setdefault("lw", 2)
    line, = ax.plot(m, g, ls="--" if expected else "-", label=label, **kw)
    if open_edge is not None:
        edge = np.asarray(open_edge, bool)
        seg = edge[:-1] & edge[1:]
        if seg.any():
            mm = np.where(np.r_[seg, False] | np.r_[False, seg], m, np.nan)
            gg = np.where(np.r_[seg, False] | np.r_[False, seg], g, np.nan)
            ax.plot(mm, gg, color="white", lw=kw["lw"] + 0.5)
            ax.plot(mm, gg, color=line.get_color(), ls=":", lw=kw["lw"], label="grid edge (open)")
    return line


def overlay_label(path) -> str:
    """The reference of a published-curve file: its first ``#`` comment line, else the file name stem."""
    from pathlib import Path

    p = Path(path)
    try:
        with p.open(encoding="utf-8", errors="replace") as fh:
            first = fh.readline().strip()
    except OSError:
        return p.stem
    return first.lstrip("#").strip() or p.stem if first.startswith("#") else p.stem


def draw_published(ax, masses, couplings, reference: str, **kw):
    """A published curve (digitised), its reference in the legend, drawn as a black dash-dot curve."""
    kw.setdefault("color", "black")
    kw.setdefault("lw", 1.8)
    return ax.plot(masses, couplings, ls="-.", label=f"published: {reference}", **kw)[0]


def fix_log_ticks(ax) -> None:
    """Decade labels only (thinned beyond 8 decades); below one decade a few plain labels; minor ticks unlabelled."""
    import numpy as np
    from matplotlib import ticker

    for axis, scale, lim in ((ax.xaxis, ax.get_xscale(), ax.get_xlim()), (ax.yaxis, ax.get_yscale(), ax.get_ylim())):
        if scale != "log":
            continue
        lo, hi = sorted(lim)
        decades = np.log10(hi / lo) if lo > 0 else 10.0
        if decades < 1.0:  # less than a decade: a few plain labels (0.1, 0.11, 0.12), no minor labels
            axis.set_major_locator(ticker.MaxNLocator(nbins=5))
            axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:.3g}"))
            axis.set_minor_locator(ticker.MaxNLocator(nbins=25))
        else:
            axis.set_major_locator(ticker.LogLocator(base=10.0, numticks=8))
            axis.set_major_formatter(ticker.LogFormatterSciNotation(base=10.0))
            axis.set_minor_locator(ticker.LogLocator(base=10.0, subs=np.arange(2.0, 10.0).tolist(), numticks=100))
        axis.set_minor_formatter(ticker.NullFormatter())


_PARTICLES = {"K+": r"K^+", "K-": r"K^-", "pi+": r"\pi^+", "pi-": r"\pi^-", "pi0": r"\pi^0", "mu+": r"\mu^+",
              "mu-": r"\mu^-", "e+": r"e^+", "e-": r"e^-", "nu": r"\nu", "nubar": r"\bar{\nu}", "gamma": r"\gamma",
              "gammagamma": r"\gamma\gamma", "->": r"\to ", "X": "X", "N": "N", "S": "S", "a": "a", "A'": "A'",
              "eta": r"\eta", "invisible": r"\mathrm{inv.}"}


def decay_latex(text: str) -> str:
    """Plain-text decays in a label (``"K+ -> pi+ X"``) as mathtext; other text kept.

    Only text that contains ``->`` is converted.  A token is a particle when it is an
    unambiguous name (``K+``, ``pi0``, ``mu-``, ``gamma``...) or a one-letter FIP name
    (``X``, ``N``, ``S``, ``a``) / ``invisible`` next to an arrow or another particle in the
    same decay; a run of particles and arrows becomes one ``$...$`` group without spaces,
    so wrapping never splits it.
    """
    if "->" not in text or "$" in text:
        return text
    words = text.split(" ")
    cores = [w.strip(",:;()") for w in words]
    plain = [w == c for w, c in zip(words, cores)]
    ambiguous = {"X", "N", "S", "a", "invisible"}

    def particle(i: int) -> bool:
        c = cores[i]
        if c not in _PARTICLES:
            return False
        if c not in ambiguous:
            return True
        prev_arrow_or_p = i > 0 and cores[i - 1] in _PARTICLES and cores[i - 1] not in ambiguous and plain[i - 1]
        next_arrow = i + 1 < len(cores) and cores[i + 1] == "->"
        return (prev_arrow_or_p and words[i][:1] != "(") or next_arrow

    out: list[str] = []
    run: list[str] = []
    for i, word in enumerate(words):
        if particle(i):
            c = cores[i]
            head, tail = word[:word.index(c)], word[word.index(c) + len(c):]
            if head:
                if run:
                    out.append("$" + "".join(run) + "$")
                    run = []
                out.append(head)
            run.append(_PARTICLES[c])
            if tail:
                out.append("$" + "".join(run) + "$" + tail)
                run = []
            continue
        if run:
            out.append("$" + "".join(run) + "$")
            run = []
        out.append(word)
    if run:
        out.append("$" + "".join(run) + "$")
    return " ".join(out).replace("( $", "($")


def wrap_title(ax) -> None:
    """One title size, decays in mathtext, long titles wrapped at ~58 characters."""
    title = decay_latex(ax.get_title())
    if title:
        ax.set_title("\n".join(textwrap.wrap(title, _WRAP)) if "\n" not in title else title, fontsize=TITLE_SIZE)


_LEGEND_WRAP = 34


def wrap_outside_math(text: str, width: int) -> str:
    """Wrap ``text`` at spaces that are not inside ``$...$`` (mathtext must stay on one line)."""
    words, current, inside = [], "", False
    for token in text.split(" "):
        current = f"{current} {token}" if inside else token
        inside = (current.count("$") % 2) == 1
        if not inside:
            words.append(current)
    if inside:
        words.append(current)
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(lines + [line])


def legend_outside(fig) -> None:
    """Move every axes legend to the right of the figure (outside all data and colour bars)."""
    handles, labels = [], []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        for h, lab in zip(*ax.get_legend_handles_labels()):
            text = wrap_outside_math(decay_latex(lab), _LEGEND_WRAP)
            if text not in labels and not lab.startswith("_"):
                handles.append(h)
                labels.append(text)
        legend.remove()
    if handles:
        right = max(ax.get_position().x1 for ax in fig.axes)
        top = max(ax.get_position().y1 for ax in fig.axes)
        fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(right + 0.02, top), frameon=False,
                   fontsize=LEGEND_SIZE, borderaxespad=0.0)


def finish(fig) -> None:
    """Apply the style to a finished figure: log ticks, titles, legend placement."""
    for ax in fig.axes:
        fix_log_ticks(ax)
        wrap_title(ax)
    legend_outside(fig)


def tick_label_overlaps(fig) -> list[tuple[str, str]]:
    """Pairs of visible tick labels whose rendered boxes overlap (same axis), after a draw."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    clashes = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            ticks = axis.get_major_ticks() + axis.get_minor_ticks()
            boxes = [(t.label1.get_text(), t.label1.get_window_extent(renderer)) for t in ticks
                     if t.label1.get_visible() and t.label1.get_text() and t.get_visible()
                     and _in_view(axis, t.get_loc())]
            for (ta, a), (tb, b) in itertools.combinations(boxes, 2):
                if a.overlaps(b) and a.intersection(a, b).width > 0.5 and a.intersection(a, b).height > 0.5:
                    clashes.append((ta, tb))
    return clashes


def _in_view(axis, loc: float) -> bool:
    lo, hi = sorted(axis.get_view_interval())
    return lo - 1e-12 * abs(lo) <= loc <= hi + 1e-12 * abs(hi)
