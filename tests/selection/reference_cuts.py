"""Numpy reference formulation of the kaon-mode kinematic selection (moved here from ``selection.pinunu``).

The cuts that run are the compiled passes of :mod:`na62lab.selection.kaon_cuts`; this slower, array-at-a-time
formulation of the same cuts (NA62, JHEP 02 (2025) 191, Sec. 3, simplified) checks them bit for bit
(``tests/yields/test_kaon_sim_glue.py``) and documents the stages in the tests of the selection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from na62lab.config.kaon import KaonCard
from na62lab.physics.units import GeV, m
from na62lab.selection.pinunu import beam_consistent


@dataclass
class Selected:
    """Boolean masks (N,) of the selection stages (``quality``: track chi2 and box cut)."""

    track: np.ndarray
    acceptance: np.ndarray
    momentum: np.ndarray
    vertex: np.ndarray
    beam_consistent: np.ndarray
    quality: np.ndarray | None = None

    @property
    def kinematic(self) -> np.ndarray:
        """All kinematic cuts (before PID and vetoes)."""
        out = self.track & self.acceptance & self.momentum & self.vertex & self.beam_consistent
        return out if self.quality is None else out & self.quality


def select(columns: dict, card: KaonCard) -> Selected:
    """Apply the kinematic selection to reconstructed ``columns``.

    Parameters
    ----------
    columns : dict of ndarray
        ``has_track``, ``in_lkr``, ``in_muv3`` (bool), ``p`` (MeV), ``cda`` (mm),
        ``vz`` (mm), ``mmiss2`` (MeV^2; NaN without a GTK track), ``mmiss2_beam``
        (MeV^2, nominal beam); optional ``in_acceptance`` (bool, full
        downstream acceptance), ``chi2`` (track fit) and ``x1``, ``y1`` (mm at
        STRAW1, for the box cut).
    card : KaonCard

    Returns
    -------
    Selected
    """
    sel = card.selection
    p, cda, vz = columns["p"], columns["cda"], columns["vz"]
    z0, z1 = (v * m for v in card.decay_volume.fiducial_z_m)
    with np.errstate(invalid="ignore"):
        momentum = (p >= sel.momentum_gev[0] * GeV) & (p < sel.momentum_gev[1] * GeV)
        vertex = np.isfinite(columns["mmiss2"]) & (cda < sel.cda_max_mm) & (vz >= z0) & (vz <= z1)
    consistent = beam_consistent(columns["mmiss2"], columns["mmiss2_beam"], card, p)
    acceptance = columns["in_lkr"] & columns["in_muv3"]
    if "in_acceptance" in columns:
        acceptance = acceptance & columns["in_acceptance"]
    return Selected(columns["has_track"].astype(bool), acceptance, momentum, vertex, consistent,
                    track_quality(columns, card))


def track_quality(columns: dict, card: KaonCard) -> np.ndarray | None:
    """Track chi2 below the card's cut and, if configured, outside the STRAW1 box."""
    if "chi2" not in columns:
        return None
    with np.errstate(invalid="ignore"):
        good = np.asarray(columns["chi2"]) < card.straw.chi2_max
        box = card.selection.straw1_box_mm
        if box is not None and "x1" in columns:
            good &= ~((np.abs(columns["x1"]) < box[0]) & (np.abs(columns["y1"]) < box[1]))
    return good
