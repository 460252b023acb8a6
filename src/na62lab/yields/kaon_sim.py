"""One chunk of the kaon-mode fast simulation: beam -> decay -> detector -> reconstruction -> selection.

Decays are generated mode by mode in fixed shares of the chunk (card
``run.fractions``); the branching ratios are restored by the per-mode
weights BR / (share of generated decays) when counting
(:mod:`na62lab.yields.kaon_tally`).  The chunk returns the events with a
reconstructed single track as columns (units in the names), plus the number
of decays generated in each mode.  Only tracks inside the LKr/MUV3
acceptance and the momentum range are matched to a GTK track (the others
cannot pass the selection; their ``mmiss2_gev2``, ``cda_mm``, ``vz_m`` are
NaN), and only kinematically selected tracks get a PID probability
(``w_pid`` is 0 for the others).  ``w_veto`` is the veto pass probability
of the event; for kinematically selected events in R1 or R2 of the modes with
pi0s that all decayed to gamma gamma it is averaged over
``run.pi0_orientations`` decay orientations (conditional Monte Carlo,
:mod:`~na62lab.variance.pi0_orientation`), which makes those background estimates
rest on many events instead of a few heavy ones; for K+ -> pi+ pi+ pi- the
same is done over the orientations of the pion pair
(``run.pair_orientations``, :mod:`~na62lab.variance.pair_orientation`; when its decays were resampled by that
average, ``run.importance_veto_pair_orientations``, the same average is the weight, so score and weight cancel), and
its decays near the kinematic edge, where nearly all reconstruction tails
into R1/R2 come from, are simulated ``run.k3pi_edge_split`` times with
weight 1/factor in ``w_decay`` (:mod:`~na62lab.variance.splitting`); more generally the modes of
``run.importance_mmiss2_gev2`` are split or played by Russian roulette by their true m_miss^2 (exactly unbiased).
All of these run through the one interface of :mod:`na62lab.variance.kaon`; the cuts are those of
:mod:`na62lab.selection.kaon_cuts`.
Every ``w_veto`` includes the E/p rejection of photons merged with the
track's LKr cluster (``calo_pid.merged_eop_max``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from na62lab.config.kaon import SM_MODES, KaonCard
from na62lab.detector.params import DetectorParams, detector_params, veto_tables
from na62lab.detector.pid import pion_id_weights_events
from na62lab.detector.response import TrackResponse, detector_response
from na62lab.errors import InputError
from na62lab.physics.units import GeV, m
from na62lab.selection import kaon_cuts
from na62lab.selection.kaon_cuts import FLAG_ACCEPTANCE as FLAG_ACCEPTANCE  # re-exported: the flag bits live in
from na62lab.selection.kaon_cuts import FLAG_BEAM as FLAG_BEAM              # selection.kaon_cuts with the cuts
from na62lab.selection.kaon_cuts import FLAG_MATCHED_TRUE as FLAG_MATCHED_TRUE
from na62lab.selection.kaon_cuts import FLAG_MOMENTUM as FLAG_MOMENTUM
from na62lab.selection.kaon_cuts import FLAG_QUALITY as FLAG_QUALITY
from na62lab.selection.kaon_cuts import FLAG_VERTEX as FLAG_VERTEX
from na62lab.selection.kaon_cuts import KINEMATIC as KINEMATIC
from na62lab.variance import kaon as variance
from na62lab.yields.kaon_chain import match_tracks, simulate_decays

MODE_INDEX = {name: i for i, name in enumerate(SM_MODES)}
"""Stored ``mode`` code of each Standard-Model mode (index in :data:`~na62lab.config.kaon.SM_MODES`)."""

COLUMNS = ("mode", "species", "p_gev", "mmiss2_gev2", "mmiss2_beam_gev2", "cda_mm", "vz_m", "true_vz_m", "p_k_gev",
           "region", "pbin", "flags", "w_decay", "w_pid", "w_veto", "decay")
"""Stored columns (``decay``: index of the generated decay of its mode in the chunk, shared by the copies of a
split decay, so that the statistical error sums the weights of each decay before squaring; ``--full`` adds the
true kaon and track four-momenta and the vertex)."""


@dataclass
class ChunkResult:
    """Events with a track (``columns``, equal-length arrays) and decays generated per mode."""

    columns: dict
    n_generated: dict


def allocate(n: int, fractions: dict[str, float]) -> dict[str, int]:
    """Split ``n`` decays among modes by largest remainder (deterministic, sums to ``n``)."""
    modes = [mm for mm in SM_MODES if fractions.get(mm, 0.0) > 0]
    total = sum(fractions[mm] for mm in modes)
    exact = np.array([n * fractions[mm] / total for mm in modes])
    base = np.floor(exact).astype(int)
    order = np.argsort(-(exact - base), kind="stable")
    base[order[: n - base.sum()]] += 1
    return {mm: int(k) for mm, k in zip(modes, base)}


def no_track_response(final_state, vertex, params, tables, rng) -> TrackResponse:
    """A :class:`~na62lab.detector.response.TrackResponse` with no track in any event (arrays of the types
    :func:`~na62lab.detector.response.detector_response` returns); used by :mod:`na62lab.kernels` to compile the
    kernels after the response without compiling the response."""
    n = final_state.n
    i8, f8, no = np.full(n, -1, np.int8), np.full(n, np.nan), np.zeros(n, bool)
    return TrackResponse(no, i8, f8, f8, f8, f8, f8, f8, no, no, f8, f8, no, f8)


def _simulate_mode(card: KaonCard, params: DetectorParams, tables, mode: str, n: int, rng, full: bool,
                   response=detector_response) -> dict:
    """Columns of ``n`` decays of ``mode`` (``response``: the detector response function, replaced only by
    :func:`no_track_response` in the kernel warm-up)."""
    sample = simulate_decays(card, mode, n, rng, params, tables, response)
    beam, fs, w_split, origin, resp = sample.beam, sample.final_state, sample.w_split, sample.origin, sample.response
    assert resp is not None                                        # simulate_decays ran the response
    idx, flags, todo, tracks = kaon_cuts.track_columns(resp, beam.vertex, card)
    j = idx[todo]                                                  # only these can pass: match them
    match = match_tracks(sample, j, rng)
    kin, t_lo, t_hi, region, matched = kaon_cuts.selection_columns(match, todo, j, resp.p, idx.size, flags,
                                                                    card, (resp.x1, resp.y1, resp.tx, resp.ty))
    w_pid = np.zeros(idx.size, np.float32)
    w_pid[todo[kin]] = pion_id_weights_events(resp.species, resp.p_true, resp.p, resp.tx, resp.ty, j[kin],
                                              match.p_k[kin], match.kx[kin], match.ky[kin], t_lo, t_hi,
                                              card.rich, card.calo_pid)
    variance.average_vetoes(card, mode, tracks["w_veto"], todo[kin], idx, region, fs, beam.vertex, params, tables,
                            rng, sample.carry)
    if w_split is not None:
        tracks["w_decay"] = (tracks["w_decay"] * w_split[idx]).astype(np.float32)
    cols = {**tracks, **matched, "mode": np.full(idx.size, MODE_INDEX[mode], np.int8), "region": region,
            "flags": flags, "w_pid": w_pid, "decay": origin[idx]}
    out = {name: cols[name] for name in COLUMNS}
    if full:
        out.update(_full_columns(beam, fs, idx))
    return out


def _full_columns(beam, fs, idx) -> dict:
    """True kaon and leading-particle four-momenta (GeV) and vertex (m) for ``--full``."""
    out = {}
    for name, p4 in (("k", beam.p4[idx]), ("lead", fs.slots[0].p4[idx])):
        for j, comp in enumerate(("e", "px", "py", "pz")):
            out[f"true_{name}_{comp}_gev"] = (p4[:, j] / GeV).astype(np.float32)
    out["true_vx_m"] = (beam.vertex[idx, 0] / m).astype(np.float32)
    out["true_vy_m"] = (beam.vertex[idx, 1] / m).astype(np.float32)
    return out


def simulate_chunk(card: KaonCard, n: int, rng: np.random.Generator, full: bool = False,
                   params: DetectorParams | None = None) -> ChunkResult:
    """Simulate ``n`` K+ decays split among the card's modes.

    Parameters
    ----------
    card : KaonCard
    n : int
        Decays in this chunk.
    rng : numpy.random.Generator
        The chunk's own stream (from :func:`na62lab.parallel.shard_seeds`).
    full : bool
        Also keep the true four-momenta (``--full``).
    params : DetectorParams, optional
        Precomputed :func:`~na62lab.detector.params.detector_params` of ``card``.

    Returns
    -------
    ChunkResult
    """
    if n < 1:
        raise InputError("decays", n, "a positive integer")
    params = params or detector_params(card)
    counts = allocate(n, card.run.fractions)
    tables = veto_tables(card)
    parts = [_simulate_mode(card, params, tables, mode, k, rng, full) for mode, k in counts.items() if k > 0]
    columns = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    return ChunkResult(columns, counts)
