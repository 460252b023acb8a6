"""Acceptance x decay-probability tables of dump FIPs vs (mass, c tau / mass).

For one production mode and one FIP mass, N FIPs are sampled once; for each
of them and each of K slices of the fiducial volume a decay vertex is drawn in
the slice and the FIP is decayed into every final state, giving the selection
flag a_ik (:func:`na62lab.selection.dump_selection.select_dump`).  The
probability to decay in slice k is the stable

    dP_ik = exp(-L_k/l_i) - exp(-L_{k+1}/l_i),   l_i = p_i (c tau / m),

(:func:`na62lab.yields.dump_decay.bin_decay_probabilities`), with L the
distances along the flight path, so the efficiency per produced FIP,

    E(m, c tau) = sum_i w_i sum_k dP_ik a_ik,

is tabulated for all lifetimes at once on a grid of tau' = c tau / m
(mm/MeV).  Since l = p tau', E depends on the coupling only through tau':
the table is computed once per mass and reused for every coupling (the
"coupling scaling").  Between mass nodes log E is interpolated linearly in
log m (the production rates and branching ratios are evaluated exactly at
every mass, only E is interpolated); in tau' log E is interpolated linearly
in log tau', E = 0 below the table and E ~ 1/tau' above it (long-lived limit).
A node with no accepted decay is not a measured zero (it bounds E by about
1/N): it is left out of the mass interpolation and named in the notes
(:meth:`EfficiencyTable.unmeasured`).  Rare acceptances are decayed again in
further rounds (card ``mc.min_accepted``, :func:`_top_up`).

Each final state uses its own decay volume
(:meth:`na62lab.config.dump.DumpSelection.decay_volume`: charged final states to
STRAW chamber 1, fully neutral ones to the calorimeter), sliced in proportion
to its length.

Final states drawn from the same decay distribution (one
:func:`na62lab.generation.dump.fip_decays.decay_key`: an inclusive final state is keyed on its parton
mixture, not on its name) have the same E per unit BR and are simulated once: the gluon-coupled ALP's
``other`` (hadronised as g g) shares the decays, and the column, of its ``gg``.

Approximation: the acceptance within a slice is that of a vertex drawn
uniformly in it (K slices, card ``mc.n_z_bins`` per charged-volume length).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from na62lab.config.dump import DumpCard
from na62lab.generation.dump.fip_decays import (NEUTRINO_FINAL_STATES, decay_key, decay_visible,
                                                 final_state_threshold)
from na62lab.generation.dump.sample import FIPSample, pointing
from na62lab.physics.units import m
from na62lab.selection.dump_selection import select_decay

TAU_RANGE = (1e-4, 1e13)
"""Range of tau' = c tau / m (mm/MeV) tabulated."""


def tau_nodes(card: DumpCard) -> np.ndarray:
    """Log-spaced tau' nodes (mm/MeV)."""
    return np.geomspace(*TAU_RANGE, card.mc.n_ctau_nodes)


def _n_slices(volume: tuple[float, float], card: DumpCard) -> int:
    """Slices of a decay volume (m): ``mc.n_z_bins`` per charged-volume length, at least that many."""
    z0, z1 = card.selection.fiducial_z_m
    return max(card.mc.n_z_bins, int(np.ceil(card.mc.n_z_bins * (volume[1] - volume[0]) / (z1 - z0) - 1e-9)))


def _slices(sample: FIPSample, card: DumpCard, rng: np.random.Generator,
            volume: tuple[float, float] | None = None):
    """Slice edges (distances/momentum, (N, K+1)) and vertices ((N, K, 3), mm) of a decay volume (m)."""
    volume = volume or card.selection.fiducial_z_m
    z0, z1 = (z * m for z in volume)
    edges_z = np.linspace(z0, z1, _n_slices(volume, card) + 1)
    p = sample.momentum
    forward = sample.p4[:, 3] > 0
    path = np.where(forward, p / np.where(forward, sample.p4[:, 3], 1.0), 0.0)  # |p| / pz
    dz = edges_z[None, :] - sample.origin[:, 2:3]
    u = np.where(forward[:, None], dz * path[:, None] / p[:, None], 1e300)  # L / |p|, mm/(MeV/c)
    zv = edges_z[None, :-1] + rng.random((p.shape[0], edges_z.size - 1)) * np.diff(edges_z)[None, :]
    slope = sample.p4[:, 1:3] / np.where(forward, sample.p4[:, 3], 1.0)[:, None]
    xy = sample.origin[:, None, :2] + slope[:, None, :] * (zv - sample.origin[:, 2:3])[..., None]
    return u, np.concatenate([xy, zv[..., None]], axis=2)


