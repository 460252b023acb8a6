"""Inline random numbers for the compiled kernels: xoshiro256++ seeded from a numpy Generator.

numba's support of :class:`numpy.random.Generator` calls the bit generator
through a function pointer for every number (about 7 ns per uniform and
11 ns per normal here), which dominated the kaon fast simulation.  The
kernels instead carry a small state array (four ``uint64``) drawn from the
caller's Generator (:func:`new_state`), so the stream is still fixed by the
explicit Generator and a seed gives the same numbers for any number of
workers; the functions below are inlined into the kernels.

- :func:`next_u64`: xoshiro256++ (D. Blackman, S. Vigna, "Scrambled linear
  pseudorandom number generators", ACM Trans. Math. Softw. 47 (2021) 36,
  arXiv:1805.01407, reference code ``xoshiro256plusplus.c``);
- :func:`uniform`: the upper 53 bits as a double in [0, 1);
- :func:`normal`: the ziggurat of Marsaglia and Tsang (J. Stat. Softw. 5
  (2000) 8) in Doornik's 128-layer form (ZIGNOR, "An improved ziggurat
  method to generate normal random samples", 2005), one 64-bit draw per
  normal in 98.8 % of the calls (7 bits choose the layer, 53 bits the
  abscissa);
- :func:`poisson`: Knuth's product of uniforms (small means only; the
  kernels use it for pile-up counts with means of order 1).

The streams differ from numpy's for the same seed; statistical quality is
tested in ``tests/physics/test_fastrng.py`` (moments, Kolmogorov-Smirnov,
tail probabilities).

Examples
--------
>>> import numpy as np
>>> st = new_state(np.random.default_rng(1))
>>> x = normals(st, 100_000)
>>> bool(abs(x.mean()) < 0.02 and abs(x.std() - 1.0) < 0.02)
True
"""

from __future__ import annotations

import math

import numpy as np

from na62lab.physics.jit import njit

_U11, _U17, _U23, _U41, _U45, _U19 = (np.uint64(k) for k in (11, 17, 23, 41, 45, 19))
_MASK7 = np.uint64(0x7F)
_TWO_M53 = 2.0 ** -53

_ZIG_R = 3.442619855899          # start of the tail (Doornik 2005, 128 layers)
_ZIG_V = 9.91256303526217e-3     # area of each layer


def _ziggurat_tables() -> tuple[np.ndarray, np.ndarray]:
    """Layer abscissae x_i (129) and ratios x_{i+1}/x_i (128) of the 128-layer ziggurat (Doornik 2005)."""
    x = np.zeros(129)
    f = math.exp(-0.5 * _ZIG_R * _ZIG_R)
    x[0] = _ZIG_V / f
    x[1] = _ZIG_R
    for i in range(2, 128):
        x[i] = math.sqrt(-2.0 * math.log(_ZIG_V / x[i - 1] + f))
        f = math.exp(-0.5 * x[i] * x[i])
    return x, x[1:] / x[:-1]


_ZIG_X, _ZIG_RATIO = _ziggurat_tables()


def new_state(rng: np.random.Generator) -> np.ndarray:
    """Fresh xoshiro256++ state (4 x uint64) drawn from ``rng`` (never all zero)."""
    st = rng.integers(0, 2**64, size=4, dtype=np.uint64)
    if not st.any():                    # probability 2^-256; the all-zero state is a fixed point
        st[0] = np.uint64(0x9E3779B97F4A7C15)
    return st


@njit(inline="always")
def _rotl(x, k, k_complement):
    return (x << k) | (x >> k_complement)


@njit(inline="always")
def next_u64(st):
    """Next 64-bit output of xoshiro256++ (Blackman-Vigna 2021), advancing the state array ``st``."""
    s0, s1, s2, s3 = st[0], st[1], st[2], st[3]
    result = _rotl(s0 + s3, _U23, _U41) + s0
    t = s1 << _U17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, _U45, _U19)
    st[0], st[1], st[2], st[3] = s0, s1, s2, s3
    return result


@njit(inline="always")
def uniform(st):
    """Uniform double in [0, 1) (53 random bits)."""
    return float(np.int64(next_u64(st) >> _U11)) * _TWO_M53


@njit
def _wedge_or_tail(st, i, u):
    """Rejection part of the ziggurat: the base strip (i = 0, tail beyond R) or a layer's wedge.

    Returns NaN when the point is rejected (the caller then draws a new one).
    """
    if i == 0:
        while True:
            x = math.log(1.0 - uniform(st)) / _ZIG_R
            y = math.log(1.0 - uniform(st))
            if -2.0 * y >= x * x:
                return x - _ZIG_R if u < 0.0 else _ZIG_R - x
    x = u * _ZIG_X[i]
    f0 = math.exp(-0.5 * (_ZIG_X[i] * _ZIG_X[i] - x * x))
    f1 = math.exp(-0.5 * (_ZIG_X[i + 1] * _ZIG_X[i + 1] - x * x))
    if f1 + uniform(st) * (f0 - f1) < 1.0:
        return x
    return math.nan


@njit(inline="always")
def _layer_point(st):
    r = next_u64(st)
    return int(r & _MASK7), 2.0 * (float(np.int64(r >> _U11)) * _TWO_M53) - 1.0


@njit
def _normal_rare(st, i, u):
    """The 1.2 % of draws outside the layers' rectangles: wedge/tail test, and new draws if rejected."""
    while True:
        x = _wedge_or_tail(st, i, u)
        if x == x:
            return x
        i, u = _layer_point(st)
        if abs(u) < _ZIG_RATIO[i]:
            return u * _ZIG_X[i]


@njit(inline="always")
def normal(st):
    """Standard normal deviate (ziggurat, Marsaglia-Tsang 2000 / Doornik 2005)."""
    i, u = _layer_point(st)
    if abs(u) < _ZIG_RATIO[i]:
        return u * _ZIG_X[i]
    return _normal_rare(st, i, u)


@njit(inline="always")
def poisson(st, mean):
    """Poisson deviate of small ``mean`` (Knuth: count uniforms until their product drops below e^-mean)."""
    limit = math.exp(-mean)
    k = 0
    prod = uniform(st)
    while prod > limit:
        k += 1
        prod *= uniform(st)
    return k


@njit
def _draws(st, n, kind, mean):
    out = np.empty(n)
    for i in range(n):
        if kind == 0:
            out[i] = uniform(st)
        elif kind == 1:
            out[i] = normal(st)
        else:
            out[i] = poisson(st, mean)
    return out


def uniforms(st: np.ndarray, n: int) -> np.ndarray:
    """``n`` uniforms in [0, 1) (array), advancing ``st``."""
    return _draws(st, int(n), 0, 0.0)


def normals(st: np.ndarray, n: int) -> np.ndarray:
    """``n`` standard normals (array), advancing ``st``."""
    return _draws(st, int(n), 1, 0.0)


def poissons(st: np.ndarray, mean: float, n: int) -> np.ndarray:
    """``n`` Poisson deviates of small ``mean`` (array of int64), advancing ``st``."""
    return _draws(st, int(n), 2, float(mean)).astype(np.int64)
