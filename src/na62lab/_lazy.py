"""Lazy attributes for package namespaces (PEP 562): import a submodule only when a name is used.

Keeps ``import na62lab`` (and the package ``__init__`` files that use it) cheap and free of
side effects: numba, matplotlib and the model registry are imported only by code that needs them.

Examples
--------
>>> getattr_, dir_ = lazy_attributes("demo", {"sqrt": ("math", "sqrt")}, [])
>>> getattr_("sqrt")(4.0)
2.0
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_attributes(package: str, names: dict[str, tuple[str, str]],
                    eager: list[str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Module-level ``__getattr__`` and ``__dir__`` resolving ``names`` on first use.

    Parameters
    ----------
    package : str
        The package's ``__name__`` (for the error message).
    names : dict
        Public name -> (module path, attribute in that module).
    eager : list of str
        Names the package defines itself (listed by ``__dir__``).

    Returns
    -------
    (__getattr__, __dir__) : callables
        To be assigned at module level in the package.
    """

    def __getattr__(name: str) -> Any:
        try:
            module, attribute = names[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        return getattr(importlib.import_module(module), attribute)

    def __dir__() -> list[str]:
        return sorted(set(eager) | set(names))

    return __getattr__, __dir__
