"""The project's exceptions.

Every bad input becomes an :class:`InputError` whose message is one line that
names the field, the bad value and what is allowed; the CLI prints that line
and exits with code 2.  A failure to write an output (read-only or full disk,
a folder where a file is expected) is an :class:`OutputError`: one line, exit
code 1, and the previous complete files are kept.
"""

from __future__ import annotations

from typing import Any

MAX_VALUE_CHARS = 160


class Na62labError(Exception):
    """Base class of every error na62lab raises on purpose."""


def short_repr(value: Any, limit: int = MAX_VALUE_CHARS) -> str:
    """``repr(value)`` on one line, cut to ``limit`` characters.

    Examples
    --------
    >>> short_repr("a" * 100, 10)
    "'aaaaaa..."
    >>> short_repr({"x": 1})
    "{'x': 1}"
    """
    text = " ".join(repr(value).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class InputError(Na62labError, ValueError):
    """A user-supplied value is invalid.

    Parameters
    ----------
    field : str
        Name of the card field or CLI option (e.g. ``"background"``).
    value : Any
        The offending value (shown cut to one short line).
    allowed : str
        Human-readable description of the allowed values.

    Examples
    --------
    >>> str(InputError("cl", 1.5, "a number in (0, 1)"))
    'invalid cl=1.5: allowed a number in (0, 1)'
    """

    def __init__(self, field: str, value: Any, allowed: str) -> None:
        self.field, self.value, self.allowed = field, value, allowed
        allowed = " ".join(str(allowed).split())
        super().__init__(f"invalid {field}={short_repr(value)}: allowed {allowed}")

    def __reduce__(self):
        """Pickle by the constructor's arguments (errors cross process boundaries from workers)."""
        return type(self), (self.field, self.value, self.allowed)


class OutputError(Na62labError, OSError):
    """An output could not be written; the previous complete files are kept.

    Parameters
    ----------
    path : str
        The file or folder being written.
    reason : str
        What went wrong (e.g. the operating system's message).

    Examples
    --------
    >>> str(OutputError("/x/summary.json", "No space left on device"))
    'cannot write /x/summary.json: No space left on device'
    """

    def __init__(self, path: Any, reason: str) -> None:
        self.path, self.reason = str(path), " ".join(str(reason).split())
        super().__init__(f"cannot write {self.path}: {self.reason}")

    def __reduce__(self):
        """Pickle by the constructor's arguments (errors cross process boundaries from workers)."""
        return type(self), (self.path, self.reason)

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.reason}"


def require(condition: bool, field: str, value: Any, allowed: str) -> None:
    """Raise :class:`InputError` unless ``condition`` holds.

    Examples
    --------
    >>> require(0.9 < 1, "cl", 0.9, "a number in (0, 1)")
    """
    if not condition:
        raise InputError(field, value, allowed)
