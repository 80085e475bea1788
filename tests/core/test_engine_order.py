"""The engine's order: every node is processed after all of its children (Kahn's algorithm), the
order `reverse_topological_order(requires_grad_only=True)` predicts exactly (the explorer steps
through it), and `topological_order` lists inputs first, in the order an expression is written."""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd_core import Tensor, Value, topological_order
from autograd_core.graph.order import reverse_topological_order
from autograd_core.graph.node import Node


class Recorder:
    """Stands in a node's `.grad`: the engine's `node.grad += g` logs which node it reached."""

    def __init__(self, node: Any, log: list[Any]) -> None:
        self.node, self.log = node, log

    def __add__(self, g: Any) -> Any:
        self.log.append(self.node)
        return g

    __radd__ = __add__


def random_graph(draw: Any, make: Any) -> Any:
    leaves = [make(0.5 + k) for k in range(draw(st.integers(1, 4)))]
    nodes = list(leaves)
    for _ in range(draw(st.integers(1, 30))):
        kind = draw(st.sampled_from(["mul", "add", "tanh", "sum3", "const"]))
        a, b, c = (nodes[draw(st.integers(0, len(nodes) - 1))] for _ in range(3))
        if kind == "mul":
            nodes.append(a * b)
        elif kind == "add":
            nodes.append(a + b)
        elif kind == "tanh":
            nodes.append(a.tanh())
        elif kind == "sum3":
            nodes.append(a + b + c)
        else:
            nodes.append(a * 2.0)
    return nodes[-1]


def engine_order(root: Any) -> list[Any]:
    log: list[Any] = []
    for n in reverse_topological_order(root, requires_grad_only=True):  # not shared constants
        n.grad = Recorder(n, log)
    root.backward()
    return log


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_backward_processes_nodes_in_the_predicted_order_each_after_its_children(data: Any) -> None:
    root = random_graph(data.draw, Value)
    if not root.requires_grad:
        return
    predicted = reverse_topological_order(root, requires_grad_only=True)
    seen = engine_order(root)
    assert [id(n) for n in seen] == [id(n) for n in predicted]
    position = {id(n): i for i, n in enumerate(seen)}
    for n in seen:
        for p in n.parents:
            if p.requires_grad:
                assert position[id(p)] > position[id(n)]


def test_the_general_pass_follows_the_same_order() -> None:
    x = Tensor(np.array([0.5, -1.0]), requires_grad=True)
    w = Tensor(np.array([2.0, 3.0]), requires_grad=True)
    h = (x * w).tanh()
    root = ((h * x).sum() + (h + w).sum()) * 1.5
    log: list[Any] = []
    for n in reverse_topological_order(root):
        Node.__dict__["grad"].__set__(n, Recorder(n, log))  # the slot: Tensor's `grad` setter takes arrays only
    root.backward()
    assert [id(n) for n in log] == [id(n) for n in reverse_topological_order(root, requires_grad_only=True)]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_topological_order_lists_every_node_once_after_its_inputs(data: Any) -> None:
    root = random_graph(data.draw, Value)
    order = topological_order(root)
    position = {id(n): i for i, n in enumerate(order)}
    assert len(position) == len(order) and order[-1] is root
    for n in order:
        for p in n.parents:
            assert position[id(p)] < position[id(n)]


def test_topological_order_reads_as_the_expression_is_written() -> None:
    w0, x0, w1, x1, b = (Value(v) for v in (1.0, 2.0, 3.0, 4.0, 5.0))
    m0 = w0 * x0
    m1 = w1 * x1
    s = m0 + m1
    out = s + b
    assert [id(n) for n in topological_order(out)] == [id(n) for n in (w0, x0, w1, x1, b, m0, m1, s, out)]


def test_a_pass_that_fails_midway_leaves_every_slot_as_it_was() -> None:
    import pytest

    x, y = Value(-2.0), Value(2.0)
    z = (x ** y) * 3.0 + x
    with pytest.raises(ValueError, match="pow"):  # d(x**y)/dy needs a non-negative base
        z.backward(retain_graph=True)
    assert all(n._g is None for n in topological_order(z))
    y.requires_grad = False
    x.grad = 0.0
    z.backward()
    assert x.grad == 2.0 * -2.0 * 3.0 + 1.0
    w = Value(-1.0)
    v = (w ** Value(0.5 + 1.5)) * 2.0
    with pytest.raises(ValueError, match="pow"):  # without retain_graph the nodes done are spent
        v.backward()
    with pytest.raises(RuntimeError, match="second time"):
        v.backward()


def test_meeting_a_freed_graph_raises_and_leaves_the_new_graph_clean() -> None:
    import pytest

    x = Value(0.5)
    h = x.tanh() * 2.0
    h.backward()  # frees h's graph
    out = h * x + x * x
    with pytest.raises(RuntimeError, match="second time"):
        out.backward()
    assert all(n._g is None for n in (out, out.parents[0], out.parents[1], x))
    (x * x).backward()  # a fresh graph over the same leaf still works


def test_a_scalar_backward_pass_triggers_no_garbage_collection() -> None:
    """Backward creates no cycles and allocates almost nothing the collector tracks (gradients
    are floats), so even a 20,000-node pass never sets the cyclic collector off."""
    import gc

    x, w = Value(0.5), Value(1.0001)
    t = x
    for k in range(20_000):
        t = t * w if k % 2 else (t + w).relu()
    runs: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            runs.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        t.backward()
    finally:
        gc.callbacks.remove(count)
    assert runs == [] and x.grad != 0.0 and w.grad != 0.0


def test_epochs_grow_with_time_and_topological_order_follows_them() -> None:
    """Each recording context entered or left starts a new epoch; independent branches made in
    separate module calls are listed in the order the calls ran, whatever the expression shape."""
    from autograd_core.graph.grad_mode import recording_scope

    a, b = Value(1.0), Value(2.0)
    with recording_scope("first"):
        late = a * b
    with recording_scope("second"):
        early = a + b
    out = early * late  # the first argument was made in the later call
    assert late.epoch < early.epoch < out.epoch
    order = [id(n) for n in topological_order(out)]
    assert order.index(id(late)) < order.index(id(early)) < order.index(id(out))
    assert early.scope is not None and early.scope.owner == "second" and out.scope is None
