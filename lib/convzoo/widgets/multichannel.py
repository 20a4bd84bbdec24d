"""Explorers of chapter 2: one filter on three channels, and pooling under a shift."""
from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..figures.multichannel import MultichannelView, PoolingView
from .common import explorer

__all__ = ["NAMED_KERNELS", "EXAMPLE_RGB", "RGBView", "draw_multichannel", "multichannel_explorer",
           "EXAMPLE_POOL", "PoolView", "draw_pooling", "pooling_explorer"]

NAMED_KERNELS = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "zero": [[0, 0, 0], [0, 0, 0], [0, 0, 0]],
    "box (sum)": [[1, 1, 1], [1, 1, 1], [1, 1, 1]],
    "Sobel x (vertical edges)": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "Sobel y (horizontal edges)": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "Laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "seed example": [[0, 1, 2], [2, 2, 0], [0, 1, 2]],
}
"""Hand-made 3x3 kernels the explorer offers for each channel (integers, so every sum is checkable)."""

EXAMPLE_RGB = np.array([
    [[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]],
    [[0, 1, 1, 0, 2], [2, 2, 0, 1, 1], [1, 0, 3, 2, 0], [0, 2, 1, 1, 3], [1, 1, 0, 2, 2]],
    [[1, 0, 0, 2, 3], [0, 1, 2, 2, 1], [2, 3, 1, 0, 0], [1, 0, 2, 3, 1], [0, 2, 1, 1, 0]],
])
"""A 3x5x5 integer input ("R, G, B"); its channel 0 is the seed's single-channel example."""

EXAMPLE_POOL = np.array([
    [0, 0, 0, 0, 0, 0],
    [0, 1, 2, 0, 0, 0],
    [0, 2, 9, 3, 0, 0],
    [0, 0, 3, 1, 0, 0],
    [4, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0],
])
"""A 6x6 map with one strong feature (the 9) and a weak one (the 4), for pooling under shifts."""


class RGBView(MultichannelView):
    """The explorer's figure: :data:`EXAMPLE_RGB` under a named kernel per channel, redrawn in place.

    :meth:`update` takes the explorer's controls; it raises ``ValueError`` for an unknown kernel name or an
    output position outside the output, before anything is drawn.

    Shape
    -----
    Input ``(3, 5, 5)``, filter ``(3, 3, 3)``; output ``(floor((5 + 2p - 3) / s) + 1,) * 2``.

    Examples
    --------
    >>> view = RGBView()
    >>> _ = view.update(red="box (sum)", stride=2, out_row=1)
    >>> view.figure.axes[-1].get_title()
    'output = sum + bias (2x2)'
    """

    def __init__(self):
        super().__init__(channels=3)

    def update(self, red="seed example", green="identity", blue="zero", bias=0, stride=1, padding=0,
               out_row=0, out_col=0) -> bool:
        names = (red, green, blue)
        for n in names:
            if n not in NAMED_KERNELS:
                raise ValueError(f"unknown kernel {n!r}; choose one of {sorted(NAMED_KERNELS)}")
        f = np.array([NAMED_KERNELS[n] for n in names])
        return super().update(EXAMPLE_RGB, f, bias=bias, stride=stride, padding=padding,
                              position=(out_row, out_col), channel_names=["R", "G", "B"])


def draw_multichannel(red="seed example", green="identity", blue="zero", bias=0, stride=1, padding=0,
                      out_row=0, out_col=0):
    """Figure for the explorer: the named kernel for each channel of :data:`EXAMPLE_RGB` (an :class:`RGBView`).

    Raises ``ValueError`` for an unknown kernel name or an output position outside the output.

    Shape
    -----
    As :class:`RGBView`.

    Examples
    --------
    >>> draw_multichannel(stride=2).axes[-1].get_title()
    'output = sum + bias (2x2)'
    """
    view = RGBView()
    view.update(red, green, blue, bias=bias, stride=stride, padding=padding, out_row=out_row, out_col=out_col)
    return view.figure


def multichannel_explorer():
    """Pick a kernel per channel, a bias, stride, padding and an output position; see every partial map.

    Returns
    -------
    convzoo.widgets.common.Explorer
    """
    opts = list(NAMED_KERNELS)
    return explorer(
        RGBView(),
        title="One filter, three kernels",
        description="Each kernel sees only its own channel; the filter's output is the sum of the three maps "
                    "plus the bias. The outlined window in every channel gives the outlined output cell.",
        red=W.Dropdown(options=opts, value="seed example", description="kernel R"),
        green=W.Dropdown(options=opts, value="identity", description="kernel G"),
        blue=W.Dropdown(options=opts, value="zero", description="kernel B"),
        bias=W.IntSlider(value=0, min=-5, max=5, description="bias"),
        stride=W.IntSlider(value=1, min=1, max=3, description="stride"),
        padding=W.IntSlider(value=0, min=0, max=2, description="padding"),
        out_row=W.IntSlider(value=0, min=0, max=6, description="output row"),
        out_col=W.IntSlider(value=0, min=0, max=6, description="output col"),
    )


class PoolView(PoolingView):
    """The explorer's figure: :data:`EXAMPLE_POOL` and its shifted copy pooled, redrawn in place.

    Shape
    -----
    Input ``(6, 6)``; pooled ``(floor((6 - k) / s) + 1,) * 2``.

    Examples
    --------
    >>> view = PoolView()
    >>> _ = view.update(kernel_size=3, stride=3, shift=2)
    >>> view.figure.axes[4].get_title()
    'max pool (2x2): 3 of 4 changed'
    """

    def update(self, kernel_size=2, stride=2, shift=1) -> bool:
        return super().update(EXAMPLE_POOL, kernel_size=kernel_size, stride=stride, shift=shift)


def draw_pooling(kernel_size=2, stride=2, shift=1):
    """Figure for the explorer: max and average pooling of :data:`EXAMPLE_POOL` and of its shifted copy.

    Shape
    -----
    As :class:`PoolView`.

    Examples
    --------
    >>> draw_pooling(shift=0).axes[1].get_title()
    'max pool (3x3)'
    """
    view = PoolView()
    view.update(kernel_size, stride, shift)
    return view.figure


def pooling_explorer():
    """Window, stride and a shift of the input: how many pooled values change?

    Returns
    -------
    convzoo.widgets.common.Explorer
    """
    return explorer(
        PoolView(),
        title="Pooling and small shifts",
        description="Shift the input right and count the pooled values that change. A window larger than "
                    "the 6x6 input is refused.",
        kernel_size=W.IntSlider(value=2, min=1, max=8, description="window"),
        stride=W.IntSlider(value=2, min=1, max=4, description="stride"),
        shift=W.IntSlider(value=1, min=0, max=3, description="shift"),
    )
