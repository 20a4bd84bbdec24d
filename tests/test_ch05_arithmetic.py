"""Chapter 5's figures and explorer: the layouts agree with real convolutions, the figures write the right
numbers, and impossible settings get a readable message."""

from functools import partial

import numpy as np
import pytest

from figure_checks import live_matches_fresh, picture_content, titled_and_labelled

pytest.importorskip("ipywidgets")

import convzoo as cz  # noqa: E402
from convzoo.figures import arithmetic as F  # noqa: E402
from convzoo.widgets import arithmetic as Wa  # noqa: E402

# Dumoulin & Visin (2016): (i, k, s, p, d) -> o
GUIDE_CASES = [((4, 3, 1, 0, 1), 2), ((5, 4, 1, 2, 1), 6), ((5, 3, 1, 1, 1), 5), ((5, 3, 1, 2, 1), 7),
               ((5, 3, 2, 0, 1), 2), ((5, 3, 2, 1, 1), 3), ((6, 3, 2, 1, 1), 3), ((7, 3, 1, 0, 2), 3)]


_titled_and_labelled = partial(titled_and_labelled, draws=("images",))


def _texts(ax):
    return [t.get_text() for t in ax.texts]


@pytest.mark.parametrize("case, o", GUIDE_CASES)
def test_layout_matches_the_guide_and_an_actual_convolution(case, o):
    i, k, s, p, d = case
    lay = F.window_layout(i, k, s, p, d)
    assert lay.o == o == cz.conv_output_size(i, k, s, p, d)
    assert lay.unused == cz.unused_input(i, k, s, p, d)
    x = np.arange(i * i).reshape(1, 1, i, i)
    y = cz.conv2d(x, np.ones((1, 1, k, k), dtype=int), stride=s, padding=p, dilation=d)
    assert y.shape == (1, 1, o, o)
    # independent oracle: sum the taps the layout names, straight from the padded input
    xp = np.pad(x[0, 0], p)
    for r in range(o):
        for c in range(o):
            assert y[0, 0, r, c] == xp[np.ix_(lay.taps[r], lay.taps[c])].sum()


def test_layout_counts_reads_and_leftovers():
    lay = F.window_layout(6, 3, s=2)                 # windows at 0 and 2; cell 5 never read
    assert lay.reads.tolist() == [1, 1, 2, 1, 1, 0] and lay.unused == 1
    lay = F.window_layout(7, 3, s=2, d=2)            # taps 0,2,4 and 2,4,6: odd cells never read
    assert lay.reads.tolist() == [1, 0, 2, 0, 2, 0, 1] and lay.unused == 0
    lay = F.window_layout(5, 4, p=(1, 2))            # 'same' with an even kernel
    assert lay.o == 5 and lay.length == 8
    lay = F.window_layout(5, 2, s=2, ceil_mode=True)  # pooling's ceiling: the last window hangs over
    assert lay.o == cz.pool_output_size(5, 2, ceil_mode=True) == 3 and lay.overhang == 1
    assert lay.taps[-1].tolist() == [4, 5]


@pytest.mark.parametrize("args, err, match", [
    ((3, 5, 1, 0, 1), ValueError, r"the kernel does not fit: it spans d\(k - 1\) \+ 1 = 1\*\(5 - 1\) \+ 1 = 5 cells, "
                                  r"but the padded input has only i \+ 2p = 3 \+ 2\*0 = 3"),
    ((5, 3, 1, 0, 3), ValueError, "spans d"),
    ((5, 3, 0, 0, 1), ValueError, "stride s must be positive"),
    ((5, 3, 1, -1, 1), ValueError, "padding p must be at least 0"),
    ((5, 3.0, 1, 0, 1), TypeError, "kernel size k must be an integer"),
    ((5, 3, 1, (1, 2, 3), 1), ValueError, r"\(before, after\) pair"),
])
def test_layout_refuses_impossible_settings(args, err, match):
    with pytest.raises(err, match=match):
        F.window_layout(*args)


def test_output_size_text_shows_the_floor():
    assert F.output_size_text(6, 3, 2, 1, math=False) == \
        "o = floor((6 + 2*1 - 1*(3 - 1) - 1) / 2) + 1 = floor(5 / 2) + 1 = 3"
    assert r"\lfloor 5/2 \rfloor" in F.output_size_text(6, 3, 2, 1)


