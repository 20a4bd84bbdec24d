"""Figures of chapter 7: dilated (atrous) convolution.

- :func:`dilated_kernel_figure`: one 3x3 kernel at rates 1, 2, 3: the same 9 weights spread over a 3x3,
  5x5, 7x7 span, the gaps drawn as fixed zeros.
- :func:`dilated_slide_figure`: a dilated convolution on a small grid: the taps of one window outlined on
  the input, the sum of products written, the whole output beside it.
- :func:`receptive_field_figure`: receptive field of a stack of 3x3 layers, rate 1 everywhere (linear
  growth) against rates 1, 2, 4, ... (exponential growth), from :func:`convzoo.receptive_field`.
- :func:`footprint_figure`: which input pixels reach one output, and by how many paths, for several stacks
  (gridding: 2, 2, 2 sees a sparse lattice; 1, 2, 3 sees every pixel of the same 13x13 field).
- :func:`causal_stack_figure`: WaveNet's dilated causal 1-D stack, the connections that reach the last output.
- :func:`gridding_effect_figure`: a fine checkerboard pattern through averaging stacks: the gridded stack
  passes it untouched, the hybrid one smooths it away.

Every number a reader must check is written in its cell (:func:`.common.draw_grid`).
"""
from __future__ import annotations

import numpy as np

from ..conv import conv2d
from ..dilated import dilate_kernel, footprint
from ..shapes import receptive_field
from .common import SEQUENTIAL, _grid2d, draw_grid, new_figure, outline, show_image
from .common import _fmt_rounded as _fmt

__all__ = ["dilated_kernel_figure", "dilated_slide_figure", "receptive_field_figure", "footprint_figure",
           "causal_stack_figure", "gridding_effect_figure", "rates_label", "EXAMPLE_KERNEL"]

EXAMPLE_KERNEL = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])
"""Chapter 2's worked-example kernel (Dumoulin & Visin), reused so the numbers are familiar."""


def rates_label(rates) -> str:
    """``[1, 2, 4]`` -> ``'1, 2, 4'`` (how the chapter writes a stack of dilation rates)."""
    return ", ".join(str(int(r)) for r in rates)


def dilated_kernel_figure(kernel=EXAMPLE_KERNEL, rates=(1, 2, 3)):
    """The same kernel at several dilation rates: its weights spread apart, the gaps fixed at zero.

    Each panel is the dense kernel that the dilated one equals (:func:`convzoo.dilate_kernel`): the
    weights in coloured cells, the ``d - 1`` inserted gaps as dashed cells holding 0.

    Examples
    --------
    >>> fig = dilated_kernel_figure(rates=(1, 2))
    >>> fig.axes[1].get_title()
    'd = 2: spans 5x5, 9 weights'
    """
    k = _grid2d(kernel, "kernel")
    rates = [int(r) for r in rates]
    if not rates or min(rates) < 1:
        raise ValueError(f"rates must be positive ints, but got {rates}")
    spans = [d * (max(k.shape) - 1) + 1 for d in rates]
    fig, axes = new_figure(1, len(rates), size=(0.42 * sum(spans) + 1.6 * len(rates), 0.42 * max(spans) + 1.6),
                           squeeze=False, title=f"One {k.shape[0]}x{k.shape[1]} kernel at dilation rates "
                                                f"{rates_label(rates)}: same weights, wider span")
    vmax = float(k.max()) if k.min() >= 0 else None
    for ax, d in zip(axes[0], rates):
        dense = dilate_kernel(k[None, None], d)[0, 0]
        gap = np.ones(dense.shape, dtype=bool)
        gap[::d, ::d] = False
        draw_grid(ax, dense, fmt=_fmt, padding=gap, cmap=SEQUENTIAL if vmax is not None else None,
                  vmin=0 if vmax is not None else None, vmax=vmax,
                  title=f"d = {d}: spans {dense.shape[0]}x{dense.shape[1]}, {k.size} weights")
    return fig


