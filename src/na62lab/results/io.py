"""Atomic file output: write to a temporary file in the same folder, then rename.

A reader never sees a half-written file, and an interrupted run leaves either
the old file or the new one.  Every failure to write is one
:class:`~na62lab.errors.OutputError` line.  Output folders are checked before
any work (:mod:`na62lab.results.outputs`).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from na62lab.errors import OutputError


def _clean(obj: Any) -> Any:
    """Make numpy scalars/arrays and non-finite floats JSON-safe."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _clean(obj.tolist())
    if isinstance(obj, np.generic):
        return _clean(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None if math.isnan(obj) else (1e308 if obj > 0 else -1e308)
    return obj


def to_json(obj: Any, indent: int | None = None) -> str:
    """Serialise ``obj`` to strict JSON (no NaN/inf; NaN becomes null)."""
    return json.dumps(_clean(obj), indent=indent, allow_nan=False)


def _umask() -> int:
    """The process umask (read from /proc on Linux, else by setting and restoring it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync(path: Path) -> None:
    """Flush ``path``'s content to disk (so a rename never publishes an empty file after a crash)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def make_folder(folder: str | Path) -> Path:
    """Create ``folder`` (and parents); an :class:`OutputError` names it if that fails."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(folder, "a file is in the way (expected a folder)") from None
    except OSError as exc:
        raise OutputError(folder, _reason(exc)) from None
    return folder


def atomic_write(path: str | Path, writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp_path)`` then atomically rename ``tmp_path`` to ``path``.

    The temporary file lives in the destination folder, is flushed to disk and
    gets the permissions of a normal new file (``0o666`` minus the umask)
    before the rename, so a reader sees the old complete file or the new one,
    never a part.

    Parameters
    ----------
    path : str or Path
        Final destination; parent folders are created.
    writer : callable
        Writes the complete content to the path it is given.

    Raises
    ------
    OutputError
        One line naming the path and the operating system's reason (read-only
        or full file system, a folder in the way); the previous file is kept.
    """
    path = Path(path)
    make_folder(path.parent)
    if path.is_dir():
        raise OutputError(path, "a folder is in the way (expected a file)")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from None
    try:
        writer(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())
        _fsync(Path(tmp))
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OutputError):
            raise
        raise OutputError(path, _reason(exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    return atomic_write(path, lambda p: p.write_bytes(data))


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_json(path: str | Path, obj: Any) -> Path:
    """Write ``obj`` as indented strict JSON, atomically (numpy types handled)."""
    return atomic_write_text(path, to_json(obj, indent=2) + "\n")
