"""Veto weight of K+ -> pi+ pi+ pi- averaged over the undetected pion pair's orientation (conditional Monte Carlo)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from na62lab.config.kaon import KaonCard
from na62lab.detector.params import detector_params, veto_tables
from na62lab.variance.pair_orientation import (
    M_K, M_PI, PAIR_MODES, averaged_pair_veto_weight, dalitz_bound, pair_decay, reoriented_pair,
)
from na62lab.detector.response import detector_response
from na62lab.generation.kaon.beam import generate_beam
from na62lab.generation.kaon.decays import generate_mode
from na62lab.generation.kaon.final_state import PION
from na62lab.generation.kaon.matrix_elements import K3PI_CHARGED
from na62lab.variance.splitting import take_final_state

CARD = KaonCard()
PARAMS = detector_params(CARD)
TABLES = veto_tables(CARD)
S0 = (M_K**2 + 3 * M_PI**2) / 3


def _events(n, seed):
    rng = np.random.default_rng(seed)
    beam = generate_beam(CARD, n, rng)
    fs = generate_mode("pipipi", beam.p4, rng)
    resp = detector_response(fs, beam.vertex, PARAMS, TABLES, rng)
    return beam, fs, resp, np.flatnonzero(np.isfinite(resp.w_veto))


def _track_slot(fs, resp, rows):
    """Slot (0 or 1) of the track: the pi+ whose true momentum is the response's."""
    p0 = np.linalg.norm(fs.slots[0].p4[rows, 1:], axis=1)
    return np.where(p0 == resp.p_true[rows], 0, 1)


def _dalitz_uv(fs):
    """Dalitz variables u = (s3 - s0)/m^2 (s3 of the pi-) and v = (s2 - s1)/m^2 of every decay."""
    k = sum(s.p4 for s in fs.slots)

    def s(j):
        d = k - fs.slots[j].p4
        return d[:, 0] ** 2 - np.sum(d[:, 1:] ** 2, axis=1)
    return (s(2) - S0) / M_PI**2, (s(1) - s(0)) / M_PI**2


def test_slot_layout():
    """PAIR_MODES names the generator's pi+, pi+, pi- slots (catches a change of the slot layout)."""
    fs = generate_mode("pipipi", generate_beam(CARD, 100, np.random.default_rng(0)).p4, np.random.default_rng(1))
    a, b, c = (fs.slots[s] for s in PAIR_MODES["pipipi"])
    assert np.all(a.species == PION) and np.all(b.species == PION) and np.all(c.species == PION)
    assert np.all(a.charge == 1) and np.all(b.charge == 1) and np.all(c.charge == -1)


def test_drawn_orientation_reproduces_the_response_weight():
    """n_orient = 0 evaluates the generated pair: exactly the detector response's w_veto."""
    beam, fs, resp, rows = _events(40_000, 2)
    assert rows.size > 1000
    w = averaged_pair_veto_weight(fs, beam.vertex, rows, PARAMS, TABLES, 0, np.random.default_rng(0))
    assert np.array_equal(w, resp.w_veto[rows])


def test_reorientation_follows_the_generator_dalitz_density():
    """Re-drawing the pair given the kaon and one pi+ keeps the Dalitz distribution of the generator.

    Means of u, u^2 and v^2 after re-orientation agree with the generated ones within 5 standard
    errors; the kaon, the kept pi+ and the pion masses are unchanged.
    """
    rng = np.random.default_rng(3)
    n = 200_000
    fs = generate_mode("pipipi", generate_beam(CARD, n, rng).p4, rng)
    slot = rng.integers(0, 2, n)
    new = reoriented_pair(fs, slot, np.random.default_rng(4))
    kept = np.where(slot[:, None] == 0, fs.slots[0].p4, fs.slots[1].p4)
    assert np.array_equal(np.where(slot[:, None] == 0, new.slots[0].p4, new.slots[1].p4), kept)
    assert np.allclose(sum(s.p4 for s in new.slots), sum(s.p4 for s in fs.slots), rtol=1e-9, atol=1e-6)
    for s in new.slots:
        m2 = s.p4[:, 0] ** 2 - np.sum(s.p4[:, 1:] ** 2, axis=1)
        assert np.allclose(np.sqrt(m2), M_PI, rtol=1e-5)
    u0, v0 = _dalitz_uv(fs)
    u1, v1 = _dalitz_uv(new)
    for a, b in ((u0, u1), (u0**2, u1**2), (v0**2, v1**2)):
        err = math.hypot(a.std(), b.std()) / math.sqrt(n)
        assert abs(a.mean() - b.mean()) < 5 * err


def _plain(fs_rows, slot, vertex, n_rep, rng):
    """Sums of w, w^2 and the count of single-track replicas over ``n_rep`` re-drawn pairs of each event."""
    sum_w, sum_w2, n_t = np.zeros(fs_rows.n), np.zeros(fs_rows.n), np.zeros(fs_rows.n)
    for _ in range(n_rep):
        r = detector_response(reoriented_pair(fs_rows, slot, rng), vertex, PARAMS, TABLES, rng)
        ok = r.has_track & np.isfinite(r.w_veto)
        w = np.where(ok, r.w_veto, 0.0)
        sum_w += w
        sum_w2 += w**2
        n_t += ok
    return sum_w, sum_w2, n_t


