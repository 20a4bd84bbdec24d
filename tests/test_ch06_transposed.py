"""Chapter 6: transposed convolution as a direct convolution, overlap counts, the fix; figures and explorer."""

from functools import partial

import numpy as np
import pytest

import figure_checks
from figure_checks import explorer_says, live_matches_fresh, titled_and_labelled

import convzoo as cz

CONFIGS = [(2, 3, 1, 0, 0), (2, 3, 2, 0, 0), (3, 4, 2, 1, 0), (3, 3, 2, 1, 1), (4, 5, 3, 2, 2), (1, 2, 2, 0, 1),
           (3, 3, 1, 2, 0), (2, 1, 3, 0, 0)]


def _brute_counts_1d(k, s, i, p=0, op=0):
    """Independent oracle: walk every (input, tap) pair and count where it lands."""
    length = (i - 1) * s - 2 * p + (k - 1) + op + 1
    counts = [0] * length
    for j in range(i):
        for t in range(k):
            pos = j * s + t - p
            if 0 <= pos < length:
                counts[pos] += 1
    return counts


def test_zero_insert_puts_stride_minus_one_zeros_between_values():
    x = np.arange(1, 7).reshape(2, 3)
    z = cz.zero_insert(x, (3, 2))
    assert z.shape == (4, 5)
    expected = np.zeros((4, 5), int)
    for (a, b), v in np.ndenumerate(x):
        expected[3 * a, 2 * b] = v
    assert np.array_equal(z, expected)
    assert np.array_equal(cz.zero_insert([5, 6], 1), [5, 6])
    with pytest.raises(ValueError, match="stride must be positive"):
        cz.zero_insert(x, 0)


@pytest.mark.parametrize("i, k, s, p, op", CONFIGS)
def test_direct_convolution_over_the_zero_inserted_input_is_conv_transpose2d(i, k, s, p, op):
    rng = np.random.default_rng(i * 100 + k * 10 + s)
    x = rng.integers(-4, 5, (i, i + 1))
    w = rng.integers(-3, 4, (k, k))
    values, origin = cz.direct_conv_input(x, k, s, p, op)
    direct = cz.conv_general_naive(values[None, None], w[::-1, ::-1][None, None])[0, 0]
    expected = cz.conv_transpose2d(x[None, None], w[None, None], stride=s, padding=p, output_padding=op)[0, 0]
    assert np.array_equal(direct, expected)
    # origin: every input value appears exactly once (unless cut by a large padding), in row-major order
    placed = origin[origin >= 0]
    assert np.array_equal(values[origin >= 0], x.ravel()[placed])
    assert np.all(values[origin < 0] == 0)


def test_direct_convolution_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(6)
    for i, k, s, p, op in CONFIGS:
        x, w = rng.standard_normal((i, i)), rng.standard_normal((k, k))
        values, _ = cz.direct_conv_input(x, k, s, p, op)
        ours = cz.conv2d(values[None, None], w[::-1, ::-1][None, None].copy())[0, 0]
        ref = torch.nn.functional.conv_transpose2d(torch.tensor(x)[None, None], torch.tensor(w)[None, None],
                                                   stride=s, padding=p, output_padding=op)[0, 0].numpy()
        np.testing.assert_allclose(ours, ref, atol=1e-12)


def test_the_two_seed_cases_2x2_to_4x4_and_5x5():
    v1, o1 = cz.direct_conv_input([[1, 2], [3, 4]], 3, stride=1)
    assert v1.shape == (6, 6) and (o1 == -2).sum() == 32 and (o1 == -1).sum() == 0
    v2, o2 = cz.direct_conv_input([[1, 2], [3, 4]], 3, stride=2)
    assert v2.shape == (7, 7) and (o2 == -1).sum() == 5 and (o2 == -2).sum() == 40


def test_direct_conv_input_refuses_bad_settings():
    with pytest.raises(ValueError, match="output_padding must be smaller"):
        cz.direct_conv_input([[1]], 3, stride=2, output_padding=2)
    with pytest.raises(ValueError, match="too small"):
        cz.direct_conv_input([[1, 2]], 1, padding=1)


