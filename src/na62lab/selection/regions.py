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


def region_codes(mmiss2, sel: SelectionCard) -> np.ndarray:
    """Region code (int8) of each m_miss^2 value (MeV^2); the first matching region wins.

    Order: R1, R2, pipi, then the control regions in name order; unmatched
    values (and NaN) get ``OTHER``.
    """
    x = np.asarray(mmiss2, float) / GeV**2
    out = np.zeros(x.shape, np.int8)
    codes = [(R1, sel.r1_gev2), (R2, sel.r2_gev2), (PIPI, sel.pipi_gev2)]
    codes += [(_CONTROL_BASE + k, sel.control_gev2[n]) for k, n in enumerate(_control_names(sel))]
    for code, (lo, hi) in reversed(codes):
        out[(x >= lo) & (x < hi)] = code
    return out


def momentum_bin(p, sel: SelectionCard) -> np.ndarray:
    """Index of the momentum category (int8) of each p (MeV), -1 outside the bins."""
    edges = np.asarray(sel.momentum_bins_gev, float) * GeV
    idx = np.searchsorted(edges, np.asarray(p, float), side="right") - 1
    idx[(idx < 0) | (idx >= edges.size - 1) | ~np.isfinite(p)] = -1
    return idx.astype(np.int8)
