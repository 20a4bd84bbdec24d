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
"""
from __future__ import annotations

import numpy as np

from .._args import as_array
from ..blocks import squeeze_excitation
from ..cost import conv_macs, conv_params
from ..separable import pointwise_conv2d
from .common import (DIVERGING, SEQUENTIAL, _side_by_side, draw_grid, new_figure, outline, show_image,
                     symmetric_limits)
from .common import _fmt_fixed as _fmt

__all__ = ["pixel_dot_figure", "pixel_matrix_figure", "channel_mix_figure", "bottleneck_cost_figure", "bottleneck_costs",
           "collapse_figure", "squeeze_excitation_figure"]


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


def _blocks(ax, k, h, w, r, c, name):
    """Ticks, block names and the outlined pixel of ``k`` side-by-side ``h x w`` maps."""
    # draw_grid ran with labels=False (no ticks), so each tick is made once, here
    ax.set_xticks([i * (w + 1) + j for i in range(k) for j in range(w)], [str(j) for _ in range(k) for j in range(w)],
                  fontsize=8)
    ax.set_yticks(np.arange(h))
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    for i in range(k):
        ax.annotate(f"{name} {i}", xy=(i * (w + 1) + (w - 1) / 2, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=9)
        outline(ax, r, i * (w + 1) + c)


def pixel_dot_figure(x, w, pixel=(0, 0)):
    """A 1x1 convolution drawn as what it is: at every pixel, a dot product across the channels.

    Left: the ``D`` input channels side by side (each an ``H x W`` grid). Middle: the weight matrix ``(N, D)``
    (row ``n`` is filter ``n``, a ``1x1xD`` filter). Right: the ``N`` output channels. The outlined pixel is the
    same position in every channel; the lines under the outputs write out its dot products,
    ``y[n, r, c] = sum over d of w[n, d] * x[d, r, c]``. No bias, no padding, stride 1: H and W are kept.

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
    >>> print(fig.axes[2].get_xlabel())
    column
    out 0 at (1, 0) = 1*3 + 1*1 = 4
    out 1 at (1, 0) = 2*3 + (-1)*1 = 5
    """
    x, w = _layer(x, w, "pixel_dot_figure")
    d, h, wd = x.shape
    n = w.shape[0]
    if d > 6 or n > 6 or h > 6 or wd > 6:
        raise ValueError(f"the figure labels every cell, so it draws at most 6 channels of at most 6x6; got "
                         f"x of size {tuple(x.shape)} and w of size {tuple(w.shape)}")
    r, c = _pixel(pixel, h, wd)
    y = pointwise_conv2d(x, w)
    widths = [d * (wd + 1) - 1, d + 0.5, n * (wd + 1) - 1]
    natural = 0.42 * sum(widths) + 2.2                  # 0.42 inch per cell, 2.2 inches of labels
    side = max(0.0, (7.5 - natural) / 0.42 / 2)         # empty columns, so a small layer keeps small cells
    fig, ax0 = new_figure(size=(max(7.5, natural), 0.42 * h + 2.3 + 0.17 * n),
                          title=f"1x1 convolution, {d} -> {n} channels (pixel ({r}, {c}) outlined):\n"
                                "at each pixel, one dot product across the channels per output channel")
    ax0.remove()
    grid = fig.add_gridspec(1, 5, width_ratios=[side + 1e-3] + widths + [side + 1e-3])
    axes = [fig.add_subplot(grid[0, k + 1]) for k in range(3)]
    draw_grid(axes[0], _side_by_side(x), **_scale(x), fmt=_fmt, fontsize=9, labels=False)
    _blocks(axes[0], d, h, wd, r, c, "in")
    axes[0].set_title(f"input x: {d} x {h} x {wd}", pad=20)
    draw_grid(axes[1], w, fmt=_fmt, highlight=(0, 0, n, d), fontsize=9, xlabel="input channel d", ylabel="filter n")
    axes[1].set_title(f"weight w: {n} x {d}", pad=20)
    draw_grid(axes[2], _side_by_side(y), **_scale(y), fmt=_fmt, fontsize=9, labels=False)
    _blocks(axes[2], n, h, wd, r, c, "out")
    axes[2].set_title(f"output y: {n} x {h} x {wd}", pad=20)
    lines = [f"out {k} at ({r}, {c}) = {_dot_terms(w[k], x[:, r, c])} = {_fmt(y[k, r, c])}" for k in range(n)]
    axes[2].set_xlabel("\n".join(["column"] + lines), loc="left", fontsize=9)
    return fig


def pixel_matrix_figure(x, w, pixel=(0, 0)):
    """The same 1x1 convolution as one matrix product on the pixel matrix.

    The input ``(D, H, W)`` becomes the **pixel matrix** ``X`` of shape ``(H*W, D)``: one row per pixel (in
    row-major order, row ``r * W + c`` is pixel ``(r, c)``), one column per channel. The layer is
    ``Y = X @ w.T``, ``(H*W, D) @ (D, N) = (H*W, N)``; reshaping ``Y`` back gives the ``N`` output maps.

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
    >>> [t.get_text() for t in fig.axes[2].texts][2:4]                    # row 1 = pixel (0, 1)
    ['1', '5']
    """
    x, w = _layer(x, w, "pixel_matrix_figure")
    d, h, wd = x.shape
    n = w.shape[0]
    if h * wd > 36 or d > 8 or n > 8:
        raise ValueError(f"the figure labels every cell, so it draws at most 36 pixels and 8 channels; got "
                         f"x of size {tuple(x.shape)} and w of size {tuple(w.shape)}")
    r, c = _pixel(pixel, h, wd)
    row = r * wd + c
    X = x.reshape(d, h * wd).T
    Y = X @ w.T
    rows = h * wd
    fig, ax0 = new_figure(size=(0.5 * (d + n + n) + 4.4, 0.3 * rows + 2.2),
                          title=f"The pixel matrix: (H*W, D) @ (D, N) = ({rows}, {d}) @ ({d}, {n}) = ({rows}, {n});"
                                f" row {row} is pixel ({r}, {c})")
    ax0.remove()
    # w.T sits in a middle band d rows tall, so its cells are about as tall as the pixel matrices' cells
    spare = max(rows - d - 2.5, 0) / 2        # 2.5 rows' height for its title and labels
    if spare >= 1:
        grid = fig.add_gridspec(3, 3, width_ratios=[d, n, n], height_ratios=[spare, d + 2.5, spare])
        axes = [fig.add_subplot(grid[:, 0]), fig.add_subplot(grid[1, 1]), fig.add_subplot(grid[:, 2])]
    else:
        grid = fig.add_gridspec(1, 3, width_ratios=[d, n, n])
        axes = [fig.add_subplot(grid[0, k]) for k in range(3)]
    xs = _scale(X)
    draw_grid(axes[0], X, **xs, fmt=_fmt, title=f"X  {X.shape}", fontsize=8, labels=False)
    outline(axes[0], row, 0, 1, d)
    draw_grid(axes[1], w.T, fmt=_fmt, title=f"w.T  {w.T.shape}", fontsize=8, xlabel="filter n",
              ylabel="channel d")
    draw_grid(axes[2], Y, **_scale(Y), fmt=_fmt, title=f"Y = X w.T  {Y.shape}", fontsize=8, labels=False)
    outline(axes[2], row, 0, 1, n)
    labels = [f"{i} ({i // wd},{i % wd})" for i in range(rows)]
    for ax, cols, name in ((axes[0], d, "channel d"), (axes[2], n, "output channel n")):
        ax.set_yticks(np.arange(rows), labels, fontsize=7)       # ticks made once (draw_grid had labels=False)
        ax.set_xticks(np.arange(cols))
        ax.set_xlabel(name)
        ax.set_ylabel("pixel row r*W + c")
    return fig


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


def bottleneck_cost_figure(in_channels=192, mid_channels=16, out_channels=32, kernel_size=5, size=28):
    """Bar chart: a k x k convolution directly, against a 1x1 reduction followed by the k x k convolution.

    Left: multiply-adds (one per weight per output position), right: weights. The bottleneck bar is stacked,
    1x1 part below, k x k part above, each part's count written in it; the title gives the ratio.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = bottleneck_cost_figure()
    >>> fig.axes[0].get_title()
    'multiply-adds: 120,422,400 vs 12,443,648 (9.7x fewer)'
    """
    from matplotlib.ticker import FuncFormatter

    c = bottleneck_costs(in_channels, mid_channels, out_channels, kernel_size, size)
    k = int(kernel_size)
    fig, axes = new_figure(1, 2, size=(9.5, 4.2),
                           title=f"{k}x{k} conv {in_channels} -> {out_channels} channels on {size}x{size}: "
                                 f"directly, or 1x1 to {mid_channels} first")
    names = [f"direct\n{k}x{k}", f"1x1 to {mid_channels},\nthen {k}x{k}"]
    colours = ("#3b528b", "#5ec962", "#21918c")       # viridis samples
    for ax, what, unit in ((axes[0], "macs", "multiply-adds"), (axes[1], "params", "weights")):
        direct, red, conv = c[f"direct_{what}"], c[f"reduce_{what}"], c[f"conv_{what}"]
        total = red + conv
        ax.bar(0, direct, color=colours[0], label=f"{k}x{k} {in_channels} -> {out_channels}: {direct:,}")
        ax.bar(1, red, color=colours[1], label=f"1x1 {in_channels} -> {mid_channels}: {red:,}")
        ax.bar(1, conv, bottom=red, color=colours[2], label=f"{k}x{k} {mid_channels} -> {out_channels}: {conv:,}")
        top = max(direct, total)
        ax.text(0, direct + 0.02 * top, f"{direct:,}", ha="center", va="bottom", fontsize=9)
        ax.text(1, total + 0.02 * top, f"{total:,}", ha="center", va="bottom", fontsize=9)
        ax.set_xticks([0, 1], names)
        ax.set_xlim(-0.6, 1.6)
        ax.set_ylim(0, 1.45 * top)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ratio = direct / total
        verdict = f"{ratio:.1f}x fewer" if ratio >= 1 else f"{1 / ratio:.1f}x more"
        ax.set_title(f"{unit}: {direct:,} vs {total:,} ({verdict})", fontsize=10)
        ax.set_ylabel(unit)
        ax.set_xlabel("layer")
        ax.legend(fontsize=8, loc="upper right")
    return fig


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
