"""Old option spellings kept working as hidden aliases: one line on stderr names the new one.

Inside ``na62lab.cli.main.main`` the notes are deferred (``defer``): a command
that succeeds prints them at the end; a command that fails folds them into its
single error line, so bad input still gives exactly one line on stderr.
"""

from __future__ import annotations

import sys

_PENDING: list[str] | None = None


def deprecated(old: str, new: str) -> None:
    """Say on stderr that option ``old`` is deprecated in favour of ``new`` (stdout stays clean for --json)."""
    text = f"{old} is deprecated; use {new}"
    if _PENDING is None:
        sys.stderr.write(f"na62lab: note: {text}\n")
    else:
        _PENDING.append(text)


def defer() -> None:
    """Start collecting notes instead of printing them (called by ``main``)."""
    global _PENDING
    _PENDING = []


def take() -> list[str]:
    """The collected notes; stop collecting."""
    global _PENDING
    notes, _PENDING = _PENDING or [], None
    return notes
