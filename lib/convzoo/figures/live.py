"""The parts every live figure is made of: a grid of labelled cells updated in place, and cheap text.

A :class:`~convzoo.figures.common.LiveFigure` is built once and updated in place so that an explorer redraws
in tens of milliseconds (issue 9). Profiling the chapters' explorers found the same costs everywhere, and
this module is the one answer to each:

- **Text.** matplotlib lays out every Text (font look-up, metrics, alignment) each time it is drawn or
  measured, and rasterises every new string. :class:`CellText` lays a string out once per *digit pattern*
  (the default font's digits are equally wide, so ``'-0.54'`` and ``'-0.37'`` share one layout) and draws
  lines that hold digits glyph by glyph at the pen positions the whole line would give, so a caching
  renderer (:class:`convzoo.widgets.render.CachedTextRenderer`) rasterises each glyph once. It is a Text:
  ``ax.texts`` lists it and ``get_text`` reads it. :func:`as_cell_texts` gives titles, axis and tick labels
  the same class.
- **Grids.** :class:`LiveGrid` is :func:`.common.draw_grid`'s picture kept alive: one image, one collection
  each for the cell borders, the padding cells and the outlined windows, and a pool of cell labels whose
  properties are set only when their cell changed (each setter marks the figure stale). Ticks, slow to make,
  change only with the grid's shape.
- **Layout.** :class:`GridFigure` says when an update moved the layout: only when something constrained layout
  measures changed (:func:`axes_margins`): the figure's size, the number of lines of a title or label, a tick
  label beyond its digits (:func:`digits_alike`), or the aspect of a grid of square cells.
"""
from __future__ import annotations

import functools
import re

import numpy as np

from .common import DIVERGING, SEQUENTIAL, LiveFigure, _text_colours, border_segments, symmetric_limits
from .common import _fmt_fixed

__all__ = ["CellText", "cell_text", "as_cell_texts", "digits_alike", "border_segments", "square", "LabelPool",
           "LiveGrid", "GridFigure", "axes_margins"]

_DIGITS = re.compile(r"[0-9]")
_LAYOUTS: dict = {}
_ADVANCES: dict = {}
_CACHE_LIMIT = 20_000


def digits_alike(text: str) -> str:
    """``text`` with every digit a 0: in the default font the digits are equally wide, so two texts that differ
    only in their digits take the same room (and have the same layout).

    Shape
    -----
    A string of the same length.

    Examples
    --------
    >>> digits_alike("3 of 16 windows")
    '0 of 00 windows'
    """
    return _DIGITS.sub("0", text)


def square(row, col, height=1, width=1) -> list:
    """The corners of the cells ``[row, row + height) x [col, col + width)``, for a PolyCollection.

    Shape
    -----
    4 ``(x, y)`` corners in data coordinates (cells centred on integers).

    Examples
    --------
    >>> square(0, 1)
    [(0.5, -0.5), (1.5, -0.5), (1.5, 0.5), (0.5, 0.5)]
    """
    x0, y0 = col - 0.5, row - 0.5
    return [(x0, y0), (x0 + width, y0), (x0 + width, y0 + height), (x0, y0 + height)]


