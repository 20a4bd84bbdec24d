"""Chapter 2's figures and explorers: they draw, carry titles and labels, and refuse bad settings clearly."""
from functools import partial

import numpy as np
import pytest

from figure_checks import explorer_says, titled_and_labelled

pytest.importorskip("ipywidgets")

import convzoo as cz  # noqa: E402
from convzoo.figures import multichannel as F  # noqa: E402
from convzoo.widgets import multichannel as Wm  # noqa: E402

SEED_X = [[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]]
SEED_K = [[0, 1, 2], [2, 2, 0], [0, 1, 2]]


_titled_and_labelled = partial(titled_and_labelled, draws=("images",))


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
    assert [t.get_text() for t in fig.axes[-1].texts] == [f"{v:g}" for v in expected.ravel()]
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
