"""Our dump contours against digitised reference curves of the other BC1 experiments (issues 13, 16).

References (provenance: tests/data/published/README.md and src/na62lab/config/published/README.md):

- HIKE dump-mode BC1 projection, HIKE proposal CERN-SPSC-2023-031 (arXiv:2311.08231), DarkMatterLive
  digitisation.  Exposure 5e19 POT, as our hike card (its value "unverified": the proposal's and the
  letter of intent's (CERN-SPSC-2022-031, arXiv:2211.16586) bodies were not reachable; the
  exposure-scaling test below is consistent with it).  Statistics: a projection; we compare with the
  zero-background convention (2.30 events at 90 % CL, ``background_free``), the card's own
  (pessimistic) backgrounds being measured alongside.  Final states: all of the card's.
- NuCal BC1, Bluemlein & Brunner, arXiv:1311.3870 (bremsstrahlung) with the pi0 region of
  arXiv:1104.2747, DarkMatterLive digitisation.  1.7e18 POT as our nucal card, zero background,
  e+e- (and mu+mu-, open above 0.21 GeV) as the card.
- CHARM BC1, Gninenko, arXiv:1204.3583 (eta, eta' -> gamma A', A' -> e+ e-), DarkMatterLive
  digitisation.  2.4e18 POT as our charm card, 0 events, zero background.
- NA62 2021 BC1 mu+mu- only, JHEP 09 (2023) 035 (arXiv:2303.08666), FORESEE digitisation (package
  data).  1.4e17 POT, the card's mu+mu- channel (0 observed, its background), 90 % CL.

Measured ours / reference (full card MC, 24 masses x 40 couplings, seeds 2021, 1, 7 agree within 0.1;
the bands below hold all three):

HIKE (background-free): lower edge 1.02, 1.00, 0.91, 0.82, 0.96, 0.88 at 0.01, 0.02, 0.05, 0.1, 0.2,
0.4 GeV (card seed, remeasured on the final tree of session 8; 1.07-1.10, 0.93, 0.89-0.95, 0.81-0.83,
0.93-0.94, 0.85-0.87 for seeds 2021, 1, 7 on the session-7 tree), upper edge 0.85, 0.92, 0.95, 0.94, 0.94,
0.98 there; and 0.64, 0.62 at 0.6, 1.2 GeV, 1.35-1.38 at 1.5 GeV; upper edge
0.83-0.85 at 0.01 GeV, 0.91-0.98 from 0.02 to 0.4 GeV, 1.08-1.10 at 0.6-1.2 GeV, 0.91-0.92 at 1.5 GeV
(0.82-0.83 with the four-pion current, below; seeds 2021, 1, 7 with the pi+pi-, 3 pi, K Kbar widths of the
e+e- form-factor fits; with the former VMD
widths, seed 2021: lower 0.634, 0.62, 1.39 and upper 1.07, 1.09, 0.92 at 0.6, 1.2, 1.5 GeV; card seed,
adding the omega pi0, eta pi+ pi-, phi eta, then K K*, then omega eta widths of fips.vector_exclusive
(shorter lifetime; Drell-Yan off): upper 1.095 -> 1.090 -> 1.090 -> 1.090 at 1.2 GeV and 0.906 -> 0.882 ->
0.873 -> 0.871 at 1.5 GeV, lower 1.375 -> 1.368 -> 1.369 -> 1.369 at 1.5 GeV, grid closing 1.665 -> 1.660 ->
1.665 -> 1.660 GeV; the Drell-Yan mode below then gives 0.876, 1.333, 1.67);
our region closes at 1.665-1.67 GeV against 2.754 GeV (0.61; 1.91 GeV, lower edge 0.67-0.69 at
1.5 GeV, with the former form-factor poles at the PDG excitations, see test_beam_dump_published.py).
With the card's backgrounds (the 2021 ones x 357 with both error sides, e+e- +13.57 -2.5; median
expected limit 10.12 events) the lower edge is 1.18-1.48 at 0.01-0.4 GeV (1.12-1.40 and 8.06 events with
the symmetric e+e- error before t89; 1.15-1.57 with a limit of 9.3 events before the 2021 card took NA62's
public hadronic backgrounds, d399187): the zero-background convention matters. The low-mass agreement follows
from the exposure: below 0.4 GeV the HIKE projection's lower edge is 0.17-0.25 x the published NA62
2021 one, as (5e19 / 1.4e17)^(-1/4) = 0.23 gives for N ~ eps^4. Above 0.6 GeV it is 0.34-0.40 x the
2021 one: the projection's production model there (bremsstrahlung and meson mixing) is not the one
of the 2021 publication, which ours follows (1.08, 0.92, 1.03, 1.18 at 0.6, 0.8, 1.0, 1.2 GeV,
test_beam_dump_published.py); hence our 0.62-0.64 at 0.6-1.2 GeV. The closing mass (2.75 vs 1.67
GeV) is set by the proton time-like form factor above 1.3 GeV, the same direction as the 2021 gap
(1.265 vs 1.525 GeV); not a card input (the prescription that reproduces it is below).  Our hike card's POT
(5e19) matches the proposal's.
Drell-Yan q qbar -> A' (added above 1.4 GeV, production.drell_yan_min_mass_gev; card seed, same
tree with the omega eta width, production.drell_yan off -> on): lower edge at 1.5 GeV 1.369 -> 1.333,
upper 0.871 -> 0.876, edges below 1.4 GeV unchanged; grid closing 1.660 -> 1.670 GeV.  So the last
step of the width sequence above (lower 1.369 -> 1.333, closing -> 1.67 GeV) is the Drell-Yan mode,
already in the tree when it was measured; the omega eta width alone gives 0.871, 1.369 and 1.660.
4 pi width from the Czyz-Kuehn-Wapienik current (fips.vector_four_pion; R_4pi at 1.45-1.6 GeV 0.85, 0.74 ->
1.05 x DarkCast's, so a shorter lifetime), same tree old -> new, seeds 2021 / 1 / 7: upper edge at 1.5 GeV
0.876 / 0.889 / 0.887 -> 0.815 / 0.829 / 0.827, lower 1.333 / 1.309 / 1.325 -> 1.342 / 1.316 / 1.332; at
1.2 GeV upper 1.090-1.093 -> 1.081-1.085, lower 0.62 unchanged; 0.6 GeV unchanged; grid closing 1.67 ->
1.665 / 1.67 / 1.67 GeV.  The Drell-Yan N_max values above are from before this change.
Best-eps expected events N_max 20.9/5.66/1.68/0.61/0.075/0.001 -> 22.6/6.48/2.16/0.88/0.15/0.004 at
1.5/1.6/1.7/1.8/2.0/2.75 GeV (Drell-Yan share 7/13/22/31/52/87 %), N_max = 2.30 crossed at 1.674 ->
1.694 GeV.  The Drell-Yan A' carry pT ~ 1.2-1.5 GeV (ISR, primordial kT) at p ~ 65 GeV, angles
~20 mrad, mostly outside the NA62 acceptance: its yield per POT is ~18x the bremsstrahlung's at 2 GeV,
its expected events only ~1x.  The projection's 2.75 GeV stays far (500x short at 2.75 GeV): not the
missing channel.

Which bremsstrahlung prescription the HIKE projection follows (this session; card seed, 24 x 40, background-free,
all final states; ours / reference lower | upper edge at 0.6 / 0.8 / 1.0 / 1.2 / 1.5 / 2.0 GeV, closing mass against
2.754 GeV).  ``production.brems_form_factor`` (:func:`na62lab.fips.dark_photon.brems_form_factor_squared`) with the
card's FWW range (0.1 < z < 0.9, p_T < 1 GeV/c, Bluemlein & Brunner arXiv:1311.3870's validity conditions):

- faessler (card): lower 0.64 / 0.18 / 0.52 / 0.62 / 1.33 / - | upper 1.09 / 1.32 / 1.90 / 1.09 / 0.88 / -, closes
  at 1.67 GeV (1.66 without Drell-Yan);
- none: lower 1.03 / 0.59 / 0.96 / 1.09 / 1.14 / 1.29 | upper 0.97 / 0.97 / 1.61 / 0.93 / 0.94 / 0.81, closes at
  2.28 GeV (0.83; the same without Drell-Yan: 1.16 / 1.30 lower at 1.5 / 2 GeV);
- alpinist_isospin_modulus: lower 0.62 / 0.17 / 0.52 / 0.60 / 0.51 / - | upper 1.09 / 1.33 / 1.90 / 1.10 / 1.21 /
  -, closes at 1.99 GeV (the same without Drell-Yan).

Closing masses in this paragraph and the next are the last excluded mass of the 24-mass grid (a step of ~30 %);
since t87 the contour closes where N_max crosses the limit: faessler 1.665 -> 1.669, none 2.28 -> 2.376,
alpinist_isospin_modulus 1.99 -> 2.014 GeV; FairShip's range without form factor 2.72 -> 2.788 (1.01 of the
projection's), with faessler 1.72 -> 1.736, alpinist_isospin_modulus 2.065 -> 2.077 GeV (card seed, same run).

So no form-factor choice alone gives the closing within 10 %.  The FWW integration range does: with SHiP's
FairShip conventions (z from 0.14 to the kinematic limit, here 0.99, and no p_T cut, here 20 GeV/c;
test_ship_bc1_reference.py) and no form factor the HIKE projection is reproduced at every mass, lower 1.01 /
0.58 / 0.92 / 1.02 / 1.03 / 1.08 | upper 1.06 / 1.04 / 1.77 / 1.02 / 1.06 / 0.98, closing at 2.72 GeV (0.99; seeds
1 and 7: 2.72, lower 1.00-1.01 / 1.01-1.02 / 1.01-1.02 / 1.04-1.07 at 0.6 / 1.2 / 1.5 / 2.0 GeV, 1.04-1.07 at
2.5 GeV, upper 0.98-1.07; 0.01-0.4 GeV unchanged, 0.82-1.05 lower, 0.88-1.03 upper); Drell-Yan on or off changes
nothing there (lower 1.03 -> 1.04 at 1.5 GeV).  Each piece alone falls short: z range only closes at 2.57 GeV,
p_T only at 2.28 GeV (as the card's range).  FairShip's further factor 2 (theta over -pi/2..pi/2) overshoots:
lower 0.86-0.88 at 0.6-2 GeV and the region reaches the grid end (3 GeV).  With the wide range the form factor
choices stay far: faessler closes at 1.72 GeV, alpinist_isospin_modulus at 2.07 GeV.  0.8 and 1.0 GeV sit on the
rho/omega and phi of our mixing on a 24-mass grid (its nodes 0.747 and 0.986 GeV; the digitised reference wiggles
there too, 4.6-5.9e-8 at 0.75-0.85 GeV): not compared.  The reference's prescription is therefore apparently
bremsstrahlung without the time-like form factor over FairShip's wider (z, p_T) range, outside the FWW validity
conditions the card follows (E_p - E_A' >> M_p, p_T: z = 0.99 leaves 4 GeV, p_T up to 20 GeV/c): a reproduction
of the projection's apparent assumption (test below), not adopted; the card keeps faessler and 0.1-0.9, p_T < 1.

NuCal (Bluemlein & Brunner): lower edge 1.75-1.90 from 3 to 50 MeV and 1.70 at 0.1 GeV (the pi0 ->
gamma A' region); 0.86-0.96 from 0.2 to 0.5 GeV (bremsstrahlung); upper edge 0.95-0.99 below 0.1 GeV,
1.06-1.29 from 0.2 to 0.5 GeV.  The pi0 region: the later recast of the same data, Tsai, deNiverville,
Liu, arXiv:1908.07525 Fig. 3a (DarkCast NuCAL_Tsai2019mtm.lmt; test_charm_published.py), has its lower
edge 1.9-2.0 x Bluemlein & Brunner's at 10-100 MeV, and ours follows the 2019 one within 0.9-1.0: the
two recasts differ, not our card.  The reference stops at 0.623 GeV with a vertical edge (the end of the
computed range, not a closing mass); ours continues to 1 GeV (the grid end), so no closing is compared.

CHARM (Gninenko 2012): lower edge 1.86-1.91/1.72-1.79/1.64-1.68/1.59-1.61 at 3/10/20/50 MeV, 2.19-2.24
at 0.1 GeV, 3.07-3.14 at 0.2 GeV; upper edge 2.05-2.07/1.79-1.81/1.64-1.69/1.45-1.47/1.22-1.23/0.95-0.96
at 3/10/20/50/100/200 MeV (importance-sampled FIP tails); ours closes at 0.28-0.29 GeV against 0.426 GeV
(with a rho/omega island at 0.78-0.79 GeV).  The e+ e- are CHARM showers with the card's rule: one or
two on the calorimeter, each of them within 5-50 GeV (ALPINIST's twoPhotonCondition).  With the former
rule (a shower on the calorimeter outside 5-50 GeV ignored, not rejecting the event) the lower edge was
1.10-1.41 below 50 MeV, 1.83-1.90 at 0.1 GeV, 2.6-2.7 at 0.2 GeV, the upper 2.84 to 1.20.  Mostly a
recast difference: Tsai et al.'s 2019 recast of the same CHARM data (ours is 1.13-1.22 x its lower edge,
test_charm_published.py) has a lower edge 1.34, 1.89,
2.77 x and an upper edge 1.93, 1.64, 1.13 x Gninenko's at 0.06, 0.1, 0.2 GeV and stops at 0.25 GeV.

NA62 mu+mu- (JHEP 09 (2023) 035): with the card (time-like form factor of the bremsstrahlung) lower edge
0.63-0.66 from 0.22 to 0.4 GeV, 0.59-0.60 at 0.45 GeV, 0.51-0.52 at 0.5 GeV; upper 1.47-1.48 at 0.22 GeV,
1.13-1.27 from 0.25 to 0.45 GeV, 1.39-1.40 at 0.5 GeV; our region does not close below 0.9 GeV against
0.538 GeV.  Without the form factor (``brems_form_factor: false``) it closes at 0.55-0.57 GeV and the
upper edge is 1.05-1.10 from 0.3 to 0.5 GeV: the 2023 contour is consistent with bremsstrahlung without
the resonant form factor, which the 2025 combined paper (EPJC 85 (2025) 571) shows as one of two
variants.  The lower edge, ~0.63 in eps, is ~6x their long-lived mu+mu- yield (N ~ eps^4).  It splits
into two factors (card, 48 x 48, 0.22-0.27 GeV): our e+e- plus mu+mu- lower edge is 0.83-0.85 of the
published combined one (the low-mass excess of test_beam_dump_published.py), and our mu+mu- share is
larger than NA62's: our mu+mu- alone / our e+e- + mu+mu- lower edge is 1.14-1.24 (as the widths give,
((1 + r) / r)^(1/4) = 1.22-1.36 with r = Gamma_mumu / Gamma_ee = 0.41-0.81), the published mu+mu-
(2023) / combined (2025) one 1.50-1.57.  So NA62's mu+mu- yield relative to e+e- is ~0.4-0.5 of the
width ratio: a mu+mu- efficiency (or a production model of the 2023 paper) the abstracts do not give;
reported, not tuned.

Which production the 2023 mu+mu- contour used (issue 13): no reachable text says.  The stored copies of
JHEP 09 (2023) 035 and PRL 133 (2024) 111802 hold their abstracts only ("improving on previous
experimental limits for dark photon masses between 215 and 550 MeV/c2"); DarkCast's recast of the same
contour (limits/NA62_Dobrich2023dkm.py, "extracted from figure 14 (black line)") writes "The production
fraction is assumed to be entirely from eta decays. Production from proton bremsstrahlung is neglected":
the recaster's assumption, not NA62's statement.  So the validation table keeps our full production.
Probe (this card, 24 x 40, card backgrounds, seeds 2021, 1, 7 within 0.06; the production modes
restricted by a monkeypatch, as pinned below) at 0.22, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5 GeV, ours / reference:

- meson decays only (pi0, eta, eta' -> gamma A', omega -> pi0 A', phi -> eta A'): lower 0.70-0.71,
  0.74-0.75, 0.74-0.75, 0.82-0.85, 1.04, -, -; upper 1.15-1.16, 0.93-0.94, 0.83, 0.73-0.74, 0.64-0.65;
  closes at 0.418 GeV (grid) against 0.538 GeV.  eta alone: lower 0.73-0.74, 0.77-0.78, 0.78-0.79,
  0.90-0.94, upper 1.12-1.13, 0.91, 0.80, 0.69-0.70, closes at 0.385 GeV (the (1 - m^2/m_eta^2)^3 of
  the rate empties it well below m_eta); omega alone: lower 1.38-1.43, 1.41-1.47, 1.49-1.53, closes at
  0.333-0.337 GeV; eta', pi0, phi or the rho/omega/phi mixing alone: no region above 0.2 GeV.
- bremsstrahlung only, time-like form factor: lower 0.91-0.93, 0.90, 0.82-0.83, 0.76, 0.69, 0.63, 0.53,
  upper as the full card, no closing below 0.9 GeV.
- bremsstrahlung only, no form factor: lower 0.98-1.00, 0.98-0.99, 0.93-0.94, 0.92, 0.90, 0.90-0.91,
  0.88; upper 1.40-1.41, 1.15-1.18, 1.08-1.09, 1.04, 1.08, 1.03-1.05, 1.04-1.05; closes at 0.555 GeV.
- meson decays plus bremsstrahlung without form factor: lower 0.65-0.66, 0.67-0.68, 0.66-0.67,
  0.69-0.71, 0.74, 0.81, 0.83-0.84; upper as bremsstrahlung alone; closes at 0.555 GeV.

So the reference is not a meson-decay-only contour in our model (that closes 0.12 GeV too early and
its upper edge falls from 1.15 to 0.64 of the reference's); its edges and closing mass are those of
bremsstrahlung without the form factor alone, to 0-12 % in eps (0-40 % at 0.22-0.25 GeV upper).
NA62's own e+e- plus mu+mu- contour without bremsstrahlung (SensCalc "NA62 dump, collaboration",
tests/data/published; no paper named) closes at 0.392 GeV, and the one-channel 2023 mu+mu- contour
reaches beyond it (to 0.538 GeV, upper edge 1.1-2.4x higher at 0.22-0.38 GeV), which a meson-decay-only
mu+mu- contour of the same yield model could not.  Our meson decays against that contour (e+e- plus
mu+mu-, 36 x 40, seed 2021): lower 1.00, 0.94, 0.87, 0.82, 0.82, 0.85, 0.79, 0.76, 0.76 at 12, 20, 50,
100, 150, 200, 250, 300, 350 MeV, upper 1.35-1.68, closing 0.431 GeV against 0.392 GeV.  Reported,
not adopted: without a quote the table stays like-for-unlike, labelled so.
"""

