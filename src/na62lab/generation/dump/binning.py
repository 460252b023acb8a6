"""Binning of the shipped beam-dump production tables.

The tables are 2D histograms in (log10 of the momentum in GeV/c, log10 of the
polar angle in rad) with respect to the proton beam, one per species,
normalised per proton on target (POT).  The binning is fixed here so that the
generator of the tables (``admin/make_production_tables.py``) and the reader
(:mod:`na62lab.generation.dump.tables`) agree.
"""

from __future__ import annotations

import numpy as np

LOG10P_EDGES = np.round(np.linspace(-1.0, 2.65, 74), 10)
"""Edges in log10(p / (GeV/c)): 0.1 to 447 GeV/c in steps of 0.05."""

LOG10THETA_EDGES = np.round(np.linspace(-5.0, 0.5, 56), 10)
"""Edges in log10(theta / rad): 1e-5 to 3.16 rad in steps of 0.1.
Angles below 1e-5 rad are counted in the first bin (the bin is uniform in
log theta, which is irrelevant below the 1e-5 rad scale for NA62)."""


def histogram(p_gev: np.ndarray, theta_rad: np.ndarray) -> np.ndarray:
    """Counts in the (log10 p, log10 theta) bins.

    Parameters
    ----------
    p_gev : ndarray
        Momenta in GeV/c (values outside the momentum range are dropped).
    theta_rad : ndarray
        Polar angles in rad (clipped into the angular range).

    Returns
    -------
    ndarray of int64, shape (73, 55)
    """
    lp = np.log10(np.maximum(p_gev, 1e-30))
    lt = np.clip(np.log10(np.maximum(theta_rad, 1e-30)), LOG10THETA_EDGES[0],
                 LOG10THETA_EDGES[-1] - 1e-9)
    counts, _, _ = np.histogram2d(lp, lt, bins=(LOG10P_EDGES, LOG10THETA_EDGES))
    return counts.astype(np.int64)
