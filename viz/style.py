"""Colours and fonts: one fill colour per role, red for trouble, orange for highlighted paths; the legend."""
from __future__ import annotations

from .labels import esc

FONT = "Helvetica"
FILL = {
    "input": "#dbeafe",         # blue
    "parameter": "#fef3c7",     # amber
    "constant": "#f3f4f6",      # grey
    "intermediate": "#ffffff",  # white
    "output": "#fce7f3",        # pink
    "module": "#ede9fe",        # violet: a collapsed module
}
BORDER = "#374151"
TROUBLE = "#dc2626"
HIGHLIGHT = "#ea580c"
MUTED = "#9ca3af"
CLUSTER = "#6b7280"

GRAPH_ATTR = {"fontname": FONT, "fontsize": "11", "nodesep": "0.25", "ranksep": "0.45", "labelloc": "b",
              "bgcolor": "white", "pad": "0.2"}
UNLABELLED = {"ranksep": "0.3", "nodesep": "0.15"}   # spacing when edge labels are in tooltips
NODE_ATTR = {"shape": "box", "style": "rounded,filled", "fontname": FONT, "fontsize": "11",
             "color": BORDER, "margin": "0.06,0.03"}
EDGE_ATTR = {"fontname": FONT, "fontsize": "9", "color": "#4b5563", "arrowsize": "0.7"}


def legend_table() -> str:
    """A one-row HTML table: a swatch per role, then the trouble and highlighted-path markers."""
    cells = "".join(f'<TD BGCOLOR="{FILL[r]}" BORDER="1">{r}</TD>' for r in
                    ("input", "parameter", "constant", "intermediate", "output", "module"))
    cells += f'<TD BORDER="1" COLOR="{TROUBLE}"><FONT COLOR="{TROUBLE}">trouble</FONT></TD>'
    cells += f'<TD BORDER="1" COLOR="{HIGHLIGHT}"><FONT COLOR="{HIGHLIGHT}">path</FONT></TD>'
    return (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2"><TR><TD><B>legend</B></TD>'
            f'{cells}</TR></TABLE>')


def caption(legend: bool, lines: list[str]) -> str:
    """The graph's label: the legend (optional) above left-aligned text lines, as HTML."""
    rows = [f"<TR><TD>{legend_table()}</TD></TR>"] if legend else []
    rows += [f'<TR><TD ALIGN="LEFT">{esc(line)}</TD></TR>' for line in lines]
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{"".join(rows)}</TABLE>>'
