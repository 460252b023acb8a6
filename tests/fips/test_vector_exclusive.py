"""Exclusive e+e- channels omega pi0, eta pi+ pi-, phi eta (na62lab.fips.vector_exclusive) and their place in R."""

import numpy as np
import pytest

from na62lab.fips import get_model, vector_exclusive, vector_hadrons
from na62lab.physics.particles import mass

_M_TAU = mass("tau-")
_TAU_E = 0.1782      # PDG 2024, B(tau -> e nu nu)
_VUD = 0.97373       # PDG 2024
_S_EW = 1.0201       # short-distance electroweak correction (Marciano-Sirlin), as in the PDG tau review


def _cvc_tau_branching(r_func, threshold: float) -> float:
    """B(tau -> X nu) from the isovector e+e- R of the same state (CVC; e.g. Davier et al., Rev. Mod. Phys. 78
    (2006) 1043, eq. (9) with v(s) = R(s)/3): B = B_e 2 |V_ud|^2 S_EW int ds (1-x)^2 (1+2x) R(s) / m_tau^2."""
    q = np.linspace(threshold * (1 + 1e-9), _M_TAU, 4001)
    x = (q / _M_TAU) ** 2
    integrand = (1 - x) ** 2 * (1 + 2 * x) * r_func(q * q) * 2 * q
    return float(_TAU_E * 2 * _VUD**2 * _S_EW / _M_TAU**2 * np.trapezoid(integrand, q))


def test_cvc_normalisation_reproduces_tau_to_two_pions():
    """The CVC integral on our fitted pi+ pi- R (Czyz et al., arXiv:1002.0279) gives B(tau -> pi pi0 nu) =
    24.1 % against PDG 2024 25.49 %: the formula and units of the two tests below are right (the few-% gap
    is the known isospin-breaking / tau vs e+e- difference)."""
    b = _cvc_tau_branching(vector_hadrons.R_pipi, 2 * mass("pi+"))
    assert b == pytest.approx(0.2549, rel=0.08)


def test_omega_pi0_against_tau_to_omega_pi_nu():
    """SND fit of e+e- -> omega pi0 (arXiv:1303.5198, the SND paper finds CVC holds at ~5 %): through CVC
    it predicts B(tau -> omega pi nu) = 2.05 %; measured (PDG 2024) 1.95 +- 0.06 %."""
    b = _cvc_tau_branching(vector_exclusive.R_omega_pi0, mass("omega(782)") + mass("pi0"))
    assert b == pytest.approx(0.0195, rel=0.10)
    assert b == pytest.approx(0.02047, rel=0.01)


def test_eta_pipi_against_tau_to_eta_pi_pi0_nu():
    """Plehn-Reimitz-Richardson eta pi+ pi- fit (arXiv:1911.11147): through CVC it predicts
    B(tau -> eta pi pi0 nu) = 0.167 %; measured (PDG 2024) 0.139 +- 0.007 %: the e+e- data sit ~15-20 %
    above the tau rate (a known tension of this channel), tolerance 25 %."""
    b = _cvc_tau_branching(vector_exclusive.R_eta_pipi, mass("eta") + 2 * mass("pi+"))
    assert b == pytest.approx(0.00139, rel=0.25)
    assert b == pytest.approx(0.001674, rel=0.01)


def test_four_pion_current_against_tau_four_pion_rates():
    """vector_hadrons.R_4pi (the Czyz-Kuehn-Wapienik current, arXiv:0804.0359 with the arXiv:1911.11147 refit,
    plus the SND omega(-> 3 pi) pi0) through CVC: B(tau -> 4 pi nu) = 5.29 % against PDG 2024 B(pi- 3pi0 nu) +
    B(2pi- pi+ pi0 nu) = 1.04 + 4.49 % (ex K0): 0.96 (the former read-off rho(1450)/rho(1700) shapes gave
    4.76 %, 0.86).  Per charge mode: tests/fips/test_vector_four_pion.py."""
    b = _cvc_tau_branching(vector_hadrons.R_4pi, 2 * mass("pi+") + 2 * mass("pi0"))
    assert b == pytest.approx(0.05285, rel=0.01)
    assert 0.90 < b / (0.0104 + 0.0449) < 1.05


