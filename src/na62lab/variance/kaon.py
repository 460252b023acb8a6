"""Variance reduction of the kaon-mode chunk through one interface: resamplers and averagers.

Every technique used by :mod:`na62lab.yields.kaon_sim` is exactly unbiased
and is one of two kinds, each with one call signature:

- a **resampler** acts on the generated decays before the detector
  response: it returns the rows to simulate (a decay may be repeated or
  dropped) and the per-row weight that multiplies ``w_decay`` (splitting
  and Russian roulette; Kahn and Harris 1951; Owen, *Monte Carlo theory,
  methods and examples* (2013), Sec. 10.5)::

      step(card, mode, beam, fs, *, w_split, rng, params, tables, response, origin, carry)
          -> (beam, fs, w_split, rows)          # rows None: nothing done

  (``origin``: generated decay of each input row; ``carry``: a dict in which a step may leave per-input-row
  arrays for the averagers, e.g. the K3pi pair-averaged veto weight it resampled by; :func:`resample`)

  :data:`RESAMPLERS`: edge splitting of K+ -> pi+ pi+ pi-
  (:func:`split_near_edge`), importance by the true m_miss^2
  (:func:`importance_by_mmiss2`) and by the veto pass probability of the
  true final state (:func:`importance_by_veto`), in this order;
- the **track measurement** of a mode can be importance-sampled: :func:`track_params` gives the detector
  constants with the STRAW single-scattering tails made more frequent and harder
  (``run.importance_straw_tail``; the likelihood-ratio weight is part of the response's ``w_decay``,
  :func:`na62lab.detector.tracking.measure_track`), which is where the K+ -> pi+ pi+ pi- tail into R1/R2
  comes from;
- an **averager** replaces the veto weight ``w_veto`` of selected rows by
  its expectation over decay variables that no cut depends on (conditional
  Monte Carlo, Rao-Blackwellisation; Owen (2013) Sec. 8.7)::

      step(card, mode, w_veto, rows, idx, region, fs, vertex, params, tables, rng, carry) -> None

  :data:`AVERAGERS`: pi0 -> gamma gamma orientations
  (:func:`average_pi0_orientations`, :mod:`~na62lab.variance.pi0_orientation`)
  and the pi+ pi- pair orientations of K+ -> pi+ pi+ pi-
  (:func:`average_pair_orientations`, :mod:`~na62lab.variance.pair_orientation`).

:func:`resample` and :func:`average_vetoes` run them all; each step is
switched by the card (``run.k3pi_edge_split``, ``run.importance_mmiss2_gev2``,
``run.importance_veto``, ``run.pi0_orientations``, ``run.pair_orientations``)
and draws its random numbers from a spawned stream or from none, so the
chunk's own stream is the same with a step on or off (except the pi0
average, which draws from the chunk stream, after every other draw of its
mode).
Units: MeV, mm.
"""

from __future__ import annotations

import numpy as np

from na62lab.config.kaon import KaonCard
from na62lab.physics.units import GeV
from na62lab.selection.regions import R1, R2
from na62lab.variance.pair_orientation import PAIR_MODES, averaged_pair_veto_weight
from na62lab.variance.pi0_orientation import PHOTON_MODES, all_gamma_gamma, averaged_veto_weight
from na62lab.variance.splitting import (importance_factors, importance_rows, near_edge, pion_hypothesis_mmiss2,
                                        split_rows, take_beam, take_final_state)

__all__ = ["AVERAGERS", "RESAMPLERS", "average_pair_orientations", "average_pi0_orientations", "average_vetoes",
           "importance_by_mmiss2", "importance_by_veto", "resample", "split_near_edge", "track_params"]


def split_near_edge(card: KaonCard, mode: str, beam, fs, **_):
    """K+ -> pi+ pi+ pi- decays with a pi+ of true m_miss^2 below ``run.k3pi_edge_mmiss2_gev2`` (GeV^2/c^4)
    simulated ``run.k3pi_edge_split`` times with weight 1/factor (:mod:`~na62lab.variance.splitting`; exactly
    unbiased; no random numbers).  Returns the beam, the decays, the per-row weights and rows (None, None when
    nothing is split)."""
    if mode != "pipipi" or card.run.k3pi_edge_split <= 1:
        return beam, fs, None, None
    edge = near_edge(fs, beam.p4, card.run.k3pi_edge_mmiss2_gev2 * GeV**2)
    rows, weight = split_rows(edge, card.run.k3pi_edge_split)
    return take_beam(beam, rows), take_final_state(fs, rows), weight, rows


