"""BC10 (fermion-coupled ALP) on the ship and charm cards, and the charm card's HNL reach, against public curves
(issues 13, 16).

Sources (no curve is copied: the reference edges below are read off the files, interpolated between the two
quoted neighbouring vertices):

- exoticdarksectors/grendel-sensitivity (BSD-3-Clause), commit c4af75bfe39db26668a35013e60600a5023a8bde:
  * curves/data/bc10/projections/ship_alp2.dat: SHiP (ECN3, 6e20 POT) BC10 sensitivity, the solid ("revised
    phenomenology") curve of Ovchynnikov, Zaporozhchenko, arXiv:2501.04525 (PRD 112 015001),
    parameter-space-ALP-fermion.pdf, vector-extracted; visible frame 0.6-2.0 GeV.
  * curves/data/bc10/vector/beamdumps_past_alp2.dat: the "past beam dumps" exclusion of the same figure (black
    solid): a union of past proton dumps (CHARM and others), not separable, so it only bounds CHARM's region:
    CHARM alone has a lower edge >= the union's and an upper edge <= the union's.
  * curves/data/hnl/hnlimits_100_Ue_majorana/charm_Ue_majorana.dat: the CHARM |U_e|^2 limit (lower edge only,
    0.16-2.05 GeV) of the HNLimits compilation (mhostert/Heavy-Neutrino-Limits, converted there to a Majorana
    HNL, 90 % CL); the primary source is the CHARM heavy-neutrino search, Bergsma et al., PLB 166 (1986) 473
    (unverified: the paper is not reachable here, nor which decays it selected).
- Coupling axis: the files store 1/f = g_Y / v_h in the normalisation of Bauer, Neubert, Thamm (arXiv:1708.00443,
  g_aff = c_f m_f / f; grendel converts GKOZ's y = 2 v_h / f_GKOZ, v_h = 246 GeV), i.e. c_ff/Lambda of
  :mod:`na62lab.fips.alp`, where ``alp-fermion`` has c_ff/Lambda = g_Y / v (PBC BC10, arXiv:1901.09966).  Edges
  are compared in c_ff/Lambda (GeV^-1).
- ShipSoft/EventCalc (the SHiP collaboration's event generator: its ALP-fermion production per POT) and the
  arXiv:2501.04525 widths of SensCalc (BSD-3-Clause): tests/fips/senscalc_alp_fermion.py (a few values quoted
  with provenance).
- Reference threshold: N = 2.3, background-free (the PBC convention; the figures do not state it).

Measured (this test's MC; the cards as committed; ratio = ours / reference):

t85: B -> X_s a now comes from every b meson of the table, B_s0 too (b -> s a is a b-quark decay;
:data:`na62lab.generation.dump.channels.INCLUSIVE_B_SPECIES`), +10.4 % B events.  Same MC, before -> after: SHiP
lower 1.03 / 1.05 / 2.59 / 2.26 / 1.27 -> 1.00 / 1.03 / 2.53 / 2.19 / 1.25, upper 0.91 / 0.98 / 1.67 / 1.23 / 0.76 ->
0.91 / 0.98 / 1.68 / 1.24 / 0.77; the reference-production variant lower 1.09 / 1.11 / 2.69 / 2.31 / 1.24 -> 1.06 /
1.09 / 2.62 / 2.24 / 1.22; CHARM N_max 2.55 / 2.29 / 1.66 / 2.02 / 0.11 -> 2.82 / 2.51 / 1.84 / 2.09 / 0.12, with the
reference's B production 2.00 / 1.78 / 1.33 / 1.85 / 0.10 -> 2.20 / 1.95 / 1.47 / 1.91 / 0.10.  The numbers below are
those before t85 unless stated.

t88: the b baryons decay by b -> s a too (Lambda_b0 0.165, Xi_b 0.018 per b bbar pair, Omega_b left out; +10.2 %
B -> X_s a rate, more in events: Pythia's Lambda_b are harder and more forward than its B,
tests/analyses/test_na62_bc4_decomposition.py).
Same MC, t85 -> t88: SHiP lower 1.00 / 1.03 / 2.53 / 2.19 / 1.25 -> 0.97 / 1.01 / 2.47 / 2.15 / 1.21, upper 0.91 / 0.98
/ 1.68 / 1.24 / 0.77 -> 0.92 / 0.99 / 1.73 / 1.28 / 0.80; the reference-production variant lower 1.06 / 1.09 / 2.62 /
2.24 / 1.22 -> 1.03 / 1.06 / 2.57 / 2.20 / 1.18, upper 0.90 / 0.98 / 1.67 / 1.23 / 0.77 -> 0.92 / 0.99 / 1.72 / 1.27 /
0.80; CHARM N_max 2.82 / 2.51 / 1.84 / 2.09 / 0.12 -> 3.22 / 2.84 / 2.10 / 2.20 / 0.13 (CHARM now excludes from
0.65 to ~0.77 GeV, log-interpolated), with the reference's B production 2.20 / 1.95 / 1.47 / 1.91 / 0.10 -> 2.51 /
2.21 / 1.67 / 2.00 / 0.11 (it rescales all our b -> s a events, the b baryons' included, while the reference's
kaon tower is B-meson decays; not separated here).  Bands recentred on the t88 values.

SHiP BC10 (card ship, 6e20 POT, every ALP decay simulated, >= 2 tracks for the inclusive ones):
- lower edge at 0.7 / 0.8 / 1.2 / 1.5 / 2.0 GeV: 1.03 / 1.05 / 2.59 / 2.26 / 1.27 (2.60 at 1.2 GeV before the GKOZ 3 pi
  charge split, 9daf71e); upper 0.91 / 0.98 / 1.67 / 1.23 /
  0.76 (t60: the fermion-ALP pi0/eta/eta' mixing angles were 4x too small, the quark couplings entering them as c_ff/2
  instead of 2 c_ff, :func:`na62lab.fips.alp_production.mixing_angles`; before that fix 1.06 / 1.09 / 2.70 / 2.29 /
  1.27, upper 0.87 / 0.92 / 1.60 / 1.21 / 0.76).  Earlier history (same MC): first 0.81 / 0.84 / 2.00 / 1.67 / 0.89,
  upper 0.90 / 0.96 / 1.70 / 1.30 / 0.83 (0.9 GeV, 10 mass nodes: lower 1.14, upper 0.81); then, with the one-loop RG
  b -> s a coupling (:mod:`na62lab.fips.alp_flavour`) and B -> K a, B -> K* a only, 1.58 / 1.62 / 3.90 / 3.30 / 1.76,
  upper 0.84 / 0.89 / 1.50 / 1.11 / 0.72; now with the inclusive B -> X_s a as well.  The leading-log coefficient of
  Izaguirre, Lin, Shuve (arXiv:1611.09355) is what GKOZ replace by the RG result; for the derivative universal
  coupling of our ``alp-fermion`` (and of GKOZ, arXiv:2310.03524, the reference's phenomenology) the RG result of
  arXiv:2012.12272 is 3.85x smaller in amplitude (15x in rate): g_bs = 3.58e-4 x c_ff/Lambda against ALPINIST's
  3.52e-4 (as quoted by grendel-sensitivity, CBS_EFF; tests/fips/test_alp_flavour.py). The first agreement at 0.7-0.8
  GeV was that 15x compensating the missing kaon resonances (and more).
- Production: B -> X_s a (quark level over b -> c l nu, as the dark scalar's B -> X_s S) is 88 / 85 / 86 / 95 / 100 %
  of our events at the lower edge, pi0/eta/eta' mixing the rest (eta 9 / 4 / 1 %, eta' 3 / 12 / 13 / 5 % at 0.7 / 0.8
  / 1.2 / 1.5 GeV; <= 1 % before the mixing fix), Primakoff 0; B -> X_s a is 5.0 / 4.2 x B -> K a + B -> K* a at 0.7 /
  1.5 GeV.  The reference sums B -> K_i a over the kaon tower (K, K*(892), K0*(700), K0*(1430), K*(1410), K*(1680),
  K1(1270), K1(1400), K2*(1430)), ~4x K + K*(892) ("almost 4x", GKOZ; 3.9-4.1x in grendel-sensitivity's
  implementation).  Test-only variant with the reference's B production instead of ours ((3.518e-4 / 3.583e-4)^2 x 4 x
  (K + K*), 0.77-1.10 x our X_s): lower 1.09 / 1.11 / 2.69 / 2.31 / 1.24 (2.70 before the 3 pi split), upper 0.90 /
  0.98 / 1.67 / 1.23 / 0.77 (before the mixing fix 1.13 / 1.17 / 2.82 / 2.35 / 1.24, upper 0.87 / 0.92 / 1.58 / 1.21 /
  0.77).  Below 1 GeV the
  remaining 9-11 % is about 1.4-1.5x more events in the reference, plausibly its other light-meson production
  (bremsstrahlung, generalised mixing: arXiv:2501.04525), not simulated here.
- 1.2-1.5 GeV (issue 16, t95: widths or production? decided with public numbers): the reference's lower AND
  upper edges both fall at 1.30 and 1.44 GeV (lower 2.105e-9 / 2.530e-9, upper 1.131e-7 / 1.534e-7 GeV^-1 at the
  minima, 1.2998 / 1.4408 and 1.3004 / 1.4408 GeV), the signature of a larger width (a larger production would
  lower the lower edge but raise the upper one).  Ours / reference at 0.7 / 0.8 / 1.2 / 1.3 / 1.44 / 1.5 / 2.0 GeV:
  lower 0.97 / 1.01 / 2.47 / 4.52 / 3.20 / 2.15 / 1.21, upper 0.92 / 0.99 / 1.73 / 6.64 / 3.10 / 1.28 / 0.80.
  * Widths: the arXiv:2501.04525 widths as shipped by SensCalc (tests/fips/senscalc_alp_fermion.py, provenance
    there; tests/fips/test_alp_fermion_senscalc_widths.py) are 5.1 / 60 / 14.7 / 2.8x our total width (GKOZ,
    arXiv:2310.03524, :mod:`na62lab.fips.alp_hadrons`) at 1.2 / 1.3 / 1.44 / 1.5 GeV: eta pi pi through the
    eta(1295) at 1.3 GeV (63x our eta pi pi), K Kbar pi through the eta(1405)/eta(1475) at 1.44 GeV (279x ours),
    the heavy pseudoscalars that paper mixes with the ALP; 1.10x ours at 0.6-0.8 GeV (a -> l l: a low-scale lepton
    coupling 1.050 x c_ff(Lambda), RG running we do not apply) and 0.82-0.87x at 2-2.7 GeV.  Test-only, with
    those widths (grouped onto our channels) in place of ours, same MC: lower 0.95 / 0.98 / 1.70 / 1.70 / 1.93 /
    1.76 / 1.23, upper 0.88 / 0.94 / 0.69 / 0.63 / 0.63 / 0.71 / 0.86: the dips are reproduced (the 1.3 GeV ratio
    falls from 4.52 to that at 1.2 GeV) and the upper edges now lie below the reference's.
  * Production: the SHiP collaboration's EventCalc table of the same phenomenology (ALPs per POT per g_Y^2,
    ShipSoft/EventCalc Total-yield-ALP-fermion.txt) is smooth at 1.2-1.5 GeV (peaks only at the pi0, eta, eta'
    masses): the dips are not production.  Our SHiP production / EventCalc's: 0.78 / 0.76 at 0.7 / 0.8 GeV, 0.64
    at 1.2-1.5 GeV, 0.56 at 2 GeV (our B -> X_s a is 96-100 % of ours; rescaled to the reference's kaon tower it
    would be 0.51-0.61 of EventCalc's yield, the rest plausibly the production arXiv:2501.04525 adds and we lack:
    proton bremsstrahlung in the quasi-real approximation, "fragmentation" (generalised ALP-meson mixing),
    rho -> a pi / omega -> a gamma / K_S -> a pi0 decays and Drell-Yan, as listed in SensCalc v.1.3.3's
    phenomenology/ALP-fermion/Production probabilities/ (binary MX files, not decomposable here); no formula is
    implemented).  With both the widths and EventCalc's yield (rescaled mass by mass, our spectra): lower 0.89 /
    0.92 / 1.51 / 1.51 / 1.72 / 1.57 / 1.06, upper 0.89 / 0.95 / 0.71 / 0.66 / 0.66 / 0.73 / 0.89.
  * What remains at 1.2-1.5 GeV (x1.5-1.7 in the lower edge; the upper edges 0.66-0.73 suggest the reference's
    ALPs are also harder): the visibility of the hadronic decays.  Our card selects exclusive final states:
    pi pi eta needs eta -> gamma gamma (0.39) and both photons, K Kbar pi counts K+ K- pi0 only (1/6), where SHiP
    counts two charged tracks from a vertex; with the reference's widths 96-98 % of our events at 1.2-1.3 GeV are
    pi pi eta, and a probe counting every K Kbar pi moves the 1.44 GeV lower edge 1.93 -> 1.35 (1.5 GeV: 1.76 ->
    1.54; not pinned).  Not changed here: our default widths stay GKOZ's (arXiv:2310.03524) and the exclusive
    selection stays the card's; the variant is test-only.
  * t96 (issue 16): the ship card now selects its exclusive final states as SHiP counts them (card
    ``selection.exclusive_rule: charged_tracks``, CERN-SPSC-2023-033, arXiv:1811.00930: >= 2 accepted charged
    daughters, photons not required, any eta / pi0 decay, K Kbar pi in K+ K- pi0 and K+- K0 pi-+, 5/6 of an
    isoscalar's K Kbar pi width instead of 1/6, 4 pi in pi+ pi- 2 pi0 and 2 pi+ 2 pi-, all of it instead of 1/2).
    Same MC, before -> after, lower at 0.7 / 0.8 / 1.2 / 1.3 / 1.44 / 1.5 / 2.0 GeV: 0.97 / 1.01 / 2.47 / 4.52 /
    3.20 / 2.15 / 1.21 -> 0.97 / 1.01 / 1.82 / 3.27 / 2.27 / 1.52 / 0.97, upper 0.92 / 0.99 / 1.73 / 6.64 / 3.10 /
    1.28 / 0.80 -> 0.92 / 0.99 / 1.82 / 7.00 / 3.28 / 1.35 / 0.83; the reference's B production lower 1.03 / 1.06 /
    2.57 / 4.68 / 3.28 / 2.20 / 1.18 -> 1.03 / 1.06 / 1.88 / 3.38 / 2.33 / 1.55 / 0.95, upper -> 0.92 / 0.99 / 1.81 /
    6.96 / 3.26 / 1.34 / 0.83; with the arXiv:2501.04525 widths
    lower 0.95 / 0.98 / 1.70 / 1.70 / 1.93 / 1.76 / 1.23 -> 0.95 / 0.98 / 1.21 / 1.18 / 1.17 / 1.18 / 1.03, upper
    0.88 / 0.94 / 0.69 / 0.63 / 0.63 / 0.71 / 0.86 -> 0.88 / 0.94 / 0.73 / 0.70 / 0.73 / 0.76 / 0.89; with those
    widths and EventCalc's yield lower 0.89 / 0.92 / 1.51 / 1.51 / 1.72 / 1.57 / 1.06 -> 0.89 / 0.92 / 1.08 / 1.06 /
    1.05 / 1.05 / 0.89, upper -> 0.89 / 0.95 / 0.75 / 0.73 / 0.75 / 0.78 / 0.92.  pi pi eta is 88-92 % of our events
    at the 1.2-1.5 GeV lower edge (79-84 % before), K Kbar pi 1-4 % (0 before), 4 pi 23 % at 2 GeV (6 %); with the
    reference's widths K Kbar pi is 77 % at 1.44 GeV (61 % before).  What is left at 1.2-1.5 GeV with our widths is
    the widths (above).
  * 0be2f30: the ALP tables' pi pi eta (and the reference's grouped one) sums pi+ pi- eta and pi0 pi0 eta; pi0 pi0
    eta has no charged track from the vertex (its eta -> pi+ pi- X, 9 % of pi pi eta, neglected: conservative), so
    1 / 1.527 of it is counted (:data:`na62lab.fips.alp_hadrons.PIPIETA_CHARGED_SHARE`; was all of it), and 4 pi is 2/3
    pi+ pi- 2 pi0 (rho rho; was 1/2).  Same MC, lower at 1.2 / 1.3 / 1.44 / 1.5 / 2.0 GeV 1.82 / 3.27 / 2.27 / 1.52 /
    0.97 -> 2.00 / 3.60 / 2.50 / 1.67 / 1.01 (x1.10 = 0.69^-1/4: the counted width at 1.2-1.5 GeV x0.68-0.70), with
    the reference's widths 1.21 / 1.18 / 1.17 / 1.18 / 1.03 -> 1.34 / 1.31 / 1.20 / 1.27 / 1.07, with its widths and
    EventCalc's yield 1.08 / 1.06 / 1.05 / 1.05 / 0.89 -> 1.20 / 1.17 / 1.07 / 1.13 / 0.93.

CHARM BC10 (card charm, 2.4e18 POT; the card's e e, mu mu, gamma gamma):
- N_max 2.55 / 2.29 / 1.66 / 2.02 / 0.11 at 0.65 / 0.7 / 0.8 / 0.9 / 1.05 GeV: a sliver at 0.65 GeV (lower 5.2e-7,
  upper 7.7e-7 GeV^-1), B -> X_s a (N_max 2.33 / 2.16 / 1.49 / 0.97 alone) and, since the mixing fix (t60, 16x the
  fermion mixing rate), eta mixing at 0.65 GeV and eta' mixing at 0.9 GeV (N_max 1.2 alone); before it 2.3 / 2.2 / 1.5
  / 1.0 / 0.07 (seed 4: 2.0 / 2.0 / 1.5 / 1.0).  With the reference's B production (test-only) 2.0 / 1.8 / 1.3 / 1.85
  / 0.10 (before the mixing fix 1.8 / 1.7 / 1.2 / 0.8).  Before the inclusive B revision (15x the B rate, exclusive K,
  K*) lower edges 3.4e-7 GeV^-1 at 0.65-0.9 GeV, 0.81 / 0.59 / 0.72 / 2.33 x the union's, upper 0.2-0.4 x.  The
  union's band (0.56-0.94 GeV, lower 4.2e-7 / 5.6e-7 / 4.6e-7 / 1.5e-7, upper 2-3e-6) and its 0.98-1.14 GeV islet rest
  on production we do not simulate (hard ALPs from light-meson mixing / bremsstrahlung in arXiv:2501.04525, which an
  upper edge 3-5x above B-produced ALPs' suggests) or on another dump; the union is not separable, so this is not
  decomposed further.

CHARM HNL, |U_e|^2 (hnl-e, Majorana; the card has no HNL channel: test-only copies of its e e channel for
nu e e, e mu nu, nu mu mu, no detection efficiency):
- lower |U_e|^2 at 0.3 / 0.5 / 0.8 / 1.0 / 1.3 / 1.6 / 1.9 GeV: 0.29 / 0.80 / 0.58 / 0.42 / 0.38 / 0.41 / 0.82 (0.37 at
  1.3 GeV before the tau polarisation, 8fe9e51; 0.82 at 0.5 GeV before the HNLs of charmed baryons, f432d99:
  Lambda_c, Xi_c -> Lambda, Xi e N make 4.8 / 1.5 / 0.1 % of the events at the 0.5 / 0.8 / 1.0 GeV edge).  The
  "D+, D0 only" variant below also leaves the baryons out.
- 0.3 GeV: 92 % of our events are K+ -> e+ N from kaons decaying in the copper before absorption; without them
  1.06 (the CHARM search is titled for 0.5-2.8 GeV, charm-meson production; the compilation extends it to 0.16
  GeV).  K+ -> e+ N in the dump is physics we keep (kaons that decay in flight before they are absorbed,
  absorption length from the card, APPROXIMATE, as on every card).
- 0.5-1.9 GeV (D, D_s): the ALPINIST CHARM shower efficiency 0.51 (the card's e e / gamma gamma value) on all
  three channels gives 0.41 / 1.15 / 0.82 / 0.59 / 0.53 / 0.57 / 1.16 (nu e e only with it, 3000 FIPs, 8 nodes:
  0.54 / 1.61 / 1.20 / 0.88 / 0.72 / 0.75 / 1.67).  CHARM's own selection (channels, efficiencies) is not
  reachable, so the card gets no HNL channel: the band above is what the test pins.
- Decomposition (t61, test-only): D_s+ -> e+ N (and the D_s taus) is 0.49 / 0.74 / 0.85 / 0.89 of our events at
  the lower edge at 0.8 / 1.0 / 1.3 / 1.6 GeV.  With the D_s and K+ modes removed (D+, D0 -> (K, K*) e N and
  D+ -> e N only) the ratios are 1.10 / 0.87 / 0.81 / 0.84 / 0.96 / 1.23 at 0.3-1.6 GeV: the 1986 curve is
  what our D+, D0 alone give, within 25 %.  It is NOT evidence that CHARM left the D_s out: the curve reaches
  2.05 GeV, beyond every D+, D0 channel (m_D+ - m_e = 1.87 GeV), where only D_s (then F) -> e N produces, and at
  1.9 GeV ours is 0.82 x it.  Which charm cross section, F fraction and Dirac/Majorana convention the 1986
  analysis and the compilation's conversion used is not reachable; for U_tau the modern recast of the same
  data, arXiv:2107.14685, is reproduced to 0.81-1.30 (tests/analyses/test_charm_hnl_tau_recast.py).
- |U_mu|^2 (hnl-mu): grendel-sensitivity holds no CHARM curve for U_mu (only CHARM-II, a different experiment);
  ours (same test-only channels, 2000 FIPs, 8 nodes) 8.6e-7 / 6.2e-7 / 1.8e-7 / 8.9e-8 / 4.2e-8 / 3.3e-8 / 5.4e-8
  at 0.3 / 0.5 / 0.8 / 1.0 / 1.3 / 1.6 / 1.8 GeV, not pinned.

Nothing here is tuned; bands hold the measured values with the MC margin (seed 4 instead of 3 moves the ratios
by < 2 %, the HNL ones at 0.3 GeV by 7 %, CHARM's BC10 N_max by up to 14 %, measured when this test was written).
"""

