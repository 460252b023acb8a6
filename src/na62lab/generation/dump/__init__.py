"""Beam-dump production: 400 GeV protons on the copper TAX.

- :mod:`~na62lab.generation.dump.tables`: shipped Pythia 8 meson/photon spectra per POT;
- :mod:`~na62lab.generation.dump.table_builder`, :mod:`~na62lab.generation.dump.pythia_production`:
  how the tables are made (``admin/make_production_tables.py``);
- :mod:`~na62lab.generation.dump.mesons`, :mod:`~na62lab.generation.dump.bremsstrahlung`,
  :mod:`~na62lab.generation.dump.primakoff`, :mod:`~na62lab.generation.dump.photon_fusion`,
  :mod:`~na62lab.generation.dump.sources` (parent decays
  incl. K, D, B -> FIP, meson mixing): FIP production samplers returning weighted FIP samples,
  built from the model's interface only (:class:`na62lab.fips.base.FIPModel`);
- :mod:`~na62lab.generation.dump.channels`: production-channel keys -> parent and recoils;
- :mod:`~na62lab.generation.dump.cascade`: photons of the hadronic and electromagnetic cascade
  (Primakoff production).
"""

__all__ = [
    "binning", "bremsstrahlung", "cascade", "channels", "fingerprint", "fip_decays", "mesons", "photon_fusion",
    "primakoff", "pythia_production", "sample", "sources", "table_builder", "tables",
]
"""Public submodules (import them by name; nothing is imported here)."""
