"""HNL production in tau decays (Bondarenko et al. arXiv:1805.08567 Sec. 2.3): m_N -> 0 limits are the
Standard-Model tau and D_s branching ratios (PDG 2024)."""

import numpy as np
import pytest

from na62lab.fips.hnl_tau import M_TAU, ds_to_tau_br, parent_to_tau_br, tau_brs

TAU_ONLY = {"e": 0.0, "mu": 0.0, "tau": 1.0}


@pytest.mark.parametrize("key, pdg, rtol", [
    ("tau->N pi", 0.1082, 0.03),      # PDG tau -> pi nu
    ("tau->N K", 6.96e-3, 0.03),      # PDG tau -> K nu
    ("tau->N rho", 0.2549, 0.03),     # PDG tau -> pi pi0 nu (rho dominated)
    ("tau->N K*", 1.20e-2, 0.05),     # PDG tau -> K*(892) nu
    ("tau->N e nu", 0.1782, 0.01),    # PDG tau -> e nu nu
    ("tau->N mu nu", 0.1739, 0.01),   # PDG tau -> mu nu nu (muon mass in the phase space; massless: +2.7 %)
])
def test_massless_limit_is_the_standard_model_tau_decay(key, pdg, rtol):
    assert tau_brs(np.array([1e-3]), TAU_ONLY)[key][0] == pytest.approx(pdg, rel=rtol)


def test_ds_to_tau_nu():
    assert ds_to_tau_br() == pytest.approx(0.0536, rel=0.04)       # PDG 2024 BR(Ds+ -> tau+ nu)
    assert parent_to_tau_br("Ds+") == ds_to_tau_br()


def test_dplus_to_tau_nu():
    # PDG 2024 BR(D+ -> tau+ nu) = (1.20 +- 0.27)e-3 (BESIII, PRL 123 (2019) 211802); ours from f_D+ = 212 MeV,
    # |V_cd| = 0.221: 1.03e-3, within the measurement's error
    assert parent_to_tau_br("D+") == pytest.approx(1.20e-3, rel=0.25)


def test_flavours_and_kinematic_ends():
    e = tau_brs(np.array([100.0, M_TAU - 0.6, M_TAU]), {"e": 1.0, "mu": 0.0, "tau": 0.0})
    assert set(e) == {"tau->nu e N"}
    assert e["tau->nu e N"][0] > 0 and e["tau->nu e N"][2] == 0.0
    half = tau_brs(np.array([500.0]), {"e": 0.5, "mu": 0.0, "tau": 0.5})
    full = tau_brs(np.array([500.0]), TAU_ONLY)
    assert half["tau->N pi"][0] == pytest.approx(0.5 * full["tau->N pi"][0])
    pi = tau_brs(np.array([1600.0, 1700.0]), TAU_ONLY)["tau->N pi"]
    assert pi[0] > 0 and pi[1] == 0.0                               # m_tau - m_pi = 1637 MeV
