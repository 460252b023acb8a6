"""K+ decay generators: conservation laws and matrix-element shapes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from na62lab.errors import InputError
from na62lab.generation.kaon import matrix_elements as me
from na62lab.generation.kaon.decays import MODE_GENERATORS, generate_mode
from na62lab.generation.kaon.final_state import ELECTRON, INVISIBLE, PHOTON
from na62lab.physics import kinematics as kin
from na62lab.physics.particles import mass

MK, MPI, MPI0, MMU, ME = mass("K+"), mass("pi+"), mass("pi0"), mass("mu+"), mass("e+")


def _kaons(n, p=75_000.0, tx=1.2e-3, ty=0.0):
    pz = p / np.sqrt(1 + tx**2 + ty**2)
    return np.tile([np.hypot(p, MK), tx * pz, ty * pz, pz], (n, 1))


def _rest(fs_slot, parent):
    """Slot four-momenta boosted to the parent rest frame."""
    m = np.sqrt(kin.invariant_mass2(parent))
    return kin.boost(fs_slot, -parent[:, 1:] / parent[:, :1]) if m.size else fs_slot


ALL = sorted(MODE_GENERATORS) + ["pi_X", "mu_N", "e_N", "pi_munu", "pi_enu"]
PARAMS = {"pi_X": {"m_x": 100.0}, "mu_N": {"m_n": 300.0}, "e_N": {"m_n": 100.0}}


@settings(max_examples=25, deadline=None)
@given(mode=st.sampled_from(ALL), seed=st.integers(0, 2**31), p=st.floats(1_000.0, 200_000.0),
       tx=st.floats(-5e-3, 5e-3), ty=st.floats(-5e-3, 5e-3))
def test_four_momentum_and_charge_conserved(mode, seed, p, tx, ty):
    parent = _kaons(64, p, tx, ty)
    if mode.startswith("pi_") and mode != "pi_X":
        parent[:, 0] = np.sqrt(np.sum(parent[:, 1:] ** 2, axis=1) + MPI**2)
    fs = generate_mode(mode, parent, np.random.default_rng(seed), **PARAMS.get(mode, {}))
    rel = np.abs(fs.total_p4() - parent) / parent[:, :1]
    assert rel.max() < 1e-9
    assert np.all(fs.total_charge() == 1)


def test_daughter_masses_and_species():
    fs = generate_mode("pipi0", _kaons(20_000), np.random.default_rng(1))
    m_pi = np.sqrt(kin.invariant_mass2(fs.slots[0].p4))
    np.testing.assert_allclose(m_pi, MPI, rtol=1e-5)
    photons = fs.slots[1].species == PHOTON
    dalitz = fs.slots[1].species == ELECTRON
    assert np.all(photons | dalitz)
    # PDG 2024: BR(pi0 -> e+ e- gamma) / (gg + Dalitz) = 1.174 / 99.997 %; binomial error 0.08 %
    assert dalitz.mean() == pytest.approx(0.01174, abs=0.003)
    pi0 = fs.slots[1].p4 + fs.slots[2].p4 + fs.slots[3].p4
    np.testing.assert_allclose(np.sqrt(kin.invariant_mass2(pi0)), MPI0, rtol=1e-6)


def test_kmu2_rest_momentum():
    # PDG Kinematics Eq. 49.17: p* = 235.5 MeV/c for K+ -> mu+ nu
    k = _kaons(1000)
    fs = generate_mode("munu", k, np.random.default_rng(2))
    mu_rest = kin.boost(fs.slots[0].p4, -k[:, 1:] / k[:, :1])
    np.testing.assert_allclose(np.linalg.norm(mu_rest[:, 1:], axis=1), 235.53, atol=0.02)
    assert np.all(fs.slots[1].species == INVISIBLE)


def _rest_energy(p4, parent):
    return kin.boost(p4, -parent[:, 1:] / parent[:, :1])[:, 0]


def test_k3pi_dalitz_slope_charged():
    # Mean of u = (s3 - s0)/m_pi^2 over the generated sample against the same mean
    # computed by integrating |M|^2 = 1 + g u + h u^2 + k v^2 (PDG 2024) over the Dalitz plot.
    n = 200_000
    k = _kaons(n, p=1e-6)  # at rest: no boost needed
    fs = generate_mode("pipipi", k, np.random.default_rng(3))
    s3 = kin.invariant_mass2(k - fs.slots[2].p4)
    s0 = (MK**2 + 3 * MPI**2) / 3
    u = (s3 - s0) / MPI**2
    x, y = kin.sample_flat_dalitz(MK, MPI, MPI, MPI, 2_000_000, np.random.default_rng(4))
    s1 = y
    s2 = MK**2 + 3 * MPI**2 - x - y
    w = me.k3pi_density(s1, s2, x, me.K3PI_CHARGED, s0=s0)
    expected = np.sum(w * (x - s0) / MPI**2) / np.sum(w)
    flat = np.mean((x - s0) / MPI**2)
    assert abs(expected - flat) > 0.03          # the slope matters at this precision
    assert u.mean() == pytest.approx(expected, abs=0.006)   # stat. error ~0.002


def test_kl3_pion_energy_spectrum():
    # <E_pi> in the kaon frame against numerical integration of the K_l3 Dalitz density (PDG note).
    n = 200_000
    k = _kaons(n, p=1e-6)
    fs = generate_mode("pi0munu", k, np.random.default_rng(5))
    pi0 = fs.slots[2].p4 + fs.slots[3].p4 + fs.slots[4].p4
    x, y = kin.sample_flat_dalitz(MK, MPI0, MMU, 0.0, 2_000_000, np.random.default_rng(6))
    e_pi = (MK**2 + MPI0**2 - y) / (2 * MK)
    e_nu = (MK**2 - x) / (2 * MK)
    w = me.kl3_density(e_pi, MK - e_pi - e_nu, MPI0, MMU)
    expected = np.sum(w * e_pi) / np.sum(w)
    assert pi0[:, 0].mean() == pytest.approx(expected, abs=0.2)   # MeV; stat. error ~0.05 MeV


def test_pinunu_pion_spectrum_vector_form_factor():
    # dGamma/dt ~ lambda^(3/2)(M_K^2, m_pi^2, t) f+(t)^2 for massless neutrinos (Mescia-Smith 2007).
    n = 200_000
    k = _kaons(n, p=1e-6)
    fs = generate_mode("pinunu", k, np.random.default_rng(7))
    t = kin.invariant_mass2(k - fs.slots[0].p4)

    def rate(tt):
        f, _ = me.kl3_form_factors(tt)
        return kin.kallen(MK**2, MPI**2, tt) ** 1.5 * f**2
    tmax = (MK - MPI) ** 2
    mean = integrate.quad(lambda tt: tt * rate(tt), 0, tmax)[0] / integrate.quad(rate, 0, tmax)[0]
    assert t.mean() == pytest.approx(mean, rel=4e-3)


def test_pigg_sampled_spectrum_follows_density():
    # Sampled <z> = <m_gg^2>/M_K^2 against the integral of the O(p^4) density.
    fs = generate_mode("pigg", _kaons(100_000), np.random.default_rng(8))
    z = kin.invariant_mass2(fs.slots[1].p4 + fs.slots[2].p4) / MK**2
    zz = np.linspace(1e-4, (1 - MPI / MK) ** 2, 100_001)
    w = me.pigg_z_density(zz)
    assert z.mean() == pytest.approx(np.trapezoid(w * zz, zz) / np.trapezoid(w, zz), rel=3e-3)


def test_loop_function_reference_values():
    # F(x) = 1 - (4/x) arcsin^2(sqrt(x)/2): F(x) ~ -x/12 for small x, F(4) = 1 - pi^2/4,
    # and Im F > 0 above threshold (Ecker, Pich, de Rafael NPB 303 (1988) 665, Eq. 3.5).
    assert me._loop_function(np.array([1e-4]))[0].real == pytest.approx(-1e-4 / 12, rel=1e-3)
    assert me._loop_function(np.array([4.0]))[0].real == pytest.approx(1 - np.pi**2 / 4, rel=1e-12)
    assert me._loop_function(np.array([6.0]))[0].imag != 0.0
    below, above = me._loop_function(np.array([4.0 - 1e-9, 4.0 + 1e-9]))
    assert abs(below - above) < 1e-3      # continuous at the two-pion threshold


def test_kroll_wada_mean():
    z = np.linspace(4 * (ME / MPI0) ** 2, 1, 200_001)
    w = me.kroll_wada_density(z, ME) / z
    mean_x = np.trapezoid(w * z, z) / np.trapezoid(w, z)
    fs = generate_mode("pipi0", _kaons(400_000), np.random.default_rng(9))
    dal = fs.slots[1].species == ELECTRON
    x = kin.invariant_mass2(fs.slots[1].p4[dal] + fs.slots[2].p4[dal]) / MPI0**2
    assert x.mean() == pytest.approx(mean_x, rel=0.1)


def test_ke4_dipion_mass_and_electron():
    fs = generate_mode("ke4", _kaons(20_000), np.random.default_rng(10))
    spi = kin.invariant_mass2(fs.slots[0].p4 + fs.slots[1].p4)
    assert np.all(spi >= (2 * MPI) ** 2 * (1 - 1e-9))
    np.testing.assert_allclose(np.sqrt(kin.invariant_mass2(fs.slots[2].p4)), ME, rtol=1e-3)


def test_two_body_new_physics_mass():
    k = _kaons(1000)
    fs = generate_mode("pi_X", k, np.random.default_rng(11), m_x=150.0)
    mmiss2 = kin.invariant_mass2(k - fs.slots[0].p4)
    np.testing.assert_allclose(mmiss2, 150.0**2, rtol=1e-6)


def test_bad_inputs():
    k = _kaons(2)
    with pytest.raises(InputError):
        generate_mode("nonsense", k, np.random.default_rng(0))
    with pytest.raises(InputError):
        generate_mode("pi_X", k, np.random.default_rng(0), m_x=400.0)
    with pytest.raises(InputError):
        generate_mode("mu_N", k, np.random.default_rng(0))


def test_same_seed_same_decays():
    a = generate_mode("pipi0pi0", _kaons(500), np.random.default_rng(12))
    b = generate_mode("pipi0pi0", _kaons(500), np.random.default_rng(12))
    for sa, sb in zip(a.slots, b.slots):
        np.testing.assert_array_equal(sa.p4, sb.p4)


def test_compiled_densities_equal_numpy_reference():
    rng = np.random.default_rng(13)
    x, y = kin.sample_flat_dalitz(MK, MPI, MPI, MPI, 1000, rng)
    s0 = (MK**2 + 3 * MPI**2) / 3
    ref = me.k3pi_density(y, MK**2 + 3 * MPI**2 - x - y, x, me.K3PI_CHARGED, s0=s0)
    g = me.K3PI_CHARGED
    got = [me.k3pi_scalar(b, MK**2 + 3 * MPI**2 - a - b, a, g["g"], g["h"], g["k"], MPI, s0) for a, b in zip(x, y)]
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    x, y = kin.sample_flat_dalitz(MK, MPI0, MMU, 0.0, 1000, rng)
    e_pi = (MK**2 + MPI0**2 - y) / (2 * MK)
    e_l = MK - e_pi - (MK**2 - x) / (2 * MK)
    ff = me.KL3_FORM_FACTORS
    ref = me.kl3_density(e_pi, e_l, MPI0, MMU)
    got = [me.kl3_scalar(a, b, MPI0, MMU, ff["lambda_plus_1"], ff["lambda_plus_2"], ff["lambda_zero"], MK, MPI, MPI0)
           for a, b in zip(e_pi, e_l)]
    np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-12 * ref.max())
