"""Exclusion ranges on a (mass, coupling) grid from expected events and an event limit.

A grid point is excluded when the expected signal exceeds the upper limit on
signal events.  For each mass the excluded couplings form (usually) one
interval between a long-lifetime lower edge (N ~ g^4) and a short-lifetime
upper edge (N ~ exp(-L/l)); its ends are located by linear interpolation of
log N in log g between the grid points that bracket the crossing (regula falsi
with ``evaluate``).  Each island of excluded masses ends where max over g of N
crosses the limit, between two grid masses: a closing row ("tip") is added there
(:func:`_tips`), and :func:`split_islands` / :func:`mass_intervals` are the one
place that says where the islands start and close.
"""

from __future__ import annotations

import hashlib
import weakref

import numpy as np

from na62lab.physics.units import GeV

_RESONANCES = ("rho0", "omega", "phi", "rho(1450)0", "omega(1420)", "rho(1700)0", "omega(1650)")
"""Vector mesons whose line shapes enter the dark-photon production and widths (DarkCast,
arXiv:1801.04847; rho(1450), rho(1700) in the 4 pi widths; the form factor of the bremsstrahlung,
:func:`na62lab.fips.dark_photon.faessler_poles`, has its radial-excitation poles at 1250 and 1450
MeV, 300 and 500 MeV wide, resolved by the log grid): refined over +-6 widths (PDG masses and widths)."""
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


_N_FLOOR = 1e-300
"""Expected events below this are taken as this before the log, so that log N is finite (-690.8) where a grid
point or a trial has no signal (a production mode closed, a lifetime far too short)."""


def _log_n(n):
    """log of expected events ``n`` (scalar or array), floored at :data:`_N_FLOOR`."""
    return np.log(np.maximum(n, _N_FLOOR))


