"""The shipped Pythia production table: provenance, sampling, validation against references."""

import json

import numpy as np
import pytest

from na62lab.config.dump import DumpProduction
from na62lab.errors import InputError
from na62lab.generation.dump.tables import SHIPPED_TABLE, load_table, read_table
from na62lab.physics.particles import mass
from na62lab.physics.units import GeV

REFERENCE = {"pi0": "Pi0", "eta": "Eta", "eta'": "EtaPr", "omega": "Omega", "rho0": "Rho0", "phi": "Phi",
             "K0S": "KS", "B+": "Bcharged", "J/psi": "JPsi", "gamma": "photon", "Ds+": "Ds"}


def test_shipped_table_is_compact_and_has_provenance():
    assert SHIPPED_TABLE.stat().st_size < 5e6
    table = load_table()
    prov = table.provenance
    assert "Pythia 8.317" in prov["generator"] and prov["master_seed"] >= 0
    assert prov["runs"]["soft/p"]["events"] >= 100_000 and prov["runs"]["soft/n"]["events"] >= 100_000
    assert any("Beams:frameType = 2" == s for s in prov["runs"]["soft/p"]["settings"])
    assert {"pi0", "eta", "eta'", "omega", "rho0", "phi", "K+", "K0S", "K0L", "D+", "D0", "Ds+", "B+",
            "B0", "J/psi", "gamma"} <= set(table.species)


def test_per_pot_normalisation_uses_the_card():
    table = load_table()
    prod = DumpProduction(chi_bb=2e-7, cascade_beauty=1.5)
    assert table.per_pot("pi0", prod) == pytest.approx(table.multiplicity("pi0"))
    assert table.per_pot("B+", prod) == pytest.approx(2e-7 * 1.5 * table.multiplicity("B+"))
    assert table.per_pot("J/psi", prod) == pytest.approx(prod.chi_jpsi)
    with pytest.raises(InputError):
        table.per_pot("Z0", prod)


def test_sampling_reproduces_the_binned_mean_momentum():
    table, rng = load_table(), np.random.default_rng(3)
    for name in ("pi0", "B+"):
        p, theta = table.sample(name, 200_000, rng)
        assert np.all(p > mass(name)) and np.all((theta > 0) & (theta < 3.2))
        assert p.mean() == pytest.approx(table.mean_momentum(name), rel=0.03)   # log-uniform within bins


def test_read_table_rejects_missing_file(tmp_path):
    with pytest.raises(InputError):
        read_table(tmp_path / "none.npz")


def _reference_moments(path):
    th, e, w = np.loadtxt(path).T
    dth = dict(zip(np.unique(th), np.gradient(np.unique(th))))
    de = dict(zip(np.unique(e), np.gradient(np.unique(e))))
    weight = w * np.vectorize(dth.get)(th) * np.vectorize(de.get)(e)
    sel = (e > 10.0) & (th < 0.1)
    return ((weight * e).sum() / weight.sum(), (weight[sel] * e[sel]).sum() / weight[sel].sum(),
            (weight[sel] * th[sel]).sum() / weight[sel].sum())


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_spectra_shapes_match_the_sps_reference(name, shared_reference):
    """Mean energy and mean angle vs SensCalc's SPS spectra (shared/reference/sps-meson-spectra).

    Tolerances: 5 % on the mean energy (all and E > 10 GeV), 10 % on the mean
    polar angle for E > 10 GeV, theta < 0.1 rad.  D_s is compared at 40 %: the
    reference is 26 % softer (a different charm production model), a
    difference recorded rather than tuned away.
    """
    e_ref, e10_ref, th_ref = _reference_moments(shared_reference / "sps-meson-spectra" /
                                                f"DoubleDistr_SPS_{REFERENCE[name]}.txt")
    p, theta = load_table().sample(name, 300_000, np.random.default_rng(11))
    e = np.sqrt(p**2 + (mass(name) if name != "gamma" else 0.0) ** 2) / GeV
    sel = (e > 10.0) & (theta < 0.1)
    tol = 0.4 if name == "Ds+" else 0.05
    assert e.mean() == pytest.approx(e_ref, rel=tol)
    assert e[sel].mean() == pytest.approx(e10_ref, rel=tol)
    assert theta[sel].mean() == pytest.approx(th_ref, rel=max(tol, 0.10))


def test_multiplicities_against_published_pp_yields():
    """Per-collision multiplicities vs NA27 pp at 400 GeV/c (LEBC-EHS; Aguilar-Benitez et al.,
    Z. Phys. C 50 (1991) 405): pi0 ~3.9, eta ~0.30, rho0 ~0.39, omega ~0.39, phi ~0.019.

    Pythia's default (Monash) tune is *not* tuned at sqrt(s) = 27 GeV and
    overshoots these by 25-95 % (shared/STACK.md); the shipped table keeps the
    Pythia yields, so the test bounds the ratio Pythia / NA27 in [0.8, 2.0] and
    the eta/pi0 ratio in the 0.08-0.14 range seen at SPS energies.
    """
    table = load_table()
    published = {"pi0": 3.9, "eta": 0.30, "rho0": 0.39, "omega": 0.39, "phi": 0.019}
    for name, value in published.items():
        assert 0.8 <= table.multiplicity(name) / value <= 2.0, name
    assert 0.08 <= table.multiplicity("eta") / table.multiplicity("pi0") <= 0.14


def test_provenance_is_json_in_the_file():
    with np.load(SHIPPED_TABLE) as f:
        assert json.loads(str(f["provenance"]))["made_by"] == "admin/make_production_tables.py"
