"""Figures of chapter 4: the 1x1 convolution, a matrix multiply at every pixel.

- :func:`pixel_dot_figure`: the input's channels stacked, the weight matrix, and every output channel; one
  pixel outlined everywhere, its dot product across channels written out.
- :func:`pixel_matrix_figure`: the same layer as one matrix product, ``(H*W, D) @ (D, N) = (H*W, N)``, the
  pixel's row outlined in the input and the output.
- :func:`bottleneck_cost_figure`: multiply-adds and parameters of a k x k convolution, directly and after a
  1x1 reduction (Inception's bottleneck), counted with :func:`convzoo.conv_macs` / :func:`convzoo.conv_params`.
- :func:`collapse_figure`: why a 1x1 convolution that reduces channels loses information: two channels mapped
  to one, every pixel on a level line of the weight gives the same output.
- :func:`squeeze_excitation_figure`: a squeeze-and-excitation block's per-channel numbers: the squeezed
  means, the gate, the rescaled means.

Every number a reader must check is written in its cell (:func:`.common.draw_grid`) or on its bar.

The first three are drawn by live figures (:class:`.common.LiveFigure`), which the chapter's explorers update
in place on every slider move (issue 9): :class:`PointwiseView` (both pictures of the layer, one at a time)
and :class:`BottleneckView`.
"""
from __future__ import annotations

import numpy as np

from .._args import as_array
from ..blocks import squeeze_excitation
from ..cost import conv_macs, conv_params
from ..separable import pointwise_conv2d
from .common import DIVERGING, SEQUENTIAL, _side_by_side, new_figure, show_image, symmetric_limits
from .common import _fmt_fixed as _fmt
from .live import GridFigure, LiveGrid, as_cell_texts

__all__ = ["VIEWS", "PointwiseView", "BottleneckView", "pixel_dot_figure", "pixel_matrix_figure", "channel_mix_figure",
           "bottleneck_cost_figure", "bottleneck_costs", "collapse_figure", "squeeze_excitation_figure"]


def _layer(x, w, func):
    """``x`` as ``(D, H, W)`` and ``w`` as ``(N, D)``, checked against each other."""
    x = as_array(x, "x", ndims=(3,), func=func)
    w = as_array(w, "w", ndims=(2, 4), func=func)
    if w.ndim == 4:
        if w.shape[2:] != (1, 1):
            raise ValueError(f"a 1x1 weight is (N, D) or (N, D, 1, 1), but got w of size {tuple(w.shape)}")
        w = w[:, :, 0, 0]
    if w.shape[1] != x.shape[0]:
        raise ValueError(f"w of size {tuple(w.shape)} expects {w.shape[1]} input channels, but x of size "
                         f"{tuple(x.shape)} has {x.shape[0]} channels")
    return x, w


def _pixel(pixel, h, w):
    r, c = (int(p) for p in pixel)
    if not (0 <= r < h and 0 <= c < w):
        raise ValueError(f"pixel ({r}, {c}) is outside the {h}x{w} map (rows 0 to {h - 1}, columns 0 to {w - 1})")
    return r, c


def _scale(*arrays) -> dict:
    """One colour scale for several grids: viridis from the minimum when nothing is negative, else diverging."""
    values = np.concatenate([np.ravel(a) for a in arrays]).astype(float)
    if values.min() >= 0:
        return dict(cmap=SEQUENTIAL, vmin=float(values.min()), vmax=float(values.max()) or 1.0)
    lo, hi = symmetric_limits(values)
    return dict(cmap=DIVERGING, vmin=lo, vmax=hi)


def _dot_terms(weights, values) -> str:
    par = lambda v: f"({_fmt(v)})" if v < 0 else _fmt(v)  # noqa: E731
    return " + ".join(f"{par(a)}*{par(b)}" for a, b in zip(weights, values))


VIEWS = ("per pixel", "pixel matrix")
"""What a :class:`PointwiseView` draws: the channel grids and one dot product per pixel
(:func:`pixel_dot_figure`), or the ``(H*W, D)`` matrix product (:func:`pixel_matrix_figure`)."""

def _lines(text) -> int:
    """How many lines a margin text takes (0 when it is hidden or empty): its height, all the layout uses."""
    return text.get_text().count("\n") + 1 if text is not None and text.get_visible() and text.get_text() else 0


def _set_ticks(cache: dict, axis, ticks, labels=None) -> None:
    """``axis.set_ticks(ticks, labels)``, skipped when they are what it already shows (making ticks is slow).
    Their style goes in ``tick_params``, which also styles ticks made later (more ticks for a larger grid)."""
    key = (tuple(ticks), None if labels is None else tuple(labels))
    if cache.get(axis) != key:
        axis.set_ticks(ticks, labels)
        cache[axis] = key


