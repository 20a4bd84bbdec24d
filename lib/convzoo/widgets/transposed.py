"""Explorer of chapter 6: pick a kernel size and a stride, see the overlap map and the checkerboard.

:func:`checkerboard_explorer` has sliders for ``k``, ``s``, the padding and the output padding of a 2-D
transposed convolution, and a switch between a kernel of ones and a random positive kernel. Each setting is
drawn by one :class:`CheckerboardView`, updated in place (the picture of :func:`draw_checkerboard`): the 2-D
overlap counts and the transposed convolution of a constant input (the artifact); the title names the values
that nearest-resize-then-convolve gives instead (the fix). A setting that gives no output (an output size
below 1, an output padding not smaller than the stride) is answered with a message.
"""
from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..checkerboard import overlap_counts, overlap_is_even, overlap_period, resize_conv2d
from ..figures.common import SEQUENTIAL, new_figure
from ..figures.live import GridFigure, LiveGrid
from ..transpose import conv_transpose2d
from .common import explorer

__all__ = ["example_kernel", "CheckerboardView", "draw_checkerboard", "checkerboard_explorer"]

KERNELS = ("ones", "random")


def example_kernel(kernel_size: int, kind: str = "ones") -> np.ndarray:
    """A ``k x k`` kernel: all ones, or random values in ``{0.5, 0.6, ..., 1.5}`` (seeded, so always the same).

    Examples
    --------
    >>> example_kernel(2)
    array([[1., 1.],
           [1., 1.]])
    >>> example_kernel(2, "random").round(1).tolist()
    [[1.1, 0.8], [0.5, 0.5]]
    """
    if kind not in KERNELS:
        raise ValueError(f"kernel must be 'ones' or 'random', but got {kind!r}")
    if kind == "ones":
        return np.ones((kernel_size, kernel_size))
    rng = np.random.default_rng(0)
    return np.round(rng.uniform(0.5, 1.5, (kernel_size, kernel_size)), 1)


def _fmt(v) -> str:
    v = float(v)
    return f"{v:g}" if v.is_integer() else f"{v:.1f}"


class CheckerboardView(GridFigure):
    """Overlap counts and the artifact of one transposed convolution (see :func:`draw_checkerboard`), updated
    in place from setting to setting.

    The figure keeps one size whatever the output's size (the cells grow or shrink instead), and its margins
    hold the same texts (two-line titles, fixed axis labels, no ticks), so it is laid out once.

    Shape
    -----
    Two ``(O, O)`` grids, ``O = (input_size - 1) * stride - 2 * padding + kernel_size + output_padding``.

    Examples
    --------
    >>> view = CheckerboardView()
    >>> view.update(3, 2), view.update(4, 2)
    (True, False)
    >>> view.figure.axes[0].get_title()
    'overlap counts (8x8)\\n1-D period [2, 2]'
    """

    def __init__(self):
        # the largest output the explorer's sliders give is 18x18: its cells are still wide enough for "12.3"
        fig, axes = new_figure(1, 2, size=(9.5, 5.6))
        super().__init__(fig, [LiveGrid(ax, xlabel="output column", ylabel="output row", ticks=False)
                               for ax in axes])
        self.suptitle = self.title  # the name this view has always given its suptitle

    def update(self, kernel_size=3, stride=2, padding=0, output_padding=0, kernel="ones", input_size=3) -> bool:
        k, s = int(kernel_size), int(stride)
        w = example_kernel(k, kernel)
        counts = overlap_counts(k, s, (input_size, input_size), padding, output_padding)
        x = np.ones((1, 1, input_size, input_size))
        out = conv_transpose2d(x, w[None, None], stride=s, padding=padding, output_padding=output_padding)[0, 0]
        fixed = resize_conv2d(x, w[None, None], s, "nearest")[0, 0]
        # interior of the fix: outputs whose k x k window lies inside the resized input (no padding zeros read)
        pad, big = (k - 1) // 2, s * input_size
        inner = np.unique(fixed[pad:pad + big - k + 1, pad:pad + big - k + 1])
        even = overlap_is_even(k, s)
        n = out.shape[0]
        self.title.set_text(
            f"k={k}, s={s}, p={padding}, output_padding={output_padding}: k % s = {k % s}, "
            f"overlap {'even' if even else 'UNEVEN'}\nfix (nearest x{s}, then the same conv): "
            + (f"interior values {', '.join(_fmt(v) for v in inner[:4])}{' (flat)' if inner.size == 1 else ''}"
               if inner.size else "no interior (the kernel is wider than the resized input)"))
        size = 9 if n <= 9 else 7
        # counts and sums of positive weights: each panel coloured from 0 to its own largest value
        self.grids[0].show(counts, fmt=_fmt, fontsize=size, cmap=SEQUENTIAL, vmin=0.0, vmax=float(counts.max()),
                           title=f"overlap counts ({counts.shape[0]}x{counts.shape[1]})\n"
                                 f"1-D period {overlap_period(k, s).tolist()}")
        self.grids[1].show(out, fmt=_fmt, fontsize=size, cmap=SEQUENTIAL, vmin=0.0, vmax=float(out.max()),
                           title=f"artifact: conv_transpose2d of\nones with the {kernel} kernel")
        return self.layout_changed()


def draw_checkerboard(kernel_size=3, stride=2, padding=0, output_padding=0, kernel="ones", input_size=3):
    """Overlap counts, the transposed convolution of a constant input, and resize-then-convolve.

    Two panels, every value written: the 2-D overlap counts of ``conv_transpose2d`` with these settings
    (:func:`convzoo.overlap_counts`), and its output for an ``input_size x input_size`` input of ones with
    the chosen kernel (for a kernel of ones this *is* the overlap map). The title gives the interior values of
    ``resize_conv2d`` (nearest, by ``stride``) with the same kernel: one value, flat, for any kernel. Drawn by
    a :class:`CheckerboardView`.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When the setting has no output (e.g. ``output_padding >= stride``, or padding larger than the output).

    Examples
    --------
    >>> fig = draw_checkerboard(3, 2)
    >>> fig.axes[0].get_title()
    'overlap counts (7x7)\\n1-D period [2, 1]'
    """
    view = CheckerboardView()
    view.update(kernel_size, stride, padding, output_padding, kernel, input_size)
    return view.figure


def checkerboard_explorer(kernel_size=3, stride=2):
    """Sliders for ``k``, ``s``, padding and output padding; the overlap map and the artifact (and the fix's values).

    Returns
    -------
    convzoo.widgets.common.Explorer
        ``controls`` holds ``kernel_size``, ``stride``, ``padding``, ``output_padding`` and ``kernel``.
    """
    return explorer(
        CheckerboardView(),
        title="Checkerboard artifacts of a transposed convolution",
        description="A constant 3x3 input is upsampled. Uneven overlap (k not divisible by s) makes a "
                    "checkerboard; a random kernel can make one even when the overlap is even.",
        kernel_size=W.IntSlider(value=kernel_size, min=1, max=7, description="kernel k"),
        stride=W.IntSlider(value=stride, min=1, max=4, description="stride s"),
        padding=W.IntSlider(value=0, min=0, max=4, description="padding p"),
        output_padding=W.IntSlider(value=0, min=0, max=3, description="output_pad"),
        kernel=W.ToggleButtons(options=list(KERNELS), value="ones", description="kernel"),
    )
