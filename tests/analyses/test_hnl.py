"""Heavy neutral leptons: K+ -> e+ N, K+ -> mu+ N, pi+ -> e+ N, and the three-body searches."""

import numpy as np
import pytest

from na62lab.analyses import hnl


@pytest.fixture(scope="module")
def results():
    return {name: hnl.run(name) for name in ("hnl-e", "hnl-mu", "hnl-pi-e")}


def _at(result, mass, key="observed_limit"):
    i = int(np.argmin(np.abs(result.masses - mass)))
    return result.extras["u2"][key][i]


def test_br_per_u2_is_the_fips_shrock_product():
    from na62lab.fips import get_model

    m = np.array([150.0, 300.0, 450.0])
    assert np.allclose(hnl.br_per_u2("hnl-e", m), get_model("hnl-e").reduced_production(m)["K+->e+N"], rtol=1e-10)
    # rho -> 1 for a massless N: BR(K+ -> mu+ nu) (PDG 0.6356)
    assert hnl.br_per_u2("hnl-mu", [1e-3])[0] == pytest.approx(0.6356, rel=1e-4)


def test_cards_quote_the_package_estimates():
    # no calibrated number: every background level not simulated by the kaon chain (and N_K of hnl-e) is what
    # analyses.hnl computes (2 %: the cards round to 2-3 digits); errors sqrt(events)
    for name in ("hnl-e", "hnl-mu", "hnl-pi-e"):
        card = hnl.load(name)
        for label, value in hnl.background_estimates(name).items():
            comp = next(c for c in card.backgrounds if c.name.startswith(label))
            assert comp.events == pytest.approx(value, rel=0.02), (name, label)
        for comp in card.backgrounds:
            assert comp.events_error == pytest.approx(np.sqrt(comp.events), rel=0.02), (name, comp.name)
        assert not any("calibrat" in a.lower() for a in card.assumptions), name
    assert hnl.load("hnl-e").normalisation.n_parent == pytest.approx(hnl.control_trigger_n_k(), rel=0.01)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["hnl-mu", "hnl-e"])
def test_cards_quote_the_simulated_backgrounds(name):
    # the K_l3 (pi0 missed) and K_l2-tail components are the kaon fast simulation's (2e6 decays per mode,
    # seed 62; hnl_backgrounds), quoted by the cards: level to 2 %, cumulative shape to 0.003
    from na62lab.analyses import hnl_backgrounds as hb

    card = hnl.load(name)
    sim = hb.simulated_backgrounds(card, name)
    by_name = {c.name: c for c in card.backgrounds}
    for label, v in sim.items():
        comp = by_name[label]
        assert comp.shape == "histogram"
        assert comp.events == pytest.approx(v["events"], rel=0.02, abs=1e-3), label
        # the card may merge empty trailing bins: compare the cumulative shapes at the card's edges
        cdf_sim = np.interp(comp.edges, v["edges"], np.concatenate([[0.0], np.cumsum(v["histogram"])]))
        cdf_card = np.concatenate([[0.0], np.cumsum(comp.weights)]) / np.sum(comp.weights)
        assert np.allclose(cdf_card, cdf_sim / v["events"], atol=0.003), label

@pytest.mark.parametrize("name", ["hnl-mu", "hnl-e"])
def test_cards_simulated_backgrounds_at_lower_statistics(name):
    # fast version of the slow exact check: 2e5 decays per mode (10x fewer, another seed); components whose card
    # value has n_eff >= 50 (Kmu2 gamma IB, Ke3, Kmu2 with mu -> e) agree within 4 statistical sigma (n_eff / 10
    # here)
    from na62lab.analyses import hnl_backgrounds as hb

    card = hnl.load(name)
    sim = hb.simulated_backgrounds(card, name, n=200_000, seed=7)
    by_name = {c.name: c for c in card.backgrounds}
    for label, v in sim.items():
        comp = by_name[label]
        if label.startswith(("K+ -> mu+ nu gamma", "K+ -> pi0 e+ nu", "K+ -> mu+ nu, mu+ -> e+")):
            assert v["n_eff"] > 20, label
            assert v["events"] == pytest.approx(comp.events, rel=4 / np.sqrt(v["n_eff"])), label


