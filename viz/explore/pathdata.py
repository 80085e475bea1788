"""Click data: for each node, the paths to the output with their products of rate factors (viz.paths).

d output / d x = sum over paths from x to the output of the product of the local derivatives on
the path. viz.paths computes both (the sum by dynamic programming, so it stays exact when the
paths are too many to list); this module turns each report into page data next to the engine's
gradient. Reports are made for every node of a graph up to FULL nodes, else for the leaves that
require grad (inputs and parameters) only.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd_core import Node

from ..edges import as_data
from ..labels import fmt
from ..paths import path_report
from ..text import display_name, value_text
from .model import raw

FULL = 300
LISTED = 8


def _one(root: Node, source: Node, order: Sequence[Node], key_of: dict[int, str],
         edge_of: dict[tuple[int, int], int], names: dict[int, str], computed: bool, p: int) -> dict[str, Any]:
    rep = path_report(root, source, order, limit=LISTED)
    paths = []
    for path in rep.paths:
        item: dict[str, Any] = {"nodes": [key_of[n.id] for n in path.nodes],
                                "names": [display_name(n, names) for n in path.nodes]}
        if path.factors is not None:
            item.update(factors=[fmt(f, p) for f in path.factors], product=fmt(path.product, p),
                        productRaw=path.product)
        paths.append(item)
    g = as_data(source.grad) if computed and source.requires_grad else None
    return {"count": rep.count, "paths": paths, "edges": sorted(edge_of[e] for e in rep.edges if e in edge_of),
            "total": None if rep.total is None else fmt(rep.total, p), "totalRaw": rep.total,
            "engine": None if g is None else value_text(g, p), "engineRaw": raw(g)}


def path_data(root: Node, order: Sequence[Node], key_of: dict[int, str], edge_of: dict[tuple[int, int], int],
              names: dict[int, str], computed: bool, p: int) -> dict[str, Any]:
    """node key -> its path report as page data (see the module docstring for which nodes)."""
    chosen = order if len(order) <= FULL else [n for n in order if not n.parents and n.requires_grad][:FULL]
    return {key_of[n.id]: _one(root, n, order, key_of, edge_of, names, computed, p) for n in chosen}
