"""Entry point of the ``na62lab`` command.

Sub-commands live in sibling modules and are registered below (one import
line each in :func:`_register`).  Every command is wrapped by
:func:`guard_commands`, which runs the shared checks of
:mod:`na62lab.cli.common` before the command's body: cross-field rules,
workers and scheduler (probed within seconds), every output path (writable
folder, free space for the estimate), and the run record of a resumable
output folder (such a command takes ``--overwrite``).

Exit codes: 0 success; 1 an output could not be written (one line, the
previous complete files kept); 2 bad input (one line naming the field, the
value and what is allowed); 70 an internal error (one line; set
``NA62LAB_DEBUG=1`` for the traceback); 130 / 143 interrupted by SIGINT /
SIGTERM (one line saying what was kept and how to resume).
"""

from __future__ import annotations

import functools
import os
import re
import signal
import sys
import threading
from pathlib import Path

import typer

from na62lab import __version__
from na62lab.errors import InputError, Na62labError, OutputError

app = typer.Typer(
    name="na62lab",
    help="Reproduce and extend the NA62 new-physics programme (kaon mode, beam dump, FIPs).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OUTPUT, EXIT_INPUT, EXIT_INTERNAL = 1, 2, 70


def _click_exceptions(name: str) -> tuple[type[BaseException], ...]:
    """The click exception ``name`` from typer's vendored click and/or click itself."""
    found = []
    for module in ("typer._click.exceptions", "click.exceptions"):
        try:
            found.append(getattr(__import__(module, fromlist=[name]), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


_EXIT = _click_exceptions("Exit") + (typer.Exit,)
_USAGE = _click_exceptions("UsageError")
_NO_ARGS = _click_exceptions("NoArgsIsHelpError")
_ABORT = _click_exceptions("Abort") + (typer.Abort,)


def _print_version(value: bool) -> None:
    if value:
        print(__version__)
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", help="print the na62lab version and exit",
                                       callback=_print_version, is_eager=True)) -> None:
    """Reproduce and extend the NA62 new-physics programme."""


@app.command()
def version() -> None:
    """Print the na62lab version."""
    print(__version__)


def _register() -> None:
    """Import the command modules; each adds its commands to ``app``."""
    from na62lab.cli import reproduce_cmd, stats_cmds, theory_cmds  # noqa: F401
    from na62lab.cli import sensitivity_cmds  # noqa: F401
    from na62lab.cli import fip_cmds  # noqa: F401
    from na62lab.cli import simulate_cmds  # noqa: F401
    # --- other stages register here (one import line each) ---
    from na62lab.cli import search_cmds  # noqa: F401
    from na62lab.cli import recast_cmd  # noqa: F401
    from na62lab.cli import warmup_cmd  # noqa: F401


# --------------------------------------------------------------------------- guards


def _remove_fresh(folder: Path) -> None:
    """Remove ``folder`` (created by this run) if it holds nothing but the run record and temporaries."""
    from na62lab.results.outputs import RUN_RECORD

    try:
        if folder.is_dir() and all(p.name == RUN_RECORD or p.name.endswith(".part") for p in folder.iterdir()):
            for p in folder.iterdir():
                p.unlink()
            folder.rmdir()
    except OSError:
        pass


def _staged_call(callback, params: dict, folder: Path):
    """Run ``callback`` with its output folder replaced by a staging copy, published whole on success."""
    from contextlib import redirect_stdout

    from na62lab.cli.common import OUT_FOLDERS, RenamedStream
    from na62lab.results.outputs import staged_folder

    name = next(n for n in OUT_FOLDERS if params.get(n) is not None)
    with staged_folder(folder) as stage, redirect_stdout(RenamedStream(sys.stdout, str(stage), str(folder))):
        return callback(**{**params, name: stage})


def _guard(path: str, callback, resumable: bool):
    """Wrap a command callback with the shared checks and the run-folder policy."""
    from na62lab.cli import common

    @functools.wraps(callback)
    def guarded(**params):
        overwrite = bool(params.get("overwrite", False))
        policy = common.POLICIES.get(path, common.RunPolicy())
        common.STATE.command, common.STATE.policy, common.STATE.out = path, policy, None
        folder = common.check_params(path, params)
        created = folder is not None and not folder.exists()
        common.STATE.out = folder
        try:
            if folder is not None and resumable:
                from na62lab.results.outputs import claim_run

                claim_run(folder, common.run_record(path, params), overwrite, policy.files)
            if folder is not None and policy.staged == "guard":
                return _staged_call(callback, params, folder)
            return callback(**params)
        except BaseException:
            if created:
                _remove_fresh(folder)
            raise
    return guarded


def guard_commands(group, prefix: str = "") -> None:
    """Wrap every leaf command under ``group`` once (see module doc)."""
    from na62lab.cli.common import POLICIES

    for name, cmd in getattr(group, "commands", {}).items():
        path = f"{prefix} {name}".strip()
        if hasattr(cmd, "commands"):
            guard_commands(cmd, path)
            continue
        if cmd.callback is None or getattr(cmd, "_na62lab_guarded", False):
            continue
        resumable = POLICIES.get(path) is not None and POLICIES[path].resumable
        cmd.callback = _guard(path, cmd.callback, resumable)
        cmd._na62lab_guarded = True


# --------------------------------------------------------------------------- interrupts


_DEFER_SECONDS = 0.02
"""Delay (s) before an interrupt that arrived inside numba's dispatcher is delivered again."""


def _in_numba(frame) -> bool:
    """True when ``frame`` or one of its callers runs numba or llvmlite code (kernel loading or compiling)."""
    while frame is not None:
        if frame.f_globals.get("__name__", "").startswith(("numba.", "llvmlite.")):
            return True
        frame = frame.f_back
    return False


def _on_signal(signum, frame) -> None:
    """First SIGINT/SIGTERM: remember it and interrupt the work; later ones: ignored while cleaning up.

    An exception raised inside numba's kernel loading or compilation can leave the dispatcher
    half set up, and the next call of that kernel crashes the process (SIGSEGV, measured 4 in 38
    interrupts 1.4-1.5 s into ``simulate kaon``); there the signal is delivered again a moment later.
    """
    from na62lab.cli.common import STATE

    if STATE.signal is not None:
        return
    if _in_numba(frame):
        threading.Timer(_DEFER_SECONDS, os.kill, (os.getpid(), signum)).start()
        return
    STATE.signal = signum
    raise KeyboardInterrupt


def _install_signals() -> dict:
    old = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            old[sig] = signal.signal(sig, _on_signal)
        except (ValueError, OSError):  # not the main thread (e.g. a test runner thread)
            pass
    return old


def _restore_signals(old: dict) -> None:
    for sig, handler in old.items():
        try:
            signal.signal(sig, handler)
        except (ValueError, OSError):  # pragma: no cover
            pass


def interrupt_line(signum: int) -> str:
    """One line: which signal, what was kept, how to resume."""
    from na62lab.cli.common import STATE

    name = signal.Signals(signum).name
    out, policy = STATE.out, STATE.policy
    if out is not None and out.is_dir():
        for tmp in out.glob(".*.part"):  # temporaries of killed writers (complete files are renamed)
            tmp.unlink(missing_ok=True)
    if out is None or not out.is_dir():
        return f"interrupted by {name}: nothing was written; rerun the same command to start again"
    if policy.resumable:
        n = len(list(out.glob(policy.kept)))
        return (f"interrupted by {name}: {n} complete chunk file{'s' if n != 1 else ''} kept in {out}; "
                "rerun the same command to resume from them")
    if policy.staged:
        return f"interrupted by {name}: {out} unchanged (partial results discarded); rerun the same command"
    return (f"interrupted by {name}: only complete files kept in {out} (each is written whole or not at all); "
            "rerun the same command to redo the rest")


# --------------------------------------------------------------------------- main


def _fail(code: int, text: str) -> int:
    from na62lab.cli.deprecated import take

    notes = take()
    suffix = f" (note: {'; '.join(notes)})" if notes else ""
    sys.stderr.write(f"na62lab: {text}{suffix}\n")
    return code


def usage_line(message: str) -> str:
    """Click's usage message on one line, with typer's pydantic sentence said the project's way.

    Examples
    --------
    >>> usage_line("Invalid value for '--observed': Input should be a valid integer, unable to parse string")
    'invalid --observed: allowed a valid integer (unable to parse string)'
    """
    text = " ".join(message.split())
    match = re.match(r"Invalid value for '([^']+)': Input should be (.*)", text)
    if match:
        allowed, _, why = match.group(2).partition(", ")
        return f"invalid {match.group(1)}: allowed {allowed}" + (f" ({why})" if why else "")
    return text


def _user_frame(exc: BaseException) -> str:
    """``file:line`` of the innermost traceback frame in a user model file (``--model file.py:Class``, loaded
    by :mod:`na62lab.fips.user_models` as a ``na62lab_user_model_*`` module), else ''."""
    where, tb = "", exc.__traceback__
    while tb is not None:
        if str(tb.tb_frame.f_globals.get("__name__", "")).startswith("na62lab_user_model_"):
            where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _outcome(exc: BaseException) -> int:
    """Exit code (and one line on stderr) for an exception that ended the command."""
    from na62lab.cli.common import STATE

    if STATE.signal is not None:  # whatever the interrupt turned into (numba re-raises it as SystemError)
        return _fail(128 + STATE.signal, interrupt_line(STATE.signal))
    if isinstance(exc, _EXIT):
        return int(getattr(exc, "exit_code", 0) or 0)
    if isinstance(exc, _NO_ARGS):  # a bare command or group prints its help
        sys.stdout.write(getattr(exc, "format_message")().rstrip("\n") + "\n")
        return 0
    if isinstance(exc, _USAGE):
        return _fail(EXIT_INPUT, f"error: {usage_line(getattr(exc, 'format_message')())}")
    if isinstance(exc, SystemExit):  # typer's own exit on a closed stdout (EPIPE)
        return exc.code if isinstance(exc.code, int) else EXIT_OUTPUT
    if isinstance(exc, InputError):
        return _fail(EXIT_INPUT, f"error: {exc}")
    if isinstance(exc, OutputError):
        return _fail(EXIT_OUTPUT, f"error: {exc}; previous complete files kept")
    if isinstance(exc, Na62labError):
        return _fail(EXIT_INPUT, f"error: {exc}")
    if isinstance(exc, UnicodeDecodeError):
        return _fail(EXIT_INPUT, f"error: invalid input file: allowed UTF-8 text (byte {exc.start} is binary)")
    if isinstance(exc, (KeyboardInterrupt,) + _ABORT):
        return _fail(130, interrupt_line(signal.SIGINT))
    if isinstance(exc, BrokenPipeError):
        return EXIT_OUTPUT
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return _fail(EXIT_OUTPUT, f"error: cannot write{where}: {exc.strerror or exc}; previous complete files kept")
    if os.environ.get("NA62LAB_DEBUG"):
        raise exc
    text = " ".join(str(exc).split())[:200]
    where = _user_frame(exc)
    if where:   # a user model's own bug (file.py:Class) is not na62lab's internal error
        return _fail(EXIT_INPUT, f"error: in your code at {where}: {type(exc).__name__}: {text} "
                                 "(NA62LAB_DEBUG=1 shows the traceback)")
    return _fail(EXIT_INTERNAL, f"internal error: {type(exc).__name__}: {text} (NA62LAB_DEBUG=1 shows the traceback)")


def _leaf(command, args: list[str]):
    """The sub-command ``args`` name (walking groups by name) and the index of its first own argument."""
    i = 0
    while hasattr(command, "commands") and i < len(args) and args[i] in command.commands:
        command, i = command.commands[args[i]], i + 1
    return command, i


def check_repeated(command, args: list[str]) -> None:
    """Refuse a single-valued option given twice (click would keep the last value silently).

    Options that take a list (``multiple``) may repeat, e.g. ``measure --observed 20 --observed 31``;
    ``limit --observed 1 --observed 2`` used to compute the limit for 2 events alone.

    Raises
    ------
    InputError
        Naming the option, how often it was given and what is allowed.
    """
    leaf, start = _leaf(command, args)
    single = {name: p for p in getattr(leaf, "params", ()) if not getattr(p, "multiple", True)
              and not getattr(p, "is_flag", False) for name in getattr(p, "opts", ())}
    counts: dict[str, int] = {}
    for token in args[start:]:
        if token == "--":
            break
        param = single.get(token.split("=", 1)[0])
        if param is not None:
            counts[param.opts[0]] = counts.get(param.opts[0], 0) + 1
    for name, n in counts.items():
        if n > 1:
            hint = " (limit and discovery take one category; measure takes one per category)" \
                if name in ("--observed", "--background") else ""
            raise InputError(name, f"given {n} times", f"once for this command{hint}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (see module doc)."""
    from na62lab.cli.common import STATE

    from na62lab.cli.deprecated import defer, take

    STATE.signal, STATE.out, STATE.command = None, None, ""
    defer()
    old = _install_signals()
    try:
        try:
            _register()
            command = typer.main.get_command(app)
            guard_commands(command)
            check_repeated(command, list(sys.argv[1:] if argv is None else argv))
            rv = command.main(args=argv, prog_name="na62lab", standalone_mode=False)
        except BaseException as exc:  # noqa: BLE001 - every way out becomes one line and an exit code
            return _outcome(exc)
        if STATE.signal is not None or rv == 130:
            return _fail(128 + (STATE.signal or signal.SIGINT), interrupt_line(STATE.signal or signal.SIGINT))
        for note in take():
            sys.stderr.write(f"na62lab: note: {note}\n")
        return rv if isinstance(rv, int) and not isinstance(rv, bool) else 0
    finally:
        take()
        _restore_signals(old)
        sys.stdout.flush()


def run() -> None:
    """Console-script entry point: :func:`main`, then exit with its code.

    Once ``main`` has returned, the work is complete and its exit code decided;
    an interrupt arriving during interpreter shutdown must not turn that into a
    silent death by signal, so SIGINT/SIGTERM are ignored from here on.  After
    an interrupt the process leaves with ``os._exit`` once stdout and stderr
    are flushed: nothing is left to write, and the exit hooks could block.
    """
    code = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if code in (128 + signal.SIGINT, 128 + signal.SIGTERM):
        # interrupted: the workers are dead and the kept files complete; skip the
        # interpreter's exit hooks, which join pool threads that a killed worker
        # can leave blocked for ever (seen once in CI: the line printed, no exit in 60 s)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
