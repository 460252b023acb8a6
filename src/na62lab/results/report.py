"""The HTML report of ``na62lab reproduce``: the terminal tables and every figure.

The tables are what the sections printed (recorded by a rich console); the
figures are the PNG files the sections wrote, linked relative to the report so
the output folder can be moved or shared as a whole.
"""

from __future__ import annotations

import html
from pathlib import Path

from na62lab.results.io import atomic_write_text


def write_report(out_dir: str | Path, recorded_html: str, title: str = "na62lab reproduce") -> Path:
    """Write ``out_dir/report.html`` from a rich HTML export and the PNGs in ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path
        The reproduce output folder.
    recorded_html : str
        ``Console.export_html(inline_styles=True)`` of what the sections printed.
    """
    out_dir = Path(out_dir)
    body = recorded_html.split("<body>", 1)[-1].rsplit("</body>", 1)[0]
    figures = []
    for png in sorted(out_dir.rglob("*.png")):
        rel = png.relative_to(out_dir).as_posix()
        figures.append(f'<figure><img src="{html.escape(rel)}" style="max-width:900px">'
                       f"<figcaption>{html.escape(rel)}</figcaption></figure>")
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1>{body}<h2>Figures</h2>{''.join(figures)}</body></html>\n")
    return atomic_write_text(out_dir / "report.html", page)