def _crossing(g_a, g_b, n_a, n_b, limit) -> float:
    """Coupling where log N crosses log(limit) between two grid points (log-log linear)."""
    la, lb = _log_n(n_a), _log_n(n_b)
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
                    iterations: int = 8, refine_depth: int = 6, refine_tol: float = 0.01,
                    slivers: bool = True, tips: bool = True, limit_at=None) -> list[dict]:
    """One range per mass with an exclusion, each edge flagged open when it is the grid boundary.

    Each range is ``{"mass_gev", "coupling_min", "coupling_max", "open_lower",
    "open_upper"}``; ``open_lower`` (``open_upper``) is True when the excluded
    region reaches the lowest (highest) coupling of the grid, so that edge is the
    grid boundary and not a limit.  A closing row (``tips``) also has ``"tip": True``
    and ``"tip_side"`` (``"high_mass"``: its island ends above the excluded grid
    masses, ``"low_mass"``: below them).

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
    refine_depth, refine_tol : int, float
        With ``evaluate``: between two consecutive excluded grid masses (same
        limit) the edges are computed at the log-midpoint mass; where either edge
        there differs from the log-log interpolation of its neighbours by more than
        ``refine_tol`` (relative), the midpoint is added and both halves are split
        again, up to ``refine_depth`` times (:func:`_refine_masses`).  Narrow
        features (thresholds, poles, production end points) are then resolved
        whatever the mass grid, so the edges of a coarse and a fine grid agree.
    slivers : bool
        With ``evaluate``: look for thin excluded slivers between coupling nodes in
        rows with no excluded node (:func:`_peaks_between_nodes`).
    tips : bool
        With ``evaluate``: close every island end that lies inside the mass grid (an
        excluded grid mass next to a non-excluded one with the same limit) at the mass
        m* where max over g of N(m, g) equals the limit, with a row at m* whose
        coupling_min = coupling_max is the peak coupling there (:func:`_tips`).  The
        region then ends where N crosses the limit, not at the last excluded grid
        mass (up to one mass step lower, and moving with the grid).
    limit_at : callable, optional
        ``limit_at(masses_mev (k,)) -> limits (k,)``: the limit at any mass (``limit`` is its
        value on the grid).  With it, an island end between two rows with different limits
        (the edge of an observed event's mass window) is closed too, at the crossing of
        max_g N(m, g) with the limit at m, or at the window edge where the limit steps
        over N (:func:`_tips`); without it such an end stays at the last excluded grid mass.
    """
    limits = np.broadcast_to(np.asarray(limit, dtype=float), np.shape(masses_gev))
    m_mev = np.asarray(masses_mev if masses_mev is not None else np.asarray(masses_gev) * GeV, float)
    key = None
    if evaluate is not None:      # the expected bands often share a limit (2.30 events): compute once
        key = hashlib.sha256(b"|".join(np.ascontiguousarray(a, float).tobytes() for a in (
            masses_gev, couplings, expected, limits, m_mev,
            [iterations, refine_depth, refine_tol, slivers, tips, limit_at is not None]))).digest()
        memo = _MEMO.setdefault(evaluate, {})
        if key in memo:
            return [dict(r) for r in memo[key]]
    peaks = _peaks_between_nodes(couplings, expected, limits, m_mev, evaluate) if evaluate and slivers else {}
    out, todo, rows = [], [], []
    last = len(couplings) - 1
    logg = np.log(couplings)
    for row, (mass, lim) in enumerate(zip(masses_gev, limits)):
        f_row = _log_n(expected[row]) - np.log(float(lim))
        ij = _brackets(expected[row], float(lim))
        interval = excluded_interval(couplings, expected[row], float(lim))
        if ij is None or interval is None:   # both None together: no excluded grid node in this row
            if row in peaks:                 # a thin excluded sliver between two coupling nodes
                k, x_peak, f_peak = peaks[row]
                out.append({"mass_gev": float(mass), "coupling_min": float(np.exp(x_peak)),
                            "coupling_max": float(np.exp(x_peak)), "open_lower": False, "open_upper": False})
                rows.append(row)
                todo.append((len(out) - 1, "coupling_min", row, logg[k - 1], x_peak, f_row[k - 1], f_peak, float(lim)))
                todo.append((len(out) - 1, "coupling_max", row, x_peak, logg[k + 1], f_peak, f_row[k + 1], float(lim)))
            continue
        lo, hi = interval
        out.append({"mass_gev": float(mass), "coupling_min": lo, "coupling_max": hi,
                    "open_lower": ij[0] == 0, "open_upper": ij[1] == last})
        rows.append(row)
        i, j = ij
        if i > 0:
            todo.append((len(out) - 1, "coupling_min", row, logg[i - 1], logg[i], f_row[i - 1], f_row[i], float(lim)))
        if j < last:
            todo.append((len(out) - 1, "coupling_max", row, logg[j], logg[j + 1], f_row[j], f_row[j + 1], float(lim)))
    if evaluate is not None and todo:
        _refine(out, todo, m_mev, evaluate, iterations)
    closing = (_tips(out, rows, couplings, expected, limits, np.asarray(masses_gev, float), m_mev, evaluate, peaks,
                     limit_at=limit_at) if evaluate is not None and tips else [])
    if evaluate is not None and refine_depth > 0:
        out = _refine_masses(out, rows, couplings, limits, m_mev, evaluate, iterations, refine_depth, refine_tol)
    if closing:
        out = sorted(out + closing, key=lambda r: r["mass_gev"])
    if key is not None:
        _MEMO.setdefault(evaluate, {})[key] = [dict(r) for r in out]
    return out


_MEMO: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
"""Ranges already computed with one ``evaluate`` (kept while it lives), by a hash of all the inputs."""


def _midpoint_error(a: dict, b: dict, mid: dict) -> float:
    """Largest |log| difference of the edges at the log-midpoint mass from the log-log mean of its neighbours.

    A pair whose edges differ by more than a factor 2 counts as unresolved whatever the
    midpoint gives (a kink, e.g. a pole's tail, can cross the chord at the midpoint).
    """
    keys = ("coupling_min", "coupling_max")
    if max(abs(np.log(a[k] / b[k])) for k in keys) > np.log(2.0):
        return np.inf
    return max(abs(np.log(mid[k]) - 0.5 * (np.log(a[k]) + np.log(b[k]))) for k in keys)


