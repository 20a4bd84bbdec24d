"""The element-wise nonlinearities the blocks of the curriculum use, as ``torch.nn.functional`` names them."""
from __future__ import annotations

import numbers

import numpy as np

from ._args import as_array

__all__ = ["relu", "relu6", "hardtanh", "sigmoid"]


def relu(input):
    """Rectified linear unit, ``max(x, 0)``, element-wise.

    Parameters
    ----------
    input : array_like

    Returns
    -------
    numpy.ndarray
        Same dtype (integers stay integers).

    Shape
    -----
    - Input: ``(*)`` any shape; Output: the same

    Examples
    --------
    >>> relu([-2, 0, 3])
    array([0, 0, 3])
    """
    x = as_array(input, "input")
    return np.maximum(x, np.zeros((), dtype=x.dtype))


def hardtanh(input, min_val=-1.0, max_val=1.0):
    """Clip to ``[min_val, max_val]`` element-wise, as ``torch.nn.functional.hardtanh``.

    Parameters
    ----------
    input : array_like
    min_val, max_val : float
        Bounds, ``min_val <= max_val``.

    Returns
    -------
    numpy.ndarray
        Same dtype for float input and for integer input with integer bounds.

    Shape
    -----
    - Input: ``(*)``; Output: the same

    Examples
    --------
    >>> hardtanh([-3.0, 0.5, 2.0])
    array([-1. ,  0.5,  1. ])
    """
    x = as_array(input, "input")
    for name, v in (("min_val", min_val), ("max_val", max_val)):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
            raise TypeError(f"{name} must be a number, but got {v!r}")
    if max_val < min_val:
        raise ValueError(f"max_val cannot be less than min_val, but got min_val={min_val} and max_val={max_val}")
    out = np.clip(x, min_val, max_val)
    return out.astype(x.dtype, copy=False) if x.dtype.kind == "f" else out


def relu6(input):
    """``min(max(x, 0), 6)`` element-wise (MobileNet's activation), as ``torch.nn.functional.relu6``.

    Shape
    -----
    - Input: ``(*)``; Output: the same

    Examples
    --------
    >>> relu6([-1, 3, 9])
    array([0, 3, 6])
    """
    return hardtanh(input, 0, 6)


def sigmoid(input):
    """Logistic sigmoid ``1 / (1 + exp(-x))`` element-wise, without overflow for large ``|x|``.

    For ``x >= 0`` it is computed as ``1 / (1 + exp(-x))`` and for ``x < 0`` as ``exp(x) / (1 + exp(x))``,
    so ``exp`` only ever sees non-positive numbers: no overflow warning, and tiny values keep their
    relative precision (``sigmoid(-800.0)`` is 0, ``sigmoid(-30.0)`` is about ``9.4e-14``, not 0).

    Parameters
    ----------
    input : array_like

    Returns
    -------
    numpy.ndarray
        Same dtype for float32/float64, float64 for integers.

    Shape
    -----
    - Input: ``(*)``; Output: the same

    Examples
    --------
    >>> sigmoid([-1000.0, 0.0, 1000.0])
    array([0. , 0.5, 1. ])
    """
    x = as_array(input, "input")
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    elif x.dtype.itemsize < 4:
        x = x.astype(np.float32)
    e = np.exp(-np.abs(x))                    # in (0, 1]: never overflows
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)
