"""Hadronic ALP decays: data-driven tables (ASW, GKOZ), leading-order chiral 3 pi, perturbative QCD.

Couplings use the normalisation of Bauer, Neubert, Thamm, arXiv:1708.00443 eq. (1):

    L = g_s^2 C_GG (a/Lambda) G Gtilde + e^2 C_gg (a/Lambda) F Ftilde
        + sum_f (c_ff/2) (d_mu a/Lambda) fbar gamma^mu gamma_5 f,

with the reduced couplings ``cGG = C_GG/Lambda``, ``cgg = C_gg/Lambda``,
``cff = c_ff/Lambda`` in MeV^-1 (universal fermion coupling, derivative basis).
Masses in MeV, widths in MeV.

Data-driven tables (package data ``data/alp_gluon_widths.csv`` and
``data/alp_fermion_widths.csv``, written by ``admin/fips_alp_tables.py`` with
their provenance in the file headers):

* gluon ALP: Aloni, Soreq, Williams, arXiv:1811.03474 (PRL 123 (2019) 031803),
  partial widths per (C_GG/Lambda)^2 for gamma gamma, 3 pi, pi pi gamma,
  pi pi eta, K K pi, 4 pi (rho rho) and the rest (``other``), 0.07-3.0 GeV;
* fermion ALP: Dalla Valle Garcia et al., arXiv:2310.03524, hadronic partial
  widths per (c_ff/Lambda)^2, 0.28-3.0 GeV.

Above the table end (2.996 GeV for ASW, 3.0 GeV for GKOZ) the hadronic width is the perturbative one
(:func:`perturbative_widths`), multiplied by the ratio table/perturbative at
the table end so that the total width is continuous (APPROXIMATE; the channel split
jumps there from exclusive channels to ``gg``/``ss``/``cc``).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from na62lab.fips.base import kallen
from na62lab.fips.constants import QUARK_MASS_2GEV, QUARK_POLE_MASS
from na62lab.physics.constants import F_PI  # f_pi ~ 130 MeV convention of arXiv:1708.00443
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV

__all__ = ["TABLE_CHANNELS", "PIPIETA_CHARGED_SHARE", "FOURPI_NEUTRAL_SHARE",
           "table_widths", "table_range", "perturbative_widths", "three_pion_lo", "loop_b1",
           "three_pion_charged_share", "F_PI", "ISOSPIN", "M_U", "M_D"]

M_U, M_D = QUARK_MASS_2GEV["u"], QUARK_MASS_2GEV["d"]
"""MS-bar light-quark masses at 2 GeV in MeV (PDG 2024, :data:`na62lab.fips.constants.QUARK_MASS_2GEV`)."""
ISOSPIN = (M_D - M_U) / (M_U + M_D)
"""(m_d - m_u)/(m_u + m_d) = 0.37."""
POLE_MASS = QUARK_POLE_MASS
"""Heavy-quark pole masses (PDG 2024) for the loop functions, MeV (:data:`na62lab.fips.constants.QUARK_POLE_MASS`)."""

TABLE_CHANNELS = ("gammagamma", "3pi", "pipigamma", "pipieta", "KKpi", "4pi", "other")
"""Channel names of the data-driven tables (the fermion table has no gammagamma)."""
PIPIETA_CHARGED_SHARE = 1.0 / (1.0 + 0.527)
"""pi+ pi- eta share of the tables' pi pi eta width, which sums pi+ pi- eta and pi0 pi0 eta (ASW; GKOZ's pi+ pi- eta
times 1 + 0.527 in ``admin/fips_alp_tables.py``): pi0 pi0 eta / pi+ pi- eta = 0.527, the isoscalar 1/2 with phase
space as measured in eta' -> eta pi pi (PDG 2024: 22.4 % / 42.5 %)."""
FOURPI_NEUTRAL_SHARE = 2.0 / 3.0
"""pi+ pi- 2 pi0 share of the tables' 4 pi width: an isoscalar through rho rho (ASW's 4 pi; GKOZ's 2 pi+ 2 pi- x 3 in
``admin/fips_alp_tables.py``), rho+ rho- : rho0 rho0 = 2 : 1 (isospin), rho+ rho- -> pi+ pi- 2 pi0."""


def _package_csv(name: str) -> tuple[str, np.ndarray]:
    """Text and numeric rows of the package data file ``data/<name>`` (comment lines ``#`` skipped)."""
    text = (resources.files("na62lab.fips") / "data" / name).read_text()
    return text, np.loadtxt(text.splitlines(), delimiter=",", comments="#")


