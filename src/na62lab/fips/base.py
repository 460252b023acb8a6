"""The common interface of every feebly-interacting-particle (FIP) model.

A model maps a FIP mass (MeV) and one coupling (dimensionless, or GeV^-1 for
``g_agg``) to decay widths (MeV), branching ratios, c*tau (mm) and production
branching ratios of parent-meson decays.  Everything is vectorised: ``mass``
and ``coupling`` broadcast with the usual numpy rules, so a grid is
``model.widths(mass[:, None], coupling[None, :])``.

The couplings factor out.  A model implements only

* :meth:`FIPModel.reduced_widths` -- width / coupling**2 per decay channel,
  (MeV), for the channels whose width scales as coupling**2;
* :meth:`FIPModel.reduced_production` -- BR / coupling**2 per production
  channel, where it factorises;

and optionally :meth:`FIPModel.fixed_widths` / :meth:`FIPModel.fixed_production`
for terms that do *not* scale with the coupling (the BC2 dark-photon width to
dark matter, the BC5 ``h -> S S`` term).  The base class does the rest, so a
1000 x 1000 grid costs one mass evaluation and one outer product.

Writing your own model
----------------------
An ALP with independent photon and gluon couplings (``c_gamma``, ``c_g``,
dimensionless, over a scale ``f_a``) whose overall strength is the coupling
``1/f_a`` in GeV^-1:

>>> import numpy as np
>>> from na62lab.fips.base import FIPModel, check_mass
>>> from na62lab.physics.constants import ALPHA_EM
>>> from na62lab.physics.units import GeV
>>> class MyALP(FIPModel):
...     name = "my-alp"
...     coupling_name = "inv_fa_GeV^-1"
...     coupling_unit = "GeV^-1"
...     decay_channels = ("gammagamma",)
...     def __init__(self, c_gamma=1.0):
...         self.c_gamma = c_gamma
...     def reduced_widths(self, mass):
...         m = check_mass(mass)                  # MeV
...         g = self.c_gamma * ALPHA_EM / np.pi / GeV   # g_agg per (1/f_a), MeV^-1 per GeV^-1
...         return {"gammagamma": g**2 * m**3 / (64 * np.pi)}   # arXiv:1708.00443 Sec. 3
...     def reduced_production(self, mass):
...         return {}
>>> model = MyALP(c_gamma=2.0)
>>> float(model.branching_ratios(300.0)["gammagamma"])
1.0
>>> float(model.ctau(300.0, 1e-3)) > 0     # mm, for 1/f_a = 1e-3 GeV^-1
True
"""

from __future__ import annotations

import abc
import numpy as np
from numpy.typing import ArrayLike

from na62lab.errors import InputError
from na62lab.physics.kinematics import kallen  # the cancellation-safe form (PDG Eq. 49.17), re-exported
from na62lab.physics.units import GeV, hbarc

__all__ = ["FIPModel", "check_mass", "check_coupling", "kallen", "DUMP_MECHANISMS"]

DUMP_MECHANISMS: dict[str, str] = {
    "proton_bremsstrahlung": "vector emitted by the beam proton (Fermi-Weizsaecker-Williams); coupling to "
                             "protons as the dark photon's (epsilon e)",
    "scalar_bremsstrahlung": "scalar emitted by the beam proton (APPROXIMATE; card switch "
                             "production.scalar_brems, off by default)",
    "vector_meson_mixing": "mixing with rho0, omega, phi; needs method vector_mixing(mass, meson)",
    "pseudoscalar_mixing": "mixing with pi0, eta, eta'; needs method mixing_angles(mass)",
    "primakoff": "photon conversion gamma N -> X N on the dump photons; needs a 'gammagamma' reduced width",
    "photon_fusion": "the beam proton's equivalent photons converting gamma N -> X N on the dump nuclei; needs a "
                     "'gammagamma' reduced width (card production.photon_fusion)",
    "drell_yan": "q qbar -> V of a vector (Drell-Yan, LO, shipped tables); needs method drell_yan_couplings() "
                 "(g_q^2 per coupling^2 for u, d, s, c); only above the card's production.drell_yan_min_mass_gev",
}
"""Beam-dump production mechanisms a model may declare in :attr:`FIPModel.dump_mechanisms`."""


