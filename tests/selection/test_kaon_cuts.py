"""The cuts in ``selection.kaon_cuts`` are the ones the kaon simulation runs (issue 15: a cut changed in
``selection/`` changes the simulation's output)."""

import numpy as np
import pytest

from na62lab.config import load_card
from na62lab.config.kaon import KaonCard
from na62lab.physics.units import GeV
from na62lab.selection import kaon_cuts
from na62lab.yields.kaon_sim import simulate_chunk

N = 20_000


@pytest.fixture(scope="module")
def card():
    card = load_card("na62_kaon_2021_22", KaonCard)
    return card.model_copy(update={"run": card.run.model_copy(update={"pi0_orientations": 0,
                                                                      "pair_orientations": 0})})


def _run(card):
    return simulate_chunk(card, N, np.random.default_rng(3)).columns


def _passing(cols, bit):
    return int(np.count_nonzero(cols["flags"] & bit))


def test_tighter_momentum_cut_in_selection_module_changes_the_simulation(card, monkeypatch):
    base = _run(card)
    shipped = kaon_cuts.track_cut_values

    def tighter(c):
        cuts = shipped(c).copy()
        cuts[1] = 25.0 * GeV                      # p_max 25 GeV/c instead of the card's 45
        return cuts

    monkeypatch.setattr(kaon_cuts, "track_cut_values", tighter)
    cut = _run(card)
    p = base["p_gev"]
    expected = int(np.count_nonzero((p >= card.selection.momentum_gev[0]) & (p < 25.0)))
    assert _passing(cut, kaon_cuts.FLAG_MOMENTUM) == expected      # the same events, the new cut
    assert _passing(cut, kaon_cuts.FLAG_MOMENTUM) < _passing(base, kaon_cuts.FLAG_MOMENTUM)
    kin = kaon_cuts.KINEMATIC
    assert np.count_nonzero((cut["flags"] & kin) == kin) < np.count_nonzero((base["flags"] & kin) == kin)
    assert np.all(cut["p_gev"][(cut["flags"] & kin) == kin] < 25.0)


def test_tighter_cda_cut_in_selection_module_changes_the_simulation(card, monkeypatch):
    base = _run(card)
    shipped = kaon_cuts.selection_cut_values

    def tighter(c):
        cuts = shipped(c).copy()
        cuts[0] = 1.0                             # CDA < 1 mm instead of the card's 4 mm
        return cuts

    monkeypatch.setattr(kaon_cuts, "selection_cut_values", tighter)
    cut = _run(card)
    vertex = kaon_cuts.FLAG_VERTEX
    assert _passing(cut, vertex) < _passing(base, vertex)
    assert np.all(cut["cda_mm"][(cut["flags"] & vertex) != 0] < 1.0)
    assert cut["cda_mm"].tobytes() == base["cda_mm"].tobytes()          # only the decision changed


def test_cut_values_come_from_the_card(card):
    sel = card.selection
    tracks = kaon_cuts.track_cut_values(card)
    assert tracks[:3].tolist() == [sel.momentum_gev[0] * GeV, sel.momentum_gev[1] * GeV, card.straw.chi2_max]
    assert kaon_cuts.selection_cut_values(card)[0] == sel.cda_max_mm
    wider = card.model_copy(update={"selection": sel.model_copy(update={"cda_max_mm": 2 * sel.cda_max_mm})})
    assert kaon_cuts.selection_cut_values(wider)[0] == 2 * sel.cda_max_mm


def test_upstream_geometric_cuts_of_the_public_framework(card):
    """The optional upstream cuts (public NA62 framework KaonDecaySelection, 2016-18: R(STRAW1) > 830 mm - 4.36 mm/m
    z_vertex around x = 101.2 mm, no track through |x| < 30, |y| < 15 mm at GTK3) only remove vertex-flagged rows,
    exactly those the numpy formulation of the cut rejects; off in the shipped card."""
    assert card.selection.upstream_straw1_cut is None and card.selection.gtk3_box_mm is None
    on = card.model_copy(update={"selection": card.selection.model_copy(
        update={"upstream_straw1_cut": (830.0, 4.36, 101.2), "gtk3_box_mm": (30.0, 15.0)})})
    base, cut = _run(card), _run(on)
    vertex = kaon_cuts.FLAG_VERTEX
    assert cut["cda_mm"].tobytes() == base["cda_mm"].tobytes()          # same events, only the decision changed
    removed = ((base["flags"] & vertex) != 0) & ((cut["flags"] & vertex) == 0)
    assert not np.any(((cut["flags"] & vertex) != 0) & ((base["flags"] & vertex) == 0))
    assert 0.05 < removed.sum() / max(((base["flags"] & vertex) != 0).sum(), 1) < 0.6
    with pytest.raises(ValueError, match="upstream"):
        kaon_cuts.selection_columns(None, np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), 0,
                                    np.zeros(0, np.uint8), on)
    x1, y1, tx, ty, vz = 101.2 + 300.0, 0.0, 0.0, 0.0, 130_000.0          # R = 300 mm: cut at 830 - 566.8 = 263 mm
    assert kaon_cuts.upstream_ok(x1, y1, tx, ty, vz, kaon_cuts.selection_cut_values(on))
    assert not kaon_cuts.upstream_ok(101.2 + 250.0, y1, tx, ty, vz, kaon_cuts.selection_cut_values(on))
    box = kaon_cuts.selection_cut_values(card.model_copy(update={"selection": card.selection.model_copy(
        update={"gtk3_box_mm": (30.0, 15.0)})}))
    dz = box[12] - box[11]                                  # GTK3 - STRAW1 (mm)
    assert not kaon_cuts.upstream_ok(20.0, 5.0, 0.0, 0.0, 160_000.0, box)                # through the GTK3 area
    assert kaon_cuts.upstream_ok(20.0, 5.0, 40.0 / dz, 0.0, 160_000.0, box)              # passes 60 mm off axis
