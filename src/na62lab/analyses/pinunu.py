"""K+ -> pi+ nu nubar: the published NA62 counting results, reproduced.

For every dataset of the card ``na62_pinunu_published`` (observed events,
expected background, SES) this module measures the branching ratio
(maximum likelihood, 68 % profile-likelihood interval), the background-only
significance, the tension with the SM prediction (:mod:`na62lab.theory.pinunu`)
and the exact CLs upper limit, side by side with the published numbers.

Simplifications (printed with the results): one category per dataset (the
published fits use momentum bins and data-taking periods), independent
log-normal nuisance parameters, no split of statistical and systematic errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from na62lab.config.base import load_card
from na62lab.config.pinunu import Dataset, PinunuCard, Published
from na62lab.stats.measurement import MeasurementResult, measure
from na62lab.stats.model import Category, CountingModel
from na62lab.stats.multibin import cls_upper_limit_br
from na62lab.theory.pinunu import sm_prediction

SIMPLIFICATIONS = (
    "one category per dataset (published fits use momentum bins and periods)",
    "independent log-normal nuisances for background and SES; stat. and syst. not separated",
    "significance from the asymptotic likelihood ratio sqrt(q0)",
)


def categories(card: PinunuCard, ds: Dataset) -> tuple[Category, ...]:
    """Counting categories of a dataset (one, or one per combined dataset)."""
    if ds.combine:
        return tuple(c for name in ds.combine for c in categories(card, card.dataset(name)))
    assert ds.observed is not None and ds.background is not None and ds.ses is not None  # Dataset validator
    return (Category.build(ds.observed, ds.background, ds.ses, ds.background_up, ds.background_down,
                           ds.ses_error, name=ds.name),)


@dataclass(frozen=True)
class DatasetResult:
    """Measurement, significance, SM tension and CLs upper limit of one dataset (BR dimensionless).

    ``inputs`` is the counting model (:meth:`~na62lab.stats.model.CountingModel.describe`), ``published``
    the card's published numbers; :meth:`to_dict` is the JSON record (``pinunu_results.json``).
    """

    name: str
    measurement: MeasurementResult
    upper_limit_br: float
    upper_limit_cl: float
    inputs: dict
    published: Published
    note: str
    with_scan: bool = False

    @property
    def observed(self) -> int:
        """Observed events summed over the categories."""
        return int(sum(c["observed"] for c in self.inputs["categories"]))

    @property
    def background(self) -> float:
        """Expected background summed over the categories (events)."""
        return float(sum(c["background"] for c in self.inputs["categories"]))

    def to_dict(self) -> dict:
        """JSON-able record: the measurement's fields, then name, upper limit and its CL, inputs, published, note."""
        out = self.measurement.to_dict(with_scan=self.with_scan)
        out.update(name=self.name, upper_limit_br=self.upper_limit_br, upper_limit_cl=self.upper_limit_cl,
                   inputs=self.inputs, published=self.published.model_dump(), note=self.note)
        return out


@dataclass(frozen=True)
class PinunuSummary:
    """Every dataset of the card with the SM prediction (:func:`~na62lab.theory.pinunu.sm_prediction`: ``br``,
    ``br_err``) and the simplifications; :meth:`to_dict` is the JSON record."""

    sm_prediction: dict
    datasets: tuple[DatasetResult, ...]
    simplifications: tuple[str, ...]
    nuisance: str

    def to_dict(self) -> dict:
        """JSON-able summary (``pinunu_results.json`` before the provenance stamp)."""
        return {"sm_prediction": self.sm_prediction, "datasets": [d.to_dict() for d in self.datasets],
                "simplifications": list(self.simplifications), "nuisance": self.nuisance}


def analyse_dataset(card: PinunuCard, ds: Dataset, sm: dict, scan_points: int = 0) -> DatasetResult:
    """Measurement, significance, SM tension and upper limit of one dataset."""
    model = CountingModel(categories(card, ds), nuisance=card.nuisance)
    res = measure(model, reference=sm["br"], reference_error=sm["br_err"], scan_points=scan_points)
    cl = ds.published.upper_limit_cl or card.cl
    return DatasetResult(ds.name, res, cls_upper_limit_br(model, cl), cl, model.describe(), ds.published, ds.note,
                         with_scan=scan_points > 0)


def analyse(card: PinunuCard | None = None, scan_points: int = 60) -> PinunuSummary:
    """Analyse every dataset of the card (default: the shipped ``na62_pinunu_published``)."""
    card = card or load_card("na62_pinunu_published", PinunuCard)
    sm = sm_prediction(card.sm)
    rows = tuple(analyse_dataset(card, ds, sm, scan_points) for ds in card.datasets)
    return PinunuSummary(sm, rows, SIMPLIFICATIONS, card.nuisance)


def run(card: PinunuCard | None = None, scan_points: int = 60) -> dict:
    """Analyse every dataset of the card; returns the JSON-able summary (:meth:`PinunuSummary.to_dict`)."""
    return analyse(card, scan_points).to_dict()


def reproduce(out_dir: Path, console) -> dict:
    """The ``na62lab reproduce`` section: table, JSON, likelihood-scan figure."""
    from na62lab.results.io import write_json
    from na62lab.results.pinunu_report import likelihood_scan_figure, results_table
    from na62lab.results.provenance import stamp
    from na62lab.stats.pyhf_export import to_pyhf_workspace

    summary = analyse()
    console.print(results_table(summary))
    for line in SIMPLIFICATIONS:
        console.print(f"  [dim]simplification:[/dim] {line}")
    out_dir = Path(out_dir) / "pinunu"
    write_json(out_dir / "pinunu_results.json", stamp(summary.to_dict(), cards=["na62_pinunu_published"]))
    card = load_card("na62_pinunu_published", PinunuCard)
    combo = CountingModel(categories(card, card.dataset("2016-22 (2 categories)")))
    write_json(out_dir / "pinunu_2016_22_pyhf_workspace.json", to_pyhf_workspace(combo))
    png = likelihood_scan_figure(summary, out_dir / "pinunu_likelihood_scan.png")
    console.print(f"  wrote {out_dir / 'pinunu_results.json'}, {png.name}, pyhf workspace")
    return {"datasets": {r["name"]: {k: r[k] for k in ("br", "br_err_up", "br_err_down",
                                                         "significance_bkg_only", "tension_sigma",
                                                         "upper_limit_br")} for r in summary.to_dict()["datasets"]}}
