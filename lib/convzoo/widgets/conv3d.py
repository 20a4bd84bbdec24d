"""Explorer of chapter 3: slide through a noisy tube volume and its 3D-convolution response."""
from __future__ import annotations

import ipywidgets as W

from ..figures.conv3d import TubeResponseView
from .common import explorer

__all__ = ["draw_conv3d", "conv3d_explorer"]


def draw_conv3d(depth=10, size=7, noise=0.3):
    """Input slice, response slice and the response's projection for a ``size``-cube ball filter.

    No padding: the output has ``32 - size + 1`` slices and output slice ``depth`` is centred on input
    slice ``depth + (size - 1) / 2``. A ``depth`` beyond the output raises ``ValueError`` with the sizes.
    The explorer updates one :class:`~convzoo.figures.conv3d.TubeResponseView` in place; this draws a new one.

    Shape
    -----
    Input ``(32, 32, 32)``, output ``(32 - size + 1,) * 3``.

    Examples
    --------
    >>> draw_conv3d(depth=0, size=9).axes[1].get_title().splitlines()
    ['output slice 0', '(centred on input slice 4)']
    """
    view = TubeResponseView()
    view.update(depth=depth, size=size, noise=noise)
    return view.figure


def conv3d_explorer():
    """Depth slider, filter size and noise level for the tube volume and its 3D-convolution response.

    Returns
    -------
    convzoo.widgets.common.Explorer
    """
    return explorer(
        TubeResponseView(),
        title="Finding a tube with a 3D filter",
        description="Move through the output slices; a bigger filter gives fewer output slices (no padding). "
                    "More noise: the 3D filter still finds the tube because it averages over depth as well.",
        depth=W.IntSlider(value=10, min=0, max=31, description="output slice"),
        size=W.Dropdown(options=[3, 5, 7, 9], value=7, description="filter size"),
        noise=W.Dropdown(options=[0.0, 0.3, 0.6, 1.0], value=0.3, description="noise"),
    )
