"""Measurement of a branching ratio from counting categories.

* Maximum-likelihood BR (constrained to BR >= 0) and its 68.3 % interval from
  ``-2 Delta ln L = 1`` on the profile likelihood (MINOS, iminuit) or on the
  marginal likelihood.
* Background-only p-value from the likelihood ratio
  ``q0 = -2 ln[L(0) / L(BR_hat)]`` with the asymptotic one-sided distribution
  ``Z = sqrt(q0)`` (Cowan, Cranmer, Gross, Vitells, EPJC 71 (2011) 1554,
  eq. 12-13).  Asymptotic: say so when counts are small.
* Tension with a reference value ``BR_ref +- err``: ``Z = sqrt(t)`` with
  ``t = min_r [-2 Delta ln L(r) + ((r - BR_ref)/err)^2]`` (the reference's
  uncertainty profiled as a Gaussian nuisance), signed positive when the
  measurement is above the reference.

Examples
--------
>>> from na62lab.stats.model import Category, CountingModel
>>> m = CountingModel((Category.build(20, 7.0, 8.39e-12, 1.05, 0.75),))
>>> r = measure(m)
>>> round(r.br / 1e-11, 1)
10.9
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
from iminuit import Minuit
from scipy import optimize

from na62lab.stats.model import CountingModel
from na62lab.stats.poisson import p_from_z

Z_MAX = 37.5
"""Significances are capped here (p ~ 1e-308): a zero background with events observed."""


@dataclass
class MeasurementResult:
    """Outcome of :func:`measure` (branching-ratio units unless stated)."""

    br: float
    br_err_up: float
    br_err_down: float
    p_value_bkg_only: float
    significance_bkg_only: float
    nuisance: str
    p_value_bkg_only_exact: float | None = None
    tension_sigma: float | None = None
    reference: dict | None = None
    scan_br: list[float] = field(default_factory=list)
    scan_m2dlnl: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self, with_scan: bool = False) -> dict:
        """JSON-able dictionary (the likelihood scan only if asked)."""
        d = asdict(self)
        if not with_scan:
            d.pop("scan_br"), d.pop("scan_m2dlnl")
        return d


class _Profile:
    """Profile likelihood of the model's signal strength x = BR / scale (iminuit)."""

    def __init__(self, model: CountingModel) -> None:
        self.model = model
        k = model.n_nuisance

        def fcn(p: np.ndarray) -> float:
            return model.nll_full(p[0], p[1:])

        x0 = max(sum(c.observed - c.background.value for c in model.categories), 0.5)
        self.m = Minuit(fcn, np.r_[x0, np.zeros(k)], name=["x"] + [f"t{i}" for i in range(k)])
        self.m.errordef = Minuit.LIKELIHOOD
        self.m.limits["x"] = (0.0, None)
        for i, cat in enumerate(model.categories):
            self.m.limits[f"t{2 * i}"] = self.m.limits[f"t{2 * i + 1}"] = (-8.0, 8.0)
            self.m.fixed[f"t{2 * i}"] = cat.background.is_exact
            self.m.fixed[f"t{2 * i + 1}"] = cat.ses.is_exact
        self.m.migrad()
        self.x_hat, self.nll_min = float(self.m.values["x"]), float(self.m.fval)

    def nll_at(self, x: float) -> float:
        """Profiled NLL at fixed x."""
        fixed = Minuit(self.m.fcn, np.r_[x, np.array(self.m.values[1:])], name=self.m.parameters)
        fixed.errordef = Minuit.LIKELIHOOD
        for name in self.m.parameters:
            fixed.limits[name] = self.m.limits[name]
            fixed.fixed[name] = self.m.fixed[name]
        fixed.fixed["x"] = True
        fixed.migrad()
        return float(fixed.fval)

    def interval(self) -> tuple[float, float]:
        """68.3 % profile-likelihood interval on x (MINOS)."""
        self.m.minos("x")
        err = self.m.merrors["x"]
        return max(self.x_hat + err.lower, 0.0), self.x_hat + err.upper


