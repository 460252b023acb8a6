"""Normalisation of the A' proton bremsstrahlung rate (Bluemlein & Brunner, arXiv:1311.3870).

The rate per proton per eps^2 is int dz dpT^2 [sigma_pp(s')/sigma_pp(s)] w_ba(z, pT^2) over
0.1 < z < 0.9, pT < 1 GeV/c (eqs. (2)-(5), their quasi-real domain; form factor off here).  The
pT^2 integral of eq. (3) is elementary (H = pT^2 + A, A = (1 - z) m^2 + z^2 M^2):
int dH/H = ln(1 + P/A), int dH/H^2 = P/(A (A + P)), int dH/H^3 = P (P + 2A)/(2 A^2 (A + P)^2),
P = pT_max^2; the z integral is done here by the trapezoidal rule on a fine grid.  The module's
Gauss-Legendre quadrature (in z and ln(pT^2 + A)) must agree with it.
"""

import numpy as np
import pytest

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard
from na62lab.fips.constants import ALPHA_EM
from na62lab.fips.dark_photon import pp_total_cross_section
from na62lab.generation.dump import bremsstrahlung
from na62lab.physics.particles import mass
from na62lab.physics.units import GeV


def _pt_integrated(z, m, pt_max):
    """int_0^{pt_max^2} w_ba dpT^2 / eps^2 of arXiv:1311.3870 eq. (3), in closed form."""
    big = mass("p")
    a = (1 - z) * m * m + z * z * big * big
    p = pt_max**2
    one = 1 + (1 - z) ** 2
    c3 = 2 * z * (1 - z) * (2 * z * z * big**4 + one * big * big * m * m + (1 - z) * m**4)
    return ALPHA_EM / (2 * np.pi) * (one / z * np.log1p(p / a) - 2 * z * (1 - z) * (2 * big * big + m * m) * p
                                     / (a * (a + p)) + c3 * p * (p + 2 * a) / (2 * a * a * (a + p) ** 2))


@pytest.mark.parametrize("m_mev", [12.0, 100.0, 500.0, 1000.0, 1500.0])
def test_rate_is_the_integral_of_the_splitting_function(m_mev):
    card = load_card("na62_dump_2021", DumpCard)
    card = card.model_copy(update={"production": card.production.model_copy(update={"brems_form_factor": False})})
    s = 2 * mass("p") * card.run.beam_energy_gev * GeV
    z = np.linspace(0.1, 0.9, 40001)
    ratio = pp_total_cross_section(s * (1 - z)) / pp_total_cross_section(s)
    expected = np.trapezoid(_pt_integrated(z, m_mev, 1.0 * GeV) * ratio, z)
    assert bremsstrahlung.production_rate(np.array([m_mev]), card)[0] == pytest.approx(expected, rel=1e-4)


def test_low_mass_rate_is_of_order_alpha_over_pi_times_logs():
    """At m << M_p the rate is ~7.8e-3 per eps^2 (no form factor): the soft-photon-like
    (alpha / 2 pi) int dz (1 + (1 - z)^2)/z ln(1 + pT_max^2/(z^2 M^2)), mass independent."""
    card = load_card("na62_dump_2021", DumpCard)
    card = card.model_copy(update={"production": card.production.model_copy(update={"brems_form_factor": False})})
    rates = bremsstrahlung.production_rate(np.array([5.0, 12.0, 50.0]), card)
    assert rates == pytest.approx(7.8e-3, rel=0.02)
