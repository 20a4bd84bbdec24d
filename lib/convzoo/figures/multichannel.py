"""Figures of chapter 2: one channel, many channels, a filter bank, feature maps and pooling.

Every number a reader must check is written in its cell (:func:`.common.draw_grid`); photos and feature
maps share one colour scale per figure, so a weak map looks weak.
"""
from __future__ import annotations

import numpy as np

from ..conv import conv2d
from .common import DIVERGING, SEQUENTIAL, draw_grid, new_figure, symmetric_limits
from .common import _fmt_fixed as _fmt
from .live import GridFigure, LiveGrid

__all__ = [
    "single_channel_figure",
    "multichannel_figure",
    "filter_bank_figure",
    "feature_maps_figure",
    "pooling_figure",
    "MultichannelView",
    "PoolingView",
]


def _check_position(position, out_shape):
    i, j = position
    if not (0 <= i < out_shape[0] and 0 <= j < out_shape[1]):
        raise ValueError(
            f"output position ({i}, {j}) is outside the {out_shape[0]}x{out_shape[1]} output; "
            f"rows and columns run from 0 to {out_shape[0] - 1} and {out_shape[1] - 1}"
        )
    return int(i), int(j)


def single_channel_figure(x, kernel, position=(0, 0)):
    """One channel, one kernel: the window at ``position``, its products with the kernel, and the output.

    Stride 1, no padding. Four panels: the input with the window outlined, the kernel, the element-wise
    products of window and kernel (their sum is the output value), and the whole output.

    Shape
    -----
    ``x``: ``(H, W)``; ``kernel``: ``(kh, kw)``; output ``(H - kh + 1, W - kw + 1)``.

    Examples
    --------
    >>> x = [[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]]
    >>> fig = single_channel_figure(x, [[0, 1, 2], [2, 2, 0], [0, 1, 2]], position=(0, 0))
    >>> fig.axes[3].get_title()
    'output y (3x3): y[0, 0] = 12'
    """
    x = np.asarray(x)
    k = np.asarray(kernel)
    if x.ndim != 2 or k.ndim != 2:
        raise ValueError(f"x and kernel must be 2-D, but got shapes {x.shape} and {k.shape}")
    y = conv2d(x[None], k[None, None])[0]
    i, j = _check_position(position, y.shape)
    kh, kw = k.shape
    window = x[i:i + kh, j:j + kw]
    fig, axes = new_figure(1, 4, size=(13, 3.8),
                           title="One channel: slide the kernel, multiply element-wise, add up (stride 1, no padding)")
    draw_grid(axes[0], x, title=f"input x ({x.shape[0]}x{x.shape[1]}), window at ({i}, {j})",
              highlight=(i, j, kh, kw), fmt=_fmt)
    draw_grid(axes[1], k, title=f"kernel k ({kh}x{kw})", fmt=_fmt)
    draw_grid(axes[2], window * k, title=f"window * k, sum = {_fmt(y[i, j])}", fmt=_fmt,
              xlabel="kernel column", ylabel="kernel row")
    draw_grid(axes[3], y, title=f"output y ({y.shape[0]}x{y.shape[1]}): y[{i}, {j}] = {_fmt(y[i, j])}",
              highlight=(i, j, 1, 1), fmt=_fmt)
    return fig


def multichannel_figure(x, filter, bias=0, stride=1, padding=0, position=None, channel_names=None):
    """One filter on a multi-channel input: one kernel per channel, per-channel maps, their sum plus bias.

    Row ``c`` shows input channel ``c`` (padding dashed), kernel ``c`` of the filter, and the map that kernel
    makes on that channel alone. The last row adds the maps, adds the bias, and shows that the result is
    exactly ``conv2d`` of the whole input with the whole filter: one filter gives one output channel.
    Drawn by a :class:`MultichannelView` (the explorer's figure), updated once.

    Parameters
    ----------
    x : array_like
        ``(C, H, W)``.
    filter : array_like
        ``(C, kh, kw)``: one kernel per input channel.
    bias : float
    stride, padding : int
    position : (int, int), optional
        Output position whose window is outlined in every input channel.
    channel_names : list of str, optional

    Shape
    -----
    Output ``(H_out, W_out)`` with ``H_out = floor((H + 2p - kh) / s) + 1``.

    Examples
    --------
    >>> import numpy as np
    >>> fig = multichannel_figure(np.ones((3, 5, 5), int), np.ones((3, 3, 3), int), bias=1)
    >>> fig.axes[-1].get_title()
    'output = sum + bias (3x3)'
    """
    x = np.asarray(x)
    view = MultichannelView(len(x) if x.ndim == 3 else 1)  # a wrong shape is refused by update, with its reason
    view.update(x, filter, bias=bias, stride=stride, padding=padding, position=position,
                channel_names=channel_names)
    return view.figure