from pathlib import Path

import numpy as np
import pytest

from na62lab.analyses import beam_dump
from na62lab.analyses import beam_dump_validation as val
from na62lab.config import published
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard

REF = Path(__file__).resolve().parents[1] / "data" / "published"


pytestmark = pytest.mark.usefixtures("isolated_cache")


def _table(card_name: str, ref, masses, mass_range, coupling_range, channels=None, free=True, production=None):
    """Ours / reference rows and closing masses for one card (full card MC, 24 x 40 grid)."""
    card = load_card(card_name, DumpCard)
    if production:
        card = card.model_copy(update={"production": card.production.model_copy(update=production)})
    if free:
        card = val.background_free(card)
    res = beam_dump.sensitivity("dark-photon", card, 24, 40, mass_range, coupling_range, channels)
    tab = val.validate(res, ref, masses, str(ref))
    tab["ratios"] = {k: np.array([r[f"{k}_ratio"] for r in tab["rows"]]) for k in ("lower", "upper")}
    tab["limit"] = res.limits.median              # signal events excluded at 90 % CL (median expected)
    return tab


def _within(values, bands):
    """Every value inside its (lo, hi) band; NaN fails."""
    return all(lo < v < hi for v, (lo, hi) in zip(values, bands, strict=True))


def test_reference_files_are_closed_polygons_with_their_source():
    for path in sorted(REF.glob("*.txt")) + [published.BC1_2021_MUMU]:
        m, eps = beam_dump.read_overlay(path)
        assert m.size > 60 and m[0] == pytest.approx(m[-1], rel=0.01), path
        assert 1e-9 < eps.min() and eps.max() < 2e-3, path
        head = path.read_text().splitlines()[:8]
        assert any("License" in line for line in head) and any("arXiv:" in line for line in head), path


