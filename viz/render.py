"""Turning a Digraph into files or a notebook display: SVG, PNG or PDF through Graphviz's `dot`, DOT
source without it, and in Jupyter the install hint instead of a traceback when `dot` is missing."""
from __future__ import annotations

import html
import os
import shutil
from pathlib import Path
from typing import Any

import graphviz

from autograd_core.files import output_target, write_bytes

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}
INSTALL_HINT = ("Install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` "
                "(macOS), or run `bash scripts/setup.sh` from the autograd-core checkout.")


BIG_SOURCE = 2000
"""Above this many DOT statements (boxes, arrows, groups) a failure of `dot` may be the graph's size."""


class GraphvizNotFoundError(RuntimeError):
    """The Graphviz `dot` program is needed to render and was not found on PATH."""


class GraphvizFailedError(RuntimeError):
    """`dot` ran but failed (Graphviz 2.43 can crash on graphs of several thousand nodes)."""


def _missing(fmt: str) -> GraphvizNotFoundError:
    return GraphvizNotFoundError(
        f"viz: cannot render {fmt.upper()}: the Graphviz `dot` program was not found on PATH. "
        f"{INSTALL_HINT} The DOT source is still available without it: draw_graph(...).source, or "
        f"save to a file ending in .dot.")


class Drawing(graphviz.Digraph):
    """A graphviz.Digraph that, displayed in Jupyter without `dot`, shows how to install it instead of
    graphviz's ExecutableNotFound traceback."""

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict[str, str]:
        if shutil.which("dot") is not None:
            try:
                return super()._repr_mimebundle_(include, exclude, **kwargs)
            except graphviz.ExecutableNotFound:
                pass
        text = (f"viz: cannot show the graph: the Graphviz `dot` program was not found on PATH. {INSTALL_HINT} "
                f"Meanwhile viz.explore(root) draws an interactive page that needs no Graphviz, and .source "
                f"is the DOT text.")
        return {"text/plain": text, "text/html": f'<pre style="white-space:pre-wrap">{html.escape(text)}</pre>'}


def pipe(graph: graphviz.Digraph, fmt: str) -> bytes:
    """Render with `dot` to bytes in format `fmt` (svg, png, pdf); GraphvizNotFoundError without dot,
    GraphvizFailedError (with what dot said) when it fails or stops reading its input."""
    if shutil.which("dot") is None:
        raise _missing(fmt)
    try:
        return graph.pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        raise _missing(fmt) from None
    except graphviz.CalledProcessError as exc:
        raise _failed(graph, fmt, f"with exit status {exc.returncode}", exc.stderr, exc.returncode < 0) from None
    except BrokenPipeError:
        raise _failed(graph, fmt, "(it stopped reading the graph)", None, False) from None


def _failed(graph: graphviz.Digraph, fmt: str, how: str, stderr: bytes | None, crashed: bool) -> GraphvizFailedError:
    """The error for a failed `dot`: what it said, and advice on size only for a graph that is big or
    when dot crashed (killed by a signal), never for a graph dot refused to read."""
    said = (stderr or b"").decode(errors="replace").strip()[-300:] or "nothing"
    big = crashed or len(graph.body) > BIG_SOURCE
    advice = ("Graphviz 2.43 can crash on graphs of several thousand nodes. Draw less: collapse=True (with "
              "params=model), around=node, depth=2, or a Tensor graph; " if big else "")
    return GraphvizFailedError(f"viz: Graphviz `dot` failed {how} while rendering {fmt.upper()} of a graph of "
                               f"{len(graph.body)} statements. {advice}the DOT source is still available via "
                               f".source. dot said: {said}")


def format_for(path: str | os.PathLike) -> str:
    """The output format named by the file's ending."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"viz.save: cannot tell the format of {str(path)!r}; end the file name in one of "
                         f"{', '.join(sorted(FORMATS))}")
    return FORMATS[suffix]


def write(graph: graphviz.Digraph, path: str | os.PathLike) -> Path:
    """Write `graph` to `path` in the format its ending names; returns the path.

    A .dot/.gv file is the DOT source and needs no Graphviz program. The target is checked (a regular
    file or none: a device or FIFO is refused) before rendering, and replaced atomically after it
    (autograd_core.files), so a failed render leaves the old file whole.
    """
    path = Path(path)
    fmt = format_for(path)
    output_target(path, "viz.save")
    data: bytes = graph.source.encode("utf-8") if fmt == "dot" else pipe(graph, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, data, "viz.save")
    return path
