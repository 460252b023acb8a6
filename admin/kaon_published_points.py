"""Print the NA62 per-mass published limits quoted in the kaon search cards' ``published.points``.

Source of the numbers: NA62, "Searches for hidden sectors using K+ -> pi+ X decays", arXiv:2507.17286
(JHEP 11 (2025) 143; HEPData record 10.17182/hepdata.160245), observed 90 % CL upper limits on
B(K+ -> pi+ X) B(X -> mu+ mu-) (2017-18 K+ -> pi+ mu+ mu- sample, JHEP 11 (2022) 011) and
B(K+ -> pi+ X) B(X -> gamma gamma) (2017-18 K+ -> pi+ gamma gamma sample, PLB 850 (2024) 138513) as a
function of m_X and of the X lifetime, as tabulated by the ALPaca package (alpaca-ALPs 1.2.0, MIT licence,
J. Alda et al.; files alpaca/experimental_data/visible/na62_kpimumu.npy and na62_kpigammagamma.npy, cited
there as NA62:2025upx with NA62:2022qes and NA62:2023olg).  Each file is a matrix: last row the masses
(GeV, 200 points evenly spaced over the published range), last column log10 of the lifetime in ps (the
first row, log10 tau = -inf, is the prompt limit), the rest log10 of the BR limit.  ALPaca resampled the
published curves onto its grid; this script reads the prompt row and interpolates log10 BR linearly in mass,
as ALPaca's own interpolator does.  The HEPData tables themselves were not reachable from this build.

Run:  pip download alpaca-ALPs==1.2.0 --no-deps -d /tmp/alpaca && unzip the wheel, then
      python admin/kaon_published_points.py /tmp/alpaca/x/alpaca/experimental_data/visible
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

MASSES_MEV = {
    "na62_kpimumu.npy": (220.0, 230.0, 240.0, 250.0, 260.0, 270.0, 280.0, 290.0, 300.0, 310.0, 320.0),
    "na62_kpigammagamma.npy": (220.0, 230.0, 240.0, 250.0, 260.0, 270.0, 280.0, 290.0, 300.0, 310.0, 320.0,
                               340.0),
}
"""Masses (MeV) quoted in the pi-x-mumu and pi-a-gammagamma cards."""


def prompt_limits(path: Path, masses_mev) -> np.ndarray:
    """Prompt observed BR limits of an ALPaca NA62 table at ``masses_mev`` (MeV)."""
    data = np.load(path)
    mass_mev, log_tau, log_br = data[-1, :-1] * 1e3, data[:-1, -1], data[:-1, :-1]
    row = int(np.argmin(log_tau))
    if np.isfinite(log_tau[row]):
        raise ValueError(f"{path}: no prompt (log10 tau = -inf) row")
    ok = np.isfinite(log_br[row])
    return 10.0 ** np.interp(masses_mev, mass_mev[ok], log_br[row][ok], left=np.nan, right=np.nan)


def main(folder: str) -> None:
    for name, masses in MASSES_MEV.items():
        print(f"# {name}: prompt observed 90 % CL limits")
        for m, v in zip(masses, prompt_limits(Path(folder) / name, masses)):
            print(f"    - {{mass_mev: {m:.1f}, value: {v:.3g}}}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
