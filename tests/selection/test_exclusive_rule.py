"""Card field ``selection.exclusive_rule``: exclusive final states selected by every daughter (NA62) or by their
charged tracks (SHiP, SHADOWS: CERN-SPSC-2023-033, SHiP HNL study arXiv:1811.00930: any decay with two charged
tracks from a vertex in the decay vessel, other particles allowed)."""

import numpy as np
import pytest

from na62lab.cli.main import main
from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard
from na62lab.fips import get_model
from na62lab.generation.dump.fip_decays import CHARGE_MODES, decay_charge_modes, decay_mixture, decay_visible
from na62lab.physics.constants import BR_ETA_GG
from na62lab.selection.dump_selection import select_decay
from na62lab.yields.dump_grid import charged_fraction


def _rule(card: DumpCard, rule: str) -> DumpCard:
    return card.model_copy(update={"selection": card.selection.model_copy(update={"exclusive_rule": rule})})


def _pipieta_photons_out(n: int = 4) -> tuple[np.ndarray, object]:
    """pi+ pi- eta decays at rest-ish kinematics built by hand: both pions straight down the SHiP vessel,
    both eta photons at 45 degrees (outside the 4 m x 6 m end cap from z = 60 m)."""
    e_pi, e_g = 20000.0, 2000.0
    p_pi = np.sqrt(e_pi**2 - 139.57**2)
    pip = np.tile([e_pi, 10.0, 0.0, p_pi], (n, 1))
    pim = np.tile([e_pi, -10.0, 0.0, p_pi], (n, 1))
    g1 = np.tile([e_g, e_g / np.sqrt(2), 0.0, e_g / np.sqrt(2)], (n, 1))
    g2 = np.tile([e_g, 0.0, e_g / np.sqrt(2), e_g / np.sqrt(2)], (n, 1))
    vtx = np.tile([0.0, 0.0, 60000.0], (n, 1))
    dec = type("Dec", (), {"p4": [pip, pim, g1, g2], "kinds": ("pi", "pi", "gamma", "gamma"),
                           "charges": (1, -1, 0, 0), "inclusive": None})()
    return vtx, dec


def test_charged_tracks_accepts_pipieta_with_photons_outside():
    card = load_card("ship", DumpCard)
    assert card.selection.exclusive_rule == "charged_tracks"
    vtx, dec = _pipieta_photons_out()
    rng = np.random.default_rng(1)
    assert select_decay(vtx, dec, card, rng).all()
    assert not select_decay(vtx, dec, _rule(card, "all_daughters"), rng).any()
    # one pion outside the end cap: fewer than inclusive_min_tracks = 2 accepted tracks, rejected either way
    dec.p4[1] = dec.p4[1].copy()
    dec.p4[1][:, 1] = 0.7 * dec.p4[1][:, 3]
    assert not select_decay(vtx, dec, card, rng).any()


def test_cards_rule_and_defaults():
    """SHiP and SHADOWS count charged tracks; the NA62 cards, HIKE, CHARM, NuCal, BEBC keep every daughter."""
    for name in ("ship", "shadows"):
        assert load_card(name, DumpCard).selection.exclusive_rule == "charged_tracks", name
    for name in ("na62_dump_2021", "na62_dump_run2", "hike", "charm", "nucal", "bebc"):
        assert load_card(name, DumpCard).selection.exclusive_rule == "all_daughters", name
    assert DumpCard().selection.exclusive_rule == "all_daughters"