def test_hike_exposure_scaling_between_the_two_references():
    """Below 0.4 GeV the HIKE projection is the 2021 NA62 contour scaled by (N_POT ratio)^(-1/4) = 0.23."""
    hike = val.reference_edges(REF / "HIKE_BC1_projection_DarkMatterLive.txt")
    na62 = val.reference_edges(published.BC1_2021_COMBINED)
    low = np.array([0.02, 0.05, 0.1, 0.2, 0.3])
    ratio = val._at(hike["lower"], low) / val._at(na62["lower"], low)
    assert np.all((ratio > 0.16) & (ratio < 0.26)), ratio
    high = np.array([1.0, 1.2, 1.4])
    ratio = val._at(hike["lower"], high) / val._at(na62["lower"], high)
    assert np.all((ratio > 0.32) & (ratio < 0.42)), ratio
    assert (5e19 / 1.4e17) ** -0.25 == pytest.approx(0.23, abs=0.005)
    assert load_card("hike", DumpCard).run.n_pot == 5e19


def test_recasts_and_publications_differ_among_themselves():
    """Reference / reference ratios that explain ours / reference (module docstring), no simulation."""
    gn = val.reference_edges(REF / "CHARM_BC1_Gninenko2012_DarkMatterLive.txt")
    m = np.array([0.06, 0.1, 0.2])
    # Tsai, deNiverville, Liu 2019 CHARM (DarkCast CHARM_Tsai2019mtm.lmt, test_charm_published.py)
    tsai_lo, tsai_hi = np.array([1.78e-7, 2.05e-7, 2.49e-7]), np.array([7.19e-6, 3.62e-6, 1.14e-6])
    lo, hi = tsai_lo / val._at(gn["lower"], m), tsai_hi / val._at(gn["upper"], m)
    assert np.all((lo > 1.3) & (lo < 2.9)) and np.all((hi > 1.1) & (hi < 2.0)), (lo, hi)
    # NA62: mu+mu- (JHEP 09 (2023) 035) / combined (EPJC 85 (2025) 571) lower edge, vs 1.22-1.36 from the widths
    mm, comb = val.reference_edges(published.BC1_2021_MUMU), val.reference_edges(published.BC1_2021_COMBINED)
    m = np.array([0.22, 0.25, 0.3])
    ratio = val._at(mm["lower"], m) / val._at(comb["lower"], m)
    assert np.all((ratio > 1.45) & (ratio < 1.62)), ratio


