"""Dilated (atrous) convolution: spread-out kernels, stacks of them, and what one output sees (chapter 7).

- :func:`effective_kernel_size`: a kernel of ``k`` taps at dilation rate ``d`` spans ``k + (k - 1)(d - 1)``
  input pixels (``d = 1`` is ordinary convolution).
- :func:`dilate_kernel`: the dense kernel that a dilated one equals, taps spread apart by ``d - 1`` zeros;
  an ordinary convolution with it gives exactly the dilated convolution (more multiply-adds, same result).
- :func:`footprint`: for a stack of stride-1 dilated layers, how many paths lead from each input pixel to
  one output pixel. Zeros inside the receptive field are the *gridding* holes: with the same even rate
  stacked (2, 2, 2), one output sees only a sparse lattice of its inputs; mixed rates (1, 2, 3) fill it.
- :func:`causal_conv1d`: WaveNet's causal 1-D convolution, padded on the left only, so output ``t`` depends
  on inputs ``<= t`` and the length is kept.

The footprint is computed with plain numpy (1-D convolutions of tap indicators, outer products for more
axes), independently of the core op, so the tests can check it against brute-force path counting and
against :func:`convzoo.conv_transpose2d` of an impulse.
"""
from __future__ import annotations

import numpy as np

from ._args import as_array, check_int, fmt_shape, ntuple
from .conv import conv1d

__all__ = ["effective_kernel_size", "dilate_kernel", "footprint", "causal_conv1d"]


def effective_kernel_size(kernel_size, dilation=1) -> int:
    """The span, in input pixels, of a kernel of ``kernel_size`` taps at dilation rate ``dilation``.

    ``d - 1`` gaps are inserted between neighbouring taps, so the span is ``k + (k - 1)(d - 1)``
    ``= d(k - 1) + 1``. The number of weights stays ``k``: same parameters, bigger view.

    Shape
    -----
    One axis: ``k`` taps span ``d(k - 1) + 1`` input pixels.

    Examples
    --------
    >>> [effective_kernel_size(3, d) for d in (1, 2, 3, 4)]
    [3, 5, 7, 9]
    >>> effective_kernel_size(3, 6)  # DeepLab's ASPP rate 6
    13
    """
    k = check_int(kernel_size, "kernel_size", minimum=1)
    d = check_int(dilation, "dilation", minimum=1)
    return k + (k - 1) * (d - 1)


def dilate_kernel(weight, dilation):
    """The dense weight equal to ``weight`` used at ``dilation``: ``d - 1`` zeros between neighbouring taps.

    ``conv2d(x, w, dilation=d)`` equals ``conv2d(x, dilate_kernel(w, d))``: dilation is an ordinary
    convolution with a larger kernel most of whose entries are fixed at zero.

    Parameters
    ----------
    weight : array_like
        ``(C_out, C_in / groups, k_1, ..., k_n)`` with 1, 2 or 3 spatial axes, as the conv faces take.
    dilation : int or tuple of int
        One rate for every spatial axis, or one per axis.

    Returns
    -------
    numpy.ndarray
        Same dtype as ``weight``.

    Shape
    -----
    - Weight: ``(C_out, C_in / groups, k_1, ..., k_n)``
    - Output: ``(C_out, C_in / groups, K_1, ..., K_n)`` with ``K_j = d_j (k_j - 1) + 1``

    Examples
    --------
    >>> dilate_kernel([[[1, 2, 3]]], 2)
    array([[[1, 0, 2, 0, 3]]])
    >>> dilate_kernel([[[[1, 2], [3, 4]]]], (2, 3))[0, 0]
    array([[1, 0, 0, 2],
           [0, 0, 0, 0],
           [3, 0, 0, 4]])
    """
    w = as_array(weight, "weight")
    if not 3 <= w.ndim <= 5:
        raise ValueError("weight must be (C_out, C_in / groups, k_1, ..., k_n) with 1, 2 or 3 spatial axes, "
                         f"but got weight of size {fmt_shape(w.shape)}")
    n = w.ndim - 2
    d = ntuple(dilation, n, "dilation", minimum=1)
    spans = [dj * (kj - 1) + 1 for kj, dj in zip(w.shape[2:], d)]
    out = np.zeros(w.shape[:2] + tuple(spans), dtype=w.dtype)
    out[(slice(None), slice(None)) + tuple(slice(None, None, dj) for dj in d)] = w
    return out


def _rates(dilations) -> list[int]:
    if isinstance(dilations, (int, np.integer)) and not isinstance(dilations, bool):
        dilations = [dilations]
    try:
        rates = list(dilations)
    except TypeError:
        raise TypeError(f"dilations must be a sequence of positive ints (one per layer), but got {dilations!r}") from None
    if not rates:
        raise ValueError("dilations is empty: give one rate per layer, e.g. [1, 2, 4]")
    return [check_int(d, f"dilation of layer {n}", minimum=1) for n, d in enumerate(rates)]


