"""B -> K X and B -> K* X in the NA62 dump against an independent calculation: ALPINIST's NA62 tables.

Reference: Jerhot, Dobrich, Ertas, Kahlhoefer, Spadaro, arXiv:2201.05170 (ALPINIST), public code
jjerhot/ALPINIST (BSD-3), files tab_toPlot/NA62/NA62_tauX_BRdecay_fixed-BRprod1-mX{220,300}MeV_BmesonK-
BmesonKstar_{2El,2Mu}.dat at commit a0dbe277631ff074fdf8b54f879d73798916fa9d.  Each row is
(tau_X in ps, BR(X -> l l), expected events).  What the table holds, read from the code at that commit:

- production (ALP_production/modes/meson_decay.py, bmeson_decay_production): B+- and B0 (and
  conjugates) from a Pythia 8.2 list of 400 GeV pp -> b bbar events, each decaying isotropically into
  K X (K* X), weighted by the B multiplicity per event; per POT times ExpParameters.C's
  normCrossSec = sigma_bb / sigma_pp x A^(1/3) = 1.866 nb / 39.85 mb x 63.5^(1/3) = 1.87e-7 (sigma_bb
  "from Pythia"; sigma_pA taken as sigma_pp A^(2/3) = 634 mb);
- BR(B -> K X) = 1 and BR(B -> K* X) = R(m) x 1 (ALP_rescale/alp/load_data.py, n_events_Bmeson_BR):
  R = A0^2 lambda^(3/2)(B, K*, X) / (f0^2 (m_B^2 - m_K^2)^2 lambda^(1/2)(B, K, X)) with Ball-Zwicky form
  factors, R = 1.208 at 220-300 MeV; our dark-scalar model (arXiv:1904.10447 App. C) gives the same R to
  1e-5, and the test takes it from there;
- decay and acceptance (ALP_decay/src/ExpParameters.C, NA62 case, and DecayMCProcess.C): POT = 1e19,
  efficiency 1 ("Sigacceptance = 1"), decay volume z = 102-183 m (TAX front 23.07 m); 2Mu: both muons
  E > 5 GeV inside the STRAW 1 and 4 annulus 0.1 < r < 1 m (no MUV3, no pairing cut); 2El: the photon
  condition on the electrons at the LKr (octagon, r > 0.15 m, > 0.1 m apart, E > 1 GeV each, sum > 3
  GeV), no STRAW condition.  The rows are linear in BR(X -> l l); REFERENCE holds events per unit BR.

Ours: the same quantity from our production table, B -> K X kinematics, geometry and selection (the Run 2
card at 1e19 POT; the card's assumed trigger/PID/veto efficiencies, 0.82 for ee and 0.84 for mumu, are not
applied, as ALPINIST's efficiency is 1).  Measured ours/ALPINIST (2e5 FIPs per mode), at tau_X =
100 ps, 1.1 ns and 190 ns (long-lived), with the copper chi_bb = 1.41e-7 of the card:

    ee 220 MeV   0.59  0.69  0.67      mumu 220 MeV  -  0.61  0.60
    ee 300 MeV     -   0.66  0.64      mumu 300 MeV  -  0.67  0.65

(with the former molybdenum chi_bb = 1.6e-7: 0.67 0.78 0.76 / 0.70 0.69 / 0.75 0.73 / 0.76 0.74).
The ratio is flat in tau_X within 10 % (the B and X momentum spectra agree: the short-lived end,
100 ps, is set by the hardest X).  Decomposition, none tuned:

- b bbar per POT: ours chi_bb = 1.41e-7, ALPINIST 1.87e-7: ratio 0.755 = (1.7 nb SHiP / 1.866 nb
  Pythia 8.2) x (634 mb / 768.5 mb for sigma_inel(p Cu)).  Neither sigma_bb is a measurement at
  sqrt(s) = 27.4 GeV; the spread of the two is the b bbar normalisation uncertainty;
- X per b bbar event in the acceptance region: ALPINIST's production table
  tab_prod/NA62/alp_BmesonK_beam400GeV_01to10MeV_NA62.dat (same commit; rows theta, E, m_X, density
  = 1e-10 x B multiplicity x KDE density d2N/dE dtheta per GeV per rad, meson_decay.py f_kde) at
  m_X = 0.1 MeV, against ours at 200 MeV (p* 2.60 vs 2.61 GeV): over theta < 6 mrad and E = 16.5-137.5
  GeV ours/ALPINIST = 0.95 (0.87-0.98 per 11 GeV row above 33 GeV, 0.5-0.8 below, where ALPINIST's
  log-space KDE smooths), so B multiplicity (ours 1.63 B+- and B0 per pair), B spectra and B -> K X
  kinematics agree within 5 %; production ratio 0.755 x 0.95 = 0.72;
- selection, measured by switching ours to ALPINIST's conditions one at a time (220 MeV, long-lived):
  decay volume 105-180 -> 102-183 m x1.04-1.05 (x1.08 = 81/75 in the long-lived limit, less after the
  acceptance), pointing cut x1.00, the 10 mm STRAW 1 two-track separation x1.03 (ee) and x1.16 (mumu: the
  slow muons near threshold, cf. the BC1 low-mass edge), STRAW hole 0.06 -> 0.1 m x0.96-0.98; with all of
  them ours/ALPINIST (long-lived) is 0.70 (ee 220), 0.72 (mumu 220), 0.66 (ee 300), 0.68 (mumu 300), i.e.
  0.92-1.00 x the production ratio 0.72;
- the rest (< 8 %): ALPINIST's ee condition asks for the LKr only (ours: STRAW 1-4 and the LKr), ours asks
  the muons in MUV3, and the MC spread of both codes.
"""

