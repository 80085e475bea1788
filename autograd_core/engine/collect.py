"""Before a backward pass: mark the nodes it will reach and count each one's children.

`collect(root, start)` marks every node that requires grad and is reachable from root with
`start` (the empty sum: PENDING, or -0.0 in a float pass), sets each non-leaf's `_n` to the
number of edges from reached children, and returns the leaves among them, in the order met.
Leaves are not counted: backward sums their gradients as it goes and finishes them after every
other node. It raises, leaving every slot as it was, if the walk meets a graph freed by an
earlier pass.

A depth-first walk without recursion that follows a node's first input without touching the
stack (chains, the common shape, cost no pushes). It runs once per edge of every backward, so
the visit of one input (`_VISIT`, stated once below) is pasted in at its three places (each of
many inputs, b, a) rather than called: a call per edge costs about 40 ns, two thirds of the
walk. `print(collect_source())` shows the generated function; tracebacks and pdb read it.
"""
from __future__ import annotations

import textwrap
from typing import Any, Callable

from ..generated import run_source
from ..graph.node import FREED, MANY, Node

# One input `{p}` of the node being visited: reached for the first time, it is marked (and listed,
# if a leaf; counted once and then `{then}`, if made by an op); reached again, its count grows;
# a mark left by a pass that freed its graph stops the walk.
_VISIT = """\
m = {p}._g
if m is None:
    if {p}.requires_grad:
        {p}._g = start
        if {p}._a is None:
            add_leaf({p})
        else:
            {p}._n = 1
            {then}
elif m is start:
    if {p}._a is not None:
        {p}._n += 1
elif m is FREED and {p}.requires_grad:
    raise abandon(root)
"""

_COLLECT = """\
def collect(root, start):
    if root._g is FREED:
        raise freed_error()
    root._g = start
    root._n = 0
    leaves = []
    if root._a is None:
        return leaves
    stack = []
    add_leaf, push, pop = leaves.append, stack.append, stack.pop
    node = root
    while True:
        a, b = node._a, node._b
        if b is MANY:
            for p in a:
{visit_each}
        else:
            if b is not None:
{visit_b}
{visit_a}
        if not stack:
            return leaves
        node = pop()
"""


def collect_source() -> str:
    """The generated walk: `_VISIT` pasted for each of many inputs (pushed), for b (pushed) and for
    a (followed: the walk continues at a without a push)."""
    def visit(p: str, then: str, indent: int) -> str:
        return textwrap.indent(_VISIT.format(p=p, then=then), " " * indent).rstrip("\n")
    return _COLLECT.format(visit_each=visit("p", "push(p)", 16), visit_b=visit("b", "push(b)", 16),
                           visit_a=visit("a", "node = a\n            continue", 12))


def freed_error() -> RuntimeError:
    """What a second backward through a freed graph raises."""
    return RuntimeError("backward: trying to run backward through a graph a second time (its buffers "
                        "were freed by the first backward). Pass retain_graph=True to the first "
                        "backward if you need to run it again.")


def unmark(root: Node) -> None:
    """After a failed pass: put back `_g` (None) on every node reachable from root, except the
    marks of graphs freed earlier (the error path, so a plain walk with a visited set)."""
    seen = {id(root)}
    stack = [root]
    while stack:
        node = stack.pop()
        if node._g is not FREED:
            node._g = None
        for p in node.parents:
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)


def _abandon(root: Node) -> RuntimeError:
    """Put back every slot a failed collection touched; the error to raise."""
    unmark(root)
    return freed_error()


collect: Callable[[Node, Any], list[Node]] = run_source(
    collect_source(), "engine.collect",
    {"FREED": FREED, "MANY": MANY, "abandon": _abandon, "freed_error": freed_error})["collect"]
