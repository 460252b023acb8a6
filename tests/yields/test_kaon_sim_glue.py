"""The compiled glue of the kaon chunk (track pass, row-indexed GTK matching and PID, selection pass) against the
numpy formulation it replaced: same random stream, bit-identical columns."""

import numpy as np
import pytest

from na62lab.config import load_card
from na62lab.config.kaon import KaonCard
from na62lab.detector.matching import match_kaon, match_kaon_events
from na62lab.detector.params import detector_params, veto_tables
from na62lab.detector.pid import M_K, pion_id_weights, pion_id_weights_events
from na62lab.detector.response import detector_response
from na62lab.generation.kaon.beam import generate_beam
from na62lab.generation.kaon.decays import generate_mode
from na62lab.generation.kaon.final_state import ELECTRON, MUON, PHOTON, PION
from na62lab.physics.units import GeV, m
from na62lab.selection import kaon_cuts
from na62lab.selection.pinunu import rich_windows
from tests.selection.reference_cuts import select, track_quality
from na62lab.selection.regions import momentum_bin, region_codes
from na62lab.yields import kaon_sim as ks


@pytest.fixture(scope="module")
def setup():
    card = load_card("na62_kaon_2021_22", KaonCard)
    return card, detector_params(card), veto_tables(card)


def _expand(values, rows, n):
    out = np.full(n, np.nan, np.float32)
    out[rows] = values
    return out


def _reference_mode(card, params, tables, mode, n, rng):
    """The numpy glue of ``_simulate_mode`` before it was compiled (no pi0 orientation average)."""
    beam = generate_beam(card, n, rng)
    fs = generate_mode(mode, beam.p4, rng)
    resp = detector_response(fs, beam.vertex, params, tables, rng)
    idx = np.flatnonzero(resp.has_track)
    p, sel = resp.p[idx], card.selection
    acceptance = resp.in_lkr[idx] & resp.in_muv3[idx] & resp.in_acceptance[idx]
    with np.errstate(invalid="ignore"):
        momentum = (p >= sel.momentum_gev[0] * GeV) & (p < sel.momentum_gev[1] * GeV)
    quality = track_quality({"chi2": resp.chi2[idx], "x1": resp.x1[idx], "y1": resp.y1[idx]}, card)
    todo = np.flatnonzero(acceptance & momentum & quality)
    j, tr = idx[todo], beam.tracks
    match = match_kaon(np.column_stack([tr.p[j], tr.tx[j], tr.ty[j], tr.x[j], tr.y[j]]),
                       np.column_stack([resp.p[j], resp.tx[j], resp.ty[j], resp.x1[j], resp.y1[j]]), params, rng)
    sub = select({"has_track": np.ones(todo.size, bool), "in_lkr": acceptance[todo], "in_muv3": acceptance[todo],
                  "p": p[todo], "cda": match.cda, "vz": match.vz, "mmiss2": match.mmiss2,
                  "mmiss2_beam": match.mmiss2_beam}, card)
    mmiss2 = np.full(idx.size, np.nan)
    mmiss2[todo] = match.mmiss2
    flags = (acceptance * ks.FLAG_ACCEPTANCE + momentum * ks.FLAG_MOMENTUM + quality * ks.FLAG_QUALITY).astype(np.uint8)
    flags[todo] += (sub.vertex * ks.FLAG_VERTEX + match.matched_true * ks.FLAG_MATCHED_TRUE
                    + sub.beam_consistent * ks.FLAG_BEAM).astype(np.uint8)
    kin = np.flatnonzero(sub.kinematic)
    ev = j[kin]
    pz_k = match.p_k[kin] / np.sqrt(1.0 + match.kx[kin] ** 2 + match.ky[kin] ** 2)
    kaon = np.column_stack([np.hypot(match.p_k[kin], M_K), match.kx[kin] * pz_k, match.ky[kin] * pz_k, pz_k])
    norm = np.sqrt(1.0 + resp.tx[ev] ** 2 + resp.ty[ev] ** 2)
    direction = np.column_stack([resp.tx[ev] / norm, resp.ty[ev] / norm, 1.0 / norm])
    t_lo, t_hi = rich_windows(match.mmiss2[kin], resp.p[ev], card)
    w_pid = np.zeros(idx.size)
    w_pid[todo[kin]] = pion_id_weights(resp.species[ev], resp.p_true[ev], resp.p[ev], kaon, direction, t_lo, t_hi,
                                       card.rich, card.calo_pid)
    return {"species": resp.species[idx], "p_gev": (p / GeV).astype(np.float32),
            "mmiss2_gev2": (mmiss2 / GeV**2).astype(np.float32),
            "mmiss2_beam_gev2": _expand(match.mmiss2_beam / GeV**2, todo, idx.size),
            "cda_mm": _expand(match.cda, todo, idx.size), "vz_m": _expand(match.vz / m, todo, idx.size),
            "true_vz_m": (beam.vertex[idx, 2] / m).astype(np.float32),
            "p_k_gev": _expand(match.p_k / GeV, todo, idx.size), "region": region_codes(mmiss2, sel),
            "pbin": momentum_bin(p, sel), "flags": flags, "w_decay": _stored_w_decay(resp, idx, card),
            "w_pid": w_pid.astype(np.float32), "w_veto": resp.w_veto[idx].astype(np.float32)}


def _stored_w_decay(resp, idx, card) -> np.ndarray:
    """Decay survival times the common-cut efficiency and, for pi+ tracks, the hadronic-interaction survival."""
    cuts = kaon_cuts.track_cut_values(card)
    w = resp.w_decay[idx] * cuts[5]
    w = np.where(resp.species[idx] == PION, w * cuts[6], w)
    return w.astype(np.float32)


