"""Layout hints for dot: boxes kept level with each other, and arrows that must not stretch the layout.

* A time step's input (x_t) sits level with its step box (left of it; below it left to right).
* A constant used by one box sits level with that box, not in a far-away first column.
* Boxes of one cluster that dot would put in the same column (the neurons of a layer) keep their
  numeric order, top to bottom (left to right for top-to-bottom layouts), through an invisible chain;
  so do sibling clusters (the neuron clusters of a layer), chained through their last boxes.
* At collapse="step" the step boxes of one module share a dot `group`, so they stand on one straight
  line in time order (a column top to bottom, the default, or a row left to right), each step's input level
  with it (left of it, or below it left to right). Arrows between the steps and the rest (the shared
  weights fanning in, every step's output gathered) carry their text in tooltips, so labels do not
  crowd the line; left to right they also do not rank the steps, so the shared part sits under the
  first steps instead of widening the strip.
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
    steps: dict[str, str] = field(default_factory=dict)  # a time step's box -> its module's path (its line)
    unlabelled: set[int] = field(default_factory=set)  # edge indices whose text goes in the tooltip only


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


def _steps(scene: Scene, hints: Hints, across: bool) -> None:
    """The hints of collapse="step" (see the module docstring); `across`: time runs left to right."""
    hints.steps = {dn.key: dn.group.path for dn in scene.nodes if dn.group is not None and dn.group.step is not None}
    stepped = set(hints.steps) | {dn.key for dn in scene.nodes if dn.beside}
    for dn in scene.nodes:
        if dn.beside is not None:
            hints.level[dn.scope].append(([dn.beside, dn.key], False))   # x_t -> step is a flat edge: x_t first
    for k, e in enumerate(scene.edges):
        if (e.child in stepped) != (e.parent in stepped):
            hints.unlabelled.add(k)      # shared weights fanning in, outputs gathered: text in tooltips
        if across and e.child in stepped and e.parent not in stepped:
            hints.loose.add(k)


def hints_for(scene: Scene, direction: str = "LR") -> Hints:
    """All layout hints for a scene drawn in `direction` (see the module docstring)."""
    hints = Hints(upward=direction in ("LR", "RL"))
    _constants(scene, hints)
    rank = D.ranks([dn.key for dn in scene.nodes], [(e.parent, e.child) for e in scene.edges])
    _siblings(scene, hints, rank)
    _sibling_clusters(scene, hints, rank)
    if scene.level == "step":
        _steps(scene, hints, hints.upward)
    return hints
