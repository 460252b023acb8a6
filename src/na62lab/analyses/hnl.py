"""Heavy neutral leptons: K+ -> e+ N, K+ -> mu+ N, pi+ -> e+ N peak searches; K+ -> mu+ nu X, K+ -> mu+ nu nu nubar.

Peak searches in m_miss = sqrt((P_parent - P_lepton)^2) with the shared
engine (:mod:`.kaon_searches_common`), cards ``na62_search_hnl_e``,
``na62_search_hnl_mu``, ``na62_search_hnl_pi_e``.  The BR limits are read as
mixing limits through

    BR(P+ -> l+ N) = BR(P+ -> l+ nu) rho_l(m_N) |U_l4|^2,
    rho = (x + y - (x - y)^2) lambda^(1/2)(1, x, y) / (x (1 - x)^2),
    x = (m_l/m_P)^2, y = (m_N/m_P)^2

(Shrock, PRD 24 (1981) 1232; as used by NA62, PLB 807 (2020) 135599), taken from
the HNL model of :mod:`na62lab.fips.hnl` (``reduced_production``).  The N
lifetime condition: the limits assume N escapes the detector; with a
lifetime (``lifetime_ns``) the signal is scaled by the escape probability,
and the PBC reading (BC6, BC7) uses c tau(m_N, |U|^2) of the same model.

Three-body searches (simplified: counting above a sliding m_miss threshold,
not the published shape fit; APPROXIMATE) on the K+ -> mu+ sample:
K+ -> mu+ nu X with flat phase space, dGamma/ds proportional to
lambda^(1/2)(m_K^2, m_mu^2, s) lambda^(1/2)(s, 0, m_X^2) / s, s = m_miss^2
(PDG Kinematics review, three-body Dalitz plot, integrated over the
other Dalitz variable); K+ -> mu+ nu nu nubar with massless four-body phase space,
dGamma/ds proportional to lambda^(1/2)(m_K^2, m_mu^2, s) s (the SM matrix
element is not used; APPROXIMATE).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from na62lab.analyses.kaon_searches_common import SearchResult, run_peak_search
from na62lab.analyses.kaon_searches_common import engine as eng
from na62lab.config.base import load_card
from na62lab.config.searches import PeakSearchCard
from na62lab.errors import InputError
from na62lab.physics.kinematics import kallen
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV
from na62lab.stats.limits import upper_limits_array

CARDS = {"hnl-e": "na62_search_hnl_e", "hnl-mu": "na62_search_hnl_mu", "hnl-pi-e": "na62_search_hnl_pi_e"}
PRODUCTION = {"hnl-e": ("hnl-e", "K+->e+N"), "hnl-mu": ("hnl-mu", "K+->mu+N"), "hnl-pi-e": ("hnl-e", "pi+->e+N")}
M_K, M_MU = pdg_mass("K+"), pdg_mass("mu+")


def load(name: str, card: str | Path | None = None) -> PeakSearchCard:
    """The card of HNL search ``name`` (hnl-e, hnl-mu, hnl-pi-e)."""
    if name not in CARDS:
        raise InputError("search", name, f"one of {', '.join(CARDS)}")
    return load_card(card or CARDS[name], PeakSearchCard)


def br_per_u2(name: str, masses) -> np.ndarray:
    """BR(P+ -> l+ N) / |U_l4|^2 at N masses (MeV): BR(P+ -> l+ nu) x Shrock factor (both from na62lab.fips).

    The same product as ``get_model(...).reduced_production`` of :mod:`na62lab.fips.hnl`
    (tested equal), without building the full HNL model.
    """
    from na62lab.fips.constants import BR_LNU
    from na62lab.fips.hnl import shrock_factor

    parent, lepton = PRODUCTION[name][1].split("->")[0], PRODUCTION[name][1].split("->")[1][:-1]
    m = np.asarray(masses, dtype=float)
    return BR_LNU[f"{parent}->{lepton}"] * shrock_factor(pdg_mass(parent), pdg_mass(lepton), m)


def run(name: str, card: PeakSearchCard | None = None, masses=None, lifetime_ns: float | None = None) -> SearchResult:
    """Peak search ``name``; the result's extras hold the |U|^2 limits (``u2_*``)."""
    result = run_peak_search(card or load(name), masses, lifetime_ns)
    k = br_per_u2(name, result.masses)
    with np.errstate(divide="ignore"):
        inv = np.where(k > 0, 1.0 / np.where(k > 0, k, 1.0), np.inf)
    e = result.expected
    result.extras["u2"] = {"quantity": f"|U_{'e' if name != 'hnl-mu' else 'mu'}4|^2 upper limit",
                           "observed_limit": result.observed_limit * inv, "expected_limit": e["median"] * inv,
                           "expected_band_1sigma": np.stack([e["minus1"] * inv, e["plus1"] * inv], 1),
                           "expected_band_2sigma": np.stack([e["minus2"] * inv, e["plus2"] * inv], 1),
                           "br_per_u2": k}
    return result


