"""HNL production in B -> D* l N (vector recoil; arXiv:1805.08567 Sec. 3.2, CLN form factors)."""

import numpy as np
import pytest

from na62lab.fips import get_model
from na62lab.fips.constants import CKM
from na62lab.fips.hnl_semileptonic_vector import (
    VECTOR_CHANNELS, vector_semileptonic_br, vector_semileptonic_width, vector_threshold,
)
from na62lab.generation.dump.channels import kinematic_limit, parse_channel
from na62lab.physics.particles import mass, particle
from na62lab.physics.units import hbarc


@pytest.mark.parametrize("channel,pdg", [
    ("B0->D*-", 0.0497),    # PDG 2024: BR(B0 -> D*- l+ nu) = (4.97 +- 0.12) %
    ("B+->D*0", 0.0558),    # PDG 2024: BR(B+ -> D*0bar l+ nu) = (5.58 +- 0.22) %
])
def test_standard_model_limit_matches_pdg(channel, pdg):
    # m_N -> 0, electron: the SM rate with CLN/HFLAV form factors and |V_cb| = 0.0408; 10 % tolerance
    # (|V_cb| inclusive/exclusive tension ~5 %, form factors ~3 %)
    assert vector_semileptonic_br(np.array(1e-3), channel, mass("e-")) == pytest.approx(pdg, rel=0.10)


def test_tau_to_light_ratio_is_the_sm_r_dstar():
    # R(D*) = BR(tau)/BR(l) = 0.254 +- 0.005 in the SM (HFLAV 2023 average of SM predictions): the lepton-mass
    # terms of the amplitude (A0 and the q^mu terms); 5 % tolerance
    w = {lep: vector_semileptonic_width(np.array(1e-3), "B0", "D*(2010)-", mass(lep), CKM["cb"])
         for lep in ("e-", "tau-")}
    assert w["tau-"] / w["e-"] == pytest.approx(0.254, rel=0.05)


def test_table_interpolation_against_the_exact_width():
    for lepton in ("e-", "mu-", "tau-"):
        thr = vector_threshold("B0->D*-", mass(lepton))
        m = np.linspace(5.0, 0.95 * thr, 23)
        exact = vector_semileptonic_width(m, "B0", "D*(2010)-", mass(lepton), CKM["cb"])
        exact = exact / (hbarc / particle("B0").ctau)
        np.testing.assert_allclose(vector_semileptonic_br(m, "B0->D*-", mass(lepton)), exact, rtol=0.03)
    assert vector_semileptonic_br(np.array([thr + 1.0]), "B0->D*-", mass("tau-"))[0] == 0.0


def test_heavier_hnl_has_less_phase_space():
    m = np.array([100.0, 1000.0, 2000.0, 3000.0])
    br = vector_semileptonic_br(m, "B+->D*0", mass("mu-"))
    assert np.all(np.diff(br) < 0) and br[-1] > 0


def _vector_channels(model, tag: str) -> list[str]:
    """The model's production channels containing ``tag``, each with the dump's kinematic limit equal to the
    model's threshold."""
    keys = [k for k in model.production_channels if tag in k]
    limits = model.production_thresholds()
    for key in keys:
        parent, tokens = parse_channel(key)
        assert kinematic_limit(parent, tokens) == pytest.approx(limits[key], rel=1e-9)
    return keys


def test_model_and_dump_channels():
    model = get_model("hnl-e")
    assert _vector_channels(model, "D*") == ["B+->D*0e+N", "B0->D*-e+N"]
    br = model.reduced_production(np.array([1500.0]))
    assert br["B0->D*-e+N"][0] == pytest.approx(vector_semileptonic_br(np.array(1500.0), "B0->D*-", mass("e-")))
    assert set(VECTOR_CHANNELS) == {"B+->D*0", "B0->D*-", "Bs0->Ds*-", "D0->K*-", "D+->K*0",
                                    "B0->rho-", "B+->rho0", "Bs0->K*-"}   # b -> u: tests/fips/test_hnl_b_to_u.py
    # comparable to B -> D l N (vector recoil ~2.4x at small m_N, PDG ratio 4.97/2.24 = 2.2)
    ratio = br["B0->D*-e+N"][0] / model.reduced_production(np.array([1500.0]))["B0->D-e+N"][0]
    assert 1.5 < ratio < 4.0


@pytest.mark.parametrize("channel,lepton,pdg,rtol", [
    ("D+->K*0", "e-", 0.0540, 1e-3),     # PDG 2024 BR(D+ -> K*(892)0bar e+ nu): the normalisation of A1(0)
    ("D0->K*-", "e-", 0.0215, 0.08),     # PDG 2024 BR(D0 -> K*(892)- e+ nu) = (2.15 +- 0.16) %: a prediction
    ("D+->K*0", "mu-", 0.0527, 0.06),    # PDG 2024 BR(D+ -> K*(892)0bar mu+ nu) = (5.27 +- 0.15) %
])
def test_d_to_kstar_standard_model_limit(channel, lepton, pdg, rtol):
    """D -> K* l N, single poles with the BESIII ratios r_V, r_2 (PRD 94 (2016) 032001)."""
    assert vector_semileptonic_br(np.array(1e-3), channel, mass(lepton)) == pytest.approx(pdg, rel=rtol)


def test_d_to_kstar_in_the_model_and_the_dump():
    model = get_model("hnl-mu")
    assert _vector_channels(model, "K*") == ["D0->K*-mu+N", "D+->K*0mu+N", "Bs0->K*-mu+N"]
    br = model.reduced_production(np.array([300.0, 900.0, 1000.0]))
    ratio = br["D+->K*0mu+N"] / model.reduced_production(np.array([300.0, 900.0, 1000.0]))["D+->K0mu+N"]
    assert 0.3 < ratio[0] < 0.7 and ratio[1] < ratio[0] and ratio[2] == 0.0     # K* closes at 0.87 GeV for mu


def test_bs_to_ds_star_is_the_su3_image_of_b_to_d_star():
    # B_s -> D_s* l N: the B -> D* CLN parameters with the B_s, D_s* masses (SU(3) approximation, module docstring)
    from na62lab.fips.hnl_semileptonic_vector import vector_semileptonic_br, vector_threshold
    bs = float(vector_semileptonic_br(np.array(1.0), "Bs0->Ds*-", mass("mu-")))
    b0 = float(vector_semileptonic_br(np.array(1.0), "B0->D*-", mass("mu-")))
    assert 0.95 < bs / b0 < 1.12                                       # measured 1.04 (lifetimes, masses)
    assert vector_threshold("Bs0->Ds*-", mass("mu-")) == pytest.approx(mass("Bs0") - mass("D(s)*+") - mass("mu-"))
    assert "Bs0->Ds*-mu+N" in get_model("hnl-mu").production_channels
