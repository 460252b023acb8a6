"""BC9 (photon-coupled ALP) at NA62 in dump mode against ALPINIST's NA62 event table.

Reference: Jerhot, Dobrich, Ertas, Kahlhoefer, Spadaro, arXiv:2201.05170 (ALPINIST), public code
jjerhot/ALPINIST (BSD-3), commit a0dbe277631ff074fdf8b54f879d73798916fa9d, file
tab_toPlot/NA62/NA62_mX_CBB_fixed-CWW0-CGG0-Cll0-Cqq0_2Gamma.dat: rows (m_a GeV, C_BB/Lambda GeV^-1,
expected a -> gamma gamma events), C_BB only, all production modes summed.  The grid: 601 masses
log-spaced from 1e-4 to 3.05 GeV (m_i = 10^(-4 + 0.0074738 i)), 201 couplings 1e-11 to 0.1 GeV^-1 per
mass, so row (i, j) starts at character 33 (201 i + j); NA62_BC9 holds the two rows bracketing N = 2.3
on each edge, crossing interpolated in log-log.  Conditions of the table (ALP_decay/src/ExpParameters.C,
NA62 case, same commit): 1e19 POT, efficiency 1, copper TAX at 23.07 m, photon pairs decaying from
102 m up to the LKr (241.495 m), both photons in the LKr octagon, > 0.15 m from the axis, > 0.1 m apart,
E > 1 GeV each, sum > 3 GeV; production: Primakoff conversion of the photons of Pythia's 400 GeV
collisions (meson-decay photons, the primary collision only; ALPINIST's 'PhotonFromMeson' mode) plus its
'Primakoff' mode, the beam proton's equivalent photons (Budnev density, ALP_production/modes/photoproduction.py,
summed into the table with the other modes: ALP_rescale/alp/load_data.py) = our photon fusion
(na62lab.generation.dump.photon_fusion, card production.photon_fusion, on in both variants below).
Coupling: g_agg = 16 pi alpha C_BB/Lambda with alpha = 1/137 (their width e^4 g^2 m^3/(4 pi) =
g_agg^2 m^3/(64 pi); ALP_rescale/alp/decay_widths.py, effective_coupling.py g_gg_eff = C_BB/Lambda for
C_BB alone), as in tests/analyses/test_alpinist_bc9_bc11_reference.py for CHARM, SHADOWS and SHiP.

Ours: the Run 2 card at 1e19 POT.  Measured ours/ALPINIST (lower, upper edge at 50/99/201/400 MeV):

- with ALPINIST's assumptions (primary-collision photons only, production.primakoff_cascade off, and no
  unsimulated efficiency): lower 0.96/0.95/0.95/0.97, upper 0.94/0.94/0.96/0.93 (n_fip = 5000, seed 3;
  without photon fusion 1.00/0.98/0.98/1.00, 0.94/0.94/0.95/0.92; before, with 20000 FIPs, lower
  0.99/0.98/0.99/0.99, upper 0.87/0.91/0.95/0.93: the upper edge converges slowly);
- the card as shipped (Primakoff on the photons of the whole hadronic and electromagnetic cascade in the
  TAX, arXiv:1904.02091 for the mechanism, as issue 13 asks for BC9; the card's assumed photon-pair
  efficiency 0.846): lower 0.54/0.59/0.65/0.73, upper 0.94/0.93/0.95/0.92 (n_fip = 5000, seed 3, with photon
  fusion; without 0.54/0.59/0.65/0.74, 0.94/0.93/0.94/0.91; the earlier pinned upper 0.81/0.91/0.78/0.74 is
  not reproduced on this tree with photon fusion off either).  Photon fusion is 1.1-1.4 % of the cascade
  Primakoff per POT at 20-400 MeV on copper.  The cascade photons, absent in ALPINIST, give x4-12
  long-lived events at 50-400 MeV; the efficiency moves the lower edge by +4 %.
Nothing was tuned: the primary-photon agreement comes from the same Pythia photon yields, the Primakoff
cross section on copper and the same LKr conditions (our card carries ALPINIST's octagon and photon cuts;
our decay volume starts at 105 m instead of 102 m).
"""

import numpy as np
import pytest

