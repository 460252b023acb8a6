"""B_c+ -> l N and B_s -> D_s l N production of heavy neutral leptons in the dump (issues 13, 16).

B_c+ is not in the Pythia table: :func:`na62lab.generation.dump.tables.with_bc` derives it from the B+
spectrum with the card's ASSUMED ratio ``production.bc_to_bplus`` (7.6e-3, the LHC-energy value 2 f_c/(f_u + f_d)
of LHCb arXiv:1910.13404, the fraction SHiP's HNL tools use at the SPS).  No measurement or calculation at
sqrt(s) = 27 GeV was found, so it stays the default as an UPPER bracket (B_c+ needs a second heavy pair near
threshold) and no B_c+ is the lower one; :func:`na62lab.analyses.beam_dump_bc.bc_share_note` prints, with every
dump result, where B_c+ dominates the lower edge and where the excluded region ends with and without it.
"""

import numpy as np
import pytest

from na62lab.analyses.beam_dump_bc import bc_share_note, last_excluded_mass, lower_edge_share
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard
from na62lab.fips import get_model
from na62lab.generation.dump.sources import production_modes
from na62lab.generation.dump.tables import load_table, with_bc
from na62lab.physics.kinematics import invariant_mass2
from na62lab.physics.particles import mass

CARD = load_card("ship", DumpCard)
MASSES = np.array([1000.0, 3000.0, 4000.0, 5500.0])


def _card(ratio: float) -> DumpCard:
    return CARD.model_copy(update={"production": CARD.production.model_copy(update={"bc_to_bplus": ratio})})


def _mode(card: DumpCard, name: str = "Bc+->mu+N"):
    src = production_modes(get_model("hnl-mu"), card, load_table())
    return next((m for m in src.modes if m.name == name), None), src


def test_cards_share_one_assumed_bc_fraction():
    assert CARD.production.bc_to_bplus == pytest.approx(7.6e-3)       # 2 x 3.78e-3 (LHCb, 13 TeV)
    for name in ("na62_dump_2021", "na62_dump_run2", "hike", "shadows"):
        assert load_card(name, DumpCard).production.bc_to_bplus == CARD.production.bc_to_bplus, name


def test_bc_rate_is_the_card_fraction_of_bplus_times_the_branching_ratio():
    mode, _ = _mode(CARD)
    p, table = CARD.production, load_table()
    bc_per_pot = p.chi_bb * p.cascade_beauty * p.bc_to_bplus * table.multiplicity("B+")
    expected = bc_per_pot * get_model("hnl-mu").reduced_production(MASSES)["Bc+->mu+N"]
    np.testing.assert_allclose(mode.rate(MASSES), expected, rtol=1e-12)
    assert mode.max_mass == pytest.approx(mass("Bc+") - mass("mu-"))
    doubled, _ = _mode(_card(2 * p.bc_to_bplus))
    np.testing.assert_allclose(doubled.rate(MASSES), 2 * mode.rate(MASSES), rtol=1e-12)
    bplus, _ = _mode(CARD, "B+->mu+N")
    ratio = mode.rate(np.array([4000.0]))[0] / bplus.rate(np.array([4000.0]))[0]
    assert ratio == pytest.approx(p.bc_to_bplus * 428.3, rel=0.01)   # BR(Bc+ -> mu N)/BR(B+ -> mu N) at 4 GeV


def test_zero_fraction_switches_bc_off_with_the_reason():
    mode, src = _mode(_card(0.0))
    assert mode is None
    assert "bc_to_bplus = 0" in src.skipped["Bc+->mu+N"]
    assert not any("B_c+ production" in n for n in src.notes)


def test_the_assumed_fraction_is_printed():
    _, src = _mode(CARD)
    note = next(n for n in src.notes if n.startswith("B_c+ production"))
    assert "0.0076" in note and "ASSUMED" in note and "bc_to_bplus" in note and "B+ (p, theta)" in note
    assert "LHC-energy" in note and "UPPER bracket" in note


