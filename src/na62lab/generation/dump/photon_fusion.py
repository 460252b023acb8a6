"""Photon fusion: Primakoff production of photon-coupled FIPs by the beam proton's own photons.

The beam proton carries a flux of quasi-real photons (equivalent-photon
approximation, EPA).  With the proton's electric and magnetic form factors,
the photon number per unit energy fraction x and virtuality Q^2 is

    dN / dx dQ^2 = alpha / (pi x Q^2) [(1 - x)(1 - Q2min / Q^2) D(Q^2) + x^2 / 2 C(Q^2)],
    D = (4 m_p^2 G_E^2 + Q^2 G_M^2) / (4 m_p^2 + Q^2),   C = G_M^2,   Q2min = m_p^2 x^2 / (1 - x)

(Budnev, Ginzburg, Meledin, Serbo, Phys. Rep. 15 (1975) 181, the proton case; written in the photon's
transverse momentum, Q^2 = (q_T^2 + x^2 m_p^2) / (1 - x), it is the proton photon density of the
ALPINIST code, arXiv:2201.05170, used for "photon fusion" in proton dumps by Dobrich, Jaeckel, Kahlhoefer,
Ringwald, Schmidt-Hoberg, JHEP 02 (2016) 018, arXiv:1512.03069 Sec. 3), with the dipole form factors
G_E = G_M / mu_p = (1 + Q^2 / Lambda^2)^-2, Lambda^2 = 0.71 GeV^2, mu_p = 2.793.  The electric part alone
at x << 1 is the Drees-Zeppenfeld flux (PRD 39 (1989) 2536, eq. (5)) up to the Q2min / Q^2 term.  Such a
photon fuses with the Coulomb field of a dump nucleus, gamma N -> a N, with the
Primakoff cross section sigma_P(x E_p, m_a) of the model on the dump material
(:mod:`~na62lab.generation.dump.primakoff`).  Only the *beam* proton radiates
here, and only before its first inelastic interaction: per proton on target the
path length is lambda_I (card ``production.interaction_length_m``), so

    N_a / POT = n_N lambda_I int dx f(x) sigma_P(x E_p, m_a),   f(x) = int dQ^2 dN / dx dQ^2

(n_N the number density of the dump's nuclei).  Photons above the card's
``production.photon_e_min_gev`` only, as for the dump photons.

APPROXIMATIONS (stated in the output): the photon is treated as real in
gamma N -> a N (its virtuality Q^2 < ~Lambda^2 enters only the flux, not the
subprocess' minimal momentum transfer); dipole form factors; the ALP takes the
photon's energy (nuclear recoil neglected) and the photon's direction, q_T / (x E_p)
with q_T^2 = (1 - x)(Q^2 - Q2min), Q^2 drawn from dN / dx dQ^2; the Primakoff angle (~ m_a^2 / (2 E^2)) is neglected
as in the dump-photon mode.  Secondary protons of the cascade are not counted
(their photons are softer; a conservative omission).

Size (measured, alp-photon, photons above 3 GeV, 20-400 MeV): per POT on the NA62 copper TAX
1.1-1.4 % of the Primakoff rate on the photons of the whole cascade and 5.8 % of that on the
primary-collision (meson-decay) photons; on SHiP's tungsten 2.8-3.9 % and 15 % (per POT it grows as
Z^2 / sigma_inel, the dump-photon rate per photon does not).  This is the ordering of Dobrich, Jaeckel,
Spadaro, arXiv:1904.02091 (abstract): the meson-decay photons of the proton shower enhance the sensitivity
significantly over the coherent production by the primary proton.

Energies in MeV.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from na62lab.config.dump import DumpCard
from na62lab.generation.dump import primakoff
from na62lab.generation.dump.sample import FIPSample, four_momenta, normalised, sample_origin
from na62lab.generation.dump.tables import ProductionTable
from na62lab.physics.constants import ALPHA_EM, MU_P
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV, m

DIPOLE_LAMBDA2 = 0.71 * GeV**2
"""Lambda^2 of the proton's dipole form factors (MeV^2; the standard dipole fit, as in Budnev et al.
Phys. Rep. 15 (1975) 181)."""
N_NODES = 160
"""Nodes in ln x for the rate integral (trapezoid)."""
N_Q2 = 240
"""Nodes in ln Q^2 for the flux integral, from Q2min to :func:`_q2_max` (trapezoid)."""

NOTE = ("photon fusion (card production.photon_fusion): the beam proton's equivalent photons (Budnev et al. "
        "Phys. Rep. 15 (1975) 181, dipole G_E and G_M; arXiv:1512.03069 Sec. 3) convert on the dump "
        "nuclei over one interaction length lambda_I (beam proton only, before its first inelastic collision); "
        "photon treated as real in gamma N -> a N, FIP along the photon (EPA angle q_T/E kept, Primakoff "
        "angle neglected)")


def q2_min(x) -> np.ndarray:
    """Smallest photon virtuality m_p^2 x^2 / (1 - x) (MeV^2) at energy fraction ``x``."""
    x = np.asarray(x, dtype=float)
    return pdg_mass("p") ** 2 * x * x / (1.0 - x)


def _q2_max(qmin):
    """Upper end of the Q^2 range (MeV^2): the dipole G^2 ~ Q^-8 leaves < 1e-5 of the integral beyond."""
    return 30.0 * (qmin + DIPOLE_LAMBDA2)


def budnev_bracket(x, q2) -> np.ndarray:
    """(1 - x)(1 - Q2min/Q^2) D + x^2/2 C (module docstring) at ``x`` and ``q2`` (MeV^2), broadcast; 0 below Q2min."""
    x, q2 = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(q2, dtype=float))
    mp2 = pdg_mass("p") ** 2
    ge2 = (1.0 + q2 / DIPOLE_LAMBDA2) ** -4
    gm2 = MU_P**2 * ge2
    d = (4.0 * mp2 * ge2 + q2 * gm2) / (4.0 * mp2 + q2)
    qmin = q2_min(x)
    return np.where(q2 >= qmin, (1.0 - x) * (1.0 - qmin / q2) * d + 0.5 * x * x * gm2, 0.0)


def proton_photon_flux(x) -> np.ndarray:
    """Equivalent photons per unit energy fraction of the proton, f(x) = int dQ^2 dN/dx dQ^2 (0 outside (0, 1))."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    inside = (x > 0) & (x < 1)
    xs = np.where(inside, x, 0.5)
    qmin = q2_min(xs)
    t = np.linspace(0.0, 1.0, N_Q2)[None, :] * np.log(_q2_max(qmin) / qmin)[:, None]   # ln(Q^2 / Q2min)
    integral = np.trapezoid(budnev_bracket(xs[:, None], qmin[:, None] * np.exp(t)), t, axis=1)
    return np.where(inside, ALPHA_EM / (np.pi * xs) * integral, 0.0)


