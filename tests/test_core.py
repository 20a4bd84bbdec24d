"""The one convolution op, its loop twin and its faces, against independent oracles.

Oracles: the naive loops (which never build a padded array), numpy/scipy's signal functions, published
worked examples, the explicit matrix of the convolution, and torch when it is installed.
"""
import numpy as np
import pytest

import convzoo as cz
from convzoo.core import conv_general, conv_general_naive

ARITH_INPUT = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]])
ARITH_KERNEL = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])


def random_config(rng, nd=None):
    """A random valid configuration of the core op (sizes, stride, per-side padding, dilations, groups)."""
    while True:
        nd = nd or int(rng.integers(1, 4))
        g = int(rng.choice([1, 1, 2, 3]))
        cg, og = int(rng.integers(1, 4)), int(rng.integers(1, 3))
        k = tuple(int(v) for v in rng.integers(1, 4, nd))
        cfg = dict(
            stride=tuple(int(v) for v in rng.integers(1, 4, nd)),
            padding=tuple((int(a), int(b)) for a, b in rng.integers(0, 3, (nd, 2))),
            dilation=tuple(int(v) for v in rng.integers(1, 3, nd)),
            groups=g,
            input_dilation=tuple(int(v) for v in rng.choice([1, 1, 2], nd)),
        )
        size = tuple(int(v) for v in rng.integers(2, 8 if nd < 3 else 5, nd))
        dtype = rng.choice([np.float32, np.float64])
        x = rng.standard_normal((int(rng.integers(1, 3)), g * cg) + size).astype(dtype)
        w = rng.standard_normal((g * og, cg) + k).astype(dtype)
        b = rng.standard_normal(g * og).astype(dtype) if rng.random() < 0.5 else None
        span = [d * (kk - 1) + 1 for d, kk in zip(cfg["dilation"], k)]
        padded = [(i - 1) * D + 1 + a + bb for i, D, (a, bb) in zip(size, cfg["input_dilation"], cfg["padding"])]
        if all(p >= s for p, s in zip(padded, span)):
            return x, w, b, cfg


@pytest.mark.parametrize("seed", range(300))
def test_vectorized_matches_naive(seed):
    rng = np.random.default_rng(seed)
    x, w, b, cfg = random_config(rng)
    fast = conv_general(x, w, b, **cfg)
    slow = conv_general_naive(x, w, b, **cfg)
    assert fast.shape == slow.shape
    assert fast.dtype == x.dtype
    tol = 1e-4 if x.dtype == np.float32 else 1e-10
    np.testing.assert_allclose(fast, slow, rtol=tol, atol=tol)


@pytest.mark.parametrize("path", ["im2col", "pointwise", "depthwise"])
def test_each_fast_path_matches_naive(path):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 6, 9, 8))
    if path == "im2col":
        w, groups = rng.standard_normal((4, 3, 3, 2)), 2
    elif path == "pointwise":
        w, groups = rng.standard_normal((9, 2, 1, 1)), 3
    else:
        w, groups = rng.standard_normal((12, 1, 3, 3)), 6
    for stride, padding in [(1, 0), (2, 1), ((1, 3), ((0, 2), (1, 0)))]:
        np.testing.assert_allclose(conv_general(x, w, None, stride, padding, 1, groups),
                                   conv_general_naive(x, w, None, stride, padding, 1, groups), atol=1e-10)


def test_chunking_over_many_rows_is_exact(monkeypatch):
    """A tiny chunk budget forces one im2col chunk per row; the result must not change."""
    import convzoo.core as core

    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((3, 4, 11, 7)), rng.standard_normal((5, 4, 3, 3))
    full = conv_general(x, w, padding=1)
    monkeypatch.setattr(core, "_CHUNK_BYTES", 1)
    np.testing.assert_allclose(conv_general(x, w, padding=1), full, atol=1e-12)


