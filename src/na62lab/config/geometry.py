"""NA62 geometry card: z positions (front faces) and apertures of the detectors.

Positions are measured along the beam from the T10 target (z = 0), in metres in
the card and converted to mm (internal units) by :meth:`Geometry.z_mm`.
Sources: NA62 detector paper, JINST 12 (2017) P05025 (arXiv:1703.08501),
Tables and Fig. 1.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from na62lab.config.base import Card
from na62lab.physics.units import m

LKR_FRONT_M = 241.0
"""LKr front face, m from T10 (JINST 12 (2017) P05025, Fig. 1; approximate public value): the
:class:`Geometry` default and the default end of the fully neutral and escape decay regions
(:mod:`na62lab.config.dump`, :mod:`na62lab.config.searches`).  The dump cards state the public ALPINIST
code's 241.495 m instead (their comments)."""

MUV3_HOLE_RADIUS_M = 0.103
"""MUV3 central beam-hole radius, m (JINST 12 (2017) P05025, Sec. 7): the default of the kaon
(``apertures``) and dump (``selection``) acceptances."""

FIDUCIAL_Z_START_M = 105.0
"""Start of the NA62 fiducial decay volume, m from T10, downstream of GTK3 and CHANTI (the pi+ nu nubar
analyses, JHEP 06 (2021) 093 and the 2021-22 one of the kaon card): default start of the kaon, dump and
search decay volumes (their ends differ: 170, 180 and 165 m)."""


class Geometry(Card):
    """Longitudinal positions (m) and apertures (m) of the NA62 elements.

    All numbers are approximate public values (JINST 12 (2017) P05025).

    ``straw_hole_x_m``: the STRAW beam holes are not on the z axis: they follow the
    K+ beam, deflected by the TRIM5 magnet (z = 101.8 m) before the spectrometer, so
    their centres sit at x = 101.2, 114.4, 92.4, 52.8 mm in chambers 1-4 (NA62
    software, NA62Tools ``GeometricAcceptance``: ``fXStrawChamberCentre``; the inner
    acceptance radius is measured from the hole centre, the outer one from the z
    axis).  Only the dump acceptance (:mod:`na62lab.detector.dump_acceptance`)
    reads this field; the default (0, 0, 0, 0) keeps its holes on the axis, and the
    NA62 dump cards, whose FIPs come from the TAX on the z axis, state the displaced
    centres.  The kaon-mode simulation ignores it: it centres its STRAW, LKr and MUV3
    holes on its own nominal beam trajectory (card ``beam.slope_x_mrad`` after TRIM5,
    then the magnet kick; :func:`na62lab.detector.params.beam_axis_x`), x = 97.1,
    109.9, 97.7, 63.1 mm in chambers 1-4 with ``na62_kaon_2021_22`` (4-10 mm from the
    GeometricAcceptance centres above).
    """

    tax_front_m: float = Field(23.0, ge=0, description="front face of the TAX dump (m)")
    ktag_m: float = Field(69.0, gt=0, description="KTAG front (m)")
    gtk_m: tuple[float, float, float] = Field((79.6, 92.8, 102.4), description="GTK stations 1-3 (m)")
    chanti_m: tuple[float, float] = Field((102.4, 104.5), description="CHANTI extent (m)")
    decay_region_end_m: float = Field(183.0, gt=0, description="end of the vacuum decay region (m)")
    straw_m: tuple[float, float, float, float] = Field((183.3, 194.0, 204.5, 218.9),
                                                      description="STRAW chambers 1-4 (m)")
    straw_beam_hole_radius_m: float = Field(0.06, gt=0, description="STRAW beam-hole radius (m)")
    straw_hole_x_m: tuple[float, float, float, float] = Field(
        (0.0, 0.0, 0.0, 0.0), description="x of the STRAW beam-hole centres, chambers 1-4 (m)")
    straw_outer_radius_m: float = Field(1.0, gt=0, description="STRAW outer radius (m)")
    magnet_m: float = Field(197.6, gt=0, description="MNP33 dipole centre (m)")
    magnet_pt_kick_mev: float = Field(270.0, gt=0, description="MNP33 transverse momentum kick (MeV/c)")
    rich_m: tuple[float, float] = Field((219.5, 236.9), description="RICH extent (m)")
    lav_m: tuple[float, float] = Field((120.0, 217.0), description="LAV stations, first and last (m)")
    lav_angles_mrad: tuple[float, float] = Field((8.5, 50.0), description="LAV angular coverage (mrad)")
    irc_m: float = Field(239.7, gt=0, description="IRC front (m)")
    lkr_m: float = Field(LKR_FRONT_M, gt=0, description="LKr front (m)")
    lkr_inner_radius_m: float = Field(0.08, gt=0, description="LKr inner (beam-pipe) radius (m)")
    lkr_outer_radius_m: float = Field(1.28, gt=0, description="LKr outer radius (m)")
    muv1_m: float = Field(243.0, gt=0, description="MUV1 front (m)")
    muv3_m: float = Field(246.8, gt=0, description="MUV3 front (m)")
    muv3_half_width_m: float = Field(1.32, gt=0, description="MUV3 half side (m)")
    sac_m: float = Field(260.0, gt=0, description="SAC front (m)")

    @model_validator(mode="after")
    def _ordered(self) -> "Geometry":
        if not self.straw_m[0] < self.straw_m[-1] < self.lkr_m < self.muv3_m:
            raise ValueError("detectors must be ordered STRAW1 < STRAW4 < LKr < MUV3 along z")
        if self.straw_beam_hole_radius_m >= self.straw_outer_radius_m:
            raise ValueError("straw_beam_hole_radius_m must be below straw_outer_radius_m")
        return self

    def z_mm(self, name: str) -> float:
        """z of a scalar field ``name`` (e.g. ``"lkr_m"``) in mm."""
        return float(getattr(self, name)) * m
