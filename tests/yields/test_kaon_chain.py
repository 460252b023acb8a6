"""The one kaon chain (na62lab.yields.kaon_chain): the simulation, the search resolutions and the pi0 -> invisible
veto projection all run it, driven by a kaon card loaded from YAML (issue 15, item 1)."""

from __future__ import annotations

import numpy as np
import yaml

from na62lab.analyses import pi0_invisible
from na62lab.analyses.kaon_searches_common import resolution as res
from na62lab.config.base import parse_card
from na62lab.config.kaon import KaonCard, shipped_kaon_card
from na62lab.config.searches import Pi0InvisibleCard
from na62lab.yields import kaon_chain, kaon_sim


def _kaon_yaml(tmp_path, **changes) -> str:
    """The shipped kaon card with ``changes`` ({section: {field: value}}), written as YAML."""
    data = shipped_kaon_card().model_dump(mode="json")
    for section, fields in changes.items():
        data[section].update(fields)
    path = tmp_path / "kaon.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def test_simulation_resolution_and_veto_projection_run_the_one_chain(monkeypatch):
    calls = []
    original = kaon_chain.simulate_decays

    def spy(card, mode, *args, **kwargs):
        calls.append(mode)
        return original(card, mode, *args, **kwargs)

    monkeypatch.setattr(kaon_chain, "simulate_decays", spy)
    monkeypatch.setattr(kaon_sim, "simulate_decays", spy)
    card = shipped_kaon_card()
    card = card.model_copy(update={"run": card.run.model_copy(update={"fractions": {"pipi0": 1.0}})})
    kaon_sim.simulate_chunk(card, 500, np.random.default_rng(1))
    res.simulate_resolution_kaon_sim("K+", "mu+", [200.0], (5.0, 70.0), np.random.default_rng(1), 300)
    pi0_invisible.simulated_background(pi0_invisible.load(), n=1000, rng=np.random.default_rng(1))
    assert calls == ["pipi0", "mu_N", "pipi0"]


def test_the_kaon_card_comes_from_yaml_not_from_field_defaults():
    # the KaonCard field defaults differ from the shipped card (e.g. run.pair_orientations); the chain's default
    # is the shipped YAML card
    assert kaon_chain.kaon_card() == shipped_kaon_card()
    assert kaon_chain.kaon_card("na62_kaon_2021_22") == shipped_kaon_card()
    assert KaonCard().run.pair_orientations != shipped_kaon_card().run.pair_orientations


def test_search_card_names_the_kaon_card_of_its_veto_projection(tmp_path):
    card = pi0_invisible.load()
    assert card.resolution.kaon_card == "na62_kaon_2021_22"
    data = card.model_dump()
    data["resolution"]["kaon_card"] = _kaon_yaml(tmp_path, run={"pi0_orientations": 3})
    out = pi0_invisible.simulated_background(parse_card(data, Pi0InvisibleCard), n=2000)
    assert out["orientations"] == 3


def test_kaon_sim_resolution_follows_the_kaon_card(tmp_path):
    # a GTK momentum resolution 10x worse (0.2 % -> 2 %) widens the m_miss^2 peak of K+ -> mu+ N (1.6x measured)
    worse = _kaon_yaml(tmp_path, gtk={"momentum_resolution": 0.02})
    a = res.simulate_resolution_kaon_sim("K+", "mu+", [250.0], (5.0, 70.0), np.random.default_rng(4), 600)
    b = res.simulate_resolution_kaon_sim("K+", "mu+", [250.0], (5.0, 70.0), np.random.default_rng(4), 600,
                                         kaon_card=worse)
    assert b.sigma_mmiss2[0] > 1.3 * a.sigma_mmiss2[0]


def test_same_seed_same_chain():
    card = shipped_kaon_card()
    a = kaon_chain.simulate_decays(card, "pi_X", 400, np.random.default_rng(7), m_x=100.0)
    b = kaon_chain.simulate_decays(card, "pi_X", 400, np.random.default_rng(7), m_x=100.0)
    assert a.response is not None and b.response is not None
    assert np.array_equal(a.response.p, b.response.p, equal_nan=True) and a.w_split is None
    assert np.array_equal(a.origin, np.arange(400))


def test_shipped_search_cards_name_their_kaon_card():
    from na62lab.config.base import card_names, read_yaml

    named = [n for n in card_names() if n.startswith("na62_search_")
             and read_yaml(n).get("resolution", {}).get("source") == "kaon_sim"]
    assert len(named) >= 5
    assert all(read_yaml(n)["resolution"]["kaon_card"] == "na62_kaon_2021_22" for n in named)
