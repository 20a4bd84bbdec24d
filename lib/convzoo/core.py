"""The one convolution op of the curriculum, and its loop twin.

Every convolution in the twelve chapters is :func:`conv_general` with a different choice of arguments:

=====================  ==========================================================================
ordinary conv1d/2d/3d  ``stride``, ``padding``
dilated (atrous)       ``dilation`` > 1 (gaps between kernel taps)
grouped                ``groups`` = g
depthwise              ``groups`` = number of input channels
transposed             ``input_dilation`` = stride (zeros between input pixels), flipped and
                       transposed weights, padding ``d(k-1) - p`` (see :mod:`convzoo.transpose`)
=====================  ==========================================================================

Like the layers of deep-learning frameworks, it computes a *cross-correlation* (the kernel is not
flipped); :func:`convzoo.signal.convolve` is the textbook convolution.

:func:`conv_general_naive` is the same operation written as the plain loops of a textbook. It is slow on
purpose: it is what the chapters read, and it is the oracle the tests compare the fast path with.
"""
from __future__ import annotations

import itertools

import numpy as np

from ._args import accum_dtype, as_array, fmt_shape, ntuple, padding_pairs

__all__ = ["conv_general", "conv_general_naive", "ConvSpec"]

# Bytes of im2col patch matrix built at a time: big enough for one efficient matrix multiply,
# small enough to stay in the last-level cache and to keep memory bounded whatever the batch size.
_CHUNK_BYTES = 4 << 20


