"""K+ -> pi+ X, X -> mu+ mu- and K+ -> pi+ a, a -> gamma gamma (prompt): ours against NA62's published limits.

Published: NA62, arXiv:2507.17286 (JHEP 11 (2025) 143), observed 90 % CL limits on B(K+ -> pi+ X) B(X -> mu mu)
(2017-18 K+ -> pi+ mu+ mu- sample, JHEP 11 (2022) 011) and B(K+ -> pi+ a) B(a -> gamma gamma) (2017-18
K+ -> pi+ gamma gamma sample, PLB 850 (2024) 138513) for a prompt X, as tabulated by ALPaca 1.2.0
(na62_kpimumu.npy, na62_kpigammagamma.npy; read by admin/kaon_published_points.py): the cards'
``published.points``.  Ours: the shipped cards (kaon_sim resolution); the "observed" limits are pseudo-data,
so only the expected-limit ratios are pinned per mass (+-10 % of the measured value).
"""

import numpy as np
import pytest

from na62lab.analyses import kaon_searches

MEASURED = {
    # expected / published at 220-320 MeV: 4-5 x above near threshold, where the card takes the X mass
    # resolution from the pi+ missing mass (2.1 MeV at 220 MeV, card assumption) while NA62 reconstructs m_mumu;
    # 0.7-1.1 above 280 MeV.  A known DISAGREEMENT below ~260 MeV, pinned so that a change shows.
    "pi-x-mumu": {220.0: 4.99, 230.0: 3.95, 240.0: 2.16, 250.0: 2.04, 260.0: 1.52, 270.0: 1.57, 280.0: 1.14,
                  290.0: 0.67, 300.0: 1.08, 310.0: 0.77, 320.0: 0.77},
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


def test_gammagamma_agrees_on_average():
    """B(K+ -> pi+ a) B(a -> gamma gamma): geometric means of ours/published within 25 % of 1 (measured 0.91
    observed, 0.97 expected)."""
    _, s = kaon_searches.run_search("pi-a-gammagamma")
    for ratios in ([r.ratio_observed for r in s.comparison], [r.expected / r.published for r in s.comparison]):
        assert 0.75 < np.exp(np.mean(np.log(ratios))) < 1.25
