"""Typed summary of a kaon-mode search: what the presentation layer reads.

:func:`na62lab.analyses.kaon_searches.run_search` returns the JSON-able
record written to ``<search>.json``; :meth:`SearchSummary.from_dict` reads
it into typed fields (masses in GeV; limits on the branching ratio, on
|U|^2 or on BR(K+ -> pi+ X); excluded couplings in the model's convention)
and :meth:`SearchSummary.to_dict` gives the record back unchanged, so the
written files do not depend on the typing.  :mod:`na62lab.results.search_report`
consumes these objects only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["ComparisonRow", "CouplingReading", "LimitCurve", "SearchSummary", "as_reading", "as_summary"]


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

    @classmethod
    def from_block(cls, block: Mapping, masses_gev: Any = None) -> LimitCurve:
        """Read a limits block (``observed_limit``, ``expected_limit``, ``expected_band_*``; its own
        ``masses_gev`` or ``masses_gev`` given)."""
        return cls(_floats(block.get("masses_gev", masses_gev)), _floats(block["observed_limit"]),
                   _floats(block["expected_limit"]), _floats(block["expected_band_1sigma"]).reshape(-1, 2),
                   _floats(block["expected_band_2sigma"]).reshape(-1, 2))


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


@dataclass(frozen=True)
class CouplingReading:
    """Excluded coupling interval per mass of one PBC benchmark (NaN: nothing excluded at that mass).

    ``label`` names the curve in a legend (the search's title and the reading's source).
    """

    benchmark: str
    model: str
    coupling: str
    masses_gev: np.ndarray
    excluded_lower: np.ndarray
    excluded_upper: np.ndarray
    note: str = ""
    source: str = ""
    label: str = ""

    @classmethod
    def from_dict(cls, r: Mapping) -> CouplingReading:
        """Read a ``CouplingLimit.to_dict()`` record (plus optional ``source`` and ``search`` label)."""
        return cls(str(r["benchmark"]), str(r["model"]), str(r.get("coupling", "")), _floats(r["masses_gev"]),
                   _floats(r["excluded_lower"]), _floats(r["excluded_upper"]), str(r.get("note", "")),
                   str(r.get("source", "")), str(r.get("search", "")))


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
        The observed limits are a projection (Poisson pseudo-data).
    lifetime_ns : float or None
    lifetime_model : str
    record : dict
        The JSON-able record this was read from (:meth:`to_dict`).
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
    lifetime_model: str
    record: dict = field(repr=False, compare=False)

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
        """Read the JSON-able summary of :func:`~na62lab.analyses.kaon_searches.run_search`."""
        pbc = s.get("pbc") or {}
        observed = s.get("observed")
        note = observed.get("note", "") if isinstance(observed, Mapping) else ""
        lifetime = s.get("lifetime_ns")
        return cls(str(s["search"]), str(s["title"]), LimitCurve.from_block(s),
                   LimitCurve.from_block(s["u2"], s["masses_gev"]) if s.get("u2") else None,
                   LimitCurve.from_block(s["k_pi_x"]) if s.get("k_pi_x") else None,
                   float(s["max_local_significance"]), float(s["global_significance"]),
                   tuple(ComparisonRow.from_dict(r) for r in s.get("comparison") or ()),
                   tuple(s.get("assumptions") or ()), tuple(as_reading(r) for r in pbc.get("readings", ())),
                   tuple(pbc.get("notes", ())), str(note).startswith("projection"),
                   None if lifetime is None else float(lifetime), str(s.get("lifetime_model") or ""), dict(s))

    def to_dict(self) -> dict:
        """The JSON-able record (exactly the summary this was read from)."""
        return dict(self.record)


def as_summary(summary: SearchSummary | Mapping) -> SearchSummary:
    """A :class:`SearchSummary` from itself or from the dict of :func:`~na62lab.analyses.kaon_searches.run_search`."""
    return summary if isinstance(summary, SearchSummary) else SearchSummary.from_dict(summary)
