"""Constraint terms for uncertain backgrounds and single-event sensitivities.

An uncertain quantity ``x`` with central value ``x0`` and asymmetric errors
``+up / -down`` is written as a function of a standard-normal nuisance
parameter ``theta`` (constraint ``exp(-theta^2/2)``):

``"lognormal"``
    ``x(theta) = x0 exp(theta k+)`` for theta >= 0 and ``x0 exp(theta k-)`` for
    theta < 0, with ``k+ = ln(1 + up/x0)`` and ``k- = -ln(1 - down/x0)``
    (``k- = k+`` if ``down >= x0``).  Always positive; reproduces
    ``x0 + up`` and ``x0 - down`` at theta = +-1.  This is the asymmetric
    log-normal of the CMS/ATLAS combination tools (CMS-NOTE-2011-005, sec. 3).
``"gaussian"``
    bifurcated Gaussian ``x(theta) = x0 + theta up`` (theta >= 0),
    ``x0 + theta down`` (theta < 0), truncated at ``x >= 0``.

Marginalising (Cousins & Highland, NIM A320 (1992) 331) integrates over theta
with Gauss-Legendre quadrature on each half-line [-8.5, 0] and [0, 8.5]
weighted by the normal density (the asymmetric shapes have a kink at
theta = 0, which spoils Gauss-Hermite convergence); truncated nodes of the
Gaussian get weight zero and the weights are renormalised.

Examples
--------
>>> import numpy as np
>>> u = Uncertain(10.0, 2.0, 1.0)
>>> np.round(u.at(np.array([-1.0, 0.0, 1.0])), 6).tolist()
[9.0, 10.0, 12.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from na62lab.errors import InputError, require

KINDS = ("lognormal", "gaussian")
DEFAULT_NODES = 32
_THETA_MAX = 8.5


@lru_cache(maxsize=8)
def normal_quadrature(n: int = DEFAULT_NODES) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights integrating against the standard normal density.

    ``sum(w * f(x)) ~= E[f(theta)]`` for ``theta ~ N(0, 1)``; weights sum to
    1.  Gauss-Legendre with ``n // 2`` nodes on each half-line (exact for
    functions smooth on each side of 0).

    Examples
    --------
    >>> x, w = normal_quadrature(32)
    >>> round(float(np.sum(w * x * x)), 6)
    1.0
    """
    half = max(n // 2, 1)
    t, wt = np.polynomial.legendre.leggauss(half)
    x = 0.5 * _THETA_MAX * (t + 1.0)
    w = 0.5 * _THETA_MAX * wt * np.exp(-0.5 * x * x) / np.sqrt(2 * np.pi)
    nodes = np.concatenate([-x[::-1], x])
    weights = np.concatenate([w[::-1], w])
    return nodes, weights / weights.sum()


@dataclass(frozen=True)
class Uncertain:
    """A positive quantity with asymmetric uncertainty.

    Parameters
    ----------
    value : float
        Central value (e.g. expected background events, or a SES).
    up, down : float
        Absolute +1 sigma and -1 sigma errors (both >= 0). ``down`` defaults
        to ``up`` through :meth:`symmetric`.
    kind : {"lognormal", "gaussian"}
        Shape of the constraint, see the module docstring.
    """

    value: float
    up: float = 0.0
    down: float = 0.0
    kind: str = "lognormal"

    def __post_init__(self) -> None:
        require(np.isfinite(self.value) and self.value >= 0, "value", self.value, "a finite number >= 0")
        require(np.isfinite(self.up) and self.up >= 0, "error up", self.up, "a finite number >= 0")
        require(np.isfinite(self.down) and self.down >= 0, "error down", self.down, "a finite number >= 0")
        if self.kind not in KINDS:
            raise InputError("nuisance shape", self.kind, f"one of {', '.join(KINDS)}")

    @classmethod
    def symmetric(cls, value: float, error: float = 0.0, kind: str = "lognormal") -> "Uncertain":
        """Quantity with a symmetric error."""
        return cls(value, error, error, kind)

    @property
    def is_exact(self) -> bool:
        """True when there is no uncertainty (or the value is 0)."""
        return self.value == 0 or (self.up == 0 and self.down == 0)

    def _log_slopes(self) -> tuple[float, float]:
        k_up = np.log1p(self.up / self.value)
        k_down = -np.log1p(-self.down / self.value) if self.down < self.value else k_up
        return float(k_up), float(k_down)

    def at(self, theta: np.ndarray | float) -> np.ndarray:
        """Value at nuisance ``theta`` (standard-normal units)."""
        theta = np.asarray(theta, dtype=float)
        if self.is_exact:
            return np.full_like(theta, self.value)
        if self.kind == "lognormal":
            k_up, k_down = self._log_slopes()
            return self.value * np.exp(theta * np.where(theta >= 0, k_up, k_down))
        return np.maximum(self.value + theta * np.where(theta >= 0, self.up, self.down), 0.0)

    def quadrature(self, n: int = DEFAULT_NODES) -> tuple[np.ndarray, np.ndarray]:
        """Values and weights to average a function over the uncertainty.

        Returns ``(values, weights)`` with ``sum(weights) == 1``; a single node
        when the quantity is exact.
        """
        if self.is_exact:
            return np.array([self.value]), np.array([1.0])
        values, weights = quadrature_nodes(self.value, self.up, self.down, self.kind, n)
        keep = weights[0] > 0
        return values[0, keep], weights[0, keep]


def quadrature_nodes(value, up, down, kind: str = "lognormal",
                     n: int = DEFAULT_NODES) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised quadrature of many uncertain quantities at once.

    Parameters
    ----------
    value, up, down : array_like
        Central values and absolute +/- errors, broadcast to shape ``(M,)``.
    kind : {"lognormal", "gaussian"}
        Constraint shape (see the module docstring).
    n : int
        Quadrature nodes (half on each side of the central value).

    Returns
    -------
    values, weights : ndarray, shape (M, n)
        Node values and weights (each row sums to 1; truncated Gaussian nodes
        get weight 0). Exact quantities have all nodes equal to the value.
    """
    if kind not in KINDS:
        raise InputError("nuisance shape", kind, f"one of {', '.join(KINDS)}")
    value, up, down = (np.atleast_1d(np.asarray(a, dtype=float)) for a in np.broadcast_arrays(value, up, down))
    x, w = normal_quadrature(n)
    x = x[None, :]
    v, u, d = value[:, None], up[:, None], down[:, None]
    if kind == "lognormal":
        with np.errstate(divide="ignore", invalid="ignore"):
            k_up = np.log1p(np.where(v > 0, u / v, 0.0))
            k_dn = np.where(d < v, -np.log1p(-np.where(v > 0, d / v, 0.0)), k_up)
        values = v * np.exp(x * np.where(x >= 0, k_up, k_dn))
        weights = np.broadcast_to(w, values.shape).copy()
    else:
        raw = v + x * np.where(x >= 0, u, d)
        weights = np.where(raw >= 0, w, 0.0)
        weights /= weights.sum(axis=1, keepdims=True)
        values = np.maximum(raw, 0.0)
    return values, weights
