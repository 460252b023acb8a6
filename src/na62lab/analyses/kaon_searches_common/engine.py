"""The peak-search engine shared by every kaon-mode search.

For a card (:class:`~na62lab.config.searches.PeakSearchCard`) and a set of
mass hypotheses m (MeV):

1. resolution sigma(m), acceptance and X momenta from the resolution model
   (:mod:`.resolution`: the kaon fast simulation, the smearing model, or a
   table);
2. the observable spectrum in fine bins: background = sum of the card's
   components (:mod:`.spectra`), observed = published events, or pseudo-data
   when they are not public (a multinomial draw of the published total, or a
   Poisson draw, with the card's seed; said in the output);
3. for each m a window of +-k sigma around the expected peak (k =
   ``scan.window_sigma``), restricted to the signal regions; the Gaussian
   signal fraction in it, eps(m);
4. :func:`na62lab.stats.peakscan.peak_scan`: local and global significance
   and exact CLs limits with +-1/2 sigma bands on signal events; with
   background errors the limits are recomputed with the background
   marginalised (:func:`na62lab.stats.limits.upper_limits_array`);
5. BR limits = event limits / S(m), with S(m) = N_parent x A(m) x efficiency
   x P_lifetime(m) the expected signal events per unit branching ratio.

Everything is vectorised over the mass hypotheses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from na62lab.analyses.kaon_searches_common import lifetime as lt
from na62lab.analyses.kaon_searches_common import resolution as res
from na62lab.analyses.kaon_searches_common.spectra import selected_mass_density, shape_in_bins
from na62lab.analyses.kaon_searches_common.summary import LimitCurve, SearchSummary
from na62lab.config.searches import PeakSearchCard
from na62lab.errors import InputError, require
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV
from na62lab.stats.limits import count_quantiles_array, upper_limits_array
from na62lab.stats.peakscan import ScanResult, peak_scan, window_indices, window_sums

MAX_BINS = 40_000
MIN_WINDOW_EFFICIENCY = 1e-3
KAON_SIM_NODES = 16
"""Mass nodes of the kaon fast simulation (its resolution varies smoothly; about 0.2 s per node)."""
NEGLIGIBLE_ERROR = 0.05
"""Background errors below this fraction of sqrt(b) are not marginalised (< 0.2 % on the limit)."""
LIMIT_NODES = {0.1: 16, 1e300: 32}
"""Quadrature nodes of the marginalised limits by largest relative background error (16 nodes are exact
to 1e-5 for errors up to 10 %, 32 to 1e-3 up to 30 %; checked against 64 nodes)."""
_MODEL_CACHE: dict[str, res.ResolutionModel] = {}


def to_internal(card: PeakSearchCard, values) -> np.ndarray:
    """Observable values from card units (MeV or GeV^2) to internal units (MeV or MeV^2)."""
    scale = GeV * GeV if card.observable == "mmiss2_gev2" else 1.0
    return np.asarray(values, dtype=float) * scale


def position(card: PeakSearchCard, masses) -> np.ndarray:
    """Expected peak position in internal observable units for X masses (MeV)."""
    m = np.asarray(masses, dtype=float)
    return m * m if card.observable == "mmiss2_gev2" else m


def kinematic_limit(card: PeakSearchCard) -> float:
    """Largest X mass (MeV): m_parent - m_daughter."""
    return pdg_mass(card.parent) - pdg_mass(card.daughter)


def projected(card: PeakSearchCard, exposure: float) -> PeakSearchCard:
    """The card for ``exposure`` times its parent decays (a projection, e.g. Run 2 or HIKE).

    The signal yield per unit BR and every background scale by ``exposure``
    (their relative errors stay); the observed data become a Poisson draw of
    the scaled background (published events no longer apply).  The expected
    limits and bands are the projection; the observed ones are one possible
    outcome.
    """
    from na62lab.config.base import parse_card

    require(bool(np.isfinite(exposure)) and exposure > 0, "exposure", exposure, "a factor > 0 on the number of decays")
    d = card.model_dump()
    d["normalisation"]["n_parent"] *= exposure
    for b in d["backgrounds"]:
        b["events"] *= exposure
        b["events_error"] *= exposure
    d["observed"] = {"seed": card.observed.seed, "note": f"projection: exposure x {exposure:g}, Poisson pseudo-data"}
    d["assumptions"] = list(card.assumptions) + [f"projection: decays and backgrounds scaled by {exposure:g}"]
    return parse_card(d, PeakSearchCard)


def scan_masses(card: PeakSearchCard) -> np.ndarray:
    """The card's mass hypotheses (MeV), each range from lo to hi in steps."""
    out = [np.arange(lo, hi + 1e-9 * max(1.0, hi), card.scan.step_mev) for lo, hi in card.scan.ranges_mev]
    return np.unique(np.concatenate(out))


