"""Transposed convolution seen two ways, and where its checkerboard comes from (chapter 6).

- :func:`zero_insert` and :func:`direct_conv_input`: a transposed convolution is an ordinary stride-1
  convolution (with the kernel flipped) over the input spread apart by ``stride - 1`` zeros between
  values and padded by ``d(k - 1) - p`` zeros on each side (plus ``output_padding`` at the end).
- :func:`overlap_counts`: how many input values reach each output pixel of a transposed convolution
  (the number of kernel copies stamped on it). :func:`overlap_period` is the repeating pattern away from
  the borders; it is even exactly when ``k`` is divisible by ``s`` (:func:`overlap_is_even`). In 2-D the
  count is the product of the two 1-D counts, so an uneven pattern becomes a checkerboard whose contrast
  is squared (Odena, Dumoulin & Olah 2016).
- :func:`resize_conv2d`: the fix they propose, resize (nearest or bilinear) then convolve.

These helpers are written with plain numpy index arithmetic, independently of the core op, so the tests
can compare them with :func:`convzoo.conv_transpose2d`.
"""
from __future__ import annotations

import numpy as np

from ._args import as_array, fmt_shape, ntuple
from .conv import conv2d
from .upsample import interpolate

__all__ = ["zero_insert", "direct_conv_input", "overlap_counts", "overlap_period", "overlap_is_even",
           "resize_conv2d"]


def _axes(x: np.ndarray, value, name: str, minimum: int = 1) -> tuple[int, ...]:
    return ntuple(value, x.ndim, name, minimum=minimum)


def zero_insert(x, stride):
    """Spread an array apart: ``stride - 1`` zeros between neighbouring values along every axis.

    Parameters
    ----------
    x : array_like
        Any number of axes; every axis is spread (use it on one channel, ``(H, W)`` or ``(L,)``).
    stride : int or tuple of int
        One per axis; ``1`` leaves the axis unchanged.

    Returns
    -------
    numpy.ndarray
        Same dtype as ``x``.

    Shape
    -----
    - Input: ``(n_1, ..., n_D)``; Output: ``((n_1 - 1) s_1 + 1, ..., (n_D - 1) s_D + 1)``

    Examples
    --------
    >>> zero_insert([1, 2, 3], 2)
    array([1, 0, 2, 0, 3])
    >>> zero_insert([[1, 2], [3, 4]], 3)
    array([[1, 0, 0, 2],
           [0, 0, 0, 0],
           [0, 0, 0, 0],
           [3, 0, 0, 4]])
    """
    x = as_array(x, "x", func="zero_insert")
    if x.ndim == 0 or x.size == 0:
        raise ValueError(f"zero_insert needs a non-empty array with at least one axis, but got shape "
                         f"{fmt_shape(x.shape)}")
    s = _axes(x, stride, "stride")
    out = np.zeros(tuple((n - 1) * si + 1 for n, si in zip(x.shape, s)), dtype=x.dtype)
    out[tuple(slice(None, None, si) for si in s)] = x
    return out


