"""Charged-current three-body phase space I(x_l, x_U, x_D) of the HNL (na62lab.fips.hnl_phase_space)."""

import numpy as np
import pytest
from scipy.integrate import quad

from na62lab.fips.hnl_phase_space import cc_phase_space
from na62lab.physics.particles import mass


def _one_mass(x):
    # arXiv:1805.08567 Sec. 3.1.1: I(x) = 1 - 8x^2 + 8x^6 - x^8 - 12 x^4 ln x^2 (one massive fermion)
    x2 = x * x
    return 1 - 8 * x2 + 8 * x2**3 - x2**4 - 12 * x2**2 * np.log(x2)


def _quad(m, ml, mu, md):
    xl2, xu2, xd2 = (ml / m) ** 2, (mu / m) ** 2, (md / m) ** 2
    lo, hi = (np.sqrt(xl2) + np.sqrt(xu2)) ** 2, (1 - np.sqrt(xd2)) ** 2

    def lam(a, b, c):
        return max(a * a + b * b + c * c - 2 * (a * b + b * c + a * c), 0.0)

    def f(s):
        return (s - xl2 - xu2) * (1 + xd2 - s) * np.sqrt(lam(s, xl2, xu2) * lam(1, s, xd2)) / s

    return 12 * quad(f, lo, hi, limit=200, epsabs=0, epsrel=1e-10)[0]


def test_massless_limit_is_one():
    assert cc_phase_space(np.array([1.0, 1000.0]), 0.0, 0.0, 0.0) == pytest.approx([1.0, 1.0], rel=1e-9)


@pytest.mark.parametrize("x", [0.05, 0.3, 0.6, 0.9])
@pytest.mark.parametrize("slot", [0, 1, 2])
def test_one_mass_in_any_slot_is_the_textbook_function(x, slot):
    masses = [0.0, 0.0, 0.0]
    masses[slot] = 1000.0 * x
    assert float(cc_phase_space(1000.0, *masses)) == pytest.approx(_one_mass(x), rel=1e-5)


@pytest.mark.parametrize("m,partners", [
    (4000.0, ("tau-", 1270.0, 93.5)),     # tau c sbar with MS-bar quark masses
    (4000.0, ("tau-", "D(s)+", 0.0)),     # tau and the D_s threshold
    (2500.0, ("tau-", 0.0, "K+")),
    (3000.0, ("mu-", "D(s)+", 0.0)),
    (2200.0, ("tau-", 0.0, "mu-")),       # N -> tau- mu+ nu
])
def test_two_masses_against_adaptive_quadrature(m, partners):
    ml, mu, md = (mass(p) if isinstance(p, str) else p for p in partners)
    assert float(cc_phase_space(m, ml, mu, md)) == pytest.approx(_quad(m, ml, mu, md), rel=1e-5)


@pytest.mark.parametrize("masses", [(0.5, 0.0, 1777.0), (1777.0, 0.0, 0.5), (0.5, 1270.0, 95.0), (1.0, 1.0, 150.0)])
def test_closed_below_threshold_whatever_the_slot(masses):
    # m = 100 MeV: every slot heavier than the HNL (a slot mass above m must not reopen (1 - x_D)^2)
    assert float(cc_phase_space(100.0, *masses)) == 0.0


def test_vanishes_at_the_true_threshold():
    m_tau, m_ds = mass("tau-"), mass("D(s)+")
    got = cc_phase_space(np.array([m_tau + m_ds - 1.0, m_tau + m_ds + 1.0, 4000.0]), m_tau, m_ds, 0.0)
    assert got[0] == 0.0 and 0.0 < got[1] < 1e-9 and got[2] < 1e-3
    # the one-mass form with the heavier mass (D_s) would give 0.17 at 4 GeV: 280 x more
    assert _one_mass(m_ds / 4000.0) > 200 * got[2]
