"""Pooling against plain-loop references, hand-computed examples, round trips and torch (when installed)."""
import itertools
import math

import numpy as np
import pytest

import convzoo as cz
from convzoo import pool

MAX = {1: cz.max_pool1d, 2: cz.max_pool2d, 3: cz.max_pool3d}
AVG = {1: cz.avg_pool1d, 2: cz.avg_pool2d, 3: cz.avg_pool3d}
ADAPTIVE = {1: cz.adaptive_avg_pool1d, 2: cz.adaptive_avg_pool2d, 3: cz.adaptive_avg_pool3d}


# ---- plain-loop references (no padded arrays, no strided views) --------------------------------------
def ref_out_size(size, k, s, p, d, ceil_mode):
    """Output size written from the definition: count window starts, ceil_mode keeps a partial last window
    if it starts inside the input or the left padding."""
    span = d * (k - 1) + 1
    full = (size + 2 * p - span) / s
    n = (math.ceil(full) if ceil_mode else math.floor(full)) + 1
    if ceil_mode and (n - 1) * s - p >= size:
        n -= 1
    return n


def ref_max_pool(x, k, s, p, d, ceil_mode):
    """Max over the taps that land inside the input; first maximum wins; returns values and flat indices."""
    n, c = x.shape[:2]
    size = x.shape[2:]
    out = tuple(ref_out_size(*a, ceil_mode) for a in zip(size, k, s, p, d))
    vals = np.zeros((n, c) + out, dtype=x.dtype)
    idx = np.zeros((n, c) + out, dtype=np.int64)
    for b, ch in itertools.product(range(n), range(c)):
        for pos in np.ndindex(*out):
            best, where = None, None
            for tap in np.ndindex(*k):
                coord = tuple(o * st + t * dd - pp for o, st, t, dd, pp in zip(pos, s, tap, d, p))
                if all(0 <= q < L for q, L in zip(coord, size)):
                    v = x[(b, ch) + coord]
                    if best is None or v > best:
                        best, where = v, np.ravel_multi_index(coord, size)
            vals[(b, ch) + pos], idx[(b, ch) + pos] = best, where
    return vals, idx


def ref_avg_pool(x, k, s, p, ceil_mode, count_include_pad):
    """Sum of the taps inside the input, divided by the taps inside the padded input (or inside the input)."""
    n, c = x.shape[:2]
    size = x.shape[2:]
    out = tuple(ref_out_size(*a, 1, ceil_mode) for a in zip(size, k, s, p))
    y = np.zeros((n, c) + out)
    for b, ch in itertools.product(range(n), range(c)):
        for pos in np.ndindex(*out):
            total, in_input, in_padded = 0.0, 0, 0
            for tap in np.ndindex(*k):
                coord = tuple(o * st + t - pp for o, st, t, pp in zip(pos, s, tap, p))
                if all(-pp <= q < L + pp for q, L, pp in zip(coord, size, p)):
                    in_padded += 1
                if all(0 <= q < L for q, L in zip(coord, size)):
                    in_input += 1
                    total += x[(b, ch) + coord]
            y[(b, ch) + pos] = total / (in_padded if count_include_pad else in_input)
    return y


def ref_adaptive(x, out):
    size = x.shape[2:]
    y = np.zeros(x.shape[:2] + tuple(out))
    for pos in np.ndindex(*out):
        sl = tuple(slice(math.floor(i * L / o), math.ceil((i + 1) * L / o)) for i, L, o in zip(pos, size, out))
        y[(Ellipsis,) + pos] = x[(slice(None), slice(None)) + sl].mean(axis=tuple(range(2, 2 + len(out))))
    return y


