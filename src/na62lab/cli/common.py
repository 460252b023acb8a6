"""Helpers shared by the CLI commands: JSON output, tables, error lines."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console

from na62lab.results.io import to_json

# Wide tables stay readable when the output is a file or a pipe (rich defaults to 80 columns there).
console = Console(stderr=False, width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True)


def emit_json(obj: Any) -> None:
    """Print exactly one JSON object on stdout."""
    sys.stdout.write(to_json(obj) + "\n")
    sys.stdout.flush()
