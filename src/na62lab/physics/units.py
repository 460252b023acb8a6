"""Units of na62lab: the hepunits system (MeV, mm, ns) used internally.

Every public function states the units of its arguments and results.  Cards
and outputs say theirs explicitly (GeV, m, ...) and convert through these
constants, e.g. ``p_internal = p_card * GeV``.

Examples
--------
>>> from na62lab.physics.units import GeV, MeV, m, mm
>>> 75 * GeV / MeV
75000.0
>>> 1 * m / mm
1000.0
"""

from hepunits import (  # noqa: F401  (re-exported)
    GeV,
    MeV,
    TeV,
    c_light,
    cm,
    eV,
    keV,
    km,
    m,
    micrometer,
    mm,
    mrad,
    ns,
    ps,
    rad,
    s,
)
from hepunits.constants import hbarc  # noqa: F401  (MeV mm)

urad = 1e-6 * rad
"""Microradian."""

__all__ = [
    "GeV", "MeV", "TeV", "c_light", "cm", "eV", "keV", "km", "m", "micrometer",
    "mm", "mrad", "ns", "ps", "rad", "s", "hbarc", "urad",
]
