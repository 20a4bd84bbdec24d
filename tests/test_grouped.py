"""Channel shuffle, block-diagonal weights and channel connectivity: by hand, by algebra, by propagation, and
against torch when it is installed."""
import numpy as np
import pytest

import convzoo as cz
from convzoo.core import conv_general, conv_general_naive


# ---- channel shuffle ---------------------------------------------------------------------------------
def test_shuffle_orders_by_hand():
    np.testing.assert_array_equal(cz.shuffle_permutation(6, 3), [0, 2, 4, 1, 3, 5])
    np.testing.assert_array_equal(cz.shuffle_permutation(12, 4), [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11])
    np.testing.assert_array_equal(cz.shuffle_permutation(5, 1), np.arange(5))      # one group: nothing moves
    np.testing.assert_array_equal(cz.shuffle_permutation(5, 5), np.arange(5))      # one channel per group
    x = np.arange(6).reshape(1, 6, 1, 1) * np.ones((1, 1, 2, 2), dtype=int)
    np.testing.assert_array_equal(cz.channel_shuffle(x, 3)[0, :, 0, 0], [0, 2, 4, 1, 3, 5])


def test_shuffle_is_a_permutation_and_g_then_c_over_g_undoes_it():
    rng = np.random.default_rng(0)
    for c in range(1, 25):
        for g in [g for g in range(1, c + 1) if c % g == 0]:
            perm = cz.shuffle_permutation(c, g)
            assert sorted(perm.tolist()) == list(range(c))
            # the reshape/transpose/flatten recipe, written out
            np.testing.assert_array_equal(perm, [j * (c // g) + i for i in range(c // g) for j in range(g)])
            x = rng.standard_normal((2, c, 3, 2))
            np.testing.assert_array_equal(cz.channel_shuffle(cz.channel_shuffle(x, g), c // g), x)
            np.testing.assert_array_equal(cz.channel_shuffle(x[0], g), cz.channel_shuffle(x, g)[0])


def test_after_shuffle_every_group_holds_one_channel_of_each_group():
    c, g = 12, 3
    groups_of = np.arange(c) // (c // g)                  # which group each channel came from
    shuffled = groups_of[cz.shuffle_permutation(c, g)]
    for block in shuffled.reshape(g, c // g):              # the groups the next grouped conv sees
        assert set(block) == set(range(g))


# ---- block-diagonal weights --------------------------------------------------------------------------
def test_block_diagonal_by_hand():
    w = np.arange(1, 9).reshape(4, 2)                      # 4 filters, 2 groups of 2 input channels
    np.testing.assert_array_equal(cz.block_diagonal_weight(w, 2),
                                  [[1, 2, 0, 0], [3, 4, 0, 0], [0, 0, 5, 6], [0, 0, 7, 8]])
    np.testing.assert_array_equal(cz.block_diagonal_weight(w, 2) != 0, cz.group_mask(4, 4, 2).astype(bool))
    np.testing.assert_array_equal(cz.group_mask(6, 3, 3), np.repeat(np.eye(3, dtype=int), 2, axis=0))


@pytest.mark.parametrize("seed", range(30))
def test_grouped_conv_equals_conv_with_block_diagonal_weight(seed):
    rng = np.random.default_rng(seed)
    nd = seed % 3 + 1
    g = int(rng.integers(1, 5))
    cg, og = int(rng.integers(1, 4)), int(rng.integers(1, 3))
    k = tuple(int(v) for v in rng.integers(1, 4, nd))
    x = rng.standard_normal((2, g * cg) + tuple(int(v) for v in rng.integers(3, 7 if nd < 3 else 5, nd)))
    w = rng.standard_normal((g * og, cg) + k)
    full = cz.block_diagonal_weight(w, g)
    assert full.shape == (g * og, g * cg) + k
    assert np.count_nonzero(full) == np.count_nonzero(w)    # g times fewer parameters
    np.testing.assert_allclose(conv_general(x, w, groups=g, padding=1), conv_general(x, full, padding=1),
                               rtol=1e-10, atol=1e-10)
    if nd == 1:
        np.testing.assert_allclose(conv_general_naive(x, w, groups=g), conv_general(x, full), rtol=1e-10, atol=1e-10)


def test_block_diagonal_keeps_integers():
    w = np.arange(12).reshape(6, 1, 2)
    full = cz.block_diagonal_weight(w, 3)
    assert full.dtype == w.dtype and full.shape == (6, 3, 2)
    x = np.arange(15).reshape(3, 5)
    np.testing.assert_array_equal(conv_general(x, w, groups=3), conv_general(x, full))


# ---- channel connectivity ------------------------------------------------------------------------------
def reach_by_propagation(groups, widths, shuffles, rng):
    """Run the layer stack for real: one-hot input channels through random positive grouped 1x1 convs
    (and channel shuffles); an output is reached when it is nonzero."""
    c0 = widths[0]
    x = np.eye(c0).reshape(c0, c0, 1, 1)                       # batch of one-hot images, one per input channel
    for layer, g in enumerate(groups):
        w = rng.uniform(0.5, 1.0, (widths[layer + 1], widths[layer] // g, 1, 1))
        x = conv_general(x, w, groups=g)
        if layer < len(groups) - 1 and shuffles[layer]:
            x = cz.channel_shuffle(x, g)
    return (x[:, :, 0, 0].T > 0).astype(int)                   # (C_out, C_in)


@pytest.mark.parametrize("seed", range(20))
def test_connectivity_matches_propagation(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 4))
    groups = [int(rng.choice([1, 2, 3, 4])) for _ in range(n)]
    lcm = int(np.lcm.reduce(groups))
    widths = [lcm * int(rng.integers(1, 4)) for _ in range(n + 1)]
    shuffles = [bool(rng.random() < 0.6) for _ in range(n - 1)]
    got = cz.channel_connectivity(groups, widths, shuffle=shuffles)
    np.testing.assert_array_equal(got, reach_by_propagation(groups, widths, shuffles, rng))


def test_connectivity_without_and_with_shuffle():
    # without shuffle, a stack of grouped layers is as blocked as one layer
    np.testing.assert_array_equal(cz.channel_connectivity([4, 4, 4], 16), cz.group_mask(16, 16, 4))
    # with it, two layers already connect everything when g^2 <= C ...
    assert cz.channel_connectivity([4, 4], 16, shuffle=True).all()
    # ... but not when the groups are too narrow to hold a channel of every group
    partial = cz.channel_connectivity([3, 3], 6, shuffle=True)
    assert not partial.all() and partial.sum(axis=1).tolist() == [4] * 6
    assert cz.channel_connectivity([3, 3, 3], 6, shuffle=True).all()
    # one dense layer anywhere connects everything
    assert cz.channel_connectivity([4, 1, 4], 8).all()


# ---- errors ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, exc, match", [
    (lambda: cz.channel_shuffle(np.ones((1, 6, 2, 2)), 4), ValueError,
     r"Number of channels must be divisible by groups. Got 6 channels and 4 groups"),
    (lambda: cz.channel_shuffle(np.ones((1, 6, 2, 2)), 0), ValueError, r"groups must be positive, but got 0"),
    (lambda: cz.channel_shuffle(np.ones((1, 6, 2, 2)), 2.0), TypeError, r"groups must be an integer"),
    (lambda: cz.channel_shuffle(np.ones((6, 2)), 2), ValueError,
     r"Expected 3D or 4D input to channel_shuffle, but got input of size: \(6, 2\)"),
    (lambda: cz.shuffle_permutation(10, 4), ValueError, r"Got 10 channels and 4 groups"),
    (lambda: cz.block_diagonal_weight(np.ones((6, 2, 3, 3)), 4), ValueError,
     r"out_channels must be divisible by groups, but got weight of size \(6, 2, 3, 3\) \(6 out_channels\) "
     r"with groups=4"),
    (lambda: cz.block_diagonal_weight(np.ones(6), 2), ValueError, r"weight must have at least 2 dimensions"),
    (lambda: cz.group_mask(4, 6, 4), ValueError,
     r"Number of in_channels must be divisible by groups. Got 6 in_channels and 4 groups"),
    (lambda: cz.channel_connectivity(3, 6), TypeError, r"groups must be a sequence of ints, one per layer"),
    (lambda: cz.channel_connectivity([], 6), ValueError, r"at least one layer"),
    (lambda: cz.channel_connectivity([2, 3], 8), ValueError,
     r"layer 1 has groups=3, which must divide its 8 input and 8 output channels"),
    (lambda: cz.channel_connectivity([2, 2], [4, 4]), ValueError, r"channels must be one int or 3 widths"),
    (lambda: cz.channel_connectivity([2, 2], 4, shuffle=[True, False]), ValueError,
     r"shuffle must be a bool or 1 bools"),
])
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ---- against torch ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("c, g", [(6, 3), (12, 4), (8, 2), (9, 9), (5, 1), (24, 6)])
def test_channel_shuffle_matches_torch(torch, c, g):
    x = np.random.default_rng(c * g).standard_normal((2, c, 3, 4))
    want = torch.nn.ChannelShuffle(g)(torch.from_numpy(x)).numpy()
    np.testing.assert_array_equal(cz.channel_shuffle(x, g), want)
    want = torch.nn.functional.channel_shuffle(torch.from_numpy(x), g).numpy()
    np.testing.assert_array_equal(cz.channel_shuffle(x, g), want)


@pytest.mark.parametrize("seed", range(10))
def test_grouped_conv2d_matches_torch_and_block_diagonal(torch, seed):
    rng = np.random.default_rng(seed)
    g = int(rng.integers(1, 5))
    x = rng.standard_normal((2, 2 * g, 6, 7))
    w = rng.standard_normal((3 * g, 2, 3, 3))
    want = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w), groups=g).numpy()
    np.testing.assert_allclose(conv_general(x, cz.block_diagonal_weight(w, g)), want, rtol=1e-10, atol=1e-10)
