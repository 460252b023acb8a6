"""HNL lifetime and production BRs against independent public tables (Majorana, one flavour at a time).

Reference: SensCalc (maksymovchynnikov/SensCalc, BSD-3; a few numbers quoted with attribution), which
implements Bondarenko et al. arXiv:1805.08567.  Widths are Majorana, in GeV, at U^2 = 1 (checked: at
10 MeV the e-mixing width is 2 x G_F^2 m^5 / (192 pi^3) x (1 + C1(nu e e)) to 2 %).  Two generations:

* OLD = phenomenology/HNL/decay widths/decay-width-Ue.dat, decay-width-Umu.txt, decay-width-Utau.txt at
  commit eb4e9ea9141ce8140be095984427158c909c05c8: narrow-resonance exclusive channels below 1 GeV, the
  quark-level width with its QCD factor from 1.01 GeV (the jump at 1 GeV is in the file): the scheme of
  arXiv:1805.08567 Sec. 3.3 and of our model.
* NEW = phenomenology/HNL/decay widths/HNLdecayWidth.dat at commit 03ae6aba5417095393f8672662e2e23249ab2263
  (columns m, e, mu, tau): identical to OLD up to 0.5 GeV, then a rho continuum (finite-width two-pion
  channel: +3.7 % for U_e at 0.7 GeV) and a smooth exclusive-to-parton matching (no jump at 1 GeV) that is
  11-15 % below OLD from 1.5 to 4 GeV for all flavours.  Its matching is the reference's choice (EventCalc's
  "current-resolved" HNL channels use the same width table), so our model is held to OLD and only bounded
  against NEW.

Measured (our Gamma / reference; e, mu, tau), HEAD with the two-mass charged-current phase space
(na62lab.fips.hnl_phase_space), the MS-bar quark masses of the inclusive width and (t56) the paper's QCD series
1 + a + 5.2 a^2 + 26.4 a^3 of the inclusive width, switched on strictly above 1 GeV (before: 1 + a + 1.64 a^2 +
6.37 a^3 from m >= 1 GeV; OLD inclusive region 0.966 / 0.966 / 0.980 at 1.5 GeV, 0.975 / 0.961 / 0.984 at 2,
0.982 / 0.982 / 0.986 at 3, 0.986 / 0.985 / 0.987 at 4; U_tau 1.126 at 1.00 GeV):

=====  ===================  ===================
m/GeV  ours / OLD           ours / NEW
=====  ===================  ===================
0.1    1.001 1.000 1.000    1.001 1.000 1.000
0.3    1.002 1.002 1.003    1.002 1.002 1.003
0.5    1.002 1.002 1.002    0.997 1.000 1.001
0.7    1.002 1.002 1.002    0.966 0.977 0.990
0.99   1.004 1.000 0.992    1.004 1.000 0.992
1.5    1.003 1.004 1.014    1.159 1.160 1.148
2.0    1.004 0.989 1.009    (1.99) 1.138 1.121 1.211
3.0    1.004 1.003 1.004    (3.01) 1.170 1.168 1.103
4.0    1.003 1.003 1.003    1.168 1.168 1.101
=====  ===================  ===================

Before the two-mass phase space, U_tau at 4 GeV was 1.134 x OLD: N -> tau- c sbar with the one-mass I(x)
ignored the charm mass next to the tau (test_tau_above_charm_threshold_needs_the_two_mass_phase_space).

Decay BRs: no per-channel table of SensCalc is text (its BrExclusiveMixing*.m are binary); EventCalc's
HNL-decay.json gives BR(N -> nu e e) for U_e, whose partial width is ours / 1.027 from the weak-mixing-angle
scheme (test_nu_ee_partial_width_differs_by_the_weak_mixing_angle_scheme).  The 3-nu (invisible) width is the
same formula in all three (2 x G_F^2 m^5 / (192 pi^3) for a Majorana N); 1 - BR(3 nu) agrees with SensCalc's
BrVis.dat to 1e-3 at 0.3-0.7 GeV for the three flavours (test_invisible_branching_ratio_against_senscalc),
and pi l, rho l are the dominant channels of the exclusive region whose totals agree to 0.5 %.

Production BRs per U^2 vs SensCalc phenomenology/HNL/branching ratios/*.m (commit eb4e9ea): D_s+ -> e+ N,
D_s+ -> tau+ N, tau -> pi N agree to 1.5 % (D_s -> tau N: 6 % at 0.18 GeV, 10 MeV from its end point);
D+ -> K0bar e+ N is 0.91-0.93 x SensCalc's below 0.5 GeV (ours is normalised by the FLAG form factor to
8.25 %, PDG 8.72 %, SensCalc's Monte Carlo integral 9.08 %) and 1.00 at 1 GeV.  B+ -> D0bar e+ N: with the
single-pole B -> D form factor it was 0.90 / 0.86 / 0.80 / 0.75 x SensCalc's at 0 / 1 / 2 / 3 GeV (and 0.88 x
the PDG BR); with the CLN form factors fitted to the measured spectra (na62lab.fips.hnl_semileptonic)
0.98 / 0.93 / 0.85 / 0.76: the rest is SensCalc's harder shape, whose value at m_N = m_tau implies
R(D) = 0.336 against the Standard-Model 0.298 (ours 0.303; test_b_to_d_at_the_tau_mass_is_r_of_d).
Integrated charm source, BR(c -> N X) / U_e^2 per c quark at the SPS with our Pythia charm-hadron fractions:
0.96 / 0.98 / 1.01 / 1.02 / 0.98 x SensCalc's at 0.1 / 0.5 / 1.0 / 1.5 / 1.8 GeV
(test_charm_quark_to_n_against_senscalc_sps; b -> N X for U_mu in
test_beauty_quark_to_n_against_senscalc_sps); for U_tau 0.99 / 1.01 / 1.01 / 0.99 at 0.1 / 0.3 / 0.7 / 1.2 GeV
with the taus of D+ -> tau+ nu (t61; 0.96 / 0.95 / 0.95 / 0.93 with the D_s taus only).
"""

