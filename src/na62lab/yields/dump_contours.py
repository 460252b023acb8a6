"""Exclusion ranges on a (mass, coupling) grid from expected events and an event limit.

A grid point is excluded when the expected signal exceeds the upper limit on
signal events.  For each mass the excluded couplings form (usually) one
interval between a long-lifetime lower edge (N ~ g^4) and a short-lifetime
upper edge (N ~ exp(-L/l)); its ends are located by linear interpolation of
log N in log g between the grid points that bracket the crossing.
"""

from __future__ import annotations

import numpy as np

_RESONANCES = ("rho0", "omega", "phi", "rho(1450)0", "omega(1420)", "rho(1700)0", "omega(1650)")
"""Vector mesons whose line shapes enter the dark-photon production and widths (DarkCast,
arXiv:1801.04847; the radial excitations are the poles of the proton form factor of the
bremsstrahlung, :func:`na62lab.fips.dark_photon.faessler_poles`, where the BC1 region closes):
refined over +-6 widths (PDG masses and widths)."""
_WIDTHS = np.array([0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0])
"""Offsets from a vector-meson mass, in units of its width, of the refinement nodes."""
_POLES = ("pi0", "eta", "eta'")
"""Pseudoscalars: kinematic end points of P -> gamma X, X-P mixing poles of ALPs (Aloni, Soreq,
Williams, arXiv:1811.03474): refined within +-10 % of the mass."""
_THRESHOLDS = (("mu-", "mu-"), ("pi+", "pi-"), ("pi+", "pi-", "pi0"), ("pi+", "pi-", "pi0", "pi0"),
               ("K+", "K-"), ("K+", "K-", "pi0"))
"""Open thresholds of the visible final states mumu, pipi, 3pi, 4pi, KK, KKpi."""


def sampling_masses(m_min: float, m_max: float, n: int) -> np.ndarray:
    """Mass points (MeV): ``n`` log-spaced over [m_min, m_max] plus fixed refinement nodes.

    The nodes resolve what a log grid misses whatever its size: the rho, omega
    and phi line shapes (m0 + Gamma x {0, +-0.25, ..., +-6}, :data:`_WIDTHS`), the
    pi0/eta/eta' poles and end points (m0 x (1 +- {0.002, 0.01, 0.03, 0.1})) and
    the final-state thresholds (t x (1 + {0.002, 0.01, 0.03, 0.1})).  Because the
    nodes do not depend on ``n``, edges from grids of different size agree at and
    between them (the stability a 40 x 40 and a 100 x 100 grid must show).
    """
    from na62lab.physics.particles import mass, width

    nodes = [np.geomspace(m_min, m_max, n)]
    for name in _RESONANCES:
        nodes.append(mass(name) + width(name) * np.concatenate([[0.0], -_WIDTHS, _WIDTHS]))
    rel = np.array([0.002, 0.01, 0.03, 0.1])
    for name in _POLES:
        nodes.append(mass(name) * np.concatenate([[1.0], 1 - rel, 1 + rel]))
    for parts in _THRESHOLDS:
        nodes.append(sum(mass(p) for p in parts) * (1 + rel))
    out = np.unique(np.concatenate(nodes))
    return out[(out >= m_min) & (out <= m_max)]


def _crossing(g_a, g_b, n_a, n_b, limit) -> float:
    """Coupling where log N crosses log(limit) between two grid points (log-log linear)."""
    la, lb = np.log(max(n_a, 1e-300)), np.log(max(n_b, 1e-300))
    if lb == la:
        return float(g_a)
    f = (np.log(limit) - la) / (lb - la)
    return float(np.exp(np.log(g_a) + f * (np.log(g_b) - np.log(g_a))))


def _brackets(expected: np.ndarray, limit: float) -> tuple[int, int] | None:
    """First and last excluded grid indices of one row, or None."""
    excl = expected > limit
    if not excl.any():
        return None
    return int(np.argmax(excl)), int(len(excl) - 1 - np.argmax(excl[::-1]))


