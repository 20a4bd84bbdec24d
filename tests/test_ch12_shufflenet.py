"""Chapter 12's figures, explorer and unit steps: right numbers, titles and labels, clear refusals."""

from functools import partial

import numpy as np
import pytest

from figure_checks import explorer_says, titled_and_labelled

pytest.importorskip("ipywidgets")

import convzoo as cz  # noqa: E402
from convzoo.figures import shufflenet as F  # noqa: E402
from convzoo.widgets import shufflenet as Ws  # noqa: E402

CONFIGS = [(240, 60, 3, 28), (480, 120, 8, 14), (12, 9, 3, 8), (64, 16, 1, 5), (24, 12, 4, (3, 7))]


_titled_and_labelled = partial(titled_and_labelled, labels="each")


@pytest.mark.parametrize("c, m, g, size", CONFIGS)
def test_unit_cost_breakdown_sums_to_the_papers_formulas(c, m, g, size):
    h, w = (size, size) if isinstance(size, int) else size
    b = F.unit_cost_breakdown(c, m, g, size)
    totals = {unit: sum(macs for _, macs in rows) for unit, rows in b.items()}
    # ShuffleNet section 3.2, written out here independently of convzoo.cost
    assert totals == {"ResNet": h * w * (2 * c * m + 9 * m * m), "ResNeXt": h * w * (2 * c * m + 9 * m * m // g),
                      "ShuffleNet": h * w * (2 * c * m // g + 9 * m)}
    assert totals["ResNet"] == cz.resnet_unit_macs(c, h, w, m)
    assert totals["ResNeXt"] == cz.resnext_unit_macs(c, h, w, m, g)
    assert totals["ShuffleNet"] == cz.shufflenet_unit_macs(c, h, w, m, g)


def test_unit_cost_breakdown_counts_the_multiplications_of_real_layers():
    # brute force: one multiply-add per weight per output position, weights as the unit really has them
    c, m, g, s = 12, 6, 3, 5
    p = cz.init_shufflenet_unit(c, c, groups=g, bottleneck_ratio=m / c, rng=0)
    brute = sum(p[k].size * s * s for k in ("conv1", "dw", "conv2"))
    assert sum(macs for _, macs in F.unit_cost_breakdown(c, m, g, s)["ShuffleNet"]) == brute


@pytest.mark.parametrize("c, m, g", [(12, 9, 3), (24, 8, 4), (240, 60, 3), (60, 60, 6), (12, 12, 1), (24, 4, 4),
                                     (8, 2, 2), (96, 24, 8)])
@pytest.mark.parametrize("shuffle", [False, True])
def test_fast_reach_equals_channel_connectivity(c, m, g, shuffle):
    assert np.array_equal(F._unit_reach(c, m, g, shuffle), cz.channel_connectivity([g, g], [c, m, c], shuffle=shuffle))


def test_check_unit_sizes_names_the_bad_division():
    assert F.check_unit_sizes(240, 60, 4) == (240, 60, 4)
    with pytest.raises(ValueError, match=r"groups=7 must divide c=240 and m=60.*240/7"):
        F.check_unit_sizes(240, 60, 7)
    with pytest.raises(ValueError, match=r"60/8 = 7.5 is not whole"):
        F.check_unit_sizes(240, 60, 8)
    with pytest.raises(TypeError, match="groups must be an int"):
        F.check_unit_sizes(240, 60, 2.0)
    with pytest.raises(ValueError, match="m must be a positive int"):
        F.check_unit_sizes(240, 0, 2)


def test_unit_cost_figure_shows_the_totals():
    fig = F.unit_cost_figure(240, 60, 3, 28)
    _titled_and_labelled(fig)
    assert [t.get_text() for t in fig.axes[0].texts] == ["48.0M", "31.0M\n(1.5x fewer)", "7.9M\n(6.0x fewer)"]
    bars = [p.get_height() for p in fig.axes[0].patches]
    assert sum(bars) == 47980800 + 31046400 + 7949760
    fig = F.unit_cost_figure(12, 9, 3, 8, connectivity=True)
    _titled_and_labelled(fig)
    assert fig.axes[0].texts[0].get_text() == f"{cz.resnet_unit_macs(12, 8, 8, 9):,}"
    assert "each output sees 12 of 12 inputs\n(without shuffle 4)" in fig.axes[1].get_title()
    with pytest.raises(ValueError, match="must divide"):
        F.unit_cost_figure(240, 60, 9, 28)
    with pytest.raises(ValueError, match="size must be"):
        F.unit_cost_figure(240, 60, 3, (28, 28, 28))


def test_unit_connectivity_figure_writes_every_cell():
    fig = F.unit_connectivity_figure(12, 9, 3)
    _titled_and_labelled(fig)
    for ax, shuffle in zip(fig.axes, (False, True)):
        expected = cz.channel_connectivity([3, 3], [12, 9, 12], shuffle=shuffle)
        assert [t.get_text() for t in ax.texts] == [str(v) for v in expected.ravel()]
    assert fig.axes[0].get_title() == "no shuffle: each output sees 4 of 12 inputs"
    # m / g = 2 bottleneck channels per group cannot carry all 3 groups: the shuffle helps only partly
    assert F.unit_connectivity_figure(12, 6, 3).axes[1].get_title() == "with shuffle: each output sees 8 of 12 inputs"
    with pytest.raises(ValueError, match="at most 24 channels"):
        F.unit_connectivity_figure(48, 12, 3)


def test_mobilenet_cost_figure_shares_and_totals():
    sep, full = cz.mobilenet_v1_layers(), cz.mobilenet_v1_layers(full_conv=True)
    fig = F.mobilenet_cost_figure(sep, full)
    _titled_and_labelled(fig)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts[:2] == ["94.9%", "74.6%"]          # pointwise: multiply-adds, parameters
    assert texts[-2:] == ["0.18%", "24.3%"]        # the classifier: few multiply-adds, a quarter of the weights
    assert texts[4:6] == ["1.9%", "0.02%"]         # the first, full 3x3: two decimals below 1%, not "0.0%"
    assert [t.get_text() for t in fig.axes[1].texts] == ["4,867.3", "568.7", "29.3", "4.2"]


def test_shufflenet_unit_steps_match_a_composition_of_library_faces():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 12, 7, 7))
    for stride, c_out in ((1, 12), (2, 36)):
        p = cz.init_shufflenet_unit(12, c_out, groups=3, stride=stride, rng=1)
        y, steps = cz.shufflenet_unit(x, p, groups=3, stride=stride, return_steps=True)
        assert np.array_equal(y, cz.shufflenet_unit(x, p, groups=3, stride=stride))
        assert list(steps) == ["conv1 + relu", "shuffle", "depthwise", "conv2", "shortcut", "output"]
        h = np.maximum(cz.conv2d(x, p["conv1"], groups=3), 0)
        assert np.allclose(steps["conv1 + relu"], h)
        h = cz.channel_shuffle(h, 3)
        assert np.allclose(steps["shuffle"], h)
        h = cz.depthwise_conv2d(h, p["dw"], stride=stride, padding=1)
        assert np.allclose(steps["depthwise"], h)
        h = cz.pointwise_conv2d(h, p["conv2"], groups=3)
        assert np.allclose(steps["conv2"], h)
        short = x if stride == 1 else cz.avg_pool2d(x, 3, 2, 1)
        assert np.allclose(steps["shortcut"], short)
        expected = np.maximum(x + h, 0) if stride == 1 else np.maximum(np.concatenate([short, h], 1), 0)
        assert np.allclose(y, expected) and y is steps["output"]
    _, steps = cz.shufflenet_unit(x, cz.init_shufflenet_unit(12, 12, groups=1, rng=0), groups=1, return_steps=True)
    assert "shuffle" not in steps


def test_unit_steps_figure_titles_carry_the_shapes():
    x = np.random.default_rng(0).standard_normal((24, 8, 8))
    p = cz.init_shufflenet_unit(24, 48, groups=3, stride=2, rng=0)
    _, steps = cz.shufflenet_unit(x, p, groups=3, stride=2, return_steps=True)
    fig = F.unit_steps_figure(x, steps)
    _titled_and_labelled(fig)
    assert [ax.get_title() for ax in fig.axes] == [
        "input\n(24, 8, 8)", "conv1 + relu\n(12, 8, 8)", "shuffle\n(12, 8, 8)", "depthwise\n(12, 4, 4)",
        "conv2\n(24, 4, 4)", "shortcut\n(24, 4, 4)", "output\n(48, 4, 4)"]
    with pytest.raises(ValueError, match=r"channel must be in \[0, 12\)"):
        F.unit_steps_figure(x, steps, channel=12)
    with pytest.raises(TypeError, match="return_steps=True"):
        F.unit_steps_figure(x, [1, 2])


def test_draw_unit_cost_good_and_bad_settings():
    fig = Ws.draw_unit_cost(240, 60, 3, 28)
    _titled_and_labelled(fig)
    assert fig.axes[0].get_title() == "c=240, m=60, g=3, h x w = 28x28"
    with pytest.raises(ValueError, match="groups=7 must divide c=240 and m=60"):
        Ws.draw_unit_cost(240, 60, 7, 28)
    with pytest.raises(ValueError, match="groups=8 must divide.*60/8 = 7.5"):
        Ws.draw_unit_cost(240, 60, 8, 28)


def test_unit_cost_explorer_builds_and_reports_bad_groups():
    e = Ws.unit_cost_explorer()
    assert set(e.controls) == {"c", "m", "groups", "size"}
    explorer_says(e,
                  ({"groups": 7}, "groups=7 must divide c=240 and m=60"),
                  ({"groups": 4}, ""),
                  ({"m": 62}, "must divide"))


def test_unit_cost_view_redraws_in_place_like_a_fresh_one():
    from figure_checks import live_matches_fresh, picture_content

    # thousands and millions, a tiny and a 960-channel reach, written ratios, and back
    settings = [dict(c=240, m=60, groups=3, size=28), dict(c=12, m=4, groups=1, size=1),
                dict(c=960, m=480, groups=12, size=56), dict(c=12, m=12, groups=12, size=(3, 5)),
                dict(c=240, m=60, groups=3, size=28)]
    live_matches_fresh(lambda: F.UnitCostView(connectivity=True), settings)
    live_matches_fresh(F.UnitCostView, settings[:3])
    view = F.UnitCostView(connectivity=True)
    view.update(240, 60, 3, 28)
    before = picture_content(view.figure)
    for bad in [dict(groups=7), dict(c=1200, m=60), dict(size=(28, 28, 28)), dict(m=0)]:
        with pytest.raises((ValueError, TypeError)):
            view.update(**{**dict(c=240, m=60, groups=3, size=28), **bad})
        assert picture_content(view.figure) == before, f"{bad} changed the picture"
    heights = [p.get_height() for p in view.figure.axes[0].patches]
    breakdown = F.unit_cost_breakdown(240, 60, 3, 28)
    assert heights == [macs for unit in F.UNITS for _, macs in breakdown[unit]]
