"""Chunked, sharded, resumable kaon-mode simulation runs.

A run of ``decays`` K+ decays is cut into chunks of ``chunk_size`` (the last
one shorter); chunk ``i`` draws from ``shard_seeds(seed, n_chunks)[i]``, so
the numbers depend on (seed, decays, chunk_size) only, never on the number
of workers.  With an output folder each chunk is written atomically as
``chunk_NNNNN.parquet`` whose footer metadata records the run it belongs to;
a restarted run skips the chunks whose file is present, readable and from
the same run, so it ends with the same result as an uninterrupted one.

This is the one home of kaon-mode run orchestration: the ``simulate kaon``
command and the ``reproduce`` section (:func:`na62lab.analyses.kaon_sim.simulate`,
including its stratified background run) both call :func:`collect`, which can
also keep, per chunk, the rows of the tracks in acceptance
(:func:`acceptance_rows`, for the m_miss^2 vs p figure).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from na62lab.config.kaon import SM_MODES, KaonCard
from na62lab.errors import InputError
from na62lab.infra import atomic_write, iter_shards, shard_seeds
from na62lab.selection.kaon_cuts import FLAG_ACCEPTANCE, KINEMATIC
from na62lab.yields.kaon_sim import simulate_chunk
from na62lab.yields.kaon_tally import KaonTally, tally_columns

META_KEY = b"na62lab"
FORMAT_VERSION = 1
TALLY_COLUMNS = ("mode", "region", "pbin", "flags", "w_decay", "w_pid", "w_veto", "mmiss2_gev2", "decay")
ROW_COLUMNS = ("mode", "p_gev", "mmiss2_gev2", "w_decay")
"""Columns kept by :func:`acceptance_rows` (plus the boolean ``kinematic``)."""


@dataclass(frozen=True)
class Chunk:
    """One shard of a run: index, number of decays and its seed sequence."""

    index: int
    decays: int
    seed: np.random.SeedSequence


def plan(card: KaonCard) -> list[Chunk]:
    """The chunks of the card's run (depends on decays, chunk size and seed only)."""
    run = card.run
    n_chunks = -(-run.decays // run.chunk_size)
    seeds = shard_seeds(run.seed, n_chunks)
    sizes = [run.chunk_size] * (n_chunks - 1) + [run.decays - run.chunk_size * (n_chunks - 1)]
    return [Chunk(i, n, s) for i, (n, s) in enumerate(zip(sizes, seeds))]


def fingerprint(card: KaonCard) -> str:
    """SHA-256 of the card (every field), identifying the run a chunk file belongs to."""
    return hashlib.sha256(card.model_dump_json().encode()).hexdigest()


def chunk_path(out_dir: Path, index: int, suffix: str = ".parquet") -> Path:
    """File of chunk ``index`` in ``out_dir``."""
    return Path(out_dir) / f"chunk_{index:05d}{suffix}"


def _metadata(card: KaonCard, chunk: Chunk, n_generated: dict, n_rows: int, full: bool) -> dict:
    return {"format": FORMAT_VERSION, "card": fingerprint(card), "chunk": chunk.index, "decays": chunk.decays,
            "seed": card.run.seed, "chunk_size": card.run.chunk_size, "n_generated": n_generated,
            "rows": n_rows, "full": full}


def _write_parquet(path: Path, columns: dict, meta: dict) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(columns).replace_schema_metadata({META_KEY: json.dumps(meta, sort_keys=True).encode()})
    atomic_write(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))


def _write_root(path: Path, columns: dict) -> None:
    import uproot

    def writer(tmp: Path) -> None:
        with uproot.recreate(tmp) as f:
            f["events"] = {k: np.asarray(v) for k, v in columns.items()}
    atomic_write(path, writer)


def read_chunk_meta(path: Path) -> dict | None:
    """Metadata of a chunk file, or None if it is missing, unreadable or incomplete."""
    import pyarrow.parquet as pq

    try:
        md = pq.read_metadata(path)
        meta = json.loads((md.metadata or {})[META_KEY])
    except (OSError, KeyError, ValueError, TypeError):
        return None
    except Exception:  # noqa: BLE001 - pyarrow raises its own types for corrupt files
        return None
    return meta if md.num_rows == meta.get("rows") else None


