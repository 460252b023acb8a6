"""Target and dump materials, each property defined once, with its source.

Z, standard atomic weight A (g/mol), density (g/cm^3), radiation length X0 and nuclear interaction
length lambda_I (both in g/cm^2, the tabulated quantities) of the elements the beam dumps and
targets are made of: copper (NA62 TAX, CHARM), iron (NuCal), tungsten (SHiP at ECN3), molybdenum
(the earlier SHiP beam-dump-facility design) and beryllium (the NA62 T10 target).  Lengths in metres
are the g/cm^2 values over the density (:attr:`Material.radiation_length_m`,
:attr:`Material.interaction_length_m`), so card defaults and generators read the same number.

Sources
-------
PDG "Atomic and Nuclear Properties of Materials" web tables (D.E. Groom, N.V. Mokhov, S.I. Striganov;
Be, Fe, Cu and W also in Table 6.1 of the review "Atomic and nuclear properties of materials", PDG 2024,
S. Navas et al., Phys. Rev. D 110 (2024) 030001): X0, lambda_I and densities; standard atomic weights
(IUPAC/CIAAW) as quoted there.  The tables print X0 and lambda_I in cm from unrounded g/cm^2 values
(Cu: 12.86 g/cm^2 and 1.436 cm, while 12.86 / 8.96 = 1.4353): the lengths here are the quotient of the
printed g/cm^2 value and the density, within the two roundings (< 8e-4) of the printed cm value.

Examples
--------
>>> round(MATERIALS["Cu"].radiation_length_m * 100, 4)      # cm
1.4353
>>> round(MATERIALS["Fe"].interaction_length_m * 100, 2)     # cm
16.78
"""

from __future__ import annotations

from dataclasses import dataclass

from na62lab.physics.units import cm, m

__all__ = ["Material", "MATERIALS"]


@dataclass(frozen=True)
class Material:
    """One element's bulk properties (module docstring for the source).

    Attributes
    ----------
    z : int
        Atomic number.
    a : float
        Standard atomic weight (g/mol).
    density_g_cm3 : float
        Density (g/cm^3).
    radiation_length_g_cm2 : float
        Radiation length X0 (g/cm^2).
    interaction_length_g_cm2 : float or None
        Nuclear interaction length lambda_I (g/cm^2); None where no source was checked (not used then).
    """

    z: int
    a: float
    density_g_cm3: float
    radiation_length_g_cm2: float
    interaction_length_g_cm2: float | None

    @property
    def radiation_length_m(self) -> float:
        """X0 in metres (g/cm^2 over the density)."""
        return self.radiation_length_g_cm2 / self.density_g_cm3 * cm / m

    @property
    def interaction_length_m(self) -> float:
        """lambda_I in metres (g/cm^2 over the density); ValueError where the table has none."""
        if self.interaction_length_g_cm2 is None:
            raise ValueError(f"no nuclear interaction length recorded for Z = {self.z}")
        return self.interaction_length_g_cm2 / self.density_g_cm3 * cm / m

    @property
    def nucleus(self) -> tuple[int, float, float]:
        """(Z, A, density in g/cm^3), the form the dump generators pass around."""
        return self.z, self.a, self.density_g_cm3


MATERIALS: dict[str, Material] = {
    "Be": Material(4, 9.0121831, 1.848, 65.19, 77.8),
    "Fe": Material(26, 55.845, 7.874, 13.84, 132.1),
    "Cu": Material(29, 63.546, 8.960, 12.86, 137.3),
    "Mo": Material(42, 95.95, 10.22, 9.80, None),   # lambda_I not needed: SHiP-Mo studies pass their own
    "W": Material(74, 183.84, 19.30, 6.76, 191.9),
}
"""The materials by element symbol (PDG atomic and nuclear properties; module docstring).  Molybdenum's
lambda_I is left out: no code reads it (the SHiP-molybdenum comparisons set the former SHiP card value,
0.1525 m, explicitly)."""
