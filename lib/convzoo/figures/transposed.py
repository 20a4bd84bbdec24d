"""Figures of chapter 6: transposed convolution and checkerboard artifacts.

- :func:`direct_conv_figure`: a transposed convolution as an ordinary convolution over the zero-inserted,
  padded input (every cell says whether it is an input value, an inserted zero or padding).
- :func:`conv_matrix_figure`: the convolution as a matrix ``C`` (every entry written), and ``C^T y``.
- :func:`overlap_1d_figure` / :func:`overlap_2d_figure`: how many kernel copies land on each output pixel.
- :func:`checkerboard_figure`: the artifact beside the fix (resize, then convolve), on a constant input and
  on a photo.
- :func:`upsamplers_figure`: nearest, bilinear, transposed, max-unpooling and pixel shuffle on tiny inputs.

Every number a reader must check is written in its cell (:func:`.common.draw_grid`).
"""
from __future__ import annotations

import numpy as np

from ..checkerboard import direct_conv_input, overlap_counts, overlap_is_even, overlap_period, resize_conv2d
from ..pool import max_pool2d, max_unpool2d
from ..transpose import conv_matrix, conv_transpose2d
from ..upsample import interpolate, pixel_shuffle
from .common import _grid2d, draw_grid, new_figure, outline, show_image
from .common import _fmt_rounded as _fmt
from .common import _shared_colours as _colours

__all__ = ["direct_conv_figure", "conv_matrix_figure", "overlap_1d_figure", "overlap_2d_figure",
           "checkerboard_figure", "upsamplers_figure", "OVERLAP_CASES"]

OVERLAP_CASES = ((2, 1), (3, 1), (2, 2), (4, 2), (3, 2), (5, 2), (5, 3))
"""The (kernel size, stride) pairs of the chapter's overlap table (after Odena, Dumoulin & Olah 2016)."""


def _hatch(ax, mask, fontsize=9) -> None:
    """Inserted zeros: a dotted, hatched cell with a grey 0 (padding zeros are dashed, by draw_grid)."""
    import matplotlib.patches as mpatches

    for i, j in zip(*np.nonzero(mask)):
        ax.add_patch(mpatches.Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="#fbf3e4", edgecolor="#b35806",
                                        hatch="//", linestyle=":", linewidth=1, zorder=2))
        ax.text(j, i, "0", ha="center", va="center", color="#7f3b08", fontsize=fontsize, zorder=3)


