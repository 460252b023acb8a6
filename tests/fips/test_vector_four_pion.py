"""e+e- -> 4 pi from the Czyz-Kuehn-Wapienik current (na62lab.fips.vector_four_pion) against measurements."""

import numpy as np
import pytest

from na62lab.fips import vector_exclusive, vector_four_pion, vector_hadrons
from na62lab.physics.particles import mass

from .test_vector_exclusive import _cvc_tau_branching

_B3 = vector_hadrons.BR_OMEGA["3pi"]


def _momenta(q: float, charged: bool, n: int = 200):
    masses = (0.13957039,) * 4 if charged else (0.1349768, 0.1349768, 0.13957039, 0.13957039)
    u = np.random.default_rng(5).random((n, 8))
    return vector_four_pion._phase_space(q, masses, u)


def test_current_is_conserved_and_isospin_cancellations_hold(monkeypatch):
    """Q.J = 0 for both charge modes (every term is transverse: arXiv:0804.0359 App. A).  In the 2pi+ 2pi-
    four-permutation sum the omega pi0 term cancels (omega -> 3 charged pions is impossible) and so does the
    rho rho (BW x BW) part of the rho term (gamma* -> rho0 rho0 is C-forbidden); its rho pi pi contact part
    (the "+ 2" of eq. (A.9)) keeps only rho0 pi+ pi- (the doubly charged pairs cancel), checked by hand."""
    (q1, q2, q3, q4), _ = _momenta(1.5, charged=False)
    big_q = q1 + q2 + q3 + q4
    cur = vector_four_pion.four_pion_current(q1, q2, q3, q4)
    assert np.abs(vector_four_pion._dot(big_q, cur)).max() < 1e-9 * np.abs(cur).max()
    (p1, p2, p3, p4), _ = _momenta(1.5, charged=True)
    full = vector_four_pion._charged_current(p1, p3, p2, p4)
    assert np.abs(vector_four_pion._dot(p1 + p2 + p3 + p4, full)).max() < 1e-9 * np.abs(full).max()
    fit = vector_four_pion.FOUR_PION_FIT
    monkeypatch.setattr(vector_four_pion, "FOUR_PION_FIT", dict(fit, c_omega=0.0))
    np.testing.assert_allclose(vector_four_pion._charged_current(p1, p3, p2, p4), full, rtol=1e-9, atol=1e-9)
    monkeypatch.setattr(vector_four_pion, "FOUR_PION_FIT", dict(fit, c_a1=0.0, c_f0=0.0, c_omega=0.0))
    bw = vector_four_pion._bw_rr
    monkeypatch.setattr(vector_four_pion, "_g_term", lambda a, b, c, d: a * (
        bw(vector_four_pion._dot(a + c, a + c)) * bw(vector_four_pion._dot(b + d, b + d))
        * vector_four_pion._dot(a + b + 3.0 * c + d, b - d)))
    rho_rho = vector_four_pion._charged_current(p1, p3, p2, p4)
    assert np.abs(rho_rho).max() < 1e-12 * np.abs(full).max()
    assert np.abs(vector_four_pion.four_pion_current(q1, q2, q3, q4)).max() > 0.01 * np.abs(cur).max()


def test_phase_space_volume_of_massless_particles():
    """The sampler integrates dPhi_4 correctly: the massless n-body volume is (2 pi)^(4-3n) (pi/2)^(n-1)
    s^(n-2)/((n-1)! (n-2)!) (PDG Review of Particle Physics, Kinematics, n-body phase space), s^2/(2^13 3 pi^5)
    for n = 4; 200k points, 1 %."""
    q = 2.0
    _, w = vector_four_pion._phase_space(q, (0.0, 0.0, 0.0, 0.0), np.random.default_rng(3).random((200000, 8)))
    expected = (2 * np.pi) ** (4 - 12) * (np.pi / 2) ** 3 * q**4 / (6 * 2)
    assert float(np.mean(w)) == pytest.approx(expected, rel=0.01)


def test_table_reproduced_by_the_monte_carlo():
    """The shipped table (admin/fips_four_pion_table.py, 100k points) against a fresh 20k-point integration
    at 1.0, 1.5, 2.0 GeV (same seed: the first 20k points are shared, tolerance 3 %)."""
    for q in (1.0, 1.5, 2.0):
        s = (q * 1000.0) ** 2
        a, _ = vector_four_pion.four_pion_R_mc(q, "2pi+2pi-", n=20000)
        b, _ = vector_four_pion.four_pion_R_mc(q, "pi+pi-2pi0", n=20000)
        assert float(vector_four_pion.R_2pip2pim(s)) == pytest.approx(a, rel=0.03)
        assert float(vector_four_pion.R_pipi2pi0_no_omega(s)) == pytest.approx(b, rel=0.03)


