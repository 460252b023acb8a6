"""Run the docstring examples of every na62lab module."""

import doctest
import importlib
import pkgutil

import pytest

import na62lab

MODULES = sorted(m.name for m in pkgutil.walk_packages(na62lab.__path__, "na62lab.")
                 if not m.name.startswith("na62lab.cli"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
