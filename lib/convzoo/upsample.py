"""Upsampling without weights: ``interpolate`` (nearest, linear, bilinear, trilinear), and the pixel shuffle.

These are the "fixed" ways to make a feature map larger, which a transposed convolution learns instead:
nearest-neighbour repeats pixels, (bi)linear interpolation blends the nearest two (four) pixels, and the
pixel shuffle of sub-pixel convolution (Shi et al. 2016) rearranges ``r^2`` channels into an ``r x r``
block of pixels. Coordinates, rounding and the meaning of ``scale_factor`` and ``align_corners`` are
exactly those of ``torch.nn.functional.interpolate``.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from ._args import accum_dtype, as_array, check_int, check_mode, fmt_shape, ntuple

__all__ = ["interpolate", "source_coordinates", "pixel_shuffle", "pixel_unshuffle"]

_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "trilinear")
_LINEAR_DIMS = {"linear": 1, "bilinear": 2, "trilinear": 3}
_AXES = {1: "L", 2: "HW", 3: "DHW"}


def source_coordinates(input_size, output_size, mode="nearest", align_corners=None, scale_factor=None,
                       dtype=np.float32, spatial_dims=2):
    """Where each output pixel of one axis reads the input: ``interpolate``'s per-axis rule.

    Parameters
    ----------
    input_size, output_size : int
        Sizes of the axis before and after.
    mode : {'nearest', 'nearest-exact', 'linear', 'bilinear', 'trilinear'}
        Any linear mode gives the same per-axis rule.
    align_corners : bool, optional
        Linear modes: ``True`` maps the first and last pixel centres onto each other
        (``src = dst (I - 1) / (O - 1)``); ``False`` (default) maps pixel *edges* onto each other
        (``src = (dst + 0.5) / scale - 0.5``, clamped at 0).
    scale_factor : float, optional
        When the size came from a scale factor, torch uses ``1 / scale_factor`` instead of ``I / O`` as the
        step (not with ``align_corners=True``).
    dtype : numpy dtype
        The input's dtype: torch computes the coordinates in float64 for float64 inputs, in float32
        otherwise (which decides the rounding of rare exact ties).
    spatial_dims : {1, 2, 3}
        Spatial axes of the call. Torch's 2-D nearest kernels keep an older rule: always float32, and
        ``src = dst`` when ``O = I``, ``src = dst // 2`` when ``O = 2 I`` even if a ``scale_factor`` says
        otherwise (``I = 2, scale_factor=1.3`` copies in 2-D but reads pixel 0 twice in 1-D).

    Returns
    -------
    index : numpy.ndarray of int64
        Nearest modes: the source pixel. Linear modes: the left neighbour ``i0``.
    index1, weight1 : numpy.ndarray, only for linear modes
        The right neighbour ``i1`` (``= i0`` at the last pixel) and its weight ``lambda``; the output is
        ``(1 - lambda) x[i0] + lambda x[i1]``.

    Shape
    -----
    - Every returned array: ``(output_size,)``

    Examples
    --------
    Torch's legacy 'nearest' reads ``floor(dst * I / O)``; 'nearest-exact' rounds pixel centres:

    >>> source_coordinates(3, 5)
    array([0, 0, 1, 1, 2])
    >>> source_coordinates(3, 5, mode="nearest-exact")
    array([0, 0, 1, 2, 2])
    >>> i0, i1, lam = source_coordinates(2, 4, mode="linear", align_corners=True, dtype=np.float64)
    >>> i0, i1, lam.round(4)
    (array([0, 0, 0, 1]), array([1, 1, 1, 1]), array([0.    , 0.3333, 0.6667, 0.    ]))
    """
    i_size = check_int(input_size, "input_size", minimum=1)
    o_size = check_int(output_size, "output_size", minimum=1)
    check_mode(mode, _MODES)
    if spatial_dims not in (1, 2, 3):
        raise ValueError(f"spatial_dims must be 1, 2 or 3, but got {spatial_dims!r}")
    if spatial_dims == 2 and mode.startswith("nearest"):
        return _nearest_2d(i_size, o_size, mode, scale_factor)
    # torch computes coordinates in the input's "opmath" type: float64 for float64, float32 otherwise
    dt = np.dtype(np.float64) if np.dtype(dtype) == np.float64 else np.dtype(np.float32)
    dst = np.arange(o_size).astype(dt)
    half = dt.type(0.5)
    if mode in _LINEAR_DIMS and align_corners:
        step = dt.type(i_size - 1) / dt.type(o_size - 1) if o_size > 1 else dt.type(0)
    elif scale_factor is not None and scale_factor > 0:
        step = dt.type(1.0 / scale_factor)           # torch's compute_scales_value
    else:
        step = dt.type(i_size) / dt.type(o_size)
    if mode == "nearest" or align_corners:
        src = step * dst
    else:
        # step * (dst + 0.5) - 0.5; torch's compiled float32 kernel fuses the multiply-add (one rounding),
        # which decides exact ties such as 2 -> 41 pixels, output 20
        prod = step.astype(np.float64) * (dst + half).astype(np.float64) if dt == np.float32 else step * (dst + half)
        src = np.maximum((prod - 0.5).astype(dt), dt.type(0))
    # torch rounds down with C's floorf, i.e. after rounding to float32
    if mode == "nearest-exact":
        src = src.astype(np.float64) + 0.5
    floor = np.floor(src.astype(np.float32)).astype(np.int64)
    i0 = np.minimum(floor, i_size - 1)
    if mode.startswith("nearest"):
        return i0
    lam = np.clip(src - i0.astype(dt), 0, 1).astype(dt)
    i1 = i0 + (i0 < i_size - 1)
    return i0, i1, lam


def _nearest_2d(i_size: int, o_size: int, mode: str, scale_factor) -> np.ndarray:
    """Torch's ``nearest_idx`` / ``nearest_exact_idx`` (the 2-D kernels): float32 step, legacy shortcuts."""
    dst = np.arange(o_size)
    if mode == "nearest":
        if o_size == i_size:
            return dst.astype(np.int64)
        if o_size == 2 * i_size:
            return (dst >> 1).astype(np.int64)
    step = np.float32(1.0 / scale_factor) if scale_factor is not None and scale_factor > 0 else \
        np.float32(i_size) / np.float32(o_size)
    if mode == "nearest":
        src = dst.astype(np.float32) * step                            # floorf(dst * scale), in float32
    else:
        src = ((dst + 0.5) * np.float64(step)).astype(np.float32)      # floorf((dst + 0.5) * scale)
    return np.minimum(np.floor(src).astype(np.int64), i_size - 1)


