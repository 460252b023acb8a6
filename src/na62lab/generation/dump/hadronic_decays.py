"""Inclusive hadronic FIP decays sampled from a shipped library of Pythia-hadronised parton pairs.

The library (``data/hadronic_decays.npz``, made by ``admin/make_hadronic_decays.py`` with
:mod:`na62lab.generation.dump.hadronic_pythia`; Pythia 8.3, Bierlich et al. arXiv:2203.11601)
holds, per parton channel (``gg``, ``uu``, ``dd``, ``ss``, ``cc``, ``tautau``) and mass node,
a few hundred rest-frame decays with the pair axis along z: final particles as PDG ids and
three-momenta in units of the node mass (float16, relative precision 2^-11).

A decay at mass M is drawn from one of the two nodes bracketing M (the upper one with
probability log(M/M_lo)/log(M_hi/M_lo), linear interpolation in log M; the lower one if the
drawn event's particle masses do not fit in M), then its rest-frame three-momenta are all
freed of the float16 rounding residual of their sum (:func:`balance`) and multiplied by the
common factor k that makes the total energy M,
sum_i sqrt(m_i^2 + k^2 |p_i|^2) = M (Newton's method; the total momentum stays zero and every
particle stays on shell: the momentum rescaling of the RAMBO generator, Kleiss, Stirling,
Ellis, Comput. Phys. Commun. 40 (1986) 359, APPROXIMATION of the change of the hadron
multiplicities over the node spacing, 12 % in mass).  Below the lowest node no decay is
generated (:func:`channel_threshold`); above the highest one its events are stretched.

The pair axis is then rotated: isotropic (spin 0, or an unpolarised vector), or with
dN/dcos(theta) ~ 1 + cos^2(theta) about the FIP flight direction (a transversely polarised
vector decaying to massless fermions), and the visible particles (photons and charged
stable particles: e, mu, pi, K, p and the charged hyperons, which live > 10 mm) are boosted
to the lab.  Neutrinos and neutral hadrons (n, K0_L, and K0_S, Lambda, Xi0 that decay far
from the vertex) are dropped.

A batch of decays is kept ragged (the particles of every event one after the other, :class:`Ragged`,
:class:`RestDecays`) until the visible particles are handed to the selection in slots
(:func:`_slots`): padding every event to the largest one (2-3x the mean multiplicity) wasted most
of the work (numerical choice, no change of the decays).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np

from na62lab.physics.kinematics import (boost_to_lab, from_frame, kallen, orthonormal_frame, random_frames,
                                        two_body_decay)
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV

LIBRARY = "hadronic_decays.npz"
KIND_OF_PDG = {22: "gamma", 11: "e", 13: "mu", 211: "pi", 321: "K", 2212: "p"}
"""Visible species (|PDG id|) and their kind; the other charged stable particles are kind ``h``."""
KIND_CODES = ("none", "gamma", "e", "mu", "pi", "K", "p", "h")
"""Integer codes of :attr:`InclusiveDaughters.codes` (0: an empty slot)."""
_CHARGED_OTHER = (3112, 3222, 3312, 3334)
"""Sigma-, Sigma+, Xi-, Omega- (stable in the library: c tau > 10 mm)."""


@dataclass(frozen=True)
class ChannelLibrary:
    """Stored decays of one parton channel: nodes (MeV), per-event particle counts and offsets, ids, p/M."""

    nodes: np.ndarray
    counts: np.ndarray
    offsets: np.ndarray
    pdg: np.ndarray
    p_over_m: np.ndarray
    mass: np.ndarray

    @cached_property
    def event_mass_sum(self) -> np.ndarray:
        """Sum of the daughter masses (MeV) of every stored event (flattened node x event), computed once."""
        sums = np.concatenate([[0.0], np.cumsum(self.mass)])
        return sums[self.offsets[1:]] - sums[self.offsets[:-1]]


@dataclass(frozen=True)
class InclusiveDaughters:
    """Variable-multiplicity visible daughters, padded to K slots.

    Attributes
    ----------
    codes : ndarray of int (N, K)
        Kind code per slot (:data:`KIND_CODES`, 0 for an empty slot).
    charges : ndarray of int (N, K)
        +1, -1 or 0.
    """

    codes: np.ndarray
    charges: np.ndarray

    @property
    def charged(self) -> np.ndarray:
        """Slots holding a charged particle, (N, K) bool."""
        return self.charges != 0


@lru_cache(maxsize=1)
def load_library() -> dict:
    """The shipped library (read once): ``channels`` dict of :class:`ChannelLibrary`, ``provenance``."""
    ref = resources.files("na62lab.generation.dump") / "data" / LIBRARY
    with resources.as_file(ref) as path, np.load(path) as f:
        masses = dict(zip(f["pdg_ids"].tolist(), f["pdg_masses_gev"] * GeV))
        channels = {}
        for ch in dict.fromkeys(k.split("|")[0] for k in f.files if "|" in k):
            counts = f[f"{ch}|counts"].astype(np.int64)
            pdg = f[f"{ch}|pdg"].astype(np.int32)
            offsets = np.concatenate([[0], np.cumsum(counts.ravel())])
            channels[ch] = ChannelLibrary(f[f"{ch}|nodes_gev"] * GeV, counts, offsets, pdg,
                                          f[f"{ch}|p_over_m"].astype(float),
                                          np.array([masses[i] for i in pdg.tolist()]))
        return {"channels": channels, "provenance": json.loads(str(f["provenance"]))}


def channel_threshold(channel: str) -> float:
    """Lowest mass node (MeV) of a library channel: no decay is generated below it."""
    return float(load_library()["channels"][channel].nodes[0])


def _pick_events(lib: ChannelLibrary, mass, n: int, rng: np.random.Generator) -> np.ndarray:
    """Indices (into the flattened node x event arrays) of ``n`` events for ``mass`` (MeV; one value or (n,))."""
    n_ev = lib.counts.shape[1]
    mass = np.broadcast_to(np.asarray(mass, float), (n,))
    logs = np.log(lib.nodes)
    j = np.clip(np.searchsorted(lib.nodes, mass, side="right") - 1, 0, lib.nodes.size - 1)
    hi = np.minimum(j + 1, lib.nodes.size - 1)
    span = np.where(hi > j, logs[hi] - logs[j], 1.0)
    t = np.where(hi > j, np.clip((np.log(mass) - logs[j]) / span, 0.0, 1.0), 0.0)
    upper = rng.random(n) < t
    idx = np.where(upper, hi, j) * n_ev + rng.integers(0, n_ev, n)
    heavy = _mass_sum(lib, idx) >= mass
    idx[heavy] = j[heavy] * n_ev + rng.integers(0, n_ev, int(heavy.sum()))
    return idx


def _mass_sum(lib: ChannelLibrary, idx: np.ndarray) -> np.ndarray:
    """Daughter-mass sums (MeV) of the events ``idx`` (:attr:`ChannelLibrary.event_mass_sum`)."""
    return lib.event_mass_sum[idx]


@dataclass(frozen=True)
class Ragged:
    """Particles of a batch of decays stored one after the other (no padding to the largest event).

    Event ``i`` owns the rows ``starts[i] : starts[i] + counts[i]``; ``event`` is the owner of every row.
    """

    starts: np.ndarray
    counts: np.ndarray

    @cached_property
    def event(self) -> np.ndarray:
        """Event index of every row, (P,)."""
        return np.repeat(np.arange(self.counts.size), self.counts)

    def sum(self, x: np.ndarray) -> np.ndarray:
        """Per-event sums (n, ...) of the rows of ``x`` (P, ...); 0 for an empty event."""
        out = np.zeros((self.counts.size, *x.shape[1:]))
        full = self.counts > 0
        if x.shape[0]:
            out[full] = np.add.reduceat(x, self.starts[full], axis=0)
        return out


def _gather(lib: ChannelLibrary, idx: np.ndarray) -> tuple[Ragged, np.ndarray, np.ndarray, np.ndarray]:
    """Rows of the stored events ``idx``: layout, rest-frame momenta (P, 3) in MeV at the node mass, masses
    (P,) and PDG ids (P,)."""
    counts = lib.counts.ravel()[idx]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    rag = Ragged(starts, counts)
    rows = lib.offsets[idx][rag.event] + np.arange(int(counts.sum())) - starts[rag.event]
    node = lib.nodes[idx // lib.counts.shape[1]]
    return rag, lib.p_over_m[rows] * node[rag.event][:, None], lib.mass[rows], lib.pdg[rows]


def balance(rag: Ragged, p: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Momenta (P, 3) with the rounding residual of each event's stored total momentum removed.

    The float16 momenta of an event sum to ~1e-3 M instead of zero; each particle gives back the share
    E_i / sum E of the residual, so the total is zero to double precision (the shift of each
    momentum is below the stored precision).
    """
    e = np.sqrt(m * m + np.sum(p * p, axis=1))
    w = e / np.maximum(rag.sum(e), 1e-300)[rag.event]
    return p - w[:, None] * rag.sum(p)[rag.event]


