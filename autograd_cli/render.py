"""Draw a graph with viz for the command line, turning rendering failures into one-line errors."""
from __future__ import annotations

from pathlib import Path
from typing import Any


GRAPH_SUFFIXES = (".svg", ".png", ".pdf", ".dot", ".gv")
"""The endings a static graph file may have (viz.save picks the format from it)."""


def check_target(path: str, option: str = "--svg") -> None:
    """Refuse a graph file that cannot be written (empty, another ending, a device, folder missing or
    read-only, or a folder), before any work."""
    from .paths import check_writable

    check_writable(path, option, GRAPH_SUFFIXES)


def save_graph(root: Any, path: str, view: str = "both", *, collapse_if_large: bool = False,
               **options: Any) -> Path:
    """Render `root`'s graph to `path` (SVG, PNG or DOT by extension) through `viz.save`.

    With `collapse_if_large`, a graph over viz's node limit is drawn again with each module call
    (layer, time step) collapsed into one box instead of failing.
    """
    from .errors import CLIError, GraphTooLargeToDraw

    try:
        import viz
    except ImportError as e:  # graphviz's Python package missing
        raise CLIError(f"cannot draw graphs: {e} (install with: pip install graphviz)") from None
    check_target(path, "graph file")
    try:
        try:
            viz.save(root, path, view=view, **options)
        except viz.GraphTooLargeError as e:
            if not collapse_if_large:
                raise GraphTooLargeToDraw(f"cannot draw the graph to {path}: {e}") from None
            viz.save(root, path, view=view, **{**options, "collapse": True, "max_nodes": None})
    except (OSError, RuntimeError, ValueError) as e:
        raise CLIError(f"cannot draw the graph to {path}: {e}") from None
    return Path(path)
