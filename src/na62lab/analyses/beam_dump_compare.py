"""Several proton-dump experiments in one benchmark plane (issue 16 item 3).

Each experiment is a dump card (NA62 2021 and Run 2, HIKE, SHADOWS, SHiP at ECN3,
CHARM, NuCal, or a user's YAML file, :mod:`na62lab.config.dump`); every card is run
through the same production, decay, selection and CLs machinery
(:func:`na62lab.analyses.beam_dump.sensitivity`) and drawn with its expected
+-1 sigma band in one PBC-style figure.  One JSON and one HEPData record are
written per experiment.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from na62lab.analyses.beam_dump import model_plane, sensitivity
from na62lab.analyses.beam_dump_outputs import _mark_open_edges, _y, contour_islands, write_result
from na62lab.analyses.beam_dump_result import DumpSensitivity
from na62lab.config.dump import DumpCard
from na62lab.yields.dump_contours import mass_intervals


def experiment_label(card: DumpCard, result: DumpSensitivity) -> str:
    """Legend label: the experiment (:attr:`DumpCard.display_name`: the card's ``label``, else its detector's
    name, else the card name) and its exposure."""
    return f"{card.display_name}, {result.n_pot:.2g} POT"


def compare(model: str, cards: list[DumpCard], n_mass: int = 60, n_coupling: int = 60,
            mass_range_gev: tuple[float, float] | None = None,
            coupling_range: tuple[float, float] | None = None, channels: list[str] | None = None,
            workers: int = 1, scheduler: str | None = None, use_cache: bool = True) -> list[DumpSensitivity]:
    """:func:`~na62lab.analyses.beam_dump.sensitivity` of every card on a common grid.

    The mass and coupling ranges are the model's defaults unless given, the
    same for all cards, so the contours are comparable.  ``channels`` (final
    states) applies to every card, each using those it has.  A card that cannot
    measure the model (:func:`unmeasurable`) is left out; the caller reports it.
    Returns one result per measuring card, each with its
    :attr:`~DumpSensitivity.experiment` label.
    """
    out = []
    skip = unmeasurable(model, cards, channels)
    for card in cards:
        if card.name in skip:
            continue
        chans = [c for c in channels if c in card.channels] if channels else None
        res = sensitivity(model, card, n_mass, n_coupling, mass_range_gev, coupling_range, chans,
                          workers, scheduler, use_cache)
        out.append(res.with_experiment(experiment_label(card, res)))
    return out


def unmeasurable(model: str, cards: list[DumpCard], channels: list[str] | None = None) -> dict[str, str]:
    """Cards that cannot measure ``model``, card name -> one-line reason.

    A card measures nothing when it selects none of the model's final states
    (:func:`na62lab.yields.dump_grid.unmeasured_reason`, e.g. the HNL-only BEBC
    card for a dark photon), or none of the requested ``channels``.  Such a card
    has no contour; it is named, never drawn as an empty (zero) exclusion.
    """
    from na62lab.fips import get_model
    from na62lab.yields.dump_grid import unmeasured_reason

    fip = get_model(model)
    out = {}
    for card in cards:
        reason = unmeasured_reason(fip, card)
        if reason is not None:
            out[card.name] = f"selects none of {fip.name}'s final states ({reason})"
        elif channels and not any(c in card.channels and c in fip.decay_channels for c in channels):
            out[card.name] = (f"selects none of the requested final states {', '.join(channels)} "
                              f"(it selects {', '.join(card.channels)})")
    return out


OPEN_EDGE_LABEL = "dotted, arrows: open edge (the region continues beyond the grid)"
"""Legend entry of the open edges in a figure of several experiments."""


def comparison_figure(results: list[DumpSensitivity], path: str | Path,
                      not_measured: dict[str, str] | None = None) -> Path:
    """One figure: per experiment the expected +-1 sigma band (filled), the expected median
    (dashed) and, for data, the observed contour (solid); open edges marked; the cards that
    cannot measure the model (``not_measured``, :func:`unmeasurable`) named in a corner."""
    from na62lab.results.figures import new_figure, save_png
    from na62lab.results.style import MASS_LABEL, upright_symbol_ylabel

    first = results[0]
    style = model_plane(first.style_spec, first.coupling_name)
    sq = style["square"]
    fig, ax = new_figure(8.0, 6.0)
    marked = False
    for i, res in enumerate(results):
        colour = f"C{i % 10}"
        m1, g1 = contour_islands(res.expected_bands.minus1, res.masses_gev)
        if m1.size:
            ax.fill(m1, _y(g1, sq), color=colour, alpha=0.18, lw=0)
        m, g = contour_islands(res.expected_bands.median, res.masses_gev)
        kind = "expected" if res.projection else "expected (median)"
        if m.size:
            ax.plot(m, _y(g, sq), ls="--", color=colour, lw=1.2,
                    label=f"{res.experiment}: {kind}" + (r" $\pm1\sigma$" if m1.size else ""))
        if not res.projection:
            m, g = contour_islands(res.excluded_ranges, res.masses_gev)
            if m.size:
                ax.plot(m, _y(g, sq), color=colour, lw=2, label=f"{res.experiment}: observed")
        marked |= _mark_open_edges(ax, res.excluded_ranges, sq, res.open_edges, colour=colour, labelled=False)
    if marked:   # one entry for all experiments (each experiment's arrows in its colour; they were all C3)
        ax.plot([], [], ls=":", color="0.4", marker="v", ms=4, label=OPEN_EDGE_LABEL)
    ax.set(xscale="log", yscale="log", xlabel=MASS_LABEL, ylabel=style["ylabel"],
           title=f"{first.pbc} {first.model}: {int(first.cl * 100)}% CL, "
                 f"{len(results)} experiments (na62lab fast simulation)")
    upright_symbol_ylabel(ax)
    ax.legend(fontsize=8, loc="upper right")
    if not_measured:
        ax.text(0.01, 0.01, f"no final state of {first.model} selected (not drawn): {', '.join(not_measured)}",
                transform=ax.transAxes, fontsize=7)
    return save_png(fig, path)


def write_comparison(results: list[DumpSensitivity], out: Path, not_measured: dict[str, str] | None = None,
                     card_specs: dict[str, str] | None = None,
                     display_names: dict[str, str] | None = None) -> dict[str, Path]:
    """Per experiment ``<card>/<PBC>_sensitivity.json`` and ``<card>/hepdata/``; one comparison figure;
    ``not_measured.json`` (card -> reason) when some cards cannot measure the model.

    Each JSON carries a ``provenance`` block; its card record (SHA-256, seeds) is that of
    ``card_specs[result.card]`` (the shipped name or YAML path the card was loaded from), else of the
    card's name.  ``display_names`` (card name -> :attr:`~na62lab.config.dump.DumpCard.display_name`) names
    the cards that cannot measure the model in the figure as the legend names the others.
    """
    from na62lab.results.io import write_json

    out = Path(out)
    written = {}
    for res in results:
        folder = out / _safe(res.card)
        stem = f"{res.pbc or res.model}_sensitivity"
        spec = (card_specs or {}).get(res.card, res.card)
        written[res.card] = write_result(res, folder / f"{stem}.json", folder / "hepdata", spec)
    if not_measured:
        written["not_measured"] = write_json(out / "not_measured.json", not_measured)
    shown = {(display_names or {}).get(card, card): why for card, why in (not_measured or {}).items()}
    written["figure"] = comparison_figure(results, out / f"{results[0].pbc or results[0].model}_comparison.png",
                                          shown)
    return written


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def _extremes(ranges: list[dict]) -> dict:
    """Smallest/largest excluded coupling of ``ranges``, the mass (GeV) where each lies, and whether each is
    the grid's edge (open)."""
    low = min(ranges, key=lambda x: x["coupling_min"], default=None)
    high = max(ranges, key=lambda x: x["coupling_max"], default=None)
    return {"coupling_min": None if low is None else low["coupling_min"],
            "coupling_max": None if high is None else high["coupling_max"],
            "mass_at_min_gev": None if low is None else low["mass_gev"],
            "mass_at_max_gev": None if high is None else high["mass_gev"],
            "open_min": bool(low is not None and low.get("open_lower")),
            "open_max": bool(high is not None and high.get("open_upper"))}


