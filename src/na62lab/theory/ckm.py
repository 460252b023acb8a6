"""The CKM matrix from (lambda, |V_cb|, beta, gamma).

Construction (PDG Review "CKM quark-mixing matrix", 2024, eqs. 12.3-12.4):
``R_b = sin(beta) / sin(beta + gamma)``, ``rhobar + i etabar = R_b e^{i gamma}``
(from the unitarity triangle), ``A = |V_cb| / lambda^2``,

    rho + i eta = (rhobar + i etabar) sqrt(1 - A^2 lambda^4)
                  / ( sqrt(1 - lambda^2) [1 - A^2 lambda^4 (rhobar + i etabar)] ),

``s12 = lambda``, ``s23 = A lambda^2``, ``s13 e^{i delta} = A lambda^3 (rho + i eta)``,
and the standard parametrisation (eq. 12.3), unitary to all orders.

Examples
--------
>>> V = ckm_matrix(0.225, 42.6e-3, 22.2, 64.6)
>>> round(float(abs(V[0, 2])) * 1e3, 2)   # |V_ub| x 1e3
3.72
"""

from __future__ import annotations

import numpy as np


def ckm_matrix(lam: float, vcb: float, beta_deg: float, gamma_deg: float) -> np.ndarray:
    """The 3x3 complex CKM matrix (rows u, c, t; columns d, s, b).

    Parameters
    ----------
    lam : float
        Wolfenstein lambda = |V_us| (dimensionless).
    vcb : float
        |V_cb|.
    beta_deg, gamma_deg : float
        Unitarity-triangle angles beta and gamma in degrees.
    """
    beta, gamma = np.radians(beta_deg), np.radians(gamma_deg)
    r_b = np.sin(beta) / np.sin(beta + gamma)
    zbar = r_b * np.exp(1j * gamma)
    a = vcb / lam**2
    al4 = a * a * lam**4
    z = zbar * np.sqrt(1 - al4) / (np.sqrt(1 - lam**2) * (1 - al4 * zbar))
    s12, s23 = lam, a * lam**2
    s13e = a * lam**3 * z
    s13, delta = abs(s13e), np.angle(s13e)
    c12, c23, c13 = (np.sqrt(1 - s * s) for s in (s12, s23, s13))
    e = np.exp(1j * delta)
    return np.array([
        [c12 * c13, s12 * c13, s13 / e],
        [-s12 * c23 - c12 * s23 * s13 * e, c12 * c23 - s12 * s23 * s13 * e, s23 * c13],
        [s12 * s23 - c12 * c23 * s13 * e, -c12 * s23 - s12 * c23 * s13 * e, c23 * c13],
    ])


def lambda_i(V: np.ndarray, quark: str) -> complex:
    """``lambda_i = V_is^* V_id`` for i = "c" or "t"."""
    row = {"u": 0, "c": 1, "t": 2}[quark]
    return complex(np.conj(V[row, 1]) * V[row, 0])
