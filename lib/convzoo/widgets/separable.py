"""Explorers of chapter 8: how separable is a kernel, and what depthwise separable saves.

- :func:`low_rank_explorer`: choose a kernel (Sobel, Gaussian, Laplacian, a disk, a random one, a patch of
  the photo) and a rank r; see the best rank-r approximation (a sum of r separable kernels), the error it
  leaves and the singular values kept and dropped (:func:`convzoo.figures.separable.low_rank_figure`).
- :func:`separable_cost_explorer`: choose input and output channels, kernel size, output size and depth
  multiplier; see the multiply-adds of a standard layer against depthwise + pointwise
  (:func:`convzoo.figures.separable.cost_figure`).
"""
from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..figures.separable import CostView, LowRankView, cost_figure, low_rank_figure

__all__ = ["SEPARABLE_KERNELS", "separable_kernel", "NamedKernelView", "draw_low_rank", "low_rank_explorer",
           "draw_separable_cost", "separable_cost_explorer"]


def _photo_patch() -> np.ndarray:
    from ..data import sample_image

    # a 5x5 patch of the photo on the collar's edge (rows 44-48, columns 28-32 of the 64x64 grey photo)
    return np.round(sample_image(gray=True, size=64)[44:49, 28:33], 2)


def _disk() -> np.ndarray:
    i, j = np.mgrid[-2:3, -2:3]
    return (i ** 2 + j ** 2 <= 5).astype(float)


SEPARABLE_KERNELS = {
    "Sobel x (3x3)": lambda: np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "Gaussian (5x5)": lambda: np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]) / 256,
    "Laplacian (3x3)": lambda: np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "disk (5x5)": _disk,
    "random (5x5)": lambda: np.round(np.random.default_rng(0).standard_normal((5, 5)), 1),
    "photo patch (5x5)": _photo_patch,
}
"""The explorer's kernels by name: each a function returning the 2-D kernel (made on demand)."""


def separable_kernel(name: str) -> np.ndarray:
    """The named kernel of :data:`SEPARABLE_KERNELS`.

    Examples
    --------
    >>> separable_kernel("Sobel x (3x3)")[1]
    array([-2,  0,  2])
    """
    if name not in SEPARABLE_KERNELS:
        raise ValueError(f"unknown kernel {name!r}; choose one of {', '.join(SEPARABLE_KERNELS)}")
    return SEPARABLE_KERNELS[name]()


def draw_low_rank(kernel="photo patch (5x5)", rank=1):
    """The figure of :func:`convzoo.figures.separable.low_rank_figure` for a named kernel and a rank."""
    return low_rank_figure(separable_kernel(kernel), int(rank), name=kernel)


class NamedKernelView(LowRankView):
    """The low-rank explorer's picture: :func:`draw_low_rank`'s, one
    :class:`~convzoo.figures.separable.LowRankView` made for the largest of :data:`SEPARABLE_KERNELS` and
    updated in place with the controls' values (a kernel's name and a rank).

    Shape
    -----
    ``update(kernel, rank)`` draws the named ``(kh, kw)`` kernel, ``1 <= rank <= min(kh, kw)``.

    Examples
    --------
    >>> v = NamedKernelView()
    >>> v.update("Gaussian (5x5)", 1), v.figure.axes[3].get_title().splitlines()[1]
    (True, 'relative error = 0.000')
    """

    def __init__(self):
        shapes = np.array([separable_kernel(name).shape for name in SEPARABLE_KERNELS])
        super().__init__(tuple(shapes.max(axis=0)))

    def update(self, kernel="photo patch (5x5)", rank=1) -> bool:
        return super().update(separable_kernel(kernel), int(rank), name=kernel)


def low_rank_explorer(kernel="photo patch (5x5)", rank=1):
    """Choose a kernel and a rank; see its best rank-r approximation, the error and the singular values.

    A rank larger than the kernel allows (e.g. 4 for a 3x3 kernel) gets a message in the widget.

    Returns
    -------
    convzoo.widgets.common.Explorer
        ``controls`` holds ``kernel`` (a dropdown) and ``rank`` (a slider from 1 to 5).
    """
    from .common import explorer

    return explorer(
        NamedKernelView(),
        title="How separable is this kernel?",
        description="The best sum of r separable (outer-product) kernels, by SVD. Its error is exactly the "
                    "singular values it drops (Eckart-Young). Sobel and Gaussian are separable: rank 1 is exact.",
        kernel=W.Dropdown(options=list(SEPARABLE_KERNELS), value=kernel, description="kernel"),
        rank=W.IntSlider(value=rank, min=1, max=5, description="rank r", continuous_update=False),
    )


def draw_separable_cost(in_channels=32, out_channels=64, kernel_size=3, output_size=56, depth_multiplier=1):
    """The figure of :func:`convzoo.figures.separable.cost_figure` (the counters check every argument)."""
    return cost_figure(in_channels, out_channels, kernel_size, output_size, depth_multiplier)


def separable_cost_explorer(in_channels=32, out_channels=64, kernel_size=3, output_size=56, depth_multiplier=1):
    """Choose channels, kernel size, output size and depth multiplier; compare the multiply-adds.

    Returns
    -------
    convzoo.widgets.common.Explorer
        ``controls`` holds ``in_channels``, ``out_channels``, ``kernel_size``, ``output_size`` and
        ``depth_multiplier``.
    """
    from .common import explorer

    ints = dict(continuous_update=False)
    return explorer(
        CostView(),
        title="What depthwise separable saves",
        description="Standard k x k layer against depthwise (k x k per channel) + pointwise (1 x 1). "
                    "With depth multiplier 1 the ratio is exactly 1/N + 1/k^2.",
        in_channels=W.IntSlider(value=in_channels, min=1, max=1024, description="C_in", **ints),
        out_channels=W.IntSlider(value=out_channels, min=1, max=1024, description="C_out (N)", **ints),
        kernel_size=W.IntSlider(value=kernel_size, min=1, max=9, description="k", **ints),
        output_size=W.IntSlider(value=output_size, min=1, max=224, description="output size", **ints),
        depth_multiplier=W.IntSlider(value=depth_multiplier, min=1, max=4, description="multiplier m", **ints),
    )
