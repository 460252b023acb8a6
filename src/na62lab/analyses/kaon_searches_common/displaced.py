"""Acceptance of K+ -> pi+ a, a -> gamma gamma when a decays away from the K+ vertex.

NA62 reconstructs the photons of K+ -> pi+ gamma gamma from their LKr
clusters assuming that they come from the K+ decay vertex (the pi+ track and
beam-track closest approach), and keeps the event if the reconstructed
pi+ gamma gamma mass is within a window of the K+ mass (NA62, PLB 850 (2024)
138513, selection of K+ -> pi+ gamma gamma; the same selection in NA62,
PLB 732 (2014) 65, Sec. 3).  If a flies a distance d before decaying, its
photons' directions are wrong: the opening angles shrink by about
(D - d) / D (D the distance from the K+ vertex to the LKr) and m(pi gamma
gamma) falls below m_K by roughly m_a^2 d / (D m_K) (1 + p_pi / p_a), a few
MeV per metre.  Only decays within a few metres pass the mass window.  This
module measures that acceptance with a small Monte Carlo instead of a
distance put in by hand:

1. for a mass node, K+ (beam momentum along z, vertex uniform in the
   fiducial volume) -> pi+ a isotropic (PDG Kinematics review, Eq. 49.17),
   a -> gamma gamma isotropic in the a rest frame;
2. for each flight distance d on a grid, the photons go from the displaced
   decay point to the LKr front plane; the event passes if both clusters are
   in the LKr acceptance (inner radius, octagon apothem) and the pi+ gamma
   gamma mass reconstructed from the K+ vertex is within the window;
3. events are grouped by their a momentum around the X momentum quantiles of
   the search's resolution model, so that the acceptance A(m, p, d) follows
   the same momentum spectrum as the rest of the search;
4. the lifetime acceptance relative to a prompt decay is
   sum_k A(d_k) P(d_k < flight < d_k+1) / A(0), with the interval
   probabilities of :func:`na62lab.yields.dump_decay.bin_decay_probabilities`
   (the one decay-probability implementation of the package).

APPROXIMATE (printed with the results that use it): the beam has no
divergence, momentum bite or spot size; the pi+ and photon measurements are
exact (the prompt resolution and its efficiency are in the search's
normalisation; only the displacement's effect is simulated); cluster
merging and photon energy thresholds are not applied; the selection's other
vertex-related cuts are not known and not applied.
"""

from __future__ import annotations

import json

import numpy as np

from na62lab.config.searches import Lifetime
from na62lab.errors import require
from na62lab.physics.kinematics import boost_to_lab, isotropic_directions, two_body_momentum
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV, m

N_NODES = 10
"""Mass nodes of the displaced-decay simulation (the acceptance varies smoothly with mass)."""
D_EDGES_M = np.concatenate([[0.0], np.geomspace(0.02, 140.0, 90)])
"""Flight-distance grid (m): fine near the vertex, up to beyond the LKr from the upstream end of the volume."""
NEAREST = 150
"""Events nearest in a momentum that represent one momentum quantile."""
APPROXIMATIONS = ("no beam divergence/bite/spot; exact pi+ and photon measurement; no cluster merging or "
                  "photon energy thresholds; displaced-decay acceptance relative to the prompt one")
_CACHE: dict[str, np.ndarray] = {}


def octagon_inside(x: np.ndarray, y: np.ndarray, inner: float, apothem: float) -> np.ndarray:
    """Whether impacts (x, y) lie in the LKr cluster acceptance: outside the inner radius ``inner`` and inside the
    regular octagon of apothem ``apothem`` about the z axis (NA62 framework ``GeometricAcceptance``; x, y, inner and
    apothem in one length unit)."""
    ax, ay = np.abs(x), np.abs(y)
    r = np.hypot(x, y)
    return (r >= inner) & (ax <= apothem) & (ay <= apothem) & ((ax + ay) / np.sqrt(2.0) <= apothem)


