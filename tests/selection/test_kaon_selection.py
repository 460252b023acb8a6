"""Signal/control regions and the kinematic selection."""

import numpy as np
import pytest

from na62lab.config.kaon import KaonCard, SelectionCard
from na62lab.selection.pinunu import beam_consistent, constraint_band, rich_windows, window_bounds
from na62lab.selection.regions import (
    OTHER, PIPI, R1, R2, momentum_bin, region_codes, region_names, region_table,
)
from na62lab.physics.units import GeV, m
from tests.selection.reference_cuts import select, track_quality


def test_region_codes_match_card_boundaries():
    sel = SelectionCard()
    x = np.array([-0.3, -0.01, 0.0, 0.0099, 0.012, 0.018, 0.023, 0.026, 0.0679, 0.07, 0.1, np.nan]) * GeV**2
    names = region_names(sel)
    got = [names[c] for c in region_codes(x, sel)]
    assert got == ["other", "munu", "R1", "R1", "CR1", "pipi", "CR2", "R2", "R2", "other", "3pi", "other"]
    assert set(region_table(sel)) == {"R1", "R2", "pipi", "CR1", "CR2", "3pi", "munu"}
    assert (R1, R2, PIPI, OTHER) == (1, 2, 3, 0)


def test_momentum_bins():
    sel = SelectionCard()
    p = np.array([10, 15, 19.99, 20, 44.9, 45, np.nan]) * GeV
    assert momentum_bin(p, sel).tolist() == [-1, 0, 0, 1, 5, -1, -1]


def test_selection_stages():
    card = KaonCard()
    cols = {"has_track": np.array([1, 1, 1, 1, 1], bool), "in_lkr": np.array([1, 1, 1, 0, 1], bool),
            "in_muv3": np.ones(5, bool), "p": np.array([30, 30, 50, 30, 30]) * GeV,
            "cda": np.array([1.0, 8.0, 1.0, 1.0, 1.0]), "vz": np.array([150, 150, 150, 150, 180]) * m,
            "mmiss2": np.full(5, 0.005) * GeV**2, "mmiss2_beam": np.full(5, 0.006) * GeV**2}
    s = select(cols, card)
    assert s.kinematic.tolist() == [True, False, False, False, False]


def test_beam_consistency_cut():
    card = KaonCard()
    gtk = np.array([0.005, 0.005, 0.005, 0.3]) * GeV**2
    beam = np.array([0.012, 0.0141, -0.0039, 0.5]) * GeV**2
    # without a momentum, the widest R1 window of the card: [-0.005, 0.0135]; 'other' is never cut
    assert beam_consistent(gtk, beam, card).tolist() == [True, False, True, True]


def test_windows_follow_region_and_momentum_band():
    """m_miss^2(beam) and m_miss^2(RICH) windows of the NA62 framework (KinematicTails, 2016-18)."""
    card = KaonCard()
    assert constraint_band(np.array([18.0, 20.0, 22.0, 30.0, 44.0]) * GeV, card.selection).tolist() == [0, 0, 1, 2, 2]
    m2 = np.array([0.005, 0.005, 0.03, 0.018, 0.012]) * GeV**2
    p = np.array([18.0, 30.0, 30.0, 30.0, 30.0]) * GeV
    lo, hi = window_bounds(m2, p, card.selection.beam_windows_gev2, card, card.selection.beam_mmiss2_margin_gev2)
    np.testing.assert_allclose(lo / GeV**2, [-0.005, 0.0, 0.024, -np.inf, 0.010 - 0.004])
    np.testing.assert_allclose(hi / GeV**2, [0.0135, 0.0135, 0.068, np.inf, 0.015 + 0.004])
    lo, hi = rich_windows(m2, p, card)
    np.testing.assert_allclose(lo / GeV**2, [0.0, -0.005, 0.020, 0.0, -np.inf])
    np.testing.assert_allclose(hi / GeV**2, [0.010, 0.020, 0.070, 0.070, np.inf])


def test_track_quality_and_box_cut():
    card = KaonCard()
    cols = {"chi2": np.array([1.0, 25.0, 1.0]), "x1": np.array([50.0, 300.0, 300.0]), "y1": np.zeros(3)}
    assert track_quality(cols, card).tolist() == [True, False, True]
    boxed = card.model_copy(update={"selection": card.selection.model_copy(update={"straw1_box_mm": (100.0, 500.0)})})
    assert track_quality(cols, boxed).tolist() == [False, False, True]


def test_window_lists_are_validated():
    with pytest.raises(ValueError):
        SelectionCard(beam_windows_gev2={"R1": [(0.0, 0.01), (0.0, 0.01)]})   # 2 windows for 3 bands
    with pytest.raises(ValueError):
        SelectionCard(rich_windows_gev2={"R2": [(0.05, 0.02)]})


@pytest.mark.parametrize("bad", [{"r1_gev2": (0.01, 0.0)}, {"momentum_bins_gev": [15, 10]}])
def test_bad_regions_rejected(bad):
    with pytest.raises(ValueError):
        SelectionCard(**bad)
