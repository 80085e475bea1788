"""The two steppers' scripts: the engine's forward order filling in data, its backward order filling in grads.

Backward walks `reverse_topological_order(root, requires_grad_only=True)`, the order the engine
itself visits nodes. At each step the node's gradient is final (every child has sent its share);
for each input the step records upstream x local = carried, computed with the op's own
vector-Jacobian product, and the input's running sum after adding it. An input used by several
children therefore shows its gradient accumulating, one child at a time.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import Node, Tensor
from autograd_core.graph.order import reverse_topological_order, topological_order
from autograd_core.ops.shape import sum_to

from ..edges import as_data, differentiable, released
from ..labels import fmt, shape_text, span
from ..names import expression, value_expression
from ..text import display_name, value_text
from .model import _local, raw


def _text(x: Any, p: int) -> str:
    return fmt(x, p) if np.ndim(x) == 0 and not isinstance(x, np.ndarray) else span(x, p)


def _brief(x: Any, p: int) -> str:
    """A short edge label for an array: its entries when there are at most three, else its range."""
    arr = np.asarray(x, dtype=float)
    return span(arr, p) if arr.size <= 3 else f"{shape_text(arr.shape)} {span(arr, 3)}"


def _carried(c: Node, i: int, g: Any) -> Any:
    """vjp_i(g) from the op's table entry, summed back to the input's shape."""
    op = c.op
    assert op is not None, "only a node made by an op sends gradients to inputs"
    inputs = tuple(q.data for q in c.parents)
    with np.errstate(all="ignore"):
        out = as_data(op.input_grad(i, g, c.data, inputs, c.kwargs))
    if isinstance(c, Tensor):
        return np.asarray(sum_to(np.asarray(out), np.shape(c.parents[i].data)))
    return float(out)


def _seed(root: Node, computed: bool) -> Any:
    """What backward starts from: the root's gradient when it ran, else d root / d root = 1."""
    g = as_data(root.grad) if computed else None
    if g is not None:
        return np.array(g, dtype=float) if isinstance(root, Tensor) else float(g)
    return np.ones_like(root.data, dtype=float) if isinstance(root, Tensor) else 1.0


def _send(c: Node, i: int, g: Any, grads: dict[int, Any], edge: int | None, key_of: dict[int, str],
          p: int) -> dict[str, Any]:
    """One input's share: upstream x local = carried, and the input's running sum after it."""
    parent = c.parents[i]
    carried = _carried(c, i, g)
    prev = grads.get(parent.id)
    total = carried if prev is None else prev + carried
    grads[parent.id] = total
    local_text, local_raw = _local(c, i, p)
    if isinstance(c, Tensor):
        sep = "⊙" if local_raw is not None else "→"
        product = f"{span(g, p)} {sep} {local_text.removeprefix('⊙ ')} = {span(carried, p)}"
        label = f"g ⊙ ∂ = {_brief(carried, p)}" if local_raw is not None else f"carries {local_text} = {_brief(carried, p)}"
    else:
        product = label = f"{fmt(g, p)} × {local_text} = {fmt(carried, p)}"
    return {"edge": edge, "input": i, "parent": key_of[parent.id], "upstream": _text(g, p), "upstreamRaw": raw(g),
            "local": local_text, "localRaw": local_raw,
            "carried": _text(carried, p), "carriedRaw": raw(carried), "product": product, "label": label,
            "soFar": value_text(total, p), "soFarRaw": raw(total)}


def backward_steps(root: Node, computed: bool, key_of: dict[int, str], edge_of: dict[tuple[int, int], int],
                   p: int) -> list[dict[str, Any]]:
    """One record per node in the engine's backward order (see the module docstring)."""
    if not root.requires_grad:
        return []
    grads: dict[int, Any] = {root.id: _seed(root, computed)}
    steps = []
    order = reverse_topological_order(root, requires_grad_only=True)
    # after a backward that released arrays, each step shows the engine's gradient, and a node whose
    # arrays are gone sends nothing (its products cannot be recomputed)
    gone = computed and any(released(n) for n in order)
    for node in order:
        g = as_data(node.grad) if gone else grads.get(node.id)
        step: dict[str, Any] = {"key": key_of[node.id], "grad": None if g is None else value_text(g, p),
                                "gradRaw": raw(g), "sends": []}
        if g is not None and node.op is not None and not released(node, g):
            for i in range(len(node.parents)):
                if differentiable(node, i):
                    step["sends"].append(_send(node, i, g, grads, edge_of.get((node.id, i)), key_of, p))
        steps.append(step)
    return steps


def forward_steps(root: Node, key_of: dict[int, str], names: dict[int, str], p: int) -> list[dict[str, Any]]:
    """One record per node in topological order: how its data was computed from its inputs."""
    steps = []
    for node in topological_order(root):
        name = display_name(node, names)
        if node.op is None:
            text = f"{name} = {value_text(node.data, p)} (given)"
        elif isinstance(node, Tensor):
            args = ", ".join(display_name(q, names) for q in node.parents)
            text = f"{name} = {node.op.display}({args}) = {value_text(node.data, p)}"
        else:  # the same expression with the inputs' values: "x1×w1 = 2×(-3) = -6"
            shown = expression(node, names)
            head = f"{name} = {shown}" if node.label else name   # a labelled node: say what made it
            text = f"{head} = {value_expression(node, p)} = {value_text(node.data, p)}"
        steps.append({"key": key_of[node.id], "text": text})
    return steps
