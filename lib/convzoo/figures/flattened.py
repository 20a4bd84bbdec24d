"""Figures of chapter 9: flattened convolution.

- :func:`outer_product_figure`: three 1-D filters (lateral across channels, vertical, horizontal) and the
  ``C x k x k`` filter they make, ``w[c, i, j] = l[c] v[i] h[j]``, drawn slice by slice.
- :func:`three_passes_figure`: a lateral (1x1) pass, a vertical (k x 1) pass and a horizontal (1 x k) pass
  give exactly the one pass with the outer-product filter, with the multiplications each pass costs.
- :func:`rank1_figure`: a filter, its best rank-1 (flattened) approximation and what is left, with the
  relative error, the SVD lower bounds of the three unfoldings and the parameter counts. The explorer draws it.
- :func:`convergence_figure`: the relative error after each alternating-least-squares sweep.
- :func:`error_by_kind_figure`: the rank-1 error against the number of channels for each kind of filter.
- :func:`params_figure`: parameters of a flattened filter as a fraction of a full one, ``(C + 2k) / (C k^2)``.

Every number a reader must check is written in its cell (:func:`.common.draw_grid`).
"""
from __future__ import annotations

import numpy as np

from ..conv import conv2d
from ..cost import conv_params, flattened_params
from ..flattened import FILTER_KINDS, example_filter, rank1_sweeps, unfolding_errors
from ..separable import flatten_filter, flattened_conv2d, pointwise_conv2d, rank1_filter
from .common import _numbers, _shared_colours, _side_by_side, draw_grid, new_figure
from .common import _fmt_compact as _fmt
from .common import _vector as _common_vector

__all__ = ["outer_product_figure", "three_passes_figure", "rank1_figure", "convergence_figure",
           "error_by_kind_figure", "params_figure"]

_LINE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")  # Okabe-Ito, colour-blind safe


def _vector(x, name: str, largest: int = 9) -> np.ndarray:
    return _common_vector(x, name, largest, what="filter")


def _filter(w, name: str = "filter", channels: int = 8, size: int = 9) -> np.ndarray:
    arr = _numbers(w, name)
    if arr.ndim != 3 or not (1 <= arr.shape[0] <= channels and 1 <= min(arr.shape[1:]) and max(arr.shape[1:]) <= size):
        raise ValueError(f"{name} must be a (C, kh, kw) filter with C <= {channels} and kh, kw <= {size}, "
                         f"but got shape {arr.shape}")
    return arr


def _shared(*arrays) -> dict:
    """One colour scale for several panels (a NaN in them gives the scale ``(-1, 1)``)."""
    return _shared_colours(*arrays, finite_only=False)


def _slice_name(ax, x, text):
    """Name a slice just above the axes (a fixed offset in points, so the title's pad always clears it)."""
    ax.annotate(text, xy=(x, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 2), textcoords="offset points",
                ha="center", va="bottom", fontsize=8)


def _slice_ticks(ax, c: int, kh: int, kw: int) -> None:
    """Column ticks ``j`` under every slice, each slice named ``c = ...`` above its columns."""
    ticks, labels = [], []
    for i in range(c):
        ticks += [i * (kw + 1) + j for j in range(kw)]
        labels += [str(j) for j in range(kw)]
        _slice_name(ax, i * (kw + 1) + (kw - 1) / 2, f"c = {i}")
    ax.set_xticks(ticks, labels, fontsize=8 if kw * c > 20 else 10)
    ax.set_yticks(range(kh))
    ax.set_xlabel("column j, slice by slice (channel c)")
    ax.set_ylabel("row i")


def _blank_figure(size, title):
    """A :func:`.common.new_figure` without its default axes, for a hand-made grid of panels."""
    fig, ax = new_figure(size=size, title=title)
    ax.remove()
    return fig


def _draw_slices(ax, w, title, annotate=True, **colours):
    c, kh, kw = w.shape
    draw_grid(ax, _side_by_side(w), fmt=_fmt, annotate=annotate, fontsize=9, **colours)
    _slice_ticks(ax, c, kh, kw)
    ax.set_title(title, pad=15)


