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

No card number is calibrated to a published limit: the background levels of
the three cards (and N_K of hnl-e) are computed from PDG branching ratios, the
kaon fast simulation (K_l3 with the pi0 missed, K_l2 tails:
:mod:`na62lab.analyses.hnl_backgrounds`), a toy Monte Carlo of mu+ -> e+
decays in flight (:func:`background_estimates`) and explicitly ASSUMED inputs
(CDA cut, control-trigger downscaling :func:`control_trigger_n_k`, flat
efficiency of the non-simulated stages); the tests require the cards to quote
these values.  N_K of hnl-e and hnl-mu is not public here: :func:`run` appends
a DIAGNOSTIC line (:func:`exposure_diagnostic`) saying which N_K x acceptance
the published limits imply (never used).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from na62lab.analyses.kaon_searches_common import SearchResult, run_peak_search
from na62lab.analyses.kaon_searches_common import engine as eng
from na62lab.config.base import load_card
from na62lab.config.geometry import Geometry
from na62lab.config.searches import NA62_BEAM_MOMENTUM_GEV, PeakSearchCard
from na62lab.errors import InputError
from na62lab.physics.kinematics import isotropic_directions, kallen
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
    card = card or load(name)
    result = run_peak_search(card, masses, lifetime_ns)
    k = br_per_u2(name, result.masses)
    with np.errstate(divide="ignore"):
        inv = np.where(k > 0, 1.0 / np.where(k > 0, k, 1.0), np.inf)
    e = result.expected
    result.extras["u2"] = {"quantity": f"|U_{'e' if name != 'hnl-mu' else 'mu'}4|^2 upper limit",
                           "observed_limit": result.observed_limit * inv, "expected_limit": e["median"] * inv,
                           "expected_band_1sigma": np.stack([e["minus1"] * inv, e["plus1"] * inv], 1),
                           "expected_band_2sigma": np.stack([e["minus2"] * inv, e["plus2"] * inv], 1),
                           "br_per_u2": k}
    if name in PUBLISHED_DIAGNOSTIC and masses is None and lifetime_ns is None:
        result.extras["assumptions"] = list(result.extras["assumptions"]) + [exposure_diagnostic(name, result, card)]
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


def _signal_in_bins(kind: str, m_x: float, edges: np.ndarray, acceptance_at=None) -> np.ndarray:
    """Selected signal per decay in each m_miss bin (MeV): integral of (1/Gamma) dGamma/dm x A(m) over the bin.

    The selected events of a decay spectrum follow dGamma/dm x A(m) (as the SM backgrounds of the peak searches,
    :func:`~na62lab.analyses.kaon_searches_common.spectra.selected_mass_density`).  A(m) is the simulated
    acceptance of K+ -> mu+ N with m_N = m_miss: the mu+ of a spin-0 kaon decay is isotropic in the kaon frame
    and its momentum fixed by m_miss, so the two-body acceptance applies to the three-body decays at equal
    m_miss.  Without ``acceptance_at``, the fraction of decays.  No smearing: the spectra are broad.
    """
    m = np.linspace(0.0, M_K - M_MU, 4001)[1:]
    d = three_body_density(kind, m * m, m_x) * 2 * m
    total = d.sum()
    sel = d * acceptance_at(m) if acceptance_at is not None else d
    cdf = np.concatenate([[0.0], np.cumsum(sel)]) / total if total > 0 else np.zeros(m.size + 1)
    return np.diff(np.interp(edges, np.concatenate([[0.0], m]), cdf))


