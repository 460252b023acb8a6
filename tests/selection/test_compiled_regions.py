"""The compiled region codes, momentum bins and m_miss^2 windows equal the plain numpy definitions.

The references below are the numpy formulations the compiled passes replaced
(first matching region wins; ``searchsorted`` for the bins and bands), so any
difference, including at the region and band edges and for NaN / inf, fails.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from na62lab.config.kaon import KaonCard
from na62lab.physics.units import GeV
from na62lab.selection.pinunu import beam_consistent, constraint_band, rich_windows, window_bounds
from na62lab.selection.regions import (
    _CONTROL_BASE, PIPI, R1, R2, _control_names, momentum_bin, region_codes, region_names, region_table,
)

CARD = KaonCard()
SEL = CARD.selection


def _ref_codes(mmiss2, sel):
    x = np.asarray(mmiss2, float) / GeV**2
    out = np.zeros(x.shape, np.int8)
    codes = [(R1, sel.r1_gev2), (R2, sel.r2_gev2), (PIPI, sel.pipi_gev2)]
    codes += [(_CONTROL_BASE + k, sel.control_gev2[n]) for k, n in enumerate(_control_names(sel))]
    for code, (lo, hi) in reversed(codes):
        out[(x >= lo) & (x < hi)] = code
    return out


def _ref_bins(p, sel):
    edges = np.asarray(sel.momentum_bins_gev, float) * GeV
    idx = np.searchsorted(edges, np.asarray(p, float), side="right") - 1
    idx[(idx < 0) | (idx >= edges.size - 1) | ~np.isfinite(p)] = -1
    return idx.astype(np.int8)


def _ref_windows(mmiss2, p, windows, card, margin):
    names, table = region_names(card.selection), region_table(card.selection)
    codes = _ref_codes(mmiss2, card.selection)
    band = None if p is None else constraint_band(np.nan_to_num(p), card.selection)
    lo, hi = np.full(codes.shape, -np.inf), np.full(codes.shape, np.inf)
    for code, name in names.items():
        here = codes == code
        if not here.any() or name not in table:
            continue
        if name in windows:
            w = np.asarray(windows[name], float).reshape(-1, 2) * GeV**2
            if len(w) == 0:
                continue
            if len(w) == 1 or band is None:
                lo[here], hi[here] = w[:, 0].min(), w[:, 1].max()
            else:
                lo[here], hi[here] = w[band[here], 0], w[band[here], 1]
        elif margin is not None:
            lo[here], hi[here] = (table[name][0] - margin) * GeV**2, (table[name][1] + margin) * GeV**2
    return lo, hi


def _edges_gev2():
    bounds = [SEL.r1_gev2, SEL.r2_gev2, SEL.pipi_gev2, *SEL.control_gev2.values()]
    bounds += [w for ws in (*SEL.beam_windows_gev2.values(), *SEL.rich_windows_gev2.values()) for w in ws]
    return np.array(sorted({float(v) for b in bounds for v in b}))


def _inputs(seed):
    rng = np.random.default_rng(seed)
    n = 20_000
    mm = rng.uniform(-0.3, 0.3, n) * GeV**2
    e = _edges_gev2() * GeV**2
    mm[: 3 * e.size] = np.concatenate([e, np.nextafter(e, np.inf), np.nextafter(e, -np.inf)])
    mm[::97] = np.nan
    p = rng.uniform(5.0, 60.0, n) * GeV
    pe = np.array(SEL.momentum_bins_gev + SEL.constraint_bands_gev, float) * GeV
    p[: 3 * pe.size] = np.concatenate([pe, np.nextafter(pe, np.inf), np.nextafter(pe, -np.inf)])
    p[::89], p[1::1001], p[2::1001] = np.nan, np.inf, -np.inf
    return mm, p


@pytest.mark.parametrize("seed", [0, 1])
def test_codes_and_bins_equal_numpy_reference(seed):
    mm, p = _inputs(seed)
    assert np.array_equal(region_codes(mm, SEL), _ref_codes(mm, SEL))
    assert np.array_equal(momentum_bin(p, SEL), _ref_bins(p, SEL))
    assert region_codes(mm, SEL).dtype == np.int8 and momentum_bin(p, SEL).dtype == np.int8


@pytest.mark.parametrize("with_p", [True, False])
def test_windows_equal_numpy_reference(with_p):
    mm, p = _inputs(2)
    p = p if with_p else None
    for windows, margin in ((SEL.beam_windows_gev2, SEL.beam_mmiss2_margin_gev2), (SEL.rich_windows_gev2, None)):
        got = window_bounds(mm, p, windows, CARD, margin)
        ref = _ref_windows(mm, p, windows, CARD, margin)
        assert np.array_equal(got[0], ref[0]) and np.array_equal(got[1], ref[1])
    lo, hi = _ref_windows(mm, p, SEL.rich_windows_gev2, CARD, None)
    assert np.array_equal(rich_windows(mm, p, CARD)[0], lo) and np.array_equal(rich_windows(mm, p, CARD)[1], hi)
    beam = mm * 0.9
    lo, hi = _ref_windows(mm, p, SEL.beam_windows_gev2, CARD, SEL.beam_mmiss2_margin_gev2)
    with np.errstate(invalid="ignore"):
        assert np.array_equal(beam_consistent(mm, beam, CARD, p), (beam >= lo) & (beam <= hi))


_SPECIAL = st.sampled_from([np.nan, np.inf, -np.inf, *_edges_gev2().tolist()])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.floats(min_value=-0.3, max_value=0.3), _SPECIAL), min_size=1, max_size=20),
       st.lists(st.one_of(st.floats(min_value=-1e3, max_value=1e3), st.sampled_from([np.nan, 20.0, 25.0])),
                min_size=1, max_size=20))
def test_any_value_gets_the_reference_code_and_window(mm_gev2, p_gev):
    k = min(len(mm_gev2), len(p_gev))
    mm, p = np.array(mm_gev2[:k]) * GeV**2, np.array(p_gev[:k]) * GeV
    assert np.array_equal(region_codes(mm, SEL), _ref_codes(mm, SEL))
    assert np.array_equal(momentum_bin(p, SEL), _ref_bins(p, SEL))
    got = window_bounds(mm, p, SEL.rich_windows_gev2, CARD, None)
    ref = _ref_windows(mm, p, SEL.rich_windows_gev2, CARD, None)
    assert np.array_equal(got[0], ref[0]) and np.array_equal(got[1], ref[1])


def test_scalar_and_2d_inputs_keep_their_shape():
    assert region_codes(0.005 * GeV**2, SEL).shape == ()
    x = np.array([[0.005, 0.03], [np.nan, 0.018]]) * GeV**2
    assert np.array_equal(region_codes(x, SEL), _ref_codes(x, SEL))
