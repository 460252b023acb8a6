"""Statistics commands: ``measure``, ``limit``, ``discovery``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from na62lab.cli.common import console, emit_json
from na62lab.cli.deprecated import deprecated
from na62lab.cli.main import app
from na62lab.errors import InputError, require

METHOD_NAMES = {"cls": "CLs", "clsb": "CLs+b", "fc": "Feldman-Cousins"}
"""How the printed line names each ``--method`` (it read 'CLS', 'CLSB')."""
JSON = Annotated[bool, typer.Option("--json", help="print exactly one JSON object on stdout")]
SHAPE = Annotated[str, typer.Option("--shape", help="background constraint: lognormal or gaussian")]


def _per_category(name: str, values: list[float] | None, n: int, default: float | None) -> list:
    """Broadcast an optional repeated option to one value per category."""
    if not values:
        return [default] * n
    if len(values) != n:
        raise InputError(name, len(values), f"given once per category ({n} times) or not at all")
    return list(values)


def _categories(observed, background, background_up, background_down, ses, ses_error, shape):
    from na62lab.stats.model import Category

    n = len(observed)
    require(n > 0, "--observed", None, "at least one value")
    require(len(background) == n, "--background", len(background), f"one per --observed ({n})")
    require(len(ses) == n, "--ses", len(ses), f"one per --observed ({n})")
    ups = _per_category("--background-up", background_up, n, 0.0)
    downs = _per_category("--background-down", background_down, n, None)
    errs = _per_category("--ses-error", ses_error, n, 0.0)
    return tuple(Category.build(o, b, s, u, d, e, shape, name=f"cat{i}")
                 for i, (o, b, s, u, d, e) in enumerate(zip(observed, background, ses, ups, downs, errs)))


@app.command()
def measure(
    observed: Annotated[list[int], typer.Option("--observed", help="observed events (repeat per category)")],
    background: Annotated[list[float], typer.Option("--background", help="expected background events")],
    ses: Annotated[list[float], typer.Option("--ses", help="single-event sensitivity (BR units)")],
    background_up: Annotated[Optional[list[float]], typer.Option("--background-up", help="+1 sigma (events)")] = None,
    background_down: Annotated[Optional[list[float]], typer.Option("--background-down",
                                                                   help="-1 sigma (events)")] = None,
    ses_error: Annotated[Optional[list[float]], typer.Option("--ses-error", help="1 sigma error of the SES")] = None,
    reference: Annotated[Optional[float], typer.Option("--reference", help="reference BR, e.g. the SM")] = None,
    reference_error: Annotated[float, typer.Option("--reference-error", help="1 sigma of the reference")] = 0.0,
    nuisance: Annotated[str, typer.Option("--nuisance", help="profile or marginalise")] = "profile",
    shape: SHAPE = "lognormal",
    pyhf_workspace: Annotated[Optional[Path], typer.Option("--pyhf-workspace",
                                                           help="also write the model as pyhf JSON")] = None,
    json_out: JSON = False,
) -> None:
    """Measure a branching ratio from counting categories (ML fit, 68% interval, significance)."""
    from na62lab.stats.measurement import measure as do_measure
    from na62lab.stats.model import CountingModel, check_kind

    check_kind(shape)
    if reference is not None:    # 1e300 leaked RuntimeWarnings, --reference-error 1e300 was exit 70
        require(0 <= reference <= 1, "--reference", reference, "a branching ratio in [0, 1]")
    require(reference_error <= 1, "--reference-error", reference_error, "a branching-ratio error in [0, 1]")
    model = CountingModel(_categories(observed, background, background_up, background_down, ses, ses_error, shape),
                          nuisance=nuisance)
    res = do_measure(model, reference, reference_error)
    if pyhf_workspace is not None:
        from na62lab.results.io import write_json
        from na62lab.stats.pyhf_export import to_pyhf_workspace

        write_json(pyhf_workspace, to_pyhf_workspace(model))
    out = res.to_dict()
    if reference is None:
        out.pop("tension_sigma"), out.pop("reference")
    out["inputs"] = model.describe()
    if json_out:
        emit_json(out)
        return
    console.print(f"BR = {res.br:.4g} +{res.br_err_up:.3g} -{res.br_err_down:.3g}  (68% CL, {nuisance}d nuisances)")
    exact = out.get("p_value_bkg_only_exact")     # one category: the exact Poisson p (README; was JSON-only)
    console.print(f"background-only: p = {res.p_value_bkg_only:.3g}, Z = {res.significance_bkg_only:.2f} (asymptotic)"
                  + (f"; exact Poisson p = {exact:.3g}" if exact is not None else ""))
    if reference is not None:
        console.print(f"tension with reference {reference:.4g} +- {reference_error:.2g}: "
                      f"{res.tension_sigma:+.2f} sigma")


@app.command()
def limit(
    observed: Annotated[int, typer.Option("--observed", help="observed events")],
    background: Annotated[float, typer.Option("--background", help="expected background events")],
    background_up: Annotated[float, typer.Option("--background-up", help="+1 sigma of the background (events)")] = 0.0,
    background_down: Annotated[Optional[float], typer.Option(
        "--background-down", help="-1 sigma of the background (events); default: --background-up")] = None,
    ses: Annotated[Optional[float], typer.Option("--ses",
                                                 help="single-event sensitivity: also give a BR limit")] = None,
    ses_error: Annotated[float, typer.Option("--ses-error", help="1 sigma error of the SES (cls only)")] = 0.0,
    cl: Annotated[float, typer.Option("--cl", help="confidence level")] = 0.9,
    method: Annotated[str, typer.Option("--method", help="cls, clsb or fc (Feldman-Cousins interval)")] = "cls",
    nuisance: Annotated[str, typer.Option(
        "--nuisance", help="marginalise (background averaged over its constraint)")] = "marginalise",
    shape: SHAPE = "lognormal",
    json_out: JSON = False,
) -> None:
    """Upper limit on a Poisson signal (exact), or the Feldman-Cousins interval, with the expected limit and bands."""
    from na62lab.stats.limits import expected_limit_bands, upper_limit

    if ses is not None:
        require(ses > 0, "--ses", ses, "a positive single-event sensitivity")
    ul = upper_limit(observed, background, background_up, background_down, cl, method, nuisance, shape)
    exp = expected_limit_bands(background, background_up, background_down, cl, method, nuisance, shape)
    out = {"upper_limit_events": ul, "expected_limit_events": exp["median"],
           "expected_band_1sigma": list(exp["band_1sigma"]), "expected_band_2sigma": list(exp["band_2sigma"]),
           "cl": cl, "method": method, "nuisance": nuisance, "background_shape": shape}
    if method == "fc":
        out["lower_limit_events"], out["upper_limit_events"] = _fc_interval(observed, background, background_up,
                                                                            background_down, cl, shape)
    if ses is not None:
        out["upper_limit_br"] = _limit_br(observed, background, background_up, background_down, ses, ses_error,
                                          cl, method, shape, out["upper_limit_events"])
        out["expected_limit_br"] = exp["median"] * ses
        if method == "fc":
            out["lower_limit_br"] = out["lower_limit_events"] * ses
    if json_out:
        emit_json(out)
        return
    if method == "fc":
        lo, hi = out["lower_limit_events"], out["upper_limit_events"]
        console.print(f"FC {cl:.0%} CL interval: [{lo:.4g}, {hi:.4g}] signal events"
                      + (f" -> BR in [{out['lower_limit_br']:.4g}, {out['upper_limit_br']:.4g}]" if ses else "")
                      + (" (excludes zero)" if lo > 0 else " (lower edge 0: an upper limit)"))
    else:
        console.print(f"{METHOD_NAMES.get(method, method)} {cl:.0%} CL upper limit: {ul:.4g} signal events"
                      + (f" -> BR < {out['upper_limit_br']:.4g}" if ses else ""))
    console.print(f"expected (b only): {exp['median']:.4g} events; 1 sigma [{exp['band_1sigma'][0]:.3g}, "
                  f"{exp['band_1sigma'][1]:.3g}], 2 sigma [{exp['band_2sigma'][0]:.3g}, {exp['band_2sigma'][1]:.3g}]")


def _fc_interval(observed, background, up, down, cl, shape) -> tuple[float, float]:
    """The Feldman-Cousins interval (lower, upper) in signal events (PRD 57 (1998) 3873, background marginalised)."""
    from na62lab.stats.feldman_cousins import fc_interval
    from na62lab.stats.nuisance import Uncertain

    return fc_interval(int(observed), Uncertain(float(background), float(up), float(up if down is None else down),
                                                shape), cl)


def _limit_br(observed, background, up, down, ses, ses_error, cl, method, shape, ul_events) -> float:
    """BR limit: events x SES, or the exact CLs with the SES uncertainty marginalised."""
    if ses_error <= 0:
        return ul_events * ses
    require(method == "cls", "--ses-error", ses_error, "only with --method cls")
    from na62lab.stats.model import Category, CountingModel
    from na62lab.stats.multibin import cls_upper_limit_br

    cat = Category.build(observed, background, ses, up, down, ses_error, shape)
    return cls_upper_limit_br(CountingModel((cat,)), cl)


@app.command()
def discovery(
    background: Annotated[float, typer.Option("--background", help="expected background events")],
    background_up: Annotated[float, typer.Option("--background-up", help="+1 sigma of the background (events)")] = 0.0,
    background_down: Annotated[Optional[float], typer.Option(
        "--background-down", help="-1 sigma of the background (events); default: --background-up")] = None,
    sigma: Annotated[float, typer.Option("--sigma", help="one-sided significance Z")] = 5.0,
    shape: SHAPE = "lognormal",
    json_out: JSON = False,
    background_error: Annotated[Optional[float], typer.Option("--background-error", hidden=True)] = None,
) -> None:
    """Minimum observed count for a one-sided Z-sigma discovery."""
    from na62lab.stats.discovery import min_observed

    if background_error is not None:  # deprecated spelling, kept working
        deprecated("--background-error", "--background-up (and --background-down)")
        background_up = background_error
    down = background_up if background_down is None else background_down
    require(background_up >= 0 and down >= 0, "--background-up/--background-down", (background_up, down),
            "errors >= 0 (events)")
    n, p = min_observed(background, (float(background_up), float(down)), sigma, shape)
    out = {"min_observed": n, "p_value_at_min": p, "sigma": sigma, "background": background,
           "background_up": background_up, "background_down": down}
    if json_out:
        emit_json(out)
        return
    console.print(f"{n} observed events give p = {p:.3g} (>= {sigma:g} sigma) for b = {background:g} "
                  f"+{background_up:g} -{down:g}")
