"""Inline a gradient rule made only of arithmetic (x * y, -g, g / y, ...) as a Python expression, so a
generated program saves the call: the rule is run once on symbols to read its formula, and the
formula is accepted only if it gives the rule's own numbers on test arrays."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np


class _NotArithmetic(Exception):
    pass


def _src(x: Any) -> str:
    if isinstance(x, _Sym):
        return x.src
    if type(x) in (int, float):
        return repr(x)
    raise _NotArithmetic


class _Sym:
    """A symbol that records +, -, *, / and unary minus as source text; anything else fails."""

    __slots__ = ("src",)

    def __init__(self, src: str) -> None:
        self.src = src

    def __add__(self, o: Any) -> "_Sym":
        return _Sym(f"({self.src} + {_src(o)})")

    def __radd__(self, o: Any) -> "_Sym":
        return _Sym(f"({_src(o)} + {self.src})")

    def __sub__(self, o: Any) -> "_Sym":
        return _Sym(f"({self.src} - {_src(o)})")

    def __rsub__(self, o: Any) -> "_Sym":
        return _Sym(f"({_src(o)} - {self.src})")

    def __mul__(self, o: Any) -> "_Sym":
        return _Sym(f"({self.src} * {_src(o)})")

    def __rmul__(self, o: Any) -> "_Sym":
        return _Sym(f"({_src(o)} * {self.src})")

    def __truediv__(self, o: Any) -> "_Sym":
        return _Sym(f"({self.src} / {_src(o)})")

    def __rtruediv__(self, o: Any) -> "_Sym":
        return _Sym(f"({_src(o)} / {self.src})")

    def __neg__(self) -> "_Sym":
        return _Sym(f"(-{self.src})")


def arithmetic_formula(rule: Callable[..., Any], n_inputs: int) -> str | None:
    """The rule's formula over names G, ANS, X0, X1, ... when it is plain arithmetic on them and gives
    the rule's own results on random arrays; else None (the program then calls the rule)."""
    names = ["G", "ANS"] + [f"X{k}" for k in range(n_inputs)]
    try:
        out = rule(*[_Sym(n) for n in names])
    except Exception:  # any call the symbols do not support: not plain arithmetic
        return None
    if not isinstance(out, _Sym):
        return None
    rng = np.random.default_rng(0)
    values = {n: rng.uniform(0.5, 2.0, size=7) for n in names}
    try:
        expected = rule(*values.values())
        got = eval(out.src, {}, dict(values))  # noqa: S307 - a formula we built from +, -, *, /
    except Exception:
        return None
    return out.src if np.array_equal(np.asarray(expected), np.asarray(got)) else None