@functools.lru_cache(maxsize=None)
def _cell_text_class():
    """The Text class of cell labels, made on first use (importing convzoo must not import matplotlib)."""
    from matplotlib import artist
    from matplotlib.colors import to_rgba
    from matplotlib.text import Text

    class CellText(Text):
        """A Text laid out once per digit pattern and drawn glyph by glyph where it holds digits (module doc)."""

        def _plain(self) -> bool:
            return ("$" not in self.get_text() and not self.get_rotation() and not self.get_usetex()
                    and self._bbox_patch is None and not self.get_path_effects() and not self._wrap)

        def _get_layout(self, renderer):
            s = self.get_text()
            plain = self._plain()
            # the font properties are mutable (set_fontsize changes them in place): key on their hash now
            key = (digits_alike(s) if plain else s, hash(self._fontproperties), self._horizontalalignment,
                   self._verticalalignment, self._multialignment, self.get_rotation(), self._rotation_mode,
                   self._linespacing, self.get_usetex(), self.get_figure(root=True).dpi, type(renderer))
            found = _LAYOUTS.get(key)
            if found is None:
                if len(_LAYOUTS) > _CACHE_LIMIT:
                    _LAYOUTS.clear()
                found = _LAYOUTS[key] = super()._get_layout(renderer)
            if not plain:
                return found
            bbox, info, descent = found  # the layout of a string of this pattern: put this one's lines in
            return bbox, [(line, size, xy) for line, (_, size, xy) in zip(s.split("\n"), info)], descent

        def _advance(self, renderer, ch) -> float:
            """How far the pen moves past ``ch`` inside a string (its advance, kerning with digits included)."""
            prop = self._fontproperties
            key = (ch, hash(prop), renderer.dpi, type(renderer))
            found = _ADVANCES.get(key)
            if found is None:
                width = lambda text: renderer.get_text_width_height_descent(text, prop, False)[0]  # noqa: E731
                found = _ADVANCES[key] = width("0" + ch + "0") - width("00")
            return found

        @artist.allow_rasterization
        def draw(self, renderer):
            if not self.get_visible() or not self.get_text():
                return
            if not self._plain():
                return super().draw(renderer)
            self._renderer = renderer
            _, info, _ = self._get_layout(renderer)
            posx, posy = self.get_transform().transform((float(self._x), float(self._y)))
            if not (np.isfinite(posx) and np.isfinite(posy)):
                return
            gc = renderer.new_gc()
            gc.set_foreground(to_rgba(self.get_color()), isRGBA=True)
            gc.set_alpha(self.get_alpha())
            gc.set_antialiased(self._antialiased)
            self._set_gc_clip(gc)
            prop, height = self._fontproperties, renderer.get_canvas_width_height()[1]
            for line, _, (x, y) in info:
                x, y = x + posx, y + posy
                if renderer.flipy():
                    y = height - y
                if not _DIGITS.search(line):       # a line that does not change: one cached raster
                    renderer.draw_text(gc, x, y, line, prop, 0, mtext=self if len(info) == 1 else None)
                    continue
                for ch in line:
                    if not ch.isspace():
                        renderer.draw_text(gc, x, y, ch, prop, 0)
                    x += self._advance(renderer, ch)
            gc.restore()
            self.stale = False

    return CellText


def __getattr__(name):
    if name == "CellText":  # the class itself, made on first use
        return _cell_text_class()
    raise AttributeError(name)


def cell_text(ax, x, y, text="", *, in_layout=False, **kwargs):
    """``ax.text(x, y, text, **kwargs)`` as a :class:`CellText` (kept out of the layout unless ``in_layout``).

    Shape
    -----
    One label at ``(x, y)`` in data coordinates (or in ``transform``'s).

    Examples
    --------
    >>> from convzoo.figures.common import new_figure
    >>> fig, ax = new_figure(size=(1, 1))
    >>> t = cell_text(ax, 0, 0, "-0.54", ha="center")
    >>> ax.texts[0] is t, type(t).__name__, t.get_in_layout()
    (True, 'CellText', False)
    """
    t = _cell_text_class()(x, y, text, **kwargs)
    if "transform" not in kwargs:
        t.set_transform(ax.transData)
    t.set_in_layout(in_layout)
    ax._add_text(t)
    return t


def as_cell_texts(fig) -> None:
    """Give the texts matplotlib makes itself (suptitle, titles, axis and tick labels) the class of cell labels,
    so they too are laid out once per digit pattern (a Text with cached methods: switching is safe). Ticks
    the axes make later (a longer axis) are plain until the next call.

    Shape
    -----
    Every text of ``fig``, changed in place.

    Examples
    --------
    >>> from convzoo.figures.common import new_figure
    >>> fig, ax = new_figure(size=(1, 1), title="t")
    >>> as_cell_texts(fig)
    >>> type(fig._suptitle).__name__, type(ax.title).__name__
    ('CellText', 'CellText')
    """
    from matplotlib.text import Text

    cls = _cell_text_class()
    texts = [fig._suptitle] + list(fig.texts)
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label] + list(ax.texts)
        for axis in (ax.xaxis, ax.yaxis):
            texts += [t for tick in axis.majorTicks for t in (tick.label1, tick.label2)]
    for t in texts:
        if type(t) is Text:
            t.__class__ = cls


