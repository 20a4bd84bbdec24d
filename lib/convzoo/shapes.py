"""Convolution arithmetic: output sizes, 'same' padding and receptive fields.

Every formula here is the one the core op and the torch faces obey, so a chapter can print a size and
then check it against the shape of an actual output. Sizes are per axis: each function takes ints and
returns an int (call it once per axis for rectangular inputs).

The one formula to remember (Dumoulin & Visin 2016, with the floor that many texts drop)::

    o = floor((i + 2p - d(k - 1) - 1) / s) + 1
"""
from __future__ import annotations

from typing import Iterable, NamedTuple

from ._args import check_int

__all__ = [
    "conv_output_size",
    "unused_input",
    "conv_transpose_output_size",
    "pool_output_size",
    "same_padding",
    "ReceptiveField",
    "receptive_field",
]


def _check_sizes(i, k, s, p, d, func):
    i = check_int(i, "input size i", minimum=1)
    k = check_int(k, "kernel size k", minimum=1)
    s = check_int(s, "stride s", minimum=1)
    p = check_int(p, "padding p", minimum=0)
    d = check_int(d, "dilation d", minimum=1)
    span = d * (k - 1) + 1
    if i + 2 * p < span:
        raise ValueError(
            f"{func}: the kernel does not fit: padded input i + 2p = {i} + 2*{p} = {i + 2 * p} is smaller than "
            f"the dilated kernel d(k - 1) + 1 = {d}*({k} - 1) + 1 = {span}"
        )
    return i, k, s, p, d, span


def conv_output_size(i, k, s=1, p=0, d=1):
    """Output length of a convolution along one axis.

    ``o = floor((i + 2p - d(k - 1) - 1) / s) + 1``: the number of positions where the dilated kernel
    (span ``d(k - 1) + 1``) fits inside the padded input, stepping by ``s``.

    Parameters
    ----------
    i, k, s, p, d : int
        Input size, kernel size, stride, padding on each side, dilation.

    Returns
    -------
    int
        Always at least 1; a kernel larger than the padded input is a ``ValueError``.

    Shape
    -----
    One axis: input length ``i`` to output length ``o``.

    Examples
    --------
    The cases of Dumoulin & Visin's guide:

    >>> [conv_output_size(*c) for c in [(4, 3, 1, 0), (5, 4, 1, 2), (5, 3, 1, 1), (5, 3, 2, 1)]]
    [2, 6, 5, 3]
    >>> conv_output_size(7, 3, d=2)
    3
    """
    i, k, s, p, d, span = _check_sizes(i, k, s, p, d, "conv_output_size")
    return (i + 2 * p - span) // s + 1


def unused_input(i, k, s=1, p=0, d=1):
    """How many trailing cells of the padded input no window touches (what the floor throws away).

    When ``(i + 2p - d(k - 1) - 1)`` is not a multiple of ``s``, the last window stops short of the end
    of the padded input; the cells after it never reach the output.

    Shape
    -----
    One axis; the result counts cells of the padded input (padding included) at its end.

    Examples
    --------
    >>> unused_input(6, 3, 2)     # windows start at 0 and 2; cell 5 is never read
    1
    >>> unused_input(5, 3, 2)
    0
    """
    i, k, s, p, d, span = _check_sizes(i, k, s, p, d, "unused_input")
    return (i + 2 * p - span) % s


def conv_transpose_output_size(i, k, s=1, p=0, d=1, output_padding=0):
    """Output length of a transposed convolution along one axis (as ``torch.nn.ConvTranspose``).

    ``o = (i - 1)s - 2p + d(k - 1) + output_padding + 1``. ``output_padding`` (smaller than ``s`` or
    ``d``) picks one of the several sizes that a strided convolution maps to the same ``i``.

    Shape
    -----
    One axis: input length ``i`` to output length ``o``.

    Examples
    --------
    >>> conv_transpose_output_size(2, 3, s=2)       # 2x2 -> 5x5 with one zero between inputs
    5
    >>> conv_transpose_output_size(3, 3, s=2, p=1, output_padding=1)
    6
    """
    i = check_int(i, "input size i", minimum=1)
    k = check_int(k, "kernel size k", minimum=1)
    s = check_int(s, "stride s", minimum=1)
    p = check_int(p, "padding p", minimum=0)
    d = check_int(d, "dilation d", minimum=1)
    op = check_int(output_padding, "output_padding", minimum=0)
    if op >= max(s, d):
        raise ValueError(f"output_padding must be smaller than either stride or dilation, but got "
                         f"output_padding={op}, stride={s}, dilation={d}")
    o = (i - 1) * s - 2 * p + d * (k - 1) + op + 1
    if o < 1:
        raise ValueError(f"conv_transpose_output_size: the output would have size {o} (padding p={p} crops more "
                         f"than (i - 1)s + d(k - 1) + 1 = {o + 2 * p - op})")
    return o


