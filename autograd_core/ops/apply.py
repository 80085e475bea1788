"""Running an op: `apply` records a node in the graph, `call` runs on raw data or nodes alike."""
from __future__ import annotations

from typing import Any

from ..graph.grad_mode import current_state
from ..graph.node import Node
from ..graph.trace_hooks import validated
from ..graph.versions import _COUNTERS, remember
from .table import Op


def apply(op: Op, *args: Any, **kwargs: Any) -> Any:
    """Run `op` on nodes (constants are wrapped), recording parents when any input requires grad.

    Returns a node of the inputs' kind (a Tensor for Tensor inputs, a Value for Values)."""
    like = None
    for a in args:
        if isinstance(a, Node):
            like = a
            break
    if like is None:
        raise TypeError(f"{op.name}: apply needs at least one Value or Tensor input")
    cls = like._result_type
    nodes = [a if (a.__class__ is cls or (isinstance(a, Node) and a._result_type is cls))
             else cls._constant(a, like, op.name) for a in args]
    raws = [n.data for n in nodes]
    if len(raws) > 1 and cls.shape_tracked:
        first = raws[0].dtype
        for r in raws:
            if r.dtype is not first:  # dtypes differ (or are equal but distinct objects): torch's promotion
                nodes = cls._promote(nodes)
                raws = [n.data for n in nodes]
                break
    if op.check is not None:
        validated(op.check, *raws, **kwargs)  # while compiling: on every replay's values too
    data = cls._run_forward(op, raws, kwargs)
    if current_state().enabled:
        for n in nodes:
            if n.requires_grad:
                out = cls._make(data, tuple(nodes), op, kwargs or None, True)
                if _COUNTERS:  # some memory was changed in place: remember the versions this node read
                    remember(out)
                return out
    return cls._make(data, (), None, None, False)


def call(op: Op, *args: Any, **kwargs: Any) -> Any:
    """Generic entry used inside gradient rules: records when given nodes, else computes raw data.

    Raw Python floats take the op's scalar implementation; everything else its numpy forward.
    """
    for a in args:
        if isinstance(a, Node):
            return apply(op, *args, **kwargs)
    if op.scalar is not None:
        for a in args:
            if type(a) is not float and type(a) is not int:
                return op.forward(*args, **kwargs)
        return op.scalar(*args, **kwargs)
    return op.forward(*args, **kwargs)


def raw(x: Any) -> Any:
    """The data behind a node, or x itself."""
    return x.data if isinstance(x, Node) else x
