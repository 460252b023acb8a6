"""Beam-dump run card: exposure, production normalisation, selection, per-channel inputs.

Units are in the field names (``_m``, ``_gev``, ``_mm``, ``_urad``).  The
shipped cards ``na62_dump_2021`` and ``na62_dump_run2`` carry the sources of
their numbers in YAML comments.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from na62lab.config.base import Card
from na62lab.config.geometry import FIDUCIAL_Z_START_M, LKR_FRONT_M, MUV3_HOLE_RADIUS_M, Geometry
from na62lab.physics.materials import MATERIALS

EXCLUSIVE_FINAL_STATES: tuple[str, ...] = ("ee", "mumu", "pipi", "pipigamma", "3pi", "4pi", "KK", "KKpi",
                                           "pipieta", "gammagamma",
                                           "pie", "pimu", "Ke", "Kmu", "rhoe", "rhomu", "emunu", "nuee", "numumu")
"""Exclusive visible final states reconstructed in the dump searches (FIP decay-channel names); the
default channels of a card."""

INCLUSIVE_FINAL_STATES: tuple[str, ...] = ("gg", "ss", "cc", "tautau", "other", "multihadron")
"""Inclusive hadronic final states (Pythia-hadronised parton pairs,
:data:`na62lab.generation.dump.fip_decays.INCLUSIVE`; the HNL's ``multihadron``: a lepton and a
hadronic system), selected with at least
``selection.inclusive_min_tracks`` charged tracks; only for experiments whose selection counts
any such decay (not the exclusive NA62 analyses)."""

FINAL_STATES: tuple[str, ...] = EXCLUSIVE_FINAL_STATES + INCLUSIVE_FINAL_STATES
"""Every final state a card may list."""

NEUTRAL_FINAL_STATES: tuple[str, ...] = ("gammagamma",)
"""Fully neutral final states: no STRAW track, so they may decay downstream of STRAW chamber 1,
up to the calorimeter (the NA62 dump configuration of the public ALPINIST code,
jjerhot/ALPINIST ALP_decay/src/ExpParameters.C: ZFVEnd = ZLKR for neutral final states)."""

EFFICIENCY_GROUPS: tuple[str, ...] = ("all", "charged", "neutral", "leptonic", "semileptonic", "hadronic")
"""Groups of final states an efficiency factor can apply to (besides single final-state names):
visible charged leptons only (leptonic), a lepton and hadrons (semileptonic), hadrons only."""

_LEPTONIC = ("ee", "mumu", "emunu", "nuee", "numumu")
_SEMILEPTONIC = ("pie", "pimu", "Ke", "Kmu", "rhoe", "rhomu")


ExclusiveRule = Literal["all_daughters", "charged_tracks"]
"""Choices of ``selection.exclusive_rule`` (:class:`DumpSelection`)."""

BremsFormFactor = Literal["faessler", "none", "alpinist_isospin_modulus", "ua_model"]
"""Choices of ``production.brems_form_factor`` (the same as ``na62lab.fips.dark_photon.BREMS_FORM_FACTORS``)."""


def final_state_groups(final_state: str) -> set[str]:
    """The efficiency groups (:data:`EFFICIENCY_GROUPS`) a final state belongs to, plus its own name."""
    neutral = final_state in NEUTRAL_FINAL_STATES
    groups = {"all", final_state, "neutral" if neutral else "charged"}
    if not neutral:
        groups.add("leptonic" if final_state in _LEPTONIC else
                   "semileptonic" if final_state in _SEMILEPTONIC else "hadronic")
    return groups


SPS_BEAM_ENERGY_GEV = 400.0
"""Energy of the CERN SPS proton beam on the dumps (GeV): NA62 in dump mode, CHARM, SHiP at ECN3 (NuCal's
70 GeV U-70 beam is set in its card)."""


class DumpRun(Card):
    """Exposure: protons on target (POT) and its relative uncertainty."""

    n_pot: float = Field(1.4e17, gt=0, description="protons on dump")
    n_pot_rel_error: float = Field(0.2, ge=0, lt=1, description="relative 1-sigma error on n_pot")
    projection: bool = Field(False, description="no data: report the background-only expected limit, "
                                                "labelled 'expected', instead of an observed one")
    beam_energy_gev: float = Field(SPS_BEAM_ENERGY_GEV, gt=0,
                                   description="proton beam energy (GeV); the production table "
                                               "must be at this energy (the bremsstrahlung follows it)")


class DumpProduction(Card):
    """Per-proton normalisation of production and the thick-target options.

    Heavy flavour: chi_cc = 1.7e-3 and chi_bb = 1.6e-7 are the SHiP numbers
    (sigma_cc = 18.1 ub and sigma_bb = 1.7 nb per nucleon at 400 GeV over the
    p-nucleus inelastic cross section; CERN-SHiP-NOTE-2015-009, used e.g. in
    Bondarenko et al. arXiv:1805.08567): *primary* production only, the
    thick-target cascade enhancement (x2.3 charm, x1.7 beauty in the SHiP
    target) is the separate ``cascade_*`` option.  For copper instead of
    molybdenum the A^0.29 scaling of sigma_pA would lower chi by ~10 % (not
    applied).  chi_jpsi = 1e-5 is an ESTIMATE: B_mumu sigma(J/psi)/A = 0.99 nb
    per nucleon in 0.3 < y_cm < 0.6 (NA50 as quoted by SHiP, arXiv:2604.03661),
    extrapolated to all rapidities (x ~7) and divided by B_mumu = 5.96 %,
    times A / sigma_inel(p Cu) = 63.5 / 782 mb.

    Light mesons: the production table holds Pythia's yields per inelastic
    collision, which at sqrt(s) = 27 GeV overshoot the measured pp yields
    (default tune: pi0 5.05, eta 0.58, rho0 0.66, omega 0.66, phi 0.024 per
    collision).  ``measured_multiplicities`` replaces the normalisation of the
    listed species by measured mean multiplicities (the NA62 cards use NA27, pp
    at 400 GeV/c, Aguilar-Benitez et al., Z. Phys. C 50 (1991) 405) and keeps
    Pythia's (p, theta) shapes (APPROXIMATION: the forward shape is Pythia's).
    """

    chi_cc: float = Field(1.7e-3, gt=0, description="c cbar pairs per proton (primary)")
    chi_bb: float = Field(1.6e-7, gt=0, description="b bbar pairs per proton (primary)")
    chi_jpsi: float = Field(1.0e-5, ge=0, description="J/psi per proton (primary, estimate)")
    bc_to_bplus: float = Field(
        7.6e-3, ge=0, le=1, description="B_c+ produced per B+ (charge conjugates summed), ASSUMED: not measured at "
        "400 GeV and no calculation at sqrt(s) = 27 GeV was found (those found, e.g. Berezhnoy, Likhoded, "
        "Shevlyagin IHEP 94-48 and Kolodziej, Leike, Rueckl hep-ph/9505298, address collider energies); the "
        "LHC-energy value 2 f_c/(f_u + f_d) = 2 x 3.78e-3 (LHCb, 13 TeV, PRD 100 (2019) 112006, arXiv:1910.13404; "
        "f_u = f_d), the fraction SHiP's HNL tools use at the SPS (SensCalc's SPS b-quark tables imply 2.9e-3 B_c "
        "per b quark, i.e. 7.2e-3 of B+).  An UPPER bracket: B_c+ needs a second heavy pair (c cbar), whose "
        "threshold lowers it near the SPS energy; 0 (no B_c+) is the lower bracket, and every dump result prints "
        "both (na62lab.analyses.beam_dump_bc).  The B_c+ takes the B+ (p, theta) spectrum of the table "
        "(APPROXIMATE); 0 switches B_c+ production off (na62lab.generation.dump.tables.with_bc)")
    cascade_charm: float = Field(1.0, ge=1, description="thick-target cascade factor for charm")
    cascade_beauty: float = Field(1.0, ge=1, description="thick-target cascade factor for beauty")
    interaction_length_m: float = Field(MATERIALS["Cu"].interaction_length_m, gt=0, description="nuclear "
                                        "interaction length of the dump material (m); default Cu, 137.3 g/cm^2 / "
                                        "8.96 g/cm^3 = 0.15324 m (na62lab.physics.materials, PDG)")
    beam_spot_mm: float = Field(1.0, ge=0, description="transverse Gaussian sigma of the proton impact (mm)")
    brems_z_range: tuple[float, float] = Field((0.1, 0.9), description="FWW momentum fraction range")
    brems_pt_max_gev: float = Field(1.0, gt=0, description="FWW transverse-momentum cut (GeV/c)")
    brems_form_factor: BremsFormFactor = Field(
        "faessler", description="|F(m^2)|^2 of the A' proton bremsstrahlung (na62lab.fips.dark_photon."
        "brems_form_factor_squared): 'faessler' (time-like proton F_1 of arXiv:0910.5589, default), 'none' (1), "
        "'alpinist_isospin_modulus' (NA62's apparent prescription, the public ALPINIST code's isovector and "
        "isoscalar moduli added: a reproduction option, not the physics default), 'ua_model' (the data-driven "
        "Unitary & Analytic model F_1 of Adamuscin et al., PRC 93 (2016) 055208, tabulated to 2 GeV as in "
        "arXiv:2409.09123: na62lab.fips.proton_form_factor_ua); true/false = faessler/none")
    vector_mixing: bool = Field(True, description="dark photons from rho/omega/phi mixing")
    drell_yan: bool = Field(True, description="q qbar -> V of vector FIPs from the shipped Drell-Yan table at the "
                            "beam energy (na62lab.generation.dump.drell_yan), for models that declare it")
    drell_yan_min_mass_gev: float = Field(
        1.4, ge=0, description="Drell-Yan (perturbative q qbar -> V) only above this mass (GeV); below it the "
        "time-like production is the proton bremsstrahlung and vector-meson mixing.  1.4 GeV: SHiP's QCD "
        "production regime (FairShip python/dpProductionRates.py qcdprodRate, Pythia fit used above 1.4 GeV; "
        "SHiP dark-photon study EPJC 81 (2021) 451, arXiv:2011.05115)")
    measured_multiplicities: dict[str, float] = Field(
        default_factory=dict, description="light mesons per inelastic collision from measurement (species -> "
        "mean number, e.g. pi0, eta, rho0, omega, phi); replaces the table's Pythia normalisation of that "
        "species, its (p, theta) shape is kept; species not listed keep Pythia's")
    scalar_brems: bool = Field(False, description="dark scalars from proton bremsstrahlung (approximate; "
                               "not in the PBC BC4 definition, arXiv:1901.09966)")
    meson_absorption_length_m: float = Field(0.20, gt=0, description="absorption length of K and pi in Cu (m); "
                                             "assumed: 1.3 x the proton one")
    meson_cascade: bool = Field(False, description="light mesons (pi0, eta, eta', rho, omega, phi, K, pi+-) "
                                "of the whole hadronic cascade, not only of the primary collision "
                                "(na62lab.generation.dump.cascade.cascade_meson_table; APPROXIMATE)")
    meson_cascade_p_min_gev: float = Field(2.0, gt=0, description="cascade mesons counted above this momentum "
                                           "(GeV/c) only; at or below the smallest FIP energy the selection "
                                           "accepts, so no accepted FIP is cut")
    primakoff_cascade: bool = Field(True, description="Primakoff on the photons of the hadronic and "
                                    "electromagnetic cascade (False: primary-collision photons only)")
    photon_fusion: bool = Field(True, description="Primakoff production by the beam proton's own equivalent "
                                "photons (photon fusion; proton EPA of Budnev et al., Phys. Rep. 15 (1975) 181, with "
                                "dipole G_E, G_M; arXiv:1512.03069 Sec. 3; na62lab.generation.dump.photon_fusion), "
                                "for models that declare it")
    photon_e_min_gev: float = Field(3.0, gt=0, description="lowest dump-photon energy for Primakoff (GeV); "
                                    "at or below the selection's photon-pair energy sum, so no accepted FIP is cut")
    copper_radiation_length_m: float = Field(MATERIALS["Cu"].radiation_length_m, gt=0, description="X0 of the "
                                             "dump material (m); default Cu, 12.86 g/cm^2 / 8.96 g/cm^3 = 0.014353 "
                                             "m (na62lab.physics.materials, PDG)")
    target_material: Literal["Cu", "Fe", "Mo", "W"] | None = Field(
        None, description="dump material for Primakoff conversion (Z, A, density and X0 from the PDG table "
        "in na62lab.generation.dump.primakoff.NUCLEI; then copper_radiation_length_m is not used for Primakoff); "
        "None = the production table's target nucleus and copper_radiation_length_m")
    production_table: str | None = Field(None, description="path of a production table, or the file name of "
                                         "a shipped one (e.g. production_tables_70GeV_Fe.npz); None = the "
                                         "shipped 400 GeV table")

    @field_validator("brems_form_factor", mode="before")
    @classmethod
    def _form_factor_switch(cls, v: object) -> object:
        """The former on/off switch: true -> 'faessler', false -> 'none' (old cards keep working)."""
        return ("faessler" if v else "none") if isinstance(v, bool) else v

    @field_validator("measured_multiplicities")
    @classmethod
    def _multiplicities(cls, v: dict[str, float]) -> dict[str, float]:
        bad = [k for k, x in v.items() if not x > 0]
        if bad:
            raise ValueError(f"measured_multiplicities must be > 0 (got {', '.join(bad)})")
        return v

    @field_validator("brems_z_range")
    @classmethod
    def _z_range(cls, v: tuple[float, float]) -> tuple[float, float]:
        if not 0 < v[0] < v[1] < 1:
            raise ValueError("brems_z_range must satisfy 0 < z_min < z_max < 1")
        return v


class EfficiencyFactor(Card):
    """One efficiency of the published selection that the fast simulation does not model.

    ``status`` says where the value comes from: ``checked`` (found in the quoted
    paper), ``unverified`` (recalled from a paper, not found in a reachable copy)
    or ``assumed`` (not from the papers; printed with every result).  The factor
    multiplies the expected signal of every final state in ``applies_to`` (final
    state names or the groups of :data:`EFFICIENCY_GROUPS`).
    """

    name: str = Field(description="what the factor is, e.g. trigger, pid, track_quality, vetoes, timing")
    value: float = Field(gt=0, le=1, description="efficiency (dimensionless)")
    applies_to: tuple[str, ...] = Field(("all",), min_length=1, description="final states or groups")
    status: str = Field("assumed", pattern="^(checked|unverified|assumed)$")
    source: str = Field("", description="paper and place, or the reason for the assumption")

    @field_validator("applies_to")
    @classmethod
    def _targets(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = sorted(set(v) - set(FINAL_STATES) - set(EFFICIENCY_GROUPS))
        if bad:
            raise ValueError(f"applies_to has {bad}; allowed final states {list(FINAL_STATES)} "
                             f"or groups {list(EFFICIENCY_GROUPS)}")
        return v


def _default_efficiencies() -> tuple[EfficiencyFactor, ...]:
    return (EfficiencyFactor(name="trigger", value=0.95, applies_to=("charged",), status="assumed",
                             source="dump trigger for charged final states, not from the papers"),
            EfficiencyFactor(name="trigger", value=0.9, applies_to=("neutral",), status="assumed",
                             source="calorimetric trigger for gamma gamma, not from the papers"))


class DumpSelection(Card):
    """Fast-simulation selection (approximate; see the card comments).

    Decay volume: charged final states must decay in ``fiducial_z_m`` (their
    tracks are measured from STRAW chamber 1 on); fully neutral final states
    (:data:`NEUTRAL_FINAL_STATES`) from ``fiducial_z_m[0]`` to
    ``neutral_decay_end_m`` (the calorimeter front in the NA62 setup of the
    public ALPINIST code, ExpParameters.C).  Positions in metres from T10.
    """

    fiducial_z_m: tuple[float, float] = Field((FIDUCIAL_Z_START_M, 180.0),
                                              description="decay-vertex z range, charged (m)")
    neutral_decay_end_m: float = Field(LKR_FRONT_M, gt=0, description="end of the decay volume of fully neutral "
                                                                      "final states (m)")
    track_p_min_gev: float = Field(5.0, ge=0, description="minimum track momentum (GeV/c)")
    inclusive_min_tracks: int = Field(2, ge=1, description="accepted charged tracks an inclusive hadronic "
                                                           "final state needs (INCLUSIVE_FINAL_STATES)")
    exclusive_rule: ExclusiveRule = Field(
        "all_daughters", description="how an exclusive final state with charged daughters is selected: "
        "'all_daughters' (default; every daughter, the photons of pi0 -> gamma gamma and eta -> gamma gamma "
        "included, inside the acceptance: NA62's exclusive reconstruction, its hadronic analysis reconstructs "
        "the pi0 in the LKr, EPJC 85 (2025) 571) or 'charged_tracks' (at least inclusive_min_tracks of its "
        "charged daughters accepted, as the inclusive rule; photons and neutral daughters not required, the "
        "pi0 and eta may decay to anything, K Kbar pi counts its K+- K0 pi-+ modes and 4 pi its 2 pi+ 2 pi- too "
        "(na62lab.generation.dump.fip_decays.decay_charge_modes): experiments that "
        "count any decay with two charged tracks from a vertex, SHiP; na62lab.selection.dump_selection)")
    muon_p_min_gev: float | None = Field(None, ge=0, description="minimum muon momentum (GeV/c) of a generic "
                                         "dump detector (card ``detector``); None = track_p_min_gev")
    track_min_separation_mm: float = Field(0.0, ge=0, description="minimum distance of two tracks at "
                                                                  "STRAW chamber 1 (mm)")
    photon_e_min_gev: float = Field(3.0, ge=0, description="minimum LKr photon energy (GeV)")
    photon_e_max_gev: float | None = Field(None, gt=0, description="maximum photon energy (GeV) of a generic "
                                           "dump detector; None = no upper cut")
    photons_in_acceptance: Literal["all", "any"] = Field("all", description="generic dump detector, photons-only "
                                                         "final states: 'all' photons inside and within the "
                                                         "energy cuts, or ('any') at least one inside, the "
                                                         "others may miss it, and every photon inside within "
                                                         "the energy cuts")
    electrons_as_showers: bool = Field(False, description="generic dump detector without a magnetic "
                                                          "spectrometer (a calorimeter): e+ e- final states "
                                                          "are selected as electromagnetic showers, with the "
                                                          "photon energy window and photons_in_acceptance")
    photon_pair_e_min_gev: float = Field(0.0, ge=0, description="minimum summed energy of the photons (GeV)")
    photon_min_radius_m: float = Field(0.0, ge=0, description="minimum photon distance from the beam axis "
                                                              "at the LKr (m; the beam hole applies too)")
    photon_min_separation_m: float = Field(0.0, ge=0, description="minimum distance of two photons at the LKr (m)")
    lkr_octagon_m: tuple[float, float] | None = Field(None, description="LKr outer octagon: (max |x| = max |y|, "
                                                      "max |x|+|y|) in m; None = circle of the geometry's "
                                                      "lkr_outer_radius_m")
    muv3_hole_radius_m: float = Field(MUV3_HOLE_RADIUS_M, ge=0, description="MUV3 central hole radius (m)")
    pointing_cut_mm: float = Field(20.0, gt=0, description="max transverse distance at the TAX (mm)")
    angle_resolution_urad: float = Field(20.0, ge=0, description="direction resolution of the FIP (urad)")
    efficiencies: tuple[EfficiencyFactor, ...] = Field(default_factory=_default_efficiencies,
                                                       description="efficiencies not simulated")

    @model_validator(mode="after")
    def _fv(self) -> "DumpSelection":
        if not 0 < self.fiducial_z_m[0] < self.fiducial_z_m[1]:
            raise ValueError("fiducial_z_m must be (z_start, z_end) with 0 < z_start < z_end")
        if not self.neutral_decay_end_m >= self.fiducial_z_m[1]:
            raise ValueError("neutral_decay_end_m must be >= the end of fiducial_z_m")
        return self

    def decay_volume(self, final_state: str) -> tuple[float, float]:
        """(z_start, z_end) in m of the decay volume of ``final_state``."""
        end = self.neutral_decay_end_m if final_state in NEUTRAL_FINAL_STATES else self.fiducial_z_m[1]
        return self.fiducial_z_m[0], end

    def efficiency_factors(self, final_state: str) -> list[EfficiencyFactor]:
        """The factors of :attr:`efficiencies` that apply to ``final_state``."""
        groups = final_state_groups(final_state)
        return [f for f in self.efficiencies if groups & set(f.applies_to)]

    def efficiency(self, final_state: str) -> float:
        """Product of the efficiency factors of ``final_state`` (dimensionless)."""
        return float(np.prod([f.value for f in self.efficiency_factors(final_state)]))


class ChannelInput(Card):
    """Observed count and expected background (events) in one final state's signal region.

    ``observed_masses_mev`` localises the observed events in mass: when it is
    given (one reconstructed invariant mass in MeV per observed event), an
    event counts against a FIP mass hypothesis m only if its mass lies within
    ``mass_window_rel`` x m of m, as in a search with a mass-dependent signal
    window (the NA62 2021 contours weaken only near the mass of the observed
    e+e- event).  Without it every observed event counts at every mass.

    Background errors are absolute 1-sigma excursions in events:
    ``background_error`` is the downward one, and the upward one too unless
    ``background_error_up`` is given (asymmetric published errors, e.g. NA62's
    e+e- 0.0094 -0.009 +0.049 at 90 % CL, PRL 133 (2024) 111802).  The limits
    take the pair as the lognormal (up, down) constraint of
    :func:`na62lab.stats.limits.upper_limit`, the 5 sigma discovery thresholds as a
    Gaussian truncated at zero (:func:`na62lab.analyses.beam_dump.discovery_table`);
    :attr:`error_up` / :attr:`error_down` resolve the default.
    """

    observed: int = Field(0, ge=0)
    background: float = Field(0.0, ge=0, allow_inf_nan=False)
    background_error: float = Field(0.0, ge=0, allow_inf_nan=False,
                                    description="1-sigma background error (events): the downward excursion, "
                                                "and the upward one unless background_error_up is given")
    background_error_up: float | None = Field(None, ge=0, allow_inf_nan=False,
                                              description="upward 1-sigma background excursion (events); None "
                                                          "(default) = background_error (symmetric)")
    observed_masses_mev: tuple[float, ...] = Field((), description="invariant masses of the observed events (MeV)")
    mass_window_rel: float = Field(0.03, gt=0, lt=1, description="half width of the mass window / mass")
    control_observed: int = Field(0, ge=0, description="events in the control regions")
    control_background: float = Field(0.0, ge=0, allow_inf_nan=False,
                                      description="expected background in the control regions")

    @model_validator(mode="after")
    def _masses(self) -> "ChannelInput":
        if self.observed_masses_mev and len(self.observed_masses_mev) != self.observed:
            raise ValueError(f"observed_masses_mev has {len(self.observed_masses_mev)} entries; "
                             f"it must have one per observed event ({self.observed})")
        if any(not m > 0 for m in self.observed_masses_mev):
            raise ValueError("observed_masses_mev must be positive masses in MeV")
        return self

    @property
    def error_up(self) -> float:
        """Upward 1-sigma background error (events): ``background_error_up``, else ``background_error``."""
        return self.background_error if self.background_error_up is None else self.background_error_up

    @property
    def error_down(self) -> float:
        """Downward 1-sigma background error (events): ``background_error``."""
        return self.background_error

    def scaled(self, ratio: float) -> dict:
        """Update of the background fields for an exposure ``ratio`` times the card's (dimensionless):
        the signal- and control-region backgrounds and both errors scale with it (for :meth:`model_copy`)."""
        up = None if self.background_error_up is None else self.background_error_up * ratio
        return {"background": self.background * ratio, "background_error": self.background_error * ratio,
                "background_error_up": up, "control_background": self.control_background * ratio}

    def observed_at(self, masses) -> np.ndarray:
        """Observed events counting against each FIP mass hypothesis (array like ``masses``, MeV)."""
        masses = np.asarray(masses, dtype=float)
        if not self.observed_masses_mev:
            return np.full(masses.shape, self.observed, dtype=int)
        obs = np.asarray(self.observed_masses_mev, dtype=float)
        near = np.abs(obs[None, :] - masses.reshape(-1, 1)) <= self.mass_window_rel * masses.reshape(-1, 1)
        return near.sum(axis=1).reshape(masses.shape)


class DumpDetector(Card):
    """A generic proton-dump detector, for experiments other than NA62 (CHARM, SHiP, SHADOWS, ...).

    Positions in metres along the proton beam, in the card's coordinates (the
    dump front at ``geometry.tax_front_m``); the detector axis is parallel to
    the beam, displaced by ``offset_m`` (off-axis experiments).  Every visible
    daughter must cross each plane of ``planes_m`` inside the rectangle of
    half sizes ``aperture_half_m`` centred on the detector axis (straight lines:
    a spectrometer magnet is neglected, APPROXIMATION), with the card's
    momentum and photon-energy thresholds.  Without ``pointing`` no
    TAX-pointing cut is applied.  When a card has a ``detector`` section the
    NA62 ``geometry`` apertures are not used.
    """

    name: str = Field(description="experiment name (figure labels)")
    planes_m: tuple[float, ...] = Field(min_length=1, description="z of the planes the daughters must cross (m)")
    aperture_half_m: tuple[float, float] = Field(description="half sizes (x, y) of the aperture (m)")
    offset_m: tuple[float, float] = Field((0.0, 0.0), description="detector axis (x, y) from the beam line (m)")
    pointing: bool = Field(False, description="apply the selection's pointing cut at the dump")

    @model_validator(mode="after")
    def _planes(self) -> "DumpDetector":
        if any(b <= a for a, b in zip(self.planes_m, self.planes_m[1:])) or min(self.aperture_half_m) <= 0:
            raise ValueError("planes_m must increase and aperture_half_m must be positive")
        return self


class DumpMC(Card):
    """Monte Carlo sizes of the acceptance tables."""

    seed: int = Field(2021, ge=0)
    n_fip: int = Field(2500, ge=100, le=1_000_000, description="FIPs sampled per mass node and mode")
    tail_share: float = Field(0.5, ge=0.0, lt=1.0,
                              description="share of the FIPs drawn from the high-momentum tail proposal "
                                          "(importance sampling, weighted back; 0: plain spectrum)")
    pool_factor: int = Field(8, ge=1, le=100,
                             description="the n_fip FIPs tracked are chosen, with Horvitz-Thompson weights, from "
                                         "a pool of pool_factor x n_fip by their relevance to the acceptance "
                                         "(1: no pool)")
    acceptance_pilot: int = Field(0, ge=0, le=64,
                                  description="pilot decays of every pool FIP pointing at the detector; the "
                                              "thinning then prefers those the selection keeps (exact "
                                              "reweighting; 0: off).  For off-axis detectors, whose upper "
                                              "edge rests on few accepted FIPs")
    min_accepted: int = Field(0, ge=0, le=10_000,
                              description="final states of a (mode, mass) node with fewer accepted decays than "
                                          "this are decayed again, in further rounds of the same FIPs, until "
                                          "they have that many or max_decay_rounds is reached (the table is the "
                                          "mean over rounds; 0: off).  For rare acceptances, e.g. N -> nu l l "
                                          "under the TAX-pointing cut")
    max_decay_rounds: int = Field(32, ge=1, le=1000, description="cap on the decay rounds of min_accepted")
    n_z_bins: int = Field(6, ge=1, le=100, description="decay-vertex bins in the fiducial volume")
    n_mass_nodes: int = Field(20, ge=4, le=400, description="mass nodes of the acceptance tables")
    n_ctau_nodes: int = Field(120, ge=10, le=2000, description="c tau nodes of the acceptance tables")


class DumpCard(Card):
    """A beam-dump analysis: geometry, exposure, production, selection, channel inputs."""

    name: str = "na62-dump"
    label: str | None = Field(None, min_length=1, max_length=60,
                              description="experiment name in tables, JSON records and figure legends "
                                          "(default: the detector's name, else the card name)")
    geometry: Geometry = Geometry()
    detector: DumpDetector | None = None
    run: DumpRun = DumpRun()
    production: DumpProduction = DumpProduction()
    selection: DumpSelection = DumpSelection()
    mc: DumpMC = DumpMC()
    channels: dict[str, ChannelInput] = Field(default_factory=lambda: {fs: ChannelInput()
                                                                       for fs in EXCLUSIVE_FINAL_STATES})
    cl: float = Field(0.9, gt=0, lt=1)

    @property
    def display_name(self) -> str:
        """The experiment's name as tables and legends show it: ``label``, else ``detector.name``, else ``name``."""
        if self.label:
            return self.label
        return self.detector.name if self.detector is not None else self.name

    @field_validator("channels")
    @classmethod
    def _known(cls, v: dict[str, ChannelInput]) -> dict[str, ChannelInput]:
        bad = sorted(set(v) - set(FINAL_STATES))
        if bad:
            raise ValueError(f"unknown final states {bad}; allowed {list(FINAL_STATES)}")
        return v

    @model_validator(mode="after")
    def _fv_inside(self) -> "DumpCard":
        z0, z1 = self.selection.fiducial_z_m
        first, last = ((self.detector.planes_m[0], self.detector.planes_m[-1]) if self.detector is not None
                       else (self.geometry.straw_m[0], self.geometry.lkr_m))
        where = "the first detector plane" if self.detector is not None else "STRAW chamber 1"
        if not (self.geometry.tax_front_m < z0 and z1 <= first):
            raise ValueError(f"fiducial_z_m must lie between the dump front and {where}")
        if self.selection.neutral_decay_end_m > last:
            raise ValueError(f"neutral_decay_end_m ({self.selection.neutral_decay_end_m} m) must not lie "
                             f"beyond the calorimeter front ({last} m)")
        return self