def chunk_done(card: KaonCard, chunk: Chunk, out_dir: Path, full: bool = False) -> bool:
    """True if ``out_dir`` holds a complete file of this chunk of this run."""
    meta = read_chunk_meta(chunk_path(out_dir, chunk.index))
    return (meta is not None and meta["card"] == fingerprint(card) and meta["chunk"] == chunk.index
            and meta["decays"] == chunk.decays and meta.get("full", False) == full)


@dataclass(frozen=True)
class ChunkOutput:
    """What one chunk gives back: its tally and, if asked, its :func:`acceptance_rows`."""

    tally: KaonTally
    rows: dict | None = None


@dataclass(frozen=True)
class RunOutput:
    """A whole run, summed in chunk order: tally, acceptance rows (None unless asked) and decays per mode."""

    tally: KaonTally
    rows: dict | None

    @property
    def n_generated(self) -> dict[str, int]:
        """Decays generated per Standard-Model mode (every mode of :data:`~na62lab.config.kaon.SM_MODES`)."""
        return {mode: int(k) for mode, k in zip(SM_MODES, self.tally.n_generated)}


def acceptance_rows(columns: dict) -> dict:
    """Rows of the tracks in the downstream acceptance with a reconstructed m_miss^2.

    Parameters
    ----------
    columns : dict
        Stored chunk columns (:data:`na62lab.yields.kaon_sim.COLUMNS`; at least ``flags`` and
        :data:`ROW_COLUMNS`).

    Returns
    -------
    dict
        :data:`ROW_COLUMNS` of those tracks (``p_gev`` in GeV/c, ``mmiss2_gev2`` in GeV^2/c^4) and
        ``kinematic`` (all kinematic cuts passed).
    """
    flags = np.asarray(columns["flags"])
    acc = ((flags & FLAG_ACCEPTANCE) != 0) & np.isfinite(columns["mmiss2_gev2"])
    rows = {k: np.asarray(columns[k])[acc] for k in ROW_COLUMNS}
    rows["kinematic"] = ((flags & KINEMATIC) == KINEMATIC)[acc]
    return rows


def run_chunk(card_json: str, chunk: Chunk, out_dir: str | None, full: bool = False,
              root: bool = False, rows: bool = False) -> ChunkOutput:
    """Simulate one chunk, write it (if ``out_dir``) and return its tally (and rows if ``rows``).

    Module-level and picklable, for local processes or Dask workers.  The
    ROOT file (``root=True``) is written before the Parquet file, whose
    presence marks the chunk complete.
    """
    card = KaonCard.model_validate_json(card_json)
    result = simulate_chunk(card, chunk.decays, np.random.default_rng(chunk.seed), full=full)
    if out_dir is not None:
        meta = _metadata(card, chunk, result.n_generated, len(result.columns["mode"]), full)
        if root:
            _write_root(chunk_path(Path(out_dir), chunk.index, ".root"), result.columns)
        _write_parquet(chunk_path(Path(out_dir), chunk.index), result.columns, meta)
    return ChunkOutput(tally_columns(result.columns, result.n_generated, card),
                       acceptance_rows(result.columns) if rows else None)


def tally_file(path: Path, card: KaonCard) -> KaonTally:
    """Tally of a stored chunk file (reads only the columns needed)."""
    return read_chunk(path, card).tally


def read_chunk(path: Path, card: KaonCard, rows: bool = False) -> ChunkOutput:
    """Tally (and :func:`acceptance_rows` if ``rows``) of a stored chunk file, reading only the columns needed."""
    import pyarrow.parquet as pq

    meta = read_chunk_meta(path)
    if meta is None:
        raise InputError("chunk file", str(path), "a complete chunk written by na62lab simulate kaon")
    names = list(dict.fromkeys(TALLY_COLUMNS + (ROW_COLUMNS if rows else ())))
    table = pq.read_table(path, columns=names)
    cols = {name: table.column(name).to_numpy() for name in names}
    return ChunkOutput(tally_columns(cols, meta["n_generated"], card), acceptance_rows(cols) if rows else None)


