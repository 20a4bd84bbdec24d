"""Explorer of chapter 9: how well can a filter be flattened?

- :func:`flatten_explorer`: choose the kind of filter (exactly rank 1, smooth, a patch of the photo, random),
  its channels ``C`` and size ``k``; see the filter, its best rank-1 (flattened) approximation, what is left,
  the relative error with its SVD lower bounds, and the parameter counts ``C k^2`` against ``C + 2k``
  (:func:`convzoo.figures.flattened.rank1_figure`, redrawn in place by :class:`FlattenView`). A photo patch
  with more than 3 channels gets a message.
"""
from __future__ import annotations

import ipywidgets as W

from ..figures.flattened import Rank1View, rank1_figure
from ..flattened import FILTER_KINDS, example_filter

__all__ = ["draw_flatten", "FlattenView", "flatten_explorer"]


def _setting(kind, channels, kernel_size, seed):
    """The filter of one setting of the explorer and its name (ValueError for a setting it cannot draw)."""
    if int(channels) > 8:
        raise ValueError(f"the explorer draws at most 8 channels, but got channels={channels}")
    return example_filter(kind, int(channels), int(kernel_size), seed=int(seed)), f"{kind} filter"


def draw_flatten(kind="random", channels=3, kernel_size=3, seed=0):
    """The figure of :func:`convzoo.figures.flattened.rank1_figure` for a filter of :func:`convzoo.example_filter`.

    Raises
    ------
    ValueError
        For an unknown kind, sizes out of range, or a photo patch with more than 3 channels.

    Examples
    --------
    >>> fig = draw_flatten("rank-1", 2, 3)
    >>> fig.axes[0].get_title()[-20:]
    'relative error 0.000'
    """
    w, name = _setting(kind, channels, kernel_size, seed)
    return rank1_figure(w, name=name)


class FlattenView(Rank1View):
    """The explorer's picture: :class:`convzoo.figures.flattened.Rank1View` at one size for every setting,
    updated from the explorer's controls.

    Shape
    -----
    ``update(kind, channels, kernel_size, seed)``: a ``(channels, kernel_size, kernel_size)`` filter, at most
    8 channels and 7x7.

    Examples
    --------
    >>> view = FlattenView()
    >>> view.update("rank-1", 2, 3) and view.figure.axes[0].get_title()[-20:]
    'relative error 0.000'
    """

    def update(self, kind="random", channels=3, kernel_size=3, seed=0) -> bool:
        return super().update(*_setting(kind, channels, kernel_size, seed))


def flatten_explorer(kind="random", channels=3, kernel_size=3, seed=0):
    """Choose a kind of filter, its channels C and size k; see its best flattened (rank-1) approximation.

    Returns
    -------
    convzoo.widgets.common.Explorer
        ``controls`` holds ``kind`` (a dropdown), ``channels`` (1 to 8), ``kernel_size`` (1 to 7) and
        ``seed`` (0 to 9, for the random kinds).
    """
    from .common import explorer

    ints = dict(continuous_update=False)
    return explorer(
        FlattenView(),
        title="How well does this filter flatten?",
        description="The best l (x) v (x) h (alternating least squares). A rank-1 filter flattens exactly; "
                    "the error grows with C for a random one. Orange bars: no rank-1 filter can do better.",
        kind=W.Dropdown(options=list(FILTER_KINDS), value=kind, description="kind"),
        channels=W.IntSlider(value=channels, min=1, max=8, description="channels C", **ints),
        kernel_size=W.IntSlider(value=kernel_size, min=1, max=7, description="size k", **ints),
        seed=W.IntSlider(value=seed, min=0, max=9, description="seed", **ints),
    )
