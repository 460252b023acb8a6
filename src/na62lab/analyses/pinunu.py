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

from pathlib import Path

from na62lab.config.base import load_card
from na62lab.config.pinunu import Dataset, PinunuCard
from na62lab.stats.measurement import measure
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


def analyse_dataset(card: PinunuCard, ds: Dataset, sm: dict, scan_points: int = 0) -> dict:
    """Measurement, significance, SM tension and upper limit of one dataset."""
    model = CountingModel(categories(card, ds), nuisance=card.nuisance)
    res = measure(model, reference=sm["br"], reference_error=sm["br_err"], scan_points=scan_points)
    cl = ds.published.upper_limit_cl or card.cl
    out = res.to_dict(with_scan=scan_points > 0)
    out.update(name=ds.name, upper_limit_br=cls_upper_limit_br(model, cl), upper_limit_cl=cl,
               inputs=model.describe(), published=ds.published.model_dump(), note=ds.note)
    return out


def run(card: PinunuCard | None = None, scan_points: int = 60) -> dict:
    """Analyse every dataset of the card; returns a JSON-able summary."""
    card = card or load_card("na62_pinunu_published", PinunuCard)
    sm = sm_prediction(card.sm)
    rows = [analyse_dataset(card, ds, sm, scan_points) for ds in card.datasets]
    return {"sm_prediction": sm, "datasets": rows, "simplifications": list(SIMPLIFICATIONS),
            "nuisance": card.nuisance}


def reproduce(out_dir: Path, console) -> dict:
    """The ``na62lab reproduce`` section: table, JSON, likelihood-scan figure."""
    from na62lab.results.io import write_json
    from na62lab.results.pinunu_report import likelihood_scan_figure, results_table
    from na62lab.results.provenance import stamp
    from na62lab.stats.pyhf_export import to_pyhf_workspace

    summary = run()
    console.print(results_table(summary))
    for line in SIMPLIFICATIONS:
        console.print(f"  [dim]simplification:[/dim] {line}")
    out_dir = Path(out_dir) / "pinunu"
    write_json(out_dir / "pinunu_results.json", stamp(summary, cards=["na62_pinunu_published"]))
    card = load_card("na62_pinunu_published", PinunuCard)
    combo = CountingModel(categories(card, card.dataset("2016-22 (2 categories)")))
    write_json(out_dir / "pinunu_2016_22_pyhf_workspace.json", to_pyhf_workspace(combo))
    png = likelihood_scan_figure(summary, out_dir / "pinunu_likelihood_scan.png")
    console.print(f"  wrote {out_dir / 'pinunu_results.json'}, {png.name}, pyhf workspace")
    return {"datasets": {r["name"]: {k: r[k] for k in ("br", "br_err_up", "br_err_down",
                                                         "significance_bkg_only", "tension_sigma",
                                                         "upper_limit_br")} for r in summary["datasets"]}}
