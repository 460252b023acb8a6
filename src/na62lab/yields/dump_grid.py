"""Expected dump signal on a (mass, coupling) grid, per production mode and final state.

    N_exp(m, g) = N_POT x g^k x R_mode(m) x BR_fs(m, g) x E_mode,fs(m, c tau(m, g) / m) x A_trig

(PBC report, arXiv:1901.09966, N_exp = N_POT chi P_rd A; NA62, JHEP 09 (2023) 035:
N_POT chi P_rd A_acc A_trig, with chi = g^k R the
production per proton and E = <P_rd A_acc> per produced FIP from
:mod:`na62lab.yields.dump_tables`).  R, BR and c tau come from the FIP model
evaluated exactly at every grid point; only E is interpolated, from
efficiency tables built once per (model, card, mass nodes) and cached on disk
(``$NA62LAB_CACHE`` or ``~/.cache/na62lab``), so a 200 x 200 grid costs a
few table look-ups per point.  Couplings must be such that all widths and
production rates scale as g^k (true for the single-coupling PBC benchmarks).

Each task tracks ``mc.n_fip`` FIPs per parent species chosen from a pool of
``mc.pool_factor`` times as many, drawn with the momentum-tail proposal of
:func:`na62lab.generation.dump.sample.tail_ratio`, by their relevance to the
acceptance at every lifetime (:func:`na62lab.generation.dump.sample.thin`,
Horvitz-Thompson weights): the short-lived (upper-coupling) edges, set by the
rare most energetic FIPs in the acceptance, converge at the default n_fip.
With ``mc.acceptance_pilot`` > 0 the pool FIPs pointing at the detector are
first decayed that many times (:func:`na62lab.yields.dump_tables.pilot_acceptance`)
and the thinning prefers those selected (off-axis detectors such as SHADOWS,
whose upper edge rests on few energetic FIPs the selection keeps).

The efficiency tables are built in independent tasks (one per mode and mass
node), each seeded by its own key (:func:`task_seed`: the run seed and a hash of
the mode name and mass), so the result depends neither on the number of workers
nor on the order or number of the other production modes.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from na62lab.config.dump import DumpCard
from na62lab.errors import InputError, require
from na62lab.generation.dump.fip_decays import SEMILEPTONIC_INCLUSIVE, decay_mixture, final_state_threshold
from na62lab.generation.dump.sample import thin
from na62lab.generation.dump.sources import Sources, production_modes
from na62lab.generation.dump.tables import load_table
from na62lab.infra import atomic_write, cache_root, map_shards
from na62lab.selection.dump_selection import trigger_efficiency
from na62lab.yields.dump_tables import (EfficiencyTable, efficiency_curves, pilot_acceptance, tau_nodes,
                                         unmeasured_note)


def _model(model_name: str):
    from na62lab.fips import get_model

    return get_model(model_name)


def charged_fraction(model, final_state: str, masses: np.ndarray, card: DumpCard | None = None) -> np.ndarray:
    """Fraction of a decay channel's width in the charge state that is reconstructed.

    Asked of the model (:meth:`na62lab.fips.base.FIPModel.final_state_fraction`:
    isospin defaults, the dark photon's K+ K- share from its kaon form factors,
    the ALP's pi+ pi- pi0 share); for a ``card`` whose exclusive final states are selected by their
    charged tracks (``selection.exclusive_rule`` = ``charged_tracks``), the charge states with the
    generated charged tracks (:meth:`na62lab.fips.base.FIPModel.charged_track_fraction`: K Kbar pi in
    K+ K- pi0 and K+- K0 pi-+, 4 pi in pi+ pi- 2 pi0 and 2 pi+ 2 pi-).
    """
    masses = np.asarray(masses, float)
    tracks = card is not None and card.selection.exclusive_rule == "charged_tracks"
    share = getattr(model, "charged_track_fraction", None) if tracks else None
    fraction = share(final_state, masses) if callable(share) else model.final_state_fraction(final_state, masses)
    return np.broadcast_to(np.asarray(fraction, float), masses.shape)


def unmeasured_reason(model, card: DumpCard) -> str | None:
    """Why ``card`` cannot measure ``model`` (none of its selected final states is a decay of the model), or None.

    E.g. the BEBC card selects only HNL final states (nu e e, pi e, ...), so a dark photon or an ALP has no
    signal there: that is a fact about the card, not an empty exclusion.
    """
    if any(fs in model.decay_channels for fs in card.channels):
        return None
    return f"{card.name} selects {', '.join(card.channels)}; {model.name} decays to {', '.join(model.decay_channels)}"


def model_final_states(model, requested: list[str] | None, card: DumpCard) -> list[str]:
    """Final states both reconstructed (card channels) and among the model's decays.

    Raises :class:`~na62lab.errors.InputError` (field ``--card``) when the card selects none of the
    model's final states (:func:`unmeasured_reason`), rather than returning an empty list.
    """
    reason = unmeasured_reason(model, card)
    require(reason is None, "--card", card.name, f"a card that selects a final state of {model.name}: {reason}")
    available = [fs for fs in card.channels if fs in model.decay_channels]
    if requested is None:
        return available
    bad = [fs for fs in requested if fs not in available]
    require(not bad, "channels", ",".join(requested), f"final states of {model.name} in the card: {available}")
    return list(requested)


def mass_nodes(m_min: float, m_max: float, n: int, mode_max: float, mode_min: float = 0.0) -> np.ndarray:
    """Mass nodes (MeV) of one mode: log-spaced over the grid, cut below the mode's limit.

    ``mode_min`` (MeV): the mode produces nothing below it (e.g. Drell-Yan below the card's
    threshold); the nodes start there (that mass itself is a node when inside the grid).
    """
    # one node for one mass (n equal nodes made 0/0 in the log interpolation: 0 expected events there)
    nodes = np.geomspace(m_min, m_max, n) if m_max > m_min else np.array([float(m_min)])
    limit = 0.995 * mode_max
    inside = nodes[nodes < limit]
    if limit < m_max and limit > m_min:
        inside = np.append(inside, limit)
    if mode_min > m_min:
        inside = inside[inside > mode_min]
        if mode_min < min(m_max, limit):
            inside = np.insert(inside, 0, mode_min)
    return inside


def task_seed(run_seed: int, mode_name: str, mass: float) -> np.random.SeedSequence:
    """Seed of the efficiency task (mode, mass): SeedSequence of the run seed and a SHA-256 of the key.

    Stable against the order and number of production modes (a new channel does not
    reshuffle the Monte Carlo noise of the others).
    """
    digest = hashlib.sha256(f"{mode_name}|{float(mass):.12g}".encode()).digest()
    words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    return np.random.SeedSequence([int(run_seed), *words])


def _task(model_name: str, card: DumpCard, mode_name: str, mass: float, seed: np.random.SeedSequence,
          final_states: list[str]) -> np.ndarray:
    """Efficiency curves (n_tau, n_fs) of one mode at one mass (a picklable unit of work).

    The FIPs (``mc.n_fip`` x the mode's ``fip_factor``) are thinned from a pool ``mc.pool_factor`` times as
    large (module docstring).

    Final states closed at this mass (below threshold) are NaN and not simulated.
    """
    curves = np.full((card.mc.n_ctau_nodes, len(final_states)), np.nan)
    open_fs = [j for j, fs in enumerate(final_states) if mass > final_state_threshold(fs) * (1 + 1e-9)]
    if not open_fs:
        return curves
    model = _model(model_name)
    sources = production_modes(model, card, load_table(card.production.production_table))
    mode = next(md for md in sources.modes if md.name == mode_name)
    rng = np.random.default_rng(seed)
    pool = mode.sampler(mass, card.mc.pool_factor * card.mc.n_fip * mode.fip_factor, rng)  # per parent species
    fss = [final_states[j] for j in open_fs]
    tracks = card.selection.exclusive_rule == "charged_tracks"
    mixtures = {fs: decay_mixture(model, fs, mass, tracks) for fs in fss}
    acc = (pilot_acceptance(pool, fss, card, rng, card.mc.acceptance_pilot, mixtures)
           if card.mc.acceptance_pilot else None)
    sample = thin(pool, max(1, pool.weight.size // card.mc.pool_factor), card, rng, acceptance=acc)
    curves[:, open_fs] = efficiency_curves(sample, fss, card, rng, mixtures)
    return curves


def _warm_up(card: DumpCard, final_states: list[str]) -> None:
    """Fill the particle-data and numba caches once, before local workers fork.

    Decays a few heavy FIPs into every final state (no effect on results).
    """
    from na62lab.generation.dump.fip_decays import decay_visible
    from na62lab.selection.dump_selection import select_decay

    rng = np.random.default_rng(0)
    p4 = np.array([[np.hypot(5e4, 2500.0), 0.0, 0.0, 5e4]] * 4)
    vtx = np.array([[0.0, 0.0, 1.5e5]] * 4)
    for fs in final_states:
        if fs in SEMILEPTONIC_INCLUSIVE:        # model-dependent parts; uses the kernels of the others
            continue
        dec = decay_visible(fs, p4, rng, charged_tracks=card.selection.exclusive_rule == "charged_tracks")
        select_decay(vtx, dec, card, rng)


def warm_up(card: DumpCard) -> None:
    """Compile the decay and selection kernels of every final state of ``card`` here, before a pool of
    local workers forks (each would otherwise compile them itself); no effect on results."""
    _warm_up(card, list(card.channels))


def _cache_key(model_name: str, card: DumpCard, final_states: list[str], m_range) -> str:
    from na62lab import __version__

    table = load_table(card.production.production_table)
    keys = {"geometry", "production", "selection", "mc"} | ({"detector"} if card.detector is not None else set())
    parts = card.model_dump(mode="json", include=keys)   # a generic detector's planes/aperture/offset too
    # |F(m^2)|^2 of the bremsstrahlung scales the rate only (it cancels in the sample weights at one mass,
    # generation.dump.bremsstrahlung.sample): the tables are the same for every production.brems_form_factor
    parts["production"].pop("brems_form_factor", None)
    from na62lab.fips.user_models import model_fingerprint
    from na62lab.generation.dump.fingerprint import code_fingerprint

    blob = json.dumps({"model": model_name, "model_file": model_fingerprint(model_name), "code": code_fingerprint(),
                       "card": parts, "fs": final_states,
                       "range": list(m_range), "version": __version__,
                       "table": table.provenance}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


def table_beam_energy(table) -> float | None:
    """Proton beam energy (GeV) of a production table, from the Pythia settings in its provenance."""
    for run in (table.provenance.get("runs") or {}).values():
        for line in run.get("settings", []):
            key, _, value = line.partition("=")
            if key.strip() == "Beams:eA":
                return float(value)
    return None


def check_beam_energy(card: DumpCard) -> None:
    """One-line error unless the production table is at the card's beam energy.

    The bremsstrahlung follows ``run.beam_energy_gev`` itself
    (:mod:`na62lab.generation.dump.bremsstrahlung`); the meson spectra come from the table.
    """
    table = table_beam_energy(load_table(card.production.production_table))
    want = card.run.beam_energy_gev
    if table is not None and abs(table - want) > 1e-6 * want:
        raise InputError("run.beam_energy_gev", want,
                         f"{table:g} GeV, the energy of the production table (a table at {want:g} GeV must be "
                         "generated first: admin/make_production_tables.py --beam-energy, given as "
                         "production.production_table)")


def cache_dir() -> Path:
    """Folder of cached efficiency tables: ``dump`` in :func:`na62lab.infra.cache.cache_root`."""
    return cache_root("dump")


def build_efficiency_tables(model_name: str, card: DumpCard, final_states: list[str],
                            m_range: tuple[float, float], workers: int = 1, scheduler: str | None = None,
                            use_cache: bool = True) -> dict[str, EfficiencyTable]:
    """Efficiency tables of every production mode of ``model_name`` over ``m_range`` (MeV)."""
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in model_name)[-60:]   # user specs are paths
    path = cache_dir() / f"{stem}_{_cache_key(model_name, card, final_states, m_range)}.npz"
    if use_cache and path.is_file():
        try:
            return _read_tables(path)
        except (OSError, ValueError, KeyError):
            pass
    sources = production_modes(_model(model_name), card, load_table(card.production.production_table))
    plan = [(md.name, float(mm)) for md in sources.modes
            for mm in mass_nodes(*m_range, card.mc.n_mass_nodes, md.max_mass, md.min_mass)]
    args = [(model_name, card, name, mass, task_seed(card.mc.seed, name, mass), final_states)
            for name, mass in plan]
    _warm_up(card, final_states)
    curves = map_shards(_task, args, workers, scheduler)
    tables = _assemble(plan, curves, card, final_states)
    if use_cache:
        _write_tables(path, tables)
    return tables


def _assemble(plan, curves, card, final_states) -> dict[str, EfficiencyTable]:
    out = {}
    for name in dict.fromkeys(n for n, _ in plan):
        idx = [i for i, (n, _) in enumerate(plan) if n == name]
        out[name] = EfficiencyTable(name, np.array([plan[i][1] for i in idx]), tau_nodes(card),
                                    tuple(final_states), np.stack([curves[i] for i in idx]))
    return out


def _write_tables(path: Path, tables: dict[str, EfficiencyTable]) -> None:
    arrays = {}
    for name, t in tables.items():
        arrays[f"{name}|masses"], arrays[f"{name}|eff"] = t.masses, t.eff
        arrays[f"{name}|taus"] = t.taus
        arrays[f"{name}|fs"] = np.array(t.final_states)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]  # numpy stubs: ** could fill allow_pickle
    atomic_write(path, lambda p: p.write_bytes(buf.getvalue()))


def _read_tables(path: Path) -> dict[str, EfficiencyTable]:
    with np.load(path) as f:
        names = dict.fromkeys(k.split("|")[0] for k in f.files)
        return {n: EfficiencyTable(n, f[f"{n}|masses"], f[f"{n}|taus"],
                                   tuple(str(s) for s in f[f"{n}|fs"]), f[f"{n}|eff"]) for n in names}


@dataclass
class ExpectedGrid:
    """Expected signal events on a (mass, coupling) grid.

    Attributes
    ----------
    model : str
    coupling_name : str
    masses : ndarray (n_m,)
        FIP masses (MeV).
    couplings : ndarray (n_g,)
    total : ndarray (n_m, n_g)
        Expected selected events summed over modes and final states.
    by_mode, by_final_state : dict of ndarray (n_m, n_g)
    skipped : dict
        Production channels not simulated, with the reason.
    notes : list of str
        Approximations of the production modes (to print with the result).
    """

    model: str
    coupling_name: str
    masses: np.ndarray
    couplings: np.ndarray
    total: np.ndarray
    by_mode: dict = field(default_factory=dict)
    by_final_state: dict = field(default_factory=dict)
    skipped: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    evaluate: object = field(default=None, repr=False)
    """Callable (masses (k,) MeV, couplings (k,)) -> total expected events (k,) at arbitrary
    points, with the same tables (used to locate contour edges exactly)."""


def expected_events(model_name: str, card: DumpCard, masses: np.ndarray, couplings: np.ndarray,
                    final_states: list[str] | None = None, workers: int = 1,
                    scheduler: str | None = None, use_cache: bool = True) -> ExpectedGrid:
    """N_exp on the grid ``masses`` (MeV) x ``couplings`` (see module docstring).

    Parameters
    ----------
    model_name : str
        FIP model (:func:`na62lab.fips.get_model`).
    card : DumpCard
    masses : ndarray
        FIP masses (MeV), increasing, > 0.
    couplings : ndarray
        Couplings in the model's convention, > 0.
    final_states : list of str, optional
        Subset of the card's channels (default: all the model decays into).
    workers, scheduler
        Parallel execution of the efficiency tables (same result for any value).
    use_cache : bool
        Reuse/write cached efficiency tables.
    """
    masses, couplings = np.asarray(masses, float), np.asarray(couplings, float)
    require(masses.ndim == 1 and masses.size > 0 and bool(np.all(masses > 0)), "masses", masses, "masses > 0 (MeV)")
    require(couplings.ndim == 1 and couplings.size > 0 and bool(np.all(couplings > 0)), "couplings",
            couplings, "couplings > 0")
    check_beam_energy(card)
    model = _model(model_name)
    fss = model_final_states(model, final_states, card)
    sources = production_modes(model, card, load_table(card.production.production_table))
    why = "; ".join(f"{k}: {v}" for k, v in sources.skipped.items()) or "the model lists no production channel " \
        "or dump mechanism"
    require(bool(sources.modes), "--model", model_name, f"a model with a production mode in {card.name}'s "
            f"dump (none here: {why})")
    tables = build_efficiency_tables(model_name, card, fss, (float(masses.min()), float(masses.max())),
                                     workers, scheduler, use_cache)
    grid = _fill(model, card, sources, tables, fss, masses, couplings)
    grid.notes.extend(unmeasured_note(tables))

    memo: OrderedDict = OrderedDict()

    def evaluate(m_pts, g_pts):
        m_pts, g_pts = np.asarray(m_pts, float), np.asarray(g_pts, float)
        key = m_pts.tobytes()                  # edge finding asks the same masses repeatedly (each band in turn)
        if key not in memo:
            if len(memo) >= _RATE_MEMO:
                memo.popitem(last=False)
            uniq, back = np.unique(m_pts, return_inverse=True)     # rows of one mass: its rate once
            rates = {md.name: np.asarray(md.rate(uniq), float)[back] for md in sources.modes}
            column = m_pts[:, None]                # the decay widths of these masses, for every coupling asked
            memo[key] = rates, (model.reduced_widths(column), model.fixed_widths(column))
        return _fill(model, card, sources, tables, fss, m_pts, g_pts[:, None], *memo[key]).total[:, 0]

    grid.evaluate = evaluate
    return grid


_RATE_MEMO = 32
"""Mass sets whose production rates and decay widths ``evaluate`` keeps (the oldest is dropped first)."""


def _fill(model, card, sources: Sources, tables, fss, masses, couplings, rates=None, widths=None) -> ExpectedGrid:
    """Expected events at ``masses`` (n,) x ``couplings`` ((n_g,) for all rows, or (n, n_g) per row).

    ``rates`` optionally holds each mode's production rate at ``masses`` (already computed), ``widths`` the
    model's ``(reduced_widths, fixed_widths)`` at ``masses[:, None]``
    (:meth:`~na62lab.fips.base.FIPModel.ctau_and_branching_ratios`).
    """
    g2 = couplings if couplings.ndim == 2 else couplings[None, :]
    ctau, brs = model.ctau_and_branching_ratios(masses[:, None], g2, widths)
    tau = ctau / masses[:, None]
    scale = card.run.n_pot * g2 ** model.coupling_power
    grid = ExpectedGrid(model.name, model.coupling_name, masses, couplings, np.zeros(tau.shape),
                        skipped=dict(sources.skipped), notes=list(sources.notes))
    br_fs: dict = {}              # per final state: BR x charged fraction and A_trig, the same for every mode
    weights: dict = {}            # where tau falls between the tables' tau' nodes, the same for every table
    for mode in sources.modes:
        if mode.name not in tables:
            continue
        raw = rates[mode.name] if rates is not None else mode.rate(masses)
        rate = np.where((masses < mode.max_mass) & (masses >= mode.min_mass), np.nan_to_num(raw), 0.0)
        part = np.zeros(tau.shape)
        produced = scale * rate[:, None]
        for fs in fss:
            eff = tables[mode.name].evaluate(fs, masses, tau, weights)
            if fs not in br_fs:
                br_fs[fs] = (np.broadcast_to(brs[fs], tau.shape) * charged_fraction(model, fs, masses, card)[:, None],
                             trigger_efficiency(fs, card))
            br, trigger = br_fs[fs]
            n = produced * br * eff * trigger
            part += n
            grid.by_final_state[fs] = grid.by_final_state.get(fs, 0.0) + n
        grid.by_mode[mode.name] = part
        grid.total += part
    return grid


__all__ = ["ExpectedGrid", "expected_events", "build_efficiency_tables", "mass_nodes", "cache_dir",
           "model_final_states", "unmeasured_reason", "warm_up", "InputError"]