def test_control_trigger_n_k():
    # 1 / (SES A_pinunu) / 400 with SES = 8.39e-12, A = 6.37 % (NA62, JHEP 06 (2021) 093)
    assert hnl.control_trigger_n_k() == pytest.approx(1 / (8.39e-12 * 0.0637) / 400, rel=1e-9)


def test_muon_decay_fraction_is_the_decay_probability_when_nothing_is_cut():
    # with every cut open, the toy MC fraction is the mean probability that the mu+ decays between the pi+
    # decay point (uniform in 105-170 m) and z = 170 m (vertex range), about <L> / (beta gamma c tau_mu):
    # <L> = 32.5 m, p_mu ~ 43-75 GeV (mean ~ 59 GeV) -> beta gamma c tau ~ 368 km -> ~ 8.8e-5
    card = hnl.load("hnl-pi-e")
    opened = card.model_copy(update={"signal_regions": [[0.0, 1.0e4]], "daughter_momentum_gev": [0.0, 100.0]})
    old = hnl.CDA_CUT_MM
    try:
        hnl.CDA_CUT_MM = 1.0e9
        frac = hnl.muon_decay_positron_fraction("pi+", opened, n=50_000, seed=1)
    finally:
        hnl.CDA_CUT_MM = old
    assert frac == pytest.approx(8.8e-5, rel=0.15)
    assert hnl.muon_decay_positron_fraction("pi+", card, n=50_000, seed=1) < frac


def test_comparison_with_published_is_reported(results):
    # the published points are compared, whatever the agreement (no calibration any more): the ratio is finite
    for name, r in results.items():
        for p in r.extras["published"]["points"]:
            ours = _at(r, p["mass_mev"])
            assert np.isfinite(ours) and ours > 0, (name, p)


def test_pi_e_n_against_published(results):
    # arXiv:2507.07345: |U_e4|^2 ~ 1e-8 at 95-126 MeV.  Background now estimated (mu -> e decays in flight,
    # toy MC), no longer calibrated: a factor 3 either way is an honest test of the estimate.
    r = results["hnl-pi-e"]
    assert 1e-8 / 3 < _at(r, 110.0, "expected_limit") < 1e-8 * 3
    assert _at(r, 125.0, "expected_limit") > _at(r, 100.0, "expected_limit")   # the positron softens


def test_k_e_n_shape(results):
    # published shape (HEPData): best near 250-350 MeV, weaker at both ends (x2-4 at 150 MeV, x10 near 455 MeV).
    # Ours: x1.7 at 150 MeV (the simulated mu -> e background rises with m_miss; backgrounds peaking at the
    # lower edge, e.g. K+ -> pi+ pi0 with the pi+ taken as e+, are not modelled), and the kinematic end holds
    r = results["hnl-e"]
    mid = _at(r, 300.0, "expected_limit")
    assert _at(r, 150.0, "expected_limit") > 1.3 * mid and _at(r, 455.0, "expected_limit") > 3 * mid


def test_k_mu_n_against_published(results):
    # PLB 816 (2021) 136259, observed |U_mu4|^2 ~ (6-9)e-9 at 250-350 MeV (medians of a third-party digitisation).
    # With the simulated Kmu2 gamma (IB, photon missed) and Kmu3 (pi0 missed) backgrounds ours is 0.9-1.3 of it
    # (was 0.03 with only Kmu3 at an assumed 1e-7 veto inefficiency).  N_K, the flat efficiency and the muon E/p
    # cut are assumed, so a factor 2.5 either way is the honest tolerance
    r = results["hnl-mu"]
    for m, pub in ((250.0, 8.3e-9), (300.0, 8.7e-9), (350.0, 5.9e-9)):
        assert 0.4 < _at(r, m, "expected_limit") / pub < 2.5, m
    assert _at(r, 380.0, "expected_limit") > _at(r, 300.0, "expected_limit")


