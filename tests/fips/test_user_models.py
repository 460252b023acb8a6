"""User models: file.py:Class specs, model-independent tables, one-line errors, same contours."""

import textwrap
from pathlib import Path

import numpy as np
import pytest
import yaml

from na62lab.analyses.beam_dump import sensitivity
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.errors import InputError
from na62lab.fips import get_model, resolve_model
from na62lab.fips.table_model import read_model_table
from na62lab.fips.user_models import model_fingerprint
from na62lab.physics.units import GeV, m

SMALL = load_card("na62_dump_2021", DumpCard).model_copy(
    update={"mc": DumpMC(n_fip=300, n_mass_nodes=5, n_z_bins=3, n_ctau_nodes=40, seed=11)})

COPY_FILE = Path(__file__).resolve().parents[1] / "data" / "user_models" / "dark_photon_copy.py"
USER_FILE = COPY_FILE.read_text() + '''

class MyVector(DarkPhotonCopy):
    name = "my-vector"
    coupling_name = "kappa"
    default_mass_range_gev = FIPModel.default_mass_range_gev
    default_coupling_range = FIPModel.default_coupling_range


class NotAModel:
    pass
'''


pytestmark = pytest.mark.usefixtures("isolated_cache")


@pytest.fixture
def user_file(tmp_path):
    path = tmp_path / "my_models.py"
    path.write_text(USER_FILE)
    return path


def _dark_photon_table(path, masses_gev):
    """The shipped dark photon written as a model-independent table at epsilon_ref = 1e-6."""
    dp, eps = get_model("dark-photon"), 1e-6
    mm = np.asarray(masses_gev) * GeV
    brs = dp.branching_ratios(mm)
    prod = dp.production_branching_ratios(mm, eps)
    data = {"name": "dp-table", "coupling_name": "epsilon", "coupling_power": 2, "reference_coupling": eps,
            "spin": 1, "dump_mechanisms": ["proton_bremsstrahlung", "vector_meson_mixing"],
            "mass_gev": list(map(float, masses_gev)), "ctau_m": (dp.ctau(mm, eps) / m).tolist(),
            "decay_br": {k: v.tolist() for k, v in brs.items() if k in ("ee", "mumu", "pipi", "3pi")},
            "production_br": {k: v.tolist() for k, v in prod.items()}}
    path.write_text(yaml.safe_dump(data, sort_keys=False))   # same channel order: same MC seeds per mode
    return path


def test_a_class_in_a_user_file_is_resolved_and_checked(user_file):
    model = resolve_model(f"{user_file}:MyVector")
    assert model.name == "my-vector" and model.polarised
    assert get_model(f"{user_file}:MyVector").coupling_name == "kappa"
    for spec, word in ((f"{user_file}:Missing", "existing class"), (f"{user_file}:NotAModel", "FIPModel"),
                       ("nowhere.py:X", "existing Python file"), ("no-such-model", "file.py:ClassName")):
        with pytest.raises(InputError, match=word) as err:
            resolve_model(spec)
        assert "\n" not in str(err.value)
    assert len(model_fingerprint(f"{user_file}:MyVector")) == 40 and model_fingerprint("dark-photon") == ""


def test_a_user_file_model_gives_the_dark_photon_contour(user_file):
    kwargs = dict(mass_range_gev=(0.05, 0.6), coupling_range=(1e-8, 1e-3), workers=1)
    ours = sensitivity("dark-photon", SMALL, 8, 12, **kwargs)
    user = sensitivity(f"{user_file}:MyVector", SMALL, 8, 12, **kwargs)
    assert ours.excluded_ranges and user.excluded_ranges == ours.excluded_ranges


def test_the_dark_photon_as_a_table_gives_its_contour_within_5_percent(tmp_path):
    """Issue 16: the same model given as a table (60 masses, log-log width interpolation)."""
    path = _dark_photon_table(tmp_path / "dp.yaml", np.geomspace(0.03, 0.7, 60))
    table = read_model_table(path)
    m = np.array([100.0, 300.0, 500.0])
    np.testing.assert_allclose(table.ctau(m, 1e-5), get_model("dark-photon").ctau(m, 1e-5), rtol=0.02)
    kwargs = dict(mass_range_gev=(0.05, 0.6), coupling_range=(1e-8, 1e-3), workers=1,
                  channels=["ee", "mumu"])
    ours = sensitivity("dark-photon", SMALL, 8, 12, **kwargs)
    tab = sensitivity(str(path), SMALL, 8, 12, **kwargs)
    a = {round(r["mass_gev"], 6): r for r in ours.excluded_ranges}
    b = {round(r["mass_gev"], 6): r for r in tab.excluded_ranges}
    common = sorted(set(a) & set(b))
    assert len(common) >= 0.8 * len(a) > 0
    for mass in common:
        assert b[mass]["coupling_min"] == pytest.approx(a[mass]["coupling_min"], rel=0.05), mass
        assert b[mass]["coupling_max"] == pytest.approx(a[mass]["coupling_max"], rel=0.05), mass


