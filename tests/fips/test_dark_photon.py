"""Dark photon widths, branching ratios, production and bremsstrahlung inputs."""

import numpy as np
import pytest

from na62lab.errors import InputError
from na62lab.fips import get_model, vector_hadrons
from na62lab.fips.constants import ALPHA_EM
from na62lab.fips.dark_photon import (
    brems_splitting_function, pp_total_cross_section, proton_form_factor, vector_meson_mixing,
)
from na62lab.physics.particles import mass
from hepunits import millibarn

from na62lab.physics.units import GeV, hbarc


@pytest.fixture(scope="module")
def model():
    return get_model("dark-photon")


def test_electron_width_formula_and_ctau(model):
    # Gamma(A' -> ee) = alpha eps^2 m / 3 for m >> m_e (arXiv:1801.04847 eq. (2.13))
    m, eps = 10.0, 1e-6
    width = model.widths(m, eps)["ee"]
    assert width == pytest.approx(ALPHA_EM * eps**2 * m / 3, rel=1e-5)
    # below the muon threshold ee is the only channel: ctau = hbar c / Gamma
    assert model.ctau(m, eps) == pytest.approx(hbarc / width, rel=1e-12)
    assert model.ctau(m, eps) / 1000 == pytest.approx(8.11, rel=2e-3)   # metres


def test_branching_ratios_sum_to_one_on_a_grid(model):
    m = np.linspace(1.5, 3000.0, 700)
    total = sum(model.branching_ratios(m).values())
    np.testing.assert_allclose(total, 1.0, rtol=1e-12)


def test_widths_vanish_at_thresholds(model):
    m_mu, m_pi = mass("mu-"), mass("pi+")
    w = model.reduced_widths(np.array([2 * m_mu, 2 * m_pi]))
    assert w["mumu"][0] == 0.0 and w["pipi"][1] == 0.0
    just_above = model.reduced_widths(2 * m_mu * (1 + 1e-6))["mumu"]
    assert 0 < just_above < 1e-2 * model.reduced_widths(2 * m_mu * 1.5)["mumu"]


def test_grid_broadcasting_and_coupling_scaling(model):
    m = np.linspace(10, 2000, 50)[:, None]
    eps = np.logspace(-8, -3, 20)[None, :]
    total = model.total_width(m, eps)
    assert total.shape == (50, 20)
    np.testing.assert_allclose(total / eps**2, np.broadcast_to(total[:, :1] / eps[:, :1] ** 2, total.shape), rtol=1e-10)


def test_equal_ee_and_mumu_well_above_threshold(model):
    br = model.branching_ratios(3000.0)
    assert br["ee"] == pytest.approx(br["mumu"], rel=2e-3)


@pytest.mark.parametrize("m_gev,r_ref,tol", [(0.30, 1.705e-2, 0.07), (0.40, 0.2009, 0.07), (0.50, 0.5047, 0.05)])
def test_pion_pair_R_ratio_against_darkcast(m_gev, r_ref, tol):
    # DarkCast (arXiv:1801.04847) tabulated R_mu^{pi+pi-} (data-driven fit, rho contribution); the
    # Czyz-Grzelinska-Kuehn fit (arXiv:1002.0279) used by vector_hadrons gives 1.048, 0.945, 0.971 of it
    # (3-6 % below the digitised DarkCast curve from 0.35 to 0.95 GeV)
    assert vector_hadrons.R_pipi((m_gev * GeV) ** 2) == pytest.approx(r_ref, rel=tol)


def test_phi_peak_KK_matches_measured_branching_ratios():
    # On a narrow resonance R_F = 9 B(V->ee) B(V->F) / alpha^2 (PDG 2024 phi: B_ee = 2.979e-4,
    # B(K+K-) + B(KS KL) = 0.491 + 0.339) = 41.8; the refitted kaon form factors (arXiv:1911.11147, phi at
    # 1019.42 MeV, 4.25 MeV wide) give 39.8 there (peak 40.0 at 1019.3 MeV).
    expected = 9 * 2.979e-4 * (0.491 + 0.339) / ALPHA_EM**2
    assert vector_hadrons.R_KK(mass("phi") ** 2) == pytest.approx(expected, rel=0.05)


def test_hadronic_R_approaches_perturbative_value():
    r = sum(vector_hadrons.R_channels((2.5 * GeV) ** 2).values())
    assert r == pytest.approx(2 * (1 + vector_hadrons.ALPHA_S_2GEV / np.pi), rel=1e-6)


