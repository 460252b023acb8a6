"""Final states of one parton mixture share their decays in the efficiency tables (fip_decays.decay_key).

The gluon-coupled ALP (BC11) hadronises its inclusive ``other`` width as g g (ALP.inclusive_partons,
arXiv:1811.03474), exactly like its ``gg`` width: the two final states have the same decay distribution and
the same selection, so their efficiencies per unit BR are equal and are simulated once (the SHADOWS 10 x 10
BC11 grid built that table twice).  A final state of another mixture (the dark photon's fixed light q qbar
``other``) still gets its own decays.
"""

import numpy as np
import pytest

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard
from na62lab.fips import get_model
from na62lab.generation.dump.fip_decays import decay_key, inclusive_mixture
from na62lab.generation.dump.sources import production_modes
from na62lab.generation.dump.tables import load_table
from na62lab.yields import dump_tables

CARD = load_card("shadows", DumpCard)
MASS = 2000.0


@pytest.fixture(scope="module")
def sample():
    """B -> K a of 2 GeV (BC11) on the SHADOWS card, 400 FIPs (no thinning)."""
    model = get_model("alp-gluon")
    mode = next(m for m in production_modes(model, CARD, load_table(CARD.production.production_table)).modes
                if m.name == "B->Ka")
    return mode.sampler(MASS, 400, np.random.default_rng(3))


def _mixtures(model_name: str) -> dict:
    model = get_model(model_name)
    return {fs: inclusive_mixture(model, fs, MASS) for fs in ("gg", "other")}


def _counted(monkeypatch) -> list:
    calls: list = []
    real = dump_tables.decay_visible

    def counting(fs, *args, **kwargs):
        calls.append(fs)
        return real(fs, *args, **kwargs)

    monkeypatch.setattr(dump_tables, "decay_visible", counting)
    return calls


def test_decay_key_is_the_normalised_mixture():
    gg, other = _mixtures("alp-gluon").values()
    assert decay_key("gg", gg) == decay_key("other", other) == ("inclusive", (("gg", 1.0),))
    assert decay_key("other", {"ss": 1.0, "gg": 3.0}) == decay_key("other", {"gg": 0.75, "ss": 0.25})
    assert decay_key("other") != decay_key("gg")                   # the dark photon's u : d : s = 4 : 1 : 1
    assert decay_key("ee") == ("exclusive", "ee") != decay_key("mumu")


def test_alp_gluon_other_decayed_once_and_equal_to_gg(sample, monkeypatch):
    calls = _counted(monkeypatch)
    u, vertices = dump_tables._slices(sample, CARD, np.random.default_rng(1))
    flags = dump_tables.selection_flags(sample, ["gg", "other"], vertices, CARD, np.random.default_rng(2),
                                        _mixtures("alp-gluon"))
    assert calls == ["gg"]                                         # one decay batch for both
    assert np.array_equal(flags[:, 0], flags[:, 1]) and flags[:, 0].sum() > 100
    calls.clear()
    dump_tables.selection_flags(sample, ["gg", "other"], vertices, CARD, np.random.default_rng(2),
                                _mixtures("dark-photon"))
    assert calls == ["gg", "other"]                                # light q qbar: its own decays
    calls.clear()
    dump_tables.pilot_acceptance(sample, ["ee", "gg", "other"], CARD, np.random.default_rng(4), 1,
                                 _mixtures("alp-gluon"))
    assert calls == ["ee", "gg"]


def test_shared_column_agrees_with_other_simulated_alone(sample):
    """The shared column against ``other`` decayed on its own (other seed): the same acceptance within the
    decay-to-decay MC error (the FIPs and vertices are common; each entry an independent Bernoulli draw, so
    the binomial variance bounds the difference's).  Measured: 0.0477 against 0.0481 of 4800 decays, sigma
    0.0044."""
    u, vertices = dump_tables._slices(sample, CARD, np.random.default_rng(1))
    mix = _mixtures("alp-gluon")
    shared = dump_tables.selection_flags(sample, ["gg", "other"], vertices, CARD, np.random.default_rng(2), mix)
    alone = dump_tables.selection_flags(sample, ["other"], vertices, CARD, np.random.default_rng(9), mix)
    n = shared.shape[0]
    a, b = shared[:, 1].mean(), alone[:, 0].mean()
    sigma = np.sqrt((a * (1 - a) + b * (1 - b)) / n)
    assert abs(a - b) < 4 * sigma, (a, b, sigma)
    curves = dump_tables.efficiency_curves(sample, ["gg", "other"], CARD, np.random.default_rng(5), mix)
    assert np.array_equal(curves[:, 0], curves[:, 1]) and curves.max() > 0