def test_bad_rule_is_one_line_exit_2(tmp_path, capsys):
    from importlib import resources

    text = (resources.files("na62lab.config") / "cards" / "ship.yaml").read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("exclusive_rule: charged_tracks", "exclusive_rule: every_track"))
    assert main(["sensitivity", "--card", str(bad), "--model", "dark-photon"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "exclusive_rule" in err and "every_track" in err
    assert "all_daughters" in err and "charged_tracks" in err and "Traceback" not in err


def test_visible_fraction_and_charge_modes():
    """With charged_tracks any eta decay counts (fraction 1, not BR(eta -> gamma gamma)); K Kbar pi is drawn in
    K+ K- pi0 : K+- K0 pi-+ = 1 : 4 (isoscalar 1 : 1 : 2 : 2), two charged daughters each, 4 pi in pi+ pi- 2 pi0 and
    2 pi+ 2 pi-; the fraction of the width counted is 5/6 (K Kbar pi) and 1 (4 pi) for the ALP, 1 - K0 K0bar pi0 of
    the K K* fit for the dark photon."""
    rng = np.random.default_rng(3)
    fip = np.tile([np.hypot(3e4, 1500.0), 0.0, 0.0, 3e4], (20000, 1))
    assert decay_visible("pipieta", fip[:10], rng).visible_fraction == pytest.approx(BR_ETA_GG)
    assert decay_visible("pipieta", fip[:10], rng, charged_tracks=True).visible_fraction == 1.0
    dec = decay_visible("KKpi", fip, rng, charged_tracks=True)
    assert np.all(dec.inclusive.charged.sum(axis=1) == 2)
    assert np.all(dec.inclusive.charges.sum(axis=1) == 0)
    with_photons = (dec.inclusive.codes == 1).any(axis=1)
    share = CHARGE_MODES["KKpi"]["K+K-pi0"] / sum(CHARGE_MODES["KKpi"].values())
    assert with_photons.mean() == pytest.approx(share, abs=0.01)
    assert np.allclose(sum(dec.p4)[with_photons], fip[0], rtol=1e-9, atol=1e-6)   # nothing invisible
    four = decay_charge_modes("4pi", fip, rng, {"pi+pi-pi0pi0": 0.25, "2pi+2pi-": 0.75})
    n_charged = four.inclusive.charged.sum(axis=1)
    assert set(n_charged.tolist()) == {2, 4} and (n_charged == 4).mean() == pytest.approx(0.75, abs=0.01)
    assert np.all((four.inclusive.codes == 1).sum(axis=1) == np.where(n_charged == 2, 4, 0))
    assert np.allclose(sum(four.p4), fip[0], rtol=1e-9, atol=1e-6)
    ship = load_card("ship", DumpCard)
    m = np.array([1500.0])
    alp = get_model("alp-fermion")
    assert charged_fraction(alp, "KKpi", m, ship)[0] == pytest.approx(5 / 6)
    assert charged_fraction(alp, "4pi", m, ship)[0] == pytest.approx(1.0)
    assert charged_fraction(alp, "KKpi", m)[0] == pytest.approx(1 / 6)
    assert charged_fraction(alp, "KKpi", m, _rule(ship, "all_daughters"))[0] == pytest.approx(1 / 6)
    # the ALP table's 4 pi is rho rho: 2/3 pi+ pi- 2 pi0 (0be2f30; 1/2, the e+e- value, before)
    assert charged_fraction(alp, "4pi", m, _rule(ship, "all_daughters"))[0] == pytest.approx(2 / 3)
    assert charged_fraction(alp, "pipieta", m, ship)[0] == pytest.approx(1 / 1.527)     # pi0 pi0 eta: no track
    dp = get_model("dark-photon")
    assert charged_fraction(dp, "KKpi", m)[0] < charged_fraction(dp, "KKpi", m, ship)[0] < 1.0
    assert charged_fraction(dp, "4pi", m, ship)[0] == pytest.approx(1.0)
    modes = decay_mixture(dp, "KKpi", 1500.0, charged_tracks=True)
    assert set(modes) == {"K+K-pi0", "K+-K0pi-+"} and sum(modes.values()) == pytest.approx(
        charged_fraction(dp, "KKpi", m, ship)[0])
    assert decay_mixture(alp, "KKpi", 1500.0) is None
    # below the K+ K0 pi- threshold (1130.9 MeV) only K+ K- pi0 is drawn
    low = decay_charge_modes("KKpi", np.tile([np.hypot(3e4, 1126.0), 0.0, 0.0, 3e4], (2000, 1)), rng)
    assert np.array_equal(low.inclusive.charged.sum(axis=1) == 2, (low.inclusive.codes == 1).any(axis=1))
