"""Figures of chapter 8: separable convolutions, spatial and depthwise.

- :func:`outer_product_figure`: a column kernel times a row kernel is a 2-D kernel (Sobel = [1,2,1]^T [-1,0,1]).
- :func:`two_pass_figure`: a vertical pass then a horizontal pass equals the one 2-D pass, with the
  multiplications each pass costs (45 + 27 = 72 against 81 on a 5x5 input with a 3x3 kernel).
- :func:`low_rank_figure`: a kernel, its best rank-r approximation (SVD), what is left, and the singular
  values kept and dropped; the error is the dropped ones (Eckart-Young). The explorer draws this.
- :func:`rank_error_figure`: relative error against the rank kept, for several kernels.
- :func:`depthwise_figure`: every input channel filtered alone by its own ``m`` kernels.
- :func:`connectivity_figure`: which input channel feeds which output channel, with how many weights, in a
  standard, a depthwise and a pointwise layer.
- :func:`channel_rank_figure`: per input channel, the singular values of ``W[:, c]``: one non-zero value
  (per depth multiplier) for a depthwise-separable layer, many for a full one: what separability gives up.
- :func:`cost_figure`: multiply-adds of a standard layer against depthwise + pointwise.

Every number a reader must check is written in its cell (:func:`.common.draw_grid`).

The explorers' two figures are live (:class:`.common.LiveFigure`), updated in place on every slider move
(issue 9): :class:`LowRankView` draws :func:`low_rank_figure`, :class:`CostView` :func:`cost_figure`.
"""
from __future__ import annotations

import numpy as np

from ..conv import conv2d
from ..cost import conv_macs, depthwise_macs, pointwise_macs, separable_macs
from ..separable import depthwise_conv2d, separate_kernel, spatially_separable_conv2d
from .common import (DIVERGING, SEQUENTIAL, _numbers, _shared_colours, _vector, draw_grid, new_figure, show_image,
                     symmetric_limits)
from .common import _fmt_compact as _fmt
from .live import GridFigure, as_cell_texts
from .pointwise import _set_ticks, _SlotGrid  # chapter 4's grid in a fixed slot

__all__ = [
    "LowRankView", "CostView", "outer_product_figure", "two_pass_figure", "low_rank_figure", "rank_error_figure",
    "depthwise_figure", "connectivity_figure", "channel_rank_figure", "cost_figure",
]


def _kernel(k, name: str = "kernel", largest: int = 9) -> np.ndarray:
    arr = _numbers(k, name)
    if arr.ndim != 2 or not (1 <= min(arr.shape) and max(arr.shape) <= largest):
        raise ValueError(f"{name} must be a 2-D kernel of at most {largest}x{largest}, but got shape {arr.shape}")
    return arr


def _shared(*arrays) -> dict:
    """One colour scale for several panels (a NaN in them gives the scale ``(-1, 1)``)."""
    return _shared_colours(*arrays, finite_only=False)


def outer_product_figure(vertical, horizontal):
    """A column kernel ``v`` times a row kernel ``h``: the 2-D kernel ``K[i, j] = v[i] * h[j]`` (rank 1).

    Parameters
    ----------
    vertical, horizontal : sequence of numbers
        1-D, at most 9 values each.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = outer_product_figure([1, 2, 1], [-1, 0, 1])
    >>> [t.get_text() for t in fig.axes[2].texts]
    ['-1', '0', '1', '-2', '0', '2', '-1', '0', '1']
    """
    v, h = _vector(vertical, "vertical"), _vector(horizontal, "horizontal")
    k = np.outer(v, h)
    colours = _shared(v, h, k)
    fig, axes = new_figure(1, 3, size=(1.6 + 0.55 * (h.size + 1) * 2, 1.6 + 0.5 * v.size),
                           title="A separable kernel is an outer product: K[i, j] = v[i] * h[j]")
    draw_grid(axes[0], v[:, None], title="v (column,\nvertical)", fmt=_fmt, xlabel="", ylabel="row i", **colours)
    axes[0].set_xticks([])
    draw_grid(axes[1], h[None, :], title="h (row, horizontal)", fmt=_fmt, xlabel="column j", ylabel="", **colours)
    axes[1].set_yticks([])
    draw_grid(axes[2], k, title="K = v h^T", fmt=_fmt, xlabel="column j", ylabel="row i", **colours)
    return fig


