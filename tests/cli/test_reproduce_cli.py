"""``na62lab reproduce``: JSON summary, files and the HTML report."""

import json

from na62lab.cli.main import main


def test_reproduce_pinunu_json_and_report(tmp_path, capsys):
    assert main(["reproduce", "--only", "pinunu", "--out", str(tmp_path), "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    summary = json.loads(out[0])
    assert summary["pinunu"]["datasets"]["2016-22 (2 categories)"]["significance_bkg_only"] > 5
    report = (tmp_path / "report.html").read_text()
    assert "2016-22" in report and "pinunu_likelihood_scan.png" in report
    assert json.loads((tmp_path / "summary.json").read_text())["sections"] == summary


def test_only_help_lists_the_sections_as_words(capsys):
    """`reproduce -h` showed a Python list repr, "['pinunu', 'beam_dump', ...]" (t93 review)."""
    assert main(["reproduce", "-h"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "sections: pinunu, beam_dump, kaon_sim, kaon_searches" in text and "['" not in text
