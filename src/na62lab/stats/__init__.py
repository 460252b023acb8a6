"""Statistics engine: exact small-count Poisson limits, measurements, discovery, scans.

Every search in na62lab goes through this package:

- :mod:`~na62lab.stats.nuisance` -- constraint terms for uncertain backgrounds and
  sensitivities (log-normal, bifurcated Gaussian) and their quadrature;
- :mod:`~na62lab.stats.model` -- counting categories and models;
- :mod:`~na62lab.stats.limits` -- CLs and CLs+b upper limits (exact Poisson) and
  expected bands; :mod:`~na62lab.stats.feldman_cousins` -- unified intervals;
- :mod:`~na62lab.stats.measurement` -- maximum-likelihood BR, profile or marginal
  likelihood intervals, background-only significance, tension with a reference;
- :mod:`~na62lab.stats.discovery` -- minimum observed count for a Z-sigma discovery;
- :mod:`~na62lab.stats.peakscan` -- vectorised scans with look-elsewhere correction;
- :mod:`~na62lab.stats.pyhf_export` -- pyhf JSON workspaces.
"""

from typing import TYPE_CHECKING

from na62lab._lazy import lazy_attributes

if TYPE_CHECKING:  # the real objects for type checkers; at run time each loads on first use
    from na62lab.stats.discovery import min_observed
    from na62lab.stats.feldman_cousins import fc_interval
    from na62lab.stats.limits import expected_limit_bands, upper_limit, upper_limits_array
    from na62lab.stats.measurement import MeasurementResult, measure
    from na62lab.stats.model import Category, CountingModel
    from na62lab.stats.multibin import cls_upper_limit_br
    from na62lab.stats.nuisance import Uncertain
    from na62lab.stats.peakscan import ScanResult, peak_scan
    from na62lab.stats.pyhf_export import to_pyhf_workspace

_LAZY: dict[str, tuple[str, str]] = {
    "Uncertain": ("na62lab.stats.nuisance", "Uncertain"),
    "Category": ("na62lab.stats.model", "Category"),
    "CountingModel": ("na62lab.stats.model", "CountingModel"),
    "upper_limit": ("na62lab.stats.limits", "upper_limit"),
    "upper_limits_array": ("na62lab.stats.limits", "upper_limits_array"),
    "expected_limit_bands": ("na62lab.stats.limits", "expected_limit_bands"),
    "fc_interval": ("na62lab.stats.feldman_cousins", "fc_interval"),
    "measure": ("na62lab.stats.measurement", "measure"),
    "MeasurementResult": ("na62lab.stats.measurement", "MeasurementResult"),
    "min_observed": ("na62lab.stats.discovery", "min_observed"),
    "peak_scan": ("na62lab.stats.peakscan", "peak_scan"),
    "ScanResult": ("na62lab.stats.peakscan", "ScanResult"),
    "cls_upper_limit_br": ("na62lab.stats.multibin", "cls_upper_limit_br"),
    "to_pyhf_workspace": ("na62lab.stats.pyhf_export", "to_pyhf_workspace"),
}
"""Public name -> (module, attribute), imported on first use."""

__all__ = [
    "Uncertain", "Category", "CountingModel", "upper_limit", "upper_limits_array", "expected_limit_bands",
    "fc_interval", "measure", "MeasurementResult", "min_observed", "peak_scan", "ScanResult", "cls_upper_limit_br",
    "to_pyhf_workspace",
]

__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, [])