class _SlotGrid(LiveGrid):
    """A :class:`.live.LiveGrid` in a slot made for its largest grid, ``rows x cols``: any grid no larger gets
    the slot's cell size, centred in it (:class:`_CellsOfTheLargest`), so the layout stays valid and panels
    side by side keep equal cells. Ticks and axis labels are the view's (``_set_ticks``): the grid makes none.
    The cell size being fixed, the grid's shape does not move the layout (:meth:`margins` is None).
    """

    def __init__(self, ax, rows: int, cols: int, slot=None):
        super().__init__(ax, xlabel="", ylabel="", ticks=False)
        self.capacity = (rows, cols)
        self.locator = _CellsOfTheLargest(slot or (rows, cols))
        ax.set_axes_locator(self.locator)

    def show(self, values, *, annotate=True, **style) -> bool:
        """LiveGrid's :meth:`~.live.LiveGrid.show` for an array no larger than the slot's grid; ``annotate``
        False leaves every cell unlabelled."""
        v = np.asarray(values, dtype=float)
        if v.ndim != 2 or v.shape[0] > self.capacity[0] or v.shape[1] > self.capacity[1]:
            raise ValueError(f"this grid draws at most {self.capacity[0]}x{self.capacity[1]} cells, but got {v.shape}")
        reshaped = super().show(v, labels=None if annotate else np.full(v.shape, ""), **style)
        self.locator.shape = v.shape
        return reshaped

    def margins(self):
        return None


class _CellsOfTheLargest:
    """An axes locator: where a ``rows x cols`` grid goes, with the cells of the largest grid its slot holds
    (``largest``, a shape), centred in the slot.

    So every grid an axes shows has the same cell size (an axes of equal aspect would otherwise grow a smaller
    grid until it fills its slot one way), and the frame and ticks stay around the grid it shows.
    """

    def __init__(self, largest):
        self.largest = self.shape = tuple(largest)

    def __call__(self, ax, renderer):
        slot = ax.get_position(original=True)
        corners = ax.get_figure(root=False).transSubfigure.transform([[0, 0], [1, 1]])
        fig_aspect = (corners[1, 1] - corners[0, 1]) / (corners[1, 0] - corners[0, 0])
        box = slot.shrunk_to_aspect(self.largest[0] / self.largest[1], slot, fig_aspect)
        box = box.shrunk(self.shape[1] / self.largest[1], self.shape[0] / self.largest[0])
        return box.anchored("C", slot)


