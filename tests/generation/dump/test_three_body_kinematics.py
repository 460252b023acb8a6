"""Three-body HNL production kinematics: flat phase space weighted by the matrix element (Dalitz plane)."""

import numpy as np
import pytest
from scipy.integrate import quad

from na62lab.config.dump import DumpCard
from na62lab.fips import get_model
from na62lab.fips.hnl_semileptonic import form_factors
from na62lab.generation.dump import mesons
from na62lab.generation.dump.sources import production_modes
from na62lab.generation.dump.tables import load_table
from na62lab.physics.kinematics import invariant_mass2
from na62lab.physics.particles import mass


def _textbook_mean_q2():
    """<q^2> of D0 -> K- e+ nu for m_l, m_nu -> 0: dGamma/dq^2 ~ |p_K|^3 f_+(q^2)^2 (PDG review of
    semileptonic decays; arXiv:1805.08567 App. C), an independent one-dimensional integral."""
    mp, mc = mass("D0"), mass("K-")

    def rate(q2, power):
        pc = np.sqrt((mp**2 - (mc + np.sqrt(q2)) ** 2) * (mp**2 - (mc - np.sqrt(q2)) ** 2)) / (2 * mp)
        return q2**power * pc**3 * form_factors(np.array(q2), "DK", mp, mc)[0] ** 2

    top = (mp - mc) ** 2
    return quad(rate, 0.0, top, args=(1,), limit=200)[0] / quad(rate, 0.0, top, args=(0,), limit=200)[0]


def _weighted_q2(weighted: bool, n: int = 40000):
    model = get_model("hnl-e")
    modes = {md.name: md for md in production_modes(model, DumpCard(), load_table()).modes}
    rng = np.random.default_rng(11)
    table = load_table()
    par = mesons.parent_four_momenta(table, "D0", n, rng)
    from na62lab.physics.kinematics import three_body_phase_space

    r1, r2, fip = three_body_phase_space(par, mass("K-"), mass("e-"), 0.01, rng)
    q2 = invariant_mass2(r2 + fip)
    if not weighted:
        return q2.mean()
    w = model.production_dalitz_density("D0->K-e+N", 0.01, q2, invariant_mass2(r1 + r2))
    assert "D0->K-e+N" in modes
    return np.average(q2, weights=w)


def test_weighted_dalitz_reproduces_the_textbook_q2_spectrum():
    expected = _textbook_mean_q2()
    assert _weighted_q2(True) == pytest.approx(expected, rel=0.02)       # 40k events: ~0.5 % statistics
    assert abs(_weighted_q2(False) / expected - 1) > 0.05                 # flat phase space is visibly different


def test_sampler_uses_the_density_and_keeps_weights_normalised():
    model = get_model("hnl-mu")
    modes = {md.name: md for md in production_modes(model, DumpCard(), load_table()).modes}
    sample = modes["B0->D*-mu+N"].sampler(1500.0, 3000, np.random.default_rng(3))
    assert sample.weight.sum() == pytest.approx(1.0, rel=1e-12)
    assert np.ptp(sample.weight) > 0                                     # matrix-element weights, not flat
    assert model.production_dalitz_density("D+->mu+N", 1500.0, np.ones(2), np.ones(2)) is None
