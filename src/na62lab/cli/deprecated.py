"""Old option spellings kept working as hidden aliases: one line on stderr names the new one."""

from __future__ import annotations

import sys


def deprecated(old: str, new: str) -> None:
    """Say on stderr that option ``old`` is deprecated in favour of ``new`` (stdout stays clean for --json)."""
    sys.stderr.write(f"na62lab: note: {old} is deprecated; use {new}\n")
