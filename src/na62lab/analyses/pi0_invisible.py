"""pi0 -> invisible from pi0 tagged by K+ -> pi+ pi0, and its reading as K+ -> pi+ X.

Counting search (NA62, JHEP 02 (2021) 201): N_pi0 tagged pi0 (the pi+ of
K+ -> pi+ pi0 in the pi+ pi0 m_miss^2 region), n events with no photon
in the vetoes, b expected from pi0 -> gamma gamma with both photons missed.

* BR(pi0 -> invisible) < s_up / (N_pi0 eps), s_up the exact CLs limit on the
  signal events with the background marginalised (log-normal, asymmetric);
  expected +-1/2 sigma bands from the background-only count quantiles.
* Projection of b: K+ -> pi+ pi0, pi0 -> gamma gamma from the kaon fast
  simulation (the chain :mod:`na62lab.yields.kaon_chain` of ``na62lab simulate
  kaon`` with the kaon card named by ``resolution.kaon_card``, and the
  photon-veto response of :mod:`na62lab.detector.vetoes`): b =
  N_pi0 < P_miss(gamma1) P_miss(gamma2) > over tagged decays, averaged over
  the pi0 decay orientations of each event (:mod:`na62lab.variance.pi0_orientation`;
  Dalitz decays, 1.2 %, have charged particles and are not counted).
* K+ -> pi+ X for 110-155 MeV/c^2 (X invisible): the same events constrain a
  peak at m_X^2 inside the tag region,
  BR(K -> pi X) < BR_up(pi0 -> inv) BR(K+ -> pi+ pi0) A_pipi / A_X(m_X),
  A = momentum-window acceptance x fraction of the m_miss^2 peak in the tag
  region (resolution model of :mod:`.kaon_searches_common.resolution`);
  X must escape the detector (lifetime factor with ``lifetime_ns``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import special

from na62lab.analyses.kaon_searches_common import lifetime as lt
from na62lab.analyses.kaon_searches_common.resolution import card_resolution, mass_nodes
from na62lab.analyses.kaon_searches_common.summary import LimitCurve, SearchSummary
from na62lab.config.base import load_card
from na62lab.config.searches import Pi0InvisibleCard
from na62lab.errors import InputError
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV
from na62lab.stats.limits import expected_limit_bands, upper_limit

CARD = "na62_search_pi0_invisible"
M_PI0 = pdg_mass("pi0")


def load(card: str | Path | None = None) -> Pi0InvisibleCard:
    """The search card (default: the shipped one)."""
    return load_card(card or CARD, Pi0InvisibleCard)


@dataclass
class Pi0InvisibleResult:
    """BR(pi0 -> invisible) limit and the K+ -> pi+ X reading (masses in MeV)."""

    observed_limit: float
    expected: dict
    signal_events_limit: float
    x_masses: np.ndarray
    x_observed_limit: np.ndarray
    x_expected: dict
    lifetime_ns: float | None
    card: Pi0InvisibleCard
    x_p_quantiles: np.ndarray

    def summary(self) -> SearchSummary:
        """The typed summary: BR(pi0 -> invisible) limit at m_pi0 and the K+ -> pi+ X reading (masses in GeV),
        with no comparison or PBC readings yet (:func:`na62lab.analyses.kaon_searches.run_search` adds them)."""
        e, c = self.expected, self.card
        z = self.local_significance()
        limits = LimitCurve(np.array([M_PI0 / GeV]), np.array([self.observed_limit]), np.array([e["median"]]),
                            np.array([e["band_1sigma"]], float), np.array([e["band_2sigma"]], float),
                            "BR upper limit")
        details = {"cl": c.cl, "signal_events_limit": self.signal_events_limit, "published": c.published.model_dump()}
        return SearchSummary(c.name, c.title, limits, None,
                             LimitCurve.from_bands(self.x_masses / GeV, self.x_observed_limit, self.x_expected),
                             z, z, (), tuple(c.assumptions), (), (), False, self.lifetime_ns, None, None, details)

    def to_dict(self) -> dict:
        """JSON-able summary: BR limits on pi0 -> invisible and K+ -> pi+ X (masses in GeV); :meth:`summary` at
        the JSON boundary."""
        return self.summary().to_dict()

    def local_significance(self) -> float:
        """One-sided significance of the excess over the central background (exact Poisson, >= 0)."""
        from na62lab.stats.discovery import p_value_at_least
        from na62lab.stats.poisson import z_from_p

        c = self.card
        p = p_value_at_least(c.observed, c.background, max(c.background_up, c.background_down))
        return float(np.maximum(z_from_p(p), 0.0))


def projected(card: Pi0InvisibleCard, exposure: float) -> Pi0InvisibleCard:
    """The card for ``exposure`` times the tagged pi0: N_pi0 and the background scale, the observed count
    becomes the scaled background rounded (a median-like outcome; the expected bands are the projection)."""
    from na62lab.config.base import parse_card
    from na62lab.errors import require

    require(bool(np.isfinite(exposure)) and exposure > 0, "exposure", exposure, "a factor > 0 on the tagged pi0")
    d = card.model_dump()
    d["n_pi0"] *= exposure
    for key in ("background", "background_up", "background_down"):
        d[key] *= exposure
    d["observed"] = int(round(d["background"]))
    d["assumptions"] = list(card.assumptions) + [f"projection: tagged pi0 and background scaled by {exposure:g}"]
    return parse_card(d, Pi0InvisibleCard)


def br_limit(card: Pi0InvisibleCard) -> tuple[float, dict, float]:
    """Observed BR limit, expected bands (BR) and the limit on signal events."""
    s_up = upper_limit(card.observed, card.background, card.background_up, card.background_down, card.cl)
    bands = expected_limit_bands(card.background, card.background_up, card.background_down, card.cl)
    scale = 1.0 / (card.n_pi0 * card.signal_efficiency)
    exp = {"median": bands["median"] * scale, "band_1sigma": tuple(v * scale for v in bands["band_1sigma"]),
           "band_2sigma": tuple(v * scale for v in bands["band_2sigma"])}
    return s_up * scale, exp, s_up


def x_acceptance_ratio(card: Pi0InvisibleCard, masses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A_X(m) / A_pipi (momentum window x tag-region fraction of the m_miss^2 peak); and X momenta quantiles."""
    nodes = mass_nodes(min(masses.min(), M_PI0), max(masses.max(), M_PI0), 16)
    model = card_resolution(card.resolution, "K+", "pi+", "mmiss2_gev2", nodes, card.daughter_momentum_gev)
    lo, hi = (v * GeV * GeV for v in card.pipi_region_gev2)
    allm = np.append(masses, M_PI0)
    sig = model.sigma(allm, "mmiss2_gev2")
    frac = special.ndtr((hi - allm**2) / sig) - special.ndtr((lo - allm**2) / sig)
    acc = model.acceptance_at(allm) * frac
    return acc[:-1] / acc[-1], model.at(model.p_quantiles, masses)


