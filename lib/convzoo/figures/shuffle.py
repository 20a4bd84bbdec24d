"""Figures of chapter 11: the channel shuffle, step by step, and what it does to a stack of grouped layers.

- :func:`shuffle_steps_figure`: the channels written as ``g`` rows (one group each), transposed, read out
  again: the shuffle's three steps, every cell holding its channel index and coloured by its group.
- :func:`shuffle_connectivity_figure`: which input channels reach which output channels through ``L`` stacked
  grouped layers (:func:`convzoo.channel_connectivity`), without and with a shuffle between them; optionally
  with the permutation on top, drawn by :class:`ShuffleConnectivityView` (which the explorer updates in place).
- :func:`shuffle_product_figure`: the stack as a product of matrices, layer mask × permutation × layer mask,
  whose entries count the paths from an input channel to an output channel.
- :func:`shuffle_perturbation_figure`: change one input channel, see which outputs of two stacked grouped
  convolutions change, without and with the shuffle.

Every number a reader must count is written in its cell (:func:`.common.draw_grid`).
"""
from __future__ import annotations

import numpy as np

from .._args import check_int
from ..grouped import channel_connectivity, group_mask, shuffle_permutation
from ..shuffle import layers_to_connect, permutation_matrix, shuffle_reach
from .common import SEQUENTIAL, _text_colour, draw_grid, new_figure, outline
from .flattened import _Cells, _SquareCells
from .grouped import _group_cmap

__all__ = ["shuffle_groups", "check_shuffle_groups", "shuffle_steps_figure", "ShuffleConnectivityView",
           "shuffle_connectivity_figure",
           "shuffle_product_figure", "shuffle_perturbation_figure"]

MAX_CHANNELS = 24
"""The figures draw at most this many channels, so that every channel stays countable."""


def shuffle_groups(channels: int) -> list[int]:
    """The group counts a shuffle of ``C`` channels allows: the divisors of ``C``.

    Examples
    --------
    >>> shuffle_groups(12)
    [1, 2, 3, 4, 6, 12]
    """
    c = check_int(channels, "channels", minimum=1)
    return [g for g in range(1, c + 1) if c % g == 0]


def check_shuffle_groups(channels: int, groups: int) -> tuple[int, int]:
    """``(C, g)`` checked: ``g`` must divide ``C``, or a ``ValueError`` lists the ``g`` that would.

    Examples
    --------
    >>> check_shuffle_groups(12, 5)
    Traceback (most recent call last):
    ...
    ValueError: groups=5 does not divide channels=12 (12 / 5 is not a whole number of channels per group); with 12 channels, groups can be 1, 2, 3, 4, 6 or 12
    """
    c = check_int(channels, "channels", minimum=1)
    g = check_int(groups, "groups", minimum=1)
    if c % g:
        ok = [str(v) for v in shuffle_groups(c)]
        listed = ok[0] if len(ok) == 1 else ", ".join(ok[:-1]) + " or " + ok[-1]
        raise ValueError(f"groups={g} does not divide channels={c} ({c} / {g} is not a whole number of channels "
                         f"per group); with {c} channels, groups can be {listed}")
    return c, g


def _check_size(c: int) -> None:
    if c > MAX_CHANNELS:
        raise ValueError(f"this figure draws at most {MAX_CHANNELS} channels, but got channels={c}")


def _channel_cells(ax, channel_index, group_of, cmap, g, *, xlabel, ylabel, title, fontsize=10):
    """Cells coloured by group, each labelled with its channel index."""
    im = draw_grid(ax, group_of, cmap=cmap, vmin=-0.5, vmax=g - 0.5, annotate=False, xlabel=xlabel,
                   ylabel=ylabel, title=title)
    for (i, j), ch in np.ndenumerate(channel_index):
        ax.text(j, i, str(ch), ha="center", va="center", fontsize=fontsize,
                color=_text_colour(im.cmap(im.norm(group_of[i, j]))))
    return im


def _fmt_list(values) -> str:
    return "[" + ", ".join(str(int(v)) for v in values) + "]"


