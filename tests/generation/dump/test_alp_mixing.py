"""ALP production through pi0/eta/eta' mixing (ALPINIST arXiv:2201.05170 sec. 3)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from na62lab.config.dump import DumpCard
from na62lab.fips import get_model
from na62lab.generation.dump.sources import ALP_MIXING_MESONS, alp_mixing_rate, production_modes
from na62lab.generation.dump.tables import load_table
from na62lab.physics.kinematics import invariant_mass2
from na62lab.physics.particles import mass as pdg_mass

CARD = DumpCard()


def _modes(model):
    return {m.name: m for m in production_modes(get_model(model), CARD, load_table()).modes}


@pytest.mark.parametrize("model", ["alp-gluon", "alp-fermion"])
def test_alp_models_get_the_three_mixing_modes(model):
    modes = _modes(model)
    assert {f"mixing:{p}" for p in ALP_MIXING_MESONS} <= set(modes)
    assert "mixing:pi0" not in _modes("alp-photon")          # no quark/gluon coupling, no mixing


def test_mixing_rate_is_mesons_per_pot_times_angle_squared():
    """Away from the poles the rate is exactly N_P theta_aP^2 (width regulator -> 1)."""
    model, table = get_model("alp-gluon"), load_table()
    m = np.array([60.0, 300.0, 700.0, 1200.0])
    for meson in ALP_MIXING_MESONS:
        expected = table.per_pot(meson, CARD.production) * model.mixing_angles(m)[meson] ** 2
        np.testing.assert_allclose(_modes("alp-gluon")[f"mixing:{meson}"].rate(m), expected, rtol=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(ALP_MIXING_MESONS), st.floats(-1e-6, 1e-6))
def test_rate_is_finite_on_and_near_every_pole(meson, shift):
    model = get_model("alp-gluon")
    poles = np.array([pdg_mass(p) for p in ALP_MIXING_MESONS]) * (1 + shift)
    rate = alp_mixing_rate(model, meson, poles, 1.0)
    assert np.all(np.isfinite(rate)) and np.all(rate >= 0)


def test_own_pole_is_the_maximum_of_the_regularised_rate():
    model = get_model("alp-gluon")
    mp = pdg_mass("eta")
    m = mp * np.array([0.99, 0.999, 1.0, 1.001, 1.01])
    rate = alp_mixing_rate(model, "eta", m, 1.0)
    assert np.argmax(rate) == 2 and rate[2] > 1e3 * rate[0]


def test_gluon_alp_production_is_dominated_by_mixing_below_1_gev():
    """Jerhot et al. (arXiv:2201.05170): for BC11 at a 400 GeV dump, meson mixing
    exceeds Primakoff production by orders of magnitude below ~1 GeV."""
    modes = _modes("alp-gluon")
    m = np.array([80.0, 300.0, 700.0])
    mixing = sum(modes[f"mixing:{p}"].rate(m) for p in ALP_MIXING_MESONS)
    assert np.all(mixing > 1e3 * modes["primakoff"].rate(m))


def test_mixing_sample_takes_the_meson_kinematics_and_the_alp_mass():
    sample = _modes("alp-gluon")["mixing:eta"].sampler(400.0, 3000, np.random.default_rng(3))
    np.testing.assert_allclose(np.sqrt(invariant_mass2(sample.p4)), 400.0, rtol=1e-6)
    assert not sample.polarised and sample.weight.sum() == pytest.approx(1.0)
    p_eta = load_table().mean_momentum("eta")
    assert np.average(sample.momentum, weights=sample.weight) == pytest.approx(p_eta, rel=0.1)   # weighted draws
