"""Efficiency tasks of the dump grid: seeded by their (mode, mass) key; closed final states skipped."""

import numpy as np

from na62lab.config.dump import DumpCard
from na62lab.yields import dump_grid
from na62lab.yields.dump_grid import _task, task_seed


def _state(seq):
    return tuple(seq.generate_state(4))


def test_task_seed_depends_on_the_key_only():
    a = task_seed(7, "mixing:eta", 812.5)
    assert _state(a) == _state(task_seed(7, "mixing:eta", 812.5))   # stable, whatever the plan order
    others = [task_seed(8, "mixing:eta", 812.5), task_seed(7, "mixing:pi0", 812.5),
              task_seed(7, "mixing:eta", 812.6)]
    assert all(_state(o) != _state(a) for o in others)


def test_task_is_reproducible_from_its_key():
    card = DumpCard.model_validate(DumpCard().model_dump() | {"mc": DumpCard().mc.model_dump() | {"n_fip": 300}})
    args = ("dark-photon", card, "eta->gammaA", 300.0)
    one = _task(*args, task_seed(card.mc.seed, "eta->gammaA", 300.0), ["ee", "mumu"])
    two = _task(*args, task_seed(card.mc.seed, "eta->gammaA", 300.0), ["ee", "mumu"])
    np.testing.assert_array_equal(one, two)
    assert np.all(np.isfinite(one)) and one.max() > 0


def test_build_seeds_every_task_by_its_key(monkeypatch, tmp_path):
    """Every task gets task_seed(run seed, mode, mass), not its position in the plan (issue 13: the noise
    of a channel changed by 15 % at n_fip = 300 when another channel was added before it)."""
    monkeypatch.setenv("NA62LAB_CACHE", str(tmp_path))
    seen = []

    def fake_map(func, args, workers, scheduler):
        seen.extend(args)
        return [np.zeros((a[1].mc.n_ctau_nodes, len(a[5]))) for a in args]

    monkeypatch.setattr(dump_grid, "map_shards", fake_map)
    monkeypatch.setattr(dump_grid, "_warm_up", lambda *a: None)
    card = DumpCard()
    dump_grid.build_efficiency_tables("dark-photon", card, ["ee"], (20.0, 500.0), use_cache=False)
    assert len({a[2] for a in seen}) >= 3                                  # several modes in the plan
    for _, c, name, mass, seed, _ in seen:
        assert _state(seed) == _state(task_seed(c.mc.seed, name, mass))


def test_closed_final_states_are_nan_and_not_simulated(monkeypatch):
    card = DumpCard()
    calls = []
    monkeypatch.setattr(dump_grid, "production_modes", lambda *a, **k: calls.append(1))
    out = _task("dark-photon", card, "eta->gammaA", 150.0, task_seed(1, "x", 150.0), ["mumu", "KK"])
    assert out.shape == (card.mc.n_ctau_nodes, 2) and np.all(np.isnan(out))   # 2 m_mu = 211 MeV > 150 MeV
    assert calls == []                                                     # nothing sampled
