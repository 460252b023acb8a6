"""Offline hadronisation of colour-singlet parton pairs with Pythia 8 (the inclusive hadronic FIP decays).

Used by ``admin/make_hadronic_decays.py`` to make the shipped library read by
:mod:`na62lab.generation.dump.hadronic_decays`; needs the optional ``pythia8mc``.

A FIP (or the hadronic system of a semileptonic HNL decay) of mass M at rest decays into a
back-to-back pair along the +z axis (first parton along +z): g g (colour singlet: the two
gluons share both colour lines), q qbar with q = u, d, s, c, the charged pairs u dbar, u sbar,
c sbar (quark masses of Pythia's particle data, ``m0``), or tau+ tau-.  The pair is
written into Pythia's event record by hand, showered with ``forceTimeShower`` (final-state
QCD radiation from the scale M) and hadronised with Pythia's string model and its decays
(``ProcessLevel:all = off``: Pythia's "hand-filled event" usage, its example main21;
Bierlich et al., "A comprehensive guide to the physics and usage of PYTHIA 8.3",
arXiv:2203.11601, Sec. 5 (final-state showers), Sec. 8 (string fragmentation), Sec. 9
(decays, tau decays)).  The angular distribution of the pair axis (isotropic for spin 0,
1 + cos^2 for a transverse vector) is applied at run time, so the stored events all have
the axis along z.

Particles with c tau0 > 10 mm are left undecayed (``ParticleDecays:limitTau0``): K0_S,
Lambda, Sigma+-, Xi, Omega decay far from the FIP vertex in a dump experiment and do not
make tracks from it (their tracks are not counted: APPROXIMATION, conservative).  pi0, eta,
charm hadrons and taus decay at the vertex.
"""

from __future__ import annotations

import numpy as np

from na62lab.generation.dump.pythia_production import make_pythia

CHANNELS: dict[str, tuple[int, int]] = {"gg": (21, 21), "uu": (2, -2), "dd": (1, -1), "ss": (3, -3),
                                        "cc": (4, -4), "tautau": (15, -15),
                                        "ud": (2, -1), "us": (2, -3), "cs": (4, -3)}
"""Library channel -> PDG ids of the two partons (the first along +z).  ``ud``, ``us``, ``cs`` (charge +1)
are the hadronic systems of the charged-current HNL decays N -> l- u dbar, l- u sbar, l- c sbar."""

SETTINGS = ["ProcessLevel:all = off", "Print:quiet = on", "Next:numberCount = 0",
            "ParticleDecays:limitTau0 = on", "ParticleDecays:tau0Max = 10.0", "Check:event = on"]
"""Pythia settings (all others at Pythia 8.317's defaults, Monash tune)."""


def _fill(py, ids: tuple[int, int], mass_gev: float) -> None:
    """Write the back-to-back pair (first parton along +z) into Pythia's event record."""
    ev = py.event
    ev.reset()
    m1, m2 = (py.particleData.m0(i) if abs(i) != 21 else 0.0 for i in ids)
    pz = np.sqrt(max((mass_gev**2 - (m1 + m2) ** 2) * (mass_gev**2 - (m1 - m2) ** 2), 0.0)) / (2.0 * mass_gev)
    if ids[0] == 21:
        cols = ((101, 102), (102, 101))
    elif abs(ids[0]) == 15:
        cols = ((0, 0), (0, 0))
    else:
        cols = ((101, 0), (0, 101))
    for (pid, m), (c, a), sign in zip(zip(ids, (m1, m2)), cols, (1.0, -1.0)):
        ev.append(pid, 23, c, a, 0.0, 0.0, sign * pz, float(np.hypot(pz, m)), m)


def hadronise(channel: str, mass_gev: float, n_events: int, seed: int) -> dict:
    """Hadronised decays of a FIP of ``mass_gev`` (GeV) at rest into the parton pair ``channel``.

    Returns
    -------
    dict
        ``pdg`` (list of int arrays, one per event: the final particles), ``p`` (list of (k, 3)
        arrays, GeV, rest frame, pair axis along z), ``masses`` (dict pdg -> m0 in GeV),
        ``failures`` (events Pythia rejected, regenerated), ``settings``.
    """
    py = make_pythia(SETTINGS + ["Random:setSeed = on", f"Random:seed = {int(seed)}"])
    ids = CHANNELS[channel]
    pdg: list[np.ndarray] = []
    mom: list[np.ndarray] = []
    masses: dict[int, float] = {}
    failures = 0
    while len(pdg) < n_events:
        _fill(py, ids, mass_gev)
        if abs(ids[0]) != 15:
            py.forceTimeShower(1, 2, mass_gev)
        if not py.next():
            failures += 1
            if failures > 10 * n_events:  # pragma: no cover
                raise RuntimeError(f"Pythia fails to hadronise {channel} at {mass_gev} GeV")
            continue
        ev = py.event
        final = [ev[j] for j in range(ev.size()) if ev[j].isFinal()]
        pdg.append(np.array([p.id() for p in final], dtype=np.int32))
        mom.append(np.array([[p.px(), p.py(), p.pz()] for p in final], dtype=float))
        for p in final:
            masses[p.id()] = py.particleData.m0(p.id())
    return {"pdg": pdg, "p": mom, "masses": masses, "failures": failures,
            "settings": SETTINGS + [f"Random:seed = {int(seed)}"]}
