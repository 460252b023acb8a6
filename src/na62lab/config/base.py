"""Base card model and the YAML loader shared by every card type."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from na62lab.errors import InputError

C = TypeVar("C", bound="Card")


class Card(BaseModel):
    """Base class of all run cards: strict, immutable, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


def card_names() -> list[str]:
    """Names of the cards shipped as package data (without ``.yaml``)."""
    folder = resources.files("na62lab.config") / "cards"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _read_yaml(source: str | Path) -> dict:
    path = Path(source)
    if path.suffix not in {".yaml", ".yml"} and not path.exists():
        if str(source) not in card_names():
            raise InputError("card", str(source), f"a YAML file or one of {card_names()}")
        text = (resources.files("na62lab.config") / "cards" / f"{source}.yaml").read_text()
    elif not path.is_file():
        raise InputError("card", str(source), "an existing YAML file")
    else:
        text = path.read_text()
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError("card", str(source), f"valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise InputError("card", str(source), "a YAML mapping of field: value")
    return data


def validation_to_input_error(exc: ValidationError, prefix: str = "") -> InputError:
    """Turn the first pydantic error into a one-line :class:`InputError`."""
    err = exc.errors()[0]
    field = prefix + ".".join(str(p) for p in err["loc"]) if err["loc"] else prefix.rstrip(".")
    return InputError(field or "card", err.get("input"), err["msg"].replace("\n", " "))


def load_card(source: str | Path, model: type[C]) -> C:
    """Load and validate a card.

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
    data = _read_yaml(source)
    return parse_card(data, model)


def parse_card(data: dict, model: type[C]) -> C:
    """Validate a mapping against ``model``, raising :class:`InputError` on failure."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_to_input_error(exc) from None