def three_body_density(kind: str, s: np.ndarray, m_x: float = 0.0) -> np.ndarray:
    """Unnormalised dGamma/ds of K+ -> mu+ nu X (kind "nuX") or mu+ nu nu nubar ("nununu"); s in MeV^2."""
    lam_k = np.sqrt(np.clip(kallen(M_K**2, M_MU**2, s), 0.0, None))
    inside = s <= (M_K - M_MU) ** 2
    if kind == "nununu":
        return np.where(inside & (s > 0), lam_k * s, 0.0)
    if kind != "nuX":
        raise InputError("three-body search", kind, "nuX or nununu")
    lam_x = np.sqrt(np.clip(kallen(s, 0.0, m_x**2), 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(inside & (s > m_x**2), lam_k * lam_x / np.where(s > 0, s, 1.0), 0.0)


def _signal_in_bins(kind: str, m_x: float, edges: np.ndarray) -> np.ndarray:
    """Fraction of the signal m_miss (MeV) distribution in each bin (no smearing: the spectra are broad)."""
    m = np.linspace(0.0, M_K - M_MU, 4001)[1:]
    d = three_body_density(kind, m * m, m_x) * 2 * m
    total = d.sum()
    cdf = np.concatenate([[0.0], np.cumsum(d)]) / total if total > 0 else np.zeros(m.size + 1)
    return np.diff(np.interp(edges, np.concatenate([[0.0], m]), cdf))


def three_body_limits(kind: str, masses=None, card: PeakSearchCard | None = None) -> dict:
    """Limits on BR(K+ -> mu+ nu X) vs m_X (MeV) or on BR(K+ -> mu+ nu nu nubar).

    For each hypothesis the m_miss threshold t maximising
    s(t) / (1.28 sqrt(b(t) + db(t)^2) + 2.3) (approximately the best median
    expected limit) is chosen, counting events above t up to the region end;
    the observed and median expected limits there are exact CLs with the
    background error marginalised.
    """
    card = card or load("hnl-mu")
    m_x = np.atleast_1d(np.asarray([0.0] if kind == "nununu" else (masses if masses is not None
                                   else np.arange(10.0, 371.0, 10.0)), dtype=float))
    if np.any(~np.isfinite(m_x) | (m_x < 0) | (m_x >= M_K - M_MU)):
        raise InputError("mass", float(m_x[~np.isfinite(m_x) | (m_x < 0) | (m_x >= M_K - M_MU)][0]) / GeV,
                         f"masses (GeV) in [0, {(M_K - M_MU) / GeV:.4f})")
    model = eng.resolution_model(card, np.array([200.0]))
    edges = eng.bin_edges(card, model)
    spec = eng.background_spectrum(card, edges, model)
    obs, _ = eng.observed_counts(card, spec)
    tail = lambda v: np.cumsum(v[::-1])[::-1]   # noqa: E731 - events above each bin's lower edge
    b_above, db_above, n_above = tail(spec.background), tail(spec.background_error), tail(obs)
    acceptance = float(eng._acceptance(card, np.array([300.0]))[0])
    norm = card.normalisation.n_parent * card.normalisation.efficiency * acceptance
    rows = []
    for mx in m_x:   # a handful of hypotheses; each step is vectorised over the thresholds
        s_above = tail(_signal_in_bins(kind, mx, edges))
        merit = np.where(s_above > 1e-3, s_above / (1.28 * np.sqrt(b_above + db_above**2) + 2.3), 0.0)
        j = int(np.argmax(merit))   # threshold choice only; the limits below are exact
        med = eng.expected_bands(b_above[j], db_above[j], card.cl)["median"][0]
        lim = upper_limits_array(n_above[j], b_above[j], card.cl, db_above[j]) / (s_above[j] * norm)
        rows.append((mx, edges[j], s_above[j], b_above[j], int(n_above[j]), float(lim),
                     float(med / (s_above[j] * norm))))
    cols = ("masses_mev", "threshold_mev", "signal_fraction", "background", "observed", "observed_limit",
            "expected_limit")
    out: dict[str, object] = {c: np.array([r[i] for r in rows]) for i, c in enumerate(cols)}
    out.update(kind=kind, note="counting above a sliding m_miss threshold (simplified; published: shape fit)")
    return out
