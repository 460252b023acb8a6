"""Helpers of the reliability suite: run the CLI in-process and check the bad-input contract."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from na62lab.cli.main import main

TRACEBACK_MARKERS = ("Traceback (most recent call last)", "File \"", "Error:\n")


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``na62lab ARGV`` run in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def assert_clean_refusal(argv: list[str], code: int, err: str, out_dir: Path | None = None,
                         expect: int = 2) -> None:
    """The bad-input contract: exit 2, exactly one line on stderr, no traceback, nothing left in --out."""
    shown = " ".join(map(str, argv))
    assert code == expect, f"exit {code} for: na62lab {shown}\n{err}"
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("na62lab: "), f"not one line for: na62lab {shown}\n{err}"
    assert not any(m in err for m in TRACEBACK_MARKERS), f"traceback for: na62lab {shown}\n{err}"
    assert len(lines[0]) < 600, f"line too long ({len(lines[0])}) for: na62lab {shown}"
    if out_dir is not None:
        assert not out_dir.exists() or (out_dir.is_file()), f"--out left behind for: na62lab {shown}"


def refuse(argv: list[str], out_dir: Path | None = None) -> str:
    """Run ``argv``, assert the bad-input contract, return the error line."""
    code, _, err = run_cli(argv)
    assert_clean_refusal(argv, code, err, out_dir)
    return err.strip()


@pytest.fixture
def shipped_card():
    """Path of a shipped card file by name."""
    from importlib import resources

    def get(name: str) -> Path:
        return Path(str(resources.files("na62lab.config") / "cards" / f"{name}.yaml"))
    return get