def test_na62_mumu_2023_reaches_beyond_the_contour_without_bremsstrahlung():
    """The one-channel 2023 mu+mu- contour is not contained in NA62's e+e- plus mu+mu- contour without
    bremsstrahlung (SensCalc), as it would be if it were meson decays only with the same yields."""
    mm = val.reference_edges(published.BC1_2021_MUMU)
    nobrem = val.reference_edges(REF / "NA62_2021_BC1_dilepton_nobrem_SensCalc.txt")
    assert nobrem["m_max"] == pytest.approx(0.392, abs=0.002) and mm["m_max"] == pytest.approx(0.538, abs=0.002)
    m = np.array([0.22, 0.25, 0.3, 0.35, 0.38])
    upper = val._at(mm["upper"], m) / val._at(nobrem["upper"], m)
    assert np.all(np.diff(upper) > 0) and 1.1 < upper[0] and upper[-1] > 2.3, upper     # 1.13 ... 2.42


def test_hike_projection_background_free():
    masses = (0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 1.2, 1.5)
    tab = _table("hike", REF / "HIKE_BC1_projection_DarkMatterLive.txt", masses, (0.005, 3.0), (1e-9, 1e-3))
    lower = [(0.95, 1.2), (0.83, 1.03), (0.8, 1.05), (0.73, 0.92), (0.84, 1.04), (0.77, 0.96),
             (0.55, 0.7), (0.56, 0.72), (1.25, 1.55)]
    upper = [(0.75, 0.93)] + [(0.83, 1.06)] * 5 + [(0.97, 1.28)] * 2 + [(0.77, 0.98)]     # 0.815 at 1.5 GeV
    assert _within(tab["ratios"]["lower"], lower), tab["ratios"]["lower"]
    assert _within(tab["ratios"]["upper"], upper), tab["ratios"]["upper"]
    assert tab["m_max_ref"] == pytest.approx(2.754, abs=0.01)
    assert 1.55 < tab["m_close"] < 1.8           # 0.61 of the projection's (form factor above 1.3 GeV;
    #                                               1.665 -> 1.670 GeV with the Drell-Yan mode, docstring; t87: 1.669
    #                                               at the crossing, 1.665 the last excluded grid mass)
    assert tab["limit"] == pytest.approx(2.303, abs=0.01)          # background-free: -ln(0.1) events
    # the card's FWW range with the other form factor choices (module docstring): neither closes within 10 %
    for choice, (lo, hi) in (("none", (2.15, 2.4)), ("alpinist_isospin_modulus", (1.85, 2.1))):
        other = _table("hike", REF / "HIKE_BC1_projection_DarkMatterLive.txt", masses, (0.005, 3.0), (1e-9, 1e-3),
                       production={"brems_form_factor": choice})
        assert lo < other["m_close"] < hi, (choice, other["m_close"])            # 2.376, 2.014 GeV (2.28, 1.99 grid)


