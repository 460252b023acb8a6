"""Drell-Yan q qbar -> V in the dump, from the shipped tables (no Pythia needed).

LO narrow-width formula sigma-hat = (pi g_q^2 / 3) delta(s-hat - M^2) (module docstring of
na62lab.generation.dump.drell_yan_pythia; the q qbar -> A' form of Berlin et al. arXiv:1804.00661 and
SHiP arXiv:2011.05115), integrated with Pythia's default PDF (NNPDF2.3 QCD+QED LO) at Q^2 = M^2.
Cross-check stored in the shipped 400 GeV table (admin/make_drell_yan_tables.py, 30000 Pythia
events per node): Pythia's own 2 -> 1 Z' with g_q = e Q_q over the analytic LO integral with the same PDF
is 0.98-1.01 from 1.0 to 7 GeV on protons and neutrons, and 1.01-1.13 at 7.5-12 GeV (the finite Z'
width, up to 0.1 GeV, on a luminosity that falls steeply near the kinematic end, and b bbar; the
dump sensitivity lives below ~3 GeV).
Dark photon per nucleon (alpha_EM(0), eps = 1; pp / pn): 6.29 / 5.81 ub at 1.5 GeV, 2.62 / 2.46 at 2,
0.632 / 0.613 at 3, 0.0691 / 0.0698 at 5.  SensCalc (maksymovchynnikov/SensCalc, pb per eps^2, a
cross-check only, not shipped): "Dark photon/branching ratios/sigma-Drell-Yan-DP-SPS.txt" 6.30, 2.62,
0.632, 0.0681 ub (ours / it 1.00, 1.00, 1.00, 1.015); the later "DP/Production probabilities/
sigmaDrellYan_DP_SPS.txt" 8.39, 2.68, 0.845, 0.0897 ub (0.75, 0.98, 0.75, 0.77).
Measured effect (card MC, Drell-Yan off -> on, same tree): NA62 2021 BC1 closing 1.265 GeV unchanged
(test_beam_dump_published.py); HIKE grid closing 1.660 -> 1.670 GeV, N_max = 2.3 at 1.674 -> 1.694 GeV
(test_dump_reference_curves.py); SHiP card (31 x 48, 1-6 GeV) largest excluded mass 2.31 -> 3.72 GeV,
lower edge at 2.0 GeV 4.9e-8 -> 3.0e-8 (the SHiP dark-photon study, arXiv:2011.05115 abstract: unique
sensitivity up to 3.3 (+0.2 -0.5) GeV, for its 2e20 POT BDF design).
"""

from pathlib import Path

import numpy as np
import pytest
from hepunits import millibarn

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard
from na62lab.fips import get_model, resolve_model
from na62lab.fips.base import DUMP_MECHANISMS
from na62lab.generation.dump import drell_yan
from na62lab.generation.dump.sources import production_modes
from na62lab.generation.dump.tables import load_table
from na62lab.physics.constants import ALPHA_EM
from na62lab.physics.units import GeV

CU = (29, 63.546, 8.96)
Q2 = np.array([4 / 9, 1 / 9, 1 / 9, 4 / 9])
B_MINUS_L = f"{Path(__file__).resolve().parents[3] / 'docs' / 'examples' / 'b_minus_l.py'}:BMinusL"


@pytest.fixture(scope="module")
def card():
    return load_card("na62_dump_2021", DumpCard)


@pytest.fixture(scope="module")
def table():
    return drell_yan.load_table(400.0)


def _dy_mode(model, card):
    src = production_modes(model, card, load_table(card.production.production_table))
    return src, {md.name: md for md in src.modes}.get("drell_yan")


def test_shipped_table_is_small_has_provenance_and_lo_agrees_with_pythia(table):
    """Pythia's 2 -> 1 cross section / analytic LO (same PDF): 0.98-1.02 below 7 GeV (module docstring)."""
    for e in drell_yan.TABLES:
        path = drell_yan.table_path(e)
        assert path is not None and path.stat().st_size < 1_000_000
    prov = table.provenance
    assert "Pythia 8.317" in prov["generator"] and "NNPDF2.3" in prov["pdf"] and prov["beam_energy_gev"] == 400.0
    lo = 4 * np.pi * table.alpha_em * np.einsum("q,tqm->tm", Q2, table.sigma)
    ratio = table.sigma_pythia / lo
    low = table.masses < 7 * GeV
    assert np.all(np.abs(ratio[:, low] - 1) < 0.02), ratio
    assert np.all(np.abs(ratio - 1) < 0.15)