@pytest.mark.parametrize("k, s", [(2, 1), (3, 1), (2, 2), (4, 2), (3, 2), (5, 2), (5, 3), (1, 3), (7, 4)])
def test_overlap_counts_against_brute_force_and_conv_transpose(k, s):
    for i, p, op in [(5, 0, 0), (4, 1, 0), (6, 0, s - 1)]:
        if (i - 1) * s - 2 * p + k + op < 1:
            continue
        assert cz.overlap_counts(k, s, i, p, op).tolist() == _brute_counts_1d(k, s, i, p, op)
    two = cz.overlap_counts(k, s, (4, 3))
    ones = cz.conv_transpose2d(np.ones((1, 1, 4, 3), int), np.ones((1, 1, k, k), int), stride=s)[0, 0]
    assert np.array_equal(two, ones)
    assert np.array_equal(two, np.outer(cz.overlap_counts(k, s, 4), cz.overlap_counts(k, s, 3)))
    # the interior period, read off a long input, and the k % s rule
    long = cz.overlap_counts(k, s, 30)
    start = ((k + s - 1) // s) * s
    assert np.array_equal(long[start:start + s], cz.overlap_period(k, s))
    assert cz.overlap_is_even(k, s) == (len(set(long[start:start + 3 * s].tolist())) == 1)


def test_overlap_period_of_the_chapter_table():
    table = {(2, 1): [2], (3, 1): [3], (2, 2): [1, 1], (4, 2): [2, 2], (3, 2): [2, 1], (5, 2): [3, 2],
             (5, 3): [2, 2, 1]}
    assert {ks: cz.overlap_period(*ks).tolist() for ks in table} == table
    with pytest.raises(ValueError, match="output_padding must be smaller"):
        cz.overlap_counts(3, 2, 4, output_padding=2)
    with pytest.raises(ValueError, match="too small"):
        cz.overlap_counts(1, 1, 2, padding=1)


def test_resize_conv2d_is_interpolate_then_conv2d_and_flat_inside():
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((1, 2, 4, 5)), rng.standard_normal((3, 2, 3, 3))
    for mode in ("nearest", "bilinear"):
        up = cz.interpolate(x, scale_factor=2, mode=mode) if mode == "bilinear" else \
            np.repeat(np.repeat(x, 2, axis=2), 2, axis=3)
        np.testing.assert_allclose(cz.resize_conv2d(x, w, 2, mode), cz.conv2d(up, w, padding=1), atol=1e-12)
    y = cz.resize_conv2d(np.ones((1, 1, 4, 4)), w[:1, :1], 2)[0, 0]
    np.testing.assert_allclose(y[1:-1, 1:-1], w[0, 0].sum())
    with pytest.raises(ValueError, match="'nearest' or 'bilinear'"):
        cz.resize_conv2d(x, w, 2, "bicubic")


# --- figures and explorer -----------------------------------------------------------------------------------

# a grid's cells are a collection (the explorer's), or an image (draw_grid's)
_titled_and_labelled = partial(titled_and_labelled, draws=("images", "collections"))


def test_direct_conv_figure_shows_conv_transpose2d():
    F = pytest.importorskip("convzoo.figures.transposed")
    x, w = np.array([[1, 2], [3, 4]]), np.array([[1, 0, -1], [2, 1, 0], [0, 1, 2]])
    for s, size in [(1, 4), (2, 5)]:
        fig = F.direct_conv_figure(x, w, stride=s)
        _titled_and_labelled(fig)
        expected = cz.conv_transpose2d(x[None, None], w[None, None], stride=s)[0, 0]
        assert expected.shape == (size, size)
        assert [t.get_text() for t in fig.axes[3].texts] == [f"{v:g}" for v in expected.ravel()]
        assert f"{size}x{size}" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match="outside the 4x4 output"):
        F.direct_conv_figure(x, w, position=(4, 0))
    with pytest.raises(ValueError, match="square"):
        F.direct_conv_figure(x, np.ones((2, 3)))


def test_conv_matrix_figure_writes_every_entry_and_the_transpose():
    F = pytest.importorskip("convzoo.figures.transposed")
    k = np.arange(1, 10).reshape(3, 3)
    fig = F.conv_matrix_figure(k)
    _titled_and_labelled(fig)
    C = cz.conv_matrix(k, (4, 4))
    assert [t.get_text() for t in fig.axes[0].texts] == [f"{v:g}" for v in C.ravel()]
    back = cz.conv_transpose2d(np.arange(1, 5).reshape(1, 1, 2, 2), k[None, None])[0, 0]
    assert [t.get_text() for t in fig.axes[2].texts] == [f"{v:g}" for v in back.ravel()]
    with pytest.raises(ValueError, match="output shape"):
        F.conv_matrix_figure(k, y=np.ones((3, 3)))


def test_overlap_figures_show_the_counts():
    F = pytest.importorskip("convzoo.figures.transposed")
    fig = F.overlap_1d_figure()
    _titled_and_labelled(fig)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[4] == "k=3, s=2: period [2, 1] UNEVEN" and labels[3] == "k=4, s=2: period [2, 2] even"
    texts = [int(t.get_text()) for t in fig.axes[0].texts]
    assert texts == sum((cz.overlap_counts(k, s, 5).tolist() for k, s in F.OVERLAP_CASES), [])
    fig2 = F.overlap_2d_figure([(3, 2), (5, 3)], input_size=3)
    _titled_and_labelled(fig2)
    assert [int(t.get_text()) for t in fig2.axes[1].texts] == cz.overlap_counts(5, 3, (3, 3)).ravel().tolist()
    assert fig2.axes[1].get_title().endswith("{1, 2, 4}")
    with pytest.raises(ValueError, match="pairs"):
        F.overlap_1d_figure([(3, 2, 1)])


