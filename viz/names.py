"""What every node is called in pictures, the explorer and its narration: a name, or the expression that made it.

A node is called, in this order: its parameter name (relative to the module box it sits in), its
user label, the value of an unlabelled scalar constant ("2"), and otherwise the expression that made
it, written from the op table's display facts with its inputs' names: `x1×w1`, `x1×w1 + x2×w2`,
`tanh(n)`, `−a`, `|x|`. viz names no op: an op whose `display` is a symbol and that has two inputs
is written infix, one whose display is a template with an `x` in it ("−x", "|x|") fills it in, any
other is written as a call ("tanh(n)", "max(a, b, c)"). Binding strength is read from the op's
Inline forward expression ("a + b" binds looser than "a * b", as Python says); an infix op without
one gets parentheses around every compound operand. Names longer than `LIMIT` are shortened with "…".
"""
from __future__ import annotations

import ast
import re
from typing import Any, Callable, Sequence

from autograd_core import Node, Tensor

from .labels import fmt

LIMIT = 28
_PRECEDENCE = {ast.Add: 10, ast.Sub: 10, ast.Mult: 20, ast.Div: 20, ast.MatMult: 20, ast.FloorDiv: 20,
               ast.Mod: 20, ast.Pow: 30}
ATOM = 100
_SLOT = re.compile(r"(?<!\w)x(?!\w)")   # a template's operand: an x that is not part of a word (|x|, but not the x of softmax)


def shorten(text: str, limit: int = LIMIT) -> str:
    """`text`, cut to `limit` characters with a trailing "…" when longer."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _binding(op: Any) -> int | None:
    """How tightly an infix op binds (Python's precedence of its Inline forward), None when unknown."""
    inline = getattr(op, "inline", None)
    if inline is None:
        return None
    body = ast.parse(inline.forward, mode="eval").body
    return _PRECEDENCE.get(type(body.op)) if isinstance(body, ast.BinOp) else None


def _is_symbol(display: str) -> bool:
    return not any(ch.isalpha() for ch in display)


def _is_template(display: str) -> bool:
    """A display written around its operand: "−x", "|x|", "1/√x" (an x standing alone), never a name
    that merely contains an x (log_softmax, expm1, softmax CE)."""
    return display != "x" and _SLOT.search(display) is not None


def render(op: Any, parts: Sequence[tuple[str, int]]) -> tuple[str, int]:
    """An op applied to operands given as (text, binding strength): the text and its own binding.

    Infix ops spell their operands' parentheses from the strengths (a left operand as strong as the
    op needs none, a right one must be stronger, except for the right-binding power)."""
    display = op.display
    if len(parts) == 2 and _is_symbol(display):
        mine = _binding(op)
        strength = mine if mine is not None else 0
        power = isinstance(ast.parse(op.inline.forward, mode="eval").body.op, ast.Pow) if mine == 30 else False
        need_left = parts[0][1] <= strength if power else parts[0][1] < strength
        need_right = parts[1][1] < strength if power else parts[1][1] <= strength
        if mine is None:
            need_left, need_right = parts[0][1] < ATOM, parts[1][1] < ATOM
        left = f"({parts[0][0]})" if need_left else parts[0][0]
        right = f"({parts[1][0]})" if need_right else parts[1][0]
        gap = " " if strength <= 10 else ""
        return f"{left}{gap}{display}{gap}{right}", strength
    if len(parts) == 1 and display[:1] in "[.":   # an index or attribute: written after its operand
        inner = parts[0][0] if parts[0][1] >= ATOM else f"({parts[0][0]})"
        return f"{inner}{display}", ATOM
    if len(parts) == 1 and _is_template(display):
        inner = parts[0][0] if parts[0][1] >= ATOM else f"({parts[0][0]})"
        return _SLOT.sub(lambda _: inner, display, count=1), 25
    return f"{display}({', '.join(t for t, _ in parts)})", ATOM


def _leaf_name(n: Node) -> str:
    if isinstance(n, Tensor):
        return "const" if not n.requires_grad else "leaf"
    return fmt(n.data) if not n.requires_grad else "leaf"


def expression_names(order: Sequence[Node], own: Callable[[Node], str | None],
                     result: Callable[[Node], str | None] = lambda n: None,
                     outside: Callable[[Node, Node], str | None] = lambda n, q: None,
                     limit: int = LIMIT) -> dict[int, str]:
    """node id -> name for every node of `order` (topological): `own(node)` when it has one (a
    parameter or label), else `result(node)` (a module's result: its module path), else the
    expression that made the node (see the module docstring). Inside an expression an input q is
    called by its own name, else by `outside(n, q)` (the module it comes out of, when that is not
    n's), else by its expression."""
    full: dict[int, tuple[str, int]] = {}
    out: dict[int, str] = {}
    for n in order:
        name = own(n)
        if not name and n.op is None:
            full[n.id] = (_leaf_name(n), ATOM)
        elif not name:
            parts = []
            for q in n.parents:
                seen = own(q) or outside(n, q)
                parts.append((seen, ATOM) if seen else full.get(q.id, (shorten(q.label or "·"), ATOM)))
            full[n.id] = render(n.op, parts)
        else:
            full[n.id] = (name, ATOM)
        out[n.id] = shorten(result(n) or full[n.id][0], limit)
    return out


def _as_operand(title: str) -> tuple[str, int]:
    """A title as an operand: a plain name or a call binds tightly, anything else gets parentheses."""
    plain = title.replace("_", "").replace(".", "").isalnum() or (title.endswith(")") and title.count("(") == 1)
    return title, ATOM if plain else 0


def expression(n: Node, titles: dict[int, str]) -> str:
    """The op that made `n` applied to its inputs' titles: "n×tanh(n)" for o = n * n.tanh()."""
    assert n.op is not None, "a leaf has no expression"
    return render(n.op, [_as_operand(titles.get(q.id, q.label or "·")) for q in n.parents])[0]


def value_expression(n: Node, precision: int = 4) -> str:
    """The node's expression with its inputs' values in place of their names: "2 × -3"."""
    assert n.op is not None, "a leaf has no expression"
    parts = []
    for q in n.parents:
        v = fmt(q.data, precision) if not isinstance(q, Tensor) else "·"
        parts.append((f"({v})" if v.startswith("-") else v, ATOM))
    return render(n.op, parts)[0]