def importance_by_mmiss2(card: KaonCard, mode: str, beam, fs, w_split, rng, **_):
    """Splitting / Russian roulette of the decays of ``mode`` at the factors of ``run.importance_mmiss2_gev2``
    (by the decay's smallest true m_miss^2 of a positive charged particle, GeV^2/c^4, pi+ hypothesis;
    :func:`~na62lab.variance.splitting.importance_rows`, exactly unbiased).  Draws from a spawned stream, and
    only for the modes in the table, so the chunk's own stream is the same with or without it.  Returns the beam,
    the decays, the per-row weights (``w_split`` times the new ones) and the rows (None when nothing is done)."""
    table = card.run.importance_mmiss2_gev2.get(mode)
    if not table:
        return beam, fs, w_split, None
    score = pion_hypothesis_mmiss2(fs, beam.p4) / GeV**2
    factor = importance_factors(score, table)
    rows, weight = importance_rows(factor, rng.spawn(1)[0])
    if w_split is not None:
        weight = weight * w_split[rows]
    return take_beam(beam, rows), take_final_state(fs, rows), weight, rows


def importance_by_veto(card: KaonCard, mode: str, beam, fs, w_split, rng, params, tables, response, origin=None,
                       carry=None, **_):
    """Splitting / Russian roulette of the decays of ``mode`` at f = clip(w0 / w_ref, f_min, f_max)
    (``run.importance_veto``), w0 being the veto pass probability of the true final state (deterministic given
    the decay: the product of the other particles' miss probabilities, ``response`` run once on the generated
    decays with a spawned stream), 0 for decays without a selectable track.  f depends on the generated decay
    only, so the estimate is exactly unbiased (:func:`~na62lab.variance.splitting.importance_rows`); decays that
    can carry a large background weight are simulated more often.

    For K+ -> pi+ pi+ pi- with ``run.importance_veto_pair_orientations`` = n > 0, w0 is instead A, the veto
    weight averaged over n orientations of the pion pair (:mod:`~na62lab.variance.pair_orientation`, spawned
    stream), computed once per generated decay (copies made by earlier steps, same ``origin``, share it), and A
    is also the veto weight of the decay's R1/R2 rows (``carry["pair_veto"]``, read by
    :func:`average_pair_orientations`): a copy then counts w_ref x (its other weights) whenever f is not clipped,
    whatever A is, so the veto weight, which spans ~8 decades from decay to decay (1e-5..1e-3 for the rare pairs
    that nearly escape through the beam holes, ~3e-8 typically), no longer makes a few events heavy.  Unbiased:
    given the decay, A is drawn from streams independent of the copies' detector draws, E[A] is the
    orientation-averaged weight (:mod:`~na62lab.variance.pair_orientation`), and each row counts A / f with
    E[k / f | A] = 1.  (A one-orientation score predicts that average poorly: it spans many decades from
    orientation to orientation.)

    Parameters
    ----------
    origin : ndarray of int, optional
        Generated decay of each input row (:func:`resample`); rows sharing it get one w0.
    carry : dict, optional
        Per-input-row arrays of the chain (:func:`resample`); receives ``"pair_veto"`` (NaN without a selectable
        track) when A is computed.

    Returns
    -------
    (beam, fs, w_split, rows)
        The beam, the decays, the per-row weights and the rows (None when nothing is done).
    """
    spec = card.run.importance_veto.get(mode)
    if not spec:
        return beam, fs, w_split, None
    w_ref, f_min, f_max = spec
    stream = rng.spawn(1)[0]
    inv = None
    one, ofs = beam, fs
    if origin is not None:
        _uniq, first, inv = np.unique(origin, return_index=True, return_inverse=True)
        one, ofs = take_beam(beam, first), take_final_state(fs, first)
    pre = response(ofs, one.vertex, params, tables, stream)
    selectable = np.isfinite(pre.w_veto)
    w0 = np.where(selectable, pre.w_veto, 0.0)
    n_avg = card.run.importance_veto_pair_orientations
    if mode in PAIR_MODES and n_avg > 0:
        rows = np.flatnonzero(selectable)
        if rows.size:
            w0[rows] = averaged_pair_veto_weight(ofs, one.vertex, rows, params, tables, n_avg, stream)
        if carry is not None:
            carry["pair_veto"] = np.where(selectable, w0, np.nan)
    if inv is not None:
        w0 = w0[inv]
        if carry is not None and "pair_veto" in carry:
            carry["pair_veto"] = carry["pair_veto"][inv]
    rows, weight = importance_rows(np.clip(w0 / w_ref, f_min, f_max), stream)
    if w_split is not None:
        weight = weight * w_split[rows]
    return take_beam(beam, rows), take_final_state(fs, rows), weight, rows


RESAMPLERS = (split_near_edge, importance_by_mmiss2, importance_by_veto)
"""Resamplers in the order they are applied (module doc)."""


