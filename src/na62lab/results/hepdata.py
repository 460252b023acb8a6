"""HEPData-format YAML tables (https://hepdata.net/submission, "data file" format).

A table has independent variables (e.g. mass) and dependent variables (e.g.
observed and expected limits), each with a header ``{name, units}`` and a list
of values; a dependent value may carry symmetric or asymmetric errors and a
dependent variable may carry qualifiers (e.g. ``CL: 90%``).  Files are written
atomically; ``submission.yaml`` indexes the tables of a folder.

Examples
--------
>>> t = hepdata_table({"name": "m_X", "units": "MeV", "values": [100.0, 200.0]},
...                   [{"name": "BR upper limit", "units": "", "values": [1e-11, 2e-11],
...                     "qualifiers": {"CL": "90%"}}])
>>> t["independent_variables"][0]["values"][1]
{'value': 200.0}
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from na62lab.errors import require
from na62lab.results.io import atomic_write_text

_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter with PyYAML's safe representer when PyYAML was built with it (about four times
faster), else the pure-Python one.  The same text as :class:`yaml.SafeDumper` for ASCII content (every
file ``reproduce`` writes); a long string with non-ASCII characters is folded at other places but loads
back the same (checked in tests/results/test_hepdata.py)."""


def _value(v: Any, err: Any = None) -> dict:
    out: dict[str, Any] = {"value": float(v) if np.isfinite(v) else str(v)}
    if err is None:
        return out
    if np.ndim(err) == 0:
        out["errors"] = [{"symerror": float(err)}]
    else:
        lo, hi = err
        out["errors"] = [{"asymerror": {"minus": -abs(float(lo)), "plus": abs(float(hi))}}]
    return out


def _user_name(name: str) -> str:
    """Variable names as users read them: internal coupling names (``inv_fG_GeV^-1``) replaced."""
    from na62lab.results.style import coupling_text

    for internal in ("inv_fG_GeV^-1", "g_agg_GeV^-1"):
        name = name.replace(internal, coupling_text(internal))
    return name


def _units(name: str, units: str) -> str:
    """``units`` if given, else the unit in brackets of a coupling's user name (``1/f_G [GeV^-1] lower
    edge`` -> ``GeV^-1``): HEPData readers take units from the header's ``units``, which was empty for the
    g_agg and 1/f_G edges."""
    match = re.search(r"\[([^\]]+)\]", name)
    return units or (match.group(1) if match else "")


def hepdata_table(independent: dict, dependent: list[dict]) -> dict:
    """A HEPData table as a dict.

    Parameters
    ----------
    independent : dict
        ``{"name", "units", "values"}`` of the independent variable.
    dependent : list of dict
        Each ``{"name", "units", "values"}`` plus optional ``"errors"``
        (one per value: a number or a (minus, plus) pair) and ``"qualifiers"``
        (a dict of name -> value).
    """
    n = len(independent["values"])
    deps = []
    for dep in dependent:
        require(len(dep["values"]) == n, f"dependent {dep['name']!r}", len(dep["values"]), f"{n} values")
        errors = dep.get("errors") or [None] * n
        name = _user_name(dep["name"])
        deps.append({"header": {"name": name, "units": _units(name, dep.get("units", ""))},
                     "qualifiers": [{"name": k, "value": v} for k, v in dep.get("qualifiers", {}).items()],
                     "values": [_value(v, e) for v, e in zip(dep["values"], errors)]})
    return {"independent_variables": [{"header": {"name": independent["name"], "units": independent.get("units", "")},
                                       "values": [_value(v) for v in independent["values"]]}],
            "dependent_variables": deps}


def write_hepdata(folder: str | Path, tables: dict[str, tuple[str, dict]],
                  provenance: dict | None = None) -> list[Path]:
    """Write tables, their ``submission.yaml`` index and ``provenance.json`` into ``folder``.

    The submission's comment states the na62lab version, commit and date; the full provenance
    block (:func:`na62lab.results.provenance.provenance`) is the additional resource
    ``provenance.json``.  The format is checked in the tests with hepdata-validator.

    Parameters
    ----------
    folder : str or Path
        Output folder (created).
    tables : dict
        ``file stem -> (description, table dict from hepdata_table)``.
    provenance : dict, optional
        Provenance block (default: :func:`~na62lab.results.provenance.provenance` of now).

    Returns
    -------
    list of Path
        The files written.
    """
    from na62lab.results.io import write_json
    from na62lab.results.provenance import provenance as make_provenance

    folder = Path(folder)
    prov = provenance or make_provenance()
    written, index = [], []
    for stem, (description, table) in tables.items():
        name = f"{stem}.yaml"
        written.append(atomic_write_text(folder / name, yaml.dump(table, Dumper=_DUMPER, sort_keys=False)))
        index.append({"name": stem, "description": description, "data_file": name,
                      "keywords": [{"name": "observables", "values": ["LIMIT"]}]})
    written.append(write_json(folder / "provenance.json", prov))
    comment = (f"Produced by na62lab {prov['na62lab_version']} (commit {prov['git_commit'] or 'unknown'}, "
               f"{prov['date_utc']}): approximate reproduction, see the table descriptions and provenance.json.")
    docs = [{"comment": comment, "additional_resources": [
        {"location": "provenance.json", "description": "na62lab provenance: version, commit, date, "
                                                       "packages, cards (SHA-256), seeds, exposure"}]}] + index
    written.append(atomic_write_text(folder / "submission.yaml", yaml.dump_all(docs, Dumper=_DUMPER, sort_keys=False)))
    return written