class LabelPool:
    """Cell labels on one axes, reused from picture to picture: :meth:`write` shows one :class:`CellText` per
    ``(row, col, text, colour, size)`` and hides the rest. A label's properties are set only where its cell
    changed, as each setter marks the whole figure stale (half of an update's time, before).

    Shape
    -----
    Any number of labels, at ``(col, row)`` in data coordinates; the pool grows to the most ever shown.

    Examples
    --------
    >>> from convzoo.figures.common import new_figure
    >>> fig, ax = new_figure(size=(1, 1))
    >>> pool = LabelPool(ax)
    >>> pool.write([(0, 0, "1", "black", 10), (0, 1, "2", "black", 10)]); pool.write([(1, 1, "7", "white", 10)])
    >>> [(t.get_text(), t.get_position()) for t in ax.texts if t.get_visible()]
    [('7', (1, 1))]
    """

    def __init__(self, ax):
        self.ax = ax
        self.labels: list = []
        self._shown: list = []   # (row, col, text, colour, size) of each label, None when hidden

    def write(self, cells) -> None:
        while len(self.labels) < len(cells):
            self.labels.append(cell_text(self.ax, 0, 0, ha="center", va="center", zorder=3))
            self._shown.append(None)
        for n, (t, cell) in enumerate(zip(self.labels, cells)):
            if self._shown[n] != cell:
                i, j, text, colour, size = self._shown[n] = cell
                t.set_position((j, i))
                t.set_text(text)
                t.set_color(colour)
                t.set_fontsize(size)
                t.set_visible(True)
        for n in range(len(cells), len(self.labels)):
            if self._shown[n] is not None:
                self._shown[n] = None
                self.labels[n].set_visible(False)


