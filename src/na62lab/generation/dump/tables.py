"""The shipped beam-dump production table: per-proton spectra of mesons and photons.

The table (``data/production_tables.npz``) is made by
``admin/make_production_tables.py`` (Pythia 8, 400 GeV p on Cu nucleons; see
:mod:`na62lab.generation.dump.table_builder`).  Its ``provenance`` entry is a
JSON header with the Pythia version, settings, events and seeds.

Per-POT normalisation (single-interaction picture: every proton makes one
inelastic collision in the 3 m thick copper TAX):

- ``soft`` species (pi0, eta, eta', omega, rho0, phi, K+, K0S, K0L, pi+,
  gamma): density per inelastic collision = per POT;
- ``charm`` (D+, D0, Ds+, the charmed baryons Lambda(c)+, Xi(c)+, Xi(c)0, Omega(c)0 since f432d99): density per c cbar
  event x chi_cc;
- ``beauty`` (B+, B0, Bs0, the b baryons Lambda(b)0, Xi(b)0, Xi(b)-, Omega(b)-; B_c+ derived from B+ by
  :func:`with_bc`): density per b bbar event x chi_bb;
- ``charmonium`` (J/psi): density per charmonium event x chi_J/psi.

The chi factors and the thick-target cascade enhancement are card inputs
(:class:`na62lab.config.dump.DumpProduction`).  What the single-interaction
picture misses: secondary hadrons re-interacting in the copper produce more,
softer mesons (a sizeable effect for light mesons at low momentum, small
above ~20 GeV/c) and extra heavy flavour (the cascade enhancement, a factor
about 2.3 for charm and 1.7 for beauty in SHiP's Mo/W target, SHiP note
CERN-SHiP-NOTE-2015-009; no value for copper or iron was found, and the copper
cards keep 1: their charm is 0.75-1.51 x BEBC's measured on-axis prompt
neutrino flux, tests/generation/dump/test_charm_prompt_neutrinos.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from na62lab.errors import InputError, require
from na62lab.physics.particles import mass
from na62lab.physics.units import GeV

SHIPPED_TABLE = Path(__file__).resolve().parent / "data" / "production_tables.npz"
"""Path of the shipped table (package data)."""


@dataclass(frozen=True)
class ProductionTable:
    """Per-event (log10 p, log10 theta) spectra of each species.

    Attributes
    ----------
    species : tuple of str
        Species names (``particles`` names, charge conjugates summed).
    kind : dict
        Species -> run kind (``soft``, ``charm``, ``beauty``, ``charmonium``).
    density : dict
        Species -> array (n_p, n_theta): mean count per bin per event of the kind.
    counts : dict
        Species -> raw generated counts per bin (statistical errors).
    log10p_edges, log10theta_edges : ndarray
        Bin edges in log10(p / GeV) and log10(theta / rad).
    provenance : dict
        How the table was made.
    """

    species: tuple[str, ...]
    kind: dict
    density: dict
    counts: dict
    log10p_edges: np.ndarray
    log10theta_edges: np.ndarray
    provenance: dict

    def _check(self, name: str) -> None:
        require(name in self.density, "species", name, f"one of {list(self.species)}")

    def multiplicity(self, name: str) -> float:
        """Mean number of ``name`` per event of its kind (per POT for ``soft``)."""
        self._check(name)
        return float(self.density[name].sum())

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Bin centres: momentum (MeV) and polar angle (rad), log-centred."""
        lp = 0.5 * (self.log10p_edges[1:] + self.log10p_edges[:-1])
        lt = 0.5 * (self.log10theta_edges[1:] + self.log10theta_edges[:-1])
        return 10.0 ** lp * GeV, 10.0 ** lt

    def sample(self, name: str, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Draw ``n`` momenta and polar angles of ``name`` from its spectrum.

        Bins are chosen by their content; inside a bin the values are uniform
        in log p and log theta.

        Parameters
        ----------
        name : str
            Species.
        n : int
            Number of draws.
        rng : numpy.random.Generator

        Returns
        -------
        p : ndarray
            Momenta (MeV/c), at least 1.001 x the PDG mass.
        theta : ndarray
            Polar angles to the proton beam (rad).
        """
        self._check(name)
        require(n >= 0, "n", n, "a non-negative integer")
        d = self.density[name].ravel()
        require(d.sum() > 0, "species", name, "a species with entries in the table")
        cdf = np.cumsum(d) / d.sum()
        idx = np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), d.size - 1)
        ip, it = np.divmod(idx, self.density[name].shape[1])
        lp = self.log10p_edges[ip] + rng.random(n) * np.diff(self.log10p_edges)[ip]
        lt = self.log10theta_edges[it] + rng.random(n) * np.diff(self.log10theta_edges)[it]
        p = np.maximum(10.0 ** lp * GeV, 1.001 * mass(name) if name != "gamma" else 0.0)
        return p, 10.0 ** lt

    def per_pot(self, name: str, production) -> float:
        """Mean number of ``name`` per proton on target.

        Parameters
        ----------
        name : str
            Species.
        production : na62lab.config.dump.DumpProduction
            Heavy-flavour normalisation: soft species are per inelastic
            collision (= per POT); charm and beauty hadrons are chi_cc (chi_bb)
            x cascade factor x hadrons per pair (Pythia fragmentation); J/psi is
            chi_jpsi x cascade_charm (the Pythia charmonium run gives its shape only).
            A soft species listed in ``production.measured_multiplicities`` takes that measured
            number per collision instead of Pythia's (the spectrum shape stays Pythia's).
        """
        self._check(name)
        kind, mult = self.kind[name], self.multiplicity(name)
        if kind == "charm":
            return production.chi_cc * production.cascade_charm * mult
        if kind == "beauty":
            return production.chi_bb * production.cascade_beauty * mult
        if kind == "charmonium":
            return production.chi_jpsi * production.cascade_charm
        return float(getattr(production, "measured_multiplicities", {}).get(name, mult))

    def mean_momentum(self, name: str) -> float:
        """Mean momentum (MeV/c) of ``name`` from the binned spectrum."""
        self._check(name)
        p, _ = self.centres()
        d = self.density[name]
        return float((d.sum(axis=1) * p).sum() / d.sum())


def read_table(path: str | Path) -> ProductionTable:
    """Read a production table written by :func:`table_builder.write_table`.

    ``path`` is a file, or the bare name of a table shipped beside :data:`SHIPPED_TABLE`
    (e.g. ``production_tables_70GeV_Fe.npz``, 70 GeV protons on iron for NuCal).
    """
    path = Path(path)
    if not path.is_file() and path.name == str(path) and (SHIPPED_TABLE.parent / path).is_file():
        path = SHIPPED_TABLE.parent / path
    if not path.is_file():
        raise InputError("production_table", str(path), "an existing .npz made by admin/make_production_tables.py")
    with np.load(path) as f:
        names = tuple(str(s) for s in f["species"])
        return ProductionTable(
            species=names, kind=dict(zip(names, (str(k) for k in f["kind"]))),
            density=dict(zip(names, f["density"])), counts=dict(zip(names, f["counts"])),
            log10p_edges=f["log10p_edges"], log10theta_edges=f["log10theta_edges"],
            provenance=json.loads(str(f["provenance"])))


@lru_cache(maxsize=4)
def load_table(path: str | None = None) -> ProductionTable:
    """The production table at ``path`` (default: the shipped one), cached."""
    return read_table(SHIPPED_TABLE if path is None else path)


BC_SPECIES = "Bc+"
"""The derived B_c+ species (:func:`with_bc`)."""


def with_bc(table: ProductionTable, bc_to_bplus: float) -> ProductionTable:
    """``table`` with a derived ``Bc+`` beauty species: ``bc_to_bplus`` x the B+ spectrum.

    B_c+ production at 400 GeV is not measured and Pythia's hard b bbar runs barely make any
    (it needs an extra c cbar pair); its normalisation per B+ is the card input
    ``production.bc_to_bplus`` (ASSUMED, :class:`na62lab.config.dump.DumpProduction`; default the
    LHC-energy fraction 2 f_c / (f_u + f_d) = 7.6e-3 of LHCb, PRD 100 (2019) 112006, arXiv:1910.13404,
    13 TeV): an UPPER bracket at the SPS and 0 (no B_c+) the lower one, why and the note every dump
    result prints in :mod:`na62lab.analyses.beam_dump_bc`.  Its (p, theta) spectrum is the table's B+
    one (APPROXIMATE: the heavier B_c+ is taken at the B+ momenta, at least 1.001 m(B_c+)).  Returned
    unchanged without B+, with a B_c+ already present, or for a non-positive ratio.

    Parameters
    ----------
    table : ProductionTable
    bc_to_bplus : float
        B_c+ per B+ (charge conjugates summed).
    """
    if bc_to_bplus <= 0 or "B+" not in table.density or BC_SPECIES in table.density:
        return table
    return ProductionTable(
        species=table.species + (BC_SPECIES,), kind={**table.kind, BC_SPECIES: table.kind["B+"]},
        density={**table.density, BC_SPECIES: bc_to_bplus * table.density["B+"]},
        counts={**table.counts, BC_SPECIES: table.counts["B+"]},
        log10p_edges=table.log10p_edges, log10theta_edges=table.log10theta_edges,
        provenance={**table.provenance, BC_SPECIES: f"derived: {bc_to_bplus:g} x the B+ spectrum (card bc_to_bplus)"})
