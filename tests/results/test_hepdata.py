"""HEPData YAML output (results.hepdata)."""

import json

import pytest
import yaml

from na62lab.errors import InputError
from na62lab.results.hepdata import hepdata_table, write_hepdata


def test_round_trip(tmp_path):
    table = hepdata_table({"name": "m", "units": "MeV", "values": [1.0, 2.0]},
                          [{"name": "UL", "values": [3.0, 4.0], "errors": [0.1, (0.2, 0.3)],
                            "qualifiers": {"CL": "90%"}}])
    files = write_hepdata(tmp_path, {"limits": ("test table", table)})
    loaded = yaml.safe_load((tmp_path / "limits.yaml").read_text())
    dep = loaded["dependent_variables"][0]
    assert dep["values"][1]["errors"][0]["asymerror"] == {"minus": -0.2, "plus": 0.3}
    assert dep["qualifiers"] == [{"name": "CL", "value": "90%"}]
    docs = list(yaml.safe_load_all((tmp_path / "submission.yaml").read_text()))
    assert docs[1]["data_file"] == "limits.yaml" and len(files) == 3
    prov = json.loads((tmp_path / "provenance.json").read_text())
    assert prov["na62lab_version"] in docs[0]["comment"] and "packages" in prov


def _validate(folder) -> tuple[bool, list[str]]:
    validator_mod = pytest.importorskip("hepdata_validator.full_submission_validator")
    v = validator_mod.FullSubmissionValidator()
    ok = v.validate(directory=str(folder))
    return ok, [m.message for msgs in v.get_messages().values() for m in msgs]


def test_validator_accepts_our_submission(tmp_path):
    table = hepdata_table({"name": "mass", "units": "GeV", "values": [0.1, 0.2, 0.3]},
                          [{"name": "BR upper limit", "values": [1e-11, 2e-11, float("nan")],
                            "errors": [(1e-12, 2e-12)] * 3, "qualifiers": {"CL": "90%"}}])
    write_hepdata(tmp_path, {"limits": ("test table", table), "again": ("second table", table)})
    ok, messages = _validate(tmp_path)
    assert ok, messages


def test_validator_rejects_a_broken_table(tmp_path):
    """The check can fail: a table without dependent variables is not a HEPData table."""
    table = hepdata_table({"name": "mass", "units": "GeV", "values": [0.1]}, [{"name": "UL", "values": [1.0]}])
    write_hepdata(tmp_path, {"limits": ("test table", table)})
    broken = yaml.safe_load((tmp_path / "limits.yaml").read_text())
    broken.pop("dependent_variables")
    (tmp_path / "limits.yaml").write_text(yaml.safe_dump(broken))
    ok, _ = _validate(tmp_path)
    assert not ok


def test_length_mismatch():
    with pytest.raises(InputError):
        hepdata_table({"name": "m", "values": [1.0]}, [{"name": "UL", "values": [1.0, 2.0]}])


def test_no_internal_coupling_names():
    t = hepdata_table({"name": "mass", "units": "GeV", "values": [0.1]},
                      [{"name": "inv_fG_GeV^-1 lower edge", "values": [1e-5]}])
    assert t["dependent_variables"][0]["header"]["name"] == "1/f_G [GeV^-1] lower edge"


def test_yaml_text_is_the_one_of_the_python_emitter(tmp_path):
    """The files are written with libyaml's emitter when PyYAML has it: the same text as yaml.safe_dump
    for ASCII text (long strings folded at the same column, NaN, asymmetric errors); a string with
    non-ASCII characters is folded at other places but loads back the same."""
    long = "a description: long enough to be folded by the emitter -> " * 3 + "with mu -> e"
    table = hepdata_table({"name": "mass", "units": "GeV", "values": [0.1, 0.2, 1e-7]},
                          [{"name": long, "values": [1e-11, float("nan"), 3.5e21],
                            "errors": [(1e-12, 2e-12), 0.5, None], "qualifiers": {"CL": "90%", "note": long}}])
    prov = {"na62lab_version": "0", "git_commit": None, "date_utc": "2000-01-01T00:00:00+00:00"}
    write_hepdata(tmp_path, {"limits": (long, table)}, provenance=prov)
    assert (tmp_path / "limits.yaml").read_text() == yaml.safe_dump(table, sort_keys=False)
    docs = list(yaml.safe_load_all((tmp_path / "submission.yaml").read_text()))
    assert (tmp_path / "submission.yaml").read_text() == yaml.safe_dump_all(docs, sort_keys=False)
    greek = {**table, "dependent_variables": [{**table["dependent_variables"][0],
                                               "header": {"name": long + " and \u03bc", "units": ""}}]}
    write_hepdata(tmp_path, {"limits": (long, greek)}, provenance=prov)
    assert yaml.safe_load((tmp_path / "limits.yaml").read_text()) == yaml.safe_load(
        yaml.safe_dump(greek, sort_keys=False))


def test_coupling_units_are_in_the_header_units():
    """'g_agg [GeV^-1] lower edge' and '1/f_G [GeV^-1] ...' carried their unit in the name only (units ''):
    a HEPData reader takes it from ``units``."""
    t = hepdata_table({"name": "mass", "units": "GeV", "values": [0.1]},
                      [{"name": "g_agg_GeV^-1 lower edge", "units": "", "values": [1e-5]},
                       {"name": "|U|^2 upper edge", "values": [1e-3]},
                       {"name": "BR upper limit", "units": "", "values": [1e-9]},
                       {"name": "inv_fG_GeV^-1 excluded lower edge", "units": "TeV^-1", "values": [1e-5]}])
    units = [d["header"]["units"] for d in t["dependent_variables"]]
    assert units == ["GeV^-1", "", "", "TeV^-1"]          # given units are kept
