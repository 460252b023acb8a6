"""Kaon-mode fast simulation against the published NA62 2021-22 K+ -> pi+ nu nubar numbers.

Runs a modest simulation (2e7 K+ decays, card ``na62_kaon_2021_22``),
prints A_pinunu, A_pipi, the K+ -> pi+ pi0 m_miss^2 resolution, the SES and
the background per mode (with its statistical error) side by side with JHEP
02 (2025) 191, flags every simulated value more than 30 % away from the
published one and names the physics the fast simulation lacks for it.  The
acceptances are those of the simulated cuts times the card's efficiencies of
the common cuts that are not simulated event by event (``common_cuts``: KTAG,
assumed; pi+ hadronic interactions from the material; the upstream-background
cuts, not public, 1), with the cut-flow of both printed; the cuts still
missing are common to signal and normalisation: the efficiency they imply
(published / simulated) is printed for both and must agree, which is what
makes them cancel in the SES.  It also saves the m_miss^2 vs p(pi+) plane
(with the signal regions and the main modes' bands) and the background
table (JSON) under ``out_dir/kaon_sim``.  :data:`BACKGROUND_RUN` is the stratified, importance-sampled run of
every background row in a few CPU minutes (n_eff per row: benchmarks/bench_kaon_backgrounds.py, results.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

import numpy as np

from na62lab.config.base import load_card, parse_card
from na62lab.config.kaon import SM_MODES, KaonCard
from na62lab.generation.kaon.branching import k_plus_br
from na62lab.results.kaon_record import published_err, published_error_pair
from na62lab.results.ratio_pull import PULL_HELP, error_text, pull, pull_text, ratio_text
from na62lab.selection.pinunu import MISSING_CUTS
from na62lab.yields import kaon_run
from na62lab.yields.kaon_tally import STATISTICS_LIMITED, KaonTally, summary

DECAYS = 20_000_000
CHUNK = 500_000
TOLERANCE = 0.30
FEW = STATISTICS_LIMITED
"""Effective-event count below which a background row is statistics-limited (the JSON's threshold too)."""

MISSING_PHYSICS = {
    "acceptance_pinunu": "cuts common to signal and normalisation not simulated (" + "; ".join(MISSING_CUTS)
                         + "); they cancel in the SES: the implied efficiency of the cuts still missing is the "
                         "same for signal and normalisation (rows below; cut-flow printed under the table)",
    "acceptance_pipi": "same missing common cuts as A_pinunu (the ratio A_pinunu/A_pipi is the robust output)",
    "n_k": "N_pipi D / (BR A_pipi) with the simulated A_pipi: off by the inverse of the A_pipi ratio",
    "ses": "uses the simulated A_pinunu/A_pipi ratio; trigger and random-veto efficiencies are inputs",
    "mmiss2_resolution_gev2": "GTK/STRAW resolutions from public numbers (the STRAW scattering term predicted from "
                              "the chamber material is 0.38 % against the published 0.30 %); no alignment effects",
    "pipi0": "about half from one photon lost at a large angle (through the vacuum-tank wall, outside the LAV "
             "rings) with the other in the LKr (card inefficiency tables are order-of-magnitude values), a third "
             "from one photon merged with the pi+ LKr cluster (ignored by the LKr veto as in NA62; only merged "
             "energies >= 0.8 p are rejected here (E/p rule), NA62's full calorimetric PID rejects more); no "
             "K+ -> pi+ pi0 gamma radiative tail",
    "munu": "statistics-limited weights at 40-45 GeV/c; RICH mu/pi from a Gaussian ring-angle model with a "
            "momentum-independent non-Gaussian floor (assumption); calorimetric mis-ID flat in momentum; no mu nu "
            "gamma",
    "pipipi": "measured on K3pi-only samples: 5.3 % of decays give one pi+ track in the selection acceptance; its "
              "true m_miss^2 is >= (2 m_pi)^2 = 0.078 GeV^2 and only STRAW single-scattering tails bring it into "
              "R1/R2 (none of 4e6 decays without them; the m_miss^2 with the nominal beam is as low as with the GTK "
              "track; a quarter of these events also have a mis-matched GTK track); the veto weight of the other "
              "pi+ and the pi- (independent per-detector inefficiencies, order-of-magnitude card values), averaged "
              "over 300 pair orientations, is ~3e-8 for most R1/R2 events but 1e-5 to 1e-3 for the rare decays "
              "whose pair nearly escapes through the beam holes, and those carry the estimate (one decay in ~1e7 "
              "held 90 % of a 1.2e7-decay sample).  Stratified run BACKGROUND_RUN (1.5e7 K3pi decays, STRAW tails "
              "importance-sampled; each decay's veto weight averaged over 32 pair orientations, A, before the "
              "detector simulation, the decay simulated clip(A / 3e-9, 0.01, 1e5) times and A reused as its R1/R2 "
              "weight): 9.9e-5 +- 0.45e-5 events, n_eff 484 in 165 CPU s for the whole table on 2 cores "
              "(benchmarks/results.md; was 5.7e-5 +- 1.7e-5, n_eff 11, with the decays split by their "
              "one-orientation weight).  ~1100x below NA62's 0.11: correlated losses of the pion "
              "pair, pi decays in flight and track mis-reconstruction beyond the GTK/scattering tails are not "
              "modelled; no upstream K3pi",
    "ke4": "measured on Ke4-only samples: 20 % of the kinematically selected tracks fall in R2 (kinematics do not "
           "limit it); the veto weight of the pi- and e+ has median 5e-11 and mean 8e-7 (Kish n_eff 8 among 69k "
           "tracks) from independent per-detector inefficiencies (order-of-magnitude card values); NA62's 0.89 "
           "needs a mean PID x veto weight of ~1e-6 in R2, ~35 times this model's: NA62's full simulation has "
           "correlated losses (pi- interactions, overlaps with the pi+, segment finding near the beam holes) not "
           "modelled here (the stratified run BACKGROUND_RUN, with roulette of Ke4 decays by their veto weight, "
           "gives ~0.03 with a statistical error of ~10 %: the gap is physics, not statistics)",
    "pigg": "O(p^4) ChPT m_gg spectrum (no O(p^6) unitarity corrections); photon-veto tables approximate",
    "pi0lnu": "almost all (~95 %) from one photon lost at a large angle and the other merged with the lepton's "
              "LKr cluster (not vetoed, as in NA62).  The positron's own LKr deposit is modelled in the E/p rule "
              "(E/p >= 0.8 is a positron: public NA62 framework, 2016-18 PNN): an e+ deposits ~p, so it passes only "
              "from the low tail of its E/p (card calo_pid.positron_misid 1e-3, assumed), and with merged photons "
              "of energy E_g only the fraction (0.8 p - E_g) / (0.8 p) of that tail (tail shape uniform below the "
              "cut: assumed, an over-estimate for any tail rising towards E/p = 1): K+ -> pi0 e+ nu 0.093 -> 0.049 "
              "events (1e6-decay probe per mode, same seeds; the row in BACKGROUND_RUN 0.14 -> 0.083, n_eff 302, "
              "benchmarks/results.md); K+ -> pi0 mu+ nu (0.022) keeps the pi+ rule (a MIP deposit).  "
              "What remains is set by the assumed e+ identification, RICH floor 1e-3 x calorimetric 1e-3 (not "
              "public as such), about 100x weaker than NA62's result implies; the public 2016-18 upstream "
              "geometric cuts (optional, card selection.upstream_straw1_cut / gtk3_box_mm) remove ~99 % of the "
              "row (measured before the positron deposit: 0.159 -> 0.0009 events, n_eff 517, 2e6 decays), but "
              "they also break A_pinunu/A_pipi, so they are off",
}

_PUBLISHED_MODES = {"pipi0": ("pipi0",), "munu": ("munu",), "pipipi": ("pipipi",), "ke4": ("ke4",),
                    "pigg": ("pigg",), "pi0lnu": ("pi0enu", "pi0munu")}


class RunSettings(TypedDict):
    """Run-block settings of the stratified background run (field meanings: :class:`na62lab.config.kaon.KaonCard`)."""

    decays: int
    fractions: dict[str, float]
    k3pi_edge_split: int
    importance_mmiss2_gev2: dict[str, list[tuple[float, float]]]
    importance_veto: dict[str, tuple[float, float, float]]
    importance_veto_pair_orientations: int
    importance_straw_tail: dict[str, tuple[float, float]]


BACKGROUND_RUN: RunSettings = {
    "decays": 45_000_000,
    "fractions": {"pinunu": 0.6, "pipi0": 7.0, "munu": 6.0, "pipipi": 15.0, "pi0enu": 4.0, "pi0munu": 3.0,
                  "pipi0pi0": 0.5, "ke4": 8.0, "pigg": 0.6, "pimumu": 0.3},
    "k3pi_edge_split": 1,
    "importance_mmiss2_gev2": {},
    "importance_veto": {"ke4": (1e-6, 0.05, 5.0), "pipipi": (3e-9, 0.01, 1e5)},
    "importance_veto_pair_orientations": 32,
    "importance_straw_tail": {"pipipi": (5.0, 0.8)},
}
"""Stratified run of the background table (at most 5 minutes on 2 cores, benchmarks/bench_kaon_backgrounds.py):
generated decays per mode (``fractions``, in millions of the 4.5e7) set by the cost of an effective event of each
row (measured on single-mode runs), the branching ratios restored by the per-mode weights BR / share
(:mod:`na62lab.yields.kaon_tally`).  K+ -> pi+ pi+ pi- reaches R1/R2 only through STRAW single-scattering tails (a
scatter in STRAW1 turns the measured direction without a chi2 penalty; measured: none of 4e6 K3pi decays without
the tails, and the m_miss^2 with the nominal beam is as low as with the GTK track, so GTK mis-matching is not the
route): its tracks are measured with the tail probability x5 per chamber and 80 % of the tail angles from a
1/theta^2 law, each track carrying the exact likelihood-ratio weight (``importance_straw_tail``,
:func:`na62lab.detector.tracking.measure_track`).  Its R1/R2 weight is the veto weight of the other pi+ and the pi-
averaged over the pair orientations, which spans ~8 decades from decay to decay (~3e-8 typically, 1e-5..1e-3 for the
rare decays whose pair nearly escapes through the beam holes); each decay with a selectable track gets A, that
average over 32 orientations, before the detector simulation and is simulated f = clip(A / 3e-9, 0.01, 1e5) times
with weight 1 / f, A being also the weight of its R1/R2 rows (``importance_veto_pair_orientations``,
:func:`na62lab.variance.kaon.importance_by_veto`): every R1/R2 row then weighs 3e-9 x (tail and PID weights) for A
up to 3e-4, so the rare escaping pairs are simulated ~1e5 times more often than the bulk instead of making a few
heavy events, and decays without a selectable track are kept 1 in 100.  Ke4 decays are split / rouletted by the
one-orientation veto weight w0 (f = clip(w0 / 1e-6, 0.05, 5)).  Copies of a split decay share its veto weight;
the statistical errors and n_eff count decays, not copies.  Exactly unbiased
(:func:`na62lab.variance.splitting.importance_rows`, tests/variance/test_pair_veto_importance.py); the acceptances
and N_K are unchanged in expectation."""


def with_run(card: KaonCard, background_run: bool = False, **run: Any) -> KaonCard:
    """``card`` with its run block updated: :data:`BACKGROUND_RUN` first if asked, then ``run`` (None ignored).

    Examples
    --------
    >>> with_run(load_card("na62_kaon_2021_22", KaonCard), decays=1000, seed=None).run.decays
    1000
    """
    data = card.model_dump()
    if background_run:
        data["run"].update(BACKGROUND_RUN)
    data["run"].update({k: v for k, v in run.items() if v is not None})
    return parse_card(data, KaonCard)


def card_for(decays: int = DECAYS, chunk_size: int = CHUNK, seed: int | None = None,
             background_run: bool = False) -> KaonCard:
    """The shipped 2021-22 card with the run size of this section (``background_run``: :data:`BACKGROUND_RUN`)."""
    return with_run(load_card("na62_kaon_2021_22", KaonCard), background_run,
                    decays=decays, chunk_size=chunk_size, seed=seed)


def simulate(card: KaonCard, workers: int = 2) -> tuple[KaonTally, dict, dict[str, int]]:
    """Run the card on ``workers`` local processes (:func:`na62lab.yields.kaon_run.collect`).

    Returns
    -------
    tuple
        The summed tally, the rows of the tracks in acceptance for the figure
        (:func:`~na62lab.yields.kaon_run.acceptance_rows`) and the decays generated per mode.
    """
    kaon_run.prepare(workers)        # a first run compiles once, in parallel, before the fork
    out = kaon_run.collect(card, workers=workers, rows=True)
    assert out.rows is not None
    return out.tally, out.rows, out.n_generated


_ComparisonRow = tuple[str, Any, float | None, str | None, tuple[float | None, float | None] | None]
"""(label, simulated, published or None, card/tolerance key or None, (stat error, n_eff) or None)."""


def comparison(s: dict, card: KaonCard) -> list[dict]:
    """Rows (quantity, simulated, published, ratio, flagged, missing physics) for the table and JSON.

    Background rows carry the statistical error of the simulated value
    (``stat_err``) when the summary has it; rows with a published uncertainty carry it
    (``published_err_up``, ``published_err_down``: equal for a symmetric one, None when unknown; card
    ``normalisation.published``), and ``pull`` (:func:`na62lab.results.ratio_pull.pull`: both errors
    combined; None without both, or against the pi0 l nu upper limit).  Keys: docs/api.md; rows written by
    older versions: :func:`na62lab.results.kaon_record.current_keys`.
    """
    pub = card.normalisation.published
    bk = s["backgrounds"]
    rows: list[_ComparisonRow] = [
        ("A_pinunu (simulated cuts x card common cuts)", s["acceptance_pinunu"], pub.acceptance_pinunu,
         "acceptance_pinunu", None),
        ("A_pipi (simulated cuts x card common cuts; published value approximate)", s["acceptance_pipi"],
         pub.acceptance_pipi, "acceptance_pipi", None),
        ("A_pinunu / A_pipi", s["acceptance_pinunu"] / s["acceptance_pipi"],
         pub.acceptance_pinunu / pub.acceptance_pipi, None, None),
        ("implied efficiency of the cuts still missing: signal", pub.acceptance_pinunu / s["acceptance_pinunu"],
         None, None, None),
        ("implied efficiency of the cuts still missing: normalisation",
         pub.acceptance_pipi / s["acceptance_pipi"], None, None, None),
        *([("N_K (K+ decays in the fiducial volume)", s["n_k"], card.normalisation.n_k, "n_k", None)]
          if "n_k" in s else []),
        ("SES", s["ses"], pub.ses, "ses", None),
        ("sigma(m_miss^2) pi+ pi0 [GeV^2/c^4]", s["mmiss2_resolution_pipi_gev2"], pub.mmiss2_resolution_gev2,
         "mmiss2_resolution_gev2", None)]
    for name, modes in _PUBLISHED_MODES.items():
        sim = sum(bk[m]["total"] for m in modes if m in bk)
        err = _stat_error(bk, modes)
        rows.append((f"background {' + '.join(modes)}", sim, pub.backgrounds[name], name, (err, _n_eff(bk, modes))))
    for extra in ("pipi0pi0", "pimumu"):
        if extra in bk:
            rows.append((f"background {extra} (not in the published table)", bk[extra]["total"], None, None,
                         (_stat_error(bk, (extra,)), _n_eff(bk, (extra,)))))
    rows.append(("background upstream (data-driven input)", bk["upstream"]["total"], pub.backgrounds["upstream"],
                 None, None))
    rows.append(("background total", bk["total"]["total"], pub.backgrounds["total"], None, None))
    published_errors = {**pub.background_errors, "acceptance_pinunu": pub.acceptance_pinunu_error,
                        "ses": pub.ses_error, "n_k": card.normalisation.n_k_error,
                        "background upstream (data-driven input)": pub.background_errors.get("upstream"),
                        "background total": pub.background_errors.get("total")}
    out = []
    for label, sim, ref, key, errs in rows:
        err, n_eff = errs if errs is not None else (None, None)
        ratio = sim / ref if ref else None
        upper_limit = key == "pi0lnu"
        pub_err = published_errors.get(key if key is not None else label) if ref is not None else None
        flagged = ratio is not None and key is not None and (
            ratio > 1 + TOLERANCE if upper_limit else abs(ratio - 1) > TOLERANCE)
        out.append({"quantity": label, "simulated": sim, "stat_err": err, "effective_events": n_eff,
                    "within_factor_2": _within_factor_2(ratio, upper_limit),
                    "statistics_limited": n_eff is not None and n_eff < FEW,
                    "published": ref, **published_err(pub_err), "ratio": ratio,
                    "pull": pull(sim, err, ref, pub_err, upper_limit),
                    "published_is_upper_limit": upper_limit, "flagged": bool(flagged),
                    "missing_physics": MISSING_PHYSICS.get(key, "") if flagged and key is not None else ""})
    return out


def _within_factor_2(ratio: float | None, upper_limit: bool) -> bool | None:
    """True if simulated/published lies in [1/2, 2] (below 2 against an upper limit); None without a reference.

    >>> _within_factor_2(1.8, False), _within_factor_2(0.4, False), _within_factor_2(0.0, True)
    (True, False, True)
    """
    if ratio is None:
        return None
    return bool(ratio <= 2.0) if upper_limit else bool(0.5 <= ratio <= 2.0)


def _n_eff(bk: dict, modes) -> float | None:
    """Effective number of simulated events behind the summed background of ``modes`` (Kish)."""
    tot = [bk[m]["total"] for m in modes if m in bk]
    err = _stat_error(bk, modes)
    if not tot or err is None:
        return None
    if err <= 0:
        return 0.0
    return float(sum(tot) ** 2 / err**2)


def _stat_error(bk: dict, modes) -> float | None:
    errs = [bk[m].get("stat_err") for m in modes if m in bk]
    if not errs or any(e is None for e in errs):
        return None
    return float(np.sqrt(sum(e * e for e in errs)))


def print_table(rows: list[dict], console, decays: int) -> None:
    """Rich table of :func:`comparison` rows."""
    from rich.table import Table

    table = Table(title=f"Kaon-mode fast simulation ({decays:,} K+ decays) vs NA62 2021-22 (JHEP 02 (2025) 191)")
    for col in ("quantity", "simulated", "published", "sim/pub", "pull", "within x2", ""):
        table.add_column(col, justify="left" if col == "quantity" else "right")
    for r in rows:
        limit = bool(r["published_is_upper_limit"])
        pub = "-" if r["published"] is None else ("< " if limit else "") + f"{r['published']:.3g}"
        pub += error_text(published_error_pair(r))
        ratio = ratio_text(r["ratio"], limit)
        pull_cell = pull_text(r.get("pull"), r["simulated"], r["published"], limit)
        sim = f"{r['simulated']:.3g}" + ("" if r.get("stat_err") is None else f" +- {r['stat_err']:.2g}")
        n_eff = r.get("effective_events")
        sim += "" if n_eff is None else f" (n_eff {n_eff:.0f}{', STAT-LIMITED' if r['statistics_limited'] else ''})"
        x2 = {None: "-", True: "yes", False: "[red]no[/red]"}[r.get("within_factor_2")]
        table.add_row(r["quantity"], sim, pub, ratio, pull_cell, x2, "[red]>30 %[/red]" if r["flagged"] else "")
    console.print(table)
    console.print(f"  {PULL_HELP}")
    for r in rows:
        if r["flagged"]:
            console.print(f"  [red]{r['quantity']}[/red]: missing physics: {r['missing_physics']}")
    console.print("  pi0 modes: veto weight of each R1/R2 event averaged over its pi0 -> gamma gamma orientations "
                  "(conditional Monte Carlo, card run.pi0_orientations; na62lab.detector.pi0_veto)")
    few = [r["quantity"] for r in rows if r.get("statistics_limited")]
    if few:
        console.print(f"  statistics-limited (n_eff = (sum w)^2 / sum w^2 < {FEW}: a few heavy events carry the "
                      f"estimate, so its error is itself uncertain): {', '.join(few)}")


def print_cutflow(s: dict, console) -> None:
    """Rich table of the cut-flow of A_pinunu and A_pipi (summary ``cutflow``, cumulative fractions of the K+
    decays in the fiducial volume) and the card's common-cut inputs."""
    from rich.table import Table

    flow = s.get("cutflow")
    if not flow:
        return
    table = Table(title="Cut-flow (cumulative fraction of K+ decays in the fiducial volume)")
    table.add_column("stage")
    for mode in flow:
        table.add_column(mode, justify="right")
    stages = [row["stage"] for row in next(iter(flow.values()))]
    for k, stage in enumerate(stages):
        cells = [("-" if mode == "pipi0" and stage.startswith("x photon") else f"{flow[mode][k]['fraction']:.4f}")
                 for mode in flow]
        table.add_row(stage, *cells)
    console.print(table)
    c = s.get("inputs", {}).get("common_cuts")
    if c:
        console.print(f"  common cuts not simulated event by event (card common_cuts, factors of w_decay): KTAG "
                      f"{c['ktag_efficiency']:g} (assumed), upstream-background cuts {c['upstream_cuts_efficiency']:g}"
                      f" (not public); pi+ hadronic-interaction survival {c['pion_interaction_survival']:.3f}")


def figure(rows: dict, n_gen: dict, card: KaonCard, path: Path) -> Path:
    """m_miss^2 vs p(pi+) of tracks in acceptance (no PID, no vetoes), BR-weighted, with the regions."""
    from matplotlib.colors import LogNorm
    from matplotlib.patches import Rectangle

    from na62lab.results.figures import new_figure, save_png

    fig, ax = new_figure(8.0, 6.0)
    mode = rows["mode"].astype(int)
    w = np.array([k_plus_br(SM_MODES[m]) / max(n_gen[SM_MODES[m]], 1) for m in range(len(SM_MODES))])[mode]
    w = w * rows["w_decay"]                     # splitting / roulette weights (1 without importance sampling)
    sig = mode == SM_MODES.index("pinunu")
    bins = (np.linspace(14, 46, 65), np.linspace(-0.08, 0.12, 101))
    h = ax.hist2d(rows["p_gev"][~sig], rows["mmiss2_gev2"][~sig], bins=bins, weights=w[~sig],
                  norm=LogNorm(vmin=1e-9), cmap="viridis")
    cbar = fig.colorbar(h[3], ax=ax)
    cbar.set_label("fraction of K+ decays per bin", fontsize=12)
    ax.scatter(rows["p_gev"][sig][:3000], rows["mmiss2_gev2"][sig][:3000], s=1, c="red", alpha=0.5,
               label=r"$K^+\to\pi^+\nu\bar\nu$ (unweighted)")
    sel = card.selection
    for (lo, hi), name in ((sel.r1_gev2, "R1"), (sel.r2_gev2, "R2")):
        ax.add_patch(Rectangle((sel.momentum_gev[0], lo), sel.momentum_gev[1] - sel.momentum_gev[0], hi - lo,
                               fill=False, edgecolor="red", lw=2))
        ax.text(sel.momentum_gev[1] - 2.5, hi + 0.002, name, color="red", fontsize=14)
    for x, y, name in ((16, 0.0195, r"$\pi^+\pi^0$"), (16, 0.09, r"$\pi^+\pi^+\pi^-$"), (22, -0.035, r"$\mu^+\nu$")):
        ax.text(x, y, name, color="black", fontsize=12)
    ax.set_xlim(14, 46)
    ax.set_xlabel(r"$p(\pi^+)$ [GeV/c]", fontsize=14)
    ax.set_ylabel(r"$m^2_{miss}$ [GeV$^2$/c$^4$]", fontsize=14)
    ax.tick_params(labelsize=11)
    ax.set_title("NA62 fast simulation: tracks in acceptance, no PID / vetoes", fontsize=11)
    ax.legend(loc="lower right", fontsize=8)
    return save_png(fig, path)


def run(decays: int | None = None, workers: int = 2,
        background_run: bool = False) -> tuple[dict, list[dict], dict, dict, KaonCard]:
    """Simulate and compare; returns (summary, comparison rows, figure rows, decays per mode, card).

    ``background_run``: the stratified, importance-sampled :data:`BACKGROUND_RUN` (its 4.5e7 decays unless
    ``decays`` is given; ~166 CPU s) instead of the card's mix (:data:`DECAYS`).
    """
    default = BACKGROUND_RUN["decays"] if background_run else DECAYS
    card = card_for(decays or default, background_run=background_run)
    tally, rows, n_gen = simulate(card, workers)
    s = summary(tally, card)
    return s, comparison(s, card), rows, n_gen, card


def reproduce(out_dir: Path, console) -> dict:
    """The ``na62lab reproduce`` section (see module doc)."""
    from na62lab.results.io import write_json

    s, rows, fig_rows, n_gen, card = run()
    print_table(rows, console, s["decays"])
    print_cutflow(s, console)
    console.print("  [dim]upstream background: data-driven in NA62 (card input), not simulated here[/dim]")
    folder = Path(out_dir) / "kaon_sim"
    write_json(folder / "backgrounds.json", {"simulated": s["backgrounds"], "published": card.normalisation.published
                                              .backgrounds, "reference": card.normalisation.published.reference,
                                              "n_k": s["n_k"], "decays": s["decays"]})
    write_json(folder / "kaon_sim_summary.json", {"summary": s, "comparison": rows})
    png = figure(fig_rows, n_gen, card, folder / "mmiss2_vs_p.png")
    console.print(f"  wrote {folder / 'backgrounds.json'}, {png.name}")
    return {"acceptance_pinunu": s["acceptance_pinunu"], "acceptance_pipi": s["acceptance_pipi"], "ses": s["ses"],
            "implied_common_cut_efficiency": {r["quantity"].rsplit(": ", 1)[1]: r["simulated"] for r in rows
                                              if r["quantity"].startswith("implied efficiency")},
            "mmiss2_resolution_pipi_gev2": s["mmiss2_resolution_pipi_gev2"],
            "backgrounds": {k: v["total"] for k, v in s["backgrounds"].items()},
            "flagged": [r["quantity"] for r in rows if r["flagged"]]}
