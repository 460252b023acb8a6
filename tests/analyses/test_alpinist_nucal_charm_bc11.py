"""NuCal (70 GeV protons on iron; BC9 and BC11) and CHARM BC11 against ALPINIST's public event tables (issue 16).

Reference: Jerhot, Dobrich, Ertas, Kahlhoefer, Spadaro, arXiv:2201.05170 (ALPINIST), public code
jjerhot/ALPINIST (BSD-3, licence shipped as src/na62lab/config/published/ALPINIST_LICENSE.txt), commit
a0dbe277631ff074fdf8b54f879d73798916fa9d, files tab_toPlot/NuCal/NuCal_mX_CBB_fixed-CWW0-CGG0-Cll0-Cqq0_2Gamma.dat
(BC9), tab_toPlot/{NuCal,CHARM}/*_mX_CGG_fixed-CBB0-CWW0-Cll0-Cqq0.dat (BC11, all decays) and
NuCal_mX_CGG_fixed-CBB0-CWW0-Cll0-Cqq0_2Gamma.dat (BC11, two photons).  Rows (m_a GeV, C/Lambda GeV^-1,
events); the two rows that bracket N = 2.3 at each mass are quoted below and the crossing is interpolated
in log-log.  Coupling conversions as tests/analyses/test_alpinist_bc9_bc11_reference.py
(g_agg = 16 pi alpha C_BB/Lambda with alpha = 1/137; 1/f_G = 32 pi^2 C_GG/Lambda).  Mass grids: the CBB and
the _2Gamma files 1e-4-3.05 GeV, the all-decay CGG files 0.01-3.05 GeV (601 log-spaced points each).

ALPINIST's setup (ALP_decay/src/ExpParameters.C at that commit) against our cards:
- NuCal (case 2): 70 GeV, iron (A 55.8, Z 26), 1.7e18 POT, decay volume 64-87 m, calorimeter r < 1.3 m at
  87 m, efficiency 0.7 (photons, e+ e-) and 0.8 (muons): all as in config/cards/nucal.yaml (our aperture is
  the 1.3 m circle's equal-area square).  Photon rule (twoPhotonCondition): one photon on the calorimeter
  with more than 10 GeV, or two with either above 10 GeV; ours both photons on it and their sum above
  10 GeV (card: NuCal's > 10 GeV shower energy).  Multi-photon ALP decays (3 pi0, ...; multiplePhotonCondition)
  count each photon above 3 GeV on the calorimeter with probability 0.3 (`Rndm() > 0.7`, on top of the 0.7
  efficiency) and need 10 GeV detected; charged-hadron decays are never accepted (twoHadronCondition).
- CHARM (case 1): as config/cards/charm.yaml (see its header; BC9 is tests/analyses/
  test_alpinist_bc9_bc11_reference.py).  Multi-photon decays: one or two photons of 5-50 GeV on the
  calorimeter.
- Both: ALP direction required inside the calorimeter (allInAcceptance); production modes Primakoff,
  photons from mesons, pi0/eta/eta' mixing, B -> K a (nothing from kaon decays).
Ours, BC11: final states are the cards' channels (e+ e-, mu+ mu-, gamma gamma), so 3 pi0 is not counted (its
six photons are a neutral shower both detectors would see; adding it needs a new final state in
generation/dump); production includes K+ -> pi+ a of kaons decaying in flight in the dump (chiral weak
Lagrangian, arXiv:2102.13112), which ALPINIST omits.

Measured ours/ALPINIST (lower, upper edge; this test's MC, seeds 3 and 4 agree within 0.03):
- NuCal BC9, primary photons (as ALPINIST): 0.91/0.90/0.94/0.96, 0.94/0.95/0.93/0.90 at 20/50/99/201 MeV;
  as shipped (Primakoff also on the cascade photons, arXiv:1904.02091): 0.81/0.80/0.81/0.83,
  0.95/0.96/0.95/0.93 (the cascade adds x1.5 events at 70 GeV, against x4-8 at 400 GeV).  First independent
  check of the 70 GeV iron production table: its primary-photon Primakoff matches ALPINIST's to 10 %.
- NuCal BC11 (all decays): lower 0.56/0.85/0.97/1.17/1.11, upper 0.94/0.98/0.89/0.89/0.88 at
  50/100/200/301/449 MeV; two-photon table at 452 MeV 1.07-1.10, 0.88 (3 pi0 moves ALPINIST's upper edge by 6 %).
- CHARM BC11 (all decays): lower 0.56/0.89/0.98/1.02/1.01, upper 0.98/1.00/0.85/0.83/0.75 at the same masses.
- Decomposition at 50 MeV (the only > 30 % lower-edge difference): in the long-lived regime N ~ g^4, so 0.56
  is x10 events.  K+ -> pi+ a is 69 % (NuCal) / 75 % (CHARM) of our yield there (4 % at 100 MeV); without it
  the lower edge is 0.76-0.79.  The rest (x2.8 events) is in the pi0-mixing yield: our mixing angles equal
  ALPINIST's formulas (ALP_rescale/alp/effective_coupling.py, mixing.pi/eta/etap) to < 0.2 % and our
  Gamma(gamma gamma) is 0.97-1.03 of theirs at 20-70 MeV (chiral -1.92 C_GG plus the mixing terms), so the
  difference sits in ALPINIST's pi0-mixing yields.  Their per-mode table tab_decay/NuCal/NuCal_mixingPi0_2Gamma.dat
  (events per theta_api^2 = 1 against Gamma, same commit) gives, in the long-lived regime, N/Gamma at 46.7 MeV
  = 0.032 of that at 307 MeV; ours (mixing:pi0 events / (theta^2 Gamma)) 0.17-0.20 (with the mass nodes of
  this test and of a 4-mass grid), i.e. ours ~ m^0.85-0.95 (decay
  probability ~ m Gamma/p, production theta^2 N_pi0 independent of m) and theirs ~ m^1.8.  The ratio of the
  two, 5.3-6.3, is the BC11 lower-edge trend (6.4): our mixing yield / theirs = 2.8, 2.0, 0.9, 0.44 at 50, 100,
  200, 300 MeV (NuCal, from the edges with the widths divided out).  So the cause is the mass dependence
  of ALPINIST's mixing production spectra (built by moving the meson's momentum to the ALP in the pp rest
  frame), not our mixing angle, width, acceptance or 70 GeV table.
- Not tested: 690-720 MeV, where the gluon ALP's gamma gamma width passes through a zero (ours ~680 MeV from
  the ASW digitised width, ALPINIST's from its analytic chiral + mixing formula): NuCal two-photon table at
  694 MeV lower 1.65, upper 0.78, and ALPINIST's own yield changes x5 between 694 and 719 MeV.
Nothing here was tuned; the bands are the measured values with MC and interpolation margin.
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
"""g_agg (GeV^-1) per C_BB/Lambda (GeV^-1), ALPINIST alpha_EM = 1/137."""
G_GG = references.BC11.per_coupling
"""1/f_G (GeV^-1) per C_GG/Lambda (GeV^-1)."""
KAON_MODE = "K+->pi+a"

NUCAL_BC9 = {
    20.042: ((2.8226e-05, 2.2289), (3.1670e-05, 3.5312), (4.4757e-03, 3.8484), (5.0219e-03, 0.18853)),
    49.895: ((1.1236e-05, 1.6549), (1.2607e-05, 2.6183), (5.6335e-04, 10.243), (6.3209e-04, 1.4294)),
    99.313: ((6.3180e-06, 1.9388), (7.0890e-06, 3.0337), (1.2610e-04, 2.6470), (1.4149e-04, 0.57173)),
    201.11: ((3.5527e-06, 1.8649), (3.9862e-06, 2.7372), (1.9982e-05, 4.6861), (2.2420e-05, 2.2873)),
}
"""m (MeV) -> (C_BB/Lambda, N) rows bracketing the lower edge (two) and the upper edge (two), NuCal 1.7e18 POT."""
NUCAL_BC11 = {
    50.089: ((8.9227e-07, 1.5351), (1.0012e-06, 2.4337), (4.4747e-04, 5.2016), (5.0208e-04, 0.076772)),
    100.46: ((1.4139e-07, 1.6482), (1.5864e-07, 2.6137), (8.9268e-05, 30.515), (1.0016e-04, 0.61522)),
    199.58: ((7.0857e-08, 2.1727), (7.9504e-08, 3.4415), (3.9871e-05, 11.409), (4.4737e-05, 0.19200)),
    300.72: ((3.9844e-08, 1.9882), (4.4706e-08, 3.1503), (1.2607e-05, 2.5724), (1.4145e-05, 0.063948)),
    448.81: ((1.5861e-08, 1.7197), (1.7796e-08, 2.7228), (2.5150e-06, 3.9265), (2.8219e-06, 0.17306)),
}
"""C_GG/Lambda rows, NuCal, all decays."""
NUCAL_BC11_2GAMMA = {
    300.72: NUCAL_BC11[300.72],     # below 3 m_pi0 only gamma gamma is open: both files are the same channel
    451.55: ((1.5861e-08, 1.7949), (1.7796e-08, 2.8425), (2.2415e-06, 16.847), (2.5150e-06, 1.0291)),
}
"""C_GG/Lambda rows, NuCal, a -> gamma gamma only (the 300.72 MeV row repeats the all-decay one as a partner
mass: a single mass node cannot be interpolated)."""
CHARM_BC11 = {
    50.089: ((1.2604e-06, 1.7081), (1.4142e-06, 2.7056), (1.7813e-04, 7.9722), (1.9986e-04, 1.5681)),
    100.46: ((1.7800e-07, 1.7977), (1.9972e-07, 2.8413), (4.4737e-05, 3.3163), (5.0196e-05, 0.39686)),
    199.58: ((7.9504e-08, 1.7649), (8.9206e-08, 2.7973), (1.9982e-05, 2.4132), (2.2420e-05, 0.23630)),
    300.72: ((5.0161e-08, 1.6582), (5.6283e-08, 2.6322), (5.6309e-06, 5.4766), (6.3180e-06, 0.76190)),
    448.81: ((2.2404e-08, 1.6925), (2.5139e-08, 2.6668), (1.2604e-06, 2.4950), (1.4142e-06, 0.65943)),
}
"""C_GG/Lambda rows, CHARM 2.4e18 POT, all decays."""


pytestmark = pytest.mark.usefixtures("isolated_cache")


def _reference(table: dict, conversion: float) -> np.ndarray:
    """(n_m, 2) lower and upper edge of the reference, in our coupling: each mass's four rows as one curve
    (below, above, above, below N = 2.3), crossed as ours are (log-log)."""
    rows = [np.array(r).T for r in table.values()]
    return np.array([crossings(c, n, LIMIT) for c, n in rows]) * conversion


def _grid(card_name: str, model: str, table: dict, g_range: tuple[float, float], n_fip: int, **updates):
    """Our expected events (card's POT, which is ALPINIST's) on the table's masses."""
    card = load_card(card_name, DumpCard)
    upd = {"mc": DumpMC(n_fip=n_fip, n_mass_nodes=max(4, len(table)), n_ctau_nodes=60, seed=3)}
    for section, fields in updates.items():
        upd[section] = getattr(card, section).model_copy(update=fields)
    g = np.geomspace(g_range[0], g_range[1], 240)
    return g, expected_events(model, card.model_copy(update=upd), np.array(sorted(table)), g, use_cache=False)


