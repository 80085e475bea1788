"""Backward pass: order the graph, call each node's gradient rule, accumulate.

The engine knows no op: every rule comes from the node's table entry. Ids are counters drawn
when a node is made and an op's inputs exist before its result, so every parent has a smaller
id than its child: the reachable nodes sorted by id, largest first, are a topological order
(creation order reversed), found by one iterative walk, with no recursion at any depth.
While a pass runs, each node's gradient is summed in its private `_g` slot (no dict); passes
are serialised by one lock, so threads that share parameters never mix their sums.
"""
from __future__ import annotations

import threading
from operator import attrgetter
from typing import Any, Iterable

import numpy as np

from .grad_mode import enable_grad, no_grad
from .engine_scalar import scalar_walk
from .node import FREED, MANY, PENDING, Node
from .ops.shape import sum_to
from .ops.table import pass_through
_PASS_LOCK = threading.RLock()
_by_id = attrgetter("id")


def _freed_error() -> RuntimeError:
    return RuntimeError("backward: trying to run backward through a graph a second time (its buffers "
                        "were freed by the first backward). Pass retain_graph=True to the first "
                        "backward if you need to run it again.")


def _mark(node: Node, found: list[Node]) -> None:
    """Raise if node's graph was freed; else mark it reached (it is not yet)."""
    if node._g is FREED:
        for n in found:
            n._g = None
        raise _freed_error()
    node._g = PENDING
    found.append(node)


def _collect(root: Node) -> list[Node]:
    """Nodes that require grad and are reachable from root, largest id first; each marked PENDING.

    An iterative depth-first walk that follows a node's first input without touching the stack
    (chains, the common shape, cost no pushes). Raises, leaving every slot as it was, if the walk
    meets a graph freed by an earlier pass.
    """
    found: list[Node] = []
    _mark(root, found)
    stack = [root] if root._a is not None else []  # only the root can be a leaf that is popped
    pop, push, add = stack.pop, stack.append, found.append
    while stack:
        node = pop()
        while True:
            a, b = node._a, node._b
            if b is MANY:
                for p in a:
                    m = p._g
                    if m is None:
                        if p.requires_grad:
                            p._g = PENDING
                            add(p)
                            if p._a is not None:
                                push(p)
                    elif m is FREED and p.requires_grad:
                        _mark(p, found)
                break
            if b is not None:
                m = b._g
                if m is None:
                    if b.requires_grad:
                        b._g = PENDING
                        add(b)
                        if b._a is not None:
                            push(b)
                elif m is FREED and b.requires_grad:
                    _mark(b, found)
            m = a._g
            if m is None:
                if a.requires_grad:
                    a._g = PENDING
                    add(a)
                    if a._a is not None:
                        node = a
                        continue
            elif m is FREED and a.requires_grad:
                _mark(a, found)
            break
    found.sort(key=_by_id, reverse=True)
    return found


def reverse_topological_order(root: Node, *, requires_grad_only: bool = False) -> list[Node]:
    """Nodes reachable from `root`, each before all of its parents: the order backward visits them.

    With `requires_grad_only`, the walk keeps to nodes that take part in backward.
    """
    found = {root.id: root}
    stack = [root]
    while stack:
        node = stack.pop()
        for p in node.parents:
            if p.id not in found and (p.requires_grad or not requires_grad_only):
                found[p.id] = p
                stack.append(p)
    return [found[k] for k in sorted(found, reverse=True)]


def topological_order(root: Node, *, requires_grad_only: bool = False) -> list[Node]:
    """Nodes reachable from `root`, each after all of its parents (inputs first, root last)."""
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


def run_backward(root: Node, grad: Any = None, *, retain_graph: bool = False, create_graph: bool = False,
                 accumulate: bool = False, keep: dict[int, Any] | None = None) -> None:
    """Sum d(root)/d(node) for every node that requires grad, in reverse creation order.

    A node's gradient is the sum over its children of the child's rule applied to the child's
    gradient (the chain rule summed over paths); it is final when the walk reaches the node.
    With `accumulate` it is then added to the node's `.grad`; nodes whose id(node) is a key of
    `keep` get it stored there. With create_graph the rules run on nodes, so the gradients are
    themselves differentiable.
    """
    if not root.requires_grad:
        raise RuntimeError("backward: the output does not require grad (no input has requires_grad=True, "
                           "or it was computed under no_grad())")
    seed = _seed(root, grad)
    if create_graph and not isinstance(seed, Node):
        seed = root._constant(seed, root, "backward")
    with _PASS_LOCK:
        order = _collect(root)
        root._g = seed
        try:
            if create_graph:
                with enable_grad():
                    _walk(order, not retain_graph, True, accumulate, keep, id(grad))
            elif seed.__class__ is float:  # a Value graph: every gradient is a float
                with no_grad():
                    scalar_walk()(order, not retain_graph, keep, accumulate, _step_general)
            else:
                with no_grad():
                    _walk(order, not retain_graph, False, accumulate, keep, id(grad))
        except BaseException:
            for n in order:
                if n._g is not FREED:
                    n._g = None
            raise


