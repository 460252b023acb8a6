"""Card of the kaon-mode fast simulation (beam, detector response, selection, normalisation).

Units are in the field names (``_gev``, ``_m``, ``_mm``, ``_urad``, ``_ps``,
``_mhz``); the shipped card ``na62_kaon_2021_22`` gives the source of every
number in its comments.  The NA62 geometry (z positions, apertures) is the
shared :class:`~na62lab.config.geometry.Geometry` model, embedded as
``geometry``.
"""

from __future__ import annotations

import math
from typing import Optional

from pydantic import Field, field_validator, model_validator

from na62lab.config.base import Card
from na62lab.config.geometry import FIDUCIAL_Z_START_M, MUV3_HOLE_RADIUS_M, Geometry
from na62lab.config.searches import NA62_BEAM_MOMENTUM_GEV
from na62lab.generation.kaon.branching import K_PLUS_BR

_SM_MODES = ("pinunu", "pipi0", "munu", "pipipi", "pi0enu", "pi0munu", "pipi0pi0", "ke4", "pigg", "pimumu")


class BeamCard(Card):
    """Secondary beam at GTK3: momentum bite, divergence, spot, composition, rate."""

    momentum_gev: float = Field(NA62_BEAM_MOMENTUM_GEV, gt=0, description="central momentum (GeV/c)")
    momentum_rms_fraction: float = Field(0.01, ge=0, lt=0.2, description="rms momentum bite (fraction)")
    size_x_mm: float = Field(15.0, ge=0, description="rms beam spot in x at GTK3 (mm)")
    size_y_mm: float = Field(7.0, ge=0, description="rms beam spot in y at GTK3 (mm)")
    divergence_x_urad: float = Field(100.0, ge=0, description="rms angular spread in x (urad)")
    divergence_y_urad: float = Field(100.0, ge=0, description="rms angular spread in y (urad)")
    slope_x_mrad: float = Field(1.2, description="mean beam slope in x after TRIM5 (mrad)")
    rate_mhz: float = Field(600.0, ge=0, description="beam particle rate through the GTK (MHz)")
    kaon_fraction: float = Field(0.06, gt=0, le=1, description="K+ fraction of the beam")


class DecayVolumeCard(Card):
    """Decay-vertex range simulated (true z) and fiducial cut on the reconstructed vertex."""

    z_range_m: tuple[float, float] = Field((FIDUCIAL_Z_START_M, 170.0), description="true decay z simulated (m)")
    fiducial_z_m: tuple[float, float] = Field((FIDUCIAL_Z_START_M, 170.0), description="cut on reconstructed z (m)")

    @field_validator("z_range_m", "fiducial_z_m")
    @classmethod
    def _ordered(cls, v: tuple[float, float]) -> tuple[float, float]:
        if not 0 < v[0] < v[1]:
            raise ValueError("needs 0 < z_min < z_max")
        return v


class GTKCard(Card):
    """Beam tracker (GigaTracker) resolutions."""

    momentum_resolution: float = Field(0.002, ge=0, description="sigma_p/p of the beam track")
    angle_resolution_urad: float = Field(16.0, ge=0, description="sigma of each slope (urad)")
    position_resolution_mm: float = Field(0.1, ge=0, description="sigma of x, y at GTK3 (mm)")
    time_resolution_ps: float = Field(100.0, ge=0, description="track time resolution (ps)")
    track_inefficiency: float = Field(0.06, ge=0, lt=1, description="probability the kaon track is missed")


class AperturesCard(Card):
    """Track acceptance of the downstream detectors, missing from the shared geometry card (m).

    A selected track must cross every one of these regions (NA62 framework
    ``GeometricAcceptance``: inner radius around the detector axis, and an
    outer square half-side or octagon apothem); positions are in m at the
    detector front planes.
    """

    muv3_hole_radius_m: float = Field(MUV3_HOLE_RADIUS_M, gt=0, description="MUV3 beam-hole radius (m)")
    rich_m: float = Field(219.445, gt=0, description="RICH front plane (m)")
    rich_inner_radius_m: float = Field(0.100, gt=0, description="RICH acceptance inner radius (m)")
    rich_axis_x_m: float = Field(0.034, description="x of the RICH axis at its front plane (m)")
    newchod_m: float = Field(238.131, gt=0, description="NewCHOD plane (m)")
    newchod_radii_m: tuple[float, float] = Field((0.140, 1.070), description="NewCHOD inner, outer radius (m)")
    lkr_track_inner_radius_m: float = Field(0.150, gt=0, description="LKr track acceptance inner radius (m)")
    lkr_apothem_m: float = Field(1.130, gt=0, description="LKr track acceptance, octagon apothem (m)")
    muv12_inner_radius_m: float = Field(0.130, gt=0, description="MUV1/MUV2 acceptance inner radius (m)")
    muv12_half_width_m: float = Field(1.100, gt=0, description="MUV1/MUV2 acceptance half side (m)")


