"""Dark scalar (BC4/BC5): widths, prescription continuity, production rates."""

import numpy as np
import pytest

from na62lab.errors import InputError
from na62lab.fips import get_model
from na62lab.fips.constants import HIGGS_VEV, HIGGS_WIDTH_SM
from na62lab.fips.dark_scalar import M_HIGGS, MATCHING_MASS, lambda_t, trilinear_coupling_squared, xi_coupling
from na62lab.physics.particles import lifetime, mass


@pytest.fixture(scope="module")
def model():
    return get_model("dark-scalar")


def test_muon_width_formula(model):
    # Gamma(S -> mu mu) = theta^2 m_mu^2 m_S / (8 pi v^2) beta^3 (arXiv:1904.10447 eq. (4.1))
    m, theta = 250.0, 1e-3
    beta = np.sqrt(1 - 4 * mass("mu-") ** 2 / m**2)
    expected = theta**2 * mass("mu-") ** 2 * m / (8 * np.pi * HIGGS_VEV**2) * beta**3
    assert model.widths(m, theta)["mumu"] == pytest.approx(expected, rel=1e-12)


def test_branching_ratios_sum_to_one(model):
    m = np.linspace(1.1, 4500.0, 900)
    np.testing.assert_allclose(sum(model.branching_ratios(m).values()), 1.0, rtol=1e-12)


def test_total_width_continuous_at_the_matching_mass(model):
    below = model.total_width(MATCHING_MASS - 1e-3, 1.0)
    above = model.total_width(MATCHING_MASS + 1e-3, 1.0)
    assert below == pytest.approx(above, rel=1e-3)


def test_winkler_pion_width_reproduced():
    # digitised Winkler (arXiv:1809.01876) point: Gamma(S -> pi pi)/theta^2 = 2.2286e-8 GeV at m_S = 0.50118 GeV
    width = get_model("dark-scalar").reduced_widths(501.18)["pipi"]
    assert width == pytest.approx(2.2286e-5, rel=0.03)


def test_hadronic_factor_is_the_theory_spread():
    central = get_model("dark-scalar").reduced_widths(700.0)
    high = get_model("dark-scalar", hadronic_factor=2.0).reduced_widths(700.0)
    assert high["pipi"] == pytest.approx(2 * central["pipi"], rel=1e-12)
    assert high["mumu"] == central["mumu"]
    with pytest.raises(InputError):
        get_model("dark-scalar", hadronic_factor=-1.0)


def test_xi_couplings_match_boiarska_table_1():
    # arXiv:1904.10447 Table 1: |xi_ds| = 3.3e-6, |xi_sb| = 3.6e-4 (inputs differ slightly: 10 %)
    assert abs(xi_coupling("sd")) == pytest.approx(3.3e-6, rel=0.10)
    assert abs(xi_coupling("bs")) == pytest.approx(3.6e-4, rel=0.10)


def test_kaon_production_and_cp_ratio(model):
    p = model.reduced_production(np.array([1.0, 200.0, 400.0]))
    # BR(K+ -> pi+ S) ~ 1.5e-3 theta^2 for a light scalar (arXiv:1904.10447 Fig. 2 / Winkler eq. (31): 1.6e-3)
    assert p["K+->pi+S"][0] == pytest.approx(1.6e-3, rel=0.15)
    assert p["K+->pi+S"][2] == 0.0   # above m_K - m_pi
    # K_L: only Im(lambda_t) contributes; ratio ~ tau_L/tau_+ (Im lt/|lt|)^2 at m -> 0
    lt = lambda_t()
    def kin(parent, child):   # chi^2 p / m^2 of the two-body rate at m_S -> 0
        mx, my = mass(parent), mass(child)
        return (mx**2 - my**2) ** 2 * (mx**2 - my**2) / (2 * mx) / mx**2
    ratio = lifetime("K0L") / lifetime("K+") * (lt.imag / abs(lt)) ** 2 * kin("K0L", "pi0") / kin("K+", "pi+")
    assert p["KL->pi0S"][0] / p["K+->pi+S"][0] == pytest.approx(ratio, rel=1e-3)


def test_b_meson_production(model):
    p = model.reduced_production(np.array([100.0, 5000.0]))
    # inclusive B -> X_s S ~ 5.7 theta^2 for light S (arXiv:1904.10447 Sec. 3.1), exclusive K mode ~ 0.5 theta^2
    assert p["B->XsS"][0] == pytest.approx(5.7, rel=0.15)
    assert 0.3 < p["B->KS"][0] < 0.7
    assert p["B->KS"][1] == 0.0 and p["B->K*S"][1] == 0.0


def test_bc5_coupling_reproduces_br_h_ss():
    alpha2 = trilinear_coupling_squared(0.01, np.array(0.0))
    gamma_ss = alpha2 / (32 * np.pi * M_HIGGS)
    assert gamma_ss / (gamma_ss + HIGGS_WIDTH_SM) == pytest.approx(0.01, rel=1e-12)
    bc5 = get_model("dark-scalar-bc5")
    low = bc5.production_branching_ratios(100.0, 0.0)
    assert low["Bs->SS"] > 0 and low["B->KSS"] > 0 and low["B->KS"] == 0.0
    assert bc5.production_branching_ratios(2700.0, 0.0)["B->KSS"] == 0.0


def test_production_limit_error(model):
    with pytest.raises(InputError, match="K\\+->pi\\+S"):
        model.check_production_mass(400.0, "K+->pi+S")
