"""ipywidgets explorers, one module per chapter topic, built on :func:`.common.explorer`.

Each explorer is a function returning a widget. Its drawing is a plain function of the knobs, returning a
matplotlib Figure, so it is tested without a browser; a bad setting shows a message in the widget.
"""
from .common import *  # noqa: F401,F403
from .correlation import *  # noqa: F401,F403
from .multichannel import *  # noqa: F401,F403
from .conv3d import *  # noqa: F401,F403
from .pointwise import *  # noqa: F401,F403
from .arithmetic import *  # noqa: F401,F403
from .transposed import *  # noqa: F401,F403
from .dilated import *  # noqa: F401,F403
from .separable import *  # noqa: F401,F403
from .flattened import *  # noqa: F401,F403
from .grouped import *  # noqa: F401,F403
from .shuffle import *  # noqa: F401,F403
from .shufflenet import *  # noqa: F401,F403