def filter_bank_figure(weight, max_filters=8, annotate=None):
    """A layer's weight ``(C_out, C_in, kh, kw)`` as a table: row = filter (output channel), column = kernel.

    This is the vocabulary of the chapter drawn: the layer holds ``C_out`` filters, each filter is a stack of
    ``C_in`` kernels (one per input channel), each kernel is a ``kh x kw`` grid of weights.

    Examples
    --------
    >>> import numpy as np
    >>> fig = filter_bank_figure(np.zeros((2, 3, 3, 3)))
    >>> fig.axes[0].get_title()
    'filter 0, kernel 0'
    """
    w = np.asarray(weight, dtype=float)
    if w.ndim != 4:
        raise ValueError(f"weight must be (C_out, C_in, kh, kw), but got shape {w.shape}")
    o = min(w.shape[0], int(max_filters))
    c = w.shape[1]
    if annotate is None:
        annotate = max(w.shape[2:]) <= 5
    lo, hi = symmetric_limits(w[:o])
    shown = f"first {o} of {w.shape[0]}" if o < w.shape[0] else f"all {o}"
    fig, axes = new_figure(o, c, size=(2.2 * c + 1, 2.1 * o + 0.6), squeeze=False,
                           title=f"Layer weight {tuple(w.shape)}: rows = filters ({shown}), columns = kernels "
                                 f"(one per input channel)")
    for r in range(o):
        for ch in range(c):
            ax = axes[r, ch]
            im = draw_grid(ax, w[r, ch], fmt=lambda v: f"{v:.2g}", cmap=DIVERGING, vmin=lo, vmax=hi,
                           annotate=annotate, title=f"filter {r}, kernel {ch}", fontsize=8,
                           xlabel="kernel column" if r == o - 1 else "", ylabel="kernel row" if ch == 0 else "")
    fig.colorbar(im, ax=axes, shrink=0.6, label="weight")
    return fig


