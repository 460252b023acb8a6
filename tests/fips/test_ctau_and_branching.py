"""FIPModel.ctau_and_branching_ratios: the same numbers, bit for bit, as ctau and branching_ratios
(the dump grid's edge finding evaluates the widths once per mass set with it and reuses them)."""

import numpy as np
import pytest

from na62lab.fips import get_model

MODELS = ("dark-photon", "dark-scalar", "alp-fermion", "alp-gluon", "alp-photon", "hnl-e", "hnl-mu", "hnl-tau")


@pytest.mark.parametrize("name", MODELS)
def test_same_bits_as_the_two_calls(name):
    model = get_model(name)
    masses = np.geomspace(5.0, 3000.0, 37)[:, None]
    couplings = np.geomspace(1e-9, 1e-2, 5)[None, :]
    ctau, brs = model.ctau(masses, couplings), model.branching_ratios(masses, couplings)
    widths = (model.reduced_widths(masses), model.fixed_widths(masses))
    for given in (None, widths):
        got_ctau, got_brs = model.ctau_and_branching_ratios(masses, couplings, given)
        assert got_ctau.tobytes() == ctau.tobytes()
        assert list(got_brs) == list(brs)
        assert all(np.asarray(got_brs[k]).tobytes() == np.asarray(brs[k]).tobytes() for k in brs)
