"""Particle identification: probability that a track is identified as a pi+ (RICH x calorimeters).

RICH: a Cherenkov-angle model.  For a particle of mass m and momentum p in
neon, theta_c^2 = 2 (n - 1) - m^2/p^2 (small angles), the mean number of hits
is N_sat theta_c^2 / theta_max^2 and a ring needs ``min_hits``; the
reconstructed mass m^2 = p^2 (theta_max^2 - theta^2) with a Gaussian angle
resolution must fall in the pi+ mass window.  A momentum-independent floor
stands for non-Gaussian mis-identification (wrong hit association, noise).
The muon suppression therefore worsens with momentum as the pi and mu rings
approach each other, as in NA62 (neon at atmospheric pressure: detector paper
JINST 12 (2017) P05025, Sec. 5; ring resolution and hit count approximate).

Calorimeters (LKr, MUV1-3): constant pi+ efficiency and mu+/e+
mis-identification from the card (NA62, JHEP 11 (2023) 138: 75 % pi+
efficiency at 1.2e-5 muon mis-identification, 15-40 GeV/c).

Probabilities are dimensionless; momenta in MeV.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammainc, ndtr

from na62lab.config.kaon import CaloPidCard, RichCard
from na62lab.generation.kaon.final_state import ELECTRON, MUON, PION
from na62lab.physics.particles import mass
from na62lab.physics.units import MeV, urad

_MASS = {PION: mass("pi+"), MUON: mass("mu+"), ELECTRON: mass("e+")}


def rich_pion_probability(p, particle_mass, rich: RichCard):
    """Probability (N,) that the RICH identifies a track of momentum ``p`` (MeV) and mass (MeV) as a pi+.

    Returns
    -------
    ndarray
        P(ring) [P(m_RICH in window) + (1 - P(window)) floor] for non-pions; the
        floor term is dropped when ``particle_mass`` is the pi+ mass.

    Notes
    -----
    theta_c^2 = 2 (n - 1) - m^2/p^2 (Cherenkov relation cos theta = 1/(n beta),
    small-angle form); P(ring) = P(Poisson(N_sat theta_c^2/theta_max^2) >=
    min_hits) = regularised lower incomplete gamma P(min_hits, mu).
    """
    p = np.asarray(p, float)
    t2max = 2.0 * rich.n_minus_1
    t2 = t2max - (particle_mass / p) ** 2
    above = t2 > 0
    theta = np.sqrt(np.where(above, t2, 0.0))
    mu_hits = rich.hits_saturated * np.where(above, t2, 0.0) / t2max
    p_ring = np.where(above, gammainc(rich.min_hits, np.maximum(mu_hits, 1e-300)), 0.0)
    m_lo, m_hi = (w * MeV for w in rich.pion_mass_window_mev)
    th_lo = np.sqrt(np.clip(t2max - (m_hi / p) ** 2, 0.0, None))
    th_hi = np.sqrt(np.clip(t2max - (m_lo / p) ** 2, 0.0, None))
    sigma = rich.angle_resolution_urad * urad
    p_win = ndtr((th_hi - theta) / sigma) - ndtr((th_lo - theta) / sigma)
    if abs(particle_mass - _MASS[PION]) < 1e-6:
        return p_ring * p_win
    return p_ring * (p_win + (1.0 - p_win) * rich.misid_floor)


def calo_pion_probability(species, calo: CaloPidCard):
    """Probability (N,) that the calorimeters identify a track of ``species`` as a pi+."""
    species = np.asarray(species)
    out = np.zeros(species.shape)
    out[species == PION] = calo.pion_efficiency
    out[species == MUON] = calo.muon_misid
    out[species == ELECTRON] = calo.positron_misid
    return out


def pion_id_probability(species, p, rich: RichCard, calo: CaloPidCard):
    """Probability (N,) that tracks of true ``species`` and momentum ``p`` (MeV) pass the pi+ identification.

    RICH and calorimetric identification are treated as independent (approximate).
    """
    species = np.asarray(species)
    out = np.zeros(species.shape)
    for code, m in _MASS.items():
        sel = species == code
        if sel.any():
            out[sel] = rich_pion_probability(np.asarray(p)[sel], m, rich)
    return out * calo_pion_probability(species, calo)
