"""Explorers of chapter 4: a 1x1 convolution pixel by pixel or as one matrix product, and the bottleneck's cost."""
from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..figures.pointwise import (VIEWS, BottleneckView, PointwiseView, bottleneck_cost_figure, pixel_dot_figure,
                                pixel_matrix_figure)
from .common import explorer

__all__ = ["EXAMPLE_X", "EXAMPLE_W", "VIEWS", "ExampleLayerView", "draw_pointwise", "pointwise_explorer",
           "draw_bottleneck", "bottleneck_explorer"]

EXAMPLE_X = np.random.default_rng(0).integers(0, 4, size=(4, 3, 3))
"""A 4x3x3 integer input (4 channels of 3x3); the explorer uses its first ``d_in`` channels."""

EXAMPLE_W = np.array([[1, 1, 1, 1], [1, -1, 0, 0], [0, 2, -1, 1], [-1, 0, 2, 1]])
"""A 4x4 integer weight; the explorer uses its top-left ``d_out x d_in`` block (filter n = row n): filter 0
sums the channels, filter 1 takes the difference of the first two, the others mix them."""


def _example(d_in, d_out, row, col, view):
    """The first ``d_in`` channels of :data:`EXAMPLE_X` and the ``d_out x d_in`` block of :data:`EXAMPLE_W`,
    after checking the explorer's setting (ValueError naming what is wrong)."""
    for name, v in (("d_in", d_in), ("d_out", d_out)):
        if not 1 <= v <= EXAMPLE_W.shape[0]:
            raise ValueError(f"{name} must be between 1 and {EXAMPLE_W.shape[0]}, but got {v}")
    if view not in VIEWS:
        raise ValueError(f"view must be one of {list(VIEWS)}, but got {view!r}")
    x, w = EXAMPLE_X[:d_in], EXAMPLE_W[:d_out, :d_in]
    h, wd = x.shape[1:]
    if not (0 <= row < h and 0 <= col < wd):
        raise ValueError(f"pixel ({row}, {col}) is outside the {h}x{wd} map: a 1x1 convolution keeps H and W, "
                         f"so rows and columns run from 0 to {h - 1}")
    return x, w


def draw_pointwise(d_in=3, d_out=2, row=1, col=0, view="per pixel"):
    """Figure for the explorer: the first ``d_in`` channels of :data:`EXAMPLE_X` through a ``d_in -> d_out`` 1x1 conv.

    Raises ``ValueError`` for channel counts outside 1..4, a pixel outside the 3x3 map, or an unknown view.

    Examples
    --------
    >>> fig = draw_pointwise(d_in=2, d_out=1, row=0, col=0)
    >>> fig._supxlabel.get_text()
    'out 0 at (0, 0) = 1*3 + 1*3 = 6'
    """
    x, w = _example(d_in, d_out, row, col, view)
    draw = pixel_dot_figure if view == "per pixel" else pixel_matrix_figure
    return draw(x, w, pixel=(row, col))


class ExampleLayerView(PointwiseView):
    """The explorer's picture: :func:`draw_pointwise`'s, one :class:`~convzoo.figures.pointwise.PointwiseView`
    made for the largest example layer (4 -> 4 channels on 3x3) and updated in place with the controls' values.

    Shape
    -----
    ``update(d_in, d_out, row, col, view)`` draws ``x (d_in, 3, 3)`` through ``w (d_out, d_in)``.

    Examples
    --------
    >>> v = ExampleLayerView()
    >>> v.update(d_in=2, d_out=1, row=0, col=0), v.figure._supxlabel.get_text().strip()
    (True, 'out 0 at (0, 0) = 1*3 + 1*3 = 6')
    >>> v.update(d_in=3, d_out=2, row=1, col=0)          # the same margins: no new layout
    False
    """

    def __init__(self):
        super().__init__(channels=EXAMPLE_X.shape[0], filters=EXAMPLE_W.shape[0], height=EXAMPLE_X.shape[1],
                         width=EXAMPLE_X.shape[2])

    def update(self, d_in=3, d_out=2, row=1, col=0, view="per pixel") -> bool:
        x, w = _example(d_in, d_out, row, col, view)
        return super().update(x, w, pixel=(row, col), view=view)


def pointwise_explorer():
    """Choose input and output channels, a pixel, and the view: per-pixel dot products or the pixel matrix.

    Returns
    -------
    convzoo.widgets.common.Explorer
    """
    return explorer(
        ExampleLayerView(),
        title="A 1x1 convolution, pixel by pixel",
        description="Each output channel is one row of the weight; at the outlined pixel it takes the dot product "
                    "with that pixel's channel values. The 'pixel matrix' view shows every pixel's dot products "
                    "at once, as one matrix product. Try a pixel outside the 3x3 map.",
        d_in=W.IntSlider(value=3, min=1, max=4, description="D_in"),
        d_out=W.IntSlider(value=2, min=1, max=4, description="D_out"),
        row=W.IntSlider(value=1, min=0, max=3, description="pixel row"),
        col=W.IntSlider(value=0, min=0, max=3, description="pixel col"),
        view=W.ToggleButtons(options=list(VIEWS), value="per pixel", description="view"),
    )


def draw_bottleneck(in_channels=192, mid_channels=16, out_channels=32, kernel_size=5, size=28):
    """Figure for the explorer: :func:`convzoo.figures.pointwise.bottleneck_cost_figure`.

    Raises ``ValueError`` for an even kernel (it cannot keep the size with equal padding on both sides).
    """
    return bottleneck_cost_figure(in_channels, mid_channels, out_channels, kernel_size, size)


def bottleneck_explorer():
    """Channels before, inside and after the bottleneck, the kernel size and the map size: the cost bars.

    Returns
    -------
    convzoo.widgets.common.Explorer
    """
    return explorer(
        BottleneckView(),
        title="What a 1x1 reduction saves",
        description="Multiply-adds and weights of a k x k convolution with 'same' padding, directly and after a "
                    "1x1 convolution that reduces the channels. Make the bottleneck wider than the input and "
                    "it costs more, not less.",
        in_channels=W.IntSlider(value=192, min=8, max=512, step=8, description="C_in"),
        mid_channels=W.IntSlider(value=16, min=1, max=256, description="C_mid"),
        out_channels=W.IntSlider(value=32, min=1, max=256, description="C_out"),
        kernel_size=W.IntSlider(value=5, min=1, max=7, description="kernel"),
        size=W.IntSlider(value=28, min=1, max=112, description="H = W"),
    )
