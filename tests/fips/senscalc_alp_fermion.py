"""Fermion-ALP (PBC BC10) decay widths and SHiP production of the reference's phenomenology: a few public numbers
quoted with their provenance (test data; no file is copied).

Units: widths per (1/f)^2 in GeV^3 with 1/f = g_Y / v_h = c_ff/Lambda of :mod:`na62lab.fips.alp` (the
Bauer-Neubert-Thamm normalisation, arXiv:1708.00443), i.e. Gamma [GeV] = value x (c_ff/Lambda [GeV^-1])^2.
SensCalc's own coupling is g_Y = y = 2 v_h / f_a with Gamma = (g_Y / (2 v_h))^2 W_raw (ShipSoft/EventCalc,
commit ace935e3df1629cd48b7f0f3407aa61a6753bdcf, Distributions/ALP-fermion/coupling.json: "Gamma_i(m,g_Y) =
(g_Y/(2*v_h))^2*W_i(m)", v_h = 246 GeV; README.md of the same folder: the SensCalc notebook defines y = 2 v_h/f_a),
so value = W_raw / 4; GKOZ's 1/f of arXiv:2310.03524 is (c_ff/Lambda)/2, as in our table header.

Sources:

- SensCalc (maksymovchynnikov/SensCalc, BSD-3-Clause; its author is an author of arXiv:2310.03524 and
  arXiv:2501.04525), release v.1.3.3, commit 0bca050633aae16e148d47f21840fa07ff4b8724,
  ``phenomenology/ALP-fermion/decay widths/Widths-model-ALP-fermion-scale-1000.-GeV-2501.04525.m`` (and its
  ``...-2310.03524.m`` sibling): Wolfram MX binaries, not readable here.  Their CSV export by
  leoredi/llpatcolliders (licence not stated in the stored files; facts quoted only), commit
  912104cde6e6bbe19f3f057dc2f373f99caf6668, ``alp_fermion/data/senscalc_2501/widths_bnt.csv`` (41 columns: mass,
  the 37 exclusive channels of SensCalc's header, non-hadronic, hadronic and total; already divided by 4), with
  the SensCalc file hashes in ``alp_fermion/data/senscalc_2501/PROVENANCE.md``; the arXiv:2310.03524 anchors
  below are quoted in ``alp_fermion/data/senscalc_2310/PROVENANCE.md`` (commit
  ee5a6d1c05616908ce92d18b6e1d96469b0b3f3d).  Independent check of that export: ShipSoft/EventCalc (SHiP's
  event generator, commit a9b1d8ab5d75833a312ff478e6d6127ad19132b2, tests/test_alp_fermion_coupling_convention.py)
  pins c tau(2.0 GeV, g_Y = 1) = 5.3033717550756286e-10 m.
- The old file ``phenomenology/ALPs with fermion coupling/decay widths/ctaua.txt`` of SensCalc (commit
  eb4e9ea9141ce8140be095984427158c909c05c8, "#f_F = 1 TeV") predates both papers (its 1.1-1.5 GeV fall is not
  arXiv:2501.04525's resonance structure) and is not used.
- SHiP production: ShipSoft/EventCalc commit ace935e3df1629cd48b7f0f3407aa61a6753bdcf,
  ``Distributions/ALP-fermion/Total-yield-ALP-fermion.txt``: produced ALPs per proton on target per g_Y^2
  (same g_Y), 2 MeV steps; it peaks only at the pi0, eta and eta' masses (mixing) and is smooth at 1.2-1.5 GeV.

Grouping of the export's exclusive columns onto our channel names (:data:`na62lab.fips.alp.DECAY_CHANNELS`):
``3pi`` = 3 pi0 + pi+ pi- pi0 (with ``_3pi_charged`` = the pi+ pi- pi0 share), ``pipigamma`` = gamma pi+ pi-,
``pipieta`` = eta 2 pi0 + eta pi+ pi-, ``KKpi`` = the eight K Kbar pi columns (K_L K_L pi0, K_S K_S pi0, K_L K_S
pi0, K-+ K_L pi+-, K-+ K_S pi+-, K+ K- pi0), ``4pi`` = 2 pi+ 2 pi- + pi+ pi- 2 pi0, ``other`` = eta eta pi0, rho0
rho0, phi phi, omega omega, 3 eta, K* K*bar, rho+ rho-, omega pi+ pi-, eta' pi pi and the b, d, t, u quark
columns; ``gg``, ``ss`` = the 2G, 2s columns.  Rounded to 4 digits.  At 0.7 GeV the ee / gamma gamma split of
the non-hadronic width is read off the neighbouring 1-MeV rows (linear; < 1e-4 of the width) and 3 pi0 =
hadronic - pi+ pi- pi0.
"""

