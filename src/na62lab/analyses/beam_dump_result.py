"""Typed result of a beam-dump sensitivity: what the presentation layer reads.

:func:`na62lab.analyses.beam_dump.sensitivity` returns a :class:`DumpSensitivity`
(the kaon side's pattern: :class:`~na62lab.analyses.kaon_searches_common.summary.SearchSummary`).
Its nested pieces are typed too: the combined counting inputs
(:class:`CombinedInputs`), the limits on signal events (:class:`EventLimits`),
where the excluded region reaches the grid boundary (:class:`OpenEdges`) and the
expected-limit contours (:class:`ExpectedBands`).  An excluded range stays the
record :func:`na62lab.yields.dump_contours.excluded_ranges` builds: a dict with
``mass_gev`` (GeV), ``coupling_min``, ``coupling_max`` (the model's coupling
convention), ``open_lower`` and ``open_upper`` (bool: that edge is the grid
boundary, not a limit); the closing row of an island end inside the mass grid also
has ``tip`` (True: the mass where the expected events cross the limit, coupling_min =
coupling_max) and ``tip_side`` (``"high_mass"`` / ``"low_mass"``).

:meth:`DumpSensitivity.to_dict` is the JSON boundary (the record written to
``<PBC>_<N_POT>.json`` and ``<PBC>_sensitivity.json`` and printed by
``na62lab sensitivity --json``, keys in :data:`RECORD_ORDER`);
:meth:`DumpSensitivity.from_dict` reads such a record back (keys it does not
know, e.g. ``provenance``, are kept in :attr:`DumpSensitivity.extra`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from na62lab.config.dump import ChannelInput

__all__ = ["BAND_KEYS", "RECORD_ORDER", "CombinedInputs", "DumpSensitivity", "EventLimits", "ExpectedBands",
           "OpenEdges"]

BAND_KEYS = ("median", "minus1", "plus1", "minus2", "plus2")
"""Expected-limit quantiles of the background-only count distribution, in the record's order."""

RECORD_ORDER = ("model", "model_spec", "pbc", "coupling_name", "card", "n_pot", "cl", "channels", "channel_inputs",
                "combined_inputs", "limits", "masses_gev", "couplings", "expected_events",
                "expected_events_by_mode_max", "observed_by_mass", "observed_limit_by_mass", "excluded_ranges",
                "excluded_mass_intervals", "open_edges", "projection", "limit_kind", "expected_bands", "discovery",
                "efficiencies", "skipped_production", "notes", "experiment")
"""Key order of the JSON record of a dump sensitivity (``experiment`` only when set; unknown keys follow;
``excluded_mass_intervals`` is derived from ``excluded_ranges`` and not read back)."""


@dataclass(frozen=True)
class CombinedInputs:
    """The channels combined into one counting experiment: summed observed events, summed expected
    background (events) and its 1-sigma errors (events, each side added in quadrature over the channels):
    ``background_error`` the downward one, ``background_error_up`` the upward one (equal for symmetric
    errors; left out, it is ``background_error``)."""

    observed: int
    background: float
    background_error: float
    background_error_up: float | None = None

    def __post_init__(self) -> None:
        if self.background_error_up is None:            # symmetric: the one error both ways
            object.__setattr__(self, "background_error_up", self.background_error)

    @classmethod
    def from_channels(cls, channels: Sequence[ChannelInput]) -> CombinedInputs:
        """Sum the observed counts and backgrounds of ``channels``; each error side in quadrature (events)."""
        return cls(int(sum(c.observed for c in channels)), float(sum(c.background for c in channels)),
                   float(np.sqrt(sum(c.error_down**2 for c in channels))),
                   float(np.sqrt(sum(c.error_up**2 for c in channels))))

    @property
    def errors(self) -> tuple[float, float]:
        """(up, down) 1-sigma background errors (events), the order of
        :func:`na62lab.stats.limits.upper_limit` and :func:`na62lab.stats.discovery.min_observed`."""
        up = self.background_error if self.background_error_up is None else self.background_error_up
        return up, self.background_error

    @property
    def error_text(self) -> str:
        """The background error as printed: ``+- db``, or ``+up -down`` when the sides differ."""
        up, down = self.errors
        return f"+- {down:.2g}" if up == down else f"+{up:.2g} -{down:.2g}"

    @classmethod
    def from_dict(cls, d: Mapping) -> CombinedInputs:
        """Read the ``combined_inputs`` record (a record without ``background_error_up``, written before
        asymmetric errors, is symmetric)."""
        up = d.get("background_error_up")
        return cls(int(d["observed"]), float(d["background"]), float(d["background_error"]),
                   None if up is None else float(up))

    def to_dict(self) -> dict:
        """The ``combined_inputs`` record."""
        return {"observed": self.observed, "background": self.background, "background_error": self.background_error,
                "background_error_up": self.errors[0]}