def direct_conv_figure(x, kernel, stride=1, padding=0, output_padding=0, position=(0, 0)):
    """A transposed convolution drawn as a direct convolution over the zero-inserted, padded input.

    Four panels: the input ``x``; the input the direct convolution reads (input values at their places,
    ``stride - 1`` hatched zeros between them, a dashed border of ``k - 1 - padding`` zeros), with the
    window of output ``position`` outlined; the kernel rotated by 180° (what slides); the output, equal to
    ``conv_transpose2d(x, kernel, stride, padding, output_padding)``, with ``position`` outlined.

    Parameters
    ----------
    x : array_like, (H, W)
    kernel : array_like, (k, k)
        The transposed convolution's kernel (as stored in its weight, not flipped).
    stride, padding, output_padding : int
    position : (int, int)
        The output cell whose window is outlined.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = direct_conv_figure([[1, 2], [3, 4]], np.arange(9).reshape(3, 3), stride=2)
    >>> fig.axes[3].get_title()
    'output (5x5)\\n= conv_transpose2d(x, w, stride=2)'
    >>> [t.get_text() for t in fig.axes[3].texts][:5]
    ['0', '1', '2', '2', '4']
    """
    x = _grid2d(x, "x")
    k = _grid2d(kernel, "kernel")
    if k.shape[0] != k.shape[1]:
        raise ValueError(f"kernel must be square (k, k), but got shape {k.shape}")
    values, origin = direct_conv_input(x, k.shape[0], stride, padding, output_padding)
    out = conv_transpose2d(x[None, None], k[None, None], stride=stride, padding=padding,
                           output_padding=output_padding)[0, 0]
    r, c = position
    if not (0 <= r < out.shape[0] and 0 <= c < out.shape[1]):
        raise ValueError(f"position {tuple(position)} is outside the {out.shape[0]}x{out.shape[1]} output")
    kk = k.shape[0]
    pad = kk - 1 - padding
    n, m = values.shape
    widths = [x.shape[1] + 0.6, m + 0.6, kk + 0.6, out.shape[1] + 0.6]
    fig, first = new_figure(size=(0.5 * sum(widths) + 2.4, 0.5 * n + 2.4),
                            title=f"Transposed convolution {x.shape[0]}x{x.shape[1]} -> {out.shape[0]}x{out.shape[1]} "
                                  f"(k={kk}, s={stride}, p={padding}) as an ordinary convolution")
    first.remove()
    gs = fig.add_gridspec(1, 4, width_ratios=widths)
    axes = [fig.add_subplot(gs[0, i]) for i in range(4)]
    colours = _colours(x, values, out)
    small = 9 if n <= 9 else 7
    draw_grid(axes[0], x, fmt=_fmt, title=f"input x ({x.shape[0]}x{x.shape[1]})", **colours)
    shown = np.where(origin >= 0, values, np.nan).astype(float)
    draw_grid(axes[1], shown, fmt=_fmt, padding=origin == -2, highlight=(r, c, kk, kk), **colours,
              title=f"what the convolution reads ({n}x{m})\nhatched: s-1 = {stride - 1} zero(s) between values"
                    f"\ndashed: border of k-1-p = {pad} zeros", fontsize=small)
    _hatch(axes[1], origin == -1, fontsize=small)
    draw_grid(axes[2], k[::-1, ::-1], fmt=_fmt, title="kernel w rotated 180°\n(slides with stride 1)",
              **_colours(k), xlabel="kernel column", ylabel="kernel row")
    call = f"stride={stride}" + (f", padding={padding}" if padding else "") + \
        (f", output_padding={output_padding}" if output_padding else "")
    draw_grid(axes[3], out, fmt=_fmt, highlight=(r, c, 1, 1), **colours,
              title=f"output ({out.shape[0]}x{out.shape[1]})\n= conv_transpose2d(x, w, {call})")
    return fig


def conv_matrix_figure(kernel, input_shape=(4, 4), y=None):
    """The convolution as a matrix ``C``, and the transposed convolution as ``C^T`` applied to an output.

    Left: ``C`` (one row per output pixel, one column per input pixel, row-major), every entry written.
    Middle: a small output-shaped array ``y``. Right: ``C^T y`` reshaped to the input's shape, which equals
    ``conv_transpose2d(y, kernel)``.

    Parameters
    ----------
    kernel : array_like, (k, k)
    input_shape : (int, int)
    y : array_like, optional
        Shaped like the convolution's output; default ``1, 2, 3, ...``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = conv_matrix_figure(np.arange(1, 10).reshape(3, 3))
    >>> fig.axes[0].get_title()
    'C: 4 x 16 (output pixels x input pixels)'
    """
    k = _grid2d(kernel, "kernel")
    C = conv_matrix(k, input_shape)
    h, w = input_shape
    oh, ow = h - k.shape[0] + 1, w - k.shape[1] + 1
    y = np.arange(1, C.shape[0] + 1).reshape(oh, ow) if y is None else np.asarray(y)
    if y.shape != (oh, ow):
        raise ValueError(f"y must have the convolution's output shape ({oh}, {ow}), but got {y.shape}")
    back = (C.T @ y.ravel()).reshape(h, w)
    fig, first = new_figure(size=(max(8.0, 0.42 * C.shape[1] + 5.5), 0.45 * max(C.shape[0], h) + 1.6),
                            title="Convolution as a matrix: C x = conv2d(x, w) and C^T y = conv_transpose2d(y, w)")
    first.remove()
    gs = fig.add_gridspec(1, 3, width_ratios=[C.shape[1], ow + 1.5, w + 1.5])
    ax = [fig.add_subplot(gs[0, i]) for i in range(3)]
    draw_grid(ax[0], C, fmt=_fmt, title=f"C: {C.shape[0]} x {C.shape[1]} (output pixels x input pixels)",
              xlabel="column = input pixel (row-major index)", ylabel="row = output pixel", fontsize=8)
    draw_grid(ax[1], y, fmt=_fmt, title=f"y, {oh}x{ow}\n(an output)")
    draw_grid(ax[2], back, fmt=_fmt, title=f"C^T y, reshaped {h}x{w}")
    return fig


