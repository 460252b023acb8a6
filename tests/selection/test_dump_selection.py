"""Dump signal selection: fiducial volume and pointing back to the TAX."""

import numpy as np
import pytest

from na62lab.config.dump import DumpCard, DumpSelection
from na62lab.selection.dump_selection import (in_fiducial_volume, pointing_distance, select_dump,
                                              tax_reference_z, trigger_efficiency)

CARD = DumpCard(selection=DumpSelection(angle_resolution_urad=0.0))


def test_fiducial_volume():
    v = np.array([[0, 0, 104_000.0], [0, 0, 150_000.0], [0, 0, 181_000.0]])
    assert in_fiducial_volume(v, CARD).tolist() == [False, True, False]


def test_a_fip_from_the_tax_points_back_exactly():
    z0 = tax_reference_z(CARD)
    direction = np.array([[0.002, -0.001, 1.0]]) * 50_000.0
    vertex = np.array([[0.0, 0.0, z0]]) + direction / direction[0, 2] * (150_000.0 - z0)
    d = pointing_distance(vertex, direction, CARD, np.random.default_rng(0))
    assert d[0] == pytest.approx(0.0, abs=1e-6)
    off = pointing_distance(vertex + [[30.0, 0.0, 0.0]], direction, CARD, np.random.default_rng(0))
    assert off[0] == pytest.approx(30.0, rel=1e-9)


def test_full_selection_and_trigger():
    z0 = tax_reference_z(CARD)
    vertex = np.array([[0.0, 0.0, 150_000.0]])
    e1 = np.array([[0, 30.0, 0.0, 15_000.0]])
    e2 = np.array([[0, -30.0, 0.0, 15_000.0]])
    for e in (e1, e2):
        e[:, 0] = np.linalg.norm(e[:, 1:], axis=1)
    vertex[:, :2] = 0.0 + 0.0 * z0
    ok = select_dump(vertex, [e1, e2], ("e", "e"), (1, -1), CARD, np.random.default_rng(1))
    assert ok[0]
    assert trigger_efficiency("ee", CARD) == pytest.approx(0.95)
    assert trigger_efficiency("gammagamma", CARD) == pytest.approx(0.9)
