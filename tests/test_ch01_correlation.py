"""Chapter 1's helpers: the sample photo, the slide figures, the 2-D flip figure, the slide explorer."""
import numpy as np
import pytest

import figure_checks
from figure_checks import live_matches_fresh

import convzoo as cz
from convzoo.grading import describe_mismatch

F = pytest.importorskip("convzoo.figures.correlation")


def test_sample_image_is_the_grace_hopper_photo_in_every_layout():
    full = cz.sample_image()
    assert full.shape == (3, 600, 512) and full.dtype == np.float64
    assert 0.0 <= full.min() and full.max() <= 1.0
    grey = cz.sample_image(gray=True)
    np.testing.assert_allclose(grey, np.tensordot([0.299, 0.587, 0.114], full, axes=1), atol=1e-12)
    small = cz.sample_image(gray=True, size=(60, 32), dtype=np.float32)
    assert small.shape == (60, 32) and small.dtype == np.float32
    # box resize of the centre cut: each new pixel is the mean of the pixels it covers, so the mean survives
    square = cz.sample_image(size=64)
    cut = full[:, 44:556, :]  # the centred 512x512 square of the 600x512 photo
    np.testing.assert_allclose(square.mean(axis=(1, 2)), cut.mean(axis=(1, 2)), atol=2e-3)
    assert np.array_equal(cz.sample_image(size=16), cz.sample_image(size=16))


@pytest.mark.parametrize("kw, err, match", [
    (dict(size=0), ValueError, "between 1 and 4096"),
    (dict(size=(2, 3, 4)), TypeError, "pair of ints"),
    (dict(size=2.5), TypeError, "pair of ints"),
    (dict(dtype=np.int32), TypeError, "float32 or float64"),
])
def test_sample_image_refuses_bad_arguments(kw, err, match):
    with pytest.raises(err, match=match):
        cz.sample_image(**kw)


@pytest.mark.parametrize("f, g", [([3, 1, 4, 1, 5], [1, 2, 3]), ([1, -2], [0.5, 1, 2, -1]), ([7], [2])])
def test_slide_layout_sums_its_windows_into_convolve_and_correlate(f, g):
    for kind, expected in [("convolve", np.convolve(f, g)), ("correlate", np.correlate(f, g, "full"))]:
        padded, kernel, out = F.slide_layout(f, g, kind)
        windows = [padded[k:k + len(g)] @ kernel for k in range(len(f) + len(g) - 1)]
        np.testing.assert_allclose(windows, expected)
        np.testing.assert_allclose(out, expected)


def test_slide_figure_writes_the_sum_of_each_step():
    fig = F.slide_figure([3, 1, 4, 1, 5], [1, -2, 3], step=4)
    assert fig._suptitle.get_text() == "convolve(f, g), step 4 of 6: g reversed, then slid"
    assert fig.axes[2].get_title() == "products: 4*3 + 1*(-2) + 5*1 = 15 = out[4]"
    assert np.convolve([3, 1, 4, 1, 5], [1, -2, 3])[4] == 15
    fig = F.slide_figure([3, 1, 4, 1, 5], [1, -2, 3], step=0, kind="correlate")
    assert fig.axes[2].get_title() == "products: 0*1 + 0*(-2) + 3*3 = 9 = out[0]"
    for ax in fig.axes:
        assert ax.get_title() and ax.get_xlabel()


@pytest.mark.parametrize("kw, err, match", [
    (dict(step=7), ValueError, r"step 7 does not exist: f of length 5 and g of length 3 give 5 \+ 3 - 1 = 7 steps"),
    (dict(step=-1), ValueError, "numbered 0 to 6"),
    (dict(step=1.5), TypeError, "step must be an int"),
    (dict(kind="conv"), ValueError, "'convolve' or 'correlate'"),
])
def test_slide_figure_refuses_impossible_steps(kw, err, match):
    with pytest.raises(err, match=match):
        F.slide_figure([3, 1, 4, 1, 5], [1, 2, 3], **kw)


