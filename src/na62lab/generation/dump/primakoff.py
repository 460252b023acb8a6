"""Primakoff production of photon-coupled FIPs from the dump's photons.

The photons of the whole cascade in the TAX (card ``production.primakoff_cascade``,
on by default: the primary-collision photons of the shipped Pythia table, mostly
from pi0 -> gamma gamma, times the hadronic-cascade and electromagnetic-shower
factors of :mod:`~na62lab.generation.dump.cascade`; off: primary photons only) with
energy above the card's threshold convert on the dump's nuclei, gamma N -> a N
(N: the card's ``production.target_material`` if it states one, e.g. tungsten for
SHiP at ECN3, otherwise the nucleus of the production table's target, copper for the NA62 TAX
and CHARM, iron for NuCal; :func:`dump_nucleus`), with the cross section
sigma_P(E_gamma, m_a) per g_agg^2 supplied by the FIP model (method
``primakoff_cross_section(photon_energy, mass, Z, A)`` in MeV, MeV, returning
area / g^2 in internal units).  In a thick target a photon
travels on average the photon attenuation length 9/7 X0 before it converts
into a pair, so the conversion probability per photon is

    P(E) = sigma_P(E, m) n_N (9/7) X0

(Bjorken et al. PRD 38 (1988) 3375 sec. II; Dobrich et al. arXiv:1512.03069
eq. (2.3) for the same thick-target estimate), with n_N the number density of
the dump's nuclei and X0 the radiation length of the dump material
(:func:`dump_radiation_length_m`; the same normalisation as ALPINIST, arXiv:2201.05170: sigma_P over the
photon absorption cross section 7/9 A / (N_A X0)).  The ALP takes the photon's
energy and direction (APPROXIMATION: the Primakoff angle ~ m_a^2 / (2 E^2) and
the nuclear recoil are neglected).
"""

from __future__ import annotations

import numpy as np

from na62lab.config.dump import DumpCard
from na62lab.generation.dump.sample import (FIPSample, angular_window, four_momenta, normalised, sample_origin,
                                            tail_weighted_draw)
from na62lab.generation.dump.tables import ProductionTable
from na62lab.physics.constants import AVOGADRO
from na62lab.physics.materials import MATERIALS
from na62lab.physics.units import GeV, cm, m

NUCLEI = {name: MATERIALS[name].nucleus for name in ("Cu", "Fe", "Mo", "W")}
"""Dump nuclei: Z, standard atomic weight and density in g/cm^3 from :data:`na62lab.physics.materials.MATERIALS`
(PDG atomic and nuclear properties of materials): NA62 TAX and CHARM copper, NuCal iron, SHiP tungsten
(ECN3) and molybdenum (the earlier beam-dump-facility design)."""
RADIATION_LENGTH_G_CM2 = {name: MATERIALS[name].radiation_length_g_cm2 for name in NUCLEI}
"""Radiation length X0 in g/cm^2 (:data:`na62lab.physics.materials.MATERIALS`); X0 in m is
``MATERIALS[name].radiation_length_m``: Cu 1.435, Fe 1.758, Mo 0.959, W 0.350 cm."""
_NUCLEUS_NAMES = {"cu": "Cu", "copper": "Cu", "fe": "Fe", "iron": "Fe"}


def dump_nucleus(table: ProductionTable, card: DumpCard | None = None) -> tuple[int, float, float]:
    """Z, A and density (g/cm^3) of the dump's nuclei.

    The card's ``production.target_material`` if set (SHiP at ECN3: tungsten), otherwise the nucleus of
    the table's target (its provenance), copper if unrecorded.  The Primakoff cross section scales
    as Z^2 (Tsai, PRD 34 (1986) 1326): on the iron of NuCal it is (26/29)^2 = 0.80 of the copper
    value, on molybdenum (42/29)^2 = 2.1 (per nucleus; per photon the conversion probability
    sigma_P / sigma_abs changes much less, sigma_abs ~ Z^2 too).
    """
    if card is not None and card.production.target_material is not None:
        return NUCLEI[card.production.target_material]
    target = str(table.provenance.get("target", "copper")).split(" ")[0].lower()
    return NUCLEI[_NUCLEUS_NAMES.get(target, "Cu")]


