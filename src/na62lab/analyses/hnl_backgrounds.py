"""Simulated backgrounds of the K+ -> l+ N peak searches (kaon fast simulation) and the N_K diagnostic.

The kaon fast simulation (:mod:`na62lab.yields.kaon_chain`, card ``na62_kaon_2021_22``: 75 GeV/c beam with
accidental beam particles, K+ decays in 105-170 m, STRAW track with multiple-scattering tails, LKr/MUV3
apertures, GTK association by time and CDA, photon-veto inefficiency tables of LAV/LKr/IRC/SAC) runs the
Standard-Model modes that feed a single-lepton missing-mass spectrum,

    m_miss = sqrt((P_K - P_l)^2),  P_K = the GTK track chosen by the association (possibly an accidental one),

with the lepton mass given to the STRAW track.  Each decay carries its photon-veto weight (probability that
every photon escapes detection, from the card's inefficiency tables) and its resampling weight.  Per mode the
result is a histogram of the expected fraction of decays (per decay of that mode in 105-170 m) with the lepton
inside the STRAW/LKr acceptance and the card's momentum window, binned in m_miss (MeV).  Events of the search
= N_K x (card's flat efficiency of the stages not simulated) x BR(mode) x fraction; the signal is normalised
the same way (card resolution source ``kaon_sim``).

Modelled (``COMPONENTS``):

* K+ -> mu+ nu (PDG BR): resolution tails, i.e. STRAW scattering tails and GTK mis-association with an
  accidental beam track (the mis-association dominates above ~100 MeV);
* K+ -> pi0 mu+ nu and K+ -> pi0 e+ nu (K_l3 with NA48/2 form factors): the pi0 missed by the photon vetoes
  (simulated weights; the card's inefficiency tables are order-of-magnitude values);
* K+ -> e+ nu (BR 1.582e-5, PDG; generated as K+ -> e+ N with m_N = 0): resolution tails.

Not modelled (printed with the cards): K+ -> l+ nu gamma (radiative; not in the generator), beam pi+ -> l+ nu
decays with an accidental KTAG kaon (no pi+ beam decays in the K+ chain), beam-halo muons, pi+ -> mu+
decays in flight and mis-identification of K+ -> pi+ pi0 pions, mu+ -> e+ decays inside the chain (the
K+ -> mu+ nu, mu+ -> e+ component of hnl-e stays the toy Monte Carlo of :mod:`na62lab.analyses.hnl`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV

BR_KE2 = 1.582e-5
"""BR(K+ -> e+ nu), PDG 2024 (PRD 110 (2024) 030001), K+ listing."""
COMPONENTS = {
    "hnl-mu": (("munu", "mu+", "K+ -> mu+ nu: tails (simulated)"),
               ("pi0munu", "mu+", "K+ -> pi0 mu+ nu, pi0 missed (simulated vetoes)")),
    "hnl-e": (("pi0enu", "e+", "K+ -> pi0 e+ nu, pi0 missed (simulated vetoes)"),
              ("e_N", "e+", "K+ -> e+ nu: tails (simulated)")),
}
"""Simulated components per search: (chain mode, lepton, component name)."""
DECAYS = 2_000_000
"""Decays simulated per mode for the cards (a few seconds each)."""
SEED = 62
HIST_STEP_MEV = 10.0
"""Width of the stored m_miss histogram bins (MeV); the resolution is 1-2 MeV, the spectra vary over tens."""


def _mode_br(mode: str) -> float:
    from na62lab.generation.kaon.branching import K_PLUS_BR

    return BR_KE2 if mode == "e_N" else K_PLUS_BR[mode].value


def lepton_mmiss(mode: str, lepton: str, n: int, seed: int, window_gev) -> tuple[np.ndarray, np.ndarray]:
    """m_miss (MeV) and weights of the accepted single-lepton tracks of ``n`` simulated K+ decays of ``mode``.

    Accepted: a STRAW track inside the LKr aperture with momentum in ``window_gev`` (GeV/c) and a GTK
    association (m_miss^2 finite).  Weight = photon-veto weight x survival/tail weight x resampling weight
    (dimensionless; their sum over decays / n is the probability per decay).
    """
    from na62lab.detector.params import detector_params, veto_tables
    from na62lab.yields.kaon_chain import kaon_card, match_tracks, simulate_decays

    card = kaon_card(None)
    params, tables = detector_params(card), veto_tables(card)
    rng = np.random.default_rng(seed)
    options: dict[str, Any] = {"m_n": 0.0} if mode == "e_N" else {}
    s = simulate_decays(card, mode, n, rng, params, tables, **options)
    r = s.response
    assert r is not None   # simulated with detect=True
    with np.errstate(invalid="ignore"):
        ok = r.has_track & r.in_lkr & (r.p >= window_gev[0] * GeV) & (r.p <= window_gev[1] * GeV)
    j = np.flatnonzero(ok)
    match = match_tracks(s, j, rng, mass_hypothesis=pdg_mass(lepton))
    w = r.w_veto[j] * r.w_decay[j] * (1.0 if s.w_split is None else s.w_split[j])
    good = np.isfinite(match.mmiss2) & np.isfinite(w)
    return np.sqrt(np.clip(match.mmiss2[good], 0.0, None)), w[good]


def simulated_fractions(name: str, region_mev, window_gev, n: int = DECAYS, seed: int = SEED,
                        step_mev: float = HIST_STEP_MEV) -> dict[str, dict]:
    """Per component of search ``name``: histogram of the accepted fraction per K+ decay of the mode.

    Level: the weighted sum over accepted tracks in the region / n.  Shape: the m_miss distribution of the
    accepted tracks without the veto weights (with n_eff ~ 50 the weighted histogram is a few spikes; the
    dependence of the veto weight on m_miss is not resolved; APPROXIMATE).

    Returns
    -------
    dict
        component name -> {"mode", "br", "edges" (MeV), "fraction" (per bin, per decay of the mode),
        "n_eff" (Kish effective number of simulated events in the region)}.
    """
    lo, hi = region_mev
    edges = np.arange(lo, hi + 0.5 * step_mev, step_mev)
    edges[-1] = hi
    out = {}
    for k, (mode, lepton, label) in enumerate(COMPONENTS[name]):
        m, w = lepton_mmiss(mode, lepton, n, seed + k, window_gev)
        sel = (m >= lo) & (m <= hi)
        level = float(w[sel].sum()) / n
        counts = np.histogram(m, edges)[0].astype(float)
        shape = counts / counts.sum() if counts.sum() > 0 else counts
        n_eff = float(w[sel].sum() ** 2 / np.sum(w[sel] ** 2)) if np.any(w[sel] > 0) else 0.0
        out[label] = {"mode": mode, "br": _mode_br(mode), "edges": edges, "fraction": level * shape,
                      "n_eff": n_eff, "n_tracks": int(sel.sum())}
    return out


def simulated_backgrounds(card, name: str, n: int = DECAYS, seed: int = SEED) -> dict[str, dict]:
    """Expected events of the simulated components of ``card`` (search ``name``), histogrammed in m_miss (MeV).

    Events = N_K x flat efficiency x BR x simulated fraction (module docstring).
    """
    region = (min(r[0] for r in card.signal_regions), max(r[1] for r in card.signal_regions))
    acc = card.normalisation.acceptance
    flat = float(acc) if isinstance(acc, (int, float)) else float(np.mean([a for _, a in acc]))
    norm = card.normalisation.n_parent * flat * card.normalisation.efficiency
    out = {}
    for label, f in simulated_fractions(name, region, card.daughter_momentum_gev, n, seed).items():
        events = norm * f["br"] * f["fraction"]
        out[label] = {**f, "events": float(events.sum()), "histogram": events}
    return out


LARGE_COUNT = 2000.0
"""Above this many background events the median expected CLs limit uses its Gaussian form (module function)."""


def median_limit(b: np.ndarray, db: np.ndarray, cl: float) -> np.ndarray:
    """Median expected CLs upper limit on signal events for background b +- db (events).

    Exact (:func:`na62lab.analyses.kaon_searches_common.engine.expected_bands`) up to ``LARGE_COUNT``; above,
    the Gaussian limit of CLs at the median count n = b (CL_b = 1/2): s = z sqrt(b + s + db^2), z the
    (1 - (1 - cl)/2) normal quantile (z = 1.645 for 90 % CL), i.e. s = (z^2 + sqrt(z^4 + 4 z^2 (b + db^2))) / 2.
    """
    from scipy import special

    from na62lab.analyses.kaon_searches_common.engine import expected_bands

    b, db = np.asarray(b, dtype=float), np.asarray(db, dtype=float)
    z = -special.ndtri((1.0 - cl) / 2.0)
    out = (z * z + np.sqrt(z**4 + 4 * z * z * (b + db * db))) / 2.0
    small = b <= LARGE_COUNT
    if small.any():
        out[small] = expected_bands(b[small], db[small], cl)["median"]
    return out


def implied_exposure(result, published: dict[float, float], grid=None, window_sigma: float = 1.5,
                     cl: float = 0.9) -> dict[float, float]:
    """DIAGNOSTIC: factor k on N_K (signal and every background scale with it) at which our median expected
    limit equals the published |U|^2 limit at each published mass (MeV); NaN outside the grid.

    The expected limit at exposure k is median_UL(k b, sqrt(k) db) / (k s eps) with the window background b,
    its error db (the cards' sqrt(events) errors are the statistical errors of a background measured from the
    data, so they grow as sqrt(k)), the window signal fraction eps and the signal per unit BR s of ``result``
    (:func:`median_limit`).
    """
    from na62lab.stats.peakscan import window_indices, window_sums

    grid = np.logspace(-2, 5, 57) if grid is None else np.asarray(grid, dtype=float)
    spec = result.spectrum
    lo, hi = window_indices(spec.edges, result.masses, window_sigma * result.sigma)   # mass_mev: peak = mass
    db = window_sums(spec.background_error, lo, hi)
    out = {}
    k_u2 = result.extras["u2"]["br_per_u2"]
    for m_pub, u2_pub in published.items():
        i = int(np.argmin(np.abs(result.masses - m_pub)))
        med = median_limit(grid * result.scan.background[i], np.sqrt(grid) * db[i], cl)
        u2 = med / (grid * result.signal_per_br[i] * result.window_efficiency[i]) / k_u2[i]
        ratio = np.log(u2 / u2_pub)
        cross = np.flatnonzero(np.diff(np.sign(ratio)) != 0)
        if cross.size == 0:
            out[m_pub] = float("nan")
            continue
        a = cross[0]
        t = ratio[a] / (ratio[a] - ratio[a + 1])
        out[m_pub] = float(np.exp(np.log(grid[a]) + t * (np.log(grid[a + 1]) - np.log(grid[a]))))
    return out