class PointwiseView(GridFigure):
    """A 1x1 convolution drawn per pixel or as the pixel matrix, built once and updated in place.

    ``views`` are the pictures it can show (:data:`VIEWS`): ``"per pixel"`` is :func:`pixel_dot_figure`'s,
    ``"pixel matrix"`` is :func:`pixel_matrix_figure`'s. It is made for layers of at most ``channels`` input
    and ``filters`` output channels on maps of at most ``height x width``; a smaller layer is drawn with the
    same cell size in the same places, so a redraw needs no new layout (the explorer's figure keeps its size).

    Parameters
    ----------
    channels, filters, height, width : int
        The largest layer it will draw.
    views : tuple of str
        Some of :data:`VIEWS`; the first is shown until :meth:`update` asks for another.

    Shape
    -----
    :meth:`update` takes ``x (D, H, W)`` and ``w (N, D)`` or ``(N, D, 1, 1)`` with ``D <= channels``,
    ``N <= filters``, ``H <= height`` and ``W <= width``.

    Examples
    --------
    >>> v = PointwiseView(2, 1, 2, 2)
    >>> v.update(np.ones((2, 2, 2)), [[1, -1]], pixel=(0, 1))      # the first update lays the figure out
    True
    >>> v.figure._supxlabel.get_text()
    'out 0 at (0, 1) = 1*1 + (-1)*1 = 0'
    >>> v.update(np.ones((1, 2, 2)), [[2]], pixel=(1, 1))          # only numbers change: no new layout
    False
    """

    def __init__(self, channels: int, filters: int, height: int, width: int, views=VIEWS):
        if not views or any(v not in VIEWS for v in views):
            raise ValueError(f"views must be some of {list(VIEWS)}, but got {views!r}")
        self.views, self.capacity = tuple(views), (channels, filters, height, width)
        fig, ax0 = new_figure(size=self._size(self.views[0]), title=" ")
        ax0.remove()
        self._ticks: dict = {}
        self._panels: dict = {}
        self.view = None
        # the grids join as the pictures are built; the dot products under the figure count by their lines
        super().__init__(fig, [], extra=lambda: _lines(self.figure._supxlabel))
        if "per pixel" in self.views:
            self._build_dot()
        if "pixel matrix" in self.views:
            self._build_matrix()

    def _size(self, view) -> tuple:
        d, n, h, w = self.capacity
        if view == "per pixel":
            natural = 0.42 * sum(self._dot_widths()) + 2.2      # 0.42 inch per cell, 2.2 inches of labels
            return max(7.5, natural), 0.42 * h + 2.3 + 0.17 * n
        return max(8.2, 0.5 * (d + n + n) + 4.4), 0.3 * h * w + 2.2   # 8.2: room for the suptitle

    def _dot_widths(self) -> list:
        """Widths of the input, weight and output slots in cells, at least what their titles need."""
        d, n, _, w = self.capacity
        return [max(d * (w + 1) - 1, 5), max(d + 0.5, 4), max(n * (w + 1) - 1, 5)]

    def _build_dot(self) -> None:
        fig, (d, n, h, w) = self.figure, self.capacity
        widths = self._dot_widths()
        side = max(0.0, (7.5 - (0.42 * sum(widths) + 2.2)) / 0.42 / 2)  # empty columns: a small layer, small cells
        grid = fig.add_gridspec(1, 5, width_ratios=[side + 1e-3] + widths + [side + 1e-3])
        axes = [fig.add_subplot(grid[0, k + 1]) for k in range(3)]
        p = dict(axes=axes, x=_SlotGrid(axes[0], h, d * (w + 1) - 1, slot=(h, widths[0])),
                 w=_SlotGrid(axes[1], n, d, slot=(n, widths[1])),
                 y=_SlotGrid(axes[2], h, n * (w + 1) - 1, slot=(h, widths[2])))
        self.grids += [p["x"], p["w"], p["y"]]
        for ax, key, k in ((axes[0], "in", d), (axes[2], "out", n)):
            p[f"{key}_names"] = [ax.annotate("", xy=(0, -0.5), xytext=(0, 2),
                                             textcoords="offset points", ha="center", va="bottom", fontsize=9)
                                 for _ in range(k)]
            ax.set_xlabel("column")
            ax.set_ylabel("row")
            ax.tick_params(axis="x", labelsize=8)
        axes[1].set_xlabel("input channel d")
        axes[1].set_ylabel("filter n")
        for ax in axes:
            ax.set_title(" ", pad=20)
        fig.supxlabel(" ", fontsize=9)   # the dot products, one line per output channel
        self._panels["per pixel"] = p

    def _build_matrix(self) -> None:
        fig, (d, n, h, w) = self.figure, self.capacity
        rows = h * w
        widths = [max(d, 3), max(n, 3), max(n, 3)]     # at least what the titles need
        # w.T sits in a middle band d rows tall, so its cells are about as tall as the pixel matrices' cells
        spare = max(rows - d - 2.5, 0) / 2        # 2.5 rows' height for its title and labels
        if spare >= 1:
            grid = fig.add_gridspec(3, 3, width_ratios=widths, height_ratios=[spare, d + 2.5, spare])
            axes = [fig.add_subplot(grid[:, 0]), fig.add_subplot(grid[1, 1]), fig.add_subplot(grid[:, 2])]
        else:
            grid = fig.add_gridspec(1, 3, width_ratios=widths)
            axes = [fig.add_subplot(grid[0, k]) for k in range(3)]
        p = dict(axes=axes, X=_SlotGrid(axes[0], rows, d, slot=(rows, widths[0])),
                 W=_SlotGrid(axes[1], d, n, slot=(d, widths[1])), Y=_SlotGrid(axes[2], rows, n, slot=(rows, widths[2])))
        self.grids += [p["X"], p["W"], p["Y"]]
        for ax, name in ((axes[0], "channel d"), (axes[2], "output channel n")):
            ax.set_xlabel(name)
            ax.set_ylabel("pixel row r*W + c")
            ax.tick_params(axis="y", labelsize=7)
        axes[1].set_xlabel("filter n")
        axes[1].set_ylabel("channel d")
        self._panels["pixel matrix"] = p

    def update(self, x, w, pixel=(0, 0), view=None) -> bool:
        view = self.views[0] if view is None else view
        if view not in self.views:
            raise ValueError(f"view must be one of {list(self.views)}, but got {view!r}")
        x, w = _layer(x, w, "PointwiseView.update")
        (d, h, wd), n = x.shape, w.shape[0]
        cd, cn, ch, cw = self.capacity
        if d > cd or n > cn or h > ch or wd > cw:
            raise ValueError(f"this figure draws at most {cd} -> {cn} channels on {ch}x{cw} maps, but got x of size "
                             f"{tuple(x.shape)} and w of size {tuple(w.shape)}")
        r, c = _pixel(pixel, h, wd)
        if view != self.view:      # show one view's axes, hide the other's (out of the layout too)
            for name, p in self._panels.items():
                for ax in p["axes"]:
                    ax.set_visible(name == view)
                    ax.set_in_layout(name == view)
            if "per pixel" in self._panels:
                self.figure._supxlabel.set_visible(view == "per pixel")
                self.figure._supxlabel.set_in_layout(view == "per pixel")
            self.figure.set_size_inches(self._size(view), forward=False)
            self.view = view
        (self._show_dot if view == "per pixel" else self._show_matrix)(x, w, r, c)
        as_cell_texts(self.figure)  # new ticks are plain texts until then
        return self.layout_changed()

    def _show_dot(self, x, w, r, c) -> None:
        p, (d, h, wd), n = self._panels["per pixel"], x.shape, w.shape[0]
        y = pointwise_conv2d(x, w)
        # the pixel outlined in every channel, and the whole weight matrix
        p["x"].show(_side_by_side(x), **_scale(x), fmt=_fmt, fontsize=9,
                    boxes=[(r, i * (wd + 1) + c, 1, 1) for i in range(d)])
        p["w"].show(w, fmt=_fmt, fontsize=9, boxes=[(0, 0, n, d)])
        p["y"].show(_side_by_side(y), **_scale(y), fmt=_fmt, fontsize=9,
                    boxes=[(r, i * (wd + 1) + c, 1, 1) for i in range(n)])
        for grid, k, key in ((p["x"], d, "in"), (p["y"], n, "out")):
            _set_ticks(self._ticks, grid.ax.xaxis, [i * (wd + 1) + j for i in range(k) for j in range(wd)],
                       [str(j) for _ in range(k) for j in range(wd)])
            _set_ticks(self._ticks, grid.ax.yaxis, range(h))
            for i, name in enumerate(p[f"{key}_names"]):
                name.set_visible(i < k)
                if i < k:
                    name.xy = (i * (wd + 1) + (wd - 1) / 2, -0.5)     # above the grid's top edge
                    name.set_text(f"{key} {i}")
        _set_ticks(self._ticks, p["w"].ax.xaxis, range(d))
        _set_ticks(self._ticks, p["w"].ax.yaxis, range(n))
        for ax, title in zip(p["axes"], (f"input x: {d} x {h} x {wd}", f"weight w: {n} x {d}",
                                         f"output y: {n} x {h} x {wd}")):
            ax.title.set_text(title)
        lines = [f"out {k} at ({r}, {c}) = {_dot_terms(w[k], x[:, r, c])} = {_fmt(y[k, r, c])}" for k in range(n)]
        # blank lines up to the most filters: the text keeps its height, so fewer filters need no new layout
        self.figure._supxlabel.set_text("\n".join(lines + [""] * (self.capacity[1] - n)))
        self.figure._suptitle.set_text(f"1x1 convolution, {d} -> {n} channels (pixel ({r}, {c}) outlined):\n"
                                       "at each pixel, one dot product across the channels per output channel")

    def _show_matrix(self, x, w, r, c) -> None:
        p, (d, h, wd), n = self._panels["pixel matrix"], x.shape, w.shape[0]
        rows, row = h * wd, r * wd + c
        X = x.reshape(d, rows).T
        Y = X @ w.T
        p["X"].show(X, **_scale(X), fmt=_fmt, fontsize=8, boxes=[(row, 0, 1, d)])   # the pixel's row
        p["W"].show(w.T, fmt=_fmt, fontsize=8)
        p["Y"].show(Y, **_scale(Y), fmt=_fmt, fontsize=8, boxes=[(row, 0, 1, n)])
        labels = [f"{i} ({i // wd},{i % wd})" for i in range(rows)]
        for grid, cols in ((p["X"], d), (p["Y"], n)):
            _set_ticks(self._ticks, grid.ax.yaxis, range(rows), labels)
            _set_ticks(self._ticks, grid.ax.xaxis, range(cols))
        _set_ticks(self._ticks, p["W"].ax.xaxis, range(n))
        _set_ticks(self._ticks, p["W"].ax.yaxis, range(d))
        for grid, title in ((p["X"], f"X  {X.shape}"), (p["W"], f"w.T  {w.T.shape}"),
                            (p["Y"], f"Y = X w.T  {Y.shape}")):
            grid.ax.title.set_text(title)
        self.figure._suptitle.set_text(f"The pixel matrix: (H*W, D) @ (D, N) = ({rows}, {d}) @ ({d}, {n}) = ({rows}, "
                                       f"{n}); row {row} is pixel ({r}, {c})")


