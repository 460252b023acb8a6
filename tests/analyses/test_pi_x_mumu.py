"""K+ -> pi+ X, X -> mu+ mu- (prompt and displaced)."""

import numpy as np
import pytest

from na62lab.analyses import pi_x_mumu as search


@pytest.fixture(scope="module")
def prompt():
    return search.run()


def test_flux_from_the_pi_mu_mu_sample():
    # JHEP 11 (2022) 011: 27679 candidates, BR = 9.15e-8 -> N_K A = 3.025e11
    assert search.load().normalisation.n_parent == pytest.approx(27679 / 9.15e-8, rel=1e-3)


def test_prompt_limits_magnitude(prompt):
    # about 2.8e4 background events spread over 140 MeV: limits O(1e-10)
    assert np.all((prompt.observed_limit > 5e-12) & (prompt.observed_limit < 2e-9))
    assert prompt.masses[0] == 212.0 and prompt.masses[-1] == 350.0


def test_displaced_needs_a_lifetime_to_differ(prompt):
    r_short = search.run(displaced=True, masses=[300.0], lifetime_ns=1e-4)   # decays before 2 m
    r_long = search.run(displaced=True, masses=[300.0], lifetime_ns=1.0)
    assert r_short.observed_limit[0] > r_long.observed_limit[0]
    p = search.run(masses=[300.0], lifetime_ns=1e-4)
    assert p.observed_limit[0] == pytest.approx(prompt.observed_limit[prompt.masses == 300.0][0], rel=0.01)
