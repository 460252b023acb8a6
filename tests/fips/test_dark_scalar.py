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
    # CP (module docstring): K_L -> pi0 S is CP-conserving through Re(lambda_t), K_S -> pi0 S CP-violating through
    # Im(lambda_t); ratio to K+ ~ tau/tau_+ (Re or Im lt/|lt|)^2 at m -> 0: BR(K_L -> pi0 S) = 5.5e-3 theta^2
    lt = lambda_t()
    def kin(parent, child):   # chi^2 p / m^2 of the two-body rate at m_S -> 0
        mx, my = mass(parent), mass(child)
        return (mx**2 - my**2) ** 2 * (mx**2 - my**2) / (2 * mx) / mx**2
    for kaon, part in (("K0L", lt.real), ("K0S", lt.imag)):
        ratio = lifetime(kaon) / lifetime("K+") * (part / abs(lt)) ** 2 * kin(kaon, "pi0") / kin("K+", "pi+")
        key = "KL->pi0S" if kaon == "K0L" else "KS->pi0S"
        assert p[key][0] / p["K+->pi+S"][0] == pytest.approx(ratio, rel=1e-3)
    assert p["KL->pi0S"][0] == pytest.approx(5.5e-3, rel=0.02)


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


def _amplitude_by_hand(m):
    """The S -> gamma gamma loop sum written out from the closed forms (hep-ph/0503172 Sec. 2.3.1; charged-scalar
    loop hep-ph/0503173 Sec. 2.3), independently of the module: W, e, mu, tau, c, b, t (+ pi, K loops below 2 GeV)."""
    import cmath
    import math

    def f(t):
        if t <= 1:
            return complex(math.asin(math.sqrt(t)) ** 2)
        r = math.sqrt(1 - 1 / t)
        return -0.25 * (cmath.log((1 + r) / (1 - r)) - 1j * math.pi) ** 2

    def a12(mf):
        t = m * m / (4 * mf * mf)
        return 2 * (t + (t - 1) * f(t)) / t**2

    tw = m * m / (4 * mass("W+") ** 2)
    amp = -(2 * tw * tw + 3 * tw + 3 * (2 * tw - 1) * f(tw)) / tw**2
    amp += sum(a12(mass(lep)) for lep in ("e-", "mu-", "tau-"))
    amp += 3 * (4 / 9) * a12(1670.0) + 3 * (1 / 9) * a12(4780.0) + 3 * (4 / 9) * a12(mass("t"))
    if m < 2000.0:
        for mp in (mass("pi+"), mass("K+")):
            t = m * m / (4 * mp * mp)
            amp += (2 / 9) * (m * m + 5.5 * mp * mp) / (2 * mp * mp) * (-(t - f(t)) / t**2)
    else:
        amp += 3 * (1 / 9) * a12(93.5)
    return amp


@pytest.mark.parametrize("m", [100.0, 200.0, 3000.0])
def test_photon_width_matches_the_loop_formula(model, m):
    # Gamma(S -> gamma gamma) = theta^2 alpha^2 m^3 |A|^2 / (256 pi^3 v^2): the SM Higgs two-photon width
    # (hep-ph/0503172 Sec. 2.3.1, G_F/sqrt(2) = 1/(2 v^2)) times theta^2; by hand |A| = 0.18, 0.78, 0.89
    from na62lab.physics.constants import ALPHA_EM
    expected = ALPHA_EM**2 * m**3 * abs(_amplitude_by_hand(m)) ** 2 / (256 * np.pi**3 * HIGGS_VEV**2)
    assert model.reduced_widths(m)["gammagamma"] == pytest.approx(expected, rel=1e-9)
    assert model.widths(m, 1e-3)["gammagamma"] == pytest.approx(1e-6 * expected, rel=1e-9)


