"""Beam-dump searches: expected signal, CLs exclusion with expected bands, discovery table.

Composition of the dump stages: FIP production in the TAX
(:mod:`na62lab.generation.dump`), flight, decay and selection
(:mod:`na62lab.yields.dump_grid`), exact Poisson CLs limits
(:mod:`na62lab.stats.limits`), and outputs (figure, JSON, HEPData YAML:
:mod:`na62lab.analyses.beam_dump_outputs`, re-exported here).

Statistics (approximations stated in every result's ``notes``):

- channels are combined by summing observed counts, backgrounds and signals
  into one counting experiment (background-free searches: close to a
  likelihood combination);
- the 90 % CL CLs limit on the signal events uses the summed background with
  its errors added in quadrature, the upward and downward 1-sigma excursions
  separately (card ``background_error_up`` / ``background_error``; an
  asymmetric log-normal constraint, :class:`na62lab.stats.nuisance.Uncertain`);
  the uncertainty on N_POT (20 %) is not folded into the signal;
- expected limits: quantiles of the background-only count distribution
  (median, +-1 sigma, +-2 sigma), which collapse onto 2.30 events for the
  tiny dump backgrounds except the +2 sigma quantile;
- 5 sigma discovery thresholds: one-sided p-value with the background
  marginalised over a Gaussian of its (up, down) errors truncated at zero
  (:func:`discovery_table`), not the limits' log-normal.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from na62lab.config import published
from na62lab.analyses.beam_dump_bc import bc_share_note
from na62lab.analyses.beam_dump_outputs import (  # noqa: F401  (public import paths: na62lab.analyses.beam_dump.*)
    _mark_open_edges,
    _tag,
    _y,
    contour_islands,
    exclusion_figure,
    hepdata_tables,
    read_overlay,
    write_result,
)
from na62lab.analyses.beam_dump_result import (
    BAND_KEYS,
    CombinedInputs,
    DumpSensitivity,
    EventLimits,
    ExpectedBands,
    OpenEdges,
)
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard
from na62lab.errors import require
from na62lab.physics.units import GeV
from na62lab.results.style import coupling_text
from na62lab.stats.discovery import min_observed
from na62lab.stats.limits import expected_limit_bands, upper_limit
from na62lab.yields.dump_contours import excluded_ranges, sampling_masses
from na62lab.yields.dump_grid import expected_events

DUMP_MODELS = ("dark-photon", "dark-scalar", "alp-fermion", "alp-gluon", "alp-photon", "hnl-e", "hnl-mu", "hnl-tau")
"""The shipped models with visible decays in the dump (the beam-dump planes BC1, BC4, BC6-BC11)."""


class _Planes(Mapping):
    """Default ranges and plot conventions per shipped dump model, read from the model (``FIPModel.plane``)."""

    def __getitem__(self, name: str) -> dict:
        if name not in DUMP_MODELS:
            raise KeyError(name)
        from na62lab.fips import get_model

        return get_model(name).plane()

    def __iter__(self) -> Iterator[str]:
        return iter(DUMP_MODELS)

    def __len__(self) -> int:
        return len(DUMP_MODELS)


MODELS: Mapping[str, dict] = _Planes()
"""Default ranges and plot conventions per model (PBC plane): the models' own ``plane()``, never a copy."""


def model_plane(spec: str, coupling_name: str = "") -> dict:
    """``plane()`` of any model (shipped, registered or a user spec); generic ranges when it cannot be resolved."""
    from na62lab.errors import Na62labError
    from na62lab.fips import get_model

    try:
        return get_model(spec).plane()
    except (Na62labError, KeyError, ValueError):
        return {"pbc": "", "mass_gev": (0.01, 2.0), "coupling": (1e-9, 1e-2), "ylabel": coupling_name,
                "square": False}

NOTES = [
    "channels combined by summing counts, backgrounds and signals (one counting experiment)",
    "observed events with a recorded mass count only within their channel's mass window "
    "(card mass_window_rel); the full signal-region background is used at every mass (conservative)",
    "N_POT uncertainty not folded into the limit",
    "production: Pythia spectra of the primary collision; secondary (cascade) production only through the card "
    "options (cascade_charm/cascade_beauty, meson_cascade, primakoff_cascade); Pythia default tune",
]