def random_pool(rng, nd, dilation=True):
    """A random valid configuration: sizes, kernel, stride, padding (<= k // 2), dilation, ceil_mode."""
    while True:
        k = tuple(int(v) for v in rng.integers(1, 5 if nd < 3 else 4, nd))
        s = tuple(int(v) for v in rng.integers(1, 4, nd))
        p = tuple(int(rng.integers(0, kk // 2 + 1)) for kk in k)
        d = tuple(int(v) for v in rng.integers(1, 3, nd)) if dilation else (1,) * nd
        ceil_mode = bool(rng.random() < 0.5)
        size = tuple(int(v) for v in rng.integers(1, 9 if nd < 3 else 6, nd))
        out = [ref_out_size(*a, ceil_mode) for a in zip(size, k, s, p, d)]
        # every window must hold a pixel of the input (else the max is -inf, which we refuse)
        ok = all(o >= 1 for o in out) and all(
            any(0 <= o * st + t * dd - pp < L for t in range(kk))
            for L, kk, st, pp, dd, oo in zip(size, k, s, p, d, out) for o in range(oo))
        if ok:
            x = rng.standard_normal((int(rng.integers(1, 3)), int(rng.integers(1, 4))) + size)
            return x, dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil_mode)


# ---- hand-computed examples --------------------------------------------------------------------------
X4 = np.array([[1, 2, 5, 0], [3, 4, 1, 1], [0, 0, 2, 2], [9, 0, 2, 3]])


def test_max_pool2d_by_hand():
    vals, idx = cz.max_pool2d(X4[None], 2, return_indices=True)
    np.testing.assert_array_equal(vals, [[[4, 5], [9, 3]]])
    np.testing.assert_array_equal(idx, [[[5, 2], [12, 15]]])
    assert vals.dtype == np.int64
    # 3x3 windows, stride 1, padding 1: every window around every pixel
    np.testing.assert_array_equal(cz.max_pool2d(X4[None], 3, stride=1, padding=1)[0],
                                  [[4, 5, 5, 5], [4, 5, 5, 5], [9, 9, 4, 3], [9, 9, 3, 3]])


def test_avg_pool2d_by_hand_padding_and_ceil_mode():
    x = np.arange(1.0, 10.0).reshape(1, 3, 3)      # 1..9
    # padding 1, k=2, s=2: windows [pad,1|pad,pad], ...; count_include_pad divides by 4
    np.testing.assert_allclose(cz.avg_pool2d(x, 2, padding=1)[0], [[1 / 4, 5 / 4], [11 / 4, 28 / 4]])
    np.testing.assert_allclose(cz.avg_pool2d(x, 2, padding=1, count_include_pad=False)[0],
                               [[1, 2.5], [5.5, 7]])
    # ceil_mode: a 3x3 input with k=2, s=2 gets a partial last row and column, averaged over what exists
    np.testing.assert_allclose(cz.avg_pool2d(x, 2, ceil_mode=True)[0], [[3, 4.5], [7.5, 9]])
    np.testing.assert_allclose(cz.max_pool2d(x, 2, ceil_mode=True)[0], [[5, 6], [8, 9]])


def test_dilated_max_pool1d_by_hand():
    x = np.array([[0, 7, 1, 3, 9, 2, 4]])
    # taps 0, 2, 4 of each window (dilation 2), stride 1
    np.testing.assert_array_equal(cz.max_pool1d(x, 3, stride=1, dilation=2), [[9, 7, 9]])
    vals, idx = cz.max_pool1d(x, 3, stride=1, dilation=2, return_indices=True)
    np.testing.assert_array_equal(idx, [[4, 1, 4]])


def test_ties_keep_first_and_padding_never_wins():
    x = -np.ones((1, 1, 3, 3))                 # all -1: with padding, the -inf border must lose
    vals, idx = cz.max_pool2d(x, 3, stride=1, padding=1, return_indices=True)
    assert (vals == -1).all()
    # the first tap inside the input, in window order
    np.testing.assert_array_equal(idx[0, 0], [[0, 0, 1], [0, 0, 1], [3, 3, 4]])
    x = np.full((1, 1, 4), -np.inf)            # -inf inputs: index of the first real pixel, as torch
    vals, idx = cz.max_pool1d(x, 2, padding=1, return_indices=True)
    assert np.isneginf(vals).all()
    np.testing.assert_array_equal(idx, [[[0, 1, 3]]])


def test_adaptive_bins_by_hand():
    start, end = cz.adaptive_bins(10, 4)            # floor(10 i / 4), ceil(10 (i + 1) / 4)
    np.testing.assert_array_equal(start, [0, 2, 5, 7])
    np.testing.assert_array_equal(end, [3, 5, 8, 10])
    x = np.arange(10.0)[None, None]
    np.testing.assert_allclose(cz.adaptive_avg_pool1d(x, 4)[0, 0], [1, 3, 6, 8])
    # output size 1 is global average pooling; equal bins are ordinary average pooling
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 8))
    np.testing.assert_allclose(cz.adaptive_avg_pool2d(x, 1)[..., 0, 0], x.mean(axis=(2, 3)))
    np.testing.assert_allclose(cz.adaptive_avg_pool2d(x, (3, 2)), cz.avg_pool2d(x, (2, 4)))
    assert cz.adaptive_avg_pool2d(x, (None, 3)).shape == (2, 3, 6, 3)


