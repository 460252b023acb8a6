"""cli.main: exit codes and the one-line contract (0, 1, 2, 70, 130/143)."""

from __future__ import annotations

import errno
import signal

import pytest

from na62lab.cli import common
from na62lab.cli.main import interrupt_line, main, usage_line


def test_version(capsys):
    assert main(["version"]) == 0
    assert capsys.readouterr().out.strip()


def test_usage_error_is_one_line(capsys):
    assert main(["limit", "--observed", "x", "--background", "1"]) == 2
    err = capsys.readouterr().err
    assert err == "na62lab: error: invalid --observed: allowed a valid integer (unable to parse string as an integer)\n"


def test_internal_error_is_one_line_without_traceback(monkeypatch, capsys):
    def boom(*a, **k):
        raise ZeroDivisionError("division by zero")
    monkeypatch.setattr("na62lab.stats.discovery.min_observed", boom)
    monkeypatch.delenv("NA62LAB_DEBUG", raising=False)
    assert main(["discovery", "--background", "1"]) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: ZeroDivisionError" in err and "Traceback" not in err


def test_debug_shows_the_traceback(monkeypatch):
    def boom(*a, **k):
        raise ZeroDivisionError("x")
    monkeypatch.setattr("na62lab.stats.discovery.min_observed", boom)
    monkeypatch.setenv("NA62LAB_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["discovery", "--background", "1"])


def test_os_error_while_writing_is_exit_1(monkeypatch, capsys, tmp_path):
    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "w.json"))
    monkeypatch.setattr("na62lab.stats.pyhf_export.to_pyhf_workspace", full)
    assert main(["measure", "--observed", "3", "--background", "1", "--ses", "1e-11",
                 "--pyhf-workspace", str(tmp_path / "w.json")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err


def test_sigterm_during_a_command_is_143(monkeypatch, capsys):
    def interrupted(*a, **k):
        common.STATE.signal = signal.SIGTERM
        raise SystemError("<numba function> returned a result with an exception set")
    monkeypatch.setattr("na62lab.stats.discovery.min_observed", interrupted)
    assert main(["discovery", "--background", "1"]) == 143
    assert capsys.readouterr().err.startswith("na62lab: interrupted by SIGTERM")


def test_interrupt_line_counts_complete_chunks(tmp_path):
    common.STATE.out, common.STATE.command = tmp_path, "simulate kaon"
    common.STATE.policy = common.POLICIES["simulate kaon"]
    for i in range(3):
        (tmp_path / f"chunk_0000{i}.parquet").write_text("x")
    (tmp_path / ".chunk_00003.parquet.abc.part").write_text("partial")
    line = interrupt_line(signal.SIGINT)
    assert "3 complete chunk files kept" in line and "resume" in line
    assert not list(tmp_path.glob(".*.part"))


def test_usage_line_passthrough():
    assert usage_line("No such option: --foo\n") == "No such option: --foo"


@pytest.mark.parametrize("argv, option", [
    (["limit", "--observed", "1", "--observed", "2", "--background", "0.5"], "--observed"),
    (["limit", "--observed=1", "--background", "0.5", "--background=0.7"], "--background"),
    (["fip", "info", "--model", "dark-photon", "--mass", "0.1", "--mass", "0.2", "--coupling", "1e-5"], "--mass"),
])
def test_single_valued_option_given_twice_is_refused(argv, option, capsys):
    """Click keeps the last of a repeated single-valued option: `limit --observed 1 --observed 2` printed
    the limit for 2 events alone (t93 review); now one line naming the option, exit 2."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"invalid {option}='given 2 times': allowed once" in err


def test_list_options_may_repeat(capsys):
    """Options that take one value per category still repeat (README tour's `measure`)."""
    argv = ["measure", "--observed", "20", "--observed", "31", "--background", "7", "--background", "11",
            "--ses", "8.39e-12", "--ses", "8.48e-12", "--json"]
    assert main(argv) == 0
    assert '"br"' in capsys.readouterr().out


def _leaves(group, path=()):
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            yield from _leaves(cmd, (*path, name))
        else:
            yield (*path, name), cmd


def test_every_single_valued_option_is_refused_twice(capsys):
    """Exhaustive over the command tree: each option that takes one value, given twice, is one line, exit 2,
    before anything runs (the check precedes parsing, so no command body starts)."""
    import typer

    from na62lab.cli.main import _register, app

    _register()
    checked = 0
    for path, cmd in _leaves(typer.main.get_command(app)):
        for p in cmd.params:
            if getattr(p, "multiple", True) or getattr(p, "is_flag", False) or not getattr(p, "opts", None):
                continue
            opt = p.opts[0]
            assert main([*path, opt, "1", opt, "1"]) == 2, (path, opt)
            err = capsys.readouterr().err
            assert err == f"na62lab: error: invalid {opt}='given 2 times': allowed once for this command" \
                + (" (limit and discovery take one category; measure takes one per category)"
                   if opt in ("--observed", "--background") else "") + "\n", err
            checked += 1
    assert checked > 40


def test_a_bug_in_a_user_model_is_named_as_such(tmp_path, capsys, monkeypatch):
    """A user model raising in its own method (1/0 in reduced_widths) was 'internal error: ZeroDivisionError'
    (exit 70), as if na62lab had failed; now exit 2 naming the user's file and line (t93 review)."""
    monkeypatch.delenv("NA62LAB_DEBUG", raising=False)
    f = tmp_path / "buggy.py"
    f.write_text("from na62lab.fips.base import FIPModel\n\n\nclass X(FIPModel):\n    name = 'x'\n"
                 "    coupling_name = 'g'\n\n    def reduced_widths(self, m):\n        return {'ee': 1 / 0}\n\n"
                 "    def reduced_production(self, m):\n        return {}\n")
    assert main(["fip", "info", "--model", f"{f}:X", "--mass", "0.1", "--coupling", "1e-5"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"in your code at {f}:9: ZeroDivisionError" in err, err