def pixel_dot_figure(x, w, pixel=(0, 0)):
    """A 1x1 convolution drawn as what it is: at every pixel, a dot product across the channels.

    Left: the ``D`` input channels side by side (each an ``H x W`` grid). Middle: the weight matrix ``(N, D)``
    (row ``n`` is filter ``n``, a ``1x1xD`` filter). Right: the ``N`` output channels. The outlined pixel is the
    same position in every channel; the lines under the figure write out its dot products,
    ``y[n, r, c] = sum over d of w[n, d] * x[d, r, c]``. No bias, no padding, stride 1: H and W are kept.
    Drawn by a :class:`PointwiseView` (what the explorer updates in place).

    Parameters
    ----------
    x : array_like
        ``(D, H, W)``, at most 6 channels and 6x6 (the grids are labelled cell by cell).
    w : array_like
        ``(N, D)`` or ``(N, D, 1, 1)``, at most 6 output channels.
    pixel : (int, int)
        ``(row, column)`` to outline.

    Returns
    -------
    matplotlib.figure.Figure

    Shape
    -----
    ``x (D, H, W)`` and ``w (N, D)`` give ``y (N, H, W)``.

    Examples
    --------
    >>> x = np.array([[[1, 2], [3, 4]], [[0, 1], [1, 0]]])       # D = 2 channels of 2x2
    >>> fig = pixel_dot_figure(x, [[1, 1], [2, -1]], pixel=(1, 0))
    >>> print(fig._supxlabel.get_text())
    out 0 at (1, 0) = 1*3 + 1*1 = 4
    out 1 at (1, 0) = 2*3 + (-1)*1 = 5
    """
    x, w = _layer(x, w, "pixel_dot_figure")
    (d, h, wd), n = x.shape, w.shape[0]
    if d > 6 or n > 6 or h > 6 or wd > 6:
        raise ValueError(f"the figure labels every cell, so it draws at most 6 channels of at most 6x6; got "
                         f"x of size {tuple(x.shape)} and w of size {tuple(w.shape)}")
    _pixel(pixel, h, wd)
    view = PointwiseView(d, n, h, wd, views=("per pixel",))
    view.update(x, w, pixel)
    return view.figure


