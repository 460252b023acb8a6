"""Chunked runs: same numbers for 1 and 2 workers, resume after an interruption."""

import hashlib
import json

import pytest

from na62lab.config.base import load_card, parse_card
from na62lab.config.kaon import KaonCard
from na62lab.yields import kaon_run
from na62lab.yields.kaon_tally import summary


def _card(decays=12_000, chunk=4_000, seed=7):
    data = load_card("na62_kaon_2021_22", KaonCard).model_dump()
    data["run"].update(decays=decays, chunk_size=chunk, seed=seed)
    return parse_card(data, KaonCard)


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("chunk_*.parquet"))}


def _summary_json(tally, card):
    return json.dumps(summary(tally, card), sort_keys=True, default=float)


def test_plan_depends_on_run_size_only():
    card = _card(10_500, 4_000)
    chunks = kaon_run.plan(card)
    assert [c.decays for c in chunks] == [4000, 4000, 2500]
    assert kaon_run.plan(card)[1].seed.generate_state(2).tolist() == chunks[1].seed.generate_state(2).tolist()


def test_one_and_two_workers_bit_identical(tmp_path):
    card = _card()
    t1 = kaon_run.run(card, tmp_path / "w1", workers=1)
    t2 = kaon_run.run(card, tmp_path / "w2", workers=2)
    assert _digest(tmp_path / "w1") == _digest(tmp_path / "w2")
    assert _summary_json(t1, card) == _summary_json(t2, card)
    # in-memory run (no files) gives the same tally
    t0 = kaon_run.run(card, None, workers=1)
    assert _summary_json(t0, card) == _summary_json(t1, card)


def test_resume_after_interruption(tmp_path, monkeypatch):
    card = _card()
    reference = kaon_run.run(card, tmp_path / "ref")
    out = tmp_path / "run"
    real = kaon_run.simulate_chunk
    calls = []

    def crash_on_third(card_, n, rng, full=False, params=None):
        calls.append(n)
        if len(calls) == 3:
            raise KeyboardInterrupt("simulated kill")
        return real(card_, n, rng, full=full, params=params)

    monkeypatch.setattr(kaon_run, "simulate_chunk", crash_on_third)
    with pytest.raises(KeyboardInterrupt):
        kaon_run.run(card, out)
    assert len(list(out.glob("chunk_*.parquet"))) == 2
    assert not list(out.glob(".*part"))                    # no half-written file left
    monkeypatch.setattr(kaon_run, "simulate_chunk", real)
    reused = []
    resumed = kaon_run.run(card, out, progress=lambda done, total, r: reused.append(r))
    assert reused.count(True) == 2 and reused.count(False) == 1
    assert _summary_json(resumed, card) == _summary_json(reference, card)
    assert _digest(out) == _digest(tmp_path / "ref")


def test_corrupt_or_foreign_chunk_is_redone(tmp_path):
    card = _card()
    out = tmp_path / "run"
    reference = kaon_run.run(card, out)
    last = kaon_run.chunk_path(out, 2)
    last.write_bytes(last.read_bytes()[:1000])              # truncated by a crash of the disk
    assert not kaon_run.chunk_done(card, kaon_run.plan(card)[2], out)
    other = _card(seed=8)
    assert not kaon_run.chunk_done(other, kaon_run.plan(other)[0], out)   # another run's file
    again = kaon_run.run(card, out)
    assert _summary_json(again, card) == _summary_json(reference, card)


def test_root_output(tmp_path):
    uproot = pytest.importorskip("uproot")
    card = _card(4_000, 4_000)
    kaon_run.run(card, tmp_path, root=True)
    with uproot.open(kaon_run.chunk_path(tmp_path, 0, ".root")) as f:
        arr = f["events"].arrays(["p_gev", "mode"], library="np")
    assert arr["p_gev"].size > 0


def test_full_columns_and_stale_parts(tmp_path):
    import pyarrow.parquet as pq

    card = _card(4_000, 4_000)
    (tmp_path / ".chunk_00000.parquet.abc.part").write_bytes(b"half")
    kaon_run.run(card, tmp_path, full=True)
    assert not list(tmp_path.glob(".*part"))
    names = pq.read_schema(kaon_run.chunk_path(tmp_path, 0)).names
    assert "true_k_e_gev" in names and "true_lead_pz_gev" in names and "mmiss2_gev2" in names
    # a run without --full does not reuse the --full files
    assert not kaon_run.chunk_done(card, kaon_run.plan(card)[0], tmp_path, full=False)


def test_rows_and_decays_read_back_from_files_equal_a_fresh_run(tmp_path):
    """The reproduce section's figure rows come from the same orchestration, resumed or not, 1 or 2 workers."""
    import numpy as np

    card = _card()
    fresh = kaon_run.collect(card, None, workers=2, rows=True)
    kaon_run.collect(card, tmp_path, workers=1)                      # writes every chunk
    again = kaon_run.collect(card, tmp_path, rows=True)              # reads every chunk back
    assert fresh.rows is not None and again.rows is not None
    assert list(fresh.rows) == ["mode", "p_gev", "mmiss2_gev2", "w_decay", "kinematic"]
    for k, v in fresh.rows.items():
        assert v.dtype == again.rows[k].dtype and np.array_equal(v, again.rows[k]), k
    assert fresh.rows["kinematic"].any() and np.isfinite(fresh.rows["mmiss2_gev2"]).all()
    assert fresh.n_generated == again.n_generated and sum(fresh.n_generated.values()) == card.run.decays
    assert _summary_json(fresh.tally, card) == _summary_json(again.tally, card)
    assert kaon_run.collect(card, None).rows is None
