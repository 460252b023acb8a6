"""STRAW track reconstruction: hits in the four chambers, least-squares fit, chi2 (kink rejection).

A charged particle is propagated from its vertex through the four STRAW
chambers; it scatters in each of the first three (Gaussian core plus
single-scattering tail, :mod:`~na62lab.detector.scattering`) and is bent by
the MNP33 dipole as a thin pT kick at ``z_mag``.  Each chamber measures x
and y with a Gaussian resolution.  The track model is linear in its five
parameters,

    x(z) = a + b (z - z1) + c max(z - z_mag, 0),     y(z) = d + e (z - z1),

and the fit is a generalised least-squares fit whose covariance is the
chamber resolution plus the multiple scattering in the chambers at the
track's momentum (:func:`scattering_lever_matrix`, :func:`fit_constants`);
its chi2 has 3 degrees of freedom (8 coordinates, 5 parameters).

The measured momentum is p = pT_kick / |c| * sqrt(1 + b^2 + e^2), the
measured direction (b, e) is that of the upstream segment (after the
scattering in STRAW1) and (a, d) the position at STRAW1.  A large single
scatter in chamber 2 or 3 (a kink) both biases the momentum and raises chi2,
which is how NA62 rejects such tracks (track chi2 cut; NA62 framework,
``BestTrackSelection``); a scatter in STRAW1 bends the measured direction
without any chi2 penalty (an irreducible m_miss^2 tail).

Resolution: the chamber resolution is derived from the published
sigma_p/p = 0.30 % (+) 0.005 % p[GeV/c] (JINST 12 (2017) P05025, Sec. 4):
the p-proportional term is the hit term sigma * |dc/dx| p / pT_kick; the
constant term is then a prediction of the scattering in the chamber
material (tested against 0.30 %).

Units: mm, MeV, rad.
"""

from __future__ import annotations

import math

import numpy as np

from na62lab.detector.scattering import _tail_angle
from na62lab.physics.fastrng import normal, uniform
from na62lab.physics.phase_space import njit
from na62lab.physics.units import GeV


def fit_matrices(z_chambers, z_mag: float) -> tuple[np.ndarray, np.ndarray]:
    """Design matrices of the track model: (4, 3) for (a, b, c) in x, (4, 2) for (d, e) in y.

    Parameters
    ----------
    z_chambers : sequence of 4 floats
        z of the STRAW chambers (mm).
    z_mag : float
        z of the thin-kick dipole (mm).
    """
    z = np.asarray(z_chambers, float)
    ax = np.column_stack([np.ones(4), z - z[0], np.maximum(z - z_mag, 0.0)])
    ay = np.column_stack([np.ones(4), z - z[0]])
    return ax, ay


def scattering_lever_matrix(z_chambers) -> np.ndarray:
    """W (4, 4) in mm^2: covariance of the chamber coordinates per unit scattering variance (rad^2).

    A projected scattering angle theta at chamber j displaces chamber i by
    theta (z_i - z_j) for z_i > z_j; with independent scatters in chambers 1-3
    of equal variance theta0^2, cov(x_i, x_k) = theta0^2 W_ik,
    W_ik = sum_j (z_i - z_j)+ (z_k - z_j)+ (PDG 2024, Sec. 34.3, multiple
    scattering as a random walk of the direction).
    """
    z = np.asarray(z_chambers, float)
    lever = np.maximum(z[:, None] - z[None, :3], 0.0)     # (i, j)
    return lever @ lever.T


