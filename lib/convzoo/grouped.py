"""Grouped convolutions seen through their channels: block-diagonal weights and the channel shuffle.

A grouped convolution (``groups = g``) splits the ``C_in`` input channels and the ``C_out`` filters into
``g`` groups and convolves group ``j`` of the input only with group ``j`` of the filters. It is an ordinary
convolution whose full weight is zero off ``g`` diagonal blocks (:func:`block_diagonal_weight`), hence
``g`` times fewer parameters and multiply-adds. Stacking grouped layers keeps the groups apart forever;
ShuffleNet's channel shuffle (:func:`channel_shuffle`) lets every group of the next layer see every
group of the previous one, which :func:`channel_connectivity` makes visible.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ._args import as_array, check_int, fmt_shape

__all__ = ["shuffle_permutation", "channel_shuffle", "block_diagonal_weight", "group_mask",
           "channel_connectivity", "grouped_conv_by_split"]


def _check_divisible(channels: int, groups: int, what: str = "channels") -> None:
    if channels % groups:
        raise ValueError(f"Number of {what} must be divisible by groups. Got {channels} {what} and {groups} groups.")


def shuffle_permutation(channels, groups):
    """The channel order of :func:`channel_shuffle`: ``arange(C).reshape(g, C / g).T.ravel()``.

    Output channel ``i`` is input channel ``perm[i]``. Write the channels as ``g`` rows (one group each),
    read them by columns: the first ``g`` output channels are the first channel of every group, and so on.

    Parameters
    ----------
    channels : int
        ``C``.
    groups : int
        ``g``, dividing ``C``.

    Returns
    -------
    numpy.ndarray of int64

    Shape
    -----
    - Output: ``(C,)``, a permutation of ``0 ... C - 1``

    Examples
    --------
    >>> shuffle_permutation(6, 3)
    array([0, 2, 4, 1, 3, 5])
    >>> shuffle_permutation(12, 4)
    array([ 0,  3,  6,  9,  1,  4,  7, 10,  2,  5,  8, 11])
    """
    c = check_int(channels, "channels", minimum=1)
    g = check_int(groups, "groups", minimum=1)
    _check_divisible(c, g)
    return np.arange(c, dtype=np.int64).reshape(g, c // g).T.ravel()


def channel_shuffle(input, groups):
    """ShuffleNet's channel shuffle, as ``torch.nn.functional.channel_shuffle`` / ``nn.ChannelShuffle``.

    Reshape the channels to ``(g, C / g)``, transpose to ``(C / g, g)``, flatten: after a grouped convolution
    with ``g`` groups, each run of ``g`` consecutive output channels holds one channel of every group, so
    every group of the next grouped convolution receives channels from all of them. Shuffling with ``g``
    and then with ``C / g`` gives the identity.

    Parameters
    ----------
    input : array_like
        ``(N, C, H, W)`` or unbatched ``(C, H, W)``. (Torch always reads axis 1 as the channels; here a 3D
        input is unbatched, as for every face of the library.)
    groups : int
        ``g``, dividing ``C``.

    Returns
    -------
    numpy.ndarray
        Same dtype, channels permuted by :func:`shuffle_permutation`.

    Shape
    -----
    - Input: ``(N, C, H, W)`` or ``(C, H, W)``; Output: the same

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(6).reshape(6, 1, 1)          # channel c holds the value c
    >>> channel_shuffle(x, 3).ravel()
    array([0, 2, 4, 1, 3, 5])
    """
    x = as_array(input, "input", ndims=(3, 4), func="channel_shuffle", nonempty=True)
    g = check_int(groups, "groups", minimum=1)
    c = x.shape[-3]
    if c % g:
        raise ValueError(f"Number of channels must be divisible by groups. Got {c} channels and {g} groups "
                         f"(input of size {fmt_shape(x.shape)}).")
    return np.take(x, shuffle_permutation(c, g), axis=-3)


def group_mask(out_channels, in_channels, groups):
    """The ``(C_out, C_in)`` 0/1 matrix of which input channel each filter of a grouped layer reads.

    Entry ``[o, i]`` is 1 when output channel ``o`` and input channel ``i`` are in the same group
    (``o // (C_out / g) == i // (C_in / g)``): ``g`` diagonal blocks of ones.

    Parameters
    ----------
    out_channels, in_channels : int
        Both divisible by ``groups``.
    groups : int

    Returns
    -------
    numpy.ndarray of int64

    Shape
    -----
    - Output: ``(C_out, C_in)``

    Examples
    --------
    >>> group_mask(4, 6, 2)
    array([[1, 1, 1, 0, 0, 0],
           [1, 1, 1, 0, 0, 0],
           [0, 0, 0, 1, 1, 1],
           [0, 0, 0, 1, 1, 1]])
    """
    c_out = check_int(out_channels, "out_channels", minimum=1)
    c_in = check_int(in_channels, "in_channels", minimum=1)
    g = check_int(groups, "groups", minimum=1)
    _check_divisible(c_out, g, "out_channels")
    _check_divisible(c_in, g, "in_channels")
    return (np.arange(c_out)[:, None] // (c_out // g) == np.arange(c_in)[None] // (c_in // g)).astype(np.int64)


def block_diagonal_weight(weight, groups):
    """The full weight ``(C_out, C_in, *k)`` that does what a grouped weight ``(C_out, C_in / g, *k)`` does.

    Filter ``o`` of group ``j = o // (C_out / g)`` keeps its ``C_in / g`` kernels at input channels
    ``j C_in / g ... (j + 1) C_in / g - 1`` and gets zero kernels everywhere else, so that
    ``conv(x, w, groups=g) == conv(x, block_diagonal_weight(w, g))``.

    Parameters
    ----------
    weight : array_like
        ``(C_out, C_in / g, *kernel)`` with any number (0 or more) of kernel axes.
    groups : int
        ``g``, dividing ``C_out``.

    Returns
    -------
    numpy.ndarray
        Same dtype, ``g`` times as many entries (all the new ones zero).

    Shape
    -----
    - Input: ``(C_out, C_in / g, *kernel)``; Output: ``(C_out, C_in, *kernel)``

    Examples
    --------
    >>> import numpy as np
    >>> w = np.arange(1, 5).reshape(4, 1)            # 4 filters of one input channel, 1x1, as a matrix
    >>> block_diagonal_weight(w, 2)                  # 2 groups: each reads 1 of the 2 input channels
    array([[1, 0],
           [2, 0],
           [0, 3],
           [0, 4]])
    >>> from convzoo.core import conv_general
    >>> rng = np.random.default_rng(0)
    >>> x, w = rng.normal(size=(6, 5, 5)), rng.normal(size=(4, 3, 3, 3))
    >>> np.allclose(conv_general(x, w, groups=2), conv_general(x, block_diagonal_weight(w, 2)))
    True
    """
    w = as_array(weight, "weight")
    if w.ndim < 2:
        raise ValueError(f"weight must have at least 2 dimensions (out_channels, in_channels/groups, *kernel), but "
                         f"got weight of size {fmt_shape(w.shape)}")
    g = check_int(groups, "groups", minimum=1)
    c_out, cg = w.shape[:2]
    if c_out % g:
        raise ValueError(f"out_channels must be divisible by groups, but got weight of size {fmt_shape(w.shape)} "
                         f"({c_out} out_channels) with groups={g}")
    og = c_out // g
    full = np.zeros((c_out, cg * g) + w.shape[2:], dtype=w.dtype)
    for j in range(g):
        full[j * og:(j + 1) * og, j * cg:(j + 1) * cg] = w[j * og:(j + 1) * og]
    return full


def channel_connectivity(groups, channels, shuffle=False):
    """Which input channels reach which output channels through a stack of grouped 1x1 layers.

    Layer ``l`` has ``groups[l]`` groups (:func:`group_mask`); with ``shuffle`` the channels are shuffled
    (:func:`channel_shuffle` with the groups of the layer just applied) between consecutive layers, as in
    a ShuffleNet unit. The result is the product of the layers' 0/1 matrices, clipped to 0/1: entry
    ``[o, i]`` is 1 when some path leads from input channel ``i`` to output channel ``o``. Without
    shuffle, stacked grouped layers stay block diagonal (each output sees only ``C / g`` inputs); with it,
    two layers already connect everything when ``g^2 <= C``.

    Parameters
    ----------
    groups : sequence of int
        Groups of each layer, first layer first.
    channels : int or sequence of int
        The width of every layer's input and output, or the ``len(groups) + 1`` widths
        ``C_0 (input), C_1, ..., C_L (output)``.
    shuffle : bool or sequence of bool
        Shuffle between every pair of consecutive layers, or per gap (``len(groups) - 1`` values).

    Returns
    -------
    numpy.ndarray of int64

    Shape
    -----
    - Output: ``(C_L, C_0)``

    Examples
    --------
    >>> channel_connectivity([2, 2], 4)                  # two grouped layers: still 2 separate blocks
    array([[1, 1, 0, 0],
           [1, 1, 0, 0],
           [0, 0, 1, 1],
           [0, 0, 1, 1]])
    >>> channel_connectivity([2, 2], 4, shuffle=True)    # shuffled: every output sees every input
    array([[1, 1, 1, 1],
           [1, 1, 1, 1],
           [1, 1, 1, 1],
           [1, 1, 1, 1]])
    """
    if isinstance(groups, (int, np.integer)) or not isinstance(groups, (Sequence, np.ndarray)):
        raise TypeError(f"groups must be a sequence of ints, one per layer, but got {groups!r}")
    gs = [check_int(g, "groups", minimum=1) for g in groups]
    if not gs:
        raise ValueError("groups must name at least one layer, but got an empty sequence")
    n = len(gs)
    if isinstance(channels, (Sequence, np.ndarray)):
        widths = [check_int(c, "channels", minimum=1) for c in channels]
        if len(widths) != n + 1:
            raise ValueError(f"channels must be one int or {n + 1} widths (input, then the output of each of the "
                             f"{n} layers), but got {len(widths)}: {tuple(widths)!r}")
    else:
        widths = [check_int(channels, "channels", minimum=1)] * (n + 1)
    if isinstance(shuffle, (bool, np.bool_)):
        shuffles = [bool(shuffle)] * (n - 1)
    else:
        shuffles = [bool(s) for s in shuffle]
        if len(shuffles) != n - 1:
            raise ValueError(f"shuffle must be a bool or {n - 1} bools (one per gap between the {n} layers), "
                             f"but got {len(shuffles)}")
    for layer, (g, c_in, c_out) in enumerate(zip(gs, widths[:-1], widths[1:])):
        if c_in % g or c_out % g:
            raise ValueError(f"layer {layer} has groups={g}, which must divide its {c_in} input and {c_out} output "
                             f"channels")
    reach = np.eye(widths[0], dtype=np.int64)
    for layer, g in enumerate(gs):
        reach = np.minimum(group_mask(widths[layer + 1], widths[layer], g) @ reach, 1)
        if layer < n - 1 and shuffles[layer]:
            reach = reach[shuffle_permutation(widths[layer + 1], g)]
    return reach


def grouped_conv_by_split(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """A grouped convolution computed the way AlexNet ran it on two GPUs: split, convolve, concatenate.

    The input channels are cut into ``g`` consecutive slices of ``C_in / g`` and the filters into ``g``
    slices of ``C_out / g``; slice ``j`` of the input is convolved (an ordinary, ``groups=1`` call of
    :func:`convzoo.core.conv_general`) with slice ``j`` of the filters alone, and the ``g`` results are
    stacked along the channels. It equals ``conv_general(input, weight, groups=g)``, which does the same
    in one batched call; this version is the readable one.

    Parameters
    ----------
    input : array_like
        ``(N, C_in, *spatial)`` or unbatched ``(C_in, *spatial)``, 1, 2 or 3 spatial axes.
    weight : array_like
        ``(C_out, C_in / g, *kernel)``.
    bias : array_like, optional
        ``(C_out,)``.
    stride, padding, dilation
        As :func:`convzoo.core.conv_general`.
    groups : int
        ``g``, dividing ``C_in`` and ``C_out``.

    Returns
    -------
    numpy.ndarray
        The same array (and dtype) as ``conv_general(input, weight, bias, stride, padding, dilation, groups)``.

    Shape
    -----
    - Input: ``(N, C_in, *spatial)``; Weight: ``(C_out, C_in / g, *kernel)``; Output: ``(N, C_out, *out)``
    - Group ``j`` reads input channels ``j C_in / g ... (j + 1) C_in / g - 1`` and writes output channels
      ``j C_out / g ... (j + 1) C_out / g - 1``.

    Examples
    --------
    Two channels, two 1x1 filters, two groups: each filter scales only its own channel.

    >>> import numpy as np
    >>> x = np.array([[[1, 2]], [[10, 20]]])               # (C_in=2, H=1, W=2)
    >>> w = np.array([3, 5]).reshape(2, 1, 1, 1)            # (C_out=2, C_in/g=1, 1, 1)
    >>> grouped_conv_by_split(x, w, groups=2)
    array([[[  3,   6]],
    <BLANKLINE>
           [[ 50, 100]]])
    >>> from convzoo.core import conv_general
    >>> np.array_equal(grouped_conv_by_split(x, w, groups=2), conv_general(x, w, groups=2))
    True
    """
    from .core import ConvSpec, conv_general

    as_array(input, "input", func="grouped_conv_by_split", nonempty=True)
    spec = ConvSpec(input, weight, bias, stride, padding, dilation, groups, 1, func="grouped_conv_by_split")
    x, w, g = spec.x, spec.w, spec.groups          # x is batched here
    cg, og = w.shape[1], w.shape[0] // g
    pieces = []
    for j in range(g):
        b = None if spec.bias is None else spec.bias[j * og:(j + 1) * og]
        pieces.append(conv_general(x[:, j * cg:(j + 1) * cg], w[j * og:(j + 1) * og], b, stride=stride,
                                   padding=padding, dilation=dilation))
    y = np.concatenate(pieces, axis=1).astype(spec.dtype, copy=False)
    return y[0] if spec.unbatched else y
