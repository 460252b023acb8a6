"""A model-independent FIP given as a table: lifetime, decay and production branching ratios per mass.

YAML (``.yaml``/``.yml``)::

    name: my-vector
    coupling_name: g               # the coupling the table is scaled with
    coupling_power: 2              # widths and production BRs scale as coupling**coupling_power (1 or 2)
    reference_coupling: 1.0e-6     # the coupling at which ctau_m / width_gev and production_br are given
    spin: 1                        # 0, 0.5 or 1 (1: transversely polarised from meson decays and mixing)
    dump_mechanisms: [vector_meson_mixing, proton_bremsstrahlung]   # optional, see below
    mass_gev: [0.01, 0.02, ...]    # increasing
    ctau_m: [...]                  # c*tau at the reference coupling (or width_gev: [...])
    decay_br:                      # decay branching ratios per final state (sum <= 1; the rest is
      ee: [...]                    #   added to an invisible "other" channel)
      mumu: [...]
    rates_per_pot:                 # optional: FIPs per proton on target at the reference coupling
      primakoff: [...]             #   from a mechanism (proton_bremsstrahlung, primakoff, drell_yan); the
                                   #   built-in kinematics of that mechanism are used
    production_br:                 # BR(parent -> recoil X) at the reference coupling, per source
      "pi0->gammaX": [...]         #   (keys "parent->recoilsX"; parents pi0, eta, eta', omega, phi,
      "eta->gammaX": [...]         #   D+, D0, Ds+, B+, B0, K+, KL, pi+, ...; recoils gamma, pi0, eta,
                                   #   K, K*, Xs, pi+, e+, mu+, K-, D0, ...)

CSV: the same scalars as ``# key: value`` comment lines on top, then columns
``mass_gev``, ``ctau_m`` (or ``width_gev``), ``decay:<final state>``,
``prod:<channel>`` and ``rate:<mechanism>``.  Masses in GeV and c*tau in m at the user surface; the
model works internally in MeV and mm like every :class:`FIPModel`.  Keys other than those above
(:data:`KEYS`) are refused, so a misspelt key is an error rather than a silent default; CSV comment
lines that are not ``# key: value`` with a one-word key are ignored.  Every malformation is one
:class:`~na62lab.errors.InputError` line naming the file and the field.

Between table masses, widths are interpolated linearly in log(width) vs
log(mass) and branching ratios linearly in mass; outside the table the model
produces nothing (production BRs 0).  Mechanisms: ``primakoff`` uses the
table's ``gammagamma`` width; ``proton_bremsstrahlung``,
``vector_meson_mixing`` and ``drell_yan`` (q qbar -> V above the card's
``production.drell_yan_min_mass_gev``) assume that the FIP couples to the quark
electromagnetic current as a dark photon of kinetic mixing = coupling
(arXiv:1411.4007); ``pseudoscalar_mixing`` is not available for tables.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NoReturn

import numpy as np
from numpy.typing import ArrayLike

from na62lab.errors import InputError
from na62lab.fips.base import DUMP_MECHANISMS, FIPModel, check_mass
from na62lab.physics.units import GeV, hbarc, m as metre

__all__ = ["TableModel", "read_model_table"]

_TABLE_MECHANISMS = ("primakoff", "proton_bremsstrahlung", "vector_meson_mixing", "drell_yan")
_RATE_MECHANISMS = ("primakoff", "proton_bremsstrahlung", "drell_yan")


def _bad(path, field: str, value, allowed: str) -> NoReturn:
    field = "".join(c if c.isprintable() else repr(c)[1:-1] for c in f"{Path(path).name}: {field}")
    raise InputError(field, value, allowed)


KEYS = ("name", "coupling_name", "coupling_power", "reference_coupling", "spin", "pbc_label", "dump_mechanisms",
        "mass_gev", "ctau_m", "width_gev", "decay_br", "production_br", "rates_per_pot")
"""The keys a model table may have (YAML keys; CSV ``# key: value`` lines and columns)."""


def _scalar(path, field: str, value, allowed: str) -> float:
    """A finite number from a table scalar (bools and non-numbers refused)."""
    if isinstance(value, bool):
        _bad(path, field, value, allowed)
    try:
        x = float(value)
    except (TypeError, ValueError):
        _bad(path, field, str(value)[:40], allowed)
    if not np.isfinite(x):
        _bad(path, field, x, allowed)
    return x


def _mapping(path, field: str, value) -> dict:
    """A mapping section (``decay_br``, ``production_br``, ``rates_per_pot``); absent is empty."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        _bad(path, field, type(value).__name__, "a mapping: name -> one value per mass")
    return value


def _check_keys(path, data: dict) -> None:
    bad = [k for k in data if k not in KEYS]
    if bad:
        _bad(path, "key", str(bad[0])[:40], f"one of {', '.join(KEYS)}")


def _array(path, field: str, values, n: int | None) -> np.ndarray:
    if values is None:
        _bad(path, field, "missing", "a list of numbers" + (f", one per mass ({n})" if n else ""))
    try:
        if isinstance(values, (str, bytes, dict)) or any(
                isinstance(v, (bool, str, bytes)) for v in np.ravel(np.asarray(values, dtype=object))):
            raise TypeError("not numbers")
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError, OverflowError):
        _bad(path, field, str(values)[:40], "a list of numbers")
    if arr.ndim != 1 or (n is not None and arr.size != n):
        _bad(path, field, f"{arr.size} values", f"one value per mass ({n})")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        _bad(path, field, float(arr[~np.isfinite(arr) | (arr < 0)][0]), "finite numbers >= 0")
    return arr


class TableModel(FIPModel):
    """A FIP defined by a table (module docstring); build it with :func:`read_model_table`."""

    def __init__(self, data: dict, path: str = "<table>") -> None:
        self.path = str(path)
        if not isinstance(data, dict):
            _bad(path, "table", type(data).__name__, "a mapping of the keys " + ", ".join(KEYS))
        _check_keys(path, data)
        for key in ("name", "coupling_name", "pbc_label"):
            if data.get(key) is not None and not isinstance(data[key], (str, int, float)):
                _bad(path, key, type(data[key]).__name__, "a text")
        self.name = str(data.get("name") or Path(path).stem)
        self.coupling_name = str(data.get("coupling_name", "coupling"))
        power = _scalar(path, "coupling_power", data.get("coupling_power", 2), "1 or 2")
        if power not in (1.0, 2.0):
            _bad(path, "coupling_power", data.get("coupling_power"), "1 or 2")
        self.coupling_power = int(power)
        self.spin = _scalar(path, "spin", data.get("spin", 0), "0, 0.5 or 1")
        if self.spin not in (0.0, 0.5, 1.0):
            _bad(path, "spin", data.get("spin"), "0, 0.5 or 1")
        if data.get("reference_coupling") is None:
            _bad(path, "reference_coupling", "missing", "a number > 0 (the coupling the table is given at)")
        ref = _scalar(path, "reference_coupling", data["reference_coupling"], "a number > 0")
        if ref <= 0 or ref ** self.coupling_power <= 0:
            _bad(path, "reference_coupling", data.get("reference_coupling"), "a number > 0")
        self._scale = ref ** self.coupling_power
        self._mass = _array(path, "mass_gev", data.get("mass_gev"), None) * GeV
        if self._mass.size < 2 or np.any(np.diff(self._mass) <= 0) or self._mass[0] <= 0:
            _bad(path, "mass_gev", "not increasing", "at least two increasing masses > 0 (GeV)")
        self._width = self._widths(data, path)
        self._decay = {str(k): _array(path, f"decay_br[{k}]", v, self._mass.size)
                       for k, v in _mapping(path, "decay_br", data.get("decay_br")).items()}
        if not self._decay:
            _bad(path, "decay_br", "missing", "decay branching ratios per final state")
        total = np.asarray(sum(self._decay.values()))
        if np.any(total > 1 + 1e-6):
            _bad(path, "decay_br", f"sum {float(total.max()):.4g}", "branching ratios summing to <= 1")
        # the rest of the width is an invisible "other" channel (added to a tabulated "other")
        self._decay["other"] = self._decay.get("other", 0.0) + np.clip(1.0 - total, 0.0, None)
        self._production = self._productions(data, path)
        raw = data.get("dump_mechanisms") or ()
        mechanisms = (raw,) if isinstance(raw, str) else raw
        if not isinstance(mechanisms, (list, tuple)):
            _bad(path, "dump_mechanisms", str(raw)[:40], f"a list, some of {list(_TABLE_MECHANISMS)}")
        mechanisms = tuple(str(x) if isinstance(x, (str, int, float)) else repr(x)[:40] for x in mechanisms)
        bad = [x for x in mechanisms if x not in _TABLE_MECHANISMS]
        if bad:
            _bad(path, "dump_mechanisms", bad[0], f"some of {list(_TABLE_MECHANISMS)} "
                 f"(all mechanisms: {list(DUMP_MECHANISMS)})")
        self._rates = {}
        for key, values in _mapping(path, "rates_per_pot", data.get("rates_per_pot")).items():
            if key not in _RATE_MECHANISMS:
                _bad(path, "rates_per_pot", key, ", ".join(_RATE_MECHANISMS))
            self._rates[key] = _array(path, f"rates_per_pot[{key}]", values, self._mass.size)
        self.dump_mechanisms = mechanisms + tuple(k for k in self._rates if k not in mechanisms)
        self.decay_channels = tuple(self._decay)
        self.production_channels = tuple(self._production)
        self.default_mass_range_gev = (float(self._mass[0] / GeV), float(self._mass[-1] / GeV))
        self.valid_mass_gev = self.default_mass_range_gev
        self.valid_mass_note = ("the table's masses: outside them its widths are held at the edge value and it "
                                "produces nothing")
        self.pbc_label = data.get("pbc_label")

    def _widths(self, data: dict, path) -> np.ndarray:
        if "ctau_m" in data and "width_gev" in data:
            _bad(path, "width_gev", "given with ctau_m", "one of ctau_m (m) or width_gev (GeV)")
        if "ctau_m" in data:
            ctau = _array(path, "ctau_m", data["ctau_m"], self._mass.size) * metre
            if np.any(ctau <= 0):
                _bad(path, "ctau_m", 0.0, "c*tau > 0 (m)")
            return hbarc / ctau
        if "width_gev" in data:
            width = _array(path, "width_gev", data["width_gev"], self._mass.size) * GeV
            if np.any(width <= 0):
                _bad(path, "width_gev", 0.0, "widths > 0 (GeV)")
            return width
        _bad(path, "ctau_m", "missing", "ctau_m (m) or width_gev (GeV) at the reference coupling")

    def _productions(self, data: dict, path) -> dict[str, np.ndarray]:
        from na62lab.generation.dump.channels import parse_channel

        out = {}
        for key, values in _mapping(path, "production_br", data.get("production_br")).items():
            if parse_channel(str(key)) is None:
                _bad(path, "production_br", str(key)[:40], "keys 'parent->recoilsX' such as 'pi0->gammaX', "
                     "'B->KX', 'Ds+->mu+X'")
            br = _array(path, f"production_br[{key}]", values, self._mass.size)
            if np.any(br > 1):
                _bad(path, f"production_br[{key}]", float(br.max()), "branching ratios <= 1")
            out[str(key)] = br
        return out

    # ----------------------------------------------------------------- FIPModel
    def _total_width(self, m: np.ndarray) -> np.ndarray:
        lm = np.log(np.clip(m, self._mass[0], self._mass[-1]))
        return np.exp(np.interp(lm, np.log(self._mass), np.log(self._width))) / self._scale

    def reduced_widths(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """Partial widths / coupling**power (MeV): interpolated total width times the table BRs."""
        m = check_mass(mass)
        total = self._total_width(m)
        return {k: total * np.interp(m, self._mass, br) for k, br in self._decay.items()}

    def reduced_production(self, mass: ArrayLike) -> dict[str, np.ndarray]:
        """Production BRs / coupling**power per source channel; 0 outside the table's masses."""
        m = check_mass(mass)
        inside = (m >= self._mass[0]) & (m <= self._mass[-1])
        return {k: np.where(inside, np.interp(m, self._mass, br), 0.0) / self._scale
                for k, br in self._production.items()}

    def mechanism_rate(self, mechanism: str, mass: ArrayLike) -> np.ndarray | None:
        """Tabulated FIPs per POT / coupling**power of ``mechanism`` (None if not tabulated)."""
        if mechanism not in self._rates:
            return None
        m = check_mass(mass)
        inside = (m >= self._mass[0]) & (m <= self._mass[-1])
        return np.where(inside, np.interp(m, self._mass, self._rates[mechanism]), 0.0) / self._scale

    def vector_mixing(self, mass: ArrayLike, meson: str) -> np.ndarray:
        """Vector-meson mixing per coupling^2 as for a dark photon (arXiv:1411.4007; module docstring)."""
        from na62lab.fips.dark_photon import vector_meson_mixing

        return vector_meson_mixing(mass, meson)

    def drell_yan_couplings(self) -> dict[str, float]:
        """g_q^2 per coupling^2 as for a dark photon, 4 pi alpha Q_q^2 (module docstring); a
        ``rates_per_pot: drell_yan`` column replaces the rate (the card's threshold still applies)."""
        from na62lab.fips.dark_photon import DarkPhoton

        return DarkPhoton().drell_yan_couplings()


def _read_csv(path: Path) -> dict:
    header, rows = {}, []
    with path.open(newline="") as f:
        lines = [line for line in f if line.strip()]
    body = []
    for line in lines:
        if line.lstrip().startswith("#"):
            key, _, value = line.lstrip()[1:].partition(":")
            if value.strip() and key.strip().isidentifier():      # "# key: value"; other comments ignored
                header[key.strip()] = value.strip()
        else:
            body.append(line)
    reader = csv.DictReader(body)
    rows = list(reader)
    if not rows:
        _bad(path, "rows", 0, "a header line and one row per mass")
    names = [str(c).strip() for c in reader.fieldnames or []]
    if len(set(names)) != len(names):
        _bad(path, "columns", next(c for c in names if names.count(c) > 1), "each column once")
    for i, row in enumerate(rows, start=1):
        if None in row or any(v is None for v in row.values()):
            _bad(path, f"row {i}", "ragged", f"one value per column ({len(names)})")
    data: dict = dict(header)
    if "dump_mechanisms" in data:
        data["dump_mechanisms"] = [x.strip() for x in data["dump_mechanisms"].strip("[]").split(",") if x.strip()]
    for column in reader.fieldnames or []:
        try:
            values = [float(r[column]) for r in rows]
        except (TypeError, ValueError):
            _bad(path, f"column {column}", "non-numeric", "numbers in every row")
        column = column.strip()
        if column.split(":", 1)[0] in ("decay", "prod", "rate") and not column.split(":", 1)[-1]:
            _bad(path, f"column {column}", "no name", "decay:<final state>, prod:<channel>, rate:<mechanism>")
        if column.startswith("decay:"):
            data.setdefault("decay_br", {})[column[6:]] = values
        elif column.startswith("prod:"):
            data.setdefault("production_br", {})[column[5:]] = values
        elif column.startswith("rate:"):
            data.setdefault("rates_per_pot", {})[column[5:]] = values
        else:
            data[column] = values
    return data


def read_model_table(path: str | Path, **options) -> TableModel:
    """Read a model table (YAML or CSV, module docstring).  One-line :class:`InputError` if malformed."""
    path = Path(path)
    if options:
        raise InputError("options", sorted(options), "none: a table model takes no options")
    if not path.is_file():
        raise InputError("model table", str(path), "an existing .yaml, .yml or .csv file")
    try:
        if path.suffix.lower() == ".csv":
            data = _read_csv(path)
        else:
            import yaml

            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as exc:
                raise InputError("model table", str(path), f"valid YAML ({str(exc).splitlines()[0]})") from None
            if not isinstance(data, dict):
                raise InputError("model table", str(path), "a YAML mapping (name, mass_gev, ctau_m, decay_br, ...)")
        return TableModel(data, str(path))
    except InputError:
        raise
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError("model table", str(path), f"a UTF-8 text table ({type(exc).__name__})") from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError) as exc:
        # a malformation no specific check names: still one line (tests/fips/test_user_model_done.py fuzzes)
        why = str(exc).splitlines()[0][:80] if str(exc) else ""
        raise InputError("model table", str(path), f"a well-formed table (module na62lab.fips.table_model; "
                                                   f"{type(exc).__name__}: {why})") from None