def _spatial_dims(x: np.ndarray, mode: str, given) -> int:
    """Number of spatial axes: fixed by a linear mode; for nearest, ``x.ndim - 2`` as torch, unless ``size`` or
    ``scale_factor`` is a sequence with one entry per axis of an unbatched input."""
    if mode in _LINEAR_DIMS:
        nd = _LINEAR_DIMS[mode]
        if x.ndim not in (nd + 1, nd + 2):
            want = {1: "(N, C, L) or (C, L)", 2: "(N, C, H, W) or (C, H, W)", 3: "(N, C, D, H, W) or (C, D, H, W)"}
            raise ValueError(f"Got {x.ndim}D input of size {fmt_shape(x.shape)}, but {mode} mode needs "
                             f"{nd + 2}D input {want[nd]}")
        return nd
    if isinstance(given, (list, tuple, np.ndarray)) and x.ndim == len(given) + 1 and 1 <= len(given) <= 3:
        return len(given)
    if not 3 <= x.ndim <= 5:
        raise ValueError(f"interpolate with mode={mode!r} expects a 3D, 4D or 5D input (N, C, *spatial), or an "
                         f"unbatched input (C, *spatial) with size or scale_factor given per spatial axis, but got "
                         f"input of size {fmt_shape(x.shape)}")
    return x.ndim - 2


