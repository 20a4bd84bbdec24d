"""The shared visual language of every chapter's figures.

One way to draw a grid of numbers (:func:`draw_grid`: every cell labelled with its value, padding dashed,
the window outlined), one sequential and one diverging colour map that survive colour-blindness, and a
figure factory at a modest dpi so stored notebooks stay small.
"""
from __future__ import annotations

import numpy as np

__all__ = ["SEQUENTIAL", "DIVERGING", "new_figure", "draw_grid", "outline", "symmetric_limits", "show_image",
           "LiveFigure", "border_segments"]

SEQUENTIAL = "viridis"
"""Colour map for values of one sign (images, counts): perceptually uniform, colour-blind safe."""
DIVERGING = "PuOr_r"
"""Colour map for signed values (kernels, filter responses), centred on zero; purple/orange stay
distinguishable under the common colour-vision deficiencies, unlike red/green."""
DPI = 72


def new_figure(nrows=1, ncols=1, *, size=(6.0, 4.0), title=None, squeeze=True):
    """A Figure with a grid of axes, constrained layout, modest dpi, and an optional suptitle.

    Returns
    -------
    (matplotlib.figure.Figure, axes)
        ``axes`` as ``plt.subplots`` returns them.

    Examples
    --------
    >>> fig, ax = new_figure(title="demo")
    >>> fig._suptitle.get_text()
    'demo'
    """
    import matplotlib.pyplot as plt

    # Made through pyplot (so Jupyter's inline backend is active and knows how to show a Figure) but closed
    # at once: it is shown exactly once, where a cell returns or displays it, and never leaks.
    fig = plt.figure(figsize=size, dpi=DPI, layout="constrained")
    plt.close(fig)
    axes = fig.subplots(nrows, ncols, squeeze=squeeze)
    if title:
        fig.suptitle(title)
    return fig, axes


class LiveFigure:
    """A figure built once and then updated in place: what an explorer redraws in tens of milliseconds.

    Building a matplotlib figure (axes, ticks, one Text per cell) and laying it out costs far more than
    drawing it, so an explorer that rebuilt its figure on every slider move lagged (100-500 ms; issue 9).
    A subclass creates its artists in ``__init__`` (then calls ``super().__init__(fig)``) and changes them in
    :meth:`update` with ``set_data``, ``set_text``, ``set_visible``. The chapter's static figure is the same
    class, updated once: one drawing code for the notebook and the explorer.

    Rules for :meth:`update`: check every value *before* changing any artist (a ValueError/TypeError must
    leave the last good picture intact), set every artist the values touch (nothing may be left over from
    an earlier setting), and return whether the layout must be recomputed: True when a text in the margins
    (a title, tick or axis label) may have changed its size, False when only the data changed. Change texts
    with ``set_text`` (``fig.suptitle(...)`` or ``ax.set_title(...)`` again would put them back at their
    default places, over a frozen layout).

    Shape
    -----
    ``figure``: a :class:`matplotlib.figure.Figure` whose axes keep their number and kind across updates.

    Examples
    --------
    >>> class Bar(LiveFigure):
    ...     def __init__(self):
    ...         fig, self.ax = new_figure(size=(2, 2), title="one bar")
    ...         self.bar = self.ax.bar([0], [1])[0]
    ...         super().__init__(fig)
    ...     def update(self, height=1):
    ...         if height < 0:
    ...             raise ValueError(f"height must be at least 0, got {height}")
    ...         self.bar.set_height(height)
    ...         return False
    >>> b = Bar()
    >>> b.update(height=3), b.bar.get_height()
    (False, 3)
    """

    def __init__(self, figure):
        self.figure = figure

    def update(self, **values) -> bool:
        raise NotImplementedError


def symmetric_limits(values) -> tuple[float, float]:
    """``(-m, m)`` with ``m = max |values|`` (1 if all zero), so a diverging map puts 0 at its centre."""
    m = float(np.max(np.abs(values))) if np.size(values) else 1.0
    return (-m, m) if m > 0 else (-1.0, 1.0)


def _fmt_fixed(v) -> str:
    """A cell label: a whole number as an integer (``'3'``), any other with two decimals (``'0.50'``); never
    ``'-0'`` or ``'-0.00'`` (a product like ``0 * -1``, or a tiny negative error, shows as a plain zero).

    Examples
    --------
    >>> [_fmt_fixed(v) for v in (3.0, 0.5, -0.0, -0.001, -0.25)]
    ['3', '0.50', '0', '0.00', '-0.25']
    """
    v = float(v) + 0.0  # -0.0 + 0.0 is 0.0
    return f"{v:g}" if v.is_integer() else _unsigned_zero(f"{v:.2f}")


