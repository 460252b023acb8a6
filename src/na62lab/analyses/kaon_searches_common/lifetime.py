"""Where a long-lived X (or N) decays: probabilities along the beam line.

The parent decays uniformly in z over the fiducial volume [a, b] (the K+
decay length at 75 GeV/c is 563 m, the pi+ one 4.2 km, both much longer than
the 60 m volume) and X flies along z with decay length l = (p/m) c tau.
With u = z_end - z the distance to the end of the region (from
u1 = z_end - b to u2 = z_end - a):

* ``escape``:  P = < exp(-u/l) > = exp(-u1/l) [1 - exp(-(u2-u1)/l)] l / (u2 - u1);
* ``decay_before``: 1 - P_escape (X decays upstream of z_end);
* ``decay_within`` (prompt vertex): P = 1 - exp(-d/l);
* ``decay_in_volume`` (displaced, at least d from the parent vertex and
  before z_end): P = exp(-d/l) - P_escape;
* ``near_kaon_vertex`` (K+ -> pi+ a, a -> gamma gamma): the selection's
  pi+ gamma gamma mass window decides how far a may fly
  (:mod:`.displaced`, simulated; no distance put in by hand).

Every interval probability is :func:`na62lab.yields.dump_decay.decay_probability`
(the package's single implementation).  A massless X never decays in the lab
(l = inf, :func:`decay_length`).

The exponential-decay law is P(survive L) = exp(-L m / (p c tau)) (as in the
PBC report, arXiv:1901.09966); the average over the vertex is written
with ``expm1`` so that it is exact for l much shorter or much longer than the
volume (no cancellation, no overflow).  Angles of X to the beam axis (a few
mrad) are neglected (APPROXIMATE at the per-mille level).
"""

from __future__ import annotations

import numpy as np

from na62lab.config.searches import Lifetime
from na62lab.errors import require
from na62lab.physics.units import c_light, m, ns
from na62lab.yields.dump_decay import decay_probability, lab_decay_length


def decay_length(p_mev, mass_mev, ctau_mm) -> np.ndarray:
    """Lab decay length l = (p/m) c tau in mm (``inf`` for m = 0 or c tau = inf).

    :func:`na62lab.yields.dump_decay.lab_decay_length` for m > 0; a massless
    X (m = 0) never decays in the lab frame (infinite time dilation), so
    l = inf there (the dump version refuses m = 0, which a dump FIP never has).

    Parameters
    ----------
    p_mev : array_like
        Momentum (MeV/c).
    mass_mev : array_like
        Mass (MeV/c^2), broadcast with ``p_mev``.
    ctau_mm : array_like
        Proper decay length c tau (mm), broadcast.

    Examples
    --------
    >>> float(decay_length(1000.0, 100.0, 1.0))
    10.0
    >>> float(decay_length(1000.0, 0.0, 1.0))
    inf
    """
    p, mass, ct = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (p_mev, mass_mev, ctau_mm)))
    with np.errstate(divide="ignore", invalid="ignore"):
        lam = np.where(mass > 0, lab_decay_length(p, np.where(mass > 0, mass, 1.0), ct), np.inf)
    return np.where(np.isinf(ct), np.inf, lam)


def escape_probability(lam: np.ndarray, geometry: Lifetime) -> np.ndarray:
    """Probability that X decays beyond ``geometry.z_end_m`` (vertex uniform in the volume).

    With u = z_end - z uniform in [u1, u2], <exp(-u/l)> = l / (u2 - u1) x
    [exp(-u1/l) - exp(-u2/l)], the bracket being the stable interval
    probability of :func:`na62lab.yields.dump_decay.decay_probability`.

    Parameters
    ----------
    lam : array_like
        Lab decay lengths (mm).
    geometry : Lifetime
        Fiducial volume and end of the detector (m).
    """
    a, b = (v * m for v in geometry.vertex_z_m)
    u1, u2 = geometry.z_end_m * m - b, geometry.z_end_m * m - a
    lam = np.asarray(lam, dtype=float)
    width = u2 - u1
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        mean = lam / width * decay_probability(u1, u2, lam)
        # l >> u2: P -> (u2 - u1)/l exactly cancels the prefactor (limit 1); l = inf is 1 (never decays)
        mean = np.where(np.isinf(lam), 1.0, mean)
    return np.where(lam > 0, np.nan_to_num(mean, nan=0.0), 0.0)


def acceptance_factor(kind: str, lam, geometry: Lifetime) -> np.ndarray:
    """Probability of the lifetime condition ``kind`` for lab decay lengths ``lam`` (mm).

    Parameters
    ----------
    kind : {"escape", "decay_before", "decay_within", "decay_in_volume"}
        Module docstring (``near_kaon_vertex`` needs the momenta and masses:
        :func:`mean_acceptance`).
    lam : array_like
        Lab decay lengths (mm); ``inf`` for a stable particle.
    geometry : Lifetime
        Volume, end of the region and the distance ``d`` (m).
    """
    lam = np.asarray(lam, dtype=float)
    esc = escape_probability(lam, geometry)
    d = geometry.distance_m * m
    if kind == "escape":
        return esc
    if kind == "decay_before":
        return 1.0 - esc
    if kind == "decay_within":
        return decay_probability(0.0, d, lam) if d > 0 else np.where(np.isinf(lam), 0.0, 1.0)
    require(kind == "decay_in_volume", "lifetime kind", kind, "escape, decay_before, decay_within, decay_in_volume")
    survive = 1.0 - decay_probability(0.0, d, lam)
    return np.clip(survive - esc, 0.0, 1.0)


def mean_acceptance(kind: str, p_quantiles, mass_mev, ctau_mm, geometry: Lifetime) -> np.ndarray:
    """Lifetime acceptance averaged over X momentum quantiles.

    Parameters
    ----------
    kind : str
        See :func:`acceptance_factor`, or ``near_kaon_vertex``.
    p_quantiles : array_like, shape (M, Q)
        X lab momenta (MeV/c) representing the accepted decays at each mass.
    mass_mev : array_like, shape (M,)
        X masses (MeV/c^2).
    ctau_mm : array_like
        c tau (mm), shape (M,) or (M, G) for a grid of couplings.

    Returns
    -------
    ndarray
        Shape (M,) or (M, G).
    """
    pq = np.asarray(p_quantiles, dtype=float)
    ct = np.asarray(ctau_mm, dtype=float)
    mass = np.asarray(mass_mev, dtype=float)
    if kind == "near_kaon_vertex":
        from na62lab.analyses.kaon_searches_common.displaced import lifetime_acceptance

        return lifetime_acceptance(pq, mass, ct, geometry)
    if ct.ndim <= 1:
        lam = decay_length(pq, mass[:, None], np.broadcast_to(ct, mass.shape)[:, None])
        return acceptance_factor(kind, lam, geometry).mean(axis=-1)
    lam = decay_length(pq[:, None, :], mass[:, None, None], ct[:, :, None])
    return acceptance_factor(kind, lam, geometry).mean(axis=-1)


def ctau_from_lifetime(lifetime_ns: float | None) -> float:
    """c tau in mm from a proper lifetime in ns (``None`` means stable: ``inf``).

    Examples
    --------
    >>> round(ctau_from_lifetime(1.0), 3)
    299.792
    """
    if lifetime_ns is None:
        return float("inf")
    require(np.isfinite(lifetime_ns) and lifetime_ns >= 0, "lifetime-ns", lifetime_ns, "a lifetime >= 0 ns")
    return float(lifetime_ns) * ns * c_light