def rescale(rag: Ragged, p: np.ndarray, m: np.ndarray, mass, iterations: int = 30) -> np.ndarray:
    """Momenta (P, 3) times the factor k of their event with sum_i sqrt(m_i^2 + k^2 p_i^2) = ``mass`` (MeV,
    one value or one per event).

    Newton's method from k = 1 on the convex, increasing energy sum (RAMBO's rescaling); events
    whose masses alone exceed ``mass`` are returned at k = 0 (they are never drawn:
    :func:`_pick_events`).
    """
    p2 = np.sum(p * p, axis=1)
    k = np.ones(rag.counts.size)
    for _ in range(iterations):
        kr = k[rag.event]
        e = np.sqrt(m * m + kr * kr * p2)
        f = rag.sum(e) - mass
        df = k * rag.sum(np.where(e > 0, p2 / np.where(e > 0, e, 1.0), 0.0))
        step = np.where(df > 0, f / np.where(df > 0, df, 1.0), 0.0)
        k = np.clip(k - step, 0.0, None)
        if np.all(np.abs(f) <= 1e-9 * mass):
            break
    return p * k[rag.event][:, None]


@dataclass(frozen=True)
class RestDecays:
    """Rest-frame decays of a batch, ragged: every final particle, pair axis along z.

    Attributes
    ----------
    event : ndarray of int (P,)
        Decay of every particle.
    p4 : ndarray (P, 4)
        Four-momenta (MeV).
    pdg : ndarray of int (P,)
        PDG ids.
    channel : ndarray of int (N,)
        Index of the drawn channel in the mixture, per decay.
    """

    event: np.ndarray
    p4: np.ndarray
    pdg: np.ndarray
    channel: np.ndarray

    def totals(self) -> np.ndarray:
        """Total four-momentum (N, 4) of every decay, MeV."""
        out = np.zeros((self.channel.size, 4))
        np.add.at(out, self.event, self.p4)
        return out


