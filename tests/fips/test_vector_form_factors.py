"""Published e+e- form-factor fits behind the dark-photon hadronic widths (fips.vector_form_factors)."""

import math

import numpy as np
import pytest

from na62lab.fips import vector_form_factors as vf
from na62lab.fips.constants import ALPHA_EM
from na62lab.physics.particles import mass


def test_dual_couplings_sum_to_one_and_match_closed_form_c0():
    # BKK (hep-ph/0409080) Sec. 3: sum_n c_n = 1, c_0 = Gamma(beta - 1/2)/(Gamma(1/2) Gamma(beta - 1)) / (1/2)
    beta = vf.PION_FIT["beta"]
    c = vf.dual_couplings(beta, 2000)
    assert c.sum() == pytest.approx(1.0, abs=2e-5)
    assert c[0] == pytest.approx(2 * math.gamma(beta - 0.5) / (math.sqrt(math.pi) * math.gamma(beta - 1)), rel=1e-12)
    for name in ("rho", "omega", "phi"):          # kaon towers renormalised to sum c_n = 1 (F_K+(0) = 1)
        assert vf._kaon_towers()[name][0].sum() == pytest.approx(1.0, abs=1e-12)


def test_gounaris_sakurai_matches_the_textbook_form():
    # GS, PRL 21 (1968) 244: d-factor normalisation and f(s) in momentum form (BaBar arXiv:1205.2228
    # eqs. (27)-(33)), written out here independently of the velocity form of the module
    m, g, mpi = 775.26, 149.1, mass("pi+")
    s = np.array([0.3, 0.6, 0.775, 1.0, 1.6]) ** 2 * 1e6
    k0, k = 0.5 * np.sqrt(m**2 - 4 * mpi**2), 0.5 * np.sqrt(s - 4 * mpi**2)

    def h(rs, kk):
        return 2 / np.pi * kk / rs * np.log((rs + 2 * kk) / (2 * mpi))

    dh0 = h(m, k0) * (1 / (8 * k0**2) - 1 / (2 * m**2)) + 1 / (2 * np.pi * m**2)
    f = g * m**2 / k0**3 * (k**2 * (h(np.sqrt(s), k) - h(m, k0)) + (m**2 - s) * k0**2 * dh0)
    d = (3 / np.pi * mpi**2 / k0**2 * np.log((m + 2 * k0) / (2 * mpi)) + m / (2 * np.pi * k0)
         - mpi**2 * m / (np.pi * k0**3))
    expected = m**2 * (1 + d * g / m) / (m**2 - s + f - 1j * m * g * (m / np.sqrt(s)) * (k / k0) ** 3)
    np.testing.assert_allclose(vf.gounaris_sakurai(s, m, g), expected, rtol=1e-10)


def test_pion_and_kaon_form_factors_reproduce_an_independent_encoding_of_the_fits():
    """Values stored by Hazma (LoganAMorrison/Hazma, form_factors/vector/testdata/pi_pi.json, k_k.json) for
    the same fits, with its vector couplings (g_u, g_d, g_s) = (3, 1, -1): F_pi x 2, and R + 2 W + P for K+ K-.
    Agreement to 0.05 % for F_pi (pi+ mass 139.57 MeV there), exact for the kaon towers."""
    m = np.array([400.0, 556.6315367427483, 774.5966692414836, 1077.912335889253, 1500.0])
    hazma = np.array([2.873932413219295 + 0.08487904638083109j, 4.456999807463834 + 0.7239561644638398j,
                      -1.068853296327431 + 13.18726821382267j, -2.5381357409173773 + 0.7294932476724588j,
                      -0.08975370978893282 - 0.29858734613802124j]) / 2
    np.testing.assert_allclose(vf.pion_form_factor_cgk(m**2), hazma, rtol=1e-3)
    m = np.array([1036.7217, 1137.0235412109325, 1247.0294904291554, 1367.6784109006524, 1500.0])
    hazma = np.array([-32.95792510570322 + 6.850428790771881j, -8.735755977586205 + 1.0005834995138991j,
                      -6.226216911993085 + 0.47345481246705884j, -5.672688473989655 - 0.31474585851998027j,
                      -4.9869422789116316 - 1.2438651005455301j])
    s = m[:, None] ** 2
    tw = vf._kaon_towers()
    rho = (tw["rho"][0] * vf.gounaris_sakurai(s, *tw["rho"][1:])).sum(axis=1)
    omega = (tw["omega"][0] * vf._bw_fixed(s, *tw["omega"][1:])).sum(axis=1)
    phi = (tw["phi"][0] * vf._bw_pwave(s, *tw["phi"][1:], mass("K+"), mass("K+"))).sum(axis=1)
    np.testing.assert_allclose(rho + 2 * omega + phi, hazma, rtol=1e-10)
    # photon couplings: F_K+ = R/2 + W/6 + P/3 (CGK arXiv:1002.0279, BKK hep-ph/0409080 eqs. (20)-(21))
    np.testing.assert_allclose(vf.kaon_form_factors_cgk(m**2)[0], rho / 2 + omega / 6 + phi / 3, rtol=1e-12)


