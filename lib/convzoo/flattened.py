"""Flattened filters (chapter 9): how well a ``C x k x k`` filter can be made an outer product of three vectors.

:func:`convzoo.flatten_filter` (in :mod:`convzoo.separable`) returns the best rank-1 filter. This module holds
what the chapter needs to *watch* that search and to judge its answer:

- :func:`rank1_sweeps`: the alternating least squares (higher-order power iteration) sweeps written out
  one by one, from a chosen start, with the relative error after every sweep (its convergence);
- :func:`rank1_restarts`: the sweeps from the HOSVD start and from several random starts, keeping the best:
  unlike the SVD of a matrix, the sweeps can stop at a *local* optimum, which depends on the start;
- :func:`unfolding_errors`: the best rank-1 error of each of the filter's three unfoldings (matrices), by
  SVD. A rank-1 filter has rank-1 unfoldings, so each is a lower bound on the flattening error; with one
  channel the vertical/horizontal ones are exactly chapter 8's spatial separability;
- :func:`example_filter`: the filters the chapter compares: exactly rank 1, smooth, a patch of the photo,
  random.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._args import as_array, check_int
from .separable import rank1_filter

__all__ = ["FILTER_KINDS", "example_filter", "Rank1Trace", "rank1_sweeps", "rank1_restarts", "unfolding_errors"]

FILTER_KINDS = ("rank-1", "smooth", "photo patch", "random")
"""The kinds of :func:`example_filter`, from the easiest to flatten to the hardest."""


def _smooth(noise: np.ndarray) -> np.ndarray:
    """Average every entry with its 3x3x3 neighbours (edges repeated): a filter that varies slowly."""
    from .conv import conv3d

    padded = np.pad(noise, 1, mode="edge")
    return conv3d(padded[None, None], np.full((1, 1, 3, 3, 3), 1 / 27))[0, 0]


def example_filter(kind: str, channels: int = 3, size: int = 3, seed: int = 0) -> np.ndarray:
    """A ``C x k x k`` filter of a named kind, the same on every call.

    Parameters
    ----------
    kind : str
        One of :data:`FILTER_KINDS`:

        - ``"rank-1"``: the outer product of three random vectors (exactly flattenable, error 0);
        - ``"smooth"``: random numbers, each averaged with its 3x3x3 neighbours, twice (slowly varying);
        - ``"photo patch"``: a ``k x k`` patch of the photo (on the collar's edge, rows 44.., columns 28.. of
          the 64x64 colour photo), its first ``C`` colour channels, with the patch's mean removed, like a
          first-layer filter that responds to that edge. At most 3 channels;
        - ``"random"``: independent standard normal entries.
    channels : int
        ``C``, 1 to 64 (at most 3 for the photo).
    size : int
        ``k``, 1 to 9.
    seed : int
        Seed of ``np.random.default_rng`` for the random kinds.

    Returns
    -------
    numpy.ndarray
        float64.

    Shape
    -----
    - ``(channels, size, size)``

    Examples
    --------
    >>> w = example_filter("rank-1", channels=2, size=3)
    >>> w.shape, [int(np.linalg.matrix_rank(w.reshape(2, -1))), int(np.linalg.matrix_rank(w[0]))]
    ((2, 3, 3), [1, 1])
    >>> example_filter("photo patch", channels=4)
    Traceback (most recent call last):
    ...
    ValueError: the photo has 3 colour channels (R, G, B), so a photo patch has at most 3 channels, but got channels=4
    """
    if kind not in FILTER_KINDS:
        raise ValueError(f"unknown filter kind {kind!r}; choose one of {', '.join(map(repr, FILTER_KINDS))}")
    c = check_int(channels, "channels", minimum=1)
    k = check_int(size, "size", minimum=1)
    if c > 64:
        raise ValueError(f"channels must be at most 64, but got channels={c}")
    if k > 9:
        raise ValueError(f"size must be at most 9, but got size={k}")
    rng = np.random.default_rng(seed)
    if kind == "rank-1":
        return rank1_filter(rng.standard_normal(c), rng.standard_normal(k), rng.standard_normal(k))
    if kind == "random":
        return rng.standard_normal((c, k, k))
    if kind == "smooth":
        return _smooth(_smooth(rng.standard_normal((c, k, k))))
    if c > 3:
        raise ValueError(f"the photo has 3 colour channels (R, G, B), so a photo patch has at most 3 channels, "
                         f"but got channels={c}")
    from .data import sample_image

    patch = sample_image(size=64)[:c, 44:44 + k, 28:28 + k]
    return patch - patch.mean()


class Rank1Trace(NamedTuple):
    """The result of :func:`rank1_sweeps`: the three vectors after the last sweep and the error after each."""

    lateral: np.ndarray        #: (C,): carries the scale sigma
    vertical: np.ndarray       #: (kh,): unit norm
    horizontal: np.ndarray     #: (kw,): unit norm
    approximation: np.ndarray  #: (C, kh, kw): lateral (x) vertical (x) horizontal
    errors: np.ndarray         #: (sweeps,): ||W - approximation||_F / ||W||_F after sweep 1, 2, ...


def _unit(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x)
    return x / n if n > 0 else x


def rank1_sweeps(filter, sweeps: int = 10, start: str = "hosvd", seed: int = 0) -> Rank1Trace:
    """Alternating least squares for the best rank-1 filter, sweep by sweep, with the error after each sweep.

    A sweep updates the three vectors in turn; each update is the exact least-squares answer when the other
    two (unit) vectors are held fixed, so the error can never grow:

    - ``l[c] = sum_ij W[c, i, j] v[i] h[j]``, then ``l <- l / ||l||``
    - ``v[i] = sum_cj W[c, i, j] l[c] h[j]``, then ``v <- v / ||v||``
    - ``h[j] = sum_ci W[c, i, j] l[c] v[i]``, then ``sigma = ||h||``, ``h <- h / sigma``

    and the approximation is ``sigma * l (x) v (x) h``. (This is the higher-order power iteration of
    De Lathauwer, De Moor & Vandewalle 2000.) :func:`convzoo.flatten_filter` runs the same sweeps to
    convergence from the ``"hosvd"`` start.

    Parameters
    ----------
    filter : array_like
        ``(C, kh, kw)``.
    sweeps : int
        Number of sweeps, at least 1.
    start : {"hosvd", "random"}
        Where ``v`` and ``h`` start: the leading left singular vector of the filter's vertical and horizontal
        unfoldings (``"hosvd"``, a good start), or random unit vectors from ``np.random.default_rng(seed)``.
    seed : int
        For ``start="random"``.

    Returns
    -------
    Rank1Trace

    Shape
    -----
    - filter ``(C, kh, kw)``; lateral ``(C,)``, vertical ``(kh,)``, horizontal ``(kw,)``; errors ``(sweeps,)``

    Examples
    --------
    An outer product is found in one sweep:

    >>> w = rank1_filter([1.0, 2.0], [1.0, -1.0], [3.0, 0.0, 1.0])
    >>> trace = rank1_sweeps(w, sweeps=2)
    >>> bool(trace.errors[0] < 1e-12), bool(np.allclose(trace.approximation, w))
    (True, True)

    From a random start the error falls sweep by sweep and never rises:

    >>> w = np.random.default_rng(0).standard_normal((4, 3, 3))
    >>> e = rank1_sweeps(w, sweeps=8, start="random").errors
    >>> bool(np.all(np.diff(e) <= 1e-12)), bool(e[0] > e[-1])
    (True, True)
    """
    w = as_array(filter, "filter", ndims=(3,), func="rank1_sweeps").astype(float)
    n = check_int(sweeps, "sweeps", minimum=1)
    if start == "hosvd":
        def lead(mode):
            vec = np.linalg.svd(np.moveaxis(w, mode, 0).reshape(w.shape[mode], -1), full_matrices=False)[0][:, 0]
            return vec if vec.sum() >= 0 else -vec

        v, h = lead(1), lead(2)
    elif start == "random":
        rng = np.random.default_rng(seed)
        v, h = _unit(rng.standard_normal(w.shape[1])), _unit(rng.standard_normal(w.shape[2]))
    else:
        raise ValueError(f"start must be 'hosvd' or 'random', but got start={start!r}")
    norm = np.linalg.norm(w)
    errors = np.empty(n)
    for t in range(n):
        l = _unit(np.einsum("cij,i,j->c", w, v, h))
        v = _unit(np.einsum("cij,c,j->i", w, l, h))
        h = np.einsum("cij,c,i->j", w, l, v)
        sigma = np.linalg.norm(h)
        h = _unit(h)
        approx = rank1_filter(sigma * l, v, h)
        errors[t] = np.linalg.norm(w - approx) / norm if norm > 0 else 0.0
    return Rank1Trace(sigma * l, v, h, approx, errors)


def rank1_restarts(filter, restarts: int = 10, sweeps: int = 300, seed: int = 0):
    """Run :func:`rank1_sweeps` from the HOSVD start and from ``restarts`` random starts; keep the best.

    For a matrix (one channel) every start reaches the SVD's answer. For a ``C x kh x kw`` filter the sweeps
    can settle on a *local* optimum: different starts end at different errors, and the HOSVD start (used by
    :func:`convzoo.flatten_filter`) is a good guess, not a guarantee.

    Parameters
    ----------
    filter : array_like
        ``(C, kh, kw)``.
    restarts : int
        Random starts, seeds ``seed, seed + 1, ...``.
    sweeps : int
        Sweeps per start.
    seed : int

    Returns
    -------
    (Rank1Trace, numpy.ndarray)
        The best run, and the final relative error of every run (HOSVD first, then the random starts).

    Shape
    -----
    - filter ``(C, kh, kw)``; the errors ``(restarts + 1,)``

    Examples
    --------
    >>> w = np.random.default_rng(5).standard_normal((4, 3, 3))
    >>> best, finals = rank1_restarts(w, restarts=10)
    >>> np.round(finals[0], 4), np.round(finals.min(), 4)     # the HOSVD start is not the best here
    (np.float64(0.8612), np.float64(0.838))
    """
    w = as_array(filter, "filter", ndims=(3,), func="rank1_restarts").astype(float)
    n = check_int(restarts, "restarts", minimum=0)
    runs = [rank1_sweeps(w, sweeps, start="hosvd")]
    runs += [rank1_sweeps(w, sweeps, start="random", seed=seed + i) for i in range(n)]
    finals = np.array([r.errors[-1] for r in runs])
    return runs[int(np.argmin(finals))], finals


def unfolding_errors(filter) -> np.ndarray:
    """Best rank-1 relative error of each unfolding of a ``C x kh x kw`` filter: lower bounds on flattening.

    The *unfolding* along an axis lays the filter out as a matrix with one row per index of that axis:
    ``(C, kh*kw)`` (lateral), ``(kh, C*kw)`` (vertical), ``(kw, C*kh)`` (horizontal). If the filter is
    ``l (x) v (x) h``, each unfolding is an outer product of two vectors (rank 1), so no rank-1 filter can be
    closer to ``W`` than the best rank-1 matrix (SVD, Eckart-Young) of any unfolding:
    ``flatten_filter(W).relative_error >= max(unfolding_errors(W))``.

    Parameters
    ----------
    filter : array_like
        ``(C, kh, kw)``.

    Returns
    -------
    numpy.ndarray
        ``(3,)``: lateral, vertical, horizontal; each ``sqrt(s_2^2 + s_3^2 + ...) / ||W||_F``.

    Shape
    -----
    - ``(C, kh, kw)`` -> ``(3,)``

    Examples
    --------
    With one channel the vertical and horizontal unfoldings are the kernel and its transpose (chapter 8's
    rank-1 error); the lateral one is a single row, always rank 1:

    >>> k = np.array([[0.0, 1, 0], [1, -4, 1], [0, 1, 0]])
    >>> np.round(unfolding_errors(k[None]), 4)
    array([0.    , 0.1005, 0.1005])
    """
    w = as_array(filter, "filter", ndims=(3,), func="unfolding_errors").astype(float)
    norm = np.linalg.norm(w)
    out = np.zeros(3)
    if norm == 0:
        return out
    for mode in range(3):
        s = np.linalg.svd(np.moveaxis(w, mode, 0).reshape(w.shape[mode], -1), compute_uv=False)
        out[mode] = np.sqrt(np.sum(s[1:] ** 2)) / norm
    return out
