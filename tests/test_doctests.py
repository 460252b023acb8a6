"""Run the docstring examples of every na62lab module (the one doctest mechanism of the test suite)."""

import doctest
import importlib
import pkgutil

import pytest

import na62lab

MODULES = sorted(m.name for m in pkgutil.walk_packages(na62lab.__path__, "na62lab."))

MUST_HAVE_EXAMPLES = ["na62lab.fips", "na62lab.fips.base", "na62lab.fips.dark_photon", "na62lab.fips.alp",
                      "na62lab.fips.hnl"]
"""Modules whose examples document the public API (user-model example included): they must keep them."""

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
    if name in MUST_HAVE_EXAMPLES:
        assert result.attempted > 0, f"{name} lost its docstring examples"


def test_required_modules_exist():
    assert set(MUST_HAVE_EXAMPLES) <= set(MODULES)
