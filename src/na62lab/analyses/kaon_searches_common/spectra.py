"""Background shapes of the peak searches, binned in the observable (internal units).

Observable x is the reconstructed mass (MeV) or squared missing mass (MeV^2).
Each shape is a density over x normalised to one over its range
[lo, hi] and integrated over the fine bins of the scan:

* ``flat``: uniform;
* ``exponential``: exp(-|x - anchor| / scale) (a resolution or mis-ID tail
  falling away from a kinematic peak; anchor and scale from the card);
* ``pigg``: K+ -> pi+ gamma gamma, dGamma/dz at O(p^4) ChPT (Ecker, Pich,
  de Rafael, NPB 303 (1988) 665) from :mod:`na62lab.generation.kaon.matrix_elements`,
  z = m_gg^2/m_K^2, times the simulated acceptance A(m_gg) (the card's events
  are the selected candidates of NA62, PLB 850 (2024) 138513; the a -> gamma
  gamma acceptance, selected pi+ and both photons in the LKr
  (:mod:`.x_photons`), is the SM one at O(p^4), whose photons are isotropic
  in the gamma gamma frame at fixed z), smeared by the mass resolution;
* ``pimumu``: K+ -> pi+ mu+ mu-, dGamma/dz with W(z) = G_F m_K^2 (a+ + b+ z)
  (D'Ambrosio, Ecker, Isidori, Portoles, JHEP 08 (1998) 004; NA62 form
  factor JHEP 11 (2022) 011) times the simulated acceptance A(m_mumu) (the
  card's events are the selected candidates of JHEP 11 (2022) 011; the X -> mu mu
  acceptance, whose muons decay isotropically, stands in for
  the SM one: APPROXIMATE, the vector current's 1 - beta^2 cos^2 theta
  dimuon angular distribution is not reweighted), smeared;
* ``histogram``: piecewise constant, the card's ``edges`` and ``weights`` (e.g. a simulated
  reconstructed spectrum, already smeared);
* ``pinunu``: K+ -> pi+ nu nubar, dGamma/dq^2 proportional to
  lambda^(3/2)(m_K^2, m_pi^2, q^2) |f+(q^2)|^2 (vector current with the K_l3 form
  factor; Mescia and Smith, PRD 76 (2007) 034017) times the simulated momentum-window
  acceptance, smeared by the m_miss^2 resolution.

The three physics shapes count SELECTED events (a published candidate count,
or BR / SES), so their true spectrum is dGamma/dm x A(m), A the simulated
acceptance of the card's resolution model: one home,
:func:`selected_mass_density`, used by the shapes, by the reference-spectrum
average of the engine and by count extrapolations such as
:func:`na62lab.analyses.pi_a_gammagamma.sm_events_in`.  The other
components are not decay spectra and need no weighting: ``histogram``
components (HNL cards) are m_miss of simulated tracks already inside the
acceptance and momentum window (:mod:`na62lab.analyses.hnl_backgrounds`);
``flat`` and ``exponential`` ones are assumed shapes of selected events
(pi-x tails, pi+ gamma gamma's non-SM 291 events, pi+ -> e+ N's muon decays);
pi0 -> invisible counts events (no spectrum), and the K+ -> pi+ nu nubar
counting (:mod:`na62lab.analyses.pinunu`) uses the published SES.  The
three-body K+ -> mu+ nu X signal of :mod:`na62lab.analyses.hnl` takes the
same dGamma/dm x A(m) weighting.

Smearing is a Gaussian convolution on a fine grid (APPROXIMATE: no
non-Gaussian tails).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import special

from na62lab.errors import InputError
from na62lab.physics.kinematics import kallen
from na62lab.physics.particles import mass as pdg_mass

M_K, M_PI, M_MU = pdg_mass("K+"), pdg_mass("pi+"), pdg_mass("mu+")
TRUE_POINTS_PER_SIGMA = 4.0
"""Sampling of the true spectrum before smearing (points per resolution sigma)."""


def gaussian_bin_fractions(edges: np.ndarray, centres: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """Fraction of N(centre, sigma) in each bin; shape (len(centres), len(edges) - 1)."""
    s = np.maximum(np.asarray(sigma, dtype=float), 1e-300)[:, None]
    cdf = special.ndtr((edges[None, :] - np.asarray(centres, dtype=float)[:, None]) / s)
    return np.diff(cdf, axis=1)


def pinunu_q2_density(q2_mev2: np.ndarray) -> np.ndarray:
    """Unnormalised dGamma/dq^2 of K+ -> pi+ nu nubar (q^2 in MeV^2; module docstring), with the K_l3 f+(q^2)
    of :func:`na62lab.generation.kaon.matrix_elements.kl3_form_factors` (NA48/2 quadratic slopes)."""
    from na62lab.generation.kaon.matrix_elements import kl3_form_factors

    lam = np.clip(kallen(M_K**2, M_PI**2, q2_mev2), 0.0, None)
    fplus = kl3_form_factors(np.asarray(q2_mev2, dtype=float), m_pi=M_PI)[0]
    return np.where(q2_mev2 <= (M_K - M_PI) ** 2, lam**1.5 * fplus**2, 0.0)


def _mass_density(kind: str, m: np.ndarray) -> np.ndarray:
    """dGamma/dm (unnormalised) of K+ -> pi+ gamma gamma or pi+ mu+ mu- at true mass m (MeV)."""
    from na62lab.generation.kaon.matrix_elements import pigg_z_density, pill_z_density

    z = (m / M_K) ** 2
    zmax = ((M_K - M_PI) / M_K) ** 2
    inside = (z > 0) & (z < zmax)
    if kind == "pimumu":
        inside &= m > 2 * M_MU
    zs = np.where(inside, z, 0.5 * zmax)
    dens = pigg_z_density(zs) if kind == "pigg" else pill_z_density(zs, M_MU)
    return np.where(inside, dens * 2.0 * m / M_K**2, 0.0)


SELECTED_EVENT_SHAPES = ("pigg", "pimumu", "pinunu")
"""Physics shapes whose card events are selected candidates (their spectrum carries the acceptance)."""


def selected_mass_density(kind: str, m: np.ndarray,
                          acceptance_at: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """Unnormalised dN/dm of selected SM events at true mass m (MeV): dGamma/dm x A(m).

    ``kind`` is ``pigg``, ``pimumu`` (:func:`_mass_density`) or ``pinunu``
    (dGamma/dq^2 x 2m, :func:`pinunu_q2_density`, q^2 = m^2).  A selected
    sample follows dGamma/dm times the acceptance A(m): a count of selected
    candidates (NA62 pi+ gamma gamma, PLB 850 (2024) 138513; pi+ mu+ mu-,
    JHEP 11 (2022) 011) or BR / SES (pi+ nu nubar, JHEP 06 (2021) 093) is
    distributed in m as this product, not as dGamma/dm.  Without
    ``acceptance_at`` the bare dGamma/dm (a decay spectrum, e.g. the
    branching-ratio normalisation).
    """
    if kind not in SELECTED_EVENT_SHAPES:
        raise InputError("spectrum", kind, " or ".join(SELECTED_EVENT_SHAPES))
    m = np.asarray(m, dtype=float)
    dens = pinunu_q2_density(m * m) * 2.0 * m if kind == "pinunu" else _mass_density(kind, m)
    return dens * acceptance_at(m) if acceptance_at is not None else dens


def _smeared(true_grid: np.ndarray, weights: np.ndarray, sigma: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Bin contents of sum_i w_i N(x; t_i, sigma_i) over ``edges``."""
    out = np.zeros(edges.size - 1)
    for start in range(0, true_grid.size, 512):   # chunks over the true grid bound the memory
        sl = slice(start, start + 512)
        out += weights[sl] @ gaussian_bin_fractions(edges, true_grid[sl], sigma[sl])
    return out


