"""Turning an explorer's figure into PNG bytes fast: a text cache on the Agg renderer, and frozen layouts.

Why this module exists (issue 9: an explorer must redraw in about 50 ms). Profiling the explorers showed the
time is matplotlib's, in three places:

1. **Text.** A grid of numbers is a hundred or more ``Text`` artists, and Agg lays out and rasterises every
   glyph of every one on every draw (0.3-0.5 ms a text). :class:`CachedTextRenderer` keeps the measured size
   and the rasterised coverage mask of each distinct (string, font) and stamps the mask where the text goes:
   a cell label "3" is rasterised once per session, not once per redraw.
2. **Layout.** Constrained layout measures every tick label and title twice per draw. A :class:`LiveRender`
   runs it on the first picture and then only when the figure says its layout changed (see
   :class:`convzoo.figures.common.LiveFigure`).
3. **Building.** Creating axes and ticks costs several ms each; a live figure is built once and updated in place.

The masks are drawn with Agg's own text rasteriser, so the picture is the same as an uncached draw up to a
sub-pixel shift of each string (positions are rounded to whole pixels). Mathtext is drawn the ordinary way.
"""
from __future__ import annotations


import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

__all__ = ["CachedTextRenderer", "CachedTextCanvas", "LiveRender", "figure_png", "png_bytes"]

#: Entries kept by each cache before it is emptied (a session meets a few thousand distinct strings at most).
_CACHE_LIMIT = 20_000
_METRICS: dict = {}
_MASKS: dict = {}
_HEIGHTS: dict = {}


def _font_key(prop) -> tuple:
    """Everything about a FontProperties that changes how a string looks (it is mutable, so not the object)."""
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
            prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily())


def _remember(cache: dict, key, value):
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


class CachedTextRenderer(RendererAgg):
    """An Agg renderer that measures and rasterises each distinct (string, font) once per process.

    Shape
    -----
    A canvas of ``width x height`` pixels, like :class:`matplotlib.backends.backend_agg.RendererAgg`.

    Examples
    --------
    >>> from matplotlib.font_manager import FontProperties
    >>> r = CachedTextRenderer(40, 20, 72)
    >>> prop = FontProperties(size=10)
    >>> r.get_text_width_height_descent("42", prop, False) == RendererAgg(40, 20, 72).get_text_width_height_descent(
    ...     "42", prop, False)
    True
    """

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath == "TeX":
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, bool(ismath), self.dpi, _font_key(prop))
        found = _METRICS.get(key)
        return found if found is not None else _remember(
            _METRICS, key, super().get_text_width_height_descent(s, prop, ismath))

    def _get_font_height_metrics(self, prop):
        """(ascent, descent, line gap) of the font, which matplotlib 3.11 asks of a renderer that has this
        method (else it re-reads the font's tables for every text on every draw: a fifth of a redraw)."""
        key = (_font_key(prop), self.dpi)
        found = _HEIGHTS.get(key)
        return found if found is not None else _remember(_HEIGHTS, key, _font_height_metrics(prop, self.dpi))

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        antialiased = bool(gc.get_antialiased())
        key = (s, self.dpi, antialiased, round(angle % 360, 3), _font_key(prop))
        entry = _MASKS.get(key)
        if entry is None:
            entry = _remember(_MASKS, key, self._rasterise(s, prop, angle % 360, antialiased, mtext))
        mask, dx, dy = entry
        if mask is not None:
            # y grows downwards here, and draw_text_image takes the bitmap's left column and bottom row;
            # the colour and alpha come from gc, the mask is the coverage (already rotated).
            self._renderer.draw_text_image(mask, int(round(x + dx)), int(round(y + dy)), 0, gc)

    def _rasterise(self, s, prop, angle, antialiased, mtext):
        """Draw ``s`` once, black on transparent, with Agg's own text code; keep its coverage and its offset
        from the anchor (the baseline's start, where ``draw_text`` is given ``x, y``)."""
        w, h, d = RendererAgg.get_text_width_height_descent(self, s, prop, False)
        reach = int(np.ceil(max(w, h) + prop.get_size_in_points() * self.dpi / 72)) + 4  # any rotation fits
        scratch = RendererAgg(2 * reach, 2 * reach, self.dpi)
        gc = scratch.new_gc()
        gc.set_antialiased(antialiased)
        gc.set_foreground("black")
        RendererAgg.draw_text(scratch, gc, reach, reach, s, prop, angle, mtext=mtext)
        gc.restore()
        alpha = np.asarray(scratch.buffer_rgba())[..., 3]
        rows, cols = np.nonzero(alpha)
        if rows.size == 0:  # blank text (spaces)
            return None, 0, 0
        r0, r1, c0, c1 = rows.min(), rows.max(), cols.min(), cols.max()
        return np.ascontiguousarray(alpha[r0:r1 + 1, c0:c1 + 1]), c0 - reach, r1 + 1 - reach


def _font_height_metrics(prop, dpi) -> tuple:
    """What matplotlib 3.11's Text layout computes from the font's OS/2 or hhea table, in pixels; (None, None,
    None) lets it measure instead (another matplotlib, or a font without those tables)."""
    try:
        from matplotlib.font_manager import fontManager, get_font

        font = get_font(fontManager._find_fonts_by_props(prop))
        for table_name, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                                 ("hhea", "lineGap", "ascent", "descent")):
            table = font.get_sfnt_table(table_name)
            if table is not None:
                scale = prop.get_size_in_points() * dpi / 72 / font.get_sfnt_table("head")["unitsPerEm"]
                return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    except Exception:  # pragma: no cover - a matplotlib without these internals
        pass
    return None, None, None


