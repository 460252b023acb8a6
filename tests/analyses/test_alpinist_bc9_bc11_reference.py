"""CHARM (BC9), SHADOWS and SHiP (BC9, BC11) cards against ALPINIST's public event tables (issue 16).

Reference: Jerhot, Dobrich, Ertas, Kahlhoefer, Spadaro, arXiv:2201.05170 (ALPINIST), public code
jjerhot/ALPINIST (BSD-3), commit a0dbe277631ff074fdf8b54f879d73798916fa9d, files
tab_toPlot/{CHARM,SHADOWS,SHiP}/*_mX_CBB_fixed-CWW0-CGG0-Cll0-Cqq0_2Gamma.dat (BC9: C_BB only, decays to
two photons) and tab_toPlot/{SHADOWS,SHiP}/*_mX_CGG_fixed-CBB0-CWW0-Cll0-Cqq0.dat (BC11: C_GG only, all
decays).  Each row is (m_a GeV, C/Lambda GeV^-1, expected events), all production modes summed
(ALP_rescale/alp_rescale.py writes 10**y/Lambda and Process_data.ALP_events_EFT).  Below: the two grid
rows that bracket N = 2.3 at each mass, crossing interpolated in log-log.

What the tables hold (ALP_decay/src/ExpParameters.C at the same commit; events = POT x yield x
efficiency): CHARM 2.4e18 POT, Cu, decay volume 480-515 m, 3 m x 3 m calorimeter 4.8 m off axis, photon
efficiency 0.51, photons of 5-50 GeV; SHADOWS 1e19 POT (its published curve is N = 0.46 on this table,
ALP_rescale/general/setup.py n_events_90CL, i.e. 2.3 events at 5e19), NA62 TAX, volume 33.07-56.07 m,
2.5 m x 2.5 m calorimeter at 59.07 m; SHiP = the old beam-dump-facility layout (case 3, label "SHiP"):
1e20 POT, Mo (Z 42, A 95, sigma_abs 12.66 b), volume from 45 m, photons up to the 10 m x 5 m calorimeter
at 105.66 m, no off-axis shift.  Couplings: g_agg = 16 pi alpha C_BB/Lambda with alpha = 1/137 (their
a_2Gamma width e^4 g^2 m^3/(4 pi) = our g^2 m^3/(64 pi)); 1/f_G = 32 pi^2 C_GG/Lambda (as
tests/generation/dump/test_alp_gluon_reference.py).

Measured ours/ALPINIST (lower, upper edge; this test's MC):
- Photon fusion (the beam proton's equivalent photons, na62lab.generation.dump.photon_fusion, card
  production.photon_fusion, on in every case here) is ALPINIST's 'Primakoff' mode (Budnev density,
  ALP_production/modes/photoproduction.py), which its tables sum with 'PhotonFromMeson'
  (ALP_rescale/alp/load_data.py).  It moves the CHARM edges by 1-2 %: primary photons, 'any' rule, lower
  0.97/0.95/0.92/0.92/0.90 -> 0.95/0.93/0.90/0.90/0.89, upper 0.99/0.99/1.00/1.01/1.01 ->
  0.99/0.99/1.00/1.02/1.02; 'all' lower 1.01/1.00/0.99/1.01/1.02 -> 0.99/0.98/0.97/1.00/1.00; as shipped lower
  0.71/0.69/0.68/0.65/0.62 -> 0.71/0.69/0.67/0.65/0.62, upper 1.01/1.00/1.02/1.06/1.07 ->
  1.02/1.01/1.03/1.07/1.08 (n_fip as in the tests).  The numbers below are from before photon fusion.
- BC9, primary photons (as ALPINIST: Pythia's meson-decay photons only, their photonfrommeson mode):
  SHADOWS 1.02/1.02/1.04/1.03, 0.80/1.02/0.83/0.85 at 50/99/201/400 MeV; SHiP (BDF geometry, Mo)
  0.97/0.98/0.96/0.95, 0.92/0.92/0.98/0.95 at 50/205/407/694 MeV (n_fip = 20000); CHARM with the
  card's rule (one or two photons on the calorimeter, every photon on it within 5-50 GeV, as ALPINIST's
  twoPhotonCondition) 0.97/0.95/0.92/0.92/0.90, 0.99/0.99/1.00/1.01/1.01 at 20/30/50/70/99 MeV
  (n_fip = 5000; 0.96/0.95/0.93/0.92/0.89, 1.00/0.99/1.00/1.01/1.03 with 20000); with both photons
  required 1.01/1.00/0.99/1.01/1.02, 0.98/0.99/0.99/1.00/0.99: the one-photon events add 3-11 %, rising
  with the mass (wider opening angle).
  Our primary photons above 28 GeV with pT > 1 GeV are 0.93 of those in ALPINIST's Pythia table
  (tab_gammas/400GeV, summed by hand).
- The upper (short-lived) edge converges slowly with the MC size: it is set by the rare
  highest-energy FIPs in the acceptance.  SHADOWS at 201 MeV, one mass node: 0.73, 0.76, 0.94, 0.95
  x ALPINIST with n_fip = 2000, 5000, 20000, 50000 (DumpMC default 2500; the SHADOWS card now
  sets 20000).  The 1500-FIP cases below sit 10-30 % low on the upper edge for this reason, not
  for physics.  With the SHADOWS card's acceptance pilot (mc.acceptance_pilot 2, not used by the
  tests here: they build their own DumpMC) and 20000 FIPs, primary photons, seeds 3/4: upper
  1.00/1.00, 0.94/0.95, 0.94/0.93, 0.89/0.91 at 50/99/201/400 MeV (without it 0.87/1.00, 0.93/0.97,
  0.94/0.92, 0.92/0.89); lower unchanged (1.02-1.05).
- BC9, the cards as shipped: our Primakoff also converts the photons of the hadronic and
  electromagnetic cascade in the thick dump (production.primakoff_cascade, arXiv:1904.02091 for the
  mechanism), which ALPINIST omits: x4-8 events in the long-lived regime, lower edge x0.57-0.73
  (same direction and size as Patrone, Blinov, Plestid, arXiv:2509.14310: the full electromagnetic
  shower in the SHiP target gives order-of-magnitude larger visible yields than the meson-decay
  photons alone; SHADOWS 0.69/0.72/0.73/0.68, SHiP 0.57/0.60/0.64/0.69).  CHARM as shipped (cascade
  photons, one or two photons, card's 10000 FIPs): lower 0.71/0.69/0.68/0.65/0.62, upper
  1.01/1.00/1.02/1.06/1.07.  Until this session the 'any' rule only counted the photons inside 5-50 GeV
  and ignored a photon on the calorimeter above 50 GeV (an ALP of 100-300 GeV then passed on its softer
  photon): x3.7 events, lower edge 0.72 without the cascade and 0.48-0.52 with it, which had been read as
  "ALPINIST's table was made with both photons".  It was not: ALPINIST's code (one or two photons, each
  photon on the calorimeter within 5-50 GeV) reproduces its table, and so does ours with that rule.
- BC11 (cards as shipped, all modes, n_fip = 1500): SHADOWS lower 0.97/1.00/0.82/0.76, upper
  0.99/0.71/0.71/0.73 at 100/457/703/990 MeV; SHiP (BDF) lower 0.89/0.93/0.75/0.79, upper
  0.84/0.91/0.91/0.75 at 100/703/990/1293 MeV (n_fip = 20000: upper 0.98/0.86/0.78/0.87 and
  0.86/0.97/0.95/0.77).  Near 1 GeV the lower edge is 0.75-0.8.  Both codes use the same digitised
  ASW hadronic widths; ALPINIST's a -> gamma gamma is its analytic C_gamma^eff (mixing terms without
  isospin breaking), ours the ASW one, and its mixing yield x acceptance grows faster with the mass than
  ours (NA62 per-mode comparison: na62lab.analyses.beam_dump_references, BC11_NOTE).
- BC11, t96: the SHiP and SHADOWS cards now count exclusive hadronic decays by their two charged tracks
  (selection.exclusive_rule: charged_tracks), ALPINIST asks every photon too (DecayMCProcess.C, decayTo3Body:
  multiplePhotonCondition on the pi0 / eta photons), so the comparison sets the card's rule to ALPINIST's
  (all_daughters; measured SHADOWS lower 0.94/0.95/0.85/0.80, upper 0.94/0.91/0.75/0.66, SHiP (BDF) lower
  0.91/0.91/0.79/0.87, upper 1.00/0.95/0.93/0.74).  With the cards' two-track rule: SHADOWS lower
  0.94/0.90/0.61/0.45, upper 0.94/0.92/0.80/0.92; SHiP lower 0.91/0.83/0.62/0.56, upper 1.00/0.95/0.96/0.81.
- BC11, 0be2f30: the ASW pi pi eta width sums pi+ pi- eta and pi0 pi0 eta, now counted in pi+ pi- eta only (1/1.527,
  na62lab.fips.alp_hadrons.PIPIETA_CHARGED_SHARE; all of it before), and 4 pi 2/3 in pi+ pi- 2 pi0: same MC, at
  0.99 / 1.29 GeV (pi pi eta open from 0.83 GeV) ALPINIST's selection SHADOWS lower 0.76 -> 0.80 at 0.99 GeV, SHiP
  0.75 / 0.78 -> 0.79 / 0.87; the two-track rule SHADOWS 0.42 -> 0.45 (upper 0.97 -> 0.92), SHiP 0.58 / 0.51 ->
  0.62 / 0.56 (upper 0.97 / 0.84 -> 0.96 / 0.81); lower masses unchanged.
Nothing here was tuned; the bands below are the measured values with MC and interpolation margin.
"""

