"""Heavy neutral leptons in the dump (BC6-BC8): production from D, Ds, B, K decays and visible decays."""

import numpy as np
import pytest

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpMC
from na62lab.fips import get_model, register
from na62lab.fips.hnl import HNL
from na62lab.generation.dump.fip_decays import decay_visible
from na62lab.generation.dump.sources import production_modes
from na62lab.generation.dump.tables import load_table
from na62lab.physics.kinematics import invariant_mass2
from na62lab.yields.dump_grid import expected_events

CARD = load_card("na62_dump_2021", DumpCard)
SMALL = CARD.model_copy(update={"mc": DumpMC(n_fip=300, n_mass_nodes=4, n_z_bins=3, n_ctau_nodes=40, seed=5)})


pytestmark = pytest.mark.usefixtures("isolated_cache")


def _sources(name):
    return production_modes(get_model(name), CARD, load_table())


def test_hnl_mu_is_produced_in_charm_beauty_and_kaon_decays():
    """Bondarenko et al. arXiv:1805.08567 Sec. 2: two-body P -> l N and three-body P -> P' l N."""
    src = _sources("hnl-mu")
    names = {m.name for m in src.modes}
    assert {"Ds+->mu+N", "D+->mu+N", "D0->K-mu+N", "D+->K0mu+N", "B+->mu+N", "B+->D0mu+N",
            "B0->D-mu+N", "Bs0->Ds-mu+N", "Bc+->mu+N", "K+->mu+N"} <= names   # B_c+: card bc_to_bplus (assumed)
    assert not any(k.startswith(("Bc", "Bs")) for k in src.skipped)


def test_charm_rate_is_chi_cc_times_hadrons_per_pair_times_branching_ratio():
    model, table = get_model("hnl-mu"), load_table()
    mode = next(m for m in _sources("hnl-mu").modes if m.name == "Ds+->mu+N")
    m = np.array([500.0, 1500.0])
    chi = CARD.production.chi_cc * CARD.production.cascade_charm
    expected = chi * table.multiplicity("Ds+") * model.reduced_production(m)["Ds+->mu+N"]
    np.testing.assert_allclose(mode.rate(m), expected, rtol=1e-12)


def test_three_body_production_kinematics():
    mode = next(m for m in _sources("hnl-e").modes if m.name == "D0->K-e+N")
    s = mode.sampler(800.0, 3000, np.random.default_rng(1))
    np.testing.assert_allclose(np.sqrt(invariant_mass2(s.p4)), 800.0, rtol=1e-6)
    assert mode.max_mass == pytest.approx(1864.84 - 493.677 - 0.511, abs=0.01)
    assert s.weight.sum() == pytest.approx(1.0)


def test_visible_hnl_decays():
    rng = np.random.default_rng(2)
    p4 = np.array([[np.hypot(3e4, 1000.0), 0.0, 0.0, 3e4]] * 500)
    rho = decay_visible("rhomu", p4, rng)
    assert rho.kinds == ("pi", "gamma", "gamma", "mu") and rho.charges == (1, 0, 0, -1)
    np.testing.assert_allclose(np.sum(rho.p4, axis=0), p4, rtol=1e-9, atol=1e-6)
    nu = decay_visible("numumu", p4, rng)
    assert nu.kinds == ("mu", "mu")
    assert np.all(np.sum(nu.p4, axis=0)[:, 0] < p4[:, 0])           # the neutrino carries energy away


def test_majorana_hnl_doubles_the_long_lived_signal_of_a_dirac_hnl():
    """Same production; the Majorana widths are twice the Dirac ones (arXiv:1805.08567 Sec. 3), so
    in the long-lived regime N_exp ~ Gamma_visible doubles."""
    register("test-hnl-mu-dirac", lambda **o: HNL(ratios=(0, 1, 0), majorana=False, name="test-hnl-mu-dirac"))
    masses, u2 = np.array([400.0, 1000.0]), np.array([1e-12, 2e-12])
    maj = expected_events("hnl-mu", SMALL, masses, u2, ["pimu"], use_cache=False)
    dirac = expected_events("test-hnl-mu-dirac", SMALL, masses, u2, ["pimu"], use_cache=False)
    np.testing.assert_allclose(maj.total / dirac.total, 2.0, rtol=1e-3)
    np.testing.assert_allclose(maj.total[:, 1] / maj.total[:, 0], 4.0, rtol=1e-3)    # U2^2 scaling


