"""FIPs from decays and mixing of the mesons produced in the dump.

Parent mesons are drawn from the shipped Pythia spectra
(:mod:`na62lab.generation.dump.tables`) and decayed with
:func:`na62lab.physics.kinematics.two_body_decay`:

- P -> gamma X (pi0, eta, eta'), V -> P X (omega -> pi0 A', phi -> eta A'):
  isotropic two-body decays in the parent frame (the production BRs are the
  FIP model's, e.g. arXiv:0906.5614 eq. (11) and arXiv:1411.4007 eq. (2.3));
- B -> K X (X = S, a; B+ and B0 from the table): isotropic (spin-0 parent);
- D, Ds, B, K -> (P') l N for heavy neutral leptons (:func:`parent_decay_sample`; three-body
  decays weighted by the model's matrix element over the Dalitz plane when it gives one);
- long-lived parents (K+, K_L, pi+) decay in flight only before they are absorbed
  (:func:`survival_weight`);
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
from na62lab.generation.dump.sample import (FIPSample, angular_window, four_momenta, normalised, sample_origin,
                                            tail_weighted_draw)
from na62lab.generation.dump.tables import ProductionTable
from na62lab.physics.kinematics import invariant_mass2, three_body_phase_space, two_body_decay
from na62lab.physics.particles import mass as pdg_mass


def parent_four_momenta(table: ProductionTable, parent: str, n: int,
                        rng: np.random.Generator) -> np.ndarray:
    """Lab four-momenta (N, 4) in MeV of ``parent`` mesons drawn from the table."""
    p, theta = table.sample(parent, n, rng)
    return four_momenta(p, theta, pdg_mass(parent), rng)


def weighted_parent_four_momenta(table: ProductionTable, parent: str, n: int, rng: np.random.Generator,
                                 share: float, window: tuple[float, float] | None = None
                                 ) -> tuple[np.ndarray, np.ndarray]:
    """Lab four-momenta (N, 4) in MeV of ``parent`` mesons and their importance weights (mean 1).

    Drawn with the momentum-tail proposal of :func:`~na62lab.generation.dump.sample.tail_ratio`
    (tail ``share``, card ``mc.tail_share``, restricted to the polar angles ``window``; 0 gives
    :func:`parent_four_momenta` with unit weights).
    """
    p, theta, w = tail_weighted_draw(table, parent, n, rng, share, window)
    return four_momenta(p, theta, pdg_mass(parent), rng), w


def survival_weight(p: np.ndarray, parent_mass: float, ctau_mm: float, absorption_length_mm: float) -> np.ndarray:
    """Probability that a long-lived parent decays in flight before it is absorbed in the dump.

    With decay length L = (p/m) c tau and absorption length lambda, the two
    exponential processes compete and P(decay first) = lambda / (lambda + L)
    (an infinitely thick absorber; the TAX is about 20 interaction lengths).
    Used for K+, K_L, pi+ parents (e.g. K -> pi S, K -> l N); the
    suppression is of order lambda / L ~ 1e-3 at p ~ 30 GeV/c.

    Parameters
    ----------
    p : ndarray
        Parent momenta (MeV/c).
    parent_mass : float
        Parent mass (MeV).
    ctau_mm, absorption_length_mm : float
        Parent c tau and absorption length in the dump material (mm).
    """
    decay_length = np.asarray(p, dtype=float) / parent_mass * ctau_mm
    return absorption_length_mm / (absorption_length_mm + decay_length)


def parent_decay_sample(mode: str, parents: dict[str, float], recoils: dict[str, tuple[float, ...]],
                        fip_mass: float, n: int, table: ProductionTable, card: DumpCard,
                        rng: np.random.Generator, polarised: bool = False,
                        long_lived: dict[str, tuple[float, float, float]] | None = None,
                        dalitz_density=None) -> FIPSample:
    """FIPs from two-body (parent -> recoil + FIP) or three-body (parent -> r1 r2 FIP) decays.

    Two-body decays are isotropic in the parent frame (spin-0 parents, or
    unpolarised vector parents); three-body decays are drawn from flat phase
    space and weighted by ``dalitz_density`` (the matrix element over the Dalitz
    plane, normalised to mean 1 per parent species) when given, flat otherwise
    (APPROXIMATE kinematics; the rate is exact either way).

    Parameters
    ----------
    mode : str
        Mode name.
    parents : dict
        Parent species -> relative weight (per-POT multiplicities).
    recoils : dict
        Parent species -> recoil masses (MeV), one or two.
    fip_mass : float
        FIP mass (MeV).
    n : int
        FIPs per parent species.
    table, card, rng
        Production table, dump card, random generator.
    polarised : bool
        Whether the FIP is a transversely polarised vector.
    long_lived : dict, optional
        Parent species -> (mass MeV, c tau mm, absorption length mm) for parents that
        decay in flight before absorption: each FIP is weighted by
        :func:`survival_weight` (normalised per species to its mean, which the rate carries).
    dalitz_density : callable, optional
        (q2, s) -> |M|^2 for three-body decays, q2 = (p_r2 + p_FIP)^2 and s = (p_r1 + p_r2)^2 (MeV^2),
        r1, r2 the recoils in the channel's order (meson, lepton).
    """
    p4s, weights = [], []
    for parent, w in parents.items():
        par, tilt = weighted_parent_four_momenta(table, parent, n, rng, card.mc.tail_share,
                                                 angular_window(card))
        rec = recoils[parent]
        wt = np.full(n, 1.0)
        if len(rec) == 1:
            fip = two_body_decay(par, rec[0], fip_mass, rng)[1]
        else:
            r1, r2, fip = three_body_phase_space(par, rec[0], rec[1], fip_mass, rng)
            if dalitz_density is not None:
                dens = np.asarray(dalitz_density(invariant_mass2(r2 + fip), invariant_mass2(r1 + r2)), float)
                wt = dens / max(float(dens.mean()), 1e-300)
        if long_lived and parent in long_lived:
            surv = survival_weight(np.linalg.norm(par[:, 1:], axis=1), *long_lived[parent])
            wt = wt * surv / max(float(np.mean(tilt * surv)), 1e-300)   # mean over the table spectrum
        wt = wt * tilt
        p4s.append(fip)
        weights.append(wt * w / n)
    p4 = np.concatenate(p4s)
    return FIPSample(mode, fip_mass, p4, sample_origin(p4.shape[0], card, rng),
                     normalised(np.concatenate(weights)), polarised)


def mixing_sample(meson: str, fip_mass: float, n: int, table: ProductionTable, card: DumpCard,
                  rng: np.random.Generator, polarised: bool = True) -> FIPSample:
    """FIPs produced through mixing with ``meson``: the meson's lab (p, theta), the FIP mass.

    Used for dark photons mixing with rho0/omega/phi (``polarised=True``) and for
    ALPs mixing with pi0/eta/eta' (``polarised=False``).  Keeping the lab momentum
    instead of the momentum in the proton-nucleon frame (as ALPINIST does,
    arXiv:2201.05170 sec. 3) differs only for p ~ m, far below the NA62 acceptance: with ALPINIST's
    mapping the NA62 BC11 events change by -8 % to +6 % at 0.08-0.71 GeV (long-lived regime;
    :mod:`na62lab.analyses.beam_dump_references`).
    """
    p, theta, w = tail_weighted_draw(table, meson, n, rng, card.mc.tail_share, angular_window(card))
    p4 = four_momenta(p, theta, fip_mass, rng)
    return FIPSample(f"mixing:{meson}", fip_mass, p4, sample_origin(n, card, rng), normalised(w),
                     polarised)