def with_inputs(card: DumpCard, pot: float | None = None, observed: dict[str, int] | None = None,
                scale_background: bool = True, keep_observed: bool = False) -> DumpCard:
    """A copy of ``card`` with another N_POT (backgrounds scaled with it) and/or observed counts.

    Another exposure is a projection: unless ``keep_observed`` (or explicit
    ``observed`` counts) is given, the observed counts are dropped and the card
    is flagged ``run.projection``, so that the limits are the background-only
    expected ones and are labelled "expected" (the observed events of one data
    set are not a prediction for another).
    """
    channels = dict(card.channels)
    run = card.run
    if pot is not None:
        require(np.isfinite(pot) and pot > 0, "pot", pot, "a number of protons > 0")
        # a sanity bound, 1e4 x SHiP's 6e20: --pot 1e300 overflowed the squared background errors (exit 70)
        require(pot <= MAX_POT, "pot", pot, f"at most {MAX_POT:.0e} protons")
        ratio = pot / card.run.n_pot if scale_background else 1.0
        project = pot != card.run.n_pot and not keep_observed and not observed
        channels = {k: v.model_copy(update={**v.scaled(ratio),
                                            **({"observed": 0, "observed_masses_mev": ()} if project else {})})
                    for k, v in channels.items()}
        run = card.run.model_copy(update={"n_pot": float(pot), "projection": card.run.projection or project})
    for k, n in (observed or {}).items():
        require(k in channels, "observed", k, f"channels of the card: {list(channels)}")
        require(int(n) == n and n >= 0, f"observed[{k}]", n, "an integer >= 0")
        # an overridden count has no known event masses: it counts at every mass
        channels[k] = channels[k].model_copy(update={"observed": int(n), "observed_masses_mev": ()})
    return card.model_copy(update={"run": run, "channels": channels})


def observed_by_mass(card: DumpCard, channels: list[str], masses_mev: np.ndarray) -> np.ndarray:
    """Observed events counting against each FIP mass (MeV), summed over ``channels``.

    Events with a recorded invariant mass count only inside their channel's
    mass window (:meth:`na62lab.config.dump.ChannelInput.observed_at`).
    """
    masses_mev = np.asarray(masses_mev, dtype=float)
    return sum((card.channels[c].observed_at(masses_mev) for c in channels),
               np.zeros(masses_mev.shape, dtype=int))


def observed_limits(inputs: CombinedInputs, counts: np.ndarray, cl: float) -> np.ndarray:
    """Upper limit on signal events (one per entry of ``counts``) with the combined background."""
    b, (up, down) = inputs.background, inputs.errors
    table = {int(n): upper_limit(int(n), b, up, down, cl=cl) for n in np.unique(counts)}
    return np.array([table[int(n)] for n in counts])


def _limit_at(card: DumpCard, channels: list[str], inputs: CombinedInputs):
    """``limit_at(masses_mev) -> signal-event limits`` at any mass (observed events counted inside their mass
    windows, :func:`observed_by_mass`; one exact limit per distinct count, computed once)."""
    table: dict[int, float] = {}

    def limit_at(masses_mev):
        counts = observed_by_mass(card, channels, masses_mev)
        for n in set(np.unique(counts).tolist()) - set(table):
            table[n] = float(observed_limits(inputs, np.array([n]), card.cl)[0])
        return np.array([table[int(n)] for n in np.ravel(counts)]).reshape(np.shape(counts))
    return limit_at


def combined_inputs(card: DumpCard, channels: list[str]) -> CombinedInputs:
    """Summed observed count, background and its up/down errors (quadrature) over ``channels`` (events)."""
    return CombinedInputs.from_channels([card.channels[c] for c in channels])


def event_limits(inputs: CombinedInputs, cl: float) -> EventLimits:
    """Observed and expected (median, +-1, +-2 sigma) upper limits on signal events."""
    b, (up, down), n = inputs.background, inputs.errors, inputs.observed
    bands = expected_limit_bands(b, up, down, cl=cl)
    return EventLimits(observed=upper_limit(n, b, up, down, cl=cl), median=bands["median"],
                       minus1=bands["band_1sigma"][0], plus1=bands["band_1sigma"][1],
                       minus2=bands["band_2sigma"][0], plus2=bands["band_2sigma"][1])


DISCOVERY_NUISANCE = "gaussian"
"""Constraint shape of the background uncertainty in the discovery thresholds (:func:`discovery_table`)."""


