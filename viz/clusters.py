"""Module structure for the picture: parameter names and module scopes read from a duck-typed `params`.

`params` is anything with `named_parameters()` (pairs or a mapping name -> node), or a plain mapping
name -> node. If it also has `graph_scopes()` -> [(name, start_id, end_id), ...], each entry says
that nodes with start_id <= id < end_id were made by the forward of the module `name`. Node ids only
grow, so the spans nest like the calls did; a node belongs to the innermost span holding it. A
parameter (made before any forward) goes to the module its dotted name points to, when that module
ran exactly once; a module that ran several times (an RNN cell per time step) shares its
parameters, which then sit in the nearest enclosing module. viz never imports nn.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from autograd_core import Node


@dataclass
class Scope:
    """One module call: the node ids [start, end) its forward created, its place in the call tree."""

    index: int
    name: str
    start: int
    end: int
    parent: int | None = None
    children: list[int] = field(default_factory=list)


def parameter_names(params: Any) -> dict[int, str]:
    """node id -> parameter name (the first name wins for a parameter shared under two names)."""
    if params is None:
        return {}
    if hasattr(params, "named_parameters"):
        items: Any = params.named_parameters()
    elif isinstance(params, Mapping):
        items = params
    else:
        raise TypeError(f"draw_graph: params must have named_parameters() (an nn.Module) or be a mapping "
                        f"name -> node, got {type(params).__name__}")
    if isinstance(items, Mapping):
        items = items.items()
    names: dict[int, str] = {}
    for name, node in items:
        if not isinstance(node, Node):
            raise TypeError(f"draw_graph: parameter {name!r} is a {type(node).__name__}, "
                            f"expected a Value or Tensor")
        names.setdefault(node.id, str(name))
    return names


def _check_entry(entry: Any) -> tuple[str, int, int]:
    try:
        name, start, end = entry
        return str(name), int(start), int(end)
    except (TypeError, ValueError):
        raise TypeError(f"draw_graph: graph_scopes() entries must be (name, start_id, end_id), "
                        f"got {entry!r}") from None


def read_scopes(params: Any) -> list[Scope]:
    """The module calls, outer before inner, each linked to its parent (the smallest span around it)."""
    if params is None or not hasattr(params, "graph_scopes"):
        return []
    raw = [(_check_entry(e), k) for k, e in enumerate(params.graph_scopes())]
    raw = [(e, k) for e, k in raw if e[2] > e[1]]
    raw.sort(key=lambda ek: (ek[0][1], -ek[0][2], ek[0][0].count("."), ek[1]))
    scopes = [Scope(i, name, start, end) for i, ((name, start, end), _) in enumerate(raw)]
    stack: list[Scope] = []
    for s in scopes:
        while stack and not (stack[-1].start <= s.start and s.end <= stack[-1].end):
            stack.pop()
        if stack:
            s.parent = stack[-1].index
            stack[-1].children.append(s.index)
        stack.append(s)
    return scopes


def innermost(ids: Iterable[int], scopes: Sequence[Scope]) -> dict[int, int]:
    """node id -> index of the innermost scope whose span holds it (a sweep over sorted ids)."""
    out: dict[int, int] = {}
    stack: list[Scope] = []
    j = 0
    for nid in sorted(ids):
        while j < len(scopes) and scopes[j].start <= nid:
            while stack and stack[-1].end <= scopes[j].start:
                stack.pop()
            stack.append(scopes[j])
            j += 1
        while stack and stack[-1].end <= nid:
            stack.pop()
        if stack:
            out[nid] = stack[-1].index
    return out


def ancestors(index: int | None, scopes: Sequence[Scope]) -> list[int]:
    """The scope and its enclosing scopes, innermost first."""
    chain = []
    while index is not None:
        chain.append(index)
        index = scopes[index].parent
    return chain


def _common(indices: list[int], scopes: Sequence[Scope]) -> int | None:
    common = ancestors(indices[0], scopes)
    for i in indices[1:]:
        mine = set(ancestors(i, scopes))
        common = [c for c in common if c in mine]
    return common[0] if common else None


def place_parameters(names: Mapping[int, str], scopes: Sequence[Scope]) -> dict[int, int]:
    """Parameter node id -> the scope of the module that owns it, found from its dotted name.

    "layers.0.weight" goes to the call of "layers.0"; a module called once per time step
    ("cell[t=0]", "cell[t=1]", ...) shares "cell.weight_ih", which goes to the scope around all of
    those calls; a parameter of the model itself ("weight") to the single outermost scope.
    """
    exact: dict[str, list[int]] = defaultdict(list)
    base: dict[str, list[int]] = defaultdict(list)
    for s in scopes:
        exact[s.name].append(s.index)
        base[base_name(s.name)].append(s.index)
    tops = [s.index for s in scopes if s.parent is None]
    out: dict[int, int] = {}
    for nid, pname in names.items():
        parts = pname.split(".")[:-1]
        hits: list[int] = []
        while parts and not hits:
            path = ".".join(parts)
            hits = exact.get(path) or base.get(path) or []
            parts.pop()
        if not hits and len(tops) == 1 and "." not in pname:
            hits = tops
        where = None if not hits else hits[0] if len(hits) == 1 else _common(hits, scopes)
        if where is not None:
            out[nid] = where
    return out


def base_name(name: str) -> str:
    """A scope name without its call tag: "cell[t=2]" -> "cell"."""
    return re.sub(r"\[[^\]]*\]$", "", name)


def collapsed(scopes: Sequence[Scope], collapse: Any) -> set[int]:
    """Scopes to draw as one node each.

    collapse=True: the outermost scopes, or, while there is a single outermost scope holding others
    (the model itself), its children (one node per layer / per time step). A list of names: the
    scopes with those names (a base name like "cell" picks every "cell[t=k]").
    """
    if not collapse:
        return set()
    if collapse is True:
        level = [s for s in scopes if s.parent is None]
        while len(level) == 1 and level[0].children:
            level = [scopes[c] for c in level[0].children]
        return {s.index for s in level}
    wanted = {collapse} if isinstance(collapse, str) else set(collapse)
    chosen = {s.index for s in scopes if s.name in wanted or base_name(s.name) in wanted}
    known = {s.name for s in scopes} | {base_name(s.name) for s in scopes}
    unknown = sorted(str(w) for w in wanted - known)
    if unknown:
        raise ValueError(f"draw_graph: collapse names {unknown} match no module scope; known scopes: "
                         f"{sorted({s.name for s in scopes})[:20]} (pass params=model to name them)")
    return {i for i in chosen if not any(a in chosen for a in ancestors(scopes[i].parent, scopes))}


def group_of(scope_index: int | None, scopes: Sequence[Scope], chosen: set[int]) -> int | None:
    """The collapsed scope a node in `scope_index` disappears into, if any (the outermost one)."""
    hit = None
    for a in ancestors(scope_index, scopes):
        if a in chosen:
            hit = a
    return hit