def test_pi0_production_formula(model):
    # BR(pi0 -> gamma A') = 2 eps^2 (1 - m^2/m_pi0^2)^3 BR(pi0 -> gamma gamma) (arXiv:0906.5614)
    m, eps = 50.0, 1e-3
    expected = 2 * eps**2 * (1 - m**2 / mass("pi0") ** 2) ** 3 * 0.98823
    assert model.production_branching_ratios(m, eps)["pi0->gammaA"] == pytest.approx(expected, rel=1e-12)
    # -> 2 eps^2 BR(gamma gamma) as m -> 0, and 0 above the pi0 mass
    assert model.reduced_production(1e-6)["pi0->gammaA"] == pytest.approx(2 * 0.98823, rel=1e-9)
    assert model.reduced_production(mass("pi0") + 1)["pi0->gammaA"] == 0.0


def test_production_threshold_check_names_the_limit(model):
    with pytest.raises(InputError, match="pi0->gammaA"):
        model.check_production_mass(200.0, "pi0->gammaA")
    with pytest.raises(InputError):
        model.check_production_mass(2000.0)


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_invalid_masses_raise_input_error(model, bad):
    with pytest.raises(InputError):
        model.widths(bad, 1e-6)
    with pytest.raises(InputError):
        model.production_branching_ratios(np.array([10.0, bad]), 1e-6)


def test_invisible_bc2_dominates_and_needs_coupling():
    model = get_model("dark-photon-invisible", alpha_d=0.1, mchi_ratio=1 / 3)
    br = model.branching_ratios(300.0, 1e-3)
    # Gamma_inv / Gamma_ee ~ alpha_D (1 + 2/9) sqrt(5/9) / (alpha eps^2) ~ 1.25e7
    assert br["invisible"] > 0.9999
    assert sum(br.values()) == pytest.approx(1.0, rel=1e-12)
    with pytest.raises(InputError):
        model.branching_ratios(300.0)


def test_proton_form_factor_normalised_and_peaks_near_rho():
    # sum of f_V = 0.999; the widths shift F(0) by ~1 %
    assert proton_form_factor(0.0) == pytest.approx(1.0, abs=0.02)
    m = np.linspace(100, 1500, 281)
    f2 = np.abs(proton_form_factor(m**2)) ** 2
    assert 700 < m[np.argmax(f2)] < 850 and f2.max() > 10


def test_proton_form_factor_residues_solve_the_evmd_sum_rules_at_their_poles():
    """The residues of Faessler et al. (arXiv:0910.5589) solve, in each isospin family, sum f_V = 1/2
    and sum f_V m_V^2 = 0 (F_1 ~ 1/q^4) with poles at 770, 1250, 1450 MeV (to 1e-12 relative here);
    at the PDG rho(1450), rho(1700) (omega(1420), omega(1650)) masses the second sum is -0.15
    (-0.10) GeV^2, so those are not the poles the residues belong to."""
    from na62lab.fips.dark_photon import FAESSLER_GROUND_STATES, FAESSLER_RESIDUES, faessler_poles

    for family in ("rho", "omega"):
        rows = [(f, mv) for name, f, mv, _ in FAESSLER_RESIDUES if name.startswith(family)]
        assert [mv for _, mv in rows] == [770.0, 1250.0, 1450.0]
        assert sum(f for f, _ in rows) == pytest.approx(0.5, abs=1e-12)
        assert abs(sum(f * mv**2 for f, mv in rows)) < 1e-12 * 770.0**2
    pdg = {"rho": ("rho(770)0", "rho(1450)0", "rho(1700)0"), "omega": ("omega(782)", "omega(1420)", "omega(1650)")}
    for family, states in pdg.items():
        fs = [f for name, f, _, _ in FAESSLER_RESIDUES if name.startswith(family)]
        assert sum(f * mass(st) ** 2 for f, st in zip(fs, states)) / GeV**2 < -0.09
    # the model's poles: ground states at their PDG values, excitations at the fit's poles
    poles = {name: (mv, gv) for name, _, mv, gv in faessler_poles()}
    assert poles["omega"] == (mass(FAESSLER_GROUND_STATES["omega"]), pytest.approx(8.68, abs=0.1))
    assert poles["rho'"] == (1250.0, 300.0) and poles["omega''"] == (1450.0, 500.0)


