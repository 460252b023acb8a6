"""Output failures (issue 18, item 2): checked before work, one line, previous complete state kept.

Full and read-only file systems are real where a small tmpfs can be mounted
(root with CAP_SYS_ADMIN), else the writer is monkeypatched to fail the way
a full disk does (``OSError(ENOSPC)``).
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from pathlib import Path

import pytest

from na62lab.errors import InputError, OutputError
from na62lab.results import io as rio
from na62lab.results import outputs
from tests.reliability.conftest import assert_clean_refusal, refuse, run_cli


@pytest.fixture
def tmpfs(tmp_path):
    """A mounter of small tmpfs file systems under tmp_path (skips where mounting is not allowed)."""
    mounted = []

    def mount(size: str, readonly: bool = False) -> Path:
        point = tmp_path / f"fs{len(mounted)}"
        point.mkdir()
        opts = f"size={size}" + (",ro" if readonly else "")
        res = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(point)], capture_output=True)
        if res.returncode != 0:
            pytest.skip("cannot mount a tmpfs here (the monkeypatched variants cover this case)")
        mounted.append(point)
        return point
    yield mount
    for point in mounted:
        subprocess.run(["umount", str(point)], capture_output=True)


def _tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- before any work

@pytest.mark.parametrize("argv", [["simulate", "kaon", "--decays", "1000"],
                                  ["sensitivity", "--model", "dark-photon"],
                                  ["search", "pi-x"], ["reproduce", "--only", "pinunu"],
                                  ["fip", "plot", "--model", "hnl-e"]])
def test_out_is_a_file(tmp_path, argv):
    """Issue 18: an --out that is a file gave a traceback after the work was done."""
    f = tmp_path / "file"
    f.write_text("x")
    line = refuse([*argv, "--out", str(f)])
    assert "--out" in line and "file" in line
    assert f.read_text() == "x"


def test_pyhf_workspace_is_a_folder(tmp_path):
    """Issue 18: a --pyhf-workspace that is a folder gave a traceback."""
    line = refuse(["measure", "--observed", "3", "--background", "1", "--ses", "1e-11",
                   "--pyhf-workspace", str(tmp_path)])
    assert "--pyhf-workspace" in line and "folder" in line


def test_read_only_out_real(tmpfs):
    """Issue 18: a read-only --out failed with a traceback after the work; now refused first."""
    ro = tmpfs("1m", readonly=True)
    line = refuse(["simulate", "kaon", "--decays", "1000", "--out", str(ro / "run")])
    assert "writable" in line and "Read-only" in line


def test_read_only_out_patched(tmp_path, monkeypatch):
    def ro(*a, **k):
        raise OSError(errno.EROFS, "Read-only file system")
    monkeypatch.setattr(outputs.tempfile, "mkstemp", ro)
    line = refuse(["reproduce", "--only", "pinunu", "--out", str(tmp_path / "r")], tmp_path / "r")
    assert "writable" in line and "Read-only" in line


def test_not_enough_space_real(tmpfs):
    """The free-space estimate is checked before any work (a 1 MB file system cannot hold a kaon run)."""
    small = tmpfs("1m")
    out = small / "run"
    line = refuse(["simulate", "kaon", "--decays", "100000", "--out", str(out)], out)
    assert "free" in line and "estimate" in line


def test_not_enough_space_patched(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "free_bytes", lambda folder: 1000)
    out = tmp_path / "s"
    line = refuse(["sensitivity", "--model", "dark-photon", "--out", str(out)], out)
    assert "free" in line


# --------------------------------------------------------------------------- during writing

def _full_after(n_ok: int):
    calls = {"n": 0}
    real = rio._fsync

    def fsync(path):
        calls["n"] += 1
        if calls["n"] > n_ok:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path)
    return fsync


def test_full_disk_during_reproduce_keeps_previous_folder(tmp_path, monkeypatch):
    """Issue 18: a full disk during reproduce left 40-105 files and a traceback."""
    out = tmp_path / "results"
    out.mkdir()
    (out / "earlier.json").write_text('{"complete": true}\n')
    before = _tree(out)
    monkeypatch.setattr(rio, "_fsync", _full_after(1))
    argv = ["reproduce", "--only", "pinunu", "--out", str(out)]
    code, _, err = run_cli(argv)
    assert_clean_refusal(argv, code, err, expect=1)
    assert "No space left on device" in err and "previous complete files kept" in err
    assert _tree(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["results"]       # no staging folder left


def test_full_disk_real_tmpfs(tmpfs, monkeypatch):
    fs = tmpfs("160k")
    out = fs / "results"
    out.mkdir()
    (out / "earlier.json").write_text("{}\n")
    before = _tree(out)
    monkeypatch.setattr(outputs, "free_bytes", lambda folder: 10**12)   # get past the estimate
    argv = ["reproduce", "--only", "pinunu", "--out", str(out)]
    code, _, err = run_cli(argv)
    assert_clean_refusal(argv, code, err, expect=1)
    assert "No space left on device" in err
    assert _tree(out) == before
    assert sorted(p.name for p in fs.iterdir()) == ["results"]


def test_atomic_write_failure_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / "a.json"
    rio.write_json(path, {"v": 1})
    monkeypatch.setattr(rio, "_fsync", _full_after(0))
    with pytest.raises(OutputError, match="No space left"):
        rio.write_json(path, {"v": 2})
    assert json.loads(path.read_text()) == {"v": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_files_follow_the_umask(tmp_path):
    """Issue 18: every output file was 0600."""
    old = os.umask(0o027)
    try:
        path = rio.write_json(tmp_path / "x.json", {})
        assert path.stat().st_mode & 0o777 == 0o640
        with outputs.staged_folder(tmp_path / "out") as stage:
            rio.write_json(stage / "y.json", {})
        assert (tmp_path / "out").stat().st_mode & 0o777 == 0o750
        assert (tmp_path / "out" / "y.json").stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)


def test_staged_folder_discards_on_failure(tmp_path):
    out = tmp_path / "out"
    rio.write_json(out / "a.json", {"v": 1})
    with pytest.raises(RuntimeError):
        with outputs.staged_folder(out) as stage:
            rio.write_json(stage / "a.json", {"v": 2})
            rio.write_json(stage / "b.json", {"v": 2})
            raise RuntimeError("section failed")
    assert _tree(out) == {"a.json": b'{\n  "v": 1\n}\n'}
    with outputs.staged_folder(out) as stage:
        rio.write_json(stage / "b.json", {"v": 3})
    assert sorted(_tree(out)) == ["a.json", "b.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# --------------------------------------------------------------------------- run records

def test_claim_run_refuses_another_run(tmp_path):
    """Issue 18: rerunning into the same --out with another seed or fewer decays overwrote or left stale chunks."""
    rec = {"command": "simulate kaon", "seed": 1, "decays": 4000}
    assert outputs.claim_run(tmp_path, rec, patterns=("chunk_*",)) is False
    (tmp_path / "chunk_00003.parquet").write_text("old")
    assert outputs.claim_run(tmp_path, rec, patterns=("chunk_*",)) is True          # a resume
    with pytest.raises(InputError, match="seed=1 .now 2.*--overwrite"):
        outputs.claim_run(tmp_path, {**rec, "seed": 2}, patterns=("chunk_*",))
    assert outputs.claim_run(tmp_path, {**rec, "decays": 2000}, overwrite=True, patterns=("chunk_*",)) is False
    assert not (tmp_path / "chunk_00003.parquet").exists()                          # no stale chunk
    assert json.loads((tmp_path / outputs.RUN_RECORD).read_text())["decays"] == 2000


def test_claim_run_refuses_unrecorded_files(tmp_path):
    (tmp_path / "chunk_00000.parquet").write_text("x")
    with pytest.raises(InputError, match="unknown run"):
        outputs.claim_run(tmp_path, {"seed": 1}, patterns=("chunk_*",))


def test_simulate_kaon_refuses_another_seed_before_work(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / outputs.RUN_RECORD).write_text(json.dumps({"command": "simulate kaon", "card": "na62_kaon_2021_22",
                                                      "decays": 2000, "seed": 1, "chunk_size": 1000,
                                                      "full": False, "root": False, "card_sha256": None}))
    (out / "chunk_00000.parquet").write_text("chunk of seed 1")
    line = refuse(["simulate", "kaon", "--decays", "2000", "--chunk-size", "1000", "--seed", "2", "--quiet",
                   "--out", str(out)])
    assert "seed=1 (now 2)" in line and "--overwrite" in line
    assert (out / "chunk_00000.parquet").read_text() == "chunk of seed 1"


def test_full_disk_during_fip_plot_keeps_previous_folder(tmp_path, monkeypatch, capsys):
    """Commands writing several files (fip plot, search, sensitivity, recast) publish their folder whole."""
    out = tmp_path / "plots"
    out.mkdir()
    (out / "old.png").write_bytes(b"old figure")
    before = _tree(out)
    monkeypatch.setattr(rio, "_fsync", _full_after(1))                 # the second file hits a full disk
    argv = ["fip", "plot", "--model", "hnl-e", "--out", str(out)]
    code, _, err = run_cli(argv)
    assert_clean_refusal(argv, code, err, expect=1)
    assert _tree(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["plots"]
    monkeypatch.setattr(rio, "_fsync", lambda path: None)
    code, stdout, _ = run_cli([*argv, "--json"])
    assert code == 0 and ".staging" not in stdout and str(out) in stdout
    assert {"hnl-e_br.png", "hnl-e_ctau.png", "old.png"} <= {p.name for p in out.iterdir()}
