"""The ship card against the SHiP-ECN3 HNL (BC7) and dark-scalar (BC4) curves of the PBC reports (issue 16).

Sources (no curve is copied here: the reference edges below are read off the files, interpolated between
neighbouring vertices):

- BC7: the SHiP |U_mu|^2 contour of the PBC 2025 BC7 figure (arXiv:2505.00947v2, fig:pbc_bc7_gray_final), as
  extracted from the figure's vector paths in exoticdarksectors/grendel-sensitivity (BSD-3-Clause), commit
  c4af75bfe39db26668a35013e60600a5023a8bde, curves/data/hnl/vector/SHiP_Umu.dat (mass, lower, upper U^2 on a
  mass grid).  The file states neither POT, event threshold, production nor selection; SHiP at ECN3 with
  6e20 POT, N = 2.3 background-free, a Majorana HNL and two-track decays (the SHiP convention,
  CERN-SPSC-2023-033; arXiv:1811.00930) are assumed (unverified: the report's caption was not reachable).
  Below 1.9 GeV its upper edge is a flat line at U^2 = 9.7e-4 (a closing line of the figure, not a
  sensitivity boundary): upper edges are compared only from 2.5 GeV.
- BC4: the SHiP theta^2 contour of the PBC ECN3 report (arXiv:2310.17726, Fig. 9, BC4), traced in the same
  repository and commit from the identical rendering in arXiv:2504.06692, curves/data/bc4/projections/
  ship_bc4.dat (lower and upper chains, y = theta^2); same assumptions on POT, N and selection.
- The scalar lifetime of SHiP's own sampler: ShipSoft/EventCalc (no licence file; values quoted, not copied),
  commit ace935e3df1629cd48b7f0f3407aa61a6753bdcf, Distributions/Scalar-mixing/ctau-Scalar.txt, c tau at
  sin(theta) = 1.
- SHADOWS (1e19 POT): no public HNL or dark-scalar curve was found (EventCalc, SensCalc contours/, FORESEE
  Models/*/lines, DarkMatterLive data/BC4, BC6, BC7 (empty), HNLimits data/, grendel-sensitivity): only the
  ALPINIST BC9/BC11 tables (tests/analyses/test_alpinist_bc9_bc11_reference.py).  No SHiP-ECN3 BC6 curve
  either (grendel-sensitivity extracted only the muon panel; HNLimits' SHiP curves are the 2018 BDF design,
  arXiv:1811.00930, 2e20 POT, another geometry).

Measured ours/reference (the card, 6e20 POT, N = 2.3; this test's MC, 3000 FIPs per node, seed 3):

BC7 (HNL channels pie ... numumu now in the card: without them it had no HNL final state at all):
- charm region, lower edge at 0.5 / 1.0 / 1.5 GeV: 0.98 / 1.11 / 1.20 (0.98 / 1.12 / 1.43 before t35).  The
  SHiP convention counts every two-track decay; our decay generator simulates pi l, K l, rho l, l l nu and,
  since t35, the multi-hadron width above 1 GeV as a lepton or neutrino plus a Pythia-hadronised q qbar'
  system with >= 2 accepted charged tracks (visible BR 0.60 / 0.67 / 0.71, 0.60 / 0.66 / 0.57 before).
  Test-only variant with every decay that has charged tracks (all but nu nu nu, pi0 nu, eta nu, eta' nu;
  visible BR 0.60 / 0.71 / 0.78), same acceptance per decay: 0.98 / 1.08 / 1.14 (1.20 before t35).
- beauty region, lower edge at 2.5 / 3 / 4 / 5 GeV: 2.01 / 2.31 / 1.60 / 0.59, upper 0.83 / 0.83 / 0.78 / 1.04
  (reference point at 5 GeV: 2.451e-8 / 5.145e-7, the same file).  Production: B_c+ -> mu N with the card's
  assumed B_c+/B+ = 7.6e-3 (the LHC fraction, production.bc_to_bplus; SensCalc's SPS b-quark tables with and
  without B_c imply 2.9e-3 B_c per b quark, the same within 5 %) dominates above 3.3 GeV (BR(B_c+ -> mu N) =
  430 x BR(B+ -> mu N) at 4 GeV): 27 / 71 / 95 % of our events at the lower edge at 3 / 4 / 5 GeV.  Without it
  (B_c+ modes subtracted, test-only): 2.02 / 2.71 / 3.05 / none, upper 0.79 / 0.71 / 0.62 / none, as before
  B_c+ was added (2.13 / 2.80 / 3.12).  The reference itself appears to omit B_c+: it closes at 5.13 GeV, below
  m(B+) - m_mu = 5.17 GeV, where B_c+ -> mu N would keep it open to ~6 GeV (inferred from the curve, not stated).
  B_s -> D_s(*) mu N (added with B_c) is 9 / 4 % of the events at 2.5 / 3 GeV.  The visible BR (0.36 / 0.32 / 0.25 /
  0.22 against 0.83 / 0.85 / 0.87 / 0.88 with charged tracks; multi-hadron decays dominate) explains the rest
  (variant: lower 1.32 / 1.40 / 0.84 / 0.26); baryon decays (Lambda_b -> Lambda_c l N) were not simulated then
  (they are since f432d99, below).
  t35, the multihadron channel (visible BR 0.36 / 0.32 / 0.25 / 0.22 -> 0.77 / 0.78 / 0.80 / 0.81): lower
  1.11 / 1.15 / 0.63 / 0.18, upper 0.90 / 0.97 / 1.01 / 1.71; without B_c+ lower 1.12 / 1.35 / 1.19 / 1.06,
  upper 0.85 / 0.85 / 0.82 / 0.84 (2.02 / 2.71 / 3.05 / none and 0.79 / 0.71 / 0.62 / none before); the
  every-charged-decay variant 1.07 / 1.10 / 0.60 / 0.17.  The beauty-region shortfall was the multi-hadron
  width; what remains is B_c+ (which the reference appears to omit) and the flat l q qbar' phase space.
  t50, one charged-current rule for the inclusive width and its composition (fips.hnl.cc_quark_width: x the
  heaviest of m_l and the MS-bar quark masses instead of the meson masses, so that c sbar opens more above
  m(D_s); c tau -1.1 / -0.8 / -9.4 % at 1.5 / 2 / 3 GeV): charm region lower 0.98 / 1.10 / 1.18 (was 0.98 /
  1.11 / 1.20); beauty lower 1.03 / 1.04 / 0.56 / 0.16, upper 0.84 / 0.88 / 0.89 / 1.54; without B_c+ lower
  1.04 / 1.21 / 1.06 / 0.98, upper 0.80 / 0.77 / 0.72 / 0.76; every-charged-decay variant lower 0.98 / 1.07 /
  1.13 in the charm region, 1.00 / 1.00 / 0.54 / 0.15 in the beauty region; visible BR 0.60 / 0.68 / 0.71 /
  0.79 / 0.80 / 0.82 / 0.83 at 0.5 ... 5 GeV.
  t56, the b -> u production modes B -> pi / rho l N, B_s -> K(*) l N (fips.hnl_semileptonic(_vector), rates
  normalised to the PDG B -> pi, rho, B_s -> K l nu BRs): 2.5 / 17 / 13 / 3.7 / 0.7 % of our events at the
  lower edge at 2.5 / 3 / 3.5 / 4 / 4.5 GeV; hnl-mu lower edge |U_mu|^2 at 2.5 / 3 / 3.5 / 4 / 4.5 GeV
  5.67 / 11.38 / 9.10 / 5.70 / 4.36e-9 -> 5.59 / 10.38 / 8.49 / 5.59 / 4.35e-9 (-1.3 / -8.8 / -6.7 / -1.9 /
  -0.3 %), upper +0.7 %; hnl-e (BC6, same card) -1.3 / -7.9 / -6.8 / -2.0 / -0.4 %.  Ours/SHiP: lower 1.03 /
  1.04 / 0.56 / 0.16 -> 1.02 / 0.95 / 0.54 / 0.16 at 2.5 / 3 / 4 / 5 GeV, upper 0.84 / 0.88 / 0.89 / 1.54 ->
  0.86 / 0.89 / 0.89 / 1.56; without B_c+ lower 1.04 / 1.21 / 1.06 / 0.98 -> 1.03 / 1.07 / 1.01 / 0.99.
  t56, the inclusive hadronic width with the QCD series of arXiv:1805.08567 (1 + a + 5.2 a^2 + 26.4 a^3 instead
  of 1 + a + 1.64 a^2 + 6.37 a^3, widths +3-4 % above 1.5 GeV) and switched on strictly above 1 GeV (the 1 GeV
  node is now exclusive, as in SensCalc's table): charm region lower 0.98 / 1.10 / 1.18 -> 0.98 / 1.12 / 1.14;
  beauty lower 1.02 / 0.95 / 0.54 / 0.16 -> 1.00 / 0.93 / 0.54 / 0.16, upper 0.86 / 0.89 / 0.89 / 1.56 -> 0.83 /
  0.87 / 0.88 / 1.53; without B_c+ lower 1.01 / 1.05 / 0.98 / 0.98; every-charged-decay variant 0.98 / 1.09 /
  1.09 (charm), 0.97 / 0.90 / 0.52 / 0.15 (beauty).
  t63, the B_c+ fraction at the SPS (card production.bc_to_bplus): no measurement and no calculation of
  sigma(B_c) / sigma(b bbar) at sqrt(s) = 27 GeV was found (those found, IHEP 94-48, hep-ph/9505298, Phys. Usp.
  38 (1995) 1, address collider energies; the SHiP HNL papers' own assumption was not reachable), so the
  LHC-energy value stays as the UPPER bracket and no B_c+ is the lower one (na62lab.analyses.beam_dump_bc,
  printed with every dump result).  Re-measured (same MC): lower 1.00 / 0.93 / 0.54 / 0.16 at 2.5 / 3 / 4 / 5
  GeV with it, 1.01 / 1.05 / 0.98 / 0.98 without; B_c+ share of our events at the lower edge 1.3 / 22 / 69 /
  95 %.  The bracket holds the reference at 4 and 5 GeV only at its lower end, consistent with a reference
  without B_c+ (or with a much smaller fraction); the value is not chosen to match it.
  f432d99, HNLs from baryons (Lambda_c, Xi_c -> Lambda, Xi mu N; Lambda_b, Xi_b -> Lambda_c, Xi_c mu N;
  na62lab.fips.hnl_baryon, rates normalised to the measured BRs): 3.7 / 0 / 0 / 9.9 / 5.5 / 0 / 0 % of our events at
  the lower edge at 0.5 / 1 / 1.5 / 2.5 / 3 / 4 / 5 GeV (Lambda_c -> Lambda mu N ends at 1.07 GeV, Lambda_b ->
  Lambda_c mu N at 3.23 GeV; Pythia's Lambda_c are harder and more forward than its D: 13 % within 5 mrad
  against 4.4 %).  Same MC, before -> after: lower 0.98 / 1.12 / 1.14 -> 0.96 / 1.12 / 1.14 and 1.00 / 0.93 /
  0.54 / 0.16 -> 0.95 / 0.91 / 0.54 / 0.16, upper 0.83 / 0.87 / 0.88 / 1.53 -> 0.85 / 0.87 / 0.88 / 1.53; without
  B_c+ lower 1.01 / 1.05 / 0.98 / 0.98 -> 0.95 / 1.02 / 0.98 / 0.98; B_c+ share 1.3 / 22 -> 1.2 / 20 % at 2.5 / 3
  GeV; every-charged-decay variant 0.98 / 1.09 / 1.09, 0.97 / 0.90 -> 0.96 / 1.09 / 1.09, 0.92 / 0.87.
  t96, the exclusive final states selected as SHiP counts them (card selection.exclusive_rule: charged_tracks,
  >= 2 accepted charged daughters, photons not required): rho l no longer needs the two photons of rho+ -> pi+ pi0.
  Same MC, before -> after: charm region lower 0.96 / 1.12 / 1.14 -> 0.96 / 1.02 / 1.06, beauty 0.95 / 0.91 / 0.54 /
  0.16 -> 0.93 / 0.90 / 0.54 / 0.16 (upper unchanged); without B_c+ 0.95 / 1.02 / 0.98 / 0.98 -> 0.93 / 1.00 / 0.98
  / 0.98; every-charged-decay variant 0.96 / 1.09 / 1.09, 0.92 / 0.87 -> 0.96 / 1.00 / 1.01, 0.90 / 0.86.
- Majorana (the card's hnl-mu, as the reference): a Dirac HNL (half the widths) gives lower 1.38 / 1.59 /
  1.99 at 0.5 / 1 / 1.5 GeV and upper 1.68 / 1.60 / 1.42 at 2.5 / 3 / 4 GeV (probe, same MC): the charm-region
  agreement holds only for the Majorana convention.
BC4 (dark scalar, card channels ee, mumu, gammagamma, pipi, KK, 4pi, and since t35 the inclusive gg, ss, cc,
tautau: every scalar decay is simulated; numbers below before t35 unless stated):
- t85: B -> X_s S from every b meson of the table, B_s0 too (b -> s S is a b-quark decay;
  na62lab.generation.dump.channels.INCLUSIVE_B_SPECIES), +10.4 % B events.  Same MC, before -> after: lower 0.36 /
  0.86 / 1.23 / 0.82 / 0.66 / 1.18 -> 0.36 / 0.81 / 1.17 / 0.78 / 0.62 / 1.14 at 0.3 / 0.5 / 1.5 / 2 / 3 / 4 GeV, upper
  0.92 / 0.92 / 0.79 / 0.78 / 0.91 / 0.75 -> 0.92 / 0.93 / 0.81 / 0.79 / 0.92 / 0.76; beauty only at 0.3 GeV 0.83 ->
  0.80; exclusive x 1/BR 0.92 / 1.02 / 2.20 -> 0.89 / 0.97 / 2.14; the reference assumptions 0.74 / 0.78 / 1.16 /
  0.86 / 0.65 -> 0.71 / 0.74 / 1.11 / 0.83 / 0.62.  The items below are before t85.
- t88: the b baryons (Lambda_b0 0.165, Xi_b 0.018 per b bbar pair, Omega_b left out; Pythia's Lambda_b harder and
  more forward than its B, tests/analyses/test_na62_bc4_decomposition.py) decay by b -> s S too, +10.2 % B -> X_s S
  rate.  Same MC, t85 -> t88: lower 0.36 / 0.81 / 1.17 / 0.78 / 0.62 / 1.14 -> 0.36 / 0.78 / 1.11 / 0.75 / 0.59 /
  1.08, upper 0.92 / 0.93 / 0.81 / 0.79 / 0.92 / 0.76 -> 1.02 / 1.02 / 0.88 / 0.87 / 0.98 / 0.82 (the upper edge
  gains most, the baryons' harder scalars surviving to the vessel at larger couplings; the long-lived lower edge
  less than the rate, its decay probability falling as 1/p); beauty only at 0.3 GeV 0.80 -> 0.76;
  exclusive x 1/BR 0.89 / 0.97 / 2.14 -> 0.84 / 0.91 / 1.99; the reference assumptions 0.71 / 0.74 / 1.11 / 0.83 /
  0.62 -> 0.68 / 0.71 / 1.05 / 0.79 / 0.59.  Bands recentred on the t88 values.
- t96: exclusive final states by their charged tracks (card selection.exclusive_rule: charged_tracks; 4 pi as
  pi+ pi- 2 pi0 without its four photons and, counted now, 2 pi+ 2 pi-: the whole 4 pi width instead of half, the
  model's isospin split, fips.base.FIPModel.charged_track_modes): lower at 1.5 GeV 1.11 -> 0.75 (0.96 with the first
  rule alone), upper 0.88 -> 0.92, the other masses unchanged; the reference assumptions at 1.5 GeV 1.05 -> 0.71.
  The dark scalar's 4 pi is a multi-meson toy term (fips.dark_scalar) whose charge composition is an assumption
  (pi+ pi- 2 pi0 = 2 pi+ 2 pi-, no 4 pi0): 40 % of our events at the 1.5 GeV edge.
- lower edge at 0.3 / 0.5 / 1.5 / 2 / 3 / 4 GeV: 0.36 / 0.86 / 1.23 / 3.68 / 4.97 / 37; upper 0.92 / 0.92 / 0.79 /
  0.59 / 0.55 / 0.15.  Before t37 (S -> g g at leading order, q qbar with unrun masses, fips/dark_scalar.py):
  lower 0.36 / 0.86 / 1.31 / 3.65 / 4.85 / none, upper 0.92 / 0.92 / 1.12 / 1.31 / 1.35 / none (the same MC);
  the total width is now 1.9 / 2.0 x larger at 2 / 3 GeV (0.72 x at 1.5 GeV through the 4pi continuity) and
  the mu mu BR correspondingly smaller, which lowers the upper edges and raises the mu-mu-only lower edges.
- 0.3 GeV: 81 % of our events come from K -> pi S of kaons decaying in flight in the target (K+ 52 %, K_L
  25 %, K_S 3 %; 0.42 and 74 % before K_L -> pi0 S took the CP-conserving Re(lambda_t) rate); the reference
  has none (beauty only: 0.83).
- above 2 GeV the card counted mu mu only (S -> g g, s s, c c, tau tau were not simulated: visible BR 0.064 /
  0.046 / 0.012 at 2 / 3 / 4 GeV, 0.12 / 0.09 / 0.003 before t37).  Variant with every decay visible: lower
  0.92 / 1.02 / 2.19 at 2 / 3 / 4 GeV (1.27 / 1.42 / 1.15 before t37), upper 0.79 / 0.89 / 0.68.
- t35 (inclusive hadronic channels, Pythia-hadronised g g / q qbar / tau tau, >= 2 accepted charged tracks):
  lower 0.82 / 0.66 / 1.19 at 2 / 3 / 4 GeV, upper 0.78 / 0.91 / 0.75 (0.3-1.5 GeV unchanged): below the
  every-decay-visible variant because two of 3-6 tracks are accepted more often than both muons of mu mu.
  With the reference's assumptions (below) 0.86 / 0.65 at 2 / 3 GeV (0.97 / 1.01 before t35).
- lifetime: our c tau at theta = 1 is 1.25 / 1.22 / 1.12 / 0.90 / 1.02 x EventCalc's at 0.3 / 0.5 / 1.5 / 2 /
  3 GeV (t37: S -> g g with its NLO factor, q qbar with running masses and Delta_QCD; before, with the
  leading-order g g, 1.25 / 1.22 / 1.52 / 1.72 / 2.00, and the upper edges were 1.31 / 1.35 at 2 / 3 GeV).
- all three reference assumptions together (beauty only, every decay visible, EventCalc's total width, which
  the lower edge scales with in its long-lived regime; test-only): lower 0.74 / 0.78 / 1.16 / 0.97 / 1.01 at
  0.3 / 0.5 / 1.5 / 2 / 3 GeV (1.06 at 1.5 GeV before t37).

Nothing here is tuned; bands hold the measured values with the MC margin: seeds 4 and 5 and 20000 FIPs move
the ratios by < 3 % (< 5 % for the BC4 lower edge at 0.3 GeV), measured when this test was written.
"""