import numpy as np
import pytest

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.fips import get_model
from na62lab.fips.table_model import TableModel
from na62lab.generation.dump.sources import production_modes
from na62lab.generation.dump.tables import load_table
from na62lab.physics.units import c_light, ps
from na62lab.yields.dump_tables import efficiency_curves, tau_nodes

REFERENCE = {("ee", 0.22): {100.0: 2.8979e8, 1096.5: 5.0362e9, 1.9055e5: 6.7216e7},
             ("mumu", 0.22): {1096.5: 8.6756e9, 1.9055e5: 1.2352e8},
             ("ee", 0.30): {1096.5: 4.8595e9, 1.9055e5: 8.4508e7},
             ("mumu", 0.30): {1096.5: 7.6817e9, 1.9055e5: 1.4238e8}}
"""(final state, m_X GeV) -> {tau_X ps: events per unit BR(X -> l l)}, BR(B -> K X) = 1, 1e19 POT:
the BR = 1e-13 rows of the ALPINIST files (module docstring) x 1e13."""

MEASURED = {("ee", 0.22): (0.59, 0.69, 0.67), ("mumu", 0.22): (0.61, 0.60),
            ("ee", 0.30): (0.66, 0.64), ("mumu", 0.30): (0.67, 0.65)}
"""ours / ALPINIST at the REFERENCE lifetimes, 2e5 FIPs per mode (module docstring)."""

ALPINIST_X_DENSITY_ROWS = {38.5: 1.1154e-11, 49.5: 2.2748e-11, 60.5: 3.4087e-11, 71.5: 3.9961e-11,
                           82.5: 4.2504e-11, 93.5: 4.2676e-11, 104.5: 4.0694e-11, 115.5: 3.6931e-11}
"""E (GeV) -> sum over the 17 theta nodes 0.18-5.94 mrad (0.36 mrad apart) of ALPINIST's NA62 B -> K X
density at m_X = 0.1 MeV (tab_prod/NA62/alp_BmesonK_beam400GeV_01to10MeV_NA62.dat, a0dbe27; module
docstring): 1e-10 x B multiplicity x d2N/dE dtheta (GeV^-1 rad^-1) per b bbar event."""


def card(n_fip: int, seed: int = 3) -> DumpCard:
    """The Run 2 card at ALPINIST's 1e19 POT with a reduced Monte Carlo."""
    base = load_card("na62_dump_run2", DumpCard)
    return base.model_copy(update={"run": base.run.model_copy(update={"n_pot": 1e19}),
                                   "mc": DumpMC(n_fip=n_fip, n_ctau_nodes=140, seed=seed)})


def b_to_kx_model() -> TableModel:
    """X with BR(B -> K X) = 1 and BR(B -> K* X) = R(m) from the dark-scalar form factors, one decay."""
    mass = np.linspace(0.2, 0.32, 13)
    prod = get_model("dark-scalar").reduced_production(mass * 1e3)
    ratio = prod["B->K*S"] / prod["B->KS"]
    # reference coupling 0.5 (power 1): the table BRs stay <= 1 while the rates per coupling are 1 and R
    return TableModel({"name": "b-to-kx", "coupling_power": 1, "reference_coupling": 0.5,
                       "mass_gev": list(mass), "ctau_m": [1.0] * mass.size,
                       "decay_br": {"ee": [0.5] * mass.size, "mumu": [0.5] * mass.size},
                       "production_br": {"B->KX": [0.5] * mass.size, "B->K*X": list(0.5 * ratio)}})