class StrawCard(Card):
    """STRAW spectrometer: published momentum resolution, chamber material, track-quality cut.

    The chamber position resolution is derived from ``dp_over_p_per_gev``
    (:func:`na62lab.detector.tracking.chamber_resolution`); ``dp_over_p_const``
    is the published value the simulated scattering term is checked against.
    """

    dp_over_p_const: float = Field(0.0030, ge=0, description="published sigma_p/p constant term (reference)")
    dp_over_p_per_gev: float = Field(0.00005, ge=0,
                                     description="published sigma_p/p term proportional to p (per GeV/c)")
    chamber_x_over_x0: float = Field(0.0045, gt=0, lt=0.1, description="material of one chamber (X0)")
    chamber_z_eff: float = Field(6.5, gt=0, description="effective Z of the chamber material (mylar/gas)")
    tail_threshold: float = Field(2.5, gt=1, description="single-scattering tail above this many theta0")
    min_chambers_extra: int = Field(2, ge=1, le=4, description="chambers an extra track needs to be seen")
    chi2_max: float = Field(20.0, gt=0, description="largest track-fit chi2 (3 degrees of freedom) accepted")


class RichCard(Card):
    """RICH: Cherenkov angle model of pi/mu/e separation."""

    n_minus_1: float = Field(62.8e-6, gt=0, description="neon refractive index minus one")
    angle_resolution_urad: float = Field(65.0, gt=0, description="single-ring Cherenkov angle sigma (urad)")
    hits_saturated: float = Field(14.0, gt=0, description="mean hits of a beta = 1 ring")
    min_hits: int = Field(4, ge=1, description="hits needed to reconstruct a ring")
    pion_mass_window_mev: tuple[float, float] = Field((125.0, 200.0), description="RICH mass window for pi+ (MeV)")
    misid_floor: float = Field(1e-3, ge=0, le=1, description="non-Gaussian mu/e -> pi floor (probability)")
    focal_length_m: float = Field(17.0, gt=0, description="RICH mirror focal length (m)")


class CaloPidCard(Card):
    """Calorimetric (LKr + MUV1-3) particle identification."""

    pion_efficiency: float = Field(0.75, gt=0, le=1, description="pi+ identification efficiency")
    muon_misid: float = Field(1.2e-5, ge=0, le=1, description="mu+ identified as pi+ (probability)")
    positron_misid: float = Field(1e-3, ge=0, le=1, description="e+ identified as pi+ (probability)")
    merged_eop_max: float = Field(
        0.8, gt=0, description="track rejected as e+ when LKr E/p >= this; photons merged with the track's "
                               "cluster carrying this fraction of p fail it (NA62 framework CutEoP = 0.8)")


