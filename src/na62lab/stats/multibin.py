"""CLs upper limits on a branching ratio from several counting categories.

Test statistic: the LEP log-likelihood ratio
``t(n) = sum_i n_i ln(1 + s_i / b_i)`` with ``s_i = BR / SES_i``
(A. L. Read, J. Phys. G 28 (2002) 2693, eq. 4; larger is more signal-like),
and ``CLs = P(t <= t_obs | s + b) / P(t <= t_obs | b)``.  The distribution of
``t`` is computed exactly by enumerating every count vector with
non-negligible probability (Poisson probabilities averaged over each
category's background and SES constraints), so the limit is exact at small
counts; categories are independent.

Examples
--------
>>> from na62lab.stats.model import Category, CountingModel
>>> m = CountingModel((Category.build(0, 0.0, 1e-10),))
>>> round(cls_upper_limit_br(m, 0.9) / 1e-10, 3)    # 2.303 events x SES
2.303
"""

from __future__ import annotations

import numpy as np
from scipy import optimize

from na62lab.errors import InputError, require
from na62lab.stats import poisson
from na62lab.stats.model import Category, CountingModel

MAX_COMBINATIONS = 2_000_000
_NODES = 16  # per constraint; 16 x 16 nodes per category


def _count_pmf(cat: Category, br: float, n_max: int) -> np.ndarray:
    """``P(n)`` for n = 0..n_max, averaged over background and SES constraints."""
    b, wb = cat.background.quadrature(_NODES)
    ses, ws = cat.ses.quadrature(_NODES)
    mu = br / ses[None, :] + b[:, None]
    w = wb[:, None] * ws[None, :]
    ns = np.arange(n_max + 1)[:, None]
    return np.sum(poisson.pmf(ns, mu.ravel()[None, :]) * w.ravel()[None, :], axis=1)


def _grid(model: CountingModel, br_max: float) -> list[int]:
    n_max = []
    for cat in model.categories:
        mu = br_max / cat.ses.value * 1.5 + cat.background.value + 3.0 * cat.background.up
        n_max.append(int(max(mu + 12 * np.sqrt(mu + 1) + 15, cat.observed + 1)))
    if float(np.prod(np.array(n_max, dtype=float) + 1)) > MAX_COMBINATIONS:
        raise InputError("categories", len(model.categories), "few enough categories/counts for exact "
                         f"enumeration (< {MAX_COMBINATIONS} count combinations)")
    return n_max


def _cl_values(model: CountingModel, br: float, n_max: list[int]) -> tuple[float, float]:
    """(CLs+b, CLb) at branching ratio ``br``."""
    weights = [np.log1p(br / c.ses.value / max(c.background.value, 1e-9)) for c in model.categories]
    t_obs = sum(w * c.observed for w, c in zip(weights, model.categories))
    t_grid = np.zeros(1)
    p_sb = np.ones(1)
    p_b = np.ones(1)
    for w, cat, nm in zip(weights, model.categories, n_max):
        ns = np.arange(nm + 1)
        t_grid = (t_grid[:, None] + w * ns[None, :]).ravel()
        p_sb = (p_sb[:, None] * _count_pmf(cat, br, nm)[None, :]).ravel()
        p_b = (p_b[:, None] * _count_pmf(cat, 0.0, nm)[None, :]).ravel()
    keep = t_grid <= t_obs * (1 + 1e-12) + 1e-12
    return float(p_sb[keep].sum()), float(p_b[keep].sum())


def cls_upper_limit_br(model: CountingModel, cl: float = 0.9) -> float:
    """CLs upper limit on the branching ratio from all categories of ``model``.

    Parameters
    ----------
    model : CountingModel
        Categories (observed events, background events, SES in BR units).
    cl : float
        Confidence level.

    Returns
    -------
    float
        Upper limit on the branching ratio.
    """
    require(0 < cl < 1, "cl", cl, "a confidence level strictly between 0 and 1 (e.g. 0.9)")
    scale = model.scale
    n_obs = sum(c.observed for c in model.categories)
    br_hi = (n_obs + 10 * np.sqrt(n_obs + 1) + 10) * max(c.ses.value for c in model.categories)
    _grid(model, br_hi)

    def f(x: float) -> float:
        clsb, clb = _cl_values(model, x * scale, _grid(model, x * scale))
        return clsb / clb - (1.0 - cl)

    hi = br_hi / scale
    while f(hi) > 0:
        hi *= 2.0
    return optimize.brentq(f, 1e-9, hi, xtol=1e-10, rtol=1e-8) * scale
