"""Building blocks made of the library's convolutions: squeeze-and-excitation, and the ShuffleNet unit.

Both are written with :func:`convzoo.core.conv_general` and the pooling, activation and shuffle faces,
with the weights passed in explicitly (no classes, no hidden state), so a chapter can inspect every
intermediate result. Batch normalisation is left out (at inference it folds into the weights and the
biases, which the functions accept).
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from ._args import as_array, check_int, fmt_shape
from .activations import relu, sigmoid
from .core import conv_general
from .grouped import channel_shuffle
from .pool import adaptive_avg_pool2d, avg_pool2d

__all__ = [
    "squeeze_excitation", "squeeze_excitation_params", "init_squeeze_excitation",
    "shufflenet_unit", "init_shufflenet_unit",
]


def _as_1x1(w, name: str, func: str) -> np.ndarray:
    """A fully connected weight ``(out, in)`` or its 1x1-convolution form ``(out, in, 1, 1)``, as the latter."""
    w = as_array(w, name, ndims=(2, 4), func=func)
    if w.ndim == 4 and w.shape[2:] != (1, 1):
        raise ValueError(f"{name} must be (out, in) or (out, in, 1, 1), but got {name} of size {fmt_shape(w.shape)}")
    return w.reshape(w.shape[:2] + (1, 1))


def _check_bias(b, name: str, size: int, func: str):
    if b is None:
        return None
    b = as_array(b, name, ndims=(1,), func=func)
    if b.shape != (size,):
        raise ValueError(f"{name} must have shape ({size},), one value per output channel, but got "
                         f"{fmt_shape(b.shape)}")
    return b


def squeeze_excitation(x, w1, b1, w2, b2, return_gate=False):
    """Squeeze-and-excitation (Hu et al. 2018): rescale every channel by a gate computed from all channels.

    *Squeeze*: global average pooling gives one number per channel, ``s`` of size ``C``. *Excitation*: two
    fully connected layers (written as 1x1 convolutions), ``C -> C / r`` with ReLU and ``C / r -> C`` with a
    sigmoid, give a gate ``e`` in ``(0, 1)`` per channel. *Scale*: ``out[c] = x[c] * e[c]``.

    Parameters
    ----------
    x : array_like
        ``(N, C, H, W)`` or ``(C, H, W)``.
    w1 : array_like
        ``(C / r, C)`` or ``(C / r, C, 1, 1)``: the reduction layer.
    b1 : array_like or None
        ``(C / r,)``.
    w2 : array_like
        ``(C, C / r)`` or ``(C, C / r, 1, 1)``: the expansion layer.
    b2 : array_like or None
        ``(C,)``.
    return_gate : bool
        Also return the gate ``e``.

    Returns
    -------
    numpy.ndarray, or (numpy.ndarray, numpy.ndarray)
        The rescaled input, and with ``return_gate`` the gate ``(N, C)`` (``(C,)`` when unbatched).

    Shape
    -----
    - Input: ``(N, C, H, W)``; Output: ``(N, C, H, W)``; gate: ``(N, C)``

    Examples
    --------
    >>> import numpy as np
    >>> x = np.ones((4, 3, 3))                      # 4 channels
    >>> p = init_squeeze_excitation(4, reduction=2, rng=0)
    >>> y, gate = squeeze_excitation(x, **p, return_gate=True)
    >>> y.shape, gate.shape, bool(np.all((0 < gate) & (gate < 1)))
    ((4, 3, 3), (4,), True)
    >>> np.allclose(y, x * gate[:, None, None])
    True
    """
    func = "squeeze_excitation"
    x = as_array(x, "x", ndims=(3, 4), func=func, nonempty=True)
    c = x.shape[-3]
    w1 = _as_1x1(w1, "w1", func)
    w2 = _as_1x1(w2, "w2", func)
    if w1.shape[1] != c:
        raise ValueError(f"w1 must have shape (C/r, C) with C={c} (the channels of x {fmt_shape(x.shape)}), but got "
                         f"w1 of size {fmt_shape(w1.shape[:2])}")
    hidden = w1.shape[0]
    if w2.shape[:2] != (c, hidden):
        raise ValueError(f"w2 must have shape (C, C/r) = ({c}, {hidden}) to map the {hidden} hidden units of w1 back "
                         f"to {c} channels, but got w2 of size {fmt_shape(w2.shape[:2])}")
    b1 = _check_bias(b1, "b1", hidden, func)
    b2 = _check_bias(b2, "b2", c, func)
    squeezed = adaptive_avg_pool2d(x, 1)                           # (N, C, 1, 1): one number per channel
    hidden_units = relu(conv_general(squeezed, w1, b1))            # (N, C/r, 1, 1)
    gate = sigmoid(conv_general(hidden_units, w2, b2))             # (N, C, 1, 1), in (0, 1)
    y = x * gate
    if return_gate:
        return y, gate[..., 0, 0]
    return y


def squeeze_excitation_params(channels, reduction):
    """Parameters of a squeeze-and-excitation block: ``2 C^2 / r + C / r + C`` (two weights, two biases).

    Parameters
    ----------
    channels : int
        ``C``.
    reduction : int
        ``r``, dividing ``C``.

    Returns
    -------
    int

    Shape
    -----
    - Scalar in, scalar out.

    Examples
    --------
    >>> squeeze_excitation_params(256, 16)     # 2 * 256 * 16 weights + 16 + 256 biases
    8464
    """
    c = check_int(channels, "channels", minimum=1)
    r = check_int(reduction, "reduction", minimum=1)
    if c % r:
        raise ValueError(f"channels must be divisible by reduction, but got channels={c} and reduction={r}")
    return 2 * c * c // r + c // r + c


def init_squeeze_excitation(channels, reduction=16, rng=None, dtype=np.float64):
    """Random weights for :func:`squeeze_excitation` (normal, variance ``1 / fan_in``; zero biases).

    Parameters
    ----------
    channels : int
        ``C``.
    reduction : int
        ``r``, dividing ``C``.
    rng : int, numpy.random.Generator or None
        Seed or generator.
    dtype : numpy dtype
        float32 or float64.

    Returns
    -------
    dict
        ``w1 (C/r, C, 1, 1)``, ``b1 (C/r,)``, ``w2 (C, C/r, 1, 1)``, ``b2 (C,)``; pass as ``**params``.

    Shape
    -----
    - See Returns.

    Examples
    --------
    >>> {k: v.shape for k, v in init_squeeze_excitation(64, 4, rng=0).items()}
    {'w1': (16, 64, 1, 1), 'b1': (16,), 'w2': (64, 16, 1, 1), 'b2': (64,)}
    """
    squeeze_excitation_params(channels, reduction)          # validates
    c, h = int(channels), int(channels) // int(reduction)
    gen = np.random.default_rng(rng)
    return {
        "w1": (gen.standard_normal((h, c, 1, 1)) / np.sqrt(c)).astype(dtype),
        "b1": np.zeros(h, dtype=dtype),
        "w2": (gen.standard_normal((c, h, 1, 1)) / np.sqrt(h)).astype(dtype),
        "b2": np.zeros(c, dtype=dtype),
    }


# ---- ShuffleNet ----------------------------------------------------------------------------------------
_UNIT_KEYS = ("conv1", "dw", "conv2")


def _check_stride(stride) -> int:
    s = check_int(stride, "stride")
    if s not in (1, 2):
        raise ValueError(f"a ShuffleNet unit has stride 1 (residual add) or 2 (concatenation), but got stride={s}")
    return s


def shufflenet_unit(x, params, groups, stride=1, grouped_first=True, return_steps=False):
    """One ShuffleNet (v1) unit (Zhang et al. 2017, arXiv:1707.01083, Fig. 2b/2c), batch norm left out.

    Branch: grouped 1x1 conv ``C_in -> m`` (``groups``, or 1 when not ``grouped_first``), ReLU,
    channel shuffle (``groups``), depthwise 3x3 conv (``stride``, padding 1), grouped 1x1 conv
    ``m -> C_branch`` (``groups``, no ReLU). Then

    - ``stride=1``: ``relu(x + branch)`` (so ``C_branch = C_in``);
    - ``stride=2``: ``relu(concat([avg_pool2d(x, 3, 2, 1), branch]))``, the pooled shortcut first, so the
      unit outputs ``C_in + C_branch`` channels at half the resolution.

    Parameters
    ----------
    x : array_like
        ``(N, C_in, H, W)`` or ``(C_in, H, W)``.
    params : mapping
        ``conv1 (m, C_in / g1, 1, 1)``, ``dw (m, 1, 3, 3)``, ``conv2 (C_branch, m / groups, 1, 1)``, and
        optionally the biases ``conv1_bias``, ``dw_bias``, ``conv2_bias`` (where folded batch norm goes),
        as :func:`init_shufflenet_unit` makes them.
    groups : int
        ``g`` of the grouped 1x1 convolutions and of the shuffle.
    stride : {1, 2}
    grouped_first : bool
        Whether the first 1x1 conv is grouped (``g1 = groups``). The paper does not group the first 1x1
        conv of stage 2, whose input has only 24 channels (``g1 = 1``).
    return_steps : bool
        Also return every intermediate result, in order, as a dict: ``'conv1 + relu'``, ``'shuffle'``
        (only when ``groups > 1``), ``'depthwise'``, ``'conv2'``, ``'shortcut'`` (``x`` itself, or its
        3x3 average pool at stride 2), ``'output'``.

    Returns
    -------
    numpy.ndarray, or (numpy.ndarray, dict)

    Shape
    -----
    - Input: ``(N, C_in, H, W)``
    - Output: ``(N, C_in, H, W)`` (stride 1) or ``(N, C_in + C_branch, ceil(H / 2), ceil(W / 2))`` (stride 2)

    Examples
    --------
    The first unit of stage 2 of ShuffleNet with g = 3 (24 -> 240 channels, 56x56 -> 28x28 in the paper):

    >>> import numpy as np
    >>> p = init_shufflenet_unit(24, 240, groups=3, stride=2, grouped_first=False, rng=0)
    >>> {k: v.shape for k, v in p.items()}
    {'conv1': (60, 24, 1, 1), 'dw': (60, 1, 3, 3), 'conv2': (216, 20, 1, 1)}
    >>> shufflenet_unit(np.ones((24, 8, 8)), p, groups=3, stride=2, grouped_first=False).shape
    (240, 4, 4)
    >>> y, steps = shufflenet_unit(np.ones((24, 8, 8)), p, groups=3, stride=2, grouped_first=False,
    ...                            return_steps=True)
    >>> {k: v.shape for k, v in steps.items()}     # doctest: +NORMALIZE_WHITESPACE
    {'conv1 + relu': (60, 8, 8), 'shuffle': (60, 8, 8), 'depthwise': (60, 4, 4), 'conv2': (216, 4, 4),
     'shortcut': (24, 4, 4), 'output': (240, 4, 4)}
    """
    func = "shufflenet_unit"
    x = as_array(x, "x", ndims=(3, 4), func=func, nonempty=True)
    g = check_int(groups, "groups", minimum=1)
    s = _check_stride(stride)
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a mapping with keys {_UNIT_KEYS} (see init_shufflenet_unit), but got "
                        f"{type(params).__name__}")
    missing = [k for k in _UNIT_KEYS if k not in params]
    if missing:
        raise ValueError(f"params is missing {missing}; a ShuffleNet unit needs {_UNIT_KEYS} "
                         f"(see init_shufflenet_unit)")
    c_in = x.shape[-3]
    g1 = g if grouped_first else 1
    conv1 = as_array(params["conv1"], "params['conv1']", ndims=(4,), func=func)
    dw = as_array(params["dw"], "params['dw']", ndims=(4,), func=func)
    conv2 = as_array(params["conv2"], "params['conv2']", ndims=(4,), func=func)
    m = conv1.shape[0]
    if c_in % g1 or conv1.shape[1:] != (c_in // g1, 1, 1):
        raise ValueError(f"params['conv1'] must have size (m, C_in/g1, 1, 1) = (m, {c_in}/{g1}, 1, 1) for x with "
                         f"{c_in} channels and {'groups' if grouped_first else 'no groups (grouped_first=False)'}"
                         f", but got {fmt_shape(conv1.shape)}")
    if m % g:
        raise ValueError(f"the {m} bottleneck channels (params['conv1'] of size {fmt_shape(conv1.shape)}) must be "
                         f"divisible by groups={g} for the shuffle and the second grouped conv")
    if dw.shape != (m, 1, 3, 3):
        raise ValueError(f"params['dw'] must have size ({m}, 1, 3, 3) (one 3x3 kernel per bottleneck channel), but "
                         f"got {fmt_shape(dw.shape)}")
    c_branch = conv2.shape[0]
    if conv2.shape[1:] != (m // g, 1, 1) or c_branch % g:
        raise ValueError(f"params['conv2'] must have size (C_branch, m/groups, 1, 1) = (C_branch, {m // g}, 1, 1) "
                         f"with C_branch divisible by groups={g}, but got {fmt_shape(conv2.shape)}")
    if s == 1 and c_branch != c_in:
        raise ValueError(f"stride=1 adds the shortcut, so params['conv2'] must give back the {c_in} input channels, "
                         f"but it gives {c_branch}")
    bias = {k: _check_bias(params.get(f"{k}_bias"), f"params['{k}_bias']", n, func)
            for k, n in (("conv1", m), ("dw", m), ("conv2", c_branch))}
    steps = {}
    h = steps["conv1 + relu"] = relu(conv_general(x, conv1, bias["conv1"], groups=g1))
    if g > 1:
        h = steps["shuffle"] = channel_shuffle(h, g)
    h = steps["depthwise"] = conv_general(h, dw, bias["dw"], stride=s, padding=1, groups=m)
    h = steps["conv2"] = conv_general(h, conv2, bias["conv2"], groups=g)
    if s == 1:
        shortcut = steps["shortcut"] = x
        out = steps["output"] = relu(x + h)
    else:
        shortcut = steps["shortcut"] = avg_pool2d(x, 3, stride=2, padding=1)
        out = steps["output"] = relu(np.concatenate([shortcut, h], axis=-3))
    return (out, steps) if return_steps else out


def init_shufflenet_unit(c_in, c_out, groups, stride=1, bottleneck_ratio=0.25, rng=None, grouped_first=True,
                         dtype=np.float64):
    """Random (He-normal) weights for :func:`shufflenet_unit` with ``c_in`` inputs and ``c_out`` outputs.

    The bottleneck has ``m = bottleneck_ratio * c_out`` channels (a quarter of the unit's output, as in
    the paper). With stride 1, ``c_out = c_in``; with stride 2 the branch makes ``c_out - c_in`` channels
    and the pooled shortcut the other ``c_in``.

    Parameters
    ----------
    c_in, c_out : int
        Channels into and out of the unit.
    groups : int
        ``g``; must divide ``m`` and the branch's output channels (and ``c_in`` when ``grouped_first``).
    stride : {1, 2}
    bottleneck_ratio : float
        ``m / c_out``; ``m`` must come out a whole number.
    rng : int, numpy.random.Generator or None
    grouped_first : bool
        Group the first 1x1 conv (not done for the first unit of stage 2).
    dtype : numpy dtype

    Returns
    -------
    dict
        ``conv1 (m, c_in / g1, 1, 1)``, ``dw (m, 1, 3, 3)``, ``conv2 (c_branch, m / g, 1, 1)``.

    Shape
    -----
    - See Returns; ``c_branch = c_out`` (stride 1) or ``c_out - c_in`` (stride 2).

    Examples
    --------
    >>> p = init_shufflenet_unit(240, 240, groups=3, rng=0)
    >>> {k: v.shape for k, v in p.items()}
    {'conv1': (60, 80, 1, 1), 'dw': (60, 1, 3, 3), 'conv2': (240, 20, 1, 1)}
    """
    c_in = check_int(c_in, "c_in", minimum=1)
    c_out = check_int(c_out, "c_out", minimum=1)
    g = check_int(groups, "groups", minimum=1)
    s = _check_stride(stride)
    m_exact = c_out * float(bottleneck_ratio)
    m = int(round(m_exact))
    if m < 1 or abs(m - m_exact) > 1e-9:
        raise ValueError(f"bottleneck_ratio * c_out must be a positive whole number of channels, but got "
                         f"{bottleneck_ratio} * {c_out} = {m_exact:g}")
    if s == 1 and c_out != c_in:
        raise ValueError(f"a stride-1 unit adds its input to its output, so c_out must equal c_in, but got "
                         f"c_in={c_in} and c_out={c_out}")
    c_branch = c_out if s == 1 else c_out - c_in
    if c_branch < 1:
        raise ValueError(f"a stride-2 unit concatenates the {c_in} pooled input channels with its branch, so c_out "
                         f"must exceed c_in, but got c_in={c_in} and c_out={c_out}")
    g1 = g if grouped_first else 1
    for what, n, div in (("c_in", c_in, g1), ("the bottleneck channels m", m, g), ("the branch channels", c_branch, g)):
        if n % div:
            raise ValueError(f"{what} ({n}) must be divisible by groups={div} (c_in={c_in}, c_out={c_out}, "
                             f"stride={s}, bottleneck_ratio={bottleneck_ratio})")
    gen = np.random.default_rng(rng)

    def he(shape):
        fan_in = int(np.prod(shape[1:]))
        return (gen.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(dtype)

    return {"conv1": he((m, c_in // g1, 1, 1)), "dw": he((m, 1, 3, 3)), "conv2": he((c_branch, m // g, 1, 1))}
