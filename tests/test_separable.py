"""Separable convolutions against full convolutions with the equivalent weights, and torch."""
import numpy as np
import pytest

import convzoo as cz


def test_depthwise_is_each_channel_filtered_alone():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 3, 8, 7)), rng.standard_normal((6, 1, 3, 3))   # depth multiplier 2
    y = cz.depthwise_conv2d(x, w, stride=2, padding=1, depth_multiplier=2)
    for c in range(3):
        for j in range(2):
            alone = cz.conv2d(x[:, c:c + 1], w[2 * c + j:2 * c + j + 1], stride=2, padding=1)
            np.testing.assert_allclose(y[:, 2 * c + j:2 * c + j + 1], alone, atol=1e-12)


def test_depthwise_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((2, 4, 9, 9)), rng.standard_normal((12, 1, 3, 3))
    theirs = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w), stride=2, padding=1, groups=4)
    np.testing.assert_allclose(cz.depthwise_conv2d(x, w, stride=2, padding=1), theirs.numpy(), atol=1e-10)


def test_pointwise_is_a_matrix_multiply_per_pixel():
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((2, 5, 4, 3)), rng.standard_normal((7, 5))
    by_matmul = np.einsum("oc,nchw->nohw", w, x)
    np.testing.assert_allclose(cz.pointwise_conv2d(x, w), by_matmul, atol=1e-12)
    np.testing.assert_allclose(cz.pointwise_conv2d(x, w[..., None, None]), by_matmul, atol=1e-12)


@pytest.mark.parametrize("m", [1, 2])
def test_separable_equals_full_conv_with_equivalent_weight(m):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 7, 7))
    d, p = rng.standard_normal((3 * m, 1, 3, 3)), rng.standard_normal((5, 3 * m))
    full = cz.separable_equivalent_weight(d, p, depth_multiplier=m)
    assert full.shape == (5, 3, 3, 3)
    np.testing.assert_allclose(cz.separable_conv2d(x, d, p, padding=1), cz.conv2d(x, full, padding=1), atol=1e-10)


def test_depthwise_separable_weights_are_rank_one_per_input_channel():
    """What depthwise separable cannot express: each W[:, c] (C_out x k^2) has rank 1; a random full weight does not."""
    rng = np.random.default_rng(4)
    full = cz.separable_equivalent_weight(rng.standard_normal((3, 1, 3, 3)), rng.standard_normal((8, 3)))
    assert [np.linalg.matrix_rank(full[:, c].reshape(8, 9)) for c in range(3)] == [1, 1, 1]
    dense = rng.standard_normal((8, 3, 3, 3))
    assert [np.linalg.matrix_rank(dense[:, c].reshape(8, 9)) for c in range(3)] == [8, 8, 8]


def test_separate_kernel_is_eckart_young():
    rng = np.random.default_rng(5)
    k = rng.standard_normal((5, 5))
    for r in range(1, 6):
        split = cz.separate_kernel(k, rank=r)
        assert split.vertical.shape == (r, 5) and split.horizontal.shape == (r, 5)
        err = np.linalg.norm(k - split.approximation) / np.linalg.norm(k)
        assert split.relative_error == pytest.approx(err)
        # no other rank-r matrix does better: compare with rank-r kernels made of perturbed factors
        for _ in range(20):
            other = ((split.vertical + 1e-3 * rng.standard_normal((r, 5))).T
                     @ (split.horizontal + 1e-3 * rng.standard_normal((r, 5))))
            assert np.linalg.norm(k - other) >= np.linalg.norm(k - split.approximation) - 1e-12
    assert cz.separate_kernel(k, rank=5).relative_error < 1e-12


def test_sobel_and_gaussian_are_separable_a_random_kernel_is_not():
    sobel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    gauss = np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1])
    assert cz.separate_kernel(sobel).relative_error < 1e-12
    assert cz.separate_kernel(gauss).relative_error < 1e-12
    assert cz.separate_kernel(np.random.default_rng(6).standard_normal((3, 3))).relative_error > 0.1


