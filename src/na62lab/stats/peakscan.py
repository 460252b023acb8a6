"""Peak scans: many mass hypotheses at once, local and global significance, limits.

The observable (e.g. a reconstructed mass, MeV) is histogrammed in fine bins
with observed counts ``n_k`` and expected background ``b_k``.  Each mass
hypothesis ``m_j`` defines a window ``[m_j - w_j, m_j + w_j]`` (typically
``w_j`` = 1-2 times the mass resolution) containing a fraction ``eff_j`` of the
signal.  Window counts come from cumulative sums, so the whole scan is
vectorised.

* Local p-value: ``p_j = P(N >= n_j | b_j)`` (exact Poisson), local
  significance ``Z_j = Phi^-1(1 - p_j)``.
* Global significance (look-elsewhere effect), two documented options:
  ``"trials"``: ``p_glob = 1 - (1 - p_min)^N_trials`` with ``N_trials`` given
  or estimated as the scanned range divided by the mean window width
  (an approximation that assumes independent windows; at small counts it
  can be off by a factor of 2 in p: prefer toys there);
  ``"toys"``: background-only pseudo-experiments fluctuate every fine bin, the
  whole scan is redone on each and ``p_glob`` is the fraction of toys whose
  smallest local p-value is at least as small as the observed one
  (Gross & Vitells, EPJC 70 (2010) 525, sec. 1).
* Limits: exact CLs upper limits on the signal events in each window divided
  by ``eff_j``, with expected +-1/2 sigma bands.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from na62lab.errors import InputError, require
from na62lab.stats import poisson
from na62lab.stats.limits import expected_bands_array, upper_limits_array
from na62lab.stats.measurement import Z_MAX


@dataclass
class ScanResult:
    """Outcome of :func:`peak_scan`; arrays are indexed by mass hypothesis."""

    masses: np.ndarray
    observed: np.ndarray
    background: np.ndarray
    p_local: np.ndarray
    z_local: np.ndarray
    observed_limit: np.ndarray
    expected: dict
    max_local_significance: float
    global_p_value: float
    global_significance: float
    global_method: str
    n_trials: float | None

    def to_dict(self) -> dict:
        """JSON-able dictionary."""
        return {"masses": self.masses, "observed": self.observed, "background": self.background,
                "p_local": self.p_local, "z_local": self.z_local, "observed_limit": self.observed_limit,
                "expected_limit": self.expected["median"],
                "expected_band_1sigma": np.stack([self.expected["minus1"], self.expected["plus1"]], 1),
                "expected_band_2sigma": np.stack([self.expected["minus2"], self.expected["plus2"]], 1),
                "max_local_significance": self.max_local_significance,
                "global_p_value": self.global_p_value, "global_significance": self.global_significance,
                "global_method": self.global_method, "n_trials": self.n_trials}


def window_indices(edges: np.ndarray, masses: np.ndarray, half_widths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bin index ranges ``[lo, hi)`` of the bins whose centres lie in each window."""
    centres = 0.5 * (edges[1:] + edges[:-1])
    lo = np.searchsorted(centres, masses - half_widths, side="left")
    hi = np.searchsorted(centres, masses + half_widths, side="right")
    return lo, hi


