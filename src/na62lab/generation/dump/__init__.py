"""Beam-dump production: 400 GeV protons on the copper TAX.

- :mod:`~na62lab.generation.dump.tables`: shipped Pythia 8 meson/photon spectra per POT;
- :mod:`~na62lab.generation.dump.table_builder`, :mod:`~na62lab.generation.dump.pythia_production`:
  how the tables are made (``admin/make_production_tables.py``);
- :mod:`~na62lab.generation.dump.mesons`, :mod:`~na62lab.generation.dump.bremsstrahlung`,
  :mod:`~na62lab.generation.dump.primakoff`, :mod:`~na62lab.generation.dump.sources` (B decays, meson mixing):
  FIP production samplers returning weighted FIP samples.
"""