import numpy as np
import pytest

from na62lab.fips import get_model
from na62lab.fips.hnl_phase_space import cc_phase_space
from na62lab.physics.particles import mass
from na62lab.physics.units import GeV, hbarc

FLAVOURS = ("hnl-e", "hnl-mu", "hnl-tau")

OLD = {   # m (GeV) -> Majorana Gamma(U^2 = 1) in GeV for U_e, U_mu, U_tau (SensCalc @eb4e9ea, see docstring)
    0.1: (7.246854412932141e-19, 5.145108217066924e-19, 5.145108217066924e-19),
    0.3: (2.447351474812853e-15, 1.6655482005029581e-15, 9.114448447623239e-16),
    0.5: (1.750903764933249e-14, 1.5824873986386333e-14, 6.597154170635806e-15),
    0.7: (6.278000202667891e-14, 5.975926037972972e-14, 2.474359407567157e-14),
    0.99: (3.34270614032424e-13, 3.179356712621355e-13, 1.175376976413382e-13),
    1.5: (2.804083799462762e-12, 2.7465092629982396e-12, 1.0571134319778413e-12),
    2.0: (1.1814573788217498e-11, 1.1659450271774404e-11, 4.404245577994638e-12),
    3.0: (9.758530267918276e-11, 9.694132635279979e-11, 3.7294259978942746e-11),
    4.0: (4.5032835174212486e-10, 4.4866273947768464e-10, 2.0733500530155558e-10),
}
NEW = {   # same from HNLdecayWidth.dat @03ae6ab (its grid: 1.99 and 3.01 instead of 2 and 3)
    0.1: (7.246854412932149e-19, 5.145108217066928e-19, 5.145108217066928e-19),
    0.5: (1.7596728358309153e-14, 1.586073766573667e-14, 6.608223579998303e-15),
    0.7: (6.510755835702736e-14, 6.12824178798462e-14, 2.504717829738281e-14),
    1.5: (2.4270343754189703e-12, 2.375759914376658e-12, 9.340501351986732e-13),
    1.99: (1.015694178529679e-11, 1.0029537769489238e-11, 3.5822693926449155e-12),
    3.01: (8.52184019817215e-11, 8.471590700750601e-11, 3.4594262042718914e-11),
    4.0: (3.866874640742319e-10, 3.8527989782860933e-10, 1.8882040723086718e-10),
}

