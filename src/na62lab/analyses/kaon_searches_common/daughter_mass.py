"""X mass reconstructed from the two tracks of X -> l+ l- (m_mumu), not from the pi+ missing mass.

NA62's K+ -> pi+ X, X -> mu+ mu- search reconstructs the X mass as the
invariant mass of the two muon tracks (NA62, JHEP 11 (2022) 011, Sec. 2;
arXiv:2507.17286).  Its resolution then comes from the two STRAW track
measurements alone.  For relativistic leptons at a small opening angle
theta (PDG Kinematics review, Eq. 49.11 for the invariant mass),

    m^2 - 4 m_l^2 ~ m_l^2 (p_1 - p_2)^2 / (p_1 p_2) + p_1 p_2 theta^2,

so momentum errors move m^2 - 4 m_l^2 in proportion to itself and an error
d theta on the opening angle by 2 p_1 p_2 theta d theta, proportional to
sqrt(m^2 - 4 m_l^2): sigma_m ~ sqrt(m^2 - 4 m_l^2) / m near the 2 m_l
threshold (the angle term dominates there; measured in
tests/analyses/test_daughter_mass.py), while the missing mass
(P_K - P_pi)^2 carries the GTK and pi+ track errors at every mass.

Here the X four-momenta of the kaon fast simulation (events whose pi+ is
selected) decay isotropically in the X rest frame (scalar or pseudoscalar
X: PDG Kinematics review, Eq. 49.17 for the momentum) and each lepton is
measured by the STRAW track fit of the fast simulation
(:func:`na62lab.detector.tracking.measure_track`: chamber resolution and
multiple scattering of the kaon card, calibrated on the published
sigma_p/p = 0.30 % (+) 0.005 % p[GeV/c] of the NA62 detector paper,
JINST 12 (2017) P05025, Sec. 4), from the kaon decay vertex (prompt X).
Both leptons must be inside the track acceptance of the detector response
(STRAW chambers and the downstream apertures) and pass the track chi2 cut of
the kaon card (``straw.chi2_max``); with ``resolution.source: kaon_sim`` the
fraction of X passing that requirement multiplies the simulated acceptance
(:func:`~na62lab.analyses.kaon_searches_common.resolution.simulate_resolution_kaon_sim`).  The Gaussian-smearing
fallback (``resolution.source: simulated``) smears the two tracks with the
card's ``resolution.smearing`` STRAW terms instead
(:func:`na62lab.analyses.kaon_searches_common.resolution.simulate_resolution`).

Units: MeV, mm, rad.
"""

from __future__ import annotations

import numpy as np

from na62lab.detector.response import detector_response
from na62lab.generation.kaon.final_state import ELECTRON, MUON, FinalState, Slot
from na62lab.physics.kinematics import boost_to_lab, invariant_mass2, isotropic_directions, two_body_momentum
from na62lab.physics.particles import mass as pdg_mass

X_DAUGHTERS = {"mu+mu-": "mu+", "e+e-": "e+"}
"""X final states whose mass is reconstructed from its two tracks, and the species of the positive track."""


def daughter_mass(x_daughters: str) -> float:
    """Mass (MeV) of each of the two X daughters (``"mu+mu-"`` or ``"e+e-"``)."""
    return pdg_mass(X_DAUGHTERS[x_daughters])


