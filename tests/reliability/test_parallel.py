"""Local workers: errors cross the process boundary intact; a failing shard stops the others."""

from __future__ import annotations

import os

import pytest

from na62lab.errors import InputError, OutputError
from na62lab.parallel import map_shards
from na62lab.parallel.workers import worker_init


def _fail(i: int, kind: str):
    if i == 1:
        raise {"output": OutputError(f"/x/chunk_{i}", "No space left on device"),
               "input": InputError("decays", -1, "an integer >= 1")}[kind]
    return i


@pytest.mark.parametrize("kind, cls, text", [("output", OutputError, "cannot write /x/chunk_1: No space"),
                                             ("input", InputError, "invalid decays=-1")])
def test_worker_errors_arrive_whole(kind, cls, text):
    """A full disk in a worker is the same one-line OutputError in the parent (it used to fail to unpickle)."""
    with pytest.raises(cls, match=text):
        map_shards(_fail, [(i, kind) for i in range(4)], workers=2)


def test_workers_one_and_two_agree():
    assert map_shards(pow, [(i, 2) for i in range(7)], workers=2) == [i * i for i in range(7)]


def test_worker_init_ignores_sigint_and_watches_parent():
    import signal
    import threading

    pid = os.fork()
    if pid == 0:  # child: the initializer, then report what it set
        try:
            worker_init(os.getppid())
            ok = signal.getsignal(signal.SIGINT) == signal.SIG_IGN and any(
                t.name == "na62lab-parent-watch" for t in threading.enumerate())
        finally:
            os._exit(0 if ok else 3)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


@pytest.mark.parametrize("workers", [0, -3, 1.5, True])
def test_bad_worker_counts(workers):
    with pytest.raises(InputError, match="--workers"):
        map_shards(pow, [(1, 1)], workers=workers)