@pytest.mark.parametrize("vector,b_ee,b_3pi", [("omega", 7.38e-5, 0.892), ("phi", 2.979e-4, 0.1524)])
def test_three_pion_R_on_the_narrow_peaks_matches_measured_branching_ratios(vector, b_ee, b_3pi):
    # narrow resonance: R = 9 B(V->ee) B(V->3pi)/alpha^2 (PDG 2024); the Dalitz-integrated CGKR model gives
    # 11.10 vs 11.13 (omega) and 7.72 vs 7.67 (phi): a check of the normalisation R = (2 pi/Q^2) int dPhi (-J.J*)
    expected = 9 * b_ee * b_3pi / ALPHA_EM**2
    assert float(vf.three_pion_R(mass(vector) ** 2)) == pytest.approx(expected, rel=0.02)


def test_three_pion_dalitz_integration_and_tables_are_converged():
    q = np.array([800.0, 1234.5, 1777.7, 2999.0])
    coarse, fine = vf._dalitz_integrals(q), vf._dalitz_integrals(q, 160)
    np.testing.assert_allclose(coarse.real[:, 0, 0], fine.real[:, 0, 0], rtol=3e-3)
    # table interpolation (off-grid Q) against the exact integral: < 1e-3 in R
    amp = vf._three_pion_amplitudes(q**2)
    exact = np.einsum("jq,kq,qjk->q", amp, amp.conj(), coarse).real / (64 * np.pi**2 * q**2)
    np.testing.assert_allclose(vf.three_pion_R(q**2), exact, rtol=1e-3)
    # pion tail table (n >= 6) against the direct sum
    c, m, g = vf._pion_tower()
    s = np.array([1.23, 2.345, 3.456, 7.89]) ** 2 * 1e6
    direct = (c[6:] * vf.gounaris_sakurai(s[:, None], m[6:], g[6:])).sum(axis=1)
    table = vf._pion_tail_table()
    root = np.sqrt(s)
    interp = np.interp(root, vf._TAIL_GRID, table.real) + 1j * np.interp(root, vf._TAIL_GRID, table.imag)
    np.testing.assert_allclose(interp, direct, atol=1e-6)


def test_shapes_and_thresholds():
    assert np.shape(vf.three_pion_R(1e6)) == () and np.shape(vf.pion_form_factor_cgk(1e6)) == ()
    s = np.full((2, 3), 1.1e6)
    assert vf.three_pion_R(s).shape == (2, 3) and vf.kaon_form_factors_cgk(s)[0].shape == (2, 3)
    below = (2 * mass("pi+") + mass("pi0") - 1.0) ** 2
    assert float(vf.three_pion_R(below)) == 0.0
    # pi+ pi- pi0 vanishes smoothly at threshold (P-wave cubed phase space)
    thr = 2 * mass("pi+") + mass("pi0")
    assert 0 < float(vf.three_pion_R((thr + 5.0) ** 2)) < 1e-4