def test_isospin_and_per_nucleon_values(table):
    """sigma_u(pn) = sigma_d(pn) (u_n = d_p); s, c the same on p and n; dark photon values of the docstring."""
    sig = table.sigma
    np.testing.assert_allclose(sig[1, 0], sig[1, 1], rtol=1e-12)
    np.testing.assert_allclose(sig[0, 2:], sig[1, 2:], rtol=1e-12)
    assert np.all(sig[0, 0] > sig[1, 0]) and np.all(sig[0, 1] < sig[1, 1])     # u_p > d_p
    s = table.cross_sections(np.array([1.5, 2.0, 3.0, 5.0]) * GeV)
    dp = 4 * np.pi * ALPHA_EM * np.einsum("q,tqm->tm", Q2, s) / millibarn * 1e3   # ub
    np.testing.assert_allclose(dp[0], [6.29, 2.62, 0.632, 0.0691], rtol=0.01)
    np.testing.assert_allclose(dp[1], [5.81, 2.46, 0.613, 0.0698], rtol=0.01)


def test_per_pot_normalisation_a1_over_sigma_inel(card, table):
    """N/POT = sum_q c_q [Z sigma_q(pp) + (A-Z) sigma_q(pn)] / sigma_inel(pA), sigma_inel(Cu) = 768.5 mb."""
    assert drell_yan.sigma_inelastic(card, CU) / millibarn == pytest.approx(768.5, rel=1e-3)
    m = np.array([2.0, 3.0]) * GeV
    s = table.cross_sections(m)
    want = (29 * s[0, 0] + (63.546 - 29) * s[1, 0]) / drell_yan.sigma_inelastic(card, CU)
    np.testing.assert_allclose(drell_yan.rate({"u": 1.0}, m, table, card, CU), want, rtol=1e-12)


def test_only_the_coupled_flavours_count_and_the_rate_is_linear_in_coupling_squared(card, table):
    m = np.array([1.6, 2.5, 4.0]) * GeV
    parts = {q: drell_yan.rate({q: 1.0}, m, table, card, CU) for q in drell_yan.QUARKS}
    assert all(np.all(v > 0) for v in parts.values())
    mixed = drell_yan.rate({"u": 0.3, "s": 2.0}, m, table, card, CU)
    np.testing.assert_allclose(mixed, 0.3 * parts["u"] + 2.0 * parts["s"], rtol=1e-12)
    np.testing.assert_allclose(drell_yan.rate({"u": 4.0}, m, table, card, CU), 4 * parts["u"], rtol=1e-12)
    assert np.all(drell_yan.rate({}, m, table, card, CU) == 0)


def test_dark_photon_mode_above_threshold_only(card):
    dp = get_model("dark-photon")
    assert "drell_yan" in dp.dump_mechanisms and "drell_yan" in DUMP_MECHANISMS
    src, mode = _dy_mode(dp, card)
    assert mode is not None and mode.min_mass == pytest.approx(1.4 * GeV)
    assert any("Drell-Yan" in n and "no double counting" in n for n in src.notes)
    r = mode.rate(np.array([0.5, 1.0, 1.39, 1.4, 1.5, 2.0]) * GeV)
    assert np.all(r[:3] == 0) and np.all(r[3:] > 0)
    # dark photon: 4 pi alpha Q_q^2; 1.5 GeV, Cu: 6.3 (pp) / 5.8 (pn) ub x A / 768.5 mb = 5.0e-4 per eps^2
    assert r[4] == pytest.approx(4.98e-4, rel=0.02)


def test_threshold_is_a_card_setting_and_mode_skips_with_a_reason(card):
    dp = get_model("dark-photon")
    lower = card.model_copy(update={"production": card.production.model_copy(update={"drell_yan_min_mass_gev": 1.0})})
    _, mode = _dy_mode(dp, lower)
    assert mode.rate(np.array([1.2 * GeV]))[0] > 0
    off = card.model_copy(update={"production": card.production.model_copy(update={"drell_yan": False})})
    src, mode = _dy_mode(dp, off)
    assert mode is None and "off" in src.skipped["drell_yan"]
    other = card.model_copy(update={"run": card.run.model_copy(update={"beam_energy_gev": 120.0})})
    src, mode = _dy_mode(dp, other)
    assert mode is None and "no shipped table at 120 GeV" in src.skipped["drell_yan"]


def test_models_without_quark_couplings_get_no_mode(card):
    _, mode = _dy_mode(get_model("dark-scalar"), card)
    assert mode is None


