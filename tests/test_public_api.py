"""The public API: top-level names, package ``__all__``, docs/api.md, no import-time side effects."""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import na62lab

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
PACKAGES = sorted(m.name for m in pkgutil.walk_packages(na62lab.__path__, "na62lab.") if m.ispkg)


def _run(code: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)


def test_import_na62lab_is_free_of_heavy_imports_and_registries():
    probe = ("import sys, na62lab; heavy = [m for m in ('numba', 'matplotlib', 'scipy', 'na62lab.fips', "
             "'na62lab.physics.jit') if m in sys.modules]; print(heavy)")
    out = _run(probe, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_every_top_level_name_resolves():
    for name in na62lab.__all__:
        assert getattr(na62lab, name) is not None, name
    assert set(na62lab.__all__) <= set(dir(na62lab))
    assert sorted(na62lab.__all__) == sorted(["InputError", "Na62labError", "__version__", *na62lab._LAZY])
    with pytest.raises(AttributeError, match="no_such_name"):
        na62lab.no_such_name


def test_documented_names_are_public():
    packages = {name.split(".")[1] for name in PACKAGES}
    documented = set(re.findall(r"`na62lab\.(\w+)", DOC.read_text())) - packages
    assert {"load_card", "get_model", "resolve_model", "sensitivity", "search", "simulate_kaon", "upper_limit",
            "measure", "MeasurementResult", "SearchResult"} <= documented
    assert documented <= set(na62lab.__all__), documented - set(na62lab.__all__)


@pytest.mark.parametrize("package", PACKAGES)
def test_package_all_names_import(package):
    module = importlib.import_module(package)
    assert hasattr(module, "__all__"), f"{package} has no __all__"
    for name in module.__all__:
        assert getattr(module, name, None) is not None or importlib.import_module(f"{package}.{name}"), name


@pytest.mark.parametrize("index", [i for i, b in enumerate(BLOCKS) if not b.startswith("# slow")])
def test_documented_example_runs(index):
    out = _run(BLOCKS[index])
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip()


@pytest.mark.slow
@pytest.mark.parametrize("index", [i for i, b in enumerate(BLOCKS) if b.startswith("# slow")])
def test_documented_slow_example_runs(index):
    out = _run(BLOCKS[index], timeout=3600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip()


def test_figures_leave_the_users_backend_alone(tmp_path):
    """Importing and using the figure helpers selects no matplotlib backend (it used to force Agg at import)."""
    code = ("import matplotlib, na62lab.results.figures as f; fig, ax = f.new_figure(); ax.plot([1, 2], [1, 2]); "
            f"f.save_png(fig, {str(tmp_path / 'a.png')!r}); print(matplotlib.get_backend())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "MPLBACKEND": "svg"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().lower() == "svg" and (tmp_path / "a.png").stat().st_size > 0


def test_every_json_key_of_the_dump_and_search_records_is_in_api_md():
    """t93 review: 15 keys of the sensitivity JSON (n_pot, channel_inputs, observed_limit_by_mass, limit_kind ...) and
    most of the search JSON's were in no document."""
    from dataclasses import fields

    from na62lab.analyses.beam_dump_result import DumpSensitivity
    from na62lab.analyses.kaon_searches_common.summary import RECORD_ORDER

    text = DOC.read_text()
    keys = {f.name for f in fields(DumpSensitivity) if f.name != "extra"} | set(RECORD_ORDER) | {
        "provenance", "excluded_mass_intervals", "model_spec", "experiments", "not_measured"}
    missing = sorted(k for k in keys if f"`{k}`" not in text)
    assert not missing, missing


def _kaon_record_keys() -> set[str]:
    """Every key of the simulate-kaon record, of the comparison rows and of ``backgrounds.json``, from the writers
    (a tally with a few weighted events; data-keyed maps, decay mode -> value, contribute their values' keys)."""
    from pathlib import Path as _Path

    from na62lab.analyses.kaon_sim import comparison
    from na62lab.cli.simulate_cmds import run_block
    from na62lab.config.kaon import SM_MODES, shipped_kaon_card
    from na62lab.yields import kaon_tally as kt

    card = shipped_kaon_card()
    t = kt.KaonTally.zeros(len(kt.region_names(card.selection)), len(card.selection.momentum_bins_gev) - 1)
    t.n_generated[:] = 1000
    for mode in SM_MODES:
        t.full[SM_MODES.index(mode), kt.R1, 0] = t.full_sq[SM_MODES.index(mode), kt.R1, 0] = 10.0
    t.pid[SM_MODES.index("pipi0"), kt.PIPI, 0] = 100.0
    s = kt.summary(t, card)
    s["run"] = run_block(card, _Path("out"), False)
    keys: set[str] = {"provenance", "simulated", "published", "reference", "summary", "comparison"}

    def walk(obj, data_keyed=False):
        if isinstance(obj, dict):
            for k, v in obj.items():
                if not data_keyed:
                    keys.add(k)
                walk(v, k in ("backgrounds", "decays_generated", "cutflow"))
        elif isinstance(obj, list):
            for v in obj:
                walk(v)

    walk(s)
    walk(comparison(s, card))
    return keys


def test_every_json_key_of_the_kaon_sim_record_is_in_api_md():
    """The simulate-kaon record (and the two files `reproduce` writes from it) had no key list in docs/api.md."""
    text = DOC.read_text()
    missing = sorted(k for k in _kaon_record_keys() if f"`{k}`" not in text)
    assert not missing, missing
