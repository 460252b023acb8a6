"""CHARM |U_tau|^2 (hnl-tau, Majorana) against the modern recast of the CHARM heavy-neutrino search (t61).

Reference: Boiarska, Boyarsky, Mikulenko, Ovchynnikov, "Constraints from the CHARM experiment on heavy neutral
leptons with tau mixing", arXiv:2107.14685 (PRD 104 (2021) 095019), 90 % CL, as compiled by HNLimits (id
charm_2021, Majorana) and digitised in exoticdarksectors/grendel-sensitivity (BSD-3-Clause), commit
c4af75bfe39db26668a35013e60600a5023a8bde, curves/data/hnl/hnlimits_001_Utau_majorana/charm_2021_Utau_majorana.dat:
a closed contour, lower edge 0.10-1.60 GeV, upper edge drawn from 1.01 GeV (above the frame, 5.2e-3, below), closing
at 1.604 GeV.  The reference edges below are log-log interpolations between the two quoted neighbouring vertices
(no curve is copied).  Of the paper only the abstract is reachable here: N -> e+ e- nu and mu+ mu- nu, the taus of
D_s -> tau nu; its CHARM geometry, POT, charm cross section, D_s fraction and selection efficiency are not, so
none of them is compared or adopted (our card: 2.4e18 POT, chi_cc = 1.5e-3, Pythia D_s+ 0.086 per c quark).

Setup (test-only, the card is unchanged): the card has no HNL channel (CHARM's 1986 selection, Bergsma et al.,
PLB 166 (1986) 473, is not reachable), so nu e e and nu mu mu are added as copies of its e e channel (background
free, the e+- selected as showers with the card's photon rule); no detection efficiency (the card's 0.51 shower
efficiency applies to its e e / gamma gamma channels by name).  N = 2.3.

Measured (3000 FIPs per node, 8 mass nodes; ratio = ours / reference; seed 3, with seed 4 in brackets):
- lower edge at 0.15 / 0.3 / 0.5 / 0.8 / 1.0 / 1.2 / 1.4 / 1.55 GeV:
  1.26 / 1.18 / 0.90 / 0.82 / 0.91 / 0.91 / 0.96 / 1.00 (1.25 / 1.16 / 0.88 / 0.81 / 0.90 / 0.92 / 0.96 / 0.98);
- upper edge at 1.2 / 1.4 / 1.55 GeV: 0.89 / 0.93 / 0.92 (0.88 / 0.93 / 0.94);
- closing: N_max 4.3 (4.6) at 1.58 GeV, 1.0 (1.1) at 1.62 GeV (reference: closes at 1.604 GeV).
- The tau polarisation and the V-A three-body matrix element (t61, :mod:`na62lab.generation.dump.taus`; before:
  isotropic two-body, flat three-body tau decays) move the lower edge by x 1.00 / 0.98 / 0.97 / 0.99 / 1.01 /
  1.01 / 1.00 / 0.99 and the upper one by x 1.00 / 0.99 / 1.00 (6000 FIPs, same seed, the old kinematics
  restored by monkeypatch): not a source of the remaining differences.
- Before t61 (taus from D_s+ only, unpolarised; 2000 FIPs, seed 3): lower 1.37 / 1.15 / 0.90 / 0.85 / 0.92 /
  0.93 / 0.97 / 1.02 (0.15-1.55 GeV), upper 0.79 / 0.91 / 0.92.  The taus of D+ -> tau+ nu (BR 1.03e-3 from
  f_D+, PDG (1.20 +- 0.27)e-3; 3.3 D+ per D_s+ in the Pythia table) add 6.5 % to the D_s taus and move the
  lower edge by x 0.97 (removing them: x 1.03-1.05, pinned below); with them our c -> N X for U_tau is
  SensCalc's (the recast authors' phenomenology) to 1-2 % (tests/fips/test_hnl_reference_widths.py).
- Monte Carlo per table node (tau modes, 3000 FIPs tracked from a pool of 24000, of which 235-627 point at the
  3 m x 3 m face): 96-481 accepted FIPs per mode, mass and final state: no empty node and no decay rounds
  (``mc.min_accepted`` 0, :mod:`na62lab.yields.dump_tables`), so the rare-acceptance treatment of the NA62 card
  (0-3 accepted FIPs per node above 0.8 GeV there) leaves these ratios bit-identical.
- Since t76 the tau parents are drawn with the card's momentum-tail proposal (exact weights,
  :mod:`na62lab.generation.dump.taus`), the U_tau modes track 4 x ``mc.n_fip`` N and N -> nu l l is
  importance-sampled under a pointing cut; the ratios above were measured before.  Re-measured (t82, seed 3,
  commit 767dd85): lower 1.25 / 1.17 / 0.89 / 0.81 / 0.91 / 0.93 / 0.96 / 0.96, upper 0.83 / 0.92 / 0.97,
  lower edge without the D+ taus / with 1.014-1.042; inside every band below.
- Production at the lower edge: the taus (tau -> N rho, N pi, N l nu) from 0.2 GeV up, D_s -> tau N below
  0.19 GeV (57 % at 0.15 GeV); tau -> N pi carries 60-90 % above 1.2 GeV.
- With the card's shower efficiency 0.51 on both channels: lower 1.13-1.83, upper 0.65-0.83 (which the recast
  used is not reachable; the 0.51 is ALPINIST's photon-shower value, not a CHARM HNL number).

What remains: below 0.3 GeV ours is 1.16-1.30 x weaker (the edge there rests on D_s -> tau N and the softest taus
in the 3 m x 3 m face 4.8 m off axis, where the MC scatter is largest: 1.25-1.30 at 0.15 GeV with seeds 3-5);
0.5-1.2 GeV ours is 0.81-0.93 (stronger), within the spread of plausible efficiencies.  Not modelled, in the
direction of more events: tau -> N + multi-meson channels (a1 -> 3 pi, ...; up to 27 % of the tau width at
m_N -> 0, open only below 1.36 GeV; arXiv:1805.08567 Sec. 2.3 does not list them).  Nothing is tuned: the
bands hold the seed-3 values with the MC margin (seed spread above).
"""

