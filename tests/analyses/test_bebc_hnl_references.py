"""The bebc card (CERN WA66, 1982, 400 GeV protons on copper, BEBC 404 m downstream) against the public BEBC
heavy-neutral-lepton curves (issue 16).

Sources (no curve is copied: the reference edges below are read off the files, log-log interpolated between the
two quoted neighbouring vertices):

- exoticdarksectors/grendel-sensitivity (BSD-3-Clause), commit c4af75bfe39db26668a35013e60600a5023a8bde, the
  HNLimits compilation (mhostert/Heavy-Neutrino-Limits, Majorana HNL, 90 % CL) as converted there:
  * curves/data/hnl/hnlimits_100_Ue_majorana/bebc_barouki_Ue_majorana.dat and
    hnlimits_001_Utau_majorana/bebc_barouki_Utau_majorana.dat: the recast of Barouki, Marocco, Sarkar,
    arXiv:2208.00416 (SciPost Phys. 13 (2022) 118), its Figs. 4-5 (HNL_Dump README).  The U_tau file
    interleaves the lower edge with upper-edge points (above 1.19 GeV; below, the region apparently leaves the
    figure, whose top is 7e-3): only lower-edge vertices are quoted for the lower edge.
  * hnlimits_010_Umu_majorana/bebc_Umu_majorana.dat: the original BEBC |U_mu|^2 limit (Cooper-Sarkar et al.,
    PLB 160 (1985) 207; not reachable here: its production model and channels are unknown).
- The recast's inputs, from its public code ryanbarouki/HNL_Dump (src/experimental_constants.py, signal_processor.py,
  cross_sections.py, branching_ratios.py, hnl_decay_channels/): the card's header lists what the card takes
  from it.  Its charm normalisation, used below only as a test-only decomposition: a prompt nu_e flux of
  4.1e-4 per POT, D+- : D0 : D_s = 1 : 2 : 0.6 (P_TO_DSDS_X = 0.2 (D0 + D+-)), N(D+-) = flux / (BR(D+ -> e X)
  + 2 BR(D0 -> e X)) with the PDG 16.07 % and 6.49 %, and a factor 2 "to account for anti-HNLs"; read literally,
  D+- / D0 / D_s = 2.8e-3 / 5.6e-3 / 1.7e-3 per POT against our 8.5e-4 / 1.6e-3 / 2.6e-4 (Pythia, chi_cc =
  1.5e-3, primary interaction only): x3.3 / x3.5 / x6.6.  Of the 6.6 for D_s: 1.9 is the D_s / D ratio (0.2
  against Pythia's 0.10), the rest the normalisation (our prompt nu_e + nu_ebar from D+, D0, D_s with the PDG
  inclusive BRs: 2.6e-4 per POT; the recast's
  4.1e-4 is a measured flux, which includes the charm of secondary interactions in the thick dump, not on this
  card, cascade_charm = 1 as on every 400 GeV card but ship's; and its factor 2 doubles the count if that flux
  counts nu_e and nu_ebar).  The recast produces N only in D -> l N, D_s -> l N, D_s -> tau nu (tau -> N X) and
  B decays: no semileptonic D -> K(*) l N, no kaons.
- Threshold: N = 2.3 (the card: no event observed, no background, 90 % CL; the recast's OBSERVED_EVENTS = 2.3).

Measured (this test's MC: 2000 FIPs, 6 mass nodes, seed 3; ratio = ours / reference; the card as committed):

|U_e|^2 (hnl-e; channels nu e e, e mu nu, e pi, nu mu mu as the recast's):
- lower edge at 0.3 / 0.5 / 0.8 / 1.0 / 1.3 / 1.6 / 1.8 GeV: 0.11 / 0.97 / 1.89 / 2.27 / 2.26 / 1.96 / 1.56.
- 0.3 GeV: 97 % of our events are K+ -> e+ N of kaons decaying in the copper before absorption (physics we keep,
  as on the CHARM card; not in the recast); without them 0.61 (D -> K e N, not in the recast, then dominate).
- 0.8-1.8 GeV (D_s -> e N 45-95 % of our events): the recast's charm normalisation (test-only, above) gives 0.86 /
  0.95 / 0.92 / 0.79 / 0.61: the factor ~2 is that normalisation.  At 0.5 GeV it gives 0.51: there 90 % of our
  events are D -> K(*) e N, which the recast does not have.  The rest (0.6-0.95) is not decomposed (candidates:
  Majorana vs Dirac counting of the widths and of the "anti-HNLs", the meson spectra).
- upper edge at 0.8 / 1.0 / 1.3 / 1.6 / 1.8 GeV: 0.82 / 0.64 / 0.52 / 0.54 / 0.52: our total width is larger
  (Majorana, both charge-conjugate final states, arXiv:1805.08567 Sec. 3; the recast's hadronic width above 1 GeV
  is neutral-current u, d quarks plus charged-current u d, no s quark, no QCD correction: "non considered
  channels" in its particles/hnl.py).

|U_tau|^2 (hnl-tau; nu e e, nu mu mu, the recast's channels):
- lower edge at 0.3 / 0.5 / 0.8 / 1.0 / 1.3 / 1.5 GeV: 2.83 / 1.93 / 1.75 / 2.87 / 4.34 / 7.11 (all tau -> N X, the
  taus of D_s+ and, +6.5 %, D+ -> tau nu; polarised taus, 8fe9e51; before it 2.89 / 1.95 / 1.80 / 2.88 / 4.26 /
  7.08); with the recast's charm normalisation 1.12 / 0.76 / 0.69 / 1.13 / 1.63 / 2.26 (before 1.14 / 0.77 / 0.71 /
  1.13 / 1.59 / 2.24).  That test-only rescaling multiplies the D+ -> tau nu modes by the recast's D+ factor, though
  the recast has no D+ taus: without them 1.13 / 0.78 / 0.70 / 1.15 / 1.66 / 2.31 (measured, not asserted).
- The rise at 1.0-1.5 GeV is the recast code's tau -> N pi rate (HNL_Dump src/branching_ratios.py TAU_TO_PI_HNL,
  commit 5d25d44e03f0144ae8024804e25acdd4bf997f86): it takes sqrt(lambda + 1) where arXiv:1805.08567 Sec. 2.3 has the
  Kallen sqrt(lambda(1, x_pi, y_N)), which vanishes at the end point m_tau - m_pi = 1.64 GeV (theirs does not; at m_N
  -> 0 theirs is 1.42 x BR(tau -> pi nu) instead of 1, so this is not a convention); its rate is 1.44 / 1.48 / 1.62 /
  1.79 / 2.46 / 4.15 x the correct one at these masses (if the published figure used this code: both stored versions
  of the file have it).  With that rate and the charm normalisation (test-only): 1.09 / 0.74 / 0.66 / 0.98 / 1.13 /
  1.11 (before the polarisation 1.11 / 0.75 / 0.68 / 0.98 / 1.10 / 1.10).  The lifetime suppression at our lower
  edge is a smaller part: without it (U^4 extrapolation from U^2 = 1e-9) the charm-normalised edge is 1.56 / 2.01
  instead of 1.63 / 2.26 at 1.3 / 1.5 GeV (before 1.53 / 1.97 and 1.59 / 2.24).  (The recast has no tau -> N rho,
  27-48 % of our events at 0.3-0.8 GeV.)
- upper edge at 1.3 / 1.5 GeV: 0.22 / 0.16 (0.22 / 0.17 before the polarisation; reference 3.7e-3 / 1.2e-3): our
  total width is larger (above) and the recast's upper edge rests on its tau -> N pi rate too.

|U_mu|^2 (hnl-mu, against the 1985 BEBC curve; mu pi assumed on the card):
- lower edge at 0.4 / 0.6 / 0.8 / 1.0 / 1.4 / 1.7 GeV: 0.16 / 0.34 / 0.53 / 0.61 / 0.72 / 0.85: ours is stronger,
  most at low mass, where D -> K(*) mu N (75-91 % of our events at 0.4-0.6 GeV) dominates; the 1985 analysis's
  production model and channels are not reachable, so this is not decomposed.

Nothing here is tuned; bands hold the measured values with the MC margin (seed 4 instead of 3 moves the lower-edge
ratios by <= 7 %, 5000 FIPs instead of 2000 by <= 4 %, measured when this test was written).
"""

