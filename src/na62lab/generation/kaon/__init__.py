"""Kaon-mode event generation: the K+ (and pi+) beam, SM and new-physics decays.

- :mod:`~na62lab.generation.kaon.beam`: beam tracks at GTK3 and decay vertices;
- :mod:`~na62lab.generation.kaon.decays`: decay generators (``generate_mode``);
- :mod:`~na62lab.generation.kaon.matrix_elements`: matrix elements and spectra;
- :mod:`~na62lab.generation.kaon.branching`: PDG branching ratios with sources.
"""

__all__ = [
    "beam", "branching", "decays", "final_state", "matrix_elements", "sampling", "splitting",
]
"""Public submodules (import them by name; nothing is imported here)."""
