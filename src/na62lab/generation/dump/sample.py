"""Weighted samples of FIPs produced in the dump, and the common helpers to build them.

A :class:`FIPSample` holds N sampled FIPs of one mass and one production mode:
lab four-momenta (MeV), production points (mm) and relative weights summing
to one.  The absolute production rate (FIPs per proton on target per
coupling^power) is carried separately by the mode (see
:mod:`na62lab.generation.dump.sources`), so the kinematics are sampled once
per mass and reused for every coupling.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from na62lab.config.dump import DumpCard
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV, m


@dataclass(frozen=True)
class FIPSample:
    """N weighted FIPs of one mass from one production mode.

    Attributes
    ----------
    mode : str
        Production mode name.
    mass : float
        FIP mass (MeV).
    p4 : ndarray (N, 4)
        Lab four-momenta (E, px, py, pz) in MeV.
    origin : ndarray (N, 3)
        Production points (mm), z from the T10 target position.
    weight : ndarray (N,)
        Relative weights: sum 1 from the samplers; after :func:`thin`, sum 1 in expectation.
    polarised : bool
        Transversely polarised vector (affects the dilepton angular distribution).
    """

    mode: str
    mass: float
    p4: np.ndarray
    origin: np.ndarray
    weight: np.ndarray
    polarised: bool = False

    @property
    def momentum(self) -> np.ndarray:
        """|p| in MeV/c."""
        return np.linalg.norm(self.p4[:, 1:], axis=1)


def four_momenta(p: np.ndarray, theta: np.ndarray, mass: float, rng: np.random.Generator) -> np.ndarray:
    """Four-momenta (N, 4) in MeV from momenta p (MeV/c), polar angles (rad), uniform azimuth."""
    phi = rng.uniform(0.0, 2.0 * np.pi, p.shape[0])
    st = np.sin(theta)
    return np.stack([np.sqrt(p * p + mass * mass), p * st * np.cos(phi), p * st * np.sin(phi),
                     p * np.cos(theta)], axis=1)


def sample_origin(n: int, card: DumpCard, rng: np.random.Generator) -> np.ndarray:
    """Production points (N, 3) in mm inside the TAX.

    The depth follows the exponential first-interaction law of the protons in
    copper (interaction length from the card, PDG: 15.32 cm); the transverse
    position is Gaussian with the card's beam-spot sigma.
    """
    prod = card.production
    z = card.geometry.tax_front_m * m + rng.exponential(prod.interaction_length_m * m, n)
    xy = rng.normal(0.0, prod.beam_spot_mm, (n, 2))
    return np.column_stack([xy, z])


def normalised(w: np.ndarray) -> np.ndarray:
    """``w / w.sum()`` (zeros if the sum vanishes)."""
    total = float(np.sum(w))
    return w / total if total > 0 else np.zeros_like(w)


def tail_ratio(density: np.ndarray, share: float, columns: np.ndarray | None = None) -> np.ndarray:
    """Proposal over target, q/d, per (momentum, angle) bin of a table spectrum ``density`` (n_p, n_theta).

    The short-lived (upper-coupling) edge of a dump contour is decided by the
    rare most energetic FIPs (decay probability exp(-L m / (p c tau))), which a
    plain draw from the spectrum holds only a few of.  The proposal mixes the
    spectrum itself (share ``1 - share``) with a tail component that, in every
    angle column, puts equal probability on every e-fold of the momentum
    survival function S(p | theta) = P(p' >= p | theta): q_tail = d / S / sum(d / S)
    x (column content), so the column totals (the angular distribution) are
    those of the spectrum and the highest-momentum bins are drawn about
    far more often.  Importance sampling with a defensive mixture (Hesterberg,
    Technometrics 37 (1995) 185): the FIP weights d/q = 1/ratio make every
    estimate exact in expectation (the samplers then normalise the weights to
    sum 1, a ratio estimator with a bias of order 1/N for weights bounded
    by 2), and the defensive share keeps
    d/q <= 1/(1 - share), so no region is sampled worse than with
    ``1 - share`` of the FIPs.

    Parameters
    ----------
    density : ndarray (n_p, n_theta)
        Target bin contents (any normalisation, >= 0).
    share : float
        Tail share in [0, 1); 0 gives the plain spectrum (ratio 1).
    columns : ndarray of bool (n_theta,), optional
        Angle columns the tail component is restricted to (those that can reach
        the detector, :func:`angular_window`); the tail is then renormalised to the
        spectrum's total, so the angular distribution is tilted towards them too.

    Returns
    -------
    ndarray (n_p, n_theta)
        q/d (1 - ``share`` where the density vanishes: such bins are never drawn).
    """
    d = np.asarray(density, dtype=float)
    if share <= 0.0:
        return np.ones(d.shape)
    surv = np.cumsum(d[::-1], axis=0)[::-1]                   # S(p_b | theta) x column total
    inv = np.where(d > 0, 1.0 / np.where(surv > 0, surv, 1.0), 0.0)
    norm = (d * inv).sum(axis=0)                               # per column
    col = d.sum(axis=0)
    tail = inv * np.where(norm > 0, col / np.where(norm > 0, norm, 1.0), 0.0)   # sum_p d tail = col
    if columns is not None and np.any(columns & (col > 0)):
        tail = tail * columns[None, :]
        tail *= d.sum() / (d * tail).sum()
    return (1.0 - share) + share * tail


def angular_window(card: DumpCard) -> tuple[float, float]:
    """Polar angles (rad) from the dump front to the detector window of :func:`detector_window`.

    theta from (|centre| - |half|) / dz (0 if the window covers the beam axis) to
    (|centre| + |half|) / dz, dz the distance from the dump front to the last plane.
    """
    zw, centre, half = detector_window(card)
    dz = zw - card.geometry.tax_front_m * m
    r_c, r_h = float(np.hypot(*centre)), float(np.hypot(*half))
    return max(0.0, r_c - r_h) / dz, (r_c + r_h) / dz


def tail_weighted_draw(table, name: str, n: int, rng: np.random.Generator, share: float,
                       window: tuple[float, float] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw ``n`` (p, theta) of ``name`` from a table with the tail proposal of :func:`tail_ratio`.

    Bins are chosen by their proposal content, the values inside a bin are
    uniform in log p and log theta (as :meth:`ProductionTable.sample
    <na62lab.generation.dump.tables.ProductionTable.sample>`, which it
    reproduces draw for draw when ``share`` is 0).

    Parameters
    ----------
    table : ProductionTable
    name : str
        Species.
    n : int
        Number of draws.
    rng : numpy.random.Generator
    share : float
        Tail share of the proposal (card ``mc.tail_share``).
    window : (float, float), optional
        Polar-angle range (rad) the tail component is restricted to (:func:`angular_window`).

    Returns
    -------
    p : ndarray
        Momenta (MeV/c), at least 1.001 x the PDG mass.
    theta : ndarray
        Polar angles (rad).
    weight : ndarray
        Importance weights d/q (mean 1 over the proposal).
    """
    dens = table.density[name]
    columns = None
    if window is not None:
        columns = (10.0 ** table.log10theta_edges[1:] > window[0]) & (10.0 ** table.log10theta_edges[:-1] < window[1])
    ratio = tail_ratio(dens, share, columns)
    q = (dens * ratio).ravel()
    cdf = np.cumsum(q) / q.sum()
    idx = np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), q.size - 1)
    ip, it = np.divmod(idx, dens.shape[1])
    lp = table.log10p_edges[ip] + rng.random(n) * np.diff(table.log10p_edges)[ip]
    lt = table.log10theta_edges[it] + rng.random(n) * np.diff(table.log10theta_edges)[it]
    p = np.maximum(10.0 ** lp * GeV, 1.001 * pdg_mass(name) if name != "gamma" else 0.0)
    return p, 10.0 ** lt, 1.0 / ratio.ravel()[idx]


