"""Explorer of chapter 10: choose the channels and the groups, see the weight's blocks and what they cost.

:func:`grouped_explorer` has sliders for ``C_in``, ``C_out``, the number of groups ``g`` and the kernel size.
Each setting is drawn in place by one :class:`convzoo.figures.grouped.WeightStructureView` (the picture of
:func:`draw_grouped`, :func:`convzoo.figures.grouped.weight_structure_figure`):
which input channels each output channel reads, the ``(C_out, C_in)`` grid of groups, and the parameter
count against ``groups=1``. A ``g`` that does not divide both channel counts gets a message that lists the
``g`` that would.
"""
from __future__ import annotations

import ipywidgets as W

from ..figures.grouped import WeightStructureView, weight_structure_figure
from .common import explorer

__all__ = ["draw_grouped", "grouped_explorer"]


def draw_grouped(in_channels=8, out_channels=8, groups=2, kernel_size=3):
    """The figure of one setting (see :func:`convzoo.figures.grouped.weight_structure_figure`).

    Examples
    --------
    >>> fig = draw_grouped(6, 6, 3)
    >>> fig._suptitle.get_text().splitlines()[0]
    'groups=3: each group maps 2 -> 2 channels'
    >>> draw_grouped(6, 6, 4)
    Traceback (most recent call last):
    ...
    ValueError: groups=4 does not divide in_channels=6 (6 / 4 is not a whole number of channels per group); with 6 input and 6 output channels, groups can be 1, 2, 3 or 6
    """
    return weight_structure_figure(int(in_channels), int(out_channels), int(groups), int(kernel_size))


def grouped_explorer(in_channels=8, out_channels=8, groups=2, kernel_size=3):
    """Sliders for ``C_in``, ``C_out``, ``g`` and ``k``; the weight's block structure and its parameters.

    Parameters
    ----------
    in_channels, out_channels : int
        Starting channel counts (1 to 16).
    groups : int
        Starting number of groups (1 to 16).
    kernel_size : int
        Starting kernel size (1 to 7).

    Returns
    -------
    convzoo.widgets.common.Explorer
        ``controls`` holds ``in_channels``, ``out_channels``, ``groups`` and ``kernel_size``.
    """
    slider = lambda value, lo, hi, text: W.IntSlider(value=value, min=lo, max=hi, description=text,  # noqa: E731
                                                     continuous_update=False)
    return explorer(
        WeightStructureView(),
        title="Grouped convolution: which channels meet, and what it costs",
        description="Each of the g groups maps C_in / g input channels to C_out / g output channels with its own "
                    "filters. Change the channels and the groups; a g that does not divide both channel counts "
                    "gets a message.",
        in_channels=slider(in_channels, 1, 16, "C_in"),
        out_channels=slider(out_channels, 1, 16, "C_out"),
        groups=slider(groups, 1, 16, "groups g"),
        kernel_size=slider(kernel_size, 1, 7, "kernel k"),
    )
