"""Cold start: the first kaon-mode run on a machine (empty numba cache) next to the warm run.

Every measurement runs in a fresh Python process (``sys.executable``) with
its own ``NUMBA_CACHE_DIR`` (a temporary folder), so nothing is inherited
from this process or from an earlier run:

- cold, one process: the kaon warm-up workload of ``bench_kaon`` (a
  20k-decay chunk of the shipped card and of the physical-mix card, then the
  rarely reached K3pi pair-average kernel) with an empty cache; numba's
  compile events (``numba.core.event``, ``"numba:compile"``) give the CPU
  seconds of each kernel's compile, exclusive of the kernels it compiles in
  turn, and the process wall and CPU time;
- cold, ``na62lab.kernels.prepare(workers=2)``: the same, with the kernel
  groups first compiled at once in two processes (what ``reproduce``,
  ``simulate kaon`` and ``na62lab warmup`` do), then the workload; it must
  compile nothing more;
- warm: the same workload in a new process with the cache the first
  measurement filled (load time), then the physical-mix chain rate (K+
  decays per CPU second, best of 3 on 4e5 decays);
- the 200 x 200 dump grid's first compile: the kernels compiled by a 10 x 10
  BC1 grid with an empty cache.

The machine load (1-minute load average) is printed before and after: on
a shared machine the wall times include the other processes' load.  The
sources must not change while it runs (an edit of a kernel module changes the
cache key and the warm run would compile again): run it from a clean checkout.

Run alone: ``python benchmarks/bench_cold.py --splice benchmarks/results.md``
replaces this section in an existing results file (the other sections keep
their date).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
N_RATE = 2_000_000
HEADING = "## Cold start (first run on a machine: empty kernel cache)"


# --- child processes ---------------------------------------------------------------------------------

def _listen() -> dict:
    """Exclusive CPU seconds of every compile of a package kernel in this process, by kernel name."""
    from numba.core import event

    found: dict[str, list[float]] = {}
    stack: list[list[float]] = []

    class Timer(event.Listener):
        def on_start(self, ev):
            stack.append([time.process_time(), 0.0])

        def on_end(self, ev):
            t0, inner = stack.pop()
            dt = time.process_time() - t0
            if stack:
                stack[-1][1] += dt
            func = ev.data["dispatcher"].py_func
            name = f"{func.__module__.removeprefix('na62lab.')}.{func.__name__}"
            if func.__module__.startswith("na62lab."):
                found.setdefault(name, []).append(dt - inner)
            else:                           # numba's own helpers: charged to the kernel being compiled
                if stack:
                    stack[-1][1] -= dt - inner

    event.register("numba:compile", Timer())
    return found


def _workload() -> None:
    sys.path.insert(0, str(HERE))
    from bench_kaon import _card, warm_kernels

    warm_kernels([_card(False), _card(True)])


def _rate() -> float:
    sys.path.insert(0, str(HERE))
    from bench_kaon import _card, _chain_rate

    return _chain_rate(_card(True), N_RATE)[0]


def child(mode: str) -> dict:
    """One measurement (run in a fresh process by :func:`_run`)."""
    wall0, cpu0 = time.perf_counter(), time.process_time()
    out: dict = {}
    if mode == "prepare":
        from na62lab.kernels import prepare

        import resource

        with open(os.devnull, "w") as quiet:
            out["prepare"] = prepare("kaon", workers=2, stream=quiet)
        out["prepare_wall"] = time.perf_counter() - wall0
        out["prepare_children_cpu"] = sum(getattr(resource.getrusage(resource.RUSAGE_CHILDREN), f)
                                          for f in ("ru_utime", "ru_stime"))
    compiles = _listen()
    if mode == "dump":
        import numpy as np

        from na62lab.config.base import load_card
        from na62lab.config.dump import DumpCard
        from na62lab.yields.dump_grid import expected_events

        card = load_card("na62_dump_2021", DumpCard)
        with tempfile.TemporaryDirectory() as tables:
            os.environ["NA62LAB_CACHE"] = tables
            expected_events("dark-photon", card, np.geomspace(10.0, 2000.0, 10), np.geomspace(1e-9, 1e-3, 10),
                            None, workers=1, use_cache=True)
    else:
        _workload()
    out.update(wall=time.perf_counter() - wall0, cpu=time.process_time() - cpu0,
               compiles={k: sum(v) for k, v in compiles.items()}, signatures={k: len(v) for k, v in compiles.items()})
    if mode == "warm":
        out["rate"] = _rate()
    return out


def _run(mode: str, cache: str) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache)
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, __file__, "--child", mode], env=env, capture_output=True, text=True,
                         timeout=3600, check=False)
    if res.returncode != 0:
        raise RuntimeError(f"bench_cold child {mode} failed:\n{res.stderr[-3000:]}")
    out = json.loads(res.stdout.strip().splitlines()[-1])
    out["process_wall"] = time.perf_counter() - t0
    return out


# --- report ------------------------------------------------------------------------------------------

def _load() -> float:
    return os.getloadavg()[0]


def measure() -> dict:
    """All four measurements (about 3 CPU minutes on a quiet 2-core machine)."""
    res = {"load_before": _load()}
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b, \
            tempfile.TemporaryDirectory() as c:
        res["cold"] = _run("cold", a)
        res["warm"] = _run("warm", a)
        res["prepare"] = _run("prepare", b)
        res["dump"] = _run("dump", c)
    res["load_after"] = _load()
    return res


def report(res: dict) -> str:
    cold, warm, prep, dump = res["cold"], res["warm"], res["prepare"], res["dump"]
    total = sum(cold["compiles"].values())
    lines = [HEADING, "",
             "Fresh process, empty numba cache, kaon warm-up workload of the kaon section (20k decays of the "
             "shipped and of the physical-mix card, then the rare K3pi pair-average kernel); compile CPU per "
             "kernel from numba's compile events (exclusive of the kernels it compiles in turn; numba's own "
             f"helpers charged to the kernel). Load average {res['load_before']:.1f} before, "
             f"{res['load_after']:.1f} after (2 cores; wall times include other processes).", "",
             "| measurement | wall [s] | CPU [s] | kernels compiled |", "|---|---|---|---|",
             f"| cold, one process | {cold['process_wall']:.1f} | {cold['cpu']:.1f} | "
             f"{sum(cold['signatures'].values())} |",
             f"| cold, `prepare(workers=2)` then the workload | {prep['process_wall']:.1f} (prepare "
             f"{prep['prepare_wall']:.1f}) | {prep['prepare_children_cpu']:.1f} in the 2 compiling processes, "
             f"{prep['cpu']:.1f} here | "
             f"{prep['prepare']['missing']} in 2 processes, then {sum(prep['signatures'].values())} |",
             f"| warm (same workload, cache filled) | {warm['process_wall']:.1f} (workload {warm['wall']:.1f}) | "
             f"{warm['cpu']:.1f} | {sum(warm['signatures'].values())} |",
             f"| dump: 10 x 10 BC1 grid, empty cache | {dump['process_wall']:.1f} | {dump['cpu']:.1f} | "
             f"{sum(dump['signatures'].values())} |", "",
             f"Warm physical-mix chain rate in the same run: {warm['rate']:.3g} K+ decays per CPU second "
             f"(best of 3 on {N_RATE:.0e} decays).", "",
             "| kernel (kaon workload, cold) | compile CPU [s] | share | signatures |", "|---|---|---|---|"]
    for name, sec in sorted(cold["compiles"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {name} | {sec:.2f} | {sec / total:.0%} | {cold['signatures'][name]} |")
    lines.append(f"| **total** | **{total:.1f}** | | |")
    if dump["compiles"]:
        lines += ["", "Dump grid kernels compiled cold: " + ", ".join(
            f"{k} {v:.2f} s" for k, v in sorted(dump["compiles"].items(), key=lambda kv: -kv[1])) + "."]
    return "\n".join(lines) + "\n"


def run() -> str:
    return report(measure())


def splice(path: Path, section: str) -> None:
    """Replace (or append) this section in the results file ``path``."""
    text = path.read_text() if path.exists() else ""
    start = text.find(HEADING)
    stamp = time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())
    note = f"_(section measured alone by `bench_cold.py --splice` at {stamp})_\n"
    if start < 0:
        text = text.rstrip() + "\n\n" + section + "\n" + note
    else:
        end = text.find("\n## ", start + len(HEADING))
        end = len(text) if end < 0 else end + 1
        text = text[:start] + section + "\n" + note + ("\n" + text[end:] if end < len(text) else "")
    path.write_text(text)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2])))
    elif len(sys.argv) == 3 and sys.argv[1] == "--splice":
        splice(Path(sys.argv[2]), run())
    else:
        print(run())