class CachedTextCanvas(FigureCanvasAgg):
    """A FigureCanvasAgg whose renderer is a :class:`CachedTextRenderer` (reused while the size stays).

    Shape
    -----
    The figure's size in pixels (``figsize * dpi``).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> canvas = CachedTextCanvas(Figure(figsize=(1, 1), dpi=50))
    >>> type(canvas.get_renderer()).__name__, canvas.get_renderer() is canvas.get_renderer()
    ('CachedTextRenderer', True)
    """

    def get_renderer(self):
        w, h = self.figure.bbox.size
        key = (w, h, self.figure.dpi)
        if getattr(self, "_cached_key", None) != key:
            self._cached_renderer = CachedTextRenderer(w, h, self.figure.dpi)
            self._cached_key = key
        return self._cached_renderer


def png_bytes(canvas) -> bytes:
    """PNG of a drawn Agg canvas: RGB, no row filters, zlib level 1.

    Written here rather than by Pillow because an explorer encodes one on every redraw: a figure's flat
    areas compress well without PNG's row filters, whose adaptive choice was most of Pillow's time (a
    756x864 figure: 9 ms instead of 13-24, for a PNG of the same size). The figures are opaque, so the
    alpha channel is left out.

    Shape
    -----
    The canvas's ``(height, width, 4)`` RGBA pixels, stored as ``(height, width, 3)`` RGB.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> canvas = CachedTextCanvas(Figure(figsize=(1, 1), dpi=20))
    >>> canvas.draw()
    >>> png_bytes(canvas)[:4] == b"\\x89PNG"
    True
    """
    import struct
    import zlib

    rgba = np.asarray(canvas.buffer_rgba())
    h, w = rgba.shape[:2]
    rows = np.empty((h, 1 + 3 * w), np.uint8)
    rows[:, 0] = 0                                   # filter type 0 (none) for every row
    rows[:, 1:].reshape(h, w, 3)[...] = rgba[..., :3]

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)   # 8 bits per sample, colour type 2 (RGB)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
            + chunk(b"IEND", b""))


def figure_png(fig) -> bytes:
    """PNG bytes of a matplotlib Figure, drawn once with cached text (the figure is then closed).

    ``savefig`` would walk a figure with a layout engine twice (a draw with rendering disabled to place the
    axes, then the real one); here it is drawn once on a :class:`CachedTextCanvas`, the layout running
    inside that draw.

    Shape
    -----
    The figure's size in pixels (``figsize * dpi``).

    Examples
    --------
    >>> from convzoo.figures.common import new_figure
    >>> fig, ax = new_figure(size=(2, 1))
    >>> png = figure_png(fig)
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    canvas = CachedTextCanvas(fig)
    canvas.draw()
    png = png_bytes(canvas)
    try:  # a pyplot figure must also be deregistered; a bare Figure needs nothing
        import matplotlib.pyplot as plt

        plt.close(fig)
    except Exception:  # pragma: no cover - pyplot unavailable
        pass
    return png


class LiveRender:
    """Renders one :class:`~convzoo.figures.common.LiveFigure` again and again, laying it out only when asked.

    The figure's own layout engine (constrained) is replaced by none, so a draw only paints; :meth:`png`
    runs the constrained layout on the first picture and again when the update said the layout changed.

    Shape
    -----
    The figure's size in pixels (``figsize * dpi``).

    Examples
    --------
    >>> from convzoo.figures.common import LiveFigure, new_figure
    >>> class Line(LiveFigure):
    ...     def __init__(self):
    ...         fig, self.ax = new_figure(size=(2, 1), title="a line")
    ...         (self.line,) = self.ax.plot([0, 1])
    ...         super().__init__(fig)
    ...     def update(self, slope=1):
    ...         self.line.set_ydata([0, slope])
    ...         return False
    >>> r = LiveRender(Line())
    >>> r.png(relayout=False)[1:4] == b"PNG" and r.layouts   # the first picture is always laid out
    1
    """

    def __init__(self, live):
        from matplotlib.layout_engine import ConstrainedLayoutEngine

        self.live = live
        fig = live.figure
        engine = fig.get_layout_engine()
        # keep the figure's own constrained-layout settings (pads) for the relayouts
        self._layout = engine if isinstance(engine, ConstrainedLayoutEngine) else None
        self.canvas = CachedTextCanvas(fig)
        self.layouts = 0
        fig.set_layout_engine("none")

    def png(self, relayout: bool = True) -> bytes:
        if (relayout or not self.layouts) and self._layout is not None:
            fig = self.live.figure
            # Constrained layout starts from where the axes are, and with fixed-aspect axes it does not land
            # in the same place from everywhere (a few pixels; repeated, the margins drift): start it from
            # the grid's own places, as a new figure's layout does.
            for ax in fig.axes:
                spec = ax.get_subplotspec()
                if spec is not None:
                    ax.set_subplotspec(spec)
            self._layout.execute(fig)
            self.layouts += 1
        self.canvas.draw()
        return png_bytes(self.canvas)
