"""Cards: shipped cards validate, bad cards give one-line errors."""

import pytest

from na62lab.config.base import card_names, load_card
from na62lab.config.geometry import Geometry
from na62lab.config.pinunu import PinunuCard
from na62lab.errors import InputError


def test_shipped_pinunu_card_loads():
    assert "na62_pinunu_published" in card_names()
    card = load_card("na62_pinunu_published", PinunuCard)
    assert card.dataset("2021-22").observed == 31


def test_bad_value_names_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("datasets:\n  - name: x\n    observed: -3\n    background: 1\n    ses: 1e-10\n"
                    "    published: {reference: me}\n")
    with pytest.raises(InputError) as err:
        load_card(path, PinunuCard)
    assert "datasets.0.observed" in str(err.value) and "\n" not in str(err.value)


def test_unknown_key_and_unknown_card(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("lkr_mm: 3\n")
    with pytest.raises(InputError, match="lkr_mm"):
        load_card(path, Geometry)
    with pytest.raises(InputError, match="card"):
        load_card("no_such_card", Geometry)


def test_combination_of_unknown_dataset(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("datasets:\n  - name: x\n    combine: [y]\n    published: {reference: me}\n")
    with pytest.raises(InputError, match="unknown datasets"):
        load_card(path, PinunuCard)


# --- NA62 2021 beam-dump card: published numbers pinned, every channel input labelled ------------

import re  # noqa: E402
from importlib import resources  # noqa: E402

import yaml  # noqa: E402

from na62lab.config.dump import DumpCard  # noqa: E402

_LABELS = ("checked:", "unverified", "assumed", "contour", "public:")
_NUMBER = r"[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?"
_FIELD_LINE = re.compile(rf"^\s*#\s+(?P<field>[a-z_]+)\s+(?P<num>{_NUMBER})\s*"
                         r"(?:\((?P<scope>[^)]*)\))?\s+(?P<rest>.*)$")


def _card_text(name):
    return (resources.files("na62lab.config") / "cards" / f"{name}.yaml").read_text()


def test_dump_2021_exposure_is_the_published_one():
    """1.4e17 protons on dump: abstracts of JHEP 09 (2023) 035 (arXiv:2303.08666), PRL 133 (2024)
    111802 (arXiv:2312.12055) and EPJC 85 (2025) 571 (arXiv:2502.04241), "a sample of
    1.4 x 10^17 protons on dump collected in 2021".  Exact: the card must quote the paper."""
    card = load_card("na62_dump_2021", DumpCard)
    assert card.run.n_pot == pytest.approx(1.4e17, rel=1e-12)
    block = _card_text("na62_dump_2021").split("n_pot:")[0].rsplit("run:", 1)[1]
    assert "checked:" in block and "1.4 x 10^17" in block


def _channel_blocks(text):
    """{channel: comment lines of the nearest comment block above its line} in the channels section."""
    section = text.split("\nchannels:\n", 1)[1].splitlines()
    blocks, current, previous_was_comment = {}, [], False
    for line in section:
        is_comment = line.lstrip().startswith("#")
        if is_comment:
            current = current if previous_was_comment else []
            current.append(line)
        elif re.match(r"^  [A-Za-z0-9]+:", line):
            blocks[line.split(":")[0].strip()] = current
        previous_was_comment = is_comment
    return blocks


def _labelled(block, channel, field, value):
    for line in block:
        m = _FIELD_LINE.match(line)
        if not m or m["field"] != field or not m["rest"].startswith(_LABELS):
            continue
        scope = [s.strip() for s in (m["scope"] or "all").split(",")]
        if ("all" in scope or channel in scope) and float(m["num"]) == pytest.approx(value, rel=1e-12):
            return True
    return False


def test_dump_2021_every_channel_input_carries_a_source_label_and_its_value():
    """Each channel number has a comment line `field value [(channels)] label` with label one of
    checked: / unverified / assumed / contour, stating the value the card uses (an edit of a
    number without its provenance fails here)."""
    text = _card_text("na62_dump_2021")
    raw = yaml.safe_load(text)["channels"]
    blocks = _channel_blocks(text)
    assert set(blocks) == set(raw)
    missing = [(c, f) for c, fields in raw.items() for f, v in fields.items()
               if not _labelled(blocks[c], c, f, v[0] if isinstance(v, list) else v)]
    assert not missing, missing


_PUBLIC_BACKGROUNDS_2021 = {   # channel: (SR, SR error down, SR error up, CR) expected events at 1.4e17 POT
    "ee": (0.0094, 0.0070, 0.038, None), "mumu": (0.016, 0.002, 0.002, None),
    "pipi": (0.007, 0.005, 0.005, 0.013), "pipigamma": (0.007, 0.004, 0.004, 0.031),
    "3pi": (1.2e-7, 1.0e-7, 4.3e-7, 1.3e-7), "4pi": (1.6e-8, 1.4e-8, 7.4e-8, 1.6e-8),
    "KK": (4.6e-7, 3.8e-7, 15.2e-7, 4.7e-7), "KKpi": (1.5e-9, 1.2e-9, 3.1e-9, 1.6e-9),
    "pipieta": (7.0e-8, 5.8e-8, 26.2e-8, 7.3e-8)}
"""NA62's public expected backgrounds of the 2021 dump searches: the table of EPJC 85 (2025) 571 (signal and
control regions, hadronic channels, 68 % CL errors, asymmetric ones as published) and the di-lepton SR numbers
of PRL 133 (2024) 111802 (e+e-, 0.0094 -0.009 +0.049 at 90 % CL: the card's errors are the 90 % CL excursions
/ 1.28, 0.0070 down and 0.038 up) and JHEP 09 (2023) 035 (mu+mu-, combinatorial 0.016 +- 0.002), as NA62
presented them at the Patras Workshop 2025 (card label "public:").  The e+e- and mu+mu- control regions are
not published: the card assumes 10 x SR there (None here)."""


def test_dump_2021_backgrounds_are_the_public_ones():
    card = load_card("na62_dump_2021", DumpCard)
    for name, (sr, down, up, cr) in _PUBLIC_BACKGROUNDS_2021.items():
        ch = card.channels[name]
        assert ch.background == pytest.approx(sr, rel=1e-12), name
        assert ch.error_down == pytest.approx(down, rel=1e-12, abs=1e-15), name
        assert ch.error_up == pytest.approx(up, rel=1e-12, abs=1e-15), name
        if cr is not None:
            assert ch.control_background == pytest.approx(cr, rel=1e-12), name
        else:
            assert ch.control_background == pytest.approx(10 * sr, rel=1e-12), name


def test_dump_run2_backgrounds_are_the_2021_ones_scaled_by_exposure():
    """The Run 2 projection scales the 2021 backgrounds (NA62's public numbers) by N_POT(Run 2)/N_POT(2021);
    the card rounds to 2-3 significant figures (worst case 0.0143 -> 0.014, 2 %)."""
    c21, run2 = load_card("na62_dump_2021", DumpCard), load_card("na62_dump_run2", DumpCard)
    scale = run2.run.n_pot / c21.run.n_pot
    assert scale == pytest.approx(1e18 / 1.4e17)
    assert set(run2.channels) == set(c21.channels)
    for name, ch in run2.channels.items():
        ref = c21.channels[name]
        assert ch.observed == 0, name
        for field in ("background", "error_down", "error_up", "control_background"):
            assert getattr(ch, field) == pytest.approx(scale * getattr(ref, field), rel=0.025), (name, field)


def test_dump_brems_form_factor_is_a_choice_and_old_switches_still_load(tmp_path):
    """production.brems_form_factor: faessler (default), none, alpinist_isospin_modulus; the former
    true/false load as faessler/none; anything else is one line naming field, value and choices."""
    from na62lab.config.base import parse_card

    assert DumpCard().production.brems_form_factor == "faessler"
    assert load_card("na62_dump_2021", DumpCard).production.brems_form_factor == "faessler"
    for value, want in ((True, "faessler"), (False, "none"), ("none", "none"),
                        ("alpinist_isospin_modulus", "alpinist_isospin_modulus")):
        card = parse_card({"production": {"brems_form_factor": value}}, DumpCard)
        assert card.production.brems_form_factor == want
    path = tmp_path / "old.yaml"
    path.write_text("production:\n  brems_form_factor: false\n")
    assert load_card(path, DumpCard).production.brems_form_factor == "none"
    path.write_text("production:\n  brems_form_factor: alpinist\n")
    with pytest.raises(InputError) as err:
        load_card(path, DumpCard)
    text = str(err.value)
    assert "production.brems_form_factor" in text and "alpinist" in text and "\n" not in text
    assert all(choice in text for choice in ("faessler", "'none'", "alpinist_isospin_modulus"))


@pytest.mark.parametrize("value", ["-0.01", "abc", ".inf", "inf", ".nan"])
@pytest.mark.parametrize("field", ["background_error_up", "background_error", "background", "control_background"])
def test_dump_background_fields_reject_bad_numbers_in_one_line(tmp_path, field, value):
    """A channel's background numbers (events) must be finite and >= 0: a negative, non-numeric, infinite or NaN
    value is one line naming the field (an infinite one passed the card and failed inside the limit code,
    naming its own argument)."""
    path = tmp_path / "bad.yaml"
    entries = {"observed": "0", "background": "0.01", field: value}
    path.write_text("channels:\n  ee: {" + ", ".join(f"{k}: {v}" for k, v in entries.items()) + "}\n")
    with pytest.raises(InputError) as err:
        load_card(path, DumpCard)
    assert f"channels.ee.{field}" in str(err.value) and "\n" not in str(err.value)


def test_an_unknown_card_name_lists_the_cards_of_its_kind(capsys):
    """`sensitivity --card nope` listed all 18 shipped cards, kaon and search cards included (t93 review)."""
    from na62lab.cli.main import main

    assert main(["sensitivity", "--model", "dark-photon", "--card", "nope"]) == 2
    err = capsys.readouterr().err
    assert "shipped dump cards: bebc, charm, hike, na62_dump_2021, na62_dump_run2, nucal, shadows, ship" in err
    assert "na62_search" not in err and "na62_kaon" not in err and err.count("\n") == 1