def pixel_matrix_figure(x, w, pixel=(0, 0)):
    """The same 1x1 convolution as one matrix product on the pixel matrix.

    The input ``(D, H, W)`` becomes the **pixel matrix** ``X`` of shape ``(H*W, D)``: one row per pixel (in
    row-major order, row ``r * W + c`` is pixel ``(r, c)``), one column per channel. The layer is
    ``Y = X @ w.T``, ``(H*W, D) @ (D, N) = (H*W, N)``; reshaping ``Y`` back gives the ``N`` output maps.
    Drawn by a :class:`PointwiseView`.

    Parameters
    ----------
    x : array_like
        ``(D, H, W)`` with ``H*W <= 36`` and ``D <= 8``.
    w : array_like
        ``(N, D)`` or ``(N, D, 1, 1)``.
    pixel : (int, int)
        Its row is outlined in ``X`` and ``Y``.

    Returns
    -------
    matplotlib.figure.Figure

    Shape
    -----
    ``X (H*W, D)``, ``w.T (D, N)``, ``Y (H*W, N)``.

    Examples
    --------
    >>> x = np.arange(12).reshape(3, 2, 2)
    >>> fig = pixel_matrix_figure(x, np.eye(3)[:2], pixel=(0, 1))
    >>> fig.axes[2].get_title()
    'Y = X w.T  (4, 2)'
    >>> [t.get_text() for t in fig.axes[2].texts if t.get_visible()][2:4]    # row 1 = pixel (0, 1)
    ['1', '5']
    """
    x, w = _layer(x, w, "pixel_matrix_figure")
    (d, h, wd), n = x.shape, w.shape[0]
    if h * wd > 36 or d > 8 or n > 8:
        raise ValueError(f"the figure labels every cell, so it draws at most 36 pixels and 8 channels; got "
                         f"x of size {tuple(x.shape)} and w of size {tuple(w.shape)}")
    _pixel(pixel, h, wd)
    view = PointwiseView(d, n, h, wd, views=("pixel matrix",))
    view.update(x, w, pixel)
    return view.figure


def channel_mix_figure(image, w, names=None):
    """A colour photo through a 1x1 convolution: each output channel is one weighted sum of R, G and B.

    Left: the photo. Then one panel per filter (row of ``w``): the output map, grey for a filter whose output
    cannot be negative, a diverging map centred on 0 otherwise, with a colour bar; its title gives the
    weights.

    Parameters
    ----------
    image : array_like
        ``(3, H, W)``, values in ``[0, 1]`` (as :func:`convzoo.sample_image` gives).
    w : array_like
        ``(N, 3)`` or ``(N, 3, 1, 1)``, at most 4 filters.
    names : list of str, optional
        A name per filter.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = channel_mix_figure(np.ones((3, 4, 4)) / 2, [[0.299, 0.587, 0.114]], names=["grey"])
    >>> fig.axes[1].get_title()
    'grey: 0.299 R + 0.587 G + 0.114 B'
    """
    x, w = _layer(image, w, "channel_mix_figure")
    if x.shape[0] != 3 or w.shape[0] > 4:
        raise ValueError(f"channel_mix_figure takes an RGB image (3, H, W) and at most 4 filters, but got "
                         f"image of size {tuple(x.shape)} and w of size {tuple(w.shape)}")
    y = pointwise_conv2d(x, w)
    n = w.shape[0]
    names = names or [f"filter {k}" for k in range(n)]
    fig, axes = new_figure(1, n + 1, size=(3.0 * (n + 1) + 0.5, 3.1),
                           title=f"A 1x1 convolution on a photo: 3 channels (R, G, B) -> {n}")
    show_image(axes[0], np.clip(np.moveaxis(x, 0, -1), 0, 1), title=f"input, {x.shape[1]}x{x.shape[2]} RGB")
    for k in range(n):
        terms = " ".join(f"{'-' if v < 0 else '+'} {abs(float(v)):g} {c}" for v, c in zip(w[k], "RGB"))
        terms = terms[2:] if terms.startswith("+") else "-" + terms[2:]
        signed = bool(y[k].min() < 0)
        show_image(axes[k + 1], y[k], title=f"{names[k]}: {terms}", cmap=None if signed else "gray",
                   signed=signed, colorbar=True)
        axes[k + 1].images[0].colorbar.set_label("output value")
        axes[k + 1].title.set_fontsize(9)
    for ax in axes:
        ax.set_xlabel("column")
        ax.set_ylabel("row")
        for im in ax.images:
            im.set_interpolation("nearest")         # crisp pixels, and a small PNG in the stored notebook
    return fig


