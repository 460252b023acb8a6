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
  accidental beam track;
* K+ -> pi0 mu+ nu and K+ -> pi0 e+ nu (K_l3 with NA48/2 form factors): the pi0 missed by the photon vetoes
  (simulated weights; the card's inefficiency tables are order-of-magnitude values);
* K+ -> e+ nu (BR 1.582e-5, PDG; generated as K+ -> e+ N with m_N = 0): resolution tails;
* K+ -> mu+ nu gamma, inner bremsstrahlung (:func:`kmu2_gamma`; here m_miss = m(nu gamma)) with the photon
  missed by the simulated vetoes (the structure-dependent part, BR ~ 1e-5 of all K+ decays (PDG), is below
  1 % of the IB rate with m_miss > 190 MeV (1.8e-3 of K+ decays) and is neglected).

Photons merged with the lepton's LKr cluster are not vetoed; they fail the lepton identification above
:data:`MERGED_EOP_MAX` (ASSUMED E/p cuts).

* K+ -> mu+ nu with the mu+ decaying to e+ nu nubar before STRAW1 (:func:`kmu2_muon_decay`): the e+ track
  from the displaced decay point through the chain's detector response and GTK association, with an ASSUMED
  single-track vertex cut (CDA < 20 mm, z in the fiducial volume); no kink or track-quality rejection.

Not modelled (printed with the cards): K+ -> e+ nu gamma (structure dependent), beam pi+ -> l+ nu
decays with an accidental KTAG kaon (no pi+ beam decays in the K+ chain), beam-halo muons, pi+ -> mu+
decays in flight and mis-identification of K+ -> pi+ pi0 pions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from na62lab.fips.constants import BR_LNU
from na62lab.physics.constants import ALPHA_EM
from na62lab.physics.kinematics import isotropic_directions
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV

BR_KE2 = BR_LNU["K+->e+"]
"""BR(K+ -> e+ nu), PDG 2024 (PRD 110 (2024) 030001), K+ listing (:data:`na62lab.fips.constants.BR_LNU`)."""
COMPONENTS = {
    "hnl-mu": (("munu", "mu+", "K+ -> mu+ nu: tails (simulated)"),
               ("pi0munu", "mu+", "K+ -> pi0 mu+ nu, pi0 missed (simulated vetoes)"),
               ("munugamma", "mu+", "K+ -> mu+ nu gamma (IB), gamma missed (simulated vetoes)")),
    "hnl-e": (("pi0enu", "e+", "K+ -> pi0 e+ nu, pi0 missed (simulated vetoes)"),
              ("e_N", "e+", "K+ -> e+ nu: tails (simulated)"),
              ("munu_edecay", "e+", "K+ -> mu+ nu, mu+ -> e+ nu nubar in flight (simulated)")),
}
"""Simulated components per search: (chain mode, lepton, component name)."""
MERGED_EOP_MAX = {"mu+": 0.2, "e+": 0.1}
"""ASSUMED lepton identification against photons merged with the lepton's LKr cluster: the event fails when the
merged photon energy reaches this fraction of the lepton momentum (muon: a MIP deposit, E/p < 0.2; positron:
E/p within 1 +- 0.1).  NA62 identifies leptons by the LKr E/p, but the cut values of the HNL selections are not
public here; the kaon chain's default (0.8) is the pi+ E/p rule of the pi nu nu selection.  With the pi+ rule
the K+ -> mu+ nu gamma leakage is 2.6x larger (merged photons counted as missed)."""
DECAYS = 2_000_000
"""Decays simulated per mode for the cards (a few seconds each)."""
SEED = 62
HIST_STEP_MEV = 10.0
"""Width of the stored m_miss histogram bins (MeV); the resolution is 1-2 MeV, the spectra vary over tens."""


def _mode_br(mode: str) -> float:
    from na62lab.generation.kaon.branching import K_PLUS_BR

    if mode in ("munugamma", "munu_edecay"):   # weights per K+ -> mu+ nu decay
        return K_PLUS_BR["munu"].value
    return BR_KE2 if mode == "e_N" else K_PLUS_BR[mode].value


IB_MMISS_MIN_MEV = 150.0
"""Lowest m_miss = m(nu gamma) of the generated IB photons (MeV)."""

Y_MAX_IB = 1.0 - (IB_MMISS_MIN_MEV / pdg_mass("K+")) ** 2
"""IB photons are generated only for m_miss > 150 MeV (y < 1 + r - (150 / m_K)^2; r = m_mu^2/m_K^2 added below)."""


def ib_density(x: np.ndarray, y: np.ndarray, r: float) -> np.ndarray:
    """Inner-bremsstrahlung Dalitz density of K+ -> l+ nu gamma per K+ -> l+ nu decay (dimensionless).

    (1 / Gamma(K_l2)) dGamma_IB / dx dy = alpha / (2 pi (1 - r)^2) IB(x, y),
    IB = (1 - y + r) / (x^2 (x + y - 1 - r)) [x^2 + 2 (1 - x)(1 - r) - 2 x r (1 - r) / (x + y - 1 - r)],
    x = 2 E_gamma / m_K, y = 2 E_l / m_K, r = (m_l / m_K)^2 (Bijnens, Ecker, Gasser, NPB 396 (1993) 81,
    Eqs. 2.4-2.6); zero outside 1 - x + r / (1 - x) <= y <= 1 + r, 0 < x < 1 - r.
    """
    z = x + y - 1.0 - r
    inside = (x > 0) & (x < 1 - r) & (y <= 1 + r) & (y >= 1 - x + r / np.clip(1 - x, 1e-12, None)) & (z > 0)
    zs, xs = np.where(inside, z, 1.0), np.where(inside, x, 1.0)
    ib = (1 - y + r) / (xs * xs * zs) * (xs * xs + 2 * (1 - xs) * (1 - r) - 2 * xs * r * (1 - r) / zs)
    return np.where(inside, ALPHA_EM / (2 * np.pi * (1 - r) ** 2) * ib, 0.0)


def kmu2_gamma(parent_p4: np.ndarray, rng: np.random.Generator):
    """K+ -> mu+ nu gamma (IB) with m_miss = m(nu gamma) > 150 MeV: final state and per-decay weights.

    (x, y) uniform over the box 0 < x < 1 - r, 2 sqrt(r) < y < 1 + r - (150 MeV / m_K)^2 (:func:`ib_density` is
    zero outside the Dalitz region); weight = density x box area, so that the weights average to the IB
    fraction of K+ -> mu+ nu decays in the generated range.  Rest frame: mu+ isotropic, the photon at the angle fixed by
    energy-momentum conservation, azimuth uniform; boosted by ``parent_p4`` (N, 4; MeV).
    """
    from na62lab.generation.kaon.final_state import INVISIBLE, MUON, PHOTON, FinalState, Slot
    from na62lab.physics.kinematics import boost_to_lab

    m_k, m_mu = pdg_mass("K+"), pdg_mass("mu+")
    r = (m_mu / m_k) ** 2
    n = parent_p4.shape[0]
    y_lo, y_hi = 2 * np.sqrt(r), Y_MAX_IB + r
    x = np.asarray(rng.uniform(0.0, 1.0 - r, n))
    y = np.asarray(rng.uniform(y_lo, y_hi, n))
    w = ib_density(x, y, r) * (1.0 - r) * (y_hi - y_lo)
    e_mu, e_g = y * m_k / 2, x * m_k / 2
    e_nu = m_k - e_mu - e_g
    p_mu = np.sqrt(np.clip(e_mu**2 - m_mu**2, 0.0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.clip((e_nu**2 - p_mu**2 - e_g**2) / (2 * p_mu * e_g), -1.0, 1.0)
    u = isotropic_directions(n, rng)
    # photon direction: angle acos(cos) to u, azimuth uniform around u
    a = np.where(np.abs(u[:, 2:3]) < 0.9, np.array([[0.0, 0.0, 1.0]]), np.array([[1.0, 0.0, 0.0]]))
    e1 = np.cross(u, a)
    e1 /= np.linalg.norm(e1, axis=1)[:, None]
    e2 = np.cross(u, e1)
    phi = np.asarray(rng.uniform(0.0, 2 * np.pi, n))
    sin = np.sqrt(1.0 - cos * cos)
    v = cos[:, None] * u + sin[:, None] * (np.cos(phi)[:, None] * e1 + np.sin(phi)[:, None] * e2)
    mu = np.concatenate([e_mu[:, None], p_mu[:, None] * u], 1)
    g = np.concatenate([e_g[:, None], e_g[:, None] * v], 1)
    nu = np.concatenate([e_nu[:, None], -(mu[:, 1:] + g[:, 1:])], 1)
    lab = [boost_to_lab(q, parent_p4) for q in (mu, g, nu)]
    fs = FinalState("munugamma", [Slot.uniform(lab[0], MUON, 1), Slot.uniform(lab[1], PHOTON, 0),
                                  Slot.uniform(lab[2], INVISIBLE, 0)])
    return fs, np.where(np.isfinite(w), w, 0.0)


def kmu2_muon_decay(beam, rng: np.random.Generator):
    """K+ -> mu+ nu with the mu+ decaying to e+ nu nubar before STRAW1: positron final state, its production
    vertex (mm) and per-decay weights (probability of the decay before STRAW1, importance-sampled in the path).

    The mu+ decay point is drawn uniformly along the path from the K+ vertex to z(STRAW1) with weight
    L / lambda exp(-l / lambda), lambda = beta gamma c tau_mu (PDG); the e+ follows the unpolarised Michel
    spectrum 2 x^2 (3 - 2 x), isotropic in the mu+ rest frame (as :func:`na62lab.analyses.hnl.
    muon_decay_positron_fraction`; muon polarisation ignored, m_e neglected in the spectrum).
    """
    from na62lab.analyses.hnl import STRAW1_Z_M, _boost
    from na62lab.generation.kaon.decays import generate_mode
    from na62lab.generation.kaon.final_state import ELECTRON, INVISIBLE, FinalState, Slot
    from na62lab.physics.particles import ctau
    from na62lab.physics.units import m as metre

    m_mu, m_e = pdg_mass("mu+"), pdg_mass("e+")
    fs = generate_mode("munu", beam.p4, rng)
    mu = fs.slots[0].p4
    n = mu.shape[0]
    p_mu = np.linalg.norm(mu[:, 1:], axis=1)
    u_mu = mu[:, 1:] / p_mu[:, None]
    lam = p_mu / m_mu * ctau("mu+")
    l_max = np.clip((STRAW1_Z_M * metre - beam.vertex[:, 2]) / np.clip(u_mu[:, 2], 1e-6, None), 0.0, None)
    ell = np.asarray(rng.uniform(0.0, 1.0, n)) * l_max
    weight = l_max / lam * np.exp(-ell / lam)
    x_grid = np.linspace(0.0, 1.0, 2001)
    x = np.interp(np.asarray(rng.uniform(0.0, 1.0, n)), 2 * x_grid**3 - x_grid**4, x_grid)   # Michel CDF
    e_rest = np.maximum(x * m_mu / 2, m_e)
    p_rest = np.sqrt(e_rest**2 - m_e**2)
    e_mu_rest = np.concatenate([e_rest[:, None], p_rest[:, None] * isotropic_directions(n, rng)], 1)
    pos = _boost(e_mu_rest, mu[:, 1:] / mu[:, :1])
    rest = beam.p4 - pos
    out = FinalState("munu_edecay", [Slot.uniform(pos, ELECTRON, 1), Slot.uniform(rest, INVISIBLE, 0)])
    return out, beam.vertex + ell[:, None] * u_mu, weight


def lepton_mmiss(mode: str, lepton: str, n: int, seed: int, window_gev,
                 with_kinematic_weights: bool = False) -> tuple[np.ndarray, ...]:
    """m_miss (MeV) and weights of the accepted single-lepton tracks of ``n`` simulated K+ decays of ``mode``.

    Accepted: a STRAW track inside the LKr aperture with momentum in ``window_gev`` (GeV/c) and a GTK
    association (m_miss^2 finite); photons merged with the lepton cluster fail the lepton identification above
    :data:`MERGED_EOP_MAX` (ASSUMED).  Weight = photon-veto weight x survival/tail weight x resampling weight
    (dimensionless; their sum over decays / n is the probability per decay).  With
    ``with_kinematic_weights`` also the weights without the photon-veto factor (the shape weights).
    """
    from na62lab.detector.params import detector_params, veto_tables
    from na62lab.yields.kaon_chain import kaon_card, match_tracks, simulate_decays

    card = kaon_card(None)
    params, tables = detector_params(card), veto_tables(card)
    params = params._replace(merged_eop_max=MERGED_EOP_MAX[lepton])
    rng = np.random.default_rng(seed)
    options: dict[str, Any] = {"m_n": 0.0} if mode == "e_N" else {}
    w_gen: np.ndarray | float = 1.0
    if mode in ("munugamma", "munu_edecay"):
        from na62lab.detector.response import detector_response
        from na62lab.generation.kaon.beam import generate_beam
        from na62lab.yields.kaon_chain import DecaySample

        beam = generate_beam(card, n, rng)
        if mode == "munugamma":
            fs, w_gen = kmu2_gamma(beam.p4, rng)
            vertex = beam.vertex
        else:
            fs, vertex, w_gen = kmu2_muon_decay(beam, rng)
        resp = detector_response(fs, vertex, params, tables, rng)
        s = DecaySample(beam, fs, resp, None, np.arange(n, dtype=np.int32), params, tables, {})
    else:
        s = simulate_decays(card, mode, n, rng, params, tables, **options)
    r = s.response
    assert r is not None   # simulated with detect=True
    with np.errstate(invalid="ignore"):
        ok = r.has_track & r.in_lkr & (r.p >= window_gev[0] * GeV) & (r.p <= window_gev[1] * GeV)
    j = np.flatnonzero(ok)
    match = match_tracks(s, j, rng, mass_hypothesis=pdg_mass(lepton))
    w_kin = r.w_decay[j] * (1.0 if s.w_split is None else s.w_split[j])
    w_kin = w_kin * (w_gen[j] if isinstance(w_gen, np.ndarray) else w_gen)
    w = r.w_veto[j] * w_kin
    good = np.isfinite(match.mmiss2) & np.isfinite(w)
    if mode == "munu_edecay":   # single-track vertex: CDA to the GTK track and z inside the fiducial volume
        from na62lab.analyses.hnl import CDA_CUT_MM
        from na62lab.physics.units import m as metre

        z0, z1 = (v * metre for v in card.decay_volume.fiducial_z_m)
        with np.errstate(invalid="ignore"):
            good &= (match.cda < CDA_CUT_MM) & (match.vz >= z0) & (match.vz <= z1)
    m = np.sqrt(np.clip(match.mmiss2[good], 0.0, None))
    return (m, w[good], w_kin[good]) if with_kinematic_weights else (m, w[good])


def simulated_fractions(name: str, region_mev, window_gev, n: int = DECAYS, seed: int = SEED,
                        step_mev: float = HIST_STEP_MEV) -> dict[str, dict]:
    """Per component of search ``name``: histogram of the accepted fraction per K+ decay of the mode.

    Level: the weighted sum over accepted tracks in the region / n.  Shape: the m_miss distribution of the
    accepted tracks without the photon-veto weights (with n_eff ~ 50 the weighted histogram is a few spikes; the
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
        m, w, w_kin = lepton_mmiss(mode, lepton, n, seed + k, window_gev, with_kinematic_weights=True)
        sel = (m >= lo) & (m <= hi)
        level = float(w[sel].sum()) / n
        counts = np.histogram(m, edges, weights=w_kin)[0]
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
