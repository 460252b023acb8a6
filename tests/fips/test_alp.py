"""ALPs: photon width, fermion and gluon benchmarks, conventions, production, Primakoff."""

import numpy as np
import pytest
from hepunits import nanobarn

from na62lab.errors import InputError
from na62lab.fips import get_model
from na62lab.fips.alp import ALP, primakoff_cross_section, tsai_form_factor
from na62lab.fips.alp_hadrons import ISOSPIN, loop_b1
from na62lab.fips.constants import ALPHA_EM, HIGGS_VEV
from na62lab.physics.particles import mass
from na62lab.physics.units import GeV, TeV, hbarc


def test_photon_width_formula_bc9():
    # Gamma(a -> gamma gamma) = g^2 m^3 / (64 pi) (arXiv:1901.09966 BC9; arXiv:1708.00443 eq. (19) with
    # e^2 C_gg/Lambda = g/4), exact
    model = get_model("alp-photon")
    m, g = 100.0, 1e-5   # MeV, GeV^-1
    expected = (g / 1000) ** 2 * m**3 / (64 * np.pi)
    assert model.total_width(m, g) == pytest.approx(expected, rel=1e-10)
    assert model.ctau(m, g) == pytest.approx(hbarc / expected, rel=1e-10)
    assert model.reduced_production(100.0) == {}


def test_loop_function_limits():
    # B1 -> 1 for a light fermion and -> -1/(3 tau) for a heavy one (arXiv:1708.00443 eq. (20))
    assert loop_b1(np.array(1e-8)).real == pytest.approx(1.0, abs=1e-5)
    assert loop_b1(np.array(1e4)).real == pytest.approx(-1 / 3e4, rel=1e-3)


def test_gluon_alp_photon_coupling_below_pion_mass_chiral():
    # C_gg^eff = -1.92 C_GG - m^2/(m_pi^2 - m^2) C_GG (m_d - m_u)/(m_u + m_d) (arXiv:1708.00443 eq. (24))
    c = 1e-6
    model = ALP(cGG_over_lambda=c)
    m = 50.0
    ceff = -1.92 * c - m**2 / (mass("pi0") ** 2 - m**2) * c * ISOSPIN
    assert model.reduced_widths(m)["gammagamma"] == pytest.approx(4 * np.pi * ALPHA_EM**2 * m**3 * ceff**2, rel=1e-9)


def test_bc11_and_bc10_coupling_conventions():
    # BC11: L = alpha_s/(8 pi f_G) a G Gtilde = g_s^2 C_GG a G Gtilde/Lambda -> C_GG/Lambda = 1/(32 pi^2 f_G)
    # (arXiv:1811.03474); BC10: c_ff/Lambda = g_Y/v (arXiv:1901.09966 Sec. 3.3); exact
    gluon, fermion = get_model("alp-gluon"), get_model("alp-fermion")
    assert gluon.cGG == pytest.approx(1.0 / GeV / (32 * np.pi**2), rel=1e-14)
    assert gluon.cff == 0.0 and gluon.cgg == 0.0
    assert fermion.cff == pytest.approx(1.0 / HIGGS_VEV, rel=1e-14)
    assert fermion.cGG == 0.0 and fermion.cgg == 0.0   # shift-symmetric basis, no anomaly terms


def test_bc11_normalisation_is_aloni_soreq_williams_not_alpaca():
    # Finding of the issue-4 convention check (module docstring of na62lab.fips.alp):
    # ours: g_s^2 C_GG/Lambda = 4 pi alpha_s C_GG/Lambda = alpha_s/(8 pi f_G)
    # (arXiv:1811.03474, f_G^-1 = 32 pi^2 C_GG/Lambda)
    # ALPaca's BC11 helper: c_G = pi f/(alpha_s f_G) in c_G (alpha_s/4 pi)(a/f) G Gtilde -> a G Gtilde/(4 f_G)
    gluon = get_model("alp-gluon")
    inv_fg = 1.0 / GeV                                          # 1/f_G = 1 GeV^-1
    alpha_s_1tev = 0.0885                                       # alpha_s(1 TeV), PDG 2024 running (approximate)
    ours = 4 * np.pi * alpha_s_1tev * gluon.cGG                 # coefficient of a G Gtilde, MeV^-1
    assert ours == pytest.approx(alpha_s_1tev / (8 * np.pi) * inv_fg, rel=1e-12)
    alpaca = (np.pi / alpha_s_1tev) * (alpha_s_1tev / (4 * np.pi)) * inv_fg
    assert alpaca / ours == pytest.approx(2 * np.pi / alpha_s_1tev, rel=1e-12)   # ~ 71: not the same benchmark
    assert alpaca / ours == pytest.approx(71.0, rel=0.01)


