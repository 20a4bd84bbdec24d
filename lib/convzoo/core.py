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
_CHUNK_BYTES = 2 << 20


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
        if any(s < 1 for s in x.shape):
            raise ValueError(f"input must have no zero-size dimension (batch, channel or spatial), but got input "
                             f"of size {fmt_shape(x.shape)}")
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
    x = spec.x.astype(spec.dtype, copy=False)
    w = spec.w.astype(spec.dtype, copy=False)
    if w.shape[1] == 1:
        y = _conv_tapwise(x, w, spec)
    elif all(k == 1 for k in spec.kernel):
        y = _conv_pointwise(x, w, spec)
    else:
        y = _conv_im2col(x, w, spec)
    return spec.finish(y)


# ---- how the fast path is fast --------------------------------------------------------------------
# 1. One matrix multiply does the arithmetic (numpy hands it to BLAS, which runs at the machine's peak):
#    every output pixel is a row of the "patch matrix" (im2col) times the weight matrix.
# 2. Channels last: in an (N, *spatial, C) array a window's (kw, C) values are one contiguous run of
#    memory, so building the patch matrix is a few long copies per row instead of k^2 * C tiny ones.
# 3. Strided views: every window is a view of the padded input (np.lib.stride_tricks.as_strided); the
#    only copy is the patch matrix itself.
# 4. Chunks: the patch matrix is built a few rows at a time (_CHUNK_BYTES), so it is still in the cache
#    when the matrix multiply reads it, and memory stays bounded whatever the batch size; the multiply
#    writes straight into the output (``out=``), no intermediate.
# 5. Groups are a batch axis of np.matmul (one call for all groups), never a Python loop over groups.
# 6. 1x1 kernels need no patches at all (pure matmul); depthwise kernels (one input channel per group)
#    would make a patch matrix k^2 times the input only to multiply it by a vector, so they
#    multiply-accumulate k^2 shifted views instead, a cache-sized block of channels at a time.


