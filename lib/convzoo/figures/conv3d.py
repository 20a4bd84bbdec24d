"""Figures of chapter 3: slices of volumes, projections, and 2D against 3D convolution on one volume."""
from __future__ import annotations

import numpy as np

from ..conv import conv2d, conv3d
from .common import DIVERGING, SEQUENTIAL, new_figure, symmetric_limits

__all__ = ["volume_slices_figure", "projection_figure", "conv2d_vs_conv3d_figure"]

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
