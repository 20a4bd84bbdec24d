"""Property tests (hypothesis) of the core op and its faces across 1, 2 and 3 spatial dimensions (issue 10).

For random geometries (sizes, stride, padding symmetric or per side and even negative, dilation, groups,
input dilation, batched or not) they check that

- the vectorized ``conv_general`` equals its loop twin ``conv_general_naive`` exactly (integer data);
- ``conv1d/2d/3d`` and ``conv_transpose1d/2d/3d`` agree with torch (when torch is installed);
- the transposed convolution is the adjoint of the convolution: <conv(x), y> = <x, conv_transpose(y)>;
- ``conv_output_size``, ``conv_transpose_output_size`` and ``pool_output_size`` give the actual shapes;
- ``max_pool2d(return_indices=True)`` then ``max_unpool2d`` puts every maximum back where it was;
- ``pixel_shuffle``/``pixel_unshuffle`` and ``channel_shuffle`` with g then C/g are inverse permutations.

Every test is derandomized (the same examples on every run, so CI is reproducible) and small enough that the
file runs in seconds.
"""
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import convzoo as cz
from convzoo.core import conv_general, conv_general_naive

FAST = settings(max_examples=50, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
QUICK = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def ints(rng, shape):
    return rng.integers(-4, 5, shape)


@st.composite
def conv_configs(draw, nd=None, negative_padding=True, input_dilation=True, symmetric=False):
    """A valid geometry of the core op: every padded, input-dilated axis holds the dilated kernel."""
    nd = nd or draw(st.integers(1, 3))
    axis = st.integers(1, 3)
    g = draw(st.sampled_from([1, 1, 2, 3]))
    cg, og = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    kernel = tuple(draw(axis) for _ in range(nd))
    stride = tuple(draw(axis) for _ in range(nd))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    in_dil = tuple(draw(st.integers(1, 2)) for _ in range(nd)) if input_dilation else (1,) * nd
    low = -1 if negative_padding else 0
    if symmetric:
        pads = tuple((p, p) for p in (draw(st.integers(0, 2)) for _ in range(nd)))
    else:
        pads = tuple((draw(st.integers(low, 2)), draw(st.integers(low, 2))) for _ in range(nd))
    biggest = 6 if nd < 3 else 4
    size = []
    for k, d, D, (a, b) in zip(kernel, dilation, in_dil, pads):
        span = d * (k - 1) + 1
        need = max(1, math.ceil((span - 1 - a - b) / D) + 1)      # (L - 1) D + 1 + a + b >= span
        size.append(max(need, draw(st.integers(1, biggest))))
    n = draw(st.sampled_from([None, 1, 2]))                          # None: unbatched
    padding = pads if not symmetric or draw(st.booleans()) else tuple(a for a, _ in pads)
    return dict(nd=nd, n=n, c_in=g * cg, c_out=g * og, size=tuple(size), kernel=kernel,
                kw=dict(stride=stride, padding=padding, dilation=dilation, groups=g, input_dilation=in_dil),
                bias=draw(st.booleans()), seed=draw(st.integers(0, 2**16)))


def arrays(cfg):
    rng = np.random.default_rng(cfg["seed"])
    lead = () if cfg["n"] is None else (cfg["n"],)
    x = ints(rng, lead + (cfg["c_in"],) + cfg["size"])
    w = ints(rng, (cfg["c_out"], cfg["c_in"] // cfg["kw"]["groups"]) + cfg["kernel"])
    b = ints(rng, (cfg["c_out"],)) if cfg["bias"] else None
    return x, w, b


# ---- vectorized = naive ----------------------------------------------------------------------------------
@settings(FAST, max_examples=100)
@given(conv_configs())
def test_vectorized_equals_naive(cfg):
    x, w, b = arrays(cfg)
    fast = conv_general(x, w, b, **cfg["kw"])
    slow = conv_general_naive(x, w, b, **cfg["kw"])
    assert fast.shape == slow.shape and fast.dtype == slow.dtype == np.int64
    np.testing.assert_array_equal(fast, slow)
    assert min(fast.shape) >= 1


@FAST
@given(conv_configs(), st.sampled_from([np.float32, np.float64]))
def test_vectorized_equals_naive_in_floats(cfg, dtype):
    x, w, b = (None if a is None else a.astype(dtype) / 3 for a in arrays(cfg))
    fast = conv_general(x, w, b, **cfg["kw"])
    assert fast.dtype == dtype
    tol = 1e-4 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(fast, conv_general_naive(x, w, b, **cfg["kw"]), rtol=tol, atol=tol)


# ---- torch, where installed --------------------------------------------------------------------------------
@QUICK
@given(conv_configs(negative_padding=False, input_dilation=False))
def test_conv_faces_match_torch(cfg):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    x, w, b = arrays(cfg)
    nd, kw = cfg["nd"], cfg["kw"]
    ours = getattr(cz, f"conv{nd}d")(x, w, b, stride=kw["stride"], padding=kw["padding"],
                                      dilation=kw["dilation"], groups=kw["groups"])
    xt = torch.from_numpy(x.astype(np.float64))
    # torch pads each side alike: pad per side first (F.pad takes the last axis first)
    xt = F.pad(xt, tuple(v for a, b_ in reversed(kw["padding"]) for v in (a, b_)))
    theirs = getattr(F, f"conv{nd}d")(xt, torch.from_numpy(w.astype(np.float64)),
                                      None if b is None else torch.from_numpy(b.astype(np.float64)),
                                      stride=kw["stride"], dilation=kw["dilation"], groups=kw["groups"])
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-12, atol=1e-9)


@st.composite
def transpose_configs(draw):
    cfg = draw(conv_configs(negative_padding=False, input_dilation=False, symmetric=True))
    kw = cfg["kw"]
    pad = tuple(a for a, _ in kw["padding"]) if isinstance(kw["padding"][0], tuple) else kw["padding"]
    out_pad = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(kw["stride"], kw["dilation"]))
    # a transposed conv crops ``padding`` from each side of (i - 1)s + d(k - 1) + 1 + output_padding: keep >= 1
    sizes = tuple(max(i, math.ceil((2 * p - d * (k - 1) - op) / s) + 1)
                  for i, p, d, k, op, s in zip(cfg["size"], pad, kw["dilation"], cfg["kernel"], out_pad, kw["stride"]))
    return {**cfg, "size": sizes, "pad": pad, "out_pad": out_pad}


@QUICK
@given(transpose_configs())
def test_conv_transpose_faces_match_torch_and_the_size_formula(cfg):
    rng = np.random.default_rng(cfg["seed"])
    nd, kw, g = cfg["nd"], cfg["kw"], cfg["kw"]["groups"]
    lead = () if cfg["n"] is None else (cfg["n"],)
    x = ints(rng, lead + (cfg["c_in"],) + cfg["size"])
    w = ints(rng, (cfg["c_in"], cfg["c_out"] // g) + cfg["kernel"])      # (in, out / groups, *k), torch's layout
    b = ints(rng, (cfg["c_out"],)) if cfg["bias"] else None
    args = dict(stride=kw["stride"], padding=cfg["pad"], output_padding=cfg["out_pad"], groups=g,
                dilation=kw["dilation"])
    ours = getattr(cz, f"conv_transpose{nd}d")(x, w, b, **args)
    want = tuple(cz.conv_transpose_output_size(i, k, s, p, d, op) for i, k, s, p, d, op in
                 zip(cfg["size"], cfg["kernel"], kw["stride"], cfg["pad"], kw["dilation"], cfg["out_pad"]))
    assert ours.shape == lead + (cfg["c_out"],) + want
    torch = pytest.importorskip("torch")
    t = lambda a: None if a is None else torch.from_numpy(a.astype(np.float64))  # noqa: E731
    theirs = getattr(torch.nn.functional, f"conv_transpose{nd}d")(t(x), t(w), t(b), **args)
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-12, atol=1e-9)


# ---- the adjoint identity ------------------------------------------------------------------------------------
@FAST
@given(conv_configs(negative_padding=False, input_dilation=False, symmetric=True))
def test_conv_transpose_is_the_adjoint_of_conv(cfg):
    """<conv(x, w), y> = <x, conv_transpose(y, w)>, exactly, for the same stride, padding, dilation, groups."""
    x, w, _ = arrays(cfg)
    nd, kw = cfg["nd"], cfg["kw"]
    pad = tuple(a for a, _ in kw["padding"]) if isinstance(kw["padding"][0], tuple) else kw["padding"]
    args = dict(stride=kw["stride"], padding=pad, dilation=kw["dilation"], groups=kw["groups"])
    cx = getattr(cz, f"conv{nd}d")(x, w, **args)
    y = ints(np.random.default_rng(cfg["seed"] + 1), cx.shape)
    # the rows the conv's floor never reached come back through output_padding, so the shapes match x
    out_pad = tuple((i + 2 * p - d * (k - 1) - 1) % s for i, p, d, k, s in
                    zip(cfg["size"], pad, kw["dilation"], cfg["kernel"], kw["stride"]))
    ty = getattr(cz, f"conv_transpose{nd}d")(y, w, output_padding=out_pad, **args)
    assert ty.shape == x.shape
    assert int(np.sum(cx * y)) == int(np.sum(x * ty))


# ---- output-size formulas = actual shapes ---------------------------------------------------------------------
@FAST
@given(conv_configs(negative_padding=False, input_dilation=False, symmetric=True))
def test_conv_output_size_is_the_actual_size(cfg):
    x, w, _ = arrays(cfg)
    kw = cfg["kw"]
    pad = tuple(a for a, _ in kw["padding"]) if isinstance(kw["padding"][0], tuple) else kw["padding"]
    y = conv_general(x, w, stride=kw["stride"], padding=pad, dilation=kw["dilation"], groups=kw["groups"])
    want = tuple(cz.conv_output_size(i, k, s, p, d) for i, k, s, p, d in
                 zip(cfg["size"], cfg["kernel"], kw["stride"], pad, kw["dilation"]))
    assert y.shape[-cfg["nd"]:] == want
    assert y.shape[:-cfg["nd"]] == (() if cfg["n"] is None else (cfg["n"],)) + (cfg["c_out"],)


@st.composite
def pool_configs(draw, nd=None, dilation=True):
    nd = nd or draw(st.integers(1, 3))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    dil = tuple(draw(st.integers(1, 2)) for _ in range(nd)) if dilation else (1,) * nd
    pad = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    biggest = 7 if nd < 3 else 5
    size = tuple(max(d * (k - 1) + 1 - 2 * p, draw(st.integers(1, biggest)))
                 for k, d, p in zip(kernel, dil, pad))
    return dict(nd=nd, kernel=kernel, stride=stride, dilation=dil, padding=pad, size=size,
                ceil_mode=draw(st.booleans()), c=draw(st.integers(1, 2)), seed=draw(st.integers(0, 2**16)))


def _max_pool(x, cfg, **kw):
    return getattr(cz, f"max_pool{cfg['nd']}d")(x, cfg["kernel"], cfg["stride"], cfg["padding"], cfg["dilation"],
                                                 cfg["ceil_mode"], **kw)


def _windows_reach_input(cfg):
    """torch refuses a window lying wholly in the padding; so do we: keep the configs where none does."""
    for i, k, s, p, d in zip(cfg["size"], cfg["kernel"], cfg["stride"], cfg["padding"], cfg["dilation"]):
        o = cz.pool_output_size(i, k, s, p, d, cfg["ceil_mode"])
        for start in range(-p, (o - 1) * s - p + 1, s):
            if not any(0 <= start + t * d < i for t in range(k)):
                return False
    return True


@FAST
@given(pool_configs())
def test_pool_output_size_is_the_actual_size(cfg):
    x = np.random.default_rng(cfg["seed"]).normal(size=(cfg["c"],) + cfg["size"])
    want = tuple(cz.pool_output_size(i, k, s, p, d, cfg["ceil_mode"]) for i, k, s, p, d in
                 zip(cfg["size"], cfg["kernel"], cfg["stride"], cfg["padding"], cfg["dilation"]))
    if _windows_reach_input(cfg):
        assert _max_pool(x, cfg).shape == (cfg["c"],) + want
    avg = getattr(cz, f"avg_pool{cfg['nd']}d")(x, cfg["kernel"], cfg["stride"], cfg["padding"], cfg["ceil_mode"])
    if cfg["dilation"] == (1,) * cfg["nd"]:
        assert avg.shape == (cfg["c"],) + want


# ---- max pool with indices, then max unpool ---------------------------------------------------------------------
@FAST
@given(pool_configs(nd=2, dilation=False), st.integers(1, 2))
def test_max_unpool_puts_every_maximum_back_where_it_was(cfg, n):
    cfg = {**cfg, "ceil_mode": False}
    h, w = cfg["size"]
    rng = np.random.default_rng(cfg["seed"])
    x = rng.permutation(n * cfg["c"] * h * w).reshape(n, cfg["c"], h, w) - 10.0   # distinct, some negative
    values, idx = _max_pool(x, cfg, return_indices=True)
    y = cz.max_unpool2d(values, idx, cfg["kernel"], cfg["stride"], cfg["padding"], output_size=(h, w))
    assert y.shape == x.shape
    planes_x, planes_y = x.reshape(n * cfg["c"], -1), y.reshape(n * cfg["c"], -1)
    flat_idx, flat_val = idx.reshape(n * cfg["c"], -1), values.reshape(n * cfg["c"], -1)
    for px, py, i, v in zip(planes_x, planes_y, flat_idx, flat_val):
        np.testing.assert_array_equal(px[i], v)          # the index names where the maximum was in the input
        np.testing.assert_array_equal(py[i], v)          # and unpooling puts it back there
        rest = np.ones(py.size, bool)
        rest[i] = False
        assert not py[rest].any()                         # every other position is zero


# ---- permutations and their inverses ---------------------------------------------------------------------------
@FAST
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 4), st.integers(1, 4), st.sampled_from([None, 1, 2]),
       st.integers(0, 2**16))
