"""Static matplotlib figures, one module per chapter topic, sharing one visual language (:mod:`.common`).

Every figure function returns a ``matplotlib.figure.Figure`` with a title, labelled axes and a colour map
that survives colour-blindness, so that it reads on GitHub where widgets do not run.
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
