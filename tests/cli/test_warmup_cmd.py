"""``na62lab warmup``: summary of the compiled kernels, bad options (the compile itself: tests/test_kernels.py)."""

from __future__ import annotations

import json

from na62lab import kernels
from na62lab.cli.main import main


def test_warmup_reports_each_workload(monkeypatch, capsys):
    calls = []

    def fake_prepare(workload, workers=1, stream=None):
        calls.append((workload, workers))
        return {"missing": 3, "seconds": 1.5, "processes": workers}

    monkeypatch.setattr(kernels, "prepare", fake_prepare)
    monkeypatch.setattr(kernels, "missing", lambda workload: [])
    assert main(["warmup", "--workers", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert calls == [(w, 2) for w in kernels.WORKLOADS]
    kaon = out["workloads"]["kaon"]
    assert kaon["missing"] == 3 and kaon["still_missing"] == 0
    assert kaon["kernels"] == sum(len(g.kernels) for g in kernels.WORKLOADS["kaon"])
    assert out["cache"].split("/")[-1].startswith("src-")


def test_warmup_text_says_when_nothing_was_compiled(monkeypatch, capsys):
    monkeypatch.setattr(kernels, "prepare", lambda w, workers=1, stream=None: {"missing": 0, "seconds": 0.0,
                                                                                "processes": 0})
    monkeypatch.setattr(kernels, "missing", lambda workload: [])
    assert main(["warmup"]) == 0
    assert "already compiled for this machine" in capsys.readouterr().out


def test_warmup_rejects_zero_workers(capsys):
    assert main(["warmup", "--workers", "0"]) == 2
    err = capsys.readouterr().err
    assert "--workers" in err and len(err.strip().splitlines()) == 1
