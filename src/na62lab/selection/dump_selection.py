"""Dump-mode signal selection: vertex in the fiducial volume and pointing to the TAX.

The FIP direction is the total visible momentum of its daughters; it must
point back to the proton impact point on the TAX (NA62 dump searches,
arXiv:2303.08666 sec. 3, arXiv:2312.12055: signal region in the plane of the
closest approach to the beam line at the TAX).  Here the test is the
transverse distance, at the mean proton interaction depth in the TAX, between
the beam axis and the back-extrapolated FIP line, after a Gaussian smearing of
the FIP direction by the card's angular resolution (the vertex resolution is
neglected: approximation).  Positions in mm, momenta in MeV/c.
"""

from __future__ import annotations

import numpy as np

from na62lab.config.dump import DumpCard
from na62lab.detector.dump_acceptance import accepted_tracks, daughters_acceptance, generic_acceptance
from na62lab.generation.dump.hadronic_decays import KIND_CODES, InclusiveDaughters
from na62lab.physics.units import m, urad


def in_fiducial_volume(vertex: np.ndarray, card: DumpCard, neutral: bool = False) -> np.ndarray:
    """Whether decay vertices (N, 3) in mm lie in the decay volume (charged, or fully ``neutral``)."""
    z0, z1 = (z * m for z in card.selection.decay_volume("gammagamma" if neutral else "ee"))
    return (vertex[:, 2] >= z0) & (vertex[:, 2] <= z1)


def tax_reference_z(card: DumpCard) -> float:
    """z (mm) of the mean proton interaction point: TAX front + one interaction length."""
    return card.geometry.tax_front_m * m + card.production.interaction_length_m * m


def pointing_distance(vertex: np.ndarray, p_total: np.ndarray, card: DumpCard,
                      rng: np.random.Generator) -> np.ndarray:
    """Transverse distance (mm) at the TAX between the beam axis and the FIP line.

    Parameters
    ----------
    vertex : ndarray (N, 3)
        Decay vertices (mm).
    p_total : ndarray (N, 3) or (N, 4)
        Total visible momentum (MeV/c); the last three columns are used.
    card : DumpCard
    rng : numpy.random.Generator
        For the angular smearing.
    """
    p = p_total[:, -3:]
    sigma = card.selection.angle_resolution_urad * urad
    tx = p[:, 0] / p[:, 2] + sigma * rng.standard_normal(p.shape[0])
    ty = p[:, 1] / p[:, 2] + sigma * rng.standard_normal(p.shape[0])
    dz = tax_reference_z(card) - vertex[:, 2]
    return np.hypot(vertex[:, 0] + tx * dz, vertex[:, 1] + ty * dz)


def select_dump(vertex: np.ndarray, p4s: list, kinds: tuple, charges: tuple, card: DumpCard,
                rng: np.random.Generator) -> np.ndarray:
    """Full dump selection of one final state: FV, daughters' acceptance, pointing.

    Fully neutral final states (photons only) may decay up to the card's
    ``neutral_decay_end_m`` and have no pointing cut: without tracks the
    photon-pair vertex is reconstructed from the LKr clusters under the
    hypothesis of a TAX origin, so pointing is an assumption, not a cut
    (as in the NA62 setup of ALPINIST, ExpParameters.C: APPROXIMATION).

    Parameters
    ----------
    vertex : ndarray (N, 3)
        Decay vertices (mm).
    p4s : list of ndarray (N, 4)
        Visible daughters (MeV).
    kinds, charges : tuples
        Daughter types and charges (see :mod:`na62lab.detector.dump_acceptance`).
    card : DumpCard
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of bool (N,)
    """
    neutral = not any(charges)       # photons only: decay volume to the LKr, no track vertex to point
    ok = in_fiducial_volume(vertex, card, neutral)
    if card.detector is not None:    # another experiment: its own apertures (na62lab.config.dump.DumpDetector)
        ok &= generic_acceptance(vertex, p4s, kinds, charges, card.detector, card.selection)
        if neutral or not card.detector.pointing:
            return ok
    else:
        ok &= daughters_acceptance(vertex, p4s, kinds, charges, card.geometry, card.selection)
    if neutral:
        return ok
    total = np.sum(p4s, axis=0)
    ok &= pointing_distance(vertex, total, card, rng) <= card.selection.pointing_cut_mm
    return ok


