"""Offline Drell-Yan inputs (q qbar -> V): the LO integral with Pythia's PDFs and Pythia's own 2 -> 1 runs.

Used by ``admin/make_drell_yan_tables.py`` to make the shipped tables read by
:mod:`na62lab.generation.dump.drell_yan`; needs the optional ``pythia8mc``.

Leading order, narrow vector V of mass M with a vector coupling g_q gamma^mu to quark q.
Summing |M|^2 = 4 g_q^2 s-hat over spins and the V polarisations, averaging over the
quark spins (1/4) and colours (1/3) and integrating the one-body phase space
2 pi delta(s-hat - M^2) with the flux 1/(2 s-hat):

    sigma-hat(q qbar -> V) = (pi g_q^2 / 3) delta(s-hat - M^2)

(the narrow-resonance Drell-Yan formula; e.g. the q qbar' -> W, q qbar -> Z cross sections of the
PDG review "Cross-section formulae for specific processes", with g_q^2 = 4 pi alpha Q_q^2 for a
photon-like coupling: sigma-hat = 4 pi^2 alpha Q_q^2 / 3 delta(s-hat - M^2), the form used for
q qbar -> A' by Berlin, Gori, Schuster, Toro, arXiv:1804.00661, and by SHiP, EPJC 81 (2021) 451,
arXiv:2011.05115).  With parton densities f(x, Q^2) at Q^2 = M^2 (Pythia's default factorisation
scale of a 2 -> 1 process), tau = M^2/s and s = 2 m_p E_beam + 2 m_p^2 (target at rest):

    sigma(pN -> V) = sum_q (pi g_q^2 / (3 M^2)) int_{ln tau}^0 d(ln x1)
                     [x1 q_p(x1) x2 qbar_N(x2) + x1 qbar_p(x1) x2 q_N(x2)],  x2 = tau / x1.

The neutron densities are the proton's with u <-> d (isospin).  Per unit g_q^2 this is
:func:`lo_cross_sections`, per flavour u, d, s, c.

Kinematics: Pythia 8's own s-channel Z' (``NewGaugeBoson:ffbar2gmZZprime``, ``Zprime:gmZmode = 3``,
pure Z') with purely vector couplings proportional to the electric charges (a dark photon), initial
state radiation and primordial kT on (they give the V its transverse momentum, ~1 GeV against
p ~ 60 GeV at 400 GeV), multiparton interactions, final-state showers and hadronisation off (they do
not move the V).  Pythia's Z' couplings are in units of e / (4 sin theta_W cos theta_W) (its
``ResonanceZprime`` width alpha M v^2 / (48 sin^2 cos^2) per colour), so v_q = 4 sin theta_W
cos theta_W Q_q gives g_q = e Q_q with Pythia's alpha_em(M^2): :func:`pythia_settings`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from hepunits import millibarn

from na62lab.errors import require
from na62lab.generation.dump.binning import histogram
from na62lab.generation.dump.pythia_production import BEAM_ENERGY_GEV, make_pythia
from na62lab.physics.constants import HBARC
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV

QUARKS = ("u", "d", "s", "c")
"""Flavours of the tables (b, with sigma ~1e-3 of u at 10 GeV and none below 2 m_b, is left out)."""
QUARK_IDS = {"u": 2, "d": 1, "s": 3, "c": 4}
CHARGES = {"u": 2.0 / 3.0, "d": -1.0 / 3.0, "s": -1.0 / 3.0, "c": 2.0 / 3.0}
"""Electric charges of the quarks (the dark-photon couplings in units of e eps)."""
TARGET_IDS = {"p": 2212, "n": 2112}
PROTON_MASS_GEV = pdg_mass("p") / GeV
"""Proton mass (GeV), the package's particle data (:func:`na62lab.physics.particles.mass`)."""
PDF_SET = "PDF:pSet = 13"
"""NNPDF2.3 QCD+QED LO, alpha_s(M_Z) = 0.130: Pythia 8's default proton PDF (shipped with Pythia)."""
FRAME = ["Beams:frameType = 2", "Beams:eB = 0", "Print:quiet = on", "Next:numberCount = 0", PDF_SET]


def mandelstam_s(beam_energy_gev: float) -> float:
    """s = 2 m_p E + 2 m_p^2 (GeV^2) of a proton of energy ``beam_energy_gev`` on a nucleon at rest."""
    return 2.0 * PROTON_MASS_GEV * (beam_energy_gev + PROTON_MASS_GEV)


