"""Run every benchmarks/bench_*.py and write their Markdown sections to results.md."""

from __future__ import annotations

import argparse
import importlib.util
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


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
    sections = [f"# na62lab benchmark results\n\nMeasured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
                f"on {platform.machine()}, Python {platform.python_version()}, "
                f"{__import__('os').cpu_count()} cores. Ratios compare with a baseline run in the same process.\n"]
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"running {path.name} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        sections.append(_load(path).run().rstrip() + f"\n\n_(section took {time.perf_counter() - t0:.1f} s)_\n")
    Path(args.out).write_text("\n".join(sections))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