@dataclass(frozen=True)
class EventLimits:
    """Upper limits on signal events at the card's CL: observed (combined count at every mass) and
    expected (median, -1/+1 sigma, -2/+2 sigma quantiles of the background-only distribution)."""

    observed: float
    median: float
    minus1: float
    plus1: float
    minus2: float
    plus2: float

    @classmethod
    def from_dict(cls, d: Mapping) -> EventLimits:
        """Read the ``limits`` record."""
        return cls(*(d[f.name] for f in fields(cls)))

    def to_dict(self) -> dict:
        """The ``limits`` record (keys in field order)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def band(self, key: str) -> float:
        """The expected limit (events) of band ``key`` (one of :data:`BAND_KEYS`)."""
        if key not in BAND_KEYS:
            raise KeyError(key)
        return float(getattr(self, key))


@dataclass(frozen=True)
class OpenEdges:
    """Where the excluded region reaches the grid boundary (so the edge there is not a limit).

    ``lower_coupling`` / ``upper_coupling``: masses (GeV) whose lower (upper) edge is the lowest
    (highest) grid coupling; ``low_mass`` / ``high_mass``: the region reaches the lowest (highest)
    mass of the grid.
    """

    lower_coupling: tuple[float, ...] = ()
    upper_coupling: tuple[float, ...] = ()
    low_mass: bool = False
    high_mass: bool = False

    @classmethod
    def from_dict(cls, d: Mapping) -> OpenEdges:
        """Read the ``open_edges`` record (missing keys: nothing open)."""
        return cls(tuple(d.get("lower_coupling", ())), tuple(d.get("upper_coupling", ())),
                   bool(d.get("low_mass", False)), bool(d.get("high_mass", False)))

    def to_dict(self) -> dict:
        """The ``open_edges`` record (mass lists as lists)."""
        return {"lower_coupling": list(self.lower_coupling), "upper_coupling": list(self.upper_coupling),
                "low_mass": self.low_mass, "high_mass": self.high_mass}


@dataclass(frozen=True)
class ExpectedBands:
    """Excluded ranges (one dict per excluded mass, see the module docstring) for the expected limits
    :attr:`EventLimits.median`, ``minus1``, ``plus1``, ``minus2``, ``plus2``; nested regions:
    minus2 contains minus1 contains median contains plus1 contains plus2."""

    median: list[dict]
    minus1: list[dict]
    plus1: list[dict]
    minus2: list[dict]
    plus2: list[dict]

    @classmethod
    def from_dict(cls, d: Mapping) -> ExpectedBands:
        """Read the ``expected_bands`` record."""
        return cls(*(list(d[k]) for k in BAND_KEYS))

    def __getitem__(self, key: str) -> list[dict]:
        if key not in BAND_KEYS:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(BAND_KEYS)

    def keys(self) -> tuple[str, ...]:
        """The band keys, :data:`BAND_KEYS`."""
        return BAND_KEYS

    def items(self) -> Iterator[tuple[str, list[dict]]]:
        """(band key, excluded ranges) in :data:`BAND_KEYS` order."""
        return ((k, getattr(self, k)) for k in BAND_KEYS)

    def to_dict(self) -> dict:
        """The ``expected_bands`` record."""
        return dict(self.items())


def _array(values: Any, dtype: type = float) -> np.ndarray:
    return np.asarray(values, dtype=dtype)


@dataclass(frozen=True, eq=False)
class DumpSensitivity:
    """Expected events, observed exclusion and expected bands of one dump card on a (mass, coupling) grid.

    Units: masses in GeV, couplings in the model's convention (:attr:`coupling_name`), events
    as expected numbers at the card's N_POT, limits on signal events at confidence level :attr:`cl`.
    Compared by identity (it holds arrays): compare fields, or :meth:`to_dict` records.
    """

    model: str
    """Model label (a user spec by its model's name)."""
    model_spec: str
    """The model as given (name, ``file.py:Class`` or table path)."""
    pbc: str
    """PBC benchmark (``BC1`` ...; empty for a model without one)."""
    coupling_name: str
    card: str
    n_pot: float
    """Protons on target."""
    cl: float
    channels: list[str]
    """Final states used."""
    channel_inputs: dict[str, dict]
    """Per final state, the card's channel record (observed, background, windows ...)."""
    combined_inputs: CombinedInputs
    limits: EventLimits
    masses_gev: np.ndarray
    """Mass grid (GeV): log-spaced masses plus refinement nodes."""
    couplings: np.ndarray
    """Coupling grid (log-spaced)."""
    expected_events: np.ndarray
    """Expected signal events, shape (n_masses, n_couplings)."""
    expected_events_by_mode_max: dict[str, float]
    """Largest expected events on the grid per production mode."""
    observed_by_mass: np.ndarray
    """Observed events counting against each mass (int)."""
    observed_limit_by_mass: np.ndarray
    """Upper limit on signal events at each mass (the expected median for a projection)."""
    excluded_ranges: list[dict]
    """The reported (observed, or expected median for a projection) excluded range per mass."""
    open_edges: OpenEdges
    projection: bool
    """No data at this exposure: the reported exclusion is the expected one."""
    limit_kind: str
    """``observed`` or ``expected``."""
    expected_bands: ExpectedBands
    discovery: list[dict]
    """Minimum observed events for a 5 sigma discovery, per channel and combined
    (:func:`na62lab.analyses.beam_dump.discovery_table`; ``background_constraint`` names the background
    uncertainty's shape, absent in records older than the key)."""
    efficiencies: list[dict]
    """Unsimulated efficiency factors applied, with status and source."""
    skipped_production: dict[str, str]
    """Production modes not simulated, with the reason."""
    notes: list[str]
    """Approximations of this result."""
    experiment: str = ""
    """Legend label of a multi-experiment comparison (empty: not part of one; not written then)."""
    extra: Mapping = field(default_factory=dict)
    """Keys of a read record this class does not know (e.g. ``provenance``), written last."""

    def with_experiment(self, label: str) -> DumpSensitivity:
        """A copy labelled ``label`` (:func:`na62lab.analyses.beam_dump_compare.compare`)."""
        return replace(self, experiment=label)

    @property
    def excluded_mass_intervals(self) -> list[list[float]]:
        """[low, high] mass (GeV) of each excluded island of :attr:`excluded_ranges`: where each region starts
        and closes, at its tips (the masses where the expected events cross the limit,
        :func:`na62lab.yields.dump_contours.mass_intervals`)."""
        from na62lab.yields.dump_contours import mass_intervals

        return [[lo, hi] for lo, hi in mass_intervals(self.excluded_ranges, self.masses_gev)]

    @property
    def style_spec(self) -> str:
        """The model spec to read plot conventions from (the spec, else the label)."""
        return self.model_spec or self.model

    @classmethod
    def from_dict(cls, s: Mapping) -> DumpSensitivity:
        """Read a record written by :meth:`to_dict` (possibly stamped with ``provenance``)."""
        return cls(
            model=s["model"], model_spec=s.get("model_spec") or s["model"], pbc=s.get("pbc") or "",
            coupling_name=s["coupling_name"], card=s["card"], n_pot=float(s["n_pot"]), cl=float(s["cl"]),
            channels=list(s["channels"]), channel_inputs=dict(s["channel_inputs"]),
            combined_inputs=CombinedInputs.from_dict(s["combined_inputs"]),
            limits=EventLimits.from_dict(s["limits"]), masses_gev=_array(s["masses_gev"]),
            couplings=_array(s["couplings"]), expected_events=_array(s["expected_events"]),
            expected_events_by_mode_max=dict(s["expected_events_by_mode_max"]),
            observed_by_mass=_array(s["observed_by_mass"], int),
            observed_limit_by_mass=_array(s["observed_limit_by_mass"]),
            excluded_ranges=list(s["excluded_ranges"]), open_edges=OpenEdges.from_dict(s.get("open_edges") or {}),
            projection=bool(s.get("projection", False)),
            limit_kind=s.get("limit_kind") or ("expected" if s.get("projection") else "observed"),
            expected_bands=ExpectedBands.from_dict(s["expected_bands"]), discovery=list(s["discovery"]),
            efficiencies=list(s.get("efficiencies", [])), skipped_production=dict(s.get("skipped_production", {})),
            notes=list(s.get("notes", [])), experiment=s.get("experiment", ""),
            extra={k: v for k, v in s.items() if k not in RECORD_ORDER})

    def to_dict(self) -> dict:
        """The JSON-able record, keys in :data:`RECORD_ORDER` (``experiment`` only when set), then :attr:`extra`."""
        out: dict = {}
        for key in RECORD_ORDER:
            value = getattr(self, key)
            if key == "experiment" and not value:
                continue
            out[key] = value.to_dict() if hasattr(value, "to_dict") else value
        return {**out, **self.extra}
