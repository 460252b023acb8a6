"""The user cache folder of na62lab: one place that says where cached files live.

``$NA62LAB_CACHE`` if set and not empty, else ``~/.cache/na62lab``.  Sub-folders: ``numba``
(compiled kernels, :mod:`na62lab.physics.jit`) and ``dump`` (beam-dump efficiency tables,
:mod:`na62lab.yields.dump_grid`).

Examples
--------
>>> cache_root("dump").name
'dump'
>>> cache_root("dump").parent == cache_root()
True
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_root"]


def cache_root(*parts: str) -> Path:
    """The cache folder (``$NA62LAB_CACHE`` or ``~/.cache/na62lab``), or a sub-folder ``parts`` of it.

    The folder is not created here; writers create it (atomically) when they first write.
    """
    return Path(os.environ.get("NA62LAB_CACHE") or Path.home() / ".cache" / "na62lab", *parts)
