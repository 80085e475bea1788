"""Which nodes to draw: the whole graph, or the neighbourhood of one node; and the max_nodes guard."""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from autograd_core import Node


class GraphTooLargeError(ValueError):
    """The picture would have more nodes than `max_nodes`; the message says what to do instead."""


def children_of(order: Sequence[Node]) -> dict[int, list[Node]]:
    """node id -> the nodes that use it, once per use (x*x lists its child twice), in graph order."""
    kids: dict[int, list[Node]] = defaultdict(list)
    for c in order:
        for p in c.parents:
            kids[p.id].append(c)
    return kids


def neighbourhood(order: Sequence[Node], center: Node, depth: int) -> tuple[set[int], dict[int, int]]:
    """Ids of the nodes at most `depth` edges from `center` (either direction), and for each kept
    node the number of its edges that lead to a node left out (drawn as "n links not drawn")."""
    if depth < 0:
        raise ValueError(f"draw_graph: depth must be >= 0, got {depth}")
    by_id = {n.id: n for n in order}
    if center.id not in by_id:
        raise ValueError(f"draw_graph: around= node {center!r} is not in the graph of the output")
    kids = children_of(order)
    keep = {center.id}
    frontier = [center]
    for _ in range(depth):
        nxt = []
        for n in frontier:
            for m in list(n.parents) + kids.get(n.id, []):
                if m.id not in keep:
                    keep.add(m.id)
                    nxt.append(m)
        frontier = nxt
    cut: dict[int, int] = {}
    for nid in keep:
        n = by_id[nid]
        missing = sum(1 for m in list(n.parents) + kids.get(nid, []) if m.id not in keep)
        if missing:
            cut[nid] = missing
    return keep, cut


def check_size(count: int, max_nodes: int | None, has_scopes: bool) -> None:
    """Raise GraphTooLargeError when `count` nodes exceed `max_nodes` (None turns the guard off)."""
    if max_nodes is None or count <= max_nodes:
        return
    collapse = ("a coarser collapse= ('neuron', 'layer' or 'module') to draw modules as one box each"
                if has_scopes else "params=model (and collapse='auto') to draw modules as one box each")
    raise GraphTooLargeError(
        f"draw_graph: the graph has {count} nodes to draw, more than max_nodes={max_nodes}; a picture "
        f"this big is slow to lay out and hard to read. Instead pass {collapse}; or around=node, depth=2 "
        f"to draw only a neighbourhood; or build the model from Tensor ops (a layer is a handful of "
        f"Tensor nodes, not one Value per weight); or pass max_nodes={count} to draw it anyway.")