def two_pass_figure(image, vertical, horizontal):
    """Two 1-D passes against one 2-D pass (stride 1, no padding), with what each costs.

    Four grids: the input; after the vertical pass (a ``(k, 1)`` kernel down every column); after the
    horizontal pass (a ``(1, k)`` kernel along every row), which is the output; and the 2-D pass with the
    outer-product kernel, for comparison. Each title says how many multiplications made the grid: the
    vertical pass runs on every column of the input, so for a 5x5 input and a 3x3 kernel it costs
    3x5 positions x 3 = 45, the horizontal pass 3x3 x 3 = 27, in all 72 against 3x3 x 9 = 81.

    Parameters
    ----------
    image : array_like
        ``(H, W)``, at most 9x9.
    vertical, horizontal : sequence of numbers
        The column kernel (length ``kh``) and the row kernel (length ``kw``).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> x = np.arange(25).reshape(5, 5)
    >>> fig = two_pass_figure(x, [1, 2, 1], [-1, 0, 1])
    >>> [ax.get_title() for ax in fig.axes[1:]]
    ['vertical pass (3x1)\\n3x5 outputs x 3 = 45 mult.', 'then horizontal (1x3)\\n3x3 outputs x 3 = 27 mult.', 'one 2-D pass (3x3)\\n3x3 outputs x 9 = 81 mult.']
    """
    x = _kernel(image, "image")
    v, h = _vector(vertical, "vertical"), _vector(horizontal, "horizontal")
    if v.size > x.shape[0] or h.size > x.shape[1]:
        raise ValueError(f"a {v.size}x{h.size} kernel does not fit in a {x.shape[0]}x{x.shape[1]} image "
                         f"(no padding): the image must be at least as large as the kernel")
    mid = conv2d(x[None, None], v[None, None, :, None])[0, 0]
    out = spatially_separable_conv2d(x[None], v, h)[0]
    direct = conv2d(x[None, None], np.outer(v, h)[None, None])[0, 0]
    colours = _shared(mid, out, direct)
    (hm, wm), (ho, wo) = mid.shape, out.shape
    fig, axes = new_figure(1, 4, size=(11.0, 3.4), title="Two 1-D passes give the same output as one 2-D pass")
    draw_grid(axes[0], x, title=f"input ({x.shape[0]}x{x.shape[1]})", fmt=_fmt)
    draw_grid(axes[1], mid, title=f"vertical pass ({v.size}x1)\n{hm}x{wm} outputs x {v.size} = {hm * wm * v.size} mult.",
              fmt=_fmt, **colours)
    draw_grid(axes[2], out, title=f"then horizontal (1x{h.size})\n{ho}x{wo} outputs x {h.size} = {ho * wo * h.size} mult.",
              fmt=_fmt, **colours)
    draw_grid(axes[3], direct,
              title=f"one 2-D pass ({v.size}x{h.size})\n{ho}x{wo} outputs x {v.size * h.size} = "
                    f"{ho * wo * v.size * h.size} mult.", fmt=_fmt, **colours)
    return fig


