"""The numba decorator of every compiled kernel, and where its on-disk cache lives.

The numba on-disk cache (``cache=True``) goes to ``$NUMBA_CACHE_DIR`` if set,
else ``$NA62LAB_CACHE/numba`` or ``~/.cache/na62lab/numba``, never into the
package folder, and always into a sub-folder ``src-<hash>`` named by a hash of
the package's Python sources.  numba checks a cached kernel only against its
own file's time stamp, not against the helpers it calls or inlines from other
files, nor the module constants it freezes at compile time, so after an edit
of, say, the random-number helpers a kernel elsewhere would silently load
stale machine code.  The hash therefore covers every module that defines a
kernel and every package module those import, transitively (``kernel_sources``);
an edit of a module outside that closure (CLI, analyses, reports, fits) keeps
the compiled kernels.  Old ``src-*`` folders are not removed automatically.

Compile cost (measured per kernel by ``benchmarks/bench_cold.py``):

- ``inline="always"`` inlines at numba's IR level and types the callee again
  at every call site, with everything it inlines in turn; it is kept for
  small functions on hot paths (random numbers, geometry, boosts).  Large
  helpers reached from several kernels or call sites (the veto weight and
  miss probabilities, the hit-level track fit, the pair kernel's track
  search) are ordinary compiled functions: compiled once, called through
  LLVM, whose own inliner still sees them.
- A compiled helper is compiled once per argument-type signature, and numba
  types a constant argument (``f(a, 0)``) or a variable that starts as one
  (``c = -1`` then ``c = k``) as a literal: each literal value is a separate
  compile.  Callers therefore pass ``np.int64(...)`` for such arguments, and
  the wrappers pass writeable C-contiguous float64 arrays (a read-only array
  is another type).

Nothing happens on import: the cache folder is set, and a status line on
stderr that shows which kernel is compiling while any does is installed
(:func:`na62lab.kernels.install_compile_status`; ``NA62LAB_COMPILE_STATUS=0``
turns it off), by :func:`configure`, which the first :func:`njit` call runs
(the first kernel module imported).
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
from pathlib import Path

import numba

PACKAGE_DIR = Path(__file__).resolve().parents[1]


_IMPORT = re.compile(r"^\s*(?:from\s+(na62lab(?:\.\w+)*)\s+import\s+([\w\s,()]+)|import\s+(na62lab(?:\.\w+)*))",
                     re.MULTILINE)


def _module_file(dotted: str) -> Path | None:
    """The source file of package module ``dotted`` (``na62lab.a.b``), or None."""
    base = PACKAGE_DIR.joinpath(*dotted.split(".")[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(path: Path) -> set[Path]:
    """Package modules imported by ``path`` (``from na62lab.x import y`` may name a sub-module)."""
    found: set[Path] = set()
    for mod, names, plain in _IMPORT.findall(path.read_text()):
        dotted = mod or plain
        candidates = [dotted] + [f"{dotted}.{n}" for n in re.findall(r"\w+", names)]
        found.update(f for f in map(_module_file, candidates) if f is not None)
    return found


def kernel_sources() -> list[Path]:
    """Modules that define compiled kernels plus everything they import from the package."""
    todo = [p for p in PACKAGE_DIR.rglob("*.py") if "njit" in p.read_text()]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo.extend(_imports(path) - seen)
    return sorted(seen)


def source_hash() -> str:
    """Short SHA-1 of the kernel sources (``kernel_sources``: paths and contents)."""
    h = hashlib.sha1()
    for path in kernel_sources():
        h.update(str(path.relative_to(PACKAGE_DIR)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def cache_dir() -> str:
    """The numba cache folder of this source tree (see the module doc)."""
    base = os.environ.get("NUMBA_CACHE_DIR") or str(
        Path(os.environ.get("NA62LAB_CACHE") or Path.home() / ".cache" / "na62lab") / "numba")
    tag = f"src-{source_hash()}"
    return base if Path(base).name == tag else str(Path(base) / tag)


def _install_status() -> None:
    """Status line while kernels compile (module doc).  Imported by name so that na62lab.kernels, which
    is not a kernel module, stays out of the cache key of :func:`kernel_sources`."""
    if os.environ.get("NA62LAB_COMPILE_STATUS", "1") != "0":
        importlib.import_module("na62lab.kernels").install_compile_status()


_configured: str | None = None
"""The cache folder set by :func:`configure` (None until the first kernel is declared)."""


def configure() -> str:
    """Point numba's on-disk cache at :func:`cache_dir` and install the compile status line, once per process.

    Called by :func:`njit`, so it runs when the first kernel module is
    imported (numba reads ``numba.config.CACHE_DIR`` when a ``cache=True``
    function is declared), never on ``import na62lab`` or on importing this
    module.  Returns the cache folder.
    """
    global _configured
    if _configured is None:
        _configured = cache_dir()
        numba.config.CACHE_DIR = _configured
        _install_status()
    return _configured


def njit(*args, **kwargs):
    """``numba.njit`` with ``cache=True`` (cache outside the package, see module doc; :func:`configure`).

    Uses ``error_model="numpy"`` (division by zero gives inf/nan instead of
    raising), which removes a branch from every division in the hot loops;
    the kernels guard their divisions explicitly.
    """
    configure()
    kwargs.setdefault("cache", True)
    kwargs.setdefault("error_model", "numpy")
    return numba.njit(*args, **kwargs)
