"""The positron's own LKr deposit in the E/p rule of the pi0-orientation average (variance.pi0_orientation.eop_pass).

A pi+ or mu+ track fails E/p >= 0.8 when merged pi0 photons alone reach 0.8 p; a positron deposits ~p itself and
passes only from the low tail of its E/p (probability calo_pid.positron_misid, in the PID weight), of which a
fraction (0.8 p - E_merged) / (0.8 p) stays below the cut when photons of energy E_merged join its cluster (tail
taken uniform below the cut, an assumed shape).
"""

import numpy as np
import pytest

from na62lab.config.kaon import KaonCard
from na62lab.detector.params import detector_params, veto_tables
from na62lab.generation.kaon.beam import generate_beam
from na62lab.generation.kaon.decays import generate_mode
from na62lab.generation.kaon.final_state import ELECTRON, MUON, FinalState, Slot
from na62lab.variance.pi0_orientation import all_gamma_gamma, averaged_veto_weight, eop_pass

CARD = KaonCard()
PARAMS, TABLES = detector_params(CARD), veto_tables(CARD)


def test_eop_pass_step_for_pions_and_linear_tail_for_positrons():
    e_cut = 16_000.0                                   # 0.8 x 20 GeV/c, MeV
    assert eop_pass(0.0, e_cut, e_cut, False) == 1.0
    assert eop_pass(15_999.0, e_cut, e_cut, False) == 1.0
    assert eop_pass(16_000.0, e_cut, e_cut, False) == 0.0
    assert eop_pass(0.0, e_cut, e_cut, True) == 1.0
    assert eop_pass(4_000.0, e_cut, e_cut, True) == pytest.approx(0.75)
    assert eop_pass(4_000.0, e_cut - 2_000.0, e_cut, True) == pytest.approx(0.625)   # 2 GeV merged already
    assert eop_pass(20_000.0, e_cut, e_cut, True) == 0.0


def _swap_lepton(fs: FinalState, species: int) -> FinalState:
    """The same decays with the track (slot 0) given another species (same four-momenta)."""
    s0 = fs.slots[0]
    return FinalState(fs.mode, [Slot(s0.p4, np.full_like(s0.species, species), s0.charge), *fs.slots[1:]])


def test_positron_average_is_the_muon_rule_times_the_tail_fraction():
    """K+ -> pi0 e+ nu events (gamma gamma pi0s): the positron's averaged weight is never above the weight with the
    pi+/mu+ rule (the track relabelled a muon; the vetoes of the other particles are the same), equal where no
    photon merges, and lower on average where photons merge (fixed seeds, 21 orientations)."""
    rng = np.random.default_rng(3)
    beam = generate_beam(CARD, 4000, rng)
    fs = generate_mode("pi0enu", beam.p4, rng)
    rows = np.flatnonzero(all_gamma_gamma(fs, np.arange(fs.n)) & (fs.slots[0].species == ELECTRON))
    w_e = averaged_veto_weight(fs, beam.vertex, rows, PARAMS, TABLES, 21, np.random.default_rng(5))
    w_mu = averaged_veto_weight(_swap_lepton(fs, MUON), beam.vertex, rows, PARAMS, TABLES, 21,
                                np.random.default_rng(5))
    no_merge = averaged_veto_weight(fs, beam.vertex, rows, PARAMS, TABLES, 21, np.random.default_rng(5),
                                    eop_max=np.inf)
    assert np.all(w_e <= w_mu * (1 + 1e-12) + 1e-300)
    assert np.all(w_mu <= no_merge * (1 + 1e-12) + 1e-300)
    differ = w_mu > 0
    assert differ.sum() > 100
    assert w_e[differ].sum() < 0.99 * w_mu[differ].sum()
