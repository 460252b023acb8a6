"""Helpers shared by the CLI commands: JSON output, tables, error lines."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console

from na62lab.results.io import to_json

# Wide tables stay readable when the output is a file or a pipe (rich defaults to 80 columns there).
console = Console(stderr=False, width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True)


def emit_json(obj: Any) -> None:
    """Print exactly one JSON object on stdout."""
    sys.stdout.write(to_json(obj) + "\n")
    sys.stdout.flush()


def sample_rows(rows: list, n: int = 12) -> list:
    """At most ``n`` of ``rows``, evenly spaced, the first and the last always among them: the printed tables of
    ``sensitivity``'s excluded ranges and ``recast``'s intervals (a stride of ``len // n`` printed up to
    2n - 1 rows and left out the last, where the excluded region ends)."""
    if len(rows) <= n:
        return list(rows)
    import numpy as np

    return [rows[i] for i in sorted(set(np.linspace(0, len(rows) - 1, n).round().astype(int).tolist()))]


# ---------------------------------------------------------------------------
# Checks run before any command's work (installed on every command by
# cli.main.guard_commands).  They are keyed by parameter *names* (the Python
# identifiers), not by option spellings, so renaming an option keeps them.
# ---------------------------------------------------------------------------

import dataclasses  # noqa: E402
import hashlib  # noqa: E402
import io  # noqa: E402
import math  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

from na62lab.errors import InputError, require  # noqa: E402

MAX_EVENTS = 1e6
"""Largest event count (observed or expected) the exact Poisson sums accept (larger: ~10 s and more)."""
MAX_WORKERS = 512
OUT_FOLDERS = ("out", "out_dir", "output")
OUT_FILES = ("pyhf_workspace",)
ERROR_SUFFIXES = ("_error", "_err", "_up", "_down", "_uncertainty")
UNIT_COUPLINGS = {"epsilon": "epsilon <= 1 (kinetic mixing)",
                  "theta": "theta <= 1 (Higgs mixing angle, small-angle convention sin(theta) ~ theta)",
                  "U2": "|U|^2 <= 1 (squared mixing matrix element)"}


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


@dataclasses.dataclass
class RunPolicy:
    """How a command's output folder is used.

    Attributes
    ----------
    resumable : bool
        The folder resumes an interrupted run (it records its arguments: :func:`claim_run`).
    files : tuple of str
        Glob patterns of the files the command writes there.
    record : tuple of str
        Parameters that decide the folder's content (recorded and compared on resume).
    bytes_needed : callable
        Estimated output size in bytes from the parameters.
    """

    resumable: bool = False
    files: tuple[str, ...] = ("*",)
    record: tuple[str, ...] = ()
    bytes_needed: Callable[[dict], float] = lambda params: 20e6
    kept: str = "*"
    """Glob of the complete files counted in the interrupt line."""
    staged: str = ""
    """``"guard"``: the command writes into a staging copy of its folder, published whole on success
    (:func:`na62lab.results.outputs.staged_folder`); ``"command"``: the command stages itself."""


def _kaon_bytes(params: dict) -> float:
    """Chunk files: measured ~25 bytes per decay (Parquet, zstd); x4 with --full, x2 with --root; plus 20 MB."""
    decays = params.get("decays") or 1e6
    return 20e6 + 25.0 * decays * (4 if params.get("full") else 1) * (2 if params.get("root") else 1)


POLICIES: dict[str, RunPolicy] = {
    "simulate kaon": RunPolicy(resumable=True, files=("chunk_*", "summary.json"),
                               record=("card", "decays", "seed", "chunk_size", "full", "root"),
                               bytes_needed=_kaon_bytes, kept="chunk_*.parquet"),
    "reproduce": RunPolicy(bytes_needed=lambda params: 200e6, staged="command"),
    "sensitivity": RunPolicy(staged="guard"),
    "search": RunPolicy(staged="guard"),
    "recast": RunPolicy(staged="guard"),
    "fip plot": RunPolicy(staged="guard"),
}


class RenamedStream(io.TextIOBase):
    """A text stream that shows a staging folder's name as the final output folder's name."""

    def __init__(self, target, old: str, new: str) -> None:
        self.target, self.old, self.new = target, old, new

    def write(self, text: str) -> int:
        """Write ``text`` with the staging name replaced; return its length."""
        self.target.write(text.replace(self.old, self.new))
        return len(text)

    def flush(self) -> None:
        """Flush the target stream."""
        self.target.flush()

    def isatty(self) -> bool:
        """Whether the target stream is a terminal (rich decides on colours from it)."""
        return self.target.isatty()


@dataclasses.dataclass
class RunState:
    """What the running command writes, for the interrupt line (set by the guard)."""

    command: str = ""
    out: Path | None = None
    policy: RunPolicy = dataclasses.field(default_factory=RunPolicy)
    signal: int | None = None


STATE = RunState()


def _card_digest(card) -> str | None:
    """SHA-256 of a card file's bytes (None for a shipped card name or no card)."""
    if card is None:
        return None
    path = Path(str(card))
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    except OSError:
        return None