import numpy as np
import pytest

from na62lab.analyses import beam_dump_references as references
from na62lab.analyses.beam_dump_references import crossings
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.yields.dump_grid import expected_events

LIMIT = 2.3
G_BB = references.BC9.per_coupling
"""g_agg (GeV^-1) per C_BB/Lambda (GeV^-1), ALPINIST alpha_EM = 1/137 (ALP_rescale/general/constants.py)."""
G_GG = references.BC11.per_coupling
"""1/f_G per C_GG/Lambda (Aloni, Soreq, Williams arXiv:1811.03474)."""

CHARM_BC9 = {
    20.042: ((3.1670e-05, 2.1255), (3.5535e-05, 3.3598), (1.7817e-03, 2.9762), (1.9991e-03, 0.31271)),
    29.774: ((1.9982e-05, 1.5037), (2.2420e-05, 2.3673), (7.0923e-04, 4.2410), (7.9577e-04, 0.65888)),
    49.895: ((1.2607e-05, 1.6442), (1.4145e-05, 2.5544), (2.2425e-04, 2.3189), (2.5162e-04, 0.53071)),
    70.393: ((1.0014e-05, 2.0979), (1.1236e-05, 3.1425), (8.9268e-05, 4.4285), (1.0016e-04, 1.7770)),
    99.313: ((7.9541e-06, 2.2238), (8.9247e-06, 3.1170), (3.5535e-05, 3.8921), (3.9871e-05, 2.1925)),
}
"""m (MeV) -> (C/Lambda, N) rows bracketing the lower edge (two) and the upper edge (two), CHARM 2.4e18."""
SHADOWS_BC9 = {
    49.895: ((3.9862e-06, 1.6134), (4.4727e-06, 2.5537), (1.4152e-03, 9.0830), (1.5879e-03, 1.0852)),
    99.313: ((2.2415e-06, 1.8294), (2.5150e-06, 2.8884), (3.5543e-04, 4.3443), (3.9880e-04, 0.91074)),
    201.11: ((1.2604e-06, 1.5112), (1.4142e-06, 2.3685), (7.0906e-05, 3.2327), (7.9559e-05, 1.1682)),
    400.30: ((1.0012e-06, 1.8920), (1.1233e-06, 2.7658), (1.1236e-05, 2.7872), (1.2607e-05, 1.4868)),
}
"""Same for SHADOWS at 1e19 POT."""
SHIP_BC9 = {
    49.895: ((1.1233e-06, 2.1333), (1.2604e-06, 3.3864), (1.7817e-03, 23.174), (1.9991e-03, 1.6233)),
    204.60: ((3.1656e-07, 1.7827), (3.5519e-07, 2.8175), (1.0016e-04, 6.2858), (1.1238e-04, 0.63714)),
    407.25: ((1.9972e-07, 1.7901), (2.2410e-07, 2.8164), (2.2420e-05, 4.3463), (2.5156e-05, 0.70203)),
    694.30: ((1.5864e-07, 1.9624), (1.7800e-07, 3.0409), (6.3180e-06, 4.5159), (7.0890e-06, 1.2100)),
}
"""Same for SHiP (beam-dump-facility layout) at 1e20 POT."""
SHADOWS_BC11 = {
    100.46: ((5.6283e-08, 2.2339), (6.3151e-08, 3.5422), (2.8232e-04, 5.2635), (3.1677e-04, 0.37436)),
    457.45: ((8.9186e-09, 1.4719), (1.0007e-08, 2.3294), (7.0890e-06, 5.2558), (7.9541e-06, 0.67764)),
    702.53: ((1.2598e-08, 2.1713), (1.4136e-08, 3.4441), (3.9862e-06, 9.6114), (4.4727e-06, 0.54013)),
    990.20: ((1.5857e-09, 1.5165), (1.7792e-09, 2.3149), (3.1648e-08, 3.6345), (3.5510e-08, 1.4641)),
}
"""C_GG/Lambda rows, SHADOWS at 1e19 POT (the CGG tables use the mass grid 0.01-3.05 GeV)."""
SHIP_BC11 = {
    100.46: ((1.5861e-08, 1.4988), (1.7796e-08, 2.3737), (2.8232e-04, 9.9907), (3.1677e-04, 0.042394)),
    702.53: ((1.9963e-09, 1.6610), (2.2399e-09, 2.6338), (4.4727e-06, 2.6613), (5.0185e-06, 0.017134)),
    990.20: ((2.8193e-10, 1.9448), (3.1634e-10, 3.0784), (5.0161e-08, 3.6011), (5.6283e-08, 0.15169)),
    1293.2: ((2.5127e-10, 2.1597), (2.8193e-10, 3.3693), (7.9486e-09, 8.3957), (8.9186e-09, 1.5311)),
}
"""C_GG/Lambda rows, SHiP (beam-dump-facility layout) at 1e20 POT."""

