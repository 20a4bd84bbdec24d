"""Figures of chapter 12: pointwise grouped convolution and the ShuffleNet unit.

- :func:`mobilenet_cost_figure`: where MobileNet's multiply-adds and parameters go (the 1x1 convolutions
  take about 95% of the multiply-adds), and the whole network against the same network with full convolutions.
- :func:`unit_cost_breakdown` / :func:`unit_cost_figure`: the multiply-adds of a ResNet, a ResNeXt and a
  ShuffleNet unit layer by layer, as stacked bars, drawn by :class:`UnitCostView` (which the explorer
  updates in place for any ``c, m, g, h = w``).
- :func:`unit_connectivity_figure`: which input channels reach which output channels through the unit's two
  grouped 1x1 convolutions, without and with the channel shuffle between them.
- :func:`unit_steps_figure`: one channel of every intermediate feature map of a unit, with its shape.
"""
from __future__ import annotations

import numpy as np

from ..cost import conv_macs
from ..grouped import channel_connectivity, shuffle_permutation
from .common import SEQUENTIAL, draw_grid, new_figure, show_image
from .flattened import _SquareCells
from .live import cell_text

__all__ = ["unit_cost_breakdown", "UnitCostView", "unit_cost_figure", "unit_connectivity_figure", "mobilenet_cost_figure",
           "unit_steps_figure", "check_unit_sizes"]

UNITS = ("ResNet", "ResNeXt", "ShuffleNet")


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, but got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive int, but got {value}")
    return int(value)


def _hw(size) -> tuple[int, int]:
    if isinstance(size, (tuple, list)):
        if len(size) != 2:
            raise ValueError(f"size must be an int (h = w) or a pair (h, w), but got {size!r}")
        return _positive_int(size[0], "h"), _positive_int(size[1], "w")
    s = _positive_int(size, "size")
    return s, s


def check_unit_sizes(c, m, groups) -> tuple[int, int, int]:
    """Check that ``groups`` divides both ``c`` and ``m`` (both grouped 1x1 convolutions need it).

    Returns
    -------
    (c, m, groups) as ints

    Examples
    --------
    >>> check_unit_sizes(240, 60, 3)
    (240, 60, 3)
    >>> check_unit_sizes(240, 60, 8)
    Traceback (most recent call last):
    ...
    ValueError: groups=8 must divide c=240 and m=60 (each group of a grouped 1x1 conv takes c/g inputs and makes m/g outputs), but 60/8 = 7.5 is not whole
    """
    c, m, g = _positive_int(c, "c"), _positive_int(m, "m"), _positive_int(groups, "groups")
    for n in (c, m):
        if n % g:
            raise ValueError(f"groups={g} must divide c={c} and m={m} (each group of a grouped 1x1 conv takes "
                             f"c/g inputs and makes m/g outputs), but {n}/{g} = {n / g:g} is not whole")
    return c, m, g


def unit_cost_breakdown(c, m, groups, size) -> dict:
    """Multiply-adds of each layer of a ResNet, ResNeXt and ShuffleNet unit (stride 1), from :func:`convzoo.conv_macs`.

    The three units map ``c x h x w`` to ``c x h x w`` through a bottleneck of ``m`` channels: 1x1 ``c -> m``,
    3x3 ``m -> m`` (padding 1), 1x1 ``m -> c``. ResNet uses full convolutions; ResNeXt groups the 3x3 into
    ``groups``; ShuffleNet groups both 1x1 convolutions and makes the 3x3 depthwise (``groups = m``). The
    totals are ShuffleNet's section 3.2 formulas ``hw(2cm + 9m^2)``, ``hw(2cm + 9m^2/g)``, ``hw(2cm/g + 9m)``.

    Parameters
    ----------
    c, m, groups : int
        Channels of the unit's input and output, bottleneck channels, groups (dividing ``c`` and ``m``).
    size : int or (int, int)
        ``h = w``, or ``(h, w)``.

    Returns
    -------
    dict
        ``{unit: [(layer description, multiply-adds), ...]}`` for ``'ResNet'``, ``'ResNeXt'``, ``'ShuffleNet'``.

    Shape
    -----
    - Scalars in; three lists of three ``(str, int)`` rows out.

    Examples
    --------
    >>> b = unit_cost_breakdown(240, 60, 3, 28)
    >>> b["ShuffleNet"]
    [('1x1 conv, 3 groups', 3763200), ('3x3 depthwise', 423360), ('1x1 conv, 3 groups', 3763200)]
    >>> {unit: sum(macs for _, macs in rows) for unit, rows in b.items()}
    {'ResNet': 47980800, 'ResNeXt': 31046400, 'ShuffleNet': 7949760}
    """
    c, m, g = check_unit_sizes(c, m, groups)
    h, w = _hw(size)
    out = (h, w)
    return {
        "ResNet": [("1x1 conv", conv_macs(c, m, 1, out)), ("3x3 conv", conv_macs(m, m, 3, out)),
                   ("1x1 conv", conv_macs(m, c, 1, out))],
        "ResNeXt": [("1x1 conv", conv_macs(c, m, 1, out)), (f"3x3 conv, {g} groups", conv_macs(m, m, 3, out, g)),
                    ("1x1 conv", conv_macs(m, c, 1, out))],
        "ShuffleNet": [(f"1x1 conv, {g} groups", conv_macs(c, m, 1, out, g)), ("3x3 depthwise", conv_macs(m, m, 3, out, m)),
                       (f"1x1 conv, {g} groups", conv_macs(m, c, 1, out, g))],
    }