DEFENSIVE_SHARE = 0.5
"""Share of the plain FIP weights in the thinning probabilities of :func:`thin` (numerical choice: at
10 MeV, BC9 on the NA62 Run-2 card, 2500 FIPs from a pool of 8 x 2500, the long-lived efficiency
scatters by 2.1 % with 0.5 and 3.8 % with 0.2, 5.6 % without a pool; measured over 6 seeds)."""


def detector_window(card: DumpCard) -> tuple[float, np.ndarray, np.ndarray]:
    """z (mm), centre (x, y) and half sizes (x, y) (mm) of the last detector plane the daughters reach.

    The NA62 LKr (outer radius) without a ``detector`` section, otherwise the
    last plane of the card's detector with its offset and aperture.
    """
    det = card.detector
    if det is None:
        r = card.geometry.lkr_outer_radius_m * m
        return card.geometry.lkr_m * m, np.zeros(2), np.array([r, r])
    return det.planes_m[-1] * m, np.asarray(det.offset_m) * m, np.asarray(det.aperture_half_m) * m


def relevance(sample: FIPSample, card: DumpCard, margin: float = 1.5, n_lifetimes: int = 16,
              acceptance: np.ndarray | None = None) -> np.ndarray:
    """Importance score (>= 0, arbitrary scale) of every FIP of a pool for the efficiency tables.

    A FIP counts if its line crosses the last detector plane within ``margin``
    x the window of :func:`detector_window` (its daughters fly about along it)
    and it decays in the decay volume, with probability
    exp(-u0/tau') (1 - exp(-du/tau')) for tau' = c tau / m, u0 = (z0 - z_prod)/p_z
    and du = (z1 - z0)/p_z (mm/(MeV/c)).  The score is the FIP weight times a
    mixture over ``n_lifetimes`` tau' log-spaced from deep in the long-lived
    regime down to a 40-e-fold suppression of the most energetic FIP, each
    normalised to the pool total, so that every lifetime from the lower to
    the upper coupling edge gets its share of the FIPs (the mixture "balance
    heuristic" of Veach & Guibas, SIGGRAPH 1995, applied to one target per
    lifetime); plus, with the same total, the pointing FIPs flattened in log p
    (:func:`momentum_strata`).

    ``acceptance`` (N,), optional: a pilot estimate of each FIP's selection
    acceptance, >= 0 (:func:`na62lab.yields.dump_tables.pilot_acceptance`);
    the lifetime kernels are then multiplied by it, so that each lifetime's share
    goes to FIPs the selection keeps.  Without it the short-lived kernels favour
    the most energetic pointing FIPs whatever the selection does with them: on
    the SHADOWS card (BC9, 92 MeV, at the upper edge) the pool held about 1000
    pointing FIPs of 60-100 GeV that a pilot decay selected, the thinning kept
    about 10 of them, and the p > 100 GeV ones it preferred have photon pairs
    closer than the card's 0.1 m.  A FIP the pilot rejected keeps the defensive
    share of :func:`thin` and the momentum strata, so every inclusion probability
    stays > 0 and the Horvitz-Thompson weights exact.
    """
    z0, z1 = (z * m for z in card.selection.fiducial_z_m)
    fwd, inside = pointing(sample, card, margin)
    pz_safe = np.where(fwd, sample.p4[:, 3], 1.0)
    u0 = np.where(fwd, (z0 - sample.origin[:, 2]) / pz_safe, np.inf)
    du = np.where(fwd, (z1 - z0) / pz_safe, 0.0)
    w = sample.weight * inside
    on = w > 0
    if not np.any(on):
        return w
    w_on, u0, du = w[on], u0[on], du[on]
    taus = np.geomspace(max(float(u0.min()), 1e-12) / 40.0, 100.0 * float((u0 + du).max()), n_lifetimes)
    if acceptance is not None:
        w_on = w_on * acceptance[on]
    kern = w_on * np.exp(-u0 / taus[:, None]) * -np.expm1(-du / taus[:, None])      # (n_lifetimes, n_on)
    totals = kern.sum(axis=1, keepdims=True)
    score = np.zeros(w.shape)
    score[on] = (kern / np.where(totals > 0, totals, np.inf)).sum(axis=0) / n_lifetimes
    return score + momentum_strata(sample.momentum, w)


