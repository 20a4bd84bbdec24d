"""Chapter 9: flattened filters (rank-1 tensors), the ALS sweeps and their bounds, the figures and the explorer."""

import numpy as np
import pytest

from figure_checks import explorer_says, titled_and_labelled

import convzoo as cz


# ---- the best rank-1 filter: against independent oracles ---------------------------------------------
def _grid_best_error(w, steps=721):
    """Oracle for a (C, 2, 2) filter: unit v and h are (cos a, sin a), (cos b, sin b) with a, b in [0, pi);
    for fixed v, h the best l is W(., v, h), leaving ||W||^2 - ||W(., v, h)||^2. Search a fine grid."""
    a = np.linspace(0, np.pi, steps, endpoint=False)
    v = np.stack([np.cos(a), np.sin(a)], axis=1)                        # (steps, 2)
    sig2 = np.sum(np.einsum("cij,ai,bj->abc", w, v, v) ** 2, axis=-1)   # (steps, steps)
    return np.sqrt(max(np.sum(w ** 2) - sig2.max(), 0.0)) / np.linalg.norm(w)


@pytest.mark.parametrize("seed", range(5))
def test_flatten_filter_and_sweeps_reach_the_grid_search_optimum(seed):
    w = np.random.default_rng(seed).standard_normal((4, 2, 2))
    best = _grid_best_error(w)
    flat = cz.flatten_filter(w)
    assert flat.relative_error == pytest.approx(best, abs=2e-3)
    assert flat.relative_error <= best + 1e-12          # the grid can only be worse than the optimum
    trace = cz.rank1_sweeps(w, sweeps=200)
    assert trace.errors[-1] == pytest.approx(flat.relative_error, abs=1e-9)


@pytest.mark.parametrize("start", ["hosvd", "random"])
def test_sweeps_never_increase_the_error_and_match_their_vectors(start):
    w = np.random.default_rng(3).standard_normal((5, 3, 3))
    trace = cz.rank1_sweeps(w, sweeps=30, start=start, seed=1)
    assert np.all(np.diff(trace.errors) <= 1e-12)
    assert np.linalg.norm(trace.vertical) == pytest.approx(1) and np.linalg.norm(trace.horizontal) == pytest.approx(1)
    approx = np.einsum("c,i,j->cij", trace.lateral, trace.vertical, trace.horizontal)
    np.testing.assert_allclose(trace.approximation, approx)
    assert trace.errors[-1] == pytest.approx(np.linalg.norm(w - approx) / np.linalg.norm(w))
    # at a stationary point the error is sqrt(||W||^2 - sigma^2)/||W||, sigma = ||lateral||
    sigma = np.linalg.norm(trace.lateral)
    assert trace.errors[-1] == pytest.approx(np.sqrt(np.sum(w ** 2) - sigma ** 2) / np.linalg.norm(w), abs=1e-8)
    with pytest.raises(ValueError, match="start must be 'hosvd' or 'random'"):
        cz.rank1_sweeps(w, start="svd")
    with pytest.raises(ValueError, match="filter"):
        cz.rank1_sweeps(w[0])


def test_restarts_find_local_optima_and_keep_the_best():
    w = np.random.default_rng(5).standard_normal((4, 3, 3))
    best, finals = cz.rank1_restarts(w, restarts=10)
    assert finals.shape == (11,) and best.errors[-1] == finals.min()
    assert finals[0] == pytest.approx(cz.flatten_filter(w).relative_error, abs=1e-6)   # HOSVD start = flatten_filter
    assert finals.min() < finals[0] - 0.01                                            # a random start does better
    assert finals.min() >= cz.unfolding_errors(w).max()
    # one channel: a matrix, every start reaches the SVD's answer
    k = np.random.default_rng(6).standard_normal((1, 4, 4))
    _, finals = cz.rank1_restarts(k, restarts=5)
    np.testing.assert_allclose(finals, cz.separate_kernel(k[0]).relative_error, atol=1e-9)


def test_one_channel_is_chapter_8_spatial_separability():
    k = np.random.default_rng(4).standard_normal((5, 5))
    split = cz.separate_kernel(k)
    flat = cz.flatten_filter(k[None])
    assert flat.relative_error == pytest.approx(split.relative_error, abs=1e-9)
    np.testing.assert_allclose(flat.approximation[0], split.approximation, atol=1e-8)
    np.testing.assert_allclose(cz.unfolding_errors(k[None]), [0, split.relative_error, split.relative_error],
                               atol=1e-12)


