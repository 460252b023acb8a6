"""The K+ -> pi+ nu nubar selection on reconstructed events.

Cuts (NA62, JHEP 02 (2025) 191, Sec. 3, simplified): one positive STRAW
track inside the RICH, NewCHOD, LKr, MUV1-2 and MUV3 acceptances, with a
good track fit (chi2: kinks from large scatters are rejected), momentum in
the card range, a matched GTK kaon track with CDA below the cut,
reconstructed vertex in the fiducial volume, an optional box cut at STRAW1,
and the m_miss^2 computed with the nominal beam instead of the GTK track
inside a region- and momentum-dependent window (this removes most events
whose GTK track was mis-matched; windows of the public NA62 framework,
``KinematicTails``, 2016-18 analysis).  These make the *kinematic*
selection, evaluated by the compiled passes of
:mod:`na62lab.selection.kaon_cuts` (the slower numpy formulation, kept to
check them, is in ``tests/selection/reference_cuts.py``); this module holds
the window tables they use.  The m_miss^2 computed with the RICH momentum
must also lie in its window: it is a condition on the RICH ring angle, so it
enters the particle-identification probability (:func:`rich_windows`,
:mod:`na62lab.detector.pid`).  Particle identification and the
photon/multiplicity vetoes enter as per-event pass probabilities
(``w_pid``, ``w_veto``), so that rejections of 1e-8 can be estimated from
modest samples.  The KTAG kaon identification and the pi+ hadronic
interactions in the STRAW and RICH material enter only as per-event
efficiencies (card ``common_cuts``, factors of ``w_decay`` in
:mod:`~na62lab.selection.kaon_cuts`).  Missing in this simplified selection
(named in every output): the CHANTI and upstream-background cuts (GTK
pile-up, VetoCounter, the 2021-22 replacement of the box cut; their
efficiency is the card's ``common_cuts.upstream_cuts_efficiency``, 1 in the
shipped card because it is not public), and what an interacting pi+ does
besides being lost.
"""

from __future__ import annotations

import numpy as np

from na62lab.config.kaon import KaonCard
from na62lab.physics.jit import njit
from na62lab.physics.units import GeV
from na62lab.selection.regions import region_bounds, region_code_one, region_names, region_table

MISSING_CUTS = (
    "CHANTI and upstream-background cuts (GTK pile-up, VetoCounter, 2021-22 vertex/STRAW1 cuts): only the card "
    "efficiency common_cuts.upstream_cuts_efficiency (not public: 1 in the shipped card)",
    "KTAG kaon identification and pi+ hadronic interactions (STRAW, RICH neon and mirrors): efficiencies only "
    "(card common_cuts), no event-level simulation",
)


def constraint_band(p, sel) -> np.ndarray:
    """Momentum band (0, 1, ...) of the m_miss^2 windows: p <= e0, e0 < p <= e1, ... (p in MeV)."""
    return np.searchsorted(np.asarray(sel.constraint_bands_gev, float) * GeV, np.asarray(p, float), side="left")


def window_table(windows: dict, card: KaonCard, margin: float | None = None, by_band: bool = True):
    """Window bounds (MeV^2) of every region code and momentum band: two arrays (n_codes, n_bands).

    Band ``b`` holds p (MeV) with exactly ``b`` band edges below it
    (:func:`constraint_band`); without ``by_band`` every band gets the
    widest window.  Rules as in :func:`window_bounds`; +-inf where there is
    no constraint.
    """
    names = region_names(card.selection)
    table = region_table(card.selection)
    n_bands = len(card.selection.constraint_bands_gev) + 1
    lo = np.full((max(names) + 1, n_bands), -np.inf)
    hi = np.full((max(names) + 1, n_bands), np.inf)
    for code, name in names.items():
        if name not in table:
            continue
        if name in windows:
            w = np.asarray(windows[name], float).reshape(-1, 2) * GeV**2
            if len(w) == 0:
                continue
            if len(w) == 1 or not by_band:
                lo[code], hi[code] = w[:, 0].min(), w[:, 1].max()
            else:
                lo[code], hi[code] = w[:, 0], w[:, 1]
        elif margin is not None:
            lo[code] = (table[name][0] - margin) * GeV**2
            hi[code] = (table[name][1] + margin) * GeV**2
    return lo, hi