def test_csv_table_and_malformed_tables_give_one_line_errors(tmp_path):
    good = tmp_path / "s.csv"
    good.write_text(textwrap.dedent("""\
        # name: csv-scalar
        # coupling_name: theta
        # reference_coupling: 1e-4
        mass_gev,ctau_m,decay:ee,decay:mumu,prod:B->KX
        0.1,10.0,1.0,0.0,1e-9
        0.3,1.0,0.2,0.8,2e-9
        """))
    model = read_model_table(good)
    assert model.name == "csv-scalar" and model.production_channels == ("B->KX",)
    assert float(model.branching_ratios(200.0)["mumu"]) == pytest.approx(0.4)
    assert float(model.reduced_production(500.0)["B->KX"]) == 0.0          # outside the table
    cases = {
        "name: x\nmass_gev: [0.1, 0.2]\nreference_coupling: 1\nctau_m: [1, 2, 3]\ndecay_br: {ee: [1, 1]}\n": "ctau_m",
        "name: x\nmass_gev: [0.2, 0.1]\nreference_coupling: 1\nctau_m: [1, 2]\ndecay_br: {ee: [1, 1]}\n": "mass_gev",
        "name: x\nmass_gev: [0.1, 0.2]\nreference_coupling: 1\nctau_m: [1, 2]\ndecay_br: {ee: [0.9, 0.9], "
        "mumu: [0.5, 0.5]}\n": "decay_br",
        "name: x\nmass_gev: [0.1, 0.2]\nreference_coupling: 1\nctau_m: [1, 2]\ndecay_br: {ee: [1, 1]}\n"
        "production_br: {'pizza->X': [1, 1]}\n": "production_br",
        "name: x\nmass_gev: [0.1, 0.2]\nreference_coupling: -1\nctau_m: [1, 2]\ndecay_br: {ee: [1, 1]}\n":
            "reference_coupling",
        "[1, 2": "valid YAML",
    }
    for i, (text, field) in enumerate(cases.items()):
        path = tmp_path / f"bad{i}.yaml"
        path.write_text(text)
        with pytest.raises(InputError, match=field) as err:
            read_model_table(path)
        assert "\n" not in str(err.value)


def test_a_table_can_give_mechanism_rates_per_pot(tmp_path):
    """rates_per_pot: the tabulated Primakoff rate replaces the built-in one, with its kinematics."""
    from na62lab.generation.dump.sources import production_modes
    from na62lab.generation.dump.tables import load_table

    alp, g = get_model("alp-photon"), 1e-5
    card, table = load_card("na62_dump_2021", DumpCard), load_table()
    prim = next(md for md in production_modes(alp, card, table).modes if md.name == "primakoff")
    masses = np.geomspace(0.02, 0.9, 40)
    data = {"name": "alp-table", "coupling_name": "g_agg_GeV^-1", "reference_coupling": g, "spin": 0,
            "mass_gev": masses.tolist(), "ctau_m": (alp.ctau(masses * GeV, g) / m).tolist(),
            "decay_br": {"gammagamma": alp.branching_ratios(masses * GeV)["gammagamma"].tolist()},
            "rates_per_pot": {"primakoff": (prim.rate(masses * GeV) * g * g).tolist()}}
    path = tmp_path / "alp.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    model = read_model_table(path)
    assert model.dump_mechanisms == ("primakoff",)
    tab = next(md for md in production_modes(model, card, table).modes if md.name == "primakoff")
    np.testing.assert_allclose(tab.rate(masses * GeV), prim.rate(masses * GeV), rtol=1e-9)
    a, b = (md.sampler(200.0, 500, np.random.default_rng(4)) for md in (prim, tab))
    np.testing.assert_allclose(a.weight, b.weight, rtol=1e-9)
