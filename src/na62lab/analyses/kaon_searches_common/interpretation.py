"""Branching-ratio limits read as couplings of the PBC benchmarks (BC2, BC4, BC10, BC11; BC6, BC7).

For a model of :mod:`na62lab.fips` with coupling g, the search expects

    N(m, g) / N_limit(m) = BR_prod(m, g) x F(m, g) / BR_up(m),

with BR_up the 90 % CL limit of a stable (invisible searches) or prompt
(visible searches) particle and F the fraction of produced particles that
give the searched signature:

* invisible searches: F = P_escape + (1 - P_escape) BR_inv (the particle
  escapes the detector, or decays inside into invisible channels such as
  dark matter or three neutrinos);
* visible searches: F = sum of the BR of the required channels x P of the
  lifetime condition (decay before the calorimeter, within the vertex
  distance, or in the decay volume).

P uses c tau(m, g) of the model and the X momenta of the resolution model
(:mod:`.lifetime`).  A grid of couplings (log-spaced) is excluded where the
ratio is >= 1; the excluded coupling interval at each mass is reported (the
lower edge set by the production rate, the upper by the lifetime).

BC2 reads K+ -> pi+ A' (A' -> invisible): the production BR is
:func:`na62lab.fips.dark_photon.br_k_pi_dark_photon` (Gamma(K+ -> pi+ A') from the
K+ -> pi+ gamma* form factor, arXiv:1402.3620; APPROXIMATE, see its docstring),
re-exported here under the same name for existing callers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from na62lab.analyses.kaon_searches_common import lifetime as lt
from na62lab.config.searches import Interpretation, Lifetime
from na62lab.errors import InputError
from na62lab.fips.dark_photon import br_k_pi_dark_photon
from na62lab.physics.units import GeV

__all__ = ["CouplingLimit", "br_k_pi_dark_photon", "coupling_grid", "coupling_limits", "interpret", "production_br",
           "require_below_cap", "signal_fraction"]

INVISIBLE_CHANNELS = ("invisible", "nununu", "chichi")

GRID_EDGE_NOTE = "exclusion reaches the edge of the coupling grid at some masses"
"""Note of a reading or recast whose interval reaches the first or last coupling of its grid (that edge is
open, not a limit; :func:`na62lab.results.search_report.pbc_figure` draws it dotted)."""
"""Decay channels that leave no trace in the detector."""
N_COUPLINGS = 300


@dataclass
class CouplingLimit:
    """Excluded couplings at each mass (MeV): [lower, upper] or NaN where nothing is excluded."""

    benchmark: str
    model: str
    coupling_name: str
    masses: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    note: str = ""

    def to_dict(self) -> dict:
        """JSON-able (masses in GeV)."""
        from na62lab.results.style import coupling_text  # the name users read (1/f_G [GeV^-1])

        return {"benchmark": self.benchmark, "model": self.model,
                "coupling_name": coupling_text(self.coupling_name),
                "masses_gev": self.masses / GeV, "excluded_lower": self.lower, "excluded_upper": self.upper,
                "note": self.note}


def require_below_cap(model, coupling_range, field: str = "coupling_range") -> None:
    """Refuse a coupling range (model convention) that starts at or above the model's ``max_coupling``: none of
    it is inside the validity of the production rates (HNL: :data:`na62lab.fips.hnl.U2_FIRST_ORDER_MAX`).
    ``field`` names the input in the one-line error (a card's ``coupling_range``, recast's ``--coupling-range``)."""
    cap = getattr(model, "max_coupling", None)
    lo, hi = (float(x) for x in coupling_range)
    if cap is not None and lo >= cap:
        raise InputError(field, f"{lo:g},{hi:g}", f"LOW below {cap:g}: {model.max_coupling_note}")


def coupling_grid(model, coupling_range, n: int = N_COUPLINGS) -> tuple[np.ndarray, str]:
    """The log-spaced coupling grid of a reading, stopped at the model's ``max_coupling``, and the note to print.

    The points below the bound are those of the full grid (the results there are unchanged) and the bound
    itself closes the grid, so an exclusion reaching it is open ('>'); the note is the model's
    ``max_coupling_note`` after the cap (HNL: :data:`na62lab.fips.hnl.U2_FIRST_ORDER_MAX`), empty when nothing
    was cut.
    """
    lo, hi = (float(x) for x in coupling_range)
    g = np.logspace(np.log10(lo), np.log10(hi), n)
    cap = getattr(model, "max_coupling", None)
    if cap is None or hi <= cap:
        return g, ""
    require_below_cap(model, (lo, hi))
    from na62lab.results.style import coupling_text

    return np.append(g[g < cap], cap), f"{coupling_text(model.coupling_name)} grid capped at {cap:g}: " \
                                       f"{model.max_coupling_note}"


def production_br(model, interp: Interpretation, m: np.ndarray, g: np.ndarray) -> np.ndarray:
    """BR of the reading's production channel on the (mass MeV, coupling) grid, shape (M, G)."""
    if interp.production == "K+->pi+A":
        return br_k_pi_dark_photon(m[:, None], g[None, :])
    if interp.production not in model.production_channels:
        raise InputError("production", interp.production,
                         f"a production channel of {interp.model}: {', '.join(model.production_channels) or 'none'}")
    return model.production_branching_ratios(m[:, None], g[None, :])[interp.production]


