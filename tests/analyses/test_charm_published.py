"""The CHARM (and NuCal) cards against the published exclusions (issue 16 done-means), measured and pinned.

Reference numbers (90 % CL edges; 2.4e18 POT, 0 events observed):

- dark photon, Tsai, deNiverville, Liu, arXiv:1908.07525 (PRL 126 (2021) 181801), Fig. 3a, CHARM
  (filled purple; eta -> gamma A', A' -> e+ e-), as tabulated by the authors for the DarkCast limit
  file CHARM_Tsai2019mtm.lmt (Ilten et al., arXiv:1801.04847);
- dark photon, Gninenko, PLB 713 (2012) 244, arXiv:1204.3583 (eta, eta' -> gamma A', A' -> e+ e-),
  as drawn in Bluemlein & Brunner, arXiv:1311.3870, Fig. 5 (grey, "CHARM") and digitised in the
  DarkCast limit file CHARM_Bergsma1985qz.lmt; it closes at 0.466 GeV;
- dark scalar (sin theta), Winkler, arXiv:1809.01876 (PRD 99 (2019) 015018), CHARM region, as
  digitised in FORESEE (Kling & Trojanowski, arXiv:2105.07077), Models/DarkHiggs/model/lines/
  bounds_CHARM.txt; it closes at 0.284 GeV.

What is measured (card as shipped, full card MC; the reduced test MC below moves edges by < 15 %):
the two dark-photon recasts of the same CHARM data differ by a factor ~2.5 in the lower edge; the
2012 one closes at 0.47 GeV, the 2019 table ends at 0.25 GeV still open (2.6e-7 - 4.5e-7).  Ours
is nearer the 2019 one: lower edge ours/theirs 1.22, 1.17, 1.13 at 0.06, 0.1, 0.2 GeV, upper 0.73,
0.75, 0.85 (test MC 1.24/1.15/1.15, 0.73/0.75/0.86); ours closes between 0.28 and 0.30 GeV.  The e+ e-
showers follow CHARM's photon rule of the card (one or two showers on the calorimeter, each of them
within 5-50 GeV, ALPINIST's twoPhotonCondition): until this session a shower on the calorimeter
outside 5-50 GeV was ignored instead of rejecting the event, and the lower edge was 0.95 x Tsai's.
Which of the two the 2019 recast used is not stated in a source reachable here; with the summed
energy of the showers on the calorimeter in 5-50 GeV instead (a merged-shower reading, not the card)
the lower edge would be 0.89-1.03 x Tsai's, and BC9 0.70 x ALPINIST's table.
With the measured eta yield (NA27, 0.30 per collision) and the off-axis 3 m x 3 m acceptance, the
events at Gninenko's lower edge are ~0.1 of the 2.3 needed, so no physics input of the card reaches
0.47 GeV (the optional thick-dump meson cascade moves the closing mass to ~0.31 GeV).  The dark scalar
(card MC) is 0.86/0.88 x Winkler's lower edge at 0.243/0.257 GeV (mu mu; closing between 0.284 and
0.30 GeV vs 0.284 GeV) and 1.39/1.37 x at 0.105/0.209 GeV (e+ e- only).  Before t31 (K_L -> pi0 S
through Im(lambda_t), no K_S -> pi0 S, no gamma gamma) it was 0.92-0.95 and 1.47-1.55.

The dark-scalar e+ e- deficit (issue 13/16, t31), test MC, lower edge ours/Winkler at 0.105/0.209 GeV with
mu mu at 0.243/0.257 GeV in brackets.  Both regions are produced by kaons at the lower edge (long-lived S,
N ~ theta^4): K+- -> pi+- S 0.63-0.67, K_L -> pi0 S 0.23-0.28, K_S -> pi0 S 0.03-0.05, B -> X_s S 0.04-0.07
of the yield at 0.105-0.257 GeV (before the K_L fix 0.86-0.87, 0.06, -, 0.06-0.09; the fix is x1.34 in yield),
so production cannot make e+ e- and mu mu differ; the selection does:
  as shipped (K_L through Re(lambda_t), K_S -> pi0 S) ..... 1.39/1.39 (0.86/0.88)
  before the K_L fix (Im(lambda_t)) ....................... 1.49/1.46 (0.94/0.97): the fix is x0.93 on
      every kaon-dominated edge (K_L -> pi0 S is CP-conserving for a CP-even S, fips/dark_scalar.py)
  e+ e- selected with the mu mu rule (tracks > 1 GeV through the 3 m x 3 m face, efficiency 0.85)
      .................................................... 0.97/1.11 (0.86/0.88)
  efficiencies 1 (e+ e- and mu mu) ........................ 1.17/1.17 (0.82/0.84)
  kaon absorption length 0.24 m (0.40 m) instead of 0.20 .. 1.32/1.35 (0.81/0.84); 1.18/1.18 (0.70/0.72)
  thick-dump meson cascade on ............................. 1.17/1.14 (0.65/0.66)
  gamma gamma: with our width (W and heavy fermions nearly cancel, Gamma_gg/Gamma_ee = 2.2e-4/0.016)
      the edge moves by 1.000/0.996; with light quarks as constituent quarks (Gamma_gg/Gamma_ee =
      0.04/0.21) by 0.99/0.96: gamma gamma does not explain the deficit.
Our e+ e- acceptance x efficiency is 0.25-0.31 of the mu mu one at the same mass (0.42-0.51 with efficiencies
1): the ALPINIST shower rule (5-50 GeV per shower on the calorimeter, 0.51) against mu mu (> 1 GeV, 0.85).  A
recast that treats e+ e- like mu mu gets 0.97-1.11 in e+ e- next to 0.86-0.88 in mu mu, i.e. Winkler's two
regions are consistent with one selection for both; what his CHARM selection and kaon treatment were is not
in a source reachable here (Winkler arXiv:1809.01876; FORESEE only digitises the line), so neither is adopted.
The absorption length (x0.95 per +20 %) and the cascade move e+ e- and mu mu together.  Whether the CHARM
search (Bergsma et al., PLB 157 (1985) 458) and Winkler counted gamma gamma for the scalar is not reachable
either; the card counts it (its gammagamma channel is the ALP search's, 0 events), at most 0.4 % here.

The e+ e- selection (issue 16).  Two public codes state one for CHARM, and they differ:
- ALPINIST (jjerhot/ALPINIST, ALP_decay/src/ExpParameters.C and DecayMCProcess.C; also the later version of
  ExpParameters.C with dark-photon and dark-scalar modes, whose twoElectronCondition falls through to
  twoPhotonCondition for CHARM): e+ e- are showers with the photon rule, one or two on the 3 m x 3 m
  calorimeter, each of them 5-50 GeV, efficiency 0.51.  This is the card's rule.
- BdNMC (pgdeniverville/BdNMC, the code of deNiverville, an author of the 2019 recast): par_writer_runner.py
  execute_charm (a version in the repository's history, output "Visible_Dark_Photon/charm_decay_events.dat",
  "YuDai_project/charm") runs Signal_Decay with min_scatter_energy 3 GeV, max_scatter_energy 1e5, efficiency
  1, 2.4e18 POT; SignalDecay.cpp (SignalDecay::probscatter) requires the A' to decay inside the 3 m x 3 m x
  35 m box (par_writer.py CHARM_decay_detector, centred 5 m off axis) and each daughter above that energy,
  with no cut on where the daughters go and no upper energy cut.
Gninenko's and Winkler's selections are not in a reachable source.  Since the two codes disagree, the card
keeps ALPINIST's rule; what each rule gives (card MC, ours/theirs, lower edge with the upper edge in
brackets; BC1 vs Tsai at 0.06/0.1/0.2 GeV, BC4 e+ e- vs Winkler at 0.105/0.209 GeV; mu mu is not affected):
  card (ALPINIST) ........................ 1.22/1.17/1.13 (0.73/0.75/0.85);  1.55/1.47
  BdNMC's (each e > 3 GeV, vertex in the box, efficiency 1) 0.95/0.93/0.86 (1.00/1.00/1.20);  1.20/1.24
  the same with the card's efficiency 0.51 1.13/1.12/1.08 (0.94/0.94/1.06);  1.42/1.46
  one shower 5-50 GeV, others ignored .... 0.93/0.95/0.94 (0.93/0.93/1.06);  1.23/1.27
  summed shower energy 5-50 GeV .......... 0.90/0.95/0.99 (0.65/0.66/0.75);  1.20/1.25
  both showers on it, each 5-50 GeV ...... 1.38/1.33/1.34 (0.72/0.74/0.80);  1.81/1.86
  the card's rule without the 50 GeV cap . 1.21/1.16/1.08 (0.95/0.95/1.08);  1.50/1.45
(the BC4 column was measured before t31's K_L -> pi0 S fix, which multiplies each BC4 entry by 0.93)
With the recast's own selection our dark-photon yield reproduces Tsai et al.'s contour within 14 % at the lower
edge (test below), so the card's 1.13-1.22 is the difference of the two selections (mostly the efficiency
0.51 and the per-shower 5 GeV threshold; the upper edge the 50 GeV cap), not of the production or decay.
The BC4 e+ e- deficit stays 1.2-1.9 x under every rule: it is not a selection effect.  ALPINIST's
twoPhotonCondition tests the energy of daughter 0 when one daughter is on the calorimeter (whichever it is);
taken literally it moves BC1/BC4 by <= 1.5 % and BC9 by <= 1 % (not adopted).
"""

