"""Standard Model predictions used as references (e.g. BR(K+ -> pi+ nu nubar))."""

__all__ = [
    "ckm", "pinunu",
]
"""Public submodules (import them by name; nothing is imported here)."""
