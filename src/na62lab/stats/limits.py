"""Upper limits on a Poisson signal: exact CLs and CLs+b, with expected bands.

For one counting category with ``n`` observed events, background ``b`` and
signal ``s`` (events), the test statistic is the count itself and

* CLs+b(s) = P(N <= n | s + b),
* CLs(s)   = P(N <= n | s + b) / P(N <= n | b)      (A. L. Read,
  J. Phys. G 28 (2002) 2693, eq. 3; T. Junk, NIM A434 (1999) 435),

both exact (regularised incomplete gamma functions), so they are correct at
0, 1, 2 observed events and tiny backgrounds.  The upper limit at confidence
level ``cl`` solves ``CLs(s_up) = 1 - cl``.

Background uncertainty is marginalised: probabilities are averaged over the
background constraint (Cousins & Highland, NIM A320 (1992) 331), with
Gauss-Legendre quadrature (:mod:`na62lab.stats.nuisance`).  A profiled
treatment of limits exists only asymptotically (q~_mu, Cowan et al. EPJC 71
(2011) 1554), which is wrong at small counts: export the model with
:mod:`na62lab.stats.pyhf_export` for it.  Measurements
(:mod:`na62lab.stats.measurement`) offer both profiling and marginalising.

Known values (no background uncertainty): n = 0 gives 2.303 events at 90 % CL
for any b (CLs); n = 1, b = 0 gives 3.890; n = 2, b = 0 gives 5.322
(PDG Review of Statistics, Table 40.3).

Examples
--------
>>> round(upper_limit(0, 0.5), 3)
2.303
>>> round(upper_limit(1, 0.0), 3)
3.89
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from na62lab.errors import InputError, require
from na62lab.stats import poisson
from na62lab.stats.nuisance import DEFAULT_NODES, KINDS, quadrature_nodes

METHODS = ("cls", "clsb", "fc")
NUISANCE = ("marginalise",)
_BISECT_ITER = 64


def check_inputs(observed, background, cl) -> None:
    """Validate counting inputs, raising :class:`InputError` on bad values."""
    obs = np.asarray(observed, dtype=float)
    require(bool(np.all(np.isfinite(obs) & (obs >= 0) & (obs == np.round(obs)))),
            "observed", _show(observed), "integers >= 0")
    bkg = np.asarray(background, dtype=float)
    require(bool(np.all(np.isfinite(bkg) & (bkg >= 0))), "background", _show(background), "finite numbers >= 0")
    require(0 < cl < 1, "cl", cl, "a confidence level strictly between 0 and 1 (e.g. 0.9)")


def _show(x):
    arr = np.asarray(x)
    return arr.item() if arr.ndim == 0 else arr.ravel()[:5].tolist()


def _marginal_cdf(n, s, b_nodes, b_weights) -> np.ndarray:
    """``E_b[P(N <= n | s + b)]`` for rows of nodes; n, s shape (M,)."""
    return np.sum(b_weights * poisson.cdf(n[:, None], s[:, None] + b_nodes), axis=1)


def _bisect_decreasing(func, target, lo, hi, n_iter: int = _BISECT_ITER) -> np.ndarray:
    """Vectorised bisection for ``func(x) = target`` with ``func`` decreasing in x."""
    lo, hi = lo.copy(), hi.copy()
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        above = func(mid) > target
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    return 0.5 * (lo + hi)


def _upper_bracket(n, b_hi, alpha) -> np.ndarray:
    """A signal value certainly above the limit (events)."""
    return n + 10.0 * np.sqrt(n + 1.0) - np.log(alpha) * 4.0 + 5.0 + 0.0 * b_hi


def upper_limits_array(observed, background, cl: float = 0.9, background_up=0.0,
                       background_down=None, method: str = "cls", kind: str = "lognormal",
                       nodes: int = DEFAULT_NODES) -> np.ndarray:
    """Vectorised exact CLs (or CLs+b) upper limits on signal events.

    Parameters
    ----------
    observed : array_like of int
        Observed events per hypothesis.
    background : array_like
        Expected background events (broadcast with ``observed``).
    cl : float
        Confidence level, e.g. 0.9.
    background_up, background_down : array_like
        Absolute +/- 1 sigma background errors (events); marginalised.
        ``background_down`` defaults to ``background_up``.
    method : {"cls", "clsb"}
        Limit prescription.
    kind : {"lognormal", "gaussian"}
        Shape of the background constraint.

    Returns
    -------
    ndarray
        Upper limits on the signal (events), shape of the broadcast inputs.

    Examples
    --------
    >>> upper_limits_array([0, 1, 2], 0.0).round(3).tolist()
    [2.303, 3.89, 5.322]
    """
    check_inputs(observed, background, cl)
    if method not in ("cls", "clsb"):
        raise InputError("method", method, "cls or clsb for vectorised limits")
    if kind not in KINDS:
        raise InputError("nuisance shape", kind, f"one of {', '.join(KINDS)}")
    background_down = background_up if background_down is None else background_down
    n, b, up, dn = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in
                                         (observed, background, background_up, background_down)))
    shape = n.shape
    n, b, up, dn = (a.ravel() for a in (n, b, up, dn))
    b_nodes, b_w = quadrature_nodes(b, up, dn, kind, nodes if np.any((up > 0) | (dn > 0)) else 1)
    alpha = 1.0 - cl
    target = alpha * (_marginal_cdf(n, np.zeros_like(n), b_nodes, b_w) if method == "cls" else 1.0)
    hi = _upper_bracket(n, b_nodes.max(axis=1), alpha)
    limits = _bisect_decreasing(lambda s: _marginal_cdf(n, s, b_nodes, b_w), target, np.zeros_like(n), hi)
    return limits.reshape(shape)


def upper_limit(observed: int, background: float, background_up: float = 0.0,
                background_down: float | None = None, cl: float = 0.9, method: str = "cls",
                nuisance: str = "marginalise", kind: str = "lognormal") -> float:
    """Upper limit on the signal (events) for one counting category.

    Parameters
    ----------
    observed : int
        Observed events.
    background : float
        Expected background events.
    background_up, background_down : float
        Absolute +/- 1 sigma background errors (events); ``down`` defaults to ``up``.
    cl : float
        Confidence level (e.g. 0.9 for 90 % CL).
    method : {"cls", "clsb", "fc"}
        CLs, CLs+b, or Feldman-Cousins (upper end of the unified interval).
    nuisance : {"marginalise"}
        How the background uncertainty is treated (module docstring).
    kind : {"lognormal", "gaussian"}
        Shape of the background constraint.

    Returns
    -------
    float
        The upper limit on the expected signal events.
    """
    from na62lab.stats.nuisance import Uncertain

    check_inputs(observed, background, cl)
    if method not in METHODS:
        raise InputError("method", method, f"one of {', '.join(METHODS)}")
    if nuisance not in NUISANCE:
        raise InputError("nuisance", nuisance, "marginalise (profiled limits are asymptotic only: "
                         "export a pyhf workspace for them)")
    down = background_up if background_down is None else background_down
    unc = Uncertain(float(background), float(background_up), float(down), kind)
    if method == "fc":
        from na62lab.stats.feldman_cousins import fc_interval

        return fc_interval(int(observed), unc, cl)[1]
    return float(upper_limits_array(observed, background, cl, background_up, down, method, kind))


BAND_PROBS = {"-2": stats.norm.cdf(-2), "-1": stats.norm.cdf(-1), "median": 0.5,
              "+1": stats.norm.cdf(1), "+2": stats.norm.cdf(2)}


def background_only_quantiles(background: float, background_up: float = 0.0,
                              background_down: float | None = None, kind: str = "lognormal") -> dict[str, int]:
    """Quantiles of the observed count under the background-only hypothesis.

    The count distribution is Poisson averaged over the background
    constraint; the quantile at probability p is the smallest n with
    ``P(N <= n) >= p``.
    """
    from na62lab.stats.nuisance import Uncertain

    down = background_up if background_down is None else background_down
    values, weights = Uncertain(float(background), float(background_up), float(down), kind).quadrature()

    def cdf(n: int) -> float:
        return float(np.sum(weights * poisson.cdf(n, values)))

    # bisection on the count instead of the CDF on 0 .. (largest node + 12 sigma): same quantiles, but a wide
    # constraint (0.5 +5 -5 events, lognormal: largest node ~1e7) asked for a 76 GiB array
    out = {}
    for key, p in BAND_PROBS.items():
        hi = int(background + 12 * np.sqrt(background + 1) + 20)
        while cdf(hi) < p - 1e-12:
            hi *= 2
            if hi > 1e15:
                raise InputError("background error", (background_up, down), "a constraint whose background-only "
                                 "count has finite quantiles (narrower, or --shape gaussian)")
        lo = -1                       # cdf(lo) < p <= cdf(hi)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if cdf(mid) >= p - 1e-12 else (mid, hi)
        out[key] = hi
    return out


def expected_limit_bands(background: float, background_up: float = 0.0,
                         background_down: float | None = None, cl: float = 0.9,
                         method: str = "cls", nuisance: str = "marginalise",
                         kind: str = "lognormal") -> dict:
    """Median expected upper limit and its +-1, +-2 sigma bands (signal events).

    The limit is a non-decreasing function of the observed count, so its
    quantiles under the background-only hypothesis are the limits at the
    count quantiles (see :func:`background_only_quantiles`).

    Returns
    -------
    dict
        ``median``, ``band_1sigma`` (lo, hi), ``band_2sigma`` (lo, hi) in
        signal events, and ``observed_quantiles`` (the counts used).
    """
    q = background_only_quantiles(background, background_up, background_down, kind)
    lim = {key: upper_limit(n, background, background_up, background_down, cl, method, nuisance, kind)
           for key, n in q.items()}
    return {"median": lim["median"], "band_1sigma": (lim["-1"], lim["+1"]),
            "band_2sigma": (lim["-2"], lim["+2"]), "observed_quantiles": q}


def count_quantiles_array(background, background_up=0.0, background_down=None,
                          kind: str = "lognormal", probs=tuple(BAND_PROBS.values()),
                          chunk: int = 64) -> np.ndarray:
    """Background-only count quantiles for many backgrounds at once.

    Returns an integer array of shape ``(len(probs),) + broadcast shape``: for
    each probability p the smallest n with ``P(N <= n) >= p`` (Poisson averaged
    over the background constraint).  The CDF is accumulated ``chunk`` counts
    at a time from ``log P(n) = n log mu - mu - log n!``, starting from the
    exact CDF just below the smallest quadrature node, so a large background
    costs O(sqrt(b)) steps, not O(b).

    Examples
    --------
    >>> count_quantiles_array([0.0, 100.0])[:, 1].tolist()   # -2, -1, 0, +1, +2 sigma
    [81, 90, 100, 110, 120]
    """
    background_down = background_up if background_down is None else background_down
    b, up, dn = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (background, background_up, background_down)))
    shape = b.shape
    uncertain = bool(np.any((up > 0) | (dn > 0)))
    nodes, weights = quadrature_nodes(b.ravel(), up.ravel(), dn.ravel(), kind, DEFAULT_NODES if uncertain else 1)
    n_max = int(nodes.max() + 12 * np.sqrt(nodes.max() + 1) + 20)
    k_start = max(int(nodes.min() - 12 * np.sqrt(nodes.min() + 1) - 20), 0)
    log_mu, mu = np.log(np.maximum(nodes, 1e-300))[..., None], nodes[..., None]
    targets = np.asarray(probs, dtype=float) - 1e-12
    out = np.full((targets.size, b.size), -1)
    running = poisson.cdf(k_start - 1, nodes)
    rows = np.arange(b.size)
    for k0 in range(k_start, n_max + 1, chunk):
        k = np.arange(k0, min(k0 + chunk, n_max + 1), dtype=float)
        cum = running[..., None] + np.cumsum(np.exp(k * log_mu - mu - special.gammaln(k + 1.0)), axis=-1)
        running = cum[..., -1]
        cdf = np.sum(weights[..., None] * cum, axis=1)
        for j, p in enumerate(targets):
            first = np.argmax(cdf >= p, axis=-1)
            newly = (out[j] < 0) & (cdf[rows, first] >= p)
            out[j, newly] = k0 + first[newly]
        if np.all(out >= 0):
            break
    return np.where(out < 0, n_max, out).reshape((targets.size,) + shape)


def expected_bands_array(background, cl: float = 0.9, background_up=0.0, background_down=None,
                         method: str = "cls", kind: str = "lognormal") -> dict[str, np.ndarray]:
    """Vectorised median expected limits and +-1/2 sigma bands (signal events).

    Returns a dict with arrays ``median``, ``minus2``, ``minus1``, ``plus1``,
    ``plus2`` shaped like ``background``.

    Examples
    --------
    >>> b = expected_bands_array([0.0, 20.0])
    >>> b["median"].round(2).tolist()
    [2.3, 8.75]
    """
    q = count_quantiles_array(background, background_up, background_down, kind)
    keys = ("minus2", "minus1", "median", "plus1", "plus2")
    return {k: upper_limits_array(q[i], background, cl, background_up, background_down, method, kind)
            for i, k in enumerate(keys)}