def check_masses(card: PeakSearchCard, masses) -> np.ndarray:
    """Validate user masses (MeV): finite, >= 0, below the kinematic limit; raise InputError."""
    m = np.atleast_1d(np.asarray(masses, dtype=float))
    require(m.size >= 1, "mass", [], "at least one mass hypothesis")
    limit = kinematic_limit(card)
    bad = ~np.isfinite(m) | (m < 0) | (m >= limit)
    if np.any(bad):
        raise InputError("mass", round(float(m[bad][0]) / GeV, 6),
                         f"masses (GeV) in [0, {limit / GeV:.4f}) for {card.parent} -> {card.daughter} X")
    return np.unique(m)


def _region_masses(card: PeakSearchCard) -> tuple[float, float]:
    regions = to_internal(card, card.signal_regions)
    if card.observable == "mmiss2_gev2":
        regions = np.sqrt(np.clip(regions, 0.0, None))
    return float(regions.min()), float(regions.max())


def resolution_model(card: PeakSearchCard, masses: np.ndarray) -> res.ResolutionModel:
    """The card's resolution model on nodes covering the masses and the signal regions (cached)."""
    lo, hi = _region_masses(card)
    lo, hi = min(lo, float(masses.min())), min(max(hi, float(masses.max())), kinematic_limit(card) * 0.999)
    nodes = res.mass_nodes(lo, hi, KAON_SIM_NODES if card.resolution.source == "kaon_sim" else res.MAX_NODES,
                           both_ends=card.resolution.x_daughters is not None)
    key = json.dumps([card.resolution.model_dump(), card.parent, card.daughter, card.observable,
                      list(card.daughter_momentum_gev), nodes.tolist()], default=float)
    if key not in _MODEL_CACHE:
        _MODEL_CACHE[key] = res.card_resolution(card.resolution, card.parent, card.daughter, card.observable, nodes,
                                                card.daughter_momentum_gev)
    return _MODEL_CACHE[key]


def bin_edges(card: PeakSearchCard, model: res.ResolutionModel) -> np.ndarray:
    """Fine bins over the signal regions (internal units), each about sigma(x) / bins_per_sigma wide.

    The width follows the local resolution, so a resolution falling from 2 to
    0.2 MeV costs about as many bins as a constant one.
    """
    regions = to_internal(card, card.signal_regions)
    lo, hi = float(regions.min()), float(regions.max())
    x = np.linspace(lo, hi, 20_001)
    masses = np.sqrt(np.clip(x, 0.0, None)) if card.observable == "mmiss2_gev2" else x
    dens = card.scan.bins_per_sigma / np.maximum(model.sigma(masses, card.observable), (hi - lo) / MAX_BINS)
    t = np.concatenate([[0.0], np.cumsum(0.5 * (dens[1:] + dens[:-1]) * np.diff(x))])
    n = max(int(np.ceil(t[-1])), 1)
    return np.interp(np.linspace(0.0, t[-1], n + 1), t, x)


