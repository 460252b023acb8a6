"""The BC9 and BC11 validation tables of ``na62lab reproduce``: the NA62 Run 2 card against ALPINIST.

Reference: ALPINIST's NA62 event tables (Jerhot et al., arXiv:2201.05170; jjerhot/ALPINIST at commit
a0dbe277631ff074fdf8b54f879d73798916fa9d, BSD-3), shipped reduced to the rows around the N = 2.3
crossings in ``na62lab/config/published`` (README there): 1e19 POT, efficiency 1, edge at N = 2.3.
The reference edges below are the ones already pinned in tests/analyses/test_na62_bc9_alpinist.py
(BC9, 50-400 MeV) and tests/generation/dump/test_alp_gluon_reference.py (BC11 lower edge).

Measured ours/ALPINIST (:mod:`na62lab.analyses.beam_dump_references`), card MC (2500 FIPs, 20 mass
nodes over the plane range, as printed by ``na62lab reproduce``; two runs) / this module's MC (1000
FIPs, 8 nodes over the reference masses, seed 3):

- BC9, ALPINIST's assumptions (primary-collision photons, efficiency 1), 0.02-0.80 GeV:
  lower 0.95-1.00 / 0.97-1.02, and 1.04-1.05 / 1.16 at 0.797 GeV; upper 0.90-0.96 / 0.76-0.96 (lowest
  at 0.797 GeV: 0.84-0.91 / 0.76).  At 0.797 GeV ALPINIST's N peaks at 3.8 (its region closes just
  above): both edges sit near the tip, where a 10 % yield difference moves them by tens of per cent, so
  that mass has a wide tolerance;
- BC9, shipped card (cascade photons, assumed efficiencies): lower 0.49-0.55 at 0.02-0.05 GeV rising to
  0.71-0.74 at 0.4 GeV and 0.83-0.84 at 0.6 GeV (0.90-1.04 at 0.797) / 0.48-0.82 and 1.06 at 0.797 GeV
  (the cascade's soft photons matter most at low mass), upper 0.79-0.95 / 0.78-1.01;
- BC11, efficiency 1 (card MC / this module's MC, both with the ASW 3 pi charge split, alp_hadrons): lower
  0.82 / 0.81, 0.71 / 0.72, 1.07 / 1.12, 1.17 / 1.18, 1.10 / 1.11, 1.43 / 1.46, 1.13 / 1.13 at 0.081, 0.150,
  0.222, 0.301, 0.480, 0.709, 1.009 GeV (before it 0.709 GeV was 1.44 / 1.47, the other masses unchanged);
  upper 0.98 / 0.97, 0.51 / 0.50, 0.91 / 0.91, 0.91 / 0.90, 0.91 / 0.90, 0.94 / 0.92, 0.92 / 0.91;
  at 1.009 GeV, since ASW's pi pi eta (pi+ pi- eta and pi0 pi0 eta) counts in pi+ pi- eta only (0be2f30), this
  module's MC gives lower 1.125 -> 1.18, upper 0.91 -> 0.895 (shipped card 1.20 -> 1.26, 0.893 -> 0.878);
- BC11, shipped card: lower x1.04 (gamma gamma, efficiency product 0.85) to x1.07 (hadronic, 0.77) of the
  efficiency-1 edges (edge ~ N^-1/4), 0.85 / 0.85 ... 1.52 / 1.55; upper as with efficiency 1.

Why BC11 differs (per production mode and decay channel, from ALPINIST's per-mode tables; module docstring of
:mod:`na62lab.analyses.beam_dump_references` and its BC11_NOTE, printed by ``na62lab reproduce``): the upper
edge at 0.150 GeV is 0.51 = 3.8^-1/2 because there our ASW a -> gamma gamma width is 3.8 x ALPINIST's analytic
one (both near a zero of the amplitude); the lower edge at 0.709 GeV is 1.43-1.46 because our events are 0.23
of theirs: NA27 eta yield (x0.52), photon of a -> pi pi gamma required in the LKr (x0.5-0.6), eta-mixing
acceptance per theta^2 (x0.9).  Elsewhere the lower edge is 0.71-1.18 from a -> gamma gamma width (x1.0-3.8),
theta_pi0^2 (x1.1-1.4), K+ -> pi+ a (+15 % at 0.081 GeV) and the yield x acceptance of the mixing modes per
theta^2 per width (pi0: x1.5 at 0.08 falling to x0.37 at 0.31 GeV).

The runs were made minutes apart with another helper's uncommitted edits of the dump generation in the
working tree (this module's MC moved by up to 0.13 at 0.797 GeV and 0.05 elsewhere between two runs
with the same seed): the tolerances leave room for such changes, not for a factor 2.

At 0.15 GeV the gluon-coupled ALP is long-lived in both calculations (the upper edge rises x9 in ours,
x17 in ALPINIST's between 0.081 and 0.150 GeV): its a -> gamma gamma width passes near a zero there (the
pi0/eta/eta' mixing terms cancel; ours: Gamma/m^3 at 0.150 GeV is 1/560 of its 0.081 GeV value), so the
upper edge depends steeply on where the cancellation falls; the 0.709 GeV lower edge is the a -> pi pi gamma region
(photon required in the LKr in ours; test_alp_gluon_reference.py).  Tolerances: the existing tests'
where they cover a mass, the measured spread with a margin elsewhere.
"""

