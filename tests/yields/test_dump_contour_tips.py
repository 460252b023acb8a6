"""Closing rows ("tips") of the excluded islands: the mass where max over g of N(m, g) equals the limit.

Analytic yield: N(m, g) = P(m) u^4 exp(2 - 2 u^2), u = g / g0(m), whose maximum over g is P(m) at
g = g0(m) (d/du of u^4 exp(-2 u^2) vanishes at u = 1).  With P(m) = A exp(-ln(m/m_c)^2 / (2 s^2)) the region
closes where P = limit, at ln(m*/m_c) = -+s sqrt(2 ln(A / limit)): both ends are known exactly, and neither
is a grid mass, so the last excluded grid mass is up to one mass step inside them.
"""

import numpy as np
import pytest

from na62lab.yields import dump_contours as dc
from na62lab.yields.dump_contours import excluded_ranges, mass_intervals, split_islands

A, M_C, S, LIMIT = 200.0, 600.0, 0.5, 2.3
"""Peak events, peak mass (MeV), log-width and the event limit of the toy yield."""
D = S * np.sqrt(2.0 * np.log(A / LIMIT))
EXACT = (M_C * np.exp(-D) / 1e3, M_C * np.exp(D) / 1e3)
"""The two closing masses (GeV): 0.1347 and 2.673."""
COUPLINGS = np.geomspace(1e-6, 1e-2, 40)


def _g0(m_mev):
    """Peak coupling, drifting with the mass as a lifetime-limited peak does."""
    return 1e-4 * (np.asarray(m_mev) / 1e3) ** -1.5


def _yield(m_mev, g, step_mev=None):
    m_mev, g = np.asarray(m_mev, float), np.asarray(g, float)
    u = g / _g0(m_mev)
    n = A * np.exp(-np.log(m_mev / M_C) ** 2 / (2 * S**2)) * u**4 * np.exp(2 - 2 * u**2)
    return n if step_mev is None else np.where(m_mev < step_mev, n, 0.0)


def _ranges(masses_mev, couplings=COUPLINGS, limit=LIMIT, evaluate=_yield, **kw):
    table = evaluate(masses_mev[:, None], couplings[None, :])
    return excluded_ranges(masses_mev / 1e3, couplings, table, limit, evaluate, masses_mev, **kw)


@pytest.mark.parametrize("n_mass", [12, 40, 100])
def test_tips_sit_at_the_analytic_closing_masses_on_any_grid(n_mass):
    masses = np.geomspace(50.0, 5000.0, n_mass)
    out = _ranges(masses)
    tips = [r for r in out if r.get("tip")]
    assert [r["tip_side"] for r in tips] == ["low_mass", "high_mass"]
    for r, exact in zip(tips, EXACT):
        assert r["mass_gev"] == pytest.approx(exact, rel=1e-4)           # measured < 1e-5 on all three grids
        assert r["coupling_min"] == r["coupling_max"] == pytest.approx(_g0(1e3 * exact), rel=0.01)
        assert not r["open_lower"] and not r["open_upper"]
    # the last excluded grid mass is inside by up to one mass step; the reported interval is the tips'
    grid_rows = [r for r in out if not r.get("tip")]
    assert grid_rows[-1]["mass_gev"] < EXACT[1] and grid_rows[0]["mass_gev"] > EXACT[0]
    assert mass_intervals(out, masses / 1e3) == [(tips[0]["mass_gev"], tips[1]["mass_gev"])]


def test_tip_of_a_sliver_row_with_coarse_couplings():
    """Eight couplings over four decades: near the closing no coupling node is excluded, the excluded
    rows there are slivers between nodes, and the tip still sits at the crossing."""
    masses = np.geomspace(50.0, 5000.0, 30)
    tips = [r for r in _ranges(masses, couplings=np.geomspace(1e-6, 1e-2, 8)) if r.get("tip")]
    assert [r["mass_gev"] for r in tips] == pytest.approx(EXACT, rel=1e-3)


def test_tips_cost_two_evaluate_calls_per_step_for_all_tips_at_once():
    calls = []

    def counted(m, g):
        calls.append(np.size(m))
        return _yield(m, g)

    masses = np.geomspace(50.0, 5000.0, 40)
    table = _yield(masses[:, None], COUPLINGS[None, :])
    rows = [i for i, n in enumerate(table.max(axis=1)) if n > LIMIT]
    out = dc.excluded_ranges(masses / 1e3, COUPLINGS, table, LIMIT, refine_depth=0)
    tips = dc._tips(out, rows, COUPLINGS, table, np.full(masses.size, LIMIT), masses / 1e3, masses, counted, {})
    # 7 regula falsi steps x (one scan of 41 couplings + one parabola vertex), both tips in every call
    assert len(tips) == 2 and len(calls) == 14 and set(calls) == {2 * 41, 2}


def test_no_tip_at_the_mass_grid_boundary():
    masses = np.geomspace(300.0, 5000.0, 30)           # the region reaches the lowest grid mass
    tips = [r for r in _ranges(masses) if r.get("tip")]
    assert [r["tip_side"] for r in tips] == ["high_mass"]
    assert not [r for r in _ranges(masses, tips=False) if r.get("tip")]


