"""Separable convolutions: depthwise, pointwise, depthwise-separable, spatially separable, flattened.

All of them are the core op with particular weights: depthwise is ``groups = C``; pointwise is a 1x1
kernel; a spatially separable kernel is an outer product ``v h^T`` run as a ``(k, 1)`` pass then a
``(1, k)`` pass; a flattened filter (Jin, Dundar & Culurciello 2014) is an outer product of three vectors
``l (x) v (x) h`` run as a 1x1 pass across channels, then a vertical and a horizontal pass.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._args import as_array, check_int, fmt_shape
from .core import conv_general

__all__ = [
    "depthwise_conv2d", "pointwise_conv2d", "separable_conv2d", "separable_equivalent_weight",
    "SeparableSplit", "separable_decompose",
    "SpatialSplit", "separate_kernel", "spatially_separable_conv2d",
    "FlatFilter", "flatten_filter", "rank1_filter", "flattened_conv2d",
]


def _input4(x, func):
    return as_array(x, "input", ndims=(3, 4), func=func, nonempty=True)


def _check_finite(a: np.ndarray, name: str, func: str) -> None:
    """The SVD-based fits need finite values (numpy's SVD of a NaN or inf does not converge)."""
    if not np.all(np.isfinite(a)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(a))[0])
        raise ValueError(f"{func}: {name} must be finite to be fitted, but {name}[{', '.join(map(str, bad))}] = "
                         f"{a[bad]} (of {name} of size {fmt_shape(a.shape)})")


def depthwise_conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, depth_multiplier=None):
    """Depthwise convolution: each input channel is filtered by its own ``depth_multiplier`` kernels.

    This is ``conv2d(..., groups=C)``; the ``m = depth_multiplier`` outputs of channel ``c`` are output
    channels ``c*m ... c*m + m - 1`` (torch's and Keras's order).

    Parameters
    ----------
    input : array_like
        ``(N, C, H, W)`` or ``(C, H, W)``.
    weight : array_like
        ``(C * m, 1, kh, kw)`` as torch stores it, or ``(C * m, kh, kw)``.
    bias : array_like, optional
        ``(C * m,)``.
    stride, padding, dilation
        As :func:`convzoo.conv.conv2d`.
    depth_multiplier : int, optional
        ``m``; inferred from the weight when omitted, checked against it when given.

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C, H, W)``; Weight: ``(C * m, 1, kh, kw)``; Output: ``(N, C * m, H_out, W_out)``

    Examples
    --------
    >>> import numpy as np
    >>> x = np.stack([np.ones((3, 3), dtype=int), 2 * np.ones((3, 3), dtype=int)])  # 2 channels
    >>> w = np.array([1, 10, 3, 30]).reshape(4, 1, 1, 1)                # m = 2 kernels per channel
    >>> depthwise_conv2d(x, w)[:, 0, 0]
    array([ 1, 10,  6, 60])
    """
    x = _input4(input, "depthwise_conv2d")
    w = as_array(weight, "weight", ndims=(3, 4), func="depthwise_conv2d")
    if w.ndim == 3:
        w = w[:, None]
    if w.shape[1] != 1:
        raise ValueError(f"a depthwise weight has one input channel per kernel: expected (C * m, 1, kh, kw), "
                         f"but got weight of size {fmt_shape(w.shape)}")
    c = x.shape[-3]
    if w.shape[0] % c:
        raise ValueError(f"depthwise weight of size {fmt_shape(w.shape)} does not fit input {fmt_shape(x.shape)}: "
                         f"its first size must be a multiple of the {c} input channels")
    if depth_multiplier is not None:
        m = check_int(depth_multiplier, "depth_multiplier", minimum=1)
        if w.shape[0] != c * m:
            raise ValueError(f"depth_multiplier={m} with {c} input channels needs {c * m} kernels, but got "
                             f"weight of size {fmt_shape(w.shape)}")
    return conv_general(x, w, bias, stride, padding, dilation, groups=c)