def dilated_slide_figure(x, kernel=EXAMPLE_KERNEL, dilation=2, position=(0, 0)):
    """A dilated convolution on a small grid: one window's taps on the input, its sum, the whole output.

    The output is :func:`convzoo.conv2d` (stride 1, no padding) at ``dilation``; the taps that make output
    ``position`` are outlined on the input, and the panel's title writes the sum of products.

    Examples
    --------
    >>> x = np.arange(49).reshape(7, 7) % 5
    >>> fig = dilated_slide_figure(x, dilation=2, position=(1, 2))
    >>> fig.axes[1].get_title().split(" = ")[0]
    'output: 3x3, y[1, 2]'
    """
    x = _grid2d(x, "input")
    k = _grid2d(kernel, "kernel")
    d = int(dilation)
    if d < 1:
        raise ValueError(f"dilation must be positive, but got dilation={dilation!r}")
    y = conv2d(x[None, None], k[None, None], dilation=d)[0, 0]  # raises if the span exceeds the input
    r, c = position
    if not (0 <= r < y.shape[0] and 0 <= c < y.shape[1]):
        raise ValueError(f"position {tuple(position)} is outside the {y.shape[0]}x{y.shape[1]} output")
    kh, kw = k.shape
    terms = [f"{_fmt(k[a, b])}·{_fmt(x[r + d * a, c + d * b])}" for a in range(kh) for b in range(kw)]
    fig, (ax_in, ax_out) = new_figure(1, 2, size=(0.45 * (x.shape[1] + y.shape[1]) + 4.0, 0.45 * x.shape[0] + 2.4),
                                      title=f"{kh}x{kw} kernel at dilation {d} on a {x.shape[0]}x{x.shape[1]} input "
                                            f"(stride 1, no padding)")
    draw_grid(ax_in, x, fmt=_fmt, title=f"input: the {k.size} taps of window {r, c}")
    for a in range(kh):
        for b in range(kw):
            outline(ax_in, r + d * a, c + d * b)
    draw_grid(ax_out, y, fmt=_fmt, highlight=(r, c, 1, 1),
              title=f"output: {y.shape[0]}x{y.shape[1]}, y[{r}, {c}] = {_fmt(y[r, c])}")
    half = (len(terms) + 1) // 2
    fig.supxlabel(f"y[{r}, {c}] = " + " + ".join(terms[:half]) + "\n+ " + " + ".join(terms[half:])
                  + f" = {_fmt(y[r, c])}", fontsize=10)
    return fig


def receptive_field_figure(n_layers=6, kernel_size=3):
    """Receptive field after each layer: rate 1 everywhere against rates doubling 1, 2, 4, ...

    Both curves come from :func:`convzoo.receptive_field`; every point is labelled with its size.

    Examples
    --------
    >>> fig = receptive_field_figure(4)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['3', '5', '7', '9', '3', '7', '15', '31']
    """
    n = int(n_layers)
    if not 1 <= n <= 12:
        raise ValueError(f"n_layers must be between 1 and 12, but got {n_layers!r}")
    k = int(kernel_size)
    depth = np.arange(1, n + 1)
    plain = [r.size for r in receptive_field([(k, 1, 0, 1)] * n)]
    dilated = [r.size for r in receptive_field([(k, 1, 0, 2 ** i) for i in range(n)])]
    fig, ax = new_figure(size=(6.4, 4.0), title=f"Receptive field of a stack of {k}x{k} layers (stride 1)")
    for sizes, label, colour, marker, dy in [(plain, "d = 1 in every layer (linear)", "#3b528b", "o", -15),
                                             (dilated, "d = 1, 2, 4, ... (exponential)", "#5ec962", "s", 6)]:
        ax.plot(depth, sizes, marker=marker, color=colour, label=label)
        for x_, s in zip(depth, sizes):
            ax.annotate(str(s), (x_, s), textcoords="offset points", xytext=(0, dy), ha="center", fontsize=9,
                        color=colour if dy < 0 else "black")
    ax.set_xticks(depth)
    doubling = "2^(n+1) - 1" if k == 3 else f"{k - 1}(2^n - 1) + 1"  # for k = 3 the form the chapter uses
    ax.set_title(f"n layers see {k - 1}n + 1 (linear) or {doubling} (doubling rates)")
    ax.set_xlabel("number of layers")
    ax.set_ylabel("receptive field (input pixels per axis)")
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    return fig


