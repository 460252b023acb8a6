"""Process helpers of the signal tests (Linux /proc)."""

from __future__ import annotations

import os
import time
from pathlib import Path


def children(pid: int) -> set[int]:
    """PIDs of the live descendants of ``pid``."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        parents[int(stat.parent.name)] = int(fields[1])
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for child, parent in parents.items():
            if parent == p and child not in out:
                out.add(child)
                todo.append(child)
    return {p for p in out if alive(p)}


def alive(pid: int) -> bool:
    """True if ``pid`` runs (a zombie counts as dead)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2] != "Z"


def wait_dead(pids: set[int], seconds: float) -> set[int]:
    """The pids still alive after waiting up to ``seconds``."""
    end = time.monotonic() + seconds
    left = {p for p in pids if alive(p)}
    while left and time.monotonic() < end:
        time.sleep(0.1)
        left = {p for p in left if alive(p)}
    return left


def wait_for(condition, seconds: float, step: float = 0.1) -> bool:
    """Poll ``condition()`` until true or ``seconds`` pass."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())


def kill_all(pids) -> None:
    """SIGKILL every pid of ``pids`` still alive (test cleanup; only processes the test started)."""
    import signal

    for p in pids:
        if alive(p):
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