# ---- against the plain-loop references ----------------------------------------------------------------
@pytest.mark.parametrize("seed", range(60))
def test_max_pool_matches_loops(seed):
    rng = np.random.default_rng(seed)
    nd = seed % 3 + 1
    x, cfg = random_pool(rng, nd)
    vals, idx = MAX[nd](x, **cfg, return_indices=True)
    want_v, want_i = ref_max_pool(x, cfg["kernel_size"], cfg["stride"], cfg["padding"], cfg["dilation"],
                                  cfg["ceil_mode"])
    np.testing.assert_array_equal(vals, want_v)
    np.testing.assert_array_equal(idx, want_i)
    assert idx.dtype == np.int64
    # the values really sit at the indices
    flat = x.reshape(x.shape[:2] + (-1,))
    np.testing.assert_array_equal(np.take_along_axis(flat, idx.reshape(idx.shape[:2] + (-1,)), -1),
                                  vals.reshape(vals.shape[:2] + (-1,)))


@pytest.mark.parametrize("seed", range(60))
def test_avg_pool_matches_loops(seed):
    rng = np.random.default_rng(100 + seed)
    nd = seed % 3 + 1
    x, cfg = random_pool(rng, nd, dilation=False)
    del cfg["dilation"]
    include = bool(seed % 2)
    got = AVG[nd](x, **cfg, count_include_pad=include)
    want = ref_avg_pool(x, cfg["kernel_size"], cfg["stride"], cfg["padding"], cfg["ceil_mode"], include)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(20))
def test_adaptive_avg_pool_matches_loops(seed):
    rng = np.random.default_rng(200 + seed)
    nd = seed % 3 + 1
    size = tuple(int(v) for v in rng.integers(1, 10, nd))
    out = tuple(int(v) for v in rng.integers(1, 12, nd))
    x = rng.standard_normal((2, 3) + size)
    np.testing.assert_allclose(ADAPTIVE[nd](x, out), ref_adaptive(x, out), rtol=1e-12, atol=1e-12)


def test_private_output_size_matches_outputs():
    rng = np.random.default_rng(7)
    for _ in range(50):
        x, cfg = random_pool(rng, 1)
        out = pool._pool_output_size(x.shape[-1], cfg["kernel_size"][0], cfg["stride"][0], cfg["padding"][0],
                                     cfg["dilation"][0], cfg["ceil_mode"])
        assert cz.max_pool1d(x, **cfg).shape[-1] == out