def test_ib_density_soft_photon_and_dalitz_boundary():
    # Bijnens, Ecker, Gasser NPB 396 (1993) 81: IB ~ 1/x for soft photons at fixed m(nu gamma); zero outside the
    # Dalitz region y >= 1 - x + r/(1 - x), y <= 1 + r
    from na62lab.analyses import hnl_backgrounds as hb

    r = (105.658 / 493.677) ** 2
    y = 1 + r - 0.02
    x = np.array([1e-3, 2e-3])
    d = hb.ib_density(x + 0.03, np.full(2, y), r)            # inside
    assert np.all(d > 0)
    assert hb.ib_density(np.array([0.1]), np.array([0.5]), r)[0] == 0.0   # y below the boundary
    assert hb.ib_density(np.array([0.1]), np.array([1 + r + 1e-3]), r)[0] == 0.0
    # the fraction of Kmu2 decays with m_miss > 190 MeV is O(alpha / pi) x log factors: 1e-3 .. 1e-2
    rng = np.random.default_rng(1)
    xs, ys = rng.uniform(0, 1 - r, 400_000), rng.uniform(2 * np.sqrt(r), 1 + r, 400_000)
    w = hb.ib_density(xs, ys, r) * (1 - r) * (1 + r - 2 * np.sqrt(r))
    frac = np.mean(w * (493.677**2 * (1 + r - ys) > 190.0**2))
    assert 1e-3 < frac < 1e-2


def test_kmu2_gamma_conserves_four_momentum():
    from na62lab.analyses import hnl_backgrounds as hb

    rng = np.random.default_rng(2)
    parent = np.tile([np.hypot(75_000.0, 493.677), 0.0, 0.0, 75_000.0], (1000, 1))
    fs, w = hb.kmu2_gamma(parent, rng)
    ok = w > 0
    assert ok.sum() > 100
    assert np.allclose(fs.total_p4()[ok], parent[ok], atol=1e-3 * 75_000.0 * 1e-3)
    m_miss2 = fs.slots[1].p4 + fs.slots[2].p4
    m = np.sqrt(np.clip(m_miss2[:, 0] ** 2 - np.sum(m_miss2[:, 1:] ** 2, 1), 0, None))[ok]
    assert m.min() > 149.0


def test_kmu2_gamma_weights_integrate_the_ib_density():
    """The generator's weights (density x box area) average to the IB fraction of K+ -> mu+ nu decays with
    m(nu gamma) > 190 MeV, computed by deterministic quadrature of ib_density over the Dalitz region:
    2.166e-3 (MC 2.165e-3 +- 0.013e-3 with 4e5 uniform points); a factor 2 in the weights fails."""
    from scipy import integrate

    from na62lab.analyses import hnl_backgrounds as hb

    m_k, r = 493.677, (105.658 / 493.677) ** 2
    y_cut = 1 + r - (190.0 / m_k) ** 2

    def inner(x):
        lo, hi = max(1 - x + r / (1 - x), 2 * np.sqrt(r)), y_cut
        return 0.0 if hi <= lo else integrate.quad(lambda y: hb.ib_density(np.array([x]), np.array([y]), r)[0],
                                                   lo, hi, limit=200)[0]

    exact = integrate.quad(inner, 0.0, 1.0 - r, limit=200)[0]
    assert exact == pytest.approx(2.166e-3, rel=2e-3)
    parent = np.tile([m_k, 0.0, 0.0, 0.0], (200_000, 1))
    fs, w = hb.kmu2_gamma(parent, np.random.default_rng(4))
    q = fs.slots[1].p4 + fs.slots[2].p4
    on = w * (q[:, 0] ** 2 - np.sum(q[:, 1:] ** 2, 1) > 190.0**2)
    assert np.mean(on) == pytest.approx(exact, abs=4 * np.std(on) / np.sqrt(on.size))


