"""Kill a real ``simulate kaon`` run and resume it: identical final results (issue 18, 'Done means').

Marked slow: on a cold numba cache each process compiles the kaon kernels
first (minutes).  With a warm cache the module takes about a minute.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.procs import children, kill_all, wait_dead, wait_for

NA62LAB = str(Path(sys.executable).with_name("na62lab"))
ARGS = ["simulate", "kaon", "--decays", "12000", "--chunk-size", "1000", "--seed", "11", "--quiet", "--json"]


def _summary(out: Path) -> dict:
    s = json.loads((out / "summary.json").read_text())
    s["run"].pop("out")
    s.pop("provenance", None)  # date and commit of the run
    return s


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("ref") / "run"
    res = subprocess.run([NA62LAB, *ARGS, "--workers", "2", "--out", str(out)], capture_output=True, text=True,
                         timeout=1800)
    assert res.returncode == 0, res.stderr
    return _summary(out)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_kill_and_resume_gives_identical_results(tmp_path, reference, sig):
    out = tmp_path / "run"
    proc = subprocess.Popen([NA62LAB, *ARGS, "--workers", "2", "--out", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert wait_for(lambda: len(list(out.glob("chunk_*.parquet"))) >= 2, 1800, 0.05)
        kids = children(proc.pid)
        os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.kill()
        _, err = proc.communicate(timeout=60)
        assert not wait_dead(kids, 5.0), "orphan workers 5 s after the kill"
    finally:
        kill_all(children(proc.pid) | {proc.pid})
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "complete chunk files kept" in err, err
    kept = len(list(out.glob("chunk_*.parquet")))
    assert 2 <= kept < 12
    res = subprocess.run([NA62LAB, *ARGS, "--workers", "1", "--out", str(out)], capture_output=True, text=True,
                         timeout=1800)
    assert res.returncode == 0, res.stderr
    assert _summary(out) == reference
    assert not list(out.glob(".*.part"))
