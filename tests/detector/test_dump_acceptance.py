"""Dump-mode geometric acceptance of FIP daughters."""

import numpy as np

from na62lab.config.dump import DumpSelection
from na62lab.config.geometry import Geometry
from na62lab.detector.dump_acceptance import (charged_track_acceptance, daughters_acceptance,
                                              photon_acceptance, position_at)

GEO, SEL = Geometry(), DumpSelection()
VTX = np.array([[0.0, 0.0, 150_000.0]])          # 150 m


def _track(px, py, pz):
    p = np.array([[0.0, px, py, pz]])
    p[:, 0] = np.linalg.norm(p[:, 1:], axis=1)
    return p


def test_straight_line_propagation():
    x, y = position_at(VTX, _track(10.0, -5.0, 10_000.0), 160_000.0)
    assert x[0] == 10.0 and y[0] == -5.0
    x, _ = position_at(VTX, _track(1.0, 0.0, -10.0), 160_000.0)
    assert x[0] > 1e20                               # backward tracks never arrive


def test_beam_hole_outer_radius_and_momentum_cut():
    # 20 GeV/c at 2 mrad from 150 m: 67 mm at STRAW1, 77 cm at the LKr after the kick
    assert charged_track_acceptance(VTX, _track(40.0, 0.0, 20_000.0), 1, "pi", GEO, SEL)[0]
    assert not charged_track_acceptance(VTX, _track(0.0, 0.0, 20_000.0), 1, "pi", GEO, SEL)[0]   # beam hole
    assert not charged_track_acceptance(VTX, _track(700.0, 0.0, 20_000.0), 1, "pi", GEO, SEL)[0]  # outside
    assert not charged_track_acceptance(VTX, _track(20.0, 0.0, 10_000.0), 1, "pi", GEO, SEL)[0]   # bent off LKr
    assert not charged_track_acceptance(VTX, _track(8.0, 0.0, 4_000.0), 1, "pi", GEO, SEL)[0]     # p < 5 GeV


def test_magnet_bends_by_charge():
    # -2 mrad at 20 GeV/c: a + charge is bent back into the STRAW3 beam hole, a - charge away from it
    p = _track(-40.0, 0.0, 20_000.0)
    assert not charged_track_acceptance(VTX, p, +1, "e", GEO, SEL)[0]
    assert charged_track_acceptance(VTX, p, -1, "e", GEO, SEL)[0]


def test_muons_need_muv3_and_photons_need_lkr():
    assert charged_track_acceptance(VTX, _track(40.0, 40.0, 20_000.0), 1, "mu", GEO, SEL)[0]
    g = _track(20.0, 0.0, 10_000.0)
    assert photon_acceptance(VTX, g, GEO, SEL)[0]
    assert not photon_acceptance(VTX, _track(2.0, 0.0, 1_000.0), GEO, SEL)[0]     # below 3 GeV
    assert not photon_acceptance(VTX, _track(0.0, 0.0, 10_000.0), GEO, SEL)[0]    # LKr beam pipe


def test_all_daughters_required():
    good, bad = _track(40.0, 0.0, 20_000.0), _track(0.0, 0.0, 20_000.0)
    assert daughters_acceptance(VTX, [good, good], ("e", "gamma"), (1, 0), GEO, SEL)[0]
    assert not daughters_acceptance(VTX, [good, bad], ("e", "gamma"), (1, 0), GEO, SEL)[0]


def test_straw_holes_centred_where_the_card_puts_them():
    # NA62 dump cards: the STRAW holes sit at x = 101.2 ... 52.8 mm (NA62Tools GeometricAcceptance,
    #   fXStrawChamberCentre), not on the z axis: a track 67 mm from the axis at STRAW1 (hole radius 60 mm)
    #   crosses chamber 1 only 34 mm from the hole centre and is lost; one on the axis side of the hole is kept
    shifted = Geometry(straw_hole_x_m=(0.1012, 0.1144, 0.0924, 0.0528))
    assert charged_track_acceptance(VTX, _track(40.0, 0.0, 20_000.0), 1, "pi", GEO, SEL)[0]
    assert not charged_track_acceptance(VTX, _track(40.0, 0.0, 20_000.0), 1, "pi", shifted, SEL)[0]
    left = _track(-40.0, 0.0, 20_000.0)
    assert charged_track_acceptance(VTX, left, -1, "pi", shifted, SEL)[0]
    # the outer radius stays about the z axis (1.17 m from it at STRAW1, 1.07 m from the hole centre: lost)
    assert not charged_track_acceptance(VTX, _track(-700.0, 0.0, 20_000.0), -1, "e", shifted, SEL)[0]


def test_dump_cards_state_the_displaced_straw_holes():
    from na62lab.config.base import load_card
    from na62lab.config.dump import DumpCard
    for name in ("na62_dump_2021", "na62_dump_run2"):
        assert load_card(name, DumpCard).geometry.straw_hole_x_m == (0.1012, 0.1144, 0.0924, 0.0528)
    assert Geometry().straw_hole_x_m == (0.0, 0.0, 0.0, 0.0)     # kaon mode: beam along z (APPROXIMATION)