class _Marginal:
    """Marginal likelihood (nuisances integrated) of x = BR / scale."""

    def __init__(self, model: CountingModel) -> None:
        self.model = model
        hi = 10.0 * (sum(c.observed for c in model.categories) + 5.0)
        res = optimize.minimize_scalar(lambda x: float(model.nll_marginal(x)[0]), bounds=(0.0, hi),
                                       method="bounded", options={"xatol": 1e-9})
        self.x_hat = float(res.x) if res.fun <= self.nll_at(0.0) else 0.0
        self.nll_min = self.nll_at(self.x_hat)
        self.hi = hi

    def nll_at(self, x: float) -> float:
        return float(self.model.nll_marginal(x)[0])

    def interval(self) -> tuple[float, float]:
        g = lambda x: self.nll_at(x) - self.nll_min - 0.5  # noqa: E731
        lo = 0.0 if g(0.0) <= 0 else optimize.brentq(g, 0.0, self.x_hat, xtol=1e-10)
        up_hi = self.x_hat + 1.0
        while g(up_hi) < 0:
            up_hi *= 2.0
        return lo, optimize.brentq(g, self.x_hat, up_hi, xtol=1e-10)


def _tension(lik, scale: float, reference: float, reference_error: float) -> float:
    x_ref = reference / scale
    if reference_error <= 0:
        t = 2.0 * (lik.nll_at(x_ref) - lik.nll_min)
    else:
        err = reference_error / scale
        res = optimize.minimize_scalar(lambda x: 2.0 * (lik.nll_at(x) - lik.nll_min) + ((x - x_ref) / err) ** 2,
                                       bounds=(0.0, max(lik.x_hat, x_ref) + 5 * err), method="bounded")
        t = float(res.fun)
    return float(np.sign(lik.x_hat - x_ref) * np.sqrt(max(t, 0.0)))


def _exact_p_value(cat) -> float:
    """``P(N >= n | b)`` averaged over the background constraint (one category)."""
    from na62lab.stats.poisson import sf_inclusive

    values, weights = cat.background.quadrature()
    return float(np.sum(weights * sf_inclusive(cat.observed, values)))


def measure(model: CountingModel, reference: float | None = None, reference_error: float = 0.0,
            scan_points: int = 0) -> MeasurementResult:
    """Measure the branching ratio of a counting model.

    Parameters
    ----------
    model : CountingModel
        Categories and nuisance treatment.
    reference : float, optional
        Reference branching ratio (e.g. the SM prediction) for the tension.
    reference_error : float
        1-sigma uncertainty of the reference (branching-ratio units).
    scan_points : int
        If > 0, also return ``-2 Delta ln L`` on that many BR values.

    Returns
    -------
    MeasurementResult
    """
    lik = _Profile(model) if model.nuisance == "profile" else _Marginal(model)
    lo, hi = lik.interval()
    if lik.x_hat < 1e-9:
        lik.x_hat = 0.0
    q0 = max(2.0 * (lik.nll_at(0.0) - lik.nll_min), 0.0)
    z0 = float(min(np.sqrt(q0), Z_MAX))
    res = MeasurementResult(
        br=lik.x_hat * model.scale, br_err_up=(hi - lik.x_hat) * model.scale,
        br_err_down=(lik.x_hat - lo) * model.scale, p_value_bkg_only=float(p_from_z(z0)),
        significance_bkg_only=z0, nuisance=model.nuisance,
        notes=["interval: -2 Delta lnL = 1 on the " + ("profile" if model.nuisance == "profile" else "marginal")
               + " likelihood; significance: asymptotic sqrt(q0) (Cowan et al. 2011)"])
    if len(model.categories) == 1:
        res.p_value_bkg_only_exact = _exact_p_value(model.categories[0])
    if reference is not None:
        res.tension_sigma = _tension(lik, model.scale, reference, reference_error)
        res.reference = {"br": reference, "error": reference_error}
    if scan_points > 0:
        xs = np.linspace(0.0, hi + 2.5 * (hi - lik.x_hat) + 1e-12, scan_points)
        res.scan_br = (xs * model.scale).tolist()
        res.scan_m2dlnl = [2.0 * (lik.nll_at(x) - lik.nll_min) for x in xs]
    return res
