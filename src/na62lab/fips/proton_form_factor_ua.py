"""Time-like proton Dirac form factor of the Unitary & Analytic (U&A) model, from a shipped table.

The U&A model of nucleon electromagnetic structure (Adamuscin, Bartos, Dubnicka, Dubnickova,
Phys. Rev. C 93 (2016) 055208) is fitted to space-like AND time-like nucleon form-factor data;
Foroughi-Abari, Reimitz and Ritz, "A closer look at dark vector splitting functions in proton
bremsstrahlung" (arXiv:2409.09123; the title SensCalc's table names; their earlier pomeron-model paper
is Foroughi-Abari & Ritz arXiv:2108.05900) use it for dark-vector proton bremsstrahlung.
Its F_1^p(t) and F_2^p(t) (complex) are tabulated in the public SensCalc code (BSD-3-Clause) for
sqrt(t) = 0-2 GeV in 5 MeV steps; ``data/proton_ff_ua_model.csv`` holds that table's Re and Im F_1^p
and F_2^p (provenance, commit and licence in its header; F_2^p is only returned by :func:`ua_table`,
for checks).  Card choice ``production.brems_form_factor: ua_model``
(:func:`na62lab.fips.dark_photon.brems_form_factor_squared`, |F_1^p|^2); not the default.

Interpolation: Re F_1 and Im F_1 separately, linear in sqrt(t).  Halving the grid (every other row)
moves |F_1|^2 by < 7 % outside the omega and phi peaks, so the 5 MeV table's own interpolation error
there is ~2 % (linear interpolation error ~ step^2).  The grid does NOT resolve the omega(782) (width
8.7 MeV) and phi(1020) (width 4.2 MeV): in the :data:`UNRESOLVED_MEV` windows an interpolated value
can be off by up to a factor 2-3 (the note :data:`UA_NOTE` says so wherever the option is used).

Above the table end (2 GeV) F_1 is continued with the quark-counting fall F_1 ~ t^-2 (Brodsky &
Farrar, PRL 31 (1973) 1153; Lepage & Brodsky, PRD 22 (1980) 2157) from its last row, phase kept:
F_1(t) = F_1(t_end) (t_end / t)^2.  The U&A model itself builds in that asymptotic behaviour; the
A' bremsstrahlung yield above 2 GeV is far below any NA62 or SHiP limit, so the continuation only
keeps mass scans running (stated in :data:`UA_NOTE`).

Caveat (why this is an option, not the default): the Bluemlein-Brunner rate (arXiv:1311.3870) multiplies
by |F_1|^2 alone, i.e. drops the Pauli term of the p p A' vertex.  In the U&A model F_1 and F_2 are
separately large above ~1.4 GeV and cancel in the Sachs form factors: with the table's F_2 column,
G_M = F_1 + F_2 and G_E = F_1 + (t / 4 m_p^2) F_2 give |G_eff| = 0.51 at 1.88 GeV and 0.27 at 2.0 GeV
(the size e+e- -> p pbar measures), while |F_1| = 2.3 and 1.1 there.  So |F_1|^2 alone is not a
data-driven yield where F_2 matters (Pauli-term splitting functions: Gorbunov & Kriukova
arXiv:2409.11386); it brackets the form-factor systematic of that rate.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["UA_TABLE", "UA_MAX_SQRT_T_MEV", "UNRESOLVED_MEV", "UA_NOTE", "ua_table", "ua_dirac_form_factor",
           "ua_form_factor_squared"]

UA_TABLE = "proton_ff_ua_model.csv"
"""Shipped table (``na62lab/fips/data``): sqrt(t) (MeV), Re and Im F_1^p, Re and Im F_2^p of the U&A model
(SensCalc)."""
UA_MAX_SQRT_T_MEV = 2000.0
"""Last row of :data:`UA_TABLE` (MeV); above it F_1 falls as t^-2 (module docstring)."""
UNRESOLVED_MEV = ((760.0, 810.0), (990.0, 1050.0))
"""sqrt(t) windows (MeV) where the 5 MeV grid does not resolve the omega(782) and phi(1020) peaks: halving
the grid moves |F_1|^2 there by factors 0.32-1.34 (omega) and 1.08-2.24 (phi), against < 7 % elsewhere."""
UA_NOTE = ("bremsstrahlung form factor: U&A model F_1^p (Adamuscin et al., PRC 93 (2016) 055208, as in "
           "arXiv:2409.09123; SensCalc's table, sqrt(t) <= 2 GeV in 5 MeV steps, Re/Im linear; card "
           "production.brems_form_factor: ua_model), not the default (faessler); the 5 MeV grid does not resolve "
           "the omega and phi peaks (0.76-0.81, 0.99-1.05 GeV: |F_1|^2 uncertain by up to x2-3 there); above 2 GeV "
           "continued as F_1 ~ t^-2 (quark counting)")
"""Printed with every result that uses the option (generation.dump.sources)."""


@lru_cache(maxsize=1)
def ua_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sqrt(t) in MeV, complex F_1^p, complex F_2^p) of :data:`UA_TABLE`, sqrt(t) = 0, 5, ..., 2000 MeV."""
    text = (resources.files("na62lab.fips") / "data" / UA_TABLE).read_text()
    data = _parse(text)
    return data[:, 0], data[:, 1] + 1j * data[:, 2], data[:, 3] + 1j * data[:, 4]


def _parse(text: str) -> np.ndarray:
    """Numeric rows of the table (comment lines and the column-name line skipped)."""
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    return np.array([[float(x) for x in line.split(",")] for line in rows[1:]])


def ua_dirac_form_factor(q2: ArrayLike) -> np.ndarray:
    """Complex U&A proton Dirac form factor F_1^p(q^2), time-like q^2 >= 0 in MeV^2.

    Re and Im of :data:`UA_TABLE` interpolated linearly in sqrt(q^2); F_1(0) = 1.  Above
    sqrt(q^2) = :data:`UA_MAX_SQRT_T_MEV` the last row times (t_end / q^2)^2 (quark counting,
    module docstring).  Negative q^2 are clipped to 0 (the table is time-like only).

    Parameters
    ----------
    q2 : array_like
        Four-momentum squared in MeV^2 (q^2 = m_A'^2).

    Returns
    -------
    numpy.ndarray
        Complex F_1^p, dimensionless.
    """
    w, f, _ = ua_table()
    q2 = np.clip(np.asarray(q2, dtype=float), 0.0, None)
    m = np.sqrt(q2)
    inside = np.interp(m, w, f.real) + 1j * np.interp(m, w, f.imag)
    tail = f[-1] * (w[-1] ** 2 / np.maximum(q2, w[-1] ** 2)) ** 2
    return np.where(m > w[-1], tail, inside)


def ua_form_factor_squared(q2: ArrayLike) -> np.ndarray:
    """|F_1^p(q^2)|^2 of :func:`ua_dirac_form_factor` (q^2 in MeV^2): the ``ua_model`` bremsstrahlung factor."""
    return np.abs(ua_dirac_form_factor(q2)) ** 2
