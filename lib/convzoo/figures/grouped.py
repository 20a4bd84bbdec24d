"""Figures of chapter 10: grouped convolution, seen through its channels.

- :func:`weight_structure_figure`: which input channels each output channel reads (lines between the two
  rows of channels, one colour per group) and the same as a ``(C_out, C_in)`` grid of group numbers, with
  the parameter count against an ordinary convolution, drawn by :class:`WeightStructureView` (which the
  explorer updates in place).
- :func:`block_diagonal_figure`: a grouped weight as it is stored, ``(C_out, C_in / g, ...)``, beside the
  full weight that does the same, zero outside ``g`` diagonal blocks (:func:`convzoo.block_diagonal_weight`).
- :func:`perturbation_figure`: change one input channel and see which output channels change: only those
  of its own group.
- :func:`cost_vs_groups_figure`: parameters against the number of groups, every bar labelled.

Every number a reader must check is written in its cell (:func:`.common.draw_grid`).
"""
from __future__ import annotations

import functools
import math

import numpy as np

from .._args import check_int
from ..cost import conv_params
from ..grouped import block_diagonal_weight, group_mask
from .common import DIVERGING, SEQUENTIAL, draw_grid, new_figure, outline, symmetric_limits
from .flattened import _Cells, _SquareCells
from .live import cell_text

__all__ = ["valid_groups", "check_groups", "WeightStructureView", "weight_structure_figure", "block_diagonal_figure",
           "perturbation_figure", "cost_vs_groups_figure"]


def valid_groups(in_channels: int, out_channels: int) -> list[int]:
    """The group counts a layer with these channels allows: the common divisors of ``C_in`` and ``C_out``.

    Examples
    --------
    >>> valid_groups(8, 12)
    [1, 2, 4]
    """
    c_in = check_int(in_channels, "in_channels", minimum=1)
    c_out = check_int(out_channels, "out_channels", minimum=1)
    return [g for g in range(1, math.gcd(c_in, c_out) + 1) if c_in % g == 0 and c_out % g == 0]


def check_groups(in_channels: int, out_channels: int, groups: int) -> tuple[int, int, int]:
    """``(C_in, C_out, g)`` checked: ``g`` must divide both channel counts, or a ``ValueError`` says which
    ``g`` would.

    Examples
    --------
    >>> check_groups(8, 8, 3)
    Traceback (most recent call last):
    ...
    ValueError: groups=3 does not divide in_channels=8 (8 / 3 is not a whole number of channels per group); with 8 input and 8 output channels, groups can be 1, 2, 4 or 8
    """
    c_in = check_int(in_channels, "in_channels", minimum=1)
    c_out = check_int(out_channels, "out_channels", minimum=1)
    g = check_int(groups, "groups", minimum=1)
    bad = [(name, c) for name, c in (("in_channels", c_in), ("out_channels", c_out)) if c % g]
    if bad:
        name, c = bad[0]
        ok = [str(v) for v in valid_groups(c_in, c_out)]
        listed = ok[0] if len(ok) == 1 else ", ".join(ok[:-1]) + " or " + ok[-1]
        raise ValueError(f"groups={g} does not divide {name}={c} ({c} / {g} is not a whole number of channels per "
                         f"group); with {c_in} input and {c_out} output channels, groups can be {listed}")
    return c_in, c_out, g


@functools.lru_cache(maxsize=64)
def _group_colours(g: int) -> tuple:
    import matplotlib

    cmap = matplotlib.colormaps[SEQUENTIAL]
    return tuple(cmap(0.1 + 0.8 * j / max(g - 1, 1)) for j in range(g))


@functools.lru_cache(maxsize=64)
def _group_cmap(g: int):
    """Group ``j`` in its line colour (one object per ``g``, so a redraw with the same ``g`` keeps its map)."""
    from matplotlib.colors import ListedColormap

    return ListedColormap(_group_colours(g))


def _structure_size(width: int, c_out: int) -> tuple:
    return min(11.0, 5.0 + 0.45 * width), 3.4 + 0.16 * c_out


