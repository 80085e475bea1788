"""Text for the picture: numbers, short tensor summaries, the HTML-like labels of nodes and edges, and the
one escape (`esc`) every name goes through on its way to Graphviz or HTML.

Every number a label shows goes through `fmt` (significant digits, "0" for both zeros, "nan"/"inf"
spelled out), so tests can rebuild the exact text from the engine's numbers. A tensor is never
printed in full: up to `MAX_LISTED` entries are listed, larger ones get their range and mean.
"""
from __future__ import annotations

import html
import math
import re
from typing import Any, Sequence

import numpy as np

from autograd_core.graph.released import Released

PRECISION = 4
RELEASED = "released by backward"
"""What a box says of values a backward pass without retain_graph released (see docs/engine.md)."""
MAX_LISTED = 6
MAX_NAME = 80
"""The most characters of a name shown in a box's title or a cluster's label (longer ones are shortened)."""
MAX_TEXT = 400
"""The most characters of any other line of text (a caption line, a tooltip)."""
_NONCHARACTERS = "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0x10000, 0x110000, 0x10000))
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\u2028\u2029"
                     "\u202a-\u202e\u2066-\u2069" + _NONCHARACTERS + "]")


def fmt(x: Any, precision: int = PRECISION) -> str:
    """A scalar with `precision` significant digits: fmt(0.57444) == "0.5744", fmt(-0.0) == "0"."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0.0:
        return "0"
    return f"{x:.{precision}g}"


def shape_text(shape: Sequence[int]) -> str:
    """(3, 4) as "(3, 4)", a 1-tuple as "(5,)", a scalar shape as "()"."""
    shape = tuple(int(s) for s in shape)
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _listing(arr: np.ndarray, precision: int) -> str:
    if arr.ndim == 0:
        return fmt(arr, precision)
    return "[" + ", ".join(_listing(a, precision) for a in arr) + "]"


def _finite_stats(arr: np.ndarray) -> tuple[np.ndarray, str]:
    finite = np.isfinite(arr)
    bad = int(arr.size - finite.sum())
    return arr[finite], (f" ({bad} nan/inf)" if bad else "")


def _describe(x: Any, precision: int, with_mean: bool) -> str:
    """The entries of a small array; else the finite range (and mean), plus a NaN/inf count; for an
    array a backward pass released (autograd_core.graph.released), that it was."""
    if isinstance(x, Released):
        return RELEASED
    arr = np.asarray(x, dtype=float)
    if arr.size <= MAX_LISTED:
        return _listing(arr, precision)
    vals, bad = _finite_stats(arr)
    if not vals.size:
        return f"all {arr.size} entries nan/inf"
    lo, hi = fmt(vals.min(), precision), fmt(vals.max(), precision)
    if lo == hi:
        return f"all {lo}{bad}"
    if with_mean:
        return f"{lo} … {hi}, mean {fmt(vals.mean(), precision)}{bad}"
    return f"[{lo} … {hi}]{bad}"


def summary(x: Any, precision: int = PRECISION) -> str:
    """Short text for a number or an array: the entries when there are at most MAX_LISTED of them,
    else "lo … hi, mean m" over the finite entries, plus a count of NaN/inf entries."""
    return _describe(x, precision, with_mean=True)


def span(x: Any, precision: int = PRECISION) -> str:
    """Shorter still, for edges: the entries of a small array, else "[lo … hi]"."""
    return _describe(x, precision, with_mean=False)


def visible(text: Any, limit: int = MAX_TEXT) -> str:
    """`text` as a string safe to show: over `limit` characters it keeps its start and end around "…",
    and every character a reader cannot see or a renderer may reject (control characters, NUL,
    surrogates, noncharacters such as U+FFFE, line separators, bidi overrides) is written out as
    Python would: "\\x07", "\\ufffe". The result has at most about 10 x `limit` characters."""
    text = str(text)
    if len(text) > limit:
        head = max(1, (2 * limit) // 3)
        text = text[:head] + "…" + text[len(text) - max(0, limit - head - 1):]
    return _HIDDEN.sub(lambda m: repr(m.group())[1:-1], text)


def esc(text: Any, limit: int = MAX_TEXT) -> str:
    """The one escape for every text that reaches Graphviz or HTML (labels, parameter and module
    names, titles, tooltips): `visible(text, limit)` with & < > " ' as entities, so it is plain text
    in an HTML-like label, an HTML page or an SVG attribute, never markup."""
    return html.escape(visible(text, limit), quote=True)


def dot_text(text: Any, limit: int = MAX_TEXT) -> str:
    """An attribute value for Graphviz (a cluster label, a tooltip): `esc(text)` as an HTML-like string,
    which dot copies into the SVG as text (a value starting with < would otherwise be read as markup)."""
    return f"<{esc(text, limit)}>"


def html_rows(rows: Sequence[tuple[str, str]], *, border: int = 0) -> str:
    """A Graphviz HTML-like label: one table row per (kind, text).

    kind is "title" (bold), "small" (small grey), "trouble" (bold red), "note" (italic) or "" (plain).
    Each row becomes its own <text> element in the SVG, which keeps labels easy to read back.
    """
    cells = []
    for kind, text in rows:
        body = esc(text, MAX_NAME if kind == "title" else MAX_TEXT)
        if kind == "title":
            body = f"<B>{body}</B>"
        elif kind == "small":
            body = f'<FONT POINT-SIZE="10" COLOR="#4b5563">{body}</FONT>'
        elif kind == "trouble":
            body = f'<FONT COLOR="#b91c1c"><B>{body}</B></FONT>'
        elif kind == "note":
            body = f"<I>{body}</I>"
        cells.append(f"<TR><TD>{body}</TD></TR>")
    return f'<<TABLE BORDER="{border}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{"".join(cells)}</TABLE>>'
