"""Backward pass: sort the graph iteratively, call each node's gradient rule, accumulate.

The engine knows no op: every rule comes from the node's table entry.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np

from .grad_mode import enable_grad, no_grad
from .node import Node
from .ops.shape import sum_to


def topological_order(root: Node, *, requires_grad_only: bool = False) -> list[Node]:
    """Nodes reachable from `root`, each after all of its parents (iterative DFS, deterministic).

    With `requires_grad_only`, the walk keeps to nodes that take part in backward.
    """
    order: list[Node] = []
    seen: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if node.id in seen:
            continue
        seen.add(node.id)
        stack.append((node, True))
        for parent in reversed(node.parents):
            if parent.id not in seen and (parent.requires_grad or not requires_grad_only):
                stack.append((parent, False))
    return order


def _seed(root: Node, grad: Any) -> Any:
    """The starting gradient d(root)/d(root): 1 for a scalar root, else the caller's `grad`."""
    if grad is None:
        if np.size(root.data) != 1:
            raise RuntimeError(f"backward: output has shape {np.shape(root.data)}; a non-scalar output "
                               f"needs grad= (an array of the same shape)")
        return root._ones_like()
    g = root._coerce_grad(grad)
    if np.shape(g.data if isinstance(g, Node) else g) != np.shape(root.data):
        raise ValueError(f"backward: grad has shape {np.shape(getattr(g, 'data', g))} but the output has "
                         f"shape {np.shape(root.data)}")
    return g


def _check_not_freed(order: Sequence[Node]) -> None:
    for node in order:
        if node._freed:
            raise RuntimeError("backward: trying to run backward through a graph a second time (its "
                               "buffers were freed by the first backward). Pass retain_graph=True to "
                               "the first backward if you need to run it again.")


def run_backward(root: Node, grad: Any = None, *, retain_graph: bool = False,
                 create_graph: bool = False) -> tuple[list[Node], dict[int, Any]]:
    """Gradients of root w.r.t. every node that requires grad, as (order, {node.id: gradient}).

    Each node's gradient is the sum over its children of the child's rule applied to the
    child's gradient (the chain rule summed over paths). With create_graph the rules run on
    nodes, so the gradients are themselves differentiable.
    """
    if not root.requires_grad:
        raise RuntimeError("backward: the output does not require grad (no input has requires_grad=True, "
                           "or it was computed under no_grad())")
    order = topological_order(root, requires_grad_only=True)
    _check_not_freed(order)
    seed = _seed(root, grad)
    if create_graph and not isinstance(seed, Node):
        seed = root._constant(seed, root, "backward")
    grads: dict[int, Any] = {root.id: seed}
    with (enable_grad() if create_graph else no_grad()):
        for node in reversed(order):
            op = node.op
            if op is None:
                continue
            g = grads.get(node.id)
            if g is None:
                continue
            parents = node.parents
            if create_graph:
                ans, inputs = node, parents
            else:
                ans, inputs = node.data, tuple(p.data for p in parents)
            for i, parent in enumerate(parents):
                if not parent.requires_grad:
                    continue
                pg = op.input_grad(i, g, ans, inputs, node.kwargs)
                if pg is None:
                    continue
                if parent.shape_tracked:
                    pg = sum_to(pg, np.shape(parent.data))
                prev = grads.get(parent.id)
                grads[parent.id] = pg if prev is None else prev + pg
    if not retain_graph:
        for node in order:
            if node.op is not None:
                node._freed = True
    return order, grads


def backward(root: Node, grad: Any = None, *, retain_graph: bool = False, create_graph: bool = False) -> None:
    """Accumulate d(root)/d(node) into `.grad` of every node that requires grad (PyTorch's backward).

    Gradients add up across calls; `zero_grad()` resets them.
    """
    order, grads = run_backward(root, grad, retain_graph=retain_graph or create_graph,
                                create_graph=create_graph)
    for node in order:
        g = grads.get(node.id)
        if g is not None:
            node._accumulate_grad(g)


def gradients(output: Node, inputs: Iterable[Node], grad_output: Any = None, *,
              retain_graph: bool | None = None, create_graph: bool = False) -> list[Any]:
    """d(output)/d(input) for each input, without touching `.grad` (torch.autograd.grad).

    An input the output does not depend on gets a zero gradient.
    """
    inputs = list(inputs)
    keep = create_graph if retain_graph is None else retain_graph
    _, grads = run_backward(output, grad_output, retain_graph=keep, create_graph=create_graph)
    return [grads[x.id] if x.id in grads else x._zeros_like(create_graph) for x in inputs]
