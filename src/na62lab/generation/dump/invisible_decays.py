"""Three-body HNL decays with one invisible neutrino (``nu e e``, ``nu mu mu``, ``e mu nu``), importance-sampled
towards a neutrino of small momentum transverse to the HNL flight line.

Why: a dump selection that points the visible momentum back to the target (the NA62 TAX-pointing cut,
:func:`na62lab.selection.dump_selection.pointing_distance`) keeps an N -> nu l l decay only when the
neutrino's momentum transverse to the N flight line, p_T = p* sin(theta*) (boost invariant; p*, theta*
in the N rest frame, theta* to the flight axis), is a few MeV/c (20 mm at about 100 m for 30 GeV/c of
visible momentum): the neutrino flies along the axis, forwards or backwards, or is soft.  Flat phase space
with isotropic orientation puts about 1e-4 of the decays there, so a table node held 1-3 accepted decays
per round of 2500 FIPs x 6 slices and the lower |U_tau|^2 edge moved by 5-18 % between seeds
(na62_dump_run2, 1e18 POT).

How (exact, physics-neutral): the decay of an unpolarised N is isotropic in its rest frame (the
approximation of :mod:`na62lab.generation.dump.fip_decays`), and flat phase space is a uniform density in the
Dalitz plane (PDG 2024 Kinematics review, Eqs. 49.22-49.23), so (E*, t) with E* the neutrino energy and
t = 1 - |cos(theta*)| are independent, t uniform on [0, 1].  The decays are drawn from a defensive mixture
(Hesterberg, Technometrics 37 (1995) 185) of :data:`SHARES`: the plain draw; t from 1 / (L (t + t0)) on
[0, 1] (every e-fold of t near the axis gets the same share; t0 = :data:`AXIS_T0`); E* from the same
law on [0, E*_max] (scale :data:`SOFT_E0` x E*_max), the other Dalitz variable uniform in its range at
that E* (PDG Eq. 49.25), t uniform.  Each decay carries the weight plain / mixture density,
1 / (s0 + s1 g_t(t) + s2 g_E(E*) / f_E(E*)) with f_E the plain E* density: mean 1 under the mixture (every
estimate unbiased) and below 1 / s0, so no decay configuration is sampled worse than with that share of
the decays.  The azimuths about the flight axis and of the decay plane about the neutrino stay uniform.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from na62lab.physics.kinematics import boost_to_lab, dalitz_limits, orthonormal_frame, sample_flat_dalitz

__all__ = ["SHARES", "AXIS_T0", "SOFT_E0", "log_draw", "three_body_invisible"]

SHARES = (0.3, 0.7)
"""Mixture shares (plain, near the axis) of :func:`three_body_invisible` (numerical choice, not physics)."""

AXIS_T0 = 1e-6
"""Scale t0 of the near-axis component in t = 1 - |cos(theta*)| (numerical choice): theta* = 1.4e-3 rad, a
p_T of 0.7 MeV/c for a 500 MeV/c neutrino, well inside the NA62 pointing cut (up to 20-30 MeV/c)."""

SOFT_E0 = 1e-4
"""Scale of the near-axis component in E* / E*_max (numerical choice): 0.05 MeV at 1 GeV."""


def log_draw(n: int, rng: np.random.Generator, x0: float, x_max: float = 1.0) -> np.ndarray:
    """``n`` draws of x on [0, x_max] from the density :func:`log_density` (inverse CDF)."""
    return np.clip(x0 * np.expm1(np.log1p(x_max / x0) * rng.random(n)), 0.0, x_max)


def log_density(x: np.ndarray, x0: float, x_max: float = 1.0) -> np.ndarray:
    """1 / (L (x + x0)) on [0, x_max], L = ln((x_max + x0) / x0): equal probability per e-fold of x above x0."""
    return 1.0 / (np.log1p(x_max / x0) * (np.asarray(x, float) + x0))


def _soft_width(energy: np.ndarray, big_m: float, masses: tuple[float, float, float]) -> tuple:
    """s_bc (MeV^2) at neutrino energy ``energy`` (MeV), and the range (lo, hi) of s_ab there (PDG Eq. 49.25);
    ``masses`` = (m_a = the neutrino's, m_b, m_c)."""
    ma, mb, mc = masses
    s_bc = big_m**2 + ma**2 - 2.0 * big_m * np.asarray(energy, float)
    lo, hi = dalitz_limits(big_m, mc, mb, ma, np.clip(s_bc, (mb + mc) ** 2, None))   # s_cb fixed -> s_ba range
    return s_bc, lo, hi


@lru_cache(maxsize=256)
def _width_integral(big_m: float, masses: tuple[float, float, float], n_nodes: int = 20001) -> tuple[float, float]:
    """E*_max (MeV) and the integral over E* of the s_ab range width (Simpson's rule on ``n_nodes`` nodes,
    relative error < 1e-6 for these square-root end points); once per mass (the tables ask each mass often)."""
    ma, mb, mc = masses
    e_max = (big_m**2 + ma**2 - (mb + mc) ** 2) / (2.0 * big_m)
    grid = np.linspace(ma, e_max, n_nodes)
    _, lo, hi = _soft_width(grid, big_m, masses)
    width = np.clip(hi - lo, 0.0, None)
    h = (e_max - ma) / (n_nodes - 1)
    return e_max, float(h / 3.0 * (width[0] + width[-1] + 4.0 * width[1:-1:2].sum() + 2.0 * width[2:-1:2].sum()))


def _energy_density(big_m: float, masses: tuple[float, float, float]):
    """Plain (flat phase space) density f_E of the neutrino energy (1/MeV) as a callable, and E*_max (MeV):
    f_E(E) = width of the s_ab range at E / its integral (uniform Dalitz density)."""
    e_max, area = _width_integral(float(big_m), tuple(float(x) for x in masses))

    def density(e: np.ndarray) -> np.ndarray:
        _, lo_e, hi_e = _soft_width(e, big_m, masses)
        return np.clip(hi_e - lo_e, 0.0, None) / area

    return density, e_max


def _rest_momenta(big_m: float, masses: tuple[float, float, float], s_ab: np.ndarray,
                  s_bc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Energies (n, 3) and momentum moduli (n, 3) (MeV) of (a, b, c) in the parent rest frame:
    E_a = (M^2 + m_a^2 - s_bc) / 2M, E_c = (M^2 + m_c^2 - s_ab) / 2M, E_b = M - E_a - E_c (PDG Eqs. 49.22-49.23)."""
    ma, _, mc = masses
    e_a = (big_m**2 + ma**2 - s_bc) / (2.0 * big_m)
    e_c = (big_m**2 + mc**2 - s_ab) / (2.0 * big_m)
    energies = np.stack([e_a, big_m - e_a - e_c, e_c], axis=1)
    return energies, np.sqrt(np.clip(energies**2 - np.asarray(masses) ** 2, 0.0, None))


def _draw(n: int, big_m: float, masses: tuple[float, float, float], rng: np.random.Generator,
          shares: tuple[float, float]):
    """(s_ab, s_bc, t, weight) from the mixture of the module docstring (``masses`` in the order a, b, c)."""
    density, e_max = _energy_density(big_m, masses)
    s_ab, s_bc = sample_flat_dalitz(big_m, *masses, n, rng)
    t = rng.random(n)
    near = rng.random(n) >= shares[0]
    if np.any(near):
        e_near = masses[0] + log_draw(int(near.sum()), rng, SOFT_E0 * e_max, e_max - masses[0])
        s_bc[near], lo, hi = _soft_width(e_near, big_m, masses)
        s_ab[near] = lo + rng.random(e_near.size) * (hi - lo)
        t[near] = log_draw(e_near.size, rng, AXIS_T0)
    e_nu = np.clip((big_m**2 + masses[0] ** 2 - s_bc) / (2.0 * big_m) - masses[0], 0.0, e_max - masses[0])
    f_e = density(e_nu + masses[0])
    g_e = log_density(e_nu, SOFT_E0 * e_max, e_max - masses[0])
    ratio = np.where(f_e > 0, g_e / np.where(f_e > 0, f_e, 1.0), np.inf) * log_density(t, AXIS_T0)
    return s_ab, s_bc, t, 1.0 / (shares[0] + shares[1] * ratio)


def three_body_invisible(fip_p4: np.ndarray, masses: tuple[float, float, float], nu_index: int,
                         rng: np.random.Generator, shares: tuple[float, float] = SHARES
                         ) -> tuple[list, np.ndarray]:
    """Flat three-body decays of FIPs of one mass, importance-sampled as in the module docstring.

    Parameters
    ----------
    fip_p4 : ndarray (N, 4)
        FIP lab four-momenta (MeV), one invariant mass.
    masses : (float, float, float)
        Daughter masses (MeV) in the order of the final state.
    nu_index : int
        Which daughter is the (invisible) neutrino.
    rng : numpy.random.Generator
    shares : (float, float)
        Mixture shares (plain, near the axis), summing to 1, plain > 0; (1, 0) gives plain decays (weights 1).

    Returns
    -------
    daughters : list of ndarray (N, 4)
        Lab four-momenta (MeV) in the order of ``masses``, summing to ``fip_p4``.
    weight : ndarray (N,)
        Importance weights (mean 1 under the mixture, at most 1 / shares[0]).
    """
    fip_p4 = np.atleast_2d(np.asarray(fip_p4, float))
    n = fip_p4.shape[0]
    big_m = float(np.sqrt(max(fip_p4[0, 0] ** 2 - np.sum(fip_p4[0, 1:] ** 2), 0.0)))
    order = [nu_index, (nu_index + 1) % 3, (nu_index + 2) % 3]        # a = the neutrino, b, c
    abc = (masses[order[0]], masses[order[1]], masses[order[2]])
    s_ab, s_bc, t, weight = _draw(n, big_m, abc, rng, shares)
    energies, pabs = _rest_momenta(big_m, abc, s_ab, s_bc)
    # the neutrino direction about the FIP flight axis (either sign, uniform azimuth phi)
    cos_t = np.where(rng.random(n) < 0.5, -1.0, 1.0) * (1.0 - t)
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    axis = _unit(fip_p4[:, 1:])
    e1, e2 = orthonormal_frame(axis)
    sin_t = np.sqrt(np.clip(1.0 - cos_t**2, 0.0, None))
    radial = np.cos(phi)[:, None] * e1 + np.sin(phi)[:, None] * e2
    z_nu = cos_t[:, None] * axis + sin_t[:, None] * radial
    # b at the angle fixed by p_c = -(p_a + p_b), at a uniform azimuth psi about the neutrino
    denom = np.where(pabs[:, 0] * pabs[:, 1] > 0, 2.0 * pabs[:, 0] * pabs[:, 1], 1.0)
    cos_ab = np.clip((pabs[:, 2] ** 2 - pabs[:, 0] ** 2 - pabs[:, 1] ** 2) / denom, -1.0, 1.0)
    psi = rng.uniform(0.0, 2.0 * np.pi, n)
    x_nu = cos_t[:, None] * radial - sin_t[:, None] * axis              # with y_nu: unit, normal to z_nu
    y_nu = np.cos(phi)[:, None] * e2 - np.sin(phi)[:, None] * e1
    dir_b = cos_ab[:, None] * z_nu + np.sqrt(1.0 - cos_ab**2)[:, None] * (np.cos(psi)[:, None] * x_nu
                                                                          + np.sin(psi)[:, None] * y_nu)
    p_a, p_b = pabs[:, 0, None] * z_nu, pabs[:, 1, None] * dir_b
    rest = {order[0]: p_a, order[1]: p_b, order[2]: -p_a - p_b}
    out = [boost_to_lab(np.column_stack([energies[:, order.index(i)], rest[i]]), fip_p4) for i in range(3)]
    return out, weight


def _unit(v: np.ndarray) -> np.ndarray:
    """Rows of ``v`` (N, 3) normalised; the z axis for a null row."""
    norm = np.linalg.norm(v, axis=1)
    out = np.zeros_like(v)
    out[:, 2] = 1.0
    ok = norm > 0
    out[ok] = v[ok] / norm[ok, None]
    return out