def discovery_table(card: DumpCard, channels: list[str], sigma: float = 5.0) -> list[dict]:
    """Minimum observed events for a one-sided ``sigma`` discovery, per channel and combined.

    For the signal region (SR) alone and for the signal plus control regions
    (SR+CR: backgrounds added; the control-region backgrounds are card inputs).

    Convention: one-sided p-value P(n >= n_min | b) <= 1 - Phi(sigma), the
    background marginalised over a Gaussian of its signal-region (up, down)
    errors truncated at zero (``DISCOVERY_NUISANCE``; SR+CR: the same absolute
    errors, no control-region error is in the cards), not the log-normal of the
    limits.  A 5 sigma threshold probes the constraint's tail far beyond the
    published 68 % / 90 % intervals; where the up error exceeds the background
    (NA62 2021 e+e-: 0.0094 +0.038 -0.0070) the log-normal's tail would set the
    answer (n_min 27 events for e+e- alone, 148 at 1e18 POT) instead of the
    data; the truncated Gaussian gives 4 and 8 (3 and 5 without the error).
    Each row records the convention as ``background_constraint`` (the ``kind``
    of :func:`na62lab.stats.discovery.min_observed`; records written before
    the key lack it and used ``"lognormal"``).
    """
    rows = []
    for name in channels + ["combined"]:
        chans = [card.channels[c] for c in (channels if name == "combined" else [name])]
        inputs = CombinedInputs.from_channels(chans)
        b = inputs.background
        bc = b + sum(c.control_background for c in chans)
        n_sr, p_sr = min_observed(b, inputs.errors, sigma, kind=DISCOVERY_NUISANCE)
        n_all, p_all = min_observed(bc, inputs.errors, sigma, kind=DISCOVERY_NUISANCE)
        rows.append({"channel": name, "background_sr": b, "n_min_sr": n_sr, "p_value_sr": p_sr,
                     "background_sr_cr": bc, "n_min_sr_cr": n_all, "p_value_sr_cr": p_all,
                     "background_constraint": DISCOVERY_NUISANCE})
    return rows


def _model_label(spec: str) -> str:
    """The name a result, its files and legends use: a user spec (file.py:Class, table) by its model's
    name, so no path reaches a file name (a spec with a folder wrote outside --out)."""
    from na62lab.fips.user_models import is_user_spec, resolve_model

    return resolve_model(spec).name if is_user_spec(spec) else spec


def detector_note(card: DumpCard) -> str:
    """How :mod:`na62lab.detector.dump_acceptance` simulates the card's detector (not NA62's for every card)."""
    tail = "no track/vertex smearing; card values marked 'assumed' are not from the papers"
    if card.detector is not None:
        d, planes = card.detector, ", ".join(f"{z:g}" for z in card.detector.planes_m)
        return (f"fast simulation, generic detector ({d.name}): daughters cross the plane(s) at {planes} m "
                f"inside a {2 * d.aperture_half_m[0]:g} x {2 * d.aperture_half_m[1]:g} m rectangle, straight "
                f"lines (no magnet), {'a' if d.pointing else 'no'} pointing cut; {tail}")
    lkr = ("octagon (card lkr_octagon_m)" if card.selection.lkr_octagon_m is not None else "circle")
    holes = card.geometry.straw_hole_x_m
    at = ("on the axis" if not any(holes) else
          f"centred at x = {'/'.join(f'{1000 * x:g}' for x in holes)} mm (card geometry.straw_hole_x_m)")
    return (f"fast simulation, NA62: every charged track inside all four STRAW chambers (circular beam holes "
            f"{at}, outer radius about the axis), LKr outer edge {lkr}, MUV3 a square with its hole, "
            f"thin-lens spectrometer magnet; {tail}")


def _width_note(spec: str) -> list[str]:
    """The model's caveat on its widths (an HNL's Majorana or Dirac nature, an ALP's approximate hadronic
    widths), as a one-item list of notes, or [] when it has none."""
    from na62lab.fips.user_models import resolve_model

    note = getattr(resolve_model(spec), "width_note", "")
    return [f"decay widths: {note}"] if note else []


def channel_record(channel) -> dict:
    """A card channel as the result records it: its fields, with the observed event masses in GeV
    (``observed_masses_gev``; the card field is ``observed_masses_mev``, and the JSON is GeV everywhere)."""
    out = {}
    for key, value in channel.model_dump().items():
        if key == "observed_masses_mev":
            key, value = "observed_masses_gev", [float(x) / GeV for x in value]     # card MeV (internal unit)
        out[key] = value
    return out