def test_pixel_shuffle_and_unshuffle_are_inverse_permutations(r, c, h, w, n, seed):
    lead = () if n is None else (n,)
    rng = np.random.default_rng(seed)
    x = rng.permutation(int(np.prod(lead + (c * r * r, h, w)))).reshape(lead + (c * r * r, h, w))
    up = cz.pixel_shuffle(x, r)
    assert up.shape == lead + (c, h * r, w * r)
    np.testing.assert_array_equal(np.sort(up, axis=None), np.sort(x, axis=None))     # a permutation
    np.testing.assert_array_equal(cz.pixel_unshuffle(up, r), x)
    z = rng.permutation(int(np.prod(lead + (c, h * r, w * r)))).reshape(lead + (c, h * r, w * r))
    np.testing.assert_array_equal(cz.pixel_shuffle(cz.pixel_unshuffle(z, r), r), z)
    # out[c, h r + i, w r + j] = in[c r^2 + i r + j, h, w]
    hh, ww, i, j, cc = h - 1, w - 1, r - 1, 0, c - 1
    assert up[..., cc, hh * r + i, ww * r + j].tolist() == x[..., cc * r * r + i * r + j, hh, ww].tolist()


@FAST
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 3), st.sampled_from([None, 1, 2]), st.integers(0, 2**16))
def test_channel_shuffle_with_g_then_c_over_g_is_the_identity(g, per_group, hw, n, seed):
    c = g * per_group
    lead = () if n is None else (n,)
    x = np.random.default_rng(seed).permutation(int(np.prod(lead + (c, hw, hw)))).reshape(lead + (c, hw, hw))
    y = cz.channel_shuffle(x, g)
    perm = cz.shuffle_permutation(c, g)
    np.testing.assert_array_equal(np.sort(perm), np.arange(c))                  # a permutation of the channels
    np.testing.assert_array_equal(y, np.take(x, perm, axis=-3))
    np.testing.assert_array_equal(cz.channel_shuffle(y, c // g), x)
    np.testing.assert_array_equal(cz.channel_shuffle(cz.channel_shuffle(x, c // g), g), x)
