"""The scalar backward pass, generated from the op table: a Value graph's whole hot loop.

For a plain backward of a Value graph every gradient is a float, so each op's step can be
pasted in from its `inline` vjp expressions: `p._g += g * b` rather than a call to a rule.
The pass dispatches on the op's `inline_index` with a binary search of `if` tests (about four
comparisons for any op, whatever its place in the table); an op without inline code takes the
general step. `print(engine_scalar.source())` shows the generated function.
"""
from __future__ import annotations

from typing import Any, Callable

from .node import FREED, PENDING
from .ops.table import INLINE_OPS, Op

_HEAD = """def scalar_walk(order, free, keep, accumulate, step_general):
    after = FREED if free else None
    for node in order:
        g = node._g
        op = node.op
        if op is None:
            node._g = None
            if g is PENDING:
                continue
        else:
            node._g = after
            if g is PENDING:
                continue
            c = op.inline_index
            if c < 0:
                step_general(node, g, False)
{dispatch}
        if keep is not None:
            k = id(node)
            if k in keep:
                keep[k] = g
        if accumulate:
            node.grad += g
"""

_ADD_PATH = """if {p}.requires_grad:
    pg = {rule}
    m = {p}._g
    {p}._g = pg if m is PENDING else m + pg
"""


def _names(text: str) -> set[str]:
    return set(compile(text, "<inline>", "eval").co_names)


def _step(op: Op) -> list[str]:
    """The statements of one op's step: load what its rules use, add each input's gradient."""
    inline = op.inline
    assert inline is not None
    used = set().union(*(_names(rule) for rule in inline.vjp))
    parents = ("p",) if len(inline.vjp) == 1 else ("p", "q")
    lines = [f"# {op.name}"] + [f"{p} = node.{slot}" for p, slot in zip(parents, ("_a", "_b"))]
    lines += [f"{name} = {p}.data" for name, p in zip(inline.inputs(), parents) if name in used]
    if "out" in used:
        lines.append("out = node.data")
    for p, rule in zip(parents, inline.vjp):
        lines += _ADD_PATH.format(p=p, rule=rule).splitlines()
    return lines


def _dispatch(ops: list[Op], lo: int, hi: int, depth: int) -> list[str]:
    """`if` tests on c that reach ops[lo:hi] by halving (c is in [lo, hi) here)."""
    pad = "    " * depth
    if hi - lo == 1:
        return [pad + line for line in _step(ops[lo])]
    mid = (lo + hi) // 2
    return ([f"{pad}if c < {mid}:"] + _dispatch(ops, lo, mid, depth + 1)
            + [f"{pad}else:"] + _dispatch(ops, mid, hi, depth + 1))


def _generate(ops: list[Op]) -> tuple[str, Callable[..., None]]:
    """The source and the function of the walk over `ops` (INLINE_OPS as it stands)."""
    body = ["            else:"] + _dispatch(ops, 0, len(ops), 4)
    text = _HEAD.format(dispatch="\n".join(body))
    namespace: dict[str, Any] = {"FREED": FREED, "PENDING": PENDING}
    for op in ops:
        namespace.update(op.inline.env)  # type: ignore[union-attr]
    exec(compile(text, "<engine_scalar.scalar_walk>", "exec"), namespace)
    walk = namespace["scalar_walk"]
    walk.__doc__ = _WALK_DOC
    return text, walk


_WALK_DOC = """Run a plain backward pass over `order` (each node before its inputs; every gradient a
float). A node's gradient is final when it is reached; its inputs' running sums get the op's
inline vjp of it (the general step for other ops). `free` marks the graph consumed; `keep`
collects the gradients of the nodes whose id() it holds; `accumulate` adds each into `.grad`."""

_generated: list[Any] = [0, "", None]  # [number of inline ops covered, source, function]


def scalar_walk() -> Callable[..., None]:
    """The generated pass for the table as it stands (regenerated when an op was added since)."""
    if _generated[0] != len(INLINE_OPS):
        ops = list(INLINE_OPS)
        _generated[1], _generated[2] = _generate(ops)
        _generated[0] = len(ops)
    return _generated[2]


def source() -> str:
    """The generated pass's Python source."""
    scalar_walk()
    return _generated[1]