def _refine_masses(out, rows, couplings, limits, m_mev, evaluate, iterations, depth, tol) -> list[dict]:
    """``out`` plus ranges at log-midpoint masses where the edges are not linear in log-log (see
    :func:`excluded_ranges`, ``refine_depth``).

    Only pairs of consecutive excluded grid rows (and the masses inserted between them) are
    split, so every added mass lies inside an island of excluded grid masses: the island and
    gap logic that looks masses up on the grid is unchanged.  A midpoint with no exclusion (a
    notch narrower than the grid step) is not added and its pair is not split further.  Pairs
    whose rows have different limits (an observed event's mass window ends between them) are
    not split (the limit between them is not known here).
    """
    entries = [(r["mass_gev"], float(m_mev[row]), float(limits[row]), r) for r, row in zip(out, rows)]
    pairs = [(a, b) for a, b, ra, rb in zip(entries, entries[1:], rows, rows[1:]) if rb == ra + 1 and a[2] == b[2]]
    added: list[dict] = []
    for _ in range(depth):
        if not pairs:
            break
        mid_gev = np.sqrt([a[0] * b[0] for a, b in pairs])
        mid_mev = np.sqrt([a[1] * b[1] for a, b in pairs])
        lim = np.array([a[2] for a, _ in pairs])
        found = _midpoint_ranges([(a[3], b[3]) for a, b in pairs], mid_gev, mid_mev, lim, couplings, evaluate,
                                 min(iterations, 5))     # brackets 5 % wide: 5 Illinois steps reach < 1e-4
        nxt = []
        for (a, b), mg, mm, lm in zip(pairs, mid_gev, mid_mev, lim):
            mid = found.get(float(mg))
            if mid is None or _midpoint_error(a[3], b[3], mid) <= np.log1p(tol):
                continue
            added.append(mid)
            e = (float(mg), float(mm), float(lm), mid)
            nxt += [(a, e), (e, b)]
        pairs = nxt
    return sorted(out + added, key=lambda r: r["mass_gev"])


def _midpoint_ranges(neighbours, mid_gev, mid_mev, lim, couplings, evaluate, iterations) -> dict:
    """Excluded range at each midpoint mass (mass_gev -> range), its edges searched near its neighbours' ones.

    Each edge is bracketed between the smaller and the larger of the neighbours' edges
    (widened by 5 %; an open neighbour edge extends the bracket to the grid boundary) and
    located by :func:`_refine`; a midpoint whose brackets do not hold a sign change (a peak or
    notch between the neighbours) gets its whole coupling row evaluated instead.
    """
    k, g0, g1 = len(neighbours), float(couplings[0]), float(couplings[-1])

    def span(key, flag, boundary):
        vals = np.array([[a[key], b[key]] for a, b in neighbours])
        lo, hi = vals.min(axis=1) / 1.05, vals.max(axis=1) * 1.05
        opened = np.array([a[flag] or b[flag] for a, b in neighbours])
        lo, hi = np.clip(lo, g0, g1), np.clip(hi, g0, g1)
        return (np.where(opened, g0, lo), hi) if boundary == g0 else (lo, np.where(opened, g1, hi))

    l1, l2 = span("coupling_min", "open_lower", g0)
    u1, u2 = span("coupling_max", "open_upper", g1)
    probes = np.concatenate([l1, l2, u1, u2])
    f = (_log_n(evaluate(np.tile(mid_mev, 4), probes)) - np.log(np.tile(lim, 4))).reshape(4, k)
    open_lo, open_hi = (l1 == g0) & (f[0] > 0), (u2 == g1) & (f[3] > 0)
    ok = ((f[0] < 0) | open_lo) & (f[1] > 0) & (f[2] > 0) & ((f[3] < 0) | open_hi) & (l2 < u1)
    out, todo, found = [], [], {}
    for i in np.flatnonzero(ok):
        out.append({"mass_gev": float(mid_gev[i]), "coupling_min": float(l1[i]) if open_lo[i] else float(l2[i]),
                    "coupling_max": float(u2[i]) if open_hi[i] else float(u1[i]),
                    "open_lower": bool(open_lo[i]), "open_upper": bool(open_hi[i])})
        lm = float(lim[i])
        if not open_lo[i]:
            todo.append((len(out) - 1, "coupling_min", i, np.log(l1[i]), np.log(l2[i]), f[0, i], f[1, i], lm))
        if not open_hi[i]:
            todo.append((len(out) - 1, "coupling_max", i, np.log(u1[i]), np.log(u2[i]), f[2, i], f[3, i], lm))
    if todo:
        _refine(out, todo, np.asarray(mid_mev, float), evaluate, iterations)
    found.update({r["mass_gev"]: r for r in out})
    rest = np.flatnonzero(~ok)
    if rest.size:
        n_g = couplings.size
        expected = evaluate(np.repeat(mid_mev[rest], n_g), np.tile(couplings, rest.size)).reshape(rest.size, n_g)
        found.update({r["mass_gev"]: r for r in excluded_ranges(mid_gev[rest], couplings, expected, lim[rest],
                                                                 evaluate, mid_mev[rest], iterations,
                                                                 refine_depth=0, slivers=False, tips=False)})
    return found


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
        return _log_n(evaluate(masses_mev[idx], np.exp(x))) - np.log(limits[idx])

    x, fx = _golden_max(f, a, b, iterations)
    return {int(r): (int(k), float(xx), float(ff)) for r, k, xx, ff in zip(idx, kk, x, fx) if ff > 0}


