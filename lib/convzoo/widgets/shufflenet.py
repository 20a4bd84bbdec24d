"""Explorer of chapter 12: what one ResNet, ResNeXt and ShuffleNet unit cost, for any c, m, g and h = w.

:func:`unit_cost_explorer` has sliders for the unit's channels ``c``, its bottleneck ``m``, the groups ``g``
and the feature-map size ``h = w``. Each setting is drawn in place by one
:class:`convzoo.figures.shufflenet.UnitCostView` (the picture of :func:`draw_unit_cost`,
:func:`convzoo.figures.shufflenet.unit_cost_figure`): the three units' multiply-adds as stacked bars, one
segment per layer, beside the ShuffleNet unit's channel connectivity. A ``g`` that does not divide ``c`` or
``m`` gets a message in the widget.
"""
from __future__ import annotations

import ipywidgets as W

from ..figures.shufflenet import UnitCostView, unit_cost_figure
from .common import explorer

__all__ = ["draw_unit_cost", "unit_cost_explorer"]


def draw_unit_cost(c=240, m=60, groups=3, size=28):
    """The explorer's figure for one setting (see :func:`convzoo.figures.shufflenet.unit_cost_figure`).

    Raises
    ------
    ValueError
        When ``groups`` does not divide ``c`` and ``m``.

    Examples
    --------
    >>> fig = draw_unit_cost(240, 60, 3, 28)
    >>> fig.axes[0].get_title()
    'c=240, m=60, g=3, h x w = 28x28'
    >>> draw_unit_cost(240, 60, 7, 28)
    Traceback (most recent call last):
    ...
    ValueError: groups=7 must divide c=240 and m=60 (each group of a grouped 1x1 conv takes c/g inputs and makes m/g outputs), but 240/7 = 34.2857 is not whole
    """
    return unit_cost_figure(c, m, groups, size, connectivity=True)


def unit_cost_explorer(c=240, m=60, groups=3, size=28):
    """Sliders for ``c``, ``m``, ``g`` and ``h = w``; the three units' multiply-adds and the shuffled unit's reach.

    Parameters
    ----------
    c, m, groups, size : int
        The starting setting (ShuffleNet 1x, g = 3, stage 2: c = 240, m = 60 on 28x28).

    Returns
    -------
    convzoo.widgets.common.Explorer
        ``controls`` holds ``c``, ``m``, ``groups`` and ``size``.
    """
    return explorer(
        UnitCostView(connectivity=True),
        title="What one bottleneck unit costs: ResNet, ResNeXt, ShuffleNet",
        description="c: channels in and out of the unit; m: bottleneck channels; g: groups (ResNeXt groups its "
                    "3x3, ShuffleNet its two 1x1s); h = w: feature-map size. g must divide c and m.",
        c=W.IntSlider(value=c, min=12, max=960, step=12, description="c", continuous_update=False),
        m=W.IntSlider(value=m, min=4, max=480, step=4, description="m", continuous_update=False),
        groups=W.IntSlider(value=groups, min=1, max=12, description="g", continuous_update=False),
        size=W.IntSlider(value=size, min=1, max=56, description="h = w", continuous_update=False),
    )
