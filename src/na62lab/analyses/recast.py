"""Recasting published branching-ratio limits into the coupling plane of any FIP model.

A published table gives 90 % CL upper limits UL(m[, tau]) on BR(P+ -> d+ X)
(x BR(X -> visible channels) for visible searches) versus the X mass and, for
some searches, the X proper lifetime (one column per lifetime).  For a
model with coupling g the search would see

    N(m, g) / N_UL = BR_prod(m, g) x F(m, g) / UL(m, tau(m, g)),

and (m, g) is excluded where this is >= 1.  BR_prod is the model's own
production BR (e.g. BR(K+ -> pi+ X), BR(K+ -> mu+ N)); tau = c tau / c from
the model's total width.  F is:

* a table with lifetime columns (the published limit already contains the
  lifetime acceptance): F = sum of the model's BRs into the required visible
  channels (visible searches), or 1 + BR_inv (1 - P) / P (invisible searches,
  with P the escape probability: X decaying inside into invisible channels
  also counts, as in :mod:`.kaon_searches_common.interpretation`);
* a single column (prompt for a visible search, stable for an invisible one):
  F = the same BR factor x P(tau) / P(prompt or stable), with P the
  search's lifetime acceptance (:mod:`.kaon_searches_common.lifetime`).

Interpolation: log UL linear in mass, log UL linear in log tau between
columns.  Outside the lifetime columns the limit is extrapolated with the
search's lifetime acceptance, UL(tau) = UL(tau_edge) P(tau_edge) / P(tau)
(stated in the output).  Outside the table's mass range nothing is excluded.
The coupling edges are refined between grid points by log-linear
interpolation of the ratio.

Readers (HEPData YAML or plain CSV) and the interpolation of a table:
:mod:`na62lab.analyses.limit_tables` (re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from na62lab.analyses.limit_tables import (  # noqa: F401  (public import paths: na62lab.analyses.recast.*)
    LENGTH_UNITS,
    MASS_UNITS,
    TIME_UNITS,
    LimitTable,
    interpolate,
    lifetime_ns,
    mass_scale,
    read_csv,
    read_hepdata,
    read_limits,
)
from na62lab.errors import InputError, require
from na62lab.physics.units import GeV, c_light, mm, ns

if TYPE_CHECKING:
    from na62lab.analyses.kaon_searches_common.interpretation import CouplingLimit


# ------------------------------------------------------------------ mapping into a coupling plane
N_COUPLINGS = 400


def _acceptance(kind: str, pq: np.ndarray, masses: np.ndarray, ctau_mm, geometry) -> np.ndarray:
    from na62lab.analyses.kaon_searches_common import lifetime as lt

    return lt.mean_acceptance(kind, pq, masses, ctau_mm, geometry)


def limit_at(table: LimitTable, masses: np.ndarray, tau_ns: np.ndarray, p_of_tau) -> np.ndarray:
    """UL(m, tau) on a (M, G) lifetime grid, extrapolated beyond the columns with the decay probability.

    ``p_of_tau(tau_ns)`` returns the search's lifetime acceptance P for lifetimes
    of shape (M,) or (M, G).  Beyond the last (before the first) finite column
    UL(tau) = UL(tau_edge) P(tau_edge) / P(tau).
    """
    ul = interpolate(table, masses, tau_ns)
    taus = table.lifetimes_ns
    if taus is None:   # recast_table reads single-column tables without calling this
        raise InputError("limits", table.source, "lifetime columns (a limit on a lifetime grid)")
    for edge, outside in ((taus[0], tau_ns < taus[0]), (taus[-1], tau_ns > taus[-1])):
        if 0 < edge < np.inf and outside.any():
            p_edge = p_of_tau(np.full(masses.shape, edge))[:, None]
            p_tau = p_of_tau(tau_ns)
            with np.errstate(divide="ignore", invalid="ignore"):
                ul = np.where(outside, ul * p_edge / p_tau, ul)
    return ul


def limit_times_acceptance(table: LimitTable, masses: np.ndarray, tau_ns: np.ndarray, p_of_tau) -> np.ndarray:
    """UL(m, tau) x P(tau) on a (M, G) lifetime grid, finite where P underflows to 0.

    The denominator of the invisible-search ratio (module docstring).  Beyond the
    lifetime columns :func:`limit_at` extrapolates UL(tau) = UL(tau_edge) P(tau_edge) / P(tau),
    so the product is UL(tau_edge) P(tau_edge) there: taken in that form, a lifetime so short
    that P(tau) = 0 in floating point (e.g. an invisibly decaying dark photon, c tau ~ 1e-12 m)
    gives the edge value instead of 0 x inf = NaN (which read as no exclusion at all).
    """
    taus = table.lifetimes_ns
    if taus is None:   # recast_table reads single-column tables without calling this
        raise InputError("limits", table.source, "lifetime columns (a limit on a lifetime grid)")
    ul = interpolate(table, masses, tau_ns)        # clipped to the edge columns outside them
    out = ul * p_of_tau(tau_ns)
    for edge, outside in ((taus[0], tau_ns < taus[0]), (taus[-1], tau_ns > taus[-1])):
        if 0 < edge < np.inf and outside.any():
            p_edge = p_of_tau(np.full(masses.shape, edge))[:, None]
            out = np.where(outside, ul * p_edge, out)
    return out


def _edges(g: np.ndarray, ratio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Excluded [lower, upper] coupling per mass, the crossings of ratio = 1 refined log-linearly."""
    lg = np.log(g)
    with np.errstate(divide="ignore", invalid="ignore"):
        lr = np.log(np.where(ratio > 0, ratio, 1e-300))
    excl = ratio >= 1.0
    lo, hi = np.full(ratio.shape[0], np.nan), np.full(ratio.shape[0], np.nan)
    for i in np.flatnonzero(excl.any(axis=1)):
        a, b = int(np.argmax(excl[i])), ratio.shape[1] - 1 - int(np.argmax(excl[i, ::-1]))
        lo[i] = np.exp(_cross(lg, lr[i], a - 1, a)) if a > 0 else g[0]
        hi[i] = np.exp(_cross(lg, lr[i], b, b + 1)) if b < g.size - 1 else g[-1]
    return lo, hi


