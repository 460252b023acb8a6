"""Discovery thresholds: the minimum observed count for a Z-sigma excess.

The background-only p-value of observing ``n`` or more events is
``p(n) = E_b[P(N >= n | b)]``, averaged over the background constraint when the
background is uncertain (Cousins-Highland; log-normal by default).  A
one-sided Z-sigma discovery needs ``p(n) <= 1 - Phi(Z)``
(2.87e-7 for Z = 5).

Examples
--------
>>> min_observed(0.01)[0]     # tiny background: 3 events make 5 sigma
3
>>> min_observed(0.0)[0]      # no background at all: one event suffices
1
"""

from __future__ import annotations

import numpy as np

from na62lab.errors import require
from na62lab.stats import poisson
from na62lab.stats.nuisance import Uncertain


def p_value_at_least(n: int, background: float, background_error: float | tuple[float, float] = 0.0,
                     kind: str = "lognormal") -> float:
    """Background-only p-value ``P(N >= n)`` (events), averaged over the background.

    ``background_error`` is the 1-sigma error in events, or a ``(up, down)`` pair.
    """
    if isinstance(background_error, tuple):
        values, weights = Uncertain(background, background_error[0], background_error[1], kind).quadrature()
    else:
        values, weights = Uncertain.symmetric(background, background_error, kind).quadrature()
    return float(np.sum(weights * poisson.sf_inclusive(n, values)))


def min_observed(background: float, background_error: float | tuple[float, float] = 0.0, sigma: float = 5.0,
                 kind: str = "lognormal") -> tuple[int, float]:
    """Smallest observed count giving a one-sided ``sigma`` discovery.

    Parameters
    ----------
    background : float
        Expected background events (>= 0).
    background_error : float or (float, float)
        Absolute 1-sigma error on the background (events), or an (up, down) pair.
    sigma : float
        Required significance Z (one-sided), e.g. 5.
    kind : {"lognormal", "gaussian"}
        Shape of the background constraint.

    Returns
    -------
    (int, float)
        The minimum count and its p-value.
    """
    require(np.isfinite(sigma) and 0 < sigma <= 30, "sigma", sigma, "a number in (0, 30]")
    require(np.isfinite(background) and background >= 0, "background", background, "a finite number >= 0")
    require(bool(np.all(np.isfinite(background_error))) and bool(np.all(np.asarray(background_error) >= 0)),
            "background_error", background_error, "a finite number >= 0 (or an (up, down) pair)")
    target = float(poisson.p_from_z(sigma))
    if background == 0:
        return 1, 0.0
    lo, hi = 1, max(2, int(background) + 1)
    while p_value_at_least(hi, background, background_error, kind) > target:
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if p_value_at_least(mid, background, background_error, kind) > target:
            lo = mid
        else:
            hi = mid
    n = lo if p_value_at_least(lo, background, background_error, kind) <= target else hi
    return n, p_value_at_least(n, background, background_error, kind)
