"""Figures of chapter 1: convolution flips the kernel, cross-correlation does not.

- :func:`slide_figure`: one step of sliding a 1-D kernel over a signal: where the kernel sits, the
  products, and the output filled in so far. It is a :class:`SlideView` updated once; the explorer keeps
  one view and updates it in place for every step.
- :func:`slide_steps_figure`: every step at once, convolution beside cross-correlation (reads on GitHub).
- :func:`flip_2d_figure`: 2-D on a photo: a symmetric blur gives the same image both ways, an edge kernel
  gives the same image with its sign flipped.
- :func:`learned_flip_figure`: a layer that correlates, trained on data made by a true convolution,
  learns the flipped kernel.

Every number a reader must check is written in its cell (:func:`.common.draw_grid`).
"""
from __future__ import annotations

import numpy as np

from ..signal import convolve, correlate
from .common import DIVERGING, SEQUENTIAL, _numbers, draw_grid, new_figure, symmetric_limits
from .common import _fmt_fixed as _fmt
from .common import _shared_colours as _colours
from .live import GridFigure, LiveGrid, as_cell_texts

__all__ = ["slide_figure", "slide_steps_figure", "flip_2d_figure", "learned_flip_figure", "slide_layout",
           "SlideView"]

_KINDS = ("convolve", "correlate")


def _vector(x, name: str) -> np.ndarray:
    arr = _numbers(x, name)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of numbers, but got shape {arr.shape}")
    if arr.size > 16:
        raise ValueError(f"{name} has {arr.size} values; the slide is drawn for at most 16")
    return arr


def _check_kind(kind: str) -> str:
    if kind not in _KINDS:
        raise ValueError(f"kind must be 'convolve' or 'correlate', but got {kind!r}")
    return kind


def slide_layout(f, g, kind: str = "convolve"):
    """The numbers behind one slide: the zero-padded signal, the kernel as it slides, the full output.

    The signal is padded with ``len(g) - 1`` zeros on each side; at step ``k`` (``0 <= k < len(f) + len(g) - 1``)
    the sliding kernel covers padded positions ``k .. k + len(g) - 1`` and ``out[k]`` is the sum of the
    products there: ``convolve`` slides ``g`` reversed, ``correlate`` slides ``g`` as it is. The outputs are
    exactly ``convzoo.convolve(f, g)`` and ``convzoo.correlate(f, g, mode='full')``.

    Returns
    -------
    (padded f, sliding kernel, output) as numpy arrays.

    Shape
    -----
    ``f``: ``(N,)``, ``g``: ``(M,)`` give ``(N + 2M - 2,)``, ``(M,)`` and ``(N + M - 1,)``.

    Examples
    --------
    >>> padded, kernel, out = slide_layout([3, 1, 4], [1, 2])
    >>> padded.tolist(), kernel.tolist(), out.tolist()
    ([0, 3, 1, 4, 0], [2, 1], [3, 7, 6, 8])
    """
    f, g = _vector(f, "f"), _vector(g, "g")
    _check_kind(kind)
    m = g.size
    padded = np.concatenate([np.zeros(m - 1, dtype=f.dtype), f, np.zeros(m - 1, dtype=f.dtype)])
    if kind == "convolve":
        return padded, g[::-1].copy(), convolve(f, g, mode="full")
    return padded, g.copy(), correlate(f, g, mode="full")


def _padded_row(padded, n: int, m: int) -> np.ndarray:
    """The padded signal with its padding cells blank (draw_grid writes their zeros, dashed)."""
    row = padded.astype(float)
    row[: m - 1] = np.nan
    row[m - 1 + n:] = np.nan
    return row


def _row(values, width: int, start: int) -> np.ndarray:
    row = np.full(width, np.nan)
    row[start:start + len(values)] = values
    return row