@pytest.mark.parametrize("name", ["alp-photon", "alp-fermion", "alp-gluon", "alp"])
def test_branching_ratios_sum_to_one(name):
    model = get_model(name) if name != "alp" else ALP(cgg_over_lambda=1 / TeV, cGG_over_lambda=1 / TeV)
    m = np.linspace(1.0, 4500.0, 700)
    total = sum(model.branching_ratios(m).values())
    open_ = model.total_width(m, 1.0) > 0
    np.testing.assert_allclose(total[open_], 1.0, rtol=1e-12)


def test_thresholds_vanish():
    gluon = ALP(cGG_over_lambda=1e-6)    # chiral 3 pi
    w = gluon.reduced_widths(np.array([3 * mass("pi0") - 0.1, 3 * mass("pi0") + 5]))
    assert w["3pi"][0] == 0.0 and w["3pi"][1] > 0
    f = get_model("alp-fermion").reduced_widths(np.array([2 * mass("mu-") - 1e-6, 2 * mass("mu-") + 1e-3]))
    assert f["mumu"][0] == 0.0 and f["mumu"][1] > 0
    data = get_model("alp-gluon").reduced_widths(np.array([2 * mass("pi+") + 2 * mass("pi0") - 1.0]))
    assert data["4pi"][0] == 0.0 and data["KKpi"][0] == 0.0 and data["pipieta"][0] == 0.0


def test_fermion_alp_lepton_width():
    # Gamma(a -> mu mu) = m m_mu^2 (g_Y/v)^2 beta / (8 pi) (arXiv:1708.00443 eq. (27) with c/Lambda = g_Y/v), exact
    m, gy = 400.0, 1e-3
    beta = np.sqrt(1 - 4 * mass("mu-") ** 2 / m**2)
    expected = m * mass("mu-") ** 2 * (gy / HIGGS_VEV) ** 2 * beta / (8 * np.pi)
    assert get_model("alp-fermion").widths(m, gy)["mumu"] == pytest.approx(expected, rel=1e-12)


def test_data_driven_channels_present_between_08_and_15_gev():
    # the issue-4 gap: pi pi gamma, pi pi eta, K K pi must carry the hadronic width of BC10/BC11 near 1-1.5 GeV
    for name in ("alp-gluon", "alp-fermion"):
        br = get_model(name).branching_ratios(np.array([1000.0, 1400.0]))
        assert br["pipieta"][0] > 0.3 and br["pipigamma"][0] > 0.1
        assert br["KKpi"][1] > 0.01 and br["pipieta"][1] > 0.5


def test_data_mode_needs_a_pure_benchmark():
    with pytest.raises(InputError):
        ALP(cGG_over_lambda=1e-6, cff_over_lambda=1e-6, hadronic="data")
    with pytest.raises(InputError):
        ALP(cgg_over_lambda=1e-6, hadronic="nonsense")


@pytest.mark.parametrize("name", ["alp-gluon", "alp-fermion"])
def test_total_width_continuous_at_the_table_end(name):
    from na62lab.fips.alp_hadrons import table_range
    model = get_model(name)
    end = table_range("gluon" if name == "alp-gluon" else "fermion")[1]
    lo, hi = model.total_width(end - 1e-3, 1.0), model.total_width(end + 1e-3, 1.0)
    assert hi == pytest.approx(lo, rel=2e-3)


def test_general_eft_example_and_scaling():
    alp = ALP(cgg_over_lambda=1 / TeV, cGG_over_lambda=0.5 / TeV, cff_over_lambda=0.1 / TeV)
    w1, w2 = alp.total_width(300.0, 1.0), alp.total_width(300.0, 2.0)
    assert w2 == pytest.approx(4 * w1, rel=1e-12)


def test_primakoff_form_factor_and_cross_section():
    # Tsai form factor -> 1 in the window 1/a_s^2 << t << d, vanishes at t -> 0
    assert tsai_form_factor(1e-2, 29, 63.5) == pytest.approx(1.0, rel=0.05)
    assert tsai_form_factor(1e-12, 29, 63.5) < 1e-3
    # coherent Primakoff on Cu: sigma ~ g^2 alpha Z^2 / 8 x log ~ 0.03 nb for g = 1e-4 GeV^-1
    # (arXiv:1512.03069 Fig. 1 scale)
    sigma = primakoff_cross_section(20 * GeV, 100.0, 1e-7, 29, 63.5)
    assert 0.005 < sigma / nanobarn < 0.2
    # scales as g^2
    assert primakoff_cross_section(20 * GeV, 100.0, 2e-7, 29, 63.5) == pytest.approx(4 * sigma, rel=1e-12)
