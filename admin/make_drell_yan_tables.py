#!/usr/bin/env python
"""Make the shipped Drell-Yan (q qbar -> V) tables of na62lab.generation.dump.drell_yan.

Per FIP mass node (log-spaced) and target nucleon (p, n): the LO cross sections per unit
g_q^2 for u, d, s, c (Pythia's default PDF, NNPDF2.3 QCD+QED LO, at Q^2 = M^2), Pythia's own
cross section of its 2 -> 1 Z' with dark-photon couplings (the cross-check) and the V's
(log10 p, log10 theta) histogram from those runs (ISR and primordial kT on).  See
na62lab.generation.dump.drell_yan_pythia.  The shipped tables:

    .venv/bin/python admin/make_drell_yan_tables.py --beam-energy 400 --m-min 1.0 --m-max 12 \
        --nodes 40 --events 30000 --workers 1 --out src/na62lab/generation/dump/data/drell_yan_400GeV.npz
    .venv/bin/python admin/make_drell_yan_tables.py --beam-energy 70 --m-min 1.0 --m-max 8 \
        --nodes 30 --events 30000 --workers 1 --out src/na62lab/generation/dump/data/drell_yan_70GeV.npz
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from na62lab.generation.dump.binning import LOG10P_EDGES, LOG10THETA_EDGES
from na62lab.generation.dump.drell_yan_pythia import (PDF_SET, QUARKS, alpha_em, lo_cross_sections, mandelstam_s,
                                                      run_mass)
from na62lab.generation.dump.table_builder import write_table
from na62lab.parallel import map_shards, shard_seeds
from na62lab.generation.dump.pythia_production import pythia_seed, pythia_version


def _node(mass: float, target: str, n_events: int, seed: int, energy: float) -> dict:
    out = run_mass(mass, target, n_events, seed, energy)
    out["lo"] = lo_cross_sections(mass, target, energy)
    out["alpha_em"] = alpha_em(mass)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--beam-energy", type=float, default=400.0, help="proton beam energy (GeV)")
    ap.add_argument("--m-min", type=float, default=1.0, help="lowest mass node (GeV)")
    ap.add_argument("--m-max", type=float, default=12.0, help="highest mass node (GeV)")
    ap.add_argument("--nodes", type=int, default=40)
    ap.add_argument("--events", type=int, default=30_000, help="Pythia events per node and target nucleon")
    ap.add_argument("--seed", type=int, default=20211)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    masses = np.geomspace(a.m_min, a.m_max, a.nodes)
    jobs = [(float(m), t) for t in ("p", "n") for m in masses]
    seeds = [pythia_seed(s) for s in shard_seeds(a.seed, len(jobs))]
    res = map_shards(_node, [(m, t, a.events, sd, a.beam_energy) for (m, t), sd in zip(jobs, seeds)], a.workers)
    n = len(masses)
    sigma_lo = np.array([[[r["lo"][q] for r in res[i * n:(i + 1) * n]] for q in QUARKS] for i in range(2)])
    density = np.array([[r["counts"] / r["n_events"] for r in res[i * n:(i + 1) * n]] for i in range(2)],
                       dtype=np.float32)
    prov = {"generator": f"Pythia {pythia_version()} (pythia8mc)", "pdf": f"{PDF_SET} (NNPDF2.3 QCD+QED LO, "
            "Pythia's default proton PDF), Q^2 = M^2", "beam_energy_gev": a.beam_energy,
            "sqrt_s_gev": float(np.sqrt(mandelstam_s(a.beam_energy))),
            "targets": "p and n at rest (nuclear mixture Z, A - Z applied at run time from the card)",
            "made_by": "admin/make_drell_yan_tables.py " + " ".join(sys.argv[1:] if argv is None else argv),
            "date_utc": time.strftime("%Y-%m-%d", time.gmtime()), "events_per_node": a.events,
            "master_seed": a.seed,
            "settings_example": [s for s in res[0]["settings"] if not s.startswith("Random:seed")],
            "sigma_lo": "mb per unit g_q^2, LO narrow-width q qbar -> V, per flavour u, d, s, c",
            "sigma_pythia": "mb, Pythia's Z' with g_q = e Q_q at alpha_em(M^2) (the cross-check)"}
    arrays = {"masses_gev": masses, "quarks": np.array(QUARKS), "targets": np.array(["p", "n"]),
              "sigma_lo_mb": sigma_lo,
              "sigma_pythia_mb": np.array([[r["sigma_mb"] for r in res[i * n:(i + 1) * n]] for i in range(2)]),
              "sigma_pythia_err_mb": np.array([[r["sigma_err_mb"] for r in res[i * n:(i + 1) * n]] for i in range(2)]),
              "alpha_em": np.array([r["alpha_em"] for r in res[:n]]),
              "mean_pt_gev": np.array([[r["mean_pt_gev"] for r in res[i * n:(i + 1) * n]] for i in range(2)]),
              "density": density, "log10p_edges": LOG10P_EDGES, "log10theta_edges": LOG10THETA_EDGES,
              "provenance": np.array(json.dumps(prov, sort_keys=True))}
    print(f"wrote {write_table(a.out, arrays)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