def bottleneck_costs(in_channels=192, mid_channels=16, out_channels=32, kernel_size=5, size=28):
    """Multiply-adds and weights of a k x k layer, direct and after a 1x1 reduction ('same' padding, stride 1).

    Returns
    -------
    dict
        ``direct_macs``, ``reduce_macs`` (the 1x1), ``conv_macs`` (the k x k after it), ``bottleneck_macs``
        (their sum), and the same for parameters (``*_params``, weights only, no biases).

    Shape
    -----
    Input ``(in_channels, size, size)``; every layer keeps ``size x size``.

    Examples
    --------
    >>> c = bottleneck_costs()                            # Inception's 5x5 branch on 28x28x192
    >>> c["direct_macs"], c["reduce_macs"], c["conv_macs"], c["bottleneck_macs"]
    (120422400, 2408448, 10035200, 12443648)
    """
    for name, v in dict(in_channels=in_channels, mid_channels=mid_channels, out_channels=out_channels,
                        size=size).items():
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive int, but got {v!r}")
    if isinstance(kernel_size, bool) or not isinstance(kernel_size, (int, np.integer)) or kernel_size < 1 \
            or kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be an odd positive int (an even kernel cannot keep {size}x{size} with "
                         f"the same padding on both sides), but got {kernel_size!r}")
    k = int(kernel_size)
    out = dict(direct_macs=conv_macs(in_channels, out_channels, k, size),
               reduce_macs=conv_macs(in_channels, mid_channels, 1, size),
               conv_macs=conv_macs(mid_channels, out_channels, k, size),
               direct_params=conv_params(in_channels, out_channels, k, bias=False),
               reduce_params=conv_params(in_channels, mid_channels, 1, bias=False),
               conv_params=conv_params(mid_channels, out_channels, k, bias=False))
    out["bottleneck_macs"] = out["reduce_macs"] + out["conv_macs"]
    out["bottleneck_params"] = out["reduce_params"] + out["conv_params"]
    return out


class BottleneckView(GridFigure):
    """The bottleneck's cost bars (:func:`bottleneck_cost_figure`), built once and updated in place.

    Two panels, multiply-adds and weights: a direct bar, and a stacked bar (1x1 reduction below, k x k
    convolution above), each total written on its bar, the parts in the legend, the ratio in the title.
    :meth:`update` takes :func:`bottleneck_costs`'s arguments.

    Shape
    -----
    Input ``(in_channels, size, size)``; every layer keeps ``size x size``.

    Examples
    --------
    >>> v = BottleneckView()
    >>> v.update(192, 16, 32, 5, 28)
    True
    >>> v.update(192, 17, 32, 5, 28), v.figure.axes[1].get_title()
    (False, 'weights: 153,600 vs 16,864 (9.1x fewer)')
    """

    COLOURS = ("#3b528b", "#5ec962", "#21918c")       # viridis samples

    def __init__(self):
        from matplotlib.ticker import FuncFormatter

        fig, axes = new_figure(1, 2, size=(9.5, 4.2), title=" ")
        self._ticks: dict = {}
        self.panels = []
        for ax, unit in zip(axes, ("multiply-adds", "weights")):
            direct, red = (ax.bar(i, 1, color=colour)[0] for i, colour in enumerate(self.COLOURS[:2]))
            conv = ax.bar(1, 1, bottom=1, color=self.COLOURS[2])[0]
            totals = [ax.text(i, 0, "", ha="center", va="bottom", fontsize=9) for i in (0, 1)]
            for t in totals:
                t.set_in_layout(False)          # inside the axes (the y limit leaves room above the bars)
            legend = ax.legend([direct, red, conv], ["", "", ""], fontsize=8, loc="upper right")
            legend.set_in_layout(False)         # inside the axes too
            ax.set_xlim(-0.6, 1.6)
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
            ax.set_title(" ", fontsize=10)
            ax.set_ylabel(unit)
            ax.set_xlabel("layer")
            self.panels.append((ax, unit, (direct, red, conv), totals, legend))
        super().__init__(fig, [])

    def update(self, in_channels=192, mid_channels=16, out_channels=32, kernel_size=5, size=28) -> bool:
        c = bottleneck_costs(in_channels, mid_channels, out_channels, kernel_size, size)
        k = int(kernel_size)
        names = [f"direct\n{k}x{k}", f"1x1 to {mid_channels},\nthen {k}x{k}"]
        for (ax, unit, bars, totals, legend), what in zip(self.panels, ("macs", "params")):
            direct, red, conv = c[f"direct_{what}"], c[f"reduce_{what}"], c[f"conv_{what}"]
            total, top = red + conv, max(direct, red + conv)
            bars[0].set_height(direct)
            bars[1].set_height(red)
            bars[2].set_y(red)
            bars[2].set_height(conv)
            for t, x, v in zip(totals, (0, 1), (direct, total)):
                t.set_position((x, v + 0.02 * top))
                t.set_text(f"{v:,}")
            for t, text in zip(legend.get_texts(), (f"{k}x{k} {in_channels} -> {out_channels}: {direct:,}",
                                                    f"1x1 {in_channels} -> {mid_channels}: {red:,}",
                                                    f"{k}x{k} {mid_channels} -> {out_channels}: {conv:,}")):
                t.set_text(text)
            _set_ticks(self._ticks, ax.xaxis, [0, 1], names)
            ax.set_ylim(0, 1.45 * top)
            ratio = direct / total
            verdict = f"{ratio:.1f}x fewer" if ratio >= 1 else f"{1 / ratio:.1f}x more"
            ax.title.set_text(f"{unit}: {direct:,} vs {total:,} ({verdict})")
        self.figure._suptitle.set_text(f"{k}x{k} conv {in_channels} -> {out_channels} channels on {size}x{size}: "
                                       f"directly, or 1x1 to {mid_channels} first")
        return self.layout_changed()