class LowRankView(GridFigure):
    """A kernel, its best rank-r approximation, the error left and the singular values
    (:func:`low_rank_figure`), built once for kernels up to ``largest`` and updated in place.

    Parameters
    ----------
    largest : (int, int)
        The largest kernel it will draw (its grids keep that kernel's cell size).

    Shape
    -----
    :meth:`update` takes a ``(kh, kw)`` kernel with ``kh <= largest[0]`` and ``kw <= largest[1]``, and
    ``1 <= rank <= min(kh, kw)``.

    Examples
    --------
    >>> v = LowRankView((5, 5))
    >>> v.update([[0, 1, 0], [1, -4, 1], [0, 1, 0]], rank=1, name="Laplacian")
    True
    >>> v.update(np.outer([1, 2, 1], [1, 0, -1]), rank=2, name="Sobel")    # numbers change, margins do not
    False
    >>> v.figure.axes[3].get_title().splitlines()[1]
    'relative error = 0.000'
    """

    KEPT, DROPPED = "#3b528b", "#fde725"

    def __init__(self, largest=(9, 9)):
        rows, cols = largest
        self.largest = (rows, cols)
        fig, axes = new_figure(1, 4, size=(11.5, 3.5), title=" ")
        grids = [_SlotGrid(ax, rows, cols) for ax in axes[:3]]
        axes[0].set_xlabel("column")
        axes[0].set_ylabel("row")
        for ax in axes[1:3]:   # the same rows and columns as the kernel's: no index ticks
            ax.set_xticks([])
            ax.set_yticks([])
        for ax in axes[:3]:
            ax.set_title(" ")
        ax = self.bar_axes = axes[3]
        n = min(rows, cols)
        self.bars = list(ax.bar(np.arange(1, n + 1), np.ones(n), color=self.KEPT))
        self.values = [ax.text(i, 0, "", ha="center", va="bottom", fontsize=8) for i in range(1, n + 1)]
        for t in self.values:
            t.set_in_layout(False)      # inside the axes (the y limit leaves room above the bars)
        # no y tick labels: every bar's value is written on it, and a scale that changes with the kernel
        # would change the margins (a new layout on every move)
        ax.set_yticks([])
        ax.set_xlabel("index i (blue: kept, yellow: dropped)")
        ax.set_ylabel("singular value s_i")
        ax.set_title(" \n \n ", fontsize=9)
        self._ticks: dict = {}
        super().__init__(fig, grids)

    def update(self, kernel, rank=1, name="kernel", annotate=True) -> bool:
        k = _kernel(kernel).astype(float)
        if isinstance(rank, bool) or not isinstance(rank, (int, np.integer)):
            raise TypeError(f"rank must be an int, but got {rank!r}")
        if not 1 <= rank <= min(k.shape):
            raise ValueError(f"rank {rank} is not possible for a {k.shape[0]}x{k.shape[1]} kernel: it has "
                             f"{min(k.shape)} singular values, so rank must be between 1 and {min(k.shape)}")
        if k.shape[0] > self.largest[0] or k.shape[1] > self.largest[1]:
            raise ValueError(f"this figure draws kernels of at most {self.largest[0]}x{self.largest[1]}, but got "
                             f"shape {k.shape}")
        split = separate_kernel(k, rank)
        s = split.singular_values
        approx = split.approximation
        colours = _shared(k, approx)
        lo, hi = symmetric_limits(k)  # the error on the kernel's own scale: small errors look small
        kw = dict(fmt=_fmt, annotate=annotate, fontsize=8 if max(k.shape) > 5 else None)
        self.grids[0].show(k, **kw, **colours)
        self.grids[1].show(approx, **kw, **colours)
        self.grids[2].show(k - approx, cmap=DIVERGING, vmin=lo, vmax=hi, **kw)
        _set_ticks(self._ticks, self.grids[0].ax.xaxis, range(k.shape[1]))
        _set_ticks(self._ticks, self.grids[0].ax.yaxis, range(k.shape[0]))
        for grid, title in zip(self.grids, (f"kernel K ({k.shape[0]}x{k.shape[1]})",
                                            f"K_{rank}: sum of {rank} outer product{'s' if rank > 1 else ''}",
                                            "error K - K_r")):
            grid.ax.title.set_text(title)
        self._show_singular_values(s, rank, split.relative_error, np.linalg.norm(k))
        self.figure._suptitle.set_text(f"{name}: best rank-{rank} approximation (SVD)")
        as_cell_texts(self.figure)  # new ticks are plain texts until then
        return self.layout_changed()

    def _show_singular_values(self, s, rank, error, norm) -> None:
        ax = self.bar_axes
        for i, (bar, text) in enumerate(zip(self.bars, self.values)):
            shown = i < s.size
            bar.set_visible(shown)
            text.set_visible(shown)
            if shown:
                bar.set_height(s[i])
                bar.set_facecolor(self.KEPT if i < rank else self.DROPPED)
                bar.set_edgecolor("none" if i < rank else "#555555")
                text.set_position((i + 1, s[i]))
                text.set_text(f"{s[i]:.2f}")
        _set_ticks(self._ticks, ax.xaxis, range(1, s.size + 1))
        ax.set_xlim(0.6 - 0.05 * (s.size - 0.2), s.size + 0.4 + 0.05 * (s.size - 0.2))   # the bars' 5% margins
        ax.set_ylim(0, (s.max() or 1.0) * 1.2)
        n_drop = s.size - rank
        dropped = (" + ".join(f"{_fmt(round(v, 2))}^2" for v in s[rank:]) if n_drop <= 3
                   else f"sum of {n_drop} dropped s_i^2") or "0"
        ax.title.set_text(f"singular values: kept {rank}, dropped {n_drop}\nrelative error = {error:.3f}\n"
                          f"= sqrt({dropped}) / {norm:.2f}")