HIKE_REFERENCE_PRESCRIPTION = {"brems_form_factor": "none", "brems_z_range": (0.14, 0.99), "brems_pt_max_gev": 20.0}
"""The HIKE projection's apparent bremsstrahlung prescription (module docstring): no time-like form factor, FairShip's
(z, p_T) range (z from 0.14 to the kinematic limit, no p_T cut; test_ship_bc1_reference.py).  A reproduction, not
the card's physics."""


def test_hike_projection_follows_bremsstrahlung_without_form_factor_over_the_wide_fww_range():
    masses = (0.6, 1.2, 1.5, 2.0, 2.5)
    path = REF / "HIKE_BC1_projection_DarkMatterLive.txt"
    tab = _table("hike", path, masses, (0.005, 3.0), (1e-9, 1e-3), production=HIKE_REFERENCE_PRESCRIPTION)
    assert _within(tab["ratios"]["lower"], [(0.9, 1.15)] * 3 + [(0.92, 1.2)] * 2), tab["ratios"]["lower"]
    assert _within(tab["ratios"]["upper"], [(0.92, 1.15)] * 5), tab["ratios"]["upper"]
    assert tab["m_close"] == pytest.approx(tab["m_max_ref"], rel=0.1)          # 2.788 (2.72 grid) vs 2.754 GeV
    # the same range with the form factor choices (cheap: the form factor is not in the tables' key) stays far
    for choice, (lo, hi) in (("faessler", (1.6, 1.85)), ("alpinist_isospin_modulus", (1.95, 2.2))):
        other = _table("hike", path, masses, (0.005, 3.0), (1e-9, 1e-3),
                       production={**HIKE_REFERENCE_PRESCRIPTION, "brems_form_factor": choice})
        assert lo < other["m_close"] < hi, (choice, other["m_close"])            # 1.736, 2.077 (1.72, 2.065 grid)


