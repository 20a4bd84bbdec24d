"""Explorer of chapter 7: type a stack of dilation rates, see which input pixels reach one output.

:func:`footprint_explorer` has a text box for the rates ("1, 2, 4"), a slider for the kernel size and a
switch for 2-D or 1-D. Each setting is drawn by one :class:`FootprintView`, updated in place (the picture
of :func:`draw_footprint`): the footprint (paths from every input pixel to one output,
:func:`convzoo.footprint`) with the gridding holes in grey, and the receptive field against the same stack
without dilation. Text that is not a list of positive integers, or a stack
too wide to draw, gets a message in the widget.
"""
from __future__ import annotations

import re

import ipywidgets as W
import numpy as np
from matplotlib.ticker import ScalarFormatter

from ..dilated import footprint
from ..figures.common import SEQUENTIAL, new_figure
from ..figures.live import GridFigure, LabelPool, as_cell_texts
from ..figures.dilated import rates_label

__all__ = ["parse_rates", "FootprintView", "draw_footprint", "footprint_explorer", "MAX_FIELD"]

MAX_FIELD = 129
"""The widest receptive field the explorer draws (pixels per axis)."""


def parse_rates(text) -> list[int]:
    """``"1, 2, 4"`` or ``"1 2 4"`` or ``"[1, 2, 4]"`` -> ``[1, 2, 4]``; anything else is a ValueError.

    Examples
    --------
    >>> parse_rates("[1, 2, 4]")
    [1, 2, 4]
    >>> parse_rates("2 0")
    Traceback (most recent call last):
    ...
    ValueError: dilation rate 0 (layer 2) is not allowed: a rate is a positive integer (1 = ordinary convolution)
    """
    if not isinstance(text, str):
        text = " ".join(str(v) for v in np.ravel(text))
    parts = [p for p in re.split(r"[\s,;\[\]()]+", text) if p]
    if not parts:
        raise ValueError("no dilation rates: type one positive integer per layer, e.g. 1, 2, 4")
    if len(parts) > 12:
        raise ValueError(f"{len(parts)} layers: the explorer draws stacks of at most 12")
    rates = []
    for n, p in enumerate(parts, start=1):
        try:
            r = int(p)
        except ValueError:
            raise ValueError(f"{p!r} (layer {n}) is not a whole number: type one positive integer per layer, "
                             f"e.g. 1, 2, 4") from None
        if r < 1:
            raise ValueError(f"dilation rate {r} (layer {n}) is not allowed: a rate is a positive integer "
                             f"(1 = ordinary convolution)")
        rates.append(r)
    return rates


class _PaddedFormatter(ScalarFormatter):
    """Tick labels all ``width`` digits wide: padded with figure spaces (as wide as a digit, invisible) on
    the ``side`` away from the axis, so a new range of ticks does not change the margins (no new layout)."""

    fixed_width = True  # figures.live.axes_margins: which labels there are cannot move the layout

    def __init__(self, width: int, side: str = "left"):
        super().__init__()
        self.width, self.side = width, side

    def __call__(self, x, pos=None):
        label = super().__call__(x, pos)
        return label.rjust(self.width, "\u2007") if self.side == "left" else label.ljust(self.width, "\u2007")


