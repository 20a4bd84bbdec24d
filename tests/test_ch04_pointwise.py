"""Chapter 4's figures and explorers: they draw, carry titles and labels, show the right numbers (checked
against einsum and hand formulas, not against the functions that drew them), and refuse bad settings clearly."""
from functools import partial

import numpy as np
import pytest

from figure_checks import explorer_says, live_matches_fresh, picture_content, titled_and_labelled

pytest.importorskip("ipywidgets")

import convzoo as cz  # noqa: E402
from convzoo.figures import pointwise as F  # noqa: E402
from convzoo.widgets import pointwise as Wp  # noqa: E402


_titled_and_labelled = partial(titled_and_labelled, labels="x")


def _cell_texts(ax):
    """The numbers written in a grid's cells (block names and the like are annotations, not texts; unused
    cell labels of a live figure are hidden)."""
    from matplotlib.text import Annotation

    return [t.get_text() for t in ax.texts if not isinstance(t, Annotation) and t.get_visible()]


def _block_names(ax):
    from matplotlib.text import Annotation

    return [t.get_text() for t in ax.texts if isinstance(t, Annotation) and t.get_visible()]


def test_pixel_dot_figure_writes_every_output_value_and_the_dot_product():
    rng = np.random.default_rng(0)
    x, w = rng.integers(-3, 4, (3, 4, 4)), rng.integers(-2, 3, (2, 3))
    fig = F.pixel_dot_figure(x, w, pixel=(2, 1))
    _titled_and_labelled(fig)
    y = np.einsum("nd,dhw->nhw", w, x)                          # oracle: the dot product at every pixel
    # the output grid lists both 4x4 outputs side by side, row by row
    expected = [f"{v:g}" for v in np.concatenate([y[0], y[1]], axis=1).ravel()]
    assert _cell_texts(fig.axes[2]) == expected
    assert _cell_texts(fig.axes[0]) == [f"{v:g}" for v in np.concatenate(list(x), axis=1).ravel()]
    assert _block_names(fig.axes[2]) == ["out 0", "out 1"]
    lines = fig._supxlabel.get_text().splitlines()
    assert [line.rsplit("= ", 1)[1] for line in lines] == [f"{y[0, 2, 1]:g}", f"{y[1, 2, 1]:g}"]
    terms = " + ".join(f"({a})*({b})" if a < 0 and b < 0 else f"({a})*{b}" if a < 0 else f"{a}*({b})" if b < 0
                       else f"{a}*{b}" for a, b in zip(w[0], x[:, 2, 1]))
    assert lines[0] == f"out 0 at (2, 1) = {terms} = {y[0, 2, 1]:g}"
    # the 1x1 weight form is accepted too
    assert _cell_texts(F.pixel_dot_figure(x, w[:, :, None, None], (2, 1)).axes[2]) == expected


def test_pixel_dot_figure_refuses_bad_inputs():
    x = np.ones((3, 2, 2))
    with pytest.raises(ValueError, match=r"outside the 2x2 map"):
        F.pixel_dot_figure(x, np.ones((2, 3)), pixel=(2, 0))
    with pytest.raises(ValueError, match="expects 4 input channels, but x of size \\(3, 2, 2\\) has 3"):
        F.pixel_dot_figure(x, np.ones((2, 4)))
    with pytest.raises(ValueError, match="1x1 weight"):
        F.pixel_dot_figure(x, np.ones((2, 3, 3, 3)))
    with pytest.raises(ValueError, match="at most 6 channels"):
        F.pixel_dot_figure(np.ones((7, 2, 2)), np.ones((1, 7)))


def test_pixel_matrix_figure_is_the_reshaped_layer():
    rng = np.random.default_rng(1)
    x, w = rng.integers(0, 5, (3, 2, 3)), rng.integers(-2, 3, (4, 3))
    fig = F.pixel_matrix_figure(x, w, pixel=(1, 2))
    _titled_and_labelled(fig)
    assert "row 5 is pixel (1, 2)" in fig._suptitle.get_text()
    # oracle: loop over pixels, row-major
    X = np.array([[x[d, r, c] for d in range(3)] for r in range(2) for c in range(3)])
    Y = np.array([[sum(w[n, d] * X[p, d] for d in range(3)) for n in range(4)] for p in range(6)])
    assert _cell_texts(fig.axes[0]) == [f"{v:g}" for v in X.ravel()]
    assert _cell_texts(fig.axes[1]) == [f"{v:g}" for v in w.T.ravel()]
    assert _cell_texts(fig.axes[2]) == [f"{v:g}" for v in Y.ravel()]
    assert fig.axes[2].get_title() == "Y = X w.T  (6, 4)"
    with pytest.raises(ValueError, match="at most 36 pixels"):
        F.pixel_matrix_figure(np.ones((2, 7, 7)), np.ones((1, 2)))


