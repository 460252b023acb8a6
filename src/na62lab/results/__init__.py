"""Outputs: atomic file writes, JSON results, HEPData YAML, figures, reports."""

from na62lab.results.io import atomic_write_bytes, atomic_write_text, write_json

__all__ = ["atomic_write_bytes", "atomic_write_text", "write_json"]