from contextlib import ExitStack

import numpy as np
import pytest

from na62lab.analyses.beam_dump_bc import bc_events, lower_edge_share
from na62lab.analyses.beam_dump_references import crossings
from na62lab.config.base import load_card
from na62lab.config.dump import INCLUSIVE_FINAL_STATES, DumpCard, DumpMC
from na62lab.fips import get_model
from na62lab.yields.dump_grid import expected_events, model_final_states

LIMIT = 2.3
BARYON_PARENTS = ("Lambda(c)+", "Xi(c)+", "Xi(c)0", "Lambda(b)0", "Xi(b)0", "Xi(b)-")
"""Parents of the HNL baryon channels (na62lab.fips.hnl_baryon)."""
HNL_CHANNELS = ("pie", "pimu", "Ke", "Kmu", "rhoe", "rhomu", "emunu", "nuee", "numumu")
NEUTRAL_ONLY = ("nununu", "pi0nu", "etanu", "eta'nu")
"""HNL decays without a charged track (the rest has at least two, or one plus a tau)."""

BC7 = {500.0: (1.113e-9, np.nan), 1000.0: (2.344e-10, np.nan), 1500.0: (8.52e-11, np.nan),
       2500.0: (5.48e-9, 1.48e-4), 3000.0: (1.097e-8, 4.00e-5), 4000.0: (1.027e-8, 4.93e-6),
       5000.0: (2.451e-8, 5.145e-7)}
