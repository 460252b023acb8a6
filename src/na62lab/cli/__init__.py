"""The ``na62lab`` command line: thin typer wrappers over the library."""

__all__ = ["main"]
"""``na62lab.cli.main`` holds the console entry point ``main`` (``na62lab``) and imports the command modules."""