from contextlib import ExitStack

import numpy as np
import pytest

from na62lab.analyses.beam_dump_references import crossings
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.fips import get_model
from na62lab.fips.alp_flavour import universal_fermion_fcnc_coefficient
from na62lab.fips.constants import CKM, HIGGS_VEV
from na62lab.physics.units import GeV
from na62lab.generation.dump.sources import production_modes
from na62lab.generation.dump.tables import load_table
from na62lab.yields.dump_grid import expected_events

from na62lab.yields import dump_grid
from tests.fips.senscalc_alp_fermion import EVENTCALC_SHIP_YIELD, SENSCALC_2501_GROUPED

from .reference_vertices import vertex_at as _at   # linear, log-log with log=True

LIMIT = 2.3
G_BS_REFERENCE = 3.518383e-4
"""b -> s a coupling per unit 1/f (BNT) of the reference's phenomenology (module docstring; test-only)."""
KAON_TOWER = 4.0
"""B -> K_i a over the kaon tower / B -> K a + B -> K*(892) a in the reference's phenomenology (test-only)."""


SHIP_BC10 = {   # GeV -> (lower, upper) 1/f in GeV^-1, ship_alp2.dat (neighbouring vertices quoted)
    0.7: (_at(0.7, (0.6999104, 2.258621e-08), (0.7002456, 2.258063e-08)),
          _at(0.7, (0.6995187, 1.136866e-05), (0.7000266, 1.135496e-05))),
    0.8: (_at(0.8, (0.7999602, 2.059823e-08), (0.8000265, 2.059633e-08)),
          _at(0.8, (0.7992996, 9.231372e-06), (0.8004282, 9.231372e-06))),
    1.2: (_at(1.2, (1.198612, 4.552177e-09), (1.201633, 4.482371e-09)),
          _at(1.2, (1.198832, 6.984554e-07), (1.200764, 6.839504e-07))),
    1.3: (_at(1.3, (1.299831, 2.105330e-09), (1.301490, 2.116813e-09)),      # the dips (module docstring)
          _at(1.3, (1.297822, 1.148733e-07), (1.300362, 1.130838e-07))),
    1.44: (_at(1.44, (1.439562, 2.532805e-09), (1.440754, 2.530067e-09)),
           _at(1.44, (1.439562, 1.536294e-07), (1.440793, 1.534253e-07))),
    1.5: (_at(1.5, (1.498782, 3.598977e-09), (1.501869, 3.622524e-09)),
          _at(1.5, (1.499054, 3.263692e-07), (1.501374, 3.293789e-07))),
    2.0: (_at(2.0, (1.998974, 6.328583e-09), (2.001607, 6.340721e-09)),
          _at(2.0, (1.996926, 6.187969e-07), (2.003993, 6.215762e-07))),
}
PAST_DUMPS_BC10 = {   # GeV -> (lower, upper) 1/f in GeV^-1, beamdumps_past_alp2.dat
    0.65: (_at(0.65, (0.6496631, 4.150994e-07), (0.6500515, 4.165131e-07)),
           _at(0.65, (0.6493112, 3.552780e-06), (0.6500515, 3.538643e-06))),
    0.7: (_at(0.7, (0.6994689, 5.608890e-07), (0.7000398, 5.610798e-07)),
          _at(0.7, (0.6999469, 2.688486e-06), (0.7002456, 2.683588e-06))),
    0.8: (_at(0.8, (0.7999867, 4.649869e-07), (0.8000265, 4.645990e-07)),
          _at(0.8, (0.7999336, 2.210076e-06), (0.8000265, 2.210349e-06))),
    0.9: (_at(0.9, (0.8993892, 1.508719e-07), (0.9000265, 1.497107e-07)),
          _at(0.9, (0.8998971, 2.982232e-06), (0.9001560, 2.982969e-06))),
}
CHARM_UE = {    # GeV -> lower |U_e|^2, charm_Ue_majorana.dat (log-log between the quoted vertices)
    0.3: _at(0.3, (0.281373, 3.555083e-06), (0.307661, 2.642064e-06), log=True),
    0.5: _at(0.5, (0.482350, 8.016834e-07), (0.525720, 6.499791e-07), log=True),
    0.8: _at(0.8, (0.754469, 3.111424e-07), (0.821504, 2.648676e-07), log=True),
    1.0: _at(1.0, (0.982068, 1.962662e-07), (1.056297, 1.830279e-07), log=True),
    1.3: _at(1.3, (1.298362, 1.061908e-07), (1.362484, 8.531879e-08), log=True),
    1.6: _at(1.6, (1.487109, 7.728655e-08), (1.639639, 7.605796e-08), log=True),
    1.9: _at(1.9, (1.780549, 8.468000e-08), (1.946416, 1.195127e-07), log=True),
}
HNL_CHANNELS = ("nuee", "emunu", "numumu")


