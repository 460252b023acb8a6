"""First-run compilation of the compiled kernels: which ones a workload needs, status line, parallel warm-up.

The kaon-mode kernels are compiled by numba on their first call and kept
in the on-disk cache of :mod:`na62lab.physics.jit` (a folder per source
hash).  A first run on a machine therefore compiles them; this module makes
that visible and shorter:

- :func:`compile_status` is a context manager that listens to numba's
  compile events (``numba.core.event``, event ``"numba:compile"``) and keeps
  one status line on stderr while a kernel of the package compiles
  ("compiling kernels for this machine, first run only: N of M ..."),
  refreshed every second, so no command is silent while it compiles;
- :func:`prepare` compiles the kernels of a workload (:data:`WORKLOADS`)
  before the real work starts: with ``workers > 1`` the independent groups
  of kernels are compiled at once in separate processes (each writes its
  kernels to the shared on-disk cache) and the calling process then loads
  them, instead of every worker process compiling the same kernels; when
  every kernel is already cached it returns at once.

Whether a kernel is cached is read from numba's cache index of the kernel
(present and made for the current source file); a kernel that cannot be
checked counts as not cached.  Nothing here changes a result: the warm-up
calls run on empty or tiny inputs with their own random streams.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

TITLE = "compiling kernels for this machine, first run only"


@dataclass(frozen=True)
class Group:
    """Kernels compiled together by one warm-up function (``module:function`` names, see :data:`WORKLOADS`)."""

    name: str
    warm: str
    kernels: tuple[str, ...]


# Kernels of the kaon-mode chain, split in two groups of similar compile cost that share as little as
# possible (benchmarks/bench_cold.py measures the cost per kernel: about 32 and 34 CPU s, the first now less: the
# (N, 5) matching kernel left it, since the searches' resolution matches through the chain's rows kernel, whose
# twin costs 4.7 CPU s; the second compiles charged_miss again, through the miss product of the orientation
# averages).  Every name must be a compiled kernel of the package; tests/test_kernels.py checks that, and (slow)
# that after the warm-up a full chunk compiles nothing more.
_DET = "na62lab.detector"
_GEN = "na62lab.generation.kaon"
_PS = "na62lab.physics"
WORKLOADS: dict[str, tuple[Group, ...]] = {
    "kaon": (
        Group("detector response", "na62lab.kernels:_warm_response", (
            f"{_DET}.response:_response_kernel", f"{_DET}.vetoes:charged_miss", f"{_DET}.tracking:measure_track_hits",
            f"{_PS}.fastrng:_wedge_or_tail", f"{_PS}.fastrng:_normal_rare")),
        Group("beam, decays, matching, PID, selection, pi0 and pion-pair averages", "na62lab.kernels:_warm_chain", (
            f"{_GEN}.beam:_beam_kernel", f"{_GEN}.beam:_decay_z_one", f"{_GEN}.decays:_dalitz_kernel",
            f"{_GEN}.sampling:_draw_cells", f"{_PS}.phase_space:two_body_kernel",
            f"{_PS}.phase_space:three_body_kernel", f"{_PS}.phase_space:flat_dalitz_kernel",
            f"{_PS}.phase_space:boost_rows", f"{_PS}.phase_space:mass2_rows", f"{_PS}.phase_space:_unit_perp",
            f"{_PS}.phase_space:_parent_frame", f"{_PS}.phase_space:boost_one",
            f"{_DET}.matching:_matching_rows_kernel",
            f"{_DET}.pid:_pid_events_kernel", "na62lab.selection.kaon_cuts:track_kernel",
            "na62lab.selection.kaon_cuts:selection_kernel", "na62lab.variance.pi0_orientation:_averaged_kernel",
            "na62lab.variance.pi0_orientation:_pi0_average", f"{_DET}.vetoes:others_miss_call",
            f"{_DET}.response:veto_weight_call",
            "na62lab.variance.pair_orientation:_pair_kernel", "na62lab.variance.pair_orientation:_track_slot")),
    ),
}
"""Warm-up groups of each workload: the groups of one workload can compile at once in separate processes."""


def _resolve(name: str):
    module, attr = name.split(":")
    return getattr(importlib.import_module(module), attr)


def is_cached(kernel) -> bool:
    """True if numba's on-disk cache holds a compiled version of ``kernel`` made from its current source."""
    try:
        return bool(kernel._cache._cache_file._load_index())
    except Exception:          # no cache attached or an unknown numba layout: count it as not cached
        return False


def missing(workload: str) -> list[str]:
    """Names of the kernels of ``workload`` (:data:`WORKLOADS`) that are not in the on-disk cache."""
    return [k for g in WORKLOADS[workload] for k in g.kernels if not is_cached(_resolve(k))]


# --- warm-up functions: call every kernel of a group once, on empty or tiny inputs ----------------------

