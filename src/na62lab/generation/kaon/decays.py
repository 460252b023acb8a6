"""K+, pi+ and pi0 decay generators: lab-frame final states from parent four-momenta.

Each generator takes parent four-momenta (N, 4) in MeV and a
:class:`numpy.random.Generator` and returns a
:class:`~na62lab.generation.kaon.final_state.FinalState`.  Shapes that matter
for NA62 backgrounds use their matrix elements
(:mod:`~na62lab.generation.kaon.matrix_elements`); two-body decays of spin-0
parents are isotropic.  pi0 decay (gamma gamma or Dalitz e+ e- gamma) is
done in place, at the kaon vertex (c tau(pi0) = 25 nm).

Examples
--------
>>> import numpy as np
>>> from na62lab.physics.particles import mass
>>> k = np.tile([np.hypot(75000.0, mass("K+")), 0, 0, 75000.0], (3, 1))
>>> fs = generate_mode("pipi0", k, np.random.default_rng(0))
>>> bool(np.allclose(fs.total_p4(), k, rtol=1e-12)), [int(c) for c in fs.total_charge()]
(True, [1, 1, 1])
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from na62lab.errors import InputError
from na62lab.generation.kaon import matrix_elements as me
from na62lab.generation.kaon.branching import PI0_BR, PI0_DALITZ_SLOPE
from na62lab.generation.kaon.final_state import (
    ELECTRON, INVISIBLE, MUON, PHOTON, PION, FinalState, Slot,
)
from na62lab.generation.kaon.sampling import GridProposal, accept_reject, envelope
from na62lab.physics import kinematics as kin
from na62lab.physics.particles import mass
from na62lab.physics.fastrng import new_state, uniform
from na62lab.physics.phase_space import in_dalitz_region, njit

M_K, M_PI, M_PI0 = mass("K+"), mass("pi+"), mass("pi0")
M_MU, M_E = mass("mu+"), mass("e+")

_LEPTON = {"e": (M_E, ELECTRON), "mu": (M_MU, MUON)}


# --------------------------------------------------------------------- helpers
def _two_body_slots(parent, m1, m2, rng, sp1, q1, sp2, q2, cos_theta=None):
    p1, p2 = kin.two_body_decay(parent, m1, m2, rng, cos_theta=cos_theta)
    return Slot.uniform(p1, sp1, q1), Slot.uniform(p2, sp2, q2)


def _dalitz_proposal(masses):
    M, m1, m2, m3 = masses

    def propose(k, rng):
        x, y = kin.sample_flat_dalitz(M, m1, m2, m3, k, rng)
        return {"m12sq": x, "m23sq": y}
    return propose


def _three_body(parent, masses, density, key, rng, compiled=None):
    """Three-body decay with a Dalitz-plot density (m12sq, m23sq) -> weight.

    ``compiled`` = (kind, params) selects the compiled sampler
    (:func:`_dalitz_kernel`), which evaluates the same density as ``density``
    (checked in the tests); ``density`` always sets the envelope.
    """
    propose = _dalitz_proposal(masses)
    wmax = envelope(key, propose, density)
    if compiled is None:
        pts = accept_reject(parent.shape[0], propose, density, wmax, rng, efficiency_guess=0.5)
        x, y = pts["m12sq"], pts["m23sq"]
    else:
        x, y, over = _dalitz_kernel(compiled[0], np.asarray(compiled[1], float), *map(float, masses),
                                    parent.shape[0], wmax, new_state(rng))
        if over:
            raise RuntimeError(f"density {key!r} above its envelope")
    return kin.three_body_from_dalitz(parent, *masses[1:], x, y, rng)


@njit
def _dalitz_kernel(kind, par, M, m1, m2, m3, n, wmax, st):
    """Accept-reject in the Dalitz plot: kind 0 = K -> 3 pi (g, h, k, m_pi, s0), 1 = K_l3 (see kl3_scalar)."""
    lo12, hi12 = (m1 + m2) ** 2, (M - m3) ** 2
    lo23, hi23 = (m2 + m3) ** 2, (M - m1) ** 2
    total = M * M + m1 * m1 + m2 * m2 + m3 * m3
    xs, ys = np.empty(n), np.empty(n)
    over = False
    i = 0
    while i < n:
        x = lo12 + (hi12 - lo12) * uniform(st)
        y = lo23 + (hi23 - lo23) * uniform(st)
        if not in_dalitz_region(M, m1, m2, m3, x, y):
            continue
        if kind == 0:
            w = me.k3pi_scalar(y, total - x - y, x, par[0], par[1], par[2], par[3], par[4])
        else:
            e_pi = (M * M + m1 * m1 - y) / (2.0 * M)
            e_nu = (M * M - x) / (2.0 * M)
            w = me.kl3_scalar(e_pi, M - e_pi - e_nu, m1, m2, par[0], par[1], par[2], M, par[3], par[4])
        if w > wmax:
            over = True
        if uniform(st) * wmax < w:
            xs[i], ys[i] = x, y
            i += 1
    return xs, ys, over


def decay_pi0(p4, rng):
    """Decay pi0s: gamma gamma, or e+ e- gamma (Dalitz) with the PDG fraction.

    Parameters
    ----------
    p4 : ndarray, shape (N, 4)
        pi0 four-momenta (MeV).

    Returns
    -------
    tuple of three Slot
        (gamma or e+, gamma or e-, empty or gamma).

    Notes
    -----
    Dalitz decays: m_ee^2 from the Kroll-Wada spectrum with the PDG form-factor
    slope (:func:`~na62lab.generation.kaon.matrix_elements.kroll_wada_density`),
    e+ angle in the e+e- frame from 1 + cos^2 theta + (4 m_e^2/m_ee^2) sin^2 theta
    (Kroll and Wada, Phys. Rev. 98 (1955) 1355).
    """
    n = p4.shape[0]
    dal = rng.uniform(size=n) < PI0_BR["dalitz"].value / (PI0_BR["dalitz"].value + PI0_BR["gg"].value)
    g1, g2 = kin.two_body_decay(p4, 0.0, 0.0, rng)          # every pi0; Dalitz rows overwritten below
    a, b, c = Slot.uniform(g1, PHOTON, 0), Slot.uniform(g2, PHOTON, 0), Slot.empty(n)
    if dal.any():
        ep, em, g = _pi0_dalitz(p4[dal], rng)
        a.p4[dal], b.p4[dal], c.p4[dal] = ep, em, g
        a.species[dal] = b.species[dal] = ELECTRON
        a.charge[dal], b.charge[dal] = 1, -1
        c.species[dal] = PHOTON
    return a, b, c


def _pi0_dalitz(p4, rng):
    n = p4.shape[0]
    x_lo = 4.0 * (M_E / M_PI0) ** 2

    def propose(k, r):
        return {"x": x_lo * np.exp(r.uniform(0.0, 1.0, k) * np.log(1.0 / x_lo))}

    def density(pts):
        return me.kroll_wada_density(pts["x"], M_E, slope=PI0_DALITZ_SLOPE)

    x = accept_reject(n, propose, density, envelope("kroll_wada", propose, density), rng, 0.5)["x"]
    m_ee = M_PI0 * np.sqrt(x)
    g, ee = kin.two_body_decay(p4, 0.0, m_ee, rng)
    beta2 = 1.0 - 4.0 * M_E**2 / m_ee**2
    cos = _sample_cos(n, rng, lambda c, i: 1.0 + c**2 + (1.0 - beta2[i]) * (1.0 - c**2), 2.0)
    ep, em = kin.two_body_decay(ee, M_E, M_E, rng, cos_theta=cos)
    return ep, em, g


def _sample_cos(n, rng, shape, fmax):
    """cos theta in [-1, 1] distributed as ``shape(cos, idx)`` <= ``fmax`` (``idx``: event indices)."""
    out = np.empty(n)
    todo = np.arange(n)
    while todo.size:
        c = rng.uniform(-1.0, 1.0, todo.size)
        ok = rng.uniform(0.0, fmax, todo.size) < shape(c, todo)
        out[todo[ok]] = c[ok]
        todo = todo[~ok]
    return out


def _with_pi0(slots, pi0_p4, rng):
    return slots + list(decay_pi0(pi0_p4, rng))


# ------------------------------------------------------------------ K+ modes
def kmu2(parent, rng):
    """K+ -> mu+ nu (isotropic two-body)."""
    return FinalState("munu", list(_two_body_slots(parent, M_MU, 0.0, rng, MUON, 1, INVISIBLE, 0)))


def kpi2(parent, rng):
    """K+ -> pi+ pi0 (isotropic two-body), pi0 decayed."""
    pi, pi0 = kin.two_body_decay(parent, M_PI, M_PI0, rng)
    return FinalState("pipi0", _with_pi0([Slot.uniform(pi, PION, 1)], pi0, rng))


def k3pi_charged(parent, rng):
    """K+ -> pi+ pi+ pi- with the PDG Dalitz slopes (g, h, k)."""
    masses = (M_K, M_PI, M_PI, M_PI)
    total = M_K**2 + 3 * M_PI**2

    def density(p):
        s3, s1 = p["m12sq"], p["m23sq"]
        return me.k3pi_density(s1, total - s3 - s1, s3, me.K3PI_CHARGED, s0=total / 3.0)

    slopes = me.K3PI_CHARGED
    compiled = (0, (slopes["g"], slopes["h"], slopes["k"], M_PI, total / 3.0))
    p1, p2, p3 = _three_body(parent, masses, density, "k3pi_charged", rng, compiled)
    return FinalState("pipipi", [Slot.uniform(p1, PION, 1), Slot.uniform(p2, PION, 1), Slot.uniform(p3, PION, -1)])


def k3pi_neutral(parent, rng):
    """K+ -> pi+ pi0 pi0 with the PDG Dalitz slopes; the pi+ is the odd pion."""
    masses = (M_K, M_PI0, M_PI0, M_PI)
    total = M_K**2 + 2 * M_PI0**2 + M_PI**2

    def density(p):
        s3, s1 = p["m12sq"], p["m23sq"]
        return me.k3pi_density(s1, total - s3 - s1, s3, me.K3PI_NEUTRAL, s0=total / 3.0)

    slopes = me.K3PI_NEUTRAL
    compiled = (0, (slopes["g"], slopes["h"], slopes["k"], M_PI, total / 3.0))
    a, b, pi = _three_body(parent, masses, density, "k3pi_neutral", rng, compiled)
    slots = [Slot.uniform(pi, PION, 1)] + list(decay_pi0(a, rng)) + list(decay_pi0(b, rng))
    return FinalState("pipi0pi0", slots)


def _kl3_density(m_pi, m_l):
    def density(p):
        e_pi = (M_K**2 + m_pi**2 - p["m23sq"]) / (2.0 * M_K)
        e_nu = (M_K**2 - p["m12sq"]) / (2.0 * M_K)
        return me.kl3_density(e_pi, M_K - e_pi - e_nu, m_pi, m_l)
    return density


def _kl3_compiled():
    ff = me.KL3_FORM_FACTORS
    return 1, (ff["lambda_plus_1"], ff["lambda_plus_2"], ff["lambda_zero"], M_PI, M_PI0)


def kl3(parent, rng, lepton="e"):
    """K+ -> pi0 l+ nu (Ke3, Kmu3) with quadratic f+ and linear f0 form factors."""
    m_l, sp = _LEPTON[lepton]
    masses = (M_K, M_PI0, m_l, 0.0)
    pi0, lep, nu = _three_body(parent, masses, _kl3_density(M_PI0, m_l), f"kl3_{lepton}", rng, _kl3_compiled())
    slots = [Slot.uniform(lep, sp, 1), Slot.uniform(nu, INVISIBLE, 0)]
    return FinalState(f"pi0{lepton}nu", _with_pi0(slots, pi0, rng))


def pinunu(parent, rng):
    """K+ -> pi+ nu nubar with the K_l3 vector form factor (massless neutrinos)."""
    masses = (M_K, M_PI, 0.0, 0.0)
    pi, nu1, nu2 = _three_body(parent, masses, _kl3_density(M_PI, 0.0), "pinunu", rng, _kl3_compiled())
    return FinalState("pinunu", [Slot.uniform(pi, PION, 1), Slot.uniform(nu1, INVISIBLE, 0),
                                 Slot.uniform(nu2, INVISIBLE, 0)])


def _pair_mode(parent, rng, key, z_lo, density, m_daughter, angular):
    """K+ -> pi+ (pair of mass sqrt(z) M_K), pair -> two daughters."""
    z_hi = (1.0 - M_PI / M_K) ** 2

    def propose(k, r):
        return {"z": r.uniform(z_lo, z_hi, k)}

    def dens(p):
        return density(p["z"])

    z = accept_reject(parent.shape[0], propose, dens, envelope(key, propose, dens), rng, 0.3)["z"]
    m_pair = M_K * np.sqrt(z)
    pi, pair = kin.two_body_decay(parent, M_PI, m_pair, rng)
    beta2 = np.clip(1.0 - 4.0 * m_daughter**2 / m_pair**2, 0.0, 1.0)
    cos = _sample_cos(parent.shape[0], rng, lambda c, i: angular(c, beta2[i]), 1.0) if angular else None
    d1, d2 = kin.two_body_decay(pair, m_daughter, m_daughter, rng, cos_theta=cos)
    return pi, d1, d2


def pigg(parent, rng):
    """K+ -> pi+ gamma gamma, m_gg from ChPT at O(p^4) (approximate, see matrix_elements)."""
    pi, g1, g2 = _pair_mode(parent, rng, "pigg", 1e-4, me.pigg_z_density, 0.0, None)
    return FinalState("pigg", [Slot.uniform(pi, PION, 1), Slot.uniform(g1, PHOTON, 0), Slot.uniform(g2, PHOTON, 0)])


def pimumu(parent, rng):
    """K+ -> pi+ mu+ mu-, linear form factor; lepton angle ~ 1 - beta^2 cos^2 (vector current)."""
    z_lo = (2.0 * M_MU / M_K) ** 2 * (1.0 + 1e-9)
    pi, mp, mm = _pair_mode(parent, rng, "pimumu", z_lo, lambda z: me.pill_z_density(z, M_MU),
                            M_MU, lambda c, b2: 1.0 - b2 * c**2)
    return FinalState("pimumu", [Slot.uniform(pi, PION, 1), Slot.uniform(mp, MUON, 1), Slot.uniform(mm, MUON, -1)])


def _ke4_proposal(k, rng):
    s_pi = rng.uniform((2 * M_PI) ** 2, (M_K - M_E) ** 2, k)
    s_e = rng.uniform(M_E**2, (M_K - 2 * M_PI) ** 2, k)
    return {"s_pi": s_pi, "s_e": s_e, "cos_pi": rng.uniform(-1, 1, k), "cos_e": rng.uniform(-1, 1, k),
            "phi": rng.uniform(0, 2 * np.pi, k)}


def _ke4_density(p):
    inside = np.sqrt(p["s_pi"]) + np.sqrt(p["s_e"]) < M_K
    w = me.ke4_density(p["s_pi"], p["s_e"], p["cos_pi"], p["cos_e"], p["phi"])
    return np.where(inside, w * (1.0 - M_E**2 / p["s_e"]), 0.0)


def ke4(parent, rng):
    """K+ -> pi+ pi- e+ nu in Cabibbo-Maksymowicz variables (approximate, see ke4_density)."""
    n = parent.shape[0]
    grid = GridProposal("ke4", _ke4_proposal, _ke4_density, ("s_pi", "s_e"),
                        (((2 * M_PI) ** 2, (M_K - M_E) ** 2), (M_E**2, (M_K - 2 * M_PI) ** 2)))
    p = accept_reject(n, grid, _ke4_density, 1.0, rng, 0.2)
    local = _ke4_rest_frame(p)
    frame = kin.random_frames(n, rng)
    out = [kin.boost_to_lab(kin.from_frame(v, frame), parent) for v in local]
    return FinalState("ke4", [Slot.uniform(out[0], PION, 1), Slot.uniform(out[1], PION, -1),
                              Slot.uniform(out[2], ELECTRON, 1), Slot.uniform(out[3], INVISIBLE, 0)])


def _boost_z(p4, gb):
    zeros = np.zeros_like(gb)
    return kin._boost_gamma(p4, np.sqrt(1.0 + gb**2), np.stack([zeros, zeros, gb], axis=1))


def _ke4_rest_frame(p):
    """pi+, pi-, e+, nu four-momenta in a kaon-frame with the dipion along +z."""
    s_pi, s_e = p["s_pi"], p["s_e"]
    q = np.sqrt(np.clip(kin.kallen(M_K**2, s_pi, s_e), 0.0, None)) / (2.0 * M_K)
    m_pp, m_ee = np.sqrt(s_pi), np.sqrt(s_e)
    k_pi = np.sqrt(np.clip(s_pi / 4.0 - M_PI**2, 0.0, None))
    sin_pi = np.sqrt(1.0 - p["cos_pi"] ** 2)
    v = np.stack([sin_pi, np.zeros_like(sin_pi), p["cos_pi"]], axis=1) * k_pi[:, None]
    e_pi = np.full_like(k_pi, 0.0) + m_pp / 2.0
    pip = _boost_z(np.column_stack([e_pi, v]), q / m_pp)
    pim = _boost_z(np.column_stack([e_pi, -v]), q / m_pp)
    k_e = (s_e - M_E**2) / (2.0 * m_ee)
    sin_e = np.sqrt(1.0 - p["cos_e"] ** 2)
    u = np.stack([sin_e * np.cos(p["phi"]), sin_e * np.sin(p["phi"]), -p["cos_e"]], axis=1) * k_e[:, None]
    e_e = np.sqrt(k_e**2 + M_E**2)
    pos = _boost_z(np.column_stack([e_e, u]), -q / m_ee)
    nu = _boost_z(np.column_stack([k_e, -u]), -q / m_ee)
    return pip, pim, pos, nu


# ------------------------------------------------------- new-physics two-body
def pi_x(parent, rng, m_x):
    """K+ -> pi+ X, X a scalar of mass ``m_x`` (MeV), treated as invisible here."""
    return FinalState("pi_X", list(_two_body_slots(parent, M_PI, m_x, rng, PION, 1, INVISIBLE, 0)))


def lepton_n(parent, rng, m_n, lepton="mu"):
    """P+ -> l+ N (K+ or pi+ parent), heavy neutral lepton N of mass ``m_n`` (MeV), invisible."""
    m_l, sp = _LEPTON[lepton]
    return FinalState(f"{lepton}_N", list(_two_body_slots(parent, m_l, m_n, rng, sp, 1, INVISIBLE, 0)))


def pion_decay(parent, rng, lepton="mu"):
    """pi+ -> l+ nu (l = mu or e), isotropic."""
    m_l, sp = _LEPTON[lepton]
    return FinalState(f"pi_{lepton}nu", list(_two_body_slots(parent, m_l, 0.0, rng, sp, 1, INVISIBLE, 0)))


MODE_GENERATORS: dict[str, Callable[[np.ndarray, np.random.Generator], FinalState]] = {
    "munu": kmu2, "pipi0": kpi2, "pipipi": k3pi_charged, "pi0enu": lambda p, r: kl3(p, r, "e"),
    "pi0munu": lambda p, r: kl3(p, r, "mu"), "pipi0pi0": k3pi_neutral, "ke4": ke4, "pigg": pigg,
    "pimumu": pimumu, "pinunu": pinunu,
}
"""Standard-Model K+ decay generators by mode name."""


def generate_mode(mode: str, parent_p4, rng, **params) -> FinalState:
    """Decay K+ (or pi+) four-momenta ``parent_p4`` (N, 4) [MeV] in ``mode``.

    Parameters
    ----------
    mode : str
        A key of :data:`MODE_GENERATORS`, or ``"pi_X"`` (needs ``m_x``),
        ``"mu_N"``/``"e_N"`` (need ``m_n``), ``"pi_munu"``/``"pi_enu"`` (pi+ parent).
    parent_p4 : array_like, shape (N, 4)
        Parent four-momenta in MeV.
    rng : numpy.random.Generator

    Returns
    -------
    FinalState
    """
    parent_p4 = np.atleast_2d(np.asarray(parent_p4, float))
    if mode in MODE_GENERATORS:
        return MODE_GENERATORS[mode](parent_p4, rng)
    if mode == "pi_X":
        return pi_x(parent_p4, rng, _param(params, "m_x", M_K - M_PI))
    if mode in ("mu_N", "e_N"):
        return lepton_n(parent_p4, rng, _param(params, "m_n", M_K - _LEPTON[mode[:-2]][0]), mode[:-2])
    if mode in ("pi_munu", "pi_enu"):
        return pion_decay(parent_p4, rng, mode[3:-2])
    raise InputError("mode", mode, f"one of {sorted(MODE_GENERATORS) + ['pi_X', 'mu_N', 'e_N', 'pi_munu', 'pi_enu']}")


def _param(params, name, upper):
    if name not in params:
        raise InputError(name, None, f"a mass in MeV below {upper:.1f}")
    value = float(params[name])
    if not 0.0 <= value < upper:
        raise InputError(name, value, f"a mass in MeV in [0, {upper:.1f})")
    return value
