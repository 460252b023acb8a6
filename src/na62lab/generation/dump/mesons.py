"""FIPs from decays and mixing of the mesons produced in the dump.

Parent mesons are drawn from the shipped Pythia spectra
(:mod:`na62lab.generation.dump.tables`) and decayed with
:func:`na62lab.physics.kinematics.two_body_decay`:

- P -> gamma X (pi0, eta, eta'), V -> P X (omega -> pi0 A', phi -> eta A'):
  isotropic two-body decays in the parent frame (the production BRs are the
  FIP model's, e.g. arXiv:0906.5614 eq. (11) and arXiv:1411.4007 eq. (2.3));
- B -> K X (X = S, a; B+ and B0 from the table): isotropic (spin-0 parent);
- vector-meson mixing (rho0, omega, phi): the A' takes the kinematics
  (momentum, angle) of the produced vector meson and its own mass (the
  approximation of arXiv:1411.4007 Sec. 2, as in the FIP model's
  :func:`na62lab.fips.dark_photon.vector_meson_mixing`);
- ALP - pi0/eta/eta' mixing: the same, with the pseudoscalar mesons
  (ALPINIST, Jerhot et al. arXiv:2201.05170 sec. 3).

Momenta in MeV/c, masses in MeV.
"""

from __future__ import annotations

import numpy as np

from na62lab.config.dump import DumpCard
from na62lab.generation.dump.sample import FIPSample, four_momenta, normalised, sample_origin
from na62lab.generation.dump.tables import ProductionTable
from na62lab.physics.kinematics import two_body_decay
from na62lab.physics.particles import mass as pdg_mass


def parent_four_momenta(table: ProductionTable, parent: str, n: int,
                        rng: np.random.Generator) -> np.ndarray:
    """Lab four-momenta (N, 4) in MeV of ``parent`` mesons drawn from the table."""
    p, theta = table.sample(parent, n, rng)
    return four_momenta(p, theta, pdg_mass(parent), rng)


def decay_sample(mode: str, parents: dict[str, float], recoil: dict[str, float], fip_mass: float,
                 n: int, table: ProductionTable, card: DumpCard, rng: np.random.Generator,
                 polarised: bool = False) -> FIPSample:
    """FIPs from two-body decays parent -> recoil + FIP.

    Parameters
    ----------
    mode : str
        Mode name (e.g. ``"eta->gammaA"``).
    parents : dict
        Parent species -> relative weight (e.g. per-POT multiplicities of B+ and B0).
    recoil : dict
        Parent species -> recoil mass (MeV).
    fip_mass : float
        FIP mass (MeV), below every parent's threshold.
    n : int
        FIPs per parent species.
    table, card, rng
        Production table, dump card, random generator.
    polarised : bool
        Whether the FIP is a transversely polarised vector.
    """
    p4s, weights = [], []
    for parent, w in parents.items():
        par = parent_four_momenta(table, parent, n, rng)
        _, fip = two_body_decay(par, recoil[parent], fip_mass, rng)
        p4s.append(fip)
        weights.append(np.full(n, w / n))
    p4 = np.concatenate(p4s)
    return FIPSample(mode, fip_mass, p4, sample_origin(p4.shape[0], card, rng),
                     normalised(np.concatenate(weights)), polarised)


def mixing_sample(meson: str, fip_mass: float, n: int, table: ProductionTable, card: DumpCard,
                  rng: np.random.Generator, polarised: bool = True) -> FIPSample:
    """FIPs produced through mixing with ``meson``: the meson's lab (p, theta), the FIP mass.

    Used for dark photons mixing with rho0/omega/phi (``polarised=True``) and for
    ALPs mixing with pi0/eta/eta' (``polarised=False``).  Keeping the lab momentum
    instead of the momentum in the proton-nucleon frame (as ALPINIST does,
    arXiv:2201.05170 sec. 3) differs only for p ~ m, far below the NA62 acceptance.
    """
    p, theta = table.sample(meson, n, rng)
    p4 = four_momenta(p, theta, fip_mass, rng)
    return FIPSample(f"mixing:{meson}", fip_mass, p4, sample_origin(n, card, rng),
                     np.full(n, 1.0 / n), polarised)