class LiveGrid:
    """:func:`.common.draw_grid`'s picture on one axes, kept alive and changed in place by :meth:`show`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    xlabel, ylabel : str
        Axis labels (empty: none).
    ticks : bool
        Number every row and column (set only when the grid's shape changes: making ticks is slow).

    Shape
    -----
    Any ``(rows, cols)`` grid, a different one at each :meth:`show`.

    Examples
    --------
    >>> from convzoo.figures.common import new_figure
    >>> fig, ax = new_figure(size=(2, 2))
    >>> grid = LiveGrid(ax)
    >>> grid.show([[1, 2], [3, 4]], title="a"), grid.show([[5, 6], [7, 8]]), grid.show([[1]])
    (True, False, True)
    >>> [t.get_text() for t in ax.texts if t.get_visible()], ax.get_title()
    (['1'], 'a')
    """

    def __init__(self, ax, *, xlabel="column", ylabel="row", ticks=True):
        from matplotlib.collections import LineCollection, PolyCollection

        self.ax, self.ticks = ax, ticks
        # interpolation "none" and no resampling: the same pixels as imshow's defaults for cells this large
        self.image = ax.imshow(np.zeros((1, 1)), cmap=SEQUENTIAL, interpolation="none", resample=False)
        # zorders as draw_grid's: borders over the image, padding over them, labels (3), then outlines
        self.borders = LineCollection([], colors="white", linewidths=1, zorder=1.5)
        self.padding = PolyCollection([], facecolors="#eeeeee", edgecolors="grey", linestyles="--", linewidths=1,
                                      zorder=2)
        self.boxes = PolyCollection([], facecolors="none", joinstyle="miter", zorder=4)
        for c in (self.borders, self.padding, self.boxes):
            c.set_in_layout(False)
            ax.add_collection(c, autolim=False)
        self.cell_labels = LabelPool(ax)
        self.indices: list = []  # row and column numbers written as texts (see show_indices)
        self.shape = None
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if not ticks:
            ax.set_xticks([])
            ax.set_yticks([])
        # numbers without tick marks: the cell borders already show where each row and column is, and a
        # tick mark is a Line2D drawn on its own (a tenth of chapter 2's redraw)
        ax.tick_params(bottom=False, left=False)

    def show(self, values, labels=None, *, title=None, cmap=None, vmin=None, vmax=None, fmt=_fmt_fixed,
             fontsize=None, padding=None, boxes=(), box_colours="#d62728", box_width=2.5, borders=True) -> bool:
        """Draw ``values`` ``(rows, cols)`` as draw_grid would; return whether the grid's shape changed.

        NaN cells are blank. ``labels``: the text of each cell (an array of strings, ``''`` for none) instead of
        ``fmt`` of its value. ``cmap``, ``vmin``, ``vmax`` default as in draw_grid (diverging and centred for
        values of both signs). ``padding``: a bool mask of pale, dashed cells labelled with a grey 0.
        ``boxes``: ``(row, col, height, width)`` windows to outline. ``title``: set when given.
        """
        v = np.asarray(values, dtype=float)
        if v.ndim != 2:
            raise ValueError(f"a grid needs a 2-D array, but got values of shape {v.shape}")
        rows, cols = v.shape
        finite = v[np.isfinite(v)]
        if cmap is None:
            cmap = DIVERGING if finite.size and finite.min() < 0 < finite.max() else SEQUENTIAL
        if vmin is None and vmax is None:
            vmin, vmax = (symmetric_limits(finite) if cmap == DIVERGING
                          else (finite.min(), finite.max()) if finite.size else (0.0, 1.0))
        ax, im = self.ax, self.image
        im.set_data(np.ma.masked_invalid(v) if finite.size < v.size else v)
        if im.get_cmap().name != cmap:   # a new colour map is a copy with its table built anew
            im.set_cmap(cmap)
        im.set_clim(vmin, vmax)
        reshaped = self.shape != v.shape
        if reshaped:
            self.shape = v.shape
            im.set_extent((-0.5, cols - 0.5, rows - 0.5, -0.5))  # imshow fixed it to the first data's shape
            ax.set_xlim(-0.5, cols - 0.5)
            ax.set_ylim(rows - 0.5, -0.5)
            self.borders.set_segments(border_segments(rows, cols))
            if self.ticks:  # fixed labels: a formatter would format them anew on every draw
                ax.set_xticks(np.arange(cols), [str(k) for k in range(cols)])
                ax.set_yticks(np.arange(rows), [str(k) for k in range(rows)])
                as_cell_texts(ax.figure)
        self.borders.set_visible(borders)
        if title is not None and ax.get_title() != title:
            ax.title.set_text(title)
        pad = np.zeros(v.shape, bool) if padding is None else np.asarray(padding, bool)
        self.padding.set_verts([square(i, j) for i, j in zip(*np.nonzero(pad))])
        self.padding.set_visible(bool(pad.any()))     # an empty collection still costs a draw
        self.boxes.set_verts([square(*b) for b in boxes])
        self.boxes.set_edgecolor(box_colours)         # one colour, or one per box
        self.boxes.set_linewidth(box_width)           # one width, or one per box
        self.boxes.set_visible(len(boxes) > 0)
        # one label per cell: its text, or a grey 0 on padding (the value, 0, would only repeat it)
        size = fontsize or (10 if max(rows, cols) <= 8 else 7)
        colours = _text_colours(im, v)
        if labels is None:
            cells = [(i, j, fmt(v[i, j]), colours[i, j], size) for i, j in zip(*np.nonzero(np.isfinite(v) & ~pad))]
        else:
            text = np.asarray(labels, dtype=object)
            cells = [(i, j, text[i, j], colours[i, j], size) for i, j in zip(*np.nonzero(~pad)) if text[i, j]]
        cells += [(i, j, "0", "grey", fontsize or 9) for i, j in zip(*np.nonzero(pad))]
        self.cell_labels.write(cells)
        return reshaped

    def show_indices(self, step: int = 1, rows: bool = True, fontsize: float = 8) -> None:
        """Number every ``step``-th column under the grid (and row left of it) with texts kept out of the
        layout, for a grid made with ``ticks=False``: ticks cost about ten times more to draw (a fifth of
        chapter 2's redraw). The axis labels' ``labelpad`` must leave them room."""
        n_rows, n_cols = self.shape
        ax = self.ax
        wanted = [(j, -0.01, "center", "top", ax.get_xaxis_transform()) for j in range(0, n_cols, step)]
        if rows:
            wanted += [(-0.01, i, "right", "center", ax.get_yaxis_transform()) for i in range(0, n_rows, step)]
        while len(self.indices) < len(wanted):
            self.indices.append(cell_text(ax, 0, 0))
        for t, (x, y, ha, va, transform) in zip(self.indices, wanted):
            t.set_transform(transform)
            t.set_position((x, y))
            t.set_text(str(x if ha == "center" else y))
            t.set_horizontalalignment(ha)
            t.set_verticalalignment(va)
            t.set_fontsize(fontsize)
            t.set_visible(True)
        for t in self.indices[len(wanted):]:
            t.set_visible(False)

    def margins(self):
        """What of this grid, beyond its axes' texts (:func:`axes_margins`), can move the layout: its aspect.
        Its cells are square, so the aspect sets how much of the panel the grid fills, and the title and labels
        hug the part it fills. A subclass whose layout does not depend on it returns None."""
        rows, cols = self.shape or (1, 1)
        return rows / cols