def test_published_arithmetic_examples():
    """Dumoulin & Visin's worked example (no padding; then padding 1 and stride 2)."""
    x, k = ARITH_INPUT[None, None], ARITH_KERNEL[None, None]
    assert cz.conv2d(x, k)[0, 0].tolist() == [[12, 12, 17], [10, 17, 19], [9, 6, 14]]
    assert cz.conv2d(x, k, padding=1, stride=2)[0, 0].tolist() == [[6, 17, 3], [8, 17, 13], [6, 4, 4]]
    assert conv_general_naive(x, k, padding=1, stride=2)[0, 0].tolist() == [[6, 17, 3], [8, 17, 13], [6, 4, 4]]


def test_integers_stay_exact_integers():
    big = np.full((1, 1, 3, 3), 2**40, dtype=np.int64)
    out = cz.conv2d(big, np.ones((1, 1, 3, 3), dtype=np.int32))
    assert out.dtype == np.int64 and out[0, 0, 0, 0] == 9 * 2**40


def test_unbatched_input_gives_unbatched_output():
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((3, 6, 6)), rng.standard_normal((4, 3, 3, 3))
    np.testing.assert_allclose(cz.conv2d(x, w), cz.conv2d(x[None], w)[0])
    assert cz.conv_transpose2d(x, w.transpose(1, 0, 2, 3)[:3].reshape(3, 4, 3, 3)).ndim == 3


def test_same_padding_keeps_size_and_puts_the_extra_zero_after():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((1, 1, 7))
    w = rng.standard_normal((1, 1, 4))
    y = cz.conv1d(x, w, padding="same")
    assert y.shape == x.shape
    np.testing.assert_allclose(y, cz.conv1d(x, w, padding=((1, 2),)))
    assert cz.conv2d(np.ones((1, 1, 5, 6)), np.ones((1, 1, 3, 2)), padding="same", dilation=2).shape == (1, 1, 5, 6)
    np.testing.assert_allclose(cz.conv1d(x, w, padding="valid"), cz.conv1d(x, w))


# ---- numpy / scipy as oracles for the signal faces -------------------------------------------------
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("n,m", [(7, 3), (6, 4), (3, 7), (4, 6), (5, 5), (1, 4), (4, 1)])
def test_signal_faces_match_numpy(mode, n, m):
    rng = np.random.default_rng(n * 10 + m)
    a, v = rng.standard_normal(n), rng.standard_normal(m)
    np.testing.assert_allclose(cz.convolve(a, v, mode), np.convolve(a, v, mode), atol=1e-12)
    np.testing.assert_allclose(cz.correlate(a, v, mode), np.correlate(a, v, mode), atol=1e-12)


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("sa,sv", [((6, 7), (3, 2)), ((5, 5), (4, 4)), ((3, 4), (5, 6)), ((4, 4), (1, 3))])
def test_signal_faces_match_scipy_2d(mode, sa, sv):
    signal = pytest.importorskip("scipy.signal")
    rng = np.random.default_rng(sum(sa) + sum(sv))
    a, v = rng.standard_normal(sa), rng.standard_normal(sv)
    np.testing.assert_allclose(cz.convolve(a, v, mode), signal.convolve2d(a, v, mode), atol=1e-12)
    np.testing.assert_allclose(cz.correlate(a, v, mode), signal.correlate2d(a, v, mode), atol=1e-12)


def test_convolution_properties():
    rng = np.random.default_rng(5)
    f, g, h = rng.standard_normal(9), rng.standard_normal(4), rng.standard_normal(3)
    np.testing.assert_allclose(cz.convolve(f, g), cz.convolve(g, f))                       # commutative
    np.testing.assert_allclose(cz.convolve(cz.convolve(f, g), h), cz.convolve(f, cz.convolve(g, h)))
    np.testing.assert_allclose(cz.correlate(f, g, "full"), cz.convolve(f, g[::-1]))       # the flip
    assert not np.allclose(cz.correlate(f, g, "full"), cz.correlate(g, f, "full"))       # not commutative
    np.testing.assert_allclose(cz.correlate(f, g, "full"), cz.correlate(g, f, "full")[::-1])