def footprint(dilations, kernel_size=3, ndim=2):
    """Paths from each input pixel to one output pixel through a stack of stride-1 dilated convolutions.

    Layer ``n`` has ``kernel_size`` taps per axis at rate ``dilations[n]`` (stride 1). Entry ``j`` of the
    result counts the chains of taps, one tap per layer, that connect input position ``j`` to the output;
    with every weight equal to 1 it is exactly how much that input contributes. A zero *inside* the
    receptive field is a pixel the output never sees (gridding). Along one axis the counts are the
    convolution of the layers' tap patterns (``1`` at every ``d``-th position); with ``ndim`` axes and
    square kernels they are the outer product of the 1-D counts.

    Parameters
    ----------
    dilations : sequence of int
        One rate per layer, in order (input first).
    kernel_size : int or sequence of int
        Taps per axis of every layer, or one value per layer.
    ndim : {1, 2, 3}
        Spatial axes.

    Returns
    -------
    numpy.ndarray of int64
        Index ``j`` is the input at offset ``j - (R - 1) / 2`` from the output for a centred stack
        (odd kernels, 'same' padding), or at ``t - (R - 1) + j`` for the output at ``t`` of a causal stack.

    Shape
    -----
    ``(R,) * ndim`` with the receptive field ``R = 1 + sum_n dilations[n] (kernel_size[n] - 1)``.

    Examples
    --------
    >>> footprint([1, 2, 4], ndim=1).tolist()  # 15 inputs, each reached; 3**3 = 27 paths
    [1, 1, 2, 1, 3, 2, 3, 1, 3, 2, 3, 1, 2, 1, 1]
    >>> footprint([2, 2], ndim=1).tolist()  # only every other input: gridding
    [1, 0, 2, 0, 3, 0, 2, 0, 1]
    >>> footprint([1, 2, 4, 8], kernel_size=2, ndim=1).tolist() == [1] * 16  # WaveNet: one path each
    True
    >>> footprint([1], ndim=2)
    array([[1, 1, 1],
           [1, 1, 1],
           [1, 1, 1]])
    """
    rates = _rates(dilations)
    if isinstance(kernel_size, (int, np.integer)) and not isinstance(kernel_size, bool):
        sizes = [kernel_size] * len(rates)
    else:
        sizes = list(kernel_size)
        if len(sizes) != len(rates):
            raise ValueError(f"kernel_size gives {len(sizes)} sizes for {len(rates)} layers "
                             f"(dilations={rates}); give one int, or one per layer")
    sizes = [check_int(k, f"kernel_size of layer {n}", minimum=1) for n, k in enumerate(sizes)]
    nd = check_int(ndim, "ndim", minimum=1)
    if nd > 3:
        raise ValueError(f"ndim must be 1, 2 or 3, but got ndim={ndim!r}")
    counts = np.ones(1, dtype=np.int64)
    for k, d in zip(sizes, rates):
        taps = np.zeros(d * (k - 1) + 1, dtype=np.int64)
        taps[::d] = 1
        counts = np.convolve(counts, taps)
    out = counts
    for _ in range(nd - 1):
        out = np.multiply.outer(out, counts)
    return out


def causal_conv1d(input, weight, bias=None, dilation=1):
    """Causal 1-D convolution (WaveNet): padded on the left only, so output ``t`` sees inputs ``<= t``.

    The input gets ``d(k - 1)`` zeros on the left and none on the right, then an ordinary
    :func:`convzoo.conv1d` at ``dilation`` runs over it. Output ``t`` is
    ``sum_j weight[..., j] * x[t - d(k - 1 - j)]``: the last tap sits on ``x[t]``, the others reach back
    into the past, never into the future. The length is kept.

    Parameters
    ----------
    input : array_like
        ``(N, C_in, L)`` or unbatched ``(C_in, L)``.
    weight : array_like
        ``(C_out, C_in, k)``.
    bias : array_like, optional
        ``(C_out,)``.
    dilation : int

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C_in, L)``; Weight: ``(C_out, C_in, k)``
    - Output: ``(N, C_out, L)``

    Examples
    --------
    >>> causal_conv1d([[1, 2, 3, 4, 5]], [[[10, 1]]], dilation=2)  # y[t] = 10 x[t-2] + x[t]
    array([[ 1,  2, 13, 24, 35]])
    """
    w = as_array(weight, "weight")
    if w.ndim != 3:
        raise ValueError(f"Expected 3D weight (out_channels, in_channels, k) to causal_conv1d, "
                         f"but got weight of size {fmt_shape(w.shape)}")
    d = check_int(dilation, "dilation", minimum=1)
    input = as_array(input, "input", ndims=(2, 3), func="causal_conv1d", nonempty=True)
    return conv1d(input, w, bias, padding=((d * (w.shape[2] - 1), 0),), dilation=d)
