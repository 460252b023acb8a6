"""Single-source physics: each constant and shared formula has one home (issue 15 item 5)."""

from __future__ import annotations

import numpy as np
import pytest

from na62lab.physics import constants as c
from na62lab.physics import kinematics


def test_values_are_pdg_2024():
    # PDG 2024 (PRD 110 (2024) 030001) Table 1.1: alpha = 1/137.035999177(21), hbar c = 197.3269804 MeV fm,
    # m_e = 0.51099895069(16) MeV; pi0 listing BR(gamma gamma) = 98.823 %; eta listing 39.36 %; FLAG 2021 f_pi
    assert 1 / c.ALPHA_EM == pytest.approx(137.035999177, rel=2e-10)
    assert c.HBARC_MEV_FM == pytest.approx(197.3269804, rel=1e-9)
    assert c.HBARC == pytest.approx(197.3269804e-12, rel=1e-9)         # MeV mm, the internal unit
    assert c.M_E == pytest.approx(0.51099895069, rel=2e-9)             # quoted to 8 digits
    assert (c.BR_PI0_GG, c.BR_ETA_GG, c.F_PI) == (0.98823, 0.3936, 130.2)
    assert c.MU_P == pytest.approx(2.79284734463, rel=1e-11)           # p listing, CODATA 2018 = 2022
    assert c.AVOGADRO == 6.02214076e23                                 # Table 1.1, exact (SI 2019)


def test_every_user_reads_the_one_value():
    from na62lab.detector import scattering
    from na62lab.fips import alp_hadrons, base
    from na62lab.fips import constants as fips_constants
    from na62lab.generation.dump import drell_yan, fip_decays, photon_fusion, primakoff
    from na62lab.generation.kaon.branching import K_PLUS_BR, PI0_BR, PI_PLUS_BR
    from na62lab.physics.units import hbarc

    assert fips_constants.ALPHA_EM is c.ALPHA_EM
    assert fips_constants.BR_GAMMA_GAMMA["pi0"] is c.BR_PI0_GG and fips_constants.BR_GAMMA_GAMMA["eta"] is c.BR_ETA_GG
    assert fips_constants.DECAY_CONSTANT["pi+"] is c.F_PI and alp_hadrons.F_PI is c.F_PI
    assert alp_hadrons.POLE_MASS is fips_constants.QUARK_POLE_MASS
    quark_ms = fips_constants.QUARK_MASS_2GEV
    assert (alp_hadrons.M_U, alp_hadrons.M_D) == (quark_ms["u"], quark_ms["d"])
    assert fip_decays.BR_PI0_GG is c.BR_PI0_GG and fip_decays.BR_ETA_GG is c.BR_ETA_GG
    assert PI0_BR["gg"].value is c.BR_PI0_GG
    lnu = fips_constants.BR_LNU
    assert lnu["K+->mu+"] is K_PLUS_BR["munu"].value
    assert lnu["pi+->e+"] is PI_PLUS_BR["enu"].value and lnu["pi+->mu+"] is PI_PLUS_BR["munu"].value
    assert scattering.ALPHA_EM is c.ALPHA_EM and scattering.M_E is c.M_E and scattering.HBARC_MEV_FM is c.HBARC_MEV_FM
    assert hbarc == c.HBARC
    assert photon_fusion.MU_P is c.MU_P
    assert primakoff.AVOGADRO is c.AVOGADRO and drell_yan.AVOGADRO is c.AVOGADRO
    assert base.kallen is kinematics.kallen


def test_top_mass_is_the_pdg_table_one():
    # RPP 2026 (the particle package's mass_width_2026): m_t = 172.60 +- 0.27 GeV, direct measurements
    # (PDG 2024: 172.57 +- 0.29); the scalar and ALP top loops and the BC10 coefficient read the same value
    from na62lab.fips import alp, alp_flavour, alp_production, dark_scalar
    from na62lab.fips import constants as fips_constants
    from na62lab.physics.particles import mass

    assert fips_constants.M_TOP == mass("t") == pytest.approx(172.60e3, abs=10.0)
    assert all(module.M_TOP is fips_constants.M_TOP for module in (alp, alp_flavour, alp_production, dark_scalar))


def test_kallen_is_the_cancellation_safe_form():
    # lambda(a, b, c) near threshold: a = (sqrt b + sqrt c)^2 (1 + 1e-12); the exact value is
    # 4 sqrt(b c) (sqrt b + sqrt c)^2 1e-12 + O(1e-24).  The expanded form loses it to cancellation.
    b, cc = 493.677**2, 139.57**2
    a = (np.sqrt(b) + np.sqrt(cc)) ** 2 * (1 + 1e-12)
    exact = 4 * np.sqrt(b * cc) * (np.sqrt(b) + np.sqrt(cc)) ** 2 * 1e-12
    naive = a * a + b * b + cc * cc - 2.0 * (a * b + a * cc + b * cc)
    assert kinematics.kallen(a, b, cc) == pytest.approx(exact, rel=1e-3)
    assert abs(naive / exact - 1) > abs(kinematics.kallen(a, b, cc) / exact - 1)