# ---- dtypes, unbatched input, round trips -------------------------------------------------------------
def test_dtypes_and_unbatched():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 6, 7)).astype(np.float32)
    assert cz.max_pool2d(x, 2).dtype == np.float32
    assert cz.avg_pool2d(x, 2).dtype == np.float32
    assert cz.adaptive_avg_pool2d(x, 2).dtype == np.float32
    np.testing.assert_array_equal(cz.max_pool2d(x, 2), cz.max_pool2d(x[None], 2)[0])
    v, i = cz.max_pool2d(x, 2, return_indices=True)
    assert v.shape == i.shape == (3, 3, 3)
    np.testing.assert_array_equal(cz.max_unpool2d(v, i, 2, output_size=(6, 7)),
                                  cz.max_unpool2d(v[None], i[None], 2, output_size=(6, 7))[0])
    xi = rng.integers(-50, 50, (2, 6, 6))
    assert cz.max_pool2d(xi, 3).dtype == np.int64
    assert cz.avg_pool2d(xi, 3).dtype == np.float64
    np.testing.assert_array_equal(cz.max_pool2d(xi, 2), cz.max_pool2d(xi.astype(float), 2))
    assert cz.max_pool1d(np.array([[1, 2, 3]], dtype=np.uint8), 2, padding=1).tolist() == [[1, 3]]


def test_max_unpool_puts_maxima_back():
    rng = np.random.default_rng(2)
    for k, s, p in [(2, 2, 0), (3, 2, 1), (3, 3, 0), ((2, 3), (2, 3), (1, 0))]:
        x = rng.standard_normal((2, 3, 9, 9))
        vals, idx = cz.max_pool2d(x, k, s, p, return_indices=True)
        up = cz.max_unpool2d(vals, idx, k, s, p, output_size=x.shape[-2:])
        assert up.shape == x.shape
        nz = up != 0
        np.testing.assert_array_equal(up[nz], x[nz])            # every nonzero is the input's value there
        distinct = {(b, c, int(j)) for (b, c, *_), j in np.ndenumerate(idx)}
        assert nz.sum() == len(distinct)                          # one value per distinct maximum position
        np.testing.assert_array_equal(cz.max_pool2d(np.where(nz, up, -np.inf), k, s, p), vals)
    # default output size: (H_in - 1) s - 2p + k
    assert cz.max_unpool2d(np.ones((1, 3, 3)), np.zeros((1, 3, 3), dtype=int), 3, 2, 1).shape == (1, 5, 5)


def test_max_unpool_by_hand():
    up = cz.max_unpool2d(np.array([[[4, 5], [9, 3]]]), np.array([[[5, 2], [12, 15]]]), 2)
    np.testing.assert_array_equal(up[0], [[0, 0, 5, 0], [0, 4, 0, 0], [0, 0, 0, 0], [9, 0, 0, 3]])


