"""Importing na62lab (or physics.jit) has no side effects: the numba cache folder is set when the first kernel
is declared, through physics.jit.configure (issue 15, item 7)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import os, sys, numba
env, before = dict(os.environ), numba.config.CACHE_DIR
import na62lab, na62lab.config, na62lab.stats, na62lab.physics.jit as jit
assert dict(os.environ) == env, "environment changed"
assert numba.config.CACHE_DIR == before, "numba cache folder changed on import"
assert jit._configured is None and "na62lab.kernels" not in sys.modules
import na62lab.physics.fastrng                 # a kernel module: its first njit configures the cache
assert numba.config.CACHE_DIR == jit.cache_dir() == jit.configure()
assert dict(os.environ) == env
print("ok")
"""


def test_import_leaves_environment_and_numba_config_alone():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"