def shuffle_steps_figure(channels=6, groups=3):
    """The channel shuffle in three steps, each cell holding a channel index and coloured by its group.

    1. the ``C`` channels in order, as a grouped layer leaves them (group ``j`` is the ``j``-th run of ``C / g``);
    2. reshaped to ``(g, C / g)``: one row per group;
    3. transposed to ``(C / g, g)``: one column per group;
    4. flattened row by row: the shuffled order. Position ``i`` holds channel ``perm[i]``
       (:func:`convzoo.shuffle_permutation`), and each run of ``g`` positions has one channel of every group.

    Parameters
    ----------
    channels : int
        ``C`` (at most 24).
    groups : int
        ``g``, dividing ``C``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = shuffle_steps_figure(6, 3)
    >>> print(fig._suptitle.get_text())
    channel shuffle, C=6 channels, g=3 groups:
    perm = [0, 2, 4, 1, 3, 5]
    >>> [t.get_text() for t in fig.axes[3].texts]
    ['0', '2', '4', '1', '3', '5']
    """
    c, g = check_shuffle_groups(channels, groups)
    _check_size(c)
    n = c // g
    order = np.arange(c)
    grid = order.reshape(g, n)
    perm = shuffle_permutation(c, g)
    group_of = lambda idx: np.asarray(idx) // n  # noqa: E731
    cmap = _group_cmap(g)
    fs = 10 if c <= 12 else 8
    width = max(6.0, 0.42 * c + 1.6)
    fig = new_figure(size=(width, 2.2 + 0.42 * (g + n) + 1.6))[0]
    fig.clear()
    spec = fig.add_gridspec(3, 2, height_ratios=[1, max(g, n), 1])
    a0 = fig.add_subplot(spec[0, :])
    a1 = fig.add_subplot(spec[1, 0])
    a2 = fig.add_subplot(spec[1, 1])
    a3 = fig.add_subplot(spec[2, :])
    _channel_cells(a0, order[None], group_of(order)[None], cmap, g, xlabel="position = channel index",
                   ylabel="", title="1. the channels in order (colour = group)", fontsize=fs)
    _channel_cells(a1, grid, group_of(grid), cmap, g, xlabel="index within the group", ylabel="group",
                   title=f"2. reshape to (g, C/g) = ({g}, {n})", fontsize=fs)
    _channel_cells(a2, grid.T, group_of(grid.T), cmap, g, xlabel="group", ylabel="index within the group",
                   title=f"3. transpose to (C/g, g) = ({n}, {g})", fontsize=fs)
    im = _channel_cells(a3, perm[None], group_of(perm)[None], cmap, g, xlabel="new position i",
                        ylabel="", title="4. flatten: position i holds channel perm[i]", fontsize=fs)
    for ax in (a0, a3):
        ax.set_yticks([])
    for k in range(1, n):        # runs of g positions: one channel from every group
        a3.axvline(k * g - 0.5, color="k", linewidth=2)
    for k in range(1, g):        # runs of C/g positions: one group
        a0.axvline(k * n - 0.5, color="k", linewidth=2)
    cbar = fig.colorbar(im, ax=[a1, a2], shrink=0.9, ticks=np.arange(g))
    cbar.set_label("group")
    fig.suptitle(f"channel shuffle, C={c} channels, g={g} groups:\nperm = {_fmt_list(perm)}")
    return fig


def _connectivity_size(c: int, permutation: bool) -> tuple:
    side = 2.0 + 0.12 * c
    return max(6.4, 2 * side + 1.0), side + (2.1 if permutation else 1.1)


