"""convzoo: reference implementations of every convolution the curriculum teaches.

One general op (:func:`conv_general`, with its loop twin :func:`conv_general_naive`) carries every
convolution; the faces are named like ``torch.nn.functional`` (``conv2d``, ``conv_transpose2d``,
``max_pool2d``, ...) or like numpy/scipy (``convolve``, ``correlate``). Arithmetic (output sizes,
receptive fields) and cost counters (parameters, multiply-adds) live in :mod:`convzoo.shapes` and
:mod:`convzoo.cost`. Figures are in :mod:`convzoo.figures`; the ipywidgets explorers in
:mod:`convzoo.widgets` (imported on demand, so the numerical core needs numpy only).
"""
from .core import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .signal import *  # noqa: F401,F403
from .transpose import *  # noqa: F401,F403
from .pool import *  # noqa: F401,F403
from .upsample import *  # noqa: F401,F403
from .grouped import *  # noqa: F401,F403
from .activations import *  # noqa: F401,F403
from .separable import *  # noqa: F401,F403
from .blocks import *  # noqa: F401,F403
from .shapes import *  # noqa: F401,F403
from .cost import *  # noqa: F401,F403
from .data import *  # noqa: F401,F403
from .volume import *  # noqa: F401,F403
from .checkerboard import *  # noqa: F401,F403
from .dilated import *  # noqa: F401,F403
from .flattened import *  # noqa: F401,F403
from .shuffle import *  # noqa: F401,F403

__version__ = "0.1.0"