def _ratio(g, events, table: dict, conversion: float, label: str) -> np.ndarray:
    ours = np.array([crossings(g, row, LIMIT) for row in events])   # NaN (test fails) if open
    ratio = ours / _reference(table, conversion)
    print(label, "ours/ALPINIST lower", np.round(ratio[:, 0], 2), "upper", np.round(ratio[:, 1], 2))
    return ratio


def test_cards_match_alpinist_experiment_parameters():
    """ExpParameters.C cases 1 and 2: POT, beam, volume, calorimeter plane and efficiencies are the cards'."""
    nucal, charm = load_card("nucal", DumpCard), load_card("charm", DumpCard)
    assert (nucal.run.n_pot, nucal.run.beam_energy_gev) == (1.7e18, 70.0)
    assert tuple(nucal.selection.fiducial_z_m) == (64.0, 87.0) and tuple(nucal.detector.planes_m) == (87.0,)
    assert abs(4 * nucal.detector.aperture_half_m[0] ** 2 - np.pi * 1.3**2) < 0.01   # equal-area square
    assert (nucal.selection.efficiency("gammagamma"), nucal.selection.efficiency("mumu")) == (0.7, 0.8)
    assert (charm.run.n_pot, tuple(charm.selection.fiducial_z_m)) == (2.4e18, (480.0, 515.0))
    assert (charm.selection.efficiency("gammagamma"), charm.selection.efficiency("mumu")) == (0.51, 0.85)