def decay_x(p4_x: np.ndarray, m_d: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Isotropic X -> d+ d- decays of lab four-momenta ``p4_x`` (N, 4) MeV; lab four-momenta of d+ and d-.

    The X mass is each row's invariant mass; decays below threshold give NaN.
    """
    p4_x = np.atleast_2d(np.asarray(p4_x, dtype=float))
    m_x = np.sqrt(np.clip(invariant_mass2(p4_x), 0.0, None))
    p_star = two_body_momentum(m_x, m_d, m_d)
    u = isotropic_directions(m_x.size, rng) * p_star[:, None]
    e_star = np.sqrt(p_star**2 + m_d**2)[:, None]
    return boost_to_lab(np.hstack([e_star, u]), p4_x), boost_to_lab(np.hstack([e_star, -u]), p4_x)


def pair_mass(p3_plus: np.ndarray, p3_minus: np.ndarray, m_d: float) -> np.ndarray:
    """Invariant mass (MeV) of two tracks of momenta (N, 3) MeV given the mass ``m_d`` each."""
    e = np.sqrt(np.sum(p3_plus**2, axis=1) + m_d**2) + np.sqrt(np.sum(p3_minus**2, axis=1) + m_d**2)
    p = p3_plus + p3_minus
    return np.sqrt(np.clip(e**2 - np.sum(p**2, axis=1), 0.0, None))


def _measure_positive(p4: np.ndarray, species: int, vertex: np.ndarray, params, tables: np.ndarray,
                      rng: np.random.Generator) -> np.ndarray:
    """Measured momenta (N, 3) MeV of positive tracks ``p4`` (N, 4) by the fast simulation's detector response
    (:func:`~na62lab.detector.response.detector_response`); NaN outside the track acceptance or above the chi2
    cut."""
    fs = FinalState("x_daughter", [Slot.uniform(np.ascontiguousarray(p4, dtype=float), species, 1)])
    r = detector_response(fs, vertex, params, tables, rng)
    ok = r.has_track & np.isfinite(r.p) & (r.chi2 < params.chi2_max)
    pz = r.p / np.sqrt(1.0 + r.tx**2 + r.ty**2)
    return np.where(ok[:, None], np.column_stack([r.tx * pz, r.ty * pz, pz]), np.nan)


def measured_pair_mass(p4_x: np.ndarray, vertex: np.ndarray, x_daughters: str, params, tables: np.ndarray,
                       rng: np.random.Generator) -> np.ndarray:
    """Reconstructed X mass (MeV) from its two tracks measured by the STRAW track fit of the fast simulation.

    Each lepton is a single-track event of the detector response (acceptance: STRAW, RICH, NewCHOD, LKr,
    MUV1-2 apertures of the kaon card; hits, scattering, fit and chi2 of :mod:`na62lab.detector.tracking`).
    The response measures positive tracks only, so the negative lepton is measured as the mirror image
    x -> -x of a positive one and its x slope mirrored back: the track fit is mirror-symmetric (exact), while
    the apertures, centred on the deflected beam a few cm off axis, are then mirrored for it (an
    approximation of the resolution sample only).

    Parameters
    ----------
    p4_x : ndarray, shape (N, 4)
        Lab four-momenta of X (MeV).
    vertex : ndarray, shape (N, 3)
        Decay vertices (mm) the two tracks leave from.
    x_daughters : str
        ``"mu+mu-"`` or ``"e+e-"``.
    params : DetectorParams
        Of the kaon card (:func:`~na62lab.detector.params.detector_params`); here without its momentum
        range (every lepton is measured) and without importance sampling of the STRAW tails (weights 1).
    tables : ndarray
        Its veto tables (:func:`~na62lab.detector.params.veto_tables`; no other particle to veto here).
    rng : numpy.random.Generator

    Returns
    -------
    ndarray, shape (N,)
        m(d+ d-) (MeV), NaN where a track is outside the acceptance or fails the chi2 cut (``straw.chi2_max``).
    """
    m_d = daughter_mass(x_daughters)
    species = ELECTRON if x_daughters == "e+e-" else MUON
    plus, minus = decay_x(p4_x, m_d, rng)
    d = params._replace(straw_tail_bias=1.0, straw_tail_mix=0.0, p_track_min=0.0, p_track_max=np.inf)
    vtx = np.ascontiguousarray(vertex, dtype=float)
    mirror = np.array([1.0, -1.0, 1.0, 1.0])
    p_plus = _measure_positive(plus, species, vtx, d, tables, rng)
    p_minus = _measure_positive(minus * mirror, species, vtx * mirror[1:], d, tables, rng) * mirror[1:]
    return pair_mass(p_plus, p_minus, m_d)
