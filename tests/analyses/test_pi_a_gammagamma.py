"""K+ -> pi+ a (a -> gamma gamma): normalisation, resolution, scan."""

import numpy as np
import pytest

from na62lab.analyses import pi_a_gammagamma as search


@pytest.fixture(scope="module")
def card():
    return search.load()


@pytest.fixture(scope="module")
def result(card):
    return search.run(card)


def test_card_flux_is_the_derived_value(card):
    # PLB 850 (2024) 138513: 3984 candidates, 291 background for z > 0.2, BR = 9.61e-7 -> N_K A (card comment)
    assert card.normalisation.n_parent == pytest.approx(search.effective_flux(3984, 291, 9.61e-7, 0.2), rel=1e-3)


def test_scan_is_207_to_350_in_half_mev(result):
    assert result.masses[0] == 207.0 and result.masses[-1] == 350.0
    assert np.allclose(np.diff(result.masses), 0.5) and result.masses.size == 287


def test_resolution_falls_from_2_to_0p2_mev(result):
    # issue 6 / NA62: about 2.0 MeV at 207 MeV down to 0.2 MeV near the endpoint (tolerance 25 %)
    assert result.sigma[0] == pytest.approx(2.0, rel=0.25)
    assert result.sigma[-1] == pytest.approx(0.2, rel=0.25)


def test_limits_magnitude_and_bands(result):
    # background-limited: O(1e-9) - O(1e-8) for BR(K+ -> pi+ a) BR(a -> gamma gamma) with 4.2e9 K+ x A
    assert np.all((result.observed_limit > 3e-10) & (result.observed_limit < 3e-8))
    e = result.expected
    assert np.all(e["minus2"] <= e["minus1"]) and np.all(e["minus1"] <= e["median"])
    assert np.all(e["median"] <= e["plus1"]) and np.all(e["plus1"] <= e["plus2"])


def test_best_sensitivity_near_the_endpoint(result):
    # the resolution improves tenfold towards m_K - m_pi, so the window background falls there
    lo = result.expected["median"][result.masses < 240].mean()
    hi = result.expected["median"][result.masses > 345].mean()
    assert hi < lo


def test_significance_is_reported(result):
    assert 0.0 <= result.scan.global_significance <= result.scan.max_local_significance + 1e-9
