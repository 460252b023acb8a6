"""Fuzz the card YAML of every card-reading command (issue 18, item 5).

Mutations of the shipped cards that are certainly invalid: an unknown field
added to a section, a number replaced by text, a section replaced by a
scalar or a list, a required field removed, malformed YAML, binary bytes,
a huge file, a card of another kind.  Every one must end with exit 2, one
line naming the card field (or the YAML line), no traceback and no
``--out`` folder.
"""

from __future__ import annotations

import copy

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.conftest import assert_clean_refusal, run_cli

CARDS = {"na62_kaon_2021_22": ["simulate", "kaon", "--decays", "1000", "--quiet"],
         "na62_dump_2021": ["sensitivity", "--model", "dark-photon", "--grid", "4x4"],
         "na62_search_pi_x": ["search", "pi-x"]}
FUZZ = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _card(name: str) -> dict:
    from na62lab.config.base import read_yaml

    return read_yaml(name)


def _paths(node, prefix=()):
    """(path, value) of every mapping and leaf under ``node``."""
    yield prefix, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))


def _set(data: dict, path: tuple, value) -> None:
    node = data
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value


def _model_paths(name: str) -> set[tuple]:
    """Paths of the card that are pydantic sub-models (fixed fields; not free-form dicts)."""
    from na62lab.config.base import Card
    from na62lab.config.dump import DumpCard
    from na62lab.config.kaon import KaonCard
    from na62lab.config.searches import PeakSearchCard

    model = {"na62_kaon_2021_22": KaonCard, "na62_dump_2021": DumpCard, "na62_search_pi_x": PeakSearchCard}[name]
    out, todo = set(), [((), model)]
    while todo:
        path, m = todo.pop()
        out.add(path)
        for field, info in m.model_fields.items():
            ann = info.annotation
            if isinstance(ann, type) and issubclass(ann, Card):
                todo.append(((*path, field), ann))
    return out


def _required_paths(name: str) -> list[tuple]:
    from na62lab.config.base import Card
    from na62lab.config.dump import DumpCard
    from na62lab.config.kaon import KaonCard
    from na62lab.config.searches import PeakSearchCard

    model = {"na62_kaon_2021_22": KaonCard, "na62_dump_2021": DumpCard, "na62_search_pi_x": PeakSearchCard}[name]
    out, todo = [], [((), model)]
    while todo:
        path, m = todo.pop()
        for field, info in m.model_fields.items():
            if info.is_required():
                out.append((*path, field))
            ann = info.annotation
            if isinstance(ann, type) and issubclass(ann, Card):
                todo.append(((*path, field), ann))
    return out


@st.composite
def bad_card(draw):
    name = draw(st.sampled_from(sorted(CARDS)))
    data = copy.deepcopy(_card(name))
    kind = draw(st.sampled_from(["extra", "text", "section", "required", "yaml", "binary", "kind"]))
    models = sorted(p for p in _model_paths(name) if _exists(data, p))
    if kind == "required" and not [p for p in _required_paths(name) if _exists(data, p)]:
        kind = "extra"  # every field of this card has a default
    if kind == "extra":
        path = draw(st.sampled_from(models))
        _set(data, (*path, "zz_" + draw(st.text("abcdefgh", min_size=1, max_size=6))), 1) if path else \
            data.__setitem__("zz_unknown", 1)
        return name, yaml.safe_dump(data).encode()
    if kind == "text":
        leaves = [p for p, v in _paths(data) if isinstance(v, (int, float)) and not isinstance(v, bool)
                  and p[:-1] in _model_paths(name)]
        _set(data, draw(st.sampled_from(leaves)), draw(st.sampled_from(["abc", "1,5", "ten", "[1", "--"])))
        return name, yaml.safe_dump(data).encode()
    if kind == "section":
        path = draw(st.sampled_from([p for p in models if p]))
        _set(data, path, draw(st.sampled_from([3, "text", [1, 2]])))
        return name, yaml.safe_dump(data).encode()
    if kind == "required":
        paths = [p for p in _required_paths(name) if _exists(data, p)]
        path = draw(st.sampled_from(paths))
        node = data
        for k in path[:-1]:
            node = node[k]
        del node[path[-1]]
        return name, yaml.safe_dump(data).encode()
    if kind == "yaml":
        text = yaml.safe_dump(data)
        lines = text.splitlines()
        i = draw(st.integers(1, len(lines) - 1))
        broken = draw(st.sampled_from(["  - [unclosed", "\tbad: tab", "key: value: other", "- item", ": x"]))
        return name, "\n".join([*lines[:i], broken, *lines[i:]]).encode()
    if kind == "binary":
        return name, draw(st.binary(min_size=1, max_size=256)).join([b"\x00", b"\xff\xfe"])
    other = draw(st.sampled_from([c for c in CARDS if c != name]))
    return name, yaml.safe_dump(_card(other)).encode()


def _exists(data, path) -> bool:
    node = data
    for k in path:
        if not isinstance(node, dict) or k not in node:
            return False
        node = node[k]
    return isinstance(node, dict) if path in () else True


@FUZZ
@given(case=bad_card())
def test_bad_cards(case, tmp_path_factory):
    name, content = case
    folder = tmp_path_factory.mktemp("card")
    card = folder / "card.yaml"
    card.write_bytes(content)
    out = folder / "out"
    argv = [*CARDS[name], "--card", str(card), "--out", str(out)]
    code, _, err = run_cli(argv)
    assert_clean_refusal(argv, code, err, out)
    assert err.startswith("na62lab: error: invalid ")


@pytest.mark.parametrize("name", sorted(CARDS))
def test_huge_card(name, tmp_path):
    card = tmp_path / "huge.yaml"
    card.write_text("name: x\n" + "# a comment line of a huge card file\n" * 170_000)   # 6.3 MB of text
    out = tmp_path / "out"
    argv = [*CARDS[name], "--card", str(card), "--out", str(out)]
    code, _, err = run_cli(argv)
    assert_clean_refusal(argv, code, err, out)
    assert "MB" in err