def pointwise_conv2d(input, weight, bias=None, groups=1):
    """Pointwise (1x1) convolution: at every pixel, a matrix times the vector of channels.

    Parameters
    ----------
    input : array_like
        ``(N, C_in, H, W)`` or ``(C_in, H, W)``.
    weight : array_like
        ``(C_out, C_in / groups)`` or ``(C_out, C_in / groups, 1, 1)``.
    bias : array_like, optional
        ``(C_out,)``.
    groups : int
        Grouped pointwise convolution (ShuffleNet) when > 1.

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C_in, H, W)``; Output: ``(N, C_out, H, W)``

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(8).reshape(2, 2, 2)          # 2 channels of 2x2
    >>> pointwise_conv2d(x, [[1, 1], [1, -1]])     # sum and difference of the channels
    array([[[ 4,  6],
            [ 8, 10]],
    <BLANKLINE>
           [[-4, -4],
            [-4, -4]]])
    """
    x = _input4(input, "pointwise_conv2d")
    w = as_array(weight, "weight", ndims=(2, 4), func="pointwise_conv2d")
    if w.ndim == 4 and w.shape[2:] != (1, 1):
        raise ValueError(f"a pointwise weight is 1x1, but got weight of size {fmt_shape(w.shape)}")
    return conv_general(x, w.reshape(w.shape[:2] + (1, 1)), bias, groups=groups)


def separable_conv2d(input, depthwise_weight, pointwise_weight, depthwise_bias=None, pointwise_bias=None,
                     stride=1, padding=0, dilation=1):
    """Depthwise-separable convolution (Xception, MobileNet): a depthwise pass, then a pointwise pass.

    Parameters
    ----------
    input : array_like
        ``(N, C, H, W)`` or ``(C, H, W)``.
    depthwise_weight : array_like
        ``(C * m, 1, kh, kw)``.
    pointwise_weight : array_like
        ``(C_out, C * m)`` or ``(C_out, C * m, 1, 1)``.
    depthwise_bias, pointwise_bias : array_like, optional
    stride, padding, dilation
        Of the depthwise pass.

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C, H, W)``; Output: ``(N, C_out, H_out, W_out)``

    Examples
    --------
    >>> import numpy as np
    >>> x = np.ones((3, 7, 7))
    >>> separable_conv2d(x, np.ones((3, 1, 5, 5)), np.ones((128, 3))).shape
    (128, 3, 3)
    """
    y = depthwise_conv2d(input, depthwise_weight, depthwise_bias, stride, padding, dilation)
    return pointwise_conv2d(y, pointwise_weight, pointwise_bias)


def separable_equivalent_weight(depthwise_weight, pointwise_weight, depth_multiplier=1):
    """The full ``(C_out, C, kh, kw)`` weight that does what a depthwise-separable pair does.

    ``W[o, c] = sum_j P[o, c*m + j] * D[c*m + j]``: with ``m = 1`` each input channel's slice ``W[:, c]`` is
    the outer product of a column of ``P`` and one kernel, a rank-1 matrix over (output channel, tap). A
    full convolution has no such limit, which is what depthwise separable gives up.

    Parameters
    ----------
    depthwise_weight : array_like
        ``(C * m, 1, kh, kw)``.
    pointwise_weight : array_like
        ``(C_out, C * m)`` or ``(C_out, C * m, 1, 1)``.
    depth_multiplier : int
        ``m`` (the weights alone cannot tell ``C`` from ``m``).

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Output: ``(C_out, C, kh, kw)``

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x, d, p = rng.normal(size=(3, 6, 6)), rng.normal(size=(3, 1, 3, 3)), rng.normal(size=(4, 3))
    >>> from convzoo.conv import conv2d
    >>> np.allclose(separable_conv2d(x, d, p), conv2d(x, separable_equivalent_weight(d, p)))
    True
    """
    d = as_array(depthwise_weight, "depthwise_weight", ndims=(4,), func="separable_equivalent_weight")
    p = as_array(pointwise_weight, "pointwise_weight", ndims=(2, 4), func="separable_equivalent_weight")
    m = check_int(depth_multiplier, "depth_multiplier", minimum=1)
    p = p.reshape(p.shape[:2])
    if p.shape[1] != d.shape[0] or d.shape[0] % m:
        raise ValueError(f"pointwise_weight {fmt_shape(p.shape)} must take the {d.shape[0]} channels that "
                         f"depthwise_weight {fmt_shape(d.shape)} makes, a multiple of depth_multiplier={m}")
    c = d.shape[0] // m
    return np.einsum("ocj,cjhw->ochw", p.reshape(p.shape[0], c, m), d.reshape((c, m) + d.shape[2:]))


