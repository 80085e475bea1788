"""engine/collect.py: the walk before backward marks what it reaches and counts each node's children."""
from __future__ import annotations

import re
import traceback

import pytest

from autograd_core import Value, max as max_of
from autograd_core.engine.collect import _VISIT, collect, collect_source, unmark
from autograd_core.graph.node import PENDING


def test_counts_every_edge_from_a_reached_child_and_lists_leaves_in_the_order_met() -> None:
    x, w, c = Value(2.0), Value(3.0), Value(5.0, requires_grad=False)
    xx = x * x                      # two edges to x (a leaf: listed once, not counted)
    s = xx + w * xx                 # xx has two children
    m = max_of(s, xx, w)            # a node with three inputs (MANY): xx gets a third child
    out = m * c                     # c does not require grad: never marked
    leaves = collect(out, PENDING)
    try:
        assert out._n == 0 and m._n == 1 and s._n == 1 and xx._n == 3
        assert [id(v) for v in leaves] == [id(w), id(x)]
        assert c._g is None and all(n._g is PENDING for n in (out, m, s, xx, x, w))
    finally:
        unmark(out)
    assert all(n._g is None for n in (out, m, s, xx, x, w, c))


def test_the_visit_is_stated_once_and_pasted_for_each_input_place() -> None:
    text = collect_source()
    first_line = _VISIT.splitlines()[0]
    assert [first_line.format(p=p) in text for p in ("p", "b", "a")] == [True, True, True]
    assert text.count("raise abandon(root)") == 3 and re.search(r"node = a\n +continue", text)


def test_a_second_pass_through_a_freed_graph_names_the_cause_and_the_generated_line() -> None:
    x = Value(1.5)
    y = (x * x).tanh() + x
    y.backward()
    with pytest.raises(RuntimeError, match="second time") as info:
        y.backward()
    lines = "".join(traceback.format_exception(info.value))
    assert "<generated engine.collect" in lines and "raise freed_error()" in lines
    assert x.grad == pytest.approx(2 * 1.5 * (1 - __import__("math").tanh(2.25) ** 2) + 1, rel=1e-12)