_TIP_ITERATIONS = 7
"""Regula falsi steps on log m per closing mass: its bracket is one mass step (7 % at 60 log-spaced masses), and
the Illinois steps converge superlinearly on a smooth max_g N(m, g), to < 1e-4 of the mass after ~5 steps."""
_PEAK_NODES = 41
"""Couplings scanned per trial mass around the peak (:func:`_scan_max`, over +-max(2 grid steps, 0.5) in log
g: spacing <= 0.025 and more on a finer coupling grid), then the vertex of a parabola: near its peak log N(g)
is flat, so the maximum is off by < (curvature / 2) x spacing^2 / 4 ~ 1e-3 in log N (curvature ~ 8 for
N ~ g^4 exp(-g^2)), ~1e-4 of the closing mass."""
_PEAK_TOL = 0.02
"""A tip's peak coupling within this (in log g) of the grid's lowest/highest coupling is flagged open."""

_F_CLIP = 2.0
"""|log N - log limit| is clipped to this in the closing-mass search: near a smooth crossing |F| << 1 (no
effect), while at a step of N (a production mode ending, N -> 0 and log N -> -690) the clipped F keeps the
regula falsi from creeping along the bracket, so it converges to the step."""


def _tips(out, rows, couplings, expected, limits, masses_gev, masses_mev, evaluate, peaks,
          iterations: int = _TIP_ITERATIONS, limit_at=None) -> list[dict]:
    """Closing rows of the islands of excluded grid masses (:func:`excluded_ranges`, ``tips``).

    Each excluded grid row next to a non-excluded row with the same limit (with ``limit_at``,
    any limit; never beyond the grid's first or last mass) brackets the mass m* where
    F(m) = max_g log N(m, g) - log(limit(m)) changes sign (limit(m) = ``limit_at(m)``, else the
    excluded row's limit).  m* is located by regula falsi
    on log m (:func:`_illinois`), started from F on the grid (the excluded row's largest
    node, or its sliver peak, and the other row's largest node); at each trial mass the
    inner maximum is a scan with a parabolic vertex (:func:`_scan_max`) over log g within
    max(2 coupling steps, 0.5) of the peak at the previous trial mass (first: the
    excluded row's), clipped to the coupling grid.  Cost: 2 ``iterations`` calls of
    ``evaluate``, each for every tip at once.  Where F steps (a production threshold) the
    regula falsi converges to the step, which is then the crossing.

    Returns
    -------
    list of dict
        One range per tip: ``mass_gev`` = m* (GeV), ``coupling_min`` = ``coupling_max``
        = the peak coupling there, ``open_lower``/``open_upper`` (the peak is the grid's
        lowest/highest coupling), ``tip`` = True, ``tip_side`` (``"high_mass"`` or
        ``"low_mass"``: the side of its island the tip closes).
    """
    pairs = _tip_pairs(rows, limits, any_limit=limit_at is not None)
    if not pairs:
        return []
    ra, rb = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    lim = np.log(limits[ra])
    lim_b = np.log(limits[rb])
    logg = np.log(couplings)
    grid_f = _log_n(expected.max(axis=1))
    fa = np.array([peaks[r][2] if r in peaks else grid_f[r] - lg for r, lg in zip(ra, lim)])
    peak = np.array([peaks[r][1] if r in peaks else logg[int(np.argmax(expected[r]))] for r in ra])
    half = max(2.0 * float(np.mean(np.diff(logg))) if logg.size > 1 else 0.0, 0.5)

    def f_max(x_m):
        m = np.exp(x_m)
        a, b = np.maximum(peak - half, logg[0]), np.minimum(peak + half, logg[-1])
        x, fx = _scan_max(lambda mm, x_g: _log_n(evaluate(mm, np.exp(x_g))), m, a, b)
        peak[:] = x
        lim_m = lim if limit_at is None else np.log(np.asarray(limit_at(m), dtype=float))
        return np.clip(fx - lim_m, -_F_CLIP, _F_CLIP)

    xa, xb = np.log(masses_mev[ra]), np.log(masses_mev[rb])
    x = _illinois(f_max, xa, xb, np.clip(fa, -_F_CLIP, _F_CLIP), np.clip(grid_f[rb] - lim_b, -_F_CLIP, _F_CLIP),
                  iterations)
    frac = (x - xa) / (xb - xa)
    lg = np.log(masses_gev)
    m_gev = np.exp(lg[ra] + frac * (lg[rb] - lg[ra]))
    return [_tip_row(float(m), g, logg, side) for m, g, (_, _, side) in zip(m_gev, peak, pairs)]