@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1), ((1, 2), (2, 0))])
def test_two_passes_equal_one_2d_pass(stride, padding):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 3, 9, 8))
    v, h = rng.standard_normal((2, 3)), rng.standard_normal((2, 4))   # two separable terms
    kernel = v.T @ h
    weight = np.zeros((3, 1, 3, 4)) + kernel                         # the same kernel on every channel
    expected = cz.conv2d(x, weight, stride=stride, padding=padding, groups=3)
    got = cz.spatially_separable_conv2d(x, v, h, stride=stride, padding=padding)
    np.testing.assert_allclose(got, expected, atol=1e-10)


def test_flatten_filter_recovers_rank_one_and_is_a_stationary_best_fit():
    rng = np.random.default_rng(8)
    l, v, h = rng.standard_normal(6), rng.standard_normal(3), rng.standard_normal(3)
    w = cz.rank1_filter(l, v, h)
    f = cz.flatten_filter(w)
    np.testing.assert_allclose(f.approximation, w, atol=1e-10)
    # an arbitrary filter: the fit is stationary (each vector is the least-squares answer for the others)
    w = rng.standard_normal((6, 3, 3))
    f = cz.flatten_filter(w)
    np.testing.assert_allclose(np.einsum("cij,i,j->c", w, f.vertical, f.horizontal), f.lateral, atol=1e-7)
    np.testing.assert_allclose(np.linalg.norm(f.vertical), 1.0)
    # and no better than the bound the spatial SVD of each channel allows is impossible:
    # the error is at least that of the best rank-1 matrix of the (C, kh*kw) unfolding
    s = np.linalg.svd(w.reshape(6, 9), compute_uv=False)
    assert f.relative_error >= np.sqrt(np.sum(s[1:] ** 2) / np.sum(s ** 2)) - 1e-12
    # and better than random rank-1 filters
    for _ in range(50):
        r = cz.rank1_filter(*(rng.standard_normal(n) for n in (6, 3, 3)))
        scale = np.sum(r * w) / np.sum(r * r)
        assert np.linalg.norm(w - scale * r) >= np.linalg.norm(w - f.approximation)


@pytest.mark.parametrize("stride,padding", [(1, 0), (1, 1), (2, (1, 0))])
def test_flattened_conv_equals_full_conv_with_rank_one_filters(stride, padding):
    rng = np.random.default_rng(9)
    x = rng.standard_normal((2, 4, 9, 9))
    l, v, h, b = (rng.standard_normal(s) for s in [(5, 4), (5, 3), (5, 3), (5,)])
    expected = cz.conv2d(x, cz.rank1_filter(l, v, h), b, stride=stride, padding=padding)
    np.testing.assert_allclose(cz.flattened_conv2d(x, l, v, h, b, stride=stride, padding=padding), expected,
                               atol=1e-10)


@pytest.mark.parametrize("call,exc,match", [
    (lambda: cz.depthwise_conv2d(np.ones((1, 3, 5, 5)), np.ones((4, 1, 3, 3))), ValueError,
     r"must be a multiple of the 3 input channels"),
    (lambda: cz.depthwise_conv2d(np.ones((1, 3, 5, 5)), np.ones((3, 1, 3, 3)), depth_multiplier=2), ValueError,
     r"depth_multiplier=2 with 3 input channels needs 6 kernels"),
    (lambda: cz.depthwise_conv2d(np.ones((1, 3, 5, 5)), np.ones((3, 2, 3, 3))), ValueError,
     r"expected \(C \* m, 1, kh, kw\)"),
    (lambda: cz.pointwise_conv2d(np.ones((1, 3, 5, 5)), np.ones((4, 3, 3, 3))), ValueError, r"is 1x1"),
    (lambda: cz.separate_kernel(np.ones((3, 3)), rank=4), ValueError, r"rank must be at most min\(kh, kw\) = 3"),
    (lambda: cz.separate_kernel(np.ones(3)), ValueError, r"Expected 2D kernel to separate_kernel"),
    (lambda: cz.flatten_filter(np.ones((3, 3))), ValueError, r"Expected 3D filter to flatten_filter"),
    (lambda: cz.flattened_conv2d(np.ones((1, 2, 5, 5)), np.ones((2, 2)), np.ones((3, 3)), np.ones((2, 3))),
     ValueError, r"same number of filters"),
])
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