def test_two_charged_pair_cross_section_against_babar():
    """sigma(e+e- -> 2pi+ 2pi-) = R sigma_0 (sigma_0 = 86.85 nb / s[GeV^2]): the BaBar ISR measurement (PRD 85
    (2012) 112009) peaks at about 30 nb near 1.5 GeV.  Ours: 28.0 nb at 1.49 GeV (tolerance 15 %: the value
    read from the paper's figure); 1.0 / 9.4 / 24 / 10.6 / 5.4 nb at 1.0 / 1.2 / 1.6 / 1.8 / 2.0 GeV (pinned)."""
    q = np.arange(1.3, 1.7, 0.01)
    sigma = vector_four_pion.R_2pip2pim((q * 1000) ** 2) * 86.85 / q**2
    assert sigma.max() == pytest.approx(30.0, rel=0.15)
    assert q[np.argmax(sigma)] == pytest.approx(1.5, abs=0.06)
    pins = np.array([1.0, 1.2, 1.6, 1.8, 2.0])
    np.testing.assert_allclose(vector_four_pion.R_2pip2pim((pins * 1000) ** 2) * 86.85 / pins**2,
                               [1.01, 9.4, 24.1, 10.6, 5.4], rtol=0.04)


def test_cvc_tau_four_pion_modes():
    """CVC (isospin): B(tau -> pi- 3pi0 nu) from R(2pi+2pi-)/2, B(tau -> 2pi- pi+ pi0 nu) from R(2pi+2pi-)/2 +
    R(pi+pi-2pi0) (omega pi0 -> pi+ pi- pi0 from the SND fit inside).  PDG 2024 (ex K0): 1.04 +- 0.07 % and
    4.49 +- 0.05 %.  Ours: 1.047 % (1.01 x PDG) and 4.24 % (0.94 x PDG; the omega pi0 share of it from the SND
    fit, 2.05 % x 0.892 through CVC, test_vector_exclusive.py); the e+e- 4 pi data sit a few per cent below the
    tau rates (Davier et al., Rev. Mod. Phys. 78 (2006) 1043), tolerance 20 %."""
    thr = 2 * mass("pi+") + 2 * mass("pi0")
    b_3pi0 = _cvc_tau_branching(lambda s: 0.5 * vector_four_pion.R_2pip2pim(s), thr)
    b_mixed = _cvc_tau_branching(lambda s: 0.5 * vector_four_pion.R_2pip2pim(s)
                                 + vector_four_pion.R_pipi2pi0_no_omega(s) + _B3 * vector_exclusive.R_omega_pi0(s), thr)
    assert b_3pi0 == pytest.approx(0.0104, rel=0.20)
    assert b_mixed == pytest.approx(0.0449, rel=0.20)
    assert (b_3pi0, b_mixed) == pytest.approx((B_3PI0_PIN, B_MIXED_PIN), rel=0.01)


B_3PI0_PIN = 0.01047
B_MIXED_PIN = 0.04239


def test_relative_term_signs_are_fixed_by_the_measured_cross_section(monkeypatch):
    """Herwig 7 and Hazma combine the a1, f0, omega and rho terms with the same relative signs; the PRR python
    module writes f0, omega and rho with the opposite sign to a1.  With the same fitted coefficients the first
    gives sigma(2pi+ 2pi-) = 28 nb at 1.5 GeV (BaBar PRD 85 (2012) 112009: ~30 nb), the second 159 nb."""
    sigma0 = 86.85 / 1.5**2
    ours = vector_four_pion.four_pion_R_mc(1.5, "2pi+2pi-", n=20000)[0] * sigma0
    fit = vector_four_pion.FOUR_PION_FIT
    flipped = dict(fit, c_f0=-fit["c_f0"], c_omega=-fit["c_omega"], c_rho=-fit["c_rho"])
    monkeypatch.setattr(vector_four_pion, "FOUR_PION_FIT", flipped)
    other = vector_four_pion.four_pion_R_mc(1.5, "2pi+2pi-", n=20000)[0] * sigma0
    assert ours == pytest.approx(30.0, rel=0.15) and other > 4 * ours


def test_neutral_mode_cross_section_pinned():
    """sigma(e+e- -> pi+ pi- 2pi0) as R_4pi uses it (CKW without its omega term + B(omega -> 3 pi) x the SND
    omega pi0 fit): 17.5 / 37.8 / 31.3 / 14.8 nb at 1.2 / 1.5 / 1.6 / 1.8 GeV.  The CKW current with its own
    omega term gives 17.9 / 32.5 / 28.0 / 14.7 nb: its omega pi0 part is smaller than the SND fit's at
    1.4-1.6 GeV (R 0.26 vs 0.39 at 1.45 GeV, equal at 1.2 and 1.8 GeV).  The BaBar table (PRD 96 (2017) 092009)
    was not readable from here: pinned, not validated point by point (the tau CVC test above covers it)."""
    q = np.array([1.2, 1.5, 1.6, 1.8])
    s = (q * 1000) ** 2
    sigma = (vector_four_pion.R_pipi2pi0_no_omega(s) + _B3 * vector_exclusive.R_omega_pi0(s)) * 86.85 / q**2
    np.testing.assert_allclose(sigma, [17.5, 37.8, 31.3, 14.8], rtol=0.03)
    own = vector_four_pion.four_pion_R_mc(1.5, "pi+pi-2pi0", n=20000, omega=True)[0] * 86.85 / 1.5**2
    assert own == pytest.approx(32.5, rel=0.05)