class SlideView(GridFigure):
    """One step of sliding ``g`` over ``f`` (see :func:`slide_figure`), updated in place from step to step.

    Built once with four grid rows; :meth:`update` validates the setting, then refills the rows, moves the
    windows and rewrites the titles. The figure's size, ticks and tick labels change only when the lengths
    of ``f`` or ``g`` do, so moving the step or switching the kind needs no new layout.

    Shape
    -----
    ``f``: ``(N,)``, ``g``: ``(M,)``, at most 16 values each; four rows of ``N + 2M - 2`` cells.

    Examples
    --------
    >>> view = SlideView()
    >>> view.update([3, 1, 4, 1, 5], [1, 2, 3], step=2)
    True
    >>> view.update([3, 1, 4, 1, 5], [1, 2, 3], step=3)
    False
    >>> view.figure.axes[2].get_title()
    'products: 1*3 + 4*2 + 1*1 = 12 = out[3]'
    """

    def __init__(self):
        fig, axes = new_figure(4, 1, size=(6.0, 5.8))
        self.axes = list(axes)
        self._structure = None
        # the lengths of f and g decide the tick labels (SlideView's own), hence the layout
        super().__init__(fig, [LiveGrid(ax, xlabel="", ylabel="", ticks=False) for ax in self.axes],
                         extra=lambda: self._structure)
        self.suptitle = self.title  # the name this view has always given its suptitle

    def update(self, f=(3, 1, 4, 1, 5), g=(1, 2, 3), step=0, kind="convolve") -> bool:
        padded, kernel, out = slide_layout(f, g, kind)  # checks f, g and kind
        f, g = np.asarray(f), np.asarray(g)
        n, m = f.size, g.size
        steps = n + m - 1
        if isinstance(step, bool) or not isinstance(step, (int, np.integer)):
            raise TypeError(f"step must be an int, but got {step!r}")
        if not 0 <= step < steps:
            raise ValueError(f"step {step} does not exist: f of length {n} and g of length {m} give "
                             f"{n} + {m} - 1 = {steps} steps, numbered 0 to {steps - 1}")
        width = padded.size
        restructured = (n, m) != self._structure
        if restructured:
            self._restructure(n, m)
        products = padded[step:step + m] * kernel
        shown_out = np.where(np.arange(steps) <= step, out, np.nan)
        verb = "g reversed, then slid" if kind == "convolve" else "g slid as it is (no flip)"
        self.title.set_text(f"{kind}(f, g), step {step} of {steps - 1}: {verb}")
        common = dict(_colours(padded, kernel, products, out), fmt=_fmt)
        pad_mask = np.zeros((1, width), bool)
        pad_mask[0, : m - 1] = pad_mask[0, m - 1 + n:] = True
        window = [(0, step, 1, m)]
        par = lambda v: f"({_fmt(v)})" if v < 0 else _fmt(v)
        terms = " + ".join(f"{par(a)}*{par(b)}" for a, b in zip(padded[step:step + m], kernel))
        rows = [
            (_padded_row(padded, n, m)[None], dict(padding=pad_mask, boxes=window),
             f"signal f = {f.tolist()} (dashed: zero padding)"),
            (_row(kernel, width, step)[None], dict(boxes=window),
             f"kernel as it slides: g reversed = {kernel.tolist()}" if kind == "convolve"
             else f"kernel as it slides: g = {kernel.tolist()}"),
            (_row(products, width, step)[None], dict(boxes=window),
             f"products: {terms} = {_fmt(out[step])} = out[{step}]"),
            (_row(shown_out, width, m - 1)[None], dict(boxes=[(0, step + m - 1, 1, 1)]),
             f"output so far (length {n} + {m} - 1 = {steps})"),
        ]
        for grid, (values, marks, title) in zip(self.grids, rows):
            grid.show(values, **marks, **common, title=title)
        return self.layout_changed()

    def _restructure(self, n: int, m: int) -> None:
        """Size, ticks and axis labels for a signal of ``n`` and a kernel of ``m`` values."""
        width = n + 2 * (m - 1)
        self.figure.set_size_inches(max(6.0, 0.62 * width + 1.5), 5.8)
        positions = np.arange(width)
        for ax in self.axes[:3]:
            ax.set_xticks(positions, [str(v) for v in range(-(m - 1), n + m - 1)], fontsize=8)
            ax.set_xlabel("position (index into f)", fontsize=8)
        self.axes[3].set_xticks(positions, [""] * (m - 1) + [str(k) for k in range(n + m - 1)], fontsize=8)
        self.axes[3].set_xlabel("output index (under the right end of its window)", fontsize=8)
        as_cell_texts(self.figure)
        self._structure = (n, m)