def test_slide_view_updated_in_place_shows_what_a_fresh_one_shows():
    """Steps, both kinds, and lengths of f and g that grow and shrink the grids, the padding and the window."""
    live_matches_fresh(F.SlideView, [
        dict(f=[3, 1, 4, 1, 5], g=[1, 2, 3], step=0),
        dict(f=[3, 1, 4, 1, 5], g=[1, 2, 3], step=6, kind="correlate"),
        dict(f=[7], g=[2], step=0),                                  # no padding at all, one cell
        dict(f=[1, -2], g=[0.5, 1, 2, -1], step=4),                  # signed: the diverging map, more padding
        dict(f=list(range(16)), g=[1, -1], step=16, kind="correlate"),
        dict(f=[3, 1, 4, 1, 5], g=[1, 2, 3], step=2),
    ])


def test_slide_view_lays_out_again_only_when_the_lengths_change():
    view = F.SlideView()
    assert view.update([3, 1, 4, 1, 5], [1, 2, 3], step=0) is True
    assert view.update([3, 1, 4, 1, 5], [1, 2, 3], step=5, kind="correlate") is False
    assert view.update([3, 1, 4], [1, 2, 3], step=0) is True


@pytest.mark.parametrize("kw", [dict(step=9), dict(step=1.5), dict(kind="conv"), dict(g=[[1, 2]])])
def test_slide_view_refusing_a_setting_keeps_the_last_picture(kw):
    view = F.SlideView()
    view.update([3, 1, 4, 1, 5], [1, 2, 3], step=2)
    before = figure_checks.picture_content(view.figure)
    with pytest.raises((ValueError, TypeError)):
        view.update(**{**dict(f=[3, 1], g=[1, 2, 3], step=2), **kw})
    assert figure_checks.picture_content(view.figure) == before


def test_slide_steps_figure_lists_both_outputs():
    fig = F.slide_steps_figure([3, 1, 4, 1, 5], [1, 2, 3])
    texts = lambda ax: [t.get_text() for t in ax.texts]
    assert texts(fig.axes[1]) == [str(v) for v in np.convolve([3, 1, 4, 1, 5], [1, 2, 3])]
    assert texts(fig.axes[3]) == [str(v) for v in np.correlate([3, 1, 4, 1, 5], [1, 2, 3], "full")]
    assert fig._suptitle.get_text().startswith("Sliding g = [1, 2, 3] over f = [3, 1, 4, 1, 5]")


def test_flip_figure_zero_difference_for_blur_and_double_for_sobel():
    img = np.random.default_rng(0).random((12, 10))
    sobel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    fig = F.flip_2d_figure(img, {"blur": np.ones((3, 3)) / 9, "sobel": sobel})
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert "difference: max |conv - corr| = 0" in titles
    expected = np.abs(2 * cz.convolve(img, sobel, mode="valid")).max()
    assert f"difference: max |conv - corr| = {expected:.2f}" in titles
    with pytest.raises(ValueError, match="grey image"):
        F.flip_2d_figure(np.zeros((3, 4, 4)), {"blur": np.ones((3, 3))})


def test_learned_flip_figure_checks_lengths():
    with pytest.raises(ValueError, match="same length"):
        F.learned_flip_figure([1, 2], [1, 2, 3], [1.0])


def test_slide_explorer_plays_and_explains_bad_input():
    W = pytest.importorskip("convzoo.widgets.correlation")
    ex = W.slide_explorer("3 1 4 1 5", "1 2 3")
    assert ex.message.value == "" and ex.image.value[:4] == b"\x89PNG"
    assert ex.play.max == ex.controls["step"].max == 6
    ex.controls["step"].value = 6
    ex.controls["g"].value = "1 2"          # fewer steps: the step moves back to the last one
    assert ex.controls["step"].value == 5 and ex.play.max == 5 and ex.message.value == ""
    ex.controls["f"].value = "1 two 3"
    assert "'two' is not a number" in ex.message.value
    ex.controls["f"].value = "1, 2, 3"
    ex.controls["kind"].value = "correlate"
    assert ex.message.value == ""
    with pytest.raises(ValueError, match="at most 16"):
        W.parse_numbers(" ".join(["1"] * 17), "f")


def test_describe_mismatch_for_check_cells():
    assert describe_mismatch(np.array([1, 2]), [1, 2]) == ""
    assert describe_mismatch([1, 2, np.nan], [1, 2, 3], "y") == "y has a non-finite value (nan or inf) at index 2"
    assert describe_mismatch(["a"], [1], "y") == "y should hold numbers, but it holds <U1 values"
    assert describe_mismatch([1.0, 2.0 + 1e-9], [1, 2], atol=1e-6) == ""