import json

import numpy as np
import pytest
from rich.console import Console

from na62lab.analyses import beam_dump, beam_dump_references as refs, beam_dump_validation as val
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.results.report_sections import read_section

BC11_LOWER = {0.081454: 3.459e-5, 0.22165: 7.625e-6, 0.47978: 1.860e-6, 0.70926: 2.250e-6, 1.0093: 4.336e-7}
"""1/f_G (GeV^-1) at N = 2.3 (test_alp_gluon_reference.ALPINIST_LOWER_EDGE_1E19)."""
BC9_EDGES = {0.049895: (1.1585e-6, 5.141e-4), 0.099313: (6.563e-7, 1.228e-4), 0.20111: (3.900e-7, 2.561e-5),
             0.4003: (2.586e-7, 5.078e-6)}
"""g_agg (GeV^-1) lower, upper at N = 2.3: test_na62_bc9_alpinist.reference_edges() at its four masses."""


pytestmark = pytest.mark.usefixtures("isolated_cache")


def test_shipped_reference_edges_are_the_pinned_ones():
    bc9, bc11 = refs.reference_edges(refs.BC9), refs.reference_edges(refs.BC11)
    assert len(bc9) == 8 and len(bc11) == 7
    for m, (lo, hi) in BC9_EDGES.items():
        assert bc9[m] == pytest.approx((lo, hi), rel=2e-3)
    for m, lo in BC11_LOWER.items():
        assert bc11[m][0] == pytest.approx(lo, rel=2e-3)
    assert all(np.isfinite(v).all() and v[0] < v[1] for t in (bc9, bc11) for v in t.values())


def test_crossings_log_log_and_open_edges():
    g = np.geomspace(1e-6, 1e-2, 41)
    n = 2.3 * (g / 1e-5) ** 2 * np.exp(-(g / 1e-3) ** 2) * np.e ** (1e-4)
    lo, hi = refs.crossings(g, n, 2.3)
    assert lo == pytest.approx(1e-5, rel=1e-3) and 3e-3 < hi < 4e-3
    assert np.isnan(refs.crossings(g, np.full(g.shape, 5.0), 2.3)).all()      # open on both sides: no edge
    assert np.isnan(refs.crossings(g, np.zeros(g.shape), 2.3)).all()


def _exact_events(table, card, masses_gev, couplings, mass_range_gev=None, workers=1):
    """Events whose N = 2.3 crossings are exactly the reference edges (power laws in the coupling)."""
    ref = refs.reference_edges(table)
    rows = []
    for m in masses_gev:
        lo, hi = ref[m]
        rows.append(np.minimum(2.3 * (couplings / lo) ** 2, 2.3 * (hi / couplings) ** 6))
    events = np.array(rows)
    return {"card": 0.8 * events, "unit": events}


