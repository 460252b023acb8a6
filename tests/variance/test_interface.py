"""The variance-reduction package: one interface (resamplers, averagers) used by the kaon chunk; old import
paths re-export the moved modules."""

import importlib

import numpy as np
import pytest

from na62lab.config import load_card
from na62lab.config.kaon import KaonCard
from na62lab.detector.params import detector_params, veto_tables
from na62lab.detector.response import detector_response
from na62lab.generation.kaon.beam import generate_beam
from na62lab.generation.kaon.decays import generate_mode
from na62lab.selection.kaon_cuts import KINEMATIC
from na62lab.variance import kaon as variance
from na62lab.variance.splitting import take_beam, take_final_state
from na62lab.yields.kaon_sim import MODE_INDEX, simulate_chunk

OLD_PATHS = {"na62lab.detector.pi0_veto": "na62lab.variance.pi0_orientation",
             "na62lab.detector.pion_pair_veto": "na62lab.variance.pair_orientation",
             "na62lab.generation.kaon.splitting": "na62lab.variance.splitting"}


@pytest.fixture(scope="module")
def card():
    return load_card("na62_kaon_2021_22", KaonCard)


def _with_run(card, **update):
    return card.model_copy(update={"run": card.run.model_copy(update=update)})


@pytest.mark.parametrize("old", sorted(OLD_PATHS))
def test_old_import_paths_are_the_moved_objects(old):
    a, b = importlib.import_module(old), importlib.import_module(OLD_PATHS[old])
    assert len(a.__all__) >= 6
    for name in a.__all__:
        assert getattr(a, name) is getattr(b, name), name


def test_everything_off_is_the_identity(card):
    off = _with_run(card, pi0_orientations=0, pair_orientations=0, k3pi_edge_split=1, importance_mmiss2_gev2={},
                    importance_veto={})
    params, tables, rng = detector_params(off), veto_tables(off), np.random.default_rng(1)
    beam = generate_beam(off, 500, rng)
    fs = generate_mode("pipipi", beam.p4, rng)
    state = rng.bit_generator.state
    b2, f2, w, origin = variance.resample(off, "pipipi", beam, fs, rng, params, tables, detector_response)
    assert b2 is beam and f2 is fs and w is None
    assert origin.tolist() == list(range(fs.n))
    w_veto = np.full(10, 0.5, np.float32)
    variance.average_vetoes(off, "pipipi", w_veto, np.arange(10), np.arange(10), np.ones(10, np.int8), fs,
                            beam.vertex, params, tables, rng)
    assert np.all(w_veto == 0.5)
    assert rng.bit_generator.state == state                       # nothing drawn


def test_the_chunk_runs_every_resampler_and_averager_of_the_interface(card, monkeypatch):
    """A resampler and an averager added to the interface's tuples act on the simulation's output."""
    calls = []

    def first_half(card, mode, beam, fs, w_split, **_):           # keep decays 0 .. n/2 - 1 with weight 2
        if mode != "munu":
            return beam, fs, w_split, None
        rows = np.arange(fs.n // 2)
        return take_beam(beam, rows), take_final_state(fs, rows), np.full(rows.size, 2.0), rows

    def mark(card, mode, w_veto, rows, *args):
        calls.append(mode)
        if mode == "munu":
            w_veto[rows] = -1.0

    on = _with_run(card, pi0_orientations=0, pair_orientations=0)
    base = simulate_chunk(on, 20_000, np.random.default_rng(4))
    monkeypatch.setattr(variance, "RESAMPLERS", variance.RESAMPLERS + (first_half,))
    monkeypatch.setattr(variance, "AVERAGERS", variance.AVERAGERS + (mark,))
    res = simulate_chunk(on, 20_000, np.random.default_rng(4))
    assert set(calls) == set(res.n_generated)
    mu = res.columns["mode"] == MODE_INDEX["munu"]
    mu0 = base.columns["mode"] == MODE_INDEX["munu"]
    assert res.columns["decay"][mu].max() < res.n_generated["munu"] // 2
    assert 0.4 < mu.sum() / mu0.sum() < 0.6
    w = res.columns["w_decay"][mu]
    w0 = base.columns["w_decay"][mu0]
    assert np.nanmean(w) == pytest.approx(2 * np.nanmean(w0), rel=0.05)
    kin = (res.columns["flags"][mu] & KINEMATIC) == KINEMATIC
    assert kin.any() and np.all(res.columns["w_veto"][mu][kin] == -1.0)


def test_resamplers_and_averagers_in_documented_order():
    assert variance.RESAMPLERS == (variance.split_near_edge, variance.importance_by_mmiss2,
                                   variance.importance_by_veto)
    assert variance.AVERAGERS == (variance.average_pi0_orientations, variance.average_pair_orientations)