def _coupling_cap_note(spec: str, ranges: list[dict]) -> list[str]:
    """A note when the reported region reaches above the model's ``max_coupling`` (HNL: |U|^2 = 0.01, where the
    first-order production rates stop being valid, :data:`na62lab.fips.hnl.U2_FIRST_ORDER_MAX`), as a one-item
    list, or [].  The kaon-mode readings stop their grid there; the dump grid (to 0.1) does not, so its upper
    edges above the cap printed as limits without a word."""
    from na62lab.fips.user_models import resolve_model

    fip = resolve_model(spec)
    cap = getattr(fip, "max_coupling", None)
    above = [r["mass_gev"] for r in ranges if cap is not None and r["coupling_max"] > cap]
    if not above:
        return []
    return [f"validity: at {len(above)} masses ({min(above):.3g}-{max(above):.3g} GeV) the region reaches above "
            f"{coupling_text(fip.coupling_name)} = {cap:g}, where the production rates are not valid "
            f"({fip.max_coupling_note}); upper edges there are not limits"]


MAX_POT = 1e25
"""Largest --pot accepted: 1e4 x SHiP's 6e20 (card ``ship``), far beyond any beam; a typo guard."""


EMPTY_NOTE = ("empty result: 0 expected signal events at every grid point (no production mode of the model "
              "is open at these masses on this card, or none of its decays reaches a selected final state); "
              "not a limit")
"""Note of a result whose expected events vanish on the whole grid (no contour can exist)."""


def sensitivity(model: str, card: DumpCard, n_mass: int = 60, n_coupling: int = 60,
                mass_range_gev: tuple[float, float] | None = None,
                coupling_range: tuple[float, float] | None = None, channels: list[str] | None = None,
                workers: int = 1, scheduler: str | None = None, use_cache: bool = True) -> DumpSensitivity:
    """Expected events, observed exclusion and expected bands on a (mass, coupling) grid.

    Parameters
    ----------
    model : str
        FIP model name (``dark-photon`` = BC1, ``dark-scalar`` = BC4, ...).
    card : DumpCard
        Inputs (N_POT, channel counts and backgrounds, selection).
    n_mass, n_coupling : int
        Grid size; masses and couplings are log-spaced.
    mass_range_gev : (float, float), optional
        Mass range in GeV (default per model, :data:`MODELS`).
    coupling_range : (float, float), optional
        Coupling range in the model's convention.
    channels : list of str, optional
        Final states to use (default: all the card has for the model).
    workers, scheduler, use_cache
        Execution of the efficiency tables (same numbers for any ``workers``).

    Returns
    -------
    DumpSensitivity
        Typed result (:mod:`na62lab.analyses.beam_dump_result`): ``masses_gev`` (GeV),
        ``couplings``, ``expected_events`` (n_m x n_g), ``excluded_ranges``,
        ``expected_bands`` (ranges per band), ``limits`` (signal events), ``discovery``,
        ``notes`` ...; :meth:`~DumpSensitivity.to_dict` is its JSON record.
    """
    defaults = model_plane(model)
    lo, hi = mass_range_gev or defaults["mass_gev"]
    glo, ghi = coupling_range or defaults["coupling"]
    require(2 <= n_mass <= 2000 and 2 <= n_coupling <= 2000, "grid", f"{n_mass}x{n_coupling}",
            "NMxNG with 2 <= NM, NG <= 2000")
    require(0 < lo < hi, "mass range", (lo, hi), "0 < low < high (GeV)")
    require(0 < glo < ghi, "coupling range", (glo, ghi), "0 < low < high")
    masses = sampling_masses(lo * GeV, hi * GeV, n_mass)
    couplings = np.geomspace(glo, ghi, n_coupling)
    grid = expected_events(model, card, masses, couplings, channels, workers, scheduler, use_cache)
    used = list(grid.by_final_state)
    inputs = combined_inputs(card, used)
    limits = event_limits(inputs, card.cl)
    counts = observed_by_mass(card, used, masses)
    limit_by_mass = observed_limits(inputs, counts, card.cl)
    m_gev = masses / GeV
    def edges(limit, limit_at=None):
        return excluded_ranges(m_gev, couplings, grid.total, limit, grid.evaluate, masses, limit_at=limit_at)

    bands = ExpectedBands(*(edges(limits.band(k)) for k in BAND_KEYS))
    projection = bool(card.run.projection)
    if projection:                       # no data: the reported limit is the background-only median
        limit_by_mass = np.full(masses.shape, limits.median)
    excluded = bands.median if projection else edges(limit_by_mass, _limit_at(card, used, inputs))
    bc_note = bc_share_note(m_gev, couplings, grid.total, grid.by_mode, limit_by_mass, card.production.bc_to_bplus)
    if not np.any(grid.total > 0):      # no signal at all: say so, an empty contour is not a limit
        bc_note = [EMPTY_NOTE] + bc_note
    return DumpSensitivity(
        model=_model_label(model), model_spec=model, pbc=defaults.get("pbc", ""),
        coupling_name=coupling_text(grid.coupling_name),
        card=card.name, n_pot=card.run.n_pot, cl=card.cl, channels=used,
        channel_inputs={c: channel_record(card.channels[c]) for c in used},
        combined_inputs=inputs, limits=limits,
        masses_gev=m_gev, couplings=couplings, expected_events=grid.total,
        expected_events_by_mode_max={k: float(v.max()) for k, v in grid.by_mode.items()},
        observed_by_mass=counts, observed_limit_by_mass=limit_by_mass,
        excluded_ranges=excluded, open_edges=open_edges(excluded, m_gev),
        projection=projection, limit_kind="expected" if projection else "observed",
        expected_bands=bands, discovery=discovery_table(card, used),
        efficiencies=efficiency_table(card, used),
        skipped_production=grid.skipped,
        notes=NOTES + [detector_note(card)] + list(grid.notes) + [f"mass grid: {n_mass} log-spaced masses plus "
                                          f"{masses.size - n_mass} refinement nodes "
                                          "(rho/omega/phi, pi0/eta/eta', final-state thresholds); edges by "
                                          "regula falsi on the expected events"] + _width_note(model) + bc_note
        + _coupling_cap_note(model, excluded),
    )