import numpy as np
import pytest

from na62lab.analyses.beam_dump_references import crossings
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.physics.units import GeV
from na62lab.yields.dump_grid import expected_events

from .reference_vertices import log_vertex_at as _at   # log-log: (mass GeV, |U_tau|^2)

LIMIT = 2.3
CHANNELS = ("nuee", "numumu")


LOWER = {   # GeV -> lower |U_tau|^2, charm_2021_Utau_majorana.dat (neighbouring vertices quoted)
    0.15: _at(0.15, (0.121908143, 3.44613036e-04), (0.157771965, 1.72278115e-04)),
    0.3: _at(0.3, (0.249465297, 6.24587999e-05), (0.317988984, 3.01859023e-05)),
    0.5: _at(0.5, (0.446657992, 1.09437884e-05), (0.586889202, 5.02743413e-06)),
    0.8: _at(0.8, (0.739087377, 2.73504518e-06), (0.809524097, 2.27081184e-06)),
    1.0: _at(1.0, (0.995090675, 1.88537523e-06), (1.02889586, 2.01731428e-06)),
    1.2: _at(1.2, (1.17234599, 1.88537523e-06), (1.25332483, 1.95022931e-06)),
    1.4: _at(1.4, (1.36457169, 2.34892437e-06), (1.42386881, 2.78168818e-06)),
    1.55: _at(1.55, (1.54103572, 5.47099220e-06), (1.57426761, 8.07191805e-06)),
}
UPPER = {   # GeV -> upper |U_tau|^2, same file
    1.2: _at(1.2, (1.18123978, 1.63295530e-03), (1.24368495, 1.06998026e-03)),
    1.4: _at(1.4, (1.32139120, 6.55241610e-04), (1.40393695, 3.81412875e-04)),
    1.55: _at(1.55, (1.54676661, 1.18758144e-04), (1.57032417, 8.90874240e-05)),
}
CLOSING = (1.58, 1.62)
"""Masses (GeV) just below and above the reference's closing mass 1.604 GeV."""


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    """hnl-tau expected events on the charm card with test-only nu e e, nu mu mu channels, in an empty cache."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NA62LAB_CACHE", str(tmp_path_factory.mktemp("cache")))
        card = load_card("charm", DumpCard)
        card = card.model_copy(update={
            "channels": dict(card.channels) | {c: card.channels["ee"] for c in CHANNELS},
            "mc": DumpMC(n_fip=3000, n_mass_nodes=8, n_ctau_nodes=60, seed=3)})
        masses = np.array(sorted(LOWER) + list(CLOSING)) * GeV
        return expected_events("hnl-tau", card, masses, np.geomspace(1e-8, 1e-1, 400),
                               final_states=list(CHANNELS), use_cache=False)


def _edges(grid, events: np.ndarray) -> np.ndarray:
    return np.array([crossings(grid.couplings, row, LIMIT) for row in events])


def _assert_bands(values, bands, shown) -> None:
    for (lo, hi), value in zip(bands, values):
        assert lo < value < hi, shown


def test_charm_hnl_tau_lower_edge_against_the_recast(grid):
    n = len(LOWER)
    r = _edges(grid, grid.total[:n])[:, 0] / np.array([LOWER[m] for m in sorted(LOWER)])
    print("HNL CHARM |U_tau|^2 ours/recast lower", np.round(r, 3))
    # measured 1.25, 1.17, 0.89, 0.81, 0.91, 0.93, 0.96, 0.96 (seed 3; before t76 1.26 ... 1.00, docstring)
    _assert_bands(r, [(1.1, 1.42), (1.04, 1.28), (0.79, 0.98), (0.74, 0.94), (0.82, 1.01), (0.82, 1.01),
                      (0.87, 1.06), (0.9, 1.11)], r)


def test_charm_hnl_tau_upper_edge_and_closing_mass(grid):
    rows = [sorted(LOWER).index(m) for m in sorted(UPPER)]
    r = _edges(grid, grid.total[rows])[:, 1] / np.array([UPPER[m] for m in sorted(UPPER)])
    print("HNL CHARM |U_tau|^2 ours/recast upper", np.round(r, 3))
    _assert_bands(r, [(0.78, 1.0), (0.84, 1.03), (0.83, 1.07)], r)     # measured 0.83, 0.92, 0.97 (0.89, 0.93, 0.92)
    n_max = grid.total[len(LOWER):].max(axis=1)
    assert n_max[0] > LIMIT > n_max[1], n_max       # measured 4.3 / 1.0: closes between 1.58 and 1.62 GeV


def test_dplus_taus_share(grid):
    """The taus of D+ -> tau+ nu (t61) lower the edge by 3-5 % (their 6.5 % of the taus)."""
    n = len(LOWER)
    dplus = sum(v for k, v in grid.by_mode.items() if k.startswith("D+->tau+ ("))
    without = _edges(grid, (grid.total - dplus)[:n])[:, 0] / _edges(grid, grid.total[:n])[:, 0]
    print("lower edge without the D+ taus / with", np.round(without, 3))
    assert np.all((without > 1.01) & (without < 1.07)), without     # measured 1.014-1.042
