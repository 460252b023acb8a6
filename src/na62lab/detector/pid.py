"""Particle identification: probability that a track is identified as a pi+ (RICH x calorimeters).

RICH: a Cherenkov-angle model.  For a particle of mass m and momentum p in
neon, theta_c^2 = 2 (n - 1) - m^2/p^2 (small angles), the mean number of
hits is N_sat theta_c^2 / theta_max^2 and a ring needs ``min_hits``; the
measured ring angle is Gaussian around theta_c with the single-ring
resolution of a saturated ring scaled by sqrt(N_sat / N).  The pi+
identification accepts a ring angle theta_m when

- the RICH mass m^2 = p_STRAW^2 (theta_max^2 - theta_m^2) lies in the pi+
  mass window, and
- the missing mass squared computed with the RICH momentum
  p_RICH = m_pi / sqrt(theta_max^2 - theta_m^2) (pi+ hypothesis, STRAW
  direction, GTK kaon) lies in the window of the event's region
  (:func:`rich_mmiss2_theta_intervals`; NA62 framework ``KinematicTails``).

Both conditions are intervals in theta_m, so the pass probability is a sum
of Gaussian integrals, computed per event (a weight, so that muon
rejections of 1e-8 are estimated from modest samples).  The RICH momentum
constraint is what removes K+ -> mu+ nu events whose STRAW momentum or GTK
match is wrong: the muon's ring gives p_RICH ~ p m_pi/m_mu.  A
momentum-independent floor stands for non-Gaussian mis-identification
(wrong hit association, accidental hits).  The suppression therefore worsens
with momentum as the pi and mu rings approach each other, as in NA62 (neon
at atmospheric pressure: detector paper JINST 12 (2017) P05025, Sec. 5;
ring resolution and hit count approximate).

Calorimeters (LKr, MUV1-3): constant pi+ efficiency and mu+/e+
mis-identification from the card (NA62, JHEP 11 (2023) 138: boosted
decision tree, 75 % pi+ efficiency at 1.2e-5 muon mis-identification,
15-40 GeV/c); the MUV3 veto of the track is treated as part of it (a muon
that showers like a pion in the calorimeters rarely reaches MUV3, so the
two are not independent).  The positron mis-identification (card
``calo_pid.positron_misid``, assumed) is the probability that an isolated
e+ leaves E/p below the positron cut (0.8, public NA62 framework) and
otherwise looks like a pi+; photons merged with its LKr cluster push its
E/p up, which the pi0-orientation average applies to R1/R2 events
(:func:`na62lab.variance.pi0_orientation.eop_pass`).

Probabilities are dimensionless; momenta in MeV, angles in rad.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammainc, ndtr

from na62lab.config.kaon import CaloPidCard, RichCard
from na62lab.generation.kaon.final_state import ELECTRON, MUON, PION
from na62lab.physics.particles import mass
from na62lab.physics.phase_space import njit
from na62lab.physics.units import MeV, urad

_MASS = {PION: mass("pi+"), MUON: mass("mu+"), ELECTRON: mass("e+")}
M_PI, M_K, M_MU, M_E = mass("pi+"), mass("K+"), mass("mu+"), mass("e+")


def cherenkov_theta(p, particle_mass, rich: RichCard):
    """Cherenkov angle (rad) in the RICH radiator, 0 below threshold: theta^2 = 2 (n - 1) - m^2/p^2."""
    t2 = 2.0 * rich.n_minus_1 - (particle_mass / np.asarray(p, float)) ** 2
    return np.sqrt(np.clip(t2, 0.0, None))


def ring_resolution(theta, rich: RichCard):
    """Single-ring angle resolution (rad): sigma_sat sqrt(N_sat / N(theta)) = sigma_sat theta_max / theta."""
    t_max = np.sqrt(2.0 * rich.n_minus_1)
    return rich.angle_resolution_urad * urad * t_max / np.maximum(np.asarray(theta, float), 1e-6)


def ring_probability(theta, rich: RichCard):
    """Probability of a reconstructed ring: P(Poisson(N_sat theta^2 / theta_max^2) >= min_hits)."""
    mu = rich.hits_saturated * np.asarray(theta, float) ** 2 / (2.0 * rich.n_minus_1)
    return np.where(mu > 0, gammainc(rich.min_hits, np.maximum(mu, 1e-300)), 0.0)


def mass_window_theta(p_measured, rich: RichCard):
    """Ring angles (rad) whose RICH mass with the STRAW momentum (MeV) lies in the pi+ window."""
    m_lo, m_hi = (w * MeV for w in rich.pion_mass_window_mev)
    return cherenkov_theta(p_measured, m_hi, rich), cherenkov_theta(p_measured, m_lo, rich)


def _momenta_at(t, e_k, k_par, sq):
    """Momenta p with m_miss^2(p) = t for m^2(p) = m_K^2 + m_pi^2 - 2 E_K E_pi(p) + 2 k p (NaN if none).

    Squaring 2 E_K sqrt(p^2 + m^2) = A + 2 k p, A = m_K^2 + m_pi^2 - t, gives
    p = [A k -+ E_K sqrt(A^2 - 4 m^2 (E_K^2 - k^2))] / (2 (E_K^2 - k^2)); ``sq`` = E_K^2 - k^2.
    """
    a = M_K**2 + M_PI**2 - t
    disc = a * a - 4.0 * M_PI**2 * sq
    root = np.sqrt(np.where(disc >= 0, disc, np.nan))
    return (a * k_par - e_k * root) / (2.0 * sq), (a * k_par + e_k * root) / (2.0 * sq)


def rich_mmiss2_theta_intervals(kaon_p4, direction, t_lo, t_hi, rich: RichCard):
    """Ring-angle intervals (rad) whose RICH-momentum m_miss^2 lies in [t_lo, t_hi] (MeV^2).

    m^2(p) = (P_K - P_pi(p n))^2 is concave in p (n: unit track direction),
    so {m^2 >= t_lo} is one interval [p1, p4] and {m^2 > t_hi} is one
    interval (p2, p3) inside it: the window is [p1, p2] U [p3, p4], mapped
    to ring angles with the monotonic theta(p) of a pi+
    (:func:`cherenkov_theta`).  Unbounded windows are given as -inf/inf.

    Returns
    -------
    ndarray, shape (N, 2, 2)
        [event, interval, (lo, hi)]; empty intervals have lo >= hi.
    """
    k4 = np.asarray(kaon_p4, float)
    n = np.asarray(direction, float)
    e_k = k4[:, 0]
    k_par = np.einsum("ij,ij->i", k4[:, 1:], n)
    sq = e_k**2 - k_par**2
    with np.errstate(invalid="ignore"):
        p1, p4 = _momenta_at(np.asarray(t_lo, float), e_k, k_par, sq)
        p2, p3 = _momenta_at(np.asarray(t_hi, float), e_k, k_par, sq)
    lo_open = ~np.isfinite(np.asarray(t_lo, float) * np.ones_like(e_k))
    p1 = np.where(lo_open, 0.0, p1)
    p4 = np.where(lo_open, np.inf, p4)
    no_hi = ~np.isfinite(p2)                       # m^2 never exceeds t_hi (or t_hi = inf)
    p2 = np.where(no_hi, p4, p2)
    p3 = np.where(no_hi, p4, p3)
    bounds = np.stack([np.stack([p1, p2], -1), np.stack([p3, p4], -1)], 1)
    with np.errstate(divide="ignore"):
        theta = cherenkov_theta(np.where(np.isfinite(bounds), bounds, 1e30), M_PI, rich)
    theta = np.where(np.isnan(bounds), 0.0, theta)  # no solution: empty interval
    return theta


def rich_pion_probability(p, particle_mass, rich: RichCard, p_measured=None, theta_intervals=None):
    """Probability (N,) that the RICH identifies a track of momentum ``p`` (MeV) and mass (MeV) as a pi+.

    Parameters
    ----------
    p : array_like
        True momentum at the RICH (MeV).
    particle_mass : float
        True mass (MeV).
    rich : RichCard
    p_measured : array_like, optional
        STRAW momentum used for the RICH mass (MeV); ``p`` by default.
    theta_intervals : ndarray (N, k, 2), optional
        Extra ring-angle windows (rad) from the RICH-momentum m_miss^2
        constraint (:func:`rich_mmiss2_theta_intervals`); none by default.

    Returns
    -------
    ndarray
        P(ring) [P(theta_m accepted) + (1 - P(accepted)) floor] for non-pions;
        the floor term is dropped for the pi+ mass.
    """
    p = np.asarray(p, float)
    theta = cherenkov_theta(p, particle_mass, rich)
    sigma = ring_resolution(theta, rich)
    th_lo, th_hi = mass_window_theta(p if p_measured is None else np.asarray(p_measured, float), rich)
    if theta_intervals is None:
        windows = np.stack([th_lo, th_hi], -1)[:, None, :]
    else:
        windows = np.asarray(theta_intervals, float).copy()
        windows[..., 0] = np.maximum(windows[..., 0], th_lo[:, None])
        windows[..., 1] = np.minimum(windows[..., 1], th_hi[:, None])
    z_lo = (windows[..., 0] - theta[:, None]) / sigma[:, None]
    z_hi = (windows[..., 1] - theta[:, None]) / sigma[:, None]
    p_win = np.sum(np.where(windows[..., 1] > windows[..., 0], ndtr(z_hi) - ndtr(z_lo), 0.0), axis=1)
    p_ring = np.where(theta > 0, ring_probability(theta, rich), 0.0)
    if abs(particle_mass - _MASS[PION]) < 1e-6:
        return p_ring * p_win
    return p_ring * (p_win + (1.0 - p_win) * rich.misid_floor)


def calo_pion_probability(species, calo: CaloPidCard):
    """Probability (N,) that the calorimeters identify a track of ``species`` as a pi+."""
    species = np.asarray(species)
    out = np.zeros(species.shape)
    out[species == PION] = calo.pion_efficiency
    out[species == MUON] = calo.muon_misid
    out[species == ELECTRON] = calo.positron_misid
    return out


def pion_id_probability(species, p, rich: RichCard, calo: CaloPidCard, p_measured=None, theta_intervals=None):
    """Probability (N,) that tracks of true ``species`` and momentum ``p`` (MeV) pass the pi+ identification.

    ``p_measured`` (STRAW momentum, MeV) and ``theta_intervals`` (RICH-momentum
    m_miss^2 windows as ring angles) are passed to :func:`rich_pion_probability`.
    RICH and calorimetric identification are treated as independent (approximate).
    """
    species = np.asarray(species)
    p = np.asarray(p, float)
    out = np.zeros(species.shape)
    for code, m in _MASS.items():
        sel = species == code
        if sel.any():
            pm = None if p_measured is None else np.asarray(p_measured, float)[sel]
            ti = None if theta_intervals is None else np.asarray(theta_intervals)[sel]
            out[sel] = rich_pion_probability(p[sel], m, rich, pm, ti)
    return out * calo_pion_probability(species, calo)


@njit(inline="always")
def _phi(z):
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


@njit(inline="always")
def _ring_probability_int(k, mu):
    """P(Poisson(mu) >= k) for integer k (= regularised lower incomplete gamma P(k, mu))."""
    term, total = 1.0, 1.0
    for j in range(1, k):
        term *= mu / j
        total += term
    return 1.0 - math.exp(-mu) * total


@njit(inline="always")
def _theta_of_p(p, t2max):
    """pi+ ring angle (rad) at momentum p (MeV); 0 below threshold, theta_max for p = inf."""
    if not p > 0.0:
        return 0.0
    return math.sqrt(max(t2max - (M_PI / p) ** 2, 0.0))


@njit(inline="always")
def _roots(t, e_k, k_par, sq):
    a = M_K * M_K + M_PI * M_PI - t
    disc = a * a - 4.0 * M_PI * M_PI * sq
    if disc < 0.0:
        return math.nan, math.nan
    r = math.sqrt(disc)
    return (a * k_par - e_k * r) / (2.0 * sq), (a * k_par + e_k * r) / (2.0 * sq)


@njit(inline="always")
def _window_part(lo, hi, theta, sigma):
    if hi <= lo:
        return 0.0
    return _phi((hi - theta) / sigma) - _phi((lo - theta) / sigma)


@njit(inline="always")
def _pid_one(sp, p_true, p_meas, e_k, k_par, t_lo, t_hi, par):
    """pi+ identification probability of one track (``k_par``: kaon momentum along the track, MeV)."""
    t2max, sig_sat, n_sat, floor = par[0], par[1], par[2], par[4]
    min_hits = int(par[3])
    m_lo, m_hi = par[5], par[6]
    if sp == PION:
        mass_i, calo = M_PI, par[7]
    elif sp == MUON:
        mass_i, calo = M_MU, par[8]
    elif sp == ELECTRON:
        mass_i, calo = M_E, par[9]
    else:
        return 0.0
    theta = math.sqrt(max(t2max - (mass_i / p_true) ** 2, 0.0))
    if theta <= 0.0:
        return 0.0
    sigma = sig_sat * math.sqrt(t2max) / max(theta, 1e-6)
    th_lo = math.sqrt(max(t2max - (m_hi / p_meas) ** 2, 0.0))
    th_hi = math.sqrt(max(t2max - (m_lo / p_meas) ** 2, 0.0))
    sq = e_k * e_k - k_par * k_par
    if math.isinf(t_lo):
        p1, p4 = 0.0, math.inf
    else:
        p1, p4 = _roots(t_lo, e_k, k_par, sq)
    if math.isinf(t_hi):
        p2, p3 = p4, p4
    else:
        p2, p3 = _roots(t_hi, e_k, k_par, sq)
        if math.isnan(p2):
            p2, p3 = p4, p4
    p_win = 0.0
    for a, b in ((p1, p2), (p3, p4)):
        if math.isnan(a) or math.isnan(b):
            continue
        lo = max(_theta_of_p(a, t2max) if a < 1e30 else math.sqrt(t2max), th_lo)
        hi = min(_theta_of_p(b, t2max) if b < 1e30 else math.sqrt(t2max), th_hi)
        p_win += _window_part(lo, hi, theta, sigma)
    p_ring = _ring_probability_int(min_hits, n_sat * theta * theta / t2max)
    if sp == PION:
        return p_ring * p_win * calo
    return p_ring * (p_win + (1.0 - p_win) * floor) * calo


@njit
def _pid_kernel(species, p_true, p_meas, kaon, direction, t_lo, t_hi, par):
    """Compiled :func:`pion_id_probability` with the RICH m_miss^2 window (same formulas, per event)."""
    n = species.shape[0]
    out = np.zeros(n)
    for i in range(n):
        k_par = kaon[i, 1] * direction[i, 0] + kaon[i, 2] * direction[i, 1] + kaon[i, 3] * direction[i, 2]
        out[i] = _pid_one(species[i], p_true[i], p_meas[i], kaon[i, 0], k_par, t_lo[i], t_hi[i], par)
    return out


@njit
def _pid_events_kernel(species, p_true, p_meas, tx, ty, events, p_k, kx, ky, t_lo, t_hi, par):
    """:func:`_pid_kernel` with the kaon four-momentum (GTK p, slopes) and the track direction (slopes of the
    events ``events``) computed in the same pass, with the same operations as :func:`pion_id_weights_events`'s
    documented formulas."""
    n = events.shape[0]
    out = np.zeros(n)
    for i in range(n):
        e = events[i]
        pz_k = p_k[i] / math.sqrt(1.0 + kx[i] ** 2 + ky[i] ** 2)
        e_k = math.hypot(p_k[i], M_K)
        norm = math.sqrt(1.0 + tx[e] ** 2 + ty[e] ** 2)
        k_par = kx[i] * pz_k * (tx[e] / norm) + ky[i] * pz_k * (ty[e] / norm) + pz_k * (1.0 / norm)
        out[i] = _pid_one(species[e], p_true[e], p_meas[e], e_k, k_par, t_lo[i], t_hi[i], par)
    return out


def pion_id_weights(species, p_true, p_measured, kaon_p4, direction, t_lo, t_hi, rich: RichCard,
                    calo: CaloPidCard) -> np.ndarray:
    """Compiled pi+ identification probability (N,) with the RICH-momentum m_miss^2 window.

    Same model as :func:`pion_id_probability` with ``theta_intervals`` from
    :func:`rich_mmiss2_theta_intervals` (checked against it in the tests),
    one pass per event.  ``p_true``, ``p_measured`` in MeV, ``kaon_p4`` (N, 4)
    MeV, ``direction`` (N, 3) unit track direction, ``t_lo``, ``t_hi`` the
    RICH-momentum m_miss^2 window (MeV^2, +-inf: open).
    """
    f = np.ascontiguousarray
    return _pid_kernel(f(species, np.int8), f(p_true, float), f(p_measured, float), f(kaon_p4, float),
                       f(direction, float), f(t_lo, float), f(t_hi, float), _pid_parameters(rich, calo))


def _pid_parameters(rich: RichCard, calo: CaloPidCard) -> np.ndarray:
    m_lo, m_hi = (w * MeV for w in rich.pion_mass_window_mev)
    return np.array([2.0 * rich.n_minus_1, rich.angle_resolution_urad * urad, rich.hits_saturated,
                     float(rich.min_hits), rich.misid_floor, m_lo, m_hi, calo.pion_efficiency, calo.muon_misid,
                     calo.positron_misid])


def pion_id_weights_events(species, p_true, p_measured, tx, ty, events, p_k, kx, ky, t_lo, t_hi,
                           rich: RichCard, calo: CaloPidCard) -> np.ndarray:
    """:func:`pion_id_weights` of the tracks of events ``events``, the kaon given by its GTK track.

    ``species``, ``p_true``, ``p_measured`` (MeV) and the track slopes ``tx``,
    ``ty`` (rad) hold every event; ``events`` selects the tracks; ``p_k`` (MeV),
    ``kx``, ``ky`` (rad) are the matched GTK tracks and ``t_lo``, ``t_hi`` the
    RICH-momentum m_miss^2 windows (MeV^2) of those tracks (one per element
    of ``events``).  The kaon four-momentum (mass :data:`M_K`) and the unit
    track direction are computed in the kernel, with the same operations as
    ``kaon = (hypot(p_k, M_K), kx pz, ky pz, pz)``, ``pz = p_k / sqrt(1 + kx^2 + ky^2)``,
    ``direction = (tx, ty, 1) / sqrt(1 + tx^2 + ty^2)``.

    Returns
    -------
    ndarray
        Probability (len(events),) in [0, 1].
    """
    f = np.ascontiguousarray
    return _pid_events_kernel(f(species, np.int8), f(p_true, float), f(p_measured, float), f(tx, float),
                              f(ty, float), f(events, np.int64), f(p_k, float), f(kx, float), f(ky, float),
                              f(t_lo, float), f(t_hi, float), _pid_parameters(rich, calo))