def test_proton_form_factor_values_between_1_and_1_7_gev():
    """|F_1|^2 with the poles of the fit falls past the excitations (1250/1450 MeV poles, destructive
    isovector-isoscalar interference): 13.9, 9.4, 1.83, 1.0, 0.41, 0.20 at 1.0, 1.2, 1.4, 1.45, 1.53,
    1.6 GeV; the same residues at the PDG excitations gave 12.7, 8.7, 12.6, 10.6, 6.1, 4.1."""
    m = np.array([1.0, 1.2, 1.4, 1.45, 1.53, 1.6]) * GeV
    f2 = np.abs(proton_form_factor(m**2)) ** 2
    np.testing.assert_allclose(f2, [13.86, 9.40, 1.83, 1.005, 0.405, 0.198], rtol=0.01)


def test_pp_cross_section_at_sps():
    # sqrt(s) = 27.4 GeV: measured sigma_tot(pp) ~ 38.9 mb (PDG compilation); the fit is good to ~3 %
    s = 2 * mass("p") * 400 * GeV
    assert pp_total_cross_section(s) / millibarn == pytest.approx(38.9, rel=0.03)


def test_splitting_function_positive_and_falls_with_pt():
    z = np.array([0.3, 0.5, 0.8])
    w_low = brems_splitting_function(z, 0.0, 500.0)
    w_high = brems_splitting_function(z, (1 * GeV) ** 2, 500.0)
    assert np.all(w_low > 0) and np.all(w_high < w_low)


def test_vector_meson_mixing_peaks_at_the_meson_mass():
    assert vector_meson_mixing(mass("omega"), "omega") > 1e2 * vector_meson_mixing(500.0, "omega")
    with pytest.raises(InputError):
        vector_meson_mixing(500.0, "K+")


def test_omega_peak_3pi_matches_measured_branching_ratios():
    # narrow resonance: R = 9 B(omega->ee) B(omega->3pi) / alpha^2 (PDG 2024: 7.38e-5, 0.892)
    expected = 9 * 7.38e-5 * 0.892 / ALPHA_EM**2
    assert vector_hadrons.R_3pi(mass("omega") ** 2) == pytest.approx(expected, rel=0.05)


# DarkCast (Ilten et al., arXiv:1801.04847) R_F at 0.8, 1.0, 1.2, 1.45, 1.6, 1.8 GeV, from its tables as
# shipped in the public ALPINIST code (jjerhot/ALPINIST, widths/vector/R_*.dat, BSD-3; linear interpolation):
# pi+pi-, pi+pi-pi0, 2pi+2pi- + pi+pi-2pi0, K Kbar (all charges), K Kbar pi (R_2KPi0.dat: all charge states,
# its 8.7 nb peak at 1.69 GeV is the K_S K pi x 2 + K+ K- pi0 + K_S K_L pi0 sum, not K+ K- pi0 alone), all
# hadrons.  None where the table has no entry (below threshold; the 4 pi tables start at 0.82 GeV).
DARKCAST_MASSES_GEV = (0.8, 1.0, 1.2, 1.45, 1.6, 1.8)
DARKCAST_R = {"pipi": (5.589, 0.6966, 0.2283, 0.02691, 0.003718, 0.05142),
              "3pi": (0.8614, 0.3584, 0.08888, 0.08781, 0.1715, 0.04443),
              "4pi": (None, 0.07251, 0.465, 1.502, 1.556, 0.9871),
              "KK": (None, 0.1169, 0.2441, 0.1938, 0.1816, 0.0137),
              "KKpi": (None, None, None, 0.04193, 0.2127, 0.1046),
              "total": (6.745, 1.242, 0.9199, 1.586, 2.385, 2.358)}


def _ratios_to_darkcast():
    m = np.array(DARKCAST_MASSES_GEV) * GeV
    r = vector_hadrons.R_channels(m**2)
    # 3 pi: the CGKR pi+ pi- pi0 alone (the 3pi channel also carries omega(-> pi+ pi-) pi0, DarkCast's omega pi)
    ours = {"pipi": r["pipi"], "3pi": vector_hadrons.R_3pi(m**2), "4pi": r["4pi"], "KK": r["KK"],
            "KKpi": r["KKpi"], "total": sum(r.values())}
    return {k: np.array([o / d if d is not None else np.nan for o, d in zip(ours[k], ref)])
            for k, ref in DARKCAST_R.items()}