def test_hike_card_backgrounds_weaken_the_low_mass_edge():
    masses = (0.02, 0.05, 0.1, 0.2, 0.4)
    tab = _table("hike", REF / "HIKE_BC1_projection_DarkMatterLive.txt", masses, (0.005, 3.0), (1e-9, 1e-3),
                 free=False)
    assert np.all((tab["ratios"]["lower"] > 1.05) & (tab["ratios"]["lower"] < 1.5)), tab["ratios"]["lower"]
    assert 8.0 < tab["limit"] < 10.5              # 10.12 events: the 2021 backgrounds x 357, e+e- +13.57 -2.5


def test_nucal_against_bluemlein_brunner():
    masses = (0.003, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)
    tab = _table("nucal", REF / "NuCal_BC1_DarkMatterLive.txt", masses, (0.002, 1.0), (1e-9, 1e-2))
    lower = [(1.6, 2.05)] * 4 + [(1.5, 1.9)] + [(0.78, 1.06)] * 4
    upper = [(0.86, 1.06)] * 5 + [(0.96, 1.17), (1.03, 1.25), (1.06, 1.3), (1.16, 1.42)]
    assert _within(tab["ratios"]["lower"], lower), tab["ratios"]["lower"]
    assert _within(tab["ratios"]["upper"], upper), tab["ratios"]["upper"]
    # the reference ends with a vertical edge at 0.623 GeV (end of its range); ours goes on
    assert tab["m_max_ref"] == pytest.approx(0.623, abs=0.002) and tab["m_close"] > 0.8
    # the pi0 region: Tsai et al. 2019 (DarkCast, test_charm_published.py) / Bluemlein & Brunner, lower edge
    bb = val.reference_edges(REF / "NuCal_BC1_DarkMatterLive.txt")
    tsai = np.array([4.17e-7, 2.18e-7, 2.05e-7])                    # 10, 40, 100 MeV
    assert np.all(np.abs(tsai / val._at(bb["lower"], np.array([0.01, 0.04, 0.1])) - 1.9) < 0.15)