def test_photon_loops_heavy_limits_and_the_higgs_width():
    """Heavy-loop limits (A_1/2 -> 4/3, A_1 -> -7, A_0 -> 1/3) and, at m_S = m_h with theta = 1, the SM leading-order
    Gamma(h -> gamma gamma) = 9.3 keV (LHC Higgs WG, BR 2.27e-3 of 4.1 MeV; ours at LO with alpha(0): within 10 %)."""
    from na62lab.fips.dark_scalar import _loop_a0, _loop_a1, _loop_a12
    small = np.array([1e-6])
    assert _loop_a12(small)[0].real == pytest.approx(4 / 3, rel=1e-5)
    assert _loop_a1(small)[0].real == pytest.approx(-7.0, rel=1e-5)
    assert _loop_a0(small)[0].real == pytest.approx(1 / 3, rel=1e-5)
    width = get_model("dark-scalar").reduced_widths(M_HIGGS)["gammagamma"]
    assert width == pytest.approx(9.3e-3, rel=0.10)


def test_photon_width_is_small_next_to_ee_below_the_dimuon_threshold(model):
    """W and heavy fermions nearly cancel for a light scalar: Gamma_gammagamma/Gamma_ee = 2.2e-4 at 0.1 GeV and
    0.016 at 0.2 GeV (module docstring; constituent light quarks instead of meson loops: 0.04, 0.21)."""
    w = model.reduced_widths(np.array([100.0, 200.0]))
    ratio = w["gammagamma"] / w["ee"]
    assert ratio[0] == pytest.approx(2.2e-4, rel=0.05)
    assert ratio[1] == pytest.approx(0.0156, rel=0.05)
    assert "gammagamma" in model.decay_channels


@pytest.mark.parametrize("channel, m_gev, ref, lo, hi", [
    ("pipi", 0.3048, 0.7931, 0.95, 1.05), ("pipi", 0.7024, 0.8902, 0.91, 1.0), ("pipi", 1.1103, 0.2621, 0.87, 0.96),
    ("pipi", 1.5027, 0.0256, 0.72, 0.80), ("KK", 1.2734, 0.7177, 0.78, 0.86), ("KK", 1.7593, 0.4707, 0.57, 0.64)])
def test_hadronic_branching_ratios_against_the_winkler_curves(model, channel, m_gev, ref, lo, hi):
    """BR(S -> pi pi), BR(S -> K K) against Winkler's (arXiv:1809.01876) as digitised in FORESEE (Kling & Trojanowski,
    arXiv:2105.07077), Models/DarkHiggs/model/br/pi_pi.txt and K_K.txt.

    The pi pi and K K widths are Winkler's; the ratio measures the 4pi share, which continuity fixes to the
    perturbative total at 2 GeV.  FORESEE's gg, ss BRs just above 2 GeV are 0.453, 0.423 (br/g_g.txt, s_s.txt),
    our leading-order prescription before t37 gave 0.435, 0.443 (ours/theirs then 0.97-1.035 at 0.3-1.8 GeV); with
    the NLO gg factor and the running-mass q qbar widths (module docstring) they are 0.640, 0.297 and the total at
    2 GeV is 1.9 x larger, so 4pi takes more below 2 GeV: measured 1.00, 0.953, 0.915, 0.762, 0.821, 0.606."""
    ratio = float(model.branching_ratios(m_gev * 1e3, 1.0)[channel]) / ref
    assert lo < ratio < hi, ratio


