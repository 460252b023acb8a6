"""Photons of the whole cascade in a thick dump, for Primakoff production of photon-coupled FIPs.

The shipped production table holds the photons of the *primary* proton-nucleon
collision (mostly pi0 -> gamma gamma).  In the 3.2 m copper TAX (about 20
interaction lengths, 220 radiation lengths) two cascades add photons:

1. **Hadronic cascade** (secondary pi0 and eta mesons from re-interacting
   hadrons; Dobrich, Jaeckel, Spadaro, arXiv:1904.02091, who show that these
   daughter photons dominate ALP production in proton dumps).  Here: a
   generation model with Feynman scaling.  Every hadron of energy E that
   interacts yields photons with the same distribution in z = E_gamma/E as the
   primary collision at the beam energy, f(z) (from the table).  The hadrons
   that interact again are the leading baryon, with its energy fraction x_L
   uniform on [0, 1] (the flat leading-proton x_F spectrum of p p -> p X,
   NA49, Anticic et al. EPJC 65 (2010) 9; APPROXIMATE), and the charged pions
   and kaons of the table (they are absorbed long before they decay).  With
   h(x) their number per unit energy fraction, the photon yield per unit z of
   the whole hadronic cascade, G, solves

       G(z) = f(z) + int dx h(x)/x G(z/x),

   a convolution in ln z solved exactly on a log grid (lower-triangular
   system).  APPROXIMATIONS: Feynman scaling of the photon yield with the
   projectile energy (the central multiplicity grows ~ ln s, so low-z yields
   of the lower-energy generations are overestimated), pion- and kaon-induced
   collisions given the proton-induced photon spectrum, nucleon-level
   collisions, and the photon angles at a given energy taken from the primary
   table (photon p_T does not depend on the generation).

2. **Electromagnetic showers**: every photon above converts into e+ e- whose
   bremsstrahlung photons convert again.  The track length of shower photons
   between k and k + dk for a photon of energy E0, in Rossi's Approximation A
   (no collision loss; valid for k >> E_c ~ 20 MeV in copper), is
   T(k) dk = X0 [(9/7) delta(k - E0) + g(k/E0) dk / E0], with g -> 0.572 / x^2
   for x << 1 (B. Rossi, High-Energy Particles (1952) Sec. 5.7; the same
   track-length treatment as Bjorken et al. PRD 38 (1988) 3375 and Tsai PRD 34
   (1986) 1326).  g is computed here by a Monte Carlo of Approximation-A showers
   with the complete-screening bremsstrahlung and pair-production spectra
   (PDG Review "Passage of particles through matter", eqs. 34.29 and 34.31):
   dN/dy dt = (4/3 - 4/3 y + y^2)/y per X0 for bremsstrahlung, and
   dN/du dt = 1 - 4/3 u (1 - u) (total 7/9 per X0) for pair production.  The
   Primakoff conversion probability of a photon is proportional to its track
   length, so every shower photon counts as (its track length) / (9/7 X0)
   primary-like photons.  Shower photons keep the direction of the photon that
   started the shower (bremsstrahlung angles ~ m_e/E); APPROXIMATION: the
   multiple scattering of the shower electrons (~ (21 MeV/E) sqrt(t/X0) rad,
   Rossi-Greisen) is neglected against the production angles of the initial photons.

Energies in MeV, angles in rad.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy as np

from na62lab.config.dump import SPS_BEAM_ENERGY_GEV
from na62lab.generation.dump.tables import ProductionTable
from na62lab.physics.units import GeV

HADRON_PROJECTILES = ("pi+", "K+", "K0L", "K0S")
"""Table species that re-interact in the copper (charge conjugates summed in the table)."""
ROSSI_PHOTON_TRACK = 0.572
"""Approximation-A photon track length per primary energy: T(k) -> 0.572 X0 E0 / k^2 (k << E0; Rossi 1952)."""
PAIR_LENGTH = 9.0 / 7.0
"""Mean free path of a photon before pair conversion, in X0 (complete screening, PDG eq. 34.31)."""

NOTES = (
    "Primakoff photons: hadronic cascade by Feynman-scaling generations (leading baryon x_L uniform on [0,1], "
    "pions and kaons re-interact with the primary photon spectrum in z = E_gamma/E; APPROXIMATE, "
    "arXiv:1904.02091 for the mechanism)",
    "Primakoff photons: electromagnetic showers in Rossi's Approximation A (shower-photon track length, "
    "complete-screening spectra; shower photons along the initial photon, multiple scattering neglected)",
)


# ----------------------------------------------------------------- EM showers
def _pair_fraction(n: int, rng: np.random.Generator) -> np.ndarray:
    """Electron energy fraction u from dN/du ~ 1 - 4/3 u (1 - u) on [0, 1] (rejection)."""
    out = np.empty(0)
    while out.size < n:
        u = rng.random(2 * (n - out.size) + 16)
        keep = rng.random(u.size) < 1.0 - 4.0 / 3.0 * u * (1.0 - u)
        out = np.concatenate([out, u[keep]])
    return out[:n]


def _brems_fraction(y_min: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Photon energy fraction y on [y_min, 1] from (4/3 - 4/3 y + y^2)/y (log-uniform proposal + rejection)."""
    y = np.empty(y_min.size)
    todo = np.arange(y_min.size)
    while todo.size:
        ym = y_min[todo]
        cand = ym ** (1.0 - rng.random(todo.size))
        ok = rng.random(todo.size) * (4.0 / 3.0) < 4.0 / 3.0 - 4.0 / 3.0 * cand + cand * cand
        y[todo[ok]] = cand[ok]
        todo = todo[~ok]
    return y


