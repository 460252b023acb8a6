"""Digitised published curves shipped as package data (see README.md in this folder)."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
"""The folder holding the curve files."""

BC1_2021_COMBINED = FOLDER / "NA62_2021_BC1_combined_DarkMatterLive.txt"
"""NA62 2021 BC1 combined contour, EPJC 85 (2025) 571 (DarkMatterLive digitisation), mass GeV vs epsilon."""

__all__ = ["FOLDER", "BC1_2021_COMBINED"]
