"""na62lab.kernels: the warm-up lists, the cache check and the compile status line."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap

import pytest
from numba.core.dispatcher import Dispatcher

from na62lab import kernels
from na62lab.physics.jit import njit


def test_workload_names_are_compiled_kernels():
    for groups in kernels.WORKLOADS.values():
        names = [k for g in groups for k in g.kernels]
        assert len(names) == len(set(names))
        for name in names:
            kern = kernels._resolve(name)
            assert isinstance(kern, Dispatcher), name
            assert kern.targetoptions.get("inline", "never") != "always", name
        for g in groups:
            assert callable(kernels._resolve(g.warm))


def test_is_cached_follows_the_cache_index(tmp_path, monkeypatch):
    import numba

    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path))

    def add_one(x):
        return x + 1.0

    kern = njit(add_one)
    assert not kernels.is_cached(kern)
    assert kern(1.0) == 2.0
    assert kernels.is_cached(kern)
    assert not kernels.is_cached(object())          # no cache attached: counted as not cached


def test_status_line_counts_package_compiles():
    out = io.StringIO()

    def _h12_status_probe(x):
        return x * 2.0

    _h12_status_probe.__module__ = "na62lab.tests_probe"
    kern = njit(cache=False)(_h12_status_probe)
    with kernels.compile_status(out, total=1):
        assert kern(2.0) == 4.0
    text = out.getvalue()
    assert kernels.TITLE in text
    assert "1 of 1 (tests_probe._h12_status_probe)" in text


def test_status_line_ignores_other_modules():
    out = io.StringIO()

    def outside(x):
        return x - 1.0

    kern = njit(cache=False)(outside)               # module of this test, not na62lab.*
    with kernels.compile_status(out):
        kern(1.0)
    assert out.getvalue() == ""


def test_status_line_refreshes_while_compiling():
    out = io.StringIO()
    status = kernels._Status(out, tick=0.05)
    status.set("1 of 3 (response._response_kernel)")
    import time
    time.sleep(0.3)
    status.close()
    lines = [ln for ln in out.getvalue().splitlines() if ln]
    assert len(lines) >= 2                               # not a tty: a new line at least every 2 ticks
    assert all(ln.startswith(kernels.TITLE) for ln in lines)



def _probe_kernel():
    def _h12_prepare_probe(x):
        return x + 0.5

    _h12_prepare_probe.__module__ = "na62lab.tests_probe"
    return njit(cache=False)(_h12_prepare_probe)


def test_prepare_returns_at_once_when_everything_is_cached(monkeypatch):
    monkeypatch.setattr(kernels, "missing", lambda workload: [])
    out = io.StringIO()
    assert kernels.prepare("kaon", workers=2, stream=out) == {"missing": 0, "seconds": 0.0, "processes": 0}
    assert out.getvalue() == ""


def test_prepare_in_process_shows_n_of_m(monkeypatch):
    kern = _probe_kernel()
    objects = {"probe:kernel": kern, "probe:warm": lambda: kern(1.0)}
    monkeypatch.setattr(kernels, "_resolve", objects.__getitem__)
    monkeypatch.setattr(kernels, "WORKLOADS", {"probe": (kernels.Group("g", "probe:warm", ("probe:kernel",)),)})
    monkeypatch.setattr(kernels, "is_cached", lambda k: bool(k.signatures))
    out = io.StringIO()
    info = kernels.prepare("probe", workers=2, stream=out)            # one group: compiled here
    assert info["missing"] == 1 and info["processes"] == 1
    assert kern.signatures
    text = out.getvalue()
    assert "1 of 1 (tests_probe._h12_prepare_probe)" in text
    assert "1 probe-mode kernels compiled in" in text


def test_prepare_runs_groups_in_separate_processes(monkeypatch, tmp_path):
    def warm(tag):
        return lambda: (tmp_path / f"{tag}-{os.getpid()}").write_text("x")

    objects = {"a:warm": warm("a"), "b:warm": warm("b"), "a:k": None, "b:k": None}
    monkeypatch.setattr(kernels, "_resolve", objects.__getitem__)
    monkeypatch.setattr(kernels, "WORKLOADS", {"probe": (kernels.Group("a", "a:warm", ("a:k",)),
                                                         kernels.Group("b", "b:warm", ("b:k",)))})
    monkeypatch.setattr(kernels, "is_cached", lambda k: False)
    info = kernels.prepare("probe", workers=2, stream=io.StringIO())
    assert info["processes"] == 2
    pids = {p.name.split("-")[1] for p in tmp_path.iterdir()}
    assert len(pids) == 2 and str(os.getpid()) not in pids


def test_prepare_falls_back_to_this_process_when_a_group_fails(monkeypatch, tmp_path):
    def fail():
        raise RuntimeError("compile failed")

    ran = []
    objects = {"a:warm": fail, "b:warm": lambda: ran.append(os.getpid()), "a:k": None, "b:k": None}
    monkeypatch.setattr(kernels, "_resolve", objects.__getitem__)
    groups = (kernels.Group("a", "b:warm", ("a:k",)), kernels.Group("b", "a:warm", ("b:k",)))
    monkeypatch.setattr(kernels, "WORKLOADS", {"probe": groups})
    monkeypatch.setattr(kernels, "is_cached", lambda k: False)
    with pytest.raises(RuntimeError, match="compile failed"):     # the in-process retry shows the real error
        kernels.prepare("probe", workers=2, stream=io.StringIO())
    assert ran == [os.getpid()]


_AFTER_WARMUP = textwrap.dedent("""
    import json, numpy as np
    from numba.core import event
    from na62lab import kernels
    info = kernels.prepare("kaon", workers=2)
    late = []
    class Late(event.Listener):
        def on_start(self, ev):
            late.append(ev.data["dispatcher"].py_func.__qualname__)
        def on_end(self, ev):
            pass
    event.register("numba:compile", Late())
    from na62lab.config.base import load_card
    from na62lab.config.kaon import KaonCard
    from na62lab.yields.kaon_sim import simulate_chunk
    simulate_chunk(load_card("na62_kaon_2021_22", KaonCard), 20000, np.random.default_rng(0))
    print(json.dumps({"info": info, "late": late, "missing": kernels.missing("kaon")}))
""")


@pytest.mark.slow
def test_prepare_compiles_every_kernel_a_chunk_needs(tmp_path):
    """Cold cache: after prepare(workers=2) a simulation chunk compiles nothing more (about 1 CPU minute)."""
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path), NA62LAB_COMPILE_STATUS="0")
    res = subprocess.run([sys.executable, "-c", _AFTER_WARMUP], env=env, capture_output=True, text=True,
                         timeout=1800, check=True)
    out = __import__("json").loads(res.stdout.strip().splitlines()[-1])
    assert out["info"]["missing"] == sum(len(g.kernels) for g in kernels.WORKLOADS["kaon"])
    assert out["info"]["processes"] == 2
    assert out["missing"] == []
    assert out["late"] == []
