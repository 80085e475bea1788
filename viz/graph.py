"""Lay a Scene out as a graphviz.Digraph: boxes, arrows, nested module clusters, legend and caption.

Forward and both views point arrows parent -> child (inputs to output); the backward view points
them child -> parent (output back to inputs) and flips the rank direction, so every node keeps its
place and only the arrows turn around.
"""
from __future__ import annotations

from collections import defaultdict

import graphviz

from . import direction as D
from .arrange import Hints, hints_for
from . import style as S
from .edges import differentiable, edge_derivative
from .labels import MAX_NAME, dot_text, html_rows
from .render import Drawing
from .scene import DrawEdge, DrawNode, Scene
from .text import edge_rows, key_lines, node_rows, path_lines

FLIP = {"LR": "RL", "RL": "LR", "TB": "BT", "BT": "TB"}
# Above BIG boxes, cap dot's network-simplex passes (about 250 for placing nodes) and its crossing
# minimisation: the layout gets a little less tidy, but a labelled 1,000-node graph takes ~3 s
# instead of ~30 s, and a 5,000-node one ~8 s instead of minutes.
BIG = 200
# Above this many boxes edge labels go into tooltips (hover in a browser): each label is a node
# for dot's layout, and Graphviz 2.43 crashes on ~5,000 labelled edges.
EDGE_LABEL_LIMIT = 1000
# Above this many arrows their labels go into tooltips too: a label is as wide as a box, and a few
# hundred of them between two columns of neurons make a picture no screen holds.
EDGE_LABEL_EDGES = 150


def fast_layout(boxes: int) -> dict[str, str]:
    """Graph attributes that bound dot's work on a big graph (none for a small one)."""
    if boxes <= BIG:
        return {}
    return {"nslimit": f"{max(0.02, min(1.0, 250 / boxes)):.3g}", "nslimit1": "2", "mclimit": "0.3"}


def _node_attrs(dn: DrawNode) -> dict[str, str]:
    classes = ["vnode", f"role-{dn.role}"]
    attrs = {"id": dn.key, "fillcolor": S.FILL[dn.role]}
    op = dn.node.op if dn.group is None else None
    if op is not None:
        attrs["tooltip"] = f"{op.name}: {op.words}"
    if dn.highlighted:
        classes.append("highlight")
        attrs.update(color=S.HIGHLIGHT, penwidth="2.5")
    if dn.troubles:
        classes.append("trouble")
        attrs.update(color=S.TROUBLE, penwidth="3" if dn.highlighted else "2",
                     tooltip="; ".join(t.rule for t in dn.troubles) + (f" ({attrs['tooltip']})" if op else ""))
    if dn.cut:
        classes.append("cut")
        attrs["style"] = "rounded,filled,dashed"
    attrs["class"] = " ".join(classes)
    if "tooltip" in attrs:
        attrs["tooltip"] = dot_text(attrs["tooltip"])
    return attrs


def _edge_attrs(e: DrawEdge, scene: Scene, index: int) -> dict[str, str]:
    classes = ["vedge"]
    attrs = {"id": f"e{index}"}
    grad_flows = any(differentiable(c, i) for c, i in e.links)
    if not grad_flows and scene.view != "forward":
        classes.append("nograd")
        attrs.update(style="dashed", color=S.MUTED)
    if e.highlighted:
        classes.append("highlight")
        attrs.update(color=S.HIGHLIGHT, penwidth="2.5", style="solid")
    attrs["class"] = " ".join(classes)
    return attrs


def _add_nodes(g: graphviz.Digraph, nodes: list[DrawNode], rows: dict[str, list], hints: Hints,
               scope: int | None) -> None:
    """The boxes of one container, then its level sets (rank=same, chained invisibly when ordered)."""
    for dn in nodes:
        line = hints.steps.get(dn.key)       # dot keeps a group's boxes on one straight line
        extra = {"group": f"time {line}"} if line is not None else {}
        g.node(dn.key, label=html_rows(rows[dn.key]), **_node_attrs(dn), **extra)
    for keys, chain in hints.level.get(scope, []):
        with g.subgraph() as same:
            same.attr(rank="same")
            for key in keys:
                same.node(key)
            if chain:   # a flat edge a -> b puts a first across the rank: left in TB, below in LR
                pairs = zip(keys, keys[1:]) if not hints.upward else zip(keys[1:], keys)
                for a, b in pairs:
                    same.edge(a, b, style="invis")


def _drawn_scopes(scene: Scene) -> set[int]:
    """Scopes holding a drawn box, directly or through an inner scope."""
    out: set[int] = set()
    for dn in scene.nodes:
        s = dn.scope
        while s is not None and s not in out:
            out.add(s)
            s = scene.scopes[s].parent
    return out


