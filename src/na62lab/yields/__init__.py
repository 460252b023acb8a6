"""Expected signal and background counts: SES, background tables, grids."""
