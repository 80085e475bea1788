"""einsum (Tensor only): torch's and numpy's Einstein summation, one op whose gradient is again an einsum.

For operand i with subscripts s_i, the gradient is einsum(out, the other operands -> s_i); letters only s_i has
come from a constant ones operand, and a letter repeated in s_i (a diagonal, as in "ii->i") from identity
matrices, so every order of derivative is an einsum too.
"""
from __future__ import annotations

import string
from typing import Any, Sequence

import numpy as np

from ..arrays import as_array
from .apply import call, raw
from .shape import shape_of
from .table import defop


def explicit(equation: str, shapes: Sequence[tuple[int, ...]]) -> tuple[list[str], str]:
    """The subscripts of each operand and of the output with '...' spelled as letters and the output
    made explicit (implicit mode: the letters used once, in alphabetical order, after the ellipsis)."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    ins = lhs.split(",")
    if len(ins) != len(shapes):
        raise ValueError(f"einsum: equation {equation!r} names {len(ins)} operands, got {len(shapes)}")
    spare = [c for c in string.ascii_letters if c not in eq]
    n_ell = max((len(s) - len(t.replace("...", "")) for t, s in zip(ins, shapes) if "..." in t), default=0)
    ell = "".join(spare[:n_ell])
    out_ins = []
    for t, s in zip(ins, shapes):
        if "..." in t:
            k = len(s) - len(t.replace("...", ""))
            t = t.replace("...", ell[n_ell - k:])
        if len(t) != len(s) or not all(c in string.ascii_letters for c in t):
            raise ValueError(f"einsum: subscripts {t!r} do not fit an operand of shape {s} (equation {equation!r})")
        out_ins.append(t)
    if arrow:
        out = rhs.replace("...", ell)
    else:
        counts = "".join(out_ins)
        out = ell + "".join(sorted(c for c in set(counts) if counts.count(c) == 1 and c not in ell))
    _check_sizes(equation, out_ins, shapes, out)
    return out_ins, out


def _check_sizes(equation: str, ins: list[str], shapes: Sequence[tuple[int, ...]], out: str) -> None:
    sizes: dict[str, int] = {}
    for t, s in zip(ins, shapes):
        for c, n in zip(t, s):
            if sizes.setdefault(c, n) != n:
                raise ValueError(f"einsum: subscript {c!r} has size {sizes[c]} and {n} in {equation!r} (shapes "
                                 f"{[tuple(x) for x in shapes]}); sizes of one subscript must be equal")
    for c in out:
        if c not in sizes or out.count(c) > 1:
            raise ValueError(f"einsum: output subscript {c!r} of {equation!r} appears in no operand or twice")


def _forward(*xs: Any, equation: str) -> np.ndarray:
    ins, out = explicit(equation, [np.shape(x) for x in xs])
    return as_array(np.einsum(",".join(ins) + "->" + out, *xs))


def _grad(i: int, g: Any, ans: Any, *xs: Any, equation: str) -> Any:
    shapes = [shape_of(x) for x in xs]
    ins, out = explicit(equation, shapes)
    sizes = {c: n for t, s in zip(ins, shapes) for c, n in zip(t, s)}
    target, spare = list(ins[i]), [c for c in string.ascii_letters if c not in "".join(ins) + out]
    operands, subs = [g] + [x for j, x in enumerate(xs) if j != i], [out] + [t for j, t in enumerate(ins) if j != i]
    for k, c in enumerate(target):
        if c in target[:k]:  # a repeated letter: a fresh one tied to the first by an identity matrix
            fresh = spare.pop()
            target[k] = fresh
            operands.append(np.eye(sizes[c], dtype=np.result_type(raw(g))))
            subs.append(c + fresh)
    known = set("".join(subs))
    missing = "".join(dict.fromkeys(c for c in target if c not in known))
    if missing:
        operands.append(np.ones([sizes[c] for c in missing], dtype=np.result_type(raw(g))))
        subs.append(missing)
    return call(EINSUM, *operands, equation=",".join(subs) + "->" + "".join(target))


EINSUM = defop("einsum", forward=_forward, vjp_variadic=_grad, display="einsum", elementwise=False,
               derivative="einsum(g, the others → xᵢ's subscripts)",
               words="each operand's gradient is the einsum of g with the other operands, back to its subscripts")