def direct_conv_input(x, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    """The input that an ordinary stride-1 convolution reads to compute a transposed convolution.

    ``x`` spread apart by :func:`zero_insert` (``stride - 1`` zeros between values), then padded with
    ``d(k - 1) - p`` zeros on each side and ``output_padding`` more at the end of each axis. Sliding the
    flipped kernel over it (stride 1, no padding) gives exactly the transposed convolution of ``x``:
    ``conv2d(direct_conv_input(x, k, s, p), w[..., ::-1, ::-1]) == conv_transpose2d(x, w, stride=s, padding=p)``.
    When ``p > d(k - 1)`` the "padding" is negative: that many values are cut from each side instead.

    Parameters
    ----------
    x : array_like
        One channel, ``(H, W)`` (or any number of axes, all spatial).
    kernel_size, stride, padding, output_padding, dilation : int or tuple of int
        Those of the transposed convolution (per axis).

    Returns
    -------
    values : numpy.ndarray
        The zero-inserted, padded input.
    origin : numpy.ndarray of int
        Same shape: the flat index (row-major) into ``x`` of the value each cell holds, ``-1`` for an
        inserted zero, ``-2`` for a padding zero. A figure labels its cells with it.

    Shape
    -----
    - Input: ``(H, W)``; Output: ``(H_out + k - 1, W_out + k - 1)`` (for ``d = 1``) where ``H_out`` is the
      transposed convolution's output size ``(H - 1) s - 2p + d(k - 1) + output_padding + 1``.

    Examples
    --------
    The 2x2 -> 5x5 case (k = 3, s = 2): one zero between the inputs, a border of 2 zeros:

    >>> values, origin = direct_conv_input([[1, 2], [3, 4]], 3, stride=2)
    >>> values.shape
    (7, 7)
    >>> values[2]
    array([0, 0, 1, 0, 2, 0, 0])
    >>> origin[2]
    array([-2, -2,  0, -1,  1, -2, -2])
    """
    x = as_array(x, "x", func="direct_conv_input")
    if x.ndim == 0 or x.size == 0:
        raise ValueError(f"direct_conv_input needs a non-empty array, but got shape {fmt_shape(x.shape)}")
    k = _axes(x, kernel_size, "kernel_size")
    s = _axes(x, stride, "stride")
    p = _axes(x, padding, "padding", minimum=0)
    op = _axes(x, output_padding, "output_padding", minimum=0)
    d = _axes(x, dilation, "dilation")
    for ax, (opi, si, di) in enumerate(zip(op, s, d)):
        if opi >= max(si, di):
            raise ValueError(f"output_padding must be smaller than stride or dilation, but got output_padding={op} "
                             f"with stride={s}, dilation={d}")
    spread = zero_insert(x, s)
    index = np.full(spread.shape, -1, dtype=np.int64)
    index[tuple(slice(None, None, si) for si in s)] = np.arange(x.size).reshape(x.shape)
    pads = [(di * (ki - 1) - pi, di * (ki - 1) - pi + opi) for ki, pi, di, opi in zip(k, p, d, op)]
    sizes = [n + lo + hi for n, (lo, hi) in zip(spread.shape, pads)]
    span = [di * (ki - 1) + 1 for ki, di in zip(k, d)]
    if any(n < sp for n, sp in zip(sizes, span)):
        out = tuple(n - sp + 1 for n, sp in zip(sizes, span))
        raise ValueError(f"Given input of size {fmt_shape(x.shape)}, kernel_size {k}, stride {s}, padding {p} and "
                         f"output_padding {op}, the transposed convolution's output size {fmt_shape(out)} is too "
                         f"small: every size must be at least 1")
    # pad where the amount is positive, cut where it is negative
    grow = [(max(lo, 0), max(hi, 0)) for lo, hi in pads]
    cut = tuple(slice(max(-lo, 0), n + max(lo, 0) + max(hi, 0) - max(-hi, 0))
                for n, (lo, hi) in zip(spread.shape, pads))
    values = np.pad(spread, grow)[cut]
    origin = np.pad(index, grow, constant_values=-2)[cut]
    return values, origin


def _overlap_1d(k: int, s: int, i: int, p: int, op: int, d: int) -> np.ndarray:
    """Scatter view: input j stamps kernel taps t at output j*s + t*d - p; count the stamps per output."""
    length = (i - 1) * s - 2 * p + d * (k - 1) + op + 1
    if length < 1:
        raise ValueError(f"Given input size {i}, kernel size {k}, stride {s}, padding {p}, output_padding {op} "
                         f"and dilation {d}, the transposed convolution's output size (i - 1)s - 2p + d(k - 1) + "
                         f"output_padding + 1 = {length} is too small: it must be at least 1")
    pos = (np.arange(i)[:, None] * s + np.arange(k)[None, :] * d - p).ravel()
    pos = pos[(pos >= 0) & (pos < length)]
    return np.bincount(pos, minlength=length).astype(np.int64)


def overlap_counts(kernel_size, stride, input_size, padding=0, output_padding=0, dilation=1):
    """How many input values reach each output pixel of a transposed convolution.

    Each input value stamps a copy of the kernel onto the output, ``stride`` apart; the count of a pixel is
    the number of copies covering it. It is also the output for an input of ones and a kernel of ones. In
    several dimensions it is the outer product of the per-axis counts, so the unevenness multiplies.

    Parameters
    ----------
    kernel_size, stride : int or tuple of int
        ``k`` and ``s``, one per axis (an int is used for every axis).
    input_size : int or tuple of int
        The input's spatial size; its length sets the number of dimensions (an int means 1-D).
    padding, output_padding, dilation : int or tuple of int
        As in :func:`convzoo.conv_transpose2d`: ``padding`` crops the output's borders.

    Returns
    -------
    numpy.ndarray of int64

    Shape
    -----
    - ``input_size = (n_1, ..., n_D)``; Output: ``(o_1, ..., o_D)`` with
      ``o = (n - 1) s - 2p + d(k - 1) + output_padding + 1`` per axis.

    Examples
    --------
    k = 3, s = 2: the middle alternates 2, 1 (uneven); k = 4, s = 2: a flat 2 (even):

    >>> overlap_counts(3, 2, 4)
    array([1, 1, 2, 1, 2, 1, 2, 1, 1])
    >>> overlap_counts(4, 2, 4)
    array([1, 1, 2, 2, 2, 2, 2, 2, 1, 1])
    >>> overlap_counts(3, 2, (2, 2))
    array([[1, 1, 2, 1, 1],
           [1, 1, 2, 1, 1],
           [2, 2, 4, 2, 2],
           [1, 1, 2, 1, 1],
           [1, 1, 2, 1, 1]])
    """
    sizes = (input_size,) if np.ndim(input_size) == 0 else tuple(input_size)
    nd = len(sizes)
    if not 1 <= nd <= 3:
        raise ValueError(f"input_size must be an int or a tuple of 1 to 3 ints, but got {input_size!r}")
    i = ntuple(sizes, nd, "input_size")
    k = ntuple(kernel_size, nd, "kernel_size")
    s = ntuple(stride, nd, "stride")
    p = ntuple(padding, nd, "padding", minimum=0)
    op = ntuple(output_padding, nd, "output_padding", minimum=0)
    d = ntuple(dilation, nd, "dilation")
    for opi, si, di in zip(op, s, d):
        if opi >= max(si, di):
            raise ValueError(f"output_padding must be smaller than stride or dilation, but got output_padding={op} "
                             f"with stride={s}, dilation={d}")
    counts = np.ones((), dtype=np.int64)
    for args in zip(k, s, i, p, op, d):
        counts = np.multiply.outer(counts, _overlap_1d(*args))
    return counts


def overlap_period(kernel_size, stride):
    """The repeating overlap pattern of a 1-D transposed convolution, away from the borders.

    Output pixel ``t`` (far from the ends) is covered by the kernel copies of inputs ``j`` with
    ``0 <= t - j s < k``; their number depends only on ``r = t mod s`` and is ``ceil((k - r) / s)``
    (zero when ``r >= k``, i.e. holes when ``k < s``). One period of ``s`` values.

    Parameters
    ----------
    kernel_size, stride : int
        ``k`` and ``s``.

    Returns
    -------
    numpy.ndarray of int64

    Shape
    -----
    - Output: ``(s,)``

    Examples
    --------
    >>> overlap_period(3, 2), overlap_period(4, 2), overlap_period(5, 3)
    (array([2, 1]), array([2, 2]), array([2, 2, 1]))
    """
    (k,) = ntuple(kernel_size, 1, "kernel_size")
    (s,) = ntuple(stride, 1, "stride")
    r = np.arange(s)
    return np.maximum(-((r - k) // s), 0).astype(np.int64)   # ceil((k - r) / s), floored at 0


def overlap_is_even(kernel_size, stride) -> bool:
    """Whether every output pixel away from the borders gets the same number of kernel copies: ``k % s == 0``.

    Shape
    -----
    One axis; in 2-D the overlap is even only when it is even along both axes.

    Examples
    --------
    >>> [overlap_is_even(k, s) for k, s in [(2, 1), (3, 2), (4, 2), (5, 3), (6, 3)]]
    [True, False, True, False, True]
    """
    (k,) = ntuple(kernel_size, 1, "kernel_size")
    (s,) = ntuple(stride, 1, "stride")
    return k % s == 0


def resize_conv2d(input, weight, scale_factor=2, mode="nearest", bias=None, padding=None):
    """Upsample by resizing, then convolve: the checkerboard-free alternative to a transposed convolution.

    ``conv2d(interpolate(input, scale_factor=scale_factor, mode=mode), weight, bias, padding=padding)``.
    Every output pixel is computed by the same kernel over the same number of values, so a constant input
    gives a constant output away from the borders (Odena, Dumoulin & Olah 2016).

    Parameters
    ----------
    input : array_like
        ``(N, C_in, H, W)`` or ``(C_in, H, W)``.
    weight : array_like
        ``(C_out, C_in, kh, kw)`` (a convolution's weight: out-channels first).
    scale_factor : int
        The upsampling factor ``r``.
    mode : {'nearest', 'bilinear'}
        The resize.
    bias : array_like, optional
        ``(C_out,)``.
    padding : int or tuple, optional
        Of the convolution; default ``(k - 1) // 2`` per axis (keeps the size ``r H x r W`` for odd ``k``).

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C_in, H, W)``; Output: ``(N, C_out, r H + 2p - kh + 1, r W + 2p - kw + 1)``

    Examples
    --------
    >>> import numpy as np
    >>> y = resize_conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3)))
    >>> y.shape
    (1, 1, 6, 6)
    >>> y[0, 0, 1:-1, 1:-1]
    array([[9., 9., 9., 9.],
           [9., 9., 9., 9.],
           [9., 9., 9., 9.],
           [9., 9., 9., 9.]])
    """
    if mode not in ("nearest", "bilinear"):
        raise ValueError(f"mode must be 'nearest' or 'bilinear', but got {mode!r}")
    w = as_array(weight, "weight", ndims=(4,), func="resize_conv2d")
    if padding is None:
        padding = ((w.shape[2] - 1) // 2, (w.shape[3] - 1) // 2)
    x = as_array(input, "input", ndims=(3, 4), func="resize_conv2d")
    if mode == "bilinear":
        up = interpolate(x, scale_factor=scale_factor, mode="bilinear", align_corners=False)
    else:
        up = interpolate(x, scale_factor=(scale_factor, scale_factor), mode="nearest")
    return conv2d(up, w, bias, padding=padding)