SENSCALC_2501_TOTAL = {   # GeV -> total width per (1/f)^2, GeV^3 (column "Total" of widths_bnt.csv)
    0.6: 2.7516e-4, 0.7: 3.2679e-4, 0.8: 3.7814e-4, 1.0: 2.3653e-3, 1.2: 4.4969e-2, 1.3: 1.0937, 1.44: 0.53659,
    1.5: 0.12254, 2.0: 2.1162e-2, 2.3: 1.9335e-2, 2.7: 2.9063e-2,
}
SENSCALC_2501_MUMU = {0.6: 2.7500e-4, 1.3: 6.2771e-4, 2.7: 1.3171e-3}
"""a -> mu mu per (1/f)^2, GeV^3 (column "2 mu")."""

SENSCALC_2310_TOTAL = {1.0: 1.4807487e-3, 1.3: 1.2317291e-2, 1.45: 2.5722638e-2, 2.17: 1.8746459e-2}
"""arXiv:2310.03524 in SensCalc v.1.3.3: total width per (1/f)^2, GeV^3 (the anchors of senscalc_2310/PROVENANCE.md)."""

EVENTCALC_CTAU_2GEV = 5.3033717550756286e-10
"""c tau (m) at 2.0 GeV for g_Y = 1 (ShipSoft/EventCalc, see the module docstring)."""
V_H_SENSCALC = 246.0
"""v_h (GeV) of SensCalc and EventCalc (coupling.json)."""

SENSCALC_2501_GROUPED = {   # GeV -> {our channel: width per (1/f)^2, GeV^3}; "_3pi_charged": pi+ pi- pi0 / 3 pi
    0.7: {"ee": 7.766e-09, "gammagamma": 2.121e-08, "mumu": 3.2672e-04, "3pi": 4.501e-08, "_3pi_charged": 0.834},
    0.8: {"ee": 8.876e-09, "gammagamma": 7.560e-09, "mumu": 3.7770e-04, "3pi": 2.853e-07, "pipigamma": 1.441e-07,
          "_3pi_charged": 0.433},
    1.2: {"ee": 1.331e-08, "gammagamma": 1.992e-06, "mumu": 5.781e-04, "3pi": 1.360e-05, "pipigamma": 5.161e-05,
          "pipieta": 4.400e-02, "KKpi": 3.193e-04, "4pi": 8.030e-06, "other": 1.808e-09, "_3pi_charged": 0.729},
    1.3: {"ee": 1.442e-08, "gammagamma": 1.897e-06, "mumu": 6.277e-04, "3pi": 3.958e-05, "pipigamma": 6.046e-05,
          "pipieta": 1.053, "KKpi": 3.935e-02, "4pi": 4.431e-05, "other": 1.513e-04, "_3pi_charged": 0.728},
    1.44: {"ee": 1.598e-08, "gammagamma": 1.950e-06, "mumu": 6.970e-04, "3pi": 9.285e-05, "pipigamma": 7.900e-05,
           "pipieta": 0.1235, "KKpi": 0.4118, "4pi": 3.466e-04, "other": 3.288e-05, "_3pi_charged": 0.707},
    1.5: {"ee": 1.664e-08, "gammagamma": 1.824e-06, "mumu": 7.267e-04, "3pi": 1.067e-04, "pipigamma": 8.354e-05,
          "pipieta": 8.999e-02, "KKpi": 3.081e-02, "4pi": 7.408e-04, "other": 7.401e-05, "_3pi_charged": 0.685},
    2.0: {"ee": 2.219e-08, "gammagamma": 1.494e-07, "mumu": 9.731e-04, "3pi": 2.538e-05, "pipigamma": 1.353e-05,
          "pipieta": 8.877e-03, "KKpi": 3.669e-03, "other": 7.605e-03, "_3pi_charged": 0.617},
}

EVENTCALC_SHIP_YIELD = {   # GeV -> produced ALPs per POT per g_Y^2 (Total-yield-ALP-fermion.txt)
    0.7: 3.237554e-6, 0.8: 3.326572e-6, 1.2: 3.702655e-6, 1.3: 3.520933e-6, 1.44: 3.377343e-6, 1.5: 3.341770e-6,
    2.0: 3.139145e-6,
}
