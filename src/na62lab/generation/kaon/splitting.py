"""Old import path of :mod:`na62lab.variance.splitting` (splitting and Russian roulette of generated decays),
kept so that existing imports work; the code lives in the variance-reduction package."""

from na62lab.variance.splitting import (importance_factors, importance_rows, near_edge, pion_hypothesis_mmiss2,
                                        split_events, split_rows, take_beam, take_final_state)

__all__ = ["importance_factors", "importance_rows", "near_edge", "pion_hypothesis_mmiss2", "split_events",
           "split_rows", "take_beam", "take_final_state"]