def _pad_channels_last(x: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """``(N, C, *spatial)`` -> ``(g, N, *padded, C/g)``: zeros inserted (input_dilation) and padding added.

    Channels last, and each group's channels a block of their own (groups first), so that a window of one
    group is long contiguous runs of memory. Negative padding crops. One allocation and one strided
    assignment: the transpose, the zero insertion and the padding all happen in that single pass.
    """
    n, c = x.shape[:2]
    g = spec.groups
    xp = np.zeros((g, n) + spec.padded + (c // g,), dtype=x.dtype)
    src, dst = _interior(x.shape[2:], spec)
    xs = x.reshape((n, g, c // g) + x.shape[2:])[(slice(None),) * 3 + src]   # split C into (g, C/g): a view
    xp[(slice(None), slice(None)) + dst + (slice(None),)] = np.moveaxis(xs, (1, 2), (0, -1))
    return xp


def _interior(size, spec: ConvSpec):
    """Where the input lands in the padded array: (source slices, destination slices), one per axis.

    The input pixel ``i`` sits at ``i * D + before`` of the padded axis (``D`` the input dilation); pixels
    that negative padding pushes outside are dropped from the source.
    """
    src, dst = [], []
    for L, D, (a, _), P in zip(size, spec.input_dilation, spec.padding, spec.padded):
        first = 0 if a >= 0 else -(a // D)                      # first pixel with i * D + a >= 0
        last = min(L - 1, (P - 1 - a) // D)                     # last pixel with i * D + a < P
        src.append(slice(first, last + 1))
        dst.append(slice(first * D + a, last * D + a + 1, D))
    return tuple(src), tuple(dst)


def _windows(xp: np.ndarray, spec, channels_last: bool) -> np.ndarray:
    """A strided *view* (no copy) of every kernel window.

    Shape ``(N, *out, *kernel, C)`` when ``channels_last`` (``xp`` is ``(N, *padded, C)``) else
    ``(N, C, *out, *kernel)`` (``xp`` is ``(N, C, *padded)``): moving one output step moves ``stride``
    pixels, moving one kernel tap moves ``dilation`` pixels. ``spec`` needs ``out``, ``kernel``, ``stride``
    and ``dilation``.
    """
    if channels_last:
        sp = xp.strides[1:-1]
        shape = (xp.shape[0],) + tuple(spec.out) + tuple(spec.kernel) + (xp.shape[-1],)
        strides = ((xp.strides[0],) + tuple(s * st for s, st in zip(sp, spec.stride))
                   + tuple(s * d for s, d in zip(sp, spec.dilation)) + (xp.strides[-1],))
    else:
        sp = xp.strides[2:]
        shape = xp.shape[:2] + tuple(spec.out) + tuple(spec.kernel)
        strides = (xp.strides[:2] + tuple(s * st for s, st in zip(sp, spec.stride))
                   + tuple(s * d for s, d in zip(sp, spec.dilation)))
    return np.lib.stride_tricks.as_strided(xp, shape, strides, writeable=False)


def _conv_im2col(x: np.ndarray, w: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """Dense and grouped layers: channels-last im2col, one (batched over groups) matmul per chunk.

    Rows of the patch matrix are output pixels, chunked over (image, first output axis); each chunk's
    patch matrix ``(g, m, taps * Cg)`` is the one copy, and ``np.matmul`` writes its product straight
    into the channels-last output through a view, ``out=``.
    """
    g = spec.groups
    n = x.shape[0]
    c_out, cg = w.shape[:2]
    og = c_out // g
    taps = int(np.prod(spec.kernel))
    # (C_out, Cg, *k) -> (g, *k, Cg, og) -> (g, taps*Cg, og), matching the patch layout (*k, Cg).
    wm = np.moveaxis(w.reshape((g, og, cg) + spec.kernel), (1, 2), (-1, -2)).reshape(g, taps * cg, og)
    xp = _pad_channels_last(x, spec)                                         # (g, N, *padded, Cg)
    win = _windows(xp.reshape((g * n,) + xp.shape[2:]), spec, channels_last=True)
    win = win.reshape((g, n) + win.shape[1:])                                # (g, N, *out, *k, Cg) view
    inner = int(np.prod(spec.out[1:], dtype=np.int64))                       # output pixels per row
    y = np.empty((n * spec.out[0] * inner, g, og), dtype=x.dtype)            # channels last: (pixels, C_out)
    # Two patch buffers, used in turn, each half the chunk budget (so memory stays within it). Writing a
    # chunk into the buffer BLAS's other thread has just read costs cross-core cache traffic; writing into
    # the other one does not: 2 cores, conv3d 3x3x3 38 -> 27 ms, 7x7/2 first layer 22 -> 20 ms, the ResNet
    # 3x3 unchanged. (Copying one chunk on two threads lost: a chunk copies in ~0.1 ms, about the cost of
    # a thread hand-off, and BLAS's threads still spin on the other core just after each matmul.)
    bufs = []
    for i, (n0, n1, r0, r1) in enumerate(_chunks(n, spec.out[0], 2 * inner * taps * g * cg * x.itemsize)):
        patches = win[:, n0:n1, r0:r1]                                       # (g, b, r, *out[1:], *k, Cg) view
        m = (n1 - n0) * (r1 - r0) * inner                                   # output pixels in this chunk
        if len(bufs) < 2:                                                    # no chunk outgrows the first
            bufs.append(np.empty(bufs[0].size if bufs else g * m * taps * cg, dtype=x.dtype))
        pm = bufs[i % 2][:g * m * taps * cg].reshape(g, m, taps * cg)        # contiguous: BLAS reads it as is
        np.copyto(pm.reshape(patches.shape), patches)                        # the one copy
        start = (n0 * spec.out[0] + r0) * inner
        np.matmul(pm, wm, out=y[start:start + m].transpose(1, 0, 2))
    return np.moveaxis(y.reshape((n,) + spec.out + (c_out,)), -1, 1)


def _chunks(n: int, length: int, row_bytes: int):
    """Blocks ``(n0, n1, r0, r1)`` of (images, rows of the first axis) whose work takes <= ``_CHUNK_BYTES``.

    A block is either a few whole images or a band of rows of one image, so that its rows are one
    contiguous run of a ``(N, length, ...)`` array. At least one row per block, whatever the budget.
    """
    rows = max(1, _CHUNK_BYTES // max(row_bytes, 1))
    if rows >= length:
        images = rows // length
        for n0 in range(0, n, images):
            yield n0, min(n, n0 + images), 0, length
    else:
        for n0 in range(n):
            for r0 in range(0, length, rows):
                yield n0, n0 + 1, r0, min(length, r0 + rows)


def _conv_pointwise(x: np.ndarray, w: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """1x1 kernels: no patches at all, one matrix multiply (batched over groups) over every pixel.

    The input stays channels-first: ``(Cg, pixels)`` of each image and group is already a matrix, so the
    product is ``W_g @ x_g`` with no copy of the input (padding and stride only take a strided subsample).
    """
    g = spec.groups
    n = x.shape[0]
    c_out, cg = w.shape[:2]
    if any(D > 1 or a or b for D, (a, b) in zip(spec.input_dilation, spec.padding)):
        xp = np.zeros(x.shape[:2] + spec.padded, dtype=x.dtype)
        src, dst = _interior(x.shape[2:], spec)
        xp[(slice(None), slice(None)) + dst] = x[(slice(None), slice(None)) + src]
    else:
        xp = x
    sub = xp[(slice(None), slice(None)) + tuple(slice(0, o * s, s) for o, s in zip(spec.out, spec.stride))]
    pix = int(np.prod(spec.out))
    xs = sub.reshape(n, g, cg, pix)
    wm = w.reshape(g, c_out // g, cg)
    return np.matmul(wm, xs).reshape((n, c_out) + spec.out)


def _conv_tapwise(x: np.ndarray, w: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """One input channel per group (depthwise, with any depth multiplier): multiply-accumulate tap by tap.

    im2col would copy the input k^2 times only to multiply it by a vector. Instead, for a block of
    channel planes small enough to stay in the cache (``_CHUNK_BYTES``), the block is padded into a
    reused buffer and the k^2 shifted views of it, each scaled per channel, are summed into the output
    (``out=`` buffers, no temporaries): the input is read from memory once, with no Python loop over
    channels.
    """
    g = spec.groups
    n = x.shape[0]
    c_out = w.shape[0]
    m = c_out // g                                                    # depth multiplier
    planes = x.reshape((n * g,) + x.shape[2:])                        # one plane per (image, channel)
    wt = w.reshape((g, m) + spec.kernel)
    y = np.empty((n * g, m) + spec.out, dtype=x.dtype)
    plane_bytes = (int(np.prod(spec.padded)) + 2 * m * int(np.prod(spec.out))) * x.itemsize
    step = max(1, min(n * g, _CHUNK_BYTES // plane_bytes))
    buf = np.zeros((step,) + spec.padded, dtype=x.dtype)             # padding stays zero across chunks
    tmp = np.empty((step, m) + spec.out, dtype=x.dtype)
    src, dst = _interior(x.shape[2:], spec)
    taps = list(itertools.product(*(range(k) for k in spec.kernel)))
    everything = (slice(None),) * spec.nd
    for p0 in range(0, n * g, step):
        p1 = min(n * g, p0 + step)
        c = p1 - p0
        xb = buf[:c]
        xb[(slice(None),) + dst] = planes[(slice(p0, p1),) + src]
        win = _windows(xb[:, None], spec, channels_last=False)[:, 0]  # (c, *out, *k) view
        wc = wt[np.arange(p0, p1) % g]                                   # (c, m, *k): each plane's filters
        wc = wc.reshape((c, m) + (1,) * spec.nd + spec.kernel)
        acc, t = y[p0:p1], tmp[:c]
        for i, tap in enumerate(taps):
            view = win[(slice(None),) + everything + tap][:, None]       # (c, 1, *out)
            np.multiply(view, wc[(Ellipsis,) + tap], out=acc if i == 0 else t)
            if i:
                np.add(acc, t, out=acc)
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
