"""na62lab.infra: one import path for the infrastructure, one cache folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import na62lab.infra as infra


def test_names_are_the_maintained_objects():
    from na62lab.parallel import executor
    from na62lab.results import io

    assert infra.atomic_write is io.atomic_write and infra.write_json is io.write_json
    assert infra.map_shards is executor.map_shards and infra.shard_seeds is executor.shard_seeds
    for name in infra.__all__:
        assert name == "cache" or getattr(infra, name) is not None


def test_import_is_light():
    code = "import sys, na62lab.infra; print([m for m in ('numba', 'matplotlib') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


def test_cache_root_and_its_users(monkeypatch, tmp_path):
    from na62lab.yields.dump_grid import cache_dir

    monkeypatch.setenv("NA62LAB_CACHE", str(tmp_path))
    assert infra.cache_root() == tmp_path and cache_dir() == tmp_path / "dump"
    monkeypatch.setenv("NA62LAB_CACHE", "")
    assert infra.cache_root("dump") == Path.home() / ".cache" / "na62lab" / "dump"