def overlap_1d_figure(cases=OVERLAP_CASES, input_size=5):
    """Overlap counts of 1-D transposed convolutions, one row per ``(k, s)``, every count written.

    Row ``(k, s)`` shows, for each output pixel, how many of the ``input_size`` kernel copies (stamped
    ``s`` apart) cover it. The label says the interior period and whether it is even (``k % s == 0``).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = overlap_1d_figure([(3, 2)], input_size=3)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['1', '1', '2', '1', '2', '1', '1']
    """
    cases = [tuple(c) for c in cases]
    if not cases or any(len(c) != 2 for c in cases):
        raise ValueError(f"cases must be a non-empty list of (kernel_size, stride) pairs, but got {cases!r}")
    rows = [overlap_counts(k, s, input_size) for k, s in cases]
    width = max(r.size for r in rows)
    grid = np.full((len(rows), width), np.nan)
    for i, r in enumerate(rows):
        grid[i, :r.size] = r
    fig, ax = new_figure(size=(0.42 * width + 4.2, 0.5 * len(rows) + 1.7),
                         title=f"How many input values reach each output pixel (1-D, {input_size} inputs)")
    draw_grid(ax, grid, vmin=0, vmax=np.nanmax(grid), fmt=_fmt, xlabel="output pixel",
              ylabel="kernel size k, stride s", title="count = number of kernel copies covering the pixel")
    labels = []
    for k, s in cases:
        period = overlap_period(k, s).tolist()
        labels.append(f"k={k}, s={s}: period {period} " + ("even" if overlap_is_even(k, s) else "UNEVEN"))
    ax.set_yticks(np.arange(len(rows)), labels)
    return fig


def overlap_2d_figure(cases=((3, 2), (4, 2)), input_size=3):
    """Overlap counts of 2-D transposed convolutions: the 1-D pattern times itself, every count written.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = overlap_2d_figure([(3, 2)], input_size=2)
    >>> fig.axes[0].get_title()
    'k=3, s=2: 1-D period [2, 1] -> 2-D values {1, 2, 4}'
    """
    cases = [tuple(c) for c in cases]
    if not cases:
        raise ValueError("cases must name at least one (kernel_size, stride) pair")
    maps = [overlap_counts(k, s, (input_size, input_size)) for k, s in cases]
    top = max(int(m.max()) for m in maps)
    n = max(m.shape[0] for m in maps)
    fig, axes = new_figure(1, len(cases), size=(0.36 * n * len(cases) + 1.8 * len(cases), 0.36 * n + 1.8),
                           squeeze=False,
                           title=f"2-D overlap counts, {input_size}x{input_size} input: row count x column count")
    for ax, (k, s), m in zip(axes[0], cases, maps):
        period = overlap_period(k, s)
        inner = sorted({int(a * b) for a in period for b in period})
        draw_grid(ax, m, vmin=0, vmax=top, fmt=_fmt, fontsize=8 if m.shape[0] > 8 else None,
                  title=f"k={k}, s={s}: 1-D period {period.tolist()} -> 2-D values {{{', '.join(map(str, inner))}}}",
                  xlabel="output column", ylabel="output row")
    return fig