def _mc(n_fip: int, nodes: int) -> DumpMC:
    return DumpMC(n_fip=n_fip, n_mass_nodes=nodes, n_ctau_nodes=60, seed=3)


def _charm_with_hnl_channels() -> DumpCard:
    """Test-only: the charm card with background-free nu e e, e mu nu, nu mu mu channels (copies of its e e)."""
    card = load_card("charm", DumpCard)
    return card.model_copy(update={"channels": dict(card.channels) | {c: card.channels["ee"] for c in HNL_CHANNELS},
                                   "mc": _mc(2000, 6)})


def _reference_widths_model():
    """Test-only: ``alp-fermion`` with the decay widths of arXiv:2501.04525 (SensCalc, grouped onto our channels,
    :data:`tests.fips.senscalc_alp_fermion.SENSCALC_2501_GROUPED`) at the masses of that table, and their
    pi+ pi- pi0 share of 3 pi; production, decay kinematics and selection are ours."""
    model = get_model("alp-fermion")
    ours_widths, ours_fraction = model.reduced_widths, model.final_state_fraction
    per_gy2 = GeV / (HIGGS_VEV / GeV) ** 2        # GeV^3 per (c_ff/Lambda)^2 -> MeV per g_Y^2

    def row(mass_mev: float) -> dict:
        return SENSCALC_2501_GROUPED[round(float(mass_mev) / GeV, 3)]

    def reduced_widths(mass):
        m = np.asarray(mass, float)
        out = {k: np.array(v, float) for k, v in ours_widths(m).items()}
        for idx in np.ndindex(m.shape):
            for channel in out:
                out[channel][idx] = row(m[idx]).get(channel, 0.0) * per_gy2
        return out

    def final_state_fraction(final_state, mass):
        if final_state != "3pi":
            return ours_fraction(final_state, mass)
        return np.vectorize(lambda x: row(x)["_3pi_charged"], otypes=[float])(np.asarray(mass, float))

    model.reduced_widths, model.final_state_fraction = reduced_widths, final_state_fraction
    return model


