"""Local worker processes that never outlive or out-talk their parent.

* Workers ignore SIGINT: a Ctrl-C (sent by the terminal to the whole process
  group) is handled once, by the parent, which then terminates the workers.
* Workers die with their parent, SIGKILL included: on Linux the kernel sends
  them SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``, see
  prctl(2)); elsewhere, and as a second guard, a daemon thread polls
  ``os.getppid()`` every :data:`WATCH_SECONDS` and exits the worker when the
  parent is gone (orphans are re-parented).
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

WATCH_SECONDS = 0.5
"""Period (s) of the parent watchdog in each worker."""
PR_SET_PDEATHSIG = 1
"""prctl(2) option: signal this process when its parent thread dies (linux/prctl.h)."""


def _set_parent_death_signal() -> bool:
    """Ask the Linux kernel for SIGKILL when the parent dies; False where unavailable."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return False


def _watch_parent(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(WATCH_SECONDS)


def worker_init(parent: int) -> None:
    """Initializer of every local worker process (see module doc)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _set_parent_death_signal()
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="na62lab-parent-watch").start()


def terminate(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's worker processes now and release the pool without waiting."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    queue = getattr(pool, "_call_queue", None)
    if queue is not None:  # its feeder thread may be blocked writing to a dead worker's pipe:
        queue.cancel_join_thread()  # do not join it at exit (CPython gh-94777)
    for proc in procs:
        try:
            proc.kill()
        except (OSError, ValueError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        try:
            proc.join(timeout=5)
        except (OSError, ValueError, AttributeError, AssertionError):
            pass


def iter_local(func: Callable[..., Any], args: Sequence[tuple], workers: int) -> Iterator[tuple[int, Any]]:
    """Yield ``(index, func(*args[index]))`` from ``workers`` local processes as shards finish.

    On any exception or interrupt in the parent (or a generator closed early),
    the workers are killed before it propagates.
    """
    pool = ProcessPoolExecutor(max_workers=workers, initializer=worker_init, initargs=(os.getpid(),))
    clean = False
    try:
        futures = {pool.submit(func, *a): i for i, a in enumerate(args)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield futures[fut], fut.result()
        clean = True
    finally:
        if clean:
            pool.shutdown(wait=True)
        else:
            terminate(pool)
