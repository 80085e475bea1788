"""Paths from one node to the output, and the product of rate factors along each.

The notes' picture of backpropagation: the rate factor of a path is the product of the local
derivatives on its edges, and d(output)/d(x) is the sum of the rate factors of all paths from x to
the output. For a Value graph both are numbers (the sum is computed by dynamic programming over the
graph, so it stays exact even when the paths are too many to list); for a Tensor graph each factor
is a Jacobian, so only the paths themselves are reported.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from autograd_core import Node, Tensor

from .edges import local_derivative


@dataclass
class Path:
    """One path source -> ... -> output: its nodes, its edges' local derivatives and their product."""

    nodes: list[Node]
    factors: list[float] | None
    product: float | None


@dataclass
class PathReport:
    """All paths from `source` to `root`: which nodes and edges lie on one, how many there are,
    the first few listed, and the sum of their products (d root / d source) for a Value graph."""

    source: Node
    root: Node
    node_ids: set[int]
    edges: set[tuple[int, int]]          # (child id, parent position)
    count: int
    paths: list[Path] = field(default_factory=list)
    total: float | None = None


def _reach(order: Sequence[Node], source: Node) -> set[int]:
    """Ids of source and of every node that depends on it (parents come before children in order)."""
    reach = {source.id}
    for c in order:
        if any(p.id in reach for p in c.parents):
            reach.add(c.id)
    return reach


def _product(factors: list[float]) -> float:
    product = 1.0
    for f in factors:
        product *= f
    return product


def _enumerate(root: Node, source: Node, reach: set[int], scalar: bool, limit: int) -> list[Path]:
    """The first `limit` paths, walking back from the root along edges that stay on a path.

    The steps walked so far are a linked list ((child, i), rest) so a long chain costs O(length).
    """
    out: list[Path] = []
    stack: list[tuple[Node, tuple | None]] = [(root, None)]
    while stack and len(out) < limit:
        node, tail = stack.pop()
        if node is source:
            steps = []
            while tail is not None:
                steps.append(tail[0])
                tail = tail[1]
            factors = [local_derivative(c, i) for c, i in steps] if scalar else None
            out.append(Path([source] + [c for c, _ in steps], factors,
                            None if factors is None else _product(factors)))
            continue
        for i in reversed(range(len(node.parents))):
            p = node.parents[i]
            if p.id in reach:
                stack.append((p, ((node, i), tail)))
    return out


def path_report(root: Node, source: Node, order: Sequence[Node], limit: int = 8) -> PathReport:
    """Paths from `source` to `root` (order: topological_order(root)); see PathReport."""
    if source.id not in {n.id for n in order}:
        raise ValueError(f"highlight: {source!r} is not in the graph of the output {root!r}")
    reach = _reach(order, source)
    scalar = not isinstance(root, Tensor)
    count: dict[int, int] = {source.id: 1}
    total: dict[int, float] = {source.id: 1.0}
    edges: set[tuple[int, int]] = set()
    for c in order:
        if c.id not in reach or c is source:
            continue
        count[c.id] = 0
        total[c.id] = 0.0
        for i, p in enumerate(c.parents):
            if p.id in reach:
                edges.add((c.id, i))
                count[c.id] += count[p.id]
                if scalar:
                    total[c.id] += local_derivative(c, i) * total[p.id]
    report = PathReport(source, root, reach, edges, count.get(root.id, 0))
    report.paths = _enumerate(root, source, reach, scalar, limit)
    report.total = total.get(root.id, 0.0) if scalar else None
    return report
