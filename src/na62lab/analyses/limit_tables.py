"""Published branching-ratio limit tables for :mod:`na62lab.analyses.recast`: readers and interpolation.

A table holds 90 % CL upper limits UL(m[, tau]) on BR(P+ -> d+ X) versus the X mass (MeV) and, for
some searches, the X proper lifetime (ns; one column per lifetime; :class:`LimitTable`).

Interpolation (:func:`interpolate`): log UL linear in mass, log UL linear in log tau between
columns; NaN outside the table's masses, the edge column outside its lifetimes (the extrapolation
with the search's lifetime acceptance there is :func:`na62lab.analyses.recast.limit_at`'s).

Readers: a HEPData table (YAML data file, or a ``submission.yaml`` with
``--table``), or a plain CSV (header row; first column the mass with its unit
MeV or GeV in the header; further columns the limits, their headers giving
the lifetime, e.g. ``tau=0.1ns``, ``prompt``, ``stable``; or three columns
mass, lifetime, limit).  HEPData layout: HEPData submission format,
hepdata-validator schema 1.1 (``independent_variables`` /
``dependent_variables``, ``header: {name, units}``, ``values: [{value}]`` or
``[{low, high}]``, ``qualifiers: [{name, value, units}]``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from na62lab.errors import InputError, require
from na62lab.physics.units import GeV, c_light, mm, ns

MASS_UNITS = {"kev": 1e-3, "mev": 1.0, "gev": 1e3}
TIME_UNITS = {"fs": 1e-6, "ps": 1e-3, "ns": 1.0, "us": 1e3, "s": 1e9}
LENGTH_UNITS = {"mm": 1.0, "cm": 10.0, "m": 1e3}
_LIFETIME_WORDS = ("tau", "lifetime", "ctau", "c tau", "c*tau")
_TAU_IN_TEXT = re.compile(r"(?:c\s*\*?\s*)?(?:tau|lifetime)[^=\d]*=?\s*([-+]?\d[\d.]*(?:e[-+]?\d+)?)\s*"
                          r"(fs|ps|ns|us|s|mm|cm|m)\b", re.IGNORECASE)


@dataclass
class LimitTable:
    """Published BR upper limits: masses (MeV) x lifetime columns (ns; None = one prompt/stable column)."""

    masses_mev: np.ndarray
    limits: np.ndarray
    lifetimes_ns: np.ndarray | None
    source: str
    cl: str = ""
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-able summary (masses in GeV, lifetimes in ns)."""
        return {"source": self.source, "cl": self.cl, "masses_gev": self.masses_mev / GeV,
                "lifetimes_ns": None if self.lifetimes_ns is None else self.lifetimes_ns,
                "limits": self.limits, "notes": self.notes}


# ------------------------------------------------------------------ units
def _unit_key(units: str) -> str:
    u = re.sub(r"[\s$\\{}]", "", (units or "").lower())
    u = re.sub(r"/c(\^?2|\*\*2)?$", "", u.strip("[]()"))
    return u


def mass_scale(units: str, where: str) -> float:
    """MeV per unit of a mass header (MeV, GeV, keV with optional /c^2)."""
    key = _unit_key(units)
    if key not in MASS_UNITS:
        raise InputError(f"{where} mass units", units, "MeV or GeV (optionally /c^2)")
    return MASS_UNITS[key]


def lifetime_ns(value, units: str, name: str, where: str) -> float:
    """A lifetime (or c tau) value with its units as a proper lifetime in ns (prompt 0, stable inf)."""
    text = str(value).strip().lower()
    if text in ("prompt", "0"):
        return 0.0
    if text in ("stable", "inf", "infinite", "invisible"):
        return float("inf")
    try:
        v = float(text)
    except ValueError:
        raise InputError(f"{where} lifetime", value, "a number, 'prompt' or 'stable'") from None
    key = _unit_key(units)
    if key in TIME_UNITS:
        return v * TIME_UNITS[key]
    if key in LENGTH_UNITS:                     # c tau given: tau = c tau / c
        return v * LENGTH_UNITS[key] * mm / c_light / ns
    raise InputError(f"{where} lifetime units", units, "fs, ps, ns, us, s (tau) or mm, cm, m (c tau)")


def _is_lifetime(name: str, units: str = "") -> bool:
    n = (name or "").lower()
    return any(w in n for w in _LIFETIME_WORDS) or _unit_key(units) in TIME_UNITS