@pytest.fixture(scope="module")
def grids(tmp_path_factory):
    """(ship BC10, charm BC10, charm hnl-e, ship BC10 with the reference's widths) expected-event grids, one MC
    run each (the last reuses the first one's efficiency tables), in an empty cache."""
    with ExitStack() as stack:
        mp = stack.enter_context(pytest.MonkeyPatch.context())
        mp.setenv("NA62LAB_CACHE", str(tmp_path_factory.mktemp("cache")))
        g_y = np.geomspace(1e-8, 1e-1, 500)
        ship = load_card("ship", DumpCard).model_copy(update={"mc": _mc(2000, 6)})
        ship_masses = np.array(sorted(SHIP_BC10)) * GeV
        alp_ship = expected_events("alp-fermion", ship, ship_masses, g_y, use_cache=True)
        with pytest.MonkeyPatch.context() as widths:
            model, ours = _reference_widths_model(), dump_grid._model
            widths.setattr(dump_grid, "_model", lambda name: model if name == "alp-fermion" else ours(name))
            alp_ship_widths = expected_events("alp-fermion", ship, ship_masses, g_y, use_cache=True)
        charm = load_card("charm", DumpCard).model_copy(update={"mc": _mc(10000, 6)})
        alp_charm = expected_events("alp-fermion", charm, np.array(sorted(PAST_DUMPS_BC10) + [1.05]) * GeV, g_y,
                                    use_cache=False)
        hnl = expected_events("hnl-e", _charm_with_hnl_channels(), np.array(sorted(CHARM_UE)) * GeV,
                              np.geomspace(1e-12, 1e-2, 400), final_states=list(HNL_CHANNELS), use_cache=False)
    return alp_ship, alp_charm, hnl, alp_ship_widths


