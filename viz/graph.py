"""Lay a Scene out as a graphviz.Digraph: boxes, arrows, nested module clusters, legend and caption.

Forward and both views point arrows parent -> child (inputs to output); the backward view points
them child -> parent (output back to inputs) and flips the rank direction, so every node keeps its
place and only the arrows turn around.
"""
from __future__ import annotations

from collections import defaultdict

import graphviz

from . import style as S
from .labels import html_rows
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


def fast_layout(boxes: int) -> dict[str, str]:
    """Graph attributes that bound dot's work on a big graph (none for a small one)."""
    if boxes <= BIG:
        return {}
    return {"nslimit": f"{max(0.02, min(1.0, 250 / boxes)):.3g}", "nslimit1": "2", "mclimit": "0.3"}


def _node_attrs(dn: DrawNode) -> dict[str, str]:
    classes = ["vnode", f"role-{dn.role}"]
    attrs = {"id": dn.key, "fillcolor": S.FILL[dn.role]}
    if dn.highlighted:
        classes.append("highlight")
        attrs.update(color=S.HIGHLIGHT, penwidth="2.5")
    if dn.troubles:
        classes.append("trouble")
        attrs.update(color=S.TROUBLE, penwidth="3" if dn.highlighted else "2")
    if dn.cut:
        classes.append("cut")
        attrs["style"] = "rounded,filled,dashed"
    attrs["class"] = " ".join(classes)
    return attrs


def _edge_attrs(e: DrawEdge, scene: Scene, index: int) -> dict[str, str]:
    classes = ["vedge"]
    attrs = {"id": f"e{index}"}
    grad_flows = any(c.op.differentiable(i) and c.parents[i].requires_grad for c, i in e.links)
    if not grad_flows and scene.view != "forward":
        classes.append("nograd")
        attrs.update(style="dashed", color=S.MUTED)
    if e.highlighted:
        classes.append("highlight")
        attrs.update(color=S.HIGHLIGHT, penwidth="2.5", style="solid")
    attrs["class"] = " ".join(classes)
    return attrs


def _add_nodes(g: graphviz.Digraph, nodes: list[DrawNode], scene: Scene, p: int) -> None:
    for dn in nodes:
        g.node(dn.key, label=html_rows(node_rows(dn, scene, p)), **_node_attrs(dn))


def _drawn_scopes(scene: Scene) -> set[int]:
    """Scopes holding a drawn box, directly or through an inner scope."""
    out: set[int] = set()
    for dn in scene.nodes:
        s = dn.scope
        while s is not None and s not in out:
            out.add(s)
            s = scene.scopes[s].parent
    return out


def _add_cluster(g: graphviz.Digraph, index: int, scene: Scene, by_scope: dict, drawn: set[int], p: int) -> None:
    scope = scene.scopes[index]
    with g.subgraph(name=f"cluster_{index}") as sub:
        sub.attr(label=scope.name, style="rounded,dashed", color=S.CLUSTER, fontcolor=S.CLUSTER,
                 fontsize="10", labeljust="l", labelloc="t", id=f"c{index}")
        _add_nodes(sub, by_scope.get(index, []), scene, p)
        for child in scope.children:
            if child in drawn:
                _add_cluster(sub, child, scene, by_scope, drawn, p)


def _add_edges(g: graphviz.Digraph, scene: Scene, on_edges: bool, p: int) -> None:
    """Arrows in the scene's order; their text as labels, or as tooltips when `on_edges` is False."""
    for k, e in enumerate(scene.edges):
        tail, head = (e.child, e.parent) if scene.view == "backward" else (e.parent, e.child)
        rows = edge_rows(e, scene, p)
        text = {"label": html_rows(rows)} if on_edges else {"tooltip": "; ".join(t for _, t in rows)}
        g.edge(tail, head, **text, **_edge_attrs(e, scene, k))


def to_digraph(scene: Scene, *, rankdir: str = "LR", legend: bool = True, title: str | None = None,
               precision: int = 4, edge_labels: bool | None = None) -> graphviz.Digraph:
    """The Digraph for a Scene (see draw_graph)."""
    if rankdir not in FLIP:
        raise ValueError(f"draw_graph: rankdir must be one of {sorted(FLIP)}, got {rankdir!r}")
    direction = FLIP[rankdir] if scene.view == "backward" else rankdir
    fast = fast_layout(len(scene.nodes))
    g = Drawing(name="autograd", graph_attr={**S.GRAPH_ATTR, "rankdir": direction, **fast},
                node_attr=S.NODE_ATTR, edge_attr=S.EDGE_ATTR)
    by_scope: dict[int | None, list[DrawNode]] = defaultdict(list)
    for dn in scene.nodes:
        by_scope[dn.scope].append(dn)
    _add_nodes(g, by_scope.get(None, []), scene, precision)
    drawn = _drawn_scopes(scene)
    for s in scene.scopes:
        if s.parent is None and s.index in drawn:
            _add_cluster(g, s.index, scene, by_scope, drawn, precision)
    on_edges = edge_labels if edge_labels is not None else len(scene.nodes) <= EDGE_LABEL_LIMIT
    _add_edges(g, scene, on_edges, precision)
    lines = ([title] if title else []) + (key_lines(scene) if legend else []) + path_lines(scene, precision)
    if not on_edges:
        lines.append("edge labels are in tooltips: hover over an arrow in a browser")
    if legend or lines:
        g.attr(label=S.caption(legend, lines))
    return g
