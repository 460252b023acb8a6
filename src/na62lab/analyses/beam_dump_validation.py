"""Validation of the dump contours against published or reference curves: ours / reference edges.

For every benchmark with a reference curve available to the project, the
lower (long-lifetime) and upper (short-lifetime) coupling edges of our
contour are divided by those of the reference at a few masses, and the mass
where each region closes is compared.  Available references (package data,
:mod:`na62lab.config.published`):

- BC1, NA62 2021, all final states: the published combined dark-photon
  contour (EPJC 85 (2025) 571, arXiv:2502.04241, 90 % CL), digitised by
  DarkMatterLive (Apache-2.0; see ``config/published/README.md``).
- BC1, NA62 2021, e+e- and mu+mu- only (PRL 133 (2024) 111802): the published
  di-lepton contour is not available to the project; below the pi+ pi-
  threshold (0.279 GeV) no hadronic final state is open, so there the combined
  contour above is also the di-lepton one and is used as its reference.
- BC1, NA62 2021, mu+mu- only: the published contour of JHEP 09 (2023) 035
  (arXiv:2303.08666, 90 % CL, 1.4e17 POT), digitised in FORESEE (MIT).  It closes
  at 0.538 GeV; ours with the card (time-like form factor) does not close below
  0.9 GeV, without the form factor at 0.55-0.57 GeV; our lower edge is 0.52-0.66
  of theirs (tests/analyses/test_dump_reference_curves.py).  Its production is not
  stated in any reachable text (:data:`MUMU_PRODUCTION_NOTE`, printed with the table):
  our meson decays alone close at 0.42 GeV, our bremsstrahlung alone without the form
  factor matches it to 0-12 % in eps (measured there, not adopted).
- BC9 and BC11, NA62 Run 2 card: ALPINIST's NA62 event tables (arXiv:2201.05170, BSD-3;
  1e19 POT, efficiency 1, edge at N = 2.3), compared with ours at the reference's assumptions
  and with the shipped card, in :mod:`na62lab.analyses.beam_dump_references` (the same row
  layout; each table also says how ours was run, ``ours``, and what the reference assumes,
  ``conditions``).

Test-only references (``tests/data/published``, measured and pinned in
``tests/analyses/test_dump_reference_curves.py``; not installed, so not in
``na62lab reproduce``): the HIKE dump-mode BC1 projection (HIKE proposal,
arXiv:2311.08231), NuCal BC1 (Bluemlein & Brunner, arXiv:1311.3870), CHARM BC1
(Gninenko, arXiv:1204.3583), all DarkMatterLive digitisations, and the NA62 2021
mu+mu- contour (JHEP 09 (2023) 035) quoted at a few masses.  Projections and
recasts assume no background (2.3 signal events at 90 % CL): compare them with
:func:`background_free` cards.  The HIKE projection closes where bremsstrahlung without the
time-like form factor integrated over FairShip's wider FWW range (z 0.14-0.99, no p_T cut;
``production.brems_z_range``, ``brems_pt_max_gev``) does: 2.72 against 2.754 GeV, edges within
8 % at 0.6 and 1.2-2.5 GeV (0.8 and 1.0 GeV: our rho/omega and phi, not compared; the card:
1.67 GeV); measured there, not adopted.

NA62's HEPData record of EPJC 85 (2025) 571 holds two combined BC1 contours: "using bremsstrahlung production
without the time-like form factor" and "including mixing and bremsstrahlung production with a time-like form
factor"; the digitisation does not say which one it is.  Measured (card MC, 48 x 48; the closing mass ``m_max`` is
where the largest expected count over the coupling crosses the limit, the closing row ("tip") of
:func:`na62lab.yields.dump_contours.excluded_ranges`; before c538837 it was the largest excluded grid mass, up to one
mass step lower): ours with the form factor (Faessler et al., arXiv:0910.5589, residues at the 1250/1450 MeV poles
they belong to) closes at 1.261 GeV (1.235, the last excluded grid mass, before c538837; with a notch at the phi,
1.016-1.023 GeV), without it (``brems_form_factor: none``) at 0.796 GeV (with a gap above 0.665 GeV), the reference
at 1.525 GeV (its polygon's largest mass, :func:`reference_edges`): its lower edge stays at 1.4-1.6e-7 from 1.0 to
1.45 GeV, while our best-eps expected events (96 couplings) fall from 11.8 (1.0 GeV) to 0.11 (1.45 GeV) and 0.033
(1.53 GeV) against a limit of 2.30 (|F_1|^2 = 13.9, 9.4, 1.0, 0.41 at 1.0, 1.2, 1.45, 1.53 GeV).  No visible channel
can close that gap (e+e- plus mu+mu- are ~80 % of the accepted decays there).  The reference behaves like the form
factor of the public ALPINIST code (the same residues at the PDG rho(1450), rho(1700), omega(1420), omega(1650),
isovector and isoscalar sums added in modulus, without interference) on the Bluemlein-Brunner rate, which closes at
1.458 GeV (1.445 grid mass before c538837; same run); the same residues at the PDG poles with the interference closed at
1.37 GeV when that form factor was shipped (tests/analyses/test_beam_dump_published.py, before the fitted hadronic
widths; not adopted: both break the residues' sum rules). ``na62lab reproduce`` therefore prints, under the BC1
all-final-state table, where our region closes with that prescription (card ``production.brems_form_factor:
alpinist_isospin_modulus``, :func:`na62lab.fips.dark_photon.alpinist_form_factor`;
:func:`apparent_form_factor_note`): a reproduction of the reference's assumption, computed at run time, not our
physics default.  A third form factor, the data-driven U&A-model F_1 (``ua_model``,
:mod:`na62lab.fips.proton_form_factor_ua`), runs the region to 1.487 GeV and an island to 1.753 GeV (same run;
1.4825 and 1.745 grid masses before c538837); the closing masses under the three (faessler 1.261,
alpinist_isospin_modulus 1.458, ua_model 1.753 GeV) are printed as the form-factor systematic of the closing mass
(:func:`form_factor_systematic_note`; one more run, ~3 CPU-s).

NA62's 2023-24 drawings of the same data (PRL 133 (2024) 111802 e+e- plus mu+mu-, closing at 0.65 GeV; JHEP 09
(2023) 035 mu+mu-, closing at 0.538 GeV) close where a bremsstrahlung yield without the time-like form factor does,
so under those two tables it prints the same contour with ``production.brems_form_factor: none``
(:func:`no_form_factor_note`; meson decays and mixing kept as in the card), labelled the same way; under the PRL
table also with FairShip's wider FWW range (:data:`PRL_PRESCRIPTION`, as the HIKE projection's). Measured (card MC,
48 x 48; closing masses not marked c538837 are the last excluded grid mass of their run, up to one mass step below the
crossing): PRL with FairShip's range, closes at 0.638 GeV (c538837; grid 0.628), lower/upper 0.94/0.96, 1.17/0.96,
1.19/0.98 at 0.3, 0.5, 0.6 GeV, upper 0.92-0.99 from 20 MeV (with the card's range, the row before: 0.604 GeV,
0.94/0.87, 1.21/0.85, 1.31/0.81, upper 0.81-0.91; with the form factor 0.90/0.91, 0.83/1.05, 0.61/1.31, closing 1.23
GeV); mu+mu-, card range, closes at 0.568 GeV (c538837; grid 0.566), 0.65/1.43, 0.70/1.05, 0.79/1.08 at 0.22, 0.35, 0.5
GeV (with it 0.64/1.47, 0.64/1.14, 0.52/1.41, not closing below 0.9 GeV; FairShip's range moves the upper edge to
1.19-1.59 and the closing to 0.594 GeV).  The mu+mu- lower edge is not reproduced with the meson decays kept
(:data:`MUMU_PRODUCTION_NOTE`).  The EPJC 2025 row keeps the card's range: FairShip's closes at 1.565 GeV (1.445
with the card's) but lifts the upper edge to 1.06-1.25 from 50 MeV to 1.2 GeV (0.95-1.15): not clearly better (the
scan of all three drawings over form factor and range: tests/analyses/test_dump_dilepton_prl.py). Each extra run
reuses the cached efficiency tables where only the form factor changes; FairShip's range builds its own (cold ~2.5 s
more); warm, the whole validation takes 7.6 s (8.3 s before the PRL range change).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from na62lab.config import published
from na62lab.yields.dump_contours import mass_intervals

if TYPE_CHECKING:
    from na62lab.analyses.beam_dump_result import DumpSensitivity

REFERENCE_DIR = published.FOLDER
"""The shipped published curves (:mod:`na62lab.config.published`)."""

BC1_COMBINED = "NA62_2021_BC1_combined_DarkMatterLive.txt"
BC1_REFERENCE = ("NA62 2021 BC1 combined contour, EPJC 85 (2025) 571 (arXiv:2502.04241), "
                 "DarkMatterLive digitisation")
BC1_MUMU = "NA62_2021_BC1_mumu_FORESEE.txt"
BC1_MUMU_REFERENCE = "NA62 2021 BC1 mu+mu- contour, JHEP 09 (2023) 035 (arXiv:2303.08666), FORESEE digitisation"
BC1_DILEPTON = "NA62_2021_BC1_dilepton_SensCalc.txt"
BC1_DILEPTON_REFERENCE = ("NA62 2021 BC1 e+e- and mu+mu- contour with bremsstrahlung, PRL 133 (2024) 111802 "
                          "(arXiv:2312.12055), SensCalc digitisation (labelled 'NA62 dump with brem, collaboration')")
def mass_text(mass_gev: float) -> str:
    """A closing mass (GeV) as printed, to the MeV (the EPJC 2025 reference's 1.525, ours 1.261; the PRL 2024
    one's 0.650): the one format of every closing mass in the validation lines, tables and notes."""
    return f"{mass_gev:.3f}"


def two_drawings_note(m_close_2025: float, m_close_2024: float) -> str:
    """Printed under the BC1 tables: the NA62 references disagree with each other at low mass.

    ``m_close_2025`` / ``m_close_2024``: where the EPJC 2025 all-final-state and the PRL 2024 e+e- plus mu+mu-
    contours close (GeV; ``m_max_ref`` of their validation tables, read from the reference curves).
    """
    return ("NA62's two drawings of the same 2021 data differ below 0.1 GeV: at 12 MeV the EPJC 2025 "
            "contour's edges are 1.5x (lower) and 0.53x (upper) those of the PRL 2024 e+e- plus mu+mu- "
            f"contour (the 'BC1 2021 ee+mumu' table); the regions close at {mass_text(m_close_2025)} GeV (all final "
            f"states, 2025) and {mass_text(m_close_2024)} GeV (e+e- plus mu+mu-, 2024), as a bremsstrahlung yield "
            "with and without the resonant proton form factor would (tests/analyses/test_dump_dilepton_prl.py)")
DILEPTON_PRL_MASSES_GEV = (0.012, 0.02, 0.03, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6)
"""Masses of the e+e- plus mu+mu- table against the PRL contour (it spans 0.010-0.650 GeV)."""
MUMU_PRODUCTION_NOTE = ("the reference's production is not stated in any text reachable here (abstract only); "
                        "ours is the card's full production (meson decays, bremsstrahlung with the time-like form "
                        "factor, mixing), so the comparison is not like for like.  Measured (24 x 40): "
                        "bremsstrahlung alone without the form factor gives 0.88-1.00 (lower) and 1.03-1.41 (upper) "
                        "and closes at 0.555 GeV; meson decays alone close at 0.42 GeV and already reach 0.70-0.85 "
                        "of the reference's lower edge at 0.22-0.35 GeV, so with them kept and the form factor off "
                        "(the prescription line below) the region closes like the reference's but its lower edge "
                        "stays below it (tests/analyses/test_dump_reference_curves.py)")
"""Printed under the mu+mu- table (JHEP 09 (2023) 035): which production the reference used is unknown."""
MUMU_MASSES_GEV = (0.22, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
"""Masses of the mu+mu- validation table (the contour spans 0.214-0.538 GeV)."""
VALIDATION_MASSES_GEV = (0.012, 0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2)
"""Masses of the validation table (10 MeV itself is the left frame of the published plot)."""
DILEPTON_MASSES_GEV = (0.012, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25)
APPARENT_FORM_FACTOR = "alpinist_isospin_modulus"
"""``production.brems_form_factor`` of NA62's apparent prescription (:func:`apparent_form_factor_note`)."""


NO_FORM_FACTOR = "none"
"""``production.brems_form_factor`` of the apparent prescription of NA62's 2023-24 drawings (PRL 133 (2024)
111802 e+e- + mu+mu-, JHEP 09 (2023) 035 mu+mu-): bremsstrahlung without the time-like form factor
(:func:`no_form_factor_note`)."""
FAIRSHIP_FWW_RANGE = {"brems_z_range": (0.14, 0.99), "brems_pt_max_gev": 20.0}
"""FairShip's FWW integration range (ShipSoft/FairShip python/proton_bremsstrahlung.py, commit e3b606c5d179:
p_A' from 0.14 p_beam to the kinematic limit, here z < 0.99; no p_T cut, here p_T < 20 GeV/c), wider than the
card's Bluemlein-Brunner validity conditions (arXiv:1311.3870: 0.1 < z < 0.9, p_T < 1 GeV/c).  Part of the
apparent prescription of the HIKE projection (tests/analyses/test_dump_reference_curves.py) and of NA62's PRL 2024
e+e- plus mu+mu- drawing (:data:`PRL_PRESCRIPTION`); a reproduction option, never the card's default."""
PRL_PRESCRIPTION = {"brems_form_factor": NO_FORM_FACTOR, **FAIRSHIP_FWW_RANGE}
"""``production`` updates of the PRL 133 (2024) 111802 drawing's apparent prescription: no time-like form
factor, FairShip's FWW range (module docstring: closes at 0.638 against 0.650 GeV, upper edge 0.92-1.00)."""
MUMU_PRESCRIPTION = {"brems_form_factor": NO_FORM_FACTOR}
"""``production`` updates of the JHEP 09 (2023) 035 mu+mu- drawing's apparent prescription: no time-like form
factor, the card's FWW range (FairShip's moves its upper edge away: 1.19-1.59, closing 0.594 GeV)."""
EPJC_PRESCRIPTION = {"brems_form_factor": APPARENT_FORM_FACTOR}
"""``production`` updates of the EPJC 85 (2025) 571 drawing's apparent prescription: the ALPINIST code's form
factor, the card's FWW range (FairShip's closes at 1.565 GeV but moves the upper edge 5-10 % away above 50 MeV)."""
PRL_NOTE_MASSES_GEV = (0.3, 0.5, 0.6)
"""Masses quoted in the no-form-factor line of the PRL 2024 table (where the form factor starts to matter)."""
MUMU_NOTE_MASSES_GEV = (0.22, 0.35, 0.5)
"""Masses quoted in the no-form-factor line of the JHEP 2023 mu+mu- table."""


def _edges_and_closing(table: dict, masses) -> tuple[str, str]:
    """``"lo/up at m GeV, ..."`` (ours / reference) at ``masses`` and ``"closes at m GeV (reference m)"``."""
    rows = {round(r["mass_gev"], 3): r for r in table["rows"]}
    edges = ", ".join(f"{rows[m]['lower_ratio']:.2f}/{rows[m]['upper_ratio']:.2f} at {m:g} GeV"
                      for m in masses if m in rows)
    closes = f"closes at {mass_text(table['m_max'])} GeV" if np.isfinite(table["m_max"]) else "excludes nothing"
    return edges, f"{closes} (reference {mass_text(table['m_max_ref'])})"


def apparent_form_factor_note(table: dict, masses=(1.0, 1.2)) -> str:
    """One line: where our BC1 2021 all-final-state region closes with NA62's apparent form factor.

    ``table`` is :func:`validate` of the run with ``production.brems_form_factor`` =
    :data:`APPARENT_FORM_FACTOR` (the public ALPINIST code's |F_(I=1)| + |F_(I=0)|); ``masses`` (GeV)
    are those quoted.  The line says it reproduces the reference's assumption and is not the physics
    default.
    """
    edges, closes = _edges_and_closing(table, masses)
    return (f"BC1 2021 all final states with NA62's apparent form-factor prescription (ALPINIST code: "
            f"|F_(I=1)| + |F_(I=0)|, no isospin interference; card production.brems_form_factor: "
            f"{APPARENT_FORM_FACTOR}): {closes}"
            + (f", lower/upper edge ratios {edges}" if edges else "")
            + "; a reproduction of the reference's assumption, not our physics default (faessler)")


FORM_FACTOR_SYSTEMATIC = ("faessler", APPARENT_FORM_FACTOR, "ua_model")
"""``production.brems_form_factor`` choices whose closing masses :func:`form_factor_systematic_note` states."""


def form_factor_systematic_note(closing: dict[str, dict], m_ref: float) -> str:
    """One line: where the BC1 2021 all-final-state region closes under each form factor of the rate.

    ``closing`` maps each of :data:`FORM_FACTOR_SYSTEMATIC` to its :func:`validate` table (``m_max``, the
    largest excluded mass, at a closing row; ``m_close``, the end of the region that starts at the lowest one);
    ``m_ref`` is the reference's closing mass (GeV).  faessler: Faessler et al.'s F_1 (arXiv:0910.5589,
    default); alpinist_isospin_modulus: the public ALPINIST code's |F_(I=1)| + |F_(I=0)|; ua_model: the U&A
    model's F_1 (Adamuscin et al., PRC 93 (2016) 055208, :mod:`na62lab.fips.proton_form_factor_ua`), |F_1|^2
    alone although its F_1 and F_2 cancel in G_E, G_M above ~1.4 GeV.  Their spread is the form-factor
    systematic of the closing mass (the rest of the card unchanged).
    """
    def one(name: str) -> str:
        t = closing[name]
        gap = (f" (a gap above {mass_text(t['m_close'])})"
               if np.isfinite(t["m_close"]) and t["m_close"] < t["m_max"] else "")
        return f"{name} {mass_text(t['m_max'])} GeV{gap}"

    return ("form-factor systematic of the closing mass (card production.brems_form_factor, the rest of the card "
            "unchanged): " + ", ".join(one(k) for k in FORM_FACTOR_SYSTEMATIC if k in closing)
            + f"; reference {mass_text(m_ref)} GeV.  faessler is the default; ua_model is the data-driven U&A fit's "
            "|F_1|^2 (its F_1 and F_2 cancel in G_E, G_M above ~1.4 GeV, so |F_1|^2 alone overstates the vertex there)")


def no_form_factor_note(table: dict, masses, prescription: dict | None = None) -> str:
    """One line: the same contour with the bremsstrahlung's time-like form factor off, against its reference.

    ``table`` is :func:`validate` of the run with ``production.brems_form_factor`` =
    :data:`NO_FORM_FACTOR` (|F|^2 = 1; meson decays and mixing as in the card); ``masses`` (GeV) are
    those quoted; ``prescription`` the ``production`` updates of that run (:data:`PRL_PRESCRIPTION`: also
    FairShip's FWW range, named in the line).  NA62's 2023-24 contours close where a bremsstrahlung yield
    without the resonant proton form factor does (PRL 133 (2024) 111802: 0.65 GeV; JHEP 09 (2023) 035:
    0.538 GeV); the line says it reproduces that apparent assumption and is not the physics default.
    """
    edges, closes = _edges_and_closing(table, masses)
    wide = "brems_z_range" in (prescription or {})
    span = (f", FairShip's FWW range (card production.brems_z_range: {prescription['brems_z_range']}, "
            f"brems_pt_max_gev: {prescription['brems_pt_max_gev']:g}; the card's 0.1-0.9 and 1 GeV/c are "
            "Bluemlein-Brunner's validity conditions)") if wide and prescription else ""
    return (f"same contour with the bremsstrahlung's time-like proton form factor off (card "
            f"production.brems_form_factor: {NO_FORM_FACTOR}{span}; meson decays and mixing as in the card): "
            f"{closes}"
            + (f", lower/upper edge ratios {edges}" if edges else "")
            + "; a reproduction of the reference's apparent assumption (no time-like form factor"
            + (", wide FWW range" if wide else "") + "), not our physics default (faessler, 0.1 < z < 0.9, "
              "p_T < 1 GeV/c)")


def reference_edges(path: str | Path) -> dict:
    """Lower and upper edges of a closed reference polygon (mass GeV, coupling).

    The polygon runs along the lower edge to its largest mass and back along the
    upper edge (the DarkMatterLive convention); back-steps of the digitisation
    are dropped.  Returns ``{"lower": (m, g), "upper": (m, g), "m_max": float}``.
    """
    from na62lab.analyses.beam_dump import read_overlay

    m, g = read_overlay(path)
    turn = int(np.argmax(m))
    out: dict[str, object] = {"m_max": float(m[turn])}
    for name, (bm, bg) in (("lower", (m[:turn + 1], g[:turn + 1])), ("upper", (m[turn:][::-1], g[turn:][::-1]))):
        keep = np.concatenate([[True], np.diff(bm) > 0])
        out[name] = (bm[keep], bg[keep])
    return out


def _at(branch: tuple[np.ndarray, np.ndarray], masses: np.ndarray) -> np.ndarray:
    """Log-log interpolation of an edge; NaN outside its mass range."""
    bm, bg = branch
    val = np.exp(np.interp(np.log(masses), np.log(bm), np.log(bg)))
    return np.where((masses >= bm[0]) & (masses <= bm[-1]), val, np.nan)


def _in_gap(ranges: list[dict], grid: np.ndarray, masses: np.ndarray) -> np.ndarray:
    """True where a mass lies between two islands of our excluded ranges (a non-excluded grid mass between them).

    There our region has two islands (e.g. the region closing at 0.3 GeV and the rho/omega
    island at 0.78 GeV of the CHARM card): interpolating the edges across the gap would invent
    an excluded band, so those masses get NaN.  Islands and their ends (tips included) as
    :func:`na62lab.yields.dump_contours.mass_intervals`.
    """
    islands = mass_intervals(ranges, grid)
    out = np.zeros(masses.shape, dtype=bool)
    for (_, hi), (lo, _) in zip(islands, islands[1:]):
        out |= (masses > hi) & (masses < lo)
    return out


def closing_mass(ranges: list[dict], masses_gev) -> float:
    """Largest mass of the excluded region that starts at our lowest excluded grid mass (GeV).

    Islands beyond a non-excluded grid mass are not counted (``our_edges(...)["m_max"]`` is the
    largest excluded mass of any island).  A narrow notch also ends it: the NA62 2021 card has one
    at the phi (1.016-1.024 GeV, where the A'-phi mixing makes the A' short-lived; 48 x 48 grid),
    so there ``m_close`` = 1.016 GeV and ``m_max`` = 1.261 GeV (card MC, 48 x 48).  Each island ends at its
    closing row (tip) where the ranges have one (:func:`na62lab.yields.dump_contours.mass_intervals`).  NaN if
    nothing is excluded.
    """
    islands = mass_intervals(ranges, np.sort(np.asarray(masses_gev, dtype=float)))
    return islands[0][1] if islands else float("nan")


def background_free(card):
    """``card`` with no background and no observed event in any channel (limit 2.30 events at 90 % CL).

    The statistics convention of projections and recasts (zero background, e.g. the HIKE
    proposal's and Bluemlein & Brunner's), to compare with their curves.
    """
    channels = {k: v.model_copy(update={"background": 0.0, "background_error": 0.0, "background_error_up": None,
                                        "control_background": 0.0, "observed": 0, "observed_masses_mev": ()})
                for k, v in card.channels.items()}
    return card.model_copy(update={"channels": channels})


def our_edges(ranges: list[dict]) -> dict:
    """Our edges as branches (``our_edges(result.excluded_ranges)``), same layout as :func:`reference_edges`."""
    m = np.array([r["mass_gev"] for r in ranges])
    return {"lower": (m, np.array([r["coupling_min"] for r in ranges])),
            "upper": (m, np.array([r["coupling_max"] for r in ranges])),
            "m_max": float(m.max()) if m.size else float("nan")}


def ratio_table(ranges: list[dict], reference: dict, masses_gev, grid_gev=None) -> list[dict]:
    """Rows ``{"mass_gev", "lower", "lower_ref", "lower_ratio", "upper", "upper_ref", "upper_ratio"}``.

    Ratios are ours / reference (NaN where either curve has no edge at that mass).  With
    ``grid_gev`` (the masses our ranges were computed on) a mass in a gap between two of our
    excluded islands has no edge (NaN) instead of one interpolated across the gap.
    """
    masses = np.asarray(masses_gev, dtype=float)
    ours = our_edges(ranges)
    rows = []
    cols = {}
    gap = (_in_gap(ranges, np.sort(np.asarray(grid_gev, dtype=float)), masses)
           if grid_gev is not None and ours["lower"][0].size else np.zeros(masses.shape, dtype=bool))
    for edge in ("lower", "upper"):
        cols[edge] = _at(ours[edge], masses) if ours["lower"][0].size else np.full(masses.shape, np.nan)
        cols[edge] = np.where(gap, np.nan, cols[edge])
        cols[f"{edge}_ref"] = _at(reference[edge], masses)
    for i, mass in enumerate(masses):
        row = {"mass_gev": float(mass)}
        for edge in ("lower", "upper"):
            a, b = float(cols[edge][i]), float(cols[f"{edge}_ref"][i])
            row.update({edge: a, f"{edge}_ref": b, f"{edge}_ratio": a / b})
        rows.append(row)
    return rows


def validate(result: DumpSensitivity, reference_path: str | Path, masses_gev, name: str, closure: bool = True) -> dict:
    """Ratio table plus (``closure``) the closing masses of our region and of the reference.

    ``m_max`` is our largest excluded mass (any island), ``m_close`` (on the result's
    ``masses_gev`` grid) the end of the region that starts at our lowest excluded mass.
    """
    ref = reference_edges(reference_path)
    ours = our_edges(result.excluded_ranges)
    grid = result.masses_gev
    out: dict = {"reference": name, "rows": ratio_table(result.excluded_ranges, ref, masses_gev, grid)}
    if closure:
        out.update({"m_max": ours["m_max"], "m_max_ref": ref["m_max"]})
        out["m_close"] = closing_mass(result.excluded_ranges, grid)
    return out


def print_validation(console, title: str, table: dict) -> None:
    """Rich table of one validation (ours / reference at each mass, as the HTML report prints them:
    :func:`na62lab.results.ratio_pull.ratio_text`; and the closing masses, :func:`mass_text`)."""
    from rich.table import Table

    from na62lab.results.ratio_pull import ratio_text

    t = Table(title=f"{title}: ours / reference ({table['reference']})")
    for col in ("mass [GeV]", "lower ours", "lower ref", "ratio", "upper ours", "upper ref", "ratio"):
        t.add_column(col)
    for r in table["rows"]:
        t.add_row(f"{r['mass_gev']:.3g}", f"{r['lower']:.3g}", f"{r['lower_ref']:.3g}", ratio_text(r["lower_ratio"]),
                  f"{r['upper']:.3g}", f"{r['upper_ref']:.3g}", ratio_text(r["upper_ratio"]))
    console.print(t)
    if table.get("ours"):
        console.print(f"  [dim]ours:[/dim] {table['ours']}")
    if table.get("conditions"):
        console.print(f"  [dim]reference assumes:[/dim] {'; '.join(table['conditions'])}")
    if table.get("note"):
        console.print(f"  [dim]note:[/dim] {table['note']}")
    if "m_max" in table:
        console.print(f"  region closes at {mass_text(table['m_max'])} GeV (reference {mass_text(table['m_max_ref'])} "
                      f"GeV, ratio {table['m_max'] / table['m_max_ref']:.2f})")
        if "m_close" in table and table["m_close"] < table["m_max"]:
            console.print(f"  (our region has a gap above {mass_text(table['m_close'])} GeV: grid masses there are not "
                          "excluded, e.g. the phi notch of the NA62 2021 card at 1.016-1.024 GeV)")
    if table.get("reproduction"):
        console.print(f"  [dim]reference's prescription:[/dim] {table['reproduction']}")
    if table.get("form_factor_systematic"):
        console.print(f"  [dim]systematic:[/dim] {table['form_factor_systematic']}")