# ---- the matrix view and the adjoint ------------------------------------------------------------
@pytest.mark.parametrize("shape,k,s,p,d", [((4, 4), 3, 1, 0, 1), ((5, 6), 3, 2, 1, 1), ((7, 7), 2, 3, 2, 2),
                                           ((5, 5), 4, 1, 2, 1)])
def test_conv_matrix_is_the_convolution_and_its_transpose_the_transposed_one(shape, k, s, p, d):
    rng = np.random.default_rng(6)
    kern, x = rng.standard_normal((k, k)), rng.standard_normal(shape)
    C = cz.conv_matrix(kern, shape, stride=s, padding=p, dilation=d)
    y = cz.conv2d(x[None, None], kern[None, None], stride=s, padding=p, dilation=d)[0, 0]
    np.testing.assert_allclose(C @ x.ravel(), y.ravel(), atol=1e-12)
    back = C.T @ y.ravel()
    # the output_padding that brings the transposed output back to the input's size
    out_pad = tuple(i - ((o - 1) * s - 2 * p + d * (k - 1) + 1) for i, o in zip(shape, y.shape))
    yt = cz.conv_transpose2d(y[None, None], kern[None, None], stride=s, padding=p, dilation=d,
                             output_padding=out_pad)[0, 0]
    np.testing.assert_allclose(yt.ravel(), back, atol=1e-12)


@pytest.mark.parametrize("seed", range(40))
def test_adjoint_identity(seed):
    """<conv(x), y> == <x, conv_transpose(y)> for the same arguments, in 1, 2 and 3 D, with groups."""
    rng = np.random.default_rng(seed)
    nd = 1 + seed % 3
    g = int(rng.choice([1, 2]))
    k = tuple(int(v) for v in rng.integers(1, 4, nd))
    s = tuple(int(v) for v in rng.integers(1, 4, nd))
    d = tuple(int(v) for v in rng.integers(1, 3, nd))
    p = tuple(int(rng.integers(0, dd * (kk - 1) + 1)) for dd, kk in zip(d, k))
    size = tuple(int(v) for v in rng.integers(6, 10 if nd < 3 else 7, nd))
    x = rng.standard_normal((2, 2 * g) + size)
    w = rng.standard_normal((3 * g, 2) + k)
    conv = {1: cz.conv1d, 2: cz.conv2d, 3: cz.conv3d}[nd]
    convT = {1: cz.conv_transpose1d, 2: cz.conv_transpose2d, 3: cz.conv_transpose3d}[nd]
    y = conv(x, w, stride=s, padding=p, dilation=d, groups=g)
    r = rng.standard_normal(y.shape)
    out_pad = []
    for i, o, ss, pp, dd, kk in zip(size, y.shape[2:], s, p, d, k):
        out_pad.append(i - ((o - 1) * ss - 2 * pp + dd * (kk - 1) + 1))
    back = convT(r, w, stride=s, padding=p, dilation=d, groups=g, output_padding=tuple(out_pad))
    assert back.shape == x.shape
    np.testing.assert_allclose(np.sum(y * r), np.sum(x * back), rtol=1e-10)


def test_transposed_examples_from_the_syllabus():
    """2x2 -> 4x4 (k=3, s=1) is a full-padded direct convolution; 2x2 -> 5x5 with stride 2."""
    x = np.array([[1, 2], [3, 4]])[None, None]
    k = np.arange(1, 10).reshape(1, 1, 3, 3)
    up = cz.conv_transpose2d(x, k)
    assert up.shape == (1, 1, 4, 4)
    direct = cz.conv2d(x, k[..., ::-1, ::-1], padding=2)
    assert np.array_equal(up, direct)
    assert cz.conv_transpose2d(x, k, stride=2).shape == (1, 1, 5, 5)