def selection_flags(sample: FIPSample, final_states: list[str], vertices: np.ndarray,
                    card: DumpCard, rng: np.random.Generator, mixtures: dict | None = None,
                    collinear: bool = False) -> np.ndarray:
    """Weighted selection flags (N*K, n_fs): flag x phase-space weight x visible fraction.

    ``mixtures``: final state -> parts of an inclusive final state at this mass
    (:func:`na62lab.generation.dump.fip_decays.inclusive_mixture`).  Final states of one
    :func:`na62lab.generation.dump.fip_decays.decay_key` (the same parton mixture, e.g. the gluon-coupled
    ALP's ``other`` and ``gg``) are decayed and selected once and share that column.  ``collinear`` (the
    decay rounds of :func:`_top_up` under a pointing cut, :func:`points_back`): the neutrino of ``nu e e``,
    ``nu mu mu``, ``e mu nu`` is importance-sampled along the FIP line
    (:mod:`na62lab.generation.dump.invisible_decays`; weights in the flags)."""
    n, k = vertices.shape[:2]
    p4 = np.repeat(sample.p4, k, axis=0)
    vtx = vertices.reshape(n * k, 3)
    out = np.zeros((n * k, len(final_states)))
    for fs, cols in _open_groups(sample.mass, final_states, card, mixtures).items():
        dec = decay_visible(fs, p4, rng, sample.polarised, (mixtures or {}).get(fs), collinear_neutrino=collinear,
                            charged_tracks=card.selection.exclusive_rule == "charged_tracks")
        ok = select_decay(vtx, dec, card, rng)
        out[:, cols] = (ok * dec.weight * dec.visible_fraction)[:, None]
    return out


def points_back(card: DumpCard) -> bool:
    """Whether the card's selection of charged final states has a pointing cut at the dump (the NA62 TAX cut,
    or a generic detector with ``pointing``): :func:`na62lab.selection.dump_selection.select_dump`."""
    return card.detector is None or card.detector.pointing


def effective_counts(flags: np.ndarray, final_states: list[str], card: DumpCard, collinear: bool = True) -> np.ndarray:
    """Accepted decays per final state of weighted flags (M, n_fs): the count of non-zero flags, or, for the
    importance-sampled neutrino final states (:func:`points_back`), the effective number
    (sum f)^2 / sum f^2 (Kish), which equals the count for equal weights and is what the precision of the
    column follows when the weights vary (:func:`_top_up` decides on it)."""
    counts = np.count_nonzero(flags, axis=0).astype(float)
    if not (collinear and points_back(card)):
        return counts
    for j, fs in enumerate(final_states):
        if fs in NEUTRINO_FINAL_STATES:
            sq = float(np.sum(flags[:, j] ** 2))
            counts[j] = float(np.sum(flags[:, j])) ** 2 / sq if sq > 0 else 0.0
    return counts


def _open_groups(mass: float, final_states: list[str], card: DumpCard,
                 mixtures: dict | None) -> dict[str, list[int]]:
    """Final states open at ``mass`` (MeV) grouped by their decays: first of a group -> its columns.

    One group per :func:`na62lab.generation.dump.fip_decays.decay_key` and decay volume (final states drawn
    from the same decay distribution in the same volume, hence of equal efficiency per unit BR)."""
    groups: dict[tuple, list[int]] = {}
    for j, fs in enumerate(final_states):
        if mass > final_state_threshold(fs) * (1 + 1e-9):
            key = (decay_key(fs, (mixtures or {}).get(fs)), card.selection.decay_volume(fs))
            groups.setdefault(key, []).append(j)
    return {final_states[cols[0]]: cols for cols in groups.values()}