@njit
def _window_kernel(mmiss2, p, scale, r_lo, r_hi, r_code, band_edges, t_lo, t_hi):
    """Per event: region code of m_miss^2 (MeV^2), momentum band of p (MeV; NaN as 0, +-inf as +-max float,
    like ``numpy.nan_to_num``), and the window bounds of that (code, band)."""
    n = mmiss2.shape[0]
    lo, hi = np.empty(n), np.empty(n)
    for i in range(n):
        c = region_code_one(mmiss2[i] / scale, r_lo, r_hi, r_code)
        band = band_one(p[i], band_edges)
        lo[i], hi[i] = t_lo[c, band], t_hi[c, band]
    return lo, hi


@njit(inline="always")
def band_one(x, band_edges):
    """Momentum band of one p (MeV) as :func:`constraint_band` (NaN as 0, +-inf as +-max float)."""
    if x != x:
        x = 0.0
    elif x == np.inf:
        x = np.finfo(np.float64).max
    elif x == -np.inf:
        x = -np.finfo(np.float64).max
    band = 0
    for e in range(band_edges.shape[0]):
        band += band_edges[e] < x
    return band


def window_bounds(mmiss2, p, windows: dict, card: KaonCard, margin: float | None = None):
    """Lower and upper bounds (MeV^2) of the m_miss^2 window of each event's region and momentum band.

    ``windows`` maps a region name to its windows in GeV^2/c^4 (none: no
    constraint; one: every band; else one per band).  Regions not listed get
    the region itself widened by ``margin`` (GeV^2/c^4), or no constraint if
    ``margin`` is None.  ``p`` (MeV) may be None: the widest window is used.
    The region code (:func:`~na62lab.selection.regions.region_codes`), the
    band (:func:`constraint_band`) and the bounds come from one compiled pass
    over the events (:func:`window_table`).
    """
    x = np.asarray(mmiss2, float)
    t_lo, t_hi = window_table(windows, card, margin, by_band=p is not None)
    pp = np.zeros(x.shape) if p is None else np.broadcast_to(np.asarray(p, float), x.shape)
    edges = np.asarray(card.selection.constraint_bands_gev, float) * GeV
    lo, hi = _window_kernel(np.ascontiguousarray(x.ravel()), np.ascontiguousarray(pp.ravel()), float(GeV**2),
                            *region_bounds(card.selection), edges, t_lo, t_hi)
    return lo.reshape(x.shape), hi.reshape(x.shape)


def beam_consistent(mmiss2, mmiss2_beam, card: KaonCard, p=None) -> np.ndarray:
    """True where m_miss^2 (nominal beam) lies in the window of the m_miss^2 (GTK) region.

    Windows: card ``selection.beam_windows_gev2`` (per momentum band, ``p`` in
    MeV); regions without one use the region widened by
    ``beam_mmiss2_margin_gev2``.  Events outside every region (code ``other``)
    are kept.  Inputs in MeV^2.
    """
    sel = card.selection
    lo, hi = window_bounds(mmiss2, p, sel.beam_windows_gev2, card, sel.beam_mmiss2_margin_gev2)
    with np.errstate(invalid="ignore"):
        return (mmiss2_beam >= lo) & (mmiss2_beam <= hi)


def rich_windows(mmiss2, p, card: KaonCard):
    """Bounds (MeV^2) that m_miss^2 with the RICH momentum must satisfy, per event (+-inf: none)."""
    return window_bounds(mmiss2, p, card.selection.rich_windows_gev2, card, None)