def excluded_interval(couplings: np.ndarray, expected: np.ndarray, limit: float) -> tuple[float, float] | None:
    """Outermost excluded coupling range of one mass row, or None.

    Parameters
    ----------
    couplings : ndarray (n_g,)
        Increasing couplings.
    expected : ndarray (n_g,)
        Expected signal events at those couplings.
    limit : float
        Upper limit on signal events (e.g. 2.30 at 90 % CL with 0 observed).

    An end that is the first or last grid coupling is the grid boundary, not
    an edge (see :func:`excluded_ranges`, which flags it as open).
    """
    ij = _brackets(expected, limit)
    if ij is None:
        return None
    i, j = ij
    lo = couplings[0] if i == 0 else _crossing(couplings[i - 1], couplings[i], expected[i - 1], expected[i], limit)
    hi = couplings[-1] if j == len(expected) - 1 else _crossing(couplings[j], couplings[j + 1], expected[j],
                                                                expected[j + 1], limit)
    return float(lo), float(hi)


def excluded_ranges(masses_gev: np.ndarray, couplings: np.ndarray, expected: np.ndarray,
                    limit, evaluate=None, masses_mev: np.ndarray | None = None,
                    iterations: int = 8) -> list[dict]:
    """One range per mass with an exclusion, each edge flagged open when it is the grid boundary.

    Each range is ``{"mass_gev", "coupling_min", "coupling_max", "open_lower",
    "open_upper"}``; ``open_lower`` (``open_upper``) is True when the excluded
    region reaches the lowest (highest) coupling of the grid, so that edge is the
    grid boundary and not a limit.

    Parameters
    ----------
    masses_gev : ndarray (n_m,)
        Masses in GeV (as reported).
    couplings : ndarray (n_g,)
    expected : ndarray (n_m, n_g)
        Expected signal events.
    limit : float or ndarray (n_m,)
        Upper limit on signal events, one for all masses or one per mass (when
        the observed count depends on the mass window).
    evaluate : callable, optional
        ``evaluate(masses_mev (k,), couplings (k,)) -> events (k,)``: when given,
        every closed edge is located by ``iterations`` steps of regula falsi on
        log N vs log g inside its grid bracket (independent of the coupling grid
        spacing); otherwise by log-log interpolation between the bracketing points.
    masses_mev : ndarray (n_m,), optional
        Masses passed to ``evaluate`` (default ``1000 * masses_gev``).
    """
    limits = np.broadcast_to(np.asarray(limit, dtype=float), np.shape(masses_gev))
    m_mev = np.asarray(masses_mev if masses_mev is not None else np.asarray(masses_gev) * 1000.0, float)
    peaks = _peaks_between_nodes(couplings, expected, limits, m_mev, evaluate) if evaluate is not None else {}
    out, todo = [], []
    last = len(couplings) - 1
    logg = np.log(couplings)
    for row, (mass, lim) in enumerate(zip(masses_gev, limits)):
        f_row = np.log(np.maximum(expected[row], 1e-300)) - np.log(float(lim))
        ij = _brackets(expected[row], float(lim))
        interval = excluded_interval(couplings, expected[row], float(lim))
        if ij is None or interval is None:   # both None together: no excluded grid node in this row
            if row in peaks:                 # a thin excluded sliver between two coupling nodes
                k, x_peak, f_peak = peaks[row]
                out.append({"mass_gev": float(mass), "coupling_min": float(np.exp(x_peak)),
                            "coupling_max": float(np.exp(x_peak)), "open_lower": False, "open_upper": False})
                todo.append((len(out) - 1, "coupling_min", row, logg[k - 1], x_peak, f_row[k - 1], f_peak, float(lim)))
                todo.append((len(out) - 1, "coupling_max", row, x_peak, logg[k + 1], f_peak, f_row[k + 1], float(lim)))
            continue
        lo, hi = interval
        out.append({"mass_gev": float(mass), "coupling_min": lo, "coupling_max": hi,
                    "open_lower": ij[0] == 0, "open_upper": ij[1] == last})
        i, j = ij
        if i > 0:
            todo.append((len(out) - 1, "coupling_min", row, logg[i - 1], logg[i], f_row[i - 1], f_row[i], float(lim)))
        if j < last:
            todo.append((len(out) - 1, "coupling_max", row, logg[j], logg[j + 1], f_row[j], f_row[j + 1], float(lim)))
    if evaluate is not None and todo:
        _refine(out, todo, m_mev, evaluate, iterations)
    return out


_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0


