"""Analyses: thin compositions of the stages, one module per NA62 search.

``REPRODUCE_SECTIONS`` lists, in order, the analysis modules that
``na62lab reproduce`` runs.  Each such module defines::

    def reproduce(out_dir: pathlib.Path, console: rich.console.Console) -> dict

which prints its tables to ``console``, writes its files (atomically) under
``out_dir`` and returns a JSON-serialisable summary.
"""

__all__ = [
    "REPRODUCE_SECTIONS",
    "beam_dump", "beam_dump_compare", "beam_dump_validation", "hnl", "kaon_searches", "kaon_searches_common",
    "kaon_sim", "pi0_invisible", "pi_a_gammagamma", "pi_x", "pi_x_mumu", "pinunu", "recast",
]
"""``REPRODUCE_SECTIONS`` and the public submodules (imported by name, not here)."""

REPRODUCE_SECTIONS: list[str] = [
    "pinunu",
    "beam_dump",
    "kaon_sim",
    "kaon_searches",
]