@lru_cache(maxsize=None)
def _load(kind: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    text, data = _package_csv(f"alp_{kind}_widths.csv")
    header = next(line for line in text.splitlines() if line.startswith("# columns:"))
    names = [c.strip().split("_MeV")[0] for c in header.split(":", 1)[1].split(",")][1:]
    return data[:, 0], {n: data[:, i + 1] for i, n in enumerate(names)}


def table_range(kind: str) -> tuple[float, float]:
    """Lowest and highest tabulated ALP mass (MeV) of the ``"gluon"`` or ``"fermion"`` table."""
    x, _ = _load(kind)
    return float(x[0]), float(x[-1])


def _log_interp(m: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Piecewise log-linear interpolation of non-negative y (zeros kept), 0 outside [x0, x-1]."""
    floor = 1e-30 * float(np.max(y)) if np.max(y) > 0 else 1e-300
    val = np.exp(np.interp(m, x, np.log(y + floor))) - floor
    return np.where((m >= x[0]) & (m <= x[-1]) & (val > floor), val, 0.0)


def table_widths(m: np.ndarray, kind: str) -> dict[str, np.ndarray]:
    """Tabulated partial widths in MeV per (reduced coupling in MeV^-1)^2, 0 outside the table.

    Parameters
    ----------
    m : ndarray
        ALP mass in MeV.
    kind : str
        ``"gluon"`` (per (C_GG/Lambda)^2, arXiv:1811.03474) or ``"fermion"``
        (per (c_ff/Lambda)^2, arXiv:2310.03524).
    """
    x, cols = _load(kind)
    return {name: _log_interp(m, x, y) for name, y in cols.items()}


@lru_cache(maxsize=None)
def _three_pion_share_nodes(kind: str) -> tuple[np.ndarray, np.ndarray]:
    _, data = _package_csv(f"alp_{kind}_3pi_charged_share.csv")
    return data[:, 0], data[:, 1]


def three_pion_charged_share(m: np.ndarray, kind: str = "gluon") -> np.ndarray:
    """pi+ pi- pi0 share of a -> 3 pi of the data-driven ALPs (dimensionless).

    Ratio of the two charge states (package data ``data/alp_{kind}_3pi_charged_share.csv``, written by
    ``admin/fips_alp_tables.py`` from ALPINIST's digitisations):

    * ``"gluon"``: Aloni, Soreq, Williams, arXiv:1811.03474 (figure of the ALP partial widths): 0.12 at
      0.42 GeV (the 3 pi0 threshold is 9 MeV lower), 0.38 at 0.48 GeV, 0.40-0.44 at 0.6-0.65 GeV, 0.88 at
      0.71 GeV and 0.96 at 0.75 GeV (a -> 3 pi0 passes through a zero at 0.733 GeV), 0.51 at 0.9 GeV;
      tabulated 0.418-0.956 GeV (a -> 3 pi is closed below and is not shown by ASW above m_eta');
    * ``"fermion"``: Dalla Valle Garcia et al., arXiv:2310.03524: 0 at the pi+ pi- pi0 threshold, 0.37-0.38 at
      0.48-0.56 GeV, 0.92 at 0.70 GeV (a -> 3 pi0 has its minimum at 0.669 GeV), 0.79 at 0.78 GeV, 0.89 at
      1.0 GeV, 0.83 at 1.5 GeV and above 1.745 GeV (3 pi0 = 0.20 pi+ pi- pi0 there, as in the width table).

    Outside the tabulated range the nearest value.

    Parameters
    ----------
    m : ndarray
        ALP mass in MeV.
    kind : str
        ``"gluon"`` or ``"fermion"``.
    """
    x, share = _three_pion_share_nodes(kind)
    return np.interp(np.asarray(m, dtype=float), x, share)


def loop_b1(tau: np.ndarray) -> np.ndarray:
    """Loop function B1(tau) = 1 - tau f(tau)^2 (arXiv:1708.00443 eq. (14)), complex.

    f(tau) = arcsin(1/sqrt(tau)) for tau >= 1 and pi/2 + (i/2) ln[(1 + sqrt(1-tau))/(1 - sqrt(1-tau))]
    for tau < 1; B1 -> 1 for a light fermion (tau -> 0) and -> -1/(3 tau) for a heavy one.
    """
    tau = np.asarray(tau, dtype=float)
    big = np.arcsin(1.0 / np.sqrt(np.maximum(tau, 1.0))) + 0j
    r = np.sqrt(np.clip(1.0 - tau, 1e-300, None))
    small = np.pi / 2 + 0.5j * np.log((1 + r) / np.maximum(1 - r, 1e-300))
    f = np.where(tau >= 1.0, big, small)
    return 1.0 - tau * f * f


def alpha_s_alp(mu: np.ndarray) -> np.ndarray:
    """One-loop alpha_s(mu) with n_f = 4, alpha_s(2 GeV) = 0.30 (PDG QCD review); mu in MeV (>= 1 GeV)."""
    b0 = 11.0 - 2.0 * 4 / 3.0
    mu = np.maximum(np.asarray(mu, dtype=float), 1.0 * GeV)
    return 0.30 / (1.0 + 0.30 * b0 / (2.0 * np.pi) * np.log(mu / (2.0 * GeV)))


def perturbative_widths(m: np.ndarray, cGG: float, cff: float) -> dict[str, np.ndarray]:
    """Inclusive hadronic ALP widths (MeV) of perturbative QCD, for m > ~2 GeV.

    * ``gg``: Gamma = 32 pi alpha_s^2 m^3 |C_GG^eff|^2 (1 + 83 alpha_s/(4 pi)),
      C_GG^eff = C_GG + sum_q c_qq B1(4 m_q^2/m^2)/(32 pi^2) over u, d, s, c, b
      (arXiv:1708.00443 Sec. 3, with the loop function of eq. (14));
    * ``ss``, ``cc``: Gamma = 3 m m_q^2 (c_ff/Lambda)^2 beta/(8 pi) with the MS-bar
      masses m_s(2 GeV), m_c(m_c) (the a -> f fbar width of Sec. 3 times N_c = 3),
      open above 2 m_K and m_D + m_D* respectively (a pseudoscalar cannot decay to D Dbar).

    Parameters
    ----------
    m : ndarray
        ALP mass in MeV.
    cGG, cff : float
        C_GG/Lambda and c_ff/Lambda in MeV^-1.
    """
    m = np.maximum(np.asarray(m, dtype=float), 1.0)
    tau = lambda mq: 4.0 * mq * mq / (m * m)
    quarks = (M_U, M_D, QUARK_MASS_2GEV["s"], POLE_MASS["c"], POLE_MASS["b"])
    c_eff = cGG + sum(cff * loop_b1(tau(mq)) for mq in quarks) / (32 * np.pi**2)
    a_s = alpha_s_alp(m)
    out = {"gg": 32 * np.pi * a_s**2 * m**3 * np.abs(c_eff) ** 2 * (1 + 83 * a_s / (4 * np.pi))}
    for key, mq, threshold in (("ss", QUARK_MASS_2GEV["s"], 2 * pdg_mass("K+")),
                               ("cc", QUARK_MASS_2GEV["c"], pdg_mass("D0") + pdg_mass("D*(2007)0"))):
        beta = np.sqrt(np.clip(1 - 4 * mq * mq / (m * m), 0.0, None))
        out[key] = np.where(m > threshold, 3 * m * mq * mq * cff**2 * beta / (8 * np.pi), 0.0)
    return out


_GL_X, _GL_W = np.polynomial.legendre.leggauss(40)


def _g_three_pion(r: np.ndarray) -> np.ndarray:
    """g_00(r) + g_+-(r) phase-space functions of arXiv:1708.00443 Sec. 3, Gauss-Legendre in z."""
    r = np.asarray(r, dtype=float)[..., None]
    lo, hi = 4 * r, np.clip((1 - np.sqrt(r)) ** 2, 4 * r, None)
    z = 0.5 * (hi - lo) * _GL_X + 0.5 * (hi + lo)
    common = np.sqrt(np.clip(1 - 4 * r / z, 0.0, None)) * np.sqrt(np.clip(kallen(1.0, z, r), 0.0, None))
    g00 = 2.0 / (1 - r[..., 0]) ** 2 * 0.5 * (hi - lo)[..., 0] * np.sum(_GL_W * common, axis=-1)
    gpm = 12.0 / (1 - r[..., 0]) ** 2 * 0.5 * (hi - lo)[..., 0] * np.sum(_GL_W * common * (z - r) ** 2, axis=-1)
    return g00 + gpm


def three_pion_lo(m: np.ndarray, cGG: float) -> np.ndarray:
    """Leading-order chiral a -> 3 pi width (pi+ pi- pi0 plus 3 pi0), MeV.

    Gamma = (pi/6) m m_pi^4 / f_pi^2 |C_GG (m_d - m_u)/(m_u + m_d)|^2 [g_00 + g_+-](m_pi^2/m^2)
    (arXiv:1708.00443 Sec. 3, f_pi = 130.2 MeV; the (c_uu - c_dd) term vanishes for
    universal fermion couplings).  APPROXIMATE: no eta/eta' mixing; for a pure-gluon ALP it is
    about 8 times below the data-driven width of arXiv:1811.03474 at 450 MeV (tests/fips).

    Parameters
    ----------
    m : ndarray
        ALP mass in MeV.
    cGG : float
        C_GG/Lambda in MeV^-1.
    """
    mpi = pdg_mass("pi0")
    m = np.asarray(m, dtype=float)
    open_ = m > 3 * mpi  # below threshold the width is exactly 0; g(r) is evaluated only where r < 1/9
    width = np.zeros(m.shape)
    r = mpi**2 / (m[open_] * m[open_])
    width[open_] = np.pi / 6 * m[open_] * mpi**4 / F_PI**2 * (cGG * ISOSPIN) ** 2 * _g_three_pion(r)
    return width