def slide_figure(f, g, step: int = 0, kind: str = "convolve"):
    """One step of sliding ``g`` over ``f``: the window, the products, and the output filled in so far.

    Four rows share one column axis (positions along the zero-padded signal, labelled by the index of ``f``;
    the dashed cells are the padding zeros): the signal; the kernel where it sits at this step (reversed for
    ``convolve``); the products of the overlapping values; the output, each value written under the right
    end of the window that made it. Output values of later steps are blank. Drawn by a :class:`SlideView`.

    Parameters
    ----------
    f, g : sequence of numbers
        1-D, at most 16 values each.
    step : int
        ``0 <= step < len(f) + len(g) - 1`` ('full' mode: every shift with some overlap).
    kind : {'convolve', 'correlate'}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = slide_figure([3, 1, 4, 1, 5], [1, 2, 3], step=2)
    >>> fig.axes[2].get_title()
    'products: 3*3 + 1*2 + 4*1 = 15 = out[2]'
    """
    view = SlideView()
    view.update(f, g, step, kind)
    return view.figure


def slide_steps_figure(f, g):
    """Every step of the slide, convolution beside cross-correlation, with the output of each step.

    In each panel, row 0 is the zero-padded signal and row ``k + 1`` shows where the kernel's values sit at
    step ``k``; the narrow grid beside it lists ``out[k]``, the sum of the products in that row. Left:
    ``convolve`` (the kernel reversed); right: ``correlate`` (the kernel as it is).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = slide_steps_figure([3, 1, 4, 1, 5], [1, 2, 3])
    >>> [ax.get_title() for ax in fig.axes][:2]
    ['convolve: slides g reversed = [3, 2, 1]', 'out']
    """
    f, g = _vector(f, "f"), _vector(g, "g")
    n, m = f.size, g.size
    steps = n + m - 1
    width = n + 2 * (m - 1)
    fig, axes = new_figure(1, 4, size=(max(9.0, 1.25 * width + 4), 0.5 * steps + 2.6),
                           title=f"Sliding g = {g.tolist()} over f = {f.tolist()}: every step ('full' mode)")
    gs = axes[0].get_gridspec()
    for ax in axes:
        ax.remove()
    sub = fig.add_gridspec(1, 4, width_ratios=[width, 1.4, width, 1.4])
    labels = list(range(-(m - 1), n + m - 1))
    del gs
    for col, kind in enumerate(_KINDS):
        padded, kernel, out = slide_layout(f, g, kind)
        grid = np.full((steps + 1, width), np.nan)
        grid[0] = _padded_row(padded, n, m)
        for k in range(steps):
            grid[k + 1] = _row(kernel, width, k)
        colours = _colours(padded, kernel, out)
        ax = fig.add_subplot(sub[0, 2 * col])
        pad_mask = np.zeros(grid.shape, bool)
        pad_mask[0, : m - 1] = pad_mask[0, m - 1 + n:] = True
        what = f"slides g reversed = {kernel.tolist()}" if kind == "convolve" else f"slides g = {kernel.tolist()}"
        draw_grid(ax, grid, **colours, fmt=_fmt, padding=pad_mask, title=f"{kind}: {what}", fontsize=8)
        ax.set_xticks(np.arange(width), [str(v) for v in labels], fontsize=8)
        ax.set_yticks(np.arange(steps + 1), ["f"] + [f"step {k}" for k in range(steps)], fontsize=8)
        ax.set_xlabel("position (index into f)")
        ax.set_ylabel("")
        ax_out = fig.add_subplot(sub[0, 2 * col + 1])
        draw_grid(ax_out, np.concatenate([[np.nan], out])[:, None], **colours, fmt=_fmt, title="out", fontsize=8)
        ax_out.set_xticks([])
        ax_out.set_yticks(np.arange(steps + 1), [""] + [f"out[{k}]" for k in range(steps)], fontsize=8)
        ax_out.yaxis.tick_right()
        ax_out.set_xlabel(f"{kind}(f, g)", fontsize=8)
        ax_out.set_ylabel("")
    return fig