def _kaon_setup():
    from na62lab.config.base import load_card
    from na62lab.config.kaon import KaonCard
    from na62lab.detector.params import detector_params, veto_tables

    card = load_card("na62_kaon_2021_22", KaonCard)
    return card, detector_params(card), veto_tables(card), np.random.default_rng(0)


def _empty_final_state(mode: str, n_slots: int):
    from na62lab.generation.kaon.final_state import FinalState, Slot

    return FinalState(mode, [Slot.empty(0) for _ in range(n_slots)])


def _warm_response() -> None:
    """Detector response (track search, veto weight, track fit), no events.  The GTK matching is warmed
    with the chain (:func:`_warm_chain`): the simulation and the searches' resolution both match through
    :func:`~na62lab.yields.kaon_chain.match_tracks` (the rows kernel)."""
    from na62lab.detector.response import detector_response

    card, params, tables, rng = _kaon_setup()
    detector_response(_empty_final_state("pipipi", 3), np.zeros((0, 3)), params, tables, rng)


def _warm_chain() -> None:
    """Beam and decays of every mode (a few events), then matching, PID and selection with no track, and
    the pi0 and pion-pair orientation averages with no event."""
    from na62lab.config.kaon import SM_MODES
    from na62lab.detector.pi0_veto import PHOTON_MODES, averaged_veto_weight
    from na62lab.detector.pion_pair_veto import averaged_pair_veto_weight
    from na62lab.yields.kaon_sim import _simulate_mode, no_track_response

    card, params, tables, rng = _kaon_setup()
    for mode in SM_MODES:
        _simulate_mode(card, params, tables, mode, 4, rng, False, response=no_track_response)
    n_slots = 1 + max(max(g) for g in PHOTON_MODES["pipi0"])
    averaged_veto_weight(_empty_final_state("pipi0", n_slots), np.zeros((0, 3)), np.zeros(0, np.int64), params,
                         tables, 1, rng)
    averaged_pair_veto_weight(_empty_final_state("pipipi", 3), np.zeros((0, 3)), np.zeros(0, np.int64), params,
                              tables, 1, rng)


# --- status line -------------------------------------------------------------------------------------

class _Status:
    """One line on stderr while kernels compile, refreshed every ``tick`` seconds (a daemon thread).

    On a terminal the line is rewritten in place; otherwise a new line is
    written when the kernel changes and at least every ``tick`` seconds.
    """

    def __init__(self, stream=None, tick: float = 1.0):
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.tick = tick
        self.lock = threading.Lock()
        self.text: str | None = None
        self.t0 = 0.0
        self.shown = ""
        self.last = 0.0
        self.thread: threading.Thread | None = None
        self.stop = threading.Event()

    def set(self, text: str | None) -> None:
        """Show ``text`` (None: clear the line)."""
        with self.lock:
            if text is not None and self.text is None:
                self.t0 = time.perf_counter()
            self.text = text
        if text is not None and self.thread is None:
            self.thread = threading.Thread(target=self._run, name="na62lab-compile-status", daemon=True)
            self.thread.start()
        self._draw(force=text is None)

    def _run(self) -> None:
        while not self.stop.wait(self.tick / 2):
            self._draw()

    def _draw(self, force: bool = False) -> None:
        with self.lock:
            text, now = self.text, time.perf_counter()
            if text is None:
                if self.tty and self.shown:
                    self._write("\r\x1b[K")
                self.shown = ""
                return
            line = f"{TITLE}: {text} [{now - self.t0:.0f} s]"
            if self.tty:
                self._write("\r\x1b[K" + line)
            elif text != self.shown or now - self.last >= self.tick * 2 - 1e-3 or force:
                self._write(line + "\n")
            else:
                return
            self.shown, self.last = text, now

    def _write(self, s: str) -> None:
        try:
            self.stream.write(s)
            self.stream.flush()
        except (OSError, ValueError):      # closed stream at exit
            pass

    def close(self) -> None:
        self.set(None)
        self.stop.set()


class _CompileListener:
    """numba compile events of the package's kernels -> :class:`_Status` ("N of M" when M is known)."""

    def __init__(self, status: _Status, total: int | None = None):
        self.status, self.total = status, total
        self.pid = os.getpid()
        self.stack: list[str] = []
        self.done = 0

    def _label(self) -> str:
        of = f" of {self.total}" if self.total else ""
        return f"{self.done + 1}{of} ({self.stack[-1]})" if self.stack else f"{self.done}{of}"

    def on_start(self, name: str) -> None:
        if os.getpid() != self.pid:            # a forked worker compiling on its own: its own line
            self.pid, self.stack, self.done = os.getpid(), [], 0
            self.status = _Status(self.status.stream, self.status.tick)
        self.stack.append(name)
        self.status.set(self._label())

    def on_end(self) -> None:
        if os.getpid() != self.pid or not self.stack:
            return
        self.stack.pop()
        self.done += 1
        self.status.set(self._label() if self.stack else None)