def _number(v, where: str) -> float:
    if v is None or (isinstance(v, str) and v.strip() in ("", "-", "--", "nan")):
        return float("nan")
    try:
        return float(v)
    except (TypeError, ValueError):
        raise InputError(where, v, "a number") from None


# ------------------------------------------------------------------ HEPData
def _centres(var: dict, where: str) -> np.ndarray:
    out = []
    for v in var.get("values", []):
        if "value" in v:
            out.append(_number(v["value"], where))
        elif "low" in v and "high" in v:
            out.append(0.5 * (_number(v["low"], where) + _number(v["high"], where)))
        else:
            raise InputError(where, v, "{value: x} or {low: a, high: b}")
    return np.asarray(out, dtype=float)


def _column_lifetime(dep: dict, path: str) -> float | None:
    """Lifetime of a dependent variable from its qualifiers or its header name (None if not given)."""
    for q in dep.get("qualifiers", []) or []:
        if _is_lifetime(str(q.get("name", "")), str(q.get("units", ""))):
            return lifetime_ns(q.get("value"), str(q.get("units", "ns")), str(q.get("name")), path)
    name = str(dep.get("header", {}).get("name", ""))
    hit = _TAU_IN_TEXT.search(name)
    if hit:
        return lifetime_ns(hit.group(1), hit.group(2), name, path)
    low = name.lower()
    if "prompt" in low:
        return 0.0
    if "stable" in low:
        return float("inf")
    return None


def _is_expected(dep: dict) -> bool:
    text = str(dep.get("header", {}).get("name", "")).lower()
    text += " ".join(str(q.get("value", "")).lower() + str(q.get("name", "")).lower()
                     for q in dep.get("qualifiers", []) or [])
    return "expected" in text or "sigma" in text or "band" in text


def _cl(deps: list[dict]) -> str:
    for dep in deps:
        for q in dep.get("qualifiers", []) or []:
            if str(q.get("name", "")).strip().lower() in ("cl", "confidence level"):
                return str(q.get("value"))
    return ""


def _load_hepdata_doc(path: Path, table: str | None) -> tuple[dict, str]:
    from na62lab.config.base import MISSING

    docs = [d for d in yaml.safe_load_all(path.read_text()) if d]
    if len(docs) == 1 and "independent_variables" in docs[0]:
        require(table is None, "--table", table, "only with a HEPData submission.yaml (this file is one data table)")
        return docs[0], str(path)
    names = [d["name"] for d in docs if isinstance(d, dict) and "data_file" in d]
    require(bool(names), "limits", str(path), "a HEPData table (independent_variables, dependent_variables) "
                                             "or a submission.yaml listing data files")
    require(table is not None, "--table", MISSING, "a table name, required with a HEPData submission.yaml: "
                                                   f"one of {', '.join(names)}")
    match = [d for d in docs if isinstance(d, dict) and d.get("name") == table]
    require(bool(match), "--table", table, f"one of {', '.join(names)}")
    data_path = path.parent / match[0]["data_file"]
    require(data_path.is_file(), "data_file", str(data_path), "an existing file next to submission.yaml")
    return yaml.safe_load(data_path.read_text()), f"{path}:{table}"