def test_reproduce_prints_and_writes_the_alpinist_tables(tmp_path, monkeypatch):
    monkeypatch.setattr(refs, "our_events", _exact_events)
    out = beam_dump._alpinist(1)
    assert list(out) == ["BC9 NA62 vs ALPINIST, reference assumptions", "BC9 NA62 vs ALPINIST, shipped card",
                         "BC11 NA62 vs ALPINIST, reference assumptions", "BC11 NA62 vs ALPINIST, shipped card"]
    for title, table in out.items():
        assert "jjerhot/ALPINIST a0dbe277" in table["reference"] and "1e19 POT" in table["conditions"]
        assert "1e19 POT" in table["ours"] and 7 <= len(table["rows"]) <= 8
        ratios = np.array([[r["lower_ratio"], r["upper_ratio"]] for r in table["rows"]])
        if "reference assumptions" in title:
            assert ratios == pytest.approx(1.0, rel=1e-9)             # exact power laws: exact edges
        else:
            assert np.all(ratios[:, 0] > 1) and np.all(ratios[:, 1] < 1)   # 0.8 x the events: a smaller region
    assert "primary-collision photons and photon fusion" in out["BC9 NA62 vs ALPINIST, reference assumptions"]["ours"]
    for title in ("BC11 NA62 vs ALPINIST, reference assumptions", "BC11 NA62 vs ALPINIST, shipped card"):
        assert out[title]["note"] == refs.BC11_NOTE and "3.8^-1/2 = 0.51" in refs.BC11_NOTE
    assert "note" not in out["BC9 NA62 vs ALPINIST, shipped card"]
    console = Console(record=True, width=200)
    folder = tmp_path / "beam_dump"
    folder.mkdir()
    for title, table in out.items():
        val.print_validation(console, title, table)
    text = console.export_text()
    assert "BC9 NA62 vs ALPINIST, reference assumptions" in text and "reference assumes: 1e19 POT" in text
    assert "note: channel by channel at ALPINIST's lower edge" in text
    (folder / "validation.json").write_text(json.dumps(out))
    sec = read_section(tmp_path, "beam_dump")
    captions = [t["caption"] for t in sec.tables]
    assert any(c.startswith("BC11 NA62 vs ALPINIST, shipped card: ours vs reference (ALPINIST") for c in captions)
    assert any("the reference assumes: 1e19 POT" in n for n in sec.notes)
    assert any(r["quantity"].startswith("BC9 NA62 vs ALPINIST") for r in sec.rows)


def _measured() -> dict:
    card = load_card("na62_dump_run2", DumpCard).model_copy(
        update={"mc": DumpMC(n_fip=1000, n_mass_nodes=8, n_ctau_nodes=60, seed=3)})
    return refs.alpinist_validation(card, mass_range_gev={"BC9": (0.02, 0.8), "BC11": (0.08, 1.01)})


