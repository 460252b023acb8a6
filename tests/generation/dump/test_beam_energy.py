"""Production at another beam energy (issue 16 item 2): Pythia settings, shard layout, the shipped
70 GeV iron table for NuCal and the beam-energy dependence of the proton bremsstrahlung."""

import json

import numpy as np
import pytest

from na62lab.config.base import load_card
from na62lab.config.dump import DumpCard, DumpRun
from na62lab.errors import InputError
from na62lab.fips.dark_photon import pp_total_cross_section
from na62lab.generation.dump import bremsstrahlung
from na62lab.generation.dump.pythia_production import pythia_settings
from na62lab.generation.dump.table_builder import NUCLEI, merge_shards, plan_shards
from na62lab.generation.dump.tables import load_table
from na62lab.physics.particles import mass as pdg_mass
from na62lab.physics.units import GeV

NUCAL_TABLE = "production_tables_70GeV_Fe.npz"


def test_pythia_settings_carry_the_beam_energy():
    assert "Beams:eA = 70.0" in pythia_settings("soft", "p", 3, 70.0)
    assert "Beams:eA = 400.0" in pythia_settings("soft", "n", 3)
    with pytest.raises(InputError, match="beam_energy_gev"):
        pythia_settings("soft", "p", 3, 5.0)


def test_shards_at_another_energy_keep_the_seeds_and_get_their_own_files():
    a, b = plan_shards({"soft": 30}, 10, 7), plan_shards({"soft": 30}, 10, 7, 70.0)
    assert [s.seed for s in a] == [s.seed for s in b]
    assert all(s.beam_energy_gev == 70.0 and s.filename.startswith("70GeV_") for s in b)
    assert not set(s.filename for s in a) & set(s.filename for s in b)   # a 400 GeV shard is never reused


def _fake_shard(path, target, counts, energy):
    meta = {"kind": "soft", "target": target, "n_events": 10, "seed": 1, "sigma_mb": 30.0,
            "settings": [f"Beams:eA = {energy}"]}
    np.savez(path, meta=json.dumps(meta), **{f"counts/{k}": v for k, v in counts.items()})


def test_iron_table_weights_protons_and_neutrons_by_z_over_a(tmp_path):
    from na62lab.generation.dump.pythia_production import SPECIES

    shape = (73, 55)
    zero = {k: np.zeros(shape, np.int64) for k in SPECIES["soft"]}
    p_counts, n_counts = dict(zero), dict(zero)
    p_counts["pi0"] = np.full(shape, 10, np.int64)               # 1 pi0 per bin per event on protons only
    _fake_shard(tmp_path / "p.npz", "p", p_counts, 70.0)
    _fake_shard(tmp_path / "n.npz", "n", n_counts, 70.0)
    arrays = merge_shards([str(tmp_path / "p.npz"), str(tmp_path / "n.npz")], 1, "Fe")
    i = list(arrays["species"]).index("pi0")
    z, a = NUCLEI["Fe"]
    np.testing.assert_allclose(arrays["density"][i], z / a)
    assert "Fe nucleons" in str(arrays["provenance"])
    with pytest.raises(InputError):
        merge_shards([str(tmp_path / "p.npz")], 1, "Pb")


def test_shipped_70_gev_table_has_its_provenance_and_softer_spectra():
    t70, t400 = load_table(NUCAL_TABLE), load_table()
    runs = t70.provenance["runs"]
    assert set(runs) >= {"soft/p", "soft/n", "charm/p", "charm/n"} and not any(k.startswith("beauty") for k in runs)
    assert all("Beams:eA = 70.0" in r["settings"] for r in runs.values())
    assert "Fe nucleons" in t70.provenance["target"] and runs["soft/p"]["events"] >= 20_000
    # fewer and softer mesons at sqrt(s) = 11.5 GeV than at 27.4 GeV (Pythia 8, same tune)
    assert t70.multiplicity("pi0") < 0.8 * t400.multiplicity("pi0")
    assert t70.mean_momentum("pi0") < 0.4 * t400.mean_momentum("pi0")


def test_bremsstrahlung_follows_the_card_beam_energy():
    """arXiv:1311.3870 eqs. (2)-(5): s = 2 M E_beam in the cross-section ratio, A' momentum z p_beam."""
    card = DumpCard(run=DumpRun(beam_energy_gev=70.0))
    s = bremsstrahlung.sample(300.0, 4000, card, np.random.default_rng(3))
    p_beam = np.sqrt((70.0 * GeV) ** 2 - pdg_mass("p") ** 2)
    z = s.p4[:, 3] / p_beam
    assert z.min() >= 0.1 and z.max() <= 0.9 and bremsstrahlung.beam_momentum(card) == pytest.approx(p_beam)
    zz, pt2, m = 0.4, 0.2 * GeV**2, 300.0
    s70 = 2 * pdg_mass("p") * 70.0 * GeV
    ratio = pp_total_cross_section(s70 * (1 - zz)) / pp_total_cross_section(s70)
    from na62lab.fips.dark_photon import brems_splitting_function, proton_form_factor

    expected = ratio * abs(proton_form_factor(m * m)) ** 2 * brems_splitting_function(zz, pt2, m)
    assert float(bremsstrahlung.emission_density(zz, pt2, m, card)) == pytest.approx(float(expected), rel=1e-12)
    # the splitting function does not depend on E_beam: only the cross-section ratio does (a few per cent)
    r70 = bremsstrahlung.production_rate(300.0, card)[0] / bremsstrahlung.production_rate(300.0, DumpCard())[0]
    assert 0.9 < r70 < 1.1 and r70 != 1.0


def test_brems_density_has_no_silent_beam_energy():
    """dark_photon.brems_emission_density needs the beam energy (no 400 GeV default, wrong for NuCal's 70 GeV);
    the dump generator is that function at the card's run.beam_energy_gev."""
    from na62lab.fips.dark_photon import brems_emission_density

    with pytest.raises(TypeError):
        brems_emission_density(0.4, 0.2 * GeV**2, 300.0)   # type: ignore[call-arg]
    nucal = load_card("nucal", DumpCard)
    z, pt2, m = np.array([0.2, 0.5, 0.8]), 0.1 * GeV**2, np.array([[300.0], [775.0]])
    ours = bremsstrahlung.emission_density(z, pt2, m, nucal)
    assert np.array_equal(ours, brems_emission_density(z, pt2, m, 70.0 * GeV, nucal.production.brems_form_factor))
    assert not np.allclose(ours, brems_emission_density(z, pt2, m, 400.0 * GeV))


def test_nucal_card_uses_the_70_gev_table_and_a_400_gev_table_is_refused():
    from na62lab.yields.dump_grid import check_beam_energy, table_beam_energy

    card = load_card("nucal", DumpCard)
    assert table_beam_energy(load_table(card.production.production_table)) == 70.0
    check_beam_energy(card)                                       # no error
    wrong = card.model_copy(update={"production": card.production.model_copy(update={"production_table": None})})
    with pytest.raises(InputError, match="beam_energy_gev"):
        check_beam_energy(wrong)