def _quick_blocks(ax, blocks, names, title, annotate, cmap, vmin, vmax):
    """Several ``(C, kh, kw)`` filters as blocks of slices, one block under the other, on one axes.

    Cheap enough to redraw in an explorer: one image, no tick per cell (ticks and axes are matplotlib's
    slowest parts), cell borders as two line collections, each slice named above the top block and each
    block named by a tick on the left."""
    from .common import _text_colour

    c, kh, kw = blocks[0].shape
    rows = [_side_by_side(b) for b in blocks]
    gap = np.full((1, rows[0].shape[1]), np.nan)
    grid = np.vstack([part for r in rows for part in (r, gap)][:-1])
    im = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=vmin, vmax=vmax)
    n_rows, cols = grid.shape
    ax.vlines(np.arange(-0.5, cols, 1), -0.5, n_rows - 0.5, colors="white", linewidth=1)
    ax.hlines(np.arange(-0.5, n_rows, 1), -0.5, cols - 0.5, colors="white", linewidth=1)
    ax.set_xticks([])
    ax.set_yticks([b * (kh + 1) + (kh - 1) / 2 for b in range(len(blocks))], names)
    for i in range(c):
        _slice_name(ax, i * (kw + 1) + (kw - 1) / 2, f"c = {i}")
    if annotate:
        for (i, j), val in np.ndenumerate(grid):
            if np.isfinite(val):
                ax.text(j, i, _fmt(val), ha="center", va="center", fontsize=7,
                        color=_text_colour(im.cmap(im.norm(val))))
    ax.set_xlabel("column j (left to right) in each channel's slice")
    ax.set_ylabel(f"rows i = 0..{kh - 1} of each block")
    ax.set_title(title, pad=15)
    return im


def outer_product_figure(lateral, vertical, horizontal):
    """Three 1-D filters and the flattened filter they make: ``w[c, i, j] = l[c] * v[i] * h[j]``.

    Parameters
    ----------
    lateral : sequence of numbers
        ``l``, one number per input channel (at most 6).
    vertical, horizontal : sequence of numbers
        ``v`` (length ``kh``) and ``h`` (length ``kw``), at most 7 each.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = outer_product_figure([1, 2], [1, 2, 1], [-1, 0, 1])
    >>> [t.get_text() for t in fig.axes[3].texts if t.get_text() not in ("c = 0", "c = 1")][:6]  # row 0 of both slices
    ['-1', '0', '1', '-2', '0', '2']
    """
    l, v, h = _vector(lateral, "lateral", 6), _vector(vertical, "vertical", 7), _vector(horizontal, "horizontal", 7)
    w = rank1_filter(l, v, h)
    colours = _shared(l, v, h, w)
    c, kh, kw = w.shape
    width = 2.2 + 0.5 * (c * (kw + 1))
    fig = _blank_figure((max(9.0, 4.0 + width), 2.6 + 0.45 * max(kh, c)),
                       f"A flattened filter: w[c, i, j] = l[c] v[i] h[j]\n"
                       f"{c} + {kh} + {kw} = {c + kh + kw} numbers make all {c}x{kh}x{kw} = {w.size} weights")
    grid = fig.add_gridspec(1, 4, width_ratios=[1, 1, kw, c * (kw + 1)])
    axes = [fig.add_subplot(grid[0, i]) for i in range(4)]
    draw_grid(axes[0], l[:, None], title="l (lateral,\nacross channels)", fmt=_fmt, xlabel="", ylabel="channel c",
              **colours)
    axes[0].set_xticks([])
    draw_grid(axes[1], v[:, None], title="v (vertical)", fmt=_fmt, xlabel="", ylabel="row i", **colours)
    axes[1].set_xticks([])
    draw_grid(axes[2], h[None, :], title="h (horizontal)", fmt=_fmt, xlabel="column j", ylabel="", **colours)
    axes[2].set_yticks([])
    _draw_slices(axes[3], w, "w = l (x) v (x) h: slice c is l[c] times the outer product of v and h", **colours)
    return fig


