"""Importance sampling of the STRAW single-scattering tails (detector.tracking.measure_track, variance.track_params).

The biased track measurement (tail probability x bias, angles from a defensive 1/theta^2 mixture) carries the
likelihood-ratio weight; weighted tallies must agree with the unbiased simulation within their statistical errors
(fixed seeds), and with the bias off the weight is exactly 1 and the random numbers are those of the unbiased
simulation.
"""

import math

import numpy as np
import pytest

from na62lab.analyses.kaon_sim import card_for
from na62lab.config.base import parse_card
from na62lab.config.kaon import KaonCard
from na62lab.detector.params import detector_params
from na62lab.detector.tracking import fit_constant_array, measure_track
from na62lab.errors import InputError
from na62lab.physics.fastrng import new_state
from na62lab.physics.jit import njit
from na62lab.physics.units import GeV
from na62lab.variance.kaon import track_params
from na62lab.yields.kaon_sim import FLAG_ACCEPTANCE, simulate_chunk

CARD = KaonCard()
D = detector_params(CARD)
FC = fit_constant_array(D)
BIASED = D._replace(straw_tail_bias=10.0, straw_tail_mix=0.5)


@njit
def _tracks(n, p, d, fc, st):
    """(measured x slope - true x slope, chi2, weight) of ``n`` tracks of momentum ``p`` (MeV) from z = 150 m."""
    out = np.empty((n, 3))
    pz = p / math.sqrt(1.0 + 1e-5)
    tx0 = 3e-3
    for i in range(n):
        r = measure_track(0.0, 0.0, 150000.0, tx0 * pz, 0.0, pz, 1, d, fc, st)
        out[i, 0] = r[1] - tx0
        out[i, 1] = r[5]
        out[i, 2] = r[6]
    return out


def _weighted_mean(x, w):
    """Weighted mean and its standard error (mean of x w over the draws)."""
    y = x * w
    return y.mean(), y.std() / math.sqrt(y.size)


def test_unbiased_track_gives_weight_exactly_one_and_the_same_random_stream():
    a = _tracks(20_000, 20 * GeV, D, FC, new_state(np.random.default_rng(3)))
    b = _tracks(20_000, 20 * GeV, D._replace(straw_tail_bias=1.0, straw_tail_mix=0.0), FC,
                new_state(np.random.default_rng(3)))
    assert np.all(a[:, 2] == 1.0)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("cut", [3e-4, 1e-3])
def test_biased_tail_reproduces_the_unbiased_slope_tail(cut):
    """P(|measured - true x slope| > cut) at 20 GeV/c: the kink of a STRAW1 single scatter (rates ~1e-3 and
    ~1e-4 per track unbiased); biased and unbiased estimates agree within 3 combined standard errors, the mean
    weight is 1, and the biased sample has many more tail tracks."""
    n = 300_000
    ref = _tracks(n, 20 * GeV, D, FC, new_state(np.random.default_rng(11)))
    bia = _tracks(n, 20 * GeV, BIASED, FC, new_state(np.random.default_rng(12)))
    x_ref, x_bia = np.abs(ref[:, 0]) > cut, np.abs(bia[:, 0]) > cut
    m0, e0 = _weighted_mean(x_ref.astype(float), ref[:, 2])
    m1, e1 = _weighted_mean(x_bia.astype(float), bia[:, 2])
    assert x_ref.sum() >= 25
    assert abs(m1 - m0) < 3 * math.hypot(e0, e1)
    assert x_bia.sum() > 10 * x_ref.sum()
    assert e1 < 0.5 * e0                                     # the point of the bias: a smaller error
    w_mean, w_err = _weighted_mean(np.ones(n), bia[:, 2])
    assert abs(w_mean - 1.0) < 4 * w_err


def test_biased_chi2_distribution_is_unbiased():
    """Mean chi2 and the fraction above the cut of 20 (kinks in chambers 2-3 and large STRAW1 scatters)."""
    n = 200_000
    ref = _tracks(n, 20 * GeV, D, FC, new_state(np.random.default_rng(21)))
    bia = _tracks(n, 20 * GeV, BIASED, FC, new_state(np.random.default_rng(22)))
    for f in (lambda c: np.minimum(c, 50.0), lambda c: (c > 20.0).astype(float)):
        m0, e0 = _weighted_mean(f(ref[:, 1]), ref[:, 2])
        m1, e1 = _weighted_mean(f(bia[:, 1]), bia[:, 2])
        assert abs(m1 - m0) < 3.5 * math.hypot(e0, e1)


EDGE = [(0.0795, 40.0), (1.0, 0.05)]
"""Both chunks split decays near the K3pi kinematic edge x40 and roulette the others (exactly unbiased,
variance.splitting), so that the unbiased chunk has a measured m_miss^2 tail below the edge."""


