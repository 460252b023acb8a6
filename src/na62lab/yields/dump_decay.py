"""Probability that a particle flying from the dump decays inside a volume.

A particle of momentum p, mass M and proper decay length c tau has the lab
decay length l = (p / M) c tau.  The probability to survive to a distance L1
and decay before L2 along its line of flight is

    P_rd = exp(-L1 / l) - exp(-L2 / l)

(e.g. NA62 beam-dump searches, JHEP 09 (2023) 035, and the PBC report,
arXiv:1901.09966: N_exp = N_POT chi P_rd A; Bjorken et al., PRD 38 (1988)
3375, eq. (2.10) for the same
exponential law in a beam dump).  Written naively it cancels catastrophically
for l >> L2 (1 - 1) and is fine but tiny for l << L1.  Here it is evaluated as

    P_rd = exp(-L1 / l) * (-expm1(-(L2 - L1) / l)),

a product of two factors that are each accurate for every l in (0, inf]:
relative accuracy ~1e-15 from l = 1e-12 m to l = 1e12 m and beyond, exactly 0
for l = 0 and l = inf, never NaN or overflow.  :func:`log_decay_probability`
gives log P_rd for decay lengths so short that P_rd underflows.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from na62lab.errors import require


def _check(l1: ArrayLike, l2: ArrayLike, length: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    l1, l2, length = (np.asarray(v, dtype=float) for v in (l1, l2, length))
    require(bool(np.all(np.isfinite(l1)) and np.all(l1 >= 0)), "L1", l1, "finite distances >= 0 (mm)")
    require(bool(np.all(np.isfinite(l2)) and np.all(l2 >= l1)), "L2", l2, "finite distances >= L1 (mm)")
    require(bool(np.all(~np.isnan(length)) and np.all(length >= 0)), "decay_length", length,
            "decay lengths >= 0 (mm; inf allowed)")
    return l1, l2, length


def decay_probability(l1: ArrayLike, l2: ArrayLike, decay_length: ArrayLike) -> np.ndarray:
    """Probability exp(-L1/l) - exp(-L2/l) to decay between L1 and L2.

    Parameters
    ----------
    l1, l2 : array_like
        Distances along the line of flight from the production point to the
        start and end of the volume (mm), 0 <= L1 <= L2; broadcast together.
    decay_length : array_like
        Lab decay length l = (p/M) c tau (mm); 0 and inf are allowed.

    Returns
    -------
    ndarray
        P_rd in [0, 1], computed without cancellation (see module docstring).

    Examples
    --------
    >>> print(f"{float(decay_probability(0.0, 1.0, 1e30)):.3g}")    # l >> L: ~ (L2 - L1) / l
    1e-30
    >>> float(decay_probability(1.0, 2.0, 1.0)) == float(np.exp(-1) - np.exp(-2))
    True
    """
    l1, l2, length = _check(l1, l2, decay_length)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        a = np.where(l1 == 0, 0.0, l1 / length)
        d = np.where(l2 == l1, 0.0, (l2 - l1) / length)
        p = np.exp(-a) * -np.expm1(-d)
    return p + 0.0


def log_decay_probability(l1: ArrayLike, l2: ArrayLike, decay_length: ArrayLike) -> np.ndarray:
    """Natural log of :func:`decay_probability`, finite even where P_rd underflows.

    Parameters are those of :func:`decay_probability` (mm).  Returns ``-inf``
    where the probability is exactly zero (l = 0 with L1 > 0, l = inf, L2 = L1).
    """
    l1, l2, length = _check(l1, l2, decay_length)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        d = (l2 - l1) / length
        out = -l1 / length + np.log(-np.expm1(-d))
        # l -> inf: log((L2 - L1)/l) - L1/l
        out = np.where(np.isinf(length), -np.inf, out)
        out = np.where(l2 == l1, -np.inf, out)
        out = np.where(length == 0, np.where((l1 == 0) & (l2 > l1), 0.0, -np.inf), out)
    return out + 0.0


def lab_decay_length(momentum: ArrayLike, mass: ArrayLike, ctau: ArrayLike) -> np.ndarray:
    """Lab-frame decay length l = (p / M) c tau in mm.

    Parameters
    ----------
    momentum : array_like
        Momentum (MeV/c).
    mass : array_like
        Mass (MeV/c^2), > 0.
    ctau : array_like
        Proper decay length c tau (mm); inf allowed.
    """
    mass = np.asarray(mass, dtype=float)
    require(bool(np.all(mass > 0)), "mass", mass, "masses > 0 (MeV)")
    return np.asarray(momentum, dtype=float) / mass * np.asarray(ctau, dtype=float)


def bin_decay_probabilities(edges: ArrayLike, decay_length: ArrayLike) -> np.ndarray:
    """Probabilities to decay in each of the consecutive intervals of ``edges``.

    Parameters
    ----------
    edges : array_like, shape (..., K + 1)
        Increasing distances along the line of flight (mm), one row per particle.
    decay_length : array_like, shape (...)
        Lab decay lengths (mm).

    Returns
    -------
    ndarray, shape (..., K)
        Stable per-interval decay probabilities; their sum is P_rd over the
        whole range.
    """
    edges = np.asarray(edges, dtype=float)
    length = np.asarray(decay_length, dtype=float)[..., None]
    return decay_probability(edges[..., :-1], edges[..., 1:], length)
