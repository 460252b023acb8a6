"""Signal, normalisation and control regions in the (m_miss^2, p_pi+) plane.

Regions are defined in GeV^2/c^4 by the card (:class:`~na62lab.config.kaon.SelectionCard`);
functions here take m_miss^2 in MeV^2 (internal units).  Region codes are
small integers so that they can be stored compactly.

Examples
--------
>>> import numpy as np
>>> from na62lab.config.kaon import SelectionCard
>>> codes = region_codes(np.array([0.005, 0.018, 0.03, 0.5]) * 1e6, SelectionCard())
>>> [REGION_NAMES[c] for c in codes]
['R1', 'pipi', 'R2', 'other']
"""

from __future__ import annotations

import numpy as np

from na62lab.config.kaon import SelectionCard
from na62lab.physics.jit import njit
from na62lab.physics.units import GeV

OTHER, R1, R2, PIPI = 0, 1, 2, 3
_CONTROL_BASE = 4
SIGNAL_REGIONS = ("R1", "R2")

REGION_NAMES: dict[int, str] = {OTHER: "other", R1: "R1", R2: "R2", PIPI: "pipi"}


def _control_names(sel: SelectionCard) -> list[str]:
    return sorted(sel.control_gev2)


def region_table(sel: SelectionCard) -> dict[str, tuple[float, float]]:
    """Every region name -> (lo, hi) in GeV^2/c^4, signal regions first."""
    table = {"R1": sel.r1_gev2, "R2": sel.r2_gev2, "pipi": sel.pipi_gev2}
    table.update({name: sel.control_gev2[name] for name in _control_names(sel)})
    return table


def region_names(sel: SelectionCard) -> dict[int, str]:
    """Region code -> name for the card's regions."""
    names = dict(REGION_NAMES)
    for k, name in enumerate(_control_names(sel)):
        names[_CONTROL_BASE + k] = name
    return names


def region_bounds(sel: SelectionCard) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Regions in matching order (R1, R2, pipi, then the control regions in name order).

    Returns
    -------
    (lo, hi, code) : ndarrays
        Bounds in GeV^2/c^4 (a value x is in a region if lo <= x < hi) and the region codes (int8).
    """
    codes = [(R1, sel.r1_gev2), (R2, sel.r2_gev2), (PIPI, sel.pipi_gev2)]
    codes += [(_CONTROL_BASE + k, sel.control_gev2[n]) for k, n in enumerate(_control_names(sel))]
    return (np.array([float(c[1][0]) for c in codes]), np.array([float(c[1][1]) for c in codes]),
            np.array([c[0] for c in codes], np.int8))


@njit(inline="always")
def region_code_one(x, lo, hi, code):
    """Code of the first region (arrays of :func:`region_bounds`) holding ``x`` (GeV^2/c^4), ``OTHER`` if none."""
    c = OTHER
    n = lo.shape[0]
    for j in range(n):              # last region first, so that the first match is the last one written
        k = n - 1 - j
        inside = (x >= lo[k]) & (x < hi[k])
        c = code[k] * inside + c * (1 - inside)       # arithmetic select: no data-dependent branch
    return c


@njit
def _codes_kernel(mmiss2, scale, lo, hi, code):
    out = np.empty(mmiss2.shape[0], np.int8)
    for i in range(mmiss2.shape[0]):
        out[i] = region_code_one(mmiss2[i] / scale, lo, hi, code)
    return out


def region_codes(mmiss2, sel: SelectionCard) -> np.ndarray:
    """Region code (int8) of each m_miss^2 value (MeV^2); the first matching region wins.

    Order: R1, R2, pipi, then the control regions in name order; unmatched
    values (and NaN) get ``OTHER``.  One compiled pass over the values.
    """
    x = np.asarray(mmiss2, float)
    lo, hi, code = region_bounds(sel)
    return _codes_kernel(np.ascontiguousarray(x.ravel()), float(GeV**2), lo, hi, code).reshape(x.shape)


@njit(inline="always")
def momentum_bin_one(x, edges):
    """Momentum category of one p (MeV; bin edges ``edges`` in MeV): number of edges <= p minus 1, -1 outside."""
    k = -1
    if np.isfinite(x):
        for e in range(edges.shape[0]):
            k += edges[e] <= x
        if k >= edges.shape[0] - 1:
            k = -1
    return k


@njit
def _bin_kernel(p, edges):
    out = np.empty(p.shape[0], np.int8)
    for i in range(p.shape[0]):
        out[i] = momentum_bin_one(p[i], edges)
    return out


def momentum_bin(p, sel: SelectionCard) -> np.ndarray:
    """Index of the momentum category (int8) of each p (MeV), -1 outside the bins (and for NaN)."""
    edges = np.asarray(sel.momentum_bins_gev, float) * GeV
    x = np.asarray(p, float)
    return _bin_kernel(np.ascontiguousarray(x.ravel()), edges).reshape(x.shape)
