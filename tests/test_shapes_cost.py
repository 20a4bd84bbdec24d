"""Arithmetic and cost counters against actual outputs, brute force and the published numbers."""
import itertools
import math

import numpy as np
import pytest

import convzoo as cz

GRID = [(i, k, s, p, d) for i, k, s, p, d in itertools.product(range(1, 9), range(1, 5), range(1, 4), range(3), range(1, 3))
        if i + 2 * p >= d * (k - 1) + 1]


@pytest.mark.parametrize("i,k,s,p,d", GRID[::7])
def test_conv_output_size_is_the_actual_length(i, k, s, p, d):
    y = cz.conv1d(np.ones((1, 1, i)), np.ones((1, 1, k)), stride=s, padding=p, dilation=d)
    assert y.shape[-1] == cz.conv_output_size(i, k, s, p, d)


@pytest.mark.parametrize("i,k,s,p,d", GRID[::7])
def test_unused_input_counts_cells_no_window_reads(i, k, s, p, d):
    # Brute force: mark every padded cell some window tap reaches; count the unmarked tail.
    n = i + 2 * p
    read = np.zeros(n, bool)
    for o in range(cz.conv_output_size(i, k, s, p, d)):
        read[o * s: o * s + d * (k - 1) + 1] = True
    last = np.flatnonzero(read)[-1]
    assert cz.unused_input(i, k, s, p, d) == n - 1 - last


def test_published_cases():
    cases = {(4, 3, 1, 0): 2, (5, 4, 1, 2): 6, (5, 3, 1, 1): 5, (5, 3, 1, 2): 7, (5, 3, 2, 0): 2,
             (5, 3, 2, 1): 3, (6, 3, 2, 1): 3}
    assert {c: cz.conv_output_size(*c) for c in cases} == cases
    assert cz.conv_output_size(7, 3, d=2) == 3


@pytest.mark.parametrize("i,k,s,p,d,op", [(i, k, s, p, d, op) for i, k, s, p, d in GRID[::11]
                                          for op in range(max(s, d)) if (i - 1) * s - 2 * p + d * (k - 1) + op + 1 >= 1])
def test_conv_transpose_output_size_is_the_actual_length(i, k, s, p, d, op):
    y = cz.conv_transpose1d(np.ones((1, 1, i)), np.ones((1, 1, k)), stride=s, padding=p, output_padding=op, dilation=d)
    assert y.shape[-1] == cz.conv_transpose_output_size(i, k, s, p, d, op)


@pytest.mark.parametrize("ceil", [False, True])
def test_pool_output_size_is_the_actual_length(ceil):
    for i, k, s, p in itertools.product(range(1, 10), range(1, 4), range(1, 4), range(2)):
        if 2 * p > k or i + 2 * p < k:
            continue
        y = cz.max_pool1d(np.ones((1, 1, i)), k, s, p, ceil_mode=ceil)
        assert y.shape[-1] == cz.pool_output_size(i, k, s, p, ceil_mode=ceil), (i, k, s, p)


def test_pool_output_size_matches_torch():
    torch = pytest.importorskip("torch")
    for i, k, s, p, ceil in itertools.product(range(1, 12), range(2, 4), range(1, 4), range(2), (False, True)):
        if 2 * p > k:
            continue
        if i + 2 * p < k:   # torch: "Invalid computed output size: 0"; ours names the sizes (tested above)
            with pytest.raises(ValueError, match="kernel does not fit"):
                cz.pool_output_size(i, k, s, p, ceil_mode=ceil)
            continue
        y = torch.nn.functional.max_pool1d(torch.ones(1, 1, i), k, s, p, ceil_mode=ceil)
        assert y.shape[-1] == cz.pool_output_size(i, k, s, p, ceil_mode=ceil)


@pytest.mark.parametrize("i,k,s,d", list(itertools.product(range(1, 9), range(1, 6), range(1, 4), range(1, 3)))[::3])
def test_same_padding_gives_ceil_i_over_s(i, k, s, d):
    before, after = cz.same_padding(i, k, s, d)
    assert 0 <= after - before <= 1
    if i + before + after >= d * (k - 1) + 1:
        y = cz.conv1d(np.ones((1, 1, i)), np.ones((1, 1, k)), stride=s, padding=((before, after),), dilation=d)
        assert y.shape[-1] == math.ceil(i / s)


def test_same_padding_agrees_with_the_core_at_stride_one():
    for k in range(1, 7):
        y = cz.conv1d(np.ones((1, 1, 9)), np.ones((1, 1, k)), padding="same")
        assert y.shape[-1] == 9
        assert cz.same_padding(9, k) == tuple(np.array(cz.core.ConvSpec(
            np.ones((1, 1, 9)), np.ones((1, 1, k)), None, 1, "same", 1, 1, 1).padding[0]))