"""m (MeV) -> (lower, upper) |U_mu|^2 of the SHiP BC7 curve (module docstring; upper only from 2.5 GeV)."""
BC4 = {300.0: (7.07e-11, 2.17e-5), 500.0: (2.15e-11, 1.58e-6), 1500.0: (5.02e-12, 6.29e-8),
       2000.0: (3.94e-12, 3.48e-8), 3000.0: (2.62e-12, 8.19e-9), 4000.0: (9.53e-13, 9.61e-10)}
"""m (MeV) -> (lower, upper) theta^2 of the SHiP BC4 curve (module docstring)."""
EVENTCALC_CTAU_M = {300.0: 4.356e-8, 500.0: 6.51e-9, 1500.0: 1.041e-9, 2000.0: 9.68e-10, 3000.0: 4.04e-10}
"""m (MeV) -> EventCalc's scalar c tau (m) at sin(theta) = 1 (module docstring)."""

MC = DumpMC(n_fip=3000, n_mass_nodes=10, n_ctau_nodes=60, seed=3)


def _card() -> DumpCard:
    card = load_card("ship", DumpCard)
    assert card.run.n_pot == 6.0e20
    return card.model_copy(update={"mc": MC})


@pytest.fixture(scope="module")
def grids(tmp_path_factory):
    """(HNL, scalar) expected-event grids of the ship card, one MC run each, in an empty cache."""
    with ExitStack() as stack:
        mp = stack.enter_context(pytest.MonkeyPatch.context())
        mp.setenv("NA62LAB_CACHE", str(tmp_path_factory.mktemp("cache")))
        card = _card()
        u2 = np.geomspace(1e-12, 1e-2, 400)
        hnl = expected_events("hnl-mu", card, np.array(sorted(BC7)), u2, use_cache=False)
        theta = np.geomspace(1e-8, 1e-1, 400)
        scalar = expected_events("dark-scalar", card, np.array(sorted(BC4)), theta, use_cache=False)
    return card, hnl, scalar


