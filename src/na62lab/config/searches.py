"""Cards of the kaon-mode searches for new particles (peak searches and pi0 -> invisible).

Units are in the field names or stated per field: masses in MeV/c^2
(``_mev``), squared missing masses in GeV^2/c^4 (``_gev2``), momenta in GeV/c
(``_gev``), lengths in m (``_m``), angles in microrad (``_urad``).  The
observable of a peak search is either the reconstructed mass (``mass_mev``)
or the squared missing mass (``mmiss2_gev2``); ``signal_regions``,
background ranges and resolution tables are in the observable's unit.

Every shipped card ``na62_search_*`` says in its comments which inputs are
published (with the paper) and which are assumed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from na62lab.config.base import Card
from na62lab.config.geometry import FIDUCIAL_Z_START_M, LKR_FRONT_M
from na62lab.generation.kaon.branching import K_PLUS_BR

Observable = Literal["mass_mev", "mmiss2_gev2"]
LifetimeKind = Literal["escape", "decay_before", "decay_within", "decay_in_volume", "near_kaon_vertex"]
SHAPES = ("flat", "exponential", "pigg", "pimumu", "pinunu")
NA62_BEAM_MOMENTUM_GEV = 75.0
"""Central momentum of the NA62 K+ beam, GeV/c (NA62 detector paper, JINST 12 (2017) P05025, Sect. 2)."""


def _ordered_pairs(pairs: list[tuple[float, float]], what: str) -> list[tuple[float, float]]:
    for lo, hi in pairs:
        if not lo < hi:
            raise ValueError(f"{what}: each range needs lo < hi, got ({lo}, {hi})")
    return pairs


class Smearing(Card):
    """Beam and tracker resolutions of the missing-mass resolution model (published NA62 numbers)."""

    beam_momentum_gev: float = Field(NA62_BEAM_MOMENTUM_GEV, gt=0, description="central beam momentum (GeV/c)")
    beam_momentum_bite: float = Field(0.01, ge=0, lt=0.2, description="rms momentum bite (fraction)")
    beam_divergence_urad: float = Field(100.0, ge=0, description="rms beam divergence per plane (urad)")
    gtk_dp_over_p: float = Field(0.002, ge=0, description="GTK sigma_p/p")
    gtk_angle_urad: float = Field(16.0, ge=0, description="GTK sigma of each slope (urad)")
    straw_dp_const: float = Field(0.003, ge=0, description="STRAW sigma_p/p constant term")
    straw_dp_per_gev: float = Field(0.00005, ge=0, description="STRAW sigma_p/p term per GeV/c")
    straw_angle_const_urad: float = Field(17.0, ge=0, description="STRAW angle sigma, point term (urad)")
    straw_angle_ms_urad_gev: float = Field(600.0, ge=0,
                                           description="STRAW angle sigma, multiple-scattering term (urad GeV/c)")
    events_per_mass: int = Field(4000, ge=200, le=200_000, description="simulated decays per mass hypothesis")
    seed: int = Field(6, ge=0)


class Resolution(Card):
    """Mass resolution and acceptance model.

    ``kaon_sim``: the kaon fast simulation (beam, decay, detector response,
    GTK matching; K+ parents) of the kaon card ``kaon_card``; ``simulated``:
    the Gaussian smearing model of :class:`Smearing`; ``table``: (mass MeV,
    sigma in observable units) nodes.  ``x_daughters`` (``kaon_sim`` and
    ``simulated``): the X mass is the invariant mass of its two daughter
    tracks (X -> mu+ mu-: m_mumu, measured by the STRAW like the pi+), not the
    pi+ missing mass; unset: the missing mass.  ``x_photons`` (``kaon_sim``
    only): X -> gamma gamma, both photons must give LKr clusters; their
    fraction multiplies the simulated acceptance (:mod:`na62lab.analyses.kaon_searches_common.x_photons`),
    which the signal and the selected SM spectra share.
    """

    source: Literal["kaon_sim", "simulated", "table"] = "simulated"
    kaon_card: str = Field("na62_kaon_2021_22", min_length=1,
                           description="kaon card (shipped name or YAML file) of the beam and detector that the "
                                       "kaon_sim source and the pi0 -> invisible veto projection simulate")
    table: list[tuple[float, float]] = Field(default_factory=list,
                                             description="(mass MeV, sigma in observable units) nodes")
    smearing: Smearing = Smearing()
    x_daughters: Literal["mu+mu-", "e+e-"] | None = Field(
        None, description="X mass from the invariant mass of these two X daughter tracks (e.g. m_mumu) instead of "
                          "the missing mass (sources kaon_sim and simulated; observable mass_mev)")
    x_photons: bool = Field(
        False, description="X -> gamma gamma: the acceptance requires both photons in the LKr (kaon_sim only; the "
                           "mass stays the missing mass)")

    @model_validator(mode="after")
    def _table_given(self) -> "Resolution":
        if self.x_daughters is not None and self.source == "table":
            raise ValueError("x_daughters needs a simulated resolution (source kaon_sim or simulated), not a table")
        if self.x_photons and (self.source != "kaon_sim" or self.x_daughters is not None):
            raise ValueError("x_photons needs source kaon_sim (its LKr and photon vetoes) and no x_daughters")
        if self.source == "table":
            if len(self.table) < 1 or any(s <= 0 for _, s in self.table):
                raise ValueError("a table resolution needs >= 1 node with positive sigma")
            masses = [m for m, _ in self.table]
            if any(b <= a for a, b in zip(masses, masses[1:])):
                raise ValueError("resolution table masses must increase")
        return self


class Scan(Card):
    """Mass hypotheses (MeV): ranges and step."""

    ranges_mev: list[tuple[float, float]] = Field(..., description="scanned mass ranges (MeV)")
    step_mev: float = Field(..., gt=0, description="step between hypotheses (MeV)")
    window_sigma: float = Field(1.5, gt=0, le=5, description="window half-width in units of the resolution")
    bins_per_sigma: float = Field(6.0, ge=2, le=50, description="fine bins per resolution sigma")

    @field_validator("ranges_mev")
    @classmethod
    def _ranges(cls, v):
        if not v:
            raise ValueError("give at least one range")
        if any(lo < 0 for lo, _ in v):
            raise ValueError("masses must be >= 0")
        return _ordered_pairs(v, "ranges_mev")


class Normalisation(Card):
    """Expected signal per unit BR: N_parent x acceptance(m) x efficiency."""

    n_parent: float = Field(..., gt=0, description="parent decays in the fiducial volume (K+ or pi+)")
    acceptance: float | list[tuple[float, float]] = Field(
        ..., description="signal acceptance: a number or (mass MeV, acceptance) nodes")
    efficiency: float = Field(1.0, gt=0, le=1, description="trigger x random-veto efficiency")
    kinematic_acceptance: Literal["none", "absolute", "relative"] = Field(
        "none", description="multiply the acceptance by the simulated acceptance A_kin(m) (absolute), or by "
                            "A_kin(m) over its average on the reference spectrum inside the signal regions "
                            "(relative: the card's acceptance is the one measured for that spectrum)")
    reference_spectrum: Literal["pinunu", "pigg", "pimumu"] = Field(
        "pinunu", description="SM spectrum whose measured acceptance is the card's (kinematic_acceptance: relative)")
    note: str = ""

    @field_validator("acceptance")
    @classmethod
    def _acceptance(cls, v):
        nodes = [(0.0, v)] if isinstance(v, (int, float)) else v
        if not nodes or any(not 0 < a <= 1 for _, a in nodes):
            raise ValueError("acceptances must be in (0, 1]")
        return v


class Background(Card):
    """One background component: expected events in ``range`` with a shape."""

    name: str
    events: float = Field(..., ge=0, description="expected events in range")
    events_error: float = Field(0.0, ge=0, description="absolute 1 sigma error (events)")
    shape: Literal["flat", "exponential", "pigg", "pimumu", "pinunu", "histogram"]
    range: tuple[float, float] = Field(..., description="observable range (observable units)")
    anchor: float | None = Field(None, description="exponential: where the density peaks (observable units)")
    scale: float | None = Field(None, gt=0, description="exponential: e-folding length (observable units)")
    edges: list[float] | None = Field(None, description="histogram: bin edges (observable units), increasing")
    weights: list[float] | None = Field(None, description="histogram: relative content of each bin (>= 0)")
    note: str = ""

    @model_validator(mode="after")
    def _shape_params(self) -> "Background":
        if self.range[0] >= self.range[1]:
            raise ValueError("range needs lo < hi")
        if self.shape == "exponential" and (self.anchor is None or self.scale is None):
            raise ValueError("an exponential background needs anchor and scale")
        if self.shape == "histogram":
            e, w = self.edges or [], self.weights or []
            if len(e) < 2 or len(w) != len(e) - 1 or any(b <= a for a, b in zip(e, e[1:])) or min(w) < 0:
                raise ValueError("a histogram background needs increasing edges and len(edges) - 1 weights >= 0")
        return self


class Observed(Card):
    """Observed data: event positions if public, else pseudo-data (documented)."""

    events: list[float] | None = Field(None, description="observed event positions (observable units)")
    total: int | None = Field(None, ge=0, description="published number of observed events (pseudo-data keep it)")
    seed: int = Field(2024, ge=0, description="seed of the pseudo-data")
    note: str = ""


class PublishedPoint(Card):
    """A published limit value to compare with."""

    mass_mev: float = Field(..., ge=0)
    value: float = Field(..., gt=0)
    quantity: Literal["BR", "U2"] = "BR"
    note: str = ""


class Published(Card):
    """Published result of the search."""

    reference: str
    statement: str = Field("", description="the published result in words")
    points: list[PublishedPoint] = Field(default_factory=list)


class Lifetime(Card):
    """How the X (or N) lifetime enters the acceptance (geometry along z, m)."""

    kind: LifetimeKind
    vertex_z_m: tuple[float, float] = Field((FIDUCIAL_Z_START_M, 165.0),
                                            description="fiducial decay volume of the parent (m)")
    z_end_m: float = Field(LKR_FRONT_M, gt=0, description="end of the detector (escape) or of the decay region (m)")
    distance_m: float = Field(0.0, ge=0, description="decay_within: max flight; decay_in_volume: min flight (m)")
    kaon_mass_window_mev: float | None = Field(
        None, gt=0, description="near_kaon_vertex: |m(pi+ gamma gamma) - m_K| window of the selection, photons "
                                "reconstructed from the K+ vertex (MeV/c^2)")
    lkr_inner_radius_m: float = Field(0.150, gt=0,
                                      description="near_kaon_vertex: LKr cluster acceptance, inner radius (m)")
    lkr_apothem_m: float = Field(1.130, gt=0, description="near_kaon_vertex: LKr acceptance octagon apothem (m)")
    beam_momentum_gev: float = Field(NA62_BEAM_MOMENTUM_GEV, gt=0,
                                     description="near_kaon_vertex: K+ beam momentum (GeV/c)")
    events_per_mass: int = Field(6000, ge=500, le=100_000,
                                 description="near_kaon_vertex: simulated decays per mass node")
    seed: int = Field(14, ge=0, description="near_kaon_vertex: seed of the displaced-decay simulation")

    @model_validator(mode="after")
    def _window_given(self) -> "Lifetime":
        if self.kind == "near_kaon_vertex" and self.kaon_mass_window_mev is None:
            raise ValueError("kind near_kaon_vertex needs kaon_mass_window_mev (MeV/c^2)")
        return self


class Interpretation(Card):
    """A PBC benchmark reading of the BR limit."""

    benchmark: str = Field(..., description="PBC benchmark, e.g. BC4")
    model: str = Field(..., description="na62lab.fips model name, e.g. dark-scalar")
    production: str = Field(..., description="production channel key, e.g. K+->pi+S")
    decays: list[str] = Field(default_factory=list, description="visible decay channels required (empty: none)")
    lifetime: LifetimeKind | None = Field(None, description="lifetime acceptance (default: the search's)")
    coupling_range: tuple[float, float] = Field((1e-14, 1.0), description="coupling grid (log-spaced)")


class PeakSearchCard(Card):
    """A peak search in a reconstructed mass or squared missing mass."""

    name: str
    title: str
    parent: Literal["K+", "pi+"] = "K+"
    daughter: Literal["pi+", "e+", "mu+"] = "pi+"
    observable: Observable = "mass_mev"
    daughter_momentum_gev: tuple[float, float] = Field((15.0, 45.0), description="daughter momentum window")
    signal_regions: list[tuple[float, float]] = Field(..., description="observable ranges kept (observable units)")
    scan: Scan
    resolution: Resolution = Resolution()
    normalisation: Normalisation
    backgrounds: list[Background] = Field(default_factory=list)
    observed: Observed = Observed()
    lifetime: Lifetime
    cl: float = Field(0.9, gt=0, lt=1)
    global_method: Literal["trials", "toys"] = "trials"
    n_toys: int = Field(2000, ge=100)
    published: Published
    interpretations: list[Interpretation] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list, description="inputs that are assumed, not published")

    @field_validator("signal_regions")
    @classmethod
    def _regions(cls, v):
        if not v:
            raise ValueError("give at least one signal region")
        return _ordered_pairs(sorted(v), "signal_regions")

    @model_validator(mode="after")
    def _daughter_mass_observable(self) -> "PeakSearchCard":
        if self.resolution.x_daughters is not None and self.observable != "mass_mev":
            raise ValueError("resolution.x_daughters (X mass from its daughter tracks) needs observable mass_mev")
        return self


class Pi0InvisibleCard(Card):
    """pi0 -> invisible from pi0 tagged by K+ -> pi+ pi0 (counting), and its K+ -> pi+ X reading."""

    name: str = "pi0-invisible"
    title: str = "pi0 -> invisible"
    n_pi0: float = Field(..., gt=0, description="tagged pi0 (from K+ -> pi+ pi0)")
    signal_efficiency: float = Field(1.0, gt=0, le=1, description="signal efficiency relative to the tag")
    observed: int = Field(..., ge=0)
    background: float = Field(..., ge=0, description="expected pi0 -> gamma gamma with both photons missed")
    background_up: float = Field(0.0, ge=0)
    background_down: float = Field(0.0, ge=0)
    br_k_pipi0: float = Field(K_PLUS_BR["pipi0"].value, gt=0, lt=1, description="BR(K+ -> pi+ pi0), PDG 2024")
    pipi_region_gev2: tuple[float, float] = Field((0.015, 0.021), description="tag m_miss^2 region (GeV^2)")
    x_scan_mev: tuple[float, float] = Field((110.0, 155.0), description="K+ -> pi+ X masses read (MeV)")
    x_step_mev: float = Field(1.0, gt=0)
    resolution: Resolution = Resolution()
    daughter_momentum_gev: tuple[float, float] = Field((15.0, 35.0))
    simulated_events: int = Field(400_000, ge=1000, description="K+ -> pi+ pi0 decays for the veto projection")
    seed: int = Field(62, ge=0, description="seed of the veto projection")
    lifetime: Lifetime = Lifetime(kind="escape")
    cl: float = Field(0.9, gt=0, lt=1)
    published: Published
    interpretations: list[Interpretation] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)
