"""Run every benchmarks/bench_*.py and write their Markdown sections to results.md.

The numba on-disk cache of a benchmark run is the environment's own
(``<sys.prefix>/numba-cache`` unless ``NUMBA_CACHE_DIR`` is set; the package adds a
``src-<source hash>`` sub-folder, :mod:`na62lab.physics.jit`), so the
benchmark environment (numpy < 2.4) and the development one never share or
overwrite each other's entries, and it is fixed before any section imports
numba: a section that changes ``NA62LAB_CACHE`` (bench_dump points it at
temporary folders) then cannot move the numba cache of later sections or of
their subprocesses into a deleted, empty folder, which used to make the kaon
memory subprocess compile every kernel cold (about 7 CPU minutes).  The
environment variables are also restored after each section.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def bench_numba_cache() -> str:
    """Set (if unset) and return ``NUMBA_CACHE_DIR``: this environment's own numba cache folder."""
    return os.environ.setdefault("NUMBA_CACHE_DIR", str(Path(sys.prefix) / "numba-cache"))


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(HERE / "results.md"))
    parser.add_argument("--only", default="", help="comma-separated bench names (e.g. stats,fips)")
    args = parser.parse_args()
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    cache = bench_numba_cache()
    sections = [f"# na62lab benchmark results\n\nMeasured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
                f"on {platform.machine()}, Python {platform.python_version()}, "
                f"{os.cpu_count()} cores, numba cache `{cache}`. Ratios compare with a baseline run in the same "
                f"process.\n"]
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"running {path.name} ...", file=sys.stderr, flush=True)
        t0, environ = time.perf_counter(), dict(os.environ)
        try:
            text = _load(path).run().rstrip()
        finally:
            os.environ.clear()
            os.environ.update(environ)
        sections.append(text + f"\n\n_(section took {time.perf_counter() - t0:.1f} s)_\n")
    from na62lab.results.io import atomic_write_text

    atomic_write_text(Path(args.out), "\n".join(sections))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
