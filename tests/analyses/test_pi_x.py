"""K+ -> pi+ X (X invisible or long-lived) from the 2016-18 pi nu nubar sample."""

import numpy as np
import pytest

from na62lab.analyses import pi_x


@pytest.fixture(scope="module")
def card():
    return pi_x.load()


@pytest.fixture(scope="module")
def result(card):
    return pi_x.run(card)


def test_expected_signal_normalisation(result, card):
    # The X acceptance averaged like the SM spectrum gives back 1/SES(pi nu nubar) = 1/8.39e-12 (JHEP 06 (2021) 093)
    from na62lab.analyses.kaon_searches_common import engine as eng

    from scipy import special

    from na62lab.analyses.kaon_searches_common.spectra import pinunu_q2_density

    model = eng.resolution_model(card, result.masses)
    assert card.normalisation.n_parent * card.normalisation.acceptance == pytest.approx(1 / 8.39e-12, rel=1e-3)
    # SM events = BR x sum over the spectrum of S_per_BR(q) x (fraction of the peak inside R1 + R2)
    q2 = np.linspace(0.0, 0.1267e6, 3001)[1:]
    q = np.sqrt(q2)
    s = eng.signal_per_br(card, q, model, None)
    sig = model.sigma(q, card.observable)
    f = sum(special.ndtr((hi * 1e6 - q2) / sig) - special.ndtr((lo * 1e6 - q2) / sig) for lo, hi in card.signal_regions)
    w = pinunu_q2_density(q2)
    assert np.sum(w * s * f) / np.sum(w) == pytest.approx(1 / 8.39e-12, rel=0.01)
    assert 0.1 < eng.reference_kinematic_acceptance(card, model) < 0.6


def test_background_totals(result):
    # 7.0 background events + 10.0 SM pi nu nubar (8.4e-11 / 8.39e-12), 20 observed (published total)
    assert result.spectrum.background.sum() == pytest.approx(17.0, rel=1e-6)
    assert result.observed_counts.sum() == 20


def test_limits_of_order_1e_11(result):
    # JHEP 06 (2021) 093: limits of order 1e-11 in both mass ranges (per-mass comparison: test_pi_x_published.py):
    # geometric means within a factor 3 of 2e-11
    for lo, hi in ((10, 90), (165, 250)):
        sel = (result.masses >= lo) & (result.masses <= hi)
        gm = np.exp(np.mean(np.log(result.observed_limit[sel])))
        assert 2e-11 / 3 < gm < 2e-11 * 3


def test_limits_weaken_at_the_region_edges(result):
    # shape of the published curves: the limit rises where the m_miss^2 window leaves R1 or R2
    m, lim = result.masses, result.expected["median"]
    assert lim[m == m[(m > 100) & (m < 120)].max()] > 2 * np.median(lim[(m > 20) & (m < 90)])
    assert lim[m == m[m > 150].min()] > 2 * np.median(lim[(m > 170) & (m < 240)])


def test_lifetime_dependence(result, card):
    scan = pi_x.lifetime_scan(result, card, lifetimes_ns=(0.01, 1.0, 1e6))
    lim = scan["observed_limit"]
    assert np.all(lim[:, 0] >= lim[:, 1]) and np.all(lim[:, 1] >= lim[:, 2])
    assert np.allclose(lim[:, 2], result.observed_limit, rtol=1e-3)   # long-lived: the stable limit
    direct = pi_x.run(card, masses=[200.0], lifetime_ns=1.0)
    i = int(np.argmin(np.abs(result.masses - 200.0)))
    assert direct.observed_limit[0] == pytest.approx(lim[i, 1], rel=1e-6)


def test_massless_x_never_decays(card):
    r = pi_x.run(card, masses=[0.0], lifetime_ns=1e-3)
    assert r.signal_per_br[0] > 0 and np.isfinite(r.observed_limit[0])


def test_projection_scales_between_root_n_and_n(result, card):
    # 10x the decays: background-free windows improve by 10, background-dominated ones by sqrt(10)
    from na62lab.analyses.kaon_searches_common.engine import projected

    proj = pi_x.run(projected(card, 10.0), masses=[50.0, 200.0])
    base = [result.expected["median"][result.masses == m][0] for m in (50.0, 200.0)]
    ratio = np.asarray(base) / proj.expected["median"]
    assert np.all((ratio > 2.5) & (ratio < 12.0))
