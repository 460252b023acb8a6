"""BC10 (``alp-fermion``) widths against the reference's phenomenology: arXiv:2501.04525 (Ovchynnikov,
Zaporozhchenko), whose SHiP curve the PBC ECN3 figure is, and arXiv:2310.03524 (GKOZ, our tables), both as
shipped by SensCalc (issue 16: is the SHiP BC10 gap at 1.2-1.5 GeV widths or production?).

Numbers and provenance: :mod:`tests.fips.senscalc_alp_fermion` (SensCalc BSD-3-Clause; a dozen values quoted).
Coupling conversion (exact): SensCalc's g_Y = 2 v_h / f_a enters as Gamma = (g_Y / (2 v_h))^2 W_raw, i.e. per
(c_ff/Lambda)^2 with c_ff/Lambda = g_Y / v_h, ours (:func:`na62lab.fips.alp._alp_fermion`, PBC BC10); the widths
compared are Gamma / (c_ff/Lambda)^2 in GeV^3.

Measured (this revision; ours = GKOZ's tables digitised by ALPINIST, :mod:`na62lab.fips.alp_hadrons`):

- arXiv:2501.04525 / ours, total width: 1.10 / 1.10 / 1.10 at 0.6 / 0.7 / 0.8 GeV (a -> mu mu dominates; the
  a -> l l widths are 1.102 x ours at every mass: a lepton coupling 1.050 x c_ff(Lambda) at low scale, the
  renormalisation-group running from Lambda = 1 TeV that our tree-level a -> l l leaves out), 1.43 at 1.0 GeV,
  5.09 / 60.0 / 14.7 / 2.77 at 1.2 / 1.3 / 1.44 / 1.5 GeV, 0.87 / 0.85 / 0.82 at 2.0 / 2.3 / 2.7 GeV.  The
  1.3 and 1.44 GeV peaks are eta pi pi (1.05 of 1.09 GeV^3 at 1.3 GeV) and K Kbar pi (0.41 of 0.54 at 1.44 GeV):
  the mixing with the heavy pseudoscalars eta(1295) and eta(1405)/eta(1475) that arXiv:2501.04525 adds: 63x our
  eta pi pi at 1.3 GeV, 279x our K Kbar pi at 1.44 GeV (the same channels are in ours, without the resonances).
  This is the reference's dip at 1.30 and 1.44 GeV (tests/analyses/test_bc10_and_charm_hnl_references.py).
- SensCalc's arXiv:2310.03524 table / ours: 0.90 / 0.68 / 0.68 / 0.79 at 1.0 / 1.3 / 1.45 / 2.17 GeV (our
  digitisation of GKOZ's figure, equal to ALPINIST's to < 0.3 %, tests/fips/test_alp_fermion_gkoz.py, is 1.1-1.5x
  SensCalc's own 2310 table: not resolved here).
- EventCalc's c tau at 2.0 GeV (g_Y = 1) is 0.94 x the one from the arXiv:2501.04525 export: the two public
  copies of the reference widths agree to 6 %.
- The old SensCalc file ctaua.txt (pre-2310, "f_F = 1 TeV") is not arXiv:2501.04525: compared with it our c tau
  looked flat to 15-25 % (issue 16's first look), which is why the widths were first ruled out.
"""

import numpy as np
import pytest

from na62lab.fips import get_model
from na62lab.fips.constants import HIGGS_VEV
from na62lab.physics.units import GeV
from tests.fips.senscalc_alp_fermion import (
    EVENTCALC_CTAU_2GEV, SENSCALC_2310_TOTAL, SENSCALC_2501_GROUPED, SENSCALC_2501_MUMU, SENSCALC_2501_TOTAL,
    V_H_SENSCALC,
)

HBARC_GEV_M = 1.973269804e-16
"""hbar c in GeV m (CODATA 2018)."""


def _ours(m_gev: float, channel: str | None = None) -> float:
    """Our width (or one channel's) per (c_ff/Lambda)^2 in GeV^3."""
    widths = get_model("alp-fermion").reduced_widths(np.array(m_gev * GeV))   # MeV per g_Y^2
    value = float(widths[channel]) if channel else float(sum(np.asarray(w) for w in widths.values()))
    return value / GeV * (HIGGS_VEV / GeV) ** 2


def test_grouped_rows_add_up_to_the_total():
    for m, row in SENSCALC_2501_GROUPED.items():
        total = sum(v for k, v in row.items() if not k.startswith("_"))
        assert total == pytest.approx(SENSCALC_2501_TOTAL[m], rel=2e-3), m
        assert set(row) - {"_3pi_charged"} <= set(get_model("alp-fermion").decay_channels)


@pytest.mark.parametrize("m_gev, expected", [(0.6, 1.10), (0.7, 1.10), (0.8, 1.10), (1.0, 1.43), (1.2, 5.09),
                                             (1.3, 60.0), (1.44, 14.66), (1.5, 2.775), (2.0, 0.874),
                                             (2.3, 0.845), (2.7, 0.822)])
def test_total_width_against_arxiv_2501_04525(m_gev, expected):
    ratio = SENSCALC_2501_TOTAL[m_gev] / _ours(m_gev)
    assert ratio == pytest.approx(expected, rel=0.02)       # deterministic; measured values in the docstring


@pytest.mark.parametrize("m_gev", sorted(SENSCALC_2501_MUMU))
def test_lepton_widths_carry_the_low_scale_coupling(m_gev):
    """a -> mu mu: 1.102 x ours at every mass, (c_ll(low)/c_ff(Lambda))^2 = 1.050^2 (module docstring)."""
    assert SENSCALC_2501_MUMU[m_gev] / _ours(m_gev, "mumu") == pytest.approx(1.102, rel=0.003)


def test_heavy_pseudoscalar_channels_make_the_peaks():
    at_13, at_144 = SENSCALC_2501_GROUPED[1.3], SENSCALC_2501_GROUPED[1.44]
    assert at_13["pipieta"] / SENSCALC_2501_TOTAL[1.3] > 0.95            # eta(1295) -> eta pi pi
    assert at_144["KKpi"] / SENSCALC_2501_TOTAL[1.44] > 0.75             # eta(1405)/eta(1475) -> K Kbar pi
    # ours has the same channels, without the resonances: measured 63x ours in eta pi pi at 1.3 GeV, 279x in K Kbar pi
    #   at 1.44 GeV (4 % of our width there)
    assert at_13["pipieta"] / _ours(1.3, "pipieta") == pytest.approx(63.4, rel=0.02)
    assert at_144["KKpi"] / _ours(1.44, "KKpi") == pytest.approx(279.0, rel=0.02)


@pytest.mark.parametrize("m_gev, expected", [(1.0, 0.895), (1.3, 0.676), (1.45, 0.675), (2.17, 0.792)])
def test_senscalc_arxiv_2310_03524_table_against_ours(m_gev, expected):
    assert SENSCALC_2310_TOTAL[m_gev] / _ours(m_gev) == pytest.approx(expected, rel=0.02)


def test_eventcalc_lifetime_checks_the_export():
    """EventCalc's c tau(2 GeV, g_Y = 1) against Gamma = (g_Y / v_h)^2 x the exported total (v_h = 246 GeV)."""
    ctau_export = HBARC_GEV_M / (SENSCALC_2501_TOTAL[2.0] / V_H_SENSCALC**2)
    assert EVENTCALC_CTAU_2GEV / ctau_export == pytest.approx(0.94, abs=0.02)
