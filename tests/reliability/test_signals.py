"""Fault injection: SIGINT, SIGTERM and SIGKILL (issue 18, items 1 and 5).

Subprocesses are used only here (signals need a real process).  Shard-level
tests use ``shard_script.py`` (pure Python shards through
``na62lab.parallel``); command-level tests send the signal to a real
``na62lab`` run early (whether kernels are compiling or chunks running).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.procs import children, kill_all, wait_dead, wait_for

HERE = Path(__file__).parent
NA62LAB = [str(Path(sys.executable).with_name("na62lab"))]


def _start(argv, **kw) -> subprocess.Popen:
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **kw)


def _pids(folder: Path) -> set[int]:
    return {int(p.name[4:]) for p in folder.glob("pid_*")}


def test_sigkill_of_parent_kills_workers(tmp_path):
    """Issue 18: SIGKILL of the parent left workers finishing every chunk, then sleeping forever."""
    proc = _start([sys.executable, str(HERE / "shard_script.py"), str(tmp_path), "6", "30"])
    try:
        assert wait_for(lambda: len(_pids(tmp_path)) >= 2, 60), proc.stderr.read() if proc.poll() else ""
        workers = _pids(tmp_path)
        proc.kill()
        proc.wait(10)
        t0 = time.monotonic()
        assert not wait_dead(workers, 5.0), "worker processes outlived their SIGKILLed parent by 5 s"
        proc.communicate(timeout=5)           # the pipes close: $(na62lab ...) does not hang
        assert time.monotonic() - t0 < 10
        assert not list(tmp_path.glob("shard_*"))   # no worker went on to finish its shard
    finally:
        kill_all(_pids(tmp_path) | {proc.pid})


def test_sigint_to_process_group_stops_workers(tmp_path):
    """Issue 18: with SIGINT to the process group, workers swallowed it and went on writing chunks."""
    proc = _start([sys.executable, str(HERE / "shard_script.py"), str(tmp_path), "6", "3"])
    try:
        assert wait_for(lambda: len(_pids(tmp_path)) >= 2, 60)
        workers = _pids(tmp_path)
        os.killpg(proc.pid, signal.SIGINT)     # what a terminal's Ctrl-C does
        out, err = proc.communicate(timeout=15)
        assert proc.returncode == 130, err
        assert "Traceback" not in err
        assert not wait_dead(workers, 5.0)
        written = sorted(p.name for p in tmp_path.glob("shard_*"))
        time.sleep(4)                          # longer than a shard: nothing more appears
        assert sorted(p.name for p in tmp_path.glob("shard_*")) == written
        assert not list(tmp_path.glob(".shard_*.part"))
    finally:
        kill_all(_pids(tmp_path) | {proc.pid})


def _interrupt(argv, sig, after: float, tmp_path: Path):
    proc = _start([*NA62LAB, *argv], cwd=tmp_path)
    time.sleep(after)
    kids = children(proc.pid)
    os.killpg(proc.pid, sig)
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        kill_all(children(proc.pid) | kids)
    left = wait_dead(kids, 5.0)
    return proc.returncode, out, err, left


def _interrupt_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if not ln.startswith("compiling kernels")]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "SystemError" not in err, err
    return lines[0]


@pytest.mark.parametrize("sig, code, workers", [(signal.SIGINT, 130, 2), (signal.SIGTERM, 143, 2),
                                                (signal.SIGINT, 130, 1)])
def test_simulate_kaon_interrupt(tmp_path, sig, code, workers):
    """Issue 18: Ctrl-C exited 0 with no message; --workers 1 gave a numba SystemError traceback."""
    out = tmp_path / "run"
    # 4e7 decays (~10 s of work on 2 warm cores) so the signal at 4 s always lands inside the run
    argv = ["simulate", "kaon", "--decays", "40000000", "--chunk-size", "100000", "--workers", str(workers),
            "--out", str(out), "--quiet"]
    rc, _, err, left = _interrupt(argv, sig, 4.0, tmp_path)
    assert rc == code, err
    line = _interrupt_line(err)
    assert line.startswith(f"na62lab: interrupted by {signal.Signals(sig).name}")
    assert "rerun" in line
    assert not left, "worker processes still alive 5 s after the interrupt"
    if out.exists():
        assert not list(out.glob(".*.part"))


@pytest.mark.parametrize("after", [0.7, 1.5, 2.5])
def test_interrupt_at_any_moment_is_one_line(tmp_path, after):
    """Interrupts at start-up (imports, card loading, compilation) end with one line too."""
    argv = ["simulate", "kaon", "--decays", "400000", "--chunk-size", "1000", "--quiet"]
    rc, _, err, left = _interrupt(argv, signal.SIGINT, after, tmp_path)
    assert rc == 130, err
    _interrupt_line(err)
    assert not left


def test_reproduce_interrupt_keeps_previous_folder(tmp_path):
    """Issue 18: an interrupted reproduce exited 0; now 130, and --out is left as it was."""
    out = tmp_path / "results"
    out.mkdir()
    (out / "previous.txt").write_text("complete earlier run\n")
    # 1 s: inside the run (imports, pinunu); at 3 s a quiet machine has already finished (rc 0, new files)
    rc, _, err, left = _interrupt(["reproduce", "--only", "pinunu", "--out", str(out)], signal.SIGINT, 1.0,
                                  tmp_path)
    assert rc == 130, err
    assert "unchanged" in _interrupt_line(err)
    assert sorted(p.name for p in out.iterdir()) == ["previous.txt"]
    assert not [p for p in tmp_path.iterdir() if "staging" in p.name]


def test_sensitivity_interrupt_keeps_previous_folder_and_no_cache_part(tmp_path):
    """Ctrl-C 2 s into a beam-dump sensitivity (task t68): exit 130, one line, --out as it was, no temporaries.

    ``--no-cache`` and a fresh cache folder so the run is inside the efficiency tables (tens of seconds)."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "previous.txt").write_text("complete earlier run\n")
    cache = tmp_path / "cache"
    argv = ["sensitivity", "--model", "hnl-mu", "--card", "bebc", "--grid", "3x4", "--no-cache", "--out", str(out)]
    proc = _start([*NA62LAB, *argv], cwd=tmp_path, env={**os.environ, "NA62LAB_CACHE": str(cache)})
    time.sleep(2.0)
    kids = children(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        kill_all(children(proc.pid) | kids)
    assert proc.returncode == 130, err
    assert "interrupted by SIGINT" in _interrupt_line(err)
    assert sorted(p.name for p in out.iterdir()) == ["previous.txt"]
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".part") or "stag" in p.name]
