"""Vectorised acceptance-rejection sampling with cached envelopes.

The envelope (maximum of the density) is found once per density on a fixed,
deterministic set of points (its own ``default_rng(20240601)`` stream, not the
event stream) and enlarged by a safety margin; samples above it are counted
so a too-small envelope is detected rather than silently biasing the shape.
"""

from __future__ import annotations

from collections.abc import Callable
import numpy as np
from scipy.ndimage import maximum_filter

from na62lab.physics.phase_space import njit

_ENVELOPE_SEED = 20240601
_MARGIN = 1.25

Proposal = Callable[[int, np.random.Generator], dict]
Density = Callable[[dict], np.ndarray]

_ENVELOPES: dict[str, float] = {}


def envelope(key: str, propose: Proposal, density: Density, n_probe: int = 400_000) -> float:
    """Cached upper bound of ``density`` over the proposal domain (same units as the density).

    Parameters
    ----------
    key : str
        Cache key; one per (density, parameters).
    propose : callable
        ``propose(k, rng) -> dict`` of arrays of proposed points.
    density : callable
        ``density(points) -> ndarray`` of non-negative values.
    """
    if key not in _ENVELOPES:
        rng = np.random.default_rng(_ENVELOPE_SEED)
        wmax = float(np.max(density(propose(n_probe, rng))))
        if not np.isfinite(wmax) or wmax <= 0:
            raise ValueError(f"density {key!r} has no positive finite maximum")
        _ENVELOPES[key] = _MARGIN * wmax
    return _ENVELOPES[key]


def accept_reject(n: int, propose: Proposal, density: Density, wmax: float,
                  rng: np.random.Generator, efficiency_guess: float = 0.3) -> dict:
    """Draw exactly ``n`` points distributed as ``density`` by acceptance-rejection.

    Parameters
    ----------
    n : int
        Number of points wanted.
    propose, density : callables
        As in :func:`envelope`.
    wmax : float
        Envelope (upper bound of the density); a proposal may instead give a
        per-point bound in ``points["bound"]`` (see :class:`GridProposal`).
    rng : numpy.random.Generator
    efficiency_guess : float
        Expected acceptance, sizes the proposal batches.

    Returns
    -------
    dict
        Arrays of accepted points, each of length ``n``.

    Raises
    ------
    RuntimeError
        If a density value exceeds the envelope (the shape would be biased).
    """
    parts: list[dict] = []
    filled, eff = 0, max(efficiency_guess, 0.01)
    while filled < n:
        k = int((n - filled) / eff * 1.1) + 64
        points = propose(k, rng)
        w = density(points)
        bound = points.pop("bound", wmax)
        if np.any(w > bound):
            raise RuntimeError(f"density above its envelope ({np.max(w / bound):.4g} x the bound)")
        keep = rng.uniform(0.0, 1.0, k) * bound < w
        eff = max(keep.mean(), 0.01)
        take = np.flatnonzero(keep)[: n - filled]
        parts.append({name: v[take] for name, v in points.items()})
        filled += take.size
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}


class GridProposal:
    """Piecewise-constant envelope on a 2-D grid of two of the variables.

    The other variables of ``propose`` keep their uniform proposal.  The
    envelope of each cell is the largest density found among ``n_probe``
    deterministic probe points in that cell or in its eight neighbours, times
    ``margin``: near the edge of the physical region a cell holds few probes
    and its own maximum can fall short of the density (measured for K+ -> pi+
    pi- e+ nu: a point at 1.52 x its cell's bound among 8e7 proposals without
    the neighbours, at most 0.52 x with them); cells where no probe of the
    neighbourhood has positive density are never proposed.

    Parameters
    ----------
    key : str
        Cache key of the envelope.
    propose : callable
        Uniform proposal over the whole domain (used for the probes and for
        the non-grid variables).
    density : callable
        The target density.
    names : tuple of two str
        The variables gridded.
    bounds : tuple of two (lo, hi)
        Their ranges (same units as the variables).
    shape : tuple of two int
        Cells along each variable.
    """

    _CACHE: dict[str, np.ndarray] = {}

    def __init__(self, key, propose, density, names, bounds, shape=(40, 40), n_probe=1_000_000, margin=2.0):
        self.propose, self.names, self.bounds, self.shape = propose, names, bounds, shape
        if key not in self._CACHE:
            self._CACHE[key] = self._build(propose, density, n_probe, margin)
        self.cell_max = self._CACHE[key]
        flat = self.cell_max.ravel()
        self.cdf = np.cumsum(flat) / flat.sum()
        self.cdf[-1] = 1.0
        self.guide = np.searchsorted(self.cdf, np.arange(_GUIDE) / _GUIDE, side="right").astype(np.int64)

    def _cells(self, points):
        idx = []
        for name, (lo, hi), k in zip(self.names, self.bounds, self.shape):
            idx.append(np.clip(((points[name] - lo) / (hi - lo) * k).astype(np.int64), 0, k - 1))
        return idx

    def _build(self, propose, density, n_probe, margin):
        rng = np.random.default_rng(_ENVELOPE_SEED)
        pts = propose(n_probe, rng)
        w = density(pts)
        ix, iy = self._cells(pts)
        cell = np.zeros(self.shape)
        np.maximum.at(cell, (ix, iy), w)
        return margin * maximum_filter(cell, size=3, mode="constant")

    def __call__(self, k, rng):
        """Proposal of ``k`` points with their per-point bound in ``"bound"``."""
        points = self.propose(k, rng)
        flat = _draw_cells(self.cdf, self.guide, rng.uniform(0.0, 1.0, k))
        ix, iy = np.unravel_index(flat, self.shape)
        for name, (lo, hi), kk, i in zip(self.names, self.bounds, self.shape, (ix, iy)):
            width = (hi - lo) / kk
            points[name] = lo + (i + rng.uniform(0.0, 1.0, k)) * width
        # density of the proposal is proportional to cell_max: accept with w / cell_max
        points["bound"] = self.cell_max[ix, iy]
        return points


_GUIDE = 4096


@njit
def _draw_cells(cdf, guide, u):
    """Inverse-CDF lookup with a guide table (same result as searchsorted(cdf, u, 'right'))."""
    out = np.empty(u.shape[0], np.int64)
    last = cdf.shape[0] - 1
    for i in range(u.shape[0]):
        j = guide[int(u[i] * _GUIDE)]
        while j < last and cdf[j] <= u[i]:
            j += 1
        out[i] = j
    return out
