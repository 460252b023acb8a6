"""Photon fusion: the beam proton's equivalent photons converting on the dump nuclei (BC9; issues 13, 16).

Flux: Drees and Zeppenfeld, PRD 39 (1989) 2536, eq. (5) (dipole Dirac form factor, Lambda^2 = 0.71 GeV^2),
the proton EPA of arXiv:1512.03069 Sec. 3:
f(x) = alpha/(2 pi x) [1 + (1-x)^2] [ln A - 11/6 + 3/A - 3/(2A^2) + 1/(3A^3)], A = 1 + Lambda^2/Q2min,
Q2min = m_p^2 x^2/(1 - x), which is alpha/(2 pi x) [1 + (1-x)^2] int_{Q2min}^inf dQ^2/Q^2 (1 + Q^2/Lambda^2)^-4.
Hand computation at x = 0.1 (m_p = 0.938272 GeV): Q2min = 0.0097818 GeV^2, A = 73.584, bracket 2.5056,
prefactor 0.0072974 / (0.2 pi) x 1.81 = 0.021022, f = 0.05267.
"""

import numpy as np
import pytest
from scipy.integrate import quad

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard
from na62lab.fips import get_model
from na62lab.fips.alp import ALP
from na62lab.generation.dump import photon_fusion, primakoff
from na62lab.generation.dump.sources import production_modes
from na62lab.generation.dump.tables import load_table
from na62lab.physics.units import GeV


@pytest.fixture(scope="module")
def na62():
    return load_card("na62_dump_2021", DumpCard), load_table()


def _switched(card, on: bool):
    return card.model_copy(update={"production": card.production.model_copy(update={"photon_fusion": on})})


def test_flux_against_the_hand_computation():
    assert float(photon_fusion.proton_photon_flux(0.1)) == pytest.approx(0.05267, rel=1e-3)
    assert float(photon_fusion.q2_min(0.1)) == pytest.approx(0.0097818 * GeV**2, rel=1e-4)


@pytest.mark.parametrize("x", [1e-3, 0.02, 0.3, 0.8])
def test_closed_form_is_the_form_factor_integral(x):
    lam2 = photon_fusion.DIPOLE_LAMBDA2
    qmin = float(photon_fusion.q2_min(x))
    integral = quad(lambda t: (1.0 + np.exp(t) / lam2) ** -4, np.log(qmin), np.log(qmin) + 40.0, limit=400)[0]
    expected = photon_fusion.ALPHA / (2 * np.pi * x) * (1 + (1 - x) ** 2) * integral
    assert float(photon_fusion.proton_photon_flux(x)) == pytest.approx(expected, rel=1e-6)


def test_rate_is_the_folded_integral_and_scales_as_g_squared(na62):
    card, table = na62
    nucleus = primakoff.dump_nucleus(table, card)
    one, two = ALP(cgg_over_lambda=1.0), ALP(cgg_over_lambda=2.0)
    masses = np.array([50.0, 200.0])
    r1 = photon_fusion.rate(one, masses, card, nucleus)
    assert np.all(r1 > 0)
    np.testing.assert_allclose(photon_fusion.rate(two, masses, card, nucleus), 4.0 * r1, rtol=1e-9)
    # a finer x grid changes the trapezoid by < 0.3 %
    x = np.geomspace(card.production.photon_e_min_gev / card.run.beam_energy_gev, 1 - 1e-4, 4000)
    e = x * card.run.beam_energy_gev * GeV
    sigma = primakoff.cross_section(one, e, 50.0, nucleus)
    fine = (card.production.interaction_length_m * 1e3 * primakoff.number_density(*nucleus[1:])
            * np.trapezoid(x * photon_fusion.proton_photon_flux(x) * sigma, np.log(x)))
    assert r1[0] == pytest.approx(fine, rel=3e-3)


def test_zero_without_photon_coupling(na62):
    card, table = na62
    nucleus = primakoff.dump_nucleus(table, card)
    assert photon_fusion.mode(get_model("dark-photon"), card, table) is None
    assert not any(m.name == "photon_fusion" for m in production_modes(get_model("dark-photon"), card, table).modes)
    silent = ALP()                                   # no coupling at all: zero two-photon width
    assert np.all(photon_fusion.rate(silent, np.array([100.0]), card, nucleus) == 0.0)


def test_card_switch(na62):
    card, table = na62
    model = get_model("alp-photon")
    assert card.production.photon_fusion
    on = production_modes(model, card, table)
    assert [m.name for m in on.modes].count("photon_fusion") == 1
    assert any("photon fusion" in n for n in on.notes)
    off = production_modes(model, _switched(card, False), table)
    assert "photon_fusion" not in [m.name for m in off.modes] and "photon_fusion" in off.skipped


def test_sampler_kinematics(na62):
    card, table = na62
    model = get_model("alp-photon")
    s = photon_fusion.sample(model, 100.0, 4000, card, primakoff.dump_nucleus(table, card),
                             np.random.default_rng(7))
    assert s.weight.sum() == pytest.approx(1.0)
    energy = s.p4[:, 0]
    assert energy.min() >= card.production.photon_e_min_gev * GeV and energy.max() < card.run.beam_energy_gev * GeV
    theta = np.arctan2(np.hypot(s.p4[:, 1], s.p4[:, 2]), s.p4[:, 3])
    # EPA angles q_T / E, q_T^2 = (1 - x)(Q^2 - Q2min) up to ~Lambda^2 on 3-400 GeV photons: measured weighted
    # mean 14 mrad (seed 7), largest 0.26 rad (a 3 GeV photon)
    assert 3e-3 < np.average(theta, weights=s.weight) < 5e-2 and theta.max() < 0.6
    e_mean = np.average(energy, weights=s.weight)
    assert 10 * GeV < e_mean < 200 * GeV
