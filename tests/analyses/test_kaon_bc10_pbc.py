"""Kaon-mode BC10 (K+ -> pi+ a, fermion-coupled ALP) from ``na62lab search pi-x --pbc`` against the public NA62
K+ -> pi+ X band in the BC10 plane (issues 13, 16).

Reference (no curve copied: edges interpolated between the two quoted neighbouring vertices):
exoticdarksectors/grendel-sensitivity (BSD-3-Clause), commit c4af75bfe39db26668a35013e60600a5023a8bde,
curves/data/bc10/vector/na62_kpia_excluded.dat: "NA62 K+ -> pi+ + invisible bound on the fermiophilic ALP", the
band between a lower and an upper chain at 0.154-0.259 GeV (Region 2 of the 2016-18 K+ -> pi+ nu nubar analysis,
NA62 JHEP 06 (2021) 093, arXiv:2103.15389), taken from ALPINIST (jjerhot/ALPINIST,
Figures/Bound_data/gY/NA62_{lower,upper}limit_gY.csv, digitised from a figure, legend "NA62 Run1"), axis g_Y stored
as 1/f (BNT) = g_Y/246 GeV^-1.  grendel's notes (curves/tools/vector_bc10.py) say the PBC 2025 report
(arXiv:2505.00947) has no BC10 figure, and that ALPINIST's g_Y is v_h/f_BNT (its LHCb curve over GKOZ's gives
232 +- 23).  Edges are compared in c_ff/Lambda = 1/f (GeV^-1); ours is g_Y/v of :mod:`na62lab.fips.alp`
(v = 246.22 GeV).  The jagged edges follow NA62's observed limits.

Our reading (what a user gets): the simulated expected median BR limits of the pi-x card (1.5-2.0e-11 at
0.17-0.24 GeV; pseudo-data, the published limits are not tabulated), read by
:mod:`na62lab.analyses.kaon_searches_common.interpretation` as an invisible search: the ALP must decay beyond
z = 241 m (LKr front; K+ vertex uniform in 105-165 m, ALP momenta 40-59 GeV/c from the kaon simulation), F =
P_escape since BC10 has no invisible channel; BR(K+ -> pi+ a) with the one-loop RG s -> d coupling of
arXiv:2012.12272 (:mod:`na62lab.fips.alp_flavour`, k = 0.0085).

Measured (ours / reference):

- lower edge at 0.17 / 0.18 / 0.19 / 0.20 / 0.22 / 0.23 / 0.24 / 0.25 GeV: 2.43 / 2.02 / 2.15 / 2.79 / 2.38 / 2.24 /
  1.60 / 1.29 with the RG coupling (our default); 0.63 / 0.52 / 0.55 / 0.72 / 0.61 / 0.58 / 0.41 / 0.33 with the
  Izaguirre-Lin-Shuve leading log (arXiv:1611.09355, :func:`na62lab.fips.alp_production.ils_leading_log`,
  3.85x the RG amplitude; diagnostic only).  The curve lies between the two.
- which coupling the curve follows: with the RG rate the reference's lower edge needs BR limits of 2.5-6.6e-12,
  0.20-0.64x NA62's zero-background (CLs) floor 2.3 / (N_K A eps) = 1.03-1.41e-11 of the same data set (our
  acceptance model): unreachable, so on this axis the curve is not RG-based.  With the leading-log rate it needs
  3.7-9.8e-11 (2.9-9.5x the floor, jagged as observed limits are): the pre-arXiv:2310.03524 phenomenology, as
  grendel's notes say of the FIPs 2022 BC10 curves of the same period.  Caveat: were the old axis twice the
  physical coupling (1/f_BNT = 2 g_Y/v), the RG rate would need 1.0-2.6e-11 (0.8-2.6x the floor) and fit the
  lower edge instead.  Our default stays on arXiv:2012.12272 either way (nothing tuned to this curve).
- upper edge: 7.1-7.6x the reference below 2 m_mu (a -> e e, gamma gamma) and 5.6-6.9x above (a -> mu mu) with the
  RG coupling (7.6-9.4x with the leading log: a larger rate pushes the upper edge up).  Independent of BR limit
  and production, the reference's own edges fix the escape probability at its upper edge, (g_lo/g_up)^2 =
  4.6e-7 to 8.1e-7 below 2 m_mu and 0.019-0.21 above; with our widths the ALP at the reference's upper-edge
  coupling escapes with 0.66-0.90: the reference's ALP decays about 45-53x (below 2 m_mu) and 16-23x (above)
  faster at the same g_Y (the width factor that gives the needed escape probability; 4x less with the axis
  caveat above).  Our lepton widths are those of arXiv:1708.00443 Sec. 3 (Gamma = m_a m_l^2 beta (c/Lambda)^2 /
  (8 pi)), as in grendel's BC10 model of the arXiv:2310.03524 phenomenology; the old curve's lifetime
  normalisation could not be reconstructed (NA62's BC10 text was not reachable here).  A Yukawa-like
  (non-derivative) coupling would add non-decoupling heavy-fermion loops, (1 - B1) of arXiv:1708.00443, to
  a -> gamma gamma: 3.1-5.2x our total width at 0.16-0.20 GeV, a candidate for part of the excess below 2 m_mu;
  not adopted (BC10 here is the derivative coupling of arXiv:2310.03524).  Re-checked (t60) against the widths of
  arXiv:2310.03524 itself (ALPINIST's tables of its a -> gamma gamma and hadronic widths): at 0.17-0.25 GeV our total
  width is theirs (a -> e e, mu mu as ALPINIST's a_2El / a_2Mu for that paper; its a -> gamma gamma, the quark part
  through pi0/eta/eta' mixing only, is 0.5x ours at 0.2 GeV, BR < 1 % either way; tests/fips/test_alp_fermion_gkoz.py),
  and the t60 fix of the fermion mixing angles leaves every edge here unchanged (lower 2.42 / 2.02 / 2.15 / 2.78 /
  2.38 / 2.24 / 1.60 / 1.29, upper 7.14-7.61 below 2 m_mu and 5.62-6.89 above): the 16-53x is not in the
  arXiv:2310.03524 phenomenology.  This gap is open.

Nothing is tuned; the bands hold the measured values with the 300-point coupling grid's 6 % step.
"""

