"""Units, particle data and kinematics shared by every stage."""

__all__ = [
    "constants", "fastrng", "jit", "kinematics", "particles", "phase_space", "units",
]
"""Public submodules (import them by name; nothing is imported here)."""