def open_edges(ranges: list[dict], masses_gev: np.ndarray) -> OpenEdges:
    """Where the excluded region reaches the grid boundary (so the edge there is not a limit).

    Returns the masses (GeV) whose lower (upper) edge is the lowest (highest) grid
    coupling, and whether the region reaches the lowest (highest) mass of the grid.
    """
    m = [r["mass_gev"] for r in ranges]
    return OpenEdges(tuple(r["mass_gev"] for r in ranges if r["open_lower"]),
                     tuple(r["mass_gev"] for r in ranges if r["open_upper"]),
                     bool(m) and m[0] == float(masses_gev[0]), bool(m) and m[-1] == float(masses_gev[-1]))


def efficiency_table(card: DumpCard, channels: list[str]) -> list[dict]:
    """Every unsimulated efficiency factor applied to ``channels``, with its status and source."""
    rows = []
    for f in card.selection.efficiencies:
        hit = [c for c in channels if f in card.selection.efficiency_factors(c)]
        if hit:
            rows.append({"name": f.name, "value": f.value, "final_states": hit, "status": f.status,
                         "source": f.source})
    return rows


REPRODUCE_MODELS = ("dark-photon", "dark-scalar", "alp-photon", "alp-fermion", "alp-gluon", "hnl-e", "hnl-mu")
REPRODUCE_CARDS = ("na62_dump_2021", "na62_dump_run2")
PUBLISHED_BC1 = ("NA62 2021 ee+mumu (PRL 133 (2024) 111802): excluded region beyond previous limits "
                 "for 50-600 MeV and eps ~1e-6 to 4e-5 (the region of improvement, not the contour edge); "
                 "ours / published edges: see the validation tables below")


def _summary_row(result: DumpSensitivity) -> dict:
    ranges = result.excluded_ranges
    if not ranges:
        return {"excluded_mass_gev": None, "coupling_min": None, "coupling_max": None}
    return {"excluded_mass_gev": (ranges[0]["mass_gev"], ranges[-1]["mass_gev"]),
            "coupling_min": min(r["coupling_min"] for r in ranges),
            "coupling_max": max(r["coupling_max"] for r in ranges)}