def read_hepdata(path: str | Path, table: str | None = None) -> LimitTable:
    """A :class:`LimitTable` from a HEPData data file (or a submission with ``table``).

    One independent variable (mass) with one or more limit columns (lifetimes
    from qualifiers or header names), or two independent variables (mass and
    lifetime) with one limit column.  Columns named or qualified "expected"
    (and bands) are skipped when observed ones are present.
    """
    path = Path(path)
    try:
        doc, source = _load_hepdata_doc(path, table)
    except yaml.YAMLError as exc:
        raise InputError("limits", str(path), f"valid YAML ({str(exc).splitlines()[0]})") from None
    indep, deps = doc.get("independent_variables") or [], doc.get("dependent_variables") or []
    require(1 <= len(indep) <= 2 and len(deps) >= 1, "limits", source,
            "a table with 1-2 independent variables (mass[, lifetime]) and >= 1 dependent variable")
    kinds = ["lifetime" if _is_lifetime(v["header"].get("name", ""), v["header"].get("units", "")) else "mass"
             for v in indep]
    require(kinds.count("mass") == 1, "independent variables", [v["header"].get("name") for v in indep],
            "exactly one mass variable (units MeV or GeV) and optionally one lifetime variable")
    mvar = indep[kinds.index("mass")]
    masses = _centres(mvar, f"{source} mass") * mass_scale(mvar["header"].get("units", ""), source)
    observed = [d for d in deps if not _is_expected(d)]
    notes = [] if observed else ["only expected limits in the table: those are recast"]
    cols = observed or deps
    if len(indep) == 2:
        tvar = indep[kinds.index("lifetime")]
        tau_grid = np.array([lifetime_ns(v, tvar["header"].get("units", "ns"), tvar["header"].get("name", ""),
                                         source) for v in _centres(tvar, f"{source} lifetime")])
        vals = _centres(cols[0], f"{source} limit")
        return _pivot(masses, tau_grid, vals, source, _cl(deps), notes)
    taus = [_column_lifetime(d, source) for d in cols]
    if len(cols) > 1:
        require(all(t is not None for t in taus), "limit columns", [d["header"].get("name") for d in cols],
                "one lifetime per column (qualifier tau/lifetime with units, or 'tau=0.1 ns' in the header)")
    limits = np.stack([_centres(d, f"{source} limit") for d in cols], axis=1)
    lifetimes = None if len(cols) == 1 and taus[0] is None else np.asarray(taus, dtype=float)
    return _finish(masses, limits, lifetimes, source, _cl(deps), notes)


def _pivot(masses, taus, vals, source, cl, notes) -> LimitTable:
    require(masses.size == taus.size == np.size(vals), "limits", source,
            f"one limit per (mass, lifetime) row ({masses.size} masses, {taus.size} lifetimes, {np.size(vals)} limits)")
    um, ut = np.unique(masses), np.unique(taus)
    grid = np.full((um.size, ut.size), np.nan)
    grid[np.searchsorted(um, masses), np.searchsorted(ut, taus)] = vals
    return _finish(um, grid, ut, source, cl, notes)


def _finish(masses, limits, lifetimes, source, cl, notes) -> LimitTable:
    # a shorter limit column was an IndexError (exit 70), a repeated mass kept both rows
    require(limits.shape[0] == masses.size, "limits", source,
            f"one limit per mass ({masses.size} masses, {limits.shape[0]} limits)")
    require(np.unique(masses).size == masses.size, "limits masses", source, "distinct masses (one row each)")
    require(bool(masses.size >= 1 and np.all(np.isfinite(masses)) and np.all(masses >= 0)), "limits masses",
            masses.tolist()[:5], "finite masses >= 0")
    ok = np.isfinite(limits)
    require(bool(ok.any() and np.all(limits[ok] > 0)), "limit values", limits[ok][:5].tolist() if ok.any() else None,
            "positive BR upper limits")
    order = np.argsort(masses)
    masses, limits = masses[order], limits[order]
    if lifetimes is not None and lifetimes.size == 1 and lifetimes[0] in (0.0, np.inf):
        notes = notes + [f"the single column is for {'prompt' if lifetimes[0] == 0 else 'stable'} X"]
        lifetimes = None
    if lifetimes is not None:
        t_order = np.argsort(lifetimes)
        lifetimes, limits = lifetimes[t_order], limits[:, t_order]
        require(np.unique(lifetimes).size == lifetimes.size, "limit columns", lifetimes.tolist(),
                "distinct lifetimes")
    return LimitTable(masses, limits, lifetimes, source, cl, notes)