# ---- errors: the argument, what was expected, what came -------------------------------------------
@pytest.mark.parametrize("call,exc,match", [
    (lambda: cz.conv2d(np.ones((2, 3)), np.ones((1, 3, 1, 1))), ValueError,
     r"Expected 3D or 4D input to conv2d, but got input of size: \(2, 3\)"),
    (lambda: cz.conv2d(np.ones((1, 4, 5, 5)), np.ones((4, 3, 3, 3)), groups=2), ValueError,
     r"Given groups=2, weight of size \(4, 3, 3, 3\), expected input \(1, 4, 5, 5\) to have 6 channels, "
     r"but got 4 channels instead"),
    (lambda: cz.conv2d(np.ones((1, 4, 5, 5)), np.ones((3, 2, 3, 3)), groups=2), ValueError,
     r"out_channels must be divisible by groups.*\(3, 2, 3, 3\).*groups=2"),
    (lambda: cz.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), stride=0), ValueError,
     r"stride must be positive, but got stride=0"),
    (lambda: cz.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), dilation=(1, -1)), ValueError,
     r"dilation must be positive"),
    (lambda: cz.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), padding=-1), ValueError,
     r"negative padding is not supported, got padding=-1"),
    (lambda: cz.conv2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3))), ValueError,
     r"Calculated padded input size per channel: \(2, 2\)\. Kernel size: \(3, 3\)\. Kernel size can't be "
     r"greater than actual input size"),
    (lambda: cz.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), stride=1.5), TypeError,
     r"stride must be an int or a tuple of 2 ints, but got 1.5"),
    (lambda: cz.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), padding="full"), ValueError,
     r"Invalid padding string 'full'"),
    (lambda: cz.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), padding="same", stride=2), ValueError,
     r"padding='same' is not supported for strided convolutions"),
    (lambda: cz.conv2d(np.array([["a"]]), np.ones((1, 1, 1, 1))), TypeError,
     r"input must be a numeric array of integers or floats, but got dtype <U1"),
    (lambda: cz.conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3)), bias=np.ones(2)), ValueError,
     r"bias must have shape \(1,\).*got \(2,\)"),
    (lambda: cz.conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 3))), ValueError,
     r"Expected 4D weight .* to conv2d, but got weight of size \(1, 1, 3\)"),
    (lambda: cz.conv_transpose2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3)), stride=2, output_padding=2),
     ValueError, r"output padding must be smaller than either stride or dilation, but got output_padding=\(2, 2\)"),
    (lambda: cz.conv_transpose2d(np.ones((1, 2, 3, 3)), np.ones((1, 1, 3, 3))), ValueError,
     r"Given transposed=1, weight of size \(1, 1, 3, 3\), expected input \(1, 2, 3, 3\) to have 1 channels, "
     r"but got 2 channels instead"),
    (lambda: cz.conv_transpose1d(np.ones((1, 1, 1)), np.ones((1, 1, 1)), padding=1), ValueError,
     r"calculated output size \(-1,\) is too small"),
    (lambda: cz.convolve([1, 2], [1], mode="middle"), ValueError,
     r"mode must be one of 'full', 'same', 'valid', but got 'middle'"),
    (lambda: cz.correlate(np.ones((3, 2)), np.ones((2, 3)), mode="valid"), ValueError,
     r"one array must be at least as large as the other in every dimension"),
    (lambda: cz.convolve([1, 2, 3], np.ones((2, 2))), ValueError, r"same number of dimensions"),
    (lambda: cz.conv_general(np.ones((1, 1, 0)), np.ones((1, 1, 1))), ValueError, r"no zero-size"),
    (lambda: cz.conv2d(np.ones((1, 2, 5, 5)), np.ones((4, 2, 3, 3)), groups=0), ValueError,
     r"non-positive groups is not supported, got groups=0"),
])
def test_error_messages(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_nan_and_inf_propagate_as_numpy_would():
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 0, 0] = np.nan
    y = cz.conv2d(x, np.ones((1, 1, 2, 2)))
    assert np.isnan(y[0, 0, 0, 0]) and np.isfinite(y[0, 0, 1:, 1:]).all()