def _reproduce_one(model: str, card_name: str, out_dir: Path, workers: int) -> DumpSensitivity:
    card = load_card(card_name, DumpCard)
    result = sensitivity(model, card, 48, 48, workers=workers)
    stem = f"{MODELS[model]['pbc']}_{_tag(result)}"
    write_result(result, out_dir / f"{stem}.json", out_dir / "hepdata" / stem, card_name)
    overlays = [published.BC1_2021_COMBINED] if model == "dark-photon" else []
    exclusion_figure(result, out_dir / f"{stem}.png", overlays, card.display_name)
    return result


def _reproduce_model(model: str, out_dir: Path) -> list[DumpSensitivity]:
    """:func:`_reproduce_one` for each of :data:`REPRODUCE_CARDS` in turn (a worker task of ``reproduce``)."""
    return [_reproduce_one(model, card_name, out_dir, workers=1) for card_name in REPRODUCE_CARDS]


def limit_range_text(limits_by_mass: Sequence[float]) -> str:
    """The observed limit on the signal events over the masses (``observed_limit_by_mass``) as printed:
    ``x`` when it is the same at every mass, else ``lo-hi`` (the terminal table and the HTML report)."""
    lims = np.asarray(limits_by_mass, dtype=float)
    lo, hi = float(lims.min()), float(lims.max())
    return f"{lo:.2f}" if hi - lo < 5e-3 else f"{lo:.2f}-{hi:.2f}"


def reproduce(out_dir: Path, console) -> dict:
    """``na62lab reproduce`` section: BC1/BC4/BC10/BC11 for 2021 (1.4e17 POT) and 1e18 POT."""
    from rich.table import Table
    from rich.text import Text

    from na62lab.analyses.beam_dump_compare import OPEN_EDGE_LEGEND, efficiency_summary, exclusion_cells
    from na62lab.fips import model_names
    from na62lab.infra import map_shards
    from na62lab.yields.dump_grid import warm_up

    out_dir = Path(out_dir) / "beam_dump"
    table = Table(title="Beam dump: 90% CL exclusions (na62lab fast simulation)")
    for col in ("model", "card", "N_POT", "obs", "bkg", "limit [events]", "excluded mass [GeV]",
                "coupling min", "coupling max"):
        table.add_column(Text(col))                   # plain text: rich markup would eat '[events]'
    open_edges = False
    summary: dict = {}
    available = set(model_names())
    models = [m for m in REPRODUCE_MODELS if m in available]
    # one task per model on the worker pool (its cards in turn: the second reuses the first's cached tables);
    # every result depends on its model and card only, never on the number of workers
    warm_up(load_card(REPRODUCE_CARDS[0], DumpCard))      # the kernels compiled once, before the workers fork
    done = dict(zip(models, map_shards(_reproduce_model, [(m, out_dir) for m in models], workers=2)))
    results = {m: done[m][REPRODUCE_CARDS.index("na62_dump_2021")] for m in models}   # reused by the validation
    for model in REPRODUCE_MODELS:
        if model not in available:
            summary[model] = {"skipped": "model not available in na62lab.fips"}
            continue
        for card_name, res in zip(REPRODUCE_CARDS, done[model]):
            row = _summary_row(res)
            summary[f"{model}/{card_name}"] = {**row, "limits": res.limits.to_dict(), "n_pot": res.n_pot,
                                               "channels": res.channels}
            cells = exclusion_cells(res)
            open_edges |= cells[1].startswith("<") or cells[2].startswith(">")
            table.add_row(model, card_name, f"{res.n_pot:.2g}", str(res.combined_inputs.observed),
                          f"{res.combined_inputs.background:.3g}", limit_range_text(res.observed_limit_by_mass),
                          *cells)
    console.print(table)
    if open_edges:
        console.print("  " + OPEN_EDGE_LEGEND.format(beyond="the model's coupling range"))
    for card_name, text in efficiency_summary([r for m in models for r in done[m]]).items():
        console.print(f"  [dim]efficiencies, {card_name}:[/dim] {text}")
    console.print(f"  [dim]published:[/dim] {PUBLISHED_BC1}")
    summary["validation"] = _validation(out_dir, console, workers=2, combined=results.get("dark-photon"))
    for line in NOTES:
        console.print(f"  [dim]approximation:[/dim] {line}")
    console.print(f"  wrote {out_dir}/*.json, *.png, hepdata/")
    return summary


