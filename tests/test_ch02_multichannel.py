"""Chapter 2's figures and explorers: they draw, carry titles and labels, and refuse bad settings clearly."""
from functools import partial

import numpy as np
import pytest

from figure_checks import explorer_says, live_matches_fresh, picture_content, titled_and_labelled

pytest.importorskip("ipywidgets")

import convzoo as cz  # noqa: E402
from convzoo.figures import multichannel as F  # noqa: E402
from convzoo.widgets import multichannel as Wm  # noqa: E402
from convzoo.widgets.render import LiveRender  # noqa: E402

SEED_X = [[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]]
SEED_K = [[0, 1, 2], [2, 2, 0], [0, 1, 2]]


_titled_and_labelled = partial(titled_and_labelled, draws=("images",))


def _cell_labels(ax) -> list:
    """The texts written in a grid's cells (in data coordinates), not its row and column numbers."""
    return [t.get_text() for t in ax.texts if t.get_transform() is ax.transData]


def test_single_channel_figure_shows_the_seed_numbers():
    fig = F.single_channel_figure(SEED_X, SEED_K, position=(2, 1))
    _titled_and_labelled(fig)
    assert fig.axes[3].get_title().endswith("y[2, 1] = 6")
    out_texts = [t.get_text() for t in fig.axes[3].texts]
    assert out_texts == ["12", "12", "17", "10", "17", "19", "9", "6", "14"]
    with pytest.raises(ValueError, match="outside the 3x3 output"):
        F.single_channel_figure(SEED_X, SEED_K, position=(3, 0))


def test_multichannel_figure_sum_plus_bias_is_conv2d():
    rng = np.random.default_rng(0)
    x, f = rng.integers(-3, 4, (3, 5, 5)), rng.integers(-2, 3, (3, 3, 3))
    fig = F.multichannel_figure(x, f, bias=2, padding=1, stride=2, position=(1, 1))
    _titled_and_labelled(fig)
    expected = cz.conv2d(x[None], f[None], bias=np.array([2]), padding=1, stride=2)[0, 0]
    # the last panel's cell labels are the whole conv2d output
    assert _cell_labels(fig.axes[-1]) == [f"{v:g}" for v in expected.ravel()]
    with pytest.raises(ValueError, match="one kernel per input channel"):
        F.multichannel_figure(x, f[:2])


def test_filter_bank_and_feature_maps_figures():
    _titled_and_labelled(F.filter_bank_figure(np.random.default_rng(1).standard_normal((10, 3, 3, 3))))
    fig = F.feature_maps_figure(np.random.default_rng(2).standard_normal((5, 6, 6)), ncols=3)
    _titled_and_labelled(fig)
    with pytest.raises(ValueError, match=r"\(C, H, W\)"):
        F.feature_maps_figure(np.zeros((4, 4)))


def test_pooling_figure_counts_changes_against_an_independent_pool():
    x = Wm.EXAMPLE_POOL
    fig = F.pooling_figure(x, 2, 2, shift=1)
    _titled_and_labelled(fig)
    shifted = np.pad(x, ((0, 0), (1, 0)))[:, :6]
    # independent 2x2/2 max pool by reshaping
    mx = lambda a: a.reshape(3, 2, 3, 2).max(axis=(1, 3))  # noqa: E731
    changed = int(np.sum(mx(x) != mx(shifted)))
    assert fig.axes[4].get_title().endswith(f"{changed} of 9 changed")
    with pytest.raises(ValueError, match="shift"):
        F.pooling_figure(x, 2, 2, shift=6)


def test_multichannel_explorer_draws_and_reports_bad_positions():
    fig = Wm.draw_multichannel(red="Sobel x (vertical edges)", green="Laplacian", blue="box (sum)", bias=1)
    _titled_and_labelled(fig)
    with pytest.raises(ValueError, match="outside the 2x2 output"):
        Wm.draw_multichannel(stride=2, out_row=2)
    with pytest.raises(ValueError, match="unknown kernel"):
        Wm.draw_multichannel(red="nope")
    explorer_says(Wm.multichannel_explorer(),
                  ({"stride": 3, "out_col": 4}, "outside the 1x1 output"),
                  ({"out_col": 0, "out_row": 0}, ""))


def test_pooling_explorer_refuses_a_window_larger_than_the_input():
    e = Wm.pooling_explorer()
    assert e.message.value == "" and len(e.image.value) > 0
    e.controls["kernel_size"].value = 7
    assert "too small" in e.message.value or "kernel" in e.message.value.lower()
    e.controls["kernel_size"].value = 3
    assert e.message.value == ""


