"""HNL production in tau decays (Bondarenko et al. arXiv:1805.08567 Sec. 2.3): m_N -> 0 limits are the
Standard-Model tau and D_s branching ratios (PDG 2024)."""

import numpy as np
import pytest

from na62lab.fips.hnl_tau import (
    M_TAU, ds_to_tau_br, leptonic_matrix_element, parent_to_tau_br, tau_brs, two_body_asymmetry,
)
from na62lab.physics.kinematics import three_body_phase_space

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


def _gamma_matrices():
    """Dirac matrices (Dirac representation), gamma5 and the metric."""
    s = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]])]
    z, i2 = np.zeros((2, 2)), np.eye(2)
    g = [np.block([[i2, z], [z, -i2]]).astype(complex)] + [np.block([[z, x], [-x, z]]).astype(complex) for x in s]
    return g, 1j * g[0] @ g[1] @ g[2] @ g[3], np.diag([1.0, -1.0, -1.0, -1.0])


def _trace_rate(m_n: float, m_h: float, vector: bool, cos: float) -> float:
    """sum |M|^2 of tau- (spin +z, at rest) -> N h with the N at cos(theta) from z: the Dirac trace of the
    hnl_tau module docstring, evaluated numerically."""
    g, g5, eta = _gamma_matrices()
    one = np.eye(4)

    def slash(p):
        return sum(eta[k, k] * p[k] * g[k] for k in range(4))

    p = np.sqrt((M_TAU**2 - (m_n + m_h) ** 2) * (M_TAU**2 - (m_n - m_h) ** 2)) / (2 * M_TAU)
    p_n = np.array([np.hypot(m_n, p), p * np.sqrt(1 - cos**2), 0.0, p * cos])
    p_h = np.array([M_TAU, 0.0, 0.0, 0.0]) - p_n
    tau = (slash([M_TAU, 0, 0, 0]) + M_TAU * one) @ (one + g5 @ slash([0, 0, 0, 1.0])) / 2
    currents = [(1.0, slash(p_h))] if not vector else [
        (-eta[a, b] + p_h[a] * p_h[b] * eta[a, a] * eta[b, b] / m_h**2, (g[a], g[b]))
        for a in range(4) for b in range(4)]
    total = 0.0
    for weight, gam in currents:
        left, right = (gam, gam) if not vector else gam
        if weight == 0:
            continue
        bar = g[0] @ (right @ (one - g5)).conj().T @ g[0]
        total += weight * np.trace((slash(p_n) + m_n * one) @ left @ (one - g5) @ tau @ bar).real
    return total


@pytest.mark.parametrize("key, m_h", [("tau->N pi", 139.57039), ("tau->N rho", 775.26)])
@pytest.mark.parametrize("m_n", [1.0, 400.0, 900.0])
def test_two_body_asymmetry_is_the_dirac_trace(key, m_h, m_n):
    vector = key.endswith("rho")
    forward, backward = (_trace_rate(m_n, m_h, vector, c) for c in (1.0, -1.0))
    assert two_body_asymmetry(key, m_n) == pytest.approx((forward - backward) / (forward + backward), abs=2e-3)


def test_two_body_asymmetry_standard_model_limit():
    # m_N -> 0: the tau -> pi nu, rho nu analysing powers -1 and -(m_tau^2 - 2 m_rho^2)/(m_tau^2 + 2 m_rho^2)
    assert two_body_asymmetry("tau->N pi", 1e-3) == pytest.approx(-1.0, abs=1e-6)
    r = (775.26 / M_TAU) ** 2
    assert two_body_asymmetry("tau->N rho", 1e-3) == pytest.approx(-(1 - 2 * r) / (1 + 2 * r), rel=2e-3)


def test_leptonic_matrix_element_is_polarised_muon_decay():
    # m_N -> 0 and an electron: muon decay; with the spin along +z, the charged lepton and the neutrino at the
    # tau vertex have <cos> = -1/9, the antineutrino +1/3 (V-A, e.g. PDG review "Muon decay parameters", rho = 3/4,
    # xi = 1); the N takes the slot of nu_tau (tau->N e nu) or of the antineutrino (tau->nu e N)
    rng = np.random.default_rng(5)
    n = 200_000
    tau = np.tile([M_TAU, 0.0, 0.0, 0.0], (n, 1))
    spin = np.tile([0.0, 0.0, 0.0, 1.0], (n, 1))
    lep, nu, hnl = three_body_phase_space(tau, 0.511, 0.0, 1e-3, rng)

    def mean_cos(w, p):
        return float(np.sum(w * p[:, 3] / np.linalg.norm(p[:, 1:], axis=1)) / w.sum())

    w = leptonic_matrix_element("tau->N e nu", tau, spin, lep, nu, hnl)
    assert mean_cos(w, lep) == pytest.approx(-1 / 9, abs=0.01) and mean_cos(w, hnl) == pytest.approx(-1 / 9, abs=0.01)
    assert mean_cos(w, nu) == pytest.approx(1 / 3, abs=0.01)
    w = leptonic_matrix_element("tau->nu e N", tau, spin, lep, nu, hnl)
    assert mean_cos(w, hnl) == pytest.approx(1 / 3, abs=0.01) and mean_cos(w, nu) == pytest.approx(-1 / 9, abs=0.01)
