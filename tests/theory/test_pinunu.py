"""SM prediction of BR(K+ -> pi+ nu nubar) (theory.pinunu, theory.ckm)."""

import numpy as np
import pytest

from na62lab.config.theory import PinunuSMInputs
from na62lab.theory.ckm import ckm_matrix
from na62lab.theory.pinunu import sm_branching_ratio, sm_prediction


def test_default_inputs_reproduce_buras_venturini():
    # Buras & Venturini, EPJC 82 (2022) 615: BR = (8.60 +- 0.42) x 1e-11
    r = sm_prediction()
    assert r["br"] == pytest.approx(8.60e-11, rel=0.01)
    assert r["br_err"] == pytest.approx(0.42e-11, rel=0.15)


def test_ckm_is_unitary_and_matches_inputs():
    V = ckm_matrix(0.225, 42.6e-3, 22.2, 64.6)
    assert np.allclose(V @ V.conj().T, np.eye(3), atol=1e-14)
    assert abs(V[0, 1]) / np.sqrt(1 - abs(V[0, 2]) ** 2) == pytest.approx(0.225, rel=1e-12)
    assert abs(V[1, 2]) == pytest.approx(42.6e-3, rel=1e-3)
    # the angle gamma = arg(-V_ud V_ub* / (V_cd V_cb*))
    gamma = np.degrees(np.angle(-V[0, 0] * np.conj(V[0, 2]) / (V[1, 0] * np.conj(V[1, 2]))))
    assert gamma == pytest.approx(64.6, abs=0.05)


def test_br_scales_as_vcb_to_the_fourth_roughly():
    # BR ~ |V_cb|^4 (top) with a charm admixture: the log-slope lies between 2.8 and 4
    a = sm_branching_ratio(PinunuSMInputs(vcb=0.040))
    b = sm_branching_ratio(PinunuSMInputs(vcb=0.044))
    slope = np.log(b / a) / np.log(0.044 / 0.040)
    assert 2.8 < slope < 4.0


def test_no_errors_gives_zero_error():
    inp = PinunuSMInputs(vcb_err=0, gamma_deg_err=0, beta_deg_err=0, x_t_err=0, p_c_err=0, kappa_plus_err=0)
    assert sm_prediction(inp)["br_err"] == 0.0


@pytest.mark.parametrize("argv, needle", [
    (["--x-t", "1e300"], "invalid x_t=1e+300: allowed a value less than 10"),
    (["--p-c-error", "1e300"], "allowed p_c_err below p_c"),
    (["--gamma-deg-error", "100"], "allowed gamma_deg_err below gamma_deg"),
])
def test_absurd_sm_inputs_are_one_line(capsys, argv, needle):
    """`theory pinunu --x-t 1e300` and `--p-c-error 1e300` ended in OverflowError (exit 70); a 1e300 gamma error
    printed '+- 226.46' (t93 review)."""
    from na62lab.cli.main import main

    assert main(["theory", "pinunu", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err, err
