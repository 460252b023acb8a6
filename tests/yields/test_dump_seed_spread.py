"""Seed spread of the hnl-tau efficiency tables on the NA62 Run 2 dump card (t76).

The lower |U_tau|^2 edge (na62_dump_run2, 1e18 POT) moved by 5-18 % between seeds at 0.5-1.4 GeV: the nu e e /
nu mu mu tables of the tau-chain modes rested on few accepted decays (the TAX-pointing cut keeps ~1e-4 of them)
and on ~600 tracked N pointing at the LKr.  Now the decays are importance-sampled
(:mod:`na62lab.generation.dump.invisible_decays`), the tau parents drawn with the momentum-tail proposal
(:mod:`na62lab.generation.dump.taus`) and the tau modes track 4 x ``mc.n_fip`` N
(:data:`na62lab.generation.dump.sources.TAU_FIP_FACTOR`).

Measured, D_s+ -> tau+ (tau -> N pi) at the 1.025 GeV node, E(nu e e) + E(nu mu mu) at tau' = 18 mm/MeV (the
lower edge at 1 GeV), relative standard deviation over seeds:
- the former card setting (``mc.min_accepted`` 20; the NA62 cards ship 80 since t83): 0.215 (6 seeds) ->
  0.197 (12 seeds): a node with 20 plain accepted decays keeps its plain first round, as before;
- 80 effective decays: 0.188 (8 seeds) -> 0.071 (12 seeds); before the 4 x N the scatter was production noise
  (nu e e and nu mu mu moved together).
"""

import numpy as np

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard
from na62lab.fips import get_model
from na62lab.generation.dump.sources import TAU_FIP_FACTOR, production_modes
from na62lab.generation.dump.tables import load_table
from na62lab.yields.dump_grid import _task, task_seed
from na62lab.yields.dump_tables import tau_nodes

CARD = load_card("na62_dump_run2", DumpCard)
MODE = "Ds+->tau+ (tau->N pi)"
MASS = float(np.geomspace(100.0, 3000.0, 20)[13])         # 1024.85 MeV: a node of the default hnl-tau grid
TAU_EDGE = 17.9                                           # c tau / m (mm/MeV) at the 1 GeV lower edge


def _e_sum(seed: int, card: DumpCard) -> float:
    curves = _task("hnl-tau", card, MODE, MASS, task_seed(seed, MODE, MASS), ["nuee", "numumu"])
    taus = np.log(tau_nodes(CARD))
    with np.errstate(divide="ignore"):   # zero efficiency at the shortest lifetimes, far from TAU_EDGE
        logs = np.log(curves)
    return float(sum(np.exp(np.interp(np.log(TAU_EDGE), taus, logs[:, j])) for j in range(2)))


def test_tau_mode_node_seed_spread():
    """80 effective decays (the decay noise small): tolerance 0.16, 2.3 x the measured 0.071 (an 8-seed standard
    deviation scatters by ~25 %); the tables before t76 gave 0.19."""
    card = CARD.model_copy(update={"mc": CARD.mc.model_copy(update={"min_accepted": 80})})
    values = np.array([_e_sum(seed, card) for seed in (2021, 7, 11, 123, 5, 1, 2, 3)])
    print("E sum", values, "rel sd", values.std(ddof=1) / values.mean())
    assert values.std(ddof=1) / values.mean() < 0.16
    assert 5e-7 < values.mean() < 1e-6                     # 7.5e-7 (12 seeds; 7.0e-7 before, 6 seeds)


def test_only_the_u_tau_channels_track_more_fips():
    """hnl-tau's tau -> N X modes track TAU_FIP_FACTOR x n_fip; hnl-e's tau -> nu e N (< 2 % of its production)
    and every other mode n_fip (make run's cost unchanged by them)."""
    table = load_table(CARD.production.production_table)
    for name, factor in (("hnl-tau", TAU_FIP_FACTOR), ("hnl-e", 1)):
        modes = production_modes(get_model(name), CARD, table).modes
        assert {m.fip_factor for m in modes if "tau+ (" in m.name} == {factor}
        assert {m.fip_factor for m in modes if "tau+ (" not in m.name} <= {1}
