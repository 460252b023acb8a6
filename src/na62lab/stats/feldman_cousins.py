"""Feldman-Cousins unified intervals for a Poisson signal with known or uncertain background.

Construction of G. J. Feldman and R. D. Cousins, Phys. Rev. D 57 (1998) 3873,
sec. IV: for each signal ``s`` the acceptance region in the observed count
``n`` is filled in decreasing order of ``R(n) = P(n | s + b) / P(n | s_best + b)``,
``s_best = max(0, n - b)``, until its probability reaches ``cl``.  The interval
is the set of ``s`` whose acceptance region contains the observed count.

With an uncertain background ``P(n | s)`` is averaged over the background
constraint (Cousins-Highland) and ``s_best`` maximises that averaged
probability.  Reference values: FC Table IV (90 % CL) gives [0, 2.44] for
n = 0, b = 0; [0, 1.94] for n = 0, b = 0.5; [0.11, 4.36] for n = 1, b = 0.

Examples
--------
>>> from na62lab.stats.nuisance import Uncertain
>>> lo, hi = fc_interval(0, Uncertain(0.5), 0.9)
>>> round(hi, 2)
1.94
"""

from __future__ import annotations

import numpy as np
from scipy import optimize

from na62lab.stats import poisson
from na62lab.stats.nuisance import Uncertain


class _Construction:
    """Acceptance regions of the FC ordering for one background model."""

    def __init__(self, unc: Uncertain, cl: float, n_max: int) -> None:
        self.b_values, self.b_weights = unc.quadrature()
        self.cl = cl
        self.ns = np.arange(n_max + 1)
        self.best = self._best_probabilities()

    def prob(self, s: float) -> np.ndarray:
        """``P(n | s)`` for every n in the table (averaged over b)."""
        return np.sum(self.b_weights * poisson.pmf(self.ns[:, None], s + self.b_values[None, :]), axis=1)

    def _best_probabilities(self) -> np.ndarray:
        best = np.empty(self.ns.size)
        for n in self.ns:
            def neg(s: float, n=n) -> float:
                return -float(np.sum(self.b_weights * poisson.pmf(n, s + self.b_values)))
            b_mean = float(np.sum(self.b_weights * self.b_values))
            guess = max(0.0, n - b_mean)
            res = optimize.minimize_scalar(neg, bounds=(0.0, guess + 5.0 * np.sqrt(n + 1) + 1), method="bounded",
                                           options={"xatol": 1e-9})
            best[n] = max(-res.fun, -neg(0.0), -neg(guess))
        return best

    def accepts(self, s: float, n_obs: int) -> bool:
        """Whether ``n_obs`` lies in the acceptance region of signal ``s``."""
        p = self.prob(s)
        order = np.lexsort((self.ns, -(p / self.best)))
        cum = np.cumsum(p[order])
        last = int(np.searchsorted(cum, self.cl - 1e-12)) + 1
        return bool(np.isin(n_obs, order[:last]))


def _refine(accepts, inside: float, outside: float, n_iter: int = 40) -> float:
    """Bisect the edge between an accepted and a rejected signal value."""
    for _ in range(n_iter):
        mid = 0.5 * (inside + outside)
        inside, outside = (mid, outside) if accepts(mid) else (inside, mid)
    return 0.5 * (inside + outside)


def fc_interval(observed: int, background: Uncertain, cl: float = 0.9,
                step: float = 0.05) -> tuple[float, float]:
    """Feldman-Cousins interval ``(lower, upper)`` on the signal (events).

    Parameters
    ----------
    observed : int
        Observed events.
    background : Uncertain
        Expected background (events) with its uncertainty.
    cl : float
        Confidence level.
    step : float
        Grid step (events) of the scan; edges are refined by bisection.
    """
    b_max = background.value + 5 * (background.up + np.sqrt(background.value + 1))
    s_max = observed + 10.0 * np.sqrt(observed + 1.0) + 10.0
    con = _Construction(background, cl, int(s_max + b_max + 15 * np.sqrt(s_max + b_max + 1) + 30))
    grid = np.arange(0.0, s_max + step, step)
    ok = np.array([con.accepts(s, observed) for s in grid])
    if not ok.any():  # pragma: no cover - cannot happen for a valid construction
        return 0.0, 0.0
    first, last = int(np.argmax(ok)), int(len(ok) - 1 - np.argmax(ok[::-1]))
    accepts = lambda s: con.accepts(s, observed)  # noqa: E731
    lower = 0.0 if first == 0 else _refine(accepts, grid[first], grid[first - 1])
    upper = _refine(accepts, grid[last], grid[min(last + 1, len(grid) - 1)])
    return float(lower), float(upper)
