"""Helpers shared by the CLI commands: JSON output, tables, error lines."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console

from na62lab.results.io import to_json

console = Console(stderr=False)
err_console = Console(stderr=True)


def emit_json(obj: Any) -> None:
    """Print exactly one JSON object on stdout."""
    sys.stdout.write(to_json(obj) + "\n")
    sys.stdout.flush()
