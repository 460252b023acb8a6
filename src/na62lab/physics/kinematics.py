"""Relativistic kinematics on columnar four-vectors.

Four-vectors are ``numpy`` arrays of shape ``(N, 4)`` ordered
``(E, px, py, pz)`` in MeV (natural units, c = 1); masses are in MeV.  Every
function is vectorised over the leading axis; random numbers come from an
explicit :class:`numpy.random.Generator`.

Formulas: PDG Review of Particle Physics, "Kinematics" (R. Workman et al.,
PTEP 2022 083C01), sections 49.2 (Lorentz transformations, Eq. 49.1-49.3),
49.4.2 (two-body decays, Eq. 49.17-49.20) and 49.4.3 (three-body decays and
the Dalitz plot, Eq. 49.22-49.25).

Examples
--------
>>> import numpy as np
>>> from na62lab.physics.particles import mass
>>> rng = np.random.default_rng(1)
>>> k = np.array([[np.hypot(75000.0, mass("K+")), 0.0, 0.0, 75000.0]])
>>> p1, p2 = two_body_decay(k, mass("pi+"), mass("pi0"), rng)
>>> bool(np.allclose(p1 + p2, k, rtol=1e-12))
True
"""

from __future__ import annotations

import numpy as np

from na62lab.errors import InputError
from na62lab.physics import phase_space as _ps
from na62lab.physics.fastrng import new_state

__all__ = [
    "kallen", "two_body_momentum", "boost", "boost_to_lab", "two_body_decay",
    "three_body_phase_space", "three_body_from_dalitz", "dalitz_limits",
    "invariant_mass2", "isotropic_directions", "orthonormal_frame", "random_frames",
    "from_frame", "sample_flat_dalitz",
]


def kallen(a, b, c):
    """Kallen triangle function lambda(a, b, c) = a^2 + b^2 + c^2 - 2ab - 2ac - 2bc.

    Parameters
    ----------
    a, b, c : float or array_like
        Squared masses (MeV^2) or dimensionless ratios; broadcast together.

    Returns
    -------
    ndarray or float
        lambda in the units of the arguments squared (MeV^4 for MeV^2 inputs).

    Notes
    -----
    PDG Kinematics review, Eq. 49.17 (momentum in two-body decays).  Written as
    ``(a - b - c)^2 - 4 b c``, which is less prone to cancellation.
    """
    a, b, c = np.asarray(a, float), np.asarray(b, float), np.asarray(c, float)
    return (a - b - c) ** 2 - 4.0 * b * c


def two_body_momentum(M, m1, m2, below=np.nan):
    """Momentum of either daughter in the rest frame of a two-body decay.

    Parameters
    ----------
    M, m1, m2 : float or array_like
        Parent and daughter masses (MeV).
    below : float, optional
        Value returned below threshold (M < m1 + m2): ``nan`` (default) or, e.g., 0.

    Returns
    -------
    ndarray or float
        |p*| = sqrt(lambda(M^2, m1^2, m2^2)) / (2 M) in MeV; 0 at threshold,
        ``below`` below threshold (M < m1 + m2).

    Notes
    -----
    PDG Kinematics review, Eq. 49.17.

    Examples
    --------
    >>> from na62lab.physics.particles import mass
    >>> round(float(two_body_momentum(mass("K+"), mass("mu+"), 0.0)), 2)   # K+ -> mu+ nu, MeV
    235.53
    """
    M = np.asarray(M, float)
    lam = kallen(M**2, np.asarray(m1, float) ** 2, np.asarray(m2, float) ** 2)
    closed = np.asarray(M) < np.asarray(m1) + np.asarray(m2)
    p = np.sqrt(np.clip(lam, 0.0, None)) / (2.0 * M)
    return np.where(closed, below, p)


def invariant_mass2(p4):
    """Invariant mass squared E^2 - |p|^2 (MeV^2) of four-vectors of shape (..., 4)."""
    p4 = np.asarray(p4, float)
    if p4.ndim == 2 and p4.shape[1] == 4:
        return _ps.mass2_rows(np.ascontiguousarray(p4))
    return p4[..., 0] ** 2 - np.sum(p4[..., 1:] ** 2, axis=-1)