def feature_maps_figure(maps, ncols=8, title="Feature maps", names=None, signed=None):
    """Show ``(C, H, W)`` feature maps as a grid of images on one shared colour scale (one colour bar).

    A shared scale lets the reader see which filters respond strongly; signed maps use a diverging map
    centred on 0, non-negative ones (after ReLU or pooling) a sequential map.

    Examples
    --------
    >>> import numpy as np
    >>> fig = feature_maps_figure(np.zeros((3, 4, 4)), ncols=3)
    >>> fig.axes[0].get_title()
    'map 0'
    """
    m = np.asarray(maps, dtype=float)
    if m.ndim != 3:
        raise ValueError(f"maps must be (C, H, W), but got shape {m.shape}")
    c = m.shape[0]
    ncols = max(1, min(int(ncols), c))
    nrows = -(-c // ncols)
    if signed is None:
        signed = bool(m.min() < 0 < m.max())
    if signed:
        lo, hi = symmetric_limits(m)
        cmap = DIVERGING
    else:
        lo, hi = float(m.min()), float(m.max()) if m.max() > m.min() else float(m.min()) + 1
        cmap = SEQUENTIAL
    fig, axes = new_figure(nrows, ncols, size=(1.7 * ncols + 1.2, 1.8 * nrows + 0.6), squeeze=False,
                           title=f"{title}: {c} maps of {m.shape[1]}x{m.shape[2]}")
    im = None
    for k, ax in enumerate(axes.ravel()):
        if k >= c:
            ax.axis("off")
            continue
        im = ax.imshow(m[k], cmap=cmap, vmin=lo, vmax=hi)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(names[k] if names else f"map {k}", fontsize=9)
        if k % ncols == 0:
            ax.set_ylabel("row")
        if k >= c - ncols:
            ax.set_xlabel("column")
    fig.colorbar(im, ax=axes, shrink=0.7, label="activation")
    return fig


def pooling_figure(x, kernel_size=2, stride=None, shift=0):
    """Max and average pooling of one channel, every cell labelled; optionally the same input shifted.

    With ``shift`` > 0 a second row pools the input moved ``shift`` columns to the right (zeros enter on the
    left) and the titles count how many pooled values changed: the measure of robustness to small shifts.
    Drawn by a :class:`PoolingView` (the explorer's figure), updated once.

    Shape
    -----
    ``x``: ``(H, W)``; outputs ``(floor((H - k) / s) + 1, floor((W - k) / s) + 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> fig = pooling_figure(np.arange(16).reshape(4, 4))
    >>> fig.axes[1].get_title()
    'max pool (2x2)'
    """
    view = PoolingView()
    view.update(x, kernel_size=kernel_size, stride=stride, shift=shift)
    return view.figure


class _IndexedGrid(LiveGrid):
    """A :class:`.live.LiveGrid` numbering its rows and columns with texts, not ticks (a fifth of the
    explorer's redraw: 57 -> 45 ms CPU), and whose title sits at a fixed height (where it goes anyway, the
    numbers being below), which spares matplotlib the search for its place on every draw."""

    def __init__(self, ax, **labels):
        super().__init__(ax, ticks=False, **labels)
        ax.set_title(" ", y=1.0)
        ax.xaxis.labelpad, ax.yaxis.labelpad = 14, 12   # room for the numbers, which the layout does not see

    def show(self, values, *args, **kwargs) -> bool:
        reshaped = super().show(values, *args, **kwargs)
        if reshaped:
            self.show_indices()
        return reshaped


class MultichannelView(GridFigure):
    """The figure of :func:`multichannel_figure`, built once for ``channels`` input channels and redrawn in place.

    :meth:`update` takes :func:`multichannel_figure`'s arguments; an explorer calls it on every change of
    its controls (tens of ms instead of hundreds for a new figure).

    Shape
    -----
    ``channels + 1`` rows of 3 panels; ``x``: ``(channels, H, W)``, ``filter``: ``(channels, kh, kw)``.

    Examples
    --------
    >>> import numpy as np
    >>> view = MultichannelView(2)
    >>> view.update(np.ones((2, 4, 4), int), np.ones((2, 3, 3), int), padding=1)
    True
    >>> view.figure.axes[-1].get_title()
    'output = sum + bias (4x4)'
    >>> view.update(np.ones((2, 4, 4), int), np.ones((2, 3, 3), int), bias=2, padding=1)  # only the data
    False
    """

    def __init__(self, channels: int = 3):
        self.channels = c = int(channels)
        fig, axes = new_figure(c + 1, 3, size=(10.5, 3.0 * (c + 1)), squeeze=False)
        kernel_labels = dict(xlabel="kernel column", ylabel="kernel row")
        self.inputs = [_IndexedGrid(axes[ch, 0]) for ch in range(c)]
        self.kernels = [_IndexedGrid(axes[ch, 1], **kernel_labels) for ch in range(c)]
        self.maps = [_IndexedGrid(axes[ch, 2]) for ch in range(c)]
        self.summed, self.bias, self.output = (_IndexedGrid(axes[c, 0]),
                                               _IndexedGrid(axes[c, 1], xlabel="", ylabel=""),
                                               _IndexedGrid(axes[c, 2]))
        super().__init__(fig, self.inputs + self.kernels + self.maps + [self.summed, self.bias, self.output])

    def update(self, x, filter, bias=0, stride=1, padding=0, position=None, channel_names=None) -> bool:
        x = np.asarray(x)
        f = np.asarray(filter)
        if x.ndim != 3 or f.ndim != 3:
            raise ValueError(f"x must be (C, H, W) and filter (C, kh, kw), but got shapes {x.shape} and {f.shape}")
        if x.shape[0] != f.shape[0]:
            raise ValueError(f"the filter needs one kernel per input channel: x has {x.shape[0]} channels, "
                             f"but the filter has {f.shape[0]} kernels")
        c = x.shape[0]
        if c != self.channels:
            raise ValueError(f"this figure draws {self.channels} channels, but x has {c}")
        kh, kw = f.shape[1:]
        per_channel = [conv2d(x[ch][None, None], f[ch][None, None], stride=stride, padding=padding)[0, 0]
                       for ch in range(c)]
        total = conv2d(x[None], f[None], bias=np.array([bias]), stride=stride, padding=padding)[0, 0]
        out_shape = total.shape
        outlined = position is not None
        if outlined:
            i, j = _check_position(position, out_shape)
        names = channel_names or [f"channel {ch}" for ch in range(c)]
        # every value is valid: only now change the picture
        self.title.set_text(f"One filter ({c}x{kh}x{kw}) on a {c}-channel input (stride {stride}, padding "
                             f"{padding}): {c} kernels -> {c} maps -> summed -> 1 map")
        xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
        pad_mask = np.ones(xp.shape[1:], bool)
        pad_mask[padding:padding + x.shape[1], padding:padding + x.shape[2]] = False
        lim_in = (float(min(x.min(), 0)), float(max(x.max(), 1)))
        lim_f = symmetric_limits(f)
        lim_maps = symmetric_limits(np.concatenate([m.ravel() for m in per_channel] + [total.ravel()]))
        window = [(i * stride, j * stride, kh, kw)] if outlined else []
        cell = [(i, j, 1, 1)] if outlined else []
        maps = dict(cmap=DIVERGING, vmin=lim_maps[0], vmax=lim_maps[1], boxes=cell)
        for ch in range(c):
            self.inputs[ch].show(xp[ch], title=f"input {names[ch]}", padding=pad_mask, boxes=window,
                                 cmap=SEQUENTIAL, vmin=lim_in[0], vmax=lim_in[1])
            self.kernels[ch].show(f[ch], title=f"kernel {ch} of the filter", cmap=DIVERGING, vmin=lim_f[0],
                                  vmax=lim_f[1])
            self.maps[ch].show(per_channel[ch], title=f"kernel {ch} on {names[ch]} alone", **maps)
        self.summed.show(np.sum(per_channel, axis=0), title=f"sum of the {c} maps", **maps)
        lim_b = symmetric_limits([bias])
        self.bias.show([[bias]], title="+ bias (one number per filter)", cmap=DIVERGING, vmin=lim_b[0],
                       vmax=lim_b[1])
        self.output.show(total, title=f"output = sum + bias ({out_shape[0]}x{out_shape[1]})", **maps)
        return self.layout_changed()


class PoolingView(GridFigure):
    """The figure of :func:`pooling_figure`, built once and redrawn in place.

    Two rows of three panels; with ``shift=0`` the second row is hidden and the figure half as tall.

    Shape
    -----
    ``x``: ``(H, W)``; pooled maps ``(floor((H - k) / s) + 1, floor((W - k) / s) + 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> view = PoolingView()
    >>> view.update(np.arange(16).reshape(4, 4), shift=1)
    True
    >>> view.figure.axes[4].get_title()
    'max pool (2x2): 4 of 4 changed'
    """

    def __init__(self):
        fig, axes = new_figure(2, 3, size=(11, 7.2), squeeze=False)
        self.axes = axes
        self._spec = [[ax.get_subplotspec() for ax in row] for row in axes]
        self.rows = [[_IndexedGrid(ax) for ax in row] for row in axes]
        super().__init__(fig, [g for row in self.rows for g in row])

    def update(self, x, kernel_size=2, stride=None, shift=0) -> bool:
        from ..pool import avg_pool2d, max_pool2d

        x = np.asarray(x)
        if x.ndim != 2:
            raise ValueError(f"x must be 2-D (one channel), but got shape {x.shape}")
        stride = kernel_size if stride is None else stride
        if not isinstance(shift, (int, np.integer)) or shift < 0 or shift >= x.shape[1]:
            raise ValueError(f"shift must be an int from 0 to {x.shape[1] - 1} (the input's width - 1), "
                             f"got {shift!r}")
        inputs = [x]
        if shift:
            inputs.append(np.pad(x, ((0, 0), (shift, 0)))[:, :x.shape[1]])
        results = [(max_pool2d(v[None, None], kernel_size, stride)[0, 0],
                    avg_pool2d(v[None, None].astype(float), kernel_size, stride)[0, 0]) for v in inputs]
        # every value is valid: only now change the picture
        self.title.set_text(f"Pooling one channel: window {kernel_size}x{kernel_size}, stride {stride}"
                     + (f"; bottom row: input shifted right by {shift}" if shift else ""))
        self._show_rows(len(inputs))
        lo, hi = float(min(x.min(), 0)), float(max(x.max(), 1))
        colours = dict(cmap=SEQUENTIAL, vmin=lo, vmax=hi)
        for r, (v, (mx, av)) in enumerate(zip(inputs, results)):
            # every pooling window outlined, neighbours in two alternating colours
            a, b = np.indices(mx.shape).reshape(2, -1)
            windows = [(p * stride, q * stride, kernel_size, kernel_size) for p, q in zip(a, b)]
            tint = np.where((a + b) % 2 == 0, "#d62728", "#ff7f0e")
            grid_in, grid_max, grid_avg = self.rows[r]
            grid_in.show(v, title="input" if r == 0 else f"input shifted by {shift}", boxes=windows,
                         box_colours=list(tint), box_width=1.5, **colours)
            tmax = f"max pool ({mx.shape[0]}x{mx.shape[1]})"
            tavg = f"average pool ({av.shape[0]}x{av.shape[1]})"
            if r == 1:
                tmax += f": {int(np.sum(mx != results[0][0]))} of {mx.size} changed"
                tavg += f": {int(np.sum(~np.isclose(av, results[0][1])))} of {av.size} changed"
            grid_max.show(mx, title=tmax, **colours)
            grid_avg.show(av, title=tavg, **colours)
        return self.layout_changed()

    def _show_rows(self, n):
        """Show the first ``n`` (1 or 2) rows of panels, on a figure sized for them."""
        fig = self.figure
        if n == 1:
            gs = self._spec[0][0].get_gridspec()
            specs = [gs[:, j] for j in range(3)]  # the top row takes the whole (half as tall) figure
        else:
            specs = self._spec[0]
        for ax, spec in zip(self.axes[0], specs):
            if ax.get_subplotspec() != spec:
                ax.set_subplotspec(spec)
        for ax in self.axes[1]:
            ax.set_visible(n == 2)
            ax.set_in_layout(n == 2)
        if fig.get_size_inches()[1] != 3.6 * n:
            fig.set_size_inches(11, 3.6 * n)