# ---- errors -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, exc, match", [
    (lambda: cz.max_pool2d(np.ones((5, 5)), 2), ValueError,
     r"Expected 3D or 4D input to max_pool2d, but got input of size: \(5, 5\)"),
    (lambda: cz.avg_pool1d(np.ones((1, 1, 1, 5)), 2), ValueError, r"Expected 2D or 3D input to avg_pool1d"),
    (lambda: cz.max_pool2d(np.ones((1, 5, 5)), 3, padding=2), ValueError,
     r"pad should be at most half of kernel size, but got padding=2, kernel_size=3"),
    (lambda: cz.max_pool2d(np.ones((1, 6, 6)), 3, padding=2, dilation=2), ValueError,
     r"at most half of kernel size.*dilation=2"),
    (lambda: cz.avg_pool2d(np.ones((1, 6, 6)), (4, 2), padding=(2, 2)), ValueError, r"padding=2, kernel_size=\(4, 2\)"),
    (lambda: cz.max_pool2d(np.ones((2, 5, 5)), 7), ValueError,
     r"Given input size: \(2x5x5\). Calculated output size: \(2x0x0\). Output size is too small"),
    (lambda: cz.avg_pool3d(np.ones((1, 2, 5, 5)), 3), ValueError, r"Output size is too small"),
    (lambda: cz.max_pool2d(np.ones((1, 5, 5)), 0), ValueError, r"kernel_size must be positive, but got kernel_size=0"),
    (lambda: cz.max_pool2d(np.ones((1, 5, 5)), 2, stride=0), ValueError, r"stride must be positive"),
    (lambda: cz.max_pool2d(np.ones((1, 5, 5)), 2, dilation=(1, 0)), ValueError, r"dilation must be positive"),
    (lambda: cz.max_pool2d(np.ones((1, 5, 5)), 2, padding=-1), ValueError, r"padding must be non-negative"),
    (lambda: cz.max_pool2d(np.ones((1, 5, 5)), 2.5), TypeError, r"kernel_size must be an int or a tuple of 2 ints"),
    (lambda: cz.max_pool2d(np.ones((1, 5, 5)), (2, 2, 2)), ValueError,
     r"kernel_size must be an int or a tuple of 2 ints"),
    (lambda: cz.max_pool2d(np.ones((1, 5, 5)), 2, ceil_mode="yes"), TypeError, r"ceil_mode must be True or False"),
    (lambda: cz.max_pool2d(np.ones((0, 5, 5)), 2), ValueError, r"no zero-size dimension"),
    (lambda: cz.max_pool2d(np.array([["a"]]), 2), TypeError, r"input must be a numeric array"),
    (lambda: cz.max_pool1d(np.ones((1, 1, 4)), 2, stride=1, padding=1, dilation=5), ValueError,
     r"lies entirely in the padding"),
    (lambda: cz.avg_pool2d(np.ones((1, 4, 4)), 2, divisor_override=0), ValueError,
     r"divisor_override must be positive"),
    (lambda: cz.adaptive_avg_pool2d(np.ones((5, 5)), 2), ValueError, r"Expected 3D or 4D input to adaptive_avg_pool2d"),
    (lambda: cz.adaptive_avg_pool2d(np.ones((1, 5, 5)), 0), ValueError, r"output_size must be positive, but got 0"),
    (lambda: cz.adaptive_avg_pool2d(np.ones((1, 5, 5)), (2, 2, 2)), ValueError,
     r"output_size must be an int or a tuple of 2"),
    (lambda: cz.max_unpool2d(np.ones((1, 2, 2)), np.zeros((1, 2, 3), dtype=int), 2), ValueError,
     r"Expected shape of indices to be same as that of the input \(1, 2, 2\), but got indices of size \(1, 2, 3\)"),
    (lambda: cz.max_unpool2d(np.ones((1, 2, 2)), np.full((1, 2, 2), 16), 2), ValueError,
     r"Found an invalid max index: 16 \(output volumes are of size 4x4\)"),
    (lambda: cz.max_unpool2d(np.ones((1, 2, 2)), np.full((1, 2, 2), 1.0), 2), TypeError,
     r"indices must be an integer array"),
    (lambda: cz.max_unpool2d(np.ones((1, 2, 2)), np.zeros((1, 2, 2), dtype=int), 2, output_size=(9, 9)), ValueError,
     r'invalid output_size "\(9, 9\)" \(dim 0 must be between 2 and 6'),
    (lambda: cz.max_unpool2d(np.ones((1, 2, 2)), np.zeros((1, 2, 2), dtype=int), 2, output_size=(1, 2, 3, 4, 5)),
     ValueError,
     r"output_size should be a sequence containing 2 or 3 elements, but it has a length of 5"),
])
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ---- against torch ------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(120))
def test_max_pool_matches_torch(torch, seed):
    F = torch.nn.functional
    rng = np.random.default_rng(1000 + seed)
    nd = seed % 3 + 1
    x, cfg = random_pool(rng, nd)
    if seed % 4 == 0:
        x = np.round(x).astype(np.float32)               # many ties: the first maximum must win
    tf = getattr(F, f"max_pool{nd}d")
    want_v, want_i = tf(torch.from_numpy(x), **cfg, return_indices=True)
    got_v, got_i = MAX[nd](x, **cfg, return_indices=True)
    np.testing.assert_array_equal(got_v, want_v.numpy())
    np.testing.assert_array_equal(got_i, want_i.numpy())
    assert got_v.dtype == x.dtype


