"""Run independent shards of work on local processes or a Dask cluster.

Work is split into shards whose random streams come from
``numpy.random.SeedSequence(seed).spawn(n_shards)``: the shard layout depends
on the run size and chunk size only, never on the number of workers, so the
same seed gives the same numbers on 1 or N workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from na62lab.errors import InputError
from na62lab.parallel.workers import iter_local


def shard_seeds(seed: int, n_shards: int) -> list[np.random.SeedSequence]:
    """Independent child seed sequences, one per shard.

    Examples
    --------
    >>> a = shard_seeds(7, 3); b = shard_seeds(7, 3)
    >>> [s.generate_state(1)[0] for s in a] == [s.generate_state(1)[0] for s in b]
    True
    """
    if seed < 0:
        raise InputError("seed", seed, "a non-negative integer")
    return np.random.SeedSequence(seed).spawn(n_shards)


def _dask_client(address: str):
    """A Dask client of a scheduler checked first (one line within seconds if it is wrong)."""
    from na62lab.parallel.remote import check_scheduler

    url = check_scheduler(address)
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - depends on extras
        raise InputError("--scheduler", address, "an address, with na62lab[dask] installed") from None
    try:
        return Client(url, timeout="10s")
    except OSError:
        raise InputError("--scheduler", address, "the address of a running Dask scheduler") from None


def iter_shards(func: Callable[..., Any], args: Sequence[tuple], workers: int = 1,
                scheduler: str | None = None) -> Iterator[tuple[int, Any]]:
    """Yield ``(index, func(*args[index]))`` as shards finish (any order).

    Local worker processes ignore SIGINT (the parent handles it), and die with
    the parent, even when it is killed with SIGKILL (see
    :mod:`na62lab.parallel.workers`).  If the parent is interrupted, the
    workers are terminated before the interrupt propagates: no worker goes on
    writing after the command has returned.

    Parameters
    ----------
    func : callable
        A picklable, module-level function.
    args : sequence of tuples
        Positional arguments of each shard.
    workers : int
        Local processes (1 runs in this process). Ignored with ``scheduler``.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://host:8786``).
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError("--workers", workers, "an integer >= 1")
    if scheduler:
        yield from _iter_dask(func, args, scheduler)
    elif workers == 1 or len(args) <= 1:
        for i, a in enumerate(args):
            yield i, func(*a)
    else:
        yield from iter_local(func, args, workers)


def _iter_dask(func: Callable[..., Any], args: Sequence[tuple], address: str) -> Iterable[tuple[int, Any]]:
    from distributed import as_completed

    client = _dask_client(address)
    futures = []
    try:
        futures = [client.submit(func, *a, pure=False) for a in args]
        index = {f.key: i for i, f in enumerate(futures)}
        for fut in as_completed(futures):
            yield index[fut.key], fut.result()
    finally:
        if futures:
            client.cancel(futures)
        client.close()


def map_shards(func: Callable[..., Any], args: Sequence[tuple], workers: int = 1,
               scheduler: str | None = None) -> list[Any]:
    """Results of ``func`` on every shard, in shard order (see :func:`iter_shards`).

    Examples
    --------
    >>> map_shards(pow, [(2, 3), (3, 2)])
    [8, 9]
    """
    out: list[Any] = [None] * len(args)
    for i, value in iter_shards(func, args, workers, scheduler):
        out[i] = value
    return out
