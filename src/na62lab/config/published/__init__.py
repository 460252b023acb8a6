"""Digitised published curves shipped as package data (see README.md in this folder)."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
"""The folder holding the curve files."""

BC1_2021_COMBINED = FOLDER / "NA62_2021_BC1_combined_DarkMatterLive.txt"
"""NA62 2021 BC1 combined contour, EPJC 85 (2025) 571 (DarkMatterLive digitisation), mass GeV vs epsilon."""

BC1_2021_MUMU = FOLDER / "NA62_2021_BC1_mumu_FORESEE.txt"
"""NA62 2021 BC1 mu+mu- contour, JHEP 09 (2023) 035 (FORESEE digitisation, MIT), mass GeV vs epsilon."""

__all__ = ["FOLDER", "BC1_2021_COMBINED", "BC1_2021_MUMU"]