import numpy as np
import pytest

import na62lab.selection.dump_selection as dump_selection
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.physics.units import GeV
from na62lab.physics.units import m as METRE
from na62lab.yields.dump_grid import expected_events

LIMIT = 2.30          # 90 % CL, 0 observed, no background (CHARM: no candidates)


pytestmark = pytest.mark.usefixtures("isolated_cache")


@pytest.fixture(scope="module")
def charm():
    card = load_card("charm", DumpCard)
    return card.model_copy(update={"mc": DumpMC(n_fip=4000, n_mass_nodes=6, n_z_bins=3, n_ctau_nodes=60)})


def _edges(grid, mass_mev: float, couplings: np.ndarray) -> tuple[float, float]:
    """Lower and upper coupling where N_exp crosses the 90 % CL limit (log interpolation); NaN if none."""
    n = grid.evaluate(np.full(couplings.size, mass_mev), couplings)
    above = np.flatnonzero(n >= LIMIT)
    if above.size == 0:
        return float("nan"), float("nan")
    i, j = above[0], above[-1]
    lx, ln = np.log(couplings), np.log(np.maximum(n, 1e-300))
    lo = np.exp(np.interp(np.log(LIMIT), ln[i - 1:i + 1], lx[i - 1:i + 1]))
    hi = np.exp(np.interp(np.log(LIMIT), ln[j:j + 2][::-1], lx[j:j + 2][::-1]))
    return float(lo), float(hi)


