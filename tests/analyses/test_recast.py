"""Recasting published BR limit tables (HEPData YAML or CSV) into FIP coupling planes."""

import numpy as np
import pytest

from na62lab.analyses import recast as rc
from na62lab.config.searches import Interpretation, Lifetime
from na62lab.errors import InputError
from na62lab.fips.base import FIPModel, check_mass
from na62lab.physics.units import c_light, hbarc, ns

hepdata_lib = pytest.importorskip("hepdata_lib")
validator = pytest.importorskip("hepdata_validator.data_file_validator")

C0 = 1e-3                       # BR(K+ -> pi+ X) / g^2
A_PER_NS = 1e-8                 # published UL(tau) = A tau in the hand table
T0_NS = A_PER_NS / C0           # tau(g) = T0 / g^2 puts the lower edge at tau = 1 ns
W0 = hbarc / (T0_NS * ns * c_light)   # MeV: Gamma = W0 g^2 <=> c tau = hbarc / Gamma


class HandModel(FIPModel):
    """BR(K+ -> pi+ X) = C0 g^2 and Gamma(X -> gamma gamma) = w g^2, set by hand."""

    name = "hand-model"
    coupling_name = "g"
    decay_channels = ("gammagamma",)
    production_channels = ("K+->pi+X",)

    def __init__(self, w=W0):
        self.w = w

    def reduced_widths(self, mass):
        return {"gammagamma": np.full(check_mass(mass).shape, self.w)}

    def reduced_production(self, mass):
        return {"K+->pi+X": np.full(check_mass(mass).shape, C0)}


def _write_hepdata(folder, columns, mass_units="MeV", masses=(200.0, 300.0), binned=False):
    """A HEPData submission made with hepdata_lib; returns the data file path (validated).

    hepdata_lib writes its submission.tar.gz into the working directory: the tests run it in ``folder``.
    """
    import os

    from hepdata_lib import Submission, Table, Variable

    t = Table("BR limits")
    t.description = "test table"
    m = Variable("m_X", is_independent=True, is_binned=binned, units=mass_units)
    m.values = [(x - 1, x + 1) for x in masses] if binned else list(masses)
    t.add_variable(m)
    for tau, vals, label in columns:
        u = Variable(label, is_independent=False, is_binned=False, units="")
        u.values = list(vals)
        if tau is not None:
            u.add_qualifier("tau_X", tau, "ns")
        u.add_qualifier("CL", "90%")
        t.add_variable(u)
    s = Submission()
    s.add_table(t)
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        s.create_files(str(folder / "out"), remove_old=True)
    finally:
        os.chdir(cwd)
    folder = folder / "out"
    path = folder / "br_limits.yaml"
    v = validator.DataFileValidator()
    assert v.validate(file_path=str(path)), v.get_messages()
    return path


def test_recast_reproduces_the_coupling_computed_on_paper(tmp_path):
    """UL(tau) = A tau between the 0.1 and 10 ns columns; C0 g^2 >= A T0 / g^2 gives g_lo = (A T0 / C0)^(1/4),
    at tau(g_lo) = 1 ns (inside the columns, so no extrapolation)."""
    path = _write_hepdata(tmp_path, [(0.1, [1e-9, 1e-9], "BR UL"), (10.0, [1e-7, 1e-7], "BR UL")])
    table = rc.read_limits(path)
    assert table.lifetimes_ns.tolist() == [0.1, 10.0] and table.cl == "90%"
    interp = Interpretation(benchmark="test", model="hand-model", production="K+->pi+X", decays=["gammagamma"],
                            coupling_range=(1e-5, 1.0))
    out = rc.recast_table(table, interp, Lifetime(kind="decay_within", distance_m=2.0),
                          np.full((2, 4), 40e3), model=HandModel())
    on_paper = (A_PER_NS * T0_NS / C0) ** 0.25
    assert on_paper == pytest.approx(10**-2.5)
    assert out.limit.lower == pytest.approx([on_paper, on_paper], rel=1e-6)
    assert out.to_dict()["source"].startswith("recast of BR-limit table")


def test_stable_invisible_table_gives_sqrt_of_ul_over_c0(tmp_path):
    """A long-lived X read by the invisible search: C0 g^2 x P_escape(~1) = UL -> g_lo = sqrt(UL / C0)."""
    csv = tmp_path / "limits.csv"
    csv.write_text("# mass, BR upper limit (stable X)\nmass_GeV,BR_stable\n0.20,1e-10\n0.25,4e-10\n")
    table = rc.read_limits(csv)
    assert table.masses_mev.tolist() == [200.0, 250.0] and table.lifetimes_ns is None
    interp = Interpretation(benchmark="test", model="hand-model", production="K+->pi+X", decays=[],
                            coupling_range=(1e-8, 1.0))
    geom = Lifetime(kind="escape", vertex_z_m=(105.0, 165.0), z_end_m=241.0)
    out = rc.recast_table(table, interp, geom, np.full((2, 4), 40e3), model=HandModel(w=1e-40))
    assert out.limit.lower == pytest.approx(np.sqrt(np.array([1e-10, 4e-10]) / C0), rel=1e-6)


