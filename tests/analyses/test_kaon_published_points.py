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
    # 0.81 at 280, 1.04 at 320) and the acceptance of both muons (kaon_sim: the muon-pair track acceptance
    # falls from 0.61 at 220 MeV to 0.43 at 300, the pair following the X near threshold; the SM pi+ mu+ mu-
    # background, 27679 *selected* events, weighted by the same acceptance): 1.50 / 1.56 at 220 / 230 MeV,
    # 0.64-1.20 above (geometric mean 1.07).  Before the muon acceptance: 1.84, 1.76, 1.14, 1.19, 0.98, 1.14,
    # 0.92, 0.59, 1.04, 0.79, 0.92 (muon pair alone 1.46 / 1.52 at 220 / 230; background weighting alone
    # 1.70 / 1.68); before the m_mumu resolution (pi+ missing mass, 8 x too wide at 220 MeV): 4.99, 3.95,
    # 2.16, 2.04, 1.52, 1.57, 1.14, 0.67, 1.08, 0.77, 0.77.
    # The factor ~1.5 left at 220-230 MeV is in the published curve, not one point: against all ALPaca grid
    # points, median ours/published is 1.78 at 215-225 MeV (all 17 points 1.16-3.04), 1.59 at 225-235, 1.41 at
    # 235-245, 0.76-1.19 in each 10 MeV band above, while our own pseudo-data observed/expected band medians
    # stay within 0.78-1.34.  A resolution cause would need sigma(220 MeV) ~ 0.1 MeV (0.28 / 1.5-1.8^2), below the
    # ~0.25 MeV that the published per-track resolutions give (sigma ~ sqrt(m^2 - 4 m_mu^2)/m, test_daughter_mass); the
    # window (+-1.5 sigma, 86.6 % of the signal, 219.6-220.4 MeV) is far from the 211.3 MeV threshold.  Not
    # understood: NA62's expected curve (HEPData 10.17182/hepdata.160245) would tell a data deficit from a
    # sensitivity difference.
    "pi-x-mumu": {220.0: 1.50, 230.0: 1.56, 240.0: 1.06, 250.0: 1.17, 260.0: 1.00, 270.0: 1.20, 280.0: 0.99,
                  290.0: 0.64, 300.0: 1.10, 310.0: 0.85, 320.0: 0.98},
    # 0.47-2.0, geometric mean 0.95: the spread follows the published observed curve's fluctuations
    # (2.3e-9 at 240 MeV, 1.0e-8 at 280 and 310 MeV) against our smooth expected limit.  The acceptance requires
    # the pi+ and both photons in the LKr (kaon_sim, resolution.x_photons: photon-pair fraction 0.49 at 220 MeV,
    # 0.42 at 260, 0.40 at 300, 0.38 at 340; A(m) = 0.250, 0.261, 0.257, 0.193 there, flat within 5 % over
    # 200-320 MeV where the pi+ one alone rose from 0.48 to 0.65).  The SM pi+ gamma gamma background counts the
    # 3984 *selected* candidates of PLB 850 (2024) 138513, so it is shaped dGamma/dm x that A(m) (its photons are
    # isotropic in the gamma gamma frame at O(p^4), as the a's) and extrapolated from z > 0.2 to 200-354 MeV with
    # it: 3823 -> 3855 events, N_K x A 3.978e9 -> 4.012e9; signal per BR at 220 MeV x 1.21, at 300 MeV x 1.00;
    # SM window background x 1.20 at 220 MeV, 1.00 at 300, 0.93 at 340.  Before the photons (pi+ acceptance
    # only): 0.87, 0.94, 2.10, 1.11, 1.33, 0.96, 0.66, 1.17, 1.20, 0.49, 0.66, 0.99 (geometric mean 0.973,
    # observed 0.929; now 0.952 and 0.905); before the SM background carried the acceptance (bare dGamma/dm):
    # 0.94, 0.97, 2.12, 1.13, 1.32, 0.95, 0.64, 1.14, 1.18, 0.47, 0.64, 1.05 (geometric mean 0.975).
    "pi-a-gammagamma": {220.0: 0.79, 230.0: 0.88, 240.0: 2.00, 250.0: 1.06, 260.0: 1.27, 270.0: 0.98,
                        280.0: 0.67, 290.0: 1.21, 300.0: 1.20, 310.0: 0.47, 320.0: 0.66, 340.0: 0.98},
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
    of 1 (measured 1.07, before and after the muon-pair acceptance; it was 1.52 with the pi+ missing-mass
    resolution)."""
    _, s = kaon_searches.run_search("pi-x-mumu")
    ratios = [r.expected / r.published for r in s.comparison]
    assert 0.8 < np.exp(np.mean(np.log(ratios))) < 1.25


def test_gammagamma_agrees_on_average():
    """B(K+ -> pi+ a) B(a -> gamma gamma): geometric means of ours/published within 25 % of 1 (measured 0.905
    observed, 0.952 expected with both photons in the LKr; 0.929 / 0.973 with the pi+ acceptance alone; 0.91 / 0.97
    before the SM background carried the acceptance)."""
    _, s = kaon_searches.run_search("pi-a-gammagamma")
    for ratios in ([r.ratio_observed for r in s.comparison], [r.expected / r.published for r in s.comparison]):
        assert 0.75 < np.exp(np.mean(np.log(ratios))) < 1.25
