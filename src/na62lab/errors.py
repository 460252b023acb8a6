"""The project's exceptions.

Every bad input becomes an :class:`InputError` whose message is one line that
names the field, the bad value and what is allowed; the CLI prints that line
and exits with code 2.
"""

from __future__ import annotations

from typing import Any


class Na62labError(Exception):
    """Base class of every error na62lab raises on purpose."""


class InputError(Na62labError, ValueError):
    """A user-supplied value is invalid.

    Parameters
    ----------
    field : str
        Name of the card field or CLI option (e.g. ``"background"``).
    value : Any
        The offending value.
    allowed : str
        Human-readable description of the allowed values.

    Examples
    --------
    >>> str(InputError("cl", 1.5, "a number in (0, 1)"))
    'invalid cl=1.5: allowed a number in (0, 1)'
    """

    def __init__(self, field: str, value: Any, allowed: str) -> None:
        self.field, self.value, self.allowed = field, value, allowed
        super().__init__(f"invalid {field}={value!r}: allowed {allowed}")


def require(condition: bool, field: str, value: Any, allowed: str) -> None:
    """Raise :class:`InputError` unless ``condition`` holds.

    Examples
    --------
    >>> require(0.9 < 1, "cl", 0.9, "a number in (0, 1)")
    """
    if not condition:
        raise InputError(field, value, allowed)