def test_single_prompt_column_uses_the_decay_probability(tmp_path):
    """Prompt table, decay within 2 m: the excluded lower edge solves C0 g^2 (1 - exp(-2 m / l)) = UL."""
    csv = tmp_path / "prompt.csv"
    csv.write_text("m_MeV prompt\n250 1e-8\n")
    table = rc.read_limits(csv)
    interp = Interpretation(benchmark="t", model="hand-model", production="K+->pi+X", decays=["gammagamma"],
                            coupling_range=(1e-4, 1.0))
    p = 40e3
    out = rc.recast_table(table, interp, Lifetime(kind="decay_within", distance_m=2.0), np.full((1, 3), p),
                          model=HandModel())
    g = out.limit.lower[0]
    ctau = hbarc / (W0 * g**2)
    assert C0 * g**2 * -np.expm1(-2000.0 / (p / 250.0 * ctau)) == pytest.approx(1e-8, rel=2e-3)


def test_gev_units_bins_and_expected_columns(tmp_path):
    path = _write_hepdata(tmp_path, [(None, [3e-11, 5e-11], "BR upper limit observed"),
                                     (None, [9e-11, 9e-11], "BR upper limit expected")],
                          mass_units="GeV", masses=(0.1, 0.2), binned=True)
    table = rc.read_limits(path)
    assert table.masses_mev == pytest.approx([100.0, 200.0])
    assert table.lifetimes_ns is None and table.limits[:, 0].tolist() == [3e-11, 5e-11]
    assert rc.interpolate(table, [150.0])[0] == pytest.approx(np.sqrt(3e-11 * 5e-11))