def _inv_f(grid, events) -> np.ndarray:
    """(n_mass, 2) lower and upper N = 2.3 edges as c_ff/Lambda = g_Y / v in GeV^-1."""
    return np.array([crossings(grid.couplings, row, LIMIT) for row in events]) / (HIGGS_VEV / GeV)


def _ratios(edges: np.ndarray, reference: dict) -> np.ndarray:
    return edges / np.array([reference[m] for m in sorted(reference)])


def _assert_bands(values, bands, shown) -> None:
    """Each of ``values`` strictly inside its (low, high) band of ``bands``; ``shown`` is printed on failure."""
    for (lo, hi), value in zip(bands, values):
        assert lo < value < hi, shown


def _reference_production(grid) -> np.ndarray:
    """Test-only: our B -> X_s a events rescaled, mass by mass, to the reference's b -> s a coupling times its
    kaon tower (4 x our B -> K a + B -> K* a)."""
    ours = universal_fermion_fcnc_coefficient() * CKM["ts"] * CKM["tb"]   # g_bs / (c_ff/Lambda)
    br = get_model("alp-fermion").reduced_production(grid.masses)
    scale = (G_BS_REFERENCE / ours) ** 2 * KAON_TOWER * (br["B->Ka"] + br["B->K*a"]) / br["B->Xsa"]
    assert np.all((scale > 0.7) & (scale < 1.2)), scale     # 0.77-1.10 at 0.65-2 GeV
    beauty = grid.by_mode["B->Xsa"]
    return grid.total - beauty + scale[:, None] * beauty


