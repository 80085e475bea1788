"""Orders of a recorded graph: the order backward processes nodes (reverse_topological_order) and
the order they were made in (topological_order), which viz and the explorer read."""
from __future__ import annotations

import heapq

from .node import Node


def reverse_topological_order(root: Node, *, requires_grad_only: bool = False) -> list[Node]:
    """Nodes reachable from `root`, each before all of its parents (root first).

    The engine's order, computed on private tables: Kahn's algorithm over the nodes made by ops
    (a node's inputs are released in argument order, the first one made ready is processed next
    and later ones wait on a stack), then the leaves in the order the engine's collection
    (engine/collect.py) meets them. With
    `requires_grad_only`, the walk keeps to nodes that take part in backward and gives exactly
    the order backward processes them.
    """
    def counted(p: Node) -> bool:
        return p.requires_grad or not requires_grad_only

    if root._a is None:
        return [root]
    children: dict[int, int] = {id(root): 0}
    leaves: list[Node] = []
    seen = {id(root)}
    stack: list[Node] = []
    node: Node | None = root
    while node is not None:  # the engine's walk: b (or each of many) before a; follow a
        ps = node.parents
        follow = None
        for k, p in enumerate(ps if len(ps) > 2 else reversed(ps)):
            if not counted(p):
                continue
            if id(p) not in seen:
                seen.add(id(p))
                if p._a is None:
                    leaves.append(p)
                else:
                    children[id(p)] = 1
                    if len(ps) <= 2 and k == len(ps) - 1:
                        follow = p
                    else:
                        stack.append(p)
            elif p._a is not None:
                children[id(p)] += 1
        node = follow if follow is not None else (stack.pop() if stack else None)
    order: list[Node] = []
    ready: list[Node] = []
    nxt: Node | None = root
    while nxt is not None or ready:
        node = nxt if nxt is not None else ready.pop()
        nxt = None
        order.append(node)
        for p in node.parents:
            if counted(p) and p._a is not None:
                children[id(p)] -= 1
                if children[id(p)] == 0:
                    if nxt is None:
                        nxt = p
                    else:
                        ready.append(p)
    return order + leaves


def topological_order(root: Node, *, requires_grad_only: bool = False) -> list[Node]:
    """Nodes reachable from `root`, inputs first, root last, in the order they were made as near
    as the graph can tell (what pictures lay out from).

    Kahn's algorithm that always takes, among the nodes whose inputs are all listed, the one of
    the earliest epoch (nodes made in a later module call or grad-mode block come later; see
    grad_mode.RecordingState); in one epoch the leaves first (inputs are made before what is
    computed from them), then a depth-first reading of the expression that lists a node after its
    inputs, first argument first (`w0*x0 + w1*x1` reads w0*x0, w1*x1, the sum: as written).
    """
    done: set[int] = set()
    opened: set[int] = set()
    reading: list[Node] = []
    stack = [root]
    while stack:  # an input met again before it was expanded is pushed again: it must come first
        node = stack[-1]
        if id(node) in done:
            stack.pop()
        elif id(node) in opened:
            stack.pop()
            done.add(id(node))
            reading.append(node)
        else:
            opened.add(id(node))
            stack.extend(p for p in reversed(node.parents)
                         if id(p) not in done and (p.requires_grad or not requires_grad_only))
    listed = {id(n) for n in reading}
    waiting = {id(n): 0 for n in reading}
    users: dict[int, list[Node]] = {}
    for n in reading:
        for p in n.parents:
            if id(p) in listed:
                waiting[id(n)] += 1
                users.setdefault(id(p), []).append(n)

    def epoch(n: Node) -> int:  # a constant an operator made has no state: it dates from its first use
        if n._state() is None and id(n) in users:
            return min(u.epoch for u in users[id(n)])
        return n.epoch

    rank = {id(n): (epoch(n), n._a is not None, k) for k, n in enumerate(reading)}
    ready = [(rank[id(n)], n) for n in reading if waiting[id(n)] == 0]
    heapq.heapify(ready)
    order: list[Node] = []
    while ready:
        _, node = heapq.heappop(ready)
        order.append(node)
        for user in users.get(id(node), ()):
            waiting[id(user)] -= 1
            if waiting[id(user)] == 0:
                heapq.heappush(ready, (rank[id(user)], user))
    return order
