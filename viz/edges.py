"""The numbers on an edge: its local derivative ("rate factor") and the gradient it carries.

For a child c = op(p_0, ..., p_k) the edge c <- p_i has local derivative dc/dp_i, computed from the
op's own vector-Jacobian product (`op.input_grad`), never re-derived here:

* Value:  dc/dp_i = vjp_i(g=1).  The gradient it carries is vjp_i(g=c.grad) = c.grad * dc/dp_i,
  and by the chain rule p.grad is the sum of what its edges carry (x*x: two edges, 2x in total).
* Tensor: dc/dp_i is a Jacobian. For an elementwise op it is diagonal and shown as its diagonal,
  vjp_i(g=ones); for any other op it is named by its rule (e.g. "g·Bᵀ" for A @ B). The gradient it
  carries is vjp_i(g=c.grad) summed back to p's shape over broadcast axes (the engine's `sum_to`).

Whether an op is elementwise, its rule as math and in words all come from the op's table entry
(`Op.elementwise`, `Op.derivative_text(i)`, `Op.words`): viz names no op.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd_core import Node, Tensor
from autograd_core.graph.released import Released
from autograd_core.ops.shape import sum_to


def as_data(x: Any) -> Any:
    """Raw data of a gradient that may itself be a node (after backward(create_graph=True))."""
    return x.data if isinstance(x, Node) else x


def _vjp(child: Node, i: int, g: Any) -> Any:
    """op.input_grad on raw data; NaN when the rule is undefined at this point (e.g. 0 ** -1)."""
    inputs = tuple(p.data for p in child.parents)
    assert child.op is not None, "a leaf has no incoming edges"
    try:
        with np.errstate(all="ignore"):
            out = child.op.input_grad(i, g, child.data, inputs, child.kwargs)
    except (ArithmeticError, ValueError):
        return float("nan") if not isinstance(child, Tensor) else np.full(np.shape(child.data), np.nan)
    return as_data(out)


def released(child: Node, g: Any = None) -> bool:
    """Whether a backward pass released an array the edges of `child` would be computed from (its
    data, an input's data or the gradient `g`): then only their rules can be shown."""
    return (isinstance(child.data, Released) or isinstance(g, Released)
            or any(isinstance(p.data, Released) for p in child.parents))


def differentiable(child: Node, i: int) -> bool:
    """Whether the edge child <- parents[i] has a rule and its parent takes part in backward."""
    return child.op is not None and child.op.differentiable(i) and child.parents[i].requires_grad


def local_derivative(child: Node, i: int) -> Any:
    """d child / d parents[i]: a float for a Value, the Jacobian's diagonal (ndarray in the child's
    shape) for an elementwise Tensor op, None for other Tensor ops (see `local_rule`)."""
    if not isinstance(child, Tensor):
        return float(_vjp(child, i, 1.0))
    if is_elementwise(child) and not released(child):
        return np.asarray(_vjp(child, i, np.ones_like(child.data)))
    return None


def is_elementwise(child: Node) -> bool:
    """Whether the op that made `child` is elementwise (its table entry says so)."""
    return child.op is not None and child.op.elementwise


def local_rule(child: Node, i: int) -> str:
    """The local derivative of edge child <- parents[i] as math, from the op's table entry
    ("1 − out²" for tanh, "g·Bᵀ" for the first input of A @ B)."""
    if child.op is None:
        raise ValueError(f"local_rule: {child!r} is a leaf; it has no incoming edges")
    if not 0 <= i < len(child.parents):
        raise ValueError(f"local_rule: {child.op.name} has {len(child.parents)} inputs, got input {i}")
    return child.op.derivative_text(i)


@dataclass(frozen=True)
class LocalDerivative:
    """What one edge child <- parents[i] says about d child / d parent.

    math: the rule from the op's table entry; words: the op's sentence; value: a float (Value), the
    Jacobian's diagonal (elementwise Tensor op) or None (the rule is the whole story); text: the
    one-line form viz prints on the arrow ("∂ 0.42", "∂ ⊙ [0 … 1]", "carries g·Bᵀ": a Tensor op that
    is not elementwise has no one-number local derivative, so its arrow names the product it carries)."""

    math: str
    words: str
    value: Any
    text: str

    @property
    def explanation(self) -> str:
        """Rule and words in one line, for a tooltip: "∂ = 1 − out² (tanh'(x) = ...)"."""
        return f"∂ = {self.math} ({self.words})"


def edge_derivative(child: Node, i: int, precision: int = 4) -> LocalDerivative:
    """The local derivative of the edge from child.parents[i] into `child` (see LocalDerivative).

    A public entry point for other viewers (the HTML explorer): one place that states an edge."""
    from .labels import fmt, span

    math = local_rule(child, i)
    op = child.op
    assert op is not None
    if not differentiable(child, i):
        return LocalDerivative(math, op.words, None, "no grad")
    value = local_derivative(child, i)
    if value is None:   # not a number: the vector-Jacobian product the edge carries, by its rule
        text = "carries " + math
    elif isinstance(child, Tensor):
        text = "∂ ⊙ " + span(value, precision)
    else:
        text = "∂ " + fmt(value, precision)
    return LocalDerivative(math, op.words, value, text)


def carried_gradient(child: Node, i: int) -> Any:
    """The gradient flowing along child -> parents[i]: vjp_i(child.grad), summed to the parent's
    shape. None when the child has no gradient or the parent does not require grad."""
    g = as_data(child.grad)
    if g is None or not differentiable(child, i) or released(child, g):
        return None
    out = _vjp(child, i, g)
    if isinstance(child, Tensor):
        return np.asarray(sum_to(np.asarray(out), np.shape(child.parents[i].data)))
    return float(out)
