"""What the HTML report shows of each ``reproduce`` section, read back from the output folder.

Each reader takes the section folder (``out/<section>``) and returns a :class:`Section`:
the summary rows (every reproduced number next to the published one, with the ratio and,
where the reproduction's statistical error and the published uncertainty are known, the pull:
:mod:`na62lab.results.ratio_pull`, as the terminal prints them), the tables, the approximations
and missing physics, and the figures.  Everything comes from the files the section wrote,
so the report can be rebuilt from a folder filled by several partial runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from na62lab.results.ratio_pull import PULL_HELP, error_text, pull, pull_text, ratio_text

SECTIONS: dict[str, dict] = {
    "pinunu": {"title": "K+ -> pi+ nu nubar: published counting results",
               "cards": ["na62_pinunu_published"],
               "shows": "The branching ratio (maximum likelihood, 68 % profile interval), the background-only "
                        "significance, the tension with the SM and the upper limit of every published NA62 "
                        "dataset, recomputed from its observed count, expected background and SES."},
    "beam_dump": {"title": "Beam dump: dark photon, dark scalar, ALPs and HNLs",
                  "cards": ["na62_dump_2021", "na62_dump_run2"],
                  "shows": "Exclusion contours (90 % CL) in the PBC plane of each model (BC1 dark photon, BC4 "
                           "dark scalar, BC6/BC7 HNLs, BC9/BC10/BC11 ALPs) from the fast simulation of the 2021 dump "
                           "run (1.4e17 protons on target, observed) and the Run 2 projection (1e18, expected), and "
                           "the validation tables: ours / reference coupling edges, BC1 against NA62's published "
                           "contours, BC9 and BC11 against ALPINIST's NA62 tables (with the reference's "
                           "assumptions and with the shipped card)."},
    "kaon_sim": {"title": "Kaon-mode fast simulation: acceptances, SES, backgrounds",
                 "cards": ["na62_kaon_2021_22"],
                 "shows": "The simulated K+ -> pi+ nu nubar acceptance, the normalisation acceptance, the SES, "
                          "the m_miss^2 resolution and the K+ decay backgrounds of the 2021-22 analysis, beside "
                          "the published values; flagged rows name the missing physics."},
    "kaon_searches": {"title": "Kaon-mode searches: K+ -> pi+ X, pi0 -> invisible, HNLs",
                      "cards": ["na62_search_pi_x", "na62_search_pi0_invisible", "na62_search_pi_a_gammagamma",
                                "na62_search_pi_x_mumu", "na62_search_hnl_e", "na62_search_hnl_mu",
                                "na62_search_hnl_pi_e"],
                      "shows": "Upper limits (90 % CL) vs mass with expected bands for every kaon-mode peak "
                               "search, the comparison with the published limits, and their reading as "
                               "couplings in the PBC planes."},
}
"""Section name -> title, cards it reads, and what it shows (the report's closing note)."""


@dataclass
class Section:
    """One report section, read from its folder."""

    name: str
    title: str
    shows: str
    rows: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)


def _load(path: Path) -> dict | list | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _load_dict(path: Path) -> dict:
    """:func:`_load` of a JSON object: ``{}`` when the file is missing, malformed or not an object."""
    data = _load(path)
    return data if isinstance(data, dict) else {}


def _float(x):
    """A number stored as text (e.g. a published significance ``"3.4"``) as float; other text unchanged."""
    if isinstance(x, str):
        try:
            return float(x)
        except ValueError:
            return x
    return x


