"""Photon fusion: Primakoff production of photon-coupled FIPs by the beam proton's own photons.

The beam proton carries a flux of quasi-real photons (equivalent-photon
approximation, EPA; Budnev, Ginzburg, Meledin, Serbo, Phys. Rep. 15 (1975) 181).
With the proton's electric (Dirac) form factor in the dipole form
G(Q^2) = (1 + Q^2 / Lambda^2)^-2, Lambda^2 = 0.71 GeV^2, and the magnetic
term neglected, the photon number per unit energy fraction x is

    f(x) = alpha / (2 pi x) [1 + (1 - x)^2] int_{Q2min}^inf dQ^2 / Q^2 G(Q^2)^2
         = alpha / (2 pi x) [1 + (1 - x)^2] [ln A - 11/6 + 3/A - 3/(2 A^2) + 1/(3 A^3)],

    A = 1 + Lambda^2 / Q2min,   Q2min = m_p^2 x^2 / (1 - x)

(Drees and Zeppenfeld, PRD 39 (1989) 2536, eq. (5); the same proton EPA for
"photon fusion" ALP production in proton dumps: Dobrich, Jaeckel, Kahlhoefer,
Ringwald, Schmidt-Hoberg, JHEP 02 (2016) 018, arXiv:1512.03069, Sec. 3).  Such a
photon fuses with the Coulomb field of a dump nucleus, gamma N -> a N, with the
Primakoff cross section sigma_P(x E_p, m_a) of the model on the dump material
(:mod:`~na62lab.generation.dump.primakoff`).  Only the *beam* proton radiates
here, and only before its first inelastic interaction: per proton on target the
path length is lambda_I (card ``production.interaction_length_m``), so

    N_a / POT = n_N lambda_I int dx f(x) sigma_P(x E_p, m_a)

(n_N the number density of the dump's nuclei).  Photons above the card's
``production.photon_e_min_gev`` only, as for the dump photons.

APPROXIMATIONS (stated in the output): the photon is treated as real in
gamma N -> a N (its virtuality Q^2 < ~Lambda^2 enters only the flux, not the
subprocess' minimal momentum transfer); the proton's magnetic form factor is
neglected; the ALP takes the photon's energy (nuclear recoil neglected) and the
photon's direction, q_T / (x E_p) with q_T^2 = (1 - x)(Q^2 - Q2min), Q^2 drawn
from the integrand above; the Primakoff angle (~ m_a^2 / (2 E^2)) is neglected
as in the dump-photon mode.  Secondary protons of the cascade are not counted
(their photons are softer; a conservative omission).

Energies in MeV.
"""

from __future__ import annotations

import numpy as np

from na62lab.config.dump import DumpCard
from na62lab.generation.dump import primakoff
from na62lab.generation.dump.sample import FIPSample, four_momenta, normalised, sample_origin
from na62lab.generation.dump.tables import ProductionTable
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV, m

ALPHA = 1.0 / 137.035999
"""Fine-structure constant at Q^2 = 0 (CODATA 2018)."""
DIPOLE_LAMBDA2 = 0.71 * GeV**2
"""Lambda^2 of the proton's dipole form factor (MeV^2; Drees and Zeppenfeld PRD 39 (1989) 2536)."""
N_NODES = 160
"""Nodes in ln x for the rate integral (trapezoid)."""

NOTE = ("photon fusion (card production.photon_fusion): the beam proton's equivalent photons (dipole Dirac "
        "form factor, Drees-Zeppenfeld PRD 39 (1989) 2536; arXiv:1512.03069 Sec. 3) convert on the dump nuclei "
        "over one interaction length lambda_I (beam proton only, before its first inelastic collision); "
        "photon treated as real in gamma N -> a N, FIP along the photon (EPA angle q_T/E kept, Primakoff "
        "angle neglected)")


def q2_min(x) -> np.ndarray:
    """Smallest photon virtuality m_p^2 x^2 / (1 - x) (MeV^2) at energy fraction ``x``."""
    x = np.asarray(x, dtype=float)
    return pdg_mass("p") ** 2 * x * x / (1.0 - x)


def proton_photon_flux(x) -> np.ndarray:
    """Equivalent photons per unit energy fraction of the proton, f(x) (module docstring; 0 outside (0, 1))."""
    x = np.asarray(x, dtype=float)
    inside = (x > 0) & (x < 1)
    xs = np.where(inside, x, 0.5)
    a = 1.0 + DIPOLE_LAMBDA2 / q2_min(xs)
    log_term = np.log(a) - 11.0 / 6.0 + 3.0 / a - 1.5 / a**2 + 1.0 / (3.0 * a**3)
    f = ALPHA / (2.0 * np.pi * xs) * (1.0 + (1.0 - xs) ** 2) * log_term
    return np.where(inside, f, 0.0)


