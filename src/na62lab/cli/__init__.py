"""The ``na62lab`` command line: thin typer wrappers over the library."""