def summary_rows(results: list[DumpSensitivity]) -> list[dict]:
    """Per experiment: excluded mass range, its islands, and the smallest/largest excluded coupling with
    whether that coupling is the grid's edge (``open_min``/``open_max``: the region continues beyond it)."""
    rows = []
    for res in results:
        r = res.excluded_ranges
        m = np.array([x["mass_gev"] for x in r])
        rows.append({"experiment": res.experiment, "kind": res.limit_kind,
                     "mass_gev": (float(m.min()), float(m.max())) if m.size else None,
                     "mass_islands_gev": mass_intervals(r, res.masses_gev), **_extremes(r)})
    return rows


OPEN_EDGE_LEGEND = "'<' / '>': the region reaches the coupling grid's edge there (open: the limit lies beyond {beyond})"
"""Legend of the ``<``/``>`` marks of :func:`exclusion_text`; ``beyond`` names the coupling range."""


def exclusion_text(ranges: list[dict], masses_gev) -> tuple[str, str, str]:
    """Printed excluded masses (GeV, one ``lo-hi`` per island of consecutive grid masses) and smallest/largest
    excluded coupling with the mass where it lies (``1.41e-08 @ 0.548 GeV``: an extreme can sit on a narrow
    feature, e.g. an ALP's mixing resonance at the eta mass), ``<``/``>`` where that coupling is the grid's edge
    (open: the limit lies beyond it).

    ``ranges``: ``excluded_ranges`` of a result or of its JSON record; ``masses_gev``: its mass grid.  The cells
    of every exclusion table (``reproduce``, ``sensitivity`` with several cards, the HTML report).
    """
    islands = mass_intervals(ranges, masses_gev)
    if not islands:
        return "none", "-", "-"
    ext = _extremes(ranges)
    return (" and ".join(f"{lo:.4g}-{hi:.4g}" if hi > lo else f"{lo:.4g}" for lo, hi in islands),
            f"{'<' if ext['open_min'] else ''}{ext['coupling_min']:.2e} @ {ext['mass_at_min_gev']:.3g} GeV",
            f"{'>' if ext['open_max'] else ''}{ext['coupling_max']:.2e} @ {ext['mass_at_max_gev']:.3g} GeV")


def exclusion_cells(result: DumpSensitivity) -> tuple[str, str, str]:
    """:func:`exclusion_text` of a result."""
    return exclusion_text(result.excluded_ranges, result.masses_gev)


def efficiency_summary(results: list[DumpSensitivity]) -> dict[str, str]:
    """Per card, the efficiencies applied in ``results`` (card values with their status, e.g. "assumed"),
    merged over models: ``name value (status) for final states``; "none applied" for a card without any."""
    merged: dict[str, dict[tuple, list[str]]] = {}
    for res in results:
        per_card = merged.setdefault(res.card, {})
        for eff in res.efficiencies:
            states = per_card.setdefault((eff["name"], eff["value"], eff["status"]), [])
            states += [s for s in eff["final_states"] if s not in states]
    return {card: "; ".join(f"{name} {value:.3g} ({status}) for {','.join(states)}"
                            for (name, value, status), states in per_card.items()) or "none applied"
            for card, per_card in merged.items()}