def test_average_is_unbiased_against_plain_monte_carlo():
    """Averaged weights and one-orientation weights estimate the same E[w | single track, kaon, track].

    Events are chosen by a pilot run that does not look at their drawn orientation (choosing them by
    their drawn weight would bias any estimator that uses it).  Plain Monte Carlo: the pair of each
    event re-drawn 2000 times, each run through the detector response; E[w | single track] is the mean
    weight of the replicas with a track.  The averaged estimator (n_orient = 30), replicated with a
    fresh drawn orientation each time (100 replicas), must agree within 4 standard errors of the total.
    """
    beam, fs, resp, rows = _events(30_000, 5)
    rng = np.random.default_rng(6)
    pilot_w, _, pilot_n = _plain(take_final_state(fs, rows), _track_slot(fs, resp, rows), beam.vertex[rows], 30, rng)
    with np.errstate(invalid="ignore", divide="ignore"):
        pilot = np.where(pilot_n >= 5, pilot_w / pilot_n, 0.0)
    rows = rows[np.argsort(-pilot, kind="stable")[:40]]
    sum_w, sum_w2, n_t = _plain(take_final_state(fs, rows), _track_slot(fs, resp, rows), beam.vertex[rows], 2000, rng)
    assert np.all(n_t >= 40)
    plain = sum_w / n_t
    plain_err = math.sqrt(np.sum((sum_w2 / n_t - plain**2) / n_t))
    fs_rows, slot, vtx = take_final_state(fs, rows), _track_slot(fs, resp, rows), beam.vertex[rows]
    s_a, s_a2, n_a = np.zeros(rows.size), np.zeros(rows.size), np.zeros(rows.size)
    for _ in range(100):                     # independent replicas, the drawn orientation included
        new = reoriented_pair(fs_rows, slot, rng)
        ok = np.flatnonzero(np.isfinite(detector_response(new, vtx, PARAMS, TABLES, rng).w_veto))
        a = averaged_pair_veto_weight(new, vtx, ok, PARAMS, TABLES, 30, rng)
        s_a[ok] += a
        s_a2[ok] += a**2
        n_a[ok] += 1
    assert np.all(n_a >= 5)
    avg = s_a / n_a
    avg_err = math.sqrt(np.sum((s_a2 / n_a - avg**2) / (n_a - 1)))
    assert abs(plain.sum() - avg.sum()) < 4 * math.hypot(plain_err, avg_err)
    spread_one = np.sqrt(np.sum(sum_w2 / n_t - plain**2))        # per-replica spread of the total
    spread_avg = np.sqrt(np.sum(s_a2 / n_a - avg**2))
    assert spread_avg < 0.5 * spread_one                            # 30 orientations: less spread than one


def test_more_orientations_spread_the_weight_over_more_events():
    """The Kish effective number of events of the veto weight grows with the number of orientations."""
    beam, fs, resp, rows = _events(100_000, 7)

    def n_eff(k):
        w = averaged_pair_veto_weight(fs, beam.vertex, rows, PARAMS, TABLES, k, np.random.default_rng(8))
        assert np.all((w >= 0) & (w <= 1))
        return w.sum() ** 2 / np.sum(w**2)
    assert n_eff(100) > 1.5 * n_eff(0)


def test_dalitz_bound_holds_on_generated_decays():
    fs = generate_mode("pipipi", generate_beam(CARD, 50_000, np.random.default_rng(9)).p4, np.random.default_rng(9))
    u, v = _dalitz_uv(fs)
    g, h, k = K3PI_CHARGED["g"], K3PI_CHARGED["h"], K3PI_CHARGED["k"]
    rho = 1 + g * u + h * u**2 + k * v**2
    b = dalitz_bound(g, h, k)
    assert np.all(rho <= b) and rho.max() > 0.9 * b
    assert dalitz_bound(0.0, 0.0, 0.0) == 1.0
    assert dalitz_bound(0.0, -0.1, 0.0) == 1.0            # concave: the vertex u = 0 is inside the range


@settings(max_examples=50, deadline=None)
@given(p=st.floats(1_000.0, 80_000.0), theta=st.floats(0.0, 0.05), m=st.floats(2 * M_PI + 1.0, M_K - M_PI),
       cos_t=st.floats(-1.0, 1.0), phi=st.floats(0.0, 2 * math.pi))
def test_pair_decay_conserves_four_momentum(p, theta, m, cos_t, phi):
    pair = np.array([math.hypot(p, m), p * math.sin(theta), 0.0, p * math.cos(theta)])
    out = np.empty((2, 4))
    pair_decay(*pair, M_PI, cos_t, phi, out)
    assert np.allclose(out.sum(axis=0), pair, rtol=1e-9, atol=1e-6)
    for k in range(2):
        m2 = out[k, 0] ** 2 - np.sum(out[k, 1:] ** 2)
        assert math.sqrt(max(m2, 0.0)) == pytest.approx(M_PI, rel=1e-4, abs=0.05)


def test_bad_inputs():
    beam, fs, resp, rows = _events(5_000, 10)
    munu = generate_mode("munu", beam.p4, np.random.default_rng(0))
    with pytest.raises(ValueError, match="no averaged pion pair"):
        averaged_pair_veto_weight(munu, beam.vertex, rows, PARAMS, TABLES, 5, np.random.default_rng(0))
    with pytest.raises(ValueError, match="n_orient"):
        averaged_pair_veto_weight(fs, beam.vertex, rows, PARAMS, TABLES, -1, np.random.default_rng(0))
    no_track = np.flatnonzero(~resp.has_track)[:3]
    with pytest.raises(ValueError, match="single pi\\+ track"):
        averaged_pair_veto_weight(fs, beam.vertex, no_track, PARAMS, TABLES, 5, np.random.default_rng(0))
    with pytest.raises(ValueError, match="track_slot"):
        reoriented_pair(fs, np.full(fs.n, 2), np.random.default_rng(0))
