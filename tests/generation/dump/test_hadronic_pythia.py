"""Pythia hadronisation of hand-filled colour-singlet parton pairs (na62lab.generation.dump.hadronic_pythia;
Pythia 8.3, Bierlich et al. arXiv:2203.11601): the library maker's physics checked at double precision."""

import numpy as np
import pytest

pytest.importorskip("pythia8mc")
pytestmark = pytest.mark.pythia

from na62lab.generation.dump import hadronic_decays as hd  # noqa: E402
from na62lab.generation.dump.hadronic_pythia import hadronise  # noqa: E402


@pytest.mark.parametrize("channel, mass", [("gg", 3.0), ("cc", 4.0), ("tautau", 4.0), ("ud", 2.0), ("cs", 3.0)])
def test_pythia_decays_conserve_charge_and_four_momentum(channel, mass):
    out = hadronise(channel, mass, 40, seed=11)
    assert len(out["pdg"]) == 40
    for ids, p in zip(out["pdg"], out["p"]):
        _, q = hd._codes(ids)
        assert q.sum() == (1 if channel in ("ud", "cs") else 0)        # u dbar, c sbar: charge +1
        e = np.sqrt(np.array([out["masses"][i] for i in ids]) ** 2 + np.sum(p * p, axis=1))
        assert np.allclose(p.sum(axis=0), 0.0, atol=1e-9) and abs(e.sum() - mass) < 1e-6
    again = hadronise(channel, mass, 40, seed=11)
    assert all(np.array_equal(a, b) for a, b in zip(out["pdg"], again["pdg"]))    # seeded: reproducible
