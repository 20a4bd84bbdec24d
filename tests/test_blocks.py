"""Activations, squeeze-and-excitation and the ShuffleNet unit: against plain numpy rewrites that share no code
with the library's convolution path, against the paper's configurations, and against torch when installed."""
import warnings

import numpy as np
import pytest

import convzoo as cz


# ---- activations ---------------------------------------------------------------------------------------
def test_relu_family_by_hand():
    np.testing.assert_array_equal(cz.relu([-2, 0, 3]), [0, 0, 3])
    assert cz.relu(np.array([-1, 2], dtype=np.int32)).dtype == np.int32
    assert cz.relu(np.array([-1.5], dtype=np.float32)).dtype == np.float32
    np.testing.assert_array_equal(cz.relu6([-1, 3, 9]), [0, 3, 6])
    np.testing.assert_array_equal(cz.hardtanh([-3.0, 0.5, 2.0]), [-1, 0.5, 1])
    np.testing.assert_array_equal(cz.hardtanh([-3.0, 0.5, 2.0], -2, 0), [-2, 0, 0])
    assert cz.hardtanh(np.ones(2, dtype=np.float32), -0.5, 0.5).dtype == np.float32


def test_sigmoid_is_stable_and_accurate():
    x = np.array([-1000.0, -745.0, -30.0, -1.0, 0.0, 1.0, 30.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")                       # no overflow warning anywhere
        y = cz.sigmoid(x)
    assert y[0] == 0.0 and y[-1] == 1.0 and y[4] == 0.5
    np.testing.assert_allclose(y[2], np.exp(-30.0) / (1 + np.exp(-30.0)), rtol=1e-15)   # tiny, not 0
    mid = np.linspace(-20, 20, 101)
    np.testing.assert_allclose(cz.sigmoid(mid), 1 / (1 + np.exp(-mid)), rtol=1e-14)
    np.testing.assert_allclose(cz.sigmoid(-mid), 1 - cz.sigmoid(mid), atol=1e-15)
    assert cz.sigmoid(np.zeros(3, dtype=np.float32)).dtype == np.float32
    assert cz.sigmoid([0, 1]).dtype == np.float64
    assert np.isnan(cz.sigmoid([np.nan]))[0]


# ---- squeeze-and-excitation ----------------------------------------------------------------------------
def se_oracle(x, w1, b1, w2, b2):
    """SE in plain numpy: mean over the pixels, two matrix products, gate every channel."""
    s = x.mean(axis=(-2, -1))                                     # (..., C)
    z = np.maximum(s @ w1.reshape(w1.shape[:2]).T + b1, 0)
    e = 1 / (1 + np.exp(-(z @ w2.reshape(w2.shape[:2]).T + b2)))
    return x * e[..., None, None], e


@pytest.mark.parametrize("c, r", [(4, 2), (16, 4), (32, 16), (6, 1), (12, 3)])
def test_squeeze_excitation_matches_numpy(c, r):
    rng = np.random.default_rng(c + r)
    x = rng.standard_normal((2, c, 5, 4))
    p = {k: rng.standard_normal(v.shape) for k, v in cz.init_squeeze_excitation(c, r, rng=0).items()}
    y, gate = cz.squeeze_excitation(x, **p, return_gate=True)
    want_y, want_gate = se_oracle(x, **p)
    np.testing.assert_allclose(y, want_y, rtol=1e-12)
    np.testing.assert_allclose(gate, want_gate, rtol=1e-12)
    # 2-D weight forms, no biases, unbatched input
    flat = dict(w1=p["w1"][:, :, 0, 0], b1=None, w2=p["w2"][:, :, 0, 0], b2=None)
    want, _ = se_oracle(x[0], flat["w1"], 0, flat["w2"], 0)
    np.testing.assert_allclose(cz.squeeze_excitation(x[0], **flat), want, rtol=1e-12)


def test_squeeze_excitation_properties():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 8, 6, 6)).astype(np.float32)
    p = cz.init_squeeze_excitation(8, 4, rng=1, dtype=np.float32)
    y, gate = cz.squeeze_excitation(x, **p, return_gate=True)
    assert y.dtype == np.float32 and y.shape == x.shape and gate.shape == (3, 8)
    assert np.all((gate > 0) & (gate < 1))
    # zero weights and biases: every gate is sigmoid(0) = 1/2
    zero = {k: np.zeros_like(v) for k, v in p.items()}
    np.testing.assert_allclose(cz.squeeze_excitation(x, **zero), x / 2)
    # the gate depends only on the channel means: shuffling pixels within each channel does not change it
    perm = rng.permutation(36)
    xs = x.reshape(3, 8, 36)[..., perm].reshape(x.shape)
    np.testing.assert_allclose(cz.squeeze_excitation(xs, **p, return_gate=True)[1], gate, rtol=1e-5)