def test_checkerboard_and_upsamplers_figures():
    F = pytest.importorskip("convzoo.figures.transposed")
    fig = F.checkerboard_figure(3, 2, image=cz.sample_image(gray=True, size=12), size=3)
    _titled_and_labelled(fig)
    assert [int(t.get_text()) for t in fig.axes[0].texts] == cz.overlap_counts(3, 2, (3, 3)).ravel().tolist()
    assert len(fig.axes) == 6
    fig = F.upsamplers_figure()
    _titled_and_labelled(fig)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[5] == "max-unpool of y"
    # max-unpool puts 1, 2, 3, 4 at the maxima 5, 7, 9, 8 of the map before pooling
    assert [t.get_text() for t in fig.axes[5].texts] == "1 0 0 0 0 0 2 0 0 3 0 0 0 0 0 4".split()
    assert [t.get_text() for t in fig.axes[7].texts] == [str(v) for v in [0, 4, 1, 5, 8, 12, 9, 13, 2, 6, 3, 7,
                                                                           10, 14, 11, 15]]


def test_checkerboard_draw_with_good_and_bad_settings():
    Wt = pytest.importorskip("convzoo.widgets.transposed")
    fig = Wt.draw_checkerboard(3, 2)
    _titled_and_labelled(fig)
    assert "UNEVEN" in fig._suptitle.get_text() and "9 (flat)" in fig._suptitle.get_text()
    assert [int(t.get_text()) for t in fig.axes[0].texts] == cz.overlap_counts(3, 2, (3, 3)).ravel().tolist()
    fig = Wt.draw_checkerboard(4, 2, kernel="random")
    assert "overlap even" in fig._suptitle.get_text()
    out = [float(t.get_text()) for t in fig.axes[1].texts]
    assert len(set(out[9:15])) > 1, "a random kernel gives an uneven output even when the overlap is even"
    with pytest.raises(ValueError, match="output_padding must be smaller"):
        Wt.draw_checkerboard(3, 2, output_padding=2)
    with pytest.raises(ValueError, match="too small"):
        Wt.draw_checkerboard(1, 1, padding=3)
    with pytest.raises(ValueError, match="'ones' or 'random'"):
        Wt.draw_checkerboard(kernel="gauss")


def test_checkerboard_view_updated_in_place_shows_what_a_fresh_one_shows():
    """Outputs from 3x3 to 18x18 and back, both kernels, padding: grids, labels and font sizes all change."""
    Wt = pytest.importorskip("convzoo.widgets.transposed")
    live_matches_fresh(Wt.CheckerboardView, [
        dict(kernel_size=3, stride=2),
        dict(kernel_size=7, stride=4, output_padding=3, kernel="random"),   # 18x18, the largest
        dict(kernel_size=1, stride=1),                                      # 3x3
        dict(kernel_size=7, stride=1, kernel="random"),                     # no interior for the fix
        dict(kernel_size=5, stride=3, padding=2, output_padding=1),
        dict(kernel_size=3, stride=2),
    ])


def test_checkerboard_view_is_laid_out_once_and_keeps_its_picture_on_a_bad_setting():
    Wt = pytest.importorskip("convzoo.widgets.transposed")
    from convzoo.widgets.render import LiveRender

    view = Wt.CheckerboardView()
    render = LiveRender(view)  # as in the explorer: laid out when update says so, then painted
    size = tuple(view.figure.get_size_inches())
    assert view.update(3, 2) is True
    render.png(relayout=True)
    assert view.update(7, 4, output_padding=3) is False and view.update(1, 1, kernel="random") is False
    assert tuple(view.figure.get_size_inches()) == size
    before = figure_checks.picture_content(view.figure)
    for bad in (dict(output_padding=1), dict(padding=3), dict(kernel="gauss")):
        with pytest.raises(ValueError):
            view.update(**{**dict(kernel_size=1, stride=1), **bad})
        assert figure_checks.picture_content(view.figure) == before


def test_checkerboard_explorer_builds_and_reports_bad_settings():
    Wt = pytest.importorskip("convzoo.widgets.transposed")
    explorer_says(Wt.checkerboard_explorer(),
                  ({"output_padding": 2}, "output_padding must be smaller"),
                  ({"stride": 3}, ""),
                  ({"kernel": "random"}, ""))
