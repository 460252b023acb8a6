"""Variance reduction: exactly unbiased techniques that make rare-background estimates rest on many events.

- :mod:`~na62lab.variance.kaon`: the one interface of the kaon-mode chunk (resamplers of the generated decays,
  averagers of the veto weight; ``resample`` and ``average_vetoes``);
- :mod:`~na62lab.variance.splitting`: splitting and Russian roulette of generated decays (edge splitting of
  K+ -> pi+ pi+ pi-, importance factors by a score);
- :mod:`~na62lab.variance.pi0_orientation`: veto weight averaged over pi0 -> gamma gamma orientations;
- :mod:`~na62lab.variance.pair_orientation`: veto weight averaged over the pi+ pi- pair orientations of
  K+ -> pi+ pi+ pi-.

The old paths ``na62lab.detector.pi0_veto``, ``na62lab.detector.pion_pair_veto`` and
``na62lab.generation.kaon.splitting`` re-export these modules' names.
"""

__all__ = [
    "kaon", "pair_orientation", "pi0_orientation", "splitting",
]
"""Public submodules (import them by name; nothing is imported here)."""
