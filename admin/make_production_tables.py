#!/usr/bin/env python
"""Regenerate the beam-dump production table shipped in na62lab.

400 GeV protons on copper nucleons (Pythia 8 via pythia8mc), histogrammed in
(log10 p, log10 theta) per species; see na62lab.generation.dump.table_builder.
Shards are written atomically to --work; re-running the same command resumes
a killed run.  Example (the shipped table):

    .venv/bin/python admin/make_production_tables.py --soft 300000 --charm 50000 \
        --beauty 50000 --charmonium 20000 --workers 2

Events are per target nucleon (p and n each).  Use --scheduler tcp://host:8786
to run the shards on a Dask cluster.

Another beam energy and dump material (the NuCal table shipped as
production_tables_70GeV_Fe.npz: 70 GeV U70 protons on iron):

    .venv/bin/python admin/make_production_tables.py --beam-energy 70 --nucleus Fe \
        --soft 100000 --charm 20000 --beauty 0 --charmonium 0 --workers 2 \
        --out src/na62lab/generation/dump/data/production_tables_70GeV_Fe.npz
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from na62lab.generation.dump.table_builder import NUCLEI, build
from na62lab.generation.dump.tables import SHIPPED_TABLE


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--soft", type=int, default=300_000, help="SoftQCD:inelastic events per nucleon")
    ap.add_argument("--charm", type=int, default=50_000, help="HardQCD:hardccbar events per nucleon")
    ap.add_argument("--beauty", type=int, default=50_000, help="HardQCD:hardbbbar events per nucleon")
    ap.add_argument("--charmonium", type=int, default=20_000, help="Charmonium:all events per nucleon")
    ap.add_argument("--shard-size", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=20210)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--scheduler", default=None)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "na62lab-production-shards")
    ap.add_argument("--out", type=Path, default=SHIPPED_TABLE)
    ap.add_argument("--beam-energy", type=float, default=400.0, help="proton beam energy (GeV)")
    ap.add_argument("--nucleus", choices=sorted(NUCLEI), default="Cu", help="dump material (p/n mixture)")
    a = ap.parse_args(argv)
    events = {k: v for k, v in {"soft": a.soft, "charm": a.charm, "beauty": a.beauty,
                                "charmonium": a.charmonium}.items() if v > 0}
    out = build(events, a.out, a.work, a.shard_size, a.seed, a.workers, a.scheduler,
                beam_energy_gev=a.beam_energy, nucleus=a.nucleus)
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
