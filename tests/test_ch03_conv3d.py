"""Chapter 3: the tube volume and ball kernel against independent computations; figures and explorer."""
from functools import partial

import numpy as np
import pytest

from figure_checks import explorer_says, live_matches_fresh, picture_content, titled_and_labelled

import convzoo as cz
from convzoo.volume import ball_kernel3d, tube_volume


def test_ball_kernel_counts_voxels_and_sums_to_zero():
    k = ball_kernel3d(7, 2.5)
    # independent count of the ball: every voxel centre within 2.5 of the cube centre
    n_ball = sum(1 for z in range(7) for y in range(7) for x in range(7)
                 if (z - 3) ** 2 + (y - 3) ** 2 + (x - 3) ** 2 <= 6.25)
    assert int((k > 0).sum()) == n_ball
    np.testing.assert_allclose(k[k > 0], 1 / n_ball - 1 / 343)
    np.testing.assert_allclose(k[k < 0], -1 / 343)
    assert abs(k.sum()) < 1e-12


@pytest.mark.parametrize("size, radius", [(2, 1.0), (4, 1.0), (3, 1.5), (5, 0)])
def test_ball_kernel_refuses_bad_sizes(size, radius):
    with pytest.raises(ValueError, match="size|radius"):
        ball_kernel3d(size, radius)


def test_tube_volume_is_bright_exactly_near_its_centreline():
    vol, line = tube_volume((20, 24, 28), radius=2.0, seed=3)
    assert vol.shape == (20, 24, 28) and line.shape == (20, 3)
    assert vol.min() >= 0 and vol.max() == 1
    d, h, w = np.indices(vol.shape)
    for s in range(20):       # every voxel within 1 of this slice's centre is inside the tube
        near = (d == s) & ((h - line[s, 1]) ** 2 + (w - line[s, 2]) ** 2 <= 1.0)
        assert np.all(vol[near] == 1)
    # voxels far (> radius + 2) from every centre point are dark; an independent brute-force distance
    pts = line
    far = np.min(((np.stack([d, h, w], -1)[..., None, :] - pts) ** 2).sum(-1), axis=-1) > (2.0 + 2) ** 2 * 4
    assert np.all(vol[far] == 0)
    noisy, _ = tube_volume((20, 24, 28), radius=2.0, noise=0.5, seed=3)
    assert 0.4 < np.std(noisy - vol) < 0.6
    with pytest.raises(ValueError, match="shape"):
        tube_volume((4, 32, 32))


def test_ball_filter_response_matches_scipy_and_finds_the_tube():
    ndimage = pytest.importorskip("scipy.ndimage")
    vol, line = tube_volume((24, 24, 24), radius=2.5, noise=0.3, seed=0)
    k = ball_kernel3d(7, 2.5)
    ours = cz.conv3d(vol[None, None], k[None, None], padding=3)[0, 0]
    theirs = ndimage.correlate(vol, k, mode="constant", cval=0.0)
    np.testing.assert_allclose(ours, theirs, atol=1e-12)
    peaks = np.array([np.unravel_index(np.argmax(s), s.shape) for s in ours])
    assert np.hypot(*(peaks - line[:, 1:]).T).max() < 2


_titled = partial(titled_and_labelled, draws=("images",), labels="each")


def test_figures_draw_with_titles_and_labels():
    F = pytest.importorskip("convzoo.figures.conv3d")
    vol, line = tube_volume((16, 16, 16), radius=2.0, seed=1)
    _titled(F.volume_slices_figure([vol, -vol], [0, 8, 15], marks=line[:, 1:]))
    _titled(F.projection_figure([vol, vol]))
    fig = F.conv2d_vs_conv3d_figure(vol, ball_kernel3d(5, 2.0), [2, 9])
    _titled(fig)
    with pytest.raises(ValueError, match="depth index 16"):
        F.volume_slices_figure(vol, [16])
    with pytest.raises(ValueError, match="odd"):
        F.conv2d_vs_conv3d_figure(vol, np.ones((2, 3, 3)), [0])


def test_conv2d_vs_conv3d_figure_2d_map_is_conv2d_with_slices_as_channels():
    F = pytest.importorskip("convzoo.figures.conv3d")
    vol = np.random.default_rng(0).standard_normal((5, 6, 6))
    fig = F.conv2d_vs_conv3d_figure(vol, np.ones((3, 3, 3)), [0])
    shown = [ax for ax in fig.axes if ax.get_title().startswith("2D conv")][0].images[0].get_array()
    # independent: the all-ones middle slice over all 5 channels, padding 1, is a 3x3 box sum of the depth sum
    expected = np.pad(vol.sum(0), 1)
    expected = sum(expected[i:i + 6, j:j + 6] for i in range(3) for j in range(3))
    np.testing.assert_allclose(np.asarray(shown), expected, atol=1e-12)


