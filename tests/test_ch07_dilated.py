"""Chapter 7: dilated kernels, footprints of dilated stacks, causal convolution; figures and explorer."""
import itertools
from functools import partial

import numpy as np
import pytest

import figure_checks
from figure_checks import explorer_says, live_matches_fresh, titled_and_labelled

import convzoo as cz
from convzoo.figures import dilated as F


def _brute_footprint_1d(rates, k):
    """Independent oracle: enumerate every chain of taps (one per layer) and count where it lands."""
    field = 1 + sum(d * (k - 1) for d in rates)
    counts = [0] * field
    for taps in itertools.product(range(k), repeat=len(rates)):
        counts[sum(t * d for t, d in zip(taps, rates))] += 1
    return counts


_titled_and_labelled = partial(titled_and_labelled, draws=("images", "lines", "collections"), labels="each")


# ---------------------------------------------------------------- library

@pytest.mark.parametrize("k, d", [(1, 1), (1, 5), (3, 1), (3, 2), (3, 4), (2, 8), (5, 3)])
def test_effective_kernel_size_is_the_span_conv_actually_uses(k, d):
    size = cz.effective_kernel_size(k, d)
    assert size == k + (k - 1) * (d - 1) == d * (k - 1) + 1
    # a 'valid' conv over an input of exactly that span gives one output; one pixel less is refused
    x = np.zeros((1, 1, size))
    assert cz.conv1d(x, np.ones((1, 1, k)), dilation=d).shape == (1, 1, 1)
    if size > 1:
        with pytest.raises(ValueError):
            cz.conv1d(x[..., 1:], np.ones((1, 1, k)), dilation=d)


def test_effective_kernel_size_refuses_bad_arguments():
    with pytest.raises(ValueError, match="dilation"):
        cz.effective_kernel_size(3, 0)
    with pytest.raises(ValueError, match="kernel_size"):
        cz.effective_kernel_size(0, 2)


@pytest.mark.parametrize("nd, d", [(1, 2), (1, 3), (2, 2), (2, (1, 3)), (3, (2, 1, 2))])
def test_dilated_conv_equals_conv_with_the_zero_inserted_kernel(nd, d):
    rng = np.random.default_rng(nd * 10 + int(np.sum(d)))
    x = rng.integers(-4, 5, (2, 3) + (11,) * nd)
    w = rng.integers(-3, 4, (4, 3) + (3,) * nd)
    dense = cz.dilate_kernel(w, d)
    ds = (d,) * nd if isinstance(d, int) else d
    assert dense.shape == (4, 3) + tuple(dj * 2 + 1 for dj in ds)
    # taps where they belong, zeros everywhere else (built here by explicit index assignment)
    expected = np.zeros_like(dense)
    for idx in itertools.product(*[range(3)] * nd):
        expected[(slice(None), slice(None)) + tuple(i * dj for i, dj in zip(idx, ds))] = w[(slice(None), slice(None)) + idx]
    assert np.array_equal(dense, expected)
    assert np.array_equal(cz.conv_general_naive(x, w, dilation=d), cz.conv_general(x, dense))


def test_dilate_kernel_refuses_a_bare_kernel_and_bad_rates():
    with pytest.raises(ValueError, match="C_out, C_in"):
        cz.dilate_kernel(np.ones((3, 3)), 2)
    with pytest.raises(ValueError, match="dilation must be positive"):
        cz.dilate_kernel(np.ones((1, 1, 3)), 0)


@pytest.mark.parametrize("rates, k", [([1], 3), ([2, 2, 2], 3), ([1, 2, 3], 3), ([1, 2, 4, 8], 2), ([1, 2, 9], 3),
                                      ([3, 1], 4), ([5], 2), ([1, 1, 2, 4], 3)])
def test_footprint_against_brute_force_paths_and_conv_transpose(rates, k):
    one_d = cz.footprint(rates, k, ndim=1)
    assert one_d.tolist() == _brute_footprint_1d(rates, k)
    assert one_d.size == cz.receptive_field([(k, 1, 0, d) for d in rates])[-1].size
    # 2-D: push an impulse back through the stack with all-ones kernels (the adjoint of the forward stack)
    y = np.ones((1, 1, 1, 1), dtype=np.int64)
    for d in reversed(rates):
        y = cz.conv_transpose2d(y, np.ones((1, 1, k, k), dtype=np.int64), dilation=d)
    assert np.array_equal(cz.footprint(rates, k, ndim=2), y[0, 0])
    assert cz.footprint(rates, k, ndim=3).shape == (one_d.size,) * 3