def test_peak_cross_sections_of_the_fits():
    """sigma = R sigma_0, sigma_0 = 86.8 nb / s[GeV^2]: omega pi0 peaks at 19 nb near 1.42 GeV, eta pi+ pi-
    at 4.1 nb near 1.5 GeV, phi eta at 2.6 nb near 1.7 GeV (the phi(1680)), omega eta at 1.9 nb near 1.65 GeV
    (the omega(1650)); pinned values of the fits."""
    q = np.arange(1.0, 2.0, 0.005)
    sigma0 = 86.8 / q**2
    for func, peak_q, peak_nb in ((vector_exclusive.R_omega_pi0, 1.42, 19.0),
                                  (vector_exclusive.R_eta_pipi, 1.50, 4.1),
                                  (vector_exclusive.R_phi_eta, 1.69, 2.6),
                                  (vector_exclusive.R_omega_eta, 1.65, 1.9)):
        sigma = func((q * 1000) ** 2) * sigma0
        assert q[np.argmax(sigma)] == pytest.approx(peak_q, abs=0.04)
        assert sigma.max() == pytest.approx(peak_nb, rel=0.05)


def test_eta_pipi_kernel_equals_the_dalitz_integral():
    """int dt Q^2 |p+ x p-|^2 over the Dalitz plot at fixed s_pipi equals (lambda_1 lambda_2)^(3/2)/(24 s^2),
    so the kernel is (lambda_1 lambda_2)^(3/2)/(1536 pi^2 Q^4 s^2) = (1/(64 pi^2 Q^2)) int dt |p+ x p-|^2."""
    q, s = 1.6, 0.5            # GeV, GeV^2
    m_eta, m_pi = mass("eta") / 1000, mass("pi+") / 1000
    # t = m^2(eta pi+) limits at fixed s from the pi pi rest frame
    e_pi, e_eta = np.sqrt(s) / 2, (q * q - s - m_eta**2) / (2 * np.sqrt(s))
    k, p_eta = np.sqrt(e_pi**2 - m_pi**2), np.sqrt(e_eta**2 - m_eta**2)
    cos = np.linspace(-1, 1, 20001)
    t = m_eta**2 + m_pi**2 + 2 * (e_eta * e_pi - p_eta * k * cos)
    u = q * q + m_eta**2 + 2 * m_pi**2 - s - t
    e_p, e_m = (q * q + m_pi**2 - u) / (2 * q), (q * q + m_pi**2 - t) / (2 * q)
    dot = e_p * e_m - (s - 2 * m_pi**2) / 2
    cross2 = (e_p**2 - m_pi**2) * (e_m**2 - m_pi**2) - dot**2
    integral = np.trapezoid(cross2, cos) * 2 * p_eta * k
    expected = vector_exclusive.eta_pipi_kernel(q, s) * 64 * np.pi**2 * q * q
    assert integral == pytest.approx(float(expected), rel=1e-6)


def test_omega_pi0_is_split_over_final_states_and_widths_add_up():
    """R_channels: omega pi0 -> pi+ pi- pi0 inside the 4 pi total, -> pi+ pi- in 3pi, rest in pi0pi0gamma;
    the channel sum equals the sum of the physical R's (1 MeV grid to 3 GeV, each channel >= 0)."""
    m = np.arange(280.0, 3000.0, 1.0)
    s = m * m
    r = vector_hadrons.R_channels(s)
    assert set(r) == set(vector_hadrons.HADRONIC_CHANNELS)
    omega_pi = vector_exclusive.R_omega_pi0(s)
    b3, b2 = vector_hadrons.BR_OMEGA["3pi"], vector_hadrons.BR_OMEGA["pipi"]
    physical = (vector_hadrons.R_pipi(s) + vector_hadrons.R_3pi(s) + vector_hadrons.R_4pi(s) + vector_hadrons.R_KK(s)
                + vector_hadrons.R_KKpi(s) + vector_exclusive.R_eta_pipi(s) + vector_hadrons.R_pi0gamma(s)
                + vector_exclusive.R_phi_eta(s) + vector_exclusive.R_omega_eta(s) + (1 - b3) * omega_pi + r["other"])
    np.testing.assert_allclose(sum(r.values()), physical, rtol=1e-12)
    np.testing.assert_allclose(r["pi0pi0gamma"], (1 - b3 - b2) * omega_pi, rtol=1e-12)
    assert np.all(vector_hadrons.R_4pi(s) >= b3 * omega_pi)
    assert all(float(v.min()) >= 0 for v in r.values())