def test_explorer_draws_and_explains_missing_slices():
    pytest.importorskip("ipywidgets")
    from convzoo.widgets import conv3d as Wc

    _titled(Wc.draw_conv3d(depth=0, size=3, noise=0.0))
    with pytest.raises(ValueError, match="32 - 9 \\+ 1 = 24 output slices"):
        Wc.draw_conv3d(depth=24, size=9)
    explorer_says(Wc.conv3d_explorer(),
                  ({"depth": 30}, "26 output slices"),
                  ({"size": 3}, "30 output slices"),
                  ({"depth": 29}, ""))


def test_explorer_view_updates_in_place_as_a_fresh_one_draws():
    pytest.importorskip("ipywidgets")
    F = pytest.importorskip("convzoo.figures.conv3d")
    # the output's size, the colour scales and the titles' digits change back and forth
    live_matches_fresh(F.TubeResponseView, [
        dict(depth=10, size=7, noise=0.3), dict(depth=29, size=3, noise=0.0), dict(depth=0, size=9, noise=1.0),
        dict(depth=9, size=9, noise=1.0), dict(depth=10, size=7, noise=0.3), dict(depth=23, size=5, noise=0.6)])


def test_explorer_view_shows_the_slices_it_names():
    F = pytest.importorskip("convzoo.figures.conv3d")
    v = F.TubeResponseView()
    v.update(depth=4, size=5, noise=0.6)
    ax_in, ax_out, ax_proj = v.axes
    vol, line = tube_volume((32, 32, 32), radius=2.5, noise=0.6, seed=0)
    # the input panel is input slice 4 + 2; the response panel is conv3d's output slice 4, placed on it
    np.testing.assert_allclose(np.asarray(v.input.get_array()), vol[6], atol=1e-12)
    out = cz.conv3d(vol[None, None], ball_kernel3d(5, 2.0)[None, None])[0, 0]
    np.testing.assert_allclose(np.asarray(v.response.get_array()), out[4], atol=1e-12)
    assert v.response.get_extent() == [1.5, 29.5, 29.5, 1.5]
    np.testing.assert_allclose(np.asarray(v.projection.get_array()), np.maximum(out, 0).max(axis=1), atol=1e-12)
    assert list(v.depth_line.get_ydata()) == [4, 4]
    assert list(v.input_mark.get_xdata()) == [line[6, 2]] and list(v.input_mark.get_ydata()) == [line[6, 1]]
    assert ax_in.get_title().startswith("input slice 6") and ax_out.get_title().startswith("output slice 4")


def test_explorer_view_relayouts_only_when_the_margins_change():
    F = pytest.importorskip("convzoo.figures.conv3d")
    v = F.TubeResponseView()
    assert v.update(depth=10, size=7, noise=0.3) is True           # the first picture is laid out
    # depth moves, digits come and go in the titles, another filter size: the margins stay the same
    assert [v.update(depth=d, size=7, noise=0.3) for d in (11, 9, 12)] == [False] * 3
    assert v.update(depth=9, size=9, noise=0.3) is False
    assert v.update(depth=9, size=9, noise=0.0) is True            # the input's colour bar loses its minus signs


def test_explorer_view_refuses_a_bad_setting_and_keeps_its_picture():
    F = pytest.importorskip("convzoo.figures.conv3d")
    v = F.TubeResponseView()
    v.update(depth=3, size=5, noise=0.3)
    before = picture_content(v.figure)
    with pytest.raises(ValueError, match="32 - 9 \\+ 1 = 24 output slices"):
        v.update(depth=24, size=9, noise=1.0)
    with pytest.raises(ValueError, match="odd"):
        v.update(depth=0, size=4, noise=1.0)
    assert picture_content(v.figure) == before


def test_explorer_volume_is_the_tube_volume_at_each_noise_level():
    F = pytest.importorskip("convzoo.figures.conv3d")
    for noise in (0.0, 0.3, 1.0):
        vol, line = F._tube(noise)
        want, want_line = tube_volume((32, 32, 32), radius=2.5, noise=noise, seed=0)
        np.testing.assert_allclose(vol, want, atol=1e-12)
        np.testing.assert_array_equal(line, want_line)