def ours(final_state: str, m_gev: float, taus_ps, dump: DumpCard, seed: int = 1) -> np.ndarray:
    """Selected X -> l l per unit BR(X -> l l) at lifetimes ``taus_ps`` (ps), no unsimulated efficiency."""
    sources = production_modes(b_to_kx_model(), dump, load_table())
    taus, m = tau_nodes(dump), m_gev * 1e3
    eff = np.zeros(taus.size)
    for mode in sources.modes:
        rng = np.random.default_rng(seed)
        sample = mode.sampler(m, dump.mc.n_fip, rng)
        eff += float(mode.rate(np.array([m]))[0]) * efficiency_curves(sample, [final_state], dump, rng)[:, 0]
    tau_prime = c_light * np.asarray(taus_ps, float) * ps / m          # c tau / m, mm/MeV
    return dump.run.n_pot * np.exp(np.interp(np.log(tau_prime), np.log(taus), np.log(np.maximum(eff, 1e-300))))


def test_k_star_share_and_b_normalisation():
    """BR(B -> K* X) / BR(B -> K X) is ALPINIST's R; ours per POT is chi_bb x (B+ + B0 per b bbar)."""
    sources = production_modes(b_to_kx_model(), card(1000), load_table())
    rates = {md.name: float(md.rate(np.array([220.0]))[0]) for md in sources.modes}
    assert rates["B->K*X"] / rates["B->KX"] == pytest.approx(1.208, abs=0.002)
    table, prod = load_table(), card(1000).production
    per_pot = prod.chi_bb * (table.multiplicity("B+") + table.multiplicity("B0"))
    assert rates["B->KX"] == pytest.approx(per_pot, rel=1e-9)
    assert 1.60 < per_pot / prod.chi_bb < 1.66
    alpinist_bb_per_pot = 1.866e-6 / 39.85 * 63.5 ** (1 / 3)       # ExpParameters.C, mb / mb
    assert prod.chi_bb / alpinist_bb_per_pot == pytest.approx(0.753, abs=0.005)


@pytest.mark.parametrize("key", sorted(REFERENCE))
def test_b_to_kx_yield_agrees_with_alpinist(key):
    final_state, m_gev = key
    taus = sorted(REFERENCE[key])
    ratio = ours(final_state, m_gev, taus, card(60000)) / np.array([REFERENCE[key][t] for t in taus])
    print(key, "ours/ALPINIST:", np.round(ratio, 3))
    # reduced MC (6e4 FIPs per mode): over seeds the ratios spread by +-7 % at >= 1 ns and by +-17 % at
    # 100 ps, where a few of the hardest X carry the yield (measured)
    rtol = np.where(np.array(taus) < 500.0, 0.25, 0.12)
    assert np.all(np.abs(ratio / np.array(MEASURED[key]) - 1) < rtol), ratio
    assert abs(ratio[-1] / ratio[-2] - 1) < 0.1          # flat from 1.1 ns to the long-lived limit



def test_x_spectrum_per_b_pair_matches_alpinist_production_table():
    """Ours (B+ + B0 per pair) x d2N/dE dtheta of X from B -> K X = 0.95 x ALPINIST's in the acceptance."""
    sources = production_modes(b_to_kx_model(), card(1000), load_table())
    mode = next(md for md in sources.modes if md.name == "B->KX")
    sample = mode.sampler(200.0, 1_000_000, np.random.default_rng(5))
    e_gev = sample.p4[:, 0] / 1e3
    theta = np.arccos(np.clip(sample.p4[:, 3] / sample.momentum, -1.0, 1.0))
    table = load_table()
    weight = sample.weight / sample.weight.sum() * (table.multiplicity("B+") + table.multiplicity("B0"))
    rows = np.array(sorted(ALPINIST_X_DENSITY_ROWS))
    ours = np.array([weight[(abs(e_gev - e) < 5.5) & (theta < 6.12e-3)].sum() / (11.0 * 0.36e-3) for e in rows])
    ratio = ours / (np.array([ALPINIST_X_DENSITY_ROWS[e] for e in rows]) / 1e-10)
    print("X density per b bbar, ours/ALPINIST per 11 GeV row:", np.round(ratio, 3))
    assert ratio.sum() / ratio.size == pytest.approx(0.95, abs=0.05)
    assert np.all((ratio > 0.8) & (ratio < 1.1))