def test_b_minus_l_couples_one_ninth_to_every_quark(card, table):
    bl, dp = resolve_model(B_MINUS_L), get_model("dark-photon")
    e2 = 4 * np.pi * ALPHA_EM
    assert bl.drell_yan_couplings() == pytest.approx({q: e2 / 9 for q in drell_yan.QUARKS})
    m = np.array([2.0, 3.0]) * GeV
    r_bl, r_dp = _dy_mode(bl, card)[1].rate(m), _dy_mode(dp, card)[1].rate(m)
    s = table.cross_sections(m)
    per = 29 * s[0] + (63.546 - 29) * s[1]                      # (4, n) per flavour
    np.testing.assert_allclose(r_bl / r_dp, per.sum(axis=0) / 9 / (Q2 @ per), rtol=1e-10)


def test_sampler_follows_the_pythia_spectrum(card, table):
    """pT of the V from ISR and primordial kT (~1.2 GeV at 2 GeV), p ~ 60-70 GeV; deterministic with the seed."""
    _, mode = _dy_mode(get_model("dark-photon"), card)
    a = mode.sampler(2.0 * GeV, 20000, np.random.default_rng(3))
    b = mode.sampler(2.0 * GeV, 20000, np.random.default_rng(3))
    np.testing.assert_array_equal(a.p4, b.p4)
    assert a.mode == "drell_yan" and a.polarised and a.weight.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(a.p4[:, 0] ** 2 - (a.p4[:, 1:] ** 2).sum(axis=1), (2.0 * GeV) ** 2, rtol=1e-6)
    pt = np.hypot(a.p4[:, 1], a.p4[:, 2]).mean() / GeV
    k = table.node(2.0 * GeV)
    mean_pt = np.load(drell_yan.table_path(400.0))["mean_pt_gev"][:, k]       # Pythia's, p and n
    assert pt == pytest.approx(mean_pt.mean(), rel=0.03)
    assert 55 < a.momentum.mean() / GeV < 80


def test_nucal_beam_energy_has_its_own_table():
    card = load_card("nucal", DumpCard)
    if drell_yan.load_table(70.0) is None:
        pytest.skip("70 GeV table not built")
    _, mode = _dy_mode(get_model("dark-photon"), card)
    r = mode.rate(np.array([1.5, 3.0]) * GeV)
    assert np.all(r > 0) and mode.max_mass == pytest.approx(8.0 * GeV, rel=1e-6)


def test_table_model_declares_drell_yan_with_or_without_a_rate_column(card, tmp_path):
    """A model table: ``drell_yan`` as a dark photon of kinetic mixing = coupling, or its own tabulated rate."""
    import yaml

    from na62lab.fips.table_model import read_model_table

    base = {"name": "tab-v", "coupling_name": "g", "reference_coupling": 1e-6, "spin": 1,
            "mass_gev": [1.0, 2.0, 3.0], "ctau_m": [1.0, 1.0, 1.0], "decay_br": {"ee": [1.0, 1.0, 1.0]}}
    path = tmp_path / "v.yaml"
    path.write_text(yaml.safe_dump({**base, "dump_mechanisms": ["drell_yan"]}))
    m = np.array([1.3, 2.0, 2.5]) * GeV
    r_tab = _dy_mode(read_model_table(path), card)[1].rate(m)
    np.testing.assert_allclose(r_tab, _dy_mode(get_model("dark-photon"), card)[1].rate(m), rtol=1e-12)
    path.write_text(yaml.safe_dump({**base, "rates_per_pot": {"drell_yan": [3e-16, 2e-16, 1e-16]}}))
    model = read_model_table(path)
    assert "drell_yan" in model.dump_mechanisms
    src, mode = _dy_mode(model, card)
    np.testing.assert_allclose(mode.rate(np.array([2.0 * GeV])), 2e-16 / 1e-12, rtol=1e-12)   # per coupling^2
    assert mode.min_mass == pytest.approx(1.4 * GeV)      # the card's threshold still applies (dump_grid)


def test_mass_nodes_of_a_mode_start_at_its_threshold():
    from na62lab.yields.dump_grid import mass_nodes

    nodes = mass_nodes(1000.0, 3000.0, 10, 12000.0, 1400.0)
    assert nodes[0] == pytest.approx(1400.0) and np.all(nodes[1:] > 1400.0) and nodes[-1] == pytest.approx(3000.0)
    assert mass_nodes(10.0, 1000.0, 10, np.inf, 1400.0).size == 0
    np.testing.assert_array_equal(mass_nodes(10.0, 1000.0, 10, np.inf), np.geomspace(10.0, 1000.0, 10))