def test_no_tip_between_rows_with_different_limits():
    """An observed event's mass window ends between the two rows: the limit between them is not known."""
    masses = np.geomspace(50.0, 5000.0, 30)
    first_out = int(np.argmax(masses > EXACT[1] * 1e3))
    limits = np.where(np.arange(masses.size) >= first_out, 1.5 * LIMIT, LIMIT)
    tips = [r for r in _ranges(masses, limit=limits) if r.get("tip")]
    assert [r["tip_side"] for r in tips] == ["low_mass"]


@pytest.mark.parametrize("n_mass", [12, 40, 100])
def test_a_step_in_the_yield_closes_the_region_at_the_step(n_mass):
    """A production mode ending at 1.3 GeV (N -> 0 there): the search converges to the step."""
    masses = np.geomspace(50.0, 5000.0, n_mass)
    tips = [r for r in _ranges(masses, evaluate=lambda m, g: _yield(m, g, 1300.0)) if r.get("tip")]
    assert tips[-1]["mass_gev"] == pytest.approx(1.3, rel=3e-3)          # measured 1.2985-1.3007


def test_islands_one_grid_mass_apart_stay_two_and_the_polygon_closes_at_the_tips():
    from na62lab.analyses.beam_dump_outputs import contour_islands

    grid = np.array([1.0, 2.0, 3.0, 4.0, 5.0])

    def row(m, lo, hi, **kw):
        return {"mass_gev": m, "coupling_min": lo, "coupling_max": hi, "open_lower": False, "open_upper": False, **kw}

    ranges = [row(1.0, 1e-6, 1e-4), row(2.0, 2e-6, 5e-5), row(2.4, 1e-5, 1e-5, tip=True, tip_side="high_mass"),
              row(3.6, 1e-5, 1e-5, tip=True, tip_side="low_mass"), row(4.0, 2e-6, 5e-5), row(5.0, 1e-6, 1e-4)]
    # both tips are nearest to the non-excluded grid mass 3.0: by distance alone the islands would merge
    assert [len(c) for c in split_islands(ranges, grid)] == [3, 3]
    assert mass_intervals(ranges, grid) == [(1.0, 2.4), (3.6, 5.0)]
    m, g = contour_islands(ranges, grid)
    first = np.flatnonzero(np.isnan(m))[0]
    assert list(m[:first]) == [1.0, 2.0, 2.4, 2.4, 2.0, 1.0, 1.0] and g[2] == g[3] == 1e-5
    # a record without tips (an older JSON) splits as before
    plain = [r for r in ranges if not r.get("tip")]
    assert mass_intervals(plain, grid) == [(1.0, 2.0), (4.0, 5.0)]


def _step_limit(window_gev, inside=3.85):
    """The limit of a search with one observed event in ``window_gev`` (GeV): ``inside`` events there, else
    LIMIT (as na62lab.analyses.beam_dump's observed-event mass windows give)."""
    lo, hi = window_gev

    def limit_at(m_mev):
        m = np.asarray(m_mev, float) / 1e3
        return np.where((m >= lo) & (m <= hi), inside, LIMIT)
    return limit_at


def _closing_with_window(window_gev, inside=3.85):
    masses = np.geomspace(50.0, 5000.0, 40)
    limit_at = _step_limit(window_gev, inside)
    out = _ranges(masses, limit=limit_at(masses), limit_at=limit_at)
    tips = [r for r in out if r.get("tip") and r["tip_side"] == "high_mass"]
    return out, tips


@pytest.mark.parametrize("window, closing", [
    ((2.80, 3.00), EXACT[1]),                      # window beyond the crossing with LIMIT: as without it
    ((2.55, 2.90), 2.55),                          # N_max(2.55 GeV) = 3.04 events: between 2.3 and 3.85, the step
    ((2.30, 2.90), M_C * np.exp(S * np.sqrt(2.0 * np.log(A / 3.85))) / 1e3),   # crosses 3.85 inside: 2.448
])
def test_tip_where_the_limit_steps_at_an_observed_events_window(window, closing):
    """An island end between grid rows with different limits (an observed event's mass window) closes at
    the crossing of max_g N with the limit at that mass, or at the window edge where the limit steps over
    it; without ``limit_at`` it stayed at the last excluded grid mass (alp-photon, na62_dump_2021:
    0.3754 -> 0.4016 GeV, the crossing with 2.30 events just below the e+e- event's window at 0.404 GeV)."""
    out, tips = _closing_with_window(window)
    assert len(tips) == 1
    assert tips[0]["mass_gev"] == pytest.approx(closing, rel=2e-3)
    grid_last = max(r["mass_gev"] for r in out if not r.get("tip"))
    assert grid_last < tips[0]["mass_gev"]


def test_no_tip_between_different_limits_without_limit_at():
    masses = np.geomspace(50.0, 5000.0, 40)
    limit_at = _step_limit((2.55, 2.90))
    out = _ranges(masses, limit=limit_at(masses))
    assert not [r for r in out if r.get("tip") and r["tip_side"] == "high_mass"]
