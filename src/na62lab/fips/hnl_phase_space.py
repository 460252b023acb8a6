"""Phase space of the charged-current three-body HNL decays with two massive final-state fermions.

Gamma(N -> l_a^- U Dbar) = N_c |V_UD|^2 G_F^2 m_N^5 |U_a|^2 / (192 pi^3) I(x_l, x_U, x_D) (Dirac, one
charge state), and N -> l_a^- l_b^+ nu_b with U = nu_b, D = l_b (the three-body integral I of the
charged-current widths of arXiv:1805.08567 Sec. 3.1.1), x_i = m_i / m_N:

    I(x_l, x_U, x_D) = 12 int_{(x_l + x_U)^2}^{(1 - x_D)^2} ds / s (s - x_l^2 - x_U^2)(1 + x_D^2 - s)
                       lambda^(1/2)(s, x_l^2, x_U^2) lambda^(1/2)(1, s, x_D^2),

s = (p_l + p_U)^2 / m_N^2.  The pairing is the one of the V-A matrix element,
|M|^2 propto (p_N . p_Dbar)(p_l . p_U), the structure of muon decay
(|M|^2 propto (p_mu . p_nubar_e)(p_e . p_nu_mu), PDG review "Muon decay parameters").
I(0, 0, 0) = 1, and with one mass x it is 1 - 8x^2 + 8x^6 - x^8 - 12 x^4 ln x^2 whichever the slot.
Unlike that one-mass form it vanishes at the true threshold x_l + x_U + x_D = 1, which matters when the
tau and a charm system share the phase space (N -> tau^- c sbar opens at m_tau + m(D_s) = 3.75 GeV).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["cc_phase_space"]

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(64)


def _sqrt_kallen(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    lam = a * a + b * b + c * c - 2 * (a * b + b * c + a * c)
    return np.sqrt(np.clip(lam, 0.0, None))


def cc_phase_space(m: ArrayLike, m_l: ArrayLike, m_up: ArrayLike, m_down: ArrayLike) -> np.ndarray:
    """I(x_l, x_U, x_D) of the module docstring at HNL mass ``m`` (0 below threshold).

    64-point Gauss-Legendre quadrature in u with s = s_min + (s_max - s_min) u^2 (the substitution
    removes the square-root edge at s_min; 1e-6 relative against scipy quad, tests/fips/test_hnl_phase_space.py).

    Parameters
    ----------
    m : array_like
        Mass of the decaying fermion in MeV (the HNL; or the tau for tau -> N l nu, with the HNL mass
        among the daughters).
    m_l, m_up, m_down : array_like
        Masses in MeV of the charged lepton, of the fermion paired with it (up-type quark, or the neutrino
        of a leptonic decay) and of the antifermion (down-type antiquark, or the charged antilepton).

    Returns
    -------
    numpy.ndarray
        Dimensionless phase-space factor, the broadcast shape of the inputs.
    """
    m, m_l, m_up, m_down = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (m, m_l, m_up, m_down)))
    safe = np.where(m > 0, m, np.inf)
    xl2, xu2, xd2 = (m_l / safe) ** 2, (m_up / safe) ** 2, (m_down / safe) ** 2
    s_min = (np.sqrt(xl2) + np.sqrt(xu2)) ** 2
    s_max = (1.0 - np.sqrt(xd2)) ** 2
    open_ = (np.sqrt(xl2) + np.sqrt(xu2) + np.sqrt(xd2) < 1.0) & (m > 0)
    width = np.where(open_, s_max - s_min, 0.0)
    u = 0.5 * (_NODES + 1.0)
    s = s_min[..., None] + width[..., None] * u**2
    jac = width[..., None] * 2.0 * u
    s = np.where(s > 0, s, 1.0)
    f = ((s - xl2[..., None] - xu2[..., None]) * (1.0 + xd2[..., None] - s)
         * _sqrt_kallen(s, xl2[..., None], xu2[..., None]) * _sqrt_kallen(np.ones_like(s), s, xd2[..., None]) / s)
    integral = 12.0 * 0.5 * np.sum(_WEIGHTS * f * jac, axis=-1)
    return np.where(open_, integral, 0.0)