def dump_radiation_length_m(card: DumpCard) -> float:
    """X0 of the dump material (m): the PDG value of ``production.target_material`` if the card states
    one, otherwise the card's ``production.copper_radiation_length_m``."""
    material = card.production.target_material
    if material is None:
        return card.production.copper_radiation_length_m
    return MATERIALS[material].radiation_length_m


def number_density(a: float, density_g_cm3: float) -> float:
    """Nuclei per mm^3 of a material of atomic weight ``a`` and density ``density_g_cm3`` (g/cm^3)."""
    return density_g_cm3 * AVOGADRO / a / cm**3


def effective_gagg2(model, mass) -> np.ndarray:
    """g_agg^2 per coupling^2 (MeV^-2) from the model's reduced two-photon width at ``mass`` (MeV)."""
    mass = np.asarray(mass, dtype=float)
    width = np.asarray(model.reduced_widths(mass)["gammagamma"])
    return 64.0 * np.pi * width / mass**3


def conversion_probability(model, photon_energy, mass, card: DumpCard,
                           nucleus: tuple[int, float, float] = NUCLEI["Cu"]) -> np.ndarray:
    """Probability per photon and per coupling^2 to convert into an ALP of ``mass`` (MeV).

    Parameters
    ----------
    model : FIPModel
        An ALP model with a ``gammagamma`` channel.
    photon_energy : array_like
        Photon energy (MeV).
    mass : array_like
        ALP mass (MeV), broadcast with ``photon_energy``.
    card : DumpCard
        Gives the X0 of the dump material (:func:`dump_radiation_length_m`).
    nucleus : tuple
        Z, A and density (g/cm^3) of the dump's nuclei (:func:`dump_nucleus`; default copper).
    """
    _, a, rho = nucleus
    path = 9.0 / 7.0 * dump_radiation_length_m(card) * m
    return cross_section(model, photon_energy, mass, nucleus) * number_density(a, rho) * path


def cross_section(model, photon_energy, mass, nucleus: tuple[int, float, float] = NUCLEI["Cu"]) -> np.ndarray:
    """sigma_P(gamma N -> X N) per coupling^2 (internal area units) at photon energies and FIP masses (MeV),
    broadcast; 0 at or below threshold.  ``nucleus``: Z, A, density as :func:`dump_nucleus`."""
    from na62lab.fips.alp import primakoff_cross_section

    z, a, _ = nucleus
    energy, mass = np.broadcast_arrays(np.asarray(photon_energy, float), np.asarray(mass, float))
    with np.errstate(divide="ignore", invalid="ignore"):   # photons below threshold give NaN: zeroed
        sigma = primakoff_cross_section(energy, mass, 1.0, z, a) * effective_gagg2(model, mass)
    return np.where(energy > mass, sigma, 0.0)


def photon_table(table: ProductionTable, card: DumpCard) -> ProductionTable:
    """The table whose ``gamma`` entry is used: whole cascade (default) or primary photons."""
    if not card.production.primakoff_cascade:
        return table
    from na62lab.generation.dump.cascade import cascade_photon_table

    return cascade_photon_table(table)


def notes(card: DumpCard) -> list[str]:
    """The approximations of the Primakoff mode, for the output."""
    from na62lab.generation.dump.cascade import NOTES

    material = card.production.target_material or "the production table's target"
    base = [f"Primakoff: photons above {card.production.photon_e_min_gev:g} GeV (card), conversion on {material} "
            "over 9/7 X0 per photon, FIP along the photon (Primakoff angle and nuclear recoil neglected)"]
    if card.production.primakoff_cascade:
        return base + list(NOTES)
    return base + ["Primakoff: primary-collision photons only (card production.primakoff_cascade = false)"]


def _photon_bins(table: ProductionTable, card: DumpCard):
    p, _ = table.centres()
    dens = table.density["gamma"].sum(axis=1)
    keep = p >= card.production.photon_e_min_gev * GeV
    return p[keep], dens[keep]


