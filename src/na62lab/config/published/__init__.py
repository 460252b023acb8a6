"""Digitised published curves shipped as package data (see README.md in this folder)."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
"""The folder holding the curve files."""

BC1_2021_COMBINED = FOLDER / "NA62_2021_BC1_combined_DarkMatterLive.txt"
"""NA62 2021 BC1 combined contour, EPJC 85 (2025) 571 (DarkMatterLive digitisation), mass GeV vs epsilon."""

BC1_2021_MUMU = FOLDER / "NA62_2021_BC1_mumu_FORESEE.txt"
"""NA62 2021 BC1 mu+mu- contour, JHEP 09 (2023) 035 (FORESEE digitisation, MIT), mass GeV vs epsilon."""

BC1_2021_DILEPTON = FOLDER / "NA62_2021_BC1_dilepton_SensCalc.txt"
"""NA62 2021 BC1 e+e- plus mu+mu- contour, PRL 133 (2024) 111802 (SensCalc digitisation, BSD-3), mass GeV vs eps."""

ALPINIST_NA62_BC9 = FOLDER / "NA62_BC9_ALPINIST_CBB_2Gamma.txt"
"""ALPINIST's NA62 BC9 event table (1e19 POT, efficiency 1), rows around N = 2.3: m_a GeV, C_BB/Lambda, N."""

ALPINIST_NA62_BC11 = FOLDER / "NA62_BC11_ALPINIST_CGG.txt"
"""ALPINIST's NA62 BC11 event table (1e19 POT, efficiency 1), rows around N = 2.3: m_a GeV, C_GG/Lambda, N."""

__all__ = ["FOLDER", "BC1_2021_COMBINED", "BC1_2021_MUMU", "BC1_2021_DILEPTON", "ALPINIST_NA62_BC9",
           "ALPINIST_NA62_BC11"]