def fit_constants(z_chambers, z_mag: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Eigen-decomposition W = Q diag(w) Q^T and the rotated design matrices Q^T A_x, Q^T A_y.

    With V = sigma^2 (I + lambda W), lambda = theta0^2 / sigma^2, the
    generalised least-squares fit is diagonal in the eigenbasis of W, so each
    track needs only 4 x 4 rotations and a 3 x 3 solve (:func:`measure_track`).
    """
    w, q = np.linalg.eigh(scattering_lever_matrix(z_chambers))
    ax, ay = fit_matrices(z_chambers, z_mag)
    return q, np.clip(w, 0.0, None), q.T @ ax, q.T @ ay


def chamber_resolution(dp_over_p_per_gev: float, pt_kick: float, z_chambers, z_mag: float) -> float:
    """Chamber x/y resolution (mm) that gives the published p-proportional term of sigma_p/p.

    Without scattering, sigma_p / p = sigma |row c of (A^T A)^-1 A^T| p / pT_kick, so
    sigma = (sigma_p/p per MeV) pT_kick / |row c|; ``dp_over_p_per_gev`` is per GeV/c.
    """
    ax, _ = fit_matrices(z_chambers, z_mag)
    row_c = np.linalg.pinv(ax)[2]
    return dp_over_p_per_gev / GeV * pt_kick / float(np.sqrt(np.sum(row_c ** 2)))


@njit(inline="always")
def _propagate(x, y, tx, ty, dz):
    return x + tx * dz, y + ty * dz


@njit(inline="always")
def _hit(x, y, d, st):
    return x + d.chamber_sigma * normal(st), y + d.chamber_sigma * normal(st)


@njit(inline="always")
def _solve3(m00, m01, m02, m11, m12, m22, v0, v1, v2):
    """Solution of a symmetric 3 x 3 system (Cramer's rule)."""
    c00 = m11 * m22 - m12 * m12
    c01 = m02 * m12 - m01 * m22
    c02 = m01 * m12 - m02 * m11
    det = m00 * c00 + m01 * c01 + m02 * c02
    c11 = m00 * m22 - m02 * m02
    c12 = m01 * m02 - m00 * m12
    c22 = m00 * m11 - m01 * m01
    return ((c00 * v0 + c01 * v1 + c02 * v2) / det, (c01 * v0 + c11 * v1 + c12 * v2) / det,
            (c02 * v0 + c12 * v1 + c22 * v2) / det)


def fit_constant_array(params) -> np.ndarray:
    """Constants of the compiled fit (40 floats): Q (4 x 4, row-major), w (4), Q^T A_x (4 x 3), Q^T A_y (4 x 2).

    From :func:`fit_constants` at the chamber and magnet positions of ``params``
    (a :class:`~na62lab.detector.params.DetectorParams`).
    """
    q, w, qa_x, qa_y = fit_constants((params.z_s1, params.z_s2, params.z_s3, params.z_s4), params.z_mag)
    return np.ascontiguousarray(np.concatenate([q.ravel(), w, qa_x.ravel(), qa_y.ravel()]))


@njit(inline="always")
def _gls(h0, h1, h2, h3, lam, sigma2, fc, x_view):
    """Generalised least-squares fit of 4 coordinates: parameters (3, or 2 padded with 0) and chi2.

    ``fc`` is :func:`fit_constant_array`; in the eigenbasis of W the
    covariance sigma^2 (1 + lam w_r) is diagonal.
    """
    m00, m01, m02, m11, m12, m22 = _normal_matrix(lam, sigma2, fc, x_view)
    v0 = v1 = v2 = 0.0
    yy = 0.0
    for r in range(4):
        hr = fc[r] * h0 + fc[4 + r] * h1 + fc[8 + r] * h2 + fc[12 + r] * h3     # (Q^T h)_r
        wgt, a0, a1, a2 = _weighted_row(fc, r, lam, sigma2, x_view)
        v0 += wgt * a0 * hr
        v1 += wgt * a1 * hr
        v2 += wgt * a2 * hr
        yy += wgt * hr * hr
    t0, t1, t2 = _solve3(m00, m01, m02, m11, m12, m22, v0, v1, v2)
    return t0, t1, t2, yy - (t0 * v0 + t1 * v1 + t2 * v2)


@njit(inline="always")
def _tail_angle_weighted(t0, p, d, st):
    """Single-scattering tail angle (rad) and its importance weight (1 when not biased).

    The tail angle follows the Rutherford density f(theta) = 2 theta^-3 / (tc^-2 - tmax^-2) on
    [tc, tmax] = [k theta0, theta_max] (:func:`~na62lab.detector.scattering.layer_constants`).  With
    ``d.straw_tail_mix`` = m > 0 it is drawn from the mixture q = (1 - m) f + m g, g(theta) =
    theta^-2 / (tc^-1 - tmax^-1) a harder power law, which puts far more tracks at the large angles
    that carry K+ -> pi+ pi+ pi- into the signal regions; the weight f / q <= 1 / (1 - m) makes every
    tally exactly unbiased (importance sampling with a defensive mixture, Hesterberg, Technometrics 37
    (1995) 185; Owen, *Monte Carlo theory, methods and examples* (2013) Sec. 9.11).
    """
    mix = d.straw_tail_mix
    tc, tmax = d.straw_tail_k * t0, d.straw_tmaxp / p
    if mix <= 0.0 or tmax <= tc:
        return _tail_angle(t0, p, d.straw_tail_k, d.straw_tmaxp, st), 1.0
    if uniform(st) < mix:
        th = 1.0 / (1.0 / tc - uniform(st) * (1.0 / tc - 1.0 / tmax))      # inverse CDF of g
    else:
        th = _tail_angle(t0, p, d.straw_tail_k, d.straw_tmaxp, st)
    f = 2.0 / (th**3 * (1.0 / tc**2 - 1.0 / tmax**2))
    g = 1.0 / (th**2 * (1.0 / tc - 1.0 / tmax))
    return th, f / ((1.0 - mix) * f + mix * g)


@njit(inline="always")
def _scattered_flag(tx, ty, p, d, st, tail):
    """Slopes after one chamber: Gaussian core, plus the single-scattering tail if ``tail`` (beta ~ 1), and the
    importance weight of the tail angle (:func:`_tail_angle_weighted`; 1 when not biased)."""
    t0 = d.straw_t0p / p
    tx += t0 * normal(st)
    ty += t0 * normal(st)
    w = 1.0
    if tail:
        th, w = _tail_angle_weighted(t0, p, d, st)
        phi = 2.0 * math.pi * uniform(st)
        tx += th * math.cos(phi)
        ty += th * math.sin(phi)
    return tx, ty, w


@njit
def measure_track_hits(x0, y0, z0, px, py, pz, q, d, fc, st, tail1, tail2, tail3):
    """Hit-level simulation and fit of one track with given single-scattering tails in chambers 1-3.

    The hits of the four chambers are drawn (scattering after each of the
    first three, the magnet kick between chambers 2 and 3) and fitted
    (:func:`_gls`).  Returns (p, tx, ty, x1, y1, chi2, w) as :func:`measure_track`, ``w`` being the
    importance weight of the tail angles (:func:`_tail_angle_weighted`; 1 when not biased).
    Not inlined into :func:`measure_track` (the rare path, tails in at least one
    chamber: compiled once as an ordinary function).
    """
    p = math.sqrt(px * px + py * py + pz * pz)
    tx, ty = px / pz, py / pz
    x1, y1 = _propagate(x0, y0, tx, ty, d.z_s1 - z0)
    h1x, h1y = _hit(x1, y1, d, st)
    tx, ty, w1 = _scattered_flag(tx, ty, p, d, st, tail1)
    x2, y2 = _propagate(x1, y1, tx, ty, d.z_s2 - d.z_s1)
    h2x, h2y = _hit(x2, y2, d, st)
    tx, ty, w2 = _scattered_flag(tx, ty, p, d, st, tail2)
    xm, ym = _propagate(x2, y2, tx, ty, d.z_mag - d.z_s2)
    tx -= q * d.pt_kick / pz
    x3, y3 = _propagate(xm, ym, tx, ty, d.z_s3 - d.z_mag)
    h3x, h3y = _hit(x3, y3, d, st)
    tx, ty, w3 = _scattered_flag(tx, ty, p, d, st, tail3)
    x4, y4 = _propagate(x3, y3, tx, ty, d.z_s4 - d.z_s3)
    h4x, h4y = _hit(x4, y4, d, st)
    lam = (d.straw_t0p / p) ** 2 / d.chamber_sigma ** 2
    sigma2 = d.chamber_sigma ** 2
    a, b, c, chi2x = _gls(h1x, h2x, h3x, h4x, lam, sigma2, fc, True)
    dd, e, _, chi2y = _gls(h1y, h2y, h3y, h4y, lam, sigma2, fc, False)
    p_fit, b, e, a, dd, chi2 = _result(a, b, c, dd, e, chi2x + chi2y, q, d)
    return p_fit, b, e, a, dd, chi2, w1 * w2 * w3


@njit(inline="always")
def _result(a, b, c, dd, e, chi2, q, d):
    if c == 0.0 or q * c > 0.0:      # bent the wrong way: no valid momentum
        return math.nan, b, e, a, dd, 1e30
    return d.pt_kick / abs(c) * math.sqrt(1.0 + b * b + e * e), b, e, a, dd, chi2


@njit(inline="always")
def _weighted_row(fc, r, lam, sigma2, x_view):
    """Weight 1 / (sigma^2 (1 + lam w_r)) of eigen-coordinate ``r`` and row ``r`` of Q^T A.

    The x view has 3 columns, the y view 2 (padded with 0).
    """
    wgt = 1.0 / (sigma2 * (1.0 + lam * fc[16 + r]))
    if x_view:
        return wgt, fc[20 + 3 * r], fc[21 + 3 * r], fc[22 + 3 * r]
    return wgt, fc[32 + 2 * r], fc[33 + 2 * r], 0.0


@njit(inline="always")
def _normal_matrix(lam, sigma2, fc, x_view):
    """A^T V^-1 A in the eigenbasis of W: (m00, m01, m02, m11, m12, m22); the y view is 2 x 2 (m22 = 1)."""
    m00 = m01 = m02 = m11 = m12 = m22 = 0.0
    for r in range(4):
        wgt, a0, a1, a2 = _weighted_row(fc, r, lam, sigma2, x_view)
        m00 += wgt * a0 * a0
        m01 += wgt * a0 * a1
        m02 += wgt * a0 * a2
        m11 += wgt * a1 * a1
        m12 += wgt * a1 * a2
        m22 += wgt * a2 * a2
    if not x_view:
        m22 = 1.0
    return m00, m01, m02, m11, m12, m22


@njit(inline="always")
def _gaussian_errors(m00, m01, m02, m11, m12, m22, st, three):
    """Correlated parameter errors with covariance (A^T V^-1 A)^-1 (Cholesky of the 3 x 3 or 2 x 2 inverse)."""
    c00, c01, c02 = _solve3(m00, m01, m02, m11, m12, m22, 1.0, 0.0, 0.0)
    _, c11, c12 = _solve3(m00, m01, m02, m11, m12, m22, 0.0, 1.0, 0.0)
    c22 = _solve3(m00, m01, m02, m11, m12, m22, 0.0, 0.0, 1.0)[2]
    l00 = math.sqrt(c00)
    l10 = c01 / l00
    l11 = math.sqrt(max(c11 - l10 * l10, 0.0))
    z0, z1 = normal(st), normal(st)
    e0, e1 = l00 * z0, l10 * z0 + l11 * z1
    if not three:
        return e0, e1, 0.0
    l20 = c02 / l00
    l21 = (c12 - l20 * l10) / l11
    l22 = math.sqrt(max(c22 - l20 * l20 - l21 * l21, 0.0))
    return e0, e1, l20 * z0 + l21 * z1 + l22 * normal(st)


@njit(inline="always")
def _gaussian_errors_y(lam, sigma2, fc, st):
    """y-view (d, e) errors: :func:`_gaussian_errors` of the 2 x 2 normal matrix, without the 3 x 3 padding.

    The same operations on the same numbers as the padded system
    (m02 = m12 = 0, m22 = 1 make the dropped products exact zeros and ones),
    so the same errors for the same random numbers.
    """
    m00 = m01 = m11 = 0.0
    for r in range(4):
        wgt, a0, a1, _ = _weighted_row(fc, r, lam, sigma2, False)
        m00 += wgt * a0 * a0
        m01 += wgt * a0 * a1
        m11 += wgt * a1 * a1
    c01 = 0.0 - m01                          # cofactors of the padded matrix
    det = m00 * m11 + m01 * c01
    l00 = math.sqrt(m11 / det)
    l10 = (c01 / det) / l00
    l11 = math.sqrt(max(m00 / det - l10 * l10, 0.0))
    z0, z1 = normal(st), normal(st)
    return l00 * z0, l10 * z0 + l11 * z1


@njit(inline="always")
def measure_track(x0, y0, z0, px, py, pz, q, d, fc, st):
    """Measured track of a particle of charge ``q`` leaving (x0, y0, z0) mm with momentum (px, py, pz) MeV.

    ``fc`` is :func:`fit_constant_array` of ``d``.  The fit weights include
    the scattering covariance at the particle's momentum (theta0 from
    Highland, PDG 2024 Eq. 34.16), so the chi2 of tracks with Gaussian
    scattering follows a chi2 with 3 degrees of freedom and single large
    scatters (kinks) stand out.

    Two exact, equivalent paths: with probability (1 - p_tail)^3 no chamber
    has a single-scattering tail and the model is linear-Gaussian, so the
    fitted parameters are the true ones plus errors drawn from the fit
    covariance (A^T V^-1 A)^-1 and chi2 is an independent chi2 with 3 degrees
    of freedom (Gauss-Markov); otherwise the tails are drawn conditionally
    (at least one) and the hits are simulated and fitted
    (:func:`measure_track_hits`).

    Importance sampling of the single-scattering tails (``d.straw_tail_bias`` b > 1,
    ``d.straw_tail_mix``): a scatter in STRAW1 turns the measured direction without raising chi2, and one
    in STRAW2 or STRAW3 below the chi2 cut biases the momentum and direction, the m_miss^2 tails that bring
    K+ -> pi+ pi+ pi- into the signal regions.  The tail probability of each chamber is raised from p_tail
    to q = min(b p_tail, 0.5) and the angles drawn from a defensive mixture (:func:`_tail_angle_weighted`);
    the returned weight is the product over the three chambers of the likelihood ratios p_tail / q (tail)
    or (1 - p_tail) / (1 - q) (no tail), times the angle weights, so every weighted tally is exactly
    unbiased (importance sampling, Owen, *Monte Carlo theory, methods and examples* (2013) Sec. 9.1).
    With b = 1 and no mixture the weight is exactly 1 and the random numbers are those of the unbiased
    simulation.

    Returns
    -------
    (p, tx, ty, x1, y1, chi2, w)
        Fitted momentum (MeV), slopes (rad) and position at STRAW1 (mm), chi2 (3 dof), importance weight.
    """
    pt = d.straw_ptail
    qt = min(pt * d.straw_tail_bias, 0.5)
    none = (1.0 - qt) ** 3
    if uniform(st) >= none:
        v = uniform(st) * (1.0 - none)          # first chamber with a tail, then independent ones
        t1 = v < qt
        t2 = (not t1 and v < qt + (1.0 - qt) * qt) or (t1 and uniform(st) < qt)
        t3 = (not t1 and not t2) or uniform(st) < qt
        yes, no = pt / qt, (1.0 - pt) / (1.0 - qt)
        w = (yes if t1 else no) * (yes if t2 else no) * (yes if t3 else no)
        p_fit, b, e, a, dd, chi2, wa = measure_track_hits(x0, y0, z0, px, py, pz, q, d, fc, st, t1, t2, t3)
        return p_fit, b, e, a, dd, chi2, w * wa
    p = math.sqrt(px * px + py * py + pz * pz)
    tx, ty = px / pz, py / pz
    lam = (d.straw_t0p / p) ** 2 / d.chamber_sigma ** 2
    sigma2 = d.chamber_sigma ** 2
    m00, m01, m02, m11, m12, m22 = _normal_matrix(lam, sigma2, fc, True)
    da, db, dc = _gaussian_errors(m00, m01, m02, m11, m12, m22, st, True)
    dd, de = _gaussian_errors_y(lam, sigma2, fc, st)
    g1, g2, g3 = normal(st), normal(st), normal(st)
    dz = d.z_s1 - z0
    p_fit, b, e, a, dd, chi2 = _result(x0 + tx * dz + da, tx + db, -q * d.pt_kick / pz + dc, y0 + ty * dz + dd,
                                       ty + de, g1 * g1 + g2 * g2 + g3 * g3, q, d)
    return p_fit, b, e, a, dd, chi2, ((1.0 - pt) / (1.0 - qt)) ** 3


def momentum_resolution(params, p) -> np.ndarray:
    """Gaussian-core sigma_p/p of the track fit at momenta ``p`` (MeV): hits plus scattering (no tails).

    sigma_c^2 = [(A^T V^-1 A)^-1]_cc with V = sigma^2 I + (theta0(p))^2 W
    (:func:`scattering_lever_matrix`), and sigma_p/p = sigma_c p / pT_kick.
    """
    d = params
    p = np.atleast_1d(np.asarray(p, float))
    z = (d.z_s1, d.z_s2, d.z_s3, d.z_s4)
    ax, _ = fit_matrices(z, d.z_mag)
    w = scattering_lever_matrix(z)
    out = np.empty(p.shape)
    for k, pk in enumerate(p):
        v = d.chamber_sigma**2 * np.eye(4) + (d.straw_t0p / pk) ** 2 * w
        cov = np.linalg.inv(ax.T @ np.linalg.solve(v, ax))
        out[k] = np.sqrt(cov[2, 2]) * pk / d.pt_kick
    return out
