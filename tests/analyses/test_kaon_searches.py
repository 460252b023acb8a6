"""The search registry, summaries, published comparisons and PBC readings."""

import numpy as np
import pytest

from na62lab.analyses import kaon_searches
from na62lab.errors import InputError


@pytest.fixture(scope="module")
def pi_x_pbc():
    return kaon_searches.run_search("pi-x", pbc=True)[1]


def test_summary_keys():
    _, typed = kaon_searches.run_search("pi-a-gammagamma", masses_gev=[0.3])
    s = typed.to_dict()
    for key in ("masses_gev", "observed_limit", "expected_limit", "expected_band_1sigma", "expected_band_2sigma",
                "max_local_significance", "global_significance", "comparison", "exposure"):
        assert key in s
    assert np.shape(s["expected_band_1sigma"]) == (1, 2) and typed.limits.band_1sigma.shape == (1, 2)
    assert "pbc" not in s and typed.pbc_source is None and not typed.projection


def test_projection_is_labelled():
    """A projection (``exposure``) is flagged on the typed summary (its figures are labelled as a projection)."""
    _, s = kaon_searches.run_search("pi-x", masses_gev=[0.2], exposure=2.0)
    assert s.projection and s.to_dict()["exposure"] == 2.0 and s.comparison == ()


def test_unknown_search():
    with pytest.raises(InputError):
        kaon_searches.run_search("pi-z")


def test_comparison_rows(pi_x_pbc):
    rows = pi_x_pbc.comparison
    # the card's 12 converted NA62 points (0-90 and 170-250 MeV), all on our 1 MeV grid
    assert [r.mass_gev for r in rows] == [0.0, 0.01, 0.03, 0.05, 0.07, 0.09, 0.17, 0.19, 0.2, 0.21, 0.23, 0.25]
    assert all(r.ratio_observed > 0 for r in rows)
    assert pi_x_pbc.to_dict()["comparison"][0] == rows[0].to_dict()


def test_bc4_reading_is_consistent(pi_x_pbc):
    # at the lower edge of the excluded band the expected K+ -> pi+ S yield equals the limit:
    # BR(K+ -> pi+ S) = (BR/theta^2) theta^2 with the escape probability ~ 1 for long-lived S
    from na62lab.fips import get_model

    r = next(x for x in pi_x_pbc.readings if x.benchmark == "BC4")
    m = r.masses_gev * 1000.0
    i = int(np.argmin(np.abs(m - 200.0)))
    theta = r.excluded_lower[i]
    br = get_model("dark-scalar").production_branching_ratios(m[i], theta)["K+->pi+S"]
    assert br == pytest.approx(pi_x_pbc.limits.expected[i], rel=0.1)   # grid spacing of the couplings: 4 %
    assert r.source == kaon_searches.EXPECTED_SOURCE    # the planes use the expected, not pseudo-data, limits
    assert pi_x_pbc.to_dict()["pbc"]["source"] == kaon_searches.EXPECTED_SOURCE


def test_bc2_reading_present(pi_x_pbc):
    r = next(x for x in pi_x_pbc.readings if x.benchmark == "BC2")
    eps = r.excluded_lower
    assert np.nanmin(eps) < 3e-3 and np.nanmin(eps) > 1e-5


def test_pbc_from_a_recast_table_names_its_source(tmp_path):
    """With a published table the PBC readings are its recast (and say so); BC4's lower edge then follows the
    table: BR(K+ -> pi+ S)(theta_lo) = UL for a long-lived S."""
    from na62lab.fips import get_model

    p = tmp_path / "published.csv"
    p.write_text("mass_MeV,stable\n150,2e-11\n200,2e-11\n")
    _, s = kaon_searches.run_search("pi-x", masses_gev=[0.2], pbc=True, limits=p)
    r = next(x for x in s.readings if x.benchmark == "BC4")
    assert r.source == f"recast of BR-limit table {p}"
    theta = r.excluded_lower[1]
    br = get_model("dark-scalar").production_branching_ratios(200.0, theta)["K+->pi+S"]
    assert br == pytest.approx(2e-11, rel=0.02)


def test_published_points_far_from_our_masses_are_not_compared():
    """``search pi-x --mass 0.1 --mass 0.2`` printed the 50 MeV published point (3e-11) as a 0.1 GeV row with
    ratio 1.64; now only the 200 MeV point, which one of our masses hits, is compared (its value: the NA62 Run 1
    dark-scalar lower edge converted to BR and normalised, card header and tests/analyses/test_pi_x_published.py)."""
    _, s = kaon_searches.run_search("pi-x", masses_gev=[0.1, 0.2])
    assert [r.mass_gev for r in s.comparison] == [0.2]
    assert s.comparison[0].published == 1.04e-11
