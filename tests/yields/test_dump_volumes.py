"""Per-final-state decay volumes, LKr photon conditions, STRAW two-track separation, efficiencies."""

import numpy as np
import pytest

from na62lab.config.base import load_card, parse_card
from na62lab.config.dump import DumpCard
from na62lab.detector.dump_acceptance import photon_pair_condition, track_separation
from na62lab.errors import InputError
from na62lab.selection.dump_selection import select_dump, trigger_efficiency

CARD = load_card("na62_dump_2021", DumpCard)


def _p4(px, py, pz, mass=0.0):
    p = np.array([[0.0, px, py, pz]])
    p[:, 0] = np.sqrt(px * px + py * py + pz * pz + mass * mass)
    return p


def test_photon_pairs_decay_up_to_the_lkr_charged_pairs_before_straw1():
    """ALPINIST ExpParameters.C (NA62): ZFVEnd = zStraw1 (183 m) for charged, ZLKR (241.495 m) for neutral."""
    assert CARD.selection.decay_volume("ee") == (105.0, 180.0)
    assert CARD.selection.decay_volume("gammagamma") == (105.0, 241.495)
    card = CARD.model_copy(update={"selection": CARD.selection.model_copy(update={"angle_resolution_urad": 0.0})})
    rng = np.random.default_rng(0)
    vtx = np.array([[0.0, 0.0, 200_000.0]])                      # between STRAW 1 and the LKr
    g1, g2 = _p4(300.0, 0.0, 20_000.0), _p4(-300.0, 0.0, 20_000.0)   # 0.6 m apart at the LKr
    assert select_dump(vtx, [g1, g2], ("gamma", "gamma"), (0, 0), card, rng)[0]
    e1, e2 = _p4(300.0, 0.0, 20_000.0, 0.511), _p4(-300.0, 0.0, 20_000.0, 0.511)
    assert not select_dump(vtx, [e1, e2], ("e", "e"), (1, -1), card, rng)[0]
    beyond = np.array([[0.0, 0.0, 242_000.0]])                   # behind the LKr front
    assert not select_dump(beyond, [g1, g2], ("gamma", "gamma"), (0, 0), card, rng)[0]


def test_photon_pair_needs_separated_clusters_and_summed_energy():
    """ALPINIST twoPhotonCondition (NA62): clusters > 0.1 m apart, E > 1 GeV each, sum > 3 GeV."""
    vtx = np.array([[0.0, 0.0, 200_000.0]])
    close = [_p4(20.0, 0.0, 20_000.0), _p4(-20.0, 0.0, 20_000.0)]   # 8.3 cm apart at 241.5 m
    far = [_p4(200.0, 0.0, 20_000.0), _p4(-200.0, 0.0, 20_000.0)]
    soft = [_p4(200.0, 0.0, 1_200.0), _p4(-20.0, 0.0, 1_200.0)]
    geo, sel = CARD.geometry, CARD.selection
    assert not photon_pair_condition(vtx, close, geo, sel)[0] and photon_pair_condition(vtx, far, geo, sel)[0]
    assert not photon_pair_condition(vtx, soft, geo, sel)[0]     # 2.4 GeV in total


def test_lkr_octagon_rejects_the_corners_a_circle_of_1_28_m_would_accept():
    from na62lab.detector.dump_acceptance import lkr_acceptance

    vtx = np.array([[0.0, 0.0, 141_495.0]])                      # 100 m before the LKr
    corner = _p4(950.0, 950.0, 100_000.0)                         # |x| + |y| = 1.9 m, r = 1.34 m
    diagonal = _p4(800.0, 800.0, 100_000.0)                       # |x| + |y| = 1.6 m > 1.598 m, r = 1.13 m
    inside = _p4(700.0, 700.0, 100_000.0)
    circle = CARD.selection.model_copy(update={"lkr_octagon_m": None})
    assert not lkr_acceptance(vtx, diagonal, CARD.geometry, CARD.selection)[0]
    assert lkr_acceptance(vtx, diagonal, CARD.geometry, circle)[0]
    assert lkr_acceptance(vtx, inside, CARD.geometry, CARD.selection)[0]
    assert not lkr_acceptance(vtx, corner, CARD.geometry, circle)[0]


def test_nearly_collinear_tracks_are_not_resolved_in_straw1():
    vtx = np.array([[0.0, 0.0, 175_000.0]])                       # 8.3 m before STRAW 1
    a, b = _p4(5.0, 0.0, 30_000.0), _p4(-5.0, 0.0, 30_000.0)      # 0.33 mrad: 2.8 mm apart
    assert not track_separation(vtx, [a, b], CARD.geometry, CARD.selection)[0]
    none = CARD.selection.model_copy(update={"track_min_separation_mm": 0.0})
    assert track_separation(vtx, [a, b], CARD.geometry, none)[0]
    a, b = _p4(30.0, 0.0, 30_000.0), _p4(-30.0, 0.0, 30_000.0)    # 16.6 mm apart
    assert track_separation(vtx, [a, b], CARD.geometry, CARD.selection)[0]


def test_efficiencies_are_labelled_card_factors_per_final_state():
    sel = CARD.selection
    assert trigger_efficiency("ee", CARD) == pytest.approx(0.95 * 0.96 * 0.96 * 0.95 * 0.99)
    assert trigger_efficiency("mumu", CARD) == pytest.approx(0.95 * 0.96 * 0.98 * 0.95 * 0.99)
    assert trigger_efficiency("pipi", CARD) == pytest.approx(0.95 * 0.96 * 0.9 * 0.95 * 0.99)
    assert trigger_efficiency("gammagamma", CARD) == pytest.approx(0.9 * 0.95 * 0.99)
    assert trigger_efficiency("pie", CARD) == pytest.approx(0.95 * 0.96 * 0.93 * 0.95 * 0.99)   # HNL: pi e
    assert trigger_efficiency("nuee", CARD) == trigger_efficiency("ee", CARD)
    assert all(f.status in ("checked", "unverified", "assumed") and f.source for f in sel.efficiencies)
    with pytest.raises(InputError):
        parse_card({"selection": {"efficiencies": [{"name": "pid", "value": 0.9, "applies_to": ["nununu"]}]}},
                   DumpCard)
    with pytest.raises(InputError):
        parse_card({"selection": {"neutral_decay_end_m": 250.0}}, DumpCard)     # beyond the LKr


@pytest.mark.parametrize("name,pot", [("na62_dump_run2", 1e18), ("hike", 5e19)])
def test_projection_cards_have_the_2021_geometry_selection_and_scaled_backgrounds(name, pot):
    card = load_card(name, DumpCard)
    assert card.selection == CARD.selection
    # HIKE keeps its STRAW beam holes on the axis (its spectrometer is not published); NA62's are displaced
    # along the deflected K+ beam (na62_dump_2021.yaml, straw_hole_x_m)
    skip = {"straw_hole_x_m"} if name == "hike" else set()
    assert card.geometry.model_dump(exclude=skip) == CARD.geometry.model_dump(exclude=skip)
    assert card.run.projection and not CARD.run.projection
    for ch in ("ee", "mumu", "pipi", "KK"):
        for field in ("background", "error_down", "error_up", "control_background"):
            assert getattr(card.channels[ch], field) == pytest.approx(
                getattr(CARD.channels[ch], field) * pot / 1.4e17, rel=0.025), (ch, field)   # cards: 2-4 digits