def test_unfolding_errors_are_lower_bounds_and_zero_for_rank_1():
    rng = np.random.default_rng(5)
    for shape in [(3, 3, 3), (8, 3, 3), (2, 5, 4), (16, 3, 3)]:
        w = rng.standard_normal(shape)
        bounds = cz.unfolding_errors(w)
        s = np.linalg.svd(w.reshape(shape[0], -1), compute_uv=False)   # lateral unfolding, by hand
        assert bounds[0] == pytest.approx(np.sqrt(np.sum(s[1:] ** 2) / np.sum(s ** 2)))
        assert cz.flatten_filter(w).relative_error >= bounds.max() - 1e-12
    w = cz.rank1_filter(rng.standard_normal(4), rng.standard_normal(3), rng.standard_normal(3))
    np.testing.assert_allclose(cz.unfolding_errors(w), 0, atol=1e-7)
    assert np.all(cz.unfolding_errors(np.zeros((2, 3, 3))) == 0)


def test_example_filters():
    for kind in cz.FILTER_KINDS:
        w = cz.example_filter(kind, 3, 5)
        assert w.shape == (3, 5, 5) and w.dtype == np.float64
        np.testing.assert_array_equal(w, cz.example_filter(kind, 3, 5))    # the same on every call
    assert cz.flatten_filter(cz.example_filter("rank-1", 16, 3)).relative_error < 1e-12
    assert abs(cz.example_filter("photo patch", 3, 5).mean()) < 1e-12
    # smooth filters flatten better than random ones (mean over seeds)
    smooth = np.mean([cz.flatten_filter(cz.example_filter("smooth", 8, 3, s)).relative_error for s in range(5)])
    rand = np.mean([cz.flatten_filter(cz.example_filter("random", 8, 3, s)).relative_error for s in range(5)])
    assert smooth < rand
    with pytest.raises(ValueError, match="at most 3 channels"):
        cz.example_filter("photo patch", 4)
    with pytest.raises(ValueError, match="unknown filter kind"):
        cz.example_filter("gabor")
    with pytest.raises(ValueError, match="size must be at most 9"):
        cz.example_filter("random", 3, 10)


def test_flattened_conv2d_is_the_loop_convolution_with_the_rank_1_weight():
    rng = np.random.default_rng(6)
    x = rng.integers(-3, 4, (2, 3, 7, 6))
    l, v, h = rng.integers(-2, 3, (4, 3)), rng.integers(-2, 3, (4, 3)), rng.integers(-2, 3, (4, 3))
    for stride, padding in [(1, 0), (1, 1), (2, 1)]:
        got = cz.flattened_conv2d(x, l, v, h, stride=stride, padding=padding)
        loops = cz.conv_general_naive(x, cz.rank1_filter(l, v, h), stride=stride, padding=padding)
        np.testing.assert_array_equal(got, loops)


def test_flattened_conv2d_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    x, l, v, h = rng.standard_normal((1, 3, 8, 8)), rng.standard_normal((5, 3)), rng.standard_normal((5, 3)), \
        rng.standard_normal((5, 3))
    w = cz.rank1_filter(l, v, h)
    ref = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w), padding=1).numpy()
    np.testing.assert_allclose(cz.flattened_conv2d(x, l, v, h, padding=1), ref, atol=1e-10)


def test_parameter_counts():
    assert cz.flattened_params(64, 1, 3, bias=False) == 64 + 6
    assert cz.conv_params(64, 1, 3, bias=False) == 64 * 9
    assert cz.flattened_macs(64, 128, 3, 56) == 128 * (64 + 6) * 56 * 56


# ---- figures --------------------------------------------------------------------------------------
pytest.importorskip("matplotlib")
from convzoo.figures import flattened as F  # noqa: E402


def _cells(ax):
    return [t.get_text() for t in ax.texts if not t.get_text().startswith("c = ")]


