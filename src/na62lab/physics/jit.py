"""The numba decorator of every compiled kernel, and where its on-disk cache lives.

The numba on-disk cache (``cache=True``) goes to ``$NUMBA_CACHE_DIR`` if set,
else ``$NA62LAB_CACHE/numba`` or ``~/.cache/na62lab/numba``, never into the
package folder, and always into a sub-folder ``src-<hash>`` named by a hash of
the package's Python sources.  numba checks a cached kernel only against its
own file's time stamp, not against the helpers it inlines from other files
(``inline="always"``), so after an edit of, say, the random-number helpers a
kernel elsewhere would silently load stale machine code; with the hash, any
source change starts a fresh cache (a few minutes of compilation).  Old
``src-*`` folders are not removed automatically.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numba

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def source_hash() -> str:
    """Short SHA-1 of the package's ``*.py`` files (paths and contents)."""
    h = hashlib.sha1()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        h.update(str(path.relative_to(PACKAGE_DIR)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def cache_dir() -> str:
    """The numba cache folder of this source tree (see the module doc)."""
    base = os.environ.get("NUMBA_CACHE_DIR") or str(
        Path(os.environ.get("NA62LAB_CACHE") or Path.home() / ".cache" / "na62lab") / "numba")
    tag = f"src-{source_hash()}"
    return base if Path(base).name == tag else str(Path(base) / tag)


numba.config.CACHE_DIR = cache_dir()


def njit(*args, **kwargs):
    """``numba.njit`` with ``cache=True`` (cache outside the package, see module doc).

    Uses ``error_model="numpy"`` (division by zero gives inf/nan instead of
    raising), which removes a branch from every division in the hot loops;
    the kernels guard their divisions explicitly.
    """
    kwargs.setdefault("cache", True)
    kwargs.setdefault("error_model", "numpy")
    return numba.njit(*args, **kwargs)
