"""Layout hints for dot: boxes kept level with each other, and arrows that must not stretch the layout.

* A time step's input (x_t) sits level with its step box (below it, as textbooks draw it).
* A constant used by one box sits level with that box, not in a far-away first column.
* Boxes of one cluster that dot would put in the same column (the neurons of a layer) keep their
  numeric order, top to bottom (left to right for top-to-bottom layouts), through an invisible chain;
  so do sibling clusters (the neuron clusters of a layer), chained through their last boxes.
* At collapse="step", arrows from the shared part (weights, the fused input projection) into the
  steps do not rank the steps, so that part sits under the first steps instead of widening the strip.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from . import direction as D
from .roles import CONSTANT
from .scene import Scene


@dataclass
class Hints:
    """Level sets per container (cluster index or None): (keys, chain them in this order)."""

    level: dict[int | None, list[tuple[list[str], bool]]] = field(default_factory=lambda: defaultdict(list))
    loose: set[int] = field(default_factory=set)     # edge indices drawn with constraint=false
    upward: bool = False                              # the layout runs left to right: chain bottom-up
    newrank: bool = False                             # a level set spans clusters (dot needs newrank)


def _constants(scene: Scene, hints: Hints) -> None:
    by_key = {dn.key: dn for dn in scene.nodes}
    uses: dict[str, list[str]] = defaultdict(list)
    for e in scene.edges:
        uses[e.parent].append(e.child)
    for dn in scene.nodes:
        if dn.role == CONSTANT and len(uses[dn.key]) == 1:
            user = by_key[uses[dn.key][0]]
            if user.scope == dn.scope and user.beside is None:
                hints.level[dn.scope].append(([user.key, dn.key], False))


def _siblings(scene: Scene, hints: Hints, rank: dict[str, int]) -> None:
    columns: dict[tuple[int | None, int], list[str]] = defaultdict(list)
    for dn in scene.nodes:
        if dn.group is not None:
            columns[(dn.scope, rank[dn.key])].append(dn.key)
    for (scope, _), keys in columns.items():
        if len(keys) > 1:
            hints.level[scope].append((keys, True))


def _sibling_clusters(scene: Scene, hints: Hints, rank: dict[str, int]) -> None:
    """Sibling clusters whose last boxes (their outputs) share a column keep their numeric order."""
    last: dict[int, str] = {}
    for dn in scene.nodes:
        if dn.scope is not None:
            last[dn.scope] = dn.key
    columns: dict[tuple[int | None, int], list[str]] = defaultdict(list)
    for s in scene.scopes:
        if s.index in last:
            columns[(s.parent, rank[last[s.index]])].append(last[s.index])
    for (parent, _), keys in columns.items():
        if len(keys) > 1:
            hints.level[parent].append((keys, True))
            hints.newrank = True


def _steps(scene: Scene, hints: Hints) -> None:
    stepped = {dn.key for dn in scene.nodes if (dn.group is not None and dn.group.step is not None) or dn.beside}
    for dn in scene.nodes:
        if dn.beside is not None:
            hints.level[dn.scope].append(([dn.beside, dn.key], False))
    for k, e in enumerate(scene.edges):
        if e.child in stepped and e.parent not in stepped:
            hints.loose.add(k)


def hints_for(scene: Scene) -> Hints:
    """All layout hints for a scene (see the module docstring)."""
    hints = Hints()
    _constants(scene, hints)
    rank = D.ranks([dn.key for dn in scene.nodes], [(e.parent, e.child) for e in scene.edges])
    _siblings(scene, hints, rank)
    _sibling_clusters(scene, hints, rank)
    if scene.level == "step":
        _steps(scene, hints)
    return hints