def _cross(lg: np.ndarray, lr: np.ndarray, i: int, j: int) -> float:
    if not (np.isfinite(lr[i]) and np.isfinite(lr[j])) or lr[i] == lr[j]:
        return float(lg[j] if lr[j] >= 0 else lg[i])
    return float(lg[i] + (0.0 - lr[i]) * (lg[j] - lg[i]) / (lr[j] - lr[i]))


@dataclass
class Recast:
    """A recast: excluded coupling interval per mass (MeV), the table used and the assumptions."""

    limit: CouplingLimit
    table: LimitTable
    search: str
    notes: list[str]
    coupling_grid: tuple[float, float] | None = None
    """First and last coupling of the grid the intervals were found on (model convention): an interval
    ending there is open (the exclusion continues beyond it)."""

    def to_dict(self) -> dict:
        """JSON-able (masses in GeV)."""
        return {**self.limit.to_dict(), "source": f"recast of BR-limit table {self.table.source}",
                "search": self.search, "table": self.table.to_dict(), "notes": self.notes,
                "coupling_grid": None if self.coupling_grid is None else list(self.coupling_grid)}


def recast_table(table: LimitTable, interp, geometry, p_quantiles, visible_search: bool | None = None,
                 model=None, n_couplings: int = N_COUPLINGS) -> Recast:
    """Map ``table`` into the coupling plane of ``interp.model`` (module docstring).

    Parameters
    ----------
    table : LimitTable
    interp : na62lab.config.searches.Interpretation
        Model, production channel, required visible decays (empty: invisible), coupling range.
    geometry : na62lab.config.searches.Lifetime
        The search's lifetime geometry (``interp.lifetime`` overrides its kind).
    p_quantiles : array_like, shape (M, Q)
        X lab momenta (MeV/c) at the table's masses.
    model : FIPModel, optional
        The model object (default: ``na62lab.fips.get_model(interp.model)``).
    """
    from na62lab.analyses.kaon_searches_common import interpretation as ki
    from na62lab.fips import get_model

    model = model or get_model(interp.model)
    m = table.masses_mev
    g, capped = ki.coupling_grid(model, interp.coupling_range, n_couplings)   # stops at model.max_coupling
    kind = interp.lifetime or geometry.kind
    visible = bool(interp.decays)
    pq = np.asarray(p_quantiles, dtype=float)
    brs = model.branching_ratios(m[:, None], g[None, :])
    missing = [c for c in interp.decays if c not in brs]
    require(not missing, "decays", missing, f"decay channels of {interp.model}: {', '.join(brs)}")
    f_br = sum((brs[c] for c in interp.decays), np.zeros((m.size, g.size))) if visible else \
        sum((brs[c] for c in ki.INVISIBLE_CHANNELS if c in brs), np.zeros((m.size, g.size)))
    ctau = np.broadcast_to(model.ctau(m[:, None], g[None, :]), (m.size, g.size))
    tau_ns = ctau * mm / c_light / ns

    def p_of_tau(t):
        return _acceptance(kind, pq, m, np.asarray(t, dtype=float) * ns * c_light / mm, geometry)

    p = p_of_tau(tau_ns)
    notes = list(table.notes) + ([capped] if capped else [])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        prod = ki.production_br(model, interp, m, g)
        if table.lifetimes_ns is None:
            p_ref = p_of_tau(np.full(m.shape, 0.0 if visible else np.inf))
            require(bool(np.all(p_ref > 0)), "limits", table.source,
                    f"lifetime columns: a single-column table is read as {'prompt' if visible else 'stable'}, "
                    f"which the {kind} acceptance excludes")
            frac = f_br * p if visible else p + (1.0 - p) * f_br
            ratio = prod * frac / p_ref[:, None] / interpolate(table, m)[:, None]
            notes.append(f"single-column table read as {'prompt' if visible else 'stable'} X; lifetime "
                         f"dependence from the search's {kind} acceptance")
        else:
            ratio = prod * f_br / limit_at(table, m, tau_ns, p_of_tau) if visible else \
                prod * (p + (1.0 - p) * f_br) / limit_times_acceptance(table, m, tau_ns, p_of_tau)
            notes.append(f"limits interpolated log-log between the published lifetime columns "
                         f"{table.lifetimes_ns.tolist()} ns; beyond them extrapolated with the search's {kind} "
                         "acceptance")
    ratio = np.nan_to_num(ratio, nan=0.0, posinf=1e300)
    lo, hi = _edges(g, ratio)
    edge = np.isfinite(lo) & ((lo <= g[0]) | (hi >= g[-1]))
    note = ki.GRID_EDGE_NOTE if edge.any() else ""
    if not np.isfinite(lo).any():
        note = (f"empty result: no {model.coupling_name} in {g[0]:.3g}-"
                f"{g[-1]:.3g} is excluded at any mass of the table")
    limit = ki.CouplingLimit(interp.benchmark, interp.model, model.coupling_name, m, lo, hi, note)
    return Recast(limit, table, "", notes, (float(g[0]), float(g[-1])))


