"""Cost counters: parameters and multiply-adds of every layer kind in the curriculum.

A *multiply-add* (MAC) is one ``a * b + c``; papers call the count "mult-adds" (MobileNet) or, loosely,
"FLOPs" (ShuffleNet, ResNeXt), though a multiply-add is two floating-point operations. Biases add
parameters but no multiply-adds here, as in the MobileNet paper's counts.

Kernel and output sizes are an int (a square, in 2-D) or a tuple (one entry per spatial axis), so the
same counters serve 1-D, 2-D and 3-D layers.

The last part rebuilds whole-network counts from a table of layers: :func:`mobilenet_v1_layers` with
:class:`LayerTable` reproduces MobileNet-224's 4.2M parameters and 569M multiply-adds, and 29.3M / 4866M
when every depthwise-separable pair is replaced by a full convolution (Howard et al. 2017, Table 4; the
4866M leaves out the classifier's 1M, see :func:`mobilenet_v1_layers`).
"""
from __future__ import annotations

import math
from typing import Iterable, NamedTuple

from ._args import check_int
from .shapes import conv_output_size

__all__ = [
    "conv_params", "conv_macs",
    "depthwise_params", "depthwise_macs",
    "pointwise_params", "pointwise_macs",
    "separable_params", "separable_macs",
    "spatially_separable_params", "spatially_separable_macs",
    "flattened_params", "flattened_macs",
    "conv_transpose_params", "conv_transpose_macs",
    "resnet_unit_macs", "resnext_unit_macs", "shufflenet_unit_macs",
    "Layer", "LayerTable", "mobilenet_v1_layers",
]


def _sizes(value, name: str, nd: int | None = None) -> tuple[int, ...]:
    """An int (repeated ``nd`` times, default 2) or a tuple of positive ints."""
    if isinstance(value, (tuple, list)):
        out = tuple(check_int(v, name, minimum=1) for v in value)
        if not out or (nd is not None and len(out) != nd):
            raise ValueError(f"{name} must have {nd or 'at least 1'} entries (one per spatial axis), but got {value!r}")
        return out
    return (check_int(value, name, minimum=1),) * (nd or 2)


def _channels(c_in, c_out, groups):
    c_in = check_int(c_in, "in_channels", minimum=1)
    c_out = check_int(c_out, "out_channels", minimum=1)
    groups = check_int(groups, "groups", minimum=1)
    if c_in % groups or c_out % groups:
        raise ValueError(f"in_channels and out_channels must both be divisible by groups, but got "
                         f"in_channels={c_in}, out_channels={c_out}, groups={groups}")
    return c_in, c_out, groups