import numpy as np
import pytest

from na62lab.analyses.beam_dump_references import crossings
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.fips.constants import pdg_mass
from na62lab.generation.dump.tables import load_table
from na62lab.physics.units import GeV
from na62lab.yields.dump_grid import expected_events

from .reference_vertices import log_vertex_at as _at   # log-log: (mass GeV, |U|^2)

LIMIT = 2.3
FLUX_NUE_PER_POT = 4.1e-4
"""The recast's prompt nu_e flux per POT (HNL_Dump experimental_constants.py, ELECTRON_NU_MASSLESS_FLUX / POT)."""
BR_D_E, BR_D0_E = 0.1607, 0.0649
"""BR(D+ -> e X), BR(D0 -> e X) of the recast's normalisation (HNL_Dump branching_ratios.py, PDG)."""


UE_LOWER = {    # bebc_barouki_Ue_majorana.dat, bottom
    0.3: _at(0.3, (0.277579495, 3.38313862e-06), (0.314774967, 2.23744440e-06)),
    0.5: _at(0.5, (0.463556851, 6.32930101e-07), (0.500752322, 5.08467768e-07)),
    0.8: _at(0.8, (0.798316092, 1.14208087e-07), (0.835511563, 9.78955480e-08)),
    1.0: _at(1.0, (0.984293448, 6.03571783e-08), (1.02148892, 5.48508976e-08)),
    1.3: _at(1.3, (1.28185722, 3.29313394e-08), (1.31905269, 3.12600989e-08)),
    1.6: _at(1.6, (1.57942099, 3.01185379e-08), (1.61661646, 3.16277351e-08)),
    1.8: _at(1.8, (1.76539834, 4.64205695e-08), (1.80259381, 5.74770831e-08)),
}
UE_UPPER = {    # bebc_barouki_Ue_majorana.dat, top
    0.8: _at(0.8, (0.784790466, 3.11309580e-02), (0.821985937, 2.39682118e-02)),
    1.0: _at(1.0, (0.970767822, 9.22798681e-03), (1.00796329, 7.38975097e-03)),
    1.3: _at(1.3, (1.26833159, 1.96126604e-03), (1.30552706, 1.59751578e-03)),
    1.6: _at(1.6, (1.56589536, 4.81665399e-04), (1.60309083, 4.09372464e-04)),
    1.8: _at(1.8, (1.78906819, 1.80390988e-04), (1.82626366, 1.49137230e-04)),
}
UTAU_LOWER = {  # bebc_barouki_Utau_majorana.dat, lower-edge vertices
    0.3: _at(0.3, (0.287359193, 3.64448944e-05), (0.324493064, 2.66056210e-05)),
    0.5: _at(0.5, (0.473028545, 1.05800639e-05), (0.510162416, 9.08800626e-06)),
    0.8: _at(0.8, (0.770099508, 2.97135319e-06), (0.807233379, 2.77759733e-06)),
    1.0: _at(1.0, (0.99290273, 1.64365815e-06), (1.01688765, 1.56657923e-06)),
    1.3: _at(1.3, (1.28997369, 1.28893612e-06), (1.32154583, 1.25694420e-06)),
    1.5: _at(1.5, (1.47564305, 1.46092564e-06), (1.51277692, 1.76143713e-06)),
}
UTAU_UPPER = {  # bebc_barouki_Utau_majorana.dat, upper-edge vertices
    1.3: _at(1.3, (1.28659789, 4.01679394e-03), (1.32373176, 3.21771328e-03)),
    1.5: _at(1.5, (1.45002030, 1.50479039e-03), (1.50940111, 1.14287052e-03)),
}
UMU_LOWER = {   # bebc_Umu_majorana.dat (the 1985 curve), lower-edge vertices
    0.4: _at(0.4, (0.394573525, 6.54839769e-06), (0.444371899, 3.89766851e-06)),
    0.6: _at(0.6, (0.584514646, 1.35369096e-06), (0.661230046, 8.65875176e-07)),
    0.8: _at(0.8, (0.754853445, 5.51105542e-07), (0.847640884, 3.92411592e-07)),
    1.0: _at(1.0, (0.982483496, 2.44931205e-07), (1.21292280, 1.31677160e-07)),
    1.4: _at(1.4, (1.35844837, 9.70980326e-08), (1.45462199, 8.46351745e-08)),
    1.7: _at(1.7, (1.59510261, 7.76992771e-08), (1.72192104, 8.22422042e-08)),
}
REFERENCES = {"hnl-e": UE_LOWER, "hnl-tau": UTAU_LOWER, "hnl-mu": UMU_LOWER}


