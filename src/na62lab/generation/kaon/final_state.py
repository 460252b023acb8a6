"""Columnar final states: a fixed list of particle slots per decay mode.

A slot holds, for every event of a mode, a four-momentum (MeV), a species code
and a charge.  Modes whose final state varies event by event (pi0 -> gamma
gamma or e+ e- gamma) use empty slots (species ``NONE``, zero four-momentum).
Slot 0 is the leading positive charged particle (pi+ or l+) of the decay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

NONE, PHOTON, ELECTRON, MUON, PION, INVISIBLE = 0, 1, 2, 3, 4, 5
"""Species codes (``ELECTRON`` covers e+ and e-, the charge tells which)."""

SPECIES_NAMES = {NONE: "none", PHOTON: "gamma", ELECTRON: "e", MUON: "mu", PION: "pi", INVISIBLE: "invisible"}


@dataclass
class Slot:
    """One particle slot: four-momenta (N, 4) in MeV, species (N,) int8, charge (N,) int8."""

    p4: np.ndarray
    species: np.ndarray
    charge: np.ndarray

    @classmethod
    def uniform(cls, p4: np.ndarray, species: int, charge: int) -> "Slot":
        """A slot whose particles all have the same species and charge."""
        n = p4.shape[0]
        return cls(p4, np.full(n, species, np.int8), np.full(n, charge, np.int8))

    @classmethod
    def empty(cls, n: int) -> "Slot":
        """A slot with no particle in any event."""
        return cls(np.zeros((n, 4)), np.zeros(n, np.int8), np.zeros(n, np.int8))


@dataclass
class FinalState:
    """Decay products of ``n`` decays of one mode (lab frame)."""

    mode: str
    slots: list[Slot] = field(default_factory=list)

    @property
    def n(self) -> int:
        """Number of decays."""
        return self.slots[0].p4.shape[0] if self.slots else 0

    def total_p4(self) -> np.ndarray:
        """Sum of the four-momenta of all slots, shape (N, 4), MeV."""
        return np.sum([s.p4 for s in self.slots], axis=0)

    def total_charge(self) -> np.ndarray:
        """Sum of the charges of all slots, shape (N,)."""
        return np.sum([s.charge.astype(int) for s in self.slots], axis=0)