def in_regions(card: PeakSearchCard, x: np.ndarray) -> np.ndarray:
    """True where internal observable values lie inside a signal region."""
    regions = to_internal(card, card.signal_regions)
    return np.any((x[..., None] >= regions[:, 0]) & (x[..., None] <= regions[:, 1]), axis=-1)


@dataclass
class Spectrum:
    """Binned background (events) with its absolute error, per component."""

    edges: np.ndarray
    background: np.ndarray
    background_error: np.ndarray
    components: dict[str, np.ndarray] = field(default_factory=dict)


def background_spectrum(card: PeakSearchCard, edges: np.ndarray, model: res.ResolutionModel) -> Spectrum:
    """Sum of the card's background components in the bins (events); errors add linearly per bin.

    A component's ``events`` are its expected events inside the signal regions
    (within its ``range``).
    """
    centres = 0.5 * (edges[1:] + edges[:-1])
    keep = in_regions(card, centres)
    total, err, parts = np.zeros(centres.size), np.zeros(centres.size), {}
    for comp in card.backgrounds:
        lo, hi = to_internal(card, comp.range)
        anchor = None if comp.anchor is None else float(to_internal(card, comp.anchor))
        scale = None if comp.scale is None else float(to_internal(card, comp.scale))
        frac = shape_in_bins(comp.shape, edges, lo, hi, anchor=anchor, scale=scale, observable=card.observable,
                             sigma_at=lambda m: model.sigma(m, card.observable),
                             acceptance_at=model.acceptance_at,
                             histogram=None if comp.edges is None else (to_internal(card, comp.edges),
                                                                        np.asarray(comp.weights, dtype=float)))
        frac = np.where(keep, frac, 0.0)
        frac = frac / frac.sum() if frac.sum() > 0 else frac
        parts[comp.name] = comp.events * frac
        total += comp.events * frac
        err += comp.events_error * frac
    return Spectrum(edges, total, err, parts)


def observed_counts(card: PeakSearchCard, spec: Spectrum) -> tuple[np.ndarray, str]:
    """Observed counts per bin and a sentence saying where they come from."""
    obs = card.observed
    if obs.events is not None:
        x = to_internal(card, obs.events)
        x = x[in_regions(card, x)]
        return np.histogram(x, spec.edges)[0], "published event positions"
    rng = np.random.default_rng(obs.seed)
    total_b = spec.background.sum()
    if obs.total is not None:
        p = spec.background / total_b if total_b > 0 else np.full(spec.background.size, 1.0 / spec.background.size)
        counts = rng.multinomial(obs.total, p)
        return counts, (f"pseudo-data: the published {obs.total} observed events drawn from the expected "
                        f"background shape (seed {obs.seed}); per-event positions are not public")
    return rng.poisson(spec.background), f"pseudo-data: Poisson draw of the expected background (seed {obs.seed})"