def test_n_k_diagnostic_is_printed(results):
    # N_K is not public: the run prints the N_K factor the published limits imply (never used).  hnl-e: our
    # N_K x A is below even the zero-background minimum 2.3 / BR_pub (a 1/400-downscaled positron sample cannot
    # give the published limits) and N_K would need x > 100 with our backgrounds
    from na62lab.analyses import hnl_backgrounds as hb

    for name in ("hnl-e", "hnl-mu"):
        assert results[name].extras["assumptions"][-1].startswith("DIAGNOSTIC (not used"), name
    r, card = results["hnl-e"], hnl.load("hnl-e")
    k = hb.implied_exposure(r, {p.mass_mev: p.value for p in card.published.points})
    assert all(v > 100 for v in k.values())
    for p in card.published.points:
        i = int(np.argmin(np.abs(r.masses - p.mass_mev)))
        assert r.signal_per_br[i] * r.window_efficiency[i] < 2.3 / (p.value * r.extras["u2"]["br_per_u2"][i])


def test_implied_exposure_is_one_at_our_own_limit(results):
    # closure: taking our own median expected limit as the "published" one gives k = 1
    from na62lab.analyses import hnl_backgrounds as hb

    r = results["hnl-mu"]
    k = hb.implied_exposure(r, {300.0: _at(r, 300.0, "expected_limit")})
    assert k[300.0] == pytest.approx(1.0, rel=0.05)


def test_median_limit_gaussian_form_joins_the_exact_one():
    from na62lab.analyses import hnl_backgrounds as hb
    from na62lab.analyses.kaon_searches_common.engine import expected_bands

    b = np.array([hb.LARGE_COUNT * 1.01])
    exact = expected_bands(b, np.sqrt(b), 0.9)["median"][0]
    assert hb.median_limit(b, np.sqrt(b), 0.9)[0] == pytest.approx(exact, rel=0.02)


def test_kl3_pi0_missed_starts_at_the_pi0_mass():
    # K+ -> pi0 mu+ nu: m_miss = m(pi0 nu) >= m_pi0 = 135 MeV; reconstructed (GTK mis-association, scattering)
    # a negligible fraction falls below 125 MeV; the mean photon-veto weight is small
    from na62lab.analyses import hnl_backgrounds as hb

    m, w = hb.lepton_mmiss("pi0munu", "mu+", 100_000, 3, (5.0, 70.0))
    assert m.size > 40_000
    assert np.mean(m < 125.0) < 1e-3
    assert 0 < np.sum(w) / m.size < 1e-2


def test_kmu2_tail_is_rare_above_190_mev():
    # K+ -> mu+ nu reconstructed: m_miss peaks at 0 with a width of a few MeV; beyond 190 MeV (the search region)
    # the simulated tail (GTK mis-association, scattering) is below 1e-5 per accepted decay
    from na62lab.analyses import hnl_backgrounds as hb

    m, _ = hb.lepton_mmiss("munu", "mu+", 100_000, 3, (5.0, 70.0))
    assert np.median(m) < 20.0
    assert np.mean(m > 190.0) < 1e-5


def test_muon_decay_in_flight_through_the_chain():
    # K+ -> mu+ nu, mu+ -> e+ before STRAW1, with the chain's geometry and GTK association and CDA < 20 mm: fewer
    # positrons per Kmu2 decay than the geometry-free toy (5.7e-5), and m_miss(e) rising from 135 to ~350 MeV
    from na62lab.analyses import hnl_backgrounds as hb

    m, w = hb.lepton_mmiss("munu_edecay", "e+", 200_000, 4, (5.0, 70.0))
    frac = w[(m > 135.0) & (m < 475.0)].sum() / 200_000
    assert 2e-6 < frac < hnl.muon_decay_positron_fraction("K+", hnl.load("hnl-e"), n=50_000, seed=1)
    h = np.histogram(m, [135.0, 200.0, 300.0, 400.0], weights=w)[0]
    assert h[0] < h[1] and h[0] < h[2]


