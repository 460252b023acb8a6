"""Expected signal and background counts: SES, background tables, grids."""

__all__ = [
    "dump_contours", "dump_decay", "dump_grid", "dump_tables", "kaon_run", "kaon_sim", "kaon_tally",
]
"""Public submodules (import them by name; nothing is imported here)."""
