"""K+ -> pi+ X, X -> mu+ mu- and K+ -> pi+ a, a -> gamma gamma (prompt): ours against NA62's published limits.

Published: NA62, arXiv:2507.17286 (JHEP 11 (2025) 143), observed 90 % CL limits on B(K+ -> pi+ X) B(X -> mu mu)
(2017-18 K+ -> pi+ mu+ mu- sample, JHEP 11 (2022) 011) and B(K+ -> pi+ a) B(a -> gamma gamma) (2017-18
K+ -> pi+ gamma gamma sample, PLB 850 (2024) 138513) for a prompt X, as tabulated by ALPaca 1.2.0
(na62_kpimumu.npy, na62_kpigammagamma.npy; read by admin/kaon_published_points.py): the cards'
``published.points``.  Ours: the shipped cards (kaon_sim resolution; X -> mu mu: of m_mumu from the two muon
tracks); the "observed" limits are pseudo-data, so only the expected-limit ratios are pinned per mass (+-10 % of
the measured value).
"""

import numpy as np
import pytest

from na62lab.analyses import kaon_searches

MEASURED = {
    # expected / published at 220-320 MeV with the X mass resolution of m_mumu, NA62's observable (both muon
    # tracks through the fast simulation's STRAW track fit, resolution.x_daughters: sigma = 0.28 MeV at 220 MeV,
    # 0.81 at 280, 1.04 at 320): 1.84 / 1.76 at 220 / 230 MeV, 0.59-1.19 above (geometric mean 1.07).  Moved
    # from 4.99, 3.95, 2.16, 2.04, 1.52, 1.57, 1.14, 0.67, 1.08, 0.77, 0.77 when the card took the pi+ missing
    # mass resolution (2.14 MeV at 220 MeV, 0.74 at 320: 8 x too wide at 220 MeV, a little narrower at 320).
    # The remaining factor ~1.8 at 220-230 MeV is not understood (the published points are observed limits;
    # the acceptance near the mu mu threshold is the pi+ one, muons not simulated).
    "pi-x-mumu": {220.0: 1.84, 230.0: 1.76, 240.0: 1.14, 250.0: 1.19, 260.0: 0.98, 270.0: 1.14, 280.0: 0.92,
                  290.0: 0.59, 300.0: 1.04, 310.0: 0.79, 320.0: 0.92},
    # 0.47-2.1, geometric mean 0.97: the spread follows the published observed curve's fluctuations
    # (2.3e-9 at 240 MeV, 1.0e-8 at 280 and 310 MeV) against our smooth expected limit.
    "pi-a-gammagamma": {220.0: 0.94, 230.0: 0.97, 240.0: 2.12, 250.0: 1.13, 260.0: 1.32, 270.0: 0.95,
                        280.0: 0.64, 290.0: 1.14, 300.0: 1.18, 310.0: 0.47, 320.0: 0.64, 340.0: 1.05},
}


@pytest.mark.parametrize("name", sorted(MEASURED))
def test_expected_over_published(name):
    _, s = kaon_searches.run_search(name)
    rows = {round(r.mass_gev * 1000.0, 1): r for r in s.comparison}
    assert sorted(rows) == sorted(MEASURED[name])
    for mass, ratio in MEASURED[name].items():
        assert rows[mass].expected / rows[mass].published == pytest.approx(ratio, rel=0.10), mass
        assert 0.2 < rows[mass].ratio_observed < 8.0, mass


def test_mumu_agrees_on_average():
    """B(K+ -> pi+ X) B(X -> mu mu) with the m_mumu resolution: geometric mean of expected/published within 25 %
    of 1 (measured 1.07; it was 1.52 with the pi+ missing-mass resolution)."""
    _, s = kaon_searches.run_search("pi-x-mumu")
    ratios = [r.expected / r.published for r in s.comparison]
    assert 0.8 < np.exp(np.mean(np.log(ratios))) < 1.25


def test_gammagamma_agrees_on_average():
    """B(K+ -> pi+ a) B(a -> gamma gamma): geometric means of ours/published within 25 % of 1 (measured 0.91
    observed, 0.97 expected)."""
    _, s = kaon_searches.run_search("pi-a-gammagamma")
    for ratios in ([r.ratio_observed for r in s.comparison], [r.expected / r.published for r in s.comparison]):
        assert 0.75 < np.exp(np.mean(np.log(ratios))) < 1.25