@pytest.mark.parametrize("mode", ["munu", "pipi0", "pipipi", "pi0enu"])
def test_compiled_glue_is_bit_identical_to_numpy(setup, mode):
    card, params, tables = setup
    card = card.model_copy(update={"run": card.run.model_copy(update={"pi0_orientations": 0, "pair_orientations": 0,
                                                                      "k3pi_edge_split": 1})})
    got = ks._simulate_mode(card, params, tables, mode, 40_000, np.random.default_rng(5), False)
    ref = _reference_mode(card, params, tables, mode, 40_000, np.random.default_rng(5))
    assert list(got) == list(ks.COLUMNS)
    assert np.count_nonzero(ref["w_pid"]) > 100          # the comparison covers selected, identified tracks
    for name, values in ref.items():
        assert got[name].dtype == values.dtype, name
        assert got[name].tobytes() == values.tobytes(), name


def test_match_kaon_events_is_match_kaon_of_the_rows(setup):
    card, params, tables = setup
    rng = np.random.default_rng(2)
    beam = generate_beam(card, 4000, rng)
    resp = detector_response(generate_mode("pipi0", beam.p4, rng), beam.vertex, params, tables, rng)
    events = np.flatnonzero(resp.has_track)
    tr = beam.tracks
    k_cols, pi_cols = (tr.p, tr.tx, tr.ty, tr.x, tr.y), (resp.p, resp.tx, resp.ty, resp.x1, resp.y1)
    a = match_kaon_events(k_cols, pi_cols, events, params, np.random.default_rng(9))
    b = match_kaon(np.column_stack(k_cols)[events], np.column_stack(pi_cols)[events], params, np.random.default_rng(9))
    assert np.isfinite(a.mmiss2).sum() > events.size // 2
    for field in ("mmiss2", "mmiss2_beam", "cda", "vx", "vy", "vz", "p_k", "matched_true", "n_accidental", "kx", "ky"):
        assert getattr(a, field).tobytes() == getattr(b, field).tobytes(), field


def test_pion_id_weights_events_is_pion_id_weights(setup):
    card, _, _ = setup
    rng = np.random.default_rng(4)
    n = 2000
    species = rng.choice(np.array([PION, MUON, ELECTRON, PHOTON], np.int8), n)
    p = rng.uniform(12, 40, n) * GeV
    tx, ty = 2e-3 * rng.standard_normal(n), 2e-3 * rng.standard_normal(n)
    events = np.arange(0, n, 2)
    p_k = 75 * GeV * (1 + 0.01 * rng.standard_normal(events.size))
    kx, ky = 1.2e-3 + 1e-4 * rng.standard_normal(events.size), 1e-4 * rng.standard_normal(events.size)
    t_lo = np.where(rng.random(events.size) < 0.2, -np.inf, rng.uniform(-0.02, 0.0, events.size) * GeV**2)
    t_hi = np.where(rng.random(events.size) < 0.2, np.inf, rng.uniform(0.0, 0.05, events.size) * GeV**2)
    got = pion_id_weights_events(species, p * 1.001, p, tx, ty, events, p_k, kx, ky, t_lo, t_hi, card.rich,
                                 card.calo_pid)
    pz = p_k / np.sqrt(1.0 + kx**2 + ky**2)
    kaon = np.column_stack([np.hypot(p_k, M_K), kx * pz, ky * pz, pz])
    norm = np.sqrt(1.0 + tx[events] ** 2 + ty[events] ** 2)
    direction = np.column_stack([tx[events] / norm, ty[events] / norm, 1.0 / norm])
    ref = pion_id_weights(species[events], p[events] * 1.001, p[events], kaon, direction, t_lo, t_hi, card.rich,
                          card.calo_pid)
    assert np.count_nonzero(ref) > 100
    assert got.tobytes() == ref.tobytes()


def _with_run(card, **update):
    return card.model_copy(update={"run": card.run.model_copy(update=update)})


def test_k3pi_splitting_and_pair_average_leave_other_modes_unchanged(setup):
    """Splitting uses no random numbers and the pair average a spawned stream: a later mode's columns are
    bit-identical with both on or off."""
    card, params, tables = setup
    cols = {}
    for key, card_k in (("off", _with_run(card, pair_orientations=0, k3pi_edge_split=1)),
                        ("on", _with_run(card, pair_orientations=50, k3pi_edge_split=5))):
        rng = np.random.default_rng(11)
        cols[key] = [ks._simulate_mode(card_k, params, tables, mode, 30_000, rng, False)
                     for mode in ("pipipi", "pipi0")]
    assert cols["on"][0]["p_gev"].size > cols["off"][0]["p_gev"].size      # split copies add track rows
    for name in ks.COLUMNS:
        assert cols["on"][1][name].tobytes() == cols["off"][1][name].tobytes(), name


def test_k3pi_splitting_keeps_the_weighted_track_count(setup):
    """Exactly unbiased splitting: the weighted number of K3pi decays with a measured track (sum of w_decay,
    which is NaN for tracks outside the acceptance) agrees with the plain simulation within its statistical
    error (independent seeds, 4 sigma)."""
    card, params, tables = setup
    sums = []
    for seed, factor in ((21, 1), (22, 8)):
        out = ks._simulate_mode(_with_run(card, pair_orientations=0, k3pi_edge_split=factor), params, tables,
                                "pipipi", 60_000, np.random.default_rng(seed), False)
        w = out["w_decay"].astype(float)
        w = w[np.isfinite(w)]
        sums.append((w.sum(), np.sqrt(np.sum(w**2))))
    (a, ea), (b, eb) = sums
    assert abs(a - b) < 4.0 * np.hypot(ea, eb)