# Bands on ours / reference.  Exclusive region (<= 0.99 GeV): same channels and constants, 1 %.  Inclusive
# region vs OLD (the same scheme): 3 % (measured 0.989-1.014: quark masses, alpha_s, CKM inputs).  NEW:
# its continuum and matching (docstring) put ours 0.95-1.0 at 0.7 GeV and 1.05-1.25 above 1.5 GeV.
OLD_BAND = {m: (0.99, 1.01) if m < 1.0 else (0.97, 1.03) for m in OLD}
NEW_BAND = {0.1: (0.99, 1.01), 0.5: (0.99, 1.01), 0.7: (0.95, 1.0),
            1.5: (1.05, 1.2), 1.99: (1.05, 1.25), 3.01: (1.05, 1.2), 4.0: (1.05, 1.2)}


def _ratio(table: dict, m: float) -> np.ndarray:
    ours = [hbarc / get_model(f).ctau(np.array(m * GeV), 1.0) for f in FLAVOURS]   # Gamma in MeV
    return np.array([float(o) / GeV for o in ours]) / np.array(table[m])


def _assert_width_in_band(table: dict, band: dict, m: float, name: str) -> None:
    lo, hi = band[m]
    r = _ratio(table, m)
    assert np.all((r > lo) & (r < hi)), f"ours/SensCalc({name}) at {m} GeV (e, mu, tau) = {np.round(r, 3)}"


@pytest.mark.parametrize("m", sorted(OLD))
def test_width_against_senscalc_inclusive_scheme(m):
    _assert_width_in_band(OLD, OLD_BAND, m, "old")


@pytest.mark.parametrize("m", sorted(NEW))
def test_width_against_senscalc_matched_table(m):
    _assert_width_in_band(NEW, NEW_BAND, m, "new")


OLD_TAU_SWITCH = {1.00: 1.2323005166308646e-13, 1.01: 1.4943143610058478e-13}
"""SensCalc's U_tau width (GeV) on both sides of its exclusive -> inclusive switch (decay-width-Utau.txt @eb4e9ea)."""


def test_exclusive_to_inclusive_switch_as_the_reference():
    # arXiv:1805.08567 Sec. 3.3 as SensCalc: exclusive at 1.00 GeV, inclusive (tau-decay QCD series) from 1.01;
    # measured 0.992 / 1.028 (1.126 / 0.975 when we switched at m >= 1 GeV with 1 + a + 1.64 a^2 + 6.37 a^3)
    n = get_model("hnl-tau")
    for m, ref in OLD_TAU_SWITCH.items():
        ours = float(hbarc / n.ctau(np.array(m * GeV), 1.0)) / GeV
        assert ours / ref == pytest.approx(1.0, abs=0.04), (m, ours / ref)


def test_tau_above_charm_threshold_needs_the_two_mass_phase_space():
    # N -> tau- c sbar at 4 GeV: with the tau and charm masses together the phase space is 5x smaller than
    # the one-mass I(x_tau) (0.04 vs 0.21); our U_tau width at 4 GeV is then 0.987 x SensCalc's (1.134 before)
    m_tau = mass("tau-")
    two = float(cc_phase_space(4000.0, m_tau, 1270.0, 93.5))
    one = float(cc_phase_space(4000.0, m_tau, 0.0, 0.0))
    assert 0.03 < two < 0.06 and 0.18 < one < 0.25
    assert _ratio(OLD, 4.0)[2] == pytest.approx(1.0, abs=0.03)


