"""Veto weight averaged over the pi0 -> gamma gamma orientations (conditional Monte Carlo)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from na62lab.config.kaon import KaonCard
from na62lab.detector.params import detector_params, veto_tables
from na62lab.variance.pi0_orientation import (
    PHOTON_MODES, PI0_SLOTS, all_gamma_gamma, averaged_veto_weight, gamma_pair, lattice_generator,
)
from na62lab.detector.response import detector_response
from na62lab.generation.kaon.beam import generate_beam
from na62lab.generation.kaon.decays import generate_mode
from na62lab.physics.particles import mass

CARD = KaonCard()
PARAMS = detector_params(CARD)
TABLES = veto_tables(CARD)


def _events(mode, n, seed):
    rng = np.random.default_rng(seed)
    beam = generate_beam(CARD, n, rng)
    fs = generate_mode(mode, beam.p4, rng)
    resp = detector_response(fs, beam.vertex, PARAMS, TABLES, rng)
    rows = np.flatnonzero(np.isfinite(resp.w_veto))
    return fs, beam.vertex, resp, rows[all_gamma_gamma(fs, rows)]


@pytest.mark.parametrize("mode", sorted(PI0_SLOTS))
def test_slot_layout_holds_the_pi0s(mode):
    """The slots named in PI0_SLOTS add up to a pi0 (catches a change of the generators' slot layout)."""
    fs, _, _, _ = _events(mode, 2000, 1)
    for group in PI0_SLOTS[mode]:
        p4 = sum(fs.slots[s].p4 for s in group)
        m2 = p4[:, 0] ** 2 - np.sum(p4[:, 1:] ** 2, axis=1)
        assert np.allclose(np.sqrt(m2), mass("pi0"), rtol=1e-6)


@pytest.mark.parametrize("mode", ["pipi0", "pi0enu", "pipi0pi0", "pigg"])
def test_drawn_orientation_reproduces_the_response_weight(mode):
    """n_orient = 0 evaluates the generated photons: exactly the detector response's w_veto (same E/p rule); for
    a positron track (pi0enu) the average also keeps only the tail fraction of its own E/p below the cut when
    photons merge (eop_pass), so it is the response's weight where none merges and never above it."""
    fs, vtx, resp, rows = _events(mode, 20_000, 2)
    assert rows.size > 1000
    w = averaged_veto_weight(fs, vtx, rows, PARAMS, TABLES, 0, np.random.default_rng(0), PARAMS.merged_eop_max)
    if mode != "pi0enu":
        assert np.array_equal(w, resp.w_veto[rows])
        return
    assert np.all(w <= resp.w_veto[rows]) and np.mean(w == resp.w_veto[rows]) > 0.5
    assert np.any(w < resp.w_veto[rows])


def test_average_is_unbiased_against_plain_monte_carlo():
    """Lattice averages (21 points) and single random orientations estimate the same expectation.

    Both are replicated with independent shifts; the per-event means agree within 4 standard errors.
    """
    fs, vtx, _, rows = _events("pipi0", 4000, 3)
    rows = rows[:300]
    rng = np.random.default_rng(4)
    def total(k):
        return averaged_veto_weight(fs, vtx, rows, PARAMS, TABLES, k, rng, math.inf).sum()
    lat = np.array([total(21) for _ in range(40)])
    mc = np.array([total(1) for _ in range(840)])
    diff = lat.mean() - mc.mean()
    err = math.hypot(lat.std(ddof=1) / math.sqrt(lat.size), mc.std(ddof=1) / math.sqrt(mc.size))
    assert abs(diff) < 4 * err
    assert lat.std(ddof=1) < mc.std(ddof=1)          # and the average varies less than one orientation


def test_weights_are_probabilities_and_monotonic_in_the_eop_cut():
    """Weights lie in [0, 1]; a looser E/p rule never lowers them; no rule = infinite cut."""
    fs, vtx, _, rows = _events("pi0enu", 20_000, 5)
    ws = [averaged_veto_weight(fs, vtx, rows, PARAMS, TABLES, 13, np.random.default_rng(6), cut)
          for cut in (1e-9, 0.3, 0.8, math.inf)]
    for w in ws:
        assert np.all((w >= 0.0) & (w <= 1.0))
    for lo, hi in zip(ws, ws[1:]):
        assert np.all(lo <= hi)
    assert ws[0].sum() < ws[-1].sum()            # merged photons exist in this sample


def test_eop_rule_applies_to_photons_outside_pi0s():
    """K+ -> pi+ gamma gamma: one pass (no pi0 to average); the E/p rule removes merged energetic photons only."""
    assert PHOTON_MODES["pigg"] == ()
    fs, vtx, resp, rows = _events("pigg", 40_000, 10)
    w = averaged_veto_weight(fs, vtx, rows, PARAMS, TABLES, 21, np.random.default_rng(0), PARAMS.merged_eop_max)
    assert np.array_equal(w, resp.w_veto[rows])          # the response applies the same rule
    no_rule = averaged_veto_weight(fs, vtx, rows, PARAMS, TABLES, 21, np.random.default_rng(0), math.inf)
    assert np.all(no_rule >= w) and np.sum(no_rule > w) > 0


def test_more_points_reduce_the_spread_of_heavy_weights():
    """The Kish effective number of events grows with the lattice size (pi0 e nu: rare heavy orientations)."""
    fs, vtx, _, rows = _events("pi0enu", 40_000, 7)

    def n_eff(k):
        w = averaged_veto_weight(fs, vtx, rows, PARAMS, TABLES, k, np.random.default_rng(8), math.inf)
        return w.sum() ** 2 / np.sum(w**2)
    assert n_eff(21) > 3 * n_eff(1)


@settings(max_examples=50, deadline=None)
@given(p=st.floats(0.0, 80_000.0), theta=st.floats(0.0, 0.05), cos_t=st.floats(-1.0, 1.0),
       phi=st.floats(0.0, 2 * math.pi))
def test_gamma_pair_conserves_four_momentum(p, theta, cos_t, phi):
    m = mass("pi0")
    pi0 = np.array([math.hypot(p, m), p * math.sin(theta), 0.0, p * math.cos(theta)])
    out = np.empty((2, 4))
    gamma_pair(*pi0, cos_t, phi, out)
    assert np.allclose(out.sum(axis=0), pi0, rtol=1e-9, atol=1e-9 * max(1.0, pi0[0]))
    for k in range(2):
        assert abs(out[k, 0] - np.linalg.norm(out[k, 1:])) <= 1e-9 * max(1.0, out[k, 0])


def test_lattice_generator():
    assert lattice_generator(21) == 13 and lattice_generator(89) == 55
    for k in range(1, 200):
        assert math.gcd(lattice_generator(k), k) == 1


def test_bad_inputs():
    fs, vtx, _, rows = _events("pipi0", 2000, 9)
    with pytest.raises(ValueError, match="no photons"):
        averaged_veto_weight(generate_mode("munu", generate_beam(CARD, 10, np.random.default_rng(0)).p4,
                                           np.random.default_rng(0)), vtx, rows, PARAMS, TABLES, 5,
                             np.random.default_rng(0))
    dalitz = np.flatnonzero(~all_gamma_gamma(fs, np.arange(fs.n)))
    with pytest.raises(ValueError, match="gamma gamma"):
        averaged_veto_weight(fs, vtx, dalitz[:3], PARAMS, TABLES, 5, np.random.default_rng(0))