def _radiate(electrons: np.ndarray, x_cut: float, rng: np.random.Generator) -> np.ndarray:
    """All bremsstrahlung photons above ``x_cut`` of the given electrons (energies in E0 units)."""
    photons, e = [], electrons[electrons > x_cut]
    while e.size:
        y_min = x_cut / e
        rate = 4.0 / 3.0 * np.log(1.0 / y_min) - 4.0 / 3.0 * (1.0 - y_min) + 0.5 * (1.0 - y_min**2)
        soft = 4.0 / 3.0 * y_min - 2.0 / 3.0 * y_min**2 + y_min**3 / 3.0   # fractional loss to y < y_min
        t = rng.exponential(1.0, e.size) / rate
        e = e * np.exp(-soft * t)
        e = e[e > x_cut]
        k = _brems_fraction(x_cut / e, rng) * e
        photons.append(k)
        e = e - k
        e = e[e > x_cut]
    return np.concatenate(photons) if photons else np.empty(0)


@lru_cache(maxsize=4)
def shower_photon_track(n_showers: int = 2000, x_cut: float = 0.003, x_min: float = 0.01,
                        seed: int = 20250) -> tuple:
    """Secondary-photon track length of an Approximation-A shower from one photon of energy E0.

    Photons are followed down to ``x_cut`` and tabulated from ``x_min`` (the
    cut distorts the spectrum within a factor ~3 above it).

    Returns
    -------
    x_edges : ndarray
        Log-spaced edges of x = k/E0 from ``x_min`` to 1.
    g : ndarray
        Track length of the shower photons (excluding the initial one) per unit x,
        in X0, per initial photon (-> 0.572 / x^2 for x << 1).
    """
    rng = np.random.default_rng(seed)
    x_edges = np.geomspace(x_min, 1.0, 31)
    hist = np.zeros(x_edges.size - 1)
    photons = np.ones(n_showers)
    first = True
    while photons.size:
        if not first:
            hist += np.histogram(photons, x_edges)[0]
        first = False
        u = _pair_fraction(photons.size, rng)
        electrons = np.concatenate([u * photons, (1.0 - u) * photons])
        photons = _radiate(electrons, x_cut, rng)
    return x_edges, PAIR_LENGTH * hist / np.diff(x_edges) / n_showers


def shower_track_factor(k_edges_over_e0_lo: np.ndarray, k_edges_over_e0_hi: np.ndarray) -> np.ndarray:
    """Secondary-photon track length (X0) between x_lo and x_hi per initial photon.

    Uses the Monte Carlo :func:`shower_photon_track` above its cut and the
    asymptotic 0.572 / x^2 (Rossi, Approximation A) below it.
    """
    x_edges, g = shower_photon_track()
    cum = np.concatenate([[0.0], np.cumsum((g * np.diff(x_edges))[::-1])])[::-1]   # track above each edge

    def above(x):
        x = np.clip(np.asarray(x, float), 0.0, 1.0)
        inside = np.interp(np.log(np.maximum(x, x_edges[0])), np.log(x_edges), cum)
        tail = ROSSI_PHOTON_TRACK * (1.0 / np.maximum(x, 1e-12) - 1.0 / x_edges[0])
        return np.where(x >= x_edges[0], inside, cum[0] + tail)

    return np.maximum(above(k_edges_over_e0_lo) - above(k_edges_over_e0_hi), 0.0)


# ------------------------------------------------------------ hadronic cascade
def _beam_energy(table: ProductionTable) -> float:
    """Beam energy (MeV) of the table's Pythia runs (400 GeV if not recorded)."""
    for run in table.provenance.get("runs", {}).values():
        for s in run.get("settings", []):
            if s.replace(" ", "").startswith("Beams:eA="):
                return float(s.split("=")[1]) * GeV
    return SPS_BEAM_ENERGY_GEV * GeV


