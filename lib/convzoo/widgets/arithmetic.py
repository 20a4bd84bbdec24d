"""Explorer of chapter 5: the classic convolution-arithmetic animation, with every number written.

:func:`arithmetic_explorer` has sliders for the input size ``i``, kernel size ``k``, stride ``s``, padding
``p`` and dilation ``d``, a padding mode (the ``p`` slider, or 'valid', 'same', 'full'), and a step slider
with a Play button: the window moves over the padded input with its stride (and dilation), and the output
fills in. Each frame is :func:`convzoo.figures.arithmetic.arithmetic_figure`'s picture, one
:class:`~convzoo.figures.arithmetic.ArithmeticView` updated in place; a setting with no output (kernel wider
than the padded input) is answered with a message that says why and what to change.
"""
from __future__ import annotations

import ipywidgets as W

from ..figures.arithmetic import ArithmeticView, window_layout
from ..shapes import same_padding
from .common import explorer

__all__ = ["PADDING_MODES", "resolve_padding", "draw_arithmetic", "arithmetic_explorer"]

PADDING_MODES = ("p slider", "valid", "same", "full")


def resolve_padding(mode, i, k, s=1, p=0, d=1):
    """The padding a mode stands for: the slider's ``p``, 'valid' (none), 'same' (TensorFlow's, extra zero
    after), or 'full' (``d(k - 1)``: every window that overlaps the input at all).

    Examples
    --------
    >>> resolve_padding("same", 5, 4), resolve_padding("full", 5, 3, d=2), resolve_padding("p slider", 5, 3, p=2)
    ((1, 2), 4, 2)
    """
    if mode == "p slider":
        return p
    if mode == "valid":
        return 0
    if mode == "same":
        pair = same_padding(i, k, s, d)
        return pair[0] if pair[0] == pair[1] else pair
    if mode == "full":
        return d * (k - 1)
    raise ValueError(f"padding mode must be one of {', '.join(repr(m) for m in PADDING_MODES)}, but got {mode!r}")


class _StepView(ArithmeticView):
    """The explorer's frames: :class:`ArithmeticView` updated from the controls (a padding mode, a step)."""

    def update(self, i=5, k=3, s=2, p=1, d=1, step=0, padding="p slider") -> bool:
        pad = resolve_padding(padding, i, k, s, p, d)
        o = window_layout(i, k, s, pad, d).o
        if not 0 <= step < o * o:
            raise ValueError(f"step {step} does not exist: the output is {o}x{o}, so the steps are 0 to {o * o - 1}")
        return super().update(i, k, s, pad, d, position=divmod(int(step), o))


def draw_arithmetic(i=5, k=3, s=2, p=1, d=1, step=0, padding="p slider"):
    """One frame: the window of output number ``step`` (in reading order) and the output filled so far.

    Raises ``ValueError`` with a readable reason for settings that have no output, for a step past the last
    output value, and for grids too large to draw. The figure is sized to the frame, as
    :func:`~convzoo.figures.arithmetic.arithmetic_figure` sizes it (the explorer keeps one size).

    Shape
    -----
    Input ``(i, i)``, kernel ``(k, k)``, output ``(o, o)``: ``step`` runs over its ``o * o`` cells.

    Examples
    --------
    >>> draw_arithmetic(i=5, k=3, s=2, p=1, step=4)._supxlabel.get_text()[:7]
    'y[1, 1]'
    """
    view = _StepView(fit=True)
    view.update(i, k, s, p, d, step, padding)
    return view.figure


def arithmetic_explorer(i=5, k=3, s=2, p=1, d=1, padding="p slider", interval_ms=800):
    """Play the convolution arithmetic: window moving with stride and dilation, output filling in.

    Parameters
    ----------
    i, k, s, p, d : int
        Starting input size, kernel size, stride, padding, dilation.
    padding : {'p slider', 'valid', 'same', 'full'}
        Where the padding comes from.
    interval_ms : int
        Time between two steps when playing.

    Returns
    -------
    convzoo.widgets.common.Explorer
        ``controls`` holds ``i, k, s, p, d, padding, step``; ``play`` is the Play button linked to ``step``.
    """
    controls = dict(
        i=W.IntSlider(value=i, min=1, max=9, description="input i"),
        k=W.IntSlider(value=k, min=1, max=5, description="kernel k"),
        s=W.IntSlider(value=s, min=1, max=4, description="stride s"),
        p=W.IntSlider(value=p, min=0, max=3, description="padding p"),
        d=W.IntSlider(value=d, min=1, max=3, description="dilation d"),
        padding=W.Dropdown(options=PADDING_MODES, value=padding, description="padding from"),
    )
    step = W.IntSlider(value=0, min=0, max=0, description="step")
    play = W.Play(value=0, min=0, max=0, interval=interval_ms, description="play")

    def steps() -> int | None:
        v = {name: c.value for name, c in controls.items()}
        try:
            pad = resolve_padding(v["padding"], v["i"], v["k"], v["s"], v["p"], v["d"])
            o = window_layout(v["i"], v["k"], v["s"], pad, v["d"]).o
        except ValueError:
            return None  # the explorer shows why
        return o * o

    def resize(_change=None):
        n = steps()
        if n is None:
            return
        if step.value > n - 1:
            step.value = n - 1
        step.max = play.max = n - 1

    # registered before the explorer's own redraw, so the step is clamped before the frame is drawn
    for control in controls.values():
        control.observe(resize, names="value")
    resize()
    ex = explorer(
        _StepView(),
        title="Convolution arithmetic, step by step",
        description="The window (red: its taps) moves over the padded input (dashed zeros) by the stride; each "
                    "step fills one output cell with the sum under the taps. Hatched cells are never read. "
                    "Press play, or drag the step.",
        step=step, **controls,
    )
    W.jslink((play, "value"), (step, "value"))
    box = ex.children[1]
    box.children = (play,) + tuple(box.children)
    ex.play = play
    return ex
