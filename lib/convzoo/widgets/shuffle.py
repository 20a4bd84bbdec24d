"""Explorer of chapter 11: choose the channels, the groups and the depth of a stack; see what the shuffle mixes.

:func:`shuffle_explorer` has sliders for ``C``, ``g`` and the number of stacked grouped layers ``L``. Each
setting is drawn in place by one :class:`ShuffleView` (the picture of :func:`draw_shuffle`,
:func:`convzoo.figures.shuffle.shuffle_connectivity_figure`): the shuffle's permutation, and which inputs
reach which outputs without and with a shuffle between the layers.
A ``g`` that does not divide ``C`` gets a message that lists the ``g`` that would.
"""
from __future__ import annotations

import ipywidgets as W

from ..figures.shuffle import ShuffleConnectivityView, shuffle_connectivity_figure
from .common import explorer

__all__ = ["draw_shuffle", "ShuffleView", "shuffle_explorer"]


def draw_shuffle(channels=12, groups=3, layers=2):
    """The figure of one setting (see :func:`convzoo.figures.shuffle.shuffle_connectivity_figure`).

    Examples
    --------
    >>> fig = draw_shuffle(12, 4, 2)
    >>> fig._suptitle.get_text().splitlines()[1]
    'every output sees every input only from L=3 layers on'
    >>> draw_shuffle(12, 5)
    Traceback (most recent call last):
    ...
    ValueError: groups=5 does not divide channels=12 (12 / 5 is not a whole number of channels per group); with 12 channels, groups can be 1, 2, 3, 4, 6 or 12
    """
    return shuffle_connectivity_figure(int(channels), int(groups), int(layers), permutation=True,
                                       annotate=int(channels) <= 8)


class ShuffleView(ShuffleConnectivityView):
    """The explorer's picture: :class:`convzoo.figures.shuffle.ShuffleConnectivityView` with the permutation,
    one size for every ``C``, 0/1 written in the cells up to 8 channels (as :func:`draw_shuffle`).

    Shape
    -----
    ``update(channels, groups, layers)``: ``C <= 24``.

    Examples
    --------
    >>> view = ShuffleView()
    >>> view.update(12, 4, 2)
    True
    >>> view.figure._suptitle.get_text().splitlines()[1]
    'every output sees every input only from L=3 layers on'
    """

    def __init__(self):
        super().__init__(permutation=True)

    def update(self, channels=12, groups=3, layers=2) -> bool:
        return super().update(int(channels), int(groups), int(layers), annotate=int(channels) <= 8)


def shuffle_explorer(channels=12, groups=3, layers=2):
    """Sliders for ``C``, ``g`` and ``L``; the permutation and the connectivity without and with the shuffle.

    Parameters
    ----------
    channels : int
        Starting number of channels (1 to 24).
    groups : int
        Starting number of groups (1 to 24).
    layers : int
        Starting number of stacked grouped layers (1 to 4).

    Returns
    -------
    convzoo.widgets.common.Explorer
        ``controls`` holds ``channels``, ``groups`` and ``layers``.
    """
    slider = lambda value, lo, hi, text: W.IntSlider(value=value, min=lo, max=hi, description=text,  # noqa: E731
                                                     continuous_update=False)
    return explorer(
        ShuffleView(),
        title="Channel shuffle: which inputs reach which outputs",
        description="L grouped layers of g groups on C channels, stacked directly (left) or with a channel shuffle "
                    "between them (right). A g that does not divide C gets a message.",
        channels=slider(channels, 1, 24, "channels C"),
        groups=slider(groups, 1, 24, "groups g"),
        layers=slider(layers, 1, 4, "layers L"),
    )