# ---- the explorers' figures are updated in place (issue 9) --------------------------------------------------
RGB_SETTINGS = [  # grid sizes, padding cells, outlined windows and colour scales change back and forth
    {},
    dict(padding=2, out_row=6, out_col=6, bias=-5),
    dict(stride=3, red="Sobel x (vertical edges)", green="zero", blue="Laplacian"),
    dict(padding=1, stride=2, out_row=1, out_col=2, bias=5, red="box (sum)"),
    dict(padding=2, stride=1, out_row=3, out_col=0, blue="box (sum)"),
    {},
]
POOL_SETTINGS = [  # one row and two, windows of 1 to 6 cells, 1 to 36 outlines
    dict(kernel_size=2, stride=2, shift=1),
    dict(kernel_size=1, stride=1, shift=0),
    dict(kernel_size=6, stride=4, shift=3),
    dict(kernel_size=3, stride=1, shift=2),
    dict(kernel_size=2, stride=3, shift=0),
    dict(kernel_size=2, stride=2, shift=1),
]


@pytest.mark.parametrize("make, settings", [(Wm.RGBView, RGB_SETTINGS), (Wm.PoolView, POOL_SETTINGS)],
                         ids=["multichannel", "pooling"])
def test_live_views_show_what_a_new_one_shows(make, settings):
    live_matches_fresh(make, settings)


@pytest.mark.parametrize("make, good, bad", [
    (Wm.RGBView, dict(padding=1, out_row=4), [dict(stride=2, out_row=2), dict(red="nope"), dict(out_col=7)]),
    (Wm.PoolView, dict(kernel_size=3, shift=2), [dict(kernel_size=7), dict(shift=6), dict(shift=-1)]),
], ids=["multichannel", "pooling"])
def test_a_refused_setting_leaves_the_picture_as_it_was(make, good, bad):
    view = make()
    view.update(**good)
    before = picture_content(view.figure)
    for values in bad:
        with pytest.raises(ValueError):
            view.update(**values)
        assert picture_content(view.figure) == before, f"{values} changed the picture"


@pytest.mark.parametrize("make, settings", [(Wm.RGBView, RGB_SETTINGS), (Wm.PoolView, POOL_SETTINGS)],
                         ids=["multichannel", "pooling"])
def test_the_layout_is_redone_whenever_a_new_figure_would_be_laid_out_differently(make, settings):
    """update returns False only when the frozen layout is the one a new figure gets: every axes and the
    suptitle where a freshly laid-out figure puts them."""
    def places(fig):  # in pixels
        boxes = [ax.get_position().transformed(fig.transFigure).bounds for ax in fig.axes if ax.get_visible()]
        return np.array(boxes + [fig.transFigure.transform(fig._suptitle.get_position()).tolist() * 2])

    live = make()
    render = LiveRender(live)
    for values in settings + settings[::-1]:
        render.png(relayout=live.update(**values))
        fresh = make()
        LiveRender(fresh).png(relayout=fresh.update(**values))
        got, want = places(live.figure), places(fresh.figure)
        assert got.shape == want.shape and np.allclose(got, want, atol=0.5), values


def test_cell_labels_are_the_shared_cell_texts_and_look_as_texts_drawn_one_by_one():
    """The grids' labels are figures/live.py's CellTexts (laid out once per digit pattern, drawn glyph by glyph:
    issue 9); the pixels are those of matplotlib's Text.draw up to antialiased edges."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    view = Wm.RGBView()
    view.update(padding=1, red="Laplacian", bias=-3)

    def pixels():
        canvas = FigureCanvasAgg(view.figure)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())[..., :3].astype(int)

    cells = pixels()
    labels = [t for ax in view.figure.axes for t in ax.texts]
    assert len(labels) > 200 and all(type(t).__name__ == "CellText" for t in labels)
    for t in labels:
        t.__class__ = Text
    plain = pixels()
    assert (np.abs(cells - plain).max(-1) > 128).mean() < 0.003
    assert (cells.min(-1) < 60).any()  # drew something


def test_static_figures_are_the_views_updated_once():
    fig = F.pooling_figure(Wm.EXAMPLE_POOL, 3, 3, shift=0)
    assert [ax.get_visible() for ax in fig.axes] == [True] * 3 + [False] * 3
    assert tuple(fig.get_size_inches()) == (11, 3.6)
    with pytest.raises(ValueError, match="this figure draws 3 channels, but x has 2"):
        F.MultichannelView(3).update(np.ones((2, 4, 4)), np.ones((2, 3, 3)))
