"""Argument normalising and checking shared by every public function.

Every check raises a ``TypeError`` or ``ValueError`` whose message names the argument, what was
expected and what came, in the style of PyTorch's messages, so that the fix is obvious.
"""
from __future__ import annotations

import numbers
from typing import Iterable, Sequence

import numpy as np

__all__ = [
    "as_array",
    "fmt_shape",
    "ntuple",
    "nonneg_tuple",
    "padding_pairs",
    "check_mode",
    "check_int",
    "accum_dtype",
]


def fmt_shape(shape: Iterable[int]) -> str:
    """``(2, 3, 5)`` (and ``(2,)``) for any shape-like, the way messages print sizes."""
    return str(tuple(int(s) for s in shape))


def as_array(x, name: str, *, ndims: Sequence[int] | None = None, func: str | None = None,
             nonempty: bool = False) -> np.ndarray:
    """Return ``x`` as a numeric ndarray (ints or floats), or raise naming ``name``.

    Booleans, strings, objects and complex numbers are refused with a ``TypeError``; ``ndims`` lists the
    accepted numbers of dimensions; ``nonempty`` refuses a zero-size axis (an empty batch, no channels, an
    empty image), which would otherwise give an empty output.
    """
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged nested lists and the like
        raise TypeError(f"{name} must be a numeric array, but could not be converted: {exc}") from None
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must be a numeric array of integers or floats, but got dtype {arr.dtype}"
            + (" (is it a list of lists of different lengths?)" if arr.dtype == object else "")
        )
    if ndims is not None and arr.ndim not in ndims:
        where = f" to {func}" if func else ""
        want = " or ".join(f"{d}D" for d in ndims)
        raise ValueError(f"Expected {want} {name}{where}, but got {name} of size: {fmt_shape(arr.shape)}")
    if nonempty and 0 in arr.shape:
        axis = arr.shape.index(0)
        raise ValueError(f"{func + ': ' if func else ''}{name} must have no zero-size dimension (an empty batch, no "
                         f"channels or an empty image give an empty output), but got {name} of size "
                         f"{fmt_shape(arr.shape)} (axis {axis} is 0)")
    return arr


def accum_dtype(*arrays: np.ndarray) -> np.dtype:
    """The dtype results are computed and returned in.

    Floats keep their precision (float32 stays float32, mixed float32/float64 gives float64); integers are
    computed exactly in int64 so that the hand-checkable examples of the chapters stay integers.
    """
    dt = np.result_type(*arrays)
    if dt.kind in "iu":
        return np.dtype(np.int64)
    if dt.itemsize < 4:
        return np.dtype(np.float32)
    return dt


def check_int(value, name: str, *, minimum: int | None = None) -> int:
    """One integer ``value`` (numpy integers welcome, bools and floats refused)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, but got {value!r} of type {type(value).__name__}")
    value = int(value)
    if minimum is not None and value < minimum:
        kind = "positive" if minimum == 1 else f"at least {minimum}"
        raise ValueError(f"{name} must be {kind}, but got {value}")
    return value


def ntuple(value, n: int, name: str, *, minimum: int | None = 1) -> tuple[int, ...]:
    """An int or a sequence of ``n`` ints, as a tuple of ``n`` ints each ``>= minimum``.

    >>> ntuple(2, 3, "stride")
    (2, 2, 2)
    >>> ntuple((1, 2), 2, "dilation")
    (1, 2)
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        values = tuple(value)
        if len(values) == 1 and n > 1:
            values = values * n
        if len(values) != n:
            raise ValueError(f"{name} must be an int or a tuple of {n} ints, but got {tuple(value)!r}")
    else:
        values = (value,) * n
    out = []
    for v in values:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
            raise TypeError(
                f"{name} must be an int or a tuple of {n} ints, but got {value!r} "
                f"(an element of type {type(v).__name__})"
            )
        v = int(v)
        if minimum is not None and v < minimum:
            kind = "positive" if minimum == 1 else ("non-negative" if minimum == 0 else f">= {minimum}")
            raise ValueError(f"{name} must be {kind}, but got {name}={value!r}")
        out.append(v)
    return tuple(out)


def nonneg_tuple(value, n: int, name: str) -> tuple[int, ...]:
    """Like :func:`ntuple` but zero is allowed (padding, output_padding)."""
    return ntuple(value, n, name, minimum=0)


def padding_pairs(padding, n: int, *, kernel: Sequence[int] | None = None,
                  dilation: Sequence[int] | None = None, stride: Sequence[int] | None = None,
                  allow_negative: bool = False, name: str = "padding") -> tuple[tuple[int, int], ...]:
    """Normalise ``padding`` to ``n`` (before, after) pairs.

    Accepts an int, ``n`` ints (symmetric per axis), ``n`` pairs (per side), ``'valid'`` (no padding) or
    ``'same'`` (output size = input size at stride 1; an odd total puts the extra zero after, as PyTorch
    and TensorFlow do).

    >>> padding_pairs(1, 2)
    ((1, 1), (1, 1))
    >>> padding_pairs("same", 1, kernel=(4,), dilation=(1,), stride=(1,))
    ((1, 2),)
    >>> padding_pairs(((0, 1), (2, 0)), 2)
    ((0, 1), (2, 0))
    """
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * n
        if padding == "same":
            if kernel is None:
                raise ValueError("padding='same' needs the kernel size")
            stride = stride or (1,) * n
            if any(s != 1 for s in stride):
                raise ValueError(f"padding='same' is not supported for strided convolutions (got stride={tuple(stride)})")
            dilation = dilation or (1,) * n
            pairs = []
            for k, d in zip(kernel, dilation):
                total = d * (k - 1)
                pairs.append((total // 2, total - total // 2))
            return tuple(pairs)
        raise ValueError(f"Invalid padding string {padding!r}, should be one of 'valid', 'same' or an int/tuple")
    minimum = None if allow_negative else 0
    if isinstance(padding, (list, tuple, np.ndarray)) and len(padding) == n and all(
        isinstance(p, (list, tuple, np.ndarray)) for p in padding
    ):
        pairs = []
        for p in padding:
            pairs.append(ntuple(p, 2, name, minimum=minimum))
        if not allow_negative and any(v < 0 for pr in pairs for v in pr):
            raise ValueError(f"negative padding is not supported, got {name}={padding!r}")
        return tuple(pairs)
    try:
        per_axis = ntuple(padding, n, name, minimum=None)
    except ValueError:
        raise ValueError(
            f"{name} must be an int, a tuple of {n} ints, a tuple of {n} (before, after) pairs, "
            f"'valid' or 'same', but got {padding!r}"
        ) from None
    if not allow_negative and any(p < 0 for p in per_axis):
        raise ValueError(f"negative padding is not supported, got {name}={padding!r}")
    return tuple((p, p) for p in per_axis)


def check_mode(mode, allowed: Sequence[str], name: str = "mode") -> str:
    """``mode`` if it is one of ``allowed``, else a ValueError listing them."""
    if not isinstance(mode, str) or mode not in allowed:
        opts = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {opts}, but got {mode!r}")
    return mode