def _numba_listener(listener: _CompileListener):
    """A ``numba.core.event.Listener`` forwarding the package's ``numba:compile`` events to ``listener``."""
    from numba.core import event

    def package_name(ev) -> str | None:
        func = getattr(ev.data.get("dispatcher"), "py_func", None)
        if func is None or not func.__module__.startswith("na62lab."):
            return None                    # numba's own helpers compiled inside a kernel's compile
        return f"{func.__module__.rsplit('.', 1)[-1]}.{func.__name__}"

    class _Forward(event.Listener):
        def on_start(self, ev):
            name = package_name(ev)
            if name is not None and _LISTENERS and _LISTENERS[-1] is listener:     # innermost status only
                listener.on_start(name)

        def on_end(self, ev):
            if package_name(ev) is not None and _LISTENERS and _LISTENERS[-1] is listener:
                listener.on_end()

    return _Forward()


@contextmanager
def compile_status(stream=None, total: int | None = None):
    """Show a status line on ``stream`` (stderr) while any kernel of the package compiles in this process.

    Parameters
    ----------
    stream : file, optional
        Where the line goes (default ``sys.stderr``).
    total : int, optional
        Number of kernels expected to compile (shown as "N of M").
    """
    from numba.core import event

    status = _Status(stream)
    listener = _CompileListener(status, total)
    forward = _numba_listener(listener)
    _LISTENERS.append(listener)
    event.register("numba:compile", forward)
    try:
        yield status
    finally:
        event.unregister("numba:compile", forward)
        _LISTENERS.remove(listener)
        status.close()


def install_compile_status(stream=None) -> None:
    """Keep a :func:`compile_status` line for the rest of the process (called once by :mod:`na62lab.physics.jit`)."""
    global _INSTALLED
    if _INSTALLED is None:
        from numba.core import event

        status = _Status(stream)
        _INSTALLED = _CompileListener(status)
        _LISTENERS.insert(0, _INSTALLED)
        event.register("numba:compile", _numba_listener(_INSTALLED))


_INSTALLED: _CompileListener | None = None
_LISTENERS: list[_CompileListener] = []


# --- warm-up -----------------------------------------------------------------------------------------

def _run_group(warm: str) -> None:
    """Child process: compile one group (exit code 0 on success); the parent shows the status."""
    _LISTENERS.clear()
    try:
        _resolve(warm)()
    except BaseException:               # the parent falls back to compiling in-process
        os._exit(1)
    os._exit(0)


def _parallel(groups, todo: list[str], workers: int, status: _Status) -> bool:
    """Compile ``groups`` in up to ``workers`` forked processes; True if all succeeded."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    procs = []
    for k in range(0, len(groups), workers):
        batch = [ctx.Process(target=_run_group, args=(g.warm,), daemon=True) for g in groups[k:k + workers]]
        for p in batch:
            p.start()
        procs += batch
        while any(p.is_alive() for p in batch):
            left = [n for n in todo if not is_cached(_resolve(n))]
            status.set(f"{len(todo) - len(left)} of {len(todo)} ({len(batch)} processes)")
            for p in batch:
                p.join(timeout=0.5 / len(batch))
    return all(p.exitcode == 0 for p in procs)


def prepare(workload: str = "kaon", workers: int = 1, stream=None) -> dict:
    """Compile the kernels of ``workload`` that are not in the on-disk cache, with a status line.

    Parameters
    ----------
    workload : str
        A key of :data:`WORKLOADS`.
    workers : int
        Processes to compile in: with 2 or more, the groups of the workload
        compile at once in forked processes (the calling process then loads
        them from the cache when it first calls them); 1 compiles here.
    stream : file, optional
        Status line destination (default stderr).

    Returns
    -------
    dict
        ``missing`` (kernels not cached before), ``seconds`` (wall), ``processes``.
    """
    todo = missing(workload)
    if not todo:
        return {"missing": 0, "seconds": 0.0, "processes": 0}
    groups = WORKLOADS[workload]
    t0 = time.perf_counter()
    n_proc = min(workers, len(groups))
    done = False
    if n_proc > 1:
        status = _Status(stream)
        try:
            done = _parallel(groups, todo, n_proc, status)
        finally:
            status.close()
    if not done:
        n_proc = 1
        with compile_status(stream, total=len(missing(workload))):
            for g in groups:
                _resolve(g.warm)()
    seconds = time.perf_counter() - t0
    _Status(stream)._write(f"{TITLE}: {len(todo)} {workload}-mode kernels compiled in {seconds:.0f} s "
                           f"({n_proc} process{'es' if n_proc > 1 else ''}); later runs load them\n")
    return {"missing": len(todo), "seconds": seconds, "processes": n_proc}
