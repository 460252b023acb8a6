"""Splitting with Russian roulette at per-event importance factors (variance.splitting)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from na62lab.config.kaon import KaonCard
from na62lab.detector.params import detector_params, veto_tables
from na62lab.detector.response import detector_response
from na62lab.generation.kaon.beam import generate_beam
from na62lab.generation.kaon.decays import generate_mode
from na62lab.variance.splitting import (importance_factors, importance_rows, near_edge,
                                               pion_hypothesis_mmiss2, take_beam, take_final_state)
from na62lab.physics.particles import mass
from na62lab.physics.units import GeV

CARD = KaonCard()
PARAMS = detector_params(CARD)
TABLES = veto_tables(CARD)


@settings(max_examples=30, deadline=None)
@given(factors=st.lists(st.floats(0.05, 6.0), min_size=1, max_size=8))
def test_each_event_keeps_weight_one_in_expectation(factors):
    """Mean over 4000 draws of each event's summed row weight is 1 within 5 standard errors (the exact one:
    k = floor(f) + Bernoulli(frac(f)), so sd(k / f) = sqrt(frac (1 - frac)) / f)."""
    f = np.array(factors)
    rng = np.random.default_rng(7)
    sums = np.empty((4000, f.size))
    for k in range(4000):
        rows, w = importance_rows(f, rng)
        sums[k] = np.bincount(rows, w, minlength=f.size)
    frac = f - np.floor(f)
    mean, err = sums.mean(axis=0), np.sqrt(frac * (1 - frac)) / f / math.sqrt(4000)
    assert np.all(np.abs(mean - 1.0) <= 5 * err + 1e-12)


def test_integer_factors_are_plain_splitting_and_rows_are_ordered():
    rows, w = importance_rows(np.array([1.0, 3.0, 1.0]), np.random.default_rng(1))
    assert rows.tolist() == [0, 1, 2, 1, 1] and np.allclose(w, [1, 1 / 3, 1, 1 / 3, 1 / 3])
    with pytest.raises(ValueError, match="factors"):
        importance_rows(np.array([1.0, 0.0]), np.random.default_rng(1))


def test_factor_table_bins():
    f = importance_factors(np.array([0.0795, 0.08, 0.2, 2.0, np.nan]), [(0.08, 40.0), (1.0, 0.05)])
    assert f.tolist() == [40.0, 0.05, 0.05, 1.0, 1.0]


def test_pion_hypothesis_score_of_k3pi_and_k2pi():
    """K3pi: the smaller of the two pi+ values, >= (2 m_pi)^2 and equal to near_edge's choice; K+ -> pi+ pi0:
    m_pi0^2 (two-body) except in pi0 Dalitz decays, whose e+ gives a smaller value (the minimum is taken over
    the positive particles); K+ -> mu+ nu: the muon with the pi+ mass is below zero."""
    rng = np.random.default_rng(4)
    beam = generate_beam(CARD, 5000, rng)
    fs = generate_mode("pipipi", beam.p4, rng)
    s = pion_hypothesis_mmiss2(fs, beam.p4)
    assert s.min() > (2 * mass("pi+")) ** 2 * (1 - 1e-6)
    assert np.array_equal(s < 0.082 * GeV**2, near_edge(fs, beam.p4, 0.082 * GeV**2))
    s2 = pion_hypothesis_mmiss2(generate_mode("pipi0", beam.p4, rng), beam.p4)
    exact = np.isclose(s2, mass("pi0") ** 2, rtol=1e-6)
    assert 0.97 < exact.mean() < 1.0 and np.all(s2[~exact] < mass("pi0") ** 2)
    assert np.all(pion_hypothesis_mmiss2(generate_mode("munu", beam.p4, rng), beam.p4) < 0)


def test_importance_estimate_is_unbiased_against_plain_monte_carlo():
    """A detector-level rate of K3pi decays (a reconstructed track within 0.005 GeV^2/c^4 of m_miss^2 = 0.08 in
    true terms, i.e. the near-edge decays, and momentum mis-measured by > 0.6 %): split x10 near the edge and
    roulette 1/10 above, against plain Monte Carlo from an independent stream: agree within 4 standard errors,
    and the importance estimate is the more precise at the same number of decays."""
    table = [(0.082, 10.0), (1.0, 0.1)]

    def estimate(use, seed):
        rng = np.random.default_rng(seed)
        beam = generate_beam(CARD, 40_000, rng)
        fs = generate_mode("pipipi", beam.p4, rng)
        score = pion_hypothesis_mmiss2(fs, beam.p4) / GeV**2
        f = importance_factors(score, table) if use else np.ones(fs.n)
        rows, w = importance_rows(f, rng)
        r = detector_response(take_final_state(fs, rows), take_beam(beam, rows).vertex, PARAMS, TABLES, rng)
        with np.errstate(invalid="ignore"):
            hit = r.has_track & (np.abs(r.p - r.p_true) > 0.006 * r.p_true) & (score[rows] < 0.082)
        per_decay = np.bincount(rows, np.where(hit, w, 0.0), minlength=fs.n)
        return per_decay.mean(), per_decay.std(ddof=1) / math.sqrt(fs.n)

    plain, e_plain = estimate(False, 20)
    imp, e_imp = estimate(True, 21)
    assert plain > 0 and abs(plain - imp) < 4 * math.hypot(e_plain, e_imp)
    assert e_imp < 0.6 * e_plain