# ---- torch, when installed --------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(60))
def test_faces_match_torch(seed):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(1000 + seed)
    nd = 1 + seed % 3
    x, w, b, cfg = random_config(rng, nd)
    if any(D > 1 for D in cfg["input_dilation"]):
        cfg["input_dilation"] = (1,) * nd
    pad = tuple(max(a, bb) for a, bb in cfg["padding"])  # torch pads symmetrically
    span = [d * (k - 1) + 1 for d, k in zip(cfg["dilation"], w.shape[2:])]
    if any(i + 2 * p < s for i, p, s in zip(x.shape[2:], pad, span)):
        return
    conv = {1: cz.conv1d, 2: cz.conv2d, 3: cz.conv3d}[nd]
    ours = conv(x, w, b, cfg["stride"], pad, cfg["dilation"], cfg["groups"])
    t = lambda a: None if a is None else torch.from_numpy(np.ascontiguousarray(a))  # noqa: E731
    theirs = getattr(F, f"conv{nd}d")(t(x), t(w), t(b), cfg["stride"], pad, cfg["dilation"], cfg["groups"]).numpy()
    tol = 1e-4 if x.dtype == np.float32 else 1e-10
    np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol)
    # the transposed face, same configuration
    wt = rng.standard_normal((x.shape[1], w.shape[0] // cfg["groups"]) + w.shape[2:]).astype(x.dtype)
    out_pad = tuple(int(rng.integers(0, max(s, d))) for s, d in zip(cfg["stride"], cfg["dilation"]))
    if any((i - 1) * s - 2 * p + d * (k - 1) + op + 1 < 1
           for i, s, p, d, k, op in zip(x.shape[2:], cfg["stride"], pad, cfg["dilation"], wt.shape[2:], out_pad)):
        return
    convT = {1: cz.conv_transpose1d, 2: cz.conv_transpose2d, 3: cz.conv_transpose3d}[nd]
    ours = convT(x, wt, None, cfg["stride"], pad, out_pad, cfg["groups"], cfg["dilation"])
    theirs = getattr(F, f"conv_transpose{nd}d")(t(x), t(wt), None, cfg["stride"], pad, out_pad, cfg["groups"],
                                                 cfg["dilation"]).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol)


def test_same_padding_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    x, w = rng.standard_normal((1, 2, 7, 8)), rng.standard_normal((3, 2, 4, 3))
    theirs = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w), padding="same", dilation=2)
    np.testing.assert_allclose(cz.conv2d(x, w, padding="same", dilation=2), theirs.numpy(), atol=1e-10)