def check_mass(mass: ArrayLike, field: str = "mass") -> np.ndarray:
    """Return ``mass`` as a float array; raise :class:`InputError` if any entry is NaN, inf or < 0.

    Parameters
    ----------
    mass : array_like
        FIP mass(es) in MeV.
    field : str
        Name used in the error message.
    """
    m = np.asarray(mass, dtype=float)
    bad = ~np.isfinite(m) | (m < 0)
    if np.any(bad):
        value = m[bad].flat[0] if m.ndim else float(m)
        raise InputError(field, float(value), "finite masses >= 0 (MeV internally, GeV on the command line)")
    return m


def check_coupling(coupling: ArrayLike, field: str = "coupling") -> np.ndarray:
    """Return ``coupling`` as a float array; raise :class:`InputError` unless finite and >= 0.

    Parameters
    ----------
    coupling : array_like
        Coupling(s) in the model's convention (see ``FIPModel.coupling_name``).
    """
    g = np.asarray(coupling, dtype=float)
    bad = ~np.isfinite(g) | (g < 0)
    if np.any(bad):
        value = g[bad].flat[0] if g.ndim else float(g)
        raise InputError(field, float(value), "finite couplings >= 0")
    return g


def _sum(parts: dict[str, np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    total = np.zeros(shape)
    for value in parts.values():
        total = total + value
    return total


def _total(reduced: dict, fixed: dict, shape: tuple[int, ...], g) -> np.ndarray:
    """Total width (MeV): the reduced widths summed on the mass axis first, times ``g`` =
    ``coupling**coupling_power`` once, plus the coupling-independent ones (:meth:`FIPModel.total_width`)."""
    return _sum(reduced, shape) * g + _sum(fixed, shape)


def _ctau(total: np.ndarray) -> np.ndarray:
    """c tau (mm) of a total width (MeV); ``inf`` where it is 0 (:meth:`FIPModel.ctau`)."""
    with np.errstate(divide="ignore"):
        return np.where(total > 0, hbarc / np.where(total > 0, total, 1.0), np.inf)


def _ratios(parts: dict, shape: tuple[int, ...]) -> dict[str, np.ndarray]:
    """Branching ratios of partial widths ``parts`` broadcast with ``shape`` (:meth:`FIPModel.branching_ratios`)."""
    shape = np.broadcast_shapes(*(np.shape(v) for v in parts.values()), shape)
    total = _sum(parts, shape)
    safe = np.where(total > 0, total, 1.0)
    return {k: np.where(total > 0, v / safe, 0.0) for k, v in parts.items()}


class FIPModel(abc.ABC):
    """A feebly-interacting particle: decay widths, lifetime and production.

    Attributes
    ----------
    name : str
        Registry name (``"dark-photon"``, ``"dark-scalar"``, ``"alp-photon"``,
        ``"alp-fermion"``, ``"alp-gluon"``, ``"hnl-e"``, ``"hnl-mu"``, ``"hnl-tau"``).
    coupling_name : str
        The coupling that multiplies the reduced widths squared
        (``"epsilon"``, ``"theta"``, ``"g_agg_GeV^-1"``, ``"U2"``...).  For
        HNLs the coupling is ``U2`` itself, and the widths scale as
        ``coupling**1``: see :attr:`coupling_power`.
    coupling_unit : str
        Unit of the coupling (``""`` if dimensionless).
    coupling_power : int
        Widths scale as ``coupling**coupling_power`` (2 for amplitudes-level
        couplings, 1 for HNLs whose coupling is |U|^2).
    decay_channels, production_channels : tuple of str
        Channel names returned by the width and production methods.
    pbc_label : str or None
        PBC benchmark label (``"BC1"``...; arXiv:1901.09966 Sec. 3), None for a non-benchmark model.
    spin : float
        0, 1/2 or 1.  A spin-1 FIP produced in P -> gamma X, V -> P X or by
        mixing/bremsstrahlung is transversely polarised (:attr:`polarised`).
    dump_mechanisms : tuple of str
        Beam-dump production mechanisms besides the parent decays of
        :attr:`production_channels`, from :data:`DUMP_MECHANISMS`.  Each needs
        a model method (see that table); a model registered with
        :func:`na62lab.fips.register` gets every mechanism it declares.
    default_mass_range_gev : tuple of float
        Default mass range of a sensitivity plot (GeV).
    default_coupling_range : tuple of float
        Default coupling range (model convention).
    coupling_label : str
        Axis label of the coupling (matplotlib mathtext allowed).
    plot_coupling_squared : bool
        Whether PBC plots show coupling**2 (e.g. sin^2 theta for BC4).
    typical_couplings : tuple of float
        Three couplings for lifetime plots (default: inside ``default_coupling_range``).
    width_note : str
        A caveat shown with the decay plots (e.g. approximate hadronic widths).
    max_coupling : float or None
        Largest coupling at which the model's production rates hold (e.g. first order in the coupling);
        None: no bound.  Kaon-mode readings and recasts stop their coupling grids there and print
        :attr:`max_coupling_note`; ``fip production`` refuses couplings above it.
    max_coupling_note : str
        Why :attr:`max_coupling` bounds the coupling (printed with the capped results).
    valid_mass_gev : tuple of float or None
        (low, high) masses in GeV where the model's widths and production are defined (None: no stated
        bound); the command line refuses masses outside (:meth:`check_valid_mass`), with
        :attr:`valid_mass_note` saying why.
    """

    name: str
    coupling_name: str
    coupling_unit: str = ""
    coupling_power: int = 2
    decay_channels: tuple[str, ...] = ()
    production_channels: tuple[str, ...] = ()
    production_parents: dict[str, str] = {}
    pbc_label: str | None = None
    spin: float = 0
    dump_mechanisms: tuple[str, ...] = ()
    default_mass_range_gev: tuple[float, float] = (0.01, 2.0)
    default_coupling_range: tuple[float, float] = (1e-9, 1e-2)
    coupling_label: str = ""
    plot_coupling_squared: bool = False
    typical_couplings: tuple[float, ...] = ()
    width_note: str = ""
    max_coupling: float | None = None
    max_coupling_note: str = ""
    valid_mass_gev: tuple[float, float] | None = None
    valid_mass_note: str = ""

    def check_valid_mass(self, masses_gev: ArrayLike, field: str = "--mass") -> None:
        """Refuse masses (GeV) outside :attr:`valid_mass_gev`, the masses where the model's widths are defined.

        The command line calls it (``fip``, ``sensitivity --mass-range``); the Python functions do not, so a
        study may still probe beyond.  Raises :class:`InputError` naming ``field``, the mass and the range.
        """
        if self.valid_mass_gev is None:
            return
        lo, hi = self.valid_mass_gev
        m = np.atleast_1d(np.asarray(masses_gev, dtype=float))
        bad = m[(m < lo * (1 - 1e-9)) | (m > hi * (1 + 1e-9))]     # a table's GeV edges after MeV round trips
        if bad.size:
            why = f" ({self.valid_mass_note})" if self.valid_mass_note else ""
            raise InputError(field, float(bad[0]), f"masses {lo:g}-{hi:g} GeV for {self.name}{why}")

    @property
    def polarised(self) -> bool:
        """Whether the FIP is a (transversely polarised) vector: spin 1."""
        return self.spin == 1

    @property
    def axis_label(self) -> str:
        """The coupling axis label (``coupling_label`` or ``coupling_name``)."""
        return self.coupling_label or self.coupling_name

    def plane(self) -> dict:
        """PBC-plane conventions of the model: ``pbc``, ``mass_gev`` and ``coupling`` default ranges,
        ``ylabel`` and ``square`` (plot coupling**2), the keys of the beam-dump model table."""
        return {"pbc": self.pbc_label or "", "mass_gev": tuple(self.default_mass_range_gev),
                "coupling": tuple(self.default_coupling_range), "ylabel": self.axis_label,
                "square": bool(self.plot_coupling_squared)}

    def mechanism_rate(self, mechanism: str, mass: ArrayLike) -> np.ndarray | None:
        """FIPs per proton on target / coupling**power from a dump mechanism, if the model supplies it.

        None (default): the built-in calculation of the mechanism is used
        (:mod:`na62lab.generation.dump.sources`).  A model-independent table returns
        its tabulated rate; the kinematics stay those of the built-in mechanism.

        Parameters
        ----------
        mechanism : str
            A key of :data:`DUMP_MECHANISMS`.
        mass : array_like
            FIP mass (MeV).
        """
        return None

    def drell_yan_couplings(self) -> dict[str, float]:
        """Squared vector couplings to quarks per unit coupling**2: g_q^2 / coupling^2 for u, d, s, c.

        Used by the ``drell_yan`` dump mechanism (q qbar -> V, :mod:`na62lab.generation.dump.drell_yan`):
        the rate is sum_q g_q^2 sigma_q with the tabulated per-flavour cross sections per unit g_q^2.
        Dimensionless, e^2 = 4 pi alpha included (dark photon: 4 pi alpha Q_q^2, i.e. e^2 x 4/9 for u
        and c, e^2 x 1/9 for d and s).  Default: none (empty).  Missing flavours count as 0.
        """
        return {}

    # ------------------------------------------------------ final states
    def final_state_fraction(self, final_state: str, mass: ArrayLike) -> np.ndarray:
        """Fraction of a decay channel's width in the charge state the dump selection reconstructs.

        The widths are summed over charge states; the selection reconstructs
        pi+ pi-, K+ K-, pi+ pi- pi0 pi0, K+ K- pi0 and pi+ pi- pi0.  Defaults
        (isospin, APPROXIMATE unless stated):

        - ``pipi``: 1 for a vector (C forbids pi0 pi0), 2/3 for spin 0;
        - ``KK``: 1/2; ``4pi``: 1/2 (pi+ pi- 2 pi0 vs 2 pi+ 2 pi-, about equal in
          e+e- data near 1.5 GeV, BaBar arXiv:1201.5677, arXiv:1709.01171);
        - ``KKpi``: 1/6 for K+ K- pi0 among the K Kbar pi states;
        - everything else 1 (models override, e.g. the dark photon's K+ K-
          from its kaon form factors, the ALP's 3 pi).

        Parameters
        ----------
        final_state : str
            Decay-channel name.
        mass : array_like
            FIP mass (MeV).
        """
        m = np.asarray(mass, dtype=float)
        if final_state == "pipi":
            return np.full(m.shape, 1.0 if self.polarised else 2.0 / 3.0)
        return np.full(m.shape, {"KK": 0.5, "4pi": 0.5, "KKpi": 1.0 / 6.0}.get(final_state, 1.0))

    def charged_track_modes(self, final_state: str, mass: ArrayLike) -> dict[str, np.ndarray] | None:
        """Shares of a channel's width in its generated charge modes with charged tracks from the vertex.

        For cards whose exclusive final states need only their charged tracks (``selection.exclusive_rule`` =
        ``charged_tracks``, :func:`na62lab.selection.dump_selection.select_charged_tracks`), which decay these
        channels in each of their modes (:func:`na62lab.generation.dump.fip_decays.decay_charge_modes`):

        - ``KKpi``: K+ K- pi0 as :meth:`final_state_fraction` (1/6) and K+- K0 pi-+ 4x that (2/3; an isoscalar:
          K+ K- pi0 : K0 K0bar pi0 : K+ K0bar pi- : K- K0 pi+ = 1 : 1 : 2 : 2,
          :data:`na62lab.generation.dump.fip_decays.CHARGE_MODES`; APPROXIMATE for a model with an isovector part;
          K0 K0bar pi0 has no charged track from the vertex);
        - ``4pi``: pi+ pi- 2 pi0 as :meth:`final_state_fraction`, 2 pi+ 2 pi- the rest;
        - None for the other channels (their generated charge state only, :meth:`final_state_fraction`).

        Parameters
        ----------
        final_state : str
            Decay-channel name.
        mass : array_like
            FIP mass (MeV).
        """
        m = np.asarray(mass, dtype=float)
        if final_state == "KKpi":     # isoscalar: the K+- K0 pi-+ pair of modes is 4x K+ K- pi0
            charged = np.asarray(self.final_state_fraction("KKpi", m), dtype=float)
            return {"K+K-pi0": charged, "K+-K0pi-+": 4.0 * charged}
        if final_state == "4pi":
            neutral = np.asarray(self.final_state_fraction("4pi", m), dtype=float)
            return {"pi+pi-pi0pi0": neutral, "2pi+2pi-": 1.0 - neutral}
        return None

    def charged_track_fraction(self, final_state: str, mass: ArrayLike) -> np.ndarray:
        """Fraction of a channel's width that a selection by charged tracks counts: the sum of
        :meth:`charged_track_modes` (``KKpi`` 5/6 for an isoscalar, ``4pi`` 1), else
        :meth:`final_state_fraction`.

        Parameters
        ----------
        final_state : str
            Decay-channel name.
        mass : array_like
            FIP mass (MeV).
        """
        modes = self.charged_track_modes(final_state, mass)
        if modes is None:
            return self.final_state_fraction(final_state, mass)
        return np.asarray(sum(modes.values()), dtype=float)

    # ------------------------------------------------------------------ decay
    @abc.abstractmethod
    def reduced_widths(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """Partial widths divided by ``coupling**coupling_power``, in MeV, per channel.

        Parameters
        ----------
        mass : array_like
            FIP mass in MeV.
        """

    def fixed_widths(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """Partial widths (MeV) that do not scale with the coupling (default: none)."""
        return {}

    def widths(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, np.ndarray]:
        """Partial widths in MeV, broadcasting ``mass`` (MeV) against ``coupling``.

        Parameters
        ----------
        mass : array_like
            FIP mass in MeV.
        coupling : array_like
            Coupling in the convention of :attr:`coupling_name`.
        """
        return _scale(self.reduced_widths(mass), self.fixed_widths(mass),
                      check_coupling(coupling) ** self.coupling_power)

    def total_width(self, mass: ArrayLike, coupling: ArrayLike) -> np.ndarray:
        """Total width in MeV (broadcast of ``mass`` in MeV and ``coupling``).

        Factorised: the reduced widths are summed on the mass axis first and
        multiplied by ``coupling**coupling_power`` once (one grid operation).
        """
        g = check_coupling(coupling) ** self.coupling_power
        m = check_mass(mass)
        return _total(self.reduced_widths(m), self.fixed_widths(m), m.shape, g)

    def branching_ratios(self, mass: ArrayLike, coupling: ArrayLike | None = None) -> dict[str, np.ndarray]:
        """Decay branching ratios per channel (sum to 1 where any channel is open).

        Parameters
        ----------
        mass : array_like
            FIP mass in MeV.
        coupling : array_like, optional
            Needed only when the model has coupling-independent widths
            (:meth:`fixed_widths`); otherwise the ratios do not depend on it.
        """
        m = check_mass(mass)
        if coupling is None:
            if self.fixed_widths(m):
                raise InputError("coupling", None, f"a value: {self.name} has coupling-independent widths")
            parts = self.reduced_widths(m)
        else:
            parts = self.widths(m, coupling)
        return _ratios(parts, m.shape)

    def ctau(self, mass: ArrayLike, coupling: ArrayLike) -> np.ndarray:
        """Proper decay length c*tau in mm (``inf`` where no channel is open).

        Parameters
        ----------
        mass : array_like
            FIP mass in MeV.
        coupling : array_like
            Coupling in the convention of :attr:`coupling_name`.
        """
        return _ctau(self.total_width(mass, coupling))

    def ctau_and_branching_ratios(self, mass: ArrayLike, coupling: ArrayLike,
                                  widths: tuple[dict, dict] | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """``(ctau(mass, coupling), branching_ratios(mass, coupling))`` with the widths evaluated once.

        The same numbers as the two calls (the same arithmetic on the same widths); a subclass that
        overrides any of those methods (or :meth:`widths`, :meth:`total_width`) gets the two calls.

        Parameters
        ----------
        mass : array_like
            FIP mass in MeV.
        coupling : array_like
            Coupling in the convention of :attr:`coupling_name`.
        widths : (dict, dict), optional
            ``(reduced_widths(mass), fixed_widths(mass))`` if the caller has them (MeV; e.g. kept
            between calls at the same masses), else computed here.
        """
        cls = type(self)
        if any(getattr(cls, name) is not getattr(FIPModel, name)
               for name in ("ctau", "total_width", "widths", "branching_ratios")):
            return self.ctau(mass, coupling), self.branching_ratios(mass, coupling)
        g = check_coupling(coupling) ** self.coupling_power
        m = check_mass(mass)
        reduced, fixed = widths if widths is not None else (self.reduced_widths(m), self.fixed_widths(m))
        ctau = _ctau(_total(reduced, fixed, m.shape, g))
        return ctau, _ratios(_scale(reduced, fixed, g), m.shape)

    # ------------------------------------------------------------- production
    @abc.abstractmethod
    def reduced_production(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """Production branching ratios of parent decays divided by ``coupling**coupling_power``.

        Keys are ``"parent->X FIP"`` strings (``"pi0->gammaA"``, ``"K+->pi+S"``,
        ``"K+->e+N"``...).  Zero above the kinematic limit.

        Parameters
        ----------
        mass : array_like
            FIP mass in MeV.
        """

    def fixed_production(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """Production branching ratios that do not scale with the coupling (default: none)."""
        return {}

    def production_branching_ratios(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, np.ndarray]:
        """Branching ratio of each parent decay into the FIP (BR of that parent).

        Parameters
        ----------
        mass : array_like
            FIP mass in MeV.
        coupling : array_like
            Coupling in the convention of :attr:`coupling_name`.
        """
        return _scale(self.reduced_production(mass), self.fixed_production(mass),
                      check_coupling(coupling) ** self.coupling_power)

    def production_thresholds(self) -> dict[str, float]:
        """Kinematic limit (largest FIP mass, MeV) of each production channel."""
        return {}

    def check_production_mass(self, mass: float, channel: str | None = None) -> None:
        """Raise :class:`InputError` if ``mass`` (MeV) is above a production channel's limit.

        With ``channel=None`` the mass must be open for at least one channel.
        """
        limits = self.production_thresholds()
        m = float(check_mass(mass))
        if channel is not None:
            if channel not in limits:
                raise InputError("channel", channel, "one of " + ", ".join(sorted(limits)))
            if m >= limits[channel]:
                raise InputError("mass", m / GeV, f"below the kinematic limit of {channel}: "
                                 f"{limits[channel] / GeV:.6g} GeV")
        elif limits and m >= max(limits.values()):
            best = max(limits, key=lambda k: limits[k])
            raise InputError("mass", m / GeV, f"below the largest production kinematic limit "
                             f"({best}: {limits[best] / GeV:.6g} GeV)")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, coupling={self.coupling_name!r})"


def _scale(reduced: dict, fixed: dict, g) -> dict[str, np.ndarray]:
    """``reduced * g`` per channel plus the coupling-independent ``fixed`` parts, broadcast against ``g``."""
    out = {k: v * g for k, v in reduced.items()}
    for key, value in fixed.items():
        out[key] = out.get(key, 0.0) + value + 0.0 * g
    return out