def test_perturbative_widths_at_3_gev_by_hand(model):
    """gg and s sbar at 3 GeV from the formulas written out here (hep-ph/0503172 Sec. 2.1: running MS-bar mass
    with c(x) = (25x/6)^(12/25)(1 + 1.014x + 1.389x^2), Delta_QCD to alpha_s^3, Delta_t; gg NLO factor
    1 + (95/4 - 7 N_F/6) alpha_s/pi of hep-ph/9504378), with the one-loop alpha_s(2 GeV) = 0.30, n_f = 4."""
    from na62lab.fips import dark_scalar as ds

    m, nf = 3000.0, 4
    a_s = 0.30 / (1 + 0.30 * (11 - 2 * nf / 3) / (2 * np.pi) * np.log(1.5))
    x, x2 = a_s / np.pi, 0.30 / np.pi
    c = lambda y: (25 * y / 6) ** (12 / 25) * (1 + 1.014 * y + 1.389 * y * y)
    ms = 93.5 * c(x) / c(x2)                                   # m_s(2 GeV) = 93.5 MeV run to 3 GeV
    assert float(ds.running_mass("s", m)) == pytest.approx(ms, rel=1e-9)
    assert ms == pytest.approx(85.7, abs=0.1)
    dqcd = 1 + 5.67 * x + (35.94 - 1.36 * nf) * x**2 + (164.14 - 25.77 * nf + 0.259 * nf**2) * x**3
    dt = x**2 * (1.57 - (2 / 3) * np.log(m**2 / mass("t") ** 2) + np.log(ms**2 / m**2) ** 2 / 9)
    beta3 = (1 - 4 * ms**2 / m**2) ** 1.5
    ss = 3 * ms**2 * m / (8 * np.pi * HIGGS_VEV**2) * beta3 * (dqcd + dt)
    assert float(model.reduced_widths(m)["ss"]) == pytest.approx(ss, rel=1e-9)
    k = 1 + (95 / 4 - 7 * nf / 6) * x
    assert k == pytest.approx(2.57, abs=0.01)                  # the NLO term more than doubles the LO width
    assert float(model.reduced_widths(m)["gg"]) == pytest.approx(k * float(ds._gluon_width_lo(np.array(m))), rel=1e-9)


def test_charm_width_vanishes_at_the_d_dbar_threshold(model):
    """beta of S -> c cbar uses the D0 mass (module docstring): the width rises from zero at 2 m_D0."""
    threshold = 2 * mass("D0")
    assert float(model.reduced_widths(threshold - 0.1)["cc"]) == 0.0
    just_above = float(model.reduced_widths(threshold + 1.0)["cc"])
    assert just_above < 1e-3 * float(model.reduced_widths(threshold + 1.0)["gg"])


EVENTCALC_CTAU_M = {1500.0: 1.041e-9, 2000.0: 9.68e-10, 2500.0: 6.334e-10, 3000.0: 4.04e-10, 4000.0: 8.70e-11}
"""m (MeV) -> c tau (m) at sin(theta) = 1 of SHiP's sampler: ShipSoft/EventCalc (no licence: values quoted), commit
ace935e3df1629cd48b7f0f3407aa61a6753bdcf, Distributions/Scalar-mixing/ctau-Scalar.txt."""
SENSCALC_CTAU_M = {1500.0: 1.243e-9, 2001.0: 9.74e-10, 2479.0: 6.478e-10, 4000.0: 8.73e-11}
"""Same from maksymovchynnikov/SensCalc (BSD-3), phenomenology/Scalar/decay widths/ctauS.dat (its 2.000 GeV row,
5.06e-10, is a glitch between 9.76e-10 and 9.74e-10, so 2.001 GeV is quoted)."""


@pytest.mark.parametrize("reference, m, lo, hi", [
    (EVENTCALC_CTAU_M, 1500.0, 1.0, 1.25), (EVENTCALC_CTAU_M, 2000.0, 0.82, 1.0),
    (EVENTCALC_CTAU_M, 2500.0, 0.87, 1.04),
    (EVENTCALC_CTAU_M, 3000.0, 0.93, 1.12), (EVENTCALC_CTAU_M, 4000.0, 0.85, 1.02),
    (SENSCALC_CTAU_M, 1500.0, 0.86, 1.03), (SENSCALC_CTAU_M, 2001.0, 0.81, 0.98), (SENSCALC_CTAU_M, 2479.0, 0.86, 1.03),
    (SENSCALC_CTAU_M, 4000.0, 0.85, 1.02)])
def test_lifetime_against_the_bc4_samplers(model, reference, m, lo, hi):
    """Our c tau at theta = 1 over EventCalc's / SensCalc's (which implement arXiv:1904.10447): measured 1.12, 0.90,
    0.95, 1.02, 0.93 and 0.94, 0.89, 0.94, 0.93 at the masses above; with the leading-order gg, unrun masses and
    charm beta from m_c (before t37) EventCalc's were 1.52, 1.72, 1.82, 2.00, 0.235.  Bands: the measured value
    +- ~10 % (the references' own inputs, alpha_s and quark masses, are not stated in the files)."""
    ratio = float(model.ctau(m, 1.0)) / 1e3 / reference[m]
    assert lo < ratio < hi, ratio
