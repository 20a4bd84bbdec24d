"""How far a channel shuffle spreads information through a stack of grouped layers.

:mod:`convzoo.grouped` has the shuffle itself (:func:`convzoo.shuffle_permutation`,
:func:`convzoo.channel_shuffle`) and the 0/1 matrix of which inputs reach which outputs
(:func:`convzoo.channel_connectivity`). This module adds the numbers chapter 11 reads off those matrices:

- :func:`permutation_matrix`: the shuffle as a 0/1 matrix ``P``, so that ``P @ v`` reorders ``v`` and a stack of
  layers is a product of matrices;
- :func:`shuffle_reach`: how many input channels each output channel sees after ``L`` grouped layers of
  ``g`` groups on ``C`` channels with a shuffle between them: ``min(C, (C / g) ** L)``;
- :func:`layers_to_connect`: the smallest ``L`` for which that is all ``C``.
"""
from __future__ import annotations

import numpy as np

from ._args import as_array, check_int

__all__ = ["permutation_matrix", "shuffle_reach", "layers_to_connect"]


def _channels_groups(channels, groups) -> tuple[int, int]:
    c = check_int(channels, "channels", minimum=1)
    g = check_int(groups, "groups", minimum=1)
    if c % g:
        raise ValueError(f"Number of channels must be divisible by groups. Got {c} channels and {g} groups.")
    return c, g


def permutation_matrix(perm):
    """The 0/1 matrix ``P`` with ``P[i, perm[i]] = 1``: ``P @ v`` equals ``v[perm]``.

    Row ``i`` has its single 1 in column ``perm[i]``: output position ``i`` takes input ``perm[i]``. Its
    transpose is its inverse (``P.T @ P`` is the identity), and putting it between two layers' matrices makes
    the product of the matrices describe the whole stack.

    Parameters
    ----------
    perm : array_like of int
        A permutation of ``0 ... n - 1``, e.g. :func:`convzoo.shuffle_permutation`.

    Returns
    -------
    numpy.ndarray of int64

    Shape
    -----
    - Input: ``(n,)``; Output: ``(n, n)``

    Examples
    --------
    >>> import numpy as np
    >>> P = permutation_matrix([0, 2, 1])
    >>> P
    array([[1, 0, 0],
           [0, 0, 1],
           [0, 1, 0]])
    >>> P @ np.array([10, 20, 30])
    array([10, 30, 20])
    """
    p = as_array(perm, "perm")
    if p.ndim != 1 or not np.issubdtype(p.dtype, np.integer):
        raise ValueError(f"perm must be a 1-D array of integers, but got an array of shape {p.shape} and dtype "
                         f"{p.dtype}")
    n = p.shape[0]
    if not np.array_equal(np.sort(p), np.arange(n)):
        raise ValueError(f"perm must hold each of 0 ... {n - 1} exactly once, but got {p.tolist()}")
    return np.eye(n, dtype=np.int64)[p]


def shuffle_reach(channels, groups, layers):
    """How many input channels each output channel sees after ``layers`` shuffled grouped layers.

    Every layer is a grouped layer with ``groups`` groups from ``C`` to ``C`` channels, with a channel shuffle
    between consecutive layers (:func:`convzoo.channel_connectivity` with ``shuffle=True``). One layer lets an
    output see the ``C / g`` channels of its group; the shuffle hands each group of the next layer ``C / g``
    channels that come from ``C / g`` different groups of the layer before (when ``C / g <= g``), so each layer
    multiplies the count by ``C / g`` until it reaches ``C``: every output sees ``min(C, (C / g) ** L)``
    inputs, the same number for every output. Without the shuffle it stays ``C / g`` for any ``L``.

    Parameters
    ----------
    channels : int
        ``C``, the width of every layer.
    groups : int
        ``g``, dividing ``C``.
    layers : int
        ``L >= 1``.

    Returns
    -------
    int

    Shape
    -----
    Every layer maps ``C`` channels to ``C`` channels; the count is per output channel.

    Examples
    --------
    >>> shuffle_reach(12, 3, 1), shuffle_reach(12, 3, 2)
    (4, 12)
    >>> shuffle_reach(12, 4, 2), shuffle_reach(12, 4, 3)    # C / g = 3 < g = 4: two layers are not enough
    (9, 12)
    """
    c, g = _channels_groups(channels, groups)
    n_layers = check_int(layers, "layers", minimum=1)
    width = c // g
    reach = 1
    for _ in range(n_layers):
        reach = min(c, reach * width)
    return reach


def layers_to_connect(channels, groups):
    """The fewest shuffled grouped layers after which every output channel sees every input channel.

    The smallest ``L`` with ``(C / g) ** L >= C`` (see :func:`shuffle_reach`): 1 for ``g = 1``; 2 exactly when
    ``g <= C / g``, i.e. ``g ** 2 <= C``; more for wider groups counts. With ``g = C`` (depthwise: one channel
    per group) no number of layers connects anything, and the answer is ``None`` (for ``C > 1``).

    Parameters
    ----------
    channels : int
        ``C``.
    groups : int
        ``g``, dividing ``C``.

    Returns
    -------
    int or None

    Shape
    -----
    A stack of ``C -> C`` grouped layers, a shuffle between consecutive layers.

    Examples
    --------
    >>> layers_to_connect(12, 3), layers_to_connect(12, 4), layers_to_connect(6, 3), layers_to_connect(8, 8)
    (2, 3, 3, None)
    """
    c, g = _channels_groups(channels, groups)
    width = c // g
    if c == 1:
        return 1
    if width == 1:
        return None
    n_layers, reach = 1, width
    while reach < c:
        reach *= width
        n_layers += 1
    return n_layers