def footprint_figure(stacks=((2, 2, 2), (1, 2, 3)), kernel_size=3, annotate=None):
    """Which input pixels reach one output pixel, and by how many paths, for each stack of rates.

    Each panel is :func:`convzoo.footprint` of one stack, centred on the output (offset 0, 0), drawn on the
    largest receptive field of all panels so they compare at one scale; cells outside a stack's field are
    blank, cells inside it (outlined in black) that no path reaches are grey 0s: the gridding holes.

    Examples
    --------
    >>> fig = footprint_figure([(2, 2, 2), (1, 2, 3)])
    >>> [ax.get_title() for ax in fig.axes[:2]]
    ['d = 2, 2, 2\\n49 of 169 pixels reached', 'd = 1, 2, 3\\n169 of 169 pixels reached']
    """
    from matplotlib.ticker import MaxNLocator

    stacks = [tuple(int(d) for d in s) for s in stacks]
    if not stacks:
        raise ValueError("stacks is empty: give at least one stack of rates, e.g. [(2, 2, 2)]")
    counts = [footprint(s, kernel_size, ndim=2) for s in stacks]
    size = max(c.shape[0] for c in counts)
    if annotate is None:
        annotate = size <= 15
    half = (size - 1) // 2
    cell = 0.36 if annotate else 0.2
    fig, axes = new_figure(1, len(stacks), size=(len(stacks) * (cell * size + 1.6) + 0.4, cell * size + 1.8),
                           squeeze=False, title=f"Paths from each input pixel to one output ({kernel_size}x{kernel_size} "
                                                f"layers, stride 1)")
    for ax, s, c in zip(axes[0], stacks, counts):
        grid = np.full((size, size), np.nan)
        o = (size - c.shape[0]) // 2
        grid[o:o + c.shape[0], o:o + c.shape[1]] = c
        reached, total = int(np.count_nonzero(c)), c.size
        holes = grid == 0
        grid[holes] = np.nan  # drawn below as grey cells holding 0, so they never pass for a count of 1
        im = draw_grid(ax, grid, cmap=SEQUENTIAL, vmin=1, vmax=max(float(c.max()), 2.0), annotate=annotate,
                       fontsize=6 if size > 9 else None,
                       title=f"d = {rates_label(s)}\n{reached} of {total} pixels reached",
                       xlabel="column offset from the output", ylabel="row offset from the output")
        _holes(ax, holes, annotate)
        outline(ax, o, o, c.shape[0], c.shape[1], colour="black", linewidth=1.5)
        ticks = np.arange(0, size, 2 if size > 9 else 1)
        ax.set_xticks(ticks, [str(t - half) for t in ticks], fontsize=7)
        ax.set_yticks(ticks, [str(t - half) for t in ticks], fontsize=7)
        # path counts are whole numbers: no 1.5 or 2.5 ticks on the colour bar
        fig.colorbar(im, ax=ax, shrink=0.7, label="paths", ticks=MaxNLocator(integer=True))
    return fig


def _holes(ax, mask, annotate=True) -> None:
    """Cells inside the receptive field that no path reaches: grey, with a 0 when values are written."""
    import matplotlib.patches as mpatches

    for i, j in zip(*np.nonzero(mask)):
        ax.add_patch(mpatches.Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="#d9d9d9", edgecolor="white",
                                        linewidth=0.5, zorder=2))
        if annotate:
            ax.text(j, i, "0", ha="center", va="center", color="#555555", fontsize=6, zorder=3)