import numpy as np
import pytest

from na62lab.analyses.kaon_searches import run_search, search_card
from na62lab.analyses.kaon_searches_common import engine as eng
from na62lab.analyses.kaon_searches_common.interpretation import signal_fraction
from na62lab.fips import alp_production as prod
from na62lab.fips import get_model
from na62lab.fips.constants import HIGGS_VEV
from na62lab.physics.units import GeV

from .reference_vertices import vertex_at as _at   # linear: (mass GeV, 1/f GeV^-1)


REFERENCE = {   # GeV -> (lower, upper) 1/f in GeV^-1, na62_kpia_excluded.dat (neighbouring vertices quoted)
    0.17: (_at(0.17, (1.694736e-01, 2.365092e-07), (1.739619e-01, 2.239726e-07)),
           _at(0.17, (1.627640e-01, 3.689903e-04), (1.714992e-01, 3.431449e-04))),
    0.18: (_at(0.18, (1.781451e-01, 2.558666e-07), (1.807032e-01, 2.923023e-07)),
           _at(0.18, (1.714992e-01, 3.431449e-04), (1.863725e-01, 3.040291e-04))),
    0.19: (_at(0.19, (1.894985e-01, 2.751383e-07), (1.913083e-01, 2.408421e-07)),
           _at(0.19, (1.863725e-01, 3.040291e-04), (2.006197e-01, 2.693721e-04))),
    0.20: (_at(0.20, (1.977797e-01, 2.266998e-07), (2.015754e-01, 1.890635e-07)),
           _at(0.20, (1.863725e-01, 3.040291e-04), (2.006197e-01, 2.693721e-04))),
    0.22: (_at(0.22, (2.185372e-01, 2.108210e-07), (2.216753e-01, 2.718284e-07)),
           _at(0.22, (2.154435e-01, 2.127433e-06), (2.206243e-01, 1.670056e-06))),
    0.23: (_at(0.23, (2.291739e-01, 2.718284e-07), (2.313626e-01, 2.266998e-07)),
           _at(0.23, (2.280873e-01, 1.133787e-06), (2.302656e-01, 1.190026e-06))),
    0.24: (_at(0.24, (2.380548e-01, 2.853119e-07), (2.403283e-01, 3.678755e-07)),
           _at(0.24, (2.380548e-01, 1.029157e-06), (2.414732e-01, 9.008714e-07))),
    0.25: (_at(0.25, (2.472799e-01, 2.558666e-07), (2.532263e-01, 4.978597e-07)),
           _at(0.25, (2.490490e-01, 8.740216e-07), (2.508308e-01, 7.513100e-07))),
}
MASSES = np.array(sorted(REFERENCE))
REF_LO = np.array([REFERENCE[m][0] for m in MASSES])
REF_UP = np.array([REFERENCE[m][1] for m in MASSES])
BELOW_2MU = MASSES < 0.211
V_GEV = HIGGS_VEV / GeV
"""g_Y -> c_ff/Lambda (GeV^-1) of our alp-fermion (:mod:`na62lab.fips.alp`)."""
ILS_OVER_RG = prod.ils_leading_log(1.0) / prod.universal_fermion_fcnc_coefficient(prod.LAMBDA_UV)
"""Leading-log (Izaguirre, Lin, Shuve) over RG (arXiv:2012.12272) s -> d amplitude: 3.85 (module docstring)."""