def test_bottleneck_costs_are_inceptions_numbers_by_hand():
    c = F.bottleneck_costs()
    assert c["direct_macs"] == 32 * 192 * 5 * 5 * 28 * 28 == 120_422_400
    assert c["reduce_macs"] == 16 * 192 * 28 * 28 == 2_408_448
    assert c["conv_macs"] == 32 * 16 * 5 * 5 * 28 * 28 == 10_035_200
    assert c["bottleneck_macs"] == 12_443_648
    assert c["direct_params"] == 32 * 192 * 25 and c["bottleneck_params"] == 16 * 192 + 32 * 16 * 25
    # the counters agree with the size of an actual output of the same layer (small instance)
    x = np.zeros((1, 6, 7, 7))
    y = cz.conv2d(cz.conv2d(x, np.zeros((2, 6, 1, 1))), np.zeros((3, 2, 3, 3)), padding=1)
    small = F.bottleneck_costs(6, 2, 3, 3, 7)
    assert small["conv_macs"] == y.size * 2 * 9 and small["reduce_macs"] == 7 * 7 * 2 * 6
    with pytest.raises(ValueError, match="odd"):
        F.bottleneck_costs(kernel_size=4)
    with pytest.raises(ValueError, match="mid_channels must be a positive int"):
        F.bottleneck_costs(mid_channels=0)


def test_bottleneck_cost_figure_writes_the_counts():
    fig = F.bottleneck_cost_figure()
    _titled_and_labelled(fig)
    assert fig.axes[0].get_title() == "multiply-adds: 120,422,400 vs 12,443,648 (9.7x fewer)"
    assert fig.axes[1].get_title() == "weights: 153,600 vs 15,872 (9.7x fewer)"
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["5x5 192 -> 32: 120,422,400", "1x1 192 -> 16: 2,408,448", "5x5 16 -> 32: 10,035,200"]
    wider = F.bottleneck_cost_figure(16, 64, 16, 3, 8)
    assert "more" in wider.axes[0].get_title()


def test_collapse_figure_counts_distinct_outputs():
    x = np.array([[[0, 1, 2], [1, 2, 0]], [[2, 1, 0], [0, 0, 1]]])
    fig = F.collapse_figure(x, [1, 1])
    _titled_and_labelled(fig)
    sums = {int(a + b) for a, b in zip(x[0].ravel(), x[1].ravel())}
    points = set(zip(x[0].ravel(), x[1].ravel()))
    assert fig.axes[1].get_title() == f"{len(sums)} distinct outputs for {len(points)} distinct points"
    bar = next(ax for ax in fig.axes if ax.get_label() == "<colorbar>")
    assert sorted(bar.get_yticks()) == sorted(sums)          # integer outputs: one tick per output value
    with pytest.raises(ValueError, match=r"must be \(1, 2\)"):
        F.collapse_figure(x, np.ones((2, 2)))
    with pytest.raises(ValueError, match="all zeros"):
        F.collapse_figure(x, [0, 0])


def test_squeeze_excitation_figure_shows_means_and_gates():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((6, 4, 4))
    p = cz.init_squeeze_excitation(6, 3, rng=0)
    fig = F.squeeze_excitation_figure(x, **p)
    _titled_and_labelled(fig)
    # oracle: the block written out with numpy
    s = x.mean(axis=(1, 2))
    hidden = np.maximum(p["w1"][:, :, 0, 0] @ s + p["b1"], 0)
    gate = 1 / (1 + np.exp(-(p["w2"][:, :, 0, 0] @ hidden + p["b2"])))
    heights = [[bar.get_height() for bar in ax.patches] for ax in fig.axes]
    np.testing.assert_allclose(heights[0], s)
    np.testing.assert_allclose(heights[1], gate)
    np.testing.assert_allclose(heights[2], s * gate)
    assert [t.get_text() for t in fig.axes[1].texts] == [f"{v:.2f}" for v in gate]
    assert s.min() < 0                                   # a negative bar's value label stays inside the axes
    for ax in (fig.axes[0], fig.axes[2]):
        assert ax.get_ylim()[0] < s.min() - 0.1 * (s.max() - s.min())
    with pytest.raises(ValueError, match="at most 16 channels"):
        F.squeeze_excitation_figure(np.ones((20, 2, 2)), **cz.init_squeeze_excitation(20, 4, rng=0))


def test_pointwise_draw_with_good_and_bad_settings():
    for view in Wp.VIEWS:
        _titled_and_labelled(Wp.draw_pointwise(d_in=4, d_out=3, row=2, col=0, view=view))
    with pytest.raises(ValueError, match="outside the 3x3 map"):
        Wp.draw_pointwise(row=3)
    with pytest.raises(ValueError, match="d_out must be between 1 and 4"):
        Wp.draw_pointwise(d_out=5)
    with pytest.raises(ValueError, match="view must be one of"):
        Wp.draw_pointwise(view="3d")


def test_pointwise_explorer_builds_and_reports_a_pixel_outside_the_map():
    explorer_says(Wp.pointwise_explorer(),
                  ({"col": 3}, "outside the 3x3 map"),
                  ({"col": 0, "view": "pixel matrix"}, ""))


