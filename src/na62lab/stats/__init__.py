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