class ShuffleConnectivityView(_SquareCells):
    """The picture of :func:`shuffle_connectivity_figure`, built once and redrawn in place for each setting.

    Two ``(C, C)`` grids (:class:`.live.LiveGrid`, row and column numbers as texts, not ticks) and,
    with ``permutation``, the shuffle's order as a strip above them.

    Parameters
    ----------
    permutation : bool
        Draw the strip with :func:`convzoo.shuffle_permutation`.
    channels : int, optional
        ``C`` to size the figure for (the static figure); by default the largest, 24, kept for every setting
        so that the layout holds.

    Shape
    -----
    ``update(channels, groups, layers, annotate=None)``: ``C <= 24``, ``1 <= L <= 6``.

    Examples
    --------
    >>> view = ShuffleConnectivityView(permutation=True)
    >>> view.update(12, 3, 2)
    True
    >>> view.update(12, 4, 2), [ax.get_title() for ax in view.figure.axes[:2]]
    (False, ['no shuffle: each output sees 3 of 12', 'shuffle between layers: sees 9 of 12'])
    """

    def __init__(self, permutation: bool = False, channels=None):
        c = MAX_CHANNELS if channels is None else channels
        fig, first = new_figure(size=_connectivity_size(c, permutation), title=" ")
        # new axes in a gridspec of their own: an axes moved from new_figure's gridspec into another one made
        # the constrained layout give up (the figure kept matplotlib's default margins)
        first.remove()
        if permutation:
            spec = fig.add_gridspec(2, 2, height_ratios=[1, max(c, 4) / 2.2])
            axes = [fig.add_subplot(spec[1, 0]), fig.add_subplot(spec[1, 1]), fig.add_subplot(spec[0, :])]
        else:
            spec = fig.add_gridspec(1, 2)
            axes = [fig.add_subplot(spec[0, 0]), fig.add_subplot(spec[0, 1])]
        self.permutation = permutation
        grids = [_Cells(ax, xlabel="input channel i", ylabel="output channel o") for ax in axes[:2]]
        for ax in axes[:2]:        # room for the row and column numbers
            ax.xaxis.labelpad, ax.yaxis.labelpad = 16, 18
        if permutation:
            grids.append(_Cells(axes[2], xlabel="new position i", ylabel=""))
            axes[2].set_title("the shuffle: position i takes channel perm[i] (colour = its group)")
        super().__init__(fig, grids)

    def update(self, channels=12, groups=3, layers=2, annotate=None) -> bool:
        """Draw one setting (see :func:`shuffle_connectivity_figure`); True when the layout must be redone."""
        c, g = check_shuffle_groups(channels, groups)
        _check_size(c)
        n_layers = check_int(layers, "layers", minimum=1)
        if n_layers > 6:
            raise ValueError(f"layers must be 1 to 6, but got {n_layers}")
        annotate = c <= 12 if annotate is None else bool(annotate)
        plain = channel_connectivity([g] * n_layers, c, shuffle=False)
        mixed = channel_connectivity([g] * n_layers, c, shuffle=True)
        seen_plain, seen_mixed = c // g, shuffle_reach(c, g, n_layers)
        need = layers_to_connect(c, g)
        if need is None:
            verdict = "one channel per group: no number of layers mixes them"
        elif need <= n_layers:
            verdict = f"every output sees every input from L={need} layers on"
        else:
            verdict = f"every output sees every input only from L={need} layers on"
        step = 1 if c <= 12 else (2 if c <= 16 else 4)
        # all checked: now change the picture
        for grid, reach, title in ((self.grids[0], plain, f"no shuffle: each output sees {seen_plain} of {c}"),
                                   (self.grids[1], mixed, f"shuffle between layers: sees {seen_mixed} of {c}")):
            grid.show(reach, reach.astype(str) if annotate else False, cmap=SEQUENTIAL, vmin=0, vmax=1, fontsize=8,
                      title=title)
            grid.show_indices(step)
        if self.permutation:
            perm = shuffle_permutation(c, g)
            strip, size = self.grids[2], 9 if c <= 16 else 7
            strip.show((perm // (c // g))[None], perm[None].astype(str), cmap=_group_cmap(g), vmin=-0.5,
                       vmax=g - 0.5, fontsize=size)
            strip.show_indices(step, rows=False, fontsize=size)
            strip.ax.xaxis.labelpad = size + 8
        word = "layer" if n_layers == 1 else "layers"
        self.title.set_text(f"{n_layers} grouped {word}, C={c}, g={g} (C/g={c // g}); yellow cell [o, i]: input i "
                            f"reaches output o\n{verdict}")
        return self.layout_changed()


def shuffle_connectivity_figure(channels=12, groups=3, layers=2, *, permutation=False, annotate=None):
    """Which inputs reach which outputs through ``layers`` grouped layers, without and with the shuffle.

    Two ``(C, C)`` 0/1 grids from :func:`convzoo.channel_connectivity` (row ``o`` = output channel of the last
    layer, column ``i`` = input channel of the first): left, the layers stacked directly (block diagonal,
    ``C / g`` ones per row); right, a channel shuffle between consecutive layers (``min(C, (C/g)^L)`` ones per
    row, :func:`convzoo.shuffle_reach`). With ``permutation``, a strip on top shows the shuffle's order.
    Drawn by :class:`ShuffleConnectivityView`, sized for ``C``.

    Parameters
    ----------
    channels : int
        ``C`` (at most 24), the width of every layer.
    groups : int
        ``g``, dividing ``C``.
    layers : int
        ``L``, 1 to 6.
    permutation : bool
        Draw :func:`convzoo.shuffle_permutation` above the grids.
    annotate : bool, optional
        Write 0/1 in every cell; by default when ``C <= 12``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = shuffle_connectivity_figure(12, 3, 2)
    >>> [ax.get_title() for ax in fig.axes[:2]]
    ['no shuffle: each output sees 4 of 12', 'shuffle between layers: sees 12 of 12']
    """
    c, _ = check_shuffle_groups(channels, groups)
    _check_size(c)
    view = ShuffleConnectivityView(permutation=permutation, channels=c)
    view.update(channels, groups, layers, annotate=annotate)
    return view.figure


def shuffle_product_figure(channels=6, groups=2):
    """Two grouped layers with a shuffle between them, as a product of integer matrices.

    Panels: ``M1 = group_mask(C, C, g)`` (layer 1), ``P`` (:func:`convzoo.permutation_matrix` of the shuffle),
    ``M2`` (layer 2), and the products ``M2 @ M1`` (no shuffle) and ``M2 @ P @ M1`` (with the shuffle). Entry
    ``[o, i]`` of a product counts the paths from input channel ``i`` to output channel ``o``; it is non-zero
    exactly where :func:`convzoo.channel_connectivity` has a 1.

    Parameters
    ----------
    channels : int
        ``C`` (at most 12).
    groups : int
        ``g``, dividing ``C``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = shuffle_product_figure(4, 2)
    >>> [t.get_text() for t in fig.axes[4].texts][:4]
    ['1', '1', '1', '1']
    """
    c, g = check_shuffle_groups(channels, groups)
    if c > 12:
        raise ValueError(f"this figure draws at most 12 channels, but got channels={c}")
    m = group_mask(c, c, g)
    p = permutation_matrix(shuffle_permutation(c, g))
    panels = [(m, "M1: layer 1"), (p, "P: the shuffle"), (m, "M2: layer 2"), (m @ m, "M2 @ M1: no shuffle"),
              (m @ p @ m, "M2 @ P @ M1: shuffled")]
    top = max(int(v.max()) for v, _ in panels)
    fig, axes = new_figure(1, 5, size=(2.0 + 2.1 * 5 * max(c, 4) / 6, 1.2 + 2.2 * max(c, 4) / 6))
    for k, (ax, (v, title)) in enumerate(zip(axes, panels)):
        draw_grid(ax, v, title=title, cmap=SEQUENTIAL, vmin=0, vmax=top, fontsize=8, xlabel="input i",
                  ylabel="output o" if k == 0 else "")
    fig.suptitle(f"C={c}, g={g}: a stack of layers is a product of matrices; "
                 f"entry [o, i] counts the paths from input i to output o")
    return fig


def shuffle_perturbation_figure(plain, shuffled, channel, groups):
    """Which output channels of two stacked grouped layers change when one input channel changes.

    Two rows of cells, one per output channel: the largest ``|after - before|`` of that channel for the stack
    without a shuffle (top) and with a shuffle between the layers (bottom), written in the cell; a cell that
    changed is outlined.

    Parameters
    ----------
    plain, shuffled : array_like
        ``(C, H, W)`` (or ``(C,)``): ``after - before`` of the stack's output, without and with the shuffle.
    channel : int
        The input channel that was changed.
    groups : int
        ``g`` of both layers.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = shuffle_perturbation_figure(np.array([1.5, 0, 0, 0]), np.array([1.5, 0, 2, 0]), 0, 2)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['1.5', '0', '0', '0', '1.5', '0', '2', '0']
    """
    a, b = np.asarray(plain, dtype=float), np.asarray(shuffled, dtype=float)
    if a.shape != b.shape or a.ndim not in (1, 3):
        raise ValueError(f"plain and shuffled must both be (C, H, W) or (C,) of one shape, but got {a.shape} and "
                         f"{b.shape}")
    c, g = check_shuffle_groups(a.shape[0], groups)
    _check_size(c)
    ch = check_int(channel, "channel", minimum=0)
    if ch >= c:
        raise ValueError(f"channel must be an input channel, 0 to {c - 1}, but got {ch}")
    peak = lambda d: np.abs(d).reshape(c, -1).max(axis=1)  # noqa: E731
    rows = np.stack([peak(a), peak(b)])
    fig, ax = new_figure(size=(max(6.0, 0.62 * c + 2.2), 2.6))
    draw_grid(ax, rows, cmap=SEQUENTIAL, vmin=0, fmt=lambda v: f"{v:.2g}", xlabel="output channel o", ylabel="stack",
              fontsize=9,
              title="largest |change| of each output channel (outlined: changed)")
    ax.set_yticks([0, 1], ["no shuffle", "shuffle"])
    changed = rows > 0
    for r, o in zip(*np.nonzero(changed)):
        outline(ax, r, o)
    k0, k1 = int(changed[0].sum()), int(changed[1].sum())
    fig.suptitle(f"input channel {ch} changed, two grouped layers, g={g}:\n"
                 f"{k0} of {c} outputs change without the shuffle, {k1} of {c} with it")
    return fig
