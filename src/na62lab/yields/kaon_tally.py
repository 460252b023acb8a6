"""Tallies of simulated kaon-mode events and what they give: acceptances, SES, backgrounds.

A :class:`KaonTally` holds, per mode, region and momentum category, the sums
of event weights at each selection stage; tallies of chunks add up (in chunk
order, so the result does not depend on the number of workers).  From it:

- A_pinunu = sum over selected K+ -> pi+ nu nubar events in R1 + R2 of
  w_decay w_pid w_veto / decays generated; A_pipi likewise for K+ -> pi+ pi0
  in the normalisation region without the photon/multiplicity veto;
- N_K = N_pipi D / (BR(pi+ pi0) A_pipi) with the simulated A_pipi and the
  card's N_pipi D, SES = 1 / (N_K A_pinunu eps_trig eps_RV), N_exp = BR / SES
  (NA62, JHEP 02 (2025) 191, Eqs. 1-2): efficiencies common to signal and
  normalisation cancel, as in the measurement;
- background of mode m in region R:
  N_K BR_m eps_trig eps_RV sum_(events in R) w_decay w_pid w_veto / N_generated(m),
  the kinematic selection (resolution tails) and the simulated rejection
  (PID, including the region-dependent RICH m_miss^2 window, and vetoes)
  taken together event by event.  NA62 factorises the two (tails measured
  without PID on data); here the PID depends on the region through the RICH
  constraint, so the direct sum is the consistent estimate.
  The upstream background is the card's data-driven value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import curve_fit

from na62lab.config.kaon import SM_MODES, KaonCard, common_efficiency, pion_interaction_survival
from na62lab.generation.kaon.branching import k_plus_br
from na62lab.selection.regions import PIPI, R1, R2, region_names

from na62lab.selection.kaon_cuts import FLAG_ACCEPTANCE, FLAG_BEAM, FLAG_MOMENTUM, FLAG_QUALITY, FLAG_VERTEX
from na62lab.yields.kaon_sim import KINEMATIC as _KIN
HIST_RANGE_GEV2 = (0.008, 0.028)
HIST_BINS = 1000

FLOW_MODES = ("pinunu", "pipi0")
"""Modes of the cut-flow (the acceptances A_pinunu and A_pipi)."""
FLOW_STAGES = ("one positive track through the 4 STRAW chambers", "downstream acceptance (RICH ... MUV3)",
               "pi+ momentum range", "track quality (chi2)", "GTK match, CDA, vertex in the fiducial volume",
               "m_miss^2 (nominal beam) window", "region (R1+R2 signal, pi+ pi0 normalisation)",
               "x pi+ decay, pi+ interactions, common cuts (w_decay)", "x particle identification (w_pid)",
               "x photon and multiplicity vetoes (w_veto)")
"""Stages of the cut-flow, cumulative: counts of decays up to the region, then the per-event weights (the
acceptance is the 'x particle identification' stage for A_pipi and the last stage for A_pinunu)."""
_FLOW_BITS = (FLAG_ACCEPTANCE, FLAG_MOMENTUM, FLAG_QUALITY, FLAG_VERTEX, FLAG_BEAM)


@dataclass
class KaonTally:
    """Sums of weights per [mode, region, momentum bin]; ``n_generated`` per mode."""

    n_generated: np.ndarray
    kin: np.ndarray
    kin_n: np.ndarray
    pid: np.ndarray
    full: np.ndarray
    full_sq: np.ndarray
    hist_pipi: np.ndarray = field(default_factory=lambda: np.zeros(HIST_BINS, np.int64))
    flow: np.ndarray = field(default_factory=lambda: np.zeros((len(FLOW_MODES), len(FLOW_STAGES))))

    @classmethod
    def zeros(cls, n_regions: int, n_bins: int) -> "KaonTally":
        """An empty tally for ``n_regions`` regions of ``n_bins`` bins each."""
        shape = (len(SM_MODES), n_regions, n_bins)
        return cls(np.zeros(len(SM_MODES), np.int64), np.zeros(shape), np.zeros(shape, np.int64),
                   np.zeros(shape), np.zeros(shape), np.zeros(shape))

    def __add__(self, other: "KaonTally") -> "KaonTally":
        return KaonTally(*(getattr(self, f) + getattr(other, f) for f in
                           ("n_generated", "kin", "kin_n", "pid", "full", "full_sq", "hist_pipi", "flow")))


def tally_columns(columns: dict, n_generated: dict, card: KaonCard) -> KaonTally:
    """Tally the stored columns of one chunk (see :mod:`na62lab.yields.kaon_sim`)."""
    n_regions = len(region_names(card.selection))
    n_bins = len(card.selection.momentum_bins_gev) - 1
    t = KaonTally.zeros(n_regions, n_bins)
    for name, k in n_generated.items():
        t.n_generated[SM_MODES.index(name)] = k
    kin = np.flatnonzero(((np.asarray(columns["flags"]) & _KIN) == _KIN) & (np.asarray(columns["pbin"]) >= 0))
    mode = np.asarray(columns["mode"])[kin].astype(np.int64)
    reg = np.asarray(columns["region"])[kin].astype(np.int64)
    pb = np.asarray(columns["pbin"])[kin].astype(np.int64)
    w_dec = np.asarray(columns["w_decay"])[kin].astype(float)
    w_pid = w_dec * np.asarray(columns["w_pid"])[kin]
    w_full = w_pid * np.asarray(columns["w_veto"])[kin]
    flat = np.ravel_multi_index((mode, reg, pb), t.kin.shape)
    size = t.kin.size
    t.kin += np.bincount(flat, w_dec, size).reshape(t.kin.shape)
    t.kin_n += np.bincount(flat, None, size).astype(np.int64).reshape(t.kin.shape)
    t.pid += np.bincount(flat, w_pid, size).reshape(t.kin.shape)
    t.full += np.bincount(flat, w_full, size).reshape(t.kin.shape)
    t.full_sq += _sum_sq(flat, w_full, columns, kin, size).reshape(t.kin.shape)
    pipi = mode == SM_MODES.index("pipi0")
    x = np.asarray(columns["mmiss2_gev2"])[kin[pipi]].astype(float)
    t.hist_pipi += np.histogram(x, HIST_BINS, HIST_RANGE_GEV2)[0]
    t.flow += cut_flow(columns)
    return t


def cut_flow(columns: dict) -> np.ndarray:
    """Sums of the cut-flow stages (:data:`FLOW_STAGES`) of the :data:`FLOW_MODES` rows of one chunk, shape
    (modes, stages): decays passing each cumulative stage, then the sums of w_decay, x w_pid, x w_veto over the
    decays in the region (divide by the decays generated for the fractions)."""
    out = np.zeros((len(FLOW_MODES), len(FLOW_STAGES)))
    mode, flags = np.asarray(columns["mode"]), np.asarray(columns["flags"])
    for k, name in enumerate(FLOW_MODES):
        rows = np.flatnonzero(mode == SM_MODES.index(name))
        f = flags[rows]
        cum = np.ones(rows.size, bool)
        out[k, 0] = rows.size
        for stage, bit in enumerate(_FLOW_BITS, 1):
            cum &= (f & bit) != 0
            out[k, stage] = cum.sum()
        regions = (R1, R2) if name == "pinunu" else (PIPI,)
        cum &= np.isin(np.asarray(columns["region"])[rows], regions) & (np.asarray(columns["pbin"])[rows] >= 0)
        out[k, 6] = cum.sum()
        w = np.asarray(columns["w_decay"])[rows[cum]].astype(float)
        out[k, 7] = w.sum()
        w = w * np.asarray(columns["w_pid"])[rows[cum]]
        out[k, 8] = w.sum()
        out[k, 9] = (w * np.asarray(columns["w_veto"])[rows[cum]]).sum()
    return out


def cut_flow_table(t: KaonTally) -> dict:
    """The cut-flow as fractions of the decays generated: {mode: [(stage, fraction), ...]}."""
    out = {}
    for k, name in enumerate(FLOW_MODES):
        n = max(int(t.n_generated[SM_MODES.index(name)]), 1)
        out[name] = [{"stage": stage, "fraction": float(v / n)} for stage, v in zip(FLOW_STAGES, t.flow[k])]
    return out


def _sum_sq(flat: np.ndarray, w: np.ndarray, columns: dict, kin: np.ndarray, size: int) -> np.ndarray:
    """Per bin, the sum over decays of the squared summed weight of their rows (copies of a split decay share its
    ``decay`` index and are correlated: their weights add before squaring, so the statistical error and the Kish
    n_eff count decays, not copies); row by row for columns without ``decay`` (older chunk files)."""
    if "decay" not in columns or flat.size == 0:
        return np.bincount(flat, w * w, size)
    dec = np.asarray(columns["decay"])[kin].astype(np.int64)
    stride = int(dec.max()) + 1
    keys, inv = np.unique(flat * stride + dec, return_inverse=True)
    group = np.bincount(inv.ravel(), w)
    return np.bincount(keys // stride, group * group, size)


def _gauss(x, a, mu, sigma, c):
    return a * np.exp(-0.5 * ((x - mu) / sigma) ** 2) + c


def fit_peak(hist: np.ndarray, lo: float = HIST_RANGE_GEV2[0], hi: float = HIST_RANGE_GEV2[1]) -> dict:
    """Gaussian-core fit of the K+ -> pi+ pi0 m_miss^2 peak (GeV^2/c^4).

    Iterated least-squares fit of a Gaussian plus constant within +-2 sigma
    of the peak (Poisson errors), so that the non-Gaussian tails do not
    inflate the width.  Returns mean, sigma and their fit errors, or NaNs
    with fewer than 50 entries.
    """
    edges = np.linspace(lo, hi, hist.size + 1)
    x = 0.5 * (edges[1:] + edges[:-1])
    y = hist.astype(float)
    if y.sum() < 50:
        return {"mean": float("nan"), "sigma": float("nan"), "sigma_error": float("nan"), "entries": int(y.sum())}
    cdf = np.cumsum(y) / y.sum()
    mu = float(np.interp(0.5, cdf, x))
    sigma = float(np.interp(0.75, cdf, x) - np.interp(0.25, cdf, x)) / 1.349
    sigma_error = float("nan")
    for _ in range(3):
        sel = np.abs(x - mu) < 2.0 * sigma
        p0 = (y[sel].max(), mu, sigma, 0.0)
        popt, pcov = curve_fit(_gauss, x[sel], y[sel], p0=p0, sigma=np.sqrt(np.maximum(y[sel], 1.0)),
                               absolute_sigma=True, maxfev=5000)
        mu, sigma, sigma_error = float(popt[1]), abs(float(popt[2])), float(np.sqrt(pcov[2, 2]))
    return {"mean": mu, "sigma": sigma, "sigma_error": sigma_error, "entries": int(y.sum())}


def _br_array() -> np.ndarray:
    return np.array([k_plus_br(mm) for mm in SM_MODES])


def acceptances(t: KaonTally) -> dict:
    """A_pinunu (R1, R2, total, per momentum bin) and A_pipi with statistical errors (dimensionless)."""
    i_s, i_n = SM_MODES.index("pinunu"), SM_MODES.index("pipi0")
    n_s, n_n = max(t.n_generated[i_s], 1), max(t.n_generated[i_n], 1)
    sig = t.full[i_s, [R1, R2]]
    a_r = sig.sum(axis=1) / n_s
    total = sig.sum() / n_s
    err = np.sqrt(t.full_sq[i_s, [R1, R2]].sum()) / n_s
    a_pipi = t.pid[i_n, PIPI].sum() / n_n
    return {"acceptance_pinunu": float(total), "acceptance_pinunu_err": float(err),
            "acceptance_pinunu_r1": float(a_r[0]), "acceptance_pinunu_r2": float(a_r[1]),
            "acceptance_pinunu_by_pbin": (sig.sum(axis=0) / n_s).tolist(),
            "acceptance_pipi": float(a_pipi),
            "acceptance_pipi_err": float(np.sqrt(a_pipi * (1 - a_pipi) / n_n))}


def kaon_decays(t: KaonTally, card: KaonCard) -> float:
    """N_K = N_pipi D / (BR(pi+ pi0) A_pipi) with the simulated A_pipi (K+ decays in the fiducial volume)."""
    a_pipi = acceptances(t)["acceptance_pipi"]
    if a_pipi <= 0:
        return float("nan")
    return card.normalisation.n_pipi_downscaled / (k_plus_br("pipi0") * a_pipi)


STATISTICS_LIMITED = 10.0
"""Background rows with fewer Kish effective events than this are flagged statistics-limited: the estimate rests
on a few heavy events, so its statistical error is itself unreliable (Kish, Survey Sampling (1965), Sec. 11.7)."""


def effective_events(sum_w: float, sum_w2: float) -> float:
    """Kish effective sample size (Sum w)^2 / Sum w^2 of weighted events (0 without events).

    Examples
    --------
    >>> effective_events(4.0, 4.0), effective_events(4.0, 16.0)
    (4.0, 1.0)
    """
    return float(sum_w * sum_w / sum_w2) if sum_w2 > 0 else 0.0


def backgrounds(t: KaonTally, card: KaonCard, n_k: float | None = None) -> dict:
    """Expected background events per mode and signal region (see module doc).

    ``n_k`` defaults to :func:`kaon_decays`.  Per region: the events, their
    statistical error (from the sum of squared weights), the number of
    kinematically selected simulated events behind them, the mean
    PID x veto pass probability of those events (the simulated rejection),
    and the effective number of events (Sum w)^2 / Sum w^2 (Kish): when it
    is small the estimate rests on a few heavy events and its statistical
    error is itself uncertain: ``statistics_limited`` is True below
    :data:`STATISTICS_LIMITED` (including no event at all).  Keys per mode
    (README "Conventions", docs/api.md): ``r1``, ``r2``, ``total`` and
    ``stat_err`` in events, ``kinematic_events``, ``effective_events``,
    ``statistics_limited``, ``rejection``; ``upstream``: ``total``,
    ``total_err_up``, ``total_err_down`` (card input); older records:
    :func:`na62lab.results.kaon_record.current_keys`.
    """
    norm = card.normalisation
    n_k = kaon_decays(t, card) if n_k is None else n_k
    scale = n_k * norm.trigger_efficiency * norm.random_veto_efficiency
    brs = _br_array()
    out: dict[str, dict] = {}
    for i, mode in enumerate(SM_MODES):
        if mode == "pinunu" or t.n_generated[i] == 0:
            continue
        unit = scale * brs[i] / t.n_generated[i]
        per_region = {}
        for code, name in ((R1, "r1"), (R2, "r2")):
            per_region[name] = float(unit * t.full[i, code].sum())
        per_region["total"] = per_region["r1"] + per_region["r2"]
        per_region["stat_err"] = float(unit * np.sqrt(t.full_sq[i, [R1, R2]].sum()))
        per_region["kinematic_events"] = int(t.kin_n[i, [R1, R2]].sum())
        per_region["effective_events"] = effective_events(t.full[i, [R1, R2]].sum(), t.full_sq[i, [R1, R2]].sum())
        per_region["statistics_limited"] = bool(per_region["effective_events"] < STATISTICS_LIMITED)
        kin = t.kin[i, [R1, R2]].sum()
        per_region["rejection"] = float(t.full[i, [R1, R2]].sum() / kin) if kin > 0 else float("nan")
        out[mode] = per_region
    out["upstream"] = {"total": norm.upstream_background, "total_err_up": norm.upstream_background_up,
                       "total_err_down": norm.upstream_background_down, "note": "data-driven input, not simulated"}
    out["total"] = {"total": float(sum(v["total"] for v in out.values()))}
    return out


def common_cuts_inputs(card: KaonCard) -> dict:
    """The non-simulated common-cut efficiencies and the pi+ interaction survival applied to every event (card
    ``common_cuts``), for printing with the results."""
    c = card.common_cuts
    return {"ktag_efficiency": c.ktag_efficiency, "upstream_cuts_efficiency": c.upstream_cuts_efficiency,
            "product": common_efficiency(c), "pion_interaction_survival": pion_interaction_survival(c)}


def summary(t: KaonTally, card: KaonCard) -> dict:
    """JSON-able summary: acceptances, SES, expected SM signal, m_miss^2 resolution, backgrounds."""
    norm = card.normalisation
    acc = acceptances(t)
    a = acc["acceptance_pinunu"]
    n_k = kaon_decays(t, card)
    eff = norm.trigger_efficiency * norm.random_veto_efficiency
    ses = 1.0 / (n_k * a * eff) if a > 0 else float("inf")
    peak = fit_peak(t.hist_pipi)
    return {
        **acc, "n_k": n_k, "ses": ses, "expected_signal_sm": norm.br_pinunu / ses,
        "ses_with_published_n_k": 1.0 / (norm.n_k * a * eff) if a > 0 else float("inf"),
        "mmiss2_resolution_pipi_gev2": peak["sigma"], "mmiss2_resolution_pipi_err_gev2": peak["sigma_error"],
        "mmiss2_peak_pipi_gev2": peak["mean"], "backgrounds": backgrounds(t, card, n_k),
        "decays_generated": {m: int(k) for m, k in zip(SM_MODES, t.n_generated)},
        "decays": int(t.n_generated.sum()),
        "cutflow": cut_flow_table(t),
        "inputs": {"n_k_published": norm.n_k, "n_pipi_downscaled": norm.n_pipi_downscaled,
                   "trigger_efficiency": norm.trigger_efficiency,
                   "random_veto_efficiency": norm.random_veto_efficiency, "br_pinunu": norm.br_pinunu,
                   "common_cuts": common_cuts_inputs(card)},
    }