def test_muon_decay_weights_are_the_decay_probability_before_straw1():
    """kmu2_muon_decay draws the mu+ decay point uniformly along its path L to STRAW1 with weight
    L / lambda exp(-l / lambda): per decay it must average to 1 - exp(-L / lambda), lambda = beta gamma c tau_mu
    (the same muons regenerated from the same stream).  Measured 3.2029e-4 vs 3.2029e-4 (1e5 decays)."""
    from na62lab.analyses import hnl_backgrounds as hb
    from na62lab.generation.kaon.beam import generate_beam
    from na62lab.generation.kaon.decays import generate_mode
    from na62lab.physics.particles import ctau, mass
    from na62lab.physics.units import m as metre
    from na62lab.yields.kaon_chain import kaon_card

    beam = generate_beam(kaon_card(None), 100_000, np.random.default_rng(7))
    _, _, w = hb.kmu2_muon_decay(beam, np.random.default_rng(8))
    mu = generate_mode("munu", beam.p4, np.random.default_rng(8)).slots[0].p4
    p = np.linalg.norm(mu[:, 1:], axis=1)
    path = np.clip((hnl.STRAW1_Z_M * metre - beam.vertex[:, 2]) / (mu[:, 3] / p), 0.0, None)
    exact = -np.expm1(-path / (p / mass("mu+") * ctau("mu+")))
    assert np.mean(w) == pytest.approx(np.mean(exact), abs=4 * np.std(w) / np.sqrt(w.size))


def test_histogram_background_shape():
    # piecewise-constant density: fine bins inside one histogram bin share its content by width
    from na62lab.analyses.kaon_searches_common.spectra import shape_in_bins

    edges = np.linspace(0.0, 40.0, 41)
    f = shape_in_bins("histogram", edges, 0.0, 40.0, histogram=(np.array([0.0, 10.0, 40.0]), np.array([3.0, 1.0])))
    assert f.sum() == pytest.approx(1.0)
    assert f[:10] == pytest.approx(np.full(10, 0.075)) and f[10:] == pytest.approx(np.full(30, 0.25 / 30))


def test_k_mu_three_body_limits_are_ordered():
    # PLB 816 (2021) 136259 publishes BR(K+ -> mu+ nu nu nubar) < 1.0e-6 and K+ -> mu+ nu X limits O(1e-5)-O(1e-7)
    # stronger at large m_X; with the hnl-mu card's background (190-388 MeV only; no beam-pion decays or halo
    # muons) ours are stronger than published (reported, not asserted); the mass ordering is a physics test
    lim = hnl.three_body_limits("nuX", masses=[10.0, 200.0, 370.0])["observed_limit"]
    assert np.all(np.isfinite(lim) & (lim > 0)) and lim[-1] < lim[0]
    assert 0 < hnl.three_body_limits("nununu")["observed_limit"][0] < 1.0e-6


def test_k_mu_three_body_signal_carries_the_acceptance():
    """Selected three-body signal = (1/Gamma) dGamma/dm x A(m_miss), A the simulated mu+ acceptance (0.47-0.61 over
    190-380 MeV, 0 at the endpoint): above the mu nu nu nubar threshold (290 MeV) it is 0.52 of the decays there
    (measured; it was 1, the decays alone, before, and the limit 9.2e-8 instead of 1.8e-7)."""
    from na62lab.analyses.kaon_searches_common import engine as eng

    r = hnl.three_body_limits("nununu")
    card = hnl.load("hnl-mu")
    edges = np.array([r["threshold_mev"][0], card.signal_regions[0][1]])
    decays = hnl._signal_in_bins("nununu", 0.0, edges)[0]
    assert r["signal_fraction"][0] / decays == pytest.approx(0.52, abs=0.04)
    model = eng.resolution_model(card, np.array([200.0]))
    half = hnl._signal_in_bins("nununu", 0.0, edges, lambda m: np.full(np.shape(m), 0.5))[0]
    assert half == pytest.approx(0.5 * decays, rel=1e-12)
    assert r["signal_fraction"][0] < float(np.max(model.acceptance)) * decays


def test_lifetime_condition(results):
    r = hnl.run("hnl-e", masses=[300.0], lifetime_ns=1.0)
    assert r.observed_limit[0] > _at(results["hnl-e"], 300.0) * hnl.br_per_u2("hnl-e", [300.0])[0]


def test_mass_without_simulated_acceptance_is_refused():
    # hnl-e: the kaon_sim acceptance vanishes above ~458 MeV (positron below 5 GeV/c or outside the LKr): a user
    # mass there is a one-line input error, not an infinite limit
    from na62lab.errors import InputError

    with pytest.raises(InputError, match="non-zero simulated acceptance"):
        hnl.run("hnl-e", masses=[460.0])