def _edges(couplings: np.ndarray, events: np.ndarray, squared: bool = False) -> np.ndarray:
    """(n_mass, 2) lower and upper crossings of N = 2.3 (squared couplings if ``squared``)."""
    out = np.array([crossings(couplings, row, LIMIT) for row in events])
    return out**2 if squared else out


def _ratios(edges: np.ndarray, reference: dict) -> np.ndarray:
    ref = np.array([reference[m] for m in sorted(reference)])
    return edges / ref


def _visible_fraction(model_name: str, masses, channels) -> np.ndarray:
    model = get_model(model_name)
    return np.array([sum(float(model.branching_ratios(m, 1e-8 if model_name.startswith("hnl") else 1e-4)[c])
                         for c in channels if c in model.decay_channels) for m in masses])


def test_ship_card_reconstructs_hnl_two_track_final_states():
    card = load_card("ship", DumpCard)
    assert set(HNL_CHANNELS) <= set(card.channels)
    assert all(card.channels[c].background == 0.0 for c in HNL_CHANNELS)
    assert set(HNL_CHANNELS) <= set(load_card("shadows", DumpCard).channels)


def test_ship_bc7_charm_region_lower_edge(grids):
    _, hnl, _ = grids
    r = _ratios(_edges(hnl.couplings, hnl.total), BC7)
    print("BC7 ours/SHiP lower", np.round(r[:, 0], 2), "upper", np.round(r[:, 1], 2))
    for (lo, hi), value in zip([(0.85, 1.15), (0.88, 1.17), (0.92, 1.22)], r[:3, 0]):
        assert lo < value < hi, r                              # measured 0.96, 1.02, 1.06 (t96, charged-track
                                                               #   rule: rho l without its photons; 0.96, 1.12,
                                                               #   1.14 at f432d99, baryons; 0.98 before; 1.12,
                                                               #   1.43 without the inclusive multihadron channel)
    baryons = sum(v for k, v in hnl.by_mode.items() if k.split("->")[0] in BARYON_PARENTS)
    shares = lower_edge_share(np.array(sorted(BC7)) / 1000.0, hnl.couplings, hnl.total, baryons, LIMIT)
    share = np.array([shares[m / 1000.0] for m in sorted(BC7)])
    print("BC7 baryon share of the events at the lower edge", np.round(share, 3))
    assert 0.02 < share[0] < 0.06 and np.all(share[1:3] < 0.005), share     # measured 0.037, 0, 0
    assert 0.07 < share[3] < 0.13 and 0.035 < share[4] < 0.08 and np.all(share[5:] < 0.005), share
    #                                                          measured 0.099, 0.055, 0, 0 (Lambda_b, Xi_b)


