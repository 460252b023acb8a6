"""Base card model and the YAML loader shared by every card type.

Card errors are one line that a person can act on: the field (dotted path),
the bad value (cut short, never the whole card) and what is allowed, in
plain words; malformed YAML names its line and column; a binary or huge
file, or a card of another kind (a dump card given to a kaon command), is
named as such.  A user card that leaves fields out takes the built-in
defaults and says which, in one note on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from na62lab.errors import InputError

C = TypeVar("C", bound="Card")

MAX_CARD_BYTES = 5 * 1024**2
"""Largest card file read (bytes); real cards are a few kB."""
MAX_NOTE_FIELDS = 8


class Card(BaseModel):
    """Base class of all run cards: strict, immutable, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()


def _note_to_stderr(text: str) -> None:
    sys.stderr.write(f"na62lab: note: {text}\n")


note: Callable[[str], None] = _note_to_stderr
"""Where the defaults note goes (one line); replace to silence or capture it."""


def card_names() -> list[str]:
    """Names of the cards shipped as package data (without ``.yaml``)."""
    folder = resources.files("na62lab.config") / "cards"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def card_names_of(model: type[BaseModel]) -> list[str]:
    """Names of the shipped cards of one kind: those whose sections are all fields of ``model``."""
    fields = set(model.model_fields)
    return [n for n in card_names() if set(map(str, read_yaml(n))) <= fields]


def _is_shipped(source: str | Path) -> bool:
    path = Path(source)
    return path.suffix not in {".yaml", ".yml"} and not path.exists()


def _file_text(source: str | Path) -> str:
    """Text of a card file: refuses folders, unreadable, huge and binary files with one line."""
    path = Path(source)
    if not path.is_file():
        raise InputError("card", str(source), "an existing YAML file or a shipped card name")
    try:
        size = path.stat().st_size
        if size > MAX_CARD_BYTES:
            raise InputError("card", str(source), f"a YAML file under {MAX_CARD_BYTES // 1024**2} MB "
                             f"(this one has {size / 1024**2:.1f} MB)")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError("card", str(source), f"a readable YAML file ({exc.strerror or exc})") from None
    try:
        if b"\x00" in raw:
            raise UnicodeDecodeError("utf-8", raw, raw.index(b"\x00"), raw.index(b"\x00") + 1, "NUL byte")
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("card", str(source), f"a UTF-8 YAML text file (byte {exc.start} is binary)") from None


def read_yaml(source: str | Path) -> dict:
    """The mapping in a card file or shipped card (``source``: path or name); :class:`InputError` if not one."""
    if _is_shipped(source):
        if str(source) not in card_names():
            raise InputError("card", str(source), f"a YAML file or one of {', '.join(card_names())}")
        text = (resources.files("na62lab.config") / "cards" / f"{source}.yaml").read_text()
    else:
        text = _file_text(source)
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise InputError("card", str(source), f"valid YAML ({where}{exc.problem or exc.context})") from None
    except yaml.YAMLError as exc:
        raise InputError("card", str(source), f"valid YAML ({type(exc).__name__})") from None
    except RecursionError:
        raise InputError("card", str(source), "valid YAML (nesting too deep)") from None
    if not isinstance(data, dict):
        raise InputError("card", str(source), "a YAML mapping of field: value (one 'field: value' per line)")
    return data


_read_yaml = read_yaml