def select_decay(vertex: np.ndarray, dec, card: DumpCard, rng: np.random.Generator) -> np.ndarray:
    """Selection of one batch of decays (:class:`na62lab.generation.dump.fip_decays.VisibleDecay`).

    :func:`select_inclusive` for an inclusive final state; for an exclusive one :func:`select_dump` (every
    daughter, card ``selection.exclusive_rule`` = ``all_daughters``, the default: NA62's exclusive
    reconstruction, whose hadronic analysis reconstructs the pi0 in the LKr, EPJC 85 (2025) 571) or, with
    ``charged_tracks`` and at least one charged daughter, the inclusive rule on its charged daughters
    (:func:`select_charged_tracks`: the experiments that count any decay with two charged tracks from a
    vertex in the decay volume, SHiP, CERN-SPSC-2023-033, arXiv:1811.00930).  Photons-only final states
    keep :func:`select_dump`.
    """
    if dec.inclusive is not None:
        return select_inclusive(vertex, dec.p4, dec.inclusive, card, rng)
    if card.selection.exclusive_rule == "charged_tracks" and any(dec.charges):
        return select_charged_tracks(vertex, dec.p4, dec.kinds, dec.charges, card, rng)
    return select_dump(vertex, dec.p4, dec.kinds, dec.charges, card, rng)


def select_charged_tracks(vertex: np.ndarray, p4s: list, kinds: tuple, charges: tuple, card: DumpCard,
                          rng: np.random.Generator) -> np.ndarray:
    """Exclusive final state selected by its charged tracks (card ``selection.exclusive_rule`` =
    ``charged_tracks``): :func:`select_inclusive` with the daughters' fixed kinds and charges, i.e. FV,
    >= ``inclusive_min_tracks`` accepted charged daughters, photons not required, and the card's pointing
    cut (if any) on the total visible momentum.

    Parameters
    ----------
    vertex : ndarray (N, 3)
        Decay vertices (mm).
    p4s : list of ndarray (N, 4)
        Visible daughters (MeV).
    kinds, charges : tuples
        Daughter types and charges (see :mod:`na62lab.detector.dump_acceptance`).
    card : DumpCard
    rng : numpy.random.Generator
    """
    n = vertex.shape[0]
    codes = np.broadcast_to(np.array([KIND_CODES.index(k) for k in kinds], dtype=np.int8), (n, len(kinds)))
    signs = np.broadcast_to(np.array(charges, dtype=np.int8), (n, len(kinds)))
    return select_inclusive(vertex, p4s, InclusiveDaughters(codes, signs), card, rng)


def select_inclusive(vertex: np.ndarray, p4s: list, daughters, card: DumpCard,
                     rng: np.random.Generator) -> np.ndarray:
    """Selection of an inclusive hadronic final state: FV, >= ``inclusive_min_tracks`` accepted charged
    tracks, and the pointing cut of the card (if it has one) on the total visible momentum.

    The rule of the experiments that count any decay with charged tracks from a vertex in the
    decay volume (SHiP, SHADOWS: see their cards; also their exclusive final states,
    :func:`select_charged_tracks`); photons, other tracks and the missing momentum
    (neutrinos, neutral hadrons) are not constrained (no track-separation cut: APPROXIMATION).

    Parameters
    ----------
    vertex : ndarray (N, 3)
        Decay vertices (mm).
    p4s : list of ndarray (N, 4)
        Visible daughters per slot (MeV; zero in empty slots).
    daughters : InclusiveDaughters
        Kind codes and charges per slot (:mod:`na62lab.generation.dump.hadronic_decays`).
    card : DumpCard
    rng : numpy.random.Generator
        For the angular smearing of the pointing cut.
    """
    ok = in_fiducial_volume(vertex, card)
    n = accepted_tracks(vertex, p4s, daughters.codes, daughters.charges, card.geometry, card.detector,
                        card.selection)
    ok &= n >= card.selection.inclusive_min_tracks
    if card.detector is not None and not card.detector.pointing:
        return ok
    total = np.sum(p4s, axis=0) if p4s else np.zeros((vertex.shape[0], 4))
    return ok & (pointing_distance(vertex, total, card, rng) <= card.selection.pointing_cut_mm)


def trigger_efficiency(final_state: str, card: DumpCard) -> float:
    """Product of the card's unsimulated efficiencies of ``final_state`` (trigger, PID, quality, ...)."""
    return card.selection.efficiency(final_state)