def bottleneck_cost_figure(in_channels=192, mid_channels=16, out_channels=32, kernel_size=5, size=28):
    """Bar chart: a k x k convolution directly, against a 1x1 reduction followed by the k x k convolution.

    Left: multiply-adds (one per weight per output position), right: weights. The bottleneck bar is stacked,
    1x1 part below, k x k part above, each part's count in the legend, each total written on its bar; the
    title gives the ratio. Drawn by a :class:`BottleneckView`.

    Returns
    -------
    matplotlib.figure.Figure

    Shape
    -----
    Input ``(in_channels, size, size)``; every layer keeps ``size x size``.

    Examples
    --------
    >>> fig = bottleneck_cost_figure()
    >>> fig.axes[0].get_title()
    'multiply-adds: 120,422,400 vs 12,443,648 (9.7x fewer)'
    """
    view = BottleneckView()
    view.update(in_channels, mid_channels, out_channels, kernel_size, size)
    return view.figure


def collapse_figure(x, w):
    """Two channels mapped to one by a 1x1 convolution: each pixel is a point, the output is its projection.

    Left: every pixel of the two-channel input ``x`` as a point ``(x[0], x[1])``, coloured by its output
    ``w[0] * x[0] + w[1] * x[1]``, with the level lines of that output dashed: all points on one line give the
    same output. Right: the outputs on one axis, where points of one level line land on one value. So the
    input cannot be recovered from the output: a 1x1 convolution that reduces channels loses information.

    Parameters
    ----------
    x : array_like
        ``(2, H, W)``.
    w : array_like
        ``(1, 2)`` or ``(2,)``, not zero.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> x = np.array([[[0, 1], [2, 3]], [[3, 2], [1, 0]]])
    >>> fig = collapse_figure(x, [1, 1])                                 # every pixel sums to 3
    >>> fig.axes[1].get_title()
    '1 distinct output for 4 distinct points'
    """
    w = np.asarray(w)
    x, w = _layer(x, w.reshape(1, -1) if w.ndim == 1 else w, "collapse_figure")
    if w.shape != (1, 2):
        raise ValueError(f"collapse_figure draws 2 channels -> 1, so w must be (1, 2), but got {tuple(w.shape)}")
    if not np.any(w):
        raise ValueError("w is all zeros: every pixel maps to 0 and there are no level lines to draw")
    a, b = (float(v) for v in w[0])
    p0, p1 = x[0].ravel().astype(float), x[1].ravel().astype(float)
    y = a * p0 + b * p1
    fig, axes = new_figure(1, 2, size=(9.0, 4.0),
                           title=f"1x1 conv, 2 channels -> 1 with w = [{_fmt(a)}, {_fmt(b)}]: "
                                 "each dashed line collapses to one output")
    ax = axes[0]
    lo, hi = min(p0.min(), p1.min()) - 1, max(p0.max(), p1.max()) + 1
    t = np.linspace(lo, hi, 2)
    for level in np.unique(np.round(y, 9)):
        if b != 0:
            ax.plot(t, (level - a * t) / b, "--", color="grey", linewidth=0.8)
        else:
            ax.axvline(level / a, linestyle="--", color="grey", linewidth=0.8)
    sc = ax.scatter(p0, p1, c=y, cmap=SEQUENTIAL, s=60, edgecolors="black", zorder=3)
    if p0.size <= 36:
        for a0, a1 in set(zip(p0, p1)):
            ax.annotate(f"({_fmt(a0)}, {_fmt(a1)})", (a0, a1), textcoords="offset points", xytext=(6, 4),
                        fontsize=7)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xlabel("channel 0 value")
    ax.set_ylabel("channel 1 value")
    ax.set_title(f"{p0.size} pixels ({len(set(zip(p0, p1)))} distinct points) in channel space")
    bar = fig.colorbar(sc, ax=ax, shrink=0.8, label="output value")
    integer = np.allclose(y, np.round(y))
    if integer:                                         # integer outputs: one tick per output value
        bar.set_ticks(np.unique(np.round(y)))
    ax = axes[1]
    values, counts = np.unique(np.round(y, 9), return_counts=True)
    ax.scatter(values, np.zeros_like(values), c=values, cmap=SEQUENTIAL, s=60, edgecolors="black",
               vmin=y.min(), vmax=y.max() if y.max() > y.min() else y.min() + 1)
    for v, k in zip(values, counts):
        ax.annotate(f"{_fmt(v)}\n({k} px)", (v, 0), textcoords="offset points", xytext=(0, 10), ha="center",
                    fontsize=8)
    ax.set_yticks([])
    if integer:
        ax.set_xticks(values)
    ax.set_ylim(-1, 1.5)
    ax.set_xlabel("output value")
    ax.set_ylabel("one channel left")
    n_distinct = len(values)
    ax.set_title(f"{n_distinct} distinct output{'s' if n_distinct != 1 else ''} for {len(set(zip(p0, p1)))} "
                 "distinct points")
    return fig