def three_passes_figure(image, lateral, vertical, horizontal):
    """Lateral, vertical and horizontal 1-D passes against one pass with the 3-D filter (stride 1, no padding).

    Five panels: the input's channels side by side; after the lateral pass (a 1x1 convolution: at each pixel
    the channels weighted by ``l`` and summed, one map left); after the vertical pass (``v`` down every
    column); after the horizontal pass (``h`` along every row), which is the output; and ``conv2d`` with the
    filter ``l (x) v (x) h`` for comparison. Each title counts the multiplications that made the panel: one
    per filter tap per value computed.

    Parameters
    ----------
    image : array_like
        ``(C, H, W)``, at most 4 channels and 8x8.
    lateral : sequence of numbers
        ``(C,)``.
    vertical, horizontal : sequence of numbers
        ``(kh,)`` and ``(kw,)``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> x = np.arange(50).reshape(2, 5, 5) % 7
    >>> fig = three_passes_figure(x, [1, 2], [1, 2, 1], [-1, 0, 1])
    >>> [ax.get_title().split("\\n")[-1] for ax in fig.axes[1:]]
    ['= 50 mult.', '= 45 mult.', '= 27 mult.', '= 162 mult.']
    """
    x = _filter(image, "image", channels=4, size=8)
    l, v, h = _vector(lateral, "lateral", 4), _vector(vertical, "vertical"), _vector(horizontal, "horizontal")
    if l.size != x.shape[0]:
        raise ValueError(f"lateral must have one number per input channel ({x.shape[0]}), but got {l.size}")
    if v.size > x.shape[1] or h.size > x.shape[2]:
        raise ValueError(f"a {v.size}x{h.size} filter does not fit in a {x.shape[1]}x{x.shape[2]} image "
                         f"(no padding): the image must be at least as large as the filter")
    lat = pointwise_conv2d(x, l[None])[0]
    mid = conv2d(lat[None, None], v[None, None, :, None])[0, 0]
    out = flattened_conv2d(x, l[None], v[None], h[None])[0]
    direct = conv2d(x, rank1_filter(l, v, h)[None])[0]
    c, (hl, wl), (hm, wm), (ho, wo) = x.shape[0], lat.shape, mid.shape, out.shape
    colours = _shared(lat, mid, out, direct)
    n = x.shape[2]
    fig = _blank_figure((13.0, 3.9),
                       "Three 1-D passes (lateral, vertical, horizontal) give the same output as one pass "
                       "with the 3-D filter")
    grid = fig.add_gridspec(1, 5, width_ratios=[c * (n + 1), max(wl, 5), max(wm, 5), max(wo, 5), max(wo, 5)])
    axes = [fig.add_subplot(grid[0, i]) for i in range(5)]
    _draw_slices(axes[0], x, f"input ({c}x{x.shape[1]}x{n})")
    axes[0].set_xlabel("column, channel by channel")
    draw_grid(axes[1], lat, title=f"lateral pass\n(1x1, l)\n{hl}x{wl} outputs x {c}\n= {hl * wl * c} mult.", fmt=_fmt,
              **colours)
    draw_grid(axes[2], mid, title=f"then vertical\n({v.size}x1, v)\n{hm}x{wm} outputs x {v.size}\n= "
                                  f"{hm * wm * v.size} mult.", fmt=_fmt, **colours)
    draw_grid(axes[3], out, title=f"then horizontal\n(1x{h.size}, h)\n{ho}x{wo} outputs x {h.size}\n= "
                                  f"{ho * wo * h.size} mult.", fmt=_fmt, **colours)
    taps = c * v.size * h.size
    draw_grid(axes[4], direct, title=f"one pass\n({c}x{v.size}x{h.size} filter)\n{ho}x{wo} outputs x {taps}\n= "
                                     f"{ho * wo * taps} mult.", fmt=_fmt, **colours)
    return fig


