"""``na62lab fip``: feebly-interacting particle models (lifetimes, branching ratios, production).

Units on the command line: ``--mass`` in GeV; the coupling convention depends
on the model (see ``na62lab fip info --help``).  Output lengths in metres and
widths in GeV.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import typer

from na62lab.cli.common import console, emit_json
from na62lab.cli.main import app
from na62lab.errors import InputError, require
from na62lab.results.style import coupling_text

COUPLINGS_HELP = (
    "Coupling, by model: dark-photon / dark-photon-invisible: epsilon (kinetic mixing); "
    "dark-scalar / dark-scalar-bc5: theta (mixing angle, NOT squared); alp-photon: g_agg in GeV^-1; "
    "alp-fermion: g_Y (PBC BC10: universal shift-symmetric couplings c_ff/Lambda = g_Y/v, on shell equal to "
    "g_Y m_f/v a f i g5 f); alp-gluon: 1/f_G in GeV^-1 (PBC BC11: L = alpha_s/(8 pi f_G) a G Gtilde); "
    "hnl-e / hnl-mu / hnl-tau: |U|^2 (squared mixing)."
)
MODELS_HELP = ("FIP model: dark-photon, dark-photon-invisible, dark-scalar, dark-scalar-bc5, alp-photon, alp-fermion, "
               "alp-gluon, hnl-e, hnl-mu, hnl-tau; or a user model: path/file.py:ClassName, module:ClassName, a "
               "plug-in or a model table (.yaml/.csv)")

fip_app = typer.Typer(help="Feebly-interacting particles: lifetimes, decay and production branching ratios. "
                      + COUPLINGS_HELP, no_args_is_help=True)
app.add_typer(fip_app, name="fip")

ModelOpt = Annotated[str, typer.Option("--model", help=MODELS_HELP)]
MassOpt = Annotated[float, typer.Option("--mass", help="FIP mass in GeV")]
CouplingOpt = Annotated[float, typer.Option("--coupling", help=COUPLINGS_HELP)]
JsonOpt = Annotated[bool, typer.Option("--json", help="print exactly one JSON object on stdout")]


def _model(name: str):
    from na62lab.fips import get_model
    return get_model(name)


def _mass_mev(mass_gev: float) -> float:
    from na62lab.fips.base import check_mass
    from na62lab.physics.units import GeV
    return float(check_mass(mass_gev, "mass")) * GeV


def _coupling(value: float) -> float:
    from na62lab.fips.base import check_coupling
    return float(check_coupling(value, "coupling"))


def info_summary(model_name: str, mass_gev: float, coupling: float) -> dict:
    """Lifetime, total width and decay branching ratios at one point (GeV and metres); the mass must be > 0."""
    from na62lab.physics.units import GeV, m
    model, mass, g = _model(model_name), _mass_mev(mass_gev), _coupling(coupling)
    model.check_valid_mass(mass_gev, "--mass")
    require(mass > 0, "--mass", mass_gev, "a FIP mass > 0 GeV (a massless FIP has no decays)")
    with np.errstate(all="ignore"):     # the check below names what over- or underflowed
        ctau = float(model.ctau(mass, g))
        brs = {k: float(v) for k, v in model.branching_ratios(mass, g).items()}
        width = float(model.total_width(mass, g))
    # --mass 1e-300 printed 'width = nan GeV' (m^2 underflows), alp-photon --coupling 1e300 'width = inf GeV'
    require(np.isfinite(width) and all(np.isfinite(list(brs.values()))), "--mass/--coupling",
            f"{mass_gev:g} GeV, {g:g}", "a point where the width is a finite number (here it over- or underflows)")
    with np.errstate(all="ignore"):    # a user model's sign error printed 'width = -1e-13 GeV', 'stable'
        negative = [k for k, v in model.reduced_widths(mass).items() if np.any(np.asarray(v) < 0)]
    require(width >= 0 and not negative, "--model", model_name, f"partial widths >= 0 ({model.name}: "
            f"{', '.join(negative) or 'the total'} < 0 at {mass_gev:g} GeV)")
    return {"model": model.name, "mass_gev": mass_gev, "coupling": g,
            "coupling_name": coupling_text(model.coupling_name),
            "ctau_m": ctau / m if np.isfinite(ctau) else None, "stable": not np.isfinite(ctau),
            "width_gev": width / GeV,
            "branching_ratios": {k: v for k, v in brs.items() if v > 0}, "width_note": model.width_note}


def production_summary(model_name: str, mass_gev: float, coupling: float, channel: str | None = None) -> dict:
    """Production branching ratios (per parent decay) at one point; rejects masses above the kinematic limit."""
    from na62lab.physics.units import GeV
    model, mass, g = _model(model_name), _mass_mev(mass_gev), _coupling(coupling)
    model.check_valid_mass(mass_gev, "--mass")
    limits = model.production_thresholds()
    require(bool(limits), "model", model_name,
            "a model with meson-decay production (alp-photon is produced by Primakoff: see na62lab.fips.alp)")
    model.check_production_mass(mass, channel)
    cap = model.max_coupling           # HNL: the production rates are first order in |U|^2 (na62lab.fips.hnl)
    require(cap is None or g <= cap, "--coupling", g, f"at most {cap} for {model.name}'s production rates: "
            f"{model.max_coupling_note}")
    with np.errstate(all="ignore"):    # mass 0 is allowed (K+ -> pi+ X, X massless): 0/0 of the decay side only
        brs = model.production_branching_ratios(mass, g)
        angles = (model.mixing_angles(mass) if hasattr(model, "mixing_angles") and model.cGG else None)
    if channel is not None:
        brs = {channel: brs[channel]}
    out = {"model": model.name, "mass_gev": mass_gev, "coupling": g,
           "coupling_name": coupling_text(model.coupling_name),
           "branching_ratios": {k: float(v) for k, v in brs.items()},
           "parents": {k: model.production_parents.get(k, k.split("->")[0]) for k in brs},
           "kinematic_limits_gev": {k: limits[k] / GeV for k in brs}}
    if angles is not None:
        mixing = {k: float(v) * g + 0.0 for k, v in angles.items()}     # + 0.0: no '-0' printed
        out["mixing_angles"] = {k: v for k, v in mixing.items() if np.isfinite(v)}
    return out


@fip_app.command("info")
def info(model: ModelOpt, mass: MassOpt, coupling: CouplingOpt, json_out: JsonOpt = False) -> None:
    """c*tau (m), total width (GeV) and decay branching ratios of a FIP."""
    res = info_summary(model, mass, coupling)
    if json_out:
        emit_json(res)
        return
    ctau = "stable (zero width: no open channel or zero coupling)" if res["stable"] else f"{res['ctau_m']:.4g} m"
    console.print(f"{res['model']}  m = {mass:g} GeV  {res['coupling_name']} = {res['coupling']:g}")
    console.print(f"  c tau = {ctau}   width = {res['width_gev']:.4g} GeV")
    for k, v in sorted(res["branching_ratios"].items(), key=lambda kv: -kv[1]):
        console.print(f"  BR({k:<12s}) = {v:.4g}")
    if res["width_note"]:
        console.print(f"  note: {res['width_note']}")


@fip_app.command("production")
def production(model: ModelOpt, mass: MassOpt, coupling: CouplingOpt,
               channel: Annotated[Optional[str], typer.Option("--channel", help="one production channel, "
                                                             "e.g. 'K+->pi+S'")] = None,
               json_out: JsonOpt = False) -> None:
    """Branching ratios of parent-meson decays into the FIP (e.g. pi0->gammaA, K+->pi+S, K+->e+N); for the gluon ALP
    also its pi0/eta/eta' mixing angles (dump production N_a ~ N_P theta^2)."""
    res = production_summary(model, mass, coupling, channel)
    if json_out:
        emit_json(res)
        return
    console.print(f"{res['model']}  m = {mass:g} GeV  {res['coupling_name']} = {res['coupling']:g}")
    for k, v in res["branching_ratios"].items():
        console.print(f"  BR({k:<14s}) = {v:.4g}   (kinematic limit {res['kinematic_limits_gev'][k]:.4g} GeV)")
    for k, v in res.get("mixing_angles", {}).items():
        console.print(f"  theta(a-{k}) = {v:.4g}")