def _tip_pairs(rows, limits: np.ndarray, any_limit: bool = False) -> list[tuple[int, int, str]]:
    """(excluded row, its non-excluded neighbour, ``tip_side``) for every island end inside the mass grid whose
    two rows share the limit, or whatever their limits with ``any_limit`` (:func:`_tips`); ``limits`` has one
    entry per grid mass."""
    excluded = set(rows)
    return [(row, other, side) for row in rows for other, side in ((row + 1, "high_mass"), (row - 1, "low_mass"))
            if 0 <= other < len(limits) and other not in excluded and (any_limit or limits[other] == limits[row])]


def _tip_row(mass_gev: float, log_g: float, logg: np.ndarray, side: str) -> dict:
    """The closing range at ``mass_gev`` (GeV) with coupling_min = coupling_max = exp(``log_g``), its edges open
    when that peak coupling is within :data:`_PEAK_TOL` of the grid's (``logg``: log couplings) first or last."""
    g = float(np.exp(log_g))
    return {"mass_gev": mass_gev, "coupling_min": g, "coupling_max": g,
            "open_lower": bool(log_g - logg[0] < _PEAK_TOL), "open_upper": bool(logg[-1] - log_g < _PEAK_TOL),
            "tip": True, "tip_side": side}


def _scan_max(f, masses, a, b, n: int = _PEAK_NODES) -> tuple[np.ndarray, np.ndarray]:
    """Maxima over x in [a, b] of ``f(masses, x)`` for each mass, in two calls of ``f``.

    ``n`` evenly spaced x per mass in one call, then one call at the vertex of the parabola through
    the best node and its neighbours (kept where it is higher).  ``f`` takes flat (masses, x) arrays.
    """
    t = np.linspace(0.0, 1.0, n)
    x = a[:, None] + (b - a)[:, None] * t[None, :]
    fx = f(np.repeat(masses, n), x.ravel()).reshape(x.shape)
    j = np.clip(np.argmax(fx, axis=1), 1, n - 2)
    rows = np.arange(x.shape[0])
    f0, f1, f2 = fx[rows, j - 1], fx[rows, j], fx[rows, j + 1]
    h = x[:, 1] - x[:, 0]
    curv = f0 - 2.0 * f1 + f2
    shift = np.where(curv < 0, 0.5 * h * (f0 - f2) / np.where(curv < 0, curv, -1.0), 0.0)
    xv = x[rows, j] + np.clip(shift, -h, h)
    fv = f(masses, xv)
    best = np.argmax(fx, axis=1)
    xb, fb = x[rows, best], fx[rows, best]
    return np.where(fv > fb, xv, xb), np.maximum(fv, fb)