def test_reach_note_charm_ends_at_ds_and_beauty_is_1e4_times_rarer():
    """The contours close at m(Ds) - m_l: beyond, only B decays (chi_bb/chi_cc ~ 1e-4, card) produce
    (Bondarenko et al. arXiv:1805.08567 Sec. 2; measured in the README)."""
    src = _sources("hnl-e")
    note = next(n for n in src.notes if n.startswith("reach:"))
    assert "1.968 GeV" in note and "9.4e-05" in note
    mu_note = next(n for n in _sources("hnl-mu").notes if n.startswith("reach:"))
    assert "1.863 GeV" in mu_note
    charm = sum(m.rate(np.array([1800.0]))[0] for m in src.modes if m.name.startswith(("D", "Ds")))
    beauty = sum(m.rate(np.array([2200.0]))[0] for m in src.modes if m.name.startswith("B"))
    assert 0 < beauty / charm < 1e-3
    assert not any(n.startswith("reach:") for n in _sources("dark-scalar").notes)   # B only, no charm


def test_taus_from_ds_produce_hnls():
    """tau -> N X with taus from Ds+ -> tau+ nu and D+ -> tau+ nu (arXiv:1805.08567 Sec. 2.3): U_tau opens the
    hadronic and leptonic channels, U_e only tau -> nu e N; rate = parents per POT x BR(P -> tau nu) x
    BR(tau -> N X); the D+ adds 6.5 % to the D_s taus."""
    tau_src, e_src = _sources("hnl-tau"), _sources("hnl-e")
    channels = ("pi", "K", "rho", "K*", "e nu", "mu nu")
    for parent in ("Ds+", "D+"):
        tau_names = {m.name for m in tau_src.modes if m.name.startswith(f"{parent}->tau+ (")}
        assert tau_names == {f"{parent}->tau+ (tau->N {x})" for x in channels}
        assert {m.name for m in e_src.modes if m.name.startswith(f"{parent}->tau+ (")} == {
            f"{parent}->tau+ (tau->nu e N)"}
    assert not any("tau->N X" in k for k in tau_src.skipped)
    model, table = get_model("hnl-tau"), load_table()
    m = np.array([300.0, 1200.0])
    for parent in ("Ds+", "D+"):
        mode = next(md for md in tau_src.modes if md.name == f"{parent}->tau+ (tau->N pi)")
        expected = (table.per_pot(parent, CARD.production) * model.tau_parent_brs[parent]
                    * model.tau_production(m)["tau->N pi"])
        np.testing.assert_allclose(mode.rate(m), expected, rtol=1e-12)
        assert mode.max_mass == pytest.approx(1776.93 - 139.57, abs=0.1)
        s = mode.sampler(900.0, 2000, np.random.default_rng(3))
        np.testing.assert_allclose(np.sqrt(invariant_mass2(s.p4)), 900.0, rtol=1e-6)
        assert s.weight.sum() == pytest.approx(1.0)
    ds, dplus = (table.per_pot(p, CARD.production) * model.tau_parent_brs[p] for p in ("Ds+", "D+"))
    assert 0.05 < dplus / ds < 0.08                 # measured 0.065 (D+/Ds+ = 3.3, BR 1.03e-3 / 5.21e-2)


def test_hnl_tau_production_is_dominated_by_taus_between_ds_and_tau_ends():
    """BC8 above m(Ds) - m_tau = 0.19 GeV: no Ds -> tau N, the taus from Ds carry the production."""
    src = _sources("hnl-tau")
    m = np.array([800.0])
    from_taus = sum(md.rate(m)[0] for md in src.modes if "->tau+ (" in md.name)
    others = sum(md.rate(m)[0] for md in src.modes if "->tau+ (" not in md.name)
    assert from_taus > 10 * others


def test_charm_reach_counts_the_tau_chain():
    """The 'reach' note of an HNL result names where charm production ends.  For U_tau (BC8) the charm modes are the
    tau chain D_s+, D+ -> tau+ nu, tau -> N X (up to m_tau - m_e = 1.776 GeV, PDG masses), not D_s+ -> tau+ N
    (m_Ds - m_tau = 0.191 GeV): the note read 'the charm channels end at 0.191 GeV; above, only beauty decays
    produce' under a region excluded to 1.41 GeV.  hnl-e keeps D_s+ -> e+ N (m_Ds - m_e = 1.968 GeV)."""
    from na62lab.generation.dump.sources import heavy_flavour_ends

    card = load_card("na62_dump_run2", DumpCard)
    table = load_table(card.production.production_table)
    ends = {m: heavy_flavour_ends(production_modes(get_model(m), card, table).modes)["charm"]
            for m in ("hnl-tau", "hnl-e")}
    assert ends["hnl-tau"] == pytest.approx(1776.4, abs=0.2)
    assert ends["hnl-e"] == pytest.approx(1967.8, abs=0.2)