def test_convention_and_b_dominance(grids):
    alp_ship, alp_charm, *_ = grids
    assert alp_ship.coupling_name == alp_charm.coupling_name == "g_Y"
    beauty = alp_ship.by_mode["B->Xsa"]
    assert "B->Ka" in alp_ship.skipped and "B->K*a" in alp_ship.skipped      # inside B -> X_s a
    rows = np.arange(beauty.shape[0])
    lower = np.argmax(alp_ship.total >= LIMIT, axis=1)
    share = beauty[rows, lower] / alp_ship.total[rows, lower]
    assert np.all(share > 0.8), share               # measured 0.85-1.00 (mixing <= 15 %, Primakoff 0)


def test_ship_bc10_edges(grids):
    alp_ship, *_ = grids
    r = _ratios(_inv_f(alp_ship, alp_ship.total), SHIP_BC10)
    print("BC10 ours/SHiP lower", np.round(r[:, 0], 2), "upper", np.round(r[:, 1], 2))
    # masses 0.7, 0.8, 1.2, 1.3, 1.44, 1.5, 2.0 GeV (1.3 and 1.44 since t95: the reference's dips)
    # measured 0.97, 1.01, 2.00, 3.60, 2.50, 1.67, 1.01 (0be2f30: the ALP tables' pi pi eta counted in pi+ pi- eta only,
    #   0.655 of it, pi0 pi0 eta has no charged track; 4 pi 2/3 in pi+ pi- 2 pi0; 0.97, 1.01, 1.82, 3.27, 2.27, 1.52,
    #   0.97 at t96: exclusive final states by their charged tracks, as SHiP counts them; 0.97, 1.01, 2.47, 4.52, 3.20,
    #   2.15, 1.21 at t88, b baryons; t85 1.00, 1.03, 2.53, 2.19, 1.25 without 1.3 / 1.44; 1.03, 1.05, 2.59, 2.26, 1.27
    #   before; 1.06, 1.09, 2.70, 2.29, 1.27 before the t60 fix)
    _assert_bands(r[:, 0], [(0.9, 1.1), (0.93, 1.13), (1.82, 2.18), (3.28, 3.92), (2.27, 2.73), (1.52, 1.82),
                            (0.92, 1.1)], r)
    # measured 0.92, 0.99, 1.78, 6.85, 3.21, 1.32, 0.82 (0be2f30; 0.92, 0.99, 1.82, 7.00, 3.28, 1.35, 0.83 at t96; 0.92,
    #   0.99, 1.73, 6.64, 3.10, 1.28, 0.80 at t88; t85 0.91, 0.98, 1.68, 1.24, 0.77; 0.91, 0.98, 1.67, 1.23, 0.76
    #   before; 0.87, 0.92, 1.60, 1.21, 0.76 before t60)
    _assert_bands(r[:, 1], [(0.84, 1.02), (0.89, 1.09), (1.62, 1.94), (6.23, 7.47), (2.92, 3.5), (1.2, 1.44),
                            (0.72, 0.9)], r)


