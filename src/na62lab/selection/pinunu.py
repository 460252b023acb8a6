"""The K+ -> pi+ nu nubar selection on reconstructed events.

Cuts (NA62, JHEP 02 (2025) 191, Sec. 3, simplified): one positive STRAW
track inside the LKr and MUV3 acceptance, momentum in the card range,
a matched GTK kaon track with CDA below the cut, reconstructed vertex in the
fiducial volume, and the m_miss^2 computed with the nominal beam instead of
the GTK track inside the same region widened by a margin (this removes most
events whose GTK track was mis-matched; NA62 PLB 791 (2019) 156, Sec. 4).  These make the *kinematic* selection; particle
identification and the photon/multiplicity vetoes enter as per-event pass
probabilities (``w_pid``, ``w_veto``), so that rejections of 1e-8 can be
estimated from modest samples.  Missing in this simplified selection (named
in every output): the m_miss^2 computed with the RICH momentum and with the
nominal beam, the CHANTI, KTAG and upstream-background cuts (box cut, pileup
in GTK), and the pi+ decays in flight that still pass as a kinked track.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from na62lab.config.kaon import KaonCard
from na62lab.physics.units import GeV, m
from na62lab.selection.regions import region_codes, region_names, region_table

MISSING_CUTS = (
    "m_miss^2 from the RICH momentum",
    "CHANTI, KTAG and upstream-background (box, GTK pile-up) cuts",
    "pi+ decays in flight that survive as a kinked track",
)


@dataclass
class Selected:
    """Boolean masks (N,) of the selection stages."""

    track: np.ndarray
    acceptance: np.ndarray
    momentum: np.ndarray
    vertex: np.ndarray
    beam_consistent: np.ndarray

    @property
    def kinematic(self) -> np.ndarray:
        """All kinematic cuts (before PID and vetoes)."""
        return self.track & self.acceptance & self.momentum & self.vertex & self.beam_consistent


def select(columns: dict, card: KaonCard) -> Selected:
    """Apply the kinematic selection to reconstructed ``columns``.

    Parameters
    ----------
    columns : dict of ndarray
        ``has_track``, ``in_lkr``, ``in_muv3`` (bool), ``p`` (MeV), ``cda`` (mm),
        ``vz`` (mm), ``mmiss2`` (MeV^2; NaN without a GTK track), ``mmiss2_beam``
        (MeV^2, nominal beam).
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
    consistent = beam_consistent(columns["mmiss2"], columns["mmiss2_beam"], card)
    return Selected(columns["has_track"].astype(bool), columns["in_lkr"] & columns["in_muv3"], momentum, vertex,
                    consistent)


def beam_consistent(mmiss2, mmiss2_beam, card: KaonCard) -> np.ndarray:
    """True where m_miss^2 (nominal beam) lies in the region of m_miss^2 (GTK) widened by the margin.

    Events outside every region (code ``other``) are kept: the check only
    matters for events that land in a named region.  Inputs in MeV^2.
    """
    names = region_names(card.selection)
    table = region_table(card.selection)
    codes = region_codes(mmiss2, card.selection)
    margin = card.selection.beam_mmiss2_margin_gev2 * GeV**2
    lo = np.full(codes.shape, -np.inf)
    hi = np.full(codes.shape, np.inf)
    for code, name in names.items():
        if name in table:
            sel = codes == code
            lo[sel] = table[name][0] * GeV**2 - margin
            hi[sel] = table[name][1] * GeV**2 + margin
    with np.errstate(invalid="ignore"):
        return (mmiss2_beam >= lo) & (mmiss2_beam <= hi)
