"""Production modes of a FIP model in the dump: rates per POT and kinematic samplers.

A :class:`Mode` couples an exact, vectorised production rate (FIPs per proton
on target per coupling^power, as a function of the FIP mass in MeV) with a
sampler of the FIP kinematics at one mass.  :func:`production_modes` builds
them from a FIP model (:func:`na62lab.fips.get_model`):

- every ``parent->recoil X`` channel of ``model.reduced_production`` whose
  parent is in the production table (pi0, eta, eta', omega, phi, B+, B0, ...):
  rate = (parents per POT) x BR / coupling^2;
- dark photons: proton bremsstrahlung (:mod:`~na62lab.generation.dump.bremsstrahlung`)
  and vector-meson mixing (rho0, omega, phi);
- dark scalars: proton bremsstrahlung with the scalar splitting function (card
  option ``scalar_brems``, on by default; APPROXIMATE, see that module);
- ALPs: mixing with pi0, eta, eta' (:func:`alp_mixing_rate`, dominant for the
  gluon-coupled ALP below ~1 GeV) and Primakoff conversion of the dump photons
  (:mod:`~na62lab.generation.dump.primakoff`); B -> K a when the model provides it
  (fermion couplings; the model has no B -> X_s a and no B -> K a for the gluon coupling).

Channels that cannot be simulated in dump mode are listed in
:attr:`Sources.skipped` with the reason (e.g. K -> pi X: the kaons are
absorbed in the copper long before they decay, a suppression of order
lambda_int / (beta gamma c tau) ~ 1e-3 that is neglected).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from na62lab.config.dump import DumpCard
from na62lab.generation.dump import bremsstrahlung, mesons, primakoff
from na62lab.generation.dump.sample import FIPSample
from na62lab.generation.dump.tables import ProductionTable
from na62lab.physics.particles import mass as pdg_mass

_PARENT_SPECIES = {"B": ("B+", "B0"), "B+": ("B+",), "B0": ("B0",), "Bs": ("Bs0",), "Bs0": ("Bs0",),
                   "D": ("D+", "D0"), "Ds": ("Ds+",), "Ds+": ("Ds+",), "J/psi": ("J/psi",)}
_RECOIL = {"gamma": lambda parent: 0.0, "pi0": lambda parent: pdg_mass("pi0"),
           "K*": lambda parent: pdg_mass("K*(892)+"),
           # inclusive b -> s X: X_s taken as a K*(892) recoil (APPROXIMATION of its mass spectrum)
           "Xs": lambda parent: pdg_mass("K*(892)+"),
           "eta": lambda parent: pdg_mass("eta"),
           "K": lambda parent: pdg_mass("K+") if parent == "B+" else pdg_mass("K0S"),
           "K+": lambda parent: pdg_mass("K+"), "K0": lambda parent: pdg_mass("K0S")}


@dataclass(frozen=True)
class Mode:
    """One production mode: its name, rate function, sampler and mass limit (MeV)."""

    name: str
    rate: Callable[[np.ndarray], np.ndarray]
    sampler: Callable[[float, int, np.random.Generator], FIPSample]
    max_mass: float


@dataclass
class Sources:
    """The production modes of a model, and the channels left out (name -> reason)."""

    modes: list[Mode]
    skipped: dict[str, str] = field(default_factory=dict)


def parse_channel(key: str) -> tuple[str, str] | None:
    """Split ``"parent->recoilX"`` into (parent, recoil); None if not a two-body meson decay."""
    if "->" not in key:
        return None
    parent, rest = key.split("->", 1)
    recoil = rest[:-1]
    return (parent, recoil) if recoil in _RECOIL else None


def _decay_mode(model, key: str, parent: str, recoil: str, table: ProductionTable,
                card: DumpCard) -> Mode:
    species = _PARENT_SPECIES.get(parent, (parent,))
    per_pot = {s: table.per_pot(s, card.production) for s in species}
    recoil_mass = {s: _RECOIL[recoil](s) for s in species}
    limit = min(pdg_mass(s) - recoil_mass[s] for s in species)
    polarised = model.name.startswith("dark-photon")

    def rate(masses):
        return sum(per_pot.values()) * np.asarray(model.reduced_production(masses)[key])

    def sampler(mass, n, rng):
        return mesons.decay_sample(key, per_pot, recoil_mass, mass, n, table, card, rng, polarised)

    return Mode(key, rate, sampler, limit)


def _mixing_mode(meson: str, table: ProductionTable, card: DumpCard) -> Mode:
    from na62lab.fips.dark_photon import vector_meson_mixing

    per_pot = table.per_pot(meson, card.production)
    return Mode(f"mixing:{meson}", lambda ms: per_pot * vector_meson_mixing(ms, meson),
                lambda mass, n, rng: mesons.mixing_sample(meson, mass, n, table, card, rng),
                np.inf)


ALP_MIXING_MESONS = ("pi0", "eta", "eta'")
"""Pseudoscalar mesons an ALP mixes with (arXiv:1811.03474; ALPINIST arXiv:2201.05170)."""


def alp_mixing_rate(model, meson: str, masses, per_pot: float) -> np.ndarray:
    """ALPs per POT per coupling^2 from mixing with ``meson``: N_P theta_aP(m)^2.

    ALPINIST (Jerhot et al., arXiv:2201.05170 sec. 3): an ALP of mass m is
    produced wherever the meson P is, with probability theta_aP^2, the mixing
    angle from ``model.mixing_angles`` (arXiv:1811.03474 supplement; angle per
    unit coupling).  The leading-order angles have poles at m = m_pi0, m_eta,
    m_eta'; each is regularised with the meson width, 1/(m^2 - m_Q^2)^2 ->
    1/((m^2 - m_Q^2)^2 + m_Q^2 Gamma_Q^2) (APPROXIMATE within a few widths of
    a pole, where the ALP-meson system must be diagonalised exactly).

    Parameters
    ----------
    model : ALP model with ``mixing_angles(mass)``.
    meson : {"pi0", "eta", "eta'"}
    masses : array_like
        ALP masses (MeV).
    per_pot : float
        Mesons per proton on target.
    """
    from na62lab.physics.particles import width as pdg_width

    m = np.atleast_1d(np.asarray(masses, dtype=float))
    reg = np.ones(m.shape)
    for pole in ALP_MIXING_MESONS:          # theta_aP also has poles at the other mesons (isospin breaking)
        mq = pdg_mass(pole)
        m = np.where(np.abs(m - mq) < 1e-9 * mq, mq * (1 + 1e-9), m)   # never exactly on a pole
        d2 = (m * m - mq * mq) ** 2
        reg = reg * d2 / (d2 + (mq * pdg_width(pole)) ** 2)
    theta = np.asarray(model.mixing_angles(m)[meson], dtype=float)
    return per_pot * np.nan_to_num(theta * theta * reg, posinf=0.0)


def _alp_mixing_modes(model, table: ProductionTable, card: DumpCard) -> list[Mode]:
    if not hasattr(model, "mixing_angles"):
        return []
    probe = model.mixing_angles(np.array([100.0, 300.0, 700.0]))
    modes = []
    for meson in ALP_MIXING_MESONS:
        if meson not in table.species or not np.any(np.asarray(probe[meson]) != 0):
            continue
        per_pot = table.per_pot(meson, card.production)
        modes.append(Mode(f"mixing:{meson}",
                          lambda ms, meson=meson, per_pot=per_pot: alp_mixing_rate(model, meson, ms, per_pot),
                          lambda mass, n, rng, meson=meson: mesons.mixing_sample(meson, mass, n, table, card,
                                                                                 rng, polarised=False),
                          np.inf))
    return modes


def _brems_mode(card: DumpCard, kind: str = "vector") -> Mode:
    return Mode("brems", lambda ms: bremsstrahlung.production_rate(ms, card, kind=kind),
                lambda mass, n, rng: bremsstrahlung.sample(mass, n, card, rng, kind), np.inf)


def _channels(model) -> tuple[str, dict[str, str]]:
    """Channels to simulate; the inclusive B -> X_s X replaces its exclusive parts."""
    keys = tuple(model.production_channels or tuple(model.reduced_production(100.0)))
    skipped = {}
    if any(k.startswith("B->Xs") for k in keys):
        for k in keys:
            if k.startswith("B->K") and k.count("S") + k.count("a") == 1 and not k.startswith("B->Xs"):
                skipped[k] = "contained in the inclusive B -> X_s channel"
    return tuple(k for k in keys if k not in skipped), skipped


def production_modes(model, card: DumpCard, table: ProductionTable) -> Sources:
    """All dump production modes of ``model`` (see module docstring)."""
    keys, skipped = _channels(model)
    out = Sources([], skipped)
    fixed = set(model.fixed_production(100.0)) if hasattr(model, "fixed_production") else set()
    for key in keys:
        if key in fixed or key.endswith("SS") or key.endswith("aa"):
            out.skipped[key] = "pair production does not scale as coupling^2 (not simulated)"
            continue
        parsed = parse_channel(key)
        species = _PARENT_SPECIES.get(parsed[0], (parsed[0],)) if parsed else ()
        if not parsed or not all(s in table.species for s in species):
            out.skipped[key] = ("parent not produced in the dump table or absorbed before decaying"
                                if parsed or key.startswith("K") else "not a two-body meson decay")
            continue
        out.modes.append(_decay_mode(model, key, *parsed, table, card))
    if model.name.startswith("dark-photon"):
        out.modes.append(_brems_mode(card))
        if card.production.vector_mixing:
            out.modes += [_mixing_mode(v, table, card) for v in ("rho0", "omega", "phi")]
    if model.name.startswith("dark-scalar") and card.production.scalar_brems:
        out.modes.append(_brems_mode(card, "scalar"))
    if model.name.startswith("alp"):
        out.modes += _alp_mixing_modes(model, table, card)
    prim = primakoff.mode(model, card, table)
    if prim is not None:
        out.modes.append(prim)
    return out