def _boost_gamma(p4, gamma, gb):
    """Boost by Lorentz factor ``gamma`` (N,) and ``gamma*beta`` vector ``gb`` (N, 3).

    PDG Kinematics review, Eq. 49.3, with (gamma - 1)/beta^2 written as
    gamma^2/(gamma + 1) so that beta -> 0 is exact.
    """
    p = p4[:, 1:]
    e = p4[:, 0]
    gbp = np.einsum("ij,ij->i", gb, p)
    coef = gbp / (gamma + 1.0) + e
    out = np.empty_like(p4)
    out[:, 0] = gamma * e + gbp
    out[:, 1:] = p + coef[:, None] * gb
    return out


def boost(p4, beta):
    """Lorentz boost of four-vectors into a frame moving with velocity ``-beta``.

    A particle at rest is given velocity ``beta`` (i.e. ``beta`` is the
    velocity of the rest frame seen from the destination frame): to bring
    decay products from the parent rest frame to the lab, pass the parent's
    ``p / E``.

    Parameters
    ----------
    p4 : array_like, shape (N, 4)
        Four-vectors (E, px, py, pz) in MeV.
    beta : array_like, shape (N, 3) or (3,)
        Boost velocity in units of c, |beta| < 1.

    Returns
    -------
    ndarray, shape (N, 4)
        Boosted four-vectors in MeV.

    Notes
    -----
    PDG Kinematics review, Eq. 49.3.  For ultra-relativistic parents use
    :func:`boost_to_lab`, which avoids forming 1 - beta^2.
    """
    p4 = np.atleast_2d(np.asarray(p4, float))
    beta = np.broadcast_to(np.asarray(beta, float), (p4.shape[0], 3))
    b2 = np.einsum("ij,ij->i", beta, beta)
    if np.any(b2 >= 1.0):
        raise InputError("beta", float(np.sqrt(b2.max())), "|beta| < 1")
    gamma = 1.0 / np.sqrt(1.0 - b2)
    return _boost_gamma(p4, gamma, gamma[:, None] * beta)


def boost_to_lab(p4_rest, parent_p4):
    """Boost four-vectors from the rest frame of ``parent_p4`` to the lab.

    Parameters
    ----------
    p4_rest : ndarray, shape (N, 4)
        Four-vectors in the parent rest frame (MeV).
    parent_p4 : ndarray, shape (N, 4)
        Parent four-momenta in the lab (MeV).

    Returns
    -------
    ndarray, shape (N, 4)
        Lab-frame four-vectors (MeV).

    Notes
    -----
    Uses gamma = E/M and gamma*beta = p/M (PDG Kinematics Eq. 49.3), which
    keeps full precision for gamma ~ 150 (75 GeV/c kaons).
    """
    parent_p4 = np.asarray(parent_p4, float)
    M = np.sqrt(np.clip(invariant_mass2(parent_p4), 0.0, None))
    gb = np.ascontiguousarray(parent_p4[:, 1:] / M[:, None])
    return _ps.boost_rows(np.ascontiguousarray(p4_rest, dtype=float), parent_p4[:, 0] / M, gb)


def isotropic_directions(n, rng):
    """``n`` unit vectors uniformly distributed on the sphere, shape (n, 3)."""
    cos_t = rng.uniform(-1.0, 1.0, n)
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    sin_t = np.sqrt(1.0 - cos_t**2)
    return np.stack([sin_t * np.cos(phi), sin_t * np.sin(phi), cos_t], axis=1)


def orthonormal_frame(n):
    """Two unit vectors completing unit vectors ``n`` (N, 3) to a right-handed frame.

    Returns
    -------
    (e1, e2) : ndarrays of shape (N, 3) with e1 x e2 = n.
    """
    n = np.asarray(n, float)
    helper = np.zeros_like(n)
    use_x = np.abs(n[:, 0]) < 0.9
    helper[use_x, 0] = 1.0
    helper[~use_x, 1] = 1.0
    e1 = np.cross(helper, n)
    e1 /= np.linalg.norm(e1, axis=1)[:, None]
    return e1, np.cross(n, e1)


