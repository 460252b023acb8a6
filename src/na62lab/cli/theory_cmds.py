"""``na62lab theory``: Standard Model predictions."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from na62lab.cli.common import console, emit_json
from na62lab.cli.main import app

theory_app = typer.Typer(help="Standard Model predictions.", no_args_is_help=True)
app.add_typer(theory_app, name="theory")


def _opt(name: str, help_text: str):
    return typer.Option(name, help=help_text)


CARD_HELP = ("YAML file of SM inputs (any of: lam, vcb, vcb_err, beta_deg, beta_deg_err, gamma_deg, gamma_deg_err, "
             "x_t, x_t_err, p_c, p_c_err, kappa_plus, kappa_plus_err, delta_em); options override it")


@theory_app.command("pinunu")
def pinunu(
    card: Annotated[Optional[str], typer.Option("--card", help=CARD_HELP)] = None,
    lam: Annotated[Optional[float], _opt("--lam", "Wolfenstein lambda = |V_us|")] = None,
    vcb: Annotated[Optional[float], _opt("--vcb", "|V_cb|")] = None,
    vcb_error: Annotated[Optional[float], _opt("--vcb-error", "1 sigma error of |V_cb|")] = None,
    gamma_deg: Annotated[Optional[float], _opt("--gamma-deg", "CKM angle gamma (degrees)")] = None,
    gamma_deg_error: Annotated[Optional[float], _opt("--gamma-deg-error", "1 sigma error of gamma (degrees)")] = None,
    beta_deg: Annotated[Optional[float], _opt("--beta-deg", "CKM angle beta (degrees)")] = None,
    beta_deg_error: Annotated[Optional[float], _opt("--beta-deg-error", "1 sigma error of beta (degrees)")] = None,
    x_t: Annotated[Optional[float], _opt("--x-t", "top loop function X_t")] = None,
    p_c: Annotated[Optional[float], _opt("--p-c", "charm contribution P_c")] = None,
    p_c_error: Annotated[Optional[float], _opt("--p-c-error", "1 sigma error of P_c")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print exactly one JSON object on stdout")] = False,
    vcb_err: Annotated[Optional[float], typer.Option("--vcb-err", hidden=True)] = None,
    gamma_deg_err: Annotated[Optional[float], typer.Option("--gamma-deg-err", hidden=True)] = None,
    beta_deg_err: Annotated[Optional[float], typer.Option("--beta-deg-err", hidden=True)] = None,
    p_c_err: Annotated[Optional[float], typer.Option("--p-c-err", hidden=True)] = None,
) -> None:
    """BR(K+ -> pi+ nu nubar) in the SM (Buras et al. formula) with its uncertainty."""
    from na62lab.config.base import load_card, parse_card
    from na62lab.config.theory import PinunuSMInputs
    from na62lab.theory.pinunu import sm_prediction

    from na62lab.cli.deprecated import deprecated

    for old, value, new in (("vcb", vcb_err, "vcb_error"), ("gamma-deg", gamma_deg_err, "gamma_deg_error"),
                            ("beta-deg", beta_deg_err, "beta_deg_error"), ("p-c", p_c_err, "p_c_error")):
        if value is not None:  # deprecated spellings, kept working
            deprecated(f"--{old}-err", f"--{old}-error")
    vcb_error = vcb_error if vcb_err is None else vcb_err
    gamma_deg_error = gamma_deg_error if gamma_deg_err is None else gamma_deg_err
    beta_deg_error = beta_deg_error if beta_deg_err is None else beta_deg_err
    p_c_error = p_c_error if p_c_err is None else p_c_err
    base = load_card(card, PinunuSMInputs).model_dump() if card else {}
    flags = {"lam": lam, "vcb": vcb, "vcb_err": vcb_error, "gamma_deg": gamma_deg, "gamma_deg_err": gamma_deg_error,
             "beta_deg": beta_deg, "beta_deg_err": beta_deg_error, "x_t": x_t, "p_c": p_c, "p_c_err": p_c_error}
    base.update({k: v for k, v in flags.items() if v is not None})
    res = sm_prediction(parse_card(base, PinunuSMInputs))
    if json_out:
        emit_json(res)
        return
    console.print(f"SM BR(K+ -> pi+ nu nubar) = ({res['br'] / 1e-11:.2f} +- {res['br_err'] / 1e-11:.2f}) x 1e-11")
    for k, v in res["error_budget"].items():
        console.print(f"  from {k:<11s} {v / 1e-11:.3f} x 1e-11")