def three_body_limits(kind: str, masses=None, card: PeakSearchCard | None = None) -> dict:
    """Limits on BR(K+ -> mu+ nu X) vs m_X (MeV) or on BR(K+ -> mu+ nu nu nubar).

    For each hypothesis the m_miss threshold t maximising
    s(t) / (1.28 sqrt(b(t) + db(t)^2) + 2.3) (approximately the best median
    expected limit) is chosen, counting events above t up to the region end;
    the observed and median expected limits there are exact CLs with the
    background error marginalised.  The signal above t is N_K x efficiency x
    the integral of (1/Gamma) dGamma/dm x A(m) (``signal_fraction``: selected
    signal per decay, A the card's simulated acceptance, :func:`_signal_in_bins`).
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
        s_above = tail(_signal_in_bins(kind, mx, edges, model.acceptance_at))
        merit = np.where(s_above > 1e-3, s_above / (1.28 * np.sqrt(b_above + db_above**2) + 2.3), 0.0)
        j = int(np.argmax(merit))   # threshold choice only; the limits below are exact
        med = eng.expected_bands(b_above[j], db_above[j], card.cl)["median"][0]
        lim = upper_limits_array(n_above[j], b_above[j], card.cl, db_above[j]) / (s_above[j] * norm)
        rows.append((mx, edges[j], s_above[j], b_above[j], int(n_above[j]), float(lim),
                     float(med / (s_above[j] * norm))))
    cols = ("masses_mev", "threshold_mev", "signal_fraction", "background", "observed", "observed_limit",
            "expected_limit")
    out: dict[str, object] = {c: np.array([r[i] for r in rows]) for i, c in enumerate(cols)}
    out.update(kind=kind, note="counting above a sliding m_miss threshold (simplified; published: shape fit); "
               "background = the hnl-mu card's in 190-388 MeV (simulated Kmu2 gamma IB, Kmu3 with the pi0 missed, "
               "Kmu2 tails; beam-pion decays and halo muons missing), so these limits come out stronger than NA62's "
               "(mu nu nu nubar: 1.8e-7 vs 1.0e-6); signal = decays x the simulated mu+ acceptance A(m_miss)")
    return out


# ---------------------------------------------------------------------------------------------------------------
# Background and normalisation estimates that replace the numbers once calibrated to the published limits.
# Each function returns the number the card quotes (tests check that card and function agree) and the list of
# approximations behind it (printed with the search through the cards' ``assumptions``).
# ---------------------------------------------------------------------------------------------------------------

BEAM_MOMENTUM_MEV = NA62_BEAM_MOMENTUM_GEV * GeV
"""NA62 secondary beam momentum, 75 GeV/c (NA62 detector paper, JINST 12 (2017) P05025, Sect. 2), MeV."""
STRAW1_Z_M = Geometry().straw_m[0]
"""z of the first STRAW chamber, m (the NA62 geometry card, JINST 12 (2017) P05025, Sect. 5.1): a muon must
decay upstream of it."""
CDA_CUT_MM = 20.0
"""ASSUMED single-track vertex cut, closest distance of approach beam line - positron < 20 mm (not public for
these searches; order of the NA62 single-track selections)."""
SES_PNN_2016_18 = 8.39e-12
"""K+ -> pi+ nu nubar single-event sensitivity, 2016-18 (NA62, JHEP 06 (2021) 093, Sect. 5)."""
ACC_PNN_2018 = 0.0637
"""K+ -> pi+ nu nubar signal acceptance, 2018 (NA62, JHEP 06 (2021) 093, Table 6)."""
CONTROL_DOWNSCALING = 400.0
"""ASSUMED downscaling of the control (minimum-bias) trigger that records the single-positron sample (400 is the
value quoted for 2017-18 K+ -> pi+ nu nubar normalisation samples; that the HNL positron sample uses it is an
assumption)."""


def _boost(p4: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Lorentz boost of four-vectors ``p4`` (..., 4: E, px, py, pz; MeV) by velocity ``beta`` (..., 3)."""
    b2 = np.clip(np.sum(beta * beta, -1), 0.0, 1.0 - 1e-15)
    gamma = 1.0 / np.sqrt(1.0 - b2)
    bp = np.sum(beta * p4[..., 1:], -1)
    g2 = np.where(b2 > 0, (gamma - 1.0) / np.where(b2 > 0, b2, 1.0), 0.0)
    e = gamma * (p4[..., 0] + bp)
    p = p4[..., 1:] + (g2 * bp + gamma * p4[..., 0])[..., None] * beta
    return np.concatenate([e[..., None], p], -1)


