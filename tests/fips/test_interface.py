"""FIP models are used only through the FIPModel interface: a model defined here gets every dump channel."""

import re
from pathlib import Path

import numpy as np
import pytest

from na62lab.analyses.beam_dump import sensitivity
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.fips import get_model, register
from na62lab.fips.base import DUMP_MECHANISMS, FIPModel

SRC = Path(__file__).resolve().parents[2] / "src" / "na62lab"
SMALL = load_card("na62_dump_2021", DumpCard).model_copy(
    update={"mc": DumpMC(n_fip=300, n_mass_nodes=5, n_z_bins=3, n_ctau_nodes=40, seed=11)})


def _load_copy():
    """The dark-photon clone of ``tests/data/user_models`` (a user's file outside the package)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "data" / "user_models" / "dark_photon_copy.py"
    spec = importlib.util.spec_from_file_location("dark_photon_copy_for_interface", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DarkPhotonCopy


class HiddenPhoton(_load_copy()):
    """A kinetically mixed vector written outside the package: the dark photon's physics by delegation."""

    name = "test-hidden-photon"
    coupling_name = "kappa"
    pbc_label = "BC1"
    default_coupling_range = FIPModel.default_coupling_range


pytestmark = pytest.mark.usefixtures("isolated_cache")


def test_no_model_name_tests_in_dump_production():
    """Issue 15 item 4: capabilities come from the model, never from its name."""
    files = list((SRC / "generation" / "dump").glob("*.py")) + [SRC / "yields" / "dump_grid.py"]
    offenders = [f.name for f in files if re.search(r"model\.name\s*(==|\.startswith)", f.read_text())]
    assert not offenders


def test_every_registered_model_declares_known_mechanisms_and_conventions():
    from na62lab.fips import model_names

    for name in model_names():
        model = get_model(name)
        assert set(model.dump_mechanisms) <= set(DUMP_MECHANISMS), name
        lo, hi = model.default_mass_range_gev
        assert 0 < lo < hi and model.default_coupling_range[0] < model.default_coupling_range[1]
    assert get_model("dark-photon").pbc_label == "BC1" and get_model("hnl-mu").pbc_label == "BC7"
    assert get_model("alp-photon").pbc_label == "BC9" and not get_model("dark-scalar").plot_coupling_squared


def test_the_beam_dump_model_table_is_what_the_models_declare():
    """analyses.beam_dump.MODELS must not drift from the models' own conventions (FIPModel.plane)."""
    from na62lab.analyses.beam_dump import MODELS

    for name, conventions in MODELS.items():
        assert get_model(name).plane() == conventions, name


def test_a_dark_photon_clone_defined_outside_the_package_gives_the_same_bc1_contour():
    register(HiddenPhoton.name, HiddenPhoton)
    kwargs = dict(mass_range_gev=(0.05, 0.6), coupling_range=(1e-8, 1e-3), workers=1)
    ours = sensitivity("dark-photon", SMALL, 8, 12, **kwargs)
    clone = sensitivity(HiddenPhoton.name, SMALL, 8, 12, **kwargs)
    assert ours.excluded_ranges, "the test grid must exclude something"
    assert clone.excluded_ranges == ours.excluded_ranges
    np.testing.assert_array_equal(clone.expected_events, ours.expected_events)
    assert set(clone.expected_events_by_mode_max) == set(ours.expected_events_by_mode_max)
