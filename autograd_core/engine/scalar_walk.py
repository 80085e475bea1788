"""The scalar backward pass, generated from the op table: a Value graph's whole hot loop (the
engine's Kahn walk, see backward.py, with each op's step written out).

For a plain backward of a Value graph every gradient is a float, so each op's step can be
pasted in from its `inline` vjp expressions: `p._g += g * b` rather than a call to a rule.
The pass tests for the common ops first (`Inline.common`: + * ** tanh relu), then finds any
other with a binary search of `if` tests on its rank (about four comparisons); an op without
inline code takes the general step. The first input a step makes ready is processed next, without a trip through the
stack (a chain costs no pushes); others wait on the stack. One variant is generated per use
(with or without `keep`, with or without accumulating `.grad`), so the loop tests neither.
`print(scalar_walk.source())` shows the generated function.
"""
from __future__ import annotations

from typing import Any, Callable

from ..generated import run_source
from ..graph.node import FREED
from ..ops.table import INLINE_OPS, Op

_HEAD = """def scalar_walk(root, free, keep, leaves, step_general):
    after = FREED if free else None
    ready = []
    push = ready.append
    pop = ready.pop
    nxt = root
    while True:
        if nxt is not None:
            node = nxt
            nxt = None
        elif ready:
            node = pop()
        else:
            break
        g = node._g
        op = node.op
        if op is None:
            node._g = None
{finish_leaf}
            continue
        node._g = after
{dispatch}
{finish}
    for node in leaves:
        g = node._g
        node._g = None
{finish}
"""

# What every processed node does last: hand its gradient to `keep`, add it to `.grad`.
_KEEP = """k = id(node)
if k in keep:
    keep[k] = g"""
_ACCUMULATE = "node.grad += g"

# One input's path: add its gradient (every sum starts at -0.0, see engine.NO_GRADIENT_YET);
# when this was the last child of an input made by an op, that input is ready (the first ready
# input becomes the next node, a second one waits on the stack; leaves wait for the end).
_ADD_PATH = """if {p}.requires_grad:
    {p}._g += {rule}
    if {p}._a is not None:
        n = {p}._n - 1
        {p}._n = n
        if not n:
{ready}
"""
_FIRST_READY = "            nxt = {p}"
_LATER_READY = """            if nxt is None:
                nxt = {p}
            else:
                push({p})"""


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
    for k, (p, rule) in enumerate(zip(parents, inline.vjp)):
        ready = (_FIRST_READY if k == 0 else _LATER_READY).format(p=p)
        lines += _ADD_PATH.format(p=p, rule=rule, ready=ready).splitlines()
    return lines


def _dispatch(ops: list[Op], lo: int, hi: int, depth: int) -> list[str]:
    """`if` tests on c that reach ops[lo:hi] by halving (c is in [lo, hi) here)."""
    pad = "    " * depth
    if hi - lo == 1:
        return [pad + line for line in _step(ops[lo])]
    mid = (lo + hi) // 2
    return ([f"{pad}if c < {mid}:"] + _dispatch(ops, lo, mid, depth + 1)
            + [f"{pad}else:"] + _dispatch(ops, mid, hi, depth + 1))


def _dispatch_all(ops: list[Op]) -> list[str]:
    """Identity tests for the common ops, in table order; then, on the op's inline_index, the
    general step (-1) or a binary search of the others."""
    common = [op for op in ops if op.inline.common]  # type: ignore[union-attr]
    rest = [op for op in ops if not op.inline.common]  # type: ignore[union-attr]
    lines: list[str] = []
    for k, op in enumerate(common):
        lines.append(f"{'if' if k == 0 else 'elif'} op is OP_{op.name}:")
        lines += ["    " + line for line in _step(op)]
    lines += [("else:" if common else "if True:"), "    c = op.inline_index", "    if c < 0:",
              "        nxt = step_general(node, g, False, push)"]
    if rest:
        lines += ["    else:", "        c = RANK[c]"] + _dispatch(rest, 0, len(rest), 2)
    return lines


def _indent(text: str, depth: int) -> str:
    return "\n".join("    " * depth + line for line in text.splitlines())


def _generate(ops: list[Op], keep: bool, accumulate: bool) -> tuple[str, Callable[..., None]]:
    """The source and the function of the walk over `ops` (INLINE_OPS as it stands)."""
    finish = "\n".join(part for part, on in ((_KEEP, keep), (_ACCUMULATE, accumulate)) if on) or "pass"
    text = _HEAD.format(dispatch=_indent("\n".join(_dispatch_all(ops)), 2),
                        finish_leaf=_indent(finish, 3), finish=_indent(finish, 2))
    rest = [op for op in ops if not op.inline.common]  # type: ignore[union-attr]
    rank = [-1] * len(ops)  # inline_index -> position among the ops the binary search covers
    for k, op in enumerate(rest):
        rank[op.inline_index] = k
    namespace: dict[str, Any] = {"FREED": FREED, "RANK": tuple(rank)}
    for op in ops:
        namespace.update(op.inline.env)  # type: ignore[union-attr]
        namespace[f"OP_{op.name}"] = op
    walk = run_source(text, "scalar_walk", namespace)["scalar_walk"]
    walk.__doc__ = _WALK_DOC
    return text, walk


_WALK_DOC = """Run a plain backward pass from `root` over the nodes collect.py marked (every gradient a
float, every sum started at -0.0). A node is processed once all its children have been (its `_n`
reached 0); its inputs' running sums get the op's inline vjp of its gradient (the general step
for other ops); `leaves` are finished last. `free` marks the graph consumed; `keep` (in the
variant that has it) collects the gradients of the nodes whose id() it holds; the accumulating
variant adds each into `.grad`."""

# (keep, accumulate) -> (number of inline ops covered, source, function)
_generated: dict[tuple[bool, bool], tuple[int, str, Callable[..., None]]] = {}


def scalar_walk(keep: bool, accumulate: bool) -> Callable[..., None]:
    """The generated pass for the table as it stands (regenerated when an op was added since)."""
    entry = _generated.get((keep, accumulate))
    if entry is None or entry[0] != len(INLINE_OPS):
        ops = list(INLINE_OPS)
        entry = _generated[keep, accumulate] = (len(ops), *_generate(ops, keep, accumulate))
    return entry[2]


def source(keep: bool = False, accumulate: bool = True) -> str:
    """The generated pass's Python source (by default the one `backward()` runs)."""
    scalar_walk(keep, accumulate)
    return _generated[keep, accumulate][1]