def simulate_node(mass_mev: float, geometry: Lifetime, n: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """One mass node: a momenta (MeV) and pass flags on the distance grid.

    Parameters
    ----------
    mass_mev : float
        a mass (MeV/c^2), below m_K - m_pi.
    geometry : Lifetime
        Fiducial volume ``vertex_z_m`` (m), LKr front ``z_end_m`` (m), the
        ``kaon_mass_window_mev`` (MeV/c^2), LKr acceptance radii (m) and beam
        momentum (GeV/c).
    n : int
        Simulated K+ -> pi+ a decays.
    rng : numpy.random.Generator

    Returns
    -------
    p_a : ndarray, shape (n,)
        a lab momenta (MeV/c).
    passed : ndarray of bool, shape (n, K)
        Whether the event passes at the centre of each distance bin of
        :data:`D_EDGES_M`.
    """
    m_k, m_pi = pdg_mass("K+"), pdg_mass("pi+")
    require(0 < mass_mev < m_k - m_pi, "mass", mass_mev, f"0 < m < {m_k - m_pi:.1f} MeV for K+ -> pi+ a")
    p_k = geometry.beam_momentum_gev * GeV
    kaon = np.tile([np.hypot(p_k, m_k), 0.0, 0.0, p_k], (n, 1))
    p_star = float(two_body_momentum(m_k, m_pi, mass_mev))
    u = isotropic_directions(n, rng) * p_star
    pi4 = boost_to_lab(np.column_stack([np.full(n, np.hypot(p_star, m_pi)), u]), kaon)
    a4 = boost_to_lab(np.column_stack([np.full(n, np.hypot(p_star, mass_mev)), -u]), kaon)
    g_rest = isotropic_directions(n, rng) * (0.5 * mass_mev)
    g1 = boost_to_lab(np.column_stack([np.full(n, 0.5 * mass_mev), g_rest]), a4)
    g2 = a4 - g1
    z_lo, z_hi = (z * m for z in geometry.vertex_z_m)
    z_k = rng.uniform(z_lo, z_hi, n)
    p_a = np.linalg.norm(a4[:, 1:], axis=1)
    centres = 0.5 * (D_EDGES_M[1:] + D_EDGES_M[:-1]) * m
    dec = z_k[:, None, None] * np.array([0, 0, 1.0]) + centres[None, :, None] * (a4[:, None, 1:] / p_a[:, None, None])
    z_lkr = geometry.z_end_m * m
    total = pi4[:, None, :].copy()
    ok = dec[..., 2] < z_lkr
    for g in (g1, g2):
        t = (z_lkr - dec[..., 2]) / (g[:, None, 3] / g[:, None, 0])
        hit = dec[..., :2] + t[..., None] * (g[:, None, 1:3] / g[:, None, 0:1])
        ok &= octagon_inside(hit[..., 0] / m, hit[..., 1] / m, geometry.lkr_inner_radius_m, geometry.lkr_apothem_m)
        ray = np.concatenate([hit, np.broadcast_to((z_lkr - z_k)[:, None, None], hit.shape[:2] + (1,))], axis=-1)
        ray /= np.linalg.norm(ray, axis=-1, keepdims=True)
        total = total + np.concatenate([g[:, None, 0:1].repeat(centres.size, 1),
                                        g[:, None, 0:1] * ray], axis=-1)
    with np.errstate(invalid="ignore"):
        m_rec = np.sqrt(np.clip(total[..., 0] ** 2 - np.sum(total[..., 1:] ** 2, axis=-1), 0.0, None))
    return p_a, ok & (np.abs(m_rec - m_k) < geometry.kaon_mass_window_mev)


def _node_table(mass_mev: float, p_q: np.ndarray, geometry: Lifetime) -> np.ndarray:
    """Pass fraction A[q, k] for the momentum quantiles ``p_q`` (MeV) of one mass node (cached)."""
    key = json.dumps([round(mass_mev, 6), np.round(p_q, 3).tolist(), geometry.model_dump()], default=float)
    if key not in _CACHE:
        rng = np.random.default_rng([geometry.seed, int(round(mass_mev * 1000))])
        p_a, passed = simulate_node(mass_mev, geometry, geometry.events_per_mass, rng)
        near = np.argsort(np.abs(p_a[None, :] - p_q[:, None]), axis=1)[:, :NEAREST]
        _CACHE[key] = passed[near].mean(axis=1)
    return _CACHE[key]


def acceptance_tables(masses, p_quantiles, geometry: Lifetime) -> np.ndarray:
    """A(m, q, k): pass fractions at each mass (MeV), momentum quantile and distance bin.

    Simulated at up to :data:`N_NODES` mass nodes and interpolated linearly
    in mass per (quantile, distance bin).
    """
    mass = np.atleast_1d(np.asarray(masses, dtype=float))
    pq = np.asarray(p_quantiles, dtype=float).reshape(mass.size, -1)
    nodes = np.unique(np.linspace(mass.min(), mass.max(), min(N_NODES, np.unique(mass).size)))
    pq_nodes = np.stack([np.interp(nodes, mass, pq[:, q]) if mass.size > 1 else pq[:, q]
                         for q in range(pq.shape[1])], axis=1)
    tab = np.stack([_node_table(float(mn), pq_nodes[i], geometry) for i, mn in enumerate(nodes)])
    if nodes.size == 1:
        return np.broadcast_to(tab[0], (mass.size,) + tab.shape[1:]).copy()
    idx = np.clip(np.searchsorted(nodes, mass) - 1, 0, nodes.size - 2)
    w = ((mass - nodes[idx]) / (nodes[idx + 1] - nodes[idx]))[:, None, None]
    return (1 - w) * tab[idx] + w * tab[idx + 1]


def lifetime_acceptance(p_quantiles, masses, ctau_mm, geometry: Lifetime) -> np.ndarray:
    """Acceptance of a decay at lifetime c tau relative to a prompt one (module docstring, step 4).

    Parameters
    ----------
    p_quantiles : array_like, shape (M, Q)
        a lab momenta (MeV/c) of the accepted decays at each mass.
    masses : array_like, shape (M,)
        a masses (MeV/c^2).
    ctau_mm : array_like, shape (M,) or (M, G)
        Proper decay lengths (mm); ``inf`` gives 0, 0 gives 1.
    geometry : Lifetime

    Returns
    -------
    ndarray, shape (M,) or (M, G)
    """
    from na62lab.yields.dump_decay import bin_decay_probabilities

    mass = np.atleast_1d(np.asarray(masses, dtype=float))
    pq = np.asarray(p_quantiles, dtype=float).reshape(mass.size, -1)
    tab = acceptance_tables(mass, pq, geometry)                          # (M, Q, K)
    prompt = tab[:, :, 0].mean(axis=1)
    ct = np.asarray(ctau_mm, dtype=float)
    squeeze = ct.ndim <= 1
    ct = np.broadcast_to(ct, mass.shape)[:, None] if squeeze else ct     # (M, G)
    edges = D_EDGES_M * m
    out = np.empty(ct.shape)
    for j in range(ct.shape[1]):                                         # loop over couplings; vectorised inside
        with np.errstate(divide="ignore", invalid="ignore"):
            lam = np.where(np.isinf(ct[:, j:j + 1]), np.inf, pq / mass[:, None] * ct[:, j:j + 1])   # (M, Q)
        probs = bin_decay_probabilities(np.broadcast_to(edges, lam.shape + edges.shape), lam)  # (M, Q, K)
        out[:, j] = np.sum(tab * probs, axis=(1, 2)) / tab.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(prompt[:, None] > 0, out / np.where(prompt > 0, prompt, 1.0)[:, None], 0.0)
    return rel[:, 0] if squeeze else rel