def test_bottleneck_explorer_builds_and_refuses_an_even_kernel():
    _titled_and_labelled(Wp.draw_bottleneck(64, 8, 16, 3, 14))
    explorer_says(Wp.bottleneck_explorer(),
                  ({"kernel_size": 4}, "odd"),
                  ({"kernel_size": 3}, ""))


def test_channel_mix_figure_titles_the_weights_and_draws_each_output():
    img = np.random.default_rng(3).random((3, 5, 6))
    fig = F.channel_mix_figure(img, [[0.299, 0.587, 0.114], [-0.5, -0.5, 1]], names=["grey", "blue - yellow"])
    _titled_and_labelled(fig)
    titles = [ax.get_title() for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert titles[1:] == ["grey: 0.299 R + 0.587 G + 0.114 B", "blue - yellow: -0.5 R - 0.5 G + 1 B"]
    shown = fig.axes[1].images[0].get_array()
    np.testing.assert_allclose(shown, 0.299 * img[0] + 0.587 * img[1] + 0.114 * img[2])
    bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert len(bars) == 2 and all(b.get_ylabel() == "output value" for b in bars)
    with pytest.raises(ValueError, match="RGB image"):
        F.channel_mix_figure(np.ones((2, 4, 4)), np.ones((1, 2)))


# ---- the explorers' live figures: updated in place, they show what a fresh figure shows ----------------
_POINTWISE_SETTINGS = [  # channel counts up and down (blocks, cells, outlines and dot-product lines come and go)
    dict(d_in=3, d_out=2, row=1, col=0), dict(d_in=1, d_out=4, row=2, col=2),
    dict(d_in=4, d_out=1, row=0, col=1, view="pixel matrix"), dict(d_in=2, d_out=3, row=1, col=1, view="pixel matrix"),
    dict(d_in=4, d_out=4, row=2, col=0), dict(d_in=1, d_out=1, row=0, col=0, view="pixel matrix"),
    dict(d_in=1, d_out=1, row=2, col=1), dict(d_in=3, d_out=2, row=1, col=0),
]


def test_pointwise_live_view_shows_what_a_fresh_one_shows():
    live_matches_fresh(Wp.ExampleLayerView, _POINTWISE_SETTINGS)


def test_pointwise_live_view_lays_out_again_only_when_its_margins_change():
    v = Wp.ExampleLayerView()
    assert v.update() is True                                   # the first picture is laid out
    assert v.update(row=2, col=2) is False                      # numbers move, the margins do not
    assert v.update(d_in=1, d_out=4) is False                   # fewer blocks, the same cell size and slots
    assert v.update(d_in=1, d_out=4, view="pixel matrix") is True   # another figure size and other axes
    assert v.update(d_in=4, d_out=1, view="pixel matrix") is False


def test_pointwise_live_view_keeps_the_cell_size_whatever_the_channel_counts():
    v = Wp.ExampleLayerView()
    sizes = []
    for d_in, d_out in ((4, 4), (1, 1), (2, 3)):
        v.update(d_in=d_in, d_out=d_out)
        for ax, cols in zip(v.figure.axes[:3], (d_in * 4 - 1, d_in, d_out * 4 - 1)):
            box = ax.get_axes_locator()(ax, None)
            sizes.append(box.width * v.figure.get_figwidth() / cols)
    np.testing.assert_allclose(sizes, sizes[0])


def test_pointwise_live_view_refusing_a_setting_leaves_its_picture():
    v = Wp.ExampleLayerView()
    v.update(d_in=2, d_out=3, row=2, col=1)
    before = picture_content(v.figure)
    for bad in (dict(row=3), dict(d_out=5), dict(view="3d")):
        with pytest.raises(ValueError):
            v.update(**{**dict(d_in=4, d_out=1, row=0, col=0, view="pixel matrix"), **bad})
        assert picture_content(v.figure) == before
    view = F.PointwiseView(2, 2, 3, 3)
    view.update(np.ones((2, 3, 3)), np.ones((2, 2)), (1, 1))
    before = picture_content(view.figure)
    with pytest.raises(ValueError, match="at most 2 -> 2 channels on 3x3 maps"):
        view.update(np.ones((3, 3, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="outside the 3x3 map"):
        view.update(np.ones((1, 3, 3)), np.ones((1, 1)), (0, 3))
    assert picture_content(view.figure) == before


def test_bottleneck_live_view_shows_what_a_fresh_one_shows_and_refuses_without_change():
    settings = [dict(), dict(in_channels=512, mid_channels=256, out_channels=256, kernel_size=7, size=112),
                dict(in_channels=8, mid_channels=1, out_channels=1, kernel_size=1, size=1),
                dict(in_channels=16, mid_channels=64, out_channels=16, kernel_size=3, size=8), dict()]
    live_matches_fresh(F.BottleneckView, settings)
    v = F.BottleneckView()
    v.update(64, 8, 16, 3, 14)
    before = picture_content(v.figure)
    with pytest.raises(ValueError, match="odd"):
        v.update(kernel_size=4)
    assert picture_content(v.figure) == before
    assert v.update(72, 8, 16, 3, 14) is False                  # a neighbouring setting: same margins
