"""Chapter 8: the best depthwise-separable fit of a full weight, the figures and the explorers."""
import numpy as np
import pytest

from figure_checks import explorer_says, live_matches_fresh, picture_content, titled_and_labelled

import convzoo as cz

SOBEL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])


# ---- separable_decompose: against an independent per-channel oracle ---------------------------------
def _dropped_error(weight, m):
    """Oracle: loop over input channels, SVD each (C_out, k*k) slice, the error is the dropped values."""
    w = np.asarray(weight, dtype=float)
    dropped = 0.0
    for c in range(w.shape[1]):
        s = np.linalg.svd(w[:, c].reshape(w.shape[0], -1), compute_uv=False)
        dropped += np.sum(s[m:] ** 2)
    return np.sqrt(dropped) / np.linalg.norm(w)


@pytest.mark.parametrize("m", [1, 2, 3])
def test_separable_decompose_is_exact_on_weights_a_separable_pair_makes(m):
    rng = np.random.default_rng(10 + m)
    d, p = rng.standard_normal((4 * m, 1, 3, 3)), rng.standard_normal((6, 4 * m))
    made = cz.separable_equivalent_weight(d, p, depth_multiplier=m)
    split = cz.separable_decompose(made, depth_multiplier=m)
    assert split.depthwise.shape == (4 * m, 1, 3, 3) and split.pointwise.shape == (6, 4 * m)
    assert split.relative_error < 1e-12
    np.testing.assert_allclose(cz.separable_equivalent_weight(split.depthwise, split.pointwise, m), made, atol=1e-10)
    x = rng.standard_normal((1, 4, 6, 6))
    np.testing.assert_allclose(cz.separable_conv2d(x, split.depthwise, split.pointwise, padding=1),
                               cz.conv2d(x, made, padding=1), atol=1e-10)


@pytest.mark.parametrize("m", [1, 2])
def test_separable_decompose_error_is_the_dropped_singular_values_and_no_pair_does_better(m):
    rng = np.random.default_rng(20 + m)
    w = rng.standard_normal((8, 3, 3, 3))
    split = cz.separable_decompose(w, depth_multiplier=m)
    assert split.relative_error == pytest.approx(_dropped_error(w, m))
    assert split.relative_error == pytest.approx(np.linalg.norm(w - split.approximation) / np.linalg.norm(w))
    for _ in range(50):  # random pairs, and small moves away from the best one, are never closer
        d, p = rng.standard_normal((3 * m, 1, 3, 3)), rng.standard_normal((8, 3 * m))
        assert np.linalg.norm(w - cz.separable_equivalent_weight(d, p, m)) >= np.linalg.norm(w - split.approximation)
        d2 = split.depthwise + 0.01 * rng.standard_normal(split.depthwise.shape)
        p2 = split.pointwise + 0.01 * rng.standard_normal(split.pointwise.shape)
        assert (np.linalg.norm(w - cz.separable_equivalent_weight(d2, p2, m))
                >= np.linalg.norm(w - split.approximation) - 1e-12)


def test_separable_decompose_full_multiplier_is_exact_and_bad_multiplier_is_refused():
    w = np.random.default_rng(30).standard_normal((4, 2, 3, 3))
    assert cz.separable_decompose(w, depth_multiplier=4).relative_error < 1e-12   # min(C_out, k*k) = 4
    with pytest.raises(ValueError, match=r"depth_multiplier must be at most min\(C_out, kh \* kw\) = 4"):
        cz.separable_decompose(w, depth_multiplier=5)
    with pytest.raises(ValueError, match="weight"):
        cz.separable_decompose(np.zeros((3, 3)))


# ---- figures --------------------------------------------------------------------------------------
pytest.importorskip("matplotlib")
from convzoo.figures import separable as F  # noqa: E402


def test_outer_product_figure_writes_sobel():
    fig = F.outer_product_figure([1, 2, 1], [-1, 0, 1])
    titled_and_labelled(fig)
    assert [t.get_text() for t in fig.axes[2].texts] == [str(v) for v in SOBEL.ravel()]
    with pytest.raises(ValueError, match="1-D kernel"):
        F.outer_product_figure([[1, 2]], [1])


