"""K+ -> pi+ X, X -> mu+ mu-: peak search in m_mumu (prompt, and displaced as a projection).

Cards: ``na62_search_pi_x_mumu`` (prompt: X decays within 2 m of the kaon
vertex, so that the three tracks form one vertex) and
``na62_search_pi_x_mumu_displaced`` (X decays at least 2 m downstream of the
kaon vertex and before the spectrometer).  The normalisation and the
background, K+ -> pi+ mu+ mu- with the measured form factor, come from the
NA62 2017-18 sample (JHEP 11 (2022) 011).  Without ``lifetime_ns`` the
limit is on BR(K+ -> pi+ X) BR(X -> mu mu) times the probability of the
decay condition (taken as 1); with it, the limit is divided by that
probability (:mod:`na62lab.analyses.kaon_searches_common.lifetime`).
"""

from __future__ import annotations

from pathlib import Path

from na62lab.analyses.kaon_searches_common import SearchResult, run_peak_search
from na62lab.config.base import load_card
from na62lab.config.searches import PeakSearchCard

CARD = "na62_search_pi_x_mumu"
CARD_DISPLACED = "na62_search_pi_x_mumu_displaced"


def load(card: str | Path | None = None, displaced: bool = False) -> PeakSearchCard:
    """The prompt (default) or displaced search card, or a user card."""
    return load_card(card or (CARD_DISPLACED if displaced else CARD), PeakSearchCard)


def run(card: PeakSearchCard | None = None, masses=None, lifetime_ns: float | None = None,
        displaced: bool = False) -> SearchResult:
    """Limits on BR(K+ -> pi+ X) x BR(X -> mu+ mu-) vs m_X (MeV)."""
    return run_peak_search(card or load(displaced=displaced), masses, lifetime_ns)
