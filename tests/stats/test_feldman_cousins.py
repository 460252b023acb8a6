"""Feldman-Cousins unified intervals (stats.feldman_cousins)."""

import pytest

from na62lab.stats.feldman_cousins import fc_interval
from na62lab.stats.limits import upper_limit
from na62lab.stats.nuisance import Uncertain


# Feldman & Cousins, PRD 57 (1998) 3873, Table IV (90 % CL), quoted to 0.01.
@pytest.mark.parametrize("n, b, lo, hi", [
    (0, 0.0, 0.00, 2.44), (0, 0.5, 0.00, 1.94), (0, 1.0, 0.00, 1.61),
    (1, 0.0, 0.11, 4.36), (2, 0.0, 0.53, 5.91), (3, 0.0, 1.10, 7.42),
])
def test_fc_table_iv(n, b, lo, hi):
    got_lo, got_hi = fc_interval(n, Uncertain(b), 0.9)
    assert got_lo == pytest.approx(lo, abs=0.011)
    assert got_hi == pytest.approx(hi, abs=0.011)


def test_fc_via_upper_limit_and_background_uncertainty_widens():
    exact = upper_limit(1, 1.0, method="fc")
    smeared = upper_limit(1, 1.0, 0.5, 0.5, method="fc")
    assert smeared >= exact - 0.02