SHIP_BDF = {"selection": {"fiducial_z_m": (45.0, 105.66), "neutral_decay_end_m": 105.66},
            "detector": {"planes_m": (105.66,), "aperture_half_m": (5.0, 2.5)},
            "production": {"target_material": "Mo", "interaction_length_m": 0.1525}}
"""ALPINIST ExpParameters.C case 3 (SHiP): ZFVIn = 45 m, photons up to ZLKR = 105.66 m, |x| < 5 m,
|y| < 2.5 m (inCaloAcceptance), molybdenum (ZTarget 42; lambda_I 0.1525 m, the former ship card value);
used in this test only, the shipped card is SHiP at ECN3 (tungsten: < 1 % on the BC9 edges)."""


pytestmark = pytest.mark.usefixtures("isolated_cache")


def _reference(table: dict, conversion: float) -> np.ndarray:
    """(n_m, 2) lower and upper edge of the reference, in our coupling: each mass's four rows as one curve
    (below, above, above, below N = 2.3), crossed as ours are (log-log)."""
    rows = [np.array(r).T for r in table.values()]
    return np.array([crossings(c, n, LIMIT) for c, n in rows]) * conversion


def _ratios(card_name: str, model: str, table: dict, conversion: float, pot: float, g_range, n_fip: int | None = 1500,
            **updates):
    card = load_card(card_name, DumpCard)
    upd = {"run": card.run.model_copy(update={"n_pot": pot}),
           "mc": DumpMC(n_fip=n_fip or card.mc.n_fip, n_mass_nodes=max(4, len(table)), n_ctau_nodes=60, seed=3)}
    for section, fields in updates.items():
        upd[section] = getattr(card, section).model_copy(update=fields)
    card = card.model_copy(update=upd)
    g = np.geomspace(*g_range, 240)
    n = expected_events(model, card, np.array(sorted(table)), g, use_cache=False).total
    ours = np.array([crossings(g, row, LIMIT) for row in n])   # NaN (test fails) if open
    ratio = ours / _reference(table, conversion)
    print(card_name, model, updates, "ours/ALPINIST lower", np.round(ratio[:, 0], 2), "upper",
          np.round(ratio[:, 1], 2))
    return ratio


