"""Card of published K+ -> pi+ nu nubar counting inputs and results.

Each dataset has its observed events, expected background (events, asymmetric
errors) and single-event sensitivity (with error), and the published result
to compare with.  A dataset may instead combine others (``combine``): the
categories of those datasets are fitted together.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from na62lab.config.base import Card
from na62lab.config.theory import PinunuSMInputs


class Published(Card):
    """A published result (branching ratios dimensionless)."""

    br: float | None = Field(None, description="central BR")
    br_err_up: float | None = None
    br_err_down: float | None = None
    significance: str | None = Field(None, description="background-only significance as quoted, e.g. '3.4' or '>5'")
    sm_tension: str | None = Field(None, description="compatibility with the SM as quoted (sigma)")
    upper_limit: float | None = Field(None, description="upper limit on BR")
    upper_limit_cl: float | None = Field(None, gt=0, lt=1)
    reference: str = Field(..., description="paper")


class Dataset(Card):
    """Inputs of one dataset, or a combination of datasets."""

    name: str
    observed: int | None = Field(None, ge=0)
    background: float | None = Field(None, ge=0, description="expected background (events)")
    background_up: float = Field(0.0, ge=0)
    background_down: float | None = Field(None, ge=0)
    ses: float | None = Field(None, gt=0, description="single-event sensitivity")
    ses_error: float = Field(0.0, ge=0)
    combine: list[str] = Field(default_factory=list, description="names of datasets fitted together")
    published: Published
    note: str = ""

    @model_validator(mode="after")
    def _inputs_or_combination(self) -> "Dataset":
        single = self.observed is not None and self.background is not None and self.ses is not None
        if single == bool(self.combine):
            raise ValueError("give either observed, background and ses, or combine (not both)")
        return self


class PinunuCard(Card):
    """Published K+ -> pi+ nu nubar datasets and the SM inputs."""

    datasets: list[Dataset]
    sm: PinunuSMInputs = PinunuSMInputs()
    cl: float = Field(0.9, gt=0, lt=1, description="confidence level of upper limits")
    nuisance: str = Field("profile", pattern="^(profile|marginalise)$")

    @model_validator(mode="after")
    def _combinations_exist(self) -> "PinunuCard":
        names = [d.name for d in self.datasets]
        for d in self.datasets:
            missing = [c for c in d.combine if c not in names]
            if missing:
                raise ValueError(f"dataset {d.name!r} combines unknown datasets {missing}; known: {names}")
        return self

    def dataset(self, name: str) -> Dataset:
        """Dataset by name."""
        return next(d for d in self.datasets if d.name == name)
