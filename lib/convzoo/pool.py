"""Pooling: max and average pooling (1, 2 and 3-D), adaptive average pooling, and max unpooling.

A pooling layer slides a window over every channel on its own, exactly like a depthwise convolution,
but instead of a weighted sum it takes the maximum or the mean of the window. All the ``*_pool*d`` faces
here share one N-d windowing path: the input is padded (with ``-inf`` for max, zeros for average), a
strided view of every window is taken with :func:`convzoo.core._windows` (no copy), and the window is
reduced tap by tap. Names, arguments, defaults, output sizes and the flat ``indices`` of
``return_indices=True`` are those of ``torch.nn.functional``.
"""
from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from ._args import accum_dtype, as_array, check_int, fmt_shape, nonneg_tuple, ntuple
from .core import _windows
from .shapes import _pool_length

__all__ = [
    "max_pool1d", "max_pool2d", "max_pool3d",
    "avg_pool1d", "avg_pool2d", "avg_pool3d",
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_bins",
    "max_unpool2d",
]


def _pool_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool) -> int:
    """Output length of one axis, as torch computes it (see :func:`convzoo.shapes.pool_output_size`)."""
    return _pool_length(size, dilation * (kernel - 1) + 1, stride, padding, ceil_mode)


class _Geometry(NamedTuple):
    """The attributes :func:`convzoo.core._windows` reads from a ``ConvSpec``."""

    out: tuple
    kernel: tuple
    stride: tuple
    dilation: tuple


class _PoolSpec:
    """Validated geometry of one pooling call, shared by max and average pooling of any dimension."""

    def __init__(self, nd, func, input, kernel_size, stride, padding, dilation, ceil_mode):
        x = as_array(input, "input", ndims=(nd + 1, nd + 2), func=func)
        self.unbatched = x.ndim == nd + 1
        self.x = x[None] if self.unbatched else x
        if any(s < 1 for s in x.shape):
            raise ValueError(f"{func} expects an input with no zero-size dimension, but got input of size "
                             f"{fmt_shape(x.shape)}")
        self.kernel = ntuple(kernel_size, nd, "kernel_size")
        self.stride = self.kernel if stride is None else ntuple(stride, nd, "stride")
        self.padding = nonneg_tuple(padding, nd, "padding")
        self.dilation = ntuple(dilation, nd, "dilation")
        if not isinstance(ceil_mode, (bool, np.bool_)):
            raise TypeError(f"ceil_mode must be True or False, but got {ceil_mode!r}")
        self.ceil_mode = bool(ceil_mode)
        for p, k, d in zip(self.padding, self.kernel, self.dilation):
            if p > k // 2:
                raise ValueError(
                    f"{func}: pad should be at most half of kernel size, but got padding={_show(self.padding)}, "
                    f"kernel_size={_show(self.kernel)}" + (f" and dilation={_show(self.dilation)}" if d > 1 else "")
                )
        self.nd, self.func = nd, func
        self.size = tuple(self.x.shape[2:])
        self.out = tuple(_pool_output_size(*a, self.ceil_mode) for a in
                         zip(self.size, self.kernel, self.stride, self.padding, self.dilation))
        if any(o < 1 for o in self.out):
            plane = "x".join(str(s) for s in x.shape[:-nd])
            raise ValueError(
                f"Given input size: ({'x'.join(str(s) for s in x.shape)}). Calculated output size: "
                f"({plane}x{'x'.join(str(o) for o in self.out)}). Output size is too small "
                f"(kernel_size={_show(self.kernel)}, stride={_show(self.stride)}, padding={_show(self.padding)}, "
                f"dilation={_show(self.dilation)})"
            )
        # Right padding: the declared p, or more when ceil_mode lets the last window run past it (those taps
        # are ignored: they read the fill value, and the divisor of average pooling does not count them).
        self.right = tuple(max(p, (o - 1) * s + d * (k - 1) + 1 - L - p) for o, s, d, k, L, p in
                           zip(self.out, self.stride, self.dilation, self.kernel, self.size, self.padding))
        self.geometry = _Geometry(self.out, self.kernel, self.stride, self.dilation)

    def windows(self, x: np.ndarray, fill) -> np.ndarray:
        """``(N, C, *out, *kernel)`` strided view of the input padded with ``fill``."""
        pads = ((0, 0), (0, 0)) + tuple(zip(self.padding, self.right))
        xp = np.pad(x, pads, constant_values=fill) if any(a or b for a, b in pads) else x
        return _windows(xp, self.geometry, channels_last=False)

    def grid(self, j: int, values) -> np.ndarray:
        """``values`` (one per output position of axis ``j``) shaped to broadcast over ``(*out)``."""
        shape = [1] * self.nd
        shape[j] = -1
        return np.asarray(values).reshape(shape)

    def finish(self, y: np.ndarray) -> np.ndarray:
        return y[0] if self.unbatched else y