def test_dark_photon_reconstructed_four_pion_share():
    """4pi -> pi+ pi- pi0 pi0 share: the CKW pi+ pi- 2pi0 (no omega term) plus all of omega(-> 3 pi) pi0, over
    R_4pi: 0.87, 0.65, 0.57, 0.57, 0.58 at 1.0, 1.2, 1.45, 1.6, 1.8 GeV (with the former shapes and half of the
    non-omega 4 pi 0.76, 0.78, 0.65, 0.61, 0.54; before that 1/2); eta pi+ pi- is reconstructed as pipieta."""
    model = get_model("dark-photon")
    m = np.array([1.0, 1.2, 1.45, 1.6, 1.8]) * 1000
    np.testing.assert_allclose(model.final_state_fraction("4pi", m), [0.872, 0.653, 0.574, 0.566, 0.582], atol=0.01)
    assert np.all(model.final_state_fraction("pipieta", m) == 1.0)
    assert "pipieta" in model.decay_channels
    br = model.branching_ratios(m)
    r = vector_hadrons.R_channels(m**2)
    hadronic = sum(br[k] for k in vector_hadrons.HADRONIC_CHANNELS)
    np.testing.assert_allclose(br["pipieta"] / hadronic, r["pipieta"] / sum(r.values()), rtol=1e-10)


def test_kkpi_dalitz_integral_with_flat_propagators(monkeypatch):
    """With the K* propagators set to 1 the Dalitz integral of |p_1 x p_2|^2 must equal
    int ds_23 (lambda(Q^2, s_23, m_1^2) lambda(s_23, m_2^2, m_3^2))^(3/2) / (24 Q^2 s_23^2) (the orientation
    integral of the eta pi pi kernel, for unequal masses)."""
    monkeypatch.setattr(vector_exclusive, "_kstar", lambda s, m1, m2: np.ones_like(s, dtype=complex))
    q, m1, m2, m3 = 1.7, 0.4976, 0.4937, 0.1396
    integ = vector_exclusive.kkpi_dalitz_integrals(q, (m1, m2, m3), 64)
    s = np.linspace((m2 + m3) ** 2, (q - m1) ** 2, 200001)

    def lam(a, b, c):
        return a * a + b * b + c * c - 2 * (a * b + a * c + b * c)

    exact = np.trapezoid(np.clip(lam(q * q, s, m1**2) * lam(s, m2**2, m3**2), 0, None) ** 1.5 / (24 * q * q * s * s), s)
    np.testing.assert_allclose(integ.real, exact, rtol=1e-4)


def test_kkpi_fit_against_darkcast_and_its_charge_share():
    """K K* fit (arXiv:1911.11147): sigma(K Kbar pi) = 7.4 nb at 1.65 GeV (DarkCast's digitised table
    8.3 nb there); the dump's K+ K- pi0 share 0.29, 0.18, 0.11, 0.04, 0.01 at 1.3, 1.45, 1.6, 1.7, 1.8 GeV
    (isoscalar and isovector amplitudes cancel in K+ K- pi0 near 1.8 GeV; the former isospin default 1/6)."""
    r = vector_exclusive.R_KKpi_modes(np.array([1650.0**2]))
    assert sum(r.values())[0] * 86.8 / 1.65**2 == pytest.approx(7.4, rel=0.03)
    m = np.array([1.3, 1.45, 1.6, 1.7, 1.8]) * 1000
    share = get_model("dark-photon").final_state_fraction("KKpi", m)
    np.testing.assert_allclose(share, [0.292, 0.176, 0.108, 0.044, 0.010], atol=0.01)
