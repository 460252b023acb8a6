"""Key names of the kaon fast-simulation JSON records, and the one reader of records written by older versions.

The records are the summary of ``na62lab simulate kaon`` (``--json``, ``--out``/``summary.json``,
:func:`na62lab.yields.kaon_tally.summary`) and the files ``na62lab reproduce`` writes under ``kaon_sim/``
(``backgrounds.json``, ``kaon_sim_summary.json`` with the comparison rows of
:func:`na62lab.analyses.kaon_sim.comparison`).  Their keys follow README "Conventions": snake_case, a result's
uncertainty ``<quantity>_err`` (symmetric) or ``<quantity>_err_up``/``_err_down`` (asymmetric, both >= 0), units
as suffixes (``_gev2``: GeV^2/c^4).  Versions up to e8c2f94 wrote ``*_error``, uppercase ``R1``/``R2``, the
upstream background's ``up``/``down`` and a comparison row's ``published_error`` (one number or ``[up, down]``);
:func:`current_keys` maps such a record onto today's keys so that a result folder written by an older version
still renders the same report (the numbers are never touched).
"""

from __future__ import annotations

from typing import Any

RENAMED: dict[str, str] = {
    "acceptance_pinunu_error": "acceptance_pinunu_err",
    "acceptance_pipi_error": "acceptance_pipi_err",
    "mmiss2_resolution_error_gev2": "mmiss2_resolution_pipi_err_gev2",
    "R1": "r1",
    "R2": "r2",
    "stat_error": "stat_err",
}
"""Old key -> current key, wherever it occurs in a kaon record (summary, background rows, comparison rows)."""

UPSTREAM_RENAMED: dict[str, str] = {"up": "total_err_up", "down": "total_err_down"}
"""Old -> current keys of the upstream background row (``backgrounds.upstream``: NA62's data-driven estimate)."""


def published_err(error: float | list[float] | tuple[float, float] | None) -> dict[str, float | None]:
    """A published uncertainty (one number, ``(up, down)`` or None) as the row keys ``published_err_up``/``_down``.

    >>> published_err(0.29e-12)["published_err_down"], published_err((0.33, 0.27)), published_err(None)
    (2.9e-13, {'published_err_up': 0.33, 'published_err_down': 0.27}, {'published_err_up': None, \
'published_err_down': None})
    """
    if error is None:
        return {"published_err_up": None, "published_err_down": None}
    if isinstance(error, (list, tuple)):
        up, down = error
        return {"published_err_up": float(up), "published_err_down": float(down)}
    return {"published_err_up": float(error), "published_err_down": float(error)}


def published_error_pair(row: dict) -> tuple[float, float] | None:
    """The ``(up, down)`` published uncertainty of a comparison row (None when unknown), for
    :func:`na62lab.results.ratio_pull.error_text` and :func:`~na62lab.results.ratio_pull.pull`.

    >>> published_error_pair({"published_err_up": 0.03, "published_err_down": 0.03}), published_error_pair({})
    ((0.03, 0.03), None)
    """
    up, down = row.get("published_err_up"), row.get("published_err_down")
    return None if up is None or down is None else (up, down)


def current_keys(record: Any) -> Any:
    """A kaon record (any part of it: summary, ``backgrounds``, comparison rows) with today's keys.

    Renames the keys of :data:`RENAMED` at any depth, ``up``/``down`` of the upstream row
    (:data:`UPSTREAM_RENAMED`) and splits a comparison row's ``published_error`` into ``published_err_up`` and
    ``published_err_down`` (:func:`published_err`).  Values are copied unchanged; a record already in today's
    keys comes back equal.

    >>> current_keys({"backgrounds": {"pipi0": {"R1": 0.1, "stat_error": 0.02},
    ...                               "upstream": {"total": 7.4, "up": 2.1, "down": 1.8}}})
    {'backgrounds': {'pipi0': {'r1': 0.1, 'stat_err': 0.02}, 'upstream': {'total': 7.4, 'total_err_up': 2.1, \
'total_err_down': 1.8}}}
    """
    if isinstance(record, list):
        return [current_keys(v) for v in record]
    if not isinstance(record, dict):
        return record
    out: dict = {}
    for key, value in record.items():
        if key == "published_error":
            out.update(published_err(value))
        elif key == "upstream" and isinstance(value, dict):
            out[key] = {UPSTREAM_RENAMED.get(k, k): v for k, v in value.items()}
        else:
            out[RENAMED.get(key, key)] = current_keys(value)
    return out


__all__ = ["RENAMED", "UPSTREAM_RENAMED", "current_keys", "published_err", "published_error_pair"]