def mode(model, card: DumpCard, table: ProductionTable):
    """The Primakoff :class:`~na62lab.generation.dump.sources.Mode`, or None if the model has no
    two-photon width or the table no photons."""
    own_rate = model.mechanism_rate("primakoff", np.array([100.0])) is not None
    if ("gammagamma" not in model.decay_channels and not own_rate) or "gamma" not in table.species:
        return None
    from na62lab.generation.dump.sources import Mode

    nucleus = dump_nucleus(table, card)
    table = photon_table(table, card)
    energies, dens = _photon_bins(table, card)

    def rate(masses):
        if own_rate:
            return np.asarray(model.mechanism_rate("primakoff", masses), dtype=float)
        masses = np.atleast_1d(np.asarray(masses, dtype=float))
        prob = conversion_probability(model, energies[None, :], masses[:, None], card, nucleus)
        return np.sum(prob * dens[None, :] * (energies[None, :] > masses[:, None]), axis=1)

    def sampler(mass, n, rng):
        return sample(model, mass, n, card, table, rng)

    return Mode("primakoff", rate, sampler, np.inf)


def sample(model, mass: float, n: int, card: DumpCard, table: ProductionTable,
           rng: np.random.Generator) -> FIPSample:
    """FIPs from dump photons: photon (E, theta) from the table, weight P(E) per photon.

    Only the momentum bins that reach above the energy threshold and the FIP
    mass are drawn from (the others cannot contribute); the photons are drawn
    with the momentum-tail proposal of :func:`~na62lab.generation.dump.sample.tail_ratio`
    (card ``mc.tail_share``) and weighted back by d/q.
    """
    from dataclasses import replace

    e_min = max(card.production.photon_e_min_gev * GeV, float(mass))
    upper = 10.0 ** table.log10p_edges[1:] * GeV
    dens = np.where((upper > e_min)[:, None], table.density["gamma"], 0.0)
    table = replace(table, density={**table.density, "gamma": dens})
    e, theta, tilt = tail_weighted_draw(table, "gamma", 4 * n, rng, card.mc.tail_share,
                                          angular_window(card))
    keep = (e >= card.production.photon_e_min_gev * GeV) & (e > mass)
    e, theta, tilt = e[keep][:n], theta[keep][:n], tilt[keep][:n]

    z, a, _ = dump_nucleus(table, card)
    w = tilt * _cross_section_in_energy(e, float(mass), z, a)    # weights: the energy dependence of sigma_P
    p = np.sqrt(np.maximum(e * e - mass * mass, 0.0))
    p4 = four_momenta(p, theta, mass, rng)
    return FIPSample("primakoff", float(mass), p4, sample_origin(p4.shape[0], card, rng),
                     normalised(np.broadcast_to(w, e.shape).astype(float)), False)


def _cross_section_in_energy(e: np.ndarray, mass: float, z: int, a: float, n_nodes: int = 257) -> np.ndarray:
    """sigma_P(E) / g^2 at photon energies ``e`` (MeV) for one ALP ``mass`` (MeV), 0 at or below threshold.

    The model's cross section (an angular integral per energy) is evaluated on
    ``n_nodes`` nodes uniform in ln(E - m) and interpolated linearly in
    ln sigma: relative deviation from the direct evaluation below 1e-3 at
    m = 1.5 GeV and below 1e-4 under 500 MeV (measured over 1 GeV < E < 400 GeV),
    so that large FIP pools cost no more than their kinematics.
    """
    from na62lab.fips.alp import primakoff_cross_section

    out = np.zeros(e.shape)
    above = e > mass
    if not above.any():
        return out
    x = np.log(e[above] - mass)
    nodes = np.linspace(x.min(), x.max(), n_nodes)
    with np.errstate(divide="ignore", invalid="ignore"):
        sig = np.nan_to_num(primakoff_cross_section(mass + np.exp(nodes), np.full(n_nodes, mass), 1.0, z, a))
        out[above] = np.exp(np.interp(x, nodes, np.log(np.maximum(sig, 1e-300))))
    return np.where(out > 1e-290, out, 0.0)
