"""A B-L gauge boson as a user model: the worked example of docs/tutorial_user_model.md.

A vector X coupling as g x_f to every fermion with its B-L charge, x_q = 1/3 for
all quarks and x_l = x_nu = -1 for all leptons (DarkCast: Ilten, Soreq,
Williams, Xue, JHEP 06 (2018) 004, arXiv:1801.04847, Sec. 2).  The coupling is
quoted as g/e, DarkCast's convention: with x_f = Q_f it would be the dark photon
with epsilon = g/e, so every rate below is the shipped dark photon's
(``na62lab.fips.dark_photon``) times a ratio of charges.  Masses in MeV inside
the model (GeV on the command line), widths in MeV.

- X -> l+ l-: x_l^2 / Q_l^2 = 1 times the dark-photon width.
- X -> nu nubar (invisible): three left-handed flavours, g^2 x_nu^2 m / (24 pi)
  each (arXiv:1801.04847 Sec. 2.2), i.e. alpha m / 2 per (g/e)^2.
- Hadrons: the dark photon's exclusive widths scaled by the vector-meson
  dominance charges of arXiv:1801.04847 Sec. 2.3: rho ~ x_u - x_d = 0,
  omega ~ x_u + x_d (2/3 against the photon's 1/3: factor 4), phi ~ x_s
  (|1/3| against |-1/3|: factor 1).  APPROXIMATION: each channel is given to
  one meson (pi pi, 4 pi, eta pi+ pi- and omega pi0 -> pi0 pi0 gamma: the rho
  tower, isovector in the e+e- fits of na62lab.fips.vector_exclusive; 3 pi,
  pi0 gamma and omega eta: omega; K K, K K pi, phi eta and the rest: phi),
  interference between the components is ignored (so is the isovector
  omega(-> pi+ pi-) pi0 share of ``3pi``, 1.5 % of omega pi0).
- Production P -> gamma X in the low-mass (anomaly) limit of
  arXiv:1801.04847 Eqs. (2.7)-(2.10): |Tr(T_P Q x) / Tr(T_P Q Q)|^2 times the
  dark-photon rate; pi0: 1; eta, eta': quark-flavour mixing angle
  phi = 39.3 deg (Feldmann, Kroll, Stech, PRD 58 (1998) 114006) gives 0.315
  and 0.0117.  omega -> pi0 X is 0 (it goes through the rho); phi -> eta X: 1.
- Proton bremsstrahlung: the proton's charge 2 x_u + x_d = 1 equals its
  electric charge (arXiv:1801.04847 Eq. (2.4)): the dark photon's rate;
  APPROXIMATION: the dark photon's (rho/omega) proton form factor is kept.
  Vector-meson mixing: rho 0, omega 4, phi 1 times the dark photon's.
- Drell-Yan q qbar -> X (dump mechanism ``drell_yan``, above the card's
  ``production.drell_yan_min_mass_gev``): g_q = g x_q = g/3 for every quark, so
  g_q^2 / (g/e)^2 = e^2 / 9 = 4 pi alpha / 9 for u, d, s, c (the dark photon's 4/9 for u and c).
"""

import numpy as np

from na62lab.fips.base import FIPModel, check_mass
from na62lab.fips.dark_photon import DarkPhoton, vector_meson_mixing
from na62lab.physics.constants import ALPHA_EM

_PHI = np.radians(39.3)                         # eta-eta' quark-flavour mixing angle (FKS 1998)
HADRONS = {"pipi": 0.0, "4pi": 0.0, "pipieta": 0.0, "pi0pi0gamma": 0.0,      # rho-like (isovector)
           "3pi": 4.0, "pi0gamma": 4.0, "omegaeta": 4.0,                     # omega-like
           "KK": 1.0, "KKpi": 1.0, "phieta": 1.0, "other": 1.0}              # phi-like and the rest
_CQ, _SS = np.cos(_PHI) / 2**0.5, np.sin(_PHI)  # eta = cos(phi) (uu+dd)/sqrt2 - sin(phi) ss
_SQ, _CS = np.sin(_PHI) / 2**0.5, np.cos(_PHI)  # eta' = sin(phi) (uu+dd)/sqrt2 + cos(phi) ss
PRODUCTION = {"pi0->gammaA": 1.0, "omega->pi0A": 0.0, "phi->etaA": 1.0,
              "eta->gammaA": ((_CQ + _SS) / (5 * _CQ - _SS)) ** 2, "eta'->gammaA": ((_SQ - _CS) / (5 * _SQ + _CS)) ** 2}
MIXING = {"rho0": 0.0, "omega": 4.0, "phi": 1.0}


class BMinusL(FIPModel):
    """B-L gauge boson; coupling g_{B-L}/e (module docstring for formulas and approximations)."""

    name = "b-minus-l"
    coupling_name = "g_B-L/e"
    coupling_label = r"$g_{B-L}/e$"
    spin = 1
    dump_mechanisms = ("proton_bremsstrahlung", "vector_meson_mixing", "drell_yan")
    decay_channels = DarkPhoton.decay_channels + ("nunu",)
    production_channels = tuple(PRODUCTION)
    default_mass_range_gev = (0.01, 1.0)
    default_coupling_range = (1e-9, 1e-3)
    width_note = "hadronic widths: dark photon's per channel x VMD charge ratios (one meson per channel)"

    def reduced_widths(self, mass):
        """Partial widths / (g/e)^2 in MeV; ``nunu`` is invisible."""
        out = {k: w * HADRONS.get(k, 1.0) for k, w in DarkPhoton().reduced_widths(mass).items()}
        out["nunu"] = ALPHA_EM * check_mass(mass) / 2.0
        return out

    def reduced_production(self, mass):
        """Meson-decay production BRs / (g/e)^2."""
        return {k: br * PRODUCTION[k] for k, br in DarkPhoton().reduced_production(mass).items()}

    def vector_mixing(self, mass, meson):
        """X-V mixing per (g/e)^2: the dark photon's times the B-L/photon charge ratio squared of V."""
        return MIXING[meson] * vector_meson_mixing(mass, meson)

    def drell_yan_couplings(self):
        """g_q^2 / (g/e)^2 = 4 pi alpha x_q^2 with x_q = 1/3 for every quark (q qbar -> X)."""
        return {q: 4.0 * np.pi * ALPHA_EM / 9.0 for q in ("u", "d", "s", "c")}

    def production_thresholds(self):
        """Kinematic limit (MeV) of each production channel: the dark photon's."""
        return DarkPhoton().production_thresholds()
