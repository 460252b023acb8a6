"""Fuzz every command's options with inputs that are certainly invalid (issue 18, item 5).

Each generated command line must end with exit code 2, exactly one line on
stderr, no traceback and no ``--out`` folder left behind.  The CLI runs in
this process (no subprocess), and every input is refused before any work,
so a few hundred examples take seconds.  Examples are derandomised so a CI
run is reproducible; the sum of ``max_examples`` below is the number of bad
inputs per run (checked at the end of the module).
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.conftest import assert_clean_refusal, run_cli

COUNT: dict = {"n": 0, "tests": set()}
TARGET = 300
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

negative = st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False)
non_finite = st.sampled_from(["nan", "inf", "-inf"])
bad_nonneg = st.one_of(negative.map(repr), non_finite.filter(lambda s: s != "inf"), st.just("-inf"))
word = st.text(alphabet=string.ascii_letters + "-_", min_size=1, max_size=12)


def _not_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return True
    return False


not_a_number = st.one_of(word.filter(_not_number), st.sampled_from(["", "1,2", "1e", "--", "0x1g"]))


def _check(argv: list, out_dir: Path | None = None) -> None:
    COUNT["n"] += 1
    code, _, err = run_cli(argv)
    assert_clean_refusal(argv, code, err, out_dir)


@st.composite
def limit_args(draw):
    base = {"--observed": "3", "--background": "2.0"}
    kind = draw(st.sampled_from(["observed", "background", "big", "up", "down", "cl", "method", "shape",
                                 "nuisance", "ses", "ses_error", "fc", "text"]))
    extra: list[str] = []
    if kind == "observed":
        base["--observed"] = str(draw(st.integers(max_value=-1)))
    elif kind == "background":
        base["--background"] = draw(bad_nonneg)
    elif kind == "big":
        base["--background"] = repr(draw(st.floats(min_value=1.01e6, max_value=1e308)))
    elif kind == "up":
        extra = ["--background-up", draw(bad_nonneg)]
    elif kind == "down":
        extra = ["--background-down", repr(draw(st.floats(min_value=2.001, max_value=1e6)))]
    elif kind == "cl":
        extra = ["--cl", draw(st.one_of(st.floats(max_value=0.0).map(repr), st.floats(min_value=1.0).map(repr),
                                         st.just("nan")))]
    elif kind in ("method", "shape", "nuisance"):
        allowed = {"method": {"cls", "clsb", "fc"}, "shape": {"lognormal", "gaussian"},
                   "nuisance": {"marginalise", "profile", "marginalize"}}[kind]
        extra = [f"--{kind}", draw(word.filter(lambda w: w.lower() not in allowed))]
    elif kind == "ses":
        extra = ["--ses", draw(st.one_of(st.floats(max_value=0.0, allow_nan=False).map(repr), non_finite))]
    elif kind == "ses_error":
        extra = ["--ses-error", repr(draw(st.floats(min_value=1e-15, max_value=1.0)))]  # without --ses
    elif kind == "fc":
        extra = ["--ses", "1e-11", "--ses-error", "1e-12", "--method", draw(st.sampled_from(["fc", "clsb"]))]
    else:
        base[draw(st.sampled_from(["--observed", "--background"]))] = draw(not_a_number)
    return ["limit", *[x for kv in base.items() for x in kv], *extra]


@FUZZ
@given(argv=limit_args())
def test_limit(argv):
    _check(argv)


@st.composite
def measure_args(draw):
    kind = draw(st.sampled_from(["background", "down", "reference_error", "ses", "count", "up", "text"]))
    argv = ["measure", "--observed", "3", "--background", "2", "--ses", "1e-11"]
    if kind == "background":
        argv[4] = draw(bad_nonneg)
    elif kind == "down":
        argv += ["--background-down", repr(draw(st.floats(min_value=2.01, max_value=1e5)))]
    elif kind == "reference_error":
        argv += ["--reference", "8e-11", "--reference-error", draw(bad_nonneg)]
    elif kind == "ses":
        argv[6] = draw(st.one_of(st.floats(max_value=0.0, allow_nan=False).map(repr), non_finite))
    elif kind == "count":
        argv += ["--observed", "4"]  # two observed, one background
    elif kind == "up":
        argv += ["--background-up", draw(bad_nonneg)]
    else:
        argv[draw(st.sampled_from([2, 4, 6]))] = draw(not_a_number)
    return argv


@FUZZ
@given(argv=measure_args())
def test_measure(argv):
    _check(argv)


@st.composite
def discovery_args(draw):
    kind = draw(st.sampled_from(["background", "error", "sigma", "big"]))
    argv = ["discovery", "--background", "2"]
    if kind == "background":
        argv[2] = draw(bad_nonneg)
    elif kind == "error":
        argv += ["--background-error", draw(bad_nonneg)]
    elif kind == "big":
        argv[2] = repr(draw(st.floats(min_value=1.01e6, max_value=1e300)))
    else:
        argv += ["--sigma", draw(st.one_of(st.floats(max_value=0.0, allow_nan=False).map(repr), non_finite))]
    return argv


@FUZZ
@given(argv=discovery_args())
def test_discovery(argv):
    _check(argv)


UNIT_MODELS = ["hnl-e", "hnl-mu", "hnl-tau", "dark-photon", "dark-scalar"]


@st.composite
def fip_args(draw):
    sub = draw(st.sampled_from(["info", "production"]))
    model, mass, coupling = "hnl-mu", "0.2", "1e-6"
    kind = draw(st.sampled_from(["model", "mass", "coupling", "unit", "text"]))
    if kind == "model":
        model = draw(word.filter(lambda w: w not in UNIT_MODELS and not w.startswith(("alp", "dark", "hnl"))))
    elif kind == "mass":
        mass = draw(bad_nonneg)
    elif kind == "coupling":
        coupling = draw(bad_nonneg)
    elif kind == "unit":
        model = draw(st.sampled_from(UNIT_MODELS))
        coupling = repr(draw(st.floats(min_value=1.0001, max_value=1e30)))
    else:
        mass = draw(not_a_number)
    return ["fip", sub, "--model", model, "--mass", mass, "--coupling", coupling]


@FUZZ
@given(argv=fip_args())
def test_fip(argv):
    _check(argv)


@st.composite
def sensitivity_args(draw):
    kind = draw(st.sampled_from(["model", "invisible", "workers", "scheduler", "mass_range", "far", "grid"]))
    argv = ["sensitivity", "--model", "dark-photon"]
    if kind == "model":
        argv[2] = draw(word.filter(lambda w: ":" not in w and not w.startswith(("alp", "dark", "hnl"))))
    elif kind == "invisible":
        argv[2] = "dark-photon-invisible"
    elif kind == "workers":
        argv += ["--workers", str(draw(st.integers(max_value=0)))]
    elif kind == "scheduler":
        argv += ["--scheduler", draw(bad_address)]
    elif kind == "mass_range":
        lo = draw(st.floats(min_value=1e-3, max_value=1.0))
        argv += ["--mass-range", draw(st.sampled_from([f"{lo},{lo}", f"{lo},{lo / 2}", f"-{lo},1", "x,y", f"{lo}"]))]
    elif kind == "far":
        lo = draw(st.floats(min_value=5.0, max_value=1e3))
        argv += ["--mass-range", f"{lo},{2 * lo}"]
    else:
        argv += ["--grid", draw(st.sampled_from(["0x10", "10", "axb", "1x1", "10x-3", "5000x5000"]))]
    return argv


bad_address = st.one_of(
    word.filter(lambda w: ":" not in w),
    st.sampled_from(["http://localhost:8786", "https://x:1", "tcp://", "tcp://host", "tcp://host:port",
                     "tcp://h:99999", "tcp://:8786", "ftp://a:1", "tcp://a b:1", "localhost:0"]),
    st.integers(min_value=65536, max_value=10**6).map(lambda p: f"tcp://127.0.0.1:{p}"),
)


@FUZZ
@given(argv=sensitivity_args())
def test_sensitivity(argv, tmp_path_factory):
    out = tmp_path_factory.mktemp("s") / "out"
    _check([*argv, "--out", str(out)], out)


@st.composite
def simulate_args(draw):
    kind = draw(st.sampled_from(["decays", "seed", "workers", "chunk", "card", "scheduler", "text"]))
    argv = ["simulate", "kaon", "--decays", "1000", "--quiet"]
    if kind == "decays":
        argv[3] = str(draw(st.integers(max_value=0)))
    elif kind == "seed":
        argv += ["--seed", str(draw(st.integers(max_value=-1)))]
    elif kind == "workers":
        argv += ["--workers", str(draw(st.one_of(st.integers(max_value=0), st.integers(min_value=513))))]
    elif kind == "chunk":
        argv += ["--chunk-size", str(draw(st.integers(max_value=999)))]
    elif kind == "card":
        argv += ["--card", draw(word.filter(lambda w: not w.startswith("na62")))]
    elif kind == "scheduler":
        argv += ["--scheduler", draw(bad_address)]
    else:
        argv[3] = draw(not_a_number)
    return argv


@FUZZ
@given(argv=simulate_args())
def test_simulate(argv, tmp_path_factory):
    out = tmp_path_factory.mktemp("k") / "out"
    _check([*argv, "--out", str(out)], out)


NAMES = ("pi-x", "pi0-invisible", "pi-a-gammagamma", "pi-x-mumu", "hnl-e", "hnl-mu", "hnl-pi-e")


@st.composite
def search_args(draw):
    kind = draw(st.sampled_from(["name", "lifetime", "displaced", "card"]))
    if kind == "name":
        return ["search", draw(word.filter(lambda w: w not in NAMES))]
    if kind == "lifetime":
        return ["search", "pi-x", "--lifetime-ns", draw(bad_nonneg)]
    if kind == "displaced":
        return ["search", draw(st.sampled_from([n for n in NAMES if n != "pi-x-mumu"])), "--displaced"]
    return ["search", "pi-x", "--card", draw(word.map(lambda w: f"/nonexistent/{w}.yaml"))]


@FUZZ
@given(argv=search_args())
def test_search(argv, tmp_path_factory):
    out = tmp_path_factory.mktemp("q") / "out"
    _check([*argv, "--out", str(out)], out)


def _theory_error_options() -> list[str]:
    """The ``theory pinunu`` options of 1-sigma errors, read from the CLI (names follow the conventions table)."""
    import typer

    from na62lab.cli.main import _register, app

    _register()
    cmd = typer.main.get_command(app).commands["theory"].commands["pinunu"]
    return sorted(o for p in cmd.params if p.name.endswith(("_err", "_error")) for o in p.opts if o.startswith("--"))


THEORY_ERRORS = _theory_error_options()


def _command_names() -> set[str]:
    import typer

    from na62lab.cli.main import app

    return set(typer.main.get_command(app).commands)


COMMAND_NAMES = _command_names()


@st.composite
def misc_args(draw):
    kind = draw(st.sampled_from(["only", "theory", "unknown", "plot", "usage"]))
    if kind == "only":
        from na62lab.analyses import REPRODUCE_SECTIONS

        return ["reproduce", "--only", draw(st.one_of(st.sampled_from(["", ",", " ", "pinunu,"]),
                                                      word.filter(lambda w: w not in REPRODUCE_SECTIONS)))]
    if kind == "theory":
        opt = draw(st.sampled_from(THEORY_ERRORS))
        return ["theory", "pinunu", opt, draw(bad_nonneg)]
    if kind == "unknown":
        cmd = draw(st.sampled_from([["limit", "--observed", "1", "--background", "1"], ["discovery", "--background",
                                                                                        "1"],
                                    ["fip", "info", "--model", "hnl-e", "--mass", "0.1", "--coupling", "1e-6"]]))
        return [*cmd, "--" + draw(word.filter(lambda w: not w.startswith("-") and w not in ("json", "help")))]
    if kind == "plot":
        lo = draw(st.floats(min_value=1e-3, max_value=3.0))
        return ["fip", "plot", "--model", "hnl-e", "--mass-min", repr(lo), "--mass-max", repr(lo * draw(
            st.floats(min_value=0.0, max_value=1.0)))]
    return [draw(word.filter(lambda w: w not in COMMAND_NAMES))]


@FUZZ
@given(argv=misc_args())
def test_misc(argv, tmp_path_factory):
    out = tmp_path_factory.mktemp("m") / "out"
    if argv[0] in ("reproduce",) or argv[:2] == ["fip", "plot"]:
        argv = [*argv, "--out", str(out)]
    _check(argv, out)


@pytest.fixture(scope="module", autouse=True)
def _count():
    yield
    if len(COUNT["tests"]) == 9:  # the whole module ran
        print(f"\n{COUNT['n']} generated bad command lines")
        assert COUNT["n"] >= TARGET, f"only {COUNT['n']} generated bad command lines"


@pytest.fixture(autouse=True)
def _which(request):
    COUNT["tests"].add(request.node.originalname)


@st.composite
def input_file_args(draw):
    """Commands reading text files (limit tables, overlays) given binary, malformed or missing files."""
    kind = draw(st.sampled_from(["binary", "missing", "model", "range"]))
    content = draw(st.binary(min_size=1, max_size=200)).join([b"\x00", b"\xff"]) if kind == "binary" else None
    cmd = draw(st.sampled_from(["recast", "sensitivity", "search"]))
    return cmd, kind, content, draw(word)


@FUZZ
@given(case=input_file_args())
def test_input_files(case, tmp_path_factory):
    cmd, kind, content, text = case
    folder = tmp_path_factory.mktemp("f")
    path = folder / "table.csv"
    if content is not None:
        path.write_bytes(content)
    else:
        path.write_text("mass_gev,ul\n0.1,1e-10\n0.2,2e-10\n")
    if kind == "missing":
        path = folder / f"{text}.csv"
    base = {"recast": ["recast", "--limits", str(path), "--model", "hnl-e"],
            "sensitivity": ["sensitivity", "--model", "dark-photon", "--overlay", str(path)],
            "search": ["search", "pi-x", "--overlay", str(path)]}[cmd]
    if kind == "model":
        base = ["recast", "--limits", str(path), "--model", text + "-nosuch"]
    elif kind == "range":
        base = ["recast", "--limits", str(path), "--model", "hnl-e", "--coupling-range", "1e-3,1e-6"]
    out = folder / "out"
    _check([*base, "--out", str(out)], out)