def pilot_acceptance(pool: FIPSample, final_states: list[str], card: DumpCard, rng: np.random.Generator,
                     n_decays: int = 4, mixtures: dict | None = None) -> np.ndarray:
    """Pilot estimate of the selection acceptance of every FIP of a pool, (N,) >= 0.

    Every FIP whose line crosses the last plane near the detector window
    (:func:`na62lab.generation.dump.sample.pointing`) is decayed ``n_decays``
    times into each final state, each time at a vertex uniform in that final
    state's decay volume; the value is the mean over decays and final states of
    flag x phase-space weight x visible fraction (as :func:`selection_flags`),
    0 for the other FIPs.  It only steers the thinning
    (:func:`na62lab.generation.dump.sample.thin`, whose Horvitz-Thompson weights
    keep every efficiency exact); the tracked FIPs are decayed again, independently.
    """
    acc = np.zeros(pool.weight.size)
    on = np.flatnonzero(pointing(pool, card)[1] & (pool.weight > 0))
    if on.size == 0 or not final_states or n_decays < 1:
        return acc
    rep = np.repeat(on, n_decays)
    sub = FIPSample(pool.mode, pool.mass, pool.p4[rep], pool.origin[rep], pool.weight[rep], pool.polarised)
    slope = sub.p4[:, 1:3] / sub.p4[:, 3:4]
    total = np.zeros(rep.size)
    groups = _open_groups(pool.mass, final_states, card, mixtures)
    shared = {j for cols in groups.values() for j in cols[1:]}       # decayed with the first of their group
    for j, fs in enumerate(final_states):
        if j in shared:
            continue
        z0, z1 = (z * m for z in card.selection.decay_volume(fs))
        zv = rng.uniform(z0, z1, rep.size)
        xy = sub.origin[:, :2] + slope * (zv - sub.origin[:, 2])[:, None]
        flags = selection_flags(sub, [fs], np.column_stack([xy, zv])[:, None, :], card, rng, mixtures)[:, 0]
        total += len(groups.get(fs, [j])) * flags
    acc[on] = total.reshape(on.size, n_decays).mean(axis=1) / len(final_states)
    return acc


def efficiency_curves(sample: FIPSample, final_states: list[str], card: DumpCard,
                      rng: np.random.Generator, mixtures: dict | None = None) -> np.ndarray:
    """E(tau') per final state for one sample: array (n_tau, n_fs).

    E is the probability that a produced FIP decays in the fiducial volume
    into the final state's visible daughters *and* passes the selection,
    divided by BR(final state) (the caller multiplies by the model's BR).
    """
    out = np.zeros((card.mc.n_ctau_nodes, len(final_states)))
    accepted = np.zeros(len(final_states))
    for volume in dict.fromkeys(card.selection.decay_volume(fs) for fs in final_states):
        cols = [j for j, fs in enumerate(final_states) if card.selection.decay_volume(fs) == volume]
        u, wflags, accepted[cols] = _decay_round(sample, [final_states[j] for j in cols], volume, card, rng, mixtures)
        used = wflags.reshape(u.shape[0], -1).any(axis=1)       # FIPs accepted somewhere
        out[:, cols] = _tau_sums(u[used], wflags[used], tau_nodes(card))
    _top_up(out, accepted, sample, final_states, card, rng, mixtures)
    return out


def _decay_round(sample: FIPSample, final_states: list[str], volume: tuple[float, float], card: DumpCard,
                 rng: np.random.Generator, mixtures: dict | None, collinear: bool = False):
    """One decay of every FIP in every slice of ``volume`` (m): u (N, K+1), weighted flags (N, K, n_fs) and
    the number of accepted decays per final state (n_fs,) (:func:`effective_counts`)."""
    u, vertices = _slices(sample, card, rng, volume)
    flags = selection_flags(sample, final_states, vertices, card, rng, mixtures, collinear)
    wflags = sample.weight[:, None, None] * flags.reshape(u.shape[0], -1, len(final_states))
    return u, wflags, effective_counts(flags, final_states, card, collinear)


DOMINANCE = 10
"""Numerical choice of :func:`_top_up`: a rare final state is not decayed again when another final state of
the same node has this many times more accepted decays, since per unit BR it then adds about 1/DOMINANCE of
that one's events or less (an ASSUMPTION that its BR is not much larger; true for the HNL models, whose
nu l l final states are the rare ones beside pi l, rho l, K l: on the NA62 2021 card this skips 499 of the 619
hnl-e (mode, mass, final state) entries with fewer than 10 accepted FIPs, and 9 of the 460 of hnl-tau, whose
final states are nu e e and nu mu mu only).  Measured: hnl-e on the 2021 card needed 4.8x the CPU time without
it, with lower edges moved by <= 0.8 %."""


