"""viz.explore: one self-contained HTML page to explore a graph: hover, click for paths, step backward.

    ex = viz.explore(loss, params=model)   # shows inline in Jupyter
    ex.save("graph.html")                  # opens in any browser, no network, no server

The page holds the graph as data (see model.py, steps.py, pathdata.py) and its own script
(explorer.js) that lays it out and makes it live; nothing is fetched.
"""
from __future__ import annotations

import html
import json
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

from autograd_core import Node, Tensor
from autograd_core.graph.order import topological_order
from autograd_core.files import write_text

from .. import clusters as C
from .. import levels as L
from .. import style as S
from ..labels import esc
from ..scene import build_scene
from ..select import check_size
from .jsform import op_formulas
from .model import edge_data, node_data, scope_data
from .pathdata import path_data
from .steps import backward_steps, forward_steps

__all__ = ["EXPLORE_OPTIONS", "Explorer", "TrainingHistory", "TrainingPage", "explore", "explore_training"]
EXPLORE_OPTIONS = frozenset({"params", "collapse", "max_nodes", "precision", "rankdir", "title", "height"})


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


_IN_SCRIPT = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SLOTS = re.compile(r"/\*STYLE\*/|/\*DATA\*/|/\*SCRIPT\*/|<!--TITLE-->")


def _script_json(data: Any) -> str:
    """Data as a JavaScript literal safe inside <script> (NaN and Infinity stay valid JS): no < > & in the
    text at all (they are \\u003c ... inside strings, where JSON allows nothing else), so no "</script>",
    "<!--" or "<script" can end or change the script block, and U+2028/U+2029 escaped for older engines."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _IN_SCRIPT[m.group()], text)


class Explorer:
    """A built explorer page: `.html` is its text, `.save(path)` writes it, Jupyter shows it inline."""

    assets: tuple[str, tuple[str, ...], str] = ("page.html", ("explorer.css",), "explorer.js")  # body, styles, script

    def __init__(self, data: dict[str, Any], height: int = 760) -> None:
        self.data = data
        self.height = height

    @property
    def html(self) -> str:
        """The whole page: shell.html around the body, with style, data and script, in one file."""
        body, styles, script = self.assets
        parts = {"/*STYLE*/": "".join(map(_asset, styles)), "/*DATA*/": "const GRAPH = " + _script_json(self.data) + ";",
                 "/*SCRIPT*/": _asset(script), "<!--TITLE-->": esc(self.data["title"])}
        template = _asset("shell.html").replace("<!--BODY-->", _asset(body))   # both ours: no user text yet
        # one pass over the template: text put in (a label saying "/*SCRIPT*/") is never replaced again
        return _SLOTS.sub(lambda m: parts[m.group()], template)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page to `path` (a file ending in .html or .htm); returns the path."""
        path = Path(path)
        if path.suffix.lower() not in (".html", ".htm"):
            raise ValueError(f"explore: save writes an HTML page; end the file name in .html, got {str(path)!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, self.html, "explore: save")   # a unique temporary file beside it, then renamed
        return path

    def _repr_html_(self) -> str:
        """Inline in Jupyter: the page in a sandboxed iframe, so its script and style stay its own."""
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" style="width:100%;height:{self.height}px;'
                f'border:1px solid #d1d5db" sandbox="allow-scripts"></iframe>')

    def __repr__(self) -> str:
        return f"<viz.Explorer: {len(self.data['nodes'])} nodes, {len(self.data['backward'])} backward steps>"


from .training import TrainingHistory, TrainingPage, explore_training  # noqa: E402  (it subclasses Explorer)


def _boxes(scene: Any, folded: set[int]) -> int:
    """How many boxes show when the scopes in `folded` are folded (each into one box)."""
    hidden = sum(1 for dn in scene.nodes if any(a in folded for a in C.ancestors(dn.scope, scene.scopes)))
    return len(scene.nodes) - hidden + len(folded)


