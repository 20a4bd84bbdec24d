"""Explorer of chapter 1: slide a kernel over a signal step by step, convolution or cross-correlation.

:func:`slide_explorer` has a Play button (and a slider linked to it) that walks through the steps, a switch
between ``convolve`` and ``correlate``, and two text boxes for the signal and the kernel. Each step is drawn
by one :class:`convzoo.figures.correlation.SlideView`, updated in place (the picture of
:func:`convzoo.figures.correlation.slide_figure`): the window, the products and the output filled in so far.
Text that is not a list of numbers gets a message in the widget.
"""
from __future__ import annotations

import re

import ipywidgets as W
import numpy as np

from ..figures.correlation import SlideView, slide_figure
from .common import explorer

__all__ = ["parse_numbers", "draw_slide", "slide_explorer"]


def parse_numbers(text: str, name: str) -> np.ndarray:
    """``"3 1 4"`` or ``"3, 1, 4"`` or ``"[3, 1, 4]"`` -> ``array([3, 1, 4])`` (integers stay integers).

    Examples
    --------
    >>> parse_numbers("[3, 1, -4]", "f")
    array([ 3,  1, -4])
    >>> parse_numbers("0.5 1", "g")
    array([0.5, 1. ])
    """
    parts = [p for p in re.split(r"[\s,;\[\]()]+", str(text)) if p]
    if not parts:
        raise ValueError(f"{name} is empty: type numbers separated by spaces or commas, e.g. 1 2 3")
    values = []
    for p in parts:
        try:
            values.append(int(p))
        except ValueError:
            try:
                values.append(float(p))
            except ValueError:
                raise ValueError(f"{name}: {p!r} is not a number; type numbers separated by spaces or commas, "
                                 f"e.g. 1 2 3") from None
    if len(values) > 16:
        raise ValueError(f"{name} has {len(values)} numbers; the slide is drawn for at most 16")
    return np.array(values)


def draw_slide(f="3 1 4 1 5", g="1 2 3", step=0, kind="convolve"):
    """The figure of one step (see :func:`convzoo.figures.correlation.slide_figure`); ``f``, ``g`` as text."""
    return slide_figure(parse_numbers(f, "f"), parse_numbers(g, "g"), int(step), kind)


class _TypedSlideView(SlideView):
    """A SlideView whose ``f`` and ``g`` are the text typed in the explorer."""

    def update(self, f="3 1 4 1 5", g="1 2 3", step=0, kind="convolve") -> bool:
        return super().update(parse_numbers(f, "f"), parse_numbers(g, "g"), int(step), kind)


def slide_explorer(f="3 1 4 1 5", g="1 2 3", kind="convolve", interval_ms=900):
    """Play through the slide of ``g`` over ``f``: the overlap, the products and the running output.

    Parameters
    ----------
    f, g : str or sequence of numbers
        The starting signal and kernel (editable in the widget).
    kind : {'convolve', 'correlate'}
    interval_ms : int
        Time between two steps when playing.

    Returns
    -------
    convzoo.widgets.common.Explorer
        ``controls`` holds ``f``, ``g``, ``kind`` and ``step`` (a slider; the Play button is linked to it).
    """
    to_text = lambda v: v if isinstance(v, str) else " ".join(str(x) for x in np.asarray(v).tolist())
    f_text, g_text = to_text(f), to_text(g)
    steps = len(parse_numbers(f_text, "f")) + len(parse_numbers(g_text, "g")) - 1
    step = W.IntSlider(value=0, min=0, max=steps - 1, description="step", continuous_update=True)
    ex = explorer(
        _TypedSlideView(),
        title="Slide g over f, one step at a time",
        description="Convolution reverses g before sliding it; cross-correlation slides it as it is. Press play, "
                    "or drag the step; edit f and g (numbers separated by spaces).",
        f=W.Text(value=f_text, description="f"),
        g=W.Text(value=g_text, description="g"),
        kind=W.ToggleButtons(options=["convolve", "correlate"], value=kind, description="operation"),
        step=step,
    )
    play = W.Play(value=0, min=0, max=steps - 1, interval=interval_ms, description="play")
    W.jslink((play, "value"), (step, "value"))
    W.link((play, "max"), (step, "max"))

    def resize(_change=None):
        try:
            n = len(parse_numbers(ex.controls["f"].value, "f")) + len(parse_numbers(ex.controls["g"].value, "g")) - 1
        except ValueError:
            return  # the explorer already shows why
        if step.value > n - 1:
            step.value = n - 1
        step.max = n - 1

    ex.controls["f"].observe(resize, names="value")
    ex.controls["g"].observe(resize, names="value")
    box = ex.children[1]
    box.children = (play,) + tuple(box.children)
    ex.play = play
    return ex