def _top_up(out: np.ndarray, accepted: np.ndarray, sample: FIPSample, final_states: list[str], card: DumpCard,
            rng: np.random.Generator, mixtures: dict | None) -> None:
    """Further decay rounds for the final states with fewer than ``mc.min_accepted`` accepted decays.

    Rare acceptances (N -> nu l l under the TAX-pointing cut: the neutrino must be nearly collinear, about
    1e-4 of the decays of the FIPs that reach the detector at 1 GeV on the NA62 card) leave a node
    with 0-3 accepted FIPs, whose E is MC noise.  Each round decays the same FIPs again at new vertices
    in the same slices; every round is an unbiased estimate of E for the sample, so their mean is too,
    with a variance smaller by the number of rounds.  Rounds go on until every such final state has
    ``mc.min_accepted`` accepted decays or ``mc.max_decay_rounds`` is reached.  ``out`` (n_tau, n_fs) is
    replaced in place for those final states; the others, and every node that has enough, are untouched
    (drawn after them, so their random stream is unchanged).  A final state with :data:`DOMINANCE` times
    fewer accepted decays than another one of the same node is not refined (runtime).  Under a pointing cut
    the rounds draw ``nu e e``, ``nu mu mu``, ``e mu nu`` importance-sampled (:func:`selection_flags`,
    ``collinear``; counted by :func:`effective_counts`) and replace the plain first round, whose variance is
    much larger (a mean with it scattered 0.15 instead of 0.09 between seeds); the first round stays plain, so
    a node that has enough is unchanged and hnl-e / hnl-mu, whose nu l l are mostly dominated, pay nothing
    for it (importance-sampling every round cost the make-run beam_dump section 78 -> 93 s).
    """
    need, cap = card.mc.min_accepted, card.mc.max_decay_rounds
    collinear = points_back(card)
    short = [j for j, fs in enumerate(final_states)
             if accepted[j] < need and sample.mass > final_state_threshold(fs) * (1 + 1e-9)
             and accepted.max() < DOMINANCE * max(int(accepted[j]), 1)]
    for volume in dict.fromkeys(card.selection.decay_volume(final_states[j]) for j in short):
        cols = [j for j in short if card.selection.decay_volume(final_states[j]) == volume]
        total, count, rounds = None, (np.zeros(len(cols)) if collinear else accepted[cols].copy()), 1
        while rounds < cap and count.min() < need:
            u, wflags, n_acc = _decay_round(sample, [final_states[j] for j in cols], volume, card, rng, mixtures,
                                            collinear=collinear)
            total = wflags if total is None else total + wflags
            count += n_acc
            rounds += 1
        if total is None:
            continue
        used = total.reshape(u.shape[0], -1).any(axis=1)
        sums = _tau_sums(u[used], total[used], tau_nodes(card))
        out[:, cols] = sums / (rounds - 1) if collinear else (out[:, cols] + sums) / rounds


def _tau_sums(u: np.ndarray, wflags: np.ndarray, taus: np.ndarray) -> np.ndarray:
    """sum_ik dP_ik(tau') wflags_ikf for every tau' node: (n_tau, n_fs).

    dP = exp(-u_k/tau') (-expm1(-(u_{k+1} - u_k)/tau')), the cancellation-free
    form of :func:`na62lab.yields.dump_decay.decay_probability`, evaluated for
    all nodes at once (u = L/|p| in mm/(MeV/c), tau' in mm/MeV).
    """
    out = np.empty((taus.size, wflags.shape[2]))
    inv = 1.0 / taus[:, None, None]
    for lo in range(0, taus.size, 32):                       # bounded memory
        t = inv[lo:lo + 32]
        dp = np.exp(-u[None, :, :-1] * t) * -np.expm1(-np.diff(u, axis=1)[None] * t)
        out[lo:lo + 32] = np.einsum("jik,ikf->jf", dp, wflags)
    return out


