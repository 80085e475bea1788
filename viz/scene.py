"""Everything the picture needs, before any Graphviz: nodes to draw, edges, module boxes, highlights.

Node keys are relative to the graph ("n<k>" with k the node's rank in topological order, "m<k>" for
a collapsed module), never id() or the absolute id counter, so the same program always gives the
same DOT source and the same SVG, byte for byte. Edges come in a fixed order: children in
topological order, each child's parents in their recorded order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from autograd_core import Node, Tensor, topological_order

from . import clusters as C
from . import levels as L
from .names import expression_names, shorten
from .paths import PathReport, path_report
from .roles import CONSTANT, PARAMETER, Trouble, gradient_scale, grads_computed, group_troubles, role, troubles
from .select import GraphTooLargeError, check_size, neighbourhood

VIEWS = ("forward", "backward", "both")
READABLE = 80   # boxes a picture keeps by default when modules can be folded ("auto")
BOX_LIMIT = 16  # characters of an expression name in a box (the full name is in text and tooltips)


@dataclass
class DrawNode:
    """One box in the picture: a graph node, or (when `group` is set) a whole collapsed module."""

    key: str
    members: list[Node]
    name: str | None
    role: str
    scope: int | None
    group: C.Scope | None = None
    troubles: list[Trouble] = field(default_factory=list)
    cut: int = 0
    highlighted: bool = False
    beside: str | None = None   # drawn level with this box (a time step's input, below its step)

    @property
    def node(self) -> Node:
        """The node itself (for a collapsed module: its last member, the module's output)."""
        return self.members[-1]


@dataclass
class DrawEdge:
    """One arrow parent -> child; `links` are the graph edges (child, parent position) behind it
    (exactly one, except for arrows into or out of a collapsed module)."""

    parent: str
    child: str
    links: list[tuple[Node, int]]
    highlighted: bool = False


@dataclass
class Scene:
    """A graph ready to lay out."""

    root: Node
    view: str
    computed: bool
    nodes: list[DrawNode]
    edges: list[DrawEdge]
    scopes: list[C.Scope]
    names: dict[int, str]
    titles: dict[int, str] = field(default_factory=dict)   # node id -> what text calls it (viz.names)
    paths: PathReport | None = None
    level: str = "none"
    notes: list[str] = field(default_factory=list)


def _scope_map(order: Sequence[Node], params: Any, names: dict[int, str]) -> tuple[list[C.Scope], dict[int, int]]:
    """The clusters, and node id -> cluster for scoped nodes, parameters and their constants."""
    scopes, where = C.read_scopes(order, params)
    if scopes:
        where.update(C.place_parameters(names, scopes))
        C.place_constants(order, where, names)
    return scopes, where


def _short(name: str | None, scope: int | None, scopes: list[C.Scope]) -> str | None:
    """A name relative to the module box it is drawn in ("layers.0.weight" -> "weight")."""
    if name is None or scope is None or not scopes[scope].path:
        return name
    prefix = scopes[scope].path + "."
    return name[len(prefix):] if name.startswith(prefix) else name


def step_inputs(order: Sequence[Node], where: dict[int, int], scopes: list[C.Scope], chosen: set[int]) -> dict[int, int]:
    """Node id -> its time step, for each step's input (x_t): a member of a collapsed step whose one
    parent lies outside every collapsed box. Drawn outside the step, level with it, as textbooks do."""
    out = {}
    for n in order:
        g = C.group_of(where.get(n.id), scopes, chosen)
        if g is not None and scopes[g].step is not None and len(n.parents) == 1 \
                and C.group_of(where.get(n.parents[0].id), scopes, chosen) is None:
            out[n.id] = g
    return out


def _titles(order: Sequence[Node], names: dict[int, str], scopes: list[C.Scope], where: dict[int, int]) -> dict[int, str]:
    """node id -> its name in text: parameter name (relative to its module box), label, or expression."""
    last: dict[int, int] = {}   # scope -> its last node (the module's result)
    for n in order:
        for a in C.ancestors(where.get(n.id), scopes):
            last[a] = n.id

    def outside(n: Node, q: Node) -> str | None:   # a module's result seen from outside it: the module
        mine = C.ancestors(where.get(n.id), scopes)
        around = [a for a in C.ancestors(where.get(q.id), scopes) if a not in mine]
        if not around:
            return None
        results = [a for a in around if last.get(a) == q.id]
        return _short(scopes[(results or around)[-1]].name, where.get(n.id), scopes)
    def own(n: Node) -> str | None:   # a parameter's name (relative to its module box) or a label
        return _short(names.get(n.id), where.get(n.id), scopes) or n.label

    def result(n: Node) -> str | None:   # a module's result is called by its module path
        s = where.get(n.id)
        return scopes[s].name if s is not None and last.get(s) == n.id and n.op is not None else None
    return expression_names(order, own, result, outside)


def _draw_nodes(order, keep, root, names, scopes, where, chosen, cut, level, titles) -> tuple[list[DrawNode], dict[int, str]]:
    """One DrawNode per kept node, members of a collapsed module merged into one; node id -> key."""
    draw: list[DrawNode] = []
    groups: dict[int, DrawNode] = {}
    key_of: dict[int, str] = {}
    param_ids = set(names)
    beside = step_inputs(order, where, scopes, chosen) if level == "step" else {}
    for rank, n in enumerate(order):
        if n.id not in keep:
            continue
        scope = where.get(n.id)
        g = C.group_of(scope, scopes, chosen)
        if g is None or n.id in beside:
            scope = scope if g is None else scopes[g].parent
            name = _short(names.get(n.id, n.label), scope, scopes) or (
                shorten(_short(titles[n.id], scope, scopes) or "", BOX_LIMIT) if n.op is not None else None)
            dn = DrawNode(f"n{rank}", [n], name, role(n, root, param_ids), scope, cut=cut.get(n.id, 0))
            if g is not None:
                dn.beside, dn.name = f"m{g}", f"input of t={scopes[g].step}"
            draw.append(dn)
        else:
            found = groups.get(g)
            if found is None:
                name = _short(scopes[g].name, scopes[g].parent, scopes)
                found = groups[g] = DrawNode(f"m{g}", [], name, "module", scopes[g].parent, scopes[g])
                draw.append(found)
            dn = found
            dn.members.append(n)
            dn.cut += cut.get(n.id, 0)
        key_of[n.id] = dn.key
    return draw, key_of


def _draw_edges(order, keep, key_of, grouped: set[str]) -> list[DrawEdge]:
    """Arrows in a fixed order; edges inside a collapsed module vanish, edges crossing its border
    merge per (parent, child) pair, every other edge stays its own arrow (x*x keeps two)."""
    edges: list[DrawEdge] = []
    merged: dict[tuple[str, str], DrawEdge] = {}
    for c in order:
        if c.id not in keep:
            continue
        ck = key_of[c.id]
        for i, p in enumerate(c.parents):
            if p.id not in keep:
                continue
            pk = key_of[p.id]
            if pk == ck:
                continue
            if pk in grouped or ck in grouped:
                e = merged.get((pk, ck))
                if e is None:
                    e = merged[(pk, ck)] = DrawEdge(pk, ck, [])
                    edges.append(e)
                e.links.append((c, i))
            else:
                edges.append(DrawEdge(pk, ck, [(c, i)]))
    return edges


def _mark_paths(report: PathReport, nodes: list[DrawNode], edges: list[DrawEdge]) -> None:
    for dn in nodes:
        dn.highlighted = any(m.id in report.node_ids for m in dn.members)
    for e in edges:
        e.highlighted = any((c.id, i) in report.edges for c, i in e.links)


def _box_count(order: Sequence[Node], keep: set[int], where: dict[int, int], scopes: list[C.Scope],
               chosen: set[int], level: Any) -> int:
    """How many boxes the picture has when the `chosen` clusters are drawn as one box each."""
    groups: set[int] = set()
    single = 0
    if level == "step":
        single = sum(1 for nid in step_inputs(order, where, scopes, chosen) if nid in keep)
    for n in order:
        if n.id in keep:
            g = C.group_of(where.get(n.id), scopes, chosen)
            if g is None:
                single += 1
            else:
                groups.add(g)
    return single + len(groups)


def _choose_level(order, keep, where, scopes, collapse: Any, max_nodes: int | None) -> tuple[str, set[int], list[str]]:
    """(level name, clusters to collapse, caption notes); "auto" draws every node when that is at most
    READABLE boxes (or the graph has no modules to fold), else the finest level that stays within
    READABLE boxes, else the finest within max_nodes."""
    level = L.normalize(collapse)
    if level != L.AUTO:
        chosen = L.chosen_scopes(scopes, level)
        check_size(_box_count(order, keep, where, scopes, chosen, level), max_nodes, bool(scopes))
        return (level if isinstance(level, str) else "paths"), chosen, []
    full = len(keep)
    fits = max_nodes is None or full <= max_nodes
    if fits and (full <= READABLE or not scopes):
        return "none", set(), []
    tried = []
    counts = [(name, chosen, _box_count(order, keep, where, scopes, chosen, name)) for name, chosen in L.candidates(scopes)]
    for name, chosen, count in counts:
        tried.append(f"{name}: {count}")
        if count <= READABLE and name != "none" and fits:
            return name, chosen, [f"drawn at collapse={name!r}, the finest level of detail that stays readable "
                                  f"(at most {READABLE} boxes; every node: {full} boxes, collapse='none' draws them)"]
    for name, chosen, count in counts:
        if max_nodes is None or count <= max_nodes:
            if name == "none":
                return "none", set(), []
            return name, chosen, [f"drawn at collapse={name!r}, the finest level of detail within max_nodes="
                                  f"{max_nodes} (every node: {full} boxes)"]
    if not scopes:
        check_size(full, max_nodes, False)
    raise GraphTooLargeError(f"draw_graph: no level of detail fits in max_nodes={max_nodes} (boxes per level: "
                             f"{', '.join(tried)}); pass around=node, depth=2, or a larger max_nodes")


def _call_notes(nodes: list[DrawNode], scopes: list[C.Scope]) -> list[str]:
    """Say how a module called several times (a neuron, once per sample) is drawn."""
    calls = max((scopes[dn.group.index].calls for dn in nodes if dn.group is not None), default=1)
    if calls > 1:
        return [f"a module called several times (here up to {calls} calls, e.g. once per sample) is one box; "
                f"its out and grad list one entry per call"]
    return []


def build_scene(root: Node, *, view: str = "both", params: Any = None, collapse: Any = L.AUTO,
                around: Node | None = None, depth: int = 2, highlight: Node | None = None,
                max_nodes: int | None = 500, grads: bool | None = None) -> Scene:
    """Collect what draw_graph draws; see draw_graph for the arguments."""
    if view not in VIEWS:
        raise ValueError(f"draw_graph: view must be one of {VIEWS}, got {view!r}")
    if not isinstance(root, Node):
        raise TypeError(f"draw_graph: expected a Value or Tensor, got {type(root).__name__}")
    order = topological_order(root)
    keep, cut = neighbourhood(order, around, depth) if around is not None else ({n.id for n in order}, {})
    names = C.parameter_names(params)
    scopes, where = _scope_map(order, params, names)
    level, chosen, notes = _choose_level(order, keep, where, scopes, collapse, max_nodes)
    titles = _titles(order, names, scopes, where)
    nodes, key_of = _draw_nodes(order, keep, root, names, scopes, where, chosen, cut, level, titles)
    edges = _draw_edges(order, keep, key_of, {dn.key for dn in nodes if dn.group is not None})
    computed = grads_computed(order) if grads is None else bool(grads)
    scale = gradient_scale(root)
    for dn in nodes:
        if dn.group is not None:
            dn.troubles = group_troubles(dn.members)
        elif dn.role != CONSTANT:
            dn.troubles = troubles(dn.node, computed, scale, dn.role == PARAMETER)
    scene = Scene(root, view, computed, nodes, edges, scopes, names, titles, level=level,
                  notes=notes + _call_notes(nodes, scopes))
    if highlight is not None:
        scene.paths = path_report(root, highlight, order, limit=4 if isinstance(root, Tensor) else 8)
        _mark_paths(scene.paths, nodes, edges)
    return scene
