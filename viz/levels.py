"""Levels of detail: which module clusters `collapse=` draws as one box each, and the automatic choice.

Levels, finest first: "none" (every node), "step" (each recurrent time step of a cell), "neuron"
(each innermost module: a neuron of a scalar net, a Linear of a Tensor net), "layer" (the parts of
the model: the children of its single outermost module), "module" (each outermost module). A list
of module paths collapses exactly those ("cell" picks every "cell[t=k]"). True means "layer",
False or None "none". "auto" draws everything when it fits in max_nodes, else the finest level
that does, and says so in the picture.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from .clusters import Scope, ancestors

LEVELS = ("none", "step", "neuron", "layer", "module")
AUTO = "auto"


def _step(scopes: Sequence[Scope]) -> set[int]:
    return {s.index for s in scopes if s.step is not None}


def _neuron(scopes: Sequence[Scope]) -> set[int]:
    return {s.index for s in scopes if not s.children}


def _module(scopes: Sequence[Scope]) -> set[int]:
    return {s.index for s in scopes if s.parent is None}


def _layer(scopes: Sequence[Scope]) -> set[int]:
    level = [s for s in scopes if s.parent is None]
    while len(level) == 1 and level[0].children:
        level = [scopes[c] for c in level[0].children]
    return {s.index for s in level}


PICK: dict[str, Callable[[Sequence[Scope]], set[int]]] = {
    "none": lambda scopes: set(), "step": _step, "neuron": _neuron, "layer": _layer, "module": _module}


def _by_paths(scopes: Sequence[Scope], wanted: set[str]) -> set[int]:
    known = {s.path for s in scopes} | {s.name for s in scopes}
    unknown = sorted(w for w in wanted if w not in known)
    if unknown:
        raise ValueError(f"draw_graph: collapse paths {unknown} match no module in the graph; known: "
                         f"{sorted({s.name for s in scopes})[:20]} (pass params=model to name them)")
    return {s.index for s in scopes if s.path in wanted or s.name in wanted}


def outermost(chosen: set[int], scopes: Sequence[Scope]) -> set[int]:
    """Drop a chosen scope that sits inside another chosen one (the outer box swallows it)."""
    return {i for i in chosen if not any(a in chosen for a in ancestors(scopes[i].parent, scopes))}


def normalize(collapse: Any) -> str | list[str]:
    """The level name (or list of paths) that `collapse` means; a clear error for anything else."""
    if collapse is None or collapse is False:
        return "none"
    if collapse is True:
        return "layer"
    if isinstance(collapse, str):
        if collapse in LEVELS or collapse == AUTO:
            return collapse
        raise ValueError(f"draw_graph: collapse must be one of {LEVELS + (AUTO,)}, True/False or a list of "
                         f"module paths, got {collapse!r}")
    if isinstance(collapse, (list, tuple, set, frozenset)) and all(isinstance(c, str) for c in collapse):
        return sorted(collapse)
    raise TypeError(f"draw_graph: collapse must be a level name, True/False or a list of module paths, "
                    f"got {type(collapse).__name__} {collapse!r}")


def chosen_scopes(scopes: Sequence[Scope], level: str | list[str]) -> set[int]:
    """The clusters drawn as one box each at `level` (see the module docstring)."""
    if isinstance(level, list):
        return outermost(_by_paths(scopes, set(level)), scopes)
    if level != "none" and not scopes:
        raise ValueError(f"draw_graph: collapse={level!r} needs module scopes: pass params=model (the "
                         f"nn.Module whose calls made the graph)")
    if level == "step" and not _step(scopes):
        raise ValueError("draw_graph: collapse='step' needs recurrent time steps; this graph has none "
                         f"(its modules: {sorted({s.name for s in scopes})[:10]})")
    return outermost(PICK[level](scopes), scopes)


def candidates(scopes: Sequence[Scope]) -> list[tuple[str, set[int]]]:
    """(level, chosen clusters) from finest to coarsest, skipping levels that change nothing new."""
    out: list[tuple[str, set[int]]] = [("none", set())]
    for level in LEVELS[1:]:
        chosen = outermost(PICK[level](scopes), scopes) if scopes else set()
        if chosen and chosen != out[-1][1]:
            out.append((level, chosen))
    return out