FLUX_TABLE_NODES = 2000
"""Nodes of the tabulated flux, uniform in logit(x) = ln(x / (1 - x)) from x = 1e-7 to 1 - 1e-6."""


def _logit(x: np.ndarray) -> np.ndarray:
    return np.log(x) - np.log1p(-x)


@lru_cache(maxsize=1)
def _flux_table() -> tuple[np.ndarray, np.ndarray]:
    """(logit x, ln f(x)) of :func:`proton_photon_flux` on :data:`FLUX_TABLE_NODES` nodes, computed once."""
    u = np.linspace(_logit(np.array(1e-7)), _logit(np.array(1.0 - 1e-6)), FLUX_TABLE_NODES)
    x = 1.0 / (1.0 + np.exp(-u))
    return u, np.log(proton_photon_flux(x))


def proton_photon_flux_fast(x) -> np.ndarray:
    """:func:`proton_photon_flux` interpolated (ln f against logit x) from a table computed once, for the
    samplers and rates, which call it on up to ~1e5 values per mass (relative error < 1e-3, tested); 0 outside
    1e-7 <= x <= 1 - 1e-6."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    u, lf = _flux_table()
    inside = (x >= 1e-7) & (x <= 1.0 - 1e-6)
    return np.where(inside, np.exp(np.interp(_logit(np.where(inside, x, 0.5)), u, lf)), 0.0)


def _x_nodes(mass: float, card: DumpCard) -> np.ndarray:
    """ln-uniform nodes of x from the threshold max(E_min, m) / E_p to just below 1."""
    return _x_nodes_at(mass, card.run.beam_energy_gev, card.production.photon_e_min_gev)


def _x_nodes_at(mass: float, beam_energy_gev: float, photon_e_min_gev: float) -> np.ndarray:
    """:func:`_x_nodes` for a beam energy and a photon threshold (GeV)."""
    e_p = beam_energy_gev * GeV
    lo = max(photon_e_min_gev * GeV, float(mass) * (1.0 + 1e-6)) / e_p
    return np.geomspace(lo, 1.0 - 1e-4, N_NODES) if lo < 1.0 - 1e-4 else np.empty(0)


def _integrand(x: np.ndarray, mass: float, beam_energy_gev: float, nucleus) -> np.ndarray:
    """x f(x) sigma_P(x E_p) / g_agg^2 at the nodes (the integrand in ln x; model-independent part)."""
    e = x * beam_energy_gev * GeV
    z, a, _ = nucleus
    return x * proton_photon_flux_fast(x) * primakoff._cross_section_in_energy(e, float(mass), z, a)


@lru_cache(maxsize=1 << 16)
def _ln_x_integral(mass: float, beam_energy_gev: float, photon_e_min_gev: float, nucleus: tuple) -> float:
    """int d(ln x) x f(x) sigma_P(x E_p) / g_agg^2 at one FIP ``mass`` (MeV); 0 where no photon is above
    threshold.  Memoised: edge finding asks the rate at the same masses many times (each card of a model,
    each expected band, each midpoint pass), and this integral is most of the cost of a photon-fusion rate."""
    x = _x_nodes_at(mass, beam_energy_gev, photon_e_min_gev)
    if x.size < 2:
        return 0.0
    return float(np.trapezoid(_integrand(x, mass, beam_energy_gev, nucleus), np.log(x)))


def rate(model, masses, card: DumpCard, nucleus: tuple[int, float, float]) -> np.ndarray:
    """FIPs per POT per coupling^2 at ``masses`` (MeV): n_N lambda_I int dx f(x) sigma_P (module docstring);
    sigma_P = g_agg^2 x (the model-independent Primakoff integral), g_agg^2 from the model's two-photon width
    (:func:`~na62lab.generation.dump.primakoff.effective_gagg2`, one call for all masses)."""
    masses = np.atleast_1d(np.asarray(masses, dtype=float))
    _, a, rho = nucleus
    path = card.production.interaction_length_m * m * primakoff.number_density(a, rho)
    out = np.zeros(masses.shape)
    e_beam, e_min = card.run.beam_energy_gev, card.production.photon_e_min_gev
    for i, mass in enumerate(masses):
        out[i] = path * _ln_x_integral(float(mass), e_beam, e_min, tuple(nucleus))
    return out * np.where(out > 0, primakoff.effective_gagg2(model, masses), 0.0)


def sample_q2(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Photon virtualities (MeV^2) from dN/dx dQ^2 at ``x``: log-uniform proposal on [Q2min, :func:`_q2_max`],
    accepted with the bracket over its bound ((1 - x) + x^2/2) mu_p^2 G(Q2min)^2 (D <= mu_p^2 G^2)."""
    qmin = q2_min(x)
    qmax = _q2_max(qmin)
    bound = ((1.0 - x) + 0.5 * x * x) * MU_P**2 * (1.0 + qmin / DIPOLE_LAMBDA2) ** -4
    out = np.empty(x.size)
    todo = np.arange(x.size)
    while todo.size:
        q2 = qmin[todo] * (qmax[todo] / qmin[todo]) ** rng.random(todo.size)
        ok = rng.random(todo.size) * bound[todo] < budnev_bracket(x[todo], q2)
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
    e = x * e_p
    # weights x f(x) sigma_P(x E_p) up to the constant g^2 factor (interpolated sigma_P, as the dump-photon mode)
    w = x * proton_photon_flux_fast(x) * primakoff._cross_section_in_energy(e, float(mass), z, a)
    q2 = sample_q2(x, rng)
    q_t = np.sqrt(np.maximum((1.0 - x) * (q2 - q2_min(x)), 0.0))
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