@pytest.fixture(scope="module")
def grids(tmp_path_factory):
    """model -> expected-event grid on the bebc card at the reference masses, one MC run each, empty cache."""
    card = load_card("bebc", DumpCard).model_copy(
        update={"mc": DumpMC(n_fip=2000, n_mass_nodes=6, n_ctau_nodes=60, seed=3)})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NA62LAB_CACHE", str(tmp_path_factory.mktemp("cache")))
        return {model: expected_events(model, card, np.array(sorted(ref)) * GeV, np.geomspace(1e-12, 1e-1, 400),
                                       use_cache=False)
                for model, ref in REFERENCES.items()}


def _edges(grid, total=None) -> np.ndarray:
    """(n_mass, 2) lower and upper N = 2.3 crossings in |U|^2."""
    events = grid.total if total is None else total
    return np.array([crossings(grid.couplings, row, LIMIT) for row in events])


def _ratio(values, reference: dict) -> np.ndarray:
    return np.asarray(values) / np.array([reference[m] for m in sorted(reference)])


def _assert_bands(values, bands, shown) -> None:
    """Each of ``values`` strictly inside its (low, high) band; ``shown`` is printed on failure."""
    assert len(values) == len(bands)
    for (lo, hi), value in zip(bands, values):
        assert lo < value < hi, shown