def _fmt_rounded(v) -> str:
    """A cell label: a whole number as an integer, any other rounded to two decimals, trailing zeros
    dropped (``'0.5'``, ``'0.33'``); never ``'-0'``."""
    v = float(v) + 0.0
    return f"{v:g}" if v.is_integer() else f"{round(v, 2) + 0.0:g}"


def _fmt_compact(v) -> str:
    """A cell label: as :func:`_fmt_fixed`, but with one decimal from 10 on (``'12.3'``); never ``'-0'``."""
    v = float(v) + 0.0
    if v.is_integer():
        return f"{v:g}"
    return _unsigned_zero(f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}")


def _unsigned_zero(text: str) -> str:
    """``'-0.00'`` -> ``'0.00'``: a value that rounds to zero is shown without a sign."""
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def _numbers(x, name: str) -> np.ndarray:
    """``x`` as an array, which must hold numbers (TypeError naming ``name`` and showing ``x`` otherwise)."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold numbers, but got {x!r}")
    return arr


def _vector(x, name: str, largest: int = 9, what: str = "kernel") -> np.ndarray:
    """``x`` as a 1-D array of 1 to ``largest`` numbers (a small 1-D ``what``: kernel, filter)."""
    arr = _numbers(x, name)
    if arr.ndim != 1 or not 1 <= arr.size <= largest:
        raise ValueError(f"{name} must be a 1-D {what} of 1 to {largest} numbers, but got shape {arr.shape}")
    return arr


def _grid2d(x, name: str) -> np.ndarray:
    """``x`` as a non-empty 2-D array of numbers (one channel), to draw as a grid."""
    a = np.asarray(x)
    if a.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold numbers, but got dtype {a.dtype}")
    if a.ndim != 2 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array (one channel), but got shape {a.shape}")
    return a


def _shared_colours(*arrays, finite_only: bool = True) -> dict:
    """One colour scale for several panels (``cmap``, ``vmin``, ``vmax`` for :func:`draw_grid`):
    :data:`SEQUENTIAL` from 0 when nothing is negative, else :data:`DIVERGING` centred on 0.

    ``finite_only`` leaves NaN and infinities out of the scale; without it a NaN makes the scale ``(-1, 1)``.
    """
    values = np.concatenate([np.ravel(np.asarray(a, dtype=float)) for a in arrays])
    if finite_only:
        values = values[np.isfinite(values)]
    if values.size and values.min() >= 0:
        return dict(cmap=SEQUENTIAL, vmin=0.0, vmax=float(values.max()) or 1.0)
    lo, hi = symmetric_limits(values)
    return dict(cmap=DIVERGING, vmin=lo, vmax=hi)


def _side_by_side(maps) -> np.ndarray:
    """``(K, H, W)`` maps (or a filter's slices) in one ``(H, K*(W+1) - 1)`` grid, left to right, a blank (NaN)
    column between neighbours."""
    k, h, w = maps.shape
    out = np.full((h, k * (w + 1) - 1), np.nan)
    for i in range(k):
        out[:, i * (w + 1):i * (w + 1) + w] = maps[i]
    return out


def _text_colour(rgba) -> str:
    """Black or white, whichever reads better on a cell of colour ``rgba`` (see :func:`_text_colours`)."""
    r, g, b = rgba[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def _text_colours(im, values) -> np.ndarray:
    """:func:`_text_colour` of every cell of ``values`` drawn by the image ``im``, in one colour-map call."""
    rgb = np.asarray(im.cmap(im.norm(np.asarray(values, dtype=float))))[..., :3]
    return np.where(rgb @ np.array([0.299, 0.587, 0.114]) > 0.5, "black", "white")


def border_segments(rows: int, cols: int) -> np.ndarray:
    """The lines between the cells of a ``rows x cols`` grid (cells centred on integers), for a LineCollection.

    Shape
    -----
    ``(rows + cols + 2, 2, 2)``: one ``((x0, y0), (x1, y1))`` per line.

    Examples
    --------
    >>> border_segments(1, 2).tolist()[0]
    [[-0.5, -0.5], [-0.5, 0.5]]
    """
    xs, ys = np.arange(cols + 1) - 0.5, np.arange(rows + 1) - 0.5
    vertical = np.stack([np.stack([xs, np.full_like(xs, ys[0])], -1), np.stack([xs, np.full_like(xs, ys[-1])], -1)], 1)
    horizontal = np.stack([np.stack([np.full_like(ys, xs[0]), ys], -1), np.stack([np.full_like(ys, xs[-1]), ys], -1)], 1)
    return np.concatenate([vertical, horizontal])


def _cell_borders(ax, rows, cols, colour="white", linewidth=1):
    """Thin lines between the cells of a ``rows x cols`` grid (they make it countable), as one artist."""
    from matplotlib.collections import LineCollection

    segments = border_segments(rows, cols)
    # zorder 1.5: where the axes' own grid lines go (above the image, below padding and outlines)
    lines = LineCollection(segments, colors=colour, linewidths=linewidth, zorder=1.5)
    lines.set_in_layout(False)
    ax.add_collection(lines, autolim=False)
    return lines


def draw_grid(ax, values, *, title=None, cmap=None, fmt="{:g}", vmin=None, vmax=None, labels=True,
              padding=None, highlight=None, annotate=True, xlabel="column", ylabel="row", fontsize=None,
              colorbar=False):
    """Draw a 2-D array as a grid of coloured cells, each labelled with its value.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    values : array_like
        ``(rows, cols)``. NaN cells are left blank (white).
    title : str, optional
    cmap : str, optional
        Defaults to :data:`DIVERGING` (centred on 0) when values have both signs, else :data:`SEQUENTIAL`.
    fmt : str or callable
        Format of each cell's label; a callable gets the value and returns the text.
    padding : array_like of bool, optional
        Cells that are padding: drawn with a dashed edge and a pale face (as in Dumoulin & Visin's figures).
    highlight : tuple, optional
        ``(row, col, height, width)`` of a window to outline (e.g. the kernel's current position).
    annotate : bool
        Write each cell's value (turn off for large grids).
    labels : bool
        Tick every row and column with its index.
    colorbar : bool
        Add a colour bar.

    Returns
    -------
    matplotlib.image.AxesImage

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> im = draw_grid(ax, [[1, 2], [3, 4]], title="input")
    >>> [t.get_text() for t in ax.texts]
    ['1', '2', '3', '4']
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        raise ValueError(f"draw_grid needs a 2-D array, but got values of shape {v.shape}")
    finite = v[np.isfinite(v)]
    signed = finite.size and finite.min() < 0 < finite.max()
    if cmap is None:
        cmap = DIVERGING if signed else SEQUENTIAL
    if vmin is None and vmax is None and cmap == DIVERGING:
        vmin, vmax = symmetric_limits(finite)
    im = ax.imshow(np.ma.masked_invalid(v), cmap=cmap, vmin=vmin, vmax=vmax)
    rows, cols = v.shape
    # Speed (an explorer redraws this on every slider move; issue 9): one colour-map call for all the text
    # colours, one LineCollection for all the cell borders (not one minor tick per cell), and the cell labels
    # kept out of the layout computation (they sit inside the axes, so they cannot change its margins).
    if annotate:
        size = fontsize or (10 if max(rows, cols) <= 8 else 7)
        colours = _text_colours(im, v)
        for i, j in zip(*np.nonzero(np.isfinite(v))):
            val = v[i, j]
            text = fmt(val) if callable(fmt) else fmt.format(val)
            t = ax.text(j, i, text, ha="center", va="center", fontsize=size,
                        color=colours[i, j])
            t.set_in_layout(False)
    ax.set_xticks(np.arange(cols) if labels else [])
    ax.set_yticks(np.arange(rows) if labels else [])
    _cell_borders(ax, rows, cols)
    if padding is not None:
        import matplotlib.patches as mpatches

        for i, j in zip(*np.nonzero(np.asarray(padding))):
            ax.add_patch(mpatches.Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="#eeeeee", edgecolor="grey",
                                            linestyle="--", linewidth=1, zorder=2))
            if annotate:
                t = ax.text(j, i, "0", ha="center", va="center", color="grey", fontsize=fontsize or 9, zorder=3)
                t.set_in_layout(False)
    if highlight is not None:
        outline(ax, *highlight)
    if labels:
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, shrink=0.8)
    return im


def outline(ax, row, col, height=1, width=1, *, colour="#d62728", linewidth=2.5):
    """Outline the cells ``[row, row + height) x [col, col + width)`` (a kernel window) on a grid."""
    import matplotlib.patches as mpatches

    ax.add_patch(mpatches.Rectangle((col - 0.5, row - 0.5), width, height, fill=False, edgecolor=colour,
                                    linewidth=linewidth, zorder=4))


def show_image(ax, image, *, title=None, cmap=None, signed=None, colorbar=False):
    """Show a photo or a feature map without cell labels: grey for one channel, a diverging map if signed.

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> _ = show_image(ax, np.zeros((4, 4)), title="blank")
    >>> ax.get_title()
    'blank'
    """
    img = np.asarray(image)
    kw = {}
    if img.ndim == 2:
        if signed is None:
            signed = img.min() < 0 < img.max()
        if signed:
            lo, hi = symmetric_limits(img)
            kw = dict(cmap=cmap or DIVERGING, vmin=lo, vmax=hi)
        else:
            kw = dict(cmap=cmap or "gray")
    im = ax.imshow(img, **kw)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, shrink=0.8)
    return im
