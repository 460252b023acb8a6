"""Build the shipped production table from sharded, resumable Pythia runs.

The work is a fixed list of shards (kind, target nucleon, index); shard ``i``
of the list gets the ``i``-th child of ``SeedSequence(seed)``, so the layout
depends only on the requested event counts and the shard size, never on the
number of workers.  Each finished shard is written atomically to the work
folder; a killed run, restarted with the same arguments, skips the shards
already on disk.  :func:`merge_shards` combines them with the copper nucleon
fractions (Z/A protons, 1 - Z/A neutrons) and writes the table.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from na62lab.errors import require
from na62lab.generation.dump.binning import LOG10P_EDGES, LOG10THETA_EDGES
from na62lab.generation.dump.pythia_production import (BEAM_ENERGY_GEV, SPECIES, pythia_seed, pythia_settings,
                                                       pythia_version, run_shard)
from na62lab.infra import atomic_write, map_shards, shard_seeds
from na62lab.physics.materials import MATERIALS

NUCLEI = {name: (MATERIALS[name].z, MATERIALS[name].a) for name in ("Cu", "Fe")}
"""Dump materials of the shipped tables: atomic number and standard atomic weight (IUPAC), from
:data:`na62lab.physics.materials.MATERIALS`: NA62 TAX and CHARM (Cu), NuCal (Fe)."""
TARGETS = ("p", "n")


@dataclass(frozen=True)
class Shard:
    """One unit of work: ``n_events`` of ``kind`` on ``target`` with a Pythia ``seed``."""

    kind: str
    target: str
    index: int
    n_events: int
    seed: int
    beam_energy_gev: float = BEAM_ENERGY_GEV

    @property
    def filename(self) -> str:
        """File name of this part's table (``[<E>GeV_]<kind>_<target>_<index>.npz``)."""
        tag = "" if self.beam_energy_gev == BEAM_ENERGY_GEV else f"{self.beam_energy_gev:g}GeV_"
        return f"{tag}{self.kind}_{self.target}_{self.index:04d}.npz"


