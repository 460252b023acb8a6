"""The kaon-mode chain beam -> decays -> variance resampling -> detector response, driven by a kaon card.

One home for the front of the kaon fast simulation.  :func:`simulate_decays`
is what every chunk of ``na62lab simulate kaon`` runs for each mode
(:mod:`na62lab.yields.kaon_sim`), what the kaon-mode searches measure their
resolution and acceptance with (``resolution.source: kaon_sim``,
:mod:`na62lab.analyses.kaon_searches_common.resolution`) and what the
pi0 -> invisible veto projection starts from
(:mod:`na62lab.analyses.pi0_invisible`); :func:`match_tracks` is the GTK
association that follows it.  Every setting comes from the
:class:`~na62lab.config.kaon.KaonCard` passed in, loaded from YAML by
:func:`kaon_card` (the shipped ``na62_kaon_2021_22`` by default): the
card's field defaults are never used as a setup.

The steps, in the order they draw from the caller's stream ``rng``:

1. the beam (:func:`na62lab.generation.kaon.beam.generate_beam`);
2. the decays of one mode (:func:`na62lab.generation.kaon.decays.generate_mode`);
3. the card's resamplers (:func:`na62lab.variance.kaon.resample`; no draw
   from ``rng`` itself, and none at all when the card sets none for the mode);
4. the detector response (:func:`na62lab.detector.response.detector_response`),
   unless ``detect=False``.

Units: MeV, mm, ns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from na62lab.config.kaon import KaonCard
from na62lab.detector.matching import MatchedEvent, match_kaon_events
from na62lab.detector.params import DetectorParams, detector_params, veto_tables
from na62lab.detector.response import TrackResponse, detector_response
from na62lab.generation.kaon.beam import BeamSample, generate_beam
from na62lab.generation.kaon.decays import generate_mode
from na62lab.generation.kaon.final_state import FinalState
from na62lab.variance import kaon as variance

__all__ = ["DecaySample", "kaon_card", "match_tracks", "simulate_decays"]


@dataclass
class DecaySample:
    """Decays of one mode through the chain.

    Attributes
    ----------
    beam : BeamSample
        The beam particle of every row (after resampling).
    final_state : FinalState
        The decay products of every row.
    response : TrackResponse or None
        The detector response (None with ``detect=False``).
    w_split : ndarray or None
        Per-row weight of the resamplers (None when none acted: every weight is 1).
    origin : ndarray of int32
        Index of the generated decay each row simulates (copies of a split decay share it).
    params : DetectorParams
    tables : ndarray
        The veto inefficiency tables of the card (:func:`~na62lab.detector.params.veto_tables`).
    carry : dict
        Per-row arrays left by the resamplers for the veto averagers (:func:`na62lab.variance.kaon.resample`;
        e.g. ``"pair_veto"``, the K3pi pair-averaged veto weight the decay was resampled by).
    """

    beam: BeamSample
    final_state: FinalState
    response: TrackResponse | None
    w_split: np.ndarray | None
    origin: np.ndarray
    params: DetectorParams
    tables: np.ndarray
    carry: dict = field(default_factory=dict)


def kaon_card(source: str | Path | KaonCard | None = None) -> KaonCard:
    """The kaon card that drives the chain: a loaded card, a shipped card name or a YAML file.

    ``None`` gives the shipped ``na62_kaon_2021_22``
    (:func:`~na62lab.config.kaon.shipped_kaon_card`).
    """
    from na62lab.config.base import load_card
    from na62lab.config.kaon import shipped_kaon_card

    if isinstance(source, KaonCard):
        return source
    return shipped_kaon_card() if source is None else load_card(source, KaonCard)


def simulate_decays(card: KaonCard, mode: str, n: int, rng: np.random.Generator,
                    params: DetectorParams | None = None, tables: np.ndarray | None = None,
                    response=detector_response, detect: bool = True, **mode_options: Any) -> DecaySample:
    """Generate ``n`` K+ decays of ``mode`` and (``detect``) their detector response.

    Parameters
    ----------
    card : KaonCard
        Beam, detector and run settings (resamplers of ``card.run``).
    mode : str
        A mode of :func:`~na62lab.generation.kaon.decays.generate_mode` (Standard-Model
        or new-physics, e.g. ``"pi_X"``).
    n : int
        Decays generated (before resampling).
    rng : numpy.random.Generator
        The caller's stream; the draws are in the order of the module doc.
    params, tables : optional
        Precomputed :func:`~na62lab.detector.params.detector_params` and
        :func:`~na62lab.detector.params.veto_tables` of ``card``.
    response : callable
        The detector response function (replaced only in the kernel warm-up).
    detect : bool
        Run the detector response (False: ``response`` of the sample is None).
    **mode_options
        Parameters of the mode (e.g. ``m_x`` in MeV for ``"pi_X"``).

    Returns
    -------
    DecaySample
    """
    params = detector_params(card) if params is None else params
    tables = veto_tables(card) if tables is None else tables
    beam = generate_beam(card, n, rng)
    fs = generate_mode(mode, beam.p4, rng, **mode_options)
    carry: dict = {}
    beam, fs, w_split, origin = variance.resample(card, mode, beam, fs, rng, params, tables, response, carry)
    resp = response(fs, beam.vertex, variance.track_params(card, mode, params), tables, rng) if detect else None
    return DecaySample(beam, fs, resp, w_split, origin, params, tables, carry)


def match_tracks(sample: DecaySample, events: np.ndarray, rng: np.random.Generator,
                 mass_hypothesis: float | None = None) -> MatchedEvent:
    """GTK association and m_miss^2 of the STRAW tracks of rows ``events`` of ``sample``.

    :func:`~na62lab.detector.matching.match_kaon_events` with the true kaon
    tracks at GTK3 and the measured STRAW tracks; ``mass_hypothesis`` (MeV)
    is the mass given to the track in m_miss^2 (the pi+ mass by default).
    """
    if sample.response is None:
        raise ValueError("match_tracks needs a sample simulated with detect=True")
    tr, resp = sample.beam.tracks, sample.response
    return match_kaon_events((tr.p, tr.tx, tr.ty, tr.x, tr.y), (resp.p, resp.tx, resp.ty, resp.x1, resp.y1),
                             events, sample.params, rng, mass_hypothesis=mass_hypothesis)