def iter_run(card: KaonCard, out_dir: Path | None = None, workers: int = 1, scheduler: str | None = None,
             full: bool = False, root: bool = False,
             rows: bool = False) -> Iterator[tuple[int, ChunkOutput, bool]]:
    """Run (or resume) the card's simulation; yield ``(chunk index, output, reused)`` as chunks complete.

    Chunks already complete in ``out_dir`` are read back, not simulated again;
    temporary files left by a killed run are removed first (do not point two
    runs at the same folder at the same time).
    """
    chunks = plan(card)
    if out_dir is not None:
        for stale in Path(out_dir).glob(".chunk_*.part"):   # temporary files of a killed run
            stale.unlink(missing_ok=True)
    todo = []
    for c in chunks:
        if out_dir is not None and chunk_done(card, c, out_dir, full):
            yield c.index, read_chunk(chunk_path(out_dir, c.index), card, rows), True
        else:
            todo.append(c)
    args = [(card.model_dump_json(), c, None if out_dir is None else str(out_dir), full, root, rows) for c in todo]
    for k, output in iter_shards(run_chunk, args, workers=workers, scheduler=scheduler):
        yield todo[k].index, output, False


def prepare(workers: int = 2, scheduler: str | None = None) -> None:
    """Compile the kaon-mode kernels missing from the cache once, before any chunk runs (local runs only).

    ``workers`` >= 2 compiles the kernel groups at once in forked processes
    (:func:`na62lab.kernels.prepare`); a Dask cluster compiles on its workers.
    """
    if scheduler is None:
        from na62lab.kernels import prepare as prepare_kernels

        prepare_kernels("kaon", workers=workers)


def collect(card: KaonCard, out_dir: Path | None = None, workers: int = 1, scheduler: str | None = None,
            full: bool = False, root: bool = False, rows: bool = False,
            progress: Callable[[int, int, bool], None] | None = None) -> RunOutput:
    """Run the card's simulation (or resume it from ``out_dir``); chunk outputs summed in chunk order.

    The result depends on the card only (run size, chunk size and seed
    included), never on ``workers``, ``scheduler`` or on which chunks were
    read back from files.

    Parameters
    ----------
    card : KaonCard
    out_dir : Path, optional
        Folder of the chunk files (resume from it); nothing is written without it.
    workers : int
        Local processes (ignored with ``scheduler``).
    scheduler : str, optional
        Dask scheduler address.
    full, root : bool
        Store true four-momenta; also write ROOT files.
    rows : bool
        Also keep the :func:`acceptance_rows` of every chunk (concatenated in chunk order).
    progress : callable, optional
        Called as ``progress(decays_done, decays_total, reused)`` after each chunk.

    Returns
    -------
    RunOutput
    """
    chunks = plan(card)
    outputs: list[ChunkOutput | None] = [None] * len(chunks)
    done = 0
    for index, output, reused in iter_run(card, out_dir, workers, scheduler, full, root, rows):
        outputs[index] = output
        done += chunks[index].decays
        if progress is not None:
            progress(done, card.run.decays, reused)
    parts = [o for o in outputs if o is not None]
    total = parts[0].tally
    for o in parts[1:]:
        total = total + o.tally
    kept = None
    if rows:
        kept = {k: np.concatenate([o.rows[k] for o in parts if o.rows is not None]) for k in (*ROW_COLUMNS,
                                                                                               "kinematic")}
    return RunOutput(total, kept)


def run(card: KaonCard, out_dir: Path | None = None, workers: int = 1, scheduler: str | None = None,
        full: bool = False, root: bool = False,
        progress: Callable[[int, int, bool], None] | None = None) -> KaonTally:
    """The total tally of :func:`collect` (same arguments, no rows)."""
    return collect(card, out_dir, workers, scheduler, full, root, progress=progress).tally