@pytest.mark.parametrize("cascade, lower, upper", [
    (False, (0.82, 1.06), (0.82, 1.06)),      # measured lower 0.90-0.96, upper 0.90-0.95
    (True, (0.70, 0.92), (0.85, 1.06))])      # measured lower 0.80-0.83, upper 0.93-0.96
def test_nucal_bc9_70gev_iron_table_reproduces_alpinist(cascade, lower, upper):
    g, res = _grid("nucal", "alp-photon", NUCAL_BC9, (1e-8, 1e-1), 5000, production={"primakoff_cascade": cascade})
    r = _ratio(g, res.total, NUCAL_BC9, G_BB, f"NuCal BC9 cascade={cascade}")
    assert np.all((r[:, 0] > lower[0]) & (r[:, 0] < lower[1])), r
    assert np.all((r[:, 1] > upper[0]) & (r[:, 1] < upper[1])), r


@pytest.mark.parametrize("card, table, n_fip, upper", [
    ("nucal", NUCAL_BC11, 3000, (0.78, 1.08)),    # measured 0.87-0.98
    ("charm", CHARM_BC11, 5000, (0.64, 1.12))])   # measured 0.73-1.01 (0.75 at 449 MeV: 3 pi0 in ALPINIST)
def test_bc11_edges_and_the_kaon_decay_production_alpinist_omits(card, table, n_fip, upper):
    """Lower edge 0.56 at 50 MeV (x10 events): K+ -> pi+ a (absent from ALPINIST) is 70 % of it; without that
    mode 0.76-0.79; 0.85-1.18 above.  Upper edges within 25 % (widths and 3 pi0, module docstring)."""
    g, res = _grid(card, "alp-gluon", table, (1e-9, 1.0), n_fip)
    r = _ratio(g, res.total, table, G_GG, f"{card} BC11")
    no_kaon = _ratio(g, res.total - res.by_mode[KAON_MODE], table, G_GG, f"{card} BC11 without K->pi a")
    assert 0.45 < r[0, 0] < 0.67, r                                   # measured 0.53-0.56
    assert 0.66 < no_kaon[0, 0] < 0.90, no_kaon                       # measured 0.76-0.79
    assert np.all((r[1:, 0] > 0.75) & (r[1:, 0] < 1.32)), r           # measured 0.84-1.18
    assert np.all((r[:, 1] > upper[0]) & (r[:, 1] < upper[1])), r
    assert np.allclose(no_kaon[1:, 0], r[1:, 0], rtol=0.03)           # the kaon mode matters below m_pi0 only