@dataclass(frozen=True)
class EfficiencyTable:
    """E(mass, tau') of one production mode for several final states.

    Attributes
    ----------
    mode : str
    masses : ndarray (n_m,)
        Mass nodes (MeV).
    taus : ndarray (n_tau,)
        tau' = c tau / m nodes (mm/MeV).
    final_states : tuple of str
    eff : ndarray (n_m, n_tau, n_fs)
        Efficiency per produced FIP per unit BR (NaN below a final state's threshold).
    """

    mode: str
    masses: np.ndarray
    taus: np.ndarray
    final_states: tuple
    eff: np.ndarray
    _rows: dict = field(default_factory=dict, compare=False, repr=False)
    """Memo of mass-interpolated rows per (final state, query masses): edge finding asks
    the same masses again and again."""
    _nodes: dict = field(default_factory=dict, compare=False, repr=False)
    """Per final state: its measured mass nodes (:func:`_measured`), their log masses and log E, computed once
    (``evaluate`` is called ~10^5 times per ``reproduce``; the table never changes)."""

    def evaluate(self, final_state: str, masses: np.ndarray, taus: np.ndarray,
                 weights: dict | None = None) -> np.ndarray:
        """E at grid points: ``masses`` (n,) MeV and ``taus`` (n, n_g) mm/MeV -> (n, n_g).

        Vectorised over all points: log E linear in log m between mass nodes
        (clamped outside), then linear in log tau' between tau' nodes, 0 below
        the first tau' node or where a neighbouring node has E = 0, and
        E ~ 1/tau' above the last node.  A mass node whose E is 0 at every tau'
        (no accepted decay in its Monte Carlo sample, :meth:`unmeasured`) is not a
        measured zero: it is left out, and E interpolated between (or clamped to)
        the measured nodes; a final state with no measured node gives 0.  ``weights``: a dict the caller keeps
        for one ``taus`` array (every mode and final state of a grid), in which
        the position of ``taus`` between the tau' nodes is computed once
        (:func:`_tau_weights`; the same numbers).
        """
        nodes_fs = self._nodes.get(final_state)
        if nodes_fs is None:
            nodes_fs = self._nodes[final_state] = self._measured_nodes(final_state)
        taus = np.asarray(taus, dtype=float)
        if nodes_fs is False:
            return np.zeros(taus.shape)
        masses = np.asarray(masses, dtype=float)
        key = (final_state, masses.tobytes())
        rows = self._rows.get(key)
        if rows is None:
            rows = _rows_at_masses(masses, *nodes_fs)
            if len(self._rows) > 64:
                self._rows.clear()
            self._rows[key] = rows
        lt_nodes = np.log(self.taus)
        if weights is None:
            return _interp_tau_rows(rows, lt_nodes, _tau_weights(lt_nodes, taus))
        nodes = self.taus.tobytes()
        if nodes not in weights:
            weights[nodes] = _tau_weights(lt_nodes, taus)
        return _interp_tau_rows(rows, lt_nodes, weights[nodes])


    def _measured_nodes(self, final_state: str):
        """(log mass, log E rows) of the measured mass nodes of ``final_state`` (:func:`_measured`), or False
        when it has none (:meth:`evaluate` then gives 0)."""
        table = self.eff[:, :, self.final_states.index(final_state)]
        valid = _measured(table)
        if not valid.any():
            return False
        return np.log(self.masses[valid]), _safe_log(table[valid])

    def unmeasured(self) -> list[tuple[str, float]]:
        """(final state, mass MeV) of the open nodes with no accepted decay (E = 0 at every tau').

        A zero of n sampled FIPs only bounds E; :meth:`evaluate` interpolates across such nodes.
        """
        empty = np.isfinite(self.eff[:, 0]) & ~_measured(self.eff)
        return [(fs, float(self.masses[i])) for j, fs in enumerate(self.final_states)
                for i in np.flatnonzero(empty[:, j])]


def _measured(eff: np.ndarray) -> np.ndarray:
    """Mass nodes of ``eff`` (n_m, n_tau[, n_fs]) that are open (finite) and have an accepted decay (E > 0 at
    some tau'): (n_m[, n_fs]) booleans.  The one rule of :meth:`EfficiencyTable.evaluate` and
    :meth:`EfficiencyTable.unmeasured`."""
    return np.isfinite(eff[:, 0]) & (np.nan_to_num(eff) > 0).any(axis=1)


