"""Event splitting: simulate the detector response of chosen decays several times, with weights 1/factor.

A K+ -> pi+ pi+ pi- decay enters the K+ -> pi+ nu nubar signal regions only
through a reconstruction tail: its true squared missing mass with the pi+
mass hypothesis is at least (2 m_pi)^2 = 0.078 GeV^2/c^4, above R2, and the
measured one has to fall about ten resolution widths lower (GTK mis-matching
with an accidental beam track, scattering tails).  Nearly all decays that do
so have a true value near the kinematic edge, the few per cent of decays with
a soft pi+ pi- pair.

Splitting (Kahn and Harris 1951; e.g. Owen, *Monte Carlo theory, methods and
examples* (2013), Sec. 10.5 "splitting"): a decay chosen by a rule that
depends only on the generated event (here, its true kinematics) is passed to
the detector simulation ``factor`` times, each copy with its own
measurement, matching and selection draws, and each copy counts with weight
1/factor.  For every decay the sum of the copies' weighted contributions has
the same expectation as one simulation of it (the copies are conditionally
independent given the decay), so the estimator of every tally is exactly
unbiased, while the number of simulated reconstruction tails of the chosen
decays grows by ``factor``.  Decays not chosen keep weight 1 and their
order; copies are appended after them.

Units: MeV.
"""

from __future__ import annotations

import numpy as np

from na62lab.generation.kaon.beam import BeamSample, BeamTracks
from na62lab.generation.kaon.final_state import PION, FinalState, Slot
from na62lab.physics.particles import mass


def near_edge(final_state: FinalState, kaon_p4: np.ndarray, s_max: float) -> np.ndarray:
    """True for decays with a positive pion whose true squared missing mass (P_K - p_pi)^2 is below ``s_max``.

    Parameters
    ----------
    final_state : FinalState
        Decay products (MeV); pion slots carry the pion mass, so (P_K - p_pi)^2
        is the m_miss^2 of that pion under the pi+ hypothesis.
    kaon_p4 : ndarray, shape (N, 4)
        Parent four-momenta (MeV).
    s_max : float
        Largest squared missing mass (MeV^2) of a chosen decay.

    Returns
    -------
    ndarray of bool, shape (N,)
    """
    out = np.zeros(final_state.n, bool)
    for s in final_state.slots:
        d = kaon_p4 - s.p4
        m2 = d[:, 0] ** 2 - np.sum(d[:, 1:] ** 2, axis=1)
        out |= (s.species == PION) & (s.charge > 0) & (m2 < s_max)
    return out


def split_rows(mask: np.ndarray, factor: int) -> tuple[np.ndarray, np.ndarray]:
    """Row index into the original events and weights of the split sample.

    Rows 0..N-1 are the original events in their order; each event with
    ``mask`` True is followed (after all originals) by ``factor - 1`` copies.
    Chosen events and their copies get weight 1/factor, the others 1, so the
    weights of each original event's rows sum to one.

    Examples
    --------
    >>> rows, w = split_rows(np.array([False, True, False]), 3)
    >>> rows.tolist(), w.tolist()
    ([0, 1, 2, 1, 1], [1.0, 0.3333333333333333, 1.0, 0.3333333333333333, 0.3333333333333333])
    """
    if int(factor) != factor or factor < 1:
        raise ValueError(f"factor must be an integer >= 1, got {factor!r}")
    mask = np.asarray(mask, bool)
    chosen = np.flatnonzero(mask)
    rows = np.concatenate([np.arange(mask.size), np.repeat(chosen, int(factor) - 1)])
    weight = np.where(mask, 1.0 / factor, 1.0)[rows]
    return rows, weight


def take_beam(beam: BeamSample, rows: np.ndarray) -> BeamSample:
    """The beam particles ``rows`` (copies where a row repeats)."""
    t = beam.tracks
    return BeamSample(BeamTracks(t.p[rows], t.tx[rows], t.ty[rows], t.x[rows], t.y[rows]), beam.p4[rows],
                      beam.vertex[rows], beam.particle)


def take_final_state(final_state: FinalState, rows: np.ndarray) -> FinalState:
    """The decays ``rows`` of ``final_state`` (copies where a row repeats)."""
    return FinalState(final_state.mode, [Slot(s.p4[rows], s.species[rows], s.charge[rows]) for s in final_state.slots])