class WeightStructureView(_SquareCells):
    """The picture of :func:`weight_structure_figure`, built once and redrawn in place for each setting.

    Left, the links between the two rows of channels (one LineCollection, one scatter, channel numbers from
    a pool of texts); right, the ``(C_out, C_in)`` grid of group numbers (a :class:`.live.LiveGrid`).

    Parameters
    ----------
    size : (float, float), optional
        Figure size in inches; by default the largest the explorer needs (16 channels a side), kept for
        every setting so that the layout holds.

    Shape
    -----
    ``update(in_channels, out_channels, groups, kernel_size)``: at most 32 channels a side.

    Examples
    --------
    >>> view = WeightStructureView()
    >>> view.update(8, 8, 2, 3)
    True
    >>> view.update(8, 4, 4, 3), view.figure._suptitle.get_text().splitlines()[0]
    (False, 'groups=4: each group maps 2 -> 1 channels')
    """

    def __init__(self, size=None):
        fig, (ax, grid) = new_figure(1, 2, size=size or _structure_size(16, 16), title=" ")
        self.ax_lines, self.ax_grid = ax, grid
        from matplotlib.collections import LineCollection

        self.links = LineCollection(np.zeros((0, 2, 2)), linewidths=1.2, alpha=0.8)
        ax.add_collection(self.links)
        self.dots = ax.scatter([], [], s=40, zorder=3, edgecolors="k")
        self.numbers = []                       # channel numbers, inputs under and outputs over their dots
        ax.set_ylim(-0.35, 1.35)
        ax.set_yticks([0, 1], ["input\nchannel", "output\nchannel"])
        ax.set_xticks([])
        ax.set_xlabel("channel index (colour = group)")
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
        self.grid = _Cells(grid, xlabel="input channel i", ylabel="output channel o")
        self._ticks = None                      # (C_in, C_out) ticked, or None: no ticks
        super().__init__(fig, [self.grid])

    def update(self, in_channels=8, out_channels=8, groups=2, kernel_size=3) -> bool:
        """Draw one setting (see :func:`weight_structure_figure`); True when the layout must be redone."""
        c_in, c_out, g = check_groups(in_channels, out_channels, groups)
        k = check_int(kernel_size, "kernel_size", minimum=1)
        if max(c_in, c_out) > 32:
            raise ValueError(f"this figure draws at most 32 channels a side, but got in_channels={c_in}, "
                             f"out_channels={c_out}")
        mask = group_mask(c_out, c_in, g)
        group_of_out = np.arange(c_out) // (c_out // g)
        group_of_in = np.arange(c_in) // (c_in // g)
        labelled = np.where(mask == 1, group_of_out[:, None], np.nan)    # blank where there is no kernel
        params, full = conv_params(c_in, c_out, k, groups=g), conv_params(c_in, c_out, k)
        width = max(c_in, c_out)
        colours = np.array(_group_colours(g))
        x_in = np.arange(c_in) - (c_in - 1) / 2     # two rows of dots, centred against each other
        x_out = np.arange(c_out) - (c_out - 1) / 2
        outs, ins = np.nonzero(mask)
        # all checked: now change the picture
        ax = self.ax_lines
        self.links.set_segments(np.stack([np.stack([x_in[ins], np.zeros(ins.size)], -1),
                                          np.stack([x_out[outs], np.ones(outs.size)], -1)], 1))
        self.links.set_color(colours[group_of_out[outs]])
        self.dots.set_offsets(np.column_stack([np.concatenate([x_in, x_out]), np.repeat([0.0, 1.0], [c_in, c_out])]))
        self.dots.set_facecolor(colours[np.concatenate([group_of_in, group_of_out])])
        numbers = [(x, -0.12, "top", str(i)) for i, x in enumerate(x_in)] + \
                  [(x, 1.12, "bottom", str(o)) for o, x in enumerate(x_out)] if width <= 16 else []
        while len(self.numbers) < len(numbers):
            self.numbers.append(cell_text(ax, 0, 0, ha="center", fontsize=8))
        for t, (x, y, va, text) in zip(self.numbers, numbers):
            t.set_position((x, y))
            t.set_verticalalignment(va)
            t.set_text(text)
            t.set_visible(True)
        for t in self.numbers[len(numbers):]:
            t.set_visible(False)
        ax.set_xlim(-(width + 1) / 2, (width + 1) / 2)
        ax.title.set_text(f"who reads whom: {c_out * c_in // g} of {c_out * c_in} links")
        small = width <= 12     # beyond, too many cells to write (and slow to tick): colours only
        self.grid.show(labelled, np.where(mask == 1, group_of_out[:, None].astype(str), "") if small else False,
                       cmap=_group_cmap(g), vmin=-0.5, vmax=g - 0.5, fontsize=10 if width <= 8 else 7,
                       title=f"weight ({c_out}, {c_in // g}, {k}, {k}): group of\neach kernel (blank = no kernel)")
        ticks = (c_in, c_out) if small else None
        if ticks != self._ticks:            # new ticks only when the grid's shape changes
            self._ticks = ticks
            self.ax_grid.set_xticks(np.arange(c_in) if small else [])
            self.ax_grid.set_yticks(np.arange(c_out) if small else [])
        self.title.set_text(f"groups={g}: each group maps {c_in // g} -> {c_out // g} channels\n"
                            f"{c_out}x{c_in // g}x{k}x{k} + {c_out} = {params:,} parameters (groups=1: {full:,})")
        return self.layout_changed()