def _brute_receptive_field(layers, n=200):
    """Input cells that reach output cell 0 of a stack, by pushing an impulse response backwards."""
    # Start from a one-hot at the first output cell and apply the adjoint of each layer in reverse.
    sizes = [n]
    for k, s, p, d in layers:
        sizes.append(cz.conv_output_size(sizes[-1], k, s, p, d))
    g = np.zeros((1, 1, sizes[-1]))
    g[..., 0] = 1.0
    for (k, s, p, d), size_in in zip(reversed(layers), reversed(sizes[:-1])):
        out = cz.conv_transpose_output_size(g.shape[-1], k, s, p, d)
        op = size_in - out
        g = cz.conv_transpose1d(g, np.ones((1, 1, k)), stride=s, padding=p, dilation=d,
                                output_padding=op) if op < max(s, d) else None
        if g is None:
            pytest.skip("this stack's input size cannot be reached with output_padding")
    hit = np.flatnonzero(g[0, 0] != 0)
    return hit[0], hit[-1]


@pytest.mark.parametrize("layers", [
    [(3, 1, 0, 1)] * 3,
    [(3, 1, 1, 1), (3, 1, 2, 2), (3, 1, 4, 4)],
    [(7, 2, 3, 1), (3, 2, 1, 1), (3, 1, 1, 1), (3, 1, 1, 1)],
    [(2, 2, 0, 1), (3, 1, 1, 1), (2, 2, 0, 1), (5, 1, 2, 2)],
])
def test_receptive_field_matches_brute_force(layers):
    first, last = _brute_receptive_field(layers)
    rf = cz.receptive_field(layers)[-1]
    # With padding the view of output 0 is clipped at the input's left edge; compare the unclipped end.
    assert rf.start + (rf.size - 1) / 2 == last
    if rf.start - (rf.size - 1) / 2 >= 0:
        assert last - first + 1 == rf.size


def test_receptive_field_stacks():
    assert [r.size for r in cz.receptive_field([3, 3, 3])] == [3, 5, 7]
    assert [r.size for r in cz.receptive_field([(3, 1, 0, 2 ** n) for n in range(4)])] == [3, 7, 15, 31]
    assert cz.receptive_field([(2, 2), (3, 1)])[-1] == cz.ReceptiveField(6, 2, 2.5)


