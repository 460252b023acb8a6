"""Photon fusion: the beam proton's equivalent photons converting on the dump nuclei (BC9; issues 13, 16).

Flux: Budnev, Ginzburg, Meledin, Serbo, Phys. Rep. 15 (1975) 181 (proton, dipole G_E = G_M / mu_p,
Lambda^2 = 0.71 GeV^2), the photon density of arXiv:1512.03069 Sec. 3 and of the ALPINIST code
(arXiv:2201.05170).  Hand computation: the density written in the photon's q_T^2 (ALPINIST's variables),
E^2 = q_T^2 + x^2 m_p^2, Q^2 = E^2 / (1 - x),
dN/dx dq_T^2 = alpha/pi [q_T^2 (1 - x) D / E^2 + x^2 C / 2] / (x E^2), integrated by scipy quad over
ln q_T^2 from 1e-14 to 100 GeV^2: f(1e-3) = 25.959, f(0.1) = 0.044920, f(0.5) = 4.6686e-4 (our Q^2 grid:
25.958, 0.044918, 4.6687e-4).  For comparison the electric-only Drees-Zeppenfeld flux (PRD 39 (1989) 2536)
gives 0.05267 at x = 0.1 (no Q2min/Q^2 term, [1 + (1-x)^2]/2 instead of (1 - x)).
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
from na62lab.physics.constants import ALPHA_EM, MU_P
from na62lab.physics.units import GeV


@pytest.fixture(scope="module")
def na62():
    return load_card("na62_dump_2021", DumpCard), load_table()


def _switched(card, on: bool):
    return card.model_copy(update={"production": card.production.model_copy(update={"photon_fusion": on})})


@pytest.mark.parametrize("x, hand", [(1e-3, 25.959), (0.1, 0.044920), (0.5, 4.6686e-4)])
def test_flux_against_the_hand_computation(x, hand):
    assert float(photon_fusion.proton_photon_flux(x)[0]) == pytest.approx(hand, rel=1e-3)


def test_flux_in_transverse_momentum_variables():
    """The Q^2 form of the module equals the q_T^2 form (independent change of variables, scipy quad)."""
    mp2, lam2, mu2 = (0.93827209 * GeV) ** 2, photon_fusion.DIPOLE_LAMBDA2, MU_P ** 2
    for x in (0.02, 0.3):
        def density(t):
            qt2 = np.exp(t)
            e2 = qt2 + x * x * mp2
            q2 = e2 / (1 - x)
            g2 = (1 + q2 / lam2) ** -4
            d = (4 * mp2 * g2 + q2 * mu2 * g2) / (4 * mp2 + q2)
            return qt2 * ALPHA_EM / np.pi * (qt2 * (1 - x) * d / e2 + x * x * mu2 * g2 / 2) / (x * e2)
        expected = quad(density, np.log(1e-8), np.log(1e8), limit=500)[0]
        assert float(photon_fusion.proton_photon_flux(x)[0]) == pytest.approx(expected, rel=1e-3)


def test_q2_sampler_follows_the_density():
    x = 0.05
    q2 = photon_fusion.sample_q2(np.full(100_000, x), np.random.default_rng(2))
    qmin = float(photon_fusion.q2_min(x))
    assert q2.min() >= qmin
    t = np.linspace(np.log(qmin), np.log(30 * (qmin + photon_fusion.DIPOLE_LAMBDA2)), 4000)
    w = photon_fusion.budnev_bracket(x, np.exp(t))
    expected = np.trapezoid(t * w, t) / np.trapezoid(w, t)
    assert np.log(q2).mean() == pytest.approx(expected, abs=0.02)


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


def test_tabulated_flux_matches_the_quadrature():
    """The samplers' tabulated flux (ln f against logit x) agrees with the direct Q^2 quadrature within 1e-4
    (measured 3.2e-5) from x = 1e-6 to 1 - 1e-5, and is 0 outside its range."""
    x = np.concatenate([np.geomspace(1e-6, 0.5, 700), 1.0 - np.geomspace(1e-5, 0.5, 300)])
    ratio = photon_fusion.proton_photon_flux_fast(x) / photon_fusion.proton_photon_flux(x)
    assert np.max(np.abs(ratio - 1.0)) < 1e-4
    assert np.all(photon_fusion.proton_photon_flux_fast(np.array([1e-8, 1.0 - 1e-7, 1.0])) == 0.0)
