"""Run the docstring examples of the FIP modules (user-model example included)."""

import doctest
import importlib

import pytest

MODULES = ["na62lab.fips", "na62lab.fips.base", "na62lab.fips.dark_photon", "na62lab.fips.alp", "na62lab.fips.hnl"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