ALPINIST_PI0_MIXING = {46.6888: (1e-25, 0.00978037), 307.001: (1e-25, 0.305606)}
"""m (MeV) -> (Gamma GeV, events per theta_api^2 = 1), tab_decay/NuCal/NuCal_mixingPi0_2Gamma.dat at a0dbe27
(first row of each mass: the long-lived regime, N ~ Gamma)."""


def test_pi0_mixing_yield_mass_dependence_is_the_bc11_lower_edge_trend():
    """Our pi0-mixing events per theta^2 per Gamma fall from 307 to 47 MeV as m^0.95; ALPINIST's as m^1.8."""
    from na62lab.fips import get_model

    masses = sorted(ALPINIST_PI0_MIXING)
    g, res = _grid("nucal", "alp-gluon", dict.fromkeys(masses), (1e-9, 1.0), 3000)
    i = int(np.searchsorted(g, 3e-7))                                 # long lived at both masses
    model = get_model("alp-gluon")
    theta = model.mixing_angles(np.array(masses))["pi0"] * g[i]
    width = sum(model.reduced_widths(np.array(masses)).values()) * g[i] ** 2
    ours = res.by_mode["mixing:pi0"][:, i] / (theta**2 * width)
    theirs = np.array([n / gam for gam, n in ALPINIST_PI0_MIXING.values()])
    ratio_ours, ratio_theirs = ours[0] / ours[1], theirs[0] / theirs[1]
    print("N/(theta^2 Gamma), 47 MeV / 307 MeV: ours", round(ratio_ours, 3), "ALPINIST", round(ratio_theirs, 4))
    assert 0.13 < ratio_ours < 0.24, ratio_ours                      # measured 0.168
    assert 4.0 < ratio_ours / ratio_theirs < 7.5                      # measured 5.3 (BC11 trend 6.4, docstring)


def test_nucal_bc11_two_photon_table():
    """Above 3 m_pi0 ALPINIST's all-decay table adds 3 pi0 (with its 0.3 per-photon NuCal detection); against
    the a -> gamma gamma table alone the edges agree as below the threshold."""
    g, res = _grid("nucal", "alp-gluon", NUCAL_BC11_2GAMMA, (1e-9, 1.0), 3000)
    r = _ratio(g, res.total, NUCAL_BC11_2GAMMA, G_GG, "NuCal BC11 gamma gamma")
    assert np.all((r[:, 0] > 0.92) & (r[:, 0] < 1.32)), r    # measured 1.14, 1.07-1.10
    assert np.all((r[:, 1] > 0.76) & (r[:, 1] < 1.02)), r    # measured 0.89, 0.88