def causal_stack_figure(dilations=(1, 2, 4, 8), kernel_size=2, length=None):
    """WaveNet's dilated causal stack: every unit as a dot, the connections that reach the last output drawn.

    Row 0 is the input, row ``n`` the output of layer ``n``. Each unit at time ``t`` of layer ``n`` reads
    layer ``n - 1`` at ``t, t - d_n, ..., t - d_n (k - 1)``: never the future (causal). The input row
    writes how many paths lead from each input to the last output.

    Examples
    --------
    >>> fig = causal_stack_figure((1, 2, 4, 8))
    >>> fig.axes[0].get_title()
    'output t sees inputs t-15 .. t: 16 of 16 reached, 1 path each'
    """
    rates = [int(d) for d in dilations]
    k = int(kernel_size)
    if not rates or min(rates) < 1 or k < 2:
        raise ValueError(f"need positive rates and kernel_size >= 2, but got dilations={dilations!r}, "
                         f"kernel_size={kernel_size!r}")
    field = 1 + sum(d * (k - 1) for d in rates)
    length = field if length is None else int(length)
    if length < field:
        raise ValueError(f"length {length} is shorter than the receptive field {field}")
    counts = footprint(rates, k, ndim=1)
    fig, ax = new_figure(size=(0.42 * length + 2.2, 0.75 * len(rates) + 2.2),
                         title=f"Dilated causal stack, k = {k}, dilations {rates_label(rates)} (WaveNet)")
    t_last = length - 1
    active = {t_last}
    for layer in range(len(rates), 0, -1):
        d = rates[layer - 1]
        below = set()
        for t in active:
            for j in range(k):
                s = t - j * d
                ax.plot([t, s], [layer, layer - 1], color="#21918c", linewidth=1.3, zorder=1)
                below.add(s)
        active = below
    for layer in range(len(rates) + 1):
        ax.scatter(range(length), [layer] * length, s=28, facecolor="white", edgecolor="grey", zorder=2)
    ax.scatter(sorted(active), [0] * len(active), s=40, color="#440154", zorder=3)
    ax.scatter([t_last], [len(rates)], s=60, color="#fde725", edgecolor="black", zorder=3)
    first = t_last - field + 1
    for j, c in enumerate(counts):
        ax.text(first + j, -0.45, str(int(c)), ha="center", va="top", fontsize=8)
    reached = int(np.count_nonzero(counts))
    paths = "1 path each" if np.all(counts == 1) else f"{int(counts.sum())} paths"
    ax.set_title(f"output t sees inputs t-{field - 1} .. t: {reached} of {field} reached, {paths}")
    ax.set_yticks(range(len(rates) + 1),
                  ["input"] + [f"layer {n + 1} (d={d})" for n, d in enumerate(rates)])
    ax.set_xticks(range(length), [str(t - t_last) if t != t_last else "t" for t in range(length)], fontsize=7)
    ax.set_xlabel("time step (relative to the last output t); numbers under the input: paths to the output")
    ax.set_ylabel("layer")
    ax.set_ylim(-1.0, len(rates) + 0.5)
    return fig


def gridding_effect_figure(image=None, stacks=((2, 2, 2), (1, 2, 3)), kernel_size=3):
    """A fine pattern through stacks of averaging layers: the gridded stack cannot see it, so passes it on.

    Every layer is a ``k x k`` average (all weights ``1/k^2``) at its rate, 'valid' (no padding). With only
    even rates each output is made of inputs of its own row and column parity, so a pixel-level
    checkerboard comes out unchanged; a stack with rate 1 in it mixes neighbours and flattens it.

    Examples
    --------
    >>> fig = gridding_effect_figure()
    >>> fig.axes[1].get_title().splitlines()[0]
    'd = 2, 2, 2'
    """
    if image is None:
        image = np.indices((24, 24)).sum(axis=0) % 2
    x = _grid2d(image, "image").astype(float)
    k = int(kernel_size)
    w = np.full((1, 1, k, k), 1.0 / (k * k))
    outs = []
    for s in stacks:
        y = x[None, None]
        for d in s:
            y = conv2d(y, w, dilation=int(d))  # raises if the image is too small for the stack
        outs.append(y[0, 0])
    fig, axes = new_figure(1, len(stacks) + 1, size=(3.7 * (len(stacks) + 1) + 0.8, 3.8), squeeze=False,
                           title=f"A pixel checkerboard through stacks of {k}x{k} averages ('valid')")
    axes = axes[0]
    im = show_image(axes[0], x, cmap="cividis", signed=False, title=f"input {x.shape[0]}x{x.shape[1]}")
    im.set_clim(0, 1)
    for ax, s, y in zip(axes[1:], stacks, outs):
        im = show_image(ax, y, cmap="cividis", signed=False,
                        title=f"d = {rates_label(s)}\n{y.shape[0]}x{y.shape[1]} output, "
                              f"values {y.min():.2f} .. {y.max():.2f}")
        im.set_clim(0, 1)
    for ax in axes:
        ax.set_xlabel("column")
        ax.set_ylabel("row")
    fig.colorbar(im, ax=list(axes), shrink=0.8, label="value")
    return fig
