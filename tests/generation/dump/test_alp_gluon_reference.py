"""BC11 (gluon-coupled ALP) at NA62 against an independent calculation: ALPINIST's NA62 event table.

Reference: Jerhot, Dobrich, Ertas, Kahlhoefer, Spadaro, arXiv:2201.05170 (ALPINIST), public code
jjerhot/ALPINIST (BSD-3), file tab_toPlot/NA62/NA62_mX_CGG_fixed-CBB0-CWW0-Cll0-Cqq0.dat at commit
a0dbe277631ff074fdf8b54f879d73798916fa9d: expected events N(m_a, C_GG/Lambda) for a gluon-only ALP,
all production (Primakoff, photons from mesons, pi0/eta/eta' mixing, B and D decays) and decay
channels, NA62 dump geometry with POT = 1e19 and unit efficiency (ALP_decay/src/ExpParameters.C at
the same commit).  The values below are where that table crosses N = 2.3 (log-log interpolation
between its grid points), converted with 1/f_G = 32 pi^2 C_GG/Lambda (Aloni, Soreq, Williams
arXiv:1811.03474; the convention of :mod:`na62lab.fips.alp`).

The POT of the table is read from the code, not from the table: ALPINIST's per-mode table
tab_decay/NA62/NA62_mixingPi0_2Gamma.dat with its own mixing angle and a -> gamma gamma width at the
table's commit (ALP_rescale/alp/effective_coupling.py: C_gamma^eff = -1.92 C_GG plus the pi0/eta/eta'
mixing terms, angles without the isospin-breaking delta_I terms) gives N = 2.32 and 2.25 at its 0.081 and
0.150 GeV lower edges, i.e. the summed 1e19 table (pi0 mixing is all of it there).

Ours: the Run 2 card at 1e19 POT (its assumed efficiencies, 0.85 for gamma gamma, move the edge by +4 %).
Measured ours/ALPINIST (n_fip = 800, 49 couplings, this test): 0.83, 1.12, 1.15, 1.52, 1.16 at 0.082, 0.222,
0.480, 0.709, 1.009 GeV (edge ~ N^-1/4 in this long-lived regime). Known differences, none tuned away (per
production mode and decay channel: :mod:`na62lab.analyses.beam_dump_references`, BC11_NOTE): our a -> gamma
gamma is the ASW digitised width, theirs their analytic one (ours/theirs 1.00, 1.14, 1.17, 0.68, 0.77 at
these masses); our theta_pi0^2 is 1.11-1.41 x theirs below 0.5 GeV (delta_I terms); our light-meson yields
are NA27's measured ones (pi0 3.9, eta 0.30 per collision; our Pythia table gives 5.05 and 0.58, ALPINIST
uses its own Pythia soft-QCD count, not read here); K+ -> pi+ a adds 15 % at 0.08 GeV (not in ALPINIST); our
mixing yield x acceptance per theta^2 per width falls from 1.5 x theirs at 0.08 GeV to 0.37 x at 0.31 GeV
(theirs grows as m^1.7, ours as m^0.5-0.8: not understood); near 0.7 GeV, where a -> pi pi gamma is 88 % of
the width in both, we require the photon in the LKr as NA62 reconstructs the full final state (x0.5-0.6),
while ALPINIST's NA62 two-hadron condition asks only for the two tracks (E > 5 GeV, STRAW 1 and 4, LKr):
with the eta yield our events there are 0.23 of theirs.
"""

import numpy as np
import pytest

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.yields.dump_grid import expected_events

ALPINIST_LOWER_EDGE_1E19 = {81.454: 3.459e-5, 221.65: 7.625e-6, 479.78: 1.860e-6, 709.26: 2.250e-6,
                            1009.3: 4.336e-7}
"""m_a (MeV) -> 1/f_G (GeV^-1) at N = 2.3, 1e19 POT (module docstring)."""


pytestmark = pytest.mark.usefixtures("isolated_cache")


def _lower_edges() -> np.ndarray:
    card = load_card("na62_dump_run2", DumpCard)
    card = card.model_copy(update={"run": card.run.model_copy(update={"n_pot": 1e19}),
                                   "mc": DumpMC(n_fip=800, n_mass_nodes=10, n_ctau_nodes=60, seed=3)})
    masses = np.array(sorted(ALPINIST_LOWER_EDGE_1E19))
    couplings = np.geomspace(1e-7, 1e-3, 49)
    n = expected_events("alp-gluon", card, masses, couplings, use_cache=False).total
    edges = []
    for row in n:
        j = int(np.argmax(row >= 2.3))
        assert j > 0 and row[j] >= 2.3
        t = np.log(2.3 / row[j - 1]) / np.log(row[j] / row[j - 1])
        edges.append(couplings[j - 1] * (couplings[j] / couplings[j - 1]) ** t)
    return np.array(edges)


def test_bc11_lower_edge_agrees_with_alpinist():
    ours = _lower_edges()
    ratio = ours / np.array([ALPINIST_LOWER_EDGE_1E19[m] for m in sorted(ALPINIST_LOWER_EDGE_1E19)])
    print("ours/ALPINIST lower edge:", np.round(ratio, 2))
    assert np.all((ratio[[0, 1, 2, 4]] > 0.7) & (ratio[[0, 1, 2, 4]] < 1.4))
    assert 1.0 < ratio[3] < 2.0          # the pi pi gamma region: photon required (module docstring)
