"""b -> u production of heavy neutral leptons: B -> pi l N, B -> rho l N, B_s -> K l N, B_s -> K* l N.

Form factors: B -> pi BCL of Fermilab/MILC (arXiv:1503.07839 eqs. (5.3)-(5.4), lattice + experiment fit),
B_s -> K BCL of FLAG 2021 (arXiv:2111.09849 Table 48), B -> rho and B_s -> K* BSZ LCSR (arXiv:1503.05534);
|V_ub| = 3.82e-3 (PDG 2024).  SM limits (m_N -> 0) against the PDG 2024 branching ratios.
"""

from __future__ import annotations

import numpy as np
import pytest

from na62lab.fips import get_model
from na62lab.fips import hnl_semileptonic as ps
from na62lab.fips import hnl_semileptonic_vector as vec
from na62lab.fips.constants import CKM
from na62lab.generation.dump.channels import parse_channel, recoil_masses
from na62lab.physics.particles import decay_width, mass

M0 = np.array([1e-3])


def test_b_to_pi_l_nu_against_pdg():
    # PDG 2024: BR(B0 -> pi- l+ nu) = 1.50e-4, BR(B+ -> pi0 l+ nu) = 7.80e-5.  Measured 1.529e-4 (+1.9 %:
    # the fit's |V_ub| = 3.72e-3 against PDG's 3.82e-3) and 8.29e-5 (+6.3 %, isospin 1/2 and the lifetimes;
    # 8.18e-5 before the z-variable took the B0, pi+ masses for B+ -> pi0 as well)
    assert float(ps.semileptonic_br(M0, "B0->pi-", mass("e-"))[0]) == pytest.approx(1.50e-4, rel=0.04)
    assert float(ps.semileptonic_br(M0, "B+->pi0", mass("e-"))[0]) == pytest.approx(7.80e-5, rel=0.07)


def test_b_to_pi_form_factors_meet_the_kinematic_constraint():
    # f_+(0) = f_0(0) holds for the Fermilab/MILC coefficients in our reading of eqs. (5.3)-(5.4): 0.2533 / 0.2531
    fplus, fzero = ps._bcl(np.array([0.0]), mass("B0"), mass("pi-"), "Bpi")
    assert fplus[0] == pytest.approx(fzero[0], rel=2e-3)
    assert 0.24 < fplus[0] < 0.27


def test_b_to_rho_normalised_to_pdg_and_isospin():
    # BSZ LCSR with PDG |V_ub|: 1.36 x PDG BR(B+ -> rho0 l nu) = 1.58e-4, hence the normalisation (factor 0.734);
    # B0 -> rho- l nu then follows: 2.92e-4 against PDG 2.94e-4
    assert 1.25 < 1.0 / vec._bsz_norm() < 1.45
    assert float(vec.vector_semileptonic_br(M0, "B+->rho0", mass("e-"))[0]) == pytest.approx(1.58e-4, rel=2e-3)
    assert float(vec.vector_semileptonic_br(M0, "B0->rho-", mass("e-"))[0]) == pytest.approx(2.94e-4, rel=0.03)


def test_bsz_coefficients_meet_the_a0_a12_relation():
    # A12(0) = (m_B^2 - m_V^2)/(8 m_B m_V) A0(0) (arXiv:1503.05534 eq. (16)): checks the transcribed a_0's
    for form, (b, v) in {"Brho": ("B0", "rho(770)0"), "BsK*": ("Bs0", "K*(892)-")}.items():
        mb, mv = mass(b), mass(v)
        a0_a12 = (mb**2 - mv**2) / (8 * mb * mv) * vec.BSZ[form]["A0"][0]
        assert vec.BSZ[form]["A12"][0] == pytest.approx(a0_a12, rel=1e-3)


def test_bs_to_k_normalised_to_pdg():
    # FLAG 2021 Table 48 form factors (t_+ = (m_B + m_pi)^2, f_+(0) = f_0(0) imposed) with PDG |V_ub|: 1.39e-4,
    # 1.31 x PDG BR(B_s -> K- mu+ nu) = 1.06e-4 (1.51 x with the old t_+ = (m_Bs + m_K)^2); normalised (factor 0.76)
    raw = ps.semileptonic_width(M0, "Bs0", "K-", mass("mu-"), "BsK-raw", CKM["ub"])[0] / decay_width("Bs0")
    assert 1.25 < raw / 1.06e-4 < 1.38
    assert float(ps.semileptonic_br(M0, "Bs0->K-", mass("mu-"))[0]) == pytest.approx(1.06e-4, rel=1e-3)


def test_b_to_u_table_matches_exact_width_and_closes_at_threshold():
    m = np.array([1000.0, 3000.0, 4000.0])
    for ch in ("B0->rho-", "Bs0->K*-"):
        parent, child, ckm, form = vec.VECTOR_CHANNELS[ch]
        exact = vec.vector_semileptonic_width(m, parent, child, mass("mu-"), CKM[ckm], form=form)
        table = vec.vector_semileptonic_br(m, ch, mass("mu-")) * decay_width(parent)
        assert np.allclose(table, exact, rtol=0.02)
        limit = vec.vector_threshold(ch, mass("mu-"))
        assert float(vec.vector_semileptonic_br(np.array([limit + 1.0]), ch, mass("mu-"))[0]) == 0.0
    assert ps.threshold("B0->pi-", mass("mu-")) == pytest.approx(mass("B0") - mass("pi-") - mass("mu-"))


def test_b_to_u_channels_reach_the_dump():
    n = get_model("hnl-mu")
    keys = {"B0->pi-mu+N", "B+->pi0mu+N", "Bs0->K-mu+N", "B0->rho-mu+N", "B+->rho0mu+N", "Bs0->K*-mu+N"}
    assert keys <= set(n.production_channels)
    for key in keys:
        parent, tokens = parse_channel(key)
        assert len(tokens) == 2 and tokens[-1] == "mu+"
        assert all(r > 100.0 for r in recoil_masses(parent, tokens)[n.production_parents[key]])
        density = n.production_dalitz_density(key, 2000.0, np.array([5e6]), np.array([10e6]))
        assert density is not None and np.all(np.isfinite(density))