PRODUCTION = {   # key -> {m (GeV): BR / U^2} from SensCalc branching ratios/*.m @eb4e9ea, and band
    ("hnl-e", "Ds+->e+N"): ({0.5: 0.10429240920709867, 1.0: 0.26262747019526633, 1.5: 0.18937419799526006},
                            (0.985, 1.015)),
    ("hnl-tau", "Ds+->tau+N"): ({0.0: 0.05225652005235116, 0.1: 0.046672028468468046,
                                 0.15: 0.036149696029204356}, (0.98, 1.01)),
    ("hnl-e", "D+->K0e+N"): ({0.0: 0.09075775983577078, 0.5: 0.05350323010408728, 1.0: 0.005728971467608702},
                             (0.89, 1.03)),
    # measured 0.978 / 0.932 / 0.852: SensCalc's shape is harder than the data's (test_b_to_d_at_the_tau_mass)
    ("hnl-e", "B+->D0e+N"): ({0.0: 0.023112945882159248, 1.0: 0.01719414413724439, 2.0: 0.0054728273510003325},
                             (0.82, 1.0)),
}


@pytest.mark.parametrize("model,key", sorted(PRODUCTION))
def test_production_br_against_senscalc(model, key):
    values, (lo, hi) = PRODUCTION[(model, key)]
    n = get_model(model)
    for m, ref in values.items():
        ours = float(n.reduced_production(np.array(max(m, 1e-4) * GeV))[key])
        assert lo < ours / ref < hi, f"{key} at {m} GeV: ours/SensCalc = {ours / ref:.3f}"


def test_tau_to_pi_n_against_senscalc():
    # SensCalc branching ratios/tau-piN.m @eb4e9ea: BR(tau -> pi N) / U_tau^2
    ref = {0.0: 0.10631503713311193, 0.5: 0.08272865549495778, 1.0: 0.033154215982807406, 1.5: 0.0019242460845261837}
    n = get_model("hnl-tau")
    for m, r in ref.items():
        assert float(n.tau_production(np.array(max(m, 1e-4) * GeV))["tau->N pi"]) == pytest.approx(r, rel=0.005)


# BR(N -> nu e+ e-) for pure U_e from ShipSoft/EventCalc Distributions/HNL/HNL-decay.json (row "2ev", its e-mixing
# column), commit ace935e3df1629cd48b7f0f3407aa61a6753bdcf (no licence file: three values quoted).  EventCalc
# uses SensCalc's NEW width table, so BR x NEW total is its partial width (up to 0.7 GeV, where the two agree).
EVENTCALC_BR_NUEE = {0.2: 0.02648153609708622, 0.3: 0.025997292210369, 0.5: 0.04652063808293769}
NEW_E = {0.2: 3.1638101999899395e-16, 0.3: 2.447356501648561e-15, 0.5: NEW[0.5][0]}


def test_nu_ee_partial_width_differs_by_the_weak_mixing_angle_scheme(monkeypatch):
    # ours / EventCalc = 1.027 at 0.2-0.5 GeV: C1 = (1 + 4 s_W^2 + 8 s_W^4)/4 of the same-flavour nu e e width
    # (arXiv:1805.08567 Sec. 3.1.2) with our MS-bar s_W^2 = 0.23121 (PDG) against the on-shell
    # 1 - m_W^2/m_Z^2 = 0.2233; with the on-shell value ours agrees to 5e-4 (the reference's choice, kept)
    import na62lab.fips.hnl as hnl_module

    def ratios():
        n = get_model("hnl-e")
        return np.array([float(n.reduced_widths(np.array(m * GeV))["nuee"]) / GeV / (br * NEW_E[m])
                         for m, br in EVENTCALC_BR_NUEE.items()])

    assert np.all((ratios() > 1.02) & (ratios() < 1.035))
    monkeypatch.setattr(hnl_module, "SIN2_THETA_W", 1 - (mass("W+") / mass("Z0")) ** 2)
    assert ratios() == pytest.approx(1.0, abs=0.002)