def _peaks_between_nodes(couplings, expected, limits, masses_mev, evaluate, iterations: int = 24) -> dict:
    """Rows whose N(g) exceeds the limit only between two coupling nodes: row -> (k, log g_peak, f_peak).

    Near the mass where a region closes the excluded coupling interval becomes
    narrower than the coupling grid spacing, so no grid node is excluded although
    N(g) passes the limit between nodes (which rows that are depends on the grid:
    the closing mass would move with the grid size).  For every row with no excluded
    node whose largest N is at an inner node k and within a factor 10 of the limit,
    the maximum of log N over [g_(k-1), g_(k+1)] (unimodal: N ~ g^4 below, ~exp(-g^2)
    above) is located by golden-section search; rows where it passes the limit are
    returned with f_peak = log N - log limit > 0 at the peak.
    """
    rows, ks = [], []
    for row in range(expected.shape[0]):
        k = int(np.argmax(expected[row]))
        if 0 < k < len(couplings) - 1 and limits[row] / 10.0 < expected[row, k] <= limits[row]:
            rows.append(row)
            ks.append(k)
    if not rows:
        return {}
    idx, kk = np.array(rows), np.array(ks)
    a, b = np.log(couplings[kk - 1]), np.log(couplings[kk + 1])

    def f(x):
        return np.log(np.maximum(evaluate(masses_mev[idx], np.exp(x)), 1e-300)) - np.log(limits[idx])

    c, d = b - _GOLDEN * (b - a), a + _GOLDEN * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(iterations):
        left = fc > fd                                   # the maximum lies in [a, d], else in [c, b]
        a, b = np.where(left, a, c), np.where(left, d, b)
        c_new = np.where(left, b - _GOLDEN * (b - a), d)     # left: new c; right: the old d
        d_new = np.where(left, c, a + _GOLDEN * (b - a))     # left: the old c; right: new d
        f_kept = np.where(left, fc, fd)
        fn = f(np.where(left, c_new, d_new))
        c, d = c_new, d_new
        fc, fd = np.where(left, fn, f_kept), np.where(left, f_kept, fn)
    x = np.where(fc > fd, c, d)
    fx = np.maximum(fc, fd)
    return {int(r): (int(k), float(xx), float(ff)) for r, k, xx, ff in zip(idx, kk, x, fx) if ff > 0}


def _refine(out, todo, masses_mev, evaluate, iterations) -> None:
    """Illinois regula falsi on f = log N - log limit in x = log g, all edges at once.

    Each ``todo`` entry holds its bracket (x_a, x_b) with (f_a, f_b) of opposite signs.
    The bracket always holds the sign change; when the same end is
    kept twice in a row its f is halved (Dowell and Jarratt, BIT 11 (1971) 168),
    which gives superlinear convergence on these smooth one-dimensional roots.
    """
    idx = np.array([t[2] for t in todo])
    xa, xb = np.array([t[3] for t in todo]), np.array([t[4] for t in todo])
    fa, fb = np.array([t[5] for t in todo]), np.array([t[6] for t in todo])
    lim = np.log(np.array([t[7] for t in todo]))
    kept = np.zeros(idx.size, dtype=int)                 # +1: a kept last time, -1: b kept last time
    for _ in range(iterations):
        x = np.clip((xa * fb - xb * fa) / np.where(fb != fa, fb - fa, 1.0), np.minimum(xa, xb), np.maximum(xa, xb))
        f = np.log(np.maximum(evaluate(masses_mev[idx], np.exp(x)), 1e-300)) - lim
        new_a = np.sign(f) == np.sign(fa)                # x replaces a; b is kept
        fb = np.where(new_a & (kept == -1), 0.5 * fb, fb)
        fa = np.where(~new_a & (kept == 1), 0.5 * fa, fa)
        xa, fa = np.where(new_a, x, xa), np.where(new_a, f, fa)
        xb, fb = np.where(new_a, xb, x), np.where(new_a, fb, f)
        kept = np.where(new_a, -1, 1)
    x = (xa * fb - xb * fa) / np.where(fb != fa, fb - fa, 1.0)
    for (k, key, *_), value in zip(todo, np.exp(x)):
        out[k][key] = float(value)


def contour_lines(ranges: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """A closed (mass_gev, coupling) polygon tracing the lower edges then the upper edges back."""
    if not ranges:
        return np.array([]), np.array([])
    m = np.array([r["mass_gev"] for r in ranges])
    lo = np.array([r["coupling_min"] for r in ranges])
    hi = np.array([r["coupling_max"] for r in ranges])
    return np.concatenate([m, m[::-1], m[:1]]), np.concatenate([lo, hi[::-1], lo[:1]])