class SeparableSplit(NamedTuple):
    """A full conv weight fitted by a depthwise-separable pair: ``approximation = separable_equivalent_weight(depthwise, pointwise, m)``."""

    depthwise: np.ndarray        #: (C * m, 1, kh, kw): the depthwise kernels (unit norm each)
    pointwise: np.ndarray        #: (C_out, C * m): the pointwise weights (carry the scale)
    singular_values: np.ndarray  #: (C, min(C_out, kh * kw)): per input channel, the singular values of W[:, c]
    approximation: np.ndarray    #: (C_out, C, kh, kw): the closest weight a separable pair can make
    relative_error: float        #: ||weight - approximation||_F / ||weight||_F


def separable_decompose(weight, depth_multiplier=1) -> SeparableSplit:
    """The depthwise-separable pair closest to a full ``(C_out, C, kh, kw)`` weight, and what it misses.

    A separable pair makes ``W[o, c] = sum_j P[o, c*m + j] D[c*m + j]``: for each input channel ``c`` the
    ``(C_out, kh*kw)`` matrix ``W[:, c]`` is a sum of ``m`` outer products (a column of ``P`` times a
    flattened kernel of ``D``), so its rank is at most ``m``. Conversely, every weight whose slices have rank
    at most ``m`` is made by some pair. The best pair in the Frobenius norm therefore keeps, channel by
    channel, the ``m`` largest singular values of ``W[:, c]`` (Eckart-Young), and the squared error is the sum
    of the squared singular values it drops.

    Parameters
    ----------
    weight : array_like
        ``(C_out, C, kh, kw)``, a full convolution's weight.
    depth_multiplier : int
        ``m``, at most ``min(C_out, kh * kw)``.

    Returns
    -------
    SeparableSplit

    Shape
    -----
    - weight ``(C_out, C, kh, kw)``; depthwise ``(C * m, 1, kh, kw)``; pointwise ``(C_out, C * m)``;
      singular_values ``(C, min(C_out, kh * kw))``

    Examples
    --------
    A weight made by a separable pair is recovered exactly; a random full weight is not:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> made = separable_equivalent_weight(rng.normal(size=(3, 1, 3, 3)), rng.normal(size=(4, 3)))
    >>> split = separable_decompose(made)
    >>> split.relative_error < 1e-12, np.allclose(separable_equivalent_weight(split.depthwise, split.pointwise), made)
    (True, True)
    >>> round(separable_decompose(rng.normal(size=(4, 3, 3, 3))).relative_error, 2) > 0.3
    True
    """
    w = as_array(weight, "weight", ndims=(4,), func="separable_decompose", nonempty=True).astype(float)
    _check_finite(w, "weight", "separable_decompose")
    m = check_int(depth_multiplier, "depth_multiplier", minimum=1)
    c_out, c, kh, kw = w.shape
    if m > min(c_out, kh * kw):
        raise ValueError(f"depth_multiplier must be at most min(C_out, kh * kw) = {min(c_out, kh * kw)} for a "
                         f"weight of size {fmt_shape(w.shape)}, but got depth_multiplier={m}")
    slices = np.moveaxis(w, 1, 0).reshape(c, c_out, kh * kw)      # W[:, c] as (C_out, kh*kw) matrices
    u, s, vt = np.linalg.svd(slices, full_matrices=False)          # batched over input channels
    kernels = vt[:, :m]                                            # (C, m, kh*kw), unit rows
    signs = np.where(kernels.sum(axis=2, keepdims=True) < 0, -1.0, 1.0)  # a readable sign: kernels sum >= 0
    kernels = kernels * signs
    mix = u[:, :, :m] * (s[:, None, :m] * signs[:, :, 0][:, None, :])    # (C, C_out, m)
    depthwise = kernels.reshape(c * m, 1, kh, kw)
    pointwise = np.moveaxis(mix, 1, 0).reshape(c_out, c * m)
    approx = separable_equivalent_weight(depthwise, pointwise, m)
    norm = np.linalg.norm(w)
    err = float(np.linalg.norm(w - approx) / norm) if norm > 0 else 0.0
    return SeparableSplit(depthwise, pointwise, s, approx, err)


# ---- spatially separable kernels ----------------------------------------------------------------------
class SpatialSplit(NamedTuple):
    """A 2-D kernel split into ``rank`` pairs of 1-D kernels: ``approximation = sum_i outer(vertical[i], horizontal[i])``."""

    vertical: np.ndarray          #: (rank, kh): the column kernels (run down the height)
    horizontal: np.ndarray        #: (rank, kw): the row kernels (run along the width)
    singular_values: np.ndarray   #: all of the kernel's singular values, largest first
    approximation: np.ndarray     #: (kh, kw): the best rank-``rank`` kernel (Eckart-Young)
    relative_error: float         #: ||kernel - approximation||_F / ||kernel||_F


