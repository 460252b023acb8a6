"""The numba decorator of every compiled kernel, and where its on-disk cache lives.

The numba on-disk cache (``cache=True``) goes to ``$NA62LAB_CACHE`` or
``~/.cache/na62lab/numba`` unless ``NUMBA_CACHE_DIR`` is set, never into the
package folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import numba


def _cache_dir() -> str:
    base = os.environ.get("NA62LAB_CACHE") or str(Path.home() / ".cache" / "na62lab")
    return str(Path(base) / "numba")


if not os.environ.get("NUMBA_CACHE_DIR"):
    numba.config.CACHE_DIR = _cache_dir()


def njit(*args, **kwargs):
    """``numba.njit`` with ``cache=True`` (cache outside the package, see module doc).

    Uses ``error_model="numpy"`` (division by zero gives inf/nan instead of
    raising), which removes a branch from every division in the hot loops;
    the kernels guard their divisions explicitly.
    """
    kwargs.setdefault("cache", True)
    kwargs.setdefault("error_model", "numpy")
    return numba.njit(*args, **kwargs)
