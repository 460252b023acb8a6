"""A mass row whose N(g) passes the limit only between two coupling nodes is still excluded.

Near the mass where a region closes the excluded coupling interval becomes narrower than the
coupling grid spacing; :func:`na62lab.yields.dump_contours.excluded_ranges` finds the peak of
N(g) by golden-section search when it has the exact ``evaluate`` (so where the region closes does
not depend on the grid size).  Synthetic N(g) = A x^4 exp(-x^2), x = g / 1e-6: its peak is
4 A e^-2 at x = sqrt(2), and its edges are known to any precision (scipy brentq).
"""

import numpy as np
import pytest
from scipy.optimize import brentq

from na62lab.yields.dump_contours import excluded_ranges

COUPLINGS = np.geomspace(1e-8, 1e-3, 20)      # 0.25 decades per step: the sliver falls between nodes
LIMIT = 2.3


def _events(amplitude, g):
    x = np.asarray(g) / 1e-6
    return np.asarray(amplitude) * x**4 * np.exp(-x * x)


def _exact_edges(amplitude):
    f = lambda lx: np.log(_events(amplitude, np.exp(lx))) - np.log(LIMIT)   # noqa: E731
    peak = np.log(np.sqrt(2.0) * 1e-6)
    return np.exp(brentq(f, np.log(1e-8), peak)), np.exp(brentq(f, peak, np.log(1e-5)))


def test_sliver_between_coupling_nodes_is_found_with_its_edges():
    amplitudes = np.array([2.33, 2.25, 2.5]) / (4.0 * np.exp(-2.0))     # peaks 2.33, 2.25, 2.5 events
    expected = np.array([_events(a, COUPLINGS) for a in amplitudes])
    assert expected[0].max() < LIMIT and expected[2].max() > LIMIT     # row 0: no excluded node
    ranges = excluded_ranges(amplitudes / 1000.0, COUPLINGS, expected, LIMIT,
                             evaluate=lambda m, g: _events(m, g), masses_mev=amplitudes)
    found = {r["mass_gev"]: r for r in ranges if not r.get("tip")}
    assert set(found) == {amplitudes[0] / 1000.0, amplitudes[2] / 1000.0}   # the 2.25 peak stays allowed
    # the two islands close where the peak 4 A e^-2 equals the limit, A = 2.3 / (4 e^-2) (closing tips, c538837)
    tips = [r["mass_gev"] for r in ranges if r.get("tip")]
    assert len(tips) == 2 and np.allclose(tips, LIMIT / (4.0 * np.exp(-2.0)) / 1000.0, rtol=1e-4), tips
    for a in (amplitudes[0], amplitudes[2]):
        lo, hi = _exact_edges(a)
        r = found[a / 1000.0]
        assert r["coupling_min"] == pytest.approx(lo, rel=1e-3) and r["coupling_max"] == pytest.approx(hi, rel=1e-3)
        assert not r["open_lower"] and not r["open_upper"]


def test_without_evaluate_only_grid_nodes_count():
    amplitude = 2.33 / (4.0 * np.exp(-2.0))
    expected = _events(amplitude, COUPLINGS)[None, :]
    assert excluded_ranges(np.array([0.001]), COUPLINGS, expected, LIMIT) == []
