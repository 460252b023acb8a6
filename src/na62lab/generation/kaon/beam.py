"""The 75 GeV/c secondary beam at GTK3 and the decay vertices of its kaons (or pions).

Coordinates: z along the nominal beam line from the T10 target, x horizontal
(bending plane of the STRAW magnet), y vertical; positions in mm, momenta in
MeV, slopes dx/dz, dy/dz in rad.

Examples
--------
>>> import numpy as np
>>> from na62lab.config.kaon import KaonCard
>>> b = generate_beam(KaonCard(), 1000, np.random.default_rng(1))
>>> bool(np.all((b.vertex[:, 2] >= 105e3) & (b.vertex[:, 2] <= 170e3)))
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from na62lab.config.kaon import KaonCard
from na62lab.errors import InputError
from na62lab.physics.particles import ctau, mass
from na62lab.physics.fastrng import new_state, normal, uniform
from na62lab.physics.phase_space import njit
from na62lab.physics.units import GeV, m, mrad, urad


@dataclass
class BeamTracks:
    """Beam particles at GTK3: momentum (MeV), slopes (rad), position (mm)."""

    p: np.ndarray
    tx: np.ndarray
    ty: np.ndarray
    x: np.ndarray
    y: np.ndarray


@dataclass
class BeamSample:
    """Decaying beam particles: tracks at GTK3, lab four-momenta (N, 4) MeV, vertices (N, 3) mm."""

    tracks: BeamTracks
    p4: np.ndarray
    vertex: np.ndarray
    particle: str


@njit
def _tracks_kernel(n, p0, dp, tx0, div_x, div_y, sx, sy, st):
    out = np.empty((5, n))
    for i in range(n):
        out[0, i] = p0 * (1.0 + dp * normal(st))
        out[1, i] = tx0 + div_x * normal(st)
        out[2, i] = div_y * normal(st)
        out[3, i] = sx * normal(st)
        out[4, i] = sy * normal(st)
    return out


def beam_tracks(card: KaonCard, n: int, rng: np.random.Generator) -> BeamTracks:
    """Draw ``n`` beam tracks at GTK3 (Gaussian momentum bite, divergence and spot).

    Parameters
    ----------
    card : KaonCard
        ``card.beam`` gives the central momentum (GeV/c), rms bite, rms spot
        (mm), rms divergence (urad) and the mean x slope after TRIM5 (mrad).
    n : int
    rng : numpy.random.Generator

    Returns
    -------
    BeamTracks
        Momenta in MeV, slopes in rad, positions in mm.

    Notes
    -----
    Gaussian shapes are an approximation of the measured beam profile
    (NA62 detector paper, JINST 12 (2017) P05025, Sec. 2).
    """
    b = card.beam
    t = _tracks_kernel(int(n), b.momentum_gev * GeV, b.momentum_rms_fraction, b.slope_x_mrad * mrad,
                       b.divergence_x_urad * urad, b.divergence_y_urad * urad, b.size_x_mm, b.size_y_mm, new_state(rng))
    return BeamTracks(t[0], t[1], t[2], t[3], t[4])


@njit
def _decay_z_one(p, m, ct, z0, z1, u):
    lam = p / m * ct
    return z0 - lam * math.log1p(u * math.expm1(-(z1 - z0) / lam))


def decay_z(p, particle_mass, particle_ctau, z_range, rng):
    """Decay positions (mm) along z, exponential in the flight length, within ``z_range``.

    Parameters
    ----------
    p : ndarray
        Momenta (MeV).
    particle_mass, particle_ctau : float
        Mass (MeV) and c tau (mm).
    z_range : (float, float)
        Allowed interval (mm); the truncated exponential is memoryless, so only
        the interval matters.
    rng : numpy.random.Generator

    Returns
    -------
    ndarray
        z = z0 - lambda log(1 - u (1 - exp(-L/lambda))), lambda = (p/m) c tau,
        L = z1 - z0; written with log1p/expm1 so that it is exact for any lambda.

    Notes
    -----
    Projection of the flight length on z is neglected (slopes below 2 mrad:
    relative error below 2e-6).
    """
    z0, z1 = z_range
    lam = np.asarray(p, float) / particle_mass * particle_ctau
    u = rng.uniform(0.0, 1.0, lam.shape[0])
    return z0 - lam * np.log1p(u * np.expm1(-(z1 - z0) / lam))


@njit
def _beam_kernel(n, p0, dp, tx0, div_x, div_y, sx, sy, m, ct, z0, z1, z_gtk3, st):
    """Tracks at GTK3 (as :func:`_tracks_kernel`) and their decays (vertex z as :func:`decay_z`) in one pass."""
    tr = np.empty((5, n))
    p4 = np.empty((n, 4))
    vtx = np.empty((n, 3))
    for i in range(n):
        p = p0 * (1.0 + dp * normal(st))
        tx = tx0 + div_x * normal(st)
        ty = div_y * normal(st)
        x = sx * normal(st)
        y = sy * normal(st)
        tr[0, i], tr[1, i], tr[2, i], tr[3, i], tr[4, i] = p, tx, ty, x, y
        z = _decay_z_one(p, m, ct, z0, z1, uniform(st))
        vtx[i, 0] = x + tx * (z - z_gtk3)
        vtx[i, 1] = y + ty * (z - z_gtk3)
        vtx[i, 2] = z
        pz = p / math.sqrt(1.0 + tx * tx + ty * ty)
        p4[i, 0] = math.sqrt(p * p + m * m)
        p4[i, 1], p4[i, 2], p4[i, 3] = tx * pz, ty * pz, pz
    return tr, p4, vtx


def generate_beam(card: KaonCard, n: int, rng: np.random.Generator, particle: str = "K+") -> BeamSample:
    """Beam particles of type ``particle`` ("K+" or "pi+") decaying in the card's decay range.

    Tracks as :func:`beam_tracks`, vertex z as :func:`decay_z` (same
    formulas, one compiled pass per event).

    Parameters
    ----------
    card : KaonCard
    n : int
        Number of decays.
    rng : numpy.random.Generator
    particle : str
        "K+" (default) or "pi+" (beam pions, for pi+ -> e+ N).

    Returns
    -------
    BeamSample
        Tracks at GTK3, four-momenta (MeV) and decay vertices (mm).
    """
    if particle not in ("K+", "pi+"):
        raise InputError("particle", particle, "'K+' or 'pi+'")
    b = card.beam
    z_lo, z_hi = (v * m for v in card.decay_volume.z_range_m)
    t, p4, vertex = _beam_kernel(int(n), b.momentum_gev * GeV, b.momentum_rms_fraction, b.slope_x_mrad * mrad,
                                 b.divergence_x_urad * urad, b.divergence_y_urad * urad, b.size_x_mm, b.size_y_mm,
                                 mass(particle), ctau(particle), z_lo, z_hi, card.geometry.gtk_m[-1] * m,
                                 new_state(rng))
    return BeamSample(BeamTracks(t[0], t[1], t[2], t[3], t[4]), p4, vertex, particle)
