"""``na62lab sensitivity``: beam-dump expected events and 90 % CL exclusion for a FIP model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from na62lab.cli.common import console, emit_json, sample_rows
from na62lab.cli.main import app
from na62lab.errors import InputError, require

if TYPE_CHECKING:
    from na62lab.analyses.beam_dump_result import DumpSensitivity


def _pair(text: str | None, field: str) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        lo, hi = (float(x) for x in text.split(","))
    except ValueError:
        raise InputError(field, text, "two comma-separated numbers LOW,HIGH") from None
    return lo, hi


def _grid(text: str) -> tuple[int, int]:
    try:
        nm, ng = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise InputError("--grid", text, "NMxNG, e.g. 60x60") from None
    return nm, ng


def _observed(text: str | None) -> dict[str, int] | None:
    if text is None:
        return None
    out = {}
    for item in text.split(","):
        name, _, value = item.partition("=")
        try:
            out[name.strip()] = int(value)
        except ValueError:
            raise InputError("--observed", text, "comma-separated CHANNEL=COUNT, e.g. ee=1,mumu=0") from None
    return out


def _open_mass_edge(result: DumpSensitivity) -> str:
    """'the region reaches the lowest [and the highest] mass of the grid', or '' when it reaches neither."""
    edges = result.open_edges
    which = " and the ".join(w for w, on in (("lowest", edges.low_mass), ("highest", edges.high_mass)) if on)
    return f"the region reaches the {which} mass of the grid" if which else ""


def _split_notes(results: list[DumpSensitivity]) -> tuple[list[str], list[list[str]]]:
    """The notes every result shares, and per result the notes of its own (its card's Drell-Yan target, its
    unmeasured table nodes ...: the comparison printed the first experiment's notes as everyone's)."""
    common = [line for line in results[0].notes if all(line in r.notes for r in results)]
    return common, [[line for line in r.notes if line not in common] for r in results]


def _limit_text(result: DumpSensitivity) -> str:
    """Counts and limits of the summary line; a projection has no observed events (it printed 'observed 0'
    and an 'observed' limit range under its own 'no data at this exposure' line)."""
    lim, inp = result.limits, result.combined_inputs
    bands = (f"+-1s {lim.minus1:.2f}-{lim.plus1:.2f}, +-2s {lim.minus2:.2f}-{lim.plus2:.2f}")
    background = f"background {inp.background:.3g} {inp.error_text}"
    if result.projection:
        return (f"no observed events (projection), {background}; {result.cl:.0%} CL expected (median) limit "
                f"{lim.median:.2f} events ({bands})")
    return (f"observed {inp.observed}, {background}; {result.cl:.0%} CL limit "
            f"{min(result.observed_limit_by_mass):.2f}-{max(result.observed_limit_by_mass):.2f} events over the "
            f"masses (expected {lim.median:.2f}, {bands})")


def _range_cells(r: dict) -> tuple[str, str, str]:
    """Mass (GeV), coupling min and max of one excluded range as printed: '<' / '>' mark an open edge (the grid
    boundary), '(closes)' a closing row (``tip``: where the expected events cross the limit, min = max)."""
    return (f"{r['mass_gev']:.4g}" + (" (closes)" if r.get("tip") else ""),
            ("<" if r.get("open_lower") else "") + f"{r['coupling_min']:.3e}",
            (">" if r.get("open_upper") else "") + f"{r['coupling_max']:.3e}")


def _print_ranges(result: DumpSensitivity) -> None:
    """The sampled excluded ranges, the excluded masses (each island from its start to its closing mass) and the
    open mass edges."""
    from rich.table import Table

    from na62lab.analyses.beam_dump import EMPTY_NOTE

    ranges = result.excluded_ranges
    shown = sample_rows(ranges)
    table = Table(title=f"{result.limit_kind} excluded {result.coupling_name} ({len(shown)} of {len(ranges)} "
                        "rows, first and last included)",
                  caption="'<' / '>': open edge, the region continues beyond the grid; '(closes)': the mass where "
                          "the expected events cross the limit")
    for col in ("mass [GeV]", "coupling min", "coupling max"):
        table.add_column(col)
    for r in shown:
        table.add_row(*_range_cells(r))
    console.print(table if ranges else "no exclusion on this grid" + (
        ": 0 expected signal events everywhere (see the empty-result note)" if EMPTY_NOTE in result.notes else ""))
    if ranges:
        from na62lab.analyses.beam_dump_compare import exclusion_cells

        masses, low, high = exclusion_cells(result)
        console.print(f"  excluded masses {masses} GeV; {result.coupling_name} from {low} to {high}")
    if edge := _open_mass_edge(result):
        console.print(f"  open edge: {edge}")


def _print_discovery(result: DumpSensitivity) -> None:
    """The 5 sigma discovery thresholds per channel (:func:`na62lab.analyses.beam_dump.discovery_table`)."""
    from rich.table import Table

    disc = Table(title="minimum observed events for a 5 sigma discovery",
                 caption="one-sided p-value; background marginalised over a Gaussian of its (+up, -down) errors "
                         "truncated at 0")
    for col in ("channel", "bkg SR", "n_min SR", "bkg SR+CR", "n_min SR+CR"):
        disc.add_column(col)
    for row in result.discovery:
        disc.add_row(row["channel"], f"{row['background_sr']:.3g}", str(row["n_min_sr"]),
                     f"{row['background_sr_cr']:.3g}", str(row["n_min_sr_cr"]))
    console.print(disc)


def _print_summary(result: DumpSensitivity) -> None:
    from na62lab.analyses.beam_dump import EMPTY_NOTE

    if result.projection:
        console.print("projection: no data at this exposure; the exclusion is the background-only "
                      "expected (median) limit, labelled 'expected'")
    console.print(f"{result.pbc} {result.model}: N_POT = {result.n_pot:.3g}, channels "
                  f"{','.join(result.channels)}; {_limit_text(result)}")
    _print_ranges(result)
    for row in result.efficiencies:
        console.print(f"  [dim]efficiency ({row['status']}):[/dim] {row['name']} {row['value']:.3g} for "
                      f"{','.join(row['final_states'])}: {row['source']}")
    _print_discovery(result)
    for key, reason in result.skipped_production.items():
        console.print(f"  [dim]not simulated:[/dim] {key}: {reason}")
    for line in result.notes:
        console.print(f"  [dim]{'note' if line == EMPTY_NOTE else 'approximation'}:[/dim] {line}")


def _write(result: DumpSensitivity, out: Path, overlays: list[Path], card_spec: str, experiment: str = "") -> None:
    """JSON (with provenance: ``card_spec``, the shipped name or YAML path given to ``--card``), figure (titled with
    ``experiment``, the card's display name), HEPData."""
    from na62lab.analyses.beam_dump_outputs import exclusion_figure, write_result

    stem = f"{result.pbc or result.model}_sensitivity"
    write_result(result, out / f"{stem}.json", out / "hepdata", card_spec)
    exclusion_figure(result, out / f"{stem}.png", overlays, experiment)


@app.command()
def sensitivity(
    model: Annotated[str, typer.Option("--model", help="FIP model: dark-photon (BC1), dark-scalar (BC4), "
                                                       "alp-fermion (BC10), alp-gluon (BC11), alp-photon (BC9), "
                                                       "hnl-e/hnl-mu/hnl-tau (BC6-BC8), a user class "
                                                       "path/file.py:ClassName or a model table (.yaml/.csv)")],
    card: Annotated[Optional[list[str]], typer.Option(
        "--card", help="dump card: shipped name (na62_dump_2021, na62_dump_run2, hike, shadows, ship, charm, "
                       "nucal, bebc) or YAML path; repeat to compare experiments in one figure")] = None,
    pot: Annotated[Optional[float], typer.Option(
        "--pot", help="protons on target (backgrounds scale with it; another exposure is a background-only "
                      "projection)")] = None,
    keep_observed: Annotated[bool, typer.Option("--keep-observed", help="with --pot: keep the card's observed "
                                                                         "events instead of a projection")] = False,
    channels: Annotated[Optional[str], typer.Option("--channels", help="final states, e.g. ee,mumu")] = None,
    grid: Annotated[str, typer.Option("--grid", help="NMxNG mass x coupling points")] = "60x60",
    mass_range: Annotated[Optional[str], typer.Option("--mass-range", help="LOW,HIGH in GeV")] = None,
    coupling_range: Annotated[Optional[str], typer.Option("--coupling-range", help="LOW,HIGH")] = None,
    observed: Annotated[Optional[list[str]], typer.Option(
        "--observed", help="observed events of a channel, CHANNEL=COUNT (repeat, or comma-separated)")] = None,
    workers: Annotated[int, typer.Option("--workers", help="local processes")] = 1,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Dask scheduler address")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="folder for JSON, PNG, HEPData")] = None,
    overlay: Annotated[Optional[list[Path]], typer.Option("--overlay", help="two-column file (GeV, coupling)")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="rebuild the efficiency tables")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="print exactly one JSON object on stdout")] = False,
) -> None:
    """Beam-dump sensitivity: expected events, CLs exclusion and expected bands on a grid.

    Built from each card's geometry and the model's physics; every efficiency is printed with the result with
    its status ('checked' in the quoted paper, 'unverified', or 'assumed'), and so are the approximations;
    nothing is tuned to a published curve.
    """
    from na62lab.analyses.beam_dump import read_overlay, sensitivity as run, with_inputs
    from na62lab.config.base import load_card
    from na62lab.config.dump import DumpCard
    from na62lab.fips import resolve_model

    try:    # registered name, path/file.py:Class, module:Class, plug-in or table (.yaml/.csv)
        fip = resolve_model(model)
    except InputError as exc:
        raise (InputError("--model", model, exc.allowed) if exc.field == "model" else exc) from None
    masses = _pair(mass_range, "--mass-range")
    if masses is not None:    # e.g. a table's masses: beyond them it produced nothing, silently
        fip.check_valid_mass(masses, "--mass-range")
    overlays = list(overlay or [])
    for path in overlays:
        read_overlay(path)
    nm, ng = _grid(grid)
    require(not keep_observed or pot is not None, "--keep-observed", True, "only with --pot (at the card's own "
            "exposure the observed events are always used)")
    chans = [c.strip() for c in channels.split(",") if c.strip()] if channels else None
    cards = list(card or ["na62_dump_2021"])
    if len(cards) > 1:
        if pot is not None or observed:
            raise InputError("--pot/--observed", "with several --card", "one --card (set exposures in the cards)")
        _compare(model, [load_card(c, DumpCard) for c in cards], nm, ng, mass_range, coupling_range, chans,
                 workers, scheduler, not no_cache, out, json_out, cards)
        return
    dump_card = with_inputs(load_card(cards[0], DumpCard), pot, _observed(",".join(observed) if observed else None),
                            keep_observed=keep_observed)
    result = run(model, dump_card, nm, ng, _pair(mass_range, "--mass-range"),
                 _pair(coupling_range, "--coupling-range"), chans, workers, scheduler, not no_cache)
    if out is not None:
        _write(result, out, overlays, cards[0], dump_card.display_name)
    if json_out:
        emit_json(result.to_dict())
    else:
        _print_summary(result)
        if out is not None:
            console.print(f"wrote {out}")


