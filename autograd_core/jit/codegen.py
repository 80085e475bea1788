"""Turn recorded instructions into one flat Python function: dead code removed, one line per numpy call."""
from __future__ import annotations

import linecache
import operator
import re
from typing import Any, Callable, Iterable

import numpy as np

from .recorder import Instr, Slot
from .traced import astype, copy_array, method_call

_REDUCTIONS = {np.sum: "sum", np.max: "max", np.min: "min", np.mean: "mean"}
_VIEWS = (np.reshape, np.transpose, operator.getitem)


def slots_in(x: Any) -> Iterable[int]:
    """Every slot index referenced by an argument template."""
    if isinstance(x, Slot):
        yield x.index
    elif type(x) is tuple or type(x) is list:
        for v in x:
            yield from slots_in(v)
    elif type(x) is dict:
        for v in x.values():
            yield from slots_in(v)


def live_instructions(instrs: list[Instr], needed: Iterable[int]) -> tuple[list[Instr], set[int]]:
    """Dead-code elimination: keep calls with effects and those whose result is (transitively) needed.
    Returns the kept calls and every slot they (or the caller) read."""
    live = set(needed)
    kept = []
    for ins in reversed(instrs):
        if ins.effect or (ins.out is not None and ins.out in live):
            kept.append(ins)
            live.update(slots_in(ins.args))
            live.update(slots_in(ins.kwargs))
    kept.reverse()
    return kept, live


def _literal(x: Any) -> bool:
    """Whether repr(x) rebuilds x exactly (None, bools, ints, strings and tuples of them)."""
    t = type(x)
    if x is None or t is bool or t is int or t is str:
        return True
    return t is tuple and all(_literal(v) for v in x)


class Namespace:
    """Names for the constants and functions a generated program refers to."""

    def __init__(self) -> None:
        self.ns: dict[str, Any] = {"_asarray": np.asarray}
        self._names: dict[int, str] = {}
        self.alias: dict[int, int] = {}  # slot -> the earlier slot holding the same view

    def name(self, obj: Any, prefix: str = "c") -> str:
        key = id(obj)
        found = self._names.get(key)
        if found is None:
            if prefix == "f":  # a function: named after itself (matmul_6), so tracebacks read
                prefix = re.sub(r"\W", "_", getattr(obj, "__name__", "f")) + "_"
            found = self._names[key] = f"{prefix}{len(self._names)}"
            self.ns[found] = obj
        return found

    def render(self, x: Any) -> str:
        """Python source for an argument template."""
        if isinstance(x, Slot):
            return f"t{self.alias.get(x.index, x.index)}"
        t = type(x)
        if (t is tuple or t is list) and (any(True for _ in slots_in(x)) or _literal(x)):
            inner = ", ".join(self.render(v) for v in x)
            if t is list:
                return f"[{inner}]"
            return f"({inner},)" if len(x) == 1 else f"({inner})"
        if t is dict and any(True for _ in slots_in(x)):
            return "{" + ", ".join(f"{self.render(k)}: {self.render(v)}" for k, v in x.items()) + "}"
        if _literal(x):
            return repr(x)
        return self.name(x)  # by identity: a live dict of hyperparameters stays that dict

    def expr(self, ins: Instr) -> str:
        """The call as Python source: ndarray methods and syntax where numpy has them (no dispatch)."""
        fn, a, kw = ins.fn, ins.args, ins.kwargs
        first = self.render(a[0]) if a and isinstance(a[0], Slot) else None
        if first is not None and not kw:
            if fn is np.transpose:
                return f"{first}.T" if len(a) == 1 or a[1] is None else f"{first}.transpose({self.render(a[1])})"
            if fn is np.reshape and len(a) == 2:
                return f"{first}.reshape({self.render(a[1])})"
            if fn is operator.getitem:
                return f"{first}[{self.render(a[1])}]"
            if fn is operator.setitem:
                return f"{first}[{self.render(a[1])}] = {self.render(a[2])}"
            if fn is copy_array:
                return f"{first}.copy()"
        if first is not None and fn is method_call:
            rest = [self.render(v) for v in a[2:]] + [f"{k}={self.render(v)}" for k, v in kw.items()]
            return f"{first}.{a[1]}({', '.join(rest)})"
        if first is not None and fn is astype:
            return f"{first}.astype({self.render(a[1])}, copy={kw.get('copy', True)!r})"
        if first is not None and fn in _REDUCTIONS and len(a) == 1:
            inner = ", ".join(f"{k}={self.render(v)}" for k, v in kw.items())
            return f"{first}.{_REDUCTIONS[fn]}({inner})"
        parts = [self.render(v) for v in a] + [f"{k}={self.render(v)}" for k, v in kw.items()]
        return f"{self.name(fn, 'f')}({', '.join(parts)})"

    def lines(self, instrs: list[Instr]) -> list[str]:
        """One line per call; a view already made from the same slot is reused (no second call)."""
        out: list[str] = []
        seen: dict[str, int] = {}
        for ins in instrs:
            src = self.expr(ins)
            if ins.out is None:
                out.append(src)
                continue
            if ins.fn in _VIEWS and not ins.effect:
                if src in seen:
                    self.alias[ins.out] = seen[src]
                    continue
                seen[src] = ins.out
            out.append(f"t{ins.out} = _asarray({src})" if ins.scalar else f"t{ins.out} = {src}")
        return out


def generate(name: str, params: str, prologue: list[str], instrs: list[Instr],
             epilogue: Callable[[Namespace], list[str]], ns: Namespace, title: str = "") -> tuple[Callable[..., Any], str]:
    """Compile `def name(params): prologue; instrs; epilogue(ns)` and return (function, source).
    The epilogue is rendered after the calls, so it sees which slots were merged."""
    body = prologue + ns.lines(instrs)
    body += epilogue(ns)
    src = f"def {name}({params}):\n" + "".join(f"    {line}\n" for line in body or ["pass"])
    scope: dict[str, Any] = dict(ns.ns)
    filename = f"<compiled {title or name} {id(ns):x}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)  # tracebacks and pdb show it
    exec(compile(src, filename, "exec"), scope)  # noqa: S102 - our own generated source
    return scope[name], src