@pytest.mark.parametrize("c, r", [(4, 2), (64, 16), (256, 16), (512, 8), (6, 3)])
def test_squeeze_excitation_param_count(c, r):
    want = 2 * c * c // r + c + c // r                     # two weights C^2/r each, biases C/r and C
    assert cz.squeeze_excitation_params(c, r) == want
    assert sum(v.size for v in cz.init_squeeze_excitation(c, r, rng=0).values()) == want


# ---- ShuffleNet ---------------------------------------------------------------------------------------------
def shufflenet_oracle(x, p, groups, stride, grouped_first=True):
    """The unit written with einsum for 1x1 convs (full block-diagonal weights), an explicit list for the
    shuffle, nine shifted slices for the depthwise 3x3 and for the 3x3 average pooling."""
    def pointwise(h, w, g):
        return np.einsum("oc,nchw->nohw", cz.block_diagonal_weight(w[:, :, 0, 0], g), h)

    def shifted_sum(h, weights, s):                          # 3x3, padding 1, stride s; weights (C, 3, 3)
        hp = np.pad(h, ((0, 0), (0, 0), (1, 1), (1, 1)))
        H, W = h.shape[2:]
        oh, ow = (H - 1) // s + 1, (W - 1) // s + 1
        out = np.zeros(h.shape[:2] + (oh, ow))
        for i in range(3):
            for j in range(3):
                out += hp[:, :, i:i + s * (oh - 1) + 1:s, j:j + s * (ow - 1) + 1:s] * weights[None, :, i, j, None, None]
        return out

    g1 = groups if grouped_first else 1
    h = np.maximum(pointwise(x, p["conv1"], g1), 0)
    m = h.shape[1]
    order = [j * (m // groups) + i for i in range(m // groups) for j in range(groups)]
    h = h[:, order]
    h = shifted_sum(h, p["dw"][:, 0], stride)
    h = pointwise(h, p["conv2"], groups)
    if stride == 1:
        return np.maximum(x + h, 0)
    pooled = shifted_sum(x, np.full((x.shape[1], 3, 3), 1 / 9), 2)   # count_include_pad: always / 9
    return np.maximum(np.concatenate([pooled, h], axis=1), 0)


@pytest.mark.parametrize("c_in, c_out, groups, stride, first", [
    (24, 24, 3, 1, True), (24, 48, 3, 2, True), (12, 40, 2, 2, False), (16, 16, 1, 1, True),
    (32, 32, 8, 1, True), (8, 48, 4, 2, True), (24, 240, 3, 2, False),
])
def test_shufflenet_unit_matches_oracle(c_in, c_out, groups, stride, first):
    rng = np.random.default_rng(c_in + c_out + groups)
    p = cz.init_shufflenet_unit(c_in, c_out, groups, stride, rng=rng, grouped_first=first)
    x = np.maximum(rng.standard_normal((2, c_in, 7, 6)), 0)
    y = cz.shufflenet_unit(x, p, groups, stride, grouped_first=first)
    want = shufflenet_oracle(x, p, groups, stride, first)
    assert y.shape == want.shape == (2, c_out) + ((7, 6) if stride == 1 else (4, 3))
    np.testing.assert_allclose(y, want, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(cz.shufflenet_unit(x[0], p, groups, stride, grouped_first=first), want[0],
                               rtol=1e-10, atol=1e-12)


def test_shufflenet_unit_structure():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (1, 24, 6, 6))
    # a branch that outputs zero leaves the shortcut: relu(x) at stride 1, the pooled input (then zeros) at stride 2
    p = cz.init_shufflenet_unit(24, 24, 3, rng=0)
    p["conv2"][:] = 0
    np.testing.assert_allclose(cz.shufflenet_unit(x, p, 3), x)
    p = cz.init_shufflenet_unit(24, 60, 3, stride=2, rng=0)
    p["conv2"][:] = 0
    y = cz.shufflenet_unit(x, p, 3, stride=2)
    np.testing.assert_allclose(y[:, :24], cz.avg_pool2d(x, 3, 2, 1))
    assert not y[:, 24:].any()
    # biases (folded batch norm) are applied where they belong
    p = cz.init_shufflenet_unit(24, 24, 3, rng=1)
    p["conv2"][:] = 0
    p["conv2_bias"] = np.full(24, 0.5)
    np.testing.assert_allclose(cz.shufflenet_unit(x, p, 3), x + 0.5)


# Table 1 of the paper: output channels of stages 2, 3, 4 for each number of groups (stage 2 gets 24 channels).
PAPER_STAGES = {1: (144, 288, 576), 2: (200, 400, 800), 3: (240, 480, 960), 4: (272, 544, 1088), 8: (384, 768, 1536)}


@pytest.mark.parametrize("groups", sorted(PAPER_STAGES))
def test_paper_configurations(groups):
    """First (stride 2) and one repeated (stride 1) unit of each stage, with the paper's widths."""
    x = np.ones((1, 24, 8, 8))
    c_in = 24
    for stage, c_out in enumerate(PAPER_STAGES[groups], start=2):
        first = stage > 2                              # no group conv on the first 1x1 of stage 2
        p = cz.init_shufflenet_unit(c_in, c_out, groups, stride=2, rng=stage, grouped_first=first)
        m = c_out // 4
        assert p["conv1"].shape == (m, c_in // (groups if first else 1), 1, 1)
        assert p["dw"].shape == (m, 1, 3, 3)
        assert p["conv2"].shape == (c_out - c_in, m // groups, 1, 1)
        x = cz.shufflenet_unit(x, p, groups, stride=2, grouped_first=first)
        p = cz.init_shufflenet_unit(c_out, c_out, groups, rng=stage)
        x = cz.shufflenet_unit(x, p, groups)
        c_in = c_out
        assert x.shape == (1, c_out, 8 >> (stage - 1), 8 >> (stage - 1))


# ---- errors ---------------------------------------------------------------------------------------------
X = np.ones((1, 24, 4, 4))
P = cz.init_shufflenet_unit(24, 24, 3, rng=0)
SE = cz.init_squeeze_excitation(8, 2, rng=0)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: cz.relu("a"), TypeError, r"input must be a numeric array"),
    (lambda: cz.hardtanh([1.0], 1, 0), ValueError,
     r"max_val cannot be less than min_val, but got min_val=1 and max_val=0"),
    (lambda: cz.hardtanh([1.0], None, 0), TypeError, r"min_val must be a number"),
    (lambda: cz.squeeze_excitation(np.ones((8, 4)), **SE), ValueError,
     r"Expected 3D or 4D x to squeeze_excitation, but got x of size: \(8, 4\)"),
    (lambda: cz.squeeze_excitation(np.ones((6, 4, 4)), **SE), ValueError,
     r"w1 must have shape \(C/r, C\) with C=6 .* but got w1 of size \(4, 8\)"),
    (lambda: cz.squeeze_excitation(np.ones((8, 4, 4)), SE["w1"], SE["b1"], SE["w1"], SE["b2"]), ValueError,
     r"w2 must have shape \(C, C/r\) = \(8, 4\)"),
    (lambda: cz.squeeze_excitation(np.ones((8, 4, 4)), SE["w1"], SE["b2"], SE["w2"], SE["b2"]), ValueError,
     r"b1 must have shape \(4,\)"),
    (lambda: cz.squeeze_excitation(np.ones((8, 4, 4)), np.ones((4, 8, 3, 3)), None, SE["w2"], None), ValueError,
     r"w1 must be \(out, in\) or \(out, in, 1, 1\)"),
    (lambda: cz.squeeze_excitation_params(10, 4), ValueError,
     r"channels must be divisible by reduction, but got channels=10 and reduction=4"),
    (lambda: cz.squeeze_excitation_params(10, 0), ValueError, r"reduction must be positive"),
    (lambda: cz.shufflenet_unit(X, P, 3, stride=3), ValueError,
     r"stride 1 \(residual add\) or 2 \(concatenation\), but got stride=3"),
    (lambda: cz.shufflenet_unit(X, [P], 3), TypeError, r"params must be a mapping"),
    (lambda: cz.shufflenet_unit(X, {"conv1": P["conv1"]}, 3), ValueError, r"params is missing \['dw', 'conv2'\]"),
    (lambda: cz.shufflenet_unit(X, P, 3, grouped_first=False), ValueError,
     r"params\['conv1'\] must have size \(m, C_in/g1, 1, 1\) = \(m, 24/1, 1, 1\).*got \(6, 8, 1, 1\)"),
    (lambda: cz.shufflenet_unit(X, P, 4), ValueError, r"params\['conv1'\] must have size"),
    (lambda: cz.shufflenet_unit(X, dict(P, dw=np.ones((6, 1, 5, 5))), 3), ValueError,
     r"params\['dw'\] must have size \(6, 1, 3, 3\)"),
    (lambda: cz.shufflenet_unit(X, dict(P, conv2=np.ones((12, 2, 1, 1))), 3), ValueError,
     r"stride=1 adds the shortcut, so params\['conv2'\] must give back the 24 input channels, but it gives 12"),
    (lambda: cz.shufflenet_unit(X, dict(P, conv2=np.ones((24, 6, 1, 1))), 3), ValueError,
     r"params\['conv2'\] must have size \(C_branch, m/groups, 1, 1\) = \(C_branch, 2, 1, 1\)"),
    (lambda: cz.shufflenet_unit(np.ones((1, 12, 4, 4)), P, 3), ValueError, r"params\['conv1'\] must have size"),
    (lambda: cz.init_shufflenet_unit(24, 48, 3), ValueError,
     r"a stride-1 unit adds its input to its output, so c_out must equal c_in, but got c_in=24 and c_out=48"),
    (lambda: cz.init_shufflenet_unit(48, 48, 3, stride=2), ValueError,
     r"c_out must exceed c_in, but got c_in=48 and c_out=48"),
    (lambda: cz.init_shufflenet_unit(24, 30, 3, stride=2), ValueError,
     r"bottleneck_ratio \* c_out must be a positive whole number of channels, but got 0.25 \* 30 = 7.5"),
    (lambda: cz.init_shufflenet_unit(24, 32, 3, stride=2), ValueError,
     r"the bottleneck channels m \(8\) must be divisible by groups=3"),
    (lambda: cz.init_shufflenet_unit(24, 48, 8, stride=2), ValueError,
     r"the bottleneck channels m \(12\) must be divisible by groups=8"),
    (lambda: cz.init_shufflenet_unit(18, 48, 4, stride=2), ValueError, r"c_in \(18\) must be divisible by groups=4"),
])
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ---- against torch ----------------------------------------------------------------------------------------
def test_activations_match_torch(torch):
    x = np.linspace(-800, 800, 1601)
    x = np.concatenate([x, np.linspace(-10, 10, 201)])
    t = torch.from_numpy(x)
    np.testing.assert_allclose(cz.sigmoid(x), torch.sigmoid(t).numpy(), rtol=1e-14, atol=1e-300)
    np.testing.assert_array_equal(cz.relu(x), torch.relu(t).numpy())
    np.testing.assert_array_equal(cz.relu6(x), torch.nn.functional.relu6(t).numpy())
    np.testing.assert_array_equal(cz.hardtanh(x, -2.5, 3.0), torch.nn.functional.hardtanh(t, -2.5, 3.0).numpy())


@pytest.mark.parametrize("c, r", [(8, 2), (32, 4)])
def test_squeeze_excitation_matches_torch(torch, c, r):
    F = torch.nn.functional
    rng = np.random.default_rng(c)
    x = rng.standard_normal((2, c, 5, 5))
    p = {k: rng.standard_normal(v.shape) for k, v in cz.init_squeeze_excitation(c, r).items()}
    t = {k: torch.from_numpy(v) for k, v in p.items()}
    tx = torch.from_numpy(x)
    s = F.adaptive_avg_pool2d(tx, 1)
    e = torch.sigmoid(F.conv2d(F.relu(F.conv2d(s, t["w1"], t["b1"])), t["w2"], t["b2"]))
    np.testing.assert_allclose(cz.squeeze_excitation(x, **p), (tx * e).numpy(), rtol=1e-12)
    # the parameter count of the usual module
    module = torch.nn.Sequential(torch.nn.Linear(c, c // r), torch.nn.ReLU(), torch.nn.Linear(c // r, c))
    assert cz.squeeze_excitation_params(c, r) == sum(q.numel() for q in module.parameters())


@pytest.mark.parametrize("c_in, c_out, groups, stride, first", [
    (24, 24, 3, 1, True), (24, 240, 3, 2, False), (16, 48, 4, 2, True), (32, 32, 8, 1, True), (8, 8, 1, 1, True),
])
def test_shufflenet_unit_matches_torch(torch, c_in, c_out, groups, stride, first):
    F = torch.nn.functional
    rng = np.random.default_rng(c_out)
    p = cz.init_shufflenet_unit(c_in, c_out, groups, stride, rng=rng, grouped_first=first)
    x = rng.standard_normal((2, c_in, 9, 8))
    t = {k: torch.from_numpy(v) for k, v in p.items()}
    tx = torch.from_numpy(x)
    h = F.relu(F.conv2d(tx, t["conv1"], groups=groups if first else 1))
    h = F.channel_shuffle(h, groups)
    h = F.conv2d(h, t["dw"], stride=stride, padding=1, groups=h.shape[1])
    h = F.conv2d(h, t["conv2"], groups=groups)
    want = F.relu(tx + h) if stride == 1 else F.relu(torch.cat([F.avg_pool2d(tx, 3, 2, 1), h], 1))
    np.testing.assert_allclose(cz.shufflenet_unit(x, p, groups, stride, grouped_first=first), want.numpy(),
                               rtol=1e-10, atol=1e-12)
