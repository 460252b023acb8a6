"""Pythia 8 runs of 400 GeV (or another beam energy) protons on nucleons, histogrammed per species.

One call of :func:`run_shard` generates ``n_events`` collisions of a 400 GeV
(default; ``beam_energy_gev``) proton on a proton or a neutron at rest (``Beams:frameType = 2``, so the
event record is already in the lab frame), and returns the (log10 p, log10
theta) histograms of :mod:`na62lab.generation.dump.binning` for every species
of its run kind.  The admin script ``admin/make_production_tables.py`` runs
shards over :func:`na62lab.parallel.map_shards` and merges them into the
shipped table.

Run kinds
---------
``soft``
    ``SoftQCD:inelastic`` (all inelastic processes, default Monash tune).
    Light mesons and photons per inelastic collision.
``charm`` / ``beauty``
    ``HardQCD:hardccbar`` / ``HardQCD:hardbbbar``: leading-order heavy-quark
    pair production, used for the *kinematics* of D, Ds and B hadrons
    only.  Their per-proton normalisation (chi_cc, chi_bb) comes from the card
    (:mod:`na62lab.config.dump`), because LO Pythia misses the measured cross
    sections by large factors (shared/STACK.md).
``charmonium``
    ``Charmonium:all`` (NRQCD colour-singlet and octet): J/psi kinematics
    (direct and from chi_c feed-down); normalised per proton by the card.

Charge conjugates are summed (``"K+"`` means K+ and K-).  Carbon copies in the
event record (a particle whose only daughter is itself, e.g. a recoil copy or
a B0 oscillation) are counted once.  Approximation: this is the single
interaction picture (each proton makes one inelastic collision in the thick
copper); secondary interactions of the produced hadrons are not simulated.
"""

from __future__ import annotations

import numpy as np

from na62lab.config.dump import SPS_BEAM_ENERGY_GEV
from na62lab.errors import InputError, require
from na62lab.generation.dump.binning import histogram

SPECIES: dict[str, dict[str, tuple[int, ...]]] = {
    "soft": {"pi0": (111,), "eta": (221,), "eta'": (331,), "omega": (223,),
             "rho0": (113,), "phi": (333,), "K+": (321,), "K0S": (310,),
             "K0L": (130,), "pi+": (211,), "gamma": (22,)},
    "charm": {"D+": (411,), "D0": (421,), "Ds+": (431,), "Lambda(c)+": (4122,), "Xi(c)+": (4232,),
              "Xi(c)0": (4132,), "Omega(c)0": (4332,)},
    "beauty": {"B+": (521,), "B0": (511,), "Bs0": (531,), "Lambda(b)0": (5122,), "Xi(b)0": (5232,),
               "Xi(b)-": (5132,), "Omega(b)-": (5332,)},
    "charmonium": {"J/psi": (443,)},
}
"""Species histogrammed in each run kind: name -> |PDG id| (c.c. summed).  The beauty run counts the weakly
decaying b hadrons (Sigma_b and Xi_b' decay strongly or radiatively into them and are not counted twice); the
b baryons were added in 08234f7 by re-running the shipped table's beauty shards with their seeds (B mesons
bit-identical): per b bbar pair B+ 0.812, B0 0.816, B_s0 0.169, Lambda_b0 0.165, Xi_b0 0.010, Xi_b- 0.008,
Omega_b- 0.0004 (Pythia 8.317, 400 GeV p on Cu nucleons).  The charm run counts the weakly decaying charmed baryons
too (Sigma_c, Xi_c' decay strongly or radiatively into them), added in f432d99 by re-running the shipped tables'
charm shards with their seeds (``admin/rerun_table_kind.py``; D+, D0, D_s+ bit-identical): per c cbar pair D+ 0.567,
D0 1.071, D_s+ 0.171, Lambda_c+ 0.173, Xi_c+ 0.0086, Xi_c0 0.0082, Omega_c0 0.0004 (2.000 charm hadrons; 400 GeV p
on Cu nucleons), and D+ 0.517, D0 0.961, D_s+ 0.121, Lambda_c+ 0.388, Xi_c+ 0.0056, Xi_c0 0.0043, Omega_c0 0.0001
(70 GeV p on Fe nucleons, the NuCal table: Pythia's Lambda_c+ per pair grows near threshold, beam-remnant
diquarks)."""

_PROCESS = {"soft": "SoftQCD:inelastic = on", "charm": "HardQCD:hardccbar = on",
            "beauty": "HardQCD:hardbbbar = on", "charmonium": "Charmonium:all = on"}
_TARGET_ID = {"p": 2212, "n": 2112}
BEAM_ENERGY_GEV = SPS_BEAM_ENERGY_GEV
"""SPS proton beam energy (GeV) on a target at rest (the default of the runs; :mod:`na62lab.config.dump`)."""