def test_charm_dark_photon_follows_the_eta_recast_and_not_the_2012_one(charm):
    eps = np.geomspace(1e-8, 1e-4, 600)
    grid = expected_events("dark-photon", charm, np.array([60.0, 100.0, 200.0, 300.0, 390.0]), eps)
    # Tsai et al. Fig. 3a: (mass GeV, lower, upper); test MC ours/theirs 1.15-1.24 (lower), 0.73-0.86 (upper)
    for m, lo_ref, hi_ref in ((0.06, 1.78e-7, 7.19e-6), (0.10, 2.05e-7, 3.62e-6), (0.20, 2.49e-7, 1.14e-6)):
        lo, hi = _edges(grid, m * 1e3, eps)
        assert 0.95 < lo / lo_ref < 1.45, (m, lo, lo_ref)
        assert 0.6 < hi / hi_ref < 1.05, (m, hi, hi_ref)
    # Gninenko 2012 (Bluemlein & Brunner Fig. 5): lower edge 9.2e-8 at 0.193 GeV; ours/theirs 3.1
    lo, _ = _edges(grid, 193.1, eps)
    assert 2.4 < lo / 9.18e-8 < 3.9, lo
    # the closing mass: excluded at 0.28 GeV, not at 0.39 GeV where Gninenko's region still is (1.06e-7 - 3.64e-7)
    assert np.isfinite(_edges(grid, 280.0, eps)[0])
    assert np.isnan(_edges(grid, 390.0, eps)[0])


