"""K+ -> pi+ X, X invisible or long-lived: peak search in m_miss^2 with the pi+ nu nubar selection.

The card ``na62_search_pi_x`` holds the 2016-18 inputs (JHEP 06 (2021) 093):
signal regions R1 and R2 in m_miss^2, the SES of K+ -> pi+ nu nubar, the
observed total and the background composition; the SM K+ -> pi+ nu nubar
decay is a background of this search.  Hypotheses m_X in 0-110 and
154-260 MeV/c^2 (1 MeV steps); each is a window of +-1.5 sigma(m_miss^2)
around m_X^2, restricted to the signal regions.

The X acceptance scales the published pi nu nubar acceptance by the
simulated two-body kinematics (pion-momentum window and region fraction:
:func:`na62lab.analyses.kaon_searches_common.engine.reference_kinematic_acceptance`).

Lifetime: an X that decays inside the detector is not invisible.  With
``lifetime_ns`` the signal is multiplied by the probability that X decays
beyond the end of the detector (``lifetime.z_end_m``, 241 m), averaged over
the decay volume and the X momenta
(:mod:`na62lab.analyses.kaon_searches_common.lifetime`); :func:`lifetime_scan`
gives the limit as a function of mass and lifetime.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from na62lab.analyses.kaon_searches_common import SearchResult, run_peak_search
from na62lab.analyses.kaon_searches_common import engine as eng
from na62lab.analyses.kaon_searches_common import lifetime as lt
from na62lab.config.base import load_card
from na62lab.config.searches import PeakSearchCard

CARD = "na62_search_pi_x"
LIFETIMES_NS = (0.01, 0.1, 1.0, 10.0, 100.0)
"""Default proper lifetimes (ns) of :func:`lifetime_scan`."""


def load(card: str | Path | None = None) -> PeakSearchCard:
    """The search card (default: the shipped one)."""
    return load_card(card or CARD, PeakSearchCard)


def run(card: PeakSearchCard | None = None, masses=None, lifetime_ns: float | None = None) -> SearchResult:
    """Limits on BR(K+ -> pi+ X) vs m_X (MeV); X stable unless ``lifetime_ns`` is given."""
    return run_peak_search(card or load(), masses, lifetime_ns)


def lifetime_scan(result: SearchResult, card: PeakSearchCard | None = None,
                  lifetimes_ns=LIFETIMES_NS) -> dict:
    """Observed BR limits on a (mass, lifetime) grid from a stable-X result.

    The limit for lifetime tau is the stable one divided by P_escape(m, tau);
    masses in MeV, lifetimes in ns; ``inf`` where X never escapes.
    """
    card = card or load()
    model = eng.resolution_model(card, result.masses)
    taus = np.asarray(lifetimes_ns, dtype=float)
    ctau = np.array([lt.ctau_from_lifetime(t) for t in taus])
    p = lt.mean_acceptance(card.lifetime.kind, model.at(model.p_quantiles, result.masses), result.masses,
                           np.broadcast_to(ctau, (result.masses.size, taus.size)), card.lifetime)
    with np.errstate(divide="ignore"):
        limits = np.where(p > 0, result.observed_limit[:, None] / np.where(p > 0, p, 1.0), np.inf)
    return {"masses_mev": result.masses, "lifetimes_ns": taus, "escape_probability": p, "observed_limit": limits}