def test_outer_product_figure_writes_every_weight():
    fig = F.outer_product_figure([1, 2], [1, 2, 1], [-1, 0, 1])
    titled_and_labelled(fig)
    w = np.einsum("c,i,j->cij", [1, 2], [1, 2, 1], [-1, 0, 1])
    expected = [f"{v:g}" for v in np.concatenate([w[0], np.full((3, 1), np.nan), w[1]], axis=1).ravel()
                if np.isfinite(v)]
    assert _cells(fig.axes[3]) == expected
    assert "2 + 3 + 3 = 8 numbers" in fig._suptitle.get_text() and "= 18 weights" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match="1-D filter"):
        F.outer_product_figure([[1, 2]], [1], [1])


def test_three_passes_figure_counts_and_matches_an_independent_correlation():
    x = np.random.default_rng(0).integers(0, 10, (2, 5, 5))
    fig = F.three_passes_figure(x, [1, 2], [1, 2, 1], [-1, 0, 1])
    titled_and_labelled(fig)
    titles = [ax.get_title() for ax in fig.axes]
    assert "= 50 mult." in titles[1] and "= 45 mult." in titles[2] and "= 27 mult." in titles[3]
    assert "= 162 mult." in titles[4]
    sobel = np.outer([1, 2, 1], [-1, 0, 1])
    expected = cz.correlate(x[0], sobel, "valid") + 2 * cz.correlate(x[1], sobel, "valid")
    assert _cells(fig.axes[3]) == [f"{v:g}" for v in expected.ravel()]
    assert _cells(fig.axes[4]) == [f"{v:g}" for v in expected.ravel()]
    with pytest.raises(ValueError, match="one number per input channel"):
        F.three_passes_figure(x, [1, 2, 3], [1, 2, 1], [-1, 0, 1])
    with pytest.raises(ValueError, match="does not fit"):
        F.three_passes_figure(x[:, :2], [1, 2], [1, 2, 1], [-1, 0, 1])


def test_rank1_figure_titles_carry_the_error_and_the_counts():
    w = cz.example_filter("random", 3, 3)
    fig = F.rank1_figure(w, "random")
    titled_and_labelled(fig)
    err = cz.flatten_filter(w).relative_error
    assert fig.axes[0].get_title().endswith(f"and the rest: relative error {err:.3f}")
    assert "3x3x3 = 27 weights; flattened, 3 + 3 + 3 = 9" in fig._suptitle.get_text()
    bars = [p.get_height() for p in fig.axes[1].patches]
    np.testing.assert_allclose(bars, [err, *cz.unfolding_errors(w)])
    assert len(_cells(fig.axes[0])) == 3 * 27                # small: every value of the three blocks written
    big = F.rank1_figure(cz.example_filter("random", 8, 7), "big")
    assert _cells(big.axes[0]) == [] and any(ax.get_label() == "<colorbar>" for ax in big.axes)
    with pytest.raises(ValueError, match=r"\(C, kh, kw\) filter"):
        F.rank1_figure(np.zeros((9, 3, 3)))


def test_other_figures_draw_with_labels():
    filters = {k: cz.example_filter(k, 3, 3) for k in cz.FILTER_KINDS}
    fig = F.convergence_figure(filters, sweeps=6)
    titled_and_labelled(fig)
    ys = fig.axes[0].get_lines()[0].get_ydata()          # the rank-1 filter: exact after one sweep
    assert np.max(ys) < 1e-12
    with pytest.raises(ValueError, match="1 to 6 filters"):
        F.convergence_figure({})
    fig = F.error_by_kind_figure(channels=(1, 2, 4), seeds=2)
    titled_and_labelled(fig)
    lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}
    assert list(lines["photo patch"].get_xdata()) == [1, 2]     # no 4-channel photo
    fig = F.params_figure(channels=(1, 64), kernel_sizes=(3, 5))
    titled_and_labelled(fig)
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), [7 / 9, 70 / 576])


