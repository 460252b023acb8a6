"""Counting models: categories with observed events, background and sensitivity.

A category ``i`` has ``n_i`` observed events, an expected background ``b_i``
and a single-event sensitivity ``SES_i`` (the branching ratio that gives one
expected signal event), so that the expected count is

    mu_i(BR) = BR / SES_i + b_i .

Backgrounds and SES carry uncertainties through standard-normal nuisance
parameters (:mod:`na62lab.stats.nuisance`), independent between categories
(a simplification: the published NA62 fits correlate some systematics).

The nuisance parameters are either profiled (minimised, with iminuit) or
marginalised (integrated by quadrature, see nuisance.py); the choice is stored
in the model and recorded in every result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import gammaln, logsumexp

from na62lab.errors import InputError, require
from na62lab.stats.nuisance import KINDS, Uncertain

NUISANCE_MODES = ("profile", "marginalise")


@dataclass(frozen=True)
class Category:
    """One counting category.

    Parameters
    ----------
    observed : int
        Observed events.
    background : Uncertain
        Expected background events with asymmetric uncertainty.
    ses : Uncertain
        Single-event sensitivity (branching-ratio units) with uncertainty.
    name : str
        Label used in tables.
    """

    observed: int
    background: Uncertain
    ses: Uncertain
    name: str = ""

    def __post_init__(self) -> None:
        require(isinstance(self.observed, (int, np.integer)) and self.observed >= 0,
                "observed", self.observed, "an integer >= 0")
        require(self.ses.value > 0, "ses", self.ses.value, "a positive single-event sensitivity")

    @classmethod
    def build(cls, observed: int, background: float, ses: float, background_up: float = 0.0,
              background_down: float | None = None, ses_error: float = 0.0,
              kind: str = "lognormal", name: str = "") -> "Category":
        """Category from plain numbers (events and branching-ratio units)."""
        require(np.isfinite(ses) and ses > 0, "ses", ses, "a positive single-event sensitivity")
        require(np.isfinite(background) and background >= 0, "background", background, "a number of events >= 0")
        down = background_up if background_down is None else background_down
        return cls(int(observed), Uncertain(background, background_up, down, kind),
                   Uncertain.symmetric(ses, ses_error, "lognormal"), name)


@dataclass(frozen=True)
class CountingModel:
    """Product of Poisson categories sharing one branching ratio.

    Parameters
    ----------
    categories : tuple of Category
    nuisance : {"profile", "marginalise"}
        Treatment of the background and SES nuisance parameters.
    """

    categories: tuple[Category, ...]
    nuisance: str = "profile"
    scale: float = field(init=False)

    def __post_init__(self) -> None:
        require(len(self.categories) > 0, "categories", len(self.categories), "at least one category")
        if self.nuisance not in NUISANCE_MODES:
            raise InputError("nuisance", self.nuisance, f"one of {', '.join(NUISANCE_MODES)}")
        object.__setattr__(self, "scale", min(c.ses.value for c in self.categories))

    @property
    def n_nuisance(self) -> int:
        """Number of nuisance parameters (2 per category)."""
        return 2 * len(self.categories)

    def nll_full(self, x: float, thetas: np.ndarray) -> float:
        """Negative log-likelihood at signal strength ``x`` = BR / scale and nuisances.

        ``thetas`` holds (theta_b, theta_ses) per category; the Gaussian
        constraint terms are included; constant terms dropped.
        """
        total = 0.0
        for i, cat in enumerate(self.categories):
            tb, ts = thetas[2 * i], thetas[2 * i + 1]
            mu = x * self.scale / float(cat.ses.at(ts)) + float(cat.background.at(tb))
            if mu <= 0:
                total += 0.0 if cat.observed == 0 else np.inf
            else:
                total += mu - cat.observed * np.log(mu)
            total += 0.5 * (tb * tb * (not cat.background.is_exact) + ts * ts * (not cat.ses.is_exact))
        return total

    def nll_marginal(self, x: np.ndarray | float) -> np.ndarray:
        """``-ln`` of the likelihood integrated over the nuisances (vectorised in x)."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        total = np.zeros_like(x)
        for cat in self.categories:
            b, wb = cat.background.quadrature()
            ses, ws = cat.ses.quadrature()
            mu = (x[:, None, None] * self.scale / ses[None, None, :]) + b[None, :, None]
            n = cat.observed
            with np.errstate(divide="ignore"):
                logp = np.where(mu > 0, n * np.log(np.where(mu > 0, mu, 1.0)) - mu, np.where(n == 0, 0.0, -np.inf))
            logw = np.log(wb)[None, :, None] + np.log(ws)[None, None, :]
            total -= logsumexp((logp + logw).reshape(x.size, -1), axis=1) - gammaln(n + 1)
        return total

    def describe(self) -> dict:
        """JSON-able description of the inputs."""
        return {"nuisance": self.nuisance, "categories": [
            {"name": c.name, "observed": c.observed, "background": c.background.value,
             "background_up": c.background.up, "background_down": c.background.down,
             "background_shape": c.background.kind, "ses": c.ses.value, "ses_error": c.ses.up}
            for c in self.categories]}


def check_kind(kind: str) -> str:
    """Validate a constraint shape name."""
    if kind not in KINDS:
        raise InputError("background shape", kind, f"one of {', '.join(KINDS)}")
    return kind
