"""The numbers on an edge: its local derivative ("rate factor") and the gradient it carries.

For a child c = op(p_0, ..., p_k) the edge c <- p_i has local derivative dc/dp_i, computed from the
op's own vector-Jacobian product (`op.input_grad`), never re-derived here:

* Value:  dc/dp_i = vjp_i(g=1).  The gradient it carries is vjp_i(g=c.grad) = c.grad * dc/dp_i,
  and by the chain rule p.grad is the sum of what its edges carry (x*x: two edges, 2x in total).
* Tensor: dc/dp_i is a Jacobian. For an elementwise op it is diagonal and shown as its diagonal,
  vjp_i(g=ones); for any other op it is named by its rule (e.g. "g·Bᵀ" for A @ B). The gradient it
  carries is vjp_i(g=c.grad) summed back to p's shape over broadcast axes (the engine's `sum_to`).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import Node, Tensor
from autograd_core.ops.shape import sum_to

from .labels import shape_text

ELEMENTWISE = frozenset({"add", "sub", "mul", "div", "pow", "neg", "exp", "log", "sqrt", "abs", "sigmoid",
                         "tanh", "relu", "step", "maximum", "minimum", "logaddexp", "where"})

# How a non-elementwise Tensor op turns the upstream gradient g into the gradient of input i.
RULES: dict[str, tuple[str, ...]] = {
    "matmul": ("g·Bᵀ", "Aᵀ·g"),
    "linear": ("g·W", "gᵀ·x", "Σ g over the batch"),
    "sum": ("broadcast g",),
    "max": ("g at the argmax",),
    "min": ("g at the argmin",),
    "softmax": ("s⊙(g − Σ g⊙s)",),
    "log_softmax": ("g − softmax·Σg",),
    "logsumexp": ("g·softmax(x)",),
    "reshape": ("reshape g",),
    "transpose": ("transpose g",),
    "getitem": ("scatter g",),
    "index_add": ("gather g",),
    "sum_to": ("broadcast g",),
    "broadcast_to": ("sum g",),
    "concatenate": ("slice of g",),
    "stack": ("slice of g",),
}


def as_data(x: Any) -> Any:
    """Raw data of a gradient that may itself be a node (after backward(create_graph=True))."""
    return x.data if isinstance(x, Node) else x


def _vjp(child: Node, i: int, g: Any) -> Any:
    """op.input_grad on raw data; NaN when the rule is undefined at this point (e.g. 0 ** -1)."""
    inputs = tuple(p.data for p in child.parents)
    try:
        with np.errstate(all="ignore"):
            out = child.op.input_grad(i, g, child.data, inputs, child.kwargs)
    except (ArithmeticError, ValueError):
        return float("nan") if not isinstance(child, Tensor) else np.full(np.shape(child.data), np.nan)
    return as_data(out)


def differentiable(child: Node, i: int) -> bool:
    """Whether the edge child <- parents[i] has a rule and its parent takes part in backward."""
    return child.op is not None and child.op.differentiable(i) and child.parents[i].requires_grad


def local_derivative(child: Node, i: int) -> Any:
    """d child / d parents[i]: a float for a Value, the Jacobian's diagonal (ndarray in the child's
    shape) for an elementwise Tensor op, None for other Tensor ops (see `local_rule`)."""
    if not isinstance(child, Tensor):
        return float(_vjp(child, i, 1.0))
    if child.op_name in ELEMENTWISE:
        return np.asarray(_vjp(child, i, np.ones_like(child.data)))
    return None


def local_rule(child: Node, i: int) -> str:
    """Text for a Tensor edge whose Jacobian is not diagonal: the rule, or the Jacobian's shape."""
    rules = RULES.get(child.op_name or "", ())
    if i < len(rules):
        return rules[i]
    if rules:
        return rules[-1]
    parent = child.parents[i]
    return f"J {shape_text(np.shape(child.data))}×{shape_text(np.shape(parent.data))}"


def carried_gradient(child: Node, i: int) -> Any:
    """The gradient flowing along child -> parents[i]: vjp_i(child.grad), summed to the parent's
    shape. None when the child has no gradient or the parent does not require grad."""
    g = as_data(child.grad)
    if g is None or not differentiable(child, i):
        return None
    out = _vjp(child, i, g)
    if isinstance(child, Tensor):
        return np.asarray(sum_to(np.asarray(out), np.shape(child.parents[i].data)))
    return float(out)
