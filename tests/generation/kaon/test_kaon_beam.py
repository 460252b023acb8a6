"""Beam at GTK3, decay vertices, branching-ratio table."""

import numpy as np
import pytest

from na62lab.config.kaon import KaonCard
from na62lab.errors import InputError
from na62lab.generation.kaon.beam import beam_tracks, decay_z, generate_beam
from na62lab.generation.kaon.branching import K_PLUS_BR, PI0_BR, PI_PLUS_BR, k_plus_br
from na62lab.physics.particles import ctau, mass
from na62lab.physics.units import GeV, m


def test_beam_momentum_bite_and_slope():
    card = KaonCard()
    tr = beam_tracks(card, 200_000, np.random.default_rng(1))
    # card: 75 GeV/c, 1 % rms (arXiv:2312.17188); mean slope 1.2 mrad (TRIM5)
    assert tr.p.mean() == pytest.approx(75 * GeV, rel=1e-4)
    assert tr.p.std() / tr.p.mean() == pytest.approx(0.01, rel=0.01)
    assert tr.tx.mean() == pytest.approx(1.2e-3, abs=1e-6)


def test_decay_vertex_exponential_and_bounds():
    card = KaonCard()
    b = generate_beam(card, 400_000, np.random.default_rng(2))
    z0, z1 = (v * m for v in card.decay_volume.z_range_m)
    z = b.vertex[:, 2]
    assert z.min() >= z0 and z.max() <= z1
    # truncated exponential with lambda = (p/m) c tau ~ 564 m: mean of z - z0 over [0, L]
    lam = 75 * GeV / mass("K+") * ctau("K+")
    L = z1 - z0
    expected = lam - L / np.expm1(L / lam)
    assert (z - z0).mean() == pytest.approx(expected, rel=2e-3)


def test_decay_z_stable_for_extreme_lifetimes():
    rng = np.random.default_rng(3)
    p = np.full(100_000, 75 * GeV)
    long_lived = decay_z(p, 1.0, 1e30, (0.0, 1000.0), rng)      # uniform in the limit
    assert long_lived.mean() == pytest.approx(500.0, rel=0.01)
    short = decay_z(p, 1.0, 1e-8, (0.0, 1000.0), rng)           # all at the start, no overflow
    assert np.all(np.isfinite(short)) and short.max() < 1e-2


def test_four_momenta_on_shell_and_pion_beam():
    card = KaonCard()
    b = generate_beam(card, 1000, np.random.default_rng(4), particle="pi+")
    m2 = b.p4[:, 0] ** 2 - np.sum(b.p4[:, 1:] ** 2, axis=1)
    np.testing.assert_allclose(np.sqrt(m2), mass("pi+"), rtol=1e-6)
    with pytest.raises(InputError):
        generate_beam(card, 10, np.random.default_rng(0), particle="p")


def test_branching_ratio_table():
    main = sum(K_PLUS_BR[x].value for x in ("munu", "pipi0", "pipipi", "pi0enu", "pi0munu", "pipi0pi0"))
    assert main == pytest.approx(1.0, abs=2e-4)      # PDG 2024: the six main modes sum to 99.99 %
    assert sum(b.value for b in PI_PLUS_BR.values()) == pytest.approx(1.0, abs=1e-6)
    assert sum(b.value for b in PI0_BR.values()) == pytest.approx(1.0, abs=1e-4)
    assert all(b.source for b in K_PLUS_BR.values())
    with pytest.raises(InputError):
        k_plus_br("K+ -> nothing")