def _x_nodes(mass: float, card: DumpCard) -> np.ndarray:
    """ln-uniform nodes of x from the threshold max(E_min, m) / E_p to just below 1."""
    e_p = card.run.beam_energy_gev * GeV
    lo = max(card.production.photon_e_min_gev * GeV, float(mass) * (1.0 + 1e-6)) / e_p
    return np.geomspace(lo, 1.0 - 1e-4, N_NODES) if lo < 1.0 - 1e-4 else np.empty(0)


def _integrand(model, x: np.ndarray, mass: float, card: DumpCard, nucleus) -> np.ndarray:
    """x f(x) sigma_P(x E_p) per coupling^2 at the nodes (the integrand in ln x)."""
    e = x * card.run.beam_energy_gev * GeV
    sigma = primakoff.cross_section(model, e, np.full(x.shape, float(mass)), nucleus)
    return x * proton_photon_flux(x) * sigma


def rate(model, masses, card: DumpCard, nucleus: tuple[int, float, float]) -> np.ndarray:
    """FIPs per POT per coupling^2 at ``masses`` (MeV): n_N lambda_I int dx f(x) sigma_P (module docstring)."""
    masses = np.atleast_1d(np.asarray(masses, dtype=float))
    _, a, rho = nucleus
    path = card.production.interaction_length_m * m * primakoff.number_density(a, rho)
    out = np.zeros(masses.shape)
    for i, mass in enumerate(masses):
        x = _x_nodes(mass, card)
        if x.size > 1:
            out[i] = path * np.trapezoid(_integrand(model, x, mass, card, nucleus), np.log(x))
    return out


def sample_q2(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Photon virtualities (MeV^2) from dQ^2 / Q^2 G(Q^2)^2 above Q2min(x): log-uniform proposal from Q2min
    to 30 (Q2min + Lambda^2), accepted with G(Q^2)^2 / G(Q2min)^2 <= 1 (the tail beyond holds < 1e-5 of the
    integral)."""
    qmin = q2_min(x)
    qmax = 30.0 * (qmin + DIPOLE_LAMBDA2)
    out = np.empty(x.size)
    todo = np.arange(x.size)
    while todo.size:
        q2 = qmin[todo] * (qmax[todo] / qmin[todo]) ** rng.random(todo.size)
        ok = rng.random(todo.size) < ((DIPOLE_LAMBDA2 + qmin[todo]) / (DIPOLE_LAMBDA2 + q2)) ** 4
        out[todo[ok]] = q2[ok]
        todo = todo[~ok]
    return out


def sample(model, mass: float, n: int, card: DumpCard, nucleus, rng: np.random.Generator) -> FIPSample:
    """``n`` weighted FIPs: x ln-uniform between the thresholds, weight x f(x) sigma_P(x E_p); angle q_T/(x E_p)."""
    x_nodes = _x_nodes(mass, card)
    e_p = card.run.beam_energy_gev * GeV
    if x_nodes.size < 2:
        return FIPSample("photon_fusion", float(mass), np.zeros((0, 4)), np.zeros((0, 3)), np.zeros(0), False)
    x = x_nodes[0] * (x_nodes[-1] / x_nodes[0]) ** rng.random(n)
    z, a, _ = nucleus
    # weights x f(x) sigma_P(x E_p) up to the constant g^2 factor (interpolated sigma_P, as the dump-photon mode)
    w = x * proton_photon_flux(x) * primakoff._cross_section_in_energy(x * e_p, float(mass), z, a)
    q2 = sample_q2(x, rng)
    q_t = np.sqrt(np.maximum((1.0 - x) * (q2 - q2_min(x)), 0.0))
    e = x * e_p
    theta = q_t / e
    p4 = four_momenta(np.sqrt(np.maximum(e * e - mass * mass, 0.0)), theta, mass, rng)
    return FIPSample("photon_fusion", float(mass), p4, sample_origin(n, card, rng), normalised(w), False)


def mode(model, card: DumpCard, table: ProductionTable):
    """The photon-fusion :class:`~na62lab.generation.dump.sources.Mode`, or None without a two-photon width."""
    if "gammagamma" not in model.decay_channels:
        return None
    from na62lab.generation.dump.sources import Mode

    nucleus = primakoff.dump_nucleus(table, card)
    return Mode("photon_fusion", lambda ms: rate(model, ms, card, nucleus),
                lambda mass, n, rng: sample(model, mass, n, card, nucleus, rng), card.run.beam_energy_gev * GeV)