def _bdnmc_charm_selection(card_acceptance):
    """The 2019 recast's CHARM e+ e- selection (BdNMC SignalDecay, execute_charm: each daughter above 3 GeV, the
    decay vertex inside the 3 m x 3 m box, no cut on the daughters' direction, no upper energy cut); other
    final states keep the card's selection."""
    def acceptance(vertex, p4s, kinds, charges, detector, selection):
        if not (kinds and all(k == "e" for k in kinds)):
            return card_acceptance(vertex, p4s, kinds, charges, detector, selection)
        (hx, hy), (x0, y0) = ((a * METRE for a in pair) for pair in (detector.aperture_half_m, detector.offset_m))
        ok = (np.abs(vertex[:, 0] - x0) <= hx) & (np.abs(vertex[:, 1] - y0) <= hy)
        for p4 in p4s:
            ok &= p4[:, 0] >= 3.0 * GeV
        return ok
    return acceptance


def test_charm_dark_photon_with_the_recasts_own_selection_reproduces_tsai(charm, monkeypatch):
    """Our production and decay against Tsai, deNiverville, Liu (arXiv:1908.07525 Fig. 3a) with their CHARM
    selection emulated (BdNMC, module docstring; efficiency 1): lower edge 0.95/0.92/0.86 x theirs at
    0.06/0.1/0.2 GeV, upper 0.99/1.00/1.21 (test MC; card MC 0.95/0.93/0.86, 1.00/1.00/1.20).  The card's
    own selection (ALPINIST's) sits at 1.13-1.22 (test above)."""
    monkeypatch.setattr(dump_selection, "generic_acceptance", _bdnmc_charm_selection(dump_selection.generic_acceptance))
    sel = charm.selection
    effs = tuple(f.model_copy(update={"value": 1.0}) if "ee" in f.applies_to else f for f in sel.efficiencies)
    card = charm.model_copy(update={"selection": sel.model_copy(update={"efficiencies": effs})})
    eps = np.geomspace(1e-8, 1e-4, 600)
    grid = expected_events("dark-photon", card, np.array([60.0, 100.0, 200.0, 300.0]), eps, ["ee"],
                           use_cache=False)
    for m_gev, lo_ref, hi_ref, hi_band in ((0.06, 1.78e-7, 7.19e-6, (0.85, 1.15)),
                                           (0.10, 2.05e-7, 3.62e-6, (0.85, 1.15)),
                                           (0.20, 2.49e-7, 1.14e-6, (1.0, 1.4))):
        lo, hi = _edges(grid, m_gev * 1e3, eps)
        assert 0.8 < lo / lo_ref < 1.08, (m_gev, lo / lo_ref)
        assert hi_band[0] < hi / hi_ref < hi_band[1], (m_gev, hi / hi_ref)


