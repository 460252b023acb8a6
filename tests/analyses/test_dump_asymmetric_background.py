"""Asymmetric background errors of the dump channels (ChannelInput.background_error_up).

NA62's public backgrounds are asymmetric: e+e- SR 0.0094 -0.009 +0.049 at 90 % CL (PRL 133 (2024) 111802),
the hadronic table of EPJC 85 (2025) 571 at 68 % CL, e.g. K+K- (4.6 +15.2 -3.8) e-7.  The card's
``background_error`` is the downward 1 sigma and, unless ``background_error_up`` is given, the upward one too;
the combined inputs carry both (quadrature sums), and the limits, expected bands and 5 sigma table take the
(up, down) pair.  No Monte Carlo here: the counting statistics only.
"""

from __future__ import annotations

import numpy as np
import pytest

from na62lab.analyses import beam_dump
from na62lab.analyses.beam_dump_result import CombinedInputs
from na62lab.analyses.beam_dump_validation import background_free
from na62lab.config import load_card
from na62lab.config.dump import ChannelInput, DumpCard
from na62lab.stats.discovery import min_observed
from na62lab.stats.limits import expected_limit_bands, upper_limit

CARD = load_card("na62_dump_2021", DumpCard)


def _card(**ee) -> DumpCard:
    """The 2021 card with its e+e- channel replaced (observed 1, background 0.0094 unless given)."""
    fields = {"observed": 1, "background": 0.0094, **ee}
    return CARD.model_copy(update={"channels": {**CARD.channels, "ee": ChannelInput(**fields)}})


def test_default_up_error_is_the_symmetric_one():
    ch = ChannelInput(background=0.5, background_error=0.1)
    assert ch.background_error_up is None and ch.error_up == ch.error_down == 0.1
    ch = ChannelInput(background=0.5, background_error=0.1, background_error_up=0.4)
    assert (ch.error_up, ch.error_down) == (0.4, 0.1)


def test_symmetric_default_reproduces_the_one_error_limits_bit_for_bit():
    """Channels without background_error_up: the limits are those of the former single quadrature error."""
    chans = ["mumu", "pipi", "pipigamma"]
    inputs = beam_dump.combined_inputs(CARD, chans)
    b = sum(CARD.channels[c].background for c in chans)
    db = float(np.sqrt(sum(CARD.channels[c].background_error ** 2 for c in chans)))
    assert inputs.errors == (db, db) and inputs.background == b
    lim = beam_dump.event_limits(CombinedInputs(1, b, db), 0.9)
    assert lim.observed == upper_limit(1, b, db, db, cl=0.9)
    assert lim.plus2 == expected_limit_bands(b, db, db, cl=0.9)["band_2sigma"][1]
    assert lim == beam_dump.event_limits(inputs.__class__(1, b, db, db), 0.9)


def test_up_error_reaches_the_limits():
    """e+e- with the card's 0.038 up error against the symmetric 0.0070: another observed limit (n = 1),
    equal to upper_limit with the (up, down) pair."""
    asym = beam_dump.combined_inputs(_card(background_error=0.0070, background_error_up=0.038), ["ee"])
    sym = beam_dump.combined_inputs(_card(background_error=0.0070), ["ee"])
    assert asym.errors == (0.038, 0.0070) and sym.errors == (0.0070, 0.0070)
    l_asym, l_sym = (beam_dump.event_limits(x, 0.9).observed for x in (asym, sym))
    assert l_asym == upper_limit(1, 0.0094, 0.038, 0.0070, cl=0.9)
    assert l_asym != pytest.approx(l_sym, rel=1e-4)
    by_mass = beam_dump.observed_limits(asym, np.array([0, 1, 1]), 0.9)
    assert by_mass[1] == by_mass[2] == l_asym


def test_discovery_table_takes_the_pair():
    """The (up, down) pair with the truncated-Gaussian constraint (beam_dump.DISCOVERY_NUISANCE): NA62 2021 e+e-
    (PRL 133 (2024) 111802, 0.0094 -0.009 +0.049 at 90 % CL) needs 4 events for 5 sigma, as with the symmetric
    0.0070 (3 without the error); the log-normal's upper tail would make it 27 (the reason for the choice)."""
    card = _card(background_error=0.0070, background_error_up=0.038)
    row = {r["channel"]: r for r in beam_dump.discovery_table(card, ["ee"])}["ee"]
    assert beam_dump.DISCOVERY_NUISANCE == "gaussian" == row["background_constraint"]
    assert (row["n_min_sr"], row["p_value_sr"]) == min_observed(0.0094, (0.038, 0.0070), 5.0, kind="gaussian")
    assert row["n_min_sr"] == 4 and min_observed(0.0094, 0.0, 5.0)[0] == 3
    assert min_observed(0.0094, (0.038, 0.0070), 5.0, kind="lognormal")[0] == 27


def test_combined_inputs_json_round_trip_with_and_without_the_up_key():
    x = CombinedInputs(1, 0.0324, 0.0088, 0.0384)
    assert CombinedInputs.from_dict(x.to_dict()) == x and x.to_dict()["background_error_up"] == 0.0384
    old = {"observed": 1, "background": 0.0324, "background_error": 0.0088}      # a record before the key
    y = CombinedInputs.from_dict(old)
    assert y.errors == (0.0088, 0.0088) and y.error_text == "+- 0.0088"
    assert CombinedInputs.from_dict(y.to_dict()) == y
    assert x.error_text == "+0.038 -0.0088"


def test_pot_projection_scales_both_errors_and_background_free_clears_them():
    card = _card(background_error=0.0070, background_error_up=0.038, control_background=0.094)
    ee = beam_dump.with_inputs(card, pot=1e18).channels["ee"]
    ratio = 1e18 / CARD.run.n_pot
    for got, want in ((ee.background, 0.0094), (ee.error_down, 0.0070), (ee.error_up, 0.038),
                      (ee.control_background, 0.094)):
        assert got == pytest.approx(want * ratio, rel=1e-12)
    assert beam_dump.with_inputs(CARD, pot=1e18).channels["mumu"].background_error_up is None
    free = background_free(card).channels["ee"]
    assert free.error_up == free.error_down == 0.0