@pytest.mark.parametrize("call,message", [
    (lambda: cz.conv_output_size(3, 5), "kernel does not fit"),
    (lambda: cz.conv_output_size(5, 3, s=0), "stride s must be positive"),
    (lambda: cz.conv_output_size(5.0, 3), "input size i must be an integer"),
    (lambda: cz.conv_output_size(5, 3, p=-1), "padding p must be at least 0"),
    (lambda: cz.conv_transpose_output_size(3, 3, s=2, output_padding=2), "output_padding must be smaller"),
    (lambda: cz.conv_transpose_output_size(1, 1, p=1), "output would have size -1"),
    (lambda: cz.pool_output_size(5, 2, p=2), "pad should be at most half"),
    (lambda: cz.receptive_field([]), "at least one layer"),
    (lambda: cz.receptive_field([(3, 1, 0, 1, 9)]), "(k, s, p, d)"),
    (lambda: cz.receptive_field([{"k": 3, "q": 1}]), "needs 'k'"),
])
def test_arithmetic_errors_say_what_is_wrong(call, message):
    with pytest.raises((ValueError, TypeError), match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


# --- cost ---------------------------------------------------------------------------------------------

def _weight_count(*arrays):
    return sum(a.size for a in arrays)


@pytest.mark.parametrize("c_in,c_out,k,g", [(3, 8, 3, 1), (8, 8, 5, 4), (6, 12, (3, 1), 3), (4, 4, (3, 3, 3), 2)])
def test_conv_counts_are_weight_sizes_and_output_products(c_in, c_out, k, g):
    k = k if isinstance(k, tuple) else (k, k)
    w, b = np.zeros((c_out, c_in // g) + k), np.zeros(c_out)
    assert cz.conv_params(c_in, c_out, k, g) == _weight_count(w, b)
    assert cz.conv_params(c_in, c_out, k, g, bias=False) == w.size
    x = np.ones((1, c_in) + (9,) * len(k))
    y = cz.conv_general(x, np.ones_like(w), groups=g)
    # Each output value is a sum of (c_in / g) * prod(k) products of ones: count them from the output.
    assert cz.conv_macs(c_in, c_out, k, y.shape[2:], g) == int(y.sum())


def test_seed_counts():
    assert cz.conv_params(1024, 1024, 5) == 26_215_424
    assert cz.depthwise_params(1024, 5) == 26_624
    assert cz.conv_macs(3, 128, 3, 5) == 86_400
    assert (cz.depthwise_macs(3, 3, 5), cz.pointwise_macs(3, 128, 5)) == (675, 9_600)
    assert cz.separable_macs(3, 128, 3, 5) == 10_275
    assert cz.conv_params(256, 256, 7) == 3_211_520
    assert cz.spatially_separable_params(256, 256, 7) == 918_016
    assert (cz.conv_params(256, 256, 5), cz.conv_params(256, 256, 5, groups=32)) == (1_638_656, 51_456)
    assert cz.spatially_separable_macs(1, 1, 3, 5) == 72 and cz.conv_macs(1, 1, 3, 3) == 81


def test_separable_ratio_is_one_over_n_plus_one_over_k_squared():
    for n, k in [(64, 3), (128, 5), (512, 3)]:
        ratio = cz.separable_macs(32, n, k, 14) / cz.conv_macs(32, n, k, 14)
        assert ratio == pytest.approx(1 / n + 1 / k ** 2)


def test_depthwise_counts_match_the_depthwise_weight():
    c, m, k = 5, 3, 3
    w = np.ones((c * m, 1, k, k))
    y = cz.depthwise_conv2d(np.ones((1, c, 8, 8)), w, depth_multiplier=m)
    assert cz.depthwise_params(c, k, m, bias=False) == w.size
    assert cz.depthwise_macs(c, k, y.shape[2:], m) == int(y.sum())


def test_flattened_and_transposed_counts():
    c_in, c_out, k = 4, 6, 3
    lateral, vertical, horizontal = np.ones((c_out, c_in)), np.ones((c_out, k)), np.ones((c_out, k))
    assert cz.flattened_params(c_in, c_out, k, bias=False) == _weight_count(lateral, vertical, horizontal)
    # A transposed conv does the products of the forward conv it transposes, once each.
    w = np.ones((c_in, c_out, k, k))
    x = np.ones((1, c_in, 5, 5))
    y = cz.conv_transpose2d(x, w, stride=2)
    assert cz.conv_transpose_macs(c_in, c_out, k, 5) == int(y.sum())
    assert cz.conv_transpose_params(c_in, c_out, k, bias=False) == w.size


def test_unit_costs_are_the_sum_of_their_layers():
    c, h, w, m, g = 240, 28, 28, 60, 3
    resnet = cz.conv_macs(c, m, 1, (h, w)) + cz.conv_macs(m, m, 3, (h, w)) + cz.conv_macs(m, c, 1, (h, w))
    resnext = cz.conv_macs(c, m, 1, (h, w)) + cz.conv_macs(m, m, 3, (h, w), g) + cz.conv_macs(m, c, 1, (h, w))
    shuffle = (cz.pointwise_macs(c, m, (h, w), g) + cz.depthwise_macs(m, 3, (h, w))
               + cz.pointwise_macs(m, c, (h, w), g))
    assert cz.resnet_unit_macs(c, h, w, m) == resnet
    assert cz.resnext_unit_macs(c, h, w, m, g) == resnext
    assert cz.shufflenet_unit_macs(c, h, w, m, g) == shuffle


def test_mobilenet_table4():
    mobile, full = cz.mobilenet_v1_layers(), cz.mobilenet_v1_layers(full_conv=True)
    assert round(mobile.params / 1e6, 1) == 4.2 and round(mobile.macs / 1e6) == 569
    assert round(full.params / 1e6, 1) == 29.3
    assert round((full.macs - full.layers[-1].macs) / 1e6) == 4866
    # The paper: about 95% of MobileNet's multiply-adds are in the 1x1 convolutions.
    assert round(mobile.by_kind()["pointwise"][1] / mobile.macs, 2) == 0.95
    # The spatial sizes the table claims are the ones the strides give.
    size = 224
    for layer in mobile.layers[:-2]:
        size = cz.conv_output_size(size, layer.kernel_size, layer.stride, layer.kernel_size // 2)
        assert layer.output_size == size
    assert "total" in str(mobile) and "568,740,352" in str(mobile)


def test_mobilenet_width_multiplier_matches_table6():
    # Howard et al. Table 6: width 0.75 -> 2.6M params, 325M mult-adds; 0.5 -> 1.3M, 149M.
    t = cz.mobilenet_v1_layers(width=0.75)
    assert (round(t.params / 1e6, 1), round(t.macs / 1e6)) == (2.6, 325)
    t = cz.mobilenet_v1_layers(width=0.5)
    assert (round(t.params / 1e6, 1), round(t.macs / 1e6)) == (1.3, 149)


@pytest.mark.parametrize("call,message", [
    (lambda: cz.conv_params(6, 4, 3, groups=4), "divisible by groups"),
    (lambda: cz.conv_macs(3, 8, 0, 5), "kernel_size must be positive"),
    (lambda: cz.conv_macs(3, 8, (3, 3), (5, 5, 5)), "must have 2 entries"),
    (lambda: cz.depthwise_params(8, 3, depth_multiplier=0), "depth_multiplier must be positive"),
    (lambda: cz.resnext_unit_macs(64, 8, 8, 10, 4), "divisible by groups"),
    (lambda: cz.LayerTable([("conv", 1)]), "takes Layer rows"),
    (lambda: cz.LayerTable([cz.Layer("x", "dense", 1, 1)]), "kind must be one of"),
    (lambda: cz.mobilenet_v1_layers(resolution=200), "multiple of 32"),
])
def test_cost_errors_say_what_is_wrong(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()