def _golden_max(f, a, b, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    """Maxima (x, f(x)) of unimodal functions on the brackets [a, b], all at once (golden-section search).

    ``f(x)`` takes and returns arrays shaped like ``a``; one call per iteration after the
    first two (Kiefer, Proc. AMS 4 (1953) 502): the bracket shrinks by 0.618 per call.
    """
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
    return np.where(fc > fd, c, d), np.maximum(fc, fd)


def _illinois(f, xa, xb, fa, fb, iterations: int) -> np.ndarray:
    """Roots of ``f`` (vectorised) inside brackets [xa, xb] with f(xa), f(xb) of opposite signs.

    Illinois regula falsi: the bracket always holds the sign change; when the same end is
    kept twice in a row its f is halved (Dowell and Jarratt, BIT 11 (1971) 168), which gives
    superlinear convergence on smooth roots and still converges to a step (a jump of f).
    Returns the regula falsi point of the final bracket.
    """
    kept = np.zeros(np.shape(xa), dtype=int)             # +1: a kept last time, -1: b kept last time
    for _ in range(iterations):
        x = np.clip((xa * fb - xb * fa) / np.where(fb != fa, fb - fa, 1.0), np.minimum(xa, xb), np.maximum(xa, xb))
        fx = f(x)
        new_a = np.sign(fx) == np.sign(fa)               # x replaces a; b is kept
        fb = np.where(new_a & (kept == -1), 0.5 * fb, fb)
        fa = np.where(~new_a & (kept == 1), 0.5 * fa, fa)
        xa, fa = np.where(new_a, x, xa), np.where(new_a, fx, fa)
        xb, fb = np.where(new_a, xb, x), np.where(new_a, fb, fx)
        kept = np.where(new_a, -1, 1)
    return (xa * fb - xb * fa) / np.where(fb != fa, fb - fa, 1.0)


def _refine(out, todo, masses_mev, evaluate, iterations) -> None:
    """Regula falsi (:func:`_illinois`) on f = log N - log limit in x = log g, all edges at once.

    Each ``todo`` entry holds its bracket (x_a, x_b) with (f_a, f_b) of opposite signs.
    """
    idx = np.array([t[2] for t in todo])
    xa, xb = np.array([t[3] for t in todo]), np.array([t[4] for t in todo])
    fa, fb = np.array([t[5] for t in todo]), np.array([t[6] for t in todo])
    lim = np.log(np.array([t[7] for t in todo]))

    def f(x):
        return _log_n(evaluate(masses_mev[idx], np.exp(x))) - lim

    x = _illinois(f, xa, xb, fa, fb, iterations)
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


def split_islands(ranges: list[dict], masses_gev) -> list[list[dict]]:
    """``ranges`` (sorted by mass) split into islands of consecutive excluded grid masses.

    A range belongs to the grid mass nearest to it (refinement midpoints lie between
    two excluded grid masses); a closing row (``tip``) to the grid mass of the range it
    closes (the one before it for ``tip_side`` ``"high_mass"``, after it for
    ``"low_mass"``), so two islands one non-excluded grid mass apart stay two.  A new
    island starts after every skipped grid mass.

    Parameters
    ----------
    ranges : list of dict
        :func:`excluded_ranges` records (``mass_gev`` in GeV).
    masses_gev : array_like
        The mass grid (GeV) they were computed on.
    """
    if not ranges:
        return []
    grid = np.asarray(masses_gev, dtype=float)
    pos = np.array([int(np.argmin(np.abs(grid - r["mass_gev"]))) for r in ranges])
    for i, r in enumerate(ranges):
        j = i - 1 if r.get("tip_side") == "high_mass" else i + 1
        if r.get("tip") and 0 <= j < len(ranges) and not ranges[j].get("tip"):
            pos[i] = pos[j]
    cuts = np.flatnonzero(np.diff(pos) > 1) + 1
    return [list(chunk) for chunk in np.split(np.array(ranges, dtype=object), cuts)]


def mass_intervals(ranges: list[dict], masses_gev) -> list[tuple[float, float]]:
    """(lowest, highest) mass (GeV) of each island of :func:`split_islands`: where each excluded region
    starts and closes (at its tips when the ranges have them, else at its first and last excluded grid mass)."""
    return [(float(c[0]["mass_gev"]), float(c[-1]["mass_gev"])) for c in split_islands(ranges, masses_gev)]