def low_rank_figure(kernel, rank: int = 1, name: str = "kernel", annotate: bool = True):
    """A kernel, its best rank-``rank`` approximation, the error left, and its singular values.

    The approximation is :func:`convzoo.separate_kernel`'s: the sum of ``rank`` separable (outer-product)
    kernels closest to ``kernel``. By the Eckart-Young theorem its error is exactly the singular values it
    drops: ``||K - K_r||_F = sqrt(s_{r+1}^2 + s_{r+2}^2 + ...)``; the bar chart shows kept values in one colour
    and dropped values in another (each value written on its bar), and its title the relative error
    ``||K - K_r||_F / ||K||_F``. Drawn by a :class:`LowRankView` (what the explorer updates in place).

    Parameters
    ----------
    kernel : array_like
        ``(kh, kw)``, at most 9x9.
    rank : int
        ``1 <= rank <= min(kh, kw)``.
    name : str
        What the kernel is, for the title.
    annotate : bool
        Write each cell's value (on by default; the explorer keeps it on for kernels up to 7x7).

    Returns
    -------
    matplotlib.figure.Figure

    Shape
    -----
    ``kernel (kh, kw)``; its approximation and error have the same shape, and there are ``min(kh, kw)``
    singular values.

    Examples
    --------
    >>> fig = low_rank_figure([[0, 1, 0], [1, -4, 1], [0, 1, 0]], rank=1, name="Laplacian")
    >>> fig.axes[3].get_title()
    'singular values: kept 1, dropped 2\\nrelative error = 0.101\\n= sqrt(0.45^2 + 0^2) / 4.47'
    """
    k = _kernel(kernel)
    view = LowRankView(k.shape)
    view.update(k, rank, name=name, annotate=annotate)
    return view.figure


