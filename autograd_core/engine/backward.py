"""Backward pass: count each node's children, then pass gradients from the output to the inputs.

The engine knows no op: every rule comes from the node's table entry. A pass first walks the
graph from the output (iteratively: no recursion at any depth) and counts, for each node that
requires grad, the edges from reached children (`_n`). It then runs Kahn's algorithm: a node is
ready once every child has passed its gradient on; the output is ready at the start. So a node's
gradient is complete when it is processed, with no sort and no creation-order ids.
While a pass runs, each node's gradient is summed in its private `_g` slot (no dict); passes
are serialised by one lock, so threads that share parameters never mix their sums.
"""
from __future__ import annotations

import sys
import threading
from typing import Any, Callable, Iterable

import numpy as np

from ..arrays import as_array
from .collect import collect, unmark
from .scalar_walk import scalar_walk
from ..graph.grad_mode import enable_grad, no_grad
from ..graph.node import FREED, PENDING, Node
from ..ops.shape import sum_to
from ..graph.released import Released
from ..graph.versions import _COUNTERS, check as check_versions

_PASS_LOCK = threading.RLock()
# The empty sum of a float pass: -0.0 + x is x bit for bit (0.0 + -0.0 would lose the sign), so
# a float pass adds every path's gradient without testing for a first one.
NO_GRADIENT_YET = -0.0


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
    """Sum d(root)/d(node) for every node that requires grad, each node after all its children.

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
    elif not create_graph and isinstance(seed, Node):  # backward(<Tensor>): its data (no graph is built)
        seed = seed.data
    floats = not create_graph and seed.__class__ is float  # a Value graph: every gradient a float
    done: list[Node] | None = [] if not retain_graph and not floats else None   # nodes a freeing pass processed
    with _PASS_LOCK:
        leaves = collect(root, NO_GRADIENT_YET if floats else PENDING)
        root._g = seed
        try:
            if floats:
                with no_grad():
                    scalar_walk(keep is not None, accumulate)(root, not retain_graph, keep, leaves, _step_general)
            else:
                with (enable_grad() if create_graph else no_grad()):
                    _walk(root, leaves, done, create_graph, accumulate, keep, id(grad))
        except BaseException:
            unmark(root)
            raise
        if done:
            release_buffers(done)


def _walk(root: Node, leaves: list[Node], done: list[Node] | None, create_graph: bool, accumulate: bool,
          keep: dict[int, Any] | None, caller_grad: int) -> None:
    """The general pass (arrays, or rules on nodes for create_graph): process each node once all
    its children have, passing its gradient to its inputs by the op's rules (_step_general).
    The first input a step makes ready is processed next; others wait on a stack. The leaves'
    sums are complete at the end, and finished then. With `done` (a pass that frees the graph)
    each node made by an op is marked FREED and appended to it once processed."""
    handed_out: set[int] = {caller_grad}  # an array never becomes two nodes' .grad (nor the caller's)
    after = FREED if done is not None else None
    record = done.append if done is not None else None
    ready: list[Node] = []
    push = ready.append
    nxt: Node | None = root
    while True:
        if nxt is not None:
            node, nxt = nxt, None
        elif ready:
            node = ready.pop()
        else:
            break
        g = node._g
        if node.op is None:  # a leaf root
            node._g = None
            if g is PENDING:
                continue
        else:
            node._g = after
            if record is not None:
                record(node)
            if g is PENDING:
                nxt = _release(node, push)
                continue
            nxt = _step_general(node, g, create_graph, push)
        _finish(node, g, keep, accumulate, handed_out)
    for node in leaves:
        g = node._g
        node._g = None
        if g is not PENDING:
            _finish(node, g, keep, accumulate, handed_out)


KEEP_ENTRIES = 64
"""Arrays of at most this many entries stay after a freeing pass (they cost less than the node itself)."""


def release_buffers(done: list[Node]) -> None:
    """After a backward pass without retain_graph, drop the arrays only another backward would need.

    `done` is every node the pass processed (made by an op). A Tensor among them, or a constant leaf
    they read (an input batch, a one-hot target), whose only references are the graph's own edges
    from these nodes is one the user no longer holds: its data and gradient arrays (above
    KEEP_ENTRIES entries) become `Released(shape, dtype)`. A tensor the user still holds, directly or
    through another graph, has more references and keeps everything; so do Values (floats) and
    the parameters (leaves that require grad). References are counted exactly: a candidate's count
    less its edges from `done` is compared with that of a probe object held the same way (in a
    list, bound to the same loop variable), measured in the same loop rather than assumed.
    """
    count = sys.getrefcount
    edges: dict[int, int] = {}
    consts: list[Node] = []
    for c in done:
        for p in c.parents:
            k = id(p)
            if k in edges:
                edges[k] += 1
            else:
                edges[k] = 1
                if p._a is None and not p.requires_grad and p.shape_tracked:
                    consts.append(p)
    p = c = None  # type: ignore[assignment]  # no loop variable may hold a candidate below
    probe: list[Any] = [object()]
    baseline = -1
    for group in (probe, done, consts):
        for node in group:
            if group is probe:
                baseline = count(node)
                continue
            if not node.shape_tracked:
                continue
            data = node.data
            if not isinstance(data, np.ndarray) or data.size <= KEEP_ENTRIES:
                continue
            data = None
            if count(node) - edges.get(id(node), 0) == baseline:
                _drop(node)


_GRAD_SLOT = Node.__dict__["grad"]   # the slot itself: Tensor's .grad setter admits arrays only


def _drop(node: Node) -> None:
    """Put Released(shape, dtype) in place of the node's data and (array) gradient."""
    data = node.data
    node.data = Released(data.shape, data.dtype)
    g = _GRAD_SLOT.__get__(node)
    if isinstance(g, np.ndarray) and g.size > KEEP_ENTRIES:   # an ndarray or a GradArray
        _GRAD_SLOT.__set__(node, Released(g.shape, g.dtype))


