"""interpolate and the pixel shuffle against independent formulas, hand examples, round trips and torch."""
import itertools

import numpy as np
import pytest

import convzoo as cz

LINEAR = {1: "linear", 2: "bilinear", 3: "trilinear"}


# ---- hand-computed examples and independent formulas --------------------------------------------------
X = np.array([[[1.0, 2.0], [3.0, 4.0]]])            # unbatched, one 2x2 channel


def test_bilinear_by_hand():
    # align_corners=False: output centres at (dst + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> clamp, blend
    row = [1, 1.25, 1.75, 2]
    want = np.array([row, np.add(row, 0.5), np.add(row, 1.5), np.add(row, 2)])
    np.testing.assert_allclose(cz.interpolate(X, size=4, mode="bilinear")[0], want)
    # align_corners=True: thirds between the corner pixels
    want = np.array([[1 + 2 * i / 3 + j / 3 for j in range(4)] for i in range(4)])
    np.testing.assert_allclose(cz.interpolate(X, size=4, mode="bilinear", align_corners=True)[0], want)


def test_nearest_by_hand_and_integer_scale_is_repeat():
    x = np.arange(6).reshape(1, 1, 2, 3)
    np.testing.assert_array_equal(cz.interpolate(x, scale_factor=2), x.repeat(2, 2).repeat(2, 3))
    np.testing.assert_array_equal(cz.interpolate(x, scale_factor=(3, 1)), x.repeat(3, 2))
    assert cz.interpolate(x, scale_factor=2).dtype == np.int64            # nearest keeps integers
    # legacy nearest reads floor(dst * I / O): shrinking 5 -> 3 reads 0, 1, 3 (not the centred 0, 2, 4)
    np.testing.assert_array_equal(cz.interpolate(np.arange(5)[None, None], size=3), [[[0, 1, 3]]])
    np.testing.assert_array_equal(cz.interpolate(np.arange(5)[None, None], size=3, mode="nearest-exact"),
                                  [[[0, 2, 4]]])


