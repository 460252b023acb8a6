"""Provenance of a result: what made it, when, from which inputs.

:func:`provenance` returns one JSON-able block that goes, unchanged in form, into the HTML
report, every JSON result (:func:`stamp`) and every HEPData submission: the na62lab version,
the git commit of the source tree when it is a git checkout, the UTC date, Python and the
versions of the key packages, the seeds, the cards (name and SHA-256 of their text) and the
exposure.

Examples
--------
>>> p = provenance(cards=["na62_pinunu_published"], seeds={"kaon_sim": 7})
>>> sorted(p)[:4]
['cards', 'date_utc', 'exposure', 'git_commit']
>>> len(p["cards"]["na62_pinunu_published"]["sha256"])
64
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import importlib.metadata
import platform
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

KEY_PACKAGES = ("numpy", "scipy", "numba", "matplotlib", "mplhep", "pydantic", "particle", "iminuit",
                "pyhf", "uproot", "jinja2")
"""Packages whose installed versions are recorded (absent ones are recorded as ``null``)."""


@functools.lru_cache(maxsize=None)
def _version(name: str) -> str | None:
    """Installed version of ``name`` (read once per process: every result file records it)."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


@functools.lru_cache(maxsize=1)
def git_commit() -> str | None:
    """The commit of the source tree (``+dirty`` if modified), or None outside a git checkout."""
    src = Path(__file__).resolve().parents[1]
    try:
        out = subprocess.run(["git", "-C", str(src), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(src), "status", "--porcelain", "--untracked-files=no", "."],
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out + ("+dirty" if dirty else "") if out else None


def _card_text(card: str | Path) -> tuple[str, str]:
    """(display name, text) of a shipped card name or a YAML path."""
    path = Path(card)
    if path.suffix in {".yaml", ".yml"} and path.is_file():
        return path.name, path.read_text(encoding="utf-8")
    shipped = resources.files("na62lab.config") / "cards" / f"{card}.yaml"
    return str(card), shipped.read_text(encoding="utf-8")


def card_record(card: str | Path) -> dict:
    """``{"sha256": ..., "seeds": {...}}`` of a card: the hash of its text and every ``seed`` field in it.

    A name that is neither a shipped card nor a readable YAML file is recorded with ``sha256: null``.
    """
    try:
        name, text = _card_text(card)
    except (OSError, ValueError):
        return {"sha256": None, "seeds": {}, "note": "not a shipped card name or a readable YAML file"}
    return {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "seeds": dict(_seeds(text))}


@functools.lru_cache(maxsize=32)
def _seeds(text: str) -> tuple[tuple[str, Any], ...]:
    """Every ``seed`` field of a card's YAML ``text`` as (dotted key, value) pairs, in file order (parsed
    once per text: the same card is recorded in many result files)."""
    import yaml

    seeds: dict[str, Any] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if "seed" in str(k) and isinstance(v, (int, str)):
                    seeds[f"{prefix}{k}"] = v
                walk(v, f"{prefix}{k}.")

    walk(yaml.safe_load(text), "")
    return tuple(seeds.items())


def provenance(cards=(), seeds: dict | None = None, exposure: dict | None = None) -> dict:
    """The provenance block of a result.

    Parameters
    ----------
    cards : iterable of str or Path
        Shipped card names or YAML paths used; each is recorded with the SHA-256 of its text
        and the ``seed`` fields it holds.
    seeds : dict, optional
        Seeds used beyond those in the cards (name -> integer).
    exposure : dict, optional
        Exposure of the result, one unit per key (e.g. ``{"n_pot": 1.4e17}``, ``{"kaon_decays": 1e7}``).

    Returns
    -------
    dict
        ``na62lab_version``, ``git_commit`` (or null), ``date_utc`` (ISO 8601), ``python``,
        ``platform``, ``packages`` (name -> version or null), ``cards`` (name -> {sha256, seeds}),
        ``seeds``, ``exposure``.
    """
    from na62lab import __version__

    records = {}
    for card in cards:
        records[str(card) if not isinstance(card, Path) else card.name] = card_record(card)
    return {"na62lab_version": __version__, "git_commit": git_commit(),
            "date_utc": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
            "python": platform.python_version(), "platform": platform.platform(terse=True),
            "packages": {name: _version(name) for name in KEY_PACKAGES},
            "cards": records, "seeds": dict(seeds or {}), "exposure": dict(exposure or {})}


def stamp(result: dict, **kwargs) -> dict:
    """``result`` with a ``provenance`` key added (a new dict; ``kwargs`` go to :func:`provenance`)."""
    return {**result, "provenance": provenance(**kwargs)}