RECAST_SEARCHES = ("pi-x", "pi-a-gammagamma", "pi-x-mumu", "pi-x-mumu-displaced", "hnl-e", "hnl-mu", "hnl-pi-e")
"""Searches whose geometry and kinematics a recast can use (peak searches)."""


def _search_card(search: str):
    from na62lab.analyses.kaon_searches import search_card

    require(search in RECAST_SEARCHES, "--search", search, f"one of {', '.join(RECAST_SEARCHES)}")
    if search == "pi-x-mumu-displaced":
        return search_card("pi-x-mumu", displaced=True)
    return search_card(search)


def _default_search(model_name: str, model=None) -> str:
    """The first search whose card reads the model, else the first whose P+ -> d+ X the model is produced in
    (e.g. the generic ``hnl`` in K+ -> e+ N), else ``pi-x``."""
    cards = {name: _search_card(name) for name in RECAST_SEARCHES}
    for name, card in cards.items():
        if any(i.model == model_name for i in card.interpretations):
            return name
    for name, card in cards.items():
        if any(c.startswith(f"{card.parent}->{card.daughter}") for c in getattr(model, "production_channels", ())):
            return name
    return "pi-x"


def _interpretation(card, model, model_name: str, production: str | None, decays: list[str] | None,
                    coupling_range: tuple[float, float] | None):
    from na62lab.config.searches import Interpretation

    base = next((i for i in card.interpretations if i.model == model_name), None)
    prefix = f"{card.parent}->{card.daughter}"
    require(production is None or production.replace(" ", "").startswith(prefix), "--production", production,
            f"a {prefix} X channel: the search's table limits BR({card.parent} -> {card.daughter} X)")
    if production is None:
        if base is not None:
            production = base.production
        else:
            options = [c for c in model.production_channels if c.startswith(prefix)]
            produced = (f"is produced only in {', '.join(model.production_channels)}" if model.production_channels
                        else "has no meson-decay production channel")
            require(bool(options), "--model", model_name, f"a model produced in {prefix} X for this search: "
                    f"{model_name} {produced}, so a {prefix} X limit cannot constrain it")
            require(len(options) == 1, "--production", None, f"one of {', '.join(options)} (several {prefix} X "
                    f"channels of {model_name})")
            production = options[0]
    if decays is None:
        decays = list(base.decays) if base is not None else []
    rng = coupling_range or (base.coupling_range if base is not None else tuple(model.default_coupling_range))
    bench = base.benchmark if base is not None else (model.pbc_label or "user model")
    return Interpretation(benchmark=bench, model=model_name, production=production, decays=list(decays),
                          coupling_range=rng)


