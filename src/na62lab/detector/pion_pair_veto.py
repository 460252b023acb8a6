"""Old import path of :mod:`na62lab.variance.pair_orientation` (K+ -> pi+ pi+ pi- pion-pair orientation
averaging of the veto weight), kept so that existing imports work; the code lives in the variance-reduction
package."""

from na62lab.variance.pair_orientation import (M_K, M_PI, PAIR_MODES, _pair_kernel, _track_slot,
                                               averaged_pair_veto_weight, dalitz_bound, pair_decay, reoriented_pair)

__all__ = ["M_K", "M_PI", "PAIR_MODES", "_pair_kernel", "_track_slot", "averaged_pair_veto_weight", "dalitz_bound",
           "pair_decay", "reoriented_pair"]