def test_two_and_three_pion_widths_follow_darkcast_from_fitted_form_factors():
    """pi+pi- (Czyz-Grzelinska-Kuehn fit, arXiv:1002.0279) and pi+pi-pi0 (Czyz et al., hep-ph/0512180)
    over DarkCast at 0.8, 1.0, 1.2, 1.45, 1.6, 1.8 GeV: pi+pi- 1.01, 0.94, 0.94, 0.94, 1.30, 1.05 (1.6 GeV:
    the rho(1450)-rho(1700) dip, R = 0.005 vs 0.004); 3 pi 0.98, 0.87, 0.87, 1.02, 0.84, 0.96.  Before
    (ground-state VMD): pi+pi- 1.22, 1.26, 1.6, 4.5, 6.1, 0.10; 3 pi 0.85, 0.42, 0.005, 0.008, 0.004, 0.012."""
    ratio = _ratios_to_darkcast()
    np.testing.assert_allclose(ratio["pipi"], [1.008, 0.936, 0.939, 0.936, 1.297, 1.050], atol=0.03)
    np.testing.assert_allclose(ratio["3pi"], [0.977, 0.865, 0.874, 1.023, 0.840, 0.961], atol=0.03)
    assert np.all(np.abs(ratio["pipi"][[0, 1, 2, 3, 5]] - 1) < 0.1) and np.all(np.abs(ratio["3pi"] - 1) < 0.2)


def test_hadronic_R_continuous_and_remainder_non_negative():
    """R_total has no step at the seams of the tabulated form-factor pieces (3 pi grid at 2 and 5 GeV,
    pion tail table at 4 and 10 GeV; the remainder switches on at 1.6 GeV) and "other" is >= 0 on a
    1 MeV grid from threshold to 3 GeV."""
    m = np.arange(280.0, 3000.0, 1.0)
    r = vector_hadrons.R_channels(m**2)
    assert min(float(v.min()) for v in r.values()) >= 0.0
    for seam in (1600.0, 2000.0, 4000.0, 5000.0, 10000.0):
        lo, hi = (sum(vector_hadrons.R_channels(np.array([x]) ** 2).values()) for x in (seam - 0.01, seam + 0.01))
        assert float(hi[0]) == pytest.approx(float(lo[0]), rel=1e-4), seam


def test_hadronic_widths_above_1_gev_against_darkcast_known_deviations():
    """Pins the channels still away from DarkCast's data-driven R (not a validation: the deviations are
    listed so that a change is seen).  Ours / DarkCast at 1.0, 1.2, 1.45, 1.6, 1.8 GeV:
    K Kbar 0.63, 0.57, 0.51, 0.61, 0.60 (was 0.72, 0.38, 0.18, 0.12, 0.90 with ground-state VMD): the refitted
    kaon form factors (arXiv:1911.11147) give sigma(K+K-) = 7.4, 3.9, 3.1 nb at 1.2, 1.45, 1.6 GeV, the
    digitised DarkCast K Kbar curve is 1.6-2x above them (not resolved here; a probe with the Fit-2 couplings
    of arXiv:1002.0279 as commented in Herwig 7, resonance masses partly from its later refit, gives 0.59, 0.60,
    0.42, 0.31 at 1.0-1.6 GeV, so both data fits sit below that curve); 4 pi (Czyz-Kuehn-Wapienik current,
    arXiv:0804.0359, refit of arXiv:1911.11147, with the SND omega pi0 share; fips.vector_four_pion) 1.26,
    0.96, 1.05, 1.05, 0.96 (the former rho(1450)/rho(1700) shapes read off BaBar plots: 2.0, 0.88, 0.85, 0.74,
    0.72; at 1.0 GeV R is 0.09 vs 0.07, mostly the SND omega pi0, whose share in the CKW current itself
    gives 0.073); K Kbar pi (K K* fit of arXiv:1911.11147) 0.88, 0.89, 1.01 at 1.45, 1.6, 1.8 GeV (the
    former phi(1680) Breit-Wigner: 0.30, 0.52, 1.03); total at 0.8-1.8 GeV 0.97, 0.92, 0.99, 1.24, 0.94,
    0.74 (with the former 4 pi shapes 0.98, 0.96, 0.95, 1.05, 0.74, 0.69; before the omega pi0, eta pi+ pi-,
    phi eta, omega eta and K K pi fits 0.98, 0.95, 0.91, 0.95, 0.64, 0.66; with ground-state VMD 1.13, 1.01,
    0.95, 0.91, 0.55, 0.64).  At 1.45 GeV DarkCast's total (1.59) is below the sum of its own exclusive
    tables (1.85, 4 pi 1.50 of it); against that sum ours is 1.06.  Still missing at 1.8 GeV: 5-6 pi,
    omega pi pi, K K pi pi below the perturbative switch-on at 1.6-2.0 GeV (DarkCast's total there, 2.39 and
    2.36, is above the perturbative 2.19)."""
    ratio = _ratios_to_darkcast()
    np.testing.assert_allclose(ratio["KK"][1:], [0.628, 0.569, 0.505, 0.610, 0.597], atol=0.03)
    np.testing.assert_allclose(ratio["4pi"][1:], [1.259, 0.957, 1.051, 1.047, 0.963], atol=0.03)
    np.testing.assert_allclose(ratio["KKpi"][3:], [0.880, 0.894, 1.007], atol=0.03)
    np.testing.assert_allclose(ratio["total"], [0.970, 0.915, 0.985, 1.236, 0.942, 0.737], atol=0.03)