def _scale_factors(scale_factor, nd: int) -> tuple[float, ...]:
    values = tuple(scale_factor) if isinstance(scale_factor, (list, tuple, np.ndarray)) else (scale_factor,) * nd
    if len(values) != nd:
        raise ValueError(f"scale_factor must be a number or a tuple of {nd} numbers (one per spatial axis), but got "
                         f"{scale_factor!r}")
    out = []
    for v in values:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
            raise TypeError(f"scale_factor must be a positive number or a tuple of them, but got {scale_factor!r}")
        if not (math.isfinite(v) and v > 0):
            raise ValueError(f"scale_factor must be positive and finite, but got scale_factor={scale_factor!r}")
        out.append(float(v))
    return tuple(out)


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None):
    """Resize an input by nearest-neighbour or (bi/tri)linear interpolation, as ``torch.nn.functional.interpolate``.

    Each spatial axis is resampled on its own (:func:`source_coordinates` gives the rule). 'nearest' is
    torch's legacy nearest, ``src = floor(dst * I / O)`` (which shifts the picture by up to a pixel when
    shrinking); 'nearest-exact' rounds pixel centres, ``src = floor((dst + 0.5) * I / O)``. The linear
    modes blend the two neighbours of ``src``, with pixel centres aligned (``align_corners=True``) or
    pixel edges aligned (``False``, the default).

    Parameters
    ----------
    input : array_like
        ``(N, C, *spatial)`` with 1, 2 or 3 spatial axes; or unbatched ``(C, *spatial)`` for the linear modes
        (whose number of axes is fixed) and for nearest when ``size`` or ``scale_factor`` is a tuple with one
        entry per spatial axis (a 3D input with an int size is ``(N, C, L)``, as in torch).
    size : int or tuple, optional
        Output spatial size.
    scale_factor : float or tuple, optional
        Multiplier of the spatial size (the output size is ``floor(I * scale_factor)``). Give exactly one of
        ``size`` and ``scale_factor``.
    mode : {'nearest', 'nearest-exact', 'linear', 'bilinear', 'trilinear'}
        'linear' is 1-D, 'bilinear' 2-D, 'trilinear' 3-D.
    align_corners : bool, optional
        Only for the linear modes (default ``False``).
    recompute_scale_factor : bool, optional
        With ``scale_factor``: if true, the coordinates use ``I / O`` of the rounded output size instead of
        ``1 / scale_factor`` (they differ when ``I * scale_factor`` is not an integer).

    Returns
    -------
    numpy.ndarray
        Same dtype as a float input; integers stay integers for the nearest modes, become float64 otherwise.

    Shape
    -----
    - Input: ``(N, C, *spatial_in)`` or ``(C, *spatial_in)``
    - Output: ``(N, C, *spatial_out)``, ``spatial_out = size`` or ``floor(spatial_in * scale_factor)``

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[1, 2], [3, 4]]])                   # one 2x2 channel, unbatched
    >>> interpolate(x, scale_factor=(2, 2))
    array([[[1, 1, 2, 2],
            [1, 1, 2, 2],
            [3, 3, 4, 4],
            [3, 3, 4, 4]]])
    >>> interpolate(x, size=3, mode="bilinear", align_corners=True)
    array([[[1. , 1.5, 2. ],
            [2. , 2.5, 3. ],
            [3. , 3.5, 4. ]]])
    """
    x = as_array(input, "input", func="interpolate")
    check_mode(mode, _MODES)
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is None and scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if align_corners is not None:
        if mode not in _LINEAR_DIMS:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | trilinear")
        if not isinstance(align_corners, (bool, np.bool_)):
            raise TypeError(f"align_corners must be True, False or None, but got {align_corners!r}")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    nd = _spatial_dims(x, mode, size if size is not None else scale_factor)
    unbatched = x.ndim == nd + 1
    x = x[None] if unbatched else x
    in_size = x.shape[2:]
    if any(s < 1 for s in x.shape):
        raise ValueError(f"interpolate expects an input with no zero-size dimension, but got {fmt_shape(x.shape)}")
    if size is not None:
        if isinstance(size, (list, tuple, np.ndarray)) and len(size) != nd:
            raise ValueError(f"Input and output must have the same number of spatial dimensions, but got input with "
                             f"spatial size {fmt_shape(in_size)} and output size {tuple(size)!r}")
        out = ntuple(size, nd, "size")
        scales = (None,) * nd
    else:
        scales = _scale_factors(scale_factor, nd)
        out = tuple(math.floor(i * s) for i, s in zip(in_size, scales))
        if any(o < 1 for o in out):
            raise ValueError(f"Input and output sizes should be greater than 0, but got input {fmt_shape(in_size)} "
                             f"and scale_factor={scale_factor!r}, which gives output size {out}")
        if recompute_scale_factor:
            scales = (None,) * nd
    dtype = accum_dtype(x)
    if mode in _LINEAR_DIMS and dtype.kind != "f":
        dtype = np.dtype(np.float64)
    y = x.astype(dtype, copy=False)
    for j, (i_size, o_size, s) in enumerate(zip(in_size, out, scales)):
        axis = 2 + j
        coords = source_coordinates(i_size, o_size, mode, align_corners, s, dtype=dtype, spatial_dims=nd)
        if mode in _LINEAR_DIMS:
            i0, i1, lam = coords
            shape = [1] * y.ndim
            shape[axis] = -1
            lam = lam.reshape(shape)
            y = np.take(y, i0, axis=axis) * (1 - lam) + np.take(y, i1, axis=axis) * lam
        else:
            y = np.take(y, coords, axis=axis)
    return y[0] if unbatched else y