class ConvSpec:
    """Validated geometry of one call: shapes, per-axis stride/dilation, per-side padding, output size.

    Both twins build one, so they accept and refuse exactly the same inputs with the same messages.
    """

    def __init__(self, x, w, bias, stride, padding, dilation, groups, input_dilation, func="conv_general"):
        w = as_array(w, "weight")
        if w.ndim not in (3, 4, 5):
            raise ValueError(
                f"weight must have 3, 4 or 5 dimensions (out_channels, in_channels/groups, *kernel) for 1, 2 "
                f"or 3 spatial dimensions, but got weight of size {fmt_shape(w.shape)}"
            )
        nd = w.ndim - 2
        x = as_array(x, "input", ndims=(nd + 1, nd + 2), func=func)
        self.unbatched = x.ndim == nd + 1
        if self.unbatched:
            x = x[None]
        if isinstance(groups, (bool, np.bool_)) or not isinstance(groups, (int, np.integer)):
            raise TypeError(f"groups must be an int, but got {groups!r}")
        groups = int(groups)
        if groups < 1:
            raise ValueError(f"non-positive groups is not supported, got groups={groups}")
        n, c_in = x.shape[:2]
        c_out, c_per_group = w.shape[:2]
        kernel = w.shape[2:]
        if any(k < 1 for k in kernel) or c_out < 1 or c_per_group < 1:
            raise ValueError(f"weight must have no zero-size dimension, but got weight of size {fmt_shape(w.shape)}")
        if c_out % groups:
            raise ValueError(
                f"out_channels must be divisible by groups, but got weight of size {fmt_shape(w.shape)} "
                f"({c_out} out_channels) with groups={groups}"
            )
        if c_in != c_per_group * groups:
            raise ValueError(
                f"Given groups={groups}, weight of size {fmt_shape(w.shape)}, expected input "
                f"{fmt_shape(x.shape)} to have {c_per_group * groups} channels, but got {c_in} channels instead"
            )
        if any(s < 1 for s in x.shape[1:]):
            raise ValueError(f"input must have no zero-size channel or spatial dimension, got {fmt_shape(x.shape)}")
        self.stride = ntuple(stride, nd, "stride")
        self.dilation = ntuple(dilation, nd, "dilation")
        self.input_dilation = ntuple(input_dilation, nd, "input_dilation")
        self.padding = padding_pairs(padding, nd, kernel=kernel, dilation=self.dilation, stride=self.stride,
                                     allow_negative=True)
        if bias is not None:
            bias = as_array(bias, "bias")
            if bias.shape != (c_out,):
                raise ValueError(
                    f"bias must have shape ({c_out},) (one value per output channel), but got {fmt_shape(bias.shape)}"
                )
        # Size of the input after inserting input_dilation-1 zeros between pixels and padding.
        self.dilated = tuple((i - 1) * D + 1 for i, D in zip(x.shape[2:], self.input_dilation))
        self.padded = tuple(i + a + b for i, (a, b) in zip(self.dilated, self.padding))
        self.span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, self.dilation))
        if any(p < e for p, e in zip(self.padded, self.span)):
            raise ValueError(
                f"Calculated padded input size per channel: {fmt_shape(self.padded)}. Kernel size: "
                f"{fmt_shape(self.span)}. Kernel size can't be greater than actual input size "
                f"(input {fmt_shape(x.shape)}, weight {fmt_shape(w.shape)}, padding {self.padding}, "
                f"dilation {self.dilation})"
            )
        self.out = tuple((p - e) // s + 1 for p, e, s in zip(self.padded, self.span, self.stride))
        self.x, self.w, self.bias = x, w, bias
        self.nd, self.groups, self.kernel = nd, groups, tuple(kernel)
        self.dtype = accum_dtype(x, w) if bias is None else accum_dtype(x, w, bias)

    def finish(self, y: np.ndarray) -> np.ndarray:
        """Add the bias and drop the batch axis of an unbatched call."""
        if self.bias is not None:
            y = y + self.bias.astype(self.dtype).reshape((-1,) + (1,) * self.nd)
        y = y.astype(self.dtype, copy=False)
        return y[0] if self.unbatched else y


def conv_general(x, w, bias=None, stride=1, padding=0, dilation=1, groups=1, input_dilation=1):
    """N-d cross-correlation (a deep-learning "convolution") for 1, 2 or 3 spatial dimensions.

    Parameters
    ----------
    x : array_like
        Input, ``(N, C_in, *spatial)`` or unbatched ``(C_in, *spatial)``.
    w : array_like
        Weight, ``(C_out, C_in / groups, *kernel)``; its number of dimensions sets 1, 2 or 3-D.
    bias : array_like, optional
        ``(C_out,)``, added to every output position of its channel.
    stride : int or tuple
        Step of the window along each spatial axis.
    padding : int, tuple, tuple of (before, after) pairs, 'valid' or 'same'
        Zeros added around the (input-dilated) input. Negative values crop, as in
        ``jax.lax.conv_general_dilated`` (the transposed convolution needs this when ``p > d(k-1)``).
    dilation : int or tuple
        Spacing between kernel taps (atrous convolution); 1 is ordinary.
    groups : int
        Number of channel groups; input channel group ``j`` only meets output channel group ``j``.
    input_dilation : int or tuple
        Spacing between input pixels: ``D - 1`` zeros are inserted between neighbours (this is what a
        transposed convolution with stride ``D`` does).

    Returns
    -------
    numpy.ndarray
        Same dtype as the inputs (int64 for integer inputs, computed exactly).

    Shape
    -----
    - Input: ``(N, C_in, L_1, ..., L_n)`` or ``(C_in, L_1, ..., L_n)``
    - Weight: ``(C_out, C_in / groups, k_1, ..., k_n)``
    - Output: ``(N, C_out, O_1, ..., O_n)`` with
      ``O_j = floor((D_j (L_j - 1) + 1 + p_before + p_after - d_j (k_j - 1) - 1) / s_j) + 1``

    Examples
    --------
    The worked example of Dumoulin & Visin's guide to convolution arithmetic:

    >>> x = [[[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]]]
    >>> w = [[[[0, 1, 2], [2, 2, 0], [0, 1, 2]]]]
    >>> conv_general(x, w)
    array([[[12, 12, 17],
            [10, 17, 19],
            [ 9,  6, 14]]])
    """
    spec = ConvSpec(x, w, bias, stride, padding, dilation, groups, input_dilation)
    xp = _dilate_and_pad(spec.x.astype(spec.dtype, copy=False), spec.input_dilation, spec.padding)
    w = spec.w.astype(spec.dtype, copy=False)
    if w.shape[1] == 1:
        y = _conv_tapwise(xp, w, spec)
    elif all(k == 1 for k in spec.kernel):
        y = _conv_pointwise(xp, w, spec)
    else:
        y = _conv_im2col(xp, w, spec)
    return spec.finish(y)


def _dilate_and_pad(x: np.ndarray, input_dilation, padding) -> np.ndarray:
    """Insert ``D - 1`` zeros between input pixels, then pad (negative padding crops)."""
    if any(D > 1 for D in input_dilation):
        shape = x.shape[:2] + tuple((i - 1) * D + 1 for i, D in zip(x.shape[2:], input_dilation))
        z = np.zeros(shape, dtype=x.dtype)
        z[(slice(None), slice(None)) + tuple(slice(None, None, D) for D in input_dilation)] = x
        x = z
    if all(a == 0 and b == 0 for a, b in padding):
        return x
    crop = tuple(slice(max(-a, 0), x.shape[2 + j] - max(-b, 0)) for j, (a, b) in enumerate(padding))
    x = x[(slice(None), slice(None)) + crop]
    pad = ((0, 0), (0, 0)) + tuple((max(a, 0), max(b, 0)) for a, b in padding)
    return np.pad(x, pad) if any(a or b for a, b in pad) else x


def _windows(xp: np.ndarray, spec: ConvSpec, channels_last: bool) -> np.ndarray:
    """A strided *view* (no copy) of every kernel window.

    Shape ``(N, *out, *kernel, C)`` when ``channels_last`` else ``(N, C, *out, *kernel)``: moving one output
    step moves ``stride`` pixels, moving one kernel tap moves ``dilation`` pixels.
    """
    if channels_last:
        xp = np.ascontiguousarray(np.moveaxis(xp, 1, -1))
        sp = xp.strides[1:-1]
        shape = (xp.shape[0],) + spec.out + spec.kernel + (xp.shape[-1],)
        strides = ((xp.strides[0],) + tuple(s * st for s, st in zip(sp, spec.stride))
                   + tuple(s * d for s, d in zip(sp, spec.dilation)) + (xp.strides[-1],))
    else:
        sp = xp.strides[2:]
        shape = xp.shape[:2] + spec.out + spec.kernel
        strides = (xp.strides[:2] + tuple(s * st for s, st in zip(sp, spec.stride))
                   + tuple(s * d for s, d in zip(sp, spec.dilation)))
    return np.lib.stride_tricks.as_strided(xp, shape, strides, writeable=False)


def _conv_im2col(xp: np.ndarray, w: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """Dense and grouped layers: channels-last im2col, one (batched over groups) matmul per chunk.

    Channels-last makes each patch row ``(*kernel, C)`` read long contiguous runs of memory; the patch
    matrix is built a chunk of rows at a time (``_CHUNK_BYTES``) so memory stays bounded and the chunk
    stays in cache for the matmul. Groups are a leading batch axis of ``np.matmul``, not a Python loop.
    """
    g, nd = spec.groups, spec.nd
    n = xp.shape[0]
    c_out, cg = w.shape[:2]
    og = c_out // g
    taps = int(np.prod(spec.kernel))
    # (C_out, Cg, *k) -> (g, *k, Cg, og) -> (g, taps*Cg, og), matching the patch layout (*k, Cg).
    wm = np.moveaxis(w.reshape((g, og, cg) + spec.kernel), (1, 2), (-1, -2)).reshape(g, taps * cg, og)
    win = _windows(xp, spec, channels_last=True)                       # (N, *out, *k, C)
    win = win.reshape(win.shape[:-1] + (g, cg))                          # (N, *out, *k, g, Cg)
    win = np.moveaxis(win, -2, 0)                                        # (g, N, *out, *k, Cg)
    rows = n * spec.out[0]                                               # chunk over (N, first out axis)
    win = win.reshape((g, rows) + spec.out[1:] + spec.kernel + (cg,))
    per_row = int(np.prod(spec.out[1:], dtype=np.int64)) * taps * cg * g * xp.itemsize
    step = max(1, _CHUNK_BYTES // max(per_row, 1))
    inner = int(np.prod(spec.out[1:], dtype=np.int64))
    y = np.empty((rows * inner, c_out), dtype=xp.dtype)
    for r0 in range(0, rows, step):
        r1 = min(rows, r0 + step)
        patches = win[:, r0:r1].reshape(g, (r1 - r0) * inner, taps * cg)  # the one copy (im2col)
        out = np.matmul(patches, wm)                                        # (g, m, og)
        y[r0 * inner:r1 * inner] = np.moveaxis(out, 0, 1).reshape(-1, c_out)
    y = y.reshape((n,) + spec.out + (c_out,))
    return np.moveaxis(y, -1, 1)


def _conv_pointwise(xp: np.ndarray, w: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """1x1 kernels: a strided subsample, then one matrix multiply per group over all pixels."""
    g = spec.groups
    n = xp.shape[0]
    c_out, cg = w.shape[:2]
    sub = xp[(slice(None), slice(None)) + tuple(slice(0, o * s, s) for o, s in zip(spec.out, spec.stride))]
    pix = int(np.prod(spec.out))
    xs = sub.reshape(n, g, cg, pix)
    wm = w.reshape(g, c_out // g, cg)
    return np.matmul(wm, xs).reshape((n, c_out) + spec.out)


def _conv_tapwise(xp: np.ndarray, w: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """One input channel per group (depthwise, with any depth multiplier): multiply-accumulate tap by tap.

    im2col would copy the input k^2 times only to multiply it by a vector; summing the k^2 shifted
    views, each scaled per channel, touches the input k^2 times with no copy and no Python loop over
    channels.
    """
    g = spec.groups
    n = xp.shape[0]
    c_out = w.shape[0]
    m = c_out // g                                                    # depth multiplier
    win = _windows(xp, spec, channels_last=False)                      # (N, g, *out, *k)
    wt = w.reshape((g, m) + spec.kernel)
    y = np.zeros((n, g, m) + spec.out, dtype=xp.dtype)
    bshape = (1, g, m) + (1,) * spec.nd
    for tap in itertools.product(*(range(k) for k in spec.kernel)):
        xs = win[(slice(None), slice(None)) + (slice(None),) * spec.nd + tap]  # (N, g, *out) view
        y += xs[:, :, None] * wt[(slice(None), slice(None)) + tap].reshape(bshape)
    return y.reshape((n, c_out) + spec.out)


def conv_general_naive(x, w, bias=None, stride=1, padding=0, dilation=1, groups=1, input_dilation=1):
    """:func:`conv_general` written as the plain nested loops of a textbook.

    Nothing is padded or zero-filled: a tap that lands in the padding, or between two input pixels
    spread apart by ``input_dilation``, simply reads zero. Same arguments, checks and results as
    :func:`conv_general`; thousands of times slower.

    Shape
    -----
    As :func:`conv_general`.

    Examples
    --------
    >>> conv_general_naive([[1, 2, 3, 4]], [[[1, 0, -1]]])
    array([[-2, -2]])
    """
    spec = ConvSpec(x, w, bias, stride, padding, dilation, groups, input_dilation, func="conv_general_naive")
    x, w = spec.x, spec.w
    n_batch, c_in = x.shape[:2]
    c_out, cg = w.shape[:2]
    og = c_out // spec.groups
    in_size = x.shape[2:]
    y = np.zeros((n_batch, c_out) + spec.out, dtype=spec.dtype)
    for n in range(n_batch):
        for o in range(c_out):
            group = o // og                                    # which channel group this filter reads
            for pos in np.ndindex(*spec.out):                  # every output position
                total = 0
                for c in range(cg):                            # every input channel of the group
                    for tap in np.ndindex(*spec.kernel):       # every kernel tap
                        index = []
                        for j in range(spec.nd):
                            # coordinate in the zero-inserted, padded input ...
                            p = pos[j] * spec.stride[j] + tap[j] * spec.dilation[j] - spec.padding[j][0]
                            # ... is a real pixel only on the lattice of the original pixels
                            if p < 0 or p % spec.input_dilation[j]:
                                break
                            p //= spec.input_dilation[j]
                            if p >= in_size[j]:
                                break
                            index.append(p)
                        else:
                            total += x[(n, group * cg + c) + tuple(index)] * w[(o, c) + tap]
                y[(n, o) + pos] = total
    return spec.finish(y)