def test_ship_bc10_with_the_reference_b_production(grids):
    """The reference's B production (one-loop coupling x kaon tower, test-only) instead of our inclusive
    B -> X_s a moves the edges by < 6 %: at 1.2-1.5 GeV the gap is the decay widths first
    (:func:`test_ship_bc10_with_the_reference_widths`, module docstring)."""
    alp_ship, *_ = grids
    r = _ratios(_inv_f(alp_ship, _reference_production(alp_ship)), SHIP_BC10)
    print("BC10 reference B production: lower", np.round(r[:, 0], 2), "upper", np.round(r[:, 1], 2))
    # measured 1.03, 1.06, 2.07, 3.72, 2.56, 1.70, 0.99 (0be2f30, pi+ pi- eta only; 1.03, 1.06, 1.88, 3.38, 2.33, 1.55,
    #   0.95 at t96, charged-track rule; 1.03, 1.06, 2.57, 4.68, 3.28, 2.20,
    #   1.18 at t88; t85 1.06, 1.09, 2.62, 2.24, 1.22 without 1.3 / 1.44; 1.09, 1.11, 2.69, 2.31, 1.24 before; 1.13,
    #   1.17, 2.82, 2.35, 1.24 before the t60 mixing fix)
    _assert_bands(r[:, 0], [(0.95, 1.16), (0.97, 1.19), (1.88, 2.26), (3.39, 4.05), (2.33, 2.79), (1.55, 1.85),
                            (0.9, 1.08)], r)
    # measured 0.92, 0.99, 1.77, 6.81, 3.19, 1.31, 0.82 (0be2f30; 0.92, 0.99, 1.81, 6.96, 3.26, 1.34, 0.83 at t96; 0.92,
    #   0.99, 1.72, 6.59, 3.09, 1.27, 0.80 at t88; 0.90, 0.98, 1.67, 1.23, 0.77 at t85 and before; 0.87, 0.92, 1.58,
    #   1.21, 0.77 before t60)
    _assert_bands(r[:, 1], [(0.83, 1.01), (0.89, 1.09), (1.61, 1.93), (6.2, 7.42), (2.9, 3.48), (1.19, 1.43),
                            (0.74, 0.91)], r)


def test_ship_bc10_with_the_reference_widths(grids):
    """arXiv:2501.04525's decay widths (SensCalc, test-only) in place of ours: the 1.3 and 1.44 GeV dips of the
    reference close (module docstring); the rest of the 1.2-1.5 GeV gap is production and visibility."""
    *_, alp_ship_widths = grids
    r = _ratios(_inv_f(alp_ship_widths, alp_ship_widths.total), SHIP_BC10)
    print("BC10 with the reference's widths: lower", np.round(r[:, 0], 2), "upper", np.round(r[:, 1], 2))
    # measured 0.95, 0.98, 1.34, 1.31, 1.20, 1.27, 1.07 at 0.7, 0.8, 1.2, 1.3, 1.44, 1.5, 2.0 GeV (0be2f30: pi pi eta in
    #   pi+ pi- eta only, the reference's widths sum both charge states too; ours: 0.97, 1.01, 2.00, 3.60, 2.50, 1.67,
    # 1.01): the dips are gone; 0.95, 0.98, 1.21, 1.18, 1.17, 1.18, 1.03 at t96, charged-track rule; before t96 0.95,
    #   0.98, 1.70, 1.70, 1.93, 1.76, 1.23 (every photon of pi pi eta required, K+ K- pi0 only)
    _assert_bands(r[:, 0], [(0.87, 1.05), (0.89, 1.08), (1.22, 1.46), (1.19, 1.43), (1.09, 1.31), (1.16, 1.38),
                            (0.97, 1.17)], r)
    # measured 0.88, 0.94, 0.71, 0.67, 0.72, 0.75, 0.88 (0be2f30; 0.88, 0.94, 0.73, 0.70, 0.73, 0.76, 0.89 at t96; 0.88,
    #   0.94, 0.69, 0.63, 0.63, 0.71, 0.86 before)
    _assert_bands(r[:, 1], [(0.8, 0.97), (0.85, 1.03), (0.66, 0.8), (0.63, 0.77), (0.66, 0.8), (0.69, 0.84),
                            (0.8, 0.98)], r)
    # and with our production rescaled, mass by mass, to EventCalc's yield (same spectra; test-only)
    masses = sorted(SHIP_BC10)
    scale = np.array([EVENTCALC_SHIP_YIELD[m] for m in masses]) / _ship_yield_per_pot(masses)
    both = _ratios(_inv_f(alp_ship_widths, scale[:, None] * alp_ship_widths.total), SHIP_BC10)
    print("BC10 with the reference's widths and EventCalc's yield: lower", np.round(both[:, 0], 2), "upper",
          np.round(both[:, 1], 2))
    # measured 0.89, 0.92, 1.20, 1.17, 1.07, 1.13, 0.93; upper 0.89, 0.95, 0.73, 0.70, 0.74, 0.77, 0.91 (0be2f30, pi pi
    #   eta in pi+ pi- eta only; 0.89, 0.92, 1.08, 1.06, 1.05, 1.05, 0.89 and 0.89, 0.95, 0.75, 0.73, 0.75, 0.78, 0.92
    #   at t96; before lower 0.89, 0.92, 1.51, 1.51, 1.72, 1.57, 1.06, upper 0.89, 0.95, 0.71, 0.66, 0.66, 0.73, 0.89)
    _assert_bands(both[:, 0], [(0.81, 0.98), (0.84, 1.01), (1.09, 1.31), (1.06, 1.28), (0.97, 1.17), (1.03, 1.23),
                               (0.85, 1.01)], both)


