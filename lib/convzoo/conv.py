"""``conv1d``, ``conv2d``, ``conv3d``: the core op under ``torch.nn.functional``'s names and defaults."""
from __future__ import annotations

from ._args import as_array, fmt_shape, padding_pairs
from .core import conv_general

__all__ = ["conv1d", "conv2d", "conv3d"]


def _conv_nd(nd: int, func: str, input, weight, bias, stride, padding, dilation, groups):
    x = as_array(input, "input", ndims=(nd + 1, nd + 2), func=func)
    w = as_array(weight, "weight")
    if w.ndim != nd + 2:
        raise ValueError(f"Expected {nd + 2}D weight (out_channels, in_channels/groups, *kernel) to {func}, "
                         f"but got weight of size {fmt_shape(w.shape)}")
    if not isinstance(padding, str):
        padding_pairs(padding, nd)  # refuses negative padding here; the core allows it (it crops)
    return conv_general(x, w, bias, stride, padding, dilation, groups)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution (cross-correlation) over an input of several channels, as ``torch.nn.functional.conv1d``.

    Parameters
    ----------
    input : array_like
        ``(N, C_in, L)`` or unbatched ``(C_in, L)``.
    weight : array_like
        ``(C_out, C_in / groups, k)``.
    bias : array_like, optional
        ``(C_out,)``.
    stride, padding, dilation, groups
        As :func:`convzoo.core.conv_general`; ``padding`` may be 'valid' or 'same' (stride 1 only).

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C_in, L)``; Weight: ``(C_out, C_in / groups, k)``
    - Output: ``(N, C_out, L_out)``, ``L_out = floor((L + 2p - d(k - 1) - 1) / s) + 1``

    Examples
    --------
    >>> conv1d([[1, 2, 3, 4, 5]], [[[1, 1]]], stride=2)
    array([[3, 7]])
    """
    return _conv_nd(1, "conv1d", input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation) over an image of several channels, as ``torch.nn.functional.conv2d``.

    Each of the ``C_out`` filters is a stack of ``C_in / groups`` kernels of size ``kh x kw``; it slides
    over the height and width, and at each position the products over all its kernels are summed into one
    number (plus the bias): one filter gives one output channel (feature map).

    Parameters
    ----------
    input : array_like
        ``(N, C_in, H, W)`` or unbatched ``(C_in, H, W)``.
    weight : array_like
        ``(C_out, C_in / groups, kh, kw)``.
    bias : array_like, optional
        ``(C_out,)``.
    stride, padding, dilation : int or tuple
        Per axis (or per side for padding); ``padding`` may be 'valid' or 'same' (stride 1 only).
    groups : int
        Number of channel groups (``groups = C_in`` is depthwise).

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C_in, H, W)``; Weight: ``(C_out, C_in / groups, kh, kw)``
    - Output: ``(N, C_out, H_out, W_out)``, ``H_out = floor((H + 2p - d(kh - 1) - 1) / s) + 1``, same for W.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(16).reshape(1, 1, 4, 4)
    >>> conv2d(x, np.ones((1, 1, 2, 2), dtype=int), stride=2)
    array([[[[10, 18],
             [42, 50]]]])
    """
    return _conv_nd(2, "conv2d", input, weight, bias, stride, padding, dilation, groups)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-D convolution over a volume (or a video), as ``torch.nn.functional.conv3d``.

    The filter is smaller than the input along depth too and slides in three directions, so each filter
    gives a 3-D output.

    Parameters
    ----------
    input : array_like
        ``(N, C_in, D, H, W)`` or unbatched ``(C_in, D, H, W)``.
    weight : array_like
        ``(C_out, C_in / groups, kd, kh, kw)``.
    bias, stride, padding, dilation, groups
        As :func:`conv2d`, per axis over (D, H, W).

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - Input: ``(N, C_in, D, H, W)``; Weight: ``(C_out, C_in / groups, kd, kh, kw)``
    - Output: ``(N, C_out, D_out, H_out, W_out)``, each axis as in :func:`conv1d`.

    Examples
    --------
    >>> import numpy as np
    >>> conv3d(np.ones((1, 1, 3, 4, 5)), np.ones((2, 1, 2, 2, 2))).shape
    (1, 2, 2, 3, 4)
    """
    return _conv_nd(3, "conv3d", input, weight, bias, stride, padding, dilation, groups)
