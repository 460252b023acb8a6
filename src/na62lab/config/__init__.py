"""Run cards: pydantic models, YAML loading, the shipped NA62 cards.

Each stage defines its own card model in a module of this package (for example
``na62lab.config.pinunu``); :func:`load_card` reads a YAML file or a shipped
card by name and validates it, turning pydantic's errors into one-line
:class:`~na62lab.errors.InputError` messages.
"""

from na62lab.config.base import Card, card_names, load_card

__all__ = ["Card", "card_names", "load_card"]