# ---- the explorer ------------------------------------------------------------------------------------
def test_flatten_draw_and_explorer():
    pytest.importorskip("ipywidgets")
    from convzoo.widgets import flattened as Wf

    for kind in cz.FILTER_KINDS:
        titled_and_labelled(Wf.draw_flatten(kind, 3, 3))
    assert Wf.draw_flatten("rank-1", 5, 5).axes[0].get_title().endswith("relative error 0.000")
    with pytest.raises(ValueError, match="at most 3 channels"):
        Wf.draw_flatten("photo patch", 4, 3)
    with pytest.raises(ValueError, match="unknown filter kind"):
        Wf.draw_flatten("nope", 3, 3)
    with pytest.raises(ValueError, match="at most 8 channels"):
        Wf.draw_flatten("random", 9, 3)
    explorer_says(Wf.flatten_explorer(),
                  ({"kind": "photo patch", "channels": 5}, "at most 3 channels"),
                  ({"channels": 1}, ""))


def test_flatten_view_redraws_in_place_like_a_fresh_one():
    pytest.importorskip("ipywidgets")
    from figure_checks import live_matches_fresh, picture_content

    from convzoo.widgets import flattened as Wf

    # labelled and unlabelled grids, 1 to 8 slices, blocks of 1 to 7 rows, and back
    settings = [dict(kind="random", channels=3, kernel_size=3), dict(kind="random", channels=8, kernel_size=7),
                dict(kind="rank-1", channels=1, kernel_size=1), dict(kind="smooth", channels=5, kernel_size=3, seed=2),
                dict(kind="photo patch", channels=2, kernel_size=5), dict(kind="random", channels=3, kernel_size=3)]
    live_matches_fresh(Wf.FlattenView, settings)
    view = Wf.FlattenView()
    view.update("random", 3, 3)
    assert [t.get_text() for t in view.figure.axes[0].texts if t.get_visible() and t.get_text().startswith("c = ")] \
        == ["c = 0", "c = 1", "c = 2"]
    before = picture_content(view.figure)
    for bad in [dict(kind="photo patch", channels=5), dict(channels=9), dict(kind="nope")]:
        with pytest.raises(ValueError):
            view.update(**bad)
        assert picture_content(view.figure) == before, f"{bad} changed the picture"
    # the layout is redone only when a margin could change: the first time, not for another filter
    fresh = Wf.FlattenView()
    assert fresh.update("random", 3, 3) is True and fresh.update("smooth", 8, 7, seed=3) is False


def test_rank1_figure_has_a_colour_bar_only_without_values():
    small = F.rank1_figure(cz.example_filter("random", 3, 3))
    big = F.rank1_figure(cz.example_filter("random", 8, 7))
    assert not any(ax.get_label() == "<colorbar>" for ax in small.axes)
    bar = [ax for ax in big.axes if ax.get_label() == "<colorbar>"][0]
    w = cz.example_filter("random", 8, 7)
    top = np.abs(np.concatenate([w.ravel(), cz.flatten_filter(w).approximation.ravel()])).max()
    assert [t.get_text() for t in bar.get_yticklabels()] == [f"{v + 0.0:.2f}" for v in np.linspace(-top, top, 5)]
    with pytest.raises(ValueError, match="colour bar"):
        F.Rank1View(shape=(8, 7, 7), colorbar=False).update(w, annotate=False)


def test_cell_labels_draw_their_own_characters(monkeypatch):
    """Labels of one digit pattern share a layout; each must still draw its own characters, glyph by glyph."""
    from convzoo.figures.common import new_figure
    from convzoo.figures.live import as_cell_texts, cell_text
    from convzoo.widgets.render import CachedTextCanvas, CachedTextRenderer

    fig, ax = new_figure(size=(6, 1))
    ax.set_axis_off()
    ax.set_xlim(-0.5, 5.5)
    words = ["0.05", "0.00", "-1.27", "-3.84", "c = 7", "12"]
    texts = [cell_text(ax, i, 0, w, ha="center", va="center") for i, w in enumerate(words)]
    as_cell_texts(fig)
    drawn = []
    plain_draw = CachedTextRenderer.draw_text

    def recorded(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        drawn.append((x, s))
        return plain_draw(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    monkeypatch.setattr(CachedTextRenderer, "draw_text", recorded)
    for _ in range(2):           # the second time from the shared layouts (glyph by glyph, or a whole line)
        drawn.clear()
        CachedTextCanvas(fig).draw()
        assert "".join(s for _, s in sorted(drawn)).replace(" ", "") == "".join(w.replace(" ", "") for w in words)
    assert all(type(t).__name__ == "CellText" for t in texts + [ax.title, ax.xaxis.label])
