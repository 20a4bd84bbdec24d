"""The one way every explorer is built: controls, a picture, and a line for messages.

:func:`explorer` takes what draws (a :class:`~convzoo.figures.common.LiveFigure`, updated in place, or a
function ``draw(**values) -> Figure``) and the controls whose values it takes. On every change it redraws
into an ``Image`` widget (a PNG, so the picture also shows in tests and in a saved notebook's widget state);
if drawing raises ``ValueError`` or ``TypeError`` (an invalid setting), the message is shown in the widget
instead of a traceback, and the last good picture is greyed.
"""
from __future__ import annotations

from collections import OrderedDict

import ipywidgets as W

from ..figures.common import LiveFigure
from .render import LiveRender, figure_png

__all__ = ["Explorer", "explorer", "figure_png"]


class Explorer(W.VBox):
    """Controls above a picture; ``redraw()`` runs ``draw`` with the controls' current values.

    Attributes
    ----------
    controls : dict of str -> ipywidgets.Widget
    image : ipywidgets.Image
    message : ipywidgets.HTML
        Empty when the setting is valid; otherwise the reason it is not.
    """

    #: How many recent pictures are kept (PNG bytes, tens of kB each): stepping back and forth with a
    #: slider, or a Play widget's second loop, shows a kept picture at once instead of redrawing it.
    CACHE_SIZE = 64

    def __init__(self, draw, controls, *, title=None, description=None):
        self.draw = draw
        # a live figure is updated in place and only painted (issue 9: ~10x faster than rebuilding)
        self._live = LiveRender(draw) if isinstance(draw, LiveFigure) else None
        self.controls = dict(controls)
        self._pictures: OrderedDict = OrderedDict()
        self.image = W.Image(format="png", layout=W.Layout(max_width="100%"))
        self.message = W.HTML("")
        header = []
        if title:
            header.append(W.HTML(f"<b>{title}</b>" + (f"<br><span>{description}</span>" if description else "")))
        box = W.HBox(list(self.controls.values()), layout=W.Layout(flex_flow="row wrap"))
        super().__init__(header + [box, self.message, self.image])
        for control in self.controls.values():
            control.observe(lambda change: self.redraw(), names="value")
        self.redraw()

    def values(self) -> dict:
        return {name: c.value for name, c in self.controls.items()}

    def redraw(self) -> None:
        values = self.values()
        key = tuple(values.items())
        try:
            hash(key)
        except TypeError:  # an unhashable control value: draw every time
            key = None
        png = self._pictures.get(key) if key is not None else None
        if png is None:
            try:
                png = self._picture(values)
            except (ValueError, TypeError) as exc:
                self.message.value = f'<span style="color:#b30000">&#9888; {_escape(str(exc))}</span>'
                self.image.layout.opacity = "0.35"
                return
            if key is not None:
                self._pictures[key] = png
                while len(self._pictures) > self.CACHE_SIZE:
                    self._pictures.popitem(last=False)
        else:
            self._pictures.move_to_end(key)
        self.message.value = ""
        self.image.layout.opacity = "1"
        self.image.value = png


    def _picture(self, values) -> bytes:
        if self._live is None:
            return figure_png(self.draw(**values))
        relayout = self.draw.update(**values)
        return self._live.png(relayout=relayout is not False)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def explorer(draw, *, title=None, description=None, **controls) -> Explorer:
    """Build an explorer from a drawing function and named controls.

    Parameters
    ----------
    draw : LiveFigure or callable
        A :class:`~convzoo.figures.common.LiveFigure` whose ``update(**values)`` changes it in place, or a
        function whose ``draw(**values)`` returns a new matplotlib Figure. Either raises ValueError/TypeError
        for an invalid setting.
    title, description : str, optional
        Shown above the controls.
    **controls : ipywidgets.ValueWidget
        Each control's name is the keyword ``draw`` receives.

    Returns
    -------
    Explorer

    Examples
    --------
    >>> from convzoo.figures.common import new_figure
    >>> def draw(n):
    ...     if n < 1:
    ...         raise ValueError(f"n must be positive, got {n}")
    ...     fig, ax = new_figure(size=(2, 2))
    ...     ax.plot(range(n))
    ...     return fig
    >>> e = explorer(draw, n=W.IntSlider(value=3, min=0, max=5))
    >>> e.message.value == "" and len(e.image.value) > 0
    True
    >>> e.controls["n"].value = 0
    >>> "n must be positive" in e.message.value
    True
    """
    return Explorer(draw, controls, title=title, description=description)
