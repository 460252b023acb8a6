"""Expected events at one mass: ``expected_events(model, card, [m], couplings)`` returned 0 everywhere.

The acceptance-table nodes of a one-mass grid were n_mass_nodes copies of that mass; the log-mass
interpolation between two equal nodes is 0/0 (a RuntimeWarning), read as no acceptance.  Only the
Python API can ask for one mass (the CLI needs NM >= 2 and LOW < HIGH).
"""

import warnings

import numpy as np
import pytest

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.yields.dump_grid import expected_events, mass_nodes

pytestmark = pytest.mark.usefixtures("isolated_cache")


def test_one_mass_is_one_node():
    assert mass_nodes(300.0, 300.0, 20, 1e4).tolist() == [300.0]
    assert mass_nodes(100.0, 400.0, 4, 1e4).size == 4          # a range keeps its log-spaced nodes


def test_expected_events_at_one_mass_are_those_of_its_table():
    card = load_card("na62_dump_2021", DumpCard).model_copy(
        update={"mc": DumpMC(n_fip=300, n_mass_nodes=4, n_z_bins=3, n_ctau_nodes=40)})
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        one = expected_events("dark-photon", card, np.array([300.0]), np.array([1e-6])).total
    # measured at 300 MeV (pi0 is closed, eta -> gamma A' and bremsstrahlung): tens of events at 1.4e17 POT
    assert one.shape == (1, 1) and np.isfinite(one[0, 0]) and one[0, 0] > 1.0