def conv_params(in_channels, out_channels, kernel_size, groups=1, bias=True):
    """Parameters of a (grouped) convolution: ``out * (in / groups * prod(k)) + out`` with bias.

    Shape
    -----
    Weight ``(out_channels, in_channels / groups, *kernel_size)`` plus a bias ``(out_channels,)``.

    Examples
    --------
    Seed 001's 256 -> 256 channels, 5x5, full and with 32 groups:

    >>> conv_params(256, 256, 5), conv_params(256, 256, 5, groups=32)
    (1638656, 51456)
    """
    c_in, c_out, groups = _channels(in_channels, out_channels, groups)
    taps = math.prod(_sizes(kernel_size, "kernel_size"))
    return c_out * (c_in // groups) * taps + (c_out if bias else 0)


def conv_macs(in_channels, out_channels, kernel_size, output_size, groups=1):
    """Multiply-adds of a (grouped) convolution: one per weight per output position.

    ``out * (in / groups) * prod(k) * prod(output_size)``; ``output_size`` is the spatial size of the
    output (use :func:`convzoo.conv_output_size` per axis).

    Shape
    -----
    ``kernel_size`` and ``output_size`` have one entry per spatial axis (an int means a square).

    Examples
    --------
    The Inception bottleneck: 5x5 from 192 to 32 channels on 28x28, directly or after a 1x1 to 16:

    >>> conv_macs(192, 32, 5, 28)
    120422400
    >>> conv_macs(192, 16, 1, 28) + conv_macs(16, 32, 5, 28)
    12443648
    """
    c_in, c_out, groups = _channels(in_channels, out_channels, groups)
    k = _sizes(kernel_size, "kernel_size")
    out = _sizes(output_size, "output_size", len(k) if isinstance(kernel_size, (tuple, list)) else None)
    if len(out) != len(k):
        k = (k[0],) * len(out)
    return c_out * (c_in // groups) * math.prod(k) * math.prod(out)


def depthwise_params(channels, kernel_size, depth_multiplier=1, bias=True):
    """Parameters of a depthwise convolution: ``m * C`` kernels of ``prod(k)`` taps (+ ``m * C`` biases).

    Shape
    -----
    Weight ``(m * C, 1, *kernel_size)`` plus ``m * C`` biases.

    Examples
    --------
    >>> depthwise_params(1024, 5)      # seed 001: 1024 * (5*5 + 1)
    26624
    """
    m = check_int(depth_multiplier, "depth_multiplier", minimum=1)
    c = check_int(channels, "channels", minimum=1)
    return conv_params(c, m * c, kernel_size, groups=c, bias=bias)


def depthwise_macs(channels, kernel_size, output_size, depth_multiplier=1):
    """Multiply-adds of a depthwise convolution: ``m * C * prod(k) * prod(output_size)``.

    Shape
    -----
    Input ``(C, *in)`` to output ``(m * C, *output_size)``.

    Examples
    --------
    >>> depthwise_macs(3, 3, 5)        # the 7x7x3 -> 5x5 example: 3 * 9 * 25
    675
    """
    m = check_int(depth_multiplier, "depth_multiplier", minimum=1)
    c = check_int(channels, "channels", minimum=1)
    return conv_macs(c, m * c, kernel_size, output_size, groups=c)


def pointwise_params(in_channels, out_channels, groups=1, bias=True):
    """Parameters of a 1x1 convolution (optionally grouped): ``out * in / groups`` (+ ``out``).

    Shape
    -----
    Weight ``(out, in / groups, 1, 1)`` plus ``out`` biases.

    Examples
    --------
    >>> pointwise_params(192, 16, bias=False)
    3072
    """
    return conv_params(in_channels, out_channels, 1, groups=groups, bias=bias)


def pointwise_macs(in_channels, out_channels, output_size, groups=1):
    """Multiply-adds of a 1x1 convolution: ``out * in / groups * prod(output_size)``.

    Shape
    -----
    Input ``(in, *size)`` to output ``(out, *output_size)``, same spatial size.

    Examples
    --------
    >>> pointwise_macs(3, 128, 5)      # the 7x7x3 -> 5x5x128 example: 3 * 128 * 25
    9600
    """
    return conv_macs(in_channels, out_channels, 1, output_size, groups=groups)


def separable_params(in_channels, out_channels, kernel_size, depth_multiplier=1, bias=True):
    """Parameters of a depthwise-separable convolution: depthwise then pointwise.

    Shape
    -----
    Depthwise ``(m * in, 1, k, k)`` then pointwise ``(out, m * in, 1, 1)``, each with biases.

    Examples
    --------
    >>> separable_params(3, 128, 3, bias=False)      # 27 + 384
    411
    """
    m = check_int(depth_multiplier, "depth_multiplier", minimum=1)
    return (depthwise_params(in_channels, kernel_size, m, bias)
            + pointwise_params(m * in_channels, out_channels, bias=bias))


def separable_macs(in_channels, out_channels, kernel_size, output_size, depth_multiplier=1):
    """Multiply-adds of a depthwise-separable convolution (both passes at ``output_size``).

    Divided by :func:`conv_macs` of the same layer this is ``1/out + 1/prod(k)`` (MobileNet's ratio).

    Shape
    -----
    Input ``(in, H, W)`` to ``(m * in, *output_size)`` to ``(out, *output_size)``.

    Examples
    --------
    >>> separable_macs(3, 128, 3, 5), conv_macs(3, 128, 3, 5)
    (10275, 86400)
    """
    m = check_int(depth_multiplier, "depth_multiplier", minimum=1)
    return (depthwise_macs(in_channels, kernel_size, output_size, m)
            + pointwise_macs(m * in_channels, out_channels, output_size))


def spatially_separable_params(in_channels, out_channels, kernel_size, bias=True):
    """Parameters of a k x k layer split into a k x 1 layer then a 1 x k layer (both full in channels).

    Shape
    -----
    Weights ``(out, in, k, 1)`` then ``(out, out, 1, k)``, each with biases.

    Examples
    --------
    Seed 001's 7x7 with 256 channels, against the full 7x7:

    >>> spatially_separable_params(256, 256, 7), conv_params(256, 256, 7)
    (918016, 3211520)
    """
    k = check_int(kernel_size, "kernel_size", minimum=1)
    return conv_params(in_channels, out_channels, (k, 1), bias=bias) + conv_params(out_channels, out_channels,
                                                                                   (1, k), bias=bias)


def spatially_separable_macs(in_channels, out_channels, kernel_size, input_size, padding=0):
    """Multiply-adds of a k x 1 pass then a 1 x k pass (stride 1) on an ``input_size`` input.

    The vertical pass pads only rows, the horizontal pass only columns, so the output equals the
    k x k layer's; the vertical pass runs on more columns than the final output has.

    Shape
    -----
    Input ``(in, H, W)`` to ``(out, H', W)`` to ``(out, H', W')``.

    Examples
    --------
    One channel, 5x5 input, 3x3 kernel: 45 + 27 = 72 multiplications against 81.

    >>> spatially_separable_macs(1, 1, 3, 5), conv_macs(1, 1, 3, 3)
    (72, 81)
    """
    k = check_int(kernel_size, "kernel_size", minimum=1)
    h, w = _sizes(input_size, "input_size", 2)
    p = check_int(padding, "padding", minimum=0)
    h_out, w_out = conv_output_size(h, k, 1, p), conv_output_size(w, k, 1, p)
    return (conv_macs(in_channels, out_channels, (k, 1), (h_out, w))
            + conv_macs(out_channels, out_channels, (1, k), (h_out, w_out)))


def flattened_params(in_channels, out_channels, kernel_size, bias=True):
    """Parameters of a flattened layer: per filter ``C + 2k`` (lateral, vertical, horizontal 1-D filters).

    Shape
    -----
    Per output filter: lateral ``(C,)``, vertical ``(k,)``, horizontal ``(k,)``, plus a bias.

    Examples
    --------
    >>> flattened_params(64, 128, 3, bias=False), conv_params(64, 128, 3, bias=False)
    (8960, 73728)
    """
    c_in, c_out, _ = _channels(in_channels, out_channels, 1)
    k = check_int(kernel_size, "kernel_size", minimum=1)
    return c_out * (c_in + 2 * k) + (c_out if bias else 0)


def flattened_macs(in_channels, out_channels, kernel_size, output_size):
    """Multiply-adds of a flattened layer with 'same' padding: ``out * (C + 2k) * prod(output_size)``.

    Shape
    -----
    Input ``(C, *output_size)`` to output ``(out, *output_size)`` ("same" padding, stride 1).

    Examples
    --------
    >>> flattened_macs(64, 128, 3, 56)
    28098560
    """
    c_in, c_out, _ = _channels(in_channels, out_channels, 1)
    k = check_int(kernel_size, "kernel_size", minimum=1)
    return c_out * (c_in + 2 * k) * math.prod(_sizes(output_size, "output_size"))


def conv_transpose_params(in_channels, out_channels, kernel_size, groups=1, bias=True):
    """Parameters of a transposed convolution: weight ``(in, out / groups, *k)`` plus ``out`` biases.

    Shape
    -----
    Weight ``(in, out / groups, *kernel_size)`` plus ``out`` biases.

    Examples
    --------
    >>> conv_transpose_params(64, 32, 4)
    32800
    """
    c_in, c_out, groups = _channels(in_channels, out_channels, groups)
    return c_in * (c_out // groups) * math.prod(_sizes(kernel_size, "kernel_size")) + (c_out if bias else 0)


def conv_transpose_macs(in_channels, out_channels, kernel_size, input_size, groups=1):
    """Multiply-adds of a transposed convolution: every input value is scattered through its kernels.

    ``in * (out / groups) * prod(k) * prod(input_size)`` — the same count as the forward convolution it
    transposes; running it as a dense convolution over a zero-inserted input costs about ``s**2`` times
    more, because most of those products are with zeros.

    Shape
    -----
    Input ``(in, *input_size)``; the output size does not change the count.

    Examples
    --------
    >>> conv_transpose_macs(64, 32, 4, 28)
    25690112
    """
    c_in, c_out, groups = _channels(in_channels, out_channels, groups)
    k = _sizes(kernel_size, "kernel_size")
    return c_in * (c_out // groups) * math.prod(k) * math.prod(_sizes(input_size, "input_size", len(k)))


def _unit_args(c, h, w, m, g=1):
    return (check_int(c, "c", minimum=1), check_int(h, "h", minimum=1), check_int(w, "w", minimum=1),
            check_int(m, "m", minimum=1), check_int(g, "groups", minimum=1))


def resnet_unit_macs(c, h, w, m):
    """Multiply-adds of a ResNet bottleneck (1x1 c->m, 3x3 m->m, 1x1 m->c) on c x h x w: ``hw(2cm + 9m^2)``.

    Shape
    -----
    Input and output ``(c, h, w)``; bottleneck width ``m``.

    Examples
    --------
    >>> resnet_unit_macs(256, 56, 56, 64)
    218365952
    """
    c, h, w, m, _ = _unit_args(c, h, w, m)
    return h * w * (2 * c * m + 9 * m * m)


def resnext_unit_macs(c, h, w, m, groups):
    """ResNeXt bottleneck, the 3x3 grouped: ``hw(2cm + 9m^2/g)`` (ShuffleNet paper, section 3.2).

    Shape
    -----
    Input and output ``(c, h, w)``; bottleneck width ``m`` in ``groups`` groups.

    Examples
    --------
    >>> resnext_unit_macs(256, 56, 56, 64, 32)
    106373120
    """
    c, h, w, m, g = _unit_args(c, h, w, m, groups)
    if m % g:
        raise ValueError(f"bottleneck channels m={m} must be divisible by groups={g}")
    return h * w * (2 * c * m + 9 * m * m // g)


def shufflenet_unit_macs(c, h, w, m, groups):
    """ShuffleNet unit (grouped 1x1s, depthwise 3x3): ``hw(2cm/g + 9m)``.

    Shape
    -----
    Input and output ``(c, h, w)``; bottleneck width ``m``; 1x1 layers in ``groups`` groups.

    Examples
    --------
    >>> shufflenet_unit_macs(256, 56, 56, 64, 8)
    14651392
    """
    c, h, w, m, g = _unit_args(c, h, w, m, groups)
    if c % g or m % g:
        raise ValueError(f"c={c} and m={m} must both be divisible by groups={g}")
    return h * w * (2 * c * m // g + 9 * m)


class Layer(NamedTuple):
    """One row of a layer table.

    ``kind`` is ``'conv'`` (full or grouped), ``'depthwise'``, ``'pointwise'``, ``'fc'`` (a dense layer,
    counted as a 1x1 convolution on a 1x1 map) or ``'pool'`` (no parameters, no multiply-adds).
    ``output_size`` is the spatial size of the output. ``bias`` is off by default: networks with batch
    normalisation (MobileNet) have none, and the paper's counts leave them out except for the classifier.
    """

    name: str
    kind: str
    in_channels: int
    out_channels: int
    kernel_size: int = 1
    stride: int = 1
    output_size: int = 1
    groups: int = 1
    bias: bool = False

    @property
    def params(self) -> int:
        if self.kind == "pool":
            return 0
        return conv_params(self.in_channels, self.out_channels, self.kernel_size, self.groups, self.bias)

    @property
    def macs(self) -> int:
        if self.kind == "pool":
            return 0
        return conv_macs(self.in_channels, self.out_channels, self.kernel_size, self.output_size, self.groups)


_KINDS = ("conv", "depthwise", "pointwise", "fc", "pool")


class LayerTable:
    """A network as a list of :class:`Layer` rows, with totals and a printable table.

    Examples
    --------
    >>> t = LayerTable([Layer("conv", "conv", 3, 8, 3, 1, 32), Layer("fc", "fc", 8, 10, bias=True)])
    >>> t.params, t.macs
    (306, 221264)
    """

    def __init__(self, layers: Iterable[Layer]):
        self.layers = list(layers)
        for layer in self.layers:
            if not isinstance(layer, Layer):
                raise TypeError(f"LayerTable takes Layer rows, but got {layer!r}")
            if layer.kind not in _KINDS:
                raise ValueError(f"layer {layer.name!r}: kind must be one of {_KINDS}, but got {layer.kind!r}")

    @property
    def params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def macs(self) -> int:
        return sum(layer.macs for layer in self.layers)

    def by_kind(self) -> dict:
        """``{kind: (params, macs)}`` summed over the layers of each kind."""
        out: dict = {}
        for layer in self.layers:
            p, m = out.get(layer.kind, (0, 0))
            out[layer.kind] = (p + layer.params, m + layer.macs)
        return out

    def __len__(self) -> int:
        return len(self.layers)

    def __str__(self) -> str:
        head = f"{'layer':<14}{'kind':<10}{'in':>6}{'out':>6}{'k':>3}{'s':>3}{'size':>6}{'params':>12}{'mult-adds':>15}"
        rows = [head, "-" * len(head)]
        for L in self.layers:
            rows.append(f"{L.name:<14}{L.kind:<10}{L.in_channels:>6}{L.out_channels:>6}{L.kernel_size:>3}"
                        f"{L.stride:>3}{L.output_size:>6}{L.params:>12,}{L.macs:>15,}")
        rows.append("-" * len(head))
        rows.append(f"{'total':<57}{self.params:>12,}{self.macs:>15,}")
        return "\n".join(rows)

    def __repr__(self) -> str:
        return f"LayerTable({len(self.layers)} layers, params={self.params:,}, macs={self.macs:,})"


# MobileNet v1 body (Howard et al. 2017, Table 1): (input channels, output channels, depthwise stride).
_MOBILENET_BODY = [(32, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2), (256, 256, 1), (256, 512, 2)] + \
    [(512, 512, 1)] * 5 + [(512, 1024, 2), (1024, 1024, 1)]


def mobilenet_v1_layers(full_conv: bool = False, width: float = 1.0, resolution: int = 224,
                        classes: int = 1000) -> LayerTable:
    """MobileNet v1 as a layer table; ``full_conv=True`` swaps each depthwise + pointwise pair for a 3x3 conv.

    Reproduces Table 4 of the paper at width 1.0 and 224 pixels: about 4.2M parameters and 569M
    multiply-adds, against 29.3M and 4866M with full convolutions (see the note below). ``width`` is the width multiplier
    alpha (channels scaled and rounded down), ``resolution`` the input size (a multiple of 32).

    Shape
    -----
    Input ``(3, resolution, resolution)``; five stride-2 layers bring it to ``resolution / 32``.

    Examples
    --------
    >>> t = mobilenet_v1_layers()
    >>> round(t.params / 1e6, 1), round(t.macs / 1e6)
    (4.2, 569)
    >>> t = mobilenet_v1_layers(full_conv=True)
    >>> round(t.params / 1e6, 1), round(t.macs / 1e6), round((t.macs - t.layers[-1].macs) / 1e6)
    (29.3, 4867, 4866)

    The paper's 4866M for the full-convolution network matches the count without the classifier's
    1.02M multiply-adds; its 569M for MobileNet includes them (568.7M).
    """
    if not isinstance(width, (int, float)) or isinstance(width, bool) or not 0 < width <= 4:
        raise ValueError(f"width must be a number in (0, 4], but got {width!r}")
    resolution = check_int(resolution, "resolution", minimum=32)
    if resolution % 32:
        raise ValueError(f"resolution must be a multiple of 32 (five stride-2 layers), but got {resolution}")
    classes = check_int(classes, "classes", minimum=1)

    def ch(c):
        return max(1, int(c * width))

    size = resolution // 2
    layers = [Layer("conv1", "conv", 3, ch(32), 3, 2, size)]
    for n, (c_in, c_out, s) in enumerate(_MOBILENET_BODY, start=1):
        size //= s
        if full_conv:
            layers.append(Layer(f"conv{n + 1}", "conv", ch(c_in), ch(c_out), 3, s, size))
        else:
            layers.append(Layer(f"dw{n}", "depthwise", ch(c_in), ch(c_in), 3, s, size, groups=ch(c_in)))
            layers.append(Layer(f"pw{n}", "pointwise", ch(c_in), ch(c_out), 1, 1, size))
    layers.append(Layer("avgpool", "pool", ch(1024), ch(1024), size, 1, 1))
    layers.append(Layer("fc", "fc", ch(1024), classes, 1, 1, 1, bias=True))
    return LayerTable(layers)