def _compare(model, cards, nm, ng, mass_range, coupling_range, chans, workers, scheduler, use_cache, out,
             json_out, specs) -> None:
    """Several experiments in one plane: one JSON and HEPData record each, one figure; ``specs`` are the
    ``--card`` values (shipped names or YAML paths) of ``cards``, recorded in each JSON's provenance."""
    from rich.table import Table

    from na62lab.analyses.beam_dump_compare import (OPEN_EDGE_LEGEND, compare, exclusion_cells, summary_rows,
                                                    unmeasurable, write_comparison)

    skipped = unmeasurable(model, cards, chans)
    if len(skipped) == len(cards):
        raise InputError("--card", ", ".join(skipped), "at least one card that can measure the model: "
                         + "; ".join(f"{name} {why}" for name, why in skipped.items()))
    results = compare(model, cards, nm, ng, _pair(mass_range, "--mass-range"), _pair(coupling_range,
                                                                                     "--coupling-range"),
                      chans, workers, scheduler, use_cache)
    shown = {c.name: c.display_name for c in cards}     # the experiments' names, as in the measuring rows
    if out is not None:
        write_comparison(results, out, skipped, {c.name: spec for c, spec in zip(cards, specs)}, shown)
    if json_out:
        emit_json({"model": results[0].model, "model_spec": model, "experiments": [r.to_dict() for r in results],
                   "not_measured": skipped})
        return
    # the model by its name, as every record and file name (README Conventions; the title showed the spec,
    # 'docs/examples/b_minus_l.py:BMinusL')
    name = " ".join(x for x in (results[0].pbc, results[0].model) if x)
    table = Table(title=f"{name}: {int(results[0].cl * 100)}% CL exclusions per experiment")
    for col in ("experiment", "limit", "excluded mass [GeV]", "coupling min", "coupling max"):
        table.add_column(col)
    rows = summary_rows(results)
    from na62lab.analyses.beam_dump import EMPTY_NOTE

    for row, res in zip(rows, results):
        kind = "empty: 0 signal events" if EMPTY_NOTE in res.notes else row["kind"]
        table.add_row(row["experiment"], kind, *exclusion_cells(res))
    for name, why in skipped.items():
        table.add_row(shown[name], "cannot measure", why, "-", "-")
    console.print(table)
    if any(row["open_min"] or row["open_max"] for row in rows):
        console.print(f"  {OPEN_EDGE_LEGEND.format(beyond='--coupling-range')}")
    for res in results:
        effs = res.efficiencies
        text = "; ".join(f"{e['name']} {e['value']:.3g} ({e['status']}) for {','.join(e['final_states'])}"
                         for e in effs)
        console.print(f"  [dim]efficiencies, {res.experiment}:[/dim] {text or 'none applied'}")
    for res in results:
        if edge := _open_mass_edge(res):
            console.print(f"  open edge, {res.experiment}: {edge}")
    common, own = _split_notes(results)
    for line in common:
        console.print(f"  [dim]approximation:[/dim] {line}")
    for res, lines in zip(results, own):
        for line in lines:
            console.print(f"  [dim]approximation, {res.experiment}:[/dim] {line}")
    tables = ", ".join(f"{c.display_name} {c.production.production_table or 'the 400 GeV copper one (shipped default)'}"
                       for c in cards if c.name not in skipped)
    console.print(f"  [dim]approximation:[/dim] production tables per card: {tables}; experiments other than NA62: "
                  "rectangular apertures, straight tracks (see each card's comments)")
    if out is not None:
        console.print(f"wrote {out}")
