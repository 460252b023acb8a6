"""The HTML report: structure (summary first, sections, provenance, figures on disk) and layout in Chromium."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from na62lab.results.report import build_report, merge_summary

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


class _Page(HTMLParser):
    """Section ids in order, nav targets, figure files, links, headings and table count."""

    def __init__(self):
        super().__init__()
        self.sections, self.nav, self.figures, self.links, self.h2, self.tables = [], [], [], [], [], 0
        self._in, self._text = None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id"))
        elif tag == "a" and a.get("href", "").startswith("#"):
            self.nav.append(a["href"][1:])
        elif tag == "a":
            self.links.append(a.get("href"))
        elif tag == "img":
            self.figures.append((a.get("data-file"), a.get("src", "")[:22]))
        elif tag == "table":
            self.tables += 1
        elif tag == "h2":
            self._in = "h2"

    def handle_endtag(self, tag):
        if tag == "h2" and self._in:
            self.h2.append("".join(self._text).strip())
            self._in, self._text = None, []

    def handle_data(self, data):
        if self._in:
            self._text.append(data)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """An output folder with two real sections: pinunu (all datasets) and one kaon-mode search."""
    from na62lab.analyses import pinunu
    from na62lab.analyses.kaon_searches import run_search
    from na62lab.results.search_report import write_search_outputs

    folder = tmp_path_factory.mktemp("reproduce")
    quiet = Console(file=io.StringIO())
    s1 = pinunu.reproduce(folder, quiet)
    summary = run_search("hnl-pi-e", masses_gev=[0.1, 0.11, 0.12])[1]
    write_search_outputs(summary, folder / "kaon_searches" / "hnl-pi-e")
    merge_summary(folder, {"pinunu": s1, "kaon_searches": {"searches": ["hnl-pi-e"]}})
    (folder / "beam_dump").mkdir()
    build_report(folder)
    return folder


def _page(out) -> tuple[str, _Page]:
    text = (out / "report.html").read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    return text, page


def test_summary_first_then_sections_provenance_closing(out):
    text, page = _page(out)
    assert page.sections == ["summary", "pinunu", "kaon_searches", "provenance", "closing"]
    assert set(page.sections) <= set(page.nav) | {"summary"}
    assert page.h2[0].startswith("Summary")
    # every reproduced number next to the published one: the pinunu 2016-22 BR row and a search point
    assert "BR 2016-22 (2 categories)" in text and "JHEP 02 (2025) 191" in text
    assert "pi+ -&gt; e+ N" in text or "pi+ -> e+ N" in text
    assert "Approximations and missing physics" in text and "one category per dataset" in text


def test_provenance_block(out):
    from na62lab import __version__
    from na62lab.results.provenance import card_record

    text, _ = _page(out)
    prov = json.loads((out / "summary.json").read_text())["provenance"]
    assert set(prov) == {"pinunu", "kaon_searches"}
    card = prov["pinunu"]["cards"]["na62_pinunu_published"]
    assert card["sha256"] == card_record("na62_pinunu_published")["sha256"]
    assert card["sha256"][:16] in text and __version__ in text
    for key in ("git commit", "Python", "packages", "numpy", "seeds", "exposure"):
        assert key in text


def test_every_referenced_figure_exists(out):
    _, page = _page(out)
    assert len(page.figures) >= 3
    for rel, src in page.figures:
        assert (out / rel).is_file() and src.startswith("data:image/png;base64")
    for href in page.links:
        assert (out / href).is_file(), href
    assert any(h.endswith(".pdf") for h in page.links)


def test_partial_rerun_keeps_other_sections(out):
    """Rerunning one section into the folder keeps the others (and their own run dates) in the report."""
    from na62lab.analyses import pinunu

    before = json.loads((out / "summary.json").read_text())
    merge_summary(out, {"pinunu": pinunu.reproduce(out, Console(file=io.StringIO()))})
    build_report(out)
    after = json.loads((out / "summary.json").read_text())
    assert list(after["sections"]) == ["pinunu", "kaon_searches"]
    assert after["provenance"]["kaon_searches"] == before["provenance"]["kaon_searches"]
    _, page = _page(out)
    assert "kaon_searches" in page.sections
    # a folder left by another run but not in summary.json contributes no figures
    assert not any(rel.startswith("beam_dump/") for rel, _ in page.figures)


_PROBE = """<script>
window.addEventListener('load', () => {
  const W = window.innerWidth, bad = [];
  document.querySelectorAll('body *').forEach(el => {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > W + 1) bad.push(el.tagName + (el.id ? '#' + el.id : '') + ':' + Math.round(r.right));
    if (['TABLE', 'PRE', 'DIV', 'FIGURE'].includes(el.tagName) && el.scrollWidth > el.clientWidth + 1)
      bad.push(el.tagName + ' scroll ' + el.scrollWidth + '>' + el.clientWidth);
  });
  const imgs = [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length;
  const p = document.createElement('pre'); p.id = 'layout-probe';
  p.textContent = JSON.stringify({width: W, doc: document.documentElement.scrollWidth, bad: bad.slice(0, 20),
                                  broken_images: imgs, first: document.querySelector('main section').id});
  document.body.appendChild(p);
});
</script>"""


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium (Debian package chromium) installed")
def test_no_overflow_at_1400px_in_chromium(out):
    html_text = (out / "report.html").read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>")
    probe = out / "report_probe.html"
    probe.write_text(html_text, encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        run = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                              "--no-first-run", "--disable-background-networking", "--disable-component-update",
                              "--disable-sync", f"--user-data-dir={profile}", "--window-size=1400,1000",
                              "--virtual-time-budget=10000", "--dump-dom", probe.as_uri()],
                             capture_output=True, text=True, timeout=180)
    probe.unlink()
    dom = run.stdout
    assert 'id="layout-probe"' in dom, run.stderr[-2000:]
    result = json.loads(dom.split('id="layout-probe">', 1)[1].split("</pre>", 1)[0].replace("&quot;", '"'))
    assert result["width"] == 1400
    assert result["doc"] <= 1400, result
    assert not result["bad"], result
    assert result["broken_images"] == 0 and result["first"] == "summary"


def test_outputs_follow_the_umask(out):
    """Report, summary and figures are created like any new file (0o666 minus the umask), not 0600."""
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    for path in (out / "report.html", out / "summary.json", out / "pinunu" / "pinunu_likelihood_scan.pdf"):
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask, path


def test_kaon_sim_and_beam_dump_readers(tmp_path):
    """The two simulation sections, from files in the layout their reproduce() writes (values made up)."""
    from na62lab.results.io import write_json
    from na62lab.results.report_sections import read_section

    write_json(tmp_path / "kaon_sim" / "kaon_sim_summary.json", {"comparison": [
        {"quantity": "background pipi0", "simulated": 0.9, "stat_error": 0.1, "published": 0.83, "ratio": 0.9 / 0.83,
         "published_error": [0.05, 0.05], "published_is_upper_limit": False, "flagged": False, "missing_physics": ""},
        {"quantity": "background ke4", "simulated": 0.01, "stat_error": None, "published": 0.89, "ratio": 0.011,
         "published_is_upper_limit": False, "flagged": True, "missing_physics": "correlated losses"}]})
    write_json(tmp_path / "kaon_sim" / "backgrounds.json", {"reference": "JHEP 02 (2025) 191", "decays": 2e7,
                                                           "n_k": 3e12})
    write_json(tmp_path / "beam_dump" / "BC1_1p0e18.json", {
        "model": "dark-photon", "pbc": "BC1", "card": "na62-dump-run2-projection", "projection": True,
        "n_pot": 1e18, "combined_inputs": {"observed": 0, "background": 0.02}, "observed_limit_by_mass": [2.3],
        "excluded_ranges": [{"mass_gev": 0.05, "coupling_min": 1e-7, "coupling_max": 1e-5}], "notes": ["a note"]})
    write_json(tmp_path / "beam_dump" / "BC7_6p0e20.json", {       # the B_c+ bracket note of every result is kept
        "model": "hnl-mu", "pbc": "BC7", "card": "ship", "projection": True, "n_pot": 6e20,
        "combined_inputs": {"observed": 0, "background": 0.0}, "observed_limit_by_mass": [2.3],
        "excluded_ranges": [{"mass_gev": 4.0, "coupling_min": 1e-8, "coupling_max": 1e-6}],
        "notes": ["a note", "B_c+ production (card production.bc_to_bplus = 0.0076 ...)"]})
    write_json(tmp_path / "beam_dump" / "validation.json", {"BC1 2021 mumu": {
        "reference": "JHEP", "rows": [], "note": "not like for like", "reproduction": "no form factor",
        "form_factor_systematic": "form-factor systematic of the closing mass"}})
    ks = read_section(tmp_path, "kaon_sim")
    assert ks.rows[0]["pull"] == pytest.approx((0.9 - 0.83) / np.hypot(0.1, 0.05)) and ks.rows[1]["pull"] is None
    assert ks.rows[0]["reference"] == "JHEP 02 (2025) 191"
    assert any("correlated losses" in n for n in ks.notes)
    bd = read_section(tmp_path, "beam_dump")
    assert bd.tables[0]["rows"][0][4] == "expected (projection)" and "approximation: a note" in bd.notes
    assert "hnl-mu (ship): B_c+ production (card production.bc_to_bplus = 0.0076 ...)" in bd.notes
    assert not any(n.startswith("approximation: B_c+ production (card") for n in bd.notes)
    assert "validation (BC1 2021 mumu): not like for like" in bd.notes
    assert "validation (BC1 2021 mumu), the reference's prescription: no form factor" in bd.notes
    assert "validation (BC1 2021 mumu): form-factor systematic of the closing mass" in bd.notes
    merge_summary(tmp_path, {"kaon_sim": {}, "beam_dump": {}})
    prov = json.loads((tmp_path / "summary.json").read_text())["provenance"]
    assert prov["kaon_sim"]["exposure"]["kaon_decays_simulated"] == 2e7
    assert prov["beam_dump"]["exposure"] == {"n_pot (na62-dump-run2-projection)": 1e18, "n_pot (ship)": 6e20}
    assert "background pipi0" in build_report(tmp_path).read_text()


def test_report_cells_match_the_terminal(tmp_path):
    """The report prints what the terminal prints (one home for each formatter): excluded masses per island and
    grid-edge couplings marked (beam_dump_compare.exclusion_text; the NA62 2021 BC1 row read '0.010-1.235' for
    '0.01-1.015 and 1.024-1.235', the ALP rows '1.00e-08-1.00e-01' with both ends on the grid edge), small
    ratios with two significant digits (K3pi 0.0029 read '0.00'), and a pull that combines the published
    uncertainty with ours (NA62 JHEP 02 (2025) 191: K3pi 0.11 +- 0.03; it read -345 from our MC error alone)
    and none against the published pi0 l nu upper limit ('above limit', not 7.7)."""
    from na62lab.analyses.beam_dump_compare import OPEN_EDGE_LEGEND
    from na62lab.results.io import write_json
    from na62lab.results.ratio_pull import PULL_HELP
    from na62lab.results.report_sections import read_section

    write_json(tmp_path / "kaon_sim" / "kaon_sim_summary.json", {"comparison": [
        {"quantity": "background pipipi", "simulated": 3.18e-4, "stat_error": 3.2e-4, "published": 0.11,
         "published_error": [0.03, 0.03], "ratio": 3.18e-4 / 0.11, "published_is_upper_limit": False,
         "flagged": True, "missing_physics": ""},
        {"quantity": "background pi0enu + pi0munu", "simulated": 0.075, "stat_error": 0.0096, "published": 0.001,
         "published_error": None, "ratio": 75.0, "published_is_upper_limit": True, "flagged": True,
         "missing_physics": ""}]})
    ranges = [{"mass_gev": m, "coupling_min": lo, "coupling_max": hi, "open_lower": lo == 1e-8,
               "open_upper": hi == 0.1} for m, lo, hi in ((0.05, 1e-8, 1e-3), (0.06, 2e-8, 0.1), (0.08, 3e-8, 1e-2))]
    write_json(tmp_path / "beam_dump" / "BC11_1p4e17.json", {
        "model": "alp-gluon", "pbc": "BC11", "card": "na62-dump-2021", "projection": False, "n_pot": 1.4e17,
        "combined_inputs": {"observed": 1, "background": 0.035}, "observed_limit_by_mass": [2.30, 3.85],
        "masses_gev": [0.05, 0.06, 0.07, 0.08], "excluded_ranges": ranges, "notes": []})
    ks = read_section(tmp_path, "kaon_sim")
    k3pi, pi0lnu = ks.rows
    assert k3pi["ratio_text"] == "0.0029" and k3pi["pull_text"] == "-3.7"       # (3.2e-4 - 0.11) / hypot(...)
    assert k3pi["published_text"] == "0.11 +- 0.03"
    assert pi0lnu["pull"] is None and pi0lnu["pull_text"] == "above limit" and pi0lnu["ratio_text"] == ">= 75.00"
    assert pi0lnu["published_text"] == "< 0.001" and PULL_HELP in ks.notes
    assert ks.tables[0]["rows"][0][4:6] == ["0.0029", "-3.7"]
    bd = read_section(tmp_path, "beam_dump")
    assert bd.tables[0]["rows"][0][7:] == ["2.30-3.85", "0.05-0.06 and 0.08", "<1.00e-08 @ 0.05 GeV",
                                               ">1.00e-01 @ 0.06 GeV"]
    assert OPEN_EDGE_LEGEND.format(beyond="the model's coupling range") in bd.notes
    merge_summary(tmp_path, {"kaon_sim": {}, "beam_dump": {}})
    text = build_report(tmp_path).read_text()
    assert "above limit" in text and "0.0029" in text and "0.05-0.06 and 0.08" in text and "&lt;1.00e-08" in text
    assert 'title="pull = (ours - published) / sqrt(' in text
