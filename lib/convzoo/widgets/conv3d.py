"""Explorer of chapter 3: slide through a noisy tube volume and its 3D-convolution response."""
from __future__ import annotations

from functools import lru_cache

import ipywidgets as W
import numpy as np

from ..conv import conv3d
from ..figures.common import DIVERGING, SEQUENTIAL, new_figure, symmetric_limits
from ..volume import ball_kernel3d, tube_volume
from .common import explorer

__all__ = ["draw_conv3d", "conv3d_explorer"]


@lru_cache(maxsize=8)
def _tube(noise: float):
    return tube_volume((32, 32, 32), radius=2.5, noise=noise, seed=0)


def draw_conv3d(depth=10, size=7, noise=0.3):
    """Input slice, response slice and the response's projection for a ``size``-cube ball filter.

    No padding: the output has ``32 - size + 1`` slices and output slice ``depth`` is centred on input
    slice ``depth + (size - 1) / 2``. A ``depth`` beyond the output raises ``ValueError`` with the sizes.
    """
    if size % 2 == 0 or size < 3:
        raise ValueError(f"filter size must be odd and >= 3, got {size}")
    vol, line = _tube(float(noise))
    d_out = vol.shape[0] - size + 1
    if not 0 <= depth < d_out:
        raise ValueError(f"output slice {depth} does not exist: a {size}-deep filter on {vol.shape[0]} slices "
                         f"without padding gives {vol.shape[0]} - {size} + 1 = {d_out} output slices "
                         f"(0 to {d_out - 1})")
    k = ball_kernel3d(size, radius=min(2.5, (size - 1) / 2))
    out = conv3d(vol[None, None], k[None, None])[0, 0]
    centre = depth + (size - 1) // 2
    fig, axes = new_figure(1, 3, size=(12, 4.0),
                           title=f"3D conv, {size}x{size}x{size} ball filter, no padding: "
                                 f"input (32, 32, 32) -> output {out.shape}")
    ax = axes[0]
    im = ax.imshow(vol[centre], cmap=SEQUENTIAL)
    ax.plot(line[centre, 2], line[centre, 1], "+", color="#d62728", markersize=12, markeredgewidth=2)
    ax.set_title(f"input slice {centre} (+ = tube centre)")
    fig.colorbar(im, ax=ax, shrink=0.8, label="brightness")
    ax = axes[1]
    lo, hi = symmetric_limits(out)
    im = ax.imshow(out[depth], cmap=DIVERGING, vmin=lo, vmax=hi,
                   extent=(-0.5 + (size - 1) / 2, out.shape[2] - 0.5 + (size - 1) / 2,
                           out.shape[1] - 0.5 + (size - 1) / 2, -0.5 + (size - 1) / 2))
    ax.plot(line[centre, 2], line[centre, 1], "+", color="black", markersize=12, markeredgewidth=2)
    ax.set_xlim(-0.5, vol.shape[2] - 0.5)
    ax.set_ylim(vol.shape[1] - 0.5, -0.5)
    ax.set_title(f"output slice {depth} (centred on input slice {centre})")
    fig.colorbar(im, ax=ax, shrink=0.8, label="response")
    ax = axes[2]
    im = ax.imshow(np.maximum(out, 0).max(axis=1), cmap=SEQUENTIAL, aspect="auto")
    ax.axhline(depth, color="#d62728", linewidth=1.5)
    ax.set_title("response, max over height")
    ax.set_xlabel("width (output index)")
    ax.set_ylabel("depth (output slice)")
    fig.colorbar(im, ax=ax, shrink=0.8, label="max response")
    for ax in axes[:2]:
        ax.set_xlabel("width (input coordinates)")
        ax.set_ylabel("height (input coordinates)")
    return fig


def conv3d_explorer():
    """Depth slider, filter size and noise level for the tube volume and its 3D-convolution response.

    Returns
    -------
    convzoo.widgets.common.Explorer
    """
    return explorer(
        draw_conv3d,
        title="Finding a tube with a 3D filter",
        description="Move through the output slices; a bigger filter gives fewer output slices (no padding). "
                    "More noise: the 3D filter still finds the tube because it averages over depth as well.",
        depth=W.IntSlider(value=10, min=0, max=31, description="output slice"),
        size=W.Dropdown(options=[3, 5, 7, 9], value=7, description="filter size"),
        noise=W.Dropdown(options=[0.0, 0.3, 0.6, 1.0], value=0.3, description="noise"),
    )
