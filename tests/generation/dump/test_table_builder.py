"""Sharded, resumable production-table builder (small Pythia runs, a few seconds each)."""

import importlib.util
import shutil
from pathlib import Path

import numpy as np
import pytest

from na62lab.errors import InputError
from na62lab.generation.dump.table_builder import build, plan_shards
from na62lab.generation.dump.tables import read_table

pytest.importorskip("pythia8mc")
pytestmark = pytest.mark.pythia

EVENTS = {"soft": 40}


def test_plan_depends_only_on_sizes_and_seed():
    events = {"soft": 120, "beauty": 40}
    a, b = plan_shards(events, 50, 7), plan_shards(events, 50, 7)
    assert a == b and len(a) == 2 * 1 + 2 * 3         # per nucleon: beauty 40; soft 50, 50, 20
    assert [s.n_events for s in a if s.kind == "soft" and s.target == "p"] == [50, 50, 20]
    assert len({s.seed for s in a}) == len(a)
    with pytest.raises(InputError):
        plan_shards({"hard": 10}, 5, 1)


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("builder")
    out = build(EVENTS, base / "full.npz", base / "work", shard_size=20, seed=11)
    return base, out


def test_killed_run_resumes_to_the_same_table(full_run):
    base, full = full_run
    shards = plan_shards(EVENTS, 20, 11)
    work = base / "killed"
    shutil.copytree(base / "work", work)
    (work / shards[1].filename).unlink()                       # never finished
    (work / shards[2].filename).write_bytes(b"half-written")   # killed while writing (not atomic)
    kept = (work / shards[0].filename).stat().st_mtime_ns
    resumed = build(EVENTS, base / "resumed.npz", work, shard_size=20, seed=11)
    assert (work / shards[0].filename).stat().st_mtime_ns == kept      # finished shard not recomputed
    a, b = read_table(full), read_table(resumed)
    for name in a.species:
        np.testing.assert_array_equal(a.counts[name], b.counts[name])


def test_merged_table_weights_copper_nucleons(full_run):
    table = read_table(full_run[1])
    assert table.provenance["runs"]["soft/p"]["events"] == 40
    assert "Z/A = 0.4564" in table.provenance["target"]
    assert 2.0 < table.multiplicity("pi0") < 9.0


def test_admin_script_runs_at_small_size(tmp_path):
    path = Path(__file__).resolve().parents[3] / "admin" / "make_production_tables.py"
    spec = importlib.util.spec_from_file_location("make_production_tables", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "t.npz"
    assert module.main(["--soft", "10", "--charm", "0", "--beauty", "0", "--charmonium", "0",
                        "--shard-size", "10", "--work", str(tmp_path / "w"), "--out", str(out)]) == 0
    assert "pi0" in read_table(out).species


def test_rerun_of_one_kind_adds_species_and_keeps_the_others_bit_identical(tmp_path, monkeypatch):
    """admin/rerun_table_kind.py (how f432d99 added the charmed baryons): a table made without them, its charm
    shards re-run with the recorded seeds, gains them while D+, D0, Ds+ and the other kinds stay bit-identical;
    a wrong seed is refused (exit 2) and leaves the table untouched."""
    from na62lab.generation.dump import pythia_production

    root = Path(__file__).resolve().parents[3] / "admin"
    modules = {}
    for name in ("make_production_tables", "rerun_table_kind"):
        spec = importlib.util.spec_from_file_location(name, root / f"{name}.py")
        modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(modules[name])
    events = ["--soft", "10", "--charm", "20", "--beauty", "0", "--charmonium", "0", "--shard-size", "10"]
    out = tmp_path / "t.npz"
    mesons_only = {k: v for k, v in pythia_production.SPECIES["charm"].items() if "(" not in k}
    with monkeypatch.context() as m:
        m.setitem(pythia_production.SPECIES, "charm", mesons_only)
        assert modules["make_production_tables"].main(events + ["--work", str(tmp_path / "a"), "--out", str(out)]) == 0
    before = read_table(out)
    assert "Lambda(c)+" not in before.species
    bad = modules["rerun_table_kind"].main(["--kind", "charm", "--seed", "7", "--work", str(tmp_path / "c"),
                                            "--table", str(out)] + events)
    assert bad == 2 and read_table(out).species == before.species
    assert modules["rerun_table_kind"].main(["--kind", "charm", "--work", str(tmp_path / "b"),
                                             "--table", str(out)] + events) == 0
    after = read_table(out)
    assert set(after.species) - set(before.species) == {"Lambda(c)+", "Xi(c)+", "Xi(c)0", "Omega(c)0"}
    for s in before.species:
        assert np.array_equal(after.counts[s], before.counts[s]) and np.array_equal(after.density[s], before.density[s])
    assert "reruns" in after.provenance
