"""Module structure for the picture: parameter names, and module clusters read from the scopes stamped on nodes.

Every node remembers the recording scope it was made in (`node.scope`: the module whose call made
it, the time step, the enclosing scope; autograd_core.graph.grad_mode.recording_scope). A scope owner is
named by matching it against `params.named_modules()` ("layers.0"; the model itself by its class
name); a time step adds "[t=k]" ("cell[t=2]"). All calls of one module (at one time step) share one
cluster, so any graph, old or new, made in any thread, clusters the same way. A parameter (made in
__init__, outside any call) goes to the cluster its dotted name points to; one shared by several
clusters (an RNN cell's weights across time steps) sits in their nearest common enclosing cluster.
viz never imports nn.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

from autograd_core import Node


@dataclass
class Scope:
    """One cluster: a module (at one time step), all its calls in this graph, its place in the tree."""

    index: int
    name: str
    path: str
    step: int | None
    parent: int | None = None
    children: list[int] = field(default_factory=list)
    calls: int = 0


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


def module_paths(params: Any) -> dict[int, str]:
    """id(module) -> its dotted path from `params.named_modules()` ("" for params itself)."""
    if params is None or not hasattr(params, "named_modules"):
        return {}
    paths: dict[int, str] = {}
    for name, module in params.named_modules():
        paths.setdefault(id(module), str(name))
    return paths


def display_name(path: str, step: int | None, root: Any) -> str:
    """"layers.0", the model's class name for its own path "", "cell[t=2]" for a time step."""
    name = path or type(root).__name__
    return name if step is None else f"{name}[t={step}]"


class _Reader:
    """Builds the clusters from the scope chains of the nodes, outermost first, in graph order."""

    def __init__(self, params: Any) -> None:
        self.params = params
        self.paths = module_paths(params)
        self.scopes: list[Scope] = []
        self.by_key: dict[tuple[str, int | None], int] = {}
        self.memo: dict[Any, int | None] = {}   # recording Scope -> innermost cluster at or above it

    def cluster_of(self, rec: Any) -> int | None:
        """The cluster of a recording scope (walking up to the nearest scope owned by a known module)."""
        todo = []
        while rec is not None and rec not in self.memo:
            todo.append(rec)
            rec = rec.parent
        above = None if rec is None else self.memo[rec]
        for s in reversed(todo):
            path = self.paths.get(id(s.owner))
            if path is not None:
                above = self._cluster(path, s.step, above)
            self.memo[s] = above
        return above

    def _cluster(self, path: str, step: int | None, parent: int | None) -> int:
        key = (path, step)
        index = self.by_key.get(key)
        if index is None:
            index = self.by_key[key] = len(self.scopes)
            self.scopes.append(Scope(index, display_name(path, step, self.params), path, step, parent))
            if parent is not None:
                self.scopes[parent].children.append(index)
        return index


def read_scopes(order: Sequence[Node], params: Any) -> tuple[list[Scope], dict[int, int]]:
    """The clusters of the graph `order` (in order of first use) and node id -> innermost cluster."""
    reader = _Reader(params)
    where: dict[int, int] = {}
    if not reader.paths:
        return [], where
    for n in order:
        if n.scope is not None:
            c = reader.cluster_of(n.scope)
            if c is not None:
                where[n.id] = c
    for rec, c in reader.memo.items():     # calls = distinct recording scopes of a cluster
        if c is not None and reader.paths.get(id(rec.owner)) is not None:
            reader.scopes[c].calls += 1
    return reader.scopes, where


def place_constants(order: Sequence[Node], where: dict[int, int], names: Mapping[int, str]) -> None:
    """An unscoped constant (an unnamed single number not requiring grad, like the 2 in x * 2, made
    before the forward or by a fast path that stamps no scope) used by one node joins its cluster."""
    users: dict[int, list[Node]] = defaultdict(list)
    for c in order:
        for p in c.parents:
            users[p.id].append(c)
    for n in order:
        if (n.parents or n.id in where or n.id in names or n.requires_grad or n.label is not None
                or np.size(n.data) != 1):
            continue
        us = users.get(n.id, [])
        if len(us) == 1 and us[0].id in where:
            where[n.id] = where[us[0].id]


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
    """Parameter node id -> the cluster of the module that owns it, found from its dotted name.

    "layers.0.weight" goes to "layers.0"; "cell.weight_ih", shared by "cell[t=0]", "cell[t=1]", ...,
    to the cluster around all of them; a parameter of the model itself ("weight") to the model's.
    """
    by_path: dict[str, list[int]] = defaultdict(list)
    for s in scopes:
        by_path[s.path].append(s.index)
    out: dict[int, int] = {}
    for nid, pname in names.items():
        parts = pname.split(".")[:-1]
        hits: list[int] = []
        while not hits:
            hits = by_path.get(".".join(parts), [])
            if not parts:
                break
            parts.pop()
        where = None if not hits else hits[0] if len(hits) == 1 else _common(hits, scopes)
        if where is not None:
            out[nid] = where
    return out


def group_of(scope_index: int | None, scopes: Sequence[Scope], chosen: set[int]) -> int | None:
    """The collapsed scope a node in `scope_index` disappears into, if any (the outermost one)."""
    hit = None
    for a in ancestors(scope_index, scopes):
        if a in chosen:
            hit = a
    return hit
