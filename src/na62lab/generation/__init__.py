"""Event generation: kaon beam and decays (``kaon``), beam-dump production (``dump``)."""

__all__ = [
    "dump", "kaon",
]
"""Public submodules (import them by name; nothing is imported here)."""
