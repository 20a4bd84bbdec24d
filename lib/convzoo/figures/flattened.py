"""Figures of chapter 9: flattened convolution.

- :func:`outer_product_figure`: three 1-D filters (lateral across channels, vertical, horizontal) and the
  ``C x k x k`` filter they make, ``w[c, i, j] = l[c] v[i] h[j]``, drawn slice by slice.
- :func:`three_passes_figure`: a lateral (1x1) pass, a vertical (k x 1) pass and a horizontal (1 x k) pass
  give exactly the one pass with the outer-product filter, with the multiplications each pass costs.
- :func:`rank1_figure`: a filter, its best rank-1 (flattened) approximation and what is left, with the
  relative error, the SVD lower bounds of the three unfoldings and the parameter counts, drawn by
  :class:`Rank1View`, which the explorer updates in place.
- :func:`convergence_figure`: the relative error after each alternating-least-squares sweep.
- :func:`error_by_kind_figure`: the rank-1 error against the number of channels for each kind of filter.
- :func:`params_figure`: parameters of a flattened filter as a fraction of a full one, ``(C + 2k) / (C k^2)``.

Every number a reader must check is written in its cell (:func:`.common.draw_grid`). The explorers of
chapters 9 to 12 redraw in place (issue 9) with :mod:`.live`'s grid and layout check, through two small
subclasses defined here: :class:`_Cells`, a :class:`.live.LiveGrid` that may number its rows and columns
with texts, and :class:`_SquareCells`, a :class:`.live.GridFigure` laid out with its grids filling their
panels, so that only a margin text (:func:`.live.axes_margins`), never a grid's shape, moves the layout.
"""
from __future__ import annotations

import numpy as np

from ..conv import conv2d
from ..cost import conv_params, flattened_params
from ..flattened import FILTER_KINDS, example_filter, rank1_sweeps, unfolding_errors
from ..separable import flatten_filter, flattened_conv2d, pointwise_conv2d, rank1_filter
from .common import DIVERGING, _numbers, _shared_colours, _side_by_side, draw_grid, new_figure
from .common import _fmt_compact as _fmt
from .common import _vector as _common_vector
from .live import GridFigure, LiveGrid, as_cell_texts, cell_text

