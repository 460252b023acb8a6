#!/usr/bin/env python
"""Re-run the shards of ONE run kind of a shipped production table with their recorded seeds, and merge.

Used when species are added to a run kind (pythia_production.SPECIES): the b baryons of the beauty run
(08234f7) and the charmed baryons of the charm run (f432d99).  The shard layout, hence every seed, is that
of the original ``admin/make_production_tables.py`` command, so give the same event counts, shard size,
master seed and beam energy (the shipped tables' commands are in that script's docstring).  The species the
table already has must come out bit-identical (counts and densities), else nothing is written.  Example
(the charm run of the shipped 400 GeV table):

    .venv/bin/python admin/rerun_table_kind.py --kind charm --soft 300000 --charm 50000 --beauty 50000 \
        --charmonium 20000 --table src/na62lab/generation/dump/data/production_tables.npz

and of the NuCal table (70 GeV on Fe): ``--beam-energy 70 --nucleus Fe --soft 40000 --charm 10000 --beauty 0
--charmonium 2000 --shard-size 5000 --table .../production_tables_70GeV_Fe.npz``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from na62lab.generation.dump.pythia_production import SPECIES
from na62lab.generation.dump.table_builder import NUCLEI, merge_shards, plan_shards, run_shards, write_table


def _merged_kind(table: dict, fresh: dict, kind: str) -> tuple[dict, list[str]]:
    """``table`` with the rows of ``kind`` replaced by ``fresh``'s (new species after the old ones of the kind);
    raises if a species the table had changed."""
    old = [str(s) for s in table["species"]]
    new = [str(s) for s in fresh["species"]]
    changed = [s for s in old if s in new and table["kind"][old.index(s)] == kind and not (
        np.array_equal(table["counts"][old.index(s)], fresh["counts"][new.index(s)])
        and np.array_equal(table["density"][old.index(s)], fresh["density"][new.index(s)]))]
    if changed:
        raise ValueError(f"re-run {kind} species {', '.join(changed)}: not bit-identical to the table's; give the "
                         "original command's event counts, --shard-size, --seed and --beam-energy")
    rows, added = [], [s for s in new if s not in old and fresh["kind"][new.index(s)] == kind]
    for i, s in enumerate(old):
        rows.append((s, table["kind"][i], table["density"][i], table["counts"][i]))
        last_of_kind = table["kind"][i] == kind and (i + 1 == len(old) or table["kind"][i + 1] != kind)
        if last_of_kind:
            rows += [(a, kind, fresh["density"][new.index(a)], fresh["counts"][new.index(a)]) for a in added]
    out = dict(table)
    out.update(species=np.array([r[0] for r in rows]), kind=np.array([r[1] for r in rows]),
               density=np.array([r[2] for r in rows], dtype=np.float64),
               counts=np.array([r[3] for r in rows], dtype=np.int64))
    return out, added


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kind", required=True, choices=sorted(SPECIES))
    for kind, default in (("soft", 300_000), ("charm", 50_000), ("beauty", 50_000), ("charmonium", 20_000)):
        ap.add_argument(f"--{kind}", type=int, default=default, help=f"{kind} events per nucleon of the original run")
    ap.add_argument("--shard-size", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=20210)
    ap.add_argument("--beam-energy", type=float, default=400.0)
    ap.add_argument("--nucleus", choices=sorted(NUCLEI), default="Cu")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "na62lab-rerun-shards")
    ap.add_argument("--table", type=Path, required=True, help="shipped table to update in place")
    a = ap.parse_args(argv)
    events = {k: v for k, v in {"soft": a.soft, "charm": a.charm, "beauty": a.beauty,
                                "charmonium": a.charmonium}.items() if v > 0}
    shards = [s for s in plan_shards(events, a.shard_size, a.seed, a.beam_energy) if s.kind == a.kind]
    fresh = merge_shards(run_shards(shards, a.work, a.workers), a.seed, a.nucleus)
    with np.load(a.table) as f:
        table = {k: f[k] for k in f.files}
    try:
        out, added = _merged_kind(table, fresh, a.kind)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    provenance = json.loads(str(table["provenance"]))
    provenance.setdefault("reruns", []).append(
        f"{time.strftime('%Y-%m-%d', time.gmtime())}: the {len(shards)} {a.kind} shards re-run with their seeds "
        f"(master seed {a.seed}, same layout); added {', '.join(added) or 'nothing'}; the other {a.kind} species "
        "bit-identical")
    out["provenance"] = np.array(json.dumps(provenance, sort_keys=True))
    write_table(a.table, out)
    print(f"wrote {a.table}: added {added}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
