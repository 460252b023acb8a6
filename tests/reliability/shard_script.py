"""Subprocess target of the signal tests: slow shards on local workers through na62lab.parallel.

Usage: python shard_script.py FOLDER N_SHARDS SECONDS_PER_SHARD
Each shard writes FOLDER/pid_<pid> when it starts and FOLDER/shard_<i> (atomically) when done; the
parent installs the CLI's signal handling and prints 'done' at the end.
"""

import os
import sys
import time
from pathlib import Path


def shard(folder: str, i: int, seconds: float) -> int:
    Path(folder, f"pid_{os.getpid()}").touch()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.02)
    from na62lab.results.io import atomic_write_text

    atomic_write_text(Path(folder, f"shard_{i}"), str(i))
    return i


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    from shard_script import shard as shard_fn  # picklable by module name

    from na62lab.cli.main import _install_signals
    from na62lab.parallel import map_shards

    folder, n, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    _install_signals()
    try:
        map_shards(shard_fn, [(folder, i, seconds) for i in range(n)], workers=2)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
    print("done", flush=True)
