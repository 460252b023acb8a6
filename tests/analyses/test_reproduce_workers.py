"""``reproduce`` sections on the worker pool: the same files and summaries as one process."""

from pathlib import Path

import pytest
from rich.console import Console

from na62lab.analyses import beam_dump, kaon_searches
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC

MC = DumpMC(n_fip=300, n_mass_nodes=4, n_z_bins=3, n_ctau_nodes=30)


pytestmark = pytest.mark.usefixtures("isolated_cache")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.png"))}


def test_pbc_planes_on_two_workers_write_the_same_figures(tmp_path):
    summaries = {"pi-x": kaon_searches.run_search("pi-x", pbc=True)[1]}
    one = kaon_searches.pbc_planes(summaries, tmp_path, tmp_path / "one", workers=1)
    two = kaon_searches.pbc_planes(summaries, tmp_path, tmp_path / "two", workers=2)
    assert len(one) == len(two) >= 2 and [p.name for p in one] == [p.name for p in two]
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def _fast_reproduce_one(model, card_name, out_dir, workers):
    card = load_card(card_name, DumpCard).model_copy(update={"mc": MC})
    return beam_dump.sensitivity(model, card, 4, 8, (0.1, 0.4), (1e-8, 1e-4), workers=workers)


def test_beam_dump_models_on_the_pool_give_the_one_process_summary(tmp_path, monkeypatch):
    """One task per model (forked workers: the patched functions are theirs too); rows in model order."""
    models = ("dark-photon", "dark-scalar")
    monkeypatch.setattr(beam_dump, "REPRODUCE_MODELS", models)
    monkeypatch.setattr(beam_dump, "_reproduce_one", _fast_reproduce_one)
    monkeypatch.setattr(beam_dump, "_validation", lambda out, console, workers, combined=None: {
        "combined model": combined.model})
    summary = beam_dump.reproduce(tmp_path, Console(quiet=True))
    assert list(summary) == [f"{m}/{c}" for m in models for c in beam_dump.REPRODUCE_CARDS] + ["validation"]
    assert summary["validation"] == {"combined model": "dark-photon"}
    for m in models:
        for c in beam_dump.REPRODUCE_CARDS:
            res = _fast_reproduce_one(m, c, tmp_path, 1)
            assert summary[f"{m}/{c}"] == {**beam_dump._summary_row(res), "limits": res.limits.to_dict(),
                                           "n_pot": res.n_pot, "channels": res.channels}