def plan_shards(events: dict[str, int], shard_size: int, seed: int,
                beam_energy_gev: float = BEAM_ENERGY_GEV) -> list[Shard]:
    """The fixed list of shards for ``events`` (kind -> events per target nucleon).

    Parameters
    ----------
    events : dict
        Run kind -> number of events on *each* target nucleon (p and n).
    shard_size : int
        Events per shard (the last shard of a kind may be smaller).
    seed : int
        Master seed; shard i uses child i of ``SeedSequence(seed)``.
    beam_energy_gev : float
        Proton beam energy (GeV) of every shard.
    """
    require(shard_size >= 1, "shard_size", shard_size, "an integer >= 1")
    for kind, n in events.items():
        require(kind in SPECIES, "kind", kind, f"one of {sorted(SPECIES)}")
        require(n >= 0, f"events[{kind}]", n, "a non-negative integer")
    layout = []
    for kind in sorted(events):
        for target in TARGETS:
            sizes = [shard_size] * (events[kind] // shard_size)
            sizes += [events[kind] % shard_size] if events[kind] % shard_size else []
            layout += [(kind, target, i, n) for i, n in enumerate(sizes)]
    seeds = shard_seeds(seed, len(layout))
    return [Shard(k, t, i, n, pythia_seed(s), float(beam_energy_gev)) for (k, t, i, n), s in zip(layout, seeds)]


def _save_shard(path: Path, shard: Shard, result: dict) -> None:
    arrays = {f"counts/{name}": c for name, c in result["counts"].items()}
    meta = {"kind": shard.kind, "target": shard.target, "n_events": result["n_events"],
            "seed": shard.seed, "sigma_mb": result["sigma_mb"], "settings": result["settings"]}
    atomic_write(path, lambda p: np.savez_compressed(open(p, "wb"), meta=json.dumps(meta), **arrays))


def run_one(shard: Shard, work_dir: str) -> str:
    """Run ``shard`` unless its file exists in ``work_dir``; return the file path."""
    path = Path(work_dir) / shard.filename
    if not _shard_done(path, shard):
        _save_shard(path, shard, run_shard(shard.kind, shard.target, shard.n_events, shard.seed,
                                           beam_energy_gev=shard.beam_energy_gev))
    return str(path)


def _shard_done(path: Path, shard: Shard) -> bool:
    if not path.is_file():
        return False
    try:
        with np.load(path) as f:
            meta = json.loads(str(f["meta"]))
    except (OSError, ValueError, KeyError):
        return False
    energy = f"Beams:eA = {float(shard.beam_energy_gev)}"
    return meta["seed"] == shard.seed and meta["n_events"] == shard.n_events and energy in meta["settings"]


def run_shards(shards: list[Shard], work_dir: Path, workers: int = 1,
               scheduler: str | None = None) -> list[str]:
    """Run (or resume) every shard; returns the shard file paths in shard order."""
    work_dir.mkdir(parents=True, exist_ok=True)
    return map_shards(run_one, [(s, str(work_dir)) for s in shards], workers, scheduler)


def _load_shard(path: str) -> tuple[dict, dict[str, np.ndarray]]:
    with np.load(path) as f:
        meta = json.loads(str(f["meta"]))
        counts = {k.split("/", 1)[1]: f[k] for k in f.files if k.startswith("counts/")}
    return meta, counts


def merge_shards(paths: list[str], master_seed: int, nucleus: str = "Cu") -> dict[str, np.ndarray]:
    """Combine shard files into the arrays of the shipped table.

    Returns the arrays written by :func:`write_table`: ``species``, ``kind``,
    ``density`` (expected count per bin per event of the species' kind: per
    inelastic collision for ``soft``, per heavy-quark-pair event for
    ``charm``/``beauty``, per charmonium event for ``charmonium``), ``counts``
    (raw generated counts, for statistical errors), edges and ``provenance``.
    ``nucleus`` (a key of :data:`NUCLEI`) sets the proton and neutron fractions Z/A and 1 - Z/A.
    """
    require(nucleus in NUCLEI, "nucleus", nucleus, f"one of {sorted(NUCLEI)}")
    totals: dict[tuple[str, str], dict] = {}
    for path in paths:
        meta, counts = _load_shard(path)
        key = (meta["kind"], meta["target"])
        entry = totals.setdefault(key, {"n": 0, "counts": {}, "sigma": [], "settings": meta["settings"],
                                        "seeds": []})
        entry["n"] += meta["n_events"]
        entry["sigma"].append(meta["sigma_mb"])
        entry["seeds"].append(meta["seed"])
        for name, c in counts.items():
            entry["counts"][name] = entry["counts"].get(name, 0) + c
    return _assemble(totals, master_seed, nucleus)


def _assemble(totals: dict, master_seed: int, nucleus: str = "Cu") -> dict[str, np.ndarray]:
    z, a = NUCLEI[nucleus]
    frac = {"p": z / a, "n": 1.0 - z / a}
    names, kinds, dens, raw = [], [], [], []
    for kind in sorted({k for k, _ in totals}):
        for name in SPECIES[kind]:
            d = sum(frac[t] * totals[(kind, t)]["counts"][name] / totals[(kind, t)]["n"]
                    for t in TARGETS if (kind, t) in totals)
            names.append(name)
            kinds.append(kind)
            dens.append(d)
            raw.append(sum(totals[(kind, t)]["counts"][name] for t in TARGETS if (kind, t) in totals))
    return {"species": np.array(names), "kind": np.array(kinds),
            "density": np.array(dens, dtype=np.float64), "counts": np.array(raw, dtype=np.int64),
            "log10p_edges": LOG10P_EDGES, "log10theta_edges": LOG10THETA_EDGES,
            "provenance": np.array(_provenance(totals, master_seed, frac, nucleus))}


def _provenance(totals: dict, master_seed: int, frac: dict, nucleus: str = "Cu") -> str:
    runs = {f"{k}/{t}": {"events": v["n"], "sigma_generated_mb": float(np.mean(v["sigma"])),
                         "settings": [s for s in v["settings"] if not s.startswith("Random:seed")],
                         "n_shards": len(v["seeds"])} for (k, t), v in sorted(totals.items())}
    return json.dumps({
        "generator": f"Pythia {pythia_version()} (pythia8mc), default Monash tune",
        "made_by": "admin/make_production_tables.py", "master_seed": master_seed,
        "date_utc": time.strftime("%Y-%m-%d", time.gmtime()),
        "target": f"{nucleus} nucleons: p fraction Z/A = {frac['p']:.4f}, n fraction {frac['n']:.4f}",
        "normalisation": "density = mean count per bin per event of the run kind; soft = per "
                         "inelastic collision (= per POT in the single-interaction picture); "
                         "charm/beauty/charmonium = per generated heavy-quark (charmonium) event, "
                         "multiply by chi from the card",
        "binning": "log10(p/GeV) x log10(theta/rad), see na62lab.generation.dump.binning",
        "approximations": "single interaction per proton; no secondary (cascade) production; "
                          f"nucleon-level collisions (no nuclear effects of {nucleus})",
        "runs": runs}, sort_keys=True)


def write_table(path: Path, arrays: dict[str, np.ndarray]) -> Path:
    """Write the merged arrays to ``path`` (compressed npz) atomically."""
    def _writer(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]  # numpy stubs: ** could fill allow_pickle
        tmp.chmod(0o644)  # package data: world-readable
    return atomic_write(path, _writer)


def build(events: dict[str, int], out: Path, work_dir: Path, shard_size: int = 10_000,
          seed: int = 20210, workers: int = 1, scheduler: str | None = None,
          beam_energy_gev: float = BEAM_ENERGY_GEV, nucleus: str = "Cu") -> Path:
    """Plan, run (resuming finished shards) and merge; write the table to ``out``.

    ``beam_energy_gev`` is the proton energy (GeV) and ``nucleus`` the dump material
    (:data:`NUCLEI`) that sets the p/n mixture; both are recorded in the provenance.
    """
    require(nucleus in NUCLEI, "nucleus", nucleus, f"one of {sorted(NUCLEI)}")
    shards = plan_shards(events, shard_size, seed, beam_energy_gev)
    paths = run_shards(shards, work_dir, workers, scheduler)
    return write_table(out, merge_shards(paths, seed, nucleus))


__all__ = ["Shard", "plan_shards", "run_one", "run_shards", "merge_shards", "write_table", "build",
           "pythia_settings", "NUCLEI"]