def hadronic_enhancement(table: ProductionTable, species: str = "gamma") -> np.ndarray:
    """``species`` (default photons) of the whole hadronic cascade / of the primary collision, per momentum bin.

    On the table's uniform log10 p bins, with T the bin of z = p/E_beam = 1,
    F_i the primary photons and H_k the re-interacting hadrons per bin, Feynman
    scaling gives G_i = F_i + sum_{j=i..T} H_{T+i-j} G_j (a projectile in bin k
    puts into bin i what the beam puts into bin T+i-k), an upper-triangular
    system solved exactly.  Bins above T get 1.
    """
    e_beam = _beam_energy(table)
    lp = table.log10p_edges
    p, _ = table.centres()
    f = table.density[species].sum(axis=1)
    h = sum(table.density[s].sum(axis=1) for s in HADRON_PROJECTILES if s in table.density)
    x_lo, x_hi = 10.0 ** lp[:-1] * GeV / e_beam, 10.0 ** lp[1:] * GeV / e_beam
    h = h + np.clip(np.minimum(x_hi, 1.0) - np.minimum(x_lo, 1.0), 0.0, None)   # leading baryon, x_L uniform
    top = int(np.argmin(np.abs(np.log(p / e_beam))))
    n = top + 1
    i, j = np.indices((n, n))
    mat = np.where(j >= i, h[np.clip(top + i - j, 0, top)], 0.0)
    g = np.linalg.solve(np.eye(n) - mat, f[:n])
    ratio = np.ones(p.size)
    ratio[:n] = np.where(f[:n] > 0, g / np.where(f[:n] > 0, f[:n], 1.0), 1.0)
    return ratio


def cascade_photon_table(table: ProductionTable, hadronic: bool = True,
                         electromagnetic: bool = True) -> ProductionTable:
    """A copy of ``table`` whose ``gamma`` density counts primary-equivalent photons of the whole cascade.

    Each entry is (photon track length) / (9/7 X0) per POT, so the Primakoff
    conversion probability of a primary photon applies to it unchanged (track
    lengths in X0 units: the result does not depend on the material's X0).

    Parameters
    ----------
    table : ProductionTable
    hadronic, electromagnetic : bool
        Which cascade to include.
    """
    dens = np.array(table.density["gamma"], dtype=float)
    if hadronic:
        dens = dens * hadronic_enhancement(table)[:, None]
    if electromagnetic:
        lp = table.log10p_edges
        e_lo, e_hi = 10.0 ** lp[:-1], 10.0 ** lp[1:]
        e0 = np.sqrt(e_lo * e_hi)
        # shower photons in energy bin i from initial photons in bin j >= i (energies in GeV); they keep
        # the direction of the initial photon (its angle row j), the shower's angular spread neglected
        frac = shower_track_factor(e_lo[:, None] / e0[None, :], e_hi[:, None] / e0[None, :]) / PAIR_LENGTH
        dens = dens + frac @ dens
    density = dict(table.density)
    density["gamma"] = dens
    return replace(table, density=density)


def cascade_meson_table(table: ProductionTable, production) -> ProductionTable:
    """A copy of ``table`` whose light mesons (all ``soft`` species but photons) count the whole hadronic cascade.

    Every soft meson spectrum is multiplied, per momentum bin, by its
    :func:`hadronic_enhancement` (the Feynman-scaling generation model of the
    module docstring, applied to that species instead of the photons;
    secondary pi0/eta mesons of the cascade: Dobrich, Jaeckel, Spadaro,
    arXiv:1904.02091).  A species of ``production.measured_multiplicities``
    is first normalised to its measured number per collision, so the result
    is (measured primary yield) x (cascade factor); the caller must then drop
    that species from ``measured_multiplicities`` (:func:`cascade_production`).
    Long-lived parents (K, pi+-) are enhanced the same way: every kaon of the
    cascade decays in flight before absorption with the same probability.
    Only bins above ``production.meson_cascade_p_min_gev`` are enhanced (the
    lowest bins, where Feynman scaling fails most, keep the primary yield):
    a FIP from a meson decay carries less energy than the meson, so a floor
    below the selection's smallest accepted FIP energy drops no accepted FIP,
    and it keeps the sampled parents in the useful momentum range.
    APPROXIMATIONS as in the module docstring (Feynman scaling overestimates
    the yields of the lowest momentum bins).

    Parameters
    ----------
    table : ProductionTable
    production : na62lab.config.dump.DumpProduction
        For the measured multiplicities.
    """
    measured = production.measured_multiplicities
    density = dict(table.density)
    above = table.centres()[0] >= production.meson_cascade_p_min_gev * GeV
    for name in table.species:
        if table.kind[name] != "soft" or name == "gamma" or not table.density[name].sum() > 0:
            continue
        dens = np.array(table.density[name], dtype=float)
        if name in measured:
            dens = dens * (measured[name] / dens.sum())
        density[name] = dens * np.where(above, hadronic_enhancement(table, name), 1.0)[:, None]
    return replace(table, density=density)


def cascade_production(production):
    """``production`` without measured multiplicities (already folded in by :func:`cascade_meson_table`)."""
    return production.model_copy(update={"measured_multiplicities": {}})