class VetoCard(Card):
    """Photon and extra-particle vetoes: inefficiency vs energy for LAV, LKr, IRC, SAC."""

    lav_ineff: list[tuple[float, float]] = Field(
        [(0.02, 1.0), (0.05, 0.1), (0.1, 1e-2), (0.2, 1e-4), (5.0, 1e-4)],
        description="(E GeV, inefficiency) nodes, log-log interpolated, flat beyond the ends")
    lkr_ineff: list[tuple[float, float]] = Field(
        [(0.1, 1.0), (0.5, 1e-2), (1.0, 1e-3), (3.0, 1e-4), (10.0, 1e-5), (30.0, 8e-6)])
    irc_ineff: list[tuple[float, float]] = Field([(0.1, 1.0), (1.0, 1e-2), (5.0, 1e-4), (20.0, 5e-5)])
    sac_ineff: list[tuple[float, float]] = Field([(0.1, 1.0), (1.0, 1e-2), (5.0, 1e-4), (20.0, 5e-5)])
    irc_inner_radius_m: float = Field(0.060, gt=0, description="IRC inner radius; SAC covers inside (m)")
    irc_outer_radius_m: float = Field(0.145, gt=0, description="IRC outer radius (m)")
    sac_half_width_m: float = Field(0.1025, gt=0, description="SAC half side (m)")
    lkr_track_cluster_distance_m: float = Field(
        0.100, ge=0, description="LKr clusters closer than this to the track impact are not vetoed (m)")
    lav_stations: list[tuple[float, float, float]] = Field(
        [(121.363, 0.5365, 0.9065), (128.973, 0.5365, 0.9065), (136.583, 0.5365, 0.9065),
         (144.193, 0.5365, 0.9065), (151.803, 0.5365, 0.9065), (165.313, 0.7675, 1.1375),
         (172.823, 0.7675, 1.1375), (180.333, 0.7675, 1.1375), (192.709, 0.980, 1.350),
         (203.102, 0.980, 1.350), (217.528, 0.980, 1.350), (238.313, 1.070, 1.440)],
        description="LAV stations: (front z, inner radius, outer radius) in m, in z order")
    charged_ineff_straw: float = Field(1e-2, ge=0, le=1,
                                       description="STRAW: an extra track crossing enough chambers is missed")
    charged_ineff_newchod: float = Field(5e-3, ge=0, le=1, description="NewCHOD: an extra charged track is missed")
    charged_ineff_lkr: float = Field(1e-2, ge=0, le=1, description="LKr: an extra charged hadron/muon is missed")
    charged_ineff_lav: float = Field(1e-2, ge=0, le=1, description="LAV: an extra charged track is missed")
    charged_ineff_muv3: float = Field(5e-3, ge=0, le=1, description="MUV3: an extra muon is missed")

    @field_validator("lav_stations")
    @classmethod
    def _stations(cls, v: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
        z = [s[0] for s in v]
        if len(v) != 12 or any(b <= a for a, b in zip(z, z[1:])):
            raise ValueError("needs the 12 LAV stations in increasing z")
        if any(not 0 < s[1] < s[2] for s in v):
            raise ValueError("each station needs 0 < inner radius < outer radius")
        return v

    @field_validator("lav_ineff", "lkr_ineff", "irc_ineff", "sac_ineff")
    @classmethod
    def _table(cls, v: list[tuple[float, float]]) -> list[tuple[float, float]]:
        e = [x[0] for x in v]
        if len(v) < 2 or any(b <= a for a, b in zip(e, e[1:])) or e[0] <= 0:
            raise ValueError("needs >= 2 nodes with increasing positive energies")
        if any(not 0 < x[1] <= 1 for x in v):
            raise ValueError("inefficiencies must be in (0, 1]")
        return v


class TimingCard(Card):
    """Time resolutions and the GTK-STRAW matching with accidental beam tracks."""

    ktag_resolution_ps: float = Field(70.0, gt=0, description="KTAG time sigma (ps)")
    rich_resolution_ps: float = Field(70.0, gt=0, description="RICH track time sigma (ps)")
    matching_window_ns: float = Field(0.6, gt=0, description="half-width of the GTK time window (ns)")
    cda_scale_mm: float = Field(1.5, gt=0, description="CDA scale in the matching discriminant (mm)")
    max_discriminant: float = Field(9.0, gt=0, description="largest discriminant of an accepted K-pi match")
    max_accidentals: int = Field(6, ge=0, le=16, description="cap on accidental GTK tracks per event")


class CommonCutsCard(Card):
    """Selection pieces common to every K+ decay that are not simulated event by event (efficiencies).

    ``ktag_efficiency`` and ``upstream_cuts_efficiency`` multiply the weight of every selected event of every
    mode (:func:`common_efficiency`): A_pinunu and A_pipi fall by the same factor, N_K = N_pipi D / (BR A_pipi)
    rises by its inverse, so the SES and the background estimates do not change.  ``pion_material`` and
    ``pion_cross_section_ratio`` give the probability that a pi+ track crosses the material upstream of the
    calorimeters without a hadronic interaction (:func:`pion_interaction_survival`, pi+ tracks only; an
    interacting pi+ is counted as lost).  Every value is printed with the results.
    """

    ktag_efficiency: float = Field(1.0, gt=0, le=1, description="KTAG kaon identification (sector coincidence "
                                   "in time with the GTK/RICH reference)")
    upstream_cuts_efficiency: float = Field(
        1.0, gt=0, le=1, description="signal efficiency of the upstream-background cuts not simulated (CHANTI "
                                     "veto, GTK extra activity, 2021-22 upstream geometric cuts)")
    pion_material: dict[str, tuple[float, float]] = Field(
        {}, description="layers a pi+ crosses before the calorimeters: name -> (areal density, nuclear "
                        "interaction length), both g/cm^2")
    pion_cross_section_ratio: float = Field(
        1.0, gt=0, le=2, description="pi+-nucleus over nucleon-nucleus inelastic cross section (scales 1/lambda_I)")

    @field_validator("pion_material")
    @classmethod
    def _layers(cls, v: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        if any(not (t >= 0 and lam > 0) for t, lam in v.values()):
            raise ValueError("each layer needs areal density >= 0 and interaction length > 0 (g/cm^2)")
        return v


def common_efficiency(cuts: CommonCutsCard) -> float:
    """Product of the efficiencies of the non-simulated common cuts (applied to every event).

    Examples
    --------
    >>> common_efficiency(CommonCutsCard(ktag_efficiency=0.5, upstream_cuts_efficiency=0.5))
    0.25
    """
    return float(cuts.ktag_efficiency * cuts.upstream_cuts_efficiency)


def pion_interaction_survival(cuts: CommonCutsCard) -> float:
    """Probability that a pi+ crosses ``pion_material`` without an inelastic interaction.

    exp(-r sum_i t_i / lambda_i), with t_i the areal density and lambda_i
    the nuclear interaction length of layer i (g/cm^2) and r the pi+ to
    nucleon inelastic cross-section ratio (PDG, Review of Particle Physics,
    "Passage of particles through matter": attenuation of a hadron flux as
    exp(-x / lambda_I)).

    Examples
    --------
    >>> round(pion_interaction_survival(CommonCutsCard(pion_material={"a": (10.0, 100.0)})), 4)
    0.9048
    """
    depth = sum(t / lam for t, lam in cuts.pion_material.values())
    return float(math.exp(-cuts.pion_cross_section_ratio * depth))


class SelectionCard(Card):
    """K+ -> pi+ nu nubar selection: momentum range, vertex, regions, categories (GeV^2/c^4)."""

    momentum_gev: tuple[float, float] = Field((15.0, 45.0), description="pi+ momentum range (GeV/c)")
    cda_max_mm: float = Field(4.0, gt=0, description="max closest distance of approach (mm)")
    beam_mmiss2_margin_gev2: float = Field(
        0.004, ge=0, description="m_miss^2 with the nominal beam must lie in the same region widened by this")
    r1_gev2: tuple[float, float] = Field((0.0, 0.010), description="signal region 1 (GeV^2/c^4)")
    r2_gev2: tuple[float, float] = Field((0.026, 0.068), description="signal region 2 (GeV^2/c^4)")
    pipi_gev2: tuple[float, float] = Field((0.015, 0.021), description="K+ -> pi+ pi0 normalisation region")
    control_gev2: dict[str, tuple[float, float]] = Field(
        {"CR1": (0.010, 0.015), "CR2": (0.021, 0.026), "3pi": (0.072, 0.20), "munu": (-0.20, -0.005)},
        description="control regions (GeV^2/c^4)")
    momentum_bins_gev: list[float] = Field([15, 20, 25, 30, 35, 40, 45], description="categories (GeV/c)")
    blind: bool = Field(True, description="keep signal regions masked in data-like outputs")
    constraint_bands_gev: list[float] = Field(
        [20.0, 25.0], description="momentum edges (GeV/c) of the bands of the beam/RICH m_miss^2 windows")
    beam_windows_gev2: dict[str, list[tuple[float, float]]] = Field(
        {"R1": [(-0.005, 0.0135), (-0.005, 0.0135), (0.0, 0.0135)], "R2": [(0.024, 0.068)], "pipi": []},
        description="m_miss^2 (nominal beam) window per region: one per momentum band, one for all, or none")
    rich_windows_gev2: dict[str, list[tuple[float, float]]] = Field(
        {"R1": [(0.0, 0.010), (0.0, 0.020), (-0.005, 0.020)], "R2": [(0.020, 0.070)], "pipi": [(0.0, 0.070)]},
        description="m_miss^2 (RICH momentum) window per region: one per momentum band, one for all, or none")
    straw1_box_mm: Optional[tuple[float, float]] = Field(
        None, description="reject tracks with |x| < box[0] and |y| < box[1] at STRAW1 (mm); None: no box cut")
    upstream_straw1_cut: Optional[tuple[float, float, float]] = Field(
        None, description="(R0 mm, slope mm per m, x centre mm): reject tracks whose distance from (x centre, 0) at "
                          "STRAW1 is at most R0 - slope z_vertex (z in m); None: off")
    gtk3_box_mm: Optional[tuple[float, float]] = Field(
        None, description="reject tracks whose straight backward extrapolation crosses |x| < box[0], |y| < box[1] "
                          "at GTK3 (mm); None: off")

    @model_validator(mode="after")
    def _regions(self) -> "SelectionCard":
        for name in ("r1_gev2", "r2_gev2", "pipi_gev2", "momentum_gev"):
            lo, hi = getattr(self, name)
            if not lo < hi:
                raise ValueError(f"{name} needs lo < hi")
        b = self.momentum_bins_gev
        if len(b) < 2 or any(y <= x for x, y in zip(b, b[1:])):
            raise ValueError("momentum_bins_gev must increase")
        c = self.constraint_bands_gev
        if any(y <= x for x, y in zip(c, c[1:])):
            raise ValueError("constraint_bands_gev must increase")
        for field in ("beam_windows_gev2", "rich_windows_gev2"):
            for region, windows in getattr(self, field).items():
                if len(windows) not in (0, 1, len(c) + 1):
                    raise ValueError(f"{field}[{region}] needs 0, 1 or {len(c) + 1} windows")
                if any(not lo < hi for lo, hi in windows):
                    raise ValueError(f"{field}[{region}] windows need lo < hi")
        return self


class PublishedKaon(Card):
    """Published 2021-22 numbers to compare with (JHEP 02 (2025) 191)."""

    acceptance_pinunu: float = 0.0762
    acceptance_pinunu_error: float = 0.0022
    acceptance_pipi: float = 0.118
    ses: float = 8.48e-12
    ses_error: float = 0.29e-12
    mmiss2_resolution_gev2: float = 1.0e-3
    backgrounds: dict[str, float] = Field(
        {"pipi0": 0.83, "munu": 1.70, "pipipi": 0.11, "ke4": 0.89, "pigg": 0.01, "pi0lnu": 0.001,
         "upstream": 7.4, "total": 11.0})
    background_errors: dict[str, tuple[float, float]] = Field(
        {"pipi0": (0.05, 0.05), "munu": (0.47, 0.47), "pipipi": (0.03, 0.03), "ke4": (0.33, 0.27),
         "pigg": (0.01, 0.01), "upstream": (2.1, 1.8), "total": (2.1, 1.9)},
        description="(up, down) uncertainty of each expected background (events), as published beside it in "
                    "JHEP 02 (2025) 191 (arXiv:2412.12015), table of expected backgrounds; pi0lnu is an upper "
                    "limit (< 0.001) and has none")
    reference: str = "NA62, JHEP 02 (2025) 191 (arXiv:2412.12015)"


class NormalisationCard(Card):
    """Normalisation inputs of the single-event sensitivity (2021-22)."""

    n_k: float = Field(2.85e12, gt=0, description="K+ decays in the fiducial volume (published)")
    n_k_error: float = Field(0.01e12, ge=0)
    n_pipi_downscaled: float = Field(
        6.951e10, gt=0, description="normalisation events times downscaling, N_pipi D = N_K BR(pi pi0) A_pipi")
    trigger_efficiency: float = Field(0.86, gt=0, le=1, description="PNN trigger efficiency")
    random_veto_efficiency: float = Field(0.631, gt=0, le=1, description="random-veto signal efficiency")
    br_pinunu: float = Field(K_PLUS_BR["pinunu"].value, gt=0, description="BR used for the expected signal (SM)")
    upstream_background: float = Field(7.4, ge=0, description="data-driven upstream background (events)")
    upstream_background_up: float = Field(2.1, ge=0)
    upstream_background_down: float = Field(1.8, ge=0)
    published: PublishedKaon = PublishedKaon()


class RunCard(Card):
    """Run size, chunking, seed and the generation fractions of each mode."""

    decays: int = Field(2_000_000, ge=1, description="K+ decays to simulate")
    chunk_size: int = Field(500_000, ge=1000, description="decays per chunk (sets the shard layout)")
    seed: int = Field(62, ge=0)
    pi0_orientations: int = Field(
        21, ge=0, le=10_000,
        description="pi0 -> gamma gamma orientations (lattice points) averaged in the veto weight of signal-region "
                    "events (conditional Monte Carlo, na62lab.detector.pi0_veto); 0 keeps the one drawn orientation")
    pair_orientations: int = Field(
        0, ge=0, le=100_000,
        description="K+ -> pi+ pi+ pi-: orientations of the undetected pi+ pi- pair drawn per signal-region event to "
                    "average its veto weight (conditional Monte Carlo, na62lab.detector.pion_pair_veto); 0: off")
    k3pi_edge_split: int = Field(
        1, ge=1, le=1000,
        description="K+ -> pi+ pi+ pi- decays with a pi+ of true m_miss^2 below k3pi_edge_mmiss2_gev2 are simulated "
                    "this many times with weight 1/k3pi_edge_split (splitting, na62lab.generation.kaon.splitting); "
                    "1: off")
    k3pi_edge_mmiss2_gev2: float = Field(
        0.082, gt=0, description="true m_miss^2 (pi+ hypothesis, GeV^2/c^4) below which a K3pi decay is split")
    importance_mmiss2_gev2: dict[str, list[tuple[float, float]]] = Field(
        {}, description="per mode, (upper edge, factor) bins of the decay's smallest true m_miss^2 of a positive "
                        "charged particle (pi+ hypothesis, GeV^2/c^4): a decay is simulated factor times on average "
                        "with weight 1/factor (splitting above 1, Russian roulette below; exactly unbiased, "
                        "na62lab.generation.kaon.splitting.importance_rows); decays above the last edge keep 1; "
                        "not for pinunu and pipi0 (acceptances)")
    importance_veto: dict[str, tuple[float, float, float]] = Field(
        {}, description="per mode, (w_ref, f_min, f_max): a decay is simulated f = clip(w0 / w_ref, f_min, f_max) "
                        "times on average with weight 1/f, w0 being the veto pass probability of its true final state "
                        "(0 without a selectable track); exactly unbiased (splitting / Russian roulette, "
                        "na62lab.generation.kaon.splitting.importance_rows); not for pinunu and pipi0")
    importance_veto_pair_orientations: int = Field(
        0, ge=0, le=1000, description="K+ -> pi+ pi+ pi-: the importance_veto score is the veto weight averaged "
                                      "over this many pion-pair orientations (na62lab.variance.pair_orientation) "
                                      "instead of the one drawn orientation, computed once per generated decay "
                                      "and reused as the R1/R2 veto weight of its rows (so score and weight "
                                      "cancel; na62lab.variance.kaon.importance_by_veto); 0: the drawn one")
    importance_straw_tail: dict[str, tuple[float, float]] = Field(
        {}, description="per mode, (bias, mix): the STRAW single-scattering tail probability (chambers 1-3) of "
                        "the track is multiplied by bias (capped at 0.5) and a share mix of its angles drawn from a "
                        "1/theta^2 law, the track carrying the exact likelihood-ratio weight in w_decay "
                        "(importance sampling, na62lab.detector.tracking.measure_track); not for pinunu and pipi0")
    fractions: dict[str, float] = Field(
        {"pinunu": 0.12, "pipi0": 0.25, "munu": 0.26, "pipipi": 0.14, "pi0enu": 0.04,
         "pi0munu": 0.04, "pipi0pi0": 0.05, "ke4": 0.04, "pigg": 0.03, "pimumu": 0.03},
        description="share of generated decays per mode (weights restore the BRs)")

    @field_validator("importance_mmiss2_gev2")
    @classmethod
    def _importance(cls, v: dict[str, list[tuple[float, float]]]) -> dict[str, list[tuple[float, float]]]:
        allowed = [m for m in _SM_MODES if m not in ("pinunu", "pipi0")]
        for mode, table in v.items():
            if mode not in allowed:
                raise ValueError(f"importance for mode {mode!r}; allowed {allowed}")
            edges = [e for e, _ in table]
            if not table or any(b <= a for a, b in zip(edges, edges[1:])):
                raise ValueError(f"importance[{mode}] needs >= 1 bin with increasing upper edges")
            if any(not 1e-3 <= f <= 1000 for _, f in table):
                raise ValueError(f"importance[{mode}] factors must be in [0.001, 1000]")
        return v

    @field_validator("importance_veto")
    @classmethod
    def _importance_veto(cls, v: dict[str, tuple[float, float, float]]) -> dict[str, tuple[float, float, float]]:
        allowed = [m for m in _SM_MODES if m not in ("pinunu", "pipi0")]
        for mode, (w_ref, f_min, f_max) in v.items():
            if mode not in allowed:
                raise ValueError(f"importance_veto for mode {mode!r}; allowed {allowed}")
            if not (w_ref > 0 and 1e-4 <= f_min <= f_max <= 1e5):
                raise ValueError(f"importance_veto[{mode}] needs w_ref > 0 and 1e-4 <= f_min <= f_max <= 1e5")
        return v

    @field_validator("importance_straw_tail")
    @classmethod
    def _importance_straw_tail(cls, v: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        allowed = [m for m in _SM_MODES if m not in ("pinunu", "pipi0")]
        for mode, (bias, mix) in v.items():
            if mode not in allowed:
                raise ValueError(f"importance_straw_tail for mode {mode!r}; allowed {allowed}")
            if not (1.0 <= bias <= 1000.0 and 0.0 <= mix <= 0.95):
                raise ValueError(f"importance_straw_tail[{mode}] needs 1 <= bias <= 1000 and 0 <= mix <= 0.95")
        return v

    @field_validator("fractions")
    @classmethod
    def _fractions(cls, v: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(v) - set(_SM_MODES))
        if unknown:
            raise ValueError(f"unknown modes {unknown}; allowed {list(_SM_MODES)}")
        if any(x < 0 for x in v.values()) or sum(v.values()) <= 0:
            raise ValueError("fractions must be >= 0 with a positive sum")
        return v


class KaonCard(Card):
    """Everything the kaon-mode fast simulation needs."""

    name: str = "custom"
    geometry: Geometry = Geometry()
    beam: BeamCard = BeamCard()
    decay_volume: DecayVolumeCard = DecayVolumeCard()
    apertures: AperturesCard = AperturesCard()
    gtk: GTKCard = GTKCard()
    straw: StrawCard = StrawCard()
    rich: RichCard = RichCard()
    calo_pid: CaloPidCard = CaloPidCard()
    vetoes: VetoCard = VetoCard()
    timing: TimingCard = TimingCard()
    common_cuts: CommonCutsCard = CommonCutsCard()
    selection: SelectionCard = SelectionCard()
    normalisation: NormalisationCard = NormalisationCard()
    run: RunCard = RunCard()

    @model_validator(mode="after")
    def _volume_inside_detector(self) -> "KaonCard":
        z0, z1 = self.decay_volume.z_range_m
        if z0 < self.geometry.gtk_m[-1] or z1 > self.geometry.straw_m[0]:
            raise ValueError("decay_volume.z_range_m must lie between GTK3 and STRAW1")
        return self


SM_MODES = _SM_MODES
"""Names of the Standard-Model K+ decay modes of the simulation."""

SHIPPED_CARD = "na62_kaon_2021_22"
"""The shipped 2021-22 kaon-mode card: the single source of the simulation's defaults."""


def shipped_kaon_card() -> KaonCard:
    """The shipped card ``na62_kaon_2021_22`` (validated; every consumer of the kaon chain starts from it).

    The :class:`KaonCard` field defaults are only a schema fallback; they
    differ from the shipped card in places (e.g. ``run.pair_orientations``),
    so code that needs "the NA62 2021-22 setup" must call this, not
    ``KaonCard()``.
    """
    from na62lab.config.base import load_card

    return load_card(SHIPPED_CARD, KaonCard)