def separate_kernel(kernel, rank=1) -> SpatialSplit:
    """Best rank-``r`` split of a 2-D kernel into vertical and horizontal 1-D kernels, by SVD.

    A kernel is *spatially separable* when its rank is 1 (an outer product, like Sobel's
    ``[1, 2, 1]^T [-1, 0, 1]``); then ``relative_error`` is 0 and two 1-D passes equal the 2-D pass. For
    other kernels the SVD gives the closest sum of ``r`` separable kernels in the Frobenius norm.

    Parameters
    ----------
    kernel : array_like
        ``(kh, kw)``.
    rank : int
        Number of separable terms to keep, ``1 <= rank <= min(kh, kw)``.

    Returns
    -------
    SpatialSplit

    Shape
    -----
    - kernel: ``(kh, kw)``; vertical: ``(rank, kh)``; horizontal: ``(rank, kw)``

    Examples
    --------
    >>> import numpy as np
    >>> sobel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    >>> split = separate_kernel(sobel)
    >>> round(split.relative_error, 12), np.allclose(split.approximation, sobel)
    (0.0, True)
    >>> np.round(split.vertical[0] / split.vertical[0][0], 6)   # proportional to [1, 2, 1]
    array([1., 2., 1.])
    """
    k = as_array(kernel, "kernel", ndims=(2,), func="separate_kernel", nonempty=True).astype(float)
    _check_finite(k, "kernel", "separate_kernel")
    r = check_int(rank, "rank", minimum=1)
    if r > min(k.shape):
        raise ValueError(f"rank must be at most min(kh, kw) = {min(k.shape)} for a kernel of size "
                         f"{fmt_shape(k.shape)}, but got rank={r}")
    u, s, vt = np.linalg.svd(k)
    root = np.sqrt(s[:r])
    vertical, horizontal = (u[:, :r] * root).T, vt[:r] * root[:, None]
    signs = np.where(vertical.sum(axis=1) < 0, -1.0, 1.0)[:, None]  # a readable sign: column kernels sum >= 0
    vertical, horizontal = vertical * signs, horizontal * signs
    approx = vertical.T @ horizontal
    total = np.sqrt(np.sum(s ** 2))
    err = float(np.sqrt(np.sum(s[r:] ** 2)) / total) if total > 0 else 0.0
    return SpatialSplit(vertical, horizontal, s, approx, err)


def _column_then_row(y, vertical, horizontal, stride, padding):
    """Per channel: a ``(kh, 1)`` pass down the height, then a ``(1, kw)`` pass along the width.

    ``vertical`` is ``(C, kh)`` and ``horizontal`` ``(C, kw)``; each pass strides and pads only its own axis,
    which gives exactly the 2-D pass with the outer-product kernel.
    """
    c = y.shape[1]
    (sh, sw), (ph, pw) = stride, padding
    y = conv_general(y, vertical.reshape(c, 1, -1, 1), stride=(sh, 1), padding=((ph, ph), (0, 0)), groups=c)
    return conv_general(y, horizontal.reshape(c, 1, 1, -1), stride=(1, sw), padding=((0, 0), (pw, pw)), groups=c)


def _stride_padding(stride, padding):
    from ._args import ntuple

    return ntuple(stride, 2, "stride"), ntuple(padding, 2, "padding", minimum=0)