def flip_2d_figure(image, kernels: dict):
    """2-D convolution and cross-correlation of one image with several kernels, and their difference.

    One row per kernel: the kernel, the kernel rotated by 180 degrees (what convolution slides), the
    convolution, the cross-correlation, and ``convolution - correlation``. A kernel equal to its rotation
    (a blur) gives a zero difference; a kernel equal to minus its rotation (an edge detector like Sobel)
    gives ``convolution = -correlation``. Outputs are 'valid' (no padding, so the photo's border adds no
    false edges): ``(H - kh + 1, W - kw + 1)``.

    Parameters
    ----------
    image : array_like, (H, W)
    kernels : dict of str -> array_like (kh, kw)

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = flip_2d_figure(np.eye(6), {"blur": np.ones((3, 3)) / 9})
    >>> fig.axes[4].get_title()
    'difference: max |conv - corr| = 0'
    """
    img = np.asarray(image, dtype=float)
    if img.ndim != 2:
        raise ValueError(f"image must be 2-D (H, W), but got shape {img.shape}; use a grey image")
    if not kernels:
        raise ValueError("kernels must name at least one kernel")
    rows = len(kernels)
    fig, axes = new_figure(rows, 5, size=(15, 3.1 * rows + 0.6), squeeze=False,
                           title="Convolution slides the kernel rotated by 180°, cross-correlation slides it as it is")
    for r, (name, k) in enumerate(kernels.items()):
        k = np.asarray(k, dtype=float)
        if k.ndim != 2:
            raise ValueError(f"kernel {name!r} must be 2-D, but got shape {k.shape}")
        conv = convolve(img, k, mode="valid")
        corr = correlate(img, k, mode="valid")
        diff = conv - corr
        fmt = _fmt if np.allclose(k, np.round(k)) else (lambda v: f"{v:.2f}")
        draw_grid(axes[r, 0], k, title=f"{name}: kernel", fmt=fmt, xlabel="kernel column", ylabel="kernel row")
        draw_grid(axes[r, 1], k[::-1, ::-1], title="rotated 180° (convolve uses this)", fmt=fmt,
                  xlabel="kernel column", ylabel="kernel row")
        colours = _colours(conv, corr)
        if colours["cmap"] == SEQUENTIAL:
            colours["cmap"] = "gray"
        for c, (title, res) in enumerate([("convolve", conv), ("correlate", corr)], start=2):
            im = axes[r, c].imshow(res, interpolation="nearest", **colours)
            axes[r, c].set_title(f"{title}(photo, {name})")
            fig.colorbar(im, ax=axes[r, c], shrink=0.75)
        lo, hi = symmetric_limits(np.concatenate([diff.ravel(), [colours["vmax"]]]))
        im = axes[r, 4].imshow(diff, cmap=DIVERGING, vmin=lo, vmax=hi, interpolation="nearest")
        axes[r, 4].set_title(f"difference: max |conv - corr| = {_fmt(np.abs(diff).max())}")
        fig.colorbar(im, ax=axes[r, 4], shrink=0.75)
        for ax in axes[r, 2:]:
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel("column")
            ax.set_ylabel("row")
    return fig


def learned_flip_figure(kernel, learned, losses):
    """What a correlating layer learns from data made by a true convolution: the kernel reversed.

    Left: the kernel that made the data, the same kernel reversed, and the weights the layer learned (one
    row each, values written in the cells). Right: the training loss per step (log scale).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = learned_flip_figure([1, 2, -1], [-1, 2, 1], [1.0, 0.1, 0.01])
    >>> fig.axes[1].get_yscale()
    'log'
    """
    k = np.asarray(kernel, dtype=float)
    w = np.asarray(learned, dtype=float)
    if k.shape != w.shape or k.ndim != 1:
        raise ValueError(f"kernel and learned must be 1-D of the same length, but got {k.shape} and {w.shape}")
    losses = np.asarray(losses, dtype=float)
    fig, axes = new_figure(1, 2, size=(11, 3.2), title="A layer that correlates learns the reversed kernel")
    grid = np.stack([k, k[::-1], w])
    draw_grid(axes[0], grid, fmt=lambda v: f"{v:.3f}", title="kernel of the data, reversed, and learned",
              xlabel="tap", ylabel="")
    axes[0].set_yticks([0, 1, 2], ["g (made the data)", "g reversed", "learned w"])
    axes[1].semilogy(np.arange(1, losses.size + 1), losses, color="#1b7837")
    axes[1].set_title("training loss")
    axes[1].set_xlabel("gradient step")
    axes[1].set_ylabel("mean squared error")
    axes[1].grid(True, which="both", alpha=0.3)
    return fig
