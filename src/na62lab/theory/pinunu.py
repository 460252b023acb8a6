"""SM prediction of BR(K+ -> pi+ nu nubar).

Formula (Buras, Buchalla, Gorbahn et al.; here as in Buras, Buttazzo,
Girrbach-Noe, Knegjens, JHEP 11 (2015) 033, arXiv:1503.02693, eq. 3-4):

    BR = kappa_+ (1 + Delta_EM) [ (Im lambda_t X_t / lambda^5)^2
                                 + (Re lambda_c P_c / lambda + Re lambda_t X_t / lambda^5)^2 ],

with ``kappa_+ = 5.173e-11 (lambda / 0.225)^8`` and ``lambda_i = V_is^* V_id``.
Uncertainties: linear propagation of independent Gaussian input errors with
numerical derivatives (central differences).

Examples
--------
>>> from na62lab.config.theory import PinunuSMInputs
>>> round(sm_branching_ratio(PinunuSMInputs()) / 1e-11, 2)
8.61
"""

from __future__ import annotations

import numpy as np

from na62lab.config.theory import PinunuSMInputs
from na62lab.theory.ckm import ckm_matrix, lambda_i

_VARIED = ("lam", "vcb", "beta_deg", "gamma_deg", "x_t", "p_c", "kappa_plus")

KAPPA_LAMBDA_REF = 0.225
"""Wolfenstein lambda at which kappa_+ is quoted, kappa_+ = 5.173e-11 (lambda/0.225)^8 (Mescia & Smith,
PRD 76 (2007) 034017, as used in arXiv:1503.02693): a fixed reference of the formula, not the card's lambda."""


def sm_branching_ratio(inp: PinunuSMInputs) -> float:
    """Central BR(K+ -> pi+ nu nubar) for the given inputs (dimensionless)."""
    V = ckm_matrix(inp.lam, inp.vcb, inp.beta_deg, inp.gamma_deg)
    lt, lc = lambda_i(V, "t"), lambda_i(V, "c")
    lam5 = inp.lam**5
    kappa = inp.kappa_plus * (inp.lam / KAPPA_LAMBDA_REF) ** 8
    return kappa * (1 + inp.delta_em) * ((lt.imag * inp.x_t / lam5) ** 2
                                         + (lc.real * inp.p_c / inp.lam + lt.real * inp.x_t / lam5) ** 2)


def sm_prediction(inp: PinunuSMInputs | None = None) -> dict:
    """BR, its 1-sigma error and the error budget (per input, in BR units).

    Returns
    -------
    dict
        ``br``, ``br_err``, ``error_budget`` (input -> contribution) and
        ``inputs`` (the values used).
    """
    inp = inp or PinunuSMInputs()
    central = sm_branching_ratio(inp)
    budget = {}
    for name in _VARIED:
        err = getattr(inp, f"{name}_err")
        if err == 0:
            continue
        h = err * 1e-2
        up = sm_branching_ratio(inp.model_copy(update={name: getattr(inp, name) + h}))
        dn = sm_branching_ratio(inp.model_copy(update={name: getattr(inp, name) - h}))
        budget[name] = abs(up - dn) / (2 * h) * err
    total = float(np.sqrt(sum(v * v for v in budget.values())))
    return {"br": central, "br_err": total, "error_budget": budget, "inputs": inp.model_dump(),
            "formula": "Buras et al. arXiv:1503.02693 eq. 3-4; linear error propagation"}