def muon_decay_positron_fraction(parent: str, card: PeakSearchCard, n: int = 200_000, seed: int = 11) -> float:
    """Fraction of P+ -> mu+ nu decays (P = pi+ or K+) giving a mu+ -> e+ nu nubar positron inside the search.

    Toy Monte Carlo (MeV, mm internally): P+ at 75 GeV/c along z decays uniformly in the card's vertex range
    (decay length >> 65 m); mu+ isotropic in the P rest frame (p* = (m_P^2 - m_mu^2) / 2 m_P); the mu+ decays
    before the first STRAW chamber with probability exp(-l / (beta gamma c tau_mu)) per unit path, c tau_mu from
    PDG; the e+ energy follows the unpolarised Michel spectrum 2 x^2 (3 - 2 x), x = 2 E_e / m_mu, isotropic in
    the mu rest frame (Michel, Proc. Phys. Soc. A 63 (1950) 514; PDG review "Muon decay parameters"), m_e
    neglected.  The event counts if the reconstructed single-track vertex (closest approach of the e+ line to the
    beam axis) lies in the vertex range with CDA < ``CDA_CUT_MM``, the e+ momentum is in the card's window and
    m_miss = sqrt((P_P - P_e)^2), P_P nominal, is inside the card's signal regions.  Approximations (printed via
    the card): muon polarisation ignored, no beam divergence or momentum spread, no detector smearing, no
    geometric acceptance beyond the card's flat acceptance (applied by the caller).

    Returns
    -------
    float
        Expected counted positrons per P+ -> mu+ nu decay in the vertex range (dimensionless).
    """
    from na62lab.physics.particles import ctau
    from na62lab.physics.units import m as metre

    rng = np.random.default_rng(seed)
    m_p, m_mu = pdg_mass(parent), M_MU
    z0, z1 = (v * metre for v in card.lifetime.vertex_z_m)
    e_p = np.hypot(BEAM_MOMENTUM_MEV, m_p)
    z_p = rng.uniform(z0, z1, n)
    p_star = (m_p**2 - m_mu**2) / (2 * m_p)
    mu_rest = np.concatenate([np.full((n, 1), np.hypot(p_star, m_mu)), p_star * isotropic_directions(n, rng)], 1)
    mu = _boost(mu_rest, np.tile([0.0, 0.0, BEAM_MOMENTUM_MEV / e_p], (n, 1)))
    p_mu = np.linalg.norm(mu[:, 1:], axis=1)
    u_mu = mu[:, 1:] / p_mu[:, None]
    lam = p_mu / m_mu * ctau("mu+")
    l_max = np.clip((STRAW1_Z_M * metre - z_p) / np.clip(u_mu[:, 2], 1e-6, None), 0.0, None)
    ell = rng.uniform(0.0, 1.0, n) * l_max
    weight = l_max / lam * np.exp(-ell / lam)             # decay density x sampled range (importance sampling)
    x_grid = np.linspace(0.0, 1.0, 2001)
    x = np.interp(rng.uniform(0.0, 1.0, n), 2 * x_grid**3 - x_grid**4, x_grid)   # Michel CDF inverted
    e_rest = x * m_mu / 2
    u_rest = isotropic_directions(n, rng)
    pos = _boost(np.concatenate([e_rest[:, None], e_rest[:, None] * u_rest], 1), mu[:, 1:] / mu[:, :1])
    u_e = pos[:, 1:] / np.linalg.norm(pos[:, 1:], axis=1)[:, None]
    r_d = np.stack([np.zeros(n), np.zeros(n), z_p], 1) + ell[:, None] * u_mu
    # closest approach between the beam axis (0, 0, t) and the line r_d + s u_e
    c = u_e[:, 2]
    denom = np.clip(1.0 - c * c, 1e-18, None)
    s = (c * r_d[:, 2] - np.sum(r_d * u_e, 1)) / denom
    t = r_d[:, 2] + s * c
    closest = r_d + s[:, None] * u_e
    cda = np.hypot(closest[:, 0], closest[:, 1])
    p_e = pos[:, 0]
    mm2 = (e_p - pos[:, 0]) ** 2 - pos[:, 1] ** 2 - pos[:, 2] ** 2 - (BEAM_MOMENTUM_MEV - pos[:, 3]) ** 2
    m_miss = np.sqrt(np.clip(mm2, 0.0, None))
    lo_p, hi_p = (v * GeV for v in card.daughter_momentum_gev)
    in_region = np.zeros(n, bool)
    for lo, hi in card.signal_regions:
        in_region |= (m_miss >= lo) & (m_miss <= hi)
    keep = (t >= z0) & (t <= z1) & (cda < CDA_CUT_MM) & (p_e >= lo_p) & (p_e <= hi_p) & in_region
    return float(np.sum(weight * keep) / n)


