"""Chapter 11: the channel shuffle (against torch and a by-hand formula), what it spreads through stacked grouped
layers (against real convolutions with one input channel changed), its figures and its explorer."""

from functools import partial

import numpy as np
import pytest

from figure_checks import explorer_says, titled_and_labelled

import convzoo as cz

pytest.importorskip("ipywidgets")

from convzoo.figures import shuffle as F  # noqa: E402
from convzoo.widgets import shuffle as Ws  # noqa: E402


def divisor_pairs(max_c=24):
    return [(c, g) for c in range(1, max_c + 1) for g in range(1, c + 1) if c % g == 0]


# ---- the shuffle itself ------------------------------------------------------------------------------------
def test_the_chapters_permutations():
    assert cz.shuffle_permutation(6, 3).tolist() == [0, 2, 4, 1, 3, 5]
    assert cz.shuffle_permutation(12, 4).tolist() == [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]


@pytest.mark.parametrize("c, g", divisor_pairs())
def test_shuffle_is_the_by_hand_formula_and_its_inverse_uses_c_over_g_groups(c, g):
    perm = cz.shuffle_permutation(c, g)
    n = c // g
    assert perm.tolist() == [(i % g) * n + i // g for i in range(c)]   # row i % g, column i // g of the (g, n) grid
    assert sorted(perm.tolist()) == list(range(c))                       # a permutation
    inverse = cz.shuffle_permutation(c, n)
    assert perm[inverse].tolist() == list(range(c)) and inverse[perm].tolist() == list(range(c))
    assert np.array_equal(np.argsort(perm), inverse)


def test_channel_shuffle_matches_torch():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal((2, 12, 3, 4))
    for g in (1, 2, 3, 4, 6, 12):
        want = torch.nn.functional.channel_shuffle(torch.from_numpy(x), g).numpy()
        np.testing.assert_array_equal(cz.channel_shuffle(x, g), want)


def test_permutation_matrix():
    perm = cz.shuffle_permutation(6, 3)
    p = cz.permutation_matrix(perm)
    v = np.arange(10, 16)
    assert np.array_equal(p @ v, v[perm])
    assert np.array_equal(p.T @ p, np.eye(6, dtype=int))
    assert np.array_equal(p.T, cz.permutation_matrix(cz.shuffle_permutation(6, 2)))
    with pytest.raises(ValueError, match=r"each of 0 ... 2 exactly once, but got \[0, 0, 1\]"):
        cz.permutation_matrix([0, 0, 1])
    with pytest.raises(ValueError, match="1-D array of integers"):
        cz.permutation_matrix([0.0, 1.0])


# ---- what the shuffle spreads ---------------------------------------------------------------------------------
def measured_reach(c, g, layers, shuffle, seed=0):
    """An independent oracle: real grouped 1x1 convolutions on random numbers; change one input channel at a
    time and record which output channels change."""
    rng = np.random.default_rng(seed)
    ws = [rng.standard_normal((c, c // g, 1, 1)) for _ in range(layers)]
    x = rng.standard_normal((c, 2, 2))

    def run(v):
        for k, w in enumerate(ws):
            v = cz.conv2d(v, w, groups=g)
            if shuffle and k < layers - 1:
                v = cz.channel_shuffle(v, g)
        return v

    base = run(x)
    reach = np.zeros((c, c), dtype=int)
    for i in range(c):
        poked = x.copy()
        poked[i] += 1.0
        reach[:, i] = np.abs(run(poked) - base).max(axis=(1, 2)) > 1e-9
    return reach


@pytest.mark.parametrize("c, g, layers", [(6, 3, 2), (12, 4, 2), (12, 4, 3), (12, 3, 2), (8, 2, 3), (9, 3, 2),
                                          (8, 8, 3), (16, 4, 1)])
def test_connectivity_and_reach_equal_what_real_convolutions_do(c, g, layers):
    for shuffle in (False, True):
        got = cz.channel_connectivity([g] * layers, c, shuffle=shuffle)
        np.testing.assert_array_equal(got, measured_reach(c, g, layers, shuffle))
    counts = cz.channel_connectivity([g] * layers, c, shuffle=True).sum(axis=1)
    assert counts.min() == counts.max() == cz.shuffle_reach(c, g, layers)
    assert (cz.channel_connectivity([g] * layers, c).sum(axis=1) == c // g).all()


@pytest.mark.parametrize("c, g", divisor_pairs())
def test_layers_to_connect_is_the_first_dense_stack(c, g):
    need = cz.layers_to_connect(c, g)
    dense = [cz.channel_connectivity([g] * n, c, shuffle=True).min() == 1 for n in range(1, 8)]
    if need is None:
        assert not any(dense) and g == c > 1
    else:
        assert dense.index(True) + 1 == need
        assert (need <= 2) == (g * g <= c)


def test_shuffle_helpers_refuse_bad_groups():
    with pytest.raises(ValueError, match="Got 6 channels and 4 groups"):
        cz.shuffle_reach(6, 4, 2)
    with pytest.raises(ValueError, match="layers must be positive"):
        cz.shuffle_reach(6, 3, 0)
    with pytest.raises(TypeError, match="groups must be an integer"):
        cz.layers_to_connect(6, 1.5)


# ---- figures ------------------------------------------------------------------------------------------------
_titled_and_labelled = partial(titled_and_labelled, draws=("images",))


def test_group_check_lists_the_groups_that_work():
    assert F.shuffle_groups(12) == [1, 2, 3, 4, 6, 12]
    with pytest.raises(ValueError, match=r"groups=4 does not divide channels=6 .* groups can be 1, 2, 3 or 6$"):
        F.check_shuffle_groups(6, 4)
    with pytest.raises(ValueError, match="groups can be 1 or 7$"):
        F.check_shuffle_groups(7, 2)


def test_steps_figure_writes_every_step():
    fig = F.shuffle_steps_figure(12, 4)
    _titled_and_labelled(fig)
    texts = [[t.get_text() for t in ax.texts] for ax in fig.axes[:4]]
    assert texts[0] == [str(i) for i in range(12)]
    assert texts[1] == [str(i) for i in np.arange(12).reshape(4, 3).ravel()]
    assert texts[2] == [str(i) for i in np.arange(12).reshape(4, 3).T.ravel()]
    assert texts[3] == ["0", "3", "6", "9", "1", "4", "7", "10", "2", "5", "8", "11"]
    assert fig._suptitle.get_text().endswith("perm = [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]")
    with pytest.raises(ValueError, match="groups=5 does not divide channels=12"):
        F.shuffle_steps_figure(12, 5)
    with pytest.raises(ValueError, match="at most 24 channels"):
        F.shuffle_steps_figure(32, 4)


def test_connectivity_figure_shows_both_matrices():
    fig = F.shuffle_connectivity_figure(6, 3, 2)
    _titled_and_labelled(fig)
    plain, mixed = fig.axes[0], fig.axes[1]
    np.testing.assert_array_equal(plain.images[0].get_array(), cz.channel_connectivity([3, 3], 6))
    np.testing.assert_array_equal(mixed.images[0].get_array(), cz.channel_connectivity([3, 3], 6, shuffle=True))
    cells = [t.get_text() for t in mixed.texts if t.get_transform() == mixed.transData]   # not the index labels
    assert cells == [str(v) for v in cz.channel_connectivity([3, 3], 6, shuffle=True).ravel()]
    assert plain.get_title() == "no shuffle: each output sees 2 of 6"
    assert mixed.get_title() == "shuffle between layers: sees 4 of 6"
    assert "only from L=3 layers on" in fig._suptitle.get_text()
    big = F.shuffle_connectivity_figure(24, 4, 2, permutation=True)
    assert [t.get_text() for t in big.axes[2].texts if t.get_transform() == big.axes[2].transData] == \
        [str(v) for v in cz.shuffle_permutation(24, 4)]
    assert "from L=2 layers on" in big._suptitle.get_text()
    assert "no number of layers" in F.shuffle_connectivity_figure(4, 4, 3)._suptitle.get_text()
    with pytest.raises(ValueError, match="layers must be 1 to 6"):
        F.shuffle_connectivity_figure(6, 3, 7)


def test_product_figure_counts_paths():
    fig = F.shuffle_product_figure(6, 2)
    _titled_and_labelled(fig)
    m = cz.group_mask(6, 6, 2)
    p = cz.permutation_matrix(cz.shuffle_permutation(6, 2))
    assert [t.get_text() for t in fig.axes[1].texts] == [str(v) for v in p.ravel()]
    assert [t.get_text() for t in fig.axes[3].texts] == [str(v) for v in (m @ m).ravel()]
    assert [t.get_text() for t in fig.axes[4].texts] == [str(v) for v in (m @ p @ m).ravel()]
    assert np.array_equal(m @ p @ m > 0, cz.channel_connectivity([2, 2], 6, shuffle=True) == 1)
    with pytest.raises(ValueError, match="at most 12 channels"):
        F.shuffle_product_figure(16, 4)


def test_perturbation_figure_counts_changed_outputs():
    plain = np.zeros((6, 2, 2))
    shuffled = np.zeros((6, 2, 2))
    plain[0:2] = 0.5
    shuffled[0:4] = 1.0
    fig = F.shuffle_perturbation_figure(plain, shuffled, channel=1, groups=3)
    _titled_and_labelled(fig)
    assert [t.get_text() for t in fig.axes[0].texts] == ["0.5"] * 2 + ["0"] * 4 + ["1"] * 4 + ["0"] * 2
    assert "2 of 6 outputs change without the shuffle, 4 of 6 with it" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match="channel must be an input channel, 0 to 5"):
        F.shuffle_perturbation_figure(plain, shuffled, channel=6, groups=3)
    with pytest.raises(ValueError, match="one shape"):
        F.shuffle_perturbation_figure(plain, shuffled[:3], channel=0, groups=3)


# ---- explorer -----------------------------------------------------------------------------------------------
def test_draw_shuffle_good_and_bad_settings():
    _titled_and_labelled(Ws.draw_shuffle(12, 3, 2))
    _titled_and_labelled(Ws.draw_shuffle(1, 1, 1))
    _titled_and_labelled(Ws.draw_shuffle(24, 24, 4))
    with pytest.raises(ValueError, match="groups=5 does not divide channels=12 .* groups can be 1, 2, 3, 4, 6 or 12"):
        Ws.draw_shuffle(12, 5, 2)


def test_shuffle_explorer_builds_and_reports_bad_groups():
    e = Ws.shuffle_explorer()
    assert set(e.controls) == {"channels", "groups", "layers"}
    explorer_says(e,
                  ({"groups": 5}, ("groups=5 does not divide channels=12", "groups can be 1, 2, 3, 4, 6 or 12")),
                  ({"groups": 4}, ""),
                  ({"channels": 10}, "groups=4 does not divide channels=10"))


def test_shuffle_view_redraws_in_place_like_a_fresh_one():
    from figure_checks import live_matches_fresh, picture_content

    # written cells (C <= 8) and colour-only ones, numbered every 1, 2 or 4 channels, strip font 9 and 7, and back
    settings = [dict(channels=12, groups=3, layers=2), dict(channels=1, groups=1, layers=1),
                dict(channels=24, groups=4, layers=4), dict(channels=8, groups=2, layers=3),
                dict(channels=16, groups=8, layers=2), dict(channels=12, groups=3, layers=2)]
    live_matches_fresh(Ws.ShuffleView, settings)
    live_matches_fresh(F.ShuffleConnectivityView, [dict(channels=6, groups=3), dict(channels=20, groups=5, layers=1,
                                                                                    annotate=True)])
    view = Ws.ShuffleView()
    view.update(12, 3, 2)
    before = picture_content(view.figure)
    for bad in [dict(groups=5), dict(channels=36, groups=1), dict(layers=7), dict(layers=0)]:
        with pytest.raises(ValueError):
            view.update(**{**dict(channels=12, groups=3, layers=2), **bad})
        assert picture_content(view.figure) == before, f"{bad} changed the picture"
    # numbers every channel up to 12, every 2nd up to 16, every 4th beyond
    strip = view.figure.axes[2]
    for c, shown in [(12, list(range(12))), (16, list(range(0, 16, 2))), (24, list(range(0, 24, 4)))]:
        view.update(c, 4, 2)
        numbers = [t.get_text() for t in strip.texts if t.get_visible() and t.get_transform() != strip.transData]
        assert numbers == [str(i) for i in shown]


def test_connectivity_figure_labels_inside_the_figure():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = F.shuffle_connectivity_figure(12, 4, 2)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    for ax in fig.axes:
        box = ax.xaxis.label.get_window_extent(renderer)
        assert box.y0 >= 0 and box.x0 >= 0, f"{ax.get_xlabel()!r} is cut off"