def test_footprint_counts_are_the_weights_of_an_all_ones_stack():
    rng = np.random.default_rng(7)
    rates = [1, 2, 3]
    x = rng.integers(-5, 6, (1, 1, 13, 13))
    y = x
    for d in rates:
        y = cz.conv2d(y, np.ones((1, 1, 3, 3), dtype=np.int64), dilation=d)
    assert y.shape == (1, 1, 1, 1)
    assert y[0, 0, 0, 0] == np.sum(cz.footprint(rates) * x[0, 0])


def test_footprint_gridding_numbers_of_the_chapter():
    grid, hybrid = cz.footprint([2, 2, 2]), cz.footprint([1, 2, 3])
    assert grid.shape == hybrid.shape == (13, 13)
    assert np.count_nonzero(grid) == 49 and np.count_nonzero(hybrid) == 169
    assert grid.sum() == hybrid.sum() == 9 ** 3
    assert cz.footprint([1, 2, 9], ndim=1).tolist().count(0) == 4
    assert cz.footprint([1, 2, 4, 8, 16, 32, 64, 128, 256, 512], 2, ndim=1).tolist() == [1] * 1024


def test_footprint_refuses_bad_stacks():
    with pytest.raises(ValueError, match="empty"):
        cz.footprint([])
    with pytest.raises(ValueError, match="dilation of layer 1 must be positive"):
        cz.footprint([1, 0])
    with pytest.raises(ValueError, match="2 sizes for 3 layers"):
        cz.footprint([1, 2, 4], kernel_size=[3, 3])
    with pytest.raises(ValueError, match="ndim must be 1, 2 or 3"):
        cz.footprint([1], ndim=4)
    with pytest.raises(TypeError, match="sequence of positive ints"):
        cz.footprint(None)


def test_gridding_with_even_rates_splits_the_image_into_four_independent_lattices():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((1, 1, 20, 20))
    w = [rng.standard_normal((1, 1, 3, 3)) for _ in range(3)]

    def stack(image, rates):
        for wi, d in zip(w, rates):
            image = cz.conv2d(image, wi, dilation=d)
        return image

    changed = x.copy()
    changed[..., 1::2, :] += 1.0  # every odd row
    for rates, untouched in [((2, 2, 2), True), ((1, 2, 3), False)]:
        a, b = stack(x, rates), stack(changed, rates)
        assert np.allclose(a[..., ::2, :], b[..., ::2, :]) == untouched


@pytest.mark.parametrize("k, d", [(2, 1), (2, 4), (3, 2), (1, 3)])
def test_causal_conv1d_keeps_the_length_and_never_looks_ahead(k, d):
    rng = np.random.default_rng(k * 10 + d)
    x = rng.integers(-5, 6, (2, 3, 12))
    w = rng.integers(-3, 4, (4, 3, k))
    b = rng.integers(-2, 3, 4)
    y = cz.causal_conv1d(x, w, b, dilation=d)
    assert y.shape == (2, 4, 12)
    # the formula, with loops: y[t] = b + sum_j w[j] x[t - d (k - 1 - j)], x = 0 before time 0
    expected = np.zeros_like(y)
    for n, o, t in itertools.product(range(2), range(4), range(12)):
        total = b[o]
        for c, j in itertools.product(range(3), range(k)):
            s = t - d * (k - 1 - j)
            total += w[o, c, j] * x[n, c, s] if s >= 0 else 0
        expected[n, o, t] = total
    assert np.array_equal(y, expected)
    later = x.copy()
    later[..., 7:] += 9
    assert np.array_equal(cz.causal_conv1d(later, w, b, dilation=d)[..., :7], y[..., :7])


def test_causal_conv1d_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(11)
    x, w = rng.standard_normal((2, 3, 16)), rng.standard_normal((5, 3, 2))
    for d in (1, 2, 4, 8):
        ref = torch.nn.functional.conv1d(torch.nn.functional.pad(torch.tensor(x), (d, 0)), torch.tensor(w), dilation=d)
        np.testing.assert_allclose(cz.causal_conv1d(x, w, dilation=d), ref.numpy(), atol=1e-12)