def _validation(out_dir: Path, console, workers: int, card: DumpCard | None = None, grid: int = 48,
                combined: DumpSensitivity | None = None) -> dict:
    """Ours / reference edge ratios for every benchmark with a reference curve (BC1 2021: combined, mu+mu-;
    BC9 and BC11 of the Run 2 card against ALPINIST's NA62 tables, with the reference's assumptions and
    with the shipped card, :mod:`na62lab.analyses.beam_dump_references`).

    ``card`` defaults to the shipped 2021 card; ``grid`` is the number of log-spaced masses and couplings;
    ``combined``: that card's all-final-state dark-photon result on that grid if the caller has it
    (``reproduce`` passes its own: the same computation, not repeated).
    """
    from na62lab.analyses import beam_dump_validation as val
    from na62lab.analyses.beam_dump_prescriptions import form_factor_systematic, reproduction
    from na62lab.results.io import write_json

    path = val.REFERENCE_DIR / val.BC1_COMBINED
    if not path.is_file():
        console.print(f"  validation: no reference curve available ({path} is not installed with the package)")
        return {}
    card = card or load_card("na62_dump_2021", DumpCard)
    if combined is None:
        combined = sensitivity("dark-photon", card, grid, grid, workers=workers)
    dilepton = sensitivity("dark-photon", card, grid, grid, (0.01, 2.0), channels=["ee", "mumu"], workers=workers)
    out = {"BC1 2021 all final states": val.validate(combined, path, val.VALIDATION_MASSES_GEV, val.BC1_REFERENCE),
           "BC1 2021 ee+mumu below 2 m_pi": val.validate(
               dilepton, path, val.DILEPTON_MASSES_GEV,
               val.BC1_REFERENCE + "; below the pi+ pi- threshold it is also the di-lepton contour",
               closure=False)}
    prl_path = val.REFERENCE_DIR / val.BC1_DILEPTON
    if prl_path.is_file():
        out["BC1 2021 ee+mumu"] = val.validate(dilepton, prl_path, val.DILEPTON_PRL_MASSES_GEV,
                                               val.BC1_DILEPTON_REFERENCE)
        out["BC1 2021 ee+mumu below 2 m_pi"]["note"] = val.two_drawings_note(
            out["BC1 2021 all final states"]["m_max_ref"], out["BC1 2021 ee+mumu"]["m_max_ref"])
        reproduction(out["BC1 2021 ee+mumu"], card, val.PRL_PRESCRIPTION, (grid, workers),
                     (prl_path, val.DILEPTON_PRL_MASSES_GEV), val.PRL_NOTE_MASSES_GEV, (0.01, 2.0), ["ee", "mumu"])
    mumu_path = val.REFERENCE_DIR / val.BC1_MUMU
    if mumu_path.is_file():
        mumu = sensitivity("dark-photon", card, grid, grid, (0.2, 0.9), channels=["mumu"], workers=workers)
        out["BC1 2021 mumu"] = val.validate(mumu, mumu_path, val.MUMU_MASSES_GEV, val.BC1_MUMU_REFERENCE)
        out["BC1 2021 mumu"]["note"] = val.MUMU_PRODUCTION_NOTE
        reproduction(out["BC1 2021 mumu"], card, val.MUMU_PRESCRIPTION, (grid, workers),
                     (mumu_path, val.MUMU_MASSES_GEV), val.MUMU_NOTE_MASSES_GEV, (0.2, 0.9), ["mumu"])
    reproduction(out["BC1 2021 all final states"], card, val.EPJC_PRESCRIPTION, (grid, workers),
                 (path, val.VALIDATION_MASSES_GEV), (1.0, 1.2))
    form_factor_systematic(out["BC1 2021 all final states"], card, (grid, workers), path)
    out.update(_alpinist(workers))
    for title, table in out.items():
        val.print_validation(console, title, table)
    write_json(out_dir / "validation.json", out)
    return out


def _alpinist(workers: int) -> dict:
    """BC9 and BC11 of the Run 2 card against ALPINIST's NA62 tables
    (:mod:`na62lab.analyses.beam_dump_references`); {} if the tables are not installed.

    The card's Monte Carlo and the plane's mass range, so the acceptance tables of the BC9/BC11 Run 2
    contours computed just before are reused from the cache (only BC9 with primary photons is new).
    """
    from na62lab.analyses import beam_dump_references as refs

    if not all(t.path.is_file() for t in refs.TABLES):
        return {}
    return refs.alpinist_validation(load_card("na62_dump_run2", DumpCard), workers=workers)