def test_arithmetic_figure_writes_input_output_and_the_sum():
    fig = F.arithmetic_figure(5, 3, s=2, p=1, position=(1, 2))
    _titled_and_labelled(fig)
    assert fig._suptitle.get_text().startswith("i = 5, k = 3, s = 2, p = 1, d = 1:")
    ax_in, ax_w, ax_out = fig.axes
    y = cz.conv2d(F.example_input(5)[None, None], np.ones((1, 1, 3, 3), dtype=int), stride=2, padding=1)[0, 0]
    # output filled in reading order up to (1, 2): all 6 first cells, nothing after
    assert _texts(ax_out) == [str(v) for v in y.ravel()[:6]]
    assert fig._supxlabel.get_text().startswith(f"y[1, 2] = 3 + 1 + 0 + 2 + 3 + 0 + 2 + 2 + 0 = {y[1, 2]}")
    # the input panel: 25 values plus 24 padding zeros; ticks in input coordinates (-1 .. 5)
    assert len(_texts(ax_in)) == 25 + 24 and _texts(ax_in).count("0") >= 24
    assert [t.get_text() for t in ax_in.get_xticklabels()] == [str(v) for v in range(-1, 6)]
    assert "every cell is read" in ax_in.get_title()
    assert ax_w.get_title().startswith("kernel 3x3")


def test_arithmetic_figure_marks_unused_cells_and_several_positions():
    fig = F.arithmetic_figure(6, 3, s=2, position=[(0, 0), (1, 1)])
    ax_in, _, ax_out = fig.axes
    assert "never read (11 cells)" in ax_in.get_title()       # row 5 and column 5: 6 + 6 - 1
    assert len(_texts(ax_out)) == 4                           # several positions: the whole output
    with pytest.raises(ValueError, match=r"position \(2, 0\) is outside the 2x2 output"):
        F.arithmetic_figure(6, 3, s=2, position=(2, 0))
    with pytest.raises(ValueError, match="draws at most 15"):
        F.arithmetic_figure(9, 3, p=4)
    with pytest.raises(ValueError, match="weight must have shape"):
        F.arithmetic_figure(5, 3, weight=np.ones((2, 2)))


def test_window_positions_figure_counts_reads():
    fig = F.window_positions_figure(6, 3, s=2, p=1)
    _titled_and_labelled(fig)
    ax_x, ax_win, ax_reads = fig.axes
    assert _texts(ax_reads) == ["1", "1", "2", "1", "2", "1", "1", "0"]
    assert "1 cell(s) after the last window are never read" in ax_reads.get_title()
    assert _texts(ax_win) == ["w0", "w1", "w2"] * 3
    fig = F.window_positions_figure(5, 2, s=2, ceil_mode=True)
    assert "hangs 1 cell(s) over the end" in fig.axes[2].get_title()
    assert "-" in _texts(fig.axes[0])
    fig = F.window_positions_figure(5, 4, p=cz.same_padding(5, 4))
    assert "p = (1, 2)" in fig._suptitle.get_text()


def test_receptive_field_figure_agrees_with_receptive_field():
    stacks = {"three 3x3": [3, 3, 3], "3x3 s2, then 3x3": [(3, 2), 3], "dilated": [(3, 1, 1, 1), (3, 1, 2, 2)]}
    fig = F.receptive_field_figure(stacks)
    _titled_and_labelled(fig)
    for ax, (name, layers) in zip(fig.axes, stacks.items()):
        size = cz.receptive_field(layers)[-1].size
        assert ax.get_title().startswith(f"{name}: {size}x{size}")
    # three 3x3: per-axis path counts 1 3 6 7 6 3 1, the centre pixel reached by 7 * 7 = 49 paths
    counts = np.array([int(t) for t in _texts(fig.axes[0])]).reshape(9, 9)
    assert counts[4].tolist() == [0, 7, 21, 42, 49, 42, 21, 7, 0]
    # independent oracle: the gradient of the centre output w.r.t. the input, by finite differences
    x = np.zeros((1, 1, 9, 9), dtype=int)
    conv3 = lambda v: cz.conv2d(cz.conv2d(cz.conv2d(v, np.ones((1, 1, 3, 3), int)), np.ones((1, 1, 3, 3), int)),
                                np.ones((1, 1, 3, 3), int))  # noqa: E731
    grad = np.zeros((9, 9), dtype=int)
    for r in range(9):
        for c in range(9):
            x[:] = 0
            x[0, 0, r, c] = 1
            grad[r, c] = conv3(x)[0, 0, 1, 1]   # 9 -> 7 -> 5 -> 3: output (1, 1) is the centre
    assert np.array_equal(grad, counts)
    with pytest.raises(ValueError, match="non-empty dict"):
        F.receptive_field_figure({})


