"""One voice in the CLI: every option follows the README "Conventions" table.

The table in README.md (section "Conventions") is the contract: each option of each
command must be listed there, no command may use a spelling the table forbids
(``-err``, ``--mass-min``, ``--couplings``...), every command takes ``-h`` and ``--json``
with one help text, and the JSON keys of the quick commands follow the key rules.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer

from na62lab.cli.main import _register, app, main

README = Path(__file__).resolve().parents[2] / "README.md"
FORBIDDEN = (re.compile(r"-err$"), re.compile(r"-(min|max)$"), re.compile(r"^--couplings$"),
             re.compile(r"^--masses$"), re.compile(r"_"), re.compile(r"[A-Z]"))
"""Option spellings the conventions exclude: -err (use -error), -min/-max (use -range LOW,HIGH),
plural list options (repeat the singular), underscores and capitals."""


def _commands():
    _register()
    root = typer.main.get_command(app)

    def walk(cmd, path):
        subs = getattr(cmd, "commands", None)
        if subs:
            yield path, cmd
            for name, sub in subs.items():
                yield from walk(sub, path + [name])
        else:
            yield path, cmd

    return list(walk(root, []))


def _leaf_options():
    out = {}
    for path, cmd in _commands():
        if getattr(cmd, "commands", None):
            continue
        for p in cmd.params:
            if getattr(p, "hidden", False):   # deprecated spellings kept as hidden aliases
                continue
            for opt in p.opts + list(getattr(p, "secondary_opts", [])):
                if opt.startswith("-"):
                    out.setdefault(opt, []).append(" ".join(path) or "na62lab")
    return out


def _documented() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Conventions", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    assert len(rows) > 10, "the Conventions table is missing from README.md"
    return {m for row in rows for m in re.findall(r"`(--?[a-z][a-z0-9-]*)", row)}


def test_every_option_is_in_the_conventions_table():
    documented = _documented()
    missing = {opt: cmds for opt, cmds in _leaf_options().items() if opt not in documented | {"--help", "-h"}}
    assert not missing, f"options not in README's Conventions table: {missing}"


@pytest.mark.parametrize("pattern", FORBIDDEN, ids=lambda p: p.pattern)
def test_no_forbidden_spelling(pattern):
    bad = {opt: cmds for opt, cmds in _leaf_options().items() if pattern.search(opt.lstrip("-"))}
    assert not bad, f"{pattern.pattern}: {bad}"


def test_json_and_help_everywhere():
    """Every leaf command takes -h; every command that prints results takes --json with one help text."""
    helps = set()
    for path, cmd in _commands():
        if getattr(cmd, "commands", None) or path in (["version"], ["warmup"]):
            continue
        names = {o for p in cmd.params for o in p.opts}
        assert "--json" in names, f"{' '.join(path)} has no --json"
        helps |= {p.help for p in cmd.params if "--json" in p.opts}
    assert helps == {"print exactly one JSON object on stdout"}


@pytest.mark.parametrize("args", [[], ["theory"], ["fip"], ["simulate"]])
def test_bare_groups_print_help(args, capsys):
    assert main(args) == 0
    assert "Usage:" in capsys.readouterr().out


def test_short_help_and_version(capsys):
    from na62lab import __version__

    assert main(["limit", "-h"]) == 0 and "--observed" in capsys.readouterr().out
    assert main(["--version"]) == 0 and capsys.readouterr().out.strip() == __version__


KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def _keys(obj, skip=("branching_ratios", "parents", "kinematic_limits_gev", "mixing_angles", "error_budget",
                     "inputs")):
    """Convention keys of a JSON object (data-keyed maps such as channel -> BR are skipped)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            if k not in skip:
                yield from _keys(v, skip)
    elif isinstance(obj, list):
        for v in obj:
            yield from _keys(v, skip)


@pytest.mark.parametrize("args", [
    ["limit", "--observed", "2", "--background", "0.5", "--ses", "1e-10"],
    ["limit", "--observed", "5", "--background", "0.2", "--method", "fc"],
    ["discovery", "--background", "0.1", "--background-up", "0.05"],
    ["measure", "--observed", "5", "--background", "1", "--ses", "1e-10", "--reference", "3e-10"],
    ["theory", "pinunu"],
    ["fip", "info", "--model", "alp-gluon", "--mass", "0.5", "--coupling", "1e-5"],
    ["fip", "production", "--model", "dark-scalar", "--mass", "0.2", "--coupling", "1e-4"],
])
def test_json_key_rules(args, capsys):
    assert main(args + ["--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    keys = set(_keys(out))
    assert all(KEY.match(k) for k in keys), [k for k in keys if not KEY.match(k)]
    assert not [k for k in keys if re.search(r"_error_(up|down)$|_(lo|hi)$|^err_", k)]
    assert not [k for k in keys if "mass" in k and not k.endswith("_gev")]
    assert "inv_fG" not in json.dumps(out), "internal coupling names reach the user"


def test_readme_tour_shows_every_command():
    text = README.read_text(encoding="utf-8")
    tour = text.split("## A 5-minute tour", 1)[1].split("\n## ", 1)[0]
    missing = [" ".join(path) for path, cmd in _commands()
               if path and not getattr(cmd, "commands", None) and f"na62lab {' '.join(path)}" not in tour]
    assert not missing, f"commands the README tour does not show: {missing}"


@pytest.mark.parametrize("old, new", [
    (["discovery", "--background", "0.01", "--background-error", "0.005"],
     ["discovery", "--background", "0.01", "--background-up", "0.005"]),
    (["theory", "pinunu", "--vcb-err", "0.001"], ["theory", "pinunu", "--vcb-error", "0.001"]),
])
def test_old_spellings_are_hidden_aliases(old, new, capsys):
    """Renamed options still work (same JSON), say so on stderr, and are not in the help."""
    assert main(old + ["--json"]) == 0
    out_old, err = capsys.readouterr()
    assert main(new + ["--json"]) == 0
    out_new, _ = capsys.readouterr()
    assert json.loads(out_old) == json.loads(out_new) and "deprecated" in err
    assert main(old[:2] + ["-h"] if old[0] == "theory" else old[:1] + ["-h"]) == 0
    assert f"{old[-2]} <" not in capsys.readouterr().out