def squeeze_excitation_figure(x, w1, b1, w2, b2, names=None):
    """A squeeze-and-excitation block's per-channel numbers, as three bar charts.

    Squeeze: the mean of each channel (global average pooling). Excitation: the gate in ``(0, 1)`` that two
    fully connected layers (1x1 convolutions on the 1x1 map) and a sigmoid compute from all the means.
    Scale: each channel multiplied by its gate, shown by its new mean (``mean * gate``).

    Parameters
    ----------
    x : array_like
        ``(C, H, W)``, at most 16 channels.
    w1, b1, w2, b2 : array_like
        As :func:`convzoo.squeeze_excitation` takes them.
    names : list of str, optional
        Channel names for the x axis.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from convzoo.blocks import init_squeeze_excitation
    >>> fig = squeeze_excitation_figure(np.ones((4, 3, 3)), **init_squeeze_excitation(4, 2, rng=0))
    >>> [ax.get_title().split(":")[0] for ax in fig.axes]
    ['1. squeeze', '2. excitation', '3. scale']
    """
    x = as_array(x, "x", ndims=(3,), func="squeeze_excitation_figure")
    ch = x.shape[0]
    if ch > 16:
        raise ValueError(f"squeeze_excitation_figure draws at most 16 channels, but x has {ch}")
    y, gate = squeeze_excitation(x, w1, b1, w2, b2, return_gate=True)
    means = x.reshape(ch, -1).mean(axis=1)
    after = y.reshape(ch, -1).mean(axis=1)
    names = names or [str(k) for k in range(ch)]
    hidden = np.asarray(w1).shape[0]
    fig, axes = new_figure(1, 3, size=(11.0, 3.6),
                           title=f"Squeeze-and-excitation on {ch} channels (hidden layer of {hidden}, r = {ch // hidden})")
    pos = np.arange(ch)
    lo = min(0.0, float(means.min()), float(after.min()))
    hi = max(float(means.max()), float(after.max()), 1e-9)
    for ax, values, title, colour in ((axes[0], means, "1. squeeze: mean of each channel", "#3b528b"),
                                      (axes[1], gate, "2. excitation: gate = sigmoid(fc(relu(fc(means))))",
                                       "#21918c"),
                                      (axes[2], after, "3. scale: channel mean after x * gate", "#5ec962")):
        ax.bar(pos, values, color=colour)
        ax.set_xticks(pos, names, fontsize=8)
        ax.set_xlabel("channel")
        ax.set_title(title, fontsize=9)
        if ch <= 8:
            for p, v in zip(pos, values):
                ax.text(p, v, f"{v:.2f}", ha="center", va="bottom" if v >= 0 else "top", fontsize=8)
    axes[0].set_ylabel("mean value")
    axes[1].set_ylabel("gate (0 to 1)")
    axes[1].set_ylim(0, 1.08)
    axes[2].set_ylabel("mean value")
    for ax in (axes[0], axes[2]):                    # room below a negative bar for its value label
        ax.set_ylim(lo - 0.15 * (hi - lo) if lo < 0 else 0.0, hi * 1.12)
    return fig
