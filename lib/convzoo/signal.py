"""Convolution and cross-correlation as signal processing defines them (chapter 1).

``convolve`` flips the kernel before sliding it; ``correlate`` slides it as it is. Both are the core op
(:func:`convzoo.core.conv_general`) with full padding, cut down to the requested mode. For 1-D arrays
they follow ``numpy.convolve`` / ``numpy.correlate``; for 2-D arrays ``scipy.signal.convolve2d`` /
``scipy.signal.correlate2d`` (the two libraries centre an even-length 'same' output differently, and
we follow each).
"""
from __future__ import annotations

import numpy as np

from ._args import as_array, check_mode, fmt_shape
from .core import conv_general

__all__ = ["convolve", "correlate"]

_MODES = ("full", "same", "valid")


def _full_correlation(a: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``out[k + M - 1] = sum_n a[n + k] * v[n]`` for every shift ``k`` at which the two overlap."""
    pad = tuple(m - 1 for m in v.shape)
    return conv_general(a[None, None], v[None, None], padding=pad)[0, 0]


def _prepare(a, v, func: str, mode: str):
    a = as_array(a, "a" if func in ("convolve", "correlate") else "in1", ndims=(1, 2), func=func)
    v = as_array(v, "v", ndims=(1, 2), func=func)
    if a.ndim != v.ndim:
        raise ValueError(f"{func}: a and v must have the same number of dimensions, but got a of size "
                         f"{fmt_shape(a.shape)} and v of size {fmt_shape(v.shape)}")
    if a.size == 0 or v.size == 0:
        raise ValueError(f"{func}: a and v must not be empty, but got sizes {fmt_shape(a.shape)} and {fmt_shape(v.shape)}")
    check_mode(mode, _MODES)
    if mode == "valid" and a.ndim == 2:
        bigger = all(n >= m for n, m in zip(a.shape, v.shape))
        smaller = all(n <= m for n, m in zip(a.shape, v.shape))
        if not (bigger or smaller):
            raise ValueError(f"{func}: in 'valid' mode one array must be at least as large as the other in every "
                             f"dimension, but got {fmt_shape(a.shape)} and {fmt_shape(v.shape)}")
    return a, v


def _cut(full: np.ndarray, a_shape, v_shape, mode: str, starts) -> np.ndarray:
    """Cut the 'full' result down to 'same' or 'valid'; ``starts`` are the per-axis 'same' offsets."""
    if mode == "full":
        return full
    if mode == "valid":
        # the shifts at which one array lies entirely inside the other
        idx = tuple(slice(min(n, m) - 1, max(n, m)) for n, m in zip(a_shape, v_shape))
        return full[idx]
    lengths = (max(a_shape[0], v_shape[0]),) if full.ndim == 1 else a_shape
    return full[tuple(slice(s, s + n) for s, n in zip(starts, lengths))]


def correlate(a, v, mode="valid"):
    """Cross-correlation of two 1-D or two 2-D arrays: slide ``v`` over ``a`` *without* flipping it.

    ``out[k] = sum_n a[n + k] * v[n]``. This is what deep-learning "convolution" layers compute.

    Parameters
    ----------
    a, v : array_like
        Two 1-D arrays (numpy semantics) or two 2-D arrays (``scipy.signal.correlate2d`` semantics).
    mode : {'valid', 'same', 'full'}
        'full': every shift with any overlap (length ``N + M - 1``); 'same': 1-D: length ``max(N, M)``,
        2-D: the shape of ``a``, centred; 'valid': only shifts where one array lies inside the other.
        The default is numpy's ('valid').

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - 1-D: ``(N,)`` and ``(M,)`` give ``(N + M - 1,)``, ``(max(N, M),)`` or ``(|N - M| + 1,)``.
    - 2-D: per axis the same rules, except that 'same' keeps ``a``'s shape.

    Examples
    --------
    >>> correlate([1, 2, 3, 4], [1, 0, -1])
    array([-2, -2])
    >>> correlate([1, 2, 3], [0, 1, 0.5], mode="full")
    array([0.5, 2. , 3.5, 3. , 0. ])
    """
    a, v = _prepare(a, v, "correlate", mode)
    full = _full_correlation(a, v)
    if a.ndim == 1:
        s = min(a.size, v.size)
        # numpy computes with the longer array first and reverses the result when it had to swap
        start = (s - 1) // 2 if a.size >= v.size else s - 1 - (s - 1) // 2
        starts = (start,)
    else:
        starts = tuple(m // 2 for m in v.shape)
    return _cut(full, a.shape, v.shape, mode, starts)


def convolve(a, v, mode="full"):
    """True convolution of two 1-D or two 2-D arrays: flip ``v``, then slide it over ``a``.

    ``out[k] = sum_n a[n] * v[k - n]``. Commutative and associative, unlike :func:`correlate`;
    ``convolve(a, v) == correlate(a, v[::-1])`` in 'full' mode (the flip is the whole difference).

    Parameters
    ----------
    a, v : array_like
        Two 1-D arrays (``numpy.convolve`` semantics) or two 2-D arrays (``scipy.signal.convolve2d``).
    mode : {'full', 'same', 'valid'}
        As in :func:`correlate`; the default is numpy's ('full').

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    As :func:`correlate`.

    Examples
    --------
    >>> convolve([1, 2, 3], [0, 1, 0.5])
    array([0. , 1. , 2.5, 4. , 1.5])
    >>> convolve([[1, 2], [3, 4]], [[1, -1]], mode="valid")
    array([[1],
           [1]])
    """
    a, v = _prepare(a, v, "convolve", mode)
    flipped = v[(slice(None, None, -1),) * v.ndim]
    full = _full_correlation(a, flipped)
    if a.ndim == 1:
        starts = ((min(a.size, v.size) - 1) // 2,)
    else:
        starts = tuple((m - 1) // 2 for m in v.shape)
    return _cut(full, a.shape, v.shape, mode, starts)
