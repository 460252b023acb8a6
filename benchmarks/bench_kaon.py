"""Kaon-mode fast simulation: full-chain throughput vs Pythia 8 decaying the same K+, and memory.

Measured in one run on this machine:

- numba kernels: time to load them from the on-disk cache (or compile them,
  when the cache is cold or stale), reported separately and never inside a
  timed region; how many kernels were compiled and how many loaded;
- full chain (beam, SM decays with matrix elements, detector response, GTK
  matching, selection, tallies) in K+ decays per second per core (CPU time
  of one process, best of 3), on the physical K+ decay mix (PDG branching
  ratios: what Pythia decays) and on the card's enriched mix;
- Pythia 8 (``pythia8mc``, ``ProcessLevel:all = off``) decaying K+ of the
  card's beam momenta, one K+ per event and 200 K+ per event.  The four-momenta
  are Python floats computed before the timing; the timed loop is
  ``event.reset(); event.append(...); pythia.next()``.  The same loop without
  ``next()`` (the Python feeding overhead) is timed too, so Pythia's rate is
  given with the feeding (as a user runs it: the ratio column) and net of it.
  Every K+ of an untimed pass with the same feeding is checked in the event
  record to have decayed (status < 0, with daughters), and the K+ -> mu+ nu
  fraction is compared with the PDG value.  Decay only, no detector: the
  ratio understates the per-decay gain;
- the machine load (load average) before and after the timing;
- peak resident memory of ``simulate kaon``-style chunked runs (Parquet
  output, one worker) of 2e6 and 2e7 decays in a fresh subprocess that first
  loads the kernels (timed separately) and then resets the peak-RSS counter
  (Linux ``/proc/self/clear_refs``), so compiler memory is not counted; the
  1e8 row is a linear extrapolation of those two runs, labelled as such.

The subprocess uses the parent's numba cache folder (``NUMBA_CACHE_DIR``), so
the kernels the parent loaded or compiled are not compiled again there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kaon_stages import stage_costs, stage_lines  # noqa: E402  (sibling module of this benchmark)

N_CHAIN = 2_000_000
N_PYTHIA = 20_000
N_WARM = 20_000
EXTRAPOLATE_TO = 100_000_000
MEMORY_RUNS = tuple(int(x) for x in os.environ.get("NA62LAB_BENCH_KAON_MEMORY", "2000000,20000000").split(","))
CHILD_TIMEOUT_S = float(os.environ.get("NA62LAB_BENCH_KAON_TIMEOUT", "900"))
_PYTHIA_SETTINGS = ("ProcessLevel:all = off", "321:mayDecay = on", "211:mayDecay = off", "13:mayDecay = off",
                    "130:mayDecay = off", "Print:quiet = on", "Next:numberCount = 0")


# --- numba kernels -----------------------------------------------------------------------------------

def _kernel_counts() -> tuple[int, int]:
    """(compiled, loaded from the on-disk cache) numba kernel signatures of na62lab in this process."""
    from numba.core.dispatcher import Dispatcher

    compiled = loaded = 0
    seen = set()
    for name, module in list(sys.modules.items()):
        if not name.startswith("na62lab") or module is None:
            continue
        for obj in list(vars(module).values()):
            if isinstance(obj, Dispatcher) and id(obj) not in seen:
                seen.add(id(obj))
                compiled += sum(obj.stats.cache_misses.values())
                loaded += sum(obj.stats.cache_hits.values())
    return compiled, loaded


def numba_cache_dir() -> str:
    """Folder of the numba on-disk cache this process uses (after na62lab set it up)."""
    import numba

    import na62lab.physics.phase_space  # noqa: F401 - sets numba.config.CACHE_DIR (na62lab.physics.jit: <base>/src-<hash>)

    return str(numba.config.CACHE_DIR)


def _card(natural: bool):
    from na62lab.config.base import load_card, parse_card
    from na62lab.config.kaon import SM_MODES, KaonCard
    from na62lab.generation.kaon.branching import k_plus_br

    card = load_card("na62_kaon_2021_22", KaonCard)
    if not natural:
        return card
    data = card.model_dump()
    data["run"]["fractions"] = {mode: k_plus_br(mode) for mode in SM_MODES}
    return parse_card(data, KaonCard)


def warm_kernels(cards) -> dict:
    """Run a small chunk of each card so every kernel is loaded (or compiled) before any timing.

    Returns wall seconds, CPU seconds and the numbers of kernel signatures compiled / loaded from the
    cache during this call.
    """
    from na62lab.yields.kaon_sim import simulate_chunk
    from na62lab.yields.kaon_tally import tally_columns

    compiled0, loaded0 = _kernel_counts()          # earlier sections of the same process may have used some
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for card in cards:
        res = simulate_chunk(card, N_WARM, np.random.default_rng(0))
        tally_columns(res.columns, res.n_generated, card)
    _warm_rare_kernels(card)
    compiled, loaded = _kernel_counts()
    return {"seconds": time.perf_counter() - wall0, "cpu_seconds": time.process_time() - cpu0,
            "compiled": compiled - compiled0, "loaded": loaded - loaded0}


def _warm_rare_kernels(card) -> None:
    """Load (or compile) the kernel that only rare events reach: the K3pi pion-pair orientation average runs
    for K3pi events in R1/R2, about one per 1e7 decays, so a small warm-up chunk never calls it and its first
    call (~150 CPU s cold) would otherwise fall inside a timed or memory-measured run."""
    from na62lab.detector.params import detector_params, veto_tables
    from na62lab.detector.pion_pair_veto import averaged_pair_veto_weight
    from na62lab.detector.response import detector_response
    from na62lab.generation.kaon.beam import generate_beam
    from na62lab.generation.kaon.decays import generate_mode

    rng = np.random.default_rng(3)
    params, tables = detector_params(card), veto_tables(card)
    beam = generate_beam(card, 2000, rng)
    fs = generate_mode("pipipi", beam.p4, rng)
    resp = detector_response(fs, beam.vertex, params, tables, rng)
    rows = np.flatnonzero(np.isfinite(resp.w_veto))[:2]     # single pi+ track in acceptance and momentum range
    averaged_pair_veto_weight(fs, beam.vertex, rows, params, tables, 4, rng)


# --- full chain ---------------------------------------------------------------------------------------

def _chain_rate(card, n: int, repeats: int = 3) -> tuple[float, float]:
    """Best-of-``repeats`` CPU and wall rates (decays/s) of the full chain on ``n`` decays (kernels warm)."""
    from na62lab.yields.kaon_sim import simulate_chunk
    from na62lab.yields.kaon_tally import tally_columns

    chunk = card.run.chunk_size
    rng = np.random.default_rng(1)
    best_cpu = best_wall = 0.0
    for _ in range(repeats):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for _k in range(n // chunk):
            res = simulate_chunk(card, chunk, rng)
            tally_columns(res.columns, res.n_generated, card)
        best_cpu = max(best_cpu, n / (time.process_time() - cpu0))
        best_wall = max(best_wall, n / (time.perf_counter() - wall0))
    return best_cpu, best_wall


# --- Pythia 8 baseline --------------------------------------------------------------------------------

def _pythia():
    """A Pythia 8 instance that only decays K+ (pi+, mu+, K0L stable), or None without pythia8mc."""
    try:
        import pythia8mc as pythia8
    except ImportError:
        return None
    py = pythia8.Pythia("", False)
    for line in _PYTHIA_SETTINGS:
        py.readString(line)
    if not py.init():
        raise RuntimeError("Pythia 8 initialisation failed")
    return py


def beam_kaons(card, n: int, mass_gev: float, rng: np.random.Generator) -> tuple[list, list, list, list]:
    """(px, py, pz, E) in GeV, as lists of Python floats, of ``n`` K+ drawn from the card's beam.

    Gaussian momentum (``momentum_gev``, ``momentum_rms_fraction``) and slopes
    (``slope_x_mrad`` + ``divergence_x_urad``, ``divergence_y_urad``); the
    same beam model as the card, not its full beam generator (no spot size:
    irrelevant to the decay).
    """
    b = card.beam
    p = b.momentum_gev * (1.0 + b.momentum_rms_fraction * rng.standard_normal(n))
    tx = 1e-3 * b.slope_x_mrad + 1e-6 * b.divergence_x_urad * rng.standard_normal(n)
    ty = 1e-6 * b.divergence_y_urad * rng.standard_normal(n)
    pz = p / np.sqrt(1.0 + tx**2 + ty**2)
    return (tx * pz).tolist(), (ty * pz).tolist(), pz.tolist(), np.hypot(p, mass_gev).tolist()


def _feed_and_decay(py, kaons, mass: float, per_event: int) -> tuple[float, int]:
    """CPU seconds of the user loop (reset, append ``per_event`` K+, ``next()``) and the failed ``next()``."""
    px, py_, pz, e = kaons
    n, ev, failed = len(px), py.event, 0
    t0 = time.process_time()
    for start in range(0, n, per_event):
        ev.reset()
        for i in range(start, min(start + per_event, n)):
            ev.append(321, 1, 0, 0, px[i], py_[i], pz[i], e[i], mass)
        failed += not py.next()
    return time.process_time() - t0, failed


def _feed_only(py, kaons, mass: float, per_event: int) -> float:
    """CPU seconds of the same loop without ``next()``: the Python feeding overhead."""
    px, py_, pz, e = kaons
    n, ev = len(px), py.event
    t0 = time.process_time()
    for start in range(0, n, per_event):
        ev.reset()
        for i in range(start, min(start + per_event, n)):
            ev.append(321, 1, 0, 0, px[i], py_[i], pz[i], e[i], mass)
    return time.process_time() - t0


def _decay_products(ev, j: int) -> tuple[int, ...]:
    return tuple(sorted(ev[d].id() for d in range(ev[j].daughter1(), ev[j].daughter2() + 1)))


def check_pythia_decays(py, kaons, mass: float, per_event: int) -> dict:
    """Feed the K+ as the timed loop does and check each one in the event record after ``next()``.

    A K+ counts as decayed if it is entry ``1..k`` of its event with id 321,
    status < 0 and a daughter.  Returns counts and the K+ -> mu+ nu fraction.
    """
    px, py_, pz, e = kaons
    n, ev = len(px), py.event
    decayed = munu = failed = 0
    for start in range(0, n, per_event):
        ev.reset()
        k = min(start + per_event, n) - start
        for i in range(start, start + k):
            ev.append(321, 1, 0, 0, px[i], py_[i], pz[i], e[i], mass)
        failed += not py.next()
        for j in range(1, k + 1):
            decayed += ev[j].id() == 321 and ev[j].status() < 0 and ev[j].daughter1() > 0
            munu += _decay_products(ev, j) == (-13, 14)
    return {"kaons": n, "decayed": decayed, "failed_next": failed, "munu_fraction": munu / n}


def pythia_rates(card, n: int, per_event: int, repeats: int = 3) -> dict | None:
    """Best-of-``repeats`` CPU rates (K+/s) of Pythia 8 decaying K+: with and without the feeding.

    Raises RuntimeError if any ``next()`` fails or any K+ is left undecayed.
    """
    py = _pythia()
    if py is None:
        return None
    mass = py.particleData.m0(321)
    kaons = beam_kaons(card, n, mass, np.random.default_rng(2))
    t_full = t_feed = np.inf
    for _ in range(repeats):
        t, failed = _feed_and_decay(py, kaons, mass, per_event)
        if failed:
            raise RuntimeError(f"Pythia next() failed for {failed} events ({per_event} K+ per event)")
        t_full, t_feed = min(t_full, t), min(t_feed, _feed_only(py, kaons, mass, per_event))
    check = check_pythia_decays(py, kaons, mass, per_event)
    if check["decayed"] != n or check["failed_next"]:
        raise RuntimeError(f"Pythia left K+ undecayed: {check}")
    return {"per_event": per_event, "with_feeding": n / t_full, "net": n / (t_full - t_feed),
            "feeding_us": 1e6 * t_feed / n, "check": check}


# --- memory runs (fresh subprocess) -------------------------------------------------------------------

def _peak_rss_mb() -> float:
    """Peak resident memory (MB) of this process since start or the last reset (VmHWM; ru_maxrss off Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak_rss() -> bool:
    """Reset the peak-RSS counter to the current RSS (Linux >= 4.0); False if not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def memory_child(n: int) -> dict:
    """In a fresh process: load the kernels (timed), reset the peak RSS, run ``n`` decays to Parquet."""
    from na62lab.config.base import parse_card
    from na62lab.config.kaon import KaonCard
    from na62lab.yields.kaon_run import run

    data = _card(False).model_dump()
    data["run"].update(decays=n)
    card = parse_card(data, KaonCard)
    warm = warm_kernels([card])
    peak_warm = _peak_rss_mb()
    reset = _reset_peak_rss()
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        run(card, Path(d), workers=1)
        seconds = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in Path(d).glob("*.parquet"))
    return {"decays": n, "seconds": seconds, "warm": warm, "peak_rss_mb": _peak_rss_mb(),
            "peak_incl_warm_mb": max(peak_warm, _peak_rss_mb()), "peak_reset": reset,
            "parquet_mb": size / 2**20, "chunk_size": card.run.chunk_size}


def _memory(n: int, cache_dir: str) -> dict:
    """Run :func:`memory_child` in a fresh interpreter sharing this process's numba cache."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "NUMBA_CACHE_DIR": cache_dir}
    try:
        out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--memory-child", str(n)],
                             capture_output=True, text=True, env=env, timeout=CHILD_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        tail = (exc.stderr or b"")[-1500:]
        return {"decays": n, "timeout": CHILD_TIMEOUT_S,
                "stack": tail.decode(errors="replace") if isinstance(tail, bytes) else tail}
    if out.returncode:
        raise RuntimeError(f"memory run of {n} decays failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def extrapolate(runs: list[dict], n: int) -> dict:
    """Linear extrapolation to ``n`` decays of peak RSS, Parquet size and run time of the completed runs.

    Peak RSS: the largest measured value plus the measured growth per decay
    between the two largest runs (clamped at zero) times the extra decays; with
    one run, no growth is assumed (and said).  Parquet size and time scale
    linearly with the decays of the largest run.
    """
    done = sorted((r for r in runs if "timeout" not in r), key=lambda r: r["decays"])
    if not done:
        return {}
    big = done[-1]
    slope = 0.0
    if len(done) > 1:
        small = done[-2]
        slope = max(0.0, (big["peak_rss_mb"] - small["peak_rss_mb"]) / (big["decays"] - small["decays"]))
    scale = n / big["decays"]
    return {"decays": n, "peak_rss_mb": max(r["peak_rss_mb"] for r in done) + slope * (n - big["decays"]),
            "slope_mb_per_1e7": slope * 1e7, "from": [r["decays"] for r in done[-2:]],
            "parquet_mb": big["parquet_mb"] * scale, "seconds": big["seconds"] * scale}


# --- report -------------------------------------------------------------------------------------------

def _load() -> str:
    la = os.getloadavg()
    return f"{la[0]:.2f} / {la[1]:.2f} / {la[2]:.2f} (1/5/15 min) on {os.cpu_count()} cores"


def _warm_text(w: dict) -> str:
    return (f"{w['seconds']:.1f} s wall ({w['cpu_seconds']:.1f} s CPU); {w['compiled']} kernel signatures "
            f"compiled, {w['loaded']} loaded from the cache")


def _chain_lines(rates: dict, py1: dict | None) -> list[str]:
    def r(x, key):
        return f"{x / py1[key]:.1f}" if py1 else "n/a"
    rows = [("na62lab full chain, physical K+ decay mix (PDG BRs, as Pythia), CPU", rates["nat_cpu"]),
            ("na62lab full chain, card mix (rare modes enriched, `run.fractions`), CPU", rates["card_cpu"]),
            ("na62lab full chain, physical mix, wall clock", rates["nat_wall"])]
    return [f"| {name} | {x:,.0f} | {r(x, 'with_feeding')} | {r(x, 'net')} |" for name, x in rows]


def _pythia_lines(py1: dict | None, py200: dict | None) -> list[str]:
    if not py1:
        return ["| Pythia 8 | not installed | n/a | n/a |"]
    lines = []
    for p in (py1, py200):
        k = p["per_event"]
        lines += [f"| Pythia 8, {k} K+ per event, with Python feeding (reset, append, `next()`) | "
                  f"{p['with_feeding']:,.0f} | {p['with_feeding'] / py1['with_feeding']:.2f} | "
                  f"{p['with_feeding'] / py1['net']:.2f} |",
                  f"| Pythia 8, {k} K+ per event, net of feeding (`next()` only; feeding "
                  f"{p['feeding_us']:.2f} us/K+) | {p['net']:,.0f} | {p['net'] / py1['with_feeding']:.2f} | "
                  f"{p['net'] / py1['net']:.2f} |"]
    return lines


def _check_text(py1: dict | None, py200: dict | None) -> str:
    if not py1:
        return ""
    from na62lab.generation.kaon.branching import k_plus_br

    parts = [f"{p['check']['decayed']:,}/{p['check']['kaons']:,} K+ decayed at {p['per_event']} per event "
             f"(K+ -> mu+ nu fraction {p['check']['munu_fraction']:.4f})" for p in (py1, py200)]
    return ("Pythia decay check (untimed pass with the same feeding, every K+ looked up in the event record: "
            f"status < 0 and daughters present): {'; '.join(parts)}; PDG BR(K+ -> mu+ nu) = {k_plus_br('munu')}.")


def _goal_text(rates: dict, py1: dict | None, py200: dict | None) -> str:
    nat, card = rates["nat_cpu"], rates["card_cpu"]
    text = (f"Goal: >= 1e6 decays/s/core ({'met' if nat >= 1e6 else 'not met'} on the physical mix, "
            f"{'met' if card >= 1e6 else 'not met'} on the enriched card mix)")
    if not py1:
        return text + "."
    x1, xnet = nat / py1["with_feeding"], nat / py1["net"]
    return (text + f" and >= 50x Pythia ({'met' if x1 >= 50 else 'not met'}: {x1:.1f}x one-K+-per-event Pythia "
            f"as a user runs it, {xnet:.1f}x Pythia net of the Python feeding, {nat / py200['with_feeding']:.1f}x "
            f"Pythia with 200 K+ per event; Pythia does the decays only).")


def _memory_lines(mem: list[dict], extra: dict) -> list[str]:
    lines = ["| decays | kernel load in the child | run wall [s] | peak RSS of the run [MB] | "
             "process peak incl. kernel load [MB] | Parquet on disk [MB] |", "|---:|---|---:|---:|---:|---:|"]
    for m in mem:
        if "timeout" in m:
            lines.append(f"| {m['decays']:,} | did not finish within {m['timeout']:.0f} s | - | - | - | - |")
            continue
        w = m["warm"]
        lines.append(f"| {m['decays']:,} | {w['seconds']:.1f} s, {w['compiled']} compiled / {w['loaded']} loaded | "
                     f"{m['seconds']:.1f} | {m['peak_rss_mb']:.0f}{'' if m['peak_reset'] else ' (incl. load)'} | "
                     f"{m['peak_incl_warm_mb']:.0f} | {m['parquet_mb']:.1f} |")
    if extra:
        lines.append(f"| {extra['decays']:,} (extrapolated, not measured) | - | {extra['seconds']:.0f} | "
                     f"{extra['peak_rss_mb']:.0f} | - | {extra['parquet_mb']:,.0f} |")
    return lines


def _memory_text(mem: list[dict], extra: dict) -> list[str]:
    chunk = next((m["chunk_size"] for m in mem if "chunk_size" in m), None)
    head = (f"Peak resident memory of chunked runs (fresh process, one worker, {chunk:,}-decay chunks, Parquet "
            "output).  The child first loads the numba kernels from the cache the parent used (time and "
            "counts in the second column), then resets the peak-RSS counter (Linux `clear_refs`), so the "
            "peak of the run excludes compiler memory:" if chunk else "Memory runs:")
    lines = [head, "", *_memory_lines(mem, extra), ""]
    for m in (m for m in mem if "timeout" in m):
        lines += [f"The {m['decays']:,}-decay run was stopped after {m['timeout']:.0f} s; its last stack:", "",
                  "```", m["stack"].strip()[-1200:], "```", ""]
    if extra:
        lines.append(f"The {extra['decays']:,}-decay row is an extrapolation, not a measurement: peak RSS = largest "
                     f"measured peak + measured growth ({extra['slope_mb_per_1e7']:.1f} MB per 1e7 decays "
                     f"between the {' and '.join(f'{d:,}' for d in extra['from'])}-decay runs, clamped at zero) "
                     f"x the extra decays; Parquet size and one-worker wall time scaled linearly from the "
                     f"largest run.  Goal: < 2 GB ({'met' if extra['peak_rss_mb'] < 2048 else 'not met'}).")
    return lines


def run() -> str:
    """Markdown section of benchmarks/results.md."""
    t_start = time.perf_counter()
    cache_dir = numba_cache_dir()
    cards = {"nat": _card(True), "card": _card(False)}
    warm = warm_kernels(cards.values())
    load_before = _load()
    rates = {}
    for key, card in cards.items():
        rates[f"{key}_cpu"], rates[f"{key}_wall"] = _chain_rate(card, N_CHAIN)
    py1 = pythia_rates(cards["nat"], N_PYTHIA, 1)
    py200 = pythia_rates(cards["nat"], N_PYTHIA, 200) if py1 else None
    stages = stage_costs(cards["nat"], cards["nat"].run.chunk_size)
    load_after = _load()
    t_mem = time.perf_counter()
    mem = [_memory(n, cache_dir) for n in MEMORY_RUNS]
    extra = extrapolate(mem, EXTRAPOLATE_TO)
    t_mem = time.perf_counter() - t_mem
    lines = ["## Kaon-mode fast simulation (`simulate kaon`)", "",
             f"Full chain (beam, SM decays with matrix elements, detector response with the STRAW track fit, "
             f"photon and multiplicity vetoes, GTK matching with accidentals, selection with the beam/RICH "
             f"m_miss^2 windows, PID, tallies) on {N_CHAIN:,} K+ decays, one process, best of 3, numba kernels "
             f"loaded beforehand ({_warm_text(warm)}; cache `{cache_dir}`).  Baseline: Pythia 8 (`pythia8mc`, "
             f"ProcessLevel off) decaying {N_PYTHIA:,} K+ of the card's beam momenta with its own branching "
             f"ratios (decay only, no detector), four-momenta precomputed as Python floats, measured in the "
             f"same run, best of 3; 'net of feeding' subtracts the time of the same loop without `next()`.  "
             f"Rates are per core (CPU seconds).  Machine load (uptime load average) before: {load_before}; "
             f"after: {load_after}.", "",
             "| what | K+ decays / s / core | ratio to Pythia (1 K+/event, with feeding) | "
             "ratio to Pythia net of feeding (1 K+/event) |", "|---|---:|---:|---:|",
             *_chain_lines(rates, py1), *_pythia_lines(py1, py200), "",
             _check_text(py1, py200), "", _goal_text(rates, py1, py200), "",
             f"Where the time goes (physical mix, one {cards['nat'].run.chunk_size:,}-decay chunk, CPU, best "
             "of 3 per stage; 'rest' = GTK matching, selection, PID, pi0 orientation average, columns and "
             "tally, obtained as the full chunk minus the timed stages):", "",
             *stage_lines(stages, py1["with_feeding"] if py1 else None), "",
             *_memory_text(mem, extra), "",
             f"Wall time: memory runs {t_mem:.0f} s, whole section {time.perf_counter() - t_start:.0f} s."]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    if len(sys.argv) == 3 and sys.argv[1] == "--memory-child":
        import faulthandler

        faulthandler.dump_traceback_later(max(CHILD_TIMEOUT_S - 30.0, 1.0), exit=False)  # stack if it hangs
        print(json.dumps(memory_child(int(sys.argv[2]))))
    else:
        print(run())