def spatially_separable_conv2d(input, vertical, horizontal, stride=1, padding=0):
    """Filter every channel with the kernel ``sum_i outer(vertical[i], horizontal[i])`` as 1-D passes.

    For a ``k x k`` kernel this costs ``2k`` instead of ``k^2`` multiplications per output pixel (per
    term). With ``r`` terms (from :func:`separate_kernel`), the passes of each term are summed.

    Parameters
    ----------
    input : array_like
        ``(N, C, H, W)`` or ``(C, H, W)``.
    vertical : array_like
        ``(kh,)`` or ``(r, kh)``.
    horizontal : array_like
        ``(kw,)`` or ``(r, kw)``.
    stride, padding : int or tuple
        As for the 2-D kernel.

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C, H, W)``; Output: ``(N, C, H_out, W_out)`` (each channel filtered alone)

    Examples
    --------
    >>> import numpy as np
    >>> from convzoo.conv import conv2d
    >>> x = np.arange(25).reshape(1, 5, 5)
    >>> two_passes = spatially_separable_conv2d(x, [1, 2, 1], [-1, 0, 1])
    >>> one_pass = conv2d(x, np.outer([1, 2, 1], [-1, 0, 1])[None, None])
    >>> np.array_equal(two_passes, one_pass)
    True
    """
    x = _input4(input, "spatially_separable_conv2d")
    unbatched = x.ndim == 3
    x = x[None] if unbatched else x
    v = np.atleast_2d(as_array(vertical, "vertical", ndims=(1, 2), func="spatially_separable_conv2d"))
    h = np.atleast_2d(as_array(horizontal, "horizontal", ndims=(1, 2), func="spatially_separable_conv2d"))
    if v.shape[0] != h.shape[0]:
        raise ValueError(f"vertical {fmt_shape(v.shape)} and horizontal {fmt_shape(h.shape)} must hold the same "
                         f"number of terms")
    stride, padding = _stride_padding(stride, padding)
    c = x.shape[1]
    y = sum(_column_then_row(x, np.repeat(v[i][None], c, 0), np.repeat(h[i][None], c, 0), stride, padding)
            for i in range(v.shape[0]))
    return y[0] if unbatched else y


# ---- flattened filters ---------------------------------------------------------------------------
class FlatFilter(NamedTuple):
    """A ``C x kh x kw`` filter as three 1-D filters: ``approximation = lateral (x) vertical (x) horizontal``."""

    lateral: np.ndarray       #: (C,): across channels (carries the scale)
    vertical: np.ndarray      #: (kh,): unit norm
    horizontal: np.ndarray    #: (kw,): unit norm
    approximation: np.ndarray  #: (C, kh, kw): the rank-1 filter
    relative_error: float     #: ||filter - approximation||_F / ||filter||_F
    iterations: int           #: power-iteration sweeps used


def rank1_filter(lateral, vertical, horizontal):
    """The filter(s) ``w[c, i, j] = lateral[c] * vertical[i] * horizontal[j]`` (an outer product of three vectors).

    Shape
    -----
    - lateral ``(C,)``, vertical ``(kh,)``, horizontal ``(kw,)`` give ``(C, kh, kw)``; with a leading
      ``F`` on each (one per filter), ``(F, C, kh, kw)``, a conv2d weight.

    Examples
    --------
    >>> rank1_filter([1, 2], [1, -1], [1, 0, 3])
    array([[[ 1,  0,  3],
            [-1,  0, -3]],
    <BLANKLINE>
           [[ 2,  0,  6],
            [-2,  0, -6]]])
    """
    l = as_array(lateral, "lateral", ndims=(1, 2), func="rank1_filter")
    v = as_array(vertical, "vertical", ndims=(l.ndim,), func="rank1_filter")
    h = as_array(horizontal, "horizontal", ndims=(l.ndim,), func="rank1_filter")
    if l.ndim == 2 and not (l.shape[0] == v.shape[0] == h.shape[0]):
        raise ValueError(f"lateral {fmt_shape(l.shape)}, vertical {fmt_shape(v.shape)} and horizontal "
                         f"{fmt_shape(h.shape)} must have the same number of filters (first size)")
    return np.einsum("...c,...i,...j->...cij", l, v, h)