def pointing(sample: FIPSample, card: DumpCard, margin: float = 1.5) -> tuple[np.ndarray, np.ndarray]:
    """Forward FIPs, and those whose line crosses the last plane within ``margin`` x the window of
    :func:`detector_window` (boolean arrays (N,))."""
    zw, centre, half = detector_window(card)
    pz = sample.p4[:, 3]
    fwd = pz > 0
    pz_safe = np.where(fwd, pz, 1.0)
    x = sample.origin[:, :2] + sample.p4[:, 1:3] / pz_safe[:, None] * (zw - sample.origin[:, 2:3])
    return fwd, fwd & np.all(np.abs(x - centre) <= margin * half, axis=1)


def momentum_strata(p: np.ndarray, w: np.ndarray, n_strata: int = 12) -> np.ndarray:
    """Weights ``w`` flattened in log p: every one of ``n_strata`` log-momentum strata spanned by the
    FIPs with w > 0 gets the same total (sum 1 overall).

    The selection keeps only part of the momentum range (e.g. photon pairs too
    collimated above some energy), so the lifetimes' FIPs (the most energetic ones)
    need not be those accepted; equal shares per momentum stratum keep every
    energy that the selection may prefer covered (stratified sampling).
    """
    out = np.zeros(w.shape)
    on = w > 0
    lp = np.log(p[on])
    edges = np.linspace(lp.min(), lp.max() + 1e-9, n_strata + 1)
    k = np.clip(np.searchsorted(edges, lp, side="right") - 1, 0, n_strata - 1)
    tot = np.bincount(k, weights=w[on], minlength=n_strata)
    filled = np.count_nonzero(tot > 0)
    out[on] = w[on] / tot[k] / filled
    return out