def weight_structure_figure(in_channels=8, out_channels=8, groups=2, kernel_size=3):
    """Which input channels each output channel reads, and what that costs.

    Left: input channels in a row at the bottom, output channels at the top, a line wherever an output
    channel's filter has a (non-zero) kernel for that input channel, coloured by group. Right: the same as
    the ``(C_out, C_in)`` grid :func:`convzoo.group_mask`, each connected cell holding its group number
    (0 ... g - 1, numbered from 0 as in code) and every other cell blank: there the filter has no kernel.
    The title counts parameters with :func:`convzoo.conv_params`. Drawn by :class:`WeightStructureView`,
    sized for these channels.

    Parameters
    ----------
    in_channels, out_channels : int
        ``C_in`` and ``C_out`` (at most 32 each, so the channels stay countable).
    groups : int
        ``g``, dividing both.
    kernel_size : int
        ``k`` of the square kernels (only the parameter count uses it).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = weight_structure_figure(4, 6, 2, kernel_size=3)
    >>> print(fig.axes[1].get_title())
    weight (6, 2, 3, 3): group of
    each kernel (blank = no kernel)
    >>> print(fig._suptitle.get_text())
    groups=2: each group maps 2 -> 3 channels
    6x2x3x3 + 6 = 114 parameters (groups=1: 222)
    """
    c_in, c_out, _ = check_groups(in_channels, out_channels, groups)
    view = WeightStructureView(size=_structure_size(max(c_in, c_out), c_out))
    view.update(in_channels, out_channels, groups, kernel_size)
    return view.figure


def _tiles(weight) -> np.ndarray:
    """``(C_out, C_in, kh, kw)`` (or ``(C_out, C_in)``) as one ``(C_out kh, C_in kw)`` image of kernels."""
    w = np.asarray(weight)
    if w.ndim == 2:
        return w
    if w.ndim != 4:
        raise ValueError(f"weight must be (C_out, C_in / g) or (C_out, C_in / g, kh, kw), but got shape {w.shape}")
    c_out, c_in, kh, kw = w.shape
    return w.transpose(0, 2, 1, 3).reshape(c_out * kh, c_in * kw)


