"""Reconstructed quantities, signal and control regions, categories."""

__all__ = [
    "dump_selection", "kaon_cuts", "pinunu", "regions",
]
"""Public submodules (import them by name; nothing is imported here)."""
