"""User models: a FIPModel class in the user's file, an installed plug-in, or a model-independent table.

:func:`resolve_model` turns a model *spec* into a :class:`~na62lab.fips.base.FIPModel`:

- a registered name (``dark-photon``, ``hnl-mu``, names added with :func:`na62lab.fips.register`);
- ``path/to/file.py:ClassName``: the class is loaded from the user's file;
- ``package.module:ClassName``: the class is imported from an installed module;
- a name published by an installed plug-in under the entry-point group ``na62lab.models``
  (the entry point is a class or a factory returning a FIPModel);
- ``path/to/table.yaml`` / ``.yml`` / ``.csv``: a model-independent table
  (:mod:`na62lab.fips.table_model`).

The same spec works in every command that takes ``--model`` (dump sensitivity,
kaon-mode recast) and in worker processes, which resolve it again.
:func:`model_fingerprint` hashes the file behind a spec, so cached efficiency
tables are rebuilt when the user edits the model.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from importlib.metadata import entry_points
from pathlib import Path

from na62lab.errors import InputError
from na62lab.fips.base import FIPModel

__all__ = ["resolve_model", "model_fingerprint", "is_user_spec", "ENTRY_POINT_GROUP"]

ENTRY_POINT_GROUP = "na62lab.models"
"""Entry-point group of installed model plug-ins (name -> FIPModel class or factory)."""
TABLE_SUFFIXES = (".yaml", ".yml", ".csv")


def is_user_spec(spec: str) -> bool:
    """Whether ``spec`` names a file, a module class or a table rather than a registered name."""
    return ":" in spec or Path(spec).suffix.lower() in TABLE_SUFFIXES


def _load_file_class(path: Path, class_name: str):
    if not path.is_file():
        raise InputError("model", f"{path}:{class_name}", "an existing Python file: path/to/file.py:ClassName")
    key = "na62lab_user_model_" + hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, path)
        if spec is None or spec.loader is None:
            raise InputError("model", f"{path}:{class_name}", "a Python source file (.py): path/to/file.py:ClassName")
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # noqa: BLE001 - a user file may raise anything; report it on one line
            raise InputError("model", str(path), f"a Python file that imports cleanly "
                             f"({type(exc).__name__}: {exc})") from None
        sys.modules[key] = module
    return getattr(sys.modules[key], class_name, None)


def _load_module_class(module_name: str, class_name: str):
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise InputError("model", f"{module_name}:{class_name}", f"an importable module ({exc})") from None
    return getattr(module, class_name, None)


def _instantiate(obj, spec: str, options: dict) -> FIPModel:
    if obj is None:
        raise InputError("model", spec, "an existing class: path/to/file.py:ClassName or module:ClassName")
    try:
        model = obj(**options)
    except TypeError as exc:
        raise InputError("options", sorted(options), f"options accepted by {spec} ({exc})") from None
    if not isinstance(model, FIPModel):
        raise InputError("model", spec, "a subclass of na62lab.fips.base.FIPModel (or a factory returning one)")
    for attr in ("name", "coupling_name"):
        if not isinstance(getattr(model, attr, None), str):
            raise InputError("model", spec, f"a FIPModel with a string attribute {attr!r}")
    return model


def _entry_point(name: str):
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            return ep.load()
    return None


def plugin_names() -> list[str]:
    """Model names published by installed plug-ins (entry-point group ``na62lab.models``)."""
    return sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))


def resolve_model(spec: str, **options) -> FIPModel:
    """The FIP model named by ``spec`` (module docstring), built with ``options``.

    Raises
    ------
    InputError
        One line naming the spec and what is allowed: unknown name, missing file or
        class, a class that is not a FIPModel, or a malformed table.
    """
    from na62lab.fips import _FACTORIES, model_names

    if spec in _FACTORIES or spec in model_names():
        return _instantiate(_FACTORIES[spec], spec, options)
    if Path(spec).suffix.lower() in TABLE_SUFFIXES:
        from na62lab.fips.table_model import read_model_table

        return read_model_table(spec, **options)
    if ":" in spec:
        where, class_name = spec.rsplit(":", 1)
        obj = (_load_file_class(Path(where), class_name) if where.endswith(".py")
               else _load_module_class(where, class_name))
        return _instantiate(obj, spec, options)
    obj = _entry_point(spec)
    if obj is not None:
        return _instantiate(obj, spec, options)
    raise InputError("model", spec, f"one of {', '.join(model_names() + plugin_names())}, "
                     "path/to/file.py:ClassName, module:ClassName or a model table (.yaml, .csv)")


def model_fingerprint(spec: str) -> str:
    """SHA-1 of the file behind a user spec ("" for registered names and installed modules)."""
    if not is_user_spec(spec):
        return ""
    where = spec.rsplit(":", 1)[0] if ":" in spec and Path(spec).suffix.lower() not in TABLE_SUFFIXES else spec
    path = Path(where)
    return hashlib.sha1(path.read_bytes()).hexdigest() if path.is_file() else ""
