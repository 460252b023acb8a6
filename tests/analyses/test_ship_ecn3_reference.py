"""The ship card (SHiP at ECN3) against a public SHiP-ECN3 BC9 sensitivity curve (issue 16, item 3).

Reference: "Sensitivity_ALP-photon_at_SHiP-ECN3-geom-only_Nev=2.3_Npot=6.e20.json", public repository
ShipSoft/EventCalc (the SHiP collaboration's EventCalc-SHiP sampler), commit ae35ebf1311bd7329497f18b5dd9a4370502e21c,
analysis/event_density_scan/reference_curves/ (also alp_discrimination/reference_data/photon_sensitivity/).  The
repository carries no licence file, so the curve is not copied here: the six edge values below are read off its
polygon (mass GeV, g_agg GeV^-1, interpolated between neighbouring vertices, < 1 % apart).  What the file states:
photon-coupled ALP, 6e20 POT, N = 2.3 events, production "Eta, Photon-fusion-W, Pi0, Primakov-cascades-W,
Primakov-primary-W" (Primakoff on primary and electromagnetic-cascade photons in tungsten), decay "Default",
selection "geom-only" (decay in the SHiP decay volume and the photons within the detector, no energy or
separation cut; EventCalc's SHiP geometry, cards/ship.json: z 32-82 m, 1.0 x 2.7 m -> 4.0 x 6.2 m).

What the reference assumes (ShipSoft/EventCalc DETAILS.md, "Mother particles fluxes calculations"): primary
photons from Pythia pi0, eta and eta' decays, electromagnetic-cascade photons following Patrone, Blinov,
Plestid, arXiv:2509.14310, the ALP phenomenology of arXiv:1904.02091 plus pi0/eta decays; every Primakoff and
photon-fusion mode of the file is on tungsten ("-W").  Tungsten is also SHiP's ECN3 target (ship card comment:
ShipSoft/FairShip geometry/target_config.yaml), so the ship card now converts on W; the earlier Mo card and
this W card differ by < 1 % on every edge (below): per photon, sigma_P / sigma_abs hardly depends on Z
(sigma_P per nucleus W/Mo = 2.8-3.0, but the photon's path 9/7 X0 holds 2.8-3.0 x fewer W nuclei: conversion
probability W/Mo = 1.01-1.08 at 50-200 MeV, 5-80 GeV).  The naive per-nucleus Z^2 estimate (x3.1 events,
x0.75 on the lower edge) does not apply to a thick target.

Measured ours/reference (lower, upper edge at 50/100/200 MeV; this test's MC, the same with 20000 FIPs):
- the ship card's geometry and exposure with the reference's geom-only selection (no photon energy, sum or
  separation cut; Primakoff photons from 0.5 GeV so that no accepted ALP is cut; 0.2 GeV moves the lower
  edge by < 4 %): on W (the card) lower 1.23/1.25/1.30, upper 0.95/0.93/0.93 (1.24/1.25/1.31, 0.94/0.93/0.93
  without photon fusion, production.photon_fusion off); on Mo (lambda_I 0.1525 m,
  the former card) lower 1.25/1.26/1.30, upper 0.94/0.93/0.93; on Cu 1.26/1.26/1.30.  The target
  material explains none of the gap.  The remaining factor ~1.3 in the coupling is 2.4-2.9 in events at
  the lower edge (N ~ g^4 there).  Photon fusion (the beam proton's equivalent photons on the W nuclei,
  na62lab.generation.dump.photon_fusion, on by default: 2.8-3.3 % of our cascade Primakoff per POT at
  20-200 MeV) is not it: it moves the lower edge by 0-1 %.  Candidates left: pi0/eta production, which our
  alp-photon model does not have; their cascade photon spectrum (arXiv:2509.14310's shower
  simulation) against our Rossi Approximation-A showers (na62lab.generation.dump.cascade); the photons in
  our card must also cross the last tracking station at 93.6 m.  Without the cascade photons (primary
  photons only) ours is 3.10/2.61/2.21 x the reference on W with photon fusion (3.37/2.78/2.32 without; Mo
  without: 3.40/2.81/2.34): there photon fusion adds 20-40 % events at the lower edge (N ~ g^4).
- the card as shipped (ALPINIST's SHiP photon cuts: 1 GeV each, 3 GeV in total, 0.1 m apart; Primakoff
  photons from 3 GeV): lower 2.29/1.80/1.47, upper 0.80/0.84/0.90 (without photon fusion 2.30/1.81/1.49,
  0.80/0.84/0.89; Mo, before photon fusion: 2.34/1.83/1.49, 0.82/0.84/0.90).
  The cuts, not the flux, make the difference: soft ALPs decay most readily and carry the lower edge.
Nothing here is tuned; the bands hold the measured values with MC margin.
"""

