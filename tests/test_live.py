"""The shared parts of live figures (lib/convzoo/figures/live.py): a live grid shows what draw_grid draws,
whatever it showed before; cell labels look like ordinary texts; the layout is redone only when it moved."""
import numpy as np
import pytest

pytest.importorskip("matplotlib")

from figure_checks import live_matches_fresh  # noqa: E402

from convzoo.figures.common import draw_grid, new_figure  # noqa: E402
from convzoo.figures.live import GridFigure, LiveGrid, cell_text  # noqa: E402

GRIDS = [
    dict(values=np.arange(9).reshape(3, 3)),
    dict(values=np.array([[-1.5, 0.25], [2.0, np.nan]])),                       # signed, a blank cell
    # padding cells hold 0 (draw_grid writes that 0 under the grey one; a live grid writes only the grey one)
    dict(values=np.where(np.eye(4, 9, dtype=bool), 0, np.arange(36).reshape(4, 9) / 7),
         padding=np.eye(4, 9, dtype=bool), highlight=(1, 2, 2, 3)),
    dict(values=np.ones((1, 1))),
    dict(values=np.arange(100).reshape(10, 10) - 50),                           # two-digit ticks, small font
]


def _drawn(ax):
    """What a grid panel shows: the visible labels (text, place, colour, size), the image's data and colours."""
    from matplotlib.colors import to_rgba

    texts = sorted((t.get_text(), tuple(np.round(t.get_position(), 6)), to_rgba(t.get_color()), t.get_fontsize())
                   for t in ax.texts if t.get_visible() and t.get_text())
    im = ax.images[0]
    data = np.ma.filled(np.ma.asarray(im.get_array(), dtype=float), np.nan)
    ticks = ([lab.get_text() for lab in ax.get_xticklabels()], [lab.get_text() for lab in ax.get_yticklabels()])
    return texts, data, im.get_cmap().name, im.norm.vmin, im.norm.vmax, ticks, ax.get_xlim(), ax.get_ylim()


@pytest.mark.parametrize("case", range(len(GRIDS)))
def test_a_live_grid_shows_what_draw_grid_draws_after_any_history(case):
    """draw_grid is the oracle; the live grid first shows every other grid, so leftovers would show."""
    g = GRIDS[case]
    fig, ax = new_figure(size=(3, 3))
    draw_grid(ax, g["values"], padding=g.get("padding"), highlight=g.get("highlight"), fmt=_fmt)
    want = _drawn(ax)
    fig2, ax2 = new_figure(size=(3, 3))
    grid = LiveGrid(ax2)
    for other in GRIDS[::-1] + [g]:
        hl = other.get("highlight")
        grid.show(other["values"], padding=other.get("padding"), boxes=[hl] if hl else ())
    got = _drawn(ax2)
    assert got[0] == [t for t in want[0] if not (t[0] == "0" and t[2][:3] != (0.5019607843137255,) * 3
                                                 and _is_padding(g, t[1]))]
    np.testing.assert_array_equal(got[1], want[1])
    assert got[2:] == want[2:]
    boxes = [np.round(p.vertices[:4], 6).tolist() for p in grid.boxes.get_paths()]
    outlined = [np.round(p.get_path().transformed(p.get_patch_transform()).vertices[:4], 6).tolist()
                for p in ax.patches if not p.get_fill()]
    assert sorted(map(str, boxes)) == sorted(map(str, outlined))


def _fmt(v):
    from convzoo.figures.common import _fmt_fixed
    return _fmt_fixed(v)


def _is_padding(g, xy):
    pad = g.get("padding")
    return pad is not None and pad[int(round(xy[1])), int(round(xy[0]))]


class _TwoGrids(GridFigure):
    def __init__(self):
        fig, (a, b) = new_figure(1, 2, size=(5, 3))
        super().__init__(fig, [LiveGrid(a), LiveGrid(b, ticks=False)])

    def update(self, n=3, scale=1.0):
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        self.grids[0].show(np.arange(n * n).reshape(n, n) * scale, title=f"{n}x{n}")
        self.grids[1].show(np.eye(n) * scale, title="identity")
        self.title.set_text(f"scale {scale}")
        return self.layout_changed()


def test_a_grid_figure_updated_in_place_equals_a_fresh_one_and_relayouts_only_when_margins_move():
    settings = [dict(n=3), dict(n=12, scale=-0.5), dict(n=1), dict(n=4, scale=2.0), dict(n=3)]
    live_matches_fresh(_TwoGrids, settings)
    v = _TwoGrids()
    assert [v.update(**s) for s in settings] == [True, True, True, False, False]
    # 3 -> 12: two-digit tick labels; 12 -> 1: one digit again; 1 -> 4 -> 3: only numbers of equal width


def test_cell_labels_draw_like_ordinary_texts():
    """Glyph by glyph at the whole line's pen positions: the same picture up to antialiased edges."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    strings = ["-0.54", "12", "3.25", "100", "-7", "0.00", "word 42", "x=1\ny=22"]

    def pixels(make):
        fig, ax = new_figure(size=(4, 2))
        ax.set(xlim=(-0.5, len(strings) - 0.5), ylim=(-1, 1), xticks=[], yticks=[])
        for j, s in enumerate(strings):
            make(ax, j, s)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())[..., :3].astype(int)

    plain = pixels(lambda ax, j, s: ax.text(j, 0, s, ha="center", va="center", fontsize=10))
    cells = pixels(lambda ax, j, s: cell_text(ax, j, 0, s, ha="center", va="center", fontsize=10))
    far = np.abs(plain - cells).max(-1) > 128
    assert far.mean() < 0.003
    ink = lambda p: (255 - p).sum()  # noqa: E731
    assert abs(ink(plain) - ink(cells)) <= 0.03 * ink(plain) and ink(plain) > 0