def _row(section: str, quantity: str, ours, published, unit: str = "", reference: str = "",
         error=None, note: str = "", published_error=None, upper_limit: bool = False, text=None) -> dict:
    """A summary row: ratio ours/published and the pull (:mod:`na62lab.results.ratio_pull`, as the terminal).

    ``error``: statistical error of ours; ``published_error``: the published uncertainty (one number or
    ``(up, down)``); ``upper_limit``: the published number is an upper limit (no pull; ``<= limit`` /
    ``above limit``); ``text``: how ours and published are printed (default 3 significant digits).
    ``*_text`` are the cells as printed; ``status`` colours the ratio (``ok`` within
    :data:`na62lab.results.report.TOLERANCE`, below 1 + it against an upper limit).
    """
    from na62lab.results.report import TOLERANCE

    ours, published = _float(ours), _float(published)
    numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (ours, published))
    ratio = ours / published if numbers and published != 0 else None
    pull_value = pull(ours, error, published, published_error, upper_limit) if numbers else None
    status = "" if ratio is None else (
        "ok" if (ratio <= 1 + TOLERANCE if upper_limit else abs(ratio - 1) <= TOLERANCE) else "off")
    def cell(x) -> str:
        return (text or _num)(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else _num(x)

    return {"section": section, "quantity": quantity, "ours": ours, "published": published, "unit": unit,
            "ours_text": cell(ours),
            "published_text": ("< " if upper_limit else "") + cell(published) + error_text(published_error),
            "ratio": ratio, "pull": pull_value, "ratio_text": ratio_text(ratio, upper_limit),
            "pull_text": pull_text(pull_value, ours if numbers else None, published if numbers else None, upper_limit),
            "status": status, "reference": reference, "note": note}


def _pinunu(folder: Path, sec: Section) -> None:
    data = _load_dict(folder / "pinunu_results.json")
    cols = ["dataset", "observed", "background", "BR ours [1e-11]", "BR published [1e-11]", "Z ours",
            "Z published", "UL ours [1e-11]", "UL published [1e-11]", "reference"]
    rows = []
    for r in data.get("datasets", []):
        p, cats = r["published"], r["inputs"]["categories"]
        ref = p.get("reference") or ""
        if p.get("br") is not None:
            sec.rows.append(_row("pinunu", f"BR {r['name']}", r["br"], p["br"], "", ref,
                                 note=f"ours +{r['br_err_up']:.2g} -{r['br_err_down']:.2g}"))
        if p.get("significance") is not None:
            sec.rows.append(_row("pinunu", f"Z (bkg only) {r['name']}", r["significance_bkg_only"],
                                 p["significance"], "sigma", ref))
        if p.get("upper_limit") is not None:
            sec.rows.append(_row("pinunu", f"UL {r['name']} ({p['upper_limit_cl']:.0%} CL)", r["upper_limit_br"],
                                 p["upper_limit"], "", ref))
        br = lambda x, u=None, d=None: "-" if x is None else (  # noqa: E731
            f"{x / 1e-11:.1f}" + (f" +{u / 1e-11:.1f} -{d / 1e-11:.1f}" if u is not None and d is not None else ""))
        rows.append([r["name"], sum(c["observed"] for c in cats), f"{sum(c['background'] for c in cats):.2f}",
                     br(r["br"], r["br_err_up"], r["br_err_down"]), br(p.get("br"), p.get("br_err_up"),
                                                                        p.get("br_err_down")),
                     f"{r['significance_bkg_only']:.1f}", p.get("significance") or "-",
                     f"{r['upper_limit_br'] / 1e-11:.0f}",
                     f"{p['upper_limit'] / 1e-11:.0f}" if p.get("upper_limit") else "-", ref])
    sm = data.get("sm_prediction", {})
    caption = "Published datasets reproduced"
    if sm:
        caption += f" (SM: {sm['br'] / 1e-11:.2f} +- {sm['br_err'] / 1e-11:.2f} x 1e-11)"
    sec.tables.append({"caption": caption, "columns": cols, "rows": rows})
    sec.notes += [f"approximation: {s}" for s in data.get("simplifications", [])]


def _kaon_sim(folder: Path, sec: Section) -> None:
    """The comparison rows of ``kaon_sim_summary.json``, in today's keys or an older version's
    (:func:`na62lab.results.kaon_record.current_keys`)."""
    from na62lab.results.kaon_record import current_keys, published_error_pair

    data = current_keys(_load_dict(folder / "kaon_sim_summary.json"))
    reference = _load_dict(folder / "backgrounds.json").get("reference", "")
    cols = ["quantity", "simulated", "MC stat. error", "published", "ratio", "pull", "within x2", "flag"]
    rows = []
    for r in data.get("comparison", []):
        limit = bool(r.get("published_is_upper_limit"))
        row = _row("kaon_sim", r["quantity"], r["simulated"], r["published"], "", reference, r.get("stat_err"),
                   "published is an upper limit" if limit else "", published_error_pair(r), limit)
        sec.rows.append(row)
        rows.append([r["quantity"], _num(r["simulated"]), _num(r.get("stat_err")), row["published_text"],
                     row["ratio_text"], row["pull_text"],
                     {None: "", True: "yes", False: "no"}[r.get("within_factor_2")], "flagged" if r["flagged"] else ""])
        if r.get("missing_physics"):
            sec.notes.append(f"missing physics ({r['quantity']}): {r['missing_physics']}")
    sec.tables.append({"caption": "Simulated vs published (2021-22 analysis)", "columns": cols, "rows": rows})
    sec.notes.append(PULL_HELP)


def _beam_dump(folder: Path, sec: Section) -> None:
    """The exclusion table with the terminal's cells (:func:`na62lab.analyses.beam_dump_compare.exclusion_text`:
    excluded masses per island, grid-edge couplings marked ``<``/``>``; the limit range of
    :func:`na62lab.analyses.beam_dump.limit_range_text`), then the validation tables."""
    from na62lab.analyses.beam_dump import limit_range_text
    from na62lab.analyses.beam_dump_bc import NOTE_PREFIX as BC_NOTE
    from na62lab.analyses.beam_dump_compare import OPEN_EDGE_LEGEND, exclusion_text

    cols = ["benchmark", "model", "card", "N_POT", "result", "observed", "background", "limit [events]",
            "excluded mass [GeV]", "coupling min", "coupling max"]
    rows: list[list] = []
    notes: list[str] = []
    bc_notes: list[str] = []          # the B_c+ bracket of each result that has one (analyses.beam_dump_bc)
    open_edges = False
    for path in sorted(folder.glob("*.json")):
        r = _load(path)
        if not isinstance(r, dict) or "excluded_ranges" not in r:
            continue
        ranges = r["excluded_ranges"]
        kind = "expected (projection)" if r.get("projection", "run2" in str(r.get("card", ""))) else "observed"
        inputs = r.get("combined_inputs", {})
        cells = exclusion_text(ranges, r.get("masses_gev") or [x["mass_gev"] for x in ranges])
        open_edges |= cells[1].startswith("<") or cells[2].startswith(">")
        rows.append([r.get("pbc", ""), r["model"], r.get("card", ""), f"{r['n_pot']:.2g}", kind,
                     inputs.get("observed", "-"), _num(inputs.get("background")),
                     limit_range_text(r.get("observed_limit_by_mass") or [float("nan")]), *cells])
        notes = r.get("notes", notes)
        bc_notes += [f"{r['model']} ({r.get('card', '')}): {n}" for n in r.get("notes", []) if n.startswith(BC_NOTE)]
    sec.tables.append({"caption": "90 % CL exclusions (the coupling in each model's PBC convention)",
                       "columns": cols, "rows": rows})
    if open_edges:
        sec.notes.append(OPEN_EDGE_LEGEND.format(beyond="the model's coupling range"))
    sec.notes += [f"approximation: {n}" for n in notes if not n.startswith(BC_NOTE)] + bc_notes
    _dump_validation(folder, sec)


def _dump_validation(folder: Path, sec: Section) -> None:
    """Ours / reference coupling edges (``validation.json`` of the beam-dump section) as summary rows and a table.

    A table may say how ours was run (``ours``) and what the reference assumes (``conditions``, e.g. the
    ALPINIST tables' 1e19 POT and efficiency 1); both become notes.  Unknown keys are ignored.  Closing masses
    as the terminal prints them (:func:`na62lab.analyses.beam_dump_validation.mass_text`).
    """
    from na62lab.analyses.beam_dump_validation import mass_text

    cols = ["benchmark", "mass [GeV]", "lower ours", "lower reference", "ratio", "upper ours", "upper reference",
            "ratio"]
    for name, v in _load_dict(folder / "validation.json").items():
        if not isinstance(v, dict):
            continue
        rows = []
        for r in v.get("rows", []):
            for edge in ("lower", "upper"):
                sec.rows.append(_row("beam_dump", f"{name}: {edge} edge at {r['mass_gev']:.3g} GeV",
                                     r.get(edge), r.get(f"{edge}_ref"), "", v.get("reference", "")))
            rows.append([name, f"{r['mass_gev']:.3g}", _num(r.get("lower")), _num(r.get("lower_ref")),
                         ratio_text(r.get("lower_ratio")), _num(r.get("upper")), _num(r.get("upper_ref")),
                         ratio_text(r.get("upper_ratio"))])
        if v.get("m_max") is not None:
            sec.rows.append(_row("beam_dump", f"{name}: mass where the region closes [GeV]", v.get("m_max"),
                                 v.get("m_max_ref"), "GeV", v.get("reference", ""), text=mass_text))
        sec.tables.append({"caption": f"{name}: ours vs reference ({v.get('reference', '')})",
                           "columns": cols, "rows": rows})
        if v.get("ours"):
            sec.notes.append(f"validation ({name}), ours: {v['ours']}")
        if v.get("conditions"):
            sec.notes.append(f"validation ({name}), the reference assumes: {'; '.join(map(str, v['conditions']))}")
        if v.get("note"):
            sec.notes.append(f"validation ({name}): {v['note']}")
        if v.get("reproduction"):
            sec.notes.append(f"validation ({name}), the reference's prescription: {v['reproduction']}")
        if v.get("form_factor_systematic"):
            sec.notes.append(f"validation ({name}): {v['form_factor_systematic']}")


def _kaon_searches(folder: Path, sec: Section) -> None:
    from na62lab.results.search_report import RATIO_COLUMN

    cols = ["search", "mass [GeV]", "quantity", "ours (observed)", "ours (expected)", "published", RATIO_COLUMN,
            "note"]
    rows = []
    for path in sorted(folder.glob("*/*.json")):
        s = _load(path)
        if not isinstance(s, dict) or "search" not in s or path.stem != s["search"]:
            continue
        for c in s.get("comparison", []):
            sec.rows.append(_row("kaon_searches", f"{s['title']}: {c['quantity']} at {c['mass_gev']:.3f} GeV",
                                 c["observed"], c["published"], "", c.get("note", "")))
            rows.append([s["search"], f"{c['mass_gev']:.3f}", c["quantity"], _num(c["observed"]),
                         _num(c["expected"]), _num(c["published"]), ratio_text(c["ratio_observed"]),
                         c.get("note", "")])
        sec.notes += [f"assumed ({s['search']}): {a}" for a in s.get("assumptions", [])]
    sec.tables.append({"caption": "Upper limits at the published points", "columns": cols, "rows": rows})


def _num(x, fmt: str = ".3g") -> str:
    return "-" if x is None else format(x, fmt) if isinstance(x, (int, float)) else str(x)


READERS = {"pinunu": _pinunu, "kaon_sim": _kaon_sim, "beam_dump": _beam_dump, "kaon_searches": _kaon_searches}


def read_section(out_dir: Path, name: str) -> Section:
    """The report content of section ``name`` from ``out_dir/name`` (figures: every PNG under it)."""
    info = SECTIONS.get(name, {"title": name, "shows": f"Outputs of the {name} section."})
    sec = Section(name=name, title=info["title"], shows=info["shows"])
    folder = Path(out_dir) / name
    if name in READERS:
        READERS[name](folder, sec)
    sec.figures = sorted(folder.rglob("*.png"))
    return sec
