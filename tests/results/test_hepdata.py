"""HEPData YAML output (results.hepdata)."""

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
    assert docs[1]["data_file"] == "limits.yaml" and len(files) == 2


def test_length_mismatch():
    with pytest.raises(InputError):
        hepdata_table({"name": "m", "values": [1.0]}, [{"name": "UL", "values": [1.0, 2.0]}])