def _recast_charm(grid, factors: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Test-only: our events with every D+, D0, D_s production mode rescaled to the recast's charm normalisation
    (module docstring), no kaon modes (the recast has none), and ``factors`` (mode -> per-mass factor) on top."""
    card = load_card("bebc", DumpCard)
    table = load_table(card.production.production_table)
    n_d = 2 * FLUX_NUE_PER_POT / (BR_D_E + 2 * BR_D0_E)       # D+- per POT, factor 2 for anti-HNLs as the recast
    theirs = {"D+": n_d, "D0": 2 * n_d, "Ds+": 0.2 * 3 * n_d}
    scale = {p: theirs[p] / table.per_pot(p, card.production) for p in theirs}
    assert 3.0 < scale["D+"] < 3.6 and 6.0 < scale["Ds+"] < 7.2, scale    # 3.32 and 6.59
    out = np.zeros_like(grid.total)
    for mode, events in grid.by_mode.items():
        extra = (factors or {}).get(mode, np.ones(len(events)))
        out += scale.get(mode.split("->")[0], 0.0) * extra[:, None] * events
    return out


def test_card_follows_the_recast_geometry():
    """404 m, 1.85 m deep, the recast's 1.69 m-radius acceptance as the square of equal area, on axis."""
    card = load_card("bebc", DumpCard)
    assert card.run.n_pot == 2.72e18 and card.selection.fiducial_z_m == (404.0, 405.85)
    half = card.detector.aperture_half_m
    assert half[0] == half[1] and abs((2 * half[0]) ** 2 - np.pi * 1.69 ** 2) < 0.01
    assert card.detector.offset_m == (0.0, 0.0) and card.detector.planes_m == (405.85,)
    assert card.selection.efficiency("nuee") == 1.0                  # none in the recast (assumed, printed)
    assert {"nuee", "emunu", "pie", "numumu"} <= set(card.channels)


def test_hnl_e_edges(grids):
    grid = grids["hnl-e"]
    edges = _edges(grid)
    lower = _ratio(edges[:, 0], UE_LOWER)
    print("BEBC |U_e|^2 lower ours/Barouki", np.round(lower, 2))
    # measured 0.11, 0.97, 1.89, 2.27, 2.26, 1.96, 1.56
    _assert_bands(lower, [(0.09, 0.14), (0.85, 1.1), (1.68, 2.12), (2.0, 2.6), (1.95, 2.55), (1.74, 2.2),
                          (1.38, 1.76)], lower)
    upper = _ratio(edges[2:, 1], UE_UPPER)
    print("BEBC |U_e|^2 upper ours/Barouki", np.round(upper, 2))
    # measured 0.82, 0.64, 0.52, 0.54, 0.52
    _assert_bands(upper, [(0.74, 0.92), (0.58, 0.73), (0.46, 0.59), (0.48, 0.61), (0.46, 0.59)], upper)


def test_hnl_e_decomposition(grids):
    """The factor ~2 at 0.8-1.6 GeV is the charm normalisation; 0.3 GeV is K+ -> e+ N in the dump."""
    grid = grids["hnl-e"]
    kaons = grid.by_mode["K+->e+N"][0]
    j = np.searchsorted(grid.couplings, _edges(grid)[0, 0])
    assert kaons[j] / grid.total[0, j] > 0.9                          # measured 0.97
    no_kaon = crossings(grid.couplings, grid.total[0] - kaons, LIMIT)[0] / UE_LOWER[0.3]
    recast = _ratio(_edges(grid, _recast_charm(grid))[:, 0], UE_LOWER)
    print("BEBC |U_e|^2 without K+ at 0.3 GeV", round(no_kaon, 2), "recast charm", np.round(recast, 2))
    assert 0.53 < no_kaon < 0.69, no_kaon                            # measured 0.61
    # measured 0.32, 0.51, 0.86, 0.95, 0.92, 0.79, 0.61
    _assert_bands(recast[1:], [(0.45, 0.58), (0.76, 0.97), (0.84, 1.07), (0.81, 1.04), (0.70, 0.89),
                               (0.54, 0.69)], recast)


def test_hnl_tau_edges(grids):
    grid = grids["hnl-tau"]
    edges = _edges(grid)
    lower = _ratio(edges[:, 0], UTAU_LOWER)
    recast_edges = _edges(grid, _recast_charm(grid))
    recast = _ratio(recast_edges[:, 0], UTAU_LOWER)
    upper = _ratio(edges[-2:, 1], UTAU_UPPER)
    print("BEBC |U_tau|^2 lower ours/Barouki", np.round(lower, 2), "recast charm", np.round(recast, 2),
          "upper 1.3/1.5 GeV", np.round(upper, 2))
    # measured 2.83, 1.93, 1.75, 2.87, 4.34, 7.11 (before the tau polarisation 2.89, 1.95, 1.80, 2.88, 4.26, 7.08)
    _assert_bands(lower, [(2.55, 3.3), (1.72, 2.2), (1.58, 2.03), (2.54, 3.25), (3.75, 4.8), (6.2, 8.0)], lower)
    # measured 1.12, 0.76, 0.69, 1.13, 1.63, 2.26 (before the tau polarisation 1.14, 0.77, 0.71, 1.13, 1.59, 2.24)
    _assert_bands(recast, [(1.0, 1.29), (0.68, 0.87), (0.62, 0.81), (0.99, 1.28), (1.4, 1.8), (1.97, 2.53)],
                  recast)
    _assert_bands(upper, [(0.18, 0.28), (0.13, 0.21)], upper)         # measured 0.22, 0.16 (0.22, 0.17 before)


def _recast_tau_to_pi_factor(masses_gev: np.ndarray) -> np.ndarray:
    """Test-only: the recast code's Gamma(tau -> N pi) over the correct one (arXiv:1805.08567 Sec. 2.3): its
    TAU_TO_PI_HNL (HNL_Dump src/branching_ratios.py) takes sqrt(lambda + 1) for sqrt(lambda(1, x, y)),
    x = (m_pi/m_tau)^2, y = (m_N/m_tau)^2; the [(1 - y)^2 - x (1 + y)] factor is the same."""
    x = (pdg_mass("pi+") / pdg_mass("tau-")) ** 2
    y = (masses_gev * GeV / pdg_mass("tau-")) ** 2
    lam = 1 + x ** 2 + y ** 2 - 2 * x - 2 * y - 2 * x * y
    return np.sqrt((lam + 1) / lam)


def test_hnl_tau_decomposition(grids):
    """With the recast's charm normalisation and its tau -> N pi rate our U_tau lower edge is 0.66-1.13 x theirs;
    the lifetime suppression at our lower edge (U^4 extrapolation from U^2 = 1e-9) is the smaller part of the
    1.3-1.5 GeV gap (module docstring)."""
    grid = grids["hnl-tau"]
    factor = _recast_tau_to_pi_factor(np.array(sorted(UTAU_LOWER)))
    both = _ratio(_edges(grid, _recast_charm(grid, {"Ds+->tau+ (tau->N pi)": factor}))[:, 0], UTAU_LOWER)
    charm = _recast_charm(grid)
    j = np.searchsorted(grid.couplings, 1e-9)
    long_lived = _ratio(grid.couplings[j] * np.sqrt(LIMIT / charm[:, j]), UTAU_LOWER)
    print("BEBC |U_tau|^2 tau->N pi factor", np.round(factor, 2), "recast charm + tau->N pi", np.round(both, 2),
          "recast charm, long-lived", np.round(long_lived, 2))
    assert np.all(np.diff(factor) > 0) and 1.4 < factor[0] < 1.5 and 4.0 < factor[-1] < 4.3, factor
    assert 1.41 < _recast_tau_to_pi_factor(np.array([1e-3]))[0] < 1.43     # not 1 at m_N -> 0: not a convention
    # measured 1.09, 0.74, 0.66, 0.98, 1.13, 1.11 (before the tau polarisation 1.11, 0.75, 0.68, 0.98, 1.10, 1.10)
    _assert_bands(both, [(0.98, 1.26), (0.66, 0.85), (0.60, 0.77), (0.86, 1.11), (0.97, 1.25), (0.97, 1.25)], both)
    # measured 1.56, 2.01 (recast charm with the lifetime: 1.63, 2.26; before the tau polarisation 1.53, 1.97)
    _assert_bands(long_lived[-2:], [(1.35, 1.73), (1.73, 2.23)], long_lived)


def test_hnl_mu_against_the_1985_curve(grids):
    grid = grids["hnl-mu"]
    lower = _ratio(_edges(grid)[:, 0], UMU_LOWER)
    print("BEBC |U_mu|^2 lower ours/1985", np.round(lower, 2))
    # measured 0.16, 0.34, 0.53, 0.61, 0.72, 0.85
    _assert_bands(lower, [(0.13, 0.19), (0.29, 0.40), (0.46, 0.61), (0.53, 0.70), (0.63, 0.82), (0.74, 0.97)],
                  lower)
