"""A hash of the source code that decides the beam-dump efficiency tables, for their cache keys.

Cached efficiency tables (:mod:`na62lab.yields.dump_grid`) are keyed by the
card, the model and the package version; an edit of the physics between two
releases (production, decays, acceptance, selection) must also invalidate
them, or a sensitivity run silently reuses tables made by older code.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[2]
SOURCES = ("generation/dump/*.py", "fips/*.py", "physics/*.py", "config/dump.py", "config/geometry.py",
           "detector/dump_acceptance.py", "selection/dump_selection.py", "yields/dump_*.py",
           "generation/dump/data/drell_yan_*.npz", "generation/dump/data/hadronic_decays.npz")
"""Source files (globs relative to the package) whose content enters the fingerprint; also the shipped
Drell-Yan tables (their V spectra enter the efficiency tables) and the library of Pythia-hadronised decays
(the inclusive final states; the meson production table enters the cache key through its provenance)."""


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-1 of the dump-pipeline source files (:data:`SOURCES`), computed once per process."""
    digest = hashlib.sha1()
    for pattern in SOURCES:
        for path in sorted(_PACKAGE.glob(pattern)):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