def pythia_settings(mass_gev: float, target: str, seed: int, beam_energy_gev: float = BEAM_ENERGY_GEV) -> list[str]:
    """Settings of one Pythia run of p N -> V (the module docstring's Z' with dark-photon couplings).

    Parameters
    ----------
    mass_gev : float
        V mass (GeV), > 0.2.
    target : {"p", "n"}
        Target nucleon at rest.
    seed : int
        Pythia seed in [1, 900000000].
    beam_energy_gev : float
        Proton beam energy (GeV).
    """
    require(target in TARGET_IDS, "target", target, "'p' or 'n'")
    require(mass_gev > 0.2, "mass_gev", mass_gev, "a mass above 0.2 GeV")
    require(1 <= seed <= 900_000_000, "seed", seed, "an integer in [1, 900000000]")
    k = 4.0 * np.sqrt(0.2312 * (1.0 - 0.2312))     # StandardModel:sin2thetaW default (Pythia 8.3)
    couplings = [f"Zprime:vd = {-k / 3:.10f}", "Zprime:ad = 0", f"Zprime:vu = {2 * k / 3:.10f}", "Zprime:au = 0",
                 f"Zprime:ve = {-k:.10f}", "Zprime:ae = 0", "Zprime:vnue = 0", "Zprime:anue = 0"]
    lo, hi = 0.5 * mass_gev, 1.5 * mass_gev
    return FRAME + ["Beams:idA = 2212", f"Beams:idB = {TARGET_IDS[target]}", f"Beams:eA = {float(beam_energy_gev)}",
                    "NewGaugeBoson:ffbar2gmZZprime = on", "Zprime:gmZmode = 3", f"32:m0 = {mass_gev:.8g}",
                    f"32:mMin = {lo:.8g}", f"32:mMax = {hi:.8g}", f"PhaseSpace:mHatMin = {lo:.8g}",
                    f"PhaseSpace:mHatMax = {hi:.8g}", *couplings,
                    "PartonLevel:MPI = off", "PartonLevel:FSR = off", "HadronLevel:all = off",
                    "Random:setSeed = on", f"Random:seed = {seed}"]


@lru_cache(maxsize=1)
def _proton_pdf():
    """Pythia's default proton PDF object (initialised once)."""
    py = make_pythia(FRAME + ["Beams:idA = 2212", "Beams:idB = 2212", f"Beams:eA = {BEAM_ENERGY_GEV}",
                          "SoftQCD:elastic = on", "PartonLevel:all = off", "HadronLevel:all = off"])
    return py, py.getPDFPtr(2212)


def alpha_em(mass_gev: float) -> float:
    """Pythia's running alpha_em at Q^2 = M^2 (its coupling of the Z' runs)."""
    py, _ = _proton_pdf()
    return float(py.coupSM.alphaEM(mass_gev**2))


def _xf(pdf, pid: int, target: str, x: np.ndarray, q2: float) -> np.ndarray:
    """x f(x, Q^2) of parton ``pid`` in the target nucleon (neutron: proton with u <-> d)."""
    if target == "n" and abs(pid) in (1, 2):
        pid = int(np.sign(pid)) * (3 - abs(pid))
    return np.array([pdf.xf(pid, float(v), q2) for v in x])


def lo_cross_sections(mass_gev: float, target: str, beam_energy_gev: float = BEAM_ENERGY_GEV,
                      n_points: int = 160) -> dict[str, float]:
    """sigma(p N -> V) per unit g_q^2 (mb), per flavour, at LO (module docstring formula).

    Gauss-Legendre quadrature in ln x1 with Pythia's default proton PDF at Q^2 = M^2.

    Parameters
    ----------
    mass_gev : float
        V mass (GeV).
    target : {"p", "n"}
        Target nucleon.
    beam_energy_gev : float
        Proton beam energy (GeV).
    n_points : int
        Quadrature points.
    """
    require(target in TARGET_IDS, "target", target, "'p' or 'n'")
    s = mandelstam_s(beam_energy_gev)
    tau = mass_gev**2 / s
    require(0 < tau < 1, "mass_gev", mass_gev, f"below sqrt(s) = {np.sqrt(s):.3g} GeV")
    _, pdf = _proton_pdf()
    xg, wg = np.polynomial.legendre.leggauss(n_points)
    lnx = 0.5 * np.log(tau) * (xg + 1.0)                  # ln x1 in (ln tau, 0)
    w = -0.5 * np.log(tau) * wg
    x1 = np.exp(lnx)
    x2 = tau / x1
    q2 = mass_gev**2
    gev2_to_mb = HBARC**2 / (GeV**2 * millibarn)         # (hbar c)^2 = 0.3893794 GeV^2 mb (PDG 2024 Table 1.1)
    out = {}
    for q in QUARKS:
        i = QUARK_IDS[q]
        lum = (_xf(pdf, i, "p", x1, q2) * _xf(pdf, -i, target, x2, q2)
               + _xf(pdf, -i, "p", x1, q2) * _xf(pdf, i, target, x2, q2))
        out[q] = float(np.pi / (3.0 * q2) * np.sum(w * lum) * gev2_to_mb)
    return out


def run_mass(mass_gev: float, target: str, n_events: int, seed: int, beam_energy_gev: float = BEAM_ENERGY_GEV) -> dict:
    """Generate ``n_events`` p N -> V events; histogram the V (log10 p, log10 theta) (binning module).

    Returns
    -------
    dict
        ``counts`` (int64 (73, 55)), ``n_events``, ``sigma_mb`` and ``sigma_err_mb`` (Pythia's
        generated cross section with the dark-photon couplings g_q = e Q_q at alpha_em(M^2)),
        ``mean_pt_gev``, ``settings``.
    """
    require(n_events >= 1, "n_events", n_events, "an integer >= 1")
    settings = pythia_settings(mass_gev, target, seed, beam_energy_gev)
    py = make_pythia(settings)
    p, theta, pt = np.empty(n_events), np.empty(n_events), np.empty(n_events)
    done = 0
    while done < n_events:
        if not py.next():
            continue
        ev = py.event
        last = max(j for j in range(ev.size()) if ev[j].id() == 32)
        v = ev[last]
        p[done], theta[done], pt[done] = v.pAbs(), v.theta(), v.pT()
        done += 1
    info = py.infoPython()
    return {"counts": histogram(p, theta), "n_events": n_events, "sigma_mb": float(info.sigmaGen()),
            "sigma_err_mb": float(info.sigmaErr()), "mean_pt_gev": float(pt.mean()), "settings": settings}
