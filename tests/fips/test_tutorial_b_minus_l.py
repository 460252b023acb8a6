"""The tutorial's B-L gauge boson (docs/examples/b_minus_l.py) through resolve_model and a small grid.

Physics checks (DarkCast, arXiv:1801.04847, Sec. 2): below the di-muon threshold
Gamma(ee) : Gamma(nu nu) = 1 : 3/2 (x_e^2 / 12 pi against 3 x_nu^2 / 24 pi), so BR(ee) = 0.4; the
e+e- width equals the dark photon's at g/e = epsilon; no rho component (pi pi width and omega -> pi0 X
vanish), omega-like channels x4; pi0 -> gamma X as the dark photon.  In the dump below 90 MeV, where
pi0 decays and bremsstrahlung (both as the dark photon's) dominate, the same e+e- width gives the same
long-lived (lower) edge (measured: ratios 1.008-1.023; eta x 0.315 and no rho mixing make the rest), while
the 2.5 times larger total width pulls the short-lived (upper) edge down (measured ratio 0.574).
"""

from pathlib import Path

import numpy as np
import pytest

from na62lab.analyses.beam_dump import sensitivity
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.fips import get_model, resolve_model

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "b_minus_l.py"
SPEC = f"{EXAMPLE}:BMinusL"


pytestmark = pytest.mark.usefixtures("isolated_cache")


def test_the_tutorial_model_resolves_with_the_b_minus_l_widths():
    bl, dp = resolve_model(SPEC), get_model("dark-photon")
    assert bl.name == "b-minus-l" and bl.polarised and bl.coupling_name == "g_B-L/e"
    br = bl.branching_ratios(100.0)                                  # MeV, below 2 m_mu
    assert float(br["ee"]) == pytest.approx(0.4, rel=1e-6) and float(br["nunu"]) == pytest.approx(0.6, rel=1e-6)
    m = np.array([100.0, 500.0, 782.0])
    w_bl, w_dp = bl.reduced_widths(m), dp.reduced_widths(m)
    np.testing.assert_allclose(w_bl["ee"], w_dp["ee"], rtol=1e-12)
    np.testing.assert_allclose(w_bl["3pi"], 4 * w_dp["3pi"], rtol=1e-12)
    assert np.all(w_bl["pipi"] == 0)
    p_bl, p_dp = bl.reduced_production(m), dp.reduced_production(m)
    np.testing.assert_allclose(p_bl["pi0->gammaA"], p_dp["pi0->gammaA"], rtol=1e-12)
    assert np.all(p_bl["omega->pi0A"] == 0)
    assert float(p_bl["eta->gammaA"][0] / p_dp["eta->gammaA"][0]) == pytest.approx(0.315, abs=1e-3)
    assert float(bl.vector_mixing(782.0, "rho0")) == 0.0


def test_every_hadronic_channel_of_the_dark_photon_has_its_b_minus_l_charge():
    """The exclusive e+e- channels (vector_exclusive fits): eta pi+ pi- (rho tower) and omega pi0 -> pi0 pi0
    gamma (isovector, SND fit with rho states) vanish for B-L; omega eta (omega(1420), omega(1650)) x4; phi eta
    (phi(1680)) x1.  A dark-photon channel the example does not name would silently get 1."""
    bl, dp = resolve_model(SPEC), get_model("dark-photon")
    m = np.array([1700.0, 1800.0, 1900.0])          # MeV, above the phi eta threshold (1.567 GeV)
    w_bl, w_dp = bl.reduced_widths(m), dp.reduced_widths(m)
    assert set(w_dp) - {"ee", "mumu", "tautau"} <= set(bl_module().HADRONS)
    for channel, factor in (("pipieta", 0.0), ("pi0pi0gamma", 0.0), ("4pi", 0.0), ("omegaeta", 4.0),
                            ("phieta", 1.0)):
        assert np.all(w_dp[channel] > 0), channel
        np.testing.assert_allclose(w_bl[channel], factor * w_dp[channel], rtol=1e-12)


def bl_module():
    """The example file as a module (its HADRONS table)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("b_minus_l_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_tutorial_model_on_a_small_grid():
    """NA62 2021, 30-90 MeV (pi0 decays and bremsstrahlung): lower edges as the dark photon's within 5 %,
    upper edges below the dark photon's by the total-width ratio."""
    card = load_card("na62_dump_2021", DumpCard).model_copy(
        update={"mc": DumpMC(n_fip=300, n_mass_nodes=4, n_z_bins=3, n_ctau_nodes=40, seed=5)})
    kwargs = dict(mass_range_gev=(0.03, 0.09), coupling_range=(1e-8, 1e-3), channels=["ee"], workers=1)
    bl = sensitivity(SPEC, card, 5, 16, **kwargs)
    dp = sensitivity("dark-photon", card, 5, 16, **kwargs)
    assert bl.model == "b-minus-l" and bl.excluded_ranges
    # compared where both have a range: the mass refinement inserts midpoints where each model's edges bend,
    # so the inserted masses differ (a closing "tip" row, where the region ends between grid masses, has no
    # counterpart either); the grid masses are common to both
    a = {round(r["mass_gev"], 6): r for r in dp.excluded_ranges if not r.get("tip")}
    common = [r for r in bl.excluded_ranges if round(r["mass_gev"], 6) in a and not r.get("tip")]
    assert len(common) >= 4, (len(common), len(bl.excluded_ranges))
    for r in common:
        ref = a[round(r["mass_gev"], 6)]
        assert r["coupling_min"] == pytest.approx(ref["coupling_min"], rel=0.05)
        assert 0.45 < r["coupling_max"] / ref["coupling_max"] < 0.7
