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
:mod:`~na62lab.detector.pi0_veto`), which makes those background estimates
rest on many events instead of a few heavy ones.  Every ``w_veto`` includes
the E/p rejection of photons merged with the track's LKr cluster
(``calo_pid.merged_eop_max``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from na62lab.config.kaon import SM_MODES, KaonCard
from na62lab.detector.matching import match_kaon
from na62lab.detector.params import DetectorParams, detector_params, veto_tables
from na62lab.detector.pi0_veto import PHOTON_MODES, all_gamma_gamma, averaged_veto_weight
from na62lab.detector.pid import M_K, pion_id_weights
from na62lab.detector.response import detector_response
from na62lab.errors import InputError
from na62lab.generation.kaon.beam import generate_beam
from na62lab.generation.kaon.decays import generate_mode
from na62lab.physics.units import GeV, m
from na62lab.selection.pinunu import rich_windows, select, track_quality
from na62lab.selection.regions import R1, R2, momentum_bin, region_codes

MODE_INDEX = {name: i for i, name in enumerate(SM_MODES)}
"""Stored ``mode`` code of each Standard-Model mode (index in :data:`~na62lab.config.kaon.SM_MODES`)."""

FLAG_ACCEPTANCE, FLAG_MOMENTUM, FLAG_VERTEX, FLAG_MATCHED_TRUE, FLAG_BEAM, FLAG_QUALITY = 1, 2, 4, 8, 16, 32
KINEMATIC = FLAG_ACCEPTANCE | FLAG_MOMENTUM | FLAG_VERTEX | FLAG_BEAM | FLAG_QUALITY
"""Bits of the stored ``flags`` column."""

COLUMNS = ("mode", "species", "p_gev", "mmiss2_gev2", "mmiss2_beam_gev2", "cda_mm", "vz_m", "true_vz_m", "p_k_gev",
           "region", "pbin", "flags", "w_decay", "w_pid", "w_veto")
"""Stored columns (``--full`` adds the true kaon and track four-momenta and the vertex)."""


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


def _simulate_mode(card: KaonCard, params: DetectorParams, tables, mode: str, n: int, rng, full: bool) -> dict:
    beam = generate_beam(card, n, rng)
    fs = generate_mode(mode, beam.p4, rng)
    resp = detector_response(fs, beam.vertex, params, tables, rng)
    idx = np.flatnonzero(resp.has_track)
    p = resp.p[idx]
    sel = card.selection
    acceptance = resp.in_lkr[idx] & resp.in_muv3[idx] & resp.in_acceptance[idx]
    with np.errstate(invalid="ignore"):
        momentum = (p >= sel.momentum_gev[0] * GeV) & (p < sel.momentum_gev[1] * GeV)
    quality = track_quality({"chi2": resp.chi2[idx], "x1": resp.x1[idx], "y1": resp.y1[idx]}, card)
    todo = np.flatnonzero(acceptance & momentum & quality)       # only these can pass: match them
    j = idx[todo]
    tr = beam.tracks
    k_tracks = np.column_stack([tr.p[j], tr.tx[j], tr.ty[j], tr.x[j], tr.y[j]])
    pi_tracks = np.column_stack([resp.p[j], resp.tx[j], resp.ty[j], resp.x1[j], resp.y1[j]])
    match = match_kaon(k_tracks, pi_tracks, params, rng)
    sub = select({"has_track": np.ones(todo.size, bool), "in_lkr": acceptance[todo], "in_muv3": acceptance[todo],
                  "p": p[todo], "cda": match.cda, "vz": match.vz, "mmiss2": match.mmiss2,
                  "mmiss2_beam": match.mmiss2_beam}, card)
    n_trk = idx.size
    mmiss2 = np.full(n_trk, np.nan)
    mmiss2[todo] = match.mmiss2
    flags = (acceptance * FLAG_ACCEPTANCE + momentum * FLAG_MOMENTUM + quality * FLAG_QUALITY).astype(np.uint8)
    flags[todo] += (sub.vertex * FLAG_VERTEX + match.matched_true * FLAG_MATCHED_TRUE
                    + sub.beam_consistent * FLAG_BEAM).astype(np.uint8)
    w_pid = np.zeros(n_trk)
    kin = np.flatnonzero(sub.kinematic)
    w_pid[todo[kin]] = _pid(match, kin, resp, j[kin], card)
    region = region_codes(mmiss2, card.selection)
    w_veto = resp.w_veto[idx]
    if mode in PHOTON_MODES and card.run.pi0_orientations > 0:
        _average_pi0_veto(w_veto, todo[kin], idx, region, fs, beam.vertex, params, tables, card, rng)
    out = {
        "mode": np.full(n_trk, MODE_INDEX[mode], np.int8), "species": resp.species[idx],
        "p_gev": (p / GeV).astype(np.float32), "mmiss2_gev2": (mmiss2 / GeV**2).astype(np.float32),
        "mmiss2_beam_gev2": _expand(match.mmiss2_beam / GeV**2, todo, n_trk),
        "cda_mm": _expand(match.cda, todo, n_trk), "vz_m": _expand(match.vz / m, todo, n_trk),
        "true_vz_m": (beam.vertex[idx, 2] / m).astype(np.float32),
        "p_k_gev": _expand(match.p_k / GeV, todo, n_trk),
        "region": region, "pbin": momentum_bin(p, card.selection),
        "flags": flags, "w_decay": resp.w_decay[idx].astype(np.float32), "w_pid": w_pid.astype(np.float32),
        "w_veto": w_veto.astype(np.float32),
    }
    if full:
        out.update(_full_columns(beam, fs, idx))
    return out


def _average_pi0_veto(w_veto, rows, idx, region, fs, vertex, params, tables, card, rng) -> None:
    """Replace ``w_veto`` of the kinematically selected signal-region ``rows`` whose pi0s (if any) decayed to
    gamma gamma by its average over ``card.run.pi0_orientations`` decay orientations, with the E/p rule for
    photons merged with the track cluster (:mod:`~na62lab.detector.pi0_veto`).

    ``rows`` index the track arrays; ``idx`` maps them to events of ``fs``.
    """
    rows = rows[(region[rows] == R1) | (region[rows] == R2)]
    rows = rows[all_gamma_gamma(fs, idx[rows])]
    if rows.size:
        w_veto[rows] = averaged_veto_weight(fs, vertex, idx[rows], params, tables, card.run.pi0_orientations, rng)


def _expand(values: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """float32 column of length ``n`` holding ``values`` at ``rows`` and NaN elsewhere."""
    out = np.full(n, np.nan, np.float32)
    out[rows] = values
    return out


def _pid(match, rows: np.ndarray, resp, events: np.ndarray, card: KaonCard) -> np.ndarray:
    """pi+ identification probability of the kinematically selected ``rows`` of ``match``.

    The RICH-momentum m_miss^2 window depends on the region and momentum band
    (:func:`~na62lab.selection.pinunu.rich_windows`); the kaon is the matched
    GTK track, the track the STRAW one (pi+ mass hypothesis, as in NA62).
    ``events`` are the same rows as indices of the ``resp`` arrays.
    """
    p_k, kx, ky = match.p_k[rows], match.kx[rows], match.ky[rows]
    pz_k = p_k / np.sqrt(1.0 + kx**2 + ky**2)
    kaon = np.column_stack([np.hypot(p_k, M_K), kx * pz_k, ky * pz_k, pz_k])
    tx, ty = resp.tx[events], resp.ty[events]
    norm = np.sqrt(1.0 + tx**2 + ty**2)
    direction = np.column_stack([tx / norm, ty / norm, 1.0 / norm])
    p = resp.p[events]
    t_lo, t_hi = rich_windows(match.mmiss2[rows], p, card)
    return pion_id_weights(resp.species[events], resp.p_true[events], p, kaon, direction, t_lo, t_hi,
                           card.rich, card.calo_pid)


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
