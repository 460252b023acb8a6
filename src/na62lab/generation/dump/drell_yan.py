"""Drell-Yan production q qbar -> V of vector FIPs in the dump, from the shipped tables.

Rate per proton on target and per coupling^2 at FIP mass M (MeV):

    N/POT = sum_q c_q [Z sigma_q(pp) + (A - Z) sigma_q(pn)] / sigma_inel(pA),

- sigma_q(pN): the LO narrow-width cross section per unit g_q^2 of flavour q = u, d, s, c on a
  proton or a neutron at rest (Pythia's default PDF NNPDF2.3 QCD+QED LO at Q^2 = M^2; formula
  and cross-check against Pythia's own 2 -> 1 process in
  :mod:`~na62lab.generation.dump.drell_yan_pythia`), interpolated log-log between the table's
  mass nodes (1 to 12 GeV at 400 GeV, 1 to 8 GeV at 70 GeV);
- c_q = g_q^2 / coupling^2 from the model (:meth:`na62lab.fips.base.FIPModel.drell_yan_couplings`;
  dark photon 4 pi alpha Q_q^2);
- hard Drell-Yan scales as A^1 on nuclei (E772, Alde et al., PRL 64 (1990) 2479: alpha = 1 within
  a few per cent for dimuon masses above the J/psi) summed over the Z protons and A - Z neutrons;
- sigma_inel(pA) = A / (N_A rho lambda_I) from the card's interaction length (the convention of the
  heavy-flavour chi factors of the cards: one inelastic collision per proton, single-interaction
  picture), rho and Z, A of the dump material (card ``production.target_material``, otherwise the
  production table's target; :func:`na62lab.generation.dump.primakoff.dump_nucleus`).

The perturbative rate is used above the card's ``production.drell_yan_min_mass_gev`` only
(default 1.4 GeV: SHiP's QCD-production regime, FairShip ``python/dpProductionRates.py``
``qcdprodRate``, the Pythia cross-section fit used above 1.4 GeV in the SHiP dark-photon study,
EPJC 81 (2021) 451, arXiv:2011.05115).  Below it the time-like production is the proton
bremsstrahlung with its form factor and the vector-meson mixing: no double counting of the
q qbar -> V continuum with the rho/omega/phi region.

Kinematics: the V's (log10 p, log10 theta) spectrum of Pythia's runs at the nearest mass node
(log scale), proton and neutron spectra mixed with their rate shares; uniform inside the bins,
uniform azimuth; production point as the primary interaction
(:func:`~na62lab.generation.dump.sample.sample_origin`).  APPROXIMATE: the spectra are those of
dark-photon couplings (u : d = 4 : 1); another coupling pattern changes the rate exactly and the
spectrum slightly (valence u and d differ in x).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from hepunits import millibarn

from na62lab.config.dump import DumpCard
from na62lab.generation.dump.drell_yan_pythia import QUARKS
from na62lab.generation.dump.sample import FIPSample, four_momenta, normalised, sample_origin
from na62lab.physics.constants import AVOGADRO
from na62lab.physics.units import GeV, cm

DATA = Path(__file__).resolve().parent / "data"
TABLES = {400.0: "drell_yan_400GeV.npz", 70.0: "drell_yan_70GeV.npz"}
"""Shipped Drell-Yan tables by proton beam energy (GeV)."""


@dataclass(frozen=True)
class DrellYanTable:
    """Per-nucleon Drell-Yan cross sections and V spectra at the mass nodes.

    Attributes
    ----------
    masses : ndarray
        Mass nodes (MeV).
    sigma : ndarray (2, 4, n)
        sigma(p N -> V) per unit g_q^2 (internal area units) for N = p, n and q = u, d, s, c.
    density : ndarray (2, n, n_p, n_theta)
        V's per event in (log10 p/GeV, log10 theta/rad) bins.
    log10p_edges, log10theta_edges : ndarray
    sigma_pythia, alpha_em : ndarray
        Pythia's cross section (area) with g_q = e Q_q at alpha_em(M^2), (2, n); alpha_em(M^2), (n,).
    provenance : dict
    """

    masses: np.ndarray
    sigma: np.ndarray
    density: np.ndarray
    log10p_edges: np.ndarray
    log10theta_edges: np.ndarray
    sigma_pythia: np.ndarray
    alpha_em: np.ndarray
    provenance: dict

    def cross_sections(self, masses) -> np.ndarray:
        """sigma_q(pN) per unit g_q^2 (area) at ``masses`` (MeV): (2, 4, len), log-log, 0 outside the nodes."""
        m = np.atleast_1d(np.asarray(masses, dtype=float))
        inside = (m >= self.masses[0]) & (m <= self.masses[-1])
        lm = np.log(np.clip(m, self.masses[0], self.masses[-1]))
        out = np.zeros(self.sigma.shape[:2] + m.shape)
        for i in range(2):
            for j in range(self.sigma.shape[1]):
                s = self.sigma[i, j]
                if np.all(s > 0):
                    out[i, j] = np.exp(np.interp(lm, np.log(self.masses), np.log(s)))
                else:
                    out[i, j] = np.interp(lm, np.log(self.masses), s)
        return np.where(inside, out, 0.0)

    def node(self, mass: float) -> int:
        """Index of the mass node nearest to ``mass`` (MeV) in log scale."""
        return int(np.argmin(np.abs(np.log(self.masses) - np.log(mass))))


def table_path(beam_energy_gev: float) -> Path | None:
    """The shipped table at ``beam_energy_gev`` (None if there is none)."""
    name = TABLES.get(float(beam_energy_gev))
    return None if name is None or not (DATA / name).is_file() else DATA / name


@lru_cache(maxsize=4)
def load_table(beam_energy_gev: float) -> DrellYanTable | None:
    """The shipped Drell-Yan table at ``beam_energy_gev`` (GeV), read once; None if not shipped."""
    path = table_path(beam_energy_gev)
    if path is None:
        return None
    with np.load(path) as f:
        return DrellYanTable(masses=f["masses_gev"] * GeV, sigma=f["sigma_lo_mb"] * millibarn,
                             density=f["density"].astype(float), log10p_edges=f["log10p_edges"],
                             log10theta_edges=f["log10theta_edges"], sigma_pythia=f["sigma_pythia_mb"] * millibarn,
                             alpha_em=f["alpha_em"], provenance=json.loads(str(f["provenance"])))


def sigma_inelastic(card: DumpCard, nucleus: tuple[int, float, float]) -> float:
    """sigma_inel(pA) = A / (N_A rho lambda_I) (internal area units; ``/ millibarn`` gives mb)."""
    _, a, rho = nucleus
    lambda_cm = card.production.interaction_length_m * 100.0
    return a / (AVOGADRO * rho * lambda_cm) * cm**2


def rate(couplings: dict[str, float], masses, table: DrellYanTable, card: DumpCard,
         nucleus: tuple[int, float, float]) -> np.ndarray:
    """V per POT per coupling^2 at ``masses`` (MeV) (module docstring); 0 below the card's threshold.

    Parameters
    ----------
    couplings : dict
        Flavour -> g_q^2 per coupling^2 (:meth:`FIPModel.drell_yan_couplings`; missing flavours 0).
    masses : array_like
        FIP masses (MeV).
    table, card, nucleus
        Drell-Yan table, dump card, (Z, A, rho g/cm^3) of the dump material.
    """
    m = np.atleast_1d(np.asarray(masses, dtype=float))
    sig = table.cross_sections(m)
    c = _coupling_vector(couplings)
    z, a, _ = nucleus
    per_nucleus = z * np.einsum("q,qm->m", c, sig[0]) + (a - z) * np.einsum("q,qm->m", c, sig[1])
    above = m >= card.production.drell_yan_min_mass_gev * GeV
    return np.where(above, per_nucleus / sigma_inelastic(card, nucleus), 0.0)


def _coupling_vector(couplings: dict[str, float]) -> np.ndarray:
    """g_q^2 per coupling^2 in the order of :data:`QUARKS` (missing flavours 0)."""
    return np.array([float(couplings.get(q, 0.0)) for q in QUARKS])


def nucleon_shares(couplings: dict[str, float], mass: float, table: DrellYanTable,
                   nucleus: tuple[int, float, float]) -> tuple[float, float]:
    """Rates on the Z protons and the A - Z neutrons at ``mass`` (MeV), the ``shares`` of :func:`sample`;
    (Z, A - Z) when both vanish."""
    sig = table.cross_sections([mass])[:, :, 0]
    c = _coupling_vector(couplings)
    z, a, _ = nucleus
    shares = (z * float(c @ sig[0]), (a - z) * float(c @ sig[1]))
    return shares if sum(shares) > 0 else (z, a - z)


def sample(mass: float, n: int, card: DumpCard, rng: np.random.Generator, table: DrellYanTable,
           shares: tuple[float, float] = (0.5, 0.5), polarised: bool = True) -> FIPSample:
    """Draw ``n`` Drell-Yan FIPs of ``mass`` (MeV) from the spectra of the nearest mass node.

    Parameters
    ----------
    mass : float
        FIP mass (MeV).
    n : int
        Number of FIPs.
    card, rng, table
        Dump card, random generator, Drell-Yan table.
    shares : (float, float)
        Relative rates on protons and neutrons (mix of the two spectra).
    polarised : bool
        Whether the FIP is a vector (recorded on the sample).
    """
    k = table.node(mass)
    w = np.asarray(shares, dtype=float)
    dens = (w[0] * table.density[0, k] + w[1] * table.density[1, k]).ravel()
    cdf = np.cumsum(dens) / dens.sum()
    idx = np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), dens.size - 1)
    ip, it = np.divmod(idx, table.density.shape[-1])
    lp = table.log10p_edges[ip] + rng.random(n) * np.diff(table.log10p_edges)[ip]
    lt = table.log10theta_edges[it] + rng.random(n) * np.diff(table.log10theta_edges)[it]
    p = np.maximum(10.0 ** lp * GeV, 1e-3 * mass)
    p4 = four_momenta(p, 10.0 ** lt, float(mass), rng)
    return FIPSample("drell_yan", float(mass), p4, sample_origin(n, card, rng), normalised(np.ones(n)), polarised)