def _bc10(summary) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) excluded c_ff/Lambda (GeV^-1) of the BC10 reading."""
    (r,) = [r for r in summary.readings if r.benchmark == "BC10"]
    return r.excluded_lower / V_GEV, r.excluded_upper / V_GEV


@pytest.fixture(scope="module")
def readings():
    """The user's BC10 reading (RG coupling) and the same with the leading-log coupling (diagnostic)."""
    result, rg = run_search("pi-x", masses_gev=list(MASSES), pbc=True)
    orig = prod.universal_fermion_fcnc_coefficient
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(prod, "universal_fermion_fcnc_coefficient", lambda lam: orig(lam) * ILS_OVER_RG)
        _, ils = run_search("pi-x", masses_gev=list(MASSES), pbc=True)
    return result, _bc10(rg), _bc10(ils)


def test_lower_edge_rg_is_weaker_and_leading_log_stronger(readings):
    """The curve sits between our RG reading (2.0-2.8x above it, 1.3-1.6x at 0.24-0.25 GeV where its observed
    limit fluctuates up) and the leading-log diagnostic (0.33-0.72x)."""
    _, (rg_lo, _), (ils_lo, _) = readings
    r_rg, r_ils = rg_lo / REF_LO, ils_lo / REF_LO
    assert np.all((r_rg > 1.15) & (r_rg < 3.1)), r_rg         # measured 1.29-2.79
    assert np.all((r_ils > 0.3) & (r_ils < 0.8)), r_ils       # measured 0.33-0.72
    assert np.allclose(r_rg / r_ils, 3.85, rtol=0.08)         # the amplitude ratio of the two couplings


def test_reference_lower_edge_is_not_rg_based(readings):
    """BR limit the reference's lower edge needs, BR(K -> pi a)(g_ref): below NA62's zero-background floor with
    the RG rate (0.20-0.64x), 2.9-9.5x above it with the leading log."""
    result, _, _ = readings
    model = get_model("alp-fermion")
    m = MASSES * GeV
    g_y = REF_LO * V_GEV
    br_rg = np.array([model.production_branching_ratios(np.array([mi]), np.array([gi]))["K+->pi+a"][0]
                      for mi, gi in zip(m, g_y, strict=True)])
    floor = 2.3 / (result.signal_per_br * result.window_efficiency)
    assert np.all((floor > 0.9e-11) & (floor < 1.6e-11)), floor              # measured 1.03-1.41e-11
    assert np.all(br_rg / floor < 0.75), br_rg / floor                        # measured 0.20-0.64
    ils = br_rg * ILS_OVER_RG**2 / floor
    assert np.all((ils > 2.0) & (ils < 12.0)), ils                           # measured 2.9-9.5


def test_upper_edge_gap_is_the_lifetime(readings):
    """Our upper edge is 5.6-7.6x the reference's; from the reference's own edges its ALP escapes with
    (g_lo/g_up)^2 at g_up, while ours escapes with 0.66-0.90 there (module docstring)."""
    result, (_, rg_up), _ = readings
    r_up = rg_up / REF_UP
    assert np.all((r_up > 4.8) & (r_up < 9.0)), r_up                         # measured 5.62-7.61
    card = search_card("pi-x")
    res_model = eng.resolution_model(card, result.masses)
    p_q = res_model.at(res_model.p_quantiles, result.masses)
    (interp,) = [i for i in card.interpretations if i.benchmark == "BC10"]
    model = get_model("alp-fermion")
    ours = np.array([signal_fraction(model, interp, result.masses[i:i + 1], np.array([REF_UP[i] * V_GEV]),
                                     p_q[i:i + 1], card.lifetime, False)[0, 0] for i in range(MASSES.size)])
    needed = (REF_LO / REF_UP) ** 2
    assert np.all((ours > 0.6) & (ours < 0.95)), ours                        # measured 0.66-0.90
    assert np.all(needed[BELOW_2MU] < 1e-6) and np.all(needed[~BELOW_2MU] < 0.25), needed
