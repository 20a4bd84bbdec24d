"""Chapter 10: grouped convolution by splitting (against loops and torch), its figures and its explorer."""

from functools import partial

import numpy as np
import pytest

from figure_checks import explorer_says, titled_and_labelled

import convzoo as cz
from convzoo.core import conv_general, conv_general_naive

pytest.importorskip("ipywidgets")

from convzoo.figures import grouped as F  # noqa: E402
from convzoo.widgets import grouped as Wg  # noqa: E402


# ---- the library: split, convolve, concatenate ------------------------------------------------------------
def split_by_hand(x, w, g, **kw):
    """An independent oracle: the textbook loops on each group's slice, stacked by hand."""
    c_in, c_out = x.shape[1], w.shape[0]
    outs = [conv_general_naive(x[:, j * (c_in // g):(j + 1) * (c_in // g)], w[j * (c_out // g):(j + 1) * (c_out // g)],
                               **kw) for j in range(g)]
    return np.concatenate(outs, axis=1)


@pytest.mark.parametrize("seed", range(12))
def test_split_equals_loops_and_the_one_call(seed):
    rng = np.random.default_rng(seed)
    nd = seed % 3 + 1
    g, cg, og = int(rng.integers(1, 5)), int(rng.integers(1, 3)), int(rng.integers(1, 3))
    k = tuple(int(v) for v in rng.integers(1, 4, nd))
    x = rng.standard_normal((2, g * cg) + tuple(int(v) for v in rng.integers(4, 7, nd)))
    w = rng.standard_normal((g * og, cg) + k)
    kw = dict(stride=int(rng.integers(1, 3)), padding=int(rng.integers(0, 2)), dilation=1)
    got = cz.grouped_conv_by_split(x, w, groups=g, **kw)
    np.testing.assert_allclose(got, split_by_hand(x, w, g, **kw), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(got, conv_general(x, w, groups=g, **kw), rtol=1e-10, atol=1e-10)


def test_split_keeps_integers_bias_and_unbatched_inputs():
    x = np.arange(4 * 3 * 3).reshape(4, 3, 3)
    w = np.arange(1, 1 + 6 * 2 * 2 * 2).reshape(6, 2, 2, 2)
    b = np.arange(6)
    got = cz.grouped_conv_by_split(x, w, b, groups=2)
    assert got.dtype == np.int64 and got.shape == (6, 2, 2)
    np.testing.assert_array_equal(got, cz.conv2d(x, w, b, groups=2))
    np.testing.assert_array_equal(got, cz.conv2d(x, cz.block_diagonal_weight(w, 2), b))


def test_split_refuses_what_conv2d_refuses():
    with pytest.raises(ValueError, match=r"Given groups=2, weight of size \(8, 2, 3, 3\), expected input "
                                         r"\(1, 8, 5, 5\) to have 4 channels, but got 8 channels instead"):
        cz.grouped_conv_by_split(np.zeros((1, 8, 5, 5)), np.zeros((8, 2, 3, 3)), groups=2)
    with pytest.raises(ValueError, match="out_channels must be divisible by groups"):
        cz.grouped_conv_by_split(np.zeros((1, 6, 5, 5)), np.zeros((6, 2, 3, 3)), groups=3 * 1 + 1)


def test_split_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    x, w, b = rng.standard_normal((2, 6, 7, 7)), rng.standard_normal((9, 2, 3, 3)), rng.standard_normal(9)
    want = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b),
                                      padding=1, groups=3).numpy()
    np.testing.assert_allclose(cz.grouped_conv_by_split(x, w, b, padding=1, groups=3), want, rtol=1e-10, atol=1e-10)


def test_groups_equal_channels_is_depthwise():
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((1, 5, 6, 6)), rng.standard_normal((10, 1, 3, 3))
    np.testing.assert_allclose(cz.grouped_conv_by_split(x, w, groups=5), cz.depthwise_conv2d(x, w), atol=1e-12)


# ---- figures ------------------------------------------------------------------------------------------------
_titled_and_labelled = partial(titled_and_labelled, draws=("images", "collections", "patches"))


def test_valid_groups_and_the_message_for_a_bad_one():
    assert F.valid_groups(8, 12) == [1, 2, 4]
    assert F.valid_groups(7, 5) == [1]
    with pytest.raises(ValueError, match="groups=3 does not divide in_channels=8 .* groups can be 1, 2, 4 or 8"):
        F.check_groups(8, 8, 3)
    with pytest.raises(ValueError, match="does not divide out_channels=6 .* groups can be 1, 2 or 4"[:30]):
        F.check_groups(8, 6, 4)
    with pytest.raises(ValueError, match="groups can be 1$"):
        F.check_groups(7, 5, 5)


def test_weight_structure_figure_shows_the_mask_and_the_seed_counts():
    fig = F.weight_structure_figure(4, 6, 2, kernel_size=3)
    _titled_and_labelled(fig)
    grid = fig.axes[1]
    # the cells inside the blocks hold their group number (0, 1), the others are blank: group_mask, read by group
    mask = cz.group_mask(6, 4, 2)
    want = (mask * (np.arange(6)[:, None] // 3))[mask == 1]
    assert [t.get_text() for t in grid.texts] == [str(v) for v in want]
    assert "6x2x3x3 + 6 = 114 parameters (groups=1: 222)" in fig._suptitle.get_text()
    assert len(fig.axes[0].collections[0].get_segments()) == 12      # 6 outputs x 2 inputs each
    big = F.weight_structure_figure(24, 32, 4, kernel_size=5)
    assert f"{cz.conv_params(24, 32, 5, groups=4):,} parameters" in big._suptitle.get_text()
    assert not big.axes[1].texts                                        # too many cells to write
    with pytest.raises(ValueError, match="at most 32 channels"):
        F.weight_structure_figure(64, 64, 2)


def test_block_diagonal_figure_writes_both_weights():
    w = np.arange(1, 13).reshape(6, 2)
    fig = F.block_diagonal_figure(w, 3)
    _titled_and_labelled(fig)
    assert [t.get_text() for t in fig.axes[0].texts] == [str(v) for v in w.ravel()]
    assert [t.get_text() for t in fig.axes[1].texts] == [str(v) for v in cz.block_diagonal_weight(w, 3).ravel()]
    fig3 = F.block_diagonal_figure(np.random.default_rng(0).standard_normal((4, 2, 3, 3)), 2)
    assert fig3.axes[1].get_title() == "block-diagonal: (4, 4, 3, 3)"
    assert [t.get_text() for t in fig3.axes[1].get_xticklabels()] == ["0", "1", "2", "3"]
    with pytest.raises(ValueError, match="out_channels must be divisible by groups"):
        F.block_diagonal_figure(w, 4)
    with pytest.raises(ValueError, match=r"\(C_out, C_in / g\)"):
        F.block_diagonal_figure(np.zeros(3), 1)


def test_perturbation_figure_finds_the_changed_group():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((6, 7, 7)), rng.standard_normal((6, 2, 3, 3))
    x2 = x.copy()
    x2[3, 2:5, 2:5] += 1.0                                    # input channel 3 is in group 2 of 3
    before, after = cz.conv2d(x, w, groups=3), cz.conv2d(x2, w, groups=3)
    fig = F.perturbation_figure(before, after, channel=3, in_channels=6, groups=3)
    _titled_and_labelled(fig)
    cells = [float(t.get_text()) for t in fig.axes[0].texts]
    assert [c > 0 for c in cells] == [False, False, True, True, False, False]
    assert "only output channels 2 to 3 change, the other 4 do not" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match="channel must be an input channel, 0 to 5"):
        F.perturbation_figure(before, after, channel=6, in_channels=6, groups=3)
    with pytest.raises(ValueError, match="one shape"):
        F.perturbation_figure(before, after[:3], channel=0, in_channels=6, groups=3)


def test_cost_vs_groups_figure_labels_the_seed_numbers():
    fig = F.cost_vs_groups_figure(256, 256, 5)
    _titled_and_labelled(fig)
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels[0] == "1,638,656\nx1" and "51,456\nx31.85" in labels and len(labels) == 9
    with pytest.raises(ValueError, match="groups=3 does not divide"):
        F.cost_vs_groups_figure(256, 256, 5, groups=[1, 3])


# ---- explorer -----------------------------------------------------------------------------------------------
def test_draw_grouped_good_and_bad_settings():
    _titled_and_labelled(Wg.draw_grouped(8, 8, 2, 3))
    _titled_and_labelled(Wg.draw_grouped(16, 16, 16, 1))          # depthwise
    with pytest.raises(ValueError, match="groups=3 does not divide in_channels=8"):
        Wg.draw_grouped(8, 8, 3)
    with pytest.raises(ValueError, match="groups=4 does not divide out_channels=6"):
        Wg.draw_grouped(8, 6, 4)


def test_grouped_explorer_builds_and_reports_bad_groups():
    e = Wg.grouped_explorer()
    assert set(e.controls) == {"in_channels", "out_channels", "groups", "kernel_size"}
    explorer_says(e,
                  ({"groups": 3}, ("groups=3 does not divide in_channels=8", "groups can be 1, 2, 4 or 8")),
                  ({"groups": 4}, ""),
                  ({"out_channels": 6}, "does not divide out_channels=6"))


def test_grouped_view_redraws_in_place_like_a_fresh_one():
    from figure_checks import live_matches_fresh, picture_content

    # written and ticked grids (width <= 12) and colour-only ones, 1 to 16 groups, square and flat, and back
    settings = [dict(in_channels=8, out_channels=8, groups=2), dict(in_channels=16, out_channels=16, groups=16,
                                                                    kernel_size=7),
                dict(in_channels=1, out_channels=1, groups=1, kernel_size=1), dict(in_channels=12, out_channels=4,
                                                                                   groups=4),
                dict(in_channels=13, out_channels=16, groups=1), dict(in_channels=8, out_channels=8, groups=2)]
    live_matches_fresh(F.WeightStructureView, settings)
    view = F.WeightStructureView()
    view.update(8, 8, 2, 3)
    before = picture_content(view.figure)
    for bad in [dict(groups=3), dict(in_channels=6, out_channels=6, groups=4), dict(in_channels=40, groups=1),
                dict(kernel_size=0)]:
        with pytest.raises(ValueError):
            view.update(**{**dict(in_channels=8, out_channels=8, groups=2), **bad})
        assert picture_content(view.figure) == before, f"{bad} changed the picture"
    # the grid keeps its (few) ticks while its shape stays: no new layout for another g or k
    assert view.update(8, 8, 4, 5) is False


def test_grouped_view_layout_fits_a_tall_grid_after_a_flat_one():
    """Laid out while the grid is flat (16 inputs, 1 output), the explorer's picture still fits a square one."""
    from convzoo.widgets.render import LiveRender

    view = F.WeightStructureView()
    render = LiveRender(view)
    for setting in [(16, 1, 1, 3), (16, 16, 16, 3)]:
        render.png(relayout=view.update(*setting))
    renderer = render.canvas.get_renderer()
    grid_title = view.ax_grid.title.get_window_extent(renderer)
    suptitle = view.figure._suptitle.get_window_extent(renderer)
    assert grid_title.y1 < suptitle.y0, "the grid's title runs into the suptitle"
    label = view.ax_grid.xaxis.label.get_window_extent(renderer)
    assert label.y0 >= 0, "the x label is cut off"