# SensCalc phenomenology/HNL/decay widths/BrVis.dat @eb4e9ea: its columns 4-6 are 1 - BR(N -> 3 nu) for U_e, U_mu,
# U_tau (our reading: they match ours to 4e-4 at 0.3-0.7 GeV; columns 1-3 are not documented and not used)
BRVIS_NOT_INVISIBLE = {0.3: (0.9546195851880566, 0.9333181560977396, 0.8781475085894083),
                       0.5: (0.9184294637679097, 0.909745618629737, 0.7835029809882377),
                       0.7: (0.8787546736521114, 0.8723917765226995, 0.6895540845223677)}


@pytest.mark.parametrize("m", sorted(BRVIS_NOT_INVISIBLE))
def test_invisible_branching_ratio_against_senscalc(m):
    for flavour, ref in zip(FLAVOURS, BRVIS_NOT_INVISIBLE[m]):
        br = get_model(flavour).branching_ratios(np.array(m * GeV))
        assert 1.0 - float(br["nununu"]) == pytest.approx(ref, rel=2e-3), flavour


def test_b_to_d_at_the_tau_mass_is_r_of_d():
    # BR(B -> D e N) at m_N = m_tau over m_N = 0 is R(D) = BR(B -> D tau nu)/BR(B -> D l nu) (the spin-summed
    # V-A trace is symmetric in the two lepton masses): SM 0.298 +- 0.004 (HFLAV 2023 average of the predictions).
    # Ours (CLN fit to the measured B -> D l nu spectra) 0.303; SensCalc's B+ -> D0bar e N table gives
    # 0.0077757 / 0.0231129 = 0.336 at 1.78 GeV, which is why ours falls to 0.85 x its value at 2 GeV
    n = get_model("hnl-e")
    br = [float(n.reduced_production(np.array(m))["B+->D0e+N"]) for m in (0.1, mass("tau-"))]
    assert 0.29 < br[1] / br[0] < 0.31
    assert 0.0077757 / 0.0231129 > 1.1 * br[1] / br[0]


# BR(c -> N X) / U_e^2 per c quark at the SPS: SensCalc phenomenology/HNL/branching ratios/
# c_quark_to_N_mixing_e_SPS.dat @eb4e9ea (its fragmentation fractions; D, D_s two- and three-body, taus)
C_TO_N_SPS_E = {0.1: 0.06933683492734073, 0.5: 0.04440496691407026, 1.0: 0.03028614852290773,
                1.5: 0.018847827075823696, 1.8: 0.003837901100899695}


# same for U_tau (c_quark_to_N_mixing_tau_SPS.dat @eb4e9ea): D_s -> tau N below 0.19 GeV, then taus only
C_TO_N_SPS_TAU = {0.1: 0.0074795843485601496, 0.3: 0.002943269549887983, 0.7: 0.0015044052729248137,
                  1.2: 0.00012205804514464727}


def _per_quark_production(n, per_quark: dict, mm: np.ndarray) -> float:
    # sum over the production modes of n whose parent is in per_quark: multiplicity per quark x BR / U^2
    return sum(per_quark[n.production_parents[k]] * float(v) for k, v in n.reduced_production(mm).items()
               if n.production_parents[k] in per_quark)


def _charm_per_quark(model_name: str, m: float) -> float:
    from na62lab.generation.dump.tables import load_table

    table = load_table()
    per_quark = {n: table.multiplicity(n) / 2 for n in ("D0", "D+", "Ds+")}
    n, mm = get_model(model_name), np.array(m * GeV)
    ours = _per_quark_production(n, per_quark, mm)
    taus = sum(per_quark[p] * br for p, br in n.tau_parent_brs.items())
    return ours + taus * sum(float(v) for v in n.tau_production(mm).values())