@pytest.mark.parametrize("rule", ["any", "all"])
def test_charm_bc9_with_primary_photons_reproduces_alpinist(rule):
    """The card's rule ('any': one or two photons on the calorimeter, each of them within 5-50 GeV) is ALPINIST's
    twoPhotonCondition for CHARM; requiring both photons ('all') moves the edges by 3-11 % only."""
    r = _ratios("charm", "alp-photon", CHARM_BC9, G_BB, 2.4e18, (1e-8, 1e-2), n_fip=5000,
                production={"primakoff_cascade": False}, selection={"photons_in_acceptance": rule})
    assert np.all((r > 0.8) & (r < 1.15)), r            # measured any 0.89-1.02, all 0.97-1.00 (photon fusion on)


def test_charm_bc9_card_as_shipped_sits_below_alpinist_for_stated_reasons():
    r = _ratios("charm", "alp-photon", CHARM_BC9, G_BB, 2.4e18, (1e-8, 1e-2), n_fip=None)   # the card's 10000
    assert np.all((r[:, 0] > 0.52) & (r[:, 0] < 0.8)), r   # 0.62-0.71: the cascade photons, as SHADOWS and SHiP
    assert np.all((r[:, 1] > 0.88) & (r[:, 1] < 1.2)), r    # measured 1.01-1.08 (photon fusion on)