def test_dilated_conv2d_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(12)
    x, w = rng.standard_normal((1, 2, 15, 15)), rng.standard_normal((3, 2, 3, 3))
    for d, p in [(2, 2), (3, 0), (4, 4)]:
        ref = torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(w), padding=p, dilation=d).numpy()
        np.testing.assert_allclose(cz.conv2d(x, w, padding=p, dilation=d), ref, atol=1e-12)


def test_causal_conv1d_refuses_a_2d_weight():
    with pytest.raises(ValueError, match="3D weight"):
        cz.causal_conv1d(np.ones((1, 5)), np.ones((1, 1, 2, 2)))
    with pytest.raises(ValueError, match="dilation must be positive"):
        cz.causal_conv1d(np.ones((1, 5)), np.ones((1, 1, 2)), dilation=0)


# ---------------------------------------------------------------- figures

def test_dilated_kernel_figure_writes_weights_and_gaps():
    fig = F.dilated_kernel_figure(F.EXAMPLE_KERNEL, (1, 2, 3))
    _titled_and_labelled(fig)
    assert [ax.get_title() for ax in fig.axes[:3]] == [f"d = {d}: spans {s}x{s}, 9 weights" for d, s in [(1, 3), (2, 5), (3, 7)]]
    texts = [t.get_text() for t in fig.axes[1].texts]
    assert texts.count("0") >= 25 - 9  # every gap is written as 0
    with pytest.raises(ValueError, match="positive"):
        F.dilated_kernel_figure(rates=(0,))


def test_dilated_slide_figure_shows_the_conv2d_output():
    x = np.arange(49).reshape(7, 7) % 5
    fig = F.dilated_slide_figure(x, dilation=2, position=(1, 2))
    _titled_and_labelled(fig)
    y = cz.conv2d(x[None, None], F.EXAMPLE_KERNEL[None, None], dilation=2)[0, 0]
    assert [t.get_text() for t in fig.axes[1].texts] == [f"{v:g}" for v in y.ravel()]
    assert fig.axes[1].get_title().endswith(f"y[1, 2] = {y[1, 2]}")
    assert fig._supxlabel.get_text().endswith(f"= {y[1, 2]}")
    with pytest.raises(ValueError, match="outside the 3x3 output"):
        F.dilated_slide_figure(x, dilation=2, position=(3, 0))
    with pytest.raises(ValueError):
        F.dilated_slide_figure(x, dilation=4)  # a 9x9 span on a 7x7 input


def test_receptive_field_figure_labels_linear_and_exponential_growth():
    fig = F.receptive_field_figure(5)
    _titled_and_labelled(fig)
    assert [t.get_text() for t in fig.axes[0].texts] == ["3", "5", "7", "9", "11", "3", "7", "15", "31", "63"]
    with pytest.raises(ValueError, match="n_layers"):
        F.receptive_field_figure(0)