@pytest.mark.parametrize("seed", range(120))
def test_avg_pool_matches_torch(torch, seed):
    F = torch.nn.functional
    rng = np.random.default_rng(2000 + seed)
    nd = seed % 3 + 1
    while True:  # torch's avg_pool3d (only) refuses an input smaller than the kernel even when padded
        x, cfg = random_pool(rng, nd, dilation=False)
        if nd < 3 or all(L >= k for L, k in zip(x.shape[2:], cfg["kernel_size"])):
            break
    del cfg["dilation"]
    cfg["count_include_pad"] = bool(rng.random() < 0.5)
    if nd > 1 and rng.random() < 0.2:
        cfg["divisor_override"] = int(rng.integers(1, 5))
    x = x.astype(np.float32) if seed % 2 else x
    want = getattr(F, f"avg_pool{nd}d")(torch.from_numpy(x), **cfg).numpy()
    got = AVG[nd](x, **cfg)
    assert got.dtype == x.dtype
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("seed", range(40))
def test_pool_refuses_what_torch_refuses(torch, seed):
    """Random, often invalid, arguments: we raise exactly when torch raises (except all-padding windows)."""
    F = torch.nn.functional
    rng = np.random.default_rng(3000 + seed)
    nd = 2
    for _ in range(10):
        size = tuple(int(v) for v in rng.integers(1, 7, nd))
        k = tuple(int(v) for v in rng.integers(1, 6, nd))
        s = tuple(int(v) for v in rng.integers(1, 4, nd))
        p = tuple(int(v) for v in rng.integers(0, 4, nd))
        d = tuple(int(v) for v in rng.integers(1, 4, nd))
        ceil_mode = bool(rng.random() < 0.5)
        x = rng.standard_normal((1, 1) + size)
        for kind, extra in (("max", dict(dilation=d)), ("avg", {})):
            args = dict(kernel_size=k, stride=s, padding=p, ceil_mode=ceil_mode, **extra)
            try:
                want = getattr(F, f"{kind}_pool2d")(torch.from_numpy(x), **args).numpy()
            except RuntimeError:
                want = None
            try:
                got = (MAX if kind == "max" else AVG)[2](x, **args)
            except ValueError as e:
                if "entirely in the padding" in str(e):
                    assert np.isneginf(want).any()
                    continue
                got = None
            assert (got is None) == (want is None), (kind, args)
            if got is not None:
                np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize("seed", range(30))
def test_adaptive_avg_pool_matches_torch(torch, seed):
    F = torch.nn.functional
    rng = np.random.default_rng(4000 + seed)
    nd = seed % 3 + 1
    size = tuple(int(v) for v in rng.integers(1, 13, nd))
    out = tuple(int(v) for v in rng.integers(1, 14, nd))
    x = rng.standard_normal((2, 3) + size).astype(np.float32)
    want = getattr(F, f"adaptive_avg_pool{nd}d")(torch.from_numpy(x), out if nd > 1 else out[0]).numpy()
    got = ADAPTIVE[nd](x, out if nd > 1 else out[0])
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("seed", range(30))
def test_max_unpool2d_matches_torch(torch, seed):
    F = torch.nn.functional
    rng = np.random.default_rng(5000 + seed)
    while True:
        x, cfg = random_pool(rng, 2, dilation=False)
        if not cfg["ceil_mode"]:
            break
    del cfg["dilation"], cfg["ceil_mode"]
    vals, idx = F.max_pool2d(torch.from_numpy(x), **cfg, return_indices=True)
    # the pooled input's size is always an admissible output_size (the default may be too small to hold
    # the indices when the pooling dropped rows or columns)
    size = x.shape if seed % 2 else x.shape[-2:]
    want = F.max_unpool2d(vals, idx, **cfg, output_size=size).numpy()
    got = cz.max_unpool2d(vals.numpy(), idx.numpy(), **cfg, output_size=size)
    np.testing.assert_array_equal(got, want)
