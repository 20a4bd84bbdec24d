"""Transposed convolution and the explicit convolution matrix (chapter 6).

A transposed convolution is the core op run on the input spread apart by ``stride`` (``stride - 1`` zeros
between pixels), padded by ``d(k - 1) - p`` on each side (plus ``output_padding`` after), with each kernel
flipped and the in/out channel axes of the weight swapped. It is the *adjoint* (matrix transpose) of the
convolution with the same arguments, not its inverse.

That definition is how the result is *checked* (the tests compare with it), not how it is computed: run
densely, it would spend ``stride^nd`` times the real work multiplying inserted zeros. Instead, with
stride 1 it is exactly that (zero-free) convolution; when the kernel splits evenly into ``stride^nd``
phases (e.g. 4x4 stride 2) it is one ordinary convolution with the phases as extra output channels,
followed by a pixel shuffle (the sub-pixel form); otherwise a scatter: one matmul gives every input
pixel's stamp, and ``k^nd`` strided adds place the stamps (col2im).
"""
from __future__ import annotations

import itertools

import numpy as np

from . import core
from ._args import as_array, fmt_shape, ntuple, padding_pairs
from .core import ConvSpec, conv_general

__all__ = ["conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "conv_matrix"]


def _conv_transpose_nd(nd, func, input, weight, bias, stride, padding, output_padding, groups, dilation):
    x = as_array(input, "input", ndims=(nd + 1, nd + 2), func=func)
    w = as_array(weight, "weight")
    if w.ndim != nd + 2:
        raise ValueError(f"Expected {nd + 2}D weight (in_channels, out_channels/groups, *kernel) to {func}, "
                         f"but got weight of size {fmt_shape(w.shape)}")
    stride = ntuple(stride, nd, "stride")
    dilation = ntuple(dilation, nd, "dilation")
    if isinstance(padding, str):
        raise ValueError(f"padding={padding!r} is not supported for {func}: give the zeros to remove per side as "
                         f"an int or a tuple of {nd} ints (the output size is (i - 1)s - 2p + d(k - 1) + "
                         f"output_padding + 1)")
    pad = tuple(p for p, _ in padding_pairs(padding, nd))
    out_pad = ntuple(output_padding, nd, "output_padding", minimum=0)
    for op, s, d in zip(out_pad, stride, dilation):
        if op >= max(s, d):
            raise ValueError(f"output padding must be smaller than either stride or dilation, but got "
                             f"output_padding={out_pad}, stride={stride}, dilation={dilation}")
    if isinstance(groups, (bool, np.bool_)) or not isinstance(groups, (int, np.integer)):
        raise TypeError(f"groups must be an int, but got {groups!r}")
    if groups < 1:
        raise ValueError(f"non-positive groups is not supported, got groups={groups}")
    c_in = x.shape[-nd - 1]
    if w.shape[0] % groups:
        raise ValueError(f"in_channels must be divisible by groups, but got weight of size {fmt_shape(w.shape)} "
                         f"({w.shape[0]} in_channels) with groups={groups}")
    if c_in != w.shape[0]:
        raise ValueError(f"Given transposed=1, weight of size {fmt_shape(w.shape)}, expected input "
                         f"{fmt_shape(x.shape)} to have {w.shape[0]} channels, but got {c_in} channels instead")
    kernel = w.shape[2:]
    out = tuple((i - 1) * s - 2 * p + d * (k - 1) + op + 1
                for i, s, p, d, k, op in zip(x.shape[-nd:], stride, pad, dilation, kernel, out_pad))
    if any(o < 1 for o in out):
        raise ValueError(f"Given input size {fmt_shape(x.shape)}, weight {fmt_shape(w.shape)}, stride {stride}, "
                         f"padding {pad} and dilation {dilation}, the calculated output size {fmt_shape(out)} "
                         f"is too small: every size must be at least 1")
    # Validation (and dtype, bias, unbatched handling) is exactly that of the equivalent core op: the
    # input spread apart by ``stride`` and padded by d(k-1)-p, with flipped, transposed weights.
    # (C_in, C_out/g, *k) -> (C_out, C_in/g, *k): swap in/out inside each group, flip every kernel.
    c_out_g = w.shape[1]
    wt = w.reshape((groups, c_in // groups, c_out_g) + kernel).swapaxes(1, 2)
    wt = wt.reshape((groups * c_out_g, c_in // groups) + kernel)[(Ellipsis,) + (slice(None, None, -1),) * nd]
    pads = tuple((d * (k - 1) - p, d * (k - 1) - p + op) for d, k, p, op in zip(dilation, kernel, pad, out_pad))
    spec = ConvSpec(x, wt, bias, 1, pads, dilation, groups, stride)
    # ... but it is never computed as that dense convolution over mostly-zero input (stride^nd times the
    # work): with stride 1 there are no zeros, so it is that convolution; otherwise a sub-pixel convolution
    # when the kernel splits evenly into stride^nd phases, else a scatter. Each costs the real work only.
    xs, ws = spec.x.astype(spec.dtype, copy=False), w.astype(spec.dtype, copy=False)
    if all(st == 1 for st in stride):
        y = conv_general(xs, spec.w, None, 1, pads, dilation, groups)
    elif _subpixel_waste(kernel, stride, dilation) <= 1.25:
        y = _subpixel(xs, ws, groups, stride, dilation, pad, spec.out)
    else:
        y = _scatter(xs, ws, groups, stride, dilation, pad, spec.out)
    return spec.finish(y)


def _phases(kernel, stride, dilation):
    """Per axis: Q (sub-kernel length) and, for each tap a, its phase r and shift q: a*d = s*q + r."""
    Q = tuple(d * (k - 1) // s + 1 for k, s, d in zip(kernel, stride, dilation))
    return Q, [[divmod(a * d, s)[::-1] for a in range(k)] for k, s, d in zip(kernel, stride, dilation)]


def _subpixel_waste(kernel, stride, dilation) -> float:
    """Multiply-adds of the sub-pixel form over the real ones (1.0: no zero in the phase kernels)."""
    Q, _ = _phases(kernel, stride, dilation)
    return float(np.prod([s * q for s, q in zip(stride, Q)]) / np.prod(kernel))


def _subpixel(x: np.ndarray, w: np.ndarray, groups, stride, dilation, pad, out) -> np.ndarray:
    """The transposed convolution as one ordinary (stride 1) convolution and a pixel shuffle.

    Output pixel ``f = i * s + a * d`` of tap ``a``: write ``a * d = s * q + r``; then ``f = s * (i + q) + r``,
    so the output pixels of *phase* ``r`` (``f mod s = r``) form a stride-1 correlation of the input with
    the taps of that phase, shifted by ``q``. Stacking the s^nd phases as extra output channels gives one
    convolution with a small kernel (``Q = d(k-1)//s + 1`` taps per axis) and ``s^nd * C_out`` channels,
    which runs on the fast im2col path (a large matmul); interleaving the phases (pixel shuffle) and
    cropping the padding gives the output. For ``k = 2s`` (e.g. 4x4 stride 2) no phase kernel has a zero.
    """
    nd = x.ndim - 2
    n, c_in = x.shape[:2]
    g, og = groups, w.shape[1]
    cg, kernel = c_in // g, w.shape[2:]
    Q, taps = _phases(kernel, stride, dilation)
    S = int(np.prod(stride))
    # V: (g, *s, og, Cg, *Q); tap a of w goes to phase r, at position Q-1-q (correlation reads x[J - q]).
    v = np.zeros((g,) + tuple(stride) + (og, cg) + Q, dtype=x.dtype)
    wg = w.reshape((g, cg, og) + kernel).swapaxes(1, 2)               # (g, og, Cg, *k)
    for a in itertools.product(*(range(k) for k in kernel)):
        r = tuple(taps[j][a[j]][0] for j in range(nd))
        u = tuple(Q[j] - 1 - taps[j][a[j]][1] for j in range(nd))
        v[(slice(None),) + r + (slice(None), slice(None)) + u] = wg[(Ellipsis,) + a]
    y = conv_general(x, v.reshape((g * S * og, cg) + Q), None, 1, tuple((q - 1, q - 1) for q in Q), 1, g)
    J = y.shape[2:]                                                   # I + Q - 1 per axis
    # Pixel shuffle, channels last (the conv's output is channels-last in memory, so runs of og stay whole):
    # (N, *J, g, *s, og) -> (N, J_0, s_0, J_1, s_1, ..., g, og) -> (N, J_0 * s_0, ..., C_out)
    y = np.moveaxis(y, 1, -1).reshape((n,) + J + (g,) + tuple(stride) + (og,))
    order = (0,) + tuple(i for j in range(nd) for i in (1 + j, 2 + nd + j)) + (1 + nd, 2 + 2 * nd)
    full = y.transpose(order).reshape((n,) + tuple(jj * st for jj, st in zip(J, stride)) + (g * og,))
    short = tuple(max(0, p + o - f) for p, o, f in zip(pad, out, full.shape[1:-1]))
    if any(short):                                                    # output_padding past the last pixel
        full = np.pad(full, ((0, 0),) + tuple((0, e) for e in short) + ((0, 0),))
    return np.moveaxis(full[(slice(None),) + tuple(slice(p, p + o) for p, o in zip(pad, out))], -1, 1)


def _scatter(x: np.ndarray, w: np.ndarray, groups, stride, dilation, pad, out) -> np.ndarray:
    """The transposed convolution as the scatter it is (col2im): one matmul, then k^nd shifted adds.

    Every input pixel stamps its channels' weighted kernels onto the output, ``stride`` apart:
    ``cols = x_pixels @ W`` gives, for each input pixel, the ``(*k, C_out)`` values it contributes, and
    tap ``t`` of all pixels lands on the output at ``i * stride + t * dilation - padding``: one strided
    slice, so k^nd vectorized adds place everything. This costs the convolution's real multiply-adds only,
    where the dense convolution over the zero-inserted input would spend ``stride^nd`` times more on zeros.

    ``x`` is ``(N, C_in, *in)``, ``w`` is ``(C_in, C_out/g, *k)`` (torch's layout); returns
    ``(N, C_out, *out)``. Work is chunked over (image, first input axis) so the ``cols`` buffer stays within
    ``core._CHUNK_BYTES`` (read at call time) whatever the batch size; groups are a batch axis of matmul.
    """
    nd = x.ndim - 2
    n, c_in = x.shape[:2]
    size, kernel = x.shape[2:], w.shape[2:]
    g, og = groups, w.shape[1]
    cg, taps = c_in // g, int(np.prod(kernel))
    # (C_in, og, *k) -> (g, Cg, *k, og) -> (g, Cg, taps * og): column block t holds tap t's (Cg, og) weights.
    wm = np.moveaxis(w.reshape((g, cg, og) + kernel), 2, -1).reshape(g, cg, taps * og)
    # The whole stamped output (no cropping yet), channels last; long enough for the crop [pad, pad + out).
    full = tuple(max((i - 1) * s + d * (k - 1) + 1, p + o)
                 for i, s, d, k, p, o in zip(size, stride, dilation, kernel, pad, out))
    acc = np.zeros((n,) + full + (g, og), dtype=x.dtype)
    xl = np.moveaxis(x, 1, -1)                                       # (N, *in, C_in) view
    inner = int(np.prod(size[1:], dtype=np.int64))                  # pixels per (image, first-axis row)
    tap_list = list(itertools.product(*(range(k) for k in kernel)))
    # budget per first-axis row: its cols and its gathered input pixels
    for n0, n1, i0, i1 in core._chunks(n, size[0], inner * (taps * g * og + c_in) * x.itemsize):
        xs = xl[n0:n1, i0:i1]                                        # (b, r, *in[1:], C_in) view
        m = (n1 - n0) * (i1 - i0) * inner
        lhs = xs.reshape(m, g, cg).transpose(1, 0, 2)                # (g, m, Cg): gathers the chunk's pixels
        cols = np.empty((m, g, taps, og), dtype=x.dtype)
        np.matmul(lhs, wm, out=cols.reshape(m, g, taps * og).transpose(1, 0, 2))
        cols = cols.reshape(xs.shape[:-1] + (g, taps, og))
        for t, tap in enumerate(tap_list):
            # input pixel i lands at i * stride + tap * dilation of the full output, on every axis
            lands = tuple(slice(a * d + i_first * s, a * d + (i_last - 1) * s + 1, s) for a, d, s, i_first, i_last
                          in zip(tap, dilation, stride, (i0,) + (0,) * (nd - 1), (i1,) + tuple(size[1:])))
            acc[(slice(n0, n1),) + lands] += cols[..., t, :]
        del lhs, cols                                                # before the next chunk's are made
    crop = tuple(slice(p, p + o) for p, o in zip(pad, out))
    y = acc[(slice(None),) + crop].reshape((n,) + tuple(out) + (g * og,))
    return np.moveaxis(y, -1, 1)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """1-D transposed convolution, as ``torch.nn.functional.conv_transpose1d``.

    Parameters
    ----------
    input : array_like
        ``(N, C_in, L)`` or ``(C_in, L)``.
    weight : array_like
        ``(C_in, C_out / groups, k)`` (note: in-channels first, as in torch).
    bias : array_like, optional
        ``(C_out,)``.
    stride, padding, output_padding, groups, dilation
        The arguments of the convolution this one transposes; ``output_padding`` (smaller than stride or
        dilation) adds to one side of the output to pick among the input sizes that convolve to the same size.

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C_in, L)``; Output: ``(N, C_out, L_out)``,
      ``L_out = (L - 1) s - 2p + d(k - 1) + output_padding + 1``

    Examples
    --------
    Each input value stamps a scaled copy of the kernel, ``stride`` apart; overlaps add up:

    >>> conv_transpose1d([[1, 10]], [[[1, 1, 1]]], stride=2)
    array([[ 1,  1, 11, 10, 10]])
    """
    return _conv_transpose_nd(1, "conv_transpose1d", input, weight, bias, stride, padding, output_padding,
                              groups, dilation)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """2-D transposed convolution ("deconvolution", learned upsampling), as ``torch.nn.functional.conv_transpose2d``.

    Parameters
    ----------
    input : array_like
        ``(N, C_in, H, W)`` or ``(C_in, H, W)``.
    weight : array_like
        ``(C_in, C_out / groups, kh, kw)``.
    bias, stride, padding, output_padding, groups, dilation
        As :func:`conv_transpose1d`, per axis.

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C_in, H, W)``; Output: ``(N, C_out, H_out, W_out)``,
      ``H_out = (H - 1) s - 2p + d(kh - 1) + output_padding + 1``, same for W.

    Examples
    --------
    A 2x2 input and a 3x3 kernel of ones with stride 2 give 5x5; the overlaps show as 2s and a 4:

    >>> import numpy as np
    >>> conv_transpose2d(np.ones((1, 1, 2, 2), dtype=int), np.ones((1, 1, 3, 3), dtype=int), stride=2)[0, 0]
    array([[1, 1, 2, 1, 1],
           [1, 1, 2, 1, 1],
           [2, 2, 4, 2, 2],
           [1, 1, 2, 1, 1],
           [1, 1, 2, 1, 1]])
    """
    return _conv_transpose_nd(2, "conv_transpose2d", input, weight, bias, stride, padding, output_padding,
                              groups, dilation)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """3-D transposed convolution, as ``torch.nn.functional.conv_transpose3d``.

    Parameters
    ----------
    input : array_like
        ``(N, C_in, D, H, W)`` or ``(C_in, D, H, W)``.
    weight : array_like
        ``(C_in, C_out / groups, kd, kh, kw)``.
    bias, stride, padding, output_padding, groups, dilation
        As :func:`conv_transpose1d`, per axis.

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C_in, D, H, W)``; Output: ``(N, C_out, D_out, H_out, W_out)``, each axis as in 1-D.

    Examples
    --------
    >>> import numpy as np
    >>> conv_transpose3d(np.ones((1, 2, 2, 2, 2)), np.ones((2, 3, 3, 3, 3)), stride=2).shape
    (1, 3, 5, 5, 5)
    """
    return _conv_transpose_nd(3, "conv_transpose3d", input, weight, bias, stride, padding, output_padding,
                              groups, dilation)


def conv_matrix(kernel, input_shape, stride=1, padding=0, dilation=1):
    """The matrix ``C`` of a single-channel 2-D convolution: ``C @ x.ravel() == conv2d(x, kernel).ravel()``.

    Row ``r`` belongs to output pixel ``r`` (row-major) and holds the kernel's weights at the columns of the
    input pixels that its window covers. ``C.T @ y.ravel()`` is the transposed convolution of ``y`` (with
    the same stride, padding, dilation), which is why it is called *transposed*.

    Parameters
    ----------
    kernel : array_like
        ``(kh, kw)``.
    input_shape : tuple of int
        ``(H, W)``.
    stride, padding, dilation : int or tuple
        As :func:`convzoo.conv.conv2d` (symmetric padding).

    Returns
    -------
    numpy.ndarray
        ``(H_out * W_out, H * W)``.

    Shape
    -----
    - Kernel: ``(kh, kw)``; Output: ``(H_out * W_out, H * W)``

    Examples
    --------
    The 3x3 kernel on a 4x4 input of the guide to convolution arithmetic gives a 4x16 matrix:

    >>> C = conv_matrix([[1, 2, 3], [4, 5, 6], [7, 8, 9]], (4, 4))
    >>> C.shape
    (4, 16)
    >>> C[0]
    array([1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 0, 0, 0, 0])
    """
    k = as_array(kernel, "kernel", ndims=(2,), func="conv_matrix")
    h, w = ntuple(tuple(input_shape), 2, "input_shape")
    s = ntuple(stride, 2, "stride")
    d = ntuple(dilation, 2, "dilation")
    p = tuple(a for a, _ in padding_pairs(padding, 2))
    # conv2d does every size check and gives the output size
    out_h, out_w = conv2d_shape = conv_general(np.zeros((1, 1, h, w)), k[None, None].astype(float),
                                               stride=s, padding=p, dilation=d).shape[2:]
    C = np.zeros((out_h * out_w, h * w), dtype=np.result_type(k.dtype, np.int64) if k.dtype.kind in "iu" else k.dtype)
    for row, (i, j) in enumerate(np.ndindex(*conv2d_shape)):
        for a, b in np.ndindex(*k.shape):
            y, x = i * s[0] - p[0] + a * d[0], j * s[1] - p[1] + b * d[1]
            if 0 <= y < h and 0 <= x < w:  # taps in the padding meet zeros: no column
                C[row, y * w + x] = k[a, b]
    return C