def test_two_pass_figure_counts_72_against_81_and_shows_equal_outputs():
    x = np.random.default_rng(0).integers(0, 10, (5, 5))
    fig = F.two_pass_figure(x, [1, 2, 1], [-1, 0, 1])
    titled_and_labelled(fig)
    titles = [ax.get_title() for ax in fig.axes]
    assert "= 45 mult." in titles[1] and "= 27 mult." in titles[2] and "= 81 mult." in titles[3]
    expected = cz.correlate(x, SOBEL, "valid")      # scipy-style 2-D correlation, independent of conv2d
    assert [t.get_text() for t in fig.axes[2].texts] == [f"{v:g}" for v in expected.ravel()]
    assert [t.get_text() for t in fig.axes[3].texts] == [f"{v:g}" for v in expected.ravel()]
    with pytest.raises(ValueError, match="does not fit"):
        F.two_pass_figure(np.zeros((2, 5)), [1, 2, 1], [1, 1, 1])


def test_low_rank_figure_error_is_the_dropped_singular_values():
    rng = np.random.default_rng(1)
    k = rng.standard_normal((5, 5))
    s = np.linalg.svd(k, compute_uv=False)
    for r in (1, 3, 5):
        fig = F.low_rank_figure(k, r, name="random")
        titled_and_labelled(fig)
        expected = np.sqrt(np.sum(s[r:] ** 2)) / np.linalg.norm(k)
        assert f"relative error = {expected:.3f}" in fig.axes[3].get_title()
        assert [t.get_text() for t in fig.axes[3].texts] == [f"{v:.2f}" for v in s]
    with pytest.raises(ValueError, match="rank must be between 1 and 3"):
        F.low_rank_figure(SOBEL, 4)
    with pytest.raises(TypeError, match="rank must be an int"):
        F.low_rank_figure(SOBEL, 1.5)


def test_other_figures_draw_with_titles_and_right_numbers():
    rng = np.random.default_rng(2)
    fig = F.rank_error_figure({"Sobel": SOBEL, "random": rng.standard_normal((4, 4))})
    assert fig.axes[0].get_xlabel() and fig.axes[0].get_ylabel() and fig._suptitle.get_text()
    assert fig.axes[0].get_lines()[1].get_ydata()[-1] == pytest.approx(0, abs=1e-9)
    titled_and_labelled(F.depthwise_figure(rng.random((2, 8, 8)), rng.standard_normal((4, 1, 3, 3)), 2))
    with pytest.raises(ValueError, match=r"\(C \* m, 1, k, k\)"):
        F.depthwise_figure(rng.random((2, 8, 8)), rng.standard_normal((3, 1, 3, 3)), 2)
    fig = F.connectivity_figure(3, 4, 3, depth_multiplier=2)
    titled_and_labelled(fig)
    assert "108 weights" in fig.axes[0].get_title() and "54" in fig.axes[1].get_title()
    assert "24" in fig.axes[2].get_title()
    with pytest.raises(ValueError, match="at most 8"):
        F.connectivity_figure(9, 4, 3)
    sep = cz.separable_equivalent_weight(rng.standard_normal((6, 1, 3, 3)), rng.standard_normal((5, 6)), 2)
    fig = F.channel_rank_figure({"separable m=2": sep, "full": rng.standard_normal((5, 3, 3, 3))})
    titled_and_labelled(fig)
    assert [ax.get_title() for ax in fig.axes] == ["separable m=2: ranks per channel [2, 2, 2]",
                                                   "full: ranks per channel [5, 5, 5]"]
    fig = F.cost_figure(3, 128, 3, 5)
    assert "0.1189" in fig._suptitle.get_text() and fig.axes[0].get_xlabel()
    assert [t.get_text() for t in fig.axes[0].texts] == ["86,400", "675", "9,600", "10,275"]


