"""Time-step scopes: `with time_step(cell, t):` stamps every node recorded inside with (cell, step t)."""
from __future__ import annotations

from typing import Any, ContextManager

from autograd_core.graph.grad_mode import recording_scope


def time_step(module: Any, t: int) -> ContextManager[Any]:
    """A recording scope (per thread, see autograd_core.graph.grad_mode.recording_scope) for step t of a
    recurrent module: nodes made inside carry node.scope.owner == module and node.scope.step == t,
    which viz draws as the cluster "cell[t=2]"."""
    return recording_scope(module, step=int(t))