def rest_frame_decays(mixture: dict[str, float], mass, n: int, rng: np.random.Generator) -> RestDecays:
    """``n`` rest-frame decays at ``mass`` (MeV; one value or (n,)) of a mixture of library channels.

    Ragged (:class:`RestDecays`): the work goes with the number of particles drawn, not with n times the
    largest event (2-3x more).
    """
    libs = load_library()["channels"]
    names = list(mixture)
    w = np.array([mixture[c] for c in names], float)
    which = rng.choice(len(names), size=n, p=w / w.sum())
    mass = np.broadcast_to(np.asarray(mass, float), (n,))
    events, p4s, pdgs = [], [], []
    for i, ch in enumerate(names):
        rows = np.flatnonzero(which == i)
        idx = _pick_events(libs[ch], mass[rows], rows.size, rng)
        rag, p, m, ids = _gather(libs[ch], idx)
        p = rescale(rag, balance(rag, p, m), m, mass[rows])
        events.append(rows[rag.event])
        p4s.append(np.column_stack([np.sqrt(m * m + np.sum(p * p, axis=1)), p]))
        pdgs.append(ids)
    return RestDecays(np.concatenate(events), np.concatenate(p4s).reshape(-1, 4), np.concatenate(pdgs), which)


def _codes(pdg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kind codes (:data:`KIND_CODES`) and charges of PDG ids; invisible particles get code 0."""
    a = np.abs(pdg)
    codes = np.zeros(pdg.shape, dtype=np.int8)
    for pid, kind in KIND_OF_PDG.items():
        codes[a == pid] = KIND_CODES.index(kind)
    codes[np.isin(a, _CHARGED_OTHER)] = KIND_CODES.index("h")
    sign = np.where(pdg > 0, 1, -1)
    charges = np.where(np.isin(a, (211, 321, 2212, 3222)), sign, 0)
    charges = np.where(np.isin(a, (11, 13, 3112, 3312, 3334)), -sign, charges)
    return codes, charges.astype(np.int8)


def _axes(fip_p4: np.ndarray, rng: np.random.Generator, polarised: bool):
    """Frames (ex, ey, ez) with ez the pair axis: isotropic, or 1 + cos^2 about the flight direction."""
    n = fip_p4.shape[0]
    if not polarised:
        return random_frames(n, rng)
    from na62lab.generation.dump.fip_decays import _one_plus_cos2 as one_plus_cos2

    d = fip_p4[:, 1:] / np.maximum(np.linalg.norm(fip_p4[:, 1:], axis=1), 1e-300)[:, None]
    a, b = orthonormal_frame(d)
    c = one_plus_cos2(n, rng)
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    s = np.sqrt(np.clip(1.0 - c * c, 0.0, None))
    ez = c[:, None] * d + s[:, None] * (np.cos(phi)[:, None] * a + np.sin(phi)[:, None] * b)
    e1, e2 = orthonormal_frame(ez)
    psi = rng.uniform(0.0, 2.0 * np.pi, n)
    ex = np.cos(psi)[:, None] * e1 + np.sin(psi)[:, None] * e2
    return ex, np.cross(ez, ex), ez


def _to_lab(p4_rest: np.ndarray, frame, parent_p4: np.ndarray, event: np.ndarray) -> np.ndarray:
    """Rest-frame particles (P, 4) of decays ``event`` (P,) rotated into their decay's ``frame`` (pair axis =
    ez; three (N, 3) arrays) and boosted with its ``parent_p4`` (N, 4)."""
    return boost_to_lab(from_frame(p4_rest, tuple(f[event] for f in frame)), parent_p4[event])


def _visible_rows(pdg: np.ndarray) -> np.ndarray:
    """Rows of visible particles (photons and charged stable ones: :func:`_codes` > 0), (P,) bool."""
    return _codes(pdg)[0] > 0


def _slots(n: int, event: np.ndarray, p4_lab: np.ndarray, pdg: np.ndarray) -> tuple[list, InclusiveDaughters]:
    """Visible particles of ragged lab decays (event (P,), four-momenta (P, 4), PDG ids (P,)) in K slots per
    decay: charged first, then photons, each in the given order; empty slots zero.  K is the largest
    visible multiplicity (the selection loops over the slots on their occupied rows only)."""
    codes, charges = _codes(pdg)
    keep = codes > 0
    order = np.lexsort((charges[keep] == 0, event[keep]))          # by decay, charged first (stable)
    event, p4_lab = event[keep][order], p4_lab[keep][order]
    codes, charges = codes[keep][order], charges[keep][order]
    counts = np.bincount(event, minlength=n)
    k = int(counts.max()) if n else 0
    slot = np.arange(event.size) - (np.cumsum(counts) - counts)[event]
    p4 = np.zeros((k, n, 4))
    p4[slot, event] = p4_lab
    out_codes, out_charges = np.zeros((n, k), np.int8), np.zeros((n, k), np.int8)
    out_codes[event, slot], out_charges[event, slot] = codes, charges
    return list(p4), InclusiveDaughters(out_codes, out_charges)


def _fip_mass(fip_p4: np.ndarray) -> float:
    """Invariant mass (MeV) of the first of FIPs ``fip_p4`` (N, 4), all of one mass."""
    return float(np.sqrt(max(fip_p4[0, 0] ** 2 - np.sum(fip_p4[0, 1:] ** 2), 0.0)))


def decay_inclusive(mixture: dict[str, float], fip_p4: np.ndarray, rng: np.random.Generator,
                    polarised: bool = False) -> tuple[list, InclusiveDaughters]:
    """Lab four-momenta of the visible daughters of inclusive decays of FIPs ``fip_p4`` (N, 4), MeV.

    All FIPs of one mass.  Returns the per-slot lab four-momenta (list of K arrays (N, 4), zero in
    empty slots; charged particles first) and their :class:`InclusiveDaughters`.  Only the visible
    particles are rotated and boosted.
    """
    fip_p4 = np.atleast_2d(np.asarray(fip_p4, float))
    n = fip_p4.shape[0]
    rest = rest_frame_decays(mixture, _fip_mass(fip_p4), n, rng)
    frame = _axes(fip_p4, rng, polarised)
    vis = _visible_rows(rest.pdg)
    return _slots(n, rest.event[vis], _to_lab(rest.p4[vis], frame, fip_p4, rest.event[vis]), rest.pdg[vis])


LEPTON_PDG = {"e": 11, "mu": 13, "nu": 12}
"""Lepton of a semileptonic part -> PDG id (the negative charged lepton; ``nu`` invisible)."""


def _hadronic_mass(big_m: float, m_l: float, lowest: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """m_H (MeV) of N -> l q qbar' in flat three-body phase space with massless quarks, above ``lowest``.

    The m_H^2 density of flat phase space is Phi2(M; m_H, m_l) Phi2(m_H; 0, 0) ~ lambda^(1/2)(M^2, m_H^2, m_l^2)
    (PDG Kinematics review, recursive n-body phase space), decreasing in m_H^2: rejection sampling on
    [lowest^2, (M - m_l)^2] with the bound at the lower end.
    """
    lo, hi = lowest**2, (big_m - m_l) ** 2
    lam = lambda s: np.sqrt(np.clip(kallen(big_m**2, s, m_l**2), 0.0, None))   # noqa: E731
    bound, out = float(lam(np.array(lo))), np.empty(0)
    while out.size < n:
        s = rng.uniform(lo, hi, 2 * (n - out.size) + 16)
        out = np.concatenate([out, s[rng.random(s.size) * bound <= lam(s)]])
    return np.sqrt(out[:n])


def decay_lepton_hadrons(parts: dict[tuple[str, str], float], fip_p4: np.ndarray,
                         rng: np.random.Generator) -> tuple[list, InclusiveDaughters]:
    """Semileptonic inclusive decays N -> l H of FIPs ``fip_p4`` (N, 4; one mass), MeV.

    ``parts``: (lepton, library channel) -> weight, the lepton ``e``, ``mu`` (charged current, with a
    charge +1 hadronic system ``ud``, ``us``, ``cs``) or ``nu`` (neutral current, ``uu``, ``dd``, ``ss``,
    ``cc``).  m_H from flat three-body phase space of l q qbar' (:func:`_hadronic_mass`; the V-A matrix
    element is not applied, APPROXIMATION) above the lowest node of the channel's library (1 GeV for
    light quarks: the exclusive single-meson channels are the rest, APPROXIMATION); l H isotropic, the pair
    axis isotropic in the H frame.  Parts closed at this mass are dropped (no decay at all if none is
    open: empty slots).  A Majorana N's charge-conjugate decays have the same kinematics (the charges
    only matter for a magnetic kick, which the generic detectors do not simulate).
    """
    fip_p4 = np.atleast_2d(np.asarray(fip_p4, float))
    n = fip_p4.shape[0]
    big_m = _fip_mass(fip_p4)
    masses = {k: (pdg_mass("e-") if k[0] == "e" else pdg_mass("mu-") if k[0] == "mu" else 0.0) for k in parts}
    open_ = {k: w for k, w in parts.items() if w > 0 and big_m > masses[k] + channel_threshold(k[1]) * 1.0001}
    if not open_:
        return [], InclusiveDaughters(np.zeros((n, 0), np.int8), np.zeros((n, 0), np.int8))
    keys = list(open_)
    w = np.array([open_[k] for k in keys])
    which = rng.choice(len(keys), size=n, p=w / w.sum())
    chunks = []                                          # (decay, lab four-momentum, PDG id) rows
    for i, (lepton, ch) in enumerate(keys):
        rows = np.flatnonzero(which == i)
        m_h = _hadronic_mass(big_m, masses[keys[i]], channel_threshold(ch), rows.size, rng)
        lep, had = two_body_decay(fip_p4[rows], masses[keys[i]], m_h, rng)
        rest = rest_frame_decays({ch: 1.0}, m_h, rows.size, rng)
        frame = random_frames(rows.size, rng)
        vis = _visible_rows(rest.pdg)
        chunks += [(rows, lep, np.full(rows.size, LEPTON_PDG[lepton])),          # the lepton first
                   (rows[rest.event[vis]], _to_lab(rest.p4[vis], frame, had, rest.event[vis]), rest.pdg[vis])]
    event, p4, pdg = (np.concatenate(x) for x in zip(*chunks))
    return _slots(n, event, p4.reshape(-1, 4), pdg)