def rank_error_figure(kernels: dict):
    """Relative error of the best rank-r approximation against r, one line per kernel.

    A separable kernel is at 0 from r = 1; a generic kernel reaches 0 only at r = min(kh, kw).

    Parameters
    ----------
    kernels : dict of str -> array_like
        Names and 2-D kernels.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = rank_error_figure({"Sobel": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]})
    >>> fig.axes[0].get_lines()[0].get_ydata().tolist()
    [0.0, 0.0, 0.0]
    """
    if not kernels:
        raise ValueError("kernels is empty: give at least one name -> 2-D kernel")
    fig, ax = new_figure(size=(6.0, 3.6), title="How far each kernel is from separable")
    markers = "osD^vP*X"
    for i, (name, k) in enumerate(kernels.items()):
        k = _kernel(k, name)
        errs = [separate_kernel(k, r).relative_error for r in range(1, min(k.shape) + 1)]
        ax.plot(range(1, len(errs) + 1), np.round(errs, 12), marker=markers[i % len(markers)], label=name)
    longest = max(min(np.shape(k)) for k in kernels.values())
    ax.set_xticks(range(1, longest + 1))  # ranks are whole numbers
    ax.set_xlabel("rank r kept (number of separable terms)")
    ax.set_ylabel("relative error ||K - K_r|| / ||K||")
    ax.set_ylim(-0.03, 1.0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def depthwise_figure(image, weight, depth_multiplier: int = 1):
    """A depthwise convolution: each input channel is filtered alone by its own ``m`` kernels.

    Column ``c*m + j`` shows, top to bottom, input channel ``c`` (repeated for each of its ``m`` kernels),
    kernel ``c*m + j`` with its values, and output channel ``c*m + j``, which is that one channel filtered by
    that one kernel ('same' padding), each on its own diverging scale centred on 0. No output channel mixes
    input channels.

    Parameters
    ----------
    image : array_like
        ``(C, H, W)``.
    weight : array_like
        ``(C * m, 1, k, k)`` or ``(C * m, k, k)``, at most 5x5 kernels and at most 8 output channels.
    depth_multiplier : int
        ``m``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> x = np.random.default_rng(0).random((2, 8, 8))
    >>> fig = depthwise_figure(x, np.ones((4, 1, 3, 3)) / 9, depth_multiplier=2)
    >>> fig.axes[4 + 3].get_title()
    'kernel 3 (of channel 1)'
    """
    x = np.asarray(image, dtype=float)
    if x.ndim != 3:
        raise ValueError(f"image must be (C, H, W), but got shape {x.shape}")
    w = np.asarray(weight, dtype=float)
    w = w[:, None] if w.ndim == 3 else w
    c = x.shape[0]
    m = int(depth_multiplier)
    if w.ndim != 4 or w.shape[0] != c * m or w.shape[2] > 5:
        raise ValueError(f"weight must be (C * m, 1, k, k) = ({c * m}, 1, k, k) with k <= 5 for {c} channels and "
                         f"depth_multiplier={m}, but got shape {w.shape}")
    if c * m > 8:
        raise ValueError(f"{c * m} output channels are too many to draw; at most 8")
    kh, kw = w.shape[2:]
    y = depthwise_conv2d(x, w, padding=(kh // 2, kw // 2), depth_multiplier=m)
    fig, axes = new_figure(3, c * m, size=(1.9 * c * m + 0.6, 6.4), squeeze=False,
                           title=f"Depthwise: {c} channels x {m} kernel{'s' if m > 1 else ''} each = {c * m} "
                                 f"output channels, none mixing channels\n(each output on its own colour scale, "
                                 f"white = 0)")
    for o in range(c * m):  # each output on its own scale (a blur's range is far smaller than an edge map's)
        ch = o // m
        show_image(axes[0, o], x[ch], title=f"input channel {ch}")
        draw_grid(axes[1, o], w[o, 0], title=f"kernel {o} (of channel {ch})", fmt=_fmt, fontsize=8,
                  xlabel="", ylabel="")
        axes[1, o].set_xticks([])
        axes[1, o].set_yticks([])
        show_image(axes[2, o], y[o], title=f"output channel {o}", signed=True)
        axes[2, o].set_xlabel(f"= channel {ch} filtered\nby kernel {o} only", fontsize=9)
    axes[0, 0].set_ylabel("input")
    axes[1, 0].set_ylabel("kernel")
    axes[2, 0].set_ylabel("output (same padding)\norange > 0 > purple")
    return fig


def connectivity_figure(in_channels: int, out_channels: int, kernel_size: int, depth_multiplier: int = 1):
    """Which input channel feeds which output channel, and through how many weights.

    Three grids (rows: output channels, columns: input channels), each cell the number of weights on that
    link: a standard ``k x k`` layer (every link, ``k^2`` weights each), the depthwise pass (one channel to
    its own ``m`` outputs, ``k^2`` each), the pointwise pass (every link, 1 weight each). Titles give the
    totals (biases left out).

    Parameters
    ----------
    in_channels, out_channels, kernel_size, depth_multiplier : int
        At most 8 channels on each side (so cells can be read).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = connectivity_figure(3, 4, 3)
    >>> [ax.get_title() for ax in fig.axes]
    ['standard 3x3:\\n4 x 3 links x 9 = 108 weights', 'depthwise 3x3:\\n3 links x 9 = 27', 'pointwise 1x1:\\n4 x 3 links x 1 = 12']
    """
    c, n, k, m = (int(v) for v in (in_channels, out_channels, kernel_size, depth_multiplier))
    if min(c, n, k, m) < 1:
        raise ValueError(f"channels, kernel_size and depth_multiplier must be positive, but got "
                         f"in_channels={c}, out_channels={n}, kernel_size={k}, depth_multiplier={m}")
    if max(c * m, n) > 8:
        raise ValueError(f"at most 8 channels per side are drawn, but got {c * m} depthwise outputs and {n} "
                         f"output channels")
    standard = np.full((n, c), k * k)
    depth = np.zeros((c * m, c), dtype=int)
    for o in range(c * m):
        depth[o, o // m] = k * k
    point = np.ones((n, c * m), dtype=int)
    fig, axes = new_figure(1, 3, size=(10.5, 3.9),
                           title="Links between channels, each cell the number of weights on it")
    vmax = k * k
    draw_grid(axes[0], standard, title=f"standard {k}x{k}:\n{n} x {c} links x {k * k} = {standard.sum()} weights",
              vmin=0, vmax=vmax, xlabel="input channel", ylabel="output channel")
    draw_grid(axes[1], depth, title=f"depthwise {k}x{k}:\n{c * m} links x {k * k} = {depth.sum()}",
              vmin=0, vmax=vmax, xlabel="input channel", ylabel="depthwise output channel")
    draw_grid(axes[2], point, title=f"pointwise 1x1:\n{n} x {c * m} links x 1 = {point.sum()}",
              vmin=0, vmax=vmax, xlabel="depthwise output channel", ylabel="output channel")
    return fig


def channel_rank_figure(weights: dict, tol: float = 1e-9):
    """Per input channel ``c``, the singular values of ``W[:, c]`` reshaped to ``(C_out, kh * kw)``.

    A depthwise-separable layer's equivalent weight has at most ``m`` non-zero values per channel (``m`` =
    depth multiplier): all its output filters hold, on channel ``c``, multiples of the same ``m`` kernels. A
    full layer's weight has up to ``min(C_out, kh * kw)``. One panel per weight; the title counts the
    values above ``tol`` (relative to the largest), i.e. the rank of each slice.

    Parameters
    ----------
    weights : dict of str -> array_like
        Names and ``(C_out, C, kh, kw)`` weights, all with the same ``C`` (at most 8).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> from convzoo import separable_equivalent_weight
    >>> sep = separable_equivalent_weight(rng.normal(size=(2, 1, 3, 3)), rng.normal(size=(4, 2)))
    >>> fig = channel_rank_figure({"separable": sep, "full": rng.normal(size=(4, 2, 3, 3))})
    >>> [ax.get_title() for ax in fig.axes]
    ['separable: ranks per channel [1, 1]', 'full: ranks per channel [4, 4]']
    """
    from matplotlib import colormaps

    if not weights:
        raise ValueError("weights is empty: give at least one name -> (C_out, C, kh, kw) weight")
    fig, axes = new_figure(1, len(weights), size=(4.2 * len(weights), 3.4), squeeze=False,
                           title="Singular values of each input channel's slice W[:, c] (C_out x kh*kw)")
    for ax, (name, weight) in zip(axes[0], weights.items()):
        w = np.asarray(weight, dtype=float)
        if w.ndim != 4 or w.shape[1] > 8:
            raise ValueError(f"{name} must be a (C_out, C, kh, kw) weight with C <= 8, but got shape {w.shape}")
        s = np.linalg.svd(np.moveaxis(w, 1, 0).reshape(w.shape[1], w.shape[0], -1), compute_uv=False)
        ranks = (s > tol * (s.max() or 1.0)).sum(axis=1)
        n_c, n_s = s.shape
        width = 0.8 / n_s
        for i in range(n_s):
            ax.bar(np.arange(n_c) + (i - (n_s - 1) / 2) * width, s[:, i], width=width,
                   color=colormaps[SEQUENTIAL](i / max(n_s - 1, 1)))
        ax.set_xticks(np.arange(n_c))
        ax.set_xlabel("input channel c (bars: s_1, s_2, ... left to right)")
        ax.set_ylabel("singular value")
        ax.set_title(f"{name}: ranks per channel {ranks.tolist()}")
    return fig


class CostView(GridFigure):
    """Multiply-adds of a standard layer against depthwise + pointwise (:func:`cost_figure`), built once and
    updated in place; :meth:`update` takes :func:`cost_figure`'s arguments.

    Shape
    -----
    A layer from ``(in_channels, H, W)`` to ``(out_channels, output_size, output_size)``.

    Examples
    --------
    >>> v = CostView()
    >>> v.update(3, 128, 3, 5)
    True
    >>> v.update(3, 128, 3, 6), [t.get_text() for t in v.figure.axes[0].texts]   # same digits: same layout
    (False, ['124,416', '972', '13,824', '14,796'])
    """

    COLOURS = ("#440154", "#21918c", "#5ec962", "#3b528b")

    def __init__(self):
        fig, ax = new_figure(size=(7.5, 3.2), title=" ")
        self.ax = ax
        self.bars = list(ax.barh(np.arange(4), np.ones(4), color=self.COLOURS))
        self.counts = [ax.text(1, i, "", va="center", ha="left", fontsize=9) for i in range(4)]
        for t in self.counts:
            t.set_in_layout(False)      # inside the axes: the x limit leaves room right of the longest bar
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.set_xlabel("multiply-adds (log scale)")
        ax.set_ylabel("layer")
        self._ticks: dict = {}
        super().__init__(fig, [])

    def update(self, in_channels=32, out_channels=64, kernel_size=3, output_size=56, depth_multiplier=1) -> bool:
        c, n, k, o, m = (int(v) for v in (in_channels, out_channels, kernel_size, output_size, depth_multiplier))
        full = conv_macs(c, n, k, o)
        dw = depthwise_macs(c, k, o, depth_multiplier=m)
        pw = pointwise_macs(c * m, n, o)
        sep = separable_macs(c, n, k, o, depth_multiplier=m)
        values = [full, dw, pw, sep]
        for bar, t, i, v in zip(self.bars, self.counts, range(4), values):
            bar.set_width(v)
            t.set_position((v, i))
            t.set_text(f"{v:,}")
        _set_ticks(self._ticks, self.ax.yaxis, range(4),
                   [f"standard {k}x{k}, {c} -> {n}", f"depthwise {k}x{k} (x{m})", f"pointwise 1x1, {c * m} -> {n}",
                    "depthwise + pointwise"])
        self.ax.set_xlim(min(values) / 2, max(values) * 8)
        # two lines: on one, large layers' ratios ran past the figure's edges
        self.figure._suptitle.set_text(f"Multiply-adds on a {o}x{o} output\nseparable / standard = {sep / full:.4f}; "
                                       f"1/N + 1/k^2 = {1 / n + 1 / k ** 2:.4f}")
        return self.layout_changed()


def cost_figure(in_channels: int, out_channels: int, kernel_size: int, output_size: int, depth_multiplier: int = 1):
    """Multiply-adds of a standard layer against depthwise + pointwise, and MobileNet's ratio.

    Horizontal bars (a log scale, since they differ by orders of magnitude) with each count written at its
    end; the title gives ``separable / standard`` and ``1/N + 1/k^2`` (equal when ``m = 1``). Drawn by a
    :class:`CostView`.

    Parameters
    ----------
    in_channels, out_channels, kernel_size, output_size, depth_multiplier : int

    Returns
    -------
    matplotlib.figure.Figure

    Shape
    -----
    A layer from ``(in_channels, H, W)`` to ``(out_channels, output_size, output_size)``.

    Examples
    --------
    >>> fig = cost_figure(3, 128, 3, 5)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['86,400', '675', '9,600', '10,275']
    """
    view = CostView()
    view.update(in_channels, out_channels, kernel_size, output_size, depth_multiplier)
    return view.figure
