"""The HTML report of ``na62lab reproduce``, rebuilt from the whole output folder.

One self-contained page (figures embedded as PNG data, each linking its PNG and PDF beside
the report), rendered from the Jinja2 template ``templates/report.html.j2``:

1. a summary table of every reproduced number next to the published one (ratio, and the
   pull where both the reproduction's statistical error and the published uncertainty are known:
   :mod:`na62lab.results.ratio_pull`, the formula of the terminal tables);
2. one section per analysis: what it shows, its tables, its approximations and missing
   physics, its figures;
3. a provenance block (:func:`na62lab.results.provenance.provenance`) for the report and for
   each section (a section rerun alone keeps its own date, commit, cards and seeds);
4. a closing note saying what each section shows.

``summary.json`` holds the section summaries and their provenance; :func:`merge_summary`
updates it section by section, so ``reproduce --only pinunu`` into an existing folder keeps
the other sections and the report stays coherent with the files on disk.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from na62lab.results.io import atomic_write_text, write_json
from na62lab.results.provenance import provenance
from na62lab.results.ratio_pull import PULL_HELP
from na62lab.results.report_sections import SECTIONS, read_section

TOLERANCE = 0.30
"""Ratio band drawn green in the summary (|ours/published - 1| <= 30 %), red outside."""


def section_exposure(out_dir: Path, name: str) -> dict:
    """Exposure of a section, read from its files (protons on target, simulated kaon decays)."""
    folder = Path(out_dir) / name
    exposure: dict = {}
    if name == "beam_dump":
        for path in sorted(folder.glob("*.json")):
            try:
                r = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(r, dict) and "n_pot" in r:
                exposure[f"n_pot ({r.get('card', path.stem)})"] = r["n_pot"]
    elif name == "kaon_sim":
        try:
            b = json.loads((folder / "backgrounds.json").read_text(encoding="utf-8"))
            exposure = {"kaon_decays_simulated": b.get("decays"), "n_k (card)": b.get("n_k")}
        except (OSError, ValueError):
            pass
    return exposure


def section_provenance(out_dir: Path, name: str) -> dict:
    """Provenance of one section just run: its cards, their seeds, its exposure."""
    return provenance(cards=SECTIONS.get(name, {}).get("cards", []), exposure=section_exposure(out_dir, name))


def merge_summary(out_dir: str | Path, new: dict) -> dict:
    """Update ``out_dir/summary.json`` with the sections in ``new`` (others kept) and their provenance.

    Returns the merged summary ``{"sections": {name: summary}, "provenance": {name: block}}``.
    """
    out_dir = Path(out_dir)
    path = out_dir / "summary.json"
    merged: dict = {"sections": {}, "provenance": {}}
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(old, dict) and "sections" in old:
            merged = {"sections": dict(old["sections"]), "provenance": dict(old.get("provenance", {}))}
        elif isinstance(old, dict):  # a folder written before provenance existed: {section: summary}
            merged = {"sections": {k: v for k, v in old.items() if k in SECTIONS}, "provenance": {}}
    except (OSError, ValueError):
        pass
    for name, summary in new.items():
        merged["sections"][name] = summary
        merged["provenance"][name] = section_provenance(out_dir, name)
    order = [s for s in SECTIONS if s in merged["sections"]] + [s for s in merged["sections"] if s not in SECTIONS]
    merged = {"sections": {s: merged["sections"][s] for s in order},
              "provenance": {s: merged["provenance"].get(s) for s in order}}
    write_json(path, merged)
    return merged


def _num(x, fmt: str = ".3g") -> str:
    if x is None:
        return "-"
    if isinstance(x, (int, float)):
        return format(x, fmt)
    return str(x)


def _caption(png: Path, rel: str) -> str:
    try:
        from PIL import Image

        with Image.open(png) as im:
            title = im.text.get("Title", "") if hasattr(im, "text") else ""
    except Exception:  # pragma: no cover - a caption falls back to the file name
        title = ""
    return f"{title} ({rel})" if title else rel


def _figure(out_dir: Path, png: Path) -> dict:
    rel = png.relative_to(out_dir).as_posix()
    pdf = png.with_suffix(".pdf")
    return {"rel": rel, "pdf": pdf.relative_to(out_dir).as_posix() if pdf.is_file() else None,
            "src": "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii"),
            "caption": _caption(png, rel)}


def render(out_dir: str | Path, title: str = "na62lab: NA62 results reproduced") -> str:
    """The report page (HTML text) of ``out_dir``, from its ``summary.json`` and section folders."""
    import jinja2

    out_dir = Path(out_dir)
    try:
        summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        summary = {}
    provs = summary.get("provenance", {}) if isinstance(summary, dict) else {}
    names = list(summary.get("sections", {})) if isinstance(summary, dict) else []
    sections, rows = [], []
    for name in names:
        sec = read_section(out_dir, name)
        rows += sec.rows
        sections.append({"name": sec.name, "title": sec.title, "shows": sec.shows, "tables": sec.tables,
                         "notes": sec.notes, "prov": provs.get(name),
                         "figures": [_figure(out_dir, p) for p in sec.figures]})
    env = jinja2.Environment(loader=jinja2.PackageLoader("na62lab.results", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), undefined=jinja2.StrictUndefined)
    env.filters["num"] = _num
    return env.get_template("report.html.j2").render(title=title, prov=provenance(), sections=sections,
                                                     summary_rows=rows, tolerance=TOLERANCE, pull_help=PULL_HELP)


def build_report(out_dir: str | Path, title: str = "na62lab: NA62 results reproduced") -> Path:
    """Write ``out_dir/report.html`` from everything in ``out_dir`` (see module doc); returns its path."""
    return atomic_write_text(Path(out_dir) / "report.html", render(out_dir, title))


def write_report(out_dir: str | Path, recorded_html: str | None = None,
                 title: str = "na62lab: NA62 results reproduced") -> Path:
    """Backward-compatible entry: the terminal transcript is no longer embedded; see :func:`build_report`."""
    return build_report(out_dir, title)
