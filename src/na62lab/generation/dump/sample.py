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
from na62lab.physics.units import m


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
        Relative weights (sum 1).
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