def pool_output_size(i, k, s=None, p=0, d=1, ceil_mode=False):
    """Output length of a pooling window along one axis (as ``torch.nn.MaxPool``/``AvgPool``).

    The convolution formula with the stride defaulting to the window size. With ``ceil_mode`` the floor
    becomes a ceiling, except that a last window starting in the right padding is dropped.

    Shape
    -----
    One axis: input length ``i`` to output length ``o``.

    Examples
    --------
    >>> pool_output_size(224, 2)
    112
    >>> pool_output_size(5, 2), pool_output_size(5, 2, ceil_mode=True)
    (2, 3)
    """
    s = k if s is None else s
    i, k, s, p, d, span = _check_sizes(i, k, s, p, d, "pool_output_size")
    if 2 * p > k:
        raise ValueError(f"pad should be at most half of effective kernel size, but got pad={p}, kernel_size={k}")
    return _pool_length(i, span, s, p, ceil_mode)


def _pool_length(i: int, span: int, s: int, p: int, ceil_mode: bool) -> int:
    """The pooling formula on checked values (shared with :mod:`convzoo.pool`)."""
    o = (i + 2 * p - span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (o - 1) * s >= i + p:
        o -= 1
    return o


def same_padding(i, k, s=1, d=1):
    """(before, after) zeros that make ``o = ceil(i / s)``: TensorFlow's ``padding='SAME'``.

    The total ``max((o - 1)s + d(k - 1) + 1 - i, 0)`` is split with the extra zero *after* when it is
    odd (even kernels, or strides that do not divide the input), as TensorFlow and torch's
    ``padding='same'`` do.

    Shape
    -----
    One axis; the pair pads input length ``i`` so that the output length is ``ceil(i / s)``.

    Examples
    --------
    >>> same_padding(5, 3), same_padding(5, 4), same_padding(6, 3, s=2)
    ((1, 1), (1, 2), (0, 1))
    """
    i = check_int(i, "input size i", minimum=1)
    k = check_int(k, "kernel size k", minimum=1)
    s = check_int(s, "stride s", minimum=1)
    d = check_int(d, "dilation d", minimum=1)
    o = -(-i // s)
    total = max((o - 1) * s + d * (k - 1) + 1 - i, 0)
    return total // 2, total - total // 2


class ReceptiveField(NamedTuple):
    """The view of one output cell after a layer, in input pixels along one axis.

    ``size``: how many input pixels one output cell sees; ``jump``: the distance in input pixels between
    neighbouring output cells (the product of the strides so far); ``start``: the input coordinate of
    the centre of the first output cell's view (negative when it lies in the padding).
    """

    size: int
    jump: int
    start: float


def _layer_args(layer) -> tuple[int, int, int, int]:
    if isinstance(layer, dict):
        unknown = set(layer) - {"k", "s", "p", "d"}
        if unknown or "k" not in layer:
            raise ValueError(f"a layer given as a dict needs 'k' and may have 's', 'p', 'd', but got keys {sorted(layer)}")
        return (layer["k"], layer.get("s", 1), layer.get("p", 0), layer.get("d", 1))
    if isinstance(layer, (int,)) and not isinstance(layer, bool):
        return (layer, 1, 0, 1)
    layer = tuple(layer)
    if not 1 <= len(layer) <= 4:
        raise ValueError(f"a layer is k, (k, s), (k, s, p) or (k, s, p, d), but got {layer!r}")
    return layer + (1, 0, 1)[len(layer) - 1:]


def receptive_field(layers: Iterable) -> list[ReceptiveField]:
    """Receptive field after each layer of a stack (one spatial axis).

    Each layer is ``k``, ``(k, s)``, ``(k, s, p)``, ``(k, s, p, d)`` or a dict with those keys. With the
    effective kernel ``K = d(k - 1) + 1`` and the values before the layer (size ``r``, jump ``j``,
    start ``c``; the input is ``1, 1, 0``)::

        r' = r + (K - 1) j        j' = j s        c' = c + ((K - 1) / 2 - p) j

    Shape
    -----
    One entry per layer, in order; pooling layers count as layers with their window and stride.

    Examples
    --------
    Three 3x3 layers see 7x7; a dilated stack 1, 2, 4 sees 15:

    >>> [r.size for r in receptive_field([3, 3, 3])]
    [3, 5, 7]
    >>> receptive_field([(3, 1, 1, 1), (3, 1, 2, 2), (3, 1, 4, 4)])[-1]
    ReceptiveField(size=15, jump=1, start=0.0)
    """
    size, jump, start = 1, 1, 0.0
    out = []
    for n, layer in enumerate(layers):
        k, s, p, d = _layer_args(layer)
        k = check_int(k, f"layer {n} kernel size k", minimum=1)
        s = check_int(s, f"layer {n} stride s", minimum=1)
        p = check_int(p, f"layer {n} padding p", minimum=0)
        d = check_int(d, f"layer {n} dilation d", minimum=1)
        span = d * (k - 1) + 1
        start = start + ((span - 1) / 2 - p) * jump
        size = size + (span - 1) * jump
        jump = jump * s
        out.append(ReceptiveField(size, jump, start))
    if not out:
        raise ValueError("receptive_field needs at least one layer")
    return out
