"""Sample data the chapters use, with nothing to download.

:func:`sample_image` is matplotlib's photo of Grace Hopper (it ships with matplotlib as
``mpl-data/sample_data/grace_hopper.jpg``), as floats in ``[0, 1]``, channels first like every image in
convzoo. Synthetic volumes (chapter 3) live in :mod:`convzoo.volume`.

matplotlib and Pillow (which matplotlib requires) are imported only when a photo is asked for, so
``import convzoo`` needs numpy alone.
"""
from __future__ import annotations

import numpy as np

__all__ = ["sample_image"]

# ITU-R BT.601 luma weights: how bright a red, green or blue pixel looks (the usual RGB -> grey).
_LUMA = np.array([0.299, 0.587, 0.114])
_PHOTO = "grace_hopper.jpg"


def _size_pair(size) -> tuple[int, int] | None:
    if size is None:
        return None
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        pair = (int(size), int(size))
    elif (isinstance(size, (tuple, list)) and len(size) == 2
          and all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in size)):
        pair = (int(size[0]), int(size[1]))
    else:
        raise TypeError(f"sample_image: size must be None, an int or a pair of ints (height, width), "
                        f"but got {size!r}")
    if min(pair) < 1 or max(pair) > 4096:
        raise ValueError(f"sample_image: size must be between 1 and 4096 pixels per side, but got {size!r}")
    return pair


def sample_image(gray: bool = False, size=None, dtype=np.float64) -> np.ndarray:
    """The photo of Grace Hopper that ships with matplotlib, as an array with values in ``[0, 1]``.

    Parameters
    ----------
    gray : bool
        ``False`` (default): the three colour channels (R, G, B), channels first. ``True``: one grey
        channel, ``0.299 R + 0.587 G + 0.114 B``, as a 2-D array.
    size : None, int or (int, int)
        ``None``: the full photo, 600 rows by 512 columns. ``n``: an ``n`` x ``n`` image; ``(h, w)``: an
        ``h`` x ``w`` image. The photo is first cut, around its centre, to the asked aspect ratio (so the
        face is never stretched), then resized by averaging the pixels each new pixel covers.
    dtype : numpy dtype
        ``float64`` (default) or ``float32``.

    Returns
    -------
    numpy.ndarray

    Shape
    -----
    - colour: ``(3, H, W)``, the layout ``conv2d`` expects for one unbatched image (add ``[None]`` for a batch);
    - grey: ``(H, W)``;
    - ``(H, W)`` is ``(600, 512)`` for ``size=None``.

    Examples
    --------
    >>> img = sample_image()
    >>> img.shape, img.dtype, float(img.min()) >= 0.0, float(img.max()) <= 1.0
    ((3, 600, 512), dtype('float64'), True, True)
    >>> sample_image(gray=True, size=64).shape
    (64, 64)
    >>> sample_image(size=(48, 32), dtype=np.float32).shape
    (3, 48, 32)
    """
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"sample_image: dtype must be float32 or float64, but got {dtype}")
    pair = _size_pair(size)

    from matplotlib.cbook import get_sample_data
    from PIL import Image

    with get_sample_data(_PHOTO) as fh:
        photo = Image.open(fh)
        photo.load()
    photo = photo.convert("RGB")
    if pair is not None:
        h, w = pair
        width, height = photo.size
        # the largest box of the wanted aspect ratio, centred in the photo
        if width * h > height * w:          # photo too wide: cut columns
            box_w, box_h = height * w / h, height
        else:                               # photo too tall: cut rows
            box_w, box_h = width, width * h / w
        left, top = (width - box_w) / 2, (height - box_h) / 2
        photo = photo.resize((w, h), resample=Image.Resampling.BOX, box=(left, top, left + box_w, top + box_h))
    rgb = np.asarray(photo, dtype=np.float64) / 255.0            # (H, W, 3)
    if gray:
        return (rgb @ _LUMA).astype(dtype)
    return np.ascontiguousarray(rgb.transpose(2, 0, 1)).astype(dtype)
