#!/usr/bin/env python
"""Make the shipped library of inclusive hadronic FIP decays (na62lab.generation.dump.hadronic_decays).

For every parton channel (g g, u ubar, d dbar, s sbar, c cbar, tau+ tau-; u dbar, u sbar, c sbar) and mass node, Pythia
hadronises a back-to-back colour-singlet pair in the FIP rest frame
(na62lab.generation.dump.hadronic_pythia); the final particles are stored as PDG ids and
three-momenta in units of the node mass (float16), ragged with per-event counts.  The shipped file:

    .venv/bin/python admin/make_hadronic_decays.py --events 400 \
        --out src/na62lab/generation/dump/data/hadronic_decays.npz
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from na62lab.generation.dump.hadronic_pythia import CHANNELS, SETTINGS, hadronise
from na62lab.generation.dump.pythia_production import pythia_seed, pythia_version

NODES_GEV: dict[str, np.ndarray] = {
    **{c: np.geomspace(1.0, 6.0, 16) for c in ("gg", "uu", "dd", "ss", "ud", "us")},
    "cc": np.geomspace(3.75, 6.0, 6),          # from just above 2 m(D0) = 3.730 GeV
    "tautau": np.geomspace(3.56, 6.0, 6),      # from just above 2 m(tau) = 3.554 GeV
    "cs": np.geomspace(2.2, 6.0, 8),           # c sbar (HNL charged current): above m(Ds) + m(pi0) = 2.10 GeV
}
"""Mass nodes (GeV) per channel: log-spaced, 1-6 GeV (the B-meson reach) or from the threshold."""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=400, help="hadronised decays per channel and node")
    ap.add_argument("--seed", type=int, default=35)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    seeds = iter(np.random.SeedSequence(a.seed).spawn(sum(v.size for v in NODES_GEV.values())))
    arrays: dict[str, np.ndarray] = {}
    masses: dict[int, float] = {}
    failures: dict[str, list[int]] = {}
    for ch in CHANNELS:
        counts, pdg, mom, fails = [], [], [], []
        for node in NODES_GEV[ch]:
            res = hadronise(ch, float(node), a.events, pythia_seed(next(seeds)))
            counts += [len(ids) for ids in res["pdg"]]
            pdg += res["pdg"]
            mom += [p / node for p in res["p"]]
            masses |= res["masses"]
            fails.append(res["failures"])
        arrays[f"{ch}|nodes_gev"] = NODES_GEV[ch]
        arrays[f"{ch}|counts"] = np.array(counts, dtype=np.int16).reshape(NODES_GEV[ch].size, a.events)
        arrays[f"{ch}|pdg"] = np.concatenate(pdg).astype(np.int16)
        arrays[f"{ch}|p_over_m"] = np.concatenate(mom).astype(np.float16)
        failures[ch] = fails
    ids = sorted(masses)
    arrays["pdg_ids"] = np.array(ids, dtype=np.int32)
    arrays["pdg_masses_gev"] = np.array([masses[i] for i in ids])
    prov = {"generator": f"Pythia {pythia_version()} (pythia8mc), arXiv:2203.11601",
            "usage": "hand-filled colour-singlet pair at rest along +z, forceTimeShower(1, 2, M) (not for "
                     "tau tau), then hadronisation and decays (ProcessLevel:all = off)",
            "settings": SETTINGS, "master_seed": a.seed, "events_per_node": a.events,
            "pythia_failures_regenerated": failures,
            "momenta": "p / M_node, float16 (relative precision 2^-11 = 4.9e-4); rest frame",
            "made_by": "admin/make_hadronic_decays.py " + " ".join(sys.argv[1:] if argv is None else argv),
            "date_utc": time.strftime("%Y-%m-%d", time.gmtime())}
    arrays["provenance"] = np.array(json.dumps(prov))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(a.out, **arrays)  # type: ignore[arg-type]
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