def signal_fraction(model, interp: Interpretation, m: np.ndarray, g: np.ndarray, p_quantiles: np.ndarray,
                    geometry: Lifetime, visible: bool) -> np.ndarray:
    """F(m, g) of the module docstring, shape (M, G)."""
    ctau = model.ctau(m[:, None], g[None, :])
    brs = model.branching_ratios(m[:, None], g[None, :])
    kind = interp.lifetime or geometry.kind
    p = lt.mean_acceptance(kind, p_quantiles, m, np.broadcast_to(ctau, (m.size, g.size)), geometry)
    if not visible:
        br_inv = sum((brs[c] for c in INVISIBLE_CHANNELS if c in brs), np.zeros((m.size, g.size)))
        return p + (1.0 - p) * br_inv
    missing = [c for c in interp.decays if c not in brs]
    if missing:
        raise InputError("decays", missing, f"decay channels of {interp.model}: {', '.join(brs)}")
    return sum(brs[c] for c in interp.decays) * p


def coupling_limits(interp: Interpretation, masses, br_limit, p_quantiles, geometry: Lifetime) -> CouplingLimit:
    """Excluded coupling range per mass for one PBC reading of a BR limit.

    Parameters
    ----------
    interp : Interpretation
        Benchmark, model, production channel, required decays (empty: invisible search).
    masses : array_like
        Masses (MeV).
    br_limit : array_like
        Upper limits on the production BR (times the visible BR) for a stable
        or prompt particle, at ``masses``.
    p_quantiles : array_like, shape (M, Q)
        X lab momenta (MeV) from the search's resolution model.
    geometry : Lifetime
        The search's decay geometry; ``interp.lifetime`` overrides its kind.
    """
    from na62lab.fips import get_model

    model = get_model(interp.model)
    m = np.asarray(masses, dtype=float)
    g, capped = coupling_grid(model, interp.coupling_range)
    with np.errstate(all="ignore"):
        ratio = (production_br(model, interp, m, g) * signal_fraction(model, interp, m, g, p_quantiles, geometry,
                                                                     bool(interp.decays))
                 / np.asarray(br_limit, dtype=float)[:, None])
    ratio = np.nan_to_num(ratio, nan=0.0)
    excl = ratio >= 1.0
    any_ex = excl.any(axis=1)
    lo = np.where(any_ex, g[np.argmax(excl, axis=1)], np.nan)
    hi = np.where(any_ex, g[g.size - 1 - np.argmax(excl[:, ::-1], axis=1)], np.nan)
    edge = any_ex & (excl[:, 0] | excl[:, -1])
    note = "; ".join(n for n in (GRID_EDGE_NOTE if edge.any() else "", capped) if n)
    return CouplingLimit(interp.benchmark, interp.model, model.coupling_name, m, lo, hi, note)


def interpret(interps, masses, br_limit, p_quantiles, geometry: Lifetime) -> tuple[list[CouplingLimit], list[str]]:
    """All readings of a search; a model without the needed production channel is skipped with a note."""
    out, notes = [], []
    for interp in interps:
        try:
            out.append(coupling_limits(interp, masses, br_limit, p_quantiles, geometry))
        except InputError as exc:
            notes.append(f"{interp.benchmark} ({interp.model}): skipped, {exc}")
    return out, notes