# ---- explorers ------------------------------------------------------------------------------------
def test_low_rank_draw_and_explorer():
    pytest.importorskip("ipywidgets")
    from convzoo.widgets import separable as Ws

    for name in Ws.SEPARABLE_KERNELS:
        titled_and_labelled(Ws.draw_low_rank(name, 1))
    assert "relative error = 0.000" in Ws.draw_low_rank("Gaussian (5x5)", 1).axes[3].get_title()
    with pytest.raises(ValueError, match="unknown kernel"):
        Ws.draw_low_rank("nope", 1)
    with pytest.raises(ValueError, match="rank must be between 1 and 3"):
        Ws.draw_low_rank("Sobel x (3x3)", 5)
    explorer_says(Ws.low_rank_explorer(),
                  ({"kernel": "Laplacian (3x3)", "rank": 4}, "rank must be between 1 and 3"),
                  ({"rank": 2}, ""))


def test_cost_draw_and_explorer():
    pytest.importorskip("ipywidgets")
    from convzoo.widgets import separable as Ws

    fig = Ws.draw_separable_cost(3, 128, 3, 5)
    assert "1/N + 1/k^2 = 0.1189" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match="in_channels"):
        Ws.draw_separable_cost(0, 128, 3, 5)
    explorer_says(Ws.separable_cost_explorer(),
                  ({"kernel_size": 5}, ""))


# ---- the explorers' live figures: updated in place, they show what a fresh figure shows ----------------
def test_low_rank_live_view_shows_what_a_fresh_one_shows_and_refuses_without_change():
    pytest.importorskip("ipywidgets")
    from convzoo.widgets import separable as Ws

    # 5x5 and 3x3 kernels back and forth (cells, bars and their values come and go), all ranks
    settings = [dict(kernel="photo patch (5x5)", rank=1), dict(kernel="Sobel x (3x3)", rank=1),
                dict(kernel="random (5x5)", rank=5), dict(kernel="Laplacian (3x3)", rank=3),
                dict(kernel="disk (5x5)", rank=2), dict(kernel="Gaussian (5x5)", rank=4),
                dict(kernel="Laplacian (3x3)", rank=2), dict(kernel="photo patch (5x5)", rank=1)]
    live_matches_fresh(Ws.NamedKernelView, settings)
    v = Ws.NamedKernelView()
    assert v.update("random (5x5)", 4) is True                        # the first picture is laid out
    assert v.update("Sobel x (3x3)", 2) is False                      # another kernel and rank: same margins
    before = picture_content(v.figure)
    with pytest.raises(ValueError, match="rank must be between 1 and 3"):
        v.update("Laplacian (3x3)", 4)
    with pytest.raises(ValueError, match="unknown kernel"):
        v.update("nope", 1)
    assert picture_content(v.figure) == before
    view = F.LowRankView((3, 3))
    view.update(SOBEL, 1)
    before = picture_content(view.figure)
    with pytest.raises(ValueError, match="at most 3x3"):
        view.update(np.ones((4, 4)), 1)
    with pytest.raises(TypeError, match="rank must be an int"):
        view.update(SOBEL, 1.5)
    assert picture_content(view.figure) == before


def test_cost_live_view_shows_what_a_fresh_one_shows_and_refuses_without_change():
    settings = [dict(), dict(in_channels=1, out_channels=1, kernel_size=1, output_size=1),
                dict(in_channels=1024, out_channels=1024, kernel_size=9, output_size=224, depth_multiplier=4),
                dict(in_channels=3, out_channels=128, kernel_size=3, output_size=5), dict()]
    live_matches_fresh(F.CostView, settings)
    v = F.CostView()
    v.update(32, 64, 3, 56)
    assert v.update(33, 64, 3, 56) is False                           # a neighbouring setting: same margins
    before = picture_content(v.figure)
    with pytest.raises(ValueError, match="in_channels"):
        v.update(0, 128, 3, 5)
    assert picture_content(v.figure) == before