def _toy_grid():
    """Masses 2 / 4 / 6 GeV x 5 couplings: B+ events fall, B_c+ events rise with the mass (shares 0, 0.6, 1)."""
    g = np.geomspace(1e-10, 1e-6, 5)
    shape = np.array([0.0, 1.0, 10.0, 100.0, 1000.0])          # events per unit normalisation, rising with g
    bplus = np.outer([0.1, 0.02, 0.0], shape)
    bc = np.outer([0.0, 0.03, 0.01], shape)
    return np.array([2.0, 4.0, 6.0]), g, bplus + bc, {"B+->mu+N": bplus, "Bc+->mu+N": bc}


def test_bc_share_note_gives_the_shares_and_both_brackets():
    m, g, total, by_mode = _toy_grid()
    shares = lower_edge_share(m, g, total, by_mode["Bc+->mu+N"], 2.3)
    assert shares == pytest.approx({2.0: 0.0, 4.0: 0.6, 6.0: 1.0})
    assert last_excluded_mass(m, g, total, 2.3) == 6.0
    assert last_excluded_mass(m, g, total - by_mode["Bc+->mu+N"], 2.3) == 4.0
    (note,) = bc_share_note(m, g, total, by_mode, 2.3, 7.6e-3)
    assert "0.0076" in note and "UPPER bracket" in note and "lower bracket" in note
    assert "10 % from 4 GeV, 50 % from 4 GeV, 90 % from 6 GeV" in note
    assert "end at 6 GeV with it and at 4 GeV without B_c+" in note
    assert bc_share_note(m, g, total, {"B+->mu+N": total}, 2.3, 7.6e-3) == []      # no B_c+ mode: no note
    tiny = {"B+->mu+N": by_mode["B+->mu+N"][:2], "Bc+->mu+N": 1e-3 * by_mode["B+->mu+N"][:2]}   # below 10 % everywhere
    (note,) = bc_share_note(m[:2], g, tiny["B+->mu+N"] + tiny["Bc+->mu+N"], tiny, 2.3, 7.6e-3)
    assert "at most 0.1 % of the expected events" in note and "end at 4 GeV, at 4 GeV without B_c+" in note


def test_bc_kinematics_are_the_bplus_spectrum():
    table = load_table()
    derived = with_bc(table, 0.01)
    np.testing.assert_allclose(derived.density["Bc+"], 0.01 * table.density["B+"])
    assert derived.kind["Bc+"] == "beauty" and with_bc(table, 0.0) is table and with_bc(derived, 0.5) is derived
    p, _ = derived.sample("Bc+", 2000, np.random.default_rng(4))
    assert p.min() >= 1.001 * mass("Bc+") - 1e-6
    mode, _ = _mode(CARD)
    s = mode.sampler(4000.0, 2000, np.random.default_rng(5))
    np.testing.assert_allclose(np.sqrt(invariant_mass2(s.p4)), 4000.0, rtol=1e-6)
    assert s.weight.sum() == pytest.approx(1.0)


def test_bs_to_ds_l_n_is_simulated_from_the_bs_table():
    mode, _ = _mode(CARD, "Bs0->Ds-mu+N")
    p, table = CARD.production, load_table()
    m = np.array([1000.0, 2500.0, 3400.0])
    expected = (p.chi_bb * p.cascade_beauty * table.multiplicity("Bs0")
                * get_model("hnl-mu").reduced_production(m)["Bs0->Ds-mu+N"])
    np.testing.assert_allclose(mode.rate(m), expected, rtol=1e-12)
    assert mode.rate(m)[2] == 0.0 and mode.max_mass == pytest.approx(mass("Bs0") - mass("Ds+") - mass("mu-"))
    s = mode.sampler(2000.0, 1000, np.random.default_rng(6))
    np.testing.assert_allclose(np.sqrt(invariant_mass2(s.p4)), 2000.0, rtol=1e-6)