def window_efficiency(card: PeakSearchCard, edges: np.ndarray, centres: np.ndarray, sigma: np.ndarray,
                      lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Gaussian signal fraction inside each window's bins and the signal regions."""
    w_lo, w_hi = edges[lo], edges[np.minimum(hi, edges.size - 1)]
    regions = to_internal(card, card.signal_regions)
    eff = np.zeros(centres.shape)
    for r_lo, r_hi in regions:
        a, b = np.maximum(w_lo, r_lo), np.minimum(w_hi, r_hi)
        eff += np.where(b > a, special.ndtr((b - centres) / sigma) - special.ndtr((a - centres) / sigma), 0.0)
    return np.clip(eff, 0.0, 1.0)


def _acceptance(card: PeakSearchCard, masses: np.ndarray) -> np.ndarray:
    acc = card.normalisation.acceptance
    if isinstance(acc, (int, float)):
        return np.full(masses.shape, float(acc))
    t = np.asarray(acc, dtype=float)
    return np.interp(masses, t[:, 0], t[:, 1])


def reference_kinematic_acceptance(card: PeakSearchCard, model: res.ResolutionModel) -> float:
    """Simulated acceptance x signal-region fraction averaged over the whole reference SM spectrum.

    The spectrum is the card's ``normalisation.reference_spectrum``: K+ -> pi+ nu nubar
    (q^2 = m_miss^2), pi+ gamma gamma or pi+ mu+ mu- (:mod:`.spectra`).  With
    ``kinematic_acceptance: relative`` the card's n_parent x acceptance is the
    measured (events selected in the signal regions) / BR of that mode, so the
    SM mode itself gets back its measured yield.
    """
    m = np.linspace(1e-3, kinematic_limit(card) * 0.9999, 4000)
    ref = card.normalisation.reference_spectrum
    decays = selected_mass_density(ref, m)                                            # dGamma/dm
    selected = selected_mass_density(ref, m, model.acceptance_at)                       # dGamma/dm x A(m)
    x, sig = position(card, m), model.sigma(m, card.observable)
    regions = to_internal(card, card.signal_regions)
    f_r = sum(special.ndtr((r_hi - x) / sig) - special.ndtr((r_lo - x) / sig) for r_lo, r_hi in regions)
    return float(np.sum(selected * f_r) / np.sum(decays))


def signal_per_br(card: PeakSearchCard, masses: np.ndarray, model: res.ResolutionModel,
                  lifetime_ns: float | None) -> np.ndarray:
    """Expected signal events per unit BR at each mass (before the window fraction)."""
    norm = card.normalisation
    s = norm.n_parent * norm.efficiency * _acceptance(card, masses)
    if norm.kinematic_acceptance != "none":
        s = s * model.acceptance_at(masses)
    if norm.kinematic_acceptance == "relative":
        s = s / reference_kinematic_acceptance(card, model)
    if lifetime_ns is not None:
        ctau = lt.ctau_from_lifetime(lifetime_ns)
        s = s * lt.mean_acceptance(card.lifetime.kind, model.at(model.p_quantiles, masses), masses,
                                   np.full(masses.shape, ctau), card.lifetime)
    return s


@dataclass
class SearchResult:
    """A peak search: limits on the branching ratio per mass hypothesis (masses in MeV)."""

    name: str
    title: str
    masses: np.ndarray
    sigma: np.ndarray
    window_efficiency: np.ndarray
    signal_per_br: np.ndarray
    scan: ScanResult
    observed_limit: np.ndarray
    expected: dict
    lifetime_ns: float | None
    observed_note: str
    spectrum: Spectrum
    observed_counts: np.ndarray
    extras: dict = field(default_factory=dict)
    observable: str = "mass_mev"

    def summary(self) -> SearchSummary:
        """The typed summary (masses in GeV, limits on the BR; |U|^2 limits from ``extras["u2"]``), with no
        comparison or PBC readings yet (:func:`na62lab.analyses.kaon_searches.run_search` adds them)."""
        extras = dict(self.extras)
        u2 = extras.pop("u2", None)
        assumptions = tuple(extras.pop("assumptions", ()))
        lifetime_model = extras.pop("lifetime_model", None)
        unit, scale = ("GeV^2", GeV * GeV) if self.observable == "mmiss2_gev2" else ("GeV", GeV)
        if "published" in extras:
            extras["published"] = _published_record(extras["published"])
        details = {"cl": extras.pop("cl", None), "global_method": self.scan.global_method,
                   "observed_events": self.scan.observed, "expected_background": self.scan.background,
                   "signal_per_br": self.signal_per_br, "resolution": self.sigma / scale, "resolution_unit": unit,
                   "window_efficiency": self.window_efficiency, "observed_data": self.observed_note, **extras}
        masses_gev = self.masses / GeV
        return SearchSummary(self.name, self.title,
                             LimitCurve.from_bands(masses_gev, self.observed_limit, self.expected, "BR upper limit"),
                             None if u2 is None else LimitCurve.from_nested(u2, masses_gev), None,
                             self.scan.max_local_significance, self.scan.global_significance, (), assumptions, (),
                             (), False, self.lifetime_ns, lifetime_model, None, details)

    def to_dict(self) -> dict:
        """JSON-able summary (masses in GeV, limits on the BR): :meth:`summary` at the JSON boundary."""
        return self.summary().to_dict()


def expected_bands(b, db, cl: float) -> dict[str, np.ndarray]:
    """Median expected limit and +-1/2 sigma bands on signal events (background error marginalised)."""
    b, db = np.atleast_1d(np.asarray(b, dtype=float)), np.atleast_1d(np.asarray(db, dtype=float))
    q = count_quantiles_array(b, db)
    lim = upper_limits_array(q, b[None, :], cl, db[None, :], nodes=_nodes_for(b, db))
    return dict(zip(("minus2", "minus1", "median", "plus1", "plus2"), lim))


def _nodes_for(b: np.ndarray, db: np.ndarray) -> int:
    rel = float(np.max(db / np.maximum(b, 1e-12))) if b.size else 0.0
    return next(n for bound, n in LIMIT_NODES.items() if rel <= bound)


def _limits_with_errors(card, scan: ScanResult, b_err: np.ndarray, eff: np.ndarray) -> tuple[np.ndarray, dict]:
    """Event limits with the background error marginalised (log-normal) where it matters.

    Where the window's background error is below ``NEGLIGIBLE_ERROR`` times the
    Poisson spread sqrt(b) it changes the limits by less than 0.2 %, and the
    exact no-error limits of the scan are kept (this saves most of the time).
    """
    lim, bands = scan.observed_limit.copy(), {k: v.copy() for k, v in scan.expected.items()}
    sel = b_err > NEGLIGIBLE_ERROR * np.sqrt(np.maximum(scan.background, 1e-12))
    if not sel.any():
        return lim, bands
    b, db = scan.background[sel], b_err[sel]
    q = count_quantiles_array(b, db)
    keys = ("minus2", "minus1", "median", "plus1", "plus2")
    counts = np.concatenate([scan.observed[sel][None, :], q], axis=0)
    out = upper_limits_array(counts, b[None, :], card.cl, db[None, :], nodes=_nodes_for(b, db)) / eff[sel]
    lim[sel] = out[0]
    for i, k in enumerate(keys):
        bands[k][sel] = out[i + 1]
    return lim, bands


def _select(card, masses, eff, user_masses: bool) -> np.ndarray:
    ok = eff >= MIN_WINDOW_EFFICIENCY
    if user_masses and not ok.all():
        raise InputError("mass", round(float(masses[~ok][0]) / GeV, 6),
                         "a mass whose peak lies inside the signal regions " + str(card.signal_regions))
    require(ok.any(), "mass", None, "at least one mass whose peak lies inside the signal regions")
    return ok


def run_peak_search(card: PeakSearchCard, masses=None, lifetime_ns: float | None = None,
                    rng: np.random.Generator | None = None) -> SearchResult:
    """Run the peak search of ``card`` (masses in MeV; ``None`` = the card's scan).

    Parameters
    ----------
    card : PeakSearchCard
    masses : array_like, optional
        Mass hypotheses (MeV); each must be below the kinematic limit and its
        peak inside the signal regions (else :class:`InputError`).
    lifetime_ns : float, optional
        Proper lifetime of X (ns); ``None`` = the card's default assumption
        (stable for ``escape``, prompt otherwise).
    rng : numpy.random.Generator, optional
        Only for ``global_method = "toys"`` (default: seeded from the card).

    Returns
    -------
    SearchResult
    """
    user = masses is not None
    m = check_masses(card, masses) if user else scan_masses(card)
    if not user:
        m = m[m < kinematic_limit(card)]
    model = resolution_model(card, m)
    sigma_all = model.sigma(m, card.observable)
    edges = bin_edges(card, model)
    spec = background_spectrum(card, edges, model)
    obs, note = observed_counts(card, spec)
    centres = position(card, m)
    inside = (centres >= edges[0]) & (centres <= edges[-1])
    if user and not inside.all():
        raise InputError("mass", round(float(m[~inside][0]) / GeV, 6),
                         f"inside the signal regions {card.signal_regions}")
    m, centres, sigma_all = m[inside], centres[inside], sigma_all[inside]
    half = card.scan.window_sigma * sigma_all
    lo, hi = window_indices(edges, centres, half)
    eff = window_efficiency(card, edges, centres, sigma_all, lo, hi)
    ok = _select(card, m, eff, user)
    m, centres, sigma_all, half, eff = m[ok], centres[ok], sigma_all[ok], half[ok], eff[ok]
    rng = rng or np.random.default_rng(card.observed.seed + 1)
    scan = peak_scan(edges, obs, spec.background, centres, half, eff, card.cl, card.global_method,
                     n_toys=card.n_toys, rng=rng)
    lim, bands = scan.observed_limit, scan.expected
    if np.any(spec.background_error > 0):
        lo, hi = window_indices(edges, centres, half)
        lim, bands = _limits_with_errors(card, scan, window_sums(spec.background_error, lo, hi), eff)
    s = signal_per_br(card, m, model, lifetime_ns)
    no_acceptance = (s <= 0) if lifetime_ns is None else (signal_per_br(card, m, model, None) <= 0)
    if user and np.any(no_acceptance):
        raise InputError("mass", round(float(m[no_acceptance][0]) / GeV, 6),
                         f"a mass with a non-zero simulated acceptance ({card.parent} -> {card.daughter} X with the "
                         f"{card.daughter} in {card.daughter_momentum_gev[0]:g}-{card.daughter_momentum_gev[1]:g} "
                         "GeV/c)")
    with np.errstate(divide="ignore"):
        to_br = np.where(s > 0, 1.0 / np.where(s > 0, s, 1.0), np.inf)
    return SearchResult(card.name, card.title, m, sigma_all, eff, s, scan, lim * to_br,
                        {k: v * to_br for k, v in bands.items()}, lifetime_ns, note, spec, obs,
                        {"cl": card.cl, "assumptions": list(card.assumptions),
                         "published": card.published.model_dump(), "lifetime_model": lifetime_note(card)},
                        card.observable)


def _published_record(published: dict) -> dict:
    """The card's published block for the JSON record, point masses in GeV (``mass_gev``, the record's unit;
    the card gives ``mass_mev``)."""
    points = [{("mass_gev" if k == "mass_mev" else k): (v / GeV if k == "mass_mev" else v) for k, v in pt.items()}
              for pt in published.get("points", [])]
    return {**published, "points": points}


def lifetime_note(card: PeakSearchCard) -> str:
    """One line saying how the X lifetime enters this search's acceptance (printed with the limits)."""
    g = card.lifetime
    if g.kind == "near_kaon_vertex":
        from na62lab.analyses.kaon_searches_common.displaced import APPROXIMATIONS

        return (f"decays accepted by the |m(pi+ gamma gamma) - m_K| < {g.kaon_mass_window_mev:g} MeV window "
                "with photons "
                f"reconstructed from the K+ vertex (simulated; APPROXIMATE: {APPROXIMATIONS})")
    text = {"escape": f"X decays beyond z = {g.z_end_m:g} m", "decay_before": f"X decays before z = {g.z_end_m:g} m",
            "decay_within": f"X decays within {g.distance_m:g} m of the parent vertex",
            "decay_in_volume": f"X decays at least {g.distance_m:g} m after the parent vertex and before "
                               f"z = {g.z_end_m:g} m"}
    return text[g.kind] + f" (parent vertex uniform in {g.vertex_z_m[0]:g}-{g.vertex_z_m[1]:g} m)"