def k_pi_x_reading(card: Pi0InvisibleCard, br_up: float, expected: dict, lifetime_ns: float | None,
                   masses=None) -> tuple[np.ndarray, np.ndarray, dict, np.ndarray]:
    """BR(K+ -> pi+ X) limits (observed, expected bands) and X momentum quantiles for X masses (MeV)."""
    lo, hi = card.x_scan_mev
    m = np.arange(lo, hi + 1e-9, card.x_step_mev) if masses is None else np.atleast_1d(np.asarray(masses, float))
    bad = ~np.isfinite(m) | (m < lo) | (m > hi)
    if np.any(bad):
        raise InputError("mass", float(m[bad][0]) / GeV, f"masses (GeV) in [{lo / GeV}, {hi / GeV}] for this reading")
    ratio, p_q = x_acceptance_ratio(card, m)
    factor = card.br_k_pipi0 / ratio
    if lifetime_ns is not None:
        ctau = np.full(m.shape, lt.ctau_from_lifetime(lifetime_ns))
        with np.errstate(divide="ignore"):
            factor = factor / lt.mean_acceptance(card.lifetime.kind, p_q, m, ctau, card.lifetime)
    exp = {"median": expected["median"] * factor, "minus1": expected["band_1sigma"][0] * factor,
           "plus1": expected["band_1sigma"][1] * factor, "minus2": expected["band_2sigma"][0] * factor,
           "plus2": expected["band_2sigma"][1] * factor}
    return m, br_up * factor, exp, p_q