def inclusion_probabilities(score: np.ndarray, n: int) -> np.ndarray:
    """pi_i = min(1, c score_i) with sum pi = n (or every positive score included if fewer)."""
    pi = np.zeros(score.shape)
    positive = score > 0
    if np.count_nonzero(positive) <= n:
        return positive.astype(float)
    capped = np.zeros(score.shape, bool)
    for _ in range(score.size):
        c = (n - np.count_nonzero(capped)) / float(score[~capped].sum())
        pi = np.where(capped, 1.0, np.minimum(1.0, c * score))
        new = (pi >= 1.0) & ~capped
        if not new.any():
            break
        capped |= new
    return pi


def thin(pool: FIPSample, n: int, card: DumpCard, rng: np.random.Generator,
         defensive: float = DEFENSIVE_SHARE, acceptance: np.ndarray | None = None) -> FIPSample:
    """``n`` FIPs of a larger ``pool``, chosen with probabilities pi_i, weighted w_i / pi_i.

    pi_i is proportional to ``defensive`` x w_i + (1 - ``defensive``) x the
    normalised :func:`relevance` (capped at 1), so the FIPs that decide the
    acceptance, at every lifetime, are kept and the others thinned out.
    Systematic sampling in random order gives exactly ``n`` FIPs with inclusion
    probabilities pi_i (fewer if fewer than ``n`` FIPs have a positive score: those are all kept, FIPs
    of weight 0 never); the Horvitz-Thompson weights w_i / pi_i (Horvitz &
    Thompson, JASA 47 (1952) 663) make every efficiency an unbiased estimate
    of the pool's, hence of the production spectrum's.  A pool of at most
    ``n`` FIPs is returned as it is.  ``acceptance``: pilot acceptances of the pool's FIPs
    (:func:`relevance`).
    """
    size = pool.weight.size
    if size <= n:
        return pool
    rel = relevance(pool, card, acceptance=acceptance)
    w = pool.weight / max(float(pool.weight.sum()), 1e-300)
    score = defensive * w + (1.0 - defensive) * (rel / rel.sum() if rel.sum() > 0 else w)
    pi = inclusion_probabilities(score, n)
    order = rng.permutation(size)
    cum = np.cumsum(pi[order])
    picks = np.searchsorted(cum, rng.random() + np.arange(n), side="right")
    idx = np.unique(order[picks[picks < size]])     # points past sum(pi) (< n positive scores) pick nothing
    return FIPSample(pool.mode, pool.mass, pool.p4[idx], pool.origin[idx], pool.weight[idx] / pi[idx],
                     pool.polarised)