def test_the_input_outlines_each_window_extent_thin_and_each_tap_thick():
    """Dilation 2, two positions: per window one thin box round its 5x5 extent, then a thick one per tap, in
    the window's colour (the output outlines the positions in the same colours)."""
    from matplotlib.colors import to_rgba

    v = F.ArithmeticView(fit=True)
    v.update(7, 3, d=2, position=[(0, 0), (2, 2)])
    grid_in, _, grid_out = v.grids
    corners = [np.asarray(path.vertices[:4]).min(0).tolist() + np.asarray(path.vertices[:4]).max(0).tolist()
               for path in grid_in.boxes.get_paths()]
    taps = [[c - 0.5, r - 0.5, c + 0.5, r + 0.5] for r0, c0 in [(0, 0), (2, 2)]
            for r in range(r0, r0 + 5, 2) for c in range(c0, c0 + 5, 2)]
    assert corners == [[-0.5, -0.5, 4.5, 4.5], [1.5, 1.5, 6.5, 6.5]] + taps
    assert list(grid_in.boxes.get_linewidths()) == [1.0] * 2 + [2.0] * 18
    red, blue = to_rgba(F._COLOURS[0]), to_rgba(F._COLOURS[1])
    assert [tuple(c) for c in grid_in.boxes.get_edgecolors()] == [red, blue] + [red] * 9 + [blue] * 9
    assert [tuple(c) for c in grid_out.boxes.get_edgecolors()] == [red, blue]
    v.update(5, 3, position=(1, 1))                  # no dilation: the taps only, nothing left of the extents
    assert list(grid_in.boxes.get_linewidths()) == [2.0] * 9


def test_draw_arithmetic_good_and_bad_settings():
    fig = Wa.draw_arithmetic(i=5, k=3, s=2, p=1, d=1, step=4)
    _titled_and_labelled(fig)
    assert fig._supxlabel.get_text().startswith("y[1, 1]")
    fig = Wa.draw_arithmetic(i=5, k=4, s=1, step=0, padding="same")
    assert "p = (1, 2)" in fig._suptitle.get_text()
    fig = Wa.draw_arithmetic(i=4, k=3, s=1, step=0, padding="full")
    assert "p = 2" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match="the kernel does not fit"):
        Wa.draw_arithmetic(i=3, k=5, p=0, step=0)
    with pytest.raises(ValueError, match="step 9 does not exist: the output is 3x3"):
        Wa.draw_arithmetic(i=5, k=3, s=2, p=1, step=9)
    with pytest.raises(ValueError, match="padding mode must be one of"):
        Wa.draw_arithmetic(padding="half")


def test_arithmetic_explorer_plays_clamps_and_explains():
    ex = Wa.arithmetic_explorer()
    assert ex.message.value == "" and ex.image.value[:4] == b"\x89PNG"
    assert ex.play.max == ex.controls["step"].max == 8
    ex.controls["step"].value = 8
    ex.controls["s"].value = 3                 # 5 + 2 - 3 = 4 -> floor(4/3) + 1 = 2: 4 steps
    assert ex.controls["step"].value == 3 and ex.play.max == 3 and ex.message.value == ""
    ex.controls["p"].value = 0
    ex.controls["i"].value = 2                 # the 3x3 kernel no longer fits
    assert "the kernel does not fit" in ex.message.value
    ex.controls["padding"].value = "full"
    assert ex.message.value == ""


# settings whose structure differs: grid sizes, padding per side, dilation (window extents appear), several
# positions, a kernel with weights (no "(all ones)"), hatched cells coming and going
_STRUCTURES = [
    dict(i=5, k=3, s=2, p=1, position=(1, 2)),
    dict(i=9, k=5, s=1, p=3, position=(1, 9)),
    dict(i=1, k=1, position=(0, 0)),
    dict(i=5, k=4, s=1, p=(1, 2), position=(4, 4)),
    dict(i=7, k=3, d=2, position=[(0, 0), (2, 2)]),
    dict(i=6, k=3, s=2, position=[(0, 0), (1, 1)], fill="upto"),
    dict(i=4, k=2, s=1, p=1, weight=np.array([[1, -1], [2, 0]]), position=(3, 1)),
    dict(i=5, k=3, s=2, p=1, position=(1, 2)),
]


@pytest.mark.parametrize("fit", [False, True])
def test_live_view_updated_in_place_shows_what_a_fresh_one_shows(fit):
    live_matches_fresh(lambda: F.ArithmeticView(fit=fit), _STRUCTURES)