def parse_range(name: str, text: str) -> tuple[float, float]:
    """``"LOW,HIGH"`` -> (low, high) with 0 < low < high, or a one-line InputError naming ``name``."""
    try:
        lo, hi = (float(x) for x in text.split(","))
    except ValueError:
        raise InputError(name, text, "LOW,HIGH (two numbers separated by a comma)") from None
    require(0 < lo < hi, name, text, "LOW,HIGH with 0 < LOW < HIGH")
    return lo, hi


@fip_app.command("plot")
def plot(model: ModelOpt,
         out: Annotated[Path, typer.Option("--out", help="output folder for the figures (PNG and PDF)")],
         mass_range: Annotated[Optional[str], typer.Option(
             "--mass-range", help="LOW,HIGH in GeV; default 0.01,3 within the model's valid masses")] = None,
         coupling: Annotated[Optional[list[float]], typer.Option(
             "--coupling", help="coupling for the lifetime figure (repeat; default: three model-specific values); "
                                + COUPLINGS_HELP)] = None,
         json_out: JsonOpt = False,
         mass_min: Annotated[Optional[float], typer.Option("--mass-min", hidden=True)] = None,
         mass_max: Annotated[Optional[float], typer.Option("--mass-max", hidden=True)] = None,
         couplings: Annotated[Optional[str], typer.Option("--couplings", hidden=True)] = None) -> None:
    """Lifetime (c*tau vs mass) and decay branching-ratio figures, written atomically as PNG and PDF."""
    from na62lab.cli.deprecated import deprecated
    from na62lab.fips.plots import plot_branching_ratios, plot_lifetime

    fip = _model(model)
    given = mass_range is not None or mass_min is not None or mass_max is not None
    if mass_range is None:     # the default, cut to the masses where the model is defined (a table's own range)
        valid = fip.valid_mass_gev or (0.0, np.inf)
        mass_range = f"{max(0.01, valid[0]):g},{min(3.0, valid[1]):g}"
    if mass_min is not None or mass_max is not None:  # deprecated spellings, kept working
        deprecated("--mass-min/--mass-max", "--mass-range LOW,HIGH")
        lo, hi = parse_range("--mass-range", mass_range)
        mass_range = f"{lo if mass_min is None else mass_min},{hi if mass_max is None else mass_max}"
    if couplings is not None:
        deprecated("--couplings A,B", "--coupling A --coupling B")
        try:
            coupling = [float(x) for x in couplings.split(",")]
        except ValueError:
            raise InputError("--couplings", couplings, "comma-separated numbers") from None
    mass_min, mass_max = parse_range("--mass-range", mass_range)
    if given:
        fip.check_valid_mass((mass_min, mass_max), "--mass-range")
    values = [_coupling(g) for g in coupling] if coupling else None
    for g in values or ():      # c tau is infinite at 0: the log axis had nothing to draw (internal error, exit 70)
        require(g > 0, "--coupling", g, "a coupling > 0 for the lifetime figure")
    files = [plot_lifetime(fip, out / f"{fip.name}_ctau.png", mass_min, mass_max, values),
             plot_branching_ratios(fip, out / f"{fip.name}_br.png", mass_min, mass_max)]
    if json_out:
        emit_json({"model": fip.name, "files": [str(f) for f in files]})
        return
    for f in files:
        console.print(f"wrote {f} (and .pdf)")
