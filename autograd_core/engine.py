"""Backward pass: sort the graph iteratively, call each node's gradient rule, accumulate.

The engine knows no op: every rule comes from the node's table entry.
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .grad_mode import enable_grad, no_grad
from .node import _MANY, Node
from .ops.shape import sum_to


def reverse_topological_order(root: Node, *, requires_grad_only: bool = False,
                              check_freed: bool = False) -> list[Node]:
    """Nodes reachable from `root`, each before all of its parents: the order backward visits them.

    Ids are counters drawn when a node is made, and an op's inputs exist before its result, so
    every parent has a smaller id than its child: collecting the reachable nodes (an iterative
    walk, so a 10^6-node chain is fine) and sorting by id, largest first, is a topological
    order, and a deterministic one. With `check_freed`, meeting a node whose graph was freed
    by an earlier backward raises before anything is computed.
    """
    found = {root.id: root}
    stack = [root]
    while stack:
        node = stack.pop()
        a = node._a
        if a is None:
            continue
        if check_freed and node._freed:
            raise _freed_error()
        b = node._b
        for p in ((a,) if b is None else (a if b is _MANY else (a, b))):
            if p.id not in found and (p.requires_grad or not requires_grad_only):
                found[p.id] = p
                stack.append(p)
    return [found[k] for k in sorted(found, reverse=True)]


def topological_order(root: Node, *, requires_grad_only: bool = False) -> list[Node]:
    """Nodes reachable from `root`, each after all of its parents (inputs first, root last).

    With `requires_grad_only`, the walk keeps to nodes that take part in backward.
    """
    order = reverse_topological_order(root, requires_grad_only=requires_grad_only)
    order.reverse()
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


def _freed_error() -> RuntimeError:
    return RuntimeError("backward: trying to run backward through a graph a second time (its buffers "
                        "were freed by the first backward). Pass retain_graph=True to the first "
                        "backward if you need to run it again.")


def run_backward(root: Node, grad: Any = None, *, retain_graph: bool = False, create_graph: bool = False,
                 accumulate: bool = False) -> tuple[list[Node], dict[int, Any]]:
    """Gradients of root w.r.t. every node that requires grad, as (order, {node.id: gradient}).

    Each node's gradient is the sum over its children of the child's rule applied to the
    child's gradient (the chain rule summed over paths); it is final when the walk reaches the
    node, and with `accumulate` it is added to the node's `.grad` right then. With create_graph
    the rules run on nodes, so the gradients are themselves differentiable.
    """
    if not root.requires_grad:
        raise RuntimeError("backward: the output does not require grad (no input has requires_grad=True, "
                           "or it was computed under no_grad())")
    order = reverse_topological_order(root, requires_grad_only=True, check_freed=True)
    seed = _seed(root, grad)
    if create_graph and not isinstance(seed, Node):
        seed = root._constant(seed, root, "backward")
    grads: dict[int, Any] = {root.id: seed}
    handed_out: set[int] = {id(grad)}  # an array never becomes two nodes' .grad (nor stays the caller's)
    free, plain = not retain_graph, not create_graph
    with (no_grad() if plain else enable_grad()):
        for node in order:
            op = node.op
            if op is not None and free:
                node._freed = True
            g = grads.get(node.id)
            if g is None:
                continue
            if op is not None:
                if plain and node.kwargs is None and op.vjps is not None and node._b is not _MANY:
                    _step_plain(node, g, grads)
                else:
                    _step_general(node, g, grads, create_graph)
            if accumulate:
                if plain and not node.shape_tracked:
                    node.grad += g
                else:
                    _store(node, g, handed_out)
    return order, grads


def _store(node: Node, g: Any, handed_out: set[int]) -> None:
    """Add g to node.grad, copying an array that another node (or the caller) already holds."""
    if node.shape_tracked and not isinstance(g, Node):
        if id(g) in handed_out:
            g = g.copy()
        handed_out.add(id(g))
    node._accumulate_grad(g)


def _add_path(grads: dict[int, Any], parent: Node, pg: Any) -> None:
    """Add one path's gradient into the parent's total, first summing away broadcast axes."""
    if parent.shape_tracked and getattr(pg, "shape", ()) != parent.data.shape:
        pg = sum_to(pg, parent.data.shape)
    pid = parent.id
    prev = grads.get(pid)
    grads[pid] = pg if prev is None else prev + pg


def _step_plain(node: Node, g: Any, grads: dict[int, Any]) -> None:
    """One node's chain-rule step on raw data, for the common one- or two-input op.

    The scalar engine's hot loop.
    """
    rules, a, b, ans = node.op.vjps, node._a, node._b, node.data
    if b is None:
        if a.requires_grad and rules[0] is not None:
            _add_path(grads, a, rules[0](g, ans, a.data))
        return
    ad, bd = a.data, b.data
    if a.requires_grad and rules[0] is not None:
        pg = rules[0](g, ans, ad, bd)
        if a.shape_tracked:
            _add_path(grads, a, pg)
        else:  # a Value: no broadcasting to undo; add in place (the scalar engine's hot path)
            prev = grads.get(a.id)
            grads[a.id] = pg if prev is None else prev + pg
    if b.requires_grad and rules[1] is not None:
        pg = rules[1](g, ans, ad, bd)
        if b.shape_tracked:
            _add_path(grads, b, pg)
        else:
            prev = grads.get(b.id)
            grads[b.id] = pg if prev is None else prev + pg


def _step_general(node: Node, g: Any, grads: dict[int, Any], create_graph: bool) -> None:
    """One node's chain-rule step for any op: settings, many inputs, or rules run on nodes."""
    parents = node.parents
    if create_graph:
        ans, inputs = node, parents
    else:
        ans, inputs = node.data, tuple([p.data for p in parents])
    for i, parent in enumerate(parents):
        if parent.requires_grad:
            pg = node.op.input_grad(i, g, ans, inputs, node.kwargs)
            if pg is not None:
                _add_path(grads, parent, pg)


def backward(root: Node, grad: Any = None, *, retain_graph: bool = False, create_graph: bool = False) -> None:
    """Accumulate d(root)/d(node) into `.grad` of every node that requires grad (PyTorch's backward).

    Gradients add up across calls; `zero_grad()` resets them. create_graph implies retain_graph.
    """
    run_backward(root, grad, retain_graph=retain_graph or create_graph, create_graph=create_graph,
                 accumulate=True)


def gradients(output: Node, inputs: Iterable[Node], grad_output: Any = None, *,
              retain_graph: bool | None = None, create_graph: bool = False) -> list[Any]:
    """d(output)/d(input) for each input, without touching `.grad` (torch.autograd.grad).

    An input the output does not depend on gets a zero gradient.
    """
    inputs = list(inputs)
    keep = create_graph if retain_graph is None else retain_graph
    _, grads = run_backward(output, grad_output, retain_graph=keep, create_graph=create_graph)
    return [grads[x.id] if x.id in grads else x._zeros_like(create_graph) for x in inputs]
