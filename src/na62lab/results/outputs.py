"""Output folders: checked before any work, claimed by one run, published whole.

* :func:`check_folder` / :func:`check_file`: an output path must be a folder
  (or a file) that can be created and written, on a file system with enough
  free space for the run's estimate; checked before any work starts, so a
  read-only, full or mistyped ``--out`` costs seconds, not a finished run.
* :func:`claim_run`: a resumable run folder records the arguments and seed
  that decide its content (``na62lab_run.json``); resuming it with other
  ones is refused with one line unless ``overwrite`` is given, which first
  removes the old run's files.
* :func:`staged_folder`: a run that writes many files (``reproduce``) writes
  them into a hard-linked copy of the folder and publishes it with two
  renames, so a failure or an interrupt leaves the previous complete folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from na62lab.errors import InputError, OutputError

MIN_FREE_BYTES = 20 * 1024**2
"""Free space every output folder needs at least (bytes): a summary, figures and a report."""

RUN_RECORD = "na62lab_run.json"


def _size(n: float) -> str:
    """Bytes in human units (``'1.5 GB'``)."""
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.3g} {unit}"
        n /= 1000.0
    return f"{n:.3g} TB"  # pragma: no cover


def _existing_ancestor(path: Path) -> Path:
    """The nearest existing ancestor of ``path`` (``path`` itself if it exists)."""
    path = path.absolute()
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path(path.anchor)  # pragma: no cover - the root exists


def _probe_writable(folder: Path) -> str | None:
    """None if a file can be created in ``folder``, else the reason (works for root on read-only mounts too)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".na62lab-probe-", dir=folder)
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


def free_bytes(folder: str | Path) -> int:
    """Free bytes for an unprivileged user on the file system holding ``folder`` (or its nearest ancestor)."""
    return shutil.disk_usage(_existing_ancestor(Path(folder))).free


def check_folder(path: str | Path, field: str = "--out", need_bytes: float = MIN_FREE_BYTES) -> Path:
    """Check that ``path`` is, or can be created as, a writable folder with ``need_bytes`` free.

    Nothing is created.

    Parameters
    ----------
    path : str or Path
        The output folder.
    field : str
        Option or card field named in the error line.
    need_bytes : float
        Estimated output size in bytes.

    Raises
    ------
    InputError
        One line: a file is in the way, the folder is not writable, or the
        file system has less free space than the estimate.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError(field, str(path), "a folder (this path is a file)")
    base = _existing_ancestor(path)
    if not base.is_dir():
        raise InputError(field, str(path), f"a folder path ({base} is a file)")
    reason = _probe_writable(base)
    if reason is not None:
        raise InputError(field, str(path), f"a writable folder ({base}: {reason})")
    free = free_bytes(base)
    if free < need_bytes:
        raise InputError(field, str(path), f"a folder with at least {_size(need_bytes)} free "
                         f"(this run's estimate); {base} has {_size(free)}")
    return path


def check_file(path: str | Path, field: str, need_bytes: float = 1024**2) -> Path:
    """Check that ``path`` can be written as a file (not a folder; its folder writable, ``need_bytes`` free)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(field, str(path), "a file path (this path is a folder)")
    check_folder(path.parent if str(path.parent) else Path("."), field, need_bytes)
    return path


def _record_text(record: dict) -> str:
    return json.dumps(record, sort_keys=True, indent=2, default=str) + "\n"


def _differences(old: dict, new: dict) -> list[str]:
    keys = sorted(set(old) | set(new))
    return [f"{k}={old.get(k)!r} (now {new.get(k)!r})" for k in keys if old.get(k) != new.get(k)]


def claim_run(folder: str | Path, record: dict, overwrite: bool = False,
              patterns: Sequence[str] = ("*",)) -> bool:
    """Make ``folder`` the folder of the run described by ``record``.

    Parameters
    ----------
    folder : str or Path
        Run folder (created).
    record : dict
        JSON-able arguments and seed that decide the folder's content.
    overwrite : bool
        Replace another run's files instead of refusing.
    patterns : sequence of str
        Glob patterns of the run's files, removed when ``overwrite`` replaces another run.

    Returns
    -------
    bool
        True if the folder already held this run (a resume).

    Raises
    ------
    InputError
        The folder holds another run (or na62lab files without a record) and
        ``overwrite`` is false; the line lists what differs.
    """
    from na62lab.results.io import atomic_write_text, make_folder

    folder = Path(folder)
    path = folder / RUN_RECORD
    old = None
    if path.is_file():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {"record": "unreadable"}
    elif folder.is_dir() and any(p.name != RUN_RECORD for pat in patterns for p in folder.glob(pat)):
        old = {"record": "missing (files of an unknown run)"}
    if old == record:
        return True
    if old is not None and not overwrite:
        raise InputError("--out", str(folder), "a new folder or one of the same run (it holds another run: "
                         + "; ".join(_differences(old, record))[:200] + "); give --overwrite to replace it")
    if old is not None:
        for pat in patterns:
            for p in folder.glob(pat):
                if p.is_file() and p.name != RUN_RECORD:
                    p.unlink()
    make_folder(folder)
    atomic_write_text(path, _record_text(record))
    return False


def _link_tree(src: Path, dst: Path) -> None:
    """Copy ``src`` into ``dst`` with hard links (no extra space), falling back to copies."""
    def link(a, b):
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)
    shutil.copytree(src, dst, copy_function=link, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".*.part", ".*.staging-*"))


@contextlib.contextmanager
def staged_folder(out: str | Path) -> Iterator[Path]:
    """Yield a staging copy of ``out``; publish it as ``out`` on success, discard it on any failure.

    Files in the copy are hard links: writers replace them by rename, so the
    original folder is never modified until the final two renames.
    """
    from na62lab.results.io import _umask, make_folder

    out = Path(out)
    make_folder(out.parent if str(out.parent) else Path("."))
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
        os.chmod(stage, 0o777 & ~_umask())
        if out.is_dir():
            _link_tree(out, stage)
    except OSError as exc:
        raise OutputError(out, exc.strerror or str(exc)) from None
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    _publish(stage, out)


def _publish(stage: Path, out: Path) -> None:
    """Replace ``out`` by ``stage`` with two renames (the old folder is removed afterwards)."""
    old = None
    try:
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.replace(out, old / out.name)
        os.replace(stage, out)
    except OSError as exc:
        if old is not None and not out.exists():
            os.replace(old / out.name, out)
        shutil.rmtree(stage, ignore_errors=True)
        raise OutputError(out, exc.strerror or str(exc)) from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