def _show(t: tuple):
    """An int when all axes agree (as the user most likely wrote it), else the tuple."""
    return t[0] if len(set(t)) == 1 else t


def _check_bool(value, name: str) -> bool:
    """A flag given as a bool (a string such as 'no' is truthy and would silently mean True)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, but got {value!r}")
    return bool(value)


def _max_pool(nd, func, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    spec = _PoolSpec(nd, func, input, kernel_size, stride, padding, dilation, ceil_mode)
    return_indices = _check_bool(return_indices, "return_indices")
    dtype = accum_dtype(spec.x)
    x = spec.x.astype(dtype, copy=False)
    floating = dtype.kind == "f"
    fill = -np.inf if floating else np.iinfo(dtype).min
    # Torch starts each window from the value -inf at the first tap that lies inside the input, and moves
    # on only to a strictly larger value (or a NaN): ties keep the first maximum, a window of -inf points
    # at its first real pixel, and padding taps (which read -inf) never win.
    first_tap = []
    for j in range(nd):
        o = np.arange(spec.out[j])
        start = o * spec.stride[j] - spec.padding[j]
        t0 = np.maximum(0, -(start // spec.dilation[j]))          # ceil(-start / d) for start < 0
        if np.any(start + t0 * spec.dilation[j] >= spec.size[j]):
            bad = int(np.argmax(start + t0 * spec.dilation[j] >= spec.size[j]))
            raise ValueError(
                f"{func}: the window at output position {bad} of spatial axis {j} lies entirely in the padding "
                f"(input size {spec.size[j]}, kernel_size={spec.kernel[j]}, stride={spec.stride[j]}, "
                f"padding={spec.padding[j]}, dilation={spec.dilation[j]}); its maximum would be -inf"
            )
        first_tap.append(spec.grid(j, t0))
    win = spec.windows(x, fill)                                     # (N, C, *out, *kernel)
    best = np.full(win.shape[:2 + nd], fill, dtype=dtype)
    tap_index = np.broadcast_to(np.ravel_multi_index(first_tap, spec.kernel), best.shape).copy()
    lead = (slice(None),) * (2 + nd)
    for flat, tap in enumerate(itertools.product(*(range(k) for k in spec.kernel))):
        cur = win[lead + tap]
        better = cur > best
        if floating:
            better |= np.isnan(cur)
        np.copyto(best, cur, where=better)
        np.copyto(tap_index, flat, where=better)
    best = spec.finish(best)
    if not return_indices:
        return best
    taps = np.unravel_index(tap_index, spec.kernel)
    coords = [spec.grid(j, np.arange(spec.out[j]) * spec.stride[j] - spec.padding[j]) + taps[j] * spec.dilation[j]
              for j in range(nd)]
    indices = np.ravel_multi_index(coords, spec.size).astype(np.int64)
    return best, spec.finish(indices)


def _avg_pool(nd, func, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    spec = _PoolSpec(nd, func, input, kernel_size, stride, padding, 1, ceil_mode)
    count_include_pad = _check_bool(count_include_pad, "count_include_pad")
    dtype = accum_dtype(spec.x)
    if dtype.kind != "f":
        dtype = np.dtype(np.float64)  # a mean of integers is not an integer (torch would truncate it)
    x = spec.x.astype(dtype, copy=False)
    total = spec.windows(x, 0).sum(axis=tuple(range(2 + nd, 2 + 2 * nd)))
    if divisor_override is not None:
        divisor = check_int(divisor_override, "divisor_override", minimum=1)
    else:
        # Per axis, as torch: the window clipped to the declared padding, or (count_include_pad=False)
        # to the input; the divisor is the product over the axes.
        divisor = 1
        for j in range(nd):
            start = np.arange(spec.out[j]) * spec.stride[j] - spec.padding[j]
            end = np.minimum(start + spec.kernel[j], spec.size[j] + spec.padding[j])
            if not count_include_pad:
                start, end = np.maximum(start, 0), np.minimum(end, spec.size[j])
            divisor = divisor * spec.grid(j, end - start)
    return spec.finish((total / divisor).astype(dtype, copy=False))


# The text both docstring templates share, filled in first (its fields are filled with the template's).
_WINDOW_PARAMS = """    input : array_like
        ``{batched}`` or unbatched ``{unbatched}``.
    kernel_size : int or tuple of {nd} ints
        Window size.
    stride : int or tuple, optional
        Step between windows; defaults to ``kernel_size``."""

_MAX_DOC = """{nd}-D max pooling over an input of several channels, as ``torch.nn.functional.{name}``.

    Each output value is the largest input value in its window (of ``kernel_size`` taps spaced
    ``dilation`` apart, moved ``stride`` at a time); padding never wins (it is ``-inf``).

    Parameters
    ----------
{window_params}
    padding : int or tuple
        Implicit ``-inf`` added on both sides of each axis; at most half the kernel size.
    dilation : int or tuple
        Spacing between window taps.
    ceil_mode : bool
        Round the output size up instead of down (a last, partial window is kept if it starts inside the
        input or the left padding).
    return_indices : bool
        Also return, for every output value, the flat index of its maximum within its input plane
        ({plane}), as :func:`max_unpool2d` needs. Ties keep the first maximum in window order.

    Returns
    -------
    numpy.ndarray, or (numpy.ndarray, numpy.ndarray of int64)
        Same dtype as the input (integers exactly, as int64).

    Shape
    -----
    - Input: ``{batched}`` or ``{unbatched}``
    - Output (and indices): ``{out}`` with
      ``L_out = floor((L + 2p - d(k - 1) - 1) / s) + 1`` per axis (``ceil`` with ``ceil_mode``).

    Examples
    --------
{example}
"""

_AVG_DOC = """{nd}-D average pooling over an input of several channels, as ``torch.nn.functional.{name}``.

    Each output value is the mean of its window. With ``count_include_pad`` (the default) the zeros of the
    padding count in the divisor; without it only the input pixels do. Taps that ``ceil_mode`` lets run
    past the padding are never counted.

    Parameters
    ----------
{window_params}
    padding : int or tuple
        Implicit zeros on both sides of each axis; at most half the kernel size.
    ceil_mode : bool
        Round the output size up instead of down.
    count_include_pad : bool
        Whether padding zeros count in the divisor.{override_param}

    Returns
    -------
    numpy.ndarray
        Same dtype as a float input; float64 for integers (torch would truncate the mean).

    Shape
    -----
    - Input: ``{batched}`` or ``{unbatched}``
    - Output: ``{out}``, each axis ``floor((L + 2p - k) / s) + 1`` (``ceil`` with ``ceil_mode``).

    Examples
    --------
{example}
"""

_OVERRIDE_PARAM = """
    divisor_override : int, optional
        Divide every window sum by this instead."""


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    return _max_pool(1, "max_pool1d", input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    return _max_pool(2, "max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    return _max_pool(3, "max_pool3d", input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    return _avg_pool(1, "avg_pool1d", input, kernel_size, stride, padding, ceil_mode, count_include_pad, None)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    return _avg_pool(2, "avg_pool2d", input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    return _avg_pool(3, "avg_pool3d", input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


_FACES = {1: ("(N, C, L)", "(C, L)", "(N, C, L_out)", "L"),
          2: ("(N, C, H, W)", "(C, H, W)", "(N, C, H_out, W_out)", "H x W"),
          3: ("(N, C, D, H, W)", "(C, D, H, W)", "(N, C, D_out, H_out, W_out)", "D x H x W")}

_EXAMPLES = {
    "max_pool1d": """    >>> max_pool1d([[1, 5, 2, 0, 3]], 2, stride=2, ceil_mode=True)
    array([[5, 2, 3]])""",
    "max_pool2d": """    >>> import numpy as np
    >>> x = np.array([[[1, 2, 5, 0], [3, 4, 1, 1], [0, 0, 2, 2], [9, 0, 2, 3]]])
    >>> values, indices = max_pool2d(x, 2, return_indices=True)
    >>> values
    array([[[4, 5],
            [9, 3]]])
    >>> indices                       # flat positions in the 4x4 plane
    array([[[ 5,  2],
            [12, 15]]])""",
    "max_pool3d": """    >>> import numpy as np
    >>> max_pool3d(np.arange(8).reshape(1, 2, 2, 2), 2)
    array([[[[7]]]])""",
    "avg_pool1d": """    >>> avg_pool1d([[3, 6, 9, 12]], 3, stride=1, padding=1)     # the padding zeros count
    array([[3., 6., 9., 7.]])
    >>> avg_pool1d([[3, 6, 9, 12]], 3, stride=1, padding=1, count_include_pad=False)
    array([[ 4.5,  6. ,  9. , 10.5]])""",
    "avg_pool2d": """    >>> import numpy as np
    >>> avg_pool2d(np.arange(16).reshape(1, 4, 4), 2)
    array([[[ 2.5,  4.5],
            [10.5, 12.5]]])""",
    "avg_pool3d": """    >>> import numpy as np
    >>> avg_pool3d(np.ones((1, 2, 2, 2), dtype=np.float32), 2, padding=1).shape
    (1, 2, 2, 2)""",
}

for _f in (max_pool1d, max_pool2d, max_pool3d, avg_pool1d, avg_pool2d, avg_pool3d):
    _nd = int(_f.__name__[-2])
    _b, _u, _o, _plane = _FACES[_nd]
    _template = (_MAX_DOC if _f.__name__.startswith("max") else _AVG_DOC).replace("{window_params}", _WINDOW_PARAMS)
    _f.__doc__ = _template.format(nd=_nd, name=_f.__name__, batched=_b, unbatched=_u, out=_o, plane=_plane,
                                  example=_EXAMPLES[_f.__name__],
                                  override_param=_OVERRIDE_PARAM if _nd > 1 else "")
del _f, _nd, _b, _u, _o, _plane, _template


# ---- adaptive average pooling ----------------------------------------------------------------------
def adaptive_bins(input_size, output_size):
    """``(start, end)`` arrays of the ``output_size`` bins torch's adaptive pooling averages over.

    Bin ``i`` covers ``floor(i I / O) <= j < ceil((i + 1) I / O)``: the bins cover the input, and
    neighbours overlap by one pixel where ``O`` does not divide the boundary exactly.

    Shape
    -----
    - start, end: ``(output_size,)`` (ends exclusive)

    Examples
    --------
    >>> adaptive_bins(5, 3)
    (array([0, 1, 3]), array([2, 4, 5]))
    """
    input_size = check_int(input_size, "input_size", minimum=1)
    output_size = check_int(output_size, "output_size", minimum=1)
    i = np.arange(output_size)
    return (i * input_size) // output_size, -((-(i + 1) * input_size) // output_size)


def _adaptive_avg_pool(nd, func, input, output_size):
    x = as_array(input, "input", ndims=(nd + 1, nd + 2), func=func)
    unbatched = x.ndim == nd + 1
    x = x[None] if unbatched else x
    if any(s < 1 for s in x.shape):
        raise ValueError(f"{func} expects an input with non-zero batch, channel and spatial sizes, but got input "
                         f"of size {fmt_shape(x.shape[1:] if unbatched else x.shape)}")
    size = x.shape[2:]
    if isinstance(output_size, (list, tuple, np.ndarray)):
        if len(output_size) != nd:
            raise ValueError(f"{func}: output_size must be an int or a tuple of {nd} ints (None keeps that input "
                             f"size), but got {tuple(output_size)!r}")
        requested = tuple(output_size)
    else:
        requested = (output_size,) * nd
    out = []
    for o, s in zip(requested, size):
        out.append(s if o is None else check_int(o, "output_size", minimum=1))
    dtype = accum_dtype(x)
    if dtype.kind != "f":
        dtype = np.dtype(np.float64)
    y = x.astype(dtype, copy=False)
    # Separable: along each axis, multiply by the (O, I) matrix that averages each bin.
    for j, (o, s) in enumerate(zip(out, size)):
        start, end = adaptive_bins(s, o)
        cols = np.arange(s)
        a = ((cols >= start[:, None]) & (cols < end[:, None])) / (end - start)[:, None]
        y = np.moveaxis(np.tensordot(y, a.astype(dtype), axes=([2 + j], [1])), -1, 2 + j)
    return y[0] if unbatched else y


def adaptive_avg_pool1d(input, output_size):
    """1-D adaptive average pooling, as ``torch.nn.functional.adaptive_avg_pool1d``.

    The window sizes and strides are chosen to give exactly ``output_size`` outputs: output ``i``
    averages input positions ``floor(i L / O) ... ceil((i + 1) L / O) - 1``.

    Parameters
    ----------
    input : array_like
        ``(N, C, L)`` or ``(C, L)``.
    output_size : int
        ``O``; 1 is global average pooling.

    Returns
    -------
    numpy.ndarray
        Float (float64 for integer input).

    Shape
    -----
    - Input: ``(N, C, L)`` or ``(C, L)``; Output: ``(N, C, O)`` or ``(C, O)``

    Examples
    --------
    >>> adaptive_avg_pool1d([[0, 1, 2, 3, 4]], 3)     # bins [0, 2), [1, 4), [3, 5)
    array([[0.5, 2. , 3.5]])
    """
    return _adaptive_avg_pool(1, "adaptive_avg_pool1d", input, output_size)


def adaptive_avg_pool2d(input, output_size):
    """2-D adaptive average pooling, as ``torch.nn.functional.adaptive_avg_pool2d``.

    Output ``(i, j)`` averages rows ``floor(i H / H_out) ... ceil((i + 1) H / H_out) - 1`` and the same bins
    of columns, so any input size gives exactly the requested output size. ``output_size=1`` is global
    average pooling (the "squeeze" of squeeze-and-excitation).

    Parameters
    ----------
    input : array_like
        ``(N, C, H, W)`` or ``(C, H, W)``.
    output_size : int or tuple of 2 (int or None)
        ``(H_out, W_out)``; ``None`` keeps that input size.

    Returns
    -------
    numpy.ndarray
        Float (float64 for integer input).

    Shape
    -----
    - Input: ``(N, C, H, W)`` or ``(C, H, W)``; Output: ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)``

    Examples
    --------
    >>> import numpy as np
    >>> adaptive_avg_pool2d(np.arange(16).reshape(1, 4, 4), 1)     # global average pooling
    array([[[7.5]]])
    >>> adaptive_avg_pool2d(np.arange(9).reshape(1, 3, 3), 2)      # 2x2 bins overlapping in the middle
    array([[[2., 3.],
            [5., 6.]]])
    """
    return _adaptive_avg_pool(2, "adaptive_avg_pool2d", input, output_size)


def adaptive_avg_pool3d(input, output_size):
    """3-D adaptive average pooling, as ``torch.nn.functional.adaptive_avg_pool3d`` (bins as in 2-D).

    Parameters
    ----------
    input : array_like
        ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
    output_size : int or tuple of 3 (int or None)

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C, D, H, W)``; Output: ``(N, C, D_out, H_out, W_out)``

    Examples
    --------
    >>> import numpy as np
    >>> adaptive_avg_pool3d(np.ones((2, 3, 4, 5)), (1, 2, None)).shape
    (2, 1, 2, 5)
    """
    return _adaptive_avg_pool(3, "adaptive_avg_pool3d", input, output_size)


# ---- max unpooling ---------------------------------------------------------------------------------
def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Partial inverse of :func:`max_pool2d`, as ``torch.nn.functional.max_unpool2d``.

    Every value is put back at the position its ``indices`` entry names (a flat index into the output
    plane, as ``max_pool2d(..., return_indices=True)`` gives it); every other position is zero.

    Parameters
    ----------
    input : array_like
        The pooled values, ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``.
    indices : array_like of int
        Same shape as ``input``.
    kernel_size, stride, padding : int or tuple
        Those of the pooling being undone (``stride`` defaults to ``kernel_size``).
    output_size : tuple, optional
        ``(H, W)`` (or with the leading sizes); needed when the pooling dropped rows or columns. Each size must
        lie strictly between ``default - stride`` and ``default + stride``.

    Returns
    -------
    numpy.ndarray
        Same dtype as ``input``.

    Shape
    -----
    - Input: ``(N, C, H_in, W_in)``; Output: ``(N, C, H_out, W_out)`` with
      ``H_out = (H_in - 1) s - 2p + k`` (or ``output_size``), same for W.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[1, 2, 5, 0], [3, 4, 1, 1], [0, 0, 2, 2], [9, 0, 2, 3]]])
    >>> max_unpool2d(*max_pool2d(x, 2, return_indices=True), 2)
    array([[[0, 0, 5, 0],
            [0, 4, 0, 0],
            [0, 0, 0, 0],
            [9, 0, 0, 3]]])
    """
    x = as_array(input, "input", ndims=(3, 4), func="max_unpool2d", nonempty=True)
    idx = as_array(indices, "indices")
    if idx.dtype.kind not in "iu":
        raise TypeError(f"indices must be an integer array (as max_pool2d(..., return_indices=True) gives), "
                        f"but got dtype {idx.dtype}")
    if idx.shape != x.shape:
        raise ValueError(f"Expected shape of indices to be same as that of the input {fmt_shape(x.shape)}, but got "
                         f"indices of size {fmt_shape(idx.shape)}")
    kernel = ntuple(kernel_size, 2, "kernel_size")
    stride = kernel if stride is None else ntuple(stride, 2, "stride")
    padding = nonneg_tuple(padding, 2, "padding")
    default = [(i - 1) * s + k - 2 * p for i, s, k, p in zip(x.shape[-2:], stride, kernel, padding)]
    if output_size is None:
        out = default
    else:
        if not isinstance(output_size, (list, tuple, np.ndarray)):
            raise TypeError(f"output_size must be a sequence of 2 (H, W) or {x.ndim} sizes, but got {output_size!r} "
                            f"of type {type(output_size).__name__}")
        requested = tuple(output_size)
        if len(requested) == 4 or (len(requested) == 3 and x.ndim == 3):
            requested = requested[-2:]
        if len(requested) != 2:
            raise ValueError(f"output_size should be a sequence containing 2 or {x.ndim} elements, but it has a "
                             f"length of {len(tuple(output_size))}")
        out = [check_int(o, "output_size") for o in requested]
        for d, (o, dflt, s) in enumerate(zip(out, default, stride)):
            if not dflt - s < o < dflt + s:
                raise ValueError(f'invalid output_size "{tuple(out)}" (dim {d} must be between {dflt - s} and '
                                 f'{dflt + s}, exclusive)')
    if any(o < 1 for o in out):
        raise ValueError(f"max_unpool2d: the output size {tuple(out)} computed from input {fmt_shape(x.shape)}, "
                         f"kernel_size={kernel}, stride={stride}, padding={padding} is too small")
    plane = out[0] * out[1]
    if idx.size and (idx.min() < 0 or idx.max() >= plane):
        bad = int(idx.min() if idx.min() < 0 else idx.max())
        raise ValueError(f"Found an invalid max index: {bad} (output volumes are of size {out[0]}x{out[1]})")
    lead = x.shape[:-2]
    y = np.zeros((int(np.prod(lead)), plane), dtype=accum_dtype(x))
    rows = np.arange(y.shape[0])[:, None]
    y[rows, idx.reshape(y.shape[0], -1)] = x.reshape(y.shape[0], -1)
    return y.reshape(lead + tuple(out))
