"""A user's model file outside the package: the shipped dark photon (BC1), rebuilt as a FIPModel subclass.

Used by tests/fips/test_user_model_done.py (issue 16 done-means; also the base of the clones in
test_interface.py and test_user_models.py): loaded with
``--model tests/data/user_models/dark_photon_copy.py:DarkPhotonCopy`` it must give
the same contours as the registered ``dark-photon``.  The physics is the shipped
model's (widths, production, vector-meson mixing, K+ K- share), reached only
through public functions and classes of na62lab; masses in MeV, widths in MeV,
coupling epsilon (kinetic mixing).
"""

from na62lab.fips.base import FIPModel
from na62lab.fips.dark_photon import DarkPhoton, vector_meson_mixing


class DarkPhotonCopy(FIPModel):
    """Dark photon of kinetic mixing epsilon (arXiv:1411.4007), identical to na62lab's ``dark-photon``."""

    name = "dark-photon-copy"
    coupling_name = "epsilon"
    spin = 1
    dump_mechanisms = ("proton_bremsstrahlung", "vector_meson_mixing", "drell_yan")
    decay_channels = DarkPhoton.decay_channels
    production_channels = DarkPhoton.production_channels
    default_mass_range_gev = (0.01, 2.0)
    default_coupling_range = (1e-9, 1e-3)

    def __init__(self):
        self._shipped = DarkPhoton()

    def reduced_widths(self, mass):
        """Partial widths / epsilon^2 (MeV) of the shipped dark photon."""
        return self._shipped.reduced_widths(mass)

    def reduced_production(self, mass):
        """Meson-decay production BRs / epsilon^2 of the shipped dark photon."""
        return self._shipped.reduced_production(mass)

    def vector_mixing(self, mass, meson):
        """A'-V mixing per epsilon^2 (VMD, arXiv:1411.4007 Sec. 2)."""
        return vector_meson_mixing(mass, meson)

    def drell_yan_couplings(self):
        """g_q^2 / epsilon^2 = 4 pi alpha Q_q^2 (q qbar -> A', Drell-Yan), as the shipped model."""
        return self._shipped.drell_yan_couplings()

    def final_state_fraction(self, final_state, mass):
        """K+ K- share from the kaon form factors, as the shipped model."""
        return self._shipped.final_state_fraction(final_state, mass)