def random_frames(n, rng):
    """``n`` uniformly random right-handed orthonormal frames (Haar-random rotations).

    Returns
    -------
    (ex, ey, ez) : ndarrays of shape (n, 3)
        ez is isotropic; ex is at a uniform azimuth around it.
    """
    ez = isotropic_directions(n, rng)
    a, b = orthonormal_frame(ez)
    psi = rng.uniform(0.0, 2.0 * np.pi, n)
    ex = np.cos(psi)[:, None] * a + np.sin(psi)[:, None] * b
    return ex, np.cross(ez, ex), ez


def from_frame(p4_local, frame):
    """Express four-vectors given in the axes ``frame = (ex, ey, ez)`` in the global axes.

    Parameters
    ----------
    p4_local : ndarray, shape (N, 4)
        (E, p_x', p_y', p_z') in MeV with components along ex, ey, ez.
    frame : tuple of three (N, 3) arrays

    Returns
    -------
    ndarray, shape (N, 4), MeV.
    """
    ex, ey, ez = frame
    out = np.empty_like(p4_local)
    out[:, 0] = p4_local[:, 0]
    out[:, 1:] = p4_local[:, 1:2] * ex + p4_local[:, 2:3] * ey + p4_local[:, 3:4] * ez
    return out


def _check_masses(parent_p4, masses):
    M = np.sqrt(np.clip(invariant_mass2(parent_p4), 0.0, None))
    total = 0.0
    for m in masses:
        total = total + np.asarray(m, float)
    if np.any(M < total * (1 - 1e-12)):
        raise InputError("daughter masses", [float(np.max(m)) for m in masses],
                         "a total below the parent mass")
    return M


def two_body_decay(parent_p4, m1, m2, rng, cos_theta=None):
    """Decay parents into two daughters of masses ``m1`` and ``m2``.

    Parameters
    ----------
    parent_p4 : array_like, shape (N, 4)
        Parent four-momenta in the lab (MeV).
    m1, m2 : float or array_like of shape (N,)
        Daughter masses (MeV).
    rng : numpy.random.Generator
        Source of randomness.
    cos_theta : array_like, shape (N,), optional
        Cosine of the angle of daughter 1, in the parent rest frame, with
        respect to the parent flight direction (helicity angle).  Isotropic
        when omitted.

    Returns
    -------
    (p1, p2) : ndarrays of shape (N, 4)
        Lab four-momenta (MeV); p1 + p2 = parent_p4 up to rounding.

    Notes
    -----
    PDG Kinematics review, Eq. 49.17-49.20 (momentum and energies in the
    rest frame), then :func:`boost_to_lab`.
    """
    parent_p4 = np.ascontiguousarray(np.atleast_2d(np.asarray(parent_p4, float)))
    n = parent_p4.shape[0]
    helicity = cos_theta is not None
    args = [_per_row(v, n) for v in (m1, m2, cos_theta if helicity else 0.0)]
    both, bad = _ps.two_body_kernel(parent_p4, args[0], args[1], new_state(rng), args[2], helicity)
    if bad:          # same test as _check_masses, made in the kernel's pass
        raise InputError("daughter masses", [float(np.max(m)) for m in (m1, m2)], "a total below the parent mass")
    return both[0], both[1]            # views of one (2, N, 4) array


def _per_row(value, n: int) -> np.ndarray:
    """``value`` as a contiguous, writeable float array of length ``n``, or of length 1 if it is one number for
    all rows.  Always writeable: a read-only array (``np.broadcast_to``, a caller's frozen array) is a different
    numba type and would compile the kernel a second time."""
    v = np.asarray(value, float)
    out = v.reshape(1) if v.size == 1 and n != 1 else np.ascontiguousarray(np.broadcast_to(v, (n,)))
    return out if out.flags.writeable else out.copy()


def dalitz_limits(M, m1, m2, m3, m12sq):
    """Range of m23^2 at fixed m12^2 in a three-body decay (MeV^2).

    Parameters
    ----------
    M, m1, m2, m3 : float or array_like
        Parent and daughter masses (MeV).
    m12sq : array_like
        Invariant mass squared of daughters 1 and 2 (MeV^2).

    Returns
    -------
    (lo, hi) : ndarrays
        Kinematic limits of m23^2 (MeV^2).

    Notes
    -----
    PDG Kinematics review, Eq. 49.25 (energies E2*, E3* in the 12 rest frame).
    """
    m12 = np.sqrt(m12sq)
    e2 = (m12sq - m1**2 + m2**2) / (2.0 * m12)
    e3 = (M**2 - m12sq - m3**2) / (2.0 * m12)
    p2 = np.sqrt(np.clip(e2**2 - m2**2, 0.0, None))
    p3 = np.sqrt(np.clip(e3**2 - m3**2, 0.0, None))
    base = (e2 + e3) ** 2
    return base - (p2 + p3) ** 2, base - (p2 - p3) ** 2


