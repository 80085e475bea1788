"""Where output goes: whether this process runs inside a Jupyter kernel (live.py and plot.py both ask)."""
from __future__ import annotations

import sys


def in_notebook() -> bool:
    """Whether we run inside a Jupyter kernel (the IPython shell of ipykernel)."""
    if "ipykernel.zmqshell" not in sys.modules or "IPython" not in sys.modules:
        return False
    shell = sys.modules["IPython"].get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"
