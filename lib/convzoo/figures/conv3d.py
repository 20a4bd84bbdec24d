"""Figures of chapter 3: slices of volumes, projections, and 2D against 3D convolution on one volume."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..conv import conv2d, conv3d
from ..volume import ball_kernel3d, tube_volume
from .common import DIVERGING, SEQUENTIAL, new_figure, symmetric_limits
from .live import GridFigure, as_cell_texts

__all__ = ["volume_slices_figure", "projection_figure", "conv2d_vs_conv3d_figure", "TubeResponseView"]

_AXES = ("depth", "height", "width")


def _limits(values, signed):
    if signed:
        return symmetric_limits(values) + (DIVERGING,)
    lo, hi = float(np.min(values)), float(np.max(values))
    return lo, (hi if hi > lo else lo + 1.0), SEQUENTIAL


def volume_slices_figure(volumes, indices, title="Slices of a volume", names=None, signed=None, marks=None):
    """Depth slices of one or more volumes, one row per volume, one shared colour scale per row.

    Parameters
    ----------
    volumes : array_like or list of array_like
        Each ``(D, H, W)``.
    indices : list of int
        Depth indices to show (the same for every row; each must exist in every volume).
    names : list of str, optional
        Row names.
    signed : bool, optional
        Diverging map centred on 0 (default: when a row has both signs).
    marks : array_like, optional
        ``(D, 2)`` points ``(h, w)`` per depth (e.g. the tube's centreline) drawn as a small cross.

    Shape
    -----
    Each volume ``(D, H, W)``; slice ``d`` is the ``(H, W)`` image ``volume[d]``.

    Examples
    --------
    >>> fig = volume_slices_figure(np.zeros((4, 5, 5)), [0, 3])
    >>> fig.axes[0].get_title()
    'depth 0'
    """
    vols = [np.asarray(volumes, float)] if np.ndim(volumes) == 3 else [np.asarray(v, float) for v in volumes]
    for v in vols:
        if v.ndim != 3:
            raise ValueError(f"each volume must be (D, H, W), but got shape {v.shape}")
        bad = [i for i in indices if not 0 <= i < v.shape[0]]
        if bad:
            raise ValueError(f"depth index {bad[0]} is outside a volume of depth {v.shape[0]} "
                             f"(valid: 0 to {v.shape[0] - 1})")
    names = names or [f"volume {r}" for r in range(len(vols))]
    fig, axes = new_figure(len(vols), len(indices), size=(2.3 * len(indices) + 1.5, 2.4 * len(vols) + 0.5),
                           squeeze=False, title=title)
    for r, v in enumerate(vols):
        sg = bool(v.min() < 0 < v.max()) if signed is None else signed
        lo, hi, cmap = _limits(v, sg)
        for c, d in enumerate(indices):
            ax = axes[r, c]
            im = ax.imshow(v[d], cmap=cmap, vmin=lo, vmax=hi)
            if marks is not None:
                ax.plot(marks[d][1], marks[d][0], "+", color="#d62728", markersize=10, markeredgewidth=2)
            ax.set_title(f"depth {d}" if r == 0 else f"{names[r]}, depth {d}", fontsize=9)
            ax.set_xlabel("width (w)", fontsize=8)
            ax.set_ylabel(f"{names[r]}\nheight (h)" if c == 0 else "height (h)", fontsize=8)
            ax.tick_params(labelsize=7)
        fig.colorbar(im, ax=axes[r, :].tolist(), shrink=0.8, label=names[r])
    return fig


def projection_figure(volumes, names=None, title="Maximum-intensity projections"):
    """Each volume seen from three sides: the maximum along depth, height and width.

    A maximum-intensity projection (as radiologists use for vessels) shows a whole tube in one image;
    one row per volume.

    Examples
    --------
    >>> fig = projection_figure(np.zeros((4, 5, 6)))
    >>> fig.axes[0].get_title()
    'max over depth'
    """
    vols = [np.asarray(volumes, float)] if np.ndim(volumes) == 3 else [np.asarray(v, float) for v in volumes]
    names = names or [f"volume {r}" for r in range(len(vols))]
    fig, axes = new_figure(len(vols), 3, size=(10, 3.0 * len(vols) + 0.5), squeeze=False, title=title)
    for r, v in enumerate(vols):
        if v.ndim != 3:
            raise ValueError(f"each volume must be (D, H, W), but got shape {v.shape}")
        lo, hi, cmap = _limits(v, False)
        for a in range(3):
            ax = axes[r, a]
            rest = [n for j, n in enumerate(_AXES) if j != a]
            im = ax.imshow(v.max(axis=a), cmap=cmap, vmin=lo, vmax=hi, aspect="auto")
            ax.set_title(f"max over {_AXES[a]}" if r == 0 else f"{names[r]}: max over {_AXES[a]}", fontsize=9)
            ax.set_ylabel(f"{names[r]}\n{rest[0]}" if a == 0 else rest[0], fontsize=8)
            ax.set_xlabel(rest[1], fontsize=8)
        fig.colorbar(im, ax=axes[r, :].tolist(), shrink=0.8, label=names[r])
    return fig


def conv2d_vs_conv3d_figure(volume, kernel3d, indices):
    """The same volume through a 2D convolution (depth as channels) and a 3D convolution.

    Row 1: input depth slices. Row 2: ``conv3d`` with the ``kd x kh x kw`` kernel (padding ``k // 2`` on
    every axis, so output slice ``d`` sits on input slice ``d``): a 3-D output, the tube found slice by slice.
    Row 3: ``conv2d`` with the input's ``D`` slices as channels and a filter of depth ``D`` whose every kernel
    is the middle slice of ``kernel3d``: the filter cannot move along depth, so the output is one 2-D map;
    every depth adds into it, and *where along depth* is lost.

    Shape
    -----
    ``volume``: ``(D, H, W)``; ``kernel3d``: ``(kd, kh, kw)``, odd sizes. conv3d output ``(D, H, W)``;
    conv2d output ``(H, W)``.

    Examples
    --------
    >>> fig = conv2d_vs_conv3d_figure(np.zeros((5, 6, 6)), np.ones((3, 3, 3)), [0, 4])
    >>> [ax.get_title() for ax in fig.axes if ax.get_title().startswith("2D")]
    ['2D conv: 1 map (6x6)']
    """
    v = np.asarray(volume, float)
    k = np.asarray(kernel3d, float)
    if v.ndim != 3 or k.ndim != 3:
        raise ValueError(f"volume and kernel3d must be 3-D, but got shapes {v.shape} and {k.shape}")
    if any(s % 2 == 0 for s in k.shape):
        raise ValueError(f"kernel3d needs odd sizes so that padding k // 2 keeps every size, got {k.shape}")
    pad = tuple(s // 2 for s in k.shape)
    out3 = conv3d(v[None, None], k[None, None], padding=pad)[0, 0]
    d = v.shape[0]
    w2 = np.broadcast_to(k[k.shape[0] // 2], (d,) + k.shape[1:])[None]          # (1, D, kh, kw)
    out2 = conv2d(v[None], w2, padding=pad[1:])[0, 0]
    n = len(indices)
    fig, axes = new_figure(3, n + 1, size=(2.2 * (n + 1) + 1.5, 7.6), squeeze=False,
                           title=f"Depth {d} volume: 3D conv ({k.shape[0]}x{k.shape[1]}x{k.shape[2]} filter moves in "
                                 f"3 directions) vs 2D conv (filter depth {d} = input depth, moves in 2)")
    rows = [(v, "input", False), (out3, "3D conv output", True)]
    for r, (vol, name, sg) in enumerate(rows):
        lo, hi, cmap = _limits(vol, sg)
        for c, di in enumerate(indices):
            ax = axes[r, c]
            im = ax.imshow(vol[di], cmap=cmap, vmin=lo, vmax=hi)
            ax.set_title(f"{name}, depth {di}", fontsize=9)
            ax.set_xlabel("width", fontsize=8)
            ax.set_ylabel("height", fontsize=8)
            ax.tick_params(labelsize=7)
        axes[r, n].axis("off")
        fig.colorbar(im, ax=axes[r, :n].tolist(), shrink=0.8, label=name)
    for c in list(range(n - 1)) + [n]:
        axes[2, c].axis("off")
    lo, hi, cmap = _limits(out2, True)
    ax = axes[2, n - 1]
    im = ax.imshow(out2, cmap=cmap, vmin=lo, vmax=hi)
    ax.set_title(f"2D conv: 1 map ({out2.shape[0]}x{out2.shape[1]})", fontsize=9)
    ax.set_xlabel("width", fontsize=8)
    ax.set_ylabel("height", fontsize=8)
    fig.colorbar(im, ax=ax, shrink=0.8, label="2D conv output")
    axes[2, 0].text(0, 0.5, f"2D conv on the volume:\ninput = {d} channels,\nfilter = {d} kernels of "
                            f"{k.shape[1]}x{k.shape[2]},\noutput = ONE {out2.shape[0]}x{out2.shape[1]} map\n"
                            "(no depth axis left)", fontsize=9, va="center", transform=axes[2, 0].transAxes)
    return fig


@lru_cache(maxsize=1)
def _clean_tube_and_unit_noise():
    """The explorer's 32-cube tube without noise, its centreline, and the noise :func:`tube_volume` adds at
    noise 1 (it adds ``noise`` times one seeded normal field): every noise level from two volumes."""
    clean, line = tube_volume((32, 32, 32), radius=2.5, noise=0.0, seed=0)
    unit = tube_volume((32, 32, 32), radius=2.5, noise=1.0, seed=0)[0] - clean
    return clean, unit, line


@lru_cache(maxsize=8)
def _tube(noise: float):
    """The explorer's volume and centreline at one noise level: ``tube_volume((32, 32, 32), radius=2.5,
    noise=noise, seed=0)`` to rounding, without recomputing the tube (~0.4 s) for every level."""
    clean, unit, line = _clean_tube_and_unit_noise()
    vol = clean + noise * unit if noise else clean.copy()
    vol.flags.writeable = False  # shared by every caller through the cache
    return vol, line


@lru_cache(maxsize=16)
def _tube_response(size: int, noise: float) -> np.ndarray:
    """The ``size``-cube ball filter's response to :func:`_tube` without padding (a 9-cube costs ~40 ms, so
    moving the depth slider must not recompute it)."""
    vol, _ = _tube(noise)
    k = ball_kernel3d(size, radius=min(2.5, (size - 1) / 2))
    out = conv3d(vol[None, None], k[None, None])[0, 0]
    out.flags.writeable = False
    return out


class TubeResponseView(GridFigure):
    """The explorer of chapter 3: an input slice of the tube volume, the 3D filter's response slice over it,
    and the response's projection with the current slice marked, updated in place.

    :meth:`update` takes ``depth`` (the output slice), ``size`` (the ball filter's edge: odd, >= 3) and
    ``noise`` (the volume's noise level). No padding: the output has ``32 - size + 1`` slices and output slice
    ``depth`` is centred on input slice ``depth + (size - 1) / 2``; a ``depth`` beyond the output raises
    ``ValueError`` with the sizes. Each panel keeps its colour scale while only ``depth`` moves (the input's
    is the whole volume's, so the slices can be compared), so a depth step changes the data, never the layout.

    Shape
    -----
    Input ``(32, 32, 32)``; output ``(32 - size + 1,) * 3``; the projection panel is the output's maximum
    over height, ``(depth, width)``.

    Examples
    --------
    >>> v = TubeResponseView()
    >>> v.update(depth=0, size=3, noise=0.0)
    True
    >>> v.figure.axes[1].get_title().splitlines()
    ['output slice 0', '(centred on input slice 1)']
    >>> v.update(depth=1, size=3, noise=0.0)
    False
    """

    def __init__(self):
        from matplotlib.ticker import FixedLocator, FormatStrFormatter, MaxNLocator

        fig, axes = new_figure(1, 3, size=(11, 5.0))
        self.axes = axes
        blank = np.zeros((32, 32))  # the input's size: the input panel's limits never change
        colourbars = []
        for ax, cmap, label in zip(axes, (SEQUENTIAL, DIVERGING, SEQUENTIAL), ("brightness", "response", "max response")):
            im = ax.imshow(blank, cmap=cmap, aspect="auto" if label == "max response" else "equal")
            # below the panel: its label is then horizontal text, drawn from a cache, where a vertical bar's
            # rotated label is rasterised afresh on every draw (~1.5 ms each)
            colourbars.append(fig.colorbar(im, ax=ax, location="bottom", shrink=0.8, aspect=30, label=label))
        self.input, self.response, self.projection = (ax.images[0] for ax in axes)
        (self.input_mark,) = axes[0].plot([0], [0], "+", color="#d62728", markersize=12, markeredgewidth=2)
        (self.response_mark,) = axes[1].plot([0], [0], "+", color="black", markersize=12, markeredgewidth=2)
        self.depth_line = axes[2].axhline(0, color="#d62728", linewidth=1.5)
        for ax in axes[:2]:
            ax.set_xlim(-0.5, 31.5)
            ax.set_ylim(31.5, -0.5)
            ax.set_xlabel("width (input coordinates)")
            ax.set_ylabel("height (input coordinates)")
        # y=1.0: just above the axes, where matplotlib would put it too (nothing is ticked on top), but
        # without measuring every tick label on every draw to find that out (~5 ms per panel)
        for ax in axes[:2]:
            ax.set_title(" ", y=1.0)
        axes[2].set_title("response, max over height", y=1.0)
        axes[2].set_xlabel("width (output index)")
        axes[2].set_ylabel("depth (output slice)")
        # Tick locations that do not depend on the axes' size in pixels (matplotlib's default does), so the
        # tick labels, and with them the layout, follow from the data alone; every 10th voxel is enough to
        # read positions off, and fewer labels are faster to draw.
        for ax in axes:
            for axis in (ax.xaxis, ax.yaxis):
                axis.set_major_locator(FixedLocator(np.arange(0, 40, 10)))
        # Colour-bar labels with a fixed number of decimals per bar, so that a new filter size or noise level
        # rarely changes which labels there are (only the signs, and their count, matter for the layout).
        for cb, decimals in zip(colourbars, (1, 2, 2)):
            cb.locator = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10])
            cb.formatter = FormatStrFormatter(f"%.{decimals}f")
        # no grids: the layout moves only with the suptitle's lines and each axes' margins (.live.axes_margins)
        super().__init__(fig, [])
        as_cell_texts(fig)  # titles and tick labels laid out once per digit pattern

    def update(self, depth=10, size=7, noise=0.3) -> bool:
        if size % 2 == 0 or size < 3:
            raise ValueError(f"filter size must be odd and >= 3, got {size}")
        if not noise >= 0:
            raise ValueError(f"noise must be at least 0, got {noise}")
        vol, line = _tube(float(noise))
        d_out = vol.shape[0] - size + 1
        if not 0 <= depth < d_out:
            raise ValueError(f"output slice {depth} does not exist: a {size}-deep filter on {vol.shape[0]} slices "
                             f"without padding gives {vol.shape[0]} - {size} + 1 = {d_out} output slices "
                             f"(0 to {d_out - 1})")
        out = _tube_response(size, float(noise))
        projection = np.maximum(out, 0).max(axis=1)
        centre = depth + (size - 1) // 2
        h = (size - 1) / 2  # output index 0 sits on input index h

        self.title.set_text(f"3D conv, {size}x{size}x{size} ball filter, no padding: "
                            f"input (32, 32, 32) -> output {out.shape}")
        ax_in, ax_out, ax_proj = self.axes
        self.input.set_data(vol[centre])
        self.input.set_clim(float(vol.min()), float(vol.max()))
        self.input_mark.set_data([line[centre, 2]], [line[centre, 1]])
        # two lines, each narrower than the panel, so a number's digits never move the layout
        ax_in.title.set_text(f"input slice {centre}\n(+ = tube centre)")
        self.response.set_data(out[depth])
        self.response.set_clim(*symmetric_limits(out))
        self.response.set_extent((-0.5 + h, out.shape[2] - 0.5 + h, out.shape[1] - 0.5 + h, -0.5 + h))
        self.response_mark.set_data([line[centre, 2]], [line[centre, 1]])
        ax_out.set_xlim(-0.5, vol.shape[2] - 0.5)   # set_extent moved them to the image
        ax_out.set_ylim(vol.shape[1] - 0.5, -0.5)
        ax_out.title.set_text(f"output slice {depth}\n(centred on input slice {centre})")
        self.projection.set_data(projection)
        self.projection.set_clim(0.0, float(projection.max()) or 1.0)
        self.projection.set_extent((-0.5, projection.shape[1] - 0.5, projection.shape[0] - 0.5, -0.5))
        ax_proj.set_xlim(-0.5, projection.shape[1] - 0.5)
        ax_proj.set_ylim(projection.shape[0] - 0.5, -0.5)
        self.depth_line.set_ydata([depth, depth])
        as_cell_texts(self.figure)  # colour-bar ticks a draw added since
        return self.layout_changed()
