"""Entry point of the ``na62lab`` command.

Sub-commands live in sibling modules and are registered below.  Bad input of
any kind (card, option, value) ends with one line on stderr and exit code 2.
"""

from __future__ import annotations

import sys

import typer

from na62lab import __version__
from na62lab.errors import Na62labError

app = typer.Typer(
    name="na62lab",
    help="Reproduce and extend the NA62 new-physics programme (kaon mode, beam dump, FIPs).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (2 on bad input)."""
    _register()
    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="na62lab", standalone_mode=False)
    except _EXIT as exc:
        return int(getattr(exc, "exit_code", 0) or 0)
    except _NO_ARGS as exc:  # a bare command or group prints its help
        sys.stdout.write(exc.format_message().rstrip("\n") + "\n")
        return 0
    except _USAGE as exc:
        sys.stderr.write(f"na62lab: error: {exc.format_message()}\n")
        return 2
    except Na62labError as exc:
        sys.stderr.write(f"na62lab: error: {exc}\n")
        return 2
    except _ABORT:
        sys.stderr.write("na62lab: aborted\n")
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