def shape_in_bins(shape: str, edges: np.ndarray, lo: float, hi: float, *, anchor: float | None = None,
                  scale: float | None = None, observable: str = "mass_mev",
                  sigma_at: Callable[[np.ndarray], np.ndarray] | None = None,
                  acceptance_at: Callable[[np.ndarray], np.ndarray] | None = None,
                  histogram: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Fraction of a background shape in each bin of ``edges`` (sums to <= 1 over the bins in [lo, hi]).

    Parameters
    ----------
    shape : {"flat", "exponential", "pigg", "pimumu", "pinunu", "histogram"}
    edges : ndarray
        Bin edges in internal observable units (MeV or MeV^2).
    lo, hi : float
        Range over which the shape is normalised (observable units).
    anchor, scale : float
        Exponential parameters (observable units).
    observable : {"mass_mev", "mmiss2_gev2"}
    sigma_at : callable
        Resolution (observable units) at true masses (MeV), for smeared shapes.
    acceptance_at : callable
        Simulated acceptance at true masses (MeV), for ``pigg``, ``pimumu`` and ``pinunu`` (selected-event
        spectra, :func:`selected_mass_density`); ``None``: the bare decay spectrum.
    histogram : (edges, weights)
        For ``histogram``: bin edges (observable units) and relative contents.
    """
    centres = 0.5 * (edges[1:] + edges[:-1])
    width = np.diff(edges)
    inside = (centres >= lo) & (centres <= hi)
    if shape == "flat":
        dens = np.ones_like(centres)
    elif shape == "exponential":
        dens = np.exp(-np.abs(centres - anchor) / scale)
    elif shape in ("pigg", "pimumu", "pinunu"):
        return _physics_shape(shape, edges, inside, observable, sigma_at, acceptance_at)
    elif shape == "histogram" and histogram is not None:
        h_edges, h_w = (np.asarray(v, dtype=float) for v in histogram)
        cdf = np.concatenate([[0.0], np.cumsum(h_w)])       # piecewise-linear CDF = piecewise-constant density
        vals = np.where(inside, np.diff(np.interp(edges, h_edges, cdf)), 0.0)
        total = vals.sum()
        return vals / total if total > 0 else vals
    else:
        raise InputError("background shape", shape, "flat, exponential, pigg, pimumu, pinunu or histogram (with "
                                                     "edges and weights)")
    vals = np.where(inside, dens * width, 0.0)
    total = vals.sum()
    return vals / total if total > 0 else vals


def adaptive_grid(lo: float, hi: float, step_at: Callable[[np.ndarray], np.ndarray],
                  n_fine: int = 20_001) -> np.ndarray:
    """Points from ``lo`` to ``hi`` spaced by about ``step_at(x)`` (same units as x)."""
    x = np.linspace(lo, hi, n_fine)
    dens = 1.0 / np.maximum(step_at(x), (hi - lo) / n_fine)
    t = np.concatenate([[0.0], np.cumsum(0.5 * (dens[1:] + dens[:-1]) * np.diff(x))])
    return np.interp(np.linspace(0.0, t[-1], max(int(np.ceil(t[-1])), 2) + 1), t, x)


def _physics_shape(shape, edges, inside, observable, sigma_at, acceptance_at) -> np.ndarray:
    if sigma_at is None:
        raise InputError("resolution", None, f"a resolution for the smeared {shape} shape")
    to_mass = (lambda x: np.sqrt(np.clip(x, 0.0, None))) if observable == "mmiss2_gev2" else (lambda x: x)
    x_hi = (M_K - M_PI) ** 2 if observable == "mmiss2_gev2" else M_K - M_PI
    m_lo = 2.0 * M_MU if shape == "pimumu" else 0.0    # the density is 0 below the pair threshold
    x_lo = m_lo**2 if observable == "mmiss2_gev2" else m_lo
    grid = adaptive_grid(x_lo, x_hi, lambda x: sigma_at(to_mass(x)) / TRUE_POINTS_PER_SIGMA)
    mid, dx = 0.5 * (grid[1:] + grid[:-1]), np.diff(grid)
    m_true = to_mass(mid)
    dens = selected_mass_density(shape, m_true, acceptance_at)       # selected events: dGamma/dm x A(m)
    w = dens * dx / (1.0 if observable == "mass_mev" else 2.0 * np.maximum(m_true, 1e-9))
    w = w / w.sum()
    vals = np.where(inside, _smeared(mid, w, sigma_at(m_true), edges), 0.0)
    total = vals.sum()
    return vals / total if total > 0 else vals


def fraction_in(shape_fn: Callable[[np.ndarray], np.ndarray], lo: float, hi: float, n: int = 4000) -> float:
    """Fraction of an unnormalised density on [0, M_K - M_pi] lying in [lo, hi] (MeV), trapezoid rule."""
    m = np.linspace(1e-6, M_K - M_PI, n)
    d = shape_fn(m)
    total = np.trapezoid(d, m)
    sel = (m >= lo) & (m <= hi)
    return float(np.trapezoid(np.where(sel, d, 0.0), m) / total) if total > 0 else 0.0


def true_mass_density(kind: str) -> Callable[[np.ndarray], np.ndarray]:
    """dGamma/dm (unnormalised) of ``pigg`` or ``pimumu`` as a function of the true mass (MeV)."""
    if kind not in ("pigg", "pimumu"):
        raise InputError("spectrum", kind, "pigg or pimumu")
    return lambda m: selected_mass_density(kind, m)
