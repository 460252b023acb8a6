"""Heavy neutral leptons N mixing with the active neutrinos: PBC BC6 (e), BC7 (mu), BC8 (tau).

Coupling: ``U2`` = |U_e|^2 + |U_mu|^2 + |U_tau|^2 with fixed flavour ratios
(``hnl-e``: 1:0:0, ``hnl-mu``: 0:1:0, ``hnl-tau``: 0:0:1, or any ratio with
the model ``hnl``).  Widths and production BRs scale as U2 (so
:attr:`coupling_power` = 1).  Masses in MeV, widths in MeV, c*tau in mm.
Majorana (default) or Dirac: a Majorana N decays to both charge-conjugate
final states, doubling every width (arXiv:1805.08567 Sec. 3).

Decay widths (Bondarenko, Boyarsky, Gorbunov, Ruchayskiy, arXiv:1805.08567,
Sec. 3, Dirac widths quoted per charge state; PDG decay constants in
:mod:`na62lab.fips.constants`):

* ``nununu``: Gamma = G_F^2 m^5 U2 / (192 pi^3) (arXiv:1805.08567 Sec. 3);
* ``<l1><l2>nu`` (l1 != l2, e.g. ``emunu``): charged current,
  G_F^2 m^5 U_a^2 / (192 pi^3) I(x_1, 0, x_2), the three-body phase space with both charged-lepton
  masses (:mod:`na62lab.fips.hnl_phase_space`; with one mass it is I(x) = 1 - 8x^2 + 8x^6 - x^8
  - 12 x^4 ln x^2, Sec. 3);
* ``nuee``, ``numumu``, ``nutautau``: neutral current (plus charged current
  for the same flavour), with the C1-C4 coefficients of Sec. 3;
* ``<P><l>`` (``pie``, ``pimu``, ``Ke``, ``Kmu``, ``De``, ``Dse``, ``Dsmu``...):
  G_F^2 f_P^2 |V|^2 U_a^2 m^3 / (16 pi) [(1 - x_l^2)^2 - x_P^2 (1 + x_l^2)] lambda^(1/2) (Sec. 3);
* ``<P>nu`` (``pi0nu``, ``etanu``, ``eta'nu``): G_F^2 f_P^2 U2 m^3 (1 - x_P^2)^2 / (32 pi) (Sec. 3);
* ``<V><l>`` (``rhoe``, ``rhomu``, ``K*e``...): G_F^2 g_V^2 |V|^2 U_a^2 m^3 / (16 pi m_V^2)
  [(1 - x_l^2)^2 + x_V^2 (1 + x_l^2) - 2 x_V^4] lambda^(1/2), g_V = f_V m_V (Sec. 3);
* ``<V>nu`` (``rho0nu``, ``omeganu``, ``phinu``): G_F^2 kappa_V^2 g_V^2 U2 m^3 / (32 pi m_V^2)
  (1 + 2 x_V^2)(1 - x_V^2)^2, kappa = 1 - 2 s_W^2, (2/3) s_W^2, (4/3 s_W^2 - 1)/sqrt(2) (Sec. 3);
* ``multihadron``: above m = 1 GeV (strictly above: 1 GeV itself is exclusive) the hadronic width is the
  inclusive quark-level width (charged current l u dbar, l u sbar, l c sbar, l c dbar; neutral current
  nu q qbar) times the QCD loop factor of the tau hadronic width, 1 + Delta_QCD = 1 + a + 5.2 a^2 + 26.4 a^3,
  a = alpha_s(m)/pi (arXiv:1805.08567 Sec. 3.3; the same series in cHNLdecay, F. Thiele's implementation of
  that paper); this channel is its excess over the exclusive single-meson sum, which it exceeds at every mass
  above 1 GeV for the three flavours.  This is the paper's switch: SensCalc's width table of its authors
  (tests/fips/test_hnl_reference_widths.py, OLD) is exclusive at 1.00 and inclusive from 1.01 GeV, and with
  this series ours / SensCalc is 1.00-1.01 from 1.01 to 4 GeV (0.96-0.99 with the 1 + a + 1.64 a^2 + 6.37 a^3
  used before, 1.126 for U_tau at 1.00 GeV where we switched at m >= 1 GeV).  The jump at 1 GeV is the
  scheme's (exclusive sum 0.73 x the inclusive width for U_tau, 0.88 for U_e, U_mu): total width x 1.099 (U_e),
  1.105 (U_mu), 1.209 (U_tau) from 0.999 to 1.001 GeV (SensCalc's U_tau from 1.00 to 1.01 GeV: x 1.213).
  APPROXIMATE between 1 and 2 GeV.  Charged current
  (:func:`cc_quark_width`, the one rule also used for the composition of the channel,
  :mod:`na62lab.fips.hnl_inclusive`): three-body phase space with the lepton and MS-bar quark masses, open
  above m_l + the lightest meson of that flavour (pi+, K+, D+, D_s+: no hadronic state is lighter; the same
  rule as the ALP's s sbar, c cbar widths in :mod:`na62lab.fips.alp_hadrons`).

Production, two-body leptonic decays of charged pseudoscalars
(``pi+->e+N``, ``K+->mu+N``, ``D+->e+N``, ``Ds+->tau+N``, ``B+->mu+N``, ``Bc+->e+N``...):
Gamma(P+ -> l+ N) = G_F^2 f_P^2 |V|^2 m_P^3 U_l^2 [x + y - (x - y)^2] lambda^(1/2)(1, x, y) / (8 pi),
x = m_l^2/m_P^2, y = m_N^2/m_P^2 (Shrock, PRD 24 (1981) 1232; arXiv:1805.08567 Sec. 2).
For pi+ and K+ the measured BR(P+ -> l+ nu) times the Shrock factor
rho = [x + y - (x - y)^2] lambda^(1/2) / (x (1 - x)^2) is used instead (rho -> 1 as m_N -> 0).
Three-body semileptonic decays ``D0->K-l+N``, ``D+->K0l+N``, ``B+->D0l+N``,
``B0->D-l+N``, ``Bs0->Ds-l+N`` (charge conjugates implied) with the Standard-Model amplitude and
single-pole (D -> K) and heavy-quark CLN (B -> D, B_s -> D_s, fitted to the measured B -> D l nu spectra)
form factors (:mod:`na62lab.fips.hnl_semileptonic`; arXiv:1805.08567 Sec. 3.2), the b -> u modes
``B0->pi-l+N``, ``B+->pi0l+N``, ``Bs0->K-l+N`` (BCL lattice form factors) and ``B0->rho-l+N``,
``B+->rho0l+N``, ``Bs0->K*-l+N`` (BSZ LCSR form factors; B -> rho and B_s -> K normalised to the PDG
branching ratios), 14 % of the b -> N rate at 3 GeV where B -> D(*) l N nears its end point, and ``B+->D*0l+N``,
``B0->D*-l+N``, ``Bs0->Ds*-l+N`` with the vector-meson amplitude and
heavy-quark (CLN) form factors (:mod:`na62lab.fips.hnl_semileptonic_vector`; about
70 % of the exclusive B -> D(*) l N rate), ``D0->K*-l+N``, ``D+->K*0l+N`` with the same
amplitude and single-pole form factors normalised to the PDG BR(D+ -> K*0bar e+ nu) (BESIII
shape; 0.62 of D -> K l N at m_N -> 0, as the PDG BRs).
Baryons (f432d99): ``Lambda(c)+->Lambdal+N``, ``Xi(c)+->Xi0l+N``, ``Xi(c)0->Xi-l+N`` and ``Lambda(b)0->Lambda(c)+l-N``,
``Xi(b)0->Xi(c)+l-N``, ``Xi(b)-->Xi(c)0l-N`` (the lepton charge of the baryon's own decay; charge conjugates
implied) with the spin-1/2 -> 1/2 V-A amplitude, a pole (c -> s) or Isgur-Wise (b -> c) form factor and the
rate normalised to the measured BR(B1 -> B2 l nu) at m_N -> 0 (:mod:`na62lab.fips.hnl_baryon`).
In the dump, ``Bc+->l+N`` needs the B_c+ production, which is not measured at 400 GeV: the card's
ASSUMED ``production.bc_to_bplus`` (:func:`na62lab.generation.dump.tables.with_bc`); with the LHC-energy value
(the default, an upper bracket at the SPS: :mod:`na62lab.analyses.beam_dump_bc`)
it dominates the production above m(B) - m(D) - m_l = 3.3 GeV (BR(B_c+ -> mu N) = 430 x BR(B+ -> mu N)
at 4 GeV).

Production in tau decays, the taus from D_s+ -> tau+ nu and D+ -> tau+ nu (+6.5 % on the D_s taus)
(:meth:`HNL.tau_production`, formulas in :mod:`na62lab.fips.hnl_tau`; arXiv:1805.08567 Sec. 2.3):
tau -> N pi, N K, N rho, N K*, N l nu
through U_tau (the main BC8 source between m(D_s) - m_tau = 0.19 GeV and m_tau) and
tau -> nu_tau l N through U_e, U_mu (1.2 % of the charm production per c quark at 0.3 GeV, 0.26 % at
1 GeV for BC6, with the Pythia charm fractions of the dump table).

Reach in the dump: charm (chi_cc = 1.5e-3 per POT on the copper TAX) stops producing at m(D_s) - m_l = 1.968
(e), 1.863 (mu) GeV; above, only B decays remain (chi_bb = 1.4e-7, 1e-4 of charm, and an
acceptance 20-50x smaller: wider angles), at most 3.0e-3 / 9.7e-5 / 3.2e-6 expected hnl-mu events at
2.1 / 2.5 / 3 GeV with 1e18 POT (na62_dump_run2 card, 3000 FIPs per node, seed 3; B_c+ and the b -> u modes
included, the latter +8 % at 3 GeV), so the NA62 contours close there (measured).  The b baryons (Lambda_b, Xi_b ->
Lambda_c, Xi_c mu N, f432d99) add 39 / 47 / 4 % (same MC, re-measured: 3.2e-3 / 1.2e-4 / 9.6e-6 -> 4.5e-3 / 1.8e-4 /
1.0e-5 at 2.1 / 2.5 / 3 GeV): still far below N = 2.3, the closing masses unchanged (the charmed baryons end at
m(Lambda_c) - m(Lambda) - m_l = 1.17 GeV, below the D_s end).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from na62lab.errors import require
from na62lab.fips import hnl_baryon as baryon
from na62lab.fips import hnl_semileptonic as semileptonic
from na62lab.fips import hnl_semileptonic_vector as semileptonic_vector
from na62lab.fips import hnl_tau
from na62lab.fips import register
from na62lab.fips.base import FIPModel, check_mass
from na62lab.fips.hnl_phase_space import cc_phase_space
from na62lab.fips.constants import (
    BR_LNU, CKM, DECAY_CONSTANT, G_FERMI, QUARK_MASS_2GEV, SIN2_THETA_W, VECTOR_DECAY_CONSTANT,
)
from na62lab.fips.dark_scalar import alpha_s
from na62lab.physics.kinematics import two_body_momentum
from na62lab.physics.particles import decay_width
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV

__all__ = ["HNL", "U2_FIRST_ORDER_MAX", "shrock_factor"]

U2_FIRST_ORDER_MAX = 1e-2
"""Largest |U|^2 of the HNL production rates (:attr:`HNL.max_coupling`).  BR(P+ -> l+ N) = BR(P+ -> l+ nu) rho
|U|^2 is first order in |U|^2 (Shrock, PRD 24 (1981) 1232; arXiv:1805.08567 Sec. 2): with the light-neutrino
rate reduced by (1 - |U|^2) (unitarity of the mixing, Shrock 1981) the P+ width changes by the factor
1 + BR(P+ -> l+ nu) (rho - 1) |U|^2, which the first-order BR leaves out.  BR(P+ -> l+ nu) (rho - 1) is at most
2.0 (K+ -> mu+ N, 0.26 GeV), 2.2 (K+ -> e+ N, 0.29 GeV), 1.4 (pi+ -> e+ N) (the D and B channels: BR / |U|^2
<= 0.28): the omission is <= 2.2 % up to |U|^2 = 1e-2, 22 % at 0.1, and the first-order BR(K+ -> mu+ N)
exceeds 1 above |U|^2 = 0.38 (K+ -> e+ N: 0.46).  Above the bound the coupling grids of kaon-mode readings
and recasts stop (exclusions reaching it are open, '>'); below it every number is the first-order one."""

U2_FIRST_ORDER_NOTE = ("BR(P+ -> l+ N) = BR(P+ -> l+ nu) rho |U|^2 is first order in |U|^2 (Shrock 1981): "
                       "2 % from the unitarity-consistent rate at |U|^2 = 0.01, above 1 for |U|^2 > 0.38 "
                       "(K+ -> mu+ N)")
"""Why :data:`U2_FIRST_ORDER_MAX` bounds |U|^2, printed with a capped HNL result."""

LEPTONS = {"e": "e-", "mu": "mu-", "tau": "tau-"}
_CHARGED_P = {"pi": ("pi+", "ud"), "K": ("K+", "us"), "D": ("D+", "cd"), "Ds": ("Ds+", "cs")}
_CHARGED_V = {"rho": ("rho(770)+", "ud", "rho"), "K*": ("K*(892)+", "us", "K*")}
_NEUTRAL_P = {"pi0": "pi0", "eta": "eta", "eta'": "eta'"}
_NEUTRAL_V = {"rho0": ("rho0", "rho", 1 - 2 * SIN2_THETA_W),
              "omega": ("omega", "omega", 2.0 / 3.0 * SIN2_THETA_W),
              "phi": ("phi", "phi", (4.0 / 3.0 * SIN2_THETA_W - 1.0) / np.sqrt(2.0))}
_PRODUCTION = {"pi+": "ud", "K+": "us", "D+": "cd", "Ds+": "cs", "B+": "ub", "Bc+": "cb"}
HADRON_INCLUSIVE_FROM = 1.0 * GeV
"""Mass above which (strictly) the inclusive quark-level hadronic width replaces the exclusive sum
(arXiv:1805.08567 Sec. 3.3; module docstring)."""
QCD_SERIES = (1.0, 5.2, 26.4)
"""Coefficients of a, a^2, a^3 (a = alpha_s/pi) in the QCD factor 1 + Delta_QCD of the inclusive hadronic width:
the tau hadronic-width series used by arXiv:1805.08567 Sec. 3.3 (module docstring)."""
CC_QUARK_PAIRS = {"ud": ("u", "d", "pi+"), "us": ("u", "s", "K+"), "cd": ("c", "d", "D+"), "cs": ("c", "s", "Ds+")}
"""CKM element -> (up-type quark, down-type antiquark, lightest meson of that flavour: the threshold)."""
NC_QUARKS = {"uu": (0.0, True), "dd": (0.0, False), "ss": (0.0, False), "cc": (QUARK_MASS_2GEV["c"], True)}
"""Neutral-current q qbar -> (quark mass in MeV, up-type) of the inclusive width (arXiv:1805.08567 Sec. 3)."""


def _ml(flavour: str) -> float:
    return pdg_mass(LEPTONS[flavour])


def _parent_mass(parent: str) -> float:
    return pdg_mass("B(c)+" if parent == "Bc+" else parent)


def _parent_width(parent: str) -> float:
    return decay_width("B(c)+" if parent == "Bc+" else parent)


def _sqrt_kallen(x1: ArrayLike, x2: ArrayLike) -> np.ndarray:
    """lambda^(1/2)(1, x1^2, x2^2) of daughter-mass ratios x1, x2 (0 when closed): 2 p* of a unit-mass parent
    (:func:`na62lab.physics.kinematics.two_body_momentum`, PDG kinematics eq. (49.17))."""
    return 2.0 * two_body_momentum(1.0, x1, x2, below=0.0)


def shrock_factor(m_parent: float, m_lepton: float, m_n: ArrayLike) -> np.ndarray:
    """Shrock kinematic factor rho(x, y) = [x + y - (x - y)^2] lambda^(1/2)(1, x, y) / (x (1 - x)^2).

    BR(P -> l N) = BR(P -> l nu) rho |U_l|^2 (Shrock, PRD 24 (1981) 1232;
    NA62 HNL papers).  rho -> 1 for m_N -> 0 and 0 above m_P - m_l.

    Parameters
    ----------
    m_parent, m_lepton : float
        Parent-meson and charged-lepton masses in MeV.
    m_n : array_like
        HNL mass in MeV.
    """
    m_n = np.asarray(m_n, dtype=float)
    x, y = (m_lepton / m_parent) ** 2, (m_n / m_parent) ** 2
    rho = (x + y - (x - y) ** 2) * _sqrt_kallen(m_lepton / m_parent, m_n / m_parent) / (x * (1.0 - x) ** 2)
    return np.where(m_n < m_parent - m_lepton, rho, 0.0)


def cc_quark_width(m: np.ndarray, lepton: str, ckm: str) -> np.ndarray:
    """Gamma(N -> l_a^- q qbar') / (G_F^2 m^5 |U_a|^2 / (192 pi^3)), Dirac, tree level: 3 |V_qq'|^2 I.

    Quark-level charged-current width of arXiv:1805.08567 Sec. 3.1 (N_c = 3), I = I(x_l, x_q, x_q'), the
    three-body phase space with the lepton and both MS-bar quark masses (PDG 2024, :data:`QUARK_MASS_2GEV`) over m
    (:func:`na62lab.fips.hnl_phase_space.cc_phase_space`, lepton paired with the up-type quark); zero below
    m_l + the lightest meson of the q qbar' flavour (:data:`CC_QUARK_PAIRS`).  The one-mass I(x) with x the
    heaviest of them over-counted tau c sbar: 0.21 instead of 0.042 at 4 GeV (U_tau c tau 0.88 x SensCalc's
    there, now 1.01; tests/fips/test_hnl_reference_widths.py).  Check on the tau (the same kinematics): this
    rule gives Gamma(tau -> nu u sbar) / Gamma(tau -> nu u dbar) = 0.052 at m_tau, the PDG 2024 tau branching
    fractions 0.047 (the K+ mass as x would give 0.032).

    Parameters
    ----------
    m : ndarray
        HNL mass in MeV.
    lepton : str
        ``"e"``, ``"mu"`` or ``"tau"``.
    ckm : str
        Key of :data:`CC_QUARK_PAIRS`.
    """
    up, down, meson = CC_QUARK_PAIRS[ckm]
    ml = _ml(lepton)
    phase_space = cc_phase_space(m, ml, QUARK_MASS_2GEV[up], QUARK_MASS_2GEV[down])
    return 3 * CKM[ckm] ** 2 * np.where(m > ml + pdg_mass(meson), phase_space, 0.0)


def _nc_pair(m: np.ndarray, ml: float, same_flavour: bool) -> np.ndarray:
    """Gamma(N -> nu_a l_b l_b) / (G_F^2 m^5 U_a^2 / (192 pi^3)) (arXiv:1805.08567 Sec. 3)."""
    s2 = SIN2_THETA_W
    x2 = np.clip((ml / np.where(m > 0, m, np.inf)) ** 2, 0.0, 0.25)
    root = np.sqrt(np.clip(1 - 4 * x2, 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        arg = (1 - 3 * x2 - (1 - x2) * root) / (x2 * (1 + root))
        big_l = np.where(x2 > 1e-4, np.log(np.where(arg > 0, arg, 1.0)), np.log(np.maximum(x2, 1e-300) ** 2))
    if same_flavour:
        c1, c2 = 0.25 * (1 + 4 * s2 + 8 * s2**2), 0.5 * s2 * (2 * s2 + 1)
    else:
        c1, c2 = 0.25 * (1 - 4 * s2 + 8 * s2**2), 0.5 * s2 * (2 * s2 - 1)
    x4 = x2 * x2
    term1 = c1 * ((1 - 14 * x2 - 2 * x4 - 12 * x2**3) * root + 12 * x4 * (x4 - 1) * big_l)
    term2 = 4 * c2 * (x2 * (2 + 10 * x2 - 12 * x4) * root + 6 * x4 * (1 - 2 * x2 + 2 * x4) * big_l)
    return np.where(m > 2 * ml, term1 + term2, 0.0)


class HNL(FIPModel):
    """Heavy neutral lepton with mixing |U_e|^2 : |U_mu|^2 : |U_tau|^2 = ``ratios``.

    Parameters
    ----------
    ratios : tuple of 3 floats
        Relative weights of |U_e|^2, |U_mu|^2, |U_tau|^2 (normalised to sum 1).
    majorana : bool
        Majorana (default, widths doubled) or Dirac HNL.

    Examples
    --------
    >>> from na62lab.fips import get_model
    >>> n = get_model("hnl-mu")
    >>> round(float(n.reduced_production(0.0)["K+->mu+N"]), 4)   # -> BR(K+ -> mu+ nu) as m_N -> 0
    0.6356
    """

    coupling_name = "U2"
    coupling_power = 1
    spin = 0.5
    default_mass_range_gev = (0.1, 3.0)
    default_coupling_range = (1e-11, 1e-1)
    typical_couplings = (1e-8, 1e-6, 1e-4)
    max_coupling = U2_FIRST_ORDER_MAX
    max_coupling_note = U2_FIRST_ORDER_NOTE

    def __init__(self, ratios: tuple[float, float, float] = (1.0, 0.0, 0.0), majorana: bool = True,
                 name: str = "hnl") -> None:
        r = np.asarray(ratios, dtype=float)
        require(bool(r.shape == (3,) and np.all(np.isfinite(r)) and np.all(r >= 0) and r.sum() > 0),
                "ratios", tuple(ratios), "three non-negative numbers (U_e^2 : U_mu^2 : U_tau^2), not all 0")
        self.weights = dict(zip(LEPTONS, r / r.sum()))
        self.majorana, self.name = bool(majorana), name
        # printed with lifetimes and results: the lifetime doubles between the two (arXiv:1805.08567 Sec. 3)
        self.width_note = ("Majorana N: both charge-conjugate final states, every width 2x a Dirac N's" if majorana
                           else "Dirac N: one charge state per final state, widths half a Majorana N's")
        self.pbc_label = {"hnl-e": "BC6", "hnl-mu": "BC7", "hnl-tau": "BC8"}.get(name)
        self.coupling_label = {"hnl-e": r"$|U_e|^2$", "hnl-mu": r"$|U_\mu|^2$",
                               "hnl-tau": r"$|U_\tau|^2$"}.get(name, "")
        self.production_channels = tuple(self._production_keys())
        self.tau_channels = {k: rec for k, (flavour, rec) in hnl_tau.TAU_CHANNELS.items()
                             if self.weights[flavour] > 0}
        self.tau_parent_brs = {p: hnl_tau.parent_to_tau_br(p) for p in hnl_tau.TAU_PARENTS}
        self.production_parents = {k: spec[0] for k, spec in self._spec.items()}
        pattern = (tuple(self.weights.values()), self.majorana)
        if pattern not in _DECAY_CHANNELS:     # the dump builds one model per task: name the channels once
            _DECAY_CHANNELS[pattern] = tuple(self.reduced_widths(np.array(1.0)))
        self.decay_channels = _DECAY_CHANNELS[pattern]

    # ------------------------------------------------------------- decays
    def reduced_widths(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """Partial widths / U2 in MeV (formulas in the module docstring)."""
        m = check_mass(mass)
        out: dict[str, np.ndarray] = {}
        pref5 = G_FERMI**2 * m**5 / (192.0 * np.pi**3)
        out["nununu"] = pref5
        self._leptonic(m, pref5, out)
        self._charged_mesons(m, out)
        self._neutral_mesons(m, out)
        out["multihadron"] = self._multihadron(m, out)
        factor = 2.0 if self.majorana else 1.0
        return {k: factor * v for k, v in out.items()}

    def _leptonic(self, m: np.ndarray, pref5: np.ndarray, out: dict) -> None:
        names = list(LEPTONS)
        for b in names:
            ml = _ml(b)
            same = self.weights[b] * _nc_pair(m, ml, True)
            other = (1.0 - self.weights[b]) * _nc_pair(m, ml, False)
            out[f"nu{b}{b}"] = pref5 * (same + other)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                w = self.weights[a] + self.weights[b]
                if w == 0:
                    continue   # identically zero for this mixing pattern
                # N -> a^- b^+ nu_b (U_a) and b^- a^+ nu_a (U_b): the same I(x_a, 0, x_b) (massless middle slot)
                out[f"{a}{b}nu"] = pref5 * w * cc_phase_space(m, _ml(a), 0.0, _ml(b))

    def _charged_mesons(self, m: np.ndarray, out: dict) -> None:
        m3 = G_FERMI**2 * m**3
        for label, (meson, ckm) in _CHARGED_P.items():
            mp, fp = pdg_mass(meson), DECAY_CONSTANT[meson]
            for a, w in self.weights.items():
                if w == 0:
                    continue
                xl, xp = _ml(a) / np.where(m > 0, m, np.inf), mp / np.where(m > 0, m, np.inf)
                shape = ((1 - xl**2) ** 2 - xp**2 * (1 + xl**2)) * _sqrt_kallen(xp, xl)
                width = w * m3 * fp**2 * CKM[ckm] ** 2 / (16 * np.pi) * shape
                out[f"{label}{a}"] = np.where(m > mp + _ml(a), width, 0.0)
        for label, (meson, ckm, fkey) in _CHARGED_V.items():
            mv = pdg_mass(meson)
            gv = VECTOR_DECAY_CONSTANT[fkey] * mv
            for a, w in self.weights.items():
                if w == 0:
                    continue
                xl, xv = _ml(a) / np.where(m > 0, m, np.inf), mv / np.where(m > 0, m, np.inf)
                shape = ((1 - xl**2) ** 2 + xv**2 * (1 + xl**2) - 2 * xv**4) * _sqrt_kallen(xv, xl)
                width = w * m3 * gv**2 * CKM[ckm] ** 2 / (16 * np.pi * mv**2) * shape
                out[f"{label}{a}"] = np.where(m > mv + _ml(a), width, 0.0)

    def _neutral_mesons(self, m: np.ndarray, out: dict) -> None:
        m3 = G_FERMI**2 * m**3
        for label, meson in _NEUTRAL_P.items():
            mp, fp = pdg_mass(meson), DECAY_CONSTANT[meson]
            xp2 = (mp / np.where(m > 0, m, np.inf)) ** 2
            out[f"{label}nu"] = np.where(m > mp, m3 * fp**2 / (32 * np.pi) * (1 - xp2) ** 2, 0.0)
        for label, (meson, fkey, kappa) in _NEUTRAL_V.items():
            mv = pdg_mass(meson)
            gv = VECTOR_DECAY_CONSTANT[fkey] * mv
            xv2 = (mv / np.where(m > 0, m, np.inf)) ** 2
            width = m3 * kappa**2 * gv**2 / (32 * np.pi * mv**2) * (1 + 2 * xv2) * (1 - xv2) ** 2
            out[f"{label}nu"] = np.where(m > mv, width, 0.0)

    def _multihadron(self, m: np.ndarray, out: dict) -> np.ndarray:
        """Inclusive quark-level hadronic width minus the exclusive sum, above 1 GeV (>= 0)."""
        exclusive = sum(v for k, v in out.items() if k not in self._leptonic_keys())
        return np.where(m > HADRON_INCLUSIVE_FROM, np.clip(self._inclusive(m) - exclusive, 0.0, None), 0.0)

    def inclusive_partons(self, final_state: str, mass: float) -> dict[tuple[str, str], float] | None:
        """(lepton, library channel) -> relative quark-level width of the inclusive ``multihadron`` decays at
        ``mass`` (MeV): :func:`na62lab.fips.hnl_inclusive.multihadron_parts`; None for the other final states."""
        if final_state != "multihadron":
            return None
        from na62lab.fips.hnl_inclusive import multihadron_parts

        return multihadron_parts(self, mass)

    @staticmethod
    def _leptonic_keys() -> set[str]:
        names = list(LEPTONS)
        keys = {"nununu"} | {f"nu{b}{b}" for b in names}
        keys |= {f"{a}{b}nu" for i, a in enumerate(names) for b in names[i + 1:]}
        return keys

    def _inclusive(self, m: np.ndarray) -> np.ndarray:
        """Quark-level hadronic width / U2 (Dirac) with the QCD loop factor (arXiv:1805.08567 Sec. 3.3)."""
        pref5 = G_FERMI**2 * m**5 / (192.0 * np.pi**3)
        cc = sum(w * cc_quark_width(m, a, ckm) for a, w in self.weights.items() if w > 0 for ckm in CC_QUARK_PAIRS)
        nc = sum(3 * _nc_quark(m, mq, up) for mq, up in NC_QUARKS.values())
        a_s = alpha_s(np.maximum(m, HADRON_INCLUSIVE_FROM)) / np.pi
        return pref5 * (cc + nc) * (1 + sum(c * a_s ** (k + 1) for k, c in enumerate(QCD_SERIES)))

    # --------------------------------------------------------- production
    def _production_keys(self) -> list[str]:
        """Two-body ``"P->l+N"`` then three-body ``"P->P'l+N"`` keys; fills ``self._spec`` (key -> recipe)."""
        self._spec: dict[str, tuple[str, str, str | None]] = {}
        for parent in _PRODUCTION:
            for a, w in self.weights.items():
                if w > 0 and _parent_mass(parent) > _ml(a):
                    self._spec[f"{parent}->{a}+N"] = (parent, a, None)
        for prefix in semileptonic.CHANNELS:
            for a, w in self.weights.items():
                if w > 0 and semileptonic.threshold(prefix, _ml(a)) > 0:
                    self._spec[f"{prefix}{a}+N"] = (prefix.split("->")[0], a, prefix)
        for prefix in semileptonic_vector.VECTOR_CHANNELS:
            for a, w in self.weights.items():
                if w > 0 and semileptonic_vector.vector_threshold(prefix, _ml(a)) > 0:
                    self._spec[f"{prefix}{a}+N"] = (prefix.split("->")[0], a, prefix)
        for prefix, spec in baryon.BARYON_CHANNELS.items():
            for a, w in self.weights.items():
                if w > 0 and baryon.baryon_threshold(prefix, _ml(a)) > 0:
                    self._spec[baryon.channel_key(prefix, a)] = (spec[0], a, prefix)
        return list(self._spec)

    def reduced_production(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """BR(P+ -> l+ N) and BR(P -> P' l+ N) / U2 per parent and lepton (module docstring;
        three-body: :mod:`na62lab.fips.hnl_semileptonic`).

        The last :data:`PRODUCTION_MEMO` mass arrays are remembered (the dump asks each production mode's
        rate at the same masses, one mode at a time); a repeated call returns copies of the same numbers.
        """
        m = check_mass(mass)
        key = (m.dtype.str, m.shape, m.tobytes())
        memo = self.__dict__.setdefault("_production_memo", {})
        if key not in memo:
            if len(memo) >= PRODUCTION_MEMO:
                memo.pop(next(iter(memo)))
            memo[key] = self._reduced_production(m)
        return {k: v.copy() for k, v in memo[key].items()}

    def _reduced_production(self, m: np.ndarray) -> dict[str, np.ndarray]:
        out = {}
        for key in self.production_channels:
            parent, lepton, three_body = self._spec[key]
            if three_body is None:
                out[key] = self.weights[lepton] * _two_body_br(m, parent, lepton)
            elif three_body in semileptonic_vector.VECTOR_CHANNELS:
                out[key] = self.weights[lepton] * semileptonic_vector.vector_semileptonic_br(m, three_body, _ml(lepton))
            elif three_body in baryon.BARYON_CHANNELS:
                out[key] = self.weights[lepton] * baryon.baryon_semileptonic_br(m, three_body, _ml(lepton))
            else:
                out[key] = self.weights[lepton] * semileptonic.semileptonic_br(m, three_body, _ml(lepton))
        return out

    def tau_production(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """BR(tau -> N X) / U2 per tau, for each key of :attr:`tau_channels` (:mod:`na62lab.fips.hnl_tau`).

        The taus come from D_s+ -> tau+ nu and D+ -> tau+ nu, BRs :attr:`tau_parent_brs` (parent -> BR); the dump
        multiplies by each parent's number per POT.
        """
        return hnl_tau.tau_brs(check_mass(mass), self.weights)

    def production_dalitz_density(self, key: str, mass: float, q2: np.ndarray, s: np.ndarray) -> np.ndarray | None:
        """Matrix-element density of a three-body production channel at Dalitz points (q^2 = (p_l + p_N)^2,
        s = (p' + p_l)^2, MeV^2), relative to flat phase space; None for two-body channels.

        The dump sampler weights its flat phase-space events with it (kinematics of the amplitude of
        :mod:`na62lab.fips.hnl_semileptonic` and :mod:`na62lab.fips.hnl_semileptonic_vector`).
        """
        parent, lepton, three_body = self._spec[key]
        if three_body is None:
            return None
        if three_body in semileptonic_vector.VECTOR_CHANNELS:
            return semileptonic_vector.vector_dalitz_density(three_body, _ml(lepton), mass, q2, s)
        if three_body in baryon.BARYON_CHANNELS:
            return baryon.baryon_dalitz_density(three_body, _ml(lepton), mass, q2, s)
        return semileptonic.dalitz_density(three_body, _ml(lepton), mass, q2, s)

    def production_thresholds(self) -> dict[str, float]:
        """Kinematic limit (MeV) of each production channel: m_P - m_l, or m_P - m_P' - m_l."""
        out = {}
        for key, (parent, lepton, three_body) in self._spec.items():
            if three_body is None:
                out[key] = _parent_mass(parent) - _ml(lepton)
            elif three_body in semileptonic_vector.VECTOR_CHANNELS:
                out[key] = semileptonic_vector.vector_threshold(three_body, _ml(lepton))
            elif three_body in baryon.BARYON_CHANNELS:
                out[key] = baryon.baryon_threshold(three_body, _ml(lepton))
            else:
                out[key] = semileptonic.threshold(three_body, _ml(lepton))
        return out


_DECAY_CHANNELS: dict[tuple, tuple[str, ...]] = {}
"""Decay-channel names of :class:`HNL` per (flavour weights, majorana): they depend on nothing else."""
PRODUCTION_MEMO = 8
"""Mass arrays whose production BRs :meth:`HNL.reduced_production` keeps (the oldest is dropped first)."""


def _nc_quark(m: np.ndarray, mq: float, up: bool) -> np.ndarray:
    """Gamma(N -> nu q qbar) / (G_F^2 m^5/(192 pi^3)) per colour (arXiv:1805.08567 Sec. 3)."""
    s2 = SIN2_THETA_W
    if up:
        c1, c2 = 0.25 * (1 - 8 / 3 * s2 + 32 / 9 * s2**2), 1 / 3 * s2 * (4 / 3 * s2 - 1)
    else:
        c1, c2 = 0.25 * (1 - 4 / 3 * s2 + 8 / 9 * s2**2), 1 / 6 * s2 * (2 / 3 * s2 - 1)
    if mq == 0.0:
        return np.full_like(m, c1)
    x2 = np.clip((mq / np.where(m > 0, m, np.inf)) ** 2, 0.0, 0.25)
    root = np.sqrt(np.clip(1 - 4 * x2, 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        arg = (1 - 3 * x2 - (1 - x2) * root) / (np.maximum(x2, 1e-300) * (1 + root))
        big_l = np.log(np.where(arg > 0, arg, 1.0))
    x4 = x2 * x2
    val = (c1 * ((1 - 14 * x2 - 2 * x4 - 12 * x2**3) * root + 12 * x4 * (x4 - 1) * big_l)
           + 4 * c2 * (x2 * (2 + 10 * x2 - 12 * x4) * root + 6 * x4 * (1 - 2 * x2 + 2 * x4) * big_l))
    return np.where(m > 2 * mq, val, 0.0)


def _two_body_br(m: np.ndarray, parent: str, lepton: str) -> np.ndarray:
    """BR(P+ -> l+ N)/|U_l|^2 (Shrock 1981; arXiv:1805.08567 Sec. 2)."""
    mp, ml = _parent_mass(parent), _ml(lepton)
    key = f"{parent}->{lepton}+"
    if key in BR_LNU:
        return BR_LNU[key] * shrock_factor(mp, ml, m)
    x, y = (ml / mp) ** 2, (m / mp) ** 2
    f = DECAY_CONSTANT["Bc+" if parent == "Bc+" else parent]
    width = (G_FERMI**2 * f**2 * CKM[_PRODUCTION[parent]] ** 2 * mp**3 / (8 * np.pi)
             * (x + y - (x - y) ** 2) * _sqrt_kallen(ml / mp, m / mp))
    return np.where(m < mp - ml, width / _parent_width(parent), 0.0)


register("hnl-e", lambda **o: HNL(ratios=(1, 0, 0), name="hnl-e", **o))
register("hnl-mu", lambda **o: HNL(ratios=(0, 1, 0), name="hnl-mu", **o))
register("hnl-tau", lambda **o: HNL(ratios=(0, 0, 1), name="hnl-tau", **o))
register("hnl", lambda **o: HNL(**o))
