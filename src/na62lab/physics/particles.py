"""Particle data from the PDG through the ``particle`` package.

Masses, widths and lifetimes are never typed by hand: they come from the
``particle`` package (PDG tables), in hepunits (MeV, ns, mm).

Examples
--------
>>> round(mass("K+"), 3)
493.677
>>> round(ctau("K+") / 1000, 3)   # metres
3.711
"""

from __future__ import annotations

from functools import lru_cache

from particle import Particle
from particle.particle import ParticleNotFound

from na62lab.errors import InputError
from na62lab.physics.constants import HBARC

_ALIASES = {"K+": "K+", "K-": "K-", "pi+": "pi+", "pi-": "pi-", "pi0": "pi0",
            "mu+": "mu+", "mu-": "mu-", "e+": "e+", "e-": "e-", "gamma": "gamma",
            "eta": "eta", "eta'": "eta'(958)", "omega": "omega(782)",
            "rho0": "rho(770)0", "phi": "phi(1020)", "K0S": "K(S)0", "K0L": "K(L)0",
            "p": "p", "n": "n", "D+": "D+", "D0": "D0", "Ds+": "D(s)+",
            "B+": "B+", "B0": "B0", "Bs0": "B(s)0", "Bc+": "B(c)+", "J/psi": "J/psi(1S)", "nu": "nu(e)"}


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Particle]:
    """Every particle of the PDG table by its exact name (built once, ~0.5 s;
    ``Particle.from_name`` scans the whole table on every call)."""
    return {p.name: p for p in Particle.all()}


@lru_cache(maxsize=None)
def particle(name: str) -> Particle:
    """Return the ``particle.Particle`` for a short name or PDG name.

    Parameters
    ----------
    name : str
        Short name (``"K+"``, ``"pi0"``, ``"eta'"``, ``"Ds+"``) or any name
        ``Particle.from_name`` accepts.
    """
    full = _ALIASES.get(name, name)
    found = _by_name().get(full)
    if found is not None:
        return found
    try:
        return Particle.from_name(full)
    except ParticleNotFound:
        raise InputError("particle", name, f"a PDG name such as {', '.join(_ALIASES)}") from None


def mass(name: str) -> float:
    """PDG mass in MeV."""
    return float(particle(name).mass or 0.0)


def ctau(name: str) -> float:
    """PDG c*tau in mm (``inf`` for stable particles)."""
    value = particle(name).ctau
    return float("inf") if value is None else float(value)


def lifetime(name: str) -> float:
    """PDG mean lifetime in ns (``inf`` for stable particles)."""
    value = particle(name).lifetime
    return float("inf") if value is None else float(value)


def width(name: str) -> float:
    """PDG total width in MeV."""
    return float(particle(name).width or 0.0)


def decay_width(name: str) -> float:
    """Total width hbar c / (c tau) in MeV from the PDG lifetime (0 for stable particles), consistent with
    :func:`ctau`; the normalisation of the branching ratios of weakly decaying parents."""
    return HBARC / ctau(name)