def _folds(scene: Any, collapse: Any, max_nodes: int | None) -> list[int]:
    """The scopes that start folded: those of a level of detail (see viz.levels), or with "auto" the
    finest level whose boxes fit in max_nodes; GraphTooLargeError when none does."""
    level = L.normalize(collapse)
    if level == L.AUTO:
        options = L.candidates(scene.scopes)
        fits = [chosen for _, chosen in options if max_nodes is None or _boxes(scene, chosen) <= max_nodes]
        chosen = fits[0] if fits else options[-1][1]
    elif level != "none" and not scene.scopes:
        raise ValueError(f"explore: collapse={collapse!r} needs module scopes: pass params=model")
    else:
        chosen = L.chosen_scopes(scene.scopes, level)
    check_size(_boxes(scene, chosen), max_nodes, bool(scene.scopes))
    return sorted(chosen)


def _levels(scene: Any, max_nodes: int | None) -> list[dict[str, Any]]:
    """The levels of detail the page may open at or switch to, finest first (those within max_nodes)."""
    return [{"name": name, "folded": sorted(chosen)} for name, chosen in L.candidates(scene.scopes)
            if max_nodes is None or _boxes(scene, chosen) <= max_nodes]


def _live(order: list[Node]) -> dict[str, Any]:
    """What the sliders need: each op's formulas in JavaScript (jsform), or why there are no sliders."""
    if any(isinstance(n, Tensor) for n in order):
        return {"none": "sliders recompute scalar (Value) graphs; this is a Tensor graph"}
    return op_formulas({n.op.name for n in order if n.op is not None})


def explore(root: Node, *, params: Any = None, collapse: Any = L.AUTO, max_nodes: int | None = 500,
            precision: int = 4, rankdir: str = "LR", title: str | None = None, height: int = 760) -> Explorer:
    """The interactive explorer of the graph that computed `root` (a Value or Tensor).

    params:    an nn.Module or a mapping name -> node (names parameters, module clusters).
    collapse:  which module clusters start folded: a level of detail as in draw_graph ("none",
               "step", "neuron", "layer", "module", True, a list of module paths), or "auto" (the
               default: everything unfolded when it fits in max_nodes, else the finest level that
               does). Every cluster folds and unfolds on click.
    max_nodes: GraphTooLargeError when more than this many boxes would show at first.
    rankdir:   "LR" (inputs on the left) or "TB" (inputs on top). precision: significant digits.
    """
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"explore: rankdir must be 'LR' or 'TB', got {rankdir!r}")
    if not isinstance(root, Node):
        raise TypeError(f"explore: expected a Value or Tensor, got {type(root).__name__}")
    scene = build_scene(root, view="both", params=params, collapse="none", max_nodes=None)
    folded = _folds(scene, collapse, max_nodes)
    order = topological_order(root)
    key_of = {dn.node.id: dn.key for dn in scene.nodes}
    edge_of = {(c.id, i): k for k, e in enumerate(scene.edges) for c, i in e.links}
    p = precision
    nodes = [node_data(dn, scene, p) for dn in scene.nodes]
    for dn, nd in zip(scene.nodes, nodes):
        nd["parents"] = [key_of[q.id] for q in dn.node.parents]
    data = {
        "fills": dict(S.FILL),
        "title": title or f"graph of {scene.nodes[-1].name or root.op_name or 'the output'}",
        "root": key_of[root.id], "computed": scene.computed, "rankdir": rankdir, "folded": folded,
        "auto": L.normalize(collapse) == L.AUTO, "levels": _levels(scene, max_nodes), "live": _live(order),
        "nodes": nodes,
        "edges": [edge_data(e, p) for e in scene.edges], "scopes": scope_data(scene),
        "forward": forward_steps(root, key_of, scene.titles, p),
        "backward": backward_steps(root, scene.computed, key_of, edge_of, p),
        "paths": path_data(root, order, key_of, edge_of, scene.titles, scene.computed, p),
    }
    return Explorer(data, height)