def control_trigger_n_k() -> float:
    """Kaon decays in the fiducial volume recorded by the downscaled control trigger, 2016-18 (dimensionless).

    N_K(pi nu nu trigger) is bounded below by 1 / (SES A_pinunu) (the trigger and random-veto efficiencies,
    O(0.6), are dropped: N_K underestimated by up to about 1.7; APPROXIMATE); SES and A_pinunu from NA62,
    JHEP 06 (2021) 093; divided by the ASSUMED control-trigger downscaling ``CONTROL_DOWNSCALING``.
    """
    return 1.0 / (SES_PNN_2016_18 * ACC_PNN_2018) / CONTROL_DOWNSCALING


def background_estimates(name: str, card: PeakSearchCard | None = None) -> dict[str, float]:
    """Expected events (in the card's signal regions) of the background components NOT taken from the kaon fast
    simulation, by component.

    hnl-pi-e: pi+ -> mu+ nu, mu+ -> e+ decays in flight (toy Monte Carlo :func:`muon_decay_positron_fraction`,
    N x the card's flat acceptance x the toy fraction); hnl-e, hnl-mu: none (every component is simulated by
    :func:`na62lab.analyses.hnl_backgrounds.simulated_backgrounds`, the K+ -> mu+ nu, mu+ -> e+ one included;
    the toy's K+ version, 5.7e-5 per K_mu2 decay without geometry, is 5.7x the chain's 9.9e-6).
    """
    card = card or load(name)
    acc = card.normalisation.acceptance
    flat = float(acc) if isinstance(acc, (int, float)) else float(np.mean([a for _, a in acc]))  # table: its mean
    norm = card.normalisation.n_parent * flat
    if name == "hnl-pi-e":
        return {"pi+ -> mu+ nu, mu+ -> e+ nu nubar in flight": norm * muon_decay_positron_fraction("pi+", card)}
    return {}


PUBLISHED_DIAGNOSTIC = ("hnl-e", "hnl-mu")
"""Searches whose N_K is not public: the run prints the N_K x A factor that the published limits imply."""


def exposure_diagnostic(name: str, result: SearchResult, card: PeakSearchCard) -> str:
    """One line (DIAGNOSTIC, never used in the limits) per published point: our signal events per unit BR in the
    window S = N_K A eps; the smallest S that could give the published limit, 2.3 / BR_pub (zero background,
    BR_pub = published |U|^2 x BR(K+ -> l+ nu) rho); and the factor on N_K (signal and backgrounds together) at
    which our median expected limit equals the published one
    (:func:`na62lab.analyses.hnl_backgrounds.implied_exposure`)."""
    from na62lab.analyses.hnl_backgrounds import implied_exposure

    pts = {p.mass_mev: p.value for p in card.published.points if p.quantity == "U2"}
    k = implied_exposure(result, pts, window_sigma=card.scan.window_sigma, cl=card.cl)
    parts = []
    for m, u2 in pts.items():
        i = int(np.argmin(np.abs(result.masses - m)))
        ours = result.signal_per_br[i] * result.window_efficiency[i]
        need = 2.3 / (u2 * result.extras["u2"]["br_per_u2"][i])
        scale = f"x{k[m]:.2g}" if np.isfinite(k[m]) else "beyond 1e-2..1e5"
        parts.append(f"{m:.0f} MeV: S {ours:.2g} (>= {need:.2g} needed), N_K {scale}")
    return ("DIAGNOSTIC (not used; N_K assumed): our S = N_K A eps vs the zero-background minimum 2.3 / BR_pub, "
            "and the N_K factor (backgrounds scaled alike) matching the published limit: " + "; ".join(parts))
