"""Choosing the layout direction: left to right unless that makes the picture more than twice as wide as tall.

The size of each layout is estimated before Graphviz runs: boxes are ranked by their longest path
from an input (dot does the same), a box is as wide as its longest text line and as tall as its
rows; left to right, ranks sit side by side and the boxes of a rank stack up; top to bottom the
other way round. Edge labels widen the gap between ranks.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

CHAR_W, ROW_H, PAD = 6.6, 14.0, 14.0     # points, for the 11 pt Helvetica of style.NODE_ATTR
NODESEP, RANKSEP = 18.0, 32.0            # style.GRAPH_ATTR's 0.25 in and 0.45 in
LABEL_W, LABEL_H = 70.0, 36.0            # an edge label, when labels are on the arrows


def ranks(keys: Sequence[str], edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Longest-path rank of each box (Kahn's order; boxes left on a cycle go after the rest)."""
    succ: dict[str, list[str]] = defaultdict(list)
    indeg = {k: 0 for k in keys}
    for a, b in edges:
        succ[a].append(b)
        indeg[b] += 1
    rank = {k: 0 for k in keys}
    ready = [k for k in keys if indeg[k] == 0]
    seen = 0
    while ready:
        k = ready.pop()
        seen += 1
        for m in succ[k]:
            rank[m] = max(rank[m], rank[k] + 1)
            indeg[m] -= 1
            if indeg[m] == 0:
                ready.append(m)
    return rank


def box_size(rows: Sequence[str]) -> tuple[float, float]:
    """(width, height) in points of a box with these text rows."""
    longest = max((len(r) for r in rows), default=4)
    return longest * CHAR_W + PAD, len(rows) * ROW_H + PAD / 2


def estimate(sizes: dict[str, tuple[float, float]], rank: dict[str, int], labels: bool,
             across: bool) -> tuple[float, float]:
    """(width, height) of the layout: `across` True for left to right, False for top to bottom."""
    by_rank: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for k, r in rank.items():
        by_rank[r].append(sizes[k])
    gap = RANKSEP + ((LABEL_W if across else LABEL_H) if labels else 0.0)
    along, side = 0.0, 0.0
    for boxes in by_rank.values():
        depth = max(w if across else h for w, h in boxes)
        breadth = sum((h if across else w) + NODESEP for w, h in boxes)
        along += depth + gap
        side = max(side, breadth)
    return (along, side) if across else (side, along)


def choose(sizes: dict[str, tuple[float, float]], edges: Sequence[tuple[str, str]], labels: bool) -> str:
    """"LR" unless left to right would be more than twice as wide as tall and top to bottom is not
    (or is at least squarer): then "TB"."""
    rank = ranks(list(sizes), edges)
    w, h = estimate(sizes, rank, labels, True)
    if w <= 2 * h:
        return "LR"
    tw, th = estimate(sizes, rank, labels, False)
    return "TB" if tw <= 2 * th or tw / th < w / h else "LR"
