"""Infrastructure shared by every stage: atomic file writes, executors, random streams, caches.

One import path for what is not physics, so that early stages (generation, yields) need not import
modules named for late ones (``results``, ``parallel``).  The code stays where it is maintained
today and is re-exported here, loaded on first use (importing this package imports nothing heavy):

============================  ======================================================================
name                          what
============================  ======================================================================
``atomic_write``              write a file through a temporary and a rename (:mod:`na62lab.results.io`)
``atomic_write_bytes/text``   the same for bytes / text; ``write_json`` for JSON; ``make_folder``
``map_shards``                run shards on local processes or a Dask scheduler, results in order
``iter_shards``               the same, yielding ``(index, result)`` as they finish
``check_scheduler``           probe a Dask scheduler address (one-line error if unreachable)
``shard_seeds``               independent ``numpy.random.SeedSequence`` children, one per shard
``kernel_rng_state``          the compiled kernels' RNG state drawn from a ``numpy.random.Generator``
``cache_root``                the user cache folder (``$NA62LAB_CACHE`` or ``~/.cache/na62lab``)
``numba_cache_dir``           the numba cache folder of this source tree (keyed by the kernel sources)
``prepare_kernels``           compile (or load) a group of numba kernels before workers fork
============================  ======================================================================
"""

from typing import TYPE_CHECKING

from na62lab._lazy import lazy_attributes

if TYPE_CHECKING:  # the real objects for type checkers; at run time they load on first use
    from na62lab.infra.cache import cache_root
    from na62lab.kernels import prepare as prepare_kernels
    from na62lab.parallel.executor import iter_shards, map_shards, shard_seeds
    from na62lab.parallel.remote import check_scheduler
    from na62lab.physics.fastrng import new_state as kernel_rng_state
    from na62lab.physics.jit import cache_dir as numba_cache_dir
    from na62lab.results.io import atomic_write, atomic_write_bytes, atomic_write_text, make_folder, write_json

_LAZY: dict[str, tuple[str, str]] = {
    "atomic_write": ("na62lab.results.io", "atomic_write"),
    "atomic_write_bytes": ("na62lab.results.io", "atomic_write_bytes"),
    "atomic_write_text": ("na62lab.results.io", "atomic_write_text"),
    "write_json": ("na62lab.results.io", "write_json"),
    "make_folder": ("na62lab.results.io", "make_folder"),
    "map_shards": ("na62lab.parallel.executor", "map_shards"),
    "iter_shards": ("na62lab.parallel.executor", "iter_shards"),
    "check_scheduler": ("na62lab.parallel.remote", "check_scheduler"),
    "shard_seeds": ("na62lab.parallel.executor", "shard_seeds"),
    "kernel_rng_state": ("na62lab.physics.fastrng", "new_state"),
    "cache_root": ("na62lab.infra.cache", "cache_root"),
    "numba_cache_dir": ("na62lab.physics.jit", "cache_dir"),
    "prepare_kernels": ("na62lab.kernels", "prepare"),
}
"""Public name -> (module, attribute), imported on first use."""

__all__ = [
    "cache", "atomic_write", "atomic_write_bytes", "atomic_write_text", "write_json", "make_folder", "map_shards",
    "iter_shards", "check_scheduler", "shard_seeds", "kernel_rng_state", "cache_root", "numba_cache_dir",
    "prepare_kernels",
]
assert sorted(__all__) == sorted(["cache", *_LAZY])

__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, ["cache"])