def _input4(x, func):
    x = as_array(x, "input", ndims=(3, 4), func=func, nonempty=True)
    return x


def pixel_shuffle(input, upscale_factor):
    """Rearrange ``(C r^2, H, W)`` into ``(C, H r, W r)``, as ``torch.nn.functional.pixel_shuffle``.

    The ``r^2`` channels ``c r^2 ... c r^2 + r^2 - 1`` fill the ``r x r`` blocks of output channel ``c``,
    row by row: ``out[c, h r + i, w r + j] = in[c r^2 + i r + j, h, w]``. A convolution with ``C r^2``
    output channels followed by this is the sub-pixel convolution (Shi et al. 2016), an upsampling layer
    with no checkerboard of zeros.

    Parameters
    ----------
    input : array_like
        ``(N, C r^2, H, W)`` or ``(C r^2, H, W)``.
    upscale_factor : int
        ``r``.

    Returns
    -------
    numpy.ndarray
        Same dtype, same values, moved.

    Shape
    -----
    - Input: ``(N, C r^2, H, W)``; Output: ``(N, C, H r, W r)``

    Examples
    --------
    >>> import numpy as np
    >>> pixel_shuffle(np.arange(4).reshape(4, 1, 1), 2)       # 4 channels of 1 pixel -> one 2x2 channel
    array([[[0, 1],
            [2, 3]]])
    """
    x = _input4(input, "pixel_shuffle")
    r = check_int(upscale_factor, "upscale_factor", minimum=1)
    c, h, w = x.shape[-3:]
    if c % (r * r):
        raise ValueError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                         f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r} "
                         f"(input of size {fmt_shape(x.shape)}, upscale_factor={r})")
    lead = x.shape[:-3]
    y = x.reshape(lead + (c // (r * r), r, r, h, w))
    y = np.moveaxis(y, (-4, -3), (-3, -1))           # (..., C, H, r, W, r)
    return y.reshape(lead + (c // (r * r), h * r, w * r))


def pixel_unshuffle(input, downscale_factor):
    """Rearrange ``(C, H r, W r)`` into ``(C r^2, H, W)``: the inverse of :func:`pixel_shuffle`.

    As ``torch.nn.functional.pixel_unshuffle``: ``out[c r^2 + i r + j, h, w] = in[c, h r + i, w r + j]``.
    This is the "space-to-depth" step that trades resolution for channels without losing a value.

    Parameters
    ----------
    input : array_like
        ``(N, C, H r, W r)`` or ``(C, H r, W r)``.
    downscale_factor : int
        ``r``.

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C, H r, W r)``; Output: ``(N, C r^2, H, W)``

    Examples
    --------
    >>> import numpy as np
    >>> pixel_unshuffle(np.arange(4).reshape(1, 2, 2), 2).ravel()
    array([0, 1, 2, 3])
    """
    x = _input4(input, "pixel_unshuffle")
    r = check_int(downscale_factor, "downscale_factor", minimum=1)
    c, h, w = x.shape[-3:]
    for name, size, axis in (("height", h, -2), ("width", w, -1)):
        if size % r:
            raise ValueError(f"pixel_unshuffle expects {name} to be divisible by downscale_factor, but "
                             f"input.size({axis})={size} is not divisible by {r} (input of size {fmt_shape(x.shape)})")
    lead = x.shape[:-3]
    y = x.reshape(lead + (c, h // r, r, w // r, r))
    y = np.moveaxis(y, (-3, -1), (-4, -3))           # (..., C, r, r, H/r, W/r)
    return y.reshape(lead + (c * r * r, h // r, w // r))