def test_charm_dark_scalar_matches_winkler_above_the_dimuon_threshold(charm):
    theta = np.geomspace(1e-5, 1e-1, 600)
    grid = expected_events("dark-scalar", charm, np.array([100.0, 210.0, 240.0, 260.0, 300.0]), theta)
    # mu mu: Winkler lower edge 1.36e-4 at 0.243 GeV, 1.23e-4 at 0.257 GeV; test MC ours/theirs 0.86/0.88
    # (0.92-0.96 before t31's K_L -> pi0 S fix, module docstring)
    for m, ref in ((0.2435, 1.358e-4), (0.2570, 1.225e-4)):
        lo, _ = _edges(grid, m * 1e3, theta)
        assert 0.8 < lo / ref < 1.15, (m, lo, ref)
    # e+ e- only: 1.57e-3 at 0.105 GeV, 1.04e-3 at 0.209 GeV; test MC ours/theirs 1.39 and 1.39 (1.49/1.53 before)
    for m, ref in ((0.1049, 1.574e-3), (0.2091, 1.044e-3)):
        lo, _ = _edges(grid, m * 1e3, theta)
        assert 1.25 < lo / ref < 1.85, (m, lo, ref)
    # Winkler's region closes at 0.284 GeV; ours within 10 %: excluded at 0.284, not at 0.31 GeV
    assert np.isfinite(_edges(grid, 284.0, theta)[0])
    assert np.isnan(_edges(grid, 310.0, theta)[0])


def test_charm_dark_scalar_ee_deficit_is_the_shower_selection(charm):
    """With e+ e- selected like mu mu (tracks > 1 GeV through the 3 m x 3 m face, efficiency 0.85) the e+ e- lower
    edge is 0.96/1.14 x Winkler's at 0.105/0.209 GeV (test MC), next to mu mu's 0.86/0.88: the card's 1.39 is the
    ALPINIST shower rule, not production (module docstring); this rule is a diagnosis, not adopted."""
    sel = charm.selection
    effs = tuple(f.model_copy(update={"value": 0.85}) if "ee" in f.applies_to else f for f in sel.efficiencies)
    card = charm.model_copy(update={"selection": sel.model_copy(update={
        "efficiencies": effs, "electrons_as_showers": False, "track_p_min_gev": 1.0})})
    theta = np.geomspace(1e-5, 1e-1, 600)
    grid = expected_events("dark-scalar", card, np.array([100.0, 150.0, 210.0]), theta, ["ee"])
    for m, ref, band in ((0.1049, 1.574e-3, (0.8, 1.15)), (0.2091, 1.044e-3, (0.95, 1.3))):
        lo, _ = _edges(grid, m * 1e3, theta)
        assert band[0] < lo / ref < band[1], (m, lo / ref)


def test_nucal_dark_photon_matches_the_2019_recast_below_100_mev(tmp_path):
    """NuCal (70 GeV p on iron, 1.7e18 POT) against Tsai, deNiverville, Liu, arXiv:1908.07525 Fig. 3a, NuCal
    (filled blue), as tabulated by the authors for DarkCast (NuCAL_Tsai2019mtm.lmt).  Measured with the full card
    MC, ours/theirs: lower edge 0.96/0.97/0.89 at 10/40/100 MeV, upper 1.02/1.03/1.10 (test MC: 1.00/0.93/0.94,
    1.02/1.01/1.04); above 0.2 GeV ours is
    stronger (lower edge 0.72, 0.55, 0.49 at 0.2, 0.4, 0.6 GeV: production mix of the heavier masses, not pinned)."""
    card = load_card("nucal", DumpCard)
    card = card.model_copy(update={"mc": DumpMC(n_fip=4000, n_mass_nodes=5, n_z_bins=3, n_ctau_nodes=60)})
    eps = np.geomspace(1e-8, 1e-3, 600)
    grid = expected_events("dark-photon", card, np.array([10.0, 40.0, 100.0]), eps, ["ee", "mumu"])
    for m, lo_ref, hi_ref in ((0.01, 4.17e-7, 9.83e-5), (0.04, 2.18e-7, 2.16e-5), (0.10, 2.05e-7, 7.53e-6)):
        lo, hi = _edges(grid, m * 1e3, eps)
        assert 0.75 < lo / lo_ref < 1.2, (m, lo, lo_ref)
        assert 0.8 < hi / hi_ref < 1.25, (m, hi, hi_ref)