def block_diagonal_figure(weight, groups):
    """A grouped weight as stored, beside the full weight that computes the same convolution.

    Left: ``weight`` ``(C_out, C_in / g[, kh, kw])``, one row of kernels per output channel. Right:
    :func:`convzoo.block_diagonal_weight` of it, ``(C_out, C_in[, kh, kw])``: the same kernels, moved to
    their group's input channels, zeros everywhere else; the ``g`` diagonal blocks are outlined. Kernels
    larger than 1x1 are drawn as tiles (``kh x kw`` cells each); values are written when the grid is small.

    Parameters
    ----------
    weight : array_like
        ``(C_out, C_in / g)`` (1x1 kernels) or ``(C_out, C_in / g, kh, kw)``.
    groups : int

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = block_diagonal_figure(np.arange(1, 9).reshape(4, 2), 2)
    >>> [t.get_text() for t in fig.axes[1].texts][:4]
    ['1', '2', '0', '0']
    """
    w = np.asarray(weight)
    if w.ndim not in (2, 4):
        raise ValueError(f"weight must be (C_out, C_in / g) or (C_out, C_in / g, kh, kw), but got shape {w.shape}")
    g = check_int(groups, "groups", minimum=1)
    full = block_diagonal_weight(w, g)
    kh, kw = (1, 1) if w.ndim == 2 else w.shape[2:]
    c_out, cg = w.shape[:2]
    left, right = _tiles(w).astype(float), _tiles(full).astype(float)
    lo, hi = symmetric_limits(right)
    signed = right.min() < 0
    colours = dict(cmap=DIVERGING, vmin=lo, vmax=hi) if signed else dict(cmap=SEQUENTIAL, vmin=0, vmax=hi)
    small = max(right.shape) <= 16
    if np.issubdtype(w.dtype, np.integer):
        fmt = "{:g}"
    else:
        fmt = lambda v: f"{v:.1f}".replace("-0.0", "0.0")  # noqa: E731
    fig, (a0, a1) = new_figure(1, 2, size=(max(5.5, 3.0 + 0.32 * (left.shape[1] + right.shape[1])),
                                           2.4 + 0.3 * right.shape[0]),
                               title=f"groups={g}: the stored weight, and the full\nweight that does the same")
    shape_l = (c_out, cg) if w.ndim == 2 else (c_out, cg, kh, kw)
    draw_grid(a0, left, title=f"stored: {shape_l}", annotate=small, labels=small, fmt=fmt,
              xlabel="kernel j of the filter (j < C_in / g)", ylabel="output channel (filter)", **colours)
    im = draw_grid(a1, right, title=f"block-diagonal: {tuple(full.shape)}", annotate=small, labels=small, fmt=fmt,
                   xlabel="input channel", ylabel="output channel (filter)", **colours)
    fig.colorbar(im, ax=a1, shrink=0.8, label="weight value")
    og = c_out // g
    for j in range(g):
        outline(a1, j * og * kh, j * cg * kw, og * kh, cg * kw)
    for ax, cols in ((a0, cg), (a1, cg * g)):
        if kh > 1 or kw > 1:  # one tick per kernel (at its centre), thin black lines between kernels
            ax.set_xticks(np.arange(cols) * kw + (kw - 1) / 2, [str(c) for c in range(cols)])
            ax.set_yticks(np.arange(c_out) * kh + (kh - 1) / 2, [str(o) for o in range(c_out)])
            for r in range(1, c_out):
                ax.axhline(r * kh - 0.5, color="k", linewidth=0.6)
            for c in range(1, cols):
                ax.axvline(c * kw - 0.5, color="k", linewidth=0.6)
            # draw_grid leaves a large grid unlabelled; the tiles are ticked per kernel, so name the axes here
            ax.set_xlabel(("kernel j of the filter (j < C_in / g)" if ax is a0 else "input channel")
                          + f"\n(one {kh}x{kw} tile per kernel)")
            ax.set_ylabel("output channel (filter)")
        elif not small:
            ax.set_xticks([])
            ax.set_yticks([])
    return fig