def resample(card: KaonCard, mode: str, beam, fs, rng: np.random.Generator, params, tables, response,
             carry: dict | None = None):
    """Apply every resampler of :data:`RESAMPLERS` to the generated decays ``fs`` of ``mode``.

    Each step is called with the generated-decay index of its input rows (``origin``) and a dict ``carry`` in
    which it may leave per-input-row arrays for the averagers (e.g. the pair-averaged veto weight of
    :func:`importance_by_veto`); the arrays follow the rows of the later steps.

    Parameters
    ----------
    carry : dict, optional
        Filled with the per-row arrays of the output rows (left empty when no step leaves one).

    Returns
    -------
    (beam, fs, w_split, origin)
        The beam and decays to simulate, the per-row weight (None when no step acted) and the index of the
        generated decay each row simulates (copies of a split decay share it; int32).
    """
    origin, w_split = np.arange(fs.n, dtype=np.int32), None
    carry = {} if carry is None else carry
    for step in RESAMPLERS:
        beam, fs, w_split, rows = step(card, mode, beam, fs, w_split=w_split, rng=rng, params=params, tables=tables,
                                       response=response, origin=origin, carry=carry)
        if rows is not None:
            origin = origin[rows]
            for key in carry:
                carry[key] = carry[key][rows]
    return beam, fs, w_split, origin


def track_params(card: KaonCard, mode: str, params):
    """The detector constants of the track measurement of ``mode``: ``params`` with the STRAW tail importance
    sampling of ``run.importance_straw_tail`` (``straw_tail_bias``, ``straw_tail_mix``;
    :func:`~na62lab.detector.tracking.measure_track`), or ``params`` itself for the other modes.  The weight is
    carried in the response's ``w_decay`` (exactly unbiased; the random numbers of the other modes are unchanged).
    """
    spec = card.run.importance_straw_tail.get(mode)
    if not spec:
        return params
    return params._replace(straw_tail_bias=float(spec[0]), straw_tail_mix=float(spec[1]))


def average_pi0_orientations(card: KaonCard, mode: str, w_veto, rows, idx, region, fs, vertex, params, tables,
                             rng, carry=None) -> None:
    """Replace ``w_veto`` of the kinematically selected signal-region ``rows`` whose pi0s (if any) decayed to
    gamma gamma by its average over ``card.run.pi0_orientations`` decay orientations, with the E/p rule for
    photons merged with the track cluster (:mod:`~na62lab.variance.pi0_orientation`); modes of
    :data:`~na62lab.variance.pi0_orientation.PHOTON_MODES` only.  ``rows`` index the track arrays; ``idx`` maps
    them to events of ``fs``."""
    if mode not in PHOTON_MODES or card.run.pi0_orientations <= 0:
        return
    rows = rows[(region[rows] == R1) | (region[rows] == R2)]
    rows = rows[all_gamma_gamma(fs, idx[rows])]
    if rows.size:
        w_veto[rows] = averaged_veto_weight(fs, vertex, idx[rows], params, tables, card.run.pi0_orientations, rng)


def average_pair_orientations(card: KaonCard, mode: str, w_veto, rows, idx, region, fs, vertex, params, tables,
                              rng, carry=None) -> None:
    """Replace ``w_veto`` of the kinematically selected R1/R2 ``rows`` of K+ -> pi+ pi+ pi- by its average over
    the orientations of the undetected pion pair (:mod:`~na62lab.variance.pair_orientation`): the average the
    decay was resampled by (``carry["pair_veto"]`` per row of ``fs``, from :func:`importance_by_veto`) when there
    is one, so that the importance factor and the weight cancel; otherwise over ``card.run.pair_orientations``
    orientations (0: off).  Draws from a spawned stream, so the chunk's own stream (hence every later mode) is the
    same with or without the average."""
    if mode not in PAIR_MODES:
        return
    rows = rows[(region[rows] == R1) | (region[rows] == R2)]
    prior = None if carry is None else carry.get("pair_veto")
    if prior is not None:
        known = np.isfinite(prior[idx[rows]])
        w_veto[rows[known]] = prior[idx[rows[known]]]
        rows = rows[~known]
    if rows.size and card.run.pair_orientations > 0:
        w_veto[rows] = averaged_pair_veto_weight(fs, vertex, idx[rows], params, tables,
                                                 card.run.pair_orientations, rng.spawn(1)[0])


AVERAGERS = (average_pi0_orientations, average_pair_orientations)
"""Averagers in the order they are applied (module doc)."""


def average_vetoes(card: KaonCard, mode: str, w_veto, rows, idx, region, fs, vertex, params, tables,
                   rng: np.random.Generator, carry: dict | None = None) -> None:
    """Apply every averager of :data:`AVERAGERS` to ``w_veto`` (float32 per track row, changed in place);
    ``carry``: the per-row arrays of :func:`resample` (rows of ``fs``)."""
    for step in AVERAGERS:
        step(card, mode, w_veto, rows, idx, region, fs, vertex, params, tables, rng, carry)