from na62lab.analyses import beam_dump_references as references
from na62lab.analyses.beam_dump_references import crossings
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.yields.dump_grid import expected_events

N_90 = 2.3
G_PER_CBB = references.BC9.per_coupling   # g_agg = 16 pi alpha C_BB/Lambda, alpha = 1/137
"""g_agg (GeV^-1) per C_BB/Lambda (GeV^-1), ALPINIST's alpha = 1/137."""
NA62_BC9 = {
    49.895: ((2.8219e-06, 1.4700), (3.1663e-06, 2.3297), (1.2613e-03, 22.863), (1.4152e-03, 1.8468)),
    99.313: ((1.7804e-06, 2.2583), (1.9977e-06, 3.5658), (3.1677e-04, 7.5414), (3.5543e-04, 0.63757)),
    201.11: ((1.0012e-06, 1.8207), (1.1233e-06, 2.8525), (6.3195e-05, 9.3877), (7.0906e-05, 1.8455)),
    400.30: ((6.3166e-07, 1.5447), (7.0874e-07, 2.3454), (1.2607e-05, 5.2813), (1.4145e-05, 1.8958)),
}
"""m_a (MeV) -> (C_BB/Lambda, N) rows below/above the lower edge, then above/below the upper edge."""


pytestmark = pytest.mark.usefixtures("isolated_cache")


def _log_crossing(x, n) -> float:
    """x where n crosses N_90, log-log between two points (n in any order)."""
    order = np.argsort(n)
    return float(np.exp(np.interp(np.log(N_90), np.log(np.asarray(n)[order]), np.log(np.asarray(x)[order]))))


def reference_edges() -> np.ndarray:
    """(n_m, 2) ALPINIST lower and upper edge in g_agg (GeV^-1)."""
    return np.array([[_log_crossing(*zip(*rows[:2])), _log_crossing(*zip(*rows[2:]))]
                     for rows in NA62_BC9.values()]) * G_PER_CBB


def our_edges(n_fip: int, cascade: bool, efficiencies: bool) -> np.ndarray:
    """(n_m, 2) our lower and upper edge in g_agg (GeV^-1), Run 2 card at 1e19 POT."""
    card = load_card("na62_dump_run2", DumpCard)
    selection = card.selection if efficiencies else card.selection.model_copy(update={"efficiencies": ()})
    card = card.model_copy(update={
        "run": card.run.model_copy(update={"n_pot": 1e19}), "selection": selection,
        "production": card.production.model_copy(update={"primakoff_cascade": cascade}),
        "mc": DumpMC(n_fip=n_fip, n_mass_nodes=4, n_ctau_nodes=60, seed=3)})
    g = np.geomspace(1e-8, 1e-2, 240)
    total = expected_events("alp-photon", card, np.array(sorted(NA62_BC9)), g, use_cache=False).total
    return np.array([crossings(g, row, N_90) for row in total])   # NaN (test fails) if an edge is open


def test_reference_rows_bracket_the_edges():
    ref = reference_edges()
    assert np.all(np.diff(ref[:, 0]) < 0) and np.all(np.diff(ref[:, 1]) < 0)
    assert ref[0, 0] == pytest.approx(3.16e-6 * G_PER_CBB, rel=0.01)


@pytest.mark.parametrize("cascade, efficiencies, lower, upper", [
    (False, False, (0.9, 1.1), (0.7, 1.1)),      # measured lower 0.95-0.97, upper 0.93-0.96 (5000 FIPs)
    (True, True, (0.45, 0.82), (0.6, 1.05))])    # measured lower 0.54-0.73, upper 0.92-0.95
def test_na62_bc9_edges_against_alpinist(cascade, efficiencies, lower, upper):
    ratio = our_edges(5000, cascade, efficiencies) / reference_edges()
    print("cascade", cascade, "ours/ALPINIST lower", np.round(ratio[:, 0], 3), "upper", np.round(ratio[:, 1], 3))
    assert np.all((ratio[:, 0] > lower[0]) & (ratio[:, 0] < lower[1])), ratio
    assert np.all((ratio[:, 1] > upper[0]) & (ratio[:, 1] < upper[1])), ratio
    if cascade:
        assert np.all(np.diff(ratio[:, 0]) > 0)   # the cascade's soft photons matter most at low mass