def _k3pi_card(tail, seed):
    data = card_for(120_000, seed=seed, background_run=True).model_dump()
    data["run"].update(fractions={"pipipi": 1.0}, importance_mmiss2_gev2={"pipipi": EDGE}, importance_veto={},
                       importance_straw_tail=tail)
    return parse_card(data, KaonCard)


def _k3pi_tallies(card, seed):
    """Weighted sums (w_decay; rows of one decay summed first), their errors and row counts of the GTK-matched
    K3pi tracks in the acceptance: all, and those with m_miss^2 below 0.074 and 0.076 GeV^2/c^4 (the tail below
    the kinematic edge (2 m_pi)^2 = 0.078, fed by STRAW scatters)."""
    c = simulate_chunk(card, card.run.decays, np.random.default_rng(seed)).columns
    acc = ((c["flags"] & FLAG_ACCEPTANCE) > 0) & np.isfinite(c["mmiss2_gev2"])
    w, m2 = c["w_decay"][acc].astype(float), c["mmiss2_gev2"][acc]
    _, inv = np.unique(c["decay"][acc], return_inverse=True)
    out = {}
    for name, x in (("all", np.ones(w.size, bool)), ("0.074", m2 < 0.074), ("0.076", m2 < 0.076)):
        per = np.bincount(inv, w * x)
        out[name] = (per.sum(), math.sqrt(np.sum(per**2)), int(np.sum(x)))
    return out


def test_chunk_with_biased_straw_tails_is_unbiased():
    """K+ -> pi+ pi+ pi- chunks (1.2e5 decays, fixed seeds): the weighted matched tracks and their m_miss^2 tail
    below the kinematic edge, unbiased and with the STRAW tails biased (x10, mix 0.5), agree within 3 combined
    standard errors; the biased chunk has several times more tail tracks."""
    ref = _k3pi_tallies(_k3pi_card({}, 5), 5)
    bia = _k3pi_tallies(_k3pi_card({"pipipi": (10.0, 0.5)}, 6), 6)
    for name in ("all", "0.074", "0.076"):
        (s0, e0, _), (s1, e1, _) = ref[name], bia[name]
        assert abs(s1 - s0) < 3 * math.hypot(e0, e1), name
    assert ref["0.074"][2] >= 5 and bia["0.074"][2] > 3 * ref["0.074"][2]


def test_track_params_only_for_the_card_modes():
    card = _k3pi_card({"pipipi": (10.0, 0.5)}, 1)
    assert track_params(card, "pipipi", D).straw_tail_bias == 10.0
    assert track_params(card, "pipipi", D).straw_tail_mix == 0.5
    assert track_params(card, "ke4", D) is D


@pytest.mark.parametrize("bad", [{"pinunu": (10.0, 0.5)}, {"pipipi": (0.5, 0.5)}, {"pipipi": (10.0, 0.99)}])
def test_card_rejects_bad_straw_tail_importance(bad):
    data = KaonCard().model_dump()
    data["run"]["importance_straw_tail"] = bad
    with pytest.raises(InputError, match="importance_straw_tail"):
        parse_card(data, KaonCard)


def test_veto_importance_scores_k3pi_by_the_pair_averaged_weight():
    """run.importance_veto_pair_orientations: the roulette/splitting factor of a K3pi decay with a selectable track
    comes from its veto weight averaged over pair orientations (smoother than the one drawn orientation, which
    spans many decades); decays without a selectable track keep f_min; the resampled weights are 1 / f."""
    from na62lab.detector.params import veto_tables
    from na62lab.detector.response import detector_response
    from na62lab.generation.kaon.beam import generate_beam
    from na62lab.generation.kaon.decays import generate_mode
    from na62lab.variance.kaon import importance_by_veto

    rng = np.random.default_rng(3)
    beam = generate_beam(CARD, 4000, rng)
    fs = generate_mode("pipipi", beam.p4, rng)
    spec = {"pipipi": (1e-9, 0.5, 1000.0)}
    weights = {}
    for n_avg in (0, 8):
        data = CARD.model_dump()
        data["run"].update(importance_veto=spec, importance_veto_pair_orientations=n_avg)
        card = parse_card(data, KaonCard)
        _, _, w, rows = importance_by_veto(card, "pipipi", beam, fs, None, np.random.default_rng(9), D,
                                           veto_tables(card), detector_response)
        assert np.all(w > 0) and np.all(w <= 2.0)
        weights[n_avg] = np.bincount(rows, np.ones(rows.size), fs.n), np.full(fs.n, np.nan)
        weights[n_avg][1][rows] = w
    pre = detector_response(fs, beam.vertex, D, veto_tables(CARD), np.random.default_rng(0))
    track = np.isfinite(pre.w_veto)
    assert track.sum() > 50
    for n_avg in (0, 8):
        w = weights[n_avg][1]
        assert np.all(w[~track & np.isfinite(w)] == 2.0)            # f_min = 0.5 without a selectable track
    differ = np.isfinite(weights[0][1]) & np.isfinite(weights[8][1]) & track
    assert np.any(weights[0][1][differ] != weights[8][1][differ])
