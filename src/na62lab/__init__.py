"""na62lab: the NA62 new-physics programme, end to end.

Kaon decays in flight and 400 GeV protons on the TAX, simulated, selected,
counted and interpreted with honest statistics.  See the README for a tour.
"""

__version__ = "0.1.0"

from na62lab.errors import InputError, Na62labError

__all__ = ["InputError", "Na62labError", "__version__"]