def run(card: Pi0InvisibleCard | None = None, lifetime_ns: float | None = None, masses=None) -> Pi0InvisibleResult:
    """The published reproduction: BR(pi0 -> invisible) limit and the K+ -> pi+ X reading."""
    card = card or load()
    br_up, exp, s_up = br_limit(card)
    m, x_obs, x_exp, p_q = k_pi_x_reading(card, br_up, exp, lifetime_ns, masses)
    return Pi0InvisibleResult(br_up, exp, s_up, m, x_obs, x_exp, lifetime_ns, card, p_q)


def simulated_background(card: Pi0InvisibleCard, n: int | None = None, rng: np.random.Generator | None = None,
                         orientations: int | None = None, kaon_card=None) -> dict:
    """Expected pi0 -> gamma gamma background with both photons missed, from the kaon fast simulation.

    Tagged K+ -> pi+ pi0 (pi+ momentum in the card's window, pi0 -> gamma
    gamma; Dalitz decays have charged particles and are not counted) from
    the chain of ``na62lab simulate kaon``
    (:func:`na62lab.yields.kaon_chain.simulate_decays`) with the beam and
    detector of the kaon card ``kaon_card`` (default: the search card's
    ``resolution.kaon_card``); the probability that neither photon leaves a
    veto signal is averaged over ``orientations`` pi0 decay orientations per
    event (conditional Monte Carlo, :mod:`na62lab.variance.pi0_orientation`;
    the kaon card's ``run.pi0_orientations`` by default), with photons merged
    with the pi+ LKr cluster treated as in the pi+ nu nubar selection (not
    vetoed; E/p rule).  A single orientation per event would make the
    estimate rest on a handful of rare decays.  Rows resampled by the kaon
    card's variance reduction carry their weight.

    Returns the mean probability, its statistical error, the Kish effective
    number of events behind it, and the background N_pi0 x P (events).
    """
    from na62lab.variance.pi0_orientation import all_gamma_gamma, averaged_veto_weight
    from na62lab.yields.kaon_chain import kaon_card as load_kaon_card
    from na62lab.yields.kaon_chain import simulate_decays

    kcard = load_kaon_card(card.resolution.kaon_card if kaon_card is None else kaon_card)
    k = kcard.run.pi0_orientations if orientations is None else int(orientations)
    if k < 1:
        raise InputError("orientations", orientations, "an integer >= 1")
    rng = rng or np.random.default_rng(card.seed)
    sample = simulate_decays(kcard, "pipi0", n or card.simulated_events, rng, detect=False)
    fs = sample.final_state
    w = np.ones(fs.n) if sample.w_split is None else np.asarray(sample.w_split, float)
    p_pi = np.linalg.norm(fs.slots[0].p4[:, 1:], axis=1) / GeV
    tagged = np.flatnonzero((p_pi >= card.daughter_momentum_gev[0]) & (p_pi <= card.daughter_momentum_gev[1]))
    gg = tagged[all_gamma_gamma(fs, tagged)]
    miss = w[gg] * averaged_veto_weight(fs, sample.beam.vertex, gg, sample.params, sample.tables, k, rng)
    return _background_summary(miss, float(max(w[tagged].sum(), 1.0)), int(tagged.size), k, card.n_pi0)


def _background_summary(miss: np.ndarray, n_tag: float, tagged: int, orientations: int, n_pi0: float) -> dict:
    """Mean miss probability over ``n_tag`` (weighted) tagged decays, its error, Kish n_eff and the background."""
    p = float(miss.sum() / n_tag)
    err = float(miss.std(ddof=1) * np.sqrt(miss.size) / n_tag) if miss.size > 1 else float("nan")
    n_eff = float(miss.sum() ** 2 / np.sum(miss**2)) if np.any(miss > 0) else 0.0
    return {"p_both_missed": p, "p_both_missed_err": err, "effective_events": n_eff,
            "background_events": p * n_pi0, "background_events_err": err * n_pi0,
            "tagged_simulated": tagged, "orientations": orientations,
            "note": "kaon fast simulation, veto weight averaged over pi0 decay orientations: photon-veto "
                    "inefficiency tables of the KaonCard (approximate)"}