def _add_cluster(g: graphviz.Digraph, index: int, scene: Scene, by_scope: dict, drawn: set[int], rows: dict,
                 hints: Hints) -> None:
    scope = scene.scopes[index]
    with g.subgraph(name=f"cluster_{index}") as sub:
        sub.attr(label=dot_text(scope.name, MAX_NAME), style="rounded,dashed", color=S.CLUSTER, fontcolor=S.CLUSTER,
                 fontsize="10", labeljust="l", labelloc="t", id=f"c{index}")
        _add_nodes(sub, by_scope.get(index, []), rows, hints, index)
        for child in scope.children:
            if child in drawn:
                _add_cluster(sub, child, scene, by_scope, drawn, rows, hints)


def _add_edges(g: graphviz.Digraph, scene: Scene, on_edges: bool, p: int, hints: Hints) -> None:
    """Arrows in the scene's order; their text as labels, or as tooltips when `on_edges` is False."""
    for k, e in enumerate(scene.edges):
        tail, head = (e.child, e.parent) if scene.view == "backward" else (e.parent, e.child)
        rows = edge_rows(e, scene, p)
        tip = "; ".join(t for _, t in rows)
        if len(e.links) == 1 and scene.view != "forward" and differentiable(*e.links[0]):
            tip += "; " + edge_derivative(*e.links[0], p).explanation
        labelled = on_edges and k not in hints.unlabelled
        text = {"label": html_rows(rows), "tooltip": dot_text(tip)} if labelled else {"tooltip": dot_text(tip)}
        extra = {"constraint": "false"} if k in hints.loose else {}
        g.edge(tail, head, **text, **_edge_attrs(e, scene, k), **extra)


def _direction(scene: Scene, rankdir: str | None, rows: dict[str, list], on_edges: bool) -> str:
    """The forward direction: as asked, top to bottom for time steps (one per row: the width stays the same
    however long the sequence), else by the size estimate."""
    if rankdir is None:
        if scene.level == "step":
            return "TB"
        sizes = {k: D.box_size([t for _, t in r]) for k, r in rows.items()}
        return D.choose(sizes, [(e.parent, e.child) for e in scene.edges], on_edges)
    if rankdir not in FLIP:
        raise ValueError(f"draw_graph: rankdir must be one of {sorted(FLIP)} or None (automatic), got {rankdir!r}")
    return rankdir


def to_digraph(scene: Scene, *, rankdir: str | None = None, legend: bool = True, title: str | None = None,
               precision: int = 4, edge_labels: bool | None = None) -> graphviz.Digraph:
    """The Digraph for a Scene (see draw_graph)."""
    rows = {dn.key: node_rows(dn, scene, precision) for dn in scene.nodes}
    on_edges = edge_labels if edge_labels is not None else (
        len(scene.nodes) <= EDGE_LABEL_LIMIT and len(scene.edges) <= EDGE_LABEL_EDGES)
    forward = _direction(scene, rankdir, rows, on_edges)
    direction = FLIP[forward] if scene.view == "backward" else forward
    fast = fast_layout(len(scene.nodes))
    tight = {} if on_edges else S.UNLABELLED   # no label needs room between boxes
    g = Drawing(name="autograd", graph_attr={**S.GRAPH_ATTR, "rankdir": direction, **fast, **tight},
                node_attr=S.NODE_ATTR, edge_attr=S.EDGE_ATTR)
    hints = hints_for(scene, direction)
    if any(chain for sets in hints.level.values() for _, chain in sets):
        g.attr(remincross="false")   # dot's last crossing pass would rotate the chained order
    if hints.newrank:
        g.attr(newrank="true")       # rank=same across clusters
    by_scope: dict[int | None, list[DrawNode]] = defaultdict(list)
    for dn in scene.nodes:
        by_scope[dn.scope].append(dn)
    _add_nodes(g, by_scope.get(None, []), rows, hints, None)
    drawn = _drawn_scopes(scene)
    for s in scene.scopes:
        if s.parent is None and s.index in drawn:
            _add_cluster(g, s.index, scene, by_scope, drawn, rows, hints)
    _add_edges(g, scene, on_edges, precision, hints)
    lines = ([title] if title else []) + (key_lines(scene) if legend else []) + scene.notes
    lines += path_lines(scene, precision)
    if not on_edges:
        lines.append("edge labels are in tooltips: hover over an arrow in a browser")
    if legend or lines:
        g.attr(label=S.caption(legend, lines))
    return g