def test_alpinist_form_factor_is_the_modulus_sum_of_its_isospin_parts():
    """NA62's apparent prescription (public ALPINIST code, jjerhot/ALPINIST commit 4cfc064,
    ALP_production/modes/bremsstrahlung.py form_factor_vector with general/exotic_constants.py):
    |F| = |F_(I=1)| + |F_(I=0)|, residues 0.616, 0.223, -0.339 / 1.011, -0.881, 0.369 at
    rho(770), rho(1450), rho(1700) / omega(782), omega(1420), omega(1650) as that file fixes them.
    F(0) = 0.500 + 0.499 = 0.999 (the sums of the three-digit residues); |F|^2 = 4.12, 13.8, 10.8,
    23.5, 20.5 at 0.5, 1.0, 1.2, 1.45, 1.53 GeV (the coherent F_1 of Faessler et al.: 3.90, 13.9,
    9.40, 1.00, 0.41)."""
    from na62lab.fips.dark_photon import alpinist_form_factor, alpinist_isospin_form_factors

    assert alpinist_form_factor(0.0) == pytest.approx(0.999, abs=1e-12)
    m = np.array([0.5, 1.0, 1.2, 1.45, 1.53]) * GeV
    f2 = alpinist_form_factor(m**2) ** 2
    np.testing.assert_allclose(f2, [4.117, 13.77, 10.79, 23.52, 20.51], rtol=2e-3)
    # the file's own numbers in GeV, its formula written out (width term: A' mass x Gamma_V), at 1.53 GeV
    x = 1.53
    iso = [sum(f * mv**2 / (mv**2 - x**2 - 1j * x * g) for f, mv, g in fam) for fam in (
        zip([0.616, 0.223, -0.339], [0.77526, 1.465, 1.72], [0.1474, 0.4, 0.25]),
        zip([1.011, -0.881, 0.369], [0.78266, 1.41, 1.67], [0.00868, 0.29, 0.315]))]
    assert f2[-1] == pytest.approx((abs(iso[0]) + abs(iso[1])) ** 2, rel=1e-4)
    # modulus sum: never below the coherent sum of the same parts, 3-8x above it at 1.45-1.53 GeV
    q2 = np.linspace(0.0, (2.0 * GeV) ** 2, 401)
    f_v, f_s = alpinist_isospin_form_factors(q2)
    np.testing.assert_allclose(alpinist_form_factor(q2), np.abs(f_v) + np.abs(f_s), rtol=1e-14)
    assert np.all(alpinist_form_factor(q2) >= np.abs(f_v + f_s) * (1 - 1e-12))
    f_v, f_s = alpinist_isospin_form_factors(m[-2:] ** 2)
    assert np.all(f2[-2:] > 2.5 * np.abs(f_v + f_s) ** 2)


def test_brems_form_factor_choices():
    """production.brems_form_factor: faessler (default) |F_1|^2, none 1, alpinist_isospin_modulus;
    true/false are the former switch; the card's choices are the formula's."""
    from typing import get_args

    from na62lab.config.dump import BremsFormFactor
    from na62lab.fips.dark_photon import BREMS_FORM_FACTORS, alpinist_form_factor, brems_form_factor_squared

    assert get_args(BremsFormFactor) == BREMS_FORM_FACTORS
    q2 = (np.array([0.3, 1.0, 1.5]) * GeV) ** 2
    faessler = np.abs(proton_form_factor(q2)) ** 2
    np.testing.assert_array_equal(brems_form_factor_squared(q2), faessler)
    np.testing.assert_array_equal(brems_form_factor_squared(q2, True), faessler)
    np.testing.assert_array_equal(brems_form_factor_squared(q2, "none"), np.ones(3))
    np.testing.assert_array_equal(brems_form_factor_squared(q2, False), np.ones(3))
    np.testing.assert_array_equal(brems_form_factor_squared(q2, "alpinist_isospin_modulus"),
                                  alpinist_form_factor(q2) ** 2)
    with pytest.raises(InputError, match="brems_form_factor.*alpinist_isospin_modulus"):
        brems_form_factor_squared(q2, "alpinist")