def pythia_settings(kind: str, target: str, seed: int, beam_energy_gev: float = BEAM_ENERGY_GEV) -> list[str]:
    """The Pythia 8 settings of one run (recorded in the table provenance).

    Parameters
    ----------
    kind : {"soft", "charm", "beauty", "charmonium"}
    target : {"p", "n"}
        Target nucleon at rest.
    seed : int
        Pythia random seed, 1 <= seed <= 900000000.
    beam_energy_gev : float
        Proton beam energy in GeV (400 at the SPS, 70 at the U70 for NuCal), > 10 GeV.
    """
    require(kind in _PROCESS, "kind", kind, f"one of {sorted(_PROCESS)}")
    require(target in _TARGET_ID, "target", target, "'p' or 'n'")
    require(1 <= seed <= 900_000_000, "seed", seed, "an integer in [1, 900000000]")
    require(10.0 < beam_energy_gev <= 1e5, "beam_energy_gev", beam_energy_gev, "a beam energy in (10, 1e5] GeV")
    return ["Beams:frameType = 2", "Beams:idA = 2212", f"Beams:idB = {_TARGET_ID[target]}",
            f"Beams:eA = {float(beam_energy_gev)}", "Beams:eB = 0", _PROCESS[kind],
            "Random:setSeed = on", f"Random:seed = {seed}", "Print:quiet = on",
            "Next:numberCount = 0"]


def make_pythia(settings: list[str]):
    """An initialised ``pythia8mc.Pythia`` with ``settings`` read in order (one home for every Pythia use).

    Raises a one-line InputError when the optional extra is not installed.
    """
    try:
        import pythia8mc as pythia8
    except ImportError:  # pragma: no cover - optional dependency
        raise InputError("pythia", "pythia8mc", "installed (pip install 'na62lab[pythia]')") from None
    py = pythia8.Pythia("", False)
    for line in settings:
        py.readString(line)
    if not py.init():
        raise RuntimeError("Pythia failed to initialise with " + "; ".join(settings))
    return py


def _batch_histograms(prt, species: dict[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
    """Histogram one awkward batch of events (no per-event Python loop)."""
    import awkward as ak

    pid = np.abs(prt["id"])
    d1, d2 = prt["daughter1"], prt["daughter2"]
    copy = (d1 > 0) & (d1 == d2) & (np.abs(pid[d1]) == pid)
    keep = ~copy
    flat = {k: ak.to_numpy(ak.flatten(v)) for k, v in
            {"id": pid, "keep": keep, "status": prt["status"], "px": prt["p"]["px"],
             "py": prt["p"]["py"], "pz": prt["p"]["pz"]}.items()}
    pt = np.hypot(flat["px"], flat["py"])
    p = np.hypot(pt, flat["pz"])
    theta = np.arctan2(pt, flat["pz"])
    out = {}
    for name, ids in species.items():
        sel = np.isin(flat["id"], ids) & flat["keep"]
        if name == "gamma":
            sel &= flat["status"] > 0
        out[name] = histogram(p[sel], theta[sel])
    return out


def run_shard(kind: str, target: str, n_events: int, seed: int,
              batch: int = 2000, beam_energy_gev: float = BEAM_ENERGY_GEV) -> dict[str, object]:
    """Generate ``n_events`` collisions and histogram every species of ``kind``.

    Parameters
    ----------
    kind : {"soft", "charm", "beauty", "charmonium"}
        Run kind (see module docstring).
    target : {"p", "n"}
        Target nucleon.
    n_events : int
        Number of generated events.
    seed : int
        Pythia seed in [1, 900000000] (derive it from a SeedSequence).
    batch : int
        Events per ``nextBatch`` call.
    beam_energy_gev : float
        Proton beam energy (GeV).

    Returns
    -------
    dict
        ``counts`` (species -> int64 array (73, 55)), ``n_events``,
        ``sigma_mb`` (Pythia's generated cross section, mb), ``settings``.
    """
    require(n_events >= 1, "n_events", n_events, "an integer >= 1")
    settings = pythia_settings(kind, target, seed, beam_energy_gev)
    py = make_pythia(settings)
    counts = {name: np.zeros((73, 55), np.int64) for name in SPECIES[kind]}
    done = 0
    while done < n_events:
        n = min(batch, n_events - done)
        hists = _batch_histograms(py.nextBatch(n)["prt"], SPECIES[kind])
        for name, h in hists.items():
            counts[name] += h
        done += n
    sigma = float(py.infoPython().sigmaGen())
    return {"counts": counts, "n_events": n_events, "sigma_mb": sigma, "settings": settings}


def pythia_version() -> str:
    """The installed ``pythia8mc`` version, for the provenance of the tables made with it ("unknown" without it)."""
    try:
        from importlib.metadata import version
        return version("pythia8mc")
    except Exception:  # pragma: no cover
        return "unknown"


def pythia_seed(seq: np.random.SeedSequence) -> int:
    """A Pythia seed in [1, 900000000] drawn from a numpy ``SeedSequence``."""
    return int(seq.generate_state(1, np.uint64)[0] % 900_000_000) + 1
