"""Helpers of chapter 3 (3D convolution): a synthetic tube volume and a 3D filter that responds to it.

A *ball* kernel compares the mean brightness of a small ball around a voxel with the mean of the whole
cube around it; it sums to zero, so a constant background gives exactly 0, and it is isotropic, so a tube
gives the same response whichever way it runs.
"""
from __future__ import annotations

import numpy as np

__all__ = ["ball_kernel3d", "tube_volume"]


def ball_kernel3d(size=7, radius=2.0):
    """A zero-sum 3D kernel: mean over a ball of ``radius`` minus the mean over the ``size`` cube.

    Parameters
    ----------
    size : int
        Edge of the cube (odd, >= 3), so that the ball has a centre voxel.
    radius : float
        Radius of the ball in voxels (> 0, at most ``(size - 1) / 2`` so the ball fits in the cube).

    Returns
    -------
    numpy.ndarray
        float64, shape ``(size, size, size)``, summing to 0.

    Shape
    -----
    Output: ``(size, size, size)``; use it as the weight ``(1, 1, size, size, size)`` of ``conv3d``.

    Examples
    --------
    >>> k = ball_kernel3d(3, 1.0)
    >>> k.shape, round(float(k.sum()), 12)
    ((3, 3, 3), 0.0)
    >>> round(float(k[1, 1, 1]), 4), round(float(k[0, 0, 0]), 4)   # 7 voxels in the ball: 1/7 - 1/27
    (0.1058, -0.037)
    """
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 3 or size % 2 == 0:
        raise ValueError(f"size must be an odd int >= 3 (so the ball has a centre voxel), but got {size!r}")
    if not (0 < radius <= (size - 1) / 2):
        raise ValueError(f"radius must be > 0 and at most (size - 1) / 2 = {(size - 1) / 2:g} so the ball fits "
                         f"in the {size}x{size}x{size} cube, but got radius={radius!r}")
    c = (size - 1) / 2
    z, y, x = np.mgrid[:size, :size, :size] - c
    ball = (z * z + y * y + x * x <= radius * radius + 1e-9).astype(float)
    return ball / ball.sum() - 1.0 / size ** 3


def tube_volume(shape=(32, 32, 32), radius=2.5, noise=0.0, seed=0):
    """A synthetic volume: a bright tube winding through 3D space, like a vessel in a CT or MRI scan.

    The centreline runs once along the depth axis while swinging around in height and width (two sines
    with random phases drawn from ``seed``). A voxel's brightness is 1 inside the tube, 0 outside, with a
    one-voxel linear ramp at the wall (``clip(radius + 0.5 - distance, 0, 1)``), plus optional Gaussian noise.

    Parameters
    ----------
    shape : tuple of 3 ints
        ``(D, H, W)``, each at least 8.
    radius : float
        Tube radius in voxels, > 0.
    noise : float
        Standard deviation of added Gaussian noise (0 for none).
    seed : int
        Seeds the winding and the noise.

    Returns
    -------
    volume : numpy.ndarray
        float64 ``(D, H, W)``.
    centreline : numpy.ndarray
        float64 ``(D, 3)``: the centre ``(d, h, w)`` of the tube in every depth slice ``d``.

    Shape
    -----
    ``volume``: ``(D, H, W)``; add axes to use it as a ``conv3d`` input ``(N=1, C=1, D, H, W)``.

    Examples
    --------
    >>> vol, line = tube_volume((16, 16, 16), radius=2)
    >>> vol.shape, line.shape
    ((16, 16, 16), (16, 3))
    >>> d, h, w = np.round(line[5]).astype(int)
    >>> float(vol[d, h, w])
    1.0
    """
    if len(tuple(shape)) != 3 or any(int(s) < 8 for s in shape):
        raise ValueError(f"shape must be three sizes (D, H, W), each at least 8, but got {shape!r}")
    if not radius > 0:
        raise ValueError(f"radius must be positive, but got {radius!r}")
    D, H, W = (int(s) for s in shape)
    rng = np.random.default_rng(seed)
    p1, p2 = rng.uniform(0, 2 * np.pi, size=2)
    # Fine samples of the curve, so the distance to it is exact to a small fraction of a voxel.
    t = np.linspace(0.0, 1.0, 8 * D)
    margin_h, margin_w = radius + 2, radius + 2
    amp_h, amp_w = max(H / 2 - margin_h, 0), max(W / 2 - margin_w, 0)
    curve = np.stack([t * (D - 1),
                      (H - 1) / 2 + amp_h * np.sin(2 * np.pi * t + p1),
                      (W - 1) / 2 + amp_w * np.sin(3 * np.pi * t + p2)], axis=1)
    grid = np.stack(np.meshgrid(np.arange(D), np.arange(H), np.arange(W), indexing="ij"), axis=-1).reshape(-1, 3)
    dist = np.full(grid.shape[0], np.inf)
    for start in range(0, curve.shape[0], 64):          # bounded memory: 64 curve samples at a time
        seg = curve[start:start + 64]
        d2 = ((grid[:, None, :] - seg[None, :, :]) ** 2).sum(-1)
        dist = np.minimum(dist, np.sqrt(d2.min(axis=1)))
    volume = np.clip(radius + 0.5 - dist, 0.0, 1.0).reshape(D, H, W)
    if noise:
        volume = volume + rng.normal(0.0, noise, size=volume.shape)
    td = np.arange(D) / max(D - 1, 1)
    centreline = np.stack([np.arange(D, dtype=float),
                           (H - 1) / 2 + amp_h * np.sin(2 * np.pi * td + p1),
                           (W - 1) / 2 + amp_w * np.sin(3 * np.pi * td + p2)], axis=1)
    return volume, centreline
