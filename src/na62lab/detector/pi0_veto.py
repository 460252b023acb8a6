"""Old import path of :mod:`na62lab.variance.pi0_orientation` (pi0 decay-orientation averaging of the veto
weight), kept so that existing imports work; the code lives in the variance-reduction package."""

from na62lab.variance.pi0_orientation import (PHOTON_MODES, PI0_SLOTS, _averaged_kernel, _pi0_average,
                                              all_gamma_gamma, averaged_veto_weight, gamma_pair, lattice_generator)

__all__ = ["PHOTON_MODES", "PI0_SLOTS", "_averaged_kernel", "_pi0_average", "all_gamma_gamma",
           "averaged_veto_weight", "gamma_pair", "lattice_generator"]