def _without_bc(hnl) -> np.ndarray:
    """Expected events without the B_c+ decays (test-only: the reference appears to omit them)."""
    return hnl.total - bc_events(hnl.by_mode, hnl.total.shape)


def test_ship_bc7_beauty_region_visible_width_and_bc_production(grids):
    """Beauty region, 2.5 / 3 / 4 / 5 GeV.  B_c+ -> mu N (card production.bc_to_bplus = 7.6e-3 per B+, the
    LHC-energy fraction, assumed: an upper bracket at the SPS, t63) makes 1.3 / 22 / 69 / 95 % of our events at
    the lower edge and moves it from 1.01 / 1.05 / 0.98 / 0.98 (no B_c+, the lower bracket) to 1.00 / 0.93 / 0.54
    / 0.16 x the reference (same MC run, B_c+ modes subtracted; module docstring for the history).  The reference
    appears to have no B_c+: it closes at 5.13 GeV, below m(B+) - m_mu = 5.17 GeV, where B_c+ -> mu N would keep
    it open to ~6 GeV."""
    card, hnl, _ = grids
    masses = np.array(sorted(BC7))
    r = _ratios(_edges(hnl.couplings, hnl.total), BC7)
    for (lo, hi), value in zip([(0.88, 1.18), (0.81, 1.09), (0.46, 0.62), (0.14, 0.18)], r[3:, 0]):
        assert lo < value < hi, r                              # measured 0.93, 0.90, 0.54, 0.16 (t96; 0.95,
                                                               #   0.91 at f432d99: b baryons; 1.00, 0.93
                                                               #   before; t56: b -> u)
    for (lo, hi), value in zip([(0.71, 0.97), (0.75, 1.01), (0.76, 1.02), (1.31, 1.77)], r[3:, 1]):
        assert lo < value < hi, r                              # measured 0.85, 0.87, 0.88, 1.53 (f432d99;
                                                               #   0.83 before, t56)
    no_bc = _ratios(_edges(hnl.couplings, _without_bc(hnl)), BC7)
    print("BC7 without B_c+: lower", np.round(no_bc[:, 0], 2), "upper", np.round(no_bc[:, 1], 2))
    for (lo, hi), value in zip([(0.88, 1.2), (0.91, 1.23), (0.86, 1.16), (0.83, 1.13)], no_bc[3:, 0]):
        assert lo < value < hi, no_bc                          # measured 0.93, 1.00, 0.98, 0.98 (t96; 0.95,
                                                               #   1.02 at f432d99: b
                                                               #   baryons; 1.01, 1.05 before; t56: the b -> u
                                                               #   modes, 17 % of the events at 3 GeV; 1.21 before)
    assert np.allclose(no_bc[:3], r[:3], rtol=1e-3, equal_nan=True)   # B_c+ negligible in the charm region
    shares = lower_edge_share(masses / 1000.0, hnl.couplings, hnl.total, bc_events(hnl.by_mode, hnl.total.shape),
                              LIMIT)
    share = np.array([shares[m / 1000.0] for m in masses])
    print("BC7 B_c+ share of the events at the lower edge", np.round(share, 3))
    assert share[3] < 0.03 and 0.17 < share[4] < 0.27 and 0.6 < share[5] < 0.78 and share[6] > 0.9, share
    #                                                          measured 0.012, 0.204, 0.685, 0.955 (f432d99;
    #                                                            0.013, 0.216 before the b baryons, t63)
    simulated = _visible_fraction("hnl-mu", masses, model_final_states(get_model("hnl-mu"), None, card))
    charged = 1.0 - _visible_fraction("hnl-mu", masses, NEUTRAL_ONLY)
    assert np.all(simulated <= charged + 1e-12)
    variant = _ratios(_edges(hnl.couplings, hnl.total * (charged / simulated)[:, None]), BC7)
    print("BC7 every charged decay visible: lower", np.round(variant[:, 0], 2), "upper", np.round(variant[:, 1], 2),
          "visible BR", np.round(simulated, 3), "->", np.round(charged, 3))
    for (lo, hi), value in zip([(0.85, 1.15), (0.86, 1.16), (0.87, 1.17)], variant[:3, 0]):
        assert lo < value < hi, variant                        # measured 0.96, 1.00, 1.01 (t96; 0.96, 1.09,
                                                               #   1.09 at f432d99; 0.98 before)
    for (lo, hi), value in zip([(0.85, 1.15), (0.85, 1.15), (0.46, 0.62), (0.13, 0.17)], variant[3:, 0]):
        assert lo < value < hi, variant                        # measured 0.90, 0.86, 0.52, 0.15 (t96; 0.92,
                                                               #   0.87 at f432d99; 0.97, 0.90 before, t56)
    assert np.all(simulated[2:] > 0.7), simulated              # 0.71-0.83 with multihadron (0.57-0.22 without)
    assert "Bc+->mu+N" in hnl.by_mode and "Bc+->mu+N" not in hnl.skipped
    assert any("bc_to_bplus" in n and "ASSUMED" in n for n in hnl.notes), hnl.notes