def perturbation_figure(before, after, channel, in_channels, groups):
    """Which output channels change when one input channel is changed.

    Top: the largest ``|after - before|`` of each output channel, written in its cell; the perturbed
    channel's group of outputs is outlined. Bottom: the change of every output channel as a map, on one
    diverging scale centred on 0.

    Parameters
    ----------
    before, after : array_like
        ``(C_out, H, W)``: a layer's output before and after changing input channel ``channel``.
    channel : int
        The input channel that was changed.
    in_channels, groups : int
        ``C_in`` and ``g`` of the layer (to outline the group).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> before = np.zeros((4, 2, 2)); after = before.copy(); after[2:] = 1.5
    >>> fig = perturbation_figure(before, after, channel=3, in_channels=4, groups=2)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['0', '0', '1.5', '1.5']
    """
    b, a = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    if b.ndim != 3 or a.shape != b.shape:
        raise ValueError(f"before and after must both be (C_out, H, W) of one shape, but got {b.shape} and {a.shape}")
    c_out = b.shape[0]
    c_in, _, g = check_groups(in_channels, c_out, groups)
    ch = check_int(channel, "channel", minimum=0)
    if ch >= c_in:
        raise ValueError(f"channel must be an input channel, 0 to {c_in - 1}, but got {ch}")
    if c_out > 16:
        raise ValueError(f"this figure draws at most 16 output channels, but got {c_out}")
    diff = a - b
    peak = np.abs(diff).max(axis=(1, 2))
    j = ch // (c_in // g)
    og = c_out // g
    fig = new_figure(size=(max(6.0, 1.1 * c_out + 1.0), 4.0))[0]
    fig.clear()  # a custom layout: one wide row of numbers over one map per output channel
    grid = fig.add_gridspec(2, c_out, height_ratios=[1, 1.6])
    top = fig.add_subplot(grid[0, :])
    draw_grid(top, peak[None], cmap=SEQUENTIAL, vmin=0, fmt=lambda v: f"{v:.2g}", xlabel="output channel",
              ylabel="", title="largest |change| in each output channel")
    top.set_yticks([])
    outline(top, 0, j * og, 1, og)
    lo, hi = symmetric_limits(diff)
    for o in range(c_out):
        ax = fig.add_subplot(grid[1, o])
        im = ax.imshow(diff[o], cmap=DIVERGING, vmin=lo, vmax=hi)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"out {o}", fontsize=8)
        if o == 0:
            ax.set_ylabel("change map")
    fig.colorbar(im, ax=fig.axes[1:], shrink=0.8, label="after - before")
    fig.suptitle(f"input channel {ch} changed (it is in group {j} of groups 0 to {g - 1}):\n"
                 f"only output channels {j * og} to {(j + 1) * og - 1} change, the other {c_out - og} do not")
    return fig


def cost_vs_groups_figure(in_channels=256, out_channels=256, kernel_size=5, groups=None):
    """Parameters of one layer against the number of groups (log scale), every bar labelled.

    Each bar is :func:`convzoo.conv_params` with bias; the label gives the count and how many times
    smaller it is than ``groups=1``. The weights shrink exactly ``g`` times; the ``C_out`` biases do not,
    so the ratio falls a little short of ``g``.

    Parameters
    ----------
    in_channels, out_channels, kernel_size : int
    groups : sequence of int, optional
        Defaults to every common divisor of the channel counts.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = cost_vs_groups_figure(256, 256, 5, groups=[1, 32])
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['1,638,656\\nx1', '51,456\\nx31.85']
    """
    c_in = check_int(in_channels, "in_channels", minimum=1)
    c_out = check_int(out_channels, "out_channels", minimum=1)
    k = check_int(kernel_size, "kernel_size", minimum=1)
    gs = valid_groups(c_in, c_out) if groups is None else [check_groups(c_in, c_out, g)[2] for g in groups]
    counts = [conv_params(c_in, c_out, k, groups=g) for g in gs]
    fig, ax = new_figure(size=(max(5.0, 0.8 * len(gs) + 2.0), 3.6),
                         title=f"{c_in} -> {c_out} channels, {k}x{k} kernels, with bias: parameters vs groups")
    xs = np.arange(len(gs))
    ax.bar(xs, counts, color=_group_colours(3)[1])
    ax.set_yscale("log")
    for x, n in zip(xs, counts):
        ratio = counts[0] / n if gs[0] == 1 else None
        label = f"{n:,}" + (f"\nx{ratio:.4g}" if ratio is not None else "")
        ax.text(x, n * 1.15, label, ha="center", va="bottom", fontsize=8)
    ax.set_xticks(xs, [str(g) for g in gs])
    ax.set_ylim(min(counts) / 3, max(counts) * 12)
    ax.set_xlabel("groups g")
    ax.set_ylabel("parameters (log scale)")
    ax.set_title("label: count, and how many times fewer than groups=1")
    return fig