def test_footprint_figure_counts_reached_pixels():
    fig = F.footprint_figure([(2, 2, 2), (1, 2, 3), (1, 2, 9)])
    _titled_and_labelled(fig)
    titles = [ax.get_title() for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert titles == ["d = 2, 2, 2\n49 of 169 pixels reached", "d = 1, 2, 3\n169 of 169 pixels reached",
                      "d = 1, 2, 9\n441 of 625 pixels reached"]
    small = F.footprint_figure([(2, 2, 2)])
    written = [t.get_text() for t in small.axes[0].texts]
    assert sorted(map(int, written)) == sorted(cz.footprint([2, 2, 2]).ravel().tolist())
    with pytest.raises(ValueError, match="empty"):
        F.footprint_figure([])


def test_causal_stack_figure_and_gridding_effect():
    fig = F.causal_stack_figure((1, 2, 4, 8))
    _titled_and_labelled(fig)
    assert [t.get_text() for t in fig.axes[0].texts] == ["1"] * 16
    fig = F.causal_stack_figure((2, 2), kernel_size=2, length=8)
    assert fig.axes[0].get_title() == "output t sees inputs t-4 .. t: 3 of 5 reached, 4 paths"
    with pytest.raises(ValueError, match="shorter than the receptive field"):
        F.causal_stack_figure((1, 2, 4), length=5)
    fig = F.gridding_effect_figure()
    _titled_and_labelled(fig)
    assert "values 0.00 .. 1.00" in fig.axes[1].get_title()
    assert "values 0.49 .. 0.51" in fig.axes[2].get_title()


# ---------------------------------------------------------------- explorer

def test_parse_rates_and_draw_footprint():
    Wd = pytest.importorskip("convzoo.widgets.dilated")
    assert Wd.parse_rates("1, 2, 4") == Wd.parse_rates("[1 2 4]") == [1, 2, 4]
    fig = Wd.draw_footprint("2, 2, 2", 3, "2-D")
    _titled_and_labelled(fig)
    assert fig.axes[0].get_title() == "49 of 169 pixels reached (29%), 729 paths"
    assert "receptive field 13 (no dilation: 7)" in fig._suptitle.get_text()
    fig = Wd.draw_footprint("1, 2, 9", 3, "1-D")
    assert fig.axes[0].get_title() == "21 of 25 inputs reached (84%), 27 paths"
    for bad, match in [("", "no dilation rates"), ("1, x", "not a whole number"), ("1.5", "not a whole number"),
                       ("2, -1", "not allowed"), ("64, 64", "at most 129"), (",".join(["1"] * 13), "at most 12")]:
        with pytest.raises(ValueError, match=match):
            Wd.draw_footprint(bad)
    with pytest.raises(ValueError, match="at least 2"):
        Wd.draw_footprint("1", kernel_size=1)


class _Painted:
    """A view painted after every update as its explorer paints it: LiveRender lays it out when the update
    says so, from the grid's own places (where the axes sit, e.g. beside a colour bar made again, is its
    business, not the update's)."""

    def __init__(self, view_class):
        from convzoo.widgets.render import LiveRender

        self.view = view_class()
        self.figure, self.render = self.view.figure, LiveRender(self.view)

    def update(self, **values):
        changed = self.view.update(**values)
        self.render.png(relayout=changed)
        return changed


def test_footprint_view_updated_in_place_shows_what_a_fresh_one_shows():
    """2-D with and without written counts, 1-D with and without holes, and back: the colour bar, the labels,
    the stems and the legend come and go."""
    Wd = pytest.importorskip("convzoo.widgets.dilated")
    live_matches_fresh(partial(_Painted, Wd.FootprintView), [
        dict(rates="2, 2, 2"),                                # holes, counts written
        dict(rates="1, 2, 4, 8", kernel_size=7),              # 91 wide: no counts written
        dict(rates="2, 2, 2", dims="1-D"),                    # holes crossed, legend
        dict(rates="1", kernel_size=2, dims="1-D"),           # no holes, no legend
        dict(rates="1", kernel_size=2),                       # 2 wide, half offsets
        dict(rates="1, 2, 3", dims="1-D"),
        dict(rates="2, 2, 2"),
    ])


def test_footprint_view_lays_out_only_for_a_switch_and_keeps_its_picture_on_a_bad_setting():
    Wd = pytest.importorskip("convzoo.widgets.dilated")
    from convzoo.widgets.render import LiveRender

    view = Wd.FootprintView()
    render = LiveRender(view)  # as in the explorer: laid out when update says so, then painted
    render.png(relayout=view.update("1, 2, 4"))
    for k in (2, 4, 5, 3):  # new ranges of ticks and colours: the padded labels keep the margins
        assert view.update("1, 2, 4", kernel_size=k) is False
        render.png(relayout=False)
    assert view.update("1, 2, 4", dims="1-D") is True
    before = figure_checks.picture_content(view.figure)
    for bad in (dict(rates="1, x"), dict(rates="64, 64"), dict(kernel_size=1), dict(dims="3-D")):
        with pytest.raises(ValueError):
            view.update(**{**dict(rates="2, 2, 2"), **bad})
        assert figure_checks.picture_content(view.figure) == before


def test_footprint_explorer_builds_and_reports_bad_settings():
    Wd = pytest.importorskip("convzoo.widgets.dilated")
    explorer_says(Wd.footprint_explorer(),
                  ({"rates": "1, two"}, "not a whole number"),
                  ({"rates": "2, 2, 2"}, ""),
                  ({"rates": "40, 40", "kernel_size": 3}, "at most 129"),
                  ({"kernel_size": 2}, ""),
                  ({"dims": "1-D"}, ""))