def unmeasured_note(tables: dict[str, EfficiencyTable]) -> list[str]:
    """A note (list of at most one line) naming the nodes of ``tables`` with no accepted decay
    (:meth:`EfficiencyTable.unmeasured`), whose E is interpolated from the measured neighbours."""
    items = [f"{name} {fs} {mass / 1000:.3g}" for name, t in tables.items() for fs, mass in t.unmeasured()]
    if not items:
        return []
    shown = "; ".join(items[:12]) + (f"; and {len(items) - 12} more" if len(items) > 12 else "")
    return [f"acceptance not measured (no accepted decay in the Monte Carlo sample) at {len(items)} table "
            f"node(s), E interpolated from the neighbouring nodes (mode final-state GeV): {shown}"]


def _safe_log(x):
    with np.errstate(divide="ignore"):
        return np.log(np.maximum(x, 0.0))


def _rows_at_masses(masses: np.ndarray, lm_nodes: np.ndarray, logs: np.ndarray) -> np.ndarray:
    """:func:`_interp_mass_rows` at ``masses`` (n,) MeV, each distinct mass interpolated once (the closing-mass
    scan asks each trial mass at 41 couplings); the rows are the same numbers as one row per point."""
    uniq, back = np.unique(masses, return_inverse=True)
    if uniq.size == masses.size:
        return _interp_mass_rows(np.log(masses), lm_nodes, logs)
    return _interp_mass_rows(np.log(uniq), lm_nodes, logs)[back.reshape(-1)]


def _interp_mass_rows(lm_points: np.ndarray, lm_nodes: np.ndarray, logs: np.ndarray) -> np.ndarray:
    """Rows of log E (n, n_tau) at log-masses ``lm_points`` (linear between nodes, clamped outside)."""
    if lm_nodes.size == 1:
        return np.broadcast_to(logs[0], (lm_points.size, logs.shape[1]))
    i = np.clip(np.searchsorted(lm_nodes, lm_points) - 1, 0, lm_nodes.size - 2)
    f = np.clip((lm_points - lm_nodes[i]) / (lm_nodes[i + 1] - lm_nodes[i]), 0.0, 1.0)[:, None]
    a, b = logs[i], logs[i + 1]
    both = np.isfinite(a) & np.isfinite(b)
    with np.errstate(invalid="ignore"):
        mixed = np.where(both, (1 - f) * np.where(both, a, 0) + f * np.where(both, b, 0), -np.inf)
    return np.where(f == 0.0, a, np.where(f == 1.0, b, mixed))


def _tau_weights(lt_nodes: np.ndarray, taus: np.ndarray) -> tuple:
    """log tau' of ``taus`` (n, n_g), the index k of the node below, the weight w of node k + 1, and what
    :func:`_interp_tau_rows` asks of them for every table (k + 1; masks w = 0, w = 1, above the last node,
    below the first), computed once per ``taus``."""
    lt = np.log(np.maximum(taus, 1e-300))
    k = np.clip(np.searchsorted(lt_nodes, lt) - 1, 0, lt_nodes.size - 2)
    w = (lt - lt_nodes[k]) / (lt_nodes[k + 1] - lt_nodes[k])
    return lt, k, w, k + 1, w == 0.0, w == 1.0, lt > lt_nodes[-1], lt < lt_nodes[0]


def _interp_tau_rows(rows: np.ndarray, lt_nodes: np.ndarray, weights: tuple) -> np.ndarray:
    """E (n, n_g) from rows of log E (n, n_tau) on the log tau' nodes, at the points of ``weights``
    (:func:`_tau_weights`)."""
    lt, k, w, k1, at_k, at_k1, above, below = weights
    rix = np.arange(rows.shape[0])[:, None]               # rows[rix, k] is np.take_along_axis(rows, k, axis=1)
    a, b = rows[rix, k], rows[rix, k1]
    with np.errstate(invalid="ignore", over="ignore"):
        inner = np.where(at_k, a, np.where(at_k1, b, np.where(np.isfinite(a) & np.isfinite(b),
                                                              a + w * (b - a), -np.inf)))
        tail = rows[:, -1:] + lt_nodes[-1] - lt               # E ~ 1/tau' when long-lived
        log_e = np.where(above, tail, np.where(below, -np.inf, inner))
        out = np.exp(log_e)
    return np.where(np.isfinite(out), out, 0.0)