def test_charm_against_gninenko_2012():
    masses = (0.003, 0.01, 0.02, 0.05, 0.1, 0.2)
    tab = _table("charm", REF / "CHARM_BC1_Gninenko2012_DarkMatterLive.txt", masses, (0.002, 1.0), (1e-9, 1e-3))
    lower = [(1.65, 2.15), (1.5, 2.0), (1.45, 1.9), (1.4, 1.85), (1.95, 2.5), (2.75, 3.5)]
    upper = [(1.8, 2.35), (1.55, 2.05), (1.45, 1.9), (1.25, 1.7), (1.05, 1.4), (0.82, 1.1)]
    assert _within(tab["ratios"]["lower"], lower), tab["ratios"]["lower"]
    assert _within(tab["ratios"]["upper"], upper), tab["ratios"]["upper"]
    # ours closes at ~0.3 GeV (an island at the rho/omega follows, not counted), Gninenko's at 0.426 GeV
    assert tab["m_max_ref"] == pytest.approx(0.426, abs=0.002) and 0.26 < tab["m_close"] < 0.33
    assert tab["m_max"] > 0.7


def test_na62_mumu_closes_like_bremsstrahlung_without_form_factor(monkeypatch):
    masses = val.MUMU_MASSES_GEV                       # 0.22, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5
    card = _table("na62_dump_2021", published.BC1_2021_MUMU, masses, (0.2, 0.9), (1e-8, 1e-4), ["mumu"],
                  free=False)
    assert _within(card["ratios"]["lower"], [(0.56, 0.74)] * 5 + [(0.52, 0.68), (0.45, 0.6)]), card["ratios"]
    assert _within(card["ratios"]["upper"], [(1.3, 1.65)] + [(1.02, 1.4)] * 5 + [(1.25, 1.55)]), card["ratios"]
    assert card["m_max_ref"] == pytest.approx(0.538, abs=0.002) and card["m_close"] > 0.85
    no_ff = _table("na62_dump_2021", published.BC1_2021_MUMU, masses, (0.2, 0.9), (1e-8, 1e-4), ["mumu"],
                   free=False, production={"brems_form_factor": False})
    assert _within(no_ff["ratios"]["upper"][2:], [(0.95, 1.2)] * 5), no_ff["ratios"]["upper"]
    assert 0.53 < no_ff["m_close"] < 0.6                 # 1.03-1.06 x the published 0.538 GeV

    # the probe of the module docstring: production restricted to some modes (the efficiency tables of
    # all modes are in this test's cache already, so only the sum over modes changes)
    mesons = {"pi0->gammaA", "eta->gammaA", "eta'->gammaA", "omega->pi0A", "phi->etaA"}
    _only(monkeypatch, mesons)
    meson = _table("na62_dump_2021", published.BC1_2021_MUMU, masses, (0.2, 0.9), (1e-8, 1e-4), ["mumu"],
                   free=False)
    assert 0.38 < meson["m_close"] < 0.45                 # 0.418 GeV: meson decays alone close 0.12 GeV early
    assert _within(meson["ratios"]["lower"][:4], [(0.62, 0.8), (0.66, 0.84), (0.66, 0.84), (0.74, 0.95)])
    assert _within(meson["ratios"]["upper"][:4], [(1.05, 1.25), (0.85, 1.02), (0.76, 0.9), (0.66, 0.8)])
    _only(monkeypatch, {"brems"})
    brems = _table("na62_dump_2021", published.BC1_2021_MUMU, masses, (0.2, 0.9), (1e-8, 1e-4), ["mumu"],
                   free=False, production={"brems_form_factor": False})
    assert _within(brems["ratios"]["lower"], [(0.9, 1.08)] * 2 + [(0.84, 1.0)] * 5), brems["ratios"]["lower"]
    assert _within(brems["ratios"]["upper"][2:], [(0.95, 1.18)] * 5), brems["ratios"]["upper"]
    assert 0.53 < brems["m_close"] < 0.6                 # 0.555 GeV, as with the meson decays added


def _only(monkeypatch, names):
    """Sum only the production modes ``names`` in the yield grid (a probe, not a card option).

    The efficiency tables are read from the cache the caller filled with all modes; built here, they
    would hold ``names`` only (under the same key), so call this after the full runs of a test.
    """
    from na62lab.generation.dump.sources import Sources
    from na62lab.generation.dump.sources import production_modes as full
    from na62lab.yields import dump_grid

    def restricted(model, card, table):
        src = full(model, card, table)
        return Sources([md for md in src.modes if md.name in names], dict(src.skipped), list(src.notes))

    monkeypatch.setattr(dump_grid, "production_modes", restricted)
