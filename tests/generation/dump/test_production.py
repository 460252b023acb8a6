"""FIP production samplers: meson decays, bremsstrahlung, Primakoff, B decays, mode registry."""

import numpy as np
import pytest

from na62lab.config.dump import DumpCard, DumpProduction
from na62lab.fips import get_model
from na62lab.fips.dark_photon import proton_form_factor
from na62lab.generation.dump import bremsstrahlung, primakoff
from na62lab.generation.dump.sources import parse_channel, production_modes
from na62lab.generation.dump.tables import load_table
from na62lab.physics.kinematics import invariant_mass2
from na62lab.physics.units import GeV

CARD = DumpCard()


def _modes(model):
    return {m.name: m for m in production_modes(get_model(model), CARD, load_table()).modes}


def test_meson_decay_rate_is_multiplicity_times_branching_ratio():
    model, table = get_model("dark-photon"), load_table()
    mode = _modes("dark-photon")["eta->gammaA"]
    m = np.array([100.0, 300.0])
    expected = table.multiplicity("eta") * model.reduced_production(m)["eta->gammaA"]
    np.testing.assert_allclose(mode.rate(m), expected, rtol=1e-12)


def test_meson_decay_sample_kinematics():
    sample = _modes("dark-photon")["omega->pi0A"].sampler(300.0, 2000, np.random.default_rng(1))
    np.testing.assert_allclose(np.sqrt(invariant_mass2(sample.p4)), 300.0, rtol=1e-6)
    assert sample.weight.sum() == pytest.approx(1.0) and sample.polarised
    z0 = CARD.geometry.tax_front_m * 1000
    assert np.all(sample.origin[:, 2] >= z0) and sample.origin[:, 2].mean() == pytest.approx(z0 + 153.2, rel=0.1)


def test_bremsstrahlung_quadrature_matches_plain_monte_carlo():
    rng = np.random.default_rng(5)
    n, mass = 400_000, 200.0
    z = rng.uniform(0.1, 0.9, n)
    pt2 = rng.uniform(0.0, GeV**2, n)
    mc = bremsstrahlung.emission_density(z, pt2, mass, CARD).mean() * 0.8 * GeV**2
    assert float(bremsstrahlung.production_rate(mass, CARD)[0]) == pytest.approx(mc, rel=0.02)


def test_bremsstrahlung_form_factor_switch():
    off = DumpCard(production=DumpProduction(brems_form_factor=False))
    m = np.array([300.0, 700.0])
    ratio = bremsstrahlung.production_rate(m, CARD) / bremsstrahlung.production_rate(m, off)
    np.testing.assert_allclose(ratio, np.abs(proton_form_factor(m**2)) ** 2, rtol=1e-10)


def test_bremsstrahlung_sample_is_forward_and_in_range():
    s = bremsstrahlung.sample(400.0, 5000, CARD, np.random.default_rng(2))
    z = s.p4[:, 3] / bremsstrahlung.beam_momentum(CARD)
    assert z.min() >= 0.1 and z.max() <= 0.9
    assert np.hypot(s.p4[:, 1], s.p4[:, 2]).max() <= 1.0 * GeV * (1 + 1e-12)


def test_primakoff_effective_coupling_of_the_photon_alp():
    # Gamma = g^2 m^3 / (64 pi): coupling 1 GeV^-1 -> g^2 = 1e-6 MeV^-2 at every mass
    model = get_model("alp-photon")
    np.testing.assert_allclose(primakoff.effective_gagg2(model, np.array([50.0, 500.0])), 1e-6, rtol=1e-9)


def test_primakoff_rate_decreases_with_mass_and_sample_is_collinear():
    mode = _modes("alp-photon")["primakoff"]
    r = mode.rate(np.array([50.0, 200.0, 800.0]))
    assert np.all(r > 0) and np.all(np.diff(r) < 0)
    s = mode.sampler(200.0, 3000, np.random.default_rng(4))
    assert np.all(s.p4[:, 0] >= CARD.production.photon_e_min_gev * GeV)


def test_bc4_modes_are_b_to_xs_and_kaon_decays_in_flight_without_bremsstrahlung():
    """PBC BC4 (arXiv:1901.09966): B -> X_s S and K -> pi S; scalar bremsstrahlung only on request."""
    sources = production_modes(get_model("dark-scalar"), CARD, load_table())
    names = [m.name for m in sources.modes]
    assert names == ["K+->pi+S", "KL->pi0S", "KS->pi0S", "B->XsS"]     # K_S -> pi0 S (CP-violating) since t31
    assert "contained in the inclusive" in sources.skipped["B->KS"]
    assert "not in the PBC BC4" in sources.skipped["brems"]
    s = sources.modes[3].sampler(1000.0, 1000, np.random.default_rng(0))
    assert s.momentum.mean() > 20 * GeV          # B mesons are hard (mean ~90 GeV/c)
    on = DumpCard(production=DumpProduction(scalar_brems=True))
    assert [m.name for m in production_modes(get_model("dark-scalar"), on, load_table()).modes][-1] == "brems"


def test_kaon_decays_in_flight_compete_with_absorption():
    """rate = N_K x <lambda / (lambda + p c tau / m)> x BR; the mean is ~1e-3 for SPS kaons."""
    from na62lab.generation.dump.mesons import survival_weight
    from na62lab.physics.particles import ctau, mass

    model, table = get_model("dark-scalar"), load_table()
    mode = _modes("dark-scalar")["K+->pi+S"]
    p, _ = table.centres()
    dens = table.density["K+"].sum(axis=1)
    lam = CARD.production.meson_absorption_length_m * 1000
    mean_p = float((dens * survival_weight(np.maximum(p, 1.001 * mass("K+")), mass("K+"), ctau("K+"),
                                           lam)).sum() / dens.sum())
    assert 3e-4 < mean_p < 1e-2
    m = np.array([100.0, 300.0])
    np.testing.assert_allclose(mode.rate(m), table.multiplicity("K+") * mean_p
                               * model.reduced_production(m)["K+->pi+S"], rtol=1e-12)
    s = mode.sampler(200.0, 4000, np.random.default_rng(2))
    assert s.weight.sum() == pytest.approx(1.0)
    slow, fast = s.momentum < np.median(s.momentum), s.momentum >= np.median(s.momentum)
    assert s.weight[slow].mean() > s.weight[fast].mean()      # slow kaons decay before absorption more often


def test_parse_channel():
    assert parse_channel("eta'->gammaA") == ("eta'", ("gamma",))
    assert parse_channel("B->KS") == ("B", ("K",))
    assert parse_channel("K+->pi+S") == ("K+", ("pi+",))
    assert parse_channel("D0->K-mu+N") == ("D0", ("K-", "mu+"))
    assert parse_channel("Bs->SS") is None and parse_channel("B->KSS") is None
