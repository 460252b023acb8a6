"""BR measurement, significance and tension (stats.measurement), multi-category CLs."""

import numpy as np
import pytest

from na62lab.stats.measurement import measure
from na62lab.stats.model import Category, CountingModel
from na62lab.stats.multibin import cls_upper_limit_br


def _run1_run2(nuisance="profile"):
    # NA62 JHEP 06 (2021) 093 and JHEP 02 (2025) 191 (see the shipped card)
    return CountingModel((Category.build(20, 7.0, 8.39e-12, 1.05, 0.75, 0.54e-12, name="2016-18"),
                          Category.build(31, 11.0, 8.48e-12, 2.1, 1.9, 0.29e-12, name="2021-22")), nuisance)


@pytest.mark.parametrize("nuisance", ["profile", "marginalise"])
def test_2016_22_close_to_published(nuisance):
    # JHEP 02 (2025) 191: BR = (13.0 +3.3 -3.0)e-11, > 5 sigma, SM at 1.7 sigma.
    # Our two-category model is a simplification: allow 10 % on BR, 15 % on errors.
    r = measure(_run1_run2(nuisance), reference=8.60e-11, reference_error=0.42e-11)
    assert r.br == pytest.approx(13.0e-11, rel=0.10)
    assert r.br_err_up == pytest.approx(3.3e-11, rel=0.15)
    assert r.br_err_down == pytest.approx(3.0e-11, rel=0.15)
    assert r.significance_bkg_only > 5.0
    assert r.tension_sigma == pytest.approx(1.7, abs=0.25)


def test_single_category_without_uncertainty_is_analytic():
    # mu = s + b, MLE s = n - b; -2 dlnL = 1 interval from the Poisson log-likelihood
    r = measure(CountingModel((Category.build(20, 5.0, 1.0),)))
    assert r.br == pytest.approx(15.0, rel=1e-4)
    f = lambda s: 2 * ((s + 5) - 20 * np.log(s + 5) - (20 - 20 * np.log(20)))  # noqa: E731
    assert f(r.br + r.br_err_up) == pytest.approx(1.0, abs=1e-3)
    assert f(r.br - r.br_err_down) == pytest.approx(1.0, abs=1e-3)
    # asymptotic q0 against the closed form
    q0 = 2 * (20 * np.log(20 / 5) - 15)
    assert r.significance_bkg_only == pytest.approx(np.sqrt(q0), rel=1e-4)


def test_profile_and_marginal_agree_without_uncertainties():
    cats = (Category.build(7, 2.0, 1e-10),)
    a = measure(CountingModel(cats, "profile"))
    b = measure(CountingModel(cats, "marginalise"))
    assert a.br == pytest.approx(b.br, rel=1e-4)
    assert a.br_err_up == pytest.approx(b.br_err_up, rel=1e-3)


def test_deficit_gives_zero_br_and_no_significance():
    r = measure(CountingModel((Category.build(0, 2.0, 1e-10),)))
    assert r.br == 0.0 and r.significance_bkg_only == 0.0
    assert r.p_value_bkg_only_exact == pytest.approx(1.0)


def test_2016_2017_combined_limit_published():
    # JHEP 11 (2020) 042: 2016+2017 combined BR < 1.78e-10 at 90 % CL (CLs)
    m = CountingModel((Category.build(1, 0.152, 3.15e-10, 0.092, 0.035, 0.24e-10),
                       Category.build(2, 1.5, 0.389e-10, 0.3, 0.3, 0.024e-10)))
    assert cls_upper_limit_br(m, 0.9) == pytest.approx(1.78e-10, rel=0.03)


def test_multibin_reduces_to_single_category():
    from na62lab.stats.limits import upper_limit

    m = CountingModel((Category.build(2, 1.5, 1e-10),))
    assert cls_upper_limit_br(m, 0.9) == pytest.approx(upper_limit(2, 1.5) * 1e-10, rel=1e-6)