def _unit_reach(c: int, m: int, g: int, shuffle: bool) -> np.ndarray:
    """``channel_connectivity([g, g], [c, m, c], shuffle)``, computed group by group (the tests check equality).

    Output ``o`` (in group ``o // (c/g)`` of the second 1x1) reaches input ``i`` (in group ``i // (c/g)`` of
    the first) when one of the bottleneck channels the second group reads came, after the shuffle, from the
    first group; so a ``g x g`` table of groups, blown up to channels, is the whole answer. The explorer needs
    this speed: the channel-level product takes ~0.5 s at c = 960.
    """
    width = m // g
    source = shuffle_permutation(m, g) if shuffle and g > 1 else np.arange(m)   # channel j came from source[j]
    groups = np.zeros((g, g), dtype=np.int64)
    groups[np.arange(m) // width, source // width] = 1
    return np.kron(groups, np.ones((c // g, c // g), dtype=np.int64))


def _millions(n: int) -> str:
    return f"{n / 1e6:.1f}M" if n >= 1e5 else f"{n:,}"


def _segment_colours():
    import matplotlib

    cmap = matplotlib.colormaps[SEQUENTIAL]
    return {"first 1x1": cmap(0.15), "3x3": cmap(0.55), "second 1x1": cmap(0.9)}


class UnitCostView(_SquareCells):
    """The picture of :func:`unit_cost_figure`, built once and redrawn in place for each setting.

    Nine bar segments (three units, three layers each) whose heights and bases change, one text per total,
    and with ``connectivity`` the ShuffleNet unit's ``(c, c)`` reach as one image (no cell borders or labels:
    ``c`` goes up to ~1000 here, where a :class:`.live.LiveGrid` would colour a label for each of a million
    cells; the static :func:`unit_connectivity_figure` writes each cell's value).

    Parameters
    ----------
    connectivity : bool
        Draw the reach panel beside the bars.

    Shape
    -----
    ``update(c, m, groups, size)``: ``c, m <= 1024``; ``size`` an int (h = w) or ``(h, w)``.

    Examples
    --------
    >>> view = UnitCostView(connectivity=True)
    >>> view.update(240, 60, 3, 28)
    True
    >>> view.update(240, 60, 4, 28), [t.get_text() for t in view.figure.axes[0].texts]
    (False, ['48.0M', '28.9M\\n(1.7x fewer)', '6.1M\\n(7.9x fewer)'])
    """

    def __init__(self, connectivity: bool = False):
        title = ("Multiply-adds of one unit, c x h x w -> c x h x w\nResNet hw(2cm + 9m²), ResNeXt hw(2cm + 9m²/g), "
                 "ShuffleNet hw(2cm/g + 9m)")
        if connectivity:
            fig, (ax, ax2) = new_figure(1, 2, size=(10, 4.6), title=title)
        else:
            fig, ax = new_figure(size=(6.6, 4.6), title=title)
        colours = _segment_colours()
        # bars[unit][layer]: one segment per layer, stacked; the legend names the layers once
        self.bars = [[ax.bar(i, 0, color=colours[part], edgecolor="white", label=part if i == 0 else None)[0]
                      for part in colours] for i in range(len(UNITS))]
        self.totals = [cell_text(ax, i, 0, ha="center", va="bottom", fontsize=9) for i in range(len(UNITS))]
        self._scale = 1e6
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v / self._scale:g}")
        ax.set_xticks(range(len(UNITS)), UNITS)
        ax.set_xlabel("unit")
        ax.legend(loc="upper right", fontsize=8, title="layer", title_fontsize=8)
        self.ax, self.reach = ax, None
        if connectivity:
            self.reach = ax2.imshow(np.zeros((1, 1)), cmap=SEQUENTIAL, vmin=0, vmax=1, interpolation="none",
                                    resample=False)
            ax2.set_xlabel("input channel (yellow: reached, purple: not)")
            ax2.set_ylabel("output channel")
        super().__init__(fig, [], square=[ax2] if connectivity else [])

    def update(self, c=240, m=60, groups=3, size=28) -> bool:
        """Draw one setting (see :func:`unit_cost_figure`); True when the layout must be redone."""
        c, m, g = check_unit_sizes(c, m, groups)
        h, w = _hw(size)
        if c > 1024 or m > 1024:
            raise ValueError(f"c and m are drawn up to 1024 channels, but got c={c}, m={m}")
        breakdown = unit_cost_breakdown(c, m, g, (h, w))
        macs = np.array([[n for _, n in breakdown[unit]] for unit in UNITS], dtype=float)
        totals = macs.sum(axis=1)
        top = totals.max()
        if self.reach is not None:
            reach = _unit_reach(c, m, g, shuffle=True)
            seen = int(reach.sum(axis=1).min())
            alone = int(_unit_reach(c, m, g, shuffle=False).sum(axis=1).min())
        # all checked: now change the picture
        ax = self.ax
        for i, (segments, text, total) in enumerate(zip(self.bars, self.totals, totals)):
            bottoms = np.concatenate([[0], np.cumsum(macs[i])[:-1]])
            for patch, bottom, height in zip(segments, bottoms, macs[i]):
                patch.set_y(bottom)
                patch.set_height(height)
            ratio = "" if i == 0 else f"\n({totals[0] / total:.1f}x fewer)"
            text.set_text(_millions(int(total)) + ratio)
            text.set_position((i, total + 0.02 * top))
        ax.set_ylim(0, top * 1.3)
        self._scale, unit = (1e6, "millions") if top >= 1e6 else (1e3, "thousands")
        ax.yaxis.label.set_text(f"multiply-adds per unit ({unit})")
        ax.title.set_text(f"c={c}, m={m}, g={g}, h x w = {h}x{w}")
        if self.reach is not None:
            self.reach.set_data(reach.astype(np.uint8))   # 0/1 as bytes: at c = 960 ~6 ms less to resample than int64
            self.reach.set_extent((-0.5, c - 0.5, c - 0.5, -0.5))
            self.reach.axes.set(xlim=(-0.5, c - 0.5), ylim=(c - 0.5, -0.5))
            # three lines: with c up to 960 a two-line title would be wider than the panel
            self.reach.axes.title.set_text(f"ShuffleNet unit, input -> output channels:\neach output sees {seen} "
                                           f"of {c} inputs\n(without shuffle {alone})")
        return self.layout_changed()


def unit_cost_figure(c=240, m=60, groups=3, size=28, connectivity=False):
    """Stacked bars: the multiply-adds of a ResNet, ResNeXt and ShuffleNet unit, split into their three layers.

    The total is written on each bar with how many times fewer multiply-adds than ResNet it needs. With
    ``connectivity``, a second panel shows which input channels reach which output channels through the
    ShuffleNet unit's 1x1 convolutions (:func:`convzoo.channel_connectivity`, shuffled). Drawn by
    :class:`UnitCostView`.

    Parameters
    ----------
    c, m, groups : int
        Unit input/output channels, bottleneck channels, groups (must divide ``c`` and ``m``).
    size : int or (int, int)
        ``h = w`` or ``(h, w)``.
    connectivity : bool

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = unit_cost_figure(240, 60, 3, 28)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['48.0M', '31.0M\\n(1.5x fewer)', '7.9M\\n(6.0x fewer)']
    """
    view = UnitCostView(connectivity=connectivity)
    view.update(c, m, groups, size)
    return view.figure


def unit_connectivity_figure(c=12, m=9, groups=3):
    """Which input channels reach which output channels through a unit's two grouped 1x1 convs (depthwise between).

    Left without the channel shuffle, right with it (:func:`convzoo.channel_connectivity` with widths
    ``[c, m, c]``): a cell is 1 when some path leads from the input channel (column) to the output channel
    (row). The depthwise 3x3 keeps every channel in its lane, so it does not change this picture.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = unit_connectivity_figure(12, 9, 3)
    >>> [ax.get_title() for ax in fig.axes]
    ['no shuffle: each output sees 4 of 12 inputs', 'with shuffle: each output sees 12 of 12 inputs']
    """
    c, m, g = check_unit_sizes(c, m, groups)
    if c > 24:
        raise ValueError(f"the connectivity grid is drawn for at most 24 channels, but got c={c}")
    fig, axes = new_figure(1, 2, size=(9, 4.6),
                           title=f"Grouped 1x1 ({c}->{m}, g={g}), depthwise, grouped 1x1 ({m}->{c}, g={g}): "
                                 "which inputs reach which outputs")
    for ax, shuffle in zip(axes, (False, True)):
        reach = channel_connectivity([g, g], [c, m, c], shuffle=shuffle)
        seen = reach.sum(axis=1)
        seen_text = f"{int(seen.min())}" if seen.min() == seen.max() else f"{int(seen.min())} to {int(seen.max())}"
        draw_grid(ax, reach, cmap=SEQUENTIAL, vmin=0, vmax=1, xlabel="input channel", ylabel="output channel",
                  title=f"{'with' if shuffle else 'no'} shuffle: each output sees {seen_text} of {c} inputs")
    return fig


def mobilenet_cost_figure(separable, full):
    """Where MobileNet's cost goes, and what depthwise separable convolutions save.

    Left: the share of multiply-adds and of parameters of each layer kind of ``separable`` (a
    :class:`convzoo.LayerTable`, e.g. ``mobilenet_v1_layers()``). Right: total multiply-adds and parameters
    of ``separable`` against ``full`` (``mobilenet_v1_layers(full_conv=True)``), in millions, on a log scale.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from convzoo.cost import mobilenet_v1_layers
    >>> fig = mobilenet_cost_figure(mobilenet_v1_layers(), mobilenet_v1_layers(full_conv=True))
    >>> [t.get_text() for t in fig.axes[0].texts][:2]          # pointwise: mult-adds, params
    ['94.9%', '74.6%']
    """
    kinds = [k for k in ("pointwise", "depthwise", "conv", "fc") if k in separable.by_kind()]
    by_kind = separable.by_kind()
    colours = _segment_colours()
    fig, (ax, ax2) = new_figure(1, 2, size=(10, 4.0),
                                title="MobileNet-224: the 1x1 (pointwise) convolutions carry the cost")
    y = np.arange(len(kinds))
    shares = {"mult-adds": [100 * by_kind[k][1] / separable.macs for k in kinds],
              "parameters": [100 * by_kind[k][0] / separable.params for k in kinds]}
    for offset, (what, colour) in zip((-0.2, 0.2), (("mult-adds", colours["first 1x1"]), ("parameters", colours["3x3"]))):
        ax.barh(y + offset, shares[what], height=0.4, color=colour, label=what)
    for i in range(len(kinds)):   # text in order: kind by kind, mult-adds then parameters
        for offset, what in ((-0.2, "mult-adds"), (0.2, "parameters")):
            share = shares[what][i]          # two decimals below 1%, so the first layer's 0.02% does not read 0.0%
            ax.text(share + 1, y[i] + offset, f"{share:.1f}%" if share >= 1 or share == 0 else f"{share:.2f}%",
                    va="center", fontsize=8)
    names = {"pointwise": "1x1 pointwise", "depthwise": "3x3 depthwise", "conv": "3x3 full (first layer)",
             "fc": "fully connected"}
    ax.set_yticks(y, [names[k] for k in kinds])
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_xlabel("share of the network's total (%)")
    ax.set_ylabel("layer kind")
    ax.set_title("MobileNet, by layer kind")
    ax.legend(loc="lower right", fontsize=8)
    x = np.arange(2)
    sep = [separable.macs / 1e6, separable.params / 1e6]
    ful = [full.macs / 1e6, full.params / 1e6]
    ax2.bar(x - 0.2, ful, width=0.4, color=colours["second 1x1"], edgecolor="grey", label="full 3x3 convolutions")
    ax2.bar(x + 0.2, sep, width=0.4, color=colours["first 1x1"], label="depthwise separable (MobileNet)")
    for xi, (f_val, s_val) in enumerate(zip(ful, sep)):
        ax2.text(xi - 0.2, f_val * 1.15, f"{f_val:,.1f}", ha="center", fontsize=8)
        ax2.text(xi + 0.2, s_val * 1.15, f"{s_val:,.1f}", ha="center", fontsize=8)
    ax2.set_yscale("log")
    ax2.set_ylim(1, max(ful) * 6)
    ax2.set_xticks(x, ["mult-adds", "parameters"])
    ax2.set_xlabel("count")
    ax2.set_ylabel("millions (log scale)")
    ax2.set_title("whole network, full vs separable")
    ax2.legend(loc="upper right", fontsize=8)
    return fig


def unit_steps_figure(x, steps, channel=0):
    """One channel of the input and of every intermediate result of a ShuffleNet unit, titled with its shape.

    Parameters
    ----------
    x : array_like
        The unit's input, ``(C, H, W)`` (or ``(1, C, H, W)``).
    steps : dict
        ``name -> array`` as ``shufflenet_unit(..., return_steps=True)`` returns it.
    channel : int
        Which channel to show of each (0 by default; every stage has at least one).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> from convzoo.blocks import init_shufflenet_unit, shufflenet_unit
    >>> x = np.random.default_rng(0).standard_normal((12, 8, 8))
    >>> p = init_shufflenet_unit(12, 12, groups=3, rng=0)
    >>> _, steps = shufflenet_unit(x, p, groups=3, return_steps=True)
    >>> [ax.get_title() for ax in unit_steps_figure(x, steps).axes]
    ['input\\n(12, 8, 8)', 'conv1 + relu\\n(3, 8, 8)', 'shuffle\\n(3, 8, 8)', 'depthwise\\n(3, 8, 8)', 'conv2\\n(12, 8, 8)', 'shortcut\\n(12, 8, 8)', 'output\\n(12, 8, 8)']
    """
    arrays = {"input": np.asarray(x)}
    if not isinstance(steps, dict) or not steps:
        raise TypeError(f"steps must be the dict shufflenet_unit(..., return_steps=True) returns, but got {type(steps).__name__}")
    arrays.update({k: np.asarray(v) for k, v in steps.items()})
    for name, a in arrays.items():
        if a.ndim == 4 and a.shape[0] == 1:
            arrays[name] = a[0]
        elif a.ndim != 3:
            raise ValueError(f"{name} must be (C, H, W) or (1, C, H, W), but got shape {a.shape}")
    channel = int(channel)
    smallest = min(a.shape[0] for a in arrays.values())
    if not 0 <= channel < smallest:
        raise ValueError(f"channel must be in [0, {smallest}) (the smallest stage has {smallest} channels), "
                         f"but got {channel}")
    n = len(arrays)
    fig, axes = new_figure(1, n, size=(1.6 * n, 2.7),
                           title=f"A ShuffleNet unit, stage by stage: channel {channel} of each, titled with its shape "
                                 "(C, H, W)\norange > 0, purple < 0, white 0; each panel on its own scale, "
                                 "its largest |value| under it")
    for ax, (name, a) in zip(np.atleast_1d(axes), arrays.items()):
        show_image(ax, a[channel], signed=True)
        ax.set_title(f"{name}\n{a.shape}", fontsize=9)
        ax.set_xlabel(f"W = {a.shape[2]}\nmax |value| {np.abs(a[channel]).max():.3g}", fontsize=8)
        ax.set_ylabel(f"H = {a.shape[1]}", fontsize=8)
    return fig
