"""Typed summary of a kaon-mode search: what the presentation layer reads.

:func:`na62lab.analyses.kaon_searches.run_search` builds a
:class:`SearchSummary` directly from the search's result object
(:meth:`~na62lab.analyses.kaon_searches_common.engine.SearchResult.summary`,
:meth:`~na62lab.analyses.pi0_invisible.Pi0InvisibleResult.summary`): typed
fields (masses in GeV; limits on the branching ratio, on |U|^2 or on
BR(K+ -> pi+ X); excluded couplings in the model's convention) plus the
untyped details of the record.  :meth:`SearchSummary.to_dict` is the JSON
boundary (the record written to ``<search>.json``, keys in
:data:`RECORD_ORDER`); :meth:`SearchSummary.from_dict` reads such a record
back.  :mod:`na62lab.results.search_report` consumes these objects only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["RECORD_ORDER", "ComparisonRow", "CouplingReading", "LimitCurve", "SearchSummary", "as_reading",
           "as_summary"]

RECORD_ORDER = ("search", "title", "quantity", "cl", "masses_gev", "observed_limit", "expected_limit",
                "expected_band_1sigma", "expected_band_2sigma", "max_local_significance", "global_significance",
                "global_method", "signal_events_limit", "lifetime_ns", "observed_events", "expected_background",
                "signal_per_br", "resolution", "resolution_unit", "window_efficiency", "observed_data", "k_pi_x",
                "assumptions", "published", "lifetime_model", "u2", "comparison", "exposure", "pbc")
"""Key order of the JSON record of a search (keys not listed follow, in their order)."""
_BLOCK_KEYS = ("quantity", "masses_gev", "observed_limit", "expected_limit", "expected_band_1sigma",
               "expected_band_2sigma")


def _floats(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=float)


@dataclass(frozen=True)
class LimitCurve:
    """Upper limits vs mass: masses (GeV), observed, expected median, +-1 and +-2 sigma bands (shape (n, 2))."""

    masses_gev: np.ndarray
    observed: np.ndarray
    expected: np.ndarray
    band_1sigma: np.ndarray
    band_2sigma: np.ndarray
    quantity: str = ""
    """What is bounded, as the record names it (e.g. ``BR upper limit``; empty: not recorded)."""
    extra: Mapping = field(default_factory=dict)
    """Further per-mass arrays of the block, written after the bands (e.g. ``br_per_u2``)."""

    @classmethod
    def from_block(cls, block: Mapping, masses_gev: Any = None, extra: Mapping | None = None) -> LimitCurve:
        """Read a limits block (``observed_limit``, ``expected_limit``, ``expected_band_*``; its own
        ``masses_gev`` or ``masses_gev`` given; ``quantity`` if present; ``extra`` arrays kept as given)."""
        return cls(_floats(block.get("masses_gev", masses_gev)), _floats(block["observed_limit"]),
                   _floats(block["expected_limit"]), _floats(block["expected_band_1sigma"]).reshape(-1, 2),
                   _floats(block["expected_band_2sigma"]).reshape(-1, 2), str(block.get("quantity") or ""),
                   dict(extra or {}))

    @classmethod
    def from_nested(cls, block: Mapping, masses_gev: Any) -> LimitCurve:
        """Read a block nested in a record (e.g. ``u2``) on the record's masses; its other keys become
        :attr:`extra`."""
        return cls.from_block(block, masses_gev, {k: v for k, v in block.items() if k not in _BLOCK_KEYS})

    @classmethod
    def from_bands(cls, masses_gev: Any, observed: Any, expected: Mapping, quantity: str = "",
                   extra: Mapping | None = None) -> LimitCurve:
        """From observed limits and a dict of expected limits ``median``, ``minus1``, ``plus1``, ``minus2``,
        ``plus2`` (the search results' layout)."""
        return cls(_floats(masses_gev), _floats(observed), _floats(expected["median"]),
                   np.stack([_floats(expected["minus1"]), _floats(expected["plus1"])], 1),
                   np.stack([_floats(expected["minus2"]), _floats(expected["plus2"])], 1), quantity,
                   dict(extra or {}))

    def to_block(self, masses: bool = True) -> dict:
        """The JSON-able block: ``quantity`` (if any), ``masses_gev`` (if ``masses``), limits, bands, extras."""
        head: dict[str, Any] = {"quantity": self.quantity} if self.quantity else {}
        if masses:
            head["masses_gev"] = self.masses_gev
        return {**head, "observed_limit": self.observed, "expected_limit": self.expected,
                "expected_band_1sigma": self.band_1sigma, "expected_band_2sigma": self.band_2sigma, **self.extra}


@dataclass(frozen=True)
class ComparisonRow:
    """Our limit at a published point of the card (mass GeV; quantity ``BR`` or ``U2``)."""

    mass_gev: float
    quantity: str
    observed: float
    expected: float
    published: float
    ratio_observed: float
    note: str

    @classmethod
    def from_dict(cls, row: Mapping) -> ComparisonRow:
        """Read a row of the summary's ``comparison`` list."""
        return cls(float(row["mass_gev"]), str(row["quantity"]), float(row["observed"]), float(row["expected"]),
                   float(row["published"]), float(row["ratio_observed"]), str(row.get("note") or ""))

    def to_dict(self) -> dict:
        """The JSON-able row."""
        return {"mass_gev": self.mass_gev, "quantity": self.quantity, "observed": self.observed,
                "expected": self.expected, "published": self.published, "ratio_observed": self.ratio_observed,
                "note": self.note}


@dataclass(frozen=True)
class CouplingReading:
    """Excluded coupling interval per mass of one PBC benchmark (NaN: nothing excluded at that mass).

    ``label`` names the curve in a legend (the search's title and the reading's source).
    """

    benchmark: str
    model: str
    coupling_name: str
    masses_gev: np.ndarray
    excluded_lower: np.ndarray
    excluded_upper: np.ndarray
    note: str = ""
    source: str = ""
    label: str = ""

    @classmethod
    def from_dict(cls, r: Mapping) -> CouplingReading:
        """Read a ``CouplingLimit.to_dict()`` record (plus optional ``source`` and ``search`` label).

        The coupling's name is read from ``coupling_name`` (README Conventions), or from ``coupling`` in
        records written before the key followed the convention.
        """
        name = r.get("coupling_name", r.get("coupling", ""))
        return cls(str(r["benchmark"]), str(r["model"]), str(name), _floats(r["masses_gev"]),
                   _floats(r["excluded_lower"]), _floats(r["excluded_upper"]), str(r.get("note", "")),
                   str(r.get("source", "")), str(r.get("search", "")))

    @classmethod
    def from_limit(cls, limit: Any, source: str) -> CouplingReading:
        """From a :class:`~na62lab.analyses.kaon_searches_common.interpretation.CouplingLimit` and where its
        input limits came from."""
        return cls.from_dict({**limit.to_dict(), "source": source})

    def to_dict(self) -> dict:
        """The JSON-able record (``CouplingLimit.to_dict()`` keys, then ``source`` if any; no legend label)."""
        out = {"benchmark": self.benchmark, "model": self.model, "coupling_name": self.coupling_name,
               "masses_gev": self.masses_gev, "excluded_lower": self.excluded_lower,
               "excluded_upper": self.excluded_upper, "note": self.note}
        if self.source:
            out["source"] = self.source
        return out


def as_reading(r: CouplingReading | Mapping) -> CouplingReading:
    """A :class:`CouplingReading` from itself or its dict record."""
    return r if isinstance(r, CouplingReading) else CouplingReading.from_dict(r)


@dataclass(frozen=True)
class SearchSummary:
    """One kaon-mode search as the report reads it.

    Attributes
    ----------
    search, title : str
        Search name (``na62lab.SEARCHES``) and title.
    limits : LimitCurve
        The search's limits (BR; for pi0 -> invisible, BR(pi0 -> invisible) at m_pi0).
    u2, k_pi_x : LimitCurve or None
        |U|^2 limits (HNL searches); the BR(K+ -> pi+ X) reading of pi0 -> invisible.
    max_local_significance, global_significance : float
    comparison : tuple of ComparisonRow
    assumptions : tuple of str
    readings : tuple of CouplingReading
        The PBC readings (empty without ``pbc``).
    pbc_notes : tuple of str
    projection : bool
        The observed limits are a projection (Poisson pseudo-data of a scaled exposure).
    lifetime_ns : float or None
    lifetime_model : str or None
        How the lifetime enters the acceptance (None: the search records none).
    pbc_source : str or None
        Where the PBC readings' input limits come from (None: no PBC block).
    details : dict
        The record's other entries (per-mass arrays, card inputs, notes), written as they are.
    """

    search: str
    title: str
    limits: LimitCurve
    u2: LimitCurve | None
    k_pi_x: LimitCurve | None
    max_local_significance: float
    global_significance: float
    comparison: tuple[ComparisonRow, ...]
    assumptions: tuple[str, ...]
    readings: tuple[CouplingReading, ...]
    pbc_notes: tuple[str, ...]
    projection: bool
    lifetime_ns: float | None
    lifetime_model: str | None
    pbc_source: str | None = None
    details: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_pi0_invisible(self) -> bool:
        """The pi0 -> invisible search (its limit is on BR(pi0 -> invisible); its figure is the K+ -> pi+ X
        reading)."""
        return self.search == "pi0-invisible"

    @property
    def quantity(self) -> str:
        """What :attr:`limits` bounds."""
        return "BR(pi0 -> invisible)" if self.is_pi0_invisible else "BR"

    @classmethod
    def from_dict(cls, s: Mapping) -> SearchSummary:
        """Read a JSON record of :meth:`to_dict` (a ``<search>.json`` file, or an older dict summary)."""
        pbc = s.get("pbc")
        u2 = s.get("u2")
        typed = {"search", "title", "max_local_significance", "global_significance", "lifetime_ns", "assumptions",
                 "comparison", "lifetime_model", "pbc", "u2", "k_pi_x", *_BLOCK_KEYS}
        return cls(str(s["search"]), str(s["title"]), LimitCurve.from_block(s),
                   LimitCurve.from_nested(u2, s["masses_gev"]) if u2 else None,
                   LimitCurve.from_block(s["k_pi_x"]) if s.get("k_pi_x") else None,
                   s["max_local_significance"], s["global_significance"],
                   tuple(ComparisonRow.from_dict(r) for r in s.get("comparison") or ()),
                   tuple(s.get("assumptions") or ()), tuple(as_reading(r) for r in (pbc or {}).get("readings", ())),
                   tuple((pbc or {}).get("notes", ())), s.get("exposure") is not None, s.get("lifetime_ns"),
                   s.get("lifetime_model"), None if pbc is None else str(pbc.get("source", "")),
                   {k: v for k, v in s.items() if k not in typed})

    def to_dict(self) -> dict:
        """The JSON-able record (the JSON boundary: ``<search>.json``, ``--json``), keys in :data:`RECORD_ORDER`."""
        rec = {"search": self.search, "title": self.title, **self.limits.to_block(),
               "max_local_significance": self.max_local_significance,
               "global_significance": self.global_significance, "lifetime_ns": self.lifetime_ns,
               "assumptions": list(self.assumptions), "comparison": [r.to_dict() for r in self.comparison],
               **self.details}
        optional = {"k_pi_x": None if self.k_pi_x is None else self.k_pi_x.to_block(),
                    "u2": None if self.u2 is None else self.u2.to_block(masses=False),
                    "lifetime_model": self.lifetime_model,
                    "pbc": None if self.pbc_source is None else {"readings": [r.to_dict() for r in self.readings],
                                                                  "notes": list(self.pbc_notes),
                                                                  "source": self.pbc_source}}
        rec.update({k: v for k, v in optional.items() if v is not None})
        rank = {k: i for i, k in enumerate(RECORD_ORDER)}
        return {k: rec[k] for k in sorted(rec, key=lambda k: rank.get(k, len(rank)))}


def as_summary(summary: SearchSummary | Mapping) -> SearchSummary:
    """A :class:`SearchSummary` from itself or from its JSON record (:meth:`SearchSummary.from_dict`)."""
    return summary if isinstance(summary, SearchSummary) else SearchSummary.from_dict(summary)
