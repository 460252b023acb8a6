"""Machinery shared by the kaon-mode searches (peak scans, resolutions, lifetimes, PBC readings).

* :mod:`.resolution` -- missing-mass resolution and momentum-window acceptance
  of P+ -> d+ X from the kaon chain of ``simulate kaon``
  (:mod:`na62lab.yields.kaon_chain`, with the card's ``resolution.kaon_card``),
  a small smearing Monte Carlo or a table;
* :mod:`.lifetime` -- probabilities that a long-lived X escapes or decays in a
  region, averaged over the decay volume (exact for every decay length);
* :mod:`.spectra` -- background shapes binned in the observable;
* :mod:`.engine` -- the peak search: spectrum, windows, limits on the BR;
* :mod:`.interpretation` -- BR limits read as couplings of the PBC benchmarks;
* :mod:`.summary` -- the typed summary of a search that the report reads.
"""

from na62lab.analyses.kaon_searches_common.engine import SearchResult, run_peak_search
from na62lab.analyses.kaon_searches_common.summary import SearchSummary

__all__ = ["SearchResult", "SearchSummary", "run_peak_search"]