def run_record(command: str, params: dict) -> dict:
    """The arguments and seed that decide a resumable run folder's content."""
    policy = POLICIES[command]
    record = {"command": command, **{k: params.get(k) for k in policy.record}}
    if "card" in record:
        record["card_sha256"] = _card_digest(params.get("card"))
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in record.items()}


def _values(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _check_numbers(params: dict) -> None:
    """Every number is finite; errors >= 0; counts and backgrounds >= 0, at most MAX_EVENTS."""
    for name, value in params.items():
        for v in _values(value):
            if isinstance(v, float):
                require(math.isfinite(v), _option(name), v, "a finite number")
        if name.endswith(ERROR_SUFFIXES) or name in ("background", "observed", "signal"):
            for v in _values(value):
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    require(math.isfinite(v) and v >= 0, _option(name), v, "a finite number >= 0")
        if name in ("background", "observed", "background_up", "background_down", "background_error"):
            # an upward error of 1e300 events overflowed the quantile sums (internal error, exit 70)
            for v in _values(value):
                require(not isinstance(v, (int, float)) or v <= MAX_EVENTS, _option(name), v,
                        f"at most {MAX_EVENTS:.0e} events (exact Poisson sums)")


def _check_down(params: dict) -> None:
    """A down-error is at most the value it applies to (the background cannot go below 0)."""
    bkg = _values(params.get("background"))
    for name in [n for n in params if n.startswith("background") and "down" in n]:
        down = _values(params.get(name))
        if not bkg or not down:
            continue
        pairs = zip(bkg, down) if len(bkg) == len(down) else ((b, d) for b in bkg for d in down)
        for b, d in pairs:
            if isinstance(b, (int, float)) and isinstance(d, (int, float)):
                require(d <= b, _option(name), d, f"at most the background ({b:g} events)")


def _check_method(params: dict) -> None:
    errs = [e for e in _values(params.get("ses_error")) if e]
    if not errs or "ses_error" not in params:
        return
    if "ses" in params and not _values(params.get("ses")):
        raise InputError("--ses-error", errs[0], "only together with --ses")
    method = params.get("method")
    if method is not None and method != "cls":
        raise InputError("--ses-error", errs[0], f"only with --method cls (--method {method} takes the SES as exact)")


def _check_execution(params: dict) -> None:
    if "workers" in params:
        w = params["workers"]
        require(isinstance(w, int) and 1 <= w <= MAX_WORKERS, "--workers", w, f"an integer 1..{MAX_WORKERS}")
    if params.get("scheduler") is not None:
        from na62lab.parallel.remote import check_scheduler

        check_scheduler(params["scheduler"])


def _check_model(params: dict) -> None:
    """Couplings in their physical range for the model (|U|^2, epsilon, theta <= 1)."""
    name, coupling = params.get("model"), params.get("coupling")
    text = params.get("coupling_range")
    if isinstance(text, str):
        try:
            coupling = [float(x) for x in text.split(",")]
        except ValueError:
            raise InputError("--coupling-range", text, "two comma-separated numbers LOW,HIGH") from None
        require(len(coupling) == 2 and all(math.isfinite(g) for g in coupling) and 0 < coupling[0] < coupling[1],
                "--coupling-range", text, "LOW,HIGH with 0 < LOW < HIGH")
    if not isinstance(name, str) or coupling is None:
        return
    from na62lab.fips import get_model, model_names

    if name not in model_names():
        return  # the command names the allowed models
    kind = get_model(name).coupling_name
    if kind in UNIT_COUPLINGS:
        for g in _values(coupling):
            require(not isinstance(g, (int, float)) or g <= 1, "--coupling-range" if text else "--coupling", g,
                    f"{UNIT_COUPLINGS[kind]} for {name}")


def _check_sensitivity(params: dict) -> None:
    """Dump sensitivity: a visible-decay model and a mass range that overlaps its simulated range."""
    from na62lab.analyses.beam_dump import MODELS

    model = params.get("model")
    if model not in MODELS:
        from na62lab.fips import model_names

        why = " (its A' decays invisibly: no dump signature)" if "invisible" in str(model) else ""
        if model in model_names():
            raise InputError("--model", model, f"a model with visible decays in the dump, one of "
                             f"{', '.join(MODELS)}{why}")
        return
    text = params.get("mass_range")
    if text is None:
        return
    try:
        lo, hi = (float(x) for x in str(text).split(","))
    except ValueError:
        raise InputError("--mass-range", text, "two comma-separated numbers LOW,HIGH in GeV") from None
    mlo, mhi = MODELS[str(model)]["mass_gev"]
    require(math.isfinite(lo) and math.isfinite(hi) and 0 < lo < hi, "--mass-range", text,
            "LOW,HIGH in GeV with 0 < LOW < HIGH")
    require(lo < mhi and hi > mlo, "--mass-range", text,
            f"a range overlapping {model}'s simulated masses {mlo:g}-{mhi:g} GeV")


def _check_search(params: dict) -> None:
    """``search NAME --card FILE``: the card must be a card of that search (its ``name`` field)."""
    name, card = params.get("name"), params.get("card")
    if card is None or not isinstance(name, str):
        return
    from na62lab.config.base import read_yaml

    data = read_yaml(card)
    expected = {name, f"{name}-displaced"}
    found = data.get("name")
    require(found is None or found in expected, "--card", str(card),
            f"a card of search {name} (its name field is {found!r}: a card of another search)")


INPUT_FILES = ("card", "limits", "overlay", "model_table")
MAX_INPUT_BYTES = 50 * 1024**2


def _check_input_files(params: dict) -> None:
    """Input text files (cards, limit tables, overlays): readable, not huge, not binary."""
    for name in INPUT_FILES:
        for value in _values(params.get(name)):
            path = Path(str(value))
            if not path.is_file():
                continue
            try:
                size = path.stat().st_size
                require(size <= MAX_INPUT_BYTES, _option(name), str(path),
                        f"a text file under {MAX_INPUT_BYTES // 1024**2} MB (this one has {size / 1024**2:.0f} MB)")
                with path.open("rb") as f:
                    head = f.read(65536)
            except OSError as exc:
                raise InputError(_option(name), str(path), f"a readable file ({exc.strerror or exc})") from None
            try:
                if b"\x00" in head:
                    raise UnicodeDecodeError("utf-8", head, head.index(b"\x00"), head.index(b"\x00") + 1, "NUL")
                head.decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.reason != "unexpected end of data":  # a multi-byte character cut by the 64 kB read
                    raise InputError(_option(name), str(path), f"a UTF-8 text file (byte {exc.start} is binary)") \
                        from None


CHECKS: dict[str, tuple[Callable[[dict], None], ...]] = {
    "*": (_check_input_files, _check_numbers, _check_down, _check_method, _check_model, _check_execution),
    "sensitivity": (_check_sensitivity,),
    "search": (_check_search,),
}
"""Checks per command path (``"*"``: every command), run before the command body."""


def check_outputs(command: str, params: dict) -> Path | None:
    """Check every output path before any work; return the output folder (if any)."""
    from na62lab.results.outputs import check_file, check_folder

    policy = POLICIES.get(command, RunPolicy())
    folder = None
    for name in OUT_FOLDERS:
        if params.get(name) is not None:
            folder = check_folder(Path(params[name]), _option(name), policy.bytes_needed(params))
    for name in OUT_FILES:
        if params.get(name) is not None:
            check_file(Path(params[name]), _option(name))
    return folder


def check_params(command: str, params: dict) -> Path | None:
    """Run every check of ``command`` on its parameters; return its output folder (if any)."""
    for check in CHECKS["*"] + CHECKS.get(command, ()):
        check(params)
    return check_outputs(command, params)
