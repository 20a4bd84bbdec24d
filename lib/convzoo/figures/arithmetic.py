"""Figures of chapter 5: convolution arithmetic, drawn so that every number can be counted.

- :func:`window_layout`: the numbers behind every drawing along one axis: the padded length, where each
  window starts, which cells each window reads, how often each cell is read, the cells the floor leaves out.
- :func:`arithmetic_figure`: Dumoulin & Visin's picture, with numbers: the padded input (padding dashed
  zeros, never-read cells hatched), the kernel's taps at one or several output positions, the kernel, and
  the output (filled in up to the current position); ``i, k, s, p, d`` and the output-size formula with its
  floor in the title. The explorer draws one frame of it per step.
- :func:`window_positions_figure`: one axis, every window position as one row: where each output value's
  taps fall, how often each input cell is read, and which cells no window reaches (the floor at work).
  Takes per-side padding (``'same'`` with an even kernel) and pooling's ``ceil_mode``.
- :func:`receptive_field_figure`: for stacks of layers, how many paths lead from each input pixel to one
  output cell; the non-zero square is the receptive field.
- :func:`output_size_text`: the formula with the numbers put in, as the figures write it.

Every number a reader must check is written in its cell (:func:`.common.draw_grid`).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._args import check_int
from .common import LiveFigure, draw_grid, new_figure, outline
from .common import _fmt_fixed as _fmt
from .live import LiveGrid, as_cell_texts, digits_alike, square

__all__ = [
    "WindowLayout",
    "window_layout",
    "example_input",
    "DUMOULIN_INPUT",
    "output_size_text",
    "arithmetic_figure",
    "ArithmeticView",
    "window_positions_figure",
    "receptive_field_figure",
    "MAX_DRAWN",
]

MAX_DRAWN = 15
"""The largest padded length the figures draw (a grid a reader can still count)."""

_COLOURS = ("#d62728", "#1f77b4", "#ff7f0e", "#9467bd", "#2ca02c", "#8c564b")


class WindowLayout(NamedTuple):
    """Where the windows of a convolution (or pooling) fall along one axis.

    Coordinates are cells of the padded input, ``0 .. length - 1``; input cell ``m`` is padded cell
    ``m + pad[0]``.

    Attributes
    ----------
    i, k, s, d : int
        Input size, kernel size, stride, dilation.
    pad : (int, int)
        Zeros before and after the input.
    o : int
        Output size (number of windows).
    span : int
        Cells one window covers, ``d(k - 1) + 1``.
    length : int
        Cells drawn: ``i + pad[0] + pad[1]``, plus any cells a ``ceil_mode`` window hangs over the end.
    taps : numpy.ndarray
        ``(o, k)``: the padded cell that tap ``t`` of window ``j`` reads.
    reads : numpy.ndarray
        ``(length,)``: how many windows read each cell (0: never read).
    unused : int
        Trailing cells of the padded input after the last window (the floor's leftovers, as
        :func:`convzoo.unused_input`).
    overhang : int
        Cells a ``ceil_mode`` window reaches beyond the padded input (0 otherwise).
    """

    i: int
    k: int
    s: int
    d: int
    pad: tuple
    o: int
    span: int
    length: int
    taps: np.ndarray
    reads: np.ndarray
    unused: int
    overhang: int


def _pad_pair(p) -> tuple[int, int]:
    if isinstance(p, (tuple, list)):
        if len(p) != 2:
            raise ValueError(f"padding p must be an int or a (before, after) pair, but got {tuple(p)!r}")
        return (check_int(p[0], "padding before", minimum=0), check_int(p[1], "padding after", minimum=0))
    p = check_int(p, "padding p", minimum=0)
    return (p, p)


def window_layout(i, k, s=1, p=0, d=1, ceil_mode=False) -> WindowLayout:
    """Every window of a convolution along one axis: its taps, and how often each cell is read.

    The output size is ``o = floor((i + p_before + p_after - d(k - 1) - 1) / s) + 1`` (the formula of
    :func:`convzoo.conv_output_size` with per-side padding). With ``ceil_mode`` (pooling only) the floor
    becomes a ceiling as in :func:`convzoo.pool_output_size`: the last window may hang over the end.

    Parameters
    ----------
    i, k, s, d : int
        Input size, kernel size, stride, dilation.
    p : int or (int, int)
        Zeros on each side, or ``(before, after)``.
    ceil_mode : bool
        Pooling's ceiling mode (needs a symmetric int ``p``).

    Returns
    -------
    WindowLayout

    Shape
    -----
    One axis: ``taps`` is ``(o, k)``, ``reads`` is ``(length,)``.

    Examples
    --------
    >>> lay = window_layout(6, 3, s=2, p=1)
    >>> lay.o, lay.taps.tolist(), lay.reads.tolist(), lay.unused
    (3, [[0, 1, 2], [2, 3, 4], [4, 5, 6]], [1, 1, 2, 1, 2, 1, 1, 0], 1)
    >>> window_layout(7, 3, d=2).taps.tolist()
    [[0, 2, 4], [1, 3, 5], [2, 4, 6]]
    """
    i = check_int(i, "input size i", minimum=1)
    k = check_int(k, "kernel size k", minimum=1)
    s = check_int(s, "stride s", minimum=1)
    d = check_int(d, "dilation d", minimum=1)
    pad = _pad_pair(p)
    span = d * (k - 1) + 1
    padded = i + pad[0] + pad[1]
    if span > padded:
        ptext = f"2*{pad[0]}" if pad[0] == pad[1] else f"{pad[0]} + {pad[1]}"
        raise ValueError(
            f"the kernel does not fit: it spans d(k - 1) + 1 = {d}*({k} - 1) + 1 = {span} cells, but the padded "
            f"input has only i + {'2p' if pad[0] == pad[1] else 'p_before + p_after'} = {i} + {ptext} = {padded}. "
            f"Make i or p larger, or k or d smaller.")
    if ceil_mode:
        if pad[0] != pad[1]:
            raise ValueError(f"ceil_mode is pooling's option and needs the same padding on both sides, but got p={pad}")
        from ..shapes import pool_output_size

        o = pool_output_size(i, k, s, pad[0], d, ceil_mode=True)
    else:
        o = (padded - span) // s + 1
    starts = np.arange(o) * s
    taps = starts[:, None] + d * np.arange(k)[None, :]
    length = max(padded, int(taps.max()) + 1)
    reads = np.bincount(taps.ravel(), minlength=length)
    unused = (padded - span) % s
    return WindowLayout(i, k, s, d, pad, o, span, length, taps, reads, unused, length - padded)


DUMOULIN_INPUT = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]])
"""The 5x5 input of Dumoulin & Visin's worked example (chapter 2's example too)."""


def example_input(i: int) -> np.ndarray:
    """The ``i x i`` input the figures draw: Dumoulin & Visin's 5x5 example, cut or repeated to ``i x i``.

    Examples
    --------
    >>> example_input(3)
    array([[3, 3, 2],
           [0, 0, 1],
           [3, 1, 2]])
    >>> example_input(6)[5].tolist()   # row 5 repeats row 0
    [3, 3, 2, 1, 0, 3]
    """
    i = check_int(i, "input size i", minimum=1)
    rows, cols = np.meshgrid(np.arange(i) % 5, np.arange(i) % 5, indexing="ij")
    return DUMOULIN_INPUT[rows, cols]


def output_size_text(i, k, s=1, p=0, d=1, *, math=True) -> str:
    """The output-size formula with the numbers put in, floor included (as the figures' titles write it).

    Examples
    --------
    >>> output_size_text(6, 3, 2, 1, math=False)
    'o = floor((6 + 2*1 - 1*(3 - 1) - 1) / 2) + 1 = floor(5 / 2) + 1 = 3'
    >>> output_size_text(5, 4, 1, (1, 2), math=False)
    'o = floor((5 + 1 + 2 - 1*(4 - 1) - 1) / 1) + 1 = floor(4 / 1) + 1 = 5'
    """
    lay = window_layout(i, k, s, p, d)
    pb, pa = lay.pad
    num = i + pb + pa - d * (k - 1) - 1
    ptext = f"2*{pb}" if pb == pa else f"{pb} + {pa}"
    if not math:
        return f"o = floor(({i} + {ptext} - {d}*({k} - 1) - 1) / {s}) + 1 = floor({num} / {s}) + 1 = {lay.o}"
    ptext = ptext.replace("*", r"\cdot ")
    return (rf"$o = \lfloor ({i} + {ptext} - {d}\cdot({k} - 1) - 1) / {s} \rfloor + 1"
            rf" = \lfloor {num}/{s} \rfloor + 1 = {lay.o}$")


def _params_text(i, k, s, pad, d) -> str:
    p = pad[0] if pad[0] == pad[1] else f"({pad[0]}, {pad[1]})"
    return f"i = {i}, k = {k}, s = {s}, p = {p}, d = {d}"


def _hatch(ax, cells, *, colour="#888888") -> None:
    """Hatch the cells ``[(row, col), ...]`` (the cells no window reads)."""
    if cells:
        ax.add_collection(_squares(ax, [square(r, c) for r, c in cells], facecolors="none", hatch="xx",
                                   edgecolors=colour, linewidths=0, zorder=3))


def _squares(ax, verts=(), **kw):
    """One PolyCollection of squares (:func:`.live.square`) on ``ax``: one artist for any number of them,
    changed with ``set_verts``; inside the axes, so out of the layout."""
    from matplotlib.collections import PolyCollection

    coll = PolyCollection(list(verts), closed=True, **kw)
    coll.set_in_layout(False)
    ax.add_collection(coll, autolim=False)
    return coll


def _positions(position, o: int) -> list[tuple[int, int]]:
    if isinstance(position, tuple) and len(position) == 2 and all(np.isscalar(v) for v in position):
        position = [position]
    out = []
    for pos in position:
        if not (isinstance(pos, (tuple, list)) and len(pos) == 2):
            raise ValueError(f"a position is a (row, col) pair of the output, but got {pos!r}")
        r, c = check_int(pos[0], "output row"), check_int(pos[1], "output column")
        if not (0 <= r < o and 0 <= c < o):
            raise ValueError(f"position ({r}, {c}) is outside the {o}x{o} output: rows and columns are "
                             f"numbered 0 to {o - 1}")
        out.append((r, c))
    if not out:
        raise ValueError("give at least one output position")
    return out


class _Frame(NamedTuple):
    """Everything one picture of :class:`ArithmeticView` shows, computed (and checked) before drawing."""

    lay: WindowLayout
    x: np.ndarray
    w: np.ndarray
    weighted: bool
    y: np.ndarray
    positions: list
    fill: str
    terms: list


def _frame(i, k, s, p, d, position, x, weight, fill) -> _Frame:
    lay = window_layout(i, k, s, p, d)
    if lay.length > MAX_DRAWN:
        raise ValueError(f"the padded input has {lay.length} cells per side; the figure draws at most {MAX_DRAWN}: "
                         f"make i or p smaller")
    x = example_input(i) if x is None else np.asarray(x)
    w = np.ones((k, k), dtype=int) if weight is None else np.asarray(weight)
    if x.shape != (i, i):
        raise ValueError(f"x must have shape ({i}, {i}) for i = {i}, but got {x.shape}")
    if w.shape != (k, k):
        raise ValueError(f"weight must have shape ({k}, {k}) for k = {k}, but got {w.shape}")
    positions = _positions(position, lay.o)
    fill = fill or ("upto" if len(positions) == 1 else "all")
    if fill not in ("upto", "all"):
        raise ValueError(f"fill must be 'upto' or 'all', but got {fill!r}")

    from ..conv import conv2d

    y = conv2d(x[None, None], w[None, None], stride=s, padding=(lay.pad, lay.pad), dilation=d)[0, 0]
    pb = lay.pad[0]
    r, c = positions[0]
    xp = np.zeros((lay.length, lay.length), dtype=x.dtype)
    xp[pb:pb + i, pb:pb + i] = x
    terms = [xp[r * s + a * d, c * s + b * d] for a in range(k) for b in range(k)]
    return _Frame(lay, x, w, weight is not None, y, positions, fill, terms)


class ArithmeticView(LiveFigure):
    """:func:`arithmetic_figure` as a live figure: one picture of the convolution arithmetic, updated in place.

    :meth:`update` takes the arguments of :func:`arithmetic_figure` and redraws the same three panels
    without creating an artist (labels, squares and outlines are reused), and lays the panels out itself:
    a cell is one square of the same size in every panel, the panels side by side under their titles, the
    sum under them. ``fit=True`` (the static figure) sizes the figure to the picture at 0.42-inch cells;
    ``fit=False`` (the explorer) keeps the figure's ``size`` and makes the cells as large as fits (at most
    0.55 inches), so moving a slider never resizes the picture and never runs a layout engine.

    Parameters
    ----------
    fit : bool
        Size the figure to each picture (else keep ``size``).
    size : (float, float)
        The figure's size in inches while ``fit`` is False; large enough for every grid the figure draws.

    Shape
    -----
    Input ``(i, i)``, kernel ``(k, k)``, output ``(o, o)``; the padded input, ``(i + 2p) x (i + 2p)``, is at
    most :data:`MAX_DRAWN` cells per side.

    Examples
    --------
    >>> v = ArithmeticView()
    >>> v.update(5, 3, s=2, p=1, position=(0, 1))
    False
    >>> v.figure.axes[2].get_title().splitlines()[1]
    'filled up to y[0, 1]'
    >>> _ = v.update(4, 3)
    >>> [t.get_text() for t in v.figure.axes[2].texts if t.get_visible()]
    ['15']
    """

    CELL = 0.42
    """Inches per cell of the static figure."""
    LARGEST_CELL = 0.55
    """Largest cell of a fixed-size figure (small grids would otherwise fill it with a few huge squares)."""

    def __init__(self, fit: bool = False, size=(11.0, 6.0)):
        fig, (ax_in, ax_w, ax_out) = new_figure(1, 3, size=size, title=" ")
        fig.set_layout_engine("none")  # placed by _place, from the cells' size
        self.fit = fit
        # ticks set by update: the input's count input coordinates (padding below 0), in a smaller font
        self.grids = [LiveGrid(ax, xlabel=f"{name} column", ylabel=f"{name} row", ticks=False)
                      for ax, name in ((ax_in, "input"), (ax_w, "tap"), (ax_out, "output"))]
        # the grids draw the padding and outline the windows; the kernel has neither, the output no padding:
        # hidden, as an empty collection still costs a draw (~0.07 ms)
        for coll in (self.grids[1].padding, self.grids[1].boxes, self.grids[2].padding):
            coll.set_visible(False)
        # these two are this figure's own
        self.never = _squares(ax_in, facecolors="none", hatch="xx", edgecolors="#888888", linewidths=0, zorder=3)
        self.empty = _squares(ax_out, facecolors="none", edgecolors="#bbbbbb", linewidths=0.8, zorder=3)
        for ax in fig.axes:
            # y=1.0: nothing is drawn on top, so matplotlib need not measure the tick labels to place it
            ax.set_title(" ", fontsize=10, y=1.0)
        self._title_pads = [None, None, None]
        self._measured: dict = {}   # text sizes, for _place
        fig.supxlabel(" ", fontsize=10, va="top")
        fig._suptitle.set_va("top")
        as_cell_texts(fig)  # titles, labels and the sum laid out once per digit pattern
        self._ticks = [None, None, None]
        self._tick_labels = [None, None, None]   # (labels, font size) per panel, for _place
        super().__init__(fig)

    def update(self, i=5, k=3, s=1, p=0, d=1, position=(0, 0), *, x=None, weight=None, fill=None) -> bool:
        f = _frame(i, k, s, p, d, position, x, weight, fill)  # every check before anything changes
        lay, positions = f.lay, f.positions
        n, o, pad = lay.length, lay.o, lay.pad
        pb = pad[0]
        fig = self.figure
        grid_in, grid_w, grid_out = self.grids
        colours = [_COLOURS[m % len(_COLOURS)] for m in range(len(positions))]

        # input: the values inside their padding (dashed zeros), never-read cells hatched, the windows (with
        # dilation a thin box round each window's extent, then a thick one round each of its taps)
        is_pad = np.ones((n, n), dtype=bool)
        is_pad[pb:pb + i, pb:pb + i] = False
        shown_x = np.full((n, n), np.nan)
        shown_x[pb:pb + i, pb:pb + i] = f.x
        starts = [(r * s, c * s) for r, c in positions]
        extents = [(r0, c0, lay.span, lay.span) for r0, c0 in starts] if d > 1 else []
        taps = [(r0 + a * d, c0 + b * d, 1, 1) for r0, c0 in starts for a in range(k) for b in range(k)]
        never = [(r, c) for r in range(n) for c in range(n) if lay.reads[r] == 0 or lay.reads[c] == 0]
        ptitle = "no padding" if pad == (0, 0) else f"padding {pb if pb == pad[1] else pad} (dashed zeros)"
        grid_in.show(shown_x, vmin=min(0.0, float(np.min(f.x))), vmax=float(np.max(f.x)) or 1.0, padding=is_pad,
                     boxes=extents + taps, box_colours=(colours if extents else []) + [col for col in colours
                                                                                       for _ in range(k * k)],
                     box_width=[1.0] * len(extents) + [2.0] * len(taps),
                     title=f"input {i}x{i}, {ptitle}\n"
                           + (f"hatched: never read ({len(never)} cells)" if never else "every cell is read"))
        self.never.set_verts([square(r, c) for r, c in never])
        self.never.set_visible(bool(never))

        # kernel
        grid_w.show(f.w, title=f"kernel {k}x{k}" + ("" if f.weighted else "\n(all ones)")
                    + (f"\ntaps {d} apart" if d > 1 else ""))

        # output, filled up to the (last) position
        order = np.arange(o * o).reshape(o, o)
        last = max(order[r, c] for r, c in positions)
        shown_y = f.y.astype(float) if f.fill == "all" else np.where(order <= last, f.y, np.nan)
        r, c = positions[0]
        grid_out.show(shown_y, vmin=float(np.min(f.y)), vmax=float(np.max(f.y)),
                      boxes=[(a, b, 1, 1) for a, b in positions], box_colours=colours,
                      title=f"output {o}x{o}\n" + ("filled up to " if f.fill == "upto" else "")
                            + (f"y[{r}, {c}]" if len(positions) == 1 else f"{len(positions)} positions outlined"))
        empty = [square(a, b) for a in range(o) for b in range(o) if not np.isfinite(shown_y[a, b])]
        self.empty.set_verts(empty)
        self.empty.set_visible(bool(empty))

        from matplotlib import rcParams

        # ticks: input coordinates on the input (padding below 0 or from i on), indices elsewhere; made anew
        # only when they change (creating ticks is slow)
        new_ticks = False
        for m, (grid, count, offset, fontsize) in enumerate([(grid_in, n, pb, 8), (grid_w, k, 0, None),
                                                            (grid_out, o, 0, None)]):
            if self._ticks[m] != (count, offset):
                self._ticks[m] = (count, offset)
                ticks = np.arange(count)
                labels = [str(t - offset) for t in ticks]
                grid.ax.set_xticks(ticks, labels, fontsize=fontsize)
                grid.ax.set_yticks(ticks, labels, fontsize=fontsize)
                self._tick_labels[m] = (labels, fontsize or rcParams["ytick.labelsize"])
                new_ticks = True
        if new_ticks:
            as_cell_texts(fig)   # new tick labels are plain Texts

        # the title and the sum
        fig._suptitle.set_text(f"{_params_text(i, k, s, pad, d)}:   {output_size_text(i, k, s, p, d)}")
        if len(f.terms) <= 9:
            products = f.terms if not f.weighted else [f"{_fmt(t)}*{_fmt(v)}" for t, v in zip(f.terms, f.w.ravel())]
            sum_text = " + ".join(t if isinstance(t, str) else _fmt(t) for t in products) + f" = {_fmt(f.y[r, c])}"
        else:
            sum_text = f"(sum of {len(f.terms)} products) = {_fmt(f.y[r, c])}"
        fig._supxlabel.set_text(f"y[{r}, {c}] = {sum_text}   (its window starts at input row {r * s - pb}, "
                                f"column {c * s - pb}: {s} x its index, minus the padding)")
        self._place()
        return False  # placed already: the figure has no layout engine to run

    def _place(self) -> None:
        """Put the panels side by side, each cell the same square, with room for every title and label.

        Measures the texts around each panel (cached metrics), then finds the largest cell (at most
        :attr:`CELL` when fitting, :attr:`LARGEST_CELL` otherwise) for which everything fits the figure.
        """
        fig = self.figure
        renderer = fig._get_renderer()
        dpi = fig.dpi
        from matplotlib import rcParams as rc
        from matplotlib.font_manager import FontProperties

        def size(text_artist):
            """(width, height) in inches, remembered per digit pattern (a cell text's layout is that of its
            pattern; mathtext per string): most updates repeat most texts up to their numbers."""
            text = text_artist.get_text()
            if not text:
                return 0.0, 0.0
            key = (text if "$" in text else digits_alike(text), text_artist.get_fontsize(),
                   text_artist.get_rotation(), dpi)
            if key not in self._measured:
                if len(self._measured) > 10_000:
                    self._measured.clear()
                box = text_artist.get_window_extent(renderer)
                self._measured[key] = box.width / dpi, box.height / dpi
            return self._measured[key]

        def text_size(s, fontsize):
            key = (s, fontsize, "tick", dpi)
            if key not in self._measured:
                w, h, _ = renderer.get_text_width_height_descent(s, FontProperties(size=fontsize), False)
                self._measured[key] = w / dpi, h / dpi
            return self._measured[key]

        margin, gap = 0.12, 0.3
        tick = (rc["xtick.major.size"] + rc["xtick.major.pad"]) / 72
        labelpad = rc["axes.labelpad"] / 72
        titlepad = rc["axes.titlepad"] / 72
        panels = []
        for grid, (labels, fontsize) in zip(self.grids, self._tick_labels):
            ax = grid.ax
            rows, cols = grid.shape
            tick_w = max(text_size(s, fontsize)[0] for s in labels)
            tick_h = text_size("0", fontsize)[1]
            xl_w, xl_h = size(ax.xaxis.label)
            yl_w, yl_len = size(ax.yaxis.label)  # rotated: its width is the font's height
            t_w, t_h = size(ax.title)
            panels.append(dict(rows=rows, cols=cols, left=tick + tick_w + labelpad + yl_w, ylabel=yl_len,
                               below=tick + tick_h + labelpad + xl_h, half_text=max(t_w, xl_w) / 2,
                               title=t_h, edge=text_size(labels[-1], fontsize)[0] / 2))
        sup_w, sup_h = size(fig._suptitle)
        supx_w, supx_h = size(fig._supxlabel)
        n = panels[0]["rows"]

        def extents(c):
            """(width, height) the picture needs with cells of ``c`` inches, where each panel goes, and the
            room above the input for the titles and below it for the labels."""
            x, places = 0.0, []
            for q in panels:
                w, h = q["cols"] * c, q["rows"] * c
                left = max(w / 2 + q["left"], q["half_text"])
                right = max(w / 2 + q["edge"], q["half_text"])
                # a y label longer than its panel is high sticks out above it: the title goes over it (the
                # pad reaches the title's baseline; 5 points more for its descent and a gap)
                pad = max(titlepad, (q["ylabel"] - h) / 2 + 5 / 72)
                places.append((x + left - w / 2, w, h, pad))
                x += left + right + gap
            width = x - gap
            shift = [(n - q["rows"]) * c / 2 for q in panels]   # every panel centred on the input's middle
            above = max(q["title"] + place[3] - dy for q, place, dy in zip(panels, places, shift))
            below = max(q["below"] - dy for q, dy in zip(panels, shift))
            height = sup_h + gap / 2 + above + n * c + below + gap / 2 + supx_h
            return width, height, places, above

        W, H = fig.get_size_inches()
        if self.fit:
            c = self.CELL
            width, height = extents(c)[:2]
            W, H = max(width, sup_w, supx_w) + 2 * margin, height + 2 * margin
            if not np.allclose((W, H), fig.get_size_inches()):
                fig.set_size_inches(W, H)
        else:
            lo, hi = 0.0, self.LARGEST_CELL
            for _ in range(14):   # the largest cell that fits (to 1/400 of a pixel): extents grow with it
                c = (lo + hi) / 2
                width, height = extents(c)[:2]
                lo, hi = (c, hi) if width <= W - 2 * margin and height <= H - 2 * margin else (lo, c)
            c = lo
        width, height, places, above = extents(c)
        x0 = (W - width) / 2
        top = H - (H - height) / 2   # the picture centred in a figure that does not fit it exactly
        mid = top - sup_h - gap / 2 - above - n * c / 2   # the input's middle
        for m, (grid, (x, w, h, pad)) in enumerate(zip(self.grids, places)):
            grid.ax.set_position([(x0 + x) / W, (mid - h / 2) / H, w / W, h / H])
            if self._title_pads[m] != pad:
                self._title_pads[m] = pad
                grid.ax.set_title(grid.ax.get_title(), fontsize=10, y=1.0, pad=pad * 72)
        fig._suptitle.set_position((0.5, top / H))
        fig._supxlabel.set_position((0.5, (top - height + supx_h) / H))


def arithmetic_figure(i, k, s=1, p=0, d=1, position=(0, 0), *, x=None, weight=None, fill=None):
    """Dumoulin & Visin's figure with every number written: padded input, window(s), kernel, output.

    Three panels. **Input**: the ``i x i`` input (values from :func:`example_input` unless ``x`` is given)
    inside its padding (dashed cells, labelled 0; ticks count input coordinates, so padding has indices
    below 0 or from ``i`` on); the window of each output position in ``position`` is outlined (its extent
    thin, each of its ``k x k`` taps thick; with dilation the taps have gaps); hatched cells are read by no
    window. **Kernel**: ``k x k`` (all ones unless ``weight`` is given, so each output value is the sum of
    the cells under the taps). **Output**: the ``o x o`` result of :func:`convzoo.conv2d`, filled in up to
    the (single) position (or completely, for several positions), the position(s) outlined in the colour of
    their window. The title gives ``i, k, s, p, d`` and the output-size formula with its floor.

    Parameters
    ----------
    i, k, s, d : int
        Input size, kernel size, stride, dilation (the same along both axes).
    p : int or (int, int)
        Zeros on each side, or ``(before, after)`` (both axes).
    position : (int, int) or list of (int, int)
        Output position(s) whose window is drawn.
    x, weight : array_like, optional
        ``(i, i)`` input and ``(k, k)`` kernel.
    fill : {'upto', 'all'}, optional
        Output cells shown: up to the position in reading order (one position) or all (several).

    Returns
    -------
    matplotlib.figure.Figure

    Shape
    -----
    Input ``(i, i)``, kernel ``(k, k)``, output ``(o, o)`` with ``o = floor((i + 2p - d(k - 1) - 1)/s) + 1``.

    Examples
    --------
    >>> fig = arithmetic_figure(5, 3, s=2, p=1, position=(1, 2))
    >>> fig._supxlabel.get_text().split("   ")[0]
    'y[1, 2] = 3 + 1 + 0 + 2 + 3 + 0 + 2 + 2 + 0 = 13'
    """
    view = ArithmeticView(fit=True)
    view.update(i, k, s, p, d, position, x=x, weight=weight, fill=fill)
    return view.figure


def window_positions_figure(i, k, s=1, p=0, d=1, *, ceil_mode=False, x=None):
    """Every window along one axis, one row each: the floor (or pooling's ceiling) made visible.

    Top: the padded input row (values from the first row of :func:`example_input` unless ``x`` is given;
    padding dashed zeros). Middle: one row per output value ``y[j]``; the cells its taps read are numbered
    with the tap ``0 .. k - 1``. Bottom: how many windows read each cell; the hatched zeros are cells no
    window reads (after the last window: the ``floor``'s leftovers, :func:`convzoo.unused_input`). With
    ``ceil_mode`` the last window may hang over the end: the cells beyond the input are marked "-" and
    read as nothing (pooling ignores them).

    Parameters
    ----------
    i, k, s, d : int
    p : int or (int, int)
        Zeros on each side or ``(before, after)`` (e.g. :func:`convzoo.same_padding`).
    ceil_mode : bool
    x : array_like, optional
        ``(i,)`` input values.

    Returns
    -------
    matplotlib.figure.Figure

    Shape
    -----
    One axis: input ``(i,)``, output ``(o,)``.

    Examples
    --------
    >>> fig = window_positions_figure(6, 3, s=2)
    >>> [t.get_text() for t in fig.axes[2].texts]
    ['1', '1', '2', '1', '1', '0']
    """
    lay = window_layout(i, k, s, p, d, ceil_mode=ceil_mode)
    n, o, pad = lay.length, lay.o, lay.pad
    if n > 2 * MAX_DRAWN:
        raise ValueError(f"{n} cells do not fit in the figure; it draws at most {2 * MAX_DRAWN}")
    x = example_input(i)[0] if x is None else np.asarray(x)
    if x.shape != (i,):
        raise ValueError(f"x must have shape ({i},) for i = {i}, but got {x.shape}")
    padded = i + pad[0] + pad[1]
    row = np.full(n, np.nan)
    row[pad[0]:pad[0] + i] = x
    is_pad = np.zeros(n, dtype=bool)
    is_pad[:pad[0]] = True
    is_pad[pad[0] + i:padded] = True
    windows = np.full((o, n), np.nan)
    for j in range(o):
        windows[j, lay.taps[j]] = np.arange(k)

    fig, axes = new_figure(3, 1, size=(max(7.8, 0.42 * n + 2.2), 0.36 * (o + 2) + 2.0),
                         title=f"{_params_text(i, k, s, pad, d)}" + (", ceil_mode" if ceil_mode else "")
                         + ":   " + (f"o = {o} (ceiling)" if ceil_mode else output_size_text(i, k, s, p, d)))
    ax_x, ax_win, ax_reads = axes
    ax_x.get_subplotspec().get_gridspec().set_height_ratios([1, o, 1])
    ticks = np.arange(n)
    draw_grid(ax_x, row[None], padding=is_pad[None], fmt=_fmt, xlabel="", ylabel="")
    ax_x.set_yticks([0], ["x"])
    ax_x.set_title("input, padded (dashed: padding zeros" + ("; '-': beyond the input" if lay.overhang else "")
                   + ")", fontsize=10)
    for c in range(padded, n):
        ax_x.text(c, 0, "-", ha="center", va="center", color="grey")
    draw_grid(ax_win, windows, cmap="cividis", vmin=0, vmax=max(k - 1, 1), fmt=lambda v: f"w{int(v)}",
              xlabel="padded cell (0 = the first cell, padding included)", ylabel="")
    ax_win.set_yticks(np.arange(o), [f"y[{j}]" for j in range(o)])
    ax_win.set_ylabel("output")
    ax_win.set_title(f"the {o} windows, stride {s}: the cells each output value reads (wt = tap t)", fontsize=10)
    reads = lay.reads.astype(float)
    reads[padded:] = np.nan           # a ceil_mode window's cells beyond the input: nothing is read there
    draw_grid(ax_reads, reads[None], cmap="viridis", vmin=0, vmax=max(1.0, float(np.nanmax(reads))), fmt=_fmt,
              xlabel=(f"the same cells as input coordinates (padded cell - {pad[0]}; negative = padding)" if pad[0]
                      else "the same cells as input coordinates (= padded cell: no padding before)"), ylabel="")
    _hatch(ax_reads, [(0, c) for c in range(n) if lay.reads[c] == 0], colour="#ffffff")
    for c in range(padded, n):
        ax_reads.text(c, 0, "-", ha="center", va="center", color="grey")
    ax_reads.set_yticks([0], ["reads"])
    unused_text = (f"{lay.unused} cell(s) after the last window are never read (the floor)" if lay.unused
                   else "no cell left over at the end")
    if lay.overhang:
        unused_text = f"the last window hangs {lay.overhang} cell(s) over the end (the ceiling)"
    ax_reads.set_title(f"how many windows read each cell: {unused_text}", fontsize=10)
    ax_reads.set_xticks(ticks, [str(t - pad[0]) for t in ticks], fontsize=8)
    return fig


def _influence(layers) -> np.ndarray:
    """Paths from each input pixel to one output cell through a stack (1-D): back-project a delta."""
    from ..shapes import _layer_args

    v = np.ones(1, dtype=np.int64)
    for layer in reversed(list(layers)):
        k, s, _p, d = _layer_args(layer)
        span = d * (k - 1) + 1
        out = np.zeros((v.size - 1) * s + span, dtype=np.int64)
        for t in range(k):
            out[t * d:t * d + (v.size - 1) * s + 1:s] += v
        v = out
    return v


def receptive_field_figure(stacks: dict, *, size=None):
    """What one output cell sees, for each stack of layers: paths from every input pixel to it.

    Each panel is the input around one output cell (padding ignored: a cell in the interior). Its cells
    hold the number of paths from that input pixel to the output cell through the stack (the product of
    per-axis counts): zero outside the receptive field, largest in its centre. The receptive field is
    outlined and its size, from :func:`convzoo.receptive_field`, is in the panel's title.

    Parameters
    ----------
    stacks : dict of str -> list of layers
        Layers as :func:`convzoo.receptive_field` takes them: ``k``, ``(k, s)``, ``(k, s, p)``, ``(k, s, p, d)``.
    size : int, optional
        Cells drawn per side (default: the largest receptive field + 2, at most 17).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = receptive_field_figure({"three 3x3": [3, 3, 3]})
    >>> fig.axes[0].get_title().splitlines()[0]
    'three 3x3: 7x7'
    """
    from ..shapes import receptive_field

    if not isinstance(stacks, dict) or not stacks:
        raise ValueError("stacks must be a non-empty dict of name -> list of layers")
    fields = {name: receptive_field(layers)[-1].size for name, layers in stacks.items()}
    size = size or min(max(fields.values()) + 2, 17)
    if max(fields.values()) > size:
        raise ValueError(f"a receptive field of {max(fields.values())} does not fit in {size} cells")
    fig, axes = new_figure(1, len(stacks), size=(0.33 * size * len(stacks) + 1.2, 0.33 * size + 1.6),
                           title="Receptive field: paths from each input pixel to one output cell", squeeze=False)
    for ax, (name, layers) in zip(axes[0], stacks.items()):
        v = _influence(layers)
        assert v.size == fields[name]
        grid = np.zeros((size, size), dtype=np.int64)
        a = (size - v.size) // 2
        grid[a:a + v.size, a:a + v.size] = np.outer(v, v)
        draw_grid(ax, grid, fmt=_fmt, fontsize=6 if size > 11 else 8, labels=True,
                  xlabel="input column", ylabel="input row")
        ax.set_xticks(np.arange(size), [str(t - size // 2) for t in range(size)], fontsize=6)
        ax.set_yticks(np.arange(size), [str(t - size // 2) for t in range(size)], fontsize=6)
        outline(ax, a, a, v.size, v.size)
        ax.set_title(f"{name}: {v.size}x{v.size}\nlayers (k, s) " +
                     ", ".join(str(l if isinstance(l, int) else tuple(l)[:2]) for l in layers), fontsize=9)
    return fig