def momenta(card, masses: np.ndarray) -> np.ndarray:
    """X lab momentum quantiles (MeV/c) at ``masses`` (MeV) from the search's smearing simulation."""
    from na62lab.analyses.kaon_searches_common import resolution as res

    nodes = res.mass_nodes(float(masses.min()), float(masses.max()))
    model = res.simulate_resolution(card.resolution.smearing, card.parent, card.daughter, nodes,
                                    card.daughter_momentum_gev, np.random.default_rng(card.resolution.smearing.seed))
    return model.at(model.p_quantiles, masses)


def recast_search(limits: str | Path, model_name: str, search: str | None = None, production: str | None = None,
                  decays: list[str] | None = None, table: str | None = None,
                  coupling_range: tuple[float, float] | None = None) -> Recast:
    """Read ``limits`` and recast it for ``model_name`` with the geometry and kinematics of ``search``.

    Parameters
    ----------
    limits : str or Path
        HEPData YAML table (or submission with ``table``) or CSV file.
    model_name : str
        A :mod:`na62lab.fips` model (built-in or registered).
    search : str, optional
        One of :data:`RECAST_SEARCHES` (default: the first whose card reads this model, else ``pi-x``).
    production : str, optional
        Production channel (default: the card's reading, or the model's only P+ -> d+ X channel).
    decays : list of str, optional
        Required visible decay channels (default: the card's reading; empty = invisible search).
    coupling_range : (float, float), optional
        Coupling grid (model convention).
    """
    from na62lab.analyses.kaon_searches_common.engine import kinematic_limit
    from na62lab.analyses.kaon_searches_common.interpretation import require_below_cap
    from na62lab.fips import get_model

    model = get_model(model_name)
    if coupling_range is not None:                   # HNL: first-order rates (fips.hnl)
        require_below_cap(model, coupling_range, "--coupling-range")
    name = search or _default_search(model_name, model)
    card = _search_card(name)
    tab = read_limits(limits, table)
    keep = tab.masses_mev < kinematic_limit(card)
    require(bool(keep.any()), "limits masses", (tab.masses_mev / GeV).tolist()[:3],
            f"masses below the {card.parent} -> {card.daughter} X kinematic limit")
    notes = [] if keep.all() else [f"{int((~keep).sum())} masses above the kinematic limit dropped"]
    tab = LimitTable(tab.masses_mev[keep], tab.limits[keep], tab.lifetimes_ns, tab.source, tab.cl, tab.notes + notes)
    interp = _interpretation(card, model, model_name, production, decays, coupling_range)
    out = recast_table(tab, interp, card.lifetime, momenta(card, tab.masses_mev), model=model)
    out.search = name
    if search is None:
        kind = "visible: " + ", ".join(interp.decays) if interp.decays else "invisible X"
        out.notes.insert(0, f"search {name} chosen by default for {model_name} ({kind}); give --search for "
                            f"another ({', '.join(RECAST_SEARCHES)})")
    return out