def _walk(order: list[Node], free: bool, create_graph: bool, accumulate: bool,
          keep: dict[int, Any] | None, caller_grad: int) -> None:
    """The pass itself: each node's gradient is final when reached; pass it on to its parents.

    A float gradient (a Value graph, plain backward) on a one- or two-input op without settings
    is handled inline: it is the scalar engine's whole hot loop. Everything else (arrays,
    settings, many inputs, rules on nodes for create_graph) goes through _step_general.
    """
    handed_out: set[int] = {caller_grad}  # an array never becomes two nodes' .grad (nor the caller's)
    after = FREED if free else None
    for node in order:
        g = node._g
        op = node.op
        if op is None:
            node._g = None
            if g is PENDING:
                continue
        else:
            node._g = after
            if g is PENDING:
                continue
            rules = op.vjps
            if g.__class__ is float and node.kwargs is None and rules is not None:
                a, b, ans = node._a, node._b, node.data
                if b is None:
                    if a.requires_grad:
                        r = rules[0]
                        if r is not None:
                            pg = g if r is pass_through else r(g, ans, a.data)
                            m = a._g
                            a._g = pg if m is PENDING else m + pg
                elif b is not MANY:
                    ad, bd = a.data, b.data
                    if a.requires_grad:
                        r = rules[0]
                        if r is not None:
                            pg = g if r is pass_through else r(g, ans, ad, bd)
                            m = a._g
                            a._g = pg if m is PENDING else m + pg
                    if b.requires_grad:
                        r = rules[1]
                        if r is not None:
                            pg = g if r is pass_through else r(g, ans, ad, bd)
                            m = b._g
                            b._g = pg if m is PENDING else m + pg
                else:
                    _step_general(node, g, create_graph)
            else:
                _step_general(node, g, create_graph)
        if keep is not None and id(node) in keep:
            keep[id(node)] = g
        if accumulate:
            if g.__class__ is float:
                node.grad += g
            else:
                _store(node, g, handed_out)


def _store(node: Node, g: Any, handed_out: set[int]) -> None:
    """Add g to node.grad, copying an array that another node (or the caller) already holds."""
    if node.shape_tracked and not isinstance(g, Node):
        if id(g) in handed_out:
            g = g.copy()
        handed_out.add(id(g))
    node._accumulate_grad(g)


def _add_path(parent: Node, pg: Any) -> None:
    """Add one path's gradient into the parent's running sum, first summing away broadcast axes
    and casting to the parent's dtype (a float32 input gets a float32 gradient)."""
    if parent.shape_tracked:
        data = parent.data
        if getattr(pg, "shape", ()) != data.shape:
            pg = sum_to(pg, data.shape)
        if not isinstance(pg, Node) and getattr(pg, "dtype", None) != data.dtype:
            pg = np.asanyarray(pg).astype(data.dtype)  # asanyarray/astype: visible to jit's tracer
    m = parent._g
    parent._g = pg if m is PENDING else m + pg


def _step_general(node: Node, g: Any, create_graph: bool) -> None:
    """One node's chain-rule step for any op: arrays, settings, many inputs, or rules on nodes."""
    parents = node.parents
    if create_graph:
        ans, inputs = node, parents
    else:
        ans, inputs = node.data, tuple([p.data for p in parents])
    needed = [p.requires_grad for p in parents]
    grads = node.op.input_grads(g, ans, inputs, node.kwargs, needed)  # type: ignore[union-attr]
    for parent, pg in zip(parents, grads):
        if pg is not None:
            _add_path(parent, pg)


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
    keep: dict[int, Any] = {id(x): None for x in inputs}
    if output.requires_grad:
        flag = create_graph if retain_graph is None else retain_graph
        run_backward(output, grad_output, retain_graph=flag or create_graph, create_graph=create_graph,
                     keep=keep)
    out = []
    for x in inputs:
        g = keep[id(x)]
        out.append(x._zeros_like(create_graph) if g is None else g)
    return out