def _allowed(err: Any, model: type[BaseModel] | None, loc: tuple) -> str:
    """What pydantic's error allows, in plain words (never its raw sentence after 'allowed')."""
    kind, msg = err.get("type", ""), " ".join(str(err.get("msg", "")).split())
    if kind == "missing":
        return "a value: this field is required (see the shipped cards, na62lab.config.cards)"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "a section of 'field: value' lines"
    if kind == "extra_forbidden":
        fields = _fields_at(model, loc[:-1])
        return "one of the card's fields: " + ", ".join(fields) if fields else "no such field"
    for prefix in ("Input should be ", "Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
            break
    if msg.startswith(("greater", "less", "at least", "at most", "finite")):
        msg = "a value " + msg
    return msg


def _fields_at(model: type[BaseModel] | None, loc: tuple) -> list[str]:
    """Field names of the (sub)model at ``loc`` (empty if unknown)."""
    for part in loc:
        if model is None or not isinstance(part, str) or part not in model.model_fields:
            return []
        ann = model.model_fields[part].annotation
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return list(model.model_fields) if model is not None else []


def validation_to_input_error(exc: ValidationError, prefix: str = "",
                              model: type[BaseModel] | None = None) -> InputError:
    """Turn pydantic's first error into a one-line :class:`InputError` (field, value, what is allowed)."""
    errors = exc.errors()
    err = errors[0]
    loc = tuple(err["loc"])
    field = prefix + ".".join(str(p) for p in loc) if loc else prefix.rstrip(".")
    value = MISSING if err.get("type") == "missing" else err.get("input")
    plural = "s" if len(errors) > 2 else ""
    more = f" ({len(errors) - 1} more problem{plural} after this one)" if len(errors) > 1 else ""
    return InputError(field or "card", value, _allowed(err, model, loc) + more)


def _card_models() -> list[type[Card]]:
    """Every card model, after importing the config modules that define them."""
    import importlib
    import pkgutil

    import na62lab.config as package

    for info in pkgutil.iter_modules(package.__path__):
        try:
            importlib.import_module(f"na62lab.config.{info.name}")
        except ImportError:  # pragma: no cover - a module being written
            continue
    out, todo = [], list(Card.__subclasses__())
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo.extend(cls.__subclasses__())
    return out


def _check_kind(data: dict, model: type[C], source: str) -> None:
    """Refuse a card whose top-level sections are mostly another card kind's."""
    keys, known = set(map(str, data)), set(model.model_fields)
    if not keys - known or len(keys & known) * 2 > len(keys):
        return
    best = max(_card_models(), key=lambda m: len(keys & set(m.model_fields)) - len(set(m.model_fields) - keys) / 100)
    other = f"; it looks like a {best.__name__}" if best is not model and keys <= set(best.model_fields) else ""
    raise InputError("card", source, f"a {model.__name__} card (sections {', '.join(sorted(known)[:10])}); this "
                     f"one has {', '.join(sorted(keys)[:6])}{other}")


def defaulted_fields(data: dict, model: type[BaseModel], prefix: str = "") -> list[str]:
    """Dotted names of the fields of ``model`` that ``data`` leaves to their defaults (whole sections once).

    Examples
    --------
    >>> class A(Card):
    ...     x: int = 1
    ...     y: int = 2
    >>> defaulted_fields({"x": 5}, A)
    ['y']
    """
    out = []
    for name, info in model.model_fields.items():
        ann = info.annotation
        sub = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
        if name not in data:
            if not info.is_required():
                out.append(f"{prefix}{name}" + (" (whole section)" if sub else ""))
        elif sub is not None and isinstance(data[name], dict):
            out += defaulted_fields(data[name], sub, f"{prefix}{name}.")
    return out


def _shipped_fields(model: type[BaseModel]) -> set[str]:
    """Dotted fields that the shipped cards of kind ``model`` set explicitly."""
    key = model.__qualname__
    if key not in _SHIPPED:
        found: set[str] = set()
        for name in card_names():
            data = read_yaml(name)
            try:
                model.model_validate(data)
            except (ValidationError, RecursionError):
                continue
            found |= _all_fields(model) - {f.split(" ")[0] for f in defaulted_fields(data, model)}
        _SHIPPED[key] = found
    return _SHIPPED[key]


_SHIPPED: dict[str, set[str]] = {}


def _all_fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Dotted names of every field of ``model`` (sections and the fields inside them)."""
    out = set()
    for name, info in model.model_fields.items():
        out.add(prefix + name)
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out |= _all_fields(ann, f"{prefix}{name}.")
    return out


def _defaults_note(source: str | Path, data: dict, model: type[BaseModel]) -> None:
    """One note naming the fields a user card leaves to built-in defaults (those the shipped cards set first)."""
    defaults = defaulted_fields(data, model)
    if not defaults:
        return
    shipped = _shipped_fields(model)
    first = [d for d in defaults if d.split(" ")[0] in shipped]
    rest = len(defaults) - len(first)
    shown = ", ".join(first[:MAX_NOTE_FIELDS]) + (f" and {len(first) - MAX_NOTE_FIELDS} more"
                                                   if len(first) > MAX_NOTE_FIELDS else "")
    if first:
        note(f"card {source} leaves out {shown} (set in the shipped cards): built-in defaults used"
             + (f"; {rest} other fields also at their defaults" if rest else ""))


def load_card(source: str | Path, model: type[C]) -> C:
    """Load and validate a card.

    A card file (not a shipped card) that leaves out fields the shipped
    cards set gets one note on stderr naming them (see :data:`note`).

    Parameters
    ----------
    source : str or Path
        Path to a YAML file, or the name of a shipped card (see :func:`card_names`).
    model : type of Card
        The pydantic model to validate against.

    Raises
    ------
    InputError
        One line naming the field, the bad value and what is allowed.
    """
    if _is_shipped(source) and str(source) not in card_names():   # name the cards of this kind only
        kind = model.__name__.removesuffix("Card").lower()
        raise InputError("card", str(source), f"a YAML file or one of the shipped {kind} cards: "
                         + ", ".join(card_names_of(model)))
    data = read_yaml(source)
    _check_kind(data, model, str(source))
    card = parse_card(data, model, str(source))
    if not _is_shipped(source):
        _defaults_note(source, data, model)
    return card


def _other_kind(data: Any, model: type[BaseModel]) -> type[BaseModel] | None:
    """Another card model that ``data`` is a valid card of (to name a card of the wrong kind)."""
    if not isinstance(data, dict) or len(data) < 2:
        return None
    for other in _card_models():
        if other is model or not set(map(str, data)) <= set(other.model_fields):
            continue
        try:
            other.model_validate(data)
        except (ValidationError, RecursionError, TypeError, ValueError):
            continue
        return other
    return None


def parse_card(data: Any, model: type[C], source: str = "card") -> C:
    """Validate a mapping against ``model``, raising :class:`InputError` on failure."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        other = _other_kind(data, model) if len(exc.errors()) > 2 else None
        if other is not None:
            raise InputError("card", source, f"a {model.__name__} card; this is a {other.__name__} card "
                             "(a card of another kind)") from None
        raise validation_to_input_error(exc, model=model) from None
    except RecursionError:
        raise InputError("card", "<too deep>", "a card nested at most a few levels") from None