# ---- the fast paths of issue 9: scatter transposed convolution, chunking, bounded memory -------------
def dense_transpose(core_op, x, w, bias, stride, padding, output_padding, groups, dilation):
    """The textbook transposed convolution: ``core_op`` (vectorized or naive) run densely over the input
    spread apart by ``stride``, padded by ``d(k-1)-p`` (+ output_padding), with flipped, transposed weights.
    This is what conv_transpose* computed before it became a scatter."""
    nd = w.ndim - 2
    k = w.shape[2:]
    c_in, og = w.shape[:2]
    wt = w.reshape((groups, c_in // groups, og) + k).swapaxes(1, 2).reshape((groups * og, c_in // groups) + k)
    wt = wt[(Ellipsis,) + (slice(None, None, -1),) * nd]
    pads = tuple((d * (kk - 1) - p, d * (kk - 1) - p + op)
                 for d, kk, p, op in zip(dilation, k, padding, output_padding))
    return core_op(x, wt, bias, 1, pads, dilation, groups, input_dilation=stride)


def random_transpose_config(rng, nd):
    g = int(rng.choice([1, 1, 2, 3]))
    k = tuple(int(v) for v in rng.integers(1, 5, nd))
    s = tuple(int(v) for v in rng.integers(1, 4, nd))
    d = tuple(int(v) for v in rng.integers(1, 3, nd))
    # padding up to and beyond d(k-1) (the core op then crops: negative padding)
    p = tuple(int(rng.integers(0, dd * (kk - 1) + 2)) for dd, kk in zip(d, k))
    op = tuple(int(rng.integers(0, max(ss, dd))) for ss, dd in zip(s, d))
    size = tuple(int(v) for v in rng.integers(1, 7 if nd < 3 else 5, nd))
    return g, k, dict(stride=s, padding=p, output_padding=op, groups=g, dilation=d), size


@pytest.mark.parametrize("seed", range(120))
def test_transposed_scatter_matches_the_dense_zero_inserted_path_and_the_naive_twin(seed):
    rng = np.random.default_rng(5000 + seed)
    nd = 1 + seed % 3
    while True:
        g, k, cfg, size = random_transpose_config(rng, nd)
        out = [(i - 1) * s - 2 * p + d * (kk - 1) + op + 1 for i, s, p, d, kk, op in
               zip(size, cfg["stride"], cfg["padding"], cfg["dilation"], k, cfg["output_padding"])]
        if min(out) >= 1:
            break
    dtype = [np.float32, np.float64, np.int64][seed % 3]
    x = rng.integers(-3, 4, (int(rng.integers(1, 4)), g * int(rng.integers(1, 3))) + size).astype(dtype)
    w = rng.integers(-3, 4, (x.shape[1], int(rng.integers(1, 3))) + k).astype(dtype)
    b = rng.integers(-3, 4, g * w.shape[1]).astype(dtype) if seed % 2 else None
    convT = {1: cz.conv_transpose1d, 2: cz.conv_transpose2d, 3: cz.conv_transpose3d}[nd]
    fast = convT(x, w, b, **cfg)
    args = (x, w, b, cfg["stride"], cfg["padding"], cfg["output_padding"], cfg["groups"], cfg["dilation"])
    dense = dense_transpose(conv_general, *args)
    naive = dense_transpose(conv_general_naive, *args)
    assert fast.shape == dense.shape == naive.shape
    assert fast.dtype == dense.dtype
    if dtype == np.int64:                               # small integers: every path is exact
        assert np.array_equal(fast, dense) and np.array_equal(fast, naive)
    else:
        tol = 1e-4 if dtype == np.float32 else 1e-10
        np.testing.assert_allclose(fast, dense, rtol=tol, atol=tol)
        np.testing.assert_allclose(fast, naive, rtol=tol, atol=tol)


@pytest.mark.parametrize("budget", [1, 3000, 40000])
def test_transposed_chunking_is_exact(monkeypatch, budget):
    """Tiny budgets force a chunk per input row inside one image, or a few whole images per chunk."""
    import convzoo.core as core

    rng = np.random.default_rng(8)
    x, w = rng.standard_normal((5, 6, 7, 9)), rng.standard_normal((6, 2, 4, 3))
    kw = dict(stride=(2, 3), padding=(1, 2), output_padding=(1, 0), groups=2, dilation=(1, 2))
    full = cz.conv_transpose2d(x, w, **kw)
    monkeypatch.setattr(core, "_CHUNK_BYTES", budget)
    np.testing.assert_allclose(cz.conv_transpose2d(x, w, **kw), full, atol=1e-12)
    np.testing.assert_allclose(full, dense_transpose(conv_general, x, w, None, (2, 3), (1, 2), (1, 0), 2, (1, 2)),
                               atol=1e-12)


@pytest.mark.parametrize("budget", [1, 5000])
def test_depthwise_chunking_is_exact(monkeypatch, budget):
    """The tap-by-tap path over blocks of planes (a block may cut a group of images mid-way), with a
    depth multiplier, stride, dilation, input dilation and cropping (negative) padding."""
    import convzoo.core as core

    rng = np.random.default_rng(9)
    x, w = rng.standard_normal((3, 5, 9, 8)), rng.standard_normal((10, 1, 3, 2))
    cfg = dict(stride=(2, 1), padding=((2, -1), (1, 3)), dilation=(1, 2), groups=5, input_dilation=(1, 2))
    oracle = conv_general_naive(x, w, None, **cfg)
    monkeypatch.setattr(core, "_CHUNK_BYTES", budget)
    np.testing.assert_allclose(conv_general(x, w, None, **cfg), oracle, atol=1e-12)


def _peak_bytes(fn):
    """Peak bytes numpy allocated while ``fn`` ran (numpy reports its buffers to tracemalloc)."""
    import tracemalloc

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        result = fn()
        return result, tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("kind", ["dense", "grouped", "depthwise", "transposed-subpixel", "transposed-scatter"])
def test_working_memory_stays_within_the_chunk_budget(monkeypatch, kind):
    """A big batch: beyond the output-sized arrays each path needs (named below), the working buffers stay
    within the chunk budget; never k^2 x the input as a whole-batch im2col (or col2im) would."""
    import convzoo.core as core

    budget = 256 << 10
    monkeypatch.setattr(core, "_CHUNK_BYTES", budget)
    rng = np.random.default_rng(10)
    x = rng.standard_normal((64, 16, 24, 24), dtype=np.float32)                 # 2.4 MB, 64 images
    f32 = 4
    if kind == "transposed-subpixel":                                         # 4x4 stride 2: 4 phases of 2x2
        w = rng.standard_normal((16, 8, 4, 4), dtype=np.float32)
        call = lambda: cz.conv_transpose2d(x, w, stride=2, padding=1)          # noqa: E731
        whole = 64 * 25 * 25 * (2 * 2 * 16) * f32                             # its whole-batch patch matrix
        allowed = (64 * 26 * 26 * 16 * f32                                    # the padded input of its conv
                   + 64 * 32 * 25 * 25 * f32                                  # that conv's output (4 phases)
                   + 64 * 8 * (50 * 50 - 48 * 48) * f32)                      # the shuffled output's border
    elif kind == "transposed-scatter":                                        # 3x3 stride 2: the phases differ
        w = rng.standard_normal((16, 8, 3, 3), dtype=np.float32)
        call = lambda: cz.conv_transpose2d(x, w, stride=2, padding=1)          # noqa: E731
        whole = x.size // 16 * 9 * 8 * f32                                    # every pixel's cols at once
        allowed = 64 * 8 * (49 * 49 - 47 * 47) * f32                          # the uncropped border of the output
    else:
        groups = {"dense": 1, "grouped": 4, "depthwise": 16}[kind]
        w = rng.standard_normal((16, 16 // groups, 3, 3), dtype=np.float32)
        call = lambda: cz.conv2d(x, w, padding=1, groups=groups)               # noqa: E731
        whole = x.size * 9 * f32                                             # the whole-batch patch matrix
        allowed = 0 if kind == "depthwise" else 64 * 26 * 26 * 16 * f32      # the padded channels-last copy
    y, peak = _peak_bytes(call)
    extra = peak - y.nbytes - allowed
    assert extra <= 1.25 * budget, f"{kind}: {extra} bytes of working memory for a budget of {budget}"
    assert whole > 8 * budget           # so a whole-batch buffer would fail the line above: the test can tell


@pytest.mark.parametrize("k,s,d,p,op,g", [(4, 2, 1, 1, 0, 1), (2, 2, 1, 0, 1, 2), (3, 2, 1, 1, 1, 1), (5, 3, 2, 4, 2, 2),
                                          ((4, 3), (2, 3), (1, 1), (2, 0), (1, 2), 1), (1, 3, 1, 0, 2, 1)])
def test_both_transposed_forms_match_the_dense_path(k, s, d, p, op, g):
    """The sub-pixel form (one conv + pixel shuffle) and the scatter form, each forced on the same configs."""
    from convzoo.transpose import _scatter, _subpixel

    rng = np.random.default_rng(11)
    k, s, d, p, op = (v if isinstance(v, tuple) else (v, v) for v in (k, s, d, p, op))
    x, w = rng.standard_normal((2, 2 * g, 5, 6)), rng.standard_normal((2 * g, 3) + k)
    dense = dense_transpose(conv_general, x, w, None, s, p, op, g, d)
    out = dense.shape[2:]
    for form in (_subpixel, _scatter):
        np.testing.assert_allclose(form(x, w, g, s, d, p, out), dense, atol=1e-12, err_msg=form.__name__)
