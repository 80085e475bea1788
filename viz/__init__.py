"""viz: render forward and backward computation graphs to SVG.

    from viz import draw_graph, save
    y = (x1 * w1 + x2 * w2 + b).tanh(); y.backward()
    draw_graph(y)                         # a graphviz.Digraph; shows inline in Jupyter
    save(y, "neuron.svg", view="backward")

Forward view: data flowing from the inputs to the output. Backward view: gradients flowing back;
each edge shows its local derivative d child / d parent (the notes' "rate factor") and the
gradient it carries, upstream x local. The gradient of a node is the sum of what its edges carry;
along one path it is the product of the rate factors (`highlight=x` lists the paths and products).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import graphviz

from autograd_core import Node

from .explore import EXPLORE_OPTIONS, Explorer, TrainingHistory, TrainingPage, explore, explore_training
from .graph import to_digraph
from .edges import LocalDerivative, edge_derivative
from .paths import Path as GraphPath, PathReport, path_report
from .render import GraphvizFailedError, GraphvizNotFoundError, pipe, write
from .scene import VIEWS, Scene, build_scene
from .select import GraphTooLargeError

__all__ = ["Explorer", "GraphTooLargeError", "GraphvizFailedError", "GraphvizNotFoundError", "GraphPath",
           "LocalDerivative", "PathReport", "Scene", "TrainingHistory", "TrainingPage", "VIEWS", "build_scene",
           "draw_graph", "edge_derivative", "explore", "explore_training", "path_report", "save", "to_svg"]


def draw_graph(root: Node, view: str = "both", *, rankdir: str | None = None, params: Any = None,
               collapse: Any = "auto", around: Node | None = None, depth: int = 2,
               highlight: Node | None = None, max_nodes: int | None = 500, legend: bool = True,
               grads: bool | None = None, precision: int = 4, title: str | None = None,
               edge_labels: bool | None = None) -> graphviz.Digraph:
    """The graph that computed `root`, as a graphviz.Digraph.

    view:      "forward" (data, arrows inputs -> output), "backward" (gradients, arrows output ->
               inputs, each edge with its local derivative and carried gradient) or "both".
    rankdir:   "LR", "TB", "RL" or "BT" for the forward direction; None (default) picks left to right
               unless that is more than twice as wide as tall (then top to bottom); time steps
               (collapse="step") run top to bottom, one step per row (rankdir="LR" draws them
               left to right, as textbooks do, but wider with every step).
    params:    an nn.Module (anything with named_parameters(), optionally named_modules()) or a
               mapping name -> node: names parameters and draws each module as a cluster, from the
               scope every node was stamped with when it was made (node.scope).
    collapse:  the level of detail (viz/levels.py): "none" (every node), "step" (one box per cell
               per time step), "neuron" (one box per innermost module, e.g. per neuron, with its
               activation and grad), "layer", "module", or a list of module paths; True is "layer".
               "auto" (default): every node if that fits in max_nodes, else the finest level that
               does (the picture says which).
    around, depth: draw only the nodes within `depth` edges of `around`.
    highlight: a node; the paths from it to the output are highlighted and their products listed.
    max_nodes: raise GraphTooLargeError above this many boxes (None: no limit).
    grads:     whether backward has run; by default detected (any gradient present, see roles.py).
    edge_labels: text on the arrows (True) or in their tooltips (False); by default on the arrows
               up to 1,000 boxes. precision: significant digits; title: a line above the legend.
    """
    scene = build_scene(root, view=view, params=params, collapse=collapse, around=around, depth=depth,
                        highlight=highlight, max_nodes=max_nodes, grads=grads)
    return to_digraph(scene, rankdir=rankdir, legend=legend, title=title, precision=precision,
                      edge_labels=edge_labels)


def _as_graph(root_or_graph: Any, kwargs: dict) -> graphviz.Digraph:
    if isinstance(root_or_graph, (graphviz.Digraph, graphviz.Graph)):
        if kwargs:
            raise TypeError(f"viz: drawing options {sorted(kwargs)} need a node, not an already drawn graph")
        return root_or_graph
    return draw_graph(root_or_graph, **kwargs)


def save(root_or_graph: Any, path: str | os.PathLike, **kwargs: Any) -> Path:
    """Draw (see draw_graph for the options) and write to `path`: .svg, .png, .pdf via Graphviz's
    `dot`, or .dot/.gv (the DOT source, needs no Graphviz). Raises GraphvizNotFoundError without dot.
    A path ending in .html writes the interactive explorer instead (see explore for its options)."""
    if Path(path).suffix.lower() in (".html", ".htm"):
        if not isinstance(root_or_graph, Node):
            raise TypeError(f"viz.save: an .html explorer needs a Value or Tensor, got {type(root_or_graph).__name__}")
        unknown = sorted(set(kwargs) - EXPLORE_OPTIONS)
        if unknown:
            raise TypeError(f"viz.save: an .html explorer takes {sorted(EXPLORE_OPTIONS)}, not {unknown} "
                            f"(those are draw_graph options: save to .svg for a static picture)")
        return explore(root_or_graph, **kwargs).save(path)
    return write(_as_graph(root_or_graph, kwargs), path)


def to_svg(root_or_graph: Any, **kwargs: Any) -> str:
    """The SVG text of the drawing (see draw_graph for the options)."""
    return pipe(_as_graph(root_or_graph, kwargs), "svg").decode("utf-8")
