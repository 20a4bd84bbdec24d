"""Explorer of chapter 7: type a stack of dilation rates, see which input pixels reach one output.

:func:`footprint_explorer` has a text box for the rates ("1, 2, 4"), a slider for the kernel size and a
switch for 2-D or 1-D. Each setting is drawn by :func:`draw_footprint`: the footprint (paths from every
input pixel to one output, :func:`convzoo.footprint`) with the gridding holes in grey, and the receptive
field against the same stack without dilation. Text that is not a list of positive integers, or a stack
too wide to draw, gets a message in the widget.
"""
from __future__ import annotations

import re

import ipywidgets as W
import numpy as np

from ..dilated import footprint
from ..figures.common import SEQUENTIAL, new_figure
from ..figures.dilated import rates_label

__all__ = ["parse_rates", "draw_footprint", "footprint_explorer", "MAX_FIELD"]

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


def draw_footprint(rates="1, 2, 4", kernel_size=3, dims="2-D"):
    """The footprint of a stack of dilated layers (stride 1), and its receptive field against no dilation.

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
    rs = parse_rates(rates)
    k = int(kernel_size)
    if k < 2:
        raise ValueError(f"kernel_size must be at least 2 (a 1x1 kernel has no gaps to dilate), but got {kernel_size!r}")
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
    title = (f"{len(rs)} layers of {k}" + (f"x{k}" if dims == "2-D" else "") + f", rates {rates_label(rs)}: "
             f"receptive field {field} (no dilation: {plain})")
    panel = (f"{reached} of {counts.size} " + ("pixels" if dims == "2-D" else "inputs")
             + f" reached ({100 * reached / counts.size:.0f}%), {int(counts.sum())} paths")
    fig, ax = new_figure(size=(5.6, 5.0) if dims == "2-D" else (7.0, 3.4), title=title)
    lo, hi = offsets[0] - 0.5, offsets[-1] + 0.5
    if dims == "2-D":
        shown = np.ma.masked_equal(counts.astype(float), 0)
        ax.set_facecolor("#d9d9d9")  # the masked holes let this grey show through
        im = ax.imshow(shown, cmap=SEQUENTIAL, vmin=1, vmax=max(float(counts.max()), 2.0), extent=(lo, hi, hi, lo))
        if field <= 15:
            for (i, j), v in np.ndenumerate(counts):
                ax.text(offsets[j], offsets[i], str(int(v)), ha="center", va="center", fontsize=7,
                        color="#555555" if v == 0 else ("black" if v > 0.6 * counts.max() else "white"))
        fig.colorbar(im, ax=ax, shrink=0.8, label="paths (grey: 0, a gridding hole)")
        ax.set_xlabel("column offset from the output")
        ax.set_ylabel("row offset from the output")
    else:
        colours = np.where(counts == 0, "#bdbdbd", "#21918c")
        ax.vlines(offsets, 0, counts, colors=colours, linewidth=2)
        ax.scatter(offsets, counts, c=colours, s=14, zorder=3)
        holes = offsets[counts == 0]
        if holes.size:
            ax.scatter(holes, np.zeros(holes.size), marker="x", color="#b30000", s=24, zorder=4, label="hole (0 paths)")
            ax.legend(loc="upper right", fontsize=8)
        ax.set_xlim(lo, hi)
        ax.set_xlabel("input offset from the output")
        ax.set_ylabel("paths to the output")
    ax.set_title(panel)
    return fig


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
        draw_footprint,
        title="Which input pixels reach one output of a dilated stack?",
        description="Type one dilation rate per layer (e.g. 2, 2, 2 or 1, 2, 3 or 1, 2, 4, 8). Grey cells inside "
                    "the receptive field are never seen (gridding); colours count the paths.",
        rates=W.Text(value=text, description="rates", continuous_update=False),
        kernel_size=W.IntSlider(value=int(kernel_size), min=2, max=7, description="kernel size"),
        dims=W.ToggleButtons(options=["2-D", "1-D"], value=dims, description="axes"),
    )