def window_sums(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Sums of ``values[..., lo:hi]`` for every window (last axis = bins)."""
    cum = np.concatenate([np.zeros(values.shape[:-1] + (1,)), np.cumsum(values, axis=-1)], axis=-1)
    return cum[..., hi] - cum[..., lo]


def _validate(edges, observed, background, masses, half_widths, efficiency) -> None:
    require(edges.ndim == 1 and edges.size >= 2 and bool(np.all(np.diff(edges) > 0)),
            "edges", edges.size, "strictly increasing bin edges (at least 2)")
    require(observed.shape == background.shape == (edges.size - 1,), "observed/background",
            observed.shape, f"one value per bin ({edges.size - 1} bins)")
    require(masses.size >= 1, "masses", masses.size, "at least one mass hypothesis")
    inside = (masses >= edges[0]) & (masses <= edges[-1])
    if not inside.all():
        raise InputError("mass", float(masses[~inside][0]),
                         f"masses within the scanned range [{edges[0]}, {edges[-1]}]")
    require(bool(np.all(half_widths > 0)), "half_width", float(half_widths.min()), "positive window half-widths")
    require(bool(np.all((efficiency > 0) & (efficiency <= 1))), "efficiency", float(efficiency.min()),
            "signal fractions in (0, 1]")


def _global_trials(p_min: float, n_trials: float) -> float:
    return float(-np.expm1(n_trials * np.log1p(-min(p_min, 1 - 1e-16))))


def _global_toys(p_min: float, edges, background, lo, hi, n_toys: int, rng: np.random.Generator,
                 chunk: int = 2000) -> float:
    b_win = window_sums(background, lo, hi)
    hits = 0
    for start in range(0, n_toys, chunk):
        n = min(chunk, n_toys - start)
        toys = rng.poisson(background[None, :], size=(n, background.size))
        p = poisson.sf_inclusive(window_sums(toys, lo, hi), b_win[None, :])
        hits += int(np.sum(p.min(axis=1) <= p_min * (1 + 1e-12)))
    return (hits + 1) / (n_toys + 1)


def peak_scan(edges, observed, background, masses, half_widths, efficiency=1.0, cl: float = 0.9,
              global_method: str = "trials", n_trials: float | None = None, n_toys: int = 10_000,
              rng: np.random.Generator | None = None) -> ScanResult:
    """Scan mass hypotheses over a binned spectrum.

    Parameters
    ----------
    edges : array_like, shape (K+1,)
        Bin edges of the scanned observable (e.g. MeV).
    observed : array_like of int, shape (K,)
        Observed counts per bin.
    background : array_like, shape (K,)
        Expected background events per bin.
    masses : array_like, shape (M,)
        Mass hypotheses (same units as ``edges``).
    half_widths : array_like
        Window half-widths (same units), broadcast to (M,).
    efficiency : array_like
        Fraction of the signal inside each window, broadcast to (M,).
    cl : float
        Confidence level of the limits.
    global_method : {"trials", "toys"}
        Look-elsewhere correction (module docstring).
    n_trials : float, optional
        Effective number of independent trials ("trials" method).
    n_toys : int
        Pseudo-experiments ("toys" method).
    rng : numpy.random.Generator
        Required for "toys".

    Returns
    -------
    ScanResult
        Limits are on the total signal events (window limit / efficiency).
    """
    edges = np.asarray(edges, dtype=float)
    observed = np.asarray(observed)
    background = np.asarray(background, dtype=float)
    masses = np.atleast_1d(np.asarray(masses, dtype=float))
    half_widths = np.broadcast_to(np.asarray(half_widths, dtype=float), masses.shape)
    efficiency = np.broadcast_to(np.asarray(efficiency, dtype=float), masses.shape)
    _validate(edges, observed, background, masses, half_widths, efficiency)
    lo, hi = window_indices(edges, masses, half_widths)
    n_win = window_sums(observed.astype(float), lo, hi)
    b_win = window_sums(background, lo, hi)
    p_local = poisson.sf_inclusive(n_win, b_win)
    z_local = np.clip(poisson.z_from_p(p_local), -10.0, Z_MAX)
    p_min = float(p_local.min())
    if global_method == "trials":
        n_trials = float(n_trials) if n_trials else float(max(1.0, (edges[-1] - edges[0]) / np.mean(2 * half_widths)))
        p_glob = _global_trials(p_min, n_trials)
    elif global_method == "toys":
        if rng is None:
            raise InputError("rng", None, "a numpy.random.Generator for the toys method")
        p_glob, n_trials = _global_toys(p_min, edges, background, lo, hi, n_toys, rng), None
    else:
        raise InputError("global_method", global_method, "trials or toys")
    lim = upper_limits_array(n_win, b_win, cl) / efficiency
    bands = {k: v / efficiency for k, v in expected_bands_array(b_win, cl).items()}
    return ScanResult(masses, n_win.astype(int), b_win, p_local, z_local, lim, bands,
                      float(max(z_local.max(), 0.0)), p_glob, float(np.clip(poisson.z_from_p(p_glob), 0.0, Z_MAX)),
                      global_method, n_trials)