def _lines(text: str) -> int:
    return text.count("\n") + 1 if text else 0


def axes_margins(ax):
    """What of ``ax`` can move a constrained layout, as matplotlib measures an axes for it: titles and axis
    labels by their number of lines only (for the layout their lengths are squashed to a pixel), the axis
    labels' pads, and the tick labels the next draw will write (formatted now: a draw sets the tick texts only
    then) up to their digits, as the default font draws every digit equally wide (or only whether there are
    any, when the formatter pads them all to one width and says so with ``fixed_width = True``). None for an
    axes that is hidden or kept out of the layout.

    Shape
    -----
    One tuple per axes; equal tuples, equal margins.

    Examples
    --------
    >>> from convzoo.figures.common import new_figure
    >>> fig, ax = new_figure(size=(2, 2))
    >>> _ = ax.set(title="3 of 16\\nwindows", xlim=(0, 10), xticks=[0, 5, 10], yticks=[])
    >>> key = axes_margins(ax)
    >>> key[:3], sorted(key[7])      # the titles, the x tick labels
    ((0, 2, 0), ['0', '00'])
    >>> _ = ax.set_title("7 of 99\\nwindows"); axes_margins(ax) == key    # other words, same lines
    True
    """
    if not (ax.get_visible() and ax.get_in_layout()):
        return None
    key = [_lines(ax.get_title(loc)) for loc in ("left", "center", "right")]
    key += [_lines(ax.get_xlabel()), _lines(ax.get_ylabel()), ax.xaxis.labelpad, ax.yaxis.labelpad]
    for axis in (ax.xaxis, ax.yaxis):
        locs = np.asarray(axis.get_majorticklocs())
        labels = axis.major.formatter.format_ticks(locs) if locs.size else []   # as a draw: all at once
        lo, hi = sorted(axis.get_view_interval())
        tol = 1e-9 * max(hi - lo, 1.0)
        shown = frozenset(digits_alike(s) for v, s in zip(locs, labels) if lo - tol <= v <= hi + tol)
        # a formatter that pads every label to one width says so (chapter 7's): then only whether there are any
        key.append(bool(shown) if getattr(axis.major.formatter, "fixed_width", False) else shown)
        key.append(digits_alike(axis.major.formatter.get_offset()))   # e.g. "1e3" above a colour bar
    return tuple(key)


class GridFigure(LiveFigure):
    """A LiveFigure made of :class:`LiveGrid` panels (and other axes) that knows when an update moved the layout.

    A subclass calls :meth:`layout_changed` at the end of ``update`` and returns it. The suptitle is made
    once here (``self.title``): change it with ``set_text``.

    Shape
    -----
    ``figure`` with any number of grids, whose shapes may change at every update.

    Examples
    --------
    >>> from convzoo.figures.common import new_figure
    >>> class One(GridFigure):
    ...     def __init__(self):
    ...         fig, ax = new_figure(size=(2, 2))
    ...         super().__init__(fig, [LiveGrid(ax)])
    ...     def update(self, n=2):
    ...         self.grids[0].show(np.arange(n * n).reshape(n, n), title=f"{n} x {n}")
    ...         self.title.set_text(f"n = {n}")
    ...         return self.layout_changed()
    >>> v = One()
    >>> v.update(n=2), v.update(n=3), v.update(n=12)   # 12: two-digit tick labels
    (True, False, True)
    """

    def __init__(self, figure, grids, *, extra=lambda: ()):
        self.grids = list(grids)
        self._extra = extra
        # set with set_text: Figure.suptitle() would put it back where the layout had moved it from
        self.title = figure.suptitle(figure.get_suptitle() or " ")
        self._layout = None
        super().__init__(figure)

    def layout_key(self) -> tuple:
        """Everything that decides the layout: the figure's size, its suptitle's number of lines (its width
        does not count, as for every title), :func:`axes_margins` of every axes, each visible grid's
        :meth:`LiveGrid.margins`, and whatever ``extra()`` names."""
        fig = self.figure
        return (tuple(fig.get_size_inches()), _lines(fig.get_suptitle()), tuple(axes_margins(ax) for ax in fig.axes),
                tuple(g.margins() for g in self.grids if g.ax.get_visible()), self._extra())

    def layout_changed(self) -> bool:
        """True on the first update, then whenever :meth:`layout_key` changed since the last call."""
        key = self.layout_key()
        changed, self._layout = key != self._layout, key
        return changed