def _ship_yield_per_pot(masses_gev) -> np.ndarray:
    """Our produced ALPs per POT per g_Y^2 on the ship card (every production mode of the card)."""
    card = load_card("ship", DumpCard)
    masses = np.asarray(masses_gev, float) * GeV
    modes = production_modes(get_model("alp-fermion"), card, load_table(card.production.production_table)).modes
    return sum(np.where((masses < md.max_mass) & (masses >= md.min_mass), np.nan_to_num(md.rate(masses)), 0.0)
               for md in modes)


def test_ship_bc10_production_against_eventcalc():
    """Our ALP production at SHiP per POT per g_Y^2 against the SHiP collaboration's EventCalc table of the
    reference's phenomenology (no structure at 1.3 / 1.44 GeV there: the dips are not production)."""
    masses = sorted(EVENTCALC_SHIP_YIELD)
    ratio = _ship_yield_per_pot(masses) / np.array([EVENTCALC_SHIP_YIELD[m] for m in masses])
    print("BC10 SHiP production ours / EventCalc", dict(zip(masses, np.round(ratio, 3))))
    # measured 0.778, 0.755, 0.636, 0.644, 0.642, 0.636, 0.557 at 0.7, 0.8, 1.2, 1.3, 1.44, 1.5, 2.0 GeV
    assert np.allclose(ratio, [0.778, 0.755, 0.636, 0.644, 0.642, 0.636, 0.557], rtol=0.05), ratio
    reference = np.array([EVENTCALC_SHIP_YIELD[m] for m in masses])
    assert np.all(np.abs(np.diff(np.log(reference[2:6]))) < 0.06)     # smooth at 1.2-1.5 GeV (< 6 % per step)


def test_charm_bc10_against_the_past_dump_union(grids):
    """Our CHARM excludes 0.65 to ~0.77 GeV (a sliver at 0.65 GeV before t88); the union excludes 0.56-0.94 GeV."""
    _, alp_charm, *_ = grids
    n_max = alp_charm.total.max(axis=1)
    print("BC10 CHARM N_max", np.round(n_max, 3), "with the reference's B production",
          np.round(_reference_production(alp_charm).max(axis=1), 2))
    # measured 3.22, 2.84, 2.10, 2.20, 0.13 (t88, b baryons; t85 2.82, 2.51, 1.84, 2.09, 0.12; 2.55, 2.29, 1.66,
    #   2.02, 0.11 before; 2.34, 2.17, 1.50, 1.03, 0.07 before the t60 mixing fix)
    _assert_bands(n_max, [(2.6, 3.9), (2.3, 3.4), (1.7, 2.55), (1.75, 2.65), (0.0, 0.2)], n_max)
    # measured 2.51, 2.21, 1.67, 2.00, 0.11 (t88: above 2.3 at 0.65 GeV now; t85 2.20, 1.95, 1.47, 1.91, 0.10;
    #   2.00, 1.78, 1.33, 1.85, 0.10 before)
    _assert_bands(_reference_production(alp_charm).max(axis=1), [(2.0, 3.0), (1.75, 2.65), (1.35, 2.0), (1.6, 2.4),
                                                                 (0.0, 0.2)], n_max)
    union = np.array([PAST_DUMPS_BC10[m] for m in sorted(PAST_DUMPS_BC10)])
    assert np.all(union[:, 1] / union[:, 0] > 4)    # the union excludes a band 4.8-20x wide there


def test_charm_hnl_ue_lower_edge(grids):
    _, _, hnl, _ = grids
    u2 = hnl.couplings
    lower = np.array([crossings(u2, row, LIMIT)[0] for row in hnl.total])
    ref = np.array([CHARM_UE[m] for m in sorted(CHARM_UE)])
    r = lower / ref
    print("HNL CHARM |U_e|^2 ours/reference lower", np.round(r, 2))
    _assert_bands(r, [(0.24, 0.34), (0.72, 0.92), (0.51, 0.66), (0.37, 0.48), (0.33, 0.43), (0.36, 0.46),
                     (0.72, 0.93)], r)  # measured 0.29, 0.80, 0.58, 0.42, 0.38, 0.41, 0.82 (f432d99, charmed
    #                                     baryons: 4.8 / 1.5 % of the events at the 0.5 / 0.8 GeV edge; 0.82 before)
    kaons = hnl.by_mode["K+->e+N"]
    no_kaon = crossings(u2, hnl.total[0] - kaons[0], LIMIT)[0] / ref[0]
    assert 0.92 < no_kaon < 1.2, no_kaon            # measured 1.06: the 0.3 GeV gap is K+ -> e+ N
    showers = np.array([crossings(u2, row, LIMIT)[0] for row in 0.51 * hnl.total]) / ref
    print("HNL CHARM with the shower efficiency 0.51:", np.round(showers, 2))
    assert np.all((showers[1:] > 0.45) & (showers[1:] < 1.35)), showers   # measured 1.12, 0.81, 0.59, 0.53, 0.57, 1.16
    #                                                                       (1.15, 0.82 before the charmed baryons)
    no_ds = hnl.total - sum(v for k, v in hnl.by_mode.items() if k.startswith(("Ds+", "K+", "Lambda(", "Xi(")))
    d_only = np.array([crossings(u2, row, LIMIT)[0] for row in no_ds[:-1]]) / ref[:-1]
    print("HNL CHARM with D+, D0 only (test-only):", np.round(d_only, 2))
    # measured 1.10, 0.87, 0.81, 0.84, 0.96, 1.23 (module docstring: not evidence that CHARM left the D_s out)
    _assert_bands(d_only, [(0.95, 1.26), (0.77, 0.97), (0.72, 0.91), (0.75, 0.94), (0.86, 1.07), (1.1, 1.38)],
                  d_only)