def test_ship_bc4_edges_and_kaon_production(grids):
    _, _, scalar = grids
    theta = scalar.couplings
    r = _ratios(_edges(theta, scalar.total, squared=True), BC4)
    print("BC4 ours/SHiP lower", np.round(r[:, 0], 2), "upper", np.round(r[:, 1], 2))
    for (lo, hi), value in zip([(0.3, 0.44), (0.67, 0.91), (0.64, 0.87), (0.64, 0.87), (0.5, 0.69)], r[:5, 0]):
        assert lo < value < hi, r                              # measured 0.36, 0.78, 0.75, 0.75, 0.59 (t96:
                                                               #   4 pi by its charged tracks, 1.11 before; t88,
                                                               #   b baryons; t85 0.36, 0.81, 1.17, 0.78, 0.62;
                                                               #   0.36, 0.86, 1.23, 0.82, 0.66 before)
    for (lo, hi), value in zip([(0.87, 1.17), (0.87, 1.18), (0.75, 1.02), (0.74, 1.01), (0.84, 1.14)], r[:5, 1]):
        assert lo < value < hi, r                              # measured 1.02, 1.02, 0.92, 0.87, 0.98 (t96;
                                                               #   0.88 at 1.5 GeV at t88; t85
                                                               #   0.92, 0.93, 0.81, 0.79, 0.92)
    assert 0.93 < r[5, 0] < 1.25 and 0.7 < r[5, 1] < 0.95, r  # 4 GeV: measured 1.08, 0.82 (t88; t85 1.14, 0.76;
                                                               #   1.18, 0.75 before)
    beauty = sum(v for k, v in scalar.by_mode.items() if not k.startswith("K"))
    no_kaons = _ratios(_edges(theta, beauty, squared=True), BC4)
    print("BC4 beauty only: lower", np.round(no_kaons[:, 0], 2))
    assert 0.65 < no_kaons[0, 0] < 0.88, no_kaons              # measured 0.76 (t88; t85 0.80; 0.83 before)
    assert np.allclose(no_kaons[1:5], r[1:5], rtol=1e-6)       # kaons end at 0.35 GeV