@pytest.mark.parametrize("cascade, n_fip, lower, upper", [
    (False, 20000, (0.88, 1.15), (0.7, 1.15)),     # measured lower 1.02-1.04, upper 0.80-1.02
    (True, 1500, (0.58, 0.8), (0.55, 1.3))])       # measured lower 0.68-0.73, upper 0.64-0.83
def test_shadows_bc9_edges_are_alpinists_with_primary_photons(cascade, n_fip, lower, upper):
    r = _ratios("shadows", "alp-photon", SHADOWS_BC9, G_BB, 1e19, (1e-8, 1e-2), n_fip=n_fip,
                production={"primakoff_cascade": cascade})
    assert np.all((r[:, 0] > lower[0]) & (r[:, 0] < lower[1])), r
    assert np.all((r[:, 1] > upper[0]) & (r[:, 1] < upper[1])), r


@pytest.mark.parametrize("cascade, n_fip, lower, upper", [
    (False, 20000, (0.88, 1.12), (0.8, 1.1)),      # measured lower 0.95-0.98, upper 0.92-0.98
    (True, 1500, (0.5, 0.78), (0.6, 1.05))])       # measured lower 0.56-0.68, upper 0.92-0.95 (Mo)
def test_ship_bc9_in_alpinist_geometry_on_molybdenum(cascade, n_fip, lower, upper):
    bdf = {**SHIP_BDF, "production": {**SHIP_BDF["production"], "primakoff_cascade": cascade}}
    r = _ratios("ship", "alp-photon", SHIP_BC9, G_BB, 1e20, (1e-9, 1e-2), n_fip=n_fip, **bdf)
    assert np.all((r[:, 0] > lower[0]) & (r[:, 0] < lower[1])), r
    assert np.all((r[:, 1] > upper[0]) & (r[:, 1] < upper[1])), r


ALPINIST_EXCLUSIVE = {"exclusive_rule": "all_daughters"}
"""ALPINIST's selection of three-body hadronic decays: the charged pair and every photon of the pi0 / eta
(ALP_decay/src/DecayMCProcess.C, decayTo3Body: twoHadronCondition and multiplePhotonCondition), not the
two-track rule of the SHiP and SHADOWS cards (t96)."""


@pytest.mark.parametrize("card, table, pot, updates", [
    ("shadows", SHADOWS_BC11, 1e19, {"selection": ALPINIST_EXCLUSIVE}),
    ("ship", SHIP_BC11, 1e20, {**SHIP_BDF, "selection": {**SHIP_BDF["selection"], **ALPINIST_EXCLUSIVE}})])
def test_bc11_edges_agree_with_alpinist_within_thirty_percent(card, table, pot, updates):
    r = _ratios(card, "alp-gluon", table, G_GG, pot, (1e-9, 1.0), **updates)
    assert np.all((r > 0.62) & (r < 1.15)), r                    # measured 0.67-1.00 (ALPINIST's selection)


@pytest.mark.parametrize("card, table, pot, updates, lower", [
    ("shadows", SHADOWS_BC11, 1e19, {}, (0.38, 0.52)), ("ship", SHIP_BC11, 1e20, SHIP_BDF, (0.48, 0.64))])
def test_bc11_card_two_track_rule_lowers_the_upper_mass_lower_edges(card, table, pot, updates, lower):
    """The cards as shipped count the exclusive hadronic decays by their two charged tracks (SHiP's rule,
    CERN-SPSC-2023-033; SHADOWS assumed as SHiP): at the two highest masses (0.7-1.3 GeV, 3 pi and pi pi gamma) the
    lower edge falls below ALPINIST's, which asks every photon too (ALPINIST_EXCLUSIVE); at 100 MeV (a -> gamma
    gamma) nothing moves."""
    r = _ratios(card, "alp-gluon", table, G_GG, pot, (1e-9, 1.0), **updates)
    assert 0.8 < r[0, 0] < 1.05 and lower[0] < r[-1, 0] < lower[1], r   # measured SHADOWS 0.94 / 0.45, SHiP 0.91 /
    #                                                                      0.56 (0be2f30; 0.42, 0.51 at t96)
    assert np.all((r[:, 1] > 0.7) & (r[:, 1] < 1.15)), r                 # measured 0.80-1.00