def checkerboard_figure(kernel_size=3, stride=2, image=None, size=4):
    """The checkerboard of a transposed convolution beside resize-then-convolve, with kernels of ones.

    Each row names its input on the left. Top row: a constant input of ones (``size x size``) through a transposed convolution (``k``, ``s``), a
    nearest-neighbour resize by ``s`` then a ``k x k`` convolution, and a bilinear resize then the same
    convolution (every value written). Bottom row (if ``image`` is given): the same three on a grey photo.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = checkerboard_figure(3, 2, size=2)
    >>> fig.axes[0].get_title()
    'transposed conv (k=3, s=2): 5x5'
    """
    k, s = int(kernel_size), int(stride)
    ones_k = np.ones((1, 1, k, k))
    rows = [(f"input: ones, {size}x{size}", np.ones((1, 1, size, size)))]
    if image is not None:
        img = _grid2d(image, "image").astype(float)
        rows.append((f"input: photo, {img.shape[0]}x{img.shape[1]}\n(grey, each panel its own range)", img[None, None]))
    fig, axes = new_figure(len(rows), 3, size=(11, 3.6 * len(rows) + 0.4), squeeze=False,
                           title=f"Upsampling by {s} with a {k}x{k} kernel of ones: transposed convolution "
                                 f"vs resize-then-convolve")
    for r, (name, x) in enumerate(rows):
        outs = [(f"transposed conv (k={k}, s={s})", conv_transpose2d(x, ones_k, stride=s)[0, 0]),
                (f"nearest x{s}, then {k}x{k} conv", resize_conv2d(x, ones_k, s, "nearest")[0, 0]),
                (f"bilinear x{s}, then {k}x{k} conv", resize_conv2d(x, ones_k, s, "bilinear")[0, 0])]
        for c, (title, y) in enumerate(outs):
            ax = axes[r, c]
            title = f"{title}: {y.shape[0]}x{y.shape[1]}"
            if r == 0:
                draw_grid(ax, y, fmt=_fmt, vmin=0, vmax=float(y.max()), title=title,
                          fontsize=7 if y.shape[0] > 8 else None)
            else:
                show_image(ax, y, title=title)
                ax.set_xlabel("column")
                ax.set_ylabel("row")
            if c == 0:                  # say which input the row starts from
                ax.set_ylabel(f"{name}\n\nrow")
    return fig


def upsamplers_figure():
    """Five ways to upsample, on tiny inputs, every value written.

    Top: a 2x2 input, its nearest and bilinear (``align_corners=False``) resizes to 4x4, and a transposed
    convolution with a 2x2 kernel of ones and stride 2 (which equals nearest). Bottom: max-unpooling puts the
    2x2 values back where a 2x2 max-pool of an earlier 4x4 map found its maxima (outlined), zeros elsewhere;
    pixel shuffle moves 4 channels of 2x2 into one 4x4 channel.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = upsamplers_figure()
    >>> [ax.get_title() for ax in fig.axes][:2]
    ['input y, 2x2', 'nearest x2']
    """
    y = np.array([[1, 2], [3, 4]])
    yb = y[None, None].astype(float)
    before = np.array([[5, 1, 0, 2], [2, 3, 7, 1], [0, 9, 1, 1], [4, 2, 3, 8]])
    _, idx = max_pool2d(before[None, None], 2, return_indices=True)
    unpooled = max_unpool2d(y[None, None], idx, 2)[0, 0]
    channels = np.arange(16).reshape(4, 2, 2)
    strip = np.full((2, 11), np.nan)
    for c in range(4):
        strip[:, 3 * c:3 * c + 2] = channels[c]
    panels = [
        ("input y, 2x2", y),
        ("nearest x2", interpolate(yb, scale_factor=(2, 2), mode="nearest")[0, 0]),
        ("bilinear x2", interpolate(yb, scale_factor=2, mode="bilinear")[0, 0]),
        ("transposed, 2x2 ones, s=2", conv_transpose2d(y[None, None], np.ones((1, 1, 2, 2), int), stride=2)[0, 0]),
        ("before pooling (maxima outlined)", before),
        ("max-unpool of y", unpooled),
        ("pixel shuffle input: 4 channels of 2x2", strip),
        ("pixel shuffle output, 1x4x4", pixel_shuffle(channels, 2)[0]),
    ]
    fig, axes = new_figure(2, 4, size=(12.5, 6.4), squeeze=False,
                           title="Upsamplers: fixed (nearest, bilinear), learned (transposed conv),\n"
                                 "index-guided (max-unpool), rearranging (pixel shuffle)")
    for ax, (title, v) in zip(axes.ravel(), panels):
        draw_grid(ax, v, fmt=_fmt, title=title, fontsize=9)
    for flat in idx.ravel():
        outline(axes[1, 0], flat // 4, flat % 4)
    ax = axes[1, 2]
    ax.set_xticks([0.5, 3.5, 6.5, 9.5], [f"channel {c}" for c in range(4)], fontsize=8)
    ax.set_xlabel("")
    return fig