@pytest.mark.parametrize("spatial_dims", [1, 2, 3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nearest_is_the_integer_formula_up_to_float_ties(spatial_dims, dtype):
    """Torch's nearest is floor(dst I / O) ('nearest-exact': floor((dst + 1/2) I / O)) computed in floating
    point: it can differ from exact integer arithmetic only where the exact value is an integer, and
    then by one, downwards (14 -> 46 pixels: output 23 reads 23 * 14 / 46 = 7, torch reads pixel 6)."""
    ties = 0
    for i_size, o_size in itertools.product(range(1, 64), range(1, 64)):
        dst = np.arange(o_size)
        for mode, num, den in (("nearest", dst * i_size, o_size),
                               ("nearest-exact", (2 * dst + 1) * i_size, 2 * o_size)):
            got = cz.source_coordinates(i_size, o_size, mode, dtype=dtype, spatial_dims=spatial_dims)
            exact = np.minimum(num // den, i_size - 1)
            off = got != exact
            assert np.all(num[off] % den == 0) and np.all(got[off] == exact[off] - 1), (mode, i_size, o_size)
            ties += off.sum()
    assert ties < 200   # rare
    assert cz.source_coordinates(14, 46, spatial_dims=1)[23] == 6


def test_nearest_2d_keeps_torchs_legacy_shortcuts():
    """With a scale factor, torch's 1-D and 3-D nearest read floor(dst / scale_factor), but its 2-D kernel
    copies when O = I: 2 pixels * 1.3 -> 2 pixels is [0, 0] in 1-D and [0, 1] in 2-D."""
    x = np.arange(2)[None, None]
    np.testing.assert_array_equal(cz.interpolate(x, scale_factor=1.3), [[[0, 0]]])
    np.testing.assert_array_equal(cz.interpolate(x[..., None], scale_factor=(1.3, 1)), [[[[0], [1]]]])
    np.testing.assert_array_equal(cz.interpolate(x[..., None, None], scale_factor=(1.3, 1, 1)).ravel(), [0, 0])


def interp_oracle(x, out, align_corners):
    """Separable linear interpolation with np.interp (which clamps at the ends), in float64."""
    y = x.astype(float)
    for j, o in enumerate(out):
        axis = 2 + j
        n = y.shape[axis]
        if align_corners:
            src = np.arange(o) * ((n - 1) / (o - 1) if o > 1 else 0.0)
        else:
            src = np.maximum((np.arange(o) + 0.5) * n / o - 0.5, 0)
        y = np.apply_along_axis(lambda v: np.interp(src, np.arange(n), v), axis, y)
    return y


@pytest.mark.parametrize("seed", range(40))
def test_linear_modes_match_np_interp(seed):
    rng = np.random.default_rng(seed)
    nd = seed % 3 + 1
    size = tuple(int(v) for v in rng.integers(1, 7, nd))
    out = tuple(int(v) for v in rng.integers(1, 10, nd))
    align = bool(seed % 2)
    x = rng.standard_normal((2, 2) + size)
    got = cz.interpolate(x, size=out, mode=LINEAR[nd], align_corners=align)
    np.testing.assert_allclose(got, interp_oracle(x, out, align), rtol=1e-12, atol=1e-12)


def test_properties():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 3, 5, 7))
    for mode, align in [("nearest", None), ("nearest-exact", None), ("bilinear", False), ("bilinear", True)]:
        np.testing.assert_allclose(cz.interpolate(x, size=(5, 7), mode=mode, align_corners=align), x)
    # align_corners=True keeps the four corner pixels, and reproduces a linear ramp exactly
    y = cz.interpolate(x, size=(9, 13), mode="bilinear", align_corners=True)
    np.testing.assert_allclose(y[..., [0, 0, -1, -1], [0, -1, 0, -1]], x[..., [0, 0, -1, -1], [0, -1, 0, -1]])
    ramp = 2.0 * np.arange(5)[:, None] + 3.0 * np.arange(7)[None] + 1.0
    up = cz.interpolate(ramp[None], size=(9, 13), mode="bilinear", align_corners=True)[0]
    want = 2.0 * np.linspace(0, 4, 9)[:, None] + 3.0 * np.linspace(0, 6, 13)[None] + 1.0
    np.testing.assert_allclose(up, want)
    # dtypes and unbatched input
    x32 = x.astype(np.float32)
    assert cz.interpolate(x32, scale_factor=1.5, mode="bilinear").dtype == np.float32
    assert cz.interpolate(np.arange(4).reshape(1, 2, 2), size=3, mode="bilinear").dtype == np.float64
    np.testing.assert_array_equal(cz.interpolate(x[0], size=(3, 4), mode="bilinear"),
                                  cz.interpolate(x, size=(3, 4), mode="bilinear")[0])
    np.testing.assert_array_equal(cz.interpolate(x[0], size=(3, 4)), cz.interpolate(x, size=(3, 4))[0])
    # a 3D input with an int size is (N, C, L), as in torch; a tuple with one entry per axis of an
    # unbatched input makes it (C, H, W) -- also for a 4D input read as (C, D, H, W)
    assert cz.interpolate(x[0], size=4).shape == (3, 5, 4)
    assert cz.interpolate(x[0], size=(2, 4)).shape == (3, 2, 4)
    assert cz.interpolate(x, size=(2, 4, 6)).shape == (1, 2, 4, 6)


def test_scale_factor_uses_one_over_scale():
    """With a scale factor, torch steps by 1 / scale_factor, not I / O (they differ when I * s is fractional)."""
    x = np.arange(5.0)[None, None]
    # O = floor(5 * 1.5) = 7; step 1/1.5: floor(dst / 1.5) = 0 0 1 2 2 3 4
    np.testing.assert_array_equal(cz.interpolate(x, scale_factor=1.5)[0, 0], [0, 0, 1, 2, 2, 3, 4])
    # recompute_scale_factor: step I / O = 5 / 7 = floor(5 dst / 7) = 0 0 1 2 2 3 4 ... and for linear it differs
    a = cz.interpolate(x, scale_factor=1.5, mode="linear")
    b = cz.interpolate(x, scale_factor=1.5, mode="linear", recompute_scale_factor=True)
    np.testing.assert_allclose(b, cz.interpolate(x, size=7, mode="linear"))
    assert not np.allclose(a, b)


# ---- pixel shuffle -------------------------------------------------------------------------------------
def shuffle_loops(x, r):
    n, c, h, w = x.shape
    y = np.zeros((n, c // (r * r), h * r, w * r), dtype=x.dtype)
    for b, ch, hh, ww, i, j in itertools.product(range(n), range(c // (r * r)), range(h), range(w), range(r),
                                                 range(r)):
        y[b, ch, hh * r + i, ww * r + j] = x[b, ch * r * r + i * r + j, hh, ww]
    return y


@pytest.mark.parametrize("r", [1, 2, 3])
def test_pixel_shuffle_matches_loops_and_round_trips(r):
    rng = np.random.default_rng(r)
    x = rng.integers(0, 100, (2, 2 * r * r, 3, 4))
    y = cz.pixel_shuffle(x, r)
    np.testing.assert_array_equal(y, shuffle_loops(x, r))
    np.testing.assert_array_equal(cz.pixel_unshuffle(y, r), x)
    np.testing.assert_array_equal(cz.pixel_shuffle(cz.pixel_unshuffle(y, r), r), y)
    np.testing.assert_array_equal(cz.pixel_shuffle(x[0], r), y[0])            # unbatched
    assert y.dtype == x.dtype


def test_pixel_shuffle_by_hand():
    x = np.arange(8).reshape(8, 1, 1)                 # 2 output channels of 2x2
    np.testing.assert_array_equal(cz.pixel_shuffle(x, 2), [[[0, 1], [2, 3]], [[4, 5], [6, 7]]])


# ---- errors -------------------------------------------------------------------------------------------
x4 = np.ones((1, 2, 5, 5))


@pytest.mark.parametrize("call, exc, match", [
    (lambda: cz.interpolate(x4, size=3, mode="cubic"), ValueError,
     r"mode must be one of 'nearest', 'nearest-exact', 'linear', 'bilinear', 'trilinear', but got 'cubic'"),
    (lambda: cz.interpolate(x4, size=3, scale_factor=2), ValueError,
     r"only one of size or scale_factor should be defined"),
    (lambda: cz.interpolate(x4), ValueError, r"either size or scale_factor should be defined"),
    (lambda: cz.interpolate(x4, size=3, align_corners=True), ValueError,
     r"align_corners option can only be set with the interpolating modes"),
    (lambda: cz.interpolate(x4, size=3, mode="bilinear", align_corners=1), TypeError,
     r"align_corners must be True, False or None"),
    (lambda: cz.interpolate(x4, size=3, mode="linear"), ValueError,
     r"Got 4D input of size \(1, 2, 5, 5\), but linear mode needs 3D input \(N, C, L\) or \(C, L\)"),
    (lambda: cz.interpolate(x4[0, 0], size=3, mode="bilinear"), ValueError, r"bilinear mode needs 4D input"),
    (lambda: cz.interpolate(x4[0, 0], size=3), ValueError,
     r"expects a 3D, 4D or 5D input \(N, C, \*spatial\).*got input of size \(5, 5\)"),
    (lambda: cz.interpolate(x4, size=(3, 4, 5, 6)), ValueError,
     r"Input and output must have the same number of spatial dimensions, but got input with spatial size "
     r"\(5, 5\) and output size \(3, 4, 5, 6\)"),
    (lambda: cz.interpolate(x4, size=(3, 4, 5), mode="bilinear"), ValueError,
     r"same number of spatial dimensions.*\(3, 4, 5\)"),
    (lambda: cz.interpolate(x4, size=0), ValueError, r"size must be positive, but got size=0"),
    (lambda: cz.interpolate(x4, size=2.5), TypeError, r"size must be an int or a tuple of 2 ints"),
    (lambda: cz.interpolate(x4, scale_factor=-1), ValueError,
     r"scale_factor must be positive and finite, but got scale_factor=-1"),
    (lambda: cz.interpolate(x4, scale_factor="2"), TypeError, r"scale_factor must be a positive number"),
    (lambda: cz.interpolate(x4, scale_factor=(2, 2, 2, 2)), ValueError,
     r"scale_factor must be a number or a tuple of 2 numbers"),
    (lambda: cz.interpolate(x4, scale_factor=0.1), ValueError,
     r"Input and output sizes should be greater than 0, but got input \(5, 5\) and scale_factor=0.1, which "
     r"gives output size \(0, 0\)"),
    (lambda: cz.interpolate(x4, size=3, recompute_scale_factor=True), ValueError,
     r"recompute_scale_factor is not meaningful with an explicit size"),
    (lambda: cz.pixel_shuffle(np.ones((1, 2, 5, 5)), 2), ValueError,
     r"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
     r"upscale_factor, but input.size\(-3\)=2 is not divisible by 4"),
    (lambda: cz.pixel_shuffle(np.ones((1, 8, 2, 2)), 0), ValueError, r"upscale_factor must be positive, but got 0"),
    (lambda: cz.pixel_shuffle(np.ones((8, 2)), 2), ValueError, r"Expected 3D or 4D input to pixel_shuffle"),
    (lambda: cz.pixel_unshuffle(np.ones((1, 1, 4, 5)), 2), ValueError,
     r"pixel_unshuffle expects width to be divisible by downscale_factor, but input.size\(-1\)=5 is not "
     r"divisible by 2"),
    (lambda: cz.pixel_unshuffle(np.ones((1, 1, 5, 4)), 2), ValueError,
     r"pixel_unshuffle expects height to be divisible by downscale_factor, but input.size\(-2\)=5"),
    (lambda: cz.pixel_unshuffle(np.ones((1, 1, 4, 4)), 1.0), TypeError, r"downscale_factor must be an integer"),
])
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ---- against torch ------------------------------------------------------------------------------------
def random_resize(rng, nd):
    """Random sizes and either an output size or a scale factor (integer, fractional, up or down)."""
    size = tuple(int(v) for v in rng.integers(1, 9 if nd < 3 else 6, nd))
    if rng.random() < 0.5:
        out = tuple(int(v) for v in rng.integers(1, 12 if nd < 3 else 7, nd))
        return size, dict(size=out if rng.random() < 0.7 else out[0] if len(set(out)) == 1 else out)
    while True:
        sf = tuple(float(rng.choice([0.5, 0.7, 1.3, 1.5, 1.7, 2.0, 2.5, 3.0, 0.9, 1.0])) for _ in range(nd))
        if all(int(np.floor(i * s)) >= 1 for i, s in zip(size, sf)):
            break
    kw = dict(scale_factor=sf if rng.random() < 0.7 else sf[0] if len(set(sf)) == 1 else sf)
    if rng.random() < 0.3:
        kw["recompute_scale_factor"] = True
    return size, kw


@pytest.mark.parametrize("seed", range(150))
def test_interpolate_matches_torch(torch, seed):
    F = torch.nn.functional
    rng = np.random.default_rng(1000 + seed)
    nd = seed % 3 + 1
    mode = ["nearest", "nearest-exact", LINEAR[nd]][(seed // 3) % 3]
    size, kw = random_resize(rng, nd)
    if mode in LINEAR.values():
        kw["align_corners"] = [None, False, True][seed % 3]
    dtype = np.float32 if seed % 2 else np.float64
    x = rng.standard_normal((2, 3) + size).astype(dtype)
    want = F.interpolate(torch.from_numpy(x), mode=mode, **kw).numpy()
    got = cz.interpolate(x, mode=mode, **kw)
    assert got.dtype == dtype and got.shape == want.shape
    if mode.startswith("nearest"):
        np.testing.assert_array_equal(got, want)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-6)


def test_interpolate_nearest_large_sizes_match_torch(torch):
    """Beyond 64 pixels float32 rounding can differ from exact arithmetic; we round as torch does."""
    F = torch.nn.functional
    for i_size, o_size in [(100, 77), (97, 300), (1000, 999), (333, 1000), (77, 7), (511, 513)]:
        x = np.arange(i_size, dtype=np.float32)[None, None]
        for mode in ("nearest", "nearest-exact"):
            want = F.interpolate(torch.from_numpy(x), size=o_size, mode=mode).numpy()
            np.testing.assert_array_equal(cz.interpolate(x, size=o_size, mode=mode), want)
        for sf in (0.77, 1.3, 2.9):
            want = F.interpolate(torch.from_numpy(x), scale_factor=sf).numpy()
            np.testing.assert_array_equal(cz.interpolate(x, scale_factor=sf), want)


@pytest.mark.parametrize("spatial_dims", [1, 2, 3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nearest_indices_match_torch(torch, spatial_dims, dtype):
    """Every (I, O) up to 24, some scale factors and known float32 ties: the index rule of every torch kernel."""
    F = torch.nn.functional
    cases = [(i, o, None) for i, o in itertools.product(range(1, 25), range(1, 25))]
    cases += [(i, int(np.floor(i * sf)), sf) for i in range(1, 25) for sf in (0.51, 0.7, 1.1, 1.3, 2.2, 3.3)
              if i * sf >= 1]
    cases += [(2, 41, None), (2, 47, None), (2, 61, None)]
    for mode in ("nearest", "nearest-exact"):
        for i_size, o_size, sf in cases:
            shape = [1, 1] + [1] * (spatial_dims - 1) + [i_size]
            x = torch.arange(i_size, dtype=getattr(torch, np.dtype(dtype).name)).reshape(shape)
            kw = dict(size=[1] * (spatial_dims - 1) + [o_size]) if sf is None else \
                dict(scale_factor=[1.0] * (spatial_dims - 1) + [sf])
            want = F.interpolate(x, mode=mode, **kw).reshape(-1).long().numpy()
            got = cz.source_coordinates(i_size, o_size, mode, scale_factor=sf, dtype=dtype, spatial_dims=spatial_dims)
            np.testing.assert_array_equal(got, want, err_msg=f"{mode} {i_size}->{o_size} scale_factor={sf}")


@pytest.mark.parametrize("r", [1, 2, 3])
def test_pixel_shuffle_matches_torch(torch, r):
    F = torch.nn.functional
    x = np.random.default_rng(r).standard_normal((2, 3 * r * r, 4, 5))
    np.testing.assert_array_equal(cz.pixel_shuffle(x, r), F.pixel_shuffle(torch.from_numpy(x), r).numpy())
    y = np.random.default_rng(r).standard_normal((2, 3, 4 * r, 2 * r))
    np.testing.assert_array_equal(cz.pixel_unshuffle(y, r), F.pixel_unshuffle(torch.from_numpy(y), r).numpy())
