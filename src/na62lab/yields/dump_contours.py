"""Exclusion ranges on a (mass, coupling) grid from expected events and an event limit.

A grid point is excluded when the expected signal exceeds the upper limit on
signal events.  For each mass the excluded couplings form (usually) one
interval between a long-lifetime lower edge (N ~ g^4) and a short-lifetime
upper edge (N ~ exp(-L/l)); its ends are located by linear interpolation of
log N in log g between the grid points that bracket the crossing.
"""

from __future__ import annotations

import numpy as np


def _crossing(g_a, g_b, n_a, n_b, limit) -> float:
    """Coupling where log N crosses log(limit) between two grid points (log-log linear)."""
    la, lb = np.log(max(n_a, 1e-300)), np.log(max(n_b, 1e-300))
    if lb == la:
        return float(g_a)
    f = (np.log(limit) - la) / (lb - la)
    return float(np.exp(np.log(g_a) + f * (np.log(g_b) - np.log(g_a))))


def excluded_interval(couplings: np.ndarray, expected: np.ndarray, limit: float) -> tuple[float, float] | None:
    """Outermost excluded coupling range of one mass row, or None.

    Parameters
    ----------
    couplings : ndarray (n_g,)
        Increasing couplings.
    expected : ndarray (n_g,)
        Expected signal events at those couplings.
    limit : float
        Upper limit on signal events (e.g. 2.30 at 90 % CL with 0 observed).
    """
    excl = expected > limit
    if not excl.any():
        return None
    i, j = int(np.argmax(excl)), int(len(excl) - 1 - np.argmax(excl[::-1]))
    lo = couplings[0] if i == 0 else _crossing(couplings[i - 1], couplings[i], expected[i - 1], expected[i], limit)
    hi = couplings[-1] if j == len(excl) - 1 else _crossing(couplings[j], couplings[j + 1], expected[j],
                                                            expected[j + 1], limit)
    return float(lo), float(hi)


def excluded_ranges(masses_gev: np.ndarray, couplings: np.ndarray, expected: np.ndarray,
                    limit) -> list[dict]:
    """One ``{"mass_gev", "coupling_min", "coupling_max"}`` per mass with an exclusion.

    Parameters
    ----------
    masses_gev : ndarray (n_m,)
        Masses in GeV (as reported).
    couplings : ndarray (n_g,)
    expected : ndarray (n_m, n_g)
        Expected signal events.
    limit : float or ndarray (n_m,)
        Upper limit on signal events, one for all masses or one per mass (when
        the observed count depends on the mass window).
    """
    limits = np.broadcast_to(np.asarray(limit, dtype=float), np.shape(masses_gev))
    out = []
    for mass, row, lim in zip(masses_gev, expected, limits):
        interval = excluded_interval(couplings, row, float(lim))
        if interval is not None:
            out.append({"mass_gev": float(mass), "coupling_min": interval[0], "coupling_max": interval[1]})
    return out


def contour_lines(ranges: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """A closed (mass_gev, coupling) polygon tracing the lower edges then the upper edges back."""
    if not ranges:
        return np.array([]), np.array([])
    m = np.array([r["mass_gev"] for r in ranges])
    lo = np.array([r["coupling_min"] for r in ranges])
    hi = np.array([r["coupling_max"] for r in ranges])
    return np.concatenate([m, m[::-1], m[:1]]), np.concatenate([lo, hi[::-1], lo[:1]])