def test_explorer_frames_updated_in_place_show_what_fresh_ones_show():
    live_matches_fresh(Wa._StepView, [
        dict(i=5, k=3, s=2, p=1, d=1, step=0), dict(i=5, k=3, s=2, p=1, d=1, step=8),
        dict(i=9, k=3, s=1, p=3, d=1, step=100), dict(i=5, k=4, s=1, p=0, d=1, step=7, padding="same"),
        dict(i=5, k=3, s=1, p=0, d=2, step=40, padding="full"), dict(i=2, k=2, s=3, p=0, d=1, step=0),
        dict(i=5, k=3, s=2, p=1, d=1, step=4)])


def test_a_refused_setting_leaves_the_picture_as_it_was():
    v = Wa._StepView()
    v.update(i=6, k=3, s=2, p=1, d=2, step=3)
    before = picture_content(v.figure)
    for bad, match in [(dict(i=3, k=5, p=0), "does not fit"), (dict(i=5, k=3, s=2, p=1, step=9), "step 9"),
                       (dict(i=9, k=3, p=4), "at most 15"), (dict(padding="half"), "padding mode")]:
        with pytest.raises(ValueError, match=match):
            v.update(**bad)
        assert picture_content(v.figure) == before
    view = F.ArithmeticView()
    view.update(5, 3, s=2, p=1, position=(1, 1))
    before = picture_content(view.figure)
    with pytest.raises(ValueError, match="weight must have shape"):
        view.update(5, 3, weight=np.ones((2, 2)))
    with pytest.raises(ValueError, match="outside the 3x3 output"):
        view.update(5, 3, s=2, p=1, position=[(0, 0), (3, 0)])
    assert picture_content(view.figure) == before


def _boxes(fig):
    """Every text and panel of ``fig`` as a named window box (tick labels of one axis as one box)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r = canvas.get_renderer()
    boxes = [("suptitle", fig._suptitle.get_window_extent(r)), ("sum", fig._supxlabel.get_window_extent(r))]
    for n, ax in enumerate(fig.axes):
        boxes += [(f"panel {n}", ax.get_window_extent(r)), (f"title {n}", ax.title.get_window_extent(r)),
                  (f"xlabel {n}", ax.xaxis.label.get_window_extent(r)),
                  (f"ylabel {n}", ax.yaxis.label.get_window_extent(r))]
        for name, labels in (("xticks", ax.get_xticklabels()), ("yticks", ax.get_yticklabels())):
            boxes.append((f"{name} {n}", Bbox.union([t.get_window_extent(r) for t in labels])))
    return boxes


@pytest.mark.parametrize("fit", [False, True])
def test_nothing_overlaps_and_nothing_is_cut_off(fit):
    """The view lays itself out (no layout engine): check it on the extremes the explorer allows."""
    v = F.ArithmeticView(fit=fit)
    for setting in [dict(i=1, k=1), dict(i=9, k=1, p=3), dict(i=9, k=5, p=3, position=(10, 10)),
                    dict(i=2, k=2, s=4, d=3, p=2), dict(i=9, k=4, s=1, p=(2, 2), d=3, position=(3, 3)),
                    dict(i=9, k=2, s=4, p=(0, 1), position=(2, 1)), dict(i=3, k=3, s=1, p=0, d=1),
                    dict(i=8, k=5, s=3, p=3, d=1, position=(1, 2)), dict(i=2, k=1, s=1, d=3)]:
        v.update(**setting)
        figure_box = v.figure.bbox
        boxes = _boxes(v.figure)
        for name, box in boxes:
            assert figure_box.x0 <= box.x0 and box.x1 <= figure_box.x1 + 0.5, f"{setting}: {name} is cut off"
            assert figure_box.y0 <= box.y0 and box.y1 <= figure_box.y1 + 0.5, f"{setting}: {name} is cut off"
        for m, (a, box_a) in enumerate(boxes):
            for b, box_b in boxes[m + 1:]:
                w = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
                h = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
                assert w <= 0.5 or h <= 0.5, f"{setting}: {a} and {b} overlap"


def test_explorer_keeps_one_picture_size():
    ex = Wa.arithmetic_explorer()
    sizes = set()
    for i, p in [(5, 1), (9, 3), (3, 0), (2, 2)]:
        ex.controls["p"].value = p
        ex.controls["i"].value = i
        assert ex.message.value == ""
        sizes.add(tuple(ex.draw.figure.get_size_inches()))
    assert len(sizes) == 1