def rank1_figure(filter, name: str = "filter", annotate=None, max_iter: int = 300):
    """A filter, its best rank-1 (flattened) filter, and what is left; the errors and the parameter counts.

    Left, three blocks of slices (one ``kh x kw`` slice per channel, side by side, on one colour scale): the
    filter ``W``, the rank-1 filter ``l (x) v (x) h`` from :func:`convzoo.flatten_filter`, and ``W`` minus it.
    Without values written in the cells, a colour bar gives the scale. Right, bars: the relative error of the flattening, and the best rank-1 errors of the three unfoldings
    (lower bounds it can never beat, :func:`convzoo.unfolding_errors`).

    Parameters
    ----------
    filter : array_like
        ``(C, kh, kw)``, ``C <= 8``, ``kh, kw <= 9``.
    name : str
        Named in the title.
    annotate : bool, optional
        Write every value in its cell; by default only when the filter has at most 45 numbers.
    max_iter : int
        Sweeps allowed to :func:`convzoo.flatten_filter`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> w = rank1_filter([1, -2], [1, 2, 1], [1, 0, -1])
    >>> fig = rank1_figure(w, "rank-1")
    >>> fig.axes[0].get_title()[-20:]
    'relative error 0.000'
    """
    w = _filter(filter).astype(float)
    c, kh, kw = w.shape
    flat = flatten_filter(w, max_iter=max_iter)
    bounds = unfolding_errors(w)
    annotate = w.size <= 45 if annotate is None else bool(annotate)
    colours = _shared(w, flat.approximation)
    full, flattened = c * kh * kw, c + kh + kw
    cell = min(0.42, 9.0 / (c * (kw + 1)))   # inches per cell, so that 8 slices of 9 still fit in 13 inches
    left = max(cell * c * (kw + 1), 2.5)
    fig, (ax, bar) = new_figure(1, 2, size=(4.4 + left, 1.8 + cell * (3 * kh + 2)),
                                title=f"{name}: {c}x{kh}x{kw} = {full} weights; flattened, {c} + {kh} + {kw} = "
                                      f"{flattened}")
    ax.get_subplotspec().get_gridspec().set_width_ratios([left, 2.2])
    im = _quick_blocks(ax, [w, flat.approximation, w - flat.approximation], ["W", "best\nrank-1", "W -\nrank-1"],
                       f"W, its best rank-1 l (x) v (x) h, and the rest: relative error {flat.relative_error:.3f}",
                       annotate, **colours)
    if not annotate:  # values written in the cells need no colour bar
        fig.colorbar(im, ax=ax, shrink=0.8, location="left", label="weight value")
    values = [flat.relative_error, *bounds]
    names = ["filter", "lateral", "vertical", "horizontal"]
    bar.bar(range(4), values, color=[_LINE_COLOURS[0]] + [_LINE_COLOURS[1]] * 3)
    for i, val in enumerate(values):
        bar.text(i, val + 0.02, f"{val:.3f}", ha="center", va="bottom", fontsize=9)
    bar.set_xticks(range(4), names, fontsize=8, rotation=30)
    bar.set_ylim(0, 1.12)
    bar.set_ylabel("relative error ||W - approx|| / ||W||")
    bar.set_xlabel("rank-1 of the filter (blue)\nor of an unfolding (orange)")
    bar.set_title("relative error; the\nunfoldings' are lower\nbounds (SVD)")
    return fig


