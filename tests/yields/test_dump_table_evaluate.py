"""EfficiencyTable.evaluate gives the same numbers however the query is batched (its memo of measured nodes,
per-distinct-mass interpolation and shared tau weights are speed-ups only, t91)."""

import numpy as np

from na62lab.yields.dump_tables import EfficiencyTable


def _table(seed: int = 1) -> EfficiencyTable:
    rng = np.random.default_rng(seed)
    eff = rng.random((30, 40, 3)) * (rng.random((30, 40, 3)) > 0.2)
    eff[:3, :, 0] = np.nan           # closed below a threshold
    eff[10, :, 1] = 0.0              # an unmeasured node
    eff[:, :, 2] = 0.0               # a final state never accepted
    return EfficiencyTable("m", np.geomspace(10.0, 2000.0, 30), np.geomspace(1e-4, 1e2, 40), ("a", "b", "c"), eff)


def test_repeated_masses_equal_one_query_per_point():
    rng = np.random.default_rng(2)
    masses = np.exp(rng.uniform(np.log(5.0), np.log(3000.0), 4))
    taus = np.exp(rng.uniform(np.log(1e-5), np.log(1e3), (4 * 41, 7)))
    batched = _table()
    for fs in ("a", "b", "c"):
        got = batched.evaluate(fs, np.repeat(masses, 41), taus, {})
        one = np.concatenate([_table().evaluate(fs, np.array([m]), taus[i:i + 1])
                              for i, m in enumerate(np.repeat(masses, 41))])
        assert np.array_equal(got, one)
    assert not batched.evaluate("c", masses, taus[:4]).any()
