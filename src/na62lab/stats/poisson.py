"""Poisson probabilities, exact and averaged over a nuisance.

``P(N <= n | mu) = Q(n + 1, mu)`` (regularised upper incomplete gamma) and
``P(N >= n | mu) = P(n, mu)`` (lower) for n >= 1: exact to machine precision
for any n and mu, vectorised (scipy.special).
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats


def cdf(n: np.ndarray | int, mu: np.ndarray | float) -> np.ndarray:
    """``P(N <= n | mu)`` for Poisson mean ``mu`` (events)."""
    n = np.asarray(n, dtype=float)
    mu = np.asarray(mu, dtype=float)
    return np.where(n < 0, 0.0, special.gammaincc(np.maximum(n, 0) + 1.0, mu))


def sf_inclusive(n: np.ndarray | int, mu: np.ndarray | float) -> np.ndarray:
    """``P(N >= n | mu)``: the p-value of observing ``n`` or more."""
    n = np.asarray(n, dtype=float)
    mu = np.asarray(mu, dtype=float)
    return np.where(n <= 0, 1.0, special.gammainc(np.maximum(n, 1.0), mu))


def pmf(n: np.ndarray | int, mu: np.ndarray | float) -> np.ndarray:
    """``P(N = n | mu)``."""
    return stats.poisson.pmf(n, mu)


def z_from_p(p: np.ndarray | float) -> np.ndarray:
    """One-sided significance ``Z = Phi^-1(1 - p)`` (``isf`` keeps tiny p exact)."""
    return stats.norm.isf(np.asarray(p, dtype=float))


def p_from_z(z: np.ndarray | float) -> np.ndarray:
    """One-sided p-value of a ``z``-sigma excess, ``1 - Phi(z)``."""
    return stats.norm.sf(np.asarray(z, dtype=float))