def convergence_figure(filters, sweeps: int = 12, start: str = "random", seed: int = 0):
    """Relative error after each alternating-least-squares sweep (:func:`convzoo.rank1_sweeps`), per filter.

    Left: the error itself, with the converged error of :func:`convzoo.flatten_filter` dashed. Right: how far
    each sweep still is from that converged error, on a log scale (a straight line is a constant factor per
    sweep).

    Parameters
    ----------
    filters : dict of str -> array_like
        Name -> ``(C, kh, kw)`` filter, at most 6.
    sweeps : int
    start, seed :
        As for :func:`convzoo.rank1_sweeps`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = convergence_figure({"random": np.random.default_rng(0).standard_normal((3, 3, 3))}, sweeps=5)
    >>> fig.axes[0].get_xlabel()
    'sweep'
    """
    if not filters or len(filters) > len(_LINE_COLOURS):
        raise ValueError(f"filters must name 1 to {len(_LINE_COLOURS)} filters, but got {len(filters)}")
    fig, (ax, gap) = new_figure(1, 2, size=(10.0, 3.8),
                                title=f"Alternating least squares: the rank-1 error after each sweep ({start} start)")
    steps = np.arange(1, sweeps + 1)
    for colour, (label, w) in zip(_LINE_COLOURS, filters.items()):
        errors = rank1_sweeps(w, sweeps, start=start, seed=seed).errors
        final = flatten_filter(w).relative_error
        ax.plot(steps, errors, "o-", color=colour, label=f"{label} (converged {final:.3f})")
        ax.axhline(final, color=colour, linestyle="--", linewidth=1)
        excess = errors - final
        keep = excess > 1e-14
        gap.semilogy(steps[keep], excess[keep], "o-", color=colour, label=label)
    ax.set_xlabel("sweep")
    ax.set_ylabel("relative error")
    ax.set_title("error after each sweep (dashed: converged)")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8)
    gap.set_xlabel("sweep")
    gap.set_ylabel("error - converged error (log)")
    gap.set_title("distance to the converged error")
    return fig


def error_by_kind_figure(channels=(1, 2, 3, 4, 8, 16, 32, 64), size: int = 3, seeds: int = 5):
    """Mean relative rank-1 error against the number of channels ``C``, for each kind of filter.

    Kinds are :data:`convzoo.FILTER_KINDS` (:func:`convzoo.example_filter`); the random kinds are averaged
    over ``seeds`` seeds; the photo patch exists only for ``C <= 3``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = error_by_kind_figure(channels=(1, 2), seeds=1)
    >>> fig.axes[0].get_ylabel()
    'relative error of the best rank-1 filter'
    """
    chans = [int(c) for c in channels]
    fig, ax = new_figure(size=(6.5, 3.8), title=f"How well a C x {size} x {size} filter flattens, by kind")
    for colour, kind in zip(_LINE_COLOURS, FILTER_KINDS):
        cs = [c for c in chans if kind != "photo patch" or c <= 3]
        runs = seeds if kind in ("rank-1", "smooth", "random") else 1
        errs = [np.mean([flatten_filter(example_filter(kind, c, size, seed=s)).relative_error for s in range(runs)])
                for c in cs]
        ax.plot(cs, errs, "o-", color=colour, label=kind)
    ax.set_xscale("log", base=2)
    ax.set_xticks(chans, [str(c) for c in chans])
    ax.set_ylim(-0.02, 1.0)
    ax.set_xlabel("input channels C")
    ax.set_ylabel("relative error of the best rank-1 filter")
    ax.set_title(f"mean over {seeds} seeds (photo: one patch)")
    ax.legend(fontsize=8)
    return fig


def params_figure(channels=(1, 3, 16, 64, 256, 1024), kernel_sizes=(3, 5, 7)):
    """Weights of one flattened filter as a fraction of a full one, ``(C + 2k) / (C k^2)``, against ``C``.

    Counted with :func:`convzoo.flattened_params` and :func:`convzoo.conv_params` (no bias). As ``C`` grows
    the fraction falls to ``1/k^2`` (dotted).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = params_figure(channels=(64,), kernel_sizes=(3,))
    >>> float(fig.axes[0].get_lines()[0].get_ydata()[0]) == 70 / 576
    True
    """
    chans = [int(c) for c in channels]
    fig, ax = new_figure(size=(6.5, 3.8), title="Weights of a flattened filter / weights of a full filter")
    for colour, k in zip(_LINE_COLOURS, kernel_sizes):
        ratio = [flattened_params(c, 1, k, bias=False) / conv_params(c, 1, k, bias=False) for c in chans]
        ax.plot(chans, ratio, "o-", color=colour, label=f"k = {k}: (C + {2 * k}) / ({k * k} C)")
        ax.axhline(1 / k ** 2, color=colour, linestyle=":", linewidth=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("input channels C")
    ax.set_ylabel("flattened / full weights")
    ax.set_title("dotted: the limit 1/k^2")
    ax.legend(fontsize=8)
    return fig
