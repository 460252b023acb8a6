"""The ``na62lab`` command line: thin typer wrappers over the library."""

from na62lab._lazy import lazy_attributes

__all__ = ["main"]
"""``main`` is the console entry point (``na62lab``); the command modules are imported by it."""

__getattr__, __dir__ = lazy_attributes(__name__, {"main": ("na62lab.cli.main", "main")}, [])