import numpy as np
import pytest

from na62lab.analyses.beam_dump_references import crossings
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.yields.dump_grid import expected_events

LIMIT = 2.3
REFERENCE = {50.0: (6.878e-8, 1.082e-3), 100.0: (4.835e-8, 2.485e-4), 200.0: (3.579e-8, 5.565e-5)}
"""m (MeV) -> (lower, upper) g_agg (GeV^-1) of the SHiP-ECN3 geom-only curve at 6e20 POT (module docstring)."""


pytestmark = pytest.mark.usefixtures("isolated_cache")


def _ratios(geom_only: bool, **production) -> np.ndarray:
    """ours/reference (n_mass, 2: lower, upper); ``production`` updates the card's production section."""
    card = load_card("ship", DumpCard)
    assert card.run.n_pot == 6.0e20
    upd: dict[str, object] = {"mc": DumpMC(n_fip=5000, n_mass_nodes=4, n_ctau_nodes=60, seed=3)}
    if geom_only:
        upd["selection"] = card.selection.model_copy(update={"photon_e_min_gev": 0.0, "photon_pair_e_min_gev": 0.0,
                                                             "photon_min_separation_m": 0.0})
        production = {"photon_e_min_gev": 0.5, **production}
    upd["production"] = card.production.model_copy(update=production)
    card = card.model_copy(update=upd)
    g = np.geomspace(1e-9, 1e-1, 300)
    n = expected_events("alp-photon", card, np.array(sorted(REFERENCE)), g, use_cache=False).total
    ours = np.array([crossings(g, row, LIMIT) for row in n])
    ratio = ours / np.array([REFERENCE[m] for m in sorted(REFERENCE)])
    print("geom-only" if geom_only else "card", production, "ours/SHiP-ECN3 lower", np.round(ratio[:, 0], 2),
          "upper", np.round(ratio[:, 1], 2))
    return ratio


def test_ship_bc9_with_the_reference_selection_is_within_thirty_percent():
    r = _ratios(geom_only=True)
    assert np.all((r[:, 0] > 1.05) & (r[:, 0] < 1.5)), r      # measured 1.23-1.30 (1.24-1.31 w/o photon fusion)
    assert np.all((r[:, 1] > 0.8) & (r[:, 1] < 1.1)), r       # measured 0.93-0.94


def test_ship_bc9_target_material_is_not_the_gap():
    """Reference assumption (tungsten, the card) against the earlier design's molybdenum: same MC, the edges
    move by < 1 % (measured lower W/Mo 0.99/0.99/1.01), not by the per-nucleus Z^2 factor 0.75."""
    tungsten = _ratios(geom_only=True)
    assert load_card("ship", DumpCard).production.target_material == "W"
    molybdenum = _ratios(geom_only=True, target_material="Mo", interaction_length_m=0.1525)
    assert np.all(np.abs(tungsten / molybdenum - 1.0) < 0.04), tungsten / molybdenum


def test_ship_bc9_primary_photons_alone_leave_a_factor_two_to_three():
    """Primary (meson-decay) photons only, no cascade: the lower edge is 2.3-3.4 x the reference, so our
    cascade photons already supply most of the reference's flux (photon fusion on: 3.10/2.61/2.21)."""
    r = _ratios(geom_only=True, primakoff_cascade=False)
    for (lo, hi), value in zip([(2.9, 3.9), (2.4, 3.2), (2.0, 2.7)], r[:, 0]):
        assert lo < value < hi, r                              # measured 3.10, 2.61, 2.21 (3.37, 2.78, 2.32 w/o fusion)


def test_ship_bc9_card_photon_cuts_raise_the_lower_edge():
    r = _ratios(geom_only=False)
    for (lo, hi), value in zip([(2.0, 2.7), (1.55, 2.15), (1.25, 1.75)], r[:, 0]):
        assert lo < value < hi, r                              # measured 2.29, 1.80, 1.47 (2.30, 1.81, 1.49 w/o fusion)
    assert np.all((r[:, 1] > 0.7) & (r[:, 1] < 1.05)), r      # measured 0.80-0.89
