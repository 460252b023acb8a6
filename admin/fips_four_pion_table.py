"""Write src/na62lab/fips/data/four_pion_R.csv: R(e+e- -> 2pi+ 2pi-) and R(e+e- -> pi+ pi- 2pi0, no omega pi0 term).

Source: the Czyz-Kuehn-Wapienik four-pion current (PRD 77 (2008) 114005, arXiv:0804.0359) with the refit
coefficients of Plehn, Reimitz, Richardson (arXiv:1911.11147), as implemented in
:mod:`na62lab.fips.vector_four_pion`; the four-body phase space is integrated by Monte Carlo there
(``four_pion_R_mc``, fixed seed, the same unit-cube points at every energy).  Nothing is fitted here.

Run:  python admin/fips_four_pion_table.py   (about 3-5 minutes on one core)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from na62lab.fips.vector_four_pion import TABLE_COLUMNS, four_pion_R_mc

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "na62lab" / "fips" / "data" / "four_pion_R.csv"
N_POINTS = 100_000
SEED = 1
GRID_MEV = np.concatenate([np.arange(550.0, 2500.0 + 1e-6, 10.0), np.arange(2600.0, 5000.0 + 1e-6, 100.0)])


def main() -> None:
    rows = []
    worst = 0.0
    for q in GRID_MEV:
        a, da = four_pion_R_mc(q / 1000.0, "2pi+2pi-", n=N_POINTS, seed=SEED)
        b, db = four_pion_R_mc(q / 1000.0, "pi+pi-2pi0", n=N_POINTS, seed=SEED)
        worst = max(worst, da / a if a > 0 else 0.0, db / b if b > 0 else 0.0)
        rows.append(f"{q:.1f},{a:.6e},{b:.6e}")
    header = [
        "# R(e+e- -> 2pi+ 2pi-) and R(e+e- -> pi+ pi- 2pi0) without the omega pi0 term of the current,",
        "# Czyz-Kuehn-Wapienik four-pion current (PRD 77 (2008) 114005, arXiv:0804.0359, App. A) with the refit",
        "# coefficients of arXiv:1911.11147 (na62lab.fips.vector_four_pion.FOUR_PION_FIT).",
        f"# Written by admin/fips_four_pion_table.py: Monte-Carlo four-body phase space, {N_POINTS} points,",
        f"# seed {SEED}, same points at every Q; largest relative MC error {worst:.4f}.",
        ",".join(TABLE_COLUMNS),
    ]
    OUT.write_text("\n".join(header + rows) + "\n")
    print(f"wrote {OUT} ({len(rows)} rows, worst MC error {worst:.4f})")


if __name__ == "__main__":
    main()