def three_body_from_dalitz(parent_p4, m1, m2, m3, m12sq, m23sq, rng):
    """Build lab momenta of a three-body decay at given Dalitz-plot coordinates.

    The decay plane is oriented isotropically in the parent rest frame (three
    Euler angles uniform), as for an unpolarised (spin-0) parent.

    Parameters
    ----------
    parent_p4 : array_like, shape (N, 4)
        Parent four-momenta in the lab (MeV).
    m1, m2, m3 : float
        Daughter masses (MeV).
    m12sq, m23sq : array_like, shape (N,)
        Dalitz variables (p1 + p2)^2 and (p2 + p3)^2 in MeV^2, inside the
        kinematic boundary.
    rng : numpy.random.Generator
        Source of randomness (orientation).

    Returns
    -------
    (p1, p2, p3) : ndarrays of shape (N, 4)
        Lab four-momenta (MeV) summing to ``parent_p4``.

    Notes
    -----
    Rest-frame energies E1 = (M^2 + m1^2 - m23^2)/(2M), E3 = (M^2 + m3^2 -
    m12^2)/(2M) (PDG Kinematics Eq. 49.22-49.23); the angle between p1 and p3
    follows from m13^2 = M^2 + m1^2 + m2^2 + m3^2 - m12^2 - m23^2.
    """
    parent_p4 = np.ascontiguousarray(np.atleast_2d(np.asarray(parent_p4, float)))
    m12sq = np.ascontiguousarray(m12sq, dtype=float)
    m23sq = np.ascontiguousarray(m23sq, dtype=float)
    return _ps.three_body_kernel(parent_p4, float(m1), float(m2), float(m3), m12sq, m23sq, new_state(rng))


def sample_flat_dalitz(M, m1, m2, m3, n, rng):
    """Draw ``n`` points (m12^2, m23^2) uniformly inside the Dalitz region.

    Flat density in the Dalitz plot is flat three-body phase space (PDG
    Kinematics Eq. 49.22).  Vectorised acceptance-rejection in the bounding box.

    Parameters
    ----------
    M, m1, m2, m3 : float
        Parent and daughter masses (MeV).
    n : int
        Number of points.
    rng : numpy.random.Generator

    Returns
    -------
    (m12sq, m23sq) : ndarrays of shape (n,), MeV^2.
    """
    return _ps.flat_dalitz_kernel(float(M), float(m1), float(m2), float(m3), int(n), new_state(rng))


def three_body_phase_space(parent_p4, m1, m2, m3, rng):
    """Decay parents into three daughters according to flat phase space.

    Parameters
    ----------
    parent_p4 : array_like, shape (N, 4)
        Parent four-momenta in the lab (MeV); all with the same invariant mass.
    m1, m2, m3 : float
        Daughter masses (MeV).
    rng : numpy.random.Generator

    Returns
    -------
    (p1, p2, p3) : ndarrays of shape (N, 4)
        Lab four-momenta (MeV); p1 + p2 + p3 = parent_p4 up to rounding.

    Notes
    -----
    Uniform Dalitz-plot density (PDG Kinematics Eq. 49.22) by
    acceptance-rejection (:func:`sample_flat_dalitz`), then
    :func:`three_body_from_dalitz`.
    """
    parent_p4 = np.atleast_2d(np.asarray(parent_p4, float))
    M_all = _check_masses(parent_p4, (m1, m2, m3))
    M = float(np.median(M_all)) if M_all.size else 0.0
    if M_all.size and np.ptp(M_all) > 1e-6 * M:
        raise InputError("parent_p4", "varying masses", "parents of one invariant mass")
    m12sq, m23sq = sample_flat_dalitz(M, m1, m2, m3, parent_p4.shape[0], rng)
    return three_body_from_dalitz(parent_p4, m1, m2, m3, m12sq, m23sq, rng)