def test_charm_quark_to_n_tau_mixing_against_senscalc_sps():
    # BC8's charm source: measured 0.987 / 1.012 / 1.013 / 0.993 with the taus of D_s+ and D+ -> tau+ nu (ours
    # 0.086 D_s+ and 0.284 D+ per c quark, BR 5.21 % and 1.03e-3); 0.96 / 0.95 / 0.95 / 0.93 with the D_s taus
    # only (before t61): a common 5-7 % that the D+ taus (+6.5 %) account for
    for m, ref in C_TO_N_SPS_TAU.items():
        r = _charm_per_quark("hnl-tau", m) / ref
        assert 0.96 < r < 1.04, f"c -> N X (U_tau) at {m} GeV: ours/SensCalc = {r:.3f}"


def test_charm_quark_to_n_against_senscalc_sps():
    # ours: the dump table's Pythia charm-hadron multiplicities per c cbar pair / 2 (D0 0.536, D+ 0.284,
    # D_s+ 0.086 per c quark) x our BR(D -> N X) (+ D_s -> tau nu, tau -> nu e N).  Measured 0.96 / 0.98 /
    # 1.01 / 1.02 / 0.98: the charm source of the NA62 dump BC6 region is SensCalc's to 4 %
    for m, ref in C_TO_N_SPS_E.items():
        r = _charm_per_quark("hnl-e", m) / ref
        assert 0.93 < r < 1.05, f"c -> N X at {m} GeV: ours/SensCalc = {r:.3f}"


# BR(b -> N X) / U_mu^2 per b quark at the SPS, B_c included: SensCalc phenomenology/HNL/branching ratios/
# b_quark_to_N_mixing_mu_SPS.dat @eb4e9ea
B_TO_N_SPS_MU = {0.5: 0.06149283001257302, 2.0: 0.012034772369601269, 3.0: 0.0003873482025428199,
                 4.0: 0.00019469365137112, 5.0: 8.428023045455449e-05}


def test_beauty_quark_to_n_against_senscalc_sps():
    # ours: the table's Pythia B+, B0, B_s multiplicities per b bbar pair / 2 and the card's ASSUMED
    # B_c+/B+ = 7.6e-3.  Measured 1.03 / 1.00 / 0.93 / 0.99 / 1.05 (1.03 / 0.99 / 0.81 / 0.96 / 1.05 before the
    # b -> u modes B -> pi / rho l N, B_s -> K(*) l N: 14 % of our b -> N at 3 GeV, where B -> D(*) l N is near
    # its end point); the rest of the 3 GeV dip is SensCalc's harder B -> D shape
    # (test_b_to_d_at_the_tau_mass_is_r_of_d).  The b MESONS are compared: SensCalc's file names B mesons (and
    # B_c) and whether its fractions leave room for b baryons is not stated.  Our b baryons (f432d99: Lambda_b,
    # Xi_b -> Lambda_c, Xi_c l N, 0.092 per b quark) add 7.8 / 9.1 / 3.6 / 0 / 0 % at these masses (with them
    # 1.117 / 1.098 / 0.969 / 0.993 / 1.050 x SensCalc's), pinned below
    from na62lab.generation.dump.channels import B_BARYONS
    from na62lab.generation.dump.tables import load_table, with_bc

    table = with_bc(load_table(), 7.6e-3)
    every = {n: table.multiplicity(n) / 2 for n in table.kind if table.kind[n] == "beauty"}
    mesons = {k: v for k, v in every.items() if k not in B_BARYONS}
    n = get_model("hnl-mu")
    for (m, ref), share in zip(B_TO_N_SPS_MU.items(), (0.078, 0.091, 0.036, 0.0, 0.0)):
        ours = _per_quark_production(n, mesons, np.array(m * GeV))
        lo = 0.88 if m == 3.0 else 0.93
        assert lo < ours / ref < 1.08, f"b -> N X at {m} GeV: ours/SensCalc = {ours / ref:.3f}"
        baryons = 1.0 - ours / _per_quark_production(n, every, np.array(m * GeV))
        assert abs(baryons - share) < 0.005, (m, baryons)