def split_events(beam: BeamSample, final_state: FinalState, mask: np.ndarray,
                 factor: int) -> tuple[BeamSample, FinalState, np.ndarray]:
    """Beam and decays with the ``mask`` events split ``factor`` times, and each row's weight.

    The weight multiplies every per-event weight of the tallies (the
    ``w_decay`` column); the number of generated decays is unchanged.
    ``factor`` = 1 returns the inputs themselves and unit weights.

    Parameters
    ----------
    beam : BeamSample
    final_state : FinalState
    mask : ndarray of bool, shape (N,)
        Events to split (a function of the generated event only, e.g. :func:`near_edge`).
    factor : int
        Simulations of each chosen event (>= 1).

    Returns
    -------
    (BeamSample, FinalState, ndarray)
    """
    if factor == 1:
        split_rows(mask, 1)                     # validates the arguments
        return beam, final_state, np.ones(final_state.n)
    rows, weight = split_rows(mask, factor)
    return take_beam(beam, rows), take_final_state(final_state, rows), weight


def pion_hypothesis_mmiss2(final_state: FinalState, kaon_p4: np.ndarray) -> np.ndarray:
    """Smallest true squared missing mass (P_K - p)^2 over the positive charged particles, pi+ hypothesis (MeV^2).

    Each positive charged particle's energy is recomputed with the pi+ mass
    (E = sqrt(|p|^2 + m_pi^2)), as the selection does for the track; events
    with no positive charged particle get +inf.

    Parameters
    ----------
    final_state : FinalState
        Decay products (MeV).
    kaon_p4 : ndarray, shape (N, 4)
        Parent four-momenta (MeV).

    Returns
    -------
    ndarray, shape (N,)
        MeV^2.
    """
    m_pi2 = mass("pi+") ** 2
    out = np.full(final_state.n, np.inf)
    for s in final_state.slots:
        p3 = s.p4[:, 1:]
        e_pi = np.sqrt(np.sum(p3**2, axis=1) + m_pi2)
        d3 = kaon_p4[:, 1:] - p3
        m2 = (kaon_p4[:, 0] - e_pi) ** 2 - np.sum(d3**2, axis=1)
        out = np.where(s.charge > 0, np.minimum(out, m2), out)
    return out


def importance_factors(score: np.ndarray, table: list[tuple[float, float]]) -> np.ndarray:
    """Importance factor of each event from a piecewise-constant table of its score.

    Parameters
    ----------
    score : ndarray, shape (N,)
        A function of the generated event only (e.g. :func:`pion_hypothesis_mmiss2`), same units as the edges.
    table : list of (upper edge, factor)
        Increasing upper edges; an event takes the factor of the first bin whose upper edge is above its score;
        events at or above the last edge (or with a NaN score) keep factor 1.

    Returns
    -------
    ndarray, shape (N,)
        Factors (> 0): above 1 the event is split, below 1 it is played by Russian roulette.

    Examples
    --------
    >>> importance_factors(np.array([0.5, 1.5, 7.0]), [(1.0, 10.0), (5.0, 0.1)]).tolist()
    [10.0, 0.1, 1.0]
    """
    edges = np.array([e for e, _ in table], float)
    factors = np.array([f for _, f in table] + [1.0], float)
    score = np.asarray(score, float)
    k = np.searchsorted(edges, np.where(np.isnan(score), np.inf, score), side="right")
    return factors[k]


def importance_rows(factor: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Row index and weights of splitting with Russian roulette at per-event factors f > 0.

    Event i is simulated k_i = floor(f_i) + B_i times, B_i ~ Bernoulli(f_i - floor(f_i)), each copy with
    weight 1/f_i, so E[k_i / f_i] = 1: every tally keeps its expectation exactly, because the copies are
    conditionally independent simulations of the same decay and f_i depends on the generated decay only
    (splitting and Russian roulette, Kahn and Harris 1951; Owen, *Monte Carlo theory, methods and
    examples* (2013), Sec. 10.5).  Events with f < 1 are kept with probability f (roulette) and weight 1/f.
    Kept originals come first in their order, then the extra copies.

    Parameters
    ----------
    factor : ndarray, shape (N,)
        Expected number of simulations of each event (> 0).
    rng : numpy.random.Generator

    Returns
    -------
    (ndarray of int64, ndarray of float)
        Rows into the original events and their weights.
    """
    factor = np.asarray(factor, float)
    if np.any(~np.isfinite(factor)) or np.any(factor <= 0):
        raise ValueError("importance factors must be finite and > 0")
    base = np.floor(factor)
    copies = (base + (rng.uniform(0.0, 1.0, factor.size) < factor - base)).astype(np.int64)
    first = np.flatnonzero(copies >= 1)
    extra = np.repeat(np.arange(factor.size), np.maximum(copies - 1, 0))
    rows = np.concatenate([first, extra])
    return rows, 1.0 / factor[rows]