def flatten_filter(filter, max_iter=1000, tol=1e-12) -> FlatFilter:
    """A rank-1 approximation of a ``C x kh x kw`` filter by higher-order power iteration.

    Starting from the leading singular vectors of the filter's unfoldings (deterministic), each sweep fixes
    two of the three vectors and solves for the third in closed form (alternating least squares); the
    fit can only improve, and it stops when it no longer does by more than ``tol``. Unlike the matrix case
    (the SVD), this finds a *local* optimum: for some filters other starts reach a smaller error
    (:func:`convzoo.rank1_restarts` tries several; chapter 9 shows an example).

    Parameters
    ----------
    filter : array_like
        ``(C, kh, kw)``.
    max_iter : int
        Most sweeps.
    tol : float
        Stop when no entry of the three unit vectors moves by more than this in a sweep.

    Returns
    -------
    FlatFilter

    Shape
    -----
    - filter: ``(C, kh, kw)``; lateral ``(C,)``, vertical ``(kh,)``, horizontal ``(kw,)``

    Examples
    --------
    A filter that is an outer product is recovered exactly:

    >>> w = rank1_filter([1.0, -2.0, 0.5], [1.0, 2.0, 1.0], [1.0, 0.0, -1.0])
    >>> f = flatten_filter(w)
    >>> f.relative_error < 1e-12, np.allclose(f.approximation, w)
    (True, True)
    """
    w = as_array(filter, "filter", ndims=(3,), func="flatten_filter", nonempty=True).astype(float)
    _check_finite(w, "filter", "flatten_filter")
    max_iter = check_int(max_iter, "max_iter", minimum=1)

    def lead(unfolding):
        vec = np.linalg.svd(unfolding, full_matrices=False)[0][:, 0]
        return vec if vec.sum() >= 0 else -vec

    v = lead(np.moveaxis(w, 1, 0).reshape(w.shape[1], -1))
    h = lead(np.moveaxis(w, 2, 0).reshape(w.shape[2], -1))
    l = np.zeros(w.shape[0])
    scale, it = 0.0, 0
    for it in range(1, max_iter + 1):
        old = np.concatenate([l, v, h])
        l = np.einsum("cij,i,j->c", w, v, h)
        l /= np.linalg.norm(l) or 1.0
        v = np.einsum("cij,c,j->i", w, l, h)
        v /= np.linalg.norm(v) or 1.0
        h = np.einsum("cij,c,i->j", w, l, v)
        scale = np.linalg.norm(h)
        h /= scale or 1.0
        if np.max(np.abs(np.concatenate([l, v, h]) - old)) <= tol:
            break
    if v.sum() < 0:  # a readable sign convention; the product is unchanged
        v, l = -v, -l
    if h.sum() < 0:
        h, l = -h, -l
    lateral = l * scale
    approx = rank1_filter(lateral, v, h)
    norm = np.linalg.norm(w)
    err = float(np.linalg.norm(w - approx) / norm) if norm > 0 else 0.0
    return FlatFilter(lateral, v, h, approx, err, it)


def flattened_conv2d(input, lateral, vertical, horizontal, bias=None, stride=1, padding=0):
    """Flattened convolution: a 1x1 pass across channels, then a vertical and a horizontal 1-D pass.

    Equal to ``conv2d`` with the weight ``rank1_filter(lateral, vertical, horizontal)``, at a cost of
    ``C + kh + kw`` weights per filter instead of ``C kh kw``.

    Parameters
    ----------
    input : array_like
        ``(N, C, H, W)`` or ``(C, H, W)``.
    lateral : array_like
        ``(F, C)``: one vector across the channels per filter.
    vertical : array_like
        ``(F, kh)``.
    horizontal : array_like
        ``(F, kw)``.
    bias : array_like, optional
        ``(F,)``.
    stride, padding : int or tuple

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C, H, W)``; Output: ``(N, F, H_out, W_out)``

    Examples
    --------
    >>> import numpy as np
    >>> from convzoo.conv import conv2d
    >>> rng = np.random.default_rng(0)
    >>> x, l, v, h = rng.normal(size=(3, 6, 6)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    >>> np.allclose(flattened_conv2d(x, l, v, h, padding=1), conv2d(x, rank1_filter(l, v, h), padding=1))
    True
    """
    x = _input4(input, "flattened_conv2d")
    unbatched = x.ndim == 3
    x = x[None] if unbatched else x
    l = as_array(lateral, "lateral", ndims=(2,), func="flattened_conv2d")
    v = as_array(vertical, "vertical", ndims=(2,), func="flattened_conv2d")
    h = as_array(horizontal, "horizontal", ndims=(2,), func="flattened_conv2d")
    if not (l.shape[0] == v.shape[0] == h.shape[0]):
        raise ValueError(f"lateral {fmt_shape(l.shape)}, vertical {fmt_shape(v.shape)} and horizontal "
                         f"{fmt_shape(h.shape)} must have the same number of filters (first size)")
    stride, padding = _stride_padding(stride, padding)
    y = pointwise_conv2d(x, l)
    y = _column_then_row(y, v, h, stride, padding)
    if bias is not None:
        b = as_array(bias, "bias", ndims=(1,), func="flattened_conv2d")
        if b.shape != (l.shape[0],):
            raise ValueError(f"bias must have shape ({l.shape[0]},) (one value per filter of lateral "
                             f"{fmt_shape(l.shape)}), but got {fmt_shape(b.shape)}")
        y = y + b[:, None, None]
    return y[0] if unbatched else y