def test_ship_bc4_inclusive_channels_above_two_gev(grids):
    """Every scalar decay is simulated (S -> g g, s sbar, c cbar, tau tau as inclusive hadronic channels, >= 2
    accepted charged tracks).  The earlier test-only estimate, the mu mu (exclusive) events scaled up by 1 / BR,
    gives lower 0.92 / 1.02 / 2.19 at 2 / 3 / 4 GeV; the simulated multi-track decays 0.82 / 0.66 / 1.19: two of
    3-6 tracks inside the 4 m x 6 m end cap are accepted more often than both muons of a 2-body decay."""
    card, _, scalar = grids
    masses = np.array(sorted(BC4))
    simulated = _visible_fraction("dark-scalar", masses, model_final_states(get_model("dark-scalar"), None, card))
    assert np.allclose(simulated, 1.0, atol=1e-9), simulated
    exclusive = [c for c in model_final_states(get_model("dark-scalar"), None, card) if c not in INCLUSIVE_FINAL_STATES]
    scaled = sum(scalar.by_final_state[c] for c in exclusive) / _visible_fraction("dark-scalar", masses,
                                                                                   exclusive)[:, None]
    old = _ratios(_edges(scalar.couplings, scaled, squared=True), BC4)
    new = _ratios(_edges(scalar.couplings, scalar.total, squared=True), BC4)
    print("BC4 exclusive x 1/BR: lower", np.round(old[:, 0], 2), "inclusive simulated:", np.round(new[:, 0], 2))
    for (lo, hi), value in zip([(0.72, 0.97), (0.79, 1.07), (1.73, 2.33)], old[3:, 0]):
        assert lo < value < hi, old                            # measured 0.84, 0.91, 1.99 (t88; t85 0.89, 0.97,
                                                               #   2.14; 0.92, 1.02, 2.20 before)
    assert np.all(new[3:, 0] < old[3:, 0]), (new, old)