__all__ = ["outer_product_figure", "three_passes_figure", "Rank1View", "rank1_figure", "convergence_figure",
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


# ---- drawing in place (the explorers of chapters 9-12) ------------------------------------------------
class _Cells(LiveGrid):
    """A :class:`.live.LiveGrid` in a panel of a :class:`_SquareCells` figure: no ticks of its own, its margins
    none of its own (:meth:`margins`: the grids fill their panels for the layout, so their shapes cannot move
    it), ``labels=False`` for a grid with no cell labels; row and column numbers are written as
    texts (:meth:`.live.LiveGrid.show_indices`).

    Shape
    -----
    Any ``(rows, cols)`` grid, a different one at each ``show``.

    Examples
    --------
    >>> fig, ax = new_figure(size=(2, 2))
    >>> grid = _Cells(ax, xlabel="i", ylabel="o")
    >>> grid.show([[1.0, 2.0]], False, cmap="viridis", vmin=0, vmax=2), len(ax.texts)
    (True, 0)
    >>> grid.show_indices(); [t.get_text() for t in ax.texts]
    ['0', '1', '0']
    """

    def __init__(self, ax, *, xlabel: str, ylabel: str):
        super().__init__(ax, xlabel=xlabel, ylabel=ylabel, ticks=False)

    def show(self, values, labels=None, **kwargs) -> bool:
        """:meth:`.live.LiveGrid.show`; ``labels=False``: no cell labels (None writes every value)."""
        if labels is False:
            labels = np.broadcast_to(np.array("", dtype=object), np.shape(values))
        return super().show(values, labels, **kwargs)

    def margins(self):
        return None


class _SquareCells(GridFigure):
    """A :class:`.live.GridFigure` of grids of square cells, laid out so that any grid fits.

    A grid of square cells fills only part of its panel (all the height, or all the width), and its title
    and labels hug the part it fills: a constrained layout computed for a wide grid leaves no room above a tall
    one, nor under the grid it was computed for when matplotlib measured it before shrinking it. So the figure's
    constrained layout runs with every grid's axes (and the ``square`` ones) filling its panel (aspect
    ``'auto'``, then ``'equal'`` again), which gives margins that hold for any grid, static or in an explorer.
    Hence the layout moves only with the line counts of the suptitle and of each panel's texts (:func:`.live.axes_margins`
    of the grids and of every other axes), not with a grid's shape.

    Shape
    -----
    ``figure`` with any number of grids, whose shapes may change at every update.
    """

    def __init__(self, figure, grids, *, square=()):
        from matplotlib.layout_engine import ConstrainedLayoutEngine

        grids = list(grids)
        filled = [g.ax for g in grids] + list(square)

        class FilledLayout(ConstrainedLayoutEngine):
            def execute(self, fig):
                for ax in filled:
                    ax.set_aspect("auto")
                try:
                    return super().execute(fig)
                finally:
                    for ax in filled:
                        ax.set_aspect("equal")

        engine = figure.get_layout_engine()
        figure.set_layout_engine(FilledLayout(compress=engine._compress, **engine.get()))
        made = figure.get_suptitle()   # GridFigure makes the suptitle anew: keep one new_figure was given
        super().__init__(figure, grids)
        if made.strip():
            self.title.set_text(made)

    def layout_changed(self) -> bool:
        as_cell_texts(self.figure)   # ticks made since the last update (a longer axis, new block names)
        return super().layout_changed()


def _draw_slices(ax, w, title, annotate=True, **colours):
    c, kh, kw = w.shape
    draw_grid(ax, _side_by_side(w), fmt=_fmt, annotate=annotate, fontsize=9, **colours)
    _slice_ticks(ax, c, kh, kw)
    ax.set_title(title, pad=15)


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


_BLOCK_NAMES = ("W", "best\nrank-1", "W -\nrank-1")


def _tick_label(value, top) -> str:
    """A colour-bar tick: two decimals (scientific for a scale below 0.05), never ``'-0.00'``."""
    return f"{value + 0.0:.2f}" if abs(top) >= 0.05 else f"{value + 0.0:.1e}"


def _rank1_size(c: int, kh: int, kw: int) -> tuple:
    """Figure size and width of the blocks' panel (inches) that fit a ``(c, kh, kw)`` filter's three blocks."""
    cell = min(0.42, 9.0 / (c * (kw + 1)))   # inches per cell, so that 8 slices of 9 still fit in 13 inches
    left = max(cell * c * (kw + 1), 2.5)
    return (4.4 + left, 1.8 + cell * (3 * kh + 2)), left


class Rank1View(_SquareCells):
    """The picture of :func:`rank1_figure`, built once and redrawn in place for filter after filter.

    Left, three blocks of slices on one axes (the filter ``W``, its best rank-1 filter, ``W`` minus it; a
    :class:`_Cells` grid over all three, a blank row between blocks); right, four bars (the relative error and
    the three unfoldings' lower bounds). The colour bar beside the blocks shows only when the values are not
    written in the cells.

    Parameters
    ----------
    shape : (int, int, int), optional
        ``(C, kh, kw)`` of the filter to size the figure for (the static figure); by default one size that
        fits every filter the explorer draws (``C <= 8``, ``k <= 7``), so the layout never has to change.
    colorbar : bool
        Draw the colour bar. Without it, :meth:`update` must write the values (``annotate``).

    Shape
    -----
    ``update(filter)`` takes a ``(C, kh, kw)`` filter, ``C <= 8``, ``kh, kw <= 9``.

    Examples
    --------
    >>> view = Rank1View()
    >>> view.update(rank1_filter([1, -2], [1, 2, 1], [1, 0, -1]), "rank-1")
    True
    >>> view.figure.axes[0].get_title()[-20:]
    'relative error 0.000'
    >>> view.update(rank1_filter([1, 2], [1, 2, 1], [1, 0, -1]), "rank-1")   # same layout: only data changed
    False
    """

    def __init__(self, shape=None, colorbar: bool = True):
        size, left = _rank1_size(*shape) if shape is not None else ((12.2, 7.5), 7.0)
        fig, (ax, bar) = new_figure(1, 2, size=size, title=" ")
        ax.get_subplotspec().get_gridspec().set_width_ratios([left, 2.2 if shape is not None else 2.5])
        self.ax, self.bar = ax, bar
        self.grid = _Cells(ax, xlabel="column j (left to right) in each channel's slice", ylabel=" ")
        ax.set_title(" ", pad=15)      # the slice names sit in the pad
        self.colorbar = None
        if colorbar:
            from matplotlib.cm import ScalarMappable
            from matplotlib.colors import Normalize

            # The bar shows a fixed 0..1 gradient labelled with the filter's values: a colour bar that follows
            # the image's own scale rebuilds itself on every change of it (half of an update's time).
            self._scale = ScalarMappable(Normalize(0, 1), cmap=DIVERGING)
            self.colorbar = fig.colorbar(self._scale, ax=ax, shrink=0.8, location="left")
            self.colorbar.ax.set_title("weight\nvalue", fontsize=10)    # level text: drawn from a cached raster
            ax.set_anchor("C")  # a narrow grid in the middle of its panel, so the title (wider) stays inside
        self.slice_names = []          # "c = i" above each slice of the top block; at most 8 channels
        for _ in range(8):
            t = ax.annotate("", xy=(0, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 2),
                            textcoords="offset points", ha="center", va="bottom", fontsize=8)
            t.set_in_layout(False)     # inside the title's pad
            self.slice_names.append(t)
        self.bars = bar.bar(range(4), [0] * 4, color=[_LINE_COLOURS[0]] + [_LINE_COLOURS[1]] * 3).patches
        self.bar_texts = [cell_text(bar, i, 0, ha="center", va="bottom", fontsize=9) for i in range(4)]
        # two lines, not rotated: rotated text is drawn afresh on every redraw (only level text is cached)
        bar.set_xticks(range(4), ["filter", "lateral", "vertical", "horizontal"], fontsize=8)
        bar.set_ylim(0, 1.12)
        bar.set_yticks([])    # every bar has its value written on it (and ticks cost ~1 ms each a redraw)
        bar.set_ylabel("relative error ||W - approx|| / ||W||")
        bar.set_xlabel("rank-1 of the filter (blue)\nor of an unfolding (orange)")
        bar.set_title("relative error; the\nunfoldings' are lower\nbounds (SVD)")
        self._kh = None
        super().__init__(fig, [self.grid])

    def update(self, filter=None, name: str = "filter", annotate=None, max_iter: int = 300) -> bool:
        """Draw ``filter`` (see :func:`rank1_figure` for the arguments); True when the layout must be redone."""
        w = _filter(filter).astype(float)
        c, kh, kw = w.shape
        flat = flatten_filter(w, max_iter=max_iter)
        bounds = unfolding_errors(w)
        annotate = w.size <= 45 if annotate is None else bool(annotate)
        if not annotate and self.colorbar is None:
            raise ValueError("this figure has no colour bar, so it must write the values (annotate=True)")
        blocks = [w, flat.approximation, w - flat.approximation]
        rows = [_side_by_side(b) for b in blocks]
        gap = np.full((1, rows[0].shape[1]), np.nan)
        grid = np.vstack([rows[0], gap, rows[1], gap, rows[2]])
        # all checked and computed: now change the picture
        ax = self.ax
        colours = _shared(w, flat.approximation)
        self.grid.show(grid, None if annotate else False, fmt=_fmt, fontsize=7, **colours,
                       title=f"W, its best rank-1 l (x) v (x) h, and the rest: relative error "
                             f"{flat.relative_error:.3f}")
        if self.colorbar is not None:
            if self._scale.get_cmap().name != colours["cmap"]:
                self._scale.set_cmap(colours["cmap"])
            # five ticks written alike: their labels keep one width from filter to filter (and the layout holds)
            values = np.linspace(colours["vmin"], colours["vmax"], 5)
            self.colorbar.set_ticks(np.linspace(0, 1, 5), labels=[_tick_label(t, values[-1]) for t in values])
        if kh != self._kh:             # ticks only when the blocks move
            self._kh = kh
            ax.set_yticks([b * (kh + 1) + (kh - 1) / 2 for b in range(3)], _BLOCK_NAMES)
        for i, t in enumerate(self.slice_names):
            t.xy = (i * (kw + 1) + (kw - 1) / 2, 1.0)
            t.set_text(f"c = {i}")
            t.set_visible(i < c)
        ax.yaxis.label.set_text(f"rows i = 0..{kh - 1} of each block")
        for i, (patch, text, val) in enumerate(zip(self.bars, self.bar_texts, [flat.relative_error, *bounds])):
            patch.set_height(val)
            text.set_position((i, val + 0.02))
            text.set_text(f"{val:.3f}")
        self.title.set_text(f"{name}: {c}x{kh}x{kw} = {w.size} weights; flattened, {c} + {kh} + {kw} = "
                            f"{c + kh + kw}")
        return self.layout_changed()


def rank1_figure(filter, name: str = "filter", annotate=None, max_iter: int = 300):
    """A filter, its best rank-1 (flattened) filter, and what is left; the errors and the parameter counts.

    Left, three blocks of slices (one ``kh x kw`` slice per channel, side by side, on one colour scale): the
    filter ``W``, the rank-1 filter ``l (x) v (x) h`` from :func:`convzoo.flatten_filter`, and ``W`` minus it.
    Without values written in the cells, a colour bar beside the blocks gives the scale. Right, bars: the
    relative error of the flattening, and the best rank-1 errors of the three unfoldings (lower bounds it can
    never beat, :func:`convzoo.unfolding_errors`). Drawn by :class:`Rank1View`, sized for this filter.

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
    w = _filter(filter)
    annotate = w.size <= 45 if annotate is None else bool(annotate)
    view = Rank1View(shape=w.shape, colorbar=not annotate)
    view.update(w, name, annotate, max_iter)
    return view.figure


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