def _finish(node: Node, g: Any, keep: dict[int, Any] | None, accumulate: bool, handed_out: set[int]) -> None:
    """A node's gradient is complete: hand it to `keep`, add it to `.grad`."""
    if keep is not None and id(node) in keep:
        keep[id(node)] = g
    if accumulate:
        _store(node, g, handed_out)


def _done_with(parent: Node, nxt: Node | None, push: Callable[[Node], None]) -> Node | None:
    """One child of `parent` is done: when it was the last, parent is ready (the next node if
    none is yet, else pushed); leaves wait for the end. Returns the next node."""
    if parent._a is None:
        return nxt
    n = parent._n - 1
    parent._n = n
    if not n:
        if nxt is None:
            return parent
        push(parent)
    return nxt


def _release(node: Node, push: Callable[[Node], None]) -> Node | None:
    """A node that got no gradient (its children's rules gave none) still counts as done for its
    inputs: each input that requires grad is one child closer to ready. Returns the next node."""
    nxt = None
    for p in node.parents:
        if p.requires_grad:
            nxt = _done_with(p, nxt, push)
    return nxt


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
            pg = as_array(pg).astype(data.dtype)  # asanyarray/astype: visible to jit's tracer
    m = parent._g
    parent._g = pg if m is PENDING else m + pg


def _step_general(node: Node, g: Any, create_graph: bool, push: Callable[[Node], None]) -> Node | None:
    """One node's chain-rule step for any op: arrays, settings, many inputs, or rules on nodes.
    Each input that requires grad gets its path's gradient and is one child closer to ready;
    returns the first input made ready (the next node), pushing any others."""
    if _COUNTERS:  # some memory was changed in place: refuse to read data changed since recording
        check_versions(node)
    parents = node.parents
    if create_graph:
        ans, inputs = node, parents
    else:
        ans, inputs = node.data, tuple([p.data for p in parents])
    needed = [p.requires_grad for p in parents]
    grads = node.op.input_grads(g, ans, inputs, node.kwargs, needed)  # type: ignore[union-attr]
    nxt = None
    for parent, pg, need in zip(parents, grads, needed):
        if need:
            if pg is not None:
                _add_path(parent, pg)
            nxt = _done_with(parent, nxt, push)
    return nxt


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