def test_scalar_lifetime_against_eventcalc():
    model = get_model("dark-scalar")
    ratio = {m: float(model.ctau(m, 1.0)) / 1e3 / ref for m, ref in EVENTCALC_CTAU_M.items()}
    print("c tau ours/EventCalc", {m: round(v, 2) for m, v in ratio.items()})
    assert 1.1 < ratio[500.0] < 1.35, ratio                    # measured 1.22
    assert 1.0 < ratio[1500.0] < 1.25, ratio                   # measured 1.12 (1.52 before t37)
    assert 0.8 < ratio[2000.0] < 1.0, ratio                    # measured 0.90 (1.72 before t37: LO g g)
    assert 0.92 < ratio[3000.0] < 1.12, ratio                  # measured 1.02 (2.00 before t37)


def test_ship_bc4_lower_edge_with_the_reference_assumptions(grids):
    """Beauty production only, every decay visible and EventCalc's lifetime (test-only variant): in the long-lived
    regime of the lower edge N scales as the total width (decay lengths of 0.4-2 km against the 50 m vessel)."""
    card, _, scalar = grids
    masses = np.array(sorted(BC4))[:5]
    beauty = sum(v for k, v in scalar.by_mode.items() if not k.startswith("K"))[:5]
    simulated = _visible_fraction("dark-scalar", masses, model_final_states(get_model("dark-scalar"), None, card))
    model = get_model("dark-scalar")
    width_ratio = np.array([float(model.ctau(m, 1.0)) / 1e3 / EVENTCALC_CTAU_M[m] for m in masses])
    events = beauty / simulated[:, None] * width_ratio[:, None]
    variant = _edges(scalar.couplings, events, squared=True)[:, 0] / np.array([BC4[m][0] for m in masses])
    print("BC4 beauty only, every decay visible, EventCalc lifetime: lower", np.round(variant, 2),
          "visible BR", np.round(simulated, 3))
    assert np.all((variant > 0.5) & (variant < 1.3)), variant   # measured 0.68, 0.71, 0.71, 0.79, 0.58 (t96:
                                                                #   1.05 at 1.5 GeV before; t88;
                                                                #   t85 0.71, 0.74, 1.11, 0.83, 0.62;
                                                                #   0.74, 0.78, 1.16, 0.86, 0.65 before; 0.97,
                                                                #   1.01 at 2, 3 GeV with mu mu x 1/BR)
