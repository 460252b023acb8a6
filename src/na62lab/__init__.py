"""na62lab: the NA62 new-physics programme, end to end.

Kaon decays in flight and 400 GeV protons on the TAX, simulated, selected,
counted and interpreted with honest statistics.  See the README for a tour and
``docs/api.md`` for the public objects below, each with an example.

The names are loaded on first use (module ``__getattr__``), so ``import na62lab``
imports neither numba nor matplotlib and fills no registry.

Examples
--------
>>> import na62lab
>>> round(na62lab.upper_limit(0, 0.0), 3)
2.303
"""

from typing import TYPE_CHECKING

from na62lab._lazy import lazy_attributes
from na62lab.errors import InputError, Na62labError

if TYPE_CHECKING:  # the real objects for type checkers and IDEs; at run time each loads on first use
    from na62lab.analyses.beam_dump import sensitivity
    from na62lab.analyses.kaon_searches import SEARCHES, search_card
    from na62lab.analyses.kaon_searches import run_search as search
    from na62lab.analyses.kaon_searches_common.engine import SearchResult
    from na62lab.analyses.kaon_sim import simulate as simulate_kaon
    from na62lab.analyses.pi0_invisible import Pi0InvisibleResult
    from na62lab.config.base import Card, card_names, load_card
    from na62lab.config.dump import DumpCard
    from na62lab.config.kaon import KaonCard
    from na62lab.config.pinunu import PinunuCard
    from na62lab.fips import get_model, model_names, resolve_model
    from na62lab.fips import register as register_model
    from na62lab.fips.base import FIPModel
    from na62lab.stats.limits import upper_limit
    from na62lab.stats.measurement import MeasurementResult, measure
    from na62lab.stats.model import Category, CountingModel
    from na62lab.stats.nuisance import Uncertain
    from na62lab.stats.peakscan import ScanResult
    from na62lab.yields.kaon_tally import KaonTally
    from na62lab.yields.kaon_tally import summary as kaon_summary

__version__ = "0.1.0"

_LAZY: dict[str, tuple[str, str]] = {
    # cards
    "Card": ("na62lab.config.base", "Card"),
    "card_names": ("na62lab.config.base", "card_names"),
    "load_card": ("na62lab.config.base", "load_card"),
    "KaonCard": ("na62lab.config.kaon", "KaonCard"),
    "DumpCard": ("na62lab.config.dump", "DumpCard"),
    "PinunuCard": ("na62lab.config.pinunu", "PinunuCard"),
    "search_card": ("na62lab.analyses.kaon_searches", "search_card"),
    # models
    "FIPModel": ("na62lab.fips.base", "FIPModel"),
    "get_model": ("na62lab.fips", "get_model"),
    "resolve_model": ("na62lab.fips", "resolve_model"),
    "model_names": ("na62lab.fips", "model_names"),
    "register_model": ("na62lab.fips", "register"),
    # what the commands do, as functions
    "sensitivity": ("na62lab.analyses.beam_dump", "sensitivity"),
    "search": ("na62lab.analyses.kaon_searches", "run_search"),
    "SEARCHES": ("na62lab.analyses.kaon_searches", "SEARCHES"),
    "simulate_kaon": ("na62lab.analyses.kaon_sim", "simulate"),
    "kaon_summary": ("na62lab.yields.kaon_tally", "summary"),
    "upper_limit": ("na62lab.stats.limits", "upper_limit"),
    "measure": ("na62lab.stats.measurement", "measure"),
    # statistics inputs and result types
    "Category": ("na62lab.stats.model", "Category"),
    "CountingModel": ("na62lab.stats.model", "CountingModel"),
    "Uncertain": ("na62lab.stats.nuisance", "Uncertain"),
    "MeasurementResult": ("na62lab.stats.measurement", "MeasurementResult"),
    "ScanResult": ("na62lab.stats.peakscan", "ScanResult"),
    "SearchResult": ("na62lab.analyses.kaon_searches_common.engine", "SearchResult"),
    "Pi0InvisibleResult": ("na62lab.analyses.pi0_invisible", "Pi0InvisibleResult"),
    "KaonTally": ("na62lab.yields.kaon_tally", "KaonTally"),
}
"""Public name -> (module, attribute), resolved on first use."""

__all__ = [
    "InputError", "Na62labError", "__version__",
    "Card", "card_names", "load_card", "KaonCard", "DumpCard", "PinunuCard", "search_card",
    "FIPModel", "get_model", "resolve_model", "model_names", "register_model",
    "sensitivity", "search", "SEARCHES", "simulate_kaon", "kaon_summary", "upper_limit", "measure",
    "Category", "CountingModel", "Uncertain", "MeasurementResult", "ScanResult", "SearchResult",
    "Pi0InvisibleResult", "KaonTally",
]

__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, ["InputError", "Na62labError", "__version__"])