def _ratios(table: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = table["rows"]
    return (np.array([r["mass_gev"] for r in rows]), np.array([r["lower_ratio"] for r in rows]),
            np.array([r["upper_ratio"] for r in rows]))


def test_bc9_and_bc11_ratios_against_alpinist():
    """1000 FIPs x 8 mass nodes: 6-9 s on an idle core (module docstring for the measured ratios)."""
    out = _measured()
    for title, table in out.items():
        print(title, "lower", np.round(_ratios(table)[1], 3), "upper", np.round(_ratios(table)[2], 3))
    m, lo, hi = _ratios(out["BC9 NA62 vs ALPINIST, reference assumptions"])
    tip = m > 0.7                   # 0.797 GeV: ALPINIST's N peaks at 3.8 there, edges ill-conditioned
    assert np.all((lo[~tip] > 0.9) & (lo[~tip] < 1.1)) and np.all((hi > 0.6) & (hi < 1.1))
    assert 0.8 < lo[tip][0] < 1.4
    m, lo, hi = _ratios(out["BC9 NA62 vs ALPINIST, shipped card"])
    assert np.all((lo[m < 0.5] > 0.45) & (lo[m < 0.5] < 0.82)) and 0.65 < lo[np.isclose(m, 0.60501)][0] < 1.0
    assert 0.8 < lo[tip][0] < 1.4 and np.all(np.diff(lo) > 0) and np.all((hi > 0.6) & (hi < 1.05))
    m, lo, hi = _ratios(out["BC11 NA62 vs ALPINIST, reference assumptions"])
    assert np.allclose(m, sorted(BC11_LOWER_RATIO))
    assert lo == pytest.approx([BC11_LOWER_RATIO[k] for k in sorted(BC11_LOWER_RATIO)], abs=0.12)
    assert hi == pytest.approx([BC11_UPPER_RATIO[k] for k in sorted(BC11_UPPER_RATIO)], abs=0.1)
    _, lo_card, hi_card = _ratios(out["BC11 NA62 vs ALPINIST, shipped card"])
    assert np.all((lo_card / lo > 1.02) & (lo_card / lo < 1.09))      # efficiency products 0.77-0.85, edge ~ N^-1/4
    assert hi_card == pytest.approx(hi, abs=0.03)


BC11_LOWER_RATIO = {0.081454: 0.82, 0.14993: 0.71, 0.22165: 1.10, 0.30072: 1.18, 0.47978: 1.10, 0.70926: 1.44,
                    1.0093: 1.13}
"""BC11 ours/ALPINIST lower edge, efficiency 1: the card-MC and this module's values (docstring), midway.  At 0.709 GeV
the photon of a -> pi pi gamma and NA27's eta yield, at 0.150 GeV the a -> gamma gamma width (BC11_NOTE)."""
BC11_UPPER_RATIO = {0.081454: 0.97, 0.14993: 0.50, 0.22165: 0.91, 0.30072: 0.90, 0.47978: 0.90, 0.70926: 0.93,
                    1.0093: 0.92}
"""Same for the upper edge: 0.50 at 0.150 GeV = (our / ALPINIST's a -> gamma gamma width 3.8)^-1/2."""


def _alpinist_c_gamma(m: float) -> float:
    """ALPINIST's C_gamma^eff / C_GG of a gluon-only ALP (m in GeV), re-derived from its formulas at the table's commit
    (ALP_rescale/alp/effective_coupling.py photon_coupling.g_gg_eff and mixing, general/alp_constants.py): -1.92 below
    m_eta', plus theta_P Lambda / (16 pi^2 f_P) for P = pi0, eta, eta' (f = 93, 93, 73 MeV), with the angles
    theta_P = (-f_pi / 2 Lambda)(K_aP m^2 + m_aP^2)/(m^2 - m_P^2) WITHOUT the isospin-breaking delta_I terms of K_aP,
    c_q = 64 pi^2 kappa_q C_GG, kappa_q = m_q^-1 / sum m_q'^-1 (m_u, m_d, m_s = 2.16, 4.67, 93 MeV), sin = -1/3."""
    mq = np.array([0.00216, 0.00467, 0.093])
    inv = 1 / mq
    cu, cd, cs = 64 * np.pi**2 * inv / inv.sum()
    mpi, meta, metap, f_pi, f_etap = 0.13498, 0.54786, 0.95778, 0.093, 0.073
    c, s = np.sqrt(8) / 3, -1 / 3
    k_pi = -0.5 * (cu - cd)
    k_eta = -0.5 * ((cu + cd) * (c / np.sqrt(3) - np.sqrt(2 / 3) * s) - cs * (2 * c / np.sqrt(3) + np.sqrt(2 / 3) * s))
    k_etap = -0.5 * ((cu + cd) * (s / np.sqrt(3) + np.sqrt(2 / 3) * c) - cs * (2 * s / np.sqrt(3) - np.sqrt(2 / 3) * c))
    m2_mix = 64 * np.pi**2 * np.sqrt(6) * mpi**2 / (mq[0] + mq[1]) / inv.sum()
    th = (-f_pi / 2) * np.array([k_pi * m * m / (m * m - mpi**2), (k_eta * m * m - m2_mix * s) / (m * m - meta**2),
                                 (k_etap * m * m + m2_mix * c) / (m * m - metap**2)])
    return (-1.92 if m < metap else 0.0) + float(np.sum(th / (16 * np.pi**2 * np.array([f_pi, f_pi, f_etap]))))


def test_bc11_gamma_gamma_width_against_alpinists_formula():
    """Our a -> gamma gamma width (ASW digitised, arXiv:1811.03474) over ALPINIST's analytic one
    (4 pi alpha^2 m^3 C_gamma^eff^2, alpha = 1/137; _alpinist_c_gamma): the factor behind the 0.150 GeV upper edge
    (0.51 = 3.8^-1/2, BC11_NOTE).  Both pass near a zero there (ALPINIST's at 149.7 MeV, ASW's digitised one near
    147 MeV); with ALPINIST's per-mode pi0 table this width and its angle reproduce its summed table (module
    docstring of beam_dump_references)."""
    from na62lab.fips import get_model

    alp = get_model("alp-gluon")
    expected = {0.081454: 1.00, 0.14993: 3.80, 0.22165: 1.14, 0.30072: 1.13, 0.70926: 0.68}
    per_cgg2 = (32 * np.pi**2) ** 2 * 1e-3          # MeV per (1/f_G)^2 -> GeV per (C_GG/Lambda, GeV^-1)^2
    for m, ratio in expected.items():
        ours = float(alp.reduced_widths(np.array(m * 1e3))["gammagamma"]) * per_cgg2
        theirs = 4 * np.pi / 137**2 * m**3 * _alpinist_c_gamma(m) ** 2
        assert ours / theirs == pytest.approx(ratio, rel=0.03), m
    assert abs(_alpinist_c_gamma(0.1497)) < 0.03 < abs(_alpinist_c_gamma(0.145))      # its zero
