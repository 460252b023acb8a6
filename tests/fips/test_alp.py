"""ALPs: photon width, fermion and gluon benchmarks, production, Primakoff."""

import numpy as np
import pytest
from hepunits import nanobarn

from na62lab.fips import get_model
from na62lab.fips.alp import ALP, _b1, primakoff_cross_section, tsai_form_factor
from na62lab.fips.constants import ALPHA_EM
from na62lab.physics.particles import mass
from na62lab.physics.units import GeV, TeV, hbarc


def test_photon_width_formula_bc9():
    # Gamma(a -> gamma gamma) = g^2 m^3 / (64 pi) (arXiv:1901.09966 BC9; arXiv:1512.03069 eq. (1))
    model = get_model("alp-photon")
    m, g = 100.0, 1e-5   # MeV, GeV^-1
    expected = (g / 1000) ** 2 * m**3 / (64 * np.pi)
    assert model.total_width(m, g) == pytest.approx(expected, rel=1e-10)
    assert model.ctau(m, g) == pytest.approx(hbarc / expected, rel=1e-10)
    assert model.reduced_production(100.0) == {}


def test_loop_function_limits():
    # B1 -> 1 for a light fermion and -> -1/(3 tau) for a heavy one (arXiv:1708.00443 eq. (20))
    assert _b1(np.array(1e-8)).real == pytest.approx(1.0, abs=1e-5)
    assert _b1(np.array(1e4)).real == pytest.approx(-1 / 3e4, rel=1e-3)


def test_gluon_alp_photon_coupling_below_pion_mass():
    # C_gg^eff = -1.92 c_GG - m^2/(m_pi^2 - m^2) c_GG (m_d - m_u)/(m_u + m_d) (arXiv:1708.00443 eq. (24))
    model = get_model("alp-gluon")
    m, c = 50.0, 0.5 / GeV
    from na62lab.fips.alp import ISOSPIN
    ceff = -1.92 * c - m**2 / (mass("pi0") ** 2 - m**2) * c * ISOSPIN
    assert model.reduced_widths(m)["gammagamma"] == pytest.approx(4 * np.pi * ALPHA_EM**2 * m**3 * ceff**2, rel=1e-9)


@pytest.mark.parametrize("name", ["alp-photon", "alp-fermion", "alp-gluon"])
def test_branching_ratios_sum_to_one(name):
    m = np.linspace(1.0, 3000.0, 500)
    np.testing.assert_allclose(sum(get_model(name).branching_ratios(m).values()), 1.0, rtol=1e-12)


def test_three_pion_threshold_and_lepton_thresholds():
    w = get_model("alp-gluon").reduced_widths(np.array([3 * mass("pi0") - 0.1, 3 * mass("pi0") + 5]))
    assert w["3pi"][0] == 0.0 and w["3pi"][1] > 0
    f = get_model("alp-fermion").reduced_widths(2 * mass("mu-"))
    assert f["mumu"] == 0.0


def test_fermion_alp_lepton_width():
    # Gamma(a -> mu mu) = m m_mu^2 (g_Y/v)^2 beta / (8 pi) (arXiv:1708.00443 eq. (27) with c/Lambda = g_Y/v)
    from na62lab.fips.constants import HIGGS_VEV
    m, gy = 400.0, 1e-3
    beta = np.sqrt(1 - 4 * mass("mu-") ** 2 / m**2)
    expected = m * mass("mu-") ** 2 * (gy / HIGGS_VEV) ** 2 * beta / (8 * np.pi)
    assert get_model("alp-fermion").widths(m, gy)["mumu"] == pytest.approx(expected, rel=1e-12)


def test_fermion_alp_kaon_and_b_production_ratio():
    p = get_model("alp-fermion").reduced_production(np.array([10.0, 400.0]))
    assert p["K+->pi+a"][1] == 0.0 and p["B->Ka"][1] > 0
    # same top loop: BR(B -> K a)/BR(K -> pi a) >> 1 (|V_ts V_tb| / |V_ts V_td| ~ 100, much shorter B lifetime)
    assert p["B->Ka"][0] / p["K+->pi+a"][0] > 10


def test_general_eft_example_and_scaling():
    alp = ALP(cgg_over_lambda=1 / TeV, cGG_over_lambda=0.5 / TeV, cff_over_lambda=0.1 / TeV)
    w1, w2 = alp.total_width(300.0, 1.0), alp.total_width(300.0, 2.0)
    assert w2 == pytest.approx(4 * w1, rel=1e-12)


def test_primakoff_form_factor_and_cross_section():
    # Tsai form factor -> 1 in the window 1/a_s^2 << t << d, vanishes at t -> 0
    assert tsai_form_factor(1e-2, 29, 63.5) == pytest.approx(1.0, rel=0.05)
    assert tsai_form_factor(1e-12, 29, 63.5) < 1e-3
    # coherent Primakoff on Cu: sigma ~ g^2 alpha Z^2 / 8 x log ~ 0.03 nb for g = 1e-4 GeV^-1 (arXiv:1512.03069 Fig. 1 scale)
    sigma = primakoff_cross_section(20 * GeV, 100.0, 1e-7, 29, 63.5)
    assert 0.005 < sigma / nanobarn < 0.2
    # scales as g^2
    assert primakoff_cross_section(20 * GeV, 100.0, 2e-7, 29, 63.5) == pytest.approx(4 * sigma, rel=1e-12)