class FootprintView(GridFigure):
    """The footprint of a stack of dilated layers and its receptive field (see :func:`draw_footprint`),
    updated in place from stack to stack.

    One axes shows either the 2-D footprint (an image, a pool of count labels, a colour bar) or the 1-D one
    (stems and dots as two collections, holes as crosses). Tick labels are padded to a fixed width, so a
    new stack or kernel size keeps the layout; switching between 2-D and 1-D (another figure size, the
    colour bar made or removed) lays the figure out again.

    Shape
    -----
    ``counts``: ``(F, F)`` in 2-D or ``(F,)`` in 1-D, ``F = 1 + sum(d * (k - 1))`` at most :data:`MAX_FIELD`.

    Examples
    --------
    >>> view = FootprintView()
    >>> view.update("2, 2, 2"), view.update("1, 2, 3"), view.update("1, 2", dims="1-D")
    (True, False, True)
    >>> view.figure.axes[0].get_title()
    '7 of 7 inputs reached (100%), 9 paths'
    """

    SIZES = {"2-D": (6.4, 5.4), "1-D": (7.0, 3.4)}  # 2-D: a title of 5-digit counts fits over the axes

    def __init__(self):
        from matplotlib.collections import LineCollection

        fig, self.ax = new_figure(size=self.SIZES["2-D"])
        ax = self.ax
        self.im = ax.imshow(np.zeros((1, 1)), cmap=SEQUENTIAL, vmin=1, vmax=2)
        self.count_labels = LabelPool(ax)  # the counts sit at offsets from the output, over the view's image
        self.cbar = None
        self.stems = LineCollection([], linewidth=2)
        ax.add_collection(self.stems, autolim=False)
        self.dots = ax.scatter([], [], s=14, zorder=3)
        self.holes = ax.scatter([], [], marker="x", color="#b30000", s=24, zorder=4, label="hole (0 paths)")
        self.legend = ax.legend(loc="upper right", fontsize=8)
        ax.xaxis.set_major_formatter(_PaddedFormatter(0))  # below the axes: only its height counts
        self.dims = None
        # no grids: the titles' lines, the labels and the exponents above the axes decide the layout
        super().__init__(fig, [])
        self.suptitle = self.title  # the name this view has always given its suptitle

    def update(self, rates="1, 2, 4", kernel_size=3, dims="2-D") -> bool:
        rs = parse_rates(rates)
        k = int(kernel_size)
        if k < 2:
            raise ValueError(f"kernel_size must be at least 2 (a 1x1 kernel has no gaps to dilate), "
                             f"but got {kernel_size!r}")
        if dims not in ("2-D", "1-D"):
            raise ValueError(f"dims must be '2-D' or '1-D', but got {dims!r}")
        field = 1 + sum(d * (k - 1) for d in rs)
        if field > MAX_FIELD:
            raise ValueError(f"rates {rates_label(rs)} with k = {k} give a receptive field of {field} pixels; "
                             f"the explorer draws at most {MAX_FIELD}: use smaller rates or fewer layers")
        plain = 1 + len(rs) * (k - 1)
        counts = footprint(rs, k, ndim=2 if dims == "2-D" else 1)
        reached = int(np.count_nonzero(counts))
        offsets = np.arange(field) - (field - 1) / 2
        switched = dims != self.dims
        if switched:
            self._switch(dims)
        self.title.set_text(f"{len(rs)} layers of {k}" + (f"x{k}" if dims == "2-D" else "")
                               + f", rates {rates_label(rs)}: receptive field {field} (no dilation: {plain})")
        self.ax.set_title(f"{reached} of {counts.size} " + ("pixels" if dims == "2-D" else "inputs")
                          + f" reached ({100 * reached / counts.size:.0f}%), {int(counts.sum())} paths")
        lo, hi = offsets[0] - 0.5, offsets[-1] + 0.5
        self.ax.set_xlim(lo, hi)
        if dims == "2-D":
            self._show_2d(counts, offsets, lo, hi, labelled=field <= 15)
        else:
            self._show_1d(counts, offsets)
        as_cell_texts(self.figure)  # new limits may have made new ticks
        return self.layout_changed()  # a switch changes the figure's size

    def _switch(self, dims: str) -> None:
        """Size, axes look and which artists show, for 2-D or 1-D; the colour bar exists only in 2-D."""
        two = dims == "2-D"
        self.dims = dims
        self.figure.set_size_inches(*self.SIZES[dims])
        ax = self.ax
        ax.set_aspect("equal" if two else "auto")
        ax.set_facecolor("#d9d9d9" if two else "white")  # in 2-D the masked holes let this grey show through
        ax.set_xlabel("column offset from the output" if two else "input offset from the output")
        ax.set_ylabel("row offset from the output" if two else "paths to the output")
        # an offset is 3 characters at most ("-64"), or 4 for a half ("-0.5"); 1-D counts get 6 and then an exponent
        ax.yaxis.set_major_formatter(_PaddedFormatter(4 if two else 6))
        self.im.set_visible(two)
        for artist in (self.stems, self.dots, self.holes):
            artist.set_visible(not two)
        if not two:
            self.count_labels.write([])
        if two and self.cbar is None:
            self.cbar = self.figure.colorbar(self.im, ax=ax, shrink=0.8, use_gridspec=False,
                                             label="paths (grey: 0, a gridding hole)",
                                             format=_PaddedFormatter(6, side="right"))
            # the bar shrank the axes to make room; constrained layout makes the room itself, and started from
            # the shrunk place it lands elsewhere (a static figure has no LiveRender to put the axes back)
            ax.set_subplotspec(ax.get_subplotspec())
        elif not two and self.cbar is not None:
            self.cbar.remove()
            self.cbar = None

    def _show_2d(self, counts, offsets, lo, hi, labelled: bool) -> None:
        top = float(counts.max())
        self.im.set_data(np.ma.masked_equal(counts.astype(float), 0))
        self.im.set_extent((lo, hi, hi, lo))
        self.im.set_clim(1, max(top, 2.0))
        self.ax.set_ylim(hi, lo)
        grey, dark = "#555555", 0.6 * top
        cells = [(offsets[i], offsets[j], str(int(v)), grey if v == 0 else ("black" if v > dark else "white"), 7)
                 for (i, j), v in np.ndenumerate(counts)] if labelled else []
        self.count_labels.write(cells)
        self.legend.set_visible(False)

    def _show_1d(self, counts, offsets) -> None:
        colours = np.where(counts == 0, "#bdbdbd", "#21918c")
        self.stems.set_segments([[(x, 0), (x, c)] for x, c in zip(offsets, counts)])
        self.stems.set_color(colours)
        self.dots.set_offsets(np.column_stack([offsets, counts]))
        self.dots.set_facecolor(colours)
        self.dots.set_edgecolor(colours)
        holes = offsets[counts == 0]
        self.holes.set_offsets(np.column_stack([holes, np.zeros(holes.size)]))
        self.legend.set_visible(holes.size > 0)
        top = float(counts.max())
        self.ax.set_ylim(-0.05 * top, 1.05 * top)  # what autoscaling gave the stems from 0 to the largest count