# ------------------------------------------------------------------ CSV
def read_csv(path: str | Path) -> LimitTable:
    """A :class:`LimitTable` from a plain CSV/whitespace table with a header row (module docstring)."""
    path = Path(path)
    lines = [ln for ln in path.read_text().splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    require(len(lines) >= 2, "limits", str(path), "a header row and at least one data row")
    delim = "," if "," in lines[0] else (";" if ";" in lines[0] else None)
    rows = list(csv.reader(lines, delimiter=delim)) if delim else [ln.split() for ln in lines]
    header = [h.strip() for h in rows[0]]
    data = np.array([[_number(x.strip(), f"{path} value") for x in r] for r in rows[1:] if len(r) == len(header)])
    require(data.shape[0] == len(rows) - 1, "limits rows", str(path), f"{len(header)} columns in every row")
    hit = re.search(r"(kev|mev|gev)", header[0], re.IGNORECASE)
    if hit is None:
        raise InputError("mass column header", header[0], "a name giving the unit, e.g. mass_MeV or m [GeV]")
    masses = data[:, 0] * mass_scale(hit.group(1), str(path))
    if len(header) == 3 and _is_lifetime(header[1]) and not _TAU_IN_TEXT.search(header[1]):
        unit = re.search(r"(fs|ps|ns|us|mm|cm|m|s)\b", header[1].replace("_", " ").lower())
        if unit is None:
            raise InputError("lifetime column header", header[1], "a unit, e.g. tau_ns or ctau [mm]")
        tau_grid = np.array([lifetime_ns(t, unit.group(1), header[1], str(path)) for t in data[:, 1]])
        return _pivot(masses, tau_grid, data[:, 2], str(path), "", [])
    taus = [_column_lifetime({"header": {"name": h}}, str(path)) for h in header[1:]]
    if len(taus) > 1:
        require(all(t is not None for t in taus), "limit column headers", header[1:],
                "a lifetime in each, e.g. 'tau=0.1ns', 'prompt', 'stable'")
    lifetimes = None if len(taus) == 1 and taus[0] is None else np.asarray(taus, dtype=float)
    return _finish(masses, data[:, 1:], lifetimes, str(path), "", [])


def read_limits(path: str | Path, table: str | None = None) -> LimitTable:
    """Read a limits file: HEPData YAML (``.yaml``/``.yml``) or plain CSV (anything else)."""
    p = Path(path)
    require(p.is_file(), "--limits", str(p), "an existing HEPData YAML or CSV file")
    csv_file = p.suffix.lower() not in (".yaml", ".yml")
    require(table is None or not csv_file, "--table", table, "only with a HEPData submission.yaml (this is a CSV)")
    return read_hepdata(p, table) if p.suffix.lower() in (".yaml", ".yml") else read_csv(p)


# ------------------------------------------------------------------ interpolation
def _interp_mass(table: LimitTable, masses: np.ndarray) -> np.ndarray:
    """log UL interpolated in mass per column, shape (M, L); NaN outside the table's masses."""
    out = np.full((masses.size, table.limits.shape[1]), np.nan)
    for j in range(table.limits.shape[1]):
        ok = np.isfinite(table.limits[:, j])
        if ok.sum() == 1:
            out[:, j] = np.where(np.isclose(masses, table.masses_mev[ok][0]), np.log(table.limits[ok, j][0]), np.nan)
        elif ok.any():
            mm_, ll = table.masses_mev[ok], np.log(table.limits[ok, j])
            out[:, j] = np.where((masses >= mm_[0]) & (masses <= mm_[-1]), np.interp(masses, mm_, ll), np.nan)
    return out


def interpolate(table: LimitTable, masses_mev, lifetimes_ns=None) -> np.ndarray:
    """UL at masses (MeV) and lifetimes (ns) inside the table (log-linear; module docstring).

    ``lifetimes_ns`` broadcasts against ``masses_mev[:, None]``; outside the
    lifetime columns the edge column is returned (see :func:`limit_at` for
    the extrapolation with the decay probability).
    """
    masses = np.atleast_1d(np.asarray(masses_mev, dtype=float))
    logs = _interp_mass(table, masses)
    if table.lifetimes_ns is None:
        return np.exp(logs[:, 0]) if lifetimes_ns is None else np.exp(logs[:, :1] + 0 * np.asarray(lifetimes_ns))
    tau = np.broadcast_to(np.asarray(lifetimes_ns, dtype=float), np.broadcast_shapes(
        np.shape(lifetimes_ns), (masses.size, 1)))
    x_cols = _log_tau(table.lifetimes_ns)
    x = np.clip(_log_tau(tau), x_cols[0], x_cols[-1])
    out = np.empty(tau.shape)
    for i in range(masses.size):
        ok = np.isfinite(logs[i])
        out[i] = np.exp(np.interp(x[i], x_cols[ok], logs[i, ok])) if ok.any() else np.nan
    return out


def _log_tau(t) -> np.ndarray:
    """log10 of lifetimes (ns) with 0 -> -30 and inf -> +30 so that prompt/stable columns sort at the ends."""
    t = np.asarray(t, dtype=float)
    with np.errstate(divide="ignore"):
        return np.clip(np.log10(np.where(t > 0, t, 1e-300)), -30.0, 30.0)