def test_submission_needs_the_table_name(tmp_path, capsys):
    """Without --table the CLI printed 'invalid --table=None' (task t81): now the option is named as required,
    with the submission's tables, on one line, exit code 2."""
    from na62lab.cli.main import main

    sub = _write_hepdata(tmp_path, [(None, [1e-9, 2e-9], "UL")]).parent / "submission.yaml"
    with pytest.raises(InputError, match="--table"):
        rc.read_limits(sub)
    assert main(["recast", "--limits", str(sub), "--model", "dark-scalar"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "None" not in err
    assert "--table=<missing>: allowed a table name, required with a HEPData submission.yaml: one of BR limits" in err
    assert rc.read_limits(sub, "BR limits").limits[:, 0].tolist() == [1e-9, 2e-9]


def test_search_names_its_own_limits_table_option(tmp_path, capsys):
    """``search --pbc --limits submission.yaml`` without --limits-table named recast's option '--table' (and
    printed 'None'; task t81): now the search's own option, as required, one line, exit code 2."""
    from na62lab.cli.main import main

    sub = _write_hepdata(tmp_path, [(None, [1e-9, 2e-9], "UL")]).parent / "submission.yaml"
    assert main(["search", "hnl-mu", "--pbc", "--limits", str(sub)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid --limits-table=<missing>: allowed a table name, required" in err


def test_two_dimensional_table_and_ctau_columns(tmp_path):
    long = tmp_path / "long.csv"
    long.write_text("mass_MeV,tau_ns,limit\n200,0.1,1e-9\n200,1,2e-9\n300,0.1,3e-9\n300,1,4e-9\n")
    t = rc.read_limits(long)
    assert t.lifetimes_ns.tolist() == [0.1, 1.0] and t.limits.tolist() == [[1e-9, 2e-9], [3e-9, 4e-9]]
    wide = tmp_path / "wide.csv"
    wide.write_text("mass_MeV,ctau=29.9792458mm,ctau=299.792458mm\n200,1e-9,2e-9\n")
    assert rc.read_limits(wide).lifetimes_ns == pytest.approx([0.1, 1.0])


@pytest.mark.parametrize("text, field", [("mass,BR\n1,1e-9\n", "mass column header"),
                                         ("mass_MeV,BR\n1,-1e-9\n", "limit values"),
                                         ("mass_MeV,tau=1ns,tau=2\n1,1e-9,1e-9\n", "limit column headers"),
                                         ("mass_MeV,BR\n1,abc\n", "value")])
def test_bad_tables_name_the_field(tmp_path, text, field):
    p = tmp_path / "bad.csv"
    p.write_text(text)
    with pytest.raises(InputError) as exc:
        rc.read_limits(p)
    assert field in str(exc.value)


def test_real_na62_style_layout(tmp_path):
    """The layout of NA62 HEPData limit tables: mass in MeV/c^2 with a LaTeX name, one column per X lifetime with
    the lifetime as a qualifier (tau_X in ns), a CL qualifier, an observed and an expected column each."""
    text = """independent_variables:
- header: {name: '$m_{X}$', units: 'MeV/$c^2$'}
  values:
  - {value: 10}
  - {value: 100}
dependent_variables:
- header: {name: 'Observed upper limit on $\\\\mathcal{B}(K^+\\\\to\\\\pi^+X)$'}
  qualifiers:
  - {name: '$\\\\tau_X$', units: 'ns', value: '0.1'}
  - {name: CL, value: 90%}
  values:
  - {value: 2.0e-10}
  - {value: 1.0e-10}
- header: {name: 'Observed upper limit on $\\\\mathcal{B}(K^+\\\\to\\\\pi^+X)$'}
  qualifiers:
  - {name: '$\\\\tau_X$', units: 'ns', value: stable}
  - {name: CL, value: 90%}
  values:
  - {value: 2.0e-11}
  - {value: '-'}
- header: {name: 'Expected upper limit on $\\\\mathcal{B}(K^+\\\\to\\\\pi^+X)$'}
  qualifiers:
  - {name: '$\\\\tau_X$', units: 'ns', value: stable}
  values:
  - {value: 3.0e-11}
  - {value: 3.0e-11}
"""
    p = tmp_path / "na62_like.yaml"
    p.write_text(text)
    v = validator.DataFileValidator()
    assert v.validate(file_path=str(p)), v.get_messages()
    t = rc.read_limits(p)
    assert t.masses_mev.tolist() == [10.0, 100.0]
    assert t.lifetimes_ns.tolist() == [0.1, np.inf]
    assert np.isnan(t.limits[1, 1]) and t.limits[0].tolist() == [2e-10, 2e-11]


def test_round_trip_of_our_own_hepdata_output(tmp_path):
    """The HEPData limits table written by ``search`` (validated) recast for BC4 gives back the search's own BC4
    reading of its observed limits (lower edges; the long-lived S escapes, so the X-momentum models do not matter;
    4 % coupling-grid spacing of the reading)."""
    from na62lab.analyses.kaon_searches import search_card
    from na62lab.analyses.kaon_searches_common.engine import run_peak_search
    from na62lab.analyses.kaon_searches_common.interpretation import coupling_limits
    from na62lab.results.hepdata import write_hepdata
    from na62lab.results.search_report import hepdata_tables

    card = search_card("pi-x")
    card = card.model_copy(update={"resolution": card.resolution.model_copy(update={"source": "simulated"})})
    res = run_peak_search(card, masses=np.array([60.0, 200.0]))       # the smearing model: fast
    files = write_hepdata(tmp_path, hepdata_tables(res.to_dict()))
    path = next(p for p in files if str(p).endswith("_limits.yaml"))
    v = validator.DataFileValidator()
    assert v.validate(file_path=str(path)), v.get_messages()
    table = rc.read_limits(path)
    assert table.limits[:, 0] == pytest.approx(res.observed_limit)          # the observed column, not expected
    bc4 = next(i for i in card.interpretations if i.benchmark == "BC4")
    ours = rc.recast_table(table, bc4, card.lifetime, rc.momenta(card, table.masses_mev))
    direct = coupling_limits(bc4, res.masses, res.observed_limit, rc.momenta(card, res.masses), card.lifetime)
    assert ours.limit.lower == pytest.approx(direct.lower, rel=0.05)


def test_malformed_limit_tables_are_one_line(tmp_path):
    """A HEPData limit column shorter than its masses was an IndexError (exit 70); a CSV repeating a mass kept both
    rows (t93 review)."""
    from na62lab.analyses.limit_tables import read_csv, read_hepdata

    short = tmp_path / "short.yaml"
    short.write_text("independent_variables:\n- header: {name: mass, units: GeV}\n"
                     "  values: [{value: 0.1}, {value: 0.2}]\n"
                     "dependent_variables:\n- header: {name: BR}\n  values: [{value: 1e-10}]\n")
    with pytest.raises(InputError, match=r"one limit per mass \(2 masses, 1 limits\)"):
        read_hepdata(short)
    dup = tmp_path / "dup.csv"
    dup.write_text("mass_gev,br\n0.1,1e-10\n0.1,2e-10\n")
    with pytest.raises(InputError, match="distinct masses"):
        read_csv(dup)