def draw_footprint(rates="1, 2, 4", kernel_size=3, dims="2-D"):
    """The footprint of a stack of dilated layers (stride 1), and its receptive field against no dilation.

    Drawn by a :class:`FootprintView`: in 2-D the paths from every input pixel to one output as colours
    (counts written when the field is at most 15 wide), holes in grey; in 1-D as stems, holes crossed.

    Parameters
    ----------
    rates : str or sequence of int
        One dilation rate per layer, e.g. ``"1, 2, 4"``.
    kernel_size : int
        Taps per axis of every layer.
    dims : {'2-D', '1-D'}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = draw_footprint("2, 2, 2")
    >>> fig.axes[0].get_title()
    '49 of 169 pixels reached (29%), 729 paths'
    """
    view = FootprintView()
    view.update(rates, kernel_size, dims)
    return view.figure


def footprint_explorer(rates="1, 2, 4", kernel_size=3, dims="2-D"):
    """Type a stack of dilation rates; see which inputs reach one output and the receptive field.

    Parameters
    ----------
    rates : str or sequence of int
        The starting stack (editable in the widget).
    kernel_size : int
    dims : {'2-D', '1-D'}

    Returns
    -------
    convzoo.widgets.common.Explorer
        ``controls`` holds ``rates`` (a Text), ``kernel_size`` (a slider) and ``dims`` (toggle buttons).
    """
    from .common import explorer

    text = rates if isinstance(rates, str) else rates_label(rates)
    return explorer(
        FootprintView(),
        title="Which input pixels reach one output of a dilated stack?",
        description="Type one dilation rate per layer (e.g. 2, 2, 2 or 1, 2, 3 or 1, 2, 4, 8). Grey cells inside "
                    "the receptive field are never seen (gridding); colours count the paths.",
        rates=W.Text(value=text, description="rates", continuous_update=False),
        kernel_size=W.IntSlider(value=int(kernel_size), min=2, max=7, description="kernel size"),
        dims=W.ToggleButtons(options=["2-D", "1-D"], value=dims, description="axes"),
    )
